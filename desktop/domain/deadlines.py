"""Time limits of the 《信访工作条例》 and how their due dates are counted.

The Regulations write plain "日" everywhere except the 5 working days of
article 23, so calendar days are the default and working days are a locality
setting.  Counting follows the general rule for legal periods: the start day
is not counted; a calendar-day period whose last day is a rest day or holiday
ends on the next working day.  Every due date carries the days it skipped and
whether the holiday schedule for the years it touches was known, so that the
screen can explain it and warn when it is only an estimate.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from types import MappingProxyType

from desktop.domain.calendar import HolidayCalendar, weekday_name
from desktop.domain.errors import RuleViolation, ValidationError

__all__ = [
    "DUE_SOON_DAYS",
    "EXTENSION_MAX",
    "HANDLE",
    "NOTIFY",
    "OBJECT_TRANSFER",
    "REREVIEW_ANSWER",
    "REREVIEW_REQUEST",
    "REVIEW_ANSWER",
    "REVIEW_REQUEST",
    "ROUTE",
    "RULES",
    "UNIT_NOTIFY",
    "DayCounting",
    "Deadline",
    "DeadlineRule",
    "DueFilter",
    "SkippedDay",
    "compute_deadline",
    "days_left_in_words",
    "due_level",
    "due_soon_until",
    "extend_deadline",
    "format_date",
    "leader_reception_day",
]

_ONE_DAY = timedelta(days=1)


class DueFilter(StrEnum):
    """How the case search narrows by deadline: the deadline board's two lists, or not at all."""

    ALL = "全部"
    OVERDUE = "已超期"
    DUE_SOON = "临近期限"


class DayCounting(StrEnum):
    """How the days of a period are counted (a locality setting)."""

    CALENDAR = "calendar"
    WORKING = "working"

    @property
    def label(self) -> str:
        """Chinese name for screens and explanations."""
        return "自然日" if self is DayCounting.CALENDAR else "工作日"


@dataclass(frozen=True)
class DeadlineRule:
    """One time limit written in the Regulations."""

    code: str
    name: str
    days: int
    article: str
    fixed_counting: DayCounting | None = None
    start_event: str = "收到之日"
    """What the start date is, in words (e.g. "收到信访事项之日"); shown in explanations."""


_ART = "《信访工作条例》"

ROUTE = DeadlineRule(
    "route", "转送、交办期限", 15, f"{_ART}第二十二条", start_event="收到信访事项之日"
)
NOTIFY = DeadlineRule(
    "notify", "书面告知信访人期限", 15, f"{_ART}第二十三条", start_event="收到信访事项之日"
)
UNIT_NOTIFY = DeadlineRule(
    "unit_notify",
    "接收单位告知期限",
    15,
    f"{_ART}第二十三条",
    start_event="收到转送、交办事项之日",
)
"""The receiving unit's own limit for a transferred or assigned matter (art. 23): from the day it
received the transfer it decides 受理/不予受理 and tells the petitioner in writing within 15 days."""
OBJECT_TRANSFER = DeadlineRule(
    "object_transfer",
    "对转送、交办事项提出异议期限",
    5,
    f"{_ART}第二十三条",
    fixed_counting=DayCounting.WORKING,
    start_event="收到转送、交办事项之日",
)
HANDLE = DeadlineRule("handle", "办结期限", 60, f"{_ART}第三十四条", start_event="受理之日")
EXTENSION_MAX = DeadlineRule(
    "extension", "延长办理期限", 30, f"{_ART}第三十四条", start_event="原办理期限届满之日"
)
REVIEW_REQUEST = DeadlineRule(
    "review_request", "请求复查期限", 30, f"{_ART}第三十五条", start_event="收到书面答复之日"
)
REVIEW_ANSWER = DeadlineRule(
    "review_answer", "提出复查意见期限", 30, f"{_ART}第三十五条", start_event="收到复查请求之日"
)
REREVIEW_REQUEST = DeadlineRule(
    "rereview_request",
    "请求复核期限",
    30,
    f"{_ART}第三十六条",
    start_event="收到复查意见书面答复之日",
)
REREVIEW_ANSWER = DeadlineRule(
    "rereview_answer",
    "提出复核意见期限",
    30,
    f"{_ART}第三十六条",
    start_event="收到复核请求之日",
)

RULES: Mapping[str, DeadlineRule] = MappingProxyType(
    {
        rule.code: rule
        for rule in (
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
)


@dataclass(frozen=True)
class SkippedDay:
    """A day not counted (working-day mode) or moved over (calendar mode), and why."""

    day: date
    reason: str


def format_date(d: date) -> str:
    """Date as users read it: 2026年10月8日（星期四）."""
    return f"{d.year}年{d.month}月{d.day}日（{weekday_name(d)}）"


#: The deadline board's “7日内到期”.
DUE_SOON_DAYS = 7


def due_soon_until(today: date, calendar: HolidayCalendar, days: int = DUE_SOON_DAYS) -> date:
    """The last day a deadline counts as due soon: ``days`` on from ``today``, moved past rest days.

    A deadline that ends on a rest day is moved to the next working day; so on the last working day
    before 国庆 or 春节 the deadlines of the first working day after it are due soon — that day is the
    last one anyone is at work before them.
    """
    end = today + timedelta(days=days)
    for _ in range(31):  # the longest run of rest days is far shorter
        if calendar.is_workday(end):
            break
        end += timedelta(days=1)
    return end


def days_left_in_words(days_left: int) -> str:
    """What a deadline board says of the calendar days left: 剩2天, 今天到期 (the last day is in time), 超期3天."""
    if days_left < 0:
        return f"超期{-days_left}天"
    return "今天到期" if days_left == 0 else f"剩{days_left}天"


def due_level(due: date, today: date, calendar: HolidayCalendar) -> str:
    """How loudly a deadline is said: "overdue" once past, "soon" up to :func:`due_soon_until`, else ""."""
    if today > due:
        return "overdue"
    return "soon" if due <= due_soon_until(today, calendar) else ""


def due_in_words(rule_name: str, due: date, today: date, calendar: HolidayCalendar) -> tuple[str, str]:
    """The deadline a case waits on, as the case view says it, and how loudly: "overdue", "soon" or "".

    "soon" is the deadline board's 7日内到期 (:func:`due_soon_until`), so the case and the board agree.
    """
    words = days_left_in_words((due - today).days)
    level = due_level(due, today, calendar)
    unverified = "" if calendar.knows_year(due.year) else f"（{due.year}年节假日安排尚未导入，未经核实）"
    return f"当前期限：{rule_name} {format_date(due)}，{words}{unverified}", level


@dataclass(frozen=True)
class Deadline:
    """A computed due date with everything needed to explain and trust it."""

    rule: DeadlineRule
    start: date
    due: date
    counting: DayCounting
    skipped: tuple[SkippedDay, ...]
    verified: bool
    unverified_years: tuple[int, ...]
    days: int | None = None
    """Length actually used when it differs from ``rule.days`` (an approved extension)."""
    done_on: date | None = None
    """The day the step this limit is for was done (the bureau's transfer), when it has been."""

    @property
    def period_days(self) -> int:
        """Number of days of the period (the override or the rule's)."""
        return self.rule.days if self.days is None else self.days

    @property
    def raw_end(self) -> date:
        """Last day before any moving over rest days (calendar counting)."""
        return self.start + timedelta(days=self.period_days)

    def days_left(self, today: date) -> int:
        """Calendar days from ``today`` to the due date; negative once overdue."""
        return (self.due - today).days

    def is_overdue(self, today: date) -> bool:
        """True from the day after the due date (the due day itself is still in time)."""
        return today > self.due

    def warning(self) -> str | None:
        """The loud line shown whenever the holiday schedule was missing."""
        if self.verified:
            return None
        years = "、".join(str(y) for y in self.unverified_years)
        return f"注意：{years}年节假日安排尚未导入，本期限仅按周末推算，未经核实"

    def headline(self, today: date | None = None) -> str:
        """The deadline on one line, as the case view shows it before its 说明: the limit, its day, its article;
        whether the step was done in time, or, not done, whether the limit has run out by ``today`` (届满: a
        limit gone by read as if it were still to come); the warning of a year without holiday data."""
        unit = "个工作日" if self.counting is DayCounting.WORKING else "日"
        line = (f"{self.rule.name}：{format_date(self.due)}（{self.rule.article}，"
                f"{self.period_days}{unit}）")
        if self.done_on is not None:
            late = (self.done_on - self.due).days
            line += (f"；{format_date(self.done_on)}已{self.rule.name.removesuffix('期限')}，"
                     + (f"逾期{late}天" if late > 0 else "在期限内"))
        elif today is not None and today >= self.due:
            line += "；今天届满" if today == self.due else "；已届满"
        warning = self.warning()
        return f"{line}；{warning}" if warning is not None else line

    def explain(self) -> str:
        """Step-by-step Chinese explanation, so staff can check the date by hand."""
        rule = self.rule
        unit = "个工作日" if self.counting is DayCounting.WORKING else "日"
        lines = [f"依据：{rule.article}，{rule.name}{self.period_days}{unit}"]
        if rule.code == EXTENSION_MAX.code:
            lines[0] += f"（延长不得超过{EXTENSION_MAX.days}日）"
        lines.append(
            f"起算日：{format_date(self.start)}，即{rule.start_event}；该日不计入，自次日起算"
        )
        if self.counting is DayCounting.CALENDAR:
            lines.append("计算方式：自然日；期满日为休息日或法定节假日的，顺延至其后第一个工作日")
            lines.append(f"原期满日：{format_date(self.raw_end)}")
            if self.skipped:
                lines.append("原期满日不是工作日，顺延越过以下日期：")
            else:
                lines.append("原期满日为工作日，无需顺延")
        else:
            how = "工作日"
            if rule.fixed_counting is DayCounting.WORKING:
                how += "（条文明确规定为工作日）"
            lines.append(f"计算方式：{how}；休息日和法定节假日不计入，调休上班日计入")
            if self.skipped:
                lines.append("以下非工作日不计入期限：")
            else:
                lines.append("期间没有非工作日")
        lines.extend(f"  {format_date(s.day)} {s.reason}" for s in self.skipped)
        lines.append(f"期满日：{format_date(self.due)}")
        if self.done_on is not None:
            late = (self.done_on - self.due).days
            lines.append(f"实际{self.rule.name.removesuffix('期限')}日：{format_date(self.done_on)}，"
                         + (f"逾期{late}天" if late > 0 else "在期限内"))
        warning = self.warning()
        if warning is not None:
            lines.append(warning)
        return "\n".join(lines)


def _check_days(rule: DeadlineRule, days: int) -> None:
    if days < 1:
        raise ValidationError("deadline_days", f"期限天数必须是正整数，实际为{days}", field="days")
    if rule.code == EXTENSION_MAX.code and days > EXTENSION_MAX.days:
        raise _extension_too_long()


def _extension_too_long() -> RuleViolation:
    return RuleViolation("extension_too_long", "延期不得超过30日（《信访工作条例》第三十四条）")


def compute_deadline(
    rule: DeadlineRule,
    start: date,
    counting: DayCounting,
    calendar: HolidayCalendar,
    days: int | None = None,
) -> Deadline:
    """Due date of ``rule`` for a period starting on ``start`` (not counted).

    ``counting`` is the locality setting; a rule whose text fixes the counting
    (the 5 working days of art. 23) ignores it.  ``days`` overrides the rule's
    length, e.g. for an approved extension shorter than 30 days.
    """
    length = rule.days if days is None else days
    _check_days(rule, length)
    effective = rule.fixed_counting or counting
    skipped: list[SkippedDay] = []
    if effective is DayCounting.CALENDAR:
        due = start + timedelta(days=length)
        while not calendar.is_workday(due):
            skipped.append(SkippedDay(due, calendar.rest_reason(due)))
            due += _ONE_DAY
    else:
        due = start
        counted = 0
        while counted < length:
            due += _ONE_DAY
            if calendar.is_workday(due):
                counted += 1
            else:
                skipped.append(SkippedDay(due, calendar.rest_reason(due)))
    first_year = (start + _ONE_DAY).year
    unverified = tuple(
        year for year in range(first_year, due.year + 1) if not calendar.knows_year(year)
    )
    return Deadline(
        rule=rule,
        start=start,
        due=due,
        counting=effective,
        skipped=tuple(skipped),
        verified=not unverified,
        unverified_years=unverified,
        days=None if days is None else length,
    )


def extend_deadline(
    current: Deadline,
    extra_days: int,
    counting: DayCounting,
    calendar: HolidayCalendar,
) -> Deadline:
    """Extend a handling period (art. 34) by ``extra_days`` counted from its due date.

    Extending an extension again is counted from the original due date, so the
    total extension can never exceed 30 days.
    """
    if current.rule.code == EXTENSION_MAX.code:
        base_due = current.start
        total = current.period_days + extra_days
    else:
        base_due = current.due
        total = extra_days
    if extra_days < 1 or total > EXTENSION_MAX.days:
        raise _extension_too_long()
    extended = compute_deadline(EXTENSION_MAX, base_due, counting, calendar, days=total)
    if current.verified:
        return extended
    years = tuple(sorted(set(current.unverified_years) | set(extended.unverified_years)))
    return Deadline(
        rule=extended.rule,
        start=extended.start,
        due=extended.due,
        counting=extended.counting,
        skipped=extended.skipped,
        verified=False,
        unverified_years=years,
        days=extended.days,
    )


def leader_reception_day(
    year: int, month: int, calendar: HolidayCalendar, day_of_month: int = 15
) -> date:
    """The leaders' monthly reception day: ``day_of_month``, or the next working day."""
    try:
        day = date(year, month, day_of_month)
    except ValueError:
        raise ValidationError(
            "reception_day_invalid",
            f"{year}年{month}月没有{day_of_month}日，无法确定领导接待日",
            field="day_of_month",
        ) from None
    while not calendar.is_workday(day):
        day += _ONE_DAY
    return day


def next_leader_reception_day(today: date, calendar: HolidayCalendar, day_of_month: int = 15) -> date:
    """The first reception day on or after ``today``: this month's, or next month's once it has passed."""
    day = leader_reception_day(today.year, today.month, calendar, day_of_month)
    if day >= today:
        return day
    year, month = (today.year + 1, 1) if today.month == 12 else (today.year, today.month + 1)
    return leader_reception_day(year, month, calendar, day_of_month)
