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
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from sqlalchemy import insert, select

from db.models import DeviceAuditRow
from desktop.domain.audit import GENESIS, AuditEntry
from desktop.domain.events import canonical_json
from desktop.services.context import Hall
from server.protocol import AuditPushResponse, AuditUpEntry, SyncProblem, conflicts_refused
from server.store import Device

MAX_DETAIL_CHARS = 20_000


def _check_text(entry: AuditUpEntry) -> None:
    for name in ("at", "device", "actor_id", "actor_name", "action", "target"):
        if "\x00" in getattr(entry, name):  # kept as the device wrote it, except what no database column holds
            raise SyncProblem("refused", f"第{entry.seq}条审计记录的“{name}”含有空字符（NUL）")
    if len(canonical_json(entry.detail)) > MAX_DETAIL_CHARS:
        raise SyncProblem("refused", f"第{entry.seq}条审计记录的“detail”过长（不超过{MAX_DETAIL_CHARS}字）")


def _row(device: Device, entry: AuditUpEntry, received_at: str) -> dict[str, object]:
    return {"device_id": device.device_id, "seq": entry.seq, "at": entry.at, "device": entry.device,
            "actor_id": entry.actor_id, "actor_name": entry.actor_name, "action": entry.action,
            "target": entry.target, "detail": canonical_json(entry.detail), "prev_hash": entry.prev_hash,
            "entry_hash": entry.entry_hash, "received_at": received_at}


def _content(row: DeviceAuditRow | dict[str, object]) -> tuple[object, ...]:
    """Every field the device hashed (not when the server received it)."""
    get = row.get if isinstance(row, dict) else lambda name: getattr(row, name)
    return tuple(get(name) for name in ("seq", "at", "device", "actor_id", "actor_name", "action", "target",
                                         "detail", "prev_hash", "entry_hash"))


def store_audit(hall: Hall, device: Device, entries: Sequence[AuditUpEntry]) -> AuditPushResponse:
    """Append ``entries`` to ``device``'s copy; refuses (nothing stored) anything that does not continue it."""
    for entry in entries:
        _check_text(entry)
    ordered = sorted(entries, key=lambda e: e.seq)
    if len({e.seq for e in ordered}) != len(ordered):
        raise SyncProblem("refused", "审计记录中有重复的序号（seq）")
    received = hall.now().isoformat(timespec="seconds")
    with conflicts_refused(), hall.transaction() as session:
        held = {r.seq: _content(r) for r in session.scalars(
            select(DeviceAuditRow).where(DeviceAuditRow.device_id == device.device_id)
            .where(DeviceAuditRow.seq.in_([e.seq for e in ordered])))} if ordered else {}
        last = session.execute(select(DeviceAuditRow.seq, DeviceAuditRow.entry_hash)
                               .where(DeviceAuditRow.device_id == device.device_id)
                               .order_by(DeviceAuditRow.seq.desc()).limit(1)).first()
        last_seq, last_hash = (last[0], last[1]) if last is not None else (0, "")
        new: list[dict[str, object]] = []
        for entry in ordered:
            if entry.seq in held:
                if held[entry.seq] != _content(_row(device, entry, "")):
                    raise SyncProblem("refused", f"第{entry.seq}条审计记录（{entry.at[:19]} {entry.action}）与服务器"
                                                 "保存的副本不一致：本机的审计日志在上传后被修改过。请联系督查人员核查")
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
            new.append(_row(device, entry, received))
            last_seq, last_hash = entry.seq, entry.entry_hash
        if new:
            session.execute(insert(DeviceAuditRow), new)
    return AuditPushResponse(stored=len(new), last_seq=last_seq)


def device_chain(hall: Hall, device_id: str) -> list[AuditEntry]:
    """The copy of one device's audit log, in ``seq`` order (verify it with ``verify_chain`` and its key)."""
    with hall.sessions() as session:
        rows = list(session.scalars(select(DeviceAuditRow).where(DeviceAuditRow.device_id == device_id)
                                    .order_by(DeviceAuditRow.seq)))
    return [AuditEntry(seq=r.seq, at=r.at, device=r.device, actor_id=r.actor_id, actor_name=r.actor_name,
                       action=r.action, target=r.target, detail=json.loads(r.detail), prev_hash=r.prev_hash,
                       entry_hash=r.entry_hash) for r in rows]
