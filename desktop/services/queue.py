"""The hall queue: issue, call, recall, skip, transfer, start and finish — and what the display shows.

One authority per hall decides every number. On a single PC (the demo, a hall with no hall
server, the tests) and on the hall server itself that is this module over the local
database. A device that has a hall server gets a :class:`QueueRemote` attached
(:func:`attach_remote`, by the composition root): every command then goes to the
authority, whose state is mirrored into the local tables (:func:`apply_feed`), so the
screens always read here and refresh on ``Topic.QUEUE``.

Every action is one transaction that first bumps the queue's change counter (the
``queue_state`` row ``rev``): on PostgreSQL that row lock, on SQLite the write lock,
serialise the queue's writers, so two counters pressing 叫号 at once get two different
numbers. Each ticket update is also conditional on the state it was read in.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any, Final, Protocol

from sqlalchemy import CursorResult, func, select, update
from sqlalchemy.orm import Session

from db.models import QueueCallRow, QueueStateRow, QueueTicketRow, QueueWindowTypeRow, ReceptionDayRow
from desktop.domain.access import Permission
from desktop.domain.audit import AuditAction
from desktop.domain.errors import RuleViolation, ValidationError
from desktop.domain.hours import (
    ComingDay,
    OpeningHours,
    closed_message,
    coming_hours,
    day_words,
    is_open,
    late_ticket_note,
    parse_hours,
)
from desktop.domain.identity import invisible_char
from desktop.domain.queue import (
    ESTIMATE_HISTORY_DAYS,
    LEADER_TYPE,
    OFFLINE_PREFIX,
    Call,
    IssuedTicket,
    QueueAction,
    QueueBoard,
    QueuedTicket,
    QueueStatistics,
    Served,
    Ticket,
    TicketSource,
    TicketState,
    TicketTimes,
    WaitingCount,
    WindowType,
    calling_order,
    estimated_wait_minutes,
    missed_note,
    next_state,
    priority_reason,
    priority_words,
    queue_statistics,
    service_for_estimate,
    ticket_number,
    ticket_person,
    type_serves,
    windows_in_words,
)
from desktop.domain.reception import day_over, parse_slots
from desktop.services import reception
from desktop.services.audit import audit, guard
from desktop.services.context import Actor, Hall

OPEN_STATES = (TicketState.CALLED.value, TicketState.SERVING.value)

#: Attribute of the hall holding its remote authority (set by :func:`attach_remote`).
_REMOTE = "queue_remote"


class QueueRemote(Protocol):
    """The hall server as a device reaches it (``desktop/sync/queue_client.py``)."""

    @property
    def connected(self) -> bool: ...

    def issue(self, *, type_code: str, source: TicketSource, priority: bool, id_number: str | None,
              name: str | None) -> IssuedTicket: ...

    def call_next(self, *, window: int) -> Ticket | None: ...

    def act(self, ticket_id: str, action: QueueAction, *, window: int, type_code: str | None,
            case_id: str | None) -> Ticket: ...


def attach_remote(hall: Hall, remote: QueueRemote | None) -> None:
    """Send this hall's queue commands to ``remote`` (None: the local database is the authority)."""
    hall.__dict__[_REMOTE] = remote


def remote_of(hall: Hall) -> QueueRemote | None:
    found: QueueRemote | None = hall.__dict__.get(_REMOTE)
    return found


# -- values ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WindowView:
    """What the counter's queue controls show: this window's ticket, the person (staff only), who waits."""

    window: int
    current: Ticket | None
    person_name: str | None
    person_id: str | None
    waiting: tuple[WaitingCount, ...]
    connected: bool = True  # False: the hall server cannot be reached; numbers are issued here
    pending: int = 0        # tickets and calls made here offline, not yet merged back
    priority: str = ""      # the current ticket went first: 优先, 优先（70岁以上老人）; "" when it did not
    #: The current ticket carries on another (转窗口): 由 A002 转来，09:15 取号 — the number the visitor held and
    #: when the first of them was taken; "" when it was taken as it is.
    transferred: str = ""


def _time(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _stamp(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def _type(row: QueueWindowTypeRow) -> WindowType:
    windows = tuple(int(w) for w in row.windows.split(",") if w.strip())
    return WindowType(row.code, row.name, row.prefix, windows, bool(row.priority_allowed), bool(row.active))


def to_ticket(row: QueueTicketRow) -> Ticket:
    issued = _time(row.issued_at)
    assert issued is not None
    return Ticket(row.ticket_id, row.number, row.type_code, TicketState(row.state), issued, TicketSource(row.source),
                  bool(row.priority), row.window, _time(row.called_at), _time(row.started_at),
                  _time(row.finished_at), row.skipped, row.case_id, row.person_id is not None)


# -- window types --------------------------------------------------------------------------------


def _types(session: Session, *, active_only: bool = True) -> list[WindowType]:
    query = select(QueueWindowTypeRow).order_by(QueueWindowTypeRow.position, QueueWindowTypeRow.code)
    found = [_type(r) for r in session.scalars(query)]
    return [t for t in found if t.active or not active_only]


def window_types(hall: Hall) -> list[WindowType]:
    """The window types people can take a number for, in the hall's order."""
    with hall.sessions() as session:
        return _types(session)


def offered_types(hall: Hall) -> list[WindowType]:
    """The types a kiosk or a counter offers now: 领导接访 only on a reception day the schedule holds, until its
    last slot has ended."""
    with hall.sessions() as session:
        types = _types(session)
        if _reception_now(session, hall) == "":
            return types
        return [t for t in types if t.code != LEADER_TYPE]


def _reception_now(session: Session, hall: Hall) -> str | None:
    """"" while today's reception day receives; "over" once its last slot has ended; None: no reception day today."""
    slots = session.scalar(select(ReceptionDayRow.slots).where(ReceptionDayRow.day == hall.today(),
                                                               reception.STANDING))
    if slots is None:
        return None
    return "over" if day_over(parse_slots(slots), f"{hall.now():%H:%M}") else ""


def _no_reception_day(session: Session, hall: Hall, name: str, over: bool) -> str:
    """Why no “领导接访” number now, with the next reception day scheduled."""
    upcoming = _next_reception_day(session, hall)
    then = (f"下一个领导接访日是{day_words(upcoming, hall.today())}，可在自助终端“预约领导接访”或到窗口预约"
            if upcoming is not None else "近期还没有安排领导接访日，请到窗口咨询")
    why = "今天的领导接访已经结束" if over else "今天不是领导接访日"
    return f"{why}，不发“{name}”号。{then}"


def _next_reception_day(session: Session, hall: Hall) -> date | None:
    return session.scalar(select(func.min(ReceptionDayRow.day)).where(ReceptionDayRow.day > hall.today(),
                                                                      reception.STANDING))


@dataclass(frozen=True)
class TicketNotes:
    """What the kiosk's 取号 screen says beside its buttons."""

    #: Where the 领导接访 button would be while it is not offered: why, and the next reception day to book
    #: ("" while it is offered, or where the hall has no 领导接访 business).
    leader: str
    #: The hall's hours of the coming days, each day's periods or none (休息) (shown while the hall is closed).
    hours: tuple[ComingDay, ...]
    #: While the hall is closed, that it is and when it opens next, said above ``hours`` (the hours are
    #: left to that table; "" while the hall is open).
    closed: str = ""


def ticket_notes(hall: Hall) -> TicketNotes:
    """The notes of the kiosk's 取号 screen (its schedule as this device holds it: a hall server's is mirrored)."""
    schedule, calendar, moment = opening_hours(hall), hall.policy.calendar, hall.now()
    hours = coming_hours(schedule, calendar, moment)
    closed = "" if is_open(schedule, calendar, moment) else closed_message(schedule, calendar, moment,
                                                                            with_hours=not hours)
    with hall.sessions() as session:
        offered = any(t.code == LEADER_TYPE for t in _types(session))
        now = _reception_now(session, hall) if offered else ""
        if now == "":
            return TicketNotes("", hours, closed)
        upcoming = _next_reception_day(session, hall)
    why = "今天的领导接访已经结束" if now == "over" else "今天不是领导接访日"
    if upcoming is None:
        return TicketNotes(f"{why}\n近期还没有安排领导接访日，请到接待窗口咨询", hours, closed)
    return TicketNotes(f"{why}\n下一次领导接访日：{day_words(upcoming, hall.today())}\n"
                       "可在首页点“预约领导接访”预约", hours, closed)


def all_window_types(hall: Hall) -> list[WindowType]:
    """Every window type, switched off ones too (the administrator's list)."""
    with hall.sessions() as session:
        return _types(session, active_only=False)


def managed_elsewhere(hall: Hall) -> str | None:
    """Why window types are not edited on this device (its queue lives on a hall server), else None."""
    if remote_of(hall) is not None or hall.settings.server_url.strip():
        return "本机的排队叫号由大厅服务器管理，窗口类型保存在服务器上"
    return None


def _refuse_elsewhere(hall: Hall) -> None:
    where = managed_elsewhere(hall)
    if where is not None:
        raise RuleViolation("queue_types_remote", f"{where}：请在大厅服务器上修改（系统管理的“排队窗口类型”输入本人密码"
                                                  "读取服务器上的类型，或在服务器上运行 python -m server window-type）")


@dataclass(frozen=True)
class WindowTypeRow:
    """A window type as the administrator's list shows it, with who waits for it today."""

    window_type: WindowType
    waiting: int


def window_type_rows(hall: Hall, actor: Actor) -> list[WindowTypeRow]:
    """Every window type in the hall's order, stopped ones too, with today's waiting count (administrators)."""
    guard(hall, actor, Permission.MANAGE_SETTINGS, "查看排队窗口类型")
    with hall.sessions() as session:
        types = _types(session, active_only=False)
        counts = _waiting_counts(session, _today(hall), types)
        return [WindowTypeRow(t, c.waiting) for t, c in zip(types, counts, strict=True)]


def edit_window_type(hall: Hall, actor: Actor, window_type: WindowType) -> WindowType:
    """The administrator's screen: add (blank code) or change a type, where this device holds the queue."""
    _refuse_elsewhere(hall)
    return save_window_type(hall, actor, window_type)


def save_window_type(hall: Hall, actor: Actor, window_type: WindowType) -> WindowType:
    """Add or change a window type (administrators): its name, prefix, windows, priority and whether it is in use.

    A blank code adds a new type under a code made from its prefix (``type-d``).
    """
    guard(hall, actor, Permission.MANAGE_SETTINGS, "修改排队窗口类型")
    code = window_type.code.strip()
    name = window_type.name.strip()
    prefix = window_type.prefix.strip().upper()
    if len(code) > 32 or not code.isascii() or (code and not code.replace("-", "").replace("_", "").isalnum()):
        raise ValidationError("queue_type_code", "窗口类型编码须为 1–32 位英文字母或数字", "code")
    if not name or len(name) > 32:
        raise ValidationError("queue_type_name", "请填写窗口类型名称（不超过32字）", "name")
    if invisible_char(name) is not None or any(unicodedata.category(c) == "So" for c in name):
        # printed on the tickets, shown and spoken by the hall display: a line break or an invisible character
        # broke them (and let a name look like another's), the printers' fonts have no emoji
        raise ValidationError("queue_type_name_chars",
                              "窗口类型名称只能用文字、字母、数字和标点（不能有换行、表情符号或看不见的字符）", "name")
    if not (1 <= len(prefix) <= 2 and prefix.isascii() and prefix.isalpha()):
        raise ValidationError("queue_type_prefix", "号码前缀须为 1–2 个英文字母，如 A", "prefix")
    if prefix == OFFLINE_PREFIX:
        raise ValidationError("queue_type_prefix_reserved",
                              f"号码前缀 {OFFLINE_PREFIX} 留给断网时窗口自行发号（如 W3001），请换一个", "prefix")
    if any(w < 1 or w > 99 for w in window_type.windows):
        raise ValidationError("queue_type_windows", "窗口号须在 1–99 之间", "windows")
    with hall.transaction() as session:
        _lock(session)
        if not code:
            taken = set(session.scalars(select(QueueWindowTypeRow.code)))
            code = next(c for n in range(1, 1000) if (c := f"type-{prefix.lower()}" + (f"{n}" if n > 1 else ""))
                        not in taken)
        clash = session.scalar(select(QueueWindowTypeRow.name).where(QueueWindowTypeRow.prefix == prefix,
                                                                     QueueWindowTypeRow.code != code))
        if clash is not None:
            raise ValidationError("queue_type_prefix_taken", f"前缀 {prefix} 已用于“{clash}”，请换一个", "prefix")
        if session.scalar(select(QueueWindowTypeRow.code).where(QueueWindowTypeRow.name == name,
                                                                QueueWindowTypeRow.code != code)) is not None:
            raise ValidationError("queue_type_name_taken", f"已有名为“{name}”的窗口类型，请换一个名称", "name")
        row = session.get(QueueWindowTypeRow, code)
        before = _type(row) if row is not None else None
        if row is None:
            position = session.scalar(select(func.max(QueueWindowTypeRow.position))) or 0
            row = QueueWindowTypeRow(code=code, position=position + 1)
            session.add(row)
        row.name, row.prefix = name, prefix
        row.windows = ",".join(str(w) for w in sorted(set(window_type.windows)))
        row.priority_allowed, row.active = window_type.priority_allowed, window_type.active
        _types_changed(session)
        session.flush()
        after = _type(row)
        audit(session, hall, actor, AuditAction.SETTING_CHANGED, WINDOW_TYPES_TARGET,
              {"message": _type_change_in_words(before, after)})
        return after


#: The audit entry's object for every change of the window types: a reader sees these words.
WINDOW_TYPES_TARGET: Final = "排队窗口类型"

_TYPE_WORDS: Final = (("name", "名称"), ("prefix", "号码前缀"), ("windows", "服务窗口"),
                      ("priority_allowed", "优先叫号"), ("active", "状态"))


def _type_field_words(t: WindowType, field: str) -> str:
    if field == "windows":
        return windows_in_words(t.windows)
    if field == "priority_allowed":
        return "老年人、残疾人、紧急事项优先" if t.priority_allowed else "不优先"
    if field == "active":
        return "启用" if t.active else "停用"
    return str(getattr(t, field))


def _type_change_in_words(before: WindowType | None, after: WindowType) -> str:
    """新增窗口类型 综合接待（…） / 停用窗口类型 综合接待 / 修改窗口类型 综合接待：名称由“…”改为“…”."""
    if before is None:
        return (f"新增窗口类型 {after.name}（号码前缀 {after.prefix}，{windows_in_words(after.windows)}，"
                f"{_type_field_words(after, 'priority_allowed')}，{_type_field_words(after, 'active')}）")
    words = _type_field_words
    changes = [f"{label}由“{words(before, f)}”改为“{words(after, f)}”"
               for f, label in _TYPE_WORDS if f != "active" and words(before, f) != words(after, f)]
    if before.active != after.active:
        verb = "停用" if not after.active else "恢复启用"
        return f"{verb}窗口类型 {after.name}" + (f"；{'；'.join(changes)}" if changes else "")
    return f"修改窗口类型 {before.name}：{'；'.join(changes) or '未作改动'}"


def move_window_type(hall: Hall, actor: Actor, code: str, step: int, *, here: bool = False) -> list[WindowType]:
    """Move a type up (``step`` < 0) or down in the hall's order (kiosk buttons, lists); returns the new order.

    ``here``: this database is the authority whatever the settings say (the hall server's route).
    """
    guard(hall, actor, Permission.MANAGE_SETTINGS, "调整排队窗口类型顺序")
    if not here:
        _refuse_elsewhere(hall)
    with hall.transaction() as session:
        _lock(session)
        rows = list(session.scalars(select(QueueWindowTypeRow).order_by(QueueWindowTypeRow.position,
                                                                        QueueWindowTypeRow.code)))
        index = next((i for i, r in enumerate(rows) if r.code == code), None)
        if index is None:
            raise RuleViolation("queue_type_unknown", "没有这个窗口类型，请刷新后再试")
        target = max(0, min(len(rows) - 1, index + step))
        moved = rows[index]
        rows.insert(target, rows.pop(index))
        for position, row in enumerate(rows, start=1):
            row.position = position
        _types_changed(session)
        session.flush()
        if target != index:
            order = "、".join(r.name for r in rows)
            audit(session, hall, actor, AuditAction.SETTING_CHANGED, WINDOW_TYPES_TARGET,
                  {"message": f"调整窗口类型顺序：{moved.name}{'上移' if target < index else '下移'}"
                              f"{abs(target - index)}位，现为 {order}"})
        return [_type(r) for r in rows]


def _types_changed(session: Session) -> None:
    """Devices mirroring the queue take the types again with their next change."""
    rev = current_rev(session)
    session.execute(update(QueueStateRow).where(QueueStateRow.name == "types").values(value=rev))


# -- the authority's rules, over the local database ------------------------------------------------


def _lock(session: Session) -> int:
    """The next change number; taking it serialises the queue's writers until the transaction ends."""
    session.execute(update(QueueStateRow).where(QueueStateRow.name == "rev").values(value=QueueStateRow.value + 1))
    return int(session.scalar(select(QueueStateRow.value).where(QueueStateRow.name == "rev")) or 0)


def _today(hall: Hall) -> str:
    return hall.today().isoformat()


def _type_named(session: Session, code: str) -> WindowType:
    row = session.get(QueueWindowTypeRow, code)
    if row is None:
        raise ValidationError("queue_type_unknown", "没有这项业务，请重新选择", "type_code")
    if not row.active:  # stopped while the kiosk's buttons (or a counter's list) still showed it
        raise ValidationError("queue_type_stopped", f"“{row.name}”现在暂停取号，请选择其他业务，或到咨询台询问",
                              "type_code")
    return _type(row)


def offline_prefix(window: int) -> str:
    """The prefix a counter issues under while it cannot reach the hall server (window 3 → ``W3``)."""
    return f"W{window}"


def _new_ticket(session: Session, hall: Hall, rev: int, window_type: WindowType, *, source: TicketSource,
                priority: bool, prefix: str, origin: str = "", order_key: int | None = None,
                person_id: str | None = None, person_name: str | None = None,
                transferred_from: str | None = None, ticket_id: str | None = None) -> QueueTicketRow:
    day = _today(hall)
    last = session.scalar(select(func.max(QueueTicketRow.seq)).where(QueueTicketRow.day == day,
                                                                      QueueTicketRow.prefix == prefix)) or 0
    row = QueueTicketRow(ticket_id=ticket_id or hall.new_id(), day=day, prefix=prefix, seq=last + 1,
                         number=ticket_number(prefix, last + 1), type_code=window_type.code,
                         state=TicketState.WAITING.value, source=source.value, priority=priority,
                         order_key=rev if order_key is None else order_key, rev=rev,
                         issued_at=_stamp(hall.now()), skipped=0, person_id=person_id, person_name=person_name,
                         transferred_from=transferred_from, origin=origin, pending=bool(origin))
    session.add(row)
    session.flush()
    return row


def _waiting(session: Session, day: str, type_codes: list[str], origin: str | None = None) -> list[QueueTicketRow]:
    query = select(QueueTicketRow).where(QueueTicketRow.day == day, QueueTicketRow.state == TicketState.WAITING.value,
                                         QueueTicketRow.type_code.in_(type_codes))
    if origin is not None:  # offline: only what this device issued and the authority has not seen yet
        query = query.where(QueueTicketRow.origin == origin, QueueTicketRow.pending.is_(True))
    return list(session.scalars(query))


#: Whether a stored ``person_id`` is the person asking (the server stores it sealed).
SamePerson = Callable[[str | None], bool]


def _nobody(_value: str | None) -> bool:
    return False


def _ahead(session: Session, day: str, row: QueueTicketRow, types: dict[str, WindowType],
           same: SamePerson = _nobody) -> int:
    """The people before ``row`` in its type's calling order; the person's own other tickets are not others."""
    waiting = [r for r in _waiting(session, day, [row.type_code])
               if r.ticket_id == row.ticket_id or not same(r.person_id)]
    order = calling_order([QueuedTicket(r.ticket_id, r.type_code, bool(r.priority), r.order_key) for r in waiting],
                          types)
    return next((i for i, t in enumerate(order) if t.ticket_id == row.ticket_id), len(order))


def _served(session: Session, type_code: str, first_day: str, last_day: str) -> list[Served]:
    rows = session.execute(select(QueueTicketRow.day, QueueTicketRow.window, QueueTicketRow.started_at,
                                  QueueTicketRow.called_at, QueueTicketRow.finished_at)
                           .where(QueueTicketRow.state == TicketState.DONE.value,
                                  QueueTicketRow.type_code == type_code,
                                  QueueTicketRow.day >= first_day, QueueTicketRow.day <= last_day)).all()
    served = []
    for day, window, started, called, finished in rows:
        begin, end = _time(started or called), _time(finished)
        seconds = (end - begin).total_seconds() if begin and end else None
        served.append(Served(day, window, seconds if seconds is not None and seconds >= 0 else None))
    return served


def _estimate(session: Session, day: str, window_type: WindowType, ahead: int) -> int | None:
    today = _served(session, window_type.code, day, day)
    earlier: list[Served] = []
    if not any(s.seconds is not None for s in today):  # not served yet today: the weeks before
        first = (date.fromisoformat(day) - timedelta(days=ESTIMATE_HISTORY_DAYS)).isoformat()
        yesterday = (date.fromisoformat(day) - timedelta(days=1)).isoformat()
        earlier = _served(session, window_type.code, first, yesterday)
    minutes, windows = service_for_estimate(today, earlier)
    return estimated_wait_minutes(ahead, minutes, len(window_type.windows) or windows)


def issue_local(hall: Hall, *, type_code: str, source: TicketSource, priority: bool = False,
                id_number: str | None = None, name: str | None = None, ticket_id: str | None = None,
                offline_window: int | None = None, holder: str | None = None,
                read_person: Callable[[str], str | None] | None = None) -> IssuedTicket:
    """A new number of ``type_code`` from the local database (``offline_window``: under that window's own prefix).

    A person (by ID number) who already holds a waiting ticket of this type today is given that
    one back (``already``), not another. ``holder`` is the ID number as read (``id_number`` may be
    stored sealed), ``read_person`` opens a stored one (both default to the stored form as is).
    """
    id_number = (id_number or "").strip() or None
    name = (name or "").strip() or None
    person = holder if holder is not None else id_number
    opened = read_person or (lambda value: value)

    def same(value: str | None) -> bool:
        return person is not None and value is not None and opened(value) == person

    with hall.transaction() as session:
        rev = _lock(session)
        window_type = _type_named(session, type_code)
        if window_type.code == LEADER_TYPE and (now := _reception_now(session, hall)) != "":
            raise RuleViolation("queue_no_reception_day",
                                _no_reception_day(session, hall, window_type.name, over=now == "over"))
        types = {t.code: t for t in _types(session)}
        if person is not None:
            waiting = _waiting(session, _today(hall), [window_type.code])
            held = {r.ticket_id: r for r in waiting if same(r.person_id)}
            if held:  # the one of them called first
                order = calling_order([QueuedTicket(r.ticket_id, r.type_code, bool(r.priority), r.order_key)
                                       for r in held.values()], types)
                first = held[order[0].ticket_id]
                ahead = _ahead(session, first.day, first, types, same)
                return IssuedTicket(to_ticket(first), window_type.name, ahead,
                                    _estimate(session, first.day, window_type, ahead), already=True,
                                    priority_reason=priority_reason(person, hall.today()) if first.priority else "")
        # the card says the age: a visitor of 70 or more goes first without having to find the toggle (decided
        # here, where the hall server decides it too: a device's word on it is not needed)
        reason = priority_reason(person, hall.today())
        priority = (priority or bool(reason)) and window_type.priority_allowed
        offline = offline_window is not None
        row = _new_ticket(session, hall, rev, window_type, source=source, priority=priority,
                          prefix=offline_prefix(offline_window) if offline_window is not None else window_type.prefix,
                          origin=hall.settings.device_id or "local" if offline else "",
                          person_id=id_number, person_name=name, ticket_id=ticket_id)
        ahead = _ahead(session, row.day, row, types, same)
        return IssuedTicket(to_ticket(row), window_type.name, ahead, _estimate(session, row.day, window_type, ahead),
                            priority_reason=reason if priority else "")


def _open_at(session: Session, day: str, window: int) -> QueueTicketRow | None:
    return session.scalar(select(QueueTicketRow).where(QueueTicketRow.day == day, QueueTicketRow.window == window,
                                                       QueueTicketRow.state.in_(OPEN_STATES)).limit(1))


def open_ticket_number(hall: Hall, window: int) -> str:
    """The number called to ``window`` today and not finished yet (叫号中 or 办理中), "" when none."""
    with hall.sessions() as session:
        row = _open_at(session, hall.today().isoformat(), window)
        return row.number if row is not None else ""


def _refuse_if_busy(session: Session, day: str, window: int) -> None:
    busy = _open_at(session, day, window)
    if busy is not None:
        raise RuleViolation("queue_window_busy",
                            f"本窗口的 {busy.number} 号还没有办结：请先办结、过号或转窗口，再叫下一位")


def _rows(result: object) -> int:
    return int(result.rowcount) if isinstance(result, CursorResult) else 0


def _call(session: Session, hall: Hall, rev: int, row: QueueTicketRow, window: int, *, pending: bool) -> None:
    now = _stamp(hall.now())
    changed = _rows(session.execute(
        update(QueueTicketRow).where(QueueTicketRow.ticket_id == row.ticket_id, QueueTicketRow.rev == row.rev,
                                     QueueTicketRow.state.in_((TicketState.WAITING.value, TicketState.CALLED.value)))
        .values(state=TicketState.CALLED.value, window=window, called_at=row.called_at or now, rev=rev,
                pending=pending or row.pending)
        .execution_options(synchronize_session=False)))
    if changed != 1:
        raise RuleViolation("queue_changed", f"{row.number} 号刚被其他窗口处理，请再试一次")
    session.add(QueueCallRow(call_id=hall.new_id(), ticket_id=row.ticket_id, number=row.number, window=window,
                             called_at=now, rev=rev, pending=pending))
    session.flush()
    session.refresh(row)


def call_next_local(hall: Hall, *, window: int, offline: bool = False) -> Ticket | None:
    """Call the next waiting number this window serves (None: nobody waits).

    ``offline``: the device lost the hall server and calls only the numbers it issued itself
    since then (the ones merged back are the authority's to call, like every other).
    """
    with hall.transaction() as session:
        rev = _lock(session)
        day = _today(hall)
        _refuse_if_busy(session, day, window)
        types = {t.code: t for t in _types(session, active_only=False) if type_serves(t, window)}
        origin = (hall.settings.device_id or "local") if offline else None
        waiting = {r.ticket_id: r for r in _waiting(session, day, list(types), origin)}
        order = calling_order([QueuedTicket(r.ticket_id, r.type_code, bool(r.priority), r.order_key)
                               for r in waiting.values()], types)
        if not order:
            return None
        row = waiting[order[0].ticket_id]
        _call(session, hall, rev, row, window, pending=offline)
        return to_ticket(row)


def act_local(hall: Hall, ticket_id: str, action: QueueAction, *, window: int, type_code: str | None = None,
              case_id: str | None = None, offline: bool = False) -> Ticket:
    """Apply a clerk's action to a ticket; for a transfer, the ticket that carries on is returned."""
    with hall.transaction() as session:
        rev = _lock(session)
        row = session.get(QueueTicketRow, ticket_id)
        if row is None:
            raise RuleViolation("queue_unknown_ticket", "没有这个号票（可能已被撤销），请刷新后再试")
        state = TicketState(row.state)
        after = next_state(state, action, skipped_before=row.skipped > 0)
        if action is QueueAction.CALL:
            _refuse_if_busy(session, row.day, window)
            if offline and (row.origin != (hall.settings.device_id or "local") or not row.pending):
                raise RuleViolation("queue_offline", "与大厅服务器断开期间，只能呼叫本机发出的号")
            _call(session, hall, rev, row, window, pending=offline)
            return to_ticket(row)
        if row.window != window:
            raise RuleViolation("queue_other_window", f"{row.number} 号由 {row.window} 号窗口办理，本窗口不能操作")
        if action is QueueAction.RECALL:
            _call(session, hall, rev, row, window, pending=offline)
            return to_ticket(row)
        now = _stamp(hall.now())
        values: dict[str, Any] = {"state": after.value, "rev": rev, "pending": offline or row.pending}
        carried: QueueTicketRow | None = None
        if action is QueueAction.SKIP:
            values.update(skipped=row.skipped + 1)
            if after is TicketState.WAITING:
                values.update(window=None, order_key=rev)  # back in the queue, behind those waiting now
        elif action is QueueAction.START:
            values.update(started_at=now)
        elif action is QueueAction.FINISH:
            values.update(finished_at=now, case_id=(case_id or "").strip() or row.case_id)
        elif action is QueueAction.TRANSFER:
            if not type_code or type_code == row.type_code:
                raise ValidationError("queue_transfer_type", "请选择要转去的另一个窗口类型", "type_code")
            target = _type_named(session, type_code)
            carried = _new_ticket(session, hall, rev, target, source=TicketSource(row.source),
                                  priority=bool(row.priority) and target.priority_allowed,
                                  prefix=offline_prefix(window) if offline else target.prefix,
                                  origin=(hall.settings.device_id or "local") if offline else "",
                                  order_key=row.order_key, person_id=row.person_id, person_name=row.person_name,
                                  transferred_from=row.ticket_id)
        changed = _rows(session.execute(update(QueueTicketRow)
                                        .where(QueueTicketRow.ticket_id == ticket_id, QueueTicketRow.rev == row.rev)
                                        .values(**values).execution_options(synchronize_session=False)))
        if changed != 1:
            raise RuleViolation("queue_changed", f"{row.number} 号刚被其他窗口处理，请再试一次")
        session.refresh(row)
        return to_ticket(carried if carried is not None else row)


# -- the public entry points: the remote authority when there is one, else the local database ---------


def opening_hours(hall: Hall) -> OpeningHours:
    """The hall's opening hours (setting ``hall_hours``, checked when the settings were read)."""
    return parse_hours(hall.settings.hall_hours)


def closed_now(hall: Hall) -> str:
    """"" while the hall is open; outside its hours, that it is closed and when it opens next, in words."""
    hours, now = opening_hours(hall), hall.now()
    calendar = hall.policy.calendar
    return "" if is_open(hours, calendar, now) else closed_message(hours, calendar, now)


def issue_ticket(hall: Hall, *, type_code: str, source: TicketSource, priority: bool = False,
                 id_number: str | None = None, name: str | None = None, after_hours: bool = False) -> IssuedTicket:
    """Take a number (kiosk or counter); the ticket says how many are ahead and the estimated wait.

    An ID number (read from the card or typed) links the ticket to the person: it must be a
    valid resident ID, and a name comes with it. Outside the hall's opening hours a kiosk is
    refused with when the hall opens next; a counter is told so (``hall_closed``) and may
    still issue, the clerk's choice, with ``after_hours``.
    """
    # What was typed first: a clerk asked 仍然发号 outside the hours was then refused for a missing ID number.
    id_number, name = ticket_person(id_number, name, hall.today())  # the hall server checks it again
    closed = closed_now(hall)
    if closed and (source is not TicketSource.COUNTER or not after_hours):
        if source is TicketSource.COUNTER:
            raise RuleViolation("hall_closed", closed)  # the clerk is asked, and may issue with ``after_hours``
        raise RuleViolation("hall_closed", f"{closed}，请到时再来取号")
    remote = remote_of(hall)
    if remote is not None:
        issued = remote.issue(type_code=type_code, source=source, priority=priority, id_number=id_number, name=name)
    else:
        issued = issue_local(hall, type_code=type_code, source=source, priority=priority, id_number=id_number,
                             name=name)
    note = late_ticket_note(opening_hours(hall), hall.now(), issued.estimated_wait_minutes)
    return replace(issued, note=note) if note else issued


def call_next(hall: Hall, *, window: int) -> Ticket | None:
    """叫号: the next number for ``window`` (None when nobody is waiting for it)."""
    remote = remote_of(hall)
    if remote is not None:
        return remote.call_next(window=window)
    return call_next_local(hall, window=window)


def act(hall: Hall, ticket_id: str, action: QueueAction, *, window: int, type_code: str | None = None,
        case_id: str | None = None) -> Ticket:
    """重呼、过号、转窗口、开始办理、办结 (or call a chosen ticket) at ``window``."""
    remote = remote_of(hall)
    if remote is not None:
        return remote.act(ticket_id, action, window=window, type_code=type_code, case_id=case_id)
    return act_local(hall, ticket_id, action, window=window, type_code=type_code, case_id=case_id)


# -- what the screens read (always the local tables: the authority's own, or the mirror) -------------


def _waiting_counts(session: Session, day: str, types: list[WindowType]) -> tuple[WaitingCount, ...]:
    counts = dict(session.execute(select(QueueTicketRow.type_code, func.count())
                                  .where(QueueTicketRow.day == day, QueueTicketRow.state == TicketState.WAITING.value)
                                  .group_by(QueueTicketRow.type_code)).all())
    return tuple(WaitingCount(t.name, t.prefix, int(counts.get(t.code, 0))) for t in types)


#: A ticket whose visitor has been seen to: its call is no longer 正在叫号 on the display.
_SERVED: Final = frozenset({TicketState.DONE.value, TicketState.TRANSFERRED.value})


def board(hall: Hall, *, recent: int = 6) -> QueueBoard:
    """What the call display shows: the latest calls, who waits per type — numbers and windows only.

    Each number appears once, at its latest call: a recall replaces the number's earlier call rather
    than listing it again under the one being made. The types listed are those people can take a
    number for, and a stopped one while its tickets still wait (marked 暂停取号: its people are
    still called).
    """
    remote = remote_of(hall)
    day = _today(hall)
    reception_day = reception.next_reception_day(hall)
    with hall.sessions() as session:
        latest: dict[str, QueueCallRow] = {}
        # the last calls, recalls among them (a number called ten times running is more than a window does)
        for row in session.scalars(select(QueueCallRow).where(QueueCallRow.called_at >= day)
                                   .order_by(QueueCallRow.called_at.desc(), QueueCallRow.rev.desc())
                                   .limit((recent + 1) * 10)):
            latest.setdefault(row.ticket_id, row)
            if len(latest) > recent:
                break
        states = {ticket_id: state for ticket_id, state in session.execute(
            select(QueueTicketRow.ticket_id, QueueTicketRow.state).where(QueueTicketRow.ticket_id.in_(list(latest))))}
        values = [Call(c.call_id, c.number, c.window, datetime.fromisoformat(c.called_at),
                       missed_note(states.get(c.ticket_id, ""))) for c in latest.values()]
        # the latest call is 正在叫号 until its visitor has been served: then nobody is called, and it is listed
        first = next(iter(latest.values()), None)
        calling = first is not None and states.get(first.ticket_id) not in _SERVED
        current, earlier = (values[0], values[1:]) if calling else (None, values)
        return QueueBoard(hall.settings.hall_name, hall.now(), current, tuple(earlier),
                          _shown_counts(session, day, "（暂停取号）"), reception_day,
                          remote.connected if remote is not None else True)


def revision(hall: Hall) -> tuple[int, ...]:
    """A mark of the queue's state, read in a moment: it changes with every number issued, call and action.

    Another program writing to the same database (the second counter of a hall without a hall server, the call
    display beside them) is not heard by this program's change feed; a screen compares this mark, a read of a
    table of three rows, a few times a second and reads the queue again only when it moved.
    """
    with hall.sessions() as session:
        return tuple(session.scalars(select(QueueStateRow.value).order_by(QueueStateRow.name)))


def window_view(hall: Hall, *, window: int) -> WindowView:
    """The counter's view of the queue: this window's current ticket (with the person, staff only) and who waits."""
    remote = remote_of(hall)
    day = _today(hall)
    with hall.sessions() as session:
        row = _open_at(session, day, window)
        pending = int(session.scalar(select(func.count()).select_from(QueueTicketRow)
                                     .where(QueueTicketRow.pending.is_(True))) or 0)
        ticket = to_ticket(row) if row is not None else None
        person_id = row.person_id if row is not None else None
        first = ""
        if ticket is not None and ticket.priority:
            allows = any(t.code == ticket.type_code and t.priority_allowed for t in _types(session, active_only=False))
            first = priority_words(ticket, allows, person_id, hall.today())
        return WindowView(window, ticket, row.person_name if row is not None else None, person_id,
                          _staff_counts(session, day), remote.connected if remote is not None else True, pending,
                          first, _carried_words(session, row) if row is not None else "")


def _carried_words(session: Session, row: QueueTicketRow) -> str:
    """For a ticket that carries on another (转窗口, once or more): the number the visitor held before it and when
    the first number of the chain was taken, in words; "" for a ticket taken as it is."""
    if not row.transferred_from:
        return ""
    before = session.get(QueueTicketRow, row.transferred_from)
    if before is None:  # not in this device's copy of the queue
        return "由其他窗口转来"
    first, seen = before, {row.ticket_id, before.ticket_id}
    while first.transferred_from and first.transferred_from not in seen:
        earlier = session.get(QueueTicketRow, first.transferred_from)
        if earlier is None:
            break
        seen.add(earlier.ticket_id)
        first = earlier
    issued = _time(first.issued_at)
    assert issued is not None
    return f"由 {before.number} 转来，{issued:%H:%M} 取号"


def _staff_counts(session: Session, day: str) -> tuple[WaitingCount, ...]:
    """Who waits per type for the counters: the active types, and a stopped one while its tickets still wait."""
    return _shown_counts(session, day, "（已停用）")


def _shown_counts(session: Session, day: str, stopped: str) -> tuple[WaitingCount, ...]:
    """The active types' counts, and a stopped type's (its name followed by ``stopped``) while its tickets wait."""
    types = _types(session, active_only=False)
    counts = _waiting_counts(session, day, types)
    return tuple(replace(c, type_name=f"{c.type_name}{stopped}") if not t.active else c
                 for t, c in zip(types, counts, strict=True) if t.active or c.waiting)


def join_reception_day(hall: Hall, actor: Actor, *, window: int, name: str = "",
                       id_number: str = "") -> reception.Booking:
    """加入今日领导接访: book the visitor of this window's 领导接访 ticket on today's reception day.

    The person who took the ticket with an ID card is booked as linked; otherwise the name and
    ID number the clerk typed or read. A full day puts them on the waiting list (候补).
    """
    with hall.sessions() as session:
        row = _open_at(session, _today(hall), window)
        if row is None or row.type_code != LEADER_TYPE:
            raise RuleViolation("queue_not_leader", "本窗口当前的号不是“领导接访”号，不能加入今日领导接访")
        linked_name, linked_id, number = row.person_name, row.person_id, row.number
    if linked_id is None and not (name.strip() and id_number.strip()):
        raise ValidationError("name", f"{number} 号取号时没有刷身份证：请先读取或填写来访人的姓名和证件号码", "name")
    visitor = reception.Visitor(linked_name or name, linked_id or id_number, summary=f"现场来访（排队号 {number}）")
    return reception.book_today(hall, actor, visitor)


def statistics(hall: Hall, actor: Actor, start: date, end: date) -> list[QueueStatistics]:
    """Average and 90th-percentile wait and service time per window type and day, ``start``–``end`` inclusive."""
    guard(hall, actor, Permission.SUPERVISE, "查看排队统计")
    with hall.sessions() as session:
        rows = session.execute(select(QueueTicketRow.type_code, QueueTicketRow.day, QueueTicketRow.issued_at,
                                      QueueTicketRow.called_at, QueueTicketRow.started_at,
                                      QueueTicketRow.finished_at)
                               .where(QueueTicketRow.day >= start.isoformat(),
                                      QueueTicketRow.day <= end.isoformat())).all()
    times = []
    for code, day, issued, called, started, finished in rows:
        issued_at = _time(issued)
        assert issued_at is not None
        times.append(TicketTimes(code, date.fromisoformat(day), issued_at, _time(called), _time(started),
                                 _time(finished)))
    return queue_statistics(times)


# -- the authority's changes, as the push channel carries them, and the device's mirror of them ------


@dataclass(frozen=True)
class TicketRecord:
    """A ticket's full row as the authority holds it (the person only for staff devices)."""

    ticket_id: str
    day: str
    prefix: str
    seq: int
    number: str
    type_code: str
    state: str
    source: str
    priority: bool
    order_key: int
    rev: int
    issued_at: str
    called_at: str | None = None
    started_at: str | None = None
    finished_at: str | None = None
    window: int | None = None
    skipped: int = 0
    case_id: str | None = None
    person_name: str | None = None
    person_id: str | None = None
    transferred_from: str | None = None
    origin: str = ""


@dataclass(frozen=True)
class CallRecord:
    call_id: str
    ticket_id: str
    number: str
    window: int
    called_at: str
    rev: int


@dataclass(frozen=True)
class QueueFeed:
    """What changed after ``since``: up to ``cursor`` (resume from it). ``types`` with the first page only."""

    cursor: int
    tickets: tuple[TicketRecord, ...] = ()
    calls: tuple[CallRecord, ...] = ()
    types: tuple[WindowType, ...] = ()


_TICKET_FIELDS = tuple(TicketRecord.__dataclass_fields__)
_CALL_FIELDS = tuple(CallRecord.__dataclass_fields__)


def ticket_record(row: QueueTicketRow, *, personal: bool = True) -> TicketRecord:
    values = {name: getattr(row, name) for name in _TICKET_FIELDS}
    if not personal:
        values.update(person_name=None, person_id=None)
    return TicketRecord(**values)


def current_rev(session: Session, name: str = "rev") -> int:
    return int(session.scalar(select(QueueStateRow.value).where(QueueStateRow.name == name)) or 0)


def feed_since(hall: Hall, since: int, *, personal: bool, limit: int = 2000) -> QueueFeed:
    """The authority's changes after ``since`` (0: today's whole queue); the window types when they changed."""
    with hall.sessions() as session:
        top = current_rev(session)
        if since <= 0 or since > top:  # a new device, or one that last saw another authority: start over today
            day = _today(hall)
            tickets = session.scalars(select(QueueTicketRow).where(QueueTicketRow.day == day)
                                      .order_by(QueueTicketRow.rev)).all()
            calls = session.scalars(select(QueueCallRow).where(QueueCallRow.called_at >= day)
                                    .order_by(QueueCallRow.rev)).all()
            types: tuple[WindowType, ...] = tuple(_types(session, active_only=False))
        else:
            tickets = session.scalars(select(QueueTicketRow).where(QueueTicketRow.rev > since)
                                      .order_by(QueueTicketRow.rev).limit(limit)).all()
            calls = session.scalars(select(QueueCallRow).where(QueueCallRow.rev > since)
                                    .order_by(QueueCallRow.rev).limit(limit)).all()
            changed = current_rev(session, "types") > since  # the administrator changed them since
            types = tuple(_types(session, active_only=False)) if changed else ()
        seen = max([top] + [t.rev for t in tickets] + [c.rev for c in calls])
        if len(tickets) == limit or len(calls) == limit:  # a long page: resume after what both lists cover
            seen = min(tickets[-1].rev if len(tickets) == limit else seen, calls[-1].rev if len(calls) == limit
                       else seen)
            tickets = [t for t in tickets if t.rev <= seen]
            calls = [c for c in calls if c.rev <= seen]
        return QueueFeed(seen, tuple(ticket_record(t, personal=personal) for t in tickets),
                         tuple(CallRecord(**{n: getattr(c, n) for n in _CALL_FIELDS}) for c in calls), types)


def mirror_cursor(hall: Hall) -> int:
    with hall.sessions() as session:
        return current_rev(session, "cursor")


def apply_feed(hall: Hall, feed: QueueFeed) -> None:
    """Mirror the authority's changes into the local tables (idempotent; an older copy never wins)."""
    with hall.transaction() as session:
        # a write first: the mirror's writers (the stream, a command's answer) take turns from here on
        session.execute(update(QueueStateRow).where(QueueStateRow.name == "cursor").values(value=QueueStateRow.value))
        if feed.types:
            known = {r.code: r for r in session.scalars(select(QueueWindowTypeRow))}
            for position, t in enumerate(feed.types, start=1):
                row = known.get(t.code) or QueueWindowTypeRow(code=t.code)
                row.name, row.prefix, row.windows = t.name, t.prefix, ",".join(str(w) for w in t.windows)
                row.priority_allowed, row.active, row.position = t.priority_allowed, t.active, position
                session.add(row)
        for record in feed.tickets:
            existing = session.get(QueueTicketRow, record.ticket_id)
            if existing is None:
                clash = session.scalar(select(QueueTicketRow).where(QueueTicketRow.day == record.day,
                                                                    QueueTicketRow.number == record.number))
                if clash is not None:  # a stale copy of a day the authority started over
                    session.delete(clash)
                    session.flush()
                session.add(QueueTicketRow(**vars(record), pending=False))
            elif existing.rev < record.rev or existing.pending:
                for name, value in vars(record).items():
                    setattr(existing, name, value)
                existing.pending = False
        for call in feed.calls:
            if session.get(QueueCallRow, call.call_id) is None:
                session.add(QueueCallRow(**vars(call), pending=False))
        if feed.cursor > current_rev(session, "cursor"):
            session.execute(update(QueueStateRow).where(QueueStateRow.name == "cursor").values(value=feed.cursor))


def pending_changes(hall: Hall) -> tuple[list[TicketRecord], list[CallRecord]]:
    """What this device issued or did while it could not reach the authority (to merge back)."""
    with hall.sessions() as session:
        tickets = [ticket_record(r) for r in session.scalars(select(QueueTicketRow)
                                                            .where(QueueTicketRow.pending.is_(True))
                                                            .order_by(QueueTicketRow.rev))]
        calls = [CallRecord(**{n: getattr(c, n) for n in _CALL_FIELDS})
                 for c in session.scalars(select(QueueCallRow).where(QueueCallRow.pending.is_(True))
                                          .order_by(QueueCallRow.rev))]
        return tickets, calls


def merge_offline(hall: Hall, tickets: list[TicketRecord], calls: list[CallRecord], *,
                  seal: Any = None) -> int:
    """The authority takes in what a device did offline: idempotent by ticket and call id; returns the new rev.

    A ticket the authority does not know is added under its offline number (its own
    prefix, so it clashes with none); one it knows takes the device's state only while
    the authority still has it waiting or at that device's window. ``seal`` turns a
    person's field into what the authority stores (the central server encrypts it).
    """
    with hall.transaction() as session:
        rev = _lock(session)
        for record in tickets:
            values = vars(record) | {"rev": rev}
            if seal is not None:
                values.update(person_name=seal(record.person_name, "name", record.ticket_id),
                              person_id=seal(record.person_id, "id_number", record.ticket_id))
            existing = session.get(QueueTicketRow, record.ticket_id)
            if existing is None:
                clash = session.scalar(select(QueueTicketRow.ticket_id).where(QueueTicketRow.day == record.day,
                                                                              QueueTicketRow.number == record.number))
                if clash is not None:
                    raise RuleViolation("queue_number_clash", f"号码 {record.number} 已被其他号票使用，无法合并")
                session.add(QueueTicketRow(**values, pending=False))
            elif (existing.state == TicketState.WAITING.value and existing.window is None) or \
                    (existing.state in OPEN_STATES and existing.window == record.window):
                for name in ("state", "called_at", "started_at", "finished_at", "window", "skipped", "case_id",
                             "rev"):
                    setattr(existing, name, values[name])
        for call in calls:
            if session.get(QueueCallRow, call.call_id) is None:
                session.add(QueueCallRow(**(vars(call) | {"rev": rev}), pending=False))
        session.flush()
        return rev


def mark_merged(hall: Hall, ticket_ids: list[str], call_ids: list[str]) -> None:
    with hall.transaction() as session:
        if ticket_ids:
            # rev 0: the authority's copy (under its own change numbers) replaces this one when it arrives
            session.execute(update(QueueTicketRow).where(QueueTicketRow.ticket_id.in_(ticket_ids))
                            .values(pending=False, rev=0))
        if call_ids:
            session.execute(update(QueueCallRow).where(QueueCallRow.call_id.in_(call_ids)).values(pending=False))
