"""系统状态: the database, its size, the holiday data and the settings in force (secrets withheld)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHeaderView, QTableWidgetItem, QVBoxLayout, QWidget

from ui.common.widgets import label, read_only_table
from ui.shell.context import WorkContext
from ui.shell.errors import user_message

if TYPE_CHECKING:
    from desktop.services.changes import Changes
    from desktop.services.context import Hall
    from desktop.services.database import InstallationStatus


def _status(hall: Hall, ctx: WorkContext) -> InstallationStatus:
    from desktop.services.database import installation_status

    return installation_status(hall, ctx.actor)


class SystemStatusPanel(QWidget):
    """Installation status and the settings in force (changed in the settings file)."""

    refreshed = Signal()
    VALUE_WIDTH = 420  # px: the widest 当前值 column; the rest of a 1366 screen is 说明's

    def __init__(self, ctx: WorkContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.tasks = ctx.group(self)
        self.database = label("正在读取……", "subtitle")
        self.holidays = label("", "subtitle")
        self.table = read_only_table(("设置项", "当前值", "说明"), select_rows=False, single=False, alternate=False)
        # 说明 wraps in the room left: sized to its longest line it ran some 900 px past a 1366 screen, its heading
        # centred out of view and each explanation cut at the right edge
        self.table.setWordWrap(True)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        layout = QVBoxLayout(self)
        layout.addWidget(self.database)
        layout.addWidget(self.holidays)
        layout.addWidget(self.table, 1)
        ctx.tasks.changed.connect(self._changed)
        self.refresh()

    def _changed(self, changes: Changes) -> None:
        if changes.cases or changes.reference:
            self.refresh()

    def refresh(self) -> None:
        ctx = self.ctx
        self.tasks.run(lambda hall: _status(hall, ctx), self._show, self._failed)

    def _show(self, status: InstallationStatus) -> None:
        self.database.setText(f"数据库：{status.database}　事项 {status.cases:,} 件　事件 {status.events:,} 条")
        first, last = status.holiday_years
        self.holidays.setText(f"节假日数据：{first}–{last}年　本机编码：{status.device_code}"
                              f"　期限计算：{status.day_counting}")
        self.table.setRowCount(len(status.settings))
        for r, values in enumerate(status.settings):
            for c, value in enumerate(values):
                self.table.setItem(r, c, QTableWidgetItem(value))
        self.table.resizeColumnToContents(0)
        self.table.resizeColumnToContents(1)
        if self.table.columnWidth(1) > self.VALUE_WIDTH:  # a long value (a folder, a printer list) wraps too
            self.table.setColumnWidth(1, self.VALUE_WIDTH)
        self.refreshed.emit()

    def _failed(self, error: Exception) -> None:
        self.database.setText(user_message(error, "读取系统状态"))
        self.refreshed.emit()
