"""The event store and the projections folded from it.

Appending an event and updating its case's projection happen in one
transaction, so a crash leaves either both or neither. ``rebuild_projections``
drops every projection and folds them again from the events alone.

The projections are the ``cases``, ``case_persons`` and ``search_keys`` rows and, on
SQLite, the two text indexes: ``case_fts`` (kept by triggers from migration 0001) and
``case_fts_folded`` (the folded text and case number, :mod:`db.search_sql`), which this
module writes with each case row whose text or number is new. On PostgreSQL the folded
text is an indexed expression over ``cases``: nothing to write.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, cast

from sqlalchemy import Connection, Table, bindparam, delete, insert, select, text, update
from sqlalchemy.orm import Session

from db.models import AttachmentCaseRow, CasePersonRow, CaseRow, CounterRow, EventRow, SearchKeyRow
from db.search_sql import DELETE_FOLDED, FOLDED_FTS, INSERT_FOLDED, folded_case_text, folded_text_sql
from desktop.domain.case import CaseView, DeadlinePolicy, project
from desktop.domain.events import Event, EventType, canonical_json
from desktop.domain.files import named_files
from desktop.domain.hlc import Hlc
from desktop.domain.identity import name_search_keys
from desktop.services.changes import note_cases

_EVENTS = cast(Table, EventRow.__table__)
_CASES = cast(Table, CaseRow.__table__)


_SET_SERVER_SEQ = update(_EVENTS).where(_EVENTS.c.event_id == bindparam("_id")).values(server_seq=bindparam("_seq"))


def event_to_row(event: Event) -> dict[str, Any]:
    return {
        "event_id": event.event_id,
        "case_id": event.case_id,
        "device_id": event.device_id,
        "author": event.author,
        "hlc": event.hlc,
        "type": event.type.value,
        "payload": canonical_json(dict(event.payload)),
        "schema_version": event.schema_version,
    }


def row_to_event(row: Any) -> Event:
    return Event(
        event_id=row.event_id,
        case_id=row.case_id,
        device_id=row.device_id,
        author=row.author,
        hlc=row.hlc,
        type=EventType(row.type),
        payload=json.loads(row.payload),
        schema_version=row.schema_version,
    )


def last_local_hlc(session: Session) -> Hlc | None:
    latest = session.scalar(select(EventRow.hlc).order_by(EventRow.hlc.desc()).limit(1))
    return Hlc.parse(latest) if latest else None


def case_events(session: Session, case_id: str) -> list[Event]:
    rows = session.execute(
        select(EventRow).where(EventRow.case_id == case_id).order_by(EventRow.hlc,
                                                                      EventRow.event_id)
    ).scalars()
    return [row_to_event(r) for r in rows]


def next_counter(session: Session, name: str) -> int:
    """Increment and return a named counter inside the caller's transaction."""
    updated = session.execute(
        update(CounterRow).where(CounterRow.name == name).values(value=CounterRow.value + 1)
    )
    if getattr(updated, "rowcount", 0) == 0:
        session.add(CounterRow(name=name, value=1))
        session.flush()
        return 1
    value = session.scalar(select(CounterRow.value).where(CounterRow.name == name))
    assert value is not None
    return value


# --- projection rows --------------------------------------------------------------------------

def case_row(view: CaseView) -> dict[str, Any]:
    """The ``cases`` row of a view: deterministic, so replicas write identical rows."""
    p = view.petitioner
    return {
        "case_id": view.case_id,
        "case_number": view.case_number or view.case_id,
        "state": view.state.value,
        "channel": view.channel,
        "received_on": view.received_on,
        "received_at": view.received_at,
        "hall": view.hall,
        "window": view.window,
        "queue_number": view.queue_number,
        "registered_by": view.registered_by,
        "first_receiver": view.first_receiver,
        "device_id": view.device_id,
        "petitioner_name": p.name,
        "petitioner_document_type": p.document_type,
        "petitioner_id_number": p.id_number,
        "petitioner_phone": p.phone,
        "address": view.address,
        "persons_count": view.persons_count,
        "region_code": view.region_code,
        "topic_code": view.topic_code,
        "nature": view.nature,
        "purpose": view.purpose,
        "legal_route": view.legal_route,
        "request": view.request,
        "facts": view.facts,
        "reasons": view.reasons,
        "public_ok": view.public_ok,
        "visit_kind": view.visit_kind,
        "repeat_of": canonical_json(list(view.repeat_of)),
        "accused_org_codes": canonical_json(list(view.accused_org_codes)),
        "skipped_level": view.skipped_level,
        "query_code_hash": view.query_code_hash,
        "route_kind": view.route_kind,
        "organisation_code": view.organisation_code,
        "route_due": view.route_due,
        "routed_on": view.routed_on,
        "decision_due": view.decision_due,
        "accepted_on": view.accepted_on,
        "handling_due": view.handling_due,
        "extended_days": view.extended_days,
        "answered_on": view.answered_on,
        "outcome": view.outcome,
        "delivered_on": view.delivered_on,
        "review_request_due": view.review_request_due,
        "review_answer_due": view.review_answer_due,
        "rereview_request_due": view.rereview_request_due,
        "rereview_answer_due": view.rereview_answer_due,
        "rating": view.rating,
        "leader": view.leader,
        "leader_unit": view.leader_unit,
        "leader_due": view.leader_due,
        "next_due": view.next_due,
        "next_due_rule": view.next_due_rule,
        "deadlines_verified": view.deadlines_verified,
        "flags": canonical_json(list(view.flags)),
        "anomalies": canonical_json(list(view.anomalies)),
        "needs_supervisor": view.needs_supervisor,
        "event_count": view.event_count,
        "last_hlc": view.last_hlc,
    }


def person_rows(view: CaseView) -> list[dict[str, Any]]:
    return [
        {"case_id": view.case_id, "role": p.role, "name": p.name,
         "document_type": p.document_type, "id_number": p.id_number, "phone": p.phone}
        for p in view.persons
        if p.name or p.id_number or p.phone
    ]


def key_rows(view: CaseView) -> list[dict[str, Any]]:
    keys: set[str] = set()
    for person in view.persons:
        if person.name:
            keys.update(name_search_keys(person.name))
    return [{"key": k, "case_id": view.case_id, "received_on": view.received_on} for k in sorted(keys)]


# --- writing ----------------------------------------------------------------------------------

def append_events(session: Session, events: Sequence[Event], policy: DeadlinePolicy,
                  server_seqs: Mapping[str, int] | None = None) -> list[CaseView]:
    """Store events (idempotently by event id) and refresh the projections they touch.

    Works on the whole batch at once: one query finds the events already known,
    one loads the earlier histories of every touched case, and the rows are written in
    bulk. People and search keys come only from the registration, so they are
    rewritten only when a registration arrives. ``server_seqs`` (a pull) gives the new
    events their server sequence as they are written.
    """
    ids = [e.event_id for e in events]
    known: set[str] = set()
    connection = session.connection()
    for start in range(0, len(ids), 500):
        known.update(connection.scalars(
            select(_EVENTS.c.event_id).where(_EVENTS.c.event_id.in_(ids[start:start + 500]))))
    fresh = list({e.event_id: e for e in events if e.event_id not in known}.values())
    if server_seqs is not None and known:
        connection.execute(_SET_SERVER_SEQ, [{"_id": i, "_seq": server_seqs[i]} for i in sorted(known)
                                             if i in server_seqs])
    if not fresh:
        return []
    rows = [event_to_row(e) for e in fresh]
    if server_seqs is not None:
        for row in rows:
            row["server_seq"] = server_seqs.get(row["event_id"])
    connection.execute(insert(_EVENTS), rows)
    note_named_files(session, fresh)
    touched = list(dict.fromkeys(e.case_id for e in fresh))
    registered = {e.case_id for e in fresh if e.type is EventType.REGISTERED}
    # the new events as the store holds them (the payload read back from its stored text), without reading them back
    histories: dict[str, list[Event]] = {case_id: [] for case_id in touched}
    for event, written in zip(fresh, rows, strict=True):
        histories[event.case_id].append(replace(event, payload=json.loads(written["payload"])))
    new_ids = {e.event_id for e in fresh}
    existing: set[str] = set()
    for start in range(0, len(touched), 500):
        chunk = touched[start:start + 500]
        for stored in connection.execute(select(_EVENTS).where(_EVENTS.c.case_id.in_(chunk))):
            if stored.event_id not in new_ids:
                histories[stored.case_id].append(row_to_event(stored))
        existing.update(connection.scalars(select(_CASES.c.case_id).where(_CASES.c.case_id.in_(chunk))))
    views = [project(case_id, histories[case_id], policy) for case_id in touched]
    write_projections(session, views, existing, registered)
    note_cases(session, touched)
    return views


def note_named_files(session: Session, events: Sequence[Event]) -> None:
    """Record which case names which file (``attachment_cases``), for the events that name any."""
    wanted = {(sha, e.case_id) for e in events for sha in named_files(e.payload)}
    if not wanted:
        return
    shas = sorted({sha for sha, _ in wanted})
    have = {(sha, case_id) for sha, case_id in session.execute(
        select(AttachmentCaseRow.sha256, AttachmentCaseRow.case_id).where(AttachmentCaseRow.sha256.in_(shas)))}
    new = sorted(wanted - have)
    if new:
        session.execute(insert(AttachmentCaseRow), [{"sha256": s, "case_id": c} for s, c in new])


_TEXT_COLUMNS = ("request", "facts", "reasons")


def write_projections(session: Session, views: Sequence[CaseView], existing: set[str],
                      registered: set[str]) -> None:
    """Insert new case rows, update the others; the text indexes are touched only on new text.

    The texts and the case number change only with a registration: a new case row, or one
    made earlier from events that arrived before their registration (sync).
    """
    table = _CASES
    new_rows = [case_row(v) for v in views if v.case_id not in existing]
    if new_rows:
        session.connection().execute(insert(table), new_rows)
        write_folded(session.connection(), new_rows)
    updates = [v for v in views if v.case_id in existing]
    for with_text in (True, False):
        rows = []
        folded: list[dict[str, Any]] = []
        for view in updates:
            if (view.case_id in registered) is not with_text:
                continue
            row = case_row(view)
            if with_text:
                folded.append(row.copy())
            else:
                for column in _TEXT_COLUMNS:
                    del row[column]
            row["_case_id"] = row.pop("case_id")
            rows.append(row)
        if rows:
            statement = update(table).where(table.c.case_id == bindparam("_case_id"))
            session.connection().execute(statement, rows)
            write_folded(session.connection(), folded, replace=True)
    refresh = [v for v in views if v.case_id in registered]
    if refresh:
        ids = [v.case_id for v in refresh]
        session.execute(delete(CasePersonRow).where(CasePersonRow.case_id.in_(ids)))
        session.execute(delete(SearchKeyRow).where(SearchKeyRow.case_id.in_(ids)))
        persons = [p for v in refresh for p in person_rows(v)]
        keys = [k for v in refresh for k in key_rows(v)]
        if persons:
            session.connection().execute(insert(cast(Table, CasePersonRow.__table__)), persons)
        if keys:
            session.connection().execute(insert(cast(Table, SearchKeyRow.__table__)), keys)


def refold(session: Session, case_ids: Sequence[str], policy: DeadlinePolicy) -> list[CaseView]:
    """Fold these (stored) cases again from their events under ``policy`` and rewrite their rows.

    For what only the deadline policy changes (a holiday schedule, the day counting): the
    people, search keys and texts stay as they are.
    """
    histories: dict[str, list[Event]] = {case_id: [] for case_id in case_ids}
    connection = session.connection()
    for start in range(0, len(case_ids), 500):
        for stored in connection.execute(select(_EVENTS).where(_EVENTS.c.case_id.in_(case_ids[start:start + 500]))
                                         .order_by(_EVENTS.c.hlc, _EVENTS.c.event_id)):
            histories[stored.case_id].append(row_to_event(stored))
    views = [project(case_id, events, policy) for case_id, events in histories.items() if events]
    write_projections(session, views, {v.case_id for v in views}, set())
    note_cases(session, [v.case_id for v in views])
    return views


# --- rebuilding -------------------------------------------------------------------------------

@dataclass(frozen=True)
class RebuildReport:
    cases: int
    events: int
    flagged: int


def iter_case_events(connection: Connection, batch: int = 5000) -> Iterator[list[Event]]:
    """Every case's events, one case at a time, streamed in case-id order."""
    result = connection.execution_options(stream_results=True, yield_per=batch).execute(
        select(EventRow).order_by(EventRow.case_id, EventRow.hlc, EventRow.event_id)
    )
    current: list[Event] = []
    for row in result:
        if current and current[0].case_id != row.case_id:
            yield current
            current = []
        current.append(row_to_event(row))
    if current:
        yield current


def write_folded(connection: Connection, rows: Sequence[Mapping[str, Any]], *, replace: bool = False) -> None:
    """SQLite: the folded text and number of these ``cases`` rows (already written) into ``case_fts_folded``.

    ``replace``: the rows had an entry, which is deleted first. On PostgreSQL the index is
    an expression over ``cases``: nothing to do.
    """
    if not rows or connection.dialect.name != "sqlite":
        return
    folded = [{"case_id": r["case_id"], "body": folded_case_text(r["request"], r["facts"], r["reasons"]),
               "number": r["case_number"]} for r in rows]
    if replace:
        connection.execute(text(DELETE_FOLDED), [{"case_id": r["case_id"]} for r in folded])
    connection.execute(text(INSERT_FOLDED), folded)


def bulk_write_projections(connection: Connection, views: Iterable[CaseView]) -> int:
    cases: list[dict[str, Any]] = []
    persons: list[dict[str, Any]] = []
    keys: list[dict[str, Any]] = []
    count = 0
    for view in views:
        cases.append(case_row(view))
        persons.extend(person_rows(view))
        keys.extend(key_rows(view))
        count += 1
    if cases:
        connection.execute(insert(CaseRow), cases)
        write_folded(connection, cases)
    if persons:
        connection.execute(insert(CasePersonRow), persons)
    if keys:
        connection.execute(insert(SearchKeyRow), keys)
    return count


def clear_projections(connection: Connection) -> None:
    connection.execute(delete(SearchKeyRow))
    connection.execute(delete(CasePersonRow))
    connection.execute(delete(CaseRow))
    if connection.dialect.name == "sqlite":
        connection.execute(text("INSERT INTO case_fts(case_fts) VALUES ('rebuild')"))
        connection.execute(text(f"DELETE FROM {FOLDED_FTS}"))


def rebuild_projections(engine_connection: Connection, policy: DeadlinePolicy,
                        chunk: int = 2000) -> RebuildReport:
    """Drop all projections and fold them again from the event history."""
    clear_projections(engine_connection)
    cases = events = flagged = 0
    pending: list[CaseView] = []
    reader = engine_connection.engine.connect()
    try:
        for case_events_ in iter_case_events(reader):
            view = project(case_events_[0].case_id, case_events_, policy)
            pending.append(view)
            events += len(case_events_)
            flagged += view.needs_supervisor
            if len(pending) >= chunk:
                cases += bulk_write_projections(engine_connection, pending)
                pending = []
        cases += bulk_write_projections(engine_connection, pending)
    finally:
        reader.close()
    return RebuildReport(cases=cases, events=events, flagged=flagged)


def folded_index(session: Session) -> list[tuple[Any, ...]]:
    """``(case_id, folded text, case number)`` as the folded index holds them, sorted.

    SQLite: every row of ``case_fts_folded`` with its case (``None`` for a row left
    without one). PostgreSQL: the indexed expression, one row per case.
    """
    if session.get_bind().dialect.name == "sqlite":
        sql = (f"SELECT c.case_id, f.body, f.number FROM {FOLDED_FTS} f "
               f"LEFT JOIN cases c ON c.id = f.rowid")
    else:
        sql = f"SELECT case_id, {folded_text_sql()}, case_number FROM cases"
    return sorted((tuple(r) for r in session.execute(text(sql))),
                  key=lambda r: tuple("" if v is None else v for v in r))


def projection_snapshot(session: Session) -> Mapping[str, list[tuple[Any, ...]]]:
    """All projection content without surrogate keys, for comparing two builds.

    Includes the folded text index (:func:`folded_index`), the same on both databases.
    ``case_fts`` is not read: triggers keep it as a copy of the ``cases`` texts.
    """
    case_cols = [c for c in CaseRow.__table__.columns if c.name != "id"]
    person_cols = [c for c in CasePersonRow.__table__.columns if c.name != "id"]
    return {
        "cases": [tuple(r) for r in session.execute(select(*case_cols).order_by(CaseRow.case_id))],
        "case_persons": sorted(tuple(r) for r in session.execute(select(*person_cols))),
        "search_keys": [tuple(r) for r in session.execute(
            select(SearchKeyRow.key, SearchKeyRow.case_id, SearchKeyRow.received_on)
            .order_by(SearchKeyRow.key, SearchKeyRow.case_id))],
        "case_fts_folded": folded_index(session),
    }
