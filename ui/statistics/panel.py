"""The supervisors' one-year statistics: indicators by month, by channel, top topics; Excel export."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.access import Permission
from desktop.domain.deadlines import format_date
from desktop.domain.indicators import DEFINITIONS, format_rate
from desktop.services import statistics
from desktop.services.changes import Changes
from desktop.services.statistics import (
    CHANNEL_HEADERS,
    MONTH_HEADERS,
    RATE_COLUMNS,
    SUM_ROWS,
    Cell,
    YearDashboard,
    channel_cells,
    dashboard_title,
    month_cells,
)
from ui.common.widgets import label, message_label, secondary_button, set_tone
from ui.shell.context import WorkContext
from ui.shell.errors import user_message

TOPIC_COLUMNS: tuple[str, ...] = ("排名", "内容分类", "批次", "人次")
ROW_HEIGHT = 26


def _screen_header(name: str) -> str:
    """A long header on two lines, so that seventeen columns fit a 1600-pixel screen."""
    return name[:-3] + "\n" + name[-3:] if len(name) > 4 else name


def _table(columns: tuple[str, ...]) -> QTableWidget:
    table = QTableWidget(0, len(columns))
    for index, name in enumerate(columns):
        item = QTableWidgetItem(_screen_header(name))
        item.setToolTip(DEFINITIONS.get(name, ""))  # the rule of each figure, on hover
        table.setHorizontalHeaderItem(index, item)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    rows = table.verticalHeader()
    rows.setVisible(False)
    rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    rows.setDefaultSectionSize(ROW_HEIGHT)
    table.setAlternatingRowColors(True)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
    header.setMinimumSectionSize(48)
    return table


def _fill(table: QTableWidget, rows: list[tuple[Cell, ...]], rates: frozenset[int] = frozenset(),
          bold_rows: frozenset[int] = frozenset()) -> None:
    table.setRowCount(len(rows))
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            if c in rates:
                text = format_rate(value if isinstance(value, float) else None)
            else:
                text = "—" if value is None else f"{value:,}" if isinstance(value, int) else str(value)
            item = QTableWidgetItem(text)
            numeric = c > 0 and (isinstance(value, int | float) or c in rates)
            item.setTextAlignment((Qt.AlignmentFlag.AlignRight if numeric else Qt.AlignmentFlag.AlignLeft)
                                  | Qt.AlignmentFlag.AlignVCenter)
            if r in bold_rows:
                font = QFont(item.font())
                font.setBold(True)
                item.setFont(font)
            table.setItem(r, c, item)


def _fit_rows(table: QTableWidget) -> None:
    """Exactly as tall as its rows: the month table never scrolls and leaves no gap."""
    frame = 2 * table.frameWidth()
    table.setFixedHeight(table.horizontalHeader().sizeHint().height() + table.rowCount() * ROW_HEIGHT + frame)


class StatisticsPanel(QWidget):
    """A year of indicators for supervisors and leaders; loads and exports off the GUI thread.

    Needs ``Permission.SUPERVISE``; the export button is offered with ``Permission.EXPORT``.
    """

    loaded = Signal(object)  # YearDashboard
    exported = Signal(object)  # Path

    def __init__(self, ctx: WorkContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.actor = ctx, ctx.actor
        self.dashboard: YearDashboard | None = None
        self.tasks = ctx.group(self)  # a year of cases is counted off the GUI thread
        self._keys_back: QWidget | None = None  # the control the keys were on while the panel is busy

        self.title = label("信访工作统计", "subtitle")
        self.year = QComboBox()
        self.year.setMinimumWidth(120)
        self.refresh_button = secondary_button("刷新")
        self.export_button = QPushButton("导出 Excel…")
        self.export_button.setVisible(ctx.may(Permission.EXPORT))
        self.message = message_label()
        self.backlog = label("", "hint")
        from desktop.services.supervision import BACKLOG_TIP

        self.backlog.setToolTip(BACKLOG_TIP)

        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(label("年份", "hint"))
        top.addWidget(self.year)
        top.addWidget(self.refresh_button)
        top.addWidget(self.export_button)

        self.months = _table(MONTH_HEADERS)
        self.months.setRowCount(len(SUM_ROWS) + 12)
        _fit_rows(self.months)
        self.channels = _table(CHANNEL_HEADERS)
        self.topics = _table(TOPIC_COLUMNS)
        topic_header = self.topics.horizontalHeader()
        for column in (0, 2, 3):
            topic_header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)

        month_box = QGroupBox("月度、季度和全年指标（“—”表示该期间没有可计算的事项）")
        QVBoxLayout(month_box).addWidget(self.months)
        channel_box = QGroupBox("按渠道")
        topic_box = QGroupBox("内容分类前十")
        for box, table in ((channel_box, self.channels), (topic_box, self.topics)):
            inside = QVBoxLayout(box)
            inside.addWidget(table)
            inside.addStretch(1)  # the shorter table stays at the top of its box
        lower = QHBoxLayout()
        lower.addWidget(channel_box, 3)
        lower.addWidget(topic_box, 2)

        # every table as tall as its rows, the page scrolling as a whole: on a 1366×768 screen the lower
        # tables were squeezed to a row and a half, each with its own scroll bar
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.addLayout(top)
        layout.addWidget(self.message)
        layout.addWidget(self.backlog)
        layout.addWidget(month_box)
        layout.addLayout(lower)
        layout.addStretch(1)
        page = QScrollArea()
        page.setWidgetResizable(True)
        page.setFrameShape(QFrame.Shape.NoFrame)
        page.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        page.setWidget(body)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(page)

        self.tasks.busy_changed.connect(self._busy)
        self.year.currentIndexChanged.connect(lambda _index: self.reload())
        self.refresh_button.clicked.connect(self.reload)
        self.export_button.clicked.connect(self.export)
        ctx.tasks.changed.connect(self._changed)
        self._load_years()

    # -- loading ------------------------------------------------------------------------------

    def selected_year(self) -> int | None:
        year = self.year.currentData()
        return int(year) if year is not None else None

    def _load_years(self) -> None:
        actor = self.actor
        self.tasks.run(lambda hall: (statistics.years_with_data(hall, actor),
                                     statistics.year_dashboard(hall, actor, hall.today().year)),
                       self._years_loaded, self._failed)

    def _changed(self, changes: Changes) -> None:
        """Counting a year takes a moment: a change is pointed out, and 刷新 counts again."""
        if (changes.cases or changes.reference) and self.dashboard is not None and not self.tasks.busy:
            set_tone(self.message, "notice", "数据有新的变化，点“刷新”重新统计")

    def _years_loaded(self, result: tuple[list[int], YearDashboard]) -> None:
        years, dashboard = result
        self.year.blockSignals(True)
        self.year.clear()
        for year in years:
            self.year.addItem(f"{year}年", year)
        self.year.setCurrentIndex(max(0, self.year.findData(dashboard.year)))
        self.year.blockSignals(False)
        self._show(dashboard)

    def reload(self) -> None:
        actor, year = self.actor, self.selected_year()
        if year is None:
            self._load_years()
            return
        set_tone(self.message, "notice", f"正在统计 {year} 年的数据…")
        self.tasks.run(lambda hall: statistics.year_dashboard(hall, actor, year), self._show, self._failed)

    def _show(self, dashboard: YearDashboard) -> None:
        self.dashboard = dashboard
        self.message.hide()
        self.title.setText(dashboard_title(dashboard))
        rows = [month_cells(name, counts) for name, counts in dashboard.periods()]
        _fill(self.months, rows, RATE_COLUMNS["month"], bold_rows=SUM_ROWS)
        _fill(self.channels, [channel_cells(row) for row in dashboard.channels], RATE_COLUMNS["channel"])
        _fill(self.topics, [(rank, t.topic_name, t.batches, t.persons)
                            for rank, t in enumerate(dashboard.top_topics, start=1)])
        for table in (self.channels, self.topics):
            _fit_rows(table)
        b = dashboard.backlog
        self.backlog.setText("" if b is None else (
            f"当前在办事项（截至{format_date(dashboard.computed_on)}）：在办 {b.open_cases:,} 件，"
            f"已超期 {b.overdue:,} 件，7日内到期 {b.due_within_week:,} 件，待督办核查 {b.flagged:,} 件"))
        self.loaded.emit(dashboard)

    def _failed(self, error: Exception) -> None:
        set_tone(self.message, "error", user_message(error, "统计"))

    def _busy(self, busy: bool) -> None:
        controls: tuple[QWidget, ...] = (self.refresh_button, self.export_button, self.year)
        if busy:
            # a disabled button hands the keys to the next widget of the window, 锁屏 in its header (Enter locked
            # the screen): they come back when the count is in
            focused = next((w for w in controls if w.hasFocus()), None)
            self._keys_back = focused
        for widget in controls:
            widget.setDisabled(busy)
        if not busy and self._keys_back is not None:
            self._keys_back.setFocus(Qt.FocusReason.OtherFocusReason)
            self._keys_back = None

    # -- export -------------------------------------------------------------------------------

    def export(self) -> None:
        year = self.selected_year()
        if year is None:
            return
        suggested = str(Path.home() / f"{year}年信访工作统计.xlsx")
        path, _ = QFileDialog.getSaveFileName(self, "导出 Excel", suggested,
                                              "Excel 工作簿 (*.xlsx)")
        if not path:
            return
        target = Path(path) if path.lower().endswith(".xlsx") else Path(f"{path}.xlsx")
        actor = self.actor
        confirmed = target == Path(path)  # the file dialog has asked before replacing this name
        self.tasks.run(lambda hall: statistics.export_dashboard_xlsx(hall, actor, year, target, overwrite=confirmed),
                       self._exported, self._failed)

    def _exported(self, path: Path) -> None:
        set_tone(self.message, "ok", f"已导出：{path}")
        self.exported.emit(path)
