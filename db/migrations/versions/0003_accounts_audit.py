"""Staff accounts, the hash-chained audit log, and the accused organisations of each case.

``cases.accused_org_codes`` is filled from each accusation's newest 分类 event, so
searches can keep an accusation from the accused on databases made before it.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN: recreating ``cases`` (batch mode) would drop its text-index triggers.
    op.add_column("cases", sa.Column("accused_org_codes", sa.Text(), nullable=False, server_default="[]"))
    if op.get_bind().dialect.name == "sqlite":
        accused = "json_extract(e.payload, '$.accused_org_codes')"
    else:
        accused = "replace((e.payload::jsonb -> 'accused_org_codes')::text, ', ', ',')"
    op.execute(f"""
        UPDATE cases SET accused_org_codes = COALESCE((
            SELECT {accused} FROM events e
            WHERE e.case_id = cases.case_id AND e.type = '分类'
            ORDER BY e.hlc DESC, e.event_id DESC LIMIT 1), '[]')
        WHERE nature = '检举控告类'""")
    op.create_table(
        "staff_accounts",
        sa.Column("login", sa.String(64), primary_key=True),
        sa.Column("display_name", sa.String(64), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("hall_code", sa.String(32), nullable=False),
        sa.Column("org_code", sa.String(32), nullable=False),
        sa.Column("extra_permissions", sa.Text(), nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("must_change_password", sa.Boolean(), nullable=False),
        sa.Column("failed_count", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.String(32), nullable=True),
        sa.Column("disabled", sa.Boolean(), nullable=False),
        sa.Column("password_changed_at", sa.String(32), nullable=False),
        sa.Column("updated_at", sa.String(32), nullable=False),
        sa.PrimaryKeyConstraint("login", name="pk_staff_accounts"),
    )
    op.create_table(
        "audit_log",
        sa.Column("seq", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True,
                  autoincrement=False),
        sa.Column("at", sa.String(32), nullable=False),
        sa.Column("device", sa.String(64), nullable=False),
        sa.Column("actor_id", sa.String(96), nullable=False),
        sa.Column("actor_name", sa.String(64), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("target", sa.String(200), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("entry_hash", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("seq", name="pk_audit_log"),
        sa.UniqueConstraint("prev_hash", name="uq_audit_log_prev_hash"),
    )
    op.create_index("ix_audit_log_at", "audit_log", ["at"])
    op.create_index("ix_audit_log_actor_id", "audit_log", ["actor_id"])
    op.create_index("ix_audit_log_action", "audit_log", ["action"])


def downgrade() -> None:
    op.drop_table("audit_log")
    op.drop_table("staff_accounts")
    op.drop_column("cases", "accused_org_codes")
