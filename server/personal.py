"""Personal data at rest on the server: names, ID numbers, phones and addresses encrypted field by field.

The server stores a registration's event with these fields *masked* (``欧阳**``,
``330726********4567``, ``139****3456``) and every event's free texts (request, facts,
reasons, answers, notes …, which can name people) replaced by ``〔密文〕``, so its
projections, search keys and every other table hold no full name, number or phone. The full values are kept only as
:class:`~desktop.domain.fieldcrypt.FieldCipher` tokens in ``sealed_fields`` (bound to the
event and the field: a token copied elsewhere does not decrypt), and looked up through
keyed blind indexes in ``person_index`` (exact ID number or phone → cases). A pull puts
the full values back for the devices that may hold them (kiosks get them masked anyway).

Keys: the field key ring (``key_id → 32 bytes``, one current) and the blind-index key.
Rotating adds a key and re-encrypts every token, and every material file the server keeps
sealed (:mod:`server.materials`), under it in batches (``reencrypt``), while reads keep working
with both keys loaded.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import partial
from typing import Any, Final

from sqlalchemy import func, insert, or_, select, tuple_, update
from sqlalchemy.orm import Session

from db.models import (
    AppointmentRow,
    AttachmentRow,
    EventRow,
    PersonIndexRow,
    QueueTicketRow,
    SealedFieldRow,
    SuggestionRow,
)
from desktop.domain.errors import ValidationError
from desktop.domain.events import Event, EventType
from desktop.domain.fieldcrypt import BlindIndex, FieldCipher
from desktop.domain.identity import mask_address, mask_id_number, mask_name, mask_phone
from desktop.services import hallrecords

_PERSON_FIELDS: Final = {"name": mask_name, "id_number": mask_id_number, "phone": mask_phone}
#: The free texts any event may carry (a request, facts, reasons, an answer, a note …): they can name
#: people, so the server keeps each only as a token and stores ``SEALED_TEXT`` in its place.
FREE_TEXTS: Final = ("request", "facts", "reasons", "note", "material", "text", "reason", "comment")
#: What the server's stored events and projections hold instead of a free text (the device gets the text).
SEALED_TEXT: Final = "〔密文〕"
_INDEXED: Final = {"id_number": "id_number", "phone": "phone"}
#: The field a material file is sealed for (its SHA-256 is the record id), see :mod:`server.materials`.
FILE_FIELD: Final = "attachment"
#: How every sealed file begins (the token version of :meth:`FieldCipher.encrypt_bytes`).
SEALED_FILE: Final = b"v1."

log = logging.getLogger(__name__)


@dataclass
class FieldKeys:
    """The field cipher (its key ring) and the blind index.

    ``cipher`` is read at each use, so a running server takes up a new key ring by replacing it
    (:func:`server.hall.follow_field_keys`).
    """

    cipher: FieldCipher
    index: BlindIndex

    @classmethod
    def single(cls, field_key: bytes, index_key: bytes, key_id: str = "k1") -> FieldKeys:
        return cls(FieldCipher({key_id: field_key}, key_id), BlindIndex(index_key))


def _persons(payload: Mapping[str, Any]) -> Iterable[tuple[str, Mapping[str, Any]]]:
    petitioner = payload.get("petitioner")
    if isinstance(petitioner, Mapping):
        yield "petitioner", petitioner
    agent = payload.get("agent")
    if isinstance(agent, Mapping):
        yield "agent", agent
    reps = payload.get("representatives")
    if isinstance(reps, list):
        for n, rep in enumerate(reps):
            if isinstance(rep, Mapping):
                yield f"representatives.{n}", rep


def seal(events: Sequence[Event], keys: FieldKeys) -> tuple[list[Event], list[dict[str, str]], list[dict[str, str]]]:
    """The events as the server stores them (personal fields masked), their sealed fields and index rows."""
    stored: list[Event] = []
    sealed: list[dict[str, str]] = []
    indexed: list[dict[str, str]] = []
    for event in events:
        payload = dict(event.payload)
        for key in FREE_TEXTS:
            value = payload.get(key)
            if isinstance(value, str) and value:
                sealed.append({"event_id": event.event_id, "field": key,
                               "token": keys.cipher.encrypt(value, field=key, record_id=event.event_id)})
                payload[key] = SEALED_TEXT
        if event.type is not EventType.REGISTERED:
            stored.append(replace(event, payload=payload) if payload != event.payload else event)
            continue
        for path, person in _persons(event.payload):
            masked = dict(person)
            for key, mask in _PERSON_FIELDS.items():
                value = person.get(key)
                if isinstance(value, str) and value:
                    field = f"{path}.{key}"
                    sealed.append({"event_id": event.event_id, "field": field,
                                   "token": keys.cipher.encrypt(value, field=field, record_id=event.event_id)})
                    masked[key] = mask(value)
                    if key in _INDEXED:
                        indexed.append({"kind": _INDEXED[key], "token": keys.index.token(_INDEXED[key], value),
                                        "case_id": event.case_id})
            if "." in path:
                head, n = path.split(".")
                reps = list(payload[head])
                reps[int(n)] = masked
                payload[head] = reps
            else:
                payload[path] = masked
        address = payload.get("address")
        if isinstance(address, str) and address:
            sealed.append({"event_id": event.event_id, "field": "address",
                           "token": keys.cipher.encrypt(address, field="address", record_id=event.event_id)})
            payload["address"] = mask_address(address)
        stored.append(replace(event, payload=payload))
    return stored, sealed, indexed


def store_sealed(session: Session, sealed: list[dict[str, str]], indexed: list[dict[str, str]]) -> None:
    if sealed:
        session.execute(insert(SealedFieldRow), sealed)
    if indexed:
        unique = {(r["kind"], r["token"], r["case_id"]): r for r in indexed}
        have = set()
        for kind, token, case_id in unique:
            found = session.scalar(select(PersonIndexRow.case_id).where(PersonIndexRow.kind == kind)
                                   .where(PersonIndexRow.token == token).where(PersonIndexRow.case_id == case_id))
            if found is not None:
                have.add((kind, token, case_id))
        new = [r for k, r in unique.items() if k not in have]
        if new:
            session.execute(insert(PersonIndexRow), new)


def unseal_payloads(session: Session, payloads: dict[str, dict[str, Any]], keys: FieldKeys,
                    seqs: tuple[int, int] | None = None) -> None:
    """Put the full values back into these stored payloads (``event_id → payload``), in place.

    ``seqs`` ``(after, up_to)``: the payloads are those of the events in that range of ``seq``
    (a pull's page), read in one query joined on the events instead of by id.
    """
    if seqs is not None:
        query = (select(SealedFieldRow.event_id, SealedFieldRow.field, SealedFieldRow.token)
                 .join(EventRow, EventRow.event_id == SealedFieldRow.event_id)
                 .where(EventRow.seq > seqs[0]).where(EventRow.seq <= seqs[1]))
        found: list[Any] = [r for r in session.execute(query) if r.event_id in payloads]
    else:
        ids = sorted(payloads)
        found = [r for start in range(0, len(ids), 500) for r in session.execute(
            select(SealedFieldRow.event_id, SealedFieldRow.field, SealedFieldRow.token)
            .where(SealedFieldRow.event_id.in_(ids[start:start + 500])))]
    for event_id, field, token in found:
        value = keys.cipher.decrypt(token, field=field, record_id=event_id)
        payload = payloads[event_id]
        parts = field.split(".")
        if len(parts) == 1:  # the address, a free text
            payload[field] = value
        elif parts[0] == "representatives":
            reps = payload["representatives"] = list(payload.get("representatives", []))
            reps[int(parts[1])] = {**reps[int(parts[1])], parts[2]: value}
        else:
            payload[parts[0]] = {**payload.get(parts[0], {}), parts[1]: value}


def cases_of(session: Session, keys: FieldKeys, *, id_number: str = "", phone: str = "") -> set[str]:
    """The cases of a person by exact ID number or phone, through the blind index alone."""
    wanted = [("id_number", id_number), ("phone", phone)]
    found: set[str] = set()
    for kind, value in wanted:
        if value:
            found.update(session.scalars(select(PersonIndexRow.case_id).where(PersonIndexRow.kind == kind)
                                         .where(PersonIndexRow.token == keys.index.token(kind, value))))
    return found


@dataclass(frozen=True)
class Reencrypted:
    """What a re-encryption moved under the current key: event fields' tokens, and material files."""

    tokens: int = 0
    files: int = 0


def reencrypt(session_factory: Any, keys: FieldKeys, batch: int = 500, file_batch: int = 4) -> Reencrypted:
    """Re-encrypt every token and every sealed material file not under the current key; says how many.

    Tokens go ``batch`` to a transaction, files ``file_batch`` (a file may be 20 MB: one is read,
    re-sealed and written back before the next, so memory holds about one file, not all). An
    interrupted run loses no more than its open transaction, and running again finishes the job.
    """
    cipher = keys.cipher
    tokens = _in_batches(session_factory, partial(_pending_tokens, cipher), partial(_reencrypt_token, cipher), batch)
    for table in _SEALED_COLUMNS:
        tokens += _in_batches(session_factory, partial(_pending_columns, cipher, table),
                              partial(_reencrypt_columns, cipher, table), batch)
    return Reencrypted(tokens=tokens, files=_in_batches(session_factory, partial(_pending_files, cipher),
                                                        partial(_reencrypt_file, cipher), file_batch))


def catch_up(session_factory: Any, keys: FieldKeys) -> Reencrypted:
    """At start: re-encrypt what an interrupted rotation left under an older key, saying so in the log."""
    try:
        done = reencrypt(session_factory, keys)
    except Exception:  # a background thread: the log is where it is said
        log.exception("重新加密旧密钥下的密文和材料时出错，下次启动服务器时会继续")
        return Reencrypted()
    if done.tokens or done.files:
        log.info("已把旧密钥下的 %d 项密文、%d 份材料重新加密（密钥 %s）", done.tokens, done.files,
                 keys.cipher.current_key_id)
    return done


def _in_batches(session_factory: Any, pending: Callable[[Session, Any, int], Sequence[Any]],
                redo: Callable[[Session, Any], int], batch: int) -> int:
    """The re-encryption loop: ``pending`` the next rows (in key order after the last one seen), a batch a transaction.

    ``redo`` re-encrypts one row and says how many values it moved; the keys walk forward, so a row
    left as it is (a file kept unsealed) is not met again.
    """
    done, after = 0, None
    while True:
        with session_factory.begin() as session:
            rows = pending(session, after, batch)
            done += sum(redo(session, row) for row in rows)
        if len(rows) < batch:
            return done
        after = rows[-1]


def _pending_tokens(cipher: FieldCipher, session: Session, after: Any, batch: int) -> Sequence[Any]:
    query = (select(SealedFieldRow.event_id, SealedFieldRow.field, SealedFieldRow.token)
             .where(~SealedFieldRow.token.like(f"v1.%.{cipher.current_key_id}.%"))
             .order_by(SealedFieldRow.event_id, SealedFieldRow.field).limit(batch))
    if after is not None:
        query = query.where(tuple_(SealedFieldRow.event_id, SealedFieldRow.field) > tuple_(after.event_id, after.field))
    return list(session.execute(query))


def _reencrypt_token(cipher: FieldCipher, session: Session, row: Any) -> int:
    session.execute(update(SealedFieldRow).where(SealedFieldRow.event_id == row.event_id)
                    .where(SealedFieldRow.field == row.field)
                    .values(token=cipher.reencrypt(row.token, field=row.field, record_id=row.event_id)))
    return True


@dataclass(frozen=True)
class _SealedColumns:
    """A table whose personal columns the central server keeps sealed, and what each token is bound to."""

    model: Any
    key: str
    columns: tuple[tuple[str, str], ...]  # (column, the field its tokens are bound to)
    record: str = ""  # the record id every token is bound to ("": the row's key)


#: What the queue's sealed person is bound to (:mod:`server.queue`: not the ticket, which a transfer changes).
QUEUE_RECORD: Final = "queue-ticket"
#: The other tables with sealed columns (:mod:`server.records`, :mod:`server.queue`), re-encrypted with the events'.
_SEALED_COLUMNS: Final = (
    _SealedColumns(AppointmentRow, "appointment_id",
                   tuple((c, f"appointments.{c}") for c in hallrecords.PERSONAL["appointments"])),
    _SealedColumns(SuggestionRow, "suggestion_id",
                   tuple((c, f"suggestions.{c}") for c in hallrecords.PERSONAL["suggestions"])),
    _SealedColumns(QueueTicketRow, "ticket_id", (("person_name", "queue.name"), ("person_id", "queue.id_number")),
                   QUEUE_RECORD),
)


def _pending_columns(cipher: FieldCipher, table: _SealedColumns, session: Session, after: Any,
                     batch: int) -> Sequence[Any]:
    key = getattr(table.model, table.key)
    columns = [getattr(table.model, c) for c, _ in table.columns]
    stale = or_(*(c.like("v1.%") & ~c.like(f"v1.%.{cipher.current_key_id}.%") for c in columns))
    query = select(key, *columns).where(stale).order_by(key).limit(batch)
    if after is not None:
        query = query.where(key > after[0])
    return list(session.execute(query))


def _reencrypt_columns(cipher: FieldCipher, table: _SealedColumns, session: Session, row: Any) -> int:
    record = table.record or row[0]
    moved: dict[str, str] = {}
    for (column, field), value in zip(table.columns, row[1:], strict=True):
        try:
            if value and cipher.needs_reencryption(value):
                moved[column] = cipher.reencrypt(value, field=field, record_id=record)
        except ValidationError as exc:
            if exc.code != "field_token_malformed":
                raise
            # a value kept as it came, which only begins as a token does
    if moved:
        session.execute(update(table.model).where(getattr(table.model, table.key) == row[0]).values(**moved))
    return len(moved)


def _pending_files(cipher: FieldCipher, session: Session, after: Any, batch: int) -> Sequence[Any]:
    """The next files sealed under another key or algorithm than the current ones (by their header)."""
    current = f"v1.{cipher.algorithm.name}.{cipher.current_key_id}.".encode("ascii")
    query = (select(AttachmentRow.sha256)
             .where(func.substr(AttachmentRow.data, 1, len(SEALED_FILE)) == SEALED_FILE)
             .where(func.substr(AttachmentRow.data, 1, len(current)) != current)
             .order_by(AttachmentRow.sha256).limit(batch))
    if after is not None:
        query = query.where(AttachmentRow.sha256 > after)
    return list(session.scalars(query))


def _reencrypt_file(cipher: FieldCipher, session: Session, sha256: str) -> int:
    """One file re-sealed under the current key, bound to its SHA-256 as :mod:`server.materials` seals it."""
    data = session.scalar(select(AttachmentRow.data).where(AttachmentRow.sha256 == sha256).with_for_update())
    if data is None or not is_sealed_file(data, sha256) or not cipher.needs_reencryption(data):
        return 0  # kept unsealed, or already moved by another run
    resealed = cipher.reencrypt(bytes(data), field=FILE_FIELD, record_id=sha256)
    del data
    session.execute(update(AttachmentRow).where(AttachmentRow.sha256 == sha256).values(data=resealed))
    return 1


def is_sealed_file(data: bytes, sha256: str) -> bool:
    """Whether a stored file is sealed (:meth:`FieldCipher.encrypt_bytes`) rather than kept as it came.

    A hall server keeps files as they came, as did the central server before it sealed them; a
    file's own bytes match its SHA-256, sealed ones never do.
    """
    return data.startswith(SEALED_FILE) and hashlib.sha256(data).hexdigest() != sha256
