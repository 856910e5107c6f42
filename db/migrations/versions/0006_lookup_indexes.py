"""Indexes found missing by the benchmarks at a million cases.

* ``search_keys(case_id)``: re-registering a case replaces its keys; without the
  index each registration scanned all keys (6.6 million rows: ~220 ms a save).
* ``cases(needs_supervisor)`` partial: the supervision board counts flagged cases;
  without it the count scanned every case (~2.7 s).

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_search_keys_case", "search_keys", ["case_id"])
    op.create_index("ix_cases_needs_supervisor", "cases", ["needs_supervisor"],
                    sqlite_where=sa.text("needs_supervisor = 1"), postgresql_where=sa.text("needs_supervisor"))


def downgrade() -> None:
    op.drop_index("ix_cases_needs_supervisor", table_name="cases")
    op.drop_index("ix_search_keys_case", table_name="search_keys")
