"""The hall's shared records: one authority for reception days, appointments, dossier notes and suggestions.

Like the queue (``desktop/services/queue.py``): on a single PC, and on the hall server itself,
the local database is the authority. A device with a hall server gets a :class:`RecordsRemote`
attached (:func:`attach_remote`, by the composition root): the services of ``reception``,
``leaderday`` and ``suggestions`` then send every change to the authority (:func:`ask`), which
decides it (capacity and the waiting list are a rule of one place) and answers with the changes
since the device's cursor; a push channel brings the others' changes. The screens always read
the local tables (the authority's own, or the mirror) and refresh on their topics.

Every write to these tables takes the authority's next change number (``queue_state`` row
``records``; taking it first, :func:`lock`, serialises the writers that count places) and
stamps it on the rows it wrote (``rev``): the feed (:func:`feed_since`) is every row with a
higher number than the device's cursor. A suggestion a kiosk takes while it cannot reach the
authority is kept with ``pending`` set and merged later, idempotent by its id.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any, Final, Protocol

from sqlalchemy import Date, delete, event, select, update
from sqlalchemy.orm import Session, UOWTransaction

from db.models import (
    AppointmentRow,
    DossierNoteRow,
    KioskPrintRow,
    QueueStateRow,
    ReceptionDayRow,
    SuggestionRow,
    SuggestionThemeRow,
)
from desktop.domain.errors import RuleViolation
from desktop.services.context import Hall

_REMOTE: Final = "records_remote"
_SEAL: Final = "records_seal"
REV: Final = "records"
CURSOR: Final = "records_cursor"
_MIRRORING: Final = "records_mirroring"
_TAKEN: Final = "records_rev"

Model = type[ReceptionDayRow] | type[AppointmentRow] | type[DossierNoteRow] | type[SuggestionRow] | \
    type[SuggestionThemeRow] | type[KioskPrintRow]

#: The records the authority keeps, by the name the feed gives them (in the order a mirror applies them).
TABLES: Final[dict[str, Model]] = {"themes": SuggestionThemeRow, "days": ReceptionDayRow,
                                   "appointments": AppointmentRow, "notes": DossierNoteRow,
                                   "suggestions": SuggestionRow, "prints": KioskPrintRow}
_STAMPED: Final = tuple(TABLES.values())
#: What a kiosk's copy of an appointment keeps: which slot of which day is taken, nobody's name.
_KIOSK_APPOINTMENT_BLANKS: Final = {"name": "", "id_number": "", "phone": "", "summary": "", "case_number": "",
                                    "created_by": "", "received_by": "", "received_by_name": "", "decision": "",
                                    "persons_count": 1}
#: The personal fields the central server keeps sealed (``server/personal.py``'s keys).
PERSONAL: Final = {"appointments": ("name", "id_number", "phone"), "suggestions": ("name", "phone")}


class Unreachable(RuleViolation):
    """The authority did not answer: what may wait (a suggestion) is kept here; the rest is refused."""

    def __init__(self, detail: str = "") -> None:
        super().__init__("hall_server_unreachable", "与大厅服务器的连接中断，暂时不能办理，请稍后再试或到窗口办理")
        self.detail = detail


class Audience(StrEnum):
    """Who a feed is for: staff devices get everything, kiosks the schedule and free places, displays the days."""

    STAFF = "staff"
    KIOSK = "kiosk"
    DISPLAY = "display"


#: The kiosks' unprinted receipts go to staff devices only (a kiosk's own wait on it until sent, then go).
_SEEN_BY: Final = {Audience.STAFF: tuple(TABLES), Audience.KIOSK: ("themes", "days", "appointments"),
                   Audience.DISPLAY: ("days",)}


class RecordsRemote(Protocol):
    """The hall server as a device reaches it (``desktop/sync/records_client.py``)."""

    @property
    def connected(self) -> bool: ...

    def command(self, path: str, body: dict[str, Any]) -> Any:
        """POST ``body`` to ``path``; the answer's ``result`` (its ``feed`` is applied to the mirror first).

        Raises :class:`RuleViolation` with the authority's words when it refuses, and when it
        cannot be reached.
        """
        ...


def attach_remote(hall: Hall, remote: RecordsRemote | None) -> None:
    """Send this hall's record changes to ``remote`` (None: the local database is the authority)."""
    hall.__dict__[_REMOTE] = remote


def remote_of(hall: Hall) -> RecordsRemote | None:
    found: RecordsRemote | None = hall.__dict__.get(_REMOTE)
    return found


class Seal(Protocol):
    """How the central server keeps personal fields at rest (``server/records.py``: the field cipher)."""

    def seal(self, table: str, field: str, record_id: str, value: str) -> str: ...

    def open(self, table: str, field: str, record_id: str, value: str) -> str: ...


def attach_seal(hall: Hall, seal: Seal | None) -> None:
    """Keep the personal fields of these records sealed in this hall's database (None: in plain text)."""
    hall.__dict__[_SEAL] = seal


def sealed(hall: Hall, table: str, field: str, record_id: str, value: str) -> str:
    """What the database keeps of a personal field (empty stays empty)."""
    seal: Seal | None = hall.__dict__.get(_SEAL)
    return seal.seal(table, field, record_id, value) if seal is not None and value else value


def opened(hall: Hall, table: str, field: str, record_id: str, value: str) -> str:
    """A stored personal field in plain text again."""
    seal: Seal | None = hall.__dict__.get(_SEAL)
    return seal.open(table, field, record_id, value) if seal is not None and value else value


def ask(hall: Hall, path: str, body: Mapping[str, Any]) -> Any:
    """The authority's answer to a command (only called while a remote is attached)."""
    remote = remote_of(hall)
    assert remote is not None, "ask() without a remote authority"
    return remote.command(path, dict(body))


# -- change numbers ------------------------------------------------------------------------------------


def current(session: Session, name: str = REV) -> int:
    return int(session.scalar(select(QueueStateRow.value).where(QueueStateRow.name == name)) or 0)


def lock(session: Session) -> int:
    """This transaction's change number; taking it serialises the records' writers until the transaction ends."""
    taken = session.info.get(_TAKEN)
    if taken is None:
        connection = session.connection()
        connection.execute(update(QueueStateRow).where(QueueStateRow.name == REV)
                           .values(value=QueueStateRow.value + 1))
        taken = int(connection.scalar(select(QueueStateRow.value).where(QueueStateRow.name == REV)) or 0)
        session.info[_TAKEN] = taken
    return int(taken)


@event.listens_for(Session, "before_flush")
def _stamp(session: Session, _context: UOWTransaction, _instances: object) -> None:
    """Every row of these records written in a transaction carries its change number (a mirror keeps theirs)."""
    if session.info.get(_MIRRORING):
        return
    touched = [o for o in session.new if isinstance(o, _STAMPED)]
    touched += [o for o in session.dirty if isinstance(o, _STAMPED) and session.is_modified(o)]
    if touched:
        rev = lock(session)
        for row in touched:
            row.rev = rev


# -- the feed -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RecordsFeed:
    """Rows written after ``since`` up to ``cursor`` (resume from it), by table name (see :data:`TABLES`)."""

    cursor: int
    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not any(self.rows.values())


def _values(row: object, model: Model) -> dict[str, Any]:
    return {c.key: getattr(row, c.key) for c in model.__mapper__.column_attrs if c.key != "pending"}


def feed_since(hall: Hall, since: int, audience: Audience, *, limit: int = 2000) -> RecordsFeed:
    """The authority's rows written after ``since`` (0: all of them) that ``audience`` may hold.

    Staff devices get the personal fields in plain text (the central server decrypts them);
    kiosks get appointments without anybody's name, number, phone or request.
    """
    out: dict[str, list[dict[str, Any]]] = {}
    with hall.sessions() as session:
        top = current(session)
        if since > top:  # the device last saw another authority: start over
            since = 0
        pages: dict[str, list[Any]] = {}
        for name in _SEEN_BY[audience]:
            model = TABLES[name]
            pages[name] = list(session.scalars(select(model).where(model.rev > since if since > 0 else model.rev >= 0)
                                               .order_by(model.rev).limit(limit)))
        seen = max([top, since] + [rows[-1].rev for rows in pages.values() if rows])
        full = [rows[-1].rev for rows in pages.values() if len(rows) == limit]
        if full:  # a long page: resume after what every list covers
            seen = min(full)
        for name, rows in pages.items():
            model = TABLES[name]
            values = [_values(r, model) for r in rows if r.rev <= seen]
            if name == "appointments" and audience is not Audience.STAFF:
                values = [v | _KIOSK_APPOINTMENT_BLANKS for v in values]
            elif name in PERSONAL:
                key = _key(model)
                for v in values:
                    for f in PERSONAL[name]:
                        v[f] = opened(hall, name, f, v[key], v[f])
            out[name] = values
    return RecordsFeed(seen, out)


def _key(model: Model) -> str:
    key = model.__mapper__.primary_key[0].key
    assert key is not None
    return key


def mirror_cursor(hall: Hall) -> int:
    with hall.sessions() as session:
        return current(session, CURSOR)


def _typed(model: Model, values: Mapping[str, Any]) -> dict[str, Any]:
    columns = {c.key: c.columns[0] for c in model.__mapper__.column_attrs}
    out: dict[str, Any] = {}
    for key, value in values.items():
        column = columns.get(key)
        if column is None or key == "pending":
            continue
        if isinstance(column.type, Date) and isinstance(value, str):
            value = date.fromisoformat(value)
        out[key] = value
    return out


def apply_feed(hall: Hall, feed: RecordsFeed) -> None:
    """Mirror the authority's rows into the local tables (idempotent; an older copy never wins)."""
    with hall.transaction() as session:
        session.info[_MIRRORING] = True
        # a write first: the mirror's writers (the stream, a command's answer) take turns from here on
        session.execute(update(QueueStateRow).where(QueueStateRow.name == CURSOR).values(value=QueueStateRow.value))
        for name, model in TABLES.items():
            key = _key(model)
            for raw in feed.rows.get(name, ()):
                values = _typed(model, raw)
                existing = session.get(model, values[key])
                if existing is None:
                    if name == "days":  # a day this PC scheduled before it had a hall server gives way
                        session.execute(delete(ReceptionDayRow).where(ReceptionDayRow.day == values["day"]))
                    elif name == "suggestions":
                        session.execute(delete(SuggestionRow).where(SuggestionRow.number == values["number"]))
                    session.add(model(**values))
                elif int(getattr(existing, "rev", 0)) < values["rev"] or getattr(existing, "pending", False):
                    for attr, value in values.items():
                        setattr(existing, attr, value)
                    if isinstance(existing, SuggestionRow):
                        existing.pending = False
        session.flush()
        if feed.rows.get("prints"):  # the authority forgets old ones by the same rule, and tells nobody
            from desktop.services.kiosk_prints import prune

            prune(session, hall.today())
        if feed.cursor > current(session, CURSOR):
            session.execute(update(QueueStateRow).where(QueueStateRow.name == CURSOR).values(value=feed.cursor))


# -- suggestions taken offline ----------------------------------------------------------------------


def pending_suggestions(hall: Hall) -> list[dict[str, Any]]:
    """The suggestions this device took while it could not reach the authority (to merge back)."""
    with hall.sessions() as session:
        return [_values(r, SuggestionRow) for r in session.scalars(select(SuggestionRow)
                                                                    .where(SuggestionRow.pending.is_(True))
                                                                    .order_by(SuggestionRow.submitted_at))]


def merge_suggestions(hall: Hall, records: list[Mapping[str, Any]]) -> int:
    """The authority takes in a device's offline suggestions: idempotent by id (a number taken is refused)."""
    added = 0
    with hall.transaction() as session:
        lock(session)
        for raw in records:
            values = _typed(SuggestionRow, raw)
            if session.get(SuggestionRow, values["suggestion_id"]) is not None:
                continue
            if session.scalar(select(SuggestionRow.suggestion_id).where(SuggestionRow.number == values["number"])):
                raise RuleViolation("suggestion_number_taken",
                                    f"建议编号 {values['number']} 已被其他建议使用，无法合并")
            for f in PERSONAL["suggestions"]:
                values[f] = sealed(hall, "suggestions", f, values["suggestion_id"], values[f])
            session.add(SuggestionRow(**values, pending=False))
            added += 1
    return added


def mark_merged(hall: Hall, suggestion_ids: list[str], *, erase: bool) -> None:
    """The authority has these: no longer pending; ``erase`` (a kiosk): no copy of them is kept here."""
    if not suggestion_ids:
        return
    with hall.transaction() as session:
        session.info[_MIRRORING] = True
        if erase:
            session.execute(delete(SuggestionRow).where(SuggestionRow.suggestion_id.in_(suggestion_ids)))
        else:  # rev 0: the authority's copy replaces this one when it arrives
            session.execute(update(SuggestionRow).where(SuggestionRow.suggestion_id.in_(suggestion_ids))
                            .values(pending=False, rev=0))
