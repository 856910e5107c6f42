"""Stored deadlines follow the deadline policy: a new holiday schedule or day counting counts them again.

The case rows (what the deadline lists, statistics and searches read) must always equal a
fold of the events under the policy in force — ``rebuild_and_compare`` proves it.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import Engine, select

from db.models import CaseRow
from desktop.domain.deadlines import DayCounting
from desktop.services.context import Actor, Hall
from desktop.services.holidays import import_schedule
from desktop.services.projections import rebuild_and_compare
from desktop.services.reference_feed import apply_documents
from desktop.services.registration import register_visit
from desktop.services.supervision import upcoming_deadlines
from tests.conftest import FakeClock, make_hall
from tests.helpers import form

CLERK = Actor("staff:test", "测试", "clerk")
SUPERVISOR = Actor("staff:ducha", "督查", "supervisor")
#: Illustrative, not the official 2027 schedule: a holiday on the 15-day route deadline of 28 December.
SCHEDULE_2027 = "日期,类型,名称\n2027-01-01,休,元旦\n2027-01-12,休,测试假日\n"


def _stored(hall: Hall, case_id: str) -> tuple[date | None, date | None]:
    """The route deadline and the next deadline as the case row holds them."""
    with hall.sessions() as session:
        row = session.scalars(select(CaseRow).where(CaseRow.case_id == case_id)).one()
        return row.route_due, row.next_due


def _same_as_a_rebuild(hall: Hall) -> bool:
    return rebuild_and_compare(hall, Actor.system(), compare=True)[1]


@pytest.mark.parametrize("engine", ["sqlite", "postgres"], indirect=True)
def test_a_holiday_schedule_counts_the_open_deadlines_of_its_year_again(engine: Engine) -> None:
    clock = FakeClock(datetime(2026, 11, 2, 10, 0))
    hall = make_hall(engine, clock)
    november = register_visit(hall, CLERK, form(request="反映小区电梯长期失修"))  # due in November: untouched
    clock.current = datetime(2026, 12, 28, 10, 0)
    december = register_visit(hall, CLERK, form(request="反映村道损毁，要求修复"))
    assert not december.route_deadline.verified
    assert _stored(hall, december.case_id) == (date(2027, 1, 12), date(2027, 1, 12))  # weekends only

    clock.current = datetime(2027, 1, 8, 9, 0)  # the supervisor's board a few days before
    (due,) = [d for d in upcoming_deadlines(hall, SUPERVISOR) if d.case_number == december.case_number]
    assert not due.verified  # counted over weekends only

    import_schedule(hall, Actor.system(), SCHEDULE_2027, "测试")

    assert _stored(hall, december.case_id) == (date(2027, 1, 13), date(2027, 1, 13))
    (due,) = [d for d in upcoming_deadlines(hall, SUPERVISOR) if d.case_number == december.case_number]
    assert due.next_due == date(2027, 1, 13) and due.verified
    assert _stored(hall, november.case_id) == (november.route_deadline.due, november.route_deadline.due)
    assert _same_as_a_rebuild(hall)


def test_a_new_day_counting_from_the_centre_counts_every_stored_deadline_again(sqlite_engine: Engine) -> None:
    hall = make_hall(sqlite_engine, FakeClock(datetime(2026, 9, 16, 9, 30)))  # a Wednesday
    case = register_visit(hall, CLERK, form())
    calendar_due = case.route_deadline.due
    assert hall.policy.counting is DayCounting.CALENDAR and _stored(hall, case.case_id)[0] == calendar_due

    apply_documents(hall, {"settings": {"day_counting": "working"}})

    working_due = hall.policy.due(case.route_deadline.rule, date(2026, 9, 16)).due
    assert hall.policy.counting is DayCounting.WORKING and working_due > calendar_due
    assert _stored(hall, case.case_id) == (working_due, working_due)
    assert _same_as_a_rebuild(hall)
