"""Fault injection: a device whose clock ran two days ahead, then was corrected, syncs everything in one round."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from db.models import AuditRow, CaseRow
from desktop.domain.audit import AuditAction
from desktop.domain.hlc import MAX_DRIFT_MS, Hlc, HybridClock
from desktop.services import cases
from desktop.services.context import Actor, Hall
from desktop.services.store import case_events
from server.store import SyncServer
from tests.conftest import FakeClock
from tests.sync.conftest import (
    DeviceFactory,
    count_events,
    events_of,
    local_client,
    projection_snapshot_of,
    register_cases,
)

DAY_MS = 24 * 3600 * 1000


def _orders(hall: Hall) -> list[tuple[str, str]]:
    """Every event, in the order each replica folds it: (case, event)."""
    return [(e.case_id, e.event_id) for e in sorted(events_of(hall), key=lambda e: (e.case_id, *e.sort_key))]


def _states(hall: Hall) -> list[tuple[str, str, object]]:
    from sqlalchemy import select

    from db.models import CaseRow

    with hall.sessions() as session:
        return [tuple(r) for r in session.execute(select(CaseRow.case_number, CaseRow.state, CaseRow.next_due)
                                                  .order_by(CaseRow.case_number))]


def _own_clock(hall: Hall, clock: FakeClock) -> None:
    hall.now, hall.wall_ms = clock, clock.ms


def _case(hall: Hall, number: str) -> CaseRow:
    with hall.sessions() as session:
        row = session.scalar(select(CaseRow).where(CaseRow.case_number == number))
    assert row is not None
    return row


def _stamps(hall: Hall, number: str) -> list[Hlc]:
    """The case's event times, in the order every replica folds them."""
    with hall.sessions() as session:
        return [Hlc.parse(e.hlc) for e in case_events(session, _case(hall, number).case_id)]


def test_a_clock_two_days_ahead_then_corrected_syncs_every_event_in_one_round(
        sync_server: SyncServer, device_hall: DeviceFactory, clock: FakeClock, clerk: Actor) -> None:
    a, b = device_hall("a"), device_hall("b")
    wrong = FakeClock(clock.current + timedelta(days=2))  # device a's clock runs two days ahead
    _own_clock(a, wrong)
    ahead = register_cases(a, clerk, 3)
    cases.classify(a, clerk, ahead[0], nature="申诉求决类", topic_code="0101")
    wrong.current = clock.current + timedelta(minutes=5)  # corrected (to the server's time, give or take)
    corrected = register_cases(a, clerk, 2, start=300)
    cases.classify(a, clerk, ahead[1], nature="申诉求决类", topic_code="0101")  # a case stamped in the future
    cases.classify(a, clerk, corrected[0], nature="申诉求决类", topic_code="0101")
    made = count_events(a)

    report = local_client(sync_server, a).sync_once()  # one round: nothing is refused

    assert report.pushed == made and report.pending == 0
    assert count_events(sync_server.hall) == made
    assert report.clock_ahead_ms >= 2 * DAY_MS - 60_000 and "超前约 2.0 天" in report.clock_warning
    # the supervisors see it: one entry in the server's audit log, naming the device
    with sync_server.hall.sessions() as session:
        flagged = list(session.scalars(select(AuditRow).where(AuditRow.action == AuditAction.DEVICE_CLOCK_AHEAD.value)))
    assert [row.target for row in flagged] == [a.settings.device_id]
    # after the correction a's new events carry the corrected time, not the wrong one ...
    now_ms = wrong.ms()
    for number in corrected:
        assert all(abs(t.wall_ms - now_ms) <= MAX_DRIFT_MS for t in _stamps(a, number))
    # ... except a decision on a case stamped in the future, which still sorts after the case's registration
    future = _stamps(a, ahead[1])
    assert len(future) == 2 and future[1] > future[0] and future[0].wall_ms > now_ms + DAY_MS

    # another device pulls it all; its clock is not dragged two days ahead, and the order stays sane
    pulled = local_client(sync_server, b).sync_once()
    assert pulled.pulled == made
    cases.classify(b, clerk, corrected[1], nature="申诉求决类", topic_code="0101")
    cases.classify(b, clerk, ahead[2], nature="申诉求决类", topic_code="0101")
    assert abs(_stamps(b, corrected[1])[-1].wall_ms - clock.ms()) <= MAX_DRIFT_MS  # b's own time, not a's
    on_future = _stamps(b, ahead[2])
    assert on_future[-1].device_id == b.settings.device_id and on_future[-1] > on_future[0]
    local_client(sync_server, b).sync_once()
    local_client(sync_server, a).sync_once()
    # every replica: the same projections (the server keeps personal fields sealed: its states and
    # deadlines are compared), the same event order, and no case with an event out of order
    assert projection_snapshot_of(a) == projection_snapshot_of(b)
    assert _orders(a) == _orders(b) == _orders(sync_server.hall)
    assert _states(a) == _states(sync_server.hall)
    for number in ahead + corrected:
        assert _case(b, number).anomalies == "[]" and _case(b, number).nature == "申诉求决类"


def test_the_hybrid_clock_rebases_once_the_wall_clock_is_corrected() -> None:
    clock = HybridClock("dev")
    wall = 1_800_000_000_000
    ahead = clock.tick(wall + 2 * DAY_MS)  # the wall clock ran two days ahead
    assert clock.tick(wall).wall_ms == wall  # corrected: the next stamp is the wall clock's again
    floored = clock.tick(wall + 1, after=ahead)  # a decision on a case stamped in the future
    assert floored > ahead and floored.wall_ms == ahead.wall_ms
    assert clock.tick(wall + 2).wall_ms == wall + 2  # and the floor did not drag the clock along
    clock.observe(Hlc(wall + 3 * DAY_MS, 0, "other"), wall + 3)  # a far-ahead time from another device
    assert clock.tick(wall + 4).wall_ms == wall + 4
    small = HybridClock("dev")
    first = small.tick(wall + 60_000)  # ordinary skew (a minute) is kept, as a hybrid clock does
    assert small.tick(wall) > first
