"""Pieces of the pages that end a kiosk flow (取号's ticket, 自助登记's case number, 人民建议's number), read at
arm's length by a citizen standing before the screen.

:class:`NumberLabel`: the number to note (A002, XF-20261206-K01-00022-F, a query code), always on one line, as
large as the room it is given allows. The kiosk's style gives its largest size (``font-size``, 1.5× with 大字);
narrower or lower than that needs, the number is drawn smaller until it fits, never wrapped at a hyphen nor cut.
The layout may give it less height than it would like (down to :data:`FLOOR` of its largest size) before the
screen has to scroll.

:class:`SideBySide`: two parts beside each other on a wide screen, one above the other on a narrow one.

:func:`not_printed`: what the page says first when its paper (号票, 预约回执) did not print.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPointF, QRect, QSize, Qt
from PySide6.QtGui import QFont, QFontInfo, QFontMetricsF, QPainter, QPainterPath, QPaintEvent, QPen, QResizeEvent
from PySide6.QtWidgets import QBoxLayout, QLabel, QLayout, QSizePolicy, QSpacerItem, QVBoxLayout, QWidget

from ui.common.widgets import Phrases
from ui.kiosk.bold import synthetic_bold_lost

#: The least share of its largest size the layout may squeeze the number to in height (width never has a floor:
#: the number shrinks to whatever width it has rather than be cut).
FLOOR = 0.6
#: The stretch of a number (and of a part of the page holding one) against a page's stretches of 1 above and
#: under: the height the page has beyond what it needs goes to the number first, up to its largest size.
GROWS = 4
#: Room above and below the digits, as a share of the size (the digits' own box is tight).
PAD = 0.12
#: Seconds a flow's last page stays once its paper printed, before the kiosk goes home by itself: the paper says it
#: all, and the next citizen in line should not read a query code off the screen. Not printed, the page waits
#: for 完成 (or the idle countdown): the citizen is noting the numbers.
SHOW_SECONDS = 30


class NumberLabel(QLabel):
    """One line of large, bold text that shrinks to fit its width and height, never wraps (see the module)."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setWordWrap(False)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        policy = QSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Expanding)
        policy.setVerticalStretch(GROWS)  # the page's room beyond what all need goes to the number first
        self.setSizePolicy(policy)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self._wanted = 0

    # -- sizes

    def largest(self) -> int:
        """The size the kiosk's style gives it (with 大字 too), in pixels."""
        self.ensurePolished()
        return max(1, QFontInfo(self.font()).pixelSize())

    def _font(self, pixels: float) -> QFont:
        font = QFont(self.font())
        font.setPixelSize(max(1, int(pixels)))
        return font

    def _width_at(self, pixels: int) -> float:
        """The text's drawn width at ``pixels``, the bold's stroke and a pixel either side included."""
        return QFontMetricsF(self._font(pixels)).tightBoundingRect(self.text()).width() + pixels / 24 + 2

    def _height_at(self, pixels: int) -> int:
        """The digits' own height at ``pixels`` and the room kept above and below them."""
        box = QFontMetricsF(self._font(pixels)).tightBoundingRect(self.text() or "0")
        return round(box.height() + 2 * PAD * pixels)

    def fitted(self, width: int | None = None, height: int | None = None) -> int:
        """The size in pixels the number is drawn at in ``width`` × ``height`` (its own by default)."""
        width = self.contentsRect().width() if width is None else width
        height = self.contentsRect().height() if height is None else height
        size = self.largest()
        if not self.text() or width <= 0 or height <= 0:  # nothing to fit yet (not laid out)
            return size
        # the text's width and height grow with its size: start from the proportion, then step down to what fits
        wide = self._width_at(size)
        if wide > width:
            size = max(1, int(size * width / wide))
        if self._height_at(size) > height:
            size = max(1, int(size * height / self._height_at(size)))
        while size > 1 and (self._width_at(size) > width or self._height_at(size) > height):
            size -= 1
        return size

    def _height(self, share: float) -> int:
        """Its height at ``share`` of its largest size, or smaller where its width holds no more."""
        margins = self.contentsMargins()
        width = self.contentsRect().width() if self.width() > 1 else 1 << 20
        size = min(self.fitted(width, 1 << 20), round(self.largest() * share))
        return self._height_at(size) + margins.top() + margins.bottom()

    def sizeHint(self) -> QSize:
        """Any width (it shrinks to fit); the height of its least size: a word-wrapped label beside it makes the
        page's scroll area read the page's wanted height as its least, and the screen would scroll where the
        number could have been smaller. The room the page has beyond goes to it (its stretch) up to its largest."""
        return QSize(1, self._height(FLOOR))

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def _limit(self) -> None:
        """No taller than its largest size in its width (more room goes to the page's stretches)."""
        most = self._height(1.0)
        if most != self.maximumHeight():
            self.setMaximumHeight(most)
        wanted = self._height(FLOOR)
        if wanted != self._wanted:
            self._wanted = wanted
            self.updateGeometry()

    def setText(self, text: str) -> None:
        super().setText(text)
        self._limit()
        self.updateGeometry()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._limit()  # its heights follow its width: told to the layout only when they change (no loop)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.StyleChange, QEvent.Type.FontChange):  # 大字 on or off
            self._limit()

    # -- drawing

    def paintEvent(self, _event: QPaintEvent) -> None:
        text = self.text()
        if not text:
            return
        rect = self.contentsRect()
        size = self.fitted()
        font = self._font(size)
        metrics = QFontMetricsF(font)
        box = metrics.tightBoundingRect(text)
        left = rect.left() + (rect.width() - box.width()) / 2 - box.left()  # the ink centred, not the advance
        top = rect.top() + (rect.height() - box.height()) / 2 - box.top()  # the digits' box centred
        colour = self.palette().color(self.foregroundRole())
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if synthetic_bold_lost(font):  # drawn as outlines: the bold stroked as FreeType would (see ui.kiosk.bold)
            path = QPainterPath()
            path.addText(QPointF(left, top), font, text)
            painter.fillPath(path, colour)
            painter.strokePath(path, QPen(colour, size / 24, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
                                          Qt.PenJoinStyle.RoundJoin))
        else:
            painter.setFont(font)
            painter.setPen(colour)
            painter.drawText(QPointF(left, top), text)
        painter.end()


class SideBySide(QBoxLayout):
    """``first`` at the left of ``second`` where the layout is at least :data:`WIDE` pixels wide (a landscape
    screen, whose height is short), ``first`` above ``second`` where it is narrower (standing up).

    Side by side, each part's own stretches centre it in the height; one above the other, they are kept
    together (not a gap between the number and what it is for), in the middle of the room where ``middle``."""

    #: The least width (px) for the two side by side: a 1920 px wide screen's page, not a 1080 px one's.
    WIDE = 1400

    def __init__(self, first: QWidget | QLayout, second: QWidget | QLayout, *, stretch: tuple[int, int] = (1, 1),
                 spacing: int = 32, middle: bool = False) -> None:
        super().__init__(QBoxLayout.Direction.TopToBottom)
        self.setSpacing(spacing)
        self.widths = stretch
        self.middle = middle
        # above and under the two standing up where ``middle`` (the page's own stretches elsewhere; set by _spread)
        self.ends = (QSpacerItem(0, 0), QSpacerItem(0, 0))
        self.addItem(self.ends[0])
        self.stretches: list[QSpacerItem] = []  # the parts' own, side by side
        for part in (first, second):
            if isinstance(part, QLayout):
                self.addLayout(part)
                items = (part.itemAt(index) for index in range(part.count()))
                self.stretches += [spacer for item in items if item is not None
                                   and (spacer := item.spacerItem()) is not None
                                   and spacer.expandingDirections() & Qt.Orientation.Vertical]
            else:
                self.addWidget(part)
        self.addItem(self.ends[1])
        self.setStretch(0, 1)
        self.setStretch(3, 1)
        self._spread(beside=False)

    @property
    def beside(self) -> bool:
        return self.direction() == QBoxLayout.Direction.LeftToRight

    def _spread(self, *, beside: bool) -> None:
        fixed, expanding = QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Expanding
        for spacer in self.ends:
            spacer.changeSize(0, 0, fixed, expanding if self.middle and not beside else fixed)
        for spacer in self.stretches:
            spacer.changeSize(0, 0, QSizePolicy.Policy.Minimum, expanding if beside else fixed)
        for index, factor in ((1, self.widths[0]), (2, self.widths[1])):
            # side by side, the widths shared; one above the other, the height beyond what both need to a part
            # that grows (a number, up to its largest size), the rest above and under the two
            item = self.itemAt(index)
            grows = bool(item is not None and item.expandingDirections() & Qt.Orientation.Vertical)
            self.setStretch(index, factor if beside else GROWS if grows else 0)
        self.invalidate()

    def setGeometry(self, rect: QRect) -> None:
        beside = rect.width() >= self.WIDE
        if beside != self.beside:
            self.setDirection(QBoxLayout.Direction.LeftToRight if beside else QBoxLayout.Direction.TopToBottom)
            self._spread(beside=beside)
        super().setGeometry(rect)


def centred(widget: QWidget) -> QVBoxLayout:
    """``widget`` at its own size in the middle of the room it is given (a button beside words lying down)."""
    column = QVBoxLayout()
    column.setContentsMargins(0, 0, 0, 0)
    column.addWidget(widget, 0, Qt.AlignmentFlag.AlignCenter)
    return column


def held(label: QLabel) -> QLabel:
    """``label`` as tall as its lines in the width it is given; a page's spare height goes to its number and its
    stretches first, not into gaps under a caption. (Held to its size hint, the lines it has at a width of its own
    choosing, a label narrower than that lost its last lines: 涉法涉诉 without its （优先办理）.)"""
    label.setSizePolicy(label.sizePolicy().horizontalPolicy(), QSizePolicy.Policy.Preferred)
    return label


def not_printed(paper: str, why: str) -> Phrases:
    """``paper`` did not print, and the printer's words as they came (打印机暂时不能使用), broken at their
    punctuation only: what a page that ends a flow says before what to note down instead."""
    return Phrases.clauses(f"{paper}没有打印出来：{why}。")
