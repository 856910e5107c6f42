"""An extension (art. 34) is decided within the handling limit, counted as the case's deadlines are."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from desktop.domain.calendar import HolidayCalendar
from desktop.domain.case import (
    EXTENDED_ON,
    CaseState,
    DeadlinePolicy,
    check_extended_on,
    check_transition,
    extension_refusal,
    project,
)
from desktop.domain.chinatime import epoch_ms
from desktop.domain.deadlines import HANDLE, DayCounting
from desktop.domain.errors import RuleViolation
from desktop.domain.events import Event, EventType

CALENDAR = DeadlinePolicy(DayCounting.CALENDAR, HolidayCalendar.builtin())
WORKING = DeadlinePolicy(DayCounting.WORKING, HolidayCalendar.builtin())
POLICIES = [pytest.param(CALENDAR, id="calendar"), pytest.param(WORKING, id="working")]
#: Acceptance days whose 60 days end in ordinary weeks, on a weekend, across 国庆 and across 春节 with 调休.
ACCEPTED = [date(2026, 9, 17), date(2026, 9, 16), date(2026, 8, 2), date(2026, 7, 30), date(2025, 12, 20),
            date(2026, 1, 15)]
EXTENSION = {"days": 30, "reason": "需现场勘验", "approved_by": "局长 何伟"}


def _hlc(moment: datetime, n: int) -> str:
    return f"{epoch_ms(moment):013d}-{n:05d}-dev1"  # a naive moment is China's wall time


def _history(accepted: date, extension: dict[str, Any], at: datetime) -> list[Event]:
    """Received and accepted on ``accepted`` (stamped that morning), then ``extension`` stamped at ``at``."""
    morning = datetime(accepted.year, accepted.month, accepted.day, 1, 0, tzinfo=UTC)
    steps: list[tuple[EventType, dict[str, Any], datetime]] = [
        (EventType.REGISTERED, {"case_number": "T1", "received_on": accepted.isoformat(),
                                "petitioner": {"name": "张三"}, "request": "诉求"}, morning),
        (EventType.CLASSIFIED, {"nature": "申诉求决类", "topic_code": "0101"}, morning),
        (EventType.ACCEPTED, {"accepted_on": accepted.isoformat()}, morning),
        (EventType.EXTENDED, extension, at)]
    return [Event(f"e{n}", "c1", "dev1", "staff:a", _hlc(when + timedelta(minutes=n), n), kind, payload)
            for n, (kind, payload, when) in enumerate(steps)]


def _accepted(accepted: date, policy: DeadlinePolicy) -> Any:
    events = _history(accepted, EXTENSION, datetime(accepted.year, accepted.month, accepted.day, 1, tzinfo=UTC))
    return project("c1", events[:3], policy)


@pytest.mark.parametrize("policy", POLICIES)
@pytest.mark.parametrize("accepted", ACCEPTED)
def test_an_extension_is_allowed_up_to_the_last_day_of_the_limit_and_refused_the_day_after(
        policy: DeadlinePolicy, accepted: date) -> None:
    view = _accepted(accepted, policy)
    due = policy.due(HANDLE, accepted).due
    assert view.state is CaseState.ACCEPTED and view.handling_due == due
    for day in (accepted, due - timedelta(days=1), due):
        assert extension_refusal(view, day) is None
        check_transition(view, EventType.EXTENDED, {**EXTENSION, EXTENDED_ON: day.isoformat()}, policy)
    for day in (due + timedelta(days=1), due + timedelta(days=19), due + timedelta(days=400)):
        refusal = extension_refusal(view, day)
        assert refusal is not None and refusal.code == "extension_after_due"
        assert f"已超过办理期限（{due.year}年{due.month}月{due.day}日），不能再延期" in refusal.message
        assert "纳入督办" in refusal.message
        with pytest.raises(RuleViolation, match="已超过办理期限") as raised:
            check_transition(view, EventType.EXTENDED, {**EXTENSION, EXTENDED_ON: day.isoformat()}, policy)
        assert raised.value.code == "extension_after_due"


def test_a_limit_moved_past_national_day_can_still_be_extended_during_the_holiday() -> None:
    """Accepted 08-02: the 60 days end on 国庆 10-01 and move to 10-08; 10-05 is still within the limit."""
    view = _accepted(date(2026, 8, 2), CALENDAR)
    assert view.handling_due == date(2026, 10, 8)
    assert extension_refusal(view, date(2026, 10, 5)) is None
    assert extension_refusal(view, date(2026, 10, 9)) is not None


def test_working_day_counting_gives_the_later_limit_and_the_extension_follows_it() -> None:
    """The same day may be past the calendar-day limit and within the working-day one."""
    accepted = date(2026, 9, 17)
    calendar, working = _accepted(accepted, CALENDAR), _accepted(accepted, WORKING)
    assert working.handling_due is not None and calendar.handling_due is not None
    assert working.handling_due > calendar.handling_due
    between = calendar.handling_due + timedelta(days=1)
    assert extension_refusal(calendar, between) is not None
    assert extension_refusal(working, between) is None


@pytest.mark.parametrize("policy", POLICIES)
def test_the_fold_keeps_a_late_extension_as_an_anomaly_and_the_case_stays_overdue(policy: DeadlinePolicy) -> None:
    accepted = date(2026, 9, 17)
    due = policy.due(HANDLE, accepted).due
    late = {**EXTENSION, EXTENDED_ON: (due + timedelta(days=1)).isoformat()}
    view = project("c1", _history(accepted, late, datetime(2026, 12, 20, 2, tzinfo=UTC)), policy)
    assert (view.extended_days, view.handling_due, view.next_due) == (0, due, due)
    assert view.needs_supervisor and "已超过办理期限" in view.anomalies[0]
    in_time = {**EXTENSION, EXTENDED_ON: due.isoformat()}
    extended = project("c1", _history(accepted, in_time, datetime(2026, 12, 20, 2, tzinfo=UTC)), policy)
    assert extended.extended_days == 30 and extended.handling_due is not None and extended.handling_due > due
    assert not extended.anomalies


def test_an_extension_recorded_without_its_day_is_judged_by_its_clock_day_in_china() -> None:
    """Recorded before the decision day was kept: 16:30 UTC on the last day is 00:30 the next day in China."""
    accepted = date(2026, 9, 17)
    due = CALENDAR.due(HANDLE, accepted).due
    last_day = datetime(due.year, due.month, due.day, tzinfo=UTC)
    in_time = project("c1", _history(accepted, EXTENSION, last_day + timedelta(hours=15)), CALENDAR)
    assert in_time.extended_days == 30 and not in_time.anomalies
    late = project("c1", _history(accepted, EXTENSION, last_day + timedelta(hours=16, minutes=30)), CALENDAR)
    assert late.extended_days == 0 and late.handling_due == due and late.anomalies


def test_the_day_of_the_decision_is_a_real_day_and_never_one_still_to_come() -> None:
    view = _accepted(date(2026, 9, 17), CALENDAR)
    with pytest.raises(RuleViolation, match="批准延期日期不是有效的日期"):
        check_transition(view, EventType.EXTENDED, {**EXTENSION, EXTENDED_ON: "11月17日"}, CALENDAR)
    today = date(2026, 10, 9)
    check_extended_on({EXTENDED_ON: today.isoformat()}, today)
    with pytest.raises(RuleViolation, match="不能晚于今天") as raised:
        check_extended_on({EXTENDED_ON: (today + timedelta(days=1)).isoformat()}, today)
    assert raised.value.code == "extended_in_future"
