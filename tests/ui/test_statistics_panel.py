"""The statistics panel on real services: loads off the GUI thread, changes year, exports."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QTableWidget, QTableWidgetItem
from pytestqt.qtbot import QtBot

from desktop.domain.deadlines import format_date
from desktop.services import cases
from desktop.services.context import Actor, Hall
from desktop.services.registration import register_visit
from tests.conftest import FakeClock
from tests.helpers import form, valid_id
from ui.shell.context import WorkContext
from ui.statistics.panel import StatisticsPanel

Context = Callable[..., WorkContext]


@pytest.fixture
def two_years(sqlite_hall: Hall, clerk: Actor, clock: FakeClock) -> Hall:
    """A case received in 2025 and two in 2026 (one accepted on time); seen on 2026-09-16."""
    clock.current = datetime(2025, 6, 2, 10)
    register_visit(sqlite_hall, clerk, form())
    clock.current = datetime(2026, 3, 2, 10)
    ref = register_visit(sqlite_hall, clerk, form(name="李梅", id_number=valid_id(seq=456),
                                                  request="反映村道损毁多年未修")).case_number
    cases.classify(sqlite_hall, clerk, ref, nature="申诉求决类", topic_code="0101")
    cases.accept(sqlite_hall, clerk, ref, accepted_on=date(2026, 3, 5))
    register_visit(sqlite_hall, clerk, form(name="周芳", id_number=valid_id(seq=789), request="反映噪音扰民"))
    clock.current = datetime(2026, 9, 16, 9, 30)
    return sqlite_hall


def _cell(table: QTableWidget, row: int, column: int) -> QTableWidgetItem:
    item = table.item(row, column)
    assert item is not None
    return item


def _open(
        qtbot: QtBot, work_context: Context, hall: Hall, actor: Actor) -> StatisticsPanel:
    panel = StatisticsPanel(work_context(actor, "counter", hall=hall))
    qtbot.addWidget(panel)
    with qtbot.waitSignal(panel.tasks.settled, timeout=10_000):
        panel.show()
    return panel


def test_panel_loads_the_current_year_and_its_years(
        qtbot: QtBot, work_context: Context, two_years: Hall, supervisor: Actor) -> None:
    panel = _open(qtbot, work_context, two_years, supervisor)
    assert [panel.year.itemData(i) for i in range(panel.year.count())] == [2026, 2025]
    assert panel.selected_year() == 2026
    assert panel.dashboard is not None and panel.dashboard.year == 2026
    months = panel.months
    assert months.rowCount() == 17  # twelve months, four quarters, the year
    march = [_cell(months, 2, c).text() for c in range(months.columnCount())]
    assert march[:3] == ["3月", "2", "2"] and march[9] == "50.0%"  # 及时受理率: one on time, one past its limit
    assert _cell(months, 0, 9).text() == "—"  # January: nothing to judge
    header = months.horizontalHeaderItem(9)
    assert header is not None
    assert header.text() == "及时\n受理率" and "15日" in header.toolTip()
    first = _cell(months, 12, 0)
    assert first.text() == "第一季度" and first.font().bold() and _cell(months, 12, 1).text() == "2"
    assert _cell(months, 12, 9).text() == "50.0%" and _cell(months, 15, 9).text() == "—"  # 及时受理率; Q4 empty
    total = _cell(months, 16, 0)
    assert total.text() == "全年" and total.font().bold() and _cell(months, 16, 1).text() == "2"
    assert _cell(panel.channels, 0, 0).text() == "走访" and _cell(panel.channels, 0, 1).text() == "2"
    assert panel.topics.rowCount() == 2
    assert "2026年" in panel.title.text() and "在办" in panel.backlog.text()
    assert panel.backlog.text().startswith(f"当前在办事项（截至{format_date(two_years.today())}）")  # a date in words
    # all the cases being handled: never called 积案, which the leaders' 包案与积案 counts by its own rule (180 days,
    # 3 visits) — 当前积案：在办 11 件 beside 积案0件 read as two counts of one thing that disagreed
    assert "积案" not in panel.backlog.text()
    assert panel.export_button.isVisible()


def test_changing_the_year_reloads(
        qtbot: QtBot, work_context: Context, two_years: Hall, supervisor: Actor) -> None:
    panel = _open(qtbot, work_context, two_years, supervisor)
    with qtbot.waitSignal(panel.loaded, timeout=10_000) as loaded:
        panel.year.setCurrentIndex(panel.year.findData(2025))
    assert loaded.args is not None and loaded.args[0].year == 2025
    assert _cell(panel.months, 16, 1).text() == "1" and _cell(panel.months, 5, 1).text() == "1"
    with qtbot.waitSignal(panel.loaded, timeout=10_000):
        qtbot.mouseClick(panel.refresh_button, Qt.MouseButton.LeftButton)
    assert panel.dashboard is not None and panel.dashboard.year == 2025


def test_the_keys_stay_on_refresh_while_the_year_is_counted(
        qtbot: QtBot, work_context: Context, two_years: Hall, supervisor: Actor) -> None:
    """刷新 is disabled while counting: the keys went on to the next widget (锁屏 in the window) and stayed there."""
    from PySide6.QtWidgets import QApplication, QLineEdit, QVBoxLayout, QWidget

    window = QWidget()
    qtbot.addWidget(window)
    panel = StatisticsPanel(work_context(supervisor, "counter", hall=two_years), window)
    after = QLineEdit(window)  # the next widget in the tab order, as the header's buttons are in the window
    column = QVBoxLayout(window)
    column.addWidget(panel)
    column.addWidget(after)
    with qtbot.waitSignal(panel.tasks.settled, timeout=10_000), qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    panel.refresh_button.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is panel.refresh_button)
    with qtbot.waitSignal(panel.loaded, timeout=10_000):
        qtbot.keyClick(panel.refresh_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: not panel.tasks.busy)
    assert panel.refresh_button.isEnabled() and QApplication.focusWidget() is panel.refresh_button


def test_export_through_the_file_dialog(
        qtbot: QtBot, work_context: Context, two_years: Hall, supervisor: Actor, tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    panel = _open(qtbot, work_context, two_years, supervisor)
    target = tmp_path / "out" / "统计"
    target.parent.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *args, **kwargs: (str(target), "Excel 工作簿 (*.xlsx)")))
    with qtbot.waitSignal(panel.exported, timeout=10_000) as exported:
        qtbot.mouseClick(panel.export_button, Qt.MouseButton.LeftButton)
    written = target.with_suffix(".xlsx")
    assert exported.args == [written] and written.exists()
    assert load_workbook(written)["月度指标"]["B20"].value == 2
    assert "已导出" in panel.message.text()
    # the name the dialog did not confirm (".xlsx" was added) is never replaced
    with qtbot.waitSignal(panel.tasks.settled, timeout=10_000):
        qtbot.mouseClick(panel.export_button, Qt.MouseButton.LeftButton)
    assert "已存在" in panel.message.text()


def test_a_leader_sees_no_export_and_a_clerk_is_refused(
        qtbot: QtBot, work_context: Context, two_years: Hall, clerk: Actor) -> None:
    leader = Actor("staff:lingdao", "领导", "leader")
    panel = _open(qtbot, work_context, two_years, leader)
    assert not panel.export_button.isVisible() and panel.dashboard is not None
    refused = _open(qtbot, work_context, two_years, clerk)
    assert refused.dashboard is None and "督办与统计" in refused.message.text()


def test_on_a_1366_screen_every_table_shows_all_its_rows(
        qtbot: QtBot, work_context: Context, two_years: Hall, supervisor: Actor) -> None:
    """The page scrolls as a whole; no table is squeezed to a row with a scroll bar of its own."""
    panel = StatisticsPanel(work_context(supervisor, "counter", hall=two_years))
    qtbot.addWidget(panel)
    panel.resize(1340, 620)  # what a tab leaves of a 1366×768 screen
    with qtbot.waitSignal(panel.loaded, timeout=10_000):
        panel.show()
    qtbot.waitUntil(lambda: panel.channels.rowCount() > 0)
    for table in (panel.months, panel.channels, panel.topics):
        assert table.verticalScrollBar().maximum() == 0
        shown = table.viewport().height()
        assert shown >= sum(table.rowHeight(r) for r in range(table.rowCount()))
