"""Materials sync: which cases name which file, and whether the server holds each file.

``attachments.on_server`` is set once the device's server holds the file (it went up, or it came
down from there), so a sync round asks about new files only. ``attachment_cases`` says which
cases name each file (a registration's or a supplement's ``attachments``): the server lets a
device send or fetch a file only for a case that device may hold, and a kiosk that erases its
registrations drops the files nothing else names. Filled here from the events already stored.

Revision ID: 0027
Revises: 0026
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = "0027"
down_revision = "0026"
branch_labels = None
depends_on = None


def _named(payload: str) -> set[str]:
    try:
        items = json.loads(payload).get("attachments")
    except (ValueError, AttributeError):
        return set()
    found = set()
    for item in items if isinstance(items, list) else ():
        sha = item.get("sha256") if isinstance(item, dict) else item
        if isinstance(sha, str) and len(sha) == 64:
            found.add(sha)
    return found


def upgrade() -> None:
    with op.batch_alter_table("attachments") as batch:
        batch.add_column(sa.Column("on_server", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.create_table(
        "attachment_cases",
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("case_id", sa.String(36), nullable=False),
        sa.PrimaryKeyConstraint("sha256", "case_id", name="pk_attachment_cases"),
    )
    op.create_index("ix_attachment_cases_case_id", "attachment_cases", ["case_id"])
    bind = op.get_bind()
    rows = bind.execute(sa.text("SELECT case_id, payload FROM events WHERE type IN ('登记', '补充材料') "
                                "AND payload LIKE '%\"attachments\"%'"))
    pairs = sorted({(sha, case_id) for case_id, payload in rows for sha in _named(payload)})
    if pairs:
        table = sa.table("attachment_cases", sa.column("sha256"), sa.column("case_id"))
        op.bulk_insert(table, [{"sha256": s, "case_id": c} for s, c in pairs])


def downgrade() -> None:
    op.drop_index("ix_attachment_cases_case_id", "attachment_cases")
    op.drop_table("attachment_cases")
    with op.batch_alter_table("attachments") as batch:
        batch.drop_column("on_server")
