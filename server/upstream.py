"""A hall server's upstream: the hall's events go up to the central server, everyone else's come down.

``python -m server run --db sqlite:///hall.db --upstream https://xf.example.gov.cn`` runs the
same server on a hall PC over SQLite; the hall's devices sync with it, and it syncs with
the central server as one more device, with the same protocol. It is enrolled there as a
``hall`` device: it passes on its devices' events (each already checked here and checked
again there) and receives every event and the reference data (accounts, holiday
schedules) for the hall.

Events that come down are stored as on any device; the organisations named as accused in
them are sealed here too (:func:`reseal`), so the hall's own devices never receive an
accusation against their unit, whatever a later event says.

After each sync the audit copies of the hall's devices go up too (:mod:`server.audit_relay`),
besides the hall server's own log; a refused copy is logged in words and holds nothing back.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field

from sqlalchemy import select

from db.models import EventRow
from desktop.services.context import Hall
from desktop.services.store import row_to_event
from desktop.sync.client import SyncReport, sync_with_server
from desktop.sync.transport import HttpTransport
from server.audit_relay import RelayReport, relay_audit_copies
from server.protocol import SyncProblem
from server.store import seal_events

log = logging.getLogger(__name__)
DEFAULT_INTERVAL_S = 30.0


def reseal(hall: Hall, since: int = 0) -> int:
    """Seal the accused organisations of every classification stored after local ``seq`` ``since``; the last seq."""
    with hall.transaction() as session:
        rows = list(session.scalars(select(EventRow).where(EventRow.seq > since)
                                    .where(EventRow.type == "分类").order_by(EventRow.seq)))
        seal_events(session, [row_to_event(r) for r in rows])
        last = session.scalar(select(EventRow.seq).order_by(EventRow.seq.desc()).limit(1))
    return int(last or since)


@dataclass
class Upstream:
    """The hall server's sync with its central server (one at a time; ``run`` repeats it until stopped)."""

    hall: Hall
    url: str
    token: str
    interval_s: float = DEFAULT_INTERVAL_S
    timeout_s: float = 60.0
    #: How the devices' audit copies went up after the last sync (its problems are in the log too).
    last_relay: RelayReport = field(default_factory=lambda: RelayReport(sent=0, stored=0))
    _sealed_to: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def sync_once(self) -> SyncReport:
        with self._lock:
            try:
                report = sync_with_server(self.hall, self.url, self.token, timeout=self.timeout_s)
            except SyncProblem as problem:
                if problem.kind == "refused":  # the centre is there (the hall's own audit copy refused, …):
                    self.relay_audit()  # the devices' copies go up all the same
                raise
            self._sealed_to = reseal(self.hall, self._sealed_to)
            self.relay_audit()
            return report

    def relay_audit(self) -> RelayReport:
        """The hall's devices' audit entries the centre has no copy of yet (never raises ``SyncProblem``)."""
        with HttpTransport(self.url, self.token, timeout=self.timeout_s) as transport:
            self.last_relay = relay_audit_copies(self.hall, transport)
        if self.last_relay.sent:
            log.info("已向上级服务器转交本大厅设备的审计记录 %d 条（其中新增 %d 条）", self.last_relay.sent,
                     self.last_relay.stored)
        return self.last_relay

    def run(self, stop: threading.Event) -> None:
        while True:
            try:
                report = self.sync_once()
                log.info("上级同步完成：上传 %d 条，收到 %d 条", report.pushed, report.pulled)
            except SyncProblem as problem:
                log.warning("上级同步未完成：%s", problem.message)
            if stop.wait(self.interval_s):
                return

    def start(self) -> threading.Event:
        """Sync in a background thread until the returned event is set."""
        stop = threading.Event()
        threading.Thread(target=self.run, args=(stop,), name="upstream-sync", daemon=True).start()
        return stop
