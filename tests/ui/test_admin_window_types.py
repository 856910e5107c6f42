"""The administrator's window types through the real widgets: add, refuse with the field named, stop, order."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop.domain.queue import TicketSource
from desktop.services import queue
from desktop.services.context import Actor, Hall
from ui.admin.window_types import WindowTypesPanel
from ui.shell.context import WorkContext

Context = Callable[..., WorkContext]
ADMIN = Actor("staff:guanli1", "管理员", "admin")


@pytest.fixture
def panel(qtbot: QtBot, work_context: Context) -> WindowTypesPanel:
    widget = WindowTypesPanel(work_context(ADMIN))
    qtbot.addWidget(widget)
    widget.resize(1366, 700)
    widget.show()
    qtbot.waitUntil(lambda: widget.table.rowCount() == 4 and not widget.tasks.busy, timeout=10_000)
    return widget


def cells(panel: WindowTypesPanel, row: int) -> list[str]:
    return [panel.table.item(row, c).text() for c in range(panel.table.columnCount())]


def save(qtbot: QtBot, panel: WindowTypesPanel) -> None:
    with qtbot.waitSignal(panel.tasks.settled, timeout=10_000):
        qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not panel.tasks.busy, timeout=10_000)


def test_the_admin_adds_a_type_is_told_which_field_is_wrong_and_orders_the_list(
        qtbot: QtBot, panel: WindowTypesPanel, sqlite_hall: Hall) -> None:
    assert cells(panel, 0) == ["1", "A", "综合接待", "所有窗口", "是", "启用", "0 人"]
    qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    panel.name.setText("信访代理")
    panel.prefix.setText("a")
    panel.windows.setText("7，8")
    save(qtbot, panel)
    assert "前缀 A 已用于“综合接待”" in panel.message.text() and panel.focusWidget() is panel.prefix
    panel.prefix.setText("d")
    panel.windows.setText("7，八")
    save(qtbot, panel)
    assert "服务窗口“八”不是窗口号" in panel.message.text() and panel.focusWidget() is panel.windows
    panel.windows.setText("7-9")
    with qtbot.waitSignal(panel.refreshed, timeout=10_000):
        save(qtbot, panel)
    assert "已保存“信访代理”（前缀 D，7-9）" in panel.message.text()
    qtbot.waitUntil(lambda: panel.table.rowCount() == 5, timeout=10_000)
    assert cells(panel, 4) == ["5", "D", "信访代理", "7-9", "是", "启用", "0 人"]
    assert panel.table.currentRow() == 4 and panel.form_title.title() == "修改“信访代理”"
    assert [t.name for t in queue.window_types(sqlite_hall)][-1] == "信访代理"

    with qtbot.waitSignal(panel.refreshed, timeout=10_000):
        qtbot.mouseClick(panel.up, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.table.item(3, 2).text() == "信访代理", timeout=10_000)
    assert [t.prefix for t in queue.window_types(sqlite_hall)] == ["A", "B", "C", "D", "L"]


def test_stopping_a_type_keeps_its_waiting_visitors_and_says_so(
        qtbot: QtBot, panel: WindowTypesPanel, sqlite_hall: Hall) -> None:
    queue.issue_ticket(sqlite_hall, type_code="wages", source=TicketSource.KIOSK)
    qtbot.waitUntil(lambda: cells(panel, 1)[6] == "1 人", timeout=10_000)  # refreshed on the queue's change
    panel.table.selectRow(1)
    assert panel.name.text() == "农民工欠薪绿色通道" and panel.active.isChecked()
    panel.active.setChecked(False)
    with qtbot.waitSignal(panel.refreshed, timeout=10_000):
        save(qtbot, panel)
    assert "已停用，不能再取号，正在等候的 1 人照常叫号" in panel.message.text()
    qtbot.waitUntil(lambda: cells(panel, 1)[5] == "停用", timeout=10_000)
    assert "wages" not in [t.code for t in queue.window_types(sqlite_hall)]
    called = queue.call_next(sqlite_hall, window=5)
    assert called is not None and called.number == "B001"


def test_on_a_device_with_a_hall_server_the_list_is_read_only(qtbot: QtBot, work_context: Context,
                                                              sqlite_hall: Hall) -> None:
    sqlite_hall.settings = replace(sqlite_hall.settings, server_url="https://hall.example:8443")
    widget = WindowTypesPanel(work_context(ADMIN))
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitUntil(lambda: widget.table.rowCount() == 4 and not widget.tasks.busy, timeout=10_000)
    assert "请在大厅服务器上修改" in widget.notice.text()
    assert not widget.save_button.isEnabled() and not widget.name.isEnabled() and not widget.add_button.isEnabled()
