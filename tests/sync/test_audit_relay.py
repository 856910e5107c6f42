"""A hall server passes its devices' audit copies up to the centre (PostgreSQL), both servers on sockets.

The hall's kiosk sends its audit entries to the hall server; the hall server relays them to the
centre after its upstream sync, where they are kept under the kiosk as seen through that hall
(never under what an entry says), verifiable with the kiosk's key and listed in words. A copy
rewritten on the hall server after it went up is refused by name, without holding the events
back; only a hall server may relay; an interrupted relay resumes from its cursor after a restart.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy import select, text, update

from db.engine import make_engine, sqlite_url
from db.models import AuditRow, DeviceAuditRow, SyncStateRow
from desktop.domain.access import Actor
from desktop.domain.audit import AuditAction, AuditEntry, verify_chain
from desktop.services.audit import record_audit
from desktop.services.context import Hall
from desktop.services.reference_feed import share_settings
from desktop.sync.client import AUDIT_STATE, sync_with_server
from desktop.sync.transport import HttpTransport
from server.__main__ import _audit_copies_command
from server.audit_copy import audit_copies, device_chain
from server.audit_relay import RELAY_STATE, relay_audit_copies
from server.enrolment import name_device
from server.protocol import AuditPushResponse, AuditUpEntry, RelayedDevice, SyncProblem
from server.store import enrol_device
from server.upstream import Upstream
from tests.conftest import SECRETS, FakeClock, make_hall
from tests.sync.conftest import DeviceFactory, register_cases, serving, with_staff

pytestmark = pytest.mark.postgres

OPERATOR = Actor.system("test")
KIOSK = Actor.kiosk("K01")


@dataclass
class Halls:
    centre: Hall
    centre_url: str
    hall_server: Hall
    hall_url: str
    upstream: Upstream
    kiosk: Hall
    kiosk_token: str

    @property
    def hall_id(self) -> str:
        return self.hall_server.settings.device_id


@pytest.fixture
def halls(server_hall: Hall, device_hall: DeviceFactory) -> Iterator[Halls]:
    """The centre, a hall server enrolled there for hall DC (东城区接待大厅), and a kiosk enrolled at the hall."""
    hall_server = with_staff(device_hall("hallsrv", code="H01"))
    kiosk = device_hall("k", code="K01")
    share_settings(server_hall, OPERATOR, {"hall_name": "东城区接待大厅"}, "DC")
    hall_token = enrol_device(server_hall, hall_server.settings.device_id, "hall", hall_code="DC")
    kiosk_token = enrol_device(hall_server, kiosk.settings.device_id, "kiosk", device_code="K01")
    name_device(hall_server, OPERATOR, kiosk.settings.device_id, "一楼大厅入口")
    with serving(server_hall) as centre_url, serving(hall_server) as hall_url:
        yield Halls(server_hall, centre_url, hall_server, hall_url, Upstream(hall_server, centre_url, hall_token),
                    kiosk, kiosk_token)


def _receipts(kiosk: Hall, n: int) -> None:
    """What a kiosk audits when it prints receipts: real entries of its own hash chain."""
    for copy in range(n):
        record_audit(kiosk, KIOSK, AuditAction.PRINT, "来访登记回执", {"copy": copy})


def _log(hall: Hall) -> list[str]:
    with hall.sessions() as session:
        return list(session.scalars(select(AuditRow.entry_hash).order_by(AuditRow.seq)))


def _hashes(chain: list[AuditEntry]) -> list[str]:
    return [e.entry_hash for e in chain]


def _wire(chain: list[AuditEntry]) -> list[AuditUpEntry]:
    return [AuditUpEntry(seq=e.seq, at=e.at, device=e.device, actor_id=e.actor_id, actor_name=e.actor_name,
                         action=e.action, target=e.target, detail=dict(e.detail), prev_hash=e.prev_hash,
                         entry_hash=e.entry_hash) for e in chain]


def test_a_kiosks_audit_entries_reach_the_centre_through_the_hall_server(halls: Halls) -> None:
    _receipts(halls.kiosk, 3)
    assert sync_with_server(halls.kiosk, halls.hall_url, halls.kiosk_token).audit_pushed == 3
    halls.upstream.sync_once()
    assert halls.upstream.last_relay.sent == 3 and not halls.upstream.last_relay.problems
    copy = device_chain(halls.centre, "devk", relayed_by=halls.hall_id)
    assert _hashes(copy) == _log(halls.kiosk)
    assert verify_chain(copy, SECRETS.audit_key).ok  # byte for byte what the kiosk hashed
    assert device_chain(halls.centre, "devk") == []  # not a device of the centre's own
    own = _hashes(device_chain(halls.centre, halls.hall_id))  # the hall server's own log, as before
    assert own and _log(halls.hall_server)[:len(own)] == own

    _receipts(halls.kiosk, 2)
    sync_with_server(halls.kiosk, halls.hall_url, halls.kiosk_token)
    halls.upstream.sync_once()
    assert halls.upstream.last_relay.sent == 2  # only what the centre had no copy of
    assert _hashes(device_chain(halls.centre, "devk", relayed_by=halls.hall_id)) == _log(halls.kiosk)
    halls.upstream.sync_once()
    assert halls.upstream.last_relay.sent == 0

    # a device of the centre's own under the same id keeps a chain of its own
    token = enrol_device(halls.centre, "devk", "counter")
    with HttpTransport(halls.centre_url, token) as transport:
        assert transport.push_audit(_wire(device_chain(halls.hall_server, "devk"))[:1]).stored == 1
    assert len(device_chain(halls.centre, "devk")) == 1
    assert len(device_chain(halls.centre, "devk", relayed_by=halls.hall_id)) == 5

    listed = {(c.device, c.hall): c for c in audit_copies(halls.centre, Actor("staff:zhaomin", "赵敏", "supervisor"))}
    relayed = listed["自助终端 K01（一楼大厅入口）", "经大厅服务器（东城区接待大厅）转来"]
    assert relayed.relayed and (relayed.first_seq, relayed.last_seq, relayed.entries) == (1, 5, 5)
    assert relayed.last_at == "2026-09-16 09:30"
    assert ("大厅服务器", "东城区接待大厅") in listed and ("接待窗口", "东城区接待大厅") not in listed


def test_the_centres_command_line_lists_relayed_devices_in_words(
        halls: Halls, capsys: pytest.CaptureFixture[str]) -> None:
    _receipts(halls.kiosk, 2)
    sync_with_server(halls.kiosk, halls.hall_url, halls.kiosk_token)
    halls.upstream.sync_once()
    capsys.readouterr()
    assert _audit_copies_command(halls.centre) == 0
    lines = capsys.readouterr().out.splitlines()
    assert any(line.startswith("自助终端 K01（一楼大厅入口）\t经大厅服务器（东城区接待大厅）转来\t第1–2条（共2条）\t"
                               "最新一条 2026-09-16 09:30") for line in lines)
    assert not any("devk" in line or halls.hall_id in line for line in lines)  # words, never ids


def test_an_entry_rewritten_on_the_hall_server_after_it_went_up_is_refused_by_name_and_holds_nothing_back(
        halls: Halls, device_hall: DeviceFactory, clerk: Actor, caplog: pytest.LogCaptureFixture) -> None:
    counter = device_hall("c")
    counter_token = enrol_device(halls.hall_server, counter.settings.device_id, "counter")
    halls.upstream.sync_once()  # the accounts come down first: the hall server checks its devices against them
    _receipts(halls.kiosk, 3)
    sync_with_server(halls.kiosk, halls.hall_url, halls.kiosk_token)
    halls.upstream.sync_once()
    held = device_chain(halls.centre, "devk", relayed_by=halls.hall_id)
    assert len(held) == 3

    with halls.hall_server.transaction() as session:  # someone rewrites the hall server's copy and sends it again
        session.execute(text("DROP TRIGGER device_audit_no_update"))
        session.execute(update(DeviceAuditRow).where(DeviceAuditRow.device_id == "devk")
                        .where(DeviceAuditRow.seq == 2).values(target="已改"))
        session.execute(update(SyncStateRow).where(SyncStateRow.name == RELAY_STATE + "devk").values(cursor=0))
    register_cases(counter, clerk, 1)  # meanwhile the counter works on
    sync_with_server(counter, halls.hall_url, counter_token)
    with caplog.at_level(logging.WARNING, logger="server.audit_relay"):
        report = halls.upstream.sync_once()
    assert report.pushed == 1  # the case went up all the same
    [problem] = halls.upstream.last_relay.problems
    assert problem.startswith("自助终端 K01（一楼大厅入口）：第2条审计记录") and "上传后被修改过" in problem
    assert "自助终端 K01（一楼大厅入口）" in caplog.text and "上传后被修改过" in caplog.text
    assert device_chain(halls.centre, "devk", relayed_by=halls.hall_id) == held  # nothing of the batch stored
    counter_copy = _hashes(device_chain(halls.centre, counter.settings.device_id, relayed_by=halls.hall_id))
    assert counter_copy and counter_copy == _log(counter)[:len(counter_copy)]  # the other device's copy went up
    with halls.hall_server.sessions() as session:
        assert session.get(SyncStateRow, RELAY_STATE + "devk").cursor == 0  # it stays to be looked into


def test_a_counters_token_may_not_relay(halls: Halls, device_hall: DeviceFactory) -> None:
    _receipts(halls.kiosk, 2)
    sync_with_server(halls.kiosk, halls.hall_url, halls.kiosk_token)
    entries = _wire(device_chain(halls.hall_server, "devk"))  # the kiosk's real entries, as the hall holds them
    counter = device_hall("c")
    token = enrol_device(halls.centre, counter.settings.device_id, "counter", hall_code="DC")
    with HttpTransport(halls.centre_url, token) as transport, \
            pytest.raises(SyncProblem, match=r"只有大厅服务器.*本设备登记为接待窗口") as refused:
        transport.relay_audit(RelayedDevice(device_id="devk", role="kiosk", device_code="K01"), entries)
    assert refused.value.kind == "refused"
    with halls.centre.sessions() as session:
        assert session.scalar(select(DeviceAuditRow.seq)) is None  # nothing stored anywhere


@dataclass
class Flaky:
    """The hall server's connection to the centre, dropping at the ``drop_at``-th relayed batch."""

    inner: HttpTransport
    drop_at: int = 0
    sent: list[list[int]] = field(default_factory=list)

    def relay_audit(self, device: RelayedDevice, entries: list[AuditUpEntry]) -> AuditPushResponse:
        if len(self.sent) + 1 == self.drop_at:
            raise SyncProblem("offline", "网络未连接：无法连接同步服务器")
        self.sent.append([e.seq for e in entries])
        return self.inner.relay_audit(device, entries)


def test_a_relay_cut_off_midway_resumes_from_its_cursor_after_a_restart(
        halls: Halls, tmp_path: Path, clock: FakeClock) -> None:
    _receipts(halls.kiosk, 5)
    sync_with_server(halls.kiosk, halls.hall_url, halls.kiosk_token)
    with HttpTransport(halls.centre_url, halls.upstream.token) as transport:
        cut = Flaky(transport, drop_at=2)
        report = relay_audit_copies(halls.hall_server, cut, batch=2)
        assert cut.sent == [[1, 2]] and report.sent == 2
        assert report.problems == ("自助终端 K01（一楼大厅入口）：网络未连接：无法连接同步服务器",)
        assert [e.seq for e in device_chain(halls.centre, "devk", relayed_by=halls.hall_id)] == [1, 2]

        engine = make_engine(sqlite_url(tmp_path / "hallsrv.db"), key=SECRETS.database_key)
        try:  # the hall server starts again, over the same database
            restarted = make_hall(engine, clock, device_id=halls.hall_id, device_code="H01")
            again = Flaky(transport)
            assert relay_audit_copies(restarted, again, batch=2).sent == 3
        finally:
            engine.dispose()
    assert again.sent == [[3, 4], [5]]  # from the cursor on, never again from the start
    copy = device_chain(halls.centre, "devk", relayed_by=halls.hall_id)
    assert _hashes(copy) == _log(halls.kiosk) and verify_chain(copy, SECRETS.audit_key).ok


def test_the_hall_servers_own_copy_refused_still_lets_its_devices_copies_go_up(halls: Halls) -> None:
    _receipts(halls.kiosk, 1)
    sync_with_server(halls.kiosk, halls.hall_url, halls.kiosk_token)
    halls.upstream.sync_once()
    with halls.hall_server.transaction() as session:  # the hall server's own log rewritten after it went up
        session.execute(update(AuditRow).where(AuditRow.seq == 1).values(target="已改"))
        session.execute(update(SyncStateRow).where(SyncStateRow.name == AUDIT_STATE).values(cursor=0))
    _receipts(halls.kiosk, 1)
    sync_with_server(halls.kiosk, halls.hall_url, halls.kiosk_token)
    with pytest.raises(SyncProblem, match=r"第1条审计记录.*上传后被修改"):
        halls.upstream.sync_once()
    assert halls.upstream.last_relay.sent == 1
    assert _hashes(device_chain(halls.centre, "devk", relayed_by=halls.hall_id)) == _log(halls.kiosk)
