"""Screens of a kiosk flow that scroll by themselves, so the flow's own buttons stay in view."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QFrame, QScrollArea, QStackedWidget, QWidget


class Screens(QStackedWidget):
    """A flow's screens: the stack asks for no more height than the room it gets.

    A QStackedWidget would otherwise report its pages' full height (their text wrapped), and the
    kiosk's page, which scrolls as a whole when the on-screen keyboard is up, would scroll
    instead, hiding the flow's buttons. Put a screen that may be long in :func:`scrolling`.
    """

    def hasHeightForWidth(self) -> bool:
        return False

    def sizeHint(self) -> QSize:
        return self.minimumSizeHint()


def scrolling(page: QWidget) -> QScrollArea:
    """``page`` in a frameless scroll area that resizes it to its width."""
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setWidget(page)
    return scroll
