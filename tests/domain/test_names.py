"""A person's name is checked as a clerk would check it: 汉字 (with "·"), or a foreigner's Latin letters."""

from __future__ import annotations

import pytest

from desktop.domain.errors import ValidationError
from desktop.domain.identity import (
    MAX_CHINESE_NAME,
    MAX_LATIN_NAME,
    MAX_ORGANISATION_NAME,
    NAME_RULE,
    validate_name,
    validate_party_name,
)
from desktop.domain.texts import chinese_full_stops, meaningful_length

KEPT = [
    ("张三", "张三"),
    ("欧阳娜娜", "欧阳娜娜"),
    ("李", "李"),
    ("赵孟𫖯", "赵孟𫖯"),  # Extension C, beyond U+FFFF
    ("王𬭎", "王𬭎"),  # Extension E
    ("𠀀𪚥", "𠀀𪚥"),  # Extensions B
    ("李䶮", "李䶮"),  # Extension A
    ("王〇", "王〇"),
    ("阿依古丽·买买提", "阿依古丽·买买提"),
    ("阿依古丽•买买提", "阿依古丽·买买提"),  # the dot variants a keyboard types become "·"
    ("阿依古丽・买买提", "阿依古丽·买买提"),
    ("阿依古丽‧买买提", "阿依古丽·买买提"),
    ("阿依古丽.买买提", "阿依古丽·买买提"),
    ("阿依古丽．买买提", "阿依古丽·买买提"),
    ("阿依古丽 · 买买提", "阿依古丽·买买提"),
    ("列夫·尼古拉耶维奇·托尔斯泰", "列夫·尼古拉耶维奇·托尔斯泰"),
    ("张 三", "张三"),  # spaces between characters go
    ("  张　三  ", "张三"),  # the ideographic space too
    ("⼀二", "一二"),  # a Kangxi radical copied from a PDF is the ideograph it looks like
    ("John Smith", "John Smith"),
    ("JOHN SMITH", "JOHN SMITH"),
    ("Ｊｏｈｎ　Ｓｍｉｔｈ", "John Smith"),  # full-width letters
    ("O'Brien", "O'Brien"),
    ("O’Brien", "O'Brien"),  # a phone's apostrophe
    ("Jean-Luc Picard", "Jean-Luc Picard"),
    ("Jean–Luc", "Jean-Luc"),  # an en dash
    ("J. R. R. Tolkien", "J. R. R. Tolkien"),
    ("Martin Luther King Jr.", "Martin Luther King Jr."),
    ("José Müller", "José Müller"),
    ("Jose\u0301", "José"),  # a combining accent is composed
    ("Nguyễn Thị Minh Khai", "Nguyễn Thị Minh Khai"),
    ("Łukasz Żółć", "Łukasz Żółć"),
]


@pytest.mark.parametrize(("typed", "kept"), KEPT)
def test_a_name_is_kept_normalised(typed: str, kept: str) -> None:
    assert validate_name(typed) == kept


REFUSED = [
    ("", "name_required"),
    ("   ", "name_required"),
    ("·", "name_required"),
    ("\u200b", "name_required"),
    ("张\u200b三", "name_control_char"),
    ("张\u200d三", "name_control_char"),
    ("张\u202e三", "name_control_char"),
    ("330726196803120123", "name_without_letters"),
    ("13857912345", "name_without_letters"),
    ("https://u.wechat.com/EKx3", "name_is_address"),
    ("李😀", "name_chars"),
    ("😀李", "name_chars"),
    ("张三1", "name_chars"),
    ("张三３", "name_chars"),
    ("张三。", "name_chars"),
    ("张三，李四", "name_chars"),
    ("张三!", "name_chars"),
    ("张★三", "name_chars"),
    ("张_三", "name_chars"),
    ("张-三", "name_chars"),
    ("John Smith 2", "name_chars"),
    ("John@Smith", "name_chars"),
    ("John, Smith", "name_chars"),
    ("John·Smith", "name_chars"),
    ("Иван Петров", "name_chars"),  # Cyrillic: the passport's Latin spelling is what is kept
    ("张John", "name_mixed"),
    ("John 张", "name_mixed"),
    ("·张三", "name_dot"),
    ("张三·", "name_dot"),
    ("张··三", "name_dot"),
    ("-John", "name_separators"),
    ("John--Smith", "name_separators"),
    ("John -Smith", "name_separators"),
    ("'Smith", "name_separators"),
    ("张" * (MAX_CHINESE_NAME + 1), "name_too_long"),
    ("A" * (MAX_LATIN_NAME + 1), "name_too_long"),
]


@pytest.mark.parametrize(("typed", "code"), REFUSED)
def test_a_name_that_is_no_name_is_refused_saying_why(typed: str, code: str) -> None:
    with pytest.raises(ValidationError) as refused:
        validate_name(typed)
    assert refused.value.code == code and refused.value.field == "name"
    assert refused.value.message  # said in Chinese, without a code
    assert not refused.value.message.isascii()


def test_the_limits_are_at_the_edge() -> None:
    assert validate_name("张" * MAX_CHINESE_NAME) == "张" * MAX_CHINESE_NAME
    assert validate_name("阿" * 14 + "·" + "买" * 15) == "阿" * 14 + "·" + "买" * 15  # the dot counts
    latin = "Ab " * (MAX_LATIN_NAME // 3) + "C" * (MAX_LATIN_NAME % 3)
    assert len(latin) == MAX_LATIN_NAME and validate_name(latin) == latin


def test_a_pasted_paragraph_is_refused_as_too_long_naming_the_limit_and_its_length() -> None:
    paragraph = "2025年3月起，我家楼上住户长期在夜间发出噪音，多次与其协商无果，也向物业和社区反映过，均未解决。" * 10
    with pytest.raises(ValidationError) as refused:
        validate_name(paragraph)
    assert refused.value.code == "name_too_long"
    assert f"最多{MAX_CHINESE_NAME}个字" in refused.value.message and str(len(paragraph)) in refused.value.message


def test_the_message_says_what_a_name_may_be_and_names_the_character() -> None:
    with pytest.raises(ValidationError) as refused:
        validate_name("李😀", "代表")
    assert refused.value.message.startswith("代表" + NAME_RULE) and "“😀”" in refused.value.message
    with pytest.raises(ValidationError) as refused:
        validate_name("李 😀")
    assert "“😀”" in refused.value.message


def test_an_organisation_may_have_digits_but_no_emoji() -> None:
    assert validate_party_name("浦江县第2建筑公司") == "浦江县第2建筑公司"
    assert validate_party_name("某某（浙江）有限公司") == "某某(浙江)有限公司"  # half-width, as every name
    assert validate_party_name("张三") == "张三"
    for bad, code in (("浦江县第2建筑公司😀", "name_chars"), ("公" * (MAX_ORGANISATION_NAME + 1), "name_too_long"),
                      ("330726196803120123", "name_without_letters"), ("张\u200b三", "name_control_char")):
        with pytest.raises(ValidationError) as refused:
            validate_party_name(bad)
        assert refused.value.code == code


@pytest.mark.parametrize(("text", "count"), [
    ("😀" * 10, 0),
    ("。。。。。。。。。。", 0),
    ("          ", 0),
    ("1️⃣2️⃣3️⃣4️⃣5️⃣6️⃣7️⃣8️⃣9️⃣🔟", 0),  # keycaps are emoji, not digits
    ("建议增加公交班次", 8),
    ("建议，增加 公交班次！😀", 8),
    ("Add 2 buses", 9),
    ("𠀀𪚥", 2),
])
def test_only_letters_and_digits_count_as_written(text: str, count: int) -> None:
    assert meaningful_length(text) == count


@pytest.mark.parametrize(("typed", "kept"), [
    ("小区电梯停运三个月．请求尽快修复．", "小区电梯停运三个月。请求尽快修复。"),  # the keyboard's full stop
    ("物业说“没钱修”．", "物业说“没钱修”。"), ("见《物业管理条例》．", "见《物业管理条例》。"),
    ("向社区反映过2次．至今未修", "向社区反映过2次。至今未修"), ("停运 ．", "停运。"),
    ("维修基金3．5万元", "维修基金3.5万元"), ("合同No．12", "合同No.12"), ("网址www．zj．gov．cn", "网址www.zj.gov.cn"),
    ("电话0579.84123456。", "电话0579.84123456。"), ("共3.5万元.", "共3.5万元."),  # an ASCII "." as typed
    ("OK．", "OK．"), ("．", "．"), ("", ""),
])
def test_the_keyboards_full_width_period_ends_a_chinese_sentence_as_a_full_stop(typed: str, kept: str) -> None:
    assert chinese_full_stops(typed) == kept
