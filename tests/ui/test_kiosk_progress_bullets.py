"""进度查询's 接下来: each thing the citizen can do after its bullet, a wrapped item's lines under its text."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QLabel
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
