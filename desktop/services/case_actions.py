"""The steps a clerk takes on a case after registration, described once for every screen.

Each :class:`CaseAction` names its decision (an event type), the fields it asks for
(typed: a date, a text, an organisation from the directory, a choice …) and the
notice that goes with it. :func:`perform` checks the values a screen collected and
records the decision through :func:`desktop.services.cases.record`, which applies the
Regulations' order and the permissions; a screen builds its dialog from the
description and holds no rule of its own.

Routing (转送 / 交办) starts from the directory's proposal (:func:`route_proposal`);
sending the case elsewhere than proposed needs a reason, kept with the decision.
"""

from __future__ import annotations

import enum
import functools
import itertools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Final

from desktop.documents.model import DocumentKind
from desktop.domain.calendar import date_near, stamp_in_words
from desktop.domain.case import (
    EXTENDED_ON,
    OUTCOMES,
    ROUTED_ON,
    TRANSITIONS,
    CaseView,
    classification_refusal,
    extension_refusal,
)
from desktop.domain.classification import LegalRoute, Nature, Purpose
from desktop.domain.errors import ValidationError
from desktop.domain.events import EventType
from desktop.domain.identity import name_search_keys
from desktop.domain.picking import spellings
from desktop.domain.routing import Organisation, abbreviates
from desktop.services import cases
from desktop.services.context import Actor, Hall
from desktop.services.reference import load_directory, load_regions, load_taxonomy


class FieldKind(enum.Enum):
    DATE = "date"
    TEXT = "text"  # one line
    LONG_TEXT = "long_text"
    DAYS = "days"
    ORGANISATION = "organisation"  # from the directory, searched by name or pinyin initials
    CHOICE = "choice"
    TOPIC = "topic"  # from the topic taxonomy


@dataclass(frozen=True)
class ActionField:
    name: str
    label: str
    kind: FieldKind
    required: bool = True
    choices: tuple[str, ...] = ()
    hint: str = ""


@dataclass(frozen=True)
class CaseAction:
    key: str
    title: str
    event_type: EventType
    fields: tuple[ActionField, ...]
    document: DocumentKind | None = None  # offered for print preview once recorded
    explanation: str = ""


def _opinion(label: str, date_label: str) -> tuple[ActionField, ...]:
    """An answer at any level: its outcome (art. 32), its date, its main points."""
    return (ActionField("outcome", label, FieldKind.CHOICE, choices=OUTCOMES),
            ActionField("answered_on", date_label, FieldKind.DATE),
            ActionField("text", "意见要点", FieldKind.LONG_TEXT, required=False))


_ROUTED_HINT = "已在纸面上转送、交办的，填实际的日期：接收单位的告知期限从这天起算（不早于收到之日，不晚于今天）"

ACTIONS: tuple[CaseAction, ...] = (
    CaseAction("classify", "分类", EventType.CLASSIFIED, (
        ActionField("nature", "性质", FieldKind.CHOICE, choices=tuple(n.value for n in Nature)),
        ActionField("topic_code", "内容分类", FieldKind.TOPIC),
        ActionField("legal_route", "法定途径", FieldKind.CHOICE, required=False,
                    choices=tuple(r.value for r in LegalRoute),
                    hint="申诉求决类事项属于哪条途径（条例第三十一条）；不确定可不选"),
        ActionField("accused_org", "被检举控告的单位", FieldKind.ORGANISATION, required=False,
                    hint="检举控告类事项必填：材料不得转给被检举控告的单位及其下属（条例第三十条）"),
    ), explanation="确定建议意见类、检举控告类或申诉求决类，以及内容分类"),
    CaseAction("transfer", "转送", EventType.TRANSFERRED, (
        ActionField("organisation_code", "接收单位", FieldKind.ORGANISATION),
        ActionField("override_reason", "改送理由", FieldKind.TEXT, required=False,
                    hint="接收单位与系统建议不同时必填"),
        ActionField(ROUTED_ON, "转送日期", FieldKind.DATE, hint=_ROUTED_HINT),
    ), DocumentKind.TRANSFER_FORM, "15日内转送有权处理的机关、单位（条例第二十二条）"),
    CaseAction("assign", "交办", EventType.ASSIGNED, (
        ActionField("organisation_code", "承办单位", FieldKind.ORGANISATION),
        ActionField("due", "办理期限", FieldKind.DATE),
        ActionField("override_reason", "改送理由", FieldKind.TEXT, required=False,
                    hint="承办单位与系统建议不同时必填"),
        ActionField(ROUTED_ON, "交办日期", FieldKind.DATE, hint=_ROUTED_HINT),
    ), DocumentKind.ASSIGNMENT_FORM, "交办须设定办理期限并要求报送办理结果（条例第二十二条）"),
    CaseAction("accept", "受理", EventType.ACCEPTED, (
        ActionField("accepted_on", "受理日期", FieldKind.DATE),
    ), DocumentKind.ACCEPTANCE_NOTICE, "受理后60日内办结（条例第三十四条）"),
    CaseAction("not_accept", "不予受理", EventType.NOT_ACCEPTED, (
        ActionField("reason", "不予受理的理由", FieldKind.LONG_TEXT),
        ActionField("channel", "告知的处理途径", FieldKind.TEXT),
    ), DocumentKind.NON_ACCEPTANCE_NOTICE, "书面告知理由和应当通过的途径"),
    CaseAction("extend", "延期", EventType.EXTENDED, (
        ActionField("days", "延长天数", FieldKind.DAYS, hint="不超过30日"),
        ActionField("reason", "延期理由", FieldKind.LONG_TEXT),
        ActionField("approved_by", "批准的负责人", FieldKind.TEXT),
        ActionField(EXTENDED_ON, "批准日期", FieldKind.DATE,
                    hint="负责人批准延期的日期：须在办理期限之内（期限届满当天仍可），不晚于今天"),
    ), DocumentKind.EXTENSION_NOTICE, "情况复杂的可延长不超过30日，须经负责人批准并告知理由（条例第三十四条）"),
    CaseAction("answer", "答复", EventType.ANSWERED, _opinion("处理意见", "答复日期"),
               DocumentKind.OPINION, "出具处理意见书（条例第三十二条）"),
    CaseAction("deliver", "送达", EventType.DELIVERED, (
        ActionField("delivered_on", "信访人收到书面意见的日期", FieldKind.DATE),
    ), explanation="复查、复核申请的30日期限从送达之日起算"),
    CaseAction("request_review", "复查申请", EventType.REVIEW_REQUESTED, (
        ActionField("requested_on", "申请日期", FieldKind.DATE),
    ), DocumentKind.REVIEW_RECEIPT, "收到书面意见之日起30日内向上一级机关申请（条例第三十五条）"),
    CaseAction("review_answer", "复查意见", EventType.REVIEW_ANSWERED, _opinion("复查意见", "复查意见日期"),
               DocumentKind.OPINION),
    CaseAction("request_rereview", "复核申请", EventType.REREVIEW_REQUESTED, (
        ActionField("requested_on", "申请日期", FieldKind.DATE),
    ), DocumentKind.REREVIEW_RECEIPT, "收到复查意见之日起30日内申请（条例第三十六条）"),
    CaseAction("rereview_answer", "复核意见", EventType.REREVIEW_ANSWERED, _opinion("复核意见", "复核意见日期"),
               DocumentKind.OPINION, "复核后同一事实和理由的诉求不再受理（条例第三十六条）"),
    CaseAction("settle", "调解、和解", EventType.SETTLED, (
        ActionField("kind", "方式", FieldKind.CHOICE, choices=("调解", "和解")),
        ActionField("text", "协议要点", FieldKind.LONG_TEXT),
    ), explanation="申诉求决类事项经双方同意可调解、和解（条例第三十三条）"),
)

ACTION_BY_KEY: Mapping[str, CaseAction] = {a.key: a for a in ACTIONS}


@dataclass(frozen=True)
class OrganisationChoice:
    code: str
    name: str
    keys: tuple[str, ...]  # the name, its pinyin initials and full pinyin, lower case: what a search matches


@dataclass(frozen=True)
class Proposal:
    """The directory's proposal for routing, in words."""

    organisation: OrganisationChoice | None
    reason: str
    warnings: tuple[str, ...] = ()
    alternatives: tuple[OrganisationChoice, ...] = field(default=())
    #: 问题属地 in words (浙江省金华市浦江县白马镇), what the proposal went by.
    place: str = ""


def organisation_choices() -> list[OrganisationChoice]:
    """Every organisation in use, to be picked by name, a former name or pinyin initials (never by code)."""
    return [_choice(org) for org in load_directory().in_use()]


def _choice(org: Organisation) -> OrganisationChoice:
    return OrganisationChoice(org.code, org.name, organisation_search_keys(org))


def organisation_search_keys(org: Organisation) -> tuple[str, ...]:
    """What a search for ``org`` matches, lower case: its name and former names, their pieces and pinyin, and
    the pinyin initials of their usual short forms (:func:`short_forms`: zjj for 浦江县住房和城乡建设局)."""
    places = _places(org.region_code)
    keys = {word.lower() for name in (org.name, *org.former_names) for word in (name, *name_search_keys(name))}
    keys.update(spellings(short)[2] for name in (org.name, *org.former_names) for short in short_forms(name, places))
    return tuple(sorted(keys))


def _places(region_code: str) -> tuple[str, ...]:
    """The names of the unit's region and the regions above it (浦江县, 金华市, 浙江省), as a unit's name starts."""
    regions = load_regions()
    names: list[str] = []
    code: str | None = region_code
    while code and code in regions:
        region = regions.get(code)
        names.append(region.name)
        code = region.parent_code
    return tuple(names)


#: Endings that name a unit's kind in several characters, and how a short form says them.
_KIND_ENDINGS: Final = (("人民政府", "政府"), ("委员会", "委"), ("办事处", "办"), ("办公室", "办"))
_JOINS: Final = re.compile(r"[和与及、]")
_PLACE_LEVELS: Final = "省市县区"
#: How many words after a name's first may each be kept whole, by their first character or left out.
_SHORTENED_WORDS: Final = 4


@functools.lru_cache(maxsize=4096)
def short_forms(name: str, places: tuple[str, ...] = ()) -> tuple[str, ...]:
    """The short names a clerk calls a unit by, the way units are usually shortened: 人社局, 人力社保局 for
    浦江县人力资源和社会保障局; 住建局 for 住房和城乡建设局; 市场监管局, 市场局, 市监局 for 市场监督管理局.

    The rule: leave out the place the name starts with (``places``: 浦江县, 金华市; 中共…县委 for party
    bodies), or keep it whole, or keep its level alone (县人社局); split the rest into its kind (the last
    character: 局, 院, 部; 委员会 → 委, 人民政府 → 政府, 办事处 → 办) and two-character words (人力 资源 社会
    保障; 和 only joins them). The first word stays, whole or by its first character; each other word stays
    whole, by its first character, or is left out. A leading 人民 may go (法院 for 人民法院). The name without
    its place, in full, is one too (住房和城乡建设局).
    """
    rest = name.strip()
    party = rest.startswith("中共")
    rest = rest.removeprefix("中共")
    stripped = ""
    for place in sorted(places, key=len, reverse=True) * 2:  # 浦江县 then 黄宅镇 … whichever the name starts with
        if rest.startswith(place) and len(_core(rest[len(place):])[0]) >= 2:
            stripped, rest = stripped + place, rest[len(place):]
    if party and stripped and rest.startswith("委"):  # 中共浦江县委组织部: 县委 is the party's
        stripped, rest = stripped + "委", rest[1:]
    core, kind = _core(rest)
    if not core:
        return ()
    prefixes = {""}
    if stripped:
        level = stripped[-1] if stripped[-1] in _PLACE_LEVELS else ""
        if party and stripped.endswith("委"):
            level = stripped[-2:] if stripped[-2] in _PLACE_LEVELS else ""
        prefixes.update((stripped, level))
    cores = [core] + ([core[2:]] if core.startswith("人民") and len(core) > 2 else [])
    forms: dict[str, None] = dict.fromkeys(prefix + rest for prefix in prefixes)  # 住房和城乡建设局 in full
    for one in cores:
        words = [part[i:i + 2] for part in _JOINS.split(one) if part for i in range(0, len(part), 2)]
        first = (words[0], words[0][0])
        # each word after the first three ways (whole, first character, left out), the first few only: a long
        # name (13 words, 农业农村和水利…发展服务中心) made 1.9 million forms and 5 s; past them, its first character
        others = [(word, word[0], "") if index < _SHORTENED_WORDS else (word[0],)
                  for index, word in enumerate(words[1:])]
        for picked in itertools.product(first, *others):
            short = "".join(picked) + kind
            forms.update((prefix + short, None) for prefix in prefixes)
    return tuple(forms)


def _core(rest: str) -> tuple[str, str]:
    """A name without its place split into what it is about and its kind (人力资源和社会保障, 局)."""
    for ending, said in _KIND_ENDINGS:
        if rest.endswith(ending):
            return rest[: -len(ending)], said
    return rest[:-1], rest[-1:]


def matching(choices: Sequence[OrganisationChoice], text: str, limit: int = 20) -> list[OrganisationChoice]:
    """Organisations whose name contains ``text`` or whose pinyin (of the name or a short form) starts with it; the
    closest first. Nothing when nothing matches: never the list's first entries for a text that finds none."""
    text = text.strip().lower()
    if not text:
        return list(choices[:limit])
    scored = []
    for choice in choices:
        if text in choice.name.lower():
            scored.append((0 if choice.name.lower().startswith(text) else 1, len(choice.name), choice))
        elif any(key.startswith(text) for key in choice.keys):
            scored.append((2, len(choice.name), choice))
        elif abbreviates(text, choice.name):  # 县人力社保局, 人社局
            scored.append((3, len(choice.name), choice))
    return [c for _s, _n, c in sorted(scored, key=lambda item: (item[0], item[1], item[2].code))][:limit]




def route_proposal(hall: Hall, actor: Actor, case_ref: str, *, assign: bool = False) -> Proposal:
    """Where the directory says the case should go, and why."""
    proposal = cases.propose(hall, actor, case_ref, assign=assign)
    main = _choice(proposal.organisation) if proposal.organisation is not None else None
    return Proposal(main, proposal.reason, tuple(proposal.warnings),
                    tuple(_choice(o) for o in proposal.alternatives), proposal.place)


def perform(hall: Hall, actor: Actor, case_ref: str, key: str, values: Mapping[str, str]) -> CaseView:
    """Check ``values`` against the action's fields and record the decision.

    Dates left empty mean today; a route other than the proposal needs its reason.
    The services refuse what the case's state or the actor's permissions do not allow,
    in Chinese, and nothing is stored then.
    """
    action = ACTION_BY_KEY.get(key)
    if action is None:
        raise ValidationError("unknown_action", f"未知的办理步骤：{key}", "action")
    payload: dict[str, Any] = {}
    for spec in action.fields:
        raw = str(values.get(spec.name, "")).strip()
        if not raw and spec.kind is FieldKind.DATE:
            raw = hall.today().isoformat()
        if not raw:
            if spec.required:
                raise ValidationError("field_required", f"请填写“{spec.label}”", spec.name)
            continue
        payload[spec.name] = _value(spec, raw)
    if action.event_type is EventType.CLASSIFIED:
        accused = payload.pop("accused_org", "")
        if payload["nature"] == Nature.ACCUSATION.value and not accused:
            raise ValidationError("accused_required", "检举控告类事项须选择被检举控告的单位（条例第三十条）",
                                  "accused_org")
        payload["accused_org_codes"] = [accused] if accused else []
        payload.setdefault("legal_route", "")
    if action.event_type in (EventType.TRANSFERRED, EventType.ASSIGNED):
        proposal = route_proposal(hall, actor, case_ref, assign=action.event_type is EventType.ASSIGNED)
        proposed = proposal.organisation.code if proposal.organisation is not None else ""
        if payload["organisation_code"] != proposed:
            if not payload.get("override_reason"):
                name = proposal.organisation.name if proposal.organisation is not None else "（无建议）"
                raise ValidationError("override_reason_required",
                                      f"接收单位与系统建议的“{name}”不同，请写明改送理由", "override_reason")
            payload["proposed_organisation_code"] = proposed
        else:
            payload.pop("override_reason", None)
    return cases.record(hall, actor, case_ref, action.event_type, payload)


def _value(spec: ActionField, raw: str) -> Any:
    if spec.kind is FieldKind.DATE:
        try:
            return date.fromisoformat(raw).isoformat()
        except ValueError:
            raise ValidationError("bad_date", f"“{spec.label}”应为 年-月-日，如 2026-11-24", spec.name) from None
    if spec.kind is FieldKind.DAYS:
        if not raw.isdigit():
            raise ValidationError("bad_days", f"“{spec.label}”须为整数天数", spec.name)
        return int(raw)
    if spec.kind is FieldKind.CHOICE and raw not in spec.choices:
        raise ValidationError("bad_choice", f"“{spec.label}”须为：{'、'.join(spec.choices)}", spec.name)
    if spec.kind is FieldKind.ORGANISATION and raw not in load_directory():
        raise ValidationError("unknown_organisation", f"机构目录中没有这个单位（{spec.label}），请从列表中选择",
                              spec.name)
    routing = spec.kind is FieldKind.ORGANISATION and spec.name != "accused_org"
    if routing and not (org := load_directory().get(raw)).active:
        raise ValidationError("retired_organisation", f"{org.name}已于{stamp_in_words(org.retired)}撤销，"
                              "不再接收新的事项；"
                              f"请从列表中另选单位（{spec.label}）", spec.name)
    if spec.kind is FieldKind.TOPIC and raw not in load_taxonomy():
        raise ValidationError("unknown_topic", "内容分类不在分类目录中，请从列表中选择", spec.name)
    return raw


def starting_values(view: CaseView, key: str, today: date | None = None) -> dict[str, str]:
    """What a step's dialog starts from: what the case already says, for the clerk to confirm or change.

    转送 and 交办 start on ``today`` (the hall's day) as the day the unit is handed the matter; 延期 on
    ``today`` as the day its head approved it.

    分类 starts from the registration: its topic, its nature (else the one its purpose or
    its topic implies) and the topic's legal route. A field given as ``""`` is one the clerk
    must choose (no first entry taken for an answer). Other steps start as their dialog does.
    """
    if key in ("transfer", "assign") and today is not None:
        return {ROUTED_ON: today.isoformat()}
    if key == "extend" and today is not None:
        return {EXTENDED_ON: today.isoformat()}
    if key != "classify":
        return {}
    taxonomy = load_taxonomy()
    topic = view.topic_code if view.topic_code in taxonomy else ""
    nature = view.nature if view.nature in tuple(Nature) else ""
    if not nature and view.purpose in tuple(Purpose):
        implied = Purpose(view.purpose).default_nature
        nature = implied.value if implied is not None else ""
    if not nature and topic:
        by_topic = taxonomy.default_nature(topic)
        nature = by_topic.value if by_topic is not None else ""
    route = view.legal_route if view.legal_route in tuple(LegalRoute) else ""
    if not route and topic and nature == Nature.APPEAL.value:
        by_route = taxonomy.default_legal_route(topic)
        route = by_route.value if by_route is not None else ""
    return {"nature": nature, "topic_code": topic, "legal_route": route}


def offered_actions(view: CaseView) -> list[CaseAction]:
    """The steps the case's state allows now (a step's own conditions are checked when it is taken)."""
    return [a for a in ACTIONS if view.state in TRANSITIONS[a.event_type][0]]


def step_note(view: CaseView, key: str, today: date) -> str:
    """What a step the clerk may take again has done already, said beside it in the menu ("" when nothing):
    送达 once recorded — taken again it corrects the day, from which the 30 days to ask for review run."""
    if key == "deliver" and view.delivered_on is not None:
        return f"已登记{date_near(view.delivered_on, today)}送达，再次登记即更正"
    return ""


def step_refusal(view: CaseView, key: str, today: date) -> str:
    """Why a step the case's state allows cannot be taken today, said before the clerk fills its dialog
    ("" when nothing known now stands in its way): 受理, 转送, 交办 before the case is classified; 延期 once the
    handling limit has passed."""
    action = ACTION_BY_KEY.get(key)
    unclassified = classification_refusal(view, action.event_type) if action is not None else None
    if unclassified is not None:  # the step is in the menu already: its reason without 不能“受理”：
        return unclassified.message.split("：", 1)[-1]
    if key == "extend":
        refusal = extension_refusal(view, today)
        if refusal is not None:
            return refusal.message
    return ""
