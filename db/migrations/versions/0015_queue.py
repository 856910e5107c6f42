"""The hall queue: window types (seeded with the usual ones), tickets, calls and the queue's counters.

Revision ID: 0015
Revises: 0014
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

DEFAULT_TYPES = (
    ("general", "综合接待", "A", "", True, 1),
    ("wages", "农民工欠薪绿色通道", "B", "", True, 2),
    ("legal", "涉法涉诉", "C", "", True, 3),
    ("leader", "领导接访", "L", "", False, 4),
)


def upgrade() -> None:
    types = op.create_table(
        "queue_window_types",
        sa.Column("code", sa.String(32), nullable=False),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("prefix", sa.String(4), nullable=False),
        sa.Column("windows", sa.String(128), nullable=False),
        sa.Column("priority_allowed", sa.Boolean(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("code", name="pk_queue_window_types"),
    )
    op.create_table(
        "queue_tickets",
        sa.Column("ticket_id", sa.String(36), nullable=False),
        sa.Column("day", sa.String(10), nullable=False),
        sa.Column("prefix", sa.String(8), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(16), nullable=False),
        sa.Column("type_code", sa.String(32), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("priority", sa.Boolean(), nullable=False),
        sa.Column("order_key", sa.BigInteger(), nullable=False),
        sa.Column("rev", sa.BigInteger(), nullable=False),
        sa.Column("issued_at", sa.String(32), nullable=False),
        sa.Column("called_at", sa.String(32), nullable=True),
        sa.Column("started_at", sa.String(32), nullable=True),
        sa.Column("finished_at", sa.String(32), nullable=True),
        sa.Column("window", sa.Integer(), nullable=True),
        sa.Column("skipped", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.String(64), nullable=True),
        sa.Column("person_name", sa.Text(), nullable=True),
        sa.Column("person_id", sa.Text(), nullable=True),
        sa.Column("transferred_from", sa.String(36), nullable=True),
        sa.Column("origin", sa.String(64), nullable=False),
        sa.Column("pending", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("ticket_id", name="pk_queue_tickets"),
    )
    op.create_index("uq_queue_tickets_day_number", "queue_tickets", ["day", "number"], unique=True)
    op.create_index("ix_queue_tickets_state_type", "queue_tickets", ["state", "type_code"])
    op.create_index("ix_queue_tickets_rev", "queue_tickets", ["rev"])
    op.create_table(
        "queue_calls",
        sa.Column("call_id", sa.String(36), nullable=False),
        sa.Column("ticket_id", sa.String(36), nullable=False),
        sa.Column("number", sa.String(16), nullable=False),
        sa.Column("window", sa.Integer(), nullable=False),
        sa.Column("called_at", sa.String(32), nullable=False),
        sa.Column("rev", sa.BigInteger(), nullable=False),
        sa.Column("pending", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("call_id", name="pk_queue_calls"),
    )
    op.create_index("ix_queue_calls_ticket_id", "queue_calls", ["ticket_id"])
    op.create_index("ix_queue_calls_rev", "queue_calls", ["rev"])
    state = op.create_table(
        "queue_state",
        sa.Column("name", sa.String(32), nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("name", name="pk_queue_state"),
    )
    op.bulk_insert(types, [{"code": c, "name": n, "prefix": p, "windows": w, "priority_allowed": pr, "active": True,
                            "position": pos} for c, n, p, w, pr, pos in DEFAULT_TYPES])
    op.bulk_insert(state, [{"name": "rev", "value": 0}, {"name": "cursor", "value": 0}, {"name": "types", "value": 0}])


def downgrade() -> None:
    op.drop_table("queue_state")
    op.drop_index("ix_queue_calls_rev", table_name="queue_calls")
    op.drop_index("ix_queue_calls_ticket_id", table_name="queue_calls")
    op.drop_table("queue_calls")
    op.drop_index("ix_queue_tickets_rev", table_name="queue_tickets")
    op.drop_index("ix_queue_tickets_state_type", table_name="queue_tickets")
    op.drop_index("uq_queue_tickets_day_number", table_name="queue_tickets")
    op.drop_table("queue_tickets")
    op.drop_table("queue_window_types")
