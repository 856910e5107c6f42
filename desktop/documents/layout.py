"""Drawing: the two media a hall prints on, and the pieces a template becomes.

* **80 mm roll** (thermal, 203 dpi): 72 mm printable, the page as long as its
  content. The QR code's modules are whole printer dots, at least 25 mm wide.
* **A4** notices after GB/T 9704 (党政机关公文格式): type area 156 × 225 mm (top 37 mm,
  inside 28 mm), 28 characters a line, 22 lines a page; the issuing organisation's
  name at the top (红头, red by default), the document number and a separator line
  under it, the title centred, body paragraphs indented two characters and justified,
  the signature with the date in Chinese numerals and the seal's position, page
  numbers “— 1 —” when there is more than one page.

A template (``templates.py``) is turned into a flat list of :class:`Item` s — a line
of text, a table row, the QR code, the signature — each knowing its height and how
to draw itself; the roll stacks them on one page, A4 breaks them into pages.
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

import qrcode
from qrcode.constants import ERROR_CORRECT_M
from reportlab import rl_config
from reportlab.lib.colors import Color
from reportlab.pdfgen.canvas import Canvas
from reportlab.pdfgen.textobject import PDFTextObject

from desktop.documents.fonts import FONT_NAME, runs, string_width
from desktop.documents.text import Line, break_lines

MM = 72 / 25.4
#: One dot of a 203 dpi thermal head, in points.
DOT = 72 / 203
BLACK = Color(0, 0, 0)
RED = Color(0.80, 0.04, 0.09)  # close to the C0 M100 Y100 red of printed 红头
GREY = Color(0.45, 0.45, 0.45)
WATERMARK = Color(0.86, 0.86, 0.86)

#: A justified line this many characters short of its width is set ragged instead (its gaps would show).
LOOSE_CHARS = 4.0

#: The smallest side of a receipt's QR code (without its quiet zone).
QR_MIN_MM = 26.0


@dataclass(frozen=True)
class Geometry:
    page_width: float
    page_height: float  # 0: follows the content (roll)
    left: float
    right: float
    top: float
    bottom: float

    @property
    def width(self) -> float:
        return self.page_width - self.left - self.right


ROLL = Geometry(80 * MM, 0, 4 * MM, 4 * MM, 3 * MM, 8 * MM)
A4 = Geometry(210 * MM, 297 * MM, 28 * MM, 26 * MM, 37 * MM, 35 * MM)


# -- items -------------------------------------------------------------------------------------

@dataclass
class Item:
    """Something with a height that draws itself below ``top`` (a y coordinate, points from the bottom)."""

    height: float
    keep_with_next: bool = field(default=False, kw_only=True)

    def draw(self, c: Canvas, x: float, top: float, width: float) -> None:
        raise NotImplementedError


@dataclass
class Gap(Item):
    def draw(self, c: Canvas, x: float, top: float, width: float) -> None:
        return None


@dataclass
class TextLine(Item):
    text: str = ""
    size: float = 10.0
    align: str = "left"  # left | center | right | justify | spread (fill the width, however short)
    indent: float = 0.0
    bold: bool = False
    color: Color = BLACK
    tracking: float = 0.0  # extra space between characters (titles)
    natural: float = 0.0  # width of the text without tracking

    def draw(self, c: Canvas, x: float, top: float, width: float) -> None:
        room = width - self.indent
        n = len(self.text)
        spacing = self.tracking
        shown = self.natural + spacing * max(n - 1, 0)
        if self.align in ("justify", "spread") and n > 1 and shown < room:
            extra = (room - self.natural) / (n - 1)
            # A body line is never stretched into a scattered one; "spread" (labels) always fills.
            if self.align == "spread" or extra <= self.size * 0.6:
                spacing, shown = extra, room
        if self.align == "center":
            left = x + self.indent + (room - shown) / 2
        elif self.align == "right":
            left = x + width - shown
        else:
            left = x + self.indent
        baseline = top - self.height + (self.height - self.size) / 2 + self.size * 0.16
        draw_text(c, left, baseline, self.text, self.size, color=self.color, bold=self.bold, spacing=spacing)


@dataclass
class Rule(Item):
    thickness: float = 0.6
    color: Color = BLACK
    dashed: bool = False

    def draw(self, c: Canvas, x: float, top: float, width: float) -> None:
        y = top - self.height / 2
        c.saveState()
        c.setStrokeColor(self.color)
        c.setLineWidth(self.thickness)
        if self.dashed:
            c.setDash(2, 2)
        c.line(x, y, x + width, y)
        c.restoreState()


@dataclass
class QRItem(Item):
    matrix: Sequence[Sequence[bool]] = ()
    module: float = 6 * DOT

    def draw(self, c: Canvas, x: float, top: float, width: float) -> None:
        n = len(self.matrix)
        side = n * self.module
        # Whole dots from the page's left edge and top, so a 203 dpi head prints every module alike.
        left = round((x + (width - side) / 2) / DOT) * DOT
        c.saveState()
        c.translate(left, top)
        c.scale(self.module, -self.module)  # module units, rows downwards: small integers in the stream
        c.setFillColor(BLACK)
        path = c.beginPath()
        for r, row in enumerate(self.matrix):
            col = 0
            while col < n:
                if row[col]:
                    start = col
                    while col < n and row[col]:
                        col += 1
                    path.rect(start, r, col - start, 1)
                else:
                    col += 1
        c.drawPath(path, stroke=0, fill=1)
        c.restoreState()


@dataclass(frozen=True)
class Cell:
    """A label and its value in a form's table row; widths in points."""

    label: tuple[str, ...]
    lines: tuple[Line, ...]
    label_width: float
    value_width: float


@dataclass
class RowItem(Item):
    """One row of a form's table: one or two label | value pairs, both centred vertically.

    A long value is cut into several items (``continued``/``continues``) so that pages can
    break inside it; on one page they read as one cell, and a part that starts a page is
    labelled “（续）”. ``page_top``/``page_bottom`` are set by :func:`paginate`.
    """

    cells: Sequence[Cell] = ()
    size: float = 12.0
    leading: float = 20.0
    pad: float = 4.0
    continued: bool = False  # a part of the previous row's value
    continues: bool = False  # the value goes on in the next item
    page_top: bool = False
    page_bottom: bool = False

    def draw(self, c: Canvas, x: float, top: float, width: float) -> None:
        bottom = top - self.height
        c.saveState()
        c.setLineWidth(0.8)
        c.setStrokeColor(BLACK)
        if not self.continued or self.page_top:
            c.line(x, top, x + width, top)
        if not self.continues or self.page_bottom:
            c.line(x, bottom, x + width, bottom)
        left = x
        c.line(x, top, x, bottom)
        for cell in self.cells:
            c.line(left + cell.label_width, top, left + cell.label_width, bottom)
            left += cell.label_width + cell.value_width
            c.line(left, top, left, bottom)
        c.restoreState()
        left = x
        for cell in self.cells:
            label = cell.label if not self.continued else ("（续）",) if self.page_top else ()
            self._lines(c, [(t, string_width(t, self.size), "center") for t in label], left,
                        cell.label_width, top, bold=True)
            lines = [(ln.text, ln.width, "left" if ln.last else "justify") for ln in cell.lines]
            if self.continued or self.continues:  # parts of one value: lines flow from the top
                self._flow(c, lines, left + cell.label_width + self.pad * 1.5, cell.value_width - self.pad * 3,
                           top - (0 if self.continued else self.pad))
            else:
                self._lines(c, lines, left + cell.label_width + self.pad * 1.5, cell.value_width - self.pad * 3,
                            top)
            left += cell.label_width + cell.value_width

    def _flow(self, c: Canvas, lines: Sequence[tuple[str, float, str]], x: float, width: float,
              top: float) -> None:
        for i, (text, natural, align) in enumerate(lines):
            TextLine(self.leading, text=text, size=self.size, natural=natural, align=align).draw(
                c, x, top - i * self.leading, width)

    def _lines(self, c: Canvas, lines: Sequence[tuple[str, float, str]], x: float, width: float, top: float,
               *, bold: bool = False) -> None:
        first_top = top - (self.height - len(lines) * self.leading) / 2
        for i, (text, natural, align) in enumerate(lines):
            TextLine(self.leading, text=text, size=self.size, natural=natural, align=align,
                     bold=bold).draw(c, x, first_top - i * self.leading, width)


@dataclass
class SignatureItem(Item):
    """发文机关署名 centred over the date, the date four characters from the right, the seal over both.

    The item starts with ``space_lines`` blank lines under the body; the seal's top comes
    within a line of the body and the name and date sit a little below its centre (GB/T 9704).
    """

    organisation: str = ""
    date_text: str = ""
    seal_text: str = ""
    size: float = 15.75
    leading: float = 29.0
    seal_diameter: float = 40 * MM
    color: Color = GREY
    space_lines: float = 2.0

    @staticmethod
    def height_for(leading: float, space_lines: float = 2.0, seal_diameter: float = 40 * MM) -> float:
        """The space, the name and the date, and the rest of the seal below them."""
        return max((space_lines + 2.75) * leading, (space_lines + 0.8) * leading + seal_diameter / 2 + 4)

    def draw(self, c: Canvas, x: float, top: float, width: float) -> None:
        lead = self.leading
        org_top = top - self.space_lines * lead
        date_w = string_width(self.date_text, self.size)
        date_center = x + width - 4 * self.size - date_w / 2
        for text, line_top in ((self.organisation, org_top), (self.date_text, org_top - lead)):
            w = string_width(text, self.size)
            baseline = line_top - lead + (lead - self.size) / 2 + self.size * 0.16
            draw_text(c, date_center - w / 2, baseline, text, self.size)
        radius = self.seal_diameter / 2
        cy = org_top - 0.8 * lead
        c.saveState()
        c.setStrokeColor(self.color)
        c.setLineWidth(0.7)
        c.setDash(3, 3)
        c.circle(date_center, cy, radius, stroke=1, fill=0)
        c.restoreState()
        if self.seal_text:
            label_size = 11.0
            w = string_width(self.seal_text, label_size)
            draw_text(c, date_center - w / 2, cy + radius * 0.5, self.seal_text, label_size, color=self.color)


@dataclass
class FieldLine(Item):
    """A line of a receipt's “label：value”; labels are spread over one width so values align.

    Continuation lines of a long value leave the label's room empty.
    """

    label: str = ""
    text: str = ""
    size: float = 10.0
    label_width: float = 0.0
    natural: float = 0.0
    last: bool = True

    def draw(self, c: Canvas, x: float, top: float, width: float) -> None:
        if self.label:
            colon = string_width("：", self.size)
            TextLine(self.height, text=self.label, size=self.size, natural=string_width(self.label, self.size),
                     align="spread", bold=True).draw(c, x, top, self.label_width - colon)
            TextLine(self.height, text="：", size=self.size, natural=colon, bold=True).draw(
                c, x + self.label_width - colon, top, colon)
        TextLine(self.height, text=self.text, size=self.size, natural=self.natural,
                 align="left" if self.last else "justify").draw(c, x + self.label_width, top,
                                                                width - self.label_width)


@dataclass
class SignHereItem(Item):
    """Lines for the petitioner to sign and date by hand."""

    text: str = ""
    size: float = 14.0

    def draw(self, c: Canvas, x: float, top: float, width: float) -> None:
        baseline = top - self.height / 3
        draw_text(c, x + 2 * self.size, baseline, self.text, self.size)
        baseline -= self.height / 3
        label = "信访人（签名）："
        lw = string_width(label, self.size)
        left = x + width / 2 - 2 * self.size
        draw_text(c, left, baseline, label, self.size)
        c.saveState()
        c.setLineWidth(0.6)
        c.line(left + lw, baseline - 3, x + width, baseline - 3)
        c.restoreState()
        baseline -= self.height / 3 - 4
        date_label = "年　　月　　日"
        draw_text(c, x + width - string_width(date_label, self.size), baseline, date_label, self.size)


@dataclass
class StampItem(Item):
    """A receipt's copy label: a double-ruled box across the roll with the label large."""

    text: str = ""
    size: float = 13.0

    def draw(self, c: Canvas, x: float, top: float, width: float) -> None:
        c.saveState()
        c.setLineWidth(1.4)
        c.rect(x, top - self.height + 2, width, self.height - 4, stroke=1, fill=0)
        c.setLineWidth(0.6)
        c.rect(x + 2.5, top - self.height + 4.5, width - 5, self.height - 9, stroke=1, fill=0)
        c.restoreState()
        size = min(self.size, (width - 12) / max(string_width(self.text, 1), 1))  # a long label shrinks
        w = string_width(self.text, size)
        baseline = top - self.height / 2 - size * 0.35
        draw_text(c, x + (width - w) / 2, baseline, self.text, size, bold=True)


# -- drawing helpers ---------------------------------------------------------------------------

def draw_text(c: Canvas, x: float, baseline: float, text: str, size: float, *, color: Color = BLACK,
              bold: bool = False, spacing: float = 0.0) -> None:
    """One run of text; ``bold`` strokes the outline too (the font has no bold face).

    Colour, character spacing and the rendering mode are part of the PDF graphics state
    and outlive the text object, so a run that sets any of them is wrapped in save/restore
    and a plain black run can rely on the page's default state.
    """
    t = c.beginText(x, baseline)
    t.setFont(FONT_NAME, size)
    pieces = runs(text)  # a rare character the main font lacks is set in the fallback font
    plain = color is BLACK and not bold and not spacing
    if plain:
        _text_out(t, pieces, size)
        c.drawText(t)
        return
    t.setFillColor(color)
    if spacing:
        t.setCharSpace(spacing)
    if bold:
        t.setStrokeColor(color)
        t.setTextRenderMode(2)
    _text_out(t, pieces, size)
    c.saveState()
    if bold:
        c.setLineWidth(size * 0.035)
    c.drawText(t)
    c.restoreState()


def _text_out(t: PDFTextObject, pieces: list[tuple[str, str]], size: float) -> None:
    for font, piece in pieces:
        if len(pieces) > 1:
            t.setFont(font, size)
        t.textOut(piece)


def wrap(text: str, size: float, width: float, first_indent: float = 0.0) -> list[Line]:
    """Lines of one paragraph at ``size`` in ``width`` points, the first shortened by ``first_indent``."""
    cache: dict[str, float] = {}

    def measure(s: str) -> float:
        w = cache.get(s)
        if w is None:
            w = cache[s] = string_width(s, size)
        return w

    return break_lines(text, measure, width, width - first_indent)


def paragraph(text: str, size: float, leading: float, width: float, *, indent_chars: float = 0.0,
              align: str = "justify", bold: bool = False, color: Color = BLACK) -> list[Item]:
    """A paragraph as one item per line; ``align`` ``justify`` leaves the last line ragged."""
    indent = indent_chars * size
    items: list[Item] = []
    for i, line in enumerate(wrap(text, size, width, indent)):
        room = width - (indent if i == 0 else 0.0)
        # a line ended early to keep a case number or a date whole stays ragged rather than spaced out letter by letter
        loose = line.width < room - LOOSE_CHARS * size
        line_align = "left" if align == "justify" and (line.last or loose) else align
        items.append(TextLine(leading, text=line.text, size=size, natural=line.width, align=line_align,
                              indent=indent if i == 0 and align != "center" else 0.0, bold=bold, color=color))
    return items


def fitted_line(text: str, size: float, width: float, *, min_size: float = 8.0, bold: bool = True,
                leading_factor: float = 1.3) -> TextLine:
    """One centred line, as large as ``size`` but shrunk to fit ``width``."""
    natural = string_width(text, size)
    while natural > width and size > min_size:
        size = max(min_size, size * width / natural * 0.98)
        natural = string_width(text, size)
    return TextLine(size * leading_factor, text=text, size=size, natural=natural, align="center", bold=bold)


def qr_matrix(payload: str) -> list[list[bool]]:
    """The modules of ``payload`` at error correction M, without the quiet zone."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0)
    code.add_data(payload)
    code.make(fit=True)
    return [[bool(v) for v in row] for row in code.get_matrix()]


def qr_item(payload: str, min_side: float = QR_MIN_MM * MM) -> QRItem:
    """The code with whole-dot modules at least ``min_side`` wide, and a 4-module quiet zone above."""
    matrix = qr_matrix(payload)
    dots = math.ceil(min_side / (len(matrix) * DOT))
    module = dots * DOT
    return QRItem(len(matrix) * module, matrix=matrix, module=module)


# -- pages -------------------------------------------------------------------------------------

def new_canvas(buffer: io.BytesIO, width: float, height: float, title: str) -> Canvas:
    c = Canvas(buffer, pagesize=(width, height), invariant=1, pageCompression=1,
               initialFontName=FONT_NAME, initialFontSize=10)
    c.setTitle(title)
    c.setAuthor("")
    c.setCreator("信访接待大厅系统")
    c.setProducer("信访接待大厅系统")
    return c


@contextmanager
def _binary_streams() -> Iterator[None]:
    """Compressed streams without the ASCII85 layer: smaller files, and ~15 % less time.

    reportlab reads the switch when it writes the file; the caller holds the render lock.
    """
    previous = rl_config.useA85
    rl_config.useA85 = 0
    try:
        yield
    finally:
        rl_config.useA85 = previous


def paint_roll(items: Sequence[Item], title: str) -> tuple[bytes, float]:
    """One page as long as the content, in whole dots; returns the PDF and its height in points."""
    g = ROLL
    content = sum(item.height for item in items)
    height = math.ceil((g.top + content + g.bottom) / DOT) * DOT
    buffer = io.BytesIO()
    c = new_canvas(buffer, g.page_width, height, title)
    top = height - g.top
    for item in items:
        item.draw(c, g.left, top, g.width)
        top -= item.height
    c.showPage()
    with _binary_streams():
        c.save()
    return buffer.getvalue(), height


def paginate(items: Sequence[Item], room: float) -> list[list[Item]]:
    """Items into pages of at most ``room`` points; a chain of ``keep_with_next`` items moves together."""
    pages: list[list[Item]] = [[]]
    used = 0.0
    for item in items:
        page = pages[-1]
        if used + item.height > room + 0.01 and page:
            carried: list[Item] = []
            while page and page[-1].keep_with_next and len(page) > 1:
                carried.insert(0, page.pop())
            pages.append(carried)
            used = sum(i.height for i in carried)
            page = pages[-1]
        if not page and isinstance(item, Gap):
            continue  # no blank space at the top of a page
        page.append(item)
        used += item.height
    pages = [p for p in pages if p]
    for page in pages:
        for edge, flag in ((page[0], "page_top"), (page[-1], "page_bottom")):
            if isinstance(edge, RowItem):
                setattr(edge, flag, True)
    return pages


def paint_a4(items: Sequence[Item], title: str, copy_label: str = "") -> tuple[bytes, int]:
    """A4 pages with page numbers when there are several; the copy label stamped on each."""
    g = A4
    pages = paginate(items, g.page_height - g.top - g.bottom)
    buffer = io.BytesIO()
    c = new_canvas(buffer, g.page_width, g.page_height, title)
    for number, page in enumerate(pages, start=1):
        if copy_label:
            _copy_marks(c, copy_label)
        top = g.page_height - g.top
        for item in page:
            item.draw(c, g.left, top, g.width)
            top -= item.height
        if len(pages) > 1:
            folio = f"— {number} —"
            w = string_width(folio, 14)
            draw_text(c, (g.page_width - w) / 2, g.bottom - 7 * MM - 14, folio, 14)
        c.showPage()
    with _binary_streams():
        c.save()
    return buffer.getvalue(), len(pages)


def _copy_marks(c: Canvas, label: str) -> None:
    """A reprint's label: light diagonal text across the page, and a red box at the top right."""
    g = A4
    c.saveState()
    c.translate(g.page_width / 2, g.page_height / 2)
    c.rotate(35)
    size = min(64.0, 0.8 * g.page_width / max(len(label), 1))
    w = string_width(label, size)
    draw_text(c, -w / 2, -size / 2, label, size, color=WATERMARK)
    c.restoreState()
    size = 14.0
    w = string_width(label, size)
    box_w, box_h = w + 16, size + 12
    x = g.page_width - g.right - box_w
    y = g.page_height - 14 * MM - box_h
    c.saveState()
    c.setStrokeColor(RED)
    c.setLineWidth(1.5)
    c.rect(x, y, box_w, box_h, stroke=1, fill=0)
    c.restoreState()
    draw_text(c, x + 8, y + 6 + size * 0.16, label, size, color=RED, bold=True)
