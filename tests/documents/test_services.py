"""Issuing documents through the services: permissions, masking, numbers, art. 30, on both databases."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
import zxingcpp
from sqlalchemy import Engine

from desktop.documents.model import DocumentKind as K
from desktop.documents.model import Media
from desktop.domain.access import PermissionDenied, Role
from desktop.domain.errors import RuleViolation, ValidationError
from desktop.domain.events import EventType
from desktop.domain.qrpayload import lookup_host, parse_payload
from desktop.services import cases, documents
from desktop.services.audit import AuditQuery, list_audit
from desktop.services.context import Actor, Hall
from desktop.services.progress import citizen_progress
from desktop.services.reference import load_directory
from desktop.services.registration import RegistrationResult, register_visit
from tests.conftest import FakeClock, make_hall
from tests.documents.conftest import pdf_images
from tests.helpers import form, valid_id

ID = valid_id(seq=77)
PHONE = "13857912345"


def _flat(text: str) -> str:
    return "".join(text.split())


def _accepted(hall: Hall, clerk: Actor) -> RegistrationResult:
    result = register_visit(hall, clerk, form(id_number=ID, phone=PHONE))
    cases.classify(hall, clerk, result.case_number, nature="申诉求决类", topic_code="0101")
    cases.record(hall, clerk, result.case_number, EventType.TRANSFERRED,
                 {"route_kind": "转送", "organisation_code": "330726-ZJJ"})
    cases.accept(hall, clerk, result.case_number, accepted_on=date(2026, 9, 20))
    return result


def test_the_registration_receipt_scans_to_a_working_query_code(hall: Hall, kiosk: Actor, tmp_path: Path,
                                                                 text_of: Callable[[bytes], str]) -> None:
    result = register_visit(hall, kiosk, form(id_number=ID, phone=PHONE))
    doc = documents.registration_receipt(hall, kiosk, result)
    assert doc.media is Media.ROLL_80 and doc.case_number == result.case_number and doc.document_number == ""
    text = text_of(doc.pdf)
    assert result.case_number in text
    assert ID not in text and PHONE not in text and "张建国" not in text
    assert f"{ID[:6]}********{ID[-4:]}" in text and "张**" in text
    assert "2026年10月8日前告知您" in text  # received 2026-09-16: 15 days, past National Day
    (page,) = pdf_images(doc.pdf, tmp_path, 203)
    (code,) = zxingcpp.read_barcodes(page)
    number, query_code = parse_payload(code.text, lookup_host(hall.settings.public_lookup_url))
    assert (number, query_code) == (result.case_number, result.query_code)
    assert citizen_progress(hall, kiosk, number, query_code).state == "已登记"


def test_a_reissued_receipt_has_a_new_code_and_its_copy_label(hall: Hall, clerk: Actor, kiosk: Actor,
                                                             text_of: Callable[[bytes], str]) -> None:
    result = register_visit(hall, clerk, form())
    doc = documents.reissue_registration_receipt(hall, clerk, result.case_number, "补打（第1次）")
    new_code = doc.data["query_code"]
    assert new_code != result.query_code and doc.copy_label == "补打（第1次）"
    text = text_of(doc.pdf)
    assert "补打（第1次）" in text and f"{new_code[:4]} {new_code[4:]}" in text
    assert citizen_progress(hall, kiosk, result.case_number, new_code).case_number == result.case_number
    with pytest.raises(RuleViolation, match="查询码不正确"):
        citizen_progress(hall, kiosk, result.case_number, result.query_code)
    with pytest.raises(PermissionDenied):
        documents.reissue_registration_receipt(hall, kiosk, result.case_number, "补打（第2次）")
    with pytest.raises(ValidationError, match="补打标记"):
        documents.reissue_registration_receipt(hall, clerk, result.case_number, " ")


def test_a_receipt_printed_again_says_where_the_case_is_now(hall: Hall, clerk: Actor,
                                                            text_of: Callable[[bytes], str]) -> None:
    """A copy printed once the case was transferred and accepted repeated the original's 下一步 (转送、交办…将于…前
    告知您), long past: it says the case's progress as 进度查询 does; a case still waiting keeps the 下一步."""
    waiting = register_visit(hall, clerk, form())
    text = _flat(text_of(documents.reissue_registration_receipt(hall, clerk, waiting.case_number, "补打（第1次）").pdf))
    assert "下一步：本中心将依法转送" in text and "办理进度（" not in text
    moved = _accepted(hall, clerk)
    text = _flat(text_of(documents.reissue_registration_receipt(hall, clerk, moved.case_number, "补打（第1次）").pdf))
    assert "下一步：本中心将依法转送" not in text and "前告知您" not in text
    assert "办理进度（截至" in text and "已受理，正在办理。" in text


def test_notice_numbers_count_per_kind_and_a_refused_notice_uses_none(hall: Hall, clerk: Actor,
                                                                      text_of: Callable[[bytes], str]) -> None:
    result = _accepted(hall, clerk)
    first = documents.notice(hall, clerk, K.ACCEPTANCE_NOTICE, result.case_number, {})
    with pytest.raises(RuleViolation, match="缺少“延期”"):
        documents.notice(hall, clerk, K.EXTENSION_NOTICE, result.case_number, {})
    second = documents.notice(hall, clerk, K.ACCEPTANCE_NOTICE, result.case_number, {})
    transfer = documents.notice(hall, clerk, K.TRANSFER_FORM, result.case_number, {}, reveal_personal=False)
    assert first.document_number == "浦江信访〔2026〕受字第1号" == first.data["document_number"]
    assert second.document_number == "浦江信访〔2026〕受字第2号"
    assert transfer.document_number == "浦江信访〔2026〕转字第1号"
    text = _flat(text_of(first.pdf))
    # A clerk may see the full name, so the notice is addressed by it (the service decides, and audits it).
    assert "张建国：" in text and "2026年11月19日" in text and "浦江信访〔2026〕受字第1号" in text
    masked = documents.notice(hall, clerk, K.ACCEPTANCE_NOTICE, result.case_number, {}, reveal_personal=False)
    assert "张**：" in _flat(text_of(masked.pdf))
    transfer_text = _flat(text_of(transfer.pdf))
    assert "浦江县住房和城乡建设局：" in transfer_text and PHONE not in transfer_text
    assert "138****2345" in transfer_text
    generic = documents.notice(hall, clerk, K.RIGHTS_NOTICE, "", {})
    assert generic.document_number == "" and generic.case_number == ""


def test_a_kiosk_issues_receipts_but_never_a_notice(sqlite_hall: Hall, clerk: Actor, kiosk: Actor) -> None:
    result = _accepted(sqlite_hall, clerk)
    with pytest.raises(PermissionDenied, match="打印"):
        documents.notice(sqlite_hall, kiosk, K.ACCEPTANCE_NOTICE, result.case_number, {})
    assert list_audit(sqlite_hall, Actor.system())[0].action == "越权操作被拒绝"
    ticket = documents.queue_ticket(sqlite_hall, kiosk, ticket_number="A012", window_type="综合接待",
                                    people_ahead=3)
    assert ticket.document_number == "20260916-A012" and ticket.media is Media.ROLL_80
    display = Actor.display_screen("D01")
    with pytest.raises(PermissionDenied):
        documents.queue_ticket(sqlite_hall, display, ticket_number="A013", window_type="综合接待", people_ahead=0)


def test_an_accusation_form_never_goes_to_the_accused(sqlite_hall: Hall, clerk: Actor, supervisor: Actor,
                                                      text_of: Callable[[bytes], str]) -> None:
    hall = sqlite_hall
    number = register_visit(hall, clerk, form(request="举报县住建局某科长在审批中索要好处费")).case_number
    cases.classify(hall, supervisor, number, nature="检举控告类", topic_code="1202",
                   accused_org_codes=["330726-ZJJ"])
    # The clerk may not read whom the accusation names; the refusal holds all the same.
    for actor in (clerk, supervisor):
        with pytest.raises(PermissionDenied, match="第三十条") as refusal:
            documents.notice(hall, actor, K.TRANSFER_FORM, number, {"organisation_code": "330726-ZJJ"})
        assert refusal.value.code == "accused_recipient"
    assert list_audit(hall, Actor.system())[0].action == "越权操作被拒绝"
    doc = documents.notice(hall, supervisor, K.TRANSFER_FORM, number, {"organisation_code": "330726-JW"})
    text = _flat(text_of(doc.pdf))
    assert "浦江县纪委监委：" in text and "严格保密" in text and "索要好处费" in text
    inside = Actor("staff:zjj", "住建局干部", Role.SUPERVISOR, org_code="330726-ZJJ")
    with pytest.raises(PermissionDenied, match="第三十条"):
        documents.notice(hall, inside, K.RIGHTS_NOTICE, number, {})


def test_the_opinion_names_the_review_organisation_and_the_receipts_follow(sqlite_hall: Hall, clerk: Actor,
                                                                          text_of: Callable[[bytes], str]) -> None:
    hall = sqlite_hall
    ref = _accepted(hall, clerk).case_number
    cases.answer(hall, clerk, ref, outcome="不予支持", answered_on=date(2026, 11, 20),
                 text="物业公司已按约定启动维修，要求赔偿缺乏事实根据。")
    with pytest.raises(ValidationError, match="查明的事实"):
        documents.notice(hall, clerk, K.OPINION, ref, {})
    with pytest.raises(ValidationError, match="不需要"):
        documents.notice(hall, clerk, K.OPINION, ref, {"facts_found": "电梯已修复。", "colour": "红"})
    opinion = documents.notice(hall, clerk, K.OPINION, ref, {"facts_found": "电梯已修复。"})
    text = _flat(text_of(opinion.pdf))
    assert opinion.title == "信访事项处理意见书"
    assert "处理结果：不予支持。" in text and "要求赔偿缺乏事实根据" in text
    assert "30日内向浦江县人民政府请求复查" in text  # the handling unit's superior in the directory
    cases.deliver(hall, clerk, ref, delivered_on=date(2026, 11, 22))
    cases.request_review(hall, clerk, ref, requested_on=date(2026, 12, 1))
    receipt = documents.notice(hall, clerk, K.REVIEW_RECEIPT, ref, {})
    assert "2026年12月31日" in _flat(text_of(receipt.pdf)) and receipt.media is Media.A4


def test_a_refusal_needs_its_reason_and_the_proper_channel(sqlite_hall: Hall, clerk: Actor,
                                                           text_of: Callable[[bytes], str]) -> None:
    hall = sqlite_hall
    ref = register_visit(hall, clerk, form()).case_number
    with pytest.raises(RuleViolation, match="不予受理"):
        documents.notice(hall, clerk, K.NON_ACCEPTANCE_NOTICE, ref, {"channel": "依法申请仲裁"})
    cases.record(hall, clerk, ref, EventType.NOT_ACCEPTED, {"reason": "该事项已在法定期限内办理中。"})
    with pytest.raises(ValidationError, match="处理途径"):
        documents.notice(hall, clerk, K.NON_ACCEPTANCE_NOTICE, ref, {})
    doc = documents.notice(hall, clerk, K.NON_ACCEPTANCE_NOTICE, ref,
                           {"channel": "依法向浦江县劳动人事争议仲裁院申请仲裁。",
                            "channel_organisation": "330726-LDZC"})
    text = _flat(text_of(doc.pdf))
    assert "经审查，该事项已在法定期限内办理中。根据" in text
    assert "你可以依法向浦江县劳动人事争议仲裁院申请仲裁。" in text and "0579-00000014" in text


def test_a_kiosk_prints_a_rating_receipt_only_with_the_query_code(sqlite_hall: Hall, clerk: Actor, kiosk: Actor,
                                                                  text_of: Callable[[bytes], str]) -> None:
    hall = sqlite_hall
    result = _accepted(hall, clerk)
    ref = result.case_number
    cases.answer(hall, clerk, ref, outcome="予以支持", answered_on=date(2026, 11, 20))
    cases.record(hall, kiosk, ref, EventType.RATED, {"rating": "满意", "target": "信访部门"})
    with pytest.raises(RuleViolation, match="查询码不正确"):
        documents.rating_receipt(hall, kiosk, ref, query_code="00000000")
    doc = documents.rating_receipt(hall, kiosk, ref, query_code=result.query_code)
    text = text_of(doc.pdf)
    assert "满意" in text and ref in text and "2026年9月16日 09:30" in text
    assert documents.rating_receipt(hall, clerk, ref).pdf == doc.pdf



def test_a_dissatisfied_rating_slip_says_what_the_screen_said(sqlite_hall: Hall, clerk: Actor, kiosk: Actor,
                                                              text_of: Callable[[bytes], str]) -> None:
    """不满意: the slip said only the word; the screen says the supervisors will look into it and until which day
    复查 may be asked for, and where — the slip now says the same (and where to ask, the hall's address)."""
    from desktop.services.self_service import rate_case

    hall = sqlite_hall
    result = _accepted(hall, clerk)
    ref = result.case_number
    cases.answer(hall, clerk, ref, outcome="不予支持", answered_on=date(2026, 9, 16))
    cases.deliver(hall, clerk, ref, delivered_on=date(2026, 9, 16))
    rated = rate_case(hall, kiosk, ref, result.query_code, "不满意")
    text = _flat(text_of(documents.rating_receipt(hall, kiosk, ref, query_code=result.query_code).pdf))
    assert _flat("如对处理意见不服，可以在 2026年10月16日 前向上一级机关申请复查") in text
    assert _flat(rated.review) in text and _flat("督查人员会核实这件事项的办理情况") in text
    # plain words: nothing says a 复查 is under way (the citizen applies for one within the window)
    assert "复查办理" not in text and _flat("评价不等于申请复查") in text
    common = documents._receipt_common(hall)
    assert common["hall_address"] and _flat(f"咨询地址：{common['hall_address']}") in text
    happy = _accepted(hall, clerk)
    cases.answer(hall, clerk, happy.case_number, outcome="予以支持", answered_on=date(2026, 9, 16))
    cases.deliver(hall, clerk, happy.case_number, delivered_on=date(2026, 9, 16))
    rate_case(hall, kiosk, happy.case_number, happy.query_code, "满意")
    plain = _flat(text_of(documents.rating_receipt(hall, kiosk, happy.case_number, query_code=happy.query_code).pdf))
    assert "申请复查" not in plain and "督查" not in plain

def test_a_kiosk_prints_the_receipt_of_its_own_suggestions_only(sqlite_hall: Hall, clerk: Actor, kiosk: Actor,
                                                                 text_of: Callable[[bytes], str]) -> None:
    from desktop.services.suggestions import submit_suggestion

    hall = sqlite_hall
    given = submit_suggestion(hall, kiosk, content="建议在接待大厅增设老年人休息座椅和饮水机", anonymous=True)
    doc = documents.suggestion_receipt(hall, kiosk, given.number.lower())
    text = text_of(doc.pdf)
    assert doc.kind is K.SUGGESTION_RECEIPT and doc.document_number == given.number
    assert given.number in text and "自由建议" in text and "匿名建议" in text
    assert "休息座椅" not in text  # the receipt says nothing of what was suggested
    other = Actor.kiosk("K09")
    with pytest.raises(RuleViolation, match="没有编号为"):
        documents.suggestion_receipt(hall, other, given.number)  # another kiosk's number gives it nothing
    with pytest.raises(RuleViolation, match="没有编号为"):
        documents.suggestion_receipt(hall, kiosk, "JY-20260916-C01-9999")
    assert documents.suggestion_receipt(hall, clerk, given.number).pdf  # staff with the print permission


def test_wording_from_the_administrators_file(sqlite_engine: Engine, clock: FakeClock, clerk: Actor, tmp_path: Path,
                                              text_of: Callable[[bytes], str]) -> None:
    texts = tmp_path / "texts.toml"
    texts.write_text('[queue]\nnote = "请到二楼等候区休息，留意叫号。"\n', encoding="utf-8")
    hall = make_hall(sqlite_engine, clock, document_texts=texts)
    doc = documents.queue_ticket(hall, clerk, ticket_number="B003", window_type="农民工欠薪绿色通道",
                                 people_ahead=0)
    assert "请到二楼等候区休息，留意叫号。" in text_of(doc.pdf) and doc.data["texts"]
    texts.write_text('[queue]\nnotes = "拼错的键"\n', encoding="utf-8")
    with pytest.raises(ValidationError, match=r"queue\.notes"):
        documents.queue_ticket(hall, clerk, ticket_number="B004", window_type="综合接待", people_ahead=0)


@pytest.mark.parametrize(("recipient", "allowed"), [
    ("330726-ZF", False),  # the accused county government
    ("330726-ZJJ", False),  # a bureau under it
    ("330726-LDZC", False),  # a unit under one of its bureaus
    ("330700-ZF", True),  # the city government above it
    ("330726-JW", True),
])
def test_a_transfer_form_for_an_accusation_skips_every_unit_under_the_accused(
        sqlite_hall: Hall, clerk: Actor, supervisor: Actor, recipient: str, allowed: bool) -> None:
    hall = sqlite_hall
    number = register_visit(hall, clerk, form(request="举报县政府某工作人员在审批中索要好处费")).case_number
    cases.classify(hall, supervisor, number, nature="检举控告类", topic_code="1202",
                   accused_org_codes=["330726-ZF"])
    if allowed:
        doc = documents.notice(hall, supervisor, K.TRANSFER_FORM, number, {"organisation_code": recipient})
        assert doc.pdf.startswith(b"%PDF")
    else:
        with pytest.raises(PermissionDenied) as refusal:
            documents.notice(hall, supervisor, K.TRANSFER_FORM, number, {"organisation_code": recipient})
        assert refusal.value.code == "accused_recipient"
        name = load_directory().get(recipient).name
        assert refusal.value.message == (f"该检举控告事项涉及{name}，依法不得将检举控告材料转送、交办给被检举控告的单位"
                                         "（条例第三十条）")
        [entry] = list_audit(hall, Actor.system(), AuditQuery(action="越权操作被拒绝"))
        assert entry.target == number and entry.actor_id == supervisor.actor_id


def test_a_queue_ticket_prints_the_estimated_wait_when_there_is_one(sqlite_hall: Hall, kiosk: Actor,
                                                                     text_of: Callable[[bytes], str]) -> None:
    with_wait = documents.queue_ticket(sqlite_hall, kiosk, ticket_number="A012", window_type="综合接待",
                                       people_ahead=3, estimated_wait_minutes=25)
    assert "约25分钟" in text_of(with_wait.pdf) and "前面等候" in text_of(with_wait.pdf)
    without = documents.queue_ticket(sqlite_hall, kiosk, ticket_number="A013", window_type="综合接待", people_ahead=0)
    assert "预计等候" not in text_of(without.pdf)
    with pytest.raises(ValidationError, match="预计等候"):
        documents.queue_ticket(sqlite_hall, kiosk, ticket_number="A014", window_type="综合接待", people_ahead=0,
                               estimated_wait_minutes=-1)


def test_the_slip_says_what_passing_a_number_does(sqlite_hall: Hall, kiosk: Actor,
                                                   text_of: Callable[[bytes], str]) -> None:
    """过号 once puts a number back in the queue (the counter says so); the slip said 过号请重新取号."""
    from desktop.domain.queue import MISSED_RULE, QueueAction, TicketState, next_state

    assert next_state(TicketState.CALLED, QueueAction.SKIP) is TicketState.WAITING  # what MISSED_RULE says
    assert next_state(TicketState.CALLED, QueueAction.SKIP, skipped_before=True) is TicketState.NO_SHOW
    slip = text_of(documents.queue_ticket(sqlite_hall, kiosk, ticket_number="A012", window_type="综合接待",
                                          people_ahead=0).pdf).replace("\n", "").replace(" ", "")
    assert MISSED_RULE in slip and "过号请重新取号" not in slip


def test_a_priority_ticket_says_so_on_paper(sqlite_hall: Hall, kiosk: Actor, text_of: Callable[[bytes], str]) -> None:
    """The screen said 综合接待（优先办理）; the slip said nothing of it, and the window calls by the slip."""
    first = documents.queue_ticket(sqlite_hall, kiosk, ticket_number="A012", window_type="综合接待", people_ahead=2,
                                   priority=True)
    assert "优先办理" in text_of(first.pdf) and "优先原因" not in text_of(first.pdf)  # tapped: no reason kept
    plain = documents.queue_ticket(sqlite_hall, kiosk, ticket_number="A013", window_type="综合接待", people_ahead=2)
    assert "优先" not in text_of(plain.pdf)
    # put first by the card's age: the slip says why, for the clerk and the people he goes before
    aged = documents.queue_ticket(sqlite_hall, kiosk, ticket_number="A014", window_type="综合接待", people_ahead=2,
                                  priority=True, priority_reason="70岁以上老人")
    assert "优先原因：70岁以上老人" in text_of(aged.pdf).replace(" ", "")
    assert "优先原因" not in text_of(documents.queue_ticket(
        sqlite_hall, kiosk, ticket_number="A015", window_type="综合接待", people_ahead=2,
        priority_reason="70岁以上老人").pdf)  # a reason without priority says nothing


@pytest.mark.parametrize("typed", ["请向浦江县人民法院提起诉讼。", "可以向浦江县人民法院提起诉讼",
                                   "你可以向浦江县人民法院提起诉讼", "您可以请向浦江县人民法院提起诉讼",
                                   "向浦江县人民法院提起诉讼", "可向浦江县人民法院提起诉讼",
                                   "您也可以向浦江县人民法院提起诉讼", "建议你向浦江县人民法院提起诉讼",
                                   "你可以，请向浦江县人民法院提起诉讼"])
def test_the_refusals_channel_reads_on_after_you_may_whatever_the_clerk_began_it_with(
        sqlite_hall: Hall, clerk: Actor, text_of: Callable[[bytes], str], typed: str) -> None:
    """你可以请向浦江县人民法院提起诉讼: the notice says 你可以 itself."""
    hall = sqlite_hall
    ref = register_visit(hall, clerk, form()).case_number
    cases.record(hall, clerk, ref, EventType.NOT_ACCEPTED, {"reason": "该事项属于人民法院受理的民事纠纷"})
    doc = documents.notice(hall, clerk, K.NON_ACCEPTANCE_NOTICE, ref, {"channel": typed})
    text = _flat(text_of(doc.pdf))
    assert "你可以向浦江县人民法院提起诉讼。" in text and "可以请" not in text and "可以可以" not in text


@pytest.mark.parametrize("typed", ["可依法向金华市中级人民法院申请再审", "你可以可依法向金华市中级人民法院申请再审",
                                   "依法向金华市中级人民法院申请再审。", "可以依法向金华市中级人民法院申请再审"])
def test_a_channel_begun_with_may_by_law_reads_once(sqlite_hall: Hall, clerk: Actor,
                                                     text_of: Callable[[bytes], str], typed: str) -> None:
    """你可以可依法向金华市中级人民法院申请再审: 可 and 可以 were taken off only when 依法 did not follow."""
    hall = sqlite_hall
    ref = register_visit(hall, clerk, form()).case_number
    cases.record(hall, clerk, ref, EventType.NOT_ACCEPTED, {"reason": "该事项已经人民法院判决"})
    doc = documents.notice(hall, clerk, K.NON_ACCEPTANCE_NOTICE, ref, {"channel": typed})
    text = _flat(text_of(doc.pdf))
    assert "你可以依法向金华市中级人民法院申请再审。" in text and "可以可" not in text


def test_the_organisation_to_turn_to_may_be_typed_by_its_name(sqlite_hall: Hall, clerk: Actor,
                                                              text_of: Callable[[bytes], str]) -> None:
    """有权处理的机关 took only a directory code (机构目录中没有编码为浦江县劳动人事争议仲裁院的机关)."""
    hall = sqlite_hall
    ref = register_visit(hall, clerk, form()).case_number
    cases.record(hall, clerk, ref, EventType.NOT_ACCEPTED, {"reason": "该事项属于劳动争议"})
    doc = documents.notice(hall, clerk, K.NON_ACCEPTANCE_NOTICE, ref,
                           {"channel": "依法申请仲裁", "channel_organisation": "浦江县劳动人事争议仲裁院"})
    assert "0579-00000014" in _flat(text_of(doc.pdf))  # its address and phone, from the directory
    with pytest.raises(ValidationError, match="请写出单位全称"):  # a name several units share: which one
        documents.notice(hall, clerk, K.NON_ACCEPTANCE_NOTICE, ref,
                         {"channel": "依法申请仲裁", "channel_organisation": "浦江县"})


def test_an_organ_the_directory_does_not_hold_is_named_as_typed(sqlite_hall: Hall, clerk: Actor,
                                                                text_of: Callable[[bytes], str]) -> None:
    """A court was refused “请从列表中选择”: the directory holds the hall's units, no court, no list to pick from."""
    hall = sqlite_hall
    ref = register_visit(hall, clerk, form()).case_number
    cases.record(hall, clerk, ref, EventType.NOT_ACCEPTED, {"reason": "该事项已经人民法院判决"})
    doc = documents.notice(hall, clerk, K.NON_ACCEPTANCE_NOTICE, ref,
                           {"channel": "依法申请再审", "channel_organisation": "金华市中级人民法院。"})
    text = _flat(text_of(doc.pdf))
    assert "有权处理的机关：金华市中级人民法院。" in text and "找不到" not in text
