"""The pick lists' search: what a typed text finds and in what order (topics, units, regions)."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from desktop.domain.classification import TopicTaxonomy
from desktop.domain.identity import name_search_keys
from desktop.domain.picking import (
    ANYWHERE,
    EXACT,
    IN_ORDER,
    PREFIX,
    WORD_START,
    SearchEntry,
    rank,
    ranked,
    search_entry,
    spellings,
)
from desktop.services.reference import topic_choices, topic_choices_of

#: A hall's own catalogue, a level deeper than the shipped one under 政法 (the shipped one has no 法院).
HALL_TOPICS: list[dict[str, str]] = [
    {"code": "01", "name": "城乡建设", "parent_code": "", "keywords": "城建"},
    {"code": "0102", "name": "住房保障", "parent_code": "01", "keywords": "公租房|住房补贴"},
    {"code": "02", "name": "劳动和社会保障", "parent_code": "", "keywords": "劳动保障|人社"},
    {"code": "0201", "name": "拖欠工资", "parent_code": "02", "keywords": "拖欠工资|欠薪|农民工工资|工资不发"},
    {"code": "0203", "name": "劳动关系", "parent_code": "02", "keywords": "劳动合同|辞退"},
    {"code": "07", "name": "教育", "parent_code": "", "keywords": "教育|学校"},
    {"code": "0702", "name": "教师待遇", "parent_code": "07", "keywords": "教师工资|代课教师"},
    {"code": "08", "name": "交通运输", "parent_code": "", "keywords": "交通"},
    {"code": "0803", "name": "交通执法", "parent_code": "08", "keywords": "超载|扣车"},
    {"code": "11", "name": "政法", "parent_code": "", "keywords": "政法|司法"},
    {"code": "1101", "name": "涉法涉诉", "parent_code": "11", "keywords": "判决|诉讼|再审"},
    {"code": "1102", "name": "治安", "parent_code": "11", "keywords": "盗窃|派出所"},
    {"code": "1104", "name": "法院", "parent_code": "11", "keywords": "法官|立案难"},
    {"code": "110401", "name": "民事诉讼", "parent_code": "1104", "keywords": "离婚|欠款"},
    {"code": "110402", "name": "行政诉讼", "parent_code": "1104", "keywords": "民告官"},
    {"code": "110403", "name": "执行难", "parent_code": "1104", "keywords": "强制执行|老赖"},
    {"code": "12", "name": "纪检监察", "parent_code": "", "keywords": "纪检"},
    {"code": "1201", "name": "干部作风", "parent_code": "12", "keywords": "作风|不作为"},
]


def hall_topics() -> tuple[list[str], list[SearchEntry]]:
    """The hall catalogue's full names and search entries, as the 分类 picker is given them."""
    choices = topic_choices_of(TopicTaxonomy.from_rows(HALL_TOPICS))
    return [c.name for c in choices], [search_entry(c.name, c.keys, c.code) for c in choices]


def found(needle: str, names: list[str], entries: list[SearchEntry], first: int = 5) -> list[str]:
    return [names[i] for i in ranked(needle, entries)][:first]


def test_spellings_are_the_text_its_pinyin_and_initials() -> None:
    assert spellings("政法") == ("政法", "zhengfa", "zf")
    assert spellings("县检察院12309 检察服务") == ("县检察院12309检察服务", "xianjianchayuan12309jianchafuwu",
                                                  "xjcy1jcfw")
    assert spellings("ABC（已撤销）") == ("abc（已撤销）", "abcyichexiao", "aycx")


def test_the_whole_initials_of_a_short_name_come_first_then_its_children() -> None:
    names, entries = hall_topics()
    assert found("zf", names, entries, 100) == [
        "政法",  # exact initials
        "政法/治安", "政法/法院", "政法/涉法涉诉", "城乡建设/住房保障",  # the path or the name starts with them:
        "政法/法院/执行难", "政法/法院/民事诉讼", "政法/法院/行政诉讼",  # higher, then shorter, first
        "纪检监察/干部作风",  # a keyword starts with them: 作风
        "交通运输/交通执法",  # inside the name: jtzf
    ]
    assert found("ZhengFa ", names, entries, 1) == found("政法", names, entries, 1) == ["政法"]


def test_a_name_deeper_in_the_catalogue_is_found_by_its_initials_and_its_parent() -> None:
    names, entries = hall_topics()
    assert found("msss", names, entries) == ["政法/法院/民事诉讼"]
    assert found("minshi", names, entries) == ["政法/法院/民事诉讼"]
    assert found("法院", names, entries) == ["政法/法院", "政法/法院/执行难", "政法/法院/民事诉讼",
                                            "政法/法院/行政诉讼"]
    assert found("fy", names, entries)[:4] == found("法院", names, entries)[:4]
    # a keyword (诉讼 of 涉法涉诉) is a word: it comes before the 诉讼 inside 民事诉讼
    assert found("诉讼", names, entries) == ["政法/涉法涉诉", "政法/法院/民事诉讼", "政法/法院/行政诉讼"]
    assert found("1104", names, entries)[:2] == ["政法/法院", "政法/法院/执行难"]  # by code: exact, then prefix


def test_a_keyword_that_starts_with_the_text_before_one_that_only_holds_it() -> None:
    names, entries = hall_topics()
    assert found("工资", names, entries) == ["劳动和社会保障/拖欠工资", "教育/教师待遇"]
    assert found("gz", names, entries) == [
        "城乡建设/住房保障", "劳动和社会保障/拖欠工资",  # keywords that start with it: 公租房, 工资不发
        "教育/教师待遇",  # one that holds it: 教师工资
    ]  # not 交通执法 (jiaotongzhifa): a pinyin match starts at a syllable; nor 干部作风: gbzf is not gz
    assert found("ldbz", names, entries) == ["劳动和社会保障"]
    assert found("qx", names, entries)[0] == "劳动和社会保障/拖欠工资"  # 欠薪


def test_ranks() -> None:
    def entry(text: str, *keys: str, code: str = "") -> SearchEntry:
        return search_entry(text, keys, code)

    assert rank("zf", entry("政法")) == EXACT
    assert rank("1101", entry("政法/涉法涉诉", code="1101")) == EXACT
    assert rank("sfss", entry("政法/涉法涉诉")) == EXACT  # the entry's own name
    assert rank("zfsf", entry("政法/涉法涉诉")) == PREFIX  # the whole path
    assert rank("zhengf", entry("政法")) == PREFIX
    assert rank("jyj", entry("浦江县教育局", "浦江县教育局", "浦江县文教局")) == ANYWHERE
    assert rank("wjj", entry("浦江县教育局", "浦江县文教局")) == ANYWHERE  # a former name's initials
    assert rank("fy", entry("政法/法院/民事诉讼")) == WORD_START  # a segment of the path
    assert rank("yuan", entry("检察院 12309 检察服务")) == ANYWHERE
    assert rank("uan", entry("检察院 12309 检察服务")) is None  # not from inside a syllable
    assert rank("230", entry("检察院 12309 检察服务")) == ANYWHERE  # the text
    assert rank("jc", entry("检察院 12309 检察服务")) == PREFIX
    assert rank("jcfw", entry("检察院 12309 检察服务")) == WORD_START  # a word of the name
    assert rank("人社局", entry("浦江县人力资源和社会保障局")) == IN_ORDER
    assert rank("rsj", entry("浦江县人力资源和社会保障局")) is None  # initials in order would find most names
    assert rank("人社局", entry("政法/人力/社局")) is None  # characters in order: of the own name only
    assert rank("ss", entry("政法/涉法涉诉", code="SS-1101")) == PREFIX  # a code from its start …
    assert rank("1101", entry("政法/涉法涉诉", code="SS-1101")) is None  # … only
    assert rank("", entry("政法")) is rank(" ", entry("政法")) is None
    assert rank("z", entry("政法")) == PREFIX and rank("人", entry("浦江县人力资源和社会保障局")) == ANYWHERE


def test_pieces_of_a_name_in_its_keys_are_not_words() -> None:
    """Name indexes (``name_search_keys``) list every one- and two-character piece: 资 is no word of 农民工工资."""
    assert rank("资", search_entry("拖欠工资", name_search_keys("农民工工资"))) == ANYWHERE
    assert rank("工资", search_entry("教师待遇", name_search_keys("教师工资"))) == ANYWHERE
    assert rank("工资", search_entry("拖欠工资", name_search_keys("工资不发"))) == WORD_START
    assert rank("ss", search_entry("涉法涉诉", ["诉讼"])) == WORD_START  # a keyword of its own


def test_no_text_lists_everything_in_order() -> None:
    _names, entries = hall_topics()
    assert ranked("", entries) == ranked("  ", entries) == list(range(len(entries)))
    assert ranked("没有这样的分类", entries) == []


@given(st.sampled_from(["zf", "z", "法", "fy", "gz", "s", "ss", "11", "jt", "工资", "q", "rs"]),
       st.permutations(range(len(HALL_TOPICS))))
def test_the_order_is_the_rule_and_stable(needle: str, order: list[int]) -> None:
    _names, every = hall_topics()
    entries = [every[i] for i in order]
    result = ranked(needle, entries)
    keys = [(rank(needle, entries[i]) or 0, entries[i].depth, len(entries[i].path[0])) for i in result]
    assert keys == sorted(keys)
    for (key, row), (next_key, next_row) in itertools.pairwise(zip(keys, result, strict=True)):
        assert key != next_key or row < next_row  # equal ones in the list's order
    assert {i for i, e in enumerate(entries) if rank(needle, e) is not None} == set(result)


def test_a_long_list_is_ranked_whole() -> None:
    """Two thousand units: every one that holds the text is found, the whole name's initials first (its time per
    keystroke is the benchmark's to say, not a test's)."""
    towns = [f"{n}镇" for n in ("黄宅", "白马", "郑家坞", "郑宅", "岩头", "檀溪", "杭坪", "大畈", "中余", "前吴",
                                "花桥", "虞宅", "浦阳", "仙华", "浦南")]
    units = ["人民政府", "财政所", "农业综合服务中心", "社会事务办公室", "派出所", "卫生院", "中心小学",
             "综合行政执法队"]
    names = [f"浦江县{t}{u}{n}" for n in range(17) for t in towns for u in units]
    entries = [search_entry(name, name_search_keys(name), f"U{i}") for i, name in enumerate(names)]
    assert len(entries) > 2000
    for needle in ("z", "zf", "人民政府"):
        result = ranked(needle, entries)
        assert {i for i, e in enumerate(entries) if rank(needle, e) is not None} == set(result)
        assert sorted(rank(needle, entries[i]) or 0 for i in result) == [rank(needle, entries[i]) for i in result]
    assert all("人民政府" in names[i] for i in ranked("人民政府", entries))


def test_the_shipped_catalogue() -> None:
    choices = topic_choices()
    names = [c.name for c in choices]
    entries = [search_entry(c.name, c.keys, c.code) for c in choices]
    assert found("zf", names, entries, 4) == ["政法", "政法/治安", "政法/涉法涉诉", "政法/司法行政"]
    assert found("工资", names, entries) == ["劳动和社会保障/拖欠工资", "教育/教师待遇"]
    assert found("诉讼", names, entries) == ["政法/涉法涉诉"]
    # a court's matters are 涉法涉诉: found by the court's name and by the kinds of suit, in characters and initials
    for needle in ("法院", "fy", "msss", "民事诉讼", "立案"):
        assert found(needle, names, entries, 1) == ["政法/涉法涉诉"], needle
    assert found("jy", names, entries, 2) == ["教育", "劳动和社会保障/就业"]
