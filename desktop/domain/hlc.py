"""Hybrid logical clock: a total order of events made on many offline devices.

A timestamp is the wall time in milliseconds, a counter that breaks ties within
one millisecond (and keeps order when a device's clock runs behind a time it
has already seen), and the device id. Its text form sorts in clock order, so
the database can order events with a plain string index.

**A clock that was wrong.** A device whose wall clock ran ahead (a flat CMOS battery,
a wrong time zone) stamps its events in the future; a plain hybrid clock would then
stay ahead after the wall clock is corrected, stamping every new event in the future
too, and drag every replica that sees those times along. Here the clock *rebases*:
when its time is more than :data:`MAX_DRIFT_MS` ahead of the wall clock it was handed,
the next local timestamp is taken from the wall clock again. Stamps already given are
kept as they are (events are immutable); causality within a case is kept by the
``after`` floor of :meth:`HybridClock.tick` — a decision on a case is always stamped
after the case's latest event, even one stamped in the future — and a time observed
from another device moves this clock only until its next tick, so no replica is
dragged into the future for longer than one event.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

_MS_WIDTH = 13
_COUNTER_WIDTH = 5
MAX_COUNTER = 10**_COUNTER_WIDTH - 1
#: How far the hybrid clock may run ahead of the wall clock before it is taken as wrong and rebased.
#: Ordinary skew between the hall's PCs (seconds) stays well inside; a clock set days ahead does not.
MAX_DRIFT_MS = 10 * 60 * 1000


@dataclass(frozen=True, order=True)
class Hlc:
    wall_ms: int
    counter: int
    device_id: str

    def __str__(self) -> str:
        return f"{self.wall_ms:0{_MS_WIDTH}d}-{self.counter:0{_COUNTER_WIDTH}d}-{self.device_id}"

    @classmethod
    def parse(cls, text: str) -> Hlc:
        wall, counter, device = text.split("-", 2)
        if len(wall) != _MS_WIDTH or len(counter) != _COUNTER_WIDTH or not device:
            raise ValueError(f"not a hybrid clock timestamp: {text!r}")
        return cls(int(wall), int(counter), device)


class HybridClock:
    """One device's clock. The wall time is handed in so that tests control it.

    Thread-safe: a sync observing pulled timestamps on one thread and a decision
    ticking on another must never hand out the same timestamp twice.
    """

    def __init__(self, device_id: str, last: Hlc | None = None) -> None:
        if "-" in device_id or not device_id:
            raise ValueError("device id must be non-empty and contain no '-'")
        self.device_id = device_id
        self._wall = last.wall_ms if last else 0
        self._counter = last.counter if last else 0
        self._lock = threading.Lock()

    def tick(self, wall_ms: int, after: Hlc | None = None) -> Hlc:
        """Timestamp for a local event; later than ``after`` (the latest event of the case it belongs to).

        When this clock is more than :data:`MAX_DRIFT_MS` ahead of ``wall_ms`` — the wall clock
        has been set back since, or a far-ahead time was observed — it first rebases on the wall
        clock; ``after`` still wins, so an event never sorts before the case's earlier events.
        """
        with self._lock:
            if self._wall > wall_ms + MAX_DRIFT_MS:
                self._wall, self._counter = wall_ms - 1, 0  # rebase: the next step lands on the wall clock
            if after is not None and (after.wall_ms, after.counter) >= (self._wall, self._counter):
                self._wall, self._counter = after.wall_ms, after.counter
            if wall_ms > self._wall:
                self._wall, self._counter = wall_ms, 0
            else:
                self._counter += 1
                if self._counter > MAX_COUNTER:  # more than 100,000 events in one ms
                    self._wall, self._counter = self._wall + 1, 0
            return Hlc(self._wall, self._counter, self.device_id)

    def ahead_of(self, wall_ms: int) -> int:
        """How many milliseconds this clock runs ahead of ``wall_ms`` (0 when it does not)."""
        with self._lock:
            return max(self._wall - wall_ms, 0)

    def observe(self, remote: Hlc, wall_ms: int) -> None:
        """Advance past a timestamp received from another device."""
        with self._lock:
            top = max(self._wall, remote.wall_ms, wall_ms)
            if top == self._wall == remote.wall_ms:
                self._counter = max(self._counter, remote.counter)
            elif top == remote.wall_ms:
                self._counter = remote.counter
            elif top != self._wall:
                self._counter = 0
            self._wall = top
