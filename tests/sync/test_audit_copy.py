"""Audit entries up the feed, over a socket on PostgreSQL and SQLite: the server keeps each device's copy.

The copy is append-only (the table refuses changes), kept per device under the token's device
(a device cannot write into another's chain), verifiable with the device's audit key, and an
entry rewritten on the device after it went up is refused by name.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, delete, select, update
from sqlalchemy.exc import DatabaseError

from db.models import AuditRow, DeviceAuditRow, SyncStateRow
from desktop.domain.audit import verify_chain
from desktop.services.context import Actor, Hall
from desktop.sync.client import AUDIT_STATE, SyncClient, sync_with_server
from desktop.sync.transport import HttpTransport
from server.audit_copy import device_chain
from server.protocol import AuditUpEntry, SyncProblem
from server.store import enrol_device
from tests.conftest import SECRETS, FakeClock, make_hall
from tests.sync.conftest import DeviceFactory, register_cases, serving, with_staff


@pytest.fixture
def centre(engine: Engine, clock: FakeClock) -> Hall:
    return with_staff(make_hall(engine, clock, device_id="server", device_code="S01"))


@pytest.fixture
def url(centre: Hall) -> Iterator[str]:
    with serving(centre) as base:
        yield base


def _entries(hall: Hall) -> list[AuditUpEntry]:
    with hall.sessions() as session:
        return [AuditUpEntry(seq=r.seq, at=r.at, device=r.device, actor_id=r.actor_id, actor_name=r.actor_name,
                             action=r.action, target=r.target, detail=json.loads(r.detail), prev_hash=r.prev_hash,
                             entry_hash=r.entry_hash)
                for r in session.scalars(select(AuditRow).order_by(AuditRow.seq))]


def test_every_entry_goes_up_once_and_the_copy_verifies_with_the_devices_key(
        centre: Hall, url: str, device_hall: DeviceFactory, clerk: Actor) -> None:
    a = device_hall("a")
    token = enrol_device(centre, "deva", "counter")
    register_cases(a, clerk, 3)
    waiting = _entries(a)
    assert sync_with_server(a, url, token).audit_pushed == len(waiting) == 3
    copy = device_chain(centre, "deva")
    assert [e.entry_hash for e in copy] == [e.entry_hash for e in waiting]
    assert verify_chain(copy, SECRETS.audit_key).ok  # byte for byte what the device hashed
    register_cases(a, clerk, 1, start=300)  # more work, and what the last sync itself recorded (accounts taken)
    waiting = _entries(a)
    assert sync_with_server(a, url, token).audit_pushed == len(waiting) - len(copy) >= 2
    assert [e.entry_hash for e in device_chain(centre, "deva")] == [e.entry_hash for e in waiting]
    assert verify_chain(device_chain(centre, "deva"), SECRETS.audit_key).ok
    assert sync_with_server(a, url, token).audit_pushed == 0  # nothing new: nothing sent


def test_a_device_cannot_write_into_another_devices_chain(
        centre: Hall, url: str, device_hall: DeviceFactory, clerk: Actor) -> None:
    a, b = device_hall("a"), device_hall("b")
    token_a, token_b = enrol_device(centre, "deva", "counter"), enrol_device(centre, "devb", "counter")
    register_cases(a, clerk, 2)
    sync_with_server(a, url, token_a)
    before = device_chain(centre, "deva")
    forged = [e.model_copy(update={"target": "伪造"}) for e in _entries(a)]  # a's entries, sent with b's token
    with HttpTransport(url, token_b) as transport:
        answer = transport.push_audit(forged)
    assert answer.stored == len(forged)
    assert device_chain(centre, "deva") == before  # a's copy untouched; what b sent is filed as b's own
    assert [e.target for e in device_chain(centre, "devb")] == ["伪造"] * len(forged)
    assert b.settings.device_id == "devb"


def test_an_entry_rewritten_after_it_went_up_is_refused_by_name(
        centre: Hall, url: str, device_hall: DeviceFactory, clerk: Actor) -> None:
    a = device_hall("a")
    token = enrol_device(centre, "deva", "counter")
    register_cases(a, clerk, 2)
    sync_with_server(a, url, token)
    held = device_chain(centre, "deva")
    with a.transaction() as session:  # someone edits the device's log and makes it send everything again
        session.execute(update(AuditRow).where(AuditRow.seq == 2).values(target="已改"))
        session.execute(update(SyncStateRow).where(SyncStateRow.name == AUDIT_STATE).values(cursor=0))
    with HttpTransport(url, token) as transport, pytest.raises(SyncProblem, match=r"第2条审计记录.*上传后被修改"):
        SyncClient(a, transport).push_audit()
    assert device_chain(centre, "deva") == held


def test_entries_must_continue_the_chain(centre: Hall, url: str, device_hall: DeviceFactory, clerk: Actor) -> None:
    a = device_hall("a")
    token = enrol_device(centre, "deva", "counter")
    register_cases(a, clerk, 3)
    entries = _entries(a)
    with HttpTransport(url, token) as transport:
        with pytest.raises(SyncProblem, match="prev_hash"):
            transport.push_audit([entries[0].model_copy(update={"prev_hash": "f" * 64})])
        assert transport.push_audit(entries[:1]).last_seq == 1
        with pytest.raises(SyncProblem, match="缺少第2条"):
            transport.push_audit(entries[2:3])
        with pytest.raises(SyncProblem, match="链接"):
            transport.push_audit([entries[1].model_copy(update={"prev_hash": entries[1].entry_hash})])
        with pytest.raises(SyncProblem, match="NUL"):
            transport.push_audit([entries[1].model_copy(update={"target": "a\x00b"})])
        assert transport.push_audit(entries).stored == len(entries) - 1  # the first again, unchanged, is fine
    assert [e.seq for e in device_chain(centre, "deva")] == [e.seq for e in entries]


def test_the_servers_copy_refuses_changes_and_deletions(
        centre: Hall, url: str, device_hall: DeviceFactory, clerk: Actor) -> None:
    a = device_hall("a")
    register_cases(a, clerk, 1)
    waiting = len(_entries(a))
    sync_with_server(a, url, enrol_device(centre, "deva", "counter"))
    for statement in (update(DeviceAuditRow).values(target="改"), delete(DeviceAuditRow)):
        with pytest.raises(DatabaseError, match="只能追加"), centre.transaction() as session:
            session.execute(statement)
    assert len(device_chain(centre, "deva")) == waiting
