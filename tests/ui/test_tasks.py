"""The task manager: database work one call at a time, off the GUI thread; outcomes, progress,
cancellation and changes come back on the GUI thread."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from desktop.domain.errors import RuleViolation
from desktop.services import accounts
from desktop.services.changes import Changes, Topic
from desktop.services.context import Actor, Hall
from desktop.services.registration import register_visit
from tests.helpers import form
from ui.shell.context import WorkContext
from ui.shell.tasks import Executor, HallOp, Progress, check_cancelled, report_progress

Context = Callable[..., WorkContext]


@pytest.fixture
def ctx(work_context: Context, clerk: Actor) -> WorkContext:
    return work_context(clerk)


@pytest.fixture
def owner(qtbot: QtBot) -> Iterator[QWidget]:
    widget = QWidget()
    qtbot.addWidget(widget)
    yield widget


def test_work_runs_off_the_gui_thread_and_the_outcome_comes_back_on_it(qtbot: QtBot, ctx: WorkContext,
                                                                        owner: QWidget) -> None:
    group = ctx.group(owner)
    seen: dict[str, object] = {}

    def work(hall: Hall) -> int:
        seen["worker"] = threading.current_thread() is not threading.main_thread()
        seen["hall"] = hall
        return 42

    def done(value: int) -> None:
        seen["value"] = value
        seen["gui"] = threading.current_thread() is threading.main_thread()

    with qtbot.waitSignal(group.settled):
        task = HallOp(work).success(done).run(group)
        assert group.busy
    assert seen == {"worker": True, "hall": ctx.source.hall, "value": 42, "gui": True}
    assert not group.busy and task.finished.is_set()


def test_database_work_runs_one_call_at_a_time_across_widgets(qtbot: QtBot, ctx: WorkContext,
                                                              owner: QWidget) -> None:
    """SQLite has one writer: two widgets' calls never overlap, and run in the order given."""
    first, second = ctx.group(owner), ctx.group(QObject(owner))
    running, order, overlaps = [0], [], []
    lock = threading.Lock()

    def work(n: int) -> Callable[[Hall], int]:
        def run(_hall: Hall) -> int:
            with lock:
                running[0] += 1
                overlaps.append(running[0])
            order.append(n)
            threading.Event().wait(0.005)  # long enough for a second thread to start, were there one
            with lock:
                running[0] -= 1
            return n
        return run

    with qtbot.waitSignal(second.settled):
        for n in range(6):
            (first if n % 2 else second).run(work(n), lambda _v: None)
    qtbot.waitUntil(lambda: not first.busy and not second.busy)
    assert order == list(range(6)) and max(overlaps) == 1


def test_devices_work_does_not_wait_for_database_work(qtbot: QtBot, ctx: WorkContext, owner: QWidget) -> None:
    """A print or a sync (devices executor) runs while a long database call is still going."""
    group = ctx.group(owner)
    release = threading.Event()
    printed = threading.Event()
    group.run(lambda _hall: release.wait(10), lambda _v: None)
    with qtbot.waitSignal(group.settled):
        group.run(lambda _hall: printed.set(), lambda _v: None, executor=Executor.DEVICES)
    assert printed.is_set() and group.busy  # the database call is still running
    with qtbot.waitSignal(group.settled):
        release.set()


def test_a_refusal_goes_to_the_failure_callback(qtbot: QtBot, ctx: WorkContext, owner: QWidget) -> None:
    group = ctx.group(owner)
    failures: list[Exception] = []

    def refuse(_hall: Hall) -> None:
        raise RuleViolation("no", "不可以")

    with qtbot.waitSignal(group.settled):
        HallOp(refuse).success(lambda _v: pytest.fail("no result expected")).failure(failures.append).run(group)
    assert [str(f) for f in failures] == ["不可以"]


@pytest.mark.unexpected_errors
def test_an_unhandled_fault_is_told_plainly_with_a_reference(qtbot: QtBot, ctx: WorkContext, owner: QWidget) -> None:
    """No failure callback: a message box in plain words, the exception's text never shown."""
    group = ctx.group(owner)
    owner.show()

    def fault(_hall: Hall) -> None:
        raise KeyError("330726196803120123")

    with qtbot.waitSignal(group.settled):
        group.run(fault, lambda _v: None)
    boxes = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]
    assert len(boxes) == 1
    text = boxes[0].text()
    assert "参考号 E-" in text and "330726196803120123" not in text and "KeyError" not in text
    boxes[0].close()


def test_progress_is_reported_on_the_gui_thread(qtbot: QtBot, ctx: WorkContext, owner: QWidget) -> None:
    group = ctx.group(owner)
    seen: list[Progress] = []

    def long_work(_hall: Hall) -> str:
        for n in range(1, 4):
            report_progress(n, 3, f"第{n}步")
        return "完成"

    with qtbot.waitSignal(group.settled):
        HallOp(long_work).progress(seen.append).success(lambda _v: None).run(group)
    assert seen == [Progress(1, 3, "第1步"), Progress(2, 3, "第2步"), Progress(3, 3, "第3步")]


def test_cancelled_work_stops_quietly(qtbot: QtBot, ctx: WorkContext, owner: QWidget) -> None:
    group = ctx.group(owner)
    started, release = threading.Event(), threading.Event()
    outcomes: list[object] = []

    def blocker(_hall: Hall) -> None:
        started.set()
        release.wait(10)

    def cancellable(_hall: Hall) -> str:
        check_cancelled()
        return "ran"

    group.run(blocker, outcomes.append)
    queued = group.run(lambda _hall: "never", outcomes.append)
    assert started.wait(10)
    queued.cancel()  # not started yet: dropped
    running = group.run(cancellable, outcomes.append, outcomes.append)
    running.cancel()
    with qtbot.waitSignal(group.busy_changed):
        release.set()
    assert outcomes == [None]  # neither the dropped nor the cancelled call reported anything


def test_a_closed_owner_hears_nothing(qtbot: QtBot, ctx: WorkContext) -> None:
    """A dialog closed while its work runs: the work finishes, nobody is called back."""
    dialog = QWidget()
    group = ctx.group(dialog)
    release = threading.Event()
    heard: list[object] = []
    task = group.run(lambda _hall: release.wait(10), heard.append)
    dialog.deleteLater()
    qtbot.waitUntil(lambda: not _alive(dialog))
    release.set()
    assert task.finished.wait(10)
    qtbot.wait(50)  # the queued outcome, had it a listener, would have arrived by now
    assert heard == []


def _alive(obj: QObject) -> bool:
    import shiboken6

    return bool(shiboken6.isValid(obj))


def test_every_commit_reaches_the_panels_once_per_burst(qtbot: QtBot, ctx: WorkContext, owner: QWidget,
                                                        sqlite_hall: Hall, clerk: Actor) -> None:
    """Commits made outside any widget (another service, a sync) arrive as one Changes on the GUI thread."""
    qtbot.waitUntil(lambda: ctx.source.hall is not None)
    received: list[Changes] = []
    ctx.tasks.changed.connect(received.append)
    with qtbot.waitSignal(ctx.tasks.changed):
        result = register_visit(sqlite_hall, clerk, form())
        accounts.create_account(sqlite_hall, Actor.system(), login="lina", display_name="李娜", role="clerk",
                                initial_password="Chushi#2026")
    assert len(received) == 1
    (changes,) = received
    assert {Topic.CASES, Topic.ACCOUNTS, Topic.AUDIT} <= changes.topics
    assert changes.case_ids == {result.case_id}


def test_an_operation_knows_what_it_changed(qtbot: QtBot, ctx: WorkContext, owner: QWidget, clerk: Actor) -> None:
    group = ctx.group(owner)
    with qtbot.waitSignal(group.settled):
        task = group.run(lambda hall: register_visit(hall, clerk, form()), lambda _v: None)
    assert task.changes is not None and task.changes.cases and len(task.changes.case_ids) == 1
    with qtbot.waitSignal(group.settled):
        read = group.run(lambda hall: hall.today(), lambda _v: None)
    assert read.changes is not None and not read.changes


@pytest.mark.unexpected_errors
def test_a_fault_repeating_shows_one_box_at_a_time(qtbot: QtBot, ctx: WorkContext, owner: QWidget) -> None:
    """A fault on every tap stacked box on box: the window shows one; the others are in the log."""
    group = ctx.group(owner)
    owner.show()

    def fault(_hall: Hall) -> None:
        raise KeyError("x")

    for _ in range(3):
        with qtbot.waitSignal(group.settled):
            group.run(fault, lambda _v: None)
    boxes = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]
    assert len(boxes) == 1
    boxes[0].close()
    with qtbot.waitSignal(group.settled):
        group.run(fault, lambda _v: None)
    boxes = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]
    assert len(boxes) == 1  # a new failure after the box was closed is told again
    boxes[0].close()
