"""Receipts a kiosk could not print, printed at the counter instead.

A citizen whose receipt did not come out of the kiosk (登记回执, 排队号票, 领导接访预约回执,
人民建议回执, 评价回执) is told to ask at the counter. The kiosk records what the counter needs
(:func:`record_failure`, in the transaction that logs the failed print): which document, for which
case, ticket, booking or suggestion, which kiosk, when and why, and the print log's render data
(masked names only; the query code is never kept). It goes to the hall's authority with the
kiosk's records link (:func:`send_pending`, idempotent by id, like an offline suggestion); once the
authority holds it the kiosk keeps no copy, nor the failed job's PDF. Staff devices receive it in
the records feed (``prints``), so every counter of the hall lists the day's receipts waiting
(:func:`waiting`, newest first).

A clerk who prints one takes it first at the authority (:func:`take`): the first clerk gets it and
a second is told who printed it and when, so no receipt is printed twice. The counter renders the
document again from the carried data; a registration receipt, whose query code nothing keeps, is
issued anew from the case with a new query code (the counter holds the case by the sync feed).

Nothing is kept longer than a counter may need it (:func:`prune`): the day's receipts stay, printed or
not; one no counter printed stays :data:`KEEP_UNCLAIMED_DAYS` days (a citizen may come back after a
weekend or a holiday); the rest goes. Whoever adds a receipt forgets the old ones in the same
transaction — the kiosk as it records one and before it sends, the authority as it takes a kiosk's,
a counter as its mirror takes the authority's — so no copy outlives the rule.
"""

from __future__ import annotations

import json
import logging
import threading
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, Final

from sqlalchemy import delete, or_, select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import Session

from db.models import KioskPrintRow, PrintJobRow
from desktop.documents.model import DocumentKind
from desktop.domain.access import Permission
from desktop.domain.errors import RuleViolation
from desktop.domain.identity import mask_name
from desktop.domain.roles import Actor, device_kind
from desktop.services import hallrecords
from desktop.services.audit import guard
from desktop.services.context import Hall

if TYPE_CHECKING:
    from desktop.printing.base import Printer
    from desktop.services.printing import PrintOutcome

log = logging.getLogger(__name__)

#: What the kiosk prints: the receipts a counter may print instead.
KIOSK_KINDS: Final = frozenset({DocumentKind.REGISTRATION_RECEIPT.value, DocumentKind.QUEUE_TICKET.value,
                                DocumentKind.APPOINTMENT_SLIP.value, DocumentKind.SUGGESTION_RECEIPT.value,
                                DocumentKind.RATING_RECEIPT.value})
_REVEALED: Final = ("petitioner_name", "name")  # where a receipt's data names its citizen (masked)
#: How many days a receipt no counter printed is kept after the day it failed (the counters list the day's).
KEEP_UNCLAIMED_DAYS: Final = 30


@dataclass(frozen=True)
class KioskPrint:
    """One receipt a kiosk could not print, as the counter lists it."""

    print_id: str
    kind: str
    title: str
    document_number: str
    case_number: str
    kiosk: str  # 自助终端 K01（一楼大厅入口）
    failed_at: str
    error: str
    citizen: str  # the masked name the receipt prints, "" where it names nobody
    data: dict[str, Any]
    done_at: str
    done_by_name: str
    done_device: str

    @property
    def number(self) -> str:
        """What the receipt is for, as the clerk reads it: the case, ticket or suggestion number."""
        if self.kind == DocumentKind.QUEUE_TICKET.value:
            return str(self.data.get("ticket_number") or self.document_number)
        return self.case_number or self.document_number

    @property
    def done(self) -> bool:
        return bool(self.done_at)


def kiosk_words(device_code: str, place: str = "") -> str:
    """``自助终端 K01（一楼大厅入口）``: the kiosk as the clerk knows it."""
    kiosk = device_kind("kiosk", device_code)
    return f"{kiosk}（{place}）" if place else kiosk


# -- on the kiosk ---------------------------------------------------------------------------------


def record_failure(session: Session, hall: Hall, actor: Actor, job: PrintJobRow) -> None:
    """Keep a kiosk's unprinted receipt for the counters (in the transaction that logs the failure)."""
    if job.kind not in KIOSK_KINDS or job.copy:
        return
    _kind, _sep, number = actor.actor_id.partition(":")  # kiosk:K01, the kiosk's own number
    session.add(KioskPrintRow(print_id=hall.new_id(), device=kiosk_words(number or hall.settings.device_code),
                              kind=job.kind, title=job.title, document_number=job.document_number,
                              case_number=job.case_number, failed_at=job.at, error=job.error[:500],
                              data=job.data, done_at="", done_by="", done_by_name="", done_device="",
                              job_id=job.id, pending=hallrecords.remote_of(hall) is not None))
    prune(session, hall.today())


def prune(session: Session, today: date) -> int:
    """Forget the receipts no counter needs any more (``today``: the hall's day, China's); how many went.

    Kept: every receipt of ``today`` (a second clerk is told who printed it), and one no counter
    printed for :data:`KEEP_UNCLAIMED_DAYS` days after its own. ``failed_at`` is the kiosk's local time
    in ISO 8601, so its text orders as its time does.
    """
    day = today.isoformat()
    oldest = (today - timedelta(days=KEEP_UNCLAIMED_DAYS)).isoformat()
    gone = session.execute(delete(KioskPrintRow).where(
        KioskPrintRow.failed_at < day, or_(KioskPrintRow.done_at != "", KioskPrintRow.failed_at < oldest)))
    return max(int(gone.rowcount), 0) if isinstance(gone, CursorResult) else 0


def pending_reports(hall: Hall) -> list[dict[str, Any]]:
    """This kiosk's unprinted receipts the authority does not hold yet, oldest first."""
    with hall.sessions() as session:
        rows = session.scalars(select(KioskPrintRow).where(KioskPrintRow.pending.is_(True))
                               .order_by(KioskPrintRow.failed_at))
        return [{"print_id": r.print_id, "kind": r.kind, "title": r.title, "document_number": r.document_number,
                 "case_number": r.case_number, "failed_at": r.failed_at, "error": r.error, "data": r.data}
                for r in rows]


def send_pending(hall: Hall, *, erase: bool) -> int:
    """Send the receipts waiting here to the authority; ``erase``: keep no copy once it has them.

    One no counter would print any more (:func:`prune`) is forgotten first, not sent.
    """
    if hallrecords.remote_of(hall) is None or not pending_reports(hall):
        return 0
    with hall.transaction() as session:
        prune(session, hall.today())
    reports = pending_reports(hall)
    if not reports:
        return 0
    hallrecords.ask(hall, "/records/prints/merge", {"prints": reports})
    ids = [r["print_id"] for r in reports]
    with hall.transaction() as session:
        if erase:
            jobs = list(session.scalars(select(KioskPrintRow.job_id).where(KioskPrintRow.print_id.in_(ids))))
            session.execute(delete(KioskPrintRow).where(KioskPrintRow.print_id.in_(ids)))
            # the counter prints it now: the kiosk's failed job gives up its pages and its data
            session.execute(update(PrintJobRow).where(PrintJobRow.id.in_(jobs), PrintJobRow.status == "pending")
                            .values(status="failed", pdf=None, data="{}"))
        else:
            session.execute(update(KioskPrintRow).where(KioskPrintRow.print_id.in_(ids))
                            .values(pending=False, rev=0))
    return len(reports)


def send_soon(hall: Hall, *, erase: bool) -> None:
    """Send them off the caller's thread (a kiosk's print message waits for no network)."""
    if hallrecords.remote_of(hall) is None:
        return

    def send() -> None:
        try:
            send_pending(hall, erase=erase)
        except RuleViolation as refusal:  # kept here, pending: the link sends them when it is back
            log.warning("未打印的回执暂未送到大厅服务器，稍后重试：%s", refusal.message)
        except Exception:
            log.exception("未打印的回执暂未送到大厅服务器，稍后重试")

    threading.Thread(target=send, name="kiosk-prints", daemon=True).start()


# -- at the authority -----------------------------------------------------------------------------


def merge(hall: Hall, kiosk: str, reports: list[dict[str, Any]]) -> int:
    """The authority takes a kiosk's unprinted receipts (idempotent by id); ``kiosk`` names the kiosk in words."""
    added = 0
    seen: set[str] = set()
    with hall.transaction() as session:
        hallrecords.lock(session)
        for raw in reports:
            if raw["kind"] not in KIOSK_KINDS:
                raise RuleViolation("not_a_kiosk_receipt", f"“{raw['kind']}”不是自助终端打印的回执")
            try:
                data = json.loads(raw["data"])
            except ValueError:
                data = None
            if not isinstance(data, dict):
                raise RuleViolation("bad_kiosk_print", f"未打印的回执“{raw['title'] or raw['kind']}”的内容无法读取")
            if raw["print_id"] in seen or session.get(KioskPrintRow, raw["print_id"]) is not None:
                continue
            seen.add(raw["print_id"])
            session.add(KioskPrintRow(print_id=raw["print_id"], device=kiosk[:64], kind=raw["kind"],
                                      title=raw["title"], document_number=raw["document_number"],
                                      case_number=raw["case_number"], failed_at=raw["failed_at"],
                                      error=raw["error"], data=raw["data"], done_at="", done_by="",
                                      done_by_name="", done_device="", job_id=0, pending=False))
            added += 1
        prune(session, hall.today())
    return added


def take(hall: Hall, actor: Actor, print_id: str) -> KioskPrint:
    """The clerk takes the receipt to print it: the first one gets it, a second is told who and when."""
    guard(hall, actor, Permission.PRINT, "在窗口打印自助终端未打印的回执")
    if hallrecords.remote_of(hall) is not None:
        hallrecords.ask(hall, "/records/prints/take", {"print_id": print_id, "by": actor.actor_id})
        return _one(hall, print_id)
    return mark_taken(hall, actor, print_id, "")  # one PC: no other counter to name


def mark_taken(hall: Hall, actor: Actor, print_id: str, device: str) -> KioskPrint:
    """At the authority: the receipt is this clerk's to print, unless another clerk took it first.

    ``device``: where the clerk prints it, in words (接待窗口（3号窗口）), "" where there is one PC.
    """
    with hall.transaction() as session:
        hallrecords.lock(session)
        row = session.get(KioskPrintRow, print_id)
        if row is None:
            raise RuleViolation("kiosk_print_unknown", "没有找到这份自助终端未打印的回执")
        if row.done_at:
            raise RuleViolation("kiosk_print_taken", f"这份{row.title}已由{row.done_by_name or '其他工作人员'}"
                                                     f"{_where(row.done_device)}于{_clock(row.done_at)}打印，不必再打印")
        row.done_at = hall.now().isoformat(timespec="seconds")
        row.done_by, row.done_by_name, row.done_device = actor.actor_id[:96], actor.display_name[:64], device[:64]
        session.flush()
        return _view(row)


def _where(device: str) -> str:
    return f"在{device}" if device else ""


def _clock(stamp: str) -> str:
    try:
        moment = datetime.fromisoformat(stamp)
    except ValueError:
        return stamp
    return f"{moment.month}月{moment.day}日 {moment:%H:%M}"


# -- at the counter ---------------------------------------------------------------------------------


def waiting(hall: Hall, actor: Actor, *, day: date | None = None) -> list[KioskPrint]:
    """The day's receipts (today's by default) the hall's kiosks could not print and no counter has, newest first."""
    guard(hall, actor, Permission.PRINT, "查看自助终端未打印的回执")
    day = day or hall.today()
    start, end = day.isoformat(), (day + timedelta(days=1)).isoformat()
    with hall.sessions() as session:
        rows = session.scalars(select(KioskPrintRow).where(
            KioskPrintRow.failed_at >= start, KioskPrintRow.failed_at < end, KioskPrintRow.done_at == "",
            KioskPrintRow.pending.is_(False)).order_by(KioskPrintRow.failed_at.desc(), KioskPrintRow.print_id))
        return [_view(r) for r in rows]


def _one(hall: Hall, print_id: str) -> KioskPrint:
    with hall.sessions() as session:
        row = session.get(KioskPrintRow, print_id)
        if row is None:
            raise RuleViolation("kiosk_print_unknown", "没有找到这份自助终端未打印的回执")
        return _view(row)


def _view(row: KioskPrintRow) -> KioskPrint:
    try:
        data = json.loads(row.data)
    except ValueError:
        data = {}
    if not isinstance(data, dict):
        data = {}
    named = next((str(data[k]) for k in _REVEALED if data.get(k)), "")
    return KioskPrint(print_id=row.print_id, kind=row.kind, title=row.title or row.kind,
                      document_number=row.document_number, case_number=row.case_number, kiosk=row.device,
                      failed_at=row.failed_at, error=row.error, citizen=mask_name(named) if named else "",
                      data=data, done_at=row.done_at, done_by_name=row.done_by_name, done_device=row.done_device)


def print_at_counter(hall: Hall, actor: Actor, print_id: str, printer: Printer) -> PrintOutcome:
    """Print a kiosk's unprinted receipt here: taken first (no other counter prints it), then printed.

    The document is made ready before it is taken, so a receipt that cannot be made (a case this
    counter does not hold yet) stays for later. A registration receipt is issued anew with a new
    query code (the kiosk's screen showed one that nothing kept); the others are rendered again from
    the carried data, as originals. A printer that fails keeps it in this counter's 待补打.
    """
    from desktop.documents.render import render
    from desktop.services import cases, printing

    found = _one(hall, print_id)
    if found.kind == DocumentKind.REGISTRATION_RECEIPT.value:
        cases.load_case(hall, actor, found.case_number)  # refused in words while the case is not here yet
        take(hall, actor, print_id)
        return printing.reissue_receipt(hall, actor, found.case_number, printer)
    doc = render(DocumentKind(found.kind), found.data)
    take(hall, actor, print_id)
    return printing.print_document(hall, actor, doc, found.data, printer)
