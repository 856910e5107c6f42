"""Tables of the embedded store (and, unchanged, of PostgreSQL).

``events`` is the source of truth; ``cases``, ``case_persons`` and
``search_keys`` are projections that ``rebuild_projections`` recreates from the
events and must come out identical.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    false,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class EventRow(Base):
    __tablename__ = "events"

    seq: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"),
                                     primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(String(36), unique=True)
    case_id: Mapped[str] = mapped_column(String(36))
    device_id: Mapped[str] = mapped_column(String(32))
    author: Mapped[str] = mapped_column(String(64))
    hlc: Mapped[str] = mapped_column(String(64))
    type: Mapped[str] = mapped_column(String(16))
    payload: Mapped[str] = mapped_column(Text)
    schema_version: Mapped[int] = mapped_column(Integer)
    server_seq: Mapped[int | None] = mapped_column(BigInteger, nullable=True)

    __table_args__ = (
        Index("ix_events_case_hlc", "case_id", "hlc"),
        Index("ix_events_server_seq", "server_seq"),
        Index("ix_events_hlc", "hlc"),
    )


class CaseRow(Base):
    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"),
                                    primary_key=True, autoincrement=True)
    case_id: Mapped[str] = mapped_column(String(36), unique=True)
    case_number: Mapped[str] = mapped_column(String(40), unique=True)
    state: Mapped[str] = mapped_column(String(16))
    channel: Mapped[str] = mapped_column(String(8))
    received_on: Mapped[date] = mapped_column(Date)
    received_at: Mapped[str] = mapped_column(String(32))
    hall: Mapped[str] = mapped_column(String(64))
    window: Mapped[str] = mapped_column(String(16))
    queue_number: Mapped[str] = mapped_column(String(16))
    registered_by: Mapped[str] = mapped_column(String(64))
    first_receiver: Mapped[str] = mapped_column(String(64))
    device_id: Mapped[str] = mapped_column(String(32))
    petitioner_name: Mapped[str] = mapped_column(String(100))
    petitioner_document_type: Mapped[str] = mapped_column(String(20))
    petitioner_id_number: Mapped[str] = mapped_column(String(40))
    petitioner_phone: Mapped[str] = mapped_column(String(24))
    address: Mapped[str] = mapped_column(String(200))
    persons_count: Mapped[int] = mapped_column(Integer)
    region_code: Mapped[str] = mapped_column(String(12))
    topic_code: Mapped[str] = mapped_column(String(16))
    nature: Mapped[str] = mapped_column(String(8))
    purpose: Mapped[str] = mapped_column(String(8))
    legal_route: Mapped[str] = mapped_column(String(40))
    request: Mapped[str] = mapped_column(Text)
    facts: Mapped[str] = mapped_column(Text)
    reasons: Mapped[str] = mapped_column(Text)
    public_ok: Mapped[bool] = mapped_column(Boolean)
    visit_kind: Mapped[str] = mapped_column(String(8))
    repeat_of: Mapped[str] = mapped_column(Text)  # JSON list of case ids
    accused_org_codes: Mapped[str] = mapped_column(Text, server_default="[]")  # JSON list (条例第三十条)
    skipped_level: Mapped[bool] = mapped_column(Boolean)
    query_code_hash: Mapped[str] = mapped_column(String(120))
    route_kind: Mapped[str] = mapped_column(String(16))
    organisation_code: Mapped[str] = mapped_column(String(32))
    route_due: Mapped[date | None] = mapped_column(Date, nullable=True)
    routed_on: Mapped[date | None] = mapped_column(Date, nullable=True)  # the last 转送/交办 (0023)
    decision_due: Mapped[date | None] = mapped_column(Date, nullable=True)  # 受理 decision's limit (0023)
    accepted_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    handling_due: Mapped[date | None] = mapped_column(Date, nullable=True)
    extended_days: Mapped[int] = mapped_column(Integer)
    answered_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    outcome: Mapped[str] = mapped_column(String(8))
    delivered_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    review_request_due: Mapped[date | None] = mapped_column(Date, nullable=True)
    review_answer_due: Mapped[date | None] = mapped_column(Date, nullable=True)
    rereview_request_due: Mapped[date | None] = mapped_column(Date, nullable=True)
    rereview_answer_due: Mapped[date | None] = mapped_column(Date, nullable=True)
    rating: Mapped[str] = mapped_column(String(8))
    leader: Mapped[str] = mapped_column(String(64))
    leader_unit: Mapped[str] = mapped_column(String(100))
    leader_due: Mapped[date | None] = mapped_column(Date, nullable=True)
    next_due: Mapped[date | None] = mapped_column(Date, nullable=True)
    next_due_rule: Mapped[str] = mapped_column(String(40))
    deadlines_verified: Mapped[bool] = mapped_column(Boolean)
    flags: Mapped[str] = mapped_column(Text)  # JSON list
    anomalies: Mapped[str] = mapped_column(Text)  # JSON list
    needs_supervisor: Mapped[bool] = mapped_column(Boolean)
    event_count: Mapped[int] = mapped_column(Integer)
    last_hlc: Mapped[str] = mapped_column(String(64))

    __table_args__ = (
        Index("ix_cases_state_next_due", "state", "next_due"),
        Index("ix_cases_next_due", "next_due"),
        Index("ix_cases_id_number", "petitioner_id_number"),
        Index("ix_cases_phone", "petitioner_phone"),
        # Few cases need a supervisor; the board counts them from this small index. On PostgreSQL
        # migration 0006 makes it partial as well (WHERE needs_supervisor); naming that here would load
        # SQLAlchemy's PostgreSQL dialect (with asyncio and ssl) on every device, which has SQLite only.
        Index("ix_cases_needs_supervisor", "needs_supervisor", sqlite_where=text("needs_supervisor = 1")),
        Index("ix_cases_region", "region_code"),
        # The one-year statistics stream a year of cases from these, in index order (0007); the
        # first and the last also serve every query by received date or by topic (0009).
        Index("ix_cases_received_stats", "received_on", "channel", "visit_kind", "state", "persons_count",
              "accepted_on", "decision_due", "region_code", "topic_code"),
        Index("ix_cases_answered_stats", "answered_on", "state", "rating", "handling_due", "region_code"),
        Index("ix_cases_topic_stats", "topic_code", "received_on", "region_code", "persons_count"),
    )


class CasePersonRow(Base):
    """Everyone named on a case: petitioner, representatives, agent."""

    __tablename__ = "case_persons"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"),
                                    primary_key=True, autoincrement=True)
    case_id: Mapped[str] = mapped_column(String(36))
    role: Mapped[str] = mapped_column(String(8))
    name: Mapped[str] = mapped_column(String(100))
    document_type: Mapped[str] = mapped_column(String(20))
    id_number: Mapped[str] = mapped_column(String(40))
    phone: Mapped[str] = mapped_column(String(24))

    __table_args__ = (
        Index("ix_case_persons_case", "case_id"),
        Index("ix_case_persons_id_number", "id_number"),
        Index("ix_case_persons_phone", "phone"),
    )


class SearchKeyRow(Base):
    """Short keys (1–2 characters of a name, pinyin) that the trigram index cannot serve.

    Keyed in the order searches read them — key, then the case's received date, then the
    case — so the newest matches come straight from the table. On SQLite the table is
    WITHOUT ROWID: the key is the table itself, with no second copy in an index (0010).
    """

    __tablename__ = "search_keys"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    received_on: Mapped[date] = mapped_column(Date, primary_key=True)
    case_id: Mapped[str] = mapped_column(String(36), primary_key=True)

    __table_args__ = (
        Index("ix_search_keys_case", "case_id"),  # a case's keys are replaced when it is re-registered
        {"sqlite_with_rowid": False},
    )


class CounterRow(Base):
    """Per-device counters (case serials, queue numbers), bumped inside transactions."""

    __tablename__ = "counters"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger)


class HolidayScheduleRow(Base):
    """A year's official holiday schedule imported by an administrator (CSV text)."""

    __tablename__ = "holiday_schedules"

    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    csv_text: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(200))
    imported_at: Mapped[str] = mapped_column(String(32))


class StaffAccountRow(Base):
    """A staff account: its role, scope and Argon2id password hash (synced from the server)."""

    __tablename__ = "staff_accounts"

    login: Mapped[str] = mapped_column(String(64), primary_key=True)
    display_name: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(16))
    hall_code: Mapped[str] = mapped_column(String(32), default="")
    org_code: Mapped[str] = mapped_column(String(32), default="")
    extra_permissions: Mapped[str] = mapped_column(Text, default="")  # JSON list of permission values
    password_hash: Mapped[str] = mapped_column(String(255))
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_count: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[str | None] = mapped_column(String(32), nullable=True)
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    password_changed_at: Mapped[str] = mapped_column(String(32), default="")
    updated_at: Mapped[str] = mapped_column(String(32))


class AuditRow(Base):
    """One entry of the append-only, hash-chained audit log (see desktop.domain.audit)."""

    __tablename__ = "audit_log"

    seq: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True,
                                     autoincrement=False)
    at: Mapped[str] = mapped_column(String(32), index=True)
    device: Mapped[str] = mapped_column(String(64))
    actor_id: Mapped[str] = mapped_column(String(96), index=True)
    actor_name: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(32), index=True)
    target: Mapped[str] = mapped_column(String(200))
    detail: Mapped[str] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64), unique=True)
    entry_hash: Mapped[str] = mapped_column(String(64))


class DeviceAuditRow(Base):
    """Server side: a device's audit entry as the device wrote it (append-only; migration 0018 refuses changes).

    A chain is keyed by (``relayed_by``, ``device_id``), never by what an entry says: a device's own
    push is filed under its token's device with ``relayed_by`` "", an entry a hall server relays
    under the hall's token (``relayed_by``) and the device id the hall server vouches for. The
    chain (``prev_hash`` → ``entry_hash``) is the device's own, verifiable with its audit key.
    """

    __tablename__ = "device_audit"

    relayed_by: Mapped[str] = mapped_column(String(32), primary_key=True, default="", server_default="")
    device_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True,
                                     autoincrement=False)
    at: Mapped[str] = mapped_column(String(32))
    device: Mapped[str] = mapped_column(String(64))
    actor_id: Mapped[str] = mapped_column(String(96))
    actor_name: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(32))
    target: Mapped[str] = mapped_column(String(200))
    detail: Mapped[str] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    entry_hash: Mapped[str] = mapped_column(String(64))
    received_at: Mapped[str] = mapped_column(String(32))


class RelayedDeviceRow(Base):
    """Server side: a device a hall server relays audit entries of, as the hall server describes it.

    Its kind, kiosk number and place as enrolled at the hall server, so the centre names it in
    words; keyed like its chain (the hall's device id at the centre, the device's id at the hall).
    """

    __tablename__ = "relayed_devices"

    relayed_by: Mapped[str] = mapped_column(String(32), primary_key=True)
    device_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    role: Mapped[str] = mapped_column(String(16))
    device_code: Mapped[str] = mapped_column(String(8))
    place: Mapped[str] = mapped_column(String(32))
    updated_at: Mapped[str] = mapped_column(String(32))


class PrintJobRow(Base):
    """One attempt to print a document (desktop/services/printing.py).

    ``copy`` is 0 for the original and N for the N-th reprint (补打). ``pdf`` is kept
    only while the job is ``pending`` (the printer failed), so that it can be
    printed later exactly as rendered; ``data`` is the render input without
    secrets such as the query code. An attempt that was retried is ``failed``
    and points to nothing: the retry names it in ``retry_of``.
    """

    __tablename__ = "print_jobs"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"),
                                    primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(32))
    document_number: Mapped[str] = mapped_column(String(64), index=True)
    case_number: Mapped[str] = mapped_column(String(40), index=True)
    title: Mapped[str] = mapped_column(String(100))
    media: Mapped[str] = mapped_column(String(8))
    page_width_mm: Mapped[float]
    page_height_mm: Mapped[float]
    pages: Mapped[int] = mapped_column(Integer)
    at: Mapped[str] = mapped_column(String(32))  # ISO 8601 local time of the device, to the second
    device: Mapped[str] = mapped_column(String(64))
    actor_id: Mapped[str] = mapped_column(String(96))
    actor_name: Mapped[str] = mapped_column(String(64))
    printer: Mapped[str] = mapped_column(String(200))
    copy: Mapped[int] = mapped_column(Integer)
    copy_label: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16), index=True)  # printed / pending / failed
    error: Mapped[str] = mapped_column(Text)
    retry_of: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    data: Mapped[str] = mapped_column(Text)  # JSON, secret keys removed
    pdf: Mapped[bytes | None]


class SyncDeviceRow(Base):
    """A device enrolled with this server (server side): what it may see, and its token's hash only.

    The token is 32 random bytes shown once at enrolment; a SHA-256 of it is enough to find
    and check it (nothing to guess, so no slow password hash), and the table alone lets no
    one sign in as the device.
    """

    __tablename__ = "sync_devices"

    device_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    role: Mapped[str] = mapped_column(String(16))  # counter / kiosk / display / leader
    org_code: Mapped[str] = mapped_column(String(32))  # the organisation it serves, "" for the hall itself
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    enrolled_at: Mapped[str] = mapped_column(String(32))
    hall_code: Mapped[str] = mapped_column(String(32), default="", server_default="")  # "" for any hall
    #: The kiosk's own number (its events' author is ``kiosk:<code>``); "" for staff devices.
    device_code: Mapped[str] = mapped_column(String(8), default="", server_default="")
    last_seen_at: Mapped[str] = mapped_column(String(32), default="", server_default="")
    revoked_at: Mapped[str] = mapped_column(String(32), default="", server_default="")


class EnrolmentCodeRow(Base):
    """A one-time enrolment code (server side): its hash, what it enrols, until when, and whether it was used."""

    __tablename__ = "enrolment_codes"

    code_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    role: Mapped[str] = mapped_column(String(16))
    hall_code: Mapped[str] = mapped_column(String(32))
    org_code: Mapped[str] = mapped_column(String(32))
    issued_by: Mapped[str] = mapped_column(String(96))
    issued_at: Mapped[str] = mapped_column(String(32))
    expires_at: Mapped[str] = mapped_column(String(32))
    used_at: Mapped[str] = mapped_column(String(32), default="")
    used_by_device: Mapped[str] = mapped_column(String(32), default="")


class ReferenceStateRow(Base):
    """Device side: the version of the server's reference data last applied (accounts, holiday schedules)."""

    __tablename__ = "reference_state"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    version: Mapped[str] = mapped_column(String(64))
    applied_at: Mapped[str] = mapped_column(String(32))


class ReferenceDocumentRow(Base):
    """A reference document shared down the feed (desktop/services/reference_feed.py), as JSON or CSV text.

    On the server ``scope`` is "" (every device) or a hall code (that hall's devices); a device
    keeps what it received under "".
    """

    __tablename__ = "reference_documents"

    kind: Mapped[str] = mapped_column(String(32), primary_key=True)
    scope: Mapped[str] = mapped_column(String(32), primary_key=True)
    content: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[str] = mapped_column(String(32))


class SealedFieldRow(Base):
    """Server side: one personal field of a registration, encrypted (FieldCipher token bound to event and field)."""

    __tablename__ = "sealed_fields"

    event_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    field: Mapped[str] = mapped_column(String(40), primary_key=True)  # "petitioner.id_number", "address" …
    token: Mapped[str] = mapped_column(Text)


class PersonIndexRow(Base):
    """Server side: keyed blind index of ID numbers and phones → cases (exact lookups without the values)."""

    __tablename__ = "person_index"

    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    case_id: Mapped[str] = mapped_column(String(36), primary_key=True)


class CaseSealRow(Base):
    """Server side: an organisation a case has ever been an accusation against (art. 30).

    Written when such a classification arrives and never deleted, whatever later events
    say, so a pull never hands the case to that organisation or anything under it.
    """

    __tablename__ = "case_seals"

    case_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    org_code: Mapped[str] = mapped_column(String(32), primary_key=True)


class SyncStateRow(Base):
    """Device side: the server sequence pulled up to, and the last sync's outcome (one row, ``upstream``).

    The cursor is written in the transaction that applies a pulled page, so it never runs
    ahead of the events stored. Other rows keep other cursors: ``audit-upstream`` (the newest
    audit entry the server holds a copy of) and, on a hall server, ``audit-relay:<device id>``
    (the newest entry of each of its devices the centre holds).
    """

    __tablename__ = "sync_state"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    cursor: Mapped[int] = mapped_column(BigInteger)
    last_success_at: Mapped[str] = mapped_column(String(32))
    last_attempt_at: Mapped[str] = mapped_column(String(32))
    last_error: Mapped[str] = mapped_column(Text)


class DraftRow(Base):
    """A form being filled in and not yet saved (a registration at the counter), kept against a crash.

    Only on this PC (it never syncs), in the encrypted database like everything else;
    removed once the form is saved or discarded. ``data`` is the form's fields as JSON.
    """

    __tablename__ = "drafts"

    draft_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))  # registration, …
    owner: Mapped[str] = mapped_column(String(96), index=True)  # the actor who typed it
    updated_at: Mapped[str] = mapped_column(String(32))
    data: Mapped[str] = mapped_column(Text)


class AttachmentRow(Base):
    """A file handed in with a petition (a letter, a photo, a contract), stored once by its SHA-256.

    Content-addressed: the same file attached twice, to one case or to two, is kept once.
    In the encrypted database like everything else; cases name it in their events.
    """

    __tablename__ = "attachments"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(BigInteger)
    mime: Mapped[str] = mapped_column(String(64))
    added_at: Mapped[str] = mapped_column(String(32))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    #: The device's server holds this file (it went up, or came down from there): no sync asks about it again.
    on_server: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class AttachmentCaseRow(Base):
    """A case that names a file (in a registration's or a supplement's ``attachments``), written with its events.

    The server lets a device send or fetch a file only for a case that device may hold; a kiosk
    erasing its registrations drops the files no other case names.
    """

    __tablename__ = "attachment_cases"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    case_id: Mapped[str] = mapped_column(String(36), primary_key=True, index=True)


class SuggestionThemeRow(Base):
    """A theme the bureau asks the public for suggestions on (人民建议征集), open until ``closes_on``."""

    __tablename__ = "suggestion_themes"

    code: Mapped[str] = mapped_column(String(36), primary_key=True)
    title: Mapped[str] = mapped_column(String(100))
    description: Mapped[str] = mapped_column(Text)
    opens_on: Mapped[date] = mapped_column(Date)
    closes_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    published_by: Mapped[str] = mapped_column(String(96))
    rev: Mapped[int] = mapped_column(BigInteger, index=True, default=0)  # the authority's change number


class SuggestionRow(Base):
    """A citizen's suggestion (人民建议): its own record, not a petition, with its answer, adoption and award."""

    __tablename__ = "suggestions"

    suggestion_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    theme_code: Mapped[str] = mapped_column(String(36))
    theme_title: Mapped[str] = mapped_column(String(100))
    content: Mapped[str] = mapped_column(Text)
    anonymous: Mapped[bool] = mapped_column(Boolean)
    name: Mapped[str] = mapped_column(String(400))  # String(400)/(120): sealed on the central server
    phone: Mapped[str] = mapped_column(String(120))
    submitted_at: Mapped[str] = mapped_column(String(32))
    submitted_by: Mapped[str] = mapped_column(String(96))
    device_id: Mapped[str] = mapped_column(String(32))
    answer: Mapped[str] = mapped_column(Text)
    answered_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    answered_by: Mapped[str] = mapped_column(String(96))
    adoption: Mapped[str] = mapped_column(String(8))
    adopted_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    award: Mapped[str] = mapped_column(String(200))
    awarded_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    rev: Mapped[int] = mapped_column(BigInteger, index=True, default=0)  # the authority's change number
    pending: Mapped[bool] = mapped_column(Boolean, default=False)  # made offline, not yet with the authority

    __table_args__ = (Index("ix_suggestions_theme", "theme_code", "submitted_at"),)
class KioskPrintRow(Base):
    """A receipt a kiosk could not print, for the hall's counters to print instead (desktop/services/kiosk_prints.py).

    What the counter needs and nothing more: which document, for which case, ticket, booking or
    suggestion, which kiosk, when and why it failed, and ``data``: the print log's render data
    (masked names, never the query code). ``done_at`` / ``done_by``: the counter that printed it
    (one clerk takes it at the authority, so no two print it). A kiosk keeps its row only until
    the hall's authority holds it (``pending`` until then).
    """

    __tablename__ = "kiosk_prints"

    print_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    device: Mapped[str] = mapped_column(String(64))  # the kiosk's number (device_code), K01
    kind: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(100))
    document_number: Mapped[str] = mapped_column(String(64))
    case_number: Mapped[str] = mapped_column(String(40))
    failed_at: Mapped[str] = mapped_column(String(32), index=True)  # ISO 8601 local time of the kiosk
    error: Mapped[str] = mapped_column(String(500))  # the printer's own words, for staff
    data: Mapped[str] = mapped_column(Text)
    done_at: Mapped[str] = mapped_column(String(32), default="")
    done_by: Mapped[str] = mapped_column(String(96), default="")
    done_by_name: Mapped[str] = mapped_column(String(64), default="")
    done_device: Mapped[str] = mapped_column(String(64), default="")
    job_id: Mapped[int] = mapped_column(Integer, default=0)  # the kiosk's own print job (meaningless elsewhere)
    rev: Mapped[int] = mapped_column(BigInteger, index=True, default=0)  # the authority's change number
    pending: Mapped[bool] = mapped_column(Boolean, default=False)  # on the kiosk, not yet with the authority


class PeripheralStateRow(Base):
    """A device's peripheral that does not work (desktop/services/peripherals.py): on the device, its own, until
    reported; on the server, what each device last reported, for the administrator's 设备管理."""

    __tablename__ = "peripheral_states"

    device_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    peripheral: Mapped[str] = mapped_column(String(16), primary_key=True)  # reader / printer / camera
    problem: Mapped[str] = mapped_column(String(200))  # in words; "" once it works again (until reported)
    since: Mapped[str] = mapped_column(String(32))  # ISO 8601 local time the problem began
    reported: Mapped[bool] = mapped_column(Boolean, default=False)


class ReceptionDayRow(Base):
    """A leader reception day (领导接访日): generated by the schedule rule or added by hand."""

    __tablename__ = "reception_days"

    day_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    day: Mapped[date] = mapped_column(Date, unique=True)
    origin: Mapped[str] = mapped_column(String(8))  # rule / manual
    leaders: Mapped[str] = mapped_column(Text)  # JSON list of names
    place: Mapped[str] = mapped_column(String(100))
    topics: Mapped[str] = mapped_column(Text)
    units: Mapped[str] = mapped_column(Text)  # JSON list of organisation codes whose heads attend
    slots: Mapped[str] = mapped_column(Text)  # "09:00-10:30/5,…" (desktop.domain.reception.parse_slots)
    created_at: Mapped[str] = mapped_column(String(32))
    created_by: Mapped[str] = mapped_column(String(96))
    rev: Mapped[int] = mapped_column(BigInteger, index=True, default=0)  # the authority's change number
    # removed by hand while nobody was booked (kept, marked, so that mirrors learn of it); "" : the day stands
    removed_at: Mapped[str] = mapped_column(String(32), default="", server_default="")
    removed_by: Mapped[str] = mapped_column(String(96), default="", server_default="")


class AppointmentRow(Base):
    """One visitor booked (or waiting, 候补) for a reception day; ``slot`` is None while waiting."""

    __tablename__ = "reception_appointments"

    appointment_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    day_id: Mapped[str] = mapped_column(String(36), index=True)
    slot: Mapped[int | None] = mapped_column(Integer, nullable=True)
    status: Mapped[str] = mapped_column(String(12))  # 已预约 / 候补 / 已接待 / 已取消
    seq: Mapped[int] = mapped_column(Integer)  # order of booking on the day (the waiting list's order)
    name: Mapped[str] = mapped_column(String(400))  # wide enough for the central server's sealed tokens
    id_number: Mapped[str] = mapped_column(String(120), index=True)
    phone: Mapped[str] = mapped_column(String(120))
    persons_count: Mapped[int] = mapped_column(Integer)
    summary: Mapped[str] = mapped_column(Text)
    case_number: Mapped[str] = mapped_column(String(40))
    #: ``case_number`` named by a clerk (kept), not found by the rule (a matter registered on the day replaces it)
    case_chosen: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    source: Mapped[str] = mapped_column(String(8))  # 自助终端 / 窗口 / 导入
    created_at: Mapped[str] = mapped_column(String(32))
    created_by: Mapped[str] = mapped_column(String(96))
    received_at: Mapped[str] = mapped_column(String(32))
    received_by: Mapped[str] = mapped_column(String(96))
    received_by_name: Mapped[str] = mapped_column(String(64))
    decision: Mapped[str] = mapped_column(Text)
    taken_on: Mapped[bool] = mapped_column(Boolean)
    rev: Mapped[int] = mapped_column(BigInteger, index=True, default=0)  # the authority's change number


class DossierNoteRow(Base):
    """A clerk's note on a visitor's briefing dossier (访前调查准备)."""

    __tablename__ = "dossier_notes"

    note_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    appointment_id: Mapped[str] = mapped_column(String(36), index=True)
    at: Mapped[str] = mapped_column(String(32))
    author: Mapped[str] = mapped_column(String(96))
    author_name: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
    rev: Mapped[int] = mapped_column(BigInteger, index=True, default=0)  # the authority's change number
class QueueWindowTypeRow(Base):
    """A kind of window the hall serves, its ticket prefix and the windows that serve it (administrator's)."""

    __tablename__ = "queue_window_types"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    prefix: Mapped[str] = mapped_column(String(4))
    windows: Mapped[str] = mapped_column(String(128), default="")  # "1,2,3"; empty: every window
    priority_allowed: Mapped[bool] = mapped_column(Boolean, default=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


class QueueTicketRow(Base):
    """One number taken in the hall (on the authority; mirrored on every device).

    ``rev`` is the authority's change sequence (what the push channel resumes from);
    ``pending`` marks a ticket a device changed while it could not reach the authority.
    """

    __tablename__ = "queue_tickets"
    __table_args__ = (Index("uq_queue_tickets_day_number", "day", "number", unique=True),
                      # the waiting of a type; the service of a type by day (a ticket's estimated wait)
                      Index("ix_queue_tickets_state_type_day", "state", "type_code", "day"))

    ticket_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    day: Mapped[str] = mapped_column(String(10))
    prefix: Mapped[str] = mapped_column(String(8))
    seq: Mapped[int] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(String(16))
    type_code: Mapped[str] = mapped_column(String(32))
    state: Mapped[str] = mapped_column(String(16))
    source: Mapped[str] = mapped_column(String(16))
    priority: Mapped[bool] = mapped_column(Boolean, default=False)
    order_key: Mapped[int] = mapped_column(BigInteger)
    rev: Mapped[int] = mapped_column(BigInteger, index=True)
    issued_at: Mapped[str] = mapped_column(String(32))
    called_at: Mapped[str | None] = mapped_column(String(32), nullable=True)
    started_at: Mapped[str | None] = mapped_column(String(32), nullable=True)
    finished_at: Mapped[str | None] = mapped_column(String(32), nullable=True)
    window: Mapped[int | None] = mapped_column(Integer, nullable=True)
    skipped: Mapped[int] = mapped_column(Integer, default=0)
    case_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    person_name: Mapped[str | None] = mapped_column(Text, nullable=True)  # sealed on the central server
    person_id: Mapped[str | None] = mapped_column(Text, nullable=True)
    transferred_from: Mapped[str | None] = mapped_column(String(36), nullable=True)
    origin: Mapped[str] = mapped_column(String(64), default="")  # the device that issued it offline, else ""
    pending: Mapped[bool] = mapped_column(Boolean, default=False)


class QueueCallRow(Base):
    """Every call and recall of a number to a window (the display announces each once)."""

    __tablename__ = "queue_calls"

    call_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    ticket_id: Mapped[str] = mapped_column(String(36), index=True)
    number: Mapped[str] = mapped_column(String(16))
    window: Mapped[int] = mapped_column(Integer)
    called_at: Mapped[str] = mapped_column(String(32))
    rev: Mapped[int] = mapped_column(BigInteger, index=True)
    pending: Mapped[bool] = mapped_column(Boolean, default=False)


class QueueStateRow(Base):
    """Counters of the queue: ``rev`` (the authority's change sequence, its lock) and ``cursor`` (a mirror's)."""

    __tablename__ = "queue_state"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger, default=0)
