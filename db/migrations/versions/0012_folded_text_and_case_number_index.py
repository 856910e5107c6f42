"""Phrases found across punctuation and widths; case numbers found by their serial.

* Folded text (``db/search_sql.py``): the request, facts and reasons without punctuation
  or spaces, full-width letters and digits made ASCII, so "工资要求", "工资,要求" and
  "工资，要求" all find "拖欠工资，要求支付". SQLite: an FTS5 trigram table
  ``case_fts_folded`` (rowid = ``cases.id``) kept in step by three triggers and filled
  here from every case. It keeps its own copy of the folded text, so a row is deleted by
  its rowid alone on any SQLite with trigram FTS5 (3.34+; plain databases are read with
  Python's own SQLite). PostgreSQL: a pg_trgm GIN index over the same folded expression.
* Case numbers found by their last part ("00012", "12-7", "K01-00012-7" typed at the
  counter): the number is a second column of ``case_fts_folded`` on SQLite, and
  PostgreSQL gets a pg_trgm GIN index ``ix_cases_number_trgm`` on ``case_number``.

Filling the index takes about 3 s for 20,000 cases on SQLite
(about 100 µs a case, which every new or re-registered case then costs in its trigger).

Revision ID: 0012
Revises: 0011
"""

from __future__ import annotations

from alembic import op

from db.search_sql import FOLDED_FTS, folded_text_sql

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

_TRIGGERS = ("cases_folded_ai", "cases_folded_ad", "cases_folded_au")


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute(f"CREATE VIRTUAL TABLE {FOLDED_FTS} USING fts5(body, number, tokenize='trigram')")
        new, old = folded_text_sql(dialect, "new."), "old.id"
        op.execute(f"CREATE TRIGGER cases_folded_ai AFTER INSERT ON cases BEGIN "
                   f"INSERT INTO {FOLDED_FTS}(rowid, body, number) VALUES (new.id, {new}, new.case_number); END")
        op.execute(f"CREATE TRIGGER cases_folded_ad AFTER DELETE ON cases BEGIN "
                   f"DELETE FROM {FOLDED_FTS} WHERE rowid = {old}; END")
        # Projections rewrite case_number (and, on a registration, the texts) with every event:
        # refold only when one of them really changed.
        op.execute(f"CREATE TRIGGER cases_folded_au AFTER UPDATE OF request, facts, reasons, case_number "
                   f"ON cases WHEN old.request IS NOT new.request OR old.facts IS NOT new.facts "
                   f"OR old.reasons IS NOT new.reasons OR old.case_number IS NOT new.case_number "
                   f"BEGIN DELETE FROM {FOLDED_FTS} WHERE rowid = {old}; "
                   f"INSERT INTO {FOLDED_FTS}(rowid, body, number) VALUES (new.id, {new}, new.case_number); END")
        op.execute(f"INSERT INTO {FOLDED_FTS}(rowid, body, number) "
                   f"SELECT id, {folded_text_sql(dialect)}, case_number FROM cases")
    elif dialect == "postgresql":
        op.execute(f"CREATE INDEX ix_cases_folded_trgm ON cases USING gin "
                   f"(({folded_text_sql(dialect)}) gin_trgm_ops)")
        op.execute("CREATE INDEX ix_cases_number_trgm ON cases USING gin (case_number gin_trgm_ops)")


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for trigger in _TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute(f"DROP TABLE IF EXISTS {FOLDED_FTS}")
    elif dialect == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_cases_folded_trgm")
        op.execute("DROP INDEX IF EXISTS ix_cases_number_trgm")
