"""Scrolling with a finger on the kiosk's touch screen: a page that does not fit moves with the finger.

A citizen drags the page up or down as on a phone; the wide scroll bars stay for whoever looks
for them. A tap stays a tap: the page follows only once the finger has travelled
:data:`DRAG_MM` millimetres, and a drag that starts on a button does not press it. The page
follows the finger and stops where it is lifted — no coasting, no springing back at the ends,
which lose an elderly reader's line.

Touch screens on a kiosk come as a pointer (many report as one) or as touch, which Qt turns into
the same presses for widgets: one application-wide filter serves both. (Qt's ``QScroller`` was
tried: every scroller made for a page that is later thrown away leaves its gesture recogniser
registered with the application, and the kiosk throws each citizen's pages away: memory and the
time of every event grew with each citizen.)
"""

from __future__ import annotations

import contextlib

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QGuiApplication, QMouseEvent
from PySide6.QtWidgets import QAbstractButton, QAbstractScrollArea, QWidget

#: How far the finger moves before the page follows (a shaky tap stays a tap).
DRAG_MM = 5.0
#: The same in pixels, where the screen's size is unknown or implausible.
DRAG_PX_MIN, DRAG_PX_MAX = 12, 48


def drag_distance_px() -> int:
    """:data:`DRAG_MM` in pixels of the primary screen."""
    screen = QGuiApplication.primaryScreen()
    dpi = screen.physicalDotsPerInchY() if screen is not None else 0.0
    return max(DRAG_PX_MIN, min(DRAG_PX_MAX, round(dpi / 25.4 * DRAG_MM))) if dpi > 0 else DRAG_PX_MIN


def scroll_area_under(widget: QWidget, root: QWidget) -> QAbstractScrollArea | None:
    """The innermost scrolling area of ``root`` around ``widget`` whose page is taller than its view."""
    node: QWidget | None = widget
    while node is not None and node is not root:
        parent = node.parentWidget()
        if isinstance(parent, QAbstractScrollArea) and node is parent.viewport() \
                and parent.verticalScrollBar().maximum() > 0:
            return parent
        node = parent
    return None


class FingerScroll(QObject):
    """Installed on the application: a press inside one of ``root``'s scrolling pages, then a move of
    more than :func:`drag_distance_px`, drags that page; the press's own widget gets nothing more."""

    def __init__(self, root: QWidget) -> None:
        super().__init__(root)
        self.root = root
        self.threshold = drag_distance_px()
        self._area: QAbstractScrollArea | None = None
        self._pressed: QWidget | None = None
        self._start_y = 0.0
        self._start_value = 0
        #: Whether the finger is dragging a page now (its moves and its lifting go to the page only).
        self.dragging = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.MouseButtonPress and isinstance(event, QMouseEvent) and isinstance(watched, QWidget):
            if event.button() == Qt.MouseButton.LeftButton and self._pressed is None:
                self._press(watched, event)
            return False
        if self._area is None:
            return False
        if kind == QEvent.Type.MouseMove and isinstance(event, QMouseEvent):
            if not event.buttons() & Qt.MouseButton.LeftButton:
                self._reset()
                return False
            rise = event.globalPosition().y() - self._start_y
            if not self.dragging and abs(rise) >= self.threshold:
                self._begin()
            if self.dragging:
                self._area.verticalScrollBar().setValue(self._start_value - round(rise))
            return self.dragging
        if kind == QEvent.Type.MouseButtonRelease and isinstance(event, QMouseEvent):
            dragged = self.dragging
            self._reset()
            return dragged  # a drag's end is no tap on what is under the finger
        return False

    def _press(self, widget: QWidget, event: QMouseEvent) -> None:
        if not self.root.isAncestorOf(widget):
            return
        area = scroll_area_under(widget, self.root)
        if area is None:
            return
        self._area, self._pressed = area, widget
        self._start_y = event.globalPosition().y()
        self._start_value = area.verticalScrollBar().value()
        area.destroyed.connect(self._reset)

    def _begin(self) -> None:
        self.dragging = True
        pressed = self._pressed
        if isinstance(pressed, QAbstractButton):
            pressed.setDown(False)  # not pressed: lifting the finger will not press it either

    def _reset(self) -> None:
        if self._area is not None:
            with contextlib.suppress(RuntimeError, TypeError):  # already gone
                self._area.destroyed.disconnect(self._reset)
        self._area, self._pressed, self.dragging = None, None, False
