"""Where the words of a Chinese text begin and end, for breaking its lines between them (收到 / 处理意见, never
收到处 / 理意见).

Chinese is written without spaces, and Qt breaks a line between any two of its characters. ICU's word breaker
knows the words from its dictionary of Chinese and Japanese: the library ships with Qt (the PySide6 wheel's
``Qt/lib/libicuuc.so.NN``; on Windows 10 and later the system's ``icu.dll``), and is called here through ctypes.
Where it is not found, :func:`word_spans` finds the hall's own words only (:data:`HALL_WORDS`), and a line
breaks elsewhere as Qt would break it.

The dictionary is read at the first call (some 20 ms and 3 MB of the library's pages); each call after it takes
some 30 µs for a sentence.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import importlib.util
import re
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

#: ICU's word break iterator kind (``UBRK_WORD``) and the end of its iteration (``UBRK_DONE``).
_UBRK_WORD = 1
_UBRK_DONE = -1

#: Words of the hall's that ICU's dictionary splits (信 / 访人, 身份 / 证和, 向上 / 一 / 级, 阅读 / 器上, 工作 / 人员):
#: held whole, beside ICU's words where it is found.
HALL_WORDS = ("信访", "信访人", "信访事项", "身份证", "上一级", "节假日", "阅读器", "查询码", "农民工", "告知书",
              "意见书", "工作日", "读卡器", "号票", "复查", "复核", "办结", "接访", "候补", "回执", "满意度",
              "工作人员")
_HALL_WORDS = re.compile("|".join(sorted(HALL_WORDS, key=len, reverse=True)))

_lock = threading.Lock()
_breaker: _WordBreaker | None = None
_tried = False


class _WordBreaker:
    """ICU's ``ubrk_*`` functions of one library (their names carry its version: ``ubrk_open_73``)."""

    def __init__(self, library: ctypes.CDLL, suffix: str) -> None:
        def function(name: str, result: Any, *arguments: Any) -> Callable[..., Any]:
            found = getattr(library, f"{name}{suffix}")
            found.restype = result
            found.argtypes = list(arguments)
            return found  # type: ignore[no-any-return]

        status = ctypes.POINTER(ctypes.c_int)
        self.open = function("ubrk_open", ctypes.c_void_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_void_p,
                             ctypes.c_int32, status)
        self.next = function("ubrk_next", ctypes.c_int32, ctypes.c_void_p)
        self.close = function("ubrk_close", None, ctypes.c_void_p)

    def bounds(self, text: str) -> Iterator[int]:
        """The UTF-16 offsets at which ``text``'s words end, the last one its length."""
        data = text.encode("utf-16-le")
        buffer = ctypes.create_string_buffer(data, len(data) + 2)  # the text stays where ICU reads it
        status = ctypes.c_int(0)
        iterator = self.open(_UBRK_WORD, b"zh", buffer, len(data) // 2, ctypes.byref(status))
        if not iterator or status.value > 0:  # an ICU error (a warning is <= 0)
            return
        try:
            while (bound := self.next(iterator)) != _UBRK_DONE:
                yield bound
        finally:
            self.close(iterator)


def _candidates() -> Iterator[tuple[str, str]]:
    """ICU's common library, with the suffix of its functions' names: the one beside Qt's first."""
    spec = importlib.util.find_spec("PySide6")
    for root in (spec.submodule_search_locations or ()) if spec is not None else ():
        for path in sorted(Path(root, "Qt", "lib").glob("libicuuc.so.*")):
            version = re.fullmatch(r"libicuuc\.so\.(\d+)", path.name)
            if version:
                yield str(path), f"_{version.group(1)}"
    if sys.platform == "win32":
        yield "icu.dll", ""  # Windows 10 1903 and later: the functions' names carry no version
    found = ctypes.util.find_library("icuuc")
    version = re.search(r"\.so\.(\d+)", found or "")
    if found and version:
        yield found, f"_{version.group(1)}"


def _load() -> _WordBreaker | None:
    for path, suffix in _candidates():
        try:
            return _WordBreaker(ctypes.CDLL(path), suffix)
        except (OSError, AttributeError):
            continue
    return None


def _the_breaker() -> _WordBreaker | None:
    global _breaker, _tried
    with _lock:
        if not _tried:
            _tried = True
            _breaker = _load()
        return _breaker


def word_spans(text: str) -> list[tuple[int, int]]:
    """The words of ``text`` as (start, end) indexes into it, each longer than one character (a lone character
    and a mark have nothing inside to keep together); the hall's own alone where ICU is not found.

    The dictionary is a general one: the hall's own words it splits (信 / 访, 身份 / 证, 向上 / 一 / 级) are held
    whole as well (:data:`HALL_WORDS`), a word of either overlapping the other's making both one.

    A text's words are kept once found: a paragraph is laid out again at each change of its label's width or font
    (大字), its clauses the same each time.
    """
    return list(_spans(_the_breaker(), text))


@functools.lru_cache(maxsize=2048)
def _spans(breaker: _WordBreaker | None, text: str) -> tuple[tuple[int, int], ...]:
    hall = [found.span() for found in _HALL_WORDS.finditer(text)]
    if breaker is None or not text:
        return tuple(hall)
    # ICU counts UTF-16 units: a character beyond the BMP (𫖯 in a name) is two of them, one of Python's
    at: dict[int, int] = {}
    unit = 0
    for index, char in enumerate(text):
        at[unit] = index
        unit += 2 if ord(char) > 0xFFFF else 1
    at[unit] = len(text)
    spans: list[tuple[int, int]] = []
    start = 0
    for bound in breaker.bounds(text):
        end = at.get(bound)
        if end is None:  # inside a surrogate pair: not a bound
            continue
        if end - start > 1:
            spans.append((start, end))
        start = end
    return tuple(sorted([*spans, *hall]))
