"""People's suggestions (人民建议): their own records, not petitions.

A citizen makes a suggestion at the kiosk (or staff record one) on a published theme or on
anything (自由建议), with a name and phone or anonymously, and gets its number
(``JY-<date>-<device code>-<serial>``) on a receipt. Staff answer it, record whether it was
adopted (采纳 / 部分采纳 / 未采纳) and any award. Themes are published by supervisors with the
day they close; a closed theme takes no more suggestions.
"""

from __future__ import annotations

import contextlib
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Final

from sqlalchemy import select

from db.models import SuggestionRow, SuggestionThemeRow
from desktop.domain.access import Permission
from desktop.domain.calendar import date_in_words
from desktop.domain.errors import RuleViolation, ValidationError
from desktop.domain.identity import mask_name, mask_phone, normalise_name, validate_phone
from desktop.domain.roles import Role
from desktop.domain.texts import chinese_full_stops, meaningful_length
from desktop.services import hallrecords
from desktop.services.audit import guard
from desktop.services.context import Actor, Hall
from desktop.services.registration import check_name
from desktop.services.store import next_counter

MAX_CONTENT: Final = 3000
MIN_CONTENT: Final = 10
ADOPTIONS: Final = ("采纳", "部分采纳", "未采纳")
FREE_THEME: Final = "自由建议"


@dataclass(frozen=True)
class Theme:
    code: str
    title: str
    description: str
    opens_on: date
    closes_on: date | None


@dataclass(frozen=True)
class Suggestion:
    """A suggestion as staff see it (the name and phone masked unless ``reveal``)."""

    number: str
    theme: str
    content: str
    anonymous: bool
    name: str
    phone: str
    submitted_at: str
    answer: str = ""
    answered_on: date | None = None
    adoption: str = ""
    adopted_on: date | None = None
    award: str = ""
    awarded_on: date | None = None


@dataclass(frozen=True)
class SuggestionReceipt:
    """What the citizen is given: the number and the theme, nothing personal."""

    number: str
    theme: str
    submitted_on: date


def _clean(text: str, what: str, limit: int, *, required: bool = True, at_least: int = 0) -> str:
    value = text.strip()
    if required and not value:
        raise ValidationError("text_required", f"请填写{what}", what)
    if len(value) > limit:
        raise ValidationError("text_too_long", f"{what}最多{limit}字，现在{len(value)}字，"
                              f"请删去{len(value) - limit}字", what)
    if value and meaningful_length(value) < at_least:  # ten emoji or a row of dots say nothing
        raise ValidationError("text_too_short", f"{what}太短了，请把建议说清楚（至少{at_least}个字，"
                              "标点、空格和表情符号不算）", what)
    if any(unicodedata.category(c) == "Cc" and c not in "\n\t" for c in value):
        raise ValidationError("text_control_char", f"{what}中有无法显示的字符，请删除后再提交", what)
    return value


def check_content(content: str) -> str:
    """A suggestion's text as the rules take it (the authority checks what a device sends), its sentences ending
    in "。" where a keyboard wrote a full-width period (:func:`chinese_full_stops`)."""
    return chinese_full_stops(_clean(content, "建议内容", MAX_CONTENT, at_least=MIN_CONTENT))


def open_themes(hall: Hall, actor: Actor) -> list[Theme]:
    """Themes open today, newest first (anyone may read them)."""
    guard(hall, actor, Permission.SELF_SERVICE, "查看建议征集主题", alternatives=(Permission.VIEW_CASE,))
    today = hall.today()
    with hall.sessions() as session:
        rows = session.scalars(select(SuggestionThemeRow).where(SuggestionThemeRow.opens_on <= today)
                               .order_by(SuggestionThemeRow.opens_on.desc(), SuggestionThemeRow.title))
        return [Theme(r.code, r.title, r.description, r.opens_on, r.closes_on) for r in rows
                if r.closes_on is None or r.closes_on >= today]


def publish_theme(hall: Hall, actor: Actor, *, title: str, description: str, closes_on: date | None = None,
                  opens_on: date | None = None, code: str = "") -> Theme:
    """A new theme for suggestions (supervisors)."""
    guard(hall, actor, Permission.SUPERVISE, "发布建议征集主题")
    name = _clean(title, "主题", 100)
    text = _clean(description, "主题说明", 2000, required=False)
    start = opens_on or hall.today()
    if closes_on is not None and closes_on < start:
        raise ValidationError("theme_closes_early", "截止日期不能早于开始日期", "closes_on")
    theme = Theme(code or hall.new_id(), name, text, start, closes_on)
    if hallrecords.remote_of(hall) is not None:
        hallrecords.ask(hall, "/records/themes", {"code": theme.code, "title": name, "description": text,
                                                  "opens_on": start.isoformat(),
                                                  "closes_on": closes_on.isoformat() if closes_on else None,
                                                  "by": actor.actor_id})
        return theme
    with hall.transaction() as session:
        session.add(SuggestionThemeRow(code=theme.code, title=name, description=text, opens_on=start,
                                       closes_on=closes_on, published_by=actor.actor_id))
    return theme


def submit_suggestion(hall: Hall, actor: Actor, *, content: str, theme_code: str = "", anonymous: bool = False,
                      name: str = "", phone: str = "", suggestion_id: str = "") -> SuggestionReceipt:
    """Record a suggestion on an open theme (or free); anonymous ones keep no name or phone.

    With a hall server the suggestion is kept here first (numbered by this device) and sent to
    the authority at once; when it cannot be reached it stays here, pending, and goes with the
    next merge (idempotent by its id). A kiosk keeps no copy once the authority has it (setting
    ``kiosk_erase_after_sync``).
    """
    guard(hall, actor, Permission.SELF_SERVICE, "提交人民建议", alternatives=(Permission.REGISTER,))
    text = check_content(content)
    person, number_phone = "", ""
    if not anonymous:
        if not normalise_name(name):
            raise ValidationError("name_required", "请填写姓名，或选择“匿名提交”", "name")
        person = check_name(name)  # a name as registration takes one: 汉字 with "·", or Latin letters
        if phone.strip():
            number_phone = validate_phone(phone)
    today = hall.today()
    remote = hallrecords.remote_of(hall)
    with hall.transaction() as session:
        title = FREE_THEME
        if theme_code:
            theme = session.get(SuggestionThemeRow, theme_code)
            if theme is None or theme.opens_on > today:
                raise RuleViolation("theme_unknown", "没有这个征集主题，请重新选择，或选择“自由建议”")
            if theme.closes_on is not None and theme.closes_on < today:
                raise RuleViolation("theme_closed", f"“{theme.title}”的征集已于 {date_in_words(theme.closes_on)} 截止，"
                                    "您可以选择“自由建议”提交")
            title = theme.title
        code = hall.settings.device_code
        serial = next_counter(session, f"suggestion:{code}:{today.isoformat()}")
        number = f"JY-{today:%Y%m%d}-{code}-{serial:04d}"
        session.add(SuggestionRow(
            suggestion_id=suggestion_id or hall.new_id(), number=number, pending=remote is not None,
            theme_code=theme_code, theme_title=title, content=text,
            anonymous=anonymous, name=person, phone=number_phone, submitted_at=hall.now().isoformat(timespec="seconds"),
            submitted_by=actor.actor_id, device_id=hall.settings.device_id, answer="", answered_on=None,
            answered_by="", adoption="", adopted_on=None, award="", awarded_on=None))
    if remote is not None and remote.connected:
        # not reached (or not taken yet): kept here, pending, under its number; the link sends it again later
        with contextlib.suppress(RuleViolation):
            send_pending(hall, erase=actor.role == Role.KIOSK and hall.settings.kiosk_erase_after_sync)
    return SuggestionReceipt(number, title, today)


def send_pending(hall: Hall, *, erase: bool) -> int:
    """Send the suggestions kept here to the authority; returns how many went (``erase``: none kept here)."""
    pending = hallrecords.pending_suggestions(hall)
    if not pending:
        return 0
    hallrecords.ask(hall, "/records/suggestions/merge", {"suggestions": pending})
    hallrecords.mark_merged(hall, [p["suggestion_id"] for p in pending], erase=erase)
    return len(pending)


def _row(session: object, number: str) -> SuggestionRow:
    from sqlalchemy.orm import Session

    assert isinstance(session, Session)
    row = session.scalar(select(SuggestionRow).where(SuggestionRow.number == number.strip().upper()))
    if row is None:
        raise RuleViolation("suggestion_unknown", f"没有编号为 {number} 的建议")
    return row


def _shown(row: SuggestionRow, reveal: bool) -> Suggestion:
    name = row.name if reveal else mask_name(row.name) if row.name else ""
    phone = row.phone if reveal else mask_phone(row.phone) if row.phone else ""
    return Suggestion(row.number, row.theme_title, row.content, row.anonymous, name, phone, row.submitted_at,
                      row.answer, row.answered_on, row.adoption, row.adopted_on, row.award, row.awarded_on)


def list_suggestions(hall: Hall, actor: Actor, *, theme_code: str | None = None, limit: int = 500) -> list[Suggestion]:
    """Suggestions, newest first, the person masked (staff)."""
    guard(hall, actor, Permission.VIEW_CASE, "查看人民建议")
    with hall.sessions() as session:
        query = select(SuggestionRow).order_by(SuggestionRow.submitted_at.desc()).limit(limit)
        if theme_code is not None:
            query = query.where(SuggestionRow.theme_code == theme_code)
        return [_shown(r, False) for r in session.scalars(query)]


def answer_suggestion(hall: Hall, actor: Actor, number: str, *, answer: str,
                      adoption: str = "") -> Suggestion:
    """Record the answer, and whether the suggestion was adopted (采纳 / 部分采纳 / 未采纳)."""
    guard(hall, actor, Permission.HANDLE, "答复人民建议")
    text = _clean(answer, "答复", MAX_CONTENT)
    if adoption and adoption not in ADOPTIONS:
        raise ValidationError("bad_adoption", "采纳情况须为“采纳”“部分采纳”或“未采纳”", "adoption")
    today = hall.today()
    if hallrecords.remote_of(hall) is not None:
        hallrecords.ask(hall, "/records/suggestions/answer", {"number": number, "answer": text, "adoption": adoption,
                                                              "by": actor.actor_id})
        return _one(hall, number)
    with hall.transaction() as session:
        row = _row(session, number)
        row.answer, row.answered_on, row.answered_by = text, today, actor.actor_id
        if adoption:
            row.adoption, row.adopted_on = adoption, today
        session.flush()
        return _shown(row, False)


def _one(hall: Hall, number: str) -> Suggestion:
    with hall.sessions() as session:
        return _shown(_row(session, number), False)


def award_suggestion(hall: Hall, actor: Actor, number: str, *, award: str) -> Suggestion:
    """Record an award for an adopted suggestion (supervisors)."""
    guard(hall, actor, Permission.SUPERVISE, "奖励人民建议")
    text = _clean(award, "奖励", 200)
    if hallrecords.remote_of(hall) is not None:
        hallrecords.ask(hall, "/records/suggestions/award", {"number": number, "award": text,
                                                             "by": actor.actor_id})
        return _one(hall, number)
    with hall.transaction() as session:
        row = _row(session, number)
        if row.adoption not in ("采纳", "部分采纳"):
            raise RuleViolation("not_adopted", "只有被采纳（含部分采纳）的建议才能给予奖励")
        if row.anonymous:
            raise RuleViolation("anonymous_award", "匿名建议无法联系建议人，不能登记奖励")
        row.award, row.awarded_on = text, hall.today()
        session.flush()
        return _shown(row, False)
