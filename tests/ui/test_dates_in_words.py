"""Staff screens write stored times as people read them, never ISO 8601."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from desktop.domain.calendar import date_near, moment_near
from ui.common.widgets import stamp_words

TODAY = date(2026, 12, 6)


def test_a_day_and_a_time_name_the_year_only_when_it_is_another_years() -> None:
    assert date_near(date(2026, 1, 5), TODAY) == "1月5日"
    assert date_near(date(2025, 12, 31), TODAY) == "2025年12月31日"
    assert moment_near(datetime(2026, 12, 6, 9, 5), TODAY) == "12月6日 09:05"


def test_a_stored_time_is_written_in_words_whatever_its_form() -> None:
    assert stamp_words("2026-12-06T13:40:12", TODAY) == "12月6日 13:40"
    assert stamp_words("2025-03-01T08:00:00", TODAY) == "2025年3月1日 08:00"
    here = datetime(2026, 12, 6, 13, 40).astimezone()  # with a zone: shown in this PC's time
    assert stamp_words(here.astimezone(timezone(timedelta(hours=-5))).isoformat(), TODAY) == "12月6日 13:40"
    assert stamp_words("", TODAY) == "" and stamp_words("从未", TODAY) == "从未"
