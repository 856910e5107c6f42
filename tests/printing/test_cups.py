"""The application's Qt print path into a real CUPS queue (cups-pdf), read back from the PDF it wrote.

The Qt path rasterises every page, so what CUPS writes is an image of the page: the test
reads the case number back from the printed QR code and compares the printed page with
the document, pixel by pixel, at a coarse resolution.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image, ImageChops, ImageStat
from pytestqt.qtbot import QtBot

from desktop.documents.model import DocumentKind, RenderedDocument
from desktop.domain.access import Actor
from desktop.domain.errors import ValidationError
from desktop.printing.base import PrinterError, Problem
from desktop.printing.qt import QtSystemPrinter, system_queues
from desktop.printing.raster import iter_pages, page_sizes_mm
from desktop.services import printing
from desktop.services.context import Hall
from tests.printing.conftest import CupsQueue, make_doc
from ui.printing.preview import PrintPreviewDialog, printer_choices, printer_choices_for
from ui.shell.context import WorkContext

WAIT_S = 60.0


def _outputs(queue: CupsQueue) -> set[tuple[Path, int]]:
    return {(path, path.stat().st_mtime_ns) for path in queue.out.glob("*.pdf")}


def _printed(queue: CupsQueue, case_number: str, before: set[tuple[Path, int]],
             decode: Callable[[str], str] = lambda text: text) -> bytes:
    """The PDF cups-pdf wrote for ``case_number`` (read from its QR code with ``decode``).

    Polled until complete, with a deadline.
    """
    deadline = time.monotonic() + WAIT_S
    checked: set[tuple[Path, int]] = set()
    while time.monotonic() < deadline:
        for path in sorted(queue.out.glob("*.pdf")):
            version = (path, path.stat().st_mtime_ns)  # cups-pdf replaces a file of the same title
            if version in before or version in checked:
                continue
            data = path.read_bytes()
            if not data.rstrip().endswith(b"%%EOF"):
                continue  # still being written
            checked.add(version)
            text = _qr_text(next(iter_pages(data, 150, grayscale=True)))
            if text and _decoded(decode, text) == case_number:
                return data
        time.sleep(0.2)
    log = queue.log.read_text(errors="replace")[-3000:] if queue.log and queue.log.exists() else ""
    pytest.fail(f"CUPS 在 {WAIT_S:.0f} 秒内没有写出 {case_number} 的 PDF；cupsd 日志：\n{log}")


def _decoded(decode: Callable[[str], str], text: str) -> str:
    """``decode(text)``, or "" for a page of another kind: tests on other workers print to the same queue."""
    try:
        return decode(text)
    except ValidationError:
        return ""


def _qr_text(page: Image.Image) -> str:
    found = zxingcpp.read_barcodes(page)
    return found[0].text if found else ""


def _difference(printed: Image.Image, original: Image.Image) -> float:
    """How much two renderings differ, relative to the ink on the original: 0 same, 1 as unlike as a blank page.

    Measured here: the printed page 0.2 (edges resampled twice), another case's document 0.65.
    """
    original = original.resize(printed.size)
    changed = ImageStat.Stat(ImageChops.difference(printed, original)).mean[0]
    ink = ImageStat.Stat(ImageChops.invert(original)).mean[0]
    return float(changed / ink)


def _print_and_read(queue: CupsQueue, printer: QtSystemPrinter, doc: RenderedDocument) -> bytes:
    before = _outputs(queue)
    result = printer.print_document(doc)
    assert result.pages == doc.pages and queue.name in result.detail
    return _printed(queue, doc.case_number, before)


def test_a4_notice_through_cups(qtbot: QtBot, cups_queue: CupsQueue) -> None:
    assert cups_queue.name in system_queues()[0]
    doc = make_doc("XF-20260916-C01-00031-4", pages=2)
    printed = _print_and_read(cups_queue, QtSystemPrinter(cups_queue.name), doc)
    assert [tuple(round(x) for x in size) for size in page_sizes_mm(printed)] == [(210, 297), (210, 297)]
    for out, original in zip(iter_pages(printed, 40, grayscale=True), iter_pages(doc.pdf, 40, grayscale=True),
                             strict=True):
        assert _qr_text(out.resize((out.width * 3, out.height * 3))) == doc.case_number
        assert _difference(out, original) < 0.4


def test_receipt_on_the_default_queue(qtbot: QtBot, cups_queue: CupsQueue) -> None:
    printer = QtSystemPrinter(None)  # system: in the settings
    assert cups_queue.name in printer.describe()
    doc = make_doc("XF-20260916-C01-00032-2", kind=DocumentKind.REGISTRATION_RECEIPT)
    printed = _print_and_read(cups_queue, printer, doc)
    width, height = page_sizes_mm(printed)[0]
    assert (round(width), round(height)) == (80, 120)


def test_queue_problems_are_reported_before_submitting(qtbot: QtBot, cups_queue: CupsQueue) -> None:
    with pytest.raises(PrinterError) as stopped:
        QtSystemPrinter(cups_queue.stopped).print_document(make_doc())
    assert stopped.value.code in (Problem.REFUSED, Problem.PAUSED)
    assert stopped.value.message.startswith(f"打印机“{cups_queue.stopped}”的打印队列")
    with pytest.raises(PrinterError) as broken:
        QtSystemPrinter(cups_queue.name).print_document(dataclasses.replace(make_doc(), pdf=b"%PDF-1.7 broken"))
    assert broken.value.code == Problem.FAILED and "损坏" in broken.value.message
    with pytest.raises(PrinterError) as missing:
        QtSystemPrinter("NO-SUCH-QUEUE").print_document(make_doc())
    assert missing.value.code == Problem.MISSING and "找不到打印机“NO-SUCH-QUEUE”" in missing.value.message


def test_printer_choices_list_the_cups_queues(cups_queue: CupsQueue, sqlite_hall: Hall) -> None:
    doc = make_doc()
    texts = [text for text, _printer in printer_choices(sqlite_hall.settings, doc)]
    assert texts[0] == f"按设置：系统默认打印机“{cups_queue.name}”"  # printer_notices = "system:"
    assert f"系统打印机：{cups_queue.stopped}" in texts and f"系统打印机：{cups_queue.name}（系统默认）" not in texts
    receipt = make_doc(kind=DocumentKind.REGISTRATION_RECEIPT)
    assert [text for text, _p in printer_choices_for(sqlite_hall.settings, receipt.kind, receipt.media)] == [
        text for text, _p in printer_choices(sqlite_hall.settings, receipt)]


def test_the_preview_dialog_prints_off_the_gui_thread(qtbot: QtBot, cups_queue: CupsQueue,
                                                      work_context: Callable[..., WorkContext],
                                                      sqlite_hall: Hall, clerk: Actor) -> None:
    doc = make_doc("XF-20260916-C01-00033-0")
    dialog = PrintPreviewDialog(work_context(clerk), doc, {})  # the queues are asked for off the GUI thread
    qtbot.addWidget(dialog)
    assert dialog.selected_printer() is None and not dialog.print_button.isEnabled()
    qtbot.waitUntil(lambda: not dialog.tasks.busy and not dialog.lookup.busy, timeout=30_000)
    texts = [dialog.printer.itemText(i) for i in range(dialog.printer.count())]
    assert texts[0] == f"按设置：系统默认打印机“{cups_queue.name}”"  # printer_notices = "system:"
    assert f"系统打印机：{cups_queue.stopped}" in texts and f"系统打印机：{cups_queue.name}（系统默认）" not in texts
    before = _outputs(cups_queue)
    with qtbot.waitSignal(dialog.finished_printing, timeout=30_000) as finished:
        dialog.print_button.click()
    assert finished.args is not None and finished.args[0].printed, finished.args[0].message
    assert finished.args[0].job.printer == f"system:{cups_queue.name}" and not dialog.isVisible()
    _printed(cups_queue, doc.case_number, before)
    (job,) = printing.print_log(sqlite_hall, clerk, doc.case_number)
    assert (job.status, job.printer) == ("printed", f"system:{cups_queue.name}")
