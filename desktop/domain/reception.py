"""Leader reception days (领导接访日): the schedule rule, slots and the waiting list, the board's rules.

Plain rules, no clock: every date is handed in. The schedule is the ``day_of_month`` of each
month (the 15th by default); a day that falls on a rest day is kept, moved to the next working
day or to the previous one, by setting, with the holiday calendar the deadlines use.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, time, timedelta
from enum import StrEnum
from itertools import pairwise
from typing import Final

from desktop.domain.calendar import HolidayCalendar
from desktop.domain.case import CONCLUDED_STATES, FINAL_STATES, CaseState
from desktop.domain.deadlines import DayCounting, DeadlineRule, compute_deadline, format_date
from desktop.domain.errors import ValidationError
from desktop.domain.hours import clock_words

_ONE_DAY = timedelta(days=1)
#: The leader's office is told this many days ahead of a reception day (a list to print or export).
OFFICE_NOTICE_DAYS = 5


class RestDayRule(StrEnum):
    """What happens to a reception day that falls on a weekend or a public holiday."""

    KEEP = "keep"  # received on the day all the same
    NEXT = "next"  # the next working day
    PREVIOUS = "previous"  # the working day before

    @property
    def label(self) -> str:
        return {"keep": "照常接访", "next": "顺延至下一个工作日", "previous": "提前至前一个工作日"}[self.value]


def reception_day(year: int, month: int, calendar: HolidayCalendar, day_of_month: int = 15,
                  rule: RestDayRule = RestDayRule.NEXT) -> date:
    """The month's reception day by the rule."""
    try:
        day = date(year, month, day_of_month)
    except ValueError:
        raise ValidationError("reception_day_invalid", f"{year}年{month}月没有{day_of_month}日，无法确定领导接访日",
                              field="day_of_month") from None
    if rule is RestDayRule.KEEP:
        return day
    step = _ONE_DAY if rule is RestDayRule.NEXT else -_ONE_DAY
    while not calendar.is_workday(day):
        day += step
    return day


def schedule_notes(days: Sequence[date], calendar: HolidayCalendar) -> str:
    """What the person making the schedule must check: a day on a rest day, a year without holiday data.

    "" when there is nothing to say. A year whose official schedule has not been imported is
    counted with weekends only, so its reception days may fall on a public holiday.
    """
    notes = []
    rest = [d for d in sorted(set(days)) if not calendar.is_workday(d)]
    if rest:
        notes.append("、".join(f"{d.year}年{d.month}月{d.day}日（{calendar.rest_reason(d)}）" for d in rest)
                     + "不是工作日")
    unknown = sorted({d.year for d in days if not calendar.knows_year(d.year)})
    if unknown:
        notes.append(f"{'、'.join(str(y) for y in unknown)}年的节假日安排尚未导入，这些接访日仅按周末推算，"
                     "可能落在法定节假日：国务院办公厅公布该年安排后，请系统管理员导入该年的节假日安排，再核对接访日")
    return f"注意：{'；'.join(notes)}。" if notes else ""


def due_note(due: date, calendar: HolidayCalendar) -> str:
    """What to check about a 包案 deadline the leader chose: a rest day, a year without holiday data ("" if none).

    The default deadline is counted like every deadline; one typed or picked by hand may fall on a holiday
    (元旦, a Sunday after 调休) when the unit's office is closed.
    """
    notes = []
    if not calendar.is_workday(due):
        notes.append(f"办结期限{due.year}年{due.month}月{due.day}日（{calendar.rest_reason(due)}）不是工作日，"
                     "请确认或另选日期")
    if not calendar.knows_year(due.year):
        notes.append(f"{due.year}年的节假日安排尚未导入，期限是否落在法定节假日未经核实")
    return f"注意：{'；'.join(notes)}。" if notes else ""


def reception_days(first_month: date, months: int, calendar: HolidayCalendar, day_of_month: int = 15,
                   rule: RestDayRule = RestDayRule.NEXT) -> list[date]:
    """The reception days of ``months`` months from ``first_month``'s month on."""
    if not 1 <= months <= 24:
        raise ValidationError("reception_months", "一次可生成1至24个月的接访日", field="months")
    out = []
    year, month = first_month.year, first_month.month
    for _ in range(months):
        out.append(reception_day(year, month, calendar, day_of_month, rule))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


@dataclass(frozen=True)
class Slot:
    """A time slot of a reception day and how many visitors (批次) it takes."""

    starts: str  # "09:00"
    ends: str  # "10:30"
    capacity: int

    @property
    def label(self) -> str:
        """8:30–9:30, as the hall's hours and every time of day a citizen reads (no leading zero of the hour);
        ``starts`` and ``ends`` keep the setting's own 08:30."""
        return f"{clock_words(time.fromisoformat(self.starts))}–{clock_words(time.fromisoformat(self.ends))}"


#: How long before their slot a visitor is asked to come on the day (the kiosk, the slip and the counter say it).
ARRIVE_AHEAD_MINUTES: Final = 15


def _minutes(hhmm: str) -> int:
    hours, _, minutes = hhmm.partition(":")
    return int(hours) * 60 + int(minutes)


def arrival_words(slot: Slot | None, now: str | None, *, slip: bool = False, card: bool = False) -> str:
    """When to come for a booking in ``slot``, in plain words, read at ``now`` ("10:51" on the reception day itself,
    ``None`` before it). A slot begun, or starting within :data:`ARRIVE_AHEAD_MINUTES`: come to the window now
    (coming 15 minutes early is no longer possible). Otherwise: come 15 minutes early on the day. ``slip``: the
    words the printed slip says (bring it and the ID card); ``card``: a screen with no slip to take home says to
    bring the ID card on the day too. "" on the waiting list (``slot`` None): nobody comes until called."""
    if slot is None:
        return ""
    bring = "凭本回执和身份证" if slip else "带上身份证"
    if now is not None and _minutes(slot.starts) - _minutes(now) <= ARRIVE_AHEAD_MINUTES:
        starts = clock_words(time.fromisoformat(slot.starts))
        begun = f"您预约的时段{starts}已经开始" if slot.starts <= now else f"您预约的时段{starts}就要开始"
        return f"{begun}，请现在就{bring}到窗口报到"
    if slip:
        return f"请于接访当日凭本回执和身份证提前{ARRIVE_AHEAD_MINUTES}分钟到接待大厅，在窗口报到后按时段等候"
    if card:
        return f"接访当日请带上身份证，提前{ARRIVE_AHEAD_MINUTES}分钟到达，在窗口报到后按时段等候"
    return f"请在接访当日提前{ARRIVE_AHEAD_MINUTES}分钟到达，在窗口报到后按时段等候"


def slots_in_words(slots: Sequence[Slot]) -> str:
    """The slots as a reader says them: 9:00–10:30限4人、10:30–12:00限4人 (no leading zero, no setting syntax)."""
    return "、".join(f"{slot.label}限{slot.capacity}人" for slot in slots)


def office_list_words(tell: date, today: date, created_on: date | None) -> str:
    """When the day's list goes to the leader's office: 12月2日送出（已到期）; a day added after that date (or on
    it) has no such past date: its list may go at once (今日新增，名单随时可送出 / 12月6日新增，名单随时可送出)."""
    if created_on is not None and tell <= created_on:
        added = "今日新增" if created_on == today else f"{created_on.month}月{created_on.day}日新增"
        return f"{added}，名单随时可送出"
    return f"{format_date(tell)}送出" + ("（已到期）" if tell <= today else "")


_SLOT = re.compile(r"\s*(\d{1,2}):(\d{2})\s*[-–~]\s*(\d{1,2}):(\d{2})\s*/\s*(\d{1,3})\s*")


def parse_slots(text: str) -> tuple[Slot, ...]:
    """``09:00-10:30/5,10:30-12:00/5``: each slot's times and capacity; refused in words when malformed."""
    slots: list[Slot] = []
    for part in (p for p in re.split(r"[,，;；]", text) if p.strip()):
        match = _SLOT.fullmatch(part)
        if match is None:
            raise ValidationError("slot_format", f"时段“{part.strip()}”格式不对，应如 09:00-10:30/5（时间-时间/人数）",
                                  field="slots")
        h1, m1, h2, m2, capacity = (int(g) for g in match.groups())
        if not (0 <= h1 < 24 and 0 <= h2 < 24 and m1 < 60 and m2 < 60) or (h1, m1) >= (h2, m2):
            raise ValidationError("slot_times", f"时段“{part.strip()}”的起止时间不对", field="slots")
        if not 1 <= capacity <= 200:
            raise ValidationError("slot_capacity", f"时段“{part.strip()}”的人数应在1至200之间", field="slots")
        slots.append(Slot(f"{h1:02d}:{m1:02d}", f"{h2:02d}:{m2:02d}", capacity))
    if not slots:
        raise ValidationError("slots_missing", "接访日至少要有一个时段", field="slots")
    for before, after in pairwise(slots):
        if after.starts < before.ends:
            raise ValidationError("slots_overlap", f"时段{before.label}与{after.label}重叠", field="slots")
    return tuple(slots)


def format_slots(slots: Sequence[Slot]) -> str:
    return ",".join(f"{s.starts}-{s.ends}/{s.capacity}" for s in slots)


def places_left(slots: Sequence[Slot], booked: Sequence[int], now: str | None = None) -> tuple[int, ...]:
    """The places left in each slot; on the day itself (``now``, "13:05") a slot already over has none."""
    return tuple(0 if now is not None and slot.ends <= now else max(0, slot.capacity - booked[index])
                 for index, slot in enumerate(slots))


def day_over(slots: Sequence[Slot], now: str | None) -> bool:
    """Whether, on the day itself (``now``, "17:40"), every slot has ended: nobody is booked, not even to wait."""
    return now is not None and bool(slots) and all(slot.ends <= now for slot in slots)


#: The most people one booking brings: more must choose representatives (《信访工作条例》: 多人走访推选代表，不超过5人).
MAX_PERSONS: Final = 5


def place_booking(slots: Sequence[Slot], booked: Sequence[int], wanted: int | None,
                  now: str | None = None) -> int | None:
    """The slot a new appointment gets, or ``None`` for the waiting list.

    The wanted slot while it has room; else (or with no wish) the earliest slot with room;
    with every slot full the visitor waits (候补) and is moved up when someone cancels.
    Booked on the day itself (``now``, "13:05"), a slot already over has no room.
    """
    if wanted is not None and not 0 <= wanted < len(slots):
        raise ValidationError("slot_unknown", "没有这个时段", field="slot")

    left = places_left(slots, booked, now)
    if wanted is not None and left[wanted] > 0:
        return wanted
    return next((index for index, places in enumerate(left) if places > 0), None)


def place_walk_in(slots: Sequence[Slot], booked: Sequence[int], now: str) -> int | None:
    """The slot a walk-in on the day gets at ``now`` ("13:05"): the earliest not yet over with room, else 候补."""
    return place_booking(slots, booked, None, now)


def office_notice_day(day: date, calendar: HolidayCalendar) -> date:
    """When the leader's office is told of a reception day's appointments: five days ahead, on a working day.

    Five days before a Thursday is a Saturday: the list goes out on the working day before (the Friday), never
    on a day the office is closed (nor late, after the rest days).
    """
    tell = day - timedelta(days=OFFICE_NOTICE_DAYS)
    while not calendar.is_workday(tell):
        tell -= _ONE_DAY
    return tell


def follow_up_due(reception_on: date, days: int, counting: DayCounting, calendar: HolidayCalendar) -> date:
    """访后限期办结: the default deadline of a case a leader takes on, ``days`` after the reception day."""
    rule = DeadlineRule("leader_follow_up", "访后限期办结", days, "领导接访日制度", start_event="接访之日")
    return compute_deadline(rule, reception_on, counting, calendar).due


def leader_case_concluded(state: str, answered_on: date | None, taken_on: date | None) -> bool:
    """Whether a case a leader took on (包案) is concluded, for the board and 按期办结.

    Concluded means answered (or otherwise concluded) *after* it was taken on: a visitor whose
    case had been answered comes back dissatisfied and the leader takes it on again; that old
    answer concludes nothing the leader asked for — a later answer (复查、复核意见) does.
    """
    if state not in {s.value for s in CONCLUDED_STATES}:
        return False
    return answered_on is None or taken_on is None or answered_on >= taken_on


@dataclass(frozen=True)
class BacklogRule:
    """积案: a matter still open after ``min_age_days``, or raised again ``min_visits`` times or more."""

    min_age_days: int = 180
    min_visits: int = 3

    def applies(self, state: str, received_on: date, visits: int, today: date) -> bool:
        if CaseState(state) in FINAL_STATES or CaseState(state) in CONCLUDED_STATES:
            return False
        return (today - received_on).days >= self.min_age_days or visits >= self.min_visits

    def reason(self, received_on: date, visits: int, today: date) -> str:
        parts = []
        age = (today - received_on).days
        if age >= self.min_age_days:
            parts.append(f"登记已{age}天未办结")
        if visits >= self.min_visits:
            parts.append(f"重复信访{visits}次")
        return "，".join(parts)


def check_decision_day(reception_on: date, today: date) -> None:
    """批示 and 包案 are recorded when the leader receives the visitor: on the reception day, or after it for a day
    entered late; never before (a 交办单 would say the visitor was received on a day still to come)."""
    if reception_on > today:
        raise ValidationError("instruction", f"接访日（{reception_on.month}月{reception_on.day}日）还没到：可先看预案、"
                              "加批注，批示和包案在接待来访人当天记录", "instruction")
