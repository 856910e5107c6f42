"""Bad input to every service entry point, on a real SQLite hall.

Whatever is typed, a service returns its result or refuses with a
:class:`RuleViolation` (or :class:`ValidationError`) whose message is Chinese,
and a refusal stores nothing: the rows of every table are counted before and
after. SQL and script strings are data like any other: stored and shown
verbatim, found by a phrase of them, and every table is still there afterwards.
Oversized input is refused with a message naming the limit.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date
from typing import Any, TypeVar

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from desktop.domain.calendar import CSV_HEADER, MAX_SCHEDULE_CSV_CHARS
from desktop.domain.case import CaseView
from desktop.domain.classification import Channel, Nature, Purpose
from desktop.domain.errors import RuleViolation, ValidationError
from desktop.domain.events import EventType
from desktop.domain.identity import MAX_CHINESE_NAME, DocumentType, normalise_name
from desktop.domain.numbering import make_case_number
from desktop.domain.passwords import MAX_LENGTH
from desktop.domain.texts import chinese_full_stops, meaningful_length
from desktop.services import accounts, cases
from desktop.services.accounts import SignInRefused
from desktop.services.context import Actor, Hall
from desktop.services.holidays import import_schedule
from desktop.services.lookup import MAX_QUERY, CaseSummary, find_cases
from desktop.services.progress import citizen_progress
from desktop.services.registration import (
    MAX_ADDRESS,
    MAX_CODE,
    MAX_TEXT,
    PersonInput,
    RegistrationForm,
    RegistrationResult,
    check_repeat,
    register_visit,
)
from tests.helpers import form, valid_id

T = TypeVar("T")

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
#: Every table a refused call must leave alone (the FTS index follows ``cases`` by trigger).
TABLES = ("events", "cases", "case_persons", "search_keys", "counters", "audit_log", "staff_accounts",
          "holiday_schedules")
NOT_FOUND = "案件编号或查询码不正确，请核对回执后重新输入；如有疑问请到窗口咨询"
PASSWORD = "Xinfang#2026ok"
FUZZ = settings(max_examples=60, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
                report_multiple_bugs=False)

# --- strategies --------------------------------------------------------------------------------

any_text = st.text(max_size=40)
control_text = st.text(alphabet=st.characters(categories=["Cc", "Cf", "Zs", "Zl", "Zp"]), max_size=10)
digits_text = st.text(alphabet="0123456789０１２３４５６７８９Xx+-－ ()#\u3000", max_size=24)
cjk_text = st.text(alphabet=st.one_of(st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),
                                      st.sampled_from("·. 𠀀😀")), min_size=1, max_size=12)
huge_text = st.builds(lambda piece, times: piece * times, st.text(min_size=1, max_size=3),
                      st.integers(min_value=2_000, max_value=40_000))
nasty = st.sampled_from(["'; DROP TABLE cases; --", '" OR 1=1 --', "<script>alert(1)</script>", "%_\\", "*",
                         "NEAR(a b)", '"', "\x00", "\u202e", "𠀀", "😀", "١٢٣٤٥٦", "０" * 6])
bad_text = st.one_of(any_text, control_text, digits_text, cjk_text, huge_text, nasty)
valid_ids = st.builds(lambda seq, year: valid_id(birth=date(year, 3, 12), seq=seq),
                      st.integers(min_value=0, max_value=999), st.integers(min_value=1930, max_value=2005))


def _maybe(default: T, bad: st.SearchStrategy[T]) -> st.SearchStrategy[T]:
    """The valid default half the time, otherwise something drawn from ``bad``."""
    return st.one_of(st.just(default), bad)


people = st.builds(
    PersonInput,
    name=_maybe("李梅", st.one_of(cjk_text, bad_text)),
    document_type=_maybe(DocumentType.RESIDENT_ID.value,
                         st.one_of(st.sampled_from([t.value for t in DocumentType]), bad_text)),
    document_number=st.one_of(valid_ids, bad_text),
    phone=_maybe("13857912345", st.one_of(digits_text, bad_text)),
)

#: What each field of the form may be replaced with.
FORM_FIELDS: dict[str, st.SearchStrategy[Any]] = {
    "name": st.one_of(cjk_text, bad_text),
    "document_type": st.one_of(st.sampled_from([t.value for t in DocumentType]), bad_text),
    "document_number": bad_text,
    "phone": st.one_of(digits_text, bad_text),
    "request": st.one_of(cjk_text, bad_text),
    "region_code": st.one_of(st.from_regex(r"[0-9]{5,13}", fullmatch=True), bad_text),
    "topic_code": st.one_of(st.sampled_from(["0101", "1202", "8888"]), bad_text),
    "channel": st.one_of(st.sampled_from([c.value for c in Channel]), bad_text),
    "address": bad_text,
    "purpose": st.one_of(st.sampled_from([p.value for p in Purpose]), bad_text),
    "nature": st.one_of(st.sampled_from([n.value for n in Nature]), bad_text),
    "facts": bad_text,
    "reasons": bad_text,
    "persons_count": st.one_of(st.integers(min_value=-3, max_value=12), st.integers()),
    "representatives": st.lists(people, max_size=6).map(tuple),
    "agent": people,
    "window": bad_text,
    "queue_number": bad_text,
}
_PERSON_FIELDS = ("name", "document_type", "document_number", "phone")


@st.composite
def forms(draw: st.DrawFn) -> RegistrationForm:
    """A valid form with one to three of its fields replaced by anything."""
    person = PersonInput(name="李梅", document_number=draw(valid_ids), phone="13857912345")
    registration = RegistrationForm(petitioner=person, request="反映小区电梯长期无人维修，要求尽快维修",
                                    region_code="330726001")
    for name in draw(st.sets(st.sampled_from(sorted(FORM_FIELDS)), min_size=1, max_size=3)):
        value = draw(FORM_FIELDS[name])
        if name in _PERSON_FIELDS:
            registration = replace(registration, petitioner=replace(registration.petitioner, **{name: value}))
        else:
            registration = replace(registration, **{name: value})
    return registration


# --- helpers -------------------------------------------------------------------------------------


def _chinese(exc: RuleViolation) -> None:
    assert exc.message, f"empty message for {exc.code}"
    assert _CJK.search(exc.message), f"message without Chinese: {exc.message!r}"


def counts(hall: Hall) -> dict[str, int]:
    with hall.engine.connect() as connection:
        return {t: int(connection.execute(text(f'SELECT count(*) FROM "{t}"')).scalar_one()) for t in TABLES}


def table_names(hall: Hall) -> set[str]:
    with hall.engine.connect() as connection:
        return set(connection.execute(text("SELECT name FROM sqlite_master WHERE type = 'table'")).scalars())


@contextmanager
def stores_nothing_if_refused(hall: Hall) -> Iterator[None]:
    """A refusal (or any exception) leaves every table as it was; the refusal must be Chinese."""
    before = counts(hall)
    try:
        yield
    except Exception as exc:
        assert counts(hall) == before, f"{type(exc).__name__} left rows behind"
        if isinstance(exc, RuleViolation):
            _chinese(exc)
        raise


def outcome(hall: Hall, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T | RuleViolation:
    """Call a service: its result, or its Chinese refusal after checking that nothing was stored."""
    try:
        with stores_nothing_if_refused(hall):
            return fn(*args, **kwargs)
    except RuleViolation as exc:
        return exc


def _register(hall: Hall, actor: Actor, seq: int, **kwargs: Any) -> RegistrationResult:
    return register_visit(hall, actor, form(id_number=valid_id(seq=seq), **kwargs))


def _at(hall: Hall, clerk: Actor, seq: int, state: str) -> str:
    """A new case brought to ``state`` (registered, classified, accepted, answered, delivered)."""
    ref = _register(hall, clerk, seq, request=f"第{seq}号测试事项：反映道路第{seq}段损毁").case_number
    steps: list[Callable[[], object]] = [
        lambda: cases.classify(hall, clerk, ref, nature="申诉求决类", topic_code="0101"),
        lambda: cases.accept(hall, clerk, ref, accepted_on=date(2026, 9, 20)),
        lambda: cases.answer(hall, clerk, ref, outcome="不予支持", answered_on=date(2026, 10, 10)),
        lambda: cases.deliver(hall, clerk, ref, delivered_on=date(2026, 10, 12)),
    ]
    order = ["registered", "classified", "accepted", "answered", "delivered"]
    for step in steps[:order.index(state)]:
        step()
    return ref


# --- registration ----------------------------------------------------------------------------------


@given(forms())
@settings(FUZZ, max_examples=300)
def test_register_visit_with_anything_in_every_field(sqlite_hall: Hall, clerk: Actor,
                                                     registration: RegistrationForm) -> None:
    before = counts(sqlite_hall)
    result = outcome(sqlite_hall, register_visit, sqlite_hall, clerk, registration)
    if isinstance(result, RuleViolation):
        event(f"refused: {result.code}")
        return
    event("registered")
    after = counts(sqlite_hall)
    assert after["events"] == before["events"] + 1 and after["cases"] == before["cases"] + 1
    assert after["audit_log"] == before["audit_log"] + 1
    system = Actor.system("test")  # sees accusations' content too
    view = cases.load_case(sqlite_hall, system, result.case_number).view
    assert view.request == chinese_full_stops(registration.request.strip())
    assert view.facts == chinese_full_stops(registration.facts.strip())
    assert view.reasons == chinese_full_stops(registration.reasons.strip())
    assert view.region_code.isascii() and view.region_code.isdigit()
    assert view.nature in ("", *Nature) and view.purpose in ("", *Purpose) and view.channel in set(Channel)
    assert len(view.topic_code) <= MAX_CODE and len(view.window) <= MAX_CODE
    assert 1 <= view.persons_count <= 10_000
    full = cases.reveal_personal(sqlite_hall, system, result.case_number).view
    assert full.petitioner.name == normalise_name(registration.petitioner.name)
    assert full.address == " ".join(registration.address.split())
    assert not full.address or meaningful_length(full.address)  # empty, or says somewhere
    assert not any(unicodedata.category(c) in ("Cc", "Cs") or (unicodedata.category(c) == "Cf" and c != "\u200d")
                   for c in full.petitioner.name)


REFUSED_FORMS = [
    ({"region_code": "３３０７２６"}, "bad_region"),
    ({"region_code": "٣٣٠٧٢٦"}, "bad_region"),
    ({"nature": "申诉求决类'; --"}, "bad_nature"),
    ({"purpose": "<script>"}, "bad_purpose"),
    ({"request": "反映\x00问题"}, "text_control_char"),
    ({"facts": "事实\x1b[2J"}, "text_control_char"),
    ({"window": "1号\x00窗口"}, "text_control_char"),
    ({"address": "😀😀😀"}, "address_unreadable"),  # written notices are sent there: it must say somewhere
    ({"address": "👍🏽 。。——"}, "address_unreadable"),
    ({"address": "1️⃣2️⃣"}, "address_unreadable"),  # keycap digits are pictures, not a house number
    ({"address": "和平路\x0012号"}, "text_control_char"),
    ({"address": "和平路" * 67}, "address_too_long"),
    ({"petitioner": PersonInput(name="\u200b", document_number=valid_id())}, "name_required"),
    ({"petitioner": PersonInput(name="·", document_number=valid_id())}, "name_required"),
    ({"petitioner": PersonInput(name="张\u202e三", document_number=valid_id())}, "name_control_char"),
    ({"petitioner": PersonInput(name="张\x00三", document_number=valid_id())}, "name_control_char"),
    ({"agent": PersonInput(name="\ufeff", document_number=valid_id(seq=9))}, "name_required"),
]


@pytest.mark.parametrize(("changes", "code"), REFUSED_FORMS)
def test_registration_refuses_invisible_and_unknown_values(sqlite_hall: Hall, clerk: Actor,
                                                           changes: dict[str, Any], code: str) -> None:
    with pytest.raises(ValidationError) as refused, stores_nothing_if_refused(sqlite_hall):
        register_visit(sqlite_hall, clerk, replace(form(), **changes))
    assert refused.value.code == code


def test_an_address_with_words_is_kept_as_written_its_spaces_one(sqlite_hall: Hall, clerk: Actor) -> None:
    """An emoji beside words does not make an address unreadable; the registration keeps one space a run."""
    result = register_visit(sqlite_hall, clerk, replace(form(), address="  和平路  12号😀\t3单元 "))
    full = cases.reveal_personal(sqlite_hall, Actor.system("test"), result.case_number).view
    assert full.address == "和平路 12号😀 3单元"
    assert register_visit(sqlite_hall, clerk, replace(form(id_number=valid_id(seq=2)), address=" ")).case_number


def test_registration_normalises_known_choices(sqlite_hall: Hall, clerk: Actor) -> None:
    result = register_visit(sqlite_hall, clerk, replace(form(), nature=" 申诉求决 ", purpose="APPEAL",
                                                        topic_code=" 0101 ", window=" 3号窗口 "))
    assert result.view is not None
    assert (result.view.nature, result.view.purpose) == ("申诉求决类", "申诉")
    assert (result.view.topic_code, result.view.window) == ("0101", "3号窗口")


@given(st.lists(people, min_size=1, max_size=6), st.integers(min_value=-5, max_value=20))
@settings(FUZZ)
def test_group_visits_with_bad_representatives(sqlite_hall: Hall, clerk: Actor,
                                               representatives: list[PersonInput], persons: int) -> None:
    registration = replace(form(id_number=valid_id(seq=1)), persons_count=persons,
                           representatives=tuple(representatives))
    outcome(sqlite_hall, register_visit, sqlite_hall, clerk, registration)


@given(valid_ids, bad_text, digits_text, bad_text, bad_text)
@settings(FUZZ)
def test_check_repeat_with_anything(sqlite_hall: Hall, clerk: Actor, number: str, name: str, phone: str,
                                    request: str, topic: str) -> None:
    if not counts(sqlite_hall)["cases"]:
        _register(sqlite_hall, clerk, 1)
    for id_number in (number, valid_id(seq=1), name):
        outcome(sqlite_hall, check_repeat, sqlite_hall, clerk, id_number, name, phone, request, topic)


# --- finding cases ---------------------------------------------------------------------------------

SEEDED = [
    ("张建国", "反映小区物业不维修电梯，要求维修"),
    ("欧阳建华", "反映工地包工头拖欠工资三万元"),
    ("李", "反映夜间施工噪声扰民"),
]


def _seed(hall: Hall, clerk: Actor) -> None:
    if not counts(hall)["cases"]:
        for seq, (name, request) in enumerate(SEEDED, start=1):
            _register(hall, clerk, seq, name=name, request=request)


fts_syntax = st.lists(st.sampled_from(['"', "*", "^", ":", "(", ")", "NEAR", "AND", "OR", "NOT", "-", "+",
                                       "{", "}", "%", "_", "\\", "'", "电梯", "zjg", "138"]),
                      max_size=8).map(" ".join)


@given(st.one_of(bad_text, fts_syntax, st.from_regex(r"XF-?[0-9]{8}-?[A-Z0-9]{2,4}-?[0-9]{5}-?[0-9A-Z]",
                                                     fullmatch=True))
       .filter(lambda q: "\x00" not in q))  # NUL: see test_find_cases_with_nul_in_a_phrase below
@settings(FUZZ, max_examples=200)
def test_find_cases_with_any_query(sqlite_hall: Hall, clerk: Actor, query: str) -> None:
    _seed(sqlite_hall, clerk)
    found = outcome(sqlite_hall, find_cases, sqlite_hall, clerk, query)
    if isinstance(found, RuleViolation):  # only an over-long query is refused
        assert isinstance(found, ValidationError) and found.code == "query_too_long"
        assert len(unicodedata.normalize("NFKC", query).strip()) > MAX_QUERY
        return
    assert isinstance(found, list) and all(isinstance(s, CaseSummary) for s in found)
    assert len({s.case_number for s in found}) == len(found) <= 50  # distinct cases, the default limit
    for summary in found:
        assert summary.petitioner_name not in {name for name, _ in SEEDED if len(name) > 1}
        assert "*" in summary.id_number and "*" in summary.phone


def test_find_cases_with_nul_in_a_phrase(sqlite_hall: Hall, clerk: Actor) -> None:
    _seed(sqlite_hall, clerk)
    found = outcome(sqlite_hall, find_cases, sqlite_hall, clerk, "电梯\x00维修")
    assert isinstance(found, list | ValidationError)


# --- citizen progress ------------------------------------------------------------------------------


@given(st.one_of(bad_text, digits_text), st.one_of(digits_text, bad_text, st.from_regex(r"[0-9]{8}", fullmatch=True)))
@settings(FUZZ, max_examples=150)
def test_citizen_progress_never_leaks_nor_crashes(sqlite_hall: Hall, kiosk: Actor, clerk: Actor,
                                                  number: str, code: str) -> None:
    if not counts(sqlite_hall)["cases"]:
        _register(sqlite_hall, clerk, 1)
    with sqlite_hall.engine.connect() as connection:
        real = connection.execute(text("SELECT case_number FROM cases")).scalar_one()
    for case_number in (number, real, real.replace("-", ""), real[:-1] + ("0" if real[-1] != "0" else "1")):
        result = outcome(sqlite_hall, citizen_progress, sqlite_hall, kiosk, case_number, code)
        assert isinstance(result, RuleViolation), "a random code opened the case"
        if case_number in (real, real.replace("-", "")):
            assert result.message == NOT_FOUND


def test_citizen_progress_same_message_for_unknown_number_and_wrong_code(sqlite_hall: Hall, kiosk: Actor,
                                                                         clerk: Actor) -> None:
    result = _register(sqlite_hall, clerk, 1)
    wrong = f"{(int(result.query_code) + 1) % 10**8:08d}"
    unknown = make_case_number(result.received_on, "C01", 99_999)
    messages = set()
    for number, code in ((result.case_number, wrong), (unknown, result.query_code), (unknown, wrong),
                         (result.case_number, "abc"), (result.case_number, ""),
                         (result.case_number, result.query_code + "0")):
        with pytest.raises(RuleViolation) as refused, stores_nothing_if_refused(sqlite_hall):
            citizen_progress(sqlite_hall, kiosk, number, code)
        messages.add(refused.value.message)
    assert messages == {NOT_FOUND}


# --- decisions after registration ------------------------------------------------------------------

dates = st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31))
steps = st.one_of(
    st.builds(lambda n, t, r, lr: ("classify", {"nature": n, "topic_code": t, "region_code": r, "legal_route": lr}),
              _maybe("申诉求决类", bad_text), _maybe("0101", bad_text), st.one_of(st.none(), bad_text),
              _maybe("", st.one_of(st.sampled_from(["涉法涉诉", "信访程序"]), bad_text))),
    st.builds(lambda d, o: ("accept", {"accepted_on": d, "organisation_code": o}), dates, _maybe("", bad_text)),
    st.builds(lambda d, r, a: ("extend", {"days": d, "reason": r, "approved_by": a}),
              st.one_of(st.integers(), st.integers(min_value=-2, max_value=32)), _maybe("需现场勘验", bad_text),
              _maybe("局长", bad_text)),
    st.builds(lambda o, d, t: ("answer", {"outcome": o, "answered_on": d, "text": t}),
              _maybe("不予支持", bad_text), dates, bad_text),
    st.builds(lambda d: ("deliver", {"delivered_on": d}), dates),
    st.builds(lambda d, r: ("request_review", {"requested_on": d, "rereview": r}), dates, st.booleans()),
)


@given(st.lists(steps, min_size=1, max_size=8), st.one_of(st.none(), bad_text))
@settings(FUZZ, max_examples=40)
def test_decision_steps_with_arbitrary_values(sqlite_hall: Hall, clerk: Actor,
                                              sequence: list[tuple[str, dict[str, Any]]], ref: str | None) -> None:
    seq = counts(sqlite_hall)["cases"] + 1
    case_ref = _register(sqlite_hall, clerk, seq, request=f"第{seq}号事项").case_number if ref is None else ref
    for name, kwargs in sequence:
        before = counts(sqlite_hall)
        result = outcome(sqlite_hall, getattr(cases, name), sqlite_hall, clerk, case_ref, **kwargs)
        if isinstance(result, CaseView):
            assert counts(sqlite_hall)["events"] == before["events"] + 1


payload_values = st.one_of(bad_text, st.integers(), st.none(), st.floats(), st.booleans(),
                           dates.map(date.isoformat), st.lists(st.integers(), max_size=2))


@given(st.sampled_from([EventType.ACCEPTED, EventType.EXTENDED, EventType.ANSWERED, EventType.DELIVERED,
                        EventType.REVIEW_REQUESTED, EventType.ASSIGNED, EventType.TRANSFERRED,
                        EventType.CLASSIFIED, EventType.NOT_ACCEPTED, EventType.SETTLED, EventType.RATED]),
       st.dictionaries(st.sampled_from(["accepted_on", "days", "reason", "approved_by", "outcome",
                                        "answered_on", "delivered_on", "requested_on", "due",
                                        "organisation_code", "route_kind", "nature", "topic_code"]),
                       payload_values, max_size=5),
       st.sampled_from(["classified", "accepted", "answered", "delivered"]))
@settings(FUZZ, max_examples=60)
def test_raw_payloads_never_store_half_a_decision(sqlite_hall: Hall, clerk: Actor, event_type: EventType,
                                                  payload: dict[str, Any], state: str) -> None:
    """Whatever payload ``record`` gets, it stores one event or refuses in Chinese, leaving nothing behind."""
    ref = _at(sqlite_hall, clerk, counts(sqlite_hall)["cases"] + 1, state)
    before = counts(sqlite_hall)
    try:
        result = cases.record(sqlite_hall, clerk, ref, event_type, payload)
    except RuleViolation as refused:
        _chinese(refused)
        assert counts(sqlite_hall) == before
        return
    assert isinstance(result, CaseView)
    assert counts(sqlite_hall)["events"] == before["events"] + 1
    cases.load_case(sqlite_hall, clerk, ref)  # what was stored can be read back


_CASE_PY = ("desktop/domain/case.py: check_transition does not validate payload dates/days, so _apply "
            "raises ValueError/KeyError/TypeError/OverflowError instead of a RuleViolation")
MALFORMED = [
    ("classified", EventType.ACCEPTED, {"accepted_on": "garbage"}),
    ("classified", EventType.ACCEPTED, {"accepted_on": "2026-13-01"}),
    ("classified", EventType.ACCEPTED, {}),
    ("classified", EventType.ACCEPTED, {"accepted_on": "9999-12-31"}),
    ("classified", EventType.ASSIGNED, {"due": "明天", "organisation_code": ""}),
    ("accepted", EventType.EXTENDED, {"days": "abc", "reason": "需勘验", "approved_by": "局长"}),
    ("accepted", EventType.EXTENDED, {"days": None, "reason": "需勘验", "approved_by": "局长"}),
    ("accepted", EventType.EXTENDED, {"days": float("inf"), "reason": "需勘验", "approved_by": "局长"}),
    ("accepted", EventType.ANSWERED, {"outcome": "不予支持", "answered_on": "'; DROP TABLE cases; --"}),
    ("accepted", EventType.ANSWERED, {"outcome": "不予支持"}),
    ("answered", EventType.DELIVERED, {"delivered_on": "<script>"}),
    ("delivered", EventType.REVIEW_REQUESTED, {"requested_on": ""}),
    ("delivered", EventType.REVIEW_REQUESTED, {}),
]


@pytest.mark.parametrize(("state", "event_type", "payload"), MALFORMED)
def test_malformed_payload_is_refused_cleanly(sqlite_hall: Hall, clerk: Actor, state: str,
                                              event_type: EventType, payload: dict[str, Any]) -> None:
    ref = _at(sqlite_hall, clerk, 1, state)
    with pytest.raises(RuleViolation) as refused, stores_nothing_if_refused(sqlite_hall):
        cases.record(sqlite_hall, clerk, ref, event_type, payload)
    _chinese(refused.value)


def test_accepting_on_the_last_representable_day_is_refused(sqlite_hall: Hall, clerk: Actor) -> None:
    ref = _at(sqlite_hall, clerk, 1, "classified")
    with pytest.raises(RuleViolation), stores_nothing_if_refused(sqlite_hall):
        cases.accept(sqlite_hall, clerk, ref, accepted_on=date(9999, 12, 31))


def test_classify_refuses_an_oversized_topic_code(sqlite_hall: Hall, clerk: Actor) -> None:
    ref = _at(sqlite_hall, clerk, 1, "registered")
    with pytest.raises(RuleViolation), stores_nothing_if_refused(sqlite_hall):
        cases.classify(sqlite_hall, clerk, ref, nature="申诉求决类", topic_code="0101" * 2_500,
                       region_code="x" * 10_000)


# --- accounts ----------------------------------------------------------------------------------------


def _account(hall: Hall) -> None:
    if not counts(hall)["staff_accounts"]:
        accounts.create_account(hall, Actor.system("test"), login="wangli", display_name="王丽", role="clerk",
                                initial_password=PASSWORD)


@given(st.one_of(st.just("wangli"), st.just(" WANGLI "), bad_text), st.one_of(st.just(PASSWORD + "x"), bad_text))
@settings(FUZZ, max_examples=80)
def test_sign_in_with_anything_is_refused_cleanly(sqlite_hall: Hall, login: str, password: str) -> None:
    _account(sqlite_hall)
    before = counts(sqlite_hall)
    with pytest.raises(SignInRefused) as refused:
        accounts.sign_in(sqlite_hall, login, password)
    _chinese(refused.value)
    after = counts(sqlite_hall)
    assert after["staff_accounts"] == before["staff_accounts"]
    assert 1 <= after["audit_log"] - before["audit_log"] <= 2  # the failure (and a lock) are audited
    assert {k: v for k, v in after.items() if k != "audit_log"} == \
        {k: v for k, v in before.items() if k != "audit_log"}


@given(bad_text, bad_text, st.one_of(st.sampled_from(["clerk", "leader", "admin"]), bad_text),
       st.one_of(st.just(PASSWORD), bad_text), st.lists(bad_text, max_size=2))
@settings(FUZZ, max_examples=80)
def test_create_account_with_anything(sqlite_hall: Hall, login: str, name: str, role: str, password: str,
                                      permissions: list[str]) -> None:
    result = outcome(sqlite_hall, accounts.create_account, sqlite_hall, Actor.system("test"), login=login,
                     display_name=name, role=role, initial_password=password, extra_permissions=permissions)
    if not isinstance(result, RuleViolation):
        assert result.login == login.strip().lower() and len(result.display_name) <= accounts.MAX_NAME


@given(st.one_of(st.just(PASSWORD), bad_text), bad_text)
@settings(FUZZ, max_examples=60)
def test_change_password_with_anything(sqlite_hall: Hall, old: str, new: str) -> None:
    _account(sqlite_hall)
    actor = Actor("staff:wangli", "王丽", "clerk")
    before = counts(sqlite_hall)
    try:
        accounts.change_password(sqlite_hall, actor, old, new)
    except SignInRefused as refused:  # wrong old password: the failure is counted and audited
        _chinese(refused)
        assert counts(sqlite_hall)["staff_accounts"] == before["staff_accounts"]
        # the count of wrong passwords starts again (解锁 is for a locked account only)
        accounts.reset_password(sqlite_hall, Actor.system("test"), "wangli", PASSWORD)
        return
    except RuleViolation as refused:
        _chinese(refused)
        assert counts(sqlite_hall) == before
        return
    # accepted: put the known password back for the next example
    accounts.reset_password(sqlite_hall, Actor.system("test"), "wangli", PASSWORD)


# --- holiday schedule import ---------------------------------------------------------------------------


@given(st.one_of(bad_text, st.lists(st.tuples(st.one_of(st.just("2027-10-01"), bad_text),
                                               st.one_of(st.sampled_from(["休", "班"]), bad_text),
                                               bad_text), max_size=4)
                 .map(lambda rows: "\n".join([",".join(CSV_HEADER), *(",".join(r) for r in rows)]))))
@settings(FUZZ, max_examples=80)
def test_import_schedule_with_anything(sqlite_hall: Hall, csv_text: str) -> None:
    result = outcome(sqlite_hall, import_schedule, sqlite_hall, Actor.system("test"), csv_text, "测试")
    if not isinstance(result, RuleViolation):
        assert result and all(isinstance(y, int) for y in result)
        sqlite_hall.policy  # noqa: B018 - the stored schedules load again


# --- SQL and script strings are data -------------------------------------------------------------------

VERBATIM = [
    "'; DROP TABLE cases; --",
    '" OR 1=1 --',
    "<script>alert(1)</script>",
    "%_\\",
    "Robert'); DELETE FROM events; --",
    "😀👨‍👩‍👧 emoji",
    "𠀀𪚥 罕见字",
    "${jndi:ldap://x}",
    "\\x00 \\n literally",
]


@pytest.mark.parametrize("payload", VERBATIM)
def test_sql_and_script_strings_are_stored_and_shown_verbatim(sqlite_hall: Hall, clerk: Actor,
                                                              payload: str) -> None:
    tables = table_names(sqlite_hall)
    _register(sqlite_hall, clerk, 1, name="王芳", request="反映村道损毁多年未修")  # must not match
    request = f"反映{payload}问题，要求处理"
    result = _register(sqlite_hall, clerk, 2, name="张建国", request=request, facts=payload, reasons=payload,
                       address=f"浙江省金华市浦江县{payload}")  # a name is 汉字 or letters: tests/domain/test_names.py
    detail = cases.load_case(sqlite_hall, clerk, result.case_number)
    assert (detail.view.request, detail.view.facts, detail.view.reasons) == (request, payload, payload)
    full = cases.reveal_personal(sqlite_hall, clerk, result.case_number).view
    assert full.address == f"浙江省金华市浦江县{payload}"
    found = find_cases(sqlite_hall, clerk, payload)
    assert [s.case_number for s in found] == [result.case_number]
    assert found[0].request == request[:80]
    assert table_names(sqlite_hall) == tables
    assert counts(sqlite_hall)["cases"] == 2


# --- oversized input ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("field", "value", "limit"), [
    ("request", "访" * 100_000, MAX_TEXT),
    ("facts", "事" * 100_000, MAX_TEXT),
    ("reasons", "理" * (MAX_TEXT + 1), MAX_TEXT),
    ("address", "址" * 10_000, MAX_ADDRESS),
    ("topic_code", "0101" * 2_500, MAX_CODE),
    ("window", "窗" * 1_000, MAX_CODE),
    ("queue_number", "A" * 1_000, MAX_CODE),
])
def test_oversized_registration_text_is_refused_naming_the_limit(sqlite_hall: Hall, clerk: Actor, field: str,
                                                                  value: str, limit: int) -> None:
    with pytest.raises(ValidationError) as refused, stores_nothing_if_refused(sqlite_hall):
        changes: dict[str, Any] = {field: value}
        register_visit(sqlite_hall, clerk, replace(form(), **changes))
    assert str(limit) in refused.value.message


def test_oversized_name_is_refused_naming_the_limit(sqlite_hall: Hall, clerk: Actor) -> None:
    for person in ("petitioner", "agent"):
        changes: dict[str, Any] = {person: PersonInput(name="张" * 1_000, document_number=valid_id())}
        registration = replace(form(), **changes)
        with pytest.raises(ValidationError) as refused, stores_nothing_if_refused(sqlite_hall):
            register_visit(sqlite_hall, clerk, registration)
        assert str(MAX_CHINESE_NAME) in refused.value.message and refused.value.field == "name"


def test_oversized_query_is_refused_naming_the_limit(sqlite_hall: Hall, clerk: Actor) -> None:
    _register(sqlite_hall, clerk, 1)
    with pytest.raises(ValidationError) as refused, stores_nothing_if_refused(sqlite_hall):
        find_cases(sqlite_hall, clerk, "电梯" * 5_000)
    assert str(MAX_QUERY) in refused.value.message


def test_ten_megabyte_holiday_csv_is_refused_naming_the_limit(sqlite_hall: Hall) -> None:
    line = "2027-10-01,休,国庆节\n"
    csv_text = ",".join(CSV_HEADER) + "\n" + line * (10 * 1024 * 1024 // len(line.encode()))
    with pytest.raises(ValidationError) as refused, stores_nothing_if_refused(sqlite_hall):
        import_schedule(sqlite_hall, Actor.system("test"), csv_text, "测试")
    assert str(MAX_SCHEDULE_CSV_CHARS) in refused.value.message


def test_ten_thousand_character_password_is_refused_naming_the_limit(sqlite_hall: Hall) -> None:
    system = Actor.system("test")
    with pytest.raises(ValidationError) as refused, stores_nothing_if_refused(sqlite_hall):
        accounts.create_account(sqlite_hall, system, login="wangli", display_name="王丽", role="clerk",
                                initial_password="Aa1!" * 2_500)
    assert str(MAX_LENGTH) in refused.value.message
    _account(sqlite_hall)
    with pytest.raises(ValidationError) as refused, stores_nothing_if_refused(sqlite_hall):
        accounts.change_password(sqlite_hall, Actor("staff:wangli", "王丽", "clerk"), PASSWORD, "Aa1!" * 2_500)
    assert str(MAX_LENGTH) in refused.value.message
    with pytest.raises(ValidationError) as refused, stores_nothing_if_refused(sqlite_hall):
        accounts.reset_password(sqlite_hall, system, "wangli", "Aa1!" * 2_500)
    assert str(MAX_LENGTH) in refused.value.message


def test_sign_in_refuses_a_ten_thousand_character_password_naming_the_limit(sqlite_hall: Hall) -> None:
    _account(sqlite_hall)
    with pytest.raises(SignInRefused) as refused:
        accounts.sign_in(sqlite_hall, "wangli", "Aa1!" * 2_500)
    assert str(MAX_LENGTH) in refused.value.message


def test_the_keyboards_full_width_period_is_stored_as_a_chinese_full_stop(sqlite_hall: Hall, clerk: Actor) -> None:
    """The kiosk's on-screen keyboard writes "．" for its full-stop key: 诉求, 事实 and 理由 keep "。" where a Chinese
    sentence ends, "." inside a number."""
    result = _register(sqlite_hall, clerk, 1, request="电梯停运三个月．请求修复．", facts="维修基金余额2．3万元．",
                       reasons="物业说“没钱修”．")
    view = cases.load_case(sqlite_hall, clerk, result.case_number).view
    assert (view.request, view.facts, view.reasons) == ("电梯停运三个月。请求修复。", "维修基金余额2.3万元。",
                                                        "物业说“没钱修”。")


@pytest.mark.parametrize("field", ["request", "facts", "reasons"])
def test_a_petitions_texts_take_the_domains_one_limit(sqlite_hall: Hall, clerk: Actor, field: str) -> None:
    """诉求, 事实 and 理由 are held to one rule (the kiosk says it as it is written, the hall server checks it): as
    long as the limit is registered, one character more is refused naming it."""
    from desktop.domain.events import EventType
    from desktop.domain.texts import MAX_PETITION_TEXT
    from server.validation import SCHEMAS, Refused

    changes: dict[str, Any] = {field: "访" * MAX_PETITION_TEXT}
    register_visit(sqlite_hall, clerk, replace(form(), **changes))
    with pytest.raises(ValidationError) as refused, stores_nothing_if_refused(sqlite_hall):
        register_visit(sqlite_hall, clerk, replace(form(), **{field: "访" * (MAX_PETITION_TEXT + 1)}))
    assert f"不超过{MAX_PETITION_TEXT}字" in refused.value.message
    check = SCHEMAS[EventType.REGISTERED].fields[field]
    check("访" * MAX_PETITION_TEXT, field)
    with pytest.raises(Refused):
        check("访" * (MAX_PETITION_TEXT + 1), field)
