"""Whether a printer would print now, asked without printing anything: for a kiosk whose printer is known not
to work, to see it work again before the next citizen's receipt (``desktop.services.peripherals``).

Asked only where it is cheap and says what a print would meet: a CUPS queue's state and reasons
(``lpstat``, as a print asks them first), a PDF folder's writability (a file made and removed
there), an ESC/POS printer's connection and real-time status (as a print asks them first). A
spooler without CUPS (Windows) and the simulator cannot be asked: they are told by the next print.
Never imports Qt: it runs off the GUI thread.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from desktop.printing import cups
from desktop.printing.base import PrinterError
from desktop.printing.pdf_file import folder_error
from desktop.printing.spec import PrinterSpecError, parse_spec

NO_DEFAULT = "本机没有设置默认打印机，请在系统设置中添加打印机或在本程序设置中指定"


def printer_state(text: str) -> str | None:
    """The printer a setting names: "" when it would print now, else why not in the words a print would
    use; ``None`` when it cannot be asked cheaply (or the setting is not understood)."""
    try:
        spec = parse_spec(text)
    except PrinterSpecError:
        return None
    try:
        if spec.backend == "system":
            return _queue_state(spec.target)
        if spec.backend == "pdf":
            from desktop.printing.pdf_file import default_pdf_folder

            _check_folder(Path(spec.target).expanduser() if spec.target else default_pdf_folder())
            return ""
        if spec.backend == "escpos":
            from desktop.printing.thermal import EscPosPrinter

            EscPosPrinter(spec.target).check()
            return ""
    except PrinterError as error:
        return error.message
    return None


def _queue_state(queue: str) -> str | None:
    if not cups.available():
        return None
    if not queue:
        _names, queue = cups.queues()
        if not queue:
            return NO_DEFAULT
    status = cups.queue_status(queue)
    if status is None:
        return None
    if not status.exists:
        return f"找不到打印机“{queue}”，请检查打印机是否已在系统中添加"
    problem = cups.problem(status, f"打印机“{queue}”")
    return problem.message if problem is not None else ""


def _check_folder(folder: Path) -> None:
    """A PDF would be saved in ``folder``: a file can be made there (and is removed at once)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".ph-check-", suffix=".tmp"):
            pass
    except OSError as exc:
        raise folder_error(exc, folder) from exc
