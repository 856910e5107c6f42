"""Hearing the queue change when another program changed it: the second counter, the call display.

Without a hall server every PC of the hall may work on one shared database; this program's change feed
tells of its own writes only, so a call made at another counter reached the call display with the next
slow read (up to 10 s; 4.6 s and 5.7 s were measured). A :class:`QueueWatch` reads the queue's revision
mark (``desktop.services.queue.revision``, a read of three rows) off the GUI thread every
:data:`WATCH_MS` and says ``moved`` when it changed; the screen then reads what it shows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from ui.shell.context import WindowContext

if TYPE_CHECKING:
    from desktop.services.context import Hall

#: How often the mark is read: a call made elsewhere is on screen about half of this later, plus one read.
WATCH_MS = 400


class QueueWatch(QObject):
    """Says ``moved`` when the queue's revision mark changed since the last look (the first look sets it)."""

    moved = Signal()

    def __init__(self, ctx: WindowContext, parent: QObject, *, interval_ms: int = WATCH_MS) -> None:
        super().__init__(parent)
        self.tasks = ctx.group(self)
        self.seen: tuple[int, ...] | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.look)

    def start(self) -> None:
        self.timer.start()
        self.look()

    def look(self) -> None:
        if self.tasks.busy:  # a look on its way (a slow disk): no second one behind it
            return

        def read(hall: Hall) -> tuple[int, ...]:
            from desktop.services import queue

            return queue.revision(hall)

        self.tasks.run(read, self._looked, self._failed)

    def _looked(self, mark: tuple[int, ...]) -> None:
        moved = self.seen is not None and mark != self.seen
        self.seen = mark
        if moved:
            self.moved.emit()

    def _failed(self, _error: Exception) -> None:
        """Nothing to say here: the screen's own reads, still made on their slow timer, say what is wrong."""
