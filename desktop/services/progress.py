"""A citizen checks progress with the case number and query code from the receipt."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select

from db.models import CaseRow
from desktop.domain.access import Permission
from desktop.domain.case import OUTCOMES, ReviewWindow, review_window
from desktop.domain.errors import RuleViolation, ValidationError
from desktop.domain.events import EventType
from desktop.domain.identity import mask_name
from desktop.domain.masking import mask_free_text
from desktop.domain.numbering import validate_case_number, verify_query_code
from desktop.domain.texts import after_you_may
from desktop.services.audit import guard
from desktop.services.context import Actor, Hall
from desktop.services.store import case_events

_NOT_FOUND = "案件编号或查询码不正确，请核对回执后重新输入；如有疑问请到窗口咨询"


@dataclass(frozen=True)
class CitizenProgress:
    case_number: str
    petitioner: str  # masked
    received_on: date
    state: str
    next_step: str
    next_due: date | None


_NEXT_STEP = {
    # what comes next, and by when, is said once, by the deadline's words (信访部门应在…前转送、交办或告知您是否受理)
    "已登记": "正在审查",
    "已转送": "已转送有权处理的机关，等待其受理",
    "已交办": "已交办有关单位，正在办理",
    "办理中": "已受理，正在办理",
    "已答复": "已出具处理意见",
    "复查中": "正在复查",
    "已复查": "已出具复查意见",
    "复核中": "正在复核",
    "已终结": "已复核终结",
    "不予受理": "不予受理，请查看告知书所述理由和途径",
    "已导入法定途径": "已告知通过法定途径解决",
    "已调解和解": "已调解（和解）结案",
}


#: The states whose opinion stands, and how the status line names the decision (not personal data: the citizen
#: holding the receipt reads whether the request was supported).
_DECIDED = {"已答复": "{step}：{outcome}", "已复查": "{step}：{outcome}", "已终结": "{step}，复核意见：{outcome}"}


def state_words(state: str, outcome: str = "") -> str:
    """What the state means for the citizen; once an opinion stands, with its decision (已出具处理意见：予以支持)."""
    step = _NEXT_STEP.get(state, "")
    form = _DECIDED.get(state)
    return form.format(step=step, outcome=outcome) if form and step and outcome in OUTCOMES else step


def next_step_words(state: str, window: ReviewWindow | None, outcome: str = "") -> str:
    """The status line under the state: what happens next (with the decision once an opinion stands), with the
    复查/复核 window as of today (until which day, or that it has passed) after an answer or a review opinion."""
    step = state_words(state, outcome)
    return f"{step}；{window.words()}" if window is not None else step


def refusal_words(payload: Mapping[str, Any]) -> str:
    """A 不予受理 in plain words: the reason and the route recorded with it (free text masked as the kiosk masks);
    "" when neither was recorded."""
    def clause(key: str) -> str:
        return mask_free_text(str(payload.get(key) or "")).strip().rstrip("。；;，,.! ！")

    reason, route = clause("reason"), after_you_may(clause("channel"))
    if not reason and not route:
        return ""
    # under the state, which says 不予受理 already
    said = f"理由：{reason}。\n" if reason else ""
    return said + (f"您可以{route}。" if route else "可以通过什么途径解决，请看不予受理告知书，或到接待窗口咨询。")


def citizen_progress(hall: Hall, actor: Actor, case_number: str, query_code: str) -> CitizenProgress:
    """Progress for whoever holds both the case number and its query code; nothing else leaks."""
    guard(hall, actor, Permission.SELF_SERVICE, "查询办理进度", alternatives=(Permission.VIEW_CASE,))
    try:
        number = validate_case_number(case_number)
    except ValidationError as exc:
        raise RuleViolation("bad_case_number", exc.message) from None
    with hall.sessions() as session:
        row = session.scalar(select(CaseRow).where(CaseRow.case_number == number))
        if row is None or not verify_query_code(query_code, row.query_code_hash,
                                                hall.secrets.query_code_pepper):
            raise RuleViolation("progress_not_found", _NOT_FOUND)
        refusal = next((e.payload for e in reversed(case_events(session, row.case_id))
                        if e.type is EventType.NOT_ACCEPTED), {}) if row.state == "不予受理" else {}
    window = review_window(row.state, row.delivered_on, row.review_request_due, row.rereview_request_due,
                           hall.today())
    said = refusal_words(refusal) if refusal else ""
    return CitizenProgress(row.case_number, mask_name(row.petitioner_name), row.received_on,
                           row.state, said or next_step_words(row.state, window, row.outcome or ""), row.next_due)
