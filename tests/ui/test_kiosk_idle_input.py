"""The kiosk's idle wipe never takes a form from a citizen who is typing, and 返回首页 asks before it throws
one away (through the real widgets; the on-screen keyboard's own window in test_kiosk_keyboard.py)."""

from __future__ import annotations

import textwrap
import threading
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, Qt, QTimer
from PySide6.QtGui import QInputMethodEvent, QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from desktop.devices.idcard import IdCard
from desktop.devices.simulated import SimulatedReader
from desktop.devices.voice import SpeechAnnouncer, VoiceOptions, announcer_from_options
from desktop.services.context import Actor
from tests.ui.kiosk_probe import NEEDS_XVFB, on_xvfb
from ui.kiosk.body import kiosk_body, kiosk_tiles, ticket_flow
from ui.kiosk.leave import QUESTION
from ui.kiosk.register import RegistrationFlow
from ui.kiosk.shell import KioskShell, widget_texts
from ui.kiosk.ticket import TicketFlow
from ui.shell.context import WorkContext

Context = Callable[..., WorkContext]
KIOSK = Actor.kiosk("K01")


def _click(qtbot: QtBot, widget: QWidget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def _kiosk(qtbot: QtBot, work_context: Context, idle_ms: int | None = None, size: tuple[int, int] = (1920, 1080),
           **kwargs: object) -> KioskShell:
    body = KioskShell(work_context(KIOSK, "kiosk"), kiosk_body(work_context(KIOSK, "kiosk")).tiles, idle_ms=idle_ms,
                      **kwargs)  # type: ignore[arg-type]
    qtbot.addWidget(body)
    body.resize(*size)
    body.show()
    qtbot.waitExposed(body)
    return body


def _register(qtbot: QtBot, body: KioskShell) -> RegistrationFlow:
    flow = body.open_flow("register")
    assert isinstance(flow, RegistrationFlow)
    qtbot.waitUntil(lambda: not flow.loading.busy)  # the towns read
    return flow


def _commit(field: QWidget, text: str = "王") -> None:
    """Text as the on-screen keyboard delivers it: a character picked from its pinyin, committed to the field."""
    event = QInputMethodEvent()
    event.setCommitString(text)
    QCoreApplication.sendEvent(field, event)


def _pinyin(field: QWidget, letters: str = "wang") -> None:
    """Letters tapped on the on-screen keyboard, still being composed into a character."""
    QCoreApplication.sendEvent(field, QInputMethodEvent(letters, []))


def _key(field: QWidget) -> None:
    """A key of a physical keyboard, or of a scanner typing into the focused field."""
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        QCoreApplication.sendEvent(field, QKeyEvent(kind, Qt.Key.Key_8, Qt.KeyboardModifier.NoModifier, "8"))


def _precise(body: KioskShell) -> QTimer:
    """The idle timer, measured to the millisecond (a coarse timer's remaining time is 5 % out)."""
    timer = body.idle._timer
    timer.setTimerType(Qt.TimerType.PreciseTimer)
    body.idle.start()
    return timer


def _card(flow: RegistrationFlow) -> None:
    """The ID card read (started with a tap some seconds before): its name and number come into the fields."""
    flow.fill_from_card(SimpleNamespace(name="王建国", id_number="330726196003150018", address=""))


@pytest.mark.parametrize("typing", [_commit, _pinyin, _key, _card], ids=["keyboard", "pinyin", "key", "id-card"])
def test_input_during_the_countdown_is_continue(qtbot: QtBot, work_context: Context,
                                                typing: Callable[..., None]) -> None:
    body = _kiosk(qtbot, work_context, idle_ms=40)
    flow = _register(qtbot, body)
    flow.name.setFocus()
    flow.name.setText("王")
    body.countdown_timer.setInterval(20)  # the 15 seconds in a moment
    qtbot.waitUntil(lambda: body.overlay.isVisible(), timeout=3000)
    body.idle.stop()  # the countdown is the test's: no new one while it runs
    wiped: list[bool] = []
    body.wiped.connect(lambda: wiped.append(True))
    if typing is _card:
        typing(flow)
    else:
        typing(flow.name if typing is not _key else QApplication.focusWidget() or flow.name)
    assert not body.overlay.isVisible() and not body.countdown_timer.isActive()
    assert body.idle.running  # the idle time starts again from this input
    body.idle.stop()
    qtbot.wait(100)  # well past the countdown's end at this pace: nothing is wiped
    assert not wiped and body.flow is flow and flow.name.text().startswith("王")


def test_text_coming_into_a_field_restarts_the_idle_time(qtbot: QtBot, work_context: Context) -> None:
    """An ID card read takes seconds after its tap; its text coming in counts as the citizen's input."""
    body = _kiosk(qtbot, work_context, idle_ms=60_000)
    flow = _register(qtbot, body)
    timer = _precise(body)
    qtbot.waitUntil(lambda: timer.remainingTime() < 59_850, timeout=3000)
    _card(flow)
    assert timer.remainingTime() > 59_850


def test_a_key_typed_before_the_countdown_restarts_the_idle_time(qtbot: QtBot, work_context: Context) -> None:
    body = _kiosk(qtbot, work_context, idle_ms=60_000)
    flow = _register(qtbot, body)
    flow.name.setFocus()
    timer = _precise(body)
    for typing in (_commit, _pinyin):
        qtbot.waitUntil(lambda: timer.remainingTime() < 59_850, timeout=3000)
        typing(flow.name, "王")
        assert timer.remainingTime() > 59_850


def test_the_kiosks_own_clearing_of_pinyin_is_not_input(qtbot: QtBot, work_context: Context) -> None:
    body = _kiosk(qtbot, work_context, idle_ms=40)
    flow = _register(qtbot, body)
    body.countdown_timer.setInterval(60_000)
    qtbot.waitUntil(lambda: body.overlay.isVisible(), timeout=3000)
    QCoreApplication.sendEvent(flow.name, QInputMethodEvent())  # half-typed letters dropped (nothing typed)
    assert body.overlay.isVisible() and body.countdown_timer.isActive()


# -- an ID card read on 取号, whose card fills no field ---------------------------------------------------


@pytest.fixture
def held_reader(monkeypatch: pytest.MonkeyPatch) -> threading.Event:
    """The simulated reader, its read held until the test lets it go (the seconds a card lies on the reader)."""
    let_go = threading.Event()
    read = SimulatedReader.read

    def held(reader: SimulatedReader, timeout: float) -> IdCard:
        assert let_go.wait(10)
        return read(reader, timeout)

    monkeypatch.setattr(SimulatedReader, "read", held)
    return let_go


def _ticket_kiosk(qtbot: QtBot, work_context: Context, sqlite_engine: Any, clock: Any, reader: str,
                  idle_ms: int) -> tuple[KioskShell, TicketFlow]:
    from desktop.services import queue
    from tests.conftest import make_hall

    hall = make_hall(sqlite_engine, clock, id_reader=reader)
    ctx = work_context(KIOSK, "kiosk", hall=hall)
    body = KioskShell(ctx, kiosk_tiles(ticket=ticket_flow(queue.window_types, queue.issue_ticket)), idle_ms=idle_ms)
    qtbot.addWidget(body)
    body.resize(1920, 1080)
    body.show()
    qtbot.waitExposed(body)
    flow = body.open_flow("ticket")
    assert isinstance(flow, TicketFlow)
    qtbot.waitUntil(lambda: bool(flow.type_buttons))
    return body, flow


def test_a_card_read_on_the_ticket_screen_restarts_the_idle_time(
        qtbot: QtBot, work_context: Context, sqlite_engine: Any, clock: Any, held_reader: threading.Event) -> None:
    """The tap on 刷身份证取号 restarts the idle time; the card, read seconds later, fills no field (the number
    is taken with it): its read restarts the idle time all the same."""
    body, flow = _ticket_kiosk(qtbot, work_context, sqlite_engine, clock, "sim:seed=7", 60_000)
    timer = _precise(body)
    _click(qtbot, flow.card_button)
    qtbot.waitUntil(lambda: timer.remainingTime() < 59_300, timeout=3000)  # the card on the reader a while
    held_reader.set()
    qtbot.waitUntil(lambda: flow.card is not None, timeout=5000)
    assert flow.card_state.text() == "已读取身份证，请点下面的业务取号"
    assert timer.remainingTime() > 59_700  # from the read's end, not from the tap


@pytest.mark.parametrize(("reader", "said"), [("sim:seed=7", "已读取身份证，请点下面的业务取号"),
                                              ("sim:unplugged", "读卡器暂时不能用")], ids=["card", "unplugged"])
def test_a_card_read_ending_in_the_countdown_is_continue(
        qtbot: QtBot, work_context: Context, sqlite_engine: Any, clock: Any, held_reader: threading.Event,
        reader: str, said: str) -> None:
    """The read was started before the countdown came up: its end, a card or why none, is the citizen still
    there — the countdown goes as with 继续使用, the page and what it says as they were."""
    body, flow = _ticket_kiosk(qtbot, work_context, sqlite_engine, clock, reader, 300)
    body.countdown_timer.setInterval(60_000)  # the countdown stays up until something ends it
    _click(qtbot, flow.card_button)
    qtbot.waitUntil(lambda: body.overlay.isVisible(), timeout=3000)
    body.idle.stop()  # the countdown is the test's: no new one while it runs
    wiped: list[bool] = []
    body.wiped.connect(lambda: wiped.append(True))
    held_reader.set()
    qtbot.waitUntil(lambda: not body.overlay.isVisible(), timeout=5000)
    assert not body.countdown_timer.isActive() and body.idle.running
    assert flow.card_state.text().startswith(said) and body.flow is flow and not wiped


# -- 返回首页 with a half-done form -----------------------------------------------------------------------


def test_home_with_typed_text_asks_first_and_continue_keeps_everything(qtbot: QtBot, work_context: Context) -> None:
    body = _kiosk(qtbot, work_context)
    flow = _register(qtbot, body)
    flow.name.setFocus()
    _commit(flow.name, "王建国")
    flow.id_number.setText("33072619600315")
    _click(qtbot, body.home_button)
    question = body.leave_question
    assert question.isVisible() and question.heading.text() == QUESTION
    assert body.flow is flow and body.pages.currentWidget() is body.flow_scroll  # nothing gone yet
    assert question.keep.isDefault() and question.keep.text() == "继续填写" and question.drop.text() == "放弃并返回首页"
    for button in (question.keep, question.drop):  # a finger's target: 15 mm at least (≈ 54 px)
        assert button.height() >= 54 and button.width() >= 54 and button.visibleRegion().boundingRect().height() >= 54
    assert question.card.geometry().bottom() <= body.height() and question.card.geometry().top() >= 0
    _click(qtbot, question.keep)
    assert not question.isVisible() and body.flow is flow
    assert flow.name.text() == "王建国" and flow.id_number.text() == "33072619600315"
    assert QApplication.focusWidget() is flow.name  # typing goes on where it was


def test_a_tap_beside_the_question_is_continue(qtbot: QtBot, work_context: Context) -> None:
    body = _kiosk(qtbot, work_context, size=(1080, 1920))
    flow = _register(qtbot, body)
    flow.name.setText("王建国")
    _click(qtbot, body.home_button)
    question = body.leave_question
    assert question.isVisible() and question.card.width() <= body.width()
    qtbot.mouseClick(question, Qt.MouseButton.LeftButton, pos=question.rect().topLeft() + question.card.pos() / 2)
    assert not question.isVisible() and body.flow is flow and flow.name.text() == "王建国"


def test_pinyin_being_typed_asks_too(qtbot: QtBot, work_context: Context) -> None:
    """Letters tapped on the keyboard and not yet made a character are not in the field's text, but typed."""
    body = _kiosk(qtbot, work_context)
    qtbot.waitUntil(lambda: body.filtering)  # the application's filter, which sees the pinyin come in
    flow = _register(qtbot, body)
    flow.name.setFocus()
    _pinyin(flow.name, "wang")
    assert flow.name.text() == ""
    _click(qtbot, body.home_button)
    assert body.leave_question.isVisible() and body.flow is flow


def test_giving_up_wipes_the_form(qtbot: QtBot, work_context: Context) -> None:
    body = _kiosk(qtbot, work_context)
    flow = _register(qtbot, body)
    flow.name.setText("王秘密")
    _click(qtbot, body.home_button)
    with qtbot.waitSignal(body.wiped):
        _click(qtbot, body.leave_question.drop)
    assert body.flow is None and body.pages.currentWidget() is body.home and not body.leave_question.isVisible()
    assert not any("王秘密" in t for t in widget_texts(body))


def test_a_chosen_option_asks_too(qtbot: QtBot, work_context: Context) -> None:
    body = _kiosk(qtbot, work_context)
    flow = _register(qtbot, body)
    flow.name.setText("王建国")
    flow.name.clear()  # typed and taken back: nothing of the citizen's left
    town = next(iter(flow.where_buttons.values()))
    flow.show_step(1)
    _click(qtbot, town)
    assert town.isChecked()
    _click(qtbot, body.home_button)
    assert body.leave_question.isVisible() and body.flow is flow


@pytest.mark.parametrize("key", ["register", "progress", "suggest", "guide"])
def test_nothing_entered_goes_home_at_once(qtbot: QtBot, work_context: Context, key: str) -> None:
    body = _kiosk(qtbot, work_context)
    flow = body.open_flow(key)
    assert flow is not None
    tasks = getattr(flow, "tasks", None)
    if tasks is not None:
        qtbot.waitUntil(lambda: not tasks.busy)
    if key == "guide":  # a topic read is no input to lose
        _click(qtbot, flow.buttons[2])  # type: ignore[attr-defined]
    _click(qtbot, body.home_button)
    assert body.flow is None and body.pages.currentWidget() is body.home
    assert body._leave is None  # the question was never built


def test_a_flow_at_its_end_goes_home_at_once(qtbot: QtBot, work_context: Context) -> None:
    """On the receipt's screen (its 完成 shown) everything typed is registered: nothing is lost by leaving."""
    body = _kiosk(qtbot, work_context)
    flow = _register(qtbot, body)
    flow.name.setText("王建国")
    flow.show_step(flow.pages.count() - 1)
    assert flow.done_button.isVisible()
    _click(qtbot, body.home_button)
    assert body.flow is None and body.pages.currentWidget() is body.home


def test_the_idle_wipe_never_asks_and_takes_the_question_away(qtbot: QtBot, work_context: Context) -> None:
    body = _kiosk(qtbot, work_context, idle_ms=60_000)
    flow = _register(qtbot, body)
    flow.name.setText("王秘密")
    _click(qtbot, body.home_button)
    assert body.leave_question.isVisible()
    body.countdown_timer.setInterval(5)
    with qtbot.waitSignal(body.wiped, timeout=3000):
        body.start_countdown()  # the citizen walked away from the question
    assert not body.leave_question.isVisible() and body.flow is None
    assert not any("王秘密" in t for t in widget_texts(body))


def test_the_question_is_said(qtbot: QtBot, work_context: Context) -> None:
    options = VoiceOptions(engine="mock", locale="en_GB", rate=1.0, repetitions=1)
    body = _kiosk(qtbot, work_context, voice=lambda parent: announcer_from_options(options, parent))
    voice = body.start_voice()
    assert isinstance(voice, SpeechAnnouncer) and voice.active
    said: list[str] = []
    voice.started.connect(said.append)
    flow = _register(qtbot, body)
    flow.name.setText("王建国")
    _click(qtbot, body.home_button)
    qtbot.waitUntil(lambda: QUESTION in said)



ASIDE = textwrap.dedent("""
    import sys
    from ui.kiosk.input_method import use_on_screen_keyboard
    use_on_screen_keyboard()
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtQuick import QQuickItem, QQuickWindow  # the keyboard's window and items seen as what they are
    from PySide6.QtWidgets import QApplication
    from ui.kiosk.body import kiosk_body, kiosk_tiles, ticket_flow
    from ui.kiosk.keyboard import find_keyboard
    from tests.ui.kiosk_probe import kiosk_on_screen, pinyin_loaded, run_polling, tap_keys
    app, shell = kiosk_on_screen(sys.argv[1])
    flow = shell.open_flow("register")
    method = QGuiApplication.inputMethod()
    state = {"phase": "up", "tries": 0}

    def shown():  # the keyboard's window on screen (not only Qt's word for it)
        return any(isinstance(w, QQuickWindow) and w.isVisible() for w in QGuiApplication.topLevelWindows())

    def report(*words):
        print(*words, flush=True)

    def poll():
        state["tries"] += 1
        if state["tries"] > 400:
            report("gave up in", state["phase"])
            return None
        phase = state["phase"]
        keyboard = find_keyboard()
        if phase == "up":
            flow.name.setFocus()
            method.show()
            if keyboard is not None and method.isVisible() and pinyin_loaded(keyboard):
                tap_keys(keyboard, "wang")
                shell.countdown_timer.setInterval(60_000)
                shell.idle._timer.setInterval(300)  # the countdown in a moment
                shell.idle.start()
                state["phase"] = "countdown"
        elif phase == "countdown" and shell.overlay.isVisible():
            report("countdown overlay", shell.overlay.isVisible(), "keyboard", method.isVisible(), shown())
            shell.idle._timer.setInterval(60_000)
            shell.overlay.keep.click()
            state["phase"] = "continued"
        elif phase == "continued" and method.isVisible() and shown():
            report("continued overlay", shell.overlay.isVisible(), "keyboard", method.isVisible(),
                   "focus", QApplication.focusWidget() is flow.name)
            tap_keys(keyboard, "g")  # pinyin still being composed: nothing in the field's text yet, but typed
            shell.home_button.click()
            state["phase"] = "question"
        elif phase == "question":
            report("question", shell.leave_question.isVisible(), "keyboard", method.isVisible(), shown())
            shell.leave_question.keep.click()
            state["phase"] = "stayed"
        elif phase == "stayed" and method.isVisible() and shown():
            report("stayed question", shell.leave_question.isVisible(), "keyboard", method.isVisible(),
                   "flow", shell.flow is flow)
            return None
        return 50

    run_polling(app, poll)
""")


@NEEDS_XVFB
@pytest.mark.parametrize("screen", ["1920x1080", "1080x1920"])
def test_the_keyboard_steps_aside_for_the_countdown_and_the_question(tmp_path: Path, screen: str) -> None:
    """The on-screen keyboard is a window of its own above the kiosk's: up, it hid the countdown's seconds and
    继续使用 (only the title showed above it). It goes while the countdown or the question covers the page
    and comes back, in the field being typed in, with 继续使用 / 继续填写."""
    done = on_xvfb(tmp_path, "aside", ASIDE, str(tmp_path), screen=screen)
    out = done.stdout
    assert "countdown overlay True keyboard False False" in out, out + done.stderr
    assert "continued overlay False keyboard True focus True" in out, out + done.stderr
    assert "question True keyboard False False" in out, out + done.stderr
    assert "stayed question False keyboard True flow True" in out, out + done.stderr
