"""What a clerk works with at the counter (registration and the queue will join it here)."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from ui.desk.cases import staff_desk
from ui.shell.context import WorkContext


def counter_work(ctx: WorkContext) -> QWidget:
    return staff_desk(ctx)
