"""Doing something a little later, for as long as its owner lives.

``QTimer.singleShot(ms, owner, callable)`` is the obvious way, and PySide 6.11 gets it wrong two ways:
the Python objects of a callable whose owner is destroyed before the timer fires are never let go
(a kiosk's flows piled up 64 KB a registration that way), and a bound method whose object is being
torn down as the timer fires raises ``AttributeError: Slot 'X::' not found`` inside Qt's event loop.
A timer that is the owner's child has neither fault: destroyed with the owner before it fires, and
gone by itself once it has fired.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer


def later(owner: QObject, ms: int, do: Callable[[], object]) -> QTimer:
    """Call ``do`` once, ``ms`` milliseconds from now (0: once the event loop is back), unless ``owner`` is gone."""
    timer = QTimer(owner)
    timer.setSingleShot(True)
    timer.setInterval(max(0, ms))
    timer.timeout.connect(do)
    timer.timeout.connect(timer.deleteLater)
    timer.start()
    return timer
