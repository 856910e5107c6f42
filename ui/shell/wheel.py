"""A turn of the mouse wheel scrolls the page, never the value of a field the clerk is not in.

Qt gives the wheel to the widget under the pointer: scrolling down a long form moved 信访渠道 from 走访 to 传真,
or a date back a day, whenever a drop-down list, a date or a number box passed under the pointer — wrong data
saved without anyone noticing. In a staff window a drop-down list, a date or a number box takes the wheel only
while it has the keyboard's focus (clicked or tabbed into); otherwise the wheel scrolls what it is in.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractScrollArea, QAbstractSpinBox, QComboBox, QWidget


class WheelGuard(QObject):
    """Application-wide: the wheel over an unfocused drop-down list, date or number box goes to its scroll area."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind not in (QEvent.Type.Wheel, QEvent.Type.Polish) or not isinstance(watched,
                                                                              (QComboBox, QAbstractSpinBox)):
            return False
        if kind == QEvent.Type.Polish:  # Qt gives a WheelFocus field the focus on a turn, before any filter sees it
            if watched.focusPolicy() == Qt.FocusPolicy.WheelFocus:
                watched.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # clicked or tabbed into, as every other field
            return False
        if watched.hasFocus():
            return False
        area = _scroll_area(watched)
        if area is not None:  # the page scrolls, as the person turning the wheel meant
            bar = area.verticalScrollBar()
            if bar is not None and bar.isVisible():
                QCoreApplication.sendEvent(bar, event)
        return True


def _scroll_area(widget: QWidget) -> QAbstractScrollArea | None:
    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, QAbstractScrollArea):
        parent = parent.parentWidget()
    return parent


_GUARD: list[WheelGuard] = []


def guard_wheel() -> None:
    """Install the guard on the application, once (staff windows; the kiosk has no wheel)."""
    app = QCoreApplication.instance()
    if app is None or _GUARD:
        return
    _GUARD.append(WheelGuard(app))
    app.installEventFilter(_GUARD[0])
    from PySide6.QtWidgets import QApplication

    for widget in QApplication.allWidgets():  # those built before: polished already
        if isinstance(widget, (QComboBox, QAbstractSpinBox)) and widget.focusPolicy() == Qt.FocusPolicy.WheelFocus:
            widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
