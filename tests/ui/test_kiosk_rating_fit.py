"""满意度评价's 意见 box with a long opinion: its count of characters stands on the caption's row (as 人民建议's and
诉求's do), never under 清空重写, so the screen never scrolls beside the box's own scroll bar."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop.services.context import Actor, Hall
from desktop.services.self_service import MAX_REASON
from tests.ui.test_kiosk_booking_view import _bars
from tests.ui.test_kiosk_citizen import Themed, _kiosk_window, themed
from tests.ui.test_kiosk_names import _rating_page
from tests.ui.test_kiosk_suggest_fit import keyboard_down_up_down
from ui.kiosk.screens import StartOver

__all__ = ["themed"]  # the fixture, used here by its name


@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920)])
@pytest.mark.parametrize("large", [False, True])
@pytest.mark.parametrize("written", ["1234567890" * 52, "办理很及时😀"])
def test_a_long_opinion_scrolls_in_its_box_only(qtbot: QtBot, sqlite_hall: Hall, clerk: Actor, themed: Themed,
                                               size: tuple[int, int], large: bool, written: str) -> None:
    """520 characters, 大字 and 高对比, lying down with the keyboard up: 已写520字，/ 最多500字，/ 请删去20字 under
    清空重写 was taller than the box, and the page scrolled as a whole beside the box's own scroll bar, the count
    cut. One scroll bar at most (the box's), the count seen whole wherever it is shown, never under 清空重写; over
    the keyboard lying down (the box all the height) only 请删去N字, in the caption's place over 清空重写."""
    themed(QApplication.instance())
    _window, shell = _kiosk_window(qtbot, sqlite_hall, size)
    shell.large_button.setChecked(large)
    shell.contrast_button.setChecked(True)
    flow = _rating_page(qtbot, shell, sqlite_hall, clerk)
    box = flow.reason
    box.setPlainText(written)
    box.setFocus()
    qtbot.waitUntil(box.hasFocus)
    count = flow.reason_count
    start_over = next(b for b in flow.rating_page.findChildren(StartOver) if b.box is box)
    over = len(written) > MAX_REASON
    for state in keyboard_down_up_down(qtbot, shell, lambda: box.isVisible() and start_over.isVisible()):
        assert all(box.isAncestorOf(bar) for bar in _bars(shell)), f"only the box scrolls ({state})"
        if count.isVisible():
            seen = count.visibleRegion().boundingRect()
            assert seen.height() == count.height() > 0 and seen.width() == count.width(), f"count whole ({state})"
            assert count.height() >= count.heightForWidth(count.width()), f"every line of the count ({state})"
            under = count.mapTo(flow, QPoint(0, 0)).y() >= start_over.mapTo(flow, QPoint(0, start_over.height())).y()
            beside = count.mapTo(flow, QPoint(0, 0)).x() >= box.mapTo(flow, QPoint(box.width(), 0)).x()
            assert not (under and beside), f"not under 清空重写 ({state})"
        else:  # over the keyboard lying down the box has all the height: past the limit 请删去N字, at its right
            assert state == "keyboard up" and size[0] > size[1], "the count hidden only over the keyboard lying down"
            said = flow.reason_over
            assert said.isVisible() == over and (not over or said.text() == f"请删去{len(written) - MAX_REASON}字")
            if over:
                seen = said.visibleRegion().boundingRect()
                assert seen.size() == said.size() and said.height() >= said.heightForWidth(said.width())
                assert said.mapTo(flow, QPoint(0, 0)).x() >= box.mapTo(flow, QPoint(box.width(), 0)).x()
        assert ("请删去" in count.text()) == over
