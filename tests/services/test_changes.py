"""Every committed write is told on the hall's change feed, with what it touched; nothing else is."""

from __future__ import annotations

import sys
import threading

import pytest
from sqlalchemy import select, update

from db.models import CaseRow
from desktop.domain.hlc import HybridClock
from desktop.services import accounts, cases
from desktop.services.changes import Changes, Topic
from desktop.services.context import Actor, Hall
from desktop.services.registration import register_visit
from tests.helpers import form


def _told(hall: Hall) -> list[Changes]:
    told: list[Changes] = []
    hall.changes.subscribe(told.append)
    return told


def test_a_registration_names_its_case_and_its_audit_entry(hall: Hall, clerk: Actor) -> None:
    told = _told(hall)
    result = register_visit(hall, clerk, form())
    merged = Changes()
    for changes in told:
        merged |= changes
    assert merged.cases and merged.case_ids == {result.case_id}
    assert merged.audit and merged.deadlines
    assert not merged.accounts and not merged.print_jobs
    assert merged.touches_case(result.case_id) and not merged.touches_case("another")


def test_a_decision_names_only_the_case_decided(hall: Hall, clerk: Actor) -> None:
    first = register_visit(hall, clerk, form())
    register_visit(hall, clerk, form(name="李娜"))
    told = _told(hall)
    cases.classify(hall, clerk, first.case_number, nature="申诉求决类", topic_code="0101")
    assert any(c.cases for c in told)
    assert set().union(*(c.case_ids for c in told)) == {first.case_id}


def test_reads_and_rolled_back_writes_tell_nothing(hall: Hall, clerk: Actor) -> None:
    register_visit(hall, clerk, form())
    told = _told(hall)
    with hall.sessions() as session:
        session.scalars(select(CaseRow)).all()
    with pytest.raises(RuntimeError), hall.transaction() as session:
        session.execute(update(CaseRow).values(state="已办结"))
        raise RuntimeError("abandoned")
    assert told == []


def test_account_changes_are_their_own_topic(hall: Hall) -> None:
    told = _told(hall)
    accounts.create_account(hall, Actor.system(), login="zhangwei", display_name="张伟", role="clerk",
                            initial_password="Chushi#2026")
    topics = frozenset().union(*(c.topics for c in told))
    assert Topic.ACCOUNTS in topics and Topic.CASES not in topics


def test_collecting_gathers_only_this_threads_commits(hall: Hall, clerk: Actor) -> None:
    register_visit(hall, clerk, form())  # the schema and sessions exist before the threads start
    other_done = threading.Event()

    def elsewhere() -> None:
        accounts.create_account(hall, Actor.system(), login="lina", display_name="李娜", role="clerk",
                                initial_password="Chushi#2026")
        other_done.set()

    with hall.changes.collecting() as collected:
        thread = threading.Thread(target=elsewhere)
        thread.start()
        thread.join()
        result = register_visit(hall, clerk, form(name="王芳"))
    assert other_done.is_set()
    assert collected.changes.case_ids == {result.case_id}
    assert not collected.changes.accounts


def test_the_clock_never_hands_out_a_timestamp_twice_across_threads() -> None:
    """A sync observing on one thread while a decision ticks on another (the clock is locked).

    Threads switch every microsecond here: without the lock, thousands of stamps repeat.
    """
    from desktop.domain.hlc import Hlc

    previous = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)

    clock = HybridClock("dev1")
    stamps: list[Hlc] = []
    lock = threading.Lock()
    start = threading.Barrier(3)

    def ticking() -> None:
        start.wait()
        mine = [clock.tick(1_000) for _ in range(20_000)]
        with lock:
            stamps.extend(mine)

    def observing() -> None:
        start.wait()
        for n in range(20_000):
            clock.observe(Hlc(1_000, n, "other"), 1_000)

    threads = [threading.Thread(target=ticking), threading.Thread(target=ticking), threading.Thread(target=observing)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(previous)
    assert len(set(stamps)) == len(stamps) == 40_000
