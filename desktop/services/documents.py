"""Issuing the documents a hall prints: who may, what they say, their numbers.

Every function checks the actor's permission itself, builds the document's data
from the case *as the actor may see it* (``cases.load_case``: masked personal data,
accusation content withheld, staff of an accused organisation refused), assigns a
document number where the kind has one, and renders it. Printing, the print log
and reprints belong to the printing side: it keeps ``RenderedDocument.data``
without :data:`~desktop.documents.templates.SECRET_KEYS` and renders reprints from it.

* Receipts on the 80 mm roll (登记回执, 排队号票, 评价回执) are issued to staff with
  the print permission and to kiosks (self-service); they carry masked data only.
* A4 notices need the print permission. A form that sends a case to an organisation
  (转送单, 交办单, 领导接访交办单) is refused when that organisation is accused in the
  case (条例第三十条), whoever asks.
* Document numbers (文号) are counted per PC, per kind and per year
  (``doc:<kind>:<year>``) in the same transaction that renders the document, so a
  failed rendering uses no number. Several PCs issuing the same kind need different
  ``document_prefix`` settings.
"""

from __future__ import annotations

import json
import os
import tomllib
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import AppointmentRow, AuditRow, CaseRow, ReceptionDayRow, SuggestionRow
from desktop.documents.model import DocumentKind, Media, RenderedDocument
from desktop.documents.render import render
from desktop.documents.templates import TEMPLATES, TEXTS, format_document_number
from desktop.domain.access import Permission, PermissionDenied, may_disclose_to
from desktop.domain.audit import AuditAction
from desktop.domain.case import OUTCOMES, CaseState, CaseView, project, review_window
from desktop.domain.chinatime import china_moment
from desktop.domain.classification import Nature
from desktop.domain.deadlines import ROUTE
from desktop.domain.errors import RuleViolation, ValidationError
from desktop.domain.events import Event, EventType
from desktop.domain.hlc import Hlc
from desktop.domain.identity import mask_id_number, mask_name, mask_phone
from desktop.domain.routing import Organisation, OrganisationDirectory, find_organisations
from desktop.domain.texts import after_you_may
from desktop.services import cases, hallrecords
from desktop.services.audit import audit, denied, guard
from desktop.services.context import Actor, Hall
from desktop.services.progress import citizen_progress, next_step_words
from desktop.services.reference import load_directory
from desktop.services.registration import RegistrationResult
from desktop.services.store import case_events, next_counter

__all__ = [
    "NOTICE_FIELDS",
    "NOTICE_KINDS",
    "RECORDED_FIELDS",
    "SELF_SERVICE_KINDS",
    "load_text_overrides",
    "notice",
    "queue_ticket",
    "rating_receipt",
    "registration_receipt",
    "reissue_registration_receipt",
    "suggestion_receipt",
]

#: Kinds a kiosk may print for the citizen in front of it.
SELF_SERVICE_KINDS: Final = frozenset({DocumentKind.REGISTRATION_RECEIPT, DocumentKind.QUEUE_TICKET,
                                       DocumentKind.RATING_RECEIPT, DocumentKind.SUGGESTION_RECEIPT})
#: The A4 kinds issued through :func:`notice`.
NOTICE_KINDS: Final = frozenset(k for k, t in TEMPLATES.items() if t.media is Media.A4) - {
    DocumentKind.RECEPTION_LIST, DocumentKind.RECEPTION_BRIEF}  # reception-day papers, desktop.services.reception
#: Forms that send the case to an organisation: never to an accused one (条例第三十条).
RECIPIENT_KINDS: Final = frozenset({DocumentKind.TRANSFER_FORM, DocumentKind.ASSIGNMENT_FORM,
                                    DocumentKind.LEADER_ASSIGNMENT_FORM})

#: What the clerk may (or must) add to each notice; everything else comes from the case.
NOTICE_FIELDS: Final[Mapping[DocumentKind, frozenset[str]]] = {
    DocumentKind.ACCEPTANCE_NOTICE: frozenset(),
    DocumentKind.NON_ACCEPTANCE_NOTICE: frozenset({"reason", "channel", "channel_organisation", "basis"}),
    DocumentKind.TRANSFER_FORM: frozenset({"organisation_code", "remark"}),
    DocumentKind.ASSIGNMENT_FORM: frozenset({"organisation_code", "due", "requirement"}),
    DocumentKind.LEADER_ASSIGNMENT_FORM: frozenset({"organisation_code", "unit", "leader", "due", "instruction",
                                                     "reception_on"}),
    DocumentKind.EXTENSION_NOTICE: frozenset({"reason"}),
    DocumentKind.OPINION: frozenset({"opinion", "facts_found", "basis", "review_organisation"}),
    DocumentKind.REVIEW_RECEIPT: frozenset(),
    DocumentKind.REREVIEW_RECEIPT: frozenset(),
    DocumentKind.RIGHTS_NOTICE: frozenset(),
}
#: Fields a notice takes from the step recorded when left empty (what the clerk wrote there is not asked again).
RECORDED_FIELDS: Final[Mapping[DocumentKind, frozenset[str]]] = {
    DocumentKind.NON_ACCEPTANCE_NOTICE: frozenset({"reason", "channel"}),
    DocumentKind.EXTENSION_NOTICE: frozenset({"reason"}),
    DocumentKind.OPINION: frozenset({"opinion"}),
}
FIELD_NAMES: Final[Mapping[str, str]] = {
    "reason": "理由", "channel": "处理途径", "channel_organisation": "有权处理的机关", "basis": "依据",
    "organisation_code": "接收单位", "remark": "备注", "due": "办理期限", "requirement": "交办意见",
    "unit": "责任单位", "leader": "接访领导", "instruction": "领导意见", "reception_on": "接访日期",
    "opinion": "处理意见", "facts_found": "查明的事实", "review_organisation": "复查机关",
}
MAX_FIELD = 5000
SHORT_FIELDS: Final = frozenset({"organisation_code", "channel_organisation", "due", "reception_on", "leader",
                                  "unit", "review_organisation"})
_SENTENCE_END: Final = "。．.；;，,"


# -- receipts ----------------------------------------------------------------------------------

def registration_receipt(hall: Hall, actor: Actor, result: RegistrationResult) -> RenderedDocument:
    """The receipt of a registration just made: case number, query code, QR, next step and by when."""
    guard(hall, actor, Permission.PRINT, "打印登记回执", result.case_number,
          alternatives=(Permission.SELF_SERVICE,))
    if result.view is None:
        raise RuleViolation("receipt_without_case", "登记结果缺少事项内容，无法打印回执")
    deadline = result.route_deadline
    data = _registration_data(hall, result.view, result.query_code, deadline.due, deadline.verified)
    return render(DocumentKind.REGISTRATION_RECEIPT, data)


def reissue_registration_receipt(hall: Hall, actor: Actor, case_ref: str, copy_label: str, *,
                                 original: bool = False) -> RenderedDocument:
    """A lost receipt replaced: a new query code (the old one stops working), the copy label printed.

    ``original``: the case never had a receipt (registered by phone or letter): its first one, without a copy
    label, issuing the query code the citizen will use."""
    guard(hall, actor, Permission.PRINT, "打印登记回执" if original else "补打登记回执", case_ref)
    label = "" if original else copy_label.strip()
    if not label and not original:
        raise ValidationError("copy_label_required", "补打的回执须印有补打标记，如“补打（第1次）”", "copy_label")
    if len(label) > 20:
        raise ValidationError("copy_label_too_long", "补打标记过长（不超过20字）", "copy_label")
    detail = cases.load_case(hall, actor, case_ref)
    view = detail.view
    if view.received_on is None:
        raise RuleViolation("receipt_without_case", "事项缺少登记日期，无法补打回执")
    code = cases.reset_query_code(hall, actor, view.case_number)
    deadline = hall.policy.due(ROUTE, view.received_on)
    data = _registration_data(hall, view, code, deadline.due, deadline.verified)
    if view.state is not CaseState.REGISTERED:
        # the case has moved on since it was registered: the receipt says where it is now, as the kiosk's 进度查询
        # does, not the original's 下一步 (转送、交办…将于…前告知您), long past
        window = review_window(view.state, view.delivered_on, view.review_request_due, view.rereview_request_due,
                               hall.today())
        data["progress"] = next_step_words(view.state, window, view.outcome)
    return render(DocumentKind.REGISTRATION_RECEIPT, data, copy_label=label)


def _registration_data(hall: Hall, view: CaseView, query_code: str, route_due: date,
                       verified: bool) -> dict[str, Any]:
    settings = hall.settings
    received_at = view.received_at or (view.received_on.isoformat() + "T00:00:00" if view.received_on else "")
    return {
        **_receipt_common(hall, view.hall),
        "case_number": view.case_number,
        "query_code": query_code,
        "lookup_url": settings.public_lookup_url,
        # Receipts carry masked personal data only (the renderer masks again, whatever it is given).
        "petitioner_name": mask_name(view.petitioner.name),
        "id_number": mask_id_number(view.petitioner.id_number) if view.petitioner.id_number else "",
        "received_at": received_at,
        "route_due": route_due.isoformat(),
        "route_due_unverified": not verified,
        "window": view.window,
    }


def queue_ticket(hall: Hall, actor: Actor, *, ticket_number: str, window_type: str, people_ahead: int,
                 issued_at: datetime | None = None, estimated_wait_minutes: int | None = None,
                 priority: bool = False, priority_reason: str = "") -> RenderedDocument:
    """A queue ticket: the number large, the business, how many wait ahead and for about how long, the time;
    a priority ticket says 优先办理 under its number, as the screen that gave it did, and why when the ID card it
    was taken with said so (``priority_reason``: 70岁以上老人, as the issued ticket says it).

    Its document number is the day and the number (``20260916-A012``): numbers start again each day.
    """
    guard(hall, actor, Permission.PRINT, "打印排队号票", alternatives=(Permission.SELF_SERVICE,))
    number = _plain(ticket_number, "排队号", 16, required=True)
    business = _plain(window_type, "办理业务", 32, required=True)
    if isinstance(people_ahead, bool) or not isinstance(people_ahead, int) or not 0 <= people_ahead <= 9999:
        raise ValidationError("bad_people_ahead", "等候人数应为0至9999之间的整数", "people_ahead")
    moment = (issued_at or hall.now()).replace(microsecond=0)
    if estimated_wait_minutes is not None and (isinstance(estimated_wait_minutes, bool)
                                               or not 0 <= estimated_wait_minutes <= 24 * 60):
        raise ValidationError("bad_estimated_wait", "预计等候时间应为0至1440分钟", "estimated_wait_minutes")
    data = {**_receipt_common(hall), "ticket_number": number, "window_type": business,
            "people_ahead": people_ahead, "issued_at": moment.isoformat(timespec="seconds"),
            "estimated_wait": estimated_wait_minutes or 0, "document_number": f"{moment:%Y%m%d}-{number}",
            "priority": bool(priority)}
    if priority and priority_reason:
        data["priority_reason"] = _plain(priority_reason, "优先原因", 32, required=False)
    return render(DocumentKind.QUEUE_TICKET, data)


def rating_receipt(hall: Hall, actor: Actor, case_ref: str, *, query_code: str = "") -> RenderedDocument:
    """The receipt of a rating just given. A kiosk proves the case is the citizen's with its query code."""
    guard(hall, actor, Permission.PRINT, "打印评价回执", case_ref, alternatives=(Permission.SELF_SERVICE,))
    if actor.may(Permission.PRINT):
        view = cases.load_case(hall, actor, case_ref).view
        raw = _raw_view(hall, view.case_id)
    else:
        # The query code proves the case is the citizen's (a wrong one is refused there).
        raw = view = _raw_view(hall, citizen_progress(hall, actor, case_ref, query_code).case_number)
    if not raw.rating:
        raise RuleViolation("not_rated", "该事项尚未评价，没有可打印的评价回执")
    rated = [e for e in _events(hall, raw.case_id) if e.type is EventType.RATED]
    moment = china_moment(Hlc.parse(rated[-1].hlc).wall_ms) if rated else hall.now()
    data = {**_receipt_common(hall, view.hall), "case_number": view.case_number,
            "petitioner_name": mask_name(view.petitioner.name), "rating": raw.rating,
            "rated_at": moment.replace(microsecond=0).isoformat(timespec="seconds")}
    if raw.rating == "不满意":
        # what the kiosk's screen said: the supervisors look into it, and the 复查/复核 window as of today
        from desktop.services.self_service import review_in_words

        window = review_window(raw.state, raw.delivered_on, raw.review_request_due, raw.rereview_request_due,
                               hall.today())
        data.update(dissatisfied=True, review=review_in_words(window, hall.policy.calendar),
                    help_address=data["hall_address"], help_phone=data["hall_phone"])
    return render(DocumentKind.RATING_RECEIPT, data)


def suggestion_receipt(hall: Hall, actor: Actor, number: str) -> RenderedDocument:
    """The receipt of a people's suggestion (人民建议): its number, theme and day, nothing personal.

    A kiosk prints only the suggestions it took itself (a number seen elsewhere gives it nothing).
    """
    guard(hall, actor, Permission.PRINT, "打印人民建议回执", number, alternatives=(Permission.SELF_SERVICE,))
    with hall.sessions() as session:
        row = session.scalar(select(SuggestionRow).where(SuggestionRow.number == number.strip().upper()))
        if row is None or (not actor.may(Permission.PRINT) and row.submitted_by != actor.actor_id):
            raise RuleViolation("suggestion_unknown", f"没有编号为 {number.strip()} 的建议，无法打印回执")
        data = {**_receipt_common(hall), "suggestion_number": row.number, "document_number": row.number,
                "theme": row.theme_title, "submitted_on": row.submitted_at[:10], "anonymous": row.anonymous}
    return render(DocumentKind.SUGGESTION_RECEIPT, data)


def hall_contacts(hall: Hall) -> dict[str, str]:
    """The hall's address and phone number a citizen's slip prints (``hall_address``, ``hall_phone``): the
    settings', else the directory's for the hall's own petition bureau ("" where neither has one)."""
    settings = hall.settings
    bureau = _bureau(load_directory(), settings.bureau_code)
    return {"hall_address": settings.hall_address or (bureau.address if bureau else ""),
            "hall_phone": settings.hall_phone or (bureau.phone if bureau else "")}


def _receipt_common(hall: Hall, hall_name: str = "") -> dict[str, Any]:
    settings = hall.settings
    data: dict[str, Any] = {
        "hall_name": hall_name or settings.hall_name,
        **hall_contacts(hall),
        "issued_on": hall.now().date().isoformat(),
    }
    texts = load_text_overrides(settings.document_texts)
    if texts:
        data["texts"] = dict(texts)
    return data


# -- A4 notices --------------------------------------------------------------------------------

def notice(hall: Hall, actor: Actor, kind: DocumentKind, case_ref: str, fields: Mapping[str, str], *,
           reveal_personal: bool | None = None) -> RenderedDocument:
    """An A4 notice or form about a case, numbered and rendered.

    ``fields`` adds what the case does not hold (a refusal's reason and the proper
    channel, a handling opinion…; see :data:`NOTICE_FIELDS`). The case is read as the
    actor may see it: names masked unless ``reveal_personal`` (a permission, audited). By
    default (``None``) a notice is addressed by full name exactly when the actor holds
    that permission, and each such issue is audited.
    The rights notice may be issued without a case (``case_ref`` empty).
    """
    kind = DocumentKind(kind)
    if kind not in NOTICE_KINDS:
        raise ValidationError("not_a_notice", f"“{kind.value}”不是A4文书，请使用相应的回执打印功能", "kind")
    guard(hall, actor, Permission.PRINT, f"出具{kind.value}", case_ref)
    given = _check_fields(kind, fields)
    if kind is DocumentKind.RIGHTS_NOTICE and not case_ref.strip():
        return _issue(hall, kind, {**_notice_common(hall), "petitioner_name": ""})
    if reveal_personal is None:
        reveal_personal = actor.may(Permission.REVEAL_PERSONAL)
    # Revealed for the notice, audited once it is issued: a refused or failed attempt writes nothing,
    # and previewing the same notice again the same day adds no second entry.
    detail = (cases.revealed_unaudited(hall, actor, case_ref) if reveal_personal
              else cases.load_case(hall, actor, case_ref))
    view = detail.view
    raw = _raw_view(hall, view.case_id)
    events = detail.events
    directory = load_directory()
    data: dict[str, Any] = {
        **_notice_common(hall),
        "case_number": view.case_number,
        "petitioner_name": view.petitioner.name,
        "received_on": _iso(view.received_on),
    }
    if (kind is DocumentKind.LEADER_ASSIGNMENT_FORM and not given.get("leader") and not raw.leader
            and actor.may(Permission.LEADER_DECIDE)):
        given["leader"] = actor.display_name  # the signed-in leader receives
    builder = _BUILDERS[kind]
    data.update(builder(hall, view, raw, events, given, directory))
    if kind is DocumentKind.LEADER_ASSIGNMENT_FORM:
        data.update(_received_visit(hall, view, raw, date.fromisoformat(str(data["reception_on"])),
                                    detail.revealed))
    if kind in RECIPIENT_KINDS:
        _check_recipient(hall, actor, raw, data.pop("_recipient_code"), str(data["recipient_name"]), directory)
        data["accusation"] = raw.nature == Nature.ACCUSATION.value
    reveal = (actor, view.case_number, f"出具{kind.value}") if detail.revealed else None
    return _issue(hall, kind, data, reveal)


def _issue(hall: Hall, kind: DocumentKind, data: dict[str, Any],
           reveal: tuple[Actor, str, str] | None = None) -> RenderedDocument:
    """Number the document and render it in one transaction: a failed rendering uses no number.

    ``reveal`` (who, which case, why) audits the full personal data the document shows, in the
    same transaction, once per actor, case and reason a day.
    """
    template = TEMPLATES[kind]
    with hall.transaction() as session:
        if template.number_word:
            issued = date.fromisoformat(data["issued_on"])
            serial = next_counter(session, f"doc:{kind}:{issued.year}")
            data["document_number"] = format_document_number(hall.settings.document_prefix, issued.year,
                                                              template.number_word, serial)
        document = render(kind, data)
        if reveal is not None:
            _audit_reveal_once(session, hall, *reveal)
    return document


def _audit_reveal_once(session: Session, hall: Hall, actor: Actor, case_number: str, reason: str) -> None:
    today = hall.today().isoformat()
    seen = session.scalars(select(AuditRow.detail).where(
        AuditRow.actor_id == actor.actor_id[:96], AuditRow.action == AuditAction.VIEW_PERSONAL.value,
        AuditRow.target == case_number, AuditRow.at >= today)).all()
    if any(json.loads(detail or "{}").get("reason") == reason for detail in seen):
        return
    audit(session, hall, actor, AuditAction.VIEW_PERSONAL, case_number, {"reason": reason})


def _notice_common(hall: Hall) -> dict[str, Any]:
    settings = hall.settings
    data = {**_receipt_common(hall), "issuing_organisation": settings.issuing_organisation,
            "seal_text": settings.seal_text, "header_red": settings.document_header_red, "document_number": ""}
    return data


def _check_fields(kind: DocumentKind, fields: Mapping[str, str]) -> dict[str, str]:
    allowed = NOTICE_FIELDS[kind]
    unknown = sorted(set(fields) - allowed)
    if unknown:
        raise ValidationError("unknown_field", f"{kind.value}不需要这些内容：{'、'.join(unknown)}", unknown[0])
    out: dict[str, str] = {}
    for key, value in fields.items():
        if not isinstance(value, str):
            raise ValidationError("field_not_text", f"“{FIELD_NAMES.get(key, key)}”应为文字", key)
        text = value.strip()
        limit = 64 if key in SHORT_FIELDS else MAX_FIELD
        if len(text) > limit:
            raise ValidationError("field_too_long", f"“{FIELD_NAMES.get(key, key)}”过长（不超过{limit}字）", key)
        if any(ord(c) < 32 and c not in "\n\r\t" for c in text) or any(0xD800 <= ord(c) <= 0xDFFF for c in text):
            raise ValidationError("field_control_chars", f"“{FIELD_NAMES.get(key, key)}”含有不可见的控制字符", key)
        if text:
            out[key] = text
    return out


def _need(given: Mapping[str, str], key: str, fallback: str, kind: DocumentKind) -> str:
    value = given.get(key) or fallback
    if not value:
        raise ValidationError("field_required", f"出具{kind.value}须填写“{FIELD_NAMES.get(key, key)}”", key)
    return value


def _clause(text: str) -> str:
    """A value placed inside a sentence: no full stop of its own."""
    return text.rstrip().rstrip(_SENTENCE_END)


def _day(text: str, label: str, key: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ValidationError("bad_date", f"“{label}”不是有效的日期（应为 年-月-日，如 2026-11-24）", key) from None


def _iso(day: date | None) -> str:
    return day.isoformat() if day else ""


def _last_payload(events: tuple[Event, ...], *types: EventType) -> Mapping[str, Any]:
    for event in reversed(events):
        if event.type in types:
            return event.payload
    return {}


def out_of_order(kind: DocumentKind, view: CaseView, events: Sequence[Event]) -> str:
    """Why ``kind`` cannot be issued for the case as it stands (不能出具受理告知书：缺少“受理”…), "" when it can.

    The one rule :func:`notice` refuses by and the counter's 打印… menu greys its entries by, before the click.
    Only the case's steps count here; what the clerk still has to fill in is asked for in the notice's form.
    """
    kind = DocumentKind(kind)
    state = f"（当前状态：{view.state.value}）"
    if kind is DocumentKind.ACCEPTANCE_NOTICE and (view.accepted_on is None or view.handling_due is None):
        return "不能出具受理告知书：缺少“受理”，事项尚未受理"
    if kind is DocumentKind.NON_ACCEPTANCE_NOTICE and view.state not in (CaseState.NOT_ACCEPTED, CaseState.GUIDED):
        return f"不能出具{kind.value}：缺少“不予受理”或“导入法定途径”的决定{state}"
    if kind is DocumentKind.EXTENSION_NOTICE and (
            not view.extended_days or view.accepted_on is None or view.handling_due is None):
        return "不能出具延期告知书：缺少“延期”，事项未经批准延期"
    if kind is DocumentKind.OPINION and (view.state not in _STAGES or view.outcome not in OUTCOMES):
        return f"不能出具意见书：缺少“答复”（处理、复查或复核意见）{state}"
    requests = {DocumentKind.REVIEW_RECEIPT: (EventType.REVIEW_REQUESTED, view.review_answer_due),
                DocumentKind.REREVIEW_RECEIPT: (EventType.REREVIEW_REQUESTED, view.rereview_answer_due)}
    if kind in requests:
        request, due = requests[kind]
        if due is None or not _last_payload(tuple(events), request).get("requested_on"):
            return f"不能出具{kind.value}：缺少“{request.value}”"
    return ""


def _refuse_out_of_order(kind: DocumentKind, view: CaseView, events: Sequence[Event]) -> None:
    why = out_of_order(kind, view, events)
    if why:
        raise RuleViolation("document_out_of_order", why)


_Built = dict[str, Any]


def _acceptance(hall: Hall, view: CaseView, raw: CaseView, events: tuple[Event, ...], given: Mapping[str, str],
                directory: OrganisationDirectory) -> _Built:
    _refuse_out_of_order(DocumentKind.ACCEPTANCE_NOTICE, view, events)
    assert view.accepted_on is not None and view.handling_due is not None  # checked above
    return {"accepted_on": view.accepted_on.isoformat(), "handling_due": view.handling_due.isoformat()}


def _non_acceptance(hall: Hall, view: CaseView, raw: CaseView, events: tuple[Event, ...],
                    given: Mapping[str, str], directory: OrganisationDirectory) -> _Built:
    kind = DocumentKind.NON_ACCEPTANCE_NOTICE
    _refuse_out_of_order(kind, view, events)
    decision = _last_payload(events, EventType.NOT_ACCEPTED, EventType.GUIDED)
    # What the clerk wrote in the 不予受理 step is the notice's (the channel had to be typed a second time).
    data: _Built = {"reason": _clause(_need(given, "reason", str(decision.get("reason", "")), kind)),
                    "channel": after_you_may(_clause(_need(given, "channel", str(decision.get("channel", "")), kind))),
                    "basis": _clause(given.get("basis", "")), "channel_contact": ""}
    typed = given.get("channel_organisation", "").strip()
    if typed and not find_organisations(directory, typed):
        # A court, an arbitration commission…: the directory holds the hall's own units, not every organ a
        # refusal may send the citizen to. Its name as the clerk wrote it; its address and phone are not known.
        data["channel_contact"] = f"有权处理的机关：{_clause(typed)}。"
        return data
    code = _organisation_code(directory, typed, "channel_organisation", "有权处理的机关")
    if code:
        data["channel_contact"] = _contact(directory.get(code))
    return data


def _contact(org: Organisation) -> str:
    place = org.reception_place.removeprefix("示例：") or org.name
    parts = [place]
    if org.address:
        parts.append(f"地址：{org.address}")
    if org.phone:
        parts.append(f"电话：{org.phone}")
    return "，".join(parts) + "。"


def _case_fields(view: CaseView) -> _Built:
    facts = "\n".join(t for t in (view.facts, view.reasons) if t)
    return {"phone": view.petitioner.phone, "address": view.address, "channel": view.channel or "—",
            "persons_count": view.persons_count, "request": view.request, "facts_reasons": facts}


def _handling_code(hall: Hall, raw: CaseView, *types: EventType) -> str:
    """The organisation the case was sent to: the projection's, else the last transfer or assignment's."""
    if raw.organisation_code:
        return raw.organisation_code
    routed = _last_payload(tuple(_events(hall, raw.case_id)), *(types or (EventType.TRANSFERRED,
                                                                          EventType.ASSIGNED)))
    return str(routed.get("organisation_code", ""))


def _organisation_code(directory: OrganisationDirectory, typed: str, key: str, what: str) -> str:
    """The directory's code of an organisation typed by its code, its name or a short name (县人力社保局)."""
    if not typed or typed in directory:
        return typed
    found = find_organisations(directory, typed)
    if len(found) != 1:
        raise ValidationError(
            "unknown_organisation",
            f"机构目录中找不到“{typed}”，请从列表中选择{what}" if not found else
            f"“{typed}”可指{'、'.join(o.name for o in found[:5])}，请写出单位全称", key)
    return found[0].code


def _recipient(hall: Hall, raw: CaseView, given: Mapping[str, str], directory: OrganisationDirectory,
               kind: DocumentKind, fallback: str = "", route: EventType | None = None) -> _Built:
    code = _organisation_code(directory, given.get("organisation_code") or (
        _handling_code(hall, raw, route) if route else ""), "organisation_code", "接收单位")
    if code:
        return {"_recipient_code": code, "recipient_name": directory.get(code).name}
    name = given.get("unit") or fallback
    if not name:
        raise ValidationError("field_required", f"出具{kind.value}须选择接收单位", "organisation_code")
    matches = [o.code for o in directory.all() if o.name == name]
    return {"_recipient_code": matches[0] if matches else name, "recipient_name": name}


def _dated_as_routed(raw: CaseView, route: EventType, built: _Built) -> _Built:
    """A 转送单 or 交办单 for the route the case records is dated the day of that route, the day the unit got the
    matter (a transfer done on paper and recorded later, or its form printed again), numbered in that year;
    a form for a route not yet recorded, or to another unit, is dated the day it is issued."""
    if (raw.routed_on is not None and raw.route_kind == route.value
            and raw.organisation_code == built.get("_recipient_code")):
        return {**built, "issued_on": raw.routed_on.isoformat()}
    return built


def _transfer(hall: Hall, view: CaseView, raw: CaseView, events: tuple[Event, ...], given: Mapping[str, str],
              directory: OrganisationDirectory) -> _Built:
    return _dated_as_routed(raw, EventType.TRANSFERRED, {
        **_case_fields(view), **_recipient(hall, raw, given, directory, DocumentKind.TRANSFER_FORM,
                                           route=EventType.TRANSFERRED),
        "remark": given.get("remark", "")})


def _assignment(hall: Hall, view: CaseView, raw: CaseView, events: tuple[Event, ...], given: Mapping[str, str],
                directory: OrganisationDirectory) -> _Built:
    kind = DocumentKind.ASSIGNMENT_FORM
    due = _day(_need(given, "due", _iso(raw.leader_due), kind), "办理期限", "due")
    return _dated_as_routed(raw, EventType.ASSIGNED, {
        **_case_fields(view), **_recipient(hall, raw, given, directory, kind, route=EventType.ASSIGNED),
        "due": due.isoformat(), "requirement": given.get("requirement", "")})


def _leader_assignment(hall: Hall, view: CaseView, raw: CaseView, events: tuple[Event, ...],
                       given: Mapping[str, str], directory: OrganisationDirectory) -> _Built:
    kind = DocumentKind.LEADER_ASSIGNMENT_FORM
    instructed = str(_last_payload(events, EventType.INSTRUCTED).get("text", ""))
    due = _day(_need(given, "due", _iso(raw.leader_due), kind), "办结期限", "due")
    reception = _day(given.get("reception_on") or hall.now().date().isoformat(), "接访日期", "reception_on")
    return {**_case_fields(view), **_recipient(hall, raw, given, directory, kind, raw.leader_unit),
            "leader": _need(given, "leader", raw.leader, kind), "instruction": _need(given, "instruction",
                                                                                     instructed, kind),
            "due": due.isoformat(), "reception_on": reception.isoformat()}


def _received_visit(hall: Hall, view: CaseView, raw: CaseView, reception_on: date, revealed: bool) -> _Built:
    """What the visitor the leader received gave at the booking, for the unit to act on: the phone to call them
    on and 本次诉求 (what they came about that day); the case's own phone and request are printed as well, labelled
    登记电话 and 登记诉求, where they differ. Nothing of the kind without a booking of that day on the case."""
    with hall.sessions() as session:
        row = session.scalars(select(AppointmentRow).join(
            ReceptionDayRow, ReceptionDayRow.day_id == AppointmentRow.day_id).where(
            AppointmentRow.case_number == raw.case_number, ReceptionDayRow.day == reception_on,
            AppointmentRow.status != "已取消").order_by(AppointmentRow.received_at.desc()).limit(1)).first()
        if row is None:
            return {"request_alone": True}
        phone = hallrecords.opened(hall, "appointments", "phone", row.appointment_id, row.phone).strip()
        summary = row.summary.strip()
    out: _Built = {"request_alone": True}
    if phone and phone != raw.petitioner.phone:
        out["phone"] = phone if revealed else mask_phone(phone)
        out["case_phone"] = view.petitioner.phone
    if summary and summary != raw.request.strip():
        out["visit_request"], out["request_alone"] = summary, False
    return out


def _extension(hall: Hall, view: CaseView, raw: CaseView, events: tuple[Event, ...], given: Mapping[str, str],
               directory: OrganisationDirectory) -> _Built:
    kind = DocumentKind.EXTENSION_NOTICE
    _refuse_out_of_order(kind, view, events)
    assert view.accepted_on is not None and view.handling_due is not None  # checked above
    recorded = str(_last_payload(events, EventType.EXTENDED).get("reason", ""))
    return {"accepted_on": view.accepted_on.isoformat(), "handling_due": view.handling_due.isoformat(),
            "extended_days": view.extended_days, "reason": _clause(_need(given, "reason", recorded, kind))}


_STAGES: Final[Mapping[CaseState, tuple[str, EventType]]] = {
    CaseState.ANSWERED: ("处理", EventType.ANSWERED),
    CaseState.REVIEWED: ("复查", EventType.REVIEW_ANSWERED),
    CaseState.CONCLUDED: ("复核", EventType.REREVIEW_ANSWERED),
}


def _opinion(hall: Hall, view: CaseView, raw: CaseView, events: tuple[Event, ...], given: Mapping[str, str],
             directory: OrganisationDirectory) -> _Built:
    kind = DocumentKind.OPINION
    _refuse_out_of_order(kind, view, events)
    word, answer_type = _STAGES[view.state]
    recorded = str(_last_payload(events, answer_type).get("text", ""))
    data: _Built = {"stage": word, "outcome": view.outcome, "request": view.request,
                    "opinion": _need(given, "opinion", recorded, kind),
                    "facts_found": _need(given, "facts_found", "", kind), "basis": _clause(given.get("basis", ""))}
    if word != "复核":
        data["review_organisation"] = (given.get("review_organisation") or hall.settings.review_organisation
                                       or _superior_name(_handling_code(hall, raw) or hall.settings.bureau_code,
                                                         directory) or "上一级机关")
    return data


def _superior_name(code: str, directory: OrganisationDirectory) -> str:
    if code not in directory:
        return ""
    parent = directory.get(code).parent_code
    return directory.get(parent).name if parent and parent in directory else ""


def _review_receipt(hall: Hall, view: CaseView, raw: CaseView, events: tuple[Event, ...],
                    given: Mapping[str, str], directory: OrganisationDirectory) -> _Built:
    _refuse_out_of_order(DocumentKind.REVIEW_RECEIPT, view, events)
    requested = _last_payload(events, EventType.REVIEW_REQUESTED).get("requested_on", "")
    assert view.review_answer_due is not None  # checked above
    return {"requested_on": str(requested), "answer_due": view.review_answer_due.isoformat()}


def _rereview_receipt(hall: Hall, view: CaseView, raw: CaseView, events: tuple[Event, ...],
                      given: Mapping[str, str], directory: OrganisationDirectory) -> _Built:
    _refuse_out_of_order(DocumentKind.REREVIEW_RECEIPT, view, events)
    requested = _last_payload(events, EventType.REREVIEW_REQUESTED).get("requested_on", "")
    assert view.rereview_answer_due is not None  # checked above
    return {"requested_on": str(requested), "answer_due": view.rereview_answer_due.isoformat()}


def _rights(hall: Hall, view: CaseView, raw: CaseView, events: tuple[Event, ...], given: Mapping[str, str],
            directory: OrganisationDirectory) -> _Built:
    return {}


_BUILDERS: Final = {
    DocumentKind.ACCEPTANCE_NOTICE: _acceptance,
    DocumentKind.NON_ACCEPTANCE_NOTICE: _non_acceptance,
    DocumentKind.TRANSFER_FORM: _transfer,
    DocumentKind.ASSIGNMENT_FORM: _assignment,
    DocumentKind.LEADER_ASSIGNMENT_FORM: _leader_assignment,
    DocumentKind.EXTENSION_NOTICE: _extension,
    DocumentKind.OPINION: _opinion,
    DocumentKind.REVIEW_RECEIPT: _review_receipt,
    DocumentKind.REREVIEW_RECEIPT: _rereview_receipt,
    DocumentKind.RIGHTS_NOTICE: _rights,
}


def _check_recipient(hall: Hall, actor: Actor, raw: CaseView, code: str, name: str,
                     directory: OrganisationDirectory) -> None:
    """Accusation material never goes to the accused or anyone under them (条例第三十条).

    Judged on the case itself, not on the actor's view of it: a clerk who may not read
    the accusation does not see whom it accuses, but the refusal holds all the same.
    """
    if may_disclose_to(raw, code, directory):
        return
    refusal = PermissionDenied("accused_recipient",
                               f"该检举控告事项涉及{name}，依法不得将检举控告材料转送、交办给被检举控告的单位"
                               "（条例第三十条）")
    denied(hall, actor, refusal, raw.case_number)
    raise refusal


# -- case data ---------------------------------------------------------------------------------

def _events(hall: Hall, case_id: str) -> list[Event]:
    with hall.sessions() as session:
        return case_events(session, case_id)


def _raw_view(hall: Hall, case_ref: str) -> CaseView:
    """The case unmasked, for rules only (never printed as is)."""
    with hall.sessions() as session:
        case_id = session.scalar(select(CaseRow.case_id).where((CaseRow.case_id == case_ref)
                                                               | (CaseRow.case_number == case_ref)))
        if case_id is None:
            raise RuleViolation("case_not_found", f"未找到事项：{case_ref}")
        events = case_events(session, case_id)
    return project(case_id, events, hall.policy)


def _bureau(directory: OrganisationDirectory, code: str) -> Organisation | None:
    return directory.get(code) if code in directory else None


def _plain(value: str, label: str, limit: int, *, required: bool) -> str:
    text = value.strip() if isinstance(value, str) else ""
    if required and not text:
        raise ValidationError("field_required", f"请填写{label}", label)
    if len(text) > limit or any(ord(c) < 32 for c in text):
        raise ValidationError("field_invalid", f"{label}无效（不超过{limit}字，不含控制字符）", label)
    return text


# -- configurable wording ----------------------------------------------------------------------

def load_text_overrides(path: Path | None) -> Mapping[str, str]:
    """The administrator's wording (TOML, keys as in ``templates.TEXTS``); empty without a file.

    Dotted keys may be written as tables: ``[receipt]`` ``next_step = "…"``. An unknown key
    is refused (a typo would otherwise silently print the built-in text).
    """
    if path is None:
        return {}
    file = Path(path)
    try:
        stamp = os.stat(file).st_mtime_ns
    except OSError:
        raise ValidationError("document_texts_missing", f"找不到文书文字覆盖文件：{file}", "document_texts") from None
    return _load_texts(str(file), stamp)


@lru_cache(maxsize=4)
def _load_texts(path: str, stamp: int) -> Mapping[str, str]:
    try:
        with open(path, "rb") as handle:
            raw = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ValidationError("document_texts_invalid", f"文书文字覆盖文件 {path} 无法读取：{exc}",
                              "document_texts") from None
    flat: dict[str, str] = {}
    _flatten(raw, "", flat, path)
    unknown = sorted(set(flat) - set(TEXTS))
    if unknown:
        raise ValidationError("document_texts_unknown",
                              f"文书文字覆盖文件 {path} 中有不认识的键：{'、'.join(unknown)}", "document_texts")
    return flat


def _flatten(table: Mapping[str, Any], prefix: str, out: dict[str, str], path: str) -> None:
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            _flatten(value, f"{name}.", out, path)
        elif isinstance(value, str):
            out[name] = value
        else:
            raise ValidationError("document_texts_invalid", f"文书文字覆盖文件 {path} 中“{name}”应为文字",
                                  "document_texts")
