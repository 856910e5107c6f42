"""The compact face answers exactly as reportlab's own parse, and documents come out byte for byte the same."""

from __future__ import annotations

import struct
from collections.abc import Iterator
from pathlib import Path

import pytest
import reportlab
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont, TTFontFace

from desktop.documents import fonts
from desktop.documents.model import DocumentKind as K
from desktop.documents.render import render
from desktop.documents.ttface import CompactFace, CompactTTFont
from tests.documents.conftest import SAMPLES

WQY = fonts.font_path()
VERA = Path(reportlab.__file__).parent / "fonts" / "Vera.ttf"  # reportlab's own: a format 4 cmap only
HB_TEST = Path(reportlab.__file__).parent / "fonts" / "hb-test.ttf"  # 1000 units per em: widths unscaled
DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
#: Code points the fonts do not map, sampled across every plane reportlab could be asked about.
OUTSIDE = [*range(0, 0x110000, 97), 0xA0, 0x20, 0xFFFF, 0x10FFFF, 0x110000, -1]


def cmap_records(data: bytes, face: int) -> Iterator[tuple[int, int, int]]:
    """(position of the record, platform, encoding) of each cmap record of ``face`` in ``data``."""
    table = 12
    if data[:4] == b"ttcf":
        table = struct.unpack_from(">L", data, 12 + 4 * face)[0] + 12
    tables = struct.unpack_from(">H", data, table - 8)[0]
    for n in range(tables):
        tag, _, offset, _ = struct.unpack_from(">4sLLL", data, table + 16 * n)
        if tag == b"cmap":
            count = struct.unpack_from(">H", data, offset + 2)[0]
            for i in range(count):
                at = offset + 4 + 8 * i
                platform, encoding = struct.unpack_from(">HH", data, at)
                yield at, platform, encoding


def only_records(source: Path, face: int, keep: set[tuple[int, int]], out: Path) -> Path:
    """A copy of the font whose other cmap records are moved to platform 2, which reportlab ignores."""
    data = bytearray(source.read_bytes())
    for at, platform, encoding in list(cmap_records(bytes(data), face)):
        if (platform, encoding) not in keep:
            struct.pack_into(">H", data, at, 2)
    out.write_bytes(bytes(data))
    return out


def assert_same(path: Path, face: int = 0) -> CompactFace:
    ours = CompactFace(path, subfontIndex=face)
    theirs = TTFontFace(str(path), subfontIndex=face)
    assert not isinstance(ours.charToGlyph, dict) and not hasattr(ours, "glyphToChar")
    # Every mapped code, in reportlab's dict order, then codes outside the map.
    assert list(ours.charToGlyph) == list(theirs.charToGlyph)
    assert list(ours.charToGlyph.keys()) == list(theirs.charToGlyph.keys())
    assert len(ours.charToGlyph) == len(theirs.charToGlyph) > 0
    for code in [*theirs.charToGlyph, *OUTSIDE]:
        assert (code in ours.charToGlyph) == (code in theirs.charToGlyph), code
        assert ours.charToGlyph.get(code) == theirs.charToGlyph.get(code), code
        width, expected = ours.charWidths.get(code, ours.defaultWidth), theirs.charWidths.get(code, theirs.defaultWidth)
        assert width == expected and type(width) is type(expected), code
        assert ours.getCharWidth(code) == theirs.getCharWidth(code)
        assert (code in ours.charWidths) == (code in theirs.charWidths), code
    for code, glyph in theirs.charToGlyph.items():
        assert ours.charToGlyph[code] == glyph
        assert ours.charWidths.get(code) == theirs.charWidths.get(code)  # again, now remembered
    with pytest.raises(KeyError):
        ours.charToGlyph[next(c for c in OUTSIDE if c not in theirs.charToGlyph)]
    assert dict(ours.charWidths.items()) == theirs.charWidths
    assert ours.defaultWidth == theirs.defaultWidth
    # Every glyph's metrics and outline position.
    assert len(ours.hmetrics) == len(theirs.hmetrics) and len(ours.glyphPos) == len(theirs.glyphPos)
    assert list(ours.hmetrics) == theirs.hmetrics and list(ours.glyphPos) == theirs.glyphPos
    assert ours.hmetrics[-1] == theirs.hmetrics[-1] and ours.hmetrics[2:5] == theirs.hmetrics[2:5]
    with pytest.raises(IndexError):
        ours.hmetrics[len(theirs.hmetrics)]
    for name in ("name", "ascent", "descent", "capHeight", "bbox", "italicAngle", "stemV", "flags", "numGlyphs",
                 "_full_font", "unitsPerEm"):
        assert getattr(ours, name) == getattr(theirs, name), name
    assert bytes(ours._ttf_data) == theirs._ttf_data
    # The embedded subsets: the first characters and a spread of the rest (composite glyphs included).
    mapped = list(theirs.charToGlyph)
    for subset in (mapped[:255], [0, *mapped[::max(1, len(mapped) // 254)][:254], 0x10FFFF]):
        assert ours.makeSubset(subset) == theirs.makeSubset(subset)
    return ours


def test_the_documents_font_face_0_format_12() -> None:
    ours = assert_same(WQY, 0)
    assert len(ours.charToGlyph) > 30_000 and len(ours.hmetrics) > 49_000  # the whole font, not a sample


def test_the_monospaced_face_1_of_the_collection() -> None:
    assert_same(WQY, 1)


def test_a_format_4_map_of_the_documents_font(tmp_path: Path) -> None:
    """The same font with its format 12 records hidden: reportlab then takes the (3, 1) format 4 subtable."""
    patched = only_records(WQY, 0, {(3, 1), (0, 3)}, tmp_path / "bmp.ttc")
    ours = assert_same(patched, 0)
    assert type(ours.charToGlyph).__name__ == "_Cmap4"
    assert 0xFFFF in ours.charToGlyph  # the closing segment, mapped to glyph 0 as reportlab keeps it


def test_reportlabs_format_4_fonts() -> None:
    assert type(assert_same(VERA).charToGlyph).__name__ == "_Cmap4"  # glyphs through glyphIdArray
    assert type(assert_same(HB_TEST).charToGlyph).__name__ == "_Cmap4"  # integer widths at 1000 per em


@pytest.mark.skipif(not DEJAVU.is_file(), reason="DejaVu Sans is not installed (fonts-dejavu-core)")
def test_a_system_font() -> None:
    assert_same(DEJAVU)


def test_other_cmap_formats_are_parsed_by_reportlab(tmp_path: Path) -> None:
    """Only the Macintosh format 6 record left: the compact face gives reportlab's own tables."""
    patched = only_records(WQY, 0, {(1, 0)}, tmp_path / "mac.ttc")
    ours = CompactFace(patched, subfontIndex=0)
    theirs = TTFontFace(str(patched), subfontIndex=0)
    assert isinstance(ours.charToGlyph, dict) and ours.charToGlyph == theirs.charToGlyph
    assert ours.charWidths == theirs.charWidths and ours.hmetrics == theirs.hmetrics


def test_the_registered_font_is_the_compact_one() -> None:
    assert fonts.register_font() == fonts.FONT_NAME
    font = pdfmetrics.getFont(fonts.FONT_NAME)
    assert isinstance(font, CompactTTFont) and isinstance(font.face, CompactFace)
    assert fonts.string_width("登记回执 A1", 10) == pytest.approx(10 * (4 + 0.5 + 2 * 0.5), rel=0.2)


@pytest.mark.parametrize("kind", [K.REGISTRATION_RECEIPT, K.QUEUE_TICKET, K.ACCEPTANCE_NOTICE, K.OPINION])
def test_documents_are_byte_identical_to_reportlabs_own_font(kind: K, monkeypatch: pytest.MonkeyPatch) -> None:
    fonts.register_font()
    compact = render(kind, SAMPLES[kind]).pdf
    monkeypatch.setitem(pdfmetrics._fonts, fonts.FONT_NAME,
                        TTFont(fonts.FONT_NAME, str(WQY), subfontIndex=fonts.FONT_FACE))
    plain = render(kind, SAMPLES[kind]).pdf
    monkeypatch.undo()
    assert isinstance(pdfmetrics.getFont(fonts.FONT_NAME), CompactTTFont)
    assert b"/FontFile2" in compact
    assert compact == plain


def test_the_outlines_are_sliced_as_bytes_would_be() -> None:
    ours = CompactFace(VERA)
    theirs = TTFontFace(str(VERA))
    glyf, table = ours.get_table("glyf"), theirs.get_table("glyf")
    assert not isinstance(glyf, bytes) and len(glyf) == len(table)
    for part in (slice(0, 10), slice(100, 90), slice(len(table) - 4, len(table) + 10), slice(-8, None),
                 slice(None, None, 997), slice(50, 10, -3)):
        assert glyf[part] == table[part], part
    assert ours.get_table("head") == theirs.get_table("head")
