"""The kiosk asks the central server for a case it has never seen; with no network it says so."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

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
from tests.helpers import form, valid_id
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


def test_the_kiosk_erases_the_personal_data_of_its_registrations_once_the_server_has_them(
        url: str, centre: Hall, device_hall: DeviceFactory) -> None:
    from sqlalchemy import select, text

    from db.models import CaseRow, EventRow
    from desktop.services.self_service import erase_acknowledged_registrations

    kiosk = device_hall("k", "K09")
    token = enrol_device(centre, kiosk.settings.device_id, "kiosk", device_code="K09")
    secret_id = valid_id(seq=987)
    synced = register_visit(kiosk, KIOSK, form(name="欧阳春花", id_number=secret_id, phone="13957900001",
                                               request="反映秘密诉求内容", facts="秘密事实"))
    assert erase_acknowledged_registrations(kiosk, KIOSK) == 0  # not on the server yet: kept
    sync_with_server(kiosk, url, token)
    waiting = register_visit(kiosk, KIOSK, form(name="李梅", id_number=valid_id(seq=456)))
    assert erase_acknowledged_registrations(kiosk, KIOSK) == 1
    assert erase_acknowledged_registrations(kiosk, KIOSK) == 0
    with kiosk.sessions() as session:
        stored = " ".join(str(v) for row in session.execute(select(EventRow.payload)) for v in row)
        stored += " ".join(str(v) for row in session.execute(select(CaseRow)).scalars() for v in vars(row).values())
        stored += " ".join(str(v) for row in session.execute(text("SELECT * FROM case_persons")) for v in row)
    for secret in (secret_id, "13957900001", "秘密诉求", "秘密事实", "欧阳春花"):
        assert secret not in stored, secret
    assert "李梅" in stored  # not acknowledged yet: still here
    progress = kiosk_progress(kiosk, KIOSK, synced.case_number, synced.query_code)
    assert progress.state == "已登记" and progress.petitioner == "欧阳**"
    assert kiosk_progress(kiosk, KIOSK, waiting.case_number, waiting.query_code).petitioner == "李*"
    # the server still holds everything
    with centre.sessions() as session:
        assert session.scalar(select(CaseRow.petitioner_name).where(CaseRow.case_number == synced.case_number))


def test_erasing_can_be_turned_off(device_hall: DeviceFactory, url: str, centre: Hall) -> None:
    from desktop.services.self_service import erase_acknowledged_registrations

    kiosk = device_hall("k", "K09")
    kiosk.settings = replace(kiosk.settings, kiosk_erase_after_sync=False)
    token = enrol_device(centre, kiosk.settings.device_id, "kiosk", device_code="K09")
    register_visit(kiosk, KIOSK, form())
    sync_with_server(kiosk, url, token)
    assert erase_acknowledged_registrations(kiosk, KIOSK) == 0


def test_the_kiosk_screen_erases_after_each_sync(qtbot: Any, work_context: Any, url: str, centre: Hall,
                                                 device_hall: DeviceFactory) -> None:
    from ui.kiosk.body import kiosk_body

    kiosk = device_hall("k", "K09")
    token = enrol_device(centre, kiosk.settings.device_id, "kiosk", device_code="K09")
    body = kiosk_body(work_context(KIOSK, "kiosk", hall=kiosk))
    qtbot.addWidget(body)
    secret_id = valid_id(seq=987)
    result = register_visit(kiosk, KIOSK, form(name="欧阳春花", id_number=secret_id))
    sync_with_server(kiosk, url, token)  # commits the sync state: the kiosk's screen hears of it

    def erased() -> bool:
        return kiosk_progress(kiosk, KIOSK, result.case_number, result.query_code).petitioner == "欧阳**" and \
            not any(secret_id in p for p in _payloads(kiosk))

    qtbot.waitUntil(lambda: not body.tasks.busy and erased(), timeout=10_000)


def _payloads(hall: Hall) -> list[str]:
    from sqlalchemy import select

    from db.models import EventRow

    with hall.sessions() as session:
        return list(session.scalars(select(EventRow.payload)))


def test_a_server_that_says_wait_is_said_with_the_time_of_day_to_try_again() -> None:
    """The server's 429 carries Retry-After (seconds): the kiosk says from what time, not "in an hour"."""
    import re

    import httpx
    import pytest

    from desktop.domain.errors import RuleViolation

    def limited(request: httpx.Request) -> httpx.Response:
        return httpx.Response(429, headers={"Retry-After": "1500"}, json={"detail": "…"})

    with httpx.Client(base_url="http://hall", transport=httpx.MockTransport(limited)) as client, \
            pytest.raises(RuleViolation) as refused:
        ask_progress("http://hall", "", "XF-20260916-C01-00001-K", "12345678", client=client)
    assert refused.value.code == "progress_limited"
    said = refused.value.message
    assert re.search(r"请在(明天)?\d{1,2}:\d\d以后再试", said) and "一小时后" not in said
