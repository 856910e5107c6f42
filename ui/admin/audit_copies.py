"""服务器上的审计副本: the copies of the devices' audit logs the server keeps, read from the administrator's desk.

The person signed in (a supervisor or an administrator) types their own password — checked by the
server with each request, never kept here — and reads the list: each device in words, its hall
(or the hall server its copy came through), the entries held, the newest one, when it arrived.
Picking a device shows its entries a hundred at a time, newest first, in the words of the local
audit log (who, what, on what, when), and the server's word on whether the copy continues
without a gap. The note says plainly what that check cannot see: the entries' own hashes are keyed
with the device's audit key, which never leaves the device.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QHBoxLayout, QHeaderView, QTableWidgetItem, QVBoxLayout, QWidget

from desktop.domain.calendar import stamp_in_words
from ui.admin.audit import ALARMING, describe_actor, describe_detail, describe_target, unit_names, when_words
from ui.common.widgets import (
    RefreshingPanel,
    ServerPasswordRow,
    label,
    message_label,
    read_only_table,
    secondary_button,
    set_tone,
)
from ui.shell.context import WorkContext
from ui.shell.errors import user_message
from ui.shell.tasks import Executor

if TYPE_CHECKING:
    from desktop.services.changes import Changes
    from desktop.services.context import Hall
    from desktop.sync.audit_copies import CopiedEntries
    from server.protocol import AuditCopyEntry

NOTE = ("服务器为每台设备保存一份审计日志副本，只增不改；经大厅服务器转来的副本按转来的大厅分开保存。"
        "服务器能核对一份副本是否连续——序号前后相接、每条记下的“前一条哈希”与前一条相符——"
        "但不能核验每条记录本身的哈希：它用设备的审计密钥计算，密钥只在设备上，从不上传。"
        "记录的内容是否被改动过，请到该设备上用“审计日志 → 核验完整性”核验。")
ALARM = QColor("#b3261e")


def _message(error: BaseException, doing: str) -> str:
    from server.protocol import SyncProblem

    return error.message if isinstance(error, SyncProblem) else user_message(error, doing)


class AuditCopiesPanel(RefreshingPanel):
    """服务器上的审计副本 (see the module's docstring)."""

    COPY_COLUMNS = ("设备", "所在大厅", "服务器保存的记录", "最新一条", "最新操作", "收到于")
    ENTRY_COLUMNS = ("序号", "时间", "操作人", "操作", "对象", "详情")
    refreshed = Signal()  # the list read (or refused)
    opened = Signal()  # a device's page read (or refused)

    def __init__(self, ctx: WorkContext) -> None:
        super().__init__()
        self.ctx, self.actor = ctx, ctx.actor
        self.tasks = ctx.group(self)
        self.copies: list[AuditCopyEntry] = []
        self.chosen: AuditCopyEntry | None = None
        self.shown: CopiedEntries | None = None
        self.units: dict[str, str] | None = None
        self._next: tuple[AuditCopyEntry, int] | None = None
        self._again = False

        self.notice = message_label()
        self.server_row = ServerPasswordRow("审计副本", self.refresh, "本人密码")
        self.password, self.load_button = self.server_row.password, self.server_row.load_button
        self.copies_table = read_only_table(self.COPY_COLUMNS)
        self.copies_table.itemSelectionChanged.connect(self._picked)

        self.title = label("", "subtitle")
        self.continuity = message_label()
        self.newer = secondary_button("较新的 100 条")
        self.older = secondary_button("较早的 100 条")
        self.newer.clicked.connect(lambda: self.turn(-1))
        self.older.clicked.connect(lambda: self.turn(1))
        pages = QHBoxLayout()
        pages.addWidget(self.title, 1)
        pages.addWidget(self.newer)
        pages.addWidget(self.older)
        self.entries_table = read_only_table(self.ENTRY_COLUMNS)
        self.device_part = QWidget()
        device = QVBoxLayout(self.device_part)
        device.setContentsMargins(0, 0, 0, 0)
        device.addLayout(pages)
        device.addWidget(self.continuity)
        device.addWidget(self.entries_table, 1)
        self.device_part.hide()

        note = label(NOTE, "hint")
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.server_row)
        layout.addWidget(self.notice)
        layout.addWidget(self.copies_table)
        layout.addWidget(self.device_part, 1)
        layout.addStretch(0)
        self.tasks.busy_changed.connect(lambda _busy: self._enable())
        self.tasks.settled.connect(self._read_again)
        ctx.tasks.changed.connect(self._changed)
        self._say("notice", "请输入本人登录密码，读取服务器上各设备的审计副本")
        self._enable()

    # -- the list --------------------------------------------------------------------------------

    @property
    def login(self) -> str:
        return self.actor.actor_id.removeprefix("staff:")

    def _changed(self, changes: Changes) -> None:
        """This desk synced (its own entries went up): read again while on screen, if already read."""
        if changes.sync and self.copies:
            self.refresh_when_seen()

    def refresh(self) -> None:
        self._stale = False
        if self.tasks.busy:
            self._again = True  # read when the reading under way is done
            return
        self._again = False
        login, password, units = self.login, self.password.text(), self.units
        if not password:
            self._say("notice", "请输入本人登录密码，读取服务器上各设备的审计副本")
            self.password.setFocus()
            return

        def read(hall: Hall) -> tuple[list[AuditCopyEntry], dict[str, str]]:
            from desktop.sync.audit_copies import server_audit_copies

            return server_audit_copies(hall, login, password), units or unit_names()

        self._say("notice", "正在读取服务器上的审计副本……")
        self.tasks.run(read, self._listed, self._list_refused, executor=Executor.DEVICES)

    def _read_again(self) -> None:
        if self._again and not self.tasks.busy:
            self.refresh()

    def _list_refused(self, error: BaseException) -> None:
        """Refused (a wrong password) or out of reach: nothing read before stays on screen as if it were current."""
        self._say("error", _message(error, "读取服务器上的审计副本"))
        self.copies, self.chosen, self.shown = [], None, None
        self.copies_table.setRowCount(0)
        self.device_part.hide()
        self._enable()
        self.refreshed.emit()

    def _listed(self, listed: tuple[list[AuditCopyEntry], dict[str, str]]) -> None:
        self.copies, self.units = listed
        relayed = sum(c.relayed for c in self.copies)
        through = f"（其中 {relayed} 台经大厅服务器转来）" if relayed else ""
        self._say("ok" if self.copies else "notice",
                  f"服务器保存着 {len(self.copies)} 台设备的审计副本{through}；选中一台查看其记录" if self.copies
                  else "服务器尚未收到任何设备的审计记录")
        chosen = self.chosen
        table = self.copies_table
        table.blockSignals(True)
        table.setRowCount(len(self.copies))
        for row, c in enumerate(self.copies):
            held = f"第{c.first_seq}–{c.last_seq}条（共{c.entries}条）"
            for column, value in enumerate((c.device, c.hall, held, stamp_in_words(c.last_at), c.last_action,
                                                     stamp_in_words(c.received_at))):
                table.setItem(row, column, QTableWidgetItem(value))
            if chosen is not None and (c.device_id, c.relayed_by) == (chosen.device_id, chosen.relayed_by):
                table.selectRow(row)
        table.blockSignals(False)
        self._fit_copies()
        again = next((c for c in self.copies if chosen is not None
                      and (c.device_id, c.relayed_by) == (chosen.device_id, chosen.relayed_by)), None)
        if again is None:
            self.chosen = self.shown = None
            self.device_part.hide()
        self.refreshed.emit()
        if again is not None:
            self.open(again, self.shown.page if self.shown is not None else 1)

    def _fit_copies(self) -> None:
        """Columns to their words (the hall's takes the room left); as tall as its rows, up to eight, so the
        device's entries below get the screen."""
        table = self.copies_table
        header = table.horizontalHeader()
        header.setStretchLastSection(False)  # (before sizing: a stretched last column is left as it was)
        table.resizeColumnsToContents()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        rows = max(min(table.rowCount(), 8), 1)
        height = table.verticalHeader().defaultSectionSize()
        table.setMaximumHeight(header.sizeHint().height() + rows * height + 2 * table.frameWidth() + 2)

    def _picked(self) -> None:
        row = self.copies_table.currentRow()
        if 0 <= row < len(self.copies) and self.copies_table.selectionModel().hasSelection():
            self.open(self.copies[row])

    # -- one device's entries ----------------------------------------------------------------------

    def open(self, copy: AuditCopyEntry, page: int = 1) -> None:
        """Read ``page`` of ``copy``'s entries (newest first) and whether the copy continues."""
        if self.tasks.busy:
            self._next = (copy, page)  # picked while a reading is under way: read when it is done
            return
        self.chosen, self._next = copy, None
        login, password = self.login, self.password.text()

        def read(hall: Hall) -> CopiedEntries:
            from desktop.sync.audit_copies import server_audit_entries

            return server_audit_entries(hall, login, password, copy, page)

        self.tasks.run(read, self._shown, self._page_refused, executor=Executor.DEVICES)

    def turn(self, step: int) -> None:
        """``-1``: the newer hundred; ``1``: the older."""
        if self.chosen is not None and self.shown is not None:
            self.open(self.chosen, self.shown.page + step)

    def _page_refused(self, error: BaseException) -> None:
        self._say("error", _message(error, "读取设备的审计副本"))
        self._then()

    def _then(self) -> None:
        """Read what was picked meanwhile, else tell that this reading is over."""
        if self._next is not None:
            self.open(*self._next)
        else:
            self.opened.emit()

    def _shown(self, shown: CopiedEntries) -> None:
        self.shown = shown
        copy = self.chosen
        assert copy is not None
        first, last = (shown.entries[-1].seq, shown.entries[0].seq) if shown.entries else (0, 0)
        self.title.setText(f"{copy.device}：第{first}–{last}条（第{shown.page}页，共{shown.pages}页；"
                           f"每页 100 条，最新的在前）")
        set_tone(self.continuity, "ok" if shown.continuous else "error",
                 ("副本连续：" if shown.continuous else "") + shown.summary)
        units = self.units or {}
        table = self.entries_table
        table.setRowCount(len(shown.entries))
        for row, (entry, received) in enumerate(zip(shown.entries, shown.received_at, strict=True)):
            values = (str(entry.seq), when_words(entry.at), describe_actor(entry), entry.action,
                      describe_target(entry.target), describe_detail(entry.detail, units))
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                if column == 1:
                    item.setToolTip(f"服务器收到于 {stamp_in_words(received)}")
                if entry.action in ALARMING:
                    item.setForeground(ALARM)
                table.setItem(row, column, item)
        table.resizeColumnsToContents()
        table.horizontalHeader().setSectionResizeMode(len(self.ENTRY_COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)
        table.scrollToTop()
        self.device_part.show()
        self._enable()
        self._then()

    # -- state -----------------------------------------------------------------------------------

    def _enable(self) -> None:
        busy = self.tasks.busy
        self.load_button.setEnabled(not busy)
        page, pages = (self.shown.page, self.shown.pages) if self.shown is not None else (1, 1)
        self.newer.setEnabled(not busy and page > 1)
        self.older.setEnabled(not busy and page < pages)

    def _say(self, tone: str, text: str) -> None:
        set_tone(self.notice, tone, text)
