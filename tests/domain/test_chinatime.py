"""The hall's clock is China's, whatever the machine's time zone."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from desktop.domain.calendar import stamp_in_words
from desktop.domain.chinatime import china_day, china_moment, china_now, china_today, epoch_ms, in_china
from tests.chinaclock import AFTER_CHINA_MIDNIGHT, BEFORE_CHINA_MIDNIGHT, ZONES, machine


@pytest.mark.parametrize("zone", ZONES)
def test_chinas_day_begins_at_chinas_midnight_on_a_machine_in_any_zone(zone: str) -> None:
    with machine(zone, AFTER_CHINA_MIDNIGHT):
        assert china_now() == datetime(2026, 12, 7, 1, 30)
        assert china_today() == date(2026, 12, 7)
    with machine(zone, BEFORE_CHINA_MIDNIGHT):
        assert china_now() == datetime(2026, 12, 6, 23, 59)
        assert china_today() == date(2026, 12, 6)


@pytest.mark.parametrize("zone", ZONES)
def test_an_epoch_time_reads_as_chinas_wall_time_and_back(zone: str) -> None:
    ms = int(AFTER_CHINA_MIDNIGHT.timestamp() * 1000)
    with machine(zone, AFTER_CHINA_MIDNIGHT):
        assert china_moment(ms) == datetime(2026, 12, 7, 1, 30)
        assert china_day(ms) == date(2026, 12, 7)
        assert epoch_ms(datetime(2026, 12, 7, 1, 30)) == ms  # a naive moment is China's wall time
        assert epoch_ms(AFTER_CHINA_MIDNIGHT) == ms
        assert china_moment(epoch_ms(datetime(2027, 2, 10, 23, 59, 59))) == datetime(2027, 2, 10, 23, 59, 59)


def test_a_time_with_its_zone_is_read_at_chinas_clock() -> None:
    assert in_china(datetime(2026, 12, 6, 17, 30, tzinfo=UTC)) == datetime(2026, 12, 7, 1, 30)
    assert in_china(datetime(2026, 12, 6, 9, 30, tzinfo=timezone(timedelta(hours=-8)))) == datetime(2026, 12, 7, 1, 30)
    assert in_china(datetime(2026, 12, 6, 9, 30)) == datetime(2026, 12, 6, 9, 30)
    assert stamp_in_words("2026-12-06T17:30:00+00:00") == "2026年12月7日 01:30"
    assert stamp_in_words("2026-12-06T17:30:00") == "2026年12月6日 17:30"


def test_a_time_to_try_again_is_said_as_a_time_of_day_rounded_up() -> None:
    from desktop.domain.chinatime import time_of_day_words, too_many_tries

    now = datetime(2026, 12, 7, 23, 40, 10)
    assert time_of_day_words(datetime(2026, 12, 7, 23, 41), now) == "23:41"
    assert time_of_day_words(datetime(2026, 12, 7, 23, 41, 0, 1), now) == "23:42"  # never earlier than allowed
    assert time_of_day_words(datetime(2026, 12, 8, 0, 5, 30), now) == "明天0:06"
    assert time_of_day_words(datetime(2026, 12, 9, 8, 30), now) == "12月9日8:30"
    said = too_many_tries(3600, now)
    assert "请在明天0:41以后再试" in said and "接待窗口" in said
