"""What a citizen writes: how much of it says something.

A minimum length ("at least 10 characters") is met by words, not by what fills a line without
saying anything: ten emoji, a row of dots, spaces.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final

__all__ = ["MAX_PETITION_TEXT", "after_you_may", "chinese_full_stops", "length_words", "meaningful_length"]

#: The most a petition's 诉求, 事实 and 理由 may each hold, in characters (the text without the spaces around it): the
#: registration service's rule, the hall server's check of a registration, and what the kiosk says while it is written
#: (已写120字，最多5000字) and at 下一步. A longer account goes in as material (附件).
MAX_PETITION_TEXT: Final = 5000

#: Marks that turn the character before them into an emoji ("1️⃣", "#️⃣"): that character says nothing either.
_EMOJI_MARKS: Final = frozenset("\ufe0f\u20e3")


#: What a clerk often writes before a refusal's route, which the sentence says itself (你可以{route}): 请向…,
#: 可以申请…, 可依法…, 您也可以…, 建议你…, 应当向…, in any order and repeated.
_YOU_MAY: Final = re.compile(r"^(?:[你您]们?|信访人|本人|也|还|仍|可以|可|请|应当|应该|应|须|需要|需|建议|[，,、\s])+")


def after_you_may(text: str) -> str:
    """The route as a sentence goes on after 你可以 (the notice) or 您可以 (the kiosk): 请向法院起诉 would read
    你可以请向法院起诉, 可依法向法院申请再审 你可以可依法…; a text that is nothing but those words stays as written."""
    return _YOU_MAY.sub("", text.strip()) or text.strip()


def length_words(text: str, limit: int) -> tuple[tuple[str, ...], bool]:
    """How much is written against the most allowed, as a citizen reads it while writing (已写120字 / 最多3000字),
    counted as the services count it (the text without the spaces around it); True when it is over the limit."""
    written = len(text.strip())
    if written > limit:
        return (f"已写{written}字，", f"最多{limit}字，", f"请删去{written - limit}字"), True
    return (f"已写{written}字，", f"最多{limit}字"), False


def meaningful_length(text: str) -> int:
    """How many characters of ``text`` are letters (汉字 included) or digits.

    Punctuation, spaces, symbols and emoji are not counted, nor a digit drawn as an emoji (a keycap).
    """
    count = 0
    for index, c in enumerate(text):
        if unicodedata.category(c)[0] in "LN" and text[index + 1:index + 2] not in _EMOJI_MARKS:
            count += 1
    return count


#: What a Chinese sentence ends in before its full stop: a 汉字 (Extensions B–H too), a closing mark of Chinese
#: text (a quote, a bracket, a book title's) or a digit (反映过2次．).
_BEFORE_STOP: Final = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f”’）】》」』〉0-9０-９"
#: The full-width period (U+FF0E) the on-screen keyboard's pinyin layout writes for its full-stop key, where a
#: Chinese sentence ends: after one of :data:`_BEFORE_STOP`, not before a digit or a Latin letter (3．5 stays a
#: number for :func:`chinese_full_stops` to write as 3.5).
_SENTENCE_STOP: Final = re.compile(f"(?<=[{_BEFORE_STOP}])(?:[ \u3000]*)\uff0e(?![0-9A-Za-z０-９Ａ-Ｚａ-ｚ])")
#: The same period inside a number, a code or a web address (3．5万元, No．12, www．example．com).
_NUMBER_STOP: Final = re.compile("(?<=[0-9A-Za-z０-９Ａ-Ｚａ-ｚ])\uff0e(?=[0-9A-Za-z０-９Ａ-Ｚａ-ｚ])")


def chinese_full_stops(text: str) -> str:
    """``text`` with the keyboard's full-width period written as Chinese text writes it: "。" where it ends a
    Chinese sentence (小区电梯停运．请求修复 → 小区电梯停运。请求修复), "." inside a number or a code (3．5万元 →
    3.5万元); the ASCII "." and any other period left as typed."""
    text = _SENTENCE_STOP.sub("。", text)
    return _NUMBER_STOP.sub(".", text)
