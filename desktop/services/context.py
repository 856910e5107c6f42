"""What every service call is handed: who acts, and the hall's shared parts."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property

from argon2 import PasswordHasher
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from db.engine import session_factory
from db.models import HolidayScheduleRow
from desktop.config import Settings
from desktop.domain.access import Actor as Actor  # re-exported: every service is called with one
from desktop.domain.calendar import HolidayCalendar, parse_schedule_csv
from desktop.domain.case import DeadlinePolicy
from desktop.domain.deadlines import DayCounting
from desktop.domain.hlc import HybridClock
from desktop.keystore import Secrets


@dataclass
class Hall:
    """The composition of one installation's services: database, settings, clocks.

    Built once by the composition root (or a test) and passed to services. The
    wall clock and id source are injected so that tests are deterministic.
    """

    engine: Engine
    settings: Settings
    secrets: Secrets
    now: Callable[[], datetime] = datetime.now
    new_id: Callable[[], str] = field(default=lambda: str(uuid.uuid4()))
    wall_ms: Callable[[], int] = field(default=lambda: time.time_ns() // 1_000_000)
    #: Argon2id with argon2-cffi's defaults (RFC 9106 low-memory profile: 64 MiB, 3 passes).
    password_hasher: PasswordHasher = field(default_factory=PasswordHasher)

    @cached_property
    def sessions(self) -> sessionmaker[Session]:
        return session_factory(self.engine)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work; the audit log's head anchor is written once it has committed."""
        with self.sessions.begin() as session:
            yield session
            head = session.info.pop("audit_head", None)
        if head is not None:
            from desktop.services.audit import write_anchor

            write_anchor(self, head)

    @cached_property
    def clock(self) -> HybridClock:
        from desktop.services.store import last_local_hlc

        with self.sessions() as session:
            return HybridClock(self.settings.device_id or "local", last_local_hlc(session))

    @cached_property
    def policy(self) -> DeadlinePolicy:
        return DeadlinePolicy(DayCounting(self.settings.day_counting), self._calendar())

    def reload_calendar(self) -> None:
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
        return self.now().date()
