"""The year's figures against the cases counted one by one, on a generated hall of several years.

Every count of the dashboard is recounted here in plain Python from the case rows, by the
definitions of desktop/domain/indicators.py, so a grouping, a date bound or a state set that
drifts in the service's SQL shows as a difference in a named figure and month.
"""

from __future__ import annotations

from dataclasses import asdict, fields
from datetime import date

import pytest
from sqlalchemy import select

from db.models import CaseRow
from desktop.domain.case import CaseState
from desktop.domain.indicators import GROUP_VISIT_MIN_PERSONS, SATISFIED_RATINGS, IndicatorCounts
from desktop.services import statistics
from desktop.services.context import Actor, Hall
from desktop.services.demo import DemoGenerator, write_demo
from desktop.services.reference import load_directory, load_regions, load_taxonomy
from tests.conftest import PEPPER

ACCEPTED = {CaseState.ACCEPTED, CaseState.ANSWERED, CaseState.REVIEW_REQUESTED, CaseState.REVIEWED,
            CaseState.REREVIEW_REQUESTED, CaseState.CONCLUDED, CaseState.SETTLED}
AWAITING_DECISION = {CaseState.REGISTERED, CaseState.TRANSFERRED, CaseState.ASSIGNED}
FIRST_ANSWER = {CaseState.ANSWERED, CaseState.REVIEW_REQUESTED}  # a review's opinion replaces answered_on


def _recount(rows: list[CaseRow], year: int, month: int, today: date) -> IndicatorCounts:
    received = [r for r in rows if (r.received_on.year, r.received_on.month) == (year, month)]
    answered = [r for r in rows if r.answered_on is not None and r.state in FIRST_ANSWER
                and (r.answered_on.year, r.answered_on.month) == (year, month)]
    accepted = [r for r in received if r.state in ACCEPTED]
    late_undecided = [r for r in received if r.state in AWAITING_DECISION and r.route_due < today]
    return IndicatorCounts(
        batches=len(received), persons=sum(r.persons_count for r in received),
        first_visits=sum(r.visit_kind == "初访" for r in received),
        repeat_visits=sum(r.visit_kind == "重复访" for r in received),
        group_visits=sum(r.persons_count >= GROUP_VISIT_MIN_PERSONS for r in received),
        accepted=len(accepted), refused=sum(r.state == CaseState.NOT_ACCEPTED for r in received),
        decisions_due=len(accepted) + len(late_undecided),
        decided_on_time=sum(r.accepted_on is not None and r.accepted_on <= r.route_due for r in received),
        answered=len(answered),
        answered_on_time=sum(r.handling_due is not None and r.answered_on <= r.handling_due for r in answered),
        rated=sum(bool(r.rating) for r in answered),
        satisfied=sum(r.rating in SATISFIED_RATINGS for r in answered))


@pytest.mark.parametrize("engine", ["sqlite", "postgres"], indirect=True)
def test_every_figure_of_every_month_is_the_count_of_its_cases(hall: Hall, supervisor: Actor) -> None:
    today = hall.today()
    generator = DemoGenerator(seed=11, today=today, taxonomy=load_taxonomy(), regions=load_regions(),
                              pepper=PEPPER, device_id="gen", directory=load_directory())
    with hall.engine.begin() as connection:
        write_demo(connection, generator, 1500, hall.policy)
    with hall.sessions() as session:
        rows = list(session.scalars(select(CaseRow)))
    years = sorted({r.received_on.year for r in rows})
    assert len(years) >= 2 and any(r.rating == "不满意" for r in rows)  # several years, every kind of case
    assert any(r.answered_on and r.handling_due and r.answered_on > r.handling_due for r in rows)  # some late
    for year in years:
        board = statistics.year_dashboard(hall, supervisor, year)
        for row in board.months:
            mine = _recount(rows, year, row.month, today)
            differ = {f.name: (getattr(row.counts, f.name), getattr(mine, f.name)) for f in fields(IndicatorCounts)
                      if getattr(row.counts, f.name) != getattr(mine, f.name)}
            assert differ == {}, f"{year}年{row.month}月: (shown, counted) {differ}"
        assert board.total == sum((_recount(rows, year, m, today) for m in range(1, 13)), IndicatorCounts())
        assert sum(asdict(c.counts)["batches"] for c in board.channels) == board.total.batches
