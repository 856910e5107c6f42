"""A whole leader reception day through the real widgets.

The schedule is generated (a 15th on a Sunday moves to the Monday) and a day added by hand;
visitors book at the kiosk and at the counter; on the day the leader reads the dossier (one
audit entry for the deliberate reveal), records 批示 and 包案 with a unit found by its short
name, prints the 交办单 with the leader's name; after the day the board tracks the case to its
conclusion, with a 督办 reminder, and the statistics count it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from desktop.domain.access import Role
from desktop.domain.events import EventType
from desktop.printing.simulated import SimulatedPrinter
from desktop.services import cases, printing, reception
from desktop.services.audit import AuditQuery, list_audit
from desktop.services.context import Actor, Hall
from desktop.services.registration import register_visit
from tests.conftest import FakeClock
from tests.helpers import form, valid_id
from tests.ui.conftest import MakeAccount, sign_in
from ui.counter.work import CounterWork
from ui.kiosk.booking import BookingFlow, button_words
from ui.leader.work import LeaderWork
from ui.printing.preview import PrintPreviewDialog
from ui.reception.after import LeaderBoardPanel
from ui.reception.day import LeaderDayScreen
from ui.shell.context import WorkContext
from ui.shell.staff import StaffWindow

Context = Callable[..., WorkContext]
OpenWindow = Callable[..., StaffWindow]
LEADER = Actor("staff:lingdao1", "周建华", "leader")


def _click(qtbot: QtBot, button: QPushButton) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _views(hall: Hall) -> int:
    return len(list_audit(hall, Actor.system(), AuditQuery(action="查看完整个人信息")))


def test_a_whole_reception_day(qtbot: QtBot, sqlite_hall: Hall, clock: FakeClock, clerk: Actor,
                               work_context: Context, tmp_path: Path) -> None:
    hall = sqlite_hall
    first = register_visit(hall, clerk, form(name="欧阳建华", id_number=valid_id(seq=11)))
    cases.classify(hall, clerk, first.case_number, nature="申诉求决类", topic_code="0101")
    second = register_visit(hall, clerk, form(name="李梅", id_number=valid_id(seq=12), request="反映村道损毁多年未修"))

    # -- the schedule: by the rule, and one day by hand -------------------------------------------
    work = LeaderWork(work_context(LEADER, "leader"))
    qtbot.addWidget(work)
    work.resize(1920, 1080)
    work.show()
    schedule = work.schedule
    schedule.leaders.setText("县长 周建华")
    schedule.topics.setText("劳动保障")
    schedule.months.setValue(3)
    _click(qtbot, schedule.generate_button)
    qtbot.waitUntil(lambda: schedule.table.rowCount() == 2, timeout=10_000)
    days = reception.list_days(hall, LEADER)
    assert [d.day for d in days] == [date(2026, 10, 15), date(2026, 11, 16)]  # 11-15 is a Sunday
    # the topic typed is shown; the office's list goes out on a working day, named with its weekday
    row = [schedule.table.item(0, c).text() for c in range(schedule.table.columnCount())]  # type: ignore[union-attr]
    assert row[3] == "劳动保障" and row[8] == "2026年10月10日（星期六）送出"  # a Saturday worked (调休)
    assert schedule.table.item(1, 8).text() == "2026年11月11日（星期三）送出"  # type: ignore[union-attr]
    schedule.day.setDate(QDate(2026, 9, 18))
    _click(qtbot, schedule.add_button)
    qtbot.waitUntil(lambda: schedule.table.rowCount() == 3, timeout=10_000)
    assert "已添加接访日" in schedule.message.text()

    # -- appointments: the kiosk's four screens, then the counter -------------------------------------
    flow = BookingFlow(work_context(Actor.kiosk("K01"), "kiosk"))
    qtbot.addWidget(flow)
    flow.printer = SimulatedPrinter
    flow.resize(1080, 1920)
    flow.show()
    qtbot.waitUntil(lambda: len(flow.days) == 3, timeout=10_000)
    day_button = flow.day_buttons.itemAt(0).widget()
    assert isinstance(day_button, QPushButton) and "9月18日" in button_words(day_button)
    assert day_button.height() >= 90
    _click(qtbot, day_button)
    slot_button = flow.slot_buttons.itemAt(0).widget()
    assert isinstance(slot_button, QPushButton) and "9:00–10:30" in slot_button.text()
    _click(qtbot, slot_button)
    flow.name.setText("欧阳建华")
    flow.id_number.setText(valid_id(seq=11))
    flow.summary.setText("讨薪")
    with qtbot.waitSignal(flow.booked, timeout=10_000):
        _click(qtbot, flow.confirm)
    assert flow.pages.currentWidget() is flow.result_page and flow.outcome.text() == "预约成功"
    qtbot.waitUntil(lambda: flow.print_note.text() == "请取走预约回执", timeout=10_000)
    with qtbot.waitSignal(flow.finished, timeout=2_000):
        _click(qtbot, flow.done_button)

    counter = CounterWork(work_context(clerk))
    qtbot.addWidget(counter)
    panel = counter.booking
    panel.printer = SimulatedPrinter
    counter.setCurrentWidget(panel)
    qtbot.waitUntil(lambda: panel.day_box.count() == 3, timeout=10_000)
    assert panel.table.rowCount() == 1  # the kiosk's booking, on the first day
    panel.name.setText("李梅")
    panel.id_number.setText(valid_id(seq=12))
    panel.persons.setValue(2)
    _click(qtbot, panel.book_button)
    qtbot.waitUntil(lambda: panel.table.rowCount() == 2 and not panel.printing.busy, timeout=10_000)
    assert "已预约2026年9月18日（星期五）" in panel.message.text() and "正在" not in panel.message.text()
    slips = [j for j in printing.print_log(hall, clerk) if j.kind == "领导接访预约回执"]
    assert len(slips) == 2 and all(j.status == "printed" for j in slips)
    panel.table.selectRow(0)
    panel.note.setText("来电称材料已交镇司法所")  # the clerk prepares the dossier (访前调查准备)
    _click(qtbot, panel.note_button)
    qtbot.waitUntil(lambda: "已为欧阳**的接访预案添加批注" in panel.message.text(), timeout=10_000)
    # the leader's office gets the day's list (names in full: an internal list), exported for it
    schedule.table.selectRow(0)
    schedule.export_list(tmp_path / "名单.csv")
    qtbot.waitUntil(lambda: "已导出2人" in schedule.message.text(), timeout=10_000)
    exported = (tmp_path / "名单.csv").read_text(encoding="utf-8-sig")
    assert "欧阳建华" in exported and "李梅" in exported and "9:00–10:30" in exported

    # -- on the day -----------------------------------------------------------------------------------
    clock.advance(days=2)  # 2026-09-18
    screen = work.day
    work.setCurrentWidget(screen)
    with qtbot.waitSignal(screen.refreshed, timeout=10_000):
        screen.refresh()
    assert screen.day_box.currentText().startswith("2026年9月18日")
    assert [screen.table.item(r, 1).text() for r in range(2)] == ["欧阳**", "李*"]
    with qtbot.waitSignal(screen.opened, timeout=10_000):
        screen.table.selectRow(0)
    assert first.case_number in screen.view.toHtml() and "欧阳建华" not in screen.view.toHtml()
    assert _views(hall) == 0  # selecting and reading the dossier reveals nothing
    screen.note.setText("来电称已向镇里反映过两次")
    with qtbot.waitSignal(screen.opened, timeout=10_000):
        _click(qtbot, screen.note_button)
    assert "两次" in screen.view.toHtml() and "镇司法所" in screen.view.toHtml() and "王丽" in screen.view.toHtml()
    with qtbot.waitSignal(screen.opened, timeout=10_000):
        _click(qtbot, screen.reveal_button)
    assert "欧阳建华" in screen.view.toHtml() and _views(hall) == 1 and not screen.reveal_button.isEnabled()

    screen.instruction.setPlainText("请县人力社保局牵头，限期解决欠薪问题")
    screen.decision.setText("包案化解")
    screen.take_on.setChecked(True)
    edit = screen.unit_box.lineEdit()
    assert edit is not None
    edit.setText("县人力社保局")  # the short name people use finds the unit
    screen.unit_box._matcher.set_needle("县人力社保局")  # what typing does (without the popup offscreen)
    assert screen.unit_box._matcher.rowCount() == 1
    screen.unit_box.set_code("330726-RSJ")
    _click(qtbot, screen.add_unit)
    assert screen.units_label.text() == "责任单位：浦江县人力资源和社会保障局"
    assert screen.due.date() == QDate(2026, 10, 19)  # 30 days on: 10-18 is a Sunday
    _click(qtbot, screen.save_button)  # a 包案 is asked about first, naming the case, the unit and the deadline
    box = screen.confirm
    assert box is not None and screen.confirm_go is not None and not screen.acting.busy
    assert box.text() == (f"由周建华包案{first.case_number}（欧阳**）：责任单位浦江县人力资源和社会保障局，"
                          "2026年10月19日（星期一）前办结？")
    assert box.defaultButton() is box.escapeButton()  # Enter and Esc go back to the form
    box.escapeButton().click()  # 返回修改: nothing recorded, the form as it was
    assert screen.confirm is None or not screen.confirm.isVisible()
    assert screen.take_on.isChecked() and screen.units == ["330726-RSJ"]
    assert EventType.LEADER_TAKEN not in [e.type for e in cases.load_case(hall, LEADER, first.case_number).events]
    _click(qtbot, screen.save_button)
    assert screen.confirm_go is not None
    with qtbot.waitSignal(screen.decided, timeout=10_000) as decided:
        screen.confirm_go.click()
    assert decided.args is not None and decided.args[0].due == date(2026, 10, 19)
    events = cases.load_case(hall, LEADER, first.case_number).events
    assert [e.type for e in events][-2:] == [EventType.INSTRUCTED, EventType.LEADER_TAKEN]
    assert events[-1].payload["leader"] == "周建华"
    with qtbot.waitSignal(screen.refreshed, timeout=10_000):
        pass
    assert "已接待·包案" in screen.table.item(0, 3).text()

    with qtbot.waitSignal(screen.document_ready, timeout=10_000):
        _click(qtbot, screen.form_button)
    dialog = work.preview
    assert isinstance(dialog, PrintPreviewDialog) and dialog.doc.title == "领导接访交办单"
    assert dialog.doc.data["leader"] == "周建华" and dialog.doc.data["recipient_name"] == "浦江县人力资源和社会保障局"
    qtbot.waitUntil(lambda: not dialog.tasks.busy and not dialog.lookup.busy, timeout=10_000)
    with qtbot.waitSignal(dialog.finished_printing, timeout=10_000):
        dialog.print_to(SimulatedPrinter())
    (job,) = [j for j in printing.print_log(hall, LEADER, first.case_number) if j.kind == "领导接访交办单"]
    assert job.status == "printed" and job.actor_name == "周建华"
    assert _views(hall) == 2  # the dossier revealed once, the form issued in full once

    with qtbot.waitSignal(screen.opened, timeout=10_000):
        screen.table.selectRow(1)
    assert screen.instruction.toPlainText() == "" and not screen.take_on.isChecked()
    screen.instruction.setPlainText("做好解释，转交通运输局核实")
    with qtbot.waitSignal(screen.decided, timeout=10_000):
        _click(qtbot, screen.save_button)
    assert _views(hall) == 2  # selecting, reading and deciding reveal nothing more

    # -- after the day: tracked to conclusion, urged once, counted ----------------------------------------
    board = work.board
    qtbot.waitUntil(lambda: board.board.rowCount() == 1, timeout=10_000)
    board.board.selectRow(0)
    board.urge_text.setText("请于本周五前报告进展")
    _click(qtbot, board.urge_button)
    qtbot.waitUntil(lambda: "已督办" in board.message.text(), timeout=10_000)
    clock.advance(days=10)
    cases.accept(hall, clerk, first.case_number, accepted_on=date(2026, 9, 20))
    cases.answer(hall, clerk, first.case_number, outcome="予以支持", answered_on=date(2026, 9, 28))
    cases.record(hall, Actor.kiosk("K01"), first.case_number, EventType.RATED, {"rating": "满意"})
    # the board and the statistics are read one after the other: wait for both to have the rating
    qtbot.waitUntil(lambda: board.board.item(0, 5) is not None and board.board.item(0, 5).text() == "已办结"
                    and board.stats.item(0, 7) is not None and board.stats.item(0, 7).text() == "1",
                    timeout=10_000)
    assert board.board.item(0, 7).text() == "1次" and board.board.item(0, 8).text().endswith("评价")
    # the case urged is still chosen, now concluded: 督办 and 改派 are no longer offered, and the board says why
    assert board.board.selectedItems() and not board.urge_button.isEnabled() and not board.reassign_button.isEnabled()
    assert board.message.text() == f"{first.case_number}已办结，无需督办或改派（可打印交办单，或双击查看办理经过）"
    assert board.form_button.isEnabled()
    stats = [board.stats.item(0, c).text() for c in range(board.stats.columnCount())]
    assert stats == ["2026年9月18日（星期五）", "周建华", "2", "3", "1", "1", "1", "1"]
    # the counter's visitor was linked to her case by ID number when booked
    (today,) = reception.list_days(hall, LEADER, date(2026, 9, 18), date(2026, 9, 18))
    assert second.case_number in [a.case_number for a in reception.appointments(hall, LEADER, today.day_id)]
    work.close()


def test_with_no_reception_day_the_leader_is_told_where_to_make_one(qtbot: QtBot, sqlite_hall: Hall,
                                                                    work_context: Context) -> None:
    screen = LeaderDayScreen(work_context(LEADER, "leader"))
    qtbot.addWidget(screen)
    qtbot.waitUntil(lambda: bool(screen.summary.text()), timeout=10_000)
    assert screen.summary.text() == "近期没有领导接访日：请在“接访安排”中按规则生成，或另加接访日"


def test_the_days_count_leaves_the_waiting_list_apart(qtbot: QtBot, sqlite_hall: Hall, clerk: Actor,
                                                       work_context: Context) -> None:
    day = reception.add_day(sqlite_hall, clerk, date(2026, 9, 18), leaders=["县长 周建华"], slots="09:00-10:00/1")
    for seq in (61, 62, 63):
        reception.book(sqlite_hall, clerk, day.day_id, reception.Visitor("张建国", valid_id(seq=seq),
                                                                         f"138579123{seq}"))
    screen = LeaderDayScreen(work_context(LEADER, "leader"))
    qtbot.addWidget(screen)
    qtbot.waitUntil(lambda: screen.table.rowCount() == 3, timeout=10_000)
    assert screen.summary.text() == "共1批次，已接待0批次；候补2批次"



def test_the_reception_day_and_its_leaders_read_whole_at_1366(qtbot: QtBot, sqlite_hall: Hall, clerk: Actor,
                                                              work_context: Context) -> None:
    """However many leaders receive, the 接访日 list shows the day whole; the leaders wrap on the line below."""
    from PySide6.QtWidgets import QStyle, QStyleOptionComboBox

    leaders = ["县长 周建华", "常务副县长 李明", "副县长 吴晓东", "县政协副主席 陈国平", "县人大常委会副主任 欧阳娜娜"]
    reception.add_day(sqlite_hall, clerk, date(2026, 9, 18), leaders=leaders, place="县人民来访接待中心领导接访室")
    reception.add_day(sqlite_hall, clerk, date(2026, 12, 15), leaders=leaders[:2])
    work = LeaderWork(work_context(LEADER, "leader"))
    qtbot.addWidget(work)
    work.resize(1366, 768 - 45)
    work.show()
    qtbot.waitExposed(work)
    screen = work.day
    box = screen.day_box
    qtbot.waitUntil(lambda: box.count() == 2 and not screen.tasks.busy, timeout=10_000)
    option = QStyleOptionComboBox()
    box.initStyleOption(option)
    field = box.style().subControlRect(QStyle.ComplexControl.CC_ComboBox, option,
                                       QStyle.SubControl.SC_ComboBoxEditField, box)
    assert box.fontMetrics().horizontalAdvance(box.currentText()) <= field.width(), box.currentText()
    assert box.currentText() == "2026年9月18日（星期五）"
    assert box.itemData(0, Qt.ItemDataRole.ToolTipRole) == "2026年9月18日（星期五）（" + "、".join(leaders) + "）"
    line = screen.day_line
    assert all(name in line.text() for name in leaders) and "县人民来访接待中心领导接访室" in line.text()
    assert line.isVisible() and line.height() >= line.heightForWidth(line.width())  # wrapped, not cut


def test_an_instruction_typed_for_one_visitor_waits_while_another_is_looked_at(qtbot: QtBot, sqlite_hall: Hall,
                                                                       clerk: Actor, work_context: Context) -> None:
    day = reception.add_day(sqlite_hall, clerk, date(2026, 9, 16), leaders=["县长 周建华"])
    for seq in (71, 72):
        reception.book(sqlite_hall, clerk, day.day_id, reception.Visitor("张建国", valid_id(seq=seq)))
    screen = LeaderDayScreen(work_context(LEADER, "leader"))
    qtbot.addWidget(screen)
    qtbot.waitUntil(lambda: screen.table.rowCount() == 2, timeout=10_000)
    with qtbot.waitSignal(screen.opened, timeout=10_000):
        screen.table.selectRow(0)
    screen.instruction.setPlainText("请镇里牵头，两周内答复")
    screen.decision.setText("依法解释")
    with qtbot.waitSignal(screen.opened, timeout=10_000):
        screen.table.selectRow(1)  # a slip of the hand: the other visitor's form is empty
    assert screen.instruction.toPlainText() == "" and screen.decision.text() == ""
    with qtbot.waitSignal(screen.opened, timeout=10_000):
        screen.table.selectRow(0)
    assert screen.instruction.toPlainText() == "请镇里牵头，两周内答复" and screen.decision.text() == "依法解释"


def test_the_kiosk_offers_the_waiting_list_when_a_day_is_full(qtbot: QtBot, sqlite_hall: Hall, clerk: Actor,
                                                               work_context: Context) -> None:
    day = reception.add_day(sqlite_hall, clerk, date(2026, 9, 18), leaders=["县长 周建华"], slots="09:00-10:00/1")
    reception.book(sqlite_hall, clerk, day.day_id, reception.Visitor("张建国", valid_id(seq=21)))
    flow = BookingFlow(work_context(Actor.kiosk("K01"), "kiosk"))
    qtbot.addWidget(flow)
    flow.printer = SimulatedPrinter
    flow.show()  # the field at fault takes the focus: in a window shown
    qtbot.waitUntil(lambda: len(flow.days) == 1, timeout=10_000)
    button = flow.day_buttons.itemAt(0).widget()
    assert isinstance(button, QPushButton) and "已约满，可登记候补" in button_words(button)
    _click(qtbot, button)
    full = flow.slot_buttons.itemAt(0).widget()
    wait = flow.slot_buttons.itemAt(1).widget()
    assert isinstance(full, QPushButton) and full.property("full") is True
    assert isinstance(wait, QPushButton) and "候补" in button_words(wait)
    _click(qtbot, full)  # a tap on the full slot says why, and what to do instead
    assert flow.message.text() == "9:00–10:00已约满。可以登记候补，有人取消时按顺序递补"
    assert flow.pages.currentWidget() is flow.slot_page
    _click(qtbot, wait)
    assert flow.message.text() == ""
    flow.name.setText("李梅")
    flow.id_number.setText("330726196803121239")  # a wrong check digit: refused in words, nothing kept
    _click(qtbot, flow.confirm)
    qtbot.waitUntil(lambda: bool(flow.message.text()), timeout=10_000)
    assert "身份证" in flow.message.text() and flow.pages.currentWidget() is flow.who_page
    flow.id_number.setText(valid_id(seq=22))
    assert "候补必填" in flow.phone.placeholderText()  # said before the citizen is refused for it
    flow.summary.setFocus()
    _click(qtbot, flow.confirm)  # no phone: the waiting list could never call them
    qtbot.waitUntil(lambda: "候补须留联系电话" in flow.message.text(), timeout=10_000)
    qtbot.waitUntil(flow.phone.hasFocus)
    assert flow.pages.currentWidget() is flow.who_page and flow.name.text() == "李梅"
    assert reception.appointments(sqlite_hall, clerk, day.day_id)[-1].status == "已预约"  # nobody waiting yet
    flow.phone.setText("13905791234")
    with qtbot.waitSignal(flow.booked, timeout=10_000):
        _click(qtbot, flow.confirm)
    assert flow.outcome.text() == "已登记候补" and "候补第1位" in flow.fact_rows[0][1].text()
    assert flow.fact_rows[0][0].text() == "候补日期" and flow.details.text() == \
        "有人取消时按顺序递补，届时打电话139****1234通知您"
    qtbot.waitUntil(lambda: not flow.tasks.busy, timeout=10_000)


def test_the_board_shows_an_overdue_case_in_red(qtbot: QtBot, sqlite_hall: Hall, clock: FakeClock, clerk: Actor,
                                               work_context: Context) -> None:
    from desktop.services import leaderday

    case = register_visit(sqlite_hall, clerk, form(id_number=valid_id(seq=31)))
    day = reception.add_day(sqlite_hall, clerk, date(2026, 9, 16), leaders=["县长 周建华"])
    booking = reception.book(sqlite_hall, clerk, day.day_id, reception.Visitor("张建国", valid_id(seq=31)))
    assert booking.appointment.case_number == case.case_number
    leaderday.record_decision(sqlite_hall, LEADER, booking.appointment.appointment_id, instruction="限期解决",
                              take_on=True, unit_codes=["330726-RSJ"], due=date(2026, 9, 20))
    clock.advance(days=7)
    board = LeaderBoardPanel(work_context(LEADER, "leader"))
    qtbot.addWidget(board)
    qtbot.waitUntil(lambda: board.board.rowCount() == 1, timeout=10_000)
    item = board.board.item(0, 5)
    assert item is not None and item.text() == "超期3天" and item.foreground().color().name() == "#b3261e"
    assert "已超期1件" in board.summary.text()



def test_a_concluded_case_chosen_on_the_board_offers_no_urging_and_an_open_one_does_again(
        qtbot: QtBot, sqlite_hall: Hall, clock: FakeClock, clerk: Actor, work_context: Context) -> None:
    from desktop.services import leaderday

    day = reception.add_day(sqlite_hall, clerk, date(2026, 9, 16), leaders=["县长 周建华"], slots="09:00-11:00/2")
    numbers = []
    for seq in (35, 36):
        numbers.append(register_visit(sqlite_hall, clerk, form(id_number=valid_id(seq=seq))).case_number)
        booking = reception.book(sqlite_hall, clerk, day.day_id, reception.Visitor("张建国", valid_id(seq=seq)))
        leaderday.record_decision(sqlite_hall, LEADER, booking.appointment.appointment_id, instruction="限期解决",
                                  take_on=True, unit_codes=["330726-RSJ"], due=date(2026, 10, 30))
    done, still_open = numbers
    cases.classify(sqlite_hall, clerk, done, nature="申诉求决类", topic_code="0101")
    cases.accept(sqlite_hall, clerk, done, accepted_on=date(2026, 9, 16))
    cases.answer(sqlite_hall, clerk, done, outcome="予以支持", answered_on=date(2026, 9, 16))
    board = LeaderBoardPanel(work_context(LEADER, "leader"))
    qtbot.addWidget(board)
    qtbot.waitUntil(lambda: board.board.rowCount() == 2, timeout=10_000)
    assert [board.board.item(r, 0).text() for r in range(2)] == [still_open, done]  # type: ignore[union-attr]
    board.board.selectRow(1)
    assert not board.reassign_button.isEnabled() and not board.reassign_unit.isEnabled()
    assert board.message.text().startswith(f"{done}已办结，无需督办或改派") and board.form_button.isEnabled()
    board.board.selectRow(0)
    assert board.reassign_button.isEnabled() and board.reassign_due.isEnabled() and not board.message.isVisible()


def test_the_supervisor_at_the_counter_sees_a_unit_past_its_baoan_deadline_and_urges_it(
        qtbot: QtBot, sqlite_hall: Hall, clock: FakeClock, clerk: Actor, supervisor: Actor,
        work_context: Context) -> None:
    """The deadline board lists statutory deadlines only: the 包案 a unit let pass is on the 领导包案 tab."""
    from desktop.app import work_for
    from desktop.domain.roles import WindowRole
    from desktop.services import leaderday
    from ui.cases.search import CaseSearchPanel
    from ui.desk.cases import WorkTabs

    case = register_visit(sqlite_hall, clerk, form(id_number=valid_id(seq=32)))
    day = reception.add_day(sqlite_hall, clerk, date(2026, 9, 16), leaders=["县长 周建华"])
    booking = reception.book(sqlite_hall, clerk, day.day_id, reception.Visitor("张建国", valid_id(seq=32)))
    leaderday.record_decision(sqlite_hall, LEADER, booking.appointment.appointment_id, instruction="限期解决",
                              take_on=True, unit_codes=["330726-RSJ"], due=date(2026, 9, 20))
    clock.advance(days=7)
    work = work_for(WindowRole.COUNTER, work_context(supervisor))
    qtbot.addWidget(work)
    assert isinstance(work, CounterWork) and isinstance(work.desk, WorkTabs)
    tabs = work.desk
    board = tabs.leader_board
    assert isinstance(board, LeaderBoardPanel) and tabs.tabText(tabs.indexOf(board)) == "领导包案"
    qtbot.waitUntil(lambda: board.board.rowCount() == 1, timeout=10_000)
    late = board.board.item(0, 5)
    assert late is not None and late.text() == "超期3天" and late.foreground().color().name() == "#b3261e"
    unit = board.board.item(0, 3)
    assert unit is not None and unit.text() == "浦江县人力资源和社会保障局"
    assert board.urge_button.isVisibleTo(board)  # 督办 is the supervisor's
    board.board.selectRow(0)
    board.urge_text.setText("请于本周五前报告办理进展")
    _click(qtbot, board.urge_button)
    qtbot.waitUntil(lambda: "已督办" in board.message.text(), timeout=10_000)
    assert cases.load_case(sqlite_hall, supervisor, case.case_number).events[-1].type == EventType.URGED
    search = tabs.findChild(CaseSearchPanel)
    assert search is not None
    board.case_chosen.emit(case.case_number)  # a double click or Enter on the row
    assert tabs.currentIndex() == 0 and search.query.text() == case.case_number


def test_a_deadline_still_ahead_is_offered_the_usual_period_from_today(
        qtbot: QtBot, sqlite_hall: Hall, clock: FakeClock, clerk: Actor, work_context: Context) -> None:
    from desktop.services import leaderday

    register_visit(sqlite_hall, clerk, form(id_number=valid_id(seq=34)))
    day = reception.add_day(sqlite_hall, clerk, date(2026, 9, 16), leaders=["县长 周建华"])
    booking = reception.book(sqlite_hall, clerk, day.day_id, reception.Visitor("张建国", valid_id(seq=34)))
    leaderday.record_decision(sqlite_hall, LEADER, booking.appointment.appointment_id, instruction="限期解决",
                              take_on=True, unit_codes=["330726-RSJ"], due=date(2026, 9, 25))
    clock.advance(days=7)  # 2026-09-23: two days left
    board = LeaderBoardPanel(work_context(LEADER, "leader"))
    qtbot.addWidget(board)
    qtbot.waitUntil(lambda: board.board.rowCount() == 1 and board.reassign_unit.count() > 0, timeout=10_000)
    # before a case is chosen too: the usual period, not tomorrow (the field's minimum) as a made-up deadline
    assert board.reassign_due.date() == QDate(2026, 10, 23)
    board.board.selectRow(0)
    assert board.reassign_due.date() == QDate(2026, 10, 23)  # 访后限期办结 from today, as README says


def test_the_leader_replaces_a_unit_past_its_deadline_from_the_board(
        qtbot: QtBot, sqlite_hall: Hall, clock: FakeClock, clerk: Actor, supervisor: Actor,
        work_context: Context) -> None:
    from desktop.services import leaderday

    register_visit(sqlite_hall, clerk, form(id_number=valid_id(seq=33)))
    day = reception.add_day(sqlite_hall, clerk, date(2026, 9, 16), leaders=["县长 周建华"])
    booking = reception.book(sqlite_hall, clerk, day.day_id, reception.Visitor("张建国", valid_id(seq=33)))
    leaderday.record_decision(sqlite_hall, LEADER, booking.appointment.appointment_id, instruction="限期解决",
                              take_on=True, unit_codes=["330726-RSJ"], due=date(2026, 9, 20))
    clock.advance(days=7)  # 2026-09-23
    board = LeaderBoardPanel(work_context(LEADER, "leader"))
    qtbot.addWidget(board)
    qtbot.waitUntil(lambda: board.board.rowCount() == 1 and board.reassign_unit.count() > 0, timeout=10_000)
    _click(qtbot, board.reassign_button)
    assert "请先在列表中选择" in board.message.text()
    board.board.selectRow(0)
    # the deadline passed: 访后限期办结 again from today (30 days), never tomorrow
    assert board.reassign_due.date() == QDate(2026, 10, 23)
    assert board.reassign_due.minimumDate() == QDate(2026, 9, 24)
    board.reassign_unit.set_code("330726-ZJJ")
    _click(qtbot, board.reassign_button)
    qtbot.waitUntil(lambda: "理由" in board.message.text(), timeout=10_000)
    board.reassign_reason.setText("原责任单位逾期未办结")
    with qtbot.waitSignal(board.refreshed, timeout=10_000):
        _click(qtbot, board.reassign_button)
    qtbot.waitUntil(lambda: "已改派" in board.message.text(), timeout=10_000)
    assert "浦江县住房和城乡建设局" in board.message.text() and "2026年10月23日" in board.message.text()
    qtbot.waitUntil(lambda: (item := board.board.item(0, 3)) is not None
                    and item.text() == "浦江县住房和城乡建设局", timeout=10_000)
    left = board.board.item(0, 5)
    assert left is not None and left.text() == "30天" and left.foreground().color().name() != "#b3261e"
    assert "已超期0件" in board.summary.text()
    board.board.selectRow(0)
    with qtbot.waitSignal(board.document_ready, timeout=10_000) as ready:  # the 交办单 for the new unit
        _click(qtbot, board.form_button)
    assert ready.args is not None
    form_data = ready.args[0].data
    assert form_data["recipient_name"] == "浦江县住房和城乡建设局" and form_data["due"] == "2026-10-23"
    watcher = LeaderBoardPanel(work_context(supervisor))  # a supervisor urges; the leader reassigns
    qtbot.addWidget(watcher)
    assert watcher.urge_button.isVisibleTo(watcher)
    assert not any(w.isVisibleTo(watcher) for w in (watcher.reassign_button, watcher.reassign_caption,
                                                    watcher.reassign_due, watcher.reassign_unit, watcher.form_button))


def test_a_day_added_by_hand_on_a_holiday_is_asked_about_first(qtbot: QtBot, sqlite_hall: Hall,
                                                                   work_context: Context) -> None:
    """A reception day is offered to the kiosks at once: 国庆节 is not taken by a slip."""
    work = LeaderWork(work_context(LEADER, "leader"))
    qtbot.addWidget(work)
    schedule = work.schedule
    schedule.leaders.setText("县长 周建华")
    schedule.day.setDate(QDate(2026, 10, 3))
    _click(qtbot, schedule.add_button)
    qtbot.waitUntil(lambda: schedule.confirm is not None and schedule.confirm.isVisible(), timeout=10_000)
    box = schedule.confirm
    assert box is not None and "2026年10月3日（星期六）是国庆节，不是工作日" in box.text()
    assert box.defaultButton().text() == "返回修改日期"
    _click(qtbot, next(b for b in box.buttons() if b.text() == "返回修改日期"))
    assert not schedule.tasks.busy and reception.list_days(sqlite_hall, LEADER) == []
    _click(qtbot, schedule.add_button)
    qtbot.waitUntil(lambda: schedule.confirm is not box and schedule.confirm is not None
                    and schedule.confirm.isVisible(), timeout=10_000)
    box = schedule.confirm
    assert box is not None
    with qtbot.waitSignal(schedule.refreshed, timeout=10_000):
        _click(qtbot, next(b for b in box.buttons() if b.text() == "仍要添加"))
    qtbot.waitUntil(lambda: "已添加接访日" in schedule.message.text(), timeout=10_000)
    assert [d.day for d in reception.list_days(sqlite_hall, LEADER)] == [date(2026, 10, 3)]
    schedule.day.setDate(QDate(2026, 10, 9))  # a Friday: added at once, nothing asked
    asked = schedule.confirm
    with qtbot.waitSignal(schedule.refreshed, timeout=10_000):
        _click(qtbot, schedule.add_button)
    qtbot.waitUntil(lambda: len(reception.list_days(sqlite_hall, LEADER)) == 2, timeout=10_000)
    assert schedule.confirm is asked


def test_the_leaders_window_has_the_board_once(qtbot: QtBot, work_context: Context) -> None:
    from ui.desk.cases import WorkTabs

    work = LeaderWork(work_context(LEADER, "leader"))
    qtbot.addWidget(work)
    assert isinstance(work.desk, WorkTabs) and work.desk.leader_board is None
    assert len(work.findChildren(LeaderBoardPanel)) == 1  # 包案与积案 (Ctrl+2)


def test_the_board_says_a_deadline_falls_today(qtbot: QtBot, sqlite_hall: Hall, clock: FakeClock, clerk: Actor,
                                                work_context: Context) -> None:
    from desktop.services import leaderday

    register_visit(sqlite_hall, clerk, form(id_number=valid_id(seq=91)))
    day = reception.add_day(sqlite_hall, clerk, date(2026, 9, 16), leaders=["县长 周建华"])
    booking = reception.book(sqlite_hall, clerk, day.day_id, reception.Visitor("张建国", valid_id(seq=91)))
    leaderday.record_decision(sqlite_hall, LEADER, booking.appointment.appointment_id, instruction="限期解决",
                              take_on=True, unit_codes=["330726-RSJ"], due=date(2026, 9, 20))
    clock.advance(days=4)  # 2026-09-20
    board = LeaderBoardPanel(work_context(LEADER, "leader"))
    qtbot.addWidget(board)
    qtbot.waitUntil(lambda: board.board.rowCount() == 1, timeout=10_000)
    item = board.board.item(0, 5)
    assert item is not None and item.text() == "今天到期"  # not "0天"


def test_the_decision_shows_dates_with_their_year_and_no_made_up_date(qtbot: QtBot, sqlite_hall: Hall,
                                                                      clerk: Actor, work_context: Context) -> None:
    """A deadline in the next year reads with its year; before a visitor is chosen no date is shown."""
    case = register_visit(sqlite_hall, clerk, form(id_number=valid_id(seq=41)))
    day = reception.add_day(sqlite_hall, clerk, date(2026, 9, 16), leaders=["县长 周建华"])
    reception.book(sqlite_hall, clerk, day.day_id, reception.Visitor("张建国", valid_id(seq=41)))
    screen = LeaderDayScreen(work_context(LEADER, "leader"))
    qtbot.addWidget(screen)
    qtbot.waitUntil(lambda: screen.table.rowCount() == 1, timeout=10_000)
    assert screen.due.text() == "选择来访人后自动填写" and "2000" not in screen.due.text()
    item = screen.table.item(0, 0)
    # which case the 批示 go on, and what it is about
    assert item is not None and item.toolTip() == f"已关联{case.case_number}（诉求：{form().request}）"
    with qtbot.waitSignal(screen.opened, timeout=10_000):
        screen.table.selectRow(0)
    assert screen.due.text() == "2026年10月16日"
    assert f"批示记入事项：{case.case_number}" in screen.view.toPlainText()
    assert "当前期限 2026年" in screen.view.toPlainText()  # a long history spans years: each date has its year
    assert "信访经历（1件）共1件（含本次事项）：已登记1件" in screen.view.toPlainText().replace("\n", "")
    screen.instruction.setPlainText("请县人力社保局牵头，年后答复")
    screen.take_on.setChecked(True)
    screen.unit_box.set_code("330726-RSJ")
    _click(qtbot, screen.add_unit)
    screen.due.setDate(QDate(2027, 1, 11))
    _click(qtbot, screen.save_button)
    assert screen.confirm_go is not None
    with qtbot.waitSignal(screen.decided, timeout=10_000):
        screen.confirm_go.click()
    assert "2027年1月11日（星期一）前办结" in screen.message.text()
    # a second click, unsure it was saved, records nothing twice
    assert screen.instruction.toPlainText() == "" and not screen.take_on.isChecked()
    with qtbot.waitSignal(screen.acting.settled, timeout=10_000):
        _click(qtbot, screen.save_button)
    assert "请填写领导批示" in screen.message.text()
    events = [e.type for e in cases.load_case(sqlite_hall, LEADER, case.case_number).events]
    assert events.count(EventType.INSTRUCTED) == 1 and events.count(EventType.LEADER_TAKEN) == 1
    with qtbot.waitSignal(screen.opened, timeout=10_000):
        screen.open_dossier(reveal=False)
    dossier = screen.view.toPlainText()
    assert case.case_number in dossier and "限2027年1月11日（星期一）前办结" in dossier
    assert "（期限2027年1月11日）" in dossier and "2027-01-11" not in dossier  # the 包案 step, in words too


def test_a_day_added_without_a_leader_is_refused_before_any_question(qtbot: QtBot, sqlite_hall: Hall,
                                                                      work_context: Context) -> None:
    """What cannot be done is said first: no 休息日 question for a day that could not be added anyway."""
    work = LeaderWork(work_context(LEADER, "leader"))
    qtbot.addWidget(work)
    schedule = work.schedule
    schedule.day.setDate(QDate(2026, 10, 3))  # 国庆节: would be asked about, were the leader named
    _click(qtbot, schedule.add_button)
    qtbot.waitUntil(lambda: "请填写接访领导" in schedule.message.text(), timeout=10_000)
    assert schedule.confirm is None and schedule.message.property("tone") == "error"
    assert reception.list_days(sqlite_hall, LEADER) == []
    schedule.leaders.setText("县长 周建华")  # named: now the rest day is asked about
    _click(qtbot, schedule.add_button)
    qtbot.waitUntil(lambda: schedule.confirm is not None and schedule.confirm.isVisible(), timeout=10_000)
    assert schedule.confirm is not None and "是国庆节，不是工作日" in schedule.confirm.text()
    _click(qtbot, next(b for b in schedule.confirm.buttons() if b.text() == "返回修改日期"))


def test_the_schedule_says_when_a_day_is_no_working_day_or_its_year_has_no_holiday_data(
        qtbot: QtBot, sqlite_hall: Hall, work_context: Context) -> None:
    schedule = LeaderWork(work_context(LEADER, "leader"))
    qtbot.addWidget(schedule)
    panel = schedule.schedule
    panel.leaders.setText("县长 周建华")
    panel.months.setValue(3)  # 2026-10-15 and 2026-11-16: nothing to check
    _click(qtbot, panel.generate_button)
    qtbot.waitUntil(lambda: "已按规则" in panel.message.text(), timeout=10_000)
    assert panel.message.text() == "已按规则安排2个接访日（已有的安排保持不变）"
    assert panel.message.property("tone") == "ok"
    panel.day.setDate(QDate(2026, 10, 3))  # in the National Day holiday: asked first, added, and said plainly
    _click(qtbot, panel.add_button)
    qtbot.waitUntil(lambda: panel.confirm is not None and panel.confirm.isVisible(), timeout=10_000)
    assert panel.confirm is not None
    _click(qtbot, next(b for b in panel.confirm.buttons() if b.text() == "仍要添加"))
    qtbot.waitUntil(lambda: "已添加" in panel.message.text(), timeout=10_000)
    text = panel.message.text()
    assert text.startswith("已添加接访日：2026年10月3日") and "2026年10月3日（国庆节）不是工作日" in text
    assert panel.message.property("tone") == "notice"
    panel.day.setDate(QDate(2040, 1, 16))  # no official schedule for that year yet
    _click(qtbot, panel.add_button)
    qtbot.waitUntil(lambda: "2040年1月16日" in panel.message.text(), timeout=10_000)
    assert "2040年的节假日安排尚未导入" in panel.message.text()


def test_the_days_list_fits_a_1366_screen(qtbot: QtBot, sqlite_hall: Hall, clerk: Actor,
                                          work_context: Context) -> None:
    """A long name, a 包案 and a visitor not yet registered: every column readable without scrolling sideways."""
    register_visit(sqlite_hall, clerk, form(name="阿卜杜热合曼·买买提依明", id_number=valid_id(seq=51)))
    day = reception.add_day(sqlite_hall, clerk, date(2026, 9, 16), leaders=["县长 周建华"])
    for seq, name in ((52, "李梅"), (51, "阿卜杜热合曼·买买提依明")):
        reception.book(sqlite_hall, clerk, day.day_id, reception.Visitor(name, valid_id(seq=seq), persons_count=5))
    work = LeaderWork(work_context(LEADER, "leader"))
    qtbot.addWidget(work)
    work.resize(1366, 700)
    work.show()
    screen = work.day
    qtbot.waitUntil(lambda: screen.table.rowCount() == 2, timeout=10_000)
    assert screen.summary.text() == "共2批次，已接待0批次"
    table = screen.table
    assert table.item(0, 3).text() == "已预约·待登记" and table.item(1, 3).text() == "已预约"
    assert table.item(0, 3).toolTip().startswith("尚未关联信访事项")
    header = table.horizontalHeader()
    assert sum(header.sectionSize(c) for c in range(table.columnCount())) <= table.viewport().width()
    assert all(header.sectionSize(c) >= header.sectionSizeHint(c) for c in range(table.columnCount()))


def test_a_scheduled_day_gets_another_leader(qtbot: QtBot, sqlite_hall: Hall, clerk: Actor,
                                             work_context: Context) -> None:
    """A leader called away: the day keeps its date, place, units and bookings, with the new leader."""
    day = reception.add_day(sqlite_hall, clerk, date(2026, 9, 30), leaders=["县长 周建华"], topics="征地拆迁",
                            units=["330726-RSJ"])
    reception.book(sqlite_hall, clerk, day.day_id, reception.Visitor("张建国", valid_id(seq=81)))
    work = LeaderWork(work_context(LEADER, "leader"))
    qtbot.addWidget(work)
    panel = work.schedule
    qtbot.waitUntil(lambda: panel.table.rowCount() == 1 and panel.unit_box.count_choices() > 0, timeout=10_000)
    _click(qtbot, panel.update_button)  # nothing chosen: said, nothing changed
    assert "请先在下表中选择" in panel.message.text()
    panel.table.selectRow(0)
    panel.leaders.setText("副县长 李明")
    _click(qtbot, panel.update_button)
    qtbot.waitUntil(lambda: "已修改接访日" in panel.message.text(), timeout=10_000)
    (changed,) = reception.list_days(sqlite_hall, LEADER)
    assert changed.leaders == ("副县长 李明",) and changed.topics == "征地拆迁"
    assert changed.unit_names == ("浦江县人力资源和社会保障局",) and sum(changed.booked) == 1
    # a day added before it (from another PC): the day chosen stays chosen, and is the one changed again
    reception.add_day(sqlite_hall, clerk, date(2026, 9, 18), leaders=["县长 周建华"])
    qtbot.waitUntil(lambda: panel.table.rowCount() == 2, timeout=10_000)
    assert panel.table.currentRow() == 1
    panel.leaders.setText("副县长 王强")
    _click(qtbot, panel.update_button)
    qtbot.waitUntil(lambda: "副县长 王强" in panel.message.text(), timeout=10_000)
    assert [d.leaders for d in reception.list_days(sqlite_hall, LEADER)] == [("县长 周建华",), ("副县长 王强",)]


def test_the_case_chosen_for_a_reminder_stays_chosen_when_the_board_is_read_again(
        qtbot: QtBot, sqlite_hall: Hall, clerk: Actor, work_context: Context) -> None:
    from desktop.services import leaderday

    day = reception.add_day(sqlite_hall, clerk, date(2026, 9, 16), leaders=["县长 周建华"])
    taken = []
    for seq, due in ((93, date(2026, 10, 20)), (94, date(2026, 10, 10))):
        case = register_visit(sqlite_hall, clerk, form(id_number=valid_id(seq=seq)))
        booking = reception.book(sqlite_hall, clerk, day.day_id, reception.Visitor("张建国", valid_id(seq=seq)))
        taken.append((case.case_number, booking.appointment.appointment_id, due))
    number, appointment_id, due = taken[0]
    leaderday.record_decision(sqlite_hall, LEADER, appointment_id, instruction="限期解决", take_on=True,
                              unit_codes=["330726-RSJ"], due=due)
    board = LeaderBoardPanel(work_context(LEADER, "leader"))
    qtbot.addWidget(board)
    qtbot.waitUntil(lambda: board.board.rowCount() == 1, timeout=10_000)
    board.board.selectRow(0)
    # meanwhile another case is taken on with an earlier deadline: it comes first in the list
    other, other_appointment, other_due = taken[1]
    with qtbot.waitSignal(board.refreshed, timeout=10_000):
        leaderday.record_decision(sqlite_hall, LEADER, other_appointment, instruction="限期解决", take_on=True,
                                  unit_codes=["330726-RSJ"], due=other_due)
    qtbot.waitUntil(lambda: board.board.rowCount() == 2, timeout=10_000)
    assert board.board.item(0, 0).text() == other
    board.urge_text.setText("请于本周五前报告进展")
    _click(qtbot, board.urge_button)
    qtbot.waitUntil(lambda: "已督办" in board.message.text(), timeout=10_000)
    assert number in board.message.text()  # the case the leader chose, not the one now in its row


def test_a_case_on_the_board_opens_on_the_case_desk(qtbot: QtBot, sqlite_hall: Hall, clerk: Actor,
                                                     work_context: Context) -> None:
    """Following a 包案 later: a double-click on the board shows the case's whole record."""
    from desktop.services import leaderday
    from ui.desk.cases import CaseDesk

    case = register_visit(sqlite_hall, clerk, form(id_number=valid_id(seq=95)))
    day = reception.add_day(sqlite_hall, clerk, date(2026, 9, 16), leaders=["县长 周建华"])
    booking = reception.book(sqlite_hall, clerk, day.day_id, reception.Visitor("张建国", valid_id(seq=95)))
    leaderday.record_decision(sqlite_hall, LEADER, booking.appointment.appointment_id, instruction="限期解决",
                              take_on=True, unit_codes=["330726-RSJ"], due=date(2026, 10, 20))
    work = LeaderWork(work_context(LEADER, "leader"))
    qtbot.addWidget(work)
    work.resize(1366, 700)
    work.show()
    board = work.board.board
    qtbot.waitUntil(lambda: board.rowCount() == 1, timeout=10_000)
    work.setCurrentWidget(work.board)
    desk = work.desk.findChild(CaseDesk)
    assert desk is not None
    where = board.visualRect(board.model().index(0, 0)).center()
    qtbot.mouseClick(board.viewport(), Qt.MouseButton.LeftButton, pos=where)  # a double-click is a press, then
    qtbot.mouseDClick(board.viewport(), Qt.MouseButton.LeftButton, pos=where)
    assert work.currentWidget() is work.desk
    qtbot.waitUntil(lambda: case.case_number in desk.search.detail.toPlainText(), timeout=10_000)
    assert case.case_number in desk.search.detail.toPlainText() and "包案" in desk.search.detail.toPlainText()


def _visitor_open(qtbot: QtBot, hall: Hall, clerk: Actor, make_account: MakeAccount, open_window: OpenWindow, *,
                  seq: int) -> tuple[StaffWindow, LeaderWork]:
    """The leader signed in on a reception day with one booked visitor, whose dossier is open."""
    day = reception.add_day(hall, clerk, date(2026, 9, 16), leaders=["县长 周建华"])
    reception.book(hall, clerk, day.day_id, reception.Visitor("张建国", valid_id(seq=seq)))
    make_account("lingdao", "周建华", Role.LEADER)
    window = open_window("leader")
    sign_in(qtbot, window, "lingdao")
    work = window.work
    assert isinstance(work, LeaderWork)
    qtbot.waitUntil(lambda: work.day.table.rowCount() == 1, timeout=10_000)
    with qtbot.waitSignal(work.day.opened, timeout=10_000):
        work.day.table.selectRow(0)
    return window, work


def test_signing_out_with_an_instruction_typed_asks_first(qtbot: QtBot, sqlite_hall: Hall, clerk: Actor,
                                                  make_account: MakeAccount, open_window: OpenWindow) -> None:
    window, work = _visitor_open(qtbot, sqlite_hall, clerk, make_account, open_window, seq=97)
    screen = work.day
    screen.instruction.setPlainText("请镇里牵头，两周内答复")
    _click(qtbot, window.sign_out_button)
    box = window.confirm
    assert box is not None and box.isVisible() and "张**的批示尚未保存" in box.text()
    _click(qtbot, next(b for b in box.buttons() if b.text() == "返回继续填写"))
    assert window.work is work and screen.instruction.toPlainText() == "请镇里牵头，两周内答复"
    _click(qtbot, window.sign_out_button)
    box = window.confirm
    assert box is not None
    with qtbot.waitSignal(window.session_ended, timeout=10_000):
        _click(qtbot, next(b for b in box.buttons() if b.text() == "仍要退出"))
    assert window.work is None


def test_closing_the_program_with_an_instruction_typed_asks_first(
        qtbot: QtBot, sqlite_hall: Hall, clerk: Actor, make_account: MakeAccount, open_window: OpenWindow) -> None:
    window, work = _visitor_open(qtbot, sqlite_hall, clerk, make_account, open_window, seq=98)
    screen = work.day
    screen.decision.setText("依法解释")
    window.close()
    box = window.confirm
    assert window.isVisible() and box is not None and "关闭程序后将丢失" in box.text()
    _click(qtbot, next(b for b in box.buttons() if b.text() == "仍要退出"))
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=10_000)


def test_the_supervisors_deadline_board_fits_a_1366_screen(qtbot: QtBot, sqlite_hall: Hall, clerk: Actor,
                                                           supervisor: Actor, clock: FakeClock,
                                                           work_context: Context) -> None:
    """At the counter window a supervisor reads the deadline board beside the case desk: every column shown."""
    from PySide6.QtGui import QFont

    from ui.cases.deadlines import DeadlinePanel
    from ui.desk.cases import staff_desk
    from ui.shell.theme import BASE_STYLE, chinese_font_family

    case = register_visit(sqlite_hall, clerk, form(id_number=valid_id(seq=100), name="欧阳建华"))
    assert case.view.next_due is not None
    clock.advance(days=(case.view.next_due - clock().date()).days + 12)
    desk = staff_desk(work_context(supervisor))
    qtbot.addWidget(desk)
    desk.setFont(QFont(chinese_font_family(), 11))  # the program's font and look (apply_theme)
    desk.setStyleSheet(BASE_STYLE)
    desk.resize(1366, 640)
    desk.show()
    board = desk.findChild(DeadlinePanel)
    assert board is not None
    qtbot.waitUntil(lambda: board.table.rowCount() == 1, timeout=10_000)
    header = board.table.horizontalHeader()
    assert sum(header.sectionSize(c) for c in range(board.table.columnCount())) <= board.table.viewport().width()


def test_the_leaders_deadline_board_fits_a_1366_screen(qtbot: QtBot, sqlite_hall: Hall, clerk: Actor,
                                                       clock: FakeClock, work_context: Context) -> None:
    """事项与期限 at 1366, in the program's font: the deadline board (a leader reads it first) shows every column."""
    from PySide6.QtGui import QFont

    from ui.cases.deadlines import DeadlinePanel
    from ui.shell.theme import BASE_STYLE, chinese_font_family

    case = register_visit(sqlite_hall, clerk, form(id_number=valid_id(seq=99), name="欧阳建华"))
    assert case.view.next_due is not None
    clock.advance(days=(case.view.next_due - clock().date()).days + 12)
    work = LeaderWork(work_context(LEADER, "leader"))
    qtbot.addWidget(work)
    work.setFont(QFont(chinese_font_family(), 11))  # the program's font and look (apply_theme)
    work.setStyleSheet(BASE_STYLE)
    work.resize(1366, 700)
    work.setCurrentWidget(work.desk)
    work.show()
    board = work.desk.findChild(DeadlinePanel)
    assert board is not None
    qtbot.waitUntil(lambda: board.table.rowCount() == 1, timeout=10_000)
    table = board.table
    header = table.horizontalHeader()
    assert sum(header.sectionSize(c) for c in range(table.columnCount())) <= table.viewport().width()


def test_the_counters_booking_tab_with_no_day_scheduled_names_the_rules_day_and_who_schedules(
        qtbot: QtBot, sqlite_hall: Hall, clerk: Actor, work_context: Context) -> None:
    from desktop.domain.deadlines import format_date

    counter = CounterWork(work_context(clerk))
    qtbot.addWidget(counter)
    panel = counter.booking
    qtbot.waitUntil(lambda: panel.message.text() != "", timeout=10_000)
    by_rule = reception.next_reception_day(sqlite_hall)  # what the hall's display announces
    assert panel.day_box.count() == 0 and not panel.book_button.isEnabled()
    assert f"按惯例下一个接访日为{format_date(by_rule)}" in panel.message.text()
    assert "尚未排定" in panel.message.text() and "接访安排" in panel.message.text()


def test_a_day_nobody_booked_is_removed_once_asked_and_a_booked_one_says_how_many(
        qtbot: QtBot, sqlite_hall: Hall, clerk: Actor, work_context: Context) -> None:
    booked = reception.add_day(sqlite_hall, LEADER, date(2026, 9, 22), leaders=["县长 周建华"])
    reception.add_day(sqlite_hall, LEADER, date(2026, 9, 24), leaders=["副县长 李明"])
    reception.book(sqlite_hall, clerk, booked.day_id, reception.Visitor("张建国", valid_id(seq=7)))
    reception.book(sqlite_hall, clerk, booked.day_id, reception.Visitor("李梅", valid_id(seq=8)))
    work = LeaderWork(work_context(LEADER, "leader"))
    qtbot.addWidget(work)
    schedule = work.schedule
    qtbot.waitUntil(lambda: schedule.table.rowCount() == 2, timeout=10_000)
    _click(qtbot, schedule.remove_button)
    assert "请先在下表中选择要删除的接访日" in schedule.message.text()
    schedule.table.selectRow(0)
    _click(qtbot, schedule.remove_button)
    qtbot.waitUntil(lambda: "不能删除" in schedule.message.text(), timeout=10_000)
    assert "2026年9月22日（星期二）已有2人预约，不能删除" in schedule.message.text()
    assert schedule.confirm is None
    schedule.table.selectRow(1)
    _click(qtbot, schedule.remove_button)
    qtbot.waitUntil(lambda: schedule.confirm is not None and schedule.confirm.isVisible(), timeout=10_000)
    box = schedule.confirm
    assert box is not None and "删除2026年9月24日（星期四）的领导接访日？该日没有人预约" in box.text()
    assert box.defaultButton().text() == "保留"
    _click(qtbot, next(b for b in box.buttons() if b.text() == "保留"))
    assert len(reception.list_days(sqlite_hall, LEADER)) == 2
    _click(qtbot, schedule.remove_button)
    qtbot.waitUntil(lambda: schedule.confirm is not box and schedule.confirm is not None
                    and schedule.confirm.isVisible(), timeout=10_000)
    with qtbot.waitSignal(schedule.refreshed, timeout=10_000):
        _click(qtbot, next(b for b in schedule.confirm.buttons() if b.text() == "删除该接访日"))
    qtbot.waitUntil(lambda: "已删除接访日" in schedule.message.text(), timeout=10_000)
    assert [d.day for d in reception.list_days(sqlite_hall, LEADER)] == [date(2026, 9, 22)]


def test_another_day_chosen_leaves_no_dossier_of_the_visitor_before(qtbot: QtBot, sqlite_hall: Hall, clerk: Actor,
                                                                     work_context: Context) -> None:
    """The list shows another day: the dossier and the 批示 form of a visitor not on it go (批示 typed there was
    saved on that visitor of another day); what was typed waits for them and is still asked about."""
    today = reception.add_day(sqlite_hall, clerk, date(2026, 9, 16), leaders=["县长 周建华"])
    later = reception.add_day(sqlite_hall, clerk, date(2026, 10, 15), leaders=["副县长 吴晓东"])
    reception.book(sqlite_hall, clerk, today.day_id, reception.Visitor("张建国", valid_id(seq=81)))
    reception.book(sqlite_hall, clerk, later.day_id, reception.Visitor("李梅", valid_id(seq=82)))
    screen = LeaderDayScreen(work_context(LEADER, "leader"))
    qtbot.addWidget(screen)
    qtbot.waitUntil(lambda: screen.table.rowCount() == 1 and screen.day_box.count() == 2, timeout=10_000)
    with qtbot.waitSignal(screen.opened, timeout=10_000):
        screen.table.selectRow(0)
    assert "张*" in screen.view.toPlainText()
    screen.instruction.setPlainText("请镇里牵头，两周内答复")
    with qtbot.waitSignal(screen.refreshed, timeout=10_000):
        screen.day_box.setCurrentIndex(1)
    assert screen.table.item(0, 1).text() == "李*"  # type: ignore[union-attr]
    assert screen.current is None and screen.view.toPlainText() == ""
    assert not screen.save_button.isEnabled() and not screen.instruction.isEnabled()
    assert screen.instruction.toPlainText() == ""
    assert screen.unsaved_work() == "张**的批示"
    with qtbot.waitSignal(screen.refreshed, timeout=10_000):
        screen.day_box.setCurrentIndex(0)
    with qtbot.waitSignal(screen.opened, timeout=10_000):
        screen.table.selectRow(0)
    assert screen.instruction.toPlainText() == "请镇里牵头，两周内答复"


def test_a_booking_cancelled_elsewhere_takes_its_dossier_away_and_the_keys_go_to_the_list(
        qtbot: QtBot, sqlite_hall: Hall, clerk: Actor, work_context: Context) -> None:
    """The counter cancels the booking of the visitor whose 批示 the leader is typing: the dossier and form go, what
    was typed is kept for sign-out's question, and the keys land on the list (not on 锁屏 in the header)."""
    from PySide6.QtWidgets import QApplication

    day = reception.add_day(sqlite_hall, clerk, date(2026, 9, 16), leaders=["县长 周建华"])
    gone = reception.book(sqlite_hall, clerk, day.day_id, reception.Visitor("张建国", valid_id(seq=91)))
    reception.book(sqlite_hall, clerk, day.day_id, reception.Visitor("李梅", valid_id(seq=92)))
    screen = LeaderDayScreen(work_context(LEADER, "leader"))
    qtbot.addWidget(screen)
    screen.show()
    qtbot.waitExposed(screen)
    qtbot.waitUntil(lambda: screen.table.rowCount() == 2, timeout=10_000)
    with qtbot.waitSignal(screen.opened, timeout=10_000):
        screen.table.selectRow(0)
    screen.activateWindow()
    screen.instruction.setFocus(Qt.FocusReason.OtherFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is screen.instruction)
    screen.instruction.setPlainText("请镇里牵头")
    reception.cancel(sqlite_hall, clerk, gone.appointment.appointment_id)
    with qtbot.waitSignal(screen.refreshed, timeout=10_000):
        screen.refresh()
    assert screen.table.rowCount() == 1 and screen.current is None and screen.view.toPlainText() == ""
    assert QApplication.focusWidget() is screen.table
    assert screen.unsaved_work() == "张**的批示"


def test_the_open_dossier_follows_the_case_the_counter_links_to_the_booking(
        qtbot: QtBot, sqlite_hall: Hall, clerk: Actor, work_context: Context) -> None:
    """The leader had 张建国's dossier open (尚未关联信访事项…再记录批示) when the counter registered his matter: the
    dossier kept saying so, and the leader waited for a link that was there."""
    day = reception.add_day(sqlite_hall, clerk, sqlite_hall.today(), leaders=["县长 周建华"], slots="22:00-23:00/2")
    reception.book(sqlite_hall, clerk, day.day_id, reception.Visitor("张建国", valid_id(seq=96)))
    screen = LeaderDayScreen(work_context(LEADER, "leader"))
    qtbot.addWidget(screen)
    screen.show()
    qtbot.waitUntil(lambda: screen.table.rowCount() == 1, timeout=10_000)
    with qtbot.waitSignal(screen.opened, timeout=10_000):
        screen.table.selectRow(0)
    assert "尚未关联信访事项" in screen.view.toPlainText()
    visit = form(id_number=valid_id(seq=96), request="要求处理邻居违建")
    number = register_visit(sqlite_hall, clerk, visit).case_number
    assert reception.name_registered_case(sqlite_hall, clerk, number) == 1
    with qtbot.waitSignal(screen.opened, timeout=10_000):
        screen.refresh()
    said = screen.view.toPlainText()
    assert "尚未关联信访事项" not in said and f"批示记入事项：{number}" in said, said


def test_a_unit_picked_and_not_added_is_the_baoan_unit(qtbot: QtBot, sqlite_hall: Hall, clerk: Actor,
                                                        work_context: Context) -> None:
    """The unit stands picked in the box, 添加 not pressed: 保存批示 takes it (it was refused with 包案须从机构目录中
    选择责任单位, the unit picked from the directory in plain view)."""
    register_visit(sqlite_hall, clerk, form(id_number=valid_id(seq=95)))
    day = reception.add_day(sqlite_hall, clerk, date(2026, 9, 16), leaders=["县长 周建华"])
    reception.book(sqlite_hall, clerk, day.day_id, reception.Visitor("张建国", valid_id(seq=95)))
    screen = LeaderDayScreen(work_context(LEADER, "leader"))
    qtbot.addWidget(screen)
    qtbot.waitUntil(lambda: screen.table.rowCount() == 1 and screen.unit_box.count() > 0, timeout=10_000)
    with qtbot.waitSignal(screen.opened, timeout=10_000):
        screen.table.selectRow(0)
    screen.instruction.setPlainText("请县人力社保局牵头，限期答复")
    screen.take_on.setChecked(True)
    screen.unit_box.set_code("330726-RSJ")  # picked, 添加 not pressed
    _click(qtbot, screen.save_button)
    assert screen.units == ["330726-RSJ"] and screen.units_label.text() == "责任单位：浦江县人力资源和社会保障局"
    assert screen.confirm is not None and "责任单位浦江县人力资源和社会保障局" in screen.confirm.text()
    assert screen.confirm_go is not None
    with qtbot.waitSignal(screen.decided, timeout=10_000) as decided:
        screen.confirm_go.click()
    assert decided.args is not None and decided.args[0].unit_names == ("浦江县人力资源和社会保障局",)
