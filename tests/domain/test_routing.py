"""Routing: the organisation directory, the route proposals and the art. 30 guard."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.domain.classification import Channel, LegalRoute, Nature, TopicTaxonomy
from desktop.domain.errors import RuleViolation, ValidationError
from desktop.domain.regions import (
    Level,
    normalise_region_code,
    region_ancestors,
    region_contains,
    region_level,
)
from desktop.domain.routing import (
    ACCUSED_RECIPIENT_MESSAGE,
    NO_COMPETENT_ORG_WARNING,
    Organisation,
    OrganisationDirectory,
    OrgKind,
    RouteKind,
    RouteProposal,
    check_route_allowed,
    is_accused,
    propose_route,
)
from desktop.services.reference import load_directory, load_taxonomy

BUREAU = "330726-XFJ"  # 浦江县信访局
ZHENGZHAI = "330726103"  # 郑宅镇
PUJIANG = "330726"

DIRECTORY = load_directory()
TAXONOMY = load_taxonomy()


def route(**overrides: Any) -> RouteProposal:
    """Propose a route with the shipped sample data; keyword overrides as needed."""
    arguments: dict[str, Any] = {
        "nature": Nature.APPEAL,
        "topic_code": "0201",
        "region_code": ZHENGZHAI,
        "channel": Channel.VISIT,
        "directory": DIRECTORY,
        "taxonomy": TAXONOMY,
        "bureau_code": BUREAU,
    }
    arguments.update(overrides)
    return propose_route(**arguments)


def org_row(code: str, kind: str, level: str, region: str, **extra: str) -> dict[str, str]:
    return {
        "code": code,
        "name": extra.pop("name", code),
        "kind": kind,
        "level": level,
        "region_code": region,
        **extra,
    }


# --- region codes -------------------------------------------------------------


def test_region_codes_nest_by_prefix() -> None:
    assert normalise_region_code("330726103000") == "330726103"
    assert normalise_region_code("330726000000") == "330726"
    assert region_contains("330726", "330726103")
    assert region_contains("330700", "330726103000")
    assert region_contains("330000", "330726")
    assert region_contains("330726103", "330726103")
    assert not region_contains("330726103", "330726")
    assert not region_contains("330726101", "330726103")
    assert not region_contains("330782", "330726103")
    assert region_ancestors("330726103") == ("330726103", "330726", "330700", "330000")
    assert region_level("330726103") is Level.TOWNSHIP
    assert region_level("330700") is Level.CITY
    assert region_level("330726103201") is None


@pytest.mark.parametrize("bad", ["", "33072", "3307261", "abcdef", "000000", "３３０７２６"])
def test_malformed_region_codes_are_refused(bad: str) -> None:
    with pytest.raises(ValidationError, match="行政区划代码"):
        normalise_region_code(bad)


# --- the directory ------------------------------------------------------------


def test_competent_for_uses_the_longest_topic_prefix() -> None:
    names = [o.name for o in DIRECTORY.competent_for("0602", PUJIANG)]
    assert names == ["浦江县医疗保障局"]  # 0602 beats 卫健局's 06
    assert [o.name for o in DIRECTORY.competent_for("0601", PUJIANG)] == ["浦江县卫生健康局"]
    assert [o.name for o in DIRECTORY.competent_for("0101", PUJIANG)] == ["浦江县自然资源和规划局"]


def test_competent_for_starts_at_the_township_then_its_county() -> None:
    assert [o.name for o in DIRECTORY.competent_for("0303", ZHENGZHAI)] == ["浦江县郑宅镇人民政府"]
    assert [o.name for o in DIRECTORY.competent_for("0303", "330726103000")] == [
        "浦江县郑宅镇人民政府"
    ]
    # the township is not competent for wages: the county department inside which it lies
    assert [o.name for o in DIRECTORY.competent_for("0201", ZHENGZHAI)] == [
        "浦江县人力资源和社会保障局"
    ]
    # a county-level location never reaches a township government
    assert [o.name for o in DIRECTORY.competent_for("0303", PUJIANG)] == ["浦江县农业农村局"]


def test_competent_for_falls_back_to_the_city_but_not_the_province() -> None:
    directory = OrganisationDirectory.from_rows(
        [
            org_row("P", "GOVERNMENT", "PROVINCE", "330000", topic_codes="01|02"),
            org_row("C", "GOVERNMENT", "CITY", "330700", topic_codes="01"),
            org_row("X", "GOVERNMENT_DEPT", "COUNTY", "330726", topic_codes="0101"),
        ]
    )
    assert [o.code for o in directory.competent_for("0101", ZHENGZHAI)] == ["X"]
    assert [o.code for o in directory.competent_for("0102", ZHENGZHAI)] == ["C"]
    assert directory.competent_for("0201", ZHENGZHAI) == []
    assert [o.code for o in directory.competent_for("0201", "330000")] == ["P"]
    only_governments = directory.competent_for("0101", ZHENGZHAI, kinds={OrgKind.GOVERNMENT})
    assert [o.code for o in only_governments] == ["C"]
    assert [o.code for o in directory.competent_for("0101", "330782")] == ["C"]  # 义乌: the city
    assert directory.competent_for("0201", "330782") == []


def test_by_kind_orders_nearest_first() -> None:
    names = [o.name for o in DIRECTORY.by_kind(OrgKind.DISCIPLINE, ZHENGZHAI)]
    assert names == ["浦江县纪委监委", "金华市纪委监委"]
    assert [o.name for o in DIRECTORY.by_kind(OrgKind.DISCIPLINE, "330782")] == ["金华市纪委监委"]
    assert len(DIRECTORY.by_kind(OrgKind.TOWNSHIP)) == 15


def test_superiors_and_common_superior() -> None:
    housing = DIRECTORY.get("330726-ZJJ")
    farming = DIRECTORY.get("330726-NYNC")
    county = DIRECTORY.get("330726-ZF")
    city = DIRECTORY.get("330700-ZF")
    assert DIRECTORY.superior(housing) == county
    assert DIRECTORY.superior(city) is None
    assert DIRECTORY.superiors(DIRECTORY.get("330726-LDZC"))[-1] == city
    assert DIRECTORY.common_superior(housing, farming) == county
    assert DIRECTORY.common_superior(housing, county) == city
    assert DIRECTORY.common_superior(housing, DIRECTORY.get("330726-FY")) is None


def test_directory_accepts_chinese_kind_and_level_values() -> None:
    directory = OrganisationDirectory.from_rows(
        [
            org_row("A", "纪检监察机关", "县级", "330726", parent_code="B"),
            org_row("B", "纪检监察机关", "市", "330700000000", topic_codes=" 12 | 1201 |"),
        ]
    )
    assert directory.get("A").kind is OrgKind.DISCIPLINE
    assert directory.get("B").level is Level.CITY
    assert directory.get("B").region_code == "330700"
    assert directory.get("B").topic_codes == ("12", "1201")
    assert [o.code for o in directory] == ["A", "B"]
    assert "A" in directory and "Z" not in directory


@pytest.mark.parametrize(
    ("bad_row", "error_code", "fragment"),
    [
        (org_row("A", "GOVERNMENT", "COUNTY", "330726"), "duplicate_code", "与第2行重复"),
        (org_row("N", "GOVERNMENT", "COUNTY", "330726", parent_code="Q"), "unknown_parent", "Q"),
        (org_row("N", "委员会", "COUNTY", "330726"), "bad_kind", "机构类型“委员会”无效"),
        (org_row("N", "GOVERNMENT", "村级", "330726"), "bad_level", "级别“村级”无效"),
        (org_row("N", "GOVERNMENT", "COUNTY", "3307"), "bad_region_code", "行政区划代码"),
        (org_row("N", "GOVERNMENT", "COUNTY", ""), "missing_region_code", "缺少所在行政区划代码"),
        (org_row("N", "", "COUNTY", "330726"), "missing_kind", "缺少机构类型"),
        (org_row("N", "GOVERNMENT", "", "330726"), "missing_level", "缺少机构级别"),
        (org_row("N", "GOVERNMENT", "COUNTY", "330726", name=""), "missing_name", "缺少机构名称"),
        (org_row("N M", "GOVERNMENT", "COUNTY", "330726"), "bad_code", "不能包含空白"),
        (org_row("N", "GOVERNMENT", "COUNTY", "330726", name="A"), "duplicate_name", "机构名称“A”与第2行重复"),
        (org_row("N", "GOVERNMENT", "COUNTY", "330726", name="局" * 5000), "name_too_long", "不超过60字"),
        (org_row("N", "GOVERNMENT", "COUNTY", "330726", name="住建局🏠"), "bad_name", "表情符号"),
        (org_row("N", "GOVERNMENT", "COUNTY", "330726", name="住建\n局"), "bad_name", "换行"),
        (org_row("N", "GOVERNMENT", "COUNTY", "330726", name="住\u200b建局"), "bad_name", "看不见的字符"),
    ],
)
def test_bad_directory_rows_name_their_line(
    bad_row: dict[str, str], error_code: str, fragment: str
) -> None:
    rows = [org_row("A", "GOVERNMENT", "COUNTY", "330726"), {"code": "", "name": ""}, bad_row]
    with pytest.raises(ValidationError) as info:
        OrganisationDirectory.from_rows(rows)
    assert info.value.code == error_code
    assert info.value.message.startswith("机构表第4行：")
    assert fragment in info.value.message


def test_parent_cycles_are_refused() -> None:
    rows = [
        org_row("A", "GOVERNMENT", "COUNTY", "330726", parent_code="B"),
        org_row("B", "GOVERNMENT", "CITY", "330700", parent_code="A"),
    ]
    with pytest.raises(ValidationError, match="循环") as info:
        OrganisationDirectory.from_rows(rows)
    assert info.value.code == "parent_cycle"


def test_unknown_organisation_code() -> None:
    with pytest.raises(ValidationError, match="未知的机构代码“nope”"):
        DIRECTORY.get("nope")


# --- route proposals ----------------------------------------------------------


def test_duty_item_is_transferred_to_the_competent_department() -> None:
    proposal = route(topic_code="0201")
    assert proposal.kind is RouteKind.TRANSFER
    assert proposal.organisation == DIRECTORY.get("330726-RSJ")
    assert proposal.legal_route is LegalRoute.DUTY  # the topic's default
    assert "第三十一条第五项" in proposal.reason
    assert proposal.warnings == ()


def test_petition_item_is_transferred_to_the_township() -> None:
    proposal = route(topic_code="0303")
    assert proposal.kind is RouteKind.TRANSFER
    assert proposal.organisation == DIRECTORY.get("330726103-ZF")
    assert proposal.legal_route is LegalRoute.PETITION
    assert "60日内办结" in proposal.reason


def test_explicit_legal_route_overrides_the_topic_default() -> None:
    proposal = route(topic_code="0201", legal_route=LegalRoute.PETITION)
    assert proposal.legal_route is LegalRoute.PETITION
    assert "第三十一条第六项" in proposal.reason


def test_assign_sets_a_deadline_and_asks_for_a_report() -> None:
    proposal = route(topic_code="0201", assign=True)
    assert proposal.kind is RouteKind.ASSIGN
    assert proposal.organisation == DIRECTORY.get("330726-RSJ")
    assert "办理期限" in proposal.reason and "办结报告" in proposal.reason


def test_suggestion_is_transferred_or_kept_when_the_bureau_is_competent() -> None:
    transfer = route(nature=Nature.SUGGESTION, topic_code="1503")
    assert transfer.kind is RouteKind.TRANSFER
    assert transfer.organisation == DIRECTORY.get("330726-ZF")
    assert "第二十九条" in transfer.reason or "二十九条" in transfer.reason
    local = route(nature=Nature.SUGGESTION, topic_code="1502")
    assert local.kind is RouteKind.LOCAL
    assert local.organisation == DIRECTORY.get(BUREAU)
    assert local.warnings == ()


def test_two_equally_competent_organisations_must_consult() -> None:
    proposal = route(topic_code="0304", region_code=PUJIANG)  # 宅基地: 农业农村 + 自然资源
    assert proposal.kind is RouteKind.CONSULT
    assert proposal.organisation is None
    assert {o.code for o in proposal.alternatives} == {"330726-NYNC", "330726-ZRZY"}
    assert "第二十四条" in proposal.reason
    assert len(proposal.warnings) == 1
    assert "浦江县人民政府" in proposal.warnings[0]  # their common superior decides


def test_consult_without_common_superior_mentions_the_joint_conference() -> None:
    directory = OrganisationDirectory.from_rows(
        [
            org_row("B", "PETITION_BUREAU", "COUNTY", "330726"),
            org_row("X", "GOVERNMENT_DEPT", "COUNTY", "330726", topic_codes="01"),
            org_row("Y", "GOVERNMENT_DEPT", "COUNTY", "330726", topic_codes="01"),
        ]
    )
    proposal = route(topic_code="0101", directory=directory, bureau_code="B", assign=True)
    assert proposal.kind is RouteKind.CONSULT
    assert "联席会议" in proposal.warnings[0]
    assert "协商确定受理机关后再行交办" in proposal.warnings


def test_unknown_topic_stays_local_with_a_warning() -> None:
    proposal = route(topic_code="8888")
    assert proposal.kind is RouteKind.LOCAL
    assert proposal.organisation == DIRECTORY.get(BUREAU)
    assert NO_COMPETENT_ORG_WARNING in proposal.warnings
    assert any("8888" in w for w in proposal.warnings)


def test_unknown_location_stays_local_with_a_warning() -> None:
    proposal = route(topic_code="0101", region_code="110101")
    assert proposal.kind is RouteKind.LOCAL
    assert proposal.organisation == DIRECTORY.get(BUREAU)
    assert NO_COMPETENT_ORG_WARNING in proposal.warnings
    assert any("不在浦江县信访局辖区内" in w for w in proposal.warnings)


def test_malformed_location_or_unknown_bureau_is_an_error() -> None:
    with pytest.raises(ValidationError, match="行政区划代码"):
        route(region_code="浦江")
    with pytest.raises(ValidationError, match="未知的机构代码"):
        route(bureau_code="nope")


def test_transfer_to_a_higher_level_is_flagged() -> None:
    directory = OrganisationDirectory.from_rows(
        [
            org_row("B", "PETITION_BUREAU", "COUNTY", "330726"),
            org_row("C", "GOVERNMENT", "CITY", "330700", topic_codes="01"),
        ]
    )
    proposal = route(topic_code="0101", directory=directory, bureau_code="B")
    assert proposal.kind is RouteKind.TRANSFER
    assert proposal.organisation == directory.get("C")
    assert any("级别高于" in w for w in proposal.warnings)


# --- 涉法涉诉 and the other legal routes ---------------------------------------


@pytest.mark.parametrize("channel", [Channel.LETTER, Channel.ONLINE, Channel.FAX])
def test_litigation_letters_go_to_the_political_legal_committee(channel: Channel) -> None:
    proposal = route(topic_code="1101", channel=channel)
    assert proposal.kind is RouteKind.POLITICAL_LEGAL
    assert proposal.organisation == DIRECTORY.get("330726-ZFW")
    assert proposal.legal_route is LegalRoute.LITIGATION
    assert "同级政法部门" in proposal.reason


def test_litigation_letter_at_a_city_bureau_goes_to_the_city_committee() -> None:
    proposal = route(topic_code="1101", channel=Channel.LETTER, bureau_code="330700-XFJ")
    assert proposal.organisation == DIRECTORY.get("330700-ZFW")


@pytest.mark.parametrize("channel", [Channel.VISIT, Channel.KIOSK, Channel.PHONE])
def test_litigation_visitors_are_directed_to_the_legal_organs(channel: Channel) -> None:
    proposal = route(topic_code="0101", legal_route=LegalRoute.LITIGATION, channel=channel)
    assert proposal.kind is RouteKind.LEGAL_CHANNEL
    assert proposal.legal_route is LegalRoute.LITIGATION
    assert proposal.organisation == DIRECTORY.get("330726-FY")
    assert {o.kind for o in proposal.alternatives} == {
        OrgKind.PROCURATORATE,
        OrgKind.PUBLIC_SECURITY,
    }
    assert "诉讼与信访分离" in proposal.reason
    assert "人民法院" in proposal.reason


def test_arbitration_route_names_the_arbitration_body() -> None:
    proposal = route(topic_code="0203")  # 劳动关系 defaults to arbitration
    assert proposal.kind is RouteKind.LEGAL_CHANNEL
    assert proposal.legal_route is LegalRoute.ARBITRATION
    assert proposal.organisation == DIRECTORY.get("330726-LDZC")
    assert "仲裁" in proposal.reason


def test_labour_petition_is_not_transferred_to_the_arbitration_body() -> None:
    proposal = route(topic_code="0203", legal_route=LegalRoute.PETITION)
    assert proposal.kind is RouteKind.TRANSFER
    assert proposal.organisation == DIRECTORY.get("330726-RSJ")


def test_party_appeal_route_names_the_party_organisation() -> None:
    proposal = route(topic_code="1302")
    assert proposal.kind is RouteKind.LEGAL_CHANNEL
    assert proposal.legal_route is LegalRoute.PARTY_APPEAL
    assert proposal.organisation is not None
    assert proposal.organisation.kind is OrgKind.PARTY_ORG
    assert "党员申诉" in proposal.reason


def test_administrative_route_names_the_organ_and_the_reviewing_government() -> None:
    proposal = route(topic_code="0404")
    assert proposal.kind is RouteKind.LEGAL_CHANNEL
    assert proposal.legal_route is LegalRoute.ADMINISTRATIVE
    assert proposal.organisation == DIRECTORY.get("330726-ZRZY")
    assert proposal.alternatives == (DIRECTORY.get("330726-ZF"),)
    assert "行政复议" in proposal.reason


def test_legal_route_without_any_organ_warns() -> None:
    directory = OrganisationDirectory.from_rows(
        [org_row("B", "PETITION_BUREAU", "COUNTY", PUJIANG)]
    )
    proposal = route(directory=directory, bureau_code="B", legal_route=LegalRoute.ARBITRATION)
    assert proposal.kind is RouteKind.LEGAL_CHANNEL
    assert proposal.organisation is None
    assert any("仲裁机构" in w for w in proposal.warnings)
    visit = route(directory=directory, bureau_code="B", legal_route=LegalRoute.LITIGATION)
    assert visit.organisation is None and visit.warnings
    letter = route(
        directory=directory,
        bureau_code="B",
        legal_route=LegalRoute.LITIGATION,
        channel=Channel.LETTER,
    )
    assert letter.kind is RouteKind.LOCAL
    assert NO_COMPETENT_ORG_WARNING in letter.warnings


# --- 检举控告 and art. 30 -------------------------------------------------------


def test_accusation_goes_to_the_local_discipline_organ() -> None:
    proposal = route(nature=Nature.ACCUSATION, topic_code="1202")
    assert proposal.kind is RouteKind.DISCIPLINE
    assert proposal.organisation == DIRECTORY.get("330726-JW")
    assert proposal.reason == "检举控告类事项按管理权限转送纪检监察机关（条例第二十二、三十条）"


def test_accusation_against_the_township_still_goes_to_the_county_organ() -> None:
    proposal = route(
        nature=Nature.ACCUSATION, topic_code="0303", accused_org_codes=["330726103-ZF"]
    )
    assert proposal.organisation == DIRECTORY.get("330726-JW")


def test_accused_local_discipline_organ_moves_the_item_up_a_level() -> None:
    proposal = route(nature=Nature.ACCUSATION, topic_code="1202", accused_org_codes=["330726-JW"])
    assert proposal.kind is RouteKind.DISCIPLINE
    assert proposal.organisation == DIRECTORY.get("330700-JW")
    assert DIRECTORY.get("330726-JW") not in proposal.recipients
    assert any("上一级纪检监察机关" in w for w in proposal.warnings)
    check_route_allowed(proposal, Nature.ACCUSATION, ["330726-JW"], DIRECTORY)


def test_no_eligible_discipline_organ_never_names_the_accused() -> None:
    # the city organ is accused, so its county organ is excluded too
    proposal = route(nature=Nature.ACCUSATION, topic_code="1202", accused_org_codes=["330700-JW"])
    assert proposal.kind is RouteKind.LOCAL
    assert proposal.organisation == DIRECTORY.get(BUREAU)
    assert NO_COMPETENT_ORG_WARNING in proposal.warnings
    # ...and when the bureau's own superior is accused as well, nobody is named
    proposal = route(
        nature=Nature.ACCUSATION,
        topic_code="1202",
        accused_org_codes=["330700-JW", "330700-XFJ"],
    )
    assert proposal.organisation is None
    assert proposal.recipients == ()


@settings(max_examples=60, deadline=None)
@given(
    accused=st.lists(st.sampled_from([o.code for o in DIRECTORY]), max_size=4),
    region=st.sampled_from(["330726", "330726001", "330726103", "330726204", "330700", "330782"]),
    topic=st.sampled_from(["1202", "1201", "0101", "0303", "8888"]),
)
def test_accusations_never_name_an_accused_organisation(
    accused: list[str], region: str, topic: str
) -> None:
    proposal = route(
        nature=Nature.ACCUSATION, topic_code=topic, region_code=region, accused_org_codes=accused
    )
    assert proposal.kind in (RouteKind.DISCIPLINE, RouteKind.LOCAL)
    for org in proposal.recipients:
        assert not is_accused(org, accused, DIRECTORY)
        assert org.code not in accused
    check_route_allowed(proposal, Nature.ACCUSATION, accused, DIRECTORY)


def test_is_accused_follows_the_parent_chain() -> None:
    housing = DIRECTORY.get("330726-ZJJ")
    assert is_accused(housing, ["330726-ZJJ"], DIRECTORY)
    assert is_accused(housing, ["330726-ZF"], DIRECTORY)
    assert is_accused(housing, ["330700-ZF"], DIRECTORY)
    assert not is_accused(housing, ["330726-NYNC"], DIRECTORY)
    assert not is_accused(housing, [], DIRECTORY)
    unlisted = Organisation("U", "未收录机构", OrgKind.OTHER, Level.COUNTY, PUJIANG, "330726-ZF")
    assert is_accused(unlisted, ["330700-ZF"], DIRECTORY)


def test_guard_refuses_the_accused_and_its_subordinates() -> None:
    for recipient, accused in [
        ("330726-JW", ["330726-JW"]),
        ("330726-ZJJ", ["330726-ZF"]),
        ("330726-LDZC", ["330726-RSJ"]),
    ]:
        with pytest.raises(RuleViolation) as info:
            check_route_allowed(DIRECTORY.get(recipient), Nature.ACCUSATION, accused, DIRECTORY)
        assert info.value.code == "accused_recipient"
        assert info.value.message == ACCUSED_RECIPIENT_MESSAGE
        assert str(info.value) == "检举控告材料不得转送被检举控告的组织或人员（条例第三十条）"


def test_guard_checks_every_recipient_of_a_proposal() -> None:
    proposal = RouteProposal(
        kind=RouteKind.CONSULT,
        organisation=None,
        alternatives=(DIRECTORY.get("330726-NYNC"), DIRECTORY.get("330726-ZRZY")),
    )
    with pytest.raises(RuleViolation):
        check_route_allowed(proposal, Nature.ACCUSATION, ["330726-ZRZY"], DIRECTORY)
    check_route_allowed(proposal, Nature.ACCUSATION, ["330726-JYJ"], DIRECTORY)


def test_guard_only_applies_to_accusations() -> None:
    housing = DIRECTORY.get("330726-ZJJ")
    check_route_allowed(housing, Nature.APPEAL, ["330726-ZJJ"], DIRECTORY)
    check_route_allowed(housing, Nature.SUGGESTION, ["330726-ZJJ"], DIRECTORY)


def test_routing_works_with_a_minimal_taxonomy() -> None:
    taxonomy = TopicTaxonomy.from_rows([{"code": "01", "name": "城乡建设"}])
    proposal = route(topic_code="01", taxonomy=taxonomy)
    assert proposal.kind is RouteKind.TRANSFER
    assert proposal.organisation == DIRECTORY.get("330726-ZJJ")
    assert proposal.legal_route is LegalRoute.PETITION


@pytest.mark.parametrize("nature", list(Nature))
def test_every_proposal_says_the_place_it_went_by(nature: Nature) -> None:
    """Whatever the route, the proposal carries 问题属地: in the caller's words, else the division's code."""
    extra: dict[str, Any] = {"accused_org_codes": ["330726001-GOV"]} if nature is Nature.ACCUSATION else {}
    named = route(nature=nature, region_code="330726001", region_name="浙江省金华市浦江县浦阳街道", **extra)
    assert named.place == "浙江省金华市浦江县浦阳街道"
    assert route(nature=nature, region_code="330726001", **extra).place == "330726001"
