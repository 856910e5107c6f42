"""What a first-time citizen (and the administrator) met at the kiosk, on a real window under Xvfb, lying down and
standing up, with 大字 and 高对比: each fixed at its cause."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from desktop.services.context import Hall
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
