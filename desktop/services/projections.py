"""Rebuilding the projections from events, and proving the rebuild equals the live state."""

from __future__ import annotations

from datetime import date

from sqlalchemy import or_, select

from db.models import CaseRow
from desktop.domain.access import Actor, Permission
from desktop.domain.audit import AuditAction
from desktop.services.audit import guard, record_audit
from desktop.services.context import Hall
from desktop.services.store import RebuildReport, projection_snapshot, rebuild_projections, refold

#: The deadlines a case row holds (any of them can move with the holiday data or the day counting).
DUE_COLUMNS = (CaseRow.route_due, CaseRow.decision_due, CaseRow.handling_due, CaseRow.review_request_due,
               CaseRow.review_answer_due, CaseRow.rereview_request_due, CaseRow.rereview_answer_due, CaseRow.leader_due,
               CaseRow.next_due)


def rebuild_and_compare(hall: Hall, actor: Actor, *, compare: bool) -> tuple[RebuildReport, bool]:
    """Rebuild every projection in one transaction; optionally compare with what was there."""
    guard(hall, actor, Permission.MAINTAIN_DATA, "重建事项表和检索索引")
    before = None
    if compare:
        with hall.sessions() as session:
            before = projection_snapshot(session)
    with hall.engine.begin() as connection:
        report = rebuild_projections(connection, hall.policy)
    same = True
    if before is not None:
        with hall.sessions() as session:
            same = projection_snapshot(session) == before
    record_audit(hall, actor, AuditAction.DATA_MAINTENANCE, "rebuild-projections",
                 {"cases": report.cases, "events": report.events, "compared": compare, "same": same})
    return report, same


def recount_deadlines(hall: Hall, from_day: date | None = None, chunk: int = 1000) -> int:
    """Fold again the cases whose stored deadlines the hall's deadline policy now counts differently.

    After a holiday schedule is imported (``from_day``: the first day of its first year — a
    deadline before it is counted over days the schedule does not touch) or the day counting
    changes (``None``: every case with a deadline). Each chunk of cases is its own transaction,
    so registrations at the counter go on meanwhile. Returns how many cases were folded again.
    """
    due = or_(*(column >= from_day for column in DUE_COLUMNS)) if from_day is not None else \
        or_(*(column.is_not(None) for column in DUE_COLUMNS))
    with hall.sessions() as session:
        case_ids = list(session.scalars(select(CaseRow.case_id).where(due).order_by(CaseRow.case_id)))
    for start in range(0, len(case_ids), chunk):
        with hall.transaction() as session:
            refold(session, case_ids[start:start + chunk], hall.policy)
    return len(case_ids)
