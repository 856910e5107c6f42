"""Service calls off the GUI thread, one at a time; results and errors come back by signal.

Password hashing (Argon2id, ~0.1 s a hash) and database work must not freeze the
window. A page hands its call to a ``TaskRunner``; the runner executes calls one
after another on its own thread and delivers the result (or the exception) to
the page's callbacks on the GUI thread, then emits ``settled``.
"""

from __future__ import annotations

import inspect
import weakref
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal


class _Relay(QObject):
    """Lives on the GUI thread; signals emitted from the worker are queued to it."""

    succeeded = Signal(object)
    failed = Signal(object)


class _Job(QRunnable):
    def __init__(self, work: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self.work = work
        self.relay = relay

    def run(self) -> None:
        try:
            result = self.work()
        except Exception as exc:  # delivered to the page, which decides what the user sees
            self.relay.failed.emit(exc)
        else:
            self.relay.succeeded.emit(result)


def _weakly(callback: Callable[[Any], None]) -> Callable[[Any], None]:
    """A bound method held through a weak reference (plain functions are kept as they are).

    WORKAROUND for a PySide6 crash (seen with 6.11.3 and 6.12.0, no upstream report found):
    when a runner's callback is a bound method of the widget that owns the runner, the
    strong reference from the relay's connection back to that widget makes the process
    segfault on a posted event soon after the callback ran. Held weakly, it does not.
    """
    if not inspect.ismethod(callback):
        return callback
    ref = weakref.WeakMethod(callback)

    def call(value: Any) -> None:
        bound = ref()
        if bound is not None:
            bound(value)

    return call


class TaskRunner(QObject):
    """One worker thread per runner: calls run in the order given, never two at once."""

    busy_changed = Signal(bool)
    settled = Signal()  # after a result or an error has been handled on the GUI thread

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._pending: set[_Relay] = set()

    @property
    def busy(self) -> bool:
        return bool(self._pending)

    def run(self, work: Callable[[], Any], done: Callable[[Any], None],
            failed: Callable[[Exception], None]) -> None:
        done, failed = _weakly(done), _weakly(failed)
        relay = _Relay(self)
        self._pending.add(relay)
        if len(self._pending) == 1:
            self.busy_changed.emit(True)

        def finish(handler: Callable[[Any], None], value: object) -> None:
            self._pending.discard(relay)
            relay.deleteLater()
            try:
                handler(value)
            finally:
                if not self._pending:
                    self.busy_changed.emit(False)
                self.settled.emit()

        relay.succeeded.connect(lambda value: finish(done, value))
        relay.failed.connect(lambda exc: finish(failed, exc))
        self._pool.start(_Job(work, relay))

    def wait(self, msecs: int = 30_000) -> bool:
        """Block until queued calls are done (window close, tests)."""
        return self._pool.waitForDone(msecs)
