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

    def fail(self, key: str) -> None:
        now = self.now()
        with self._lock:
            self._recent(key, now)
            self._failures.setdefault(key, deque()).append(now)
            if len(self._failures) > 100_000:  # a flood of distinct keys: forget the oldest half
                for stale in list(self._failures)[:50_000]:
                    del self._failures[stale]
