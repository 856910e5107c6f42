"""The one Chinese font every document is set in, embedded in each PDF.

WenQuanYi Micro Hei (Apache-2.0 or GPL-3+ with the font exception) ships in
``resources/fonts``; reportlab embeds the glyphs a document uses as a TrueType
subset (``FontFile2``), so a receipt prints the same on a printer or PC without
any Chinese font. The font is opened once per process as a compact face
(:mod:`desktop.documents.ttface`: the file memory-mapped, its character map and metrics
read in place, under 1 MB instead of reportlab's 20-odd MB of dicts); every later
document reuses it and renders byte for byte as with reportlab's own parse.

Micro Hei lacks the rarer characters of CJK Extension A that people's names carry (䶮 in 刘䶮, 㛃 …):
a character it has no glyph for is set in a fallback font that has one (:data:`FALLBACK_COPIES`:
WenQuanYi Zen Hei on Debian, 统信UOS and 麒麟, which covers all of Extension A; SimSun on Windows),
embedded the same way. :func:`runs` cuts a text where it changes font; without a fallback
font on the PC the text is set as before.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Final

from reportlab.pdfbase import pdfmetrics

from desktop.documents.ttface import CompactTTFont

FONT_NAME: Final = "WenQuanYiMicroHei"
FONT_FILE: Final = "wqy-microhei.ttc"
#: Face 0 of the collection is the proportional Micro Hei (face 1 is the monospaced one).
FONT_FACE: Final = 0
#: Where Debian, 统信UOS and 麒麟 install the same font, used when the program carries no copy (the Linux
#: bundle: its .deb depends on fonts-wqy-microhei, the same file).
SYSTEM_COPIES: Final = (
    Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
    Path("/usr/share/fonts/wqy-microhei/wqy-microhei.ttc"),
)

#: The fallback font's name in the documents, and where a PC keeps one (the first found is used).
FALLBACK_NAME: Final = "FallbackCJK"
FALLBACK_COPIES: Final = (
    Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
    Path("/usr/share/fonts/wqy-zenhei/wqy-zenhei.ttc"),
    Path("C:/Windows/Fonts/simsun.ttc"),
)

_lock = threading.Lock()


class FontMissing(RuntimeError):
    """Neither the bundled font nor a system copy was found."""


def fonts_dir() -> Path:
    """``resources/fonts`` of the repository (the program runs from its checkout or an editable install)."""
    return Path(__file__).resolve().parents[2] / "resources" / "fonts"


def font_path() -> Path:
    """The font file to embed: the bundled copy, else a system copy."""
    for candidate in (fonts_dir() / FONT_FILE, *SYSTEM_COPIES):
        if candidate.is_file():
            return candidate
    raise FontMissing(
        f"找不到文书字体 {FONT_FILE}：应位于 {fonts_dir()}。请从程序发布包中恢复该文件，"
        "或安装 fonts-wqy-microhei 软件包")


@lru_cache(maxsize=1)
def _registered() -> str:
    pdfmetrics.registerFont(CompactTTFont(FONT_NAME, font_path(), subfontIndex=FONT_FACE))
    return FONT_NAME


def register_font() -> str:
    """Register the font with reportlab once per process; returns its name."""
    with _lock:
        _fallback()  # registered beside it, where the PC has one
        return _registered()


@lru_cache(maxsize=1)
def _fallback() -> str:
    """The fallback font's name once registered, "" where the PC has none (or it cannot be read)."""
    for path in FALLBACK_COPIES:
        if path.is_file():
            try:
                pdfmetrics.registerFont(CompactTTFont(FALLBACK_NAME, path, subfontIndex=0))
            except Exception:  # a damaged or foreign font file: the documents go without it
                continue
            return FALLBACK_NAME
    return ""


def _charset(name: str) -> Mapping[int, int]:
    face = pdfmetrics.getFont(name).face
    return face.charToGlyph  # type: ignore[no-any-return]


#: Characters known to be the main font's (most of every text: checked as a set, at C speed) and those
#: set in the fallback font.
_main: set[str] = set()
_rare: set[str] = set()


def _sort(chars: set[str]) -> bool:
    """File ``chars`` (none known yet) under the main font or the fallback; whether any needs the fallback."""
    fallback = _fallback()
    main, other = _charset(FONT_NAME), _charset(fallback) if fallback else {}
    needing = {c for c in chars if ord(c) >= 0x2E80 and ord(c) not in main and ord(c) in other}
    _main.update(chars - needing)  # below U+2E80 (Latin, digits, punctuation): always the main font's
    _rare.update(needing)
    return bool(needing)


def _needs_fallback(text: str) -> bool:
    chars = set(text)
    if chars <= _main:
        return False
    unknown = chars - _main - _rare
    return _sort(unknown) if unknown else True


def runs(text: str) -> list[tuple[str, str]]:
    """``text`` as (font name, piece) in order: the main font, and the fallback where only it has a glyph."""
    if not _needs_fallback(text):
        return [(FONT_NAME, text)] if text else []
    pieces: list[tuple[str, str]] = []
    start = 0
    current = FONT_NAME
    for index, char in enumerate(text):
        font = FALLBACK_NAME if char in _rare else FONT_NAME
        if font != current:
            if index > start:
                pieces.append((current, text[start:index]))
            start, current = index, font
    if len(text) > start:
        pieces.append((current, text[start:]))
    return pieces


def string_width(text: str, size: float) -> float:
    """Width of ``text`` in points at ``size`` (the font must be registered)."""
    if not _needs_fallback(text):
        return float(pdfmetrics.stringWidth(text, FONT_NAME, size))
    return sum(float(pdfmetrics.stringWidth(piece, font, size)) for font, piece in runs(text))
