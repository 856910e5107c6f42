"""A hall server passes its devices' audit copies up to the centre, after each upstream sync.

The hall's kiosks and counters send their audit entries to the hall server (``POST /sync/audit``),
which keeps one chain per device (:mod:`server.audit_copy`). Without this, the copies would stop
there: the centre's supervisors would never see what was done at the hall's devices, and a hall
PC that dies would take the only copy with it. So, after each sync with the centre, the hall
server sends every device's entries the centre has no copy of yet, oldest first, in batches of
``RELAY_BATCH`` (``POST /sync/audit/relay``), each with how the device is enrolled here (kind,
kiosk number, place) so the centre names it in words.

Each device has its own cursor (``sync_state`` row ``audit-relay:<device id>``, like the device's
``audit-upstream``), moved in a transaction of its own after each batch the centre confirmed: an
interrupted relay, or a restarted hall server, resumes after the last confirmed batch; a lost
answer only means the batch goes again (the centre takes an entry it holds again when unchanged).

A refusal concerns one device's chain: it is logged in words (which device, why) for the hall
server's operator, the other devices' copies still go up, and the events never wait for it
(they went up before). Without a network or a valid token, the rest wait for the next sync.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import select

from db.models import DeviceAuditRow, SyncDeviceRow, SyncStateRow
from desktop.services.context import Hall
from server.audit_copy import device_words
from server.enrolment import device_places
from server.protocol import MAX_AUDIT_ENTRIES, AuditPushResponse, AuditUpEntry, RelayedDevice, SyncProblem

log = logging.getLogger(__name__)
RELAY_STATE = "audit-relay:"
RELAY_BATCH = 500


class RelayTransport(Protocol):
    """The centre, as the hall server's relay sees it (``HttpTransport`` with the hall's token)."""

    def relay_audit(self, device: RelayedDevice, entries: list[AuditUpEntry]) -> AuditPushResponse: ...


@dataclass(frozen=True)
class RelayReport:
    sent: int  # entries sent and confirmed in this run
    stored: int  # of them, new to the centre
    problems: tuple[str, ...] = ()  # one line in words per device whose copy did not (all) go up


def relayed_devices(hall: Hall) -> list[RelayedDevice]:
    """The devices whose audit copies this server keeps (their own pushes), as enrolled here."""
    places = device_places(hall)
    with hall.sessions() as session:
        ids = list(session.scalars(select(DeviceAuditRow.device_id).where(DeviceAuditRow.relayed_by == "")
                                   .distinct().order_by(DeviceAuditRow.device_id)))
        enrolled = {r.device_id: r for r in session.scalars(select(SyncDeviceRow)
                                                            .where(SyncDeviceRow.device_id.in_(ids)))}
    return [RelayedDevice(device_id=i, role=enrolled[i].role if i in enrolled else "",
                          device_code=enrolled[i].device_code if i in enrolled else "",
                          place=places.get(i, "")[:24]) for i in ids]


def _cursor(hall: Hall, device_id: str) -> int:
    with hall.sessions() as session:
        row = session.get(SyncStateRow, RELAY_STATE + device_id)
        return row.cursor if row is not None else 0


def _move_cursor(hall: Hall, device_id: str, seq: int) -> None:
    with hall.transaction() as session:
        row = session.get(SyncStateRow, RELAY_STATE + device_id)
        if row is None:
            session.add(SyncStateRow(name=RELAY_STATE + device_id, cursor=seq, last_success_at="",
                                     last_attempt_at="", last_error=""))
        else:
            row.cursor = seq


def _relay_device(hall: Hall, transport: RelayTransport, device: RelayedDevice,
                  batch: int) -> Iterator[tuple[int, int]]:
    """Send ``device``'s entries past its cursor, batch by batch; each confirmed batch's (sent, new to the centre)."""
    while True:
        cursor = _cursor(hall, device.device_id)
        with hall.sessions() as session:
            rows = list(session.scalars(select(DeviceAuditRow).where(DeviceAuditRow.relayed_by == "")
                                        .where(DeviceAuditRow.device_id == device.device_id)
                                        .where(DeviceAuditRow.seq > cursor)
                                        .order_by(DeviceAuditRow.seq).limit(batch)))
        if not rows:
            return
        answer = transport.relay_audit(device, [AuditUpEntry(
            seq=r.seq, at=r.at, device=r.device, actor_id=r.actor_id, actor_name=r.actor_name, action=r.action,
            target=r.target, detail=json.loads(r.detail), prev_hash=r.prev_hash, entry_hash=r.entry_hash)
            for r in rows])
        if answer.last_seq < rows[-1].seq:
            raise SyncProblem("server_error", "中心服务器没有确认收到这些审计记录，下次同步时重发")
        _move_cursor(hall, device.device_id, rows[-1].seq)
        yield len(rows), answer.stored


def relay_audit_copies(hall: Hall, transport: RelayTransport, *, batch: int = RELAY_BATCH) -> RelayReport:
    """Send every device's audit entries the centre has no copy of yet; each problem logged in words.

    A refusal of a device's chain stops that chain only (at the refused batch; the batches before
    it stay confirmed); any other problem (no network, the token refused or not a hall's, the
    centre failing) stops the relay until the next sync. Never raises :class:`SyncProblem`.
    """
    batch = max(1, min(batch, MAX_AUDIT_ENTRIES))
    sent = stored = 0
    problems: list[str] = []
    for device in relayed_devices(hall):
        words = device_words(device.role, device.device_code, device.place)
        try:
            for done, new in _relay_device(hall, transport, device, batch):
                sent, stored = sent + done, stored + new
        except SyncProblem as problem:
            named = words in problem.message  # the centre names the device whose chain it refuses
            line = problem.message[problem.message.index(words):] if named else f"{words}：{problem.message}"
            problems.append(line)
            if problem.kind != "refused" or not named:
                log.warning("设备审计记录未能转交中心服务器，下次同步时继续：%s", line)
                break
            log.warning("中心服务器拒收本大厅一台设备的审计记录（其余设备照常转交，案件数据不受影响）：%s", line)
    return RelayReport(sent=sent, stored=stored, problems=tuple(problems))
