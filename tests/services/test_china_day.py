"""The hall's day is China's on a machine set to any time zone: a case registered at 01:30 in China is
dated that day on screen and in its deadlines, and the queue's day is the same day."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from argon2 import PasswordHasher
from sqlalchemy import Engine, select

from db.models import QueueTicketRow
from desktop.domain.access import Actor
from desktop.domain.deadlines import ROUTE
from desktop.domain.queue import TicketSource
from desktop.services import cases, queue
from desktop.services.context import Hall
from desktop.services.registration import register_visit
from tests.chinaclock import AFTER_CHINA_MIDNIGHT, BEFORE_CHINA_MIDNIGHT, ZONES, machine
from tests.conftest import SECRETS, make_settings
from tests.helpers import form


def _hall(engine: Engine) -> Hall:
    """A hall on the machine's own clocks, as installed (no test clock)."""
    return Hall(engine=engine, settings=make_settings(), secrets=SECRETS,
                password_hasher=PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


@pytest.mark.parametrize("zone", ZONES)
@pytest.mark.parametrize(("instant", "day", "when"), [(AFTER_CHINA_MIDNIGHT, date(2026, 12, 7), "12月7日 01:30"),
                                                      (BEFORE_CHINA_MIDNIGHT, date(2026, 12, 6), "12月6日 23:59")])
def test_a_case_registered_now_is_dated_chinas_day_on_screen_and_in_its_deadlines(
        engine: Engine, clerk: Actor, zone: str, instant: datetime, day: date, when: str) -> None:
    with machine(zone, instant):
        hall = _hall(engine)
        assert hall.today() == day
        result = register_visit(hall, clerk, form())
        assert result.received_on == day
        assert result.case_number.startswith(f"XF-{day:%Y%m%d}-")
        assert result.route_deadline.due == hall.policy.due(ROUTE, day).due
        detail = cases.load_case(hall, clerk, result.case_number)
        assert detail.today == day and detail.view.received_on == day
        assert detail.timeline[0].when == when  # the registration, at China's time of day


@pytest.mark.parametrize("zone", ZONES)
def test_the_queue_numbers_chinas_day_after_chinas_midnight(engine: Engine, zone: str) -> None:
    with machine(zone, AFTER_CHINA_MIDNIGHT):
        hall = _hall(engine)
        issued = queue.issue_ticket(hall, type_code="general", source=TicketSource.COUNTER, after_hours=True)
        with hall.sessions() as session:
            row = session.get(QueueTicketRow, issued.ticket.ticket_id)
            assert row is not None and row.day == "2026-12-07"
            assert session.scalars(select(QueueTicketRow.issued_at)).one().startswith("2026-12-07T01:30")
