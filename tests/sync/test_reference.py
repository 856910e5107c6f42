"""Reference data down the feed, end to end over a socket on PostgreSQL and SQLite.

Staff accounts reach staff devices only (Argon2id hashes; never kiosks or displays), and
only those who may act there; a 2027 holiday schedule imported once at the centre reaches
every device; a device that already has the version is told so and nothing is written.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, select

from db.models import StaffAccountRow
from desktop.services.accounts import sign_in
from desktop.services.context import Actor, Hall
from desktop.services.holidays import import_schedule
from desktop.sync.client import sync_with_server
from desktop.sync.reference import applied_version, pull_reference
from server.store import enrol_device
from tests.conftest import FakeClock, make_hall
from tests.sync.conftest import DeviceFactory, add_staff, serving, with_staff

PASSWORD = "Xinfang#2026a"
SCHEDULE_2027 = "日期,类型,名称\n2027-01-01,休,元旦\n2027-02-06,休,春节\n2027-02-07,班,春节调休\n"


@pytest.fixture
def centre(engine: Engine, clock: FakeClock) -> Hall:
    hall = with_staff(make_hall(engine, clock, device_id="server", device_code="S01"))
    add_staff(hall, "zjjclerk", "clerk", "住建局窗口", org_code="330726-ZJJ", password=PASSWORD)
    add_staff(hall, "liqing", "clerk", "李青", password=PASSWORD)
    return hall


@pytest.fixture
def url(centre: Hall) -> Iterator[str]:
    with serving(centre) as base:
        yield base


def _logins(hall: Hall) -> set[str]:
    with hall.sessions() as session:
        return set(session.scalars(select(StaffAccountRow.login)))


def test_accounts_reach_staff_devices_only_and_sign_in_works_offline(
        centre: Hall, url: str, device_hall: DeviceFactory) -> None:
    counter, unit, kiosk, display = device_hall("c"), device_hall("u"), device_hall("k", "K01"), device_hall("d")
    tokens = [(counter, enrol_device(centre, "devc", "counter")),
              (unit, enrol_device(centre, "devu", "counter", "330726-ZJJ")),
              (kiosk, enrol_device(centre, "devk", "kiosk", device_code="K01")),
              (display, enrol_device(centre, "devd", "display"))]
    for hall, token in tokens:
        sync_with_server(hall, url, token)
    assert {"liqing", "wangli", "lingdao1"} <= _logins(counter) and "zjjclerk" not in _logins(counter)
    assert _logins(unit) == {"zjjclerk"}
    assert _logins(kiosk) == _logins(display) == set()
    with counter.sessions() as session:
        hashes = set(session.scalars(select(StaffAccountRow.password_hash)))
    assert all(h.startswith("$argon2id$") for h in hashes)
    assert sign_in(counter, "liqing", PASSWORD).actor.actor_id == "staff:liqing"  # against the synced hash


def test_a_schedule_imported_once_at_the_centre_reaches_every_device(
        centre: Hall, url: str, device_hall: DeviceFactory) -> None:
    devices = [(device_hall("c"), enrol_device(centre, "devc", "counter")),
               (device_hall("k", "K01"), enrol_device(centre, "devk", "kiosk", device_code="K01"))]
    for hall, _token in devices:
        assert 2027 not in hall.policy.calendar.known_years()
    import_schedule(centre, Actor.system("test"), SCHEDULE_2027, "国务院办公厅通知（2027）")
    for hall, token in devices:
        sync_with_server(hall, url, token)
        assert 2027 in hall.policy.calendar.known_years()
        version = applied_version(hall)
        again = pull_reference(hall, url, token)
        assert not again.changed and again.version == version  # nothing sent, nothing written
