"""The supervision board as it exists today, timed on a large database.

What the leader's and counter's deadline panel asks for when it opens: ``backlog`` (open,
overdue, due within a week, flagged for a supervisor — counted over every case) and
``upcoming_deadlines`` (the 200 most urgent). A one-year statistics dashboard (cases by
month, 按期办结率 and the other indicators) is not built yet, so it is not timed here.
"""

from __future__ import annotations

import functools
import statistics
import time
from typing import Any

from bench.common import timed_ms
from desktop.domain.access import Role
from desktop.services import supervision
from desktop.services.context import Actor, Hall


def measure(hall: Hall, runs: int) -> dict[str, Any]:
    """Median (and first, cold) milliseconds of backlog, deadline list, and both together."""
    actor = Actor("bench:supervisor", "督查（基准）", Role.SUPERVISOR)
    backlog_ms, deadlines_ms, totals = [], [], []
    started = time.perf_counter()
    backlog = supervision.backlog(hall, actor)
    due = supervision.upcoming_deadlines(hall, actor)
    first_ms = (time.perf_counter() - started) * 1000
    for _ in range(runs):
        b = timed_ms(functools.partial(supervision.backlog, hall, actor))
        d = timed_ms(functools.partial(supervision.upcoming_deadlines, hall, actor))
        backlog_ms.append(b)
        deadlines_ms.append(d)
        totals.append(b + d)
    return {"runs": runs, "backlog_ms": statistics.median(backlog_ms),
            "deadlines_ms": statistics.median(deadlines_ms), "total_ms": statistics.median(totals),
            "totals_ms": totals, "first_ms": first_ms, "open_cases": backlog.open_cases, "overdue": backlog.overdue,
            "due_within_week": backlog.due_within_week, "flagged": backlog.flagged, "deadline_rows": len(due)}
