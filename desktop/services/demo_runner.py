"""Creating a demonstration database from the generator, with progress."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from desktop.config import Settings
from desktop.domain.calendar import HolidayCalendar
from desktop.domain.case import DeadlinePolicy
from desktop.domain.deadlines import DayCounting
from desktop.services.database import open_database
from desktop.services.demo import DemoGenerator, DemoReport, write_demo
from desktop.services.reference import load_regions, load_taxonomy


def generate_demo_database(path: Path, settings: Settings, cases: int, *, seed: int,
                           replace: bool = False, today: date | None = None,
                           progress: Callable[[int, int], None] | None = None) -> DemoReport:
    if path.exists():
        if not replace:
            raise FileExistsError(f"数据库 {path} 已存在；如需重新生成请加 --replace")
        for leftover in path.parent.glob(path.name + "*"):
            leftover.unlink()
    started = time.perf_counter()
    engine = open_database(path)
    policy = DeadlinePolicy(DayCounting(settings.day_counting), HolidayCalendar.builtin())
    generator = DemoGenerator(seed=seed, today=today or date.today(), taxonomy=load_taxonomy(),
                              regions=load_regions(), pepper=settings.pepper_bytes,
                              device_id=settings.device_id[:4] or "demo")
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            # Random keys (UUIDs, ID numbers, name keys) touch pages all over every index;
            # a large page cache keeps a million-case build from going disk-bound.
            connection.exec_driver_sql("PRAGMA cache_size=-2000000")
        done, events = write_demo(connection, generator, cases, policy, progress=progress,
                                  local_device_code=settings.device_code, commit_every=100_000)
        connection.commit()
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA optimize")
    engine.dispose()
    return DemoReport(cases=done, events=events, seconds=time.perf_counter() - started)
