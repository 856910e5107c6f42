"""Search keys keyed in the order searches read them: (key, received date, case).

Before, the table had a primary key (key, case) and an index (key, received date, case)
beside it: every key a registration or a pulled case writes went into three B-trees
plus SQLite's row id. Now the primary key is the recency order itself and, on SQLite,
the table is WITHOUT ROWID, so each key is written twice (the table and the by-case
index) instead of four times. A case's keys are unique by construction (a set, replaced
whole when the case is registered again).

Keys without a date take their case's; keys of no case are dropped (they could never be
found through a case anyway). At a million cases (6.6 million keys) the rebuild takes
about a minute, once.

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

_FILLED = """
    SELECT k.key, COALESCE(k.received_on, c.received_on) AS received_on, k.case_id
    FROM search_keys k JOIN cases c ON c.case_id = k.case_id
    WHERE COALESCE(k.received_on, c.received_on) IS NOT NULL"""


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS search_keys_new")  # left by an upgrade interrupted here
        op.execute("""
            CREATE TABLE search_keys_new (
                key VARCHAR(64) NOT NULL,
                received_on DATE NOT NULL,
                case_id VARCHAR(36) NOT NULL,
                CONSTRAINT pk_search_keys PRIMARY KEY (key, received_on, case_id)
            ) WITHOUT ROWID""")
        op.execute(f"INSERT INTO search_keys_new (key, received_on, case_id) {_FILLED} "
                   "ORDER BY 1, 2, 3")
        op.execute("DROP TABLE search_keys")
        op.execute("ALTER TABLE search_keys_new RENAME TO search_keys")
        op.create_index("ix_search_keys_case", "search_keys", ["case_id"])
        return
    op.execute("UPDATE search_keys k SET received_on = c.received_on FROM cases c "
               "WHERE c.case_id = k.case_id AND k.received_on IS NULL")
    op.execute("DELETE FROM search_keys WHERE received_on IS NULL")
    op.drop_index("ix_search_keys_recency", table_name="search_keys")
    op.drop_constraint("pk_search_keys", "search_keys", type_="primary")
    op.alter_column("search_keys", "received_on", existing_type=sa.Date(), nullable=False)
    op.create_primary_key("pk_search_keys", "search_keys", ["key", "received_on", "case_id"])


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS search_keys_old")
        op.execute("""
            CREATE TABLE search_keys_old (
                key VARCHAR(64) NOT NULL,
                case_id VARCHAR(36) NOT NULL,
                received_on DATE,
                CONSTRAINT pk_search_keys PRIMARY KEY (key, case_id)
            )""")
        op.execute("INSERT OR IGNORE INTO search_keys_old (key, case_id, received_on) "
                   "SELECT key, case_id, received_on FROM search_keys")
        op.execute("DROP TABLE search_keys")
        op.execute("ALTER TABLE search_keys_old RENAME TO search_keys")
        op.create_index("ix_search_keys_case", "search_keys", ["case_id"])
    else:
        op.drop_constraint("pk_search_keys", "search_keys", type_="primary")
        op.alter_column("search_keys", "received_on", existing_type=sa.Date(), nullable=True)
        op.create_primary_key("pk_search_keys", "search_keys", ["key", "case_id"])
    op.create_index("ix_search_keys_recency", "search_keys", ["key", "received_on", "case_id"])
