"""Leader reception days: schedule, appointments and waiting list, dossier, 包案, board, 积案, statistics.

Each rule on SQLite and PostgreSQL (the ``hall`` fixture); the hall's clock stands at 2026-09-16.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy.engine import Engine

from desktop.domain.access import Actor
from desktop.domain.calendar import HolidayCalendar
from desktop.domain.errors import RuleViolation, ValidationError
from desktop.domain.events import EventType
from desktop.domain.reception import (
    BacklogRule,
    RestDayRule,
    Slot,
    arrival_words,
    due_note,
    office_list_words,
    office_notice_day,
    parse_slots,
    place_booking,
    place_walk_in,
    places_left,
    reception_day,
    schedule_notes,
    slots_in_words,
)
from desktop.services import attachments, cases, leaderday, reception
from desktop.services.audit import AuditQuery, list_audit
from desktop.services.context import Hall
from desktop.services.reception import Visitor
from desktop.services.registration import register_visit
from tests.conftest import FakeClock, make_hall
from tests.helpers import form, valid_id

LEADER = Actor("staff:lingdao1", "周建华", "leader")


# -- the rules (domain) -----------------------------------------------------------------------------

def test_a_15th_on_a_rest_day_is_kept_moved_on_or_brought_forward_by_setting() -> None:
    calendar = HolidayCalendar.builtin()
    # 2026-02-15 falls in the Spring Festival holiday; 2026-02-14 (a Saturday) is a make-up working day.
    assert reception_day(2026, 2, calendar, 15, RestDayRule.KEEP) == date(2026, 2, 15)
    assert reception_day(2026, 2, calendar, 15, RestDayRule.NEXT) == date(2026, 2, 24)
    assert reception_day(2026, 2, calendar, 15, RestDayRule.PREVIOUS) == date(2026, 2, 14)
    assert reception_day(2026, 10, calendar, 15, RestDayRule.NEXT) == date(2026, 10, 15)  # a Thursday
    with pytest.raises(ValidationError, match="2月没有30日"):
        reception_day(2026, 2, calendar, 30)


def test_the_office_is_told_on_a_working_day() -> None:
    """Five days ahead, else the working day before: never a Sunday, nor the last day of a holiday."""
    calendar = HolidayCalendar.builtin()
    assert office_notice_day(date(2026, 9, 21), calendar) == date(2026, 9, 16)  # a Wednesday, as it is
    assert office_notice_day(date(2026, 1, 15), calendar) == date(2026, 1, 9)  # not Saturday the 10th: the Friday
    assert office_notice_day(date(2026, 10, 15), calendar) == date(2026, 10, 10)  # a Saturday worked (调休)
    assert office_notice_day(date(2026, 10, 12), calendar) == date(2026, 9, 30)  # before the National Day holiday
    assert office_notice_day(date(2027, 1, 15), HolidayCalendar.empty()) == date(2027, 1, 8)  # not Sunday the 10th


def test_the_schedule_names_rest_days_and_years_without_holiday_data() -> None:
    calendar = HolidayCalendar.builtin()
    assert schedule_notes([date(2026, 10, 15), date(2026, 11, 16)], calendar) == ""
    note = schedule_notes([date(2026, 10, 3)], calendar)
    assert "2026年10月3日（国庆节）不是工作日" in note and "尚未导入" not in note
    # a year whose official schedule is not in the calendar is counted with weekends only: say so
    assert not calendar.knows_year(2040)
    note = schedule_notes([date(2039, 12, 15), date(2040, 1, 16), date(2040, 2, 15)], calendar)
    assert "2039、2040年的节假日安排尚未导入" in note and "不是工作日" not in note
    assert "2040年的节假日安排尚未导入" in schedule_notes([date(2040, 1, 16)], HolidayCalendar.empty())
    # said for a leader's office: who does what, in words, never the name of a command
    assert "请系统管理员导入该年的节假日安排" in note and "import" not in note and "holidays" not in note


def test_slots_are_read_from_words_and_refused_in_words() -> None:
    slots = parse_slots("9:00-10:30/2，10:30-12:00/1")
    assert [(s.label, s.capacity) for s in slots] == [("9:00–10:30", 2), ("10:30–12:00", 1)]
    for bad, words in (("9-10/2", "格式不对"), ("10:00-09:00/2", "起止时间"), ("09:00-10:00/0", "人数"),
                       ("09:00-11:00/2,10:00-12:00/2", "重叠"), ("", "至少")):
        with pytest.raises(ValidationError, match=words):
            parse_slots(bad)


def test_a_booking_takes_the_wanted_slot_then_the_earliest_with_room_then_waits() -> None:
    slots = parse_slots("09:00-10:00/1,10:00-11:00/2")
    assert place_booking(slots, [0, 0], 1) == 1
    assert place_booking(slots, [0, 2], 1) == 0
    assert place_booking(slots, [1, 1], None) == 1
    assert place_booking(slots, [1, 2], 0) is None
    # booked on the day itself: a slot that is over has no room, whatever its count
    assert place_booking(slots, [0, 0], 0, "10:00") == 1
    assert place_booking(slots, [0, 0], None, "11:00") is None


def test_a_booking_for_today_gets_no_slot_already_over(hall: Hall, clerk: Actor) -> None:
    """At 09:30 on a reception day the counter books a visitor: not into the 09:00–09:20 slot."""
    day = reception.add_day(hall, clerk, date(2026, 9, 16), leaders=["县长 周建华"],
                            slots="09:00-09:20/2,10:00-11:00/2")
    booking = reception.book(hall, clerk, day.day_id, Visitor("张建国", valid_id(seq=111)), slot=0)
    assert booking.appointment.slot_label == "10:00–11:00" and booking.waiting_position == 0



def test_a_web_address_scanned_into_the_name_books_nobody(hall: Hall, clerk: Actor) -> None:
    """The kiosk's booking form, a chat's QR code scanned into 姓名: refused in words, not booked under it."""
    day = reception.add_day(hall, clerk, date(2026, 9, 22), leaders=["县长 周建华"])
    with pytest.raises(ValidationError, match="来访人姓名栏里是一个网址"):
        reception.book(hall, clerk, day.day_id, Visitor("https://u.wechat.com/EKx3", valid_id(seq=114)))


def test_the_places_shown_for_today_leave_out_the_slots_already_over(hall: Hall, clerk: Actor) -> None:
    """At 09:30 on a reception day the counter's and the kiosk's day lists offer only what can still be booked."""
    today = reception.add_day(hall, clerk, date(2026, 9, 16), leaders=["县长 周建华"],
                              slots="09:00-09:20/2,10:00-11:00/2")
    later = reception.add_day(hall, clerk, date(2026, 9, 17), leaders=["县长 周建华"],
                              slots="09:00-09:20/2,10:00-11:00/2")
    shown = {d.day_id: d for d in reception.list_days(hall, clerk)}
    assert shown[today.day_id].free == 2 and shown[today.day_id].left == (0, 2)
    assert shown[today.day_id].is_over(0) and not shown[today.day_id].is_over(1)
    assert shown[later.day_id].free == 4 and not shown[later.day_id].is_over(0)  # another day: every slot
    reception.book(hall, clerk, today.day_id, Visitor("张建国", valid_id(seq=111)))
    reception.book(hall, clerk, today.day_id, Visitor("李秀英", valid_id(seq=112)))
    full = next(d for d in reception.list_days(hall, clerk) if d.day_id == today.day_id)
    assert full.free == 0  # the next booking today waits (候补), as the list says
    waiting = reception.book(hall, clerk, today.day_id, Visitor("王芳", valid_id(seq=113), "13857912345"))
    assert waiting.waiting_position == 1


def test_a_reception_day_over_for_today_takes_nobody_not_even_to_wait(hall: Hall, clerk: Actor,
                                                                     clock: FakeClock) -> None:
    """At 17:30 the day's last slot has ended: a booking (kiosk or counter) is refused, not put on 候补."""
    today = reception.add_day(hall, clerk, date(2026, 9, 16), leaders=["县长 周建华"],
                              slots="09:00-12:00/2,14:00-17:30/2")
    clock.advance(hours=7, minutes=59)  # 17:29
    shown = next(d for d in reception.list_days(hall, clerk) if d.day_id == today.day_id)
    assert shown.left == (0, 2) and not shown.over  # the last slot is still on
    clock.advance(minutes=1)  # 17:30
    shown = next(d for d in reception.list_days(hall, clerk) if d.day_id == today.day_id)
    assert shown.over and shown.free == 0
    with pytest.raises(RuleViolation, match="2026年9月16日（星期三）的领导接访已经结束，请选择以后的接访日"):
        reception.book(hall, clerk, today.day_id, Visitor("张建国", valid_id(seq=111)))
    assert reception.appointments(hall, clerk, today.day_id) == []
    tomorrow = reception.add_day(hall, clerk, date(2026, 9, 17), leaders=["县长 周建华"], slots="09:00-12:00/2")
    assert reception.book(hall, clerk, tomorrow.day_id, Visitor("张建国", valid_id(seq=111))).waiting_position == 0


def test_a_booking_made_as_its_slot_begins_says_to_come_now_a_later_one_fifteen_minutes_early() -> None:
    slot = Slot("10:30", "12:00", 4)
    early = "请在接访当日提前15分钟到达，在窗口报到后按时段等候"
    assert arrival_words(slot, None) == early  # a day to come
    assert arrival_words(slot, "10:14") == early  # today, 16 minutes before: time to come early still
    assert arrival_words(slot, "10:15") == "您预约的时段10:30就要开始，请现在就带上身份证到窗口报到"
    assert arrival_words(slot, "10:51") == "您预约的时段10:30已经开始，请现在就带上身份证到窗口报到"
    assert arrival_words(Slot("09:00", "10:30", 4), "08:50", slip=True) == (
        "您预约的时段9:00就要开始，请现在就凭本回执和身份证到窗口报到")
    assert "提前15分钟到接待大厅" in arrival_words(slot, None, slip=True)
    # no slip to take home (it did not print): the ID card is said on the day as well
    assert arrival_words(slot, None, card=True) == "接访当日请带上身份证，提前15分钟到达，在窗口报到后按时段等候"
    assert arrival_words(slot, "10:51", card=True) == "您预约的时段10:30已经开始，请现在就带上身份证到窗口报到"
    assert arrival_words(None, "10:51") == ""  # the waiting list comes when called


def test_a_booking_for_a_slot_under_way_is_told_to_come_now_on_the_slip(hall: Hall, clerk: Actor,
                                                                        clock: FakeClock) -> None:
    day_id = _day(hall, clerk, slots="09:00-10:30/4,10:30-12:00/4")
    clock.advance(days=14, hours=1, minutes=21)  # the reception day at 10:51 (the clock stood at 9:30)
    booking = reception.book(hall, clerk, day_id, Visitor("张洁", valid_id(seq=141)))
    assert booking.appointment.slot_label == "10:30–12:00"
    assert booking.arrival_words() == "您预约的时段10:30已经开始，请现在就带上身份证到窗口报到"
    slip = reception.appointment_slip(hall, clerk, booking.appointment.appointment_id)
    assert slip.data["arrival_note"] == "您预约的时段10:30已经开始，请现在就凭本回执和身份证到窗口报到"


def test_the_slots_and_the_offices_list_are_said_in_words_never_before_the_day_existed() -> None:
    assert slots_in_words(parse_slots("09:00-10:30/4,10:30-12:00/4")) == "9:00–10:30限4人、10:30–12:00限4人"
    today = date(2026, 12, 7)
    assert office_list_words(date(2026, 12, 2), today, today) == "今日新增，名单随时可送出"
    assert office_list_words(date(2026, 12, 2), today, date(2026, 11, 20)) == "2026年12月2日（星期三）送出（已到期）"
    assert office_list_words(date(2027, 1, 10), today, today) == "2027年1月10日（星期日）送出"


def test_places_left_per_slot() -> None:
    slots = parse_slots("09:00-10:00/1,10:00-11:00/2")
    assert places_left(slots, [0, 1]) == (1, 1)
    assert places_left(slots, [2, 0]) == (0, 2)  # a slot over-filled by hand counts none, not less
    assert places_left(slots, [0, 0], "10:00") == (0, 2)  # the first slot ended
    assert places_left(slots, [0, 0], "11:30") == (0, 0)


def test_a_walk_in_gets_the_earliest_slot_not_yet_over_with_room() -> None:
    slots = parse_slots("09:00-10:00/1,10:00-11:00/2")
    assert place_walk_in(slots, [0, 0], "09:30") == 0
    assert place_walk_in(slots, [0, 0], "10:00") == 1  # the first slot ended
    assert place_walk_in(slots, [1, 1], "09:10") == 1
    assert place_walk_in(slots, [0, 2], "09:59") == 0
    assert place_walk_in(slots, [0, 0], "11:00") is None  # the day's slots are over: 候补


def test_backlog_rule_by_age_or_repeated_visits_until_concluded() -> None:
    rule = BacklogRule(min_age_days=180, min_visits=3)
    today = date(2026, 9, 16)
    assert rule.applies("办理中", today - timedelta(days=180), 1, today)
    assert not rule.applies("办理中", today - timedelta(days=179), 2, today)
    assert rule.applies("已登记", today, 3, today)
    assert not rule.applies("已答复", today - timedelta(days=400), 5, today)  # cleared once answered
    assert rule.reason(today - timedelta(days=200), 4, today) == "登记已200天未办结，重复信访4次"


# -- the schedule --------------------------------------------------------------------------------------

def test_the_schedule_is_generated_by_rule_once_and_days_are_added_by_hand(hall: Hall, supervisor: Actor) -> None:
    days = reception.generate_schedule(hall, supervisor, date(2026, 10, 1), 3, leaders=["县长 周建华"],
                                       units=["330726-RSJ"])
    assert [d.day for d in days] == [date(2026, 10, 15), date(2026, 11, 16), date(2026, 12, 15)]
    assert days[0].unit_names == ("浦江县人力资源和社会保障局",) and days[0].origin == "按规则生成"
    again = reception.generate_schedule(hall, supervisor, date(2026, 10, 1), 3, leaders=["副县长 李明"])
    assert [d.leaders for d in again] == [("县长 周建华",)] * 3  # days already scheduled are kept as they are
    extra = reception.add_day(hall, supervisor, date(2026, 9, 30), leaders=["副县长 李明"], topics="征地拆迁",
                              slots="09:00-11:00/2")
    assert extra.origin == "手工添加" and extra.free == 2
    with pytest.raises(RuleViolation, match="已经是领导接访日"):
        reception.add_day(hall, supervisor, date(2026, 10, 15), leaders=["副县长 李明"])
    assert [d.day for d in reception.list_days(hall, supervisor)][:2] == [date(2026, 9, 30), date(2026, 10, 15)]
    changed = reception.update_day(hall, supervisor, days[1].day_id, leaders=["副县长 李明"], place="二楼接访室",
                                   topics="征地拆迁", units=["330726-RSJ"])
    assert (changed.leaders, changed.place, changed.topics, changed.day) == (
        ("副县长 李明",), "二楼接访室", "征地拆迁", date(2026, 11, 16))
    with pytest.raises(ValidationError, match="机构目录"):
        reception.update_day(hall, supervisor, days[1].day_id, leaders=["副县长 李明"], place="", topics="",
                             units=["不存在"])


def test_a_day_to_add_is_refused_for_what_cannot_be_done_before_its_rest_day_is_asked_about(
        hall: Hall, supervisor: Actor, clerk: Actor) -> None:
    """The check before 添加这一天 raises what ``add_day`` would refuse; only a rest day is left to ask about."""
    holiday, workday = date(2026, 10, 3), date(2026, 10, 9)  # 国庆节, a Friday
    with pytest.raises(ValidationError, match="请填写接访领导") as refusal:
        reception.addition_check(hall, supervisor, holiday, leaders=["  "])
    assert refusal.value.field == "leaders"
    with pytest.raises(ValidationError, match="机构目录"):
        reception.addition_check(hall, supervisor, holiday, leaders=["县长 周建华"], units=["不存在"])
    with pytest.raises(RuleViolation, match="已经过去"):
        reception.addition_check(hall, supervisor, date(2026, 9, 15), leaders=["县长 周建华"])
    assert reception.addition_check(hall, supervisor, holiday, leaders=["县长 周建华"]) == "国庆节"
    assert reception.addition_check(hall, supervisor, workday, leaders=["县长 周建华"]) == ""
    reception.add_day(hall, supervisor, holiday, leaders=["县长 周建华"])
    with pytest.raises(RuleViolation, match="已经是领导接访日"):
        reception.addition_check(hall, supervisor, holiday, leaders=["县长 周建华"])
    assert reception.list_days(hall, supervisor)[0].day == holiday


@pytest.mark.parametrize("leaders", [[], ["  "], ["", "　"]], ids=["none", "blank", "blanks"])
def test_no_reception_day_is_made_or_left_without_a_leader(hall: Hall, supervisor: Actor, clock: FakeClock,
                                                            leaders: list[str]) -> None:
    """Citizens book a day as soon as it is made: the rule's days, a day by hand and a changed day name a leader."""
    for make in (lambda: reception.generate_schedule(hall, supervisor, date(2026, 10, 1), 3, leaders=leaders),
                 lambda: reception.add_day(hall, supervisor, date(2026, 9, 30), leaders=leaders)):
        with pytest.raises(ValidationError, match="请填写接访领导") as refusal:
            make()
        assert refusal.value.field == "leaders"
    assert reception.list_days(hall, supervisor) == []
    clock.advance(days=365)  # a later month: nothing to make either way, the empty field is still refused
    with pytest.raises(ValidationError, match="请填写接访领导"):
        reception.generate_schedule(hall, supervisor, date(2026, 9, 1), 1, leaders=leaders)
    (day,) = reception.generate_schedule(hall, supervisor, date(2027, 10, 1), 1, leaders=["县长 周建华"])
    with pytest.raises(ValidationError, match="请填写接访领导"):
        reception.update_day(hall, supervisor, day.day_id, leaders=leaders, place="", topics="", units=[])
    assert reception.list_days(hall, supervisor)[0].leaders == ("县长 周建华",)


def test_one_count_of_places_a_slot_over_today_has_none(hall: Hall, supervisor: Actor, clerk: Actor,
                                                         clock: FakeClock) -> None:
    """At 13:43 on the day the morning's slots are over: the schedule and the counter both count what is left."""
    day = reception.add_day(hall, supervisor, hall.today(), leaders=["县长 周建华"],
                            slots="09:00-10:30/4,10:30-12:00/4,14:30-16:00/4,16:00-17:30/4")
    clock.current = clock.current.replace(hour=13, minute=43)
    reception.book(hall, clerk, day.day_id, Visitor("李梅", valid_id(seq=61)))
    (read,) = reception.list_days(hall, supervisor)
    assert (sum(read.booked), read.left, read.free) == (1, (0, 0, 3, 4), 7)
    assert read.room == "余7个名额" and read.places_in_words == "已约1，余7"
    for seq in range(62, 69):
        reception.book(hall, clerk, day.day_id, Visitor("王五", valid_id(seq=seq)))
    (full,) = reception.list_days(hall, supervisor)
    assert full.free == 0 and full.room == "已约满（可候补）" and full.places_in_words == "已约8，已满（可候补）"
    clock.current = clock.current.replace(hour=17, minute=40)
    (over,) = reception.list_days(hall, supervisor)
    assert over.over and over.room == "今天的接访已结束" and over.places_in_words == "已约8，今天已结束"
    tomorrow = reception.add_day(hall, supervisor, hall.today() + timedelta(days=1), leaders=["县长 周建华"],
                                 slots="09:00-10:30/4,10:30-12:00/4")
    assert tomorrow.places_in_words == "已约0，余8"  # another day is not read by today's clock


def test_the_rule_makes_no_day_in_the_past_and_counts_only_its_own(hall: Hall, supervisor: Actor) -> None:
    """On 2026-09-16 September's 15th has passed; a day added by hand is not one the rule made."""
    reception.add_day(hall, supervisor, date(2026, 9, 30), leaders=["副县长 李明"])
    days = reception.generate_schedule(hall, supervisor, date(2026, 9, 1), 2, leaders=["县长 周建华"])
    assert [d.day for d in days] == [date(2026, 10, 15)]
    assert [d.day for d in reception.list_days(hall, supervisor, date(2026, 9, 1))] == [date(2026, 9, 30),
                                                                                         date(2026, 10, 15)]
    assert reception.generate_schedule(hall, supervisor, date(2026, 9, 1), 1, leaders=["县长 周建华"]) == []


def test_the_rest_day_setting_moves_a_generated_day(engine: object, clock: FakeClock, supervisor: Actor) -> None:
    earlier = make_hall(engine, clock, reception_rest_day="previous")  # type: ignore[arg-type]
    (day,) = reception.generate_schedule(earlier, supervisor, date(2026, 11, 1), 1, leaders=["县长 周建华"])
    assert day.day == date(2026, 11, 13)  # the 15th is a Sunday: the Friday before


def test_the_next_reception_day_is_the_schedules_else_the_rules(hall: Hall, clock: FakeClock,
                                                                 supervisor: Actor) -> None:
    # 2026-09-16: September's 15th has passed; by the rule October's (a Thursday) comes next.
    assert reception.next_reception_day(hall) == date(2026, 10, 15)
    reception.add_day(hall, supervisor, date(2026, 9, 28), leaders=["县长 周建华"])
    assert reception.next_reception_day(hall) == date(2026, 9, 28)  # a day added by hand comes first
    clock.advance(days=13)  # 2026-09-29: the day added by hand has passed, nothing else is scheduled
    assert reception.next_reception_day(hall) == date(2026, 10, 15)
    clock.advance(days=48)  # 2026-11-16: November's 15th (a Sunday) moved to Monday the 16th — today
    assert reception.next_reception_day(hall) == date(2026, 11, 16)


def test_a_clerk_may_not_make_the_schedule(hall: Hall, clerk: Actor) -> None:
    with pytest.raises(RuleViolation, match="没有“督办与统计”权限"):
        reception.generate_schedule(hall, Actor("staff:k", "孙倩", "kiosk"), date(2026, 10, 1), 1,
                                    leaders=["县长 周建华"])
    reception.generate_schedule(hall, clerk, date(2026, 10, 1), 1, leaders=["县长 周建华"])  # a clerk handles cases


# -- appointments ---------------------------------------------------------------------------------------

def _day(hall: Hall, actor: Actor, slots: str = "09:00-10:00/1,10:00-11:00/1") -> str:
    return reception.add_day(hall, actor, date(2026, 9, 30), leaders=["县长 周建华"], slots=slots).day_id


def test_full_days_put_visitors_on_the_waiting_list_and_a_cancellation_moves_them_up(
        hall: Hall, clerk: Actor, kiosk: Actor) -> None:
    day_id = _day(hall, clerk)
    first = reception.book(hall, kiosk, day_id, Visitor("张建国", valid_id(seq=101)), slot=1, source="自助终端")
    second = reception.book(hall, clerk, day_id, Visitor("李梅", valid_id(seq=102), "13857912345", 2), slot=1)
    third = reception.book(hall, clerk, day_id, Visitor("王强", valid_id(seq=103), "13857912346"))
    assert (first.appointment.slot_label, second.appointment.slot_label) == ("10:00–11:00", "9:00–10:00")
    assert third.waiting_position == 1 and "候补第1位" in third.message
    assert third.appointment.name == "王*"  # lists are masked
    with pytest.raises(RuleViolation, match="无需重复预约"):
        reception.book(hall, clerk, day_id, Visitor("张建国", valid_id(seq=101)))
    with pytest.raises(ValidationError):
        reception.book(hall, clerk, day_id, Visitor("赵六", "330726196803121230"))
    promoted = reception.cancel(hall, clerk, first.appointment.appointment_id)
    assert promoted is not None and promoted.name == "王*" and promoted.slot_label == "10:00–11:00"
    listed = reception.appointments(hall, clerk, day_id)
    assert [(a.slot_label, a.status) for a in listed] == [("9:00–10:00", "已预约"), ("10:00–11:00", "已预约")]


def test_a_cancelled_booking_is_written_to_the_audit_log_in_words(hall: Hall, clerk: Actor, kiosk: Actor) -> None:
    day_id = _day(hall, clerk, slots="09:00-10:00/1")
    first = reception.book(hall, kiosk, day_id, Visitor("张建国", valid_id(seq=131)), source="自助终端")
    waiting = reception.book(hall, clerk, day_id, Visitor("李梅", valid_id(seq=132), "13857912345"))
    reception.cancel(hall, clerk, waiting.appointment.appointment_id)  # the waiting list: nobody moves up
    reception.book(hall, clerk, day_id, Visitor("王强", valid_id(seq=133), "13857912346"))
    reception.cancel(hall, clerk, first.appointment.appointment_id)
    latest, earlier = list_audit(hall, Actor.system(), AuditQuery(action="取消领导接访预约"))
    assert latest.actor_id == clerk.actor_id and latest.target == "2026年9月30日（星期三）领导接访"
    # names masked, as the lists show them
    assert latest.detail["message"] == "张**，2026年9月30日（星期三） 9:00–10:00；候补的王*递补到该时段"
    assert earlier.detail["message"] == "李*，2026年9月30日（星期三） 候补第1位"
    with pytest.raises(RuleViolation, match="不能再取消"):
        reception.cancel(hall, clerk, first.appointment.appointment_id)
    assert len(list_audit(hall, Actor.system(), AuditQuery(action="取消领导接访预约"))) == 2  # a refusal: no entry


def test_a_visitor_put_on_the_waiting_list_leaves_a_phone_to_be_called_by(hall: Hall, clerk: Actor,
                                                                            kiosk: Actor, tmp_path: Path) -> None:
    """候补 without a phone number: 有人取消时…届时电话通知 promised a call nobody could make."""
    day_id = _day(hall, clerk, slots="09:00-10:00/1")
    # a place given: no phone asked
    reception.book(hall, kiosk, day_id, Visitor("张建国", valid_id(seq=121)), source="自助终端")
    for actor, source in ((kiosk, "自助终端"), (clerk, "窗口")):
        with pytest.raises(ValidationError, match="候补须留联系电话") as refused:
            reception.book(hall, actor, day_id, Visitor("李梅", valid_id(seq=122)), source=source)
        assert refused.value.field == "phone" and "2026年9月30日（星期三）的接访已约满" in refused.value.message
    assert len(reception.appointments(hall, clerk, day_id)) == 1  # nobody put on a list that cannot call them
    waiting = reception.book(hall, kiosk, day_id, Visitor("李梅", valid_id(seq=122), "13857912345"), source="自助终端")
    assert waiting.waiting_position == 1 and waiting.appointment.phone == "138****2345"
    listing = tmp_path / "名单.csv"
    listing.write_text(f"姓名,身份证号,联系电话\n王强,{valid_id(seq=123)},\n", encoding="utf-8")
    result = reception.import_appointments(hall, clerk, day_id, listing)
    assert (result.booked, result.waiting) == (0, 0) and "候补须留联系电话" in result.refused[0]


def test_a_walk_in_waits_in_the_hall_without_a_phone(hall: Hall, clerk: Actor) -> None:
    """The clerk calls a walk-in in the hall: joining today's full day needs no phone number."""
    reception.add_day(hall, clerk, hall.today(), leaders=["县长 周建华"], slots="10:00-11:00/1")
    reception.book_today(hall, clerk, Visitor("张建国", valid_id(seq=124)))
    assert reception.book_today(hall, clerk, Visitor("李梅", valid_id(seq=125))).waiting_position == 1


def test_a_second_booking_is_refused_with_when_and_where_the_visitor_is_to_come(hall: Hall, clerk: Actor,
                                                                                  kiosk: Actor) -> None:
    """该来访人已预约12月15日的领导接访，无需重复预约 left the visitor not knowing at what time to come, nor where."""
    day = reception.add_day(hall, clerk, date(2026, 9, 30), leaders=["县长 周建华"], place="县信访局三楼接访室",
                            slots="09:00-10:00/1,10:00-11:00/1")
    reception.book(hall, kiosk, day.day_id, Visitor("张建国", valid_id(seq=131)), slot=1, source="自助终端")
    reception.book(hall, kiosk, day.day_id, Visitor("李梅", valid_id(seq=132)), slot=0, source="自助终端")
    reception.book(hall, kiosk, day.day_id, Visitor("王强", valid_id(seq=133), "13857912345"), source="自助终端")
    with pytest.raises(RuleViolation) as booked:
        reception.book(hall, kiosk, day.day_id, Visitor("张建国", valid_id(seq=131)), slot=0, source="自助终端")
    assert booked.value.message == ("该来访人已预约2026年9月30日（星期三） 10:00–11:00的领导接访，"
                                    "地点：县信访局三楼接访室，请按时前来，无需重复预约")
    with pytest.raises(RuleViolation) as waiting:
        reception.book(hall, clerk, day.day_id, Visitor("王强", valid_id(seq=133), "13857912345"))
    assert waiting.value.message == ("该来访人已登记2026年9月30日（星期三）领导接访的候补（第1位），"
                                     "有人取消时按顺序递补，无需重复预约")


def test_an_appointment_is_linked_to_the_visitors_latest_open_case(hall: Hall, clerk: Actor) -> None:
    case = register_visit(hall, clerk, form(id_number=valid_id(seq=201)))
    booking = reception.book(hall, clerk, _day(hall, clerk), Visitor("张建国", valid_id(seq=201)))
    assert booking.appointment.case_number == case.case_number


def _answered(hall: Hall, clerk: Actor, seq: int, request: str) -> str:
    """A matter of the visitor answered (已答复) today: its review window is open, its handling is done."""
    number = register_visit(hall, clerk, form(id_number=valid_id(seq=seq), request=request)).case_number
    cases.classify(hall, clerk, number, nature="申诉求决类", topic_code="0101")
    cases.accept(hall, clerk, number, accepted_on=hall.today())
    assert cases.answer(hall, clerk, number, outcome="解释说明", answered_on=hall.today()).state.value == "已答复"
    return number


def test_a_booking_concerns_the_visitors_unfinished_case_never_an_answered_one(hall: Hall, clerk: Actor) -> None:
    day_id = _day(hall, clerk, slots="09:00-10:00/5")
    _answered(hall, clerk, 211, "要求补发2025年度耕地地力保护补贴")
    alone = reception.book(hall, clerk, day_id, Visitor("许玉英", valid_id(seq=211)))
    assert alone.appointment.case_number == "" and alone.appointment.case_in_words == "尚未关联信访事项"
    # an earlier matter still being handled is the one, not a later one already answered
    open_one = register_visit(hall, clerk, form(id_number=valid_id(seq=212), request="要求处理邻居违建遮挡采光"))
    _answered(hall, clerk, 212, "要求补发2025年度耕地地力保护补贴")
    linked = reception.book(hall, clerk, day_id, Visitor("张洁", valid_id(seq=212)))
    assert linked.appointment.case_number == open_one.case_number
    assert linked.appointment.case_in_words == f"已关联{open_one.case_number}（诉求：要求处理邻居违建遮挡采光）"


def test_the_matter_registered_on_the_day_replaces_the_rules_link_never_a_clerks(hall: Hall, clerk: Actor,
                                                                                clock: FakeClock) -> None:
    day_id = _day(hall, clerk, slots="09:00-10:00/5")
    earlier = register_visit(hall, clerk, form(id_number=valid_id(seq=221), request="要求处理邻居违建")).case_number
    found = reception.book(hall, clerk, day_id, Visitor("张洁", valid_id(seq=221))).appointment
    other = register_visit(hall, clerk, form(id_number=valid_id(seq=222), request="要求解决拖欠工资")).case_number
    chosen = reception.book(hall, clerk, day_id, Visitor("李梅", valid_id(seq=222)), case_number=other).appointment
    assert (found.case_number, chosen.case_number) == (earlier, other)
    clock.advance(days=14)  # the reception day: both come, each with a new matter registered at the counter
    today = register_visit(hall, clerk, form(id_number=valid_id(seq=221), request="反映小区电梯停运"))
    assert reception.name_registered_case(hall, clerk, today.case_number) == 1
    again = register_visit(hall, clerk, form(id_number=valid_id(seq=222), request="反映小区电梯停运"))
    assert reception.name_registered_case(hall, clerk, again.case_number) == 0  # the clerk's choice stands
    listed = {a.appointment_id: a for a in reception.appointments(hall, clerk, day_id)}
    assert listed[found.appointment_id].case_number == today.case_number
    assert listed[found.appointment_id].case_in_words == f"已关联{today.case_number}（诉求：反映小区电梯停运）"
    assert listed[chosen.appointment_id].case_number == other
    assert reception.name_registered_case(hall, clerk, today.case_number) == 0  # linked already: nothing to do


def test_the_counter_is_told_of_todays_booking_once_the_id_number_is_known(hall: Hall, clerk: Actor,
                                                                            kiosk: Actor) -> None:
    """Said only after saving (已关联今日领导接访名单上的预约), the clerk learnt too late who was expected."""
    reception.add_day(hall, clerk, hall.today(), leaders=["县长 周建华"], place="县信访局三楼接访室",
                      slots="22:00-23:00/1")
    other = register_visit(hall, clerk, form(id_number=valid_id(seq=242), request="要求解决拖欠工资")).case_number
    reception.book(hall, kiosk, reception.list_days(hall, clerk)[0].day_id, Visitor("张建国", valid_id(seq=241)),
                   source="自助终端")
    reception.book_today(hall, clerk, Visitor("李梅", valid_id(seq=242)), case_number=other)
    reception.book_today(hall, clerk, Visitor("王强", valid_id(seq=243)))
    assert reception.booked_today(hall, clerk, valid_id(seq=241)) == (
        "此人已预约今日领导接访（县长 周建华）：22:00–23:00，地点：县信访局三楼接访室。"
        "登记本次事项后即自动关联到该预约，领导据此记录批示")
    assert reception.booked_today(hall, clerk, valid_id(seq=242)) == (
        f"此人已预约今日领导接访（县长 周建华）：候补第1位，有人取消时按顺序递补，地点：县信访局三楼接访室。"
        f"领导批示将记在{other}（诉求：要求解决拖欠工资）上")  # the clerk's choice stands
    first = register_visit(hall, clerk, form(id_number=valid_id(seq=241), request="要求处理邻居违建"))
    reception.name_registered_case(hall, clerk, first.case_number)  # registered once: a second matter moves it
    assert reception.booked_today(hall, clerk, valid_id(seq=241)).endswith(
        f"现已关联{first.case_number}（诉求：要求处理邻居违建），登记本次事项后即改为关联本次事项")
    assert reception.booked_today(hall, clerk, valid_id(seq=241).lower()) != ""  # as typed: a small x
    assert reception.booked_today(hall, clerk, valid_id(seq=244)) == ""  # not on the list
    assert reception.booked_today(hall, clerk, valid_id(seq=241)[:-3]) == ""  # half typed: nobody


def test_appointments_are_imported_from_csv_and_xlsx_row_by_row(hall: Hall, clerk: Actor, tmp_path: Path) -> None:
    day_id = _day(hall, clerk, "09:00-10:00/1,10:00-11:00/1")
    csv_file = tmp_path / "名单.csv"
    csv_file.write_text(f"姓名,身份证号,联系电话,人数,诉求,时段\n张建国,{valid_id(seq=301)},13857912345,1,工资,10:00\n"
                        f"李梅,33072619680312999X,,1,,\n\n", encoding="utf-8")
    result = reception.import_appointments(hall, clerk, day_id, csv_file)
    assert (result.booked, result.waiting) == (1, 0)
    assert len(result.refused) == 1 and result.refused[0].startswith("第3行：")
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["姓名", "身份证号", "联系电话", "人数"])
    for seq in (302, 303):
        sheet.append(["王强", valid_id(seq=seq), f"13857912{seq}", 2])
    xlsx = tmp_path / "名单.xlsx"
    book.save(xlsx)
    result = reception.import_appointments(hall, clerk, day_id, xlsx)
    assert (result.booked, result.waiting, result.refused) == (1, 1, ())
    listed = reception.appointments(hall, clerk, day_id)
    assert [a.source for a in listed] == ["导入"] * 3 and listed[0].slot_label == "9:00–10:00"


def test_an_imported_list_names_its_slot_as_the_lists_and_the_slip_write_it(hall: Hall, clerk: Actor,
                                                                             tmp_path: Path) -> None:
    """A list's 时段 as the exported list writes it (9:00–10:00) or as typed (09:00) books that slot, not the first."""
    day_id = _day(hall, clerk, "08:00-09:00/2,09:00-10:00/2")
    csv_file = tmp_path / "名单.csv"
    csv_file.write_text(f"姓名,身份证号,时段\n张建国,{valid_id(seq=311)},9:00–10:00\n李梅,{valid_id(seq=312)},09:00\n",
                        encoding="utf-8")
    result = reception.import_appointments(hall, clerk, day_id, csv_file)
    assert (result.booked, result.refused) == (2, ())
    assert [a.slot_label for a in reception.appointments(hall, clerk, day_id)] == ["9:00–10:00"] * 2


def test_the_office_is_told_five_days_ahead_with_a_list_to_print_or_export(hall: Hall, clerk: Actor,
                                                                           clock: FakeClock) -> None:
    near = reception.add_day(hall, clerk, date(2026, 9, 21), leaders=["县长 周建华"], place="接访室")
    far = reception.add_day(hall, clerk, date(2026, 9, 28), leaders=["副县长 李明"])
    reception.book(hall, clerk, near.day_id, Visitor("张建国", valid_id(seq=401), persons_count=2, summary="欠薪"))
    reception.book(hall, clerk, far.day_id, Visitor("李梅", valid_id(seq=402)))
    due = reception.due_office_notices(hall, clerk)
    assert [n.day.day for n in due] == [date(2026, 9, 21)] and due[0].tell_on == date(2026, 9, 16)
    assert "张建国" in due[0].csv_text() and "欠薪" in due[0].csv_text()  # the office's list names people in full
    document = reception.office_notice_document(hall, clerk, near.day_id)
    assert document.title == "领导接访预约名单" and "张建国" in document.data["lines"]
    assert (document.data["count"], document.data["waiting_count"]) == (1, 0)


def test_a_list_due_on_a_rest_day_goes_out_the_working_day_before(hall: Hall, clerk: Actor, clock: FakeClock) -> None:
    """On Friday 9 January the office gets the list of Thursday the 15th (five days ahead is the Saturday)."""
    clock.current = clock.current.replace(year=2026, month=1, day=9)
    day = reception.add_day(hall, clerk, date(2026, 1, 15), leaders=["县长 周建华"])
    reception.book(hall, clerk, day.day_id, Visitor("张建国", valid_id(seq=403)))
    (due,) = reception.due_office_notices(hall, clerk)
    assert due.day.day == date(2026, 1, 15) and due.tell_on == date(2026, 1, 9)
    assert reception.office_notice_on(hall, date(2026, 1, 15)) == date(2026, 1, 9)


def test_the_offices_list_counts_the_waiting_list_apart(hall: Hall, clerk: Actor) -> None:
    day_id = _day(hall, clerk, slots="09:00-10:00/1")
    for seq in (411, 412, 413):
        reception.book(hall, clerk, day_id, Visitor("张建国", valid_id(seq=seq), f"13857912{seq}"))
    document = reception.office_notice_document(hall, clerk, day_id)
    assert (document.data["count"], document.data["waiting_count"]) == (1, 2)  # booked 1, not 3
    assert document.data["lines"].count("候补") == 2


def test_the_slip_shows_the_slot_and_a_masked_name(hall: Hall, clerk: Actor, kiosk: Actor) -> None:
    booking = reception.book(hall, kiosk, _day(hall, clerk), Visitor("欧阳建华", valid_id(seq=501)),
                             source="自助终端")
    slip = reception.appointment_slip(hall, kiosk, booking.appointment.appointment_id)
    assert slip.media.value == "80mm" and slip.data["slot"] == "9:00–10:00"
    assert "欧阳建华" not in repr(slip.data)



@pytest.mark.parametrize("phone", ["0579-84100000", ""])
def test_the_slip_prints_the_halls_phone_number_as_the_registration_receipt_does(
        engine: Engine, clock: FakeClock, clerk: Actor, kiosk: Actor, phone: str) -> None:
    """The slip asks a visitor who cannot come to phone: the hall's number (its setting, else the petition
    bureau's in the directory, as on the 登记回执), "" where there is none (then it does not ask)."""
    from desktop.services.documents import hall_contacts

    hall = make_hall(engine, clock, hall_phone=phone)
    booking = reception.book(hall, kiosk, _day(hall, clerk), Visitor("欧阳建华", valid_id(seq=505)), source="自助终端")
    slip = reception.appointment_slip(hall, kiosk, booking.appointment.appointment_id)
    assert slip.data["hall_phone"] == hall_contacts(hall)["hall_phone"] == (phone or _bureau_phone())


def _bureau_phone() -> str:
    """The directory's phone number of the hall's own petition bureau (the settings' default ``bureau_code``)."""
    from desktop.services.reference import load_directory

    bureau = load_directory().get("330726-XFJ")
    return bureau.phone if bureau is not None else ""

# -- the dossier, the decision and after ----------------------------------------------------------------

def _booked_case(hall: Hall, clerk: Actor, seq: int = 601) -> tuple[str, str]:
    case = register_visit(hall, clerk, form(name="欧阳建华", id_number=valid_id(seq=seq)))
    cases.classify(hall, clerk, case.case_number, nature="申诉求决类", topic_code="0101")
    booking = reception.book(hall, clerk, _day(hall, clerk), Visitor("欧阳建华", valid_id(seq=seq), persons_count=3))
    return booking.appointment.appointment_id, case.case_number


def test_the_dossier_is_masked_and_one_reveal_is_one_audit_entry(hall: Hall, clerk: Actor) -> None:
    appointment_id, number = _booked_case(hall, clerk)
    leaderday.annotate(hall, clerk, appointment_id, "来电称已向镇里反映过两次")
    masked = leaderday.dossier(hall, LEADER, appointment_id)
    assert masked.appointment.name == "欧阳**" and not masked.revealed
    (case,) = masked.cases
    assert case.case_number == number and [e.what for e in case.events][:2] == ["登记", "分类"]
    assert masked.notes[0].author == "王丽" and "两次" in masked.notes[0].text
    assert list_audit(hall, Actor.system(), AuditQuery(action="查看完整个人信息")) == []
    full = leaderday.dossier(hall, LEADER, appointment_id, reveal=True)
    assert full.appointment.name == "欧阳建华" and full.cases[0].case_number == number
    (entry,) = list_audit(hall, Actor.system(), AuditQuery(action="查看完整个人信息"))
    assert entry.detail["cases"] == [number]
    brief = leaderday.briefing_document(hall, LEADER, appointment_id)
    assert brief.title == "领导接访情况简报" and number in brief.data["cases_text"]


def test_the_dossier_names_each_material_as_the_case_screen_has_it(hall: Hall, clerk: Actor) -> None:
    """What the viewer needs of each material (its hash, name, size, kind), withheld with an accusation's content."""
    photo = attachments.store_bytes(hall, clerk, "现场照片.jpg", b"\xff\xd8\xff\xe0 a photo")
    letter = attachments.store_bytes(hall, clerk, "来信.txt", "电梯停运三个月".encode())
    number = register_visit(hall, clerk, form(name="欧阳建华", id_number=valid_id(seq=611), attachments=(
        photo.as_payload(), letter.as_payload()))).case_number
    secret = attachments.store_bytes(hall, clerk, "举报材料.pdf", b"%PDF-1.4 secret")
    accusation = register_visit(hall, clerk, form(name="欧阳建华", id_number=valid_id(seq=611),
                                                  attachments=(secret.as_payload(),))).case_number
    cases.classify(hall, clerk, accusation, nature="检举控告类", topic_code="1202", accused_org_codes=["330726-ZJJ"])
    booking = reception.book(hall, clerk, _day(hall, clerk), Visitor("欧阳建华", valid_id(seq=611)))
    appointment_id = booking.appointment.appointment_id
    for reader in (LEADER, Actor("staff:zjjld", "住建局局长", "leader", org_code="330726-ZJJ")):
        shown = {c.case_number: c.attachments for c in leaderday.dossier(hall, reader, appointment_id).cases}
        assert shown[number] == (photo, letter) == cases.load_case(hall, reader, number).attachments
    revealed = {c.case_number: c.attachments for c in leaderday.dossier(hall, LEADER, appointment_id,
                                                                          reveal=True).cases}
    assert revealed[number] == (photo, letter)
    assert {c.case_number: c.attachments for c in leaderday.dossier(hall, LEADER, appointment_id).cases}[
        accusation] == (secret,)  # a leader who may read accusations opens their materials too
    accused = Actor("staff:zjjld", "住建局局长", "leader", org_code="330726-ZJJ")
    withheld = {c.case_number: c for c in leaderday.dossier(hall, accused, appointment_id).cases}[accusation]
    assert withheld.withheld and withheld.attachments == ()  # as the case screen, which refuses it outright
    brief = leaderday.briefing_document(hall, LEADER, appointment_id)
    assert "材料：现场照片.jpg、来信.txt" in brief.data["cases_text"]  # the A4 brief names them


def test_an_accused_units_leader_reveals_the_dossier_with_the_accusation_still_withheld(hall: Hall,
                                                                                      clerk: Actor) -> None:
    """显示完整信息 shows the visitor's other cases in full; the accusation against the reader's unit stays out."""
    number = register_visit(hall, clerk, form(name="欧阳建华", id_number=valid_id(seq=612))).case_number
    accusation = register_visit(hall, clerk, form(name="欧阳建华", id_number=valid_id(seq=612),
                                                  request="举报县住建局某科长索要好处费")).case_number
    cases.classify(hall, clerk, accusation, nature="检举控告类", topic_code="1202", accused_org_codes=["330726-ZJJ"])
    booking = reception.book(hall, clerk, _day(hall, clerk), Visitor("欧阳建华", valid_id(seq=612)))
    accused = Actor("staff:zjjld", "住建局局长", "leader", org_code="330726-ZJJ")
    full = leaderday.dossier(hall, accused, booking.appointment.appointment_id, reveal=True)
    shown = {c.case_number: c for c in full.cases}
    assert full.revealed and full.appointment.name == "欧阳建华"
    assert not shown[number].withheld and shown[number].request.startswith("反映浦阳街道")
    assert shown[accusation].withheld and "索要好处费" not in repr(shown[accusation])
    (entry,) = list_audit(hall, Actor.system(), AuditQuery(action="查看完整个人信息"))
    assert entry.detail["cases"] == [number]  # one reveal, of what was shown in full


def test_the_dossier_says_a_history_of_five_cases_in_other_units_in_one_sentence(hall: Hall, clerk: Actor) -> None:
    """Five earlier cases with five units: the leader reads the whole history in words before the visitor sits."""
    units = ["330726-ZJJ", "330726-RSJ", "330726-JW", "330726-ZRZY", "330726-NYNC"]
    requests = ["反映小区电梯长期停运", "反映工资被拖欠三个月", "反映学校食堂收费过高", "反映宅基地界址纠纷",
                "反映土地流转租金未付"]
    numbers = []
    for n, (unit, request) in enumerate(zip(units, requests, strict=True)):
        number = register_visit(hall, clerk, form(name="欧阳建华", id_number=valid_id(seq=621),
                                                  request=request)).case_number
        cases.classify(hall, clerk, number, nature="申诉求决类", topic_code="0101")
        cases.record(hall, clerk, number, EventType.TRANSFERRED, {"route_kind": "转送", "organisation_code": unit})
        if n < 3:
            cases.accept(hall, clerk, number, accepted_on=date(2026, 9, 16))
            cases.answer(hall, clerk, number, outcome="不予支持", answered_on=date(2026, 9, 16))
        if n == 0:
            cases.record(hall, clerk, number, EventType.RATED, {"rating": "不满意", "target": "信访部门"})
        numbers.append(number)
    booking = reception.book(hall, clerk, _day(hall, clerk), Visitor("欧阳建华", valid_id(seq=621)))
    appointment_id = booking.appointment.appointment_id
    dossier = leaderday.dossier(hall, LEADER, appointment_id)

    assert len(dossier.cases) == 5 and dossier.appointment.case_number in numbers
    assert dossier.history == ("共5件（含本次事项）：已转送2件、已答复3件；责任单位：浦江县农业农村局、"
                               "浦江县自然资源和规划局、浦江县纪委监委、浦江县人力资源和社会保障局、浦江县住房和城乡建设局；"
                               "评价不满意1件")  # newest first, as the cases below
    assert "XF-" not in dossier.history and "330726" not in dossier.history  # words, no numbers or codes
    brief = leaderday.briefing_document(hall, LEADER, appointment_id)
    assert brief.data["history"] == dossier.history


def test_the_brief_reads_cleanly_for_a_long_history(hall: Hall, clerk: Actor) -> None:
    """A request ending in a full stop gets no second one; steps left out of a long history are said."""
    case = register_visit(hall, clerk, form(name="欧阳建华", id_number=valid_id(seq=611),
                                            request="反映村道损毁多年未修。"))
    number = case.case_number
    cases.classify(hall, clerk, number, nature="申诉求决类", topic_code="0101")
    for n in range(6):
        cases.record(hall, clerk, number, EventType.MATERIAL_ADDED, {"material": f"补充材料{n + 1}"})
    booking = reception.book(hall, clerk, _day(hall, clerk), Visitor("欧阳建华", valid_id(seq=611)))
    text = leaderday.briefing_document(hall, LEADER, booking.appointment.appointment_id).data["cases_text"]
    assert "。。" not in text and "反映村道损毁多年未修。办理经过：（此前2步从略）" in text


def test_the_leaders_decision_records_events_and_fills_in_the_form(hall: Hall, clerk: Actor, clock: FakeClock) -> None:
    appointment_id, number = _booked_case(hall, clerk)
    with pytest.raises(ValidationError, match="接访日（9月30日）还没到"):  # not before the visitor is received
        leaderday.record_decision(hall, LEADER, appointment_id, instruction="限期解决")
    clock.advance(days=14)  # 2026-09-30, the reception day
    with pytest.raises(ValidationError, match="责任单位"):
        leaderday.record_decision(hall, LEADER, appointment_id, instruction="限期解决", take_on=True)
    with pytest.raises(RuleViolation, match="包案与批示"):
        leaderday.record_decision(hall, clerk, appointment_id, instruction="限期解决")
    decision = leaderday.record_decision(hall, LEADER, appointment_id, instruction="请县人力社保局牵头限期解决",
                                         decision="包案化解", take_on=True, unit_codes=["330726-RSJ"])
    # 访后限期办结: 30 days from the reception day (2026-09-30), the default of the setting
    assert decision.due == date(2026, 10, 30) and decision.view.leader == "周建华"
    assert decision.view.leader_due == date(2026, 10, 30) and decision.view.leader_unit == "浦江县人力资源和社会保障局"
    events = cases.load_case(hall, LEADER, number).events
    assert [e.type for e in events][-2:] == [EventType.INSTRUCTED, EventType.LEADER_TAKEN]
    form_doc = leaderday.assignment_form(hall, LEADER, number)
    assert form_doc.data["leader"] == "周建华" and form_doc.data["recipient_name"] == "浦江县人力资源和社会保障局"
    assert form_doc.data["instruction"] == "请县人力社保局牵头限期解决" and form_doc.data["due"] == "2026-10-30"
    listed = reception.appointments(hall, LEADER, reception.list_days(hall, LEADER)[0].day_id)
    assert listed[0].status == "已接待" and listed[0].taken_on


def test_the_units_form_gives_the_phone_and_request_of_the_day_and_the_dossier_a_running_baoan(
        hall: Hall, clerk: Actor, clock: FakeClock) -> None:
    number = register_visit(hall, clerk, form(name="欧阳建华", id_number=valid_id(seq=631),
                                              phone="13857912345")).case_number
    cases.classify(hall, clerk, number, nature="申诉求决类", topic_code="0101")
    booking = reception.book(hall, clerk, _day(hall, clerk), Visitor("欧阳建华", valid_id(seq=631), "13900001111",
                                                                     summary="电梯又停运一个月，要求更换电梯"))
    clock.advance(days=14)  # the reception day
    leaderday.record_decision(hall, LEADER, booking.appointment.appointment_id, instruction="请县住建局限期解决",
                              take_on=True, unit_codes=["330726-RSJ"])
    data = leaderday.assignment_form(hall, LEADER, number).data  # the leader sees names and phones in full
    assert (data["phone"], data["case_phone"]) == ("13900001111", "13857912345")
    assert data["visit_request"] == "电梯又停运一个月，要求更换电梯" and data["request"] == form().request
    assert not data["request_alone"]
    history = leaderday.dossier(hall, LEADER, booking.appointment.appointment_id).history
    assert "由周建华包案（2026年9月30日起）" in history and "曾由" not in history
    cases.accept(hall, clerk, number, accepted_on=hall.today())
    cases.answer(hall, clerk, number, outcome="予以支持", answered_on=hall.today())
    history = leaderday.dossier(hall, LEADER, booking.appointment.appointment_id).history
    assert "曾由周建华包案" in history and "由周建华包案（" not in history


def test_a_baoan_deadline_on_a_holiday_or_in_a_year_not_imported_is_pointed_out() -> None:
    calendar = HolidayCalendar.builtin()
    assert due_note(date(2026, 10, 30), calendar) == ""  # a Friday of a year imported
    assert due_note(date(2026, 10, 10), calendar) == ""  # a Saturday worked (调休)
    assert "2026年10月3日（国庆节）不是工作日" in due_note(date(2026, 10, 3), calendar)
    assert "2026年10月11日（休息日）不是工作日" in due_note(date(2026, 10, 11), calendar)
    assert not calendar.knows_year(2040)
    note = due_note(date(2040, 1, 1), calendar)  # across New Year into a year whose holidays are unknown
    assert "2040年1月1日（休息日）不是工作日" in note and "2040年的节假日安排尚未导入" in note


def test_the_leader_is_told_when_the_chosen_deadline_falls_on_a_holiday(hall: Hall, clerk: Actor,
                                                                       clock: FakeClock) -> None:
    appointment_id, _number = _booked_case(hall, clerk)
    clock.advance(days=14)  # 2026-09-30, the reception day
    decision = leaderday.record_decision(hall, LEADER, appointment_id, instruction="节前办结", take_on=True,
                                         unit_codes=["330726-RSJ"], due=date(2026, 10, 3))
    assert decision.due == date(2026, 10, 3) and "（国庆节）不是工作日" in decision.note  # kept, and said
    assert leaderday.deadline_note(hall, date(2026, 10, 30)) == ""


def test_a_notice_typed_with_a_short_unit_name_and_previewed_twice_is_audited_once(hall: Hall, clerk: Actor) -> None:
    from desktop.documents.model import DocumentKind
    from desktop.services import documents

    case = register_visit(hall, clerk, form(name="欧阳建华"))
    fields = {"organisation_code": "县人力社保局", "due": "2026-10-30", "instruction": "限期解决"}
    with pytest.raises(ValidationError):  # no leader named and a clerk is not one: nothing is audited
        documents.notice(hall, clerk, DocumentKind.LEADER_ASSIGNMENT_FORM, case.case_number, fields)
    assert list_audit(hall, Actor.system(), AuditQuery(action="查看完整个人信息")) == []
    for _ in range(2):
        doc = documents.notice(hall, LEADER, DocumentKind.LEADER_ASSIGNMENT_FORM, case.case_number, fields)
    assert doc.data["leader"] == "周建华" and doc.data["recipient_name"] == "浦江县人力资源和社会保障局"
    assert len(list_audit(hall, Actor.system(), AuditQuery(action="查看完整个人信息"))) == 1


def test_the_board_tracks_taken_cases_to_conclusion_and_counts_reminders(hall: Hall, clerk: Actor,
                                                                        clock: FakeClock) -> None:
    appointment_id, number = _booked_case(hall, clerk)
    clock.advance(days=14)  # 2026-09-30, the reception day
    leaderday.record_decision(hall, LEADER, appointment_id, instruction="限期解决", take_on=True,
                              unit_codes=["330726-RSJ"], due=date(2026, 10, 4))
    leaderday.urge(hall, LEADER, number, "请加快办理")
    clock.advance(days=6)  # 2026-10-06: two days overdue
    (row,) = leaderday.board(hall, LEADER)
    assert (row.days_left, row.overdue, row.reminders, row.concluded) == (-2, True, 1, False)
    assert row.progress.endswith("督办") and row.petitioner == "欧阳**"
    cases.accept(hall, clerk, number, accepted_on=date(2026, 10, 6))
    cases.answer(hall, clerk, number, outcome="予以支持", answered_on=date(2026, 10, 6))
    (row,) = leaderday.board(hall, LEADER)
    assert row.concluded and not row.overdue


def test_a_unit_past_its_deadline_is_replaced_or_given_more_time_from_the_board(hall: Hall, clerk: Actor,
                                                                                clock: FakeClock) -> None:
    appointment_id, number = _booked_case(hall, clerk)
    clock.advance(days=14)  # 2026-09-30, the reception day
    leaderday.record_decision(hall, LEADER, appointment_id, instruction="限期解决", take_on=True,
                              unit_codes=["330726-RSJ"], due=date(2026, 10, 4))
    clock.advance(days=6)  # 2026-10-06: two days overdue
    with pytest.raises(ValidationError, match="理由"):
        leaderday.reassign(hall, LEADER, number, unit_codes=["330726-ZJJ"], due=date(2026, 11, 5), reason=" ")
    with pytest.raises(ValidationError, match="晚于今天"):
        leaderday.reassign(hall, LEADER, number, unit_codes=["330726-ZJJ"], due=date(2026, 10, 6), reason="逾期")
    with pytest.raises(ValidationError, match="机构目录"):
        leaderday.reassign(hall, LEADER, number, unit_codes=["人社局"], due=date(2026, 11, 5), reason="逾期")
    with pytest.raises(RuleViolation):
        leaderday.reassign(hall, clerk, number, unit_codes=["330726-ZJJ"], due=date(2026, 11, 5), reason="逾期")
    other = register_visit(hall, clerk, form(name="李梅", id_number=valid_id(seq=602))).case_number
    with pytest.raises(RuleViolation, match="还没有领导包案"):
        leaderday.reassign(hall, LEADER, other, unit_codes=["330726-ZJJ"], due=date(2026, 11, 5), reason="逾期")
    view = leaderday.reassign(hall, LEADER, number, unit_codes=["330726-ZJJ"], due=date(2026, 11, 5),
                              reason="原责任单位逾期未办结")
    assert (view.leader_unit, view.leader_due) == ("浦江县住房和城乡建设局", date(2026, 11, 5))
    (row,) = leaderday.board(hall, LEADER)
    assert (row.unit, row.days_left, row.overdue) == ("浦江县住房和城乡建设局", 30, False)
    form_doc = leaderday.assignment_form(hall, LEADER, number)  # the 交办单 goes to the new unit
    assert form_doc.data["recipient_name"] == "浦江县住房和城乡建设局" and form_doc.data["due"] == "2026-11-05"
    # no unit chosen: the same unit, a later deadline; another leader reassigning it leaves the leader in charge
    deputy = Actor("staff:lingdao2", "李明", "leader")
    view = leaderday.reassign(hall, deputy, number, unit_codes=[], due=date(2026, 11, 19), reason="需现场核查")
    assert (view.leader_unit, view.leader_due, view.leader) == ("浦江县住房和城乡建设局", date(2026, 11, 19), "周建华")
    from server.validation import check_payload  # the event goes to the server as it is: its fields are a 包案's

    taken = [e for e in cases.load_case(hall, LEADER, number).events if e.type is EventType.LEADER_TAKEN]
    assert len(taken) == 3
    for event in taken:
        check_payload(event.type, event.payload)
    steps = [e for e in leaderday.dossier(hall, LEADER, appointment_id).cases[0].events if e.what == "包案"]
    assert [e.text for e in steps][1:] == ["改派浦江县住房和城乡建设局：原责任单位逾期未办结（期限2026年11月5日）",
                                           "改派浦江县住房和城乡建设局：需现场核查（期限2026年11月19日）"]


def test_a_case_answered_before_the_leader_took_it_on_is_followed_until_answered_again(
        hall: Hall, clerk: Actor, clock: FakeClock) -> None:
    """The visitor comes back dissatisfied with an answer: the old answer concludes nothing the leader asked for."""
    appointment_id, number = _booked_case(hall, clerk, 901)  # received on 2026-09-30
    cases.accept(hall, clerk, number, accepted_on=date(2026, 9, 16))
    cases.answer(hall, clerk, number, outcome="不予支持", answered_on=date(2026, 9, 16))
    cases.deliver(hall, clerk, number, delivered_on=date(2026, 9, 16))
    clock.advance(days=14)  # 2026-09-30, the reception day
    leaderday.record_decision(hall, LEADER, appointment_id, instruction="请复查", take_on=True,
                              unit_codes=["330726-RSJ"], due=date(2026, 10, 30))
    (row,) = leaderday.board(hall, LEADER)
    assert (row.concluded, row.days_left, row.state) == (False, 30, "已答复")
    supervisor = Actor("staff:zhaomin", "赵敏", "supervisor")
    (stats,) = leaderday.leader_day_statistics(hall, supervisor)
    assert (stats.assigned, stats.concluded_on_time) == (1, 0)
    cases.request_review(hall, clerk, number, requested_on=date(2026, 9, 30))
    clock.advance(days=10)
    cases.answer(hall, clerk, number, outcome="予以支持", answered_on=date(2026, 10, 10),
                 event_type=EventType.REVIEW_ANSWERED)
    (row,) = leaderday.board(hall, LEADER)
    assert row.concluded and not row.overdue
    (stats,) = leaderday.leader_day_statistics(hall, supervisor)
    assert stats.concluded_on_time == 1


def test_backlog_cases_by_the_configurable_rule(engine: object, clock: FakeClock, clerk: Actor) -> None:
    hall = make_hall(engine, clock, backlog_days=30)  # type: ignore[arg-type]
    old = register_visit(hall, clerk, form(id_number=valid_id(seq=701)))
    clock.advance(days=40)
    register_visit(hall, clerk, form(name="李梅", id_number=valid_id(seq=702), request="反映村道损毁"))
    listed = leaderday.backlog_cases(hall, clerk)
    assert [b.case_number for b in listed] == [old.case_number] and listed[0].reason == "登记已40天未办结"
    cases.classify(hall, clerk, old.case_number, nature="申诉求决类", topic_code="0101")
    cases.accept(hall, clerk, old.case_number, accepted_on=clock().date())
    cases.answer(hall, clerk, old.case_number, outcome="解释说明", answered_on=clock().date())
    assert leaderday.backlog_cases(hall, clerk) == []


def test_statistics_per_leader_and_day(hall: Hall, clerk: Actor, clock: FakeClock) -> None:
    first, number = _booked_case(hall, clerk, 801)
    day_id = reception.list_days(hall, clerk)[0].day_id
    second = reception.book(hall, clerk, day_id, Visitor("李梅", valid_id(seq=802), persons_count=2)).appointment
    late_case = register_visit(hall, clerk, form(name="李梅", id_number=valid_id(seq=802)))
    reception.link_case(hall, clerk, second.appointment_id, late_case.case_number)
    clock.advance(days=14)  # 2026-09-30, the reception day
    leaderday.record_decision(hall, LEADER, first, instruction="限期解决", take_on=True, unit_codes=["330726-RSJ"],
                              due=date(2026, 10, 10))
    leaderday.record_decision(hall, LEADER, second.appointment_id, instruction="做好解释")
    cases.accept(hall, clerk, number, accepted_on=date(2026, 9, 20))
    clock.advance(days=9)  # 2026-10-09
    cases.answer(hall, clerk, number, outcome="予以支持", answered_on=date(2026, 10, 9))
    cases.record(hall, Actor.kiosk("K01"), number, EventType.RATED, {"rating": "满意"})
    supervisor = Actor("staff:zhaomin", "赵敏", "supervisor")
    (stats,) = leaderday.leader_day_statistics(hall, supervisor)
    assert (stats.day, stats.leader, stats.batches, stats.persons) == (date(2026, 9, 30), "周建华", 2, 5)
    assert (stats.assigned, stats.concluded_on_time, stats.rated, stats.satisfied) == (1, 1, 1, 1)


def test_the_brief_puts_one_full_stop_after_a_step_and_dates_its_documents_in_words(hall: Hall, clerk: Actor,
                                                                                    clock: FakeClock) -> None:
    """批示 依法答复。 read 依法答复。。文书：… and the documents were dated 2026-09-30."""
    from desktop.printing.simulated import SimulatedPrinter
    from desktop.services import printing

    appointment_id, number = _booked_case(hall, clerk, seq=631)
    clock.advance(days=14)  # 2026-09-30, the reception day
    leaderday.record_decision(hall, LEADER, appointment_id, instruction="依法答复。", take_on=True,
                              unit_codes=["330726-RSJ"])
    printed = printing.print_document(hall, LEADER, leaderday.assignment_form(hall, LEADER, number), None,
                                      SimulatedPrinter())
    assert printed.printed
    dossier = leaderday.dossier(hall, LEADER, appointment_id)
    (document,) = dossier.cases[0].documents
    on = hall.today()
    assert f"（{on.year}年{on.month}月{on.day}日，" in document and on.isoformat() not in document
    text = leaderday.briefing_document(hall, LEADER, appointment_id).data["cases_text"]
    assert "依法答复；" in text or "依法答复。文书：" in text
    assert "。。" not in text and "；。" not in text and on.isoformat() not in text


def test_the_case_timeline_says_who_must_do_what_by_when(hall: Hall, clerk: Actor, clock: FakeClock) -> None:
    """批示 its text, 包案 its leader, unit and deadline, 转送 and 交办 their unit and deadline: in words, no codes."""
    import re

    from desktop.domain.calendar import date_near
    from desktop.domain.deadlines import UNIT_NOTIFY

    clock.advance(days=14)  # 2026-09-30, the reception day: the visitor's case registered and decided on it
    appointment_id, number = _booked_case(hall, clerk)
    leaderday.record_decision(hall, LEADER, appointment_id, instruction="请县人力社保局牵头限期解决",
                              decision="包案化解", take_on=True, unit_codes=["330726-RSJ"])
    shown = cases.load_case(hall, clerk, number).timeline
    said = {e.what: e.text for e in shown}
    # the leader's account is not on this PC (shown by its login): the leader is named in the words
    assert said["批示"] == "周建华批示：请县人力社保局牵头限期解决；决定：包案化解"
    assert said["包案"] == "包案领导周建华，责任单位浦江县人力资源和社会保障局，10月30日前办结"
    today = hall.today()
    moved = register_visit(hall, clerk, form(name="张伟", id_number=valid_id(seq=602))).case_number
    cases.classify(hall, clerk, moved, nature="申诉求决类", topic_code="0101")
    cases.record(hall, clerk, moved, EventType.TRANSFERRED, {"route_kind": "转送", "organisation_code": "330726-ZJJ"})
    notify = hall.policy.due(UNIT_NOTIFY, today).due
    transfer = cases.load_case(hall, clerk, moved).timeline[-1]
    assert transfer.what == "转送" and notify > today
    assert transfer.text == f"浦江县住房和城乡建设局，{date_near(notify, today)}前告知是否受理"
    handed = register_visit(hall, clerk, form(name="李娜", id_number=valid_id(seq=603))).case_number
    cases.classify(hall, clerk, handed, nature="申诉求决类", topic_code="0101")
    clock.advance(days=1)  # handed over on paper on the day it came, recorded the next day
    cases.record(hall, clerk, handed, EventType.ASSIGNED, {"route_kind": "交办", "organisation_code": "330726-ZJJ",
                                                           "due": "2026-10-16", "routed_on": today.isoformat()})
    assert cases.load_case(hall, clerk, handed).timeline[-1].text == (
        f"浦江县住房和城乡建设局（{date_near(today, today)}交办），10月16日前办结并报送结果")
    # when: 9月16日 09:30 this year; never an ISO date or a unit's code
    assert all(re.fullmatch(rf"{today.month}月{today.day}日 \d\d:\d\d", e.when) for e in shown)
    everything = " ".join(f"{e.when} {e.text}" for e in shown)
    assert not re.search(r"\d{4}-\d\d-\d\d|330726-", everything)
    # the dossier keeps its own short line for the same 包案
    dossier = leaderday.dossier(hall, LEADER, appointment_id)
    assert dossier.cases[0].events[-1].text == "浦江县人力资源和社会保障局（期限2026年10月30日）"


def test_a_concluded_baoan_is_neither_urged_nor_reassigned(hall: Hall, clerk: Actor, clock: FakeClock) -> None:
    """The board's 已办结 (answered since the leader took it on): 督办 and 改派 are refused in words, nothing is
    recorded on the case — a reminder on a case answered two years ago read as if it were still open."""
    appointment_id, number = _booked_case(hall, clerk)
    clock.advance(days=14)  # 2026-09-30, the reception day
    leaderday.record_decision(hall, LEADER, appointment_id, instruction="限期解决", take_on=True,
                              unit_codes=["330726-RSJ"], due=date(2026, 10, 30))
    leaderday.urge(hall, LEADER, number, "请加快办理")  # still open: urged
    cases.accept(hall, clerk, number, accepted_on=date(2026, 10, 6))
    cases.answer(hall, clerk, number, outcome="予以支持", answered_on=date(2026, 10, 6))
    (row,) = leaderday.board(hall, LEADER)
    assert row.concluded and row.reminders == 1
    events = len(cases.load_case(hall, LEADER, number).events)
    with pytest.raises(RuleViolation, match=f"{number}已办结（已答复），无需督办"):
        leaderday.urge(hall, LEADER, number, "请报告进展")
    with pytest.raises(RuleViolation, match="已办结（已答复），不能再改派或调整期限"):
        leaderday.reassign(hall, LEADER, number, unit_codes=["330726-ZJJ"], due=date(2026, 11, 5), reason="逾期")
    assert len(cases.load_case(hall, LEADER, number).events) == events
    assert leaderday.board(hall, LEADER)[0].reminders == 1


def test_the_board_puts_open_cases_first_then_the_latest_concluded(hall: Hall, clerk: Actor,
                                                                    clock: FakeClock) -> None:
    """Concluded 包案 come after the open ones, the one concluded last on top: a leader looking back reads last
    week's before a case concluded two years ago (they had been listed oldest first)."""
    day_id = _day(hall, clerk, slots="09:00-11:00/3")
    booked = []
    for seq in (611, 612, 613):
        number = register_visit(hall, clerk, form(name="欧阳建华", id_number=valid_id(seq=seq))).case_number
        cases.classify(hall, clerk, number, nature="申诉求决类", topic_code="0101")
        booking = reception.book(hall, clerk, day_id, Visitor("欧阳建华", valid_id(seq=seq)))
        booked.append((booking.appointment.appointment_id, number))
    clock.advance(days=14)  # 2026-09-30, the reception day
    for appointment_id, _number in booked:
        leaderday.record_decision(hall, LEADER, appointment_id, instruction="限期解决", take_on=True,
                                  unit_codes=["330726-RSJ"], due=date(2026, 11, 30))
    first, second, still_open = (number for _id, number in booked)
    for number, day in ((first, date(2026, 10, 6)), (second, date(2026, 10, 20))):
        clock.advance(days=7)
        cases.accept(hall, clerk, number, accepted_on=day)
        cases.answer(hall, clerk, number, outcome="予以支持", answered_on=day)
    rows = leaderday.board(hall, LEADER)
    assert [(r.case_number, r.concluded) for r in rows] == [(still_open, False), (second, True), (first, True)]
