"""Noticing that nobody has touched the keyboard or mouse for a while."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer, Signal

#: A device worked by the person at the screen came to an end: an ID card laid on the reader and read, or
#: refused with a reason to show. Input of theirs as much as a key or a tap (:func:`device_used` sends it).
DEVICE_INPUT = QEvent.Type(QEvent.registerEventType())

_USER_INPUT = frozenset({
    DEVICE_INPUT,
    QEvent.Type.KeyPress, QEvent.Type.KeyRelease, QEvent.Type.ShortcutOverride,
    QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease, QEvent.Type.MouseButtonDblClick,
    QEvent.Type.MouseMove, QEvent.Type.Wheel, QEvent.Type.InputMethod,
    QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate, QEvent.Type.TouchEnd,
    QEvent.Type.TabletPress, QEvent.Type.TabletMove,
})


def device_used(target: QObject) -> None:
    """Tell the application that the person worked a device on ``target``'s screen just now (an ID card
    read): an idle time restarts, the kiosk's countdown ends, as with any input of theirs."""
    QCoreApplication.sendEvent(target, QEvent(DEVICE_INPUT))


class IdleWatcher(QObject):
    """Emits ``idle`` once ``interval_ms`` pass with no user input anywhere in the application.

    A single-shot timer, restarted by an application-wide event filter on every key,
    mouse, wheel, touch or input-method event, and on a device's read (:data:`DEVICE_INPUT`).
    It only runs between ``start`` and ``stop``, so a sign-in or lock page never locks itself;
    the filter is installed only meanwhile, so no other event of the application (thousands
    while a window is built and painted) passes through Python for it.
    """

    idle = Signal()

    def __init__(self, interval_ms: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(max(1, interval_ms))
        self._timer.timeout.connect(self.idle)
        self._watching = False

    @property
    def interval_ms(self) -> int:
        return self._timer.interval()

    @property
    def running(self) -> bool:
        return self._timer.isActive()

    def start(self) -> None:
        self._timer.start()
        self._watch(True)

    def stop(self) -> None:
        self._timer.stop()
        self._watch(False)

    def detach(self) -> None:
        """Stop watching the application's events (before the window goes away)."""
        self.stop()

    def _watch(self, on: bool) -> None:
        app = QCoreApplication.instance()
        if app is None or on == self._watching:
            return
        self._watching = on
        if on:
            app.installEventFilter(self)
        else:
            app.removeEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _USER_INPUT and self._timer.isActive():
            self._timer.start()
        elif not self._timer.isActive():  # it went off: nothing to restart until the next start
            self._watch(False)
        return False
