"""服务器上的审计副本 through the real widgets, against a server on a socket: the supervisor's password refused
then taken, the list in words, a counter's entries a hundred at a time in the local log's words, the copy
continuous — and, once the server's table was changed behind its back, the gap named in red."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from desktop.domain.audit import AuditAction
from desktop.services.audit import record_audit
from desktop.services.context import Actor, Hall
from desktop.services.reference_feed import share_settings
from desktop.sync.client import sync_with_server
from server.enrolment import name_device
from server.store import enrol_device
from tests.sync import conftest as sync_fixtures
from tests.sync.conftest import DeviceFactory, add_staff, serving, with_staff
from ui.admin.audit_copies import AuditCopiesPanel
from ui.admin.work import AdminTabs
from ui.shell.context import WorkContext

Context = Callable[..., WorkContext]
SUPERVISOR = Actor("staff:ducha1", "周敏", "supervisor")
CLERK = Actor("staff:wangli", "王丽", "clerk")
PASSWORD = "Ducha#2026xf"
device_hall = sync_fixtures.device_hall


@dataclass
class Linked:
    centre: Hall
    desk: Hall
    counter: Hall


@pytest.fixture
def linked(device_hall: DeviceFactory, monkeypatch: pytest.MonkeyPatch) -> Iterator[Linked]:
    """A centre holding the copy of a counter's log (104 receipts printed, then a refused sign-in), and a desk
    linked to it."""
    centre = with_staff(device_hall("srv", code="H01"))
    add_staff(centre, "ducha1", "supervisor", "周敏", password=PASSWORD)
    share_settings(centre, Actor.system("test"), {"hall_name": "东城区接待大厅"}, "DC")
    desk, counter = device_hall("adm"), device_hall("c")
    monkeypatch.setenv("PH_SYNC_TOKEN", enrol_device(centre, desk.settings.device_id, "admin"))
    counter_token = enrol_device(centre, counter.settings.device_id, "counter", hall_code="DC")
    name_device(centre, Actor.system("test"), counter.settings.device_id, "3号窗口")
    for n in range(104):  # what the print service writes (the job's id is never shown)
        record_audit(counter, CLERK, AuditAction.PRINT, f"DC2026{n:05d}",
                     {"job": f"job-{n}", "kind": "来访登记回执", "printer": "前台打印机", "status": "printed"})
    record_audit(counter, CLERK, AuditAction.LOGIN_FAILED, "staff:wangli", {"reason": "wrong_password"})
    with serving(centre) as url:
        assert sync_with_server(counter, url, counter_token).audit_pushed == 105
        desk.settings = replace(desk.settings, server_url=url)
        yield Linked(centre, desk, counter)


def cells(table: QTableWidget, row: int) -> list[str]:
    return [table.item(row, c).text() for c in range(table.columnCount())]


def seqs(table: QTableWidget) -> list[str]:
    return [table.item(r, 0).text() for r in range(table.rowCount())]


def every_cell(table: QTableWidget) -> str:
    return " ".join(" ".join(cells(table, r)) for r in range(table.rowCount()))


def test_the_supervisor_reads_a_counters_copy_page_by_page_and_sees_a_gap_named(
        qtbot: QtBot, work_context: Context, linked: Linked) -> None:
    panel = AuditCopiesPanel(work_context(SUPERVISOR, "admin", hall=linked.desk))
    qtbot.addWidget(panel)
    panel.resize(1366, 700)
    panel.show()
    assert "请输入本人登录密码" in panel.notice.text() and panel.copies_table.rowCount() == 0
    assert "不能核验每条记录本身的哈希" in panel.findChild(type(panel.title), "hint").text()

    panel.password.setText("Wrong#2026xf")
    with qtbot.waitSignal(panel.refreshed, timeout=20_000):
        qtbot.mouseClick(panel.load_button, Qt.MouseButton.LeftButton)
    assert "管理员身份未通过" in panel.notice.text() and panel.copies_table.rowCount() == 0

    panel.password.setText(PASSWORD)
    with qtbot.waitSignal(panel.refreshed, timeout=20_000):
        qtbot.keyClick(panel.password, Qt.Key.Key_Return)
    assert panel.copies_table.rowCount() == 1
    assert cells(panel.copies_table, 0) == ["接待窗口（3号窗口）", "东城区接待大厅", "第1–105条（共105条）",
                                            "2026年9月16日 09:30", "登录失败", "2026年9月16日 09:30"]
    assert linked.counter.settings.device_id not in every_cell(panel.copies_table)  # words, never ids

    with qtbot.waitSignal(panel.opened, timeout=20_000):
        panel.copies_table.selectRow(0)
    assert panel.entries_table.rowCount() == 100
    assert panel.title.text().startswith("接待窗口（3号窗口）：第6–105条（第1页，共2页")
    newest = cells(panel.entries_table, 0)
    assert newest == ["105", "2026年9月16日 09:30:00", "王丽\u3000wangli", "登录失败", "wangli", "原因：密码错误"]
    assert panel.entries_table.item(0, 1).toolTip() == "服务器收到于 2026年9月16日 09:30"
    assert panel.entries_table.item(0, 3).foreground().color().name() == "#b3261e"
    assert cells(panel.entries_table, 1)[3:] == ["打印", "DC202600103",
                                                 "种类：来访登记回执；打印机：前台打印机；结果：已打印"]
    assert panel.continuity.text().startswith("副本连续：第1–105条连续，共105条")
    assert panel.continuity.property("tone") == "ok"
    assert not panel.newer.isEnabled() and panel.older.isEnabled()
    with qtbot.waitSignal(panel.opened, timeout=20_000):  # picked again while the first reading is under way
        panel.open(panel.copies[0], 2)
        panel.open(panel.copies[0], 1)
    assert panel.shown is not None and panel.shown.page == 1 and seqs(panel.entries_table)[0] == "105"
    with qtbot.waitSignal(panel.refreshed, timeout=20_000):  # 读取 while a page is read: read after it
        panel.open(panel.copies[0], 1)
        panel.refresh()
    qtbot.waitUntil(lambda: not panel.tasks.busy, timeout=20_000)

    with qtbot.waitSignal(panel.opened, timeout=20_000):
        qtbot.mouseClick(panel.older, Qt.MouseButton.LeftButton)
    assert seqs(panel.entries_table) == ["5", "4", "3", "2", "1"]
    assert panel.newer.isEnabled() and not panel.older.isEnabled()

    with linked.centre.transaction() as session:  # someone deletes an entry behind the append-only table's back
        session.execute(text("DROP TRIGGER device_audit_no_delete"))
        session.execute(text("DELETE FROM device_audit WHERE seq = 3"))
    with qtbot.waitSignal(panel.opened, timeout=20_000):  # read again: the device stays open, on its page
        qtbot.mouseClick(panel.load_button, Qt.MouseButton.LeftButton)
    assert panel.continuity.property("tone") == "error"
    assert "副本不连续（1 处）：缺少第3条（第2条之后接着第4条）" in panel.continuity.text()
    assert seqs(panel.entries_table) == ["5", "4", "2", "1"]
    assert panel.notice.text() == "服务器保存着 1 台设备的审计副本；选中一台查看其记录"

    panel.password.setText("Wrong#2026xf")  # refused: nothing read before stays on screen
    with qtbot.waitSignal(panel.refreshed, timeout=20_000):
        qtbot.mouseClick(panel.load_button, Qt.MouseButton.LeftButton)
    assert "管理员身份未通过" in panel.notice.text() and panel.copies_table.rowCount() == 0
    assert panel.device_part.isHidden()


def test_the_tab_is_there_on_a_desk_linked_to_a_server_only(
        qtbot: QtBot, work_context: Context, device_hall: DeviceFactory) -> None:
    desk = device_hall("adm")
    alone = AdminTabs(work_context(SUPERVISOR, "admin", hall=desk))
    qtbot.addWidget(alone)
    assert alone.audit_copies is None and alone.audit is not None
    desk.settings = replace(desk.settings, server_url="http://127.0.0.1:9")
    tabs = AdminTabs(work_context(SUPERVISOR, "admin", hall=desk))
    qtbot.addWidget(tabs)
    assert tabs.audit_copies is not None
    assert tabs.tabText(tabs.indexOf(tabs.audit_copies)) == "服务器审计副本"
    qtbot.waitUntil(lambda: not tabs.audit.tasks.busy, timeout=10_000)  # type: ignore[union-attr]
