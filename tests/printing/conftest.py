"""Documents made here with reportlab (the real renderer is tested with the documents package),
and the CUPS test queue that scripts/test.sh starts (scripts/cups-test-server.sh).

Like PostgreSQL: the CUPS tests are skipped with a reason when no queue is set up outside
CI; in CI a missing queue fails them, so the system print path never goes untested.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from pathlib import Path

import pytest
from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from desktop.documents.model import DocumentKind, Media, RenderedDocument

MM = 72 / 25.4
CASE_NUMBER = "XF-20260916-C01-00001-7"


def make_pdf(case_number: str = CASE_NUMBER, *, media: Media = Media.A4, pages: int = 1,
             roll_height_mm: float = 120.0, label: str = "") -> bytes:
    """Pages showing the case number in large type and as a QR code (read back after printing)."""
    size = A4 if media is Media.A4 else (80 * MM, roll_height_mm * MM)
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=size)
    width, height = size
    for page in range(pages):
        canvas.setFont("Helvetica-Bold", 20 if media is Media.A4 else 11)
        canvas.drawString(6 * MM, height - 18 * MM, case_number)
        canvas.setFont("Helvetica", 10)
        canvas.drawString(6 * MM, height - 26 * MM, f"page {page + 1}/{pages} {label}")
        side = 50 * MM if media is Media.A4 else 40 * MM
        widget = QrCodeWidget(case_number)
        x0, y0, x1, y1 = widget.getBounds()
        drawing = Drawing(side, side, transform=[side / (x1 - x0), 0, 0, side / (y1 - y0), 0, 0])
        drawing.add(widget)
        renderPDF.draw(drawing, canvas, (width - side) / 2, height - 32 * MM - side)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def make_doc(case_number: str = CASE_NUMBER, *, kind: DocumentKind = DocumentKind.ACCEPTANCE_NOTICE,
             media: Media | None = None, pages: int = 1, number: str | None = None,
             copy_label: str = "") -> RenderedDocument:
    media = media or (Media.ROLL_80 if kind in {DocumentKind.REGISTRATION_RECEIPT, DocumentKind.QUEUE_TICKET,
                                                 DocumentKind.RATING_RECEIPT} else Media.A4)
    height = 297.0 if media is Media.A4 else 120.0
    return RenderedDocument(kind=kind, media=media, document_number=number or f"{case_number}-{kind.name}",
                            case_number=case_number, title=kind.value,
                            pdf=make_pdf(case_number, media=media, pages=pages, label=copy_label),
                            page_width_mm=210.0 if media is Media.A4 else 80.0, page_height_mm=height,
                            pages=pages, copy_label=copy_label)


@dataclass(frozen=True)
class CupsQueue:
    name: str
    stopped: str  # a queue that is disabled and rejects jobs
    out: Path  # where cups-pdf writes what the queue printed
    log: Path | None


@pytest.fixture
def cups_queue() -> CupsQueue:
    name = os.environ.get("PH_TEST_CUPS_QUEUE")
    out = os.environ.get("PH_TEST_CUPS_OUT")
    if not name or not out:
        if os.environ.get("CI"):
            pytest.fail("CI 中必须提供 CUPS 测试打印队列（PH_TEST_CUPS_QUEUE），请用 scripts/test.sh 运行")
        pytest.skip("PH_TEST_CUPS_QUEUE 未设置：跳过 CUPS 打印测试（scripts/test.sh 会以 root 启动测试用 CUPS）")
    log = os.environ.get("PH_TEST_CUPS_LOG")
    return CupsQueue(name, os.environ.get("PH_TEST_CUPS_STOPPED_QUEUE", ""), Path(out),
                     Path(log) if log else None)
