"""待补打 / 打印记录 at the counter (pytest-qt, offscreen), on real services and the simulated printer.

The dialog and the button read the print log, offer printers and print as operations off the
GUI thread; the tests wait on their signals (``refreshed``, ``counted``, ``tasks.settled``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
import zxingcpp
from PySide6.QtWidgets import QPushButton, QTableWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import Engine, select

from db.models import PrintJobRow
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
from tests.conftest import FakeClock, make_hall
from tests.helpers import form, valid_id
from ui.desk.cases import CaseDesk
from ui.printing.queue import Choices, PrintQueueButton, PrintQueueDialog, printer_text
from ui.shell.context import WorkContext

OFFLINE = PrinterError(Problem.OFFLINE, "打印机未连接")
MakeContext = Callable[..., WorkContext]


def _only(printer: SimulatedPrinter) -> Choices:
    def choices(_kind: DocumentKind, _media: Media) -> list[tuple[str, Printer]]:
        return [("模拟打印机", printer)]

    return choices


def _open(qtbot: QtBot, ctx: WorkContext, case_number: str | None, printer: SimulatedPrinter
          ) -> PrintQueueDialog:
    dialog = PrintQueueDialog(ctx, case_number, choices=_only(printer))
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.refreshed, timeout=10_000):
        dialog.show()
    return dialog


def _settle(qtbot: QtBot, dialog: PrintQueueDialog) -> None:
    """Until the dialog's work (the lists, the printers for a kind, a print) has come back."""
    qtbot.waitUntil(lambda: not dialog.tasks.busy, timeout=10_000)


def _pick(qtbot: QtBot, dialog: PrintQueueDialog, table: QTableWidget, row: int) -> None:
    """Select a row; the printers for its kind are asked for off the GUI thread (once per kind)."""
    table.selectRow(row)
    _settle(qtbot, dialog)


def _act(qtbot: QtBot, dialog: PrintQueueDialog, button: QPushButton) -> printing.PrintOutcome:
    """Click an action and wait for its outcome, then for the lists read again after it.

    (``refreshed`` alone is not enough: the attempt is logged before the printer is asked,
    and that change already makes the lists be read again while the print is on its way.)
    """
    with qtbot.waitSignal(dialog.changed, timeout=10_000) as changed:
        button.click()
    _settle(qtbot, dialog)
    assert changed.args is not None
    outcome: printing.PrintOutcome = changed.args[0]
    return outcome


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


def _receipt_copies(hall: Hall, case_number: str) -> list[tuple[int, str, str]]:
    """The print_jobs rows of the case's registration receipts: (copy, label, status), in order."""
    with hall.sessions() as session:
        rows = session.scalars(select(PrintJobRow).where(
            PrintJobRow.case_number == case_number,
            PrintJobRow.kind == DocumentKind.REGISTRATION_RECEIPT.value).order_by(PrintJobRow.id))
        return [(row.copy, row.copy_label, row.status) for row in rows]


def test_failed_print_is_listed_with_its_reason_and_retry_prints_it(qtbot: QtBot, work_context: MakeContext,
                                                                    sqlite_hall: Hall, clerk: Actor) -> None:
    case, doc = _accepted(sqlite_hall, clerk)
    printer = SimulatedPrinter(fail_with=OFFLINE, fail_times=1)
    assert not printing.print_document(sqlite_hall, clerk, doc, None, printer).printed

    dialog = _open(qtbot, work_context(clerk), case.case_number, printer)
    assert dialog.pending_table.rowCount() == 1 and "1 份" in dialog.pending_title.text()
    assert "本机 C01" in dialog.pending_title.text()
    row = [_cell(dialog.pending_table, 0, c) for c in range(dialog.pending_table.columnCount())]
    assert doc.document_number and row[1:] == [doc.title, doc.document_number, case.case_number, "打印机未连接"]
    assert not dialog.retry_button.isEnabled()  # nothing selected yet
    assert dialog.reissue_button.isEnabled()  # no job: the printers of the case's registration receipt
    _pick(qtbot, dialog, dialog.pending_table, 0)
    assert dialog.selected is not None and dialog.selected.status == "pending"
    assert dialog.printer.currentText() == "模拟打印机" and dialog.selected_printer() is printer
    assert dialog.retry_button.isEnabled() and not dialog.reprint_button.isEnabled()
    assert "打印机未连接" in dialog.hint.text()

    with qtbot.waitSignal(dialog.changed, timeout=10_000) as changed:
        dialog.retry_button.click()
        assert not dialog.retry_button.isEnabled() and not dialog.refresh_button.isEnabled()  # on its way
    assert changed.args is not None and changed.args[0].printed
    _settle(qtbot, dialog)
    assert dialog.pending_table.rowCount() == 0 and "没有" in dialog.pending_title.text()
    assert dialog.message.property("tone") == "ok" and "已送交模拟打印机" in dialog.message.text()
    assert [d.document_number for d in printer.printed] == [doc.document_number]
    assert printing.pending_jobs(sqlite_hall, clerk) == []
    # The log of the case shows both attempts, the failed one superseded.
    assert [_cell(dialog.log_table, r, 4) for r in range(dialog.log_table.rowCount())] == [
        "已打印", "未打印（已重新打印）"]
    assert dialog.selected is not None and dialog.selected.status == "printed"  # the printed attempt
    assert dialog.reprint_button.isEnabled() and not dialog.retry_button.isEnabled()


def test_retry_that_fails_again_stays_pending_and_says_why(qtbot: QtBot, work_context: MakeContext,
                                                           sqlite_hall: Hall, clerk: Actor) -> None:
    case, doc = _accepted(sqlite_hall, clerk)
    printer = SimulatedPrinter(fail_with=OFFLINE, fail_times=2)
    assert not printing.print_document(sqlite_hall, clerk, doc, None, printer).printed
    dialog = _open(qtbot, work_context(clerk), case.case_number, printer)
    _pick(qtbot, dialog, dialog.pending_table, 0)
    assert not _act(qtbot, dialog, dialog.retry_button).printed
    assert dialog.message.property("tone") == "error" and "打印机未连接" in dialog.message.text()
    (pending,) = printing.pending_jobs(sqlite_hall, clerk)
    assert dialog.pending_table.rowCount() == 1 and dialog.selected == pending  # the new attempt, selected
    assert dialog.retry_button.isEnabled() and printer.printed == []


def test_reprint_of_a_printed_notice_is_copy_one_and_audited(qtbot: QtBot, work_context: MakeContext,
                                                            sqlite_hall: Hall, clerk: Actor) -> None:
    case, job, printer = _notice(sqlite_hall, clerk)
    dialog = _open(qtbot, work_context(clerk), case.case_number, printer)
    assert dialog.pending_table.rowCount() == 0 and dialog.log_table.rowCount() == 1
    _pick(qtbot, dialog, dialog.log_table, 0)
    assert dialog.selected == job and dialog.reprint_button.isEnabled()
    assert not dialog.retry_button.isEnabled() and not dialog.reissue_button.isEnabled()

    assert _act(qtbot, dialog, dialog.reprint_button).printed
    copy = printer.printed[-1]
    assert (copy.kind, copy.copy_label, copy.document_number) == (
        DocumentKind.ACCEPTANCE_NOTICE, "补打（第1次）", job.document_number)
    assert _cell(dialog.log_table, 0, 3) == "补打（第1次）" and _cell(dialog.log_table, 1, 3) == "原件"
    assert dialog.selected is not None and dialog.selected.copy == 1  # the new copy is selected
    reprints = list_audit(sqlite_hall, Actor.system(), AuditQuery(action=AuditAction.REPRINT.value))
    assert [(e.detail["copy"], e.detail["status"]) for e in reprints] == [(1, "printed")]


def test_receipt_reissue_asks_first_and_resets_the_query_code(qtbot: QtBot, work_context: MakeContext,
                                                              sqlite_hall: Hall, clerk: Actor,
                                                              kiosk: Actor) -> None:
    case = register_visit(sqlite_hall, clerk, form())
    printer = SimulatedPrinter()
    receipt = documents.registration_receipt(sqlite_hall, clerk, case)
    assert printing.print_document(sqlite_hall, clerk, receipt, None, printer).printed
    assert printing.next_receipt_copy(sqlite_hall, clerk, case.case_number) == 1
    dialog = _open(qtbot, work_context(clerk), case.case_number, printer)
    _pick(qtbot, dialog, dialog.log_table, 0)
    assert dialog.reissue_button.isEnabled() and not dialog.reprint_button.isEnabled()
    assert "查询码" in dialog.hint.text()

    # The copy number is read off the GUI thread first; only then is the clerk asked.
    with qtbot.waitSignal(dialog.tasks.settled, timeout=10_000):
        dialog.reissue_button.click()
        assert dialog.confirmation is None
    box = dialog.confirmation
    assert box is not None and box.isVisible()
    assert "重新生成查询码" in box.text() and "旧回执上的查询码将立即失效" in box.informativeText()
    assert "补打（第1次）" in box.informativeText()
    box.escapeButton().click()  # declined: nothing happens
    assert not box.isVisible() and not dialog.tasks.busy and len(printer.printed) == 1
    assert citizen_progress(sqlite_hall, kiosk, case.case_number, case.query_code).case_number == case.case_number
    assert _receipt_copies(sqlite_hall, case.case_number) == [(0, "", "printed")]

    with qtbot.waitSignal(dialog.tasks.settled, timeout=10_000):
        dialog.reissue_button.click()
    assert dialog.confirmation is not None and dialog.confirmation is not box and dialog.reset_button is not None
    outcome = _act(qtbot, dialog, dialog.reset_button)
    assert outcome.printed and outcome.job.copy == 1
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
    assert dialog.selected is not None and dialog.selected.copy == 1  # the new copy is selected
    # The copy number comes from the print log, and the reissue is logged as that copy.
    assert printing.next_receipt_copy(sqlite_hall, clerk, case.case_number) == 2
    assert _receipt_copies(sqlite_hall, case.case_number) == [(0, "", "printed"), (1, "补打（第1次）", "printed")]

    # Once more: copy 2, on the paper, in the confirmation and in the log.
    with qtbot.waitSignal(dialog.tasks.settled, timeout=10_000):
        dialog.reissue_button.click()
    assert dialog.confirmation is not None and "补打（第2次）" in dialog.confirmation.informativeText()
    assert dialog.reset_button is not None
    assert _act(qtbot, dialog, dialog.reset_button).job.copy == 2
    assert printer.printed[-1].copy_label == "补打（第2次）"
    assert [_cell(dialog.log_table, r, 3) for r in range(dialog.log_table.rowCount())] == [
        "补打（第2次）", "补打（第1次）", "原件"]
    assert _receipt_copies(sqlite_hall, case.case_number) == [
        (0, "", "printed"), (1, "补打（第1次）", "printed"), (2, "补打（第2次）", "printed")]
    reprints = list_audit(sqlite_hall, Actor.system(), AuditQuery(action=AuditAction.REPRINT.value))
    assert sorted((e.detail["kind"], e.detail["copy"]) for e in reprints) == [
        (DocumentKind.REGISTRATION_RECEIPT.value, 1), (DocumentKind.REGISTRATION_RECEIPT.value, 2)]


def test_a_reissued_receipt_the_printer_fails_is_pending_with_the_new_code(
        qtbot: QtBot, work_context: MakeContext, sqlite_hall: Hall, clerk: Actor, kiosk: Actor) -> None:
    case = register_visit(sqlite_hall, clerk, form())
    printer = SimulatedPrinter()
    receipt = documents.registration_receipt(sqlite_hall, clerk, case)
    assert printing.print_document(sqlite_hall, clerk, receipt, None, printer).printed
    dialog = _open(qtbot, work_context(clerk), case.case_number, printer)
    _pick(qtbot, dialog, dialog.log_table, 0)
    printer.fail_with(OFFLINE, 1)
    with qtbot.waitSignal(dialog.tasks.settled, timeout=10_000):
        dialog.reissue_button.click()
    assert dialog.reset_button is not None
    assert not _act(qtbot, dialog, dialog.reset_button).printed
    assert dialog.message.property("tone") == "error"
    assert "查询码已重置" in dialog.message.text() and "重新打印这份回执" in dialog.message.text()
    with pytest.raises(RuleViolation):  # the old code stops working whether or not the printer does
        citizen_progress(sqlite_hall, kiosk, case.case_number, case.query_code)
    assert dialog.pending_table.rowCount() == 1 and dialog.selected is not None
    assert (dialog.selected.status, dialog.selected.copy) == ("pending", 1)
    assert dialog.retry_button.isEnabled()
    assert _receipt_copies(sqlite_hall, case.case_number) == [(0, "", "printed"), (1, "补打（第1次）", "pending")]
    assert _act(qtbot, dialog, dialog.retry_button).printed
    (code,) = zxingcpp.read_barcodes(receipt_image(printer.printed[-1].pdf).convert("L"))
    number, new_code = parse_payload(code.text)
    assert citizen_progress(sqlite_hall, kiosk, number, new_code).case_number == case.case_number
    assert _receipt_copies(sqlite_hall, case.case_number) == [
        (0, "", "printed"), (1, "补打（第1次）", "failed"), (1, "补打（第1次）", "printed")]


def test_the_badge_counts_this_pcs_pending_jobs_and_opens_the_panel(qtbot: QtBot, work_context: MakeContext,
                                                                    sqlite_hall: Hall, clerk: Actor) -> None:
    case = register_visit(sqlite_hall, clerk, form())
    printer = SimulatedPrinter(fail_with=OFFLINE, fail_times=2)
    button = PrintQueueButton(work_context(clerk), lambda: case.case_number, choices=_only(printer))
    qtbot.addWidget(button)
    with qtbot.waitSignal(button.counted, timeout=10_000):
        button.show()
    assert button.text() == "打印记录" and button.count == 0
    other = register_visit(sqlite_hall, clerk, form(name="李娜", id_number=valid_id(seq=88)))
    for case_id in (case.case_id, other.case_id):  # two documents (one on paper is enough for each)
        doc = documents.notice(sqlite_hall, clerk, DocumentKind.RIGHTS_NOTICE, case_id, {})
        printing.print_document(sqlite_hall, clerk, doc, None, printer)
    # Print jobs changed (here: by a service outside any window): the count is read again by itself.
    qtbot.waitUntil(lambda: button.count == 2, timeout=10_000)
    assert button.text() == "待补打 (2)" and "2 份" in button.toolTip()

    with qtbot.waitSignal(button.opened, timeout=10_000) as opened:
        button.click()
    assert opened.args is not None
    dialog: PrintQueueDialog = opened.args[0]
    assert dialog is button.dialog and dialog.case_number == case.case_number
    qtbot.waitUntil(lambda: dialog.pending_table.rowCount() == 2, timeout=10_000)
    _pick(qtbot, dialog, dialog.pending_table, 0)
    with qtbot.waitSignal(button.counted, timeout=10_000, check_params_cb=lambda count: count == 1):
        assert _act(qtbot, dialog, dialog.retry_button).printed
    assert button.text() == "待补打 (1)" and dialog.pending_table.rowCount() == 1
    _pick(qtbot, dialog, dialog.pending_table, 0)
    with qtbot.waitSignal(button.counted, timeout=10_000, check_params_cb=lambda count: count == 0):
        assert _act(qtbot, dialog, dialog.retry_button).printed
    assert button.text() == "打印记录" and button.count == 0
    dialog.reject()


def test_a_print_in_another_dialog_refreshes_an_open_one(qtbot: QtBot, work_context: MakeContext,
                                                         sqlite_hall: Hall, clerk: Actor) -> None:
    case, doc = _accepted(sqlite_hall, clerk)
    printer = SimulatedPrinter(fail_with=OFFLINE, fail_times=1)
    assert not printing.print_document(sqlite_hall, clerk, doc, None, printer).printed
    ctx = work_context(clerk)
    first = _open(qtbot, ctx, case.case_number, printer)
    second = _open(qtbot, ctx, None, printer)
    assert first.pending_table.rowCount() == second.pending_table.rowCount() == 1
    assert second.log_table.rowCount() == 0 and "请先" in second.log_title.text()
    _pick(qtbot, second, second.pending_table, 0)
    assert _act(qtbot, second, second.retry_button).printed
    # The first dialog printed nothing itself: it reads both lists again from the change.
    qtbot.waitUntil(lambda: first.pending_table.rowCount() == 0, timeout=10_000)
    _settle(qtbot, first)
    assert [_cell(first.log_table, r, 4) for r in range(first.log_table.rowCount())] == [
        "已打印", "未打印（已重新打印）"]


def test_pending_here_lists_this_pcs_jobs_only(sqlite_engine: Engine, sqlite_hall: Hall, clock: FakeClock,
                                               clerk: Actor) -> None:
    other = make_hall(sqlite_engine, clock, device_code="C02")
    here_doc = documents.notice(sqlite_hall, clerk, DocumentKind.RIGHTS_NOTICE, "", {})
    there_doc = documents.notice(other, clerk, DocumentKind.RIGHTS_NOTICE, "", {})
    here = printing.print_document(sqlite_hall, clerk, here_doc, None, SimulatedPrinter(fail_with=OFFLINE))
    there = printing.print_document(other, clerk, there_doc, None, SimulatedPrinter(fail_with=OFFLINE))
    assert (here.job.device, there.job.device) == ("C01", "C02")
    assert [j.job_id for j in printing.pending_here(sqlite_hall, clerk)] == [here.job.job_id]
    assert [j.job_id for j in printing.pending_here(other, clerk)] == [there.job.job_id]
    assert [j.job_id for j in printing.pending_jobs(sqlite_hall, clerk)] == [here.job.job_id, there.job.job_id]


def test_the_dialog_lists_this_pcs_pending_jobs_only(qtbot: QtBot, work_context: MakeContext,
                                                     sqlite_engine: Engine, sqlite_hall: Hall, clock: FakeClock,
                                                     clerk: Actor) -> None:
    case, doc = _accepted(sqlite_hall, clerk)  # failed at C01
    assert not printing.print_document(sqlite_hall, clerk, doc, None, SimulatedPrinter(fail_with=OFFLINE)).printed
    other = make_hall(sqlite_engine, clock, device_code="C02")
    dialog = _open(qtbot, work_context(clerk, hall=other), case.case_number, SimulatedPrinter())
    assert dialog.pending_table.rowCount() == 0 and "本机 C02" in dialog.pending_title.text()
    assert dialog.log_table.rowCount() == 1 and _cell(dialog.log_table, 0, 4) == "待补打"  # the case's log: all PCs
    button = PrintQueueButton(work_context(clerk, hall=other), lambda: None)
    qtbot.addWidget(button)
    with qtbot.waitSignal(button.counted, timeout=10_000) as counted:
        button.show()
    assert counted.args == [0] and button.text() == "打印记录"


def test_the_counter_shows_the_badge_beside_print(qtbot: QtBot, work_context: MakeContext, sqlite_hall: Hall,
                                                  clerk: Actor) -> None:
    case = register_visit(sqlite_hall, clerk, form())
    desk = CaseDesk(work_context(clerk))
    qtbot.addWidget(desk)
    with qtbot.waitSignal(desk.queue_button.counted, timeout=10_000):
        desk.show()
    assert desk.queue_button.isVisible() and desk.queue_button.text() == "打印记录"
    assert desk.print_button.isVisible() and not desk.print_button.isEnabled()  # no case on screen
    assert desk.print_button.parent() is desk.queue_button.parent()  # side by side in the search's action bar

    with qtbot.waitSignal(desk.search.searched, timeout=10_000):
        desk.search.query.setText(case.case_number)
    assert desk.search.table.rowCount() == 1
    with qtbot.waitSignal(desk.search.case_changed, timeout=10_000), \
            qtbot.waitSignal(desk.search.detail_shown, timeout=10_000):
        desk.search.table.setCurrentCell(0, 0)
    assert desk.print_button.isEnabled()
    with qtbot.waitSignal(desk.queue_button.opened, timeout=10_000) as opened:
        desk.queue_button.click()
    assert opened.args is not None
    dialog: PrintQueueDialog = opened.args[0]
    assert dialog.case_number == case.case_number
    _settle(qtbot, dialog)
    assert case.case_number in dialog.log_title.text()
    dialog.reject()


def test_printer_names_in_words() -> None:
    assert printer_text("system:HP-2F") == "系统打印机 HP-2F"
    assert printer_text("system:") == "系统默认打印机"
    assert printer_text("pdf:/tmp/x") == "保存为PDF文件"
    assert printer_text("escpos:usb:0x0416:0x5011") == "热敏打印机"


def test_a_case_without_a_receipt_gets_its_first_one_with_a_query_code(sqlite_hall: Hall, clerk: Actor,
                                                                       kiosk: Actor) -> None:
    """A case registered by phone or letter: no receipt in the log, its first one is the original (copy 0,
    no 补打 label) and its query code is the one the citizen can use; the next one is 补打（第1次）."""
    case = register_visit(sqlite_hall, clerk, form())
    assert printing.next_receipt_copy(sqlite_hall, clerk, case.case_number) == 0
    printer = SimulatedPrinter()
    outcome = printing.reissue_receipt(sqlite_hall, clerk, case.case_number, printer)
    assert outcome.printed and outcome.job.copy == 0 and printer.printed[-1].copy_label == ""
    (code,) = zxingcpp.read_barcodes(receipt_image(printer.printed[-1].pdf).convert("L"))
    number, new_code = parse_payload(code.text)
    assert citizen_progress(sqlite_hall, kiosk, number, new_code).case_number == case.case_number
    assert _receipt_copies(sqlite_hall, case.case_number) == [(0, "", "printed")]
    prints = list_audit(sqlite_hall, Actor.system(), AuditQuery(action=AuditAction.PRINT.value))
    assert [e.detail["kind"] for e in prints] == [DocumentKind.REGISTRATION_RECEIPT.value]
    assert printing.next_receipt_copy(sqlite_hall, clerk, case.case_number) == 1


def test_the_dialog_prints_the_first_receipt_of_a_case_without_asking(qtbot: QtBot, work_context: MakeContext,
                                                                      sqlite_hall: Hall, clerk: Actor,
                                                                      kiosk: Actor) -> None:
    case = register_visit(sqlite_hall, clerk, form())
    printer = SimulatedPrinter()
    dialog = _open(qtbot, work_context(clerk), case.case_number, printer)
    _settle(qtbot, dialog)
    assert dialog.log_table.rowCount() == 0 and dialog.selected is None
    assert dialog.printer.count() == 1 and dialog.selected_printer() is printer  # the receipt's printers
    assert dialog.reissue_button.isEnabled() and dialog.reissue_button.text() == "打印登记回执（生成查询码）"
    assert "还没有打印过登记回执" in dialog.hint.text() and case.case_number in dialog.hint.text()

    outcome = _act(qtbot, dialog, dialog.reissue_button)
    assert dialog.confirmation is None  # nothing to reset: no question
    assert outcome.printed and outcome.job.copy == 0 and printer.printed[-1].copy_label == ""
    assert dialog.message.property("tone") == "ok" and "已为信访人生成查询码" in dialog.message.text()
    (code,) = zxingcpp.read_barcodes(receipt_image(printer.printed[-1].pdf).convert("L"))
    assert citizen_progress(sqlite_hall, kiosk, *parse_payload(code.text)).case_number == case.case_number

    # From now on the button replaces it, and asks first.
    assert dialog.reissue_button.text() == "补打回执（重置查询码）" and _cell(dialog.log_table, 0, 3) == "原件"
    with qtbot.waitSignal(dialog.tasks.settled, timeout=10_000):
        dialog.reissue_button.click()
    assert dialog.confirmation is not None and "补打（第1次）" in dialog.confirmation.informativeText()
    dialog.confirmation.escapeButton().click()
    assert len(printer.printed) == 1


def test_the_first_receipt_here_of_a_case_registered_on_another_device_is_asked_first(
        qtbot: QtBot, work_context: MakeContext, sqlite_engine: Engine, sqlite_hall: Hall, clock: FakeClock,
        clerk: Actor, kiosk: Actor) -> None:
    """A case registered at a kiosk has its receipt printed there, where this PC's log does not see it: its
    "first" receipt here, printed at once, ended the query code in the citizen's hand without a word."""
    at_kiosk = make_hall(sqlite_engine, clock, device_code="K07")
    case = register_visit(at_kiosk, clerk, form())
    assert case.case_number.split("-")[2] == "K07" and sqlite_hall.settings.device_code != "K07"
    assert printing.registered_elsewhere(sqlite_hall, case.case_number) == "K07"
    assert printing.registered_elsewhere(sqlite_hall, "LEGACY-2019-001") is None  # no device of ours named
    old_code = case.query_code
    printer = SimulatedPrinter()
    dialog = _open(qtbot, work_context(clerk), case.case_number, printer)
    _settle(qtbot, dialog)
    assert dialog.reissue_button.text() == "打印登记回执（生成查询码）"
    # the line under the lists never says the citizen has no query code: the kiosk may have printed one
    assert "其他设备（编码 K07）" in dialog.hint.text() and "没有查询码" not in dialog.hint.text()
    with qtbot.waitSignal(dialog.tasks.settled, timeout=10_000):
        dialog.reissue_button.click()
    question = dialog.confirmation
    assert question is not None and "其他设备（编码 K07）" in question.text()
    assert "旧回执上的查询码将立即失效" in question.informativeText()
    question.escapeButton().click()  # 取消: nothing printed, the citizen's code still works
    assert not printer.printed
    assert citizen_progress(sqlite_hall, kiosk, case.case_number, old_code).case_number == case.case_number

    with qtbot.waitSignal(dialog.tasks.settled, timeout=10_000):
        dialog.reissue_button.click()
    question = dialog.confirmation
    assert question is not None and dialog.reset_button is not None
    with qtbot.waitSignal(dialog.changed, timeout=10_000):
        dialog.reset_button.click()
    _settle(qtbot, dialog)
    assert len(printer.printed) == 1 and printer.printed[-1].copy_label == ""  # the original, with a new code
    assert "已为信访人生成查询码" in dialog.message.text()
    # a case registered on this PC: its first receipt here prints at once, as before
    assert printing.registered_elsewhere(sqlite_hall, register_visit(sqlite_hall, clerk, form(
        name="李秀英", id_number=valid_id(seq=41))).case_number) is None


def test_a_notice_selected_offers_no_receipt_with_its_printers(qtbot: QtBot, work_context: MakeContext,
                                                               sqlite_hall: Hall, clerk: Actor) -> None:
    case, job, printer = _notice(sqlite_hall, clerk)
    dialog = _open(qtbot, work_context(clerk), case.case_number, printer)
    _settle(qtbot, dialog)
    assert dialog.reissue_button.isEnabled()  # nothing selected: the case's receipt
    _pick(qtbot, dialog, dialog.log_table, 0)
    assert dialog.selected == job and not dialog.reissue_button.isEnabled()


def test_the_receipt_printers_name_a_pdf_folder(qtbot: QtBot, work_context: MakeContext, sqlite_engine: Engine,
                                                clock: FakeClock, clerk: Actor, tmp_path: Path) -> None:
    hall = make_hall(sqlite_engine, clock, printer_receipts=f"pdf:{tmp_path}")
    case = register_visit(hall, clerk, form())
    dialog = PrintQueueDialog(work_context(clerk, hall=hall), case.case_number)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.refreshed, timeout=10_000):
        dialog.show()
    _settle(qtbot, dialog)
    texts = [dialog.printer.itemText(i) for i in range(dialog.printer.count())]
    assert texts and texts[0] == f"按设置：保存为PDF文件（{tmp_path}）"
    assert dialog.reissue_button.isEnabled()


def test_the_print_menu_offers_the_registration_receipt(qtbot: QtBot, work_context: MakeContext,
                                                        sqlite_hall: Hall, clerk: Actor) -> None:
    case = register_visit(sqlite_hall, clerk, form())
    desk = CaseDesk(work_context(clerk))
    qtbot.addWidget(desk)
    desk.show()
    with qtbot.waitSignal(desk.search.searched, timeout=10_000):
        desk.search.query.setText(case.case_number)
    with qtbot.waitSignal(desk.search.case_changed, timeout=10_000), \
            qtbot.waitSignal(desk.search.detail_shown, timeout=10_000):
        desk.search.table.setCurrentCell(0, 0)
    action = desk.print_button.receipt_action
    assert action is not None and desk.print_button.menu().actions()[0] is action
    assert action.text().startswith("登记回执")
    with qtbot.waitSignal(desk.queue_button.opened, timeout=10_000) as opened:
        action.trigger()
    assert opened.args is not None
    dialog: PrintQueueDialog = opened.args[0]
    _settle(qtbot, dialog)
    assert dialog.case_number == case.case_number and dialog.reissue_button.text() == "打印登记回执（生成查询码）"
    dialog.reject()
