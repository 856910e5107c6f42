"""Bad input to every domain validator: a value or a clear Chinese refusal, never a crash.

Each validator either returns a value or raises :class:`RuleViolation` (or its
subclass :class:`ValidationError`) whose message is non-empty and Chinese; any
other exception type is a bug. The maskers and ``password_problems`` never raise.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from desktop.domain.calendar import (
    CSV_HEADER,
    MAX_SCHEDULE_CSV_CHARS,
    YearSchedule,
    format_schedule_csv,
    parse_schedule_csv,
)
from desktop.domain.classification import Channel, LegalRoute, Nature, Purpose, TopicTaxonomy, parse_choice
from desktop.domain.errors import RuleViolation, ValidationError
from desktop.domain.groups import check_group
from desktop.domain.identity import (
    MAX_PHONE_INPUT,
    DocumentType,
    id_birth_date,
    id_gender,
    id_region_code,
    mask_address,
    mask_id_number,
    mask_name,
    mask_phone,
    name_search_keys,
    normalise_name,
    to_halfwidth,
    validate_document,
    validate_landline,
    validate_mobile,
    validate_phone,
    validate_resident_id,
)
from desktop.domain.numbering import (
    CaseNumber,
    case_number_candidates,
    checksum_ok,
    format_query_code,
    hash_query_code,
    make_case_number,
    normalise_query_code,
    parse_case_number,
    validate_case_number,
    validate_device_code,
    verify_query_code,
)
from desktop.domain.passwords import MAX_LENGTH, check_password, password_problems
from desktop.domain.regions import normalise_region_code, parse_level

T = TypeVar("T")

PEPPER = bytes(range(32))
SALT = b"0123456789abcdef"
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)

# --- strategies --------------------------------------------------------------------------------

#: Any text hypothesis draws by default: every code point but surrogates.
any_text = st.text(max_size=60)
#: Control, format and separator characters only (NUL, BOM, zero-width joiners, U+2028…).
control_text = st.text(alphabet=st.characters(categories=["Cc", "Cf", "Zs", "Zl", "Zp"]), max_size=30)
#: What a person types into a number field: ASCII and full-width digits, X, separators, prefixes.
digits_text = st.text(alphabet="0123456789０１２３４５６７８９Xx+-－ ()（）#转ext.,，\u3000\t\n", max_size=40)
#: Chinese names and phrases, with the odd dot, space and Latin letter.
cjk_text = st.text(
    alphabet=st.one_of(st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),
                       st.characters(min_codepoint=0x3400, max_codepoint=0x4DBF),
                       st.sampled_from("·・•. 　abcXYZ𠀀😀")),
    max_size=30,
)
#: A short piece repeated into 1,000–20,000 characters.
huge_text = st.builds(lambda piece, times: piece * times, st.text(min_size=1, max_size=4),
                      st.integers(min_value=1_000, max_value=20_000))
bad_text = st.one_of(any_text, control_text, digits_text, cjk_text, huge_text)

NASTY = [
    "", " ", "\x00", "\x00" * 20, "\ufeff", "\u200b\u200d", "\u2028\u2029", "\r\n", "'; DROP TABLE cases; --",
    '" OR 1=1 --', "<script>alert(1)</script>", "%_\\", "𠀀😀", "١٢٣٤٥٦٧٨٩٠١٢٣٤٥٦٧٨", "１" * 18, "²³¹" * 6,
    "X" * 18, "x" * 100_000, "9" * 10_000, "0" * 18, "-" * 40, "XF-" * 1000, "+86" * 50, "ß" * 30, "ǅ" * 20,
]


def _chinese(exc: RuleViolation) -> None:
    assert exc.message, f"empty message for {exc.code}"
    assert _CJK.search(exc.message), f"message without Chinese: {exc.message!r}"
    assert exc.code and exc.code.isascii()


def outcome(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T | RuleViolation:
    """Call ``fn``; a Chinese refusal is returned, any other exception propagates (the test fails)."""
    try:
        return fn(*args, **kwargs)
    except RuleViolation as exc:
        _chinese(exc)
        return exc


def valid_id(region: str, birth: date, seq: int) -> str:
    body = f"{region}{birth:%Y%m%d}{seq:03d}"
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, _WEIGHTS, strict=True)) % 11]


valid_ids = st.builds(valid_id, st.from_regex(r"[1-8][0-9]{5}", fullmatch=True),
                      st.dates(min_value=date(1900, 1, 1), max_value=date(2025, 12, 31)),
                      st.integers(min_value=0, max_value=999))


def _compact(text: str) -> str:
    return "".join(to_halfwidth(text).split()).upper()


def _revealed(masked: str) -> int:
    return sum(1 for c in masked if c not in "*-· ")


# --- identity documents --------------------------------------------------------------------------


@given(bad_text)
@settings(max_examples=300, deadline=None)
def test_resident_id_returns_18_characters_or_a_chinese_refusal(text: str) -> None:
    result = outcome(validate_resident_id, text, today=date(2026, 9, 16))
    if isinstance(result, str):
        assert len(result) == 18 and result[:17].isdigit() and result.isascii()
        assert validate_resident_id(result) == result
        assert id_birth_date(result) <= date(2026, 9, 16)
        assert id_gender(result) in ("男", "女")
        assert id_region_code(result) == result[:6]
    else:
        for derived in (id_birth_date, id_gender, id_region_code):
            assert isinstance(outcome(derived, text), RuleViolation | date | str)


@pytest.mark.parametrize("text", NASTY)
def test_resident_id_nasty_strings(text: str) -> None:
    result = outcome(validate_resident_id, text)
    assert isinstance(result, ValidationError)


@given(valid_ids, st.sampled_from(["", " ", "\u3000", "\t"]))
def test_valid_resident_ids_survive_spacing_and_full_width(number: str, space: str) -> None:
    typed = space + " ".join(number[i:i + 6] for i in range(0, 18, 6)).lower() + space
    assert validate_resident_id(typed) == number
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in number)
    assert validate_resident_id(full_width) == number


@given(st.one_of(st.sampled_from(list(DocumentType)), st.sampled_from([t.value for t in DocumentType]), any_text),
       bad_text)
@settings(max_examples=400, deadline=None)
def test_every_document_type_with_any_number(doc_type: str, number: str) -> None:
    result = outcome(validate_document, doc_type, number, today=date(2026, 9, 16))
    if isinstance(result, str):
        assert result == "" or len(result) <= 40
        assert result.isprintable()


@pytest.mark.parametrize("doc_type", list(DocumentType))
@pytest.mark.parametrize("text", NASTY)
def test_every_document_type_with_nasty_strings(doc_type: DocumentType, text: str) -> None:
    outcome(validate_document, doc_type, text)


# --- phones ----------------------------------------------------------------------------------------


@given(st.one_of(digits_text, bad_text))
@settings(max_examples=400, deadline=None)
def test_phone_validators_return_normal_form_or_refuse(text: str) -> None:
    mobile = outcome(validate_mobile, text)
    if isinstance(mobile, str):
        assert re.fullmatch(r"1[3-9][0-9]{9}", mobile)
    landline = outcome(validate_landline, text)
    if isinstance(landline, str):
        assert re.fullmatch(r"0[1-9][0-9]{1,2}-[2-9][0-9]{6,7}(-[0-9]{1,6})?", landline)
    phone = outcome(validate_phone, text)
    if isinstance(phone, str):
        assert phone in (mobile, landline) or re.fullmatch(r"\+[1-9][0-9]{6,14}", phone)  # or outside the mainland
        assert validate_phone(phone) == phone


@pytest.mark.parametrize("text", NASTY)
def test_phone_nasty_strings(text: str) -> None:
    for validator in (validate_mobile, validate_landline, validate_phone):
        assert isinstance(outcome(validator, text), RuleViolation)


@pytest.mark.parametrize("text", ["0" + " " * 100_000 + "a", "0571 " + " 1" * 50_000 + "x", "1" * 100_000])
def test_oversized_phones_are_refused_quickly_naming_the_limit(text: str) -> None:
    """The extension pattern is quadratic in runs of spaces: 100,000 of them once took minutes.

    The size limit is checked before any pattern runs: refused by it, never by a pattern.
    """
    for validator in (validate_mobile, validate_landline, validate_phone):
        with pytest.raises(ValidationError) as refused:
            validator(text)
        _chinese(refused.value)
        assert str(MAX_PHONE_INPUT) in refused.value.message
    assert "*" in mask_phone(text)


# --- names and search keys -------------------------------------------------------------------------


@given(st.one_of(cjk_text, bad_text))
@settings(max_examples=300, deadline=None)
def test_name_normalisation_and_search_keys_never_raise(text: str) -> None:
    name = normalise_name(text)
    assert isinstance(name, str)
    assert name == name.strip()
    assert "\u3000" not in name
    keys = name_search_keys(text)
    assert all(isinstance(k, str) and k for k in keys)
    assert len(keys) == len(set(keys))
    if name:
        assert name.lower() in keys
    else:
        assert keys == []


# --- masking -----------------------------------------------------------------------------------------


@given(st.one_of(valid_ids, digits_text, bad_text))
@settings(max_examples=300, deadline=None)
def test_mask_id_number_never_raises_nor_reveals_a_long_number(text: str) -> None:
    masked = mask_id_number(text)
    n = len(_compact(text))
    assert len(masked) == n
    if n >= 15:
        assert _revealed(masked) <= 10 and masked.count("*") >= n - 10
    elif n >= 8:
        assert _revealed(masked) <= 4
    elif n >= 3:
        assert _revealed(masked) <= 2
    else:
        assert _revealed(masked) == 0


@given(valid_ids)
def test_mask_id_number_keeps_region_and_last_four(number: str) -> None:
    assert mask_id_number(number) == number[:6] + "********" + number[-4:]


@given(st.one_of(digits_text, bad_text, st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True)))
@settings(max_examples=300, deadline=None)
@example("********")  # already all stars: nothing is left to hide
@example("1*******")
@example("13857912345")
def test_mask_phone_never_raises_nor_reveals_a_long_number(text: str) -> None:
    masked = mask_phone(text)
    assert _revealed(masked) <= 7
    if len(_compact(text)) >= 8:
        assert "*" in masked
        # something is hidden: fewer characters show than were typed, or no more than four show
        assert _revealed(masked) < _revealed(text) or _revealed(masked) <= 4


@given(st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True))
def test_mask_phone_mobile_shape(mobile: str) -> None:
    assert mask_phone(mobile) == mobile[:3] + "****" + mobile[-4:]


@given(st.one_of(cjk_text, bad_text))
@settings(max_examples=300, deadline=None)
def test_mask_name_and_address_never_raise(text: str) -> None:
    masked = mask_name(text)
    name = normalise_name(text)
    assert len(masked) == len(name)
    if len(name) >= 2 and _CJK.fullmatch(name[0]) and all(_CJK.fullmatch(c) for c in name):
        assert "*" in masked and masked != name
    address = mask_address(text)
    stripped = text.strip()
    kept = address.removesuffix("****")
    assert stripped.startswith(kept)
    assert address == stripped or address.endswith("****")


# --- case numbers and query codes --------------------------------------------------------------------


@given(st.one_of(bad_text, st.from_regex(r"XF-?[0-9]{8}-?[A-Z0-9]{2,4}-?[0-9]{5,9}-?[0-9A-Z]", fullmatch=True)))
@settings(max_examples=400, deadline=None)
def test_case_number_validation(text: str) -> None:
    result = outcome(case_number_candidates, text)
    if isinstance(result, tuple):
        assert result and all(isinstance(c, CaseNumber) for c in result)
        assert validate_case_number(result[0].text) == result[0].text
        assert parse_case_number(text) == result[0]
        assert checksum_ok(result[0].compact)
    else:
        assert isinstance(result, ValidationError)
        assert isinstance(outcome(validate_case_number, text), ValidationError)


@given(st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)), bad_text,
       st.one_of(st.integers(), st.booleans()))
@settings(max_examples=200, deadline=None)
def test_make_case_number_refuses_bad_devices_and_serials(received: date, device: str, serial: int) -> None:
    result = outcome(make_case_number, received, device, serial)
    if isinstance(result, str):
        assert validate_case_number(result) == result
    assert isinstance(outcome(validate_device_code, device), str | RuleViolation)


@given(st.one_of(digits_text, bad_text))
@settings(max_examples=300, deadline=None)
def test_query_code_wrong_formats_are_refused_or_false(code: str) -> None:
    stored = hash_query_code("12345678", PEPPER, SALT)
    normal = outcome(normalise_query_code, code)
    if isinstance(normal, str):
        assert len(normal) == 8 and normal.isascii() and normal.isdigit()
        assert format_query_code(code) == f"{normal[:4]} {normal[4:]}"
        assert verify_query_code(code, stored, PEPPER) is (normal == "12345678")
    else:
        assert verify_query_code(code, stored, PEPPER) is False


@given(st.one_of(digits_text, bad_text), bad_text)
@settings(max_examples=300, deadline=None)
def test_verify_query_code_never_raises_on_garbage_hashes(code: str, stored: str) -> None:
    assert verify_query_code(code, stored, PEPPER) in (True, False)
    assert verify_query_code(code, "v1$" + stored + "$" + "0" * 64, PEPPER) in (True, False)


# --- groups, classification, regions -----------------------------------------------------------------


@given(st.one_of(st.integers(min_value=-(10**12), max_value=10**12), st.integers()),
       st.lists(st.tuples(bad_text, bad_text), max_size=8))
@settings(max_examples=200, deadline=None)
def test_check_group_refuses_cleanly(persons: int, representatives: list[tuple[str, str]]) -> None:
    result = outcome(check_group, persons, representatives)
    if not isinstance(result, RuleViolation):
        assert 1 <= persons <= 10_000 and len(representatives) <= 5


@given(st.sampled_from([Channel, Nature, Purpose, LegalRoute]), bad_text)
def test_parse_choice_refuses_cleanly(enum_type: Any, text: str) -> None:
    result = outcome(parse_choice, enum_type, text, label="类别", field_name="kind")
    assert isinstance(result, enum_type | RuleViolation)
    assert isinstance(outcome(parse_level, text), str | RuleViolation)
    region = outcome(normalise_region_code, text)
    if isinstance(region, str):
        assert region.isascii() and region.isdigit()


@given(st.lists(st.dictionaries(st.sampled_from(["code", "name", "parent_code", "default_nature",
                                                  "default_legal_route", "keywords"]),
                                st.one_of(st.none(), bad_text)), max_size=5),
       bad_text)
@settings(max_examples=200, deadline=None)
def test_topic_taxonomy_from_any_rows(rows: list[dict[str, str | None]], text: str) -> None:
    taxonomy = outcome(TopicTaxonomy.from_rows, rows)
    if isinstance(taxonomy, TopicTaxonomy):
        assert isinstance(outcome(taxonomy.get, text), RuleViolation) or text in taxonomy
        assert len(taxonomy.suggest(text)) <= 3


# --- holiday schedule CSV ----------------------------------------------------------------------------

_date_cells = st.one_of(st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)).map(date.isoformat),
                        st.from_regex(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", fullmatch=True), bad_text)
_rows = st.lists(st.tuples(_date_cells, st.one_of(st.sampled_from(["休", "班"]), bad_text), bad_text), max_size=8)


def _csv_line(cells: tuple[str, ...]) -> str:
    return ",".join(cells)


@given(bad_text)
@settings(max_examples=300, deadline=None)
def test_schedule_csv_any_text(text: str) -> None:
    result = outcome(parse_schedule_csv, text, "测试")
    has_header = all(word in text for word in CSV_HEADER)
    if isinstance(result, RuleViolation):
        assert result.code.startswith("schedule_csv_")
        if not has_header:  # refused at the first line, before any date is read
            assert result.code in {"schedule_csv_too_large", "schedule_csv_empty", "schedule_csv_header"}
    else:
        # accepted only with the header, and what was accepted reads back unchanged
        assert has_header
        assert all(isinstance(s, YearSchedule) for s in result)
        assert parse_schedule_csv(format_schedule_csv(result), "测试") == result


@given(_rows, st.sampled_from(["\n", "\r\n", "\r", "\u2028"]), st.booleans())
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_schedule_csv_random_rows_parse_or_refuse_with_line_numbers(
        rows: list[tuple[str, str, str]], newline: str, bom: bool) -> None:
    text = ("\ufeff" if bom else "") + newline.join([_csv_line(CSV_HEADER), *(_csv_line(r) for r in rows)])
    result = outcome(parse_schedule_csv, text, "测试")
    if isinstance(result, list):
        # what was accepted can be written back and read again unchanged
        assert parse_schedule_csv(format_schedule_csv(result), "测试") == result
        for schedule in result:
            for name in (*schedule.holidays.values(), *schedule.makeup_workdays.values()):
                assert len(name) <= 50 and not any(unicodedata.category(c) in ("Cc", "Cs") for c in name)
    else:
        assert result.code.startswith("schedule")


@pytest.mark.parametrize("text", NASTY)
def test_schedule_csv_nasty_strings(text: str) -> None:
    assert isinstance(outcome(parse_schedule_csv, text, "测试"), ValidationError)
    row = f"{_csv_line(CSV_HEADER)}\n2027-10-01,休,{text}\n"
    outcome(parse_schedule_csv, row, "测试")


def test_schedule_csv_field_longer_than_the_csv_module_allows_is_refused() -> None:
    text = f"{_csv_line(CSV_HEADER)}\n2027-10-01,休,{'节' * 200_000}\n"
    result = outcome(parse_schedule_csv, text, "测试")
    assert isinstance(result, ValidationError)


def test_ten_megabyte_schedule_csv_is_refused_naming_the_limit() -> None:
    line = "2027-10-01,休,国庆节\n"
    text = _csv_line(CSV_HEADER) + "\n" + line * (10 * 1024 * 1024 // len(line.encode()))
    assert len(text.encode()) >= 9_900_000
    with pytest.raises(ValidationError) as refused:
        parse_schedule_csv(text, "测试")
    _chinese(refused.value)
    assert f"{MAX_SCHEDULE_CSV_CHARS:,}" in refused.value.message or str(MAX_SCHEDULE_CSV_CHARS) in \
        refused.value.message


def test_schedule_names_with_control_characters_are_refused() -> None:
    for name in ("国庆\x00节", "国庆\x1b[31m节", "国" * 51):
        with pytest.raises(ValidationError) as refused:
            parse_schedule_csv(f"{_csv_line(CSV_HEADER)}\n2027-10-01,休,{name}\n", "测试")
        _chinese(refused.value)
        assert "第2行" in refused.value.message


# --- passwords -----------------------------------------------------------------------------------------


@given(st.one_of(bad_text, st.text(min_size=8, max_size=40)), bad_text, bad_text)
@settings(max_examples=300, deadline=None)
def test_password_problems_never_raise(password: str, login: str, display_name: str) -> None:
    problems = password_problems(password, login=login, display_name=display_name)
    assert isinstance(problems, list)
    assert all(_CJK.search(p) for p in problems)
    result = outcome(check_password, password, login=login, display_name=display_name)
    assert (result is None) is (not problems)


def test_ten_thousand_character_password_is_refused_naming_the_limit() -> None:
    password = "Aa1!" * 2_500
    assert f"长度不能超过{MAX_LENGTH}位" in password_problems(password)
    with pytest.raises(ValidationError) as refused:
        check_password(password)
    _chinese(refused.value)
    assert str(MAX_LENGTH) in refused.value.message
