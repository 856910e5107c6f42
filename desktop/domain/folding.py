"""Text folded for phrase search: no punctuation, no spaces, full-width letters and digits half-width.

A petitioner's text and a clerk's query often differ only in punctuation
("拖欠工资，要求支付" / "工资要求" / "工资,要求") or in the width of letters and
digits ("３万元" / "3万元"). Both sides are folded the same way before they are
compared:

* the punctuation and spaces of :data:`DROPPED` are removed: spaces, tabs and line
  breaks (and the ideographic space), the ASCII marks ``! " ' ( ) , - . / : ; ? [ ]`` and
  the Chinese marks ``，。、；：？！“”‘’（）《》【】「」『』〈〉…—～·``. These are what
  petitions and clerks type; rarer marks (``#``, ``%``, ``〔〕``, ``‖``…) are kept, so they
  must be typed as the text has them;
* full-width digits and Latin letters (``０-９ Ａ-Ｚ ａ-ｚ``) become their ASCII forms.

Nothing else changes (no NFKC: "①" stays "①" on both sides, so a text is always
found by a piece of itself, exactly as typed). The case store writes each case's
folded text into SQLite's folded index; PostgreSQL indexes the same mapping as a
``translate`` expression (``db/search_sql.py`` spells these tables as SQL). Changing
these tables changes what the indexes hold: it needs a migration that rebuilds them.
"""

from __future__ import annotations

from typing import Final

__all__ = ["DROPPED", "NARROW", "WIDE", "fold_text"]

#: Characters removed by folding (see the module docstring).
DROPPED: Final = " \t\n\r\u3000!\"'(),-./:;?[]，。、；：？！“”‘’（）《》【】「」『』〈〉…—～·"

#: Full-width digits and Latin letters, and (same positions) their ASCII forms.
WIDE: Final = "".join(chr(c) for c in (*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B)))
NARROW: Final = "".join(chr(ord(c) - 0xFEE0) for c in WIDE)

_TABLE: Final[dict[int, int | None]] = {ord(c): None for c in DROPPED} | {
    ord(w): ord(n) for w, n in zip(WIDE, NARROW, strict=True)}


def fold_text(text: str) -> str:
    """``text`` without punctuation and spaces, full-width letters and digits made ASCII."""
    return text.translate(_TABLE)
