"""``cases.deadlines_verified`` says whether the deadline a case waits on now was counted over a year whose
holiday schedule is known (the shipped calendar's years and those imported); before, it was always true.
The cases already stored get the value a rebuild of the projections gives them.

Revision ID: 0022
Revises: 0021
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from alembic import op

from desktop.domain.calendar import HolidayCalendar

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade() -> None:
    connection = op.get_bind()
    cases = sa.table("cases", sa.column("next_due", sa.Date), sa.column("deadlines_verified", sa.Boolean))
    schedules = sa.table("holiday_schedules", sa.column("year", sa.Integer))
    known = set(HolidayCalendar.builtin().known_years()) | set(connection.scalars(sa.select(schedules.c.year)))
    first, last = connection.execute(sa.select(sa.func.min(cases.c.next_due), sa.func.max(cases.c.next_due))).one()
    if first is None:
        return
    for year in range(first.year, last.year + 1):
        if year not in known:  # counted over weekends only
            connection.execute(sa.update(cases).where(cases.c.next_due.between(date(year, 1, 1), date(year, 12, 31)))
                               .values(deadlines_verified=False))


def downgrade() -> None:
    op.execute(sa.text("UPDATE cases SET deadlines_verified = :yes").bindparams(yes=True))
