"""``cases.routed_on``: the day of a case's last 转送/交办, when the receiving unit got the matter; and
``cases.decision_due``: the limit its 受理/不予受理 decision is held to (the unit's 15 days from that day
for a case routed in time, art. 23; else the bureau's 15 days from receipt). A case waiting on the unit
now waits on the unit's limit (``next_due``), no longer on the bureau's; the statistics' covering index
holds ``decision_due`` in place of ``route_due``.

The cases already stored get the values a rebuild of the projections gives them, with the installation's
day counting and holiday schedules: those waiting on a unit now (or flagged for a supervisor) are folded
again from their events; the others that were transferred or assigned take the day of their last transfer
from its event; the rest get ``decision_due = route_due``. At 50,000 demo cases (30,318 transferred or
assigned, 2,076 open) this takes 4–6 s (20.7 s when every routed case was folded again), and
``rebuild-projections --check`` finds the result identical to a rebuild.

Revision ID: 0023
Revises: 0022
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import sqlalchemy as sa
from alembic import op

from desktop.domain.calendar import HolidayCalendar, parse_schedule_csv
from desktop.domain.case import CaseState, DeadlinePolicy, decision_limit, project, routed_day
from desktop.domain.deadlines import UNIT_NOTIFY, DayCounting
from desktop.domain.events import Event, EventType

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None

_STATS_BEFORE = ["received_on", "channel", "visit_kind", "state", "persons_count", "accepted_on", "route_due",
                 "region_code", "topic_code"]
_STATS_AFTER = [("decision_due" if c == "route_due" else c) for c in _STATS_BEFORE]
_CHUNK = 500
#: The states in which a case waits on the unit it was transferred or assigned to: their deadline changes.
_WAITING = frozenset({CaseState.TRANSFERRED.value, CaseState.ASSIGNED.value})


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
        sa.column("state", sa.String), sa.column("needs_supervisor", sa.Boolean),
        sa.column("next_due_rule", sa.String), sa.column("deadlines_verified", sa.Boolean))
    events = sa.table("events", sa.column("event_id", sa.String), sa.column("case_id", sa.String),
                      sa.column("device_id", sa.String), sa.column("author", sa.String), sa.column("hlc", sa.String),
                      sa.column("type", sa.String), sa.column("payload", sa.Text),
                      sa.column("schema_version", sa.Integer))
    connection.execute(sa.update(cases).values(decision_due=cases.c.route_due))
    # Each case's transfers, assignments and objections in clock order, with its row: the day of its last
    # transfer (None after an objection) comes from these alone; a case that waits on the unit now (its
    # deadline changes) or that is flagged (an event may have been refused by the order) is folded whole.
    marks = sa.select(events, cases.c.state, cases.c.needs_supervisor, cases.c.route_due).join(
        cases, cases.c.case_id == events.c.case_id).where(events.c.type.in_(
            [EventType.TRANSFERRED.value, EventType.ASSIGNED.value, EventType.OBJECTED.value])).order_by(
        events.c.case_id, events.c.hlc, events.c.event_id)
    last: dict[str, tuple[date | None, date | None]] = {}
    whole: list[str] = []
    for row in connection.execute(marks):
        if row.state in _WAITING or row.needs_supervisor:
            if not whole or whole[-1] != row.case_id:
                whole.append(row.case_id)
            continue
        routed = None if row.type == EventType.OBJECTED.value else routed_day(_event(row))
        last[row.case_id] = (row.route_due, routed)
    if not last and not whole:
        return
    policy = _policy(connection)
    rows: list[dict[str, Any]] = []
    for case_id, (route_due, routed) in last.items():
        unit_due = policy.due(UNIT_NOTIFY, routed).due if routed is not None else None
        rows.append({"_case_id": case_id, "routed_on": routed,
                     "decision_due": decision_limit(route_due, routed, unit_due)})
        if len(rows) >= _CHUNK * 4:
            connection.execute(sa.update(cases).where(cases.c.case_id == sa.bindparam("_case_id")), rows)
            rows = []
    if rows:
        connection.execute(sa.update(cases).where(cases.c.case_id == sa.bindparam("_case_id")), rows)
    for start in range(0, len(whole), _CHUNK):
        histories: dict[str, list[Event]] = {}
        for row in connection.execute(sa.select(events).where(events.c.case_id.in_(whole[start:start + _CHUNK]))
                                      .order_by(events.c.hlc, events.c.event_id)):
            histories.setdefault(row.case_id, []).append(_event(row))
        folded: list[dict[str, Any]] = []
        for case_id, history in histories.items():
            view = project(case_id, history, policy)
            folded.append({"_case_id": case_id, "routed_on": view.routed_on, "decision_due": view.decision_due,
                           "next_due": view.next_due, "next_due_rule": view.next_due_rule,
                           "deadlines_verified": view.deadlines_verified})
        connection.execute(sa.update(cases).where(cases.c.case_id == sa.bindparam("_case_id")), folded)


def _event(row: Any) -> Event:
    return Event(row.event_id, row.case_id, row.device_id, row.author, row.hlc, EventType(row.type),
                 json.loads(row.payload), row.schema_version)


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
