"""Creating a demonstration database from the generator, with progress.

The demo database is encrypted like any other: its secrets are saved in the key store
for its path before the file is created, and ``replace`` renews them with the file.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.config import Settings
from desktop.domain.calendar import HolidayCalendar
from desktop.domain.case import DeadlinePolicy
from desktop.domain.chinatime import china_today
from desktop.domain.deadlines import DayCounting
from desktop.services.database import database_files, open_database
from desktop.services.demo import DemoGenerator, DemoReport, write_demo
from desktop.services.reference import load_directory, load_regions, load_taxonomy

if TYPE_CHECKING:
    from desktop.services.context import Hall

#: Measured: 1,000,000 generated cases make a 6.5 GB database (README, "Scale"), 6.5 kB a case;
#: while they are written, up to ``COMMIT_EVERY`` cases also sit in the write-ahead log.
BYTES_PER_CASE = 7_000
COMMIT_EVERY = 100_000
_SLACK = 16_000_000


def space_needed(cases: int) -> int:
    """Bytes of disk a demo database of ``cases`` cases needs while it is being generated."""
    return cases * BYTES_PER_CASE + min(cases, COMMIT_EVERY) * BYTES_PER_CASE + _SLACK


def human_bytes(count: int) -> str:
    for unit, size in (("PB", 10**15), ("TB", 10**12), ("GB", 10**9), ("MB", 10**6)):
        if count >= size:
            value = count / size
            return f"{value:,.0f} {unit}" if value >= 100 else f"{value:,.1f} {unit}"
    return f"{max(count, 0) / 1000:,.0f} kB"


def check_demo_request(path: Path, cases: int, *, replace: bool = False) -> None:
    """Refuse a demo database that cannot be made: not a positive count, a folder, or too big for the disk."""
    from desktop.domain.errors import RuleViolation
    from desktop.installation import check_database_file

    if cases < 1:
        raise RuleViolation("bad_count", "事项数量须为正整数")
    check_database_file(path, create=True)
    if path.exists() and not replace:
        raise FileExistsError(f"数据库 {path} 已存在；如需重新生成请加 --replace")
    folder = next(p for p in [path.parent, *path.parents] if p.exists())
    free = shutil.disk_usage(folder).free + (sum(f.stat().st_size for f in database_files(path)) if replace else 0)
    needed = space_needed(cases)
    if needed > free:
        per_million = human_bytes(space_needed(1_000_000))
        raise RuleViolation("no_space", f"{cases:,} 件演示事项约需 {human_bytes(needed)} 磁盘空间（生成期间），"
                                        f"而 {folder} 所在磁盘只剩 {human_bytes(free)}。请减少数量"
                                        f"（每百万件约需 {per_million}），或用 --db 指定空间更大的磁盘")


def generate_demo_database(path: Path, settings: Settings, cases: int, *, seed: int,
                           replace: bool = False, today: date | None = None,
                           progress: Callable[[int, int], None] | None = None) -> DemoReport:
    from desktop.installation import load_secrets, replace_secrets

    check_demo_request(path, cases, replace=replace)
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
    generator = DemoGenerator(seed=seed, today=today or china_today(), taxonomy=load_taxonomy(),
                              regions=load_regions(), pepper=secrets.query_code_pepper,
                              device_id=settings.device_id[:4] or "demo", directory=load_directory())
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            # Random keys (UUIDs, ID numbers, name keys) touch pages all over every index;
            # a large page cache keeps a million-case build from going disk-bound.
            connection.exec_driver_sql("PRAGMA cache_size=-2000000")
        done, events = write_demo(connection, generator, cases, policy, progress=progress,
                                  local_device_code=settings.device_code, commit_every=COMMIT_EVERY)
        connection.commit()
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA optimize")
    engine.dispose()
    return DemoReport(cases=done, events=events, seconds=time.perf_counter() - started)


@dataclass(frozen=True)
class DemoReception:
    """The reception days the demo database was given, and the visitors booked on the first."""

    days: tuple[date, ...]
    booked: int


def schedule_demo_reception(hall: Hall, seed: int, visitors: int = 4) -> DemoReception:
    """The leader reception days of this month and the next two by the hall's rule (每月15日 by default), with
    two of the demo's leaders, and ``visitors`` petitioners who have come before booked on the first of them:
    the kiosk has days to book and the leader a list of visitors with a history."""
    import random

    from sqlalchemy import func, select

    from db.models import CasePersonRow
    from desktop.domain.access import Actor
    from desktop.services import reception
    from desktop.services.demo import LEADERS

    rng = random.Random(seed)
    system = Actor.system("demo-data")
    days = reception.generate_schedule(hall, system, hall.today().replace(day=1), 3,
                                       leaders=[LEADERS[0], rng.choice(LEADERS[1:])],  # lingdao1 and another
                                       topics="劳动保障、征地拆迁、城乡建设")
    if not days:
        return DemoReception((), 0)
    with hall.sessions() as session:
        returning = session.execute(
            select(CasePersonRow.id_number, func.min(CasePersonRow.name))
            .where(CasePersonRow.role == "信访人", CasePersonRow.document_type == "居民身份证",
                   func.length(CasePersonRow.id_number) == 18)
            .group_by(CasePersonRow.id_number).having(func.count() > 1)
            .order_by(func.count().desc(), CasePersonRow.id_number).limit(visitors)).all()
    for id_number, name in returning:
        reception.book(hall, system, days[0].day_id, reception.Visitor(name, id_number), source="窗口")
    return DemoReception(tuple(d.day for d in days), len(returning))
