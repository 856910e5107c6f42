"""Printing what the documents package renders: the receipt on a thermal printer and through CUPS,
the print log without the query code, and a reprint rendered again from the log."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import zxingcpp
from escpos.printer import Dummy
from pytestqt.qtbot import QtBot

from desktop.documents.model import DocumentKind, RenderedDocument
from desktop.documents.render import render
from desktop.domain.access import Actor
from desktop.domain.qrpayload import parse_payload
from desktop.printing.qt import QtSystemPrinter
from desktop.printing.raster import receipt_image
from desktop.printing.simulated import SimulatedPrinter
from desktop.printing.thermal import EscPosPrinter
from desktop.services import documents, printing
from desktop.services.context import Hall
from desktop.services.registration import RegistrationResult, register_visit
from tests.helpers import form
from tests.printing.conftest import CupsQueue
from tests.printing.test_cups import _outputs, _printed


def _receipt(hall: Hall, kiosk: Actor) -> tuple[RegistrationResult, RenderedDocument]:
    result = register_visit(hall, kiosk, form())
    return result, documents.registration_receipt(hall, kiosk, result)


def test_kiosk_receipt_on_a_thermal_printer_scans_back(sqlite_hall: Hall, kiosk: Actor) -> None:
    result, doc = _receipt(sqlite_hall, kiosk)
    strip = receipt_image(doc.pdf)
    assert strip.width == 576
    (code,) = zxingcpp.read_barcodes(strip.convert("L"))  # the QR survives 203 dpi, black and white
    assert parse_payload(code.text) == (result.case_number, result.query_code)
    dummy = Dummy()
    outcome = printing.print_document(sqlite_hall, kiosk, doc, None, EscPosPrinter(
        "usb:0x0416:0x5011", device_factory=lambda _c: dummy))
    assert outcome.printed and b"\x1dv0" in dummy.output and dummy.output.endswith(b"\x1dV\x00")


def test_the_log_keeps_no_query_code_and_a_reprint_has_none(sqlite_hall: Hall, kiosk: Actor, clerk: Actor) -> None:
    result, doc = _receipt(sqlite_hall, kiosk)
    printer = SimulatedPrinter()
    original = printing.print_document(sqlite_hall, kiosk, doc, None, printer)  # data from the document
    assert original.job.data["case_number"] == result.case_number and "query_code" not in original.job.data
    assert result.query_code not in str(original.job.data)

    def again(data: Mapping[str, Any], label: str) -> RenderedDocument:
        return render(DocumentKind.REGISTRATION_RECEIPT, data, copy_label=label)

    copy = printing.reprint(sqlite_hall, clerk, original.job.job_id, again, printer)
    assert copy.printed and copy.job.copy == 1 and printer.printed[-1].copy_label == "补打（第1次）"
    assert zxingcpp.read_barcodes(receipt_image(printer.printed[-1].pdf).convert("L")) == []  # no code, no QR


def test_a_real_receipt_through_cups(qtbot: QtBot, cups_queue: CupsQueue, sqlite_hall: Hall, kiosk: Actor,
                                     tmp_path: Path) -> None:
    result, doc = _receipt(sqlite_hall, kiosk)
    before = _outputs(cups_queue)
    outcome = printing.print_document(sqlite_hall, kiosk, doc, None, QtSystemPrinter(cups_queue.name))
    assert outcome.printed, outcome.message
    printed = _printed(cups_queue, result.case_number, before, decode=lambda text: parse_payload(text)[0])
    assert printed.startswith(b"%PDF")
