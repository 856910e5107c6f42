"""Chinese text for print: dates as documents write them, and line breaking.

Line breaking follows the usual rules of Chinese typesetting (避头尾): a line
never starts with a closing mark or sentence punctuation and never ends with an
opening mark; Latin words and numbers are not split, nor a case number, a phone number
(XF-20261207-C01-00001-2, 0579-00000014) or a date (2027年2月5日, 12月6日, 二〇二六年十一月二十四日),
unless one is wider than the whole line.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Final

_CN_DIGITS: Final = "〇一二三四五六七八九"

#: Characters that may not begin a line.
NO_LINE_START: Final = frozenset("，。、；：？！）》」』】〕〉”’…—·%‰,.;:?!)]}>℃")
#: Characters that may not end a line.
NO_LINE_END: Final = frozenset("（《「『【〔〈“‘([{<")

_CN_NUMBER: Final = "[〇零一二三四五六七八九十]"
#: A date as documents write it, kept on one line: 2027年2月5日, 2027年2月, 2月5日 and their Chinese numerals.
_DATE: Final = (rf"\d{{4}}年\d{{1,2}}月(?:\d{{1,2}}日)?|\d{{1,2}}月\d{{1,2}}日"
                rf"|{_CN_NUMBER}{{4}}年{_CN_NUMBER}{{1,3}}月(?:{_CN_NUMBER}{{1,3}}日)?")
#: A run of characters that stays together: a date, a case or phone number (letters and digits joined by
#: hyphens: XF-20261207-C01-00001-2), Latin letters, digits and their punctuation.
_TOKEN_RE: Final = re.compile(
    rf"{_DATE}|[A-Za-z0-9]+(?:-[A-Za-z0-9]+)+|[A-Za-z0-9_/.:@#*+=%&?~$·]+-*|-+|\s+|.", re.DOTALL)


def chinese_date(day: date) -> str:
    """The date of a signature block: 二〇二六年十一月二十四日."""
    year = "".join(_CN_DIGITS[int(d)] for d in f"{day.year:04d}")
    return f"{year}年{_chinese_number(day.month)}月{_chinese_number(day.day)}日"


def _chinese_number(n: int) -> str:
    """1–31 in Chinese numerals: 一, 十, 十一, 二十, 二十四, 三十一."""
    tens, ones = divmod(n, 10)
    if tens == 0:
        return _CN_DIGITS[ones]
    head = "" if tens == 1 else _CN_DIGITS[tens]
    return f"{head}十{_CN_DIGITS[ones] if ones else ''}"


def plain_date(day: date) -> str:
    """A date inside body text: 2026年10月8日."""
    return f"{day.year}年{day.month}月{day.day}日"


def weekday(day: date) -> str:
    """A date's day of the week: 星期二 (the day of an appointment read at home, as the kiosk said it)."""
    return "星期" + "一二三四五六日"[day.weekday()]


def plain_datetime(moment: datetime) -> str:
    """A time on a receipt: 2026年9月16日 09:30."""
    return f"{plain_date(moment.date())} {moment:%H:%M}"


@dataclass(frozen=True)
class Line:
    """One line of a broken paragraph: its text, natural width and whether it ends the paragraph."""

    text: str
    width: float
    last: bool


def _tokens(text: str) -> list[str]:
    return _TOKEN_RE.findall(text)


def break_lines(text: str, measure: Callable[[str], float], width: float,
                first_width: float | None = None) -> list[Line]:
    """Break one paragraph (no newlines) into lines no wider than ``width``.

    ``first_width`` is the room on the first line (less when it is indented).
    """
    room = width if first_width is None else first_width
    lines: list[Line] = []
    current: list[str] = []
    current_width = 0.0

    def flush(last: bool) -> None:
        nonlocal current, current_width, room
        line = "".join(current).rstrip()
        lines.append(Line(line, measure(line), last))
        current, current_width, room = [], 0.0, width

    for token in _pieces(_tokens(text), measure, width):
        if not current and token.isspace():
            continue  # no leading blanks on a continued line
        w = measure(token)
        if current_width + w <= room + 0.01:
            current.append(token)
            current_width += w
            continue
        # The token does not fit: carry it, and whatever must stay with it, to a new line.
        carried = [token]
        while len(current) > 1 and (carried[0][0] in NO_LINE_START or current[-1][-1] in NO_LINE_END):
            carried.insert(0, current.pop())  # a closing mark takes the previous character along
        if current:
            flush(False)
        for piece in carried:
            if not current and piece.isspace():
                continue
            current.append(piece)
            current_width += measure(piece)
    flush(True)
    _no_orphan(lines, measure)
    return lines


def _no_orphan(lines: list[Line], measure: Callable[[str], float]) -> None:
    """A paragraph's last line of one character and its closing marks (人。, 问）) takes the character before it
    along, as typesetters avoid a 孤字: the line above, one character shorter, is spread to its width."""
    if len(lines) < 2:
        return
    last, before = lines[-1].text, lines[-2].text
    alone = [ch for ch in last if ch not in NO_LINE_START and not ch.isspace()]
    if len(alone) != 1 or not last.startswith(alone[0]) or len(before) < 3:
        return
    moved = before[-1]
    # a character that cannot start a line, or one whose run stays whole (a number, a Latin word), stays
    if moved in NO_LINE_START or moved in NO_LINE_END or moved.isspace() or moved.isascii() \
            or before[-2] in NO_LINE_END or _tokens(before)[-1] != moved:
        return
    kept = before[:-1]
    lines[-2] = Line(kept, measure(kept), False)
    lines[-1] = Line(moved + last, measure(moved + last), True)


def _pieces(tokens: list[str], measure: Callable[[str], float], width: float) -> list[str]:
    """Tokens, with any run wider than a whole line cut into characters."""
    out: list[str] = []
    for token in tokens:
        if len(token) > 1 and not token.isspace() and measure(token) > width:
            out.extend(token)
        else:
            out.append(token)
    return out
