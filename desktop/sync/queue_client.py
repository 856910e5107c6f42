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

import json
import logging
import threading
from pathlib import Path
from typing import Any

import httpx
from pydantic import TypeAdapter, ValidationError

from desktop.domain.errors import RuleViolation
from desktop.domain.queue import IssuedTicket, QueueAction, Ticket, TicketSource
from desktop.services import queue
from desktop.services.changes import Changes, Topic
from desktop.services.context import Hall

log = logging.getLogger(__name__)

FEED = TypeAdapter(queue.QueueFeed)
ISSUED = TypeAdapter(IssuedTicket)
TICKET = TypeAdapter(Ticket | None)


class Unreachable(Exception):
    """The authority did not answer (network, server down): the device works on its own."""


class QueueClient:
    """The queue authority at ``base_url`` for the device with ``token`` (this PC's ``window``, 0 for none)."""

    def __init__(self, hall: Hall, base_url: str, token: str, *, window: int = 0, timeout: float = 5.0,
                 min_backoff: float = 0.2, max_backoff: float = 10.0) -> None:
        self.hall = hall
        self.base_url = base_url.rstrip("/")
        self.window = window
        self.min_backoff = min_backoff
        self.max_backoff = max_backoff
        self._headers = {"Authorization": f"Bearer {token}"}
        self._timeout = timeout
        self._http = httpx.Client(base_url=self.base_url, timeout=timeout, headers=self._headers)
        self._connected = False
        #: Set while the stream is up (tests and start-up wait on it).
        self.online = threading.Event()
        #: Set while it is not (after a connection was lost or could not be made).
        self.cut = threading.Event()
        self._stop = threading.Event()
        self._stream: httpx.Response | None = None
        self._stream_lock = threading.Lock()
        self._merge_lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self.last_error = ""

    # -- state ------------------------------------------------------------------------------------

    @property
    def connected(self) -> bool:
        return self._connected

    def _set_connected(self, value: bool, error: str = "") -> None:
        self.last_error = error
        (self.online.set if value else self.online.clear)()
        (self.cut.clear if value else self.cut.set)()
        if value != self._connected:
            self._connected = value
            self.hall.changes.publish(Changes.of(Topic.QUEUE))  # the screens show the link's state

    # -- the push channel ---------------------------------------------------------------------------

    def start(self) -> QueueClient:
        """Attach to the hall and keep the stream open in the background until :meth:`stop`."""
        queue.attach_remote(self.hall, self)
        self._thread = threading.Thread(target=self._run, name="queue-stream", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        with self._stream_lock:
            if self._stream is not None:
                self._stream.close()
        if self._thread is not None:
            self._thread.join(10)
        queue.attach_remote(self.hall, None)
        self._http.close()

    def _run(self) -> None:
        backoff = self.min_backoff
        with httpx.Client(base_url=self.base_url, headers=self._headers,
                          timeout=httpx.Timeout(self._timeout, read=self._timeout * 3)) as client:
            while not self._stop.is_set():
                try:
                    self.merge_pending()
                    self._listen(client)
                    backoff = self.min_backoff
                except Exception as exc:  # whatever broke the link, the device works on and tries again
                    if self._stop.is_set():
                        return
                    if not isinstance(exc, (httpx.HTTPError, Unreachable, RuleViolation, ValidationError)):
                        log.exception("排队推送连接出错，稍后重连")
                    self._set_connected(False, str(exc) or type(exc).__name__)
                    self._stop.wait(backoff)
                    backoff = min(self.max_backoff, backoff * 2)

    def _listen(self, client: httpx.Client) -> None:
        cursor = queue.mirror_cursor(self.hall)
        with client.stream("GET", "/queue/events", params={"since": cursor}) as response:
            if response.status_code >= 400:
                response.read()
                raise Unreachable(_detail(response))
            with self._stream_lock:
                self._stream = response
            try:
                data: list[str] = []
                for line in response.iter_lines():
                    if self._stop.is_set():
                        return
                    if line.startswith("data:"):
                        data.append(line[5:].strip())
                    elif not line and data:
                        queue.apply_feed(self.hall, FEED.validate_json("\n".join(data)))
                        data = []
                        was = self._connected
                        self._set_connected(True)
                        if not was:  # what a command did on its own since the merge before connecting
                            self.merge_pending()
            finally:
                with self._stream_lock:
                    self._stream = None
        raise Unreachable("大厅服务器关闭了推送连接")

    # -- commands -----------------------------------------------------------------------------------

    def _post(self, path: str, body: dict[str, Any]) -> Any:
        try:
            response = self._http.post(path, json=body)
        except httpx.HTTPError as exc:
            self._set_connected(False, str(exc))
            raise Unreachable(str(exc)) from None
        if response.status_code in (400, 409, 422):
            raise RuleViolation("queue_refused", _detail(response))
        if response.status_code >= 400:
            self._set_connected(False, _detail(response))
            raise Unreachable(_detail(response))
        return response.json()

    def _command(self, path: str, body: dict[str, Any], adapter: TypeAdapter[Any]) -> Any:
        answer = self._post(path, body | {"since": queue.mirror_cursor(self.hall)})
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
            self._post("/queue/merge", {"tickets": plain,
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
        if not self.window:
            raise RuleViolation("queue_offline", "与大厅服务器的连接中断，暂时不能取号，请到窗口取号")
        return queue.issue_local(self.hall, type_code=type_code, source=source, priority=priority,
                                 id_number=id_number, name=name, offline_window=self.window)

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


def _detail(response: httpx.Response) -> str:
    try:
        detail = json.loads(response.content).get("detail")
    except (ValueError, AttributeError):
        detail = None
    return str(detail) if detail else f"大厅服务器应答 HTTP {response.status_code}"


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
