"""The service an estimated wait uses: today's, else that of the weeks before."""

from __future__ import annotations

from desktop.domain.queue import Served, estimated_wait_minutes, service_for_estimate


def test_todays_service_wins_over_earlier_days() -> None:
    today = [Served("2026-12-07", 1, 600.0)]
    earlier = [Served("2026-12-04", 1, 60.0), Served("2026-12-04", 2, 60.0)]
    assert service_for_estimate(today, earlier) == (10.0, 1)


def test_earlier_days_count_their_windows_per_day_on_average() -> None:
    earlier = [Served("2026-12-01", 1, 300.0), Served("2026-12-01", 2, 420.0), Served("2026-12-01", 3, 360.0),
               Served("2026-12-02", 1, 360.0)]
    minutes, windows = service_for_estimate([], earlier)
    assert (minutes, windows) == (6.0, 2)  # 3 windows one day, 1 the next
    assert estimated_wait_minutes(5, minutes, windows) == 15


def test_tickets_without_times_or_windows_do_not_count() -> None:
    today = [Served("2026-12-07", None, None)]  # finished without a start: no time to learn from
    earlier = [Served("2026-12-03", None, 240.0)]
    assert service_for_estimate(today, earlier) == (4.0, 0)
    assert estimated_wait_minutes(3, 4.0, 0) == 12  # unknown windows: counted as one
    assert service_for_estimate([], []) == (None, 0)
    assert estimated_wait_minutes(3, None, 0) is None
