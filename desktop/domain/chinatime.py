"""The hall's clock: the day and the time of day in China, whatever the time zone of the machine.

A reception hall keeps China's day. Every replica dates a case's events in China Standard Time
(UTC+8, no daylight saving time), so the hall's "today" — deadlines, today's queue, reception days,
an ID card's expiry, an age, "不能晚于今天" — is China's day too, also on a server or a PC whose
clock is set to UTC or to any other zone. Moments are handed around as naive datetimes that read as
China's wall time (as they are stored and compared); an epoch time (an HLC's ``wall_ms``) is turned
into one with :func:`china_moment`.
"""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta, timezone

#: The Regulations' days are days in China: an event is dated in China Standard Time on every replica,
#: whatever the time zone of the PC or server folding it.
CHINA_STANDARD_TIME = timezone(timedelta(hours=8), "北京时间")

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def china_now() -> datetime:
    """The time now in China, as a naive wall-clock time (to the microsecond).

    Read from the machine's epoch clock (as the HLC's ``wall_ms`` is), never from its local time.
    """
    return (_EPOCH + timedelta(microseconds=time.time_ns() // 1000)).astimezone(CHINA_STANDARD_TIME).replace(
        tzinfo=None)


def china_today() -> date:
    """Today in China."""
    return china_now().date()


def china_moment(wall_ms: int | float) -> datetime:
    """The naive China wall-clock time of an epoch time in milliseconds (an HLC's ``wall_ms``)."""
    return (_EPOCH + timedelta(milliseconds=wall_ms)).astimezone(CHINA_STANDARD_TIME).replace(tzinfo=None)


def china_day(wall_ms: int | float) -> date:
    """The day in China of an epoch time in milliseconds."""
    return china_moment(wall_ms).date()


def in_china(moment: datetime) -> datetime:
    """``moment`` as a naive China wall-clock time: an aware one is converted, a naive one is taken as such."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(CHINA_STANDARD_TIME).replace(tzinfo=None)


def epoch_ms(moment: datetime) -> int:
    """The epoch time in milliseconds of ``moment`` (a naive one reads as China's wall-clock time)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=CHINA_STANDARD_TIME)
    return (moment - _EPOCH) // timedelta(milliseconds=1)


def time_of_day_words(at: datetime, now: datetime) -> str:
    """The time of day from which something is possible again, rounded up to the minute: 10:42 today, 明天0:05,
    12月9日8:30 later (China's wall time, as :func:`china_now` reads it)."""
    minute = at.replace(second=0, microsecond=0)
    if minute < at:
        minute += timedelta(minutes=1)
    day = "" if minute.date() == now.date() else "明天" if minute.date() == now.date() + timedelta(days=1) \
        else f"{minute.month}月{minute.day}日"
    return f"{day}{minute.hour}:{minute.minute:02d}"


def too_many_tries(retry_after_s: int, now: datetime) -> str:
    """A progress lookup refused after too many wrong codes (the web page, a server's answer to a kiosk): from
    what time of day to try again, and the counter."""
    at = time_of_day_words(now + timedelta(seconds=max(0, retry_after_s)), now)
    return f"查询失败次数过多，为防止他人猜测，请在{at}以后再试，或携带回执到接待窗口查询"
