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
its cursor moves past them. The decision is made per page with the case as it stands then;
events sent before the case was classified as an accusation cannot be called back.
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
from typing import Final

from sqlalchemy import delete, func, select, text
from sqlalchemy.orm import Session

from db.models import CaseRow, EventRow, SyncDeviceRow
from desktop.domain.access import may_disclose_to
from desktop.domain.audit import AuditAction
from desktop.domain.case import CaseView
from desktop.domain.events import Event, EventType
from desktop.domain.hlc import MAX_DRIFT_MS, Hlc
from desktop.domain.roles import Actor
from desktop.services.audit import audit
from desktop.services.context import Hall
from desktop.services.reference import load_directory
from desktop.services.store import append_events
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

DEVICE_ROLES: Final = ("counter", "kiosk", "display", "leader")
#: What each kind of device may record; counters and the leader's desk record any decision.
PUSHABLE: Final[dict[str, frozenset[EventType]]] = {
    "kiosk": frozenset({EventType.REGISTERED, EventType.RATED}),
    "display": frozenset(),
}
ROLE_NAMES: Final = {"counter": "接待窗口", "kiosk": "自助终端", "display": "大厅显示屏", "leader": "领导接访"}
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
    """An enrolled device, as its token proves it."""

    device_id: str
    role: str
    org_code: str = ""


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def enrol_device(hall: Hall, device_id: str, role: str, org_code: str = "") -> str:
    """Enrol (or re-enrol) a device and return its new token, the only time it is shown.

    Re-enrolling a device replaces its token: the old one stops working at once.
    """
    if role not in DEVICE_ROLES:
        raise ValueError(f"设备角色只能是 {' / '.join(DEVICE_ROLES)}，而不是“{role}”")
    if not re.fullmatch(r"[A-Za-z0-9_]{1,32}", device_id):
        raise ValueError(f"设备编号“{device_id}”无效：应为 1–32 位字母、数字或下划线（即该电脑设置中的 device_id）")
    if len(org_code) > 32:
        raise ValueError("机构编码过长（不超过32字）")
    if org_code and org_code not in load_directory():
        raise ValueError(f"机构目录中没有编码为 {org_code} 的机构")
    token = secrets.token_urlsafe(32)
    with hall.transaction() as session:
        session.execute(delete(SyncDeviceRow).where(SyncDeviceRow.device_id == device_id))
        session.add(SyncDeviceRow(device_id=device_id, role=role, org_code=org_code, token_hash=token_hash(token),
                                  enrolled_at=hall.now().isoformat(timespec="seconds")))
    return token


def authenticate(hall: Hall, token: str) -> Device | None:
    """The device a bearer token belongs to, or ``None``."""
    if not token or len(token) > 200:
        return None
    wanted = token_hash(token)
    with hall.sessions() as session:
        row = session.scalar(select(SyncDeviceRow).where(SyncDeviceRow.token_hash == wanted))
    if row is None or not hmac.compare_digest(row.token_hash, wanted):
        return None
    return Device(row.device_id, row.role, row.org_code)


class SyncServer:
    """Push and pull over the server hall's event store.

    ``on_stored`` is called inside a push's transaction after its events are written and
    before it commits (tests hold a push open there to show that pulls cannot overtake it).
    """

    def __init__(self, hall: Hall, *, on_stored: Callable[[], None] | None = None) -> None:
        self.hall = hall
        self.on_stored = on_stored

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
        ids = list(dict.fromkeys(e.event_id for e in domain))
        with conflicts_refused(), self.hall.transaction() as session:
            if session.get_bind().dialect.name == "postgresql":
                session.execute(text(PUSH_LOCK_SQL))
            before = session.scalar(select(func.max(EventRow.seq))) or 0
            append_events(session, domain, self.hall.policy)
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
            rows = list(session.scalars(select(EventRow).where(EventRow.seq > since)
                                        .order_by(EventRow.seq).limit(limit)))
            hidden = self._hidden_cases(session, device, {r.case_id for r in rows})
        # straight from the stored rows (already checked when they were pushed): no second validation
        events = [PulledEvent.model_construct(seq=r.seq, event_id=r.event_id, case_id=r.case_id,
                                              device_id=r.device_id, author=r.author, hlc=r.hlc, type=r.type,
                                              payload=json.loads(r.payload), schema_version=r.schema_version)
                  for r in rows if r.case_id not in hidden]
        next_cursor = rows[-1].seq if rows else since
        return PullResponse(events=events, next_cursor=next_cursor, more=len(rows) == limit)

    def _hidden_cases(self, session: Session, device: Device, case_ids: set[str]) -> set[str]:
        """Cases of this page the device may not hold: all for a hall display, accusations against its organisation."""
        if device.role == "display":  # shows the queue only: no case data on a screen anyone can walk up to
            return case_ids
        if not device.org_code or not case_ids:
            return set()
        directory = load_directory()
        hidden: set[str] = set()
        ids = sorted(case_ids)
        for start in range(0, len(ids), 500):
            rows = session.execute(select(CaseRow.case_id, CaseRow.nature, CaseRow.accused_org_codes)
                                   .where(CaseRow.case_id.in_(ids[start:start + 500]))
                                   .where(CaseRow.accused_org_codes != "[]"))
            for case_id, nature, accused in rows:
                view = CaseView(case_id=case_id, nature=nature, accused_org_codes=tuple(json.loads(accused)))
                if not may_disclose_to(view, device.org_code, directory):
                    hidden.add(case_id)
        return hidden


def _local_time(event: Event) -> str:
    return datetime.fromtimestamp(Hlc.parse(event.hlc).wall_ms / 1000).isoformat(sep=" ", timespec="minutes")


def _seqs_of(session: Session, ids: Sequence[str]) -> dict[str, int]:
    seqs: dict[str, int] = {}
    for start in range(0, len(ids), 500):
        for event_id, seq in session.execute(select(EventRow.event_id, EventRow.seq)
                                             .where(EventRow.event_id.in_(ids[start:start + 500]))):
            seqs[event_id] = seq
    return seqs
