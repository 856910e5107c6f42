"""The directory the administrator changes at the centre reaches the devices at their next sync, on SQLite and
PostgreSQL: a retired unit is no longer offered there, a renamed one is found by its earlier name."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from desktop.services.case_actions import organisation_choices
from desktop.services.context import Actor
from desktop.services.organisations import OrganisationForm, directory_listing, retire_organisation, save_organisation
from desktop.services.reference import load_directory, use_directory
from desktop.services.reference_feed import use_stored_directory
from desktop.sync.reference import pull_reference
from server.store import enrol_device
from tests.conftest import FakeClock, make_hall
from tests.sync.conftest import DeviceFactory, serving, with_staff

ADMIN = Actor("staff:guanli1", "管理员", "admin")


@pytest.fixture(autouse=True)
def shipped_directory_again() -> Iterator[None]:
    use_directory(None)
    yield
    use_directory(None)


def test_a_change_at_the_centre_reaches_the_counter_at_its_next_sync(
        engine: Engine, clock: FakeClock, device_hall: DeviceFactory) -> None:
    centre = with_staff(make_hall(engine, clock, device_id="server", device_code="S01"))
    education = next(e for e in directory_listing(centre, ADMIN).entries if e.code == "330726-JYJ")
    save_organisation(centre, ADMIN, OrganisationForm(**{**vars(education.form()), "name": "浦江县教育体育局"}),
                      new=False)
    retire_organisation(centre, ADMIN, "330726-WJJ")
    counter = device_hall("c")
    with serving(centre) as url:
        report = pull_reference(counter, url, enrol_device(centre, "devc", "counter"))
    assert "organisations" in report.kinds
    use_directory(None)  # as at the counter's next start: what it holds replaces the shipped file
    assert use_stored_directory(counter)
    assert not load_directory().get("330726-WJJ").active  # kept for its cases, with its name
    assert load_directory().get("330726-WJJ").name == "浦江县卫生健康局"
    offered = {c.code: c for c in organisation_choices()}
    assert "330726-WJJ" not in offered and "浦江县教育局" in offered["330726-JYJ"].keys
    assert not directory_listing(counter, ADMIN).editable  # the counter takes the centre's
