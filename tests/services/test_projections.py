"""Projections are a pure function of the events: rebuilt = live, on both databases."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
from sqlalchemy import Engine

from desktop.domain.calendar import HolidayCalendar
from desktop.domain.case import DeadlinePolicy
from desktop.domain.deadlines import DayCounting
from desktop.domain.events import EventType
from desktop.domain.routing import OrganisationDirectory
from desktop.services.cases import ingest_events
from desktop.services.context import Actor, Hall
from desktop.services.demo import DemoGenerator
from desktop.services.projections import rebuild_and_compare
from desktop.services.reference import load_directory, load_regions, load_taxonomy
from desktop.services.store import projection_snapshot
from tests.conftest import PEPPER, make_hall


def _generated_events(cases: int, seed: int, directory: OrganisationDirectory | None = None) -> list:  # type: ignore[type-arg]
    generator = DemoGenerator(seed=seed, today=date(2026, 11, 24), taxonomy=load_taxonomy(),
                              regions=load_regions(), pepper=PEPPER, device_id="gen", directory=directory)
    events = [e for case in generator.cases(cases) for e in case]
    events.sort(key=lambda e: e.sort_key)
    return events


def _ingest_like_sync(hall: Hall, events: list, batch: int, seed: int) -> None:  # type: ignore[type-arg]
    """Deliver events in pages, each page shuffled, as devices would push them."""
    rng = random.Random(seed)
    for start in range(0, len(events), batch):
        page = events[start:start + batch]
        rng.shuffle(page)
        ingest_events(hall, Actor.system("sync"), page)


def test_generated_leader_cases_carry_their_deadline() -> None:
    """The demo's 包案 are followed like real ones: each has its reception day and 访后限期办结."""
    taken = [e for e in _generated_events(1500, seed=7) if e.type is EventType.LEADER_TAKEN]
    assert taken and all(e.payload["due"] > e.payload["reception_on"] for e in taken)


def test_generated_cases_go_to_an_organisation_competent_where_the_problem_is() -> None:
    """转送/交办 in the demo name the organisation the directory finds competent (属地管理), as the counter would."""
    directory = load_directory()
    events = _generated_events(800, seed=5, directory=directory)
    places = {e.case_id: (e.payload["topic_code"], e.payload["region_code"])
              for e in events if e.type is EventType.REGISTERED}
    routed = [e for e in events if e.type in (EventType.TRANSFERRED, EventType.ASSIGNED)]
    named = [e for e in routed if e.payload["organisation_code"]]
    assert routed and len(named) > len(routed) // 2
    for event in named:
        topic, region = places[event.case_id]
        assert event.payload["organisation_code"] in {o.code for o in directory.competent_for(topic, region)}
    assert all(e.payload["organisation_code"] == "" for e in _generated_events(50, seed=5)
               if e.type in (EventType.TRANSFERRED, EventType.ASSIGNED))  # no directory, no names


@pytest.mark.slow
def test_rebuild_equals_live_on_10000_generated_cases(sqlite_engine: Engine) -> None:
    hall = make_hall(sqlite_engine)
    events = _generated_events(10_000, seed=7)
    _ingest_like_sync(hall, events, batch=5000, seed=7)
    with hall.sessions() as session:
        live = projection_snapshot(session)
    assert len(live["cases"]) == 10_000
    report, same = rebuild_and_compare(hall, Actor.system(), compare=True)
    assert report.cases == 10_000 and report.events == len(events)
    assert report.flagged == 0  # generated histories follow the Regulations' order
    assert same


@pytest.mark.postgres
def test_rebuild_equals_live_on_postgresql(pg_engine: Engine) -> None:
    hall = make_hall(pg_engine)
    _ingest_like_sync(hall, _generated_events(600, seed=11), batch=700, seed=11)
    report, same = rebuild_and_compare(hall, Actor.system(), compare=True)
    assert report.cases == 600 and same


def test_replicas_fold_identically_whatever_the_arrival_order(tmp_path: object) -> None:
    from desktop.domain.case import project

    events = _generated_events(300, seed=3)
    policy = DeadlinePolicy(DayCounting.CALENDAR, HolidayCalendar.builtin())
    by_case: dict[str, list] = {}  # type: ignore[type-arg]
    for e in events:
        by_case.setdefault(e.case_id, []).append(e)
    rng = random.Random(5)
    for case_id, case_events in by_case.items():
        shuffled = case_events[:]
        rng.shuffle(shuffled)
        assert project(case_id, shuffled, policy) == project(case_id, case_events, policy)



def test_generated_id_numbers_are_valid() -> None:

    from desktop.domain.identity import validate_document
    from desktop.services.demo import make_id_number

    rng = random.Random(5)
    for _ in range(300):
        birth = date(1940, 1, 1) + timedelta(days=rng.randrange(0, 25_000))
        validate_document("居民身份证", make_id_number(rng, "330726", birth))
