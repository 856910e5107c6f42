"""排队统计: per day and window type, the tickets taken, called and served, and the wait and service times."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QHeaderView, QTableWidgetItem, QVBoxLayout, QWidget

from desktop.domain.calendar import date_near, weekday_name
from desktop.domain.chinatime import china_today
from ui.common.widgets import label, message_label, read_only_table, set_tone
from ui.shell.context import WorkContext
from ui.shell.errors import user_message

if TYPE_CHECKING:
    from desktop.domain.queue import QueueStatistics, WindowType
    from desktop.services.changes import Changes
    from desktop.services.context import Hall

COLUMNS = ("日期", "窗口类型", "取号", "已叫号", "办结", "平均等候（分钟）", "90% 等候不超过", "平均办理（分钟）",
           "90% 办理不超过")
PERIODS = (("今天", 0), ("近 7 天", 6), ("近 30 天", 29))


class QueueStatisticsPanel(QWidget):
    """The queue's waits and service times for supervisors and leaders (no personal data)."""

    refreshed = Signal()

    def __init__(self, ctx: WorkContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.actor = ctx.actor
        self.tasks = ctx.group(self)
        self.period = QComboBox()
        for text, days in PERIODS:
            self.period.addItem(text, days)
        self.period.setCurrentIndex(1)
        self.period.currentIndexChanged.connect(self._period_chosen)
        self.table = read_only_table(COLUMNS, select_rows=False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)  # the type's name takes what is left
        self.message = message_label()
        top = QHBoxLayout()
        top.addWidget(label("排队等候与办理时长（等候：取号到第一次叫号；办理：开始办理到办结）", "subtitle"), 1)
        top.addWidget(self.period)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.message)
        layout.addWidget(self.table, 1)
        ctx.tasks.changed.connect(self._changed)
        self.refresh()

    def _period_chosen(self, _index: int) -> None:
        self.refresh()

    def _changed(self, changes: Changes) -> None:
        if changes.queue:
            self.refresh()

    def refresh(self) -> None:
        if self.tasks.busy:
            return
        actor, days = self.actor, int(self.period.currentData())

        def read(hall: Hall) -> tuple[list[QueueStatistics], list[WindowType]]:
            from desktop.services import queue

            today = hall.today()
            return queue.statistics(hall, actor, today - timedelta(days=days), today), queue.all_window_types(hall)

        self.tasks.run(read, self._show, self._failed)

    def _failed(self, error: Exception) -> None:
        set_tone(self.message, "error", user_message(error, "读取排队统计"))

    def _show(self, read: tuple[list[QueueStatistics], list[WindowType]]) -> None:
        rows, types = read
        names = {t.code: t.name for t in types}
        position = {t.code: n for n, t in enumerate(types)}  # the hall's own order of its window types
        ordered = sorted(rows, key=lambda r: (-r.day.toordinal(), position.get(r.type_code, len(types)), r.type_code))
        self.table.setRowCount(len(ordered))
        for r, row in enumerate(ordered):
            values = (_day(row.day), names.get(row.type_code, row.type_code), str(row.issued), str(row.called),
                      str(row.served), *(f"{v:.1f}" if n else "—" for v, n in (
                          (row.wait_average, row.called), (row.wait_p90, row.called),
                          (row.service_average, row.served), (row.service_p90, row.served))))
            for c, value in enumerate(values):
                self.table.setItem(r, c, QTableWidgetItem(value))
        set_tone(self.message, "" if ordered else "notice", "" if ordered else "所选期间没有人取号")
        self.refreshed.emit()


def _day(day: date) -> str:
    return f"{date_near(day, china_today())}（{weekday_name(day)}）"
