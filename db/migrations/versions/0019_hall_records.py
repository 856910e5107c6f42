"""The hall's shared records (reception days, appointments, dossier notes, suggestions and their themes)
carry the authority's change number, so every device mirrors them like the queue; a kiosk's suggestion
made offline is marked pending until the authority has it.

Revision ID: 0019
Revises: 0018
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

TABLES = ("reception_days", "reception_appointments", "dossier_notes", "suggestions", "suggestion_themes")


#: Wide enough for the field cipher's tokens, which the central server keeps instead of the plain values.
SEALED = {"reception_appointments": (("name", 100, 400), ("id_number", 40, 120), ("phone", 24, 120)),
          "suggestions": (("name", 50, 400), ("phone", 20, 120))}


def upgrade() -> None:
    for table, columns in SEALED.items():
        with op.batch_alter_table(table) as batch:
            for column, before, after in columns:
                batch.alter_column(column, existing_type=sa.String(before), type_=sa.String(after),
                                   existing_nullable=False)
    for table in TABLES:
        op.add_column(table, sa.Column("rev", sa.BigInteger(), nullable=False, server_default="0"))
        op.create_index(f"ix_{table}_rev", table, ["rev"])
    op.add_column("suggestions", sa.Column("pending", sa.Boolean(), nullable=False, server_default=sa.false()))
    state = sa.table("queue_state", sa.column("name", sa.String), sa.column("value", sa.BigInteger))
    op.bulk_insert(state, [{"name": "records", "value": 0}, {"name": "records_cursor", "value": 0}])


def downgrade() -> None:
    op.execute("DELETE FROM queue_state WHERE name IN ('records', 'records_cursor')")
    op.drop_column("suggestions", "pending")
    for table in TABLES:
        op.drop_index(f"ix_{table}_rev", table_name=table)
        op.drop_column(table, "rev")
    for table, columns in SEALED.items():
        with op.batch_alter_table(table) as batch:
            for column, before, after in columns:
                batch.alter_column(column, existing_type=sa.String(after), type_=sa.String(before),
                                   existing_nullable=False)
