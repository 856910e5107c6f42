"""Each role's window opens on real services and does its one job."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop.services.context import Actor, Hall
from desktop.services.registration import register_visit
from tests.helpers import form, valid_id
from ui.windows import (
    CaseSearchPanel,
    DeadlinePanel,
    HallBoard,
    ProgressQueryPanel,
    RoleWindow,
)


@pytest.mark.parametrize("role", ["kiosk", "counter", "leader", "display", "admin"])
def test_every_role_opens(qtbot: QtBot, sqlite_hall: Hall, clerk: Actor, role: str) -> None:
    register_visit(sqlite_hall, clerk, form())
    window = RoleWindow(sqlite_hall, clerk, role)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert "信访接待大厅系统" in window.windowTitle()


def test_counter_search_finds_by_name_as_typed(qtbot: QtBot, sqlite_hall: Hall,
                                               clerk: Actor) -> None:
    register_visit(sqlite_hall, clerk, form(name="王芳", id_number=valid_id(seq=9)))
    register_visit(sqlite_hall, clerk, form(name="张建国", request="反映拖欠工资问题"))
    panel = CaseSearchPanel(sqlite_hall, clerk)
    qtbot.addWidget(panel)
    panel.query.setText("王芳")
    qtbot.waitUntil(lambda: panel.table.rowCount() == 1)
    assert panel.table.item(0, 1).text() == "王芳"
    panel.table.setCurrentCell(0, 0)
    assert "登记" in panel.detail.toPlainText() and "2026年10月8日" in panel.detail.toPlainText()
    panel.query.setText("拖欠工资")
    qtbot.waitUntil(lambda: panel.table.rowCount() == 1 and
                    panel.table.item(0, 1).text() == "张建国")
    assert "诉求内容" in panel.status.text()


def test_kiosk_progress_query(qtbot: QtBot, sqlite_hall: Hall, clerk: Actor) -> None:
    result = register_visit(sqlite_hall, clerk, form())
    panel = ProgressQueryPanel(sqlite_hall)
    qtbot.addWidget(panel)
    panel.number.setText(result.case_number)
    panel.code.setText("00000000")
    qtbot.mouseClick(panel.submit, Qt.MouseButton.LeftButton)
    assert "查询码不正确" in panel.error.text() and panel.result.text() == ""
    panel.code.setText(result.query_code)
    qtbot.mouseClick(panel.submit, Qt.MouseButton.LeftButton)
    assert panel.error.text() == ""
    assert result.case_number in panel.result.text() and "已登记" in panel.result.text()
    assert "张**" in panel.result.text()


def test_deadline_board_and_hall_display(qtbot: QtBot, sqlite_hall: Hall, clerk: Actor) -> None:
    register_visit(sqlite_hall, clerk, form())
    board = DeadlinePanel(sqlite_hall, clerk)
    qtbot.addWidget(board)
    assert "在办 1 件" in board.summary.text()
    display = HallBoard(sqlite_hall)
    qtbot.addWidget(display)
    # 2026-09-16: the next leaders' day is 15 October (the 15th of September has passed)
    assert "2026年10月15日" in display.reception.text()
