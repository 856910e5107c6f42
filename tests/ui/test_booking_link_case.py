"""关联信访事项 on the counter's 领导接访预约: the clerk chooses which of the visitor's own cases a booking concerns
(or none), and the leader's 今日接访 reads the choice."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop.domain.access import WITHHELD
from desktop.domain.errors import RuleViolation
from desktop.printing.simulated import SimulatedPrinter
from desktop.services import cases, reception
from desktop.services.context import Actor, Hall
from desktop.services.registration import register_visit
from tests.conftest import FakeClock
from tests.helpers import form, valid_id
from ui.counter.work import CounterWork
from ui.leader.work import LeaderWork
from ui.reception.booking import CounterBookingPanel
from ui.reception.link_case import LinkCaseDialog
from ui.shell.context import WorkContext

Context = Callable[..., WorkContext]
LEADER = Actor("staff:lingdao1", "周建华", "leader")
OLD_REQUEST = "反映村道损毁多年未修，雨天泥泞无法通行，要求镇政府尽快安排硬化"


def open_panel(qtbot: QtBot, ctx: WorkContext, width: int, height: int) -> CounterBookingPanel:
    counter = CounterWork(ctx)
    qtbot.addWidget(counter)
    counter.resize(width, height)
    counter.show()
    panel = counter.booking
    panel.printer = SimulatedPrinter
    counter.setCurrentWidget(panel)
    qtbot.waitUntil(lambda: panel.table.rowCount() == 1, timeout=10_000)
    return panel


def open_dialog(qtbot: QtBot, panel: CounterBookingPanel) -> LinkCaseDialog:
    panel.table.selectRow(0)
    panel.link_dialog = None
    qtbot.mouseClick(panel.link_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.link_dialog is not None and panel.link_dialog.isVisible(), timeout=10_000)
    assert panel.link_dialog is not None
    return panel.link_dialog


@pytest.mark.parametrize("size", [(1366, 723), (1920, 1035)])
def test_the_clerk_links_one_of_the_visitors_own_cases_or_none(
        qtbot: QtBot, sqlite_hall: Hall, work_context: Context, clerk: Actor, clock: FakeClock,
        size: tuple[int, int]) -> None:
    hall = sqlite_hall
    old = register_visit(hall, clerk, form(name="李梅", id_number=valid_id(seq=12), request=OLD_REQUEST))
    register_visit(hall, clerk, form(name="张建国", id_number=valid_id(seq=13), request="别人的事项"))
    clock.advance(days=1)
    new = register_visit(hall, clerk, form(name="李梅", id_number=valid_id(seq=12), request="讨要拖欠工资"))
    day = reception.add_day(hall, LEADER, date(2026, 9, 18), leaders=["县长 周建华"])
    reception.book(hall, clerk, day.day_id, reception.Visitor("李梅", valid_id(seq=12), phone="13857912345"))
    panel = open_panel(qtbot, work_context(clerk), *size)
    assert panel.table.item(0, 5).text().startswith(new.case_number)  # the rule: her latest unfinished case

    dialog = open_dialog(qtbot, panel)
    table = dialog.table
    rows = [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())]
    assert [r[0] for r in rows] == [new.case_number, old.case_number]  # hers only, the newest first
    assert rows[1][1] == "9月16日" and rows[1][3] == "已登记"  # a date in words, the state
    assert rows[1][2].endswith("…") and len(rows[1][2]) == LinkCaseDialog.REQUEST_LIMIT  # 诉求 shortened
    assert OLD_REQUEST in table.item(1, 2).toolTip()
    assert table.currentRow() == 0 and dialog.who.text().startswith("9:00–10:30　李*（身份证号 ")
    assert dialog.now.text() == f"现在：已关联{new.case_number}（诉求：讨要拖欠工资）"
    assert dialog.height() <= size[1]
    dialog.select_case(old.case_number)
    qtbot.mouseClick(dialog.link_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "的预约已关联" in panel.message.text(), timeout=10_000)
    assert panel.message.text().startswith(f"李*的预约已关联{old.case_number}（诉求：反映村道损毁")
    qtbot.waitUntil(lambda: panel.table.item(0, 5).text().startswith(old.case_number), timeout=10_000)
    (booked,) = reception.appointments(hall, clerk, day.day_id)
    assert booked.case_number == old.case_number

    # the leader's 今日接访 reads the choice on the day (its row's tooltip, the dossier's 批示记入事项)
    clock.advance(days=1)
    leader = LeaderWork(work_context(LEADER, "leader"))
    qtbot.addWidget(leader)
    leader.resize(*size)
    leader.show()
    screen = leader.day
    qtbot.waitUntil(lambda: screen.table.rowCount() == 1, timeout=10_000)
    assert screen.table.item(0, 1).toolTip().startswith(f"已关联{old.case_number}（诉求：反映村道损毁")
    assert screen.table.item(0, 3).text() == "已预约"

    dialog = open_dialog(qtbot, panel)
    assert dialog.table.currentRow() == 1  # the case linked now
    qtbot.mouseClick(dialog.none_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "不关联以前的信访事项" in panel.message.text(), timeout=10_000)
    qtbot.waitUntil(lambda: panel.table.item(0, 5).text() == "尚未关联信访事项", timeout=10_000)
    qtbot.waitUntil(lambda: screen.table.item(0, 3).text() == "已预约·待登记", timeout=30_000)
    assert screen.table.item(0, 3).toolTip().startswith("尚未关联信访事项")


def test_a_visitor_without_cases_can_only_be_left_unlinked(qtbot: QtBot, sqlite_hall: Hall, work_context: Context,
                                                           clerk: Actor) -> None:
    day = reception.add_day(sqlite_hall, LEADER, date(2026, 9, 18), leaders=["县长 周建华"])
    reception.book(sqlite_hall, clerk, day.day_id, reception.Visitor("王芳", valid_id(seq=21)))
    panel = open_panel(qtbot, work_context(clerk), 1366, 723)
    dialog = open_dialog(qtbot, panel)
    assert dialog.table.isHidden() and dialog.link_button.isHidden() and dialog.none_button.isVisible()
    assert dialog.now.text() == "现在：尚未关联信访事项"
    dialog.reject()


def test_only_the_visitors_own_cases_are_offered_or_linked_and_accusations_are_withheld(
        sqlite_hall: Hall, clerk: Actor) -> None:
    hall = sqlite_hall
    theirs = register_visit(hall, clerk, form(name="李梅", id_number=valid_id(seq=12), request="举报某单位违规收费"))
    cases.classify(hall, clerk, theirs.case_number, nature="检举控告类", topic_code="0101")
    other = register_visit(hall, clerk, form(name="张建国", id_number=valid_id(seq=13)))
    day = reception.add_day(hall, LEADER, date(2026, 9, 18), leaders=["县长 周建华"])
    booking = reception.book(hall, clerk, day.day_id, reception.Visitor("李梅", valid_id(seq=12)))
    found = reception.visitor_cases(hall, clerk, booking.appointment.appointment_id)
    assert [c.case_number for c in found.cases] == [theirs.case_number]
    assert found.cases[0].request == WITHHELD  # a clerk does not read an accusation's content
    assert found.appointment.name == "李*"
    with pytest.raises(RuleViolation, match="不是该预约来访人"):
        reception.link_case(hall, clerk, booking.appointment.appointment_id, other.case_number)
