"""The supervision board and the one-year statistics dashboard, timed on a large database.

What the leader's and counter's deadline panel asks for when it opens: ``backlog`` (open,
overdue, due within a week, flagged for a supervisor — counted over every case) and
``upcoming_deadlines`` (the 200 most urgent). And what the supervisors' statistics panel
asks for: ``statistics.year_dashboard`` (every indicator by month, by channel, the top
topics and the backlog) for the most recent full year in the data and for the current year.

Standalone, read-only (the file is opened without migrating it, so it is timed with the
indexes it has)::

    PH_CONFIG_DIR=/path/cfg python -m bench.supervision --db /path/hall.db [--runs 7]
"""

from __future__ import annotations

import argparse
import functools
import json
import statistics
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from bench.common import timed_ms
from db.models import CaseRow
from desktop.domain.access import Role
from desktop.services import statistics as indicators
from desktop.services import supervision
from desktop.services.context import Actor, Hall

ACTOR = Actor("bench:supervisor", "督查（基准）", Role.SUPERVISOR)


def measure(hall: Hall, runs: int) -> dict[str, Any]:
    """Median (and first, cold) milliseconds of backlog, deadline list, and both together."""
    actor = ACTOR
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


def dashboard_years(hall: Hall) -> dict[str, int]:
    """The most recent full year with cases (before the current one) and the current year."""
    today = hall.today()
    with hall.sessions() as session:
        last_full = session.scalar(select(func.max(CaseRow.received_on)).where(
            CaseRow.received_on < date(today.year, 1, 1)))
    years = {"current": today.year}
    if last_full is not None:
        years["full"] = last_full.year
    return years


def measure_dashboard(hall: Hall, runs: int) -> dict[str, Any]:
    """Per year: the first (cold: a fresh connection's empty page cache) and the median of ``runs``."""
    hall.engine.dispose()  # the first call opens a new connection, as a panel opening after start-up
    result: dict[str, Any] = {"runs": runs}
    for kind, year in sorted(dashboard_years(hall).items()):
        started = time.perf_counter()
        board = indicators.year_dashboard(hall, ACTOR, year)
        first_ms = (time.perf_counter() - started) * 1000
        samples = [timed_ms(functools.partial(indicators.year_dashboard, hall, ACTOR, year)) for _ in range(runs)]
        result[kind] = {"year": year, "first_ms": first_ms, "median_ms": statistics.median(samples),
                        "samples_ms": samples, "cases": board.total.batches, "persons": board.total.persons,
                        "answered": board.total.answered}
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.supervision", description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="the encrypted database (its key in PH_CONFIG_DIR)")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)
    from desktop.config import load_settings
    from desktop.installation import load_secrets
    from desktop.services.database import open_database

    db = Path(args.db)
    settings = load_settings()
    secrets = load_secrets(settings, db)
    hall = Hall(engine=open_database(db, key=secrets.database_key, migrate=False), settings=settings,
                secrets=secrets)
    try:
        report = {"board": measure(hall, args.runs), "dashboard": measure_dashboard(hall, args.runs)}
    finally:
        hall.engine.dispose()
    json.dump(report, sys.stdout, ensure_ascii=False, indent=1)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
