"""Leader reception days: the schedule, appointments with their waiting list, the dossier's notes.

Revision ID: 0017
Revises: 0014
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reception_days",
        sa.Column("day_id", sa.String(36), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("origin", sa.String(8), nullable=False),
        sa.Column("leaders", sa.Text(), nullable=False),
        sa.Column("place", sa.String(100), nullable=False),
        sa.Column("topics", sa.Text(), nullable=False),
        sa.Column("units", sa.Text(), nullable=False),
        sa.Column("slots", sa.Text(), nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("created_by", sa.String(96), nullable=False),
        sa.PrimaryKeyConstraint("day_id", name="pk_reception_days"),
        sa.UniqueConstraint("day", name="uq_reception_days_day"),
    )
    op.create_table(
        "reception_appointments",
        sa.Column("appointment_id", sa.String(36), nullable=False),
        sa.Column("day_id", sa.String(36), nullable=False),
        sa.Column("slot", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("id_number", sa.String(40), nullable=False),
        sa.Column("phone", sa.String(24), nullable=False),
        sa.Column("persons_count", sa.Integer(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("case_number", sa.String(40), nullable=False),
        sa.Column("source", sa.String(8), nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("created_by", sa.String(96), nullable=False),
        sa.Column("received_at", sa.String(32), nullable=False),
        sa.Column("received_by", sa.String(96), nullable=False),
        sa.Column("received_by_name", sa.String(64), nullable=False),
        sa.Column("decision", sa.Text(), nullable=False),
        sa.Column("taken_on", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("appointment_id", name="pk_reception_appointments"),
    )
    op.create_index("ix_reception_appointments_day_id", "reception_appointments", ["day_id"])
    op.create_index("ix_reception_appointments_id_number", "reception_appointments", ["id_number"])
    op.create_table(
        "dossier_notes",
        sa.Column("note_id", sa.String(36), nullable=False),
        sa.Column("appointment_id", sa.String(36), nullable=False),
        sa.Column("at", sa.String(32), nullable=False),
        sa.Column("author", sa.String(96), nullable=False),
        sa.Column("author_name", sa.String(64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("note_id", name="pk_dossier_notes"),
    )
    op.create_index("ix_dossier_notes_appointment_id", "dossier_notes", ["appointment_id"])


def downgrade() -> None:
    op.drop_index("ix_dossier_notes_appointment_id", table_name="dossier_notes")
    op.drop_table("dossier_notes")
    op.drop_index("ix_reception_appointments_id_number", table_name="reception_appointments")
    op.drop_index("ix_reception_appointments_day_id", table_name="reception_appointments")
    op.drop_table("reception_appointments")
    op.drop_table("reception_days")
