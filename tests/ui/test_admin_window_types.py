"""The administrator's window types through the real widgets: add, refuse with the field named, stop, order."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from desktop.domain.errors import RuleViolation
from desktop.domain.queue import TicketSource, WindowType
from desktop.services import queue
from desktop.services.context import Actor, Hall
from server.store import enrol_device
from tests.sync import conftest as sync_fixtures
from tests.sync.conftest import DeviceFactory, add_staff, linked, serving, with_staff
from ui.admin.window_types import WindowTypesPanel
from ui.shell.context import WorkContext

Context = Callable[..., WorkContext]
ADMIN = Actor("staff:guanli1", "管理员", "admin")
PASSWORD = "Guanli#2026xf"
device_hall = sync_fixtures.device_hall


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
    assert "已保存“信访代理”（前缀 D，7–9号窗口）" in panel.message.text()
    qtbot.waitUntil(lambda: panel.table.rowCount() == 5, timeout=10_000)
    assert cells(panel, 4) == ["5", "D", "信访代理", "7–9号窗口", "是", "启用", "0 人"]
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


def test_on_a_device_with_a_hall_server_the_admin_edits_the_servers_types(
        qtbot: QtBot, work_context: Context, device_hall: DeviceFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    centre = with_staff(device_hall("srv", code="H01"))
    add_staff(centre, "guanli1", "admin", "孙涛", password=PASSWORD)
    queue.issue_ticket(centre, type_code="wages", source=TicketSource.KIOSK)
    desk = device_hall("adm")
    monkeypatch.setenv("PH_SYNC_TOKEN", enrol_device(centre, desk.settings.device_id, "admin"))
    with serving(centre) as url:
        desk.settings = replace(desk.settings, server_url=url)
        widget = WindowTypesPanel(work_context(Actor("staff:guanli1", "孙涛", "admin"), "admin", hall=desk))
        qtbot.addWidget(widget)
        widget.show()
        qtbot.waitUntil(lambda: widget.server_row.isVisible() and not widget.tasks.busy, timeout=10_000)
        assert "请输入本人登录密码" in widget.notice.text() and widget.table.rowCount() == 0
        assert not widget.save_button.isEnabled() and not widget.name.isEnabled()
        with pytest.raises(RuleViolation, match="请在大厅服务器上修改"):  # never into this PC's own tables
            queue.edit_window_type(desk, ADMIN, WindowType("", "信访代理", "D", ()))

        widget.password.setText("Wrong#2026xf")
        with qtbot.waitSignal(widget.refreshed, timeout=20_000):
            qtbot.mouseClick(widget.load_button, Qt.MouseButton.LeftButton)
        assert "管理员身份未通过" in widget.message.text() and widget.table.rowCount() == 0
        widget.password.setText(PASSWORD)
        with qtbot.waitSignal(widget.refreshed, timeout=20_000):
            qtbot.mouseClick(widget.load_button, Qt.MouseButton.LeftButton)
        assert widget.table.rowCount() == 4 and cells(widget, 1)[6] == "1 人"
        assert "以下是服务器上的窗口类型" in widget.notice.text() and widget.save_button.isEnabled()

        qtbot.mouseClick(widget.add_button, Qt.MouseButton.LeftButton)
        widget.name.setText("信访代理")
        widget.prefix.setText("A")
        save(qtbot, widget)
        assert "前缀 A 已用于“综合接待”" in widget.message.text()  # the server's rule, in its words
        widget.prefix.setText("D")
        widget.windows.setText("7,8")
        with qtbot.waitSignal(widget.refreshed, timeout=20_000):
            save(qtbot, widget)
        assert widget.table.rowCount() == 5 and cells(widget, 4)[1:4] == ["D", "信访代理", "7号、8号窗口"]
        with qtbot.waitSignal(widget.refreshed, timeout=20_000):
            qtbot.mouseClick(widget.up, Qt.MouseButton.LeftButton)
        assert widget.table.item(3, 2).text() == "信访代理"
    assert [t.prefix for t in queue.window_types(centre)] == ["A", "B", "C", "D", "L"]  # stored on the server
    assert [t.prefix for t in queue.all_window_types(desk)] == ["A", "B", "C", "L"]  # nothing here
    # audited where they are kept, with who changed them
    from desktop.services.audit import AuditQuery, list_audit

    changed = [(e.actor_name, e.target, e.detail["message"])
               for e in list_audit(centre, Actor.system(), AuditQuery(action="修改设置"))]
    moved = "调整窗口类型顺序：信访代理上移1位，现为 综合接待、农民工欠薪绿色通道、涉法涉诉、信访代理、领导接访"
    assert ("孙涛", "排队窗口类型", moved) in changed
    assert any(message.startswith("新增窗口类型 信访代理（号码前缀 D，7号、8号窗口") for _n, _t, message in changed)


def test_the_servers_types_follow_another_administrators_change_by_themselves(
        qtbot: QtBot, work_context: Context, device_hall: DeviceFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    from db.models import QueueTicketRow
    from desktop.sync.queue_client import QueueClient

    centre = with_staff(device_hall("srv", code="H01"))
    add_staff(centre, "guanli1", "admin", "孙涛", password=PASSWORD)
    queue.issue_ticket(centre, type_code="general", source=TicketSource.KIOSK, id_number="330726198001011233",
                       name="张建国")
    desk = device_hall("adm")
    token = enrol_device(centre, desk.settings.device_id, "admin")
    monkeypatch.setenv("PH_SYNC_TOKEN", token)
    with serving(centre) as url, linked([QueueClient(desk, url, token, max_backoff=0.5)]):
        desk.settings = replace(desk.settings, server_url=url)
        widget = WindowTypesPanel(work_context(Actor("staff:guanli1", "孙涛", "admin"), "admin", hall=desk))
        qtbot.addWidget(widget)
        widget.show()
        qtbot.waitUntil(lambda: widget.server_row.isVisible() and not widget.tasks.busy, timeout=10_000)
        widget.password.setText(PASSWORD)
        with qtbot.waitSignal(widget.refreshed, timeout=20_000):
            qtbot.mouseClick(widget.load_button, Qt.MouseButton.LeftButton)
        assert widget.table.rowCount() == 4 and cells(widget, 0)[6] == "1 人"

        # another administrator adds a type on the server: the hall server's push brings the list up to date
        queue.save_window_type(centre, ADMIN, WindowType("", "信访代理", "D", (7, 8)))
        qtbot.waitUntil(lambda: widget.table.rowCount() == 5 and not widget.tasks.busy, timeout=20_000)
        assert cells(widget, 4)[1:4] == ["D", "信访代理", "7号、8号窗口"]

        widget.hide()  # not on screen: read again only when shown
        queue.issue_ticket(centre, type_code="general", source=TicketSource.KIOSK)
        qtbot.waitUntil(lambda: widget._stale, timeout=20_000)
        assert cells(widget, 0)[6] == "1 人"
        widget.show()
        qtbot.waitUntil(lambda: cells(widget, 0)[6] == "2 人" and not widget.tasks.busy, timeout=20_000)
    with desk.sessions() as session:  # the administration desk's mirror holds no visitor's name or ID number
        people = list(session.execute(select(QueueTicketRow.person_name, QueueTicketRow.person_id)))
    assert people and all(name is None and id_number is None for name, id_number in people)


def test_the_administration_desk_keeps_the_hall_servers_queue_stream(
        qtbot: QtBot, device_hall: DeviceFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    from pathlib import Path

    from desktop.app import _queue_links
    from desktop.domain.roles import WindowRole
    from desktop.sync.queue_client import QueueClient
    from ui.shell.startup import HallSource

    centre = with_staff(device_hall("srv", code="H01"))
    desk = device_hall("adm")
    monkeypatch.setenv("PH_SYNC_TOKEN", enrol_device(centre, desk.settings.device_id, "admin"))
    with serving(centre) as url:
        desk.settings = replace(desk.settings, server_url=url)
        links = _queue_links(HallSource.of(desk), WindowRole.ADMIN, Path(desk.engine.url.database or ""))
        qtbot.waitUntil(lambda: len(links) == 2, timeout=10_000)  # the queue's stream and the hall's records
        try:
            [stream] = [link for link in links if isinstance(link, QueueClient)]
            assert stream.online.wait(10), stream.last_error
            queue.save_window_type(centre, ADMIN, WindowType("", "信访代理", "D", (7, 8)))
            qtbot.waitUntil(lambda: "信访代理" in [t.name for t in queue.all_window_types(desk)], timeout=10_000)
        finally:
            for link in links:
                link.halt()
            for link in links:
                link.stop()


def test_enter_walks_the_form_and_saves_from_its_last_field(qtbot: QtBot, panel: WindowTypesPanel,
                                                            sqlite_hall: Hall) -> None:
    """名称 → 号码前缀 → 服务窗口 by Enter, and Enter there saves (it did nothing: the form was mouse-only)."""
    from PySide6.QtWidgets import QApplication

    with qtbot.waitActive(panel):
        panel.activateWindow()
    qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    panel.name.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is panel.name)
    panel.name.setText("信访代理")
    qtbot.keyClick(panel.name, Qt.Key.Key_Return)
    assert QApplication.focusWidget() is panel.prefix
    panel.prefix.setText("d")
    qtbot.keyClick(panel.prefix, Qt.Key.Key_Return)
    assert QApplication.focusWidget() is panel.windows
    panel.windows.setText("7")
    with qtbot.waitSignal(panel.tasks.settled, timeout=10_000):
        qtbot.keyClick(panel.windows, Qt.Key.Key_Return)
    assert "已保存“信访代理”" in panel.message.text()
    assert any(t.name == "信访代理" and t.prefix == "D" for t in queue.all_window_types(sqlite_hall))
