"""Which open cases are overdue or due soon, as SQL over the case rows: one rule for the board and the search.

A case's current deadline is ``cases.next_due``: the decision on acceptance, the handling limit, or, while
the case waits on the unit it was transferred or assigned to, that unit's limit from the day of the
transfer (``desktop.domain.case``, folded into the row). A concluded case has none, so it is never due.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import ColumnElement, and_

from db.models import CaseRow
from desktop.domain.calendar import HolidayCalendar
from desktop.domain.deadlines import DUE_SOON_DAYS, DueFilter, due_soon_until

__all__ = ["DueFilter", "due_condition", "due_soon", "overdue", "overdue_or_due_soon"]


def overdue(today: date) -> ColumnElement[bool]:
    """The current deadline has passed (the last day itself is still in time)."""
    return CaseRow.next_due < today


def due_soon(today: date, calendar: HolidayCalendar, days: int = DUE_SOON_DAYS) -> ColumnElement[bool]:
    """The current deadline falls from today to ``days`` on, that last day moved past rest days."""
    return and_(CaseRow.next_due >= today, CaseRow.next_due <= due_soon_until(today, calendar, days))


def overdue_or_due_soon(today: date, calendar: HolidayCalendar, days: int = DUE_SOON_DAYS) -> ColumnElement[bool]:
    """Either of the two: what the deadline board lists."""
    return CaseRow.next_due <= due_soon_until(today, calendar, days)


def due_condition(due: DueFilter, today: date, calendar: HolidayCalendar) -> ColumnElement[bool] | None:
    """The condition of ``due`` on the case rows; None for 全部."""
    if due is DueFilter.OVERDUE:
        return overdue(today)
    if due is DueFilter.DUE_SOON:
        return due_soon(today, calendar)
    return None

