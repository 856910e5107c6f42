"""The one Chinese font every document is set in, embedded in each PDF.

WenQuanYi Micro Hei (Apache-2.0 or GPL-3+ with the font exception) ships in
``resources/fonts``; reportlab embeds the glyphs a document uses as a TrueType
subset (``FontFile2``), so a receipt prints the same on a printer or PC without
any Chinese font. The font is opened once per process as a compact face
(:mod:`desktop.documents.ttface`: the file memory-mapped, its character map and metrics
read in place, under 1 MB instead of reportlab's 20-odd MB of dicts); every later
document reuses it and renders byte for byte as with reportlab's own parse.

Micro Hei lacks the rarer characters people's names and places carry: a character it has no glyph
for is set in the first fallback font (:data:`FALLBACKS`) that has one, embedded the same way —
WenQuanYi Zen Hei for CJK Extension A (䶮 in 刘䶮, 㛃 …; all of it), then BabelStone Han for the
planes beyond (Extension B to G: 𫖯 in 赵孟𫖯, 𬭎, 𠇔 …; the characters in use, with the glyph forms of
the mainland standard); on Windows SimSun and SimSun-ExtB. :func:`runs` cuts a text where it
changes font. A fallback font is opened only when a text first needs it; without one on the PC the
text is set as before.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from functools import cache, lru_cache
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

#: The fallback fonts in the order they are asked: each its name in the documents and where a PC keeps
#: it (the first copy found is used).
FALLBACKS: Final = (
    ("FallbackCJK", (  # Extension A: every character
        Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
        Path("/usr/share/fonts/wqy-zenhei/wqy-zenhei.ttc"),
        Path("C:/Windows/Fonts/simsun.ttc"),
    )),
    ("FallbackCJKExt", (  # Extensions B to G, beyond the Basic Multilingual Plane
        Path("/usr/share/fonts/truetype/babelstone/BabelStoneHan.ttf"),
        Path("C:/Windows/Fonts/simsunb.ttf"),
    )),
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
        return _registered()


def fallback_copy(copies: tuple[Path, ...]) -> Path | None:
    """The first of ``copies`` this PC has."""
    return next((path for path in copies if path.is_file()), None)


@cache
def _fallback(index: int) -> Mapping[int, int]:
    """The character map of fallback ``index`` once registered; empty where the PC has none (or it cannot
    be read: a damaged or foreign file, and the documents go without it)."""
    name, copies = FALLBACKS[index]
    path = fallback_copy(copies)
    if path is None:
        return {}
    try:
        font = CompactTTFont(name, path, subfontIndex=0)
    except Exception:
        return {}
    pdfmetrics.registerFont(font)
    return font.face.charToGlyph


#: Characters known to be the main font's (most of every text: checked as a set, at C speed), and those
#: set in a fallback font, with its name.
_main: set[str] = set()
_rare: dict[str, str] = {}


def _sort(chars: set[str]) -> bool:
    """File ``chars`` (none known yet) under the main font or a fallback; whether any needs a fallback."""
    main: Mapping[int, int] = pdfmetrics.getFont(register_font()).face.charToGlyph
    lacking = {c for c in chars if ord(c) >= 0x2E80 and ord(c) not in main}  # below: Latin, digits, marks
    needing: dict[str, str] = {}
    for index, (name, _copies) in enumerate(FALLBACKS):
        if not lacking:
            break
        with _lock:
            other = _fallback(index)
        found = {c for c in lacking if ord(c) in other}
        needing.update(dict.fromkeys(found, name))
        lacking -= found
    _main.update(chars - needing.keys())  # a character no font has: the main font's (an empty box)
    _rare.update(needing)
    return bool(needing)


def _needs_fallback(text: str) -> bool:
    chars = set(text)
    if chars <= _main:
        return False
    unknown = chars - _main - _rare.keys()
    return _sort(unknown) if unknown else True


def runs(text: str) -> list[tuple[str, str]]:
    """``text`` as (font name, piece) in order: the main font, and a fallback where only it has a glyph."""
    if not _needs_fallback(text):
        return [(FONT_NAME, text)] if text else []
    pieces: list[tuple[str, str]] = []
    start = 0
    current = FONT_NAME
    for index, char in enumerate(text):
        font = _rare.get(char, FONT_NAME)
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
