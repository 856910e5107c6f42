"""A citizen types the case number and query code from the receipt and reads how far the case has come."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QPushButton, QVBoxLayout, QWidget

from ui.common.widgets import FormGrid, label, message_label, set_tone
from ui.shell.context import WorkContext
from ui.shell.errors import user_message

if TYPE_CHECKING:
    from desktop.services.context import Hall
    from desktop.services.progress import CitizenProgress


def _progress(hall: Hall, ctx: WorkContext, number: str, code: str) -> CitizenProgress:
    from desktop.services.progress import citizen_progress

    return citizen_progress(hall, ctx.actor, number, code)


class ProgressQueryPanel(QWidget):
    """Kiosk: case number and query code in, the state and the next step out (asked off the GUI thread)."""

    def __init__(self, ctx: WorkContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.actor = ctx.actor
        self.tasks = ctx.group(self)
        self.setObjectName("page")
        self.number = QLineEdit()
        self.number.setPlaceholderText("例如 XF-20261124-K01-00012-7")
        self.code = QLineEdit()
        self.code.setPlaceholderText("回执上的8位查询码")
        self.code.setInputMask("9999 9999;_")
        self.submit = QPushButton("查询办理进度")
        self.result = label("", "subtitle")
        self.error = message_label()
        form = FormGrid()
        form.add_row("案件编号", self.number)
        form.add_row("查询码", self.code)
        column = QWidget()
        column.setMaximumWidth(1100)
        inner = QVBoxLayout(column)
        inner.addWidget(label("查询信访事项办理进度", "title", centred=True))
        inner.addWidget(label("请输入登记回执上的案件编号和查询码", "subtitle", centred=True))
        inner.addLayout(form)
        inner.addWidget(self.submit)
        inner.addWidget(self.error)
        inner.addWidget(self.result)
        layout = QHBoxLayout(self)
        layout.addStretch(1)
        wrapper = QVBoxLayout()
        wrapper.addStretch(1)
        wrapper.addWidget(column)
        wrapper.addStretch(2)
        layout.addLayout(wrapper, 10)
        layout.addStretch(1)
        self.submit.clicked.connect(self.query_progress)
        self.tasks.busy_changed.connect(self.submit.setDisabled)

    def query_progress(self) -> None:
        if self.tasks.busy:
            return
        set_tone(self.error, "", "")
        self.result.clear()
        ctx, number, code = self.ctx, self.number.text(), self.code.text()
        set_tone(self.error, "notice", "正在查询……")
        self.tasks.run(lambda hall: _progress(hall, ctx, number, code), self._show, self._refused)

    def _show(self, progress: CitizenProgress) -> None:
        set_tone(self.error, "", "")
        due = f"，当前期限 {progress.next_due:%Y年%m月%d日}" if progress.next_due else ""
        self.result.setText(
            f"事项 {progress.case_number}（{progress.petitioner}，{progress.received_on:%Y年%m月%d日}登记）\n"
            f"当前状态：{progress.state}{due}\n{progress.next_step}")

    def _refused(self, error: Exception) -> None:
        set_tone(self.error, "error", user_message(error, "查询"))


def kiosk_body(ctx: WorkContext) -> QWidget:
    """What the kiosk shows."""
    return ProgressQueryPanel(ctx)
