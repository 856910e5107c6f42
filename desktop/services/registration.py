"""Registering a petition (登记): every item received is registered (条例第二十二、二十三条)."""

from __future__ import annotations

import secrets
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from db.models import AttachmentRow, CasePersonRow, CaseRow
from desktop.domain.access import Permission
from desktop.domain.audit import AuditAction
from desktop.domain.case import CaseState, CaseView
from desktop.domain.classification import Channel, Nature, Purpose, parse_choice
from desktop.domain.deadlines import ROUTE, Deadline
from desktop.domain.errors import RuleViolation, ValidationError
from desktop.domain.events import Event, EventType
from desktop.domain.groups import check_group
from desktop.domain.identity import (
    MAX_LATIN_NAME,
    ORGANISATION_DOCUMENTS,
    DocumentType,
    document_flag,
    validate_document,
    validate_name,
    validate_party_name,
    validate_phone,
)
from desktop.domain.numbering import generate_query_code, hash_query_code, make_case_number
from desktop.domain.repeats import EarlierCase, RepeatAssessment, assess_repeat, refuse_if_final
from desktop.domain.texts import MAX_PETITION_TEXT, chinese_full_stops, meaningful_length
from desktop.services.attachments import MAX_ATTACHMENTS
from desktop.services.audit import audit, guard
from desktop.services.context import Actor, Hall
from desktop.services.store import append_events, next_counter

MAX_NAME = MAX_LATIN_NAME  # the longest name kept (a name typed to look a person up is cut to it)
MAX_TEXT = MAX_PETITION_TEXT  # 诉求, 事实, 理由: the domain's one rule, which the kiosk says as it is written
PETITIONER = "信访人"
MAX_ADDRESS = 200
MAX_CODE = 32  # topic code, window, queue number

#: Control characters other than tab and line breaks, and lone surrogates, are never stored
#: (PostgreSQL refuses NUL in text; the others are invisible or break the display).
_TEXT_CONTROLS = frozenset(chr(c) for c in (*range(0x20), 0x7F, *range(0x80, 0xA0))) - set("\t\n\r")


def _bad_char(text: str) -> str | None:
    """The first character not allowed in a stored text (a name has its own rule: :func:`check_name`)."""
    for c in text:
        if c in _TEXT_CONTROLS or unicodedata.category(c) == "Cs":
            return c
    return None


@dataclass(frozen=True)
class PersonInput:
    name: str
    document_type: str = DocumentType.RESIDENT_ID.value
    document_number: str = ""
    phone: str = ""


@dataclass(frozen=True)
class RegistrationForm:
    petitioner: PersonInput
    request: str
    region_code: str
    topic_code: str = ""
    channel: str = Channel.VISIT.value
    address: str = ""
    purpose: str = ""
    nature: str = ""
    facts: str = ""
    reasons: str = ""
    public_ok: bool = False
    persons_count: int = 1
    representatives: tuple[PersonInput, ...] = ()
    agent: PersonInput | None = None
    window: str = ""
    queue_number: str = ""
    #: Materials stored beforehand (desktop/services/attachments.py): sha256, name, size, mime each.
    attachments: tuple[Mapping[str, Any], ...] = ()


@dataclass(frozen=True)
class RegistrationResult:
    case_id: str
    case_number: str
    query_code: str  # shown/printed once; only its hash is stored
    received_on: date
    route_deadline: Deadline
    visit: RepeatAssessment
    flags: tuple[str, ...] = field(default=())
    view: CaseView | None = None


def check_name(text: str, what: str = "") -> str:
    """A person's name as it is kept (normalised), or ValidationError in words; ``what`` names whose (信访人).

    The rule is the domain's (:func:`desktop.domain.identity.validate_name`): 汉字 with "·", or Latin letters.
    """
    return validate_name(text, what)


def check_address(text: str) -> str:
    """The petitioner's address as it is kept (its runs of spaces one), or ValidationError in words.

    An address may be left empty; written notices (受理告知书, 答复意见书) are sent to one that is given, so it
    must say somewhere: not only marks or emoji, at most :data:`MAX_ADDRESS` characters, nothing invisible.
    """
    address = " ".join(text.split())
    if len(address) > MAX_ADDRESS:
        raise ValidationError("address_too_long", f"住址请不要超过{MAX_ADDRESS}字（现在{len(address)}字），"
                              "写到门牌号即可", "address")
    bad = _bad_char(address)
    if bad is not None:
        raise ValidationError("text_control_char", f"住址含有不可见的控制字符（U+{ord(bad):04X}），请删除后重新输入",
                              "address")
    if address and not meaningful_length(address):
        raise ValidationError("address_unreadable", "住址请写省市、街道和门牌号（只有标点或表情符号不算），"
                              "也可以不填", "address")
    return address


def _person_payload(person: PersonInput, what: str, today: date) -> dict[str, str]:
    try:
        doc_type = DocumentType(person.document_type or DocumentType.NONE.value)
    except ValueError:
        raise ValidationError("bad_document_type", f"不支持的证件类型：{person.document_type}",
                              "document_type") from None
    # a petitioner registered without a person's document may be an organisation, named as one (姓名（名称）)
    organisation = what == PETITIONER and doc_type in ORGANISATION_DOCUMENTS
    name = validate_party_name(person.name, what) if organisation else check_name(person.name, what)
    number = validate_document(doc_type, person.document_number, today)  # nobody is born after today
    phone = validate_phone(person.phone) if person.phone.strip() else ""
    return {"name": name, "document_type": doc_type.value, "id_number": number, "phone": phone}


def _text(value: str, label: str, required: bool, limit: int = MAX_TEXT) -> str:
    value = value.strip()
    if required and not value:
        raise ValidationError("text_required", f"请填写{label}", label)
    if len(value) > limit:
        raise ValidationError("text_too_long", f"{label}过长（不超过{limit}字，现为{len(value)}字），"
                              "较长的材料请作为附件补充", label)
    bad = _bad_char(value)
    if bad is not None:
        raise ValidationError("text_control_char",
                              f"{label}含有不可见的控制字符（U+{ord(bad):04X}），请删除后重新输入", label)
    return value



def _attachments(items: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The registration's materials as the event records them: hash, name, size, kind; checked."""
    if len(items) > MAX_ATTACHMENTS:
        raise ValidationError("too_many_attachments", f"材料过多（一次登记不超过{MAX_ATTACHMENTS}份）", "attachments")
    out: list[dict[str, Any]] = []
    for item in items:
        digest = str(item.get("sha256", ""))
        if len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
            raise ValidationError("bad_attachment", "材料的校验值无效，请重新添加", "attachments")
        name = _text(str(item.get("name", "")), "材料名称", required=True, limit=100)
        out.append({"sha256": digest, "name": name, "size": int(item.get("size", 0) or 0),
                    "mime": str(item.get("mime", ""))[:64]})
    return out


def earlier_cases(session: Session, id_number: str, name: str, phone: str,
                  limit: int = 200) -> list[EarlierCase]:
    """The same person's earlier cases: by ID number, or by name and phone together."""
    conditions = []
    if id_number:
        conditions.append(CasePersonRow.id_number == id_number)
    if name and phone:
        conditions.append((CasePersonRow.name == name) & (CasePersonRow.phone == phone))
    if not conditions:
        return []
    case_ids = select(CasePersonRow.case_id).where(or_(*conditions)).distinct()
    rows = session.execute(
        select(CaseRow.case_id, CaseRow.case_number, CaseRow.received_on, CaseRow.topic_code,
               CaseRow.request, CaseRow.state)
        .where(CaseRow.case_id.in_(case_ids))
        .order_by(CaseRow.received_on.desc(), CaseRow.received_at.desc(), CaseRow.case_number.desc())
        .limit(limit)  # newest first, also within one day (two visits on the same day came in any order)
    )
    return [
        EarlierCase(r.case_id, r.case_number, r.received_on, r.topic_code, r.request, r.state,
                    concluded_by_rereview=r.state == CaseState.CONCLUDED.value)
        for r in rows
    ]


def check_repeat(hall: Hall, actor: Actor, id_number: str, name: str, phone: str, request: str,
                 topic_code: str) -> RepeatAssessment:
    """Live check while the clerk types: first visit, repeat, or refused after 复核."""
    guard(hall, actor, Permission.REGISTER, "登记来访", alternatives=(Permission.SELF_SERVICE,))
    # Called on every keystroke: over-long input is cut to the registration limits, not refused.
    id_number, name, phone = id_number[:MAX_CODE], name[:MAX_NAME], phone[:MAX_CODE]
    with hall.sessions() as session:
        earlier = earlier_cases(session, id_number, name, phone)
    return assess_repeat(request[:MAX_TEXT], topic_code[:MAX_CODE], earlier, hall.settings.repeat_similarity)


def _record_refused_visit(hall: Hall, actor: Actor, final_case: str, channel: str) -> None:
    """A visit refused as 不再受理 (the same matter through 复核, 条例第三十六条) leaves its trace in the audit log,
    under the case that settled it: when, by whom, through which channel — no personal data of the visit."""
    with hall.transaction() as session:
        audit(session, hall, actor, AuditAction.NOT_ACCEPTED_AGAIN, final_case,
              {"rule": "条例第三十六条", "channel": channel})


def register_visit(hall: Hall, actor: Actor, form: RegistrationForm) -> RegistrationResult:
    """Validate, number and record a new petition; returns the receipt's data.

    Nothing is stored unless everything validates. A matter already through
    复核 on the same facts is refused with the reason (条例第三十六条).
    """
    guard(hall, actor, Permission.REGISTER, "登记来访", alternatives=(Permission.SELF_SERVICE,))
    today = hall.today()
    petitioner = _person_payload(form.petitioner, PETITIONER, today)
    representatives = [_person_payload(r, "代表", today) for r in form.representatives]
    check_group(form.persons_count, [(r["name"], r["id_number"]) for r in representatives])
    agent = _person_payload(form.agent, "代理人", today) if form.agent else None
    # a full-width period (the on-screen keyboard's full stop) ends a Chinese sentence as "。"
    request = chinese_full_stops(_text(form.request, "诉求内容", required=True))
    if not meaningful_length(request):  # only dots or emoji: nothing asked
        raise ValidationError("text_required", "请填写诉求内容（只有标点或表情符号不算）", "诉求内容")
    facts = chinese_full_stops(_text(form.facts, "事实", required=False))
    reasons = chinese_full_stops(_text(form.reasons, "理由", required=False))
    address = check_address(form.address)
    topic_code = _text(form.topic_code, "内容分类代码", required=False, limit=MAX_CODE)
    window = _text(form.window, "接待窗口", required=False, limit=MAX_CODE)
    queue_number = _text(form.queue_number, "排队号", required=False, limit=MAX_CODE)
    purpose = (parse_choice(Purpose, form.purpose, label="信访目的", field_name="purpose").value
               if form.purpose.strip() else "")
    nature = (parse_choice(Nature, form.nature, label="性质", field_name="nature").value
              if form.nature.strip() else "")
    try:
        channel = Channel(form.channel).value
    except ValueError:
        raise ValidationError("bad_channel", f"未知的信访渠道：{form.channel}", "channel") from None
    attachments = _attachments(form.attachments)
    region = form.region_code.strip()
    if not region.isascii() or not region.isdigit() or len(region) not in (6, 9, 12):
        raise ValidationError("bad_region", "问题属地须为6、9或12位行政区划代码", "region_code")

    flags: list[str] = []
    doc_flag = document_flag(DocumentType(petitioner["document_type"]))
    if doc_flag:
        flags.append(doc_flag)
    if not petitioner["phone"]:
        flags.append("无联系电话")
    if form.persons_count >= 5:
        flags.append("多人走访")

    now = hall.now()
    received = now.date()
    query_code = generate_query_code()
    settings = hall.settings
    visit: RepeatAssessment | None = None
    try:
        with hall.transaction() as session:
            if attachments:
                stored = set(session.scalars(select(AttachmentRow.sha256).where(
                    AttachmentRow.sha256.in_([a["sha256"] for a in attachments]))))
                missing = [a["name"] for a in attachments if a["sha256"] not in stored]
                if missing:
                    raise ValidationError("attachment_missing", f"材料“{missing[0]}”未能保存到本机，请重新添加",
                                          "attachments")
            visit = assess_repeat(request, topic_code,
                                  earlier_cases(session, petitioner["id_number"], petitioner["name"],
                                                petitioner["phone"]),
                                  settings.repeat_similarity)
            refuse_if_final(visit)
            serial = next_counter(session, f"case_serial:{received.year}")
            case_number = make_case_number(received, settings.device_code, serial)
            case_id = hall.new_id()
            payload = {
                "case_number": case_number,
                "channel": channel,
                "received_on": received.isoformat(),
                "received_at": now.isoformat(timespec="seconds"),
                "hall": settings.hall_name,
                "window": window,
                "queue_number": queue_number,
                "petitioner": petitioner,
                "representatives": representatives,
                "agent": agent,
                "address": address,
                "persons_count": form.persons_count,
                "region_code": region,
                "topic_code": topic_code,
                "purpose": purpose,
                "nature": nature,
                "request": request,
                "facts": facts,
                "reasons": reasons,
                "public_ok": form.public_ok,
                **({"attachments": attachments} if attachments else {}),
                "visit_kind": visit.kind.value,
                "repeat_of": list(visit.linked_case_ids),
                "query_code_hash": hash_query_code(query_code, hall.secrets.query_code_pepper,
                                                   secrets.token_bytes(8)),
                "flags": flags,
            }
            event = Event(
                event_id=hall.new_id(),
                case_id=case_id,
                device_id=settings.device_id,
                author=actor.actor_id,
                hlc=str(hall.clock.tick(hall.wall_ms())),
                type=EventType.REGISTERED,
                payload=payload,
            )
            (view,) = append_events(session, [event], hall.policy)
            audit(session, hall, actor, AuditAction.REGISTRATION, case_number,
                  {"visit_kind": visit.kind.value, "channel": channel})
    except RuleViolation:
        if visit is not None and visit.final_case is not None:  # the visit is recorded, if not as a case
            _record_refused_visit(hall, actor, visit.final_case.case_number, channel)
        raise
    return RegistrationResult(
        case_id=case_id,
        case_number=case_number,
        query_code=query_code,
        received_on=received,
        route_deadline=hall.policy.due(ROUTE, received),
        visit=visit,
        flags=tuple(flags),
        view=view,
    )
