"""The deadline board: cases whose current deadline has passed or falls within a week."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHeaderView, QVBoxLayout, QWidget

from desktop.domain.calendar import date_in_words
from desktop.domain.deadlines import days_left_in_words
from ui.common.widgets import fill_table, label, read_only_table
from ui.shell.context import WorkContext
from ui.shell.errors import user_message

if TYPE_CHECKING:
    from desktop.services.changes import Changes
    from desktop.services.context import Hall
    from desktop.services.supervision import DeadlineBoard, DueCase


class DeadlinePanel(QWidget):
    """Overdue and due-soon cases, read again whenever a case or the holiday calendar changes."""

    COLUMNS = ("期限", "剩余天数", "案件编号", "信访人", "状态", "期限依据")
    refreshed = Signal()
    case_chosen = Signal(str)  # case number of a row opened with a double-click or Enter

    def __init__(self, ctx: WorkContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.tasks = ctx.group(self)
        self.summary = label("", "subtitle")
        from desktop.services.supervision import BACKLOG_TIP

        self.summary.setToolTip(BACKLOG_TIP)
        self.table = read_only_table(self.COLUMNS, alternate=False)
        self.table.setToolTip("双击或按回车打开该事项")
        # a long 期限依据 (接收单位告知期限（转送逾期4天）) wraps onto a second line instead of being cut at 1366×768
        self.table.setWordWrap(True)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # the other columns as wide as their words, 期限依据 the room left (it wraps): none past the right edge
        header = self.table.horizontalHeader()
        for column in range(len(self.COLUMNS) - 1):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(len(self.COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)
        self.due: list[DueCase] = []
        layout = QVBoxLayout(self)
        layout.addWidget(label("临近和超过期限的事项", "subtitle"))
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        ctx.tasks.changed.connect(self._changed)
        self.table.doubleClicked.connect(lambda index: self._open(index.row()))
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            enter = QShortcut(QKeySequence(key), self.table)
            enter.setContext(Qt.ShortcutContext.WidgetShortcut)
            enter.activated.connect(lambda: self._open(self.table.currentRow()))
        self._again = False
        self.refresh()

    def _open(self, row: int) -> None:
        if 0 <= row < len(self.due):
            self.case_chosen.emit(self.due[row].case_number)

    def _changed(self, changes: Changes) -> None:
        if changes.deadlines:
            self.refresh()

    def refresh(self) -> None:
        if self.tasks.busy:
            self._again = True  # one more read once this one is in: it may predate the change
            return
        actor = self.ctx.actor

        def read(hall: Hall) -> tuple[DeadlineBoard, date]:
            from desktop.services import supervision

            return supervision.deadline_board(hall, actor), hall.today()

        self.tasks.run(read, self._show, self._failed)

    def _show(self, read: tuple[DeadlineBoard, date]) -> None:
        board, today = read
        b = board.backlog
        self.summary.setText(f"在办 {b.open_cases:,} 件，已超期 {b.overdue:,} 件，7日内到期 "
                             f"{b.due_within_week:,} 件，待督办核查 {b.flagged:,} 件" + (
                                 f"\n下表列出期限最早的 {len(board.due):,} 件，另有 {board.not_listed:,} 件未列出"
                                 "（可在左侧按案件编号、姓名等查找）" if board.not_listed else ""))
        self.due = board.due
        # 12月7日, with its year where it is not this year's (the column fits a 1366×768 screen)
        fill_table(self.table, [(date_in_words(case.next_due, year=case.next_due.year != today.year)
                                 + ("（未经核实）" if not case.verified else ""),
                                 days_left_in_words(case.days_left),
                                 case.case_number, case.petitioner_name, case.state, case.basis)
                                for case in board.due])
        self._settled()

    def _failed(self, error: Exception) -> None:
        self.summary.setText(user_message(error, "读取期限"))
        self._settled()

    def _settled(self) -> None:
        if self._again:
            self._again = False
            self.refresh()
        else:
            self.refreshed.emit()
