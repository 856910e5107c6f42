"""The device's sync: push the outbox, pull pages since the stored cursor, remember how it went.

* **Outbox** = local events with ``server_seq IS NULL``. They go up in batches; the answer
  gives each its server sequence, written back in one transaction. A lost answer only
  means the batch goes up again, and the server answers the ids it already has.
* **Pull**: each page is applied with ``append_events`` (idempotent by event id, with the
  projections refreshed as for local decisions) and the cursor is stored in the *same*
  transaction, so a crash leaves both or neither; a page applied twice changes nothing.
* **Materials** (the files the events name) go up after the events, each file once, only those
  the server lacks and asks for (:mod:`desktop.sync.materials`).
* A page holding an event this program cannot read (a newer payload version, an unknown
  kind) is refused as a whole: nothing of it is stored and the cursor stays where it was.
"""

from __future__ import annotations

import contextlib
import json
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Table, bindparam, func, select, update
from sqlalchemy.orm import Session

from db.models import AuditRow, EventRow, SyncStateRow
from desktop.domain.hlc import Hlc
from desktop.services.context import Hall
from desktop.services.store import append_events, row_to_event
from desktop.sync.materials import push_materials
from desktop.sync.transport import Transport
from server.protocol import (
    MAX_PULL_LIMIT,
    MAX_PUSH_EVENTS,
    AuditUpEntry,
    PullResponse,
    SyncProblem,
    WireEvent,
    conflicts_refused,
)

STATE = "upstream"
#: The ``sync_state`` row whose cursor is the newest audit entry the server holds a copy of.
AUDIT_STATE = "audit-upstream"
PUSH_BATCH = 500
AUDIT_BATCH = 500
#: Events applied in one transaction when pages follow each other (a catch-up): 20,000 make five
#: commits per 100,000 events and hold the database for a few seconds each at most.
APPLY_BATCH = 20_000
PULL_LIMIT = MAX_PULL_LIMIT  # pages of 5,000: fewer, larger transactions (a catch-up commits 20 times per 100,000)


@dataclass(frozen=True)
class SyncReport:
    pushed: int  # outbox events the server acknowledged in this run
    pulled: int  # events new to this device
    cursor: int  # the server sequence pulled up to
    pending: int  # events still in the outbox
    #: How far this device's events ran ahead of the server's clock (0: not noticeably): the clock
    #: is or was wrong. The events were stored all the same; the user should correct the clock.
    clock_ahead_ms: int = 0
    audit_pushed: int = 0  # audit entries the server took a copy of
    materials_pushed: int = 0  # files (materials) sent to the server

    @property
    def clock_warning(self) -> str:
        if not self.clock_ahead_ms:
            return ""
        hours = self.clock_ahead_ms / 3_600_000
        ahead = f"{hours / 24:.1f} 天" if hours >= 48 else f"{hours:.1f} 小时" if hours >= 1 else \
            f"{self.clock_ahead_ms // 60_000} 分钟"
        return (f"本机上传的记录时间比服务器超前约 {ahead}：本机的日期或时间设置有误（或曾经有误）。"
                "这些记录已照常保存，服务器已记下此情况供督查人员核对；请校准本机的日期、时间和时区")


@dataclass(frozen=True)
class SyncStatus:
    """What the status line shows: what waits to go up, and how the last attempt went."""

    pending: int
    cursor: int
    last_success_at: str  # "" before the first successful sync
    last_attempt_at: str
    last_error: str  # "" when the last attempt succeeded; otherwise 网络未连接 / 服务器拒绝 / 设备未注册 …


def pending_count(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(EventRow).where(EventRow.server_seq.is_(None))) or 0)


def _state(session: Session, name: str = STATE) -> SyncStateRow:
    row = session.get(SyncStateRow, name)
    if row is None:
        row = SyncStateRow(name=name, cursor=0, last_success_at="", last_attempt_at="", last_error="")
        session.add(row)
    return row


def sync_status(hall: Hall) -> SyncStatus:
    """The status without a server at hand (the status line, ``sync-status``)."""
    with hall.sessions() as session:
        row = session.get(SyncStateRow, STATE)
        pending = pending_count(session)
    if row is None:
        return SyncStatus(pending=pending, cursor=0, last_success_at="", last_attempt_at="", last_error="")
    return SyncStatus(pending=pending, cursor=row.cursor, last_success_at=row.last_success_at,
                      last_attempt_at=row.last_attempt_at, last_error=row.last_error)


_EVENTS = cast(Table, EventRow.__table__)
_SET_SERVER_SEQ = update(_EVENTS).where(_EVENTS.c.event_id == bindparam("_id")).values(server_seq=bindparam("_seq"))


def _set_server_seqs(session: Session, seqs: list[dict[str, Any]]) -> None:
    if seqs:
        session.connection().execute(_SET_SERVER_SEQ, seqs)


class SyncClient:
    """Sync of one device's database with one server through ``transport``."""

    def __init__(self, hall: Hall, transport: Transport, *, push_batch: int = PUSH_BATCH,
                 pull_limit: int = PULL_LIMIT, apply_batch: int = APPLY_BATCH) -> None:
        self.hall = hall
        self.transport = transport
        self.push_batch = max(1, min(push_batch, MAX_PUSH_EVENTS))
        self.pull_limit = max(1, min(pull_limit, MAX_PULL_LIMIT))
        self.apply_batch = max(1, apply_batch)
        self.clock_ahead_ms = 0

    def sync_once(self) -> SyncReport:
        """Push everything waiting, then pull until the server has nothing newer.

        Raises :class:`SyncProblem` (after recording it for :meth:`status`) on the first
        failure; whatever was acknowledged or applied before it stays done.
        """
        self.clock_ahead_ms = 0
        try:
            pushed = self.push_outbox()
            materials = push_materials(self.hall, self.transport)  # right after the events that name them
            pulled = self.pull_all()
            audited = self.push_audit()  # last: a refused audit copy never holds the cases back
            unsent = materials.problem()
            if unsent is not None:  # said once everything else is done: it held nothing back
                raise unsent
        except SyncProblem as problem:
            self._finish(problem.message)
            raise
        self._finish("")
        status = self.status()
        return SyncReport(pushed=pushed, pulled=pulled, cursor=status.cursor, pending=status.pending,
                          clock_ahead_ms=self.clock_ahead_ms, audit_pushed=audited,
                          materials_pushed=materials.sent)

    def push_outbox(self) -> int:
        """Push the whole outbox in batches, the oldest first; returns how many events went up.

        Events stamped ahead of the server's clock go up like any other (the server stores and
        flags them); ``clock_ahead_ms`` keeps the furthest the server reported.
        """
        pushed = 0
        while True:
            with self.hall.sessions() as session:
                rows = list(session.scalars(select(EventRow).where(EventRow.server_seq.is_(None))
                                            .order_by(EventRow.seq).limit(self.push_batch)))
            if not rows:
                return pushed
            answer = self.transport.push([WireEvent.of(row_to_event(r)) for r in rows])
            self.clock_ahead_ms = max(self.clock_ahead_ms, answer.clock_ahead_ms)
            seqs = {a.event_id: a.seq for a in answer.assigned}
            missing = [r.event_id for r in rows if r.event_id not in seqs]
            if missing:
                raise SyncProblem("server_error", f"服务器的应答缺少 {len(missing)} 条事件的序号，本次同步已停止；"
                                                  "稍后重试即可，记录不会丢失或重复")
            with self.hall.transaction() as session:
                _set_server_seqs(session, [{"_id": r.event_id, "_seq": seqs[r.event_id]} for r in rows])
            pushed += len(rows)

    def push_audit(self) -> int:
        """Send the audit entries the server has no copy of yet, oldest first; returns how many it took.

        The cursor moves to the newest entry the server says it holds, in a transaction of its
        own after each batch; a lost answer only means the batch goes again (the server takes
        an entry it holds again when it is unchanged).
        """
        taken = 0
        while True:
            with self.hall.sessions() as session:
                row = session.get(SyncStateRow, AUDIT_STATE)
                cursor = row.cursor if row is not None else 0
                rows = list(session.scalars(select(AuditRow).where(AuditRow.seq > cursor)
                                            .order_by(AuditRow.seq).limit(AUDIT_BATCH)))
            if not rows:
                return taken
            answer = self.transport.push_audit([AuditUpEntry(
                seq=r.seq, at=r.at, device=r.device, actor_id=r.actor_id, actor_name=r.actor_name, action=r.action,
                target=r.target, detail=json.loads(r.detail), prev_hash=r.prev_hash, entry_hash=r.entry_hash)
                for r in rows])
            if answer.last_seq < rows[-1].seq:
                raise SyncProblem("server_error", "服务器没有确认收到本机的审计记录，稍后重试即可")
            with self.hall.transaction() as session:
                _state(session, AUDIT_STATE).cursor = rows[-1].seq
            taken += answer.stored

    def pull_all(self) -> int:
        """Pull and apply pages until the server has nothing newer.

        Consecutive pages are applied together, up to ``apply_batch`` events in one
        transaction (fewer, larger commits); while they are being applied the next page is
        already being fetched (its cursor is known from the page in hand), so the network
        and the database work side by side. A page is only ever applied after the one
        before it.
        """
        pulled = 0
        cursor = self.status().cursor
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="sync-pull") as fetcher:
            ahead: Future[PullResponse] = fetcher.submit(self.transport.pull, cursor, self.pull_limit)
            while True:
                pages = [self._next_page(ahead, cursor)]
                while pages[-1].more and sum(len(p.events) for p in pages) < self.apply_batch:
                    ahead = fetcher.submit(self.transport.pull, pages[-1].next_cursor, self.pull_limit)
                    pages.append(self._next_page(ahead, pages[-1].next_cursor))
                last = pages[-1]
                if last.more:
                    ahead = fetcher.submit(self.transport.pull, last.next_cursor, self.pull_limit)
                together = PullResponse.model_construct(events=[e for p in pages for e in p.events],
                                                        next_cursor=last.next_cursor, more=last.more)
                try:
                    pulled += self.apply_page(cursor, together)
                except BaseException:
                    if last.more:
                        ahead.cancel()
                        with contextlib.suppress(Exception):
                            ahead.result()  # the page fetched ahead is dropped, whatever became of it
                    raise
                cursor = last.next_cursor
                if not last.more:
                    return pulled

    @staticmethod
    def _next_page(ahead: Future[PullResponse], cursor: int) -> PullResponse:
        page = ahead.result()
        if page.next_cursor < cursor:
            raise SyncProblem("server_error",
                              f"服务器的同步序号倒退了（本机已到 {cursor}，服务器答 {page.next_cursor}）："
                              "服务器可能从旧备份恢复过，请联系管理员；本机数据未作改动")
        return page

    def apply_page(self, since: int, page: PullResponse) -> int:
        """Store one pulled page and its cursor in one transaction; returns how many events were new here."""
        events = [wire.to_event() for wire in page.events]  # refuses the whole page before storing anything
        for event in events:
            self.hall.clock.observe(Hlc.parse(event.hlc), self.hall.wall_ms())
        with conflicts_refused(), self.hall.transaction() as session:
            state = _state(session)
            if state.cursor != since:  # another sync of this database got here first
                raise SyncProblem("refused", "本机另一个同步正在进行，本次同步已停止")
            before = session.scalar(select(func.max(EventRow.seq))) or 0
            append_events(session, events, self.hall.policy, server_seqs={e.event_id: e.seq for e in page.events})
            state.cursor = page.next_cursor
            return int(session.scalar(select(func.count()).select_from(EventRow).where(EventRow.seq > before)) or 0)

    def status(self) -> SyncStatus:
        return sync_status(self.hall)

    def _finish(self, error: str) -> None:
        at = self.hall.now().isoformat(timespec="seconds")
        with self.hall.transaction() as session:
            state = _state(session)
            state.last_attempt_at = at
            state.last_error = error[:2000]
            if not error:
                state.last_success_at = at


def sync_with_server(hall: Hall, url: str, token: str, *, timeout: float = 60.0) -> SyncReport:
    """One sync of ``hall`` with the server at ``url`` over HTTP (the command line and the windows)."""
    from desktop.sync.reference import pull_reference
    from desktop.sync.transport import HttpTransport

    with HttpTransport(url, token, timeout=timeout) as transport:
        report = SyncClient(hall, transport).sync_once()
    pull_reference(hall, url, token, timeout=timeout)  # accounts and holiday schedules, when they changed
    return report
