"""“Save as PDF”: the document's own PDF, written to a folder without ever replacing a file."""

from __future__ import annotations

import contextlib
import errno
import os
import re
from pathlib import Path

from desktop.config import data_dir
from desktop.documents.model import RenderedDocument
from desktop.printing.base import PrinterError, PrintResult, Problem

_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')
MAX_SUFFIX = 999


def default_pdf_folder() -> Path:
    """Where ``pdf:`` without a folder saves: 打印件 in the data directory."""
    return data_dir() / "打印件"


def file_stem(doc: RenderedDocument) -> str:
    """``受理告知书_XF-20260916-C01-00001-7`` (plus the copy label for a reprint)."""
    parts = [doc.kind.value, doc.document_number or doc.case_number]
    if doc.copy_label:
        parts.append(doc.copy_label)
    stem = "_".join(p for p in parts if p)
    return _UNSAFE.sub("_", stem).strip(" .") or "文书"


class PdfFilePrinter:
    """Writes the PDF into ``folder``: ``name.pdf``, else ``name-1.pdf``, ``name-2.pdf``…

    The file appears complete or not at all: the bytes go to a temporary file that
    then replaces a name reserved with an exclusive create, so a file someone else
    wrote is never overwritten and a crash never leaves half a PDF.
    """

    def __init__(self, folder: Path | str, file_name: str = "") -> None:
        self.folder = Path(folder).expanduser()
        self.file_name = file_name  # a fixed stem ("save as…"); empty: from the document

    @property
    def name(self) -> str:
        return f"pdf:{self.folder}"

    def describe(self) -> str:
        return f"保存为PDF文件（{self.folder}）"

    def print_document(self, doc: RenderedDocument) -> PrintResult:
        stem = _UNSAFE.sub("_", self.file_name.removesuffix(".pdf")) if self.file_name else file_stem(doc)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            target = self._reserve(stem)
        except OSError as exc:
            raise folder_error(exc, self.folder) from exc
        tmp = target.with_name(f".{target.name}.tmp")
        try:
            # Personal data: readable by this user only, like the reserved name.
            with os.fdopen(os.open(tmp, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, 0o600), "wb") as out:
                out.write(doc.pdf)
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, target)
        except OSError as exc:
            for leftover in (tmp, target):
                with contextlib.suppress(OSError):
                    leftover.unlink()
            raise folder_error(exc, self.folder) from exc
        return PrintResult(self.name, doc.pages, f"已保存到 {target}", target)

    def _reserve(self, stem: str) -> Path:
        for n in range(MAX_SUFFIX + 1):
            candidate = self.folder / (f"{stem}.pdf" if n == 0 else f"{stem}-{n}.pdf")
            try:
                fd = os.open(candidate, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
            except FileExistsError:
                continue
            os.close(fd)
            return candidate
        raise PrinterError(Problem.REFUSED, f"文件夹 {self.folder} 中同名文件过多，请整理后再保存")


def folder_error(exc: OSError, folder: Path) -> PrinterError:
    """Why a PDF could not be saved in ``folder``, in words."""
    if isinstance(exc, PermissionError):
        return PrinterError(Problem.NO_ACCESS, f"没有权限写入文件夹 {folder}")
    if exc.errno == errno.ENOSPC:
        return PrinterError(Problem.REFUSED, f"磁盘已满，无法保存到 {folder}")
    return PrinterError(Problem.FAILED, f"无法保存到 {folder}（{exc.strerror or exc}）")
