"""A walk-in joins today's leader reception list when called (加入今日领导接访), before the clerk registers the
matter: registering it names the case on the booking, so the leader can record 批示 and 包案 on it. Before, the
booking stayed 待登记 for good and no screen could link them."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from desktop.services import reception
from desktop.services.context import Actor, Hall
from desktop.services.registration import register_visit
from tests.helpers import form, valid_id
from ui.counter.work import CounterWork


def _today_and_later(hall: Hall, clerk: Actor) -> tuple[str, str]:
    today = reception.add_day(hall, clerk, hall.today(), leaders=["县长 周建华"])
    later = reception.add_day(hall, clerk, hall.today() + timedelta(days=7), leaders=["县长 周建华"])
    return today.day_id, later.day_id


def test_registering_names_the_case_on_todays_booking_of_that_visitor_only(sqlite_hall: Hall, clerk: Actor) -> None:
    hall = sqlite_hall
    today, later = _today_and_later(hall, clerk)
    walk_in = reception.book_today(hall, clerk, reception.Visitor("陈建华", valid_id(seq=701)))
    assert walk_in.appointment.case_number == ""
    other = reception.book_today(hall, clerk, reception.Visitor("李梅", valid_id(seq=702)))
    booked_later = reception.book(hall, clerk, later, reception.Visitor("陈建华", valid_id(seq=701)))
    case = register_visit(hall, clerk, form(name="陈建华", id_number=valid_id(seq=701)))
    assert reception.name_registered_case(hall, clerk, case.case_number) == 1
    numbers = {a.appointment_id: a.case_number for d in (today, later) for a in reception.appointments(hall, clerk, d)}
    assert numbers[walk_in.appointment.appointment_id] == case.case_number
    assert numbers[other.appointment.appointment_id] == ""  # another visitor's booking is not touched
    assert numbers[booked_later.appointment.appointment_id] == ""  # nor the same visitor's on another day
    assert reception.name_registered_case(hall, clerk, case.case_number) == 0  # once linked, left as it is
    someone = register_visit(hall, clerk, form(name="王芳", id_number=valid_id(seq=703)))
    assert reception.name_registered_case(hall, clerk, someone.case_number) == 0  # not on the list


def test_the_counter_registering_a_walk_in_on_the_list_links_it_and_says_so(
        qtbot: QtBot, counter: CounterWork, sqlite_hall: Hall, clerk: Actor) -> None:
    today, _later = _today_and_later(sqlite_hall, clerk)
    walk_in = reception.book_today(sqlite_hall, clerk, reception.Visitor("陈建华", valid_id(seq=711)))
    panel = counter.registration
    with qtbot.waitSignal(panel.history_shown, timeout=10_000):
        QTest.keyClicks(panel.id_number, valid_id(seq=711))
    assert "登记本次事项后即自动关联到该预约" in panel.repeat.booking.text()  # before saving, as a notice
    panel.name.setText("陈建华")
    panel.request.setPlainText("反映浦阳街道某建筑工地拖欠农民工工资三个月，要求尽快支付")
    with qtbot.waitSignal(panel.registered, timeout=20_000):
        panel.save()
    assert panel.last_result is not None
    qtbot.waitUntil(lambda: "已关联今日领导接访名单上的预约" in panel.message.text(), timeout=10_000)
    assert panel.repeat.booking.isHidden()  # what registering would do is done: said once, below the form
    (linked,) = [a for a in reception.appointments(sqlite_hall, clerk, today)
                 if a.appointment_id == walk_in.appointment.appointment_id]
    assert linked.case_number == panel.last_result.case_number


def test_a_walk_in_linked_by_the_rule_to_an_earlier_matter_gets_the_one_registered_today(
        qtbot: QtBot, counter: CounterWork, sqlite_hall: Hall, clerk: Actor) -> None:
    """张洁 joined the list with an earlier matter still being handled, found by the rule; the matter the clerk
    registers for her that day is what she came about: the booking is linked to it, and the form says so."""
    today, _later = _today_and_later(sqlite_hall, clerk)
    earlier = register_visit(sqlite_hall, clerk, form(name="张洁", id_number=valid_id(seq=721),
                                                      request="要求处理邻居违建遮挡采光"))
    walk_in = reception.book_today(sqlite_hall, clerk, reception.Visitor("张洁", valid_id(seq=721)))
    assert walk_in.appointment.case_number == earlier.case_number
    panel = counter.registration
    panel.id_number.setText(valid_id(seq=721))
    panel.name.setText("张洁")
    panel.request.setPlainText("反映小区电梯停运一个月，物业不予维修，要求尽快恢复运行")
    with qtbot.waitSignal(panel.registered, timeout=20_000):
        panel.save()
    assert panel.last_result is not None
    qtbot.waitUntil(lambda: "已关联今日领导接访名单上的预约" in panel.message.text(), timeout=10_000)
    (linked,) = [a for a in reception.appointments(sqlite_hall, clerk, today)
                 if a.appointment_id == walk_in.appointment.appointment_id]
    assert linked.case_number == panel.last_result.case_number


def test_the_counters_booking_says_when_to_come_and_which_case_the_leader_decides_on(
        qtbot: QtBot, counter: CounterWork, sqlite_hall: Hall, clerk: Actor) -> None:
    """Booked at 9:30 into today's 9:00 slot: come to the window now; no unfinished matter: 尚未关联 (listed too)."""
    reception.add_day(sqlite_hall, clerk, sqlite_hall.today(), leaders=["县长 周建华"],
                      slots="09:00-10:30/4,10:30-12:00/4")
    panel = counter.booking
    panel.refresh()
    qtbot.waitUntil(lambda: panel.slot_box.count() == 3, timeout=10_000)  # 不限, then the two slots
    panel.name.setText("许玉英")
    panel.id_number.setText(valid_id(seq=731))
    panel.submit()
    qtbot.waitUntil(lambda: "预约回执" in panel.message.text(), timeout=20_000)
    text = panel.message.text()
    assert "您预约的时段9:00已经开始，请现在就带上身份证到窗口报到" in text and "尚未关联信访事项" in text
    assert "提前15分钟" not in text
    qtbot.waitUntil(lambda: panel.table.rowCount() == 1, timeout=10_000)
    item = panel.table.item(0, len(panel.COLUMNS) - 1)
    assert item is not None and item.text() == "尚未关联信访事项"
