"""Identity documents, phones, masking and name search keys."""

from __future__ import annotations

import contextlib
import random
import re
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypinyin import Style, lazy_pinyin

from desktop.domain.errors import ValidationError
from desktop.domain.identity import (
    DocumentType,
    document_flag,
    id_birth_date,
    id_gender,
    id_region_code,
    mask_address,
    mask_id_number,
    mask_name,
    mask_phone,
    name_search_keys,
    normalise_name,
    validate_document,
    validate_landline,
    validate_mobile,
    validate_phone,
    validate_resident_id,
)

# --- helpers -----------------------------------------------------------------

_WEIGHTS = [2 ** (17 - i) % 11 for i in range(17)]
REGIONS = ["110105", "310104", "330726", "440305", "510107", "650102", "230102", "540102"]


def gb11643_check(body17: str) -> str:
    """Check digit of GB 11643 computed from its definition (independent of stdnum)."""
    total = sum(int(d) * w for d, w in zip(body17, _WEIGHTS, strict=True))
    value = (12 - total % 11) % 11
    return "X" if value == 10 else str(value)


def make_id(region: str, birth: date, seq: int) -> str:
    body = f"{region}{birth:%Y%m%d}{seq:03d}"
    return body + gb11643_check(body)


def random_ids(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    start = date(1900, 1, 1).toordinal()
    end = date(2025, 12, 31).toordinal()
    return [
        make_id(rng.choice(REGIONS), date.fromordinal(rng.randint(start, end)), rng.randint(0, 999))
        for _ in range(count)
    ]


ids = st.builds(
    make_id,
    st.sampled_from(REGIONS),
    st.dates(date(1900, 1, 1), date(2025, 12, 31)),
    st.integers(0, 999),
)

TODAY = date(2026, 11, 24)

# --- resident ID ---------------------------------------------------------------


def test_known_example_and_generated_numbers_validate() -> None:
    assert validate_resident_id("11010519491231002X") == "11010519491231002X"
    numbers = random_ids(2000, seed=1)
    assert any(n.endswith("X") for n in numbers)
    for n in numbers:
        assert validate_resident_id(n, today=TODAY) == n


def test_check_digit_helper_matches_a_published_example() -> None:
    assert make_id("110105", date(1949, 12, 31), 2) == "11010519491231002X"


@pytest.mark.parametrize(
    "typed",
    [
        " 11010519491231002x ",
        "１１０１０５１９４９１２３１００２Ｘ",
        "110105 19491231 002X",
        "110105\u300019491231\t002ｘ",
    ],
)
def test_resident_id_is_normalised(typed: str) -> None:
    assert validate_resident_id(typed) == "11010519491231002X"


@pytest.mark.parametrize(
    ("typed", "code", "fragment"),
    [
        ("", "id_number_empty", "请输入身份证号码"),
        ("   ", "id_number_empty", "请输入身份证号码"),
        ("11010519491231002", "id_number_length", "身份证号码应为18位，您输入了17位"),
        ("110105194912310021X", "id_number_length", "您输入了19位"),
        ("110105491231002", "id_number_length", "这是老身份证的15位号码，现在的身份证号码是18位"),
        ("11010519491231002Y", "id_number_chars", "数字和末位的X"),
        ("1101051949-231002X", "id_number_chars", ""),
        ("1101051949123100X2", "id_number_chars", "只有最后一位可以是X"),
        (make_id("110105", date(1949, 12, 31), 2)[:10] + "0230" + "0023", "id_number_birth_date",
         "出生日期"),
        ("110105" + "18000101" + "0011", "id_number_birth_date", "出生年份"),
        ("11010519491231002Y".replace("Y", "1"), "id_number_checksum",
         "身份证号码不对，请对照身份证一位一位再看一遍（18位号码的最后一位可能是X）"),
    ],
)
def test_resident_id_errors(typed: str, code: str, fragment: str) -> None:
    with pytest.raises(ValidationError) as info:
        validate_resident_id(typed)
    assert info.value.code == code
    assert fragment in info.value.message
    assert info.value.field == "id_number"


def test_checksum_message_is_exact() -> None:
    with pytest.raises(ValidationError) as info:
        validate_resident_id("110105194912310021")
    assert info.value.message == "身份证号码不对，请对照身份证一位一位再看一遍（18位号码的最后一位可能是X）"


def test_birth_after_today_is_refused_only_when_today_given() -> None:
    future = make_id("330726", TODAY + timedelta(days=1), 11)
    assert validate_resident_id(future) == future
    assert validate_resident_id(make_id("330726", TODAY, 11), today=TODAY)
    with pytest.raises(ValidationError) as info:
        validate_resident_id(future, today=TODAY)
    assert info.value.code == "id_number_birth_future"


@given(ids)
def test_valid_numbers_round_trip(number: str) -> None:
    assert validate_resident_id(number) == number
    assert validate_resident_id(number.lower().replace("X", "x")) == number
    assert id_region_code(number) == number[:6]
    born = id_birth_date(number)
    assert f"{born:%Y%m%d}" == number[6:14]
    assert id_gender(number) == ("男" if int(number[16]) % 2 else "女")


@settings(max_examples=300)
@given(ids, st.integers(0, 17), st.sampled_from("0123456789X"))
def test_any_single_character_change_is_refused(number: str, pos: int, new: str) -> None:
    if number[pos] == new:
        return
    changed = number[:pos] + new + number[pos + 1:]
    with pytest.raises(ValidationError):
        validate_resident_id(changed)


def test_every_single_digit_change_is_refused_exhaustively() -> None:
    for number in random_ids(40, seed=2):
        for pos in range(18):
            for new in "0123456789X":
                if new != number[pos]:
                    with pytest.raises(ValidationError):
                        validate_resident_id(number[:pos] + new + number[pos + 1:])


@given(st.text(max_size=30))
def test_junk_raises_only_validation_error(text: str) -> None:
    try:
        validate_resident_id(text, today=TODAY)
    except ValidationError as exc:
        assert exc.message and exc.code.startswith("id_number_")


@given(st.text(alphabet="0123456789Xx １２３", min_size=16, max_size=20))
def test_digit_junk_raises_only_validation_error(text: str) -> None:
    with contextlib.suppress(ValidationError):
        assert len(validate_resident_id(text)) == 18


def test_id_gender_examples() -> None:
    assert id_gender("11010519491231002X") == "女"
    assert id_gender(make_id("110105", date(1980, 1, 1), 1)) == "男"
    with pytest.raises(ValidationError):
        id_gender("123")


# --- other documents -----------------------------------------------------------


def test_document_flag() -> None:
    assert document_flag(DocumentType.NONE) == "未出示证件"
    assert document_flag(DocumentType.RESIDENT_ID) is None
    assert document_flag(DocumentType.PASSPORT) is None


def test_document_type_values() -> None:
    assert DocumentType.RESIDENT_ID.value == "居民身份证"
    assert DocumentType("无证件") is DocumentType.NONE
    assert len(DocumentType) == 8


def test_validate_document() -> None:
    assert validate_document(DocumentType.RESIDENT_ID, "11010519491231002x") == "11010519491231002X"
    assert validate_document(DocumentType.PASSPORT, " e1234 5678 ") == "E12345678"
    assert validate_document(DocumentType.HK_MACAO_PERMIT, "Ｈ１２３４５６７８") == "H12345678"
    assert validate_document(DocumentType.TAIWAN_PERMIT, "12345678") == "12345678"
    assert validate_document(DocumentType.NONE, "  ") == ""
    assert validate_document("其他证件", "军字第 012345 号") == "军字第012345号"
    assert validate_document(DocumentType.FOREIGN_PERMANENT, "usa123456789012") == "USA123456789012"
    permit = make_id("810000", date(1990, 5, 6), 123)
    assert validate_document(DocumentType.HK_MACAO_TW_RESIDENCE, permit) == permit
    foreign = make_id("933000", date(1985, 7, 8), 45)
    assert validate_document(DocumentType.FOREIGN_PERMANENT, foreign) == foreign


@pytest.mark.parametrize(
    ("kind", "number", "code"),
    [
        (DocumentType.NONE, "123", "document_none_number"),
        (DocumentType.PASSPORT, "", "document_number_empty"),
        (DocumentType.PASSPORT, "E12", "document_number_format"),
        (DocumentType.PASSPORT, "ABCDEFG", "document_number_format"),
        (DocumentType.PASSPORT, "E1234567890123456789012", "document_number_format"),
        (DocumentType.PASSPORT, "E1234-5678", "document_number_format"),
        (DocumentType.RESIDENT_ID, "110105194912310021", "document_number_checksum"),
        (DocumentType.HK_MACAO_TW_RESIDENCE, "11010519491231002X", "document_number_region"),
        (DocumentType.FOREIGN_PERMANENT, "12345", "document_number_format"),
        (DocumentType.OTHER, "x" * 41, "document_number_format"),
        ("驾驶证", "123456", "document_type_unknown"),
    ],
)
def test_validate_document_errors(kind: DocumentType | str, number: str, code: str) -> None:
    with pytest.raises(ValidationError) as info:
        validate_document(kind, number)
    assert info.value.code == code


@given(st.sampled_from(list(DocumentType)), st.text(max_size=30))
def test_document_junk_raises_only_validation_error(kind: DocumentType, text: str) -> None:
    with contextlib.suppress(ValidationError):
        validate_document(kind, text, today=TODAY)


# --- phones --------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "13812345678",
        " 138 1234 5678 ",
        "138-1234-5678",
        "+86 138 1234 5678",
        "+8613812345678",
        "0086-13812345678",
        "8613812345678",
        "１３８１２３４５６７８",
    ],
)
def test_mobile_normalisation(typed: str) -> None:
    assert validate_mobile(typed) == "13812345678"
    assert validate_phone(typed) == "13812345678"


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("", "mobile_empty"),
        ("1381234567", "mobile_length"),
        ("138123456789", "mobile_length"),
        ("12812345678", "mobile_prefix"),
        ("23812345678", "mobile_prefix"),
        ("138a2345678", "mobile_chars"),
    ],
)
def test_mobile_errors(typed: str, code: str) -> None:
    with pytest.raises(ValidationError) as info:
        validate_mobile(typed)
    assert info.value.code == code


def test_mobile_length_message() -> None:
    with pytest.raises(ValidationError) as info:
        validate_mobile("1381234567")
    assert "手机号码应为11位" in info.value.message


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("0571-87654321", "0571-87654321"),
        ("0571 87654321", "0571-87654321"),
        ("(0571)87654321", "0571-87654321"),
        ("（０５７１）８７６５４３２１", "0571-87654321"),
        ("057187654321", "0571-87654321"),
        ("010-62345678", "010-62345678"),
        ("01062345678", "010-62345678"),
        ("021 6234 5678", "021-62345678"),
        ("0571-8765-4321", "0571-87654321"),
        ("0931-8765432", "0931-8765432"),
        ("+86 571 87654321", "0571-87654321"),
        ("0086 10 62345678", "010-62345678"),
        ("0571-87654321-123", "0571-87654321-123"),
        ("0571-87654321转123", "0571-87654321-123"),
        ("0571-87654321 ext. 88", "0571-87654321-88"),
    ],
)
def test_landline_normalisation(typed: str, expected: str) -> None:
    assert validate_landline(typed) == expected
    assert validate_phone(typed) == expected


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("", "landline_empty"),
        ("87654321", "landline_area"),
        ("05-87654321", "landline_area"),
        ("0571-123456", "landline_length"),
        ("0571-123456789", "landline_length"),
        ("0571-07654321", "landline_length"),
        ("0571-8765abcd", "landline_chars"),
        ("010-6234567-1-2", "landline_format"),
    ],
)
def test_landline_errors(typed: str, code: str) -> None:
    with pytest.raises(ValidationError) as info:
        validate_landline(typed)
    assert info.value.code == code


@pytest.mark.parametrize(("typed", "code"), [("", "phone_empty"), ("abc", "phone_format")])
def test_phone_errors(typed: str, code: str) -> None:
    with pytest.raises(ValidationError) as info:
        validate_phone(typed)
    assert info.value.code == code


@given(st.text(max_size=25))
def test_phone_junk_raises_only_validation_error(text: str) -> None:
    for validate in (validate_phone, validate_mobile, validate_landline):
        with contextlib.suppress(ValidationError):
            validate(text)


@given(st.text(alphabet="0123456789+-() 转x", max_size=22))
def test_phone_digit_junk_raises_only_validation_error(text: str) -> None:
    try:
        result = validate_phone(text)
    except ValidationError:
        return
    assert re.fullmatch(r"1[3-9]\d{9}|0\d{2,3}-[2-9]\d{6,7}(-\d{1,6})?|\+[1-9]\d{6,14}", result)


# --- masking -------------------------------------------------------------------


def test_mask_examples() -> None:
    assert mask_id_number("11010519491231002X") == "110105********002X"
    assert mask_id_number("11010519491231002x") == "110105********002X"
    assert mask_id_number("E12345678") == "E1*****78"
    assert mask_id_number("ABC") == "A*C"
    assert mask_id_number("AB") == "**"
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("+86 138 1234 5678") == "138****5678"
    assert mask_phone("0571-87654321") == "0571-******21"
    assert mask_phone("010-62345678转12") == "010-******78-**"
    assert mask_name("张三") == "张*"
    assert mask_name("张建国") == "张**"
    assert mask_name("欧阳娜娜") == "欧阳**"
    assert mask_name("欧阳") == "欧*"
    assert mask_name("诸葛亮") == "诸葛*"
    assert mask_name("张") == "*"
    assert mask_name("阿依古丽·买买提") == "阿***·***"
    assert mask_name("John Smith") == "J*** *****"
    for masker in (mask_id_number, mask_phone, mask_name, mask_address):
        assert masker("") == ""


@pytest.mark.parametrize(
    ("address", "masked"),
    [
        ("浙江省杭州市西湖区文三路100号", "浙江省杭州市西湖区****"),
        ("浙江省金华市浦江县浦阳街道和平路8号", "浙江省金华市浦江县****"),
        ("北京市海淀区中关村大街1号", "北京市海淀区****"),
        ("上海市浦东新区张江路", "上海市浦东新区****"),
        (
            "内蒙古自治区呼伦贝尔市鄂温克族自治旗巴彦托海镇",
            "内蒙古自治区呼伦贝尔市鄂温克族自治旗****",
        ),
        ("西藏自治区阿里地区噶尔县狮泉河镇", "西藏自治区阿里地区噶尔县****"),
        ("浙江省义乌市稠州北路", "浙江省义乌市****"),
        ("杭州市西湖区", "杭州市西湖区"),
        ("文三路100号", "****"),
        ("阳光小区3幢201室", "****"),
    ],
)
def test_mask_address(address: str, masked: str) -> None:
    assert mask_address(address) == masked


@given(ids)
def test_masked_id_hides_the_middle(number: str) -> None:
    masked = mask_id_number(number)
    assert masked[:6] == number[:6] and masked[-4:] == number[-4:]
    assert masked[6:14] == "*" * 8
    assert number[6:14] not in masked


@given(st.text(max_size=30))
def test_maskers_never_raise_and_reveal_little(text: str) -> None:
    for masker in (mask_id_number, mask_phone, mask_name, mask_address):
        assert isinstance(masker(text), str)
    masked_id = mask_id_number(text)
    shown = len(masked_id) - masked_id.count("*")
    assert shown <= min(10, 2 * len(masked_id) // 3)
    masked_name = mask_name(text)
    assert len([c for c in masked_name if c not in "*· "]) <= 2


@given(st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True))
def test_masked_mobile_hides_the_middle_four(mobile: str) -> None:
    masked = mask_phone(mobile)
    assert masked == mobile[:3] + "****" + mobile[7:]


@given(st.text(alphabet="赵钱孙李周吴郑王欧阳司马建国华丽", min_size=2, max_size=5))
def test_masked_name_keeps_only_the_surname(name: str) -> None:
    masked = mask_name(name)
    assert len(masked) == len(name)
    keep = len(masked.rstrip("*"))
    assert keep in (1, 2)
    assert masked[keep:] == "*" * (len(name) - keep)


# --- names and search keys -----------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("  张  三 ", "张三"),
        ("张\u3000建国", "张建国"),
        ("阿依古丽・买买提", "阿依古丽·买买提"),
        ("阿依古丽 · 买买提", "阿依古丽·买买提"),
        ("阿依古丽.买买提", "阿依古丽·买买提"),
        ("Ｊｏｈｎ  Ｓｍｉｔｈ", "John Smith"),
        ("", ""),
    ],
)
def test_normalise_name(typed: str, expected: str) -> None:
    assert normalise_name(typed) == expected


def test_name_search_keys() -> None:
    keys = name_search_keys("张建国")
    assert keys[0] == "张建国"
    assert set(keys) == {"张建国", "张", "建", "国", "张建", "建国", "zhangjianguo", "zjg"}
    assert len(keys) == len(set(keys))
    assert name_search_keys("") == []
    assert name_search_keys(" ") == []


def test_name_search_keys_heteronym_surnames() -> None:
    assert {"shantianfang", "stf"} <= set(name_search_keys("单田芳"))
    assert {"zengguofan", "zgf"} <= set(name_search_keys("曾国藩"))
    assert "xiejin" in name_search_keys("解缙")
    assert "zhangsunwuji" in name_search_keys("长孙无忌")


def test_name_search_keys_minority_and_latin() -> None:
    keys = name_search_keys("阿依古丽·买买提")
    assert "阿依古丽·买买提" in keys and "ayglmmt" in keys and "ayigulimaimaiti" in keys
    assert "丽·" not in keys and "阿依古丽买买提" in keys
    latin = name_search_keys("John SMITH")
    assert "john smith" in latin and "johnsmith" in latin and "js" in latin
    assert all(k == k.lower() for k in latin)


@settings(max_examples=200)
@given(st.text(alphabet="赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张建国华明丽", min_size=1,
               max_size=4))
def test_pinyin_keys_agree_with_pypinyin_styles(name: str) -> None:
    keys = name_search_keys(name)
    normal = "".join("".join(lazy_pinyin(ch)) for ch in name)
    first = "".join("".join(lazy_pinyin(ch, style=Style.FIRST_LETTER)) for ch in name)
    assert normal in keys
    assert first in keys
    for i in range(len(name)):
        assert name[i] in keys
        assert name[i:i + 2] in keys


@given(st.text(max_size=20))
def test_name_keys_never_raise(text: str) -> None:
    keys = name_search_keys(text)
    assert len(keys) == len(set(keys))
    assert all(keys)


def _readings(code: str) -> dict[str, object]:
    """Runs ``code`` (which prints JSON) in a fresh interpreter, pypinyin's own environment unset."""
    import json
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith("PYPINYIN")}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    result: dict[str, object] = json.loads(done.stdout)
    return result


def test_names_are_read_without_pypinyin_and_every_character_as_pypinyin_with_its_phrase_tables() -> None:
    # pypinyin's dictionary cost 11 MB (its phrase tables 44 MB more) in every process that indexes a name.
    ours = _readings(
        "import json, sys\n"
        "from desktop.domain.identity import _char_pinyin, name_search_keys\n"
        "name_search_keys('曾国藩')\n"
        "loaded = 'pypinyin' in sys.modules\n"
        "from pypinyin.pinyin_dict import pinyin_dict\n"
        "readings = {chr(c): _char_pinyin(chr(c)) for c in pinyin_dict}\n"
        "print(json.dumps({'pypinyin': loaded, 'readings': readings}))")
    full = _readings(
        "import json\n"
        "from pypinyin import lazy_pinyin\n"
        "from pypinyin.pinyin_dict import pinyin_dict\n"
        "lazy_pinyin('重庆银行')\n"
        "print(json.dumps({'readings': {chr(c): ''.join(lazy_pinyin(chr(c))).lower() for c in pinyin_dict}}))")
    assert ours["pypinyin"] is False
    assert isinstance(ours["readings"], dict) and len(ours["readings"]) > 40_000
    assert ours["readings"] == full["readings"]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("+852 9123 4567", "+85291234567"),  # Hong Kong
        ("00853-6612 3456", "+85366123456"),  # Macao, 00 for +
        ("+886 912 345 678", "+886912345678"),  # Taiwan
        ("+44 20 7946 0958", "+442079460958"),  # a foreign visitor's own phone
        ("＋１ (202) 555-0143", "+12025550143"),  # full-width
    ],
)
def test_phones_outside_the_mainland_are_taken_with_their_country_code(typed: str, expected: str) -> None:
    assert validate_phone(typed) == expected
    assert validate_phone(expected) == expected  # stored numbers check again unchanged
    assert mask_phone(typed).endswith(expected[-4:]) and "*" in mask_phone(typed)


@pytest.mark.parametrize("typed", ["+44", "+0 20 7946 0958", "+44 20 7946 0958 1234 5", "+44 20 7946 ABCD"])
def test_a_phone_outside_the_mainland_needs_its_country_code_and_number(typed: str) -> None:
    with pytest.raises(ValidationError) as info:
        validate_phone(typed)
    assert info.value.code == "phone_international" and "+852" in info.value.message


def test_the_mainland_code_still_means_a_mainland_number() -> None:
    assert validate_phone("+86 138 1234 5678") == "13812345678"
    assert validate_phone("0086 10 62345678") == "010-62345678"


def test_an_old_15_digit_number_is_answered_with_its_18_character_number() -> None:
    from desktop.domain.identity import upgrade_old_id

    assert upgrade_old_id("110105491231002") == "11010519491231002X"  # the check character computed
    assert upgrade_old_id(" 330726 750312 001 ") == "330726197503120013"
    assert validate_resident_id(upgrade_old_id("330726750312001") or "") == "330726197503120013"
    assert upgrade_old_id("330726751312001") is None  # month 13: no such birth date, no number offered
    assert upgrade_old_id("33072675031200X") is None
    with pytest.raises(ValidationError) as info:
        validate_resident_id("110105491231002")
    assert "老身份证的15位号码" in info.value.message and "一般是 11010519491231002X" in info.value.message
    with pytest.raises(ValidationError) as info:
        validate_resident_id("330726751312001")
    assert info.value.message.endswith("现在的身份证号码是18位，请照身份证上的号码输入")


@pytest.mark.parametrize("typed", ["110105194912310021", "110105491231002", "11010519491231002",
                                   make_id("110105", date(1949, 12, 31), 2)[:10] + "0230" + "0023",
                                   "110105" + "18000101" + "0011"])
def test_id_number_errors_speak_plainly(typed: str) -> None:
    """Said to an old citizen at the kiosk as to a clerk: no 校验位, no 升位 or 国家标准, and what to do."""
    with pytest.raises(ValidationError) as info:
        validate_resident_id(typed, date(2026, 12, 6))
    message = info.value.message
    assert not any(word in message for word in ("校验", "升位", "国家标准", "有误", "不合理"))
    assert "18位" in message or "对照身份证" in message


def test_a_name_with_a_character_beyond_the_basic_plane_is_read_searched_and_masked_as_any_chinese_name() -> None:
    """𫖯 (赵孟𫖯) and 𬭎 are in the national standard list of characters, in CJK Extensions C and E: the name
    is found by its pinyin and initials like any other, a space typed between its characters goes, and it
    is masked as a Chinese name."""
    from desktop.domain.identity import mask_name, name_readings, name_search_keys, normalise_name

    assert {"zhaomengfu", "zmf"} <= set(name_search_keys("赵孟𫖯"))
    assert name_readings("王𬭎") == ["wanghong"]
    assert normalise_name("王 𬭎") == "王𬭎"
    assert mask_name("王𬭎") == "王*" and mask_name("𫖯孟") == "𫖯*"
