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
