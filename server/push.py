"""The push channel the hall server's authorities share: server-sent events resumable by change number.

A :class:`Notifier` wakes every open stream when a committed transaction touched what it
watches; :func:`event_stream` answers ``GET …/events?since=N`` (or ``Last-Event-ID``) with one
event per batch of changes, each carrying its cursor as the event id, and a comment line every
few seconds that keeps idle connections alive and lets the client notice a dead server.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Callable
from typing import Any

from fastapi import Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import StreamingResponse

from desktop.services.changes import Changes
from desktop.services.context import Hall

HEARTBEAT_SECONDS = 5.0


class Notifier:
    """Wakes every open stream when ``watched`` says a change matters (told on the committing thread)."""

    def __init__(self, hall: Hall, watched: Callable[[Changes], bool]) -> None:
        self._lock = threading.Lock()
        self._waiters: set[tuple[asyncio.AbstractEventLoop, asyncio.Event]] = set()
        self.closing = False
        self._watched = watched
        self._unsubscribe = hall.changes.subscribe(self._told)

    def _told(self, changes: Changes) -> None:
        if self._watched(changes):
            self.wake()

    def wake(self) -> None:
        with self._lock:
            waiters = list(self._waiters)
        for loop, event in waiters:
            loop.call_soon_threadsafe(event.set)

    def close(self) -> None:
        """End every stream (the server is stopping)."""
        self.closing = True
        self.wake()
        self._unsubscribe()

    def waiter(self) -> tuple[asyncio.AbstractEventLoop, asyncio.Event]:
        entry = (asyncio.get_running_loop(), asyncio.Event())
        with self._lock:
            self._waiters.add(entry)
        return entry

    def forget(self, entry: tuple[asyncio.AbstractEventLoop, asyncio.Event]) -> None:
        with self._lock:
            self._waiters.discard(entry)


def event_stream(request: Request, notifier: Notifier, since: int, event: str, page: Callable[[int], Any],
                 news: Callable[[Any], bool], dump: Callable[[Any], bytes]) -> StreamingResponse:
    """Server-sent events of ``page(cursor)`` from ``since`` (or the ``Last-Event-ID``), whenever ``news`` says so."""
    last = request.headers.get("last-event-id", "")
    start = int(last) if last.isdigit() else since

    async def stream() -> AsyncIterator[bytes]:
        cursor = start
        entry = notifier.waiter()
        wake = entry[1]
        try:
            first = True
            while not notifier.closing:
                wake.clear()
                feed = await run_in_threadpool(page, cursor)
                if first or feed.cursor != cursor or news(feed):
                    cursor = feed.cursor
                    first = False
                    yield f"id: {cursor}\nevent: {event}\ndata: {dump(feed).decode()}\n\n".encode()
                try:
                    await asyncio.wait_for(wake.wait(), HEARTBEAT_SECONDS)
                except TimeoutError:
                    if await request.is_disconnected():
                        return
                    yield b": keep-alive\n\n"
        finally:
            notifier.forget(entry)

    return StreamingResponse(stream(), media_type="text/event-stream",
                             headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})
