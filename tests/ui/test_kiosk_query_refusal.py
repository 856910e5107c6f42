"""查询进度's first screen lying down with 大字: a refusal of two lines under the fields does not make the page
scroll, nor move the fields sideways under the citizen's finger."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QApplication, QScrollArea
from pytestqt.qtbot import QtBot

from desktop.services.context import Hall
from desktop.services.self_service import kiosk_slowed
from tests.ui.test_kiosk_citizen import KEYBOARD, Themed, _keyboard_down, _keyboard_up, _kiosk_in_modes, themed
from ui.common.widgets import Phrases, set_tone
from ui.kiosk.progress import ProgressFlow

__all__ = ["themed"]  # the fixture, used here by its name

REFUSED = "案件编号或查询码不正确，请核对回执后重新输入；如有疑问请到窗口咨询"


@pytest.mark.parametrize("contrast", [False, True])
@pytest.mark.parametrize("large", [False, True])
def test_a_refusal_under_the_fields_leaves_the_screen_where_it_was(
        qtbot: QtBot, sqlite_hall: Hall, themed: Themed, large: bool, contrast: bool) -> None:
    """With 大字 and 高对比 the two lines of 不正确 under the fields overflowed the page by a few pixels: a scroll
    bar came and the panel, centred, jumped some 40 px to the left as the citizen looked at it."""
    shell = _kiosk_in_modes(qtbot, sqlite_hall, themed, large=large, contrast=contrast)
    flow = shell.open_flow("progress")
    assert isinstance(flow, ProgressFlow)
    area = flow.whole_rows.area
    assert isinstance(area, QScrollArea)
    for _turn in range(10):
        QApplication.processEvents()
    before = flow.number.mapTo(shell, QPoint(0, 0))
    flow.code.setFocus()  # typed over the on-screen keyboard, then 查询: the keyboard goes, the answer comes
    qtbot.waitUntil(flow.code.hasFocus)
    _keyboard_up(shell, KEYBOARD)
    for _turn in range(10):
        QApplication.processEvents()
    flow.submit.setFocus()
    _keyboard_down(shell)
    set_tone(flow.error, "error", Phrases.clauses(REFUSED))
    for _turn in range(10):
        QApplication.processEvents()
    assert not area.verticalScrollBar().isVisible()
    assert flow.number.mapTo(shell, QPoint(0, 0)).x() == before.x()
    set_tone(flow.error, "error", Phrases.clauses(kiosk_slowed("10:42")))  # three lines with 大字
    for _turn in range(10):
        QApplication.processEvents()
    assert not area.verticalScrollBar().isVisible()
    assert flow.number.mapTo(shell, QPoint(0, 0)).x() == before.x()
    assert flow.submit.isVisible() and flow.submit.height() >= 96  # still a finger's target (the kiosk's least)

    set_tone(flow.error, "", "")  # the citizen edits a field: the refusal goes, 查询 is under the fields again
    for _turn in range(10):
        QApplication.processEvents()
    assert flow.form.indexOf(flow.submit) >= 0 and flow.submit.width() > flow.code.width() * 0.9
