"""A device's link to one of the hall server's authorities (the queue, the hall's records).

:class:`AuthorityLink` is the machinery both share:

* a background thread keeps a server-sent-events stream (``events_path``) open from the
  mirror's cursor and hands each event to :meth:`apply` (the subclass mirrors it into the
  local tables, so the screens read locally and refresh on their topics); when the stream
  breaks it reconnects by itself, waiting a little longer after each failure (up to
  ``max_backoff``);
* commands go to the authority (:meth:`post`), whose answer carries the changes since the
  mirror's cursor;
* when the authority cannot be reached, the device says so (``connected`` is False, the
  screens show it, topics ``topics`` are told) and keeps serving what it may do alone; on
  reconnecting it first sends what it did (:meth:`merge_pending`, idempotent by ids), then
  resumes the stream.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

import httpx
from pydantic import ValidationError

from desktop.domain.errors import RuleViolation
from desktop.services.changes import Changes, Topic
from desktop.services.context import Hall
from desktop.sync.transport import response_detail

log = logging.getLogger(__name__)


class Unreachable(Exception):
    """The authority did not answer (network, server down): the device works on its own."""


class AuthorityLink:
    """The authority at ``base_url`` for the device with ``token``; subclasses name the stream and apply its events."""

    events_path = ""
    name = "authority"
    topics: tuple[Topic, ...] = ()
    refused_code = "refused"

    def __init__(self, hall: Hall, base_url: str, token: str, *, timeout: float = 5.0,
                 min_backoff: float = 0.2, max_backoff: float = 10.0) -> None:
        self.hall = hall
        self.base_url = base_url.rstrip("/")
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

    # -- what a subclass provides -----------------------------------------------------------------

    def attach(self, attached: bool) -> None:
        """Hang this link on the hall (or take it off)."""

    def cursor(self) -> int:
        raise NotImplementedError

    def apply(self, data: str) -> None:
        """Mirror one event's data (JSON) into the local tables."""
        raise NotImplementedError

    def merge_pending(self) -> int:
        """Send what this device did offline; returns how many records went up."""
        return 0

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
            self.hall.changes.publish(Changes.of(*self.topics))  # the screens show the link's state

    # -- the push channel ---------------------------------------------------------------------------

    def start(self) -> AuthorityLink:
        """Attach to the hall and keep the stream open in the background until :meth:`stop`."""
        self.attach(True)
        self._thread = threading.Thread(target=self._run, name=f"{self.name}-stream", daemon=True)
        self._thread.start()
        return self

    def halt(self) -> None:
        """Ask the stream to end (it does at the server's next heartbeat at the latest); :meth:`stop` waits."""
        self._stop.set()
        with self._stream_lock:
            if self._stream is not None:
                self._stream.close()

    def stop(self) -> None:
        self.halt()
        if self._thread is not None:
            self._thread.join(10)
        self.attach(False)
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
                        log.exception("推送连接出错，稍后重连（%s）", self.name)
                    self._set_connected(False, str(exc) or type(exc).__name__)
                    self._stop.wait(backoff)
                    backoff = min(self.max_backoff, backoff * 2)

    def _listen(self, client: httpx.Client) -> None:
        with client.stream("GET", self.events_path, params={"since": self.cursor()}) as response:
            if response.status_code >= 400:
                response.read()
                raise Unreachable(detail(response))
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
                        self.apply("\n".join(data))
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

    def post(self, path: str, body: dict[str, Any]) -> Any:
        """The authority's JSON answer; a refusal is a :class:`RuleViolation` in its words."""
        try:
            response = self._http.post(path, json=body)
        except httpx.HTTPError as exc:
            self._set_connected(False, str(exc))
            raise Unreachable(str(exc)) from None
        if response.status_code in (400, 409, 422):
            raise RuleViolation(self.refused_code, detail(response))
        if response.status_code >= 400:
            self._set_connected(False, detail(response))
            raise Unreachable(detail(response))
        return response.json()


def detail(response: httpx.Response) -> str:
    return response_detail(response) or f"大厅服务器无法处理这个请求（代码 {response.status_code}）"
