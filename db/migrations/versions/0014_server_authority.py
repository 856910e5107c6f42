"""The server as the authority: device scope and revocation, one-time enrolment codes, art. 30 seals,
personal fields encrypted with a blind index (server side), and on devices the version of the
reference data last applied.

Revision ID: 0014
Revises: 0013
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("sync_devices") as batch:
        batch.add_column(sa.Column("hall_code", sa.String(32), nullable=False, server_default=""))
        batch.add_column(sa.Column("device_code", sa.String(8), nullable=False, server_default=""))
        batch.add_column(sa.Column("last_seen_at", sa.String(32), nullable=False, server_default=""))
        batch.add_column(sa.Column("revoked_at", sa.String(32), nullable=False, server_default=""))
    op.create_table(
        "enrolment_codes",
        sa.Column("code_hash", sa.String(64), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("hall_code", sa.String(32), nullable=False),
        sa.Column("org_code", sa.String(32), nullable=False),
        sa.Column("issued_by", sa.String(96), nullable=False),
        sa.Column("issued_at", sa.String(32), nullable=False),
        sa.Column("expires_at", sa.String(32), nullable=False),
        sa.Column("used_at", sa.String(32), nullable=False),
        sa.Column("used_by_device", sa.String(32), nullable=False),
        sa.PrimaryKeyConstraint("code_hash", name="pk_enrolment_codes"),
    )
    op.create_table(
        "reference_state",
        sa.Column("name", sa.String(32), nullable=False),
        sa.Column("version", sa.String(64), nullable=False),
        sa.Column("applied_at", sa.String(32), nullable=False),
        sa.PrimaryKeyConstraint("name", name="pk_reference_state"),
    )
    op.create_table(
        "sealed_fields",
        sa.Column("event_id", sa.String(36), nullable=False),
        sa.Column("field", sa.String(40), nullable=False),
        sa.Column("token", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("event_id", "field", name="pk_sealed_fields"),
    )
    op.create_table(
        "person_index",
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("token", sa.String(64), nullable=False),
        sa.Column("case_id", sa.String(36), nullable=False),
        sa.PrimaryKeyConstraint("kind", "token", "case_id", name="pk_person_index"),
    )
    op.create_table(
        "case_seals",
        sa.Column("case_id", sa.String(36), nullable=False),
        sa.Column("org_code", sa.String(32), nullable=False),
        sa.PrimaryKeyConstraint("case_id", "org_code", name="pk_case_seals"),
    )


def downgrade() -> None:
    op.drop_table("case_seals")
    op.drop_table("person_index")
    op.drop_table("sealed_fields")
    op.drop_table("reference_state")
    op.drop_table("enrolment_codes")
    with op.batch_alter_table("sync_devices") as batch:
        batch.drop_column("revoked_at")
        batch.drop_column("last_seen_at")
        batch.drop_column("device_code")
        batch.drop_column("hall_code")
