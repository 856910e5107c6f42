"""A kiosk's peripherals that do not work — the card reader, the receipt printer, the camera — told to the
administrator.

The kiosk notes each peripheral's state as its use shows it (:func:`note`): a reader unplugged or
without its driver, a printer out of paper or not answering, a camera not there or failing; a card
read (or a read without a card), a receipt printed and a camera's picture clear it. A problem keeps
the time it began while it lasts. The device's current problems go to its server with the records
link (:func:`send_pending`, ``POST /devices/peripherals``: the whole state, so a repeat is
harmless), at once when they change and again whenever the link comes back; the server keeps what
each device last reported (:func:`store_report`) and the administration desk's 设备管理 shows it in
words (:func:`in_words`).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Final

from sqlalchemy import delete, select

from db.models import PeripheralStateRow
from desktop.domain.errors import RuleViolation
from desktop.services import hallrecords
from desktop.services.context import Hall

log = logging.getLogger(__name__)

READER: Final = "reader"
PRINTER: Final = "printer"
CAMERA: Final = "camera"
NAMES: Final[Mapping[str, str]] = {READER: "身份证阅读器", PRINTER: "打印机", CAMERA: "摄像头"}


@dataclass(frozen=True)
class PeripheralProblem:
    peripheral: str
    problem: str
    since: str

    def words(self, today: date | None = None) -> str:
        """打印机缺纸（10:32起）, 身份证阅读器未连接（12月5日 17:20起）: the peripheral named once, the day only
        when it is not ``today``."""
        name = NAMES.get(self.peripheral, self.peripheral)
        said = self.problem if self.problem.startswith(name) else f"{name}：{self.problem}"
        return f"{said}（{_since(self.since, today)}起）"


def _since(stamp: str, today: date | None) -> str:
    try:
        moment = datetime.fromisoformat(stamp)
    except ValueError:
        return stamp
    if today is not None and moment.date() == today:
        return f"{moment:%H:%M}"
    day = f"{moment.month}月{moment.day}日" if today is None or moment.year == today.year \
        else f"{moment.year}年{moment.month}月{moment.day}日"
    return f"{day} {moment:%H:%M}"


def in_words(problems: Iterable[PeripheralProblem], today: date | None = None) -> str:
    """Every problem in words, one after the other ("" when there is none)."""
    return "；".join(p.words(today) for p in problems)


def device_state_words(role: str, revoked: bool, reported: Iterable[Mapping[str, str]],
                       today: date | None = None) -> str:
    """A device's peripherals as 设备管理 and ``server list-devices`` say them: its problems in words
    (打印机缺纸（10:32起）), 正常 for a kiosk in use that reports none, — for a device without them.

    ``reported``: what the server lists of the device, ``{"peripheral", "problem", "since"}`` each.
    """
    problems = [PeripheralProblem(p["peripheral"], p["problem"], p["since"]) for p in reported]
    if not problems:
        return "正常" if role == "kiosk" and not revoked else "—"
    return in_words(problems, today)


# -- on the device --------------------------------------------------------------------------------


def note(hall: Hall, peripheral: str, problem: str | None) -> bool:
    """Record the state its use just showed (``None``: it works); True when that changed it."""
    device = hall.settings.device_id
    problem = " ".join((problem or "").split())[:200]
    with hall.transaction() as session:
        row = session.get(PeripheralStateRow, (device, peripheral))
        if problem:
            if row is not None and row.problem == problem:
                return False
            if row is None:
                session.add(PeripheralStateRow(device_id=device, peripheral=peripheral, problem=problem,
                                               since=hall.now().isoformat(timespec="seconds"), reported=False))
            else:
                if not row.problem:  # it had worked again: a new problem begins now
                    row.since = hall.now().isoformat(timespec="seconds")
                row.problem, row.reported = problem, False
            return True
        if row is None or not row.problem:
            return False
        row.problem, row.reported = "", False
        return True


def current(hall: Hall, device_id: str | None = None) -> list[PeripheralProblem]:
    """A device's peripherals that do not work (this device's by default), by peripheral."""
    device = device_id or hall.settings.device_id
    with hall.sessions() as session:
        rows = session.scalars(select(PeripheralStateRow).where(PeripheralStateRow.device_id == device,
                                                                PeripheralStateRow.problem != "")
                               .order_by(PeripheralStateRow.peripheral))
        return [PeripheralProblem(r.peripheral, r.problem, r.since) for r in rows]


#: One report at a time: each carries the whole state, so two on the way at once could arrive out of order and
#: leave the server with the older one.
_SENDING = threading.Lock()


def send_pending(hall: Hall, *, erase: bool = False) -> int:
    """Report this device's state to its server when it changed since the last report; 1 if it went."""
    del erase  # the link's signature: nothing personal here
    if hallrecords.remote_of(hall) is None:
        return 0
    device = hall.settings.device_id
    with _SENDING:
        with hall.sessions() as session:
            rows = list(session.scalars(select(PeripheralStateRow).where(PeripheralStateRow.device_id == device)
                                        .order_by(PeripheralStateRow.peripheral)))
            if all(row.reported for row in rows):
                return 0
            sent = {row.peripheral: (row.problem, row.since) for row in rows}
        hallrecords.ask(hall, "/devices/peripherals", {"peripherals": [
            {"peripheral": peripheral, "problem": problem, "since": since}
            for peripheral, (problem, since) in sent.items() if problem]})
        with hall.transaction() as session:
            for row in session.scalars(select(PeripheralStateRow).where(PeripheralStateRow.device_id == device)):
                if sent.get(row.peripheral) != (row.problem, row.since):
                    continue  # it changed meanwhile: it goes with the next report
                if row.problem:
                    row.reported = True
                else:
                    session.delete(row)
    return 1


def note_and_send(hall: Hall, peripheral: str, problem: str | None) -> None:
    """:func:`note`, and report it off the caller's thread when it changed."""
    if note(hall, peripheral, problem):
        send_soon(hall)


def send_soon(hall: Hall) -> None:
    if hallrecords.remote_of(hall) is None:
        return

    def send() -> None:
        try:
            send_pending(hall)
        except RuleViolation as refusal:  # reported again when the link is back
            log.warning("外设状态暂未报送服务器：%s", refusal.message)
        except Exception:
            log.exception("外设状态暂未报送服务器")

    threading.Thread(target=send, name="peripherals", daemon=True).start()


# -- a printer that works again ----------------------------------------------------------------------


def printer_problem(hall: Hall) -> bool:
    """Whether this device's printer is recorded as not working."""
    with hall.sessions() as session:
        return bool(session.scalar(select(PeripheralStateRow.problem).where(
            PeripheralStateRow.device_id == hall.settings.device_id, PeripheralStateRow.peripheral == PRINTER)))


def receipt_printers(hall: Hall) -> list[str]:
    """The printer settings a kiosk's receipts go to (``printer_receipts``, or one of ``printer_by_kind``)."""
    from desktop.documents.model import DocumentKind, Media
    from desktop.printing.spec import spec_for
    from desktop.services.kiosk_prints import KIOSK_KINDS

    return sorted({spec_for(DocumentKind(kind), hall.settings, Media.ROLL_80)[1] for kind in KIOSK_KINDS})


def recheck_printer(hall: Hall) -> bool | None:
    """While this device's printer is recorded as not working: ask its receipt printers, printing nothing,
    whether they would print now (``desktop.printing.probe``); when every one would, the problem is cleared
    and the recovery reported, as a receipt printed would (True). False: one still would not; None: nothing
    recorded, or a printer that cannot be asked (the next receipt tells). Runs off the GUI thread (it waits
    on ``lpstat`` or a printer's answer)."""
    from desktop.printing.probe import printer_state

    device = hall.settings.device_id
    with hall.sessions() as session:
        row = session.get(PeripheralStateRow, (device, PRINTER))
        seen = (row.problem, row.since) if row is not None else ("", "")
    if not seen[0]:
        return None
    states = [printer_state(text) for text in receipt_printers(hall)]
    if any(state is None for state in states):
        return None
    if any(states):
        return False
    with hall.transaction() as session:
        row = session.get(PeripheralStateRow, (device, PRINTER))
        if row is None or (row.problem, row.since) != seen:  # a receipt meanwhile told of it
            return None
        row.problem, row.reported = "", False
    send_soon(hall)
    return True


#: A read's end as it tells of the reader (``desktop.devices.idcard.ReaderProblem`` values): these say it does not
#: work; a card read, or none laid down, says it works; a card that would not read says nothing of the reader.
READER_PROBLEMS: Final[Mapping[str, str]] = {"not_connected": "身份证阅读器未连接",
                                             "library_missing": "身份证阅读器缺少驱动库"}
READER_WORKS: Final = frozenset({"", "no_card"})


def reader_read(hall: Hall, problem: str) -> None:
    """A card read ended (``problem`` "": with a card): the reader's state as it shows, reported when it changed."""
    if problem in READER_PROBLEMS:
        note_and_send(hall, READER, READER_PROBLEMS[problem])
    elif problem in READER_WORKS:
        note_and_send(hall, READER, None)


# -- on the server ----------------------------------------------------------------------------------


def store_report(hall: Hall, device_id: str, problems: list[Mapping[str, Any]]) -> None:
    """What a device reports replaces what it reported before (a peripheral not named works)."""
    with hall.transaction() as session:
        session.execute(delete(PeripheralStateRow).where(PeripheralStateRow.device_id == device_id))
        session.flush()
        for p in {str(p["peripheral"]): p for p in problems}.values():
            session.add(PeripheralStateRow(device_id=device_id, peripheral=str(p["peripheral"]),
                                           problem=str(p["problem"])[:200], since=str(p["since"])[:32],
                                           reported=True))


def reported(hall: Hall) -> dict[str, list[PeripheralProblem]]:
    """Every device's reported problems, by device id."""
    found: dict[str, list[PeripheralProblem]] = {}
    with hall.sessions() as session:
        for r in session.scalars(select(PeripheralStateRow).where(PeripheralStateRow.problem != "")
                                 .order_by(PeripheralStateRow.device_id, PeripheralStateRow.peripheral)):
            found.setdefault(r.device_id, []).append(PeripheralProblem(r.peripheral, r.problem, r.since))
    return found

