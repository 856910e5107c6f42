"""The year's figures against the cases counted one by one, on a generated hall of several years.

Every count of the dashboard is recounted here in plain Python from the case rows, by the
definitions of desktop/domain/indicators.py, so a grouping, a date bound or a state set that
drifts in the service's SQL shows as a difference in a named figure and month.
"""

from __future__ import annotations

from dataclasses import asdict, fields
from datetime import date, datetime

import pytest
from sqlalchemy import select

from db.models import CaseRow
from desktop.domain.case import CaseState
from desktop.domain.events import EventType
from desktop.domain.indicators import GROUP_VISIT_MIN_PERSONS, SATISFIED_RATINGS, IndicatorCounts
from desktop.services import cases, statistics
from desktop.services.context import Actor, Hall
from desktop.services.demo import DemoGenerator, write_demo
from desktop.services.reference import load_directory, load_regions, load_taxonomy
from desktop.services.registration import register_visit
from tests.conftest import PEPPER, FakeClock
from tests.helpers import form, valid_id

ACCEPTED = {CaseState.ACCEPTED, CaseState.ANSWERED, CaseState.REVIEW_REQUESTED, CaseState.REVIEWED,
            CaseState.REREVIEW_REQUESTED, CaseState.CONCLUDED, CaseState.SETTLED}
AWAITING_DECISION = {CaseState.REGISTERED, CaseState.TRANSFERRED, CaseState.ASSIGNED}
FIRST_ANSWER = {CaseState.ANSWERED, CaseState.REVIEW_REQUESTED}  # a review's opinion replaces answered_on


def _recount(rows: list[CaseRow], year: int, month: int, today: date) -> IndicatorCounts:
    received = [r for r in rows if (r.received_on.year, r.received_on.month) == (year, month)]
    answered = [r for r in rows if r.answered_on is not None and r.state in FIRST_ANSWER
                and (r.answered_on.year, r.answered_on.month) == (year, month)]
    accepted = [r for r in received if r.state in ACCEPTED]
    late_undecided = [r for r in received if r.state in AWAITING_DECISION and r.decision_due < today]
    return IndicatorCounts(
        batches=len(received), persons=sum(r.persons_count for r in received),
        first_visits=sum(r.visit_kind == "初访" for r in received),
        repeat_visits=sum(r.visit_kind == "重复访" for r in received),
        group_visits=sum(r.persons_count >= GROUP_VISIT_MIN_PERSONS for r in received),
        accepted=len(accepted), refused=sum(r.state == CaseState.NOT_ACCEPTED for r in received),
        decisions_due=len(accepted) + len(late_undecided),
        decided_on_time=sum(r.accepted_on is not None and r.accepted_on <= r.decision_due for r in received),
        answered=len(answered),
        answered_on_time=sum(r.handling_due is not None and r.answered_on <= r.handling_due for r in answered),
        rated=sum(bool(r.rating) for r in answered),
        satisfied=sum(r.rating in SATISFIED_RATINGS for r in answered))


def _routed_cases(hall: Hall, clerk: Actor, clock: FakeClock) -> dict[str, str]:
    """Cases transferred to a unit (转送), in time and late, decided by the unit in its time and after; seen on
    2026-09-16. Returns case numbers by letter.

    Received 2026-07-01 (the bureau's limit 07-16), transferred 07-10 (in time: the unit's limit 07-25, a
    Saturday, so 07-27) or 07-20 (late):

    * A: transferred late, accepted 07-22 — late on the bureau's step, never on time;
    * B: transferred in time, accepted 07-24 — after the bureau's 15 days, within the unit's: on time;
    * C: transferred in time, accepted 07-29 — after the unit's limit: late;
    * D: transferred in time, still waiting on the unit on 09-16: due, late.

    Received 2026-08-25 (limit 09-09): E transferred 09-08, waiting within the unit's limit (09-23): not yet
    due. Received 2026-08-20 (limit 09-04): F transferred 09-10 (late), waiting: due, late.
    """
    plan = {"A": (date(2026, 7, 1), date(2026, 7, 20), date(2026, 7, 22)),
            "B": (date(2026, 7, 1), date(2026, 7, 10), date(2026, 7, 24)),
            "C": (date(2026, 7, 1), date(2026, 7, 10), date(2026, 7, 29)),
            "D": (date(2026, 7, 1), date(2026, 7, 10), None),
            "E": (date(2026, 8, 25), date(2026, 9, 8), None),
            "F": (date(2026, 8, 20), date(2026, 9, 10), None)}
    today, numbers = clock.current, {}
    for seq, (letter, (received, routed, accepted)) in enumerate(plan.items(), start=900):
        clock.current = datetime.combine(received, datetime.min.time()).replace(hour=10)
        name = "转送" + "甲乙丙丁戊己"["ABCDEF".index(letter)]  # a name is 汉字: 转送甲 for case A
        ref = register_visit(hall, clerk, form(name=name, id_number=valid_id(seq=seq))).case_number
        cases.classify(hall, clerk, ref, nature="申诉求决类", topic_code="0101")
        clock.current = datetime.combine(routed, datetime.min.time()).replace(hour=10)
        cases.record(hall, clerk, ref, EventType.TRANSFERRED, {"route_kind": "转送", "organisation_code": "330726-ZJJ"})
        if accepted is not None:
            clock.current = datetime.combine(accepted, datetime.min.time()).replace(hour=10)
            cases.accept(hall, clerk, ref, accepted_on=accepted)
        numbers[letter] = ref
    clock.current = today
    return numbers


@pytest.mark.parametrize("engine", ["sqlite", "postgres"], indirect=True)
def test_timely_acceptance_holds_a_transferred_case_to_the_units_limit(hall: Hall, clerk: Actor, supervisor: Actor,
                                                                       clock: FakeClock) -> None:
    """及时受理率: the unit's 15 days from the transfer for a case routed in time; a late transfer stays late."""
    numbers = _routed_cases(hall, clerk, clock)
    with hall.sessions() as session:
        rows = {r.case_number: r for r in session.scalars(select(CaseRow))}
    b = rows[numbers["B"]]
    assert (b.route_due, b.routed_on, b.decision_due) == (date(2026, 7, 16), date(2026, 7, 10), date(2026, 7, 27))
    assert rows[numbers["A"]].decision_due == date(2026, 7, 16)  # routed late: the bureau's limit stays
    board = statistics.year_dashboard(hall, supervisor, 2026)
    july, august = board.months[6].counts, board.months[7].counts
    assert (july.accepted, july.decisions_due, july.decided_on_time) == (3, 4, 1)  # B on time; A, C, D late
    assert (august.decisions_due, august.decided_on_time) == (1, 0)  # F late; E within the unit's limit
    assert july.timely_acceptance_rate == 0.25


@pytest.mark.parametrize("engine", ["sqlite", "postgres"], indirect=True)
def test_every_figure_of_every_month_is_the_count_of_its_cases(hall: Hall, clerk: Actor, supervisor: Actor,
                                                               clock: FakeClock) -> None:
    _routed_cases(hall, clerk, clock)  # transferred in time and late, decided in the unit's time and after
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
