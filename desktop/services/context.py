"""What every service call is handed: who acts, and the hall's shared parts."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime

from argon2 import PasswordHasher
from sqlalchemy import Engine, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from db.engine import file_problem, session_factory
from db.models import HolidayScheduleRow
from desktop.config import Settings
from desktop.domain.access import Actor as Actor  # re-exported: every service is called with one
from desktop.domain.calendar import HolidayCalendar, parse_schedule_csv
from desktop.domain.case import DeadlinePolicy
from desktop.domain.chinatime import china_now
from desktop.domain.deadlines import DayCounting
from desktop.domain.errors import StorageFull, StorageProblem
from desktop.domain.hlc import HybridClock
from desktop.keystore import Secrets
from desktop.services.changes import ChangeFeed, track

#: ``session.info`` key of callbacks to run once the transaction has committed (name → callback).
AFTER_COMMIT = "ph_after_commit"


def _storage_problem(error: BaseException) -> StorageProblem | None:
    problem = file_problem(error)
    if problem == "disk_full":
        return StorageFull()
    if problem == "read_only":
        return StorageProblem("storage_read_only",
                              "数据库所在的磁盘或文件夹变成了只读，本次操作没有保存（已填写的内容仍在）。"
                              "请联系系统管理员处理后再保存一次")
    if problem in ("io", "damaged"):
        return StorageProblem("storage_failed",
                              "读写数据库时磁盘报告了错误，本次操作没有保存（已填写的内容仍在）。"
                              "请联系系统管理员检查本机磁盘和数据库（doctor）")
    return None


@dataclass
class Hall:
    """The composition of one installation's services: database, settings, clocks.

    Built once by the composition root (or a test) and passed to services. The
    wall clock and id source are injected so that tests are deterministic. The hall keeps
    China's clock whatever the machine's time zone: ``now`` is China's wall time (naive, as
    every stored time is) and :meth:`today` China's day.
    """

    engine: Engine
    settings: Settings
    secrets: Secrets
    now: Callable[[], datetime] = china_now
    new_id: Callable[[], str] = field(default=lambda: str(uuid.uuid4()))
    wall_ms: Callable[[], int] = field(default=lambda: time.time_ns() // 1_000_000)
    #: Argon2id with argon2-cffi's defaults (RFC 9106 low-memory profile: 64 MiB, 3 passes).
    password_hasher: PasswordHasher = field(default_factory=PasswordHasher)
    #: Told of every committed change (windows refresh from it; see desktop/services/changes.py).
    changes: ChangeFeed = field(default_factory=ChangeFeed)
    # Services run on several threads (database work, sync, printing): the parts built on
    # first use are built once, under this lock.
    _build_lock: threading.RLock = field(default_factory=threading.RLock, init=False, repr=False, compare=False)

    @property
    def sessions(self) -> sessionmaker[Session]:
        if "sessions" in self.__dict__:
            return self.__dict__["sessions"]  # type: ignore[no-any-return]
        with self._build_lock:
            if "sessions" not in self.__dict__:
                factory = session_factory(self.engine)
                track(self.engine, factory, self.changes)
                self.__dict__["sessions"] = factory
            return self.__dict__["sessions"]  # type: ignore[no-any-return]

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work; what it registered with :data:`AFTER_COMMIT` runs once it has committed.

        When the database cannot be written — the disk is full, read-only or failing — the whole
        unit is rolled back and :class:`StorageProblem` (:class:`StorageFull` for a full disk) says
        so in plain words: nothing of it was kept, and the caller keeps what the user typed.
        """
        try:
            with self.sessions.begin() as session:
                yield session
                after: dict[str, Callable[[], None]] = session.info.pop(AFTER_COMMIT, {})
        except SQLAlchemyError as exc:
            raise _storage_problem(exc) or exc from exc
        for callback in after.values():
            callback()

    @property
    def clock(self) -> HybridClock:
        if "clock" in self.__dict__:
            return self.__dict__["clock"]  # type: ignore[no-any-return]
        from desktop.services.store import last_local_hlc

        with self._build_lock:
            if "clock" not in self.__dict__:
                with self.sessions() as session:
                    self.__dict__["clock"] = HybridClock(self.settings.device_id or "local", last_local_hlc(session))
            return self.__dict__["clock"]  # type: ignore[no-any-return]

    @property
    def policy(self) -> DeadlinePolicy:
        if "policy" in self.__dict__:
            return self.__dict__["policy"]  # type: ignore[no-any-return]
        with self._build_lock:
            if "policy" not in self.__dict__:
                self.__dict__["policy"] = DeadlinePolicy(DayCounting(self.settings.day_counting), self._calendar())
            return self.__dict__["policy"]  # type: ignore[no-any-return]

    def use_settings(self, settings: Settings) -> None:
        """Put ``settings`` in force: services read them from their next call; deadlines follow a new day counting."""
        with self._build_lock:
            recount = settings.day_counting != self.settings.day_counting
            self.settings = settings
            if recount:
                self.__dict__.pop("policy", None)

    def reload_calendar(self) -> None:
        with self._build_lock:
            self.__dict__.pop("policy", None)

    def _calendar(self) -> HolidayCalendar:
        calendar = HolidayCalendar.builtin()
        with self.sessions() as session:
            for row in session.scalars(select(HolidayScheduleRow).order_by(HolidayScheduleRow.year)):
                for schedule in parse_schedule_csv(row.csv_text, row.source):
                    if schedule.year == row.year:
                        calendar = calendar.with_schedule(schedule)
        return calendar

    def today(self) -> date:
        """The hall's day: China's, whatever the time zone of this machine."""
        return self.now().date()
