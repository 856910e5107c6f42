"""Whether the case a leader-reception booking concerns was named by a clerk (kept) or found by the rule
(replaced by the visitor's matter registered on the reception day).

Revision ID: 0030
Revises: 0029
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0030"
down_revision = "0029"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("reception_appointments",
                  sa.Column("case_chosen", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("reception_appointments") as batch:
        batch.drop_column("case_chosen")
