"""A document on paper leaves nothing of it waiting under 待补打."""

from __future__ import annotations

from desktop.documents.model import DocumentKind
from desktop.domain.access import Actor
from desktop.printing.base import PrinterError, Problem
from desktop.printing.pdf_file import PdfFilePrinter
from desktop.printing.simulated import SimulatedPrinter
from desktop.services import printing
from desktop.services.context import Hall
from desktop.services.registration import register_visit
from tests.helpers import form
from tests.printing.conftest import make_doc


def _failing() -> SimulatedPrinter:
    return SimulatedPrinter(fail_with=PrinterError(Problem.OUT_OF_PAPER, "打印机缺纸"), fail_times=99)


def test_a_reissued_receipt_on_paper_clears_the_receipt_still_waiting(hall: Hall, clerk: Actor) -> None:
    """The registration receipt failed; a reissued one printed: nothing of that receipt waits any more."""
    from desktop.services import documents

    result = register_visit(hall, clerk, form())
    receipt = documents.registration_receipt(hall, clerk, result)
    assert not printing.print_document(hall, clerk, receipt, None, _failing()).printed
    assert len(printing.pending_here(hall, clerk)) == 1
    outcome = printing.reissue_receipt(hall, clerk, result.case_number, SimulatedPrinter())
    assert outcome.printed and outcome.job.copy == 1
    assert printing.pending_here(hall, clerk) == []


def test_saving_as_a_file_is_not_paper(hall: Hall, clerk: Actor, tmp_path: object) -> None:
    doc = make_doc(kind=DocumentKind.ACCEPTANCE_NOTICE)
    assert not printing.print_document(hall, clerk, doc, None, _failing()).printed
    from pathlib import Path

    saved = printing.print_document(hall, clerk, doc, None, PdfFilePrinter(Path(str(tmp_path))))
    assert saved.printed
    assert [j.document_number for j in printing.pending_here(hall, clerk)] == [doc.document_number]
