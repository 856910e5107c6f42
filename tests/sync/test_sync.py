"""The invariants of the sync protocol: the server on PostgreSQL, devices on encrypted SQLite.

No event lost, none applied twice, identical projections on every replica that has seen
the same events, a long-offline device catches up, concurrent pushes never make a pull
skip an event, and data newer than the program is refused without changing anything.
"""

from __future__ import annotations

import threading
from datetime import date, datetime

import pytest
from sqlalchemy import func, select, text, update

from db.models import CaseRow, EventRow, StaffAccountRow, SyncStateRow
from desktop.domain.events import PAYLOAD_SCHEMA_VERSION, EventType
from desktop.services import cases, supervision
from desktop.services.context import Actor, Hall
from desktop.services.registration import register_visit
from desktop.sync.client import SyncClient
from server.local import LocalTransport
from server.protocol import (
    AttachmentStatusResponse,
    AttachmentStored,
    AuditPushResponse,
    AuditUpEntry,
    PullResponse,
    PushResponse,
    SyncProblem,
    WireEvent,
)
from server.store import Device, SyncServer, hidden_cases
from tests.conftest import FakeClock
from tests.helpers import form, valid_id
from tests.sync.conftest import (
    DeviceFactory,
    count_events,
    device_of,
    event_ids,
    events_of,
    local_client,
    projection_snapshot_of,
    register_cases,
    write_demo_cases,
)

pytestmark = pytest.mark.postgres


def test_push_twice_stores_once_and_answers_the_same_seqs(sync_server: SyncServer, device_hall: DeviceFactory,
                                                          clerk: Actor) -> None:
    a = device_hall("a")
    register_cases(a, clerk, 3)
    wire = [WireEvent.of(e) for e in events_of(a)]
    device = Device("deva", "counter")
    first = sync_server.push(device, wire)
    again = sync_server.push(device, wire + wire[:1])  # a retry, and an id twice in one batch
    assert first.stored == 3 and again.stored == 0
    assert [x.seq for x in again.assigned] == [x.seq for x in first.assigned]
    assert sorted(x.seq for x in first.assigned) == [x.seq for x in first.assigned]
    assert count_events(sync_server.hall) == 3


class LosesAnswers:
    """A transport whose push reaches the server but whose answer is lost on the way back."""

    def __init__(self, inner: LocalTransport) -> None:
        self.inner = inner
        self.lose = True

    def push(self, events: list[WireEvent]) -> PushResponse:
        self.inner.push(events)
        if self.lose:
            raise SyncProblem("offline", "网络未连接：应答丢失")
        return self.inner.push(events)

    def pull(self, since: int, limit: int) -> PullResponse:
        return self.inner.pull(since, limit)

    def push_audit(self, entries: list[AuditUpEntry]) -> AuditPushResponse:
        return self.inner.push_audit(entries)

    def attachment_status(self, shas: list[str]) -> AttachmentStatusResponse:
        return self.inner.attachment_status(shas)

    def upload_attachment(self, sha256: str, data: bytes, mime: str) -> AttachmentStored:
        return self.inner.upload_attachment(sha256, data, mime)

    def close(self) -> None:
        pass


def test_a_lost_answer_is_retried_without_loss_or_duplicates(sync_server: SyncServer, device_hall: DeviceFactory,
                                                             clerk: Actor) -> None:
    a = device_hall("a")
    register_cases(a, clerk, 4)
    flaky = LosesAnswers(LocalTransport(sync_server, Device("deva", "counter")))
    client = SyncClient(a, flaky, push_batch=3)
    with pytest.raises(SyncProblem):
        client.sync_once()
    status = client.status()
    assert status.pending == 4 and status.last_error.startswith("网络未连接")
    assert count_events(sync_server.hall) == 3  # the first batch arrived; its answer did not

    flaky.lose = False
    report = client.sync_once()
    assert (report.pushed, report.pending, report.pulled) == (4, 0, 0)
    assert count_events(sync_server.hall) == 4 and count_events(a) == 4
    assert client.status().last_error == "" and client.status().last_success_at
    with a.sessions() as session:
        assert session.scalar(select(func.count()).where(EventRow.server_seq.is_(None))) == 0


def test_own_events_pulled_back_unacknowledged_get_their_server_seqs(
        sync_server: SyncServer, device_hall: DeviceFactory, clerk: Actor) -> None:
    """Events the server stored but whose answer never came back are known here: the pull only numbers them."""
    a, b = device_hall("a"), device_hall("b")
    register_cases(a, clerk, 3)
    register_cases(b, clerk, 2, start=200)
    local_client(sync_server, b).sync_once()
    sync_server.push(device_of(a), [WireEvent.of(e) for e in events_of(a)])  # the answer was lost
    before = projection_snapshot_of(a)
    report = local_client(sync_server, a).pull_all()
    assert report == 2 and count_events(a) == 5
    with a.sessions() as session:
        assert session.scalar(select(func.count()).where(EventRow.server_seq.is_(None))) == 0
        mine = dict(session.execute(select(EventRow.event_id, EventRow.server_seq)).all())
    with sync_server.hall.sessions() as session:
        assert mine == dict(session.execute(select(EventRow.event_id, EventRow.seq)).all())
    assert projection_snapshot_of(a)["cases"] != before["cases"]  # b's two cases came in beside a's own three


def test_pages_applied_one_by_one_or_together_give_the_same_replica(
        sync_server: SyncServer, device_hall: DeviceFactory, clerk: Actor) -> None:
    a = device_hall("a")
    register_cases(a, clerk, 5)
    local_client(sync_server, a).sync_once()
    replicas = []
    for name, batch in (("b", 1), ("c", 4), ("d", 100)):  # each page its own transaction; two; all together
        hall = device_hall(name)
        client = local_client(sync_server, hall, pull_limit=2, apply_batch=batch)
        assert client.sync_once().pulled == 5 and client.status().cursor == 5
        replicas.append(projection_snapshot_of(hall))
    assert replicas[0] == replicas[1] == replicas[2] == projection_snapshot_of(a)


def test_a_page_pulled_twice_is_applied_once(sync_server: SyncServer, device_hall: DeviceFactory,
                                             clerk: Actor) -> None:
    a, b = device_hall("a"), device_hall("b")
    register_cases(a, clerk, 5)
    local_client(sync_server, a).sync_once()
    reader = local_client(sync_server, b, pull_limit=2)
    assert reader.sync_once().pulled == 5
    before = projection_snapshot_of(b)
    with b.transaction() as session:  # the cursor is lost (say, a restored backup): everything comes again
        session.execute(update(SyncStateRow).values(cursor=0))
    again = reader.sync_once()
    assert again.pulled == 0 and count_events(b) == 5 and again.cursor == reader.status().cursor
    assert projection_snapshot_of(b) == before


def test_replicas_that_saw_the_same_events_have_identical_projections(
        sync_server: SyncServer, device_hall: DeviceFactory, clerk: Actor, supervisor: Actor) -> None:
    a, b = device_hall("a"), device_hall("b")
    numbers = register_cases(a, clerk, 3)
    register_cases(b, clerk, 2, start=200)
    ca, cb = local_client(sync_server, a), local_client(sync_server, b)
    ca.sync_once()
    cb.sync_once()
    ca.sync_once()
    # offline on both devices: two conflicting decisions on the same case, and ordinary work
    cases.classify(a, clerk, numbers[0], nature="申诉求决类", topic_code="0101")
    cases.classify(b, supervisor, numbers[0], nature="建议意见类", topic_code="0101")
    cases.classify(b, clerk, numbers[1], nature="申诉求决类", topic_code="0101")
    cases.accept(b, clerk, numbers[1], accepted_on=date(2026, 9, 17))
    for client in (ca, cb, ca):
        client.sync_once()
    c = device_hall("c")
    assert local_client(sync_server, c, pull_limit=4).sync_once().pulled == count_events(a)
    snapshots = [projection_snapshot_of(h) for h in (a, b, c)]
    assert snapshots[0] == snapshots[1] == snapshots[2]
    assert len(snapshots[0]["cases"]) == 5
    # the server folds the same course; it holds the petitioners' data only encrypted (masked here)
    assert _course(sync_server.hall) == _course(a)
    assert event_ids(a) == event_ids(b) == event_ids(c) == event_ids(sync_server.hall)


def test_the_day_of_a_transfer_reaches_the_server_and_every_other_device(
        sync_server: SyncServer, device_hall: DeviceFactory, clerk: Actor, clock: FakeClock) -> None:
    """The receiving unit's limit runs from the day the case was transferred, on every replica alike."""
    a, b = device_hall("a"), device_hall("b")
    clock.current = datetime(2026, 9, 1, 10, 0)
    (number,) = register_cases(a, clerk, 1)
    cases.classify(a, clerk, number, nature="申诉求决类", topic_code="0101")
    clock.current = datetime(2026, 9, 10, 16, 0)
    cases.record(a, clerk, number, EventType.TRANSFERRED, {"route_kind": "转送", "organisation_code": "330726-ZJJ"})
    local_client(sync_server, a).sync_once()
    clock.current = datetime(2026, 9, 18, 9, 0)  # past the bureau's limit (09-16), within the unit's (09-25)
    local_client(sync_server, b).sync_once()
    query = select(CaseRow.routed_on, CaseRow.decision_due, CaseRow.next_due, CaseRow.next_due_rule)
    rows = []
    for hall in (a, sync_server.hall, b):
        with hall.sessions() as session:
            rows.append(session.execute(query.where(CaseRow.case_number == number)).one())
    assert rows[0] == rows[1] == rows[2] == (date(2026, 9, 10), date(2026, 9, 28), date(2026, 9, 28),
                                             "接收单位告知期限")  # 09-25 is 中秋: the next working day
    assert projection_snapshot_of(a) == projection_snapshot_of(b)
    assert supervision.backlog(b, Actor("staff:zhaomin", "赵敏", "supervisor")).overdue == 0


@pytest.mark.slow
def test_a_device_offline_for_weeks_catches_up(sync_server: SyncServer, device_hall: DeviceFactory) -> None:
    busy, away = device_hall("busy"), device_hall("away")
    made = write_demo_cases(busy, 600)  # the histories of a hall's six devices, passed on by its hall server
    assert made > 2000
    with sync_server.hall.transaction() as session:  # the generated histories have 赵敏 work as a clerk
        session.execute(update(StaffAccountRow).where(StaffAccountRow.login == "zhaomin").values(role="clerk"))
    local_client(sync_server, away).sync_once()  # joined once, then offline for weeks
    report = local_client(sync_server, busy, role="hall").sync_once()
    assert report.pushed == made and report.pending == 0
    caught = local_client(sync_server, away, pull_limit=500).sync_once()
    assert caught.pulled == made and caught.cursor == report.cursor
    assert projection_snapshot_of(away) == projection_snapshot_of(busy)


def _course(hall: Hall) -> list[tuple[object, ...]]:
    with hall.sessions() as session:
        return [tuple(r) for r in session.execute(
            select(CaseRow.case_number, CaseRow.state, CaseRow.nature, CaseRow.route_due, CaseRow.handling_due,
                   CaseRow.next_due, CaseRow.anomalies, CaseRow.event_count).order_by(CaseRow.case_number))]


def _events_by_seq(server: SyncServer, since: int) -> tuple[list[int], int]:
    page = server.pull(Device("reader", "counter"), since, 5000)
    return [e.seq for e in page.events], page.next_cursor


def _concurrent_pushes(server_hall: Hall, first: list[WireEvent], second: list[WireEvent], *,
                       serialised: bool) -> tuple[list[int], list[int], set[int]]:
    """Push ``first`` and hold it open before commit; push ``second``; pull in between and after.

    Returns the seqs a reader got while the first push was open, those it got after both
    committed (from its cursor), and every seq stored.
    """
    stored, release = threading.Event(), threading.Event()

    def hold() -> None:
        if threading.current_thread().name == "first":
            stored.set()
            assert release.wait(30), "第一个推送未被放行"

    holding = SyncServer(server_hall, on_stored=hold)
    device = Device("deva", "counter")
    threads = [threading.Thread(target=holding.push, args=(device, first), name="first"),
               threading.Thread(target=holding.push, args=(device, second), name="second")]
    threads[0].start()
    assert stored.wait(30)
    threads[1].start()
    if serialised:
        _wait_for_lock_waiter(server_hall)
    else:
        threads[1].join()
    during, cursor = _events_by_seq(holding, 0)
    release.set()
    for thread in threads:
        thread.join()
    after, _ = _events_by_seq(holding, cursor)
    everything, _ = _events_by_seq(holding, 0)
    return during, after, set(everything)


def _wait_for_lock_waiter(hall: Hall) -> None:
    """Until the second push waits on the advisory lock (a real condition, asked of the server)."""
    query = text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")
    with hall.engine.connect() as connection:
        for _ in range(100_000):
            if connection.execute(query).scalar():
                return
    raise AssertionError("第二个推送没有在等待推送锁")


def _two_batches(hall: Hall, clerk: Actor) -> tuple[list[WireEvent], list[WireEvent]]:
    register_cases(hall, clerk, 6)
    wire = [WireEvent.of(e) for e in events_of(hall)]
    return wire[:3], wire[3:]


def test_concurrent_pushes_never_make_a_pull_skip_an_event(server_hall: Hall, device_hall: DeviceFactory,
                                                           clerk: Actor) -> None:
    first, second = _two_batches(device_hall("a"), clerk)
    during, after, everything = _concurrent_pushes(server_hall, first, second, serialised=True)
    assert during == []  # nothing committed yet: the second push waits for the first
    assert len(everything) == 6 and set(during) | set(after) == everything


def test_without_the_push_lock_a_pull_would_skip_events(server_hall: Hall, device_hall: DeviceFactory,
                                                        clerk: Actor, monkeypatch: pytest.MonkeyPatch) -> None:
    """The hazard the lock exists for, shown by taking it away: the later push commits first."""
    import server.store

    monkeypatch.setattr(server.store, "PUSH_LOCK_SQL", "SELECT 1")
    first, second = _two_batches(device_hall("a"), clerk)
    during, after, everything = _concurrent_pushes(server_hall, first, second, serialised=False)
    assert len(during) == 3 and len(everything) == 6
    assert set(during) | set(after) != everything  # the first push's events fell behind the cursor


def test_a_newer_schema_version_is_refused_by_the_server(sync_server: SyncServer, device_hall: DeviceFactory,
                                                         clerk: Actor) -> None:
    a = device_hall("a")
    register_cases(a, clerk, 2)
    wire = [WireEvent.of(e) for e in events_of(a)]
    newer = wire[1].model_copy(update={"schema_version": PAYLOAD_SCHEMA_VERSION + 1})
    with pytest.raises(SyncProblem) as refused:
        sync_server.push(Device("deva", "counter"), [wire[0], newer])
    assert refused.value.kind == "incompatible" and "升级" in refused.value.message
    unknown = wire[1].model_copy(update={"type": "新类型"})
    with pytest.raises(SyncProblem, match="未知类型"):
        sync_server.push(Device("deva", "counter"), [wire[0], unknown])
    assert count_events(sync_server.hall) == 0


def test_a_device_refuses_pulled_events_it_cannot_read_and_keeps_its_cursor(
        sync_server: SyncServer, device_hall: DeviceFactory, clerk: Actor) -> None:
    a, b = device_hall("a"), device_hall("b")
    register_cases(a, clerk, 3)
    local_client(sync_server, a).sync_once()
    reader = local_client(sync_server, b, pull_limit=2)
    first = reader.sync_once()
    register_cases(a, clerk, 2, start=300)
    local_client(sync_server, a).sync_once()
    # a newer program version wrote the newest event in a newer payload layout
    with sync_server.hall.transaction() as session:
        session.execute(update(EventRow).where(EventRow.seq == select(func.max(EventRow.seq)).scalar_subquery())
                        .values(schema_version=PAYLOAD_SCHEMA_VERSION + 1))
    with pytest.raises(SyncProblem) as refused:
        reader.sync_once()
    assert refused.value.kind == "incompatible"
    assert "请先升级本程序" in refused.value.message
    status = reader.status()
    assert status.cursor == first.cursor and status.last_error == refused.value.message
    assert count_events(b) == 3


def test_a_kiosk_may_push_only_citizen_records(sync_server: SyncServer, device_hall: DeviceFactory,
                                               clerk: Actor) -> None:
    a, k = device_hall("a"), device_hall("k", code="K01")
    (number,) = register_cases(a, clerk, 1)
    cases.classify(a, clerk, number, nature="申诉求决类", topic_code="0101")
    wire = [WireEvent.of(e) for e in events_of(a)]
    register_visit(k, Actor.kiosk("K01"), form(name="李秀英", id_number=valid_id(seq=77)))
    (own,) = [WireEvent.of(e) for e in events_of(k)]
    assert sync_server.push(device_of(k, "kiosk"), [own]).stored == 1
    with pytest.raises(SyncProblem, match="自助终端设备不能上传“分类”"):
        sync_server.push(device_of(a, "kiosk"), wire)
    with pytest.raises(SyncProblem):
        sync_server.push(Device("d1", "display"), wire[:1])
    assert count_events(sync_server.hall) == 1
    shown = sync_server.pull(Device("d1", "display"), 0, 100)
    assert shown.events == [] and shown.next_cursor == 1  # a hall display holds no case data


def test_an_accused_organisations_device_never_receives_the_accusation(
        sync_server: SyncServer, device_hall: DeviceFactory, clerk: Actor, supervisor: Actor) -> None:
    a, accused, other = device_hall("a"), device_hall("z"), device_hall("o")
    numbers = register_cases(a, clerk, 2)
    cases.classify(a, supervisor, numbers[0], nature="检举控告类", topic_code="1202",
                   accused_org_codes=["330726-ZJJ"])
    local_client(sync_server, a).sync_once()
    assert local_client(sync_server, accused, org_code="330726-ZJJ").sync_once().pulled == 1  # the other case only
    assert local_client(sync_server, other, org_code="330726-JW").sync_once().pulled == 3
    with accused.sessions() as session:
        seen = set(session.scalars(select(EventRow.type)))
        numbers_seen = set(session.scalars(text("SELECT case_number FROM cases")))
    assert numbers_seen == {numbers[1]} and seen == {EventType.REGISTERED.value}
    assert local_client(sync_server, accused, org_code="330726-ZJJ").status().cursor == \
        local_client(sync_server, other).status().cursor


def test_two_devices_sharing_a_device_code_get_a_plain_refusal(sync_server: SyncServer,
                                                               device_hall: DeviceFactory, clerk: Actor) -> None:
    a, b = device_hall("a", code="C09"), device_hall("b", code="C09")
    register_cases(a, clerk, 1)
    register_cases(b, clerk, 1, start=500)  # the same case number, another case
    local_client(sync_server, a).sync_once()
    with pytest.raises(SyncProblem, match="本机编码"):
        local_client(sync_server, b).sync_once()
    assert count_events(sync_server.hall) == 1
    assert local_client(sync_server, b).status().pending == 1


def test_an_accusation_reaches_no_device_under_the_accused_and_every_device_above(
        sync_server: SyncServer, device_hall: DeviceFactory, clerk: Actor, supervisor: Actor) -> None:
    """Accused: the county government. Its bureaus and their units are under it; the city is above."""
    a = device_hall("a")
    accusation, other = register_cases(a, clerk, 2)
    cases.classify(a, supervisor, accusation, nature="检举控告类", topic_code="1202",
                   accused_org_codes=["330726-ZF"])
    local_client(sync_server, a).sync_once()

    def numbers_pulled(org_code: str) -> set[str]:
        pulled = sync_server.pull(Device(f"d{org_code[-3:]}", "counter", org_code), 0, 100)
        return {str(e.payload["case_number"]) for e in pulled.events if e.type == EventType.REGISTERED.value}

    for inside in ("330726-ZF", "330726-ZJJ", "330726-LDZC"):  # itself, a bureau, a unit under a bureau
        assert numbers_pulled(inside) == {other}
    for outside in ("330700-ZF", "330726-JW", "330726-FY"):  # above it, and beside it
        assert numbers_pulled(outside) == {accusation, other}


@pytest.mark.parametrize("before", [500, 1100])  # just past the first batch of 500 ids; past twice that
def test_every_case_of_a_large_page_is_checked_for_art_30(
        sync_server: SyncServer, device_hall: DeviceFactory, clerk: Actor, supervisor: Actor, before: int) -> None:
    """A page holds up to MAX_PULL_LIMIT events, so far more cases than one batch of the check reads."""
    a = device_hall("a")
    (number,) = register_cases(a, clerk, 1)
    cases.classify(a, supervisor, number, nature="检举控告类", topic_code="1202", accused_org_codes=["330726-ZF"])
    local_client(sync_server, a).sync_once()
    with sync_server.hall.sessions() as session:
        case_id = session.scalar(select(CaseRow.case_id).where(CaseRow.case_number == number))
        assert case_id is not None
        page = {case_id, *(f"0-{i:05d}" for i in range(before)), *(f"z-{i:05d}" for i in range(300))}
        assert sorted(page).index(case_id) == before  # ids sorting before it fill the earlier batches
        inside = Device("dzjj", "counter", "330726-ZJJ")
        assert hidden_cases(session, inside, page) == {case_id}
        assert hidden_cases(session, Device("djw", "counter", "330726-JW"), page) == set()
