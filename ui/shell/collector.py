"""Python's cycle collector runs on the GUI thread only.

Left to itself, Python collects reference cycles on whichever thread happens to
allocate when a threshold is crossed — often a worker running a service call. A
cycle that holds a Qt object owned by Python (a dialog, a timer, a window's task
manager) would then destroy that object on the worker thread: Qt's timers and
posted events are the GUI thread's, and the program crashes a while later
("QObject::killTimer: Timers cannot be stopped from another thread").

So automatic collection is switched off while the program runs, and this timer
collects on the GUI thread, a generation at a time, as the counts call for it (the
same thresholds Python would use). A technique known from PyQt applications.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer


class GuiThreadCollector(QObject):
    def __init__(self, parent: QObject | None = None, interval_ms: int = 250, *,
                 enabled_before: bool | None = None) -> None:
        """``enabled_before``: whether Python collected by itself before (when the caller switched it off earlier)."""
        super().__init__(parent)
        self._was_enabled = gc.isenabled() if enabled_before is None else enabled_before
        gc.disable()
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.check)
        self.timer.start()

    def check(self) -> None:
        """Collect the generations whose counts passed their thresholds (oldest first)."""
        counts, thresholds = gc.get_count(), gc.get_threshold()
        for generation in (2, 1, 0):
            if counts[generation] > thresholds[generation]:
                gc.collect(generation)
                return

    def stop(self) -> None:
        """Back to Python's own collection (after one last collection here)."""
        self.timer.stop()
        gc.collect()
        if self._was_enabled:
            gc.enable()
