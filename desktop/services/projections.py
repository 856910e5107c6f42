"""Rebuilding the projections from events, and proving the rebuild equals the live state."""

from __future__ import annotations

from desktop.domain.access import Actor, Permission
from desktop.domain.audit import AuditAction
from desktop.services.audit import guard, record_audit
from desktop.services.context import Hall
from desktop.services.store import RebuildReport, projection_snapshot, rebuild_projections


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
