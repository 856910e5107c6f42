"""The case (信访事项) as a fold of its events, and the order the Regulations impose.

``check_transition`` is what a service calls before it records a decision: an
event the order does not allow is refused with a message that names the step
that is missing. ``project`` folds a case's events on any replica; an event
that arrives out of order through sync is kept, not applied, and the case is
flagged for a supervisor instead of one decision silently overwriting another.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import date, timedelta
from enum import StrEnum
from typing import Any, Final

from desktop.domain.calendar import HolidayCalendar, date_in_words
from desktop.domain.chinatime import CHINA_STANDARD_TIME as CHINA_STANDARD_TIME
from desktop.domain.chinatime import china_day
from desktop.domain.deadlines import (
    EXTENSION_MAX,
    HANDLE,
    OBJECT_TRANSFER,
    REREVIEW_ANSWER,
    REREVIEW_REQUEST,
    REVIEW_ANSWER,
    REVIEW_REQUEST,
    ROUTE,
    UNIT_NOTIFY,
    DayCounting,
    Deadline,
    DeadlineRule,
    compute_deadline,
    format_date,
)
from desktop.domain.errors import RuleViolation, ValidationError
from desktop.domain.events import PAYLOAD_SCHEMA_VERSION, Event, EventType
from desktop.domain.hlc import Hlc


class CaseState(StrEnum):
    REGISTERED = "已登记"
    TRANSFERRED = "已转送"
    ASSIGNED = "已交办"
    GUIDED = "已导入法定途径"
    ACCEPTED = "办理中"
    NOT_ACCEPTED = "不予受理"
    ANSWERED = "已答复"
    REVIEW_REQUESTED = "复查中"
    REVIEWED = "已复查"
    REREVIEW_REQUESTED = "复核中"
    CONCLUDED = "已终结"
    SETTLED = "已调解和解"


#: States in which nothing but ratings, follow-ups and remarks can happen.
FINAL_STATES = frozenset({CaseState.GUIDED, CaseState.NOT_ACCEPTED, CaseState.CONCLUDED})
#: States in which the matter has been answered and its outcome stands.
CONCLUDED_STATES = frozenset(
    {
        CaseState.ANSWERED,
        CaseState.REVIEWED,
        CaseState.CONCLUDED,
        CaseState.SETTLED,
        CaseState.GUIDED,
        CaseState.NOT_ACCEPTED,
    }
)

#: A matter not yet concluded: still being handled, or under 复查/复核. An answered one (已答复) is not, even while
#: its review window is open: under the Regulations the petitioner's disagreement is a 复查 request (the case
#: then reads 复查中 and is unfinished again), not a reason to record anything more on the answered matter.
UNFINISHED_STATES = frozenset(CaseState) - CONCLUDED_STATES

OUTCOMES = ("予以支持", "解释说明", "不予支持")

_ANY_OPEN = frozenset(CaseState) - FINAL_STATES
_AFTER_ANSWER = frozenset(
    {
        CaseState.ANSWERED,
        CaseState.REVIEW_REQUESTED,
        CaseState.REVIEWED,
        CaseState.REREVIEW_REQUESTED,
        CaseState.CONCLUDED,
        CaseState.SETTLED,
    }
)

#: event type -> (states it may follow, resulting state or None to keep the state)
TRANSITIONS: Mapping[EventType, tuple[frozenset[CaseState], CaseState | None]] = {
    EventType.CLASSIFIED: (frozenset({CaseState.REGISTERED}), None),
    EventType.NOTIFIED: (frozenset(CaseState), None),
    EventType.TRANSFERRED: (frozenset({CaseState.REGISTERED}), CaseState.TRANSFERRED),
    EventType.ASSIGNED: (frozenset({CaseState.REGISTERED}), CaseState.ASSIGNED),
    EventType.GUIDED: (frozenset({CaseState.REGISTERED}), CaseState.GUIDED),
    EventType.OBJECTED: (frozenset({CaseState.TRANSFERRED}), CaseState.REGISTERED),
    EventType.ACCEPTED: (
        frozenset({CaseState.REGISTERED, CaseState.TRANSFERRED, CaseState.ASSIGNED}),
        CaseState.ACCEPTED,
    ),
    EventType.NOT_ACCEPTED: (
        frozenset({CaseState.REGISTERED, CaseState.TRANSFERRED, CaseState.ASSIGNED}),
        CaseState.NOT_ACCEPTED,
    ),
    EventType.EXTENDED: (frozenset({CaseState.ACCEPTED}), None),
    EventType.ANSWERED: (frozenset({CaseState.ACCEPTED}), CaseState.ANSWERED),
    EventType.DELIVERED: (
        frozenset({CaseState.ANSWERED, CaseState.REVIEWED, CaseState.CONCLUDED}),
        None,
    ),
    EventType.RATED: (_AFTER_ANSWER | {CaseState.GUIDED, CaseState.NOT_ACCEPTED}, None),
    EventType.FOLLOWED_UP: (_AFTER_ANSWER | {CaseState.GUIDED, CaseState.NOT_ACCEPTED}, None),
    EventType.REVIEW_REQUESTED: (frozenset({CaseState.ANSWERED}), CaseState.REVIEW_REQUESTED),
    EventType.REVIEW_ANSWERED: (frozenset({CaseState.REVIEW_REQUESTED}), CaseState.REVIEWED),
    EventType.REREVIEW_REQUESTED: (frozenset({CaseState.REVIEWED}), CaseState.REREVIEW_REQUESTED),
    EventType.REREVIEW_ANSWERED: (
        frozenset({CaseState.REREVIEW_REQUESTED}),
        CaseState.CONCLUDED,
    ),
    EventType.SETTLED: (frozenset({CaseState.ACCEPTED}), CaseState.SETTLED),
    EventType.LEADER_TAKEN: (_ANY_OPEN, None),
    EventType.INSTRUCTED: (_ANY_OPEN, None),
    EventType.URGED: (_ANY_OPEN, None),
    EventType.MATERIAL_ADDED: (_ANY_OPEN, None),
    EventType.RECUSED: (_ANY_OPEN, None),
    EventType.QUERY_CODE_RESET: (frozenset(CaseState), None),
}

#: What has to happen before an event can be recorded, said to the user.
_PREREQUISITE: Mapping[EventType, str] = {
    EventType.CLASSIFIED: "只能在转送、交办或受理之前分类",
    EventType.TRANSFERRED: "只有已登记、尚未处理的事项才能转送",
    EventType.ASSIGNED: "只有已登记、尚未处理的事项才能交办",
    EventType.GUIDED: "只有已登记、尚未处理的事项才能导入法定途径",
    EventType.OBJECTED: "缺少“转送”：只有已转送的事项才能提出异议",
    EventType.ACCEPTED: "缺少“登记”或“转送/交办”，或事项已经受理、不予受理",
    EventType.NOT_ACCEPTED: "事项已受理或已处理完毕，不能再作不予受理",
    EventType.EXTENDED: "缺少“受理”：只有办理中的事项才能延期",
    EventType.ANSWERED: "缺少“受理”：事项受理后才能出具处理意见书",
    EventType.DELIVERED: "缺少“答复”：尚无可送达的书面意见",
    EventType.RATED: "缺少“答复”：事项办结答复后才能评价",
    EventType.FOLLOWED_UP: "缺少“答复”：事项办结答复后才能回访",
    EventType.REVIEW_REQUESTED: "缺少“答复”：只有已答复的事项才能申请复查",
    EventType.REVIEW_ANSWERED: "缺少“复查申请”",
    EventType.REREVIEW_REQUESTED: "缺少“复查意见”：复查后才能申请复核",
    EventType.REREVIEW_ANSWERED: "缺少“复核申请”",
    EventType.SETTLED: "缺少“受理”：只有办理中的申诉求决类事项才能调解、和解",
    EventType.LEADER_TAKEN: "事项已终结，不能再包案",
    EventType.INSTRUCTED: "事项已终结，不能再批示",
    EventType.URGED: "事项已终结，无需再督办",
    EventType.MATERIAL_ADDED: "事项已终结，不能再补充材料",
    EventType.RECUSED: "事项已终结，无需再登记回避",
    EventType.QUERY_CODE_RESET: "",
    EventType.NOTIFIED: "",
}


@dataclass(frozen=True)
class DeadlinePolicy:
    """How days are counted in this deployment (a setting) and the holiday data."""

    counting: DayCounting
    calendar: HolidayCalendar

    def due(self, rule: DeadlineRule, start: date, days: int | None = None) -> Deadline:
        return compute_deadline(rule, start, self.counting, self.calendar, days)


@dataclass(frozen=True)
class Person:
    name: str
    document_type: str = ""
    id_number: str = ""
    phone: str = ""
    role: str = "信访人"  # 信访人 / 代表 / 代理人

    @classmethod
    def from_payload(cls, data: Mapping[str, Any], role: str) -> Person:
        return cls(
            name=str(data.get("name", "")),
            document_type=str(data.get("document_type", "")),
            id_number=str(data.get("id_number", "")),
            phone=str(data.get("phone", "")),
            role=role,
        )


@dataclass(frozen=True)
class CaseView:
    """The projection of one case: what every replica computes from the same events."""

    case_id: str
    case_number: str = ""
    state: CaseState = CaseState.REGISTERED
    channel: str = ""
    received_on: date | None = None
    received_at: str = ""
    hall: str = ""
    window: str = ""
    queue_number: str = ""
    registered_by: str = ""
    first_receiver: str = ""
    device_id: str = ""
    petitioner: Person = Person(name="")
    address: str = ""
    persons_count: int = 1
    persons: tuple[Person, ...] = ()
    region_code: str = ""
    topic_code: str = ""
    nature: str = ""
    purpose: str = ""
    legal_route: str = ""
    request: str = ""
    facts: str = ""
    reasons: str = ""
    public_ok: bool = False
    visit_kind: str = "初访"
    repeat_of: tuple[str, ...] = ()
    skipped_level: bool = False
    query_code_hash: str = ""
    route_kind: str = ""
    organisation_code: str = ""
    route_due: date | None = None
    routed_on: date | None = None  # the day of the last 转送/交办: the receiving unit got the matter then
    unit_due: date | None = None  # the receiving unit's 15 days from ``routed_on`` (art. 23)
    decision_due: date | None = None  # the limit of the 受理/不予受理 decision (:func:`decision_limit`)
    accepted_on: date | None = None
    handling_due: date | None = None
    extended_days: int = 0
    answered_on: date | None = None
    outcome: str = ""
    delivered_on: date | None = None
    review_request_due: date | None = None
    review_answer_due: date | None = None
    rereview_request_due: date | None = None
    rereview_answer_due: date | None = None
    rating: str = ""
    leader: str = ""
    leader_unit: str = ""
    leader_due: date | None = None
    next_due: date | None = None
    next_due_rule: str = ""
    deadlines_verified: bool = True
    flags: tuple[str, ...] = ()
    accused_org_codes: tuple[str, ...] = ()
    recused: tuple[str, ...] = ()  # actor ids of staff recused from this case (条例第二十八条)
    anomalies: tuple[str, ...] = ()
    event_count: int = 0
    last_hlc: str = ""
    extras: Mapping[str, Any] = field(default_factory=dict)

    @property
    def needs_supervisor(self) -> bool:
        return bool(self.anomalies)

    @property
    def is_final(self) -> bool:
        return self.state in FINAL_STATES


def _evolve(view: CaseView, changes: Mapping[str, Any]) -> CaseView:
    """``dataclasses.replace`` without re-running ``__init__`` over sixty fields.

    The fold evolves a view once per event, millions of times when demo data or
    a rebuild folds every case, and ``replace`` dominated that cost. Only known
    field names may be changed.
    """
    unknown = set(changes) - _FIELD_NAMES
    if unknown:
        raise TypeError(f"CaseView has no fields {sorted(unknown)}")
    new = object.__new__(CaseView)
    new.__dict__.update(view.__dict__)
    new.__dict__.update(changes)
    return new


def _date(value: Any) -> date:
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


_FIELD_NAMES = frozenset(f.name for f in fields(CaseView))

#: The events that hand the matter to a receiving unit (art. 22), and the payload key of their date.
_ROUTED = frozenset({EventType.TRANSFERRED, EventType.ASSIGNED})
ROUTED_ON = "routed_on"


def routed_day(event: Event) -> date:
    """The day a 转送/交办 was made: its ``routed_on`` (recorded since the receiving unit's limits are kept);
    for one recorded before, the older ``assigned_on`` or else the day of its clock time, in China."""
    for key in (ROUTED_ON, "assigned_on"):
        if event.payload.get(key):
            try:
                return _date(event.payload[key])
            except (TypeError, ValueError):
                break  # not a date (the schema refuses one since): the clock's day
    return china_day(Hlc.parse(event.hlc).wall_ms)


#: The payload key of the day an extension was decided (approved by the organisation's head, art. 34).
EXTENDED_ON = "extended_on"


def extension_day(event: Event) -> date:
    """The day an extension was decided: its ``extended_on``; for one recorded before that was kept, the day of
    its clock time, in China (the day it was recorded)."""
    if event.payload.get(EXTENDED_ON):
        try:
            return _date(event.payload[EXTENDED_ON])
        except (TypeError, ValueError):
            pass  # not a date (the schema refuses one): the clock's day
    return china_day(Hlc.parse(event.hlc).wall_ms)


def extension_refusal(view: CaseView, day: date) -> RuleViolation | None:
    """Why the case cannot be extended on ``day`` (None: it can, as far as the day goes).

    An extension (art. 34) lengthens a limit still running: it is decided within the handling
    limit, its last day included, counted as every deadline of the case is (calendar or working
    days, the holiday schedule and its make-up working days). Once the limit has passed the case is
    overdue (超期) and stays so for supervision; it is concluded, not extended.
    """
    if view.handling_due is not None and day > view.handling_due:
        return RuleViolation("extension_after_due",
                             f"已超过办理期限（{date_in_words(view.handling_due)}），不能再延期："
                             "延期须在办理期限内经负责人批准（条例第三十四条）；请尽快办结，超期情况将纳入督办")
    return None


def check_extended_on(payload: Mapping[str, Any], today: date) -> None:
    """An extension recorded after the fact names the day the head approved it, never one still to come."""
    if payload.get(EXTENDED_ON):
        _check_date(payload[EXTENDED_ON], "批准延期日期")
        if _date(payload[EXTENDED_ON]) > today:
            raise RuleViolation("extended_in_future",
                                f"批准延期日期不能晚于今天（{format_date(today)}）：请填负责人实际批准的日期")


def check_routed_on(payload: Mapping[str, Any], today: date) -> None:
    """A 转送/交办 recorded after the fact (done on paper) names its real day, never one still to come:
    the receiving unit's limits run from it (art. 23). The fold accepts any day from receipt on; the
    day it is recorded on bounds it from above."""
    if payload.get(ROUTED_ON):
        _check_date(payload[ROUTED_ON], "转送、交办日期")
        if _date(payload[ROUTED_ON]) > today:
            raise RuleViolation("routed_in_future",
                                f"转送、交办日期不能晚于今天（{format_date(today)}）：请填实际转送、交办的日期")


def check_assignment_due(payload: Mapping[str, Any], calendar: HolidayCalendar) -> None:
    """A 交办's 办理期限 is set by the bureau (art. 22): after the day of the 交办, and on a working day
    (across New Year or a 调休 week a date typed by hand easily falls on a rest day)."""
    due, routed = _date(payload["due"]), _date(payload[ROUTED_ON])
    if due <= routed:
        raise ValidationError("assign_due_too_early",
                              f"办理期限{format_date(due)}须晚于交办日期{format_date(routed)}", "due")
    if not calendar.is_workday(due):
        later = due + timedelta(days=1)
        while not calendar.is_workday(later):
            later += timedelta(days=1)
        raise ValidationError("assign_due_rest_day", f"办理期限{format_date(due)}是{calendar.rest_reason(due)}，"
                              f"请定在工作日，如{format_date(later)}", "due")


def check_transition(view: CaseView | None, event_type: EventType, payload: Mapping[str, Any],
                     policy: DeadlinePolicy) -> None:
    """Refuse an event the Regulations' order does not allow, naming what is missing."""
    if event_type is EventType.REGISTERED:
        if view is not None:
            raise RuleViolation("already_registered", "该事项已经登记，不能重复登记")
        return
    if view is None:
        raise RuleViolation("not_registered", "缺少“登记”：事项尚未登记")
    allowed, _ = TRANSITIONS[event_type]
    if view.state not in allowed:
        missing = _PREREQUISITE.get(event_type) or "当前状态不允许此操作"
        raise RuleViolation(
            "out_of_order",
            f"不能“{event_type.value}”：{missing}（当前状态：{view.state.value}）",
        )
    _check_payload_values(event_type, payload)
    _check_payload_rules(view, event_type, payload, policy)


#: The dates each decision must carry, with their names for the user.
_REQUIRED_DATES: Mapping[EventType, tuple[str, str]] = {
    EventType.ACCEPTED: ("accepted_on", "受理日期"),
    EventType.ANSWERED: ("answered_on", "答复日期"),
    EventType.REVIEW_ANSWERED: ("answered_on", "复查意见日期"),
    EventType.REREVIEW_ANSWERED: ("answered_on", "复核意见日期"),
    EventType.DELIVERED: ("delivered_on", "送达日期"),
    EventType.REVIEW_REQUESTED: ("requested_on", "申请日期"),
    EventType.REREVIEW_REQUESTED: ("requested_on", "申请日期"),
    EventType.ASSIGNED: ("due", "办理期限"),
}
#: Dates outside these years are typing mistakes (and keep deadline arithmetic in range).
EARLIEST_YEAR, LATEST_YEAR = 1990, 2200


def _check_date(value: Any, label: str) -> None:
    try:
        day = _date(value)
    except (TypeError, ValueError):
        raise RuleViolation("bad_date", f"{label}不是有效的日期（应为 年-月-日，如 2026-11-24）") from None
    if not EARLIEST_YEAR <= day.year <= LATEST_YEAR:
        raise RuleViolation("bad_date", f"{label}{day.year}年{day.month}月{day.day}日不在合理范围内"
                                       f"（{EARLIEST_YEAR}–{LATEST_YEAR}年）")


def _check_payload_values(event_type: EventType, payload: Mapping[str, Any]) -> None:
    """Malformed values are refused with a message, never left to crash the fold."""
    required = _REQUIRED_DATES.get(event_type)
    if required is not None:
        key, label = required
        if payload.get(key) in (None, ""):
            raise RuleViolation("missing_date", f"缺少{label}")
        _check_date(payload[key], label)
    if event_type is EventType.LEADER_TAKEN and payload.get("due"):
        _check_date(payload["due"], "办理期限")
    if event_type in _ROUTED and payload.get(ROUTED_ON):
        _check_date(payload[ROUTED_ON], "转送、交办日期")
    if event_type is EventType.EXTENDED:
        if payload.get(EXTENDED_ON):
            _check_date(payload[EXTENDED_ON], "批准延期日期")
        days = payload.get("days")
        if isinstance(days, bool) or not isinstance(days, int | str):
            raise RuleViolation("bad_days", "延期天数须为整数")
        try:
            int(days)
        except ValueError:
            raise RuleViolation("bad_days", "延期天数须为整数") from None


#: The decisions that need the case's class (建议意见类, 检举控告类 or 申诉求决类) first.
NEEDS_NATURE: Final = frozenset({EventType.TRANSFERRED, EventType.ASSIGNED, EventType.GUIDED, EventType.ACCEPTED})


def classification_refusal(view: CaseView, event_type: EventType) -> RuleViolation | None:
    """Why ``event_type`` cannot be recorded on an unclassified case (None when its class is not needed or known):
    refused on recording, and said beside the step before the clerk opens its dialog."""
    if event_type in NEEDS_NATURE and not view.nature:
        return RuleViolation(
            "not_classified",
            f"不能“{event_type.value}”：缺少“分类”，请先确定建议意见类、检举控告类或申诉求决类",
        )
    return None


def _check_payload_rules(view: CaseView, event_type: EventType, payload: Mapping[str, Any],
                         policy: DeadlinePolicy) -> None:
    unclassified = classification_refusal(view, event_type)
    if unclassified is not None:
        raise unclassified
    if event_type is EventType.RECUSED and (not str(payload.get("staff_id", "")).strip()
                                            or not str(payload.get("reason", "")).strip()):
        raise RuleViolation("recusal_incomplete", "登记回避须写明回避的工作人员和回避事由（条例第二十八条）")
    if event_type is EventType.QUERY_CODE_RESET and not str(payload.get("query_code_hash", "")).startswith("v1$"):
        raise RuleViolation("bad_query_code_hash", "重置查询码缺少新查询码的散列")
    if event_type in _ROUTED and payload.get(ROUTED_ON) and view.received_on is not None \
            and _date(payload[ROUTED_ON]) < view.received_on:
        raise RuleViolation("routed_before_received",
                            f"转送、交办日期不能早于收到信访事项的日期（{format_date(view.received_on)}）")
    if event_type is EventType.ASSIGNED and not payload.get("due"):
        raise RuleViolation("assign_without_due", "交办须设定办理期限（条例第二十二条）")
    if event_type is EventType.EXTENDED:
        if view.extended_days:
            raise RuleViolation("already_extended", "该事项已经延期，延长期限合计不得超过30日")
        days = int(payload.get("days", 0))
        if not 1 <= days <= EXTENSION_MAX.days:
            raise RuleViolation("extension_too_long",
                                "延期不得超过30日（《信访工作条例》第三十四条）")
        if not str(payload.get("reason", "")).strip() or not payload.get("approved_by"):
            raise RuleViolation("extension_unapproved",
                                "延期须写明理由并经本机关负责人批准（条例第三十四条）")
        if payload.get(EXTENDED_ON) and (late := extension_refusal(view, _date(payload[EXTENDED_ON]))) is not None:
            raise late
    answers = (EventType.ANSWERED, EventType.REVIEW_ANSWERED, EventType.REREVIEW_ANSWERED)
    if event_type in answers and payload.get("outcome") not in OUTCOMES:
        raise RuleViolation("bad_outcome", "处理意见须为“予以支持”“解释说明”或“不予支持”之一")
    if event_type is EventType.SETTLED and view.nature != "申诉求决类":
        raise RuleViolation("settle_not_appeal", "只有申诉求决类事项可以调解、和解（条例第三十三条）")
    if event_type in (EventType.REVIEW_REQUESTED, EventType.REREVIEW_REQUESTED):
        if view.delivered_on is None:
            raise RuleViolation("not_delivered",
                                "缺少“送达”：须先登记信访人收到书面意见的日期，才能计算申请期限")
        due = (view.review_request_due if event_type is EventType.REVIEW_REQUESTED
               else view.rereview_request_due)
        requested = _date(payload["requested_on"])
        if due is not None and requested > due:
            what = "复查" if event_type is EventType.REVIEW_REQUESTED else "复核"
            raise RuleViolation(
                "request_too_late",
                f"已超过申请{what}的期限（收到书面意见之日起30日，截至{format_date(due)}）",
            )


def project(case_id: str, events: Iterable[Event], policy: DeadlinePolicy) -> CaseView:
    """Fold a case's events, in clock order, into its view.

    Events are never dropped: one that the order does not allow at its place
    (an out-of-order arrival through sync, or two conflicting decisions made
    offline) is recorded as an anomaly for a supervisor and otherwise skipped.
    """
    ordered = sorted(events, key=lambda e: e.sort_key)
    view: CaseView | None = None
    anomalies: list[str] = []
    for event in ordered:
        if event.schema_version > PAYLOAD_SCHEMA_VERSION:
            raise RuleViolation(
                "newer_schema",
                f"事项事件的数据版本（{event.schema_version}）比本程序新，请先升级程序",
            )
        payload = event.payload
        if event.type is EventType.EXTENDED and not payload.get(EXTENDED_ON):
            # recorded before the decision day was kept: the day it was recorded is when it was decided
            payload = {**payload, EXTENDED_ON: extension_day(event).isoformat()}
        try:
            check_transition(view, event.type, payload, policy)
        except RuleViolation as refusal:
            anomalies.append(f"{event.hlc[:13]} {event.type.value}：{refusal.message}")
            if view is None:
                view = CaseView(case_id=case_id)
            view = _evolve(view, {"event_count": view.event_count + 1, "last_hlc": event.hlc})
            continue
        view = _apply(view, event, policy)
    if view is None:
        raise RuleViolation("no_events", "没有找到该事项的任何记录")
    view = _with_next_due(_evolve(view, {"anomalies": tuple(anomalies)}))
    # The deadline waited on now was counted over a year whose holiday schedule is known (else over weekends
    # only, "未经核实"); a deadline spans at most a few months, so its own year is the one that can be unknown.
    due = view.next_due
    return _evolve(view, {"deadlines_verified": due is None or policy.calendar.knows_year(due.year)})


def _apply(view: CaseView | None, event: Event, policy: DeadlinePolicy) -> CaseView:
    p = event.payload
    if event.type is EventType.REGISTERED:
        return _registered(event, policy)
    assert view is not None
    _, to_state = TRANSITIONS[event.type]
    changes: dict[str, Any] = {
        "event_count": view.event_count + 1,
        "last_hlc": event.hlc,
    }
    if to_state is not None:
        changes["state"] = to_state
    t = event.type
    if t is EventType.CLASSIFIED:
        changes.update(
            nature=str(p.get("nature", "")),
            topic_code=str(p.get("topic_code", view.topic_code)),
            legal_route=str(p.get("legal_route", "")),
            region_code=str(p.get("region_code", view.region_code)),
            accused_org_codes=tuple(str(c) for c in p.get("accused_org_codes", ())),
        )
    elif t in (EventType.TRANSFERRED, EventType.ASSIGNED, EventType.GUIDED):
        changes.update(route_kind=str(p.get("route_kind", t.value)),
                       organisation_code=str(p.get("organisation_code", "")))
        if t in _ROUTED:
            routed = routed_day(event)
            changes.update(routed_on=routed, unit_due=policy.due(UNIT_NOTIFY, routed).due)
        if t is EventType.ASSIGNED:
            changes["leader_due"] = _date(p["due"])
    elif t is EventType.OBJECTED:  # the unit handed it back: its limits no longer run, the bureau routes again
        changes.update(route_kind="", organisation_code="", routed_on=None, unit_due=None)
    elif t is EventType.ACCEPTED:
        accepted = _date(p["accepted_on"])
        changes.update(accepted_on=accepted,
                       handling_due=policy.due(HANDLE, accepted).due,
                       organisation_code=str(p.get("organisation_code") or view.organisation_code))
    elif t is EventType.EXTENDED:
        days = int(p["days"])
        assert view.accepted_on is not None
        base = policy.due(HANDLE, view.accepted_on).due
        changes.update(extended_days=days,
                       handling_due=policy.due(EXTENSION_MAX, base, days).due)
    elif t in (EventType.ANSWERED, EventType.REVIEW_ANSWERED, EventType.REREVIEW_ANSWERED):
        changes.update(answered_on=_date(p["answered_on"]), outcome=str(p["outcome"]),
                       delivered_on=None)
    elif t is EventType.DELIVERED:
        delivered = _date(p["delivered_on"])
        changes["delivered_on"] = delivered
        if view.state is CaseState.ANSWERED:
            changes["review_request_due"] = policy.due(REVIEW_REQUEST, delivered).due
        elif view.state is CaseState.REVIEWED:
            changes["rereview_request_due"] = policy.due(REREVIEW_REQUEST, delivered).due
    elif t is EventType.REVIEW_REQUESTED:
        changes["review_answer_due"] = policy.due(REVIEW_ANSWER, _date(p["requested_on"])).due
    elif t is EventType.REREVIEW_REQUESTED:
        changes["rereview_answer_due"] = policy.due(
            REREVIEW_ANSWER, _date(p["requested_on"])).due
    elif t is EventType.RATED:
        changes["rating"] = str(p.get("rating", ""))
    elif t is EventType.LEADER_TAKEN:
        changes.update(leader=str(p.get("leader", "")), leader_unit=str(p.get("unit", "")))
        if p.get("due"):
            changes["leader_due"] = _date(p["due"])
    elif t is EventType.SETTLED:
        changes["outcome"] = str(p.get("kind", "调解"))
    elif t is EventType.QUERY_CODE_RESET:
        changes["query_code_hash"] = str(p.get("query_code_hash", ""))
    elif t is EventType.RECUSED:
        staff = str(p.get("staff_id", ""))
        if staff and staff not in view.recused:
            changes["recused"] = (*view.recused, staff)
    return _evolve(view, changes)


def _registered(event: Event, policy: DeadlinePolicy) -> CaseView:
    p = event.payload
    received = _date(p["received_on"])
    petitioner = Person.from_payload(p.get("petitioner", {}), "信访人")
    reps = tuple(Person.from_payload(r, "代表") for r in p.get("representatives", ()))
    persons = (petitioner, *reps)
    if p.get("agent"):
        persons = (*persons, Person.from_payload(p["agent"], "代理人"))
    return CaseView(
        case_id=event.case_id,
        case_number=str(p.get("case_number", "")),
        channel=str(p.get("channel", "")),
        received_on=received,
        received_at=str(p.get("received_at", "")),
        hall=str(p.get("hall", "")),
        window=str(p.get("window", "")),
        queue_number=str(p.get("queue_number", "")),
        registered_by=event.author,
        first_receiver=event.author,
        device_id=event.device_id,
        petitioner=petitioner,
        address=str(p.get("address", "")),
        persons_count=int(p.get("persons_count", 1)),
        persons=persons,
        region_code=str(p.get("region_code", "")),
        topic_code=str(p.get("topic_code", "")),
        nature=str(p.get("nature", "")),
        purpose=str(p.get("purpose", "")),
        request=str(p.get("request", "")),
        facts=str(p.get("facts", "")),
        reasons=str(p.get("reasons", "")),
        public_ok=bool(p.get("public_ok", False)),
        visit_kind=str(p.get("visit_kind", "初访")),
        repeat_of=tuple(str(c) for c in p.get("repeat_of", ())),
        skipped_level=bool(p.get("skipped_level", False)),
        query_code_hash=str(p.get("query_code_hash", "")),
        route_due=policy.due(ROUTE, received).due,
        flags=tuple(str(f) for f in p.get("flags", ())),
        event_count=1,
        last_hlc=event.hlc,
    )


def _with_next_due(view: CaseView) -> CaseView:
    """The one deadline the case is waiting on now, for boards and alerts."""
    s = view.state
    due: date | None
    if s is CaseState.REGISTERED:
        due, rule = view.route_due, ROUTE.name
    elif s in (CaseState.TRANSFERRED, CaseState.ASSIGNED):
        # the receiving unit's own limit from the day it got the matter (art. 23); an assignment's
        # handling period (交办期限) set shorter than that comes first
        due, rule = view.unit_due, UNIT_NOTIFY.name
        if due is None:  # a route event refused by the order: the bureau's limit still stands
            due, rule = view.route_due, ROUTE.name
        if s is CaseState.ASSIGNED and view.leader_due is not None and (due is None or view.leader_due < due):
            due, rule = view.leader_due, "交办期限"
    elif s is CaseState.ACCEPTED:
        due, rule = view.handling_due, HANDLE.name
    elif s is CaseState.REVIEW_REQUESTED:
        due, rule = view.review_answer_due, REVIEW_ANSWER.name
    elif s is CaseState.REREVIEW_REQUESTED:
        due, rule = view.rereview_answer_due, REREVIEW_ANSWER.name
    else:
        due, rule = None, ""
    return _evolve(view, {"next_due": due, "next_due_rule": rule,
                          "decision_due": decision_limit(view.route_due, view.routed_on, view.unit_due)})


def route_late_days(route_due: date | None, routed_on: date | None) -> int:
    """How many days after the bureau's 15-day limit (art. 22) the case was transferred or assigned; 0 in time."""
    if route_due is None or routed_on is None:
        return 0
    return max(0, (routed_on - route_due).days)


def route_late_in_words(view_state: str, route_due: date | None, routed_on: date | None) -> str:
    """While the case waits on the unit: the bureau's late transfer as boards and the case say it (转送逾期3天,
    交办逾期3天); "" when it was in time or the case waits on no unit."""
    late = route_late_days(route_due, routed_on)
    if not late or view_state not in (CaseState.TRANSFERRED, CaseState.ASSIGNED):
        return ""
    return f"{'转送' if view_state == CaseState.TRANSFERRED else '交办'}逾期{late}天"


@dataclass(frozen=True)
class ReviewWindow:
    """The petitioner's right to ask for 复查 (after an answer) or 复核 (after a review opinion), as of a day.

    The Regulations give 30 days from the day the written opinion was received (arts. 35, 36); the last
    day is ``CaseView.review_request_due`` / ``rereview_request_due`` (a request after it is refused by
    :func:`check_transition`). ``last_day`` is None while the opinion is not delivered yet.
    """

    what: str  # 复查 / 复核
    opinion: str  # 处理意见 / 复查意见
    last_day: date | None
    open: bool

    def words(self, *, year: bool = True) -> str:
        """The window in a citizen's words: until which day, that it has passed, or that it starts on delivery."""
        days = (REVIEW_REQUEST if self.what == "复查" else REREVIEW_REQUEST).days
        if self.last_day is None:
            return f"{self.opinion}书送达后{days}日内，如不服可以向上一级机关申请{self.what}"
        day = date_in_words(self.last_day, year=year)
        if self.open:
            return f"如对{self.opinion}不服，可以在 {day} 前向上一级机关申请{self.what}"
        return f"申请{self.what}的期限（收到{self.opinion}之日起{days}日）已于{day}届满"


def review_window(state: str, delivered_on: date | None, review_request_due: date | None,
                  rereview_request_due: date | None, today: date) -> ReviewWindow | None:
    """Whether the petitioner may still ask for 复查 or 复核 on ``today``; None in any other state.

    An answered case offers 复查, a reviewed one 复核 — each within its 30 days, the last day included
    (the rule :func:`check_transition` applies to the request itself). Once that day is past nothing
    further is open: 复核 follows only a 复查 actually asked for.
    """
    if state == CaseState.ANSWERED:
        what, opinion, last = "复查", "处理意见", review_request_due
    elif state == CaseState.REVIEWED:
        what, opinion, last = "复核", "复查意见", rereview_request_due
    else:
        return None
    if delivered_on is None or last is None:
        return ReviewWindow(what, opinion, None, True)
    return ReviewWindow(what, opinion, last, today <= last)


def decision_limit(route_due: date | None, routed_on: date | None, unit_due: date | None) -> date | None:
    """The limit a 受理/不予受理 decision is held to (及时受理率, :mod:`desktop.domain.indicators`).

    A case the bureau keeps: 15 days from the hall's receipt (``route_due``). A case transferred or
    assigned in time: the receiving unit's 15 days from the day it got it (``unit_due``, art. 23). A case
    transferred or assigned late can no longer be decided in time, whatever the unit does: the bureau's
    limit (already passed when it was routed) stays its limit.
    """
    if routed_on is None or unit_due is None or route_late_days(route_due, routed_on):
        return route_due
    return unit_due


def deadline_explanations(view: CaseView, policy: DeadlinePolicy) -> list[Deadline]:
    """Every deadline of the case with how it was computed (start, rule, skipped days).

    The bureau's route limit says when the case was transferred or assigned (late or in time); the
    receiving unit's limits run from that day.
    """
    out: list[Deadline] = []
    if view.received_on:
        route = policy.due(ROUTE, view.received_on)
        out.append(route if view.routed_on is None else replace(route, done_on=view.routed_on))
    if view.routed_on:
        out.append(policy.due(UNIT_NOTIFY, view.routed_on))
        if view.state in (CaseState.TRANSFERRED, CaseState.ASSIGNED):
            out.append(policy.due(OBJECT_TRANSFER, view.routed_on))
    if view.accepted_on:
        handling = policy.due(HANDLE, view.accepted_on)
        out.append(handling)
        if view.extended_days:
            out.append(policy.due(EXTENSION_MAX, handling.due, view.extended_days))
    return out
