"""One task manager for a window: every service call runs off the GUI thread, as an operation.

Two executors, as the hall's resources dictate:

* ``DATABASE`` — one worker thread. SQLite has one writer, and work done one call
  at a time never races (reads queued behind a write see it committed).
* ``DEVICES`` — two threads for the network and printers (a sync, a print job),
  which wait on things outside the program and must not hold up database work.

A widget asks for a :class:`TaskGroup` of its own (``ctx.tasks.group(self)``): its
calls share the executors with every other widget, while ``busy``/``settled`` tell
about its own calls only. A call is an operation, :class:`HallOp`: a function of the
open hall, run on a worker, whose result or error comes back to a callback on the
GUI thread; it can report progress and be cancelled.

Whatever the hall commits — from an operation of this window, a background sync or
another service — comes back once on the GUI thread as :attr:`TaskManager.changed`
with a :class:`~desktop.services.changes.Changes`; open panels refresh from it.

Modelled on Anki's ``aqt/taskman.py`` and ``aqt/operations``.
"""

from __future__ import annotations

import contextlib
import enum
import functools
import inspect
import threading
import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Generic, NamedTuple, TypeVar

import shiboken6
from PySide6.QtCore import QObject, QThreadPool, QTimer, Signal, SignalInstance

from ui.shell import errors

if TYPE_CHECKING:
    from desktop.services.changes import Changes
    from desktop.services.context import Hall
    from ui.shell.startup import HallSource

T = TypeVar("T")


class Executor(enum.Enum):
    DATABASE = "database"
    DEVICES = "devices"


_THREADS = {Executor.DATABASE: 1, Executor.DEVICES: 2}


class Progress(NamedTuple):  # made before every window's first frame: no dataclass, whose 6 methods compile in 0.5 ms
    """How far a long operation has come; ``total`` 0 when unknown."""

    done: int
    total: int = 0
    text: str = ""


class Cancelled(Exception):
    """Raised by work that noticed it was cancelled; the operation then ends quietly."""


_current = threading.local()


def report_progress(done: int, total: int = 0, text: str = "") -> None:
    """From inside an operation's work: say how far it has come (shown on the GUI thread)."""
    task: Task[Any] | None = getattr(_current, "task", None)
    if task is not None:
        task.relay.progressed.emit((task.task_id, [Progress(done, total, text)]))


def cancelled() -> bool:
    """From inside an operation's work: whether the user has cancelled it."""
    task: Task[Any] | None = getattr(_current, "task", None)
    return task is not None and task.cancel_requested.is_set()


def check_cancelled() -> None:
    """From inside an operation's work: stop here if the user has cancelled it."""
    if cancelled():
        raise Cancelled


class _Relay(QObject):
    """The manager's one messenger: lives on the GUI thread, workers' signals are queued to it.

    Each signal carries ``(task id, box)``; the box is a one-item list the GUI thread
    empties, so that an outcome (an error's traceback holds the task and the Qt objects
    its work used) is always let go of on the GUI thread. There is no Qt object per
    task: nothing is created or deleted while work is in flight.
    """

    succeeded = Signal(object)
    failed = Signal(object)
    progressed = Signal(object)


def weakly(callback: Callable[[Any], None]) -> Callable[[Any], None]:
    """A bound method held through a weak reference (plain functions are kept as they are).

    WORKAROUND for a PySide6 crash (seen with 6.11.3 and 6.12.0, no upstream report found):
    when a callback is a bound method of the widget that owns the call, the strong
    reference from the relay's connection back to that widget makes the process segfault
    on a posted event soon after the callback ran. Held weakly, it does not.
    """
    if not inspect.ismethod(callback):
        return callback
    ref = weakref.WeakMethod(callback)

    def call(value: Any) -> None:
        bound = ref()
        if bound is not None and _alive(bound.__self__):
            bound(value)

    return call


def _alive(owner: object) -> bool:
    """False for a widget whose Qt half is gone (a closed dialog, the work of an ended session)."""
    return not isinstance(owner, QObject) or shiboken6.isValid(owner)


class HallOp(Generic[T]):
    """One service call: ``work(hall)`` on a worker, then ``success(result)`` or ``failure(error)`` here.

    ``HallOp(lambda hall: find_cases(hall, actor, text)).success(self.show).run(self.tasks)``.
    Without a failure callback, the error is shown to the user through the one error path
    (:mod:`ui.shell.errors`).
    """

    def __init__(self, work: Callable[[Hall], T], *, executor: Executor = Executor.DATABASE,
                 label: str = "") -> None:
        self.work = work
        self.executor = executor
        self.label = label or getattr(work, "__qualname__", "operation")
        self._success: Callable[[T], None] | None = None
        self._failure: Callable[[Exception], None] | None = None
        self._progress: Callable[[Progress], None] | None = None

    def success(self, callback: Callable[[T], None]) -> HallOp[T]:
        self._success = callback
        return self

    def failure(self, callback: Callable[[Exception], None]) -> HallOp[T]:
        self._failure = callback
        return self

    def progress(self, callback: Callable[[Progress], None]) -> HallOp[T]:
        self._progress = callback
        return self

    def run(self, group: TaskGroup) -> Task[T]:
        return group.start(self)


class Task(Generic[T]):
    """An operation on its way; ``cancel()`` drops it if it has not started, else asks it to stop.

    A plain Python object handed to the pool as a callable: Qt owns (and deletes) the
    runnable that wraps it when the pool thread is done with it. (A ``QRunnable``
    subclass owned by Python could be collected on the GUI thread while the pool thread
    still reads it after ``run()`` returned — an intermittent crash.)
    """

    def __init__(self, op: HallOp[T], source: HallSource, relay: _Relay, task_id: int) -> None:
        self.op = op
        self.source = source
        self.relay = relay
        self.task_id = task_id
        #: Set by the group: what to do with each outcome on the GUI thread.
        self.on_success: Callable[[Any], None] = _nothing
        self.on_failure: Callable[[Any], None] = _nothing
        self.on_progress: Callable[[Any], None] = _nothing
        self.cancel_requested = threading.Event()
        self.started = threading.Event()
        self.finished = threading.Event()  # the work is over (its outcome may not be handled yet)
        #: What the hall committed while this operation ran (set on the worker).
        self.changes: Changes | None = None

    def cancel(self) -> None:
        self.cancel_requested.set()

    def execute(self) -> tuple[SignalInstance, object]:
        """Do the work (on the pool's thread); returns how to tell the outcome, and the outcome."""
        self.started.set()
        if self.cancel_requested.is_set():
            self.finished.set()
            return self.relay.failed, Cancelled()
        _current.task = self
        outcome: Any
        try:
            hall = self.source.get()
            with hall.changes.collecting() as collected:
                outcome = self.op.work(hall)
            self.changes = collected.changes
            report = self.relay.succeeded
        except Exception as exc:  # delivered to the GUI thread, which decides what the user sees
            outcome, report = exc, self.relay.failed
        finally:
            _current.task = None
            self.finished.set()  # before the outcome is told: whoever hears it finds the work over
        return report, outcome


def _nothing(_value: Any) -> None:
    pass


def _run_task(ref: weakref.ref[Task[Any]]) -> None:
    task = ref()
    if task is None:
        return
    task_id = task.task_id
    report, outcome = task.execute()
    del task  # the worker lets go before the outcome is told: the GUI thread always holds the last reference
    box = [outcome]
    del outcome
    report.emit((task_id, box))


class TaskGroup(QObject):
    """One widget's operations: run on the window's executors, one outcome at a time on the GUI thread."""

    busy_changed = Signal(bool)
    settled = Signal()  # after an outcome has been handled on the GUI thread
    progressed = Signal(object)  # Progress of the group's running operation

    def __init__(self, manager: TaskManager, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.manager = manager
        self._pending: set[Task[Any]] = set()

    @property
    def busy(self) -> bool:
        return bool(self._pending)

    def run(self, work: Callable[[Hall], T], done: Callable[[T], None],
            failed: Callable[[Exception], None] | None = None, *,
            executor: Executor = Executor.DATABASE) -> Task[T]:
        """Shorthand for ``HallOp(work).success(done).failure(failed).run(self)``."""
        op = HallOp(work, executor=executor).success(done)
        if failed is not None:
            op.failure(failed)
        return op.run(self)

    def start(self, op: HallOp[T]) -> Task[T]:
        success = weakly(op._success) if op._success is not None else None
        failure = weakly(op._failure) if op._failure is not None else None
        progress = weakly(op._progress) if op._progress is not None else None
        task = self.manager.new_task(op)
        self._pending.add(task)
        if len(self._pending) == 1:
            self.busy_changed.emit(True)
        me = weakref.ref(self)  # the task (kept by the manager until it is over) never keeps the group

        def finish(handler: Callable[[Any], None] | None, value: object) -> None:
            group = me()
            if group is None or not shiboken6.isValid(group):
                return  # the owner is gone: nobody is left to tell
            group._pending.discard(task)
            try:
                if handler is not None:
                    handler(value)
            finally:
                if not group._pending:
                    group.busy_changed.emit(False)
                group.settled.emit()

        def failed(error: Any) -> None:
            group = me()
            if group is None or not shiboken6.isValid(group) or isinstance(error, Cancelled):
                finish(None, error)
            elif failure is not None:
                finish(failure, error)
            else:
                finish(lambda e: errors.show_failure(group._window(), e), error)

        def progressed(value: Any) -> None:
            group = me()
            if group is None or not shiboken6.isValid(group):
                return
            group.progressed.emit(value)
            if progress is not None:
                progress(value)

        task.on_success = lambda value: finish(success, value)
        task.on_failure = failed
        task.on_progress = progressed
        self.manager.submit(task)
        return task

    def wait(self, msecs: int = 30_000) -> bool:
        """Block until this group's work is over (a dialog closing while a print is on its way).

        The outcomes are handled later, on the GUI thread, if their owner still exists.
        """
        return all(task.finished.wait(msecs / 1000) for task in list(self._pending))

    def cancel_all(self) -> None:
        for task in list(self._pending):
            task.cancel()

    def _window(self) -> Any:
        parent = self.parent()
        return parent.window() if parent is not None and hasattr(parent, "window") else None


class _ChangeRelay(QObject):
    told = Signal(object)  # Changes, emitted on the committing thread, received on the GUI thread


def _load_print_support(hall: Hall) -> None:
    from desktop.printing.factory import load_qt_printing

    load_qt_printing(hall.settings)


class TaskManager(QObject):
    """The window's executors and its change notifications (see the module's docstring)."""

    changed = Signal(object)  # Changes

    def __init__(self, source: HallSource, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.source = source
        self._pools: dict[Executor, QThreadPool] = {}
        for executor, threads in _THREADS.items():
            pool = QThreadPool(self)
            pool.setMaxThreadCount(threads)
            self._pools[executor] = pool
        self._pending_changes: Changes | None = None
        self._coalesce = QTimer(self)
        self._coalesce.setSingleShot(True)
        self._coalesce.setInterval(0)
        self._coalesce.timeout.connect(self._emit_changes)
        self._relay = _ChangeRelay(self)
        self._relay.told.connect(self._told)
        self._outcomes = _Relay(self)
        self._outcomes.succeeded.connect(self._succeeded)
        self._outcomes.failed.connect(self._failed)
        self._outcomes.progressed.connect(self._progressed)
        self._in_flight: dict[int, Task[Any]] = {}  # handed to the pool, outcome not yet handled
        self._next_id = 0
        self._unsubscribe: Callable[[], None] | None = None
        self._closed = False
        relay = self._relay

        def tell(changes: Changes) -> None:
            with contextlib.suppress(RuntimeError):  # the window has gone meanwhile
                relay.told.emit(changes)

        self._tell = tell
        source.when_ready(self._subscribe)
        source.when_ready(_load_print_support)  # on this thread, before any of this window's tasks can print
        _live.add(self)

    def _subscribe(self, hall: Hall) -> None:
        if not self._closed and self._unsubscribe is None:
            self._unsubscribe = hall.changes.subscribe(self._tell)

    def group(self, owner: QObject) -> TaskGroup:
        """A group of operations owned by ``owner`` (a widget); it goes with its owner."""
        return TaskGroup(self, owner)

    def new_task(self, op: HallOp[T]) -> Task[T]:
        self._next_id += 1
        return Task(op, self.source, self._outcomes, self._next_id)

    def submit(self, task: Task[Any]) -> None:
        self._in_flight[task.task_id] = task
        if self._closed:
            task.finished.set()
            self._outcomes.failed.emit((task.task_id, [Cancelled()]))
            return
        # The pool gets a weak reference: the group holds the task (with its work, which may
        # hold Qt objects) until the outcome is handled, so the task is always let go of on
        # the GUI thread. Were the pool's copy the last one, a QObject could be destroyed
        # on the worker thread ("Timers cannot be stopped from another thread", then a crash).
        self._pools[task.op.executor].start(functools.partial(_run_task, weakref.ref(task)))

    def _succeeded(self, message: tuple[int, list[Any]]) -> None:
        task = self._in_flight.pop(message[0], None)
        if task is not None:
            task.on_success(message[1].pop())

    def _failed(self, message: tuple[int, list[Any]]) -> None:
        task = self._in_flight.pop(message[0], None)
        if task is not None:
            task.on_failure(message[1].pop())

    def _progressed(self, message: tuple[int, list[Any]]) -> None:
        task = self._in_flight.get(message[0])
        if task is not None:
            task.on_progress(message[1].pop())

    @property
    def idle(self) -> bool:
        return all(pool.activeThreadCount() == 0 for pool in self._pools.values())

    def _told(self, changes: Changes) -> None:
        """Several commits in a row (a print and its log, a pulled page) reach the panels once."""
        self._pending_changes = changes if self._pending_changes is None else self._pending_changes | changes
        self._coalesce.start()

    def _emit_changes(self) -> None:
        changes, self._pending_changes = self._pending_changes, None
        if changes:
            self.changed.emit(changes)

    def wait(self, msecs: int = 30_000) -> bool:
        """Block until every queued call has run (window close, tests)."""
        if not shiboken6.isValid(self):
            return True  # deleted with its window, whose pools waited for their threads
        return all(pool.waitForDone(msecs) for pool in self._pools.values())

    def close(self) -> None:
        """Stop taking work, finish what was handed over (a sign-out is audited), stop listening to the hall."""
        self._closed = True
        self.wait()
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None


_live: weakref.WeakSet[TaskManager] = weakref.WeakSet()


def live_managers() -> list[TaskManager]:
    """Task managers whose window still exists (tests check that none is left working)."""
    return [manager for manager in list(_live) if shiboken6.isValid(manager)]
