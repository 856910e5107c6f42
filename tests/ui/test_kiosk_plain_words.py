"""The kiosk's refusals in view, at the field at fault, in plain words: registration's ID number, 人民建议's name."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop.services.context import Hall
from tests.helpers import valid_id
from tests.ui.test_kiosk_booking_view import SIZES, _in_window
from tests.ui.test_kiosk_citizen import Themed, _kiosk_window, themed
from ui.kiosk.register import RegistrationFlow

__all__ = ["themed"]  # the fixture, used here by its name


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("large", [False, True])
def test_a_wrong_id_number_puts_the_citizen_back_in_its_field_with_the_phone_field_whole(
        qtbot: QtBot, sqlite_hall: Hall, themed: Themed, size: tuple[int, int], large: bool) -> None:
    """The refusal's banner cut the phone field in half, and the focus stayed on 下一步 (no keyboard to correct it)."""
    themed(QApplication.instance())
    window, shell = _kiosk_window(qtbot, sqlite_hall, size)
    shell.large_button.setChecked(large)
    flow = shell.open_flow("register")
    assert isinstance(flow, RegistrationFlow)
    flow.name.setText("王建国")
    good = valid_id(seq=123)
    flow.id_number.setText(good[:-1] + ("0" if good[-1] != "0" else "1"))
    qtbot.mouseClick(flow.next_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "身份证号码不对" in flow.message.text())
    qtbot.waitUntil(lambda: _in_window(window, shell, flow.message) and flow.id_number.hasFocus())
    assert _in_window(window, shell, flow.id_number) and _in_window(window, shell, flow.next_button)
    qtbot.waitUntil(lambda: _in_window(window, shell, flow.phone))


def test_a_refusal_on_the_town_screen_keeps_its_words_whole(qtbot: QtBot, sqlite_hall: Hall, themed: Themed) -> None:
    """“不清楚” broke across two lines (不 / 清楚) with 大字 standing up: the refusal is laid out by its clauses."""
    from PySide6.QtWidgets import QLabel

    from ui.common.widgets import WORD_JOINER

    themed(QApplication.instance())
    _window, shell = _kiosk_window(qtbot, sqlite_hall, (1080, 1920))
    shell.large_button.setChecked(True)
    flow = shell.open_flow("register")
    assert isinstance(flow, RegistrationFlow)
    flow.name.setText("王建国")
    flow.id_number.setText(valid_id(seq=123))
    qtbot.mouseClick(flow.next_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: flow.step == 1)
    qtbot.mouseClick(flow.next_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "不清楚" in flow.message.text())
    laid_out = QLabel.text(flow.message)
    assert WORD_JOINER.join("不清楚") in laid_out and WORD_JOINER.join("乡镇") in laid_out


def test_the_priority_toggle_says_on_and_off_in_words_and_the_ticket_prints_it(
        qtbot: QtBot, work_context: Any, sqlite_engine: Any, clock: Any, tmp_path: Any,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """On and off differed by colour only, and the printed ticket did not say 优先 where the screen did."""
    from desktop.services import documents
    from tests.conftest import make_hall
    from tests.ui.test_kiosk import KIOSK, _Queue
    from ui.kiosk.body import kiosk_body, ticket_flow
    from ui.kiosk.ticket import TicketFlow

    printed: list[bool] = []
    real = documents.queue_ticket

    def spy(*args: Any, **kwargs: Any) -> Any:
        printed.append(bool(kwargs.get("priority")))
        return real(*args, **kwargs)

    monkeypatch.setattr(documents, "queue_ticket", spy)
    hall = make_hall(sqlite_engine, clock, printer_receipts=f"pdf:{tmp_path}")
    queue = _Queue()
    body = kiosk_body(work_context(KIOSK, "kiosk", hall=hall), ticket=ticket_flow(queue.window_types,
                                                                                 queue.issue_ticket))
    qtbot.addWidget(body)
    body.show()
    qtbot.mouseClick(body.tile_buttons["ticket"], Qt.MouseButton.LeftButton)
    flow = body.flow
    assert isinstance(flow, TicketFlow)
    qtbot.waitUntil(lambda: len(flow.type_buttons) == 2)
    off = flow.priority.text()
    assert off.startswith("需要优先办理？") and "✓" not in off  # off, it asks (不需要… read as a business)
    qtbot.mouseClick(flow.priority, Qt.MouseButton.LeftButton)
    assert flow.priority.text().startswith("✓ 需要优先办理")
    qtbot.mouseClick(flow.priority, Qt.MouseButton.LeftButton)
    assert flow.priority.text() == off
    qtbot.mouseClick(flow.priority, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(flow.issued, timeout=10_000):
        qtbot.mouseClick(flow.type_buttons[0], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: flow.printing.text() == "请取走号票", timeout=20_000)
    assert printed == [True]


@pytest.mark.parametrize(("size", "large"), [
    ((1920, 1080), False), ((1080, 1920), False), ((1080, 1920), True), ((1920, 1080), True)])
def test_a_refused_name_in_a_suggestion_is_said_in_view_above_the_keyboard_and_focused(
        qtbot: QtBot, sqlite_hall: Hall, themed: Themed, size: tuple[int, int], large: bool) -> None:
    """A 520-character name pasted, 署名提交 tapped from the phone field with the dial pad up: the refusal went under
    the keyboard with the buttons, and the focus stayed in the phone field."""
    from PySide6.QtWidgets import QLabel

    from tests.ui.test_kiosk_booking_view import _bars
    from tests.ui.test_kiosk_citizen import LARGEST, _keyboard_up
    from ui.kiosk.suggest import SuggestionFlow

    themed(QApplication.instance())
    window, shell = _kiosk_window(qtbot, sqlite_hall, size)
    shell.large_button.setChecked(large)
    flow = shell.open_flow("suggest")
    assert isinstance(flow, SuggestionFlow)
    qtbot.waitUntil(lambda: not flow.tasks.busy)
    flow.content.setPlainText("建议大厅为老年人提供老花镜和放大镜，并在取号机旁安排志愿者")
    flow.check_content()
    flow.name.setText("王建国1" * 130)  # 520 characters, a paste
    flow.phone.setFocus()
    qtbot.waitUntil(flow.phone.hasFocus)
    keyboard = round(LARGEST * size[0] / 1920)
    _keyboard_up(shell, keyboard)
    qtbot.mouseClick(flow.send_named, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "姓名" in flow.message.text() and not flow.tasks.busy, timeout=10_000)
    caption = next(label for label in flow.findChildren(QLabel) if label.text() == "姓名")
    qtbot.waitUntil(lambda: flow.name.hasFocus() and all(
        _in_window(window, shell, w, keyboard) for w in (flow.message, flow.name, caption, flow.send_named)))
    assert len(_bars(shell)) <= 1, "two scroll bars side by side"


def test_the_suggestions_name_takes_the_keys_when_its_screen_shows(qtbot: QtBot, sqlite_hall: Hall) -> None:
    """署名 opened with no field focused: a physical keyboard's keys typed next went nowhere."""
    from ui.kiosk.suggest import SuggestionFlow

    _window, shell = _kiosk_window(qtbot, sqlite_hall, (1920, 1080))
    flow = shell.open_flow("suggest")
    assert isinstance(flow, SuggestionFlow)
    qtbot.waitUntil(lambda: not flow.tasks.busy)
    flow.content.setPlainText("建议大厅为老年人提供老花镜和放大镜，并在取号机旁安排志愿者")
    flow.check_content()
    qtbot.waitUntil(flow.name.hasFocus)
    qtbot.keyClicks(flow.name, "Wang")
    assert flow.name.text() == "Wang"
