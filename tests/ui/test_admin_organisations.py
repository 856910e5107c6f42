"""The administrator's organisation directory through the real widgets: add with a mistake on the way, find by
pinyin, rename, retire after a question, and on a desk that syncs, the server's directory."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from desktop.domain.errors import RuleViolation
from desktop.services.case_actions import organisation_choices
from desktop.services.context import Actor, Hall
from desktop.services.organisations import directory_listing, save_organisation
from desktop.services.reference import load_directory, use_directory
from server.store import enrol_device
from tests.sync import conftest as sync_fixtures
from tests.sync.conftest import DeviceFactory, add_staff, serving, with_staff
from ui.admin.organisations import OrganisationsPanel
from ui.shell.context import WorkContext

Context = Callable[..., WorkContext]
ADMIN = Actor("staff:guanli1", "管理员", "admin")
PASSWORD = "Guanli#2026xf"
POPUPS = pytest.mark.qt_log_ignore("This plugin does not support (raise|grabbing)")
device_hall = sync_fixtures.device_hall


@pytest.fixture(autouse=True)
def shipped_directory_again() -> Iterator[None]:
    use_directory(None)
    yield
    use_directory(None)


@pytest.fixture
def panel(qtbot: QtBot, work_context: Context) -> OrganisationsPanel:
    widget = OrganisationsPanel(work_context(ADMIN, "admin"))
    qtbot.addWidget(widget)
    widget.resize(1366, 700)
    widget.show()
    qtbot.waitUntil(lambda: widget.table.rowCount() == 42 and not widget.tasks.busy, timeout=10_000)
    return widget


def row_of(panel: OrganisationsPanel, name: str) -> list[str]:
    for row in range(panel.table.rowCount()):
        if panel.table.item(row, 0).text() == name:
            return [panel.table.item(row, c).text() for c in range(panel.table.columnCount())]
    raise AssertionError(f"{name} not listed")


def save(qtbot: QtBot, panel: OrganisationsPanel) -> None:
    with qtbot.waitSignal(panel.tasks.settled, timeout=10_000):
        qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not panel.tasks.busy, timeout=10_000)


def select(panel: OrganisationsPanel, code: str) -> None:
    panel.table.selectRow(next(i for i, e in enumerate(panel.entries) if e.code == code))


@POPUPS
def test_the_admin_adds_a_unit_is_told_what_is_wrong_and_finds_it_by_pinyin(
        qtbot: QtBot, panel: OrganisationsPanel, sqlite_hall: Hall) -> None:
    assert "随程序提供的示例机构目录" in panel.source.text() and "在用 42 个" in panel.source.text()
    assert row_of(panel, "浦江县人力资源和社会保障局")[:4] == ["浦江县人力资源和社会保障局", "政府工作部门", "浦江县",
                                                              "浦江县人民政府"]
    qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    assert panel.form_box.title() == "新增机构" and panel.code.isEnabled() and not panel.retire_button.isVisible()
    panel.code.setText("330726-TYJ")
    panel.name.setText("浦江县教育局")  # a mistake: that name is taken
    panel.kind.setCurrentIndex(panel.kind.findData("政府工作部门"))
    panel.region.set_code("330726")
    panel.parent_unit.set_code("330726-ZF")
    panel.topic.set_code("07")
    qtbot.mouseClick(panel.add_topic, Qt.MouseButton.LeftButton)
    panel.topic.set_code("11")
    qtbot.mouseClick(panel.add_topic, Qt.MouseButton.LeftButton)
    assert [panel.topics.item(i).text() for i in range(panel.topics.count())] == ["教育", "政法"]
    panel.topics.setFocus()
    panel.topics.setCurrentRow(1)
    qtbot.keyClick(panel.topics, Qt.Key.Key_Delete)  # picked by mistake: removed
    assert [panel.topics.item(i).text() for i in range(panel.topics.count())] == ["教育"]
    save(qtbot, panel)
    assert "已有名为“浦江县教育局”的机构（政府工作部门，浙江省金华市浦江县）" in panel.message.text()
    assert panel.focusWidget() is panel.name
    assert "330726-TYJ" not in load_directory() and panel.table.rowCount() == 42  # nothing kept, nothing lost
    assert panel.code.text() == "330726-TYJ" and panel.topics.count() == 1
    panel.name.setText("浦江县体育局")
    with qtbot.waitSignal(panel.refreshed, timeout=10_000):
        save(qtbot, panel)
    assert "已新增“浦江县体育局”（政府工作部门，浦江县）" in panel.message.text()
    assert panel.table.rowCount() == 43 and panel.form_box.title() == "修改“浦江县体育局”"
    assert not panel.code.isEnabled()  # a code stays: cases and devices name it
    assert row_of(panel, "浦江县体育局")[3:] == ["浦江县人民政府", "在用", "教育"]
    assert load_directory().get("330726-TYJ").name == "浦江县体育局"  # routing reads it at once
    assert "本机维护的机构目录" in panel.source.text()

    qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    finder, popup = panel.finder.lineEdit(), panel.finder.completer().popup()
    assert finder is not None and popup is not None
    panel.window().activateWindow()
    panel.finder.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() in (panel.finder, finder))
    qtbot.keyClicks(finder, "pjxtyj")  # 浦江县体育局 by its pinyin initials
    qtbot.waitUntil(popup.isVisible)
    model = popup.model()
    assert [model.index(i, 0).data() for i in range(model.rowCount())] == ["浦江县体育局", "浦江县退役军人事务局"]
    qtbot.keyClick(popup, Qt.Key.Key_Return)  # the first of two is highlighted …
    qtbot.keyClick(popup, Qt.Key.Key_Return)  # … and taken
    qtbot.waitUntil(lambda: panel.name.text() == "浦江县体育局")
    assert panel.entries[panel.table.currentRow()].code == "330726-TYJ"


@POPUPS
def test_a_rename_keeps_the_old_name_and_retiring_asks_first(
        qtbot: QtBot, panel: OrganisationsPanel, sqlite_hall: Hall) -> None:
    select(panel, "330726-JYJ")
    assert panel.name.text() == "浦江县教育局" and panel.retire_button.text() == "撤销机构"
    panel.name.setText("浦江县教育体育局")
    select(panel, "330726-RSJ")  # another unit picked before saving: asked, and nothing typed is lost
    box = panel.question
    assert box is not None and box.isVisible() and "放弃表单中尚未保存的修改" in box.text()
    qtbot.mouseClick(next(b for b in box.buttons() if b.text() == "继续修改"), Qt.MouseButton.LeftButton)
    assert panel.name.text() == "浦江县教育体育局" and panel.entries[panel.table.currentRow()].code == "330726-JYJ"
    with qtbot.waitSignal(panel.refreshed, timeout=10_000):
        save(qtbot, panel)
    assert "已保存“浦江县教育体育局”" in panel.message.text()
    assert panel.former.isVisible() and panel.former.text() == "曾用名：浦江县教育局"
    assert panel.table.item(panel.table.currentRow(), 0).toolTip() == "曾用名：浦江县教育局"

    qtbot.waitUntil(lambda: not panel.tasks.busy, timeout=10_000)
    select(panel, "330726-WJJ")
    qtbot.mouseClick(panel.retire_button, Qt.MouseButton.LeftButton)
    box = panel.question
    assert box is not None and box.isVisible() and "撤销“浦江县卫生健康局”？" in box.text()
    assert "已转交它的事项、已出具的文书保留它的名称" in box.informativeText()
    stay = next(b for b in box.buttons() if b.text() == "不撤销")
    assert box.defaultButton() is stay  # Enter keeps things as they are
    qtbot.mouseClick(stay, Qt.MouseButton.LeftButton)
    assert load_directory().get("330726-WJJ").active and not panel.tasks.busy

    qtbot.mouseClick(panel.retire_button, Qt.MouseButton.LeftButton)
    box = panel.question
    assert box is not None
    go = next(b for b in box.buttons() if b.text() == "撤销机构")
    with qtbot.waitSignal(panel.refreshed, timeout=10_000):
        qtbot.mouseClick(go, Qt.MouseButton.LeftButton)
    assert "已撤销“浦江县卫生健康局”：新的转送、交办不再列出它" in panel.message.text()
    assert panel.table.item(panel.table.rowCount() - 1, 0).text() == "浦江县卫生健康局"  # the retired last
    state = row_of(panel, "浦江县卫生健康局")[4]
    assert state.startswith("已撤销（") and panel.retire_button.text() == "恢复使用"
    assert "已转交的事项保留它的名称" in panel.former.text()
    assert "浦江县卫生健康局" not in {c.name for c in organisation_choices()}
    assert "浦江县卫生健康局" not in [panel.parent_unit.itemText(i) for i in range(panel.parent_unit.count())]
    qtbot.waitUntil(lambda: not panel.tasks.busy, timeout=10_000)  # the change's own reading done too
    with qtbot.waitSignal(panel.refreshed, timeout=10_000):
        qtbot.mouseClick(panel.retire_button, Qt.MouseButton.LeftButton)  # 恢复使用: no question, it costs nothing
    assert row_of(panel, "浦江县卫生健康局")[4] == "在用" and load_directory().get("330726-WJJ").active
    assert all(w is not box for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible())


def test_on_a_desk_that_syncs_the_admin_edits_the_servers_directory(
        qtbot: QtBot, work_context: Context, device_hall: DeviceFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    centre = with_staff(device_hall("srv", code="H01"))
    add_staff(centre, "guanli1", "admin", "孙涛", password=PASSWORD)
    desk = device_hall("adm")
    monkeypatch.setenv("PH_SYNC_TOKEN", enrol_device(centre, desk.settings.device_id, "admin"))
    admin = Actor("staff:guanli1", "孙涛", "admin")
    with serving(centre) as url:
        desk.settings = replace(desk.settings, server_url=url)
        widget = OrganisationsPanel(work_context(admin, "admin", hall=desk))
        qtbot.addWidget(widget)
        widget.resize(1366, 700)
        widget.show()
        qtbot.waitUntil(lambda: widget.server_row.isVisible() and not widget.tasks.busy, timeout=10_000)
        assert "请输入本人登录密码" in widget.notice.text() and widget.table.rowCount() == 0
        assert not widget.save_button.isEnabled() and not widget.name.isEnabled()
        with pytest.raises(RuleViolation, match="以服务器下发的为准"):  # never into this PC's own copy
            save_organisation(desk, admin, directory_listing(desk, admin).entries[0].form(), new=False)

        widget.password.setText("Wrong#2026xf")
        with qtbot.waitSignal(widget.refreshed, timeout=20_000):
            qtbot.mouseClick(widget.load_button, Qt.MouseButton.LeftButton)
        assert "管理员身份未通过" in widget.notice.text() and widget.table.rowCount() == 0
        widget.password.setText(PASSWORD)
        with qtbot.waitSignal(widget.refreshed, timeout=20_000):
            qtbot.mouseClick(widget.load_button, Qt.MouseButton.LeftButton)
        assert widget.table.rowCount() == 42 and "以下是服务器上的机构目录" in widget.notice.text()

        select(widget, "330726-JYJ")
        widget.name.setText("浦江县教育体育局🙂")
        save(qtbot, widget)
        assert widget.message.text().startswith("服务器没有保存：") and "表情符号" in widget.message.text()
        widget.name.setText("浦江县教育体育局")
        with qtbot.waitSignal(widget.refreshed, timeout=20_000):
            save(qtbot, widget)
        assert "各设备下次同步时更新" in widget.message.text()
        assert row_of(widget, "浦江县教育体育局")[4] == "在用"
    server_side = {e.code: e for e in directory_listing(centre, admin).entries}
    assert server_side["330726-JYJ"].name == "浦江县教育体育局"  # kept on the server, shared from there
    assert server_side["330726-JYJ"].former_names == ("浦江县教育局",)


def test_save_stays_where_it_is_as_messages_come_and_go(qtbot: QtBot, panel: OrganisationsPanel) -> None:
    from PySide6.QtCore import QPoint

    qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    where = panel.save_button.mapTo(panel, QPoint(0, 0))
    panel.name.setText("浦江县体育局")
    save(qtbot, panel)  # no code, no kind, no region: refused
    assert panel.message.isVisible() and panel.message.property("tone") == "error"
    assert panel.save_button.mapTo(panel, QPoint(0, 0)) == where  # a second click lands on 保存


def test_the_list_fits_its_width_without_scrolling_sideways(qtbot: QtBot, panel: OrganisationsPanel) -> None:
    """At 1366×768 the 受理事项 column, sized to its longest list, pushed the list sideways (名称 scrolled away)."""
    for width in (1366, 1180):
        panel.resize(width, 700)
        panel.refresh()
        qtbot.waitUntil(lambda: not panel.tasks.busy, timeout=10_000)
        table = panel.table
        qtbot.waitUntil(lambda: table.horizontalScrollBar().maximum() == 0)  # noqa: B023  # read at this width
        shown = sum(table.columnWidth(c) for c in range(table.columnCount()))
        assert shown <= table.viewport().width() + 1, (width, shown, table.viewport().width())
        assert table.columnWidth(0) >= table.fontMetrics().horizontalAdvance("浦江县人民检察院")  # names whole
    table = panel.table
    font = table.font()
    font.setPixelSize(18)  # as large as the hall's style makes it (the offscreen default is smaller)
    table.setFont(font)
    panel.resize(1900, 1000)  # room enough (1920×1080): the names of 上级机构 are whole, not cut at 170
    parent = table.fontMetrics().horizontalAdvance("浦江县人力资源和社会保障局")
    qtbot.waitUntil(lambda: table.columnWidth(3) >= parent)
    assert table.horizontalScrollBar().maximum() == 0
    row = next(i for i, e in enumerate(panel.entries) if len(e.topic_names) > 1)
    item = panel.table.item(row, 5)
    assert item.toolTip() == item.text() and "、" in item.text()  # a cut list is read whole on pointing
