"""设备管理: the administrator lists the server's devices, revokes one and issues a code, against a real server."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop.services.context import Actor
from desktop.services.reference_feed import share_settings
from server.store import enrol_device
from tests.sync import conftest as sync_fixtures
from tests.sync.conftest import DeviceFactory, add_staff, serving, with_staff
from ui.admin.devices import DevicesPanel
from ui.shell.context import WorkContext

device_hall = sync_fixtures.device_hall
Context = Callable[..., WorkContext]
PASSWORD = "Guanli#2026xf"


def _rows(panel: DevicesPanel) -> dict[str, list[str]]:
    """Each row's words by the device's id (which the table itself never shows)."""
    table = panel.table
    return {d.device_id: [table.item(r, c).text() for c in range(table.columnCount())]
            for r, d in enumerate(panel.devices)}


def test_the_admin_lists_revokes_and_issues(qtbot: QtBot, work_context: Context, device_hall: DeviceFactory,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    centre = with_staff(device_hall("srv", code="H01"))
    add_staff(centre, "guanli1", "admin", "孙涛", password=PASSWORD)
    desk = device_hall("adm")
    monkeypatch.setenv("PH_SYNC_TOKEN", enrol_device(centre, desk.settings.device_id, "admin"))
    enrol_device(centre, "counter7", "counter", "330726-ZJJ")
    enrol_device(centre, "kiosk2", "kiosk", hall_code="PJ", device_code="K02")
    share_settings(centre, Actor.system("test"), {"hall_name": "浦江县人民来访接待中心"}, hall_code="PJ")
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
        assert rows["counter7"][0:3] == ["接待窗口", "未填写", "浦江县住房和城乡建设局"]
        assert rows["counter7"][6] == "在用"
        assert rows["kiosk2"][0:4] == ["自助终端 K02", "未填写", "本大厅", "浦江县人民来访接待中心"]
        assert rows["devadm"][0] == "系统管理台" and rows["devadm"][5] != "从未联系"  # it has just talked to the server
        assert [panel.table.item(r, 0).text() for r in range(3)] == ["接待窗口", "自助终端 K02", "系统管理台"]
        shown = "\n".join(panel.table.item(r, c).text() for r in range(3) for c in range(panel.table.columnCount()))
        assert "counter7" not in shown and "kiosk2" not in shown  # ids only for the selected device, labelled
        panel.select("counter7")
        assert "所选：接待窗口" in panel.chosen.text() and "设备编号" in panel.chosen.text() and \
            "counter7" in panel.chosen.text()
        panel.place.setText("3号窗口")
        with qtbot.waitSignal(panel.refreshed, timeout=20_000):
            qtbot.mouseClick(panel.place_button, Qt.MouseButton.LeftButton)
        assert _rows(panel)["counter7"][1] == "3号窗口" and "已保存位置：接待窗口（3号窗口）" in panel.message.text()
        assert panel.selected() is not None and panel.selected().device_id == "counter7"  # type: ignore[union-attr]
        assert panel.revoke_button.isEnabled()
        qtbot.mouseClick(panel.revoke_button, Qt.MouseButton.LeftButton)  # asked first: it cannot be undone
        box = panel.confirm
        assert box is not None and "停用接待窗口（3号窗口）？" in box.text() and "不能撤销" in box.text()
        assert box.defaultButton().text() == "取消"
        qtbot.mouseClick(next(b for b in box.buttons() if b.text() == "取消"), Qt.MouseButton.LeftButton)
        assert not panel.tasks.busy and _rows(panel)["counter7"][6] == "在用"
        qtbot.mouseClick(panel.revoke_button, Qt.MouseButton.LeftButton)
        box = panel.confirm
        assert box is not None
        with qtbot.waitSignal(panel.refreshed, timeout=20_000):
            qtbot.mouseClick(next(b for b in box.buttons() if b.text() == "停用该设备"), Qt.MouseButton.LeftButton)
        assert _rows(panel)["counter7"][6].startswith("已停用")
        assert "已停用接待窗口（3号窗口）" in panel.message.text()
        panel.org_code.setEditText("住建")  # typed, not picked: refused before asking the server
        qtbot.mouseClick(panel.issue_button, Qt.MouseButton.LeftButton)
        assert "请从列表中选择设备所属单位" in panel.message.text()
        panel.org_code.setEditText("")
        panel.role.setCurrentIndex(panel.role.findData("kiosk"))
        with qtbot.waitSignal(panel.tasks.settled, timeout=20_000):
            qtbot.mouseClick(panel.issue_button, Qt.MouseButton.LeftButton)
        assert "注册码" in panel.message.text() and "自助终端" in panel.message.text()


def test_without_a_server_the_devices_tab_says_so_before_a_password_is_asked(
        qtbot: QtBot, work_context: Context) -> None:
    """It asked for the administrator's password first, then said there was no server to ask."""
    from desktop.services.context import Actor

    panel = DevicesPanel(work_context(Actor("staff:guanli1", "孙涛", "admin"), "admin"))
    qtbot.addWidget(panel)
    assert "未设置 server_url" in panel.message.text() and panel.message.property("tone") == "notice"
    assert not panel.password.isEnabled() and not panel.load_button.isEnabled()
    assert not panel.issue_button.isEnabled()
