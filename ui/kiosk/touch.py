"""Scrolling with a finger on the kiosk's touch screen: a page that does not fit moves with the finger.

A citizen drags the page up as on a phone; the wide scroll bars stay for whoever looks for them.
A tap stays a tap: the page moves only once the finger has travelled a few millimetres (Qt's
drag distance, in metres of the screen), so a shaky finger on a button still presses it. A flick
coasts a little and stops at the ends without springing back: an elderly reader loses the line
when the page bounces.

Touch screens on a kiosk come as a pointer (many report as one) or as touch, which Qt turns into
the same presses for widgets: the gesture follows the left button either way.
"""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractScrollArea, QScroller, QScrollerProperties

#: How quickly a flicked page slows down (Qt's default 0.125 lets it run on for a long way).
DECELERATION = 0.35


def scroll_by_finger(area: QAbstractScrollArea) -> None:
    """Let ``area`` scroll by dragging its page (once per area)."""
    viewport = area.viewport()
    if QScroller.hasScroller(viewport):
        return
    QScroller.grabGesture(viewport, QScroller.ScrollerGestureType.LeftMouseButtonGesture)
    scroller = QScroller.scroller(viewport)
    metric = QScrollerProperties.ScrollMetric
    properties = scroller.scrollerProperties()
    for policy in (metric.VerticalOvershootPolicy, metric.HorizontalOvershootPolicy):
        properties.setScrollMetric(policy, QScrollerProperties.OvershootPolicy.OvershootAlwaysOff)
    properties.setScrollMetric(metric.DecelerationFactor, DECELERATION)
    scroller.setScrollerProperties(properties)
