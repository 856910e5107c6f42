"""The index of tickets by state and type also orders them by day, so a ticket's estimated wait can
read the type's service of the last weeks (when the type has not been served yet that day) without
reading the type's whole history.

Revision ID: 0020
Revises: 0019
"""

from __future__ import annotations

from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_queue_tickets_state_type", table_name="queue_tickets")
    op.create_index("ix_queue_tickets_state_type_day", "queue_tickets", ["state", "type_code", "day"])


def downgrade() -> None:
    op.drop_index("ix_queue_tickets_state_type_day", table_name="queue_tickets")
    op.create_index("ix_queue_tickets_state_type", "queue_tickets", ["state", "type_code"])
