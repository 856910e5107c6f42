"""A label whose bold survives large sizes, for the kiosk's tile titles and big numbers.

WORKAROUND: a font with no bold face of its own (WenQuanYi Micro Hei, the CJK font shipped and
found on most Linux kiosks) is made bold by FreeType as its glyphs are cached; Qt's raster engine
draws text of 64 px and more as outlines instead, and those come without the synthetic bold. So
large text (1.5×) turned the tiles' 48 px bold titles into 72 px regular ones. Such a label is drawn
with its own bold: the text's outline filled and stroked as thick as FreeType's bold (1/24 of the size).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPointF, Qt
from PySide6.QtGui import QFont, QFontDatabase, QFontInfo, QPainter, QPainterPath, QPen, QTextLayout, QTextOption
from PySide6.QtWidgets import QLabel

from ui.common.widgets import label

#: Text this large (pixels) is drawn as outlines by Qt's raster engine (``QT_MAX_CACHED_GLYPH_SIZE``).
OUTLINE_PX = 64


def synthetic_bold_lost(font: QFont) -> bool:
    """Whether ``font`` asks for bold that the face lacks, at a size Qt draws as outlines (no bold then)."""
    if font.weight() < QFont.Weight.Bold:
        return False
    info = QFontInfo(font)
    if info.pixelSize() < OUTLINE_PX:
        return False
    return QFontDatabase.weight(info.family(), info.styleName()) < QFont.Weight.DemiBold


class _BoldPainter(QObject):
    """Paints its label (its parent) bold where Qt would not: see the module's docstring."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.Paint or not isinstance(watched, QLabel) or not watched.text():
            return False
        if not synthetic_bold_lost(watched.font()):
            return False
        _paint_bold(watched)
        return True


def _paint_bold(label: QLabel) -> None:
    font = label.font()
    rect = label.contentsRect()
    alignment = label.alignment()
    shown = QLabel.text(label)  # as laid out: the shared label's joiners kept (its text() gives them back without)
    layout = QTextLayout(shown, font)
    option = QTextOption(alignment)
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere if label.wordWrap()
                       else QTextOption.WrapMode.NoWrap)
    layout.setTextOption(option)
    layout.beginLayout()
    height = 0.0
    while True:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(rect.width())
        line.setPosition(QPointF(0, height))
        height += line.height()
    layout.endLayout()
    top = float(rect.top())
    if alignment & Qt.AlignmentFlag.AlignVCenter:
        top += (rect.height() - height) / 2
    elif alignment & Qt.AlignmentFlag.AlignBottom:
        top += rect.height() - height
    path = QPainterPath()
    for index in range(layout.lineCount()):
        line = layout.lineAt(index)
        text = shown[line.textStart():line.textStart() + line.textLength()].rstrip()
        left = float(rect.left())
        if alignment & Qt.AlignmentFlag.AlignHCenter:
            left += (rect.width() - line.naturalTextWidth()) / 2
        elif alignment & Qt.AlignmentFlag.AlignRight:
            left += rect.width() - line.naturalTextWidth()
        path.addText(QPointF(left, top + line.y() + line.ascent()), font, text)
    colour = label.palette().color(label.foregroundRole())
    painter = QPainter(label)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.fillPath(path, colour)
    painter.strokePath(path, QPen(colour, QFontInfo(font).pixelSize() / 24, Qt.PenStyle.SolidLine,
                                  Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin))
    painter.end()


def embolden(label: QLabel) -> QLabel:
    """Keep ``label`` (plain text, the kiosk's style making it bold) bold however large it gets.

    An event filter rather than a subclass: a label built for the first frame (the home tiles') is given
    it afterwards, since the first call of a Python override makes PySide build its enumerations (15 ms)."""
    label.installEventFilter(_BoldPainter(label))
    return label


def bold_label(text: str, name: str, centred: bool = False) -> QLabel:
    """Like :func:`ui.common.widgets.label`, for text the kiosk's style makes bold."""
    return embolden(label(text, name, centred))
