"""The printer interface every backend implements, and the errors it raises."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from desktop.documents.model import RenderedDocument


class Problem:
    """Stable codes of :class:`PrinterError`, for tests and the print log (not shown to users)."""

    MISSING = "missing"  # no such queue, device or folder
    OFFLINE = "offline"  # not connected, switched off, unreachable
    OUT_OF_PAPER = "out_of_paper"
    PAPER_JAM = "paper_jam"
    COVER_OPEN = "cover_open"
    PAUSED = "paused"  # the queue is stopped by an administrator
    REFUSED = "refused"  # the spooler or device did not take the job
    NO_ACCESS = "no_access"  # no permission for the device or folder
    UNSUPPORTED = "unsupported"  # e.g. an A4 notice sent to an 80 mm receipt printer
    FAILED = "failed"  # anything else


class PrinterError(Exception):
    """A print that did not happen; ``message`` is a short phrase for the person at the screen."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class PrintResult:
    """What a printer did with a document: where it went and how many pages."""

    printer: str
    pages: int
    detail: str  # e.g. "已送交打印队列 HP-2F", "已保存到 /home/…/x.pdf"
    path: Path | None = None  # the file written, for PDF output


class Printer(Protocol):
    """A place a document can be printed to."""

    @property
    def name(self) -> str:
        """Short identifier for the print log (queue name, connection, folder)."""
        ...

    def describe(self) -> str:
        """The printer in plain Chinese, for choosers and messages."""
        ...

    def print_document(self, doc: RenderedDocument) -> PrintResult:
        """Print ``doc`` or raise :class:`PrinterError`."""
        ...
