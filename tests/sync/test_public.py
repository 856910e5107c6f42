"""The public lookup page behind the receipt's QR code, fetched with an HTTP client from a real server.

On PostgreSQL and SQLite: the page shows the masked progress and the next deadline and
nothing else; a wrong code and an unknown case number get the same answer; failed tries
are limited per client and per case, so a code cannot be found by trying.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta

import httpx
import pytest
from sqlalchemy import Engine

from desktop.domain.numbering import make_case_number
from desktop.services.context import Actor, Hall
from desktop.services.registration import RegistrationResult, register_visit
from desktop.sync.client import sync_with_server
from server.public import CASE_FAILURES, CLIENT_FAILURES
from server.store import enrol_device
from tests.conftest import FakeClock, make_hall
from tests.helpers import form, valid_id
from tests.sync.conftest import DeviceFactory, serving, with_staff

ID_NUMBER = valid_id(seq=456)
PHONE = "13957923456"


@pytest.fixture
def centre(engine: Engine, clock: FakeClock) -> Hall:
    return with_staff(make_hall(engine, clock, device_id="server", device_code="S01"))


@pytest.fixture
def url(centre: Hall) -> Iterator[str]:
    with serving(centre) as base:
        yield base


@pytest.fixture
def registered(centre: Hall, url: str, device_hall: DeviceFactory, clerk: Actor) -> RegistrationResult:
    a = device_hall("a")
    result = register_visit(a, clerk, form(name="欧阳建国", id_number=ID_NUMBER, phone=PHONE,
                                           request="反映小区电梯停运三个月，要求维修", facts="多次找物业无果"))
    sync_with_server(a, url, enrol_device(centre, "deva", "counter"))
    return result


def _visible_text(page: str) -> str:
    return re.sub(r"<[^>]+>", " ", re.sub(r"<style>.*?</style>", "", page))


def test_the_page_from_the_qr_code_shows_masked_progress_only(url: str, registered: RegistrationResult) -> None:
    with httpx.Client(base_url=url) as client:
        answer = client.get(f"/q/{registered.case_number}/{registered.query_code}")
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/html")
    assert answer.headers["cache-control"] == "no-store" and answer.headers["referrer-policy"] == "no-referrer"
    page = answer.text
    shown = _visible_text(page)
    assert registered.case_number in shown and "欧阳**" in shown and "已登记" in shown
    assert "2026年10月8日" in shown  # the next deadline: 15 days from 2026-09-16, past National Day
    for secret in (ID_NUMBER, PHONE, "欧阳建国", "电梯", "物业", registered.query_code):
        assert secret not in page
    assert 'name="viewport"' in page and "<script" not in page


def test_a_wrong_code_and_an_unknown_number_get_the_same_answer(url: str, registered: RegistrationResult) -> None:
    wrong_code = f"{(int(registered.query_code) + 1) % 10**8:08d}"
    never = make_case_number(date(2026, 9, 16), "A01", 77)  # well-formed, never issued
    with httpx.Client(base_url=url) as client:
        unknown = client.get("/q", params={"case": never, "code": registered.query_code})
        wrong = client.get("/q", params={"case": registered.case_number, "code": wrong_code})
        json_unknown = client.get("/api/progress", params={"case": never, "code": registered.query_code})
        json_wrong = client.get("/api/progress", params={"case": registered.case_number, "code": wrong_code})
        malformed = client.get("/api/progress", params={"case": "XF-2026", "code": wrong_code})
    assert (unknown.status_code, unknown.text) == (wrong.status_code, wrong.text) and wrong.status_code == 404
    assert (json_unknown.status_code, json_unknown.json()) == (json_wrong.status_code, json_wrong.json())
    assert malformed.status_code == 400 and "case" in malformed.json()["detail"]


def test_the_json_for_kiosks_says_the_same(url: str, registered: RegistrationResult) -> None:
    with httpx.Client(base_url=url) as client:
        answer = client.get("/api/progress", params={"case": registered.case_number, "code": registered.query_code})
    assert answer.status_code == 200
    assert answer.json() == {"case_number": registered.case_number, "petitioner": "欧阳**",
                             "received_on": "2026-09-16", "state": "已登记",
                             "next_step": answer.json()["next_step"], "next_due": "2026-10-08"}


def test_a_code_cannot_be_found_by_trying(url: str, registered: RegistrationResult, clock: FakeClock) -> None:
    right = {"case": registered.case_number, "code": registered.query_code}
    with httpx.Client(base_url=url) as client:
        for n in range(CASE_FAILURES):
            assert client.get("/q", params={**right, "code": f"{n:08d}"}).status_code == 404
        locked = client.get("/q", params=right)  # even the right code, while the limit holds
        assert locked.status_code == 429 and "查询失败次数过多" in locked.text
        assert int(locked.headers["retry-after"]) > 0
        # from when, as the hall's clock reads it: Retry-After from now, to the next whole minute (never earlier)
        again = clock.current + timedelta(seconds=int(locked.headers["retry-after"]) + 59)
        said = f"请在{again.hour}:{again.minute:02d}以后再试"
        assert said in locked.text and "一小时后" not in locked.text
        assert client.get("/api/progress", params=right).status_code == 429
        assert said in client.get("/api/progress", params=right).json()["detail"]
        clock.advance(hours=1)
        assert client.get("/q", params=right).status_code == 200
        # one client trying many case numbers is limited as well
        for n in range(CLIENT_FAILURES):
            tried = client.get("/q", params={"case": make_case_number(date(2026, 9, 16), "C09", n + 1),
                                             "code": "00000000"})
            assert tried.status_code == 404
        assert client.get("/q", params=right).status_code == 429
