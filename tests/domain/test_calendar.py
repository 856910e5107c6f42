"""Tests of the official holiday schedule and its CSV import format."""

from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar
import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop.domain.calendar import (
    DayKind,
    HolidayCalendar,
    YearSchedule,
    date_in_words,
    format_schedule_csv,
    parse_schedule_csv,
)
from desktop.domain.errors import ValidationError

BUILTIN = HolidayCalendar.builtin()

CSV_2027 = """\ufeff# 测试用的虚构安排，不是国务院公布的数据
日期,类型,名称

2027-02-06,休,春节
2027-02-07,休,春节
2027-02-08,休,春节
# 调休
2027-02-20,班,春节
2027-12-31,休,元旦
"""


def test_builtin_range_comes_from_library_data() -> None:
    years = BUILTIN.known_years()
    data_years = sorted({d.year for d in chinese_calendar.constants.holidays})
    assert years == tuple(range(data_years[0], data_years[-1] + 1))
    assert BUILTIN.knows_year(2026)
    assert not BUILTIN.knows_year(years[-1] + 1)
    assert not BUILTIN.knows_year(years[0] - 1)
    with pytest.raises(NotImplementedError):
        chinese_calendar.is_workday(date(years[-1] + 1, 3, 3))


def test_builtin_is_cached() -> None:
    assert HolidayCalendar.builtin() is BUILTIN


def test_builtin_agrees_with_library_for_every_known_day() -> None:
    first, last = BUILTIN.known_years()[0], BUILTIN.known_years()[-1]
    d = date(first, 1, 1)
    while d.year <= last:
        assert BUILTIN.is_workday(d) == chinese_calendar.is_workday(d), d
        d += timedelta(days=1)


def test_day_kinds_2026() -> None:
    assert BUILTIN.day_kind(date(2026, 10, 1)) is DayKind.HOLIDAY
    assert BUILTIN.holiday_name(date(2026, 10, 1)) == "国庆节"
    # a Saturday inside the National Day break is a holiday, not a plain weekend
    assert BUILTIN.day_kind(date(2026, 10, 3)) is DayKind.HOLIDAY
    assert BUILTIN.day_kind(date(2026, 10, 10)) is DayKind.MAKEUP_WORKDAY
    assert BUILTIN.is_workday(date(2026, 10, 10))
    assert BUILTIN.day_kind(date(2026, 10, 17)) is DayKind.WEEKEND
    assert BUILTIN.day_kind(date(2026, 10, 12)) is DayKind.WORKDAY
    assert BUILTIN.holiday_name(date(2026, 10, 12)) is None
    assert BUILTIN.holiday_name(date(2026, 4, 5)) == "清明节"
    assert DayKind.MAKEUP_WORKDAY.value == "调休上班日"


def test_unknown_year_falls_back_to_weekends() -> None:
    assert BUILTIN.day_kind(date(2027, 10, 1)) is DayKind.WORKDAY  # a Friday
    assert BUILTIN.day_kind(date(2027, 10, 2)) is DayKind.WEEKEND
    assert BUILTIN.holiday_name(date(2027, 10, 1)) is None


def test_import_2027_adds_year() -> None:
    [schedule] = parse_schedule_csv(CSV_2027, "导入: test-2027.csv")
    assert schedule.year == 2027
    assert schedule.source == "导入: test-2027.csv"
    assert schedule.holidays[date(2027, 2, 8)] == "春节"
    cal = BUILTIN.with_schedule(schedule)
    assert cal.knows_year(2027)
    assert not BUILTIN.knows_year(2027)  # the original is unchanged
    assert cal.day_kind(date(2027, 2, 8)) is DayKind.HOLIDAY
    assert cal.day_kind(date(2027, 2, 20)) is DayKind.MAKEUP_WORKDAY
    assert cal.holiday_name(date(2027, 12, 31)) == "元旦"
    assert cal.known_years()[-1] == 2027


def test_import_replaces_builtin_year() -> None:
    text = "日期,类型,名称\n2026-10-12,休,测试节\n"
    [schedule] = parse_schedule_csv(text, "导入: fix.csv")
    cal = BUILTIN.with_schedule(schedule)
    assert cal.day_kind(date(2026, 10, 12)) is DayKind.HOLIDAY
    assert cal.day_kind(date(2026, 10, 1)) is DayKind.WORKDAY  # whole year replaced
    assert cal.schedule(2026) == schedule


def test_file_may_cover_several_years_and_names_are_optional() -> None:
    text = "日期,类型,名称\n2028-01-03,休\n2027-01-01,休,元旦\n2028-01-08,班,\n"
    schedules = parse_schedule_csv(text, "s")
    assert [s.year for s in schedules] == [2027, 2028]
    assert schedules[1].holidays[date(2028, 1, 3)] == "法定节假日"
    assert schedules[1].makeup_workdays[date(2028, 1, 8)] == "调休上班"


@pytest.mark.parametrize(
    ("text", "code", "fragment"),
    [
        ("日期,类型,名称\n2027-13-01,休,x\n", "schedule_csv_bad_date", "第2行"),
        ("日期,类型,名称\n\n2027/10/01,休,x\n", "schedule_csv_bad_date", "第3行"),
        ("日期,类型,名称\n20271001,休,x\n", "schedule_csv_bad_date", "YYYY-MM-DD"),
        ("日期,类型,名称\n2027-10-01,假,国庆节\n", "schedule_csv_bad_type", "“假”"),
        (
            "日期,类型,名称\n2027-10-01,休,国庆节\n# c\n2027-10-01,休,国庆节\n",
            "schedule_csv_duplicate",
            "第4行：日期2027年10月1日重复，已在第2行列出",
        ),
        ("日期,类型,名称\n2027-10-08,班,国庆节\n", "schedule_csv_makeup_not_weekend", "星期五"),
        ("date,type,name\n2027-10-01,休,x\n", "schedule_csv_header", "第1行"),
        ("日期,类型,名称\n2027-10-01,休,x,y\n", "schedule_csv_columns", "第2行"),
        ("日期,类型,名称\n2027-10-01\n", "schedule_csv_columns", "第2行"),
        ("日期,类型,名称\n# nothing\n", "schedule_csv_empty", "没有任何日期"),
        ("", "schedule_csv_empty", "文件为空"),
    ],
)
def test_csv_errors_name_the_line(text: str, code: str, fragment: str) -> None:
    with pytest.raises(ValidationError) as info:
        parse_schedule_csv(text, "bad.csv")
    assert info.value.code == code
    assert fragment in info.value.message


def test_schedule_refuses_inconsistent_data() -> None:
    with pytest.raises(ValidationError) as info:
        YearSchedule(2027, {date(2026, 12, 31): "元旦"}, {}, "x")
    assert info.value.code == "schedule_wrong_year"
    with pytest.raises(ValidationError) as info:
        YearSchedule(2027, {date(2027, 10, 2): "国庆节"}, {date(2027, 10, 2): "国庆节"}, "x")
    assert info.value.code == "schedule_conflict"
    with pytest.raises(ValidationError) as info:
        YearSchedule(2027, {}, {date(2027, 10, 8): "国庆节"}, "x")
    assert info.value.code == "schedule_makeup_not_weekend"


def test_schedule_and_calendar_are_immutable() -> None:
    schedule = BUILTIN.schedule(2026)
    assert schedule is not None
    with pytest.raises(TypeError):
        schedule.holidays[date(2026, 3, 3)] = "x"  # type: ignore[index]
    with pytest.raises(AttributeError):
        BUILTIN._schedules = {}


def test_builtin_year_round_trips_through_csv() -> None:
    schedule = BUILTIN.schedule(2026)
    assert schedule is not None
    text = format_schedule_csv(schedule)
    assert text.splitlines()[1] == "日期,类型,名称"
    assert "2026-10-10,班,国庆节" in text
    assert parse_schedule_csv(text, schedule.source) == [schedule]


_names = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), max_size=12
).filter(lambda s: s.strip() != "")


@st.composite
def year_schedules(draw: st.DrawFn) -> YearSchedule:
    year = draw(st.integers(min_value=1990, max_value=2100))
    start = date(year, 1, 1)
    days = draw(st.sets(st.integers(min_value=0, max_value=364), max_size=30))
    holidays: dict[date, str] = {}
    makeups: dict[date, str] = {}
    for offset in days:
        d = start + timedelta(days=offset)
        if d.weekday() >= 5 and draw(st.booleans()):
            makeups[d] = draw(_names)
        else:
            holidays[d] = draw(_names)
    return YearSchedule(year, holidays, makeups, "生成")


@given(year_schedules())
def test_csv_round_trip_property(schedule: YearSchedule) -> None:
    text = format_schedule_csv(schedule)
    if schedule.holidays or schedule.makeup_workdays:
        assert parse_schedule_csv(text, "生成") == [schedule]
    else:
        with pytest.raises(ValidationError):
            parse_schedule_csv(text, "生成")


@pytest.mark.parametrize(("day", "full", "short"), [
    (date(2026, 12, 6), "2026年12月6日", "12月6日"),
    (date(2027, 1, 4), "2027年1月4日", "1月4日"),
    (date(2030, 10, 31), "2030年10月31日", "10月31日"),
])
def test_a_day_is_written_as_people_write_it_without_leading_zeros(day: date, full: str, short: str) -> None:
    assert date_in_words(day) == full and date_in_words(day, year=False) == short
