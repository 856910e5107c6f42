"""What every service call is handed: who acts, and the hall's shared parts."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from db.engine import session_factory
from db.models import HolidayScheduleRow
from desktop.config import Settings
from desktop.domain.calendar import HolidayCalendar, parse_schedule_csv
from desktop.domain.case import DeadlinePolicy
from desktop.domain.deadlines import DayCounting
from desktop.domain.hlc import HybridClock
from desktop.keystore import Secrets


@dataclass(frozen=True)
class Actor:
    """The person or device on whose behalf a service acts; written into every event."""

    actor_id: str  # e.g. "staff:zhangwei" or "kiosk:K01"
    display_name: str
    role: str  # kiosk / clerk / leader / supervisor / admin

    @classmethod
    def kiosk(cls, device_code: str) -> Actor:
        return cls(f"kiosk:{device_code}", f"{device_code}号自助终端的群众", "kiosk")


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

    @cached_property
    def sessions(self) -> sessionmaker[Session]:
        return session_factory(self.engine)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        with self.sessions.begin() as session:
            yield session

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
