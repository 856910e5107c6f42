"""The idle watcher: it restarts on input and listens to the application's events only while it runs."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from ui.shell.idle import IdleWatcher, device_used


class Counting(IdleWatcher):
    """Counts the events the application's filter hands it."""

    def __init__(self, interval_ms: int, parent: QObject) -> None:
        super().__init__(interval_ms, parent)
        self.seen = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        self.seen += 1
        return super().eventFilter(watched, event)


def _key(widget: QWidget) -> None:
    press = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_A, Qt.KeyboardModifier.NoModifier, "a")
    QCoreApplication.sendEvent(widget, press)


def test_the_watcher_hears_nothing_while_stopped_and_input_while_running(qtbot: QtBot) -> None:
    widget = QWidget()
    qtbot.addWidget(widget)
    watcher = Counting(60_000, widget)
    _key(widget)
    assert watcher.seen == 0 and not watcher.running  # no event passes through Python for it
    watcher.start()
    _key(widget)
    assert watcher.seen >= 1 and watcher.running
    watcher.stop()
    seen = watcher.seen
    _key(widget)
    assert watcher.seen == seen and not watcher.running


def test_it_goes_off_after_the_interval_and_then_stops_listening(qtbot: QtBot) -> None:
    widget = QWidget()
    qtbot.addWidget(widget)
    watcher = Counting(20, widget)
    with qtbot.waitSignal(watcher.idle, timeout=2000):
        watcher.start()
    _key(widget)  # the first event after it went off takes the filter away
    seen = watcher.seen
    _key(widget)
    assert watcher.seen == seen and not watcher.running
    watcher.start()  # and the next start listens again
    _key(widget)
    assert watcher.seen > seen


def test_a_device_used_on_a_screen_is_input(qtbot: QtBot) -> None:
    """An ID card read (ui.shell.idcard) restarts the idle time as a key does, whatever screen it is on."""
    widget = QWidget()
    qtbot.addWidget(widget)
    watcher = IdleWatcher(60_000, widget)
    watcher._timer.setTimerType(Qt.TimerType.PreciseTimer)
    watcher.start()
    qtbot.waitUntil(lambda: watcher._timer.remainingTime() < 59_850, timeout=3000)
    device_used(widget)
    assert watcher._timer.remainingTime() > 59_850
