"""Enrolment with one-time codes, the administrator's device list and revocation, end to end over a socket.

On PostgreSQL and on SQLite: a code issued by an administrator enrols a device once, until
it expires; the device keeps its token in its key store and syncs with it; a revoked
device is refused from its next request on; the device list shows when each was last seen.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine

from desktop.services.context import Actor, Hall
from desktop.sync.client import sync_with_server
from desktop.sync.credentials import load_token
from desktop.sync.enrolment import ServerAdmin, enrol_with_code, redeem
from server import enrolment
from server.protocol import SyncProblem
from server.store import enrol_device
from tests.conftest import FakeClock, make_hall
from tests.sync.conftest import DeviceFactory, add_staff, count_events, register_cases, serving, with_staff

PASSWORD = "Guanli#2026xf"


@pytest.fixture
def centre(engine: Engine, clock: FakeClock) -> Hall:
    hall = with_staff(make_hall(engine, clock, device_id="server", device_code="S01"))
    add_staff(hall, "guanli1", "admin", "孙涛", password=PASSWORD)
    return hall


@pytest.fixture
def url(centre: Hall) -> Iterator[str]:
    with serving(centre) as base:
        yield base


@pytest.fixture
def admin(centre: Hall, url: str) -> Iterator[ServerAdmin]:
    token = enrol_device(centre, "admin1", "admin")
    with ServerAdmin(url, token, "guanli1", PASSWORD) as client:
        yield client


def test_a_code_enrols_one_device_once_and_its_token_syncs(centre: Hall, url: str, admin: ServerAdmin,
                                                           device_hall: DeviceFactory, clerk: Actor,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PH_SYNC_TOKEN", raising=False)
    a = device_hall("a")
    register_cases(a, clerk, 2)
    issued = admin.issue_code("counter", hall_code="PJ")
    db_path = Path(a.engine.url.database or "")
    answer, where = enrol_with_code(a.settings, db_path, url, issued.code.lower().replace("-", " "))
    assert (answer.device_id, answer.role, answer.hall_code) == ("deva", "counter", "PJ") and where
    token = load_token(a.settings, db_path)
    assert token and token == answer.token
    assert sync_with_server(a, url, token).pushed == 2
    assert count_events(centre) == 2
    with pytest.raises(SyncProblem, match="注册码无效、已使用或已过期"):
        redeem(url, issued.code, "devb")  # used once already
    listed = {d.device_id: d for d in admin.devices()}
    assert listed["deva"].last_seen_at == "2026-09-16T09:30:00" and not listed["deva"].revoked_at


def test_an_expired_or_unknown_code_says_the_same(centre: Hall, url: str, clock: FakeClock) -> None:
    issued = enrolment.issue_code(centre, Actor.system("test"), "kiosk", valid_hours=2)
    clock.advance(hours=2)
    for code in (issued.code, "ABCD-EFGH-JKMN-PQRS"):
        with pytest.raises(SyncProblem, match="注册码无效、已使用或已过期"):
            redeem(url, code, "devk", "K01")


def test_a_kiosk_code_needs_the_kiosks_number(centre: Hall, url: str) -> None:
    issued = enrolment.issue_code(centre, Actor.system("test"), "kiosk")
    with pytest.raises(SyncProblem, match="device_code"):
        redeem(url, issued.code, "devk")
    assert redeem(url, issued.code, "devk", "K01").role == "kiosk"


def test_a_revoked_device_is_refused_from_its_next_request(centre: Hall, url: str, admin: ServerAdmin,
                                                           device_hall: DeviceFactory, clerk: Actor) -> None:
    a = device_hall("a")
    token = enrol_device(centre, "deva", "counter")
    register_cases(a, clerk, 1)
    assert sync_with_server(a, url, token).pushed == 1
    assert admin.revoke("deva").revoked_at
    register_cases(a, clerk, 1, start=300)
    with pytest.raises(SyncProblem) as refused:
        sync_with_server(a, url, token)
    assert refused.value.kind == "unauthorised"
    assert count_events(centre) == 1
    assert {d.device_id: d.revoked_at for d in admin.devices()}["deva"]


@pytest.mark.parametrize(("device_role", "login", "password"), [
    ("admin", "guanli1", "wrong#Password1"),
    ("admin", "wangli", PASSWORD),  # a clerk is not an administrator
    ("counter", "guanli1", PASSWORD),  # the right person at a counter's device
    ("admin", "guan\x00li1", PASSWORD),  # a NUL in the login: refused, never a database error
])
def test_the_device_list_needs_an_admin_device_and_an_administrator(centre: Hall, url: str, device_role: str,
                                                                    login: str, password: str) -> None:
    token = enrol_device(centre, "desk9", device_role)
    with ServerAdmin(url, token, login, password) as client, pytest.raises(SyncProblem) as refused:
        client.devices()
    assert refused.value.kind == "unauthorised"
    with httpx.Client(base_url=url) as plain:
        answer = plain.get("/admin/devices", headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 401 and "管理员" in answer.json()["detail"]
