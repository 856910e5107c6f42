"""The kiosk asks the central server for a case it has never seen; with no network it says so."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest
from sqlalchemy import Engine

from desktop.domain.errors import RuleViolation
from desktop.services.context import Actor, Hall
from desktop.services.registration import RegistrationResult, register_visit
from desktop.services.self_service import OFFLINE, kiosk_progress
from desktop.sync.client import sync_with_server
from desktop.sync.lookup import ask_progress, server_lookup
from server.store import enrol_device
from tests.conftest import FakeClock, make_hall
from tests.helpers import form
from tests.sync.conftest import DeviceFactory, free_port, serving, with_staff

KIOSK = Actor.kiosk("K09")


@pytest.fixture
def centre(engine: Engine, clock: FakeClock) -> Hall:
    return with_staff(make_hall(engine, clock, device_id="server", device_code="S01"))


@pytest.fixture
def url(centre: Hall) -> Iterator[str]:
    with serving(centre) as base:
        yield base


@pytest.fixture
def registered(centre: Hall, url: str, device_hall: DeviceFactory, clerk: Actor) -> RegistrationResult:
    counter = device_hall("a")
    result = register_visit(counter, clerk, form(name="欧阳建国"))
    sync_with_server(counter, url, enrol_device(centre, "deva", "counter"))
    return result


def test_a_case_registered_elsewhere_is_asked_of_the_server(url: str, centre: Hall, registered: RegistrationResult,
                                                            device_hall: DeviceFactory) -> None:
    kiosk = device_hall("k", "K09")
    token = enrol_device(centre, kiosk.settings.device_id, "kiosk", device_code="K09")
    progress = kiosk_progress(kiosk, KIOSK, registered.case_number, registered.query_code,
                              remote=lambda n, c: ask_progress(url, token, n, c))
    assert progress.from_server and progress.case_number == registered.case_number
    assert progress.petitioner == "欧阳**" and progress.state == "已登记" and not progress.can_rate
    with pytest.raises(RuleViolation, match="查询码不正确"):
        kiosk_progress(kiosk, KIOSK, registered.case_number, "00000000",
                       remote=lambda n, c: ask_progress(url, token, n, c))


def test_with_no_network_the_kiosk_says_so_and_points_to_the_counter(device_hall: DeviceFactory, clerk: Actor) -> None:
    other = device_hall("o", "C07")
    elsewhere = register_visit(other, clerk, form())  # a real number the kiosk has never seen
    kiosk = device_hall("k", "K09")
    kiosk.settings = replace(kiosk.settings, server_url=f"http://127.0.0.1:{free_port()}")  # nobody listens
    remote = server_lookup(kiosk)
    assert remote is not None and server_lookup(other) is None  # no server_url: nobody to ask
    with pytest.raises(RuleViolation) as refused:
        kiosk_progress(kiosk, KIOSK, elsewhere.case_number, elsewhere.query_code, remote=remote)
    assert refused.value.message == OFFLINE and "窗口" in OFFLINE
