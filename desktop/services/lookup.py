"""Find any case in a second: by case number, ID number, phone, name, pinyin or phrase.

The query's shape decides the index: exact keys for numbers, ``search_keys``
for names (including 1–2 character names and pinyin initials, which a trigram
index cannot serve) and the trigram text index for phrases of three or more
characters. Short phrases fall back to a bounded scan of the newest cases.
The same queries run on SQLite (FTS5) and PostgreSQL (pg_trgm).
"""

from __future__ import annotations

import json
import re
import unicodedata
from contextlib import suppress
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum

from sqlalchemy import ColumnElement, func, literal_column, select, text
from sqlalchemy.orm import Session

from db.models import CasePersonRow, CaseRow, SearchKeyRow
from desktop.domain.access import WITHHELD, ContentAccess, Permission, PermissionDenied, accusation_access
from desktop.domain.case import CaseView
from desktop.domain.classification import Nature
from desktop.domain.errors import ValidationError
from desktop.domain.identity import mask_id_number, mask_name, mask_phone, validate_phone
from desktop.domain.numbering import validate_case_number
from desktop.services.audit import guard
from desktop.services.context import Actor, Hall
from desktop.services.reference import load_directory

MAX_QUERY = 100
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff·]+")


class MatchKind(StrEnum):
    CASE_NUMBER = "案件编号"
    ID_NUMBER = "证件号码"
    PHONE = "电话"
    NAME = "姓名"
    PINYIN = "拼音"
    PHRASE = "诉求内容"


@dataclass(frozen=True)
class CaseSummary:
    case_id: str
    case_number: str
    petitioner_name: str
    id_number: str
    phone: str
    received_on: date
    state: str
    topic_code: str
    request: str
    next_due: date | None
    match: MatchKind
    nature: str = ""
    organisation_code: str = ""
    accused_org_codes: tuple[str, ...] = ()


def _normalise(query: str) -> str:
    query = "".join(c for c in query if unicodedata.category(c) != "Cc" or c in " \t\n")
    query = unicodedata.normalize("NFKC", query).strip()
    return re.sub(r"\s+", " ", query)


def classify_query(query: str) -> MatchKind:
    q = _normalise(query).replace(" ", "").replace("-", "")
    if re.fullmatch(r"XF\d{8}[A-Z0-9]+", q.upper()):
        return MatchKind.CASE_NUMBER
    if re.fullmatch(r"\d{17}[\dXx]", q):
        return MatchKind.ID_NUMBER
    if re.fullmatch(r"(\+?86)?\d{7,12}", q):
        return MatchKind.PHONE
    if re.fullmatch(r"[A-Za-z]+", q):
        return MatchKind.PINYIN
    if _CJK.fullmatch(q) and len(q) <= 4:
        return MatchKind.NAME
    return MatchKind.PHRASE


def _to_summary(row: CaseRow, match: MatchKind) -> CaseSummary:
    return CaseSummary(row.case_id, row.case_number, row.petitioner_name,
                       row.petitioner_id_number, row.petitioner_phone, row.received_on,
                       row.state, row.topic_code, row.request[:80], row.next_due, match,
                       row.nature, row.organisation_code, tuple(json.loads(row.accused_org_codes or "[]")))


def find_cases(hall: Hall, actor: Actor, query: str, limit: int = 50) -> list[CaseSummary]:
    """Cases matching the query, newest first, with names, ID numbers and phones masked.

    An accusation is left out for staff of an accused organisation (art. 30); for
    others without the permission its request is withheld, and it is not found
    by words of its content.
    """
    guard(hall, actor, Permission.SEARCH, "检索事项")
    q = _normalise(query)
    if not q:
        return []
    if len(q) > MAX_QUERY:
        raise ValidationError("query_too_long", f"查询内容过长（不超过{MAX_QUERY}字）", "query")
    kind = classify_query(q)
    with hall.sessions() as session:
        found = search(session, q, kind, limit)
    return visible_summaries(actor, found)


def visible_summaries(actor: Actor, found: list[CaseSummary]) -> list[CaseSummary]:
    directory = load_directory()
    out = []
    for summary in found:
        content = ContentAccess.FULL
        if summary.nature == Nature.ACCUSATION:
            view = CaseView(summary.case_id, case_number=summary.case_number, nature=summary.nature,
                            accused_org_codes=summary.accused_org_codes,
                            organisation_code=summary.organisation_code)
            try:
                content = accusation_access(actor, view, directory)
            except PermissionDenied:
                continue
            if content is ContentAccess.REDACTED and summary.match is MatchKind.PHRASE:
                continue
        out.append(replace(summary, petitioner_name=mask_name(summary.petitioner_name),
                           id_number=mask_id_number(summary.id_number), phone=mask_phone(summary.phone),
                           request=WITHHELD if content is ContentAccess.REDACTED else summary.request,
                           accused_org_codes=()))
    return out


def search(session: Session, q: str, kind: MatchKind, limit: int) -> list[CaseSummary]:
    compact = q.replace(" ", "").replace("-", "")
    if kind is MatchKind.CASE_NUMBER:
        try:
            number = validate_case_number(compact)
        except ValidationError:
            return []
        rows = session.scalars(select(CaseRow).where(CaseRow.case_number == number))
        return [_to_summary(r, kind) for r in rows]
    if kind is MatchKind.ID_NUMBER:
        return _by_person(session, CasePersonRow.id_number == compact.upper(), kind, limit)
    if kind is MatchKind.PHONE:
        digits = re.sub(r"^(\+?86)", "", compact) if len(compact) > 11 else compact
        candidates = {digits}
        with suppress(ValidationError):
            candidates.add(validate_phone(digits))  # stored phones are normalised this way
        return _by_person(session, CasePersonRow.phone.in_(sorted(candidates)), kind, limit)
    if kind is MatchKind.PINYIN:
        key = compact.lower()
        # Every key with this prefix, newest case first, read from the index alone; only the
        # cases shown are then fetched (common initials match tens of thousands of cases).
        newest = func.max(SearchKeyRow.received_on)
        ids = list(session.scalars(
            select(SearchKeyRow.case_id)
            .where(SearchKeyRow.key >= key, SearchKeyRow.key < key + "\uffff")
            .group_by(SearchKeyRow.case_id).order_by(newest.desc(), SearchKeyRow.case_id.desc())
            .limit(limit)))
        return _newest(session, CaseRow.case_id.in_(ids), kind, limit)
    if kind is MatchKind.NAME:
        ids = list(session.scalars(
            select(SearchKeyRow.case_id).where(SearchKeyRow.key == compact)
            .order_by(SearchKeyRow.received_on.desc(), SearchKeyRow.case_id.desc()).limit(limit)))
        found = _newest(session, CaseRow.case_id.in_(ids), kind, limit)
        if found:
            return found
    return _phrase(session, q, limit)


def _by_person(session: Session, condition: ColumnElement[bool], kind: MatchKind,
               limit: int) -> list[CaseSummary]:
    ids = select(CasePersonRow.case_id).where(condition)
    return _newest(session, CaseRow.case_id.in_(ids), kind, limit)


def _newest(session: Session, condition: ColumnElement[bool], kind: MatchKind,
            limit: int) -> list[CaseSummary]:
    rows = session.scalars(
        select(CaseRow).where(condition)
        .order_by(CaseRow.received_on.desc(), CaseRow.case_number.desc()).limit(limit)
    )
    return [_to_summary(r, kind) for r in rows]


def _phrase(session: Session, q: str, limit: int) -> list[CaseSummary]:
    if len(q.replace(" ", "")) < 3:
        return _short_phrase(session, q, limit)
    if session.get_bind().dialect.name == "sqlite":
        # The newest rows first straight from the index (rowid order is storage order),
        # so a phrase found in half the cases costs no more than a rare one.
        match = '"' + q.replace('"', '""') + '"'
        ids = text("SELECT rowid FROM case_fts WHERE case_fts MATCH :m ORDER BY rowid DESC "
                   "LIMIT :n").bindparams(m=match, n=limit)
        condition = CaseRow.id.in_(ids.columns(literal_column("rowid")))
    else:
        condition = _text_expr().like(_like(q), escape="\\")
    return _newest(session, condition, MatchKind.PHRASE, limit)


def _short_phrase(session: Session, q: str, limit: int) -> list[CaseSummary]:
    """One or two characters: scan the newest cases until enough are found."""
    return _newest(session, _text_expr().like(_like(q), escape="\\"), MatchKind.PHRASE, limit)


def _text_expr() -> ColumnElement[str]:
    return CaseRow.request + " " + CaseRow.facts + " " + CaseRow.reasons


def _like(q: str) -> str:
    escaped = q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
