"""Rebuilding the projections from events, and proving the rebuild equals the live state."""

from __future__ import annotations

from desktop.services.context import Hall
from desktop.services.store import RebuildReport, projection_snapshot, rebuild_projections


def rebuild_and_compare(hall: Hall, *, compare: bool) -> tuple[RebuildReport, bool]:
    """Rebuild every projection in one transaction; optionally compare with what was there."""
    before = None
    if compare:
        with hall.sessions() as session:
            before = projection_snapshot(session)
    with hall.engine.begin() as connection:
        report = rebuild_projections(connection, hall.policy)
    if before is None:
        return report, True
    with hall.sessions() as session:
        after = projection_snapshot(session)
    return report, before == after
