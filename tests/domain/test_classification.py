"""Classification: channels, natures, purposes, legal routes and the topic taxonomy."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.domain.classification import (
    PURPOSE_DEFAULT_NATURE,
    WRITTEN_CHANNELS,
    Channel,
    LegalRoute,
    Nature,
    Purpose,
    Topic,
    TopicTaxonomy,
    parse_choice,
)
from desktop.domain.errors import ValidationError
from desktop.services.reference import load_taxonomy

ROWS: list[dict[str, str]] = [
    {"code": "01", "name": "城乡建设", "parent_code": "", "default_nature": "APPEAL"},
    {
        "code": "0101",
        "name": "征地拆迁",
        "parent_code": "01",
        "default_legal_route": "PETITION",
        "keywords": "征地|拆迁|安置补偿",
    },
    {"code": "0102", "name": "物业管理", "parent_code": "01", "keywords": "物业|物业费"},
    {"code": "11", "name": "政法", "parent_code": "", "keywords": "政法"},
    {
        "code": "1101",
        "name": "涉法涉诉",
        "parent_code": "11",
        "default_legal_route": "涉法涉诉",
        "keywords": "判决|法院",
    },
    {
        "code": "12",
        "name": "纪检监察",
        "parent_code": "",
        "default_nature": "检举控告类",
        "keywords": "纪检 ｜ 受贿",
    },
]


@pytest.fixture
def taxonomy() -> TopicTaxonomy:
    return TopicTaxonomy.from_rows(ROWS)


def test_channels_cover_article_17_and_the_kiosk() -> None:
    assert [c.value for c in Channel] == ["走访", "书信", "信息网络", "电话", "传真", "自助终端"]
    assert {c for c in Channel if c.is_written} == WRITTEN_CHANNELS
    assert {Channel.LETTER, Channel.ONLINE, Channel.FAX} == WRITTEN_CHANNELS


def test_three_natures() -> None:
    assert [n.value for n in Nature] == ["建议意见类", "检举控告类", "申诉求决类"]


def test_purpose_default_nature() -> None:
    assert Purpose.APPEAL.default_nature is Nature.APPEAL
    assert Purpose.DEMAND.default_nature is Nature.APPEAL
    assert Purpose.ACCUSATION.default_nature is Nature.ACCUSATION
    assert Purpose.SUGGESTION.default_nature is Nature.SUGGESTION
    assert Purpose.CONSULTATION.default_nature is None
    assert set(PURPOSE_DEFAULT_NATURE) == set(Purpose)


def test_legal_routes_are_the_six_items_of_article_31() -> None:
    assert [r.item for r in LegalRoute] == [1, 2, 3, 4, 5, 6]
    for route in LegalRoute:
        assert "条例第三十一条" in route.description
    assert "60日" in LegalRoute.PETITION.description


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ACCUSATION", Nature.ACCUSATION),
        ("accusation", Nature.ACCUSATION),
        ("检举控告类", Nature.ACCUSATION),
        ("检举控告", Nature.ACCUSATION),
        (" 申诉求决 ", Nature.APPEAL),
    ],
)
def test_parse_choice_accepts_names_values_and_aliases(text: str, expected: Nature) -> None:
    assert parse_choice(Nature, text, label="性质") is expected


def test_parse_choice_aliases() -> None:
    assert parse_choice(Purpose, "揭发控告", label="信访目的") is Purpose.ACCUSATION
    assert parse_choice(Channel, "来访", label="渠道") is Channel.VISIT
    assert parse_choice(LegalRoute, "仲裁", label="途径") is LegalRoute.ARBITRATION


def test_parse_choice_rejects_unknown_text_in_chinese() -> None:
    with pytest.raises(ValidationError) as info:
        parse_choice(Nature, "投诉", label="性质", field_name="nature", where="第3行：")
    assert info.value.field == "nature"
    assert info.value.message.startswith("第3行：性质“投诉”无效")
    assert "建议意见类" in info.value.message


def test_taxonomy_lookup(taxonomy: TopicTaxonomy) -> None:
    topic = taxonomy.get("0101")
    assert topic == Topic(
        code="0101",
        name="征地拆迁",
        parent_code="01",
        default_nature=None,
        default_legal_route=LegalRoute.PETITION,
        keywords=("征地", "拆迁", "安置补偿"),
    )
    assert taxonomy.get("12").keywords == ("纪检", "受贿")
    assert [t.code for t in taxonomy.children(None)] == ["01", "11", "12"]
    assert [t.code for t in taxonomy.children("01")] == ["0101", "0102"]
    assert taxonomy.children("0101") == []
    assert [t.code for t in taxonomy.path("0101")] == ["01", "0101"]
    assert taxonomy.full_name("0101") == "城乡建设/征地拆迁"
    assert taxonomy.full_name("12") == "纪检监察"
    assert "0101" in taxonomy and "9999" not in taxonomy
    assert len(taxonomy) == 6


def test_defaults_are_inherited_from_the_parent(taxonomy: TopicTaxonomy) -> None:
    assert taxonomy.default_nature("0101") is Nature.APPEAL
    assert taxonomy.default_legal_route("0101") is LegalRoute.PETITION
    assert taxonomy.default_legal_route("1101") is LegalRoute.LITIGATION
    assert taxonomy.default_nature("1101") is None
    assert taxonomy.default_nature("12") is Nature.ACCUSATION


def test_unknown_topic_is_a_chinese_validation_error(taxonomy: TopicTaxonomy) -> None:
    with pytest.raises(ValidationError, match="未知的内容分类代码“9999”"):
        taxonomy.get("9999")
    with pytest.raises(ValidationError):
        taxonomy.children("9999")


@pytest.mark.parametrize(
    ("bad_row", "code", "fragment"),
    [
        ({"code": "01", "name": "重复"}, "duplicate_code", "分类代码“01”与第2行重复"),
        ({"code": "0301", "name": "孤儿", "parent_code": "03"}, "unknown_parent", "“03”不存在"),
        ({"code": "1201", "name": "错位", "parent_code": "01"}, "bad_parent", "应以上级分类代码"),
        ({"code": "01", "name": ""}, "duplicate_code", "重复"),
        ({"code": "0199", "name": ""}, "missing_name", "缺少分类名称"),
        ({"code": "", "name": "无码"}, "missing_code", "缺少分类代码"),
        ({"code": "0 1", "name": "空格"}, "bad_code", "分类代码“0 1”无效"),
        (
            {"code": "0199", "name": "x", "parent_code": "01", "default_nature": "投诉类"},
            "bad_default_nature",
            "默认性质“投诉类”无效",
        ),
        (
            {"code": "0199", "name": "x", "parent_code": "01", "default_legal_route": "上访"},
            "bad_default_legal_route",
            "默认法定途径“上访”无效",
        ),
    ],
)
def test_bad_rows_name_their_line(bad_row: dict[str, str], code: str, fragment: str) -> None:
    rows = [*ROWS, {}, bad_row]  # a blank row is skipped but still counted
    with pytest.raises(ValidationError) as info:
        TopicTaxonomy.from_rows(rows)
    assert info.value.code == code
    assert info.value.message.startswith("内容分类表第9行：")
    assert fragment in info.value.message


def test_first_line_shifts_the_reported_line() -> None:
    with pytest.raises(ValidationError, match="第11行"):
        TopicTaxonomy.from_rows([{"code": "x", "name": ""}], first_line=11)


def test_children_may_precede_their_parent() -> None:
    taxonomy = TopicTaxonomy.from_rows(list(reversed(ROWS)))
    assert taxonomy.full_name("1101") == "政法/涉法涉诉"


def test_suggest_ranks_by_hits(taxonomy: TopicTaxonomy) -> None:
    assert [t.code for t in taxonomy.suggest("村里征地拆迁的安置补偿一直没有到位")] == ["0101"]
    assert [t.code for t in taxonomy.suggest("对法院判决不服，物业也不管")] == ["1101", "0102"]
    assert taxonomy.suggest("今天天气很好") == []
    assert taxonomy.suggest("") == []
    assert taxonomy.suggest("征地", limit=0) == []


def test_suggest_prefers_the_deeper_topic_on_equal_hits() -> None:
    taxonomy = TopicTaxonomy.from_rows(
        [
            {"code": "05", "name": "生态环境", "keywords": "噪声"},
            {"code": "0503", "name": "噪声污染", "parent_code": "05", "keywords": "噪声"},
        ]
    )
    assert [t.code for t in taxonomy.suggest("晚上噪声太大")] == ["0503", "05"]


@settings(max_examples=25, deadline=None)
@given(st.permutations(ROWS), st.sampled_from(["法院判决 物业费 征地 受贿", "物业 纪检", "拆迁"]))
def test_suggest_does_not_depend_on_row_order(rows: list[dict[str, str]], text: str) -> None:
    reference = TopicTaxonomy.from_rows(ROWS).suggest(text, limit=10)
    assert TopicTaxonomy.from_rows(rows).suggest(text, limit=10) == reference


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("老板拖欠工资三个月，农民工讨薪无门", "0201"),
        ("隔壁工地夜间施工噪音扰民", "0503"),
        ("孩子入学被学区划片挡在门外", "0701"),
        ("举报某局长受贿，还经常公款吃喝", "1202"),
        ("对法院的判决不服，要求再审", "1101"),
        ("小区物业费乱涨，业委会不作为", "0103"),
        ("饭店卖过期食品，食品安全没人管", "0901"),
    ],
)
def test_shipped_taxonomy_suggests_the_obvious_topic(text: str, expected: str) -> None:
    suggestions = load_taxonomy().suggest(text)
    assert suggestions, text
    assert suggestions[0].code == expected
    assert len(suggestions) <= 3


def test_mixed_text_lists_every_plausible_topic() -> None:
    codes = [t.code for t in load_taxonomy().suggest("村干部侵吞集体资产，贪污补偿款")]
    assert set(codes[:2]) == {"0303", "1202"}
