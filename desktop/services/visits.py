"""The visitor's history while the clerk types: earlier cases, first or repeat visit, refused after 复核.

As soon as an ID number, or a name with a phone, is known, the counter shows the
person's earlier cases (state, deadline, who handles them) and whether this is a first
visit (初访), a repeat of an earlier matter (重复访), or a matter already through
复核 that may not be accepted again (条例第三十六条). The same rule decides at
registration (:func:`desktop.services.registration.register_visit`); this is the
early warning. Cases the clerk may not see (art. 30) are left out, masked as in search.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import select

from db.models import CaseRow
from desktop.domain.access import Permission
from desktop.domain.errors import ValidationError
from desktop.domain.identity import DocumentType, validate_resident_id
from desktop.domain.repeats import RepeatAssessment, VisitKind, assess_repeat
from desktop.services.audit import guard
from desktop.services.context import Actor, Hall
from desktop.services.lookup import CaseSummary, MatchKind, visible_summaries
from desktop.services.reference import load_directory
from desktop.services.registration import MAX_CODE, MAX_NAME, MAX_TEXT, earlier_cases


@dataclass(frozen=True)
class EarlierVisit:
    summary: CaseSummary  # masked as the clerk may see it
    organisation: str  # who handles it, by name ("" before routing)
    same_matter: bool  # judged the same matter as what is typed now


@dataclass(frozen=True)
class VisitHistory:
    kind: VisitKind
    message: str  # what to tell the clerk, in words
    refused: bool  # a matter through 复核: registration will be refused
    earlier: tuple[EarlierVisit, ...]
    identified: bool = True  # False: nothing typed yet tells who the visitor is; no verdict, see ``message``
    decided: bool = True  # False: the person is known but no request typed yet; no verdict, see ``message``

    @property
    def known_person(self) -> bool:
        return bool(self.earlier)


def visit_history(hall: Hall, actor: Actor, *, id_number: str = "", name: str = "", phone: str = "",
                  request: str = "", topic_code: str = "", limit: int = 20,
                  document_type: str = DocumentType.RESIDENT_ID.value) -> VisitHistory:
    """The person's earlier cases, newest first, and the verdict on what is being typed.

    A resident ID number is looked up only once it is a valid number (written as it is
    stored): half typed or mistyped it finds nobody, and 初访 would be said of anyone.
    Without it the person is looked up by name and phone; with neither there is no
    verdict (``identified`` False) and ``message`` says what is missing.
    """
    guard(hall, actor, Permission.REGISTER, "登记来访", alternatives=(Permission.SELF_SERVICE,))
    id_number, name, phone = id_number.strip()[:MAX_CODE].upper(), name.strip()[:MAX_NAME], phone.strip()[:MAX_CODE]
    typed_id = bool(id_number)
    if id_number and document_type == DocumentType.RESIDENT_ID.value:
        try:
            id_number = validate_resident_id(id_number)
        except ValidationError:
            id_number = ""
    if not id_number and not (name and phone):
        why = ("身份证号码还不完整或有误，核对后才能查找此人此前的信访事项（也可填写姓名和电话查找）" if typed_id
               else "输入身份证号码，或姓名和电话后，这里显示此人此前的信访事项")
        return VisitHistory(VisitKind.FIRST, why, False, (), identified=False)
    with hall.sessions() as session:
        earlier = earlier_cases(session, id_number, name, phone)
        rows = {row.case_id: row for row in session.scalars(
            select(CaseRow).where(CaseRow.case_id.in_([e.case_id for e in earlier[:limit]])))}
    assessment: RepeatAssessment = assess_repeat(request[:MAX_TEXT], topic_code[:MAX_CODE], earlier,
                                                 hall.settings.repeat_similarity)
    same = set(assessment.linked_case_ids)
    summaries = visible_summaries(actor, [
        CaseSummary(r.case_id, r.case_number, r.petitioner_name, r.petitioner_id_number, r.petitioner_phone,
                    r.received_on, r.state, r.topic_code, r.request[:80], r.next_due, MatchKind.ID_NUMBER,
                    r.nature, r.organisation_code, tuple(json.loads(r.accused_org_codes or "[]")))
        for e in earlier[:limit] if (r := rows.get(e.case_id)) is not None])
    directory = load_directory()
    visits = tuple(EarlierVisit(s, directory.get(s.organisation_code).name
                                if s.organisation_code in directory else "", s.case_id in same)
                   for s in summaries)
    return VisitHistory(assessment.kind, assessment.message, assessment.refused, visits, decided=assessment.decided)
