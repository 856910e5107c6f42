"""The hall's day where the queue computes it: tickets in the opening hours, 领导接访 numbers on reception days."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from desktop.config import load_settings, with_values
from desktop.domain.access import Actor
from desktop.domain.errors import RuleViolation, ValidationError
from desktop.domain.hours import DEFAULT_HOURS
from desktop.domain.queue import QueueAction, TicketSource
from desktop.domain.roles import PermissionDenied
from desktop.services import opening_hours, queue, reception
from desktop.services.context import Hall
from tests.conftest import FakeClock
from tests.helpers import valid_id

ADMIN = Actor("staff:guanli", "管理员", "admin")


@pytest.fixture(autouse=True)
def hours(hall: Hall) -> None:
    """The default opening hours (the shared fixtures leave them open: their tests move the clock anywhere)."""
    hall.use_settings(with_values(hall.settings, {"hall_hours": DEFAULT_HOURS}))


def _at(clock: FakeClock, moment: datetime) -> None:
    clock.current = moment


def test_the_kiosk_issues_no_ticket_outside_the_hours_and_says_when_the_hall_opens(
        hall: Hall, clock: FakeClock) -> None:
    _at(clock, datetime(2026, 9, 16, 3, 0))
    with pytest.raises(RuleViolation, match="大厅将于今天8:30开放") as refused:
        queue.issue_ticket(hall, type_code="general", source=TicketSource.KIOSK, after_hours=True)
    assert refused.value.code == "hall_closed" and "请到时再来取号" in refused.value.message
    _at(clock, datetime(2026, 9, 24, 18, 0))  # Thursday evening before 中秋: closed till Monday
    with pytest.raises(RuleViolation, match=r"大厅将于9月28日（星期一）8:30开放"):
        queue.issue_ticket(hall, type_code="general", source=TicketSource.KIOSK)
    _at(clock, datetime(2026, 10, 11, 10, 0))  # an ordinary Sunday morning
    with pytest.raises(RuleViolation, match="明天"):
        queue.issue_ticket(hall, type_code="general", source=TicketSource.KIOSK)
    _at(clock, datetime(2026, 9, 20, 10, 0))  # a Sunday worked (调休): open
    assert queue.issue_ticket(hall, type_code="general", source=TicketSource.KIOSK).ticket.number == "A001"
    assert queue.closed_now(hall) == ""


def test_new_years_day_of_a_year_not_yet_scheduled_is_no_opening_and_the_date_is_not_promised(
        hall: Hall, clock: FakeClock) -> None:
    """On New Year's Eve the next year's 调休 is often not published yet: 元旦 is a holiday by law all the same."""
    assert not hall.policy.calendar.knows_year(2027)
    _at(clock, datetime(2026, 12, 31, 18, 0))
    with pytest.raises(RuleViolation) as refused:
        queue.issue_ticket(hall, type_code="general", source=TicketSource.KIOSK)
    assert "大厅将于2027年1月4日（星期一）8:30开放" in refused.value.message  # not 元旦, 1月1日
    assert "2027年节假日安排尚未导入，如逢节假日，以大厅公告为准" in refused.value.message
    _at(clock, datetime(2027, 1, 1, 9, 0))  # a Friday, but 元旦: no number
    with pytest.raises(RuleViolation, match="大厅将于1月4日"):
        queue.issue_ticket(hall, type_code="general", source=TicketSource.KIOSK)
    _at(clock, datetime(2027, 1, 4, 9, 0))
    assert queue.closed_now(hall) == ""


def test_a_number_taken_at_1729_is_given_and_says_it_may_not_be_reached_today(hall: Hall, clock: FakeClock) -> None:
    """11:59 and 17:29 are in the hours: the number is given. Where the estimated wait runs past 17:30 the citizen
    is told, not refused (the choice is theirs); 12:01 and 17:30 give none."""
    _at(clock, datetime(2026, 9, 16, 16, 0))
    queue.issue_ticket(hall, type_code="general", source=TicketSource.KIOSK)
    served = queue.call_next(hall, window=1)
    assert served is not None
    queue.act(hall, served.ticket_id, QueueAction.START, window=1)
    clock.advance(minutes=20)  # twenty minutes a visitor today
    queue.act(hall, served.ticket_id, QueueAction.FINISH, window=1)
    queue.issue_ticket(hall, type_code="general", source=TicketSource.KIOSK)
    _at(clock, datetime(2026, 9, 16, 11, 59))
    morning = queue.issue_ticket(hall, type_code="general", source=TicketSource.KIOSK)
    assert morning.estimated_wait_minutes == 20 and morning.note == ""  # after lunch is still today
    _at(clock, datetime(2026, 9, 16, 12, 1))
    with pytest.raises(RuleViolation, match="大厅将于今天13:30开放"):
        queue.issue_ticket(hall, type_code="general", source=TicketSource.KIOSK)
    _at(clock, datetime(2026, 9, 16, 17, 29))
    late = queue.issue_ticket(hall, type_code="general", source=TicketSource.KIOSK)
    assert late.ticket.number == "A004" and late.estimated_wait_minutes == 40
    assert late.note == "大厅今天17:30停止办理，按预计等候时间今天可能轮不到您；不急的话，可以下一个工作日再来"
    _at(clock, datetime(2026, 9, 16, 17, 30))
    with pytest.raises(RuleViolation, match="明天"):
        queue.issue_ticket(hall, type_code="general", source=TicketSource.KIOSK)


@pytest.mark.parametrize("source", [TicketSource.COUNTER, TicketSource.KIOSK])
@pytest.mark.parametrize(("id_number", "name", "field"), [("", "张伟", "id_number"), (valid_id(seq=9), "", "name"),
                                                         ("330726", "张伟", "id_number")])
def test_what_was_typed_is_checked_before_the_hours(hall: Hall, clock: FakeClock, source: TicketSource,
                                                    id_number: str, name: str, field: str) -> None:
    """A name without an ID number is refused first: the clerk is not asked 仍然发号 only to be refused after."""
    _at(clock, datetime(2026, 9, 16, 18, 5))
    with pytest.raises(ValidationError) as refused:
        queue.issue_ticket(hall, type_code="general", source=source, id_number=id_number, name=name)
    assert refused.value.field == field


def test_the_counter_is_told_and_may_still_issue(hall: Hall, clock: FakeClock) -> None:
    _at(clock, datetime(2026, 9, 16, 12, 15))  # the lunch break
    with pytest.raises(RuleViolation, match="大厅将于今天13:30开放") as told:
        queue.issue_ticket(hall, type_code="general", source=TicketSource.COUNTER)
    assert told.value.code == "hall_closed"
    issued = queue.issue_ticket(hall, type_code="general", source=TicketSource.COUNTER, after_hours=True)
    assert issued.ticket.number == "A001"


def test_the_administrator_sets_the_hours_in_words_and_they_hold_at_once(hall: Hall, clock: FakeClock,
                                                                        clerk: Actor) -> None:
    with pytest.raises(PermissionDenied):
        opening_hours.set_hall_hours(hall, clerk, "08:00-18:00")
    with pytest.raises(ValidationError, match="结束时刻须晚于开始时刻"):
        opening_hours.set_hall_hours(hall, ADMIN, "18:00-08:00")
    assert opening_hours.hall_hours(hall, ADMIN).hours.text() == "08:30-12:00,13:30-17:30"
    _at(clock, datetime(2026, 9, 16, 8, 10))
    assert queue.closed_now(hall)
    saved = opening_hours.set_hall_hours(hall, ADMIN, "8:00-12:00，13:00-18:00")
    assert saved.hours.label == "工作日 8:00–12:00、13:00–18:00"
    assert queue.closed_now(hall) == ""
    assert load_settings().hall_hours == "08:00-12:00,13:00-18:00"  # kept in this PC's settings file


def test_a_desk_syncing_with_a_centre_is_told_where_the_hours_are_changed(hall: Hall) -> None:
    hall.use_settings(with_values(hall.settings, {"server_url": "https://centre.example"}))
    assert "share-settings" in opening_hours.hall_hours(hall, ADMIN).elsewhere
    with pytest.raises(RuleViolation, match="中心统一下发"):
        opening_hours.set_hall_hours(hall, ADMIN, "08:00-18:00")


def test_leader_reception_numbers_only_on_a_reception_day(hall: Hall, clock: FakeClock, clerk: Actor) -> None:
    assert "leader" not in [t.code for t in queue.offered_types(hall)]
    with pytest.raises(RuleViolation, match=r"今天不是领导接访日.*近期还没有安排领导接访日"):
        queue.issue_ticket(hall, type_code="leader", source=TicketSource.KIOSK)
    later = date(2026, 9, 22)
    reception.add_day(hall, clerk, later, leaders=["县长 周建华"])
    with pytest.raises(RuleViolation, match=r"下一个领导接访日是9月22日（星期二），可在自助终端“预约领导接访”"):
        queue.issue_ticket(hall, type_code="leader", source=TicketSource.COUNTER)
    _at(clock, datetime(2026, 9, 22, 9, 0))
    assert "leader" in [t.code for t in queue.offered_types(hall)]
    assert queue.issue_ticket(hall, type_code="leader", source=TicketSource.KIOSK).ticket.number == "L001"
    _at(clock, datetime(2026, 9, 22, 17, 30))  # the last slot (16:00–17:30) has ended
    assert "leader" not in [t.code for t in queue.offered_types(hall)]
    with pytest.raises(RuleViolation, match="今天的领导接访已经结束，不发“领导接访”号。近期还没有安排"):
        queue.issue_ticket(hall, type_code="leader", source=TicketSource.COUNTER, after_hours=True)
    clock.advance(days=1)
    assert [t.code for t in queue.offered_types(hall)] == [t.code for t in queue.window_types(hall)
                                                            if t.code != "leader"]
    assert clock.current.date() == later + timedelta(days=1)


def test_a_reception_day_is_removed_only_while_nobody_is_booked(hall: Hall, clock: FakeClock, clerk: Actor) -> None:
    day = reception.add_day(hall, clerk, date(2026, 9, 22), leaders=["县长 周建华"], slots="09:00-10:00/1")
    first = reception.book(hall, clerk, day.day_id, reception.Visitor("张建国", valid_id(seq=7)))
    second = reception.book(hall, clerk, day.day_id, reception.Visitor("李梅", valid_id(seq=8), "13857912345"))
    assert second.waiting_position == 1
    with pytest.raises(RuleViolation, match=r"2026年9月22日（星期二）已有1人预约、1人候补，不能删除") as refused:
        reception.remove_day(hall, clerk, day.day_id)
    assert refused.value.code == "day_has_bookings"
    reception.cancel(hall, clerk, first.appointment.appointment_id)  # 李梅 moves up
    assert "已有1人预约，不能删除" in reception.removal(hall, clerk, day.day_id).refusal
    reception.cancel(hall, clerk, second.appointment.appointment_id)
    assert reception.removal(hall, clerk, day.day_id).refusal == ""
    assert reception.remove_day(hall, clerk, day.day_id).day == date(2026, 9, 22)
    assert reception.list_days(hall, clerk) == []
    assert reception.next_reception_day(hall) == date(2026, 10, 15)  # the rule's, once none is scheduled
    with pytest.raises(RuleViolation, match="没有这个领导接访日"):
        reception.remove_day(hall, clerk, day.day_id)
    with pytest.raises(RuleViolation, match="没有这个领导接访日"):
        reception.book(hall, clerk, day.day_id, reception.Visitor("王五", valid_id(seq=9)))


def test_a_removed_day_stays_removed_by_the_rule_and_comes_back_by_hand(hall: Hall, clerk: Actor) -> None:
    (by_rule,) = reception.generate_schedule(hall, clerk, date(2026, 10, 1), 1, leaders=["县长 周建华"])
    reception.remove_day(hall, clerk, by_rule.day_id)
    assert reception.generate_schedule(hall, clerk, date(2026, 10, 1), 1,
                                       leaders=["县长 周建华"]) == []  # the removal was meant
    again = reception.add_day(hall, clerk, by_rule.day, leaders=["副县长 李明"], topics="征地拆迁")
    assert (again.day_id, again.origin, again.leaders) == (by_rule.day_id, "手工添加", ("副县长 李明",))
    assert [d.day for d in reception.list_days(hall, clerk)] == [date(2026, 10, 15)]


def test_a_past_reception_day_keeps_its_record(hall: Hall, clock: FakeClock, clerk: Actor) -> None:
    day = reception.add_day(hall, clerk, date(2026, 9, 16), leaders=["县长 周建华"])
    clock.advance(days=1)
    with pytest.raises(RuleViolation, match="已经过去，接访记录要保留，不能删除"):
        reception.remove_day(hall, clerk, day.day_id)


def test_the_ticket_screen_names_the_next_reception_day_to_book_where_the_leaders_number_is_not_given(
        hall: Hall, clock: FakeClock, clerk: Actor) -> None:
    assert queue.ticket_notes(hall).leader == "今天不是领导接访日\n近期还没有安排领导接访日，请到接待窗口咨询"
    removed = reception.add_day(hall, clerk, date(2026, 9, 17), leaders=["县长 周建华"])
    reception.add_day(hall, clerk, date(2026, 10, 15), leaders=["县长 周建华"])
    assert "下一次领导接访日：明天（9月17日，星期四）" in queue.ticket_notes(hall).leader
    reception.remove_day(hall, clerk, removed.day_id)  # a day removed is not offered to book
    assert queue.ticket_notes(hall).leader == ("今天不是领导接访日\n下一次领导接访日：10月15日（星期四）\n"
                                               "可在首页点“预约领导接访”预约")
    _at(clock, datetime(2026, 10, 15, 9, 0))  # the day itself: the number is given, nothing to say
    assert queue.ticket_notes(hall).leader == ""
    _at(clock, datetime(2026, 10, 15, 18, 0))
    assert queue.ticket_notes(hall).leader.startswith("今天的领导接访已经结束\n近期还没有安排")
    first = queue.ticket_notes(hall).hours[0]
    assert (first.words, first.hours) == ("明天（10月16日，星期五）", "8:30–12:00、13:30–17:30")
    # closed: when the hall opens, its hours left to the table of the coming days the screen shows with it
    notes = queue.ticket_notes(hall)
    assert notes.closed == "现在不是大厅开放时间。大厅将于明天（10月16日，星期五）8:30开放"
    assert queue.closed_now(hall) == notes.closed + f"（开放时间：{queue.opening_hours(hall).label}）"
    _at(clock, datetime(2026, 10, 15, 9, 0))
    assert queue.ticket_notes(hall).closed == ""  # open


def test_a_leader_ticket_of_a_day_removed_since_joins_no_reception_day(hall: Hall, clock: FakeClock,
                                                                       clerk: Actor) -> None:
    day = reception.add_day(hall, clerk, hall.today(), leaders=["县长 周建华"])
    queue.issue_ticket(hall, type_code="leader", source=TicketSource.KIOSK)
    assert queue.call_next(hall, window=6) is not None
    reception.remove_day(hall, clerk, day.day_id)
    assert "leader" not in [t.code for t in queue.offered_types(hall)]
    with pytest.raises(RuleViolation, match="没有安排领导接访日"):
        queue.join_reception_day(hall, clerk, window=6, name="李四", id_number=valid_id(seq=8))


def test_the_centre_shares_the_hours_per_hall_checked_as_the_setting_is() -> None:
    from desktop.config import SettingsError
    from desktop.services.reference_feed import check_shared_settings

    assert check_shared_settings({"hall_hours": "9:00-17:00"}) == {"hall_hours": "09:00-17:00"}
    with pytest.raises(SettingsError, match="hall_hours"):
        check_shared_settings({"hall_hours": "9点到5点"})


def test_a_day_with_a_visitor_received_keeps_its_record_and_asks_no_cancel_of_them(
        hall: Hall, clock: FakeClock, clerk: Actor) -> None:
    """Received visitors cannot be cancelled (取消 is refused for them): the refusal says the record stays, not
    逐一取消预约, which could not be done."""
    from desktop.services import leaderday

    leader = Actor("staff:lingdao1", "周建华", "leader")
    day = reception.add_day(hall, clerk, date(2026, 9, 16), leaders=["县长 周建华"])
    seen = reception.book(hall, clerk, day.day_id, reception.Visitor("张建国", valid_id(seq=7)))
    reception.book(hall, clerk, day.day_id, reception.Visitor("李梅", valid_id(seq=8)))
    leaderday.mark_received(hall, leader, seen.appointment.appointment_id, "依法解释", False)
    refusal = reception.removal(hall, clerk, day.day_id).refusal
    assert refusal.startswith("2026年9月16日（星期三）已接待1人，接访记录要保留，不能删除")
    assert "逐一取消" not in refusal
    with pytest.raises(RuleViolation, match="已接待1人"):
        reception.remove_day(hall, clerk, day.day_id)
