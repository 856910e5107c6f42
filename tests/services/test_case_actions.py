"""The steps after registration, as every screen takes them: fields checked, proposal respected, order kept."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import select

from db.models import AuditRow
from desktop.domain.audit import AuditAction
from desktop.domain.case import CaseState
from desktop.domain.deadlines import UNIT_NOTIFY
from desktop.domain.errors import RuleViolation, ValidationError
from desktop.domain.events import EventType
from desktop.domain.roles import PermissionDenied
from desktop.services import case_actions, cases, drafts
from desktop.services.context import Actor, Hall
from desktop.services.registration import register_visit
from desktop.services.store import case_events
from tests.conftest import FakeClock
from tests.helpers import form


def _registered(hall: Hall, clerk: Actor) -> str:
    return register_visit(hall, clerk, form()).case_number


def _classified(hall: Hall, clerk: Actor) -> str:
    number = _registered(hall, clerk)
    case_actions.perform(hall, clerk, number, "classify", {"nature": "申诉求决类", "topic_code": "0101"})
    return number


def _last_payload(hall: Hall, number: str) -> dict[str, object]:
    with hall.sessions() as session:
        case_id = cases._case_id(session, number)
        return dict(case_events(session, case_id)[-1].payload)


def test_a_registered_case_offers_classification_not_a_decision(hall: Hall, clerk: Actor) -> None:
    number = _registered(hall, clerk)
    view = cases.load_case(hall, clerk, number).view
    offered = {a.key for a in case_actions.offered_actions(view)}
    assert "classify" in offered and "answer" not in offered and "deliver" not in offered


def test_an_accusation_needs_the_accused_organisation(hall: Hall, clerk: Actor) -> None:
    number = _registered(hall, clerk)
    with pytest.raises(ValidationError, match="被检举控告的单位") as refused:
        case_actions.perform(hall, clerk, number, "classify", {"nature": "检举控告类", "topic_code": "0101"})
    assert refused.value.field == "accused_org"
    accused = case_actions.organisation_choices()[0].code
    view = case_actions.perform(hall, clerk, number, "classify",
                                {"nature": "检举控告类", "topic_code": "0101", "accused_org": accused})
    assert view.accused_org_codes == (accused,)


def test_fields_are_checked_before_anything_is_stored(hall: Hall, clerk: Actor) -> None:
    number = _classified(hall, clerk)
    before = len(cases.load_case(hall, clerk, number).events)
    for key, values, field in (
            ("classify", {"nature": "别的类", "topic_code": "0101"}, "nature"),
            ("classify", {"nature": "申诉求决类", "topic_code": "9999x"}, "topic_code"),
            ("accept", {"accepted_on": "2026-13-40"}, "accepted_on"),
            ("extend", {"days": "十", "reason": "复杂", "approved_by": "李局长"}, "days"),
            ("transfer", {"organisation_code": "330726-NOPE"}, "organisation_code"),
            ("not_accept", {"reason": "", "channel": "诉讼"}, "reason"),
    ):
        with pytest.raises(ValidationError) as refused:
            case_actions.perform(hall, clerk, number, key, values)
        assert refused.value.field == field, key
    with pytest.raises(ValidationError, match="未知的办理步骤"):
        case_actions.perform(hall, clerk, number, "delete", {})
    assert len(cases.load_case(hall, clerk, number).events) == before


def test_routing_elsewhere_than_proposed_needs_a_reason(hall: Hall, clerk: Actor) -> None:
    number = _classified(hall, clerk)
    proposal = case_actions.route_proposal(hall, clerk, number)
    assert proposal.organisation is not None and proposal.reason
    other = next(c for c in case_actions.organisation_choices() if c.code != proposal.organisation.code)
    with pytest.raises(ValidationError, match=proposal.organisation.name) as refused:
        case_actions.perform(hall, clerk, number, "transfer", {"organisation_code": other.code})
    assert refused.value.field == "override_reason"
    case_actions.perform(hall, clerk, number, "transfer",
                         {"organisation_code": other.code, "override_reason": "属地在其辖区"})
    payload = _last_payload(hall, number)
    assert payload == {"organisation_code": other.code, "override_reason": "属地在其辖区",
                       "proposed_organisation_code": proposal.organisation.code,
                       "routed_on": "2026-09-16"}  # the day the receiving unit's limits run from


def test_the_proposed_route_needs_no_reason(hall: Hall, clerk: Actor) -> None:
    number = _classified(hall, clerk)
    proposal = case_actions.route_proposal(hall, clerk, number)
    assert proposal.organisation is not None
    view = case_actions.perform(hall, clerk, number, "transfer",
                                {"organisation_code": proposal.organisation.code, "override_reason": "无"})
    assert view.state is CaseState.TRANSFERRED and view.organisation_code == proposal.organisation.code
    assert _last_payload(hall, number) == {"organisation_code": proposal.organisation.code, "routed_on": "2026-09-16"}


def test_an_empty_date_means_today_and_order_is_kept(hall: Hall, clerk: Actor) -> None:
    number = _classified(hall, clerk)
    with pytest.raises(RuleViolation, match="缺少"):  # no answer before acceptance
        case_actions.perform(hall, clerk, number, "answer", {"outcome": "予以支持"})
    view = case_actions.perform(hall, clerk, number, "accept", {})
    assert view.accepted_on == hall.today()
    view = case_actions.perform(hall, clerk, number, "answer", {"outcome": "解释说明", "text": "已说明政策"})
    assert view.outcome == "解释说明"
    assert case_actions.ACTION_BY_KEY["answer"].event_type is EventType.ANSWERED


def test_organisations_are_found_by_name_or_pinyin_initials() -> None:
    choices = case_actions.organisation_choices()
    some = next(c for c in choices if len(c.name) >= 4)
    assert some in case_actions.matching(choices, some.name[1:3])
    initials = next(k for k in some.keys if k.isascii() and k.isalpha() and len(k) == len(some.name))
    assert case_actions.matching(choices, initials.upper()[:3])[0].name.startswith(some.name[0]) or \
        some in case_actions.matching(choices, initials[:3], limit=100)
    assert case_actions.matching(choices, "") == choices[:20]
    assert case_actions.matching(choices, "没有这样的单位名称") == []


def test_drafts_belong_to_who_typed_them(hall: Hall, clerk: Actor) -> None:
    other = Actor("staff:lina", "李娜", "clerk")
    drafts.save_draft(hall, clerk, "d1", "registration", {"name": "王芳", "request": "反映噪音"})
    drafts.save_draft(hall, clerk, "d1", "registration", {"name": "王芳", "request": "反映噪音扰民"})
    assert [d.data["request"] for d in drafts.my_drafts(hall, clerk, "registration")] == ["反映噪音扰民"]
    assert drafts.my_drafts(hall, other, "registration") == []
    with pytest.raises(ValidationError, match="其他工作人员"):
        drafts.save_draft(hall, other, "d1", "registration", {"name": "x"})
    drafts.discard_draft(hall, other, "d1")  # not theirs: nothing happens
    assert len(drafts.my_drafts(hall, clerk, "registration")) == 1
    with pytest.raises(ValidationError, match="过长"):
        drafts.save_draft(hall, clerk, "d2", "registration", {"request": "长" * 100_000})
    drafts.discard_draft(hall, clerk, "d1")
    assert drafts.my_drafts(hall, clerk, "registration") == []
    kiosk = Actor.kiosk("K01")
    with pytest.raises(RuleViolation):
        drafts.save_draft(hall, kiosk, "d3", "registration", {})


def test_reclassifying_an_accusation_needs_the_supervisor_and_is_audited(hall: Hall, clerk: Actor,
                                                                          supervisor: Actor) -> None:
    number = _registered(hall, clerk)
    accused = case_actions.organisation_choices()[0].code
    case_actions.perform(hall, clerk, number, "classify",
                         {"nature": "检举控告类", "topic_code": "0101", "accused_org": accused})
    before = len(cases.load_case(hall, supervisor, number).events)
    with pytest.raises(PermissionDenied, match="督办与统计"):
        case_actions.perform(hall, clerk, number, "classify", {"nature": "申诉求决类", "topic_code": "0101"})
    assert len(cases.load_case(hall, supervisor, number).events) == before  # nothing stored
    view = case_actions.perform(hall, supervisor, number, "classify", {"nature": "申诉求决类", "topic_code": "0101"})
    assert view.nature == "申诉求决类"
    # once an accusation, always asked: even now that it is a 申诉求决 matter
    with pytest.raises(PermissionDenied, match="督办与统计"):
        case_actions.perform(hall, clerk, number, "classify", {"nature": "建议意见类", "topic_code": "0101"})
    with hall.sessions() as session:
        rows = list(session.scalars(select(AuditRow).where(AuditRow.target == number).order_by(AuditRow.seq)))
    details = [json.loads(r.detail) for r in rows]
    reclassified = [d for d in details if d.get("reclassified_accusation")]
    assert reclassified == [{"event": "分类", "event_id": reclassified[0]["event_id"], "reclassified_accusation": True,
                             "from": "检举控告类", "to": "申诉求决类"}]
    assert [r.actor_id for r in rows if json.loads(r.detail).get("reclassified_accusation")] == [supervisor.actor_id]
    assert [r.actor_id for r in rows if r.action == AuditAction.PERMISSION_DENIED.value] == [clerk.actor_id] * 2


def test_classification_starts_from_what_the_registration_says(hall: Hall, clerk: Actor) -> None:
    # 拖欠工资 (0201): an appeal by the taxonomy, to be handled by the organ's duty (依法履职).
    wages = register_visit(hall, clerk, form(topic_code="0201")).case_number
    view = cases.load_case(hall, clerk, wages).view
    assert case_actions.starting_values(view, "classify") == {
        "nature": "申诉求决类", "topic_code": "0201", "legal_route": "依法履职"}
    # What the clerk chose at registration comes first: a nature, or the purpose's nature.
    chosen = register_visit(hall, clerk, form(topic_code="0201", nature="检举控告类")).case_number
    assert case_actions.starting_values(cases.load_case(hall, clerk, chosen).view, "classify") == {
        "nature": "检举控告类", "topic_code": "0201", "legal_route": ""}
    purpose = register_visit(hall, clerk, form(purpose="意见建议")).case_number
    by_purpose = case_actions.starting_values(cases.load_case(hall, clerk, purpose).view, "classify")
    assert by_purpose["nature"] == "建议意见类"
    # Nothing known: the clerk must choose the nature (no first entry is taken for an answer).
    bare = cases.load_case(hall, clerk, _registered(hall, clerk)).view
    assert case_actions.starting_values(bare, "classify") == {"nature": "", "topic_code": "", "legal_route": ""}
    with pytest.raises(ValidationError, match="性质"):
        case_actions.perform(hall, clerk, bare.case_number, "classify", {"nature": "", "topic_code": "0101"})
    assert case_actions.starting_values(bare, "accept") == {}


def test_a_transfer_done_on_paper_is_recorded_on_its_own_day(hall: Hall, clerk: Actor, clock: FakeClock) -> None:
    number = _classified(hall, clerk)  # received 2026-09-16
    clock.advance(days=7)  # recorded a week later, from the paper
    proposal = case_actions.route_proposal(hall, clerk, number)
    assert proposal.organisation is not None
    code = proposal.organisation.code
    view = cases.load_case(hall, clerk, number).view
    assert case_actions.starting_values(view, "transfer", hall.today()) == {"routed_on": "2026-09-23"}
    before = len(cases.load_case(hall, clerk, number).events)
    for day, refused in (("2026-09-15", "不能早于收到"), ("2026-09-24", "不能晚于今天（2026年9月23日（星期三））")):
        with pytest.raises(RuleViolation, match=refused):
            case_actions.perform(hall, clerk, number, "transfer", {"organisation_code": code, "routed_on": day})
    assert len(cases.load_case(hall, clerk, number).events) == before  # nothing stored
    view = case_actions.perform(hall, clerk, number, "transfer", {"organisation_code": code,
                                                                  "routed_on": "2026-09-17"})
    # the unit's 15 days (art. 23) run from the real day, not from the day it was typed in
    assert view.routed_on == date(2026, 9, 17)
    assert view.unit_due == hall.policy.due(UNIT_NOTIFY, date(2026, 9, 17)).due
    assert _last_payload(hall, number)["routed_on"] == "2026-09-17"


def test_an_assignment_done_on_paper_keeps_its_day_and_its_limit(hall: Hall, clerk: Actor, clock: FakeClock) -> None:
    number = _classified(hall, clerk)
    clock.advance(days=3)
    proposal = case_actions.route_proposal(hall, clerk, number, assign=True)
    assert proposal.organisation is not None
    view = case_actions.perform(hall, clerk, number, "assign", {
        "organisation_code": proposal.organisation.code, "due": "2026-10-30", "routed_on": "2026-09-16"})
    assert view.routed_on == date(2026, 9, 16) and view.leader_due == date(2026, 10, 30)
    assert view.unit_due == hall.policy.due(UNIT_NOTIFY, date(2026, 9, 16)).due


def test_an_assignment_due_is_after_the_assignment_and_on_a_working_day(hall: Hall, clerk: Actor) -> None:
    number = _classified(hall, clerk)  # today 2026-09-16
    proposal = case_actions.route_proposal(hall, clerk, number, assign=True)
    assert proposal.organisation is not None
    code = proposal.organisation.code
    before = len(cases.load_case(hall, clerk, number).events)
    for due, refused in (("2026-09-15", "须晚于交办日期2026年9月16日"),
                         ("2026-09-16", "须晚于交办日期"),
                         ("2026-10-02", "是国庆节，请定在工作日，如2026年10月8日（星期四）"),
                         ("2026-09-19", "是休息日，请定在工作日，如2026年9月20日（星期日）")):  # 调休: 20th worked
        with pytest.raises(ValidationError, match=refused) as error:
            case_actions.perform(hall, clerk, number, "assign", {"organisation_code": code, "due": due})
        assert error.value.field == "due"
    assert len(cases.load_case(hall, clerk, number).events) == before  # nothing stored
    view = case_actions.perform(hall, clerk, number, "assign", {"organisation_code": code,
                                                                "due": "2026-10-10"})  # a 调休 Saturday: worked
    assert view.leader_due == date(2026, 10, 10)


def test_a_transfer_form_printed_later_carries_the_day_of_the_transfer_and_its_years_number(
        hall: Hall, clerk: Actor, clock: FakeClock) -> None:
    """A transfer done on paper on 30 December and recorded after New Year: its 转送单 is dated the day the unit
    got the matter and numbered in that year; a form to another unit is dated the day it is issued."""
    from desktop.documents.model import DocumentKind
    from desktop.services import documents
    from desktop.services.reference import load_directory

    number = _classified(hall, clerk)  # received 2026-09-16
    clock.advance(days=110)  # 2027-01-04
    proposal = case_actions.route_proposal(hall, clerk, number)
    assert proposal.organisation is not None and hall.today() == date(2027, 1, 4)
    code = proposal.organisation.code
    case_actions.perform(hall, clerk, number, "transfer", {"organisation_code": code, "routed_on": "2026-12-30"})
    form_ = documents.notice(hall, clerk, DocumentKind.TRANSFER_FORM, number, {}, reveal_personal=False)
    assert form_.data["issued_on"] == "2026-12-30" and "〔2026〕转字第" in form_.document_number
    other = next(o.code for o in load_directory().all() if o.code != code)
    elsewhere = documents.notice(hall, clerk, DocumentKind.TRANSFER_FORM, number, {"organisation_code": other},
                                 reveal_personal=False)
    assert elsewhere.data["issued_on"] == "2027-01-04" and "〔2027〕转字第" in elsewhere.document_number


@pytest.mark.parametrize(("typed", "unit"), [
    ("zjj", "住房和城乡建设局"), ("ZJJ", "住房和城乡建设局"), ("zfhcxjsj", "住房和城乡建设局"),
    ("rsj", "人力资源和社会保障局"), ("rlsbj", "人力资源和社会保障局"), ("xrsj", "人力资源和社会保障局"),
    ("scjgj", "市场监督管理局"), ("scj", "市场监督管理局"), ("wjj", "卫生健康局"), ("fy", "人民法院"),
    ("zzb", "组织部"), ("jtj", "交通运输局"), ("hzzzf", "黄宅镇人民政府"),
])
def test_units_are_found_by_the_initials_of_their_usual_short_names(typed: str, unit: str) -> None:
    found = case_actions.matching(case_actions.organisation_choices(), typed)
    assert found and found[0].name.endswith(unit), [c.name for c in found]


def test_a_short_name_keeps_the_first_word_and_the_kind() -> None:
    forms = case_actions.short_forms("浦江县人力资源和社会保障局", ("浦江县", "金华市"))
    assert {"人社局", "人力社保局", "县人社局", "浦江县人社局", "人力资源社会保障局"} <= set(forms)
    assert "社保局" not in forms and "局" not in forms  # the first word stays: 社保局 would be any 社会保障 unit's
    assert {"住建局", "住房城乡建设局"} <= set(case_actions.short_forms("浦江县住房和城乡建设局", ("浦江县",)))
    assert {"市场监管局", "市场局", "市监局"} <= set(case_actions.short_forms("市场监督管理局"))
    assert {"县委组织部", "组织部"} <= set(case_actions.short_forms("中共浦江县委组织部", ("浦江县",)))
    assert "黄宅镇政府" in case_actions.short_forms("浦江县黄宅镇人民政府", ("黄宅镇", "浦江县"))  # not 政府 alone
    assert "政府" not in case_actions.short_forms("浦江县黄宅镇人民政府", ("黄宅镇", "浦江县"))


def test_initials_of_no_short_name_find_nothing() -> None:
    choices = case_actions.organisation_choices()
    assert case_actions.matching(choices, "qqqx") == []
    assert [c.name for c in case_actions.matching(choices, "tyj")] == ["浦江县退役军人事务局"]  # 退役局


def test_a_long_units_name_makes_a_bounded_number_of_short_forms() -> None:
    """Each word after the first few is shortened one way only: a name of thirteen words had made 1.9 million."""
    name = "农业农村和水利水电及林业畜牧渔业发展服务中心管理委员会"
    forms = case_actions.short_forms(f"浙江省金华市{name}", ("浙江省", "金华市"))
    assert len(forms) < 5_000 and name in forms
    # the first four words after the first whole, by their first character or left out; the rest by their first
    assert {"农业水畜渔发服中管委", "农业农村水利水电林业畜渔发服中管委"} <= set(forms)
    assert "农业农村水利水电林业畜牧渔业发展服务中心管理委" not in forms
