"""Receipts a kiosk could not print, kept by the hall's authority for its counters to print instead; and the
kiosks' peripherals that do not work (card reader, printer, camera), reported to the server.

Revision ID: 0029
Revises: 0028
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0029"
down_revision = "0028"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "kiosk_prints",
        sa.Column("print_id", sa.String(36), nullable=False),
        sa.Column("device", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("title", sa.String(100), nullable=False),
        sa.Column("document_number", sa.String(64), nullable=False),
        sa.Column("case_number", sa.String(40), nullable=False),
        sa.Column("failed_at", sa.String(32), nullable=False),
        sa.Column("error", sa.String(500), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
        sa.Column("done_at", sa.String(32), nullable=False),
        sa.Column("done_by", sa.String(96), nullable=False),
        sa.Column("done_by_name", sa.String(64), nullable=False),
        sa.Column("done_device", sa.String(64), nullable=False),
        sa.Column("job_id", sa.Integer(), nullable=False),
        sa.Column("rev", sa.BigInteger(), nullable=False),
        sa.Column("pending", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("print_id", name="pk_kiosk_prints"),
    )
    op.create_index("ix_kiosk_prints_failed_at", "kiosk_prints", ["failed_at"])
    op.create_index("ix_kiosk_prints_rev", "kiosk_prints", ["rev"])
    op.create_table(
        "peripheral_states",
        sa.Column("device_id", sa.String(32), nullable=False),
        sa.Column("peripheral", sa.String(16), nullable=False),
        sa.Column("problem", sa.String(200), nullable=False),
        sa.Column("since", sa.String(32), nullable=False),
        sa.Column("reported", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("device_id", "peripheral", name="pk_peripheral_states"),
    )


def downgrade() -> None:
    op.drop_table("peripheral_states")
    op.drop_index("ix_kiosk_prints_rev", "kiosk_prints")
    op.drop_index("ix_kiosk_prints_failed_at", "kiosk_prints")
    op.drop_table("kiosk_prints")
