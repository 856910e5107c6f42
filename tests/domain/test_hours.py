"""The hall's opening hours: the setting's form, working days with 调休, and when the hall opens next."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from desktop.config import Settings, SettingsError
from desktop.domain.calendar import HolidayCalendar
from desktop.domain.errors import ValidationError
from desktop.domain.hours import (
    DEFAULT_HOURS,
    closed_message,
    coming_hours,
    day_words,
    is_open,
    next_opening,
    parse_hours,
)

CALENDAR = HolidayCalendar.builtin()
HOURS = parse_hours(DEFAULT_HOURS)


def test_the_hours_are_read_forgivingly_and_written_back_in_one_form() -> None:
    assert parse_hours(" 13:30－17:30 ".replace("－", "-") + "，8:30至12:00").text() == "08:30-12:00,13:30-17:30"
    assert HOURS.label == "工作日 8:30–12:00、13:30–17:30"


@pytest.mark.parametrize(("text", "words"), [
    ("08:30", "缺少结束时刻"),
    ("8点半-12:00", "不是时刻"),
    ("08:30-25:00", "不是一天中的时刻"),
    ("12:00-08:30", "结束时刻须晚于开始时刻"),
    ("08:30-12:00,11:00-17:00", "重叠"),
])
def test_wrong_hours_are_refused_in_words(text: str, words: str) -> None:
    with pytest.raises(ValidationError, match=words):
        parse_hours(text)


def test_the_setting_is_checked_when_read() -> None:
    assert Settings().hall_hours == DEFAULT_HOURS
    assert Settings(hall_hours="9:00-11:00").hall_hours == "09:00-11:00"
    with pytest.raises(SettingsError, match=r"hall_hours.*结束时刻须晚于开始时刻"):
        Settings(hall_hours="17:00-09:00")


def test_no_hours_is_no_limit() -> None:
    unlimited = parse_hours(" ")
    assert unlimited.label == "不限（任何时间都可取号）" and unlimited.text() == ""
    assert is_open(unlimited, CALENDAR, datetime(2026, 10, 11, 3, 0))


def test_open_on_working_days_inside_the_periods_only() -> None:
    assert is_open(HOURS, CALENDAR, datetime(2026, 9, 16, 9, 30))       # a Wednesday morning
    assert not is_open(HOURS, CALENDAR, datetime(2026, 9, 16, 12, 30))  # the lunch break
    assert not is_open(HOURS, CALENDAR, datetime(2026, 9, 16, 3, 0))
    assert not is_open(HOURS, CALENDAR, datetime(2026, 9, 16, 17, 30))  # closing time is closed
    assert is_open(HOURS, CALENDAR, datetime(2026, 9, 20, 10, 0))       # a Sunday worked for 中秋 (调休)
    assert not is_open(HOURS, CALENDAR, datetime(2026, 10, 11, 10, 0))  # an ordinary Sunday
    assert not is_open(HOURS, CALENDAR, datetime(2026, 10, 5, 10, 0))   # 国庆节 on a Monday


def test_the_next_opening_skips_lunch_weekends_and_holidays() -> None:
    assert next_opening(HOURS, CALENDAR, datetime(2026, 9, 16, 12, 10)) == datetime(2026, 9, 16, 13, 30)
    assert next_opening(HOURS, CALENDAR, datetime(2026, 9, 16, 3, 0)) == datetime(2026, 9, 16, 8, 30)
    # Thursday evening before 中秋 (Fri–Sun): Monday
    assert next_opening(HOURS, CALENDAR, datetime(2026, 9, 24, 18, 0)) == datetime(2026, 9, 28, 8, 30)
    assert next_opening(HOURS, CALENDAR, datetime(2026, 9, 30, 18, 0)) == datetime(2026, 10, 8, 8, 30)


def test_the_closed_message_says_the_day_and_time_in_words() -> None:
    assert closed_message(HOURS, CALENDAR, datetime(2026, 9, 16, 3, 0)).startswith(
        "现在不是大厅开放时间。大厅将于今天8:30开放（开放时间：工作日 8:30–12:00、13:30–17:30）")
    assert "大厅将于明天（9月17日，星期四）8:30开放" in closed_message(HOURS, CALENDAR, datetime(2026, 9, 16, 20, 0))
    assert "大厅将于9月28日（星期一）8:30开放" in closed_message(HOURS, CALENDAR, datetime(2026, 9, 24, 18, 0))
    assert day_words(date(2027, 1, 4), date(2026, 12, 31)) == "2027年1月4日（星期一）"


def test_the_closed_message_leaves_the_hours_to_a_table_beside_it() -> None:
    for moment in (datetime(2026, 9, 16, 3, 0), datetime(2026, 9, 24, 18, 0), datetime(2026, 12, 31, 18, 0)):
        whole = closed_message(HOURS, CALENDAR, moment)
        short = closed_message(HOURS, CALENDAR, moment, with_hours=False)
        assert f"（开放时间：{HOURS.label}）" in whole and "（开放时间：" not in short and HOURS.label not in short
        assert short == whole.replace(f"（开放时间：{HOURS.label}）", "")  # when it opens, the year's note: kept


def test_the_closed_message_does_not_vouch_for_a_year_whose_holidays_are_unknown() -> None:
    assert 2027 not in CALENDAR.known_years()  # New Year's Eve, 18:00: 1 January is 元旦 whatever the schedule
    said = closed_message(HOURS, CALENDAR, datetime(2026, 12, 31, 18, 0))
    assert said.endswith("。2027年节假日安排尚未导入，如逢节假日，以大厅公告为准")
    assert "尚未导入" not in closed_message(HOURS, CALENDAR, datetime(2026, 12, 30, 18, 0))  # 31 December: known


def test_the_coming_days_hours_start_today_while_the_hall_still_opens_today_and_name_rest_days() -> None:
    hours = "8:30–12:00、13:30–17:30"

    def listed(moment: datetime) -> list[tuple[str, str]]:
        return [(day.words, day.hours) for day in coming_hours(HOURS, CALENDAR, moment)]

    assert listed(datetime(2026, 9, 16, 3, 0))[0] == ("今天", hours)
    assert listed(datetime(2026, 9, 16, 12, 10))[0] == ("今天", hours)  # lunch
    # Thursday evening before 中秋 (Fri–Sun): tomorrow first, the three days of rest, then Monday
    assert listed(datetime(2026, 9, 24, 18, 0)) == [
        ("明天（9月25日，星期五）", "休息"), ("9月26日（星期六）", "休息"), ("9月27日（星期日）", "休息"),
        ("9月28日（星期一）", hours), ("9月29日（星期二）", hours)]


def test_a_coming_day_splits_into_two_parts_for_a_narrow_line() -> None:
    rows = coming_hours(HOURS, CALENDAR, datetime(2026, 12, 30, 18, 0))  # into the next year
    assert [(day.head, day.tail) for day in rows[:3]] == [
        ("明天", "12月31日，星期四"), ("2027年1月1日", "星期五"), ("2027年1月2日", "星期六")]
    assert all(day.words == (f"{day.head}（{day.tail}）" if day.tail else day.head) for day in rows)
    assert rows[0].periods == ("8:30–12:00", "13:30–17:30") and rows[1].periods == () and rows[1].hours == "休息"
    assert coming_hours(HOURS, CALENDAR, datetime(2026, 9, 16, 3, 0))[0][1:3] == ("今天", "")
    assert len(coming_hours(HOURS, CALENDAR, datetime(2026, 9, 24, 18, 0), days=3)) == 3
    assert coming_hours(parse_hours(""), CALENDAR, datetime(2026, 9, 24, 18, 0)) == ()  # no hours: none to list
