"""The printer backends without a print queue: PDF files, the simulator, ESC/POS bytes, settings."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from escpos.printer import Dummy
from PIL import Image

from desktop.documents.model import DocumentKind, Media
from desktop.printing import cups
from desktop.printing.base import PrinterError, Problem
from desktop.printing.factory import printer_for
from desktop.printing.pdf_file import PdfFilePrinter
from desktop.printing.raster import RECEIPT_WIDTH_PX, receipt_image
from desktop.printing.simulated import SimulatedPrinter
from desktop.printing.spec import EscPosConnection, PrinterSpecError, parse_connection, parse_spec
from desktop.printing.thermal import EscPosPrinter
from tests.conftest import make_settings
from tests.printing.conftest import make_doc

GS = b"\x1d"


# -- save as PDF ----------------------------------------------------------------------------------

def test_pdf_file_printer_never_overwrites(tmp_path: Path) -> None:
    doc = make_doc()
    printer = PdfFilePrinter(tmp_path / "out")
    first = printer.print_document(doc)
    (tmp_path / "out" / "其他人的.pdf").write_bytes(b"keep")
    second = printer.print_document(doc)
    third = printer.print_document(doc)
    assert first.path is not None and second.path is not None and third.path is not None
    assert first.path.name == f"受理告知书_{doc.document_number}.pdf"
    assert second.path.name == f"受理告知书_{doc.document_number}-1.pdf"
    assert third.path.name == f"受理告知书_{doc.document_number}-2.pdf"
    assert all(p.read_bytes() == doc.pdf for p in (first.path, second.path, third.path))
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(
        [first.path.name, second.path.name, third.path.name, "其他人的.pdf"])  # no temporary file left
    assert "已保存到" in first.detail


def test_pdf_file_printer_fixed_name_and_unwritable_folder(tmp_path: Path) -> None:
    doc = make_doc()
    (tmp_path / "交付.pdf").write_bytes(b"old")
    saved = PdfFilePrinter(tmp_path, "交付.pdf").print_document(doc)
    assert saved.path == tmp_path / "交付-1.pdf" and (tmp_path / "交付.pdf").read_bytes() == b"old"
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    with pytest.raises(PrinterError) as refused:
        PdfFilePrinter(blocker / "sub").print_document(doc)
    assert "无法保存到" in refused.value.message or refused.value.code == Problem.NO_ACCESS


def test_simulated_printer_records_and_fails_on_request() -> None:
    printer = SimulatedPrinter()
    doc = make_doc()
    printer.print_document(doc)
    printer.fail_with(PrinterError(Problem.OFFLINE, "打印机未连接"), times=1)
    with pytest.raises(PrinterError, match="打印机未连接"):
        printer.print_document(doc)
    printer.print_document(doc)
    assert printer.printed == [doc, doc] and printer.attempts == 3


# -- ESC/POS --------------------------------------------------------------------------------------

def _raster_blocks(data: bytes) -> list[tuple[int, int]]:
    """(width in dots, height) of every ``GS v 0`` block in an ESC/POS stream."""
    blocks = []
    at = data.find(GS + b"v0")
    while at >= 0:
        x = data[at + 4] | data[at + 5] << 8
        y = data[at + 6] | data[at + 7] << 8
        blocks.append((x * 8, y))
        at = data.find(GS + b"v0", at + 8 + x * y)
    return blocks


def test_escpos_receipt_is_one_raster_image_576_dots_wide_then_cut() -> None:
    dummy = Dummy()
    doc = make_doc(kind=DocumentKind.REGISTRATION_RECEIPT)
    result = EscPosPrinter("usb:0x0416:0x5011", device_factory=lambda _c: dummy).print_document(doc)
    data = dummy.output
    blocks = _raster_blocks(data)
    assert blocks and all(width == RECEIPT_WIDTH_PX for width, _h in blocks)
    # 120 mm of roll at 203 dpi, sent in blocks of at most 960 lines.
    assert sum(h for _w, h in blocks) == pytest.approx(120 / 25.4 * 203, abs=2)
    assert GS + b"V" in data[data.rfind(GS + b"v0"):]  # the cut comes after the image
    assert "打印并切纸" in result.detail


def test_receipt_raster_keeps_the_printable_72_mm() -> None:
    image = receipt_image(make_doc(kind=DocumentKind.QUEUE_TICKET).pdf)
    assert image.mode == "1" and image.width == 576
    dark = image.convert("L").point(lambda v: 255 if v < 128 else 0).getbbox()
    assert dark is not None  # the case number and the QR code are there


def test_escpos_refuses_a4() -> None:
    with pytest.raises(PrinterError) as refused:
        EscPosPrinter("tcp:127.0.0.1", device_factory=lambda _c: Dummy()).print_document(make_doc())
    assert refused.value.code == Problem.UNSUPPORTED and "A4" in refused.value.message


class AnsweringDummy(Dummy):  # type: ignore[misc]
    """A printer that answers real-time status requests (DLE EOT n) with fixed bytes."""

    def __init__(self, answers: dict[int, int]) -> None:
        super().__init__()
        self.answers = answers
        self.last = 0

    def _raw(self, msg: bytes) -> None:
        if msg[:2] == b"\x10\x04":
            self.last = msg[2]
        super()._raw(msg)

    def _read(self) -> bytes:
        return bytes([self.answers[self.last]]) if self.last in self.answers else b""


@pytest.mark.parametrize(("answers", "code", "words"), [
    ({1: 0x12 | 0x08, 2: 0x12 | 0x04, 4: 0x12}, Problem.COVER_OPEN, "纸仓盖未合上"),
    ({1: 0x12, 4: 0x12 | 0x60}, Problem.OUT_OF_PAPER, "缺纸"),
    ({1: 0x12 | 0x08, 2: 0x12 | 0x20, 4: 0x12}, Problem.OUT_OF_PAPER, "缺纸"),
    ({1: 0x12 | 0x08, 2: 0x12, 4: 0x12}, Problem.OFFLINE, "离线"),
])
def test_escpos_status_stops_before_printing(answers: dict[int, int], code: str, words: str) -> None:
    device = AnsweringDummy(answers)
    with pytest.raises(PrinterError) as refused:
        EscPosPrinter("serial:/dev/ttyUSB0", device_factory=lambda _c: device).print_document(
            make_doc(kind=DocumentKind.REGISTRATION_RECEIPT))
    assert refused.value.code == code and words in refused.value.message
    assert GS + b"v0" not in device.output


def test_escpos_prints_when_status_is_fine_or_unanswered() -> None:
    for answers in ({1: 0x12, 4: 0x12}, {}, {1: 0xFF}):
        device = AnsweringDummy(answers)
        EscPosPrinter("serial:/dev/ttyUSB0", device_factory=lambda _c, d=device: d).print_document(
            make_doc(kind=DocumentKind.REGISTRATION_RECEIPT))
        assert GS + b"V" in device.output


def test_escpos_network_printer_that_is_off() -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    printer = EscPosPrinter(f"tcp:127.0.0.1:{port}", timeout=2)
    with pytest.raises(PrinterError) as refused:
        printer.print_document(make_doc(kind=DocumentKind.REGISTRATION_RECEIPT))
    assert refused.value.code == Problem.OFFLINE and "未连接或未开机" in refused.value.message


def test_escpos_serial_port_that_does_not_exist(tmp_path: Path) -> None:
    printer = EscPosPrinter(f"serial:{tmp_path / 'ttyUSB9'}")
    with pytest.raises(PrinterError) as refused:
        printer.print_document(make_doc(kind=DocumentKind.REGISTRATION_RECEIPT))
    assert refused.value.code == Problem.MISSING and "串口" in refused.value.message


def test_escpos_write_failure_midway_is_a_disconnect() -> None:
    class Unplugged(Dummy):  # type: ignore[misc]
        def _raw(self, msg: bytes) -> None:
            if msg.startswith(GS + b"v0"):
                raise OSError(32, "Broken pipe")
            super()._raw(msg)

    with pytest.raises(PrinterError) as refused:
        EscPosPrinter("tcp:10.0.0.9", device_factory=lambda _c: Unplugged()).print_document(
            make_doc(kind=DocumentKind.REGISTRATION_RECEIPT))
    assert refused.value.code == Problem.OFFLINE and "断开" in refused.value.message


# -- settings -------------------------------------------------------------------------------------

def test_specs_and_connections() -> None:
    assert str(parse_spec("")) == "system:"
    assert parse_spec("system:HP-2F").target == "HP-2F"
    assert parse_spec(" PDF:/srv/打印件 ").backend == "pdf"
    assert parse_connection("usb:0x0416:0x5011") == EscPosConnection("usb", vendor_id=0x0416, product_id=0x5011)
    assert parse_connection("usb:04b8:0202:81:03").in_ep == 0x81
    assert parse_connection("tcp:192.168.1.50:9100") == EscPosConnection("tcp", host="192.168.1.50", port=9100)
    assert parse_connection("tcp:printer.local").port == 9100
    assert parse_connection("serial:COM3:19200") == EscPosConnection("serial", device="COM3", baudrate=19200)
    for bad in ("lpt:1", "escpos:usb:zz:1", "escpos:usb:0x0416", "escpos:tcp:", "escpos:tcp:h:70000", "escpos:"):
        with pytest.raises(PrinterSpecError) as refused:
            parse_spec(bad)
        assert "应为以下之一" in refused.value.message


def test_printer_for_each_kind(tmp_path: Path) -> None:
    settings = make_settings(printer_receipts="escpos:tcp:192.168.1.50", printer_notices=f"pdf:{tmp_path}",
                             printer_by_kind={"转送单": "sim:转送", "QUEUE_TICKET": "sim:号票"})
    assert printer_for(DocumentKind.REGISTRATION_RECEIPT, settings).name == "escpos:tcp:192.168.1.50:9100"
    assert printer_for(DocumentKind.ACCEPTANCE_NOTICE, settings).name == f"pdf:{tmp_path}"
    assert printer_for(DocumentKind.REVIEW_RECEIPT, settings, media=Media.ROLL_80).name.startswith("escpos:")
    assert printer_for(DocumentKind.TRANSFER_FORM, settings).name == "sim:转送"
    assert printer_for(DocumentKind.QUEUE_TICKET, settings).name == "sim:号票"
    assert printer_for(DocumentKind.OPINION, make_settings()).name == "system:"  # the default queue
    with pytest.raises(PrinterSpecError) as refused:
        printer_for(DocumentKind.OPINION, make_settings(printer_notices="HP-2F"))
    assert refused.value.message.startswith("设置项 printer_notices：打印机设置“HP-2F”无法识别")


def test_settings_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    from desktop.config import load_settings

    monkeypatch.setenv("PH_PRINTER_RECEIPTS", "escpos:usb:0x0416:0x5011")
    monkeypatch.setenv("PH_PRINTER_BY_KIND", '{"受理告知书": "system:HP-2F"}')
    settings = load_settings(write_first_start=False)
    assert settings.printer_receipts == "escpos:usb:0x0416:0x5011"
    assert printer_for(DocumentKind.ACCEPTANCE_NOTICE, settings).name == "system:HP-2F"


# -- CUPS queue state -----------------------------------------------------------------------------

IDLE = "printer HP is idle.  enabled since Tue Nov 24 13:14:57 2026\n\tForm mounted:\n\tAlerts: none\n"
ACCEPTING = "HP accepting requests since Tue Nov 24 13:14:57 2026\n"


@pytest.mark.parametrize(("printers", "accepting", "code"), [
    (IDLE, ACCEPTING, None),
    (IDLE.replace("none", "media-empty-error"), ACCEPTING, Problem.OUT_OF_PAPER),
    (IDLE.replace("none", "media-needed"), ACCEPTING, Problem.OUT_OF_PAPER),
    (IDLE.replace("none", "offline-report"), ACCEPTING, Problem.OFFLINE),
    (IDLE.replace("none", "cover-open-error"), ACCEPTING, Problem.COVER_OPEN),
    (IDLE.replace("none", "media-low-warning"), ACCEPTING, None),
    (IDLE, "HP not accepting requests since Tue Nov 24 -\n\treason unknown\n", Problem.REFUSED),
    ("printer HP disabled since Tue Nov 24 13:16:08 2026 -\n\treason unknown\n\tAlerts: paused\n", ACCEPTING,
     Problem.PAUSED),
    ("", "", Problem.MISSING),
])
def test_cups_state_reasons(printers: str, accepting: str, code: str | None) -> None:
    status = cups.parse_status("HP", printers, accepting, found=bool(printers))
    error = cups.problem(status, "打印机“HP”")
    assert (error.code if error else None) == code
    if error is not None:
        assert error.message.startswith("打印机“HP”") or code == Problem.MISSING


def test_rasterised_pages_are_white_backed(tmp_path: Path) -> None:
    from desktop.printing.raster import iter_pages, page_count, page_sizes_mm

    doc = make_doc(pages=2)
    assert page_count(doc.pdf) == 2
    assert page_sizes_mm(doc.pdf)[0] == pytest.approx((210, 297), abs=0.5)
    first = next(iter_pages(doc.pdf, 30))
    assert isinstance(first, Image.Image) and first.mode == "RGB" and first.getpixel((0, 0)) == (255, 255, 255)
    with pytest.raises(PrinterError) as broken:
        page_count(b"%PDF-1.4 not really")
    assert broken.value.code == Problem.FAILED


def test_a_pc_that_prints_to_a_system_queue_loads_qts_print_support_on_the_gui_thread() -> None:
    """Any document going to a system queue (an empty setting is the system's default queue) means Qt's print
    support is imported on the GUI thread once the hall is open, not first on the printing worker."""
    import subprocess
    import sys

    from desktop.printing.factory import prints_through_qt

    pdf = {"printer_receipts": "pdf:/tmp/r", "printer_notices": "simulated:"}
    assert not prints_through_qt(make_settings(**pdf))
    assert prints_through_qt(make_settings(**pdf, printer_by_kind={"受理告知书": "system:HP"}))
    assert prints_through_qt(make_settings(printer_receipts="pdf:/tmp/r", printer_notices=""))
    assert not prints_through_qt(make_settings(**pdf, printer_by_kind={"受理告知书": "nonsense:x"}))
    script = """
import sys, threading
from desktop.config import Settings
from desktop.printing.factory import load_qt_printing
load_qt_printing(Settings(printer_receipts="pdf:/tmp/r", printer_notices="simulated:"))
before = "PySide6.QtPrintSupport" in sys.modules
load_qt_printing(Settings(printer_receipts="system:", printer_notices="simulated:"))
print(before, "PySide6.QtPrintSupport" in sys.modules)
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "True"]
