"""What a citizen trying the kiosk for the first time runs into, through the real widgets."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from desktop.services.context import Actor
from ui.kiosk.body import kiosk_body
from ui.kiosk.progress import ProgressFlow
from ui.kiosk.shell import KioskShell
from ui.shell.context import WorkContext

Context = Callable[..., WorkContext]
KIOSK = Actor.kiosk("K01")
#: The on-screen keyboard's height at 1920×1080 (Qt Virtual Keyboard, measured under Xvfb).
KEYBOARD = 620


@pytest.fixture
def shell(qtbot: QtBot, work_context: Context) -> Iterator[KioskShell]:
    body = kiosk_body(work_context(KIOSK, "kiosk"))
    qtbot.addWidget(body)
    body.resize(1920, 1080)
    body.show()
    qtbot.waitExposed(body)
    qtbot.waitUntil(lambda: body.filtering)
    yield body


def _keyboard_up(shell: KioskShell, height: int = KEYBOARD) -> None:
    """What :class:`ui.kiosk.keyboard.KeyboardSpace` does when the keyboard comes up (offscreen shows none)."""
    space = shell.keyboard_space
    base = space.base
    space.layout.setContentsMargins(base.left(), base.top(), base.right(), base.bottom() + height)
    space.changed.emit()


def _above_keyboard(shell: KioskShell, widget: QWidget, height: int = KEYBOARD) -> bool:
    top = widget.mapTo(shell, QPoint(0, 0)).y()
    return top >= 0 and top + widget.height() <= shell.height() - height


def test_the_field_being_typed_in_stays_above_the_keyboard(qtbot: QtBot, shell: KioskShell) -> None:
    flow = shell.open_flow("progress")
    assert isinstance(flow, ProgressFlow)
    qtbot.waitUntil(lambda: flow.code.isVisible())
    flow.code.setFocus()
    qtbot.waitUntil(lambda: flow.code.hasFocus())
    _keyboard_up(shell)
    qtbot.waitUntil(lambda: _above_keyboard(shell, flow.code))


def test_enter_on_the_keyboard_puts_it_away_so_the_answer_is_seen(qtbot: QtBot, shell: KioskShell) -> None:
    flow = shell.open_flow("progress")
    assert isinstance(flow, ProgressFlow)
    flow.number.setText("XF-2026")
    flow.code.setFocus()
    qtbot.waitUntil(lambda: flow.code.hasFocus())
    flow.code.setText("1234")
    with qtbot.waitSignal(flow.tasks.settled):
        qtbot.keyClick(flow.code, Qt.Key.Key_Return)
    assert "案件编号的格式不对" in flow.error.text()
    # no text field keeps the focus: Qt's virtual keyboard hides, the message under the fields shows
    assert not flow.number.hasFocus() and not flow.code.hasFocus()
