"""SQL shared by migration 0013, the case store and the case search: the folded case text.

The indexes are built over these exact forms, and the search must spell them the same
way for the database to use the indexes. Changing one needs a migration that rebuilds
its index.

* Folded text (:mod:`desktop.domain.folding`): request, facts and reasons joined by
  U+001F (kept by folding, never in a query, so no phrase spans two fields), with every
  punctuation mark of the folding list and every space removed and full-width letters and
  digits made ASCII (:func:`folded_case_text`).

  - SQLite: the application folds the text in Python and writes it, with the case number,
    into the FTS5 trigram table ``case_fts_folded`` (rowid = ``cases.id``) in the same
    transaction as the case row (``desktop.services.store``). No trigger: a trigger
    folding in SQL needs about a hundred nested ``replace`` calls, which SQLite 3.40's
    parser (Python's own, used for plain databases) rejects ("parser stack overflow"),
    and it folds more slowly than :func:`~desktop.domain.folding.fold_text` (10–25 µs
    for a typical case; writing the FTS5 row itself costs far more).
  - PostgreSQL: ``translate`` folds the same way in one call (:func:`folded_text_sql`),
    and ``ix_cases_folded_trgm`` (pg_trgm GIN) indexes that expression; nothing is
    written by the application.
* Case numbers by their last part ("-00012-7"): a trigram index of ``case_number``, as
  the column ``number`` of ``case_fts_folded`` on SQLite and ``ix_cases_number_trgm``
  (pg_trgm GIN) on PostgreSQL, both serving ``LIKE '%-00012-7'``.
"""

from __future__ import annotations

from desktop.domain.folding import DROPPED, NARROW, WIDE, fold_text

FOLDED_FTS = "case_fts_folded"

#: Field separator of the folded text: kept by folding, never in a folded query.
SEPARATOR = "\x1f"

#: One row of ``case_fts_folded`` (parameters ``id``, ``body``, ``number``).
INSERT_FOLDED_BY_ID = f"INSERT INTO {FOLDED_FTS}(rowid, body, number) VALUES (:id, :body, :number)"
#: The same for the case ``case_id``, its rowid read from ``cases``.
INSERT_FOLDED = (f"INSERT INTO {FOLDED_FTS}(rowid, body, number) "
                 f"SELECT id, :body, :number FROM cases WHERE case_id = :case_id")
#: The row of the case ``case_id`` (by rowid: FTS5 looks it up, no scan).
DELETE_FOLDED = f"DELETE FROM {FOLDED_FTS} WHERE rowid = (SELECT id FROM cases WHERE case_id = :case_id)"


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def folded_case_text(request: str, facts: str, reasons: str) -> str:
    """The folded text of a case, as ``case_fts_folded.body`` holds it on SQLite."""
    return fold_text(SEPARATOR.join((request, facts, reasons)))


def folded_text_sql(row: str = "") -> str:
    """PostgreSQL: the folded text of a ``cases`` row, spelled as ``ix_cases_folded_trgm`` is.

    ``row`` prefixes the columns. Equal to :func:`folded_case_text` of the row's texts.
    """
    joined = f"{row}request || chr(31) || {row}facts || chr(31) || {row}reasons"
    return f"translate({joined}, {_literal(WIDE + DROPPED)}, {_literal(NARROW)})"
