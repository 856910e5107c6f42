"""Which entries of a pick list a typed text finds, and in what order: topics, units, regions.

A clerk types Chinese, full pinyin or pinyin initials, of the entry's own name or of a word
in it; a topic's parents count too (``政法/涉法涉诉`` is found by 政法, zf and zhengfa). The
order is a rule, so that the entry the clerk means is the first one, the one Enter takes:

0. exact: the text is the entry's name, its full pinyin or initials (政法 ← zf), or its code;
1. prefix: the name or the whole path (政法/治安 ← zf), its pinyin or the code starts with it;
2. word start: a segment of the path (法院 in 政法/法院/民事诉讼), a word of the name
   (split at spaces or brackets) or a search key (a keyword, a former name, their pinyin)
   starts with it;
3. anywhere: it is inside one of them;
4. in order: the name holds its Chinese characters in order: a short name (人社局 for
   浦江县人力资源和社会保障局). Not so for initials: jtysj is 交通运输局, not a short name of
   浦江县体育局 (pjxtyj), and two letters would find most long names.

At equal rank higher-level entries (fewer path segments) come first, then shorter names,
then the list's own order. The pinyin is worked out once per list (:func:`search_entry`);
each keystroke only compares strings.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Final

from desktop.domain.pinyin import reading

__all__ = ["ANYWHERE", "EXACT", "IN_ORDER", "PREFIX", "WORD_START", "SearchEntry", "rank", "ranked", "search_entry",
           "spellings"]

EXACT: Final = 0
PREFIX: Final = 1
WORD_START: Final = 2
ANYWHERE: Final = 3
IN_ORDER: Final = 4

_PATH_SEPARATOR: Final = "/"
_WORD_BREAK: Final = re.compile(r"[\s·•（）()\[\]【】,，、:：]+")


def _is_chinese(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


@functools.cache
def _reading(ch: str) -> str | None:
    return reading(ch) if _is_chinese(ch) else None


def _syllables(text: str) -> list[str]:
    """``text``'s toneless pinyin, a syllable per Chinese character; a run of Latin letters or digits is one."""
    words: list[str] = []
    latin = ""
    for ch in text.lower():
        syllable = _reading(ch)
        if syllable is None and ch.isascii() and ch.isalnum():
            latin += ch
            continue
        if latin:
            words.append(latin)
            latin = ""
        if syllable:
            words.append(syllable)
    if latin:
        words.append(latin)
    return words


def spellings(text: str) -> tuple[str, str, str]:
    """``text`` lower-cased without spaces, its full toneless pinyin and its initials (政法 → 政法, zhengfa, zf).

    Latin letters and digits are kept as they are, a run of them counting as one word
    (12309 → 12309 in the pinyin, 1 in the initials); other signs are dropped from the
    pinyin (not from the text).
    """
    words = _syllables(text)
    return "".join(text.lower().split()), "".join(words), "".join(w[0] for w in words)


@dataclass(frozen=True, slots=True)
class SearchEntry:
    """One entry's spellings, worked out once (:func:`search_entry`)."""

    name: tuple[str, str, str]  # the entry's own name (the last path segment): text, pinyin, initials
    path: tuple[str, str, str]  # the whole text, separators dropped (政法涉法涉诉, zhengfashefashesu, zfsfss)
    words: tuple[str, ...]  # spellings of the path's segments, the name's words and the keys: a match starts one
    inside: str  # texts and initials of the path and the keys, one a line: a match anywhere in them
    syllables: str  # the same's pinyin from each syllable on, one a line: a match from a syllable's start
    code: str  # lower-cased
    depth: int  # path segments: 1 for a top-level topic or a unit


def search_entry(text: str, keys: Iterable[str] = (), code: str = "") -> SearchEntry:
    """The spellings of an entry shown as ``text`` (a path like 政法/涉法涉诉, or a plain name) with search
    ``keys`` (keywords, former names; their pinyin may be among them or not)."""
    segments = [s.strip() for s in text.split(_PATH_SEPARATOR) if s.strip()] or [text.strip()]
    own = segments[-1]
    whole = "".join(segments)
    key_words, other_keys = _key_words(keys, whole.lower())
    spelt: dict[str, tuple[list[str], tuple[str, str, str]]] = {}  # each word once: a unit's name is its only segment
    for word in dict.fromkeys((whole, *segments, *_WORD_BREAK.split(own), *key_words)):
        if word:
            syllables = _syllables(word)
            spelt[word] = syllables, ("".join(word.lower().split()), "".join(syllables),
                                      "".join(s[0] for s in syllables))
    words: dict[str, None] = {}
    for word in (*segments, *_WORD_BREAK.split(own), *key_words):
        if word:
            words.update(dict.fromkeys(s for s in spelt[word][1] if s))
    words.update(dict.fromkeys(other_keys))
    inside: list[str] = []
    tails: list[str] = []
    for word in dict.fromkeys((whole, *key_words)):
        syllables, (text_of, _pinyin, initials) = spelt[word]
        inside += [text_of, initials]
        tails += ["".join(syllables[i:]) for i in range(len(syllables))]
    return SearchEntry(spellings(own), spelt[whole][1], tuple(words), "\n".join(inside),
                       "\n" + "\n".join(tails), code.lower(), len(segments))


def _key_words(keys: Iterable[str], whole: str) -> tuple[list[str], list[str]]:
    """The Chinese keys, and the others (pinyin, codes) lower-cased. A Chinese key of one or two characters
    inside the name or a longer key is a piece of it (name indexes list every such piece: 工资 of 农民工工资),
    not a word that starts there."""
    chinese: list[str] = []
    others: list[str] = []
    for key in sorted({"".join(k.lower().split()) for k in keys}, key=len, reverse=True):
        if not any(_is_chinese(ch) for ch in key):
            if key:
                others.append(key)
        elif key != whole and (len(key) > 2 or (key not in whole and not any(key in word for word in chinese))):
            chinese.append(key)
    return chinese, others


def _in_order(needle: str, entry: SearchEntry) -> bool:
    """The name holds ``needle``'s Chinese characters (two at least) in order: 人社局."""
    if len(needle) < 2 or not all(_is_chinese(ch) for ch in needle):
        return False
    rest = iter(entry.name[0])
    return all(ch in rest for ch in needle)


def rank(needle: str, entry: SearchEntry) -> int | None:
    """How well ``needle`` finds ``entry`` (:data:`EXACT` … :data:`IN_ORDER`), or None when it does not."""
    needle = "".join(needle.lower().split())
    if not needle:
        return None
    if needle in entry.name or needle in entry.path or needle == entry.code:  # equal to one of them
        return EXACT
    if (any(s.startswith(needle) for s in entry.name) or any(s.startswith(needle) for s in entry.path)
            or (entry.code and entry.code.startswith(needle))):
        return PREFIX
    if any(w.startswith(needle) for w in entry.words):
        return WORD_START
    if needle in entry.inside or f"\n{needle}" in entry.syllables:
        return ANYWHERE
    return IN_ORDER if _in_order(needle, entry) else None


def ranked(needle: str, entries: Sequence[SearchEntry]) -> list[int]:
    """Indices of the ``entries`` that ``needle`` finds, best first (every index, in order, for no needle)."""
    if not "".join(needle.split()):
        return list(range(len(entries)))
    found: list[tuple[int, int, int, int]] = []
    for index, entry in enumerate(entries):
        level = rank(needle, entry)
        if level is not None:
            found.append((level, entry.depth, len(entry.path[0]), index))
    found.sort()
    return [index for *_, index in found]
