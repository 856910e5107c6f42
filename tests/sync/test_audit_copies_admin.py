"""The devices' audit copies read from an administrator's desk (``GET /admin/audit-copies``), a real server on a socket.

A supervisor or administrator signed in at a desk enrolled as ``admin`` (their own password with each
request) reads the list in words and one device's copy a page of 100 at a time, newest first, with the
server's word on whether it continues without a gap; a gap or a broken link, made behind the append-only
table's back, is named by ``seq``. Everyone else is refused in words. On SQLite and PostgreSQL.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from dataclasses import dataclass, replace

import httpx
import pytest
from sqlalchemy import select, text

from db.models import AuditRow
from desktop.domain.access import Actor, PermissionDenied
from desktop.domain.audit import AuditAction
from desktop.services.audit import record_audit
from desktop.services.context import Hall
from desktop.services.reference_feed import share_settings
from desktop.sync.audit_copies import server_audit_copies, server_audit_entries
from desktop.sync.client import sync_with_server
from server.audit_copy import copy_page, device_chain, relay_audit
from server.enrolment import name_device
from server.protocol import AuditUpEntry, RelayedDevice, SyncProblem
from server.store import Device, enrol_device
from tests.sync.conftest import DeviceFactory, add_staff, serving, with_staff

OPERATOR = Actor.system("test")
CLERK = Actor("staff:wangli", "王丽", "clerk")
PASSWORD = "Ducha#2026xf"


@dataclass
class Centre:
    hall: Hall
    url: str
    desk: Hall  # the supervisor's desk, enrolled as ``admin``, linked to the centre
    desk_token: str
    counter: Hall
    counter_token: str


@pytest.fixture
def centre(hall: Hall, device_hall: DeviceFactory, monkeypatch: pytest.MonkeyPatch) -> Iterator[Centre]:
    """The centre (SQLite or PostgreSQL) with a supervisor and a clerk who have passwords, hall DC named, a counter
    at 3号窗口 of hall DC, and an admin desk."""
    centre = with_staff(hall)
    add_staff(centre, "ducha1", "supervisor", "周敏", password=PASSWORD)
    add_staff(centre, "chuangkou1", "clerk", "李明", password=PASSWORD)
    add_staff(centre, "guanli1", "admin", "孙涛", password=PASSWORD)
    share_settings(centre, OPERATOR, {"hall_name": "东城区接待大厅"}, "DC")
    desk, counter = device_hall("adm"), device_hall("c")
    desk_token = enrol_device(centre, desk.settings.device_id, "admin")
    counter_token = enrol_device(centre, counter.settings.device_id, "counter", hall_code="DC")
    name_device(centre, OPERATOR, counter.settings.device_id, "3号窗口")
    monkeypatch.setenv("PH_SYNC_TOKEN", desk_token)
    with serving(centre) as url:
        desk.settings = replace(desk.settings, server_url=url)
        yield Centre(centre, url, desk, desk_token, counter, counter_token)


def _prints(device: Hall, n: int) -> None:
    """What a counter audits when it prints: real entries of its own hash chain."""
    for copy in range(n):
        record_audit(device, CLERK, AuditAction.PRINT, "来访登记回执", {"copy": copy})


def _staff(login: str, password: str) -> dict[str, str]:
    return {"X-Staff-Authorization": "Basic " + base64.b64encode(f"{login}:{password}".encode()).decode()}


def _tamper(hall: Hall, *statements: str) -> None:
    """Change the copy behind the append-only table's back (its triggers dropped), as only a database's owner can."""
    with hall.transaction() as session:
        if hall.engine.dialect.name == "postgresql":
            session.execute(text("DROP TRIGGER device_audit_append_only ON device_audit"))
        else:
            session.execute(text("DROP TRIGGER device_audit_no_update"))
            session.execute(text("DROP TRIGGER device_audit_no_delete"))
        for statement in statements:
            session.execute(text(statement))


def test_a_supervisor_reads_a_counters_copy_in_words_a_hundred_at_a_time_newest_first(centre: Centre) -> None:
    _prints(centre.counter, 105)
    assert sync_with_server(centre.counter, centre.url, centre.counter_token).audit_pushed == 105

    [copy] = server_audit_copies(centre.desk, "ducha1", PASSWORD)
    assert (copy.device, copy.hall, copy.relayed) == ("接待窗口（3号窗口）", "东城区接待大厅", False)
    assert (copy.first_seq, copy.last_seq, copy.entries) == (1, 105, 105)
    assert (copy.last_at, copy.last_action, copy.received_at) == ("2026-09-16 09:30", "打印", "2026-09-16 09:30")

    first = server_audit_entries(centre.desk, "ducha1", PASSWORD, copy)
    assert (first.page, first.pages, first.total) == (1, 2, 105)
    assert [e.seq for e in first.entries] == list(range(105, 5, -1))
    assert first.entries[0].actor_name == "王丽" and first.entries[0].detail == {"copy": 104}
    assert first.received_at[0] == "2026-09-16 09:30"
    assert first.continuous and first.summary.startswith("第1–105条连续，共105条")
    last = server_audit_entries(centre.desk, "ducha1", PASSWORD, copy, page=9)  # past the end: the last page
    assert (last.page, [e.seq for e in last.entries]) == (2, [5, 4, 3, 2, 1])
    assert [e.entry_hash for e in reversed(first.entries + last.entries)] == \
        [e.entry_hash for e in device_chain(centre.hall, centre.counter.settings.device_id)]


def test_a_gap_and_a_broken_link_in_the_copy_are_named_by_number(centre: Centre) -> None:
    _prints(centre.counter, 12)
    sync_with_server(centre.counter, centre.url, centre.counter_token)
    device = centre.counter.settings.device_id
    _tamper(centre.hall, f"DELETE FROM device_audit WHERE device_id = '{device}' AND seq IN (3, 4)",
            f"UPDATE device_audit SET prev_hash = '{'f' * 64}' WHERE device_id = '{device}' AND seq = 9")
    [copy] = server_audit_copies(centre.desk, "ducha1", PASSWORD)
    page = server_audit_entries(centre.desk, "ducha1", PASSWORD, copy)
    assert not page.continuous and page.total == 10
    assert "副本不连续（2 处）" in page.summary
    assert "缺少第3–4条（第2条之后接着第5条）" in page.summary
    assert "第9条与第8条接不上" in page.summary


def test_a_copy_that_starts_after_archived_entries_is_continuous_and_says_so(hall: Hall) -> None:
    device = Device("devk", "kiosk", device_code="K01")
    chain = [AuditUpEntry(seq=seq, at=f"2026-09-16T09:{seq:02d}:00", device="K01", actor_id="kiosk:K01",
                          actor_name="自助终端", action="打印", target="来访登记回执", detail={},
                          prev_hash=f"{seq - 1:064x}", entry_hash=f"{seq:064x}") for seq in range(5, 9)]
    from server.audit_copy import store_audit

    store_audit(hall, device, chain)
    found = copy_page(hall, Actor("staff:zhaomin", "赵敏", "supervisor"), "devk")
    assert found is not None and found.continuity.ok
    assert found.continuity.summary() == ("第5–8条连续，共4条：序号前后相接，每条记下的前一条哈希与前一条相符；"
                                          "第1–4条在开始上传之前已在设备上归档，服务器没有副本")
    with pytest.raises(PermissionDenied):
        copy_page(hall, CLERK, "devk")
    assert copy_page(hall, Actor("staff:zhaomin", "赵敏", "supervisor"), "nobody") is None

    _tamper(hall, "UPDATE device_audit SET seq = 1, prev_hash = 'x' WHERE device_id = 'devk' AND seq = 5")
    broken = copy_page(hall, Actor("staff:zhaomin", "赵敏", "supervisor"), "devk")
    assert broken is not None and broken.continuity.breaks == (
        "第1条记下的前一条哈希（prev_hash）不是审计链的起点", "缺少第2–5条（第1条之后接着第6条）")


def test_a_copy_relayed_by_a_hall_server_is_read_under_that_hall(centre: Centre, device_hall: DeviceFactory) -> None:
    enrol_device(centre.hall, "devhall", "hall", hall_code="DC")
    kiosk = device_hall("k", code="K01")
    record_audit(kiosk, Actor.kiosk("K01"), AuditAction.PRINT, "来访登记回执", {"copy": 0})
    wire = [AuditUpEntry(seq=e.seq, at=e.at, device=e.device, actor_id=e.actor_id, actor_name=e.actor_name,
                         action=e.action, target=e.target, detail=json.loads(e.detail), prev_hash=e.prev_hash,
                         entry_hash=e.entry_hash) for e in _log(kiosk)]
    relay_audit(centre.hall, Device("devhall", "hall", hall_code="DC"),
                RelayedDevice(device_id="devk", role="kiosk", device_code="K01", place="一楼大厅入口"), wire)
    [copy] = server_audit_copies(centre.desk, "ducha1", PASSWORD)
    assert (copy.device, copy.hall) == ("自助终端 K01（一楼大厅入口）", "经大厅服务器（东城区接待大厅）转来")
    page = server_audit_entries(centre.desk, "ducha1", PASSWORD, copy)
    assert [e.target for e in page.entries] == ["来访登记回执"] and page.continuous


def _log(device: Hall) -> list[AuditRow]:
    with device.sessions() as session:
        return list(session.scalars(select(AuditRow).order_by(AuditRow.seq)))


def test_only_a_supervisor_or_administrator_at_an_admin_desk_reads_the_copies(centre: Centre) -> None:
    _prints(centre.counter, 1)
    sync_with_server(centre.counter, centre.url, centre.counter_token)
    device = centre.counter.settings.device_id
    with pytest.raises(SyncProblem, match="管理员身份未通过") as wrong:
        server_audit_copies(centre.desk, "ducha1", "Wrong#2026xf")
    assert wrong.value.kind == "unauthorised"
    with pytest.raises(SyncProblem, match="管理员身份未通过") as clerk:
        server_audit_copies(centre.desk, "chuangkou1", PASSWORD)  # a clerk does not sign in at an admin desk
    assert clerk.value.kind == "unauthorised"
    with httpx.Client(base_url=centre.url) as client:
        counter_token = {"Authorization": f"Bearer {centre.counter_token}", **_staff("ducha1", PASSWORD)}
        refused = client.get("/admin/audit-copies", headers=counter_token)  # the supervisor, at a counter
        assert refused.status_code == 401 and refused.json()["detail"].startswith("需要系统管理员")
        desk = {"Authorization": f"Bearer {centre.desk_token}", **_staff("ducha1", PASSWORD)}
        assert client.get("/admin/audit-copies").status_code == 401
        missing = client.get("/admin/audit-copies/nobody", headers=desk)
        assert (missing.status_code, missing.json()["detail"]) == (404, "服务器上没有这台设备的审计副本")
        odd = client.get(f"/admin/audit-copies/{device}", headers=desk, params={"page": 0})
        assert odd.status_code == 422 and "page" in odd.json()["detail"]
        assert client.get(f"/admin/audit-copies/{device}", headers=desk).json()["continuity"]["ok"]
    assert [c.device for c in server_audit_copies(centre.desk, "guanli1", PASSWORD)] == ["接待窗口（3号窗口）"]
