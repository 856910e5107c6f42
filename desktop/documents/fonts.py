"""The one Chinese font every document is set in, embedded in each PDF.

WenQuanYi Micro Hei (Apache-2.0 or GPL-3+ with the font exception) ships in
``resources/fonts``; reportlab embeds the glyphs a document uses as a TrueType
subset (``FontFile2``), so a receipt prints the same on a printer or PC without
any Chinese font. The font is opened once per process as a compact face
(:mod:`desktop.documents.ttface`: the file memory-mapped, its character map and metrics
read in place, under 1 MB instead of reportlab's 20-odd MB of dicts); every later
document reuses it and renders byte for byte as with reportlab's own parse.
"""

from __future__ import annotations

import threading
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


def string_width(text: str, size: float) -> float:
    """Width of ``text`` in points at ``size`` (the font must be registered)."""
    return float(pdfmetrics.stringWidth(text, FONT_NAME, size))
