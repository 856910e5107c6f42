"""The administrator's window types of the hall queue: list, add, change, stop, order.

Each type has a name, a number prefix, the windows that serve it, whether the elderly,
disabled and urgent go first, and whether it is in use. The order is the order of the
kiosk's buttons and of every list. The rules (unique prefix and name, letters only,
window numbers) are the queue service's; this screen shows its refusals next to the
field they name. On a device whose queue lives on a hall server the administrator types
their own password (checked by the server with every request, never kept here) and reads
and edits the server's types, which the server pushes to every device.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.errors import ValidationError
from desktop.domain.queue import WindowType, windows_in_words
from ui.common.widgets import (
    EnterMovesOn,
    RefreshingPanel,
    ServerPasswordRow,
    fit_columns,
    label,
    message_label,
    read_only_table,
    secondary_button,
    set_tone,
)
from ui.shell.context import WorkContext
from ui.shell.errors import user_message

if TYPE_CHECKING:
    from desktop.services.changes import Changes
    from desktop.services.context import Hall
    from desktop.services.queue import WindowTypeRow

STOPPED = QColor("#8a8a8a")


@dataclass(frozen=True)
class _Read:
    rows: list[WindowTypeRow]
    elsewhere: str | None  # the queue lives on a hall server
    from_server: bool  # the rows were read there (with the administrator's password)


def _message(error: BaseException, doing: str) -> str:
    from server.protocol import SyncProblem

    return error.message if isinstance(error, SyncProblem) else user_message(error, doing)


class WindowTypesPanel(RefreshingPanel):
    """排队窗口类型 (see the module's docstring)."""

    COLUMNS = ("顺序", "前缀", "名称", "服务窗口", "优先叫号", "状态", "今日等候")
    refreshed = Signal()
    saved = Signal(object)  # the WindowType as stored

    def __init__(self, ctx: WorkContext) -> None:
        super().__init__()
        self.ctx, self.actor = ctx, ctx.actor
        self.tasks = ctx.group(self)
        self.rows: list[WindowTypeRow] = []
        self.elsewhere: str | None = None
        self.from_server = False
        self._editing: str = ""  # the code of the type in the form ("" : a new one)
        self._dirty = False

        self.notice = message_label()
        self.server_row = ServerPasswordRow("窗口类型", self.refresh)
        self.password, self.load_button = self.server_row.password, self.server_row.load_button
        self.server_row.hide()
        self.table = read_only_table(self.COLUMNS)
        self.table.itemSelectionChanged.connect(self._selected)
        self.up = secondary_button("上移")
        self.down = secondary_button("下移")
        self.up.setToolTip("取号机按钮和各处列表按此顺序排列")
        self.down.setToolTip(self.up.toolTip())
        self.up.clicked.connect(lambda: self.move_selected(-1))
        self.down.clicked.connect(lambda: self.move_selected(1))
        self.add_button = secondary_button("新增类型")
        self.add_button.clicked.connect(self.new)
        order = QHBoxLayout()
        order.addWidget(self.up)
        order.addWidget(self.down)
        order.addStretch(1)
        order.addWidget(self.add_button)

        self.name = QLineEdit()
        self.name.setMaxLength(32)
        self.name.setPlaceholderText("如 综合接待、农民工欠薪绿色通道")
        self.prefix = QLineEdit()
        self.prefix.setMaxLength(2)
        self.prefix.setMaximumWidth(80)
        self.prefix.setPlaceholderText("如 A")
        self.prefix.setToolTip("号码前缀：1–2 个英文字母，各类型互不相同（W 留给断网时窗口自行发号）")
        self.windows = QLineEdit()
        self.windows.setPlaceholderText("如 1,2 或 5-7；不填即所有窗口都办理")
        self.priority = QCheckBox("老年人、残疾人、紧急事项优先叫号")
        self.active = QCheckBox("启用（停用后不能再取这一类号，\n已在等候的照常叫号）")
        self.form_title = QGroupBox("新增窗口类型")
        form = QFormLayout(self.form_title)
        form.addRow("名称", self.name)
        form.addRow("号码前缀", self.prefix)
        form.addRow("服务窗口", self.windows)
        form.addRow("", self.priority)
        form.addRow("", self.active)
        self.save_button = QPushButton("保存")
        self.save_button.setObjectName("primary")
        self.save_button.clicked.connect(self.save)
        self.message = message_label()
        self.message.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        form.addRow(buttons)
        form.addRow(self.message)
        self.form_title.setMinimumWidth(460)
        self.form_title.setMaximumWidth(560)
        self._fields: dict[str, QWidget] = {"name": self.name, "prefix": self.prefix, "windows": self.windows,
                                            "code": self.name}

        left = QVBoxLayout()
        left.addWidget(self.table, 1)
        left.addLayout(order)
        right = QVBoxLayout()
        right.addWidget(self.form_title)
        right.addStretch(1)
        both = QHBoxLayout()
        both.addLayout(left, 1)
        both.addLayout(right)
        layout = QVBoxLayout(self)
        layout.addWidget(label("排队叫号的窗口类型：取号机按此顺序显示，叫号屏显示启用类型的等候人数。", "hint"))
        layout.addWidget(self.notice)
        layout.addWidget(self.server_row)
        layout.addLayout(both, 1)
        self.tasks.busy_changed.connect(lambda _busy: self._enable())
        # Enter walks 名称 → 号码前缀 → 服务窗口 and saves from the last (it did nothing); the keys stay in the form
        self.keys = EnterMovesOn(self, [self.name, self.prefix, self.windows], self.save)
        ctx.tasks.changed.connect(self._changed)
        self.new()
        self.refresh()

    # -- reading ---------------------------------------------------------------------------------

    def _changed(self, changes: Changes) -> None:
        """Another administrator's change (pushed by the hall server) or a ticket: read again while on screen,
        else when shown next (on a hall server each reading is checked with the administrator's password)."""
        if changes.queue:
            self.refresh_when_seen()

    @property
    def login(self) -> str:
        return self.actor.actor_id.removeprefix("staff:")

    def refresh(self) -> None:
        if self.tasks.busy:
            self._dirty = True
            return
        self._dirty = self._stale = False
        actor, login, password = self.actor, self.login, self.password.text()

        def read(hall: Hall) -> _Read:
            from desktop.services import queue

            elsewhere = queue.managed_elsewhere(hall)
            if elsewhere is None:
                return _Read(queue.window_type_rows(hall, actor), None, False)
            if not password:
                return _Read([], elsewhere, False)
            from desktop.sync.enrolment import server_window_types

            return _Read(server_window_types(hall, login, password), elsewhere, True)

        self.tasks.run(read, self._read, self._read_failed)

    def _read_failed(self, error: BaseException) -> None:
        self._say(_message(error, "读取窗口类型"), "error")
        if self.elsewhere is not None:
            self.from_server = False
            self._show_rows([])
        self.refreshed.emit()

    def _read(self, read: _Read) -> None:
        self.elsewhere, self.from_server = read.elsewhere, read.from_server
        self.server_row.setVisible(read.elsewhere is not None)
        if read.elsewhere is None:
            set_tone(self.notice, "", "")
        elif read.from_server:
            set_tone(self.notice, "notice", f"{read.elsewhere}：以下是服务器上的窗口类型，保存即改在服务器上")
        else:
            set_tone(self.notice, "notice", f"{read.elsewhere}：请输入本人登录密码，读取并修改服务器上的窗口类型")
        self._show_rows(read.rows)
        if self._dirty:
            self.refresh()
            return
        self.refreshed.emit()

    def _show_rows(self, rows: list[WindowTypeRow]) -> None:
        self.rows = rows
        chosen = self._editing
        self.table.blockSignals(True)
        self.table.setRowCount(len(rows))
        for index, row in enumerate(rows):
            t = row.window_type
            values = (str(index + 1), t.prefix, t.name, windows_in_words(t.windows),
                      "是" if t.priority_allowed else "否", "启用" if t.active else "停用", f"{row.waiting} 人")
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                if not t.active:
                    item.setForeground(STOPPED)
                self.table.setItem(index, column, item)
            if t.code == chosen:
                self.table.selectRow(index)
        self.table.blockSignals(False)
        fit_columns(self.table)
        self._enable()

    def _selected(self) -> None:
        row = self.table.currentRow()
        if not 0 <= row < len(self.rows) or not self.table.selectionModel().hasSelection():
            return
        self.edit(self.rows[row].window_type)

    def edit(self, t: WindowType) -> None:
        """Put ``t`` into the form to change it."""
        self._editing = t.code
        self.form_title.setTitle(f"修改“{t.name}”")
        self.name.setText(t.name)
        self.prefix.setText(t.prefix)
        self.windows.setText(",".join(str(w) for w in t.windows))
        self.priority.setChecked(t.priority_allowed)
        self.active.setChecked(t.active)
        self._say("", "")
        self._enable()

    def new(self) -> None:
        """An empty form for a new type."""
        self._editing = ""
        self.table.clearSelection()
        self.form_title.setTitle("新增窗口类型")
        for field in (self.name, self.prefix, self.windows):
            field.clear()
        self.priority.setChecked(True)
        self.active.setChecked(True)
        self._say("", "")
        self._enable()
        self.name.setFocus()

    def _enable(self) -> None:
        here = self.elsewhere is None or self.from_server
        index = self.table.currentRow() if self._editing else -1
        for widget in (self.name, self.prefix, self.windows, self.priority, self.active, self.add_button):
            widget.setEnabled(here)
        self.save_button.setEnabled(here and not self.tasks.busy)
        self.load_button.setEnabled(not self.tasks.busy)
        here = here and not self.tasks.busy
        self.up.setEnabled(here and index > 0)
        self.down.setEnabled(here and 0 <= index < len(self.rows) - 1)

    def _say(self, text: str, tone: str) -> None:
        set_tone(self.message, tone, text)

    # -- changing --------------------------------------------------------------------------------

    def save(self) -> None:
        if self.tasks.busy or not (self.elsewhere is None or self.from_server):
            return
        actor, code, on_server = self.actor, self._editing, self.from_server
        login, password = self.login, self.password.text()
        name, prefix, windows = self.name.text(), self.prefix.text(), self.windows.text()
        priority, active = self.priority.isChecked(), self.active.isChecked()
        waiting = next((r.waiting for r in self.rows if r.window_type.code == code), 0)

        def work(hall: Hall) -> WindowType:
            from desktop.domain.queue import parse_windows
            from desktop.services import queue

            wanted = WindowType(code, name, prefix, parse_windows(windows), priority, active)
            if on_server:
                from desktop.sync.enrolment import save_server_window_type

                return save_server_window_type(hall, login, password, wanted)
            return queue.edit_window_type(hall, actor, wanted)

        def done(saved: WindowType) -> None:
            self._editing = saved.code
            self.form_title.setTitle(f"修改“{saved.name}”")
            stopped = (f"；已停用，不能再取号，正在等候的 {waiting} 人照常叫号" if not saved.active and waiting
                       else "；已停用，不能再取号" if not saved.active else "")
            self._say(f"已保存“{saved.name}”（前缀 {saved.prefix}，{windows_in_words(saved.windows)}）{stopped}", "ok")
            self.saved.emit(saved)
            self.refresh()

        self.tasks.run(work, done, self._refused)

    def _refused(self, error: BaseException) -> None:
        self._say(_message(error, "保存窗口类型"), "error")
        if isinstance(error, ValidationError) and error.field in self._fields:
            self._fields[error.field].setFocus()

    def move_selected(self, step: int) -> None:
        if self.tasks.busy or not self._editing:
            return
        actor, code, on_server = self.actor, self._editing, self.from_server
        login, password = self.login, self.password.text()

        def work(hall: Hall) -> object:
            if on_server:
                from desktop.sync.enrolment import move_server_window_type

                return move_server_window_type(hall, login, password, code, step)
            from desktop.services import queue

            return queue.move_window_type(hall, actor, code, step)

        self.tasks.run(work, lambda _order: self.refresh(), self._refused)
