"""Where a petition item goes: the organisation directory and the routing rules.

Implements the disposal choices of art. 22 (转送 / 交办), the legal routes of
art. 31, 协商受理 of art. 24 and the absolute bar of art. 30: accusation
material never goes to the accused organisation or to anything under it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum

from desktop.domain.classification import (
    Channel,
    LegalRoute,
    Nature,
    TopicTaxonomy,
    parse_choice,
)
from desktop.domain.errors import RuleViolation, ValidationError
from desktop.domain.identity import invisible_char
from desktop.domain.regions import (
    Level,
    normalise_region_code,
    parse_level,
    region_ancestors,
    region_contains,
    region_level,
    region_prefix,
)

__all__ = [
    "Level",
    "OrgKind",
    "Organisation",
    "OrganisationDirectory",
    "RouteKind",
    "RouteProposal",
    "check_route_allowed",
    "is_accused",
    "propose_route",
]


class OrgKind(StrEnum):
    """Kinds of organisation a petition can be routed to."""

    PETITION_BUREAU = "信访部门"
    GOVERNMENT_DEPT = "政府工作部门"
    TOWNSHIP = "乡镇（街道）"
    POLITICAL_LEGAL = "政法委"
    COURT = "法院"
    PROCURATORATE = "检察院"
    PUBLIC_SECURITY = "公安机关"
    DISCIPLINE = "纪检监察机关"
    ARBITRATION = "仲裁机构"
    PARTY_ORG = "党委组织部门"
    GOVERNMENT = "人民政府"
    OTHER = "其他"


@dataclass(frozen=True)
class Organisation:
    """A receiving organisation (有权处理的机关、单位) of the directory."""

    code: str
    name: str
    kind: OrgKind
    level: Level
    region_code: str
    parent_code: str | None = None
    topic_codes: tuple[str, ...] = ()
    address: str = ""
    phone: str = ""
    reception_place: str = ""
    retired: str = ""  # the day it was retired (撤销/合并, ISO date); "" while in use
    former_names: tuple[str, ...] = ()  # earlier names, oldest first (a rename keeps them findable)

    @property
    def active(self) -> bool:
        """In use: offered for new routing. A retired one stays listed for the cases routed to it."""
        return not self.retired

    def topic_match(self, topic_code: str) -> int:
        """Length of the longest declared topic prefix matching ``topic_code`` (0: none)."""
        return max((len(p) for p in self.topic_codes if topic_code.startswith(p)), default=0)


_ORG_CODE_RE = re.compile(r"^[^\s|]+$")
#: The code of an organisation added by hand: letters, digits, ``-`` and ``_`` (the shipped ones: 330726-RSJ).
NEW_ORG_CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{1,31}$")
#: An organisation's full name, at most (the longest county unit's is about 20).
MAX_ORG_NAME = 60
#: The longest address or reception place, and telephone, printed on forms.
MAX_ORG_ADDRESS = 100
MAX_ORG_PHONE = 40
_TEXT_COLUMNS = (("address", "地址", MAX_ORG_ADDRESS), ("phone", "电话", MAX_ORG_PHONE),
                 ("reception_place", "接待场所", MAX_ORG_ADDRESS))
_LIST_SPLIT_RE = re.compile(r"[|｜]")


class OrganisationDirectory:
    """All organisations known to the hall, indexed by code."""

    def __init__(self, organisations: Iterable[Organisation]) -> None:
        self._orgs: dict[str, Organisation] = {o.code: o for o in organisations}

    @classmethod
    def from_rows(
        cls, rows: Iterable[Mapping[str, str | None]], *, first_line: int = 2
    ) -> OrganisationDirectory:
        """Build and validate from rows with the columns of ``organisations.csv``.

        ``first_line`` is the source line of the first row (2 under a header);
        errors name the offending line. Blank rows are skipped but counted.
        """
        orgs: dict[str, Organisation] = {}
        lines: dict[str, int] = {}
        names: dict[str, int] = {}  # a name's line
        for line, row in enumerate(rows, start=first_line):
            if not any((v or "").strip() for v in row.values()):
                continue
            where = f"机构表第{line}行："
            org = organisation_from_row(row, where)
            code, name = org.code, org.name
            if code in orgs:
                raise ValidationError(
                    "duplicate_code", f"{where}机构代码“{code}”与第{lines[code]}行重复", "code"
                )
            if name in names:
                raise ValidationError("duplicate_name", f"{where}机构名称“{name}”与第{names[name]}行重复", "name")
            names[name] = line
            orgs[code] = org
            lines[code] = line
        for code, org in orgs.items():
            where = f"机构表第{lines[code]}行："
            if org.parent_code is None:
                continue
            if org.parent_code not in orgs:
                raise ValidationError(
                    "unknown_parent", f"{where}上级机构“{org.parent_code}”不存在", "parent_code"
                )
            seen = {code}
            parent: Organisation | None = orgs[org.parent_code]
            while parent is not None:
                if parent.code in seen:
                    raise ValidationError(
                        "parent_cycle",
                        f"{where}上级机构关系形成循环（{parent.code}）",
                        "parent_code",
                    )
                seen.add(parent.code)
                parent = orgs.get(parent.parent_code) if parent.parent_code else None
        return cls(orgs.values())

    def __contains__(self, code: object) -> bool:
        return isinstance(code, str) and code in self._orgs

    def __iter__(self) -> Iterator[Organisation]:
        return iter(sorted(self._orgs.values(), key=lambda o: o.code))

    def __len__(self) -> int:
        return len(self._orgs)

    def all(self) -> list[Organisation]:
        """Every entry, ordered by code (retired ones included: cases routed to them keep their names)."""
        return list(self)

    def in_use(self) -> list[Organisation]:
        """The entries not retired, ordered by code: what new routing may offer."""
        return [o for o in self if o.active]

    def get(self, code: str) -> Organisation:
        """The organisation with this code; ValidationError when unknown."""
        org = self._orgs.get(code)
        if org is None:
            raise ValidationError("unknown_organisation", f"未知的机构代码“{code}”", "org_code")
        return org

    def by_kind(self, kind: OrgKind, region_code: str | None = None) -> list[Organisation]:
        """Organisations of ``kind`` in use whose region contains ``region_code``, nearest first.

        Without a region, every organisation of that kind in use, ordered by code.
        """
        found = [o for o in self._orgs.values() if o.kind == kind and o.active]
        if region_code is None:
            return sorted(found, key=lambda o: o.code)
        location = normalise_region_code(region_code)
        found = [o for o in found if region_contains(o.region_code, location)]
        return sorted(found, key=lambda o: (-len(region_prefix(o.region_code)), o.code))

    def competent_for(
        self,
        topic_code: str,
        region_code: str,
        *,
        kinds: Collection[OrgKind] | None = None,
    ) -> list[Organisation]:
        """Organisations competent for a topic at a problem location (属地管理、分级负责).

        Looks at the location itself, then each enclosing region up to the city;
        at the first region with a competent organisation, returns those with the
        longest matching topic prefix, ordered by code. Province-level bodies are
        only considered when the location itself is a province; retired ones never.
        """
        location = normalise_region_code(region_code)
        for index, area in enumerate(region_ancestors(location)):
            if index > 0 and region_level(area) == Level.PROVINCE:
                break
            scored = [
                (o.topic_match(topic_code), o)
                for o in self._orgs.values()
                if o.region_code == area and o.active and (kinds is None or o.kind in kinds)
            ]
            best = max((score for score, _ in scored), default=0)
            if best > 0:
                return sorted((o for score, o in scored if score == best), key=lambda o: o.code)
        return []

    def superior(self, org: Organisation) -> Organisation | None:
        """The organisation's direct superior, if listed."""
        return self._orgs.get(org.parent_code) if org.parent_code else None

    def superiors(self, org: Organisation) -> tuple[Organisation, ...]:
        """The chain of superiors, nearest first."""
        chain: list[Organisation] = []
        seen = {org.code}
        current = self.superior(org)
        while current is not None and current.code not in seen:
            chain.append(current)
            seen.add(current.code)
            current = self.superior(current)
        return tuple(chain)

    def common_superior(
        self, a: Organisation, b: Organisation, *others: Organisation
    ) -> Organisation | None:
        """The nearest organisation that is a superior of all given ones (art. 24)."""
        candidates = list(self.superiors(a))
        for org in (b, *others):
            above = {s.code for s in self.superiors(org)}
            candidates = [c for c in candidates if c.code in above]
        return candidates[0] if candidates else None


class RouteKind(StrEnum):
    """Disposal of a petition item by the receiving bureau."""

    LOCAL = "本级办理"
    TRANSFER = "转送"
    ASSIGN = "交办"
    LEGAL_CHANNEL = "导入法定途径"
    POLITICAL_LEGAL = "转政法部门"
    DISCIPLINE = "转纪检监察机关"
    CONSULT = "协商受理"


@dataclass(frozen=True)
class RouteProposal:
    """A routing suggestion for the clerk; the clerk (or leader) decides."""

    kind: RouteKind
    organisation: Organisation | None
    alternatives: tuple[Organisation, ...] = ()
    legal_route: LegalRoute | None = None
    reason: str = ""
    warnings: tuple[str, ...] = ()
    #: 问题属地 as the proposal read it, in words where the caller gave them (else the division code).
    place: str = ""

    @property
    def recipients(self) -> tuple[Organisation, ...]:
        """Every organisation named by the proposal, main one first."""
        main = (self.organisation,) if self.organisation is not None else ()
        return main + self.alternatives


NO_COMPETENT_ORG_WARNING = "未找到有权处理的机关，请人工指定"

ACCUSATION_REASON = "检举控告类事项按管理权限转送纪检监察机关（条例第二十二、三十条）"

ACCUSED_RECIPIENT_MESSAGE = "检举控告材料不得转送被检举控告的组织或人员（条例第三十条）"

_TRANSFER_KINDS: frozenset[OrgKind] = frozenset(OrgKind) - {
    OrgKind.COURT,
    OrgKind.PROCURATORATE,
    OrgKind.ARBITRATION,
}
"""Courts, procuratorates and arbitration bodies are reached by legal routes, not 转送."""

_ADMINISTRATIVE_KINDS: frozenset[OrgKind] = frozenset(
    {OrgKind.GOVERNMENT_DEPT, OrgKind.GOVERNMENT, OrgKind.TOWNSHIP, OrgKind.PUBLIC_SECURITY}
)


def is_accused(
    org: Organisation, accused_org_codes: Iterable[str], directory: OrganisationDirectory
) -> bool:
    """True when ``org`` is an accused organisation or lies under one."""
    accused = set(accused_org_codes)
    if not accused:
        return False
    if org.code in accused or (org.parent_code is not None and org.parent_code in accused):
        return True
    return any(s.code in accused for s in directory.superiors(org))


def check_route_allowed(
    target: RouteProposal | Organisation,
    nature: Nature,
    accused_org_codes: Iterable[str],
    directory: OrganisationDirectory,
) -> None:
    """Refuse sending accusation material to the accused (art. 30).

    Call before any transfer or assignment. For a proposal, the main
    organisation and every alternative are checked.
    """
    if nature != Nature.ACCUSATION:
        return
    accused = frozenset(accused_org_codes)
    recipients = target.recipients if isinstance(target, RouteProposal) else (target,)
    for org in recipients:
        if is_accused(org, accused, directory):
            raise RuleViolation("accused_recipient", ACCUSED_RECIPIENT_MESSAGE)


def propose_route(
    *,
    nature: Nature,
    topic_code: str,
    region_code: str,
    channel: Channel,
    directory: OrganisationDirectory,
    taxonomy: TopicTaxonomy,
    bureau_code: str,
    legal_route: LegalRoute | None = None,
    accused_org_codes: Iterable[str] = (),
    assign: bool = False,
    region_name: str = "",
) -> RouteProposal:
    """Suggest how the bureau ``bureau_code`` disposes of an item (arts. 22, 24, 29–31).

    ``region_code`` is the problem location (问题属地). ``legal_route`` applies to
    申诉求决 items; when omitted the topic's default is used, else route (6).
    ``assign`` asks for 交办 instead of 转送 where a transfer is proposed. ``region_name`` is the
    location in words for the warnings (clerks read names, not division codes).
    """
    bureau = directory.get(bureau_code)
    location = normalise_region_code(region_code)
    warnings: list[str] = []
    if not region_contains(bureau.region_code, location):
        warnings.append(
            f"问题属地（{region_name or location}）不在{bureau.name}辖区内，请核实属地，"
            "或告知信访人向有权处理的机关提出（条例第二十条）"
        )
    if topic_code not in taxonomy:
        warnings.append(f"内容分类代码“{topic_code}”不在分类表中，请核实分类")
    ctx = _Context(
        bureau=bureau,
        location=location,
        topic_code=topic_code,
        directory=directory,
        warnings=warnings,
        place=region_name or location,
    )
    if nature == Nature.ACCUSATION:
        return _route_accusation(ctx, frozenset(accused_org_codes))
    if nature == Nature.SUGGESTION:
        return _route_transfer(
            ctx,
            legal_route=None,
            assign=False,
            reason="建议意见类事项转送有权处理的机关研究论证并答复（条例第二十二、二十九条）",
        )
    route = legal_route
    if route is None and topic_code in taxonomy:
        route = taxonomy.default_legal_route(topic_code)
    if route is None:
        route = LegalRoute.PETITION
    if route == LegalRoute.LITIGATION:
        return _route_litigation(ctx, channel)
    if route in (LegalRoute.ARBITRATION, LegalRoute.PARTY_APPEAL, LegalRoute.ADMINISTRATIVE):
        return _route_legal_channel(ctx, route)
    if route == LegalRoute.DUTY:
        reason = (
            "属于申请查处违法行为、保护人身权或者财产权的，转送有权处理的机关依法履行职责或者答复"
            "（条例第二十二条、第三十一条第五项）"
        )
    else:
        reason = (
            "按信访程序转送有权处理的机关办理，自受理之日起60日内办结"
            "（条例第二十二条、第三十一条第六项、第三十四条）"
        )
    return _route_transfer(ctx, legal_route=route, assign=assign, reason=reason)


@dataclass
class _Context:
    bureau: Organisation
    location: str
    topic_code: str
    directory: OrganisationDirectory
    warnings: list[str]
    place: str

    def proposal(
        self,
        kind: RouteKind,
        organisation: Organisation | None,
        *,
        reason: str,
        alternatives: Iterable[Organisation] = (),
        legal_route: LegalRoute | None = None,
    ) -> RouteProposal:
        return RouteProposal(
            kind=kind,
            organisation=organisation,
            alternatives=tuple(alternatives),
            legal_route=legal_route,
            reason=reason,
            warnings=tuple(self.warnings),
            place=self.place,
        )

    def nearest(self, kind: OrgKind, region_code: str | None = None) -> Organisation | None:
        found = self.directory.by_kind(kind, region_code or self.location)
        return found[0] if found else None


def _names(orgs: Iterable[Organisation]) -> str:
    return "、".join(o.name for o in orgs)


def _route_accusation(ctx: _Context, accused: frozenset[str]) -> RouteProposal:
    organs = ctx.directory.by_kind(OrgKind.DISCIPLINE, ctx.location)
    eligible = [o for o in organs if not is_accused(o, accused, ctx.directory)]
    if eligible:
        target = eligible[0]
        skipped = organs[: organs.index(target)]
        if skipped:
            ctx.warnings.append(
                f"{_names(skipped)}属于被检举控告对象或其下属机关，"
                f"已改为上一级纪检监察机关{target.name}（条例第三十条）"
            )
        return ctx.proposal(
            RouteKind.DISCIPLINE, target, alternatives=eligible[1:], reason=ACCUSATION_REASON
        )
    if organs:
        ctx.warnings.append(
            f"问题属地的纪检监察机关（{_names(organs)}）均涉及被检举控告对象，不得转送（条例第三十条）"
        )
    ctx.warnings.append(NO_COMPETENT_ORG_WARNING)
    bureau_accused = is_accused(ctx.bureau, accused, ctx.directory)
    if bureau_accused:
        ctx.warnings.append(f"{ctx.bureau.name}涉及被检举控告对象，须报上级机关指定办理机关")
    return ctx.proposal(
        RouteKind.LOCAL, None if bureau_accused else ctx.bureau, reason=ACCUSATION_REASON
    )


def _route_litigation(ctx: _Context, channel: Channel) -> RouteProposal:
    if channel.is_written:
        same_level = [
            o
            for o in ctx.directory.by_kind(OrgKind.POLITICAL_LEGAL, ctx.bureau.region_code)
            if o.level == ctx.bureau.level
        ]
        target = same_level[0] if same_level else ctx.nearest(OrgKind.POLITICAL_LEGAL)
        reason = (
            f"涉法涉诉事项尚未依法终结，{channel.value}反映的转送同级政法部门依法处理"
            "（条例第二十二条、第三十一条第一项，诉讼与信访分离）"
        )
        if target is None:
            ctx.warnings.append(NO_COMPETENT_ORG_WARNING)
            return ctx.proposal(
                RouteKind.LOCAL, ctx.bureau, reason=reason, legal_route=LegalRoute.LITIGATION
            )
        return ctx.proposal(
            RouteKind.POLITICAL_LEGAL, target, reason=reason, legal_route=LegalRoute.LITIGATION
        )
    court = ctx.nearest(OrgKind.COURT)
    others = [
        o
        for o in (ctx.nearest(OrgKind.PROCURATORATE), ctx.nearest(OrgKind.PUBLIC_SECURITY))
        if o is not None
    ]
    main = court if court is not None else (others.pop(0) if others else None)
    if main is None:
        ctx.warnings.append("未找到当地人民法院、人民检察院或公安机关，请人工告知信访人去向")
    return ctx.proposal(
        RouteKind.LEGAL_CHANNEL,
        main,
        alternatives=others,
        legal_route=LegalRoute.LITIGATION,
        reason=(
            "涉法涉诉事项尚未依法终结，应当释法明理，引导信访人依照诉讼、复议、检察、公安等"
            "法定程序向人民法院、人民检察院或公安机关提出（条例第二十二条、第三十一条第一项，"
            "诉讼与信访分离）"
        ),
    )


def _route_legal_channel(ctx: _Context, route: LegalRoute) -> RouteProposal:
    alternatives: list[Organisation] = []
    if route == LegalRoute.ARBITRATION:
        found = (
            ctx.directory.competent_for(ctx.topic_code, ctx.location, kinds={OrgKind.ARBITRATION})
            or ctx.directory.by_kind(OrgKind.ARBITRATION, ctx.location)[:1]
        )
        organ_kind = OrgKind.ARBITRATION.value
        reason = (
            "属于仲裁范围的，导入仲裁程序，告知信访人向仲裁机构申请仲裁（条例第三十一条第二项）"
        )
    elif route == LegalRoute.PARTY_APPEAL:
        found = ctx.directory.by_kind(OrgKind.PARTY_ORG, ctx.location)[:1]
        organ_kind = OrgKind.PARTY_ORG.value
        reason = (
            "属于党员申诉、申请复审等事项的，告知信访人依照党内法规向党组织提出"
            "（条例第三十一条第三项）"
        )
    else:
        found = ctx.directory.competent_for(
            ctx.topic_code, ctx.location, kinds=_ADMINISTRATIVE_KINDS
        )
        governments = [
            g
            for g in ctx.directory.by_kind(OrgKind.GOVERNMENT, ctx.location)
            if g.level != Level.TOWNSHIP and g not in found
        ]
        alternatives = governments[:1]
        organ_kind = "有关行政机关"
        reason = (
            "属于行政复议、行政裁决、行政确认、行政许可、行政处罚等事项的，告知信访人依照"
            "有关法律、行政法规规定的程序向有关行政机关提出，行政复议向人民政府申请"
            "（条例第三十一条第四项）"
        )
    if not found and not alternatives:
        ctx.warnings.append(f"未找到当地{organ_kind}，请人工告知信访人去向")
    main = found[0] if found else (alternatives.pop(0) if alternatives else None)
    return ctx.proposal(
        RouteKind.LEGAL_CHANNEL,
        main,
        alternatives=[*found[1:], *alternatives],
        legal_route=route,
        reason=reason,
    )


def _route_transfer(
    ctx: _Context, *, legal_route: LegalRoute | None, assign: bool, reason: str
) -> RouteProposal:
    found = ctx.directory.competent_for(ctx.topic_code, ctx.location, kinds=_TRANSFER_KINDS)
    if not found:
        ctx.warnings.append(NO_COMPETENT_ORG_WARNING)
        return ctx.proposal(
            RouteKind.LOCAL,
            ctx.bureau,
            legal_route=legal_route,
            reason="未找到有权处理的机关，暂由本级登记处理（条例第二十二条）",
        )
    if ctx.bureau in found:
        return ctx.proposal(
            RouteKind.LOCAL,
            ctx.bureau,
            alternatives=[o for o in found if o != ctx.bureau],
            legal_route=legal_route,
            reason="本机关有权处理，由本级办理（条例第二十二条）",
        )
    if len(found) > 1:
        superior = ctx.directory.common_superior(found[0], found[1], *found[2:])
        decider = (
            f"协商不成的，由共同的上一级机关{superior.name}决定受理机关"
            if superior is not None
            else "无共同上一级机关的，由信访工作联席会议协调"
        )
        ctx.warnings.append(
            f"有{len(found)}个机关同等有权处理（{_names(found)}），须协商确定受理机关；"
            f"{decider}（条例第二十四条）"
        )
        if assign:
            ctx.warnings.append("协商确定受理机关后再行交办")
        return ctx.proposal(
            RouteKind.CONSULT,
            None,
            alternatives=found,
            legal_route=legal_route,
            reason="涉及两个以上机关的事项，由所涉及的机关协商受理（条例第二十四条）",
        )
    target = found[0]
    if target.level.rank > ctx.bureau.level.rank:
        ctx.warnings.append(
            f"有权处理的机关{target.name}级别高于{ctx.bureau.name}，转送前请确认管辖"
        )
    if assign:
        return ctx.proposal(
            RouteKind.ASSIGN,
            target,
            legal_route=legal_route,
            reason=(
                "交由有权处理的机关办理，明确办理期限并要求报送办理结果、提交办结报告"
                "（条例第二十二条）"
            ),
        )
    return ctx.proposal(RouteKind.TRANSFER, target, legal_route=legal_route, reason=reason)


def _cell(row: Mapping[str, str | None], column: str) -> str:
    return (row.get(column) or "").strip()


def organisation_from_row(row: Mapping[str, str | None], where: str = "") -> Organisation:
    """One organisation from a row with the columns of ``organisations.csv``, each cell checked (``where``
    starts every message: 机构表第3行：…); whether its code and name are unique and its superior listed is
    the directory's to check."""
    code = _cell(row, "code")
    if not code:
        raise ValidationError("missing_code", f"{where}缺少机构代码", "code")
    if not _ORG_CODE_RE.match(code):
        raise ValidationError("bad_code", f"{where}机构代码“{code}”不能包含空白或竖线", "code")
    name = check_org_name(_cell(row, "name"), where)
    kind_text = _cell(row, "kind")
    if not kind_text:
        raise ValidationError("missing_kind", f"{where}缺少机构类型", "kind")
    kind = parse_choice(OrgKind, kind_text, label="机构类型", field_name="kind", where=where)
    level_text = _cell(row, "level")
    if not level_text:
        raise ValidationError("missing_level", f"{where}缺少机构级别", "level")
    level = parse_level(level_text, where=where)
    region_text = _cell(row, "region_code")
    if not region_text:
        raise ValidationError("missing_region_code", f"{where}缺少所在行政区划代码", "region_code")
    try:
        region_code = normalise_region_code(region_text)
    except ValidationError as exc:
        raise ValidationError(exc.code, where + exc.message, "region_code") from exc
    topic_codes = tuple(dict.fromkeys(
        t.strip() for t in _LIST_SPLIT_RE.split(_cell(row, "topic_codes")) if t.strip()))
    texts = {column: _check_text(_cell(row, column), f"{where}{label}", limit, column)
             for column, label, limit in _TEXT_COLUMNS}
    retired = _cell(row, "retired")
    if retired and not _ISO_DAY_RE.match(retired):
        raise ValidationError("bad_retired", f"{where}撤销日期“{retired}”应为 年-月-日，如 2026-12-01", "retired")
    former = tuple(dict.fromkeys(check_org_name(n.strip(), f"{where}曾用名：", "former_names")
                                 for n in _LIST_SPLIT_RE.split(_cell(row, "former_names")) if n.strip()))
    return Organisation(
        code=code,
        name=name,
        kind=kind,
        level=level,
        region_code=region_code,
        parent_code=_cell(row, "parent_code") or None,
        topic_codes=topic_codes,
        address=texts["address"],
        phone=texts["phone"],
        reception_place=texts["reception_place"],
        retired=retired,
        former_names=tuple(n for n in former if n != name),
    )


_ISO_DAY_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def check_org_name(name: str, where: str = "", field_name: str = "name") -> str:
    """A unit is picked by its name, printed on forms and in the 交办单: present, short, in plain words."""
    if not name:
        raise ValidationError("missing_name", f"{where}缺少机构名称", field_name)
    if len(name) > MAX_ORG_NAME:
        raise ValidationError("name_too_long", f"{where}机构名称过长（不超过{MAX_ORG_NAME}字）", field_name)
    if invisible_char(name) is not None or any(unicodedata.category(c) == "So" for c in name):
        raise ValidationError("bad_name", f"{where}机构名称不能有换行、表情符号或看不见的字符", field_name)
    return name


def _check_text(text: str, what: str, limit: int, field_name: str) -> str:
    if len(text) > limit:
        raise ValidationError("text_too_long", f"{what}过长（不超过{limit}字）", field_name)
    if invisible_char(text) is not None or any(unicodedata.category(c) == "So" for c in text):
        raise ValidationError("bad_text", f"{what}不能有换行、表情符号或看不见的字符", field_name)
    return text


def abbreviates(short: str, name: str) -> bool:
    """Whether ``short`` is a Chinese short name of ``name``: its characters in order, e.g.
    县人力社保局 or 人社局 → 浦江县人力资源和社会保障局. Two characters at least, and Chinese only."""
    short = short.strip()
    if len(short) < 2 or not all("\u4e00" <= ch <= "\u9fff" for ch in short):
        return False
    rest = iter(name)
    return all(ch in rest for ch in short)


def find_organisations(directory: OrganisationDirectory, text: str) -> list[Organisation]:
    """Organisations a typed text names: its code, its name, a part of the name, or a short name."""
    text = text.strip()
    if not text:
        return []
    if text in directory:
        return [directory.get(text)]
    exact = [o for o in directory.all() if o.name == text]
    if exact:
        return exact
    within = [o for o in directory.all() if text in o.name]
    return within or [o for o in directory.all() if abbreviates(text, o.name)]
