"""The print log: every attempt to print a document, with the PDF kept while it is pending.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "print_jobs",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True,
                  autoincrement=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("document_number", sa.String(64), nullable=False),
        sa.Column("case_number", sa.String(40), nullable=False),
        sa.Column("title", sa.String(100), nullable=False),
        sa.Column("media", sa.String(8), nullable=False),
        sa.Column("page_width_mm", sa.Double(), nullable=False),
        sa.Column("page_height_mm", sa.Double(), nullable=False),
        sa.Column("pages", sa.Integer(), nullable=False),
        sa.Column("at", sa.String(32), nullable=False),
        sa.Column("device", sa.String(64), nullable=False),
        sa.Column("actor_id", sa.String(96), nullable=False),
        sa.Column("actor_name", sa.String(64), nullable=False),
        sa.Column("printer", sa.String(200), nullable=False),
        sa.Column("copy", sa.Integer(), nullable=False),
        sa.Column("copy_label", sa.String(32), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("retry_of", sa.BigInteger(), nullable=True),
        sa.Column("data", sa.Text(), nullable=False),
        sa.Column("pdf", sa.LargeBinary(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_print_jobs"),
    )
    op.create_index("ix_print_jobs_document_number", "print_jobs", ["document_number"])
    op.create_index("ix_print_jobs_case_number", "print_jobs", ["case_number"])
    op.create_index("ix_print_jobs_status", "print_jobs", ["status"])


def downgrade() -> None:
    op.drop_table("print_jobs")
