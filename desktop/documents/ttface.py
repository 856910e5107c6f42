"""A TrueType face that reportlab uses unchanged, at a fraction of its memory.

reportlab's own :class:`~reportlab.pdfbase.ttfonts.TTFontFace` reads the whole file into
``bytes`` and turns its character map and metrics into Python dicts and lists: for the
documents' CJK font (some 49,500 glyphs, 34,600 characters) that is over 20 MB kept for the
life of the process. :class:`CompactFace` gives reportlab the same attributes with the same
answers, read from the file itself:

* ``_ttf_data`` maps the file read-only (``mmap``): only the pages reportlab reads (the
  tables below and the outlines of the glyphs a document embeds) become resident, the
  ``glyf`` table being handed to the subsetter as slices rather than copied whole;
* ``charToGlyph`` is a read-only mapping over the chosen cmap subtable's segments (formats
  12 and 4, looked up by bisection); ``charWidths`` derives each width from it and the
  advances; ``hmetrics`` and ``glyphPos`` are views over arrays of the ``hmtx`` and ``loca``
  tables.

Every answer equals reportlab's (the same subtable is chosen, the same arithmetic done, the
last advance repeated for the glyphs past ``numberOfHMetrics`` exactly as reportlab keeps
it), so documents come out byte for byte the same. A font this cannot read compactly (another
cmap format, overlapping segments, truncated tables) is parsed by reportlab's own code.
``glyphToChar`` is not built: only text shaping reads it, and the compact font is not shapable.
"""

from __future__ import annotations

import mmap
import os
import sys
from array import array
from bisect import bisect_right
from collections.abc import Callable, Iterator, Mapping, Sequence
from itertools import pairwise
from struct import unpack_from
from typing import Any, Final, overload
from weakref import WeakKeyDictionary

from reportlab import rl_config
from reportlab.pdfbase import ttfonts
from reportlab.pdfbase.ttfonts import TTEncoding, TTFError, TTFont, TTFontFace

_SWAP: Final = sys.byteorder == "little"  # the font's arrays are big-endian
_U32: Final = "I" if array("I").itemsize == 4 else "L"
#: Linux and macOS; elsewhere the mapped pages stay until the system reclaims them.
_CAN_RELEASE: Final = hasattr(mmap, "MADV_DONTNEED") and hasattr(mmap.mmap, "madvise")
_UNSEEN: Final = -1.0  # no width is negative: advances are unsigned
_SEEN_AT_MOST: Final = 8192  # widths remembered, some hundred kB at most
_NBSP: Final = 0xA0
_SPACE: Final = 0x20


def _read(data: Any, typecode: str, pos: int, count: int) -> array[int] | None:
    """``count`` big-endian items at ``pos`` as a native array, or None if the file ends first."""
    items = array(typecode)
    size = items.itemsize * count
    chunk = data[pos:pos + size]
    if pos < 0 or len(chunk) != size:
        return None
    items.frombytes(chunk)
    if _SWAP:
        items.byteswap()
    return items


class _Cmap(Mapping[int, int]):
    """Character code → glyph over sorted, disjoint, non-empty segments ``[start, end]``."""

    __slots__ = ("_alias", "_alias_new", "_ends", "_len", "_starts")

    def __init__(self, starts: array[int], ends: array[int]) -> None:
        self._starts = starts
        self._ends = ends
        self._alias: tuple[int, int] | None = None
        self._alias_new = False
        self._len = sum(ends) - sum(starts) + len(starts)

    def _glyph(self, segment: int, code: int) -> int:
        raise NotImplementedError

    def _find(self, code: int) -> int:
        i = bisect_right(self._starts, code) - 1
        if i < 0 or code > self._ends[i]:
            return -1
        return i

    def set_alias(self, code: int, glyph: int) -> None:
        """``code`` maps to ``glyph`` whatever its segment says (reportlab's 0x20/0xA0 sharing)."""
        self._alias_new = self._find(code) < 0
        self._alias = (code, glyph)
        if self._alias_new:
            self._len += 1

    def __getitem__(self, code: int) -> int:
        alias = self._alias
        if alias is not None and code == alias[0]:
            return alias[1]
        i = self._find(code)
        if i < 0:
            raise KeyError(code)
        return self._glyph(i, code)

    def __contains__(self, code: object) -> bool:
        if not isinstance(code, int):
            return False
        alias = self._alias
        return (alias is not None and code == alias[0]) or self._find(code) >= 0

    def __iter__(self) -> Iterator[int]:
        """In the order reportlab's dict holds them: by segment, the added alias last."""
        for start, end in zip(self._starts, self._ends, strict=True):
            yield from range(start, end + 1)
        if self._alias is not None and self._alias_new:
            yield self._alias[0]

    def __len__(self) -> int:
        return self._len


class _Cmap12(_Cmap):
    """Format 12 (and reportlab's reading of it): ``glyph = start glyph + (code − start)``, unmasked."""

    __slots__ = ("_first",)

    def __init__(self, starts: array[int], ends: array[int], first_glyphs: array[int]) -> None:
        super().__init__(starts, ends)
        self._first = first_glyphs

    def _glyph(self, segment: int, code: int) -> int:
        return int(self._first[segment] + code - self._starts[segment])


class _Cmap4(_Cmap):
    """Format 4: ``idDelta`` alone, or through ``glyphIdArray`` read from the file as reportlab does."""

    __slots__ = ("_base", "_data", "_delta", "_limit", "_range")

    def __init__(self, starts: array[int], ends: array[int], deltas: array[int], ranges: array[int],
                 bases: array[int], data: Any, limit: int) -> None:
        super().__init__(starts, ends)
        self._delta = deltas
        self._range = ranges  # idRangeOffset: 0 if the segment does not use glyphIdArray
        self._base = bases  # where it does, the file offset code 0's entry would have
        self._data = data
        self._limit = limit

    def _glyph(self, segment: int, code: int) -> int:
        if not self._range[segment]:
            return (code + self._delta[segment]) & 0xFFFF
        offset = self._base[segment] + 2 * code
        if offset >= self._limit:
            return 0  # reportlab's workaround for broken fonts
        glyph: int = unpack_from(">H", self._data, offset)[0]
        return (glyph + self._delta[segment]) & 0xFFFF if glyph else 0


class _Widths(Mapping[int, float]):
    """Character code → advance in 1/1000 em, for the characters whose glyph has metrics."""

    __slots__ = ("_advances", "_cmap", "_count", "_last", "_scale", "_seen")

    def __init__(self, cmap: _Cmap, advances: array[int], count: int, scale: Callable[[int], float]) -> None:
        self._cmap = cmap
        self._advances = advances  # one per long metric; later glyphs repeat the last
        self._last = len(advances) - 1
        self._count = count  # glyphs with metrics (reportlab's len(hmetrics))
        self._scale = scale
        self._seen: dict[int, float | None] = {}  # the codes documents measured (None: no width)

    def __getitem__(self, code: int) -> float:
        glyph = self._cmap[code]
        if glyph >= self._count:
            raise KeyError(code)
        return self._scale(self._advances[min(glyph, self._last)])

    def get(self, code: int, default: Any = None) -> Any:
        """As a dict's: reportlab measures every character of every string this way."""
        width = self._seen.get(code, _UNSEEN)
        if width is _UNSEEN:
            try:
                width = self[code]
            except KeyError:
                width = None
            if len(self._seen) < _SEEN_AT_MOST:
                self._seen[code] = width
        return default if width is None else width

    def __contains__(self, code: object) -> bool:
        return isinstance(code, int) and code in self._cmap and self._cmap[code] < self._count

    def __iter__(self) -> Iterator[int]:
        return (code for code, glyph in self._cmap.items() if glyph < self._count)

    def __len__(self) -> int:
        return sum(1 for _ in self)


class _HMetrics(Sequence[tuple[float, int]]):
    """``(advance, left side bearing)`` per glyph, as reportlab lists them.

    Past ``numberOfHMetrics`` reportlab repeats the last advance already scaled to 1/1000 em
    (its loop variable), so those entries carry the scaled value, as there.
    """

    __slots__ = ("_len", "_lsb", "_pairs", "_repeated")

    def __init__(self, pairs: array[int], lsb: array[int], repeated: float) -> None:
        self._pairs = pairs  # advance, lsb, advance, lsb … for the long metrics
        self._lsb = lsb  # the bearings of the glyphs past them
        self._repeated = repeated
        self._len = len(pairs) // 2 + len(lsb)

    @overload
    def __getitem__(self, glyph: int) -> tuple[float, int]: ...
    @overload
    def __getitem__(self, glyph: slice) -> list[tuple[float, int]]: ...

    def __getitem__(self, glyph: int | slice) -> tuple[float, int] | list[tuple[float, int]]:
        if isinstance(glyph, slice):
            return [self[i] for i in range(*glyph.indices(self._len))]
        if glyph < 0:
            glyph += self._len
        if not 0 <= glyph < self._len:
            raise IndexError(glyph)
        long_metrics = len(self._pairs) // 2
        if glyph < long_metrics:
            return self._pairs[2 * glyph], self._pairs[2 * glyph + 1]
        return self._repeated, self._lsb[glyph - long_metrics]

    def __len__(self) -> int:
        return self._len


class _ShortLoca(Sequence[int]):
    """``loca`` in its short format: stored halved, read doubled."""

    __slots__ = ("_halves",)

    def __init__(self, halves: array[int]) -> None:
        self._halves = halves

    @overload
    def __getitem__(self, glyph: int) -> int: ...
    @overload
    def __getitem__(self, glyph: slice) -> list[int]: ...

    def __getitem__(self, glyph: int | slice) -> int | list[int]:
        if isinstance(glyph, slice):
            return [v << 1 for v in self._halves[glyph]]
        return self._halves[glyph] << 1

    def __len__(self) -> int:
        return len(self._halves)


class _TableSlices:
    """A table read slice by slice from the mapped file, never copied whole."""

    __slots__ = ("_data", "_length", "_pos")

    def __init__(self, data: mmap.mmap, pos: int, length: int) -> None:
        self._data = data
        self._pos = pos
        self._length = length

    def __getitem__(self, part: slice) -> bytes:
        start, stop, step = part.indices(self._length)
        if step != 1:
            return bytes(self._data[self._pos + i] for i in range(start, stop, step))
        return self._data[self._pos + start:self._pos + max(start, stop)]

    def __len__(self) -> int:
        return self._length


class CompactFace(TTFontFace):  # type: ignore[misc]  # reportlab is untyped
    """:class:`TTFontFace` over a memory-mapped file with compact character and glyph tables."""

    def __init__(self, filename: str | os.PathLike[str], validate: int = 0, subfontIndex: int = 0) -> None:
        super().__init__(os.fspath(filename), validate=validate, subfontIndex=subfontIndex)

    def readFile(self, f: Any) -> None:
        """Map a named file read-only; file objects (and validation, which sums bytes) as reportlab."""
        if (hasattr(self, "_ttf_data") or hasattr(f, "read") or self.validate or not os.path.isfile(f)
                or not os.path.getsize(f)):
            super().readFile(f)
            return
        self.filename = f
        with open(f, "rb") as handle:  # the map keeps its own handle on the file for the life of the face
            self._ttf_data = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        self._pos = 0

    def get_table(self, tag: str) -> Any:
        """As reportlab, but ``glyf`` (the outlines, most of the file) as slices: a subset reads only its glyphs."""
        if tag == "glyf" and isinstance(self._ttf_data, mmap.mmap):
            return _TableSlices(self._ttf_data, *self.get_table_pos(tag))
        return super().get_table(tag)

    def makeSubset(self, subset: Any) -> bytes:
        try:
            return bytes(super().makeSubset(subset))
        finally:
            self._release_pages()

    def _release_pages(self) -> None:
        """Let the pages read so far leave this process's resident set (they stay in the page cache).

        Reading a glyph maps the pages around it too (fault-around): without this, every document
        would leave some 3 MB of the file resident, and different names would in time map all of it.
        """
        if isinstance(self._ttf_data, mmap.mmap) and _CAN_RELEASE:
            self._ttf_data.madvise(mmap.MADV_DONTNEED)

    def extractInfo(self, charInfo: int = 1) -> None:
        super().extractInfo(0)
        if not charInfo:
            return
        head = self.get_table_pos("head")[0]
        if self.get_ushort(head + 52) != 0:
            raise TTFError(f"Unknown glyph data format ({self.get_ushort(head + 52)})")
        if not self._compact_tables(head):
            super().extractInfo(charInfo)  # reportlab's own parse, and its errors
        self._release_pages()

    def _compact_tables(self, head: int) -> bool:
        cmap = self._read_cmap()
        if cmap is None:
            return False
        data = self._ttf_data
        long_metrics = self.get_ushort(self.get_table_pos("hhea")[0] + 34)
        glyphs: int = self.numGlyphs
        hmtx = self.get_table_pos("hmtx")[0]
        pairs = _read(data, "H", hmtx, 2 * long_metrics)
        bearings = _read(data, "H", hmtx + 4 * long_metrics, max(0, glyphs - long_metrics))
        if "loca" not in self.table or pairs is None or bearings is None:
            return False
        loca = self.get_table_pos("loca")[0]
        loca_format = self.get_ushort(head + 50)
        positions = _read(data, "H" if loca_format == 0 else _U32, loca, glyphs + 1)
        if positions is None or loca_format not in (0, 1):
            return False
        scale: Callable[[int], float] = self._pdfScale
        hmetrics = _HMetrics(pairs, bearings, scale(pairs[-2]))
        if _SPACE in cmap:
            alias: tuple[int, int] | None = (_NBSP, cmap[_SPACE])
        elif _NBSP in cmap:
            alias = (_SPACE, cmap[_NBSP])
        else:
            alias = None
        if alias is not None:
            if alias[1] >= len(hmetrics):
                return False  # reportlab fails on it: let it say so
            cmap.set_alias(*alias)
        self.charToGlyph = cmap
        self.charWidths = _Widths(cmap, pairs[0::2], len(hmetrics), scale)
        self.defaultWidth = scale(pairs[0])
        self.hmetrics = hmetrics
        self.glyphPos = positions if loca_format == 1 else _ShortLoca(positions)
        return True

    def _read_cmap(self) -> _Cmap | None:
        """The subtable reportlab would choose, if it is of format 12 or 4 with ordered segments."""
        cmap_offset = self.seek_table("cmap")
        version = self.read_ushort()
        count = self.read_ushort()
        if count == 0 and version != 0:
            count = version
        chosen = None
        enc = 0
        for _ in range(count):  # reportlab's choice: the last record that matches wins
            platform = self.read_ushort()
            encoding = self.read_ushort()
            offset = self.read_ulong()
            if platform == 3 or (platform == 1 and encoding == 1) or (platform == 0 and encoding != 5):
                enc, chosen = 1, offset
            elif platform == 1 and encoding == 0 and enc != 1:
                enc, chosen = 2, offset
        if chosen is None:
            return None
        at = cmap_offset + chosen
        fmt = self.get_ushort(at)
        if fmt == 12:
            return self._read_cmap12(at)
        if fmt == 4:
            return self._read_cmap4(at)
        return None

    def _read_cmap12(self, at: int) -> _Cmap | None:
        groups = _read(self._ttf_data, _U32, at + 16, self.get_ulong(at + 12) * 3)
        if groups is None:
            return None
        kept = _ordered(groups[0::3], groups[1::3], groups[2::3])
        return None if kept is None else _Cmap12(*kept)

    def _read_cmap4(self, at: int) -> _Cmap | None:
        data = self._ttf_data
        segments = self.get_ushort(at + 6) // 2
        ends = _read(data, "H", at + 14, segments)
        starts = _read(data, "H", at + 16 + 2 * segments, segments)
        deltas = _read(data, "h", at + 16 + 4 * segments, segments)
        range_at = at + 16 + 6 * segments
        ranges = _read(data, "H", range_at, segments)
        if ends is None or starts is None or deltas is None or ranges is None:
            return None
        # Where code 0's glyphIdArray entry would be for each segment (reportlab's offset arithmetic).
        bases = array("q", (range_at + 2 * n + r - 2 * s for n, (s, r) in enumerate(zip(starts, ranges, strict=True))))
        kept = _ordered(starts, ends, deltas, ranges, bases)
        if kept is None:
            return None
        starts, ends, deltas, ranges, bases = kept
        return _Cmap4(starts, ends, deltas, ranges, bases, data, at + self.get_ushort(at + 2))


def _ordered(starts: array[int], ends: array[int], *columns: array[int]) -> list[array[int]] | None:
    """The non-empty segments' columns, or None if they overlap or are out of order."""
    keep = [i for i in range(len(starts)) if starts[i] <= ends[i]]
    if any(ends[a] >= starts[b] for a, b in pairwise(keep)):
        return None
    if len(keep) == len(starts):
        return [starts, ends, *columns]
    return [array(c.typecode, (c[i] for i in keep)) for c in (starts, ends, *columns)]


class CompactTTFont(TTFont):  # type: ignore[misc]  # reportlab is untyped
    """:class:`TTFont` on a :class:`CompactFace`; not shapable (shaping adds to the face's tables)."""

    def __init__(self, name: str, filename: str | os.PathLike[str], validate: int = 0,
                 subfontIndex: int = 0, asciiReadable: bool | None = None) -> None:
        # TTFont.__init__ but for the face it builds.
        self.fontName = name
        self.face = CompactFace(filename, validate=validate, subfontIndex=subfontIndex)
        self.encoding = TTEncoding()
        self.state: WeakKeyDictionary[Any, Any] = WeakKeyDictionary()
        self._asciiReadable = rl_config.ttfAsciiReadable if asciiReadable is None else asciiReadable
        self.shapable = False


_to_unicode_cmap = ttfonts.makeToUnicodeCMap


def _utf16_to_unicode_cmap(fontname: str, subset: Sequence[int]) -> str:
    """reportlab's ToUnicode map of a subset, with a character beyond U+FFFF written as the PDF reference
    asks (its UTF-16 surrogate pair): reportlab writes its code point in five hex digits, which readers
    take as a BMP character — 𬭎 (U+2CB4E) was copied and searched as Ⲵ (U+2CB4). Every subset of
    characters in the BMP alone comes out as before, byte for byte."""
    text: str = _to_unicode_cmap(fontname, subset)
    for code in subset:
        if code > 0xFFFF:
            pair = chr(code).encode("utf-16-be").hex().upper()
            text = text.replace(f"> <{code:04X}>\n", f"> <{pair}>\n", 1)
    return text


ttfonts.makeToUnicodeCMap = _utf16_to_unicode_cmap
