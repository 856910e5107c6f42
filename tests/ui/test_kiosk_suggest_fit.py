"""人民建议's box with a long paste: its count of characters stands on the caption's row (as 诉求's), not under
清空重写, so the screen never scrolls beside the box's own scroll bar and the box keeps its height."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QApplication, QPushButton, QScrollArea
from pytestqt.qtbot import QtBot

from desktop.services.context import Actor, Hall
from tests.ui.test_kiosk_booking_view import _bars
from tests.ui.test_kiosk_citizen import LARGEST, Themed, _keyboard_down, _keyboard_up, _kiosk_window, themed
from ui.kiosk.screens import StartOver
from ui.kiosk.shell import KioskShell
from ui.kiosk.suggest import SuggestionFlow

__all__ = ["themed"]  # the fixture, used here by its name


def _settled() -> None:
    for _turn in range(10):
        QApplication.processEvents()


def keyboard_down_up_down(qtbot: QtBot, shell: KioskShell, shown: Callable[[], bool]) -> Iterator[str]:
    """The on-screen keyboard down, up (at the largest text's height) and down again, the screen settled each time
    until ``shown``; yields which it is, for a test's words."""
    for up in (False, True, False):
        if up:
            _keyboard_up(shell, LARGEST)
        else:
            _keyboard_down(shell)
        _settled()
        qtbot.waitUntil(shown)
        _settled()
        yield "keyboard up" if up else "keyboard down"


def suggestion_in(qtbot: QtBot, shell: KioskShell, *, large: bool, contrast: bool = True) -> SuggestionFlow:
    """人民建议 opened on ``shell`` in the look asked for, its first screen shown once the themes are read."""
    shell.large_button.setChecked(large)
    shell.contrast_button.setChecked(contrast)
    flow = shell.open_flow("suggest")
    assert isinstance(flow, SuggestionFlow)
    qtbot.waitUntil(lambda: not flow.tasks.busy and flow.pages.currentWidget().isVisible())
    return flow


@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920)])
@pytest.mark.parametrize("large", [False, True])
@pytest.mark.parametrize("written", ["长" * 5000 + "\n" * 19, "建议" * 20])
def test_a_long_suggestion_scrolls_in_its_box_only(qtbot: QtBot, sqlite_hall: Hall, themed: Themed,
                                                  size: tuple[int, int], large: bool, written: str) -> None:
    """5,000 characters pasted, 大字 and 高对比, the keyboard up and down, lying down and standing up: the count
    (已写5019字 / 最多3000字 / 请删去2019字) was three lines under 清空重写, taller than the box over the keyboard, and
    the whole screen scrolled beside the box's own scroll bar. One scroll bar (the box's), the count seen whole,
    the box no shorter than 清空重写 and its count beside it."""
    themed(QApplication.instance())
    _window, shell = _kiosk_window(qtbot, sqlite_hall, size)
    flow = suggestion_in(qtbot, shell, large=large)
    qtbot.waitUntil(flow.content.isVisible)
    box = flow.content
    box.setPlainText(written)
    box.setFocus()
    qtbot.waitUntil(box.hasFocus)
    screen = flow.pages.currentWidget()
    start_over = next(b for b in screen.findChildren(StartOver) if b.box is box)
    count = flow.content_count
    for state in keyboard_down_up_down(qtbot, shell, count.isVisible):
        bars = _bars(shell)
        assert all(bar.parent() is not None and box.isAncestorOf(bar) for bar in bars), \
            f"only the box scrolls ({state})"
        seen = count.visibleRegion().boundingRect()
        assert seen.height() == count.height() > 0 and seen.width() == count.width(), "the count is seen whole"
        # every line of it: given one line's height where it needs two, its first line was cut off above
        assert count.height() >= count.heightForWidth(count.width()), "the count's lines all shown"
        assert box.height() >= start_over.height(), "the box keeps its height"
        assert "3000" in count.text()
    at = count.mapTo(flow, QPoint(0, 0))
    assert at.y() + count.height() <= box.mapTo(flow, QPoint(0, 0)).y() + 8, "the count on the caption's row"


def test_each_screen_says_what_it_asks_not_the_bars_title_again(qtbot: QtBot, sqlite_hall: Hall,
                                                                  themed: Themed) -> None:
    """The bar says 人民建议 and the page said 人民建议 again over every screen; 自助登记, 预约 and 进度查询 title a
    screen with what it asks for. Each of 人民建议's screens has a title of its own, never the bar's."""
    themed(QApplication.instance())
    _window, shell = _kiosk_window(qtbot, sqlite_hall, (1920, 1080))
    flow = shell.open_flow("suggest")
    assert isinstance(flow, SuggestionFlow)
    qtbot.waitUntil(lambda: not flow.tasks.busy and flow.content.isVisible())
    bar = shell.heading.text()
    assert bar == "人民建议"
    seen = set()
    for index in (0, 1, 2):
        flow.pages.setCurrentIndex(index)
        qtbot.waitUntil(flow.title.isVisible)
        assert flow.title.text() and bar not in flow.title.text() and flow.title.text() not in bar
        seen.add(flow.title.text())
    assert len(seen) == 3, "each screen its own"
    flow.pages.setCurrentIndex(3)
    qtbot.waitUntil(lambda: not flow.title.isVisible())


@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920)])
@pytest.mark.parametrize("large", [False, True])
def test_a_long_theme_wraps_within_the_screen(qtbot: QtBot, sqlite_hall: Hall, supervisor: Actor,
                                             themed: Themed, size: tuple[int, int], large: bool) -> None:
    """A theme of some forty characters and its closing day: its button (a button's words do not wrap) was wider
    than a portrait screen, every choice with it, the screen scrolled sideways and the words were cut. The words
    wrap within the screen, whole, each button as tall as its lines; nothing scrolls sideways."""
    from datetime import date

    from desktop.services.suggestions import publish_theme

    long = "优化营商环境，提升政务服务便利度，欢迎企业和群众建言献策，共同建设人民满意的服务型政府"
    publish_theme(sqlite_hall, supervisor, title=long, description="", closes_on=date(2026, 12, 31))
    publish_theme(sqlite_hall, supervisor, title="公交线路优化", description="")
    themed(QApplication.instance())
    window, shell = _kiosk_window(qtbot, sqlite_hall, size)
    flow = suggestion_in(qtbot, shell, large=large)
    qtbot.waitUntil(flow.free_button.isVisible)
    _settled()
    screen = flow.pages.currentWidget()
    wide = next(b for b in screen.findChildren(QPushButton) if b.accessibleName().startswith(long))
    assert wide.accessibleName() == f"{long}（征集至12月31日）"

    def fits() -> bool:
        right = screen.mapTo(window, QPoint(screen.width(), 0)).x()
        buttons = [b for b in screen.findChildren(QPushButton) if b.isVisible()]
        return all(b.mapTo(window, QPoint(b.width(), 0)).x() <= right for b in buttons)

    qtbot.waitUntil(fits)
    _settled()
    assert fits()
    assert [a for a in window.findChildren(QScrollArea) if a.horizontalScrollBar().isVisible()] == []
    lines = wide.text().split("\n")
    assert "".join(lines) == wide.accessibleName(), "every word shown"
    assert all(wide.fontMetrics().horizontalAdvance(line) <= wide.width() for line in lines)
    assert wide.height() >= len(lines) * wide.fontMetrics().lineSpacing()
    if size[0] < size[1] and large:
        assert len(lines) > 1, "wrapped standing up with 大字"
