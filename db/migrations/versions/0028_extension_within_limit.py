"""An extension (延期, art. 34) counts only when decided within the handling limit.

No schema change: the fold now judges every 延期 by its day (``extended_on``, or for one recorded before
that day was kept, its clock's day in China). An extension stored earlier that was decided after the
case's limit had passed no longer extends it: the case is overdue again and flagged for a supervisor. The
cases with an extension are folded again from their events and get the columns a rebuild of the
projections gives them (with the installation's day counting and holiday schedules); every other case
is untouched. ``rebuild-projections --check`` then finds them identical to a rebuild.

Revision ID: 0028
Revises: 0027
"""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from alembic import op

from desktop.domain.calendar import HolidayCalendar, parse_schedule_csv
from desktop.domain.case import DeadlinePolicy, project
from desktop.domain.deadlines import DayCounting
from desktop.domain.events import Event, EventType, canonical_json

revision = "0028"
down_revision = "0027"
branch_labels = None
depends_on = None

_CHUNK = 500


def _day_counting() -> DayCounting:
    """The installation's day counting: handed in by the program that migrates, else its settings."""
    config = op.get_context().config
    given = config.attributes.get("day_counting") if config is not None else None
    if given is None:
        from desktop.config import load_settings

        given = load_settings(write_first_start=False).day_counting
    return DayCounting(given)


def _policy(connection: sa.Connection) -> DeadlinePolicy:
    schedules = sa.table("holiday_schedules", sa.column("year", sa.Integer), sa.column("csv_text", sa.Text),
                         sa.column("source", sa.String))
    calendar = HolidayCalendar.builtin()
    for year, csv_text, source in connection.execute(
            sa.select(schedules.c.year, schedules.c.csv_text, schedules.c.source).order_by(schedules.c.year)):
        for schedule in parse_schedule_csv(csv_text, source):
            if schedule.year == year:
                calendar = calendar.with_schedule(schedule)
    return DeadlinePolicy(_day_counting(), calendar)


def _event(row: Any) -> Event:
    return Event(row.event_id, row.case_id, row.device_id, row.author, row.hlc, EventType(row.type),
                 json.loads(row.payload), row.schema_version)


def upgrade() -> None:
    connection = op.get_bind()
    cases = sa.table("cases", sa.column("case_id", sa.String), sa.column("extended_days", sa.Integer),
                     sa.column("handling_due", sa.Date), sa.column("next_due", sa.Date),
                     sa.column("next_due_rule", sa.String), sa.column("deadlines_verified", sa.Boolean),
                     sa.column("anomalies", sa.Text), sa.column("needs_supervisor", sa.Boolean))
    events = sa.table("events", sa.column("event_id", sa.String), sa.column("case_id", sa.String),
                      sa.column("device_id", sa.String), sa.column("author", sa.String), sa.column("hlc", sa.String),
                      sa.column("type", sa.String), sa.column("payload", sa.Text),
                      sa.column("schema_version", sa.Integer))
    extended = sorted(set(connection.scalars(sa.select(events.c.case_id)
                                             .where(events.c.type == EventType.EXTENDED.value))))
    if not extended:
        return
    policy = _policy(connection)
    for start in range(0, len(extended), _CHUNK):
        histories: dict[str, list[Event]] = {}
        for row in connection.execute(sa.select(events).where(events.c.case_id.in_(extended[start:start + _CHUNK]))
                                      .order_by(events.c.hlc, events.c.event_id)):
            histories.setdefault(row.case_id, []).append(_event(row))
        folded: list[dict[str, Any]] = []
        for case_id, history in histories.items():
            view = project(case_id, history, policy)
            folded.append({"_case_id": case_id, "extended_days": view.extended_days,
                           "handling_due": view.handling_due, "next_due": view.next_due,
                           "next_due_rule": view.next_due_rule, "deadlines_verified": view.deadlines_verified,
                           "anomalies": canonical_json(list(view.anomalies)),
                           "needs_supervisor": view.needs_supervisor})
        connection.execute(sa.update(cases).where(cases.c.case_id == sa.bindparam("_case_id")), folded)


def downgrade() -> None:
    """Nothing to undo in the schema; the program before 0028 folds the cases its own way when they change."""
