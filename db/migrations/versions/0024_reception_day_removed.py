"""A leader reception day nobody is booked on can be removed: ``reception_days.removed_at`` (and who removed it).

The row stays, marked: a removal is a change like any other, so the hall server's mirrors (kiosks, counters,
the leader's desk) learn of it from the records' feed, and the date can be scheduled again (the row comes
back). Empty: the day stands.

Revision ID: 0024
Revises: 0023
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("reception_days", sa.Column("removed_at", sa.String(32), nullable=False, server_default=""))
    op.add_column("reception_days", sa.Column("removed_by", sa.String(96), nullable=False, server_default=""))


def downgrade() -> None:
    op.execute("DELETE FROM reception_days WHERE removed_at <> ''")
    op.drop_column("reception_days", "removed_by")
    op.drop_column("reception_days", "removed_at")
