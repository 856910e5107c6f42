"""The organisation directory kept by the administrator: list, add, change, retire, put back in use.

The directory (``organisations`` reference document, the columns of organisations.csv) is
read whole, the one entry changed, checked whole again (``OrganisationDirectory.from_rows``)
and written back in one transaction with one audit entry in words; the process's directory
is replaced at once (``use_directory``) and the write publishes ``REFERENCE``, so routing,
the case view and every list of units read the new one without a restart.

* **Retiring never deletes.** A retired organisation keeps its row with the day it was
  retired: cases already routed to it keep its name in the case view and on every document;
  new routing (proposals, the lists of units, a transfer, an assignment, a 包案 unit)
  no longer offers or accepts it. It can be put back in use.
* **A rename keeps history readable.** A document printed before keeps the name it was
  printed with (its reprint, 补打, renders the data kept with the print job); a document
  issued from now on names the unit by its name now, because it is addressed to the unit as it
  is now. The earlier names are kept with the entry (曾用名): the list shows them and a
  search by an earlier name still finds the unit.
* **Who may edit.** The installation that is the authority over the directory: one that does
  not sync (no ``server_url``), and the server (the administrator's desk edits the server's
  directory through ``/admin/organisations`` with their own password, checked each time). A
  device that syncs receives the centre's directory down the reference feed; a change of its
  own would be overwritten by the next one, or silently differ from the server's, which
  validates what devices push. So it is refused there, with words saying where to edit; so is a
  change on a hall server once its upstream (the centre) has sent it a directory.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any, Final

from db.models import ReferenceDocumentRow, ReferenceStateRow
from desktop.domain.access import Actor, Permission
from desktop.domain.audit import AuditAction
from desktop.domain.calendar import stamp_in_words
from desktop.domain.errors import RuleViolation, ValidationError
from desktop.domain.regions import region_level
from desktop.domain.routing import NEW_ORG_CODE_RE, Organisation, OrganisationDirectory, OrgKind, organisation_from_row
from desktop.services.audit import audit, guard
from desktop.services.case_actions import organisation_search_keys
from desktop.services.context import Hall
from desktop.services.reference import (
    ORGANISATION_COLUMNS,
    ORGANISATION_REQUIRED,
    ORGANISATIONS_FILE,
    load_regions,
    load_taxonomy,
    read_table,
    reference_dir,
    use_directory,
)
from desktop.services.reference_feed import ORGANISATIONS, directory_of, keep_document

#: The audit entry's object: a reader sees these words.
AUDIT_TARGET: Final = "机构目录"
_LIST_SEPARATOR: Final = "|"


@dataclass(frozen=True)
class OrganisationForm:
    """What the administrator fills in. ``kind`` is an :class:`OrgKind` value (政府工作部门); the level
    follows from the region (a county's unit is 县级); ``parent_code`` "" : none."""

    code: str
    name: str
    kind: str
    region_code: str
    parent_code: str = ""
    topic_codes: tuple[str, ...] = ()
    address: str = ""
    phone: str = ""
    reception_place: str = ""


@dataclass(frozen=True)
class DirectoryEntry:
    """One organisation in words, for the list and the form."""

    code: str
    name: str
    kind: str  # 政府工作部门
    level: str  # 县级
    region_code: str
    region_name: str  # 浦江县 (its own name: the form picks from the full names, 浙江省金华市浦江县)
    parent_code: str
    parent_name: str
    topic_codes: tuple[str, ...]
    topic_names: tuple[str, ...]  # full names: 劳动和社会保障/拖欠工资
    address: str
    phone: str
    reception_place: str
    retired: str  # ISO date, "" while in use
    former_names: tuple[str, ...]
    keys: tuple[str, ...]  # what a search by name, an earlier name or pinyin matches

    @property
    def active(self) -> bool:
        return not self.retired

    @property
    def state(self) -> str:
        return f"已撤销（{stamp_in_words(self.retired)}）" if self.retired else "在用"

    def form(self) -> OrganisationForm:
        return OrganisationForm(self.code, self.name, self.kind, self.region_code, self.parent_code,
                                self.topic_codes, self.address, self.phone, self.reception_place)


@dataclass(frozen=True)
class DirectoryListing:
    entries: list[DirectoryEntry]
    source: str  # where the directory comes from, in words
    editable: bool  # this installation is the directory's authority
    why_not: str  # when it is not: where to change it
    changed_at: str = ""  # when it was last changed here (ISO time); "" : the shipped file's


def _editable(hall: Hall) -> str:
    """Why this installation may not change the directory ("" : it may)."""
    if hall.settings.server_url.strip():
        return ("本机与中心服务器同步，机构目录以服务器下发的为准，在本机修改会被下次同步覆盖。"
                "请在管理端输入本人密码后修改服务器上的机构目录，各设备下次同步时更新")
    with hall.sessions() as session:  # a hall server whose directory came from its upstream, the centre
        received = session.get(ReferenceStateRow, f"kind:{ORGANISATIONS}") is not None
    if received:
        return "本机的机构目录由上级（中心）服务器下发，以中心的为准：请在中心服务器上修改，下次同步时更新到本机"
    return ""


def _stored_rows(hall: Hall) -> tuple[list[dict[str, str]], str]:
    """The directory's rows (the document kept, else the shipped file's) and when they were last changed."""
    import json

    with hall.sessions() as session:
        row = session.get(ReferenceDocumentRow, (ORGANISATIONS, ""))
        if row is not None:
            return [_plain_row(r) for r in json.loads(row.content)], row.updated_at
    return _shipped_rows(), ""


def _shipped_rows() -> list[dict[str, str]]:
    shipped = read_table(reference_dir() / ORGANISATIONS_FILE, ORGANISATION_REQUIRED)
    return [_plain_row(r) for r in shipped if any((v or "").strip() for v in r.values())]


def _plain_row(row: Mapping[str, Any]) -> dict[str, str]:
    return {c: str(row.get(c) or "").strip() for c in ORGANISATION_COLUMNS}


def _entries(directory: OrganisationDirectory) -> list[DirectoryEntry]:
    regions, taxonomy = load_regions(), load_taxonomy()
    found = []
    for org in directory:
        parent = directory.get(org.parent_code) if org.parent_code and org.parent_code in directory else None
        found.append(DirectoryEntry(
            code=org.code, name=org.name, kind=org.kind.value, level=org.level.value, region_code=org.region_code,
            region_name=regions.name(org.region_code) if org.region_code in regions else org.region_code,
            parent_code=org.parent_code or "", parent_name=parent.name if parent else "",
            topic_codes=org.topic_codes,
            topic_names=tuple(taxonomy.full_name(t) if t in taxonomy else t for t in org.topic_codes),
            address=org.address, phone=org.phone, reception_place=org.reception_place, retired=org.retired,
            former_names=org.former_names,
            keys=organisation_search_keys(org)))
    return sorted(found, key=lambda e: (bool(e.retired), e.region_code, e.code))


def directory_listing(hall: Hall, actor: Actor) -> DirectoryListing:
    """Every organisation (in use first, then the retired), where the directory comes from, whether it may be
    changed here."""
    guard(hall, actor, Permission.MANAGE_SETTINGS, "查看机构目录")
    rows, changed = _stored_rows(hall)
    why_not = _editable(hall)
    if why_not:
        source = "中心服务器下发的机构目录" if changed else "随程序提供的示例机构目录（尚未收到中心服务器下发的目录）"
    else:
        source = (f"本机维护的机构目录（{stamp_in_words(changed)} 修改）" if changed
                  else "随程序提供的示例机构目录：修改后保存为本机的机构目录")
    return DirectoryListing(_entries(directory_of(rows)), source, not why_not, why_not, changed)


def _check_may_edit(hall: Hall, actor: Actor, what: str) -> None:
    guard(hall, actor, Permission.MANAGE_SETTINGS, what)
    why_not = _editable(hall)
    if why_not:
        raise RuleViolation("directory_elsewhere", why_not)


def _row_of(form: OrganisationForm, kept: Mapping[str, str]) -> dict[str, str]:
    """The row of a filled-in form, over the row it changes (its retirement and earlier names kept)."""
    try:
        kind = OrgKind(form.kind.strip())
    except ValueError:
        raise ValidationError("missing_kind" if not form.kind.strip() else "bad_kind",
                              "请选择机构类型", "kind") from None
    region = form.region_code.strip()
    regions = load_regions()
    if not region:
        raise ValidationError("missing_region_code", "请选择所在行政区划（可输入名称或拼音首字母查找）", "region_code")
    if region not in regions or region_level(region) is None:
        raise ValidationError("unknown_region", "所在行政区划须从列表中选择", "region_code")
    level = region_level(region)
    assert level is not None
    taxonomy = load_taxonomy()
    unknown = [t for t in form.topic_codes if t not in taxonomy]
    if unknown:
        raise ValidationError("unknown_topic", "受理事项须从内容分类目录中选择", "topic_codes")
    return {**kept, "code": form.code.strip(), "name": form.name.strip(), "kind": kind.name, "level": level.name,
            "region_code": region, "parent_code": form.parent_code.strip(),
            "topic_codes": _LIST_SEPARATOR.join(dict.fromkeys(t.strip() for t in form.topic_codes if t.strip())),
            "address": form.address.strip(), "phone": form.phone.strip(),
            "reception_place": form.reception_place.strip()}


def _describe(org: Organisation, *, named: bool = True) -> str:
    regions = load_regions()
    where = regions.full_name(org.region_code) if org.region_code in regions else org.region_code
    return f"{org.name}（{org.kind.value}，{where}）" if named else f"{org.kind.value}，{where}"


_WORDS: Final = (("name", "名称"), ("kind", "类型"), ("region_code", "所在区划"), ("parent_code", "上级机构"),
                 ("topic_codes", "受理事项"), ("address", "地址"), ("phone", "电话"), ("reception_place", "接待场所"))


def _changes_in_words(before: Organisation, after: Organisation, directory: OrganisationDirectory) -> str:
    regions, taxonomy = load_regions(), load_taxonomy()

    def shown(org: Organisation, field: str) -> str:
        if field == "kind":
            return org.kind.value
        if field == "region_code":
            return regions.full_name(org.region_code) if org.region_code in regions else org.region_code
        if field == "parent_code":
            return directory.get(org.parent_code).name if org.parent_code and org.parent_code in directory else "无"
        if field == "topic_codes":
            return "、".join(taxonomy.full_name(t) if t in taxonomy else t for t in org.topic_codes) or "无"
        return str(getattr(org, field)) or "无"

    parts = [f"{label}由“{shown(before, f)}”改为“{shown(after, f)}”"
             for f, label in _WORDS if shown(before, f) != shown(after, f)]
    return "；".join(parts) or "未作改动"


def _write(hall: Hall, actor: Actor, change: Any) -> DirectoryEntry:
    """Read the directory, let ``change(rows, directory)`` return the new rows, the code concerned and the words
    for the audit log; check the whole, keep it and put it in force (one transaction, one audit entry)."""
    import json

    with hall.transaction() as session:
        row = session.get(ReferenceDocumentRow, (ORGANISATIONS, ""), with_for_update=True)
        rows = [_plain_row(r) for r in json.loads(row.content)] if row is not None else _shipped_rows()
        rows, code, words = change(rows, directory_of(rows))
        directory = directory_of(rows)
        keep_document(session, hall, ORGANISATIONS, rows)
        audit(session, hall, actor, AuditAction.SETTING_CHANGED, AUDIT_TARGET, {"message": words})
    use_directory(directory)
    return next(e for e in _entries(directory) if e.code == code)


def _index(rows: Sequence[Mapping[str, str]], code: str) -> int:
    for index, row in enumerate(rows):
        if row["code"] == code:
            return index
    raise ValidationError("unknown_organisation", "机构目录中没有这个机构（可能已被其他管理员修改），请刷新后再试",
                          "code")


def _check_parent(directory: OrganisationDirectory, code: str, parent_code: str, was: str) -> None:
    if not parent_code:
        return
    if parent_code == code:
        raise ValidationError("parent_self", "上级机构不能是它自己", "parent_code")
    if parent_code not in directory:
        raise ValidationError("unknown_parent", "上级机构须从列表中选择", "parent_code")
    parent = directory.get(parent_code)
    if not parent.active and parent_code != was:
        raise ValidationError("retired_parent", f"{parent.name}已撤销，不能作为上级机构", "parent_code")
    if any(s.code == code for s in directory.superiors(parent)):
        raise ValidationError("parent_cycle", f"{parent.name}隶属于本机构，不能作为它的上级机构", "parent_code")


def save_organisation(hall: Hall, actor: Actor, form: OrganisationForm, *, new: bool) -> DirectoryEntry:
    """Add an organisation (``new``) or change the one with ``form.code`` (its code stays); audited in words."""
    _check_may_edit(hall, actor, "新增机构" if new else "修改机构")
    code, name = form.code.strip(), form.name.strip()
    if new:
        if not code:
            raise ValidationError("missing_code", "请填写机构代码，如 330726-RSJ（区划代码-简称字母）", "code")
        if not NEW_ORG_CODE_RE.match(code):
            raise ValidationError("bad_code", "机构代码须为2–32位英文字母、数字、短横线或下划线，"
                                              "以字母或数字开头，如 330726-RSJ", "code")
    if not name:
        raise ValidationError("missing_name", "请填写机构名称（全称，如 浦江县人力资源和社会保障局）", "name")

    def change(rows: list[dict[str, str]], directory: OrganisationDirectory) -> tuple[list[dict[str, str]], str, str]:
        if new:
            if code in directory:
                raise ValidationError("duplicate_code", f"机构代码“{code}”已被{directory.get(code).name}使用，"
                                                        "请换一个", "code")
            kept: dict[str, str] = {c: "" for c in ORGANISATION_COLUMNS}
            index = len(rows)
        else:
            index = _index(rows, code)
            kept = rows[index]
        same = [o for o in directory if o.name == name and o.code != code]
        if same:
            retired = "已撤销的" if not same[0].active else ""
            other = _describe(same[0], named=False)
            raise ValidationError("duplicate_name", f"已有名为“{name}”的{retired}机构（{other}），"
                                                    "一个名称只能对应一个机构，请核对或换用全称", "name")
        row = _row_of(form, kept)
        before = None if new else organisation_from_row(kept)
        if before is not None and before.name != name:  # the earlier name is kept: old cases still find it
            row["former_names"] = _LIST_SEPARATOR.join(dict.fromkeys(
                n for n in (*before.former_names, before.name) if n != name))
        after = organisation_from_row(row)
        _check_parent(directory, code, row["parent_code"], (before.parent_code or "") if before else "")
        rows = [*rows[:index], row, *rows[index + 1:]]
        if before is None:
            return rows, code, f"新增机构：{_describe(after)}"
        return rows, code, f"修改机构 {before.name}：{_changes_in_words(before, after, directory_of(rows))}"

    return _write(hall, actor, change)


def retire_organisation(hall: Hall, actor: Actor, code: str, on: date | None = None) -> DirectoryEntry:
    """Retire (撤销、合并) an organisation: new routing no longer offers it; its cases keep its name."""
    _check_may_edit(hall, actor, "撤销机构")
    day = (on or hall.now().date()).isoformat()

    def change(rows: list[dict[str, str]], directory: OrganisationDirectory) -> tuple[list[dict[str, str]], str, str]:
        index = _index(rows, code)
        org = directory.get(code)
        if not org.active:
            raise ValidationError("already_retired", f"{org.name}已于{stamp_in_words(org.retired)}撤销", "code")
        if code == hall.settings.bureau_code:
            raise ValidationError("retire_bureau", f"{org.name}是本大厅所属的信访部门（设置 bureau_code），不能撤销",
                                  "code")
        below = [o.name for o in directory.in_use() if o.parent_code == code]
        if below:
            more = "等" if len(below) > 5 else ""
            raise ValidationError("retire_parent", f"{org.name}下还有在用的下级机构：{'、'.join(below[:5])}{more}，"
                                                   "请先为它们另选上级机构或一并撤销", "code")
        rows = [*rows[:index], {**rows[index], "retired": day}, *rows[index + 1:]]
        return rows, code, (f"撤销机构：{_describe(org)}，自{stamp_in_words(day)}起不再接收新的事项，"
                            "已转交的事项保留原名称")

    return _write(hall, actor, change)


def reinstate_organisation(hall: Hall, actor: Actor, code: str) -> DirectoryEntry:
    """Put a retired organisation back in use (retired by mistake)."""
    _check_may_edit(hall, actor, "恢复机构")

    def change(rows: list[dict[str, str]], directory: OrganisationDirectory) -> tuple[list[dict[str, str]], str, str]:
        index = _index(rows, code)
        org = directory.get(code)
        if org.active:
            raise ValidationError("not_retired", f"{org.name}在用，无需恢复", "code")
        rows = [*rows[:index], {**rows[index], "retired": ""}, *rows[index + 1:]]
        return rows, code, f"恢复使用机构：{_describe(replace(org, retired=''))}"

    return _write(hall, actor, change)


__all__ = ["AUDIT_TARGET", "DirectoryEntry", "DirectoryListing", "OrganisationForm", "directory_listing",
           "reinstate_organisation", "retire_organisation", "save_organisation"]
