"""Drafts: forms being filled in, kept against a crash until saved or discarded.

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "drafts",
        sa.Column("draft_id", sa.String(36), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("owner", sa.String(96), nullable=False),
        sa.Column("updated_at", sa.String(32), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("draft_id", name="pk_drafts"),
    )
    op.create_index("ix_drafts_owner", "drafts", ["owner"])


def downgrade() -> None:
    op.drop_index("ix_drafts_owner", table_name="drafts")
    op.drop_table("drafts")
