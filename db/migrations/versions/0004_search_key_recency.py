"""Search keys carry their case's received date: name and pinyin searches read the newest first.

Pinyin initials of common names match tens of thousands of cases; sorting them by
date through the cases table cost up to 0.5 s at a million cases. With the date in
an index beside the key, the newest matches come from the index alone.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("search_keys", sa.Column("received_on", sa.Date(), nullable=True))
    op.execute("""
        UPDATE search_keys SET received_on = (
            SELECT c.received_on FROM cases c WHERE c.case_id = search_keys.case_id)""")
    op.create_index("ix_search_keys_recency", "search_keys", ["key", "received_on", "case_id"])


def downgrade() -> None:
    op.drop_index("ix_search_keys_recency", table_name="search_keys")
    op.drop_column("search_keys", "received_on")
