"""The demo database comes with leader reception days and visitors booked, so that every role has something to
show on first use: the kiosk days to book, the leader a list of visitors who came before."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

import pytest

from desktop.domain.access import Actor
from desktop.installation import load_secrets
from desktop.services import leaderday, reception
from desktop.services.database import open_database
from desktop.services.demo_runner import generate_demo_database, schedule_demo_reception
from tests.conftest import FakeClock, make_hall, make_settings


def test_the_demo_has_reception_days_by_the_rule_and_returning_visitors_booked(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    settings = make_settings(database=db)
    generate_demo_database(db, settings, 600, seed=5, today=date(2026, 12, 6))
    engine = open_database(db, key=load_secrets(settings, db).database_key)
    hall = make_hall(engine, FakeClock(datetime(2026, 12, 6, 9, 0)), database=db)
    made = schedule_demo_reception(hall, seed=5)
    assert made.days == (date(2026, 12, 15), date(2027, 1, 15), date(2027, 2, 15))
    system = Actor.system("test")
    days = reception.list_days(hall, system)
    assert [d.day for d in days] == list(made.days) and all(len(d.leaders) == 2 for d in days)
    assert made.booked == 4 and sum(days[0].booked) + days[0].waiting == 4
    visitors = reception.appointments(hall, system, days[0].day_id)
    assert len(visitors) == 4
    assert all(len(leaderday.dossier(hall, system, v.appointment_id).cases) >= 2 for v in visitors)  # came before
    engine.dispose()


@pytest.mark.parametrize("seed", [1, 7, 20260501])
def test_demo_addresses_end_in_a_number_on_their_street(seed: int) -> None:
    from desktop.services.demo import DemoGenerator
    from desktop.services.reference import load_directory, load_regions, load_taxonomy
    from tests.conftest import PEPPER

    generator = DemoGenerator(seed=seed, today=date(2026, 12, 6), taxonomy=load_taxonomy(), regions=load_regions(),
                              pepper=PEPPER, directory=load_directory())
    addresses = [generator._person().address for _ in range(300)]
    assert all(re.search(r"[\u4e00-\u9fff][路街]\d{1,3}号$", a) for a in addresses), \
        [a for a in addresses if not re.search(r"[路街]\d{1,3}号$", a)][:5]


def test_a_demo_matter_raised_again_and_again_counts_every_visit(tmp_path: Path) -> None:
    """A repeat links every earlier case of its matter (as registration does), so a matter raised three times
    or more is a 积案 by the rule in the demo too: the leader's 积案 list is not empty on first use."""
    from sqlalchemy import select

    from db.models import CaseRow
    from desktop.services.store import case_events

    db = tmp_path / "demo.db"
    settings = make_settings(database=db)
    generate_demo_database(db, settings, 2000, seed=5, today=date(2026, 12, 6))
    engine = open_database(db, key=load_secrets(settings, db).database_key)
    hall = make_hall(engine, FakeClock(datetime(2026, 12, 6, 9, 0)), database=db)
    with hall.sessions() as session:
        rows = {r.case_id: r for r in session.scalars(select(CaseRow))}
        links = {case_id: list(case_events(session, case_id)[0].payload.get("repeat_of", ())) for case_id in rows}
    for case_id, earlier in links.items():  # each earlier one's own earlier cases are there too, the same person's
        for one in earlier:
            assert set(links[one]) <= set(earlier)
            assert rows[one].petitioner_id_number == rows[case_id].petitioner_id_number
    assert max(len(earlier) for earlier in links.values()) >= 2  # three visits or more on one matter
    backlog = leaderday.backlog_cases(hall, Actor.system("test"))
    assert any("重复信访" in case.reason for case in backlog)
    engine.dispose()
