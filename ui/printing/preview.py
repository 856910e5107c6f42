"""Print preview at the counter: the pages as they will print, a printer, 打印 / 另存为PDF / 取消.

The pages are rasterised once when the dialog opens and scaled to the width of
the view. Printing goes through ``desktop.services.printing`` on a worker thread
(a 300 dpi A4 page takes a moment); if the printer fails the service keeps the
job with its PDF, and the dialog says so in plain words and stays open.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any, Final

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QPixmap, QResizeEvent
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop.config import Settings
from desktop.documents.model import DocumentKind, Media, RenderedDocument
from desktop.printing.base import Printer, PrinterError, PrintResult, Problem
from desktop.printing.factory import printer_for
from desktop.printing.pdf_file import PdfFilePrinter, file_stem
from desktop.printing.qt import QtSystemPrinter, system_queues, to_qimage
from desktop.printing.raster import iter_pages
from desktop.printing.spec import PrinterSpecError
from desktop.services import printing
from desktop.services.context import Hall
from desktop.services.printing import PrintOutcome
from ui.common.widgets import ask, button_row, label, message_label, secondary_button, set_tone
from ui.shell.context import WorkContext
from ui.shell.errors import user_message
from ui.shell.tasks import Executor

if TYPE_CHECKING:
    from PySide6.QtGui import QAction

    from desktop.domain.case import CaseView
    from desktop.domain.events import Event

PREVIEW_DPI = 110  # sharp enough on a 1080p screen at fit-width, quick to render
PAGE_GAP = 16


def printer_choices(settings: Settings, doc: RenderedDocument) -> list[tuple[str, Printer]]:
    """The configured printer for this kind of document first, then every other system queue.

    Asks the system for its queues (CUPS, the Windows spooler): call it off the GUI thread.
    """
    return printer_choices_for(settings, doc.kind, doc.media)


def printer_choices_for(settings: Settings, kind: DocumentKind, media: Media) -> list[tuple[str, Printer]]:
    """:func:`printer_choices` for a document known only by its kind and media (a job in the print log)."""
    choices: list[tuple[str, Printer]] = []
    queues, default = system_queues()
    configured_queue: str | None = None
    try:
        configured = printer_for(kind, settings, media=media)
        choices.append((f"按设置：{configured.describe()}", configured))
        if isinstance(configured, QtSystemPrinter):
            configured_queue = configured.queue or default
    except PrinterSpecError as bad:
        choices.append((f"设置有误：{bad.message}", _Unusable(bad.message)))
    for queue in queues:
        if queue != configured_queue:
            mark = "（系统默认）" if queue == default else ""
            choices.append((f"系统打印机：{queue}{mark}", QtSystemPrinter(queue)))
    return choices


class _Unusable:
    """Stands in for a printer whose setting is wrong, so that the chooser still opens and says why."""

    def __init__(self, message: str) -> None:
        self.message = message

    @property
    def name(self) -> str:
        return "invalid:"

    def describe(self) -> str:
        return self.message

    def print_document(self, doc: RenderedDocument) -> PrintResult:
        raise PrinterError(Problem.MISSING, self.message)


class PrintPreviewDialog(QDialog):
    """One rendered document: preview, printer choice, print or save as PDF."""

    finished_printing = Signal(object)  # PrintOutcome, printed or kept as pending

    def __init__(self, ctx: WorkContext, doc: RenderedDocument, data: Mapping[str, Any] | None = None, *,
                 choices: Sequence[tuple[str, Printer]] | None = None, parent: QWidget | None = None,
                 save_as: Callable[[QWidget, str], str] | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.actor, self.doc = ctx, ctx.actor, doc
        self.data: Mapping[str, Any] = data if data is not None else getattr(doc, "data", {})
        self.outcome: PrintOutcome | None = None
        self._save_as = save_as or _ask_file_name
        self.setWindowTitle(f"打印预览 — {doc.title or doc.kind.value}")
        self.resize(*_fitting_size(980, 1100))
        self.tasks = ctx.group(self)  # printing: the dialog waits for it before it goes
        self.lookup = ctx.group(self)  # asking the system for its printers: cancel and save stay free meanwhile
        self.images = [to_qimage(page) for page in iter_pages(doc.pdf, PREVIEW_DPI)]
        self.page_labels: list[QLabel] = []
        column = QWidget()
        pages = QVBoxLayout(column)
        pages.setSpacing(PAGE_GAP)
        for _image in self.images:
            page = QLabel()
            page.setAlignment(Qt.AlignmentFlag.AlignHCenter)
            page.setStyleSheet("background: white; border: 1px solid #b8c2cc;")
            self.page_labels.append(page)
            pages.addWidget(page)
        pages.addStretch(1)
        self.view = QScrollArea()
        self.view.setWidgetResizable(True)
        self.view.setWidget(column)
        self.view.setStyleSheet("QScrollArea { background: #e6eaee; }")
        copy = f"（{doc.copy_label}）" if doc.copy_label else ""
        self.summary = label(f"{doc.title or doc.kind.value}{copy}　{doc.case_number}　"
                                     f"{doc.media.value}，共{len(self.images)}页", "subtitle")
        self.printer = QComboBox()
        self.message = message_label()
        self.print_button = QPushButton("打印")
        self.print_button.setObjectName("primary")
        self.print_button.setDefault(True)  # Enter prints; it never cancels
        self.save_button = secondary_button("另存为PDF")
        self.cancel_button = secondary_button("取消")
        for button in (self.save_button, self.cancel_button):
            button.setAutoDefault(False)
        chooser = QHBoxLayout()
        chooser.addWidget(QLabel("打印机"))
        chooser.addWidget(self.printer, 1)
        buttons = button_row(self.cancel_button, self.save_button, self.print_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.view, 1)
        layout.addLayout(chooser)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.print_button.clicked.connect(self.print_selected)
        self.save_button.clicked.connect(self.save_pdf)
        self.cancel_button.clicked.connect(self.reject)
        self.tasks.busy_changed.connect(self._busy)
        self._fit = QTimer(self)
        self._fit.setSingleShot(True)
        self._fit.setInterval(50)
        self._fit.timeout.connect(self.fit_width)
        self.fit_width()
        if choices is not None:
            self._offer(list(choices))
        else:  # the system's queues are asked for off the GUI thread
            self.printer.addItem("正在查找打印机……")
            self.print_button.setEnabled(False)
            settings = ctx.settings
            self.lookup.run(lambda _hall: printer_choices(settings, doc), self._offer, self._lookup_failed,
                            executor=Executor.DEVICES)

    def _lookup_failed(self, error: Exception) -> None:
        self.printer.clear()
        set_tone(self.message, "error", user_message(error, "查找打印机") + "。仍可“另存为PDF”")
        self._busy(self.tasks.busy)

    def _offer(self, choices: list[tuple[str, Printer]]) -> None:
        self.printer.clear()
        for text, printer in choices:
            self.printer.addItem(text, printer)
        self._busy(self.tasks.busy)

    @property
    def page_count(self) -> int:
        return len(self.images)

    def fit_width(self) -> None:
        """Every page as wide as the view (never wider than twice its size)."""
        width = max(200, self.view.viewport().width() - 2 * PAGE_GAP)
        for image, page in zip(self.images, self.page_labels, strict=True):
            target = min(width, image.width() * 2)
            page.setPixmap(QPixmap.fromImage(image.scaledToWidth(target, Qt.TransformationMode.SmoothTransformation)))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit.start()

    def selected_printer(self) -> Printer | None:
        printer: Printer | None = self.printer.currentData()
        return printer

    def print_selected(self) -> None:
        printer = self.selected_printer()
        if printer is not None:
            self.print_to(printer)

    def save_pdf(self) -> None:
        path = self._save_as(self, file_stem(self.doc) + ".pdf")
        if path:
            target = Path(path)
            self.print_to(PdfFilePrinter(target.parent, target.name))

    def print_to(self, printer: Printer) -> None:
        if self.tasks.busy:
            return
        set_tone(self.message, "notice", f"正在送往{printer.describe()}……")
        actor, doc, data = self.actor, self.doc, self.data
        self.tasks.run(lambda hall: printing.print_document(hall, actor, doc, data, printer),
                       self._done, self._refused, executor=Executor.DEVICES)

    def _done(self, outcome: PrintOutcome) -> None:
        self.outcome = outcome
        self.finished_printing.emit(outcome)
        if outcome.printed:
            set_tone(self.message, "ok", outcome.message)
            self.accept()
        else:
            set_tone(self.message, "error", outcome.message)

    def _refused(self, error: Exception) -> None:
        set_tone(self.message, "error", user_message(error, "打印"))

    def _busy(self, busy: bool) -> None:
        for button in (self.save_button, self.cancel_button):
            button.setDisabled(busy)
        self.print_button.setDisabled(busy or self.printer.currentData() is None)

    def done(self, result: int) -> None:
        self.tasks.wait()  # a print on its way finishes and is logged before the dialog goes
        super().done(result)


def _fitting_size(width: int, height: int) -> tuple[int, int]:
    """At most the screen's free area (a 1366×768 counter screen included), so no button falls off it."""
    screen = QGuiApplication.primaryScreen()
    if screen is None:
        return width, height
    free = screen.availableGeometry()
    return min(width, free.width() - 40), min(height, free.height() - 60)


def _ask_file_name(parent: QWidget, suggested: str) -> str:
    path, _filter = QFileDialog.getSaveFileName(parent, "另存为PDF", str(Path.home() / suggested),
                                                "PDF 文件 (*.pdf)")
    return path


# -- the counter's 打印… button ---------------------------------------------------------------------

def documents_service() -> ModuleType | None:
    """``desktop.services.documents`` (it issues a case's notices), when it is installed."""
    try:
        module = importlib.import_module("desktop.services.documents")
    except ImportError:
        return None
    return module if callable(getattr(module, "notice", None)) else None


#: What to write in a notice's field, where its name alone does not say (the 依据 of a refusal, its 处理途径).
FIELD_HINTS: Final[Mapping[str, str]] = {
    "basis": "如：《信访工作条例》第三十二条第一款",
    "channel": "接在“你可以”之后，如：向浦江县人民法院提起诉讼",
    "channel_organisation": "输入名称查找并选择（通知书写明其地址和电话）；列表中没有的（如人民法院）写全称",
    "facts_found": "经调查核实的事实，如：电梯已于11月20日修复",
}


class NoticeFieldsDialog(QDialog):
    """What the clerk adds to a notice that the case does not hold (a refusal's reason…)."""

    def __init__(self, kind: DocumentKind, fields: Sequence[str], labels: Mapping[str, str],
                 short: frozenset[str], parent: QWidget | None = None, *,
                 recorded: frozenset[str] = frozenset()) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"出具{kind.value}")
        self.setMinimumWidth(720)
        self.labels = labels
        self.question: QMessageBox | None = None  # 放弃已填写的内容？ while it is asked
        self._leaving = False
        self.inputs: dict[str, QLineEdit | QPlainTextEdit] = {}
        form = QFormLayout()
        for name in fields:
            edit: QLineEdit | QPlainTextEdit = QLineEdit() if name in short else QPlainTextEdit()
            if isinstance(edit, QPlainTextEdit):
                edit.setFixedHeight(96)
                edit.setTabChangesFocus(True)  # Tab goes on to the next field (it typed a tab: no way out by keys)
            elif name == "organisation_code":  # the service takes the unit the case went to (it was asked again)
                edit.setPlaceholderText("不填即为事项已转送、交办的单位；可输入单位名称或简称")
            if name in FIELD_HINTS:
                edit.setPlaceholderText(FIELD_HINTS[name])
            if name in recorded:  # the step recorded it: no typing twice
                edit.setPlaceholderText("不填即为办理该步骤时填写的内容")
            self.inputs[name] = edit
            form.addRow(labels.get(name, name), edit)
        self.message = message_label()
        self.ok_button = QPushButton("预览")
        self.ok_button.setObjectName("primary")
        cancel = QPushButton("取消")
        cancel.setObjectName("secondary")
        buttons = button_row(cancel, self.ok_button)
        layout = QVBoxLayout(self)
        layout.addWidget(label(f"出具{kind.value}", "title"))  # which notice, said in the dialog itself
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        cancel.clicked.connect(self.reject)

    def values(self) -> dict[str, str]:
        return {name: (edit.text() if isinstance(edit, QLineEdit) else edit.toPlainText()).strip()
                for name, edit in self.inputs.items()}

    def offer_organisations(self, names: Sequence[str]) -> None:
        """The directory's organisations, offered as the clerk types an organisation's name (part of it will do).

        A name the list does not hold may still be typed: a refusal may send the citizen to a court."""
        for name in ("organisation_code", "channel_organisation"):
            edit = self.inputs.get(name)
            if isinstance(edit, QLineEdit):
                completer = QCompleter(list(names), edit)
                completer.setFilterMode(Qt.MatchFlag.MatchContains)
                completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
                completer.setMaxVisibleItems(12)
                edit.setCompleter(completer)

    def typed(self) -> list[str]:
        """The names of the fields the clerk has written something in."""
        return [self.labels.get(name, name) for name, value in self.values().items() if value]

    def reject(self) -> None:
        """Esc, 取消 or the window's close: what the clerk typed is not thrown away without asking."""
        typed = self.typed()
        if self._leaving or not typed:
            super().reject()
            return
        if self.question is not None and self.question.isVisible():
            return

        def leave() -> None:
            self._leaving = True
            self.reject()

        fields = "、".join(f"“{name}”" for name in typed)
        self.question, _go = ask(self, "放弃已填写的内容", f"放弃已填写的{fields}？", go="放弃", stay="继续填写",
                                 on_go=leave, detail="选“继续填写”回到表单，已填写的都在。")


def _organisation_names(_hall: Hall) -> list[str]:
    from desktop.services.case_actions import organisation_choices

    return [choice.name for choice in organisation_choices()]


class CasePrintButton(QPushButton):
    """打印…: choose a notice for the case on screen, fill in what it needs, preview, print.

    ``current_case`` gives the case id (or ``None``); ``notify(text, tone)`` shows the
    outcome beside the button, ``notify("", "")`` takes it away: a refusal goes when the clerk opens
    打印… again, and one that comes back after the clerk moved to another case is not shown on it.
    Notices come from ``desktop.services.documents.notice``, issued off the GUI thread; a notice names the
    petitioner in full exactly when the clerk may see it (the service decides, and audits it).
    """

    opened = Signal(object)  # the PrintPreviewDialog
    issued = Signal()  # a notice was issued (or refused), and the outcome is on screen
    receipt_wanted = Signal()  # 登记回执…: the registration receipt (a query code) is printed from the print log

    def __init__(self, ctx: WorkContext, current_case: Callable[[], str | None],
                 notify: Callable[[str, str], None], *, receipt: bool = False) -> None:
        super().__init__()
        self.setText("打印…")
        self.ctx, self.actor = ctx, ctx.actor
        self.tasks = ctx.group(self)
        self.current_case, self.notify = current_case, notify
        self.service = documents_service()
        self.dialog: PrintPreviewDialog | None = None
        self.form: NoticeFieldsDialog | None = None
        self.said = False  # a line of this button's (an outcome, a refusal) is beside it
        self.kinds = QMenu(self)
        self.kinds.aboutToShow.connect(self._unsay)
        if self.service is None:
            self.setToolTip("文书模块尚未安装，暂不能打印告知书")
        self.receipt_action: QAction | None = None
        if receipt:  # first: a case registered by phone or letter has no receipt, and its citizen no query code
            self.receipt_action = self.kinds.addAction(f"{DocumentKind.REGISTRATION_RECEIPT.value}（查询码）…")
            self.receipt_action.setToolTip("打印或补打登记回执：信访人凭回执上的查询码查询办理进度、评价")
            self.receipt_action.triggered.connect(lambda _checked=False: self.receipt_wanted.emit())
            self.kinds.addSeparator()
        self.kinds.setToolTipsVisible(True)
        kinds = set(getattr(self.service, "NOTICE_KINDS", ()))
        self.notice_actions: dict[DocumentKind, QAction] = {}
        for kind in (k for k in DocumentKind if k in kinds):
            action = self.kinds.addAction(kind.value)
            action.triggered.connect(lambda _checked=False, k=kind: self.choose(k))
            self.notice_actions[kind] = action
        self.refusals: dict[DocumentKind, str] = {}
        self.lists = ctx.group(self)  # the directory's names for a notice's form
        self.setMenu(self.kinds)

    def refresh(self, has_case: bool, view: CaseView | None = None, events: Sequence[Event] = ()) -> None:
        """The case on screen (``view`` and its ``events`` when known): a notice its steps do not allow yet
        (受理告知书 before 受理) stays in the menu, greyed, saying why, by the rule the service refuses it by."""
        self.setEnabled(has_case and self.service is not None)
        why_not = getattr(self.service, "out_of_order", None)
        self.refusals = {}
        for kind, action in self.notice_actions.items():
            why = str(why_not(kind, view, events)) if view is not None and callable(why_not) else ""
            action.setEnabled(not why)
            action.setText(f"{kind.value} — {why.split('：', 1)[-1]}" if why else kind.value)
            action.setToolTip(why)
            if why:
                self.refusals[kind] = why

    def _unsay(self) -> None:
        """The clerk does something else with 打印…: the refusal beside it is old news."""
        if self.said:
            self.said = False
            self.notify("", "")

    def choose(self, kind: DocumentKind) -> None:
        """The clerk picked ``kind``: ask for what it needs (if anything), then preview."""
        needed = sorted(getattr(self.service, "NOTICE_FIELDS", {}).get(kind, ()))
        if not needed:
            self.preview(kind, {})
            return
        labels = getattr(self.service, "FIELD_NAMES", {})
        short = frozenset(getattr(self.service, "SHORT_FIELDS", frozenset()))
        recorded = frozenset(getattr(self.service, "RECORDED_FIELDS", {}).get(kind, ()))
        self.form = NoticeFieldsDialog(kind, needed, labels, short, parent=self, recorded=recorded)
        form = self.form
        form.ok_button.clicked.connect(lambda: self.preview(kind, form.values(), form))
        form.open()
        if {"organisation_code", "channel_organisation"} & set(needed):
            self.lists.run(_organisation_names, form.offer_organisations, lambda _error: None)  # typing still works

    def preview(self, kind: DocumentKind, fields: Mapping[str, str], form: NoticeFieldsDialog | None = None) -> None:
        """Issue the notice off the GUI thread; the preview opens when it is ready."""
        case_id, service = self.current_case(), self.service
        if case_id is None or service is None or self.tasks.busy:
            return
        actor, values = self.actor, dict(fields)
        if form is not None:
            form.ok_button.setEnabled(False)

        def issue(hall: Hall) -> RenderedDocument:
            doc: RenderedDocument = service.notice(hall, actor, kind, case_id, values)
            return doc

        self.tasks.run(issue, lambda doc: self._issued(doc, form),
                       lambda error: self._refused(error, form, case_id))

    def _issued(self, doc: RenderedDocument, form: NoticeFieldsDialog | None) -> None:
        if form is not None:
            form.accept()
        self.dialog = PrintPreviewDialog(self.ctx, doc, parent=self)
        self.dialog.finished_printing.connect(self._printed)
        self.dialog.open()
        self.opened.emit(self.dialog)
        self.issued.emit()

    def _printed(self, outcome: PrintOutcome) -> None:
        self.notify(outcome.message, "ok" if outcome.printed else "error")
        self.said = True

    def _refused(self, error: Exception, form: NoticeFieldsDialog | None, case_id: str) -> None:
        text = user_message(error, "出具文书")
        if form is not None:
            form.ok_button.setEnabled(True)
            set_tone(form.message, "error", text)
        elif self.current_case() == case_id:  # the clerk moved on to another case meanwhile: not said of that one
            self.notify(text, "error")
            self.said = True
        self.issued.emit()
