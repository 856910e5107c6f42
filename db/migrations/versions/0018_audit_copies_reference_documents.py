"""The server's copy of every device's audit log (append-only, one hash chain per device), and
reference documents shared down the feed (the organisation directory, deployment settings, …).

Revision ID: 0018
Revises: 0014
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

REFUSE = "审计副本只能追加，不能修改或删除"


def upgrade() -> None:
    op.create_table(
        "device_audit",
        sa.Column("device_id", sa.String(32), nullable=False),
        sa.Column("seq", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("at", sa.String(32), nullable=False),
        sa.Column("device", sa.String(64), nullable=False),
        sa.Column("actor_id", sa.String(96), nullable=False),
        sa.Column("actor_name", sa.String(64), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("target", sa.String(200), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("entry_hash", sa.String(64), nullable=False),
        sa.Column("received_at", sa.String(32), nullable=False),
        sa.PrimaryKeyConstraint("device_id", "seq", name="pk_device_audit"),
    )
    op.create_table(
        "reference_documents",
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("scope", sa.String(32), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.String(32), nullable=False),
        sa.PrimaryKeyConstraint("kind", "scope", name="pk_reference_documents"),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE FUNCTION device_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS "
                   f"$$ BEGIN RAISE EXCEPTION '{REFUSE}'; END $$")
        op.execute("CREATE TRIGGER device_audit_append_only BEFORE UPDATE OR DELETE ON device_audit "
                   "FOR EACH ROW EXECUTE FUNCTION device_audit_append_only()")
    else:
        for what in ("UPDATE", "DELETE"):
            op.execute(f"CREATE TRIGGER device_audit_no_{what.lower()} BEFORE {what} ON device_audit "
                       f"BEGIN SELECT RAISE(ABORT, '{REFUSE}'); END")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER device_audit_append_only ON device_audit")
        op.execute("DROP FUNCTION device_audit_append_only()")
    op.drop_table("device_audit")
    op.drop_table("reference_documents")
