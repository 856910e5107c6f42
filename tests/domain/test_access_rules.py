"""Roles, permissions, recusal, accusation secrecy and masking: the pure rules."""

from __future__ import annotations

from datetime import date

import pytest

from desktop.domain.access import (
    ROLE_PERMISSIONS,
    WITHHELD,
    Actor,
    ContentAccess,
    Permission,
    PermissionDenied,
    Role,
    accusation_access,
    check_may_reclassify,
    check_may_record,
    ever_accused,
    masked_events,
    masked_view,
    may_disclose_to,
    require,
)
from desktop.domain.case import CaseState, CaseView, Person
from desktop.domain.events import Event, EventType
from desktop.domain.regions import Level
from desktop.domain.routing import Organisation, OrganisationDirectory, OrgKind

ID = "110105194912310021"


def _directory() -> OrganisationDirectory:
    return OrganisationDirectory([
        Organisation("GOV", "某县人民政府", OrgKind.GOVERNMENT, Level.COUNTY, "330726"),
        Organisation("ZJJ", "某县住建局", OrgKind.GOVERNMENT_DEPT, Level.COUNTY, "330726", parent_code="GOV"),
        Organisation("ZJJ-1", "某县住建局质监站", OrgKind.OTHER, Level.COUNTY, "330726", parent_code="ZJJ"),
        Organisation("JW", "某县纪委监委", OrgKind.DISCIPLINE, Level.COUNTY, "330726"),
        Organisation("JYJ", "某县教育局", OrgKind.GOVERNMENT_DEPT, Level.COUNTY, "330726", parent_code="GOV"),
    ])


def _view(**changes: object) -> CaseView:
    base = CaseView(case_id="c1", case_number="XF-1", state=CaseState.REGISTERED, received_on=date(2026, 9, 1),
                    petitioner=Person("欧阳建华", "居民身份证", ID, "13857900002"),
                    persons=(Person("欧阳建华", "居民身份证", ID, "13857900002"),),
                    address="浙江省金华市浦江县浦阳街道和平路12号", request="举报住建局某科长索要好处费")
    from dataclasses import replace

    return replace(base, **changes)  # type: ignore[arg-type]


ACCUSATION = {"nature": "检举控告类", "accused_org_codes": ("ZJJ",), "organisation_code": "JW"}


def test_each_role_has_only_its_permissions() -> None:
    assert Actor.kiosk("K01").permissions == {Permission.SELF_SERVICE, Permission.RATE}
    assert not Actor.display_screen("D1").permissions
    admin = Actor("staff:a", "管理员", Role.ADMIN)
    assert not admin.may(Permission.VIEW_CASE) and not admin.may(Permission.REVEAL_PERSONAL)
    assert Actor.system().permissions == frozenset(Permission)
    assert Actor("staff:x", "某人", "no-such-role").permissions == frozenset()
    for role, granted in ROLE_PERMISSIONS.items():
        if role not in (Role.SYSTEM,):
            assert Permission.MANAGE_KEYS not in granted or role is Role.ADMIN


def test_extra_permissions_add_to_the_role() -> None:
    clerk = Actor("staff:w", "王丽", Role.CLERK)
    assert not clerk.may(Permission.VIEW_ACCUSATION)
    assert Actor("staff:w", "王丽", Role.CLERK,
                 extra_permissions=frozenset({Permission.VIEW_ACCUSATION})).may(Permission.VIEW_ACCUSATION)


def test_refusal_names_person_role_and_permission() -> None:
    with pytest.raises(PermissionDenied) as refused:
        require(Actor.kiosk("K01"), Permission.SEARCH, "检索事项")
    assert "K01号自助终端的群众" in refused.value.message
    assert "自助终端" in refused.value.message and "检索事项" in refused.value.message


def test_decisions_need_their_own_permission() -> None:
    view = _view()
    check_may_record(Actor("staff:w", "王丽", Role.CLERK), view, EventType.ACCEPTED)
    with pytest.raises(PermissionDenied, match="包案与批示"):
        check_may_record(Actor("staff:w", "王丽", Role.CLERK), view, EventType.INSTRUCTED)
    check_may_record(Actor("staff:l", "陈志远", Role.LEADER), view, EventType.INSTRUCTED)
    with pytest.raises(PermissionDenied):
        check_may_record(Actor("staff:l", "陈志远", Role.LEADER), view, EventType.ACCEPTED)
    with pytest.raises(PermissionDenied) as refused:
        check_may_record(Actor.kiosk("K01"), view, EventType.CLASSIFIED)
    assert refused.value.message.endswith("不能“分类”")  # names the decision, not only the permission


def test_recused_person_is_refused_every_decision_but_others_are_not() -> None:
    view = _view(recused=("staff:w",))
    with pytest.raises(PermissionDenied) as refusal:
        check_may_record(Actor("staff:w", "王丽", Role.CLERK), view, EventType.ACCEPTED)
    assert refusal.value.code == "recused"
    assert refusal.value.message == "王丽已对事项XF-1登记回避，不能再对该事项作出任何处理（条例第二十八条）"
    check_may_record(Actor("staff:z", "张强", Role.CLERK), view, EventType.ACCEPTED)


def test_accusation_read_only_by_permission_holders_and_the_discipline_organ() -> None:
    directory = _directory()
    view = _view(**ACCUSATION)
    clerk = Actor("staff:w", "王丽", Role.CLERK)
    assert accusation_access(clerk, view, directory) is ContentAccess.REDACTED
    assert accusation_access(Actor("staff:s", "赵敏", Role.SUPERVISOR), view, directory) is ContentAccess.FULL
    officer = Actor("staff:j", "纪委干部", Role.CLERK, org_code="JW")
    assert accusation_access(officer, view, directory) is ContentAccess.FULL
    other_unit = Actor("staff:e", "教育局干部", Role.CLERK, org_code="JYJ")
    assert accusation_access(other_unit, view, directory) is ContentAccess.REDACTED
    assert accusation_access(clerk, _view(nature="申诉求决类"), directory) is ContentAccess.FULL


@pytest.mark.parametrize("org", ["ZJJ", "ZJJ-1"])
def test_accused_organisation_and_its_units_are_refused_even_with_permission(org: str) -> None:
    directory = _directory()
    view = _view(**ACCUSATION)
    accused = Actor("staff:z", "住建局干部", Role.SUPERVISOR, org_code=org)
    with pytest.raises(PermissionDenied, match="第三十条"):
        accusation_access(accused, view, directory)
    with pytest.raises(PermissionDenied, match="第三十条"):
        check_may_record(accused, view, EventType.ACCEPTED, directory)
    assert not may_disclose_to(view, org, directory)
    assert may_disclose_to(view, "JW", directory)
    assert may_disclose_to(_view(nature="申诉求决类", accused_org_codes=("ZJJ",)), org, directory)


def test_masked_view_hides_personal_data_and_withholds_accusations() -> None:
    view = _view(**ACCUSATION)
    masked = masked_view(view, reveal_personal=False, content=ContentAccess.REDACTED)
    text = repr(masked)
    assert ID not in text and "13857900002" not in text and "欧阳建华" not in text and "和平路" not in text
    assert masked.petitioner.name == "欧阳**" and masked.request == WITHHELD
    assert masked.accused_org_codes == ()
    full = masked_view(view, reveal_personal=True, content=ContentAccess.FULL)
    assert full == view


def test_masked_events_cover_the_registration_payload() -> None:
    event = Event("e1", "c1", "dev", "staff:w", "0000000000001-00000-dev", EventType.REGISTERED, {
        "petitioner": {"name": "欧阳建华", "id_number": ID, "phone": "13857900002"},
        "representatives": [{"name": "李四", "id_number": ID, "phone": ""}],
        "agent": None, "address": "浙江省金华市浦江县浦阳街道和平路12号", "request": "举报某科长"})
    (masked,) = masked_events([event], reveal_personal=False, content=ContentAccess.REDACTED)
    text = repr(masked.payload)
    assert ID not in text and "欧阳建华" not in text and "李四" not in text and "和平路" not in text
    assert masked.payload["request"] == WITHHELD
    (same,) = masked_events([event], reveal_personal=True, content=ContentAccess.FULL)
    assert same is event


@pytest.mark.parametrize(("accused", "org", "refused"), [
    ("GOV", "GOV", True),  # the accused organisation itself
    ("GOV", "ZJJ", True),  # a unit under it
    ("GOV", "ZJJ-1", True),  # a unit two levels under it
    ("ZJJ", "GOV", False),  # its superior may handle the accusation
    ("ZJJ", "JYJ", False),  # a sibling under the same superior
    ("ZJJ-1", "ZJJ", False),  # the superior of an accused unit
])
def test_art_30_reaches_every_unit_below_the_accused_and_none_above(accused: str, org: str,
                                                                      refused: bool) -> None:
    directory = _directory()
    view = _view(nature="检举控告类", accused_org_codes=(accused,), organisation_code="JW")
    actor = Actor("staff:x", "干部", Role.SUPERVISOR, org_code=org)
    assert may_disclose_to(view, org, directory) is not refused
    if refused:
        with pytest.raises(PermissionDenied, match="第三十条"):
            accusation_access(actor, view, directory)
        with pytest.raises(PermissionDenied, match="第三十条"):
            check_may_record(actor, view, EventType.ACCEPTED, directory)
    else:
        assert accusation_access(actor, view, directory) is ContentAccess.FULL
        check_may_record(actor, view, EventType.ACCEPTED, directory)


def test_art_30_refusal_names_the_rule_without_a_directory() -> None:
    """Without the directory, membership of the accused list alone decides; the refusal is the same."""
    view = _view(**ACCUSATION)
    accused = Actor("staff:z", "住建局干部", Role.SUPERVISOR, org_code="ZJJ")
    for directory in (None, _directory()):
        with pytest.raises(PermissionDenied) as refusal:
            check_may_record(accused, view, EventType.ACCEPTED, directory)
        assert refusal.value.code == "accused_actor"
        assert refusal.value.message == "该检举控告事项涉及您所在的单位，依法不得向您提供（条例第三十条）"
    unlisted = Actor("staff:u", "某单位干部", Role.SUPERVISOR, org_code="OTHER")  # in no directory
    check_may_record(unlisted, view, EventType.ACCEPTED, _directory())
    assert accusation_access(unlisted, view, _directory()) is ContentAccess.FULL


def test_an_organisation_missing_from_the_directory_is_judged_by_the_accused_list() -> None:
    directory = _directory()
    view = _view(nature="检举控告类", accused_org_codes=("ZJJ", "GONE"))
    assert not may_disclose_to(view, "GONE", directory)  # accused, though no longer in the directory
    assert may_disclose_to(view, "ELSEWHERE", directory)


def test_the_accused_list_of_another_nature_keeps_no_one_out() -> None:
    """Only accusations are kept from the organisations they name (art. 30)."""
    view = _view(nature="申诉求决类", accused_org_codes=("ZJJ",))
    inside = Actor("staff:z", "住建局干部", Role.SUPERVISOR, org_code="ZJJ")
    check_may_record(inside, view, EventType.ACCEPTED, _directory())
    check_may_record(inside, view, EventType.ACCEPTED)
    assert accusation_access(inside, view, _directory()) is ContentAccess.FULL


def _classified(nature: str, accused: list[str], n: int = 1) -> Event:
    return Event(f"e{n}", "c1", "dev", "staff:w", f"2026-09-0{n}T00:00:00.000Z-0000-dev", EventType.CLASSIFIED,
                 {"nature": nature, "topic_code": "0101", "accused_org_codes": accused})


def test_reclassifying_a_case_that_ever_was_an_accusation_needs_the_supervisor() -> None:
    clerk, supervisor = Actor("staff:w", "王丽", Role.CLERK), Actor("staff:z", "赵敏", Role.SUPERVISOR)
    first = _classified("检举控告类", ["ZJJ"])
    later = _classified("申诉求决类", [], 2)
    assert ever_accused([first, later]) == (True, frozenset({"ZJJ"}))
    assert ever_accused([_classified("申诉求决类", [])]) == (False, frozenset())
    # the first classification, and any classification of a case never an accusation: anyone who may classify
    assert not check_may_reclassify(clerk, CaseView(case_id="c1"), EventType.CLASSIFIED, [])
    plain = CaseView(case_id="c1", nature="申诉求决类")
    assert not check_may_reclassify(clerk, plain, EventType.CLASSIFIED, [_classified("申诉求决类", [])])
    # an accusation now, one once (a later classification narrowed it away), or sealed elsewhere: 督办与统计 only
    accusation = CaseView(case_id="c1", nature="检举控告类", accused_org_codes=("ZJJ",))
    accusation = CaseView(case_id="c1", nature="检举控告类", accused_org_codes=("ZJJ",))
    for view, history, sealed in ((accusation, [first], ()), (plain, [first, later], ()), (plain, [], ("ZJJ",))):
        with pytest.raises(PermissionDenied, match="督办与统计"):
            check_may_reclassify(clerk, view, EventType.CLASSIFIED, history, sealed)
        assert check_may_reclassify(supervisor, view, EventType.CLASSIFIED, history, sealed)
    # other decisions on an accusation are not reclassifications
    assert not check_may_reclassify(clerk, plain, EventType.ACCEPTED, [first, later])
