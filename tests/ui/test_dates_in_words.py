"""Staff screens write stored times as people read them, never ISO 8601."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from desktop.domain.calendar import date_near, moment_near
from desktop.domain.chinatime import CHINA_STANDARD_TIME
from tests.chinaclock import AFTER_CHINA_MIDNIGHT, ZONES, machine
from ui.common.widgets import stamp_words

TODAY = date(2026, 12, 6)


def test_a_day_and_a_time_name_the_year_only_when_it_is_another_years() -> None:
    assert date_near(date(2026, 1, 5), TODAY) == "1月5日"
    assert date_near(date(2025, 12, 31), TODAY) == "2025年12月31日"
    assert moment_near(datetime(2026, 12, 6, 9, 5), TODAY) == "12月6日 09:05"


def test_a_stored_time_is_written_in_words_whatever_its_form() -> None:
    assert stamp_words("2026-12-06T13:40:12", TODAY) == "12月6日 13:40"
    assert stamp_words("2025-03-01T08:00:00", TODAY) == "2025年3月1日 08:00"
    here = datetime(2026, 12, 6, 13, 40, tzinfo=CHINA_STANDARD_TIME)  # with a zone: shown at China's time
    assert stamp_words(here.astimezone(timezone(timedelta(hours=-5))).isoformat(), TODAY) == "12月6日 13:40"
    assert stamp_words("", TODAY) == "" and stamp_words("从未", TODAY) == "从未"


@pytest.mark.parametrize("zone", ZONES)
def test_a_stored_time_reads_at_chinas_clock_and_day_on_a_pc_in_any_zone(zone: str) -> None:
    with machine(zone, AFTER_CHINA_MIDNIGHT):  # 12月7日 01:30 in China
        assert stamp_words("2026-12-06T17:30:00+00:00") == "12月7日 01:30"
        assert stamp_words("2026-12-07T01:30:00") == "12月7日 01:30"  # stored by the hall: China's wall time
        assert stamp_words("2025-12-06T17:30:00Z") == "2025年12月7日 01:30"  # another year than the hall's


def test_a_stored_time_in_full_for_the_audit_log_and_messages() -> None:
    from desktop.domain.calendar import moment_in_words, stamp_in_words

    assert moment_in_words(datetime(2026, 1, 5, 9, 5, 7)) == "2026年1月5日 09:05"
    assert moment_in_words(datetime(2026, 1, 5, 9, 5, 7), seconds=True) == "2026年1月5日 09:05:07"
    assert stamp_in_words("2026-12-06T15:46:01", seconds=True) == "2026年12月6日 15:46:01"
    assert stamp_in_words("2026-09-16 09:30") == "2026年9月16日 09:30"  # the server's form of a copy's time
    assert stamp_in_words("2026-12-01") == "2026年12月1日"  # a day alone: a unit's retirement
    assert stamp_in_words("2026-12-06T15:46:01+08:00") == "2026年12月6日 15:46"
    assert stamp_in_words("") == "" and stamp_in_words("从未") == "从未"


def test_the_audit_detail_writes_its_times_in_words() -> None:
    from ui.admin.audit import describe_detail

    assert describe_detail({"until": "2026-12-06T16:01:30"}) == "锁定至：2026年12月6日 16:01:30"
    assert describe_detail({"expires_at": "2026-12-07T09:00:00", "role": "counter"}).startswith(
        "有效期至：2026年12月7日 09:00:00")


def test_a_shared_setting_is_named_in_words_in_the_audit_log() -> None:
    from ui.admin.audit import describe_target

    assert describe_target("reference:device_places") == "共享数据：设备位置"
