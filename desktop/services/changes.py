"""What a committed transaction changed, told to everyone who shows that data.

Every write to the hall's database is seen where it happens — in the SQL sent on
the connection — not declared by each service: an INSERT, UPDATE or DELETE on a
table marks that table's topic, and the events the case store appends name their
cases. When the transaction has committed, the hall's :class:`ChangeFeed` hands one
:class:`Changes` to its subscribers, on the committing thread. A window's task
manager relays it to the GUI thread, where every open panel refreshes from it —
whether the change came from this window, a background sync or another service.
Nothing is told of a transaction that rolled back.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session, SessionTransaction, sessionmaker
from sqlalchemy.sql.dml import UpdateBase


class Topic(StrEnum):
    """Kinds of data a screen shows; each table of the database belongs to one (or none)."""

    CASES = "cases"  # events and every projection of them (cases, persons, search keys)
    REFERENCE = "reference"  # holiday schedules (and so every deadline)
    ACCOUNTS = "accounts"
    AUDIT = "audit"
    PRINT_JOBS = "print_jobs"
    SYNC = "sync"  # outbox acknowledgements, the pull cursor, enrolled devices
    QUEUE = "queue"  # the hall queue (told by the hall server)
    DRAFTS = "drafts"  # forms kept against a crash
    SUGGESTIONS = "suggestions"  # people's suggestions (人民建议) and their themes
    RECEPTION = "reception"  # leader reception days, their appointments and dossier notes


#: The topic of each table; tables not named here (counters) change nothing anyone shows.
TABLE_TOPICS: dict[str, Topic] = {
    "events": Topic.CASES,
    "cases": Topic.CASES,
    "case_persons": Topic.CASES,
    "search_keys": Topic.CASES,
    "holiday_schedules": Topic.REFERENCE,
    "reference_documents": Topic.REFERENCE,
    "staff_accounts": Topic.ACCOUNTS,
    "audit_log": Topic.AUDIT,
    "device_audit": Topic.AUDIT,
    "relayed_devices": Topic.AUDIT,
    "print_jobs": Topic.PRINT_JOBS,
    "kiosk_prints": Topic.PRINT_JOBS,
    "sync_state": Topic.SYNC,
    "sync_devices": Topic.SYNC,
    "peripheral_states": Topic.SYNC,
    "drafts": Topic.DRAFTS,
    "attachments": Topic.CASES,
    "suggestions": Topic.SUGGESTIONS,
    "suggestion_themes": Topic.SUGGESTIONS,
    "reception_days": Topic.RECEPTION,
    "reception_appointments": Topic.RECEPTION,
    "dossier_notes": Topic.RECEPTION,
    "queue_window_types": Topic.QUEUE,
    "queue_tickets": Topic.QUEUE,
    "queue_calls": Topic.QUEUE,
}


@dataclass(frozen=True)
class Changes:
    """What changed: topics, and for cases which ones (empty with ``CASES``: any case may have)."""

    topics: frozenset[Topic] = frozenset()
    case_ids: frozenset[str] = frozenset()

    @classmethod
    def of(cls, *topics: Topic, case_ids: Iterable[str] = ()) -> Changes:
        ids = frozenset(case_ids)
        return cls(frozenset(topics) | ({Topic.CASES} if ids else set()), ids)

    def __bool__(self) -> bool:
        return bool(self.topics)

    def __or__(self, other: Changes) -> Changes:
        return Changes(self.topics | other.topics, self.case_ids | other.case_ids)

    @property
    def cases(self) -> bool:
        return Topic.CASES in self.topics

    @property
    def deadlines(self) -> bool:
        """Deadlines move when a case does, and when the holiday calendar does."""
        return Topic.CASES in self.topics or Topic.REFERENCE in self.topics

    @property
    def print_jobs(self) -> bool:
        return Topic.PRINT_JOBS in self.topics

    @property
    def accounts(self) -> bool:
        return Topic.ACCOUNTS in self.topics

    @property
    def audit(self) -> bool:
        return Topic.AUDIT in self.topics

    @property
    def reference(self) -> bool:
        return Topic.REFERENCE in self.topics

    @property
    def sync(self) -> bool:
        return Topic.SYNC in self.topics

    @property
    def queue(self) -> bool:
        return Topic.QUEUE in self.topics

    @property
    def reception(self) -> bool:
        return Topic.RECEPTION in self.topics

    def touches_case(self, case_id: str) -> bool:
        """Whether the case ``case_id`` may have changed (a calendar change moves its deadlines too)."""
        if Topic.REFERENCE in self.topics:
            return True
        return Topic.CASES in self.topics and (not self.case_ids or case_id in self.case_ids)


NOTHING = Changes()

Listener = Callable[[Changes], None]


@dataclass
class _Collector:
    changes: Changes = NOTHING


class ChangeFeed:
    """Subscribers told of every committed change; thread-safe, called on the committing thread.

    :meth:`collecting` also gathers what the calling thread commits meanwhile, so that
    an operation can say what it changed.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._listeners: list[Listener] = []
        self._local = threading.local()

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Tell ``listener`` of every change from now on; returns the way to stop."""
        with self._lock:
            self._listeners.append(listener)

        def unsubscribe() -> None:
            with self._lock, suppress(ValueError):
                self._listeners.remove(listener)

        return unsubscribe

    def publish(self, changes: Changes) -> None:
        if not changes:
            return
        for collector in getattr(self._local, "collectors", ()):
            collector.changes = collector.changes | changes
        with self._lock:
            listeners = list(self._listeners)
        for listener in listeners:
            listener(changes)

    @contextmanager
    def collecting(self) -> Iterator[_Collector]:
        """What this thread commits inside the block, in ``collector.changes``."""
        collector = _Collector()
        stack: list[_Collector] = self._local.__dict__.setdefault("collectors", [])
        stack.append(collector)
        try:
            yield collector
        finally:
            stack.remove(collector)


_WRITTEN = "ph_written_tables"  # in the connection's and the session's info: the set of tables written
_CONNECTIONS = "ph_connection_infos"  # in the session's info: the info dicts of its connections


@dataclass
class _Written:
    tables: set[str] = field(default_factory=set)
    cases: set[str] = field(default_factory=set)


def note_cases(session: Session, case_ids: Iterable[str]) -> None:
    """Name the cases this transaction wrote events for (the case store calls this)."""
    written = session.info.get(_WRITTEN)
    if isinstance(written, _Written):
        written.cases.update(case_ids)


def track(engine: Engine, sessions: sessionmaker[Session], feed: ChangeFeed) -> None:
    """Tell ``feed`` what every transaction of ``sessions`` on ``engine`` changed, once it commits."""

    def before_execute(conn: Connection, clause: Any, *_args: Any, **_kwargs: Any) -> None:
        written = conn.info.get(_WRITTEN)
        if written is not None and isinstance(clause, UpdateBase):
            name = getattr(getattr(clause, "table", None), "name", None)
            if name:
                written.tables.add(str(name))

    def after_begin(session: Session, _transaction: SessionTransaction, connection: Connection) -> None:
        written = session.info.get(_WRITTEN)
        if not isinstance(written, _Written):
            written = session.info[_WRITTEN] = _Written()
        connection.info[_WRITTEN] = written
        session.info.setdefault(_CONNECTIONS, []).append(connection.info)

    def after_commit(session: Session) -> None:
        written = session.info.get(_WRITTEN)
        if not isinstance(written, _Written):
            return
        topics = frozenset(TABLE_TOPICS[t] for t in written.tables if t in TABLE_TOPICS)
        changes = Changes(topics, frozenset(written.cases) if Topic.CASES in topics else frozenset())
        written.tables.clear()
        written.cases.clear()
        feed.publish(changes)

    def after_transaction_end(session: Session, transaction: SessionTransaction) -> None:
        if transaction.parent is not None:
            return  # a savepoint: the outer transaction goes on
        written = session.info.pop(_WRITTEN, None)
        if isinstance(written, _Written):
            written.tables.clear()
            written.cases.clear()
        for info in session.info.pop(_CONNECTIONS, ()):
            info.pop(_WRITTEN, None)

    event.listen(engine, "before_execute", before_execute)
    event.listen(sessions, "after_begin", after_begin)
    event.listen(sessions, "after_commit", after_commit)
    event.listen(sessions, "after_transaction_end", after_transaction_end)
