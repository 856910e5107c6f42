"""The print log on both databases: jobs, pending PDFs, retries, reprints, audit, permissions."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest
from sqlalchemy import select

from db.models import PrintJobRow
from desktop.documents.model import DocumentKind, RenderedDocument
from desktop.domain.access import Actor, PermissionDenied
from desktop.domain.audit import AuditAction
from desktop.domain.errors import RuleViolation
from desktop.printing.base import PrinterError, Problem
from desktop.printing.simulated import SimulatedPrinter
from desktop.services import printing
from desktop.services.audit import AuditQuery, list_audit, verify_audit
from desktop.services.context import Hall
from tests.printing.conftest import CASE_NUMBER, make_doc

RECEIPT = DocumentKind.REGISTRATION_RECEIPT
DATA: dict[str, Any] = {"case_number": CASE_NUMBER, "petitioner": {"name": "张建国", "query_code": "12345678"},
                        "query_code": "87654321", "items": [{"query_code": "1"}, {"title": "诉求"}]}


def _audit(hall: Hall, action: AuditAction) -> list[Mapping[str, Any]]:
    return [dict(e.detail) for e in reversed(list_audit(hall, Actor.system(), AuditQuery(action=action.value)))]


def _row(hall: Hall, job_id: int) -> PrintJobRow:
    with hall.sessions() as session:
        row = session.scalars(select(PrintJobRow).where(PrintJobRow.id == job_id)).one()
        session.expunge(row)
        return row


def test_printed_job_is_logged_without_pdf_or_secrets(hall: Hall, clerk: Actor) -> None:
    printer = SimulatedPrinter()
    doc = make_doc()
    outcome = printing.print_document(hall, clerk, doc, DATA, printer)
    assert outcome.printed and printer.printed == [doc]
    assert outcome.message == "受理告知书已送交模拟打印机（1页，不出纸）"
    job = outcome.job
    assert (job.status, job.copy, job.kind, job.case_number, job.actor_id, job.device, job.printer) == (
        "printed", 0, "受理告知书", CASE_NUMBER, clerk.actor_id, "C01", "sim:sim")
    assert not job.has_pdf and _row(hall, job.job_id).pdf is None
    assert job.data == {"case_number": CASE_NUMBER, "petitioner": {"name": "张建国"}, "items": [{}, {"title": "诉求"}]}
    assert "12345678" not in _row(hall, job.job_id).data and "87654321" not in _row(hall, job.job_id).data
    assert _audit(hall, AuditAction.PRINT) == [{"job": job.job_id, "kind": "受理告知书",
                                                "document": doc.document_number, "copy": 0, "printer": "sim:sim",
                                                "status": "printed"}]
    assert [j.job_id for j in printing.print_log(hall, clerk, CASE_NUMBER.lower())] == [job.job_id]
    assert printing.print_log(hall, clerk, "XF-20260916-C01-00002-5") == []


def test_a_queue_ticket_not_printed_says_the_number_stands(hall: Hall, clerk: Actor) -> None:
    printer = SimulatedPrinter(fail_with=PrinterError(Problem.OUT_OF_PAPER, "打印机缺纸"))
    outcome = printing.print_document(hall, clerk, make_doc(kind=DocumentKind.QUEUE_TICKET), DATA, printer)
    assert not outcome.printed and outcome.message == "打印机缺纸。号码已取得，仍然有效"


def test_offline_printer_keeps_the_receipt_until_retried(hall: Hall, clerk: Actor) -> None:
    printer = SimulatedPrinter(fail_with=PrinterError(Problem.OFFLINE, "打印机未连接"))
    doc = make_doc(kind=RECEIPT)
    outcome = printing.print_document(hall, clerk, doc, DATA, printer)
    assert not outcome.printed and outcome.error is not None and outcome.error.code == Problem.OFFLINE
    assert outcome.message == "打印机未连接。回执已保存，可稍后补打"
    pending = printing.pending_jobs(hall, clerk)
    assert [(j.job_id, j.status, j.has_pdf, j.error) for j in pending] == [
        (outcome.job.job_id, "pending", True, "打印机未连接")]
    assert _row(hall, outcome.job.job_id).pdf == doc.pdf

    printer.fail_with(None)
    again = printing.retry(hall, clerk, outcome.job.job_id, printer)
    assert again.printed and printer.printed[0].pdf == doc.pdf and printer.printed[0].kind is RECEIPT
    assert printing.pending_jobs(hall, clerk) == []
    first, second = _row(hall, outcome.job.job_id), _row(hall, again.job.job_id)
    assert (first.status, first.pdf, second.status, second.pdf, second.retry_of, second.copy) == (
        "failed", None, "printed", None, first.id, 0)
    assert [(d["status"], d.get("error"), d.get("retry_of")) for d in _audit(hall, AuditAction.PRINT)] == [
        ("pending", "offline", None), ("printed", None, first.id)]
    with pytest.raises(RuleViolation) as refused:
        printing.retry(hall, clerk, outcome.job.job_id, printer)
    assert refused.value.code == "not_pending"
    assert verify_audit(hall, Actor.system()).ok


def test_a_citizen_at_the_kiosk_is_told_no_printer_settings(hall: Hall, clerk: Actor, kiosk: Actor) -> None:
    words = "本机没有设置默认打印机，请在系统设置中添加打印机或在本程序设置中指定"
    printer = SimulatedPrinter(fail_with=PrinterError(Problem.MISSING, words))
    outcome = printing.print_document(hall, kiosk, make_doc(kind=RECEIPT), DATA, printer)
    assert not outcome.printed and outcome.message == "打印机暂时不能使用"
    ticket = printing.print_document(hall, kiosk, make_doc(kind=DocumentKind.QUEUE_TICKET), DATA, printer)
    assert ticket.message == "打印机暂时不能使用。号码已取得，仍然有效"
    (job, _ticket) = printing.pending_jobs(hall, clerk)
    assert job.error == words  # staff still read the printer's own words
    staff = printing.print_document(hall, clerk, make_doc(kind=RECEIPT, number="R-2"), DATA, printer)
    assert staff.message == f"{words}。回执已保存，可稍后补打"


def test_printing_the_same_original_twice(hall: Hall, clerk: Actor) -> None:
    printer = SimulatedPrinter(fail_with=PrinterError(Problem.OUT_OF_PAPER, "打印机缺纸"), fail_times=1)
    doc = make_doc()
    failed = printing.print_document(hall, clerk, doc, DATA, printer)
    printed = printing.print_document(hall, clerk, doc, DATA, printer)  # the clerk simply presses 打印 again
    assert printed.printed and printed.job.retry_of == failed.job.job_id
    assert printing.pending_jobs(hall, clerk) == []
    with pytest.raises(RuleViolation) as refused:
        printing.print_document(hall, clerk, doc, DATA, printer)
    assert refused.value.code == "already_printed" and "补打" in refused.value.message


def test_reprints_are_numbered_and_labelled(hall: Hall, clerk: Actor) -> None:
    printer = SimulatedPrinter()
    original = printing.print_document(hall, clerk, make_doc(), DATA, printer)
    seen: list[tuple[Mapping[str, Any], str]] = []

    def render(data: Mapping[str, Any], label: str) -> RenderedDocument:
        seen.append((data, label))
        return make_doc(copy_label=label)

    first = printing.reprint(hall, clerk, original.job.job_id, render, printer)
    second = printing.reprint(hall, clerk, first.job.job_id, render, printer)
    assert [label for _d, label in seen] == ["补打（第1次）", "补打（第2次）"]
    assert seen[0][0] == original.job.data and "query_code" not in str(seen[0][0])
    assert (first.job.copy, second.job.copy) == (1, 2)
    assert (first.job.copy_label, second.job.copy_label) == ("补打（第1次）", "补打（第2次）")
    assert [d.copy_label for d in printer.printed] == ["", "补打（第1次）", "补打（第2次）"]
    assert first.message.startswith("受理告知书（补打（第1次））")
    assert [d["copy"] for d in _audit(hall, AuditAction.REPRINT)] == [1, 2]
    assert [j.copy for j in printing.print_log(hall, clerk, CASE_NUMBER)] == [2, 1, 0]


def test_a_failed_reprint_keeps_its_number(hall: Hall, clerk: Actor) -> None:
    printer = SimulatedPrinter()
    original = printing.print_document(hall, clerk, make_doc(), DATA, printer)
    printer.fail_with(PrinterError(Problem.OFFLINE, "打印机未连接"), times=1)
    failed = printing.reprint(hall, clerk, original.job.job_id, lambda _d, label: make_doc(copy_label=label), printer)
    assert not failed.printed and failed.job.copy == 1
    retried = printing.retry(hall, clerk, failed.job.job_id, printer)
    assert retried.printed and retried.job.copy == 1 and printer.printed[-1].copy_label == "补打（第1次）"
    assert [d["status"] for d in _audit(hall, AuditAction.REPRINT)] == ["pending", "printed"]


def test_reprint_needs_a_printed_original(hall: Hall, clerk: Actor) -> None:
    printer = SimulatedPrinter(fail_with=PrinterError(Problem.OFFLINE, "打印机未连接"))
    pending = printing.print_document(hall, clerk, make_doc(), DATA, printer)
    with pytest.raises(RuleViolation) as refused:
        printing.reprint(hall, clerk, pending.job.job_id, lambda _d, label: make_doc(copy_label=label), printer)
    assert refused.value.code == "not_printed"


def test_who_may_print(hall: Hall, clerk: Actor, kiosk: Actor) -> None:
    printer = SimulatedPrinter(fail_with=PrinterError(Problem.OUT_OF_PAPER, "打印机缺纸"))
    display = Actor.display_screen("D01")
    with pytest.raises(PermissionDenied):
        printing.print_document(hall, display, make_doc(kind=RECEIPT), DATA, printer)
    with pytest.raises(PermissionDenied) as refused:
        printing.print_document(hall, kiosk, make_doc(), DATA, printer)  # an A4 notice at a kiosk
    assert "打印受理告知书" in refused.value.message
    assert len(_audit(hall, AuditAction.PERMISSION_DENIED)) == 2

    mine = printing.print_document(hall, kiosk, make_doc(kind=RECEIPT), DATA, printer)  # self-service receipt
    theirs = printing.print_document(hall, clerk, make_doc(kind=RECEIPT, number="R-2"), DATA, printer)
    assert [j.job_id for j in printing.pending_jobs(hall, kiosk)] == [mine.job.job_id]
    assert [j.job_id for j in printing.pending_jobs(hall, clerk)] == [mine.job.job_id, theirs.job.job_id]
    with pytest.raises(RuleViolation):
        printing.retry(hall, kiosk, theirs.job.job_id, printer)
    for refused_call in (lambda: printing.print_log(hall, kiosk),
                         lambda: printing.pending_jobs(hall, display),
                         lambda: printing.reprint(hall, kiosk, mine.job.job_id,
                                                  lambda _d, _l: make_doc(kind=RECEIPT), printer)):
        with pytest.raises(PermissionDenied):
            refused_call()
    admin = Actor("staff:guanli", "管理员", "admin")  # runs the system, sees no petitioner data
    with pytest.raises(PermissionDenied):
        printing.print_log(hall, admin)


def test_secret_keys_come_from_the_documents_package() -> None:
    assert "query_code" in printing.secret_keys()
    assert printing.public_data({"when": __import__("datetime").date(2026, 9, 16), "kind": RECEIPT,
                                 "blob": b"\x00", "n": (1, 2)}) == {
        "when": "2026-09-16", "kind": "登记回执", "blob": None, "n": [1, 2]}
