"""The supervisors' work list of 不满意 ratings: each case a petitioner rated 不满意, newest first.

A 不满意 reopens the matter for review (回访, 复查); the list is read again whenever a case changes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from desktop.domain.calendar import date_in_words
from ui.common.widgets import fill_table, label, read_only_table
from ui.shell.context import WorkContext
from ui.shell.errors import user_message

if TYPE_CHECKING:
    from desktop.services.changes import Changes
    from desktop.services.context import Hall
    from desktop.services.self_service import Dissatisfied
    from desktop.services.supervision import DissatisfiedList


class DissatisfiedPanel(QWidget):
    """Cases rated 不满意 with the date, the reason given and who handled them."""

    COLUMNS = ("评价日期", "案件编号", "信访人", "状态", "办理单位", "不满意的理由")
    refreshed = Signal()
    case_chosen = Signal(str)

    def __init__(self, ctx: WorkContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.tasks = ctx.group(self)
        self.summary = label("", "subtitle")
        self.table = read_only_table(self.COLUMNS)
        self.table.setToolTip("双击打开该事项")
        self.rows: list[Dissatisfied] = []
        layout = QVBoxLayout(self)
        layout.addWidget(label("群众评价为“不满意”的事项（需回访、复查办理情况）", "subtitle"))
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        ctx.tasks.changed.connect(self._changed)
        self.table.doubleClicked.connect(lambda index: self._open(index.row()))
        self._again = False
        self.refresh()

    def _open(self, row: int) -> None:
        if 0 <= row < len(self.rows):
            self.case_chosen.emit(self.rows[row].case_number)

    def _changed(self, changes: Changes) -> None:
        if changes.cases:
            self.refresh()

    def refresh(self) -> None:
        if self.tasks.busy:
            self._again = True
            return
        actor = self.ctx.actor

        def read(hall: Hall) -> DissatisfiedList:
            from desktop.services.supervision import dissatisfied_list

            return dissatisfied_list(hall, actor)

        self.tasks.run(read, self._show, self._failed)

    def _show(self, found: DissatisfiedList) -> None:
        rows = self.rows = found.listed
        more = f"，列出评价最近的 {len(rows):,} 件（其余可在“事项与期限”中按案件编号查找）" if found.not_listed else ""
        self.summary.setText(f"共 {found.total:,} 件{more}" if rows else "目前没有评价为“不满意”的事项")
        fill_table(self.table, [(date_in_words(case.rated_on), case.case_number, case.petitioner, case.state,
                                 case.organisation or "—", case.reason or "（未填写）") for case in rows])
        self._settled()

    def _failed(self, error: Exception) -> None:
        self.summary.setText(user_message(error, "读取不满意评价"))
        self._settled()

    def _settled(self) -> None:
        if self._again:
            self._again = False
            self.refresh()
        else:
            self.refreshed.emit()
