"""Tests of the Regulations' time limits and how due dates are counted."""

from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar
import pytest
from chinese_calendar.constants import Holiday
from hypothesis import given
from hypothesis import strategies as st

from desktop.domain.calendar import HolidayCalendar, parse_schedule_csv
from desktop.domain.deadlines import (
    EXTENSION_MAX,
    HANDLE,
    NOTIFY,
    OBJECT_TRANSFER,
    REREVIEW_ANSWER,
    REREVIEW_REQUEST,
    REVIEW_ANSWER,
    REVIEW_REQUEST,
    ROUTE,
    RULES,
    UNIT_NOTIFY,
    DayCounting,
    DeadlineRule,
    SkippedDay,
    compute_deadline,
    days_left_in_words,
    due_soon_until,
    extend_deadline,
    leader_reception_day,
)
from desktop.domain.errors import RuleViolation, ValidationError

CAL = HolidayCalendar.builtin()
CALENDAR = DayCounting.CALENDAR
WORKING = DayCounting.WORKING

# Invented for the tests only: NOT the official 2027 schedule.
TEST_2027_CSV = """日期,类型,名称
2027-02-06,休,春节
2027-02-07,休,春节
2027-02-08,休,春节
2027-02-09,休,春节
2027-02-10,休,春节
2027-02-11,休,春节
2027-02-12,休,春节
2027-02-20,班,春节
"""


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def _spring_festival_2026() -> list[date]:
    """The 2026 Spring Festival break as the library records it."""
    return sorted(
        d
        for d, v in chinese_calendar.constants.holidays.items()
        if d.year == 2026 and v == Holiday.spring_festival.value
    )


def _makeup_days_2026() -> list[date]:
    return sorted(d for d in chinese_calendar.constants.workdays if d.year == 2026)


def test_rules_table() -> None:
    assert set(RULES) == {
        r.code
        for r in (
            ROUTE,
            NOTIFY,
            UNIT_NOTIFY,
            OBJECT_TRANSFER,
            HANDLE,
            EXTENSION_MAX,
            REVIEW_REQUEST,
            REVIEW_ANSWER,
            REREVIEW_REQUEST,
            REREVIEW_ANSWER,
        )
    }
    assert all(RULES[code].code == code for code in RULES)
    assert (ROUTE.days, NOTIFY.days, UNIT_NOTIFY.days, OBJECT_TRANSFER.days, HANDLE.days) == (15, 15, 15, 5, 60)
    assert EXTENSION_MAX.days == 30
    assert {r.days for r in (REVIEW_REQUEST, REVIEW_ANSWER, REREVIEW_REQUEST)} == {30}
    assert REREVIEW_ANSWER.days == 30
    assert OBJECT_TRANSFER.fixed_counting is WORKING
    assert [r.code for r in RULES.values() if r.fixed_counting is not None] == ["object_transfer"]
    assert ROUTE.article == "《信访工作条例》第二十二条"
    assert HANDLE.article == "《信访工作条例》第三十四条"


def test_worked_example_national_day_2026() -> None:
    deadline = compute_deadline(ROUTE, date(2026, 9, 16), CALENDAR, CAL)
    assert deadline.raw_end == date(2026, 10, 1)
    assert deadline.due == date(2026, 10, 8)
    assert deadline.skipped == tuple(
        SkippedDay(d, "国庆节") for d in _days(date(2026, 10, 1), date(2026, 10, 7))
    )
    assert deadline.verified
    assert deadline.unverified_years == ()
    assert deadline.counting is CALENDAR
    text = deadline.explain()
    for part in (
        "《信访工作条例》第二十二条",
        "转送、交办期限15日",
        "2026年9月16日",
        "该日不计入",
        "自然日",
        "原期满日：2026年10月1日（星期四）",
        "2026年10月3日（星期六） 国庆节",
        "期满日：2026年10月8日（星期四）",
    ):
        assert part in text, part
    assert "注意" not in text


def test_spring_festival_2026_library_dates() -> None:
    # The facts the next tests rely on, read from chinese_calendar 1.11.0.
    assert _spring_festival_2026() == _days(date(2026, 2, 15), date(2026, 2, 23))
    assert date(2026, 2, 14) in _makeup_days_2026()
    assert date(2026, 2, 28) in _makeup_days_2026()
    assert date(2026, 2, 14).weekday() == 5
    assert date(2026, 2, 28).weekday() == 5


def test_spring_festival_2026_calendar_days() -> None:
    deadline = compute_deadline(ROUTE, date(2026, 2, 5), CALENDAR, CAL)
    assert deadline.raw_end == date(2026, 2, 20)
    assert deadline.due == date(2026, 2, 24)
    assert [s.day for s in deadline.skipped] == _days(date(2026, 2, 20), date(2026, 2, 23))
    assert {s.reason for s in deadline.skipped} == {"春节"}


def test_spring_festival_2026_working_days_counts_makeup_saturdays() -> None:
    deadline = compute_deadline(ROUTE, date(2026, 2, 5), WORKING, CAL)
    assert deadline.counting is WORKING
    assert deadline.due == date(2026, 3, 4)
    skipped = [s.day for s in deadline.skipped]
    assert skipped == [
        date(2026, 2, 7),
        date(2026, 2, 8),
        *_spring_festival_2026(),
        date(2026, 3, 1),
    ]
    # the make-up Saturdays 2-14 and 2-28 are counted, not skipped
    assert date(2026, 2, 14) not in skipped
    assert date(2026, 2, 28) not in skipped
    assert deadline.skipped[0].reason == "休息日"
    assert deadline.skipped[2].reason == "春节"
    text = deadline.explain()
    assert "15个工作日" in text
    assert "调休上班日计入" in text
    assert "原期满日" not in text


@pytest.mark.parametrize(
    ("start", "due"),
    [(date(2026, 2, 13), date(2026, 2, 28)), (date(2026, 9, 25), date(2026, 10, 10))],
)
def test_calendar_period_ending_on_makeup_saturday_is_not_moved(start: date, due: date) -> None:
    deadline = compute_deadline(ROUTE, start, CALENDAR, CAL)
    assert due.weekday() == 5
    assert deadline.due == due
    assert deadline.skipped == ()
    assert "无需顺延" in deadline.explain()


def test_objection_is_always_five_working_days() -> None:
    start = date(2026, 9, 29)
    for setting in (CALENDAR, WORKING):
        deadline = compute_deadline(OBJECT_TRANSFER, start, setting, CAL)
        assert deadline.counting is WORKING
        # 9-30, (National Day 10-1..10-7), 10-8, 10-9, 10-10 make-up Saturday, 10-12
        assert deadline.due == date(2026, 10, 12)
        assert date(2026, 10, 10) not in {s.day for s in deadline.skipped}
        assert "条文明确规定为工作日" in deadline.explain()
        assert "5个工作日" in deadline.explain()


def test_a_deadline_on_one_line_names_its_day_article_and_how_the_step_went() -> None:
    """The case view's line before 说明: no counting steps, but nothing a clerk must know left out."""
    from dataclasses import replace

    deadline = compute_deadline(ROUTE, date(2026, 9, 16), CALENDAR, CAL)
    line = deadline.headline()
    assert line == "转送、交办期限：2026年10月8日（星期四）（《信访工作条例》第二十二条，15日）"
    assert "\n" not in line and "起算日" not in line
    late = replace(deadline, done_on=date(2026, 10, 12)).headline()
    assert late.endswith("；2026年10月12日（星期一）已转送、交办，逾期4天")
    assert replace(deadline, done_on=date(2026, 10, 8)).headline().endswith("已转送、交办，在期限内")
    working = compute_deadline(OBJECT_TRANSFER, date(2026, 9, 16), WORKING, CAL).headline()
    assert "个工作日）" in working
    # not done: a limit gone by says so (an objection's five working days, over, had read as still to come)
    assert deadline.headline(date(2026, 10, 7)) == line
    assert deadline.headline(date(2026, 10, 8)).endswith("15日）；今天届满")
    assert deadline.headline(date(2026, 10, 9)).endswith("15日）；已届满")
    assert late == replace(deadline, done_on=date(2026, 10, 12)).headline(date(2026, 12, 1))  # done: how it went
    unverified = compute_deadline(ROUTE, date(2027, 1, 29), CALENDAR, CAL).headline()
    assert unverified.endswith("；注意：2027年节假日安排尚未导入，本期限仅按周末推算，未经核实")


def test_unscheduled_year_counts_weekends_only_and_warns() -> None:
    assert not CAL.knows_year(2027)
    deadline = compute_deadline(ROUTE, date(2027, 1, 29), CALENDAR, CAL)
    assert deadline.raw_end == date(2027, 2, 13)  # a Saturday
    assert deadline.due == date(2027, 2, 15)
    assert deadline.skipped == (
        SkippedDay(date(2027, 2, 13), "休息日"),
        SkippedDay(date(2027, 2, 14), "休息日"),
    )
    assert not deadline.verified
    assert deadline.unverified_years == (2027,)
    assert "注意：2027年节假日安排尚未导入，本期限仅按周末推算，未经核实" in deadline.explain()


def test_period_crossing_into_unscheduled_year_is_unverified() -> None:
    deadline = compute_deadline(ROUTE, date(2026, 12, 20), CALENDAR, CAL)
    assert deadline.due == date(2027, 1, 4)
    assert not deadline.verified
    assert deadline.unverified_years == (2027,)
    inside = compute_deadline(ROUTE, date(2026, 12, 10), CALENDAR, CAL)
    assert inside.due == date(2026, 12, 25)
    assert inside.verified
    # a start on the last day of a known year counts only days of the next year
    edge = compute_deadline(ROUTE, date(2026, 12, 31), CALENDAR, CAL)
    assert edge.unverified_years == (2027,)


def test_imported_2027_schedule_is_verified_and_honoured() -> None:
    [schedule] = parse_schedule_csv(TEST_2027_CSV, "导入: test-2027.csv")
    cal = CAL.with_schedule(schedule)
    deadline = compute_deadline(ROUTE, date(2027, 1, 25), CALENDAR, cal)
    assert deadline.raw_end == date(2027, 2, 9)
    assert deadline.due == date(2027, 2, 15)
    assert deadline.verified
    assert "注意" not in deadline.explain()
    assert [s.reason for s in deadline.skipped] == ["春节"] * 4 + ["休息日"] * 2
    # without the import the same period is a plain Tuesday and unverified
    plain = compute_deadline(ROUTE, date(2027, 1, 25), CALENDAR, CAL)
    assert (plain.due, plain.verified) == (date(2027, 2, 9), False)
    # working days: the imported make-up Saturday 2027-02-20 counts
    working = compute_deadline(NOTIFY, date(2027, 2, 1), WORKING, cal, days=10)
    # 2-2..2-5 (4), 2-15..2-19 (9), 2-20 make-up Saturday (10)
    assert working.due == date(2027, 2, 20)
    assert working.verified


def test_days_override_and_bad_days() -> None:
    deadline = compute_deadline(HANDLE, date(2026, 6, 1), CALENDAR, CAL, days=10)
    assert deadline.period_days == 10
    assert deadline.due == date(2026, 6, 11)
    assert "办结期限10日" in deadline.explain()
    with pytest.raises(ValidationError):
        compute_deadline(HANDLE, date(2026, 6, 1), CALENDAR, CAL, days=0)
    with pytest.raises(RuleViolation) as info:
        compute_deadline(EXTENSION_MAX, date(2026, 6, 1), CALENDAR, CAL, days=31)
    assert info.value.code == "extension_too_long"


def test_days_left_and_overdue() -> None:
    deadline = compute_deadline(ROUTE, date(2026, 9, 16), CALENDAR, CAL)
    assert deadline.days_left(date(2026, 10, 1)) == 7
    assert deadline.days_left(date(2026, 10, 8)) == 0
    assert not deadline.is_overdue(date(2026, 10, 8))
    assert deadline.is_overdue(date(2026, 10, 9))
    assert deadline.days_left(date(2026, 10, 10)) == -2


def test_extension_counted_from_current_due() -> None:
    handle = compute_deadline(HANDLE, date(2026, 3, 2), CALENDAR, CAL)
    assert handle.raw_end == date(2026, 5, 1)
    assert handle.due == date(2026, 5, 6)  # after the Labour Day break
    extended = extend_deadline(handle, 30, CALENDAR, CAL)
    assert extended.rule is EXTENSION_MAX
    assert extended.start == date(2026, 5, 6)
    assert extended.due == date(2026, 6, 5)
    assert "延长不得超过30日" in extended.explain()
    assert "原办理期限届满之日" in extended.explain()


@pytest.mark.parametrize("extra", [0, -1, 31, 60])
def test_extension_refused_outside_1_to_30(extra: int) -> None:
    handle = compute_deadline(HANDLE, date(2026, 3, 2), CALENDAR, CAL)
    with pytest.raises(RuleViolation) as info:
        extend_deadline(handle, extra, CALENDAR, CAL)
    assert info.value.code == "extension_too_long"
    assert info.value.message == "延期不得超过30日（《信访工作条例》第三十四条）"


def test_second_extension_cannot_exceed_30_in_total() -> None:
    handle = compute_deadline(HANDLE, date(2026, 3, 2), CALENDAR, CAL)
    first = extend_deadline(handle, 20, CALENDAR, CAL)
    second = extend_deadline(first, 10, CALENDAR, CAL)
    assert second.due == extend_deadline(handle, 30, CALENDAR, CAL).due
    assert second.period_days == 30
    with pytest.raises(RuleViolation):
        extend_deadline(second, 1, CALENDAR, CAL)


def test_extension_keeps_unverified_flag() -> None:
    handle = compute_deadline(HANDLE, date(2026, 11, 20), CALENDAR, CAL)
    assert handle.unverified_years == (2027,)
    extended = extend_deadline(handle, 5, CALENDAR, CAL)
    assert not extended.verified
    assert extended.unverified_years == (2027,)


def test_leader_reception_day() -> None:
    # 2026-02-15 is a Sunday inside the Spring Festival break
    assert leader_reception_day(2026, 2, CAL) == date(2026, 2, 24)
    # 2026-08-15 is a Saturday
    assert leader_reception_day(2026, 8, CAL) == date(2026, 8, 17)
    # 2026-04-15 is an ordinary Wednesday
    assert leader_reception_day(2026, 4, CAL) == date(2026, 4, 15)
    # another day of the month, on the National Day break
    assert leader_reception_day(2026, 10, CAL, day_of_month=1) == date(2026, 10, 8)
    with pytest.raises(ValidationError):
        leader_reception_day(2026, 2, CAL, day_of_month=30)


# ---- properties -------------------------------------------------------------

_IMPORTED = CAL.with_schedule(parse_schedule_csv(TEST_2027_CSV, "test")[0])
_calendars = st.sampled_from([CAL, _IMPORTED, HolidayCalendar.empty()])
_starts = st.dates(min_value=date(2002, 6, 1), max_value=date(2028, 6, 30))
_lengths = st.integers(min_value=1, max_value=120)
_rules = st.sampled_from([r for r in RULES.values() if r.fixed_counting is None])


def _expected_unverified(cal: HolidayCalendar, start: date, due: date) -> tuple[int, ...]:
    first = (start + timedelta(days=1)).year
    return tuple(y for y in range(first, due.year + 1) if not cal.knows_year(y))


@given(_rules, _starts, _lengths, _calendars)
def test_calendar_mode_properties(
    rule: DeadlineRule, start: date, days: int, cal: HolidayCalendar
) -> None:
    if rule is EXTENSION_MAX:
        days = min(days, 30)
    deadline = compute_deadline(rule, start, CALENDAR, cal, days=days)
    assert deadline.due >= start + timedelta(days=days)
    assert cal.is_workday(deadline.due)
    moved = _days(start + timedelta(days=days), deadline.due - timedelta(days=1))
    assert [s.day for s in deadline.skipped] == moved
    assert not any(cal.is_workday(d) for d in moved)
    assert deadline.unverified_years == _expected_unverified(cal, start, deadline.due)
    assert deadline.verified == (deadline.unverified_years == ())


@given(_rules, _starts, _lengths, _calendars)
def test_working_mode_properties(
    rule: DeadlineRule, start: date, days: int, cal: HolidayCalendar
) -> None:
    if rule is EXTENSION_MAX:
        days = min(days, 30)
    deadline = compute_deadline(rule, start, WORKING, cal, days=days)
    assert cal.is_workday(deadline.due)
    span = _days(start + timedelta(days=1), deadline.due)
    assert sum(cal.is_workday(d) for d in span) == days
    assert [s.day for s in deadline.skipped] == [d for d in span if not cal.is_workday(d)]
    assert deadline.unverified_years == _expected_unverified(cal, start, deadline.due)
    assert deadline.verified == (deadline.unverified_years == ())


@given(_starts, st.integers(min_value=1, max_value=30), st.sampled_from(list(DayCounting)))
def test_extension_property(start: date, extra: int, counting: DayCounting) -> None:
    handle = compute_deadline(HANDLE, start, counting, CAL)
    extended = extend_deadline(handle, extra, counting, CAL)
    assert extended.start == handle.due
    assert extended.due > handle.due
    assert CAL.is_workday(extended.due)
    if not handle.verified:
        assert not extended.verified
        assert set(handle.unverified_years) <= set(extended.unverified_years)


@given(st.integers(min_value=2004, max_value=2030), st.integers(min_value=1, max_value=12))
def test_leader_reception_day_property(year: int, month: int) -> None:
    day = leader_reception_day(year, month, CAL)
    assert day >= date(year, month, 15)
    assert CAL.is_workday(day)
    assert not any(CAL.is_workday(d) for d in _days(date(year, month, 15), day)[:-1])


def test_the_days_left_read_as_words_on_the_deadline_board() -> None:
    # a bare "2" beside "超期5天" read as a count of something; the due day itself is still in time
    assert [days_left_in_words(n) for n in (5, 1, 0, -1, -12)] == ["剩5天", "剩1天", "今天到期", "超期1天", "超期12天"]


def test_due_soon_reaches_past_a_holiday_to_the_first_working_day_after() -> None:
    assert due_soon_until(date(2026, 9, 16), CAL) == date(2026, 9, 23)  # a plain week: 7 days
    assert due_soon_until(date(2026, 9, 19), CAL) == date(2026, 9, 28)  # the 7th day a Saturday: to Monday
    # the last working day before 国庆 (1–7 October): what is due on the 8th must be seen now
    assert due_soon_until(date(2026, 9, 30), CAL) == date(2026, 10, 8)
    # 春节 2026 (15–23 February; Saturday the 14th worked in exchange)
    assert due_soon_until(date(2026, 2, 14), CAL) == date(2026, 2, 24)
    assert due_soon_until(date(2026, 2, 24), CAL) == date(2026, 3, 3)
