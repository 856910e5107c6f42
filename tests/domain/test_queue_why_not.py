"""Why a window's key does nothing now, in the clerk's words (desktop.domain.queue.why_not)."""

from __future__ import annotations

from datetime import datetime

from desktop.domain.queue import QueueAction, Ticket, TicketSource, TicketState, why_not, window_actions


def _ticket(state: TicketState) -> Ticket:
    return Ticket("t1", "A001", "general", state, datetime(2026, 12, 5, 9, 0), TicketSource.KIOSK, window=3)


def test_every_refused_key_is_explained_and_every_allowed_one_is_not() -> None:
    for current in (None, _ticket(TicketState.CALLED), _ticket(TicketState.SERVING)):
        allowed = window_actions(current)
        for action in QueueAction:
            reason = why_not(action, current)
            assert (reason is None) == (action in allowed), (action, current)
            if reason is not None:
                assert "A001" in reason if current is not None else "F3" in reason


def test_calling_with_a_visitor_still_at_the_window_names_the_ways_out() -> None:
    reason = why_not(QueueAction.CALL, _ticket(TicketState.SERVING))
    assert reason is not None and "办理中" in reason and "F9 办结" in reason and "F6 过号" in reason
