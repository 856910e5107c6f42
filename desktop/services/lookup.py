"""Find any case in a second: by case number, ID number, phone, name, pinyin or phrase.

The query's shape decides the index: exact keys for numbers, ``search_keys``
for names (including 1–2 character names and pinyin initials, which a trigram
index cannot serve) and the trigram index of the folded text (no punctuation,
half-width letters and digits; :mod:`desktop.domain.folding`) for phrases of three
or more characters. Short phrases fall back to a bounded scan of the newest cases.
The same queries run on SQLite (FTS5) and PostgreSQL (pg_trgm).

:func:`search_cases` is what the screen calls: the newest ``limit`` cases, how many
there are when that can be counted cheaply, whether there are more, and an
explanation when the query is a mistyped case number.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    ColumnElement,
    CompoundSelect,
    Select,
    bindparam,
    column,
    func,
    intersect,
    literal_column,
    or_,
    select,
    table,
    text,
    true,
)
from sqlalchemy.orm import Session

from db.models import CasePersonRow, CaseRow, SearchKeyRow
from db.search_sql import FOLDED_FTS, folded_text_sql
from desktop.domain.access import WITHHELD, ContentAccess, Permission, PermissionDenied, accusation_access
from desktop.domain.calendar import stamp_in_words
from desktop.domain.case import CaseView
from desktop.domain.classification import Nature
from desktop.domain.deadlines import days_left_in_words, due_level
from desktop.domain.errors import ValidationError
from desktop.domain.folding import fold_text
from desktop.domain.identity import (
    mask_id_number,
    mask_name,
    mask_phone,
    name_readings,
    unify_name_dots,
    validate_phone,
)
from desktop.domain.number_query import NumberQuery, looks_like_full_number, read_number_query
from desktop.domain.routing import Organisation, OrganisationDirectory
from desktop.services.audit import guard
from desktop.services.context import Actor, Hall
from desktop.services.due import DueFilter, due_condition
from desktop.services.reference import load_directory

MAX_QUERY = 100
#: Matches counted exactly up to this many; beyond it the screen shows "50+".
COUNT_LIMIT = 10_000
#: When cases the actor may not see are among the newest matches, up to this many matches are
#: read to fill the page; past it the result says there may be more.
MAX_FETCH = 2_000
#: The cases of the deadline filter alone (no query) are counted exactly up to this many.
DUE_COUNT_LIMIT = 100_000
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003134f·]+")  # rare characters (赵孟𫖯) too
PUNCTUATION_ONLY = "查询内容只有标点符号，请输入要查找的文字、号码或姓名"


class MatchKind(StrEnum):
    CASE_NUMBER = "案件编号"
    ID_NUMBER = "证件号码"
    PHONE = "电话"
    NAME = "姓名"
    PINYIN = "拼音"
    PHRASE = "诉求内容"
    UNIT = "承办单位"
    DUE = "期限"  # no query: the cases the deadline filter names


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
    days_left: int | None = None  # calendar days to the current deadline (negative: overdue); None: none runs
    due_level: str = ""  # "overdue", "soon" (the board's 7 days) or ""
    due_verified: bool = True  # False: counted without its year's holiday schedule (the board's 未经核实)

    @property
    def due_words(self) -> str:
        """Where the case stands against its deadline, as the board says it: 超期3天, 今天到期, 剩2天; "" if none."""
        return "" if self.days_left is None else days_left_in_words(self.days_left)


@dataclass(frozen=True)
class SearchResult:
    """What a search found, as the case search screen shows it.

    ``cases``: the newest matching cases the actor may see, at most ``limit``, newest
    first, personal data masked (as :func:`find_cases`).
    ``total``: how many matching cases the actor may see, when that is cheap to count
    (case numbers and serials, ID numbers, phones, names and pinyin, up to
    :data:`COUNT_LIMIT`); ``None`` for phrases and larger counts.
    ``more``: there are matching cases beyond those shown (known without ``total``).
    ``kind``: how the query was read (the kind of the cases found; ``None`` for an empty
    query). ``note``: what the screen should say about the query itself, e.g. why a
    mistyped case number found nothing; empty otherwise.

    Cases hidden from the actor (art. 30: accusations against the actor's organisation;
    accusations withheld from the actor are not found by their words) are neither
    listed nor counted, nor do they make ``more`` true.

    ``due``: the deadline filter the cases were narrowed by; with 已超期 or 临近期限 they come
    most overdue / soonest due first instead of newest first.
    """

    cases: list[CaseSummary]
    total: int | None
    more: bool
    kind: MatchKind | None = None
    note: str = ""
    due: DueFilter = DueFilter.ALL

    @property
    def headline(self) -> str:
        """"显示最新 50 件，共 1,234 件", "显示最新 50 件，共 50+ 件", "共 3 件" or "未找到相符的事项".

        Narrowed by deadline: "显示超期最久的 50 件，共 1,234 件", "没有临近期限的事项" (no query), …
        """
        shown = len(self.cases)
        if not shown:
            if self.due is DueFilter.ALL:
                return "未找到相符的事项"
            return f"没有{self.due.value}的事项" if self.kind is MatchKind.DUE else f"未找到相符的{self.due.value}事项"
        first = {DueFilter.ALL: "最新", DueFilter.OVERDUE: "超期最久的", DueFilter.DUE_SOON: "期限最近的"}[self.due]
        if self.total is not None and self.total > shown:
            return f"显示{first} {shown:,} 件，共 {self.total:,} 件"
        if self.total is None and self.more:
            return f"显示{first} {shown:,} 件，共 {shown:,}+ 件"
        return f"共 {shown:,} 件"

    @property
    def status(self) -> str:
        """The line over the list: the filter, how the query was read, the headline and the note
        ("已超期　按姓名查找：共 2 件")."""
        how = f"按{self.kind.value}查找：" if self.cases and self.kind not in (None, MatchKind.DUE) else ""
        due = f"{self.due.value}　" if self.due is not DueFilter.ALL else ""
        return "　".join(part for part in (due + how + self.headline, self.note) if part)


def _clean(query: str) -> str:
    return "".join(c for c in query if unicodedata.category(c) != "Cc" or c in " \t\n")


def _normalise(query: str) -> str:
    query = unify_name_dots(unicodedata.normalize("NFKC", _clean(query))).strip()
    return re.sub(r"\s+", " ", query)


def classify_query(query: str) -> MatchKind:
    """How a query is read; a case number includes its last part (see :mod:`desktop.domain.number_query`)."""
    q = _normalise(query).replace(" ", "").replace("-", "")
    if looks_like_full_number(q):
        return MatchKind.CASE_NUMBER
    if re.fullmatch(r"\d{17}[\dXx]", q):
        return MatchKind.ID_NUMBER
    if re.fullmatch(r"(\+?86)?\d{7,12}|(\+|00)[1-9]\d{6,14}", q):  # mainland, or with another country code
        return MatchKind.PHONE
    if read_number_query(_normalise(query)) is not None:
        return MatchKind.CASE_NUMBER
    if re.fullmatch(r"[A-Za-z]+", q):
        return MatchKind.PINYIN
    if _CJK.fullmatch(q) and (len(q) <= 4 or "·" in q):  # a minority name is written with its dot
        return MatchKind.NAME
    return MatchKind.PHRASE


def summary_of(row: CaseRow, match: MatchKind) -> CaseSummary:
    """A case as a list shows it, before :func:`visible_summaries` masks and withholds it for the reader."""
    return CaseSummary(row.case_id, row.case_number, row.petitioner_name,
                       row.petitioner_id_number, row.petitioner_phone, row.received_on,
                       row.state, row.topic_code, row.request[:80], row.next_due, match,
                       row.nature, row.organisation_code, tuple(json.loads(row.accused_org_codes or "[]")),
                       due_verified=row.deadlines_verified)


def find_cases(hall: Hall, actor: Actor, query: str, limit: int = 50) -> list[CaseSummary]:
    """Cases matching the query, newest first, with names, ID numbers and phones masked.

    An accusation is left out for staff of an accused organisation (art. 30); for
    others without the permission its request is withheld, and it is not found
    by words of its content. The cases of :func:`search_cases`.
    """
    return search_cases(hall, actor, query, limit).cases


def search_cases(hall: Hall, actor: Actor, query: str, limit: int = 50, *,
                 due: DueFilter = DueFilter.ALL) -> SearchResult:
    """The newest ``limit`` cases matching ``query``, their count when cheap, and what to say.

    Queries are read as case numbers (whole, or serial / last characters: see
    :mod:`desktop.domain.number_query`), ID numbers, phones, pinyin, names, or phrases.
    A phrase is found whatever punctuation or spaces it spans and whatever the width
    of its letters and digits (:mod:`desktop.domain.folding`), from 3 folded characters;
    shorter phrases are matched as typed. A query that is only punctuation finds
    nothing and says so; so does a whole case number that fails its check (the
    kiosk's explanation). Names and case-number fragments that match no case the
    actor may see are looked up as phrases.

    ``due`` narrows to the cases whose current deadline has passed (已超期) or falls within
    the deadline board's 7 days (临近期限), by the board's own condition
    (:mod:`desktop.services.due`), most overdue / soonest first; with an empty query it lists
    all of them, counted. Every case found says how it stands against its deadline
    (``days_left``, ``due_level``).
    """
    guard(hall, actor, Permission.SEARCH, "检索事项")
    if limit < 1:
        raise ValueError("limit must be positive")
    today, calendar = hall.today(), hall.policy.calendar
    found = _search_cases(hall, actor, query, limit, due_condition(due, today, calendar))
    return replace(found, due=due, cases=[
        replace(c, days_left=None if c.next_due is None else (c.next_due - today).days,
                due_level="" if c.next_due is None else due_level(c.next_due, today, calendar))
        for c in found.cases])


def _search_cases(hall: Hall, actor: Actor, query: str, limit: int, due: ColumnElement[bool] | None) -> SearchResult:
    q = _normalise(query)
    if not q and due is None:
        return SearchResult([], 0, False)
    if len(q) > MAX_QUERY:
        raise ValidationError("query_too_long", f"查询内容过长（不超过{MAX_QUERY}字）", "query")
    directory = load_directory()
    if not q:
        assert due is not None
        with hall.sessions() as session:
            return _due_cases(session, actor, directory, due, limit)
    kind = classify_query(q)
    number = read_number_query(q) if kind is MatchKind.CASE_NUMBER else None
    if number is not None and number.problem:
        return SearchResult([], 0, False, kind, number.problem)
    with hall.sessions() as session:
        if kind is not MatchKind.PHRASE:
            ids = _narrowed(_matching_ids(session, q, kind, number), due)
            cases, more = _visible_page(actor, directory, limit,
                                        lambda n: _search(session, q, kind, n, number, due))
            fallback = (kind is MatchKind.NAME or (number is not None and not number.numbers)
                        or (kind is MatchKind.PHONE and bool(_tail(q))))  # 7–8 digits: a phone's tail too
            if not cases and fallback and due is not None:
                # The query names cases, none of them due: it is not read as anything else.
                fallback = not _visible_page(actor, directory, 1, lambda n: _search(session, q, kind, n, number))[0]
            if cases or not fallback:
                total = _visible_count(session, actor, directory, ids, kind)
                more = more if total is None else total > len(cases)
                found = SearchResult(cases, total, more, kind)
                if cases and number is not None and not number.numbers:  # a serial, or an ID number's end?
                    return _with_tails(session, actor, directory, q, found, ids, limit, due)
                return found
        tail = _tail(q)
        if tail:
            found = _tails(session, actor, directory, tail, limit, due)
            if found.cases or found.note:
                return found
        unit = _unit_named(directory, q)
        if unit is not None:
            found = _unit_cases(session, actor, directory, unit, q, limit, due)
            if found.cases or found.note:
                return found
        typed = _clean(query).strip()
        folded = fold_text(typed)
        if not folded:
            return SearchResult([], 0, False, MatchKind.PHRASE, PUNCTUATION_ONLY)
        forms = sorted({typed, q, folded})
        cases, more = _visible_page(actor, directory, limit, lambda n: _phrase(session, forms, folded, n, due))
        if not cases and kind is MatchKind.NAME:
            return _homophones(session, actor, directory, q, limit, due)
    return SearchResult(cases, None if more else len(cases), more, MatchKind.PHRASE)


def _narrowed(ids: Select[Any] | None, due: ColumnElement[bool] | None) -> Select[Any] | None:
    """The ids of ``ids`` whose case meets ``due`` (all of them without a filter)."""
    if ids is None or due is None:
        return ids
    return select(CaseRow.case_id.label("case_id")).where(
        CaseRow.id.in_(_both(select(ids.subquery().c.case_id), due)))


def _both(case_ids: Select[Any], due: ColumnElement[bool]) -> CompoundSelect[Any]:
    """The row ids of the cases ``case_ids`` names that meet ``due``, each side read from an index alone
    (the case ids' unique index, the deadline's): testing each matching case's row cost ten times more for a
    common name, and reading the case ids of the due cases as much when most open cases are late."""
    return intersect(select(CaseRow.id).where(CaseRow.case_id.in_(case_ids)), select(CaseRow.id).where(due))


def _due_cases(session: Session, actor: Actor, directory: OrganisationDirectory, due: ColumnElement[bool],
               limit: int) -> SearchResult:
    """No query: the cases the deadline filter names, most overdue / soonest first, all of them counted."""
    cases, more = _visible_page(actor, directory, limit, lambda n: _newest(session, true(), MatchKind.DUE, n, due))
    ids = select(CaseRow.case_id.label("case_id")).where(due)
    total = _visible_count(session, actor, directory, ids, MatchKind.DUE, cap=DUE_COUNT_LIMIT)
    return SearchResult(cases, total, more if total is None else total > len(cases), MatchKind.DUE)


def _unit_named(directory: OrganisationDirectory, q: str) -> Organisation | None:
    """The unit whose name, or an earlier name (曾用名: renamed since), is exactly the query."""
    q = _compact(q)
    named = [o for o in directory.all() if q in (o.name, *o.former_names)]
    return named[0] if len(named) == 1 else None


def _unit_cases(session: Session, actor: Actor, directory: OrganisationDirectory, unit: Organisation, q: str,
                limit: int, due: ColumnElement[bool] | None = None) -> SearchResult:
    """The cases transferred or assigned to ``unit`` (found by its name now or before), newest first.

    Narrowed by ``due`` and none left, the unit's note still comes when it has cases at all.
    """
    condition = CaseRow.organisation_code == unit.code
    former = f"“{q}”是{unit.name}的曾用名；" if q != unit.name else ""
    retired = f"（已于{stamp_in_words(unit.retired)}撤销）" if not unit.active else ""
    note = f"{former}转送、交办给{unit.name}{retired}的事项"
    return _newest_found(session, actor, directory, condition, MatchKind.UNIT, note, limit, due)


def _newest_found(session: Session, actor: Actor, directory: OrganisationDirectory, condition: ColumnElement[bool],
                  kind: MatchKind, note: str, limit: int, due: ColumnElement[bool] | None) -> SearchResult:
    """The cases meeting ``condition`` (and ``due``), newest first, counted as the actor may see them."""
    cases, more = _visible_page(actor, directory, limit, lambda n: _newest(session, condition, kind, n, due))
    if not cases:
        return _none_due(actor, directory, kind, note, due, lambda n: _newest(session, condition, kind, n))
    ids = _narrowed(select(CaseRow.case_id.label("case_id")).where(condition), due)
    total = _visible_count(session, actor, directory, ids, kind)
    return SearchResult(cases, total, more if total is None else total > len(cases), kind, note)


def _none_due(actor: Actor, directory: OrganisationDirectory, kind: MatchKind, note: str,
              due: ColumnElement[bool] | None, fetch: Callable[[int], list[CaseSummary]]) -> SearchResult:
    """Nothing found under the deadline filter: with ``note`` when the query does find cases without it
    (then it is not read as anything else), without when it finds none the actor may see."""
    if due is not None and _visible_page(actor, directory, 1, fetch)[0]:
        return SearchResult([], 0, False, kind, note)
    return SearchResult([], 0, False, kind)


#: The last 4 to 8 characters of an ID number (the last may be X) or the last digits of a phone.
_TAIL = re.compile(r"\d{3,7}[\dX]")


def _tail(q: str) -> str:
    compact = _compact(q).upper()
    return compact if _TAIL.fullmatch(compact) else ""


def _tails(session: Session, actor: Actor, directory: OrganisationDirectory, tail: str,
           limit: int, due: ColumnElement[bool] | None = None) -> SearchResult:
    """身份证后六位, 手机尾号: the persons whose ID number or phone ends in ``tail``, newest cases first.

    Read when no case number answers the digits (4 digits are a case's serial first). The list shows
    the numbers masked with their last four kept, so the clerk checks the person found.
    """
    condition = _tail_condition(session, tail)
    if condition is None:
        return SearchResult([], 0, False, MatchKind.ID_NUMBER)
    note = f"按证件号码或电话的后{len(tail)}位查找，请核对是否同一人"
    return _newest_found(session, actor, directory, condition, MatchKind.ID_NUMBER, note, limit, due)


def _tail_condition(session: Session, tail: str) -> ColumnElement[bool] | None:
    """The cases of the persons whose ID number or phone ends in ``tail`` (None: no such person)."""
    ending: ColumnElement[bool] = CasePersonRow.id_number.like(f"%{tail}")
    if tail[-1] != "X":
        ending = ending | CasePersonRow.phone.like(f"%{tail}")
    # One pass over the persons (no index serves an ending): the cases found are read by their ids.
    found = list(session.scalars(select(CasePersonRow.case_id).where(ending).distinct().limit(COUNT_LIMIT + 1)))
    return CaseRow.case_id.in_(found) if found else None


#: Said over a list of cases whose number ends in the query, when it is also the end of ID numbers or phones.
ALSO_TAIL = "也可能是身份证号后几位：其中 {count} 件是证件号码或电话的后{n}位相符，列在案件编号之后，请核对是否同一人"


def _with_tails(session: Session, actor: Actor, directory: OrganisationDirectory, q: str, found: SearchResult,
                ids: Select[Any] | None, limit: int, due: ColumnElement[bool] | None) -> SearchResult:
    """A case-number fragment that is also the last 4–8 characters of an ID number or phone (105X of
    65010219520314105X, 4 digits a serial first): the cases of those persons follow the case numbers, at
    least half the list when there are that many, and the count is of both kinds together."""
    tail = _tail(q)
    condition = _tail_condition(session, tail) if tail else None
    if condition is None:
        return found
    shown = {c.case_id for c in found.cases}
    also, also_more = _visible_page(actor, directory, limit + len(shown),
                                    lambda n: _newest(session, condition, MatchKind.ID_NUMBER, n, due))
    extra = [c for c in also if c.case_id not in shown]
    if not extra:
        return found
    room = min(len(extra), max(limit - len(found.cases), limit // 2))
    cases = found.cases[:limit - room] + extra[:room]
    tail_ids = _narrowed(select(CaseRow.case_id.label("case_id")).where(condition), due)
    extra_ids = tail_ids if ids is None else tail_ids.except_(ids) if tail_ids is not None else None
    extra_total = None if extra_ids is None else _visible_count(
        session, actor, directory, select(extra_ids.subquery().c.case_id.label("case_id")), MatchKind.ID_NUMBER)
    total = None if found.total is None or extra_total is None else found.total + extra_total
    more = (found.more or also_more or room < len(extra)) if total is None else total > len(cases)
    count = f"{extra_total:,}" if extra_total is not None else f"{len(extra):,}+"
    note = "　".join(part for part in (found.note, ALSO_TAIL.format(n=len(tail), count=count)) if part)
    return SearchResult(cases, total, more, found.kind, note)


def _homophones(session: Session, actor: Actor, directory: OrganisationDirectory, q: str,
                limit: int, due: ColumnElement[bool] | None = None) -> SearchResult:
    """A name found nowhere, read aloud: the names of the same sound (张建果 typed for 张建国), said so."""
    readings = name_readings(q) if len(_compact(q)) >= 2 else []
    if not readings:
        return SearchResult([], 0, False, MatchKind.NAME)
    keyed = SearchKeyRow.key.in_(readings)

    def fetch(n: int) -> list[CaseSummary]:
        if due is not None:
            return _newest(session, CaseRow.case_id.in_(select(SearchKeyRow.case_id).where(keyed)),
                           MatchKind.NAME, n, due)
        ids = list(session.scalars(
            select(SearchKeyRow.case_id).where(keyed).group_by(SearchKeyRow.case_id)
            .order_by(func.max(SearchKeyRow.received_on).desc(), SearchKeyRow.case_id.desc()).limit(n)))
        return _newest(session, CaseRow.case_id.in_(ids), MatchKind.NAME, n)

    cases, more = _visible_page(actor, directory, limit, fetch)
    if not cases:
        return SearchResult([], 0, False, MatchKind.NAME)
    total = _visible_count(session, actor, directory,
                           _narrowed(select(SearchKeyRow.case_id.label("case_id")).where(keyed).distinct(), due),
                           MatchKind.NAME)
    return SearchResult(cases, total, more if total is None else total > len(cases), MatchKind.NAME,
                        f"没有姓名为「{q}」的事项，以下是读音相同的姓名，请核对是否同一人")


def _visible_page(actor: Actor, directory: OrganisationDirectory, limit: int,
                  fetch: Callable[[int], list[CaseSummary]]) -> tuple[list[CaseSummary], bool]:
    """The first ``limit`` visible cases and whether more follow, reading further past hidden ones."""
    n = limit + 1
    while True:
        found = fetch(n)
        visible = _visible(actor, found, directory)
        if len(visible) > limit or len(found) < n:
            return visible[:limit], len(visible) > limit
        if n >= MAX_FETCH:
            return visible[:limit], True  # unknown beyond: say so rather than hide visible cases
        n = min(n * 4, MAX_FETCH)


def visible_summaries(actor: Actor, found: list[CaseSummary]) -> list[CaseSummary]:
    return _visible(actor, found, load_directory())


def _access(actor: Actor, case_id: str, case_number: str, nature: str, accused: tuple[str, ...],
            organisation_code: str, match: MatchKind, directory: OrganisationDirectory) -> ContentAccess | None:
    """How much of a found case ``actor`` sees, or None when it is not listed at all."""
    if nature != Nature.ACCUSATION:
        return ContentAccess.FULL
    view = CaseView(case_id, case_number=case_number, nature=nature, accused_org_codes=accused,
                    organisation_code=organisation_code)
    try:
        content = accusation_access(actor, view, directory)
    except PermissionDenied:
        return None
    if content is ContentAccess.REDACTED and match is MatchKind.PHRASE:
        return None
    return content


def _visible(actor: Actor, found: list[CaseSummary], directory: OrganisationDirectory) -> list[CaseSummary]:
    out = []
    for summary in found:
        content = _access(actor, summary.case_id, summary.case_number, summary.nature,
                          summary.accused_org_codes, summary.organisation_code, summary.match, directory)
        if content is None:
            continue
        out.append(replace(summary, petitioner_name=mask_name(summary.petitioner_name),
                           id_number=mask_id_number(summary.id_number), phone=mask_phone(summary.phone),
                           request=WITHHELD if content is ContentAccess.REDACTED else summary.request,
                           accused_org_codes=()))
    return out


def _visible_count(session: Session, actor: Actor, directory: OrganisationDirectory,
                   ids: Select[Any] | None, kind: MatchKind, cap: int = COUNT_LIMIT) -> int | None:
    """How many of the matches ``actor`` may see: all matches less the hidden accusations.

    Counted from the index (at most ``cap``); the accusations among the matches
    (few) are then read and judged one by one exactly as the list judges them.
    """
    if ids is None:
        return None
    capped = ids.limit(cap + 1).subquery()
    matches = session.scalar(select(func.count()).select_from(capped)) or 0
    if matches > cap:
        return None
    accusations = session.execute(
        select(CaseRow.case_id, CaseRow.case_number, CaseRow.nature, CaseRow.accused_org_codes,
               CaseRow.organisation_code)
        .where(CaseRow.case_id.in_(select(capped.c.case_id)), CaseRow.nature == Nature.ACCUSATION))
    hidden = sum(
        _access(actor, r.case_id, r.case_number, r.nature, tuple(json.loads(r.accused_org_codes or "[]")),
                r.organisation_code, kind, directory) is None
        for r in accusations)
    return matches - hidden


def _compact(q: str) -> str:
    return q.replace(" ", "").replace("-", "")


def _number_condition(session: Session, number: NumberQuery) -> ColumnElement[bool]:
    """Whole numbers by the unique index; last parts ("-00012-7") by the trigram index of the numbers."""
    if number.numbers:
        return CaseRow.case_number.in_(number.numbers)
    sqlite = session.get_bind().dialect.name == "sqlite"
    conditions = []
    for reading in number.serials:
        condition: ColumnElement[bool] = CaseRow.case_number.like(reading.pattern)
        if sqlite:
            match = '"' + reading.tail + '"'
            ids = text(f"SELECT rowid FROM {FOLDED_FTS} WHERE {FOLDED_FTS} MATCH :m").bindparams(
                bindparam("m", f"number : {match}", unique=True))
            condition = CaseRow.id.in_(ids.columns(literal_column("rowid"))) & condition
        conditions.append(condition)
    return or_(*conditions)


def _matching_ids(session: Session, q: str, kind: MatchKind, number: NumberQuery | None) -> Select[Any] | None:
    """Every matching case id, for counting; None where counting would scan (phrases)."""
    compact = _compact(q)
    if kind is MatchKind.CASE_NUMBER and number is not None:
        return select(CaseRow.case_id.label("case_id")).where(_number_condition(session, number))
    if kind is MatchKind.ID_NUMBER:
        return select(CasePersonRow.case_id.label("case_id")).where(
            CasePersonRow.id_number == compact.upper()).distinct()
    if kind is MatchKind.PHONE:
        return select(CasePersonRow.case_id.label("case_id")).where(
            CasePersonRow.phone.in_(_phone_candidates(compact))).distinct()
    if kind is MatchKind.PINYIN:
        key = compact.lower()
        return select(SearchKeyRow.case_id.label("case_id")).where(
            SearchKeyRow.key >= key, SearchKeyRow.key < key + "\uffff").distinct()
    if kind is MatchKind.NAME:
        return select(SearchKeyRow.case_id.label("case_id")).where(SearchKeyRow.key == compact)
    return None


def _phone_candidates(compact: str) -> list[str]:
    digits = re.sub(r"^(\+?86)", "", compact) if len(compact) > 11 else compact
    candidates = {digits}
    with suppress(ValidationError):
        candidates.add(validate_phone(digits))  # stored phones are normalised this way
    return sorted(candidates)


def _search(session: Session, q: str, kind: MatchKind, limit: int,
            number: NumberQuery | None, due: ColumnElement[bool] | None = None) -> list[CaseSummary]:
    """The newest ``limit`` matches of a query that is not a phrase, before visibility (the most
    urgent first among those meeting ``due``)."""
    compact = _compact(q)
    if kind is MatchKind.CASE_NUMBER:
        if number is None:
            return []
        return _newest(session, _number_condition(session, number), kind, limit, due)
    if kind is MatchKind.ID_NUMBER:
        return _by_person(session, CasePersonRow.id_number == compact.upper(), kind, limit, due)
    if kind is MatchKind.PHONE:
        return _by_person(session, CasePersonRow.phone.in_(_phone_candidates(compact)), kind, limit, due)
    if due is not None:  # the name's cases met with the due ones, each read from its index alone
        keyed = _matching_ids(session, q, kind, number)
        assert keyed is not None
        return _newest(session, CaseRow.id.in_(_both(select(keyed.subquery().c.case_id), due)), kind, limit, due)
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
    ids = list(session.scalars(
        select(SearchKeyRow.case_id).where(SearchKeyRow.key == compact)
        .order_by(SearchKeyRow.received_on.desc(), SearchKeyRow.case_id.desc()).limit(limit)))
    return _newest(session, CaseRow.case_id.in_(ids), MatchKind.NAME, limit)


def _by_person(session: Session, condition: ColumnElement[bool], kind: MatchKind,
               limit: int, due: ColumnElement[bool] | None = None) -> list[CaseSummary]:
    ids = select(CasePersonRow.case_id).where(condition)
    return _newest(session, CaseRow.case_id.in_(ids), kind, limit, due)


def _newest(session: Session, condition: ColumnElement[bool], kind: MatchKind,
            limit: int, due: ColumnElement[bool] | None = None) -> list[CaseSummary]:
    """The newest ``limit`` cases meeting ``condition``; with ``due``, those meeting it too, the most
    overdue / soonest due first (the deadline board's order)."""
    if due is None:
        query = select(CaseRow).where(condition).order_by(CaseRow.received_on.desc(), CaseRow.case_number.desc())
    else:
        query = select(CaseRow).where(condition, due).order_by(CaseRow.next_due, CaseRow.case_number)
    return [summary_of(r, kind) for r in session.scalars(query.limit(limit))]


def _phrase(session: Session, forms: list[str], folded: str, limit: int,
            due: ColumnElement[bool] | None = None) -> list[CaseSummary]:
    """Cases whose folded text contains the folded query (3+ characters), newest first.

    Shorter: cases whose text contains the query as typed, NFKC-normalised or folded.
    With ``due``: those of them meeting it, the most urgent first.
    """
    if len(folded) < 3:
        return _short_phrase(session, forms, limit, due)
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite" and due is not None:
        # The phrase's rows (the text index) met with the due cases' (the deadline index), both read from
        # their indexes alone; only the cases in both are fetched. Reading each case of a common phrase
        # to test its deadline cost ten times more.
        match = '"' + folded.replace('"', '""') + '"'
        fts = table(FOLDED_FTS, column("rowid"))
        phrase_ids = select(fts.c.rowid).where(literal_column(FOLDED_FTS).op("MATCH")(bindparam("m", match)))
        condition = CaseRow.id.in_(intersect(phrase_ids, select(CaseRow.id).where(due)))
    elif dialect == "sqlite":
        # The newest rows first straight from the index (rowid order is storage order),
        # so a phrase found in half the cases costs no more than a rare one.
        match = '"' + folded.replace('"', '""') + '"'
        ids = text(f"SELECT rowid FROM {FOLDED_FTS} WHERE {FOLDED_FTS} MATCH :m ORDER BY rowid DESC "
                   "LIMIT :n").bindparams(m=match, n=limit)
        condition = CaseRow.id.in_(ids.columns(literal_column("rowid")))
    else:
        # Spelled as the index is (ix_cases_folded_trgm), so pg_trgm serves it.
        condition = literal_column(folded_text_sql()).ilike(_like(folded), escape="\\")
    return _newest(session, condition, MatchKind.PHRASE, limit, due)


def _short_phrase(session: Session, forms: list[str], limit: int,
                  due: ColumnElement[bool] | None = None) -> list[CaseSummary]:
    """One or two characters: scan the newest cases until enough are found."""
    return _newest(session, or_(*(_text_expr().ilike(_like(f), escape="\\") for f in forms)),
                   MatchKind.PHRASE, limit, due)


def _text_expr() -> ColumnElement[str]:
    return CaseRow.request + " " + CaseRow.facts + " " + CaseRow.reasons


def _like(q: str) -> str:
    escaped = q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
