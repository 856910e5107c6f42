"""Failed tries per key within a sliding window: what keeps an 8-digit query code from being found by trying.

Used by the server's public lookup (per client address and per case number) and by the
kiosk's progress lookup (per kiosk and per case number). Pure Python, thread-safe; the
clock is handed in.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from datetime import datetime, timedelta


class FailureLimiter:
    """Failed tries per key within a sliding window (thread-safe; the clock is handed in)."""

    def __init__(self, allowed: int, window: timedelta, now: Callable[[], datetime]) -> None:
        self.allowed, self.window, self.now = allowed, window, now
        self._failures: dict[str, deque[datetime]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, now: datetime) -> deque[datetime]:
        times = self._failures.get(key)
        if times is None:
            return deque()
        while times and now - times[0] >= self.window:
            times.popleft()
        if not times:
            del self._failures[key]
        return times

    def retry_after(self, key: str) -> int:
        """Seconds until ``key`` may try again; 0 when it may now."""
        now = self.now()
        with self._lock:
            times = self._recent(key, now)
            if len(times) < self.allowed:
                return 0
            return max(1, int((times[0] + self.window - now).total_seconds()) + 1)

    def retry_at(self, key: str) -> datetime | None:
        """When ``key`` may try again (the oldest failure in the window leaves it); None when it may now."""
        now = self.now()
        with self._lock:
            times = self._recent(key, now)
            if len(times) < self.allowed:
                return None
            return times[0] + self.window

    def remaining(self, key: str) -> int:
        """How many more failures ``key`` may have before it must wait."""
        now = self.now()
        with self._lock:
            return max(0, self.allowed - len(self._recent(key, now)))

    def fail(self, key: str) -> None:
        now = self.now()
        with self._lock:
            self._recent(key, now)
            self._failures.setdefault(key, deque()).append(now)
            if len(self._failures) > 100_000:  # a flood of distinct keys: forget the oldest half
                for stale in list(self._failures)[:50_000]:
                    del self._failures[stale]


class SlowingLimiter:
    """Failures per key within a sliding window: ``free`` of them cost nothing, each one after that a wait
    that doubles from ``first_wait`` up to ``longest_wait`` (counted from the last failure).

    What a shared device (a kiosk) needs: someone trying codes is slowed down more and more,
    while the next person at the device waits minutes at most, never an hour.
    """

    def __init__(self, free: int, window: timedelta, first_wait: timedelta, longest_wait: timedelta,
                 now: Callable[[], datetime]) -> None:
        self.free, self.window, self.now = free, window, now
        self.first_wait, self.longest_wait = first_wait, longest_wait
        self._limiter = FailureLimiter(free, window, now)

    def wait_for(self, count: int) -> timedelta:
        """The wait after ``count`` failures in the window (nothing while they are within ``free``)."""
        over = count - self.free
        if over < 0:
            return timedelta(0)
        wait: timedelta = self.first_wait * (2 ** min(over, 30))
        return min(wait, self.longest_wait)

    def retry_at(self, key: str) -> datetime | None:
        """When ``key`` may try again; None when it may now."""
        now = self.now()
        with self._limiter._lock:
            times = self._limiter._recent(key, now)
            if len(times) < self.free:
                return None
            until = times[-1] + self.wait_for(len(times))
            return until if until > now else None

    def fail(self, key: str) -> None:
        self._limiter.fail(key)
