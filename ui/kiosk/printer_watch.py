"""The kiosk's receipt printer looked at again while it is known not to work.

A printer out of paper, switched off, its queue paused or its PDF folder not writable is recorded
when a receipt fails (``desktop.services.peripherals``) and shown red in the administrator's 设备管理.
Without this watch it showed as fixed only after the next citizen's receipt printed. While a
printer problem is recorded — and only then — the kiosk asks its receipt printers every
:data:`INTERVAL_MS` whether they would print now, printing nothing
(``peripherals.recheck_printer``: the CUPS queue's state, the folder's writability, the thermal
printer's answer), off the GUI thread; once they would, the problem is cleared and the recovery
reported to the server. The watch starts and stops itself on the records of its device
(``Topic.SYNC``): a recorded problem starts the clock, its clearing stops it.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from ui.shell.tasks import Executor

if TYPE_CHECKING:
    from desktop.services.changes import Changes
    from desktop.services.context import Hall
    from ui.shell.context import WorkContext

log = logging.getLogger(__name__)

#: How often a printer known not to work is asked again.
INTERVAL_MS = 60_000


def _problem(hall: Hall) -> bool:
    from desktop.services.peripherals import printer_problem

    return printer_problem(hall)


def _recheck(hall: Hall) -> bool | None:
    from desktop.services.peripherals import recheck_printer

    return recheck_printer(hall)


class PrinterWatch(QObject):
    """Asks again, every ``interval_ms`` while a printer problem is recorded, whether the printer works."""

    #: After each check: True the printer works again (cleared, reported), False not yet, None cannot tell.
    checked = Signal(object)
    #: Whether a printer problem is recorded (the clock runs), each time it was looked up.
    watching = Signal(bool)

    def __init__(self, ctx: WorkContext, parent: QObject, *, interval_ms: int = INTERVAL_MS) -> None:
        super().__init__(parent)
        self._lookups = ctx.group(self)
        self._checks = ctx.group(self)
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.check)
        ctx.tasks.changed.connect(self._changed)
        self.look()

    def _changed(self, changes: Changes) -> None:
        # Topic.SYNC by its value: a peripheral's state is a record of this device's (as the shell's own test)
        if "sync" in changes.topics:
            self.look()

    def look(self) -> None:
        """Whether a printer problem is recorded: the clock runs while one is."""
        self._lookups.run(_problem, self._seen, lambda _error: None)

    def _seen(self, problem: bool) -> None:
        if problem and not self.timer.isActive():
            self.timer.start()
        elif not problem:
            self.timer.stop()
        self.watching.emit(problem)

    def check(self) -> None:
        """Ask the printers now (a check still on its way is not doubled)."""
        if self._checks.busy:
            return
        self._checks.run(_recheck, self._checked, self._not_checked, executor=Executor.DEVICES)

    def _checked(self, works: bool | None) -> None:
        self.checked.emit(works)

    def _not_checked(self, error: Exception) -> None:
        log.warning("未能检查打印机是否恢复：%s", error)  # asked again at the next tick
        self.checked.emit(None)
