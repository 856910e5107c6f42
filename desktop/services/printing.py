"""Printing with a log: every attempt is a job row, and a failed print is never lost.

An attempt is written as ``pending`` with the document's PDF *before* the printer
is asked, and finished afterwards in one transaction with its audit entry
(打印, or 补打 for a copy): ``printed`` clears the PDF (the database is encrypted,
but it keeps no more than it needs); a :class:`PrinterError` leaves the job
``pending`` with the PDF, and the person hears in plain words that the document
is kept for later. A crash in between leaves the job pending too. Retrying a
pending job makes a new attempt and marks the old one ``failed``, so every
attempt stays in the log and only one pending job holds the PDF.

The render data is logged without secrets (the query code is on the original
receipt only and never stored in plain), so a reprint is rendered again from it
with a label such as ``补打（第1次）`` printed on the paper.

Printers are handed in by the caller (``desktop.printing``); this module never
imports a backend, so it runs without Qt.
"""

from __future__ import annotations

import dataclasses
import importlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from enum import Enum
from typing import Any

from sqlalchemy import ColumnElement, and_, func, select, update

from db.models import PrintJobRow
from desktop.documents.model import DocumentKind, Media, RenderedDocument
from desktop.domain.access import Permission
from desktop.domain.audit import AuditAction
from desktop.domain.errors import RuleViolation, ValidationError
from desktop.domain.roles import Role
from desktop.printing.base import Printer, PrinterError, PrintResult
from desktop.services import kiosk_prints, peripherals
from desktop.services.audit import audit, guard
from desktop.services.context import Actor, Hall

PRINTED, PENDING, FAILED = "printed", "pending", "failed"
FILE_PRINTER = "pdf:"  # name prefix of PdfFilePrinter: a saved file, not paper
STATUS_NAMES: Mapping[str, str] = {PRINTED: "已打印", PENDING: "待补打", FAILED: "未打印（已重新打印）"}

#: Keys never written to the print log, whatever the documents package adds to them.
BASE_SECRET_KEYS = frozenset({"query_code"})

Render = Callable[[Mapping[str, Any], str], RenderedDocument]


def secret_keys() -> frozenset[str]:
    """``SECRET_KEYS`` of the documents package (where it defines them) plus the query code."""
    keys = set(BASE_SECRET_KEYS)
    for name in ("desktop.documents", "desktop.documents.templates", "desktop.documents.render"):
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        found = getattr(module, "SECRET_KEYS", ())
        keys.update(str(k) for k in found)
    return frozenset(keys)


def copy_label(copy: int) -> str:
    return f"补打（第{copy}次）" if copy else ""


@dataclass(frozen=True)
class PrintJob:
    """One attempt from the print log (without the PDF)."""

    job_id: int
    kind: str
    document_number: str
    case_number: str
    title: str
    media: str
    pages: int
    at: str
    device: str
    actor_id: str
    actor_name: str
    printer: str
    copy: int
    copy_label: str
    status: str
    error: str
    retry_of: int | None
    data: Mapping[str, Any]
    has_pdf: bool

    @property
    def status_text(self) -> str:
        return STATUS_NAMES.get(self.status, self.status)


@dataclass(frozen=True)
class PrintOutcome:
    """What became of one attempt; ``message`` is what the person at the screen is told."""

    job: PrintJob
    printed: bool
    message: str
    result: PrintResult | None = None
    error: PrinterError | None = None


# -- printing -------------------------------------------------------------------------------------

def print_document(hall: Hall, actor: Actor, doc: RenderedDocument, data: Mapping[str, Any] | None,
                   printer: Printer) -> PrintOutcome:
    """Print an original (copy 0); a document already on paper must be reprinted (:func:`reprint`).

    ``data`` is what the document was rendered from (``None``: ``doc.data``). Kiosks
    may print 80 mm receipts (self-service); everything else needs the 打印
    permission. A pending paper attempt of the same document is superseded by this
    one. Saving as a PDF file does not count as the paper original.
    """
    _check_may_print(hall, actor, Media(doc.media), doc.case_number or doc.document_number, doc.kind.value)
    if data is None:
        data = doc.data
    superseded: int | None = None
    if doc.document_number and not printer.name.startswith(FILE_PRINTER):
        with hall.sessions() as session:
            rows = session.scalars(select(PrintJobRow).where(
                PrintJobRow.document_number == doc.document_number, PrintJobRow.copy == 0,
                PrintJobRow.status.in_((PRINTED, PENDING)), ~PrintJobRow.printer.startswith(FILE_PRINTER))).all()
        if any(r.status == PRINTED for r in rows):
            raise RuleViolation("already_printed", f"{doc.title or doc.kind.value} {doc.document_number} 已经打印过；"
                                                   "如需再打印一份，请使用“补打”，打印件上会注明补打次数")
        superseded = next((r.id for r in rows if r.status == PENDING), None)
    return _attempt(hall, actor, doc, _public_json(data), printer, copy=0, supersede=superseded)


def retry(hall: Hall, actor: Actor, job_id: int, printer: Printer) -> PrintOutcome:
    """Print a pending job again, exactly as it was rendered (same copy number and label)."""
    row = _load(hall, job_id)
    _check_may_print(hall, actor, Media(row.media), row.case_number or row.document_number, row.kind)
    if not actor.may(Permission.PRINT) and row.actor_id != actor.actor_id:
        raise RuleViolation("not_found", f"没有找到第{job_id}号打印任务")  # a kiosk sees only its own receipts
    if row.status != PENDING or row.pdf is None:
        state = STATUS_NAMES.get(row.status, row.status)
        raise RuleViolation("not_pending", f"第{job_id}号打印任务不是待补打状态（{state}）")
    doc = RenderedDocument(kind=DocumentKind(row.kind), media=Media(row.media), document_number=row.document_number,
                           case_number=row.case_number, title=row.title, pdf=row.pdf,
                           page_width_mm=row.page_width_mm, page_height_mm=row.page_height_mm, pages=row.pages,
                           copy_label=row.copy_label)
    return _attempt(hall, actor, doc, row.data, printer, copy=row.copy, supersede=row.id)


def reprint(hall: Hall, actor: Actor, job_id: int, render: Render, printer: Printer) -> PrintOutcome:
    """Print one more copy of a printed document: rendered again from the logged data, labelled 补打（第N次）.

    ``render(data, copy_label)`` is the documents package's renderer for the job's
    kind; ``data`` is the logged render data (JSON values, no secrets).
    """
    row = _load(hall, job_id)
    guard(hall, actor, Permission.PRINT, f"补打{row.kind}", row.case_number or row.document_number)
    same = _same_document(row)
    with hall.sessions() as session:
        printed = session.scalar(select(func.count()).where(same, PrintJobRow.status == PRINTED)) or 0
        latest = session.scalar(select(func.max(PrintJobRow.copy)).where(same)) or 0
    if not printed:
        raise RuleViolation("not_printed", f"{row.title or row.kind} 还没有打印成功，请先重新打印第{row.id}号打印任务")
    copy = latest + 1
    doc = render(json.loads(row.data), copy_label(copy))
    if doc.document_number != row.document_number:
        # Copies are counted per document: log the copy under the original's number.
        doc = dataclasses.replace(doc, document_number=row.document_number)
    return _attempt(hall, actor, doc, row.data, printer, copy=copy, supersede=None)


def next_receipt_copy(hall: Hall, actor: Actor, case_number: str) -> int:
    """The copy number the next registration receipt of the case will carry: 0 (the original) when none was
    ever printed or tried for it (a case registered by phone or letter, or without a receipt), else one more
    than the last (1 for the first reissue)."""
    case_number = case_number.strip().upper()
    guard(hall, actor, Permission.PRINT, "补打登记回执", case_number)
    with hall.sessions() as session:
        latest = session.scalar(select(func.max(PrintJobRow.copy)).where(
            PrintJobRow.kind == DocumentKind.REGISTRATION_RECEIPT.value,
            PrintJobRow.case_number == case_number))
    return 0 if latest is None else int(latest) + 1


def registered_elsewhere(hall: Hall, case_number: str) -> str | None:
    """The code of the device a case was registered on (in its number) when that is not this one, else None.

    This PC's print log knows only its own receipts: a case registered at a kiosk or another counter may have had
    its receipt printed there, and a first receipt printed here would end the query code the citizen holds.
    """
    from desktop.domain.numbering import parse_case_number

    try:
        device = parse_case_number(case_number).device_code
    except ValidationError:  # a number of another system's making (imported): no device of this hall's to name
        return None
    return None if device == hall.settings.device_code.upper() else device


def reissue_receipt(hall: Hall, actor: Actor, case_number: str, printer: Printer) -> PrintOutcome:
    """The case's registration receipt with a new query code: the original when the case never had one (the
    citizen gets a query code for the first time), else a replacement with the next copy number on the paper
    and in the log.

    The old query code stops working at once, whether or not the printer then works
    (a failed print stays pending with the new code's receipt).
    """
    from desktop.services.documents import reissue_registration_receipt

    copy = next_receipt_copy(hall, actor, case_number)
    doc = reissue_registration_receipt(hall, actor, case_number, copy_label(copy), original=not copy)
    return _attempt(hall, actor, doc, _public_json(doc.data), printer, copy=copy, supersede=None)


def _attempt(hall: Hall, actor: Actor, doc: RenderedDocument, data_json: str, printer: Printer, *,
             copy: int, supersede: int | None) -> PrintOutcome:
    with hall.transaction() as session:
        if supersede is not None:
            taken = session.execute(update(PrintJobRow)
                                    .where(PrintJobRow.id == supersede, PrintJobRow.status == PENDING)
                                    .values(status=FAILED, pdf=None))
            if taken.rowcount != 1:  # type: ignore[attr-defined]
                raise RuleViolation("not_pending", f"第{supersede}号打印任务已在别处处理")
        row = PrintJobRow(kind=doc.kind.value, document_number=doc.document_number[:64],
                          case_number=doc.case_number[:40], title=(doc.title or doc.kind.value)[:100],
                          media=Media(doc.media).value, page_width_mm=doc.page_width_mm,
                          page_height_mm=doc.page_height_mm, pages=doc.pages,
                          at=hall.now().isoformat(timespec="seconds"), device=hall.settings.device_code,
                          actor_id=actor.actor_id[:96], actor_name=actor.display_name[:64],
                          printer=printer.name[:200], copy=copy, copy_label=doc.copy_label[:32] or copy_label(copy),
                          status=PENDING, error="", retry_of=supersede, data=data_json, pdf=doc.pdf)
        session.add(row)
        session.flush()
        job_id = row.id
    result: PrintResult | None = None
    error: PrinterError | None = None
    try:
        result = printer.print_document(doc)
    except PrinterError as exc:
        error = exc
    with hall.transaction() as session:
        row = session.get_one(PrintJobRow, job_id)
        if result is not None:
            row.status, row.pdf, row.error, row.pages = PRINTED, None, "", result.pages or row.pages
            row.printer = result.printer[:200]  # e.g. the queue that "system:" (the default) resolved to
            if not row.printer.startswith(FILE_PRINTER):
                # The document is on paper now: an earlier failed attempt of it no longer waits.
                session.execute(update(PrintJobRow)
                                .where(_same_document(row), PrintJobRow.status == PENDING, PrintJobRow.id != job_id)
                                .values(status=FAILED, pdf=None))
        else:
            assert error is not None
            row.error = error.message[:500]
            if actor.role == Role.KIOSK:  # the citizen is sent to the counter: the hall's counters see it
                session.flush()
                kiosk_prints.record_failure(session, hall, actor, row)
        detail: dict[str, Any] = {"job": job_id, "kind": row.kind, "document": row.document_number,
                                  "copy": copy, "printer": row.printer, "status": row.status}
        if supersede is not None:
            detail["retry_of"] = supersede
        if error is not None:
            detail["error"] = error.code
        audit(session, hall, actor, AuditAction.REPRINT if copy else AuditAction.PRINT,
              row.case_number or row.document_number, detail)
        job = _job(row)
    if actor.role == Role.KIOSK:
        if error is not None and not printer.name.startswith(FILE_PRINTER):
            kiosk_prints.send_soon(hall, erase=hall.settings.kiosk_erase_after_sync)
        # the administrator sees the kiosk's printer out of paper, not answering or (``pdf:``) its folder not
        # writable, until a receipt prints or a check finds it working (peripherals.recheck_printer)
        peripherals.note_and_send(hall, peripherals.PRINTER, error.message if error is not None else None)
    return PrintOutcome(job, result is not None, _message(doc, result, error, actor), result, error)


#: Why a kiosk's print failed, as its citizen is told: the printer's own words are for staff (they
#: name queues and settings and ask for an administrator); they stay in the print log.
KIOSK_PRINT_FAILED = "打印机暂时不能使用"


def _message(doc: RenderedDocument, result: PrintResult | None, error: PrinterError | None, actor: Actor) -> str:
    what = doc.title or doc.kind.value
    if result is not None:
        return f"{what}{('（' + doc.copy_label + '）') if doc.copy_label else ''}{result.detail}"
    reason = error.message if error is not None else "打印失败"
    if actor.role == Role.KIOSK:
        reason = KIOSK_PRINT_FAILED
        if doc.kind is not DocumentKind.QUEUE_TICKET:  # the citizen is told where to get it: the counter
            return reason
    if doc.kind is DocumentKind.QUEUE_TICKET:  # nobody prints a number again later: the number itself stands
        return f"{reason}。号码已取得，仍然有效"
    noun = "回执" if Media(doc.media) is Media.ROLL_80 else "文书"
    return f"{reason}。{noun}已保存，可稍后补打"


# -- reading the log ------------------------------------------------------------------------------

def pending_jobs(hall: Hall, actor: Actor, *, device: str | None = None) -> list[PrintJob]:
    """Jobs waiting to be printed again, oldest first (of one ``device``, or all); a kiosk sees only its own."""
    statement = select(PrintJobRow).where(PrintJobRow.status == PENDING).order_by(PrintJobRow.id)
    if device is not None:
        statement = statement.where(PrintJobRow.device == device)
    if not actor.may(Permission.PRINT):
        guard(hall, actor, Permission.PRINT, "查看待补打的打印任务", alternatives=(Permission.SELF_SERVICE,))
        statement = statement.where(PrintJobRow.actor_id == actor.actor_id)
    with hall.sessions() as session:
        return [_job(row) for row in session.scalars(statement)]


def pending_here(hall: Hall, actor: Actor) -> list[PrintJob]:
    """This PC's pending jobs: another counter's failed print waits for that counter's printer."""
    return pending_jobs(hall, actor, device=hall.settings.device_code)


def print_log(hall: Hall, actor: Actor, case_number: str | None = None, *, limit: int = 500) -> list[PrintJob]:
    """Newest attempts first, of one case or of all."""
    guard(hall, actor, Permission.PRINT, "查看打印记录", case_number or "")
    statement = select(PrintJobRow).order_by(PrintJobRow.id.desc()).limit(limit)
    if case_number:
        statement = statement.where(PrintJobRow.case_number == case_number.strip().upper())
    with hall.sessions() as session:
        return [_job(row) for row in session.scalars(statement)]


def _load(hall: Hall, job_id: int) -> PrintJobRow:
    with hall.sessions() as session:
        row = session.get(PrintJobRow, job_id)
        if row is None:
            raise RuleViolation("not_found", f"没有找到第{job_id}号打印任务")
        session.expunge(row)
        return row


def _same_document(row: PrintJobRow) -> ColumnElement[bool]:
    """The log's rows of the document ``row`` printed: by its number, else by kind and case."""
    if row.document_number:
        return PrintJobRow.document_number == row.document_number
    if row.case_number:
        return and_(PrintJobRow.kind == row.kind, PrintJobRow.case_number == row.case_number,
                    PrintJobRow.document_number == "")
    return PrintJobRow.id == row.id


def _check_may_print(hall: Hall, actor: Actor, media: Media, target: str, what: str) -> None:
    alternatives = (Permission.SELF_SERVICE,) if media is Media.ROLL_80 else ()
    guard(hall, actor, Permission.PRINT, f"打印{what}", target, alternatives=alternatives)


def _job(row: PrintJobRow) -> PrintJob:
    return PrintJob(job_id=row.id, kind=row.kind, document_number=row.document_number, case_number=row.case_number,
                    title=row.title, media=row.media, pages=row.pages, at=row.at, device=row.device,
                    actor_id=row.actor_id, actor_name=row.actor_name, printer=row.printer, copy=row.copy,
                    copy_label=row.copy_label, status=row.status, error=row.error, retry_of=row.retry_of,
                    data=json.loads(row.data), has_pdf=row.pdf is not None)


# -- the logged render data -----------------------------------------------------------------------

def public_data(data: Mapping[str, Any]) -> dict[str, Any]:
    """``data`` as plain JSON values, without secret keys at any depth."""
    plain = _plain(dict(data))
    return _without(plain, secret_keys())  # type: ignore[no-any-return]


def _public_json(data: Mapping[str, Any]) -> str:
    return json.dumps(public_data(data), ensure_ascii=False, sort_keys=True)


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _plain({f.name: getattr(value, f.name) for f in dataclasses.fields(value)})
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v) for v in value]
    if isinstance(value, Enum):
        return _plain(value.value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, bytes):
        return None  # images and the like are rendered again, not logged
    return str(value)


def _without(value: Any, secrets: frozenset[str]) -> Any:
    if isinstance(value, dict):
        return {k: _without(v, secrets) for k, v in value.items() if k not in secrets}
    if isinstance(value, list):
        return [_without(v, secrets) for v in value]
    return value
