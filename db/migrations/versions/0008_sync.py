"""Sync: the server's enrolled devices (token hashes) and the device's pull cursor.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sync_devices",
        sa.Column("device_id", sa.String(32), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("org_code", sa.String(32), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("enrolled_at", sa.String(32), nullable=False),
        sa.PrimaryKeyConstraint("device_id", name="pk_sync_devices"),
        sa.UniqueConstraint("token_hash", name="uq_sync_devices_token_hash"),
    )
    op.create_table(
        "sync_state",
        sa.Column("name", sa.String(32), nullable=False),
        sa.Column("cursor", sa.BigInteger(), nullable=False),
        sa.Column("last_success_at", sa.String(32), nullable=False),
        sa.Column("last_attempt_at", sa.String(32), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("name", name="pk_sync_state"),
    )


def downgrade() -> None:
    op.drop_table("sync_state")
    op.drop_table("sync_devices")
