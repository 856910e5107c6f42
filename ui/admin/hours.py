"""大厅开放时间: the hall's opening hours, read and changed by the administrator.

The rule and the check are in ``desktop/services/opening_hours.py`` and ``desktop/domain/hours.py``.

Outside these hours the kiosks issue no queue number and say when the hall opens next; a counter is
asked before it issues one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLineEdit, QPushButton, QVBoxLayout, QWidget

from ui.common.widgets import FormGrid, label, message_label, set_tone
from ui.shell.context import WorkContext
from ui.shell.errors import user_message

if TYPE_CHECKING:
    from desktop.services.context import Hall
    from desktop.services.opening_hours import HallHours

HINT = ("在工作日（按节假日安排，含调休上班日）的这些时段内大厅开放。开放时间以外，自助终端不发排队号，"
        "并告诉来访人大厅何时开放；窗口发号前会提示，确认后仍可发号。写法：08:30-12:00,13:30-17:30；留空为不限时间")


class HoursPanel(QWidget):
    """The hours in one field, checked by the service when saved."""

    loaded = Signal(object)  # HallHours
    saved = Signal(object)  # HallHours

    def __init__(self, ctx: WorkContext) -> None:
        super().__init__()
        self.ctx, self.actor = ctx, ctx.actor
        self.tasks = ctx.group(self)
        self.hours = QLineEdit()
        self.hours.setMaxLength(120)
        self.hours.setPlaceholderText("08:30-12:00,13:30-17:30")
        self.current = label("", "hint")
        self.save_button = QPushButton("保存开放时间")
        self.save_button.setObjectName("primary")
        self.message = message_label()
        box = QGroupBox("大厅开放时间")
        grid = FormGrid()
        grid.add_row("开放时段", self.hours)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        inner = QVBoxLayout(box)
        inner.addWidget(label(HINT, "hint"))
        inner.addLayout(grid)
        inner.addWidget(self.current)
        inner.addLayout(buttons)
        inner.addWidget(self.message)
        box.setMaximumWidth(720)
        layout = QVBoxLayout(self)
        layout.addWidget(box)
        layout.addStretch(1)
        self.save_button.clicked.connect(self.save)
        self.hours.returnPressed.connect(self.save)
        self.tasks.busy_changed.connect(lambda busy: self.save_button.setEnabled(not busy and self.hours.isEnabled()))
        self.refresh()

    def refresh(self) -> None:
        from desktop.services.opening_hours import hall_hours

        actor = self.actor
        self.tasks.run(lambda hall: hall_hours(hall, actor), self._show,
                       lambda error: set_tone(self.message, "error", user_message(error, "读取大厅开放时间")))

    def _show(self, found: HallHours) -> None:
        self.hours.setText(found.hours.text())
        set_tone(self.current, "", f"现行开放时间：{found.hours.label}")
        editable = not found.elsewhere
        self.hours.setEnabled(editable)
        self.save_button.setEnabled(editable and not self.tasks.busy)
        if found.elsewhere:
            set_tone(self.message, "notice", found.elsewhere)
        self.loaded.emit(found)

    def save(self) -> None:
        from desktop.services.opening_hours import set_hall_hours

        if self.tasks.busy or not self.hours.isEnabled():
            return
        actor, text = self.actor, self.hours.text()

        def work(hall: Hall) -> HallHours:
            return set_hall_hours(hall, actor, text)

        self.tasks.run(work, self._saved, self._refused)

    def _saved(self, done: HallHours) -> None:
        self._show(done)
        set_tone(self.message, "ok",
                 f"已保存：大厅开放时间为{done.hours.label}，本机即时生效，与本机同步的设备下次同步时生效")
        self.saved.emit(done)

    def _refused(self, error: Exception) -> None:
        set_tone(self.message, "error", user_message(error, "保存大厅开放时间"))
        self.hours.setFocus()
