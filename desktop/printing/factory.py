"""Which printer prints which document: from the settings, per kind of document.

``printer_by_kind`` names a printer for single kinds (``{"受理告知书": "system:HP-2F"}``);
every other 80 mm document goes to ``printer_receipts`` and every A4 one to
``printer_notices``. The Qt backend is imported only when a system queue is asked for.
"""

from __future__ import annotations

from pathlib import Path

from desktop.config import Settings
from desktop.documents.model import DocumentKind, Media
from desktop.printing.base import Printer
from desktop.printing.pdf_file import PdfFilePrinter, default_pdf_folder
from desktop.printing.simulated import SimulatedPrinter
from desktop.printing.spec import ROLL_KINDS, PrinterSpec, PrinterSpecError, parse_spec, spec_for
from desktop.printing.thermal import EscPosPrinter

__all__ = ["ROLL_KINDS", "build_printer", "default_pdf_folder", "load_qt_printing", "printer_for",
           "prints_through_qt", "spec_for"]


def prints_through_qt(settings: Settings) -> bool:
    """Whether any document of this PC goes to a system queue (through Qt's print support).

    The program then imports :mod:`desktop.printing.qt` on the GUI thread before anything prints: a
    Qt module of PySide6 imported on a worker thread, while the GUI thread made a Python wrapper for an
    application-wide event filter, crashed the program in PySide's type lookup.
    """
    for text in (settings.printer_receipts, settings.printer_notices, *settings.printer_by_kind.values()):
        try:
            if parse_spec(text).backend == "system":
                return True
        except PrinterSpecError:
            continue  # said where that printer is asked for
    return False


def load_qt_printing(settings: Settings) -> None:
    """On the GUI thread, once the hall is open: where a document goes to a system queue, Qt's print support
    is imported now (see :func:`prints_through_qt`); the printing itself then runs on a worker."""
    if prints_through_qt(settings):
        import desktop.printing.qt  # noqa: F401


def printer_for(kind: DocumentKind, settings: Settings, *, media: Media | None = None) -> Printer:
    """The configured printer for ``kind``; a bad setting raises :class:`PrinterSpecError` naming it."""
    setting, text = spec_for(kind, settings, media)
    try:
        spec = parse_spec(text)
    except PrinterSpecError as exc:
        raise PrinterSpecError(f"设置项 {setting}：{exc.message}") from exc
    return build_printer(spec)


def build_printer(spec: PrinterSpec) -> Printer:
    if spec.backend == "system":
        from desktop.printing.qt import QtSystemPrinter

        return QtSystemPrinter(spec.target or None)
    if spec.backend == "escpos":
        return EscPosPrinter(spec.target)
    if spec.backend == "pdf":
        return PdfFilePrinter(Path(spec.target) if spec.target else default_pdf_folder())
    return SimulatedPrinter(spec.target or "演示")
