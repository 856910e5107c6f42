"""A transferred or assigned case waits on the receiving unit's limit, counted from the day of the transfer."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from desktop.domain.calendar import HolidayCalendar
from desktop.domain.case import (
    CaseState,
    DeadlinePolicy,
    check_transition,
    deadline_explanations,
    decision_limit,
    project,
    route_late_days,
)
from desktop.domain.chinatime import epoch_ms
from desktop.domain.deadlines import OBJECT_TRANSFER, ROUTE, UNIT_NOTIFY, DayCounting
from desktop.domain.errors import RuleViolation
from desktop.domain.events import Event, EventType

CALENDAR = DeadlinePolicy(DayCounting.CALENDAR, HolidayCalendar.builtin())
WORKING = DeadlinePolicy(DayCounting.WORKING, HolidayCalendar.builtin())


def _hlc(moment: datetime, n: int) -> str:
    return f"{epoch_ms(moment):013d}-{n:05d}-dev1"  # a naive moment is China's wall time


def _history(received: date, *steps: tuple[EventType, dict[str, Any]],
             at: datetime | None = None) -> list[Event]:
    """A case received on ``received`` and classified, then ``steps`` (stamped a minute apart from ``at``)."""
    start = at or datetime(received.year, received.month, received.day, 2, 0, tzinfo=UTC)
    payloads: list[tuple[EventType, dict[str, Any]]] = [
        (EventType.REGISTERED, {"case_number": "T1", "received_on": received.isoformat(),
                                "petitioner": {"name": "张三"}, "request": "诉求"}),
        (EventType.CLASSIFIED, {"nature": "申诉求决类", "topic_code": "0101"}), *steps]
    return [Event(f"e{n}", "c1", "dev1", "staff:a", _hlc(start.replace(minute=n), n), kind, payload)
            for n, (kind, payload) in enumerate(payloads)]


def _transfer(on: date | None) -> tuple[EventType, dict[str, Any]]:
    payload: dict[str, Any] = {"route_kind": "转送", "organisation_code": "330726-ZJJ"}
    if on is not None:
        payload["routed_on"] = on.isoformat()
    return EventType.TRANSFERRED, payload


def test_a_transfer_in_time_waits_on_the_units_15_days_from_the_transfer_over_national_day() -> None:
    """Received 09-10 (the bureau's 15 days end on 中秋 09-25: 09-28), transferred 09-16: the unit's 15 days end
    on 国庆 10-01, moved to 10-08."""
    view = project("c1", _history(date(2026, 9, 10), _transfer(date(2026, 9, 16))), CALENDAR)
    assert view.state is CaseState.TRANSFERRED
    assert (view.route_due, view.routed_on) == (date(2026, 9, 28), date(2026, 9, 16))
    assert (view.next_due, view.next_due_rule) == (date(2026, 10, 8), UNIT_NOTIFY.name)
    assert view.decision_due == date(2026, 10, 8) and view.deadlines_verified


def test_working_day_counting_counts_the_units_days_too() -> None:
    view = project("c1", _history(date(2026, 9, 10), _transfer(date(2026, 9, 16))), WORKING)
    assert view.next_due == WORKING.due(UNIT_NOTIFY, date(2026, 9, 16)).due == date(2026, 10, 13)


def test_a_late_transfer_is_late_on_the_bureaus_step_and_the_unit_still_has_its_days() -> None:
    view = project("c1", _history(date(2026, 9, 1), _transfer(date(2026, 9, 20))), CALENDAR)
    assert view.route_due == date(2026, 9, 16) and route_late_days(view.route_due, view.routed_on) == 4
    assert view.next_due == CALENDAR.due(UNIT_NOTIFY, date(2026, 9, 20)).due  # what the unit waits on
    assert view.decision_due == view.route_due  # its decision can no longer be in time
    route, unit, objection = deadline_explanations(view, CALENDAR)
    assert route.rule is ROUTE and "实际转送、交办日：2026年9月20日（星期日），逾期4天" in route.explain()
    assert unit.rule is UNIT_NOTIFY and unit.start == date(2026, 9, 20)
    assert objection.rule is OBJECT_TRANSFER and objection.counting is DayCounting.WORKING
    assert "在期限内" in deadline_explanations(
        project("c1", _history(date(2026, 9, 1), _transfer(date(2026, 9, 10))), CALENDAR), CALENDAR)[0].explain()


def test_decision_limit_is_the_bureaus_until_routed_and_the_units_after() -> None:
    due, unit = date(2026, 9, 16), date(2026, 9, 30)
    assert decision_limit(due, None, None) == due
    assert decision_limit(due, date(2026, 9, 15), unit) == unit
    assert decision_limit(due, date(2026, 9, 16), unit) == unit  # the last day is in time
    assert decision_limit(due, date(2026, 9, 17), unit) == due


def test_an_assignment_waits_on_the_earlier_of_the_units_limit_and_its_handling_period() -> None:
    received, assigned = date(2026, 11, 2), date(2026, 11, 4)
    unit_due = CALENDAR.due(UNIT_NOTIFY, assigned).due
    long = project("c1", _history(received, (EventType.ASSIGNED, {
        "organisation_code": "330726-ZJJ", "routed_on": assigned.isoformat(), "due": "2026-12-20"})), CALENDAR)
    assert (long.next_due, long.next_due_rule) == (unit_due, UNIT_NOTIFY.name)
    short = project("c1", _history(received, (EventType.ASSIGNED, {
        "organisation_code": "330726-ZJJ", "routed_on": assigned.isoformat(), "due": "2026-11-10"})), CALENDAR)
    assert (short.next_due, short.next_due_rule) == (date(2026, 11, 10), "交办期限")


def test_a_transfer_recorded_without_its_date_is_dated_by_its_clock_in_china() -> None:
    """17:30 UTC on 09-15 is 01:30 on 09-16 in Beijing: every replica says 09-16, whatever its time zone."""
    moment = datetime(2026, 9, 15, 17, 30, tzinfo=UTC)
    view = project("c1", _history(date(2026, 9, 10), _transfer(None), at=moment), CALENDAR)
    assert view.routed_on == date(2026, 9, 16)
    old_assignment = project("c1", _history(date(2026, 9, 10), (EventType.ASSIGNED, {
        "organisation_code": "330726-ZJJ", "assigned_on": "2026-09-12", "due": "2026-10-30"})), CALENDAR)
    assert old_assignment.routed_on == date(2026, 9, 12)


def test_an_objection_hands_the_case_back_to_the_bureaus_limit() -> None:
    view = project("c1", _history(date(2026, 9, 1), _transfer(date(2026, 9, 3)),
                                  (EventType.OBJECTED, {"reason": "不属于本单位职权"})), CALENDAR)
    assert view.state is CaseState.REGISTERED and view.routed_on is None
    assert (view.next_due, view.decision_due) == (view.route_due, view.route_due)


def test_acceptance_keeps_the_transfer_date_and_stops_waiting_on_the_unit() -> None:
    view = project("c1", _history(date(2026, 9, 1), _transfer(date(2026, 9, 10)),
                                  (EventType.ACCEPTED, {"accepted_on": "2026-09-20"})), CALENDAR)
    assert view.routed_on == date(2026, 9, 10) and view.next_due_rule == "办结期限"
    assert view.decision_due == date(2026, 9, 28)  # the unit's 15 days end on 中秋 (09-25)


def test_a_transfer_dated_before_the_receipt_or_not_a_date_is_refused() -> None:
    registered = project("c1", _history(date(2026, 9, 10)), CALENDAR)
    with pytest.raises(RuleViolation, match="不能早于"):
        check_transition(registered, *_transfer(date(2026, 9, 9)), CALENDAR)
    with pytest.raises(RuleViolation, match="转送、交办日期"):
        check_transition(registered, EventType.TRANSFERRED, {"routed_on": "九月"}, CALENDAR)
