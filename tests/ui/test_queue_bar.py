"""The counter's queue controls through the real widgets: call, earlier cases, skip, transfer, finish, issue."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from db.models import QueueTicketRow
from desktop.config import settings_file
from desktop.domain.queue import QueueAction, TicketSource
from desktop.services import queue, reception
from desktop.services.context import Actor, Hall
from desktop.services.registration import register_visit
from tests.conftest import FakeClock
from tests.helpers import form, valid_id
from tests.ui.conftest import open_window_counter
from ui.counter.work import CounterWork
from ui.queue.bar import QueueBar
from ui.queue.statistics import QueueStatisticsPanel
from ui.reception.day import LeaderDayScreen
from ui.shell.context import WorkContext

Context = Callable[..., WorkContext]


@pytest.fixture
def counter(qtbot: QtBot, sqlite_hall: Hall, work_context: Context, clerk: Actor, tmp_path: Path) -> CounterWork:
    return open_window_counter(qtbot, sqlite_hall, work_context(clerk), tmp_path, height=768, id_reader="sim:seed=3")


def press(qtbot: QtBot, bar: QueueBar, key: Qt.Key) -> None:
    """A key of the clerk's, and the controls read again after it (the action itself refreshes them)."""
    with qtbot.waitSignal(bar.acted, timeout=10_000):
        qtbot.keyClick(bar.window().focusWidget() or bar.window(), key)
    with qtbot.waitSignal(bar.refreshed, timeout=10_000):
        pass


def state_of(hall: Hall, number: str) -> tuple[str, str | None]:
    with hall.sessions() as session:
        row = session.scalars(select(QueueTicketRow).where(QueueTicketRow.number == number)).one()
        return row.state, row.case_id


def test_the_clerk_calls_sees_the_earlier_cases_transfers_skips_and_finishes(
        qtbot: QtBot, counter: CounterWork, sqlite_hall: Hall, clerk: Actor) -> None:
    earlier = register_visit(sqlite_hall, clerk, form(name="张建国", id_number=valid_id(seq=7)))
    queue.issue_ticket(sqlite_hall, type_code="general", source=TicketSource.KIOSK, id_number=valid_id(seq=7),
                       name="张建国")
    queue.issue_ticket(sqlite_hall, type_code="general", source=TicketSource.KIOSK)
    bar = counter.queue
    assert bar is not None
    qtbot.waitUntil(lambda: "综合接待 2 人" in bar.waiting.text(), timeout=10_000)
    assert not bar.buttons[bar_action("FINISH")].isEnabled()

    press(qtbot, bar, Qt.Key.Key_F3)  # 叫下一位
    qtbot.waitUntil(lambda: bar.earlier.isVisible(), timeout=10_000)
    assert bar.number.text() == "A001" and "张建国" in bar.details.text()
    assert "已叫 A001 号到 3 号窗口" in bar.message.text()
    registration = counter.registration  # the form the visitor is registered on knows the number
    assert (registration.queue_number.text(), registration.window_field.text()) == ("A001", "3号窗口")
    assert bar.earlier.item(0, 0).text() == earlier.case_number  # before the visitor sits down
    assert "以前的信访事项：1 件" in bar.earlier_title.text()

    press(qtbot, bar, Qt.Key.Key_F8)  # 开始办理
    assert "办理中" in bar.details.text()
    bar.transfer_to.setCurrentIndex(bar.transfer_to.findData("legal"))
    qtbot.keyClick(bar.window().focusWidget() or bar.window(), Qt.Key.Key_F7)  # 转窗口: to the line chosen, asked
    question = bar.transfer_question
    assert question is not None and question.isVisible()
    assert question.text() == "把 A001 号转到“涉法涉诉”排队吗？"
    qtbot.keyClick(question, Qt.Key.Key_Escape)  # 取消, the default: the visitor stays at this window
    assert bar.number.text() == "A001" and state_of(sqlite_hall, "A001")[0] == "serving"
    qtbot.keyClick(bar.window().focusWidget() or bar.window(), Qt.Key.Key_F7)
    question = bar.transfer_question
    assert question is not None
    go = next(b for b in question.buttons() if b.text() == "转到涉法涉诉")
    with qtbot.waitSignal(bar.acted, timeout=10_000):
        go.click()  # 涉法涉诉 carries on as C001
    with qtbot.waitSignal(bar.refreshed, timeout=10_000):
        pass
    assert "已转为 C001 号（涉法涉诉）" in bar.message.text() and bar.number.text() == "—"
    assert "该窗口" not in bar.message.text() and "请告诉来访人新号码" in bar.message.text()  # which line, said
    bar.window().activateWindow()  # the question gone, the window system gives the counter back its keys
    qtbot.waitUntil(lambda: QApplication.activeWindow() is bar.window())

    press(qtbot, bar, Qt.Key.Key_F3)  # C001 kept its place (taken before A002)
    assert bar.number.text() == "C001"
    with sqlite_hall.sessions() as session:  # the visitor's first number, not the transfer, says when they came
        first = session.scalars(select(QueueTicketRow.issued_at).where(QueueTicketRow.number == "A001")).one()
    assert f"由 A001 转来，{first[11:16]} 取号，转来后等候 0 分钟" in bar.details.text()
    bar.set_case(earlier.case_number)
    press(qtbot, bar, Qt.Key.Key_F9)  # 办结, linked to the case
    assert state_of(sqlite_hall, "C001") == ("done", earlier.case_number)

    press(qtbot, bar, Qt.Key.Key_F3)
    assert bar.number.text() == "A002" and not bar.earlier.isVisible()
    press(qtbot, bar, Qt.Key.Key_F6)  # 过号: back in the queue once
    assert "已回到队列" in bar.message.text()
    press(qtbot, bar, Qt.Key.Key_F3)
    press(qtbot, bar, Qt.Key.Key_F6)
    assert "已作废" in bar.message.text() and state_of(sqlite_hall, "A002")[0] == "no_show"
    press(qtbot, bar, Qt.Key.Key_F3)
    assert "现在没有人等候" in bar.message.text()


def test_a_ticket_issued_at_the_counter_is_printed(qtbot: QtBot, counter: CounterWork, tmp_path: Path) -> None:
    bar = counter.queue
    assert bar is not None
    bar.issue_type.setCurrentIndex(bar.issue_type.findData("wages"))
    bar.priority.setChecked(True)
    with qtbot.waitSignal(bar.issued, timeout=10_000) as issued:
        qtbot.mouseClick(bar.issue_button, Qt.MouseButton.LeftButton)
    assert issued.args[0].ticket.number == "B001" and issued.args[0].ticket.priority
    qtbot.waitUntil(lambda: "号票已打印" in bar.message.text(), timeout=20_000)
    assert "已发 B001 号（农民工欠薪绿色通道），优先办理，前面 0 人" in bar.message.text()
    assert list((tmp_path / "receipts").glob("*.pdf"))
    qtbot.waitUntil(lambda: "农民工欠薪绿色通道 1 人" in bar.waiting.text(), timeout=10_000)


def test_a_ticket_issued_to_an_elderly_visitor_says_it_goes_first_and_why(qtbot: QtBot, counter: CounterWork) -> None:
    """The box left unticked: the ID number's age makes the ticket 优先; the clerk's line says so as the slip does."""
    bar = counter.queue
    assert bar is not None
    bar.visitor_id.setText(valid_id(birth=date(1950, 3, 1), seq=12))  # 76 on the hall's day
    bar.visitor_name.setText("王秀英")
    with qtbot.waitSignal(bar.issued, timeout=10_000) as issued:
        qtbot.mouseClick(bar.issue_button, Qt.MouseButton.LeftButton)
    assert issued.args[0].ticket.priority and issued.args[0].priority_reason == "70岁以上老人"
    assert "已发 A001 号（综合接待），优先办理（70岁以上老人），前面 0 人" in bar.message.text()
    qtbot.waitUntil(lambda: not bar.tasks.busy, timeout=20_000)  # its slip printed
    bar.visitor_id.setText(valid_id(birth=date(1990, 3, 1), seq=13))
    bar.visitor_name.setText("李明")
    with qtbot.waitSignal(bar.issued, timeout=10_000):
        qtbot.mouseClick(bar.issue_button, Qt.MouseButton.LeftButton)
    assert "已发 A002 号（综合接待），前面 1 人" in bar.message.text() and "优先" not in bar.message.text()


def test_the_controls_fit_a_1366_wide_counter_screen(counter: CounterWork) -> None:
    bar = counter.queue
    assert bar is not None
    assert bar.sizeHint().width() <= 1366 and bar.minimumSizeHint().width() <= 1366
    assert bar.height() < 768 // 3  # the registration form keeps most of the screen


def test_without_a_window_number_the_counter_has_no_queue_controls(qtbot: QtBot, sqlite_hall: Hall,
                                                                   work_context: Context, clerk: Actor) -> None:
    work = CounterWork(work_context(clerk))
    qtbot.addWidget(work)
    assert work.queue is None
    # where the controls would be: words and a button (tests/ui/test_counter_window_number.py)
    assert work.no_window is not None and work.layout().itemAt(0).widget() is work.no_window
    assert work.queue_hint is not None and work.queue_hint.text().startswith("本机未设置窗口号，不显示排队叫号")
    assert str(settings_file()) not in work.queue_hint.text() and work.set_window_button is not None


def test_with_a_window_number_no_word_about_setting_one(counter: CounterWork) -> None:
    assert counter.queue is not None and counter.queue_hint is None


def bar_action(name: str) -> QueueAction:
    return QueueAction[name]


def test_supervisors_read_the_days_waits_and_service_times(qtbot: QtBot, sqlite_hall: Hall, work_context: Context,
                                                           supervisor: Actor, clock: FakeClock) -> None:
    for _ in range(2):
        queue.issue_ticket(sqlite_hall, type_code="general", source=TicketSource.KIOSK)
    clock.advance(minutes=12)
    ticket = queue.call_next(sqlite_hall, window=1)
    assert ticket is not None
    queue.act(sqlite_hall, ticket.ticket_id, QueueAction.START, window=1)
    clock.advance(minutes=8)
    queue.act(sqlite_hall, ticket.ticket_id, QueueAction.FINISH, window=1)
    panel = QueueStatisticsPanel(work_context(supervisor, window="leader"))
    qtbot.addWidget(panel)
    qtbot.waitUntil(lambda: panel.table.rowCount() == 1, timeout=10_000)
    cells = [panel.table.item(0, c).text() for c in range(panel.table.columnCount())]
    from desktop.domain.calendar import date_near
    from desktop.domain.chinatime import china_today

    day = f"{date_near(sqlite_hall.today(), china_today())}（星期三）"  # 9月16日（星期三）, as staff read a day
    assert cells == [day, "综合接待", "2", "1", "1", "12.0", "12.0", "8.0", "8.0"]
    assert "-" not in cells[0]
    with qtbot.waitSignal(panel.refreshed, timeout=10_000):
        queue.issue_ticket(sqlite_hall, type_code="wages", source=TicketSource.KIOSK)  # told, it reads again
    qtbot.waitUntil(lambda: panel.table.rowCount() == 2, timeout=10_000)
    assert panel.table.item(1, 1).text() == "农民工欠薪绿色通道" and panel.table.item(1, 5).text() == "—"


def test_the_counter_issues_a_ticket_with_the_visitors_id_card_or_typed_number(
        qtbot: QtBot, counter: CounterWork, sqlite_hall: Hall) -> None:
    bar = counter.queue
    assert bar is not None
    qtbot.mouseClick(bar.read_card_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bar.visitor_id.text() != "", timeout=10_000)  # the card, read off the GUI thread
    card_id, card_name = bar.visitor_id.text(), bar.visitor_name.text()
    assert f"已读取 {card_name} 的身份证" in bar.message.text()
    with qtbot.waitSignal(bar.issued, timeout=10_000) as issued:
        qtbot.mouseClick(bar.issue_button, Qt.MouseButton.LeftButton)
    assert issued.args[0].ticket.person_linked and bar.visitor_id.text() == ""
    qtbot.waitUntil(lambda: "号票已打印" in bar.message.text(), timeout=20_000)

    bar.visitor_id.setText(valid_id(seq=5)[:-1] + ("0" if valid_id(seq=5)[-1] != "0" else "1"))  # a wrong check digit
    bar.visitor_name.setText("李四")
    with qtbot.waitSignal(bar.tasks.settled, timeout=10_000):
        qtbot.mouseClick(bar.issue_button, Qt.MouseButton.LeftButton)
    assert "身份证号码不对" in bar.message.text() and bar.visitor_name.text() == "李四"  # nothing typed is lost
    bar.visitor_id.setText(valid_id(seq=5))
    with qtbot.waitSignal(bar.issued, timeout=10_000):
        qtbot.mouseClick(bar.issue_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "号票已打印" in bar.message.text(), timeout=20_000)

    press(qtbot, bar, Qt.Key.Key_F3)  # the first visitor, by the card
    assert bar.number.text() == "A001" and f"持证取号：{card_name}" in bar.details.text()
    view = queue.window_view(sqlite_hall, window=3)
    assert view.person_id == card_id


def test_a_ticket_issued_to_a_visitor_booked_for_todays_leader_reception_says_so(
        qtbot: QtBot, counter: CounterWork, sqlite_hall: Hall, clerk: Actor) -> None:
    """发号 for a visitor on today's leader reception list: the clerk learnt it only at registration, after saving."""
    reception.add_day(sqlite_hall, clerk, sqlite_hall.today(), leaders=["县长 周建华"], slots="22:00-23:00/2")
    reception.book_today(sqlite_hall, clerk, reception.Visitor("张建国", valid_id(seq=61)))
    bar = counter.queue
    assert bar is not None
    bar.visitor_id.setText(valid_id(seq=61))
    bar.visitor_name.setText("张建国")
    with qtbot.waitSignal(bar.issued, timeout=10_000):
        qtbot.mouseClick(bar.issue_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "号票已打印" in bar.message.text(), timeout=20_000)
    assert "此人已预约今日领导接访（县长 周建华）：22:00–23:00" in bar.message.text()
    bar.visitor_id.setText(valid_id(seq=62))  # another visitor: nothing said of a booking
    bar.visitor_name.setText("李梅")
    with qtbot.waitSignal(bar.issued, timeout=10_000):
        qtbot.mouseClick(bar.issue_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "号票已打印" in bar.message.text(), timeout=20_000)
    assert "领导接访" not in bar.message.text()


def test_a_refusal_of_the_visitors_fields_goes_once_they_are_corrected(
        qtbot: QtBot, counter: CounterWork) -> None:
    """填写了姓名，请同时…证件号码 stayed in red after the clerk emptied the name: the refusal goes with an edit."""
    bar = counter.queue
    assert bar is not None
    bar.visitor_name.setText("李四")
    with qtbot.waitSignal(bar.tasks.settled, timeout=10_000):
        qtbot.mouseClick(bar.issue_button, Qt.MouseButton.LeftButton)
    assert "填写了姓名" in bar.message.text() and bar.message.property("tone") == "error"
    bar.visitor_name.setFocus()
    bar.visitor_name.selectAll()
    qtbot.keyClick(bar.visitor_name, Qt.Key.Key_Backspace)  # the clerk empties it
    assert bar.visitor_name.text() == "" and bar.message.text() == ""
    qtbot.keyClicks(bar.visitor_name, "x")  # a later edit says nothing of its own
    assert bar.message.text() == ""


def test_a_walk_in_on_the_reception_day_joins_the_leaders_list(
        qtbot: QtBot, counter: CounterWork, sqlite_hall: Hall, clerk: Actor, work_context: Context) -> None:
    bar = counter.queue
    assert bar is not None
    day = reception.add_day(sqlite_hall, clerk, sqlite_hall.today(), leaders=["县长 周建华"])
    queue.issue_ticket(sqlite_hall, type_code="general", source=TicketSource.KIOSK)
    queue.issue_ticket(sqlite_hall, type_code="leader", source=TicketSource.KIOSK)
    reception.remove_day(sqlite_hall, clerk, day.day_id)  # removed since the number was taken
    press(qtbot, bar, Qt.Key.Key_F3)
    assert bar.number.text() == "A001" and not bar.walk_in.isVisible()  # only for a 领导接访 number
    press(qtbot, bar, Qt.Key.Key_F9)
    press(qtbot, bar, Qt.Key.Key_F3)
    assert bar.number.text() == "L001" and bar.walk_in.isVisible()

    bar.visitor_name.setText("张建国")
    bar.visitor_id.setText(valid_id(seq=7))
    with qtbot.waitSignal(bar.tasks.settled, timeout=10_000):  # no reception day today
        qtbot.mouseClick(bar.walk_in, Qt.MouseButton.LeftButton)
    assert "没有安排领导接访日" in bar.message.text()

    leader = Actor("staff:lingdao1", "周建华", "leader")
    reception.add_day(sqlite_hall, clerk, sqlite_hall.today(), leaders=["县长 周建华"], slots="09:00-10:00/1")
    screen = LeaderDayScreen(work_context(leader, "leader"))
    qtbot.addWidget(screen)
    qtbot.waitUntil(lambda: screen.day_box.count() == 1 and not screen.tasks.busy, timeout=10_000)
    assert screen.table.rowCount() == 0
    with qtbot.waitSignal(bar.joined, timeout=10_000) as joined:
        qtbot.mouseClick(bar.walk_in, Qt.MouseButton.LeftButton)
    assert joined.args[0].waiting_position == 0 and "已列入领导的今日接访名单" in bar.message.text()
    assert bar.visitor_id.text() == ""
    qtbot.waitUntil(lambda: screen.table.rowCount() == 1, timeout=10_000)  # refreshed on the change
    assert screen.table.item(0, 1).text() == "张**" and screen.table.item(0, 3).text() == "已预约·待登记"


def test_the_next_visitor_called_is_not_linked_to_the_last_ones_case(
        qtbot: QtBot, counter: CounterWork, sqlite_hall: Hall, clerk: Actor) -> None:
    looked_at = register_visit(sqlite_hall, clerk, form(name="张建国", id_number=valid_id(seq=9))).case_number
    for _ in range(3):
        queue.issue_ticket(sqlite_hall, type_code="general", source=TicketSource.KIOSK)
    bar = counter.queue
    assert bar is not None
    qtbot.waitUntil(lambda: "综合接待 3 人" in bar.waiting.text(), timeout=10_000)
    press(qtbot, bar, Qt.Key.Key_F3)  # A001 at the window; the clerk opens a case from the deadline board
    bar.set_case(looked_at)
    press(qtbot, bar, Qt.Key.Key_F6)  # A001 does not come: 过号
    assert bar.case_field.text() == ""
    bar.set_case(looked_at)
    press(qtbot, bar, Qt.Key.Key_F3)  # A002, another visitor
    assert bar.number.text() == "A002" and bar.case_field.text() == ""
    press(qtbot, bar, Qt.Key.Key_F9)  # 办结 without a case: linked to none, not to A001's
    assert state_of(sqlite_hall, "A002") == ("done", None)


def test_tickets_issued_by_another_program_on_the_same_database_reach_the_strip(
        qtbot: QtBot, counter: CounterWork, sqlite_hall: Hall, clock: FakeClock, tmp_path: Path) -> None:
    """The second window of a hall without a hall server: another program writes, this one's feed is silent."""
    from db.engine import make_engine, sqlite_url
    from tests.conftest import SECRETS, make_hall

    bar = counter.queue
    assert bar is not None
    qtbot.waitUntil(lambda: "综合接待 0 人" in bar.waiting.text(), timeout=10_000)
    bar.safety.setInterval(50)  # ten seconds in the program
    other = make_engine(sqlite_url(tmp_path / "hall.db"), key=SECRETS.database_key)
    try:
        window_two = make_hall(other, clock)
        for _ in range(2):
            queue.issue_ticket(window_two, type_code="general", source=TicketSource.COUNTER)
        qtbot.waitUntil(lambda: "综合接待 2 人" in bar.waiting.text(), timeout=10_000)
    finally:
        qtbot.waitUntil(lambda: not bar.reads.busy, timeout=10_000)
        other.dispose()


def test_outside_the_hours_the_clerk_is_asked_before_a_ticket_is_issued(
        qtbot: QtBot, counter: CounterWork, sqlite_hall: Hall, clock: FakeClock) -> None:
    from desktop.config import with_values
    from desktop.domain.hours import DEFAULT_HOURS

    sqlite_hall.use_settings(with_values(sqlite_hall.settings, {"hall_hours": DEFAULT_HOURS}))
    clock.current = clock.current.replace(hour=18, minute=5)
    bar = counter.queue
    assert bar is not None
    with qtbot.waitSignal(bar.tasks.settled, timeout=10_000):
        qtbot.mouseClick(bar.issue_button, Qt.MouseButton.LeftButton)
    box = bar.closed_question
    assert box is not None and box.isVisible()
    assert "大厅将于明天（9月17日，星期四）8:30开放" in box.text()
    assert box.defaultButton().text() == "不发号"
    qtbot.mouseClick(box.defaultButton(), Qt.MouseButton.LeftButton)
    assert queue.window_view(sqlite_hall, window=bar.window_number).waiting[0].waiting == 0
    with qtbot.waitSignal(bar.tasks.settled, timeout=10_000):
        qtbot.mouseClick(bar.issue_button, Qt.MouseButton.LeftButton)
    box = bar.closed_question
    assert box is not None
    with qtbot.waitSignal(bar.issued, timeout=10_000) as issued:
        qtbot.mouseClick(next(b for b in box.buttons() if b.text() == "仍然发号"), Qt.MouseButton.LeftButton)
    assert issued.args[0].ticket.number == "A001"
    qtbot.waitUntil(lambda: "号票已打印" in bar.message.text(), timeout=20_000)


def test_a_name_without_an_id_number_is_refused_before_the_hours_are_asked_about(
        qtbot: QtBot, counter: CounterWork, sqlite_hall: Hall, clock: FakeClock) -> None:
    from desktop.config import with_values
    from desktop.domain.hours import DEFAULT_HOURS

    sqlite_hall.use_settings(with_values(sqlite_hall.settings, {"hall_hours": DEFAULT_HOURS}))
    clock.current = clock.current.replace(hour=18, minute=5)
    bar = counter.queue
    assert bar is not None
    assert "填姓名时必填" in bar.visitor_id.placeholderText()  # it said 可不填
    width = bar.visitor_id.fontMetrics().horizontalAdvance(bar.visitor_id.placeholderText())
    assert bar.visitor_id.width() > width  # the hint read whole
    bar.visitor_name.setText("张伟")
    with qtbot.waitSignal(bar.tasks.settled, timeout=10_000):
        qtbot.mouseClick(bar.issue_button, Qt.MouseButton.LeftButton)
    assert bar.closed_question is None or not bar.closed_question.isVisible()  # not asked 仍然发号 first
    assert "请同时读取或填写证件号码" in bar.message.text()
    assert bar.visitor_name.text() == "张伟"  # nothing typed is lost


def _fits(combo) -> bool:  # type: ignore[no-untyped-def]
    """Each item of a drop-down whole in the box beside its arrow, with half a character to spare."""
    from PySide6.QtWidgets import QStyle, QStyleOptionComboBox

    option = QStyleOptionComboBox()
    combo.initStyleOption(option)
    field = combo.style().subControlRect(QStyle.ComplexControl.CC_ComboBox, option,
                                         QStyle.SubControl.SC_ComboBoxEditField, combo)
    metrics = combo.fontMetrics()
    spare = metrics.horizontalAdvance("中") // 2
    return combo.count() > 0 and all(metrics.horizontalAdvance(combo.itemText(i)) + spare <= field.width()
                                     for i in range(combo.count()))


def test_the_window_types_and_the_adoption_are_read_whole_at_1366(
        qtbot: QtBot, counter: CounterWork, sqlite_hall: Hall, supervisor: Actor,
        work_context: Callable[..., WorkContext]) -> None:
    from ui.cases.suggestions import SuggestionsPanel

    bar = counter.queue
    assert bar is not None
    qtbot.waitUntil(lambda: bar.issue_type.findText("B 农民工欠薪绿色通道") >= 0, timeout=10_000)
    bar.transfer_to.setCurrentIndex(bar.transfer_to.findText("B 农民工欠薪绿色通道"))
    assert _fits(bar.transfer_to) and _fits(bar.issue_type)
    panel = SuggestionsPanel(work_context(supervisor))
    qtbot.addWidget(panel)
    panel.resize(1366, 700)
    panel.show()
    assert panel.adoption.itemText(0) == "（暂不认定）" and _fits(panel.adoption)


def test_an_expired_card_read_at_the_counter_is_said_to_the_clerk(
        qtbot: QtBot, sqlite_hall: Hall, work_context: Context, clerk: Actor, tmp_path: Path) -> None:
    """The card still says who the visitor is (the ticket and the registration go on); the clerk is told it has
    expired and until when, to tell the visitor to renew it."""
    import json
    from datetime import date

    cards = tmp_path / "cards.json"
    cards.write_text(json.dumps([{"name": "李建国", "id_number": valid_id(birth=date(1990, 1, 20), seq=5),
                                  "valid_from": "2012-01-01", "valid_to": "2022-01-01"}] * 2), encoding="utf-8")
    work = open_window_counter(qtbot, sqlite_hall, work_context(clerk), tmp_path, height=768, id_reader=f"sim:{cards}")
    bar = work.queue
    assert bar is not None
    qtbot.mouseClick(bar.read_card_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bar.visitor_id.text() != "", timeout=10_000)
    assert "此身份证已过有效期（有效期至2022年1月1日），请提醒来访人及时换领" in bar.message.text()
    panel = work.registration
    qtbot.mouseClick(panel.read_card_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.name.text() == "李建国", timeout=10_000)
    assert "有效期至2022年1月1日" in panel.message.text()


def test_a_priority_ticket_called_says_so_and_why_when_its_card_tells(
        qtbot: QtBot, counter: CounterWork, sqlite_hall: Hall) -> None:
    elderly = valid_id(birth=date(1950, 3, 1), seq=11)  # 76 on the hall's day
    queue.issue_ticket(sqlite_hall, type_code="general", source=TicketSource.KIOSK)
    queue.issue_ticket(sqlite_hall, type_code="general", source=TicketSource.KIOSK, priority=True)  # 残疾人, say
    queue.issue_ticket(sqlite_hall, type_code="general", source=TicketSource.KIOSK, id_number=elderly, name="王秀英")
    bar = counter.queue
    assert bar is not None
    qtbot.waitUntil(lambda: "综合接待 3 人" in bar.waiting.text(), timeout=10_000)

    press(qtbot, bar, Qt.Key.Key_F3)
    assert bar.number.text() == "A002" and bar.details.text().startswith("综合接待 · 优先 · 已叫号")
    assert queue.window_view(sqlite_hall, window=3).priority == "优先"
    press(qtbot, bar, Qt.Key.Key_F9)  # 办结: the next one
    press(qtbot, bar, Qt.Key.Key_F3)
    assert bar.number.text() == "A003" and bar.details.text().startswith("综合接待 · 优先（70岁以上老人） · 已叫号")
    press(qtbot, bar, Qt.Key.Key_F9)
    press(qtbot, bar, Qt.Key.Key_F3)
    assert bar.number.text() == "A001" and "优先" not in bar.details.text()
    assert queue.window_view(sqlite_hall, window=3).priority == ""


@pytest.mark.parametrize("width", [1366, 1920])
def test_each_waiting_count_is_read_whole_however_many_types(
        qtbot: QtBot, sqlite_hall: Hall, work_context: Context, clerk: Actor, tmp_path: Path, width: int) -> None:
    """A fifth window type at 1366: the counts wrapped inside a name at the screen's edge (“不动产登记 / 咨询 0 人”)."""
    from desktop.domain.queue import WindowType
    admin = Actor("staff:guanli1", "管理员", "admin")
    for name, prefix in (("不动产登记咨询", "E"), ("退役军人事务与优抚安置政策咨询", "F")):
        queue.save_window_type(sqlite_hall, admin, WindowType("", name, prefix, ()))
    for _ in range(2):
        queue.issue_ticket(sqlite_hall, type_code="general", source=TicketSource.KIOSK)
    counter = open_window_counter(qtbot, sqlite_hall, work_context(clerk), tmp_path, height=768 if width < 1920
                                  else 1080)
    counter.resize(width, counter.height())
    bar = counter.queue
    assert bar is not None
    qtbot.waitUntil(lambda: "综合接待 2 人" in bar.waiting.text(), timeout=10_000)
    counter.grab()  # laid out as painted
    text, room = bar.waiting.text(), bar.waiting.contentsRect()
    assert "\n" not in text and not bar.waiting.wordWrap()
    assert bar.waiting.fontMetrics().horizontalAdvance(text) <= room.width()  # one line, all of it inside
    assert bar.waiting.fontMetrics().height() <= room.height()
    names = [w.type_name for w in bar.view.waiting] if bar.view is not None else []
    assert len(names) == 6
    shown = [name for name in names if f"{name} " in text]
    # the counts shown are whole (name and count) and in the hall's order; those left out are counted, and
    # every one is on the tooltip
    assert shown == names[:len(shown)] and shown
    assert all(f"{name} {w.waiting} 人" in text for name, w in zip(names, bar.view.waiting, strict=True)
               if name in shown) if bar.view is not None else False
    if len(shown) < len(names):
        assert text.endswith(f"等{len(names) - len(shown)}类 …") or f"另{len(names) - len(shown)}类" in text
    assert all(f"{name} " in bar.waiting.toolTip() for name in names)
    assert bar.sizeHint().width() <= width and bar.minimumSizeHint().width() <= width


def test_a_case_only_looked_at_is_offered_not_linked_to_the_ticket(
        qtbot: QtBot, counter: CounterWork, sqlite_hall: Hall, clerk: Actor) -> None:
    """A case opened from a list (不满意, the deadline board) while A001 was called went into the field, and F9
    would have closed the ticket against it."""
    looked_at = register_visit(sqlite_hall, clerk, form(name="李秀英", id_number=valid_id(seq=11))).case_number
    for _ in range(2):
        queue.issue_ticket(sqlite_hall, type_code="general", source=TicketSource.KIOSK)
    bar = counter.queue
    assert bar is not None
    qtbot.waitUntil(lambda: "综合接待 2 人" in bar.waiting.text(), timeout=10_000)
    press(qtbot, bar, Qt.Key.Key_F3)  # A001 at the window
    height = bar.height()
    with qtbot.waitSignal(counter.search.case_changed, timeout=10_000):
        counter.search.open_number(looked_at)  # as a row of a list opens it
    assert bar.case_field.text() == "" and not bar.case_origin.isVisible()
    assert bar.link_viewed.isVisibleTo(counter) and looked_at in bar.link_viewed.toolTip()
    QApplication.processEvents()
    assert bar.height() == height, "the offer came without moving what is under the strip"
    press(qtbot, bar, Qt.Key.Key_F9)  # 办结: linked to nothing the clerk did not choose
    assert state_of(sqlite_hall, "A001") == ("done", None)
    assert not bar.link_viewed.isVisibleTo(counter)  # nobody at the window: nothing to link

    press(qtbot, bar, Qt.Key.Key_F3)  # A002: this visitor's case is the one on screen, the clerk says so
    assert bar.link_viewed.isVisibleTo(counter)
    qtbot.mouseClick(bar.link_viewed, Qt.MouseButton.LeftButton)
    assert bar.case_field.text() == looked_at and bar.case_origin.text() == f"办结关联（所查事项）：{looked_at}"
    assert not bar.link_viewed.isVisibleTo(counter)
    press(qtbot, bar, Qt.Key.Key_F9)
    assert state_of(sqlite_hall, "A002") == ("done", looked_at)
    assert bar.case_field.text() == "" and not bar.case_origin.isVisible()


def test_a_case_registered_at_the_window_is_linked_and_says_so(
        qtbot: QtBot, counter: CounterWork, sqlite_hall: Hall, clerk: Actor) -> None:
    from desktop.services.registration import RegistrationResult

    queue.issue_ticket(sqlite_hall, type_code="general", source=TicketSource.KIOSK)
    bar = counter.queue
    assert bar is not None
    qtbot.waitUntil(lambda: "综合接待 1 人" in bar.waiting.text(), timeout=10_000)
    press(qtbot, bar, Qt.Key.Key_F3)
    result = register_visit(sqlite_hall, clerk, form(name="王丽", id_number=valid_id(seq=12)))
    assert isinstance(result, RegistrationResult)
    counter.registration.registered.emit(result)  # the form saved it
    assert bar.case_field.text() == result.case_number
    assert bar.case_origin.text() == f"办结关联（本窗口登记）：{result.case_number}"
    assert result.case_number in bar.case_field.toolTip()


def test_a_case_registered_under_another_visitors_number_is_not_linked_to_the_one_at_the_window(
        qtbot: QtBot, counter: CounterWork, sqlite_hall: Hall, clerk: Actor) -> None:
    """A001 at the window, the clerk registers 张三 who holds A004 (typed in 排队号): 办结 closed A001 against
    张三's case and A004 still waited. The case is linked only to the ticket its registration names."""
    from desktop.services.registration import RegistrationResult

    for _ in range(4):
        queue.issue_ticket(sqlite_hall, type_code="general", source=TicketSource.KIOSK)
    bar = counter.queue
    assert bar is not None
    qtbot.waitUntil(lambda: "综合接待 4 人" in bar.waiting.text(), timeout=10_000)
    press(qtbot, bar, Qt.Key.Key_F3)  # A001 at the window: the form gets its number
    assert counter.registration.queue_number.text() == "A001"
    counter.registration.queue_number.setText("a004")
    result = register_visit(sqlite_hall, clerk, form(name="张三", id_number=valid_id(seq=13)))
    assert isinstance(result, RegistrationResult)
    counter.registration.registered.emit(result)  # the form saved it
    assert bar.case_field.text() == "" and not bar.case_origin.isVisible()
    assert "排队号是 A004，不是窗口正在办理的 A001 号" in bar.message.text()
    press(qtbot, bar, Qt.Key.Key_F9)
    assert state_of(sqlite_hall, "A001") == ("done", None)


def test_a_call_at_another_counter_on_the_same_database_reaches_the_strip_within_a_second(
        qtbot: QtBot, counter: CounterWork, sqlite_hall: Hall, clock: FakeClock, tmp_path: Path) -> None:
    """Two counters of a hall without a hall server: the other program's 叫号 takes a number from this one's
    waiting count without waiting for the strip's slow read (10 s)."""
    from db.engine import make_engine, sqlite_url
    from tests.conftest import SECRETS, make_hall

    for _ in range(2):
        queue.issue_ticket(sqlite_hall, type_code="general", source=TicketSource.KIOSK)
    bar = counter.queue
    assert bar is not None
    # (the strip has looked at the queue's mark once: what moves from here on is seen)
    qtbot.waitUntil(lambda: "综合接待 2 人" in bar.waiting.text() and bar.watch.seen is not None, timeout=10_000)
    bar.safety.stop()  # the slow read never comes: only the queue's mark can bring the call (in 0.4 s)
    other = make_engine(sqlite_url(tmp_path / "hall.db"), key=SECRETS.database_key)
    try:
        assert queue.call_next(make_hall(other, clock), window=5) is not None
        qtbot.waitUntil(lambda: "综合接待 1 人" in bar.waiting.text(), timeout=10_000)
    finally:
        qtbot.waitUntil(lambda: not bar.reads.busy and not bar.watch.tasks.busy, timeout=10_000)
        other.dispose()
