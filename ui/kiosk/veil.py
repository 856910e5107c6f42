"""A card over the whole kiosk page, the page dimmed around it: the idle countdown, 返回首页's question, a failure.

Each is a ``Veil`` with its own words and buttons in ``card``'s layout; the veil and the card take the kiosk's
style by their names (``veil``, ``overlay``: ui/kiosk/style.py).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QWidget

#: The room left around the card, and its widest.
MARGIN = 80
CARD_WIDTH = 1200


class Veil(QWidget):
    """Covers its parent (the kiosk's page) with ``card`` in the middle. Hidden until shown."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("veil")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.card = QFrame(self)
        self.card.setObjectName("overlay")
        self.hide()

    def place_card(self, *, tallest: int | None = None, fit: bool = True) -> None:
        """Over the whole page, the card in its middle: as tall as its content (``fit``), at most ``tallest``."""
        parent = self.parentWidget()
        if parent is None:
            return
        self.setGeometry(parent.rect())
        width = min(parent.width() - MARGIN, CARD_WIDTH)
        height = parent.height() - MARGIN if tallest is None else min(parent.height() - MARGIN, tallest)
        inner = self.card.layout()
        if fit and inner is not None:
            height = min(height, inner.totalHeightForWidth(width) if inner.hasHeightForWidth()
                         else inner.totalSizeHint().height())
        self.card.setGeometry((parent.width() - width) // 2, (parent.height() - height) // 2, width, height)
