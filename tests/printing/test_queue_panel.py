"""待补打 / 打印记录 at the counter (pytest-qt, offscreen), on real services and the simulated printer."""

from __future__ import annotations

from datetime import date

import pytest
import zxingcpp
from PySide6.QtWidgets import QTableWidget
from pytestqt.qtbot import QtBot

from desktop.documents.model import DocumentKind, Media, RenderedDocument
from desktop.domain.access import Actor
from desktop.domain.audit import AuditAction
from desktop.domain.errors import RuleViolation
from desktop.domain.qrpayload import parse_payload
from desktop.printing.base import Printer, PrinterError, Problem
from desktop.printing.raster import receipt_image
from desktop.printing.simulated import SimulatedPrinter
from desktop.services import cases, documents, printing
from desktop.services.audit import AuditQuery, list_audit
from desktop.services.context import Hall
from desktop.services.progress import citizen_progress
from desktop.services.registration import RegistrationResult, register_visit
from tests.helpers import form
from ui.print_queue import Choices, PrintQueueButton, PrintQueueDialog, next_receipt_label, printer_text
from ui.windows import CaseSearchPanel

OFFLINE = PrinterError(Problem.OFFLINE, "打印机未连接")


def _only(printer: SimulatedPrinter) -> Choices:
    def choices(_kind: DocumentKind, _media: Media) -> list[tuple[str, Printer]]:
        return [("模拟打印机", printer)]

    return choices


def _open(qtbot: QtBot, hall: Hall, clerk: Actor, case_number: str | None, printer: SimulatedPrinter
          ) -> PrintQueueDialog:
    dialog = PrintQueueDialog(hall, clerk, case_number, choices=_only(printer))
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.refreshed, timeout=10_000):
        dialog.show()
    return dialog


def _accepted(hall: Hall, clerk: Actor) -> tuple[RegistrationResult, RenderedDocument]:
    """A case accepted, and its acceptance notice (numbered: 受字第N号)."""
    case = register_visit(hall, clerk, form())
    cases.classify(hall, clerk, case.case_id, nature="申诉求决类", topic_code="0101")
    cases.accept(hall, clerk, case.case_id, accepted_on=date(2026, 9, 16))
    return case, documents.notice(hall, clerk, DocumentKind.ACCEPTANCE_NOTICE, case.case_id, {})


def _cell(table: QTableWidget, row: int, column: int) -> str:
    item = table.item(row, column)
    assert item is not None
    return item.text()


def _notice(hall: Hall, clerk: Actor) -> tuple[RegistrationResult, printing.PrintJob, SimulatedPrinter]:
    """A case and its acceptance notice, printed once."""
    case, doc = _accepted(hall, clerk)
    printer = SimulatedPrinter()
    outcome = printing.print_document(hall, clerk, doc, None, printer)
    assert outcome.printed
    return case, outcome.job, printer


def test_failed_print_is_listed_with_its_reason_and_retry_prints_it(qtbot: QtBot, sqlite_hall: Hall,
                                                                    clerk: Actor) -> None:
    case, doc = _accepted(sqlite_hall, clerk)
    printer = SimulatedPrinter(fail_with=OFFLINE, fail_times=1)
    assert not printing.print_document(sqlite_hall, clerk, doc, None, printer).printed

    dialog = _open(qtbot, sqlite_hall, clerk, case.case_number, printer)
    assert dialog.pending_table.rowCount() == 1 and "1 份" in dialog.pending_title.text()
    row = [_cell(dialog.pending_table, 0, c) for c in range(dialog.pending_table.columnCount())]
    assert doc.document_number and row[1:] == [doc.title, doc.document_number, case.case_number, "打印机未连接"]
    assert not dialog.retry_button.isEnabled()  # nothing selected yet
    dialog.pending_table.selectRow(0)
    assert dialog.retry_button.isEnabled() and not dialog.reprint_button.isEnabled()
    assert "打印机未连接" in dialog.hint.text()

    with qtbot.waitSignal(dialog.refreshed, timeout=10_000):
        dialog.retry_button.click()
    assert dialog.pending_table.rowCount() == 0 and "没有" in dialog.pending_title.text()
    assert dialog.message.property("tone") == "ok" and "已送交模拟打印机" in dialog.message.text()
    assert [d.document_number for d in printer.printed] == [doc.document_number]
    assert printing.pending_jobs(sqlite_hall, clerk) == []
    # The log of the case shows both attempts, the failed one superseded.
    assert [_cell(dialog.log_table, r, 4) for r in range(dialog.log_table.rowCount())] == [
        "已打印", "未打印（已重新打印）"]


def test_reprint_of_a_printed_notice_is_copy_one_and_audited(qtbot: QtBot, sqlite_hall: Hall,
                                                            clerk: Actor) -> None:
    case, job, printer = _notice(sqlite_hall, clerk)
    dialog = _open(qtbot, sqlite_hall, clerk, case.case_number, printer)
    assert dialog.pending_table.rowCount() == 0 and dialog.log_table.rowCount() == 1
    dialog.log_table.selectRow(0)
    assert dialog.selected == job and dialog.reprint_button.isEnabled()
    assert not dialog.retry_button.isEnabled() and not dialog.reissue_button.isEnabled()

    with qtbot.waitSignal(dialog.changed, timeout=10_000) as changed, \
            qtbot.waitSignal(dialog.refreshed, timeout=10_000):
        dialog.reprint_button.click()
    assert changed.args is not None and changed.args[0].printed
    copy = printer.printed[-1]
    assert (copy.kind, copy.copy_label, copy.document_number) == (
        DocumentKind.ACCEPTANCE_NOTICE, "补打（第1次）", job.document_number)
    assert _cell(dialog.log_table, 0, 3) == "补打（第1次）" and _cell(dialog.log_table, 1, 3) == "原件"
    assert dialog.selected is not None and dialog.selected.copy == 1  # the new copy is selected
    reprints = list_audit(sqlite_hall, Actor.system(), AuditQuery(action=AuditAction.REPRINT.value))
    assert [(e.detail["copy"], e.detail["status"]) for e in reprints] == [(1, "printed")]


def test_receipt_reissue_asks_first_and_resets_the_query_code(qtbot: QtBot, sqlite_hall: Hall, clerk: Actor,
                                                              kiosk: Actor) -> None:
    case = register_visit(sqlite_hall, clerk, form())
    printer = SimulatedPrinter()
    receipt = documents.registration_receipt(sqlite_hall, clerk, case)
    assert printing.print_document(sqlite_hall, clerk, receipt, None, printer).printed
    dialog = _open(qtbot, sqlite_hall, clerk, case.case_number, printer)
    dialog.log_table.selectRow(0)
    assert dialog.reissue_button.isEnabled() and not dialog.reprint_button.isEnabled()
    assert "查询码" in dialog.hint.text()

    dialog.reissue_button.click()  # declined: nothing happens
    box = dialog.confirmation
    assert box is not None and box.isVisible()
    assert "重新生成查询码" in box.text() and "旧回执上的查询码将立即失效" in box.informativeText()
    assert "补打（第1次）" in box.informativeText()
    box.escapeButton().click()
    assert not dialog.tasks.busy and len(printer.printed) == 1
    assert citizen_progress(sqlite_hall, kiosk, case.case_number, case.query_code).case_number == case.case_number

    dialog.reissue_button.click()
    assert dialog.confirmation is not None and dialog.reset_button is not None
    with qtbot.waitSignal(dialog.refreshed, timeout=10_000):
        dialog.reset_button.click()
    assert dialog.message.property("tone") == "ok" and "旧回执上的查询码不再有效" in dialog.message.text()
    reissued = printer.printed[-1]
    assert (reissued.kind, reissued.copy_label) == (DocumentKind.REGISTRATION_RECEIPT, "补打（第1次）")
    with pytest.raises(RuleViolation):
        citizen_progress(sqlite_hall, kiosk, case.case_number, case.query_code)
    (code,) = zxingcpp.read_barcodes(receipt_image(reissued.pdf).convert("L"))
    number, new_code = parse_payload(code.text)
    assert number == case.case_number and new_code != case.query_code
    assert citizen_progress(sqlite_hall, kiosk, number, new_code).case_number == case.case_number
    assert _cell(dialog.log_table, 0, 3) == "补打（第1次）"
    assert next_receipt_label(dialog.log) == "补打（第2次）"


def test_the_badge_counts_this_pcs_pending_jobs_and_opens_the_panel(qtbot: QtBot, sqlite_hall: Hall,
                                                                    clerk: Actor) -> None:
    case = register_visit(sqlite_hall, clerk, form())
    printer = SimulatedPrinter(fail_with=OFFLINE, fail_times=2)
    button = PrintQueueButton(sqlite_hall, clerk, lambda: case.case_number, choices=_only(printer))
    qtbot.addWidget(button)
    with qtbot.waitSignal(button.counted, timeout=10_000):
        button.show()
    assert button.text() == "打印记录" and button.count == 0
    for kind in (DocumentKind.RIGHTS_NOTICE, DocumentKind.RIGHTS_NOTICE):
        doc = documents.notice(sqlite_hall, clerk, kind, case.case_id, {})
        printing.print_document(sqlite_hall, clerk, doc, None, printer)
    with qtbot.waitSignal(button.counted, timeout=10_000):
        button.refresh()
    assert button.text() == "待补打 (2)"

    with qtbot.waitSignal(button.opened, timeout=10_000) as opened:
        button.click()
    assert opened.args is not None
    dialog: PrintQueueDialog = opened.args[0]
    qtbot.waitUntil(lambda: dialog.pending_table.rowCount() == 2, timeout=10_000)
    dialog.pending_table.selectRow(0)
    with qtbot.waitSignal(button.counted, timeout=10_000) as counted:
        dialog.retry_button.click()
    assert counted.args == [1] and button.text() == "待补打 (1)"
    dialog.reject()


def test_the_counter_shows_the_badge_beside_print(qtbot: QtBot, sqlite_hall: Hall, clerk: Actor) -> None:
    panel = CaseSearchPanel(sqlite_hall, clerk)
    qtbot.addWidget(panel)
    with qtbot.waitSignal(panel.queue_button.counted, timeout=10_000):
        panel.show()
    assert panel.queue_button.isVisible() and panel.queue_button.text() == "打印记录"


def test_printer_names_in_words() -> None:
    assert printer_text("system:HP-2F") == "系统打印机 HP-2F"
    assert printer_text("system:") == "系统默认打印机"
    assert printer_text("pdf:/tmp/x") == "保存为PDF文件"
    assert printer_text("escpos:usb:0x0416:0x5011") == "热敏打印机"
