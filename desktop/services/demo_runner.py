"""Creating a demonstration database from the generator, with progress.

The demo database is encrypted like any other: its secrets are saved in the key store
for its path before the file is created, and ``replace`` renews them with the file.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from desktop.config import Settings
from desktop.domain.calendar import HolidayCalendar
from desktop.domain.case import DeadlinePolicy
from desktop.domain.deadlines import DayCounting
from desktop.services.database import database_files, open_database
from desktop.services.demo import DemoGenerator, DemoReport, write_demo
from desktop.services.reference import load_regions, load_taxonomy


def generate_demo_database(path: Path, settings: Settings, cases: int, *, seed: int,
                           replace: bool = False, today: date | None = None,
                           progress: Callable[[int, int], None] | None = None) -> DemoReport:
    from desktop.installation import load_secrets, replace_secrets

    if path.exists():
        if not replace:
            raise FileExistsError(f"数据库 {path} 已存在；如需重新生成请加 --replace")
        # The old files go first, then the key: a crash in between leaves a key without a
        # database (used for the next one), never a database without its key.
        # (the audit log's head anchor beside the file belongs to the old database too)
        for leftover in [*database_files(path), path.with_name(path.name + ".audit-head")]:
            leftover.unlink(missing_ok=True)
        secrets = replace_secrets(settings, path)
    else:
        secrets = load_secrets(settings, path)
    started = time.perf_counter()
    engine = open_database(path, key=secrets.database_key)
    policy = DeadlinePolicy(DayCounting(settings.day_counting), HolidayCalendar.builtin())
    generator = DemoGenerator(seed=seed, today=today or date.today(), taxonomy=load_taxonomy(),
                              regions=load_regions(), pepper=secrets.query_code_pepper,
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
