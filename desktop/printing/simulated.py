"""A printer that only records what it was given: for tests, the demo and training."""

from __future__ import annotations

from desktop.documents.model import RenderedDocument
from desktop.printing.base import PrinterError, PrintResult


class SimulatedPrinter:
    """Records every document; ``fail_with`` makes the next prints raise that error.

    ``fail_times`` limits how many prints fail (``None``: until ``fail_with(None)``).
    """

    def __init__(self, name: str = "sim", *, fail_with: PrinterError | None = None,
                 fail_times: int | None = None) -> None:
        self._name = name
        self.printed: list[RenderedDocument] = []
        self.attempts = 0
        self._error = fail_with
        self._fail_times = fail_times

    @property
    def name(self) -> str:
        return f"sim:{self._name}"

    def describe(self) -> str:
        return f"模拟打印机（{self._name}，不出纸）"

    def fail_with(self, error: PrinterError | None, times: int | None = None) -> None:
        self._error, self._fail_times = error, times

    def print_document(self, doc: RenderedDocument) -> PrintResult:
        self.attempts += 1
        if self._error is not None and self._fail_times != 0:
            error = self._error
            if self._fail_times is not None:
                self._fail_times -= 1
            raise error
        self.printed.append(doc)
        return PrintResult(self.name, doc.pages, f"已送交模拟打印机（{doc.pages}页，不出纸）")
