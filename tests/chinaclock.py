"""A machine set to any time zone, stopped at a chosen instant: for the tests of the hall's China clock."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

import pytest

#: A morning in China (12月7日 01:30) that is still the evening before in UTC and in California.
AFTER_CHINA_MIDNIGHT = datetime(2026, 12, 6, 17, 30, tzinfo=UTC)
#: The last minute of 12月6日 in China.
BEFORE_CHINA_MIDNIGHT = datetime(2026, 12, 6, 15, 59, tzinfo=UTC)
ZONES = ("UTC", "America/Los_Angeles", "Asia/Shanghai")


@contextmanager
def machine(zone: str, instant: datetime) -> Iterator[None]:
    """This process's time zone set to ``zone`` and its epoch clock stopped at ``instant``."""
    ns = int(instant.timestamp()) * 1_000_000_000
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("TZ", zone)
            time.tzset()
            patch.setattr(time, "time_ns", lambda: ns)
            patch.setattr(time, "time", lambda: ns / 1e9)
            yield
    finally:
        time.tzset()  # the zone the process had
