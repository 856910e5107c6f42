"""待补打 / 打印记录: this PC's prints that a printer failed, the hall's kiosks' unprinted receipts, and the
printed documents of a case.

The print service keeps a failed print as a pending job with its PDF
(``desktop.services.printing``). Here the clerk prints it again once the printer
works (重新打印, the very same pages), or makes one more numbered copy of a
document already printed (补打, rendered again from the logged data with
补打（第N次） on the paper). A registration receipt cannot be copied from the log:
its query code is never stored. It is issued anew with a new query code instead,
after a confirmation that the old code stops working.

The receipts the hall's kiosks could not print today (``desktop.services.kiosk_prints``) are listed
between the two, newest first, with the kiosk, the time, why and the citizen's masked name: the
clerk prints one here (在本窗口打印), and no other counter lists it any more.

Every service call runs as an operation of the window's task manager (printing on
the devices executor); both lists are read again whenever a print job changes,
whichever window printed it. ``PrintQueueButton`` sits beside 打印… at the counter
and shows how many of this PC's documents wait (待补打 (2)).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtGui import QGuiApplication, QShowEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.documents.model import DocumentKind, Media, RenderedDocument
from desktop.documents.render import render
from desktop.domain.access import Permission
from desktop.printing.base import Printer
from desktop.services import kiosk_prints, printing
from desktop.services.kiosk_prints import KioskPrint
from desktop.services.printing import PrintJob, PrintOutcome
from ui.common.widgets import label, message_label, read_only_table, secondary_button, set_tone, stamp_words
from ui.printing.preview import printer_choices_for
from ui.printing.queue_model import (
    RECEIPT,
    actions_for,
    had_receipt,
    hint_for,
    kiosk_hint,
    reason_text,
    receipt_button_text,
)
from ui.shell.context import WorkContext
from ui.shell.errors import user_message
from ui.shell.tasks import Executor

if TYPE_CHECKING:
    from desktop.services.changes import Changes

#: Printers offered for a job: (text, printer), the configured one first.
Choices = Callable[[DocumentKind, Media], Sequence[tuple[str, Printer]]]

PENDING_COLUMNS = ("时间", "文书", "文号", "案件编号", "未打印的原因")
LOG_COLUMNS = ("时间", "文书", "文号", "份次", "状态", "打印机", "经办人")
KIOSK_COLUMNS = ("时间", "回执", "事项编号 / 号码", "来访人", "自助终端", "未打印的原因")
_BACKENDS: Mapping[str, str] = {"system": "系统打印机", "escpos": "热敏打印机", "pdf": "保存为PDF文件",
                                "sim": "模拟打印机"}
# Room for the confirmation's sentences (Qt's own names for QMessageBox's text labels).
_CONFIRM_STYLE = "QLabel#qt_msgbox_label, QLabel#qt_msgbox_informativelabel { min-width: 520px; }"
_ATTENTION_STYLE = ("QPushButton { background: #b26a00; color: white; border: 1px solid #b26a00; }"
                    "QPushButton:hover { background: #c77a0a; }"
                    "QPushButton:focus { border: 2px solid #12355b; padding: 7px 17px; }")  # amber on amber: dark


def printer_text(name: str) -> str:
    """A logged printer name (``system:HP-2F``) as the clerk knows it."""
    backend, _sep, target = name.partition(":")
    kind = _BACKENDS.get(backend, name)
    if backend == "system":
        return f"{kind} {target}" if target else "系统默认打印机"
    return kind


def fitted_size(room_width: int, room_height: int) -> tuple[int, int]:
    """The dialog's size on a screen with that room: never taller or wider than the screen (1366×768 included)."""
    return min(1180, room_width * 9 // 10), min(820, room_height * 85 // 100)


def _when(at: str) -> str:
    return stamp_words(at)


def _document(job: PrintJob) -> str:
    return job.title or job.kind


def _table(columns: Sequence[str]) -> QTableWidget:
    table = read_only_table(columns)
    table.horizontalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    # the last column (a printer's reason in its own words) wraps in the room left, its row as high as it needs:
    # at 1366×768 a long reason ran off the list's right edge
    table.setWordWrap(True)
    table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    return table


@dataclass(frozen=True)
class QueueSnapshot:
    """Both lists as read in one go."""

    pending: list[PrintJob]
    log: list[PrintJob]
    kiosk: list[KioskPrint]
    elsewhere: str | None = None  # the device the case on screen was registered on, when not this PC


@dataclass(frozen=True)
class _Acted:
    """What an action came to; ``reissued``: the case's query code was reset on the way (``first``: the case's
    first receipt, the citizen's first query code)."""

    outcome: PrintOutcome
    reissued: bool = False
    first: bool = False


class PrintQueueDialog(QDialog):
    """待补打 (this PC) above, the print log of the case on screen below; one job selected at a time."""

    refreshed = Signal()  # both lists read again (or the reading failed, said in the message)
    changed = Signal(object)  # PrintOutcome of 重新打印 / 补打 / 补打回执, printed or kept as pending

    def __init__(self, ctx: WorkContext, case_number: str | None, *, choices: Choices | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.actor, self.case_number = ctx, ctx.actor, case_number or None
        self.setWindowTitle("待补打 / 打印记录")
        screen = (parent.screen() if parent is not None else None) or QGuiApplication.primaryScreen()
        room = screen.availableGeometry()
        self.resize(*fitted_size(room.width(), room.height()))
        self.tasks = ctx.group(self)
        self.pending: list[PrintJob] = []
        self.log: list[PrintJob] = []
        self.elsewhere: str | None = None
        self.kiosk: list[KioskPrint] = []
        self.selected: PrintJob | None = None
        self.kiosk_selected: KioskPrint | None = None  # a kiosk's unprinted receipt (then ``selected`` is None)
        self._follow: int | None = None  # the job an action just made: selected once the lists are read
        self.confirmation: QMessageBox | None = None
        self.reset_button: QPushButton | None = None  # 补打并重置查询码, in the confirmation
        settings = ctx.settings
        self._choices: Choices = choices or (lambda kind, media: printer_choices_for(settings, kind, media))
        self._choice_cache: dict[tuple[DocumentKind, Media], list[tuple[str, Printer]]] = {}
        self._printers_for: tuple[DocumentKind, Media] | None = None

        self.pending_title = label("", "subtitle")
        self.pending_table = _table(PENDING_COLUMNS)
        self.kiosk_title = label("", "subtitle")
        self.kiosk_table = _table(KIOSK_COLUMNS)
        self.log_title = label("", "subtitle")
        self.log_table = _table(LOG_COLUMNS)
        self.hint = label("", "hint")
        self.printer = QComboBox()
        self.message = message_label()
        self.retry_button = QPushButton("重新打印")
        self.reprint_button = QPushButton("补打")
        self.reissue_button = secondary_button(receipt_button_text(True))
        self.kiosk_button = QPushButton("在本窗口打印")
        self.refresh_button = secondary_button("刷新")
        self.close_button = secondary_button("关闭")

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setChildrenCollapsible(False)
        for title, table in ((self.pending_title, self.pending_table), (self.kiosk_title, self.kiosk_table),
                             (self.log_title, self.log_table)):
            section = QWidget()
            column = QVBoxLayout(section)
            column.setContentsMargins(0, 0, 0, 4)
            column.addWidget(title)
            column.addWidget(table, 1)
            splitter.addWidget(section)
        splitter.setSizes([180, 260, 260])
        chooser = QHBoxLayout()
        chooser.addWidget(QLabel("打印机"))
        chooser.addWidget(self.printer, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.refresh_button)
        buttons.addStretch(1)
        for button in (self.reissue_button, self.reprint_button, self.retry_button, self.kiosk_button,
                       self.close_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.hint)
        layout.addLayout(chooser)
        layout.addWidget(self.message)
        layout.addLayout(buttons)

        self.pending_table.itemSelectionChanged.connect(lambda: self._picked(self.pending_table))
        self.log_table.itemSelectionChanged.connect(lambda: self._picked(self.log_table))
        self.kiosk_table.itemSelectionChanged.connect(lambda: self._picked(self.kiosk_table))
        self.kiosk_button.clicked.connect(self.print_kiosk_selected)
        self.retry_button.clicked.connect(self.retry_selected)
        self.reprint_button.clicked.connect(self.reprint_selected)
        self.reissue_button.clicked.connect(self.confirm_reissue)
        self.refresh_button.clicked.connect(self.refresh)
        self.close_button.clicked.connect(self.accept)
        self.tasks.busy_changed.connect(self._busy)
        ctx.tasks.changed.connect(self._changed)
        self._listening = True
        self._show_titles()
        self._show_selected()
        self.refresh()

    def _changed(self, changes: Changes) -> None:
        if changes.print_jobs:
            self.refresh()

    # -- reading -----------------------------------------------------------------------------------

    def refresh(self) -> None:
        actor, case = self.actor, self.case_number
        self.tasks.run(lambda hall: QueueSnapshot(printing.pending_here(hall, actor),
                                                  printing.print_log(hall, actor, case) if case else [],
                                                  kiosk_prints.waiting(hall, actor),
                                                  printing.registered_elsewhere(hall, case) if case else None),
                       self._loaded, self._load_failed)

    def _loaded(self, snapshot: QueueSnapshot) -> None:
        keep = self._follow or (self.selected.job_id if self.selected else None)
        keep_kiosk = self.kiosk_selected.print_id if self.kiosk_selected and not self._follow else None
        self._follow = None
        self.pending, self.log, self.kiosk = snapshot.pending, snapshot.log, snapshot.kiosk
        self.elsewhere = snapshot.elsewhere
        self._fill(self.pending_table, [(_when(j.at), _document(j) + (f"（{j.copy_label}）" if j.copy_label else ""),
                                         j.document_number or "—", j.case_number or "—", reason_text(j))
                                        for j in self.pending])
        self._fill(self.log_table, [(_when(j.at), _document(j), j.document_number or "—", j.copy_label or "原件",
                                     j.status_text, printer_text(j.printer), j.actor_name)
                                    for j in self.log])
        self._fill(self.kiosk_table, [(_when(k.failed_at), k.title, k.number or "—", k.citizen or "—", k.kiosk,
                                       k.error or "打印中断") for k in self.kiosk])
        self._show_titles()
        self.reissue_button.setText(receipt_button_text(had_receipt(self.log)))
        self._select(keep, keep_kiosk)
        self.refreshed.emit()

    def _load_failed(self, error: Exception) -> None:
        set_tone(self.message, "error", user_message(error, "读取打印记录"))
        self.refreshed.emit()

    def _fill(self, table: QTableWidget, rows: Sequence[Sequence[str]]) -> None:
        with QSignalBlocker(table):
            table.clearSelection()
            table.setRowCount(len(rows))
            table.setCurrentCell(-1, -1)
            for row, values in enumerate(rows):
                for column, value in enumerate(values):
                    item = QTableWidgetItem(value)
                    item.setToolTip(value)
                    table.setItem(row, column, item)
            table.resizeColumnsToContents()
        header = table.horizontalHeader()
        header.setSectionResizeMode(header.count() - 1, QHeaderView.ResizeMode.Stretch)

    def _show_titles(self) -> None:
        device = self.ctx.settings.device_code
        count = len(self.pending)
        self.pending_title.setText(f"待补打（本机 {device}）：{count} 份" if count
                                           else f"待补打（本机 {device}）：没有，打印均已完成")
        waiting = len(self.kiosk)
        self.kiosk_title.setText(f"自助终端未打印的回执（今天）：{waiting} 份，最新的在前" if waiting
                                 else "自助终端未打印的回执（今天）：没有")
        if self.case_number:
            self.log_title.setText(f"打印记录：{self.case_number}（{len(self.log)} 次打印）")
        else:
            self.log_title.setText("打印记录：请先在查询结果中选中一件事项")

    # -- selection: one job, from either list ------------------------------------------------------

    def _select(self, job_id: int | None, print_id: str | None = None) -> None:
        self.selected = self.kiosk_selected = None
        for table, jobs in ((self.pending_table, self.pending), (self.log_table, self.log)):
            row = next((r for r, job in enumerate(jobs) if job.job_id == job_id), None)
            if row is not None and self.selected is None:
                with QSignalBlocker(table):
                    table.selectRow(row)
                self.selected = jobs[row]
        row = next((r for r, found in enumerate(self.kiosk) if found.print_id == print_id), None)
        if row is not None and self.selected is None:
            with QSignalBlocker(self.kiosk_table):
                self.kiosk_table.selectRow(row)
            self.kiosk_selected = self.kiosk[row]
        self._show_selected()

    def _picked(self, table: QTableWidget) -> None:
        lists: list[tuple[QTableWidget, Sequence[PrintJob | KioskPrint]]] = [
            (self.pending_table, self.pending), (self.kiosk_table, self.kiosk), (self.log_table, self.log)]
        rows = table.selectionModel().selectedRows()
        if rows:
            for other, _items in lists:
                if other is not table:
                    with QSignalBlocker(other):
                        other.clearSelection()
            items = next(i for t, i in lists if t is table)
            row = rows[0].row()
            chosen = items[row] if row < len(items) else None
            self.selected = chosen if isinstance(chosen, PrintJob) else None
            self.kiosk_selected = chosen if isinstance(chosen, KioskPrint) else None
        elif not any(t.selectionModel().hasSelection() for t, _i in lists):
            self.selected = self.kiosk_selected = None
        self._show_selected()

    def _show_selected(self) -> None:
        self._offer_printers(self.selected, self.kiosk_selected)
        self.hint.setText(kiosk_hint(self.kiosk_selected) if self.kiosk_selected else
                          hint_for(self.selected, case_number=self.case_number, receipt_before=had_receipt(self.log),
                                   elsewhere=self.elsewhere))
        self._busy(self.tasks.busy)

    def _offer_printers(self, job: PrintJob | None, found: KioskPrint | None = None) -> None:
        """The printers for the selected job's kind (with nothing selected, for the registration receipt of the case
        on screen); the clerk's choice stays while the kind does."""
        key: tuple[DocumentKind, Media] | None = None
        if job is None and found is None and self.case_number:
            key = (DocumentKind.REGISTRATION_RECEIPT, Media.ROLL_80)
        elif job is not None or found is not None:
            try:
                key = ((DocumentKind(job.kind), Media(job.media)) if job is not None else
                       (DocumentKind(found.kind), Media.ROLL_80) if found is not None else None)
            except ValueError:
                key = None
        if key == self._printers_for:
            return
        self._printers_for = key
        self.printer.clear()
        if key is None:
            return
        if key in self._choice_cache:
            self._fill_printers(key, self._choice_cache[key])
            return
        choices = self._choices  # the system's queues are asked for off the GUI thread
        self.printer.addItem("正在查找打印机……")
        self.tasks.run(lambda _hall: list(choices(*key)), lambda found: self._found_printers(key, found),
                       lambda error: self._printers_failed(key, error), executor=Executor.DEVICES)

    def _printers_failed(self, key: tuple[DocumentKind, Media], error: Exception) -> None:
        """Said, and asked again the next time a document of that kind is selected."""
        set_tone(self.message, "error", user_message(error, "查找打印机"))
        if key == self._printers_for:
            self.printer.clear()
            self._printers_for = None

    def _found_printers(self, key: tuple[DocumentKind, Media], found: list[tuple[str, Printer]]) -> None:
        self._choice_cache[key] = found
        if key == self._printers_for:
            self._fill_printers(key, found)

    def _fill_printers(self, key: tuple[DocumentKind, Media], choices: list[tuple[str, Printer]]) -> None:
        self.printer.clear()
        for text, printer in choices:
            self.printer.addItem(text, printer)
        self._busy(self.tasks.busy)

    def selected_printer(self) -> Printer | None:
        printer: Printer | None = self.printer.currentData()
        return printer

    def _busy(self, busy: bool) -> None:
        offered = actions_for(self.selected, busy=busy, has_printer=self.selected_printer() is not None,
                              case_on_screen=bool(self.case_number) and self.kiosk_selected is None)
        self.retry_button.setEnabled(offered.retry)
        self.reprint_button.setEnabled(offered.reprint)
        self.reissue_button.setEnabled(offered.reissue)
        self.kiosk_button.setEnabled(self.kiosk_selected is not None and not busy
                                     and self.selected_printer() is not None)
        self.refresh_button.setEnabled(not busy)
        self.printer.setEnabled(not busy and self.printer.count() > 0)

    # -- actions -----------------------------------------------------------------------------------

    def retry_selected(self) -> None:
        job, printer = self.selected, self.selected_printer()
        if job is None or printer is None or self.tasks.busy:
            return
        set_tone(self.message, "notice", f"正在重新打印{_document(job)}，送往{printer.describe()}……")
        actor = self.actor
        self.tasks.run(lambda hall: _Acted(printing.retry(hall, actor, job.job_id, printer)), self._acted,
                       self._refused, executor=Executor.DEVICES)

    def reprint_selected(self) -> None:
        job, printer = self.selected, self.selected_printer()
        if job is None or printer is None or self.tasks.busy:
            return
        kind = DocumentKind(job.kind)

        def again(data: Mapping[str, Any], copy_label: str) -> RenderedDocument:
            return render(kind, data, copy_label=copy_label)

        set_tone(self.message, "notice", f"正在补打{_document(job)}，送往{printer.describe()}……")
        actor = self.actor
        self.tasks.run(lambda hall: _Acted(printing.reprint(hall, actor, job.job_id, again, printer)),
                       self._acted, self._refused, executor=Executor.DEVICES)

    def print_kiosk_selected(self) -> None:
        """Print a kiosk's receipt here; a registration receipt (a new query code) is asked first."""
        found, printer = self.kiosk_selected, self.selected_printer()
        if found is None or printer is None or self.tasks.busy:
            return
        if found.kind == RECEIPT:
            self._ask_reset("打印登记回执", f"在本窗口打印事项 {found.case_number} 的登记回执，将重新生成查询码。",
                            "自助终端屏幕上显示过的查询码将立即失效，信访人须凭新回执查询办理进度。\n\n确定打印吗？",
                            "打印并重置查询码", lambda button: self._kiosk_confirmed(button, found))
            return
        self._print_kiosk(found, printer)

    def _kiosk_confirmed(self, button: QAbstractButton, found: KioskPrint) -> None:
        printer = self.selected_printer()
        if button is not self.reset_button or printer is None or self.tasks.busy:
            set_tone(self.message, "", "")
            return
        self._print_kiosk(found, printer)

    def _print_kiosk(self, found: KioskPrint, printer: Printer) -> None:
        set_tone(self.message, "notice", f"正在打印{found.kiosk}未打印的{found.title}，送往{printer.describe()}……")
        actor, print_id = self.actor, found.print_id
        reissued = found.kind == RECEIPT
        self.tasks.run(lambda hall: _Acted(kiosk_prints.print_at_counter(hall, actor, print_id, printer),
                                           reissued=reissued),
                       self._acted, self._refused, executor=Executor.DEVICES)

    def confirm_reissue(self) -> None:
        """The selected receipt's case, or the case on screen: its first receipt prints at once (a query code for
        the citizen); a later one is asked first (a new query code, and the citizen's old one stops working)."""
        job = self.selected
        case = job.case_number if job is not None else self.case_number
        if (job is not None and job.kind != RECEIPT) or not case or self.tasks.busy:
            return
        actor = self.actor
        self.tasks.run(lambda hall: (printing.next_receipt_copy(hall, actor, case),
                                     printing.registered_elsewhere(hall, case)),
                       lambda found: self._ask_reissue(case, *found), self._refused)

    def _ask_reissue(self, case: str, copy: int, elsewhere: str | None = None) -> None:
        if not copy and elsewhere:
            # no receipt here, but the case was registered on another device: its receipt may be in the citizen's
            # hand, and this one would end the code printed on it
            self._ask_reset("打印登记回执",
                            f"事项 {case} 是在其他设备（编码 {elsewhere}）登记的，本机没有它打印回执的记录。",
                            "打印登记回执将生成新的查询码。信访人如已在那里拿到回执，旧回执上的查询码将立即失效，"
                            "须凭新回执查询办理进度。\n\n确定打印吗？", "打印并生成查询码",
                            lambda button: self._confirmed(button, case, first=True))
            return
        if not copy:
            self._print_receipt(case, first=True)
            return
        label_text = printing.copy_label(copy)
        self._ask_reset("补打登记回执", f"补打事项 {case} 的登记回执，将重新生成查询码。",
                        f"旧回执上的查询码将立即失效，信访人须凭新回执查询办理进度。新回执上注明“{label_text}”。"
                        "\n\n确定补打吗？", "补打并重置查询码", lambda button: self._confirmed(button, case))

    def _ask_reset(self, title: str, text: str, informative: str, accept: str,
                   answered: Callable[[QAbstractButton], None]) -> None:
        """The question before a receipt that resets its query code: ``accept`` or 取消 (the default)."""
        box = QMessageBox(QMessageBox.Icon.Warning, title, text, parent=self)
        box.setInformativeText(informative)
        self.reset_button = box.addButton(accept, QMessageBox.ButtonRole.AcceptRole)
        cancel = box.addButton("取消", QMessageBox.ButtonRole.RejectRole)
        box.setStyleSheet(_CONFIRM_STYLE)
        box.setDefaultButton(cancel)
        box.setEscapeButton(cancel)
        box.buttonClicked.connect(answered)
        self.confirmation = box
        box.open()

    def _confirmed(self, button: QAbstractButton, case: str, *, first: bool = False) -> None:
        if button is not self.reset_button:
            set_tone(self.message, "", "")
            return
        self._print_receipt(case, first=first)

    def _print_receipt(self, case: str, *, first: bool) -> None:
        printer = self.selected_printer()
        if printer is None or self.tasks.busy:
            return
        doing = "打印" if first else "补打"
        set_tone(self.message, "notice", f"正在{doing}事项 {case} 的登记回执，送往{printer.describe()}……")
        actor = self.actor
        self.tasks.run(lambda hall: _Acted(printing.reissue_receipt(hall, actor, case, printer), reissued=True,
                                           first=first),
                       self._acted, self._refused, executor=Executor.DEVICES)

    def _acted(self, acted: _Acted) -> None:
        outcome = acted.outcome
        text = outcome.message
        if acted.first:
            text += ("。已为信访人生成查询码，请将回执交给信访人，凭回执上的查询码查询办理进度、评价" if outcome.printed
                     else "。已生成查询码：请在打印机恢复后重新打印这份回执，交给信访人")
        elif acted.reissued:
            text += ("。查询码已重置，旧回执上的查询码不再有效" if outcome.printed
                     else "。查询码已重置，旧回执上的查询码不再有效：请在打印机恢复后重新打印这份回执")
        set_tone(self.message, "ok" if outcome.printed else "error", text)
        self._follow = outcome.job.job_id  # where the result landed: the printed copy, or the job pending again
        self.changed.emit(outcome)
        self.refresh()

    def _refused(self, error: Exception) -> None:
        set_tone(self.message, "error", user_message(error, "打印"))
        self.refresh()

    def done(self, result: int) -> None:
        self.tasks.wait()  # a print on its way finishes and is logged before the dialog goes
        if self._listening:  # closed: no more reading of the lists
            self._listening = False
            self.ctx.tasks.changed.disconnect(self._changed)
        super().done(result)


class PrintQueueButton(QPushButton):
    """待补打 (n) beside 打印…: this PC's failed prints and the kiosks' unprinted receipts of the day at a glance;
    opens 待补打 / 打印记录.

    ``current_case`` gives the number of the case on screen (or ``None``) for the print log.
    The count is read when the button is shown and whenever a print job changes.
    """

    counted = Signal(int)
    opened = Signal(object)  # the PrintQueueDialog

    def __init__(self, ctx: WorkContext, current_case: Callable[[], str | None], *,
                 choices: Choices | None = None) -> None:
        super().__init__()
        self.ctx, self.actor, self.current_case = ctx, ctx.actor, current_case
        self._choices = choices
        self.tasks = ctx.group(self)
        self.count = 0
        self.dialog: PrintQueueDialog | None = None
        self._show_count(0)
        self.clicked.connect(self.open_queue)
        ctx.tasks.changed.connect(self._changed)

    def refresh(self) -> None:
        if not self.actor.may(Permission.PRINT):
            return
        actor = self.actor
        self.tasks.run(lambda hall: (len(printing.pending_here(hall, actor)), len(kiosk_prints.waiting(hall, actor))),
                       self._counted, self._count_failed)

    def _changed(self, changes: Changes) -> None:
        if changes.print_jobs:
            self.refresh()

    def open_queue(self) -> PrintQueueDialog:
        if self.dialog is not None:
            self.dialog.deleteLater()
        self.dialog = PrintQueueDialog(self.ctx, self.current_case(), choices=self._choices, parent=self)
        self.dialog.open()
        self.opened.emit(self.dialog)
        return self.dialog

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh()

    def _counted(self, counts: tuple[int, int]) -> None:
        self._show_count(*counts)
        self.counted.emit(sum(counts))

    def _count_failed(self, error: Exception) -> None:
        self.setToolTip(f"未能读取待补打的文书：{user_message(error, '读取待补打')}")

    def _show_count(self, count: int, kiosk: int = 0) -> None:
        self.count = count + kiosk
        self.setObjectName("" if self.count else "secondary")  # before the style sheet, which re-polishes
        if self.count:
            self.setText(f"待补打 ({self.count})")
            parts = ([f"本机有 {count} 份文书因打印机故障未打印"] if count else []) + \
                ([f"自助终端今天有 {kiosk} 份回执未能打印，来访人会到窗口来取"] if kiosk else [])
            self.setToolTip("；".join(parts) + "，点此打印")
            self.setStyleSheet(_ATTENTION_STYLE)
        else:
            self.setText("打印记录")
            self.setToolTip("查看本事项的打印记录，补打已打印的文书")
            self.setStyleSheet("")
