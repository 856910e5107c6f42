"""``cases.routed_on``: the day of a case's last 转送/交办, when the receiving unit got the matter; and
``cases.decision_due``: the limit its 受理/不予受理 decision is held to (the unit's 15 days from that day
for a case routed in time, art. 23; else the bureau's 15 days from receipt). A case waiting on the unit
now waits on the unit's limit (``next_due``), no longer on the bureau's; the statistics' covering index
holds ``decision_due`` in place of ``route_due``.

The cases already stored that were ever transferred or assigned are folded again from their events, with
the installation's day counting and holiday schedules, so their rows equal a rebuild of the projections;
the others get ``decision_due = route_due``.

Revision ID: 0023
Revises: 0022
"""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from alembic import op

from desktop.domain.calendar import HolidayCalendar, parse_schedule_csv
from desktop.domain.case import DeadlinePolicy, project
from desktop.domain.deadlines import DayCounting
from desktop.domain.events import Event, EventType

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None

_STATS_BEFORE = ["received_on", "channel", "visit_kind", "state", "persons_count", "accepted_on", "route_due",
                 "region_code", "topic_code"]
_STATS_AFTER = [("decision_due" if c == "route_due" else c) for c in _STATS_BEFORE]
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


def upgrade() -> None:
    op.add_column("cases", sa.Column("routed_on", sa.Date(), nullable=True))
    op.add_column("cases", sa.Column("decision_due", sa.Date(), nullable=True))
    op.drop_index("ix_cases_received_stats", table_name="cases")
    op.create_index("ix_cases_received_stats", "cases", _STATS_AFTER)
    connection = op.get_bind()
    cases = sa.table("cases", *(sa.column(name, sa.Date) for name in (
        "route_due", "routed_on", "decision_due", "next_due")), sa.column("case_id", sa.String),
        sa.column("next_due_rule", sa.String), sa.column("deadlines_verified", sa.Boolean))
    events = sa.table("events", sa.column("event_id", sa.String), sa.column("case_id", sa.String),
                      sa.column("device_id", sa.String), sa.column("author", sa.String), sa.column("hlc", sa.String),
                      sa.column("type", sa.String), sa.column("payload", sa.Text),
                      sa.column("schema_version", sa.Integer))
    connection.execute(sa.update(cases).values(decision_due=cases.c.route_due))
    routed = sorted(set(connection.scalars(sa.select(events.c.case_id).where(
        events.c.type.in_([EventType.TRANSFERRED.value, EventType.ASSIGNED.value])))))
    if not routed:
        return
    policy = _policy(connection)
    for start in range(0, len(routed), _CHUNK):
        histories: dict[str, list[Event]] = {}
        for row in connection.execute(sa.select(events).where(events.c.case_id.in_(routed[start:start + _CHUNK]))
                                      .order_by(events.c.hlc, events.c.event_id)):
            histories.setdefault(row.case_id, []).append(Event(
                row.event_id, row.case_id, row.device_id, row.author, row.hlc, EventType(row.type),
                json.loads(row.payload), row.schema_version))
        rows: list[dict[str, Any]] = []
        for case_id, history in histories.items():
            view = project(case_id, history, policy)
            rows.append({"_case_id": case_id, "routed_on": view.routed_on, "decision_due": view.decision_due,
                         "next_due": view.next_due, "next_due_rule": view.next_due_rule,
                         "deadlines_verified": view.deadlines_verified})
        connection.execute(sa.update(cases).where(cases.c.case_id == sa.bindparam("_case_id")), rows)


def downgrade() -> None:
    """The columns go; a case waiting on a receiving unit waits on what the program before 0023 said."""
    cases = sa.table("cases", sa.column("state", sa.String), sa.column("route_due", sa.Date),
                     sa.column("leader_due", sa.Date), sa.column("next_due", sa.Date),
                     sa.column("next_due_rule", sa.String))
    op.execute(sa.update(cases).where(cases.c.state == "已转送").values(next_due=cases.c.route_due,
                                                                         next_due_rule="转送、交办期限"))
    op.execute(sa.update(cases).where(cases.c.state == "已交办").values(next_due=cases.c.leader_due,
                                                                         next_due_rule="交办期限"))
    op.drop_index("ix_cases_received_stats", table_name="cases")
    op.create_index("ix_cases_received_stats", "cases", _STATS_BEFORE)
    op.drop_column("cases", "decision_due")
    op.drop_column("cases", "routed_on")
