"""Finding a case by every kind of key, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from desktop.services.context import Actor, Hall
from desktop.services.lookup import MatchKind, classify_query, find_cases
from desktop.services.registration import register_visit
from tests.conftest import FakeClock
from tests.helpers import form, valid_id

PEOPLE = [
    ("王芳", "13857900001", "反映村集体土地流转收益分配不公开，要求公开账目"),
    ("欧阳建华", "13857900002", "反映工地包工头拖欠工资三万元，要求尽快追讨"),
    ("张建国", "13857900003", "反映小区物业不维修电梯，要求维修"),
    ("李", "13857900004", "反映夜间施工噪声扰民"),
]


@pytest.fixture
def filled(hall: Hall, clerk: Actor) -> dict[str, str]:
    numbers = {}
    for seq, (name, phone, request) in enumerate(PEOPLE, start=1):
        result = register_visit(hall, clerk, form(name=name, phone=phone, request=request,
                                                  id_number=valid_id(seq=seq)))
        numbers[name] = result.case_number
    return numbers


def _names(hall: Hall, clerk: Actor, query: str, filled: dict[str, str]) -> list[str]:
    """Whose cases were found (results show names masked, so map back by case number)."""
    by_number = {number: name for name, number in filled.items()}
    return [by_number[c.case_number] for c in find_cases(hall, clerk, query)]


def test_results_show_personal_data_masked(hall: Hall, clerk: Actor, filled: dict[str, str]) -> None:
    (found,) = find_cases(hall, clerk, filled["欧阳建华"])
    assert (found.petitioner_name, found.phone) == ("欧阳**", "138****0002")
    assert found.id_number.startswith(valid_id(seq=2)[:6]) and "*" in found.id_number
    assert valid_id(seq=2) not in repr(found)


def test_by_case_number_with_or_without_hyphens(hall: Hall, clerk: Actor,
                                                filled: dict[str, str]) -> None:
    number = filled["王芳"]
    assert _names(hall, clerk, number, filled) == ["王芳"]
    assert _names(hall, clerk, number.replace("-", "").lower(), filled) == ["王芳"]
    assert _names(hall, clerk, number[:-1] + ("0" if number[-1] != "0" else "1"), filled) == []


def test_by_id_number_and_phone(hall: Hall, clerk: Actor, filled: dict[str, str]) -> None:
    assert _names(hall, clerk, valid_id(seq=2), filled) == ["欧阳建华"]
    assert _names(hall, clerk, "138 5790 0003", filled) == ["张建国"]
    assert _names(hall, clerk, "+8613857900001", filled) == ["王芳"]


def test_short_names_and_parts_of_names(hall: Hall, clerk: Actor, filled: dict[str, str]) -> None:
    assert _names(hall, clerk, "王芳", filled) == ["王芳"]
    assert _names(hall, clerk, "李", filled) == ["李"]
    assert _names(hall, clerk, "建国", filled) == ["张建国"]
    assert _names(hall, clerk, "欧阳建华", filled) == ["欧阳建华"]


def test_pinyin_initials_and_full_pinyin(hall: Hall, clerk: Actor, filled: dict[str, str]) -> None:
    assert _names(hall, clerk, "zjg", filled) == ["张建国"]
    assert _names(hall, clerk, "WF", filled) == ["王芳"]
    assert _names(hall, clerk, "zhangjianguo", filled) == ["张建国"]


def test_phrases_of_any_length(hall: Hall, clerk: Actor, filled: dict[str, str]) -> None:
    assert _names(hall, clerk, "拖欠工资", filled) == ["欧阳建华"]
    assert _names(hall, clerk, "土地流转收益", filled) == ["王芳"]
    assert _names(hall, clerk, "噪声", filled) == ["李"]  # 2 characters: below the trigram length
    assert _names(hall, clerk, "不存在的内容", filled) == []


def test_hostile_queries_are_plain_text(hall: Hall, clerk: Actor, filled: dict[str, str]) -> None:
    for query in ("' OR 1=1 --", '"拖欠" OR *', "%", "_", "\\", "<script>alert(1)</script>"):
        assert find_cases(hall, clerk, query) == []


def test_query_kinds() -> None:
    assert classify_query("XF-20261124-K01-00012-7") is MatchKind.CASE_NUMBER
    assert classify_query(valid_id()) is MatchKind.ID_NUMBER
    assert classify_query("13857900001") is MatchKind.PHONE
    assert classify_query("zjg") is MatchKind.PINYIN
    assert classify_query("王芳") is MatchKind.NAME
    assert classify_query("拖欠工资问题") is MatchKind.PHRASE


def test_names_and_initials_list_the_newest_cases_first(hall: Hall, clerk: Actor, clock: FakeClock) -> None:
    numbers = []
    for day in range(4):
        numbers.append(register_visit(hall, clerk, form(name="王芳", id_number=valid_id(seq=10 + day))).case_number)
        clock.advance(days=3)
    for query in ("王芳", "wf", "wangfang"):
        assert [c.case_number for c in find_cases(hall, clerk, query)] == numbers[::-1]
        assert [c.case_number for c in find_cases(hall, clerk, query, limit=2)] == numbers[:1:-1]


def test_a_visitor_from_outside_the_mainland_is_registered_and_found_by_phone(hall: Hall, clerk: Actor) -> None:
    from desktop.services.registration import PersonInput, RegistrationForm

    visitor = PersonInput(name="John Smith", document_type="护照", document_number="e12345678",
                          phone="+44 20 7946 0958")
    number = register_visit(hall, clerk, RegistrationForm(petitioner=visitor, request="反映租房押金不退",
                                                          region_code="330726001")).case_number
    for typed in ("+44 20 7946 0958", "+442079460958", "0044 20 7946 0958"):
        assert classify_query(typed) is MatchKind.PHONE
        found = find_cases(hall, clerk, typed)
        assert [c.case_number for c in found] == [number]
        assert found[0].phone == "+44******0958" and found[0].id_number == "E1*****78"


def test_a_minority_name_is_found_by_any_of_its_parts_and_whole(hall: Hall, clerk: Actor) -> None:
    number = register_visit(hall, clerk, form(name="阿依古丽·买买提", id_number=valid_id(seq=551))).case_number
    for typed in ("买买提", "阿依古丽", "阿依古丽·买买提", "阿依古丽・买买提", "aygl"):
        assert number in [c.case_number for c in find_cases(hall, clerk, typed)], typed
    assert classify_query("阿依古丽·买买提") is MatchKind.NAME  # eight characters, but a name by its dot


def test_a_visitors_earlier_cases_of_one_day_are_newest_first(hall: Hall, clerk: Actor, clock: FakeClock) -> None:
    from desktop.services.visits import visit_history

    person = valid_id(seq=561)
    numbers = []
    for hour in range(3):  # three visits on one day, the serials not in the order of the times
        numbers.append(register_visit(hall, clerk, form(id_number=person, request=f"反映第{hour}件事")).case_number)
        clock.advance(hours=1)
    history = visit_history(hall, clerk, id_number=person, name="", phone="", request="", topic_code="")
    assert [v.summary.case_number for v in history.earlier] == numbers[::-1]
