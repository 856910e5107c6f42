"""The hall's display screen: today, the next leaders' reception day."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QVBoxLayout, QWidget

from ui.common.widgets import label
from ui.shell.context import WorkContext

if TYPE_CHECKING:
    from desktop.services.changes import Changes
    from desktop.services.context import Hall

#: The board asks again this often, so the next reception day moves on by itself after midnight.
REFRESH_MS = 60_000


def _next_reception_day(hall: Hall) -> date:
    from desktop.domain.deadlines import next_leader_reception_day

    return next_leader_reception_day(hall.today(), hall.policy.calendar)


class HallBoard(QWidget):
    """Welcome, and the next leaders' reception day (read again every minute and when the calendar changes)."""

    def __init__(self, ctx: WorkContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.tasks = ctx.group(self)
        self.setObjectName("page")
        self.reception = label("", "board", centred=True)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(label("欢迎来访　依法逐级走访　有序反映诉求", "board", centred=True))
        layout.addWidget(self.reception)
        layout.addStretch(2)
        self.timer = QTimer(self)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self.refresh)
        ctx.tasks.changed.connect(self._changed)
        ctx.source.when_ready(lambda _hall: self._start())

    def _start(self) -> None:
        self.refresh()
        self.timer.start()

    def _changed(self, changes: Changes) -> None:
        if changes.reference:
            self.refresh()

    def refresh(self) -> None:
        if not self.tasks.busy:
            self.tasks.run(_next_reception_day, self._show, lambda _error: None)

    def _show(self, day: date) -> None:
        self.reception.setText(f"下一个领导接访日：{day:%Y年%m月%d日}")


def display_body(ctx: WorkContext) -> QWidget:
    """What the hall display shows."""
    return HallBoard(ctx)
