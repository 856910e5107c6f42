"""设备管理: the administrator lists the server's devices, revokes one and issues a code, against a real server."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop.services.context import Actor
from server.store import enrol_device
from tests.sync import conftest as sync_fixtures
from tests.sync.conftest import DeviceFactory, add_staff, serving, with_staff
from ui.admin.devices import DevicesPanel
from ui.shell.context import WorkContext

device_hall = sync_fixtures.device_hall
Context = Callable[..., WorkContext]
PASSWORD = "Guanli#2026xf"


def _rows(panel: DevicesPanel) -> dict[str, list[str]]:
    table = panel.table
    return {table.item(r, 0).text(): [table.item(r, c).text() for c in range(table.columnCount())]
            for r in range(table.rowCount())}


def test_the_admin_lists_revokes_and_issues(qtbot: QtBot, work_context: Context, device_hall: DeviceFactory,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    centre = with_staff(device_hall("srv", code="H01"))
    add_staff(centre, "guanli1", "admin", "孙涛", password=PASSWORD)
    desk = device_hall("adm")
    monkeypatch.setenv("PH_SYNC_TOKEN", enrol_device(centre, desk.settings.device_id, "admin"))
    enrol_device(centre, "counter7", "counter", "330726-ZJJ")
    with serving(centre) as url:
        desk.settings = replace(desk.settings, server_url=url)
        panel = DevicesPanel(work_context(Actor("staff:guanli1", "孙涛", "admin"), "admin", hall=desk))
        qtbot.addWidget(panel)
        with qtbot.waitSignal(panel.refreshed):
            qtbot.mouseClick(panel.load_button, Qt.MouseButton.LeftButton)
        assert "请先输入本人的登录密码" in panel.message.text() and not panel.devices
        panel.password.setText("Wrong#2026xf")
        with qtbot.waitSignal(panel.refreshed, timeout=20_000):
            qtbot.mouseClick(panel.load_button, Qt.MouseButton.LeftButton)
        assert "管理员身份未通过" in panel.message.text() and not panel.devices
        panel.password.setText(PASSWORD)
        with qtbot.waitSignal(panel.refreshed, timeout=20_000):
            qtbot.mouseClick(panel.load_button, Qt.MouseButton.LeftButton)
        rows = _rows(panel)
        assert rows["counter7"][1:3] == ["接待窗口", "浦江县住房和城乡建设局"] and rows["counter7"][7] == "在用"
        assert rows["devadm"][6] != "从未联系"  # this desk has just talked to the server
        panel.select("counter7")
        assert panel.revoke_button.isEnabled()
        with qtbot.waitSignal(panel.refreshed, timeout=20_000):
            qtbot.mouseClick(panel.revoke_button, Qt.MouseButton.LeftButton)
        assert _rows(panel)["counter7"][7].startswith("已停用")
        assert "已停用设备 counter7" in panel.message.text()
        panel.org_code.setEditText("住建")  # typed, not picked: refused before asking the server
        qtbot.mouseClick(panel.issue_button, Qt.MouseButton.LeftButton)
        assert "请从列表中选择设备所属单位" in panel.message.text()
        panel.org_code.setEditText("")
        panel.role.setCurrentIndex(panel.role.findData("kiosk"))
        with qtbot.waitSignal(panel.tasks.settled, timeout=20_000):
            qtbot.mouseClick(panel.issue_button, Qt.MouseButton.LeftButton)
        assert "注册码" in panel.message.text() and "自助终端" in panel.message.text()
