"""A case's events in words: what each step said, to whom, by when.

The leader's dossier and the counter's case view read the same words: a 批示 its text, a 包案 its units and
deadline, a 转送 or 交办 its unit and deadline, dates as people write them, never codes.
Pure: names of units and the form of a date come from the caller.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from desktop.domain.case import routed_day
from desktop.domain.chinatime import china_day
from desktop.domain.events import Event, EventType
from desktop.domain.hlc import Hlc

#: The payload fields that say what a step said, the first one present being the step's text.
EVENT_TEXT_KEYS = ("text", "reason", "opinion", "decision", "unit", "result", "comment", "rating")


def event_in_words(event: Event, unit_name: Callable[[str], str], day: Callable[[date], str], *,
                   full: bool = False, notify_due: Callable[[date], date] | None = None,
                   recorded_by: str = "") -> str:
    """What ``event`` says, in words.

    ``unit_name`` names a unit by its code ("" when unknown); ``day`` writes a date. Short (the dossier's line):
    the step's text, its unit and its deadline. ``full`` (the case view, which shows the step and who recorded
    it, ``recorded_by``, beside): who must do what by when — 批示 its text and decision, 包案 its units and
    deadline, each with the leader when another person recorded it; 转送 the receiving unit and (with
    ``notify_due``, the unit's limit from the day it got the matter) the day it must say whether it accepts;
    交办 the unit and its deadline; a 转送 or 交办 made on paper on an earlier day, that day.
    """
    p = event.payload
    if full:
        said = _full(event, unit_name, day, notify_due, recorded_by)
        if said is not None:
            return said
    text = next((str(p[k]) for k in EVENT_TEXT_KEYS if p.get(k)), "")
    decided = _decision(event)
    if decided:  # the decision first, then the opinion's main points
        text = f"{decided}；{text}" if text else decided
    rating = str(p.get("rating") or "") if event.type is EventType.RATED else ""
    if rating and text != rating:  # the level first (不满意), then the citizen's words
        text = f"{rating}：{text}" if text else rating
    if event.type is EventType.LEADER_TAKEN and p.get("note"):  # 改派, with its reason
        text = f"改派{p.get('unit', '')}：{p['note']}"
    name = unit_name(str(p.get("organisation_code", ""))) if p.get("organisation_code") else ""
    if name:
        text = f"{name}{('：' + text) if text else ''}"
    if p.get("due"):
        due = _day(str(p["due"]), day)
        text = f"{text}（期限{due}）" if text else f"期限{due}"
    return text


#: An opinion's name by the step that gives it.
_OPINIONS = {EventType.ANSWERED: "处理意见", EventType.REVIEW_ANSWERED: "复查意见",
             EventType.REREVIEW_ANSWERED: "复核意见"}


def _decision(event: Event) -> str:
    """An answer's decision in words (处理意见：予以支持); "" for another step or an answer without one."""
    opinion = _OPINIONS.get(event.type)
    outcome = str(event.payload.get("outcome") or "")
    return f"{opinion}：{outcome}" if opinion and outcome else ""


def _day(value: str, day: Callable[[date], str]) -> str:
    """A date from an event as people read it; anything else as it is."""
    try:
        return day(date.fromisoformat(value))
    except ValueError:
        return value


def _full(event: Event, unit_name: Callable[[str], str], day: Callable[[date], str],
          notify_due: Callable[[date], date] | None, recorded_by: str) -> str | None:
    p = event.payload
    t = event.type
    leader = str(p.get("leader", ""))
    other = bool(leader) and leader not in recorded_by  # a leader's step recorded by someone else names the leader
    if t is EventType.INSTRUCTED:
        parts = [f"{leader}批示：{p.get('text', '')}" if other else str(p.get("text", ""))]
        if p.get("decision"):
            parts.append(f"决定：{p['decision']}")
        return "；".join(part for part in parts if part)
    if t is EventType.LEADER_TAKEN:
        units = "、".join(n for n in (unit_name(str(c)) for c in p.get("unit_codes", ()) or ()) if n)
        parts = [f"包案领导{leader}"] if other else []
        parts.append(f"责任单位{units or p.get('unit', '') or '未指定'}")
        if p.get("due"):
            parts.append(f"{_day(str(p['due']), day)}前办结")
        if p.get("note"):
            parts.append(f"改派理由：{p['note']}")
        return "，".join(parts)
    if t in (EventType.TRANSFERRED, EventType.ASSIGNED):
        unit = unit_name(str(p.get("organisation_code", ""))) or str(p.get("unit", "")) or "有关单位"
        routed = routed_day(event)
        recorded = china_day(Hlc.parse(event.hlc).wall_ms)
        parts = [unit if routed == recorded else f"{unit}（{day(routed)}{t.value}）"]  # done on paper that day
        if t is EventType.ASSIGNED and p.get("due"):
            parts.append(f"{_day(str(p['due']), day)}前办结并报送结果")
        elif t is EventType.TRANSFERRED and notify_due is not None:
            parts.append(f"{day(notify_due(routed))}前告知是否受理")
        if p.get("override_reason"):
            parts.append(f"改送理由：{p['override_reason']}")
        return "，".join(parts)
    return None
