"""A label whose bold survives large sizes, for the kiosk's tile titles and big numbers.

WORKAROUND: a font with no bold face of its own (WenQuanYi Micro Hei, the CJK font shipped and
found on most Linux kiosks) is made bold by FreeType as its glyphs are cached; Qt's raster engine
draws text of 64 px and more as outlines instead, and those come without the synthetic bold. So
large text (1.5×) turned the tiles' 48 px bold titles into 72 px regular ones. Such a label draws
its own bold: the text's outline filled and stroked as thick as FreeType's bold (1/24 of the size).
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import (
    QFont,
    QFontDatabase,
    QFontInfo,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QTextLayout,
    QTextOption,
)
from PySide6.QtWidgets import QLabel

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


class BoldLabel(QLabel):
    """A plain-text, word-wrapped QLabel that stays bold however large its style sheet makes it."""

    def paintEvent(self, event: QPaintEvent) -> None:
        font = self.font()
        if not self.text() or not synthetic_bold_lost(font):
            super().paintEvent(event)
            return
        rect = self.contentsRect()
        layout = QTextLayout(self.text(), font)
        option = QTextOption(self.alignment())
        option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere if self.wordWrap()
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
        if self.alignment() & Qt.AlignmentFlag.AlignVCenter:
            top += (rect.height() - height) / 2
        elif self.alignment() & Qt.AlignmentFlag.AlignBottom:
            top += rect.height() - height
        path = QPainterPath()
        for index in range(layout.lineCount()):
            line = layout.lineAt(index)
            text = self.text()[line.textStart():line.textStart() + line.textLength()].rstrip()
            left = float(rect.left())
            if self.alignment() & Qt.AlignmentFlag.AlignHCenter:
                left += (rect.width() - line.naturalTextWidth()) / 2
            elif self.alignment() & Qt.AlignmentFlag.AlignRight:
                left += rect.width() - line.naturalTextWidth()
            path.addText(QPointF(left, top + line.y() + line.ascent()), font, text)
        colour = self.palette().color(self.foregroundRole())
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillPath(path, colour)
        painter.strokePath(path, QPen(colour, QFontInfo(font).pixelSize() / 24, Qt.PenStyle.SolidLine,
                                      Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin))
        painter.end()


def bold_label(text: str, name: str, centred: bool = False) -> BoldLabel:
    """Like :func:`ui.common.widgets.label`, for text the kiosk's style makes bold."""
    widget = BoldLabel(text)
    widget.setObjectName(name)
    widget.setWordWrap(True)
    if centred:
        widget.setAlignment(Qt.AlignmentFlag.AlignHCenter)
    return widget
