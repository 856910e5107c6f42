"""The case search's deadline filter, driven through the real widget."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from pytestqt.qtbot import QtBot

from desktop.domain.deadlines import DueFilter
from desktop.services.context import Actor, Hall
from desktop.services.registration import register_visit
from tests.conftest import FakeClock
from tests.helpers import form, valid_id
from ui.cases.search import DUE_COLOURS, CaseSearchPanel


def _column(panel: CaseSearchPanel, name: str) -> list[str]:
    column = panel.COLUMNS.index(name)
    return [panel.table.item(row, column).text() for row in range(panel.table.rowCount())]


def test_the_filter_lists_overdue_and_due_soon_cases_alone_and_with_a_name(
        qtbot: QtBot, sqlite_hall: Hall, clerk: Actor, clock: FakeClock, work_context: Any) -> None:
    numbers = {}
    for day, seq, name in ((1, 1, "张三"), (3, 2, "李四"), (2, 3, "张三"), (21, 4, "张三")):
        clock.current = datetime(2026, 9, day, 10, 0)
        numbers[day] = register_visit(sqlite_hall, clerk, form(name=name, id_number=valid_id(seq=seq))).case_number
    clock.current = datetime(2026, 9, 22, 9, 0)  # 9-1, 9-2, 9-3 have passed their 15 days; 9-21 is due 10-8
    panel = CaseSearchPanel(work_context(clerk))
    qtbot.addWidget(panel)
    panel.show()
    with qtbot.waitSignal(panel.searched):
        qtbot.mouseClick(panel.due_buttons[DueFilter.OVERDUE], Qt.MouseButton.LeftButton)  # no query typed
    assert _column(panel, "案件编号") == [numbers[1], numbers[2], numbers[3]]  # the most overdue first
    assert _column(panel, "距期限") == ["超期6天", "超期5天", "超期4天"]
    assert _column(panel, "当前期限")[0] == "2026年9月16日"
    words = panel.table.item(0, panel.COLUMNS.index("距期限"))
    assert words.foreground().color() == QColor(DUE_COLOURS["overdue"])
    assert panel.status.text() == "已超期　共 3 件"
    with qtbot.waitSignal(panel.searched):
        panel.query.setText("张三")  # narrowed to that person's late cases
    qtbot.waitUntil(lambda: _column(panel, "案件编号") == [numbers[1], numbers[2]])
    assert panel.status.text() == "已超期　按姓名查找：共 2 件"
    with qtbot.waitSignal(panel.searched):
        qtbot.mouseClick(panel.due_buttons[DueFilter.DUE_SOON], Qt.MouseButton.LeftButton)
    assert panel.table.rowCount() == 0 and panel.status.text() == "临近期限　未找到相符的临近期限事项"
    with qtbot.waitSignal(panel.searched):
        qtbot.mouseClick(panel.due_buttons[DueFilter.ALL], Qt.MouseButton.LeftButton)
    assert _column(panel, "案件编号") == [numbers[21], numbers[2], numbers[1]]  # every case of the name, newest first
    assert _column(panel, "距期限") == ["剩16天", "超期5天", "超期6天"]  # said without the filter too
    assert panel.status.text() == "按姓名查找：共 3 件"


def test_a_deadline_counted_without_its_years_holiday_schedule_is_marked_as_on_the_board(
        qtbot: QtBot, sqlite_hall: Hall, clerk: Actor, clock: FakeClock, work_context: Any) -> None:
    clock.current = datetime(2026, 12, 28, 10, 0)
    case = register_visit(sqlite_hall, clerk, form())  # its 15 days end in 2027, whose schedule is not imported
    assert case.view.next_due is not None and case.view.next_due.year == 2027
    clock.current = datetime(2027, 1, 8, 9, 0)
    panel = CaseSearchPanel(work_context(clerk))
    qtbot.addWidget(panel)
    with qtbot.waitSignal(panel.searched):
        qtbot.mouseClick(panel.due_buttons[DueFilter.DUE_SOON], Qt.MouseButton.LeftButton)
    due = case.view.next_due
    assert _column(panel, "当前期限") == [f"{due.year}年{due.month}月{due.day}日（未经核实）"]
