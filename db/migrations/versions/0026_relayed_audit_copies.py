"""Audit copies a hall server relays to the centre: each chain keyed by the hall it came through.

``device_audit.relayed_by`` is the hall server's device id at the centre ("" for a device's own
push) and joins the primary key, so a device of a hall, enrolled at the hall server under an id
the centre may also know, has a chain of its own. ``relayed_devices`` keeps how the hall server
describes each such device (kind, kiosk number, place), for lists in words. ``sync_state.name``
grows to 64 characters for a hall server's cursor per relayed device (``audit-relay:<device id>``).

The copy stays append-only: PostgreSQL adds the column without touching a row (its triggers do
not fire); SQLite rebuilds the table and its triggers.

Revision ID: 0026
Revises: 0024
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0026"
down_revision = "0024"
branch_labels = None
depends_on = None

REFUSE = "审计副本只能追加，不能修改或删除"
COLUMNS = ("device_id", "seq", "at", "device", "actor_id", "actor_name", "action", "target", "detail", "prev_hash",
           "entry_hash", "received_at")


def _audit_table(name: str, relayed: bool) -> None:
    keyed = [sa.Column("relayed_by", sa.String(32), nullable=False, server_default="")] if relayed else []
    op.create_table(
        name,
        *keyed,
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
        sa.PrimaryKeyConstraint(*(["relayed_by"] if relayed else []), "device_id", "seq", name="pk_device_audit"),
    )


def _sqlite_rebuild(relayed: bool) -> None:
    """SQLite cannot change a primary key: a new table, the rows copied, the append-only triggers again."""
    _audit_table("device_audit_new", relayed)
    columns = ", ".join(COLUMNS)
    where = "" if relayed else " WHERE relayed_by = ''"
    op.execute(f"INSERT INTO device_audit_new ({columns}) SELECT {columns} FROM device_audit{where}")
    op.drop_table("device_audit")  # its triggers go with it, without firing
    op.rename_table("device_audit_new", "device_audit")
    for what in ("UPDATE", "DELETE"):
        op.execute(f"CREATE TRIGGER device_audit_no_{what.lower()} BEFORE {what} ON device_audit "
                   f"BEGIN SELECT RAISE(ABORT, '{REFUSE}'); END")


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.add_column("device_audit", sa.Column("relayed_by", sa.String(32), nullable=False, server_default=""))
        op.drop_constraint("pk_device_audit", "device_audit", type_="primary")
        op.create_primary_key("pk_device_audit", "device_audit", ["relayed_by", "device_id", "seq"])
        op.alter_column("sync_state", "name", type_=sa.String(64), existing_nullable=False)
    else:
        _sqlite_rebuild(relayed=True)
        with op.batch_alter_table("sync_state") as batch:
            batch.alter_column("name", type_=sa.String(64), existing_nullable=False)
    op.create_table(
        "relayed_devices",
        sa.Column("relayed_by", sa.String(32), nullable=False),
        sa.Column("device_id", sa.String(32), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("device_code", sa.String(8), nullable=False),
        sa.Column("place", sa.String(32), nullable=False),
        sa.Column("updated_at", sa.String(32), nullable=False),
        sa.PrimaryKeyConstraint("relayed_by", "device_id", name="pk_relayed_devices"),
    )


def downgrade() -> None:
    """Relayed copies and relay cursors have no place in the older schema: they are dropped."""
    op.drop_table("relayed_devices")
    op.execute("DELETE FROM sync_state WHERE name LIKE 'audit-relay:%'")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER device_audit_append_only ON device_audit")
        op.execute("DELETE FROM device_audit WHERE relayed_by <> ''")
        op.drop_constraint("pk_device_audit", "device_audit", type_="primary")
        op.drop_column("device_audit", "relayed_by")
        op.create_primary_key("pk_device_audit", "device_audit", ["device_id", "seq"])
        op.execute("CREATE TRIGGER device_audit_append_only BEFORE UPDATE OR DELETE ON device_audit "
                   "FOR EACH ROW EXECUTE FUNCTION device_audit_append_only()")
        op.alter_column("sync_state", "name", type_=sa.String(32), existing_nullable=False)
    else:
        _sqlite_rebuild(relayed=False)
        with op.batch_alter_table("sync_state") as batch:
            batch.alter_column("name", type_=sa.String(32), existing_nullable=False)
