"""What a citizen writes: how much of it says something.

A minimum length ("at least 10 characters") is met by words, not by what fills a line without
saying anything: ten emoji, a row of dots, spaces.
"""

from __future__ import annotations

import unicodedata
from typing import Final

__all__ = ["meaningful_length"]

#: Marks that turn the character before them into an emoji ("1️⃣", "#️⃣"): that character says nothing either.
_EMOJI_MARKS: Final = frozenset("\ufe0f\u20e3")


def meaningful_length(text: str) -> int:
    """How many characters of ``text`` are letters (汉字 included) or digits.

    Punctuation, spaces, symbols and emoji are not counted, nor a digit drawn as an emoji (a keycap).
    """
    count = 0
    for index, c in enumerate(text):
        if unicodedata.category(c)[0] in "LN" and text[index + 1:index + 2] not in _EMOJI_MARKS:
            count += 1
    return count
