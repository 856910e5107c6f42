"""SQL shared by migration 0012 and the case search: the folded case text.

The indexes are built over these exact expressions, and the search must spell them the
same way for the database to use the indexes. Changing one needs a migration that
rebuilds its index.

* Folded text (:mod:`desktop.domain.folding`): request, facts and reasons joined by
  U+001F (kept by folding, never in a query, so no phrase spans two fields), with every
  punctuation mark of the folding list and every space removed and full-width letters and
  digits made ASCII. On
  SQLite it is computed by triggers into the FTS5 trigram table
  ``case_fts_folded``; on PostgreSQL ``translate`` computes it and ``ix_cases_folded_trgm``
  (pg_trgm GIN) indexes it.
* Case numbers by their last part ("-00012-7"): a trigram index of ``case_number``, as
  the column ``number`` of ``case_fts_folded`` on SQLite and ``ix_cases_number_trgm``
  (pg_trgm GIN) on PostgreSQL, both serving ``LIKE '%-00012-7'``.
"""

from __future__ import annotations

from desktop.domain.folding import DROPPED, NARROW, WIDE

FOLDED_FTS = "case_fts_folded"


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def folded_text_sql(dialect: str, row: str = "") -> str:
    """The folded text of a ``cases`` row; ``row`` prefixes the columns (``new.`` in a trigger).

    SQLite has no ``translate``: one ``replace`` per dropped character, and the 62
    full-width letters and digits only in the rare texts that have one (a GLOB finds them).
    """
    if dialect == "sqlite":
        raw = f"({row}request || char(31) || {row}facts || char(31) || {row}reasons)"
        out = raw
        for wide, narrow in zip(WIDE, NARROW, strict=True):
            out = f"replace({out}, {_literal(wide)}, {_literal(narrow)})"
        out = f"CASE WHEN {raw} GLOB '*[０-９Ａ-Ｚａ-ｚ]*' THEN {out} ELSE {raw} END"
        for ch in DROPPED:
            out = f"replace({out}, {_literal(ch)}, '')"
        return out
    joined = f"{row}request || chr(31) || {row}facts || chr(31) || {row}reasons"
    return f"translate({joined}, {_literal(WIDE + DROPPED)}, {_literal(NARROW)})"
