"""Leader reception days on the day and after (访中会商研究, 访后限期办结).

* The briefing dossier of an appointment: the visitor's earlier cases with their events,
  deadlines, documents, attachments and responsible units, and the clerks' notes. Shown masked;
  revealing it in full is one deliberate act, written to the audit log once.
* The leader's decision: 批示 and the decision, and for a hard case 包案 — the leader in charge
  (the signed-in leader), the responsible unit(s) from the directory and the deadline
  (访后限期办结, ``leader_follow_up_days`` by default) — recorded as events on the case, and
  the 领导接访交办单 issued with the leader's name filled in.
* After the day: the board of every case a leader has taken on, 督办 reminders recorded as
  events, 积案 by the configurable rule, and the statistics per leader and day.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import JSON, and_, case, cast, func, select
from sqlalchemy.orm import Session

from db.models import AppointmentRow, CaseRow, DossierNoteRow, EventRow, ReceptionDayRow
from desktop.documents.model import DocumentKind, RenderedDocument
from desktop.documents.render import render
from desktop.documents.text import plain_date, plain_datetime
from desktop.domain.access import Permission, PermissionDenied
from desktop.domain.case import CONCLUDED_STATES, FINAL_STATES, CaseView
from desktop.domain.chinatime import china_day
from desktop.domain.deadlines import DayCounting, format_date
from desktop.domain.errors import RuleViolation, ValidationError
from desktop.domain.events import Event, EventType
from desktop.domain.hlc import Hlc
from desktop.domain.identity import mask_id_number, mask_name, mask_phone
from desktop.domain.indicators import SATISFIED_RATINGS
from desktop.domain.reception import (
    BacklogRule,
    check_decision_day,
    due_note,
    follow_up_due,
    leader_case_concluded,
)
from desktop.domain.timeline import event_in_words
from desktop.services import cases, documents, hallrecords
from desktop.services.attachments import AttachmentRef
from desktop.services.audit import guard
from desktop.services.cases import CaseDetail, unit_namer
from desktop.services.context import Actor, Hall
from desktop.services.printing import print_log
from desktop.services.reception import (
    RECEIVED,
    Appointment,
    appointment_view,
    by,
    case_requests,
    day_row,
    day_view,
)
from desktop.services.reference import load_directory
from desktop.services.registration import earlier_cases

# -- the briefing dossier -------------------------------------------------------------------------


@dataclass(frozen=True)
class DossierEvent:
    when: str  # 2026年9月16日
    what: str  # the step: 登记, 受理, 批示…
    who: str
    text: str


@dataclass(frozen=True)
class DossierCase:
    case_number: str
    received_on: date | None
    state: str
    topic: str
    request: str
    unit: str  # the responsible unit, by name
    next_due: date | None
    next_due_rule: str
    leader: str
    leader_due: date | None
    events: tuple[DossierEvent, ...]
    documents: tuple[str, ...]
    #: The materials the case names, as the case screen has them (opened from the dossier the same way); none
    #: where the case screen would show none (an accusation's content withheld from this reader)
    attachments: tuple[AttachmentRef, ...]
    withheld: bool = False  # an accusation the reader may not see: its content is left out
    leader_since: date | None = None  # the day the leader took it on (包案), its first 包案
    leader_current: bool = False  # the 包案 still runs: not concluded since it was taken on (the board's rule)


@dataclass(frozen=True)
class DossierNote:
    at: str
    author: str
    text: str


@dataclass(frozen=True)
class Dossier:
    appointment: Appointment
    id_number: str
    phone: str
    cases: tuple[DossierCase, ...]
    notes: tuple[DossierNote, ...]
    revealed: bool

    @property
    def history(self) -> str:
        """The visitor's history in one sentence, read before they sit down (the cases follow, newest first)."""
        return history_in_words(self.cases, self.appointment.case_number)


def history_in_words(shown: Sequence[DossierCase], current: str) -> str:
    """共5件（含本次事项）：在办2件、已答复3件；责任单位：…；由…包案（12月7日起）；曾由…包案；评价不满意1件.

    A 包案 still running reads 由…包案 with the day it began; one concluded since reads 曾由…包案. "" without cases."""
    if not shown:
        return ""
    states: dict[str, int] = {}
    for c in shown:
        if not c.withheld:
            states[c.state] = states.get(c.state, 0) + 1
    withheld = sum(1 for c in shown if c.withheld)
    parts = ["、".join(f"{state}{n}件" for state, n in states.items())
             + (f"{'、' if states else ''}无权查看内容的检举控告{withheld}件" if withheld else "")]
    units = list(dict.fromkeys(c.unit for c in shown if c.unit))
    if units:
        parts.append("责任单位：" + "、".join(units))
    running = list(dict.fromkeys(f"由{c.leader}包案（{plain_date(c.leader_since)}起）" if c.leader_since
                                 else f"由{c.leader}包案" for c in shown if c.leader and c.leader_current))
    parts.extend(running)
    ended = list(dict.fromkeys(c.leader for c in shown if c.leader and not c.leader_current))
    if ended:
        parts.append("曾由" + "、".join(ended) + "包案")
    unhappy = sum(1 for c in shown if any(e.what == EventType.RATED.value and e.text.startswith("不满意")
                                          for e in c.events))
    if unhappy:
        parts.append(f"评价不满意{unhappy}件")
    mine = "（含本次事项）" if any(c.case_number == current for c in shown) else ""
    return f"共{len(shown)}件{mine}：" + "；".join(parts)


def dossier(hall: Hall, actor: Actor, appointment_id: str, *, reveal: bool = False) -> Dossier:
    """The visitor's dossier, masked; ``reveal`` shows names, ID numbers and phones in full — audited once."""
    guard(hall, actor, Permission.VIEW_CASE, "查看接访预案")
    with hall.sessions() as session:
        row = _appointment_row(session, appointment_id)
        day = day_view(session, day_row(session, row.day_id))
        request = case_requests(session, [row.case_number]).get(row.case_number, "")
        earlier = earlier_cases(session, row.id_number, row.name, row.phone, limit=30)
        notes = tuple(DossierNote(plain_datetime(datetime.fromisoformat(n.at)), n.author_name, n.text)
                      for n in session.scalars(select(DossierNoteRow).where(
                          DossierNoteRow.appointment_id == appointment_id).order_by(DossierNoteRow.at)))
    refs = [e.case_number for e in earlier]
    details: list[CaseDetail | None]
    if reveal:
        details = cases.reveal_cases(hall, actor, refs, "领导接访预案",
                                     f"接访预案 {row.name[:1]}* {day.day.month}月{day.day.day}日")
    else:
        details = [_masked(hall, actor, ref) for ref in refs]
    shown = tuple(_dossier_case(hall, actor, ref, d) for ref, d in zip(refs, details, strict=True))
    return Dossier(appointment_view(row, day, full=reveal, case_request=request),
                   row.id_number if reveal else mask_id_number(row.id_number),
                   (row.phone if reveal else mask_phone(row.phone)) if row.phone else "", shown, notes, reveal)


def _masked(hall: Hall, actor: Actor, ref: str) -> CaseDetail | None:
    try:
        return cases.load_case(hall, actor, ref)
    except PermissionDenied:
        return None  # an accusation this reader may not see


def _dossier_case(hall: Hall, actor: Actor, ref: str, detail: CaseDetail | None) -> DossierCase:
    if detail is None:
        return DossierCase(ref, None, "", "", "（检举控告事项，无权查看内容）", "", None, "", "", None, (), (), (),
                           withheld=True)
    view = detail.view
    directory = load_directory()
    unit = (directory.get(view.organisation_code).name if view.organisation_code in directory
            else view.leader_unit)
    events = tuple(_dossier_event(e, detail.authors) for e in detail.events)
    try:
        printed = tuple(f"{j.title} {j.document_number}（{plain_date(date.fromisoformat(j.at[:10]))}，{j.status_text}）"
                        .replace(" （", "（") for j in print_log(hall, actor, view.case_number))
    except PermissionDenied:
        printed = ()
    taken = [china_day(Hlc.parse(e.hlc).wall_ms) for e in detail.events if e.type is EventType.LEADER_TAKEN]
    current = bool(view.leader) and bool(taken) and not leader_case_concluded(view.state.value, view.answered_on,
                                                                              taken[-1])
    return DossierCase(view.case_number, view.received_on, view.state.value, detail.topic_name, view.request, unit,
                       view.next_due, view.next_due_rule, view.leader, view.leader_due, events, printed,
                       detail.attachments, leader_since=taken[0] if taken else None, leader_current=current)


def _dossier_event(event: Event, authors: Mapping[str, str]) -> DossierEvent:
    when = plain_date(china_day(Hlc.parse(event.hlc).wall_ms))
    text = event_in_words(event, unit_namer(), plain_date)
    who = authors.get(event.author, "")
    if not who or who == event.author.partition(":")[2]:  # an account this PC does not know: no login shown
        who = "工作人员" if event.author.startswith("staff:") else ""
    return DossierEvent(when, event.type.value, who, text[:120])


def annotate(hall: Hall, actor: Actor, appointment_id: str, text: str) -> DossierNote:
    """A clerk's note on the dossier (what the visitor said on the phone, what to prepare)."""
    guard(hall, actor, Permission.REGISTER, "批注接访预案", alternatives=(Permission.HANDLE, Permission.LEADER_DECIDE))
    text = text.strip()
    if not text or len(text) > 1000:
        raise ValidationError("note", "批注不能为空，且不超过1000字", "text")
    now = hall.now().replace(microsecond=0)
    if hallrecords.remote_of(hall) is not None:
        hallrecords.ask(hall, "/records/notes", {"appointment_id": appointment_id, "text": text, **by(actor)})
        return DossierNote(plain_datetime(now), actor.display_name, text)
    with hall.transaction() as session:
        _appointment_row(session, appointment_id)
        session.add(DossierNoteRow(note_id=hall.new_id(), appointment_id=appointment_id,
                                   at=now.isoformat(timespec="seconds"), author=actor.actor_id,
                                   author_name=actor.display_name, text=text))
    return DossierNote(plain_datetime(now), actor.display_name, text)


#: The marks a text of the brief loses at its end: the brief puts its own full stop after it.
_OWN_STOP = "。.；;，, "


def briefing_document(hall: Hall, actor: Actor, appointment_id: str) -> RenderedDocument:
    """The dossier as an A4 brief for the leader; names in full when the reader may see them (audited once)."""
    guard(hall, actor, Permission.PRINT, "打印接访情况简报")
    d = dossier(hall, actor, appointment_id, reveal=actor.may(Permission.REVEAL_PERSONAL))
    a = d.appointment
    lines = []
    for c in d.cases:
        if c.withheld:
            lines.append(f"{c.case_number}：{c.request}")
            continue
        # each step's words without their own full stop: the brief puts its own after them (依法答复。。)
        steps = "；".join(f"{e.when}{e.what}{('：' + e.text.rstrip(_OWN_STOP)) if e.text else ''}"
                         for e in c.events[-6:])
        if len(c.events) > 6:  # a long history: the brief says that earlier steps are left out
            steps = f"（此前{len(c.events) - 6}步从略）{steps}"
        due = f"；当前期限{plain_date(c.next_due)}（{c.next_due_rule}）" if c.next_due else ""
        request = c.request[:150].rstrip(_OWN_STOP)  # the brief puts its own full stop after it
        lines.append(f"{c.case_number}（{plain_date(c.received_on) if c.received_on else ''}登记，{c.state}"
                     f"{'，责任单位' + c.unit if c.unit else ''}{due}）诉求：{request}。办理经过：{steps}"
                     f"{'。文书：' + '、'.join(c.documents[:4]) if c.documents else ''}"
                     f"{'。材料：' + '、'.join(a.name for a in c.attachments[:4]) if c.attachments else ''}")
    data = {"hall_name": hall.settings.hall_name, "issuing_organisation": hall.settings.issuing_organisation,
            "seal_text": hall.settings.seal_text, "header_red": hall.settings.document_header_red,
            "document_number": "", "issued_on": hall.today().isoformat(), "reception_on": a.day.isoformat(),
            "slot": a.slot_label, "petitioner_name": a.name, "persons_count": a.persons_count,
            "summary": a.summary, "case_count": len(d.cases),
            "history": d.history, "cases_text": "\n".join(lines) or "无此前信访事项",
            "notes_text": "\n".join(f"{n.author}（{n.at}）：{n.text}" for n in d.notes),
            "case_number": a.case_number}
    return render(DocumentKind.RECEPTION_BRIEF, data)


def _appointment_row(session: Session, appointment_id: str) -> AppointmentRow:
    row = session.get(AppointmentRow, appointment_id)
    if row is None:
        raise RuleViolation("appointment_not_found", "没有这条预约，请刷新后重试")
    return row


# -- the leader's decision --------------------------------------------------------------------------

@dataclass(frozen=True)
class Decision:
    case_number: str
    view: CaseView
    due: date | None
    unit_names: tuple[str, ...]
    note: str = ""  # what to check about the deadline (a rest day, a year without holiday data)


def deadline_note(hall: Hall, due: date) -> str:
    """What to check about a 包案 deadline: on a rest day, or in a year whose holidays are not imported."""
    return due_note(due, hall.policy.calendar)


def default_due(hall: Hall, reception_on: date) -> date:
    """访后限期办结: the deadline a 包案 gets unless the leader sets another."""
    return follow_up_due(reception_on, hall.settings.leader_follow_up_days,
                         DayCounting(hall.settings.day_counting), hall.policy.calendar)


def record_decision(hall: Hall, actor: Actor, appointment_id: str, *, instruction: str, decision: str = "",
                    take_on: bool = False, unit_codes: Sequence[str] = (), due: date | None = None) -> Decision:
    """批示 (and the decision) on the visitor's case; with ``take_on`` also 包案 by the signed-in leader."""
    _guard_decision(hall, actor, appointment_id)
    instruction, decision = instruction.strip(), decision.strip()
    if not instruction:
        raise ValidationError("instruction", "请填写领导批示（处理意见）", "instruction")
    with hall.sessions() as session:
        row = _appointment_row(session, appointment_id)
        reception_on = day_row(session, row.day_id).day
        case_number = row.case_number
    check_decision_day(reception_on, hall.today())
    if not case_number:
        raise RuleViolation("no_case", "该来访人还没有登记信访事项：窗口为此来访人登记后即自动关联，再记录批示")
    directory = load_directory()
    codes = list(dict.fromkeys(c for c in unit_codes if c))
    if take_on:
        if not codes:
            raise ValidationError("units", "包案须从机构目录中选择责任单位", "units")
        unknown = [c for c in codes if c not in directory]
        if unknown:
            raise ValidationError("units", "请从机构目录中选择责任单位", "units")
        due = due or default_due(hall, max(reception_on, hall.today()))
        if due <= hall.today():
            raise ValidationError("due", "办结期限须晚于今天", "due")
        cases.check_recipients(hall, case_number, codes)  # before the 批示 is recorded: all or nothing
    names = tuple(directory.get(c).name for c in codes)
    base = {"leader": actor.display_name, "reception_on": reception_on.isoformat()}
    view = cases.record(hall, actor, case_number, EventType.INSTRUCTED,
                        {**base, "text": instruction, **({"decision": decision} if decision else {})})
    if take_on:
        assert due is not None
        view = cases.record(hall, actor, case_number, EventType.LEADER_TAKEN,
                            {**base, "unit": "、".join(names)[:100], "unit_codes": codes, "due": due.isoformat()})
    mark_received(hall, actor, appointment_id, f"{instruction}{('；' + decision) if decision else ''}", take_on)
    return Decision(case_number, view, due if take_on else None, names,
                    deadline_note(hall, due) if take_on and due is not None else "")


def _guard_decision(hall: Hall, actor: Actor, appointment_id: str) -> None:
    guard(hall, actor, Permission.LEADER_DECIDE, "记录领导批示和包案", appointment_id)


def mark_received(hall: Hall, actor: Actor, appointment_id: str, decision: str, take_on: bool) -> None:
    """The appointment received, with the leader's decision (on the authority: the leader's PC asks it)."""
    _guard_decision(hall, actor, appointment_id)
    if hallrecords.remote_of(hall) is not None:
        hallrecords.ask(hall, "/records/received", {"appointment_id": appointment_id, "decision": decision[:2000],
                                                    "taken_on": take_on, **by(actor)})
        return
    with hall.transaction() as session:
        row = _appointment_row(session, appointment_id)
        row.status, row.received_at = RECEIVED, hall.now().isoformat(timespec="seconds")
        row.received_by, row.received_by_name = actor.actor_id, actor.display_name
        row.decision = decision[:2000]
        row.taken_on = row.taken_on or take_on


def assignment_form(hall: Hall, actor: Actor, case_ref: str, unit_code: str = "") -> RenderedDocument:
    """The 领导接访交办单 of a case the leader took on: leader, unit, instruction and deadline from its events."""
    raw = cases.load_case(hall, actor, case_ref).view
    if not raw.leader:
        raise RuleViolation("not_taken_on", "该事项还没有领导包案，请先记录包案（责任单位和办结期限）")
    with hall.sessions() as session:
        payloads = session.scalars(select(EventRow.payload).where(
            EventRow.case_id == raw.case_id, EventRow.type == EventType.LEADER_TAKEN.value)
            .order_by(EventRow.hlc.desc()).limit(1)).all()
    taken = json.loads(payloads[0]) if payloads else {}
    codes = taken.get("unit_codes", [])
    code = unit_code or (codes[0] if codes else "")
    fields = {"organisation_code": code} if code else {}
    if taken.get("reception_on"):
        fields["reception_on"] = str(taken["reception_on"])
    return documents.notice(hall, actor, DocumentKind.LEADER_ASSIGNMENT_FORM, case_ref, fields)


# -- after the day ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class BoardRow:
    case_number: str
    petitioner: str  # masked
    leader: str
    unit: str
    due: date | None
    days_left: int | None
    overdue: bool
    concluded: bool
    state: str
    progress: str  # the latest step, in words
    reminders: int  # 督办 recorded


def board(hall: Hall, actor: Actor) -> list[BoardRow]:
    """Every case a leader has taken on: open ones first, the most urgent on top."""
    guard(hall, actor, Permission.VIEW_CASE, "查看领导包案")
    today = hall.today()
    with hall.sessions() as session:
        rows = session.execute(select(CaseRow.case_id, CaseRow.case_number, CaseRow.petitioner_name, CaseRow.leader,
                                      CaseRow.leader_unit, CaseRow.leader_due, CaseRow.state, CaseRow.last_hlc,
                                      CaseRow.answered_on)
                               .where(CaseRow.leader != "")).all()
        ids = [r.case_id for r in rows]
        urged = dict(session.execute(select(EventRow.case_id, func.count()).where(
            EventRow.case_id.in_(ids), EventRow.type == EventType.URGED.value).group_by(EventRow.case_id)).all())
        latest = dict(session.execute(select(EventRow.case_id, EventRow.type).where(
            EventRow.case_id.in_(ids), EventRow.hlc.in_([r.last_hlc for r in rows]))).all())
        taken = dict(session.execute(select(EventRow.case_id, func.max(EventRow.hlc)).where(
            EventRow.case_id.in_(ids), EventRow.type == EventType.LEADER_TAKEN.value).group_by(EventRow.case_id)).all())
    out = []
    latest_ms: dict[str, int] = {}  # a concluded case's last step, for the newest first
    for r in rows:
        latest_ms[r.case_number] = Hlc.parse(r.last_hlc).wall_ms if r.last_hlc else 0
        taken_on = _hlc_date(taken[r.case_id]) if r.case_id in taken else None
        concluded = leader_case_concluded(r.state, r.answered_on, taken_on)
        left = (r.leader_due - today).days if r.leader_due else None
        when = plain_date(_hlc_date(r.last_hlc)) if r.last_hlc else ""
        out.append(BoardRow(r.case_number, mask_name(r.petitioner_name), r.leader, r.leader_unit, r.leader_due,
                            left, left is not None and left < 0 and not concluded, concluded, r.state,
                            f"{when} {latest.get(r.case_id, '')}".strip(), int(urged.get(r.case_id, 0))))
    # open cases by the days left, the most urgent on top; then the concluded ones, the latest concluded first
    # (oldest first, the leader read cases concluded two years ago before last week's)
    return sorted(out, key=lambda b: (b.concluded, -latest_ms[b.case_number] if b.concluded else
                                      b.days_left if b.days_left is not None else 10**6, b.case_number))


def _hlc_date(hlc: str) -> date:
    return china_day(Hlc.parse(hlc).wall_ms)


def _concluded_state(hall: Hall, case_ref: str) -> str:
    """The state of a case whose 包案 is concluded (answered since it was taken on: the board's 已办结), else ""."""
    with hall.sessions() as session:
        found = session.execute(select(CaseRow.case_id, CaseRow.state, CaseRow.answered_on)
                                .where(CaseRow.case_number == case_ref)).first()
        if found is None:
            return ""
        taken = session.scalar(select(func.max(EventRow.hlc)).where(
            EventRow.case_id == found.case_id, EventRow.type == EventType.LEADER_TAKEN.value))
    taken_on = _hlc_date(taken) if taken else None
    return found.state if leader_case_concluded(found.state, found.answered_on, taken_on) else ""


def urge(hall: Hall, actor: Actor, case_ref: str, text: str) -> CaseView:
    """督办: a reminder to the responsible unit, recorded as an event on the case (not on one the board says is
    concluded: a reminder to finish what was answered reads, in the case's record, as if it were still open)."""
    text = text.strip()
    if not text:
        raise ValidationError("text", "请填写督办意见", "text")
    if state := _concluded_state(hall, case_ref):
        raise RuleViolation("concluded", f"{case_ref}已办结（{state}），无需督办")
    return cases.record(hall, actor, case_ref, EventType.URGED,
                        {"text": text, "urged_on": hall.today().isoformat(), "leader": actor.display_name})


def reassign(hall: Hall, actor: Actor, case_ref: str, *, unit_codes: Sequence[str], due: date,
             reason: str) -> CaseView:
    """改派 a case a leader took on: other units (none given: the same ones) with a new deadline, and why.

    The leader in charge (包案领导) stays whoever reassigns it.

    After the reception day the leader follows the case from the board: a unit that lets its deadline pass is
    replaced or given more time there (the day's screen lists the days to come only). Recorded as a new 包案
    event (the board, the 交办单 and the dossier read the latest), the reason as its note.
    """
    guard(hall, actor, Permission.LEADER_DECIDE, "改派包案", case_ref)
    reason = reason.strip()
    if not reason:
        raise ValidationError("reason", "请填写改派或调整期限的理由（如：原责任单位逾期未办结）", "reason")
    if due <= hall.today():
        raise ValidationError("due", "办结期限须晚于今天", "due")
    with hall.sessions() as session:
        case_id = session.scalar(select(CaseRow.case_id).where(CaseRow.case_number == case_ref))
        payload = session.scalar(select(EventRow.payload).where(
            EventRow.case_id == case_id, EventRow.type == EventType.LEADER_TAKEN.value)
            .order_by(EventRow.hlc.desc()).limit(1)) if case_id else None
    if payload is None:
        raise RuleViolation("not_taken_on", "该事项还没有领导包案：请在接访时记录包案")
    if state := _concluded_state(hall, case_ref):
        raise RuleViolation("concluded", f"{case_ref}已办结（{state}），不能再改派或调整期限")
    earlier = json.loads(payload)
    directory = load_directory()
    # no unit chosen: the same units, with the new deadline
    codes = list(dict.fromkeys(c for c in unit_codes if c)) or [str(c) for c in earlier.get("unit_codes", [])]
    if not codes or any(c not in directory for c in codes):
        raise ValidationError("units", "请从机构目录中选择责任单位", "units")
    names = "、".join(directory.get(c).name for c in codes)
    day = {"reception_on": str(earlier["reception_on"])} if earlier.get("reception_on") else {}
    # the leader in charge stays (one case, one leader): another leader who reassigns it is its author. The reason
    # is the event's note (a 包案 made on the reception day has none): the fields the server takes for a 包案.
    return cases.record(hall, actor, case_ref, EventType.LEADER_TAKEN,
                        {"leader": str(earlier.get("leader") or actor.display_name), **day, "unit": names[:100],
                         "unit_codes": codes, "due": due.isoformat(), "note": reason[:500]})


@dataclass(frozen=True)
class BacklogCase:
    case_number: str
    petitioner: str
    received_on: date
    state: str
    leader: str
    reason: str


def backlog_cases(hall: Hall, actor: Actor, limit: int = 500) -> list[BacklogCase]:
    """积案 by the rule (settings ``backlog_days``, ``backlog_visits``), listed until concluded; oldest first."""
    guard(hall, actor, Permission.VIEW_CASE, "查看积案")
    rule = BacklogRule(hall.settings.backlog_days, hall.settings.backlog_visits)
    today = hall.today()
    open_states = [s.value for s in FINAL_STATES | CONCLUDED_STATES]
    # visits: this case and the earlier ones of the same matter it repeats (a JSON list in the projection)
    earlier = CaseRow.repeat_of if hall.engine.dialect.name == "sqlite" else cast(CaseRow.repeat_of, JSON)
    visits = func.coalesce(func.json_array_length(earlier), 0) + 1
    cutoff = date.fromordinal(today.toordinal() - rule.min_age_days)
    with hall.sessions() as session:
        rows = session.execute(
            select(CaseRow.case_number, CaseRow.petitioner_name, CaseRow.received_on, CaseRow.state, CaseRow.leader,
                   visits.label("visits"))
            .where(CaseRow.state.not_in(open_states), (CaseRow.received_on <= cutoff) | (visits >= rule.min_visits))
            .order_by(CaseRow.received_on, CaseRow.case_number).limit(limit)).all()
    return [BacklogCase(r.case_number, mask_name(r.petitioner_name), r.received_on, r.state, r.leader,
                        rule.reason(r.received_on, int(r.visits), today))
            for r in rows if rule.applies(r.state, r.received_on, int(r.visits), today)]


@dataclass(frozen=True)
class LeaderDayStats:
    day: date
    leader: str
    batches: int  # 批次 received
    persons: int  # 人次
    assigned: int  # 包案
    concluded_on_time: int
    rated: int
    satisfied: int

    @property
    def title(self) -> str:
        return format_date(self.day)


def leader_day_statistics(hall: Hall, actor: Actor, since: date | None = None,
                          until: date | None = None) -> list[LeaderDayStats]:
    """Per leader and reception day: 批次/人次 received, cases taken on, concluded on time, satisfaction."""
    guard(hall, actor, Permission.SUPERVISE, "查看领导接访统计")
    satisfied = sorted(SATISFIED_RATINGS)
    taken = and_(AppointmentRow.taken_on.is_(True), CaseRow.case_id.is_not(None))
    # answered between the reception day and the 包案 deadline: an answer from before the leader took the
    # case on concludes nothing the leader asked for (leader_case_concluded)
    on_time = and_(taken, CaseRow.answered_on.is_not(None), CaseRow.leader_due.is_not(None),
                   CaseRow.answered_on >= ReceptionDayRow.day, CaseRow.answered_on <= CaseRow.leader_due)
    query = (select(ReceptionDayRow.day, AppointmentRow.received_by_name,
                    func.count().label("batches"), func.sum(AppointmentRow.persons_count).label("persons"),
                    func.sum(case((AppointmentRow.taken_on.is_(True), 1), else_=0)).label("assigned"),
                    func.sum(case((on_time, 1), else_=0)).label("on_time"),
                    func.sum(case((CaseRow.rating != "", 1), else_=0)).label("rated"),
                    func.sum(case((CaseRow.rating.in_(satisfied), 1), else_=0)).label("satisfied"))
             .join(ReceptionDayRow, ReceptionDayRow.day_id == AppointmentRow.day_id)
             .outerjoin(CaseRow, (CaseRow.case_number == AppointmentRow.case_number)
                        & (AppointmentRow.case_number != ""))
             .where(AppointmentRow.status == RECEIVED)
             .group_by(ReceptionDayRow.day, AppointmentRow.received_by_name)
             .order_by(ReceptionDayRow.day.desc(), AppointmentRow.received_by_name))
    if since is not None:
        query = query.where(ReceptionDayRow.day >= since)
    if until is not None:
        query = query.where(ReceptionDayRow.day <= until)
    with hall.sessions() as session:
        rows = session.execute(query).all()
    return [LeaderDayStats(r.day, r.received_by_name, int(r.batches), int(r.persons or 0), int(r.assigned or 0),
                           int(r.on_time or 0), int(r.rated or 0), int(r.satisfied or 0)) for r in rows]

