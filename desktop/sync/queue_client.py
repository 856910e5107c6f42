"""A device's link to the hall's queue authority: commands up, changes pushed down, offline on its own.

:class:`QueueClient` is what :func:`desktop.services.queue.attach_remote` hangs on a hall:

* a background thread keeps a server-sent-events stream (``/queue/events``) open from the
  mirror's cursor and applies each change to the local tables (``apply_feed``), so the
  screens read locally and refresh on ``Topic.QUEUE``; when the stream breaks it reconnects
  by itself, waiting a little longer after each failure (up to ``max_backoff``);
* commands (issue, call next, act) go to the authority, whose answer carries the changes
  since the mirror's cursor (applied at once);
* when the authority cannot be reached, the device says so (``connected`` is False, the
  screens show it) and keeps serving: numbers issued under its window's own prefix
  (``W3001``), and only those called, so no number is called twice; on reconnecting it
  first merges what it did (idempotent by ticket and call ids), then resumes the stream.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import TypeAdapter

from desktop.domain.errors import RuleViolation
from desktop.domain.queue import IssuedTicket, QueueAction, Ticket, TicketSource
from desktop.services import queue
from desktop.services.changes import Topic
from desktop.services.context import Hall
from desktop.sync.authority import AuthorityLink, Unreachable

FEED = TypeAdapter(queue.QueueFeed)
ISSUED = TypeAdapter(IssuedTicket)
TICKET = TypeAdapter(Ticket | None)

__all__ = ["QueueClient", "Unreachable", "start_queue_link"]


class QueueClient(AuthorityLink):
    """The queue authority at ``base_url`` for the device with ``token`` (this PC's ``window``, 0 for none)."""

    events_path = "/queue/events"
    name = "queue"
    topics = (Topic.QUEUE,)
    refused_code = "queue_refused"

    def __init__(self, hall: Hall, base_url: str, token: str, *, window: int = 0, timeout: float = 5.0,
                 min_backoff: float = 0.2, max_backoff: float = 10.0) -> None:
        super().__init__(hall, base_url, token, timeout=timeout, min_backoff=min_backoff, max_backoff=max_backoff)
        self.window = window

    def attach(self, attached: bool) -> None:
        queue.attach_remote(self.hall, self if attached else None)

    def cursor(self) -> int:
        return queue.mirror_cursor(self.hall)

    def apply(self, data: str) -> None:
        queue.apply_feed(self.hall, FEED.validate_json(data))

    def start(self) -> QueueClient:
        super().start()
        return self

    # -- commands -----------------------------------------------------------------------------------

    def _command(self, path: str, body: dict[str, Any], adapter: TypeAdapter[Any]) -> Any:
        # what this device did while the server did not answer goes up first: a 办结 recorded here after a timed-out
        # request left the window's number open on the server, which then refused the next 叫号 (还没有办结)
        self.merge_pending()
        answer = self.post(path, body | {"since": queue.mirror_cursor(self.hall)})
        if answer.get("feed") is not None:
            queue.apply_feed(self.hall, FEED.validate_python(answer["feed"]))
        return adapter.validate_python(answer["result"])

    def merge_pending(self) -> int:
        """Send what this device did offline; returns how many tickets and calls went up."""
        with self._merge_lock:
            tickets, calls = queue.pending_changes(self.hall)
            if not tickets and not calls:
                return 0
            plain = TypeAdapter(list[queue.TicketRecord]).dump_python(tickets, mode="json")
            self.post("/queue/merge", {"tickets": plain,
                                        "calls": TypeAdapter(list[queue.CallRecord]).dump_python(calls, mode="json")})
            queue.mark_merged(self.hall, [t.ticket_id for t in tickets], [c.call_id for c in calls])
            return len(tickets) + len(calls)

    def issue(self, *, type_code: str, source: TicketSource, priority: bool, id_number: str | None,
              name: str | None) -> IssuedTicket:
        if self._connected:
            try:
                issued: IssuedTicket = self._command("/queue/issue", {
                    "type_code": type_code, "source": source.value, "priority": priority, "id_number": id_number,
                    "name": name}, ISSUED)
                return issued
            except Unreachable:
                pass
        window = self.hall.settings.queue_window or self.window  # a number set or changed at the counter since
        if not window:
            raise RuleViolation("queue_offline", "与大厅服务器的连接中断，暂时不能取号，请到窗口取号")
        return queue.issue_local(self.hall, type_code=type_code, source=source, priority=priority,
                                 id_number=id_number, name=name, offline_window=window)

    def call_next(self, *, window: int) -> Ticket | None:
        if self._connected:
            try:
                ticket: Ticket | None = self._command("/queue/call-next", {"window": window}, TICKET)
                return ticket
            except Unreachable:
                pass
        return queue.call_next_local(self.hall, window=window, offline=True)

    def act(self, ticket_id: str, action: QueueAction, *, window: int, type_code: str | None,
            case_id: str | None) -> Ticket:
        if self._connected:
            try:
                ticket: Ticket = self._command("/queue/act", {
                    "ticket_id": ticket_id, "action": action.value, "window": window, "type_code": type_code,
                    "case_id": case_id}, TICKET)
                return ticket
            except Unreachable:
                pass
        return queue.act_local(self.hall, ticket_id, action, window=window, type_code=type_code, case_id=case_id,
                               offline=True)


def start_queue_link(hall: Hall, db_path: Path) -> QueueClient | None:
    """This device's link to the hall queue's authority (``server_url``), or None when it has none.

    Without a server, or before the device is enrolled, the local database is the queue's
    authority (a single PC: the demo, a small hall).
    """
    from desktop.sync.credentials import load_token

    url = hall.settings.server_url.strip()
    token = load_token(hall.settings, db_path) if url else None
    if not url or not token:
        return None
    return QueueClient(hall, url, token, window=hall.settings.queue_window).start()
