"""The administrator's organisation directory: adding, changing, retiring, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from db.models import ReferenceDocumentRow
from desktop.config import with_values
from desktop.documents.model import DocumentKind
from desktop.domain.access import Actor, PermissionDenied
from desktop.domain.errors import RuleViolation, ValidationError
from desktop.domain.events import EventType
from desktop.services import cases, documents
from desktop.services.audit import AuditQuery, list_audit
from desktop.services.case_actions import organisation_choices
from desktop.services.context import Hall
from desktop.services.organisations import (
    OrganisationForm,
    directory_listing,
    reinstate_organisation,
    retire_organisation,
    save_organisation,
)
from desktop.services.reference import (
    ORGANISATION_COLUMNS,
    ORGANISATIONS_FILE,
    load_directory,
    reference_dir,
    use_directory,
)
from desktop.services.reference_feed import apply_documents, import_directory, use_stored_directory
from desktop.services.registration import register_visit
from tests.helpers import form

WJW = OrganisationForm(code="330726-WJW", name="浦江县卫生健康委员会", kind="政府工作部门", region_code="330726",
                       parent_code="330726-ZF", topic_codes=("06",), address="浦江县某某路24号",
                       phone="0579-84100000", reception_place="县卫健委来访接待室")


@pytest.fixture(autouse=True)
def shipped_directory_again() -> Iterator[None]:
    """Each test starts from the shipped directory and leaves it in force for the next."""
    use_directory(None)
    yield
    use_directory(None)


@pytest.fixture
def admin() -> Actor:
    return Actor("staff:guanli1", "李管理", "admin")


def _kept(hall: Hall) -> int:
    with hall.sessions() as session:
        return session.scalar(select(func.count()).select_from(ReferenceDocumentRow)) or 0


def _entries(hall: Hall) -> list[str]:
    return [e.detail.get("message", "") for e in list_audit(hall, Actor.system(), AuditQuery(limit=20))
            if e.target == "机构目录"]


def test_a_new_unit_is_checked_kept_audited_in_words_and_routed_to(hall: Hall, admin: Actor, clerk: Actor) -> None:
    listing = directory_listing(hall, admin)
    assert listing.editable and "示例机构目录" in listing.source and len(listing.entries) == 42
    refusals = [
        (OrganisationForm("", "县新单位", "政府工作部门", "330726"), "请填写机构代码"),
        (OrganisationForm("县 局", "县新单位", "政府工作部门", "330726"), "英文字母、数字"),
        (OrganisationForm("330726-RSJ", "县新单位", "政府工作部门", "330726"), "已被浦江县人力资源和社会保障局使用"),
        (OrganisationForm("330726-X", " ", "政府工作部门", "330726"), "请填写机构名称"),
        (OrganisationForm("330726-X", "浦江县教育局", "政府工作部门", "330726"), "已有名为“浦江县教育局”的机构"),
        (OrganisationForm("330726-X", "局" * 5000, "政府工作部门", "330726"), "过长"),
        (OrganisationForm("330726-X", "县新单位🙂", "政府工作部门", "330726"), "表情符号"),
        (OrganisationForm("330726-X", "县新\u200b单位", "政府工作部门", "330726"), "看不见的字符"),
        (OrganisationForm("330726-X", "县新单位", "", "330726"), "请选择机构类型"),
        (OrganisationForm("330726-X", "县新单位", "政府工作部门", ""), "请选择所在行政区划"),
        (OrganisationForm("330726-X", "县新单位", "政府工作部门", "999999"), "从列表中选择"),
        (OrganisationForm("330726-X", "县新单位", "政府工作部门", "330726", address="路" * 5000), "地址过长"),
        (OrganisationForm("330726-X", "县新单位", "政府工作部门", "330726", phone="0579\n1"), "电话不能有换行"),
        (OrganisationForm("330726-X", "县新单位", "政府工作部门", "330726", parent_code="330726-X"), "它自己"),
        (OrganisationForm("330726-X", "县新单位", "政府工作部门", "330726", topic_codes=("77",)), "内容分类"),
    ]
    for wrong, message in refusals:
        with pytest.raises(ValidationError, match=message):
            save_organisation(hall, admin, wrong, new=True)
    assert _kept(hall) == 0 and _entries(hall) == []  # nothing kept from a refusal
    with pytest.raises(PermissionDenied):
        save_organisation(hall, clerk, WJW, new=True)

    entry = save_organisation(hall, admin, WJW, new=True)
    assert (entry.name, entry.kind, entry.level, entry.region_name, entry.parent_name, entry.topic_names) == (
        "浦江县卫生健康委员会", "政府工作部门", "县级", "浦江县", "浦江县人民政府", ("卫生健康",))
    assert "330726-WJW" in load_directory() and "浦江县卫生健康委员会" in {c.name for c in organisation_choices()}
    assert _entries(hall) == ["新增机构：浦江县卫生健康委员会（政府工作部门，浙江省金华市浦江县）"]
    listing = directory_listing(hall, admin)
    assert len(listing.entries) == 43 and "本机维护的机构目录" in listing.source
    use_directory(None)  # as at the next start: the directory kept here replaces the shipped one
    assert use_stored_directory(hall) and "330726-WJW" in load_directory()


def test_retiring_keeps_the_name_on_routed_cases_and_offers_it_no_more(hall: Hall, admin: Actor,
                                                                       clerk: Actor) -> None:
    ref = register_visit(hall, clerk, form(request="反映医院手术后出现医疗纠纷，要求调查处理")).case_number
    cases.classify(hall, clerk, ref, nature="申诉求决类", topic_code="0601")
    assert cases.propose(hall, clerk, ref).organisation.code == "330726-WJJ"  # type: ignore[union-attr]
    cases.record(hall, clerk, ref, EventType.TRANSFERRED, {"route_kind": "转送", "organisation_code": "330726-WJJ"})
    later = register_visit(hall, clerk, form(request="反映医院误诊，要求赔偿")).case_number
    cases.classify(hall, clerk, later, nature="申诉求决类", topic_code="0601")

    save_organisation(hall, admin, WJW, new=True)
    with pytest.raises(ValidationError, match="本大厅所属的信访部门"):
        retire_organisation(hall, admin, "330726-XFJ")
    with pytest.raises(ValidationError, match="还有在用的下级机构：浦江县公安局"):
        retire_organisation(hall, admin, "330726-ZF")
    retired = retire_organisation(hall, admin, "330726-WJJ", on=date(2026, 12, 1))
    assert retired.state == "已撤销（2026年12月1日）" and not load_directory().get("330726-WJJ").active
    with pytest.raises(ValidationError, match="已于2026年12月1日撤销"):
        retire_organisation(hall, admin, "330726-WJJ")
    assert _entries(hall)[0] == ("撤销机构：浦江县卫生健康局（政府工作部门，浙江省金华市浦江县），"
                                 "自2026年12月1日起不再接收新的事项，已转交的事项保留原名称")

    # the case sent before: its transfer form still names the unit it went to
    sent = documents.notice(hall, clerk, DocumentKind.TRANSFER_FORM, ref, {}, reveal_personal=False)
    assert sent.data["recipient_name"] == "浦江县卫生健康局"
    assert "浦江县卫生健康局" not in {c.name for c in organisation_choices()}
    # new routing: the proposal goes to the new unit; the retired one is refused, by code too
    assert cases.propose(hall, clerk, later).organisation.code == "330726-WJW"  # type: ignore[union-attr]
    with pytest.raises(RuleViolation, match="浦江县卫生健康局已于2026年12月1日撤销，不再接收新的事项"):
        cases.record(hall, clerk, later, EventType.TRANSFERRED,
                     {"route_kind": "转送", "organisation_code": "330726-WJJ"})
    with pytest.raises(ValidationError, match="已撤销，不能作为上级机构"):
        save_organisation(hall, admin, OrganisationForm("330726-WJJ1", "县卫健局下属中心", "其他", "330726",
                                                        parent_code="330726-WJJ"), new=True)
    listing = directory_listing(hall, admin)
    assert listing.entries[-1].code == "330726-WJJ"  # the retired after those in use

    back = reinstate_organisation(hall, admin, "330726-WJJ")
    assert back.active and "浦江县卫生健康局" in {c.name for c in organisation_choices()}
    assert _entries(hall)[0].startswith("恢复使用机构：浦江县卫生健康局")


def test_a_rename_keeps_the_earlier_name_findable_and_says_what_changed(hall: Hall, admin: Actor) -> None:
    before = next(e for e in directory_listing(hall, admin).entries if e.code == "330726-JYJ")
    with pytest.raises(ValidationError, match="上级机构须从列表中选择"):
        save_organisation(hall, admin, OrganisationForm(**{**vars(before.form()), "parent_code": "330726-NONE"}),
                          new=False)
    with pytest.raises(ValidationError, match="隶属于本机构"):  # the government under its own education bureau
        government = next(e for e in directory_listing(hall, admin).entries if e.code == "330726-ZF")
        save_organisation(hall, admin, OrganisationForm(**{**vars(government.form()), "parent_code": "330726-JYJ"}),
                          new=False)
    renamed = OrganisationForm(**{**vars(before.form()), "name": "浦江县教育体育局", "topic_codes": ("07", "11")})
    entry = save_organisation(hall, admin, renamed, new=False)
    assert entry.name == "浦江县教育体育局" and entry.former_names == ("浦江县教育局",)
    assert _entries(hall) == ["修改机构 浦江县教育局：名称由“浦江县教育局”改为“浦江县教育体育局”；"
                              "受理事项由“教育”改为“教育、政法”"]
    choice = next(c for c in organisation_choices() if c.code == "330726-JYJ")
    assert "浦江县教育局" in choice.keys and "pjxjyj" in choice.keys  # found by the old name and its initials
    again = save_organisation(hall, admin, OrganisationForm(**{**vars(renamed), "name": "浦江县教育局"}), new=False)
    assert again.former_names == ("浦江县教育体育局",)  # the name it has again is no earlier name
    with pytest.raises(ValidationError, match="可能已被其他管理员修改"):
        save_organisation(hall, admin, OrganisationForm(**{**vars(renamed), "code": "330726-GONE"}), new=False)


def test_a_hall_server_whose_centre_sent_a_directory_takes_the_centres(hall: Hall, admin: Actor) -> None:
    save_organisation(hall, admin, WJW, new=True)  # before: its own
    centre = [{c: "" for c in ORGANISATION_COLUMNS} | row for row in (
        {"code": "330726-XFJ", "name": "浦江县信访局", "kind": "信访部门", "level": "县级", "region_code": "330726"},)]
    assert apply_documents(hall, {"organisations": centre}) == ["organisations"]  # as its upstream sync does
    listing = directory_listing(hall, admin)
    assert not listing.editable and "由上级（中心）服务器下发" in listing.why_not and len(listing.entries) == 1
    with pytest.raises(RuleViolation, match="请在中心服务器上修改"):
        retire_organisation(hall, admin, "330726-XFJ")


def test_a_device_that_syncs_takes_the_centres_directory(hall: Hall, admin: Actor) -> None:
    hall.use_settings(with_values(hall.settings, {"server_url": "https://xf.example.gov.cn"}))
    listing = directory_listing(hall, admin)
    assert not listing.editable and "服务器" in listing.why_not
    for change in (lambda: save_organisation(hall, admin, WJW, new=True),
                   lambda: retire_organisation(hall, admin, "330726-WJJ")):
        with pytest.raises(RuleViolation, match="以服务器下发的为准"):
            change()
    assert _kept(hall) == 0


def test_after_a_rename_a_reprint_keeps_the_name_printed_and_a_new_form_names_the_unit_now(
        hall: Hall, admin: Actor, clerk: Actor) -> None:
    from desktop.documents.model import RenderedDocument
    from desktop.documents.render import render
    from desktop.printing.simulated import SimulatedPrinter
    from desktop.services import printing

    ref = register_visit(hall, clerk, form(request="反映孩子入学被拒，要求按学区安排")).case_number
    cases.classify(hall, clerk, ref, nature="申诉求决类", topic_code="0701")
    cases.record(hall, clerk, ref, EventType.TRANSFERRED, {"route_kind": "转送", "organisation_code": "330726-JYJ"})
    printer = SimulatedPrinter()
    sent = documents.notice(hall, clerk, DocumentKind.TRANSFER_FORM, ref, {}, reveal_personal=False)
    printed = printing.print_document(hall, clerk, sent, None, printer)
    assert printed.printed and sent.data["recipient_name"] == "浦江县教育局"

    education = next(e for e in directory_listing(hall, admin).entries if e.code == "330726-JYJ")
    save_organisation(hall, admin, OrganisationForm(**{**vars(education.form()), "name": "浦江县教育体育局"}),
                      new=False)

    def again(data: Mapping[str, Any], label: str) -> RenderedDocument:
        return render(DocumentKind.TRANSFER_FORM, data, copy_label=label)

    copy = printing.reprint(hall, clerk, printed.job.job_id, again, printer)  # 补打: the form as it was sent
    assert copy.printed and copy.job.data["recipient_name"] == "浦江县教育局"
    now = documents.notice(hall, clerk, DocumentKind.TRANSFER_FORM, ref, {}, reveal_personal=False)
    assert now.data["recipient_name"] == "浦江县教育体育局"  # issued today: the unit as it is named today


def test_an_import_at_the_centre_loses_no_unit_and_no_earlier_name(hall: Hall, admin: Actor, tmp_path: Path) -> None:
    save_organisation(hall, admin, WJW, new=True)
    education = next(e for e in directory_listing(hall, admin).entries if e.code == "330726-JYJ")
    save_organisation(hall, admin, OrganisationForm(**{**vars(education.form()), "name": "浦江县教育体育局"}),
                      new=False)
    retire_organisation(hall, admin, "330726-WJJ", on=date(2026, 9, 1))
    # an older export: the shipped columns only, without 撤销日期 and 曾用名, without the commission added since
    shipped = (reference_dir() / ORGANISATIONS_FILE).read_text(encoding="utf-8").splitlines()
    older = tmp_path / "机构目录.csv"
    older.write_text("\n".join(",".join(line.split(",")[:10]) for line in shipped) + "\n", encoding="utf-8")
    assert import_directory(hall, admin, older) == 43
    units = {e.code: e for e in directory_listing(hall, admin).entries}
    assert units["330726-WJJ"].retired == "2026-09-01"  # the file says nothing of it: the day kept
    assert units["330726-WJW"].retired == "2026-09-16" and units["330726-WJW"].name == "浦江县卫生健康委员会"
    assert (units["330726-JYJ"].name, units["330726-JYJ"].former_names) == ("浦江县教育局", ("浦江县教育体育局",))

    clash = tmp_path / "重名.csv"  # the commission under a new code, the old one left out: two of one name
    clash.write_text(older.read_text(encoding="utf-8") + "330726-WJW2,浦江县卫生健康委员会,GOVERNMENT_DEPT,COUNTY,"
                     "330726,330726-ZF,06,,,\n", encoding="utf-8")
    with pytest.raises(ValidationError, match="文件中代码 330726-WJW2 的机构也叫“浦江县卫生健康委员会”"):
        import_directory(hall, admin, clash)
    assert "330726-WJW2" not in load_directory()
