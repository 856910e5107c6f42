"""People's suggestions (人民建议): published themes and the suggestions themselves, with answer,
adoption and award.

Revision ID: 0016
Revises: 0017 (relinked after the reception days merged; written against 0014)
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "suggestion_themes",
        sa.Column("code", sa.String(36), nullable=False),
        sa.Column("title", sa.String(100), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("opens_on", sa.Date(), nullable=False),
        sa.Column("closes_on", sa.Date(), nullable=True),
        sa.Column("published_by", sa.String(96), nullable=False),
        sa.PrimaryKeyConstraint("code", name="pk_suggestion_themes"),
    )
    op.create_table(
        "suggestions",
        sa.Column("suggestion_id", sa.String(36), nullable=False),
        sa.Column("number", sa.String(40), nullable=False),
        sa.Column("theme_code", sa.String(36), nullable=False),
        sa.Column("theme_title", sa.String(100), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("anonymous", sa.Boolean(), nullable=False),
        sa.Column("name", sa.String(50), nullable=False),
        sa.Column("phone", sa.String(20), nullable=False),
        sa.Column("submitted_at", sa.String(32), nullable=False),
        sa.Column("submitted_by", sa.String(96), nullable=False),
        sa.Column("device_id", sa.String(32), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("answered_on", sa.Date(), nullable=True),
        sa.Column("answered_by", sa.String(96), nullable=False),
        sa.Column("adoption", sa.String(8), nullable=False),
        sa.Column("adopted_on", sa.Date(), nullable=True),
        sa.Column("award", sa.String(200), nullable=False),
        sa.Column("awarded_on", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("suggestion_id", name="pk_suggestions"),
        sa.UniqueConstraint("number", name="uq_suggestions_number"),
    )
    op.create_index("ix_suggestions_theme", "suggestions", ["theme_code", "submitted_at"])


def downgrade() -> None:
    op.drop_index("ix_suggestions_theme", table_name="suggestions")
    op.drop_table("suggestions")
    op.drop_table("suggestion_themes")
