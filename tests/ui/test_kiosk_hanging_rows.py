"""进度查询's 接下来 and 办事指南's numbered paragraphs: each item after its bullet or number, a wrapped item's lines
under its text, not under its mark."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QLabel, QScrollArea
from pytestqt.qtbot import QtBot

from desktop.services.context import Actor, Hall
from tests.conftest import FakeClock
from tests.ui.test_kiosk_citizen import Themed, _concluded, _progress_shown, themed

__all__ = ["themed"]  # the fixture, used here by its name


@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920)])
@pytest.mark.parametrize("large", [False, True])
def test_a_wrapped_thing_to_do_goes_on_under_its_text_not_under_its_bullet(
        qtbot: QtBot, sqlite_hall: Hall, clock: FakeClock, clerk: Actor, themed: Themed, size: tuple[int, int],
        large: bool) -> None:
    """A 复查 deadline in a year whose holidays are not out yet (the 节假日 caveat): the item wraps, and its second
    line began under the bullet, not under the text after it. Each item's lines, the first and the wrapped ones,
    start at one x, right of the bullets; the items one under the other in the service's order."""
    clock.current = datetime(2026, 12, 28, 9, 30)
    case = _concluded(sqlite_hall, clerk, date(2026, 12, 28))
    _window, _shell, flow = _progress_shown(qtbot, sqlite_hall, themed, case, size, large)
    assert flow.current_page is flow.result_page
    said = flow.progress.can_do if flow.progress is not None else []
    assert len(said) == 2
    items = [next(w for w in flow.can_do.findChildren(QLabel) if w.isVisible() and w.text() == line) for line in said]
    bullets = [w for w in flow.can_do.findChildren(QLabel) if w.isVisible() and w.text().startswith("•")]
    assert len(bullets) == len(said)

    def wrapped(item: QLabel) -> bool:
        return item.height() >= 2 * item.fontMetrics().lineSpacing()

    qtbot.waitUntil(lambda: wrapped(items[0]) or wrapped(items[1]))
    lefts = {item.mapTo(flow, QPoint(0, 0)).x() + item.contentsRect().x() for item in items}
    assert len(lefts) == 1, "the items' text, every line of it, starts at one x"
    for bullet, item in zip(bullets, items, strict=True):
        dot = bullet.mapTo(flow, QPoint(0, 0))
        assert dot.x() + bullet.fontMetrics().horizontalAdvance("•") < min(lefts), "the text right of its bullet"
        assert abs(dot.y() - item.mapTo(flow, QPoint(0, 0)).y()) <= 2, "the bullet on the item's first line"
    assert items[0].mapTo(flow, QPoint(0, 0)).y() + items[0].height() <= items[1].mapTo(flow, QPoint(0, 0)).y()
    assert flow.can_do.text() == "\n".join(f"• {line}" for line in said)


@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920)])
@pytest.mark.parametrize("large", [False, True])
def test_a_wrapped_numbered_paragraph_of_the_guide_goes_on_under_its_text(
        qtbot: QtBot, sqlite_hall: Hall, themed: Themed, size: tuple[int, int], large: bool) -> None:
    """办事指南's rights, duties and 六个不得: a numbered paragraph's second line began under its number (1. 通过…,
    its next line at the number's left). Each numbered paragraph's lines start at one x, right of the numbers; an
    introduction (六个不得's) takes the whole width; the text as before, a blank line between paragraphs."""
    from PySide6.QtWidgets import QApplication

    from tests.ui.test_kiosk_booking_view import _bars
    from tests.ui.test_kiosk_citizen import _kiosk_window
    from ui.kiosk.guide import GuideFlow

    themed(QApplication.instance())
    _window, shell = _kiosk_window(qtbot, sqlite_hall, size)
    shell.large_button.setChecked(large)
    shell.contrast_button.setChecked(True)
    flow = shell.open_flow("guide")
    assert isinstance(flow, GuideFlow)
    for index in (0, 1, 2):
        flow.buttons[index].click()
        _title, text = flow.texts[index]
        assert flow.text.text() == text
        numbered = [item for mark, item in flow.text.rows if mark]
        qtbot.waitUntil(lambda n=numbered: all(item.isVisible() and item.width() > 0 for item in n))
        marks = [w for w in flow.text.findChildren(QLabel) if w.isVisible() and w not in flow.text.items]
        assert len(marks) == len(numbered) >= 4
        lefts = {item.mapTo(flow, QPoint(0, 0)).x() for item in numbered}
        assert len(lefts) == 1, "every numbered paragraph's lines start at one x"
        assert all(m.mapTo(flow, QPoint(0, 0)).x() + m.fontMetrics().horizontalAdvance("1.") < min(lefts)
                   for m in marks)
        if index == 0:  # 1. 通过信息网络、书信…提出建议、意见或者投诉请求（第十七条）。 wraps
            qtbot.waitUntil(lambda n=numbered: any(i.height() >= 2 * i.fontMetrics().lineSpacing() for i in n))
        # the text scrolls in its panel, the page never as a whole beside it (its rows asked for their height)
        area = next(a for a in flow.findChildren(QScrollArea) if a.widget() is flow.text)
        assert all(bar is area.verticalScrollBar() for bar in _bars(shell)), "only the text scrolls"
