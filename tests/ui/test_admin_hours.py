"""大厅开放时间: the administrator reads and changes the hall's opening hours; a wrong one is refused in words."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop.config import load_settings
from desktop.services import queue
from desktop.services.context import Actor, Hall
from tests.conftest import FakeClock
from ui.admin.hours import HoursPanel
from ui.shell.context import WorkContext

Context = Callable[..., WorkContext]
ADMIN = Actor("staff:guanli1", "孙涛", "admin")


def _panel(qtbot: QtBot, work_context: Context, hall: Hall) -> HoursPanel:
    panel = HoursPanel(work_context(ADMIN, "admin", hall=hall))
    qtbot.addWidget(panel)
    panel.resize(1366, 700)
    panel.show()
    qtbot.waitUntil(lambda: not panel.tasks.busy and panel.current.text() != "", timeout=10_000)
    return panel


def test_the_admin_changes_the_hours_and_they_hold_at_once(qtbot: QtBot, work_context: Context, sqlite_hall: Hall,
                                                           clock: FakeClock) -> None:
    panel = _panel(qtbot, work_context, sqlite_hall)
    assert panel.hours.text() == "" and "不限" in panel.current.text()  # the test halls keep no hours
    panel.hours.setText("17:30-08:30")
    with qtbot.waitSignal(panel.tasks.settled, timeout=10_000):
        qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
    assert "结束时刻须晚于开始时刻" in panel.message.text()
    assert sqlite_hall.settings.hall_hours == ""  # nothing kept
    panel.hours.setText("8:30-12:00，13:30-17:30")
    with qtbot.waitSignal(panel.saved, timeout=10_000):
        panel.hours.returnPressed.emit()
    assert panel.hours.text() == "08:30-12:00,13:30-17:30"
    assert "已保存：大厅开放时间为工作日 8:30–12:00、13:30–17:30" in panel.message.text()
    assert load_settings().hall_hours == "08:30-12:00,13:30-17:30"
    clock.current = clock.current.replace(hour=19)
    assert "大厅将于明天" in queue.closed_now(sqlite_hall)


def test_a_desk_that_syncs_with_a_centre_shows_the_hours_and_says_where_they_change(
        qtbot: QtBot, work_context: Context, sqlite_hall: Hall) -> None:
    desk = replace(sqlite_hall, settings=replace(sqlite_hall.settings, server_url="https://centre.example",
                                                  hall_hours="09:00-17:00"))
    panel = _panel(qtbot, work_context, desk)
    assert panel.hours.text() == "09:00-17:00" and not panel.hours.isEnabled()
    assert not panel.save_button.isEnabled() and "share-settings" in panel.message.text()
