"""The system print queue through Qt: CUPS on Linux (Debian, 统信UOS, 麒麟), the spooler on Windows.

QtPdf is not part of PySide6-Essentials, so each PDF page is rasterised with
pdfium at the printer's resolution (300 dpi for A4, 203 dpi for an 80 mm roll)
and drawn full-page into a ``QPrinter`` whose page is exactly the document's
page, with no margins added. Before anything is submitted the queue is checked:
missing, paused or in error (Qt), and on CUPS also out of paper, offline or not
accepting jobs (``desktop.printing.cups``).

What a spooler does after it accepted the job (the printer runs out of paper
halfway) is beyond this program: the job then waits in the system queue.
"""

from __future__ import annotations

from PIL import Image
from PySide6.QtCore import QMarginsF, QRectF, QSizeF
from PySide6.QtGui import QGuiApplication, QImage, QPageLayout, QPageSize, QPainter
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

from desktop.documents.model import Media, RenderedDocument
from desktop.printing import cups
from desktop.printing.base import PrinterError, PrintResult, Problem
from desktop.printing.raster import RECEIPT_DPI, iter_pages, page_count

A4_DPI = 300


def system_queues() -> tuple[list[str], str]:
    """The queues Qt can print to, and the default one (empty when there is none)."""
    return list(QPrinterInfo.availablePrinterNames()), QPrinterInfo.defaultPrinterName()


def page_size(doc: RenderedDocument) -> QPageSize:
    if doc.media is Media.A4:
        return QPageSize(QPageSize.PageSizeId.A4)
    return QPageSize(QSizeF(doc.page_width_mm, doc.page_height_mm), QPageSize.Unit.Millimeter,
                     f"{doc.page_width_mm:g}×{doc.page_height_mm:g}mm", QPageSize.SizeMatchPolicy.ExactMatch)


def to_qimage(image: Image.Image) -> QImage:
    """A deep copy, so the QImage does not point into the PIL buffer."""
    if image.mode == "L":
        return QImage(image.tobytes(), image.width, image.height, image.width,
                      QImage.Format.Format_Grayscale8).copy()
    rgb = image.convert("RGB")
    return QImage(rgb.tobytes(), rgb.width, rgb.height, rgb.width * 3, QImage.Format.Format_RGB888).copy()


class QtSystemPrinter:
    """A system print queue by name, or the system's default queue (``queue=None``)."""

    def __init__(self, queue: str | None = None, *, check_status: bool = True) -> None:
        self.queue = queue or None
        self.check_status = check_status

    @property
    def name(self) -> str:
        return f"system:{self.queue or ''}"

    def describe(self) -> str:
        if self.queue:
            return f"系统打印机“{self.queue}”"
        default = QPrinterInfo.defaultPrinterName()
        return f"系统默认打印机“{default}”" if default else "系统默认打印机（未设置）"

    def print_document(self, doc: RenderedDocument) -> PrintResult:
        if QGuiApplication.instance() is None:
            raise RuntimeError("QtSystemPrinter needs a QGuiApplication (the program's or a test's)")
        queue = self._queue()
        label = f"打印机“{queue}”"
        self._check(queue, label)
        dpi = A4_DPI if doc.media is Media.A4 else RECEIPT_DPI
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setPrinterName(queue)
        if printer.outputFormat() is not QPrinter.OutputFormat.NativeFormat or not printer.isValid():
            raise PrinterError(Problem.MISSING, f"找不到{label}")
        printer.setResolution(dpi)
        printer.setFullPage(True)
        layout = QPageLayout(page_size(doc), QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0),
                             QPageLayout.Unit.Millimeter)
        if not printer.setPageLayout(layout):
            raise PrinterError(Problem.UNSUPPORTED, f"{label}不支持{doc.media.value}纸张，请选择其他打印机")
        # The job's title in the system queue (and cups-pdf's file name): the case number first.
        printer.setDocName(f"{doc.case_number} {doc.title or doc.kind.value}".strip())
        # A PDF pdfium cannot open fails here, before anything reaches the spooler: after
        # begin(), CUPS gets the job even when it is aborted.
        page_count(doc.pdf)
        painter = QPainter()
        if not painter.begin(printer):
            raise PrinterError(Problem.REFUSED, f"{label}无法开始打印，请检查打印机设置")
        pages = 0
        try:
            for image in iter_pages(doc.pdf, dpi, grayscale=doc.media is not Media.A4):
                if pages and not printer.newPage():
                    raise PrinterError(Problem.REFUSED, f"{label}在第{pages + 1}页停止接收")
                painter.drawImage(QRectF(printer.paperRect(QPrinter.Unit.DevicePixel)), to_qimage(image))
                pages += 1
        except BaseException:
            printer.abort()
            painter.end()
            raise
        finished = painter.end()
        if not finished or printer.printerState() in (QPrinter.PrinterState.Error, QPrinter.PrinterState.Aborted):
            raise PrinterError(Problem.REFUSED, f"{label}没有接收打印任务，请检查打印机后重试")
        return PrintResult(self.name if self.queue else f"system:{queue}", pages, f"已送交{label}（{pages}页）")

    def _queue(self) -> str:
        names = QPrinterInfo.availablePrinterNames()
        if self.queue is None:
            default = QPrinterInfo.defaultPrinterName()
            if not default:
                raise PrinterError(Problem.MISSING,
                                   "本机没有设置默认打印机，请在系统设置中添加打印机或在本程序设置中指定")
            return default
        if self.queue not in names:
            raise PrinterError(Problem.MISSING, f"找不到打印机“{self.queue}”，请检查打印机是否已在系统中添加")
        return self.queue

    def _check(self, queue: str, label: str) -> None:
        if not self.check_status:
            return
        if cups.available():
            status = cups.queue_status(queue)
            if status is not None:
                error = cups.problem(status, label)
                if error is not None:
                    raise error
                return
        if QPrinterInfo.printerInfo(queue).state() is QPrinter.PrinterState.Error:
            raise PrinterError(Problem.OFFLINE, f"{label}处于错误或暂停状态（可能缺纸、卡纸或未连接），请检查后重试")
