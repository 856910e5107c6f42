"""The hall queue on the server: the authority's routes and its push channel (server-sent events).

* ``GET /queue/events?since=N`` (or the ``Last-Event-ID`` header): a stream of ``queue``
  events, each the changes after the previous one's id (``QueueFeed`` as JSON); the first
  is everything after ``since`` (with ``since=0``: today's whole queue). A comment line
  every few seconds keeps idle connections alive and lets the client notice a dead server.
* ``GET /queue/snapshot?since=N``: the same changes once, for a client that polls.
* ``POST /queue/issue`` (kiosks and staff), ``/queue/call-next``, ``/queue/act``,
  ``/queue/merge`` (staff devices): commands, each answered with its result and the
  changes after the ``since`` the client sent, so its mirror is current at once.
* ``GET/POST /admin/queue/window-types``, ``POST /admin/queue/window-types/{code}/move``: the
  administrator's window types (an admin desk with the administrator's own password); the
  change reaches every device with the queue's next event.

Displays and kiosks see numbers and windows only: the person who took a ticket with an ID
card goes to staff devices alone. On PostgreSQL (the central server) the person's fields
are stored encrypted (``server/personal.py``'s keys) and decrypted for staff devices.
"""

# No ``from __future__ import annotations``: FastAPI reads the routes' annotations, which name
# this function's dependency.
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Path, Query, Request
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field, TypeAdapter

from desktop.domain.access import Actor
from desktop.domain.errors import RuleViolation
from desktop.domain.queue import (
    IssuedTicket,
    QueueAction,
    Ticket,
    TicketSource,
    TicketState,
    WindowType,
    ticket_person,
)
from desktop.services import queue
from desktop.services.context import Hall
from server.personal import QUEUE_RECORD, FieldKeys
from server.protocol import SyncProblem, WindowTypeBody, WindowTypeEntry, WindowTypeList
from server.push import Notifier, event_stream
from server.store import Device

STAFF_ROLES = frozenset({"counter", "leader", "admin"})
#: The devices that receive the person linked to a ticket (those that serve visitors; not the administration desk).
PERSONAL_ROLES = frozenset({"counter", "leader"})
ISSUING_ROLES = STAFF_ROLES | {"kiosk"}

FEED = TypeAdapter(queue.QueueFeed)
ISSUED = TypeAdapter(IssuedTicket)
TICKET = TypeAdapter(Ticket | None)


CODE = r"^[A-Za-z0-9_-]+$"  # type codes, ticket ids, case numbers: never control characters


class IssueRequest(BaseModel):
    type_code: str = Field(min_length=1, max_length=32, pattern=CODE)
    source: TicketSource
    priority: bool = False
    # The person is checked by the route as every device checks it (desktop.domain.queue.ticket_person), which
    # names what is wrong in the clerk's and the citizen's words; the schema only bounds the request's size.
    id_number: str | None = Field(default=None, max_length=64)
    name: str | None = Field(default=None, max_length=1000)
    since: int | None = Field(default=None, ge=0)  # the caller's mirror cursor: the answer carries what changed


class CallNextRequest(BaseModel):
    window: int = Field(ge=1, le=99)
    since: int | None = Field(default=None, ge=0)  # the caller's mirror cursor: the answer carries what changed


class ActRequest(BaseModel):
    ticket_id: str = Field(min_length=1, max_length=36, pattern=CODE)
    action: QueueAction
    window: int = Field(ge=1, le=99)
    type_code: str | None = Field(default=None, max_length=32, pattern=CODE)
    case_id: str | None = Field(default=None, max_length=64, pattern=CODE)
    since: int | None = Field(default=None, ge=0)  # the caller's mirror cursor: the answer carries what changed


class MergeRequest(BaseModel):
    tickets: list[queue.TicketRecord] = Field(default_factory=list, max_length=5000)
    calls: list[queue.CallRecord] = Field(default_factory=list, max_length=20000)


def window_type_entry(t: WindowType, waiting: int = 0) -> WindowTypeEntry:
    return WindowTypeEntry(code=t.code, name=t.name, prefix=t.prefix, windows=list(t.windows),
                           priority_allowed=t.priority_allowed, active=t.active, waiting=waiting)


def add_window_type_routes(app: FastAPI, hall: Hall, current_admin: Callable[..., Actor]) -> None:
    """The administrator's window types on the queue's authority (an admin device, the admin's own password)."""
    Admin = Annotated[Actor, Depends(current_admin)]

    def listing(admin: Actor) -> WindowTypeList:
        return WindowTypeList(types=[window_type_entry(r.window_type, r.waiting)
                                     for r in queue.window_type_rows(hall, admin)])

    @app.get("/admin/queue/window-types")
    def window_types(admin: Admin) -> WindowTypeList:
        """Every window type in the hall's order, stopped ones too, with today's waiting count."""
        return listing(admin)

    @app.post("/admin/queue/window-types")
    def save_window_type(body: WindowTypeBody, admin: Admin) -> WindowTypeEntry:
        """Add (no code) or change a window type; every device gets it with the queue's next change."""
        try:
            saved = queue.save_window_type(hall, admin, WindowType(body.code, body.name, body.prefix,
                                                                   tuple(body.windows), body.priority_allowed,
                                                                   body.active))
        except RuleViolation as refusal:
            raise _refuse(refusal) from None
        return window_type_entry(saved)

    @app.post("/admin/queue/window-types/{code}/move")
    def move_window_type(code: Annotated[str, Path(min_length=1, max_length=32, pattern=CODE)], admin: Admin,
                         step: Annotated[int, Query(ge=-99, le=99)] = 1) -> WindowTypeList:
        """Move a type up (negative ``step``) or down in the hall's order."""
        try:
            queue.move_window_type(hall, admin, code, step, here=True)
        except RuleViolation as refusal:
            raise _refuse(refusal) from None
        return listing(admin)


def _refuse(refusal: RuleViolation) -> SyncProblem:
    return SyncProblem("refused", refusal.message)


def add_queue_routes(app: FastAPI, hall: Hall, current_device: Callable[..., Device],
                     keys: FieldKeys | None = None) -> Notifier:
    """The queue's routes on ``app``; returns the notifier (closed when the server stops)."""
    notifier = Notifier(hall, lambda changes: changes.queue)
    Who = Annotated[Device, Depends(current_device)]

    def seal(value: str | None, field: str, _ticket_id: str = "") -> str | None:
        if value is None or keys is None:
            return value
        # Bound to the field, not to the ticket: a transfer carries the person on to a new ticket.
        return keys.cipher.encrypt(value, field=f"queue.{field}", record_id=QUEUE_RECORD)

    def open_id(stored: str) -> str | None:
        """A stored ID number as read (None where it cannot be opened: then it is nobody's)."""
        if keys is None:
            return stored
        try:
            return keys.cipher.decrypt(stored, field="queue.id_number", record_id=QUEUE_RECORD)
        except Exception:  # sealed under another key (a key rotated away): not the person asking
            return None

    def unseal(record: queue.TicketRecord) -> queue.TicketRecord:
        if keys is None:
            return record
        def opened(value: str | None, field: str) -> str | None:
            return None if value is None else keys.cipher.decrypt(value, field=f"queue.{field}",
                                                                    record_id=QUEUE_RECORD)

        return replace(record, person_name=opened(record.person_name, "name"),
                       person_id=opened(record.person_id, "id_number"))

    def feed_for(device: Device, since: int) -> queue.QueueFeed:
        personal = device.role in PERSONAL_ROLES
        feed = queue.feed_since(hall, since, personal=personal)
        if personal and keys is not None:
            feed = replace(feed, tickets=tuple(unseal(t) for t in feed.tickets))
        return feed

    def staff(device: Device) -> None:
        if device.role not in STAFF_ROLES:
            raise SyncProblem("refused", "只有窗口、领导接访或管理设备可以叫号和处理号票")

    def answer(result: Any, adapter: TypeAdapter[Any], device: Device, since: int | None) -> dict[str, Any]:
        feed = FEED.dump_python(feed_for(device, since), mode="json") if since is not None else None
        return {"result": adapter.dump_python(result, mode="json"), "feed": feed}

    @app.get("/queue/snapshot")
    def snapshot(who: Who, since: Annotated[int, Query(ge=0, le=2**63 - 1)] = 0) -> dict[str, Any]:
        """The queue's changes after ``since`` (0: today's whole queue and the window types)."""
        return FEED.dump_python(feed_for(who, since), mode="json")  # type: ignore[no-any-return]

    # Not in the OpenAPI description: a stream of server-sent events, not a JSON answer.
    @app.get("/queue/events", include_in_schema=False)
    async def events(request: Request, who: Who,
                     since: Annotated[int, Query(ge=0, le=2**63 - 1)] = 0) -> StreamingResponse:
        """Server-sent events: every change of the queue, resumable from the last event id."""
        return event_stream(request, notifier, since, "queue", lambda cursor: feed_for(who, cursor),
                            lambda feed: bool(feed.tickets or feed.calls), FEED.dump_json)

    @app.post("/queue/issue")
    def issue(body: IssueRequest, who: Who) -> dict[str, Any]:
        """Take a number (kiosks and staff devices); a kiosk's ID card links the person (kept for staff).

        The person is checked as the device checks it: a valid resident ID number and a person's name with it
        (no emoji, digits or symbols; 30 汉字 or 50 letters at most), refused (400) in the same words."""
        if who.role not in ISSUING_ROLES:
            raise SyncProblem("refused", "此设备不能发号")
        ticket_id = hall.new_id()
        try:
            # the device checked the person already; its code may be old or altered: the authority checks again
            id_number, name = ticket_person(body.id_number, body.name, hall.today())
            issued = queue.issue_local(hall, type_code=body.type_code, source=body.source, priority=body.priority,
                                       id_number=seal(id_number, "id_number", ticket_id),
                                       name=seal(name, "name", ticket_id), ticket_id=ticket_id,
                                       holder=id_number, read_person=open_id)
        except RuleViolation as refusal:
            raise _refuse(refusal) from None
        return answer(issued, ISSUED, who, body.since)

    @app.post("/queue/call-next")
    def call_next(body: CallNextRequest, who: Who) -> dict[str, Any]:
        """叫号: the next number for the window (``result`` null when nobody waits)."""
        staff(who)
        try:
            ticket = queue.call_next_local(hall, window=body.window)
        except RuleViolation as refusal:
            raise _refuse(refusal) from None
        return answer(ticket, TICKET, who, body.since)

    @app.post("/queue/act")
    def act(body: ActRequest, who: Who) -> dict[str, Any]:
        """重呼、过号、转窗口、开始办理、办结 (or call a chosen ticket)."""
        staff(who)
        try:
            ticket = queue.act_local(hall, body.ticket_id, body.action, window=body.window, type_code=body.type_code,
                                     case_id=body.case_id)
        except RuleViolation as refusal:
            raise _refuse(refusal) from None
        return answer(ticket, TICKET, who, body.since)

    @app.post("/queue/merge")
    def merge(body: MergeRequest, who: Who) -> dict[str, int]:
        """What a counter did while it could not reach the server (idempotent by ids)."""
        staff(who)
        for record in body.tickets:
            _check_ticket(record)
        for call in body.calls:
            _check_call(call)
        try:
            rev = queue.merge_offline(hall, body.tickets, body.calls, seal=seal)
        except RuleViolation as refusal:
            raise _refuse(refusal) from None
        return {"rev": rev}

    return notifier


def _bad(what: str) -> SyncProblem:
    return SyncProblem("refused", f"合并的号票记录无效：{what}")


def _check_time(value: str | None, what: str) -> None:
    if value is None:
        return
    try:
        datetime.fromisoformat(value)
    except ValueError:
        raise _bad(f"{what}不是日期时间") from None
    if len(value) > 32:
        raise _bad(f"{what}过长")


def _check_ticket(t: queue.TicketRecord) -> None:
    """A record a counter made offline, checked before anything of it is stored."""
    try:
        date.fromisoformat(t.day)
        TicketState(t.state)
        TicketSource(t.source)
    except ValueError:
        raise _bad(f"{t.number[:16]} 的日期、状态或来源") from None
    for value, limit, what in ((t.ticket_id, 36, "编号"), (t.prefix, 8, "前缀"), (t.number, 16, "号码"),
                               (t.type_code, 32, "窗口类型"), (t.case_id or "", 64, "案件"),
                               (t.transferred_from or "", 36, "转出号票"), (t.origin, 64, "来源设备"),
                               (t.person_name or "", 64, "姓名"), (t.person_id or "", 18, "证件号码")):
        if len(value) > limit:
            raise _bad(f"{what}过长")
    if not t.ticket_id or not t.number:
        raise _bad("缺少编号或号码")
    if not all(v.isprintable() for v in (t.ticket_id, t.day, t.prefix, t.number, t.type_code, t.state, t.source,
                                         t.case_id or "", t.transferred_from or "", t.origin, t.person_name or "",
                                         t.person_id or "")):
        raise _bad("含有控制字符")
    if not (0 <= t.seq < 100_000 and 0 <= t.skipped <= 2 and -2**62 < t.order_key < 2**62
            and (t.window is None or 1 <= t.window <= 99)):
        raise _bad(f"{t.number} 的序号、窗口或过号次数")
    for moment, what in ((t.issued_at, "取号时间"), (t.called_at, "叫号时间"), (t.started_at, "开始时间"),
                         (t.finished_at, "办结时间")):
        _check_time(moment, what)


def _check_call(c: queue.CallRecord) -> None:
    if not c.call_id or len(c.call_id) > 36 or len(c.ticket_id) > 36 or not c.number or len(c.number) > 16 \
            or not all(v.isprintable() for v in (c.call_id, c.ticket_id, c.number)):
        raise _bad("叫号记录的编号或号码")
    if not 1 <= c.window <= 99:
        raise _bad("叫号记录的窗口")
    _check_time(c.called_at, "叫号时间")
