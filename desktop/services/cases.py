"""Decisions on a case after registration, in the order the Regulations set.

Each function records one event after ``check_transition`` has approved it; a
refused step raises :class:`RuleViolation` with a message naming what is
missing, and nothing is stored. Events that come from other devices through
sync go through ``ingest_events`` instead, which never refuses: it keeps the
event and lets the projection flag the case for a supervisor.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import CaseRow, StaffAccountRow
from desktop.domain.access import (
    ROLE_NAMES,
    ContentAccess,
    Permission,
    PermissionDenied,
    Role,
    accusation_access,
    check_may_reclassify,
    check_may_record,
    check_not_accused,
    masked_events,
    masked_view,
)
from desktop.domain.audit import AuditAction
from desktop.domain.calendar import date_near, moment_near, stamp_in_words
from desktop.domain.case import (
    EXTENDED_ON,
    ROUTED_ON,
    CaseView,
    DeadlinePolicy,
    check_assignment_due,
    check_extended_on,
    check_routed_on,
    check_transition,
    deadline_explanations,
    project,
    route_late_in_words,
)
from desktop.domain.chinatime import china_moment
from desktop.domain.classification import Channel, LegalRoute, Nature
from desktop.domain.deadlines import UNIT_NOTIFY, Deadline, due_in_words
from desktop.domain.errors import RuleViolation, ValidationError
from desktop.domain.events import Event, EventType
from desktop.domain.hlc import Hlc
from desktop.domain.numbering import generate_query_code, hash_query_code
from desktop.domain.routing import RouteProposal, check_route_allowed, propose_route
from desktop.domain.timeline import event_in_words
from desktop.services.attachments import AttachmentRef, refs_from_payload
from desktop.services.audit import audit, denied, guard
from desktop.services.context import Actor, Hall
from desktop.services.reference import load_directory, load_regions, load_taxonomy
from desktop.services.store import append_events, case_events


@dataclass(frozen=True)
class CaseDetail:
    """A case as one actor may see it: personal data masked unless revealed, accusations withheld."""

    view: CaseView
    events: tuple[Event, ...]
    deadlines: tuple[Deadline, ...]
    topic_name: str = ""
    revealed: bool = False
    content: ContentAccess = ContentAccess.FULL
    #: Who wrote each event, as people read it: ``staff:wangli`` → 王丽（接待窗口工作人员）,
    #: ``kiosk:K01`` → K01号自助终端.
    authors: Mapping[str, str] = field(default_factory=dict)
    #: 首问负责: who first received a first-time visitor, responsible until the matter ends ("" for repeats).
    first_responsible: str = ""
    #: Materials the case's events name (withheld with an accusation's content).
    attachments: tuple[AttachmentRef, ...] = ()
    #: The deadline the case waits on now, in words ("当前期限：办结期限 2026年12月8日（星期二），剩3天"; ""
    #: when it waits on none), and how loudly to say it: "overdue", "soon" (the board's 7日内到期) or "".
    due_now: str = ""
    due_level: str = ""
    #: The events in words, in their order: when (12月6日 13:40), the step, who recorded it and what it said.
    timeline: tuple[TimelineEntry, ...] = ()
    #: The hall's day the case was read on: the day a step offered on it would be taken.
    today: date | None = None
    #: 问题属地 in words (浙江省金华市浦江县白马镇); the code itself when the shipped list lacks it; "" without one.
    region_name: str = ""


@dataclass(frozen=True)
class TimelineEntry:
    """One event of a case as the case view reads it."""

    when: str  # 12月6日 13:40 (the year only when it is another year's)
    what: str  # the step: 登记, 转送, 批示…
    who: str
    text: str  # 包案领导陈志远，责任单位浦江县财政局，12月17日前办结


def unit_namer() -> Callable[[str], str]:
    """A unit's name by its code, from the organisation directory ("" for a code it does not hold)."""
    directory = load_directory()
    return lambda code: directory.get(code).name if code in directory else ""


def timeline(events: Sequence[Event], authors: Mapping[str, str], policy: DeadlinePolicy,
             today: date) -> tuple[TimelineEntry, ...]:
    """A case's events in words: each 批示, 包案, 转送 and 交办 says who must do what by when."""
    names = unit_namer()

    def day(d: date) -> str:
        return date_near(d, today)

    def notify_due(routed: date) -> date:
        return policy.due(UNIT_NOTIFY, routed).due

    return tuple(TimelineEntry(moment_near(china_moment(Hlc.parse(e.hlc).wall_ms), today),
                               e.type.value, who := authors.get(e.author, e.author),
                               event_in_words(e, names, day, full=True, notify_due=notify_due, recorded_by=who))
                 for e in events)


def _case_id(session: Session, case_ref: str) -> str:
    found = session.scalar(
        select(CaseRow.case_id).where((CaseRow.case_id == case_ref)
                                      | (CaseRow.case_number == case_ref))
    )
    if found is None:
        raise RuleViolation("case_not_found", f"未找到事项：{case_ref}")
    return found


def load_case(hall: Hall, actor: Actor, case_ref: str) -> CaseDetail:
    """The case with personal data masked; ``reveal_personal`` shows it in full (audited)."""
    guard(hall, actor, Permission.VIEW_CASE, "查看事项", case_ref)
    return _detail(hall, actor, case_ref, reveal=False)


def reveal_personal(hall: Hall, actor: Actor, case_ref: str, reason: str = "") -> CaseDetail:
    """The case with names, document numbers, phones and address in full; written to the audit log."""
    detail = revealed_unaudited(hall, actor, case_ref)
    with hall.transaction() as session:
        audit(session, hall, actor, AuditAction.VIEW_PERSONAL, detail.view.case_number,
              {"reason": reason[:200]} if reason else None)
    return detail


def revealed_unaudited(hall: Hall, actor: Actor, case_ref: str) -> CaseDetail:
    """The case in full for a caller that audits the reveal itself once it has used it (a notice issued)."""
    guard(hall, actor, Permission.REVEAL_PERSONAL, "查看完整个人信息", case_ref)
    detail = _detail(hall, actor, case_ref, reveal=True)
    if actor.actor_id in detail.view.recused:
        refusal = PermissionDenied(
            "recused", f"{actor.display_name}已对该事项登记回避，不能查看其个人信息（条例第二十八条）")
        denied(hall, actor, refusal, detail.view.case_number)
        raise refusal
    return detail


def reveal_cases(hall: Hall, actor: Actor, case_refs: Sequence[str], reason: str,
                 target: str = "") -> list[CaseDetail | None]:
    """Several cases in full (a visitor's dossier), written to the audit log as ONE deliberate reveal.

    Cases the actor is recused from stay masked (条例第二十八条); an accusation against the actor's
    own unit is ``None``, as :func:`load_case` refuses it (条例第三十条) — the others are still shown.
    ``target`` names what was opened (a dossier); the case numbers go into the entry's detail.
    """
    guard(hall, actor, Permission.REVEAL_PERSONAL, "查看完整个人信息", target)
    details: list[CaseDetail | None] = []
    for ref in case_refs:
        try:
            masked = _detail(hall, actor, ref, reveal=False)
        except PermissionDenied:  # refused and audited as such by _detail
            details.append(None)
            continue
        details.append(masked if actor.actor_id in masked.view.recused else _detail(hall, actor, ref, reveal=True))
    with hall.transaction() as session:
        audit(session, hall, actor, AuditAction.VIEW_PERSONAL, target[:200] or ",".join(case_refs)[:200],
              {"reason": reason[:200], "cases": [d.view.case_number for d in details if d is not None and d.revealed]})
    return details


def _detail(hall: Hall, actor: Actor, case_ref: str, *, reveal: bool) -> CaseDetail:
    with hall.sessions() as session:
        case_id = _case_id(session, case_ref)
        events = case_events(session, case_id)
        authors = _author_names(session, {e.author for e in events})
    view = project(case_id, events, hall.policy)
    directory = load_directory()
    try:
        content = accusation_access(actor, view, directory)
    except PermissionDenied as refusal:
        denied(hall, actor, refusal, view.case_number)
        raise
    taxonomy = load_taxonomy()
    topic = taxonomy.full_name(view.topic_code) if view.topic_code in taxonomy else view.topic_code
    deadlines = tuple(deadline_explanations(view, hall.policy))
    due_now, due_level = (due_in_words(view.next_due_rule, view.next_due, hall.today(), hall.policy.calendar)
                          if view.next_due is not None else ("", ""))
    late = route_late_in_words(view.state, view.route_due, view.routed_on)
    if due_now and late:  # the bureau's own step stays late, whatever the unit does in its time
        due_now += f"（本机关{late}）"
    shown = masked_events(events, reveal_personal=reveal, content=content)
    return CaseDetail(masked_view(view, reveal_personal=reveal, content=content), shown,
                      deadlines, topic, revealed=reveal, content=content, authors=authors,
                      first_responsible=_first_responsible(view, events, authors),
                      attachments=tuple(ref for e in events for ref in refs_from_payload(e.payload.get("attachments")))
                      if content is ContentAccess.FULL else (), due_now=due_now, due_level=due_level,
                      timeline=timeline(shown, authors, hall.policy, hall.today()), today=hall.today(),
                      region_name=_region_name(view.region_code) or view.region_code)


def _first_responsible(view: CaseView, events: Sequence[Event], authors: Mapping[str, str]) -> str:
    """The person who registered a first visit (首问负责制); a repeat keeps its earlier case's."""
    registered = next((e for e in events if e.type is EventType.REGISTERED), None)
    if registered is None or view.visit_kind != "初访" or not registered.author.startswith("staff:"):
        return ""
    return authors.get(registered.author, "")


_DEVICE_AUTHORS = {"kiosk": "{}号自助终端", "display": "{}号大厅显示屏", "system": "本机命令行", "device": "{}号设备"}


def _author_names(session: Session, authors: set[str]) -> dict[str, str]:
    """Event authors as people read them: staff by their names, devices by their numbers."""
    logins = {a.removeprefix("staff:") for a in authors if a.startswith("staff:")}
    names: dict[str, str] = {}
    if logins:
        for login, name, role in session.execute(
                select(StaffAccountRow.login, StaffAccountRow.display_name, StaffAccountRow.role)
                .where(StaffAccountRow.login.in_(logins))):
            try:
                names[login] = f"{name}（{ROLE_NAMES[Role(role)]}）"
            except ValueError:
                names[login] = name
    shown: dict[str, str] = {}
    for author in authors:
        kind, _sep, rest = author.partition(":")
        if kind == "staff":
            shown[author] = names.get(rest, rest)
        elif kind in _DEVICE_AUTHORS:
            shown[author] = _DEVICE_AUTHORS[kind].format(rest)
        else:
            shown[author] = author
    return shown


def record(hall: Hall, actor: Actor, case_ref: str, event_type: EventType,
           payload: Mapping[str, Any]) -> CaseView:
    """Record one decision on a case, refusing it when the order does not allow it."""
    if event_type is EventType.REGISTERED:
        raise RuleViolation("use_registration", "登记请使用登记功能")
    try:
        return _record(hall, actor, case_ref, event_type, payload)
    except PermissionDenied as refusal:
        denied(hall, actor, refusal, case_ref)
        raise


MAX_PAYLOAD_TEXT = 5000  # characters in one text of a decision (an opinion, a reason)
MAX_PAYLOAD_CODE = 32  # organisation, topic and region codes
MAX_PAYLOAD_ITEMS = 50
_CODE_KEYS = frozenset({"organisation_code", "topic_code", "region_code", "route_kind", "nature",
                        "legal_route", "outcome", "staff_id"})


def _check_payload_size(payload: Mapping[str, Any]) -> None:
    """Oversized values are refused with the limit named; nothing is stored."""
    for key, value in payload.items():
        if isinstance(value, str):
            limit = MAX_PAYLOAD_CODE * 4 if key in _CODE_KEYS else MAX_PAYLOAD_TEXT
            if len(value) > limit:
                raise ValidationError("payload_too_long", f"“{key}”过长（不超过{limit}字）", key)
            if any(ord(c) < 32 and c not in "\n\r\t" for c in value):
                raise ValidationError("payload_control_chars", f"“{key}”含有不可见的控制字符", key)
        elif isinstance(value, list | tuple):
            if len(value) > MAX_PAYLOAD_ITEMS:
                raise ValidationError("payload_too_many", f"“{key}”项目过多（不超过{MAX_PAYLOAD_ITEMS}项）", key)
            for item in value:
                if not isinstance(item, str) or len(item) > MAX_PAYLOAD_CODE:
                    raise ValidationError("payload_bad_item",
                                          f"“{key}”中有无效的编码（每项不超过{MAX_PAYLOAD_CODE}字）", key)


def _record(hall: Hall, actor: Actor, case_ref: str, event_type: EventType,
            payload: Mapping[str, Any]) -> CaseView:
    _check_payload_size(payload)
    if event_type in (EventType.TRANSFERRED, EventType.ASSIGNED) and not payload.get(ROUTED_ON):
        # the receiving unit's limits run from this day (art. 23): recorded with the event, as every date is
        payload = {**payload, ROUTED_ON: hall.today().isoformat()}
    if event_type in (EventType.TRANSFERRED, EventType.ASSIGNED):
        check_routed_on(payload, hall.today())
    if event_type is EventType.EXTENDED:
        # decided within the handling limit (art. 34): the day of the decision is kept and judged
        payload = {**payload, EXTENDED_ON: payload.get(EXTENDED_ON) or hall.today().isoformat()}
        check_extended_on(payload, hall.today())
    with hall.transaction() as session:
        case_id = _case_id(session, case_ref)
        history = case_events(session, case_id)
        current = project(case_id, history, hall.policy)
        check_may_record(actor, current, event_type, load_directory())
        reclassified = check_may_reclassify(actor, current, event_type, history)
        check_transition(current, event_type, payload, hall.policy)
        if event_type is EventType.ASSIGNED:
            check_assignment_due(payload, hall.policy.calendar)
        if event_type in (EventType.TRANSFERRED, EventType.ASSIGNED) and payload.get(
                "organisation_code"):
            _check_recipient(current, str(payload["organisation_code"]))
        if event_type is EventType.LEADER_TAKEN:  # the 包案 units are handed the case as much as a transfer's
            _check_recipients(current, [str(code) for code in payload.get("unit_codes", ())])
        event = Event(
            event_id=hall.new_id(),
            case_id=case_id,
            device_id=hall.settings.device_id,
            author=actor.actor_id,
            # after the case's latest event, even one a wrong clock stamped in the future
            hlc=str(hall.clock.tick(hall.wall_ms(), Hlc.parse(current.last_hlc) if current.last_hlc else None)),
            type=event_type,
            payload=dict(payload),
        )
        (view,) = append_events(session, [event], hall.policy)
        detail: dict[str, Any] = {"event": event_type.value, "event_id": event.event_id}
        if reclassified:  # as the server writes it when the event arrives there
            detail.update({"reclassified_accusation": True, "from": current.nature,
                           "to": str(payload.get("nature", ""))})
        audit(session, hall, actor, AuditAction.DECISION, view.case_number, detail)
    return view


def check_recipients(hall: Hall, case_ref: str, organisation_codes: Sequence[str]) -> None:
    """Refuse, before anything is recorded, handing the case to an accused organisation (条例第三十条)."""
    with hall.sessions() as session:
        case_id = _case_id(session, case_ref)
        view = project(case_id, case_events(session, case_id), hall.policy)
    _check_recipients(view, organisation_codes)


def _check_recipients(view: CaseView, organisation_codes: Sequence[str]) -> None:
    for code in organisation_codes:
        _check_in_use(code)
    if not view.nature:
        return  # not yet classified: not known as an accusation (classifying one names its accused)
    for code in organisation_codes:
        _check_recipient(view, code)


def _check_in_use(organisation_code: str) -> None:
    """A retired unit keeps the cases it was handed; nothing new is handed to it."""
    directory = load_directory()
    if organisation_code in directory and not (org := directory.get(organisation_code)).active:
        raise RuleViolation("retired_organisation",
                            f"{org.name}已于{stamp_in_words(org.retired)}撤销，不再接收新的事项，请另选单位")


def _check_recipient(view: CaseView, organisation_code: str) -> None:
    """Accusation material never goes to the accused (条例第三十条), whoever asks."""
    directory = load_directory()
    if organisation_code not in {o.code for o in directory.all()}:
        raise RuleViolation("unknown_organisation", f"机构目录中没有编码为{organisation_code}的机关")
    _check_in_use(organisation_code)
    nature = Nature(view.nature)
    check_route_allowed(directory.get(organisation_code), nature, view.accused_org_codes, directory)


def propose(hall: Hall, actor: Actor, case_ref: str, *, assign: bool = False) -> RouteProposal:
    """The competent organisation and route for a classified case (arts. 22, 24, 29–31)."""
    guard(hall, actor, Permission.HANDLE, "提出转送交办建议", case_ref)
    with hall.sessions() as session:
        case_id = _case_id(session, case_ref)
        view = project(case_id, case_events(session, case_id), hall.policy)
    check_not_accused(actor, view, load_directory())
    if not view.nature:
        raise RuleViolation("not_classified", "缺少“分类”：请先确定建议意见类、检举控告类或申诉求决类")
    return propose_route(
        nature=Nature(view.nature), topic_code=view.topic_code, region_code=view.region_code,
        channel=Channel(view.channel), directory=load_directory(), taxonomy=load_taxonomy(),
        bureau_code=hall.settings.bureau_code,
        legal_route=LegalRoute(view.legal_route) if view.legal_route else None,
        accused_org_codes=view.accused_org_codes, assign=assign, region_name=_region_name(view.region_code))


def _region_name(code: str) -> str:
    """A division in words (浙江省金华市义乌市), "" when the shipped list does not know it."""
    regions = load_regions()
    return regions.full_name(code) if code in regions else ""


def ingest_events(hall: Hall, actor: Actor, events: Sequence[Event]) -> list[CaseView]:
    """Store events made elsewhere (sync): idempotent, never refused, conflicts flagged."""
    guard(hall, actor, Permission.MAINTAIN_DATA, "导入其他设备的记录")
    for event in events:
        hall.clock.observe(Hlc.parse(event.hlc), hall.wall_ms())
    with hall.transaction() as session:
        return append_events(session, events, hall.policy)


def reset_query_code(hall: Hall, actor: Actor, case_ref: str) -> str:
    """A new query code for a lost receipt; the old one stops working. Returned once, stored hashed."""
    code = generate_query_code()
    record(hall, actor, case_ref, EventType.QUERY_CODE_RESET,
           {"query_code_hash": hash_query_code(code, hall.secrets.query_code_pepper, secrets.token_bytes(8))})
    return code


# Convenience wrappers: one per step, naming the payload the step needs.

def classify(hall: Hall, actor: Actor, case_ref: str, *, nature: str, topic_code: str,
             legal_route: str = "", region_code: str | None = None,
             accused_org_codes: Sequence[str] = ()) -> CaseView:
    try:
        Nature(nature)
        if legal_route:
            LegalRoute(legal_route)
    except ValueError:
        raise RuleViolation("bad_classification", f"未知的性质或法定途径：{nature} {legal_route}") from None
    payload: dict[str, Any] = {"nature": nature, "topic_code": topic_code,
                               "legal_route": legal_route,
                               "accused_org_codes": list(accused_org_codes)}
    if region_code:
        payload["region_code"] = region_code
    return record(hall, actor, case_ref, EventType.CLASSIFIED, payload)


def accept(hall: Hall, actor: Actor, case_ref: str, *, accepted_on: date,
           organisation_code: str = "") -> CaseView:
    return record(hall, actor, case_ref, EventType.ACCEPTED,
                  {"accepted_on": accepted_on.isoformat(), "organisation_code": organisation_code})


def extend(hall: Hall, actor: Actor, case_ref: str, *, days: int, reason: str,
           approved_by: str, extended_on: date | None = None) -> CaseView:
    """Extend the handling limit (art. 34), decided on ``extended_on`` (today when not given): refused once
    the limit has passed (:func:`desktop.domain.case.extension_refusal`)."""
    payload: dict[str, Any] = {"days": days, "reason": reason, "approved_by": approved_by}
    if extended_on is not None:
        payload[EXTENDED_ON] = extended_on.isoformat()
    return record(hall, actor, case_ref, EventType.EXTENDED, payload)


def answer(hall: Hall, actor: Actor, case_ref: str, *, outcome: str, answered_on: date,
           event_type: EventType = EventType.ANSWERED, text: str = "") -> CaseView:
    return record(hall, actor, case_ref, event_type,
                  {"outcome": outcome, "answered_on": answered_on.isoformat(), "text": text})


def deliver(hall: Hall, actor: Actor, case_ref: str, *, delivered_on: date) -> CaseView:
    return record(hall, actor, case_ref, EventType.DELIVERED,
                  {"delivered_on": delivered_on.isoformat()})


def request_review(hall: Hall, actor: Actor, case_ref: str, *, requested_on: date,
                   rereview: bool = False) -> CaseView:
    kind = EventType.REREVIEW_REQUESTED if rereview else EventType.REVIEW_REQUESTED
    return record(hall, actor, case_ref, kind, {"requested_on": requested_on.isoformat()})
