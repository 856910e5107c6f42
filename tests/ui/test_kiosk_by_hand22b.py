"""What a first-time citizen (and the administrator) met at the kiosk, on a real window under Xvfb, lying down and
standing up, with 大字 and 高对比: each fixed at its cause."""

from __future__ import annotations

from dataclasses import replace
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from desktop.services.context import Actor, Hall
from tests.ui.test_kiosk_citizen import Themed, _kiosk_window, themed

__all__ = ["themed"]  # the fixture, used here by its name

SIZES = [(1920, 1080), (1080, 1920)]


def _click(qtbot: QtBot, widget: QWidget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def _at(window: QWidget, widget: QWidget) -> QPoint:
    return widget.mapTo(window, QPoint(0, 0))


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("large", [False, True])
def test_a_wrong_pin_leaves_the_keypad_where_it_was(qtbot: QtBot, sqlite_hall: Hall, themed: Themed,
                                                     size: tuple[int, int], large: bool,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """密码不正确，还可以再试 4 次 came between the field and the keypad and pushed the keys some 40 px down (the page
    is centred): the administrator's next tap landed on the key above the one aimed at."""
    from desktop.domain.passwords import hash_pin
    from ui.kiosk.pin import PinPage

    themed(QApplication.instance())
    window, shell = _kiosk_window(qtbot, sqlite_hall, size)
    shell.large_button.setChecked(large)
    for _ in range(5):
        _click(qtbot, shell.corner)
    page = shell.pin_page
    assert isinstance(page, PinPage)
    hashed = hash_pin("720415")
    settings = replace(page.ctx.settings, kiosk_exit_pin=hashed)
    monkeypatch.setattr(type(page.ctx), "settings", property(lambda _self: settings))
    one = next(b for b in page.findChildren(QPushButton) if b.text() == "1")
    qtbot.waitUntil(lambda: one.isVisible() and one.height() > 0)
    qtbot.wait(50)  # laid out as shown
    before = (_at(window, one), _at(window, page.confirm), _at(window, page.field))
    page.field.setText("111111")
    with qtbot.waitSignal(page.tasks.settled, timeout=10_000):
        _click(qtbot, page.confirm)
    assert "密码不正确" in page.message.text() and page.message.isVisible()
    assert page.message_room.height() <= page.message.height() + 8  # its room, not a gap under it
    qtbot.wait(50)  # laid out again
    assert (_at(window, one), _at(window, page.confirm), _at(window, page.field)) == before


@pytest.mark.parametrize("size", SIZES)
def test_an_empty_field_refused_by_the_tap_keeps_the_focus(qtbot: QtBot, sqlite_hall: Hall, themed: Themed,
                                                            size: tuple[int, int]) -> None:
    """请填写您的姓名 under an empty name the citizen had tapped: the focus went to 下一步 once the tap was taken (an
    empty field has no text to choose, which was how the tap told a refusal), the keys typed next went nowhere and
    the field did not show that it was the one to fill. A field with text was, and is, left focused, chosen."""
    from ui.kiosk.register import RegistrationFlow

    themed(QApplication.instance())
    _window, shell = _kiosk_window(qtbot, sqlite_hall, size)
    qtbot.waitUntil(lambda: shell.filtering)  # as a citizen finds it: its taps watched
    flow = shell.open_flow("register")
    assert isinstance(flow, RegistrationFlow)
    flow.name.setFocus()
    qtbot.waitUntil(flow.name.hasFocus)
    _click(qtbot, flow.next_button)
    assert flow.message.text() == "请填写您的姓名"
    qtbot.wait(50)  # the tap's end (ui.kiosk.shell: _typing_done)
    assert flow.name.hasFocus() and QApplication.focusWidget() is flow.name
    # with text, wrong: chosen, focused, as before
    flow.name.setText("张三")
    flow.id_number.setFocus()
    flow.id_number.setText("3307261950")
    _click(qtbot, flow.next_button)
    qtbot.wait(50)
    assert flow.id_number.hasFocus() and flow.id_number.selectedText() == "3307261950"
    # a tap that refuses nothing leaves no mark on the field: the next tap's end takes the focus to its button
    flow.id_number.setText("330726195003120018")
    flow.id_number.setFocus()
    _click(qtbot, flow.next_button)
    qtbot.waitUntil(lambda: flow.step == 1)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("large", [False, True])
@pytest.mark.parametrize("business", ["涉法涉诉", "农民工欠薪绿色通道"])
def test_a_ticket_put_first_by_the_cards_age_says_all_its_words_whole(
        qtbot: QtBot, sqlite_hall: Hall, themed: Themed, size: tuple[int, int], large: bool, business: str) -> None:
    """Lying down with 大字, a card of a citizen over 70: the business read 涉法涉诉 with no （优先办理） and the people
    ahead lost 请留意大厅显示屏和语音叫号 — each line of words was held to the height it has at its widest, and the
    number's side took three fifths of the width; a slip that did not print lost its last line too. Every line is
    drawn now, the page unscrolled, 完成 in view, the number still large."""
    from dataclasses import replace
    from datetime import date
    from types import SimpleNamespace

    from tests.helpers import valid_id
    from tests.sync.conftest import free_port
    from tests.ui.test_kiosk_booking_view import _bars, _in_window
    from tests.ui.test_kiosk_done_pages import _ink
    from ui.kiosk.ticket import TicketFlow

    # a ticket printer nobody answers at, wherever the tests run (a machine with a print queue printed the slip)
    sqlite_hall.settings = replace(sqlite_hall.settings, printer_receipts=f"escpos:tcp:127.0.0.1:{free_port()}")
    themed(QApplication.instance())
    window, shell = _kiosk_window(qtbot, sqlite_hall, size)
    shell.large_button.setChecked(large)
    shell.contrast_button.setChecked(True)
    flow = shell.open_flow("ticket")
    assert isinstance(flow, TicketFlow)
    qtbot.waitUntil(lambda: bool(flow.type_buttons) and not flow.tasks.busy)
    flow.card = SimpleNamespace(id_number=valid_id(birth=date(1950, 5, 1)), name="王秀英")
    button = next(b for b in flow.type_buttons if business in b.text())
    with qtbot.waitSignal(flow.issued, timeout=10_000):
        _click(qtbot, button)
    qtbot.waitUntil(lambda: "正在" not in flow.printing.text(), timeout=20_000)  # nobody there: not printed
    assert flow.business.text() == f"{business}（优先办理）"
    assert flow.ahead.text().endswith("请留意大厅显示屏和语音叫号") and "没有打印出来" in flow.printing.text()
    from desktop.documents.templates import TEXTS

    assert "请留意大厅显示屏和语音叫号" in TEXTS["queue.note"]  # the screen and the slip in the same words
    words = (flow.business, flow.ahead, flow.printing)
    def whole() -> bool:  # each as tall as its lines in its width (none cut off at the bottom), all in view
        return (all(label.height() >= label.heightForWidth(label.width()) for label in words)
                and all(_in_window(window, shell, w) for w in (*words, flow.number, flow.done_button)))

    qtbot.waitUntil(whole)
    qtbot.wait(50)  # and still so once the page has settled
    assert whole()
    assert not _bars(window)
    ink = _ink(window, flow.number)
    assert ink.height >= (0.26 if large else 0.2) * min(size) and ink.width >= 0.3 * size[0]


@pytest.mark.parametrize("size", SIZES)
def test_enter_on_the_identity_screen_visits_the_address_too(qtbot: QtBot, sqlite_hall: Hall, themed: Themed,
                                                             size: tuple[int, int]) -> None:
    """↵ went 姓名 → 身份证号码 → 手机号码 → the next screen: 住址 (written notices are sent there) was passed by, and
    ↵ in it did nothing. Now each field in the screen's order: standing up the address after the phone, lying down
    the address (under the name) before the phone (under the ID number); from the last, 下一步."""
    from tests.helpers import valid_id
    from ui.kiosk.register import RegistrationFlow

    themed(QApplication.instance())
    _window, shell = _kiosk_window(qtbot, sqlite_hall, size)
    flow = shell.open_flow("register")
    assert isinstance(flow, RegistrationFlow)
    qtbot.waitUntil(lambda: flow.portrait == (size[0] < size[1]))
    flow.name.setText("张三")
    flow.id_number.setText(valid_id(seq=5))
    order = ([flow.name, flow.id_number, flow.phone, flow.address] if size[0] < size[1]
             else [flow.name, flow.id_number, flow.address, flow.phone])
    order[0].setFocus()
    qtbot.waitUntil(order[0].hasFocus)
    for field, following in pairwise(order):
        qtbot.keyClick(field, Qt.Key.Key_Return)
        qtbot.waitUntil(following.hasFocus)
    assert flow.step == 0  # still 身份: the last field's ↵ goes on
    qtbot.keyClick(order[-1], Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: flow.step == 1)


def test_the_booking_days_screen_does_not_say_the_bars_title_again(qtbot: QtBot, sqlite_hall: Hall,
                                                                    themed: Themed) -> None:
    """The bar said 预约领导接访 and the first screen's title under it said 预约领导接访 again (its next screens say
    their step: 选择接访时段, 填写来访人信息): now 选择接访日期, and what to do under it."""
    from datetime import date

    from PySide6.QtWidgets import QLabel

    from desktop.services import reception
    from desktop.services.context import Actor
    from ui.kiosk.booking import BookingFlow

    reception.add_day(sqlite_hall, Actor("staff:ducha1", "督查", "supervisor"), date(2026, 9, 17),
                      leaders=["县长 周建华"])
    themed(QApplication.instance())
    _window, shell = _kiosk_window(qtbot, sqlite_hall, (1920, 1080))
    flow = shell.open_flow("booking")
    assert isinstance(flow, BookingFlow)
    qtbot.waitUntil(lambda: len(flow.days) > 0 and not flow.tasks.busy)
    said = [w.text() for w in flow.day_page.findChildren(QLabel) if w.isVisible() and w.text()]
    assert shell.heading.text() == "预约领导接访"
    assert said[:2] == ["选择接访日期", "轻触您要来的日期，再选择时段"]
    assert all(w.text() != shell.heading.text() for w in flow.findChildren(QLabel) if w.isVisible())


def test_the_materials_screen_without_a_camera_asks_its_question_under_its_title(
        qtbot: QtBot, sqlite_hall: Hall, themed: Themed) -> None:
    """材料 (the step's title) and 材料 again as the panel's first line, where the other screens ask their question."""
    from PySide6.QtWidgets import QLabel

    from ui.kiosk.register import RegistrationFlow

    themed(QApplication.instance())
    _window, shell = _kiosk_window(qtbot, sqlite_hall, (1920, 1080))
    flow = shell.open_flow("register")
    assert isinstance(flow, RegistrationFlow) and flow.photos is None  # no camera here
    flow.show_step(4)
    assert flow.step_title.text() == "材料"
    page = flow.pages.currentWidget()
    said = [w.text() for w in page.findChildren(QLabel) if w.isVisibleTo(page) and w.text()]
    assert said[0] == "您有书面材料要提交吗？" and "材料" not in said
    assert "请在登记后把回执和材料一起交给接待窗口工作人员" in said[1]


@pytest.mark.parametrize("size", SIZES)
def test_the_waiting_lists_button_says_it_registers_a_waiting_place(qtbot: QtBot, sqlite_hall: Hall, clerk: Actor,
                                                                     themed: Themed, size: tuple[int, int]) -> None:
    """登记候补, then a form whose button said 确认预约: a place on the waiting list read as a booking made. Now
    确认登记候补 there, whole on the screen with 大字 and the keyboard's room taken; 确认预约 again for a slot."""
    from datetime import date

    from desktop.services import reception
    from tests.helpers import valid_id
    from tests.ui.test_kiosk_booking_view import _in_window
    from tests.ui.test_kiosk_citizen import KEYBOARD, _keyboard_down, _keyboard_up
    from ui.kiosk.booking import BookingFlow, button_words

    supervisor = Actor("staff:ducha1", "督查", "supervisor")
    full = reception.add_day(sqlite_hall, supervisor, date(2026, 9, 17), leaders=["县长 周建华"],
                             slots="09:00-10:00/1")
    reception.book(sqlite_hall, clerk, full.day_id, reception.Visitor("张桂兰", valid_id(seq=41)))
    reception.add_day(sqlite_hall, supervisor, date(2026, 9, 18), leaders=["县长 周建华"])
    themed(QApplication.instance())
    window, shell = _kiosk_window(qtbot, sqlite_hall, size)
    shell.large_button.setChecked(True)
    flow = shell.open_flow("booking")
    assert isinstance(flow, BookingFlow)
    qtbot.waitUntil(lambda: len(flow.days) == 2 and not flow.tasks.busy)
    _click(qtbot, flow.day_buttons.itemAt(0).widget())  # the full day
    waiting = flow.slot_buttons.itemAt(flow.slot_buttons.count() - 1).widget()
    assert isinstance(waiting, QPushButton) and "登记候补" in button_words(waiting)
    _click(qtbot, waiting)
    assert flow.pages.currentWidget() is flow.who_page and flow.confirm.text() == "确认登记候补"
    flow.name.setFocus()
    _keyboard_up(shell, KEYBOARD)
    qtbot.waitUntil(lambda: _in_window(window, shell, flow.confirm, KEYBOARD))
    assert flow.confirm.fontMetrics().horizontalAdvance(flow.confirm.text()) <= flow.confirm.contentsRect().width()
    _keyboard_down(shell)
    _click(qtbot, next(b for b in flow.findChildren(QPushButton) if b.text() == "返回" and b.isVisible()))
    _click(qtbot, next(b for b in flow.findChildren(QPushButton) if b.text() == "返回" and b.isVisible()))
    _click(qtbot, flow.day_buttons.itemAt(1).widget())  # a day with room
    _click(qtbot, flow.slot_buttons.itemAt(0).widget())
    assert flow.confirm.text() == "确认预约"


@pytest.mark.parametrize("size", SIZES)
def test_after_a_card_read_the_ticket_pages_button_says_what_a_tap_does(
        qtbot: QtBot, work_context: Any, sqlite_engine: Any, clock: Any, tmp_path: Path,
        size: tuple[int, int]) -> None:
    """The card read, the button said 已读取身份证 beside 已读取身份证，请点下面的业务取号: the read said twice, a
    button that read as a notice. Now it says what a tap on it does, 重新刷身份证 (another card read)."""
    from tests.ui.test_kiosk_reader import _cards, _ticket

    body, flow = _ticket(qtbot, work_context, sqlite_engine, clock, f"sim:{_cards(tmp_path)}", size=size)
    qtbot.waitUntil(lambda: len(flow.type_buttons) > 1)
    _click(qtbot, flow.card_button)
    qtbot.waitUntil(lambda: flow.card is not None, timeout=10_000)
    assert flow.card_state.text() == "已读取身份证，请点下面的业务取号"
    assert flow.card_button.text() == "重新刷身份证"
    qtbot.wait(50)
    assert body.flow_scroll.verticalScrollBar().maximum() == 0
    assert flow.card_button.fontMetrics().horizontalAdvance("重新刷身份证") <= flow.card_button.contentsRect().width()
