"""The server's side of sync: a hall on PostgreSQL whose ``events.seq`` is the global sequence.

Push stores events idempotently by event id (``append_events``, so the server's
projections stay current for lookups) and answers every pushed id with its sequence,
including ids it already had: a device that lost an answer simply pushes again.

**Why a pull never skips an event.** A sequence number is allocated when a row is
inserted, but becomes visible only when its transaction commits; two pushes that overlap
could commit out of order (7–9 visible before 4–6), and a device pulling in between would
move its cursor past 4–6 for good. Every push therefore takes one transaction-scoped
advisory lock (``pg_advisory_xact_lock``) before it inserts anything: pushes run one at a
time, each allocates its numbers and commits before the next allocates any, so whatever a
pull can see is a gap-free prefix of the committed sequence (aborted pushes leave holes
that stay holes, which a cursor passes safely). The price is that pushes do not overlap;
one push of 500 events holds the lock for tens of milliseconds, and pulls never wait.
The other remedy — serving only seqs below the oldest in-flight transaction — would need
the transaction ids of writers and still stall every pull behind a slow push. SQLite (a
hall server) admits one writer at a time anyway.

**What a device may see.** A hall display receives no case events at all (it holds no
permission to read cases). A device enrolled for an organisation never receives
the events of an accusation against that organisation or one above it: a pull leaves
them out (``may_disclose_to`` on the case as the server's projection has it, art. 30) and
its cursor moves past them. The organisations a case has ever been an accusation against
are kept in ``case_seals`` (written with the classification, never removed), so a later
event that declares the case something else narrows nothing. Events sent before the case
was classified as an accusation cannot be called back. A kiosk receives progress only
(dates, steps and outcomes; names masked; no texts, documents, phones or accused
organisations).

**What a device may push.** Every event is checked before anything is stored
(:mod:`server.validation`): its payload against its type's schema, its ``device_id`` and
author against the token, the author's permissions on the case as sealed.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Final, cast

from sqlalchemy import Table, delete, func, insert, select, text, update
from sqlalchemy.orm import Session

from db.models import CaseRow, CaseSealRow, EventRow, SyncDeviceRow
from desktop.domain.access import may_disclose_to
from desktop.domain.audit import AuditAction
from desktop.domain.case import CaseView
from desktop.domain.chinatime import china_moment
from desktop.domain.classification import Nature
from desktop.domain.errors import ValidationError
from desktop.domain.events import Event, EventType
from desktop.domain.hlc import MAX_DRIFT_MS, Hlc
from desktop.domain.masking import kiosk_payload
from desktop.domain.numbering import validate_device_code
from desktop.domain.roles import Actor
from desktop.domain.routing import OrganisationDirectory
from desktop.services.audit import audit
from desktop.services.context import Hall
from desktop.services.reference import load_directory
from desktop.services.store import append_events, row_to_event
from server.personal import FieldKeys, store_sealed, unseal_payloads
from server.personal import seal as seal_personal
from server.protocol import (
    MAX_PULL_LIMIT,
    MAX_PUSH_EVENTS,
    Assigned,
    PulledEvent,
    PullResponse,
    PushResponse,
    SyncProblem,
    WireEvent,
    conflicts_refused,
)
from server.validation import Authority, Pusher, Refused, check_shape, refusal

DEVICE_ROLES: Final = ("counter", "kiosk", "display", "leader", "admin", "hall")
#: What each kind of device may record; counters and the leader's desk record any decision.
PUSHABLE: Final[dict[str, frozenset[EventType]]] = {
    "kiosk": frozenset({EventType.REGISTERED, EventType.RATED}),
    "display": frozenset(),
    "admin": frozenset(),  # the administrator's desk records no case decisions
}
ROLE_NAMES: Final = {"counter": "接待窗口", "kiosk": "自助终端", "display": "大厅显示屏", "leader": "领导接访",
                     "admin": "系统管理", "hall": "大厅服务器"}
#: Any constant shared by every push: the key of the advisory lock that serialises them.
PUSH_LOCK_KEY: Final = 0x5043_5359_4E43  # "PCSYNC"
PUSH_LOCK_SQL = f"SELECT pg_advisory_xact_lock({PUSH_LOCK_KEY})"
#: Events stamped further than this ahead of the server's clock come from a device whose clock
#: was wrong. They are stored all the same (refusing them would leave the device unable to sync
#: until real time caught up), flagged in the server's audit log for the supervisors, and the
#: device is told so; every replica's clock rebases after them (desktop/domain/hlc.py).
MAX_CLOCK_AHEAD_MS: Final = MAX_DRIFT_MS


@dataclass(frozen=True)
class Device:
    """An enrolled device, as its token proves it.

    ``hall_code`` scopes staff accounts (an account of another hall may not act here);
    ``device_code`` is a kiosk's own number, the only author its events may name.
    A ``hall`` device is a hall server passing on the events of the hall's devices.
    """

    device_id: str
    role: str
    org_code: str = ""
    hall_code: str = ""
    device_code: str = ""


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def check_enrolment(device_id: str, role: str, org_code: str = "", hall_code: str = "",
                    device_code: str = "") -> None:
    """Refuse (``ValueError``, in Chinese, naming the field) what a device may not be enrolled as."""
    if role not in DEVICE_ROLES:
        raise ValueError(f"设备角色（role）只能是 {' / '.join(DEVICE_ROLES)}，而不是“{role[:32]}”")
    if not re.fullmatch(r"[A-Za-z0-9_]{1,32}", device_id):
        raise ValueError(f"设备编号（device_id）“{device_id[:40]}”无效：应为 1–32 位字母、数字或下划线"
                         "（即该电脑设置中的 device_id）")
    if len(org_code) > 32 or not org_code.isprintable():
        raise ValueError("机构编码（org_code）无效（不超过32个可见字符）")
    if org_code and org_code not in load_directory():
        raise ValueError(f"机构目录中没有编码为 {org_code} 的机构（org_code）")
    if len(hall_code) > 32 or not hall_code.isprintable():
        raise ValueError("大厅编码（hall_code）无效（不超过32个可见字符）")
    if role == "kiosk":
        try:
            validate_device_code(device_code)
        except ValidationError as exc:
            raise ValueError(f"自助终端须填写本机编码（device_code）：{exc.message}") from None
    elif device_code:
        raise ValueError("只有自助终端需要本机编码（device_code）")


def enrol_device(hall: Hall, device_id: str, role: str, org_code: str = "", *, hall_code: str = "",
                 device_code: str = "") -> str:
    """Enrol (or re-enrol) a device and return its new token, the only time it is shown.

    Re-enrolling a device replaces its token: the old one stops working at once.
    """
    check_enrolment(device_id, role, org_code, hall_code, device_code)
    token = secrets.token_urlsafe(32)
    with hall.transaction() as session:
        session.execute(delete(SyncDeviceRow).where(SyncDeviceRow.device_id == device_id))
        session.add(SyncDeviceRow(device_id=device_id, role=role, org_code=org_code, token_hash=token_hash(token),
                                  enrolled_at=hall.now().isoformat(timespec="seconds"), hall_code=hall_code,
                                  device_code=device_code, last_seen_at="", revoked_at=""))
    return token


#: How often a device's ``last_seen_at`` is written (not on every request).
LAST_SEEN_STEP_S: Final = 60


def authenticate(hall: Hall, token: str) -> Device | None:
    """The device a bearer token belongs to, or ``None`` (unknown token, or the device was revoked)."""
    if not token or len(token) > 200 or not token.isascii():
        return None
    wanted = token_hash(token)
    with hall.sessions() as session:
        row = session.scalar(select(SyncDeviceRow).where(SyncDeviceRow.token_hash == wanted))
    if row is None or not hmac.compare_digest(row.token_hash, wanted) or row.revoked_at:
        return None
    now = hall.now()
    seen = datetime.fromisoformat(row.last_seen_at) if row.last_seen_at else None
    if seen is None or abs((now - seen).total_seconds()) >= LAST_SEEN_STEP_S:
        with hall.transaction() as session:
            session.execute(update(SyncDeviceRow).where(SyncDeviceRow.device_id == row.device_id)
                            .values(last_seen_at=now.isoformat(timespec="seconds")))
    return Device(row.device_id, row.role, row.org_code, row.hall_code, row.device_code)


class SyncServer:
    """Push and pull over the server hall's event store.

    ``on_stored`` is called inside a push's transaction after its events are written and
    before it commits (tests hold a push open there to show that pulls cannot overtake it).
    ``validate=False`` skips the checks of :mod:`server.validation` (the benchmark's
    baseline only; a server never runs so).
    """

    def __init__(self, hall: Hall, *, on_stored: Callable[[], None] | None = None, validate: bool = True,
                 keys: FieldKeys | None = None) -> None:
        self.hall = hall
        self.on_stored = on_stored
        self.validate = validate
        #: On PostgreSQL (the central server) names, ID numbers, phones and addresses are kept
        #: encrypted (server/personal.py). A hall server on SQLite keeps them as every device does,
        #: since it passes its devices' events on to the centre in full.
        self.keys = keys if keys is not None else (
            FieldKeys.single(hall.secrets.field_key, hall.secrets.index_key)
            if hall.engine.dialect.name == "postgresql" else None)

    # -- push ----------------------------------------------------------------------------------

    def push(self, device: Device, events: Sequence[WireEvent]) -> PushResponse:
        if len(events) > MAX_PUSH_EVENTS:
            raise SyncProblem("refused", f"一次最多推送 {MAX_PUSH_EVENTS} 条事件，本次 {len(events)} 条")
        domain = [wire.to_event() for wire in events]  # refuses unreadable events before storing any
        ahead = self._clock_ahead(domain)
        allowed = PUSHABLE.get(device.role)
        if allowed is not None:
            for event in domain:
                if event.type not in allowed:
                    raise SyncProblem("refused", f"{ROLE_NAMES.get(device.role, device.role)}设备不能上传“"
                                                 f"{event.type.value}”记录（设备 {device.device_id}）")
        if self.validate:
            for index, event in enumerate(domain):
                try:
                    check_shape(event)
                except Refused as problem:
                    raise refusal(index, event.event_id, problem) from None
        ids = list(dict.fromkeys(e.event_id for e in domain))
        with conflicts_refused(), self.hall.transaction() as session:
            if session.get_bind().dialect.name == "postgresql":
                session.execute(text(PUSH_LOCK_SQL))
            before = session.scalar(select(func.max(EventRow.seq))) or 0
            fresh = _fresh(session, domain)
            if self.validate:
                self._authorise(session, device, fresh)
            if self.keys is not None:
                stored, sealed, indexed = seal_personal(fresh, self.keys)
                append_events(session, stored, self.hall.policy)
                store_sealed(session, sealed, indexed)
            else:
                append_events(session, fresh, self.hall.policy)
            seal_events(session, fresh)
            seqs = _seqs_of(session, ids)
            new = sum(1 for i in ids if seqs[i] > before)
            if ahead and new:  # flagged once, when the events first arrive
                latest = max(ahead, key=lambda e: e.hlc)
                audit(session, self.hall, Actor.system("sync"), AuditAction.DEVICE_CLOCK_AHEAD, device.device_id,
                      {"events": len(ahead), "ahead_minutes": self._ahead_ms(latest) // 60_000,
                       "latest_time": _local_time(latest), "cases": sorted({e.case_id for e in ahead})[:20]})
            if self.on_stored is not None:
                self.on_stored()
        return PushResponse(assigned=[Assigned(event_id=i, seq=seqs[i]) for i in ids], stored=new,
                            clock_ahead_ms=max((self._ahead_ms(e) for e in ahead), default=0))

    def _authorise(self, session: Session, device: Device, fresh: Sequence[Event]) -> None:
        """Every new event against the token and the server's data (already stored ones were checked then)."""
        if not fresh:
            return
        case_ids = sorted({e.case_id for e in fresh})
        histories: dict[str, list[Event]] = {c: [] for c in case_ids}
        for start in range(0, len(case_ids), 500):
            chunk = case_ids[start:start + 500]
            for row in session.scalars(select(EventRow).where(EventRow.case_id.in_(chunk))):
                histories[row.case_id].append(row_to_event(row))
        seals = sealed_orgs(session, case_ids)
        authority = Authority(session, Pusher(device.device_id, device.role, device.org_code, device.hall_code,
                                              device.device_code),
                              self.hall.policy, load_directory(),
                              sealed=lambda case_id: seals.get(case_id, frozenset()),
                              history=lambda case_id: histories.get(case_id, []))
        authority.load_accounts({e.author.partition(":")[2] for e in fresh if e.author.startswith("staff:")})
        positions = {id(e): n for n, e in enumerate(fresh)}
        for event in fresh:
            try:
                authority.check(event)
            except Refused as problem:
                raise refusal(positions[id(event)], event.event_id, problem) from None
        for event, actor, before in authority.reclassified:
            audit(session, self.hall, actor, AuditAction.DECISION, before.case_number or event.case_id,
                  {"event": EventType.CLASSIFIED.value, "event_id": event.event_id, "reclassified_accusation": True,
                   "from": before.nature, "to": str(event.payload.get("nature", "")),
                   "device": device.device_id})

    def _ahead_ms(self, event: Event) -> int:
        return max(Hlc.parse(event.hlc).wall_ms - self.hall.wall_ms(), 0)

    def _clock_ahead(self, events: Sequence[Event]) -> list[Event]:
        """The events stamped further ahead of the server's clock than any honest clock runs."""
        limit = self.hall.wall_ms() + MAX_CLOCK_AHEAD_MS
        return [e for e in events if Hlc.parse(e.hlc).wall_ms > limit]

    # -- pull ----------------------------------------------------------------------------------

    def pull(self, device: Device, since: int, limit: int) -> PullResponse:
        if since < 0:
            raise SyncProblem("refused", "同步游标不能为负数")
        if not 1 <= limit <= MAX_PULL_LIMIT:
            raise SyncProblem("refused", f"每页事件数应在 1 到 {MAX_PULL_LIMIT} 之间")
        with self.hall.sessions() as session:
            rows = list(session.execute(select(_EVENTS).where(_EVENTS.c.seq > since)  # plain rows, no ORM objects
                                        .order_by(_EVENTS.c.seq).limit(limit)))
            hidden = hidden_cases(session, device, {r.case_id for r in rows})
            kiosk = device.role == "kiosk"
            shown = [r for r in rows if r.case_id not in hidden]
            payloads = {r.event_id: json.loads(r.payload) for r in shown}
            if not kiosk and self.keys is not None:  # a kiosk keeps the masked values the server stores
                unseal_payloads(session, {r.event_id: payloads[r.event_id] for r in shown}, self.keys,
                                seqs=(since, rows[-1].seq) if rows else None)
        # straight from the stored rows (already checked when they were pushed): no second validation
        events = [PulledEvent.model_construct(seq=r.seq, event_id=r.event_id, case_id=r.case_id,
                                              device_id=r.device_id, author=r.author, hlc=r.hlc, type=r.type,
                                              payload=kiosk_payload(r.type, payloads[r.event_id]) if kiosk
                                              else payloads[r.event_id],
                                              schema_version=r.schema_version)
                  for r in shown]
        next_cursor = rows[-1].seq if rows else since
        return PullResponse(events=events, next_cursor=next_cursor, more=len(rows) == limit)


_EVENTS = cast(Table, EventRow.__table__)


# -- art. 30: seals ------------------------------------------------------------------------------

def _fresh(session: Session, events: Sequence[Event]) -> list[Event]:
    """The events of a push the server does not hold yet, once each, in the order pushed."""
    ids = list(dict.fromkeys(e.event_id for e in events))
    known: set[str] = set()
    for start in range(0, len(ids), 500):
        known.update(session.scalars(select(EventRow.event_id).where(EventRow.event_id.in_(ids[start:start + 500]))))
    fresh: dict[str, Event] = {}
    for event in events:
        if event.event_id not in known and event.event_id not in fresh:
            fresh[event.event_id] = event
    return list(fresh.values())


def _accused_in(event: Event) -> set[str]:
    if event.type is not EventType.CLASSIFIED:
        return set()
    codes = event.payload.get("accused_org_codes", ())
    return {c for c in codes if isinstance(c, str) and c} if isinstance(codes, list | tuple) else set()


def seal_events(session: Session, events: Sequence[Event]) -> None:
    """Record every organisation a classification names as accused; seals are never removed."""
    wanted = {(e.case_id, code) for e in events for code in _accused_in(e)}
    if not wanted:
        return
    have: set[tuple[str, str]] = set()
    case_ids = sorted({c for c, _ in wanted})
    for start in range(0, len(case_ids), 500):
        have.update((c, o) for c, o in session.execute(select(CaseSealRow.case_id, CaseSealRow.org_code)
                                                       .where(CaseSealRow.case_id.in_(case_ids[start:start + 500]))))
    new = sorted(wanted - have)
    if new:
        session.execute(insert(CaseSealRow), [{"case_id": c, "org_code": o} for c, o in new])


def sealed_orgs(session: Session, case_ids: Sequence[str] | set[str]) -> dict[str, frozenset[str]]:
    """The organisations each case has ever been an accusation against."""
    found: dict[str, set[str]] = {}
    ids = sorted(case_ids)
    for start in range(0, len(ids), 500):
        for case_id, org in session.execute(select(CaseSealRow.case_id, CaseSealRow.org_code)
                                            .where(CaseSealRow.case_id.in_(ids[start:start + 500]))):
            found.setdefault(case_id, set()).add(org)
    return {c: frozenset(o) for c, o in found.items()}


def _hidden_from(org_code: str, accused: frozenset[str] | set[str] | tuple[str, ...],
                 directory: OrganisationDirectory) -> bool:
    view = CaseView(case_id="", nature=Nature.ACCUSATION.value, accused_org_codes=tuple(sorted(accused)))
    return bool(accused) and not may_disclose_to(view, org_code, directory)


def hidden_cases(session: Session, device: Device, case_ids: set[str]) -> set[str]:
    """Cases of this page the device may not hold: all for a hall display, accusations against its organisation.

    Both the seals (every organisation the case was ever an accusation against) and the
    case as it stands now are asked; either hides it.
    """
    if device.role in ("display", "admin"):  # a hall screen shows the queue only; administrators see no cases
        return case_ids
    if not device.org_code or not case_ids:
        return set()
    directory = load_directory()
    hidden = {case_id for case_id, orgs in sealed_orgs(session, case_ids).items()
              if _hidden_from(device.org_code, orgs, directory)}
    ids = sorted(case_ids - hidden)
    for start in range(0, len(ids), 500):
        rows = session.execute(select(CaseRow.case_id, CaseRow.nature, CaseRow.accused_org_codes)
                               .where(CaseRow.case_id.in_(ids[start:start + 500]))
                               .where(CaseRow.accused_org_codes != "[]"))
        for case_id, nature, accused in rows:
            view = CaseView(case_id=case_id, nature=nature, accused_org_codes=tuple(json.loads(accused)))
            if not may_disclose_to(view, device.org_code, directory):
                hidden.add(case_id)
    return hidden


# -- kiosks: masked progress only (desktop/domain/masking.py) -------------------------------------

def _local_time(event: Event) -> str:
    return china_moment(Hlc.parse(event.hlc).wall_ms).isoformat(sep=" ", timespec="minutes")


def _seqs_of(session: Session, ids: Sequence[str]) -> dict[str, int]:
    seqs: dict[str, int] = {}
    for start in range(0, len(ids), 500):
        for event_id, seq in session.execute(select(EventRow.event_id, EventRow.seq)
                                             .where(EventRow.event_id.in_(ids[start:start + 500]))):
            seqs[event_id] = seq
    return seqs
