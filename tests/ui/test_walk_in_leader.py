"""A walk-in joins today's leader reception list when called (加入今日领导接访), before the clerk registers the
matter: registering it names the case on the booking, so the leader can record 批示 and 包案 on it. Before, the
booking stayed 待登记 for good and no screen could link them."""

from __future__ import annotations

from datetime import timedelta

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
    panel.id_number.setText(valid_id(seq=711))
    panel.name.setText("陈建华")
    panel.request.setPlainText("反映浦阳街道某建筑工地拖欠农民工工资三个月，要求尽快支付")
    with qtbot.waitSignal(panel.registered, timeout=20_000):
        panel.save()
    assert panel.last_result is not None
    qtbot.waitUntil(lambda: "已关联今日领导接访名单上的预约" in panel.message.text(), timeout=10_000)
    (linked,) = [a for a in reception.appointments(sqlite_hall, clerk, today)
                 if a.appointment_id == walk_in.appointment.appointment_id]
    assert linked.case_number == panel.last_result.case_number
