"""The one path for everything unexpected: a log for the administrator, plain words for the user.

A refusal of the rules (:class:`~desktop.domain.errors.RuleViolation`) is what the
user is told, word for word. Anything else is a fault of the program: it is written
to the log with a short reference (``E-1205-0931-3F2A``), and the user reads a plain
Chinese sentence with that reference to give the administrator — never an
exception's text, which may carry a query's values and so personal data.

The log (``logs/petition-hall.log`` in the data directory, rotated at 1 MB, five
kept) holds exception types and where they happened; digits and Chinese text in
exception messages are blotted out, so no name, ID number or phone reaches it.
"""

from __future__ import annotations

import contextlib
import logging
import re
import sys
import threading
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any

from desktop.domain.chinatime import china_now

log = logging.getLogger("petition_hall")

#: Called with (reference, error) for every unexpected error (tests fail on them).
unexpected_hooks: list[Callable[[str, BaseException], None]] = []

#: Chinese text (a name, an address). Compiled when first needed: a character class of this size costs some 1.5 ms,
#: which every window's start would pay before its first frame for a message it may never write.
_CJK = r"[\u3000-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]+"
_DIGITS = re.compile(r"\d{4,}")
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")


def scrub(text: str) -> str:
    """``text`` without what could be personal data: long digit runs, Chinese text, quoted values."""
    text = _QUOTED.sub("'…'", text)
    text = re.sub(_CJK, "〔…〕", text)  # (re keeps the compiled pattern)
    return _DIGITS.sub(lambda m: m.group(0)[:2] + "…", text)


def _reference() -> str:
    import secrets  # (hashlib and OpenSSL: not loaded before the first frame)

    return f"E-{china_now():%m%d-%H%M}-{secrets.token_hex(2).upper()}"


def _is_refusal(error: BaseException) -> bool:
    from desktop.domain.errors import RuleViolation

    return isinstance(error, RuleViolation)


def record_unexpected(error: BaseException, context: str = "") -> str:
    """Log ``error`` (scrubbed) and return the reference the user can quote."""
    reference = getattr(error, "_ph_reference", None)
    if isinstance(reference, str):
        return reference  # already logged
    reference = _reference()
    frames = traceback.extract_tb(error.__traceback__)
    where = "".join(f"\n  {Path(f.filename).name}:{f.lineno} in {f.name}" for f in frames)
    log.error("%s %s%s: %s%s", reference, f"[{context}] " if context else "", type(error).__name__,
              scrub(str(error)), where)
    with contextlib.suppress(AttributeError):
        error._ph_reference = reference  # type: ignore[attr-defined]
    for hook in list(unexpected_hooks):
        hook(reference, error)
    return reference


def user_message(error: BaseException, doing: str = "") -> str:
    """What the person at the screen is told of ``error``: a refusal as it is, anything else plainly.

    ``doing`` names the work in a few words (``打印``, ``读取打印记录``).
    """
    if _is_refusal(error):
        return str(getattr(error, "message", "")) or "操作未完成"
    reference = record_unexpected(error, doing)
    what = f"{doing}时" if doing else ""
    return (f"{what}程序出现意外问题，操作没有完成，已录入的内容仍在。"
            f"请稍后重试；如再次出现，请把参考号 {reference} 告诉系统管理员。")


#: The object name of the message box of a failure (one per window at a time).
FAILURE_BOX = "failure"


def _teller(parent: Any) -> Callable[[str, str], None] | None:
    """The ``tell_failure(message, reference)`` of the window ``parent`` is in, where it tells failures its own way
    (the kiosk: a card in its style); with no parent, of a shown window that has one."""
    from PySide6.QtWidgets import QApplication, QWidget

    widgets: list[QWidget] = []
    widget = parent if isinstance(parent, QWidget) else None
    while widget is not None:
        widgets.append(widget)
        widget = widget.parentWidget()
    if not widgets:
        widgets = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
    for widget in widgets:
        for candidate in (widget, getattr(widget, "body", None)):
            tell = getattr(candidate, "tell_failure", None)
            if callable(tell):
                return tell  # type: ignore[no-any-return]
    return None


def show_failure(parent: Any, error: BaseException, doing: str = "") -> None:
    """A failure nobody else took care of, told in a message box (or as the window tells them: the kiosk's card).

    A window shows one such box at a time: a failure while one is open is in the log only (a fault repeating
    on every tap stacked box on box)."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QMessageBox, QWidget

    tell = _teller(parent)
    if tell is not None:
        if _is_refusal(error):
            tell(str(getattr(error, "message", "")) or "操作未完成", "")
        else:
            tell("", record_unexpected(error, doing))
        return
    text = user_message(error, doing)
    owner = parent.window() if isinstance(parent, QWidget) else None
    if owner is not None and any(box.isVisible() for box in owner.findChildren(QMessageBox, FAILURE_BOX)):
        return
    box = QMessageBox(QMessageBox.Icon.Warning, "操作未完成", text, parent=owner)
    box.setObjectName(FAILURE_BOX)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()


def log_file(data_dir: Path) -> Path:
    return data_dir / "logs" / "petition-hall.log"


def setup_logging(data_dir: Path) -> Path | None:
    """Write the log to the data directory (once); returns its path, or None when it cannot be written."""
    import logging.handlers  # loaded here, not with the module: a few ms before the first frame

    path = log_file(data_dir)
    if any(isinstance(h, logging.handlers.RotatingFileHandler) for h in log.handlers):
        return path
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(path, maxBytes=1_000_000, backupCount=5, encoding="utf-8")
    except OSError:
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    return path


def install_exception_hooks() -> None:
    """Errors no one caught — on the GUI thread (in a slot) or on any other thread — take the one path."""
    def gui_hook(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, error, tb)
            return
        error.__traceback__ = tb
        try:
            from PySide6.QtWidgets import QApplication

            window = QApplication.activeWindow()
            show_failure(window, error)
        except Exception:  # the message box itself failed: the log has it all the same
            record_unexpected(error)

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        if args.exc_value is not None:
            record_unexpected(args.exc_value, f"thread {args.thread.name if args.thread else '?'}")

    sys.excepthook = gui_hook
    threading.excepthook = thread_hook
