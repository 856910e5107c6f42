"""Find any case in a second: by case number, ID number, phone, name, pinyin or phrase.

The query's shape decides the index: exact keys for numbers, ``search_keys``
for names (including 1–2 character names and pinyin initials, which a trigram
index cannot serve) and the trigram text index for phrases of three or more
characters. Short phrases fall back to a bounded scan of the newest cases.
The same queries run on SQLite (FTS5) and PostgreSQL (pg_trgm).
"""

from __future__ import annotations

import re
import unicodedata
from contextlib import suppress
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from sqlalchemy import ColumnElement, literal_column, select, text
from sqlalchemy.orm import Session

from db.models import CasePersonRow, CaseRow, SearchKeyRow
from desktop.domain.errors import ValidationError
from desktop.domain.identity import mask_id_number, mask_name, mask_phone, validate_phone
from desktop.domain.numbering import validate_case_number
from desktop.services.context import Actor, Hall

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

    def masked(self) -> CaseSummary:
        """The same row as someone without the right to see personal data in full sees it."""
        return CaseSummary(self.case_id, self.case_number, mask_name(self.petitioner_name),
                           mask_id_number(self.id_number), mask_phone(self.phone),
                           self.received_on, self.state, self.topic_code, self.request,
                           self.next_due, self.match)


def _normalise(query: str) -> str:
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
                       row.state, row.topic_code, row.request[:80], row.next_due, match)


def find_cases(hall: Hall, actor: Actor, query: str, limit: int = 50) -> list[CaseSummary]:
    """Cases matching the query, newest first."""
    del actor  # permission and masking rules come with accounts
    q = _normalise(query)
    if not q:
        return []
    if len(q) > MAX_QUERY:
        raise ValidationError("query_too_long", f"查询内容过长（不超过{MAX_QUERY}字）", "query")
    kind = classify_query(q)
    with hall.sessions() as session:
        return search(session, q, kind, limit)


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
        ids = select(SearchKeyRow.case_id).where(
            SearchKeyRow.key >= key, SearchKeyRow.key < key + "\uffff").distinct()
        return _newest(session, CaseRow.case_id.in_(ids), kind, limit)
    if kind is MatchKind.NAME:
        ids = select(SearchKeyRow.case_id).where(SearchKeyRow.key == compact)
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
