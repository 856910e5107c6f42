"""What a clerk on their first day ran into at the counter, checked where the rules are computed."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from desktop.domain.identity import DocumentType
from desktop.services.context import Actor, Hall
from desktop.services.registration import PersonInput, register_visit
from desktop.services.visits import visit_history
from tests.conftest import FakeClock
from tests.helpers import form, valid_id


def test_no_first_visit_is_said_of_a_half_typed_id_number(hall: Hall, clerk: Actor) -> None:
    person = valid_id(seq=41)
    register_visit(hall, clerk, form(id_number=person, phone="13857900041"))
    for typed in (person[:15], person[:-1] + ("1" if person[-1] != "1" else "2")):  # old length, bad check digit
        history = visit_history(hall, clerk, id_number=typed)
        assert not history.identified and not history.earlier
        assert "身份证号码还不完整或有误" in history.message and "初访" not in history.message
    # The same number typed with spaces and a small x is the person's: found, not 初访 of a stranger.
    spaced = " ".join((person[:6], person[6:14], person[14:].lower()))
    assert [v.summary.case_number for v in visit_history(hall, clerk, id_number=spaced).earlier]
    # With a mistyped number the name and phone still find the person.
    history = visit_history(hall, clerk, id_number=person[:15], name="张建国", phone="13857900041")
    assert history.identified and len(history.earlier) == 1
    # A passport number is no resident ID number: it is looked up as typed.
    foreigner = PersonInput("JOHN SMITH", DocumentType.PASSPORT.value, "E12345678", "13857900042")
    register_visit(hall, clerk, replace(form(), petitioner=foreigner))
    history = visit_history(hall, clerk, id_number="E12345678", document_type=DocumentType.PASSPORT.value)
    assert history.identified and len(history.earlier) == 1


def test_a_name_typed_with_a_wrong_character_of_the_same_sound_is_found_and_said_so(hall: Hall,
                                                                                  clerk: Actor) -> None:
    from desktop.services.lookup import search_cases

    jianguo = register_visit(hall, clerk, form(name="张建国", id_number=valid_id(seq=51))).case_number
    register_visit(hall, clerk, form(name="张建", id_number=valid_id(seq=52), phone="13857900052",
                                     request="反映物业收费不合理，要求退还多收的物业费"))
    shan = register_visit(hall, clerk, form(name="单田芳", id_number=valid_id(seq=53), phone="13857900053")).case_number
    found = search_cases(hall, clerk, "张建果")  # the input method's slip: 果 for 国
    assert [c.case_number for c in found.cases] == [jianguo] and found.total == 1
    assert "没有姓名为「张建果」的事项" in found.note and "读音相同" in found.note
    assert [c.case_number for c in search_cases(hall, clerk, "善田芳").cases] == [shan]  # 单 read shan
    exact = search_cases(hall, clerk, "张建国")
    assert [c.case_number for c in exact.cases] == [jianguo] and not exact.note
    # Words of a request are still found as words, not as a person whose name sounds alike.
    assert search_cases(hall, clerk, "物业费").kind is not None and not search_cases(hall, clerk, "物业费").note
    assert search_cases(hall, clerk, "李四").cases == []  # nobody of that sound: nothing, as before


def test_the_case_says_the_deadline_it_waits_on_in_words(hall: Hall, clerk: Actor, clock: FakeClock) -> None:
    from desktop.services.cases import load_case

    number = register_visit(hall, clerk, form(id_number=valid_id(seq=61))).case_number  # 2026-09-16: due 10-08
    detail = load_case(hall, clerk, number)
    assert detail.due_now == "当前期限：转送、交办期限 2026年10月8日（星期四），剩22天" and detail.due_level == ""
    clock.advance(days=14)  # 09-30, the last working day before 国庆: 10-08 is the next one, due soon
    detail = load_case(hall, clerk, number)
    assert detail.due_now.endswith("剩8天") and detail.due_level == "soon"
    clock.advance(days=8)  # 10-08
    assert load_case(hall, clerk, number).due_now.endswith("今天到期")
    clock.advance(days=1)
    detail = load_case(hall, clerk, number)
    assert detail.due_now.endswith("超期1天") and detail.due_level == "overdue"


def test_the_case_says_when_the_deadline_it_waits_on_is_unverified(hall: Hall, clerk: Actor,
                                                                   clock: FakeClock) -> None:
    from desktop.services import case_actions
    from desktop.services.cases import load_case

    number = register_visit(hall, clerk, form(id_number=valid_id(seq=64))).case_number
    case_actions.perform(hall, clerk, number, "classify", {"nature": "申诉求决类", "topic_code": "0101"})
    clock.advance(days=80)  # 2026-12-05: accepted, 60 days end in 2027, a year without its holidays
    case_actions.perform(hall, clerk, number, "accept", {"accepted_on": "2026-12-05"})
    detail = load_case(hall, clerk, number)
    assert detail.due_now == "当前期限：办结期限 2027年2月3日（星期三），剩60天（2027年节假日安排尚未导入，未经核实）"


def test_a_matter_located_outside_the_county_is_named_in_words_when_routed(hall: Hall, clerk: Actor) -> None:
    from desktop.services import case_actions

    number = register_visit(hall, clerk, replace(form(id_number=valid_id(seq=65)), region_code="330782")).case_number
    case_actions.perform(hall, clerk, number, "classify", {"nature": "申诉求决类", "topic_code": "0101"})
    warnings = "；".join(case_actions.route_proposal(hall, clerk, number).warnings)
    assert "问题属地（浙江省金华市义乌市）不在" in warnings and "330782" not in warnings, warnings


def test_a_case_is_found_by_the_last_digits_of_the_id_number_or_the_phone(hall: Hall, clerk: Actor) -> None:
    from desktop.services.lookup import search_cases

    person = valid_id(seq=31)  # ends in X
    mine = register_visit(hall, clerk, form(id_number=person, phone="13905791234")).case_number
    register_visit(hall, clerk, form(name="王芳", id_number=valid_id(seq=32), phone="13857900032"))
    for typed in (person[-6:], person[-4:].lower(), person[-8:], "791234", "5791234"):
        found = search_cases(hall, clerk, typed)
        assert [c.case_number for c in found.cases] == [mine], typed
        assert found.total == 1 and "后" in found.note and "位查找" in found.note
        assert found.cases[0].id_number.endswith(person[-4:]) and person not in repr(found)  # still masked
    serial = search_cases(hall, clerk, "0001")  # four digits are a case's serial first
    assert [c.case_number for c in serial.cases] == [mine] and serial.note == ""
    assert [c.case_number for c in search_cases(hall, clerk, "1234").cases] == [mine]  # no serial 1234: the phone
    assert search_cases(hall, clerk, "999999").cases == []  # nothing ends in these


def test_the_refusal_notice_takes_the_channel_written_in_the_step(hall: Hall, clerk: Actor, tmp_path: Path) -> None:
    from desktop.documents.model import DocumentKind
    from desktop.services import case_actions, documents
    from tests.documents.conftest import pdf_text

    number = register_visit(hall, clerk, form(id_number=valid_id(seq=66))).case_number
    case_actions.perform(hall, clerk, number, "classify", {"nature": "申诉求决类", "topic_code": "0101"})
    case_actions.perform(hall, clerk, number, "not_accept", {
        "reason": "该事项已由浦江县人民法院立案审理", "channel": "向浦江县人民法院了解诉讼进展"})
    doc = documents.notice(hall, clerk, DocumentKind.NON_ACCEPTANCE_NOTICE, number, {})  # nothing typed again
    text = "".join(pdf_text(doc.pdf, tmp_path).split())
    assert "该事项已由浦江县人民法院立案审理" in text and "向浦江县人民法院了解诉讼进展" in text
    assert "channel" in documents.RECORDED_FIELDS[DocumentKind.NON_ACCEPTANCE_NOTICE]


def test_a_number_typed_into_the_name_is_refused_with_what_went_wrong(hall: Hall, clerk: Actor) -> None:
    import pytest

    from desktop.domain.errors import ValidationError

    with pytest.raises(ValidationError, match="把证件号码或电话填进了姓名栏") as refused:
        register_visit(hall, clerk, form(name="330726750312001", id_number=valid_id(seq=68)))
    assert refused.value.field == "name"
    for name in ("JOHN SMITH", "买买提·艾力", "李䶮"):  # a person's name: 汉字 with "·", or Latin letters
        register_visit(hall, clerk, form(name=name, id_number=valid_id(seq=69)))
    # an organisation (its 统一社会信用代码 as 其他证件) is named with digits beside its letters
    organisation = PersonInput(name="浦江县第2建筑公司", document_type=DocumentType.OTHER.value,
                               document_number="91330726MA28DXXX5K")
    register_visit(hall, clerk, replace(form(), petitioner=organisation))
