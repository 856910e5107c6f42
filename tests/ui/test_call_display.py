"""The call display on real widgets: it reads the board off the GUI thread when the queue changes,
flashes and announces each new call (Qt's mock speech engine says the words), says when it
has lost the hall server or has no voice, and fits its text on a landscape and a portrait screen.
"""

from __future__ import annotations

import itertools
import re
import threading
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, QPoint, QRect
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtTextToSpeech import QTextToSpeech
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from desktop.devices.voice import Announcer, SpeechAnnouncer, VoiceOptions, announcer_from_options
from desktop.domain.queue import Call, QueueBoard, WaitingCount
from desktop.services.changes import Changes, Topic
from desktop.services.context import Actor, Hall
from tests.conftest import FakeClock
from ui.display.board import DISCONNECTED, UNREADABLE, WELCOME, HallBoard
from ui.shell import errors
from ui.shell.context import WorkContext
from ui.shell.theme import apply_theme

Context = Callable[..., WorkContext]
NOW = datetime(2026, 12, 5, 10, 0, 0)
MOCK = VoiceOptions(engine="mock", locale="en_GB", rate=1.0, repetitions=1)


class Queue:
    """The board reader a test hands the display: the board it is given, read on the display's worker."""

    def __init__(self) -> None:
        self.board = QueueBoard("浦江县人民来访接待中心", NOW, None,
                                waiting=(WaitingCount("综合接待", "A", 0),), next_reception_day=date(2026, 12, 15))
        self.failing: Exception | None = None
        self.gate: threading.Event | None = None  # a read waits for it (a slow hall server)
        self.reads = 0
        self.threads: set[str] = set()
        self._calls: list[Call] = []

    def __call__(self, _hall: Hall) -> QueueBoard:
        self.threads.add(threading.current_thread().name)
        self.reads += 1
        board = self.board
        if self.gate is not None:
            assert self.gate.wait(5)
        if self.failing is not None:
            raise self.failing
        return board

    def call(self, *calls: tuple[str, int], connected: bool = True, **fields: object) -> None:
        """The calls made now (in this order) on top of the earlier ones."""
        at = NOW + timedelta(seconds=len(self._calls))
        for number, window in calls:
            self._calls.append(Call(f"call-{len(self._calls)}", number, window, at))
        newest = tuple(reversed(self._calls))
        self.board = QueueBoard(self.board.hall_name, at, newest[0], newest[1:7],
                                fields.get("waiting", self.board.waiting),  # type: ignore[arg-type]
                                self.board.next_reception_day, connected)


def mock_voice(parent: QObject) -> Announcer:
    return announcer_from_options(MOCK, parent)


def make_board(qtbot: QtBot, work_context: Context, queue: Queue,
               voice: Callable[[QObject], Announcer] = mock_voice, *, flash_ms: int = 6000) -> HallBoard:
    board = HallBoard(work_context(Actor.display_screen("D01"), "display"), queue, voice,
                      now=lambda: NOW, flash_ms=flash_ms)
    qtbot.addWidget(board)
    board.resize(1920, 1080)
    board.show()
    # the first board, read as the hall opened; the speech engine, started right after
    qtbot.waitUntil(lambda: board.board is not None and board.announcer is not None)
    return board


def queue_changed(qtbot: QtBot, board: HallBoard, queue: Queue) -> None:
    """The queue changed (as a push from the hall server tells it); the display reads it again.

    Waits for a read begun after the change to have been shown (a read already on its way —
    the slow timer's, say — would carry the board from before).
    """
    reads = queue.reads
    board.ctx.tasks.changed.emit(Changes.of(Topic.QUEUE))
    qtbot.waitUntil(lambda: queue.reads > reads and not board.tasks.busy, timeout=5000)


def spoken(board: HallBoard) -> list[str]:
    assert isinstance(board.announcer, SpeechAnnouncer)
    heard: list[str] = []
    board.announcer.spoken.connect(heard.append)
    return heard


def test_a_new_call_flashes_and_the_mock_engine_says_it(qtbot: QtBot, work_context: Context) -> None:
    queue = Queue()
    board = make_board(qtbot, work_context, queue)
    assert board.welcome.isVisible() and board.welcome.text() == WELCOME and not board.flashing
    assert not board.recent_panel.isVisible()  # no calls yet: the welcome takes the screen
    qtbot.waitUntil(lambda: board.call_panel.width() == 1920 - 2 * 16)
    assert queue.threads and threading.main_thread().name not in queue.threads
    heard = spoken(board)
    words: list[tuple[str, int]] = []
    assert isinstance(board.announcer, SpeechAnnouncer)
    board.announcer.engine.sayingWord.connect(lambda word, _id, start, _length: words.append((word, start)))
    queue.call(("A012", 3))
    queue_changed(qtbot, board, queue)
    assert board.number.text() == "A012" and board.window_line.text() == "请到 3 号窗口"
    assert board.flashing and board.call_panel.property("flash") is True
    qtbot.waitUntil(lambda: heard == ["请 A012 号到 3 号窗口"], timeout=5000)
    assert [w for w in words if w[0]] == [("A012", 2), ("3", 10)]  # the mock read the number and window in place
    queue_changed(qtbot, board, queue)  # read again, nothing new: nothing said again
    assert heard == ["请 A012 号到 3 号窗口"]


def test_a_call_made_in_the_hall_reaches_the_display_and_is_announced(
        qtbot: QtBot, work_context: Context, sqlite_hall: Hall) -> None:
    """The real queue service: a window calls, the hall's change feed tells the display, which reads and speaks."""
    from desktop.app import read_queue_board
    from desktop.domain.queue import TicketSource
    from desktop.services import queue as queue_service

    board = HallBoard(work_context(Actor.display_screen("D01"), "display"), read_queue_board, mock_voice)
    qtbot.addWidget(board)
    board.resize(1920, 1080)
    board.show()
    qtbot.waitUntil(lambda: board.board is not None and board.announcer is not None)
    assert board.welcome.isVisible() and board.board is not None and board.board.waiting
    heard = spoken(board)
    queue_service.issue_ticket(sqlite_hall, type_code="general", source=TicketSource.KIOSK)
    queue_service.issue_ticket(sqlite_hall, type_code="general", source=TicketSource.KIOSK)
    called = queue_service.call_next(sqlite_hall, window=3)
    assert called is not None
    qtbot.waitUntil(lambda: board.number.text() == called.number, timeout=5000)
    assert board.window_line.text() == "请到 3 号窗口" and board.flashing
    qtbot.waitUntil(lambda: heard == [f"请 {called.number} 号到 3 号窗口"], timeout=5000)
    waiting = [(name.text(), count.text()) for name, count in board.waiting if name.isVisible()]
    assert ("A　综合接待", "等候 1 人") in waiting, waiting


def test_left_running_across_midnight_the_display_starts_the_day_afresh(
        qtbot: QtBot, work_context: Context, sqlite_hall: Hall, clock: FakeClock) -> None:
    """Yesterday's calls and waiting counts leave the screen with the next read after midnight; the new
    day's first number (A001 again) is called and announced like any other."""
    from desktop.app import read_queue_board
    from desktop.domain.queue import TicketSource
    from desktop.services import queue as queue_service

    clock.current = datetime(2026, 12, 4, 23, 58)
    for _ in range(3):
        queue_service.issue_ticket(sqlite_hall, type_code="general", source=TicketSource.KIOSK)
    late = queue_service.call_next(sqlite_hall, window=2)
    assert late is not None
    board = HallBoard(work_context(Actor.display_screen("D01"), "display"), read_queue_board, mock_voice,
                      now=clock)
    qtbot.addWidget(board)
    board.resize(1920, 1080)
    board.show()
    qtbot.waitUntil(lambda: board.board is not None and board.announcer is not None)
    assert board.number.text() == "A001" and board.today.text() == "2026年12月4日 星期五"
    heard = spoken(board)
    clock.advance(minutes=3)  # 00:01: the slow timer reads the board again, no change told
    reads = board.board
    board.safety.timeout.emit()
    qtbot.waitUntil(lambda: board.board is not reads and not board.tasks.busy)
    assert board.welcome.isVisible() and not board.number.isVisible() and not board.recent_panel.isVisible()
    assert [count.text() for _name, count in board.waiting if count.isVisible()] == ["等候 0 人"] * 4
    qtbot.waitUntil(lambda: board.today.text() == "2026年12月5日 星期六")
    queue_service.issue_ticket(sqlite_hall, type_code="general", source=TicketSource.KIOSK)
    first = queue_service.call_next(sqlite_hall, window=1)
    assert first is not None and first.number == "A001"
    qtbot.waitUntil(lambda: board.number.isVisible() and board.window_line.text() == "请到 1 号窗口", timeout=5000)
    qtbot.waitUntil(lambda: heard == ["请 A001 号到 1 号窗口"], timeout=5000)


def test_the_flash_ends_by_itself(qtbot: QtBot, work_context: Context) -> None:
    queue = Queue()
    board = make_board(qtbot, work_context, queue, flash_ms=2000)
    queue.call(("A012", 3))
    queue_changed(qtbot, board, queue)
    assert board.flashing
    qtbot.waitUntil(lambda: not board.flashing, timeout=5000)
    assert board.call_panel.property("flash") is False


def test_a_recall_is_announced_again(qtbot: QtBot, work_context: Context) -> None:
    queue = Queue()
    board = make_board(qtbot, work_context, queue)
    heard = spoken(board)
    queue.call(("A012", 3))
    queue_changed(qtbot, board, queue)
    qtbot.waitUntil(lambda: len(heard) == 1, timeout=5000)
    queue.call(("A012", 3))  # the same number, called again: a new call
    queue_changed(qtbot, board, queue)
    qtbot.waitUntil(lambda: len(heard) == 2, timeout=5000)
    assert heard == ["请 A012 号到 3 号窗口"] * 2
    assert [label.text() for label in board.recent[:1]] == ["A012  →  3 号窗口"]


def test_calls_arriving_together_are_announced_in_the_order_made(qtbot: QtBot, work_context: Context) -> None:
    queue = Queue()
    board = make_board(qtbot, work_context, queue)
    heard = spoken(board)
    queue.call(("A012", 3), ("B003", 5), ("A013", 1))
    queue_changed(qtbot, board, queue)
    assert board.number.text() == "A013" and board.window_line.text() == "请到 1 号窗口"
    assert [label.text() for label in board.recent[:3]] == ["B003  →  5 号窗口", "A012  →  3 号窗口", ""]
    assert board.recent_panel.isVisible()
    qtbot.waitUntil(lambda: board.call_panel.width() < 1920 * 2 // 3)  # two fifths for the last calls
    qtbot.waitUntil(lambda: len(heard) == 3, timeout=10_000)
    assert heard == ["请 A012 号到 3 号窗口", "请 B003 号到 5 号窗口", "请 A013 号到 1 号窗口"]


def test_the_calls_on_screen_when_the_display_starts_are_not_announced(qtbot: QtBot, work_context: Context) -> None:
    queue = Queue()
    queue.call(("A012", 3))
    board = make_board(qtbot, work_context, queue)
    assert board.number.text() == "A012" and not board.flashing
    assert isinstance(board.announcer, SpeechAnnouncer) and not board.announcer.busy


def test_a_change_told_while_a_read_is_on_its_way_is_read_after_it(qtbot: QtBot, work_context: Context) -> None:
    queue = Queue()
    board = make_board(qtbot, work_context, queue)
    heard = spoken(board)
    reads = queue.reads
    queue.gate = threading.Event()
    queue.call(("A012", 3))
    board.ctx.tasks.changed.emit(Changes.of(Topic.QUEUE))
    qtbot.waitUntil(lambda: queue.reads == reads + 1)  # the read has the board with A012 and waits
    queue.call(("B003", 5))
    board.ctx.tasks.changed.emit(Changes.of(Topic.QUEUE))  # told while the read is on its way
    queue.gate.set()
    qtbot.waitUntil(lambda: board.number.text() == "B003", timeout=5000)
    assert queue.reads == reads + 2
    qtbot.waitUntil(lambda: len(heard) == 2, timeout=10_000)
    assert heard == ["请 A012 号到 3 号窗口", "请 B003 号到 5 号窗口"]


def test_a_lost_hall_server_is_said_on_screen(qtbot: QtBot, work_context: Context) -> None:
    queue = Queue()
    board = make_board(qtbot, work_context, queue)
    assert not board.alert.isVisible()
    queue.call(("A012", 3), connected=False)
    queue_changed(qtbot, board, queue)
    assert board.alert.isVisible() and board.alert.text() == DISCONNECTED
    assert board.number.text() == "A012"  # what it last knew stays on screen
    queue.call(("A013", 2))
    queue_changed(qtbot, board, queue)
    assert not board.alert.isVisible()


def test_a_board_that_cannot_be_read_is_said_and_read_again(qtbot: QtBot, work_context: Context) -> None:
    queue = Queue()
    board = make_board(qtbot, work_context, queue)
    queue.failing = ConnectionError("hall server unreachable")
    queue_changed(qtbot, board, queue)
    assert board.alert.isVisible() and board.alert.text() == UNREADABLE
    queue.failing = None
    reads = queue.reads
    board.safety.timeout.emit()  # the slow timer reads again, pushed or not
    qtbot.waitUntil(lambda: queue.reads > reads and not board.tasks.busy, timeout=5000)
    assert not board.alert.isVisible()


@pytest.mark.unexpected_errors
def test_a_fault_reading_the_board_is_logged_and_said_like_an_unreachable_server(
        qtbot: QtBot, work_context: Context) -> None:
    told: list[str] = []
    errors.unexpected_hooks.append(lambda reference, error: told.append(f"{reference} {error}"))
    try:
        queue = Queue()
        board = make_board(qtbot, work_context, queue)
        queue.failing = RuntimeError("a fault in the reader")
        queue_changed(qtbot, board, queue)
    finally:
        errors.unexpected_hooks.pop()
    assert board.alert.text() == UNREADABLE
    assert len(told) == 1 and told[0].startswith("E-") and "a fault in the reader" in told[0]


def test_without_a_voice_engine_the_screen_says_voice_is_off_and_still_shows_calls(
        qtbot: QtBot, work_context: Context) -> None:
    queue = Queue()
    board = make_board(qtbot, work_context, queue,
                       lambda parent: announcer_from_options(VoiceOptions(engine="mock"), parent))
    assert board.announcer is not None and not board.announcer.active
    assert board.voice_off.isVisible()
    assert board.voice_off.text().startswith("语音播报不可用：本机没有中文语音。叫号照常在屏幕上显示")
    assert "mock" not in board.voice_off.text()  # no engine's name: words the hall can act on
    queue.call(("A012", 3))
    queue_changed(qtbot, board, queue)
    assert board.number.text() == "A012" and board.flashing


def test_an_engine_that_does_not_answer_leaves_the_display_working_and_says_voice_is_off(
        qtbot: QtBot, work_context: Context) -> None:
    from desktop.devices.voice import NOT_ANSWERING

    queue = Queue()
    opened: list[QObject] = []
    board = HallBoard(work_context(Actor.display_screen("D01"), "display"), queue,
                      lambda parent: opened.append(parent) or mock_voice(parent), now=lambda: NOW,
                      preflight=lambda: NOT_ANSWERING)  # what a hung speech-dispatcher comes to
    qtbot.addWidget(board)
    board.resize(1920, 1080)
    board.show()
    qtbot.waitUntil(lambda: board.board is not None and board.announcer is not None)
    assert not opened  # the engine itself was never opened on the display's thread
    assert board.voice_off.isVisible() and board.voice_off.text().startswith("语音播报不可用：语音朗读软件没有响应。")
    assert "speech" not in board.voice_off.text()
    queue.call(("A012", 3))
    queue_changed(qtbot, board, queue)
    assert board.number.text() == "A012" and board.flashing


def test_a_speaking_display_says_nothing_about_voice_until_its_engine_fails(
        qtbot: QtBot, work_context: Context) -> None:
    queue = Queue()
    board = make_board(qtbot, work_context, queue)
    assert not board.voice_off.isVisible()
    assert isinstance(board.announcer, SpeechAnnouncer)
    # the engine reports an error (speech-dispatcher lost the sound device): the next read says so
    board.announcer.engine.state = lambda: QTextToSpeech.State.Error  # type: ignore[method-assign]
    queue_changed(qtbot, board, queue)
    assert board.voice_off.isVisible() and board.voice_off.text().startswith("语音播报不可用：播报时出错。")
    assert "音箱" in board.voice_off.text()


def _visible_labels(board: HallBoard) -> list[QLabel]:
    return [label for label in board.findChildren(QLabel) if label.isVisibleTo(board) and label.text()]


def _drawn_font(label: QLabel) -> QFont:
    """The font ``label``'s text is painted in (a line of the last calls may draw its text smaller to fit)."""
    drawn = getattr(label, "drawn_font", None)
    return drawn() if callable(drawn) else label.font()


def _apart(board: HallBoard) -> str:
    """Empty when the last calls side by side are drawn apart (a gap between their texts); else which touch."""
    shown = [label for label in board.recent if label.isVisibleTo(board) and label.text()]
    spans = []
    for label in shown:
        width = QFontMetrics(_drawn_font(label)).horizontalAdvance(label.text())
        left = label.mapTo(board, QPoint(0, 0)).x() + (label.contentsRect().width() - width) // 2
        spans.append((label.mapTo(board, QPoint(0, 0)).y(), left, left + width, label.text()))
    spans.sort()
    for (top, _l, right, text), (next_top, left, _r, other) in itertools.pairwise(spans):
        if top == next_top and left - right < 24:
            return f"{text!r} and {other!r} are {left - right}px apart"
    return ""


def _fits(label: QLabel, board: HallBoard) -> str:
    """Empty when all of ``label``'s text is inside it and it is inside the screen; else what is cut."""
    where = QRect(label.mapTo(board, QPoint(0, 0)), label.size())
    if not board.rect().contains(where):
        return f"{label.text()!r} lies outside the screen: {where}"
    inner = label.contentsRect()
    if label.wordWrap():
        needed = label.heightForWidth(label.width())
        return "" if needed <= label.height() + 1 else f"{label.text()!r} needs {needed}px, has {label.height()}"
    text = QFontMetrics(_drawn_font(label)).boundingRect(label.text())
    if text.width() > inner.width() + 1 or text.height() > inner.height() + 1:
        return f"{label.text()!r} needs {text.width()}×{text.height()}, has {inner.width()}×{inner.height()}"
    return ""


@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920), (1280, 1024), (3840, 2160)],
                         ids=["landscape", "portrait", "5:4", "4k"])
def test_everything_fits_the_screen_and_the_call_is_readable_from_afar(
        qtbot: QtBot, work_context: Context, size: tuple[int, int]) -> None:
    queue = Queue()
    # a hall whose name is long: it is shortened with “…” (in landscape beside the date and clock), never cut
    queue.board = replace(queue.board,
                          hall_name="中共浦江县委浦江县人民政府信访局人民来访接待中心（浦江县社会矛盾纠纷调处化解中心）")
    # seven types, one with the longest name a type may have (32 characters) and stopped while people wait
    waiting = (WaitingCount("综合接待", "A", 12), WaitingCount("农民工欠薪绿色通道", "G", 3),
               WaitingCount("涉法涉诉", "S", 7), WaitingCount("领导接访", "L", 1),
               WaitingCount("退役军人事务与优抚安置政策咨询", "D", 4),
               WaitingCount("征地拆迁与不动产登记历史遗留问题专窗（含补偿安置）及其他相关事项"[:32] + "（暂停取号）",
                            "E", 30),
               WaitingCount("医疗卫生、社会保障和劳动就业", "F", 3))
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    font, style = app.font(), app.styleSheet()
    apply_theme(app, "display")  # the program's CJK font: its lines are taller than Qt's default font's
    try:
        board = make_board(qtbot, work_context, queue,
                           lambda parent: announcer_from_options(VoiceOptions(engine="mock"), parent))
        board.resize(*size)
        qtbot.waitUntil(lambda: board.portrait == (size[1] > size[0]), timeout=1000)
        board.grab()  # lay out and polish, as painting does
        assert board.welcome.isVisible()
        # from the welcome to a full board, cut off from the server and without voice
        queue.call(*[(f"A0{n:02d}", n % 12 + 1) for n in range(1, 8)], ("LD012", 12), connected=False,
                   waiting=waiting)
        # the longest of the lines a call can have: a number whose visitor did not come twice
        # (two of them side by side in portrait, where the last calls are listed two a row)
        queue.board = replace(queue.board, recent=tuple(replace(call, missed="过号，请重新取号") if i < 2 else call
                                                        for i, call in enumerate(queue.board.recent)))
        queue_changed(qtbot, board, queue)
        board.grab()
        assert (board.width(), board.height()) == size  # the content never makes the window outgrow the screen
        base = (1080, 1920) if size[1] > size[0] else (1920, 1080)  # the type scales with a smaller screen
        _check_fits(board, scale=min(size[0] / base[0], size[1] / base[1]))
        # the number called last passed over: 过号 above it, the number out of the call's colour, all still fits
        assert queue.board.current is not None
        called_colour = board.number.palette().color(board.number.foregroundRole())
        queue.board = replace(queue.board, current=replace(queue.board.current, missed="过号，稍后再叫"))
        queue_changed(qtbot, board, queue)
        board.grab()
        assert board.caption.text() == "过号" and board.window_line.text() == "过号，稍后再叫"
        assert board.number.palette().color(board.number.foregroundRole()) != called_colour
        assert (board.width(), board.height()) == size
        assert [problem for label in _visible_labels(board) if (problem := _fits(label, board))] == []
    finally:
        app.setFont(font)
        app.setStyleSheet(style)


def _check_fits(board: HallBoard, scale: float) -> None:
    """Everything fits; at 1080p (``scale`` 1, else in proportion) the call is readable from 10 m."""
    assert board.number.text() == "LD012" and board.alert.isVisible() and board.voice_off.isVisible()
    labels = _visible_labels(board)
    assert {board.number, board.window_line, board.hall_name, board.clock, board.today, board.reception,
            *board.recent, *(label for pair in board.waiting[:7] for label in pair)} <= set(labels)
    assert [problem for label in labels if (problem := _fits(label, board))] == []
    assert _apart(board) == ""
    assert [label.text() for label in board.recent[:2]] == ["A007  过号，请重新取号", "A006  过号，请重新取号"]
    assert board.hall_name.text().startswith("中共浦江县委") and board.hall_name.text().endswith("…")
    # the longest type name is shortened, never its count: 8 m away, “等候 30 人” is what its people look for
    long_name, long_count = board.waiting[5]
    assert long_name.text().startswith("E　征地拆迁") and long_name.text().endswith("…") and \
        long_name.full.endswith("（暂停取号）") and long_count.text() == "等候 30 人"
    # readable from 10 m: the number's and the window's characters well over 150 px high at 1080p
    assert QFontMetrics(board.number.font()).tightBoundingRect("LD012").height() >= 150 * min(1.0, scale)
    assert QFontMetrics(board.window_line.font()).tightBoundingRect("号窗口").height() >= 100 * min(1.0, scale)
    assert board.today.text() == "2026年12月5日 星期六" and board.clock.text() == "10:00:00"
    assert board.reception.text() == "下一个领导接访日：2026年12月15日 星期二"
    # numbers and windows only: nothing on screen looks like a name or an ID number
    assert not any(re.search(r"\d{15,}", label.text()) for label in labels)


def test_a_number_passed_over_is_said_so_not_sent_to_the_window(
        qtbot: QtBot, work_context: Context, sqlite_hall: Hall) -> None:
    """过号: a visitor coming back late read “A001 → 3 号窗口” and went to a window serving someone else."""
    from desktop.app import read_queue_board
    from desktop.domain.queue import QueueAction, TicketSource
    from desktop.services import queue as queue_service

    board = HallBoard(work_context(Actor.display_screen("D01"), "display"), read_queue_board, mock_voice)
    qtbot.addWidget(board)
    board.resize(1080, 1920)
    board.show()
    qtbot.waitUntil(lambda: board.board is not None)
    for _ in range(2):
        queue_service.issue_ticket(sqlite_hall, type_code="general", source=TicketSource.KIOSK)
    first = queue_service.call_next(sqlite_hall, window=3)
    assert first is not None
    queue_service.act(sqlite_hall, first.ticket_id, QueueAction.SKIP, window=3)  # back in the queue once
    qtbot.waitUntil(lambda: board.window_line.text() == "过号，稍后再叫", timeout=5000)
    # the headline says what happens to the number now: read from afar, 正在叫号 above it still called it
    assert board.number.text() == first.number and board.caption.text() == "过号"
    second = queue_service.call_next(sqlite_hall, window=3)
    assert second is not None
    qtbot.waitUntil(lambda: board.number.text() == second.number, timeout=5000)
    assert board.window_line.text() == "请到 3 号窗口" and board.caption.text() == "正在叫号"
    assert board.recent[0].text() == f"{first.number}  过号，稍后再叫"
    queue_service.act(sqlite_hall, second.ticket_id, QueueAction.FINISH, window=3)
    again = queue_service.call_next(sqlite_hall, window=3)  # the first visitor's second chance
    assert again is not None and again.number == first.number
    qtbot.waitUntil(lambda: board.window_line.text() == "请到 3 号窗口" and board.number.text() == first.number,
                    timeout=5000)
    queue_service.act(sqlite_hall, again.ticket_id, QueueAction.SKIP, window=3)  # out of the queue
    qtbot.waitUntil(lambda: board.window_line.text() == "过号，请重新取号", timeout=5000)
    assert board.caption.text() == "过号"
    assert board.recent[0].text() == f"{second.number}  →  3 号窗口"  # served: its line as it was


def test_a_call_made_by_another_program_on_the_same_database_is_shown_within_a_second(
        qtbot: QtBot, work_context: Context, sqlite_hall: Hall, clock: FakeClock, tmp_path: Path) -> None:
    """A hall without a hall server: the counter's program writes the call, the display's change feed is silent
    (the call reached the screen 4.6 s and 5.7 s later, with the display's slow read). How soon is the
    benchmark's to say (`bench.queue --shared-calls`)."""
    from db.engine import make_engine, sqlite_url
    from desktop.app import read_queue_board
    from desktop.domain.queue import TicketSource
    from desktop.services import queue as queue_service
    from tests.conftest import SECRETS, make_hall

    board = HallBoard(work_context(Actor.display_screen("D01"), "display"), read_queue_board, mock_voice)
    qtbot.addWidget(board)
    board.resize(1920, 1080)
    board.show()
    qtbot.waitUntil(lambda: board.board is not None and board.watch.seen is not None, timeout=5000)
    board.safety.stop()  # the slow read never comes: only the queue's mark can bring the call (in 0.4 s)
    other = make_engine(sqlite_url(tmp_path / "hall.db"), key=SECRETS.database_key)
    try:
        counter = make_hall(other, clock)
        for window in (3, 5):
            queue_service.issue_ticket(counter, type_code="general", source=TicketSource.KIOSK)
            called = queue_service.call_next(counter, window=window)
            assert called is not None
            qtbot.waitUntil(lambda c=called: board.number.text() == c.number, timeout=10_000)  # type: ignore[misc]
        assert board.window_line.text() == "请到 5 号窗口"
    finally:
        qtbot.waitUntil(lambda: not board.tasks.busy and not board.watch.tasks.busy, timeout=5000)
        other.dispose()
