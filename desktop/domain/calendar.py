"""The official holiday schedule (法定节假日与调休安排) used to count time limits.

The State Council publishes each year's schedule late in the preceding year, so
the installed ``chinese_calendar`` package only knows the years up to its
release; an administrator imports later years from a small CSV file.  Years
with no schedule fall back to "Saturday and Sunday are rest days" and callers
use :meth:`HolidayCalendar.knows_year` to mark results as unverified.

Pure: no I/O, no clock.  ``chinese_calendar`` is only read as static data.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from functools import cache
from types import MappingProxyType

from desktop.domain.chinatime import in_china
from desktop.domain.errors import ValidationError

__all__ = [
    "CSV_HEADER",
    "MAX_SCHEDULE_CSV_CHARS",
    "MAX_SCHEDULE_NAME",
    "DayKind",
    "HolidayCalendar",
    "YearSchedule",
    "format_schedule_csv",
    "parse_schedule_csv",
    "weekday_name",
]

CSV_HEADER: tuple[str, str, str] = ("日期", "类型", "名称")
"""Header row of the import file."""

MAX_SCHEDULE_CSV_CHARS = 100_000
"""Largest import file: a year's schedule is about 40 lines (under 2,000 characters)."""

MAX_SCHEDULE_NAME = 50
"""Longest holiday name in the import file."""

_TYPE_HOLIDAY = "休"
_TYPE_MAKEUP = "班"
_DEFAULT_HOLIDAY_NAME = "法定节假日"
_DEFAULT_MAKEUP_NAME = "调休上班"
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_WEEKDAYS = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")

# chinese_calendar uses short names for some festivals; show the usual full ones.
_FULL_NAMES: Mapping[str, str] = MappingProxyType(
    {"清明": "清明节", "端午": "端午节", "中秋": "中秋节"}
)


class DayKind(StrEnum):
    """What kind of day a date is for counting working days."""

    WORKDAY = "工作日"
    WEEKEND = "休息日"
    HOLIDAY = "法定节假日"
    MAKEUP_WORKDAY = "调休上班日"


def _is_weekend(d: date) -> bool:
    return d.weekday() >= 5


def weekday_name(d: date) -> str:
    """Chinese weekday name, used in messages."""
    return _WEEKDAYS[d.weekday()]


def date_in_words(d: date, *, year: bool = True) -> str:
    """A day as people write it: 2026年12月6日, or 12月6日 without the year (never 12月06日)."""
    return f"{d.year}年{d.month}月{d.day}日" if year else f"{d.month}月{d.day}日"


def date_near(d: date, today: date) -> str:
    """A day in a staff list: 12月6日 this year, 2025年12月6日 another year's (never 12月06日, never ISO)."""
    return date_in_words(d, year=d.year != today.year)


def moment_near(moment: datetime, today: date) -> str:
    """A time in a staff list: 12月6日 13:40, the year only when it is another year's."""
    return f"{date_near(moment.date(), today)} {moment:%H:%M}"


def moment_in_words(moment: datetime, *, seconds: bool = False) -> str:
    """A time in full, as people write it: 2026年12月6日 15:46 (15:46:01 with ``seconds``), never ISO."""
    return f"{date_in_words(moment.date())} {moment:%H:%M:%S}" if seconds else \
        f"{date_in_words(moment.date())} {moment:%H:%M}"


def stamp_in_words(stamp: str, *, seconds: bool = False) -> str:
    """A stored time or day (ISO 8601: 2026-12-06T15:46:01, 2026-12-06 15:46, 2026-12-06) in words.

    A day alone reads 2026年12月6日; a time with its zone is read at China's clock, as the hall keeps it
    (a time without one already is); "" stays ""; anything not a time is shown as it is.
    """
    if not stamp:
        return ""
    try:
        if len(stamp) == 10:
            return date_in_words(date.fromisoformat(stamp))
        moment = datetime.fromisoformat(stamp)
    except ValueError:
        return stamp
    return moment_in_words(in_china(moment), seconds=seconds)


def _frozen(entries: Mapping[date, str]) -> Mapping[date, str]:
    return MappingProxyType(dict(sorted(entries.items())))


@dataclass(frozen=True)
class YearSchedule:
    """One year's official schedule: holidays (rest days) and weekend make-up workdays.

    Validated on construction so that a wrong import can never silently turn a
    weekday into a make-up workday or file a date under the wrong year.
    """

    year: int
    holidays: Mapping[date, str]
    makeup_workdays: Mapping[date, str]
    source: str

    def __post_init__(self) -> None:
        holidays = self._checked("节假日", self.holidays, _DEFAULT_HOLIDAY_NAME)
        makeups = self._checked("调休上班日", self.makeup_workdays, _DEFAULT_MAKEUP_NAME)
        both = sorted(set(holidays) & set(makeups))
        if both:
            raise ValidationError(
                "schedule_conflict",
                f"{date_in_words(both[0])}不能同时是节假日和调休上班日",
                field="日期",
            )
        for d in makeups:
            if not _is_weekend(d):
                raise ValidationError(
                    "schedule_makeup_not_weekend",
                    f"{date_in_words(d)}是{weekday_name(d)}，不是周末，不能作为调休上班日",
                    field="日期",
                )
        object.__setattr__(self, "holidays", _frozen(holidays))
        object.__setattr__(self, "makeup_workdays", _frozen(makeups))

    def _checked(self, kind: str, entries: Mapping[date, str], default: str) -> dict[date, str]:
        """Check years and names; strip names so that the CSV form round-trips."""
        result: dict[date, str] = {}
        for d, raw_name in entries.items():
            if not isinstance(d, date) or isinstance(d, datetime) or d.year != self.year:
                raise ValidationError(
                    "schedule_wrong_year",
                    f"{self.year}年的安排中出现了不属于该年的{kind}日期：{d}",
                    field="日期",
                )
            name = raw_name.strip() or default
            if name.splitlines() != [name]:
                raise ValidationError(
                    "schedule_bad_name",
                    f"{date_in_words(d)}的名称不能包含换行：{name!r}",
                    field="名称",
                )
            result[d] = name
        return result

    def __hash__(self) -> int:
        return hash(
            (
                self.year,
                frozenset(self.holidays.items()),
                frozenset(self.makeup_workdays.items()),
                self.source,
            )
        )


class HolidayCalendar:
    """An immutable set of year schedules; answers "is this day a working day?".

    Years without a schedule are treated as plain weeks (Sat/Sun rest), and
    :meth:`knows_year` tells callers that such results are not verified.
    """

    __slots__ = ("_schedules",)

    _schedules: Mapping[int, YearSchedule]

    def __init__(self, schedules: Mapping[int, YearSchedule]) -> None:
        for year, schedule in schedules.items():
            if schedule.year != year:
                raise ValidationError(
                    "schedule_wrong_year",
                    f"年份{year}对应的安排实际是{schedule.year}年的",
                )
        object.__setattr__(self, "_schedules", MappingProxyType(dict(sorted(schedules.items()))))

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("HolidayCalendar is immutable; use with_schedule()")

    def __repr__(self) -> str:
        years = self.known_years()
        span = f"{years[0]}–{years[-1]}" if years else "none"
        return f"HolidayCalendar(years={span}, count={len(years)})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, HolidayCalendar):
            return NotImplemented
        return dict(self._schedules) == dict(other._schedules)

    def __hash__(self) -> int:
        return hash(tuple(self._schedules.values()))

    @classmethod
    def builtin(cls) -> HolidayCalendar:
        """Every year the installed ``chinese_calendar`` knows; built once and shared."""
        return _builtin_calendar()

    @classmethod
    def empty(cls) -> HolidayCalendar:
        """No official schedule at all: weekends only, nothing verified."""
        return cls({})

    def knows_year(self, year: int) -> bool:
        """True when an official schedule is loaded for ``year``."""
        return year in self._schedules

    def known_years(self) -> tuple[int, ...]:
        """Years with a schedule, ascending."""
        return tuple(self._schedules)

    def schedule(self, year: int) -> YearSchedule | None:
        """The schedule in use for ``year`` (to show its source), or None."""
        return self._schedules.get(year)

    def day_kind(self, d: date) -> DayKind:
        """Classify ``d``; without a schedule for its year only weekends rest."""
        schedule = self._schedules.get(d.year)
        if schedule is not None:
            if d in schedule.holidays:
                return DayKind.HOLIDAY
            if d in schedule.makeup_workdays:
                return DayKind.MAKEUP_WORKDAY
        return DayKind.WEEKEND if _is_weekend(d) else DayKind.WORKDAY

    def is_workday(self, d: date) -> bool:
        """True on ordinary weekdays and on make-up working days."""
        return self.day_kind(d) in (DayKind.WORKDAY, DayKind.MAKEUP_WORKDAY)

    def holiday_name(self, d: date) -> str | None:
        """Name of the holiday ``d`` belongs to (e.g. "国庆节"), else None."""
        schedule = self._schedules.get(d.year)
        if schedule is None:
            return None
        return schedule.holidays.get(d)

    def rest_reason(self, d: date) -> str:
        """Why ``d`` is not a working day: the holiday name or "休息日"."""
        name = self.holiday_name(d)
        if name is not None:
            return name
        return DayKind.WEEKEND.value

    def with_schedule(self, schedule: YearSchedule) -> HolidayCalendar:
        """A new calendar where ``schedule`` adds its year or replaces that whole year."""
        merged = dict(self._schedules)
        merged[schedule.year] = schedule
        return HolidayCalendar(merged)


@cache
def _builtin_calendar() -> HolidayCalendar:
    """Build schedules from ``chinese_calendar``'s tables; the range comes from its data."""
    import chinese_calendar
    from chinese_calendar.constants import Holiday, holidays, workdays

    names = {h.value: _FULL_NAMES.get(h.chinese, h.chinese) for h in Holiday}
    by_year_h: dict[int, dict[date, str]] = {}
    by_year_w: dict[int, dict[date, str]] = {}
    for d, value in holidays.items():
        by_year_h.setdefault(d.year, {})[d] = names.get(value, str(value))
    for d, value in workdays.items():
        by_year_w.setdefault(d.year, {})[d] = names.get(value, str(value))
    if not holidays:
        return HolidayCalendar({})
    first, last = min(holidays).year, max(holidays).year
    source = f"chinese_calendar {getattr(chinese_calendar, '__version__', '')}".strip()
    schedules = {
        year: YearSchedule(
            year=year,
            holidays=by_year_h.get(year, {}),
            makeup_workdays=by_year_w.get(year, {}),
            source=source,
        )
        for year in range(first, last + 1)
    }
    return HolidayCalendar(schedules)


def _content_lines(text: str) -> Iterator[tuple[int, str]]:
    """Yield (line number, line) for lines that are neither blank nor comments."""
    if text.startswith("\ufeff"):
        text = text[1:]
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            yield number, stripped


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in next(csv.reader([line]))]


def parse_schedule_csv(text: str, source: str) -> list[YearSchedule]:
    """Parse an administrator's schedule file (``日期,类型,名称``) into one schedule per year.

    Every problem is refused with the line number so that the administrator can
    fix the file; nothing is half-imported.
    """
    if len(text) > MAX_SCHEDULE_CSV_CHARS:
        raise ValidationError(
            "schedule_csv_too_large",
            f"文件过大（{len(text)}个字符）：节假日安排文件不能超过{MAX_SCHEDULE_CSV_CHARS}个字符，"
            "请只导入节假日安排",
        )
    lines = _content_lines(text)
    header = next(lines, None)
    if header is None:
        raise ValidationError("schedule_csv_empty", "文件为空：没有表头，也没有任何日期")
    number, line = header
    if tuple(_cells(line)) != CSV_HEADER:
        raise ValidationError(
            "schedule_csv_header",
            f"第{number}行：表头应为“{','.join(CSV_HEADER)}”，实际为“{line}”",
        )
    holidays: dict[int, dict[date, str]] = {}
    makeups: dict[int, dict[date, str]] = {}
    seen: dict[date, int] = {}
    for number, line in lines:
        cells = _cells(line)
        if len(cells) not in (2, 3):
            raise ValidationError(
                "schedule_csv_columns",
                f"第{number}行：应有3列（日期,类型,名称），实际有{len(cells)}列",
            )
        raw_date, kind = cells[0], cells[1]
        name = cells[2] if len(cells) == 3 else ""
        d = _parse_date(raw_date, number)
        _check_name(name, number)
        if d in seen:
            raise ValidationError(
                "schedule_csv_duplicate",
                f"第{number}行：日期{date_in_words(d)}重复，已在第{seen[d]}行列出",
                field="日期",
            )
        seen[d] = number
        if kind == _TYPE_HOLIDAY:
            holidays.setdefault(d.year, {})[d] = name or _DEFAULT_HOLIDAY_NAME
        elif kind == _TYPE_MAKEUP:
            if not _is_weekend(d):
                raise ValidationError(
                    "schedule_csv_makeup_not_weekend",
                    f"第{number}行：{date_in_words(d)}是{weekday_name(d)}，不是周末，"
                    f"不能标为调休上班日（{_TYPE_MAKEUP}）",
                    field="类型",
                )
            makeups.setdefault(d.year, {})[d] = name or _DEFAULT_MAKEUP_NAME
        else:
            raise ValidationError(
                "schedule_csv_bad_type",
                f"第{number}行：类型“{kind}”无法识别，只能是“{_TYPE_HOLIDAY}”（放假）"
                f"或“{_TYPE_MAKEUP}”（调休上班）",
                field="类型",
            )
    if not seen:
        raise ValidationError("schedule_csv_empty", "文件中没有任何日期（只有表头）")
    years = sorted(set(holidays) | set(makeups))
    return [
        YearSchedule(
            year=year,
            holidays=holidays.get(year, {}),
            makeup_workdays=makeups.get(year, {}),
            source=source,
        )
        for year in years
    ]


def _check_name(name: str, number: int) -> None:
    if len(name) > MAX_SCHEDULE_NAME:
        raise ValidationError(
            "schedule_csv_bad_name",
            f"第{number}行：名称过长（{len(name)}个字符），不能超过{MAX_SCHEDULE_NAME}个字符",
            field="名称",
        )
    if any(unicodedata.category(c) in ("Cc", "Cs") for c in name):
        raise ValidationError(
            "schedule_csv_bad_name", f"第{number}行：名称中含有控制字符", field="名称"
        )


def _parse_date(raw: str, number: int) -> date:
    problem = f"第{number}行：日期“{raw}”不正确，应为YYYY-MM-DD格式的有效日期（如2027-10-01）"
    if not _DATE_RE.match(raw):
        raise ValidationError("schedule_csv_bad_date", problem, field="日期")
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise ValidationError("schedule_csv_bad_date", problem, field="日期") from None


def format_schedule_csv(schedule: YearSchedule | Iterable[YearSchedule]) -> str:
    """Write schedules in the import format; ``parse_schedule_csv`` reads it back."""
    schedules = [schedule] if isinstance(schedule, YearSchedule) else list(schedule)
    out = io.StringIO()
    for s in schedules:
        source = " ".join(s.source.split())
        out.write(f"# {s.year}年节假日安排（来源：{source}）\n")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    rows: list[tuple[date, str, str]] = []
    for s in schedules:
        rows.extend((d, _TYPE_HOLIDAY, n) for d, n in s.holidays.items())
        rows.extend((d, _TYPE_MAKEUP, n) for d, n in s.makeup_workdays.items())
    for d, kind, name in sorted(rows):
        writer.writerow((d.isoformat(), kind, name))
    return out.getvalue()
