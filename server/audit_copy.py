"""The server keeps a copy of every device's audit log: append-only, one hash chain per device.

A device sends its entries in ``seq`` order after each sync (``POST /sync/audit``). They are
stored under the device the token belongs to — never under what an entry says — so no
device can write into another's chain. Each entry must continue the chain the server holds
for that device: the next ``seq``, and ``prev_hash`` equal to the hash of the entry before
(a device's first upload may start after entries it archived). An entry the server already
holds is accepted again only unchanged, field for field: an entry rewritten on the device after it went up is
refused and named, which is how the copy reveals tampering. The server cannot recompute the
hashes (they are keyed with the device's audit key, which never leaves it); with that key,
``verify_chain`` checks the copy exactly as the device checks its own log. The table refuses
every UPDATE and DELETE (triggers of migration 0018).

**Relayed copies.** A hall server holds the copies of its own devices' logs and passes them on
to the centre (``POST /sync/audit/relay``, :mod:`server.audit_relay`). The centre takes them only
from a device enrolled as ``hall`` and files each under the chain (``relayed_by`` = that hall's
device id, ``device_id`` = the device the hall server vouches for): one hall cannot write into
another hall's chains nor into a device's own, whatever the entries say, and two halls' devices
with the same id never share a chain. The rules are those of a device's own push, and a refused
batch names the device in words and stores nothing. The chain key is a column of its own
(migration 0026) rather than a composite id in ``device_id``: the two ids stay what they are,
each as long as an id may be, queried and shown apart, with nothing to parse or escape.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, func, insert, or_, select
from sqlalchemy.orm import Session

from db.models import DeviceAuditRow, RelayedDeviceRow, SyncDeviceRow
from desktop.domain.access import Actor, Permission, require
from desktop.domain.audit import GENESIS, AuditEntry
from desktop.domain.events import canonical_json
from desktop.domain.roles import device_kind
from desktop.services.context import Hall
from server.protocol import AuditPushResponse, AuditUpEntry, RelayedDevice, SyncProblem, conflicts_refused
from server.store import DEVICE_ROLES, Device

MAX_DETAIL_CHARS = 20_000
NOT_A_HALL = ("只有大厅服务器（以 hall 角色登记的设备）可以转交其他设备的审计记录；本设备登记为{kind}，"
              "请用本设备自己的审计上传（/sync/audit）")


@dataclass(frozen=True)
class Chain:
    """Whose chain: a device's own (``relayed_by`` "") or one a hall server relays (its device id at the centre)."""

    device_id: str
    relayed_by: str = ""


def device_words(role: str, device_code: str = "", place: str = "") -> str:
    """``自助终端 K01（一楼大厅入口）``: a device as a person names it, never by its id."""
    kind = device_kind(role, device_code)
    return f"{kind}（{place}）" if place else kind


def _check_text(entry: AuditUpEntry) -> None:
    for name in ("at", "device", "actor_id", "actor_name", "action", "target"):
        if "\x00" in getattr(entry, name):  # kept as the device wrote it, except what no database column holds
            raise SyncProblem("refused", f"第{entry.seq}条审计记录的“{name}”含有空字符（NUL）")
    if len(canonical_json(entry.detail)) > MAX_DETAIL_CHARS:
        raise SyncProblem("refused", f"第{entry.seq}条审计记录的“detail”过长（不超过{MAX_DETAIL_CHARS}字）")


def _row(chain: Chain, entry: AuditUpEntry, received_at: str) -> dict[str, object]:
    return {"relayed_by": chain.relayed_by, "device_id": chain.device_id, "seq": entry.seq, "at": entry.at,
            "device": entry.device, "actor_id": entry.actor_id, "actor_name": entry.actor_name,
            "action": entry.action, "target": entry.target, "detail": canonical_json(entry.detail),
            "prev_hash": entry.prev_hash, "entry_hash": entry.entry_hash, "received_at": received_at}


def _content(row: DeviceAuditRow | dict[str, object]) -> tuple[object, ...]:
    """Every field the device hashed (not when the server received it)."""
    get = row.get if isinstance(row, dict) else lambda name: getattr(row, name)
    return tuple(get(name) for name in ("seq", "at", "device", "actor_id", "actor_name", "action", "target",
                                         "detail", "prev_hash", "entry_hash"))


def _of(chain: Chain) -> ColumnElement[bool]:
    return and_(DeviceAuditRow.relayed_by == chain.relayed_by, DeviceAuditRow.device_id == chain.device_id)


def store_audit(hall: Hall, device: Device, entries: Sequence[AuditUpEntry]) -> AuditPushResponse:
    """Append ``entries`` to ``device``'s copy; refuses (nothing stored) anything that does not continue it."""
    return _append(hall, Chain(device.device_id), entries, "本机的审计日志在上传后被修改过")


def require_hall(via: Device) -> None:
    """Only a device enrolled as ``hall`` relays other devices' audit entries."""
    if via.role != "hall":
        raise SyncProblem("refused", NOT_A_HALL.format(kind=device_kind(via.role, via.device_code)))


def relay_audit(hall: Hall, via: Device, origin: RelayedDevice, entries: Sequence[AuditUpEntry]) -> AuditPushResponse:
    """Append a hall's device's ``entries`` to the chain ``via`` relays for it; only a ``hall`` device may.

    Refused (nothing stored, the device named in words) by the same rules as a device's own push.
    """
    require_hall(via)
    if origin.role not in (*DEVICE_ROLES, ""):
        raise SyncProblem("refused", f"所转交设备的角色（role）只能是 {' / '.join(DEVICE_ROLES)}，"
                                     f"而不是“{origin.role}”")
    if not (origin.place.isprintable() and origin.device_code.isprintable()):
        raise SyncProblem("refused", "所转交设备的位置（place）或本机编码（device_code）含有控制字符")
    words = device_words(origin.role, origin.device_code, origin.place)
    chain = Chain(origin.device_id, via.device_id)

    def describe(session: Session, stamp: str) -> None:
        row = session.get(RelayedDeviceRow, (chain.relayed_by, chain.device_id))
        if row is None:
            session.add(RelayedDeviceRow(relayed_by=chain.relayed_by, device_id=chain.device_id, role=origin.role,
                                         device_code=origin.device_code, place=origin.place, updated_at=stamp))
        elif (row.role, row.device_code, row.place) != (origin.role, origin.device_code, origin.place):
            row.role, row.device_code, row.place, row.updated_at = (origin.role, origin.device_code, origin.place,
                                                                    stamp)

    try:
        return _append(hall, chain, entries, "该设备的审计日志（或大厅服务器保存的副本）在上传后被修改过", describe)
    except SyncProblem as problem:
        raise SyncProblem(problem.kind, f"{words}：{problem.message}") from None


def _append(hall: Hall, chain: Chain, entries: Sequence[AuditUpEntry], changed: str,
            also: Callable[[Session, str], None] | None = None) -> AuditPushResponse:
    """Append ``entries`` to ``chain`` in one transaction (with ``also``), or refuse them all."""
    for entry in entries:
        _check_text(entry)
    ordered = sorted(entries, key=lambda e: e.seq)
    if len({e.seq for e in ordered}) != len(ordered):
        raise SyncProblem("refused", "审计记录中有重复的序号（seq）")
    received = hall.now().isoformat(timespec="seconds")
    with conflicts_refused(), hall.transaction() as session:
        held = {r.seq: _content(r) for r in session.scalars(
            select(DeviceAuditRow).where(_of(chain))
            .where(DeviceAuditRow.seq.in_([e.seq for e in ordered])))} if ordered else {}
        last = session.execute(select(DeviceAuditRow.seq, DeviceAuditRow.entry_hash).where(_of(chain))
                               .order_by(DeviceAuditRow.seq.desc()).limit(1)).first()
        last_seq, last_hash = (last[0], last[1]) if last is not None else (0, "")
        new: list[dict[str, object]] = []
        for entry in ordered:
            if entry.seq in held:
                if held[entry.seq] != _content(_row(chain, entry, "")):
                    raise SyncProblem("refused", f"第{entry.seq}条审计记录（{_when(entry.at)} {entry.action}）与服务器"
                                                 f"保存的副本不一致：{changed}。请联系督查人员核查")
                continue
            if entry.seq <= last_seq:
                raise SyncProblem("refused", f"第{entry.seq}条审计记录早于服务器已有的记录，却不在服务器的副本中")
            if last_seq == 0 and not new:  # a first upload: from the chain's start, or after archived entries
                if entry.seq == 1 and entry.prev_hash != GENESIS:
                    raise SyncProblem("refused", "第1条审计记录的“prev_hash”不是审计链的起点")
            elif entry.seq != last_seq + 1:
                raise SyncProblem("refused", f"缺少第{last_seq + 1}条审计记录：审计记录须按顺序连续上传")
            elif entry.prev_hash != last_hash:
                raise SyncProblem("refused", f"第{entry.seq}条审计记录与前一条的链接（prev_hash）不符")
            new.append(_row(chain, entry, received))
            last_seq, last_hash = entry.seq, entry.entry_hash
        if new:
            session.execute(insert(DeviceAuditRow), new)
        if also is not None:
            also(session, received)
    return AuditPushResponse(stored=len(new), last_seq=last_seq)


def device_chain(hall: Hall, device_id: str, relayed_by: str = "") -> list[AuditEntry]:
    """The copy of one device's audit log, in ``seq`` order (verify it with ``verify_chain`` and its key).

    ``relayed_by``: the hall server's device id, for a chain it relays; "" for a device's own.
    """
    with hall.sessions() as session:
        rows = list(session.scalars(select(DeviceAuditRow).where(_of(Chain(device_id, relayed_by)))
                                    .order_by(DeviceAuditRow.seq)))
    return [_entry(r) for r in rows]


def _entry(r: DeviceAuditRow) -> AuditEntry:
    return AuditEntry(seq=r.seq, at=r.at, device=r.device, actor_id=r.actor_id, actor_name=r.actor_name,
                      action=r.action, target=r.target, detail=json.loads(r.detail), prev_hash=r.prev_hash,
                      entry_hash=r.entry_hash)


@dataclass(frozen=True)
class AuditCopy:
    """One chain the server holds, for a supervisor: whose, where, how far, in words."""

    device: str  # 自助终端 K01（一楼大厅入口）
    hall: str  # the hall it stands in: 东城区接待大厅; for a relayed chain, the hall server it came through
    relayed: bool  # came through a hall server
    entries: int
    first_seq: int
    last_seq: int
    last_at: str  # the newest entry's time, as the device wrote it (YYYY-MM-DD HH:MM)
    last_action: str  # what the newest entry records: 打印, 登录 …
    received_at: str  # when the newest entry arrived here (YYYY-MM-DD HH:MM)
    device_id: str  # the chain's key, for ``device_chain`` (never shown)
    relayed_by: str


def _when(stamp: str) -> str:
    return stamp[:16].replace("T", " ")


def audit_copies(hall: Hall, actor: Actor) -> list[AuditCopy]:
    """Every audit chain the server holds a copy of, each device and hall named in words; by hall, then device."""
    require(actor, Permission.VERIFY_AUDIT, "查看设备审计副本")
    from server.enrolment import device_places, hall_names

    places, hall_name = device_places(hall), hall_names(hall)
    newest = select(DeviceAuditRow.relayed_by, DeviceAuditRow.device_id, func.count().label("entries"),
                    func.min(DeviceAuditRow.seq).label("first"), func.max(DeviceAuditRow.seq).label("last"),
                    func.max(DeviceAuditRow.received_at).label("received")) \
        .group_by(DeviceAuditRow.relayed_by, DeviceAuditRow.device_id)
    with hall.sessions() as session:
        chains = list(session.execute(newest))
        enrolled = {r.device_id: r for r in session.scalars(select(SyncDeviceRow))}
        relayed = {(r.relayed_by, r.device_id): r for r in session.scalars(select(RelayedDeviceRow))}
        newest_of = {(r.relayed_by, r.device_id, r.seq): (r.at, r.action) for r in session.execute(
            select(DeviceAuditRow.relayed_by, DeviceAuditRow.device_id, DeviceAuditRow.seq, DeviceAuditRow.at,
                   DeviceAuditRow.action)
            .where(DeviceAuditRow.seq.in_([c.last for c in chains])))} if chains else {}

    def hall_of(row: SyncDeviceRow | None) -> str:
        return (hall_name(row.hall_code) or row.hall_code) if row is not None else ""

    def server_words(device_id: str) -> str:
        row = enrolled.get(device_id)
        where = hall_of(row) or places.get(device_id, "")
        return f"大厅服务器（{where}）" if where else "大厅服务器"

    found = []
    for c in chains:
        if c.relayed_by:
            described = relayed.get((c.relayed_by, c.device_id))
            device = device_words(described.role, described.device_code, described.place) if described else \
                "其他设备"
            where = f"经{server_words(c.relayed_by)}转来"
        else:
            row = enrolled.get(c.device_id)
            device = device_words(row.role, row.device_code, places.get(c.device_id, "")) if row else \
                "已不在登记中的设备"
            where = hall_of(row)
        last_at, last_action = newest_of.get((c.relayed_by, c.device_id, c.last), ("", ""))
        found.append(AuditCopy(device=device, hall=where, relayed=bool(c.relayed_by), entries=int(c.entries),
                               first_seq=int(c.first), last_seq=int(c.last), last_at=_when(last_at),
                               last_action=last_action, received_at=_when(c.received), device_id=c.device_id,
                               relayed_by=c.relayed_by))
    return sorted(found, key=lambda a: (a.relayed, a.hall, a.device, a.device_id, a.relayed_by))


PAGE_SIZE = 100
MAX_BREAKS = 20


@dataclass(frozen=True)
class Continuity:
    """Whether a copy continues without a gap: each entry's ``seq`` the one after the entry before, and its
    ``prev_hash`` that entry's hash (from the chain's start, or from after what the device had archived).

    What the server can check without the device's key: not whether an entry's own hash is right.
    """

    first_seq: int
    last_seq: int
    entries: int
    breaks: tuple[str, ...]  # in words, the first ``MAX_BREAKS``
    more_breaks: int  # how many more there are

    @property
    def ok(self) -> bool:
        return not self.breaks

    def summary(self) -> str:
        if not self.entries:
            return "服务器上没有这台设备的审计记录"
        if self.breaks:
            more = f"，另有 {self.more_breaks} 处未列出" if self.more_breaks else ""
            return (f"副本不连续（{len(self.breaks) + self.more_breaks} 处{more}）：" + "；".join(self.breaks)
                    + "。服务器的副本只增不改，出现断口说明数据库被绕过改动过，请联系督查人员核查")
        archived = (f"；第1–{self.first_seq - 1}条在开始上传之前已在设备上归档，服务器没有副本"
                    if self.first_seq > 1 else "")
        return (f"第{self.first_seq}–{self.last_seq}条连续，共{self.entries}条：序号前后相接，"
                f"每条记下的前一条哈希与前一条相符{archived}")


@dataclass(frozen=True)
class CopiedEntry:
    entry: AuditEntry
    received_at: str  # when it arrived here (YYYY-MM-DD HH:MM)


@dataclass(frozen=True)
class CopyPage:
    """One page of a device's copy, newest first, and whether the whole copy continues without a gap."""

    entries: list[CopiedEntry]
    page: int
    pages: int
    continuity: Continuity


def _break_words(seq: int, before: int | None) -> str:
    if before is None:
        return "第1条记下的前一条哈希（prev_hash）不是审计链的起点"
    if seq > before + 1:
        missing = f"第{before + 1}条" if seq == before + 2 else f"第{before + 1}–{seq - 1}条"
        return f"缺少{missing}（第{before}条之后接着第{seq}条）"
    return f"第{seq}条与第{before}条接不上：记下的前一条哈希（prev_hash）与第{before}条的哈希不符"


def _continuity(session: Session, chain: Chain) -> Continuity:
    """The breaks of ``chain``, found in SQL: one pass over the chain in ``seq`` order, each entry beside the one
    before (a copy is continuous but where someone went round the append-only table: all its breaks are few)."""
    before_seq = func.lag(DeviceAuditRow.seq).over(order_by=DeviceAuditRow.seq)
    before_hash = func.lag(DeviceAuditRow.entry_hash).over(order_by=DeviceAuditRow.seq)
    links = select(DeviceAuditRow.seq, DeviceAuditRow.prev_hash, before_seq.label("before_seq"),
                   before_hash.label("before_hash")).where(_of(chain)).subquery()
    broken = or_(and_(links.c.before_seq.is_(None), links.c.seq == 1, links.c.prev_hash != GENESIS),
                 links.c.seq != links.c.before_seq + 1, links.c.prev_hash != links.c.before_hash)
    entries, first, last = session.execute(select(func.count(), func.min(DeviceAuditRow.seq),
                                                  func.max(DeviceAuditRow.seq)).where(_of(chain))).one()
    found = session.execute(select(links.c.seq, links.c.before_seq).where(broken).order_by(links.c.seq)).all()
    return Continuity(first_seq=int(first or 0), last_seq=int(last or 0), entries=int(entries),
                      breaks=tuple(_break_words(r.seq, r.before_seq) for r in found[:MAX_BREAKS]),
                      more_breaks=max(len(found) - MAX_BREAKS, 0))


def copy_page(hall: Hall, actor: Actor, device_id: str, relayed_by: str = "", page: int = 1) -> CopyPage | None:
    """Page ``page`` (from 1) of one device's copy, ``PAGE_SIZE`` entries newest first, with its continuity;
    ``None`` when the server holds no copy under that chain. A page past the end gives the last."""
    require(actor, Permission.VERIFY_AUDIT, "查看设备审计副本")
    chain = Chain(device_id, relayed_by)
    with hall.sessions() as session:
        continuity = _continuity(session, chain)
        if not continuity.entries:
            return None
        pages = -(-continuity.entries // PAGE_SIZE)
        page = min(max(page, 1), pages)
        rows = list(session.scalars(select(DeviceAuditRow).where(_of(chain)).order_by(DeviceAuditRow.seq.desc())
                                    .offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)))
    return CopyPage([CopiedEntry(_entry(r), _when(r.received_at)) for r in rows], page, pages, continuity)
