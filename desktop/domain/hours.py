"""The hall's opening hours (大厅开放时间): when queue tickets are issued, and when the hall opens next.

The hours are written as periods of a day, ``08:30-12:00,13:30-17:30``; the hall is open in them on
working days as the holiday calendar counts them (a 调休 Saturday is a working day, a holiday Monday
is not). Plain Python: the calendar and the moment are handed in.
"""

from __future__ import annotations

import itertools
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, NamedTuple

from desktop.domain.errors import ValidationError

if TYPE_CHECKING:  # the settings check the hours at every start: the calendar module is not needed for that
    from desktop.domain.calendar import HolidayCalendar

DEFAULT_HOURS = "08:30-12:00,13:30-17:30"
#: How far ahead the next opening is looked for (a hall closed longer than this says so without a date).
LOOK_AHEAD_DAYS = 60
#: The statutory holidays on fixed dates (《全国年节及纪念日放假办法》: 元旦, 劳动节 two days, 国庆节 three): no
#: hall opens on them, even in a year whose schedule the calendar does not hold yet (December, before it is published).
FIXED_HOLIDAYS = frozenset({(1, 1), (5, 1), (5, 2), (10, 1), (10, 2), (10, 3)})


# Named tuples rather than dataclasses: every start checks the setting, and they are made in a fifth of the time.
class Period(NamedTuple):
    opens: time
    closes: time

    @property
    def label(self) -> str:
        return f"{clock_words(self.opens)}–{clock_words(self.closes)}"


class OpeningHours(NamedTuple):
    periods: tuple[Period, ...]  # none: no limit (tickets at any time)

    @property
    def label(self) -> str:
        """工作日 8:30–12:00、13:30–17:30."""
        if not self.periods:
            return "不限（任何时间都可取号）"
        return "工作日 " + "、".join(p.label for p in self.periods)

    def text(self) -> str:
        """The setting's own form: ``08:30-12:00,13:30-17:30``."""
        return ",".join(f"{p.opens:%H:%M}-{p.closes:%H:%M}" for p in self.periods)


def clock_words(moment: time) -> str:
    """8:30, 13:05 (no leading zero of the hour, as a notice on the door reads)."""
    return f"{moment.hour}:{moment.minute:02d}"


def _clock(text: str, whole: str) -> time:
    hour, sep, minute = text.strip().partition(":")
    if not sep or not hour.isdigit() or not minute.isdigit() or len(minute) != 2 or len(hour) > 2:
        raise ValidationError("hall_hours", f"开放时间“{whole}”中的“{text.strip()}”不是时刻：请写成 08:30 这样的时和分",
                              "hall_hours")
    if int(hour) > 23 or int(minute) > 59:
        raise ValidationError("hall_hours", f"开放时间“{whole}”中的“{text.strip()}”不是一天中的时刻", "hall_hours")
    return time(int(hour), int(minute))


def parse_hours(text: str) -> OpeningHours:
    """``08:30-12:00,13:30-17:30`` (Chinese commas, 至 and dashes forgiven); ``ValidationError`` in words.

    Empty: no opening hours (tickets at any time, as before the hours were kept).
    """
    whole = text.strip()
    cleaned = (whole.replace("，", ",").replace("、", ",").replace("；", ",").replace(";", ",")
               .replace("：", ":").replace("至", "-").replace("–", "-").replace("—", "-").replace("~", "-"))
    parts = [p for p in cleaned.split(",") if p.strip()]
    if not parts:
        return OpeningHours(())
    periods = []
    for part in parts:
        opens, sep, closes = part.partition("-")
        if not sep:
            raise ValidationError("hall_hours", f"开放时间“{part.strip()}”缺少结束时刻：请写成 08:30-12:00",
                                  "hall_hours")
        period = Period(_clock(opens, whole), _clock(closes, whole))
        if period.closes <= period.opens:
            raise ValidationError("hall_hours", f"开放时间 {period.label} 的结束时刻须晚于开始时刻", "hall_hours")
        periods.append(period)
    periods.sort(key=lambda p: p.opens)
    for before, after in itertools.pairwise(periods):
        if after.opens < before.closes:
            raise ValidationError("hall_hours", f"开放时间 {before.label} 与 {after.label} 重叠，请分开写",
                                  "hall_hours")
    return OpeningHours(tuple(periods))


def is_open(hours: OpeningHours, calendar: HolidayCalendar, moment: datetime) -> bool:
    """Whether the hall is open at ``moment`` (a working day, inside one of the periods)."""
    if not hours.periods:
        return True
    now = moment.time()
    return _works(calendar, moment.date()) and any(p.opens <= now < p.closes for p in hours.periods)


def _works(calendar: HolidayCalendar, day: date) -> bool:
    """A working day of the hall: the calendar's, never a fixed-date statutory holiday of a year it does not know."""
    if calendar.knows_year(day.year):
        return calendar.is_workday(day)
    return calendar.is_workday(day) and (day.month, day.day) not in FIXED_HOLIDAYS


def next_opening(hours: OpeningHours, calendar: HolidayCalendar, moment: datetime) -> datetime | None:
    """When the hall opens next after ``moment`` (None: not within :data:`LOOK_AHEAD_DAYS`)."""
    day = moment.date()
    for offset in range(LOOK_AHEAD_DAYS + 1):
        current = day + timedelta(days=offset)
        if not _works(calendar, current):
            continue
        for period in hours.periods:
            opens = datetime.combine(current, period.opens)
            if opens > moment:
                return opens
    return None


def late_ticket_note(hours: OpeningHours, moment: datetime, wait_minutes: int | None) -> str:
    """"" unless a number taken at ``moment`` is estimated to be called after the hall's last hour of the day:
    then that it may not be reached today (the number is still given: the citizen chooses)."""
    if not hours.periods or wait_minutes is None:
        return ""
    closes = datetime.combine(moment.date(), hours.periods[-1].closes)
    if moment >= closes or moment + timedelta(minutes=wait_minutes) <= closes:
        return ""
    return (f"大厅今天{clock_words(closes.time())}停止办理，按预计等候时间今天可能轮不到您；"
            "不急的话，可以下一个工作日再来")


def day_words(day: date, today: date) -> str:
    """今天, 明天（12月7日，星期一）, or 12月7日（星期一） (the year only when it is another year's)."""
    head, tail = day_parts(day, today)
    return f"{head}（{tail}）" if tail else head


def day_parts(day: date, today: date) -> tuple[str, str]:
    """:func:`day_words` in its two parts, (明天, 12月7日，星期一) or (12月7日, 星期一) or (今天, ""): where a line is
    too narrow for the whole, the second goes under the first."""
    from desktop.domain.calendar import weekday_name

    if day == today:
        return "今天", ""
    if day == today + timedelta(days=1):
        return "明天", f"{day.month}月{day.day}日，{weekday_name(day)}"
    year = f"{day.year}年" if day.year != today.year else ""
    return f"{year}{day.month}月{day.day}日", weekday_name(day)


class ComingDay(NamedTuple):
    """A day of the hall's coming hours as a door notice lists it: its words (and their two parts), and its
    periods, none on a day of rest."""

    words: str
    head: str
    tail: str
    periods: tuple[str, ...]

    @property
    def hours(self) -> str:
        """8:30–12:00、13:30–17:30, or 休息."""
        return "、".join(self.periods) or "休息"


#: How many days the kiosk's closed page lists the hours of.
DAYS_SHOWN = 5


def coming_hours(hours: OpeningHours, calendar: HolidayCalendar, moment: datetime,
                 days: int = DAYS_SHOWN) -> tuple[ComingDay, ...]:
    """The hall's hours of the next ``days`` days as a door notice lists them: 当天, 8:30–12:00、13:30–17:30, or that
    day, 休息. From today while the hall still opens today, else from tomorrow; none without opening hours."""
    if not hours.periods:
        return ()
    today = moment.date()
    first = today if _works(calendar, today) and moment.time() < hours.periods[-1].closes else today + timedelta(1)
    rows = []
    for offset in range(days):
        day = first + timedelta(days=offset)
        periods = tuple(p.label for p in hours.periods) if _works(calendar, day) else ()
        head, tail = day_parts(day, today)
        rows.append(ComingDay(day_words(day, today), head, tail, periods))
    return tuple(rows)


def closed_message(hours: OpeningHours, calendar: HolidayCalendar, moment: datetime, *,
                   with_hours: bool = True) -> str:
    """现在不是大厅开放时间。大厅将于12月7日（星期一）8:30开放（开放时间：工作日 …）.

    ``with_hours=False`` leaves the hours out (a table of the coming days' hours is shown beside it).
    """
    opens = next_opening(hours, calendar, moment)
    when = (f"大厅将于{day_words(opens.date(), moment.date())}{clock_words(opens.time())}开放"
            if opens is not None else "近期没有开放安排，请留意大厅公告")
    # a year whose holidays are not imported rests on weekends only: 1月1日 is not named a day the hall opens
    unknown = (f"。{opens.year}年节假日安排尚未导入，如逢节假日，以大厅公告为准"
               if opens is not None and not calendar.knows_year(opens.year) else "")
    listed = f"（开放时间：{hours.label}）" if with_hours else ""
    return f"现在不是大厅开放时间。{when}{listed}{unknown}"
