"""People's suggestions for staff: the list, the answer with its adoption, and (supervisors) the award."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.access import Permission
from ui.common.widgets import fill_table, fit_items, label, message_label, read_only_table, set_tone, stamp_words
from ui.shell.context import WorkContext
from ui.shell.errors import user_message

if TYPE_CHECKING:
    from desktop.services.changes import Changes
    from desktop.services.context import Hall
    from desktop.services.suggestions import Suggestion

ADOPTION_CHOICES = ("（暂不认定）", "采纳", "部分采纳", "未采纳")


class SuggestionsPanel(QWidget):
    """Suggestions newest first; the chosen one's text, its answer and adoption, its award."""

    COLUMNS = ("编号", "主题", "建议人", "提交时间", "答复", "采纳", "奖励")
    refreshed = Signal()
    saved = Signal(object)  # the Suggestion as stored

    def __init__(self, ctx: WorkContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.tasks = ctx.group(self)
        self.rows: list[Suggestion] = []
        self.editing = ""  # the suggestion whose answer and award are in the form
        self.summary = label("", "subtitle")
        self.table = read_only_table(self.COLUMNS)
        self.content = label("")
        self.answer = QPlainTextEdit()
        self.answer.setPlaceholderText("答复内容")
        self.answer.setMaximumHeight(120)
        self.adoption = QComboBox()
        self.adoption.addItems(ADOPTION_CHOICES)
        fit_items(self.adoption)  # （暂不认定） whole
        self.save_answer = QPushButton("保存答复")
        self.award = QLineEdit()
        self.award.setPlaceholderText("奖励，如：荣誉证书、奖金500元")
        self.save_award = QPushButton("登记奖励")
        may_award = ctx.may(Permission.SUPERVISE)
        self.award.setVisible(may_award)
        self.save_award.setVisible(may_award)
        self.message = message_label()
        answer_row = QHBoxLayout()
        answer_row.addWidget(label("采纳情况", "hint"))
        answer_row.addWidget(self.adoption)
        answer_row.addStretch(1)
        answer_row.addWidget(self.save_answer)
        award_row = QHBoxLayout()
        award_row.addWidget(self.award, 1)
        award_row.addWidget(self.save_award)
        layout = QVBoxLayout(self)
        layout.addWidget(label("人民建议（姓名、电话已隐去部分）", "subtitle"))
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 2)
        layout.addWidget(self.content)
        layout.addWidget(self.answer)
        layout.addLayout(answer_row)
        layout.addLayout(award_row)
        layout.addWidget(self.message)
        self.table.itemSelectionChanged.connect(self._chosen)
        self.save_answer.clicked.connect(self.answer_chosen)
        self.save_award.clicked.connect(self.award_chosen)
        ctx.tasks.changed.connect(self._changed)
        self._again = False
        self.refresh()

    @property
    def current(self) -> Suggestion | None:
        row = self.table.currentRow()
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def _changed(self, changes: Changes) -> None:
        if "suggestions" in changes.topics:
            self.refresh()

    def refresh(self) -> None:
        if self.tasks.busy:
            self._again = True
            return
        actor = self.ctx.actor

        def read(hall: Hall) -> list[Suggestion]:
            from desktop.services.suggestions import list_suggestions

            return list_suggestions(hall, actor)

        self.tasks.run(read, self._show, self._failed)

    def _show(self, rows: list[Suggestion]) -> None:
        chosen = self.editing
        self.rows = rows
        self.summary.setText(f"共 {len(rows):,} 条" if rows else "还没有人民建议")
        self.table.blockSignals(True)  # the list read again (a new suggestion on top) is no new choice
        fill_table(self.table, [(s.number, s.theme, "匿名" if s.anonymous else s.name,
                                 stamp_words(s.submitted_at), "已答复" if s.answer else "待答复",
                                 s.adoption or "—", s.award or "—") for s in rows])
        self.table.clearSelection()
        for row, s in enumerate(rows):
            if s.number == chosen:
                self.table.selectRow(row)
        self.table.blockSignals(False)
        self._chosen()
        self._settled()

    def _chosen(self) -> None:
        s = self.current if self.table.selectedItems() else None
        if (s.number if s else "") == self.editing:
            return  # the same suggestion, read again: what is being typed stays
        self.editing = s.number if s else ""
        self.content.setText(s.content if s else "")
        self.answer.setPlainText(s.answer if s else "")
        self.adoption.setCurrentIndex(ADOPTION_CHOICES.index(s.adoption) if s and s.adoption else 0)
        self.award.setText(s.award if s else "")

    def answer_chosen(self) -> None:
        s = self.current
        if s is None or self.tasks.busy:
            return
        actor, number, text = self.ctx.actor, s.number, self.answer.toPlainText()
        adoption = self.adoption.currentText() if self.adoption.currentIndex() > 0 else ""

        def save(hall: Hall) -> Suggestion:
            from desktop.services.suggestions import answer_suggestion

            return answer_suggestion(hall, actor, number, answer=text, adoption=adoption)

        self.tasks.run(save, self._saved, self._refused)

    def award_chosen(self) -> None:
        s = self.current
        if s is None or self.tasks.busy:
            return
        actor, number, text = self.ctx.actor, s.number, self.award.text()

        def save(hall: Hall) -> Suggestion:
            from desktop.services.suggestions import award_suggestion

            return award_suggestion(hall, actor, number, award=text)

        self.tasks.run(save, self._saved, self._refused)

    def _saved(self, suggestion: Suggestion) -> None:
        set_tone(self.message, "ok", f"已保存 {suggestion.number}")
        self._read_again()
        self.saved.emit(suggestion)

    def _refused(self, error: Exception) -> None:
        set_tone(self.message, "error", user_message(error, "保存"))
        self._read_again()

    def _read_again(self) -> None:
        """The change a save made may have been told while the save still ran: read it now."""
        if self._again:
            self._again = False
            self.refresh()

    def _failed(self, error: Exception) -> None:
        self.summary.setText(user_message(error, "读取人民建议"))
        self._settled()

    def _settled(self) -> None:
        if self._again:
            self._again = False
            self.refresh()
        else:
            self.refreshed.emit()
