"""Screens of a kiosk flow: white panels, which scroll by themselves so the flow's own buttons stay in view."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QFrame, QScrollArea, QStackedWidget, QVBoxLayout, QWidget

from ui.common.widgets import label


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


def panel(lead: str = "", *, spacing: int | None = 14) -> tuple[QFrame, QVBoxLayout]:
    """A kiosk screen's white panel (``QFrame#panel`` in the kiosk's style) and its layout.

    ``lead``: a first line telling the citizen what this screen asks; ``spacing`` None keeps the style's.
    """
    frame = QFrame()
    frame.setObjectName("panel")
    layout = QVBoxLayout(frame)
    layout.setContentsMargins(32, 24, 32, 24)
    if spacing is not None:
        layout.setSpacing(spacing)
    if lead:
        layout.addWidget(label(lead, "subtitle"))
    return frame, layout
