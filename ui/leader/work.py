"""What a leader works with on reception days: deadlines first, then the cases."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from ui.desk.cases import staff_desk
from ui.shell.context import WorkContext


def leader_work(ctx: WorkContext) -> QWidget:
    return staff_desk(ctx, deadlines_first=True)
