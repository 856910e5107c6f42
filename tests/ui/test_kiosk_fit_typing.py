"""The kiosk with its on-screen keyboard up: rows whole or out of view, a refusal that leaves the screen its width,
the portrait arrangement kept however short the keyboard leaves the flow."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QRegion
from PySide6.QtWidgets import QApplication, QPlainTextEdit, QPushButton, QScrollArea, QWidget
from pytestqt.qtbot import QtBot

from desktop.services.context import Hall
from tests.ui.test_kiosk_citizen import KEYBOARD, LARGEST, Themed, _keyboard_down, _keyboard_up, _kiosk_window, themed
from tests.ui.test_kiosk_suggest_fit import suggestion_in
from ui.kiosk.progress import ProgressFlow
from ui.kiosk.register import RegistrationFlow
from ui.kiosk.shell import KioskShell
from ui.kiosk.suggest import SuggestionFlow

__all__ = ["themed"]  # the fixture, used here by its name


def _holds(qtbot: QtBot, check: Callable[[], bool]) -> None:
    """``check`` comes true, and stays so once the event loop has settled."""
    qtbot.waitUntil(check)
    for _turn in range(10):
        QApplication.processEvents()
    assert check()


def _registering(qtbot: QtBot, hall: Hall, themed: Themed, size: tuple[int, int],
                 large: bool) -> tuple[QWidget, KioskShell, RegistrationFlow]:
    """自助登记 opened on the kiosk's own window at ``size`` (大字 with ``large``), its towns read."""
    themed(QApplication.instance())
    window, shell = _kiosk_window(qtbot, hall, size)
    shell.large_button.setChecked(large)
    flow = shell.open_flow("register")
    assert isinstance(flow, RegistrationFlow)
    qtbot.waitUntil(lambda: not flow.loading.busy)
    return window, shell, flow


def _below(upper: object, lower: object, flow: RegistrationFlow) -> bool:
    """Whether ``lower`` stands under ``upper`` on the flow's screen (in the same column)."""
    assert isinstance(upper, QWidget) and isinstance(lower, QWidget)
    a, b = upper.mapTo(flow, QPoint(0, 0)), lower.mapTo(flow, QPoint(0, 0))
    return b.y() >= a.y() + upper.height() and abs(b.x() - a.x()) < 40


def test_a_portrait_kiosk_keeps_the_portrait_who_screen_when_the_keyboard_leaves_it_short(
        qtbot: QtBot, sqlite_hall: Hall, themed: Themed) -> None:
    """The towns of 问题发生地 come in a moment after the flow opens, and the flow arranged its screens then by its
    own shape: above the keyboard (or before its first layout) a portrait flow is wider than tall, and the 身份
    screen of a standing kiosk got the lying-down arrangement: the hint over the fields, the address under the
    name. The kiosk's orientation decides it."""
    themed(QApplication.instance())
    _window, shell = _kiosk_window(qtbot, sqlite_hall, (1080, 1920))
    shell.large_button.setChecked(True)
    _keyboard_up(shell, 1000)  # still up from the citizen before: the flow gets less height than width
    flow = shell.open_flow("register")
    assert isinstance(flow, RegistrationFlow)
    qtbot.waitUntil(lambda: not flow.loading.busy and len(flow.where_buttons) > 1)
    qtbot.waitUntil(lambda: flow.rare_hint.isVisible() and flow.address.isVisible())
    assert flow.portrait
    # standing up: the hint under the name, the address last, under the phone
    assert _below(flow.name, flow.rare_hint, flow)
    assert _below(flow.phone, flow.address, flow)
    _keyboard_down(shell)  # the keyboard goes: the same arrangement
    qtbot.waitUntil(lambda: _below(flow.name, flow.rare_hint, flow) and _below(flow.phone, flow.address, flow))


def _seen_part(view: QWidget, widget: QWidget) -> int:
    """How many rows of pixels of ``widget`` the scroll area's ``view`` shows (its mask counted)."""
    rect = QRect(widget.mapTo(view, QPoint(0, 0)), widget.size()).intersected(view.rect())
    if rect.isEmpty():
        return 0
    shown = QRegion(rect)
    if not view.mask().isEmpty():
        shown = shown.intersected(view.mask())
    return shown.boundingRect().height()


@pytest.mark.parametrize("large", [False, True])
@pytest.mark.parametrize("keyboard", [KEYBOARD, LARGEST])
def test_lying_down_with_the_keyboard_up_each_booking_row_is_whole_or_out_of_view(
        qtbot: QtBot, sqlite_hall: Hall, themed: Themed, large: bool, keyboard: int) -> None:
    """Typing the phone lying down, a sliver of 来访人数's buttons (or of 反映问题's field) showed at the form's
    bottom edge. Over each field: the field and its caption whole, and every row of the form (a caption and its
    field) either seen whole or not at all."""
    from tests.ui.test_kiosk_booking_view import _click, _days, _open_booking

    themed(QApplication.instance())
    _days(sqlite_hall, 1)
    _window, shell, flow = _open_booking(qtbot, sqlite_hall, (1920, 1080), large)
    _click(qtbot, flow.day_buttons.itemAt(0).widget())  # type: ignore[arg-type]
    _click(qtbot, flow.slot_buttons.itemAt(0).widget())  # type: ignore[arg-type]
    area = flow.who_page.findChild(QScrollArea)
    assert area is not None
    view = area.viewport()

    def whole_or_none() -> bool:
        for caption, field in flow.form_rows:
            for widget in (caption, field):
                if _seen_part(view, widget) not in (0, widget.height()):
                    return False
        return True

    for field, (caption, _row) in zip((flow.name, flow.id_number, flow.phone, flow.summary),
                                      (flow.form_rows[i] for i in (0, 1, 2, 4)), strict=True):
        field.setFocus()
        qtbot.waitUntil(field.hasFocus)
        _keyboard_up(shell, keyboard)
        qtbot.waitUntil(lambda f=field, c=caption: _seen_part(view, f) == f.height() > 0
                        and _seen_part(view, c) == c.height())
        assert area.verticalScrollBar().maximum() > 0, "the form scrolls above the keyboard"
        _holds(qtbot, whole_or_none)
        _keyboard_down(shell)  # the keyboard goes


def _refused_over_the_keyboard(qtbot: QtBot, window: QWidget, shell: KioskShell,
                               flow: RegistrationFlow | SuggestionFlow, box: QPlainTextEdit, forward: QPushButton,
                               keyboard: int) -> QWidget:
    """With the keyboard up (``keyboard`` px) lying down over a long box: ``forward`` tapped, the flow's refusal
    said; the box's screen keeps its width and 清空重写 beside the box, the refusal and ``forward`` seen, nothing
    scrolls sideways, one scroll bar at most. Returns the screen."""
    from tests.ui.test_kiosk_booking_view import _bars, _in_window
    from ui.kiosk.screens import StartOver

    message = flow.message
    _keyboard_up(shell, keyboard)
    qtbot.waitUntil(lambda: _in_window(window, shell, forward, keyboard))
    screen = flow.pages.currentWidget()
    qtbot.waitUntil(lambda: screen.width() > 1200)
    width = screen.width()
    forward.click()  # a tap: the box keeps the focus, the keyboard stays up
    qtbot.waitUntil(lambda: message.property("tone") == "error" and message.isVisible())
    start_over = next(b for b in screen.findChildren(StartOver) if b.box is box)

    def fits() -> bool:
        at = box.mapTo(flow, QPoint(0, 0))
        button = start_over.mapTo(flow, QPoint(0, 0))
        return (screen.width() == width
                and button.x() >= at.x() + box.width() and abs(button.y() - at.y()) < 40
                and all(_in_window(window, shell, w, keyboard) for w in (message, forward))
                and box.visibleRegion().boundingRect().height() > 0)

    _holds(qtbot, fits)
    sideways = [area for area in window.findChildren(QScrollArea) if area.horizontalScrollBar().isVisible()]
    assert sideways == [], "nothing scrolls sideways"
    assert len(_bars(shell)) <= 1, "two scroll bars side by side"
    return screen


@pytest.mark.parametrize("large", [False, True])
@pytest.mark.parametrize("keyboard", [KEYBOARD, LARGEST])
@pytest.mark.parametrize(("box_name", "written"), [("request", ""), ("request", "长" * 5001),
                                                   ("reasons", "长" * 5001)])
def test_lying_down_with_the_keyboard_up_a_refusal_leaves_a_long_box_screen_its_width(
        qtbot: QtBot, sqlite_hall: Hall, themed: Themed, large: bool, keyboard: int, box_name: str,
        written: str) -> None:
    """诉求 lying down with 大字 and the keyboard up: the refusal beside the screen squeezed it to some 870 px, with
    a scroll bar sideways besides the one up and down, and 清空重写 went above the box. With the refusal said the
    screen keeps its width, nothing scrolls sideways, 清空重写 stays beside the box; the refusal, the box and
    下一步 are seen, one scroll bar at most."""

    window, shell, flow = _registering(qtbot, sqlite_hall, themed, (1920, 1080), large)
    box = getattr(flow, box_name)  # 诉求's box, or 理由's under 事实's on the screen after
    flow.show_step(2 if box is flow.request else 3)
    box.setPlainText(written)
    box.setFocus()
    qtbot.waitUntil(box.hasFocus)
    screen = _refused_over_the_keyboard(qtbot, window, shell, flow, box, flow.next_button, keyboard)
    _keyboard_down(shell)  # the keyboard goes: what the box asks for is said over it again
    qtbot.waitUntil(lambda: all(w.isVisible() for w in flow.box_captions if screen.isAncestorOf(w)))


@pytest.mark.parametrize("large", [False, True])
def test_lying_down_with_the_keyboard_up_a_refused_id_number_is_said_beside_the_who_screen(
        qtbot: QtBot, sqlite_hall: Hall, themed: Themed, large: bool) -> None:
    """The 身份 screen's fields are short: its refusal stays beside the screen above the keyboard (under it, with
    大字, the refusal and 下一步 went under the keyboard and the page scrolled beside the screen's own bar)."""
    from tests.ui.test_kiosk_booking_view import _bars, _in_window

    window, shell, flow = _registering(qtbot, sqlite_hall, themed, (1920, 1080), large)
    flow.name.setText("欧阳春花")
    flow.id_number.setText("110101199003071234")  # a wrong check digit
    flow.id_number.setFocus()
    qtbot.waitUntil(flow.id_number.hasFocus)
    _keyboard_up(shell, LARGEST)
    flow.next_button.click()
    qtbot.waitUntil(lambda: "身份证号码" in flow.message.text() and flow.message.isVisible())
    qtbot.waitUntil(lambda: all(_in_window(window, shell, w, LARGEST)
                                for w in (flow.message, flow.next_button, flow.id_number)))
    assert len(_bars(shell)) <= 1, "two scroll bars side by side"
    # the number the refusal asks to check digit by digit is seen whole (beside the refusal the screen's two
    # columns squeezed the field to its last 12 digits): the text inside the field's padding and border
    field = flow.id_number
    _holds(qtbot, lambda: field.fontMetrics().horizontalAdvance(field.text()) <= field.width() - 2 * (14 + 4))


@pytest.mark.parametrize("large", [False, True])
@pytest.mark.parametrize(("size", "keyboard"), [((1080, 1920), KEYBOARD), ((1080, 1920), LARGEST),
                                                ((1920, 1080), KEYBOARD), ((1920, 1080), LARGEST)])
def test_over_the_keyboard_nothing_on_the_who_screen_is_seen_cut(
        qtbot: QtBot, sqlite_hall: Hall, themed: Themed, large: bool, size: tuple[int, int], keyboard: int) -> None:
    """自助登记's 身份 standing up with 大字 and the digits pad up over the phone: the top half of 住址's caption
    showed under the field, a strip of words cut through. Over each field, every caption, field and button of the
    screen is seen whole or not at all, the field typed in whole."""

    _window, shell, flow = _registering(qtbot, sqlite_hall, themed, size, large)
    area = flow.pages.widget(0)
    assert isinstance(area, QScrollArea)
    _over_each_field_whole_or_none(qtbot, shell, area, keyboard, (flow.name, flow.id_number, flow.phone, flow.address))


@pytest.mark.parametrize("large", [False, True])
@pytest.mark.parametrize(("size", "keyboard"), [((1080, 1920), KEYBOARD), ((1080, 1920), LARGEST),
                                                ((1920, 1080), KEYBOARD), ((1920, 1080), LARGEST)])
def test_over_the_keyboard_nothing_on_the_query_screen_is_seen_cut(
        qtbot: QtBot, sqlite_hall: Hall, themed: Themed, large: bool, size: tuple[int, int], keyboard: int) -> None:
    """查询进度 lying down with the digits pad up over the query code: the number's field above it showed cut
    through (its caption gone, its top edge under the bar; with 大字 a 2 px strip of its bottom edge). Its white
    panel's rows are the screen's rows: each is seen whole or not at all, the field typed in whole."""
    themed(QApplication.instance())
    _window, shell = _kiosk_window(qtbot, sqlite_hall, size)
    shell.large_button.setChecked(large)
    flow = shell.open_flow("progress")
    assert isinstance(flow, ProgressFlow)
    area = flow.whole_rows.area
    _over_each_field_whole_or_none(qtbot, shell, area, keyboard, (flow.number, flow.code))


def _over_each_field_whole_or_none(qtbot: QtBot, shell: KioskShell, area: QScrollArea, keyboard: int,
                                   fields: tuple[QWidget, ...]) -> None:
    """With each of ``fields`` typed in over the keyboard (``keyboard`` px tall): the field seen whole, and every
    caption, field and button of ``area``'s screen seen whole or not at all."""
    from PySide6.QtWidgets import QAbstractButton, QLabel, QLineEdit

    view = area.viewport()
    page = area.widget()
    assert page is not None

    def whole_or_none() -> bool:
        for widget in page.findChildren(QWidget):
            if (isinstance(widget, QLabel | QLineEdit | QAbstractButton) and widget.isVisible()
                    and widget.height() <= view.height()
                    and _seen_part(view, widget) not in (0, widget.height())):
                return False
        return True

    for field in fields:
        field.setFocus()
        qtbot.waitUntil(field.hasFocus)
        _keyboard_up(shell, keyboard)
        qtbot.waitUntil(lambda f=field: _seen_part(view, f) == f.height() > 0)
        _holds(qtbot, whole_or_none)
        _keyboard_down(shell)  # the keyboard goes


@pytest.mark.parametrize("large", [False, True])
@pytest.mark.parametrize("written", ["建议", "长" * 3001])
def test_lying_down_with_the_keyboard_up_a_refused_suggestion_keeps_its_box_screen_wide(
        qtbot: QtBot, sqlite_hall: Hall, themed: Themed, large: bool, written: str) -> None:
    """人民建议's box, like 诉求's: a refusal (too short, too long) said beside the screen squeezed it, 清空重写 went
    above the box. The screen keeps its width, 清空重写 stays beside the box, the refusal and 下一步 are seen."""

    themed(QApplication.instance())
    window, shell = _kiosk_window(qtbot, sqlite_hall, (1920, 1080))
    flow = suggestion_in(qtbot, shell, large=large, contrast=False)
    qtbot.waitUntil(flow.content.isVisible)
    box = flow.content
    box.setPlainText(written)
    box.setFocus()
    qtbot.waitUntil(box.hasFocus)
    _refused_over_the_keyboard(qtbot, window, shell, flow, box, flow.to_who, LARGEST)


@pytest.mark.parametrize("large", [False, True])
@pytest.mark.parametrize("keyboard", [KEYBOARD, LARGEST])
def test_lying_down_with_the_keyboard_up_query_stands_beside_the_query_code(
        qtbot: QtBot, sqlite_hall: Hall, themed: Themed, large: bool, keyboard: int) -> None:
    """查询进度 lying down: typing the query code, 查询 was under the keyboard (the citizen had to find the keyboard's
    own Enter, or put the keyboard away). It stands at the right of the field, both seen whole; with the keyboard
    gone it is under the form again."""
    from tests.ui.test_kiosk_booking_view import _in_window
    from ui.kiosk.progress import ProgressFlow

    themed(QApplication.instance())
    window, shell = _kiosk_window(qtbot, sqlite_hall, (1920, 1080))
    shell.large_button.setChecked(large)
    flow = shell.open_flow("progress")
    assert isinstance(flow, ProgressFlow)
    flow.code.setFocus()
    qtbot.waitUntil(flow.code.hasFocus)
    _keyboard_up(shell, keyboard)

    def beside() -> bool:
        field, button = flow.code.mapTo(flow, QPoint(0, 0)), flow.submit.mapTo(flow, QPoint(0, 0))
        return (button.x() >= field.x() + flow.code.width() and abs(button.y() - field.y()) < 20
                and all(_in_window(window, shell, w, keyboard) for w in (flow.code, flow.submit)))

    qtbot.waitUntil(beside)
    for _turn in range(10):  # settled, it stays so
        QApplication.processEvents()
    assert beside()
    _keyboard_down(shell)  # the keyboard goes
    qtbot.waitUntil(lambda: flow.submit.mapTo(flow, QPoint(0, 0)).y() > flow.code.mapTo(flow, QPoint(0, 0)).y()
                    + flow.code.height() and flow.submit.width() >= flow.code.width())
