"""Phrases found across punctuation and widths; case numbers found by their serial.

* Folded text (``db/search_sql.py``): the request, facts and reasons without punctuation
  or spaces, full-width letters and digits made ASCII, so "工资要求", "工资,要求" and
  "工资，要求" all find "拖欠工资，要求支付". SQLite: an FTS5 trigram table
  ``case_fts_folded`` (rowid = ``cases.id``) that the case store writes with each case
  row (the text folded in Python), filled here from every case in batches. It keeps its
  own copy of the folded text, so a row is deleted by its rowid alone, on any SQLite
  with trigram FTS5 (3.34+; plain databases are read with Python's own SQLite).
  PostgreSQL: a pg_trgm GIN index over the same folded expression (``translate``).
* Case numbers found by their last part ("00012", "12-7", "K01-00012-7" typed at the
  counter): the number is a second column of ``case_fts_folded`` on SQLite, and
  PostgreSQL gets a pg_trgm GIN index ``ix_cases_number_trgm`` on ``case_number``.

Filling the index takes about 1.3 s for 20,000 demo cases on SQLite (2,000 cases a batch).

Revision ID: 0013
Revises: 0012
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from db.search_sql import FOLDED_FTS, INSERT_FOLDED_BY_ID, folded_case_text, folded_text_sql

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

_BATCH = 2000


def upgrade() -> None:
    bind = op.get_bind()
    dialect = bind.dialect.name
    if dialect == "sqlite":
        op.execute(f"CREATE VIRTUAL TABLE {FOLDED_FTS} USING fts5(body, number, tokenize='trigram')")
        select = sa.text("SELECT id, request, facts, reasons, case_number FROM cases "
                         "WHERE id > :after ORDER BY id LIMIT :n")
        after = 0
        while rows := bind.execute(select, {"after": after, "n": _BATCH}).all():
            bind.execute(sa.text(INSERT_FOLDED_BY_ID), [
                {"id": r.id, "body": folded_case_text(r.request, r.facts, r.reasons), "number": r.case_number}
                for r in rows])
            after = rows[-1].id
    elif dialect == "postgresql":
        op.execute(f"CREATE INDEX ix_cases_folded_trgm ON cases USING gin (({folded_text_sql()}) gin_trgm_ops)")
        op.execute("CREATE INDEX ix_cases_number_trgm ON cases USING gin (case_number gin_trgm_ops)")


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute(f"DROP TABLE IF EXISTS {FOLDED_FTS}")
    elif dialect == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_cases_folded_trgm")
        op.execute("DROP INDEX IF EXISTS ix_cases_number_trgm")
