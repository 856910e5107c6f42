"""The hall queue's plain values: window types, tickets, calls and what the display shows.

Pure data shared by the queue service, the hall server, the counter's queue controls,
the kiosk's 取号 screen and the call display. The rules that move a ticket from state to
state live with the values they judge (:func:`next_state`), so the server, the desktop
and the tests apply the same ones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Final

from desktop.domain.errors import RuleViolation, ValidationError
from desktop.domain.identity import id_birth_date, validate_name, validate_resident_id


class TicketState(StrEnum):
    WAITING = "waiting"          # in the queue
    CALLED = "called"            # called to a window, the visitor not yet seated
    SERVING = "serving"          # the clerk started service
    DONE = "done"                # served (linked to the case registered or looked up)
    NO_SHOW = "no_show"          # skipped a second time: out of the queue
    TRANSFERRED = "transferred"  # moved to another window type (a new ticket carries on)


TICKET_STATE_NAMES: dict[TicketState, str] = {
    TicketState.WAITING: "等候中",
    TicketState.CALLED: "已叫号",
    TicketState.SERVING: "办理中",
    TicketState.DONE: "已办结",
    TicketState.NO_SHOW: "过号",
    TicketState.TRANSFERRED: "已转窗口",
}


class TicketSource(StrEnum):
    KIOSK = "kiosk"
    COUNTER = "counter"


class QueueAction(StrEnum):
    CALL = "call"          # call next (or a chosen ticket)
    RECALL = "recall"      # call the same ticket again
    SKIP = "skip"          # no-show: back to the queue once, then out
    TRANSFER = "transfer"  # to another window type
    START = "start"        # the visitor sat down
    FINISH = "finish"      # served; may link a case


#: From which states each action may be taken.
_ALLOWED: dict[QueueAction, frozenset[TicketState]] = {
    QueueAction.CALL: frozenset({TicketState.WAITING}),
    QueueAction.RECALL: frozenset({TicketState.CALLED}),
    QueueAction.SKIP: frozenset({TicketState.CALLED}),
    QueueAction.TRANSFER: frozenset({TicketState.CALLED, TicketState.SERVING}),
    QueueAction.START: frozenset({TicketState.CALLED}),
    QueueAction.FINISH: frozenset({TicketState.CALLED, TicketState.SERVING}),
}


def next_state(state: TicketState, action: QueueAction, *, skipped_before: bool = False) -> TicketState:
    """The state ``action`` leaves a ticket in, or :class:`RuleViolation` in words."""
    if state not in _ALLOWED[action]:
        raise RuleViolation("queue_state", f"号票{TICKET_STATE_NAMES[state]}，不能{_ACTION_NAMES[action]}")
    if action is QueueAction.CALL or action is QueueAction.RECALL:
        return TicketState.CALLED
    if action is QueueAction.SKIP:
        return TicketState.NO_SHOW if skipped_before else TicketState.WAITING
    if action is QueueAction.TRANSFER:
        return TicketState.TRANSFERRED
    if action is QueueAction.START:
        return TicketState.SERVING
    return TicketState.DONE


def window_actions(current: Ticket | None) -> frozenset[QueueAction]:
    """What a window may do now: call when it has no ticket open, else what its ticket's state allows."""
    if current is None:
        return frozenset({QueueAction.CALL})
    return frozenset(a for a, states in _ALLOWED.items() if a is not QueueAction.CALL and current.state in states)


def why_not(action: QueueAction, current: Ticket | None) -> str | None:
    """Why a window's key does nothing now, in words for the clerk (None: the key may be pressed)."""
    if action in window_actions(current):
        return None
    if current is None:
        return f"本窗口现在没有号，不能{_ACTION_NAMES[action]}：先按 F3 叫下一位"
    if action is QueueAction.CALL:
        return (f"{current.number} 号还在本窗口（{TICKET_STATE_NAMES[current.state]}）：先按 F9 办结，"
                f"或 F6 过号、F7 转窗口，再叫下一位")
    return f"{current.number} 号{TICKET_STATE_NAMES[current.state]}，不能{_ACTION_NAMES[action]}"


_ACTION_NAMES: dict[QueueAction, str] = {
    QueueAction.CALL: "叫号",
    QueueAction.RECALL: "重呼",
    QueueAction.SKIP: "过号",
    QueueAction.TRANSFER: "转窗口",
    QueueAction.START: "开始办理",
    QueueAction.FINISH: "办结",
}


@dataclass(frozen=True)
class WindowType:
    """A kind of window the hall serves (综合, 农民工欠薪绿色通道, 涉法涉诉, 领导接访 …)."""

    code: str                      # stable key, e.g. "general"
    name: str                      # what people read, e.g. "综合接待"
    prefix: str                    # the ticket number's letter(s), e.g. "A"
    windows: tuple[int, ...]       # the window numbers that serve it
    priority_allowed: bool = True  # elderly / disabled / urgent tickets go first
    active: bool = True


@dataclass(frozen=True)
class Ticket:
    """One number taken in the hall, as every device sees it (no personal data)."""

    ticket_id: str                 # UUID
    number: str                    # "A012" — what people read and hear
    type_code: str
    state: TicketState
    issued_at: datetime
    source: TicketSource
    priority: bool = False
    window: int | None = None      # the window that called it
    called_at: datetime | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None
    skipped: int = 0
    case_id: str | None = None     # linked at FINISH
    person_linked: bool = False    # taken with an ID card (the name stays on staff devices)


@dataclass(frozen=True)
class IssuedTicket:
    """What the 80 mm ticket prints and the kiosk shows after 取号."""

    ticket: Ticket
    type_name: str
    ahead: int                          # people before this one in its type
    estimated_wait_minutes: int | None  # None until the hall has served some of this type (today or of late)
    #: The hall closes before the estimated wait is over: said to the citizen taking the number ("" otherwise).
    note: str = ""
    #: The person (by ID number) already held this waiting ticket of the type today: it, not a new one.
    already: bool = False
    #: Why a priority ticket goes first when the ID card it was taken with says so (70岁以上老人), printed under
    #: 优先办理 for the clerk and the people waiting; "" otherwise.
    priority_reason: str = ""


@dataclass(frozen=True)
class Call:
    """A number called to a window: the display shows and announces each ``call_id`` once."""

    call_id: str        # new for every call and recall, so a recall is announced again
    number: str         # "A012"
    window: int         # 3
    called_at: datetime
    missed: str = ""    # the visitor did not come (过号): what the display tells them, see :func:`missed_note`


#: What 过号 does, said alike on the slip and at the counter (:func:`next_state`: a first 过号 puts the
#: ticket back in the queue, a second one ends it).
MISSED_ONCE: Final = "过号后号码回到队列，稍后再叫"
MISSED_TWICE: Final = "再次过号即作废，需重新取号"
MISSED_RULE: Final = f"{MISSED_ONCE}；{MISSED_TWICE}"


def already_words(number: str, ahead: int) -> str:
    """A person who already holds a waiting ticket of the type asks again: that ticket, and who is before it."""
    return f"您已取过{number}号，" + (f"前面还有{ahead}人" if ahead else "前面没有人在等候")


def missed_note(state: TicketState | str) -> str:
    """What the display says of a number called whose visitor did not come (过号), "" for any other.

    Skipped once the ticket is back in the queue and called again later; skipped twice it is out
    and the visitor takes a new number. Without this the display kept “A001 → 1号窗口” and a visitor
    coming back late went to a window serving someone else.
    """
    if state == TicketState.WAITING:  # a called ticket waits again only after a first 过号
        return "过号，稍后再叫"
    if state == TicketState.NO_SHOW:
        return "过号，请重新取号"
    return ""


@dataclass(frozen=True)
class WaitingCount:
    type_name: str
    prefix: str
    waiting: int


@dataclass(frozen=True)
class QueueBoard:
    """Everything the call display shows — numbers and windows only, no personal data."""

    hall_name: str
    as_of: datetime
    current: Call | None                      # the latest call
    recent: tuple[Call, ...] = ()             # the calls before it, newest first
    waiting: tuple[WaitingCount, ...] = ()
    next_reception_day: date | None = None
    connected: bool = True                    # False: the device lost the hall server


def announcement(call: Call) -> str:
    """The words spoken for a call: 请 A012 号到 3 号窗口."""
    return f"请 {call.number} 号到 {call.window} 号窗口"


# -- the queue's rules (shared by the desktop's local authority and the hall server) -----------


def ticket_number(prefix: str, seq: int) -> str:
    """``A`` and 12 → ``A012``: three digits at least, so numbers read alike all day."""
    return f"{prefix}{seq:03d}"


def type_serves(window_type: WindowType, window: int) -> bool:
    """Whether ``window`` calls this type's tickets (a type naming no windows is served at every window).

    A type the administrator stopped takes no new tickets, but the ones already waiting are
    still called at its windows: stopping a type never strands a visitor.
    """
    return not window_type.windows or window in window_type.windows


#: The window type whose visitors see the leader on a reception day (seeded; walk-ins join the day from it).
LEADER_TYPE = "leader"

#: From this age a visitor goes first where the type allows it (优先办理：70岁以上老人), as the kiosk's toggle says.
PRIORITY_AGE = 70


def priority_words(ticket: Ticket, type_allows: bool, id_number: str | None, today: date) -> str:
    """How the counter is told a ticket was called first: "" (it was not), 优先, or 优先（70岁以上老人） when the
    ID card it was taken with says the age (the ticket keeps no other reason: 残疾人 or 紧急 are the clerk's)."""
    if not ticket.priority or not type_allows:
        return ""
    reason = priority_reason(id_number, today)
    return f"优先（{reason}）" if reason else "优先"


def priority_reason(id_number: str | None, today: date) -> str:
    """Why a ticket taken with this ID number goes first, as the number itself says it (70岁以上老人); "" when it
    does not (no card, another kind of document, a younger holder: 残疾人 or 孕妇 is the person's word, not kept)."""
    if id_number:
        try:
            if of_priority_age(id_birth_date(id_number), today):
                return f"{PRIORITY_AGE}岁以上老人"
        except ValidationError:
            pass  # another kind of document: no age to read
    return ""


def of_priority_age(birth: date, today: date) -> bool:
    """Whether someone born on ``birth`` is :data:`PRIORITY_AGE` or older on ``today`` (a 29 February birthday
    counts on 1 March in a common year)."""
    years = today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))
    return years >= PRIORITY_AGE


def ticket_person(id_number: str | None, name: str | None, today: date) -> tuple[str | None, str | None]:
    """The person a ticket is taken for — an ID number and the name with it, or neither — as they are kept.

    Checked alike wherever a ticket is issued: the device that takes it, and again the hall server, which
    takes nothing a device pushes on trust. The number must be a valid resident ID (born by ``today``), the
    name a person's name (:func:`~desktop.domain.identity.validate_name`: 汉字 with "·", or Latin letters;
    no digits, emoji or symbols; 30 or 50 at most). Raises ValidationError naming the field.
    """
    id_number = (id_number or "").strip() or None
    name = (name or "").strip() or None
    if id_number is None:
        if name is not None:
            raise ValidationError("id_number", "填写了姓名，请同时读取或填写证件号码（或都不填）", "id_number")
        return None, None
    id_number = validate_resident_id(id_number, today)
    if name is None:
        raise ValidationError("name", "持证取号请填写来访人姓名", "name")
    return id_number, validate_name(name, "来访人")  # as the card or the clerk gives it

#: The prefix a counter issues under while it cannot reach the hall server (``W3``): no window type may use it.
OFFLINE_PREFIX = "W"


def parse_windows(text: str) -> tuple[int, ...]:
    """``1,2,5-7`` (Chinese commas, 、 and spaces too) → (1, 2, 5, 6, 7); empty: served at every window."""
    found: set[int] = set()
    for part in re.split(r"[,，、;；\s]+", text.strip()):
        if not part:
            continue
        low, dash, high = part.replace("–", "-").replace("—", "-").replace("～", "-").partition("-")
        if not low.isdigit() or (dash and not high.isdigit()):
            raise ValidationError("queue_type_windows",
                                  f"服务窗口“{part}”不是窗口号：请写数字，用逗号分隔，如 1,2 或 5-7", "windows")
        first, last = int(low), int(high) if dash else int(low)
        if not 1 <= first <= last <= 99:
            raise ValidationError("queue_type_windows", f"服务窗口“{part}”不对：窗口号须在 1–99 之间，由小到大",
                                  "windows")
        found.update(range(first, last + 1))
    return tuple(sorted(found))


def format_windows(windows: tuple[int, ...]) -> str:
    """(1, 2, 5, 6, 7) → ``1,2,5-7``; () → ``所有窗口``."""
    if not windows:
        return "所有窗口"
    runs: list[list[int]] = []
    for w in sorted(windows):
        if runs and w == runs[-1][-1] + 1:
            runs[-1].append(w)
        else:
            runs.append([w])
    return ",".join(f"{r[0]}-{r[-1]}" if len(r) > 2 else ",".join(map(str, r)) for r in runs)


def windows_in_words(windows: tuple[int, ...]) -> str:
    """The windows as people say them: (2, 9) → 2号、9号窗口; (1, 2, 5, 6, 7) → 1号、2号、5–7号窗口; () → 所有窗口."""
    if not windows:
        return "所有窗口"
    runs: list[list[int]] = []
    for w in sorted(set(windows)):
        if runs and w == runs[-1][-1] + 1:
            runs[-1].append(w)
        else:
            runs.append([w])
    parts = [f"{r[0]}–{r[-1]}号" if len(r) > 2 else "、".join(f"{w}号" for w in r) for r in runs]
    return "、".join(parts) + "窗口"


#: The numbers a counter's window may have (the setting ``queue_window``, where 0 says the PC calls nobody).
FIRST_WINDOW: Final = 1
LAST_WINDOW: Final = 99


def window_number(value: int | str) -> int:
    """A counter's own window number as typed or chosen: a whole number 1–99, else ``ValidationError`` in words."""
    text = str(value).strip()
    if not text.isdigit() or not FIRST_WINDOW <= int(text) <= LAST_WINDOW:
        raise ValidationError("queue_window", f"窗口号须为 {FIRST_WINDOW}–{LAST_WINDOW} 之间的整数", "window")
    return int(text)


def hall_windows(types: list[WindowType]) -> dict[int, tuple[str, ...]]:
    """The windows the hall's types in use name, in order, each with the names of the types called there.

    A type naming no window is called at every window, so it is among each one's; with no window named at all
    the hall has no list of windows (empty).
    """
    used = [t for t in types if t.active]
    numbers = sorted({w for t in used for w in t.windows})
    return {w: tuple(t.name for t in used if type_serves(t, w)) for w in numbers}


def window_serves_words(window: int, types: list[WindowType]) -> str:
    """What window ``window`` calls, in words: 3号窗口办理综合接待、领导接访 (or that it calls only the types
    served at every window, or none)."""
    used = [t for t in types if t.active]
    names = [t.name for t in used if type_serves(t, window)]
    if not names:
        return (f"本大厅的窗口类型中没有{window}号窗口，设为{window}号窗口将叫不到号"
                "（请系统管理员先在“排队窗口类型”中添加）")
    if any(window in t.windows for t in used) or not any(t.windows for t in used):
        return f"{window}号窗口办理：{'、'.join(names)}"
    return f"窗口类型中没有写{window}号窗口，它只办理不限窗口的业务：{'、'.join(names)}"


@dataclass(frozen=True)
class QueuedTicket:
    """A waiting ticket as the calling order sees it."""

    ticket_id: str
    type_code: str
    priority: bool
    order_key: int  # the issue order; a skipped ticket gets a new one (it goes behind those waiting then)


def calling_order(waiting: list[QueuedTicket], types: dict[str, WindowType]) -> list[QueuedTicket]:
    """Who is called first: priority tickets of the types that allow it, then the order of issue."""

    def key(t: QueuedTicket) -> tuple[int, int, str]:
        allowed = types[t.type_code].priority_allowed if t.type_code in types else False
        return (0 if t.priority and allowed else 1, t.order_key, t.ticket_id)

    return sorted(waiting, key=key)


def average_service_minutes(durations_seconds: list[float]) -> float | None:
    """The mean time a ticket took at the window today (None before the first one is served)."""
    served = [d for d in durations_seconds if d >= 0]
    return sum(served) / len(served) / 60 if served else None


#: When a type has not been served yet today, its estimate reads the service of this many days before.
ESTIMATE_HISTORY_DAYS = 28


@dataclass(frozen=True)
class Served:
    """One ticket the hall finished: its day, the window, and how long it took there (seconds; None unknown)."""

    day: str
    window: int | None
    seconds: float | None


def service_for_estimate(today: list[Served], earlier: list[Served]) -> tuple[float | None, int]:
    """The mean service minutes and the windows serving the type that an estimate uses.

    Today's service when the type has been served today; otherwise that of the days before
    (``earlier``, the last :data:`ESTIMATE_HISTORY_DAYS`), with the windows a day of them had
    on average (rounded, at least one). A hall that has never served the type has no estimate.
    """
    basis = today if any(s.seconds is not None for s in today) else earlier
    minutes = average_service_minutes([s.seconds for s in basis if s.seconds is not None])
    days: dict[str, set[int]] = {}
    for s in basis:
        windows = days.setdefault(s.day, set())
        if s.window is not None:
            windows.add(s.window)
    counted = [len(w) for w in days.values() if w]
    return minutes, round(sum(counted) / len(counted)) if counted else 0


def estimated_wait_minutes(ahead: int, service_minutes: float | None, windows: int) -> int | None:
    """People ahead × the day's mean service time, shared by the windows serving the type (rounded up)."""
    if service_minutes is None:
        return None
    if ahead <= 0:
        return 0
    total = ahead * service_minutes / max(1, windows)
    whole = int(total)
    return whole + (1 if total > whole else 0)


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile (0.9 → the value 90 % of the sample are at or below); 0 for an empty one."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, -(-round(fraction * 1000) * len(ordered) // 1000))
    return ordered[min(rank, len(ordered)) - 1]


@dataclass(frozen=True)
class TicketTimes:
    """One ticket's times, as the statistics read them."""

    type_code: str
    day: date
    issued_at: datetime
    called_at: datetime | None
    started_at: datetime | None
    finished_at: datetime | None


@dataclass(frozen=True)
class QueueStatistics:
    """Waiting and service time of one window type on one day (minutes)."""

    day: date
    type_code: str
    issued: int
    called: int
    served: int
    wait_average: float
    wait_p90: float
    service_average: float
    service_p90: float


def queue_statistics(tickets: list[TicketTimes]) -> list[QueueStatistics]:
    """Per day and type: the wait (issue → first call) and the service (start, else call → finish).

    Waits count every ticket that was called; service times every ticket finished.
    """
    groups: dict[tuple[date, str], list[TicketTimes]] = {}
    for t in tickets:
        groups.setdefault((t.day, t.type_code), []).append(t)
    result = []
    for (day, code), group in sorted(groups.items()):
        waits = [(t.called_at - t.issued_at).total_seconds() / 60 for t in group if t.called_at is not None]
        services = [(end - begin).total_seconds() / 60 for t in group
                    if (end := t.finished_at) is not None and (begin := t.started_at or t.called_at) is not None]
        result.append(QueueStatistics(
            day, code, len(group), len(waits), len(services),
            round(sum(waits) / len(waits), 1) if waits else 0.0, round(percentile(waits, 0.9), 1),
            round(sum(services) / len(services), 1) if services else 0.0, round(percentile(services, 0.9), 1)))
    return result
