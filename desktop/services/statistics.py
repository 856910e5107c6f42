"""The supervisors' one-year statistics: visits, decisions, answers and ratings by month.

Counts only: the result names no person and no case. The figures and which month a
case counts in are defined in :mod:`desktop.domain.indicators`; this module only counts.

At a million cases the year is read from two covering indexes (migration 0007) grouped
by day in index order, so no case row is read: by day of receipt (visits, decisions) and
by day of answer (answers, ratings), and topic by topic (the year's top topics).
"""

from __future__ import annotations

import os
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from datetime import date
from decimal import Decimal
from pathlib import Path

from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.orm import Session

from db.models import CaseRow
from desktop.domain.access import Permission
from desktop.domain.audit import AuditAction
from desktop.domain.case import CaseState
from desktop.domain.classification import Channel
from desktop.domain.deadlines import format_date
from desktop.domain.errors import FileRefused, ValidationError
from desktop.domain.indicators import (
    DEFINITIONS,
    GROUP_VISIT_MIN_PERSONS,
    SATISFIED_RATINGS,
    IndicatorCounts,
)
from desktop.domain.regions import region_prefix
from desktop.services.audit import guard, record_audit
from desktop.services.context import Actor, Hall
from desktop.services.reference import load_taxonomy
from desktop.services.supervision import Backlog, backlog

__all__ = [
    "ChannelRow",
    "MonthRow",
    "TopicRow",
    "YearDashboard",
    "export_dashboard_xlsx",
    "year_dashboard",
    "years_with_data",
]

TOP_TOPICS = 10

#: States of a case that has been accepted (受理): every state the 受理 decision leads to.
_ACCEPTED = frozenset({CaseState.ACCEPTED, CaseState.ANSWERED, CaseState.REVIEW_REQUESTED, CaseState.REVIEWED,
                       CaseState.REREVIEW_REQUESTED, CaseState.CONCLUDED, CaseState.SETTLED})
#: States still waiting for the 受理/不予受理 decision.
_AWAITING_DECISION = frozenset({CaseState.REGISTERED, CaseState.TRANSFERRED, CaseState.ASSIGNED})
#: States whose ``answered_on`` is the first written answer (处理意见书).
_FIRST_ANSWER = frozenset({CaseState.ANSWERED, CaseState.REVIEW_REQUESTED})


@dataclass(frozen=True)
class MonthRow:
    month: int  # 1–12
    counts: IndicatorCounts


@dataclass(frozen=True)
class ChannelRow:
    """Visits and decisions of one channel over the year (answers are not split by channel)."""

    channel: str
    counts: IndicatorCounts


@dataclass(frozen=True)
class TopicRow:
    topic_code: str
    topic_name: str
    batches: int
    persons: int


@dataclass(frozen=True)
class YearDashboard:
    year: int
    region_code: str | None
    hall_name: str
    computed_on: date
    months: tuple[MonthRow, ...]  # always 12, January first
    total: IndicatorCounts
    channels: tuple[ChannelRow, ...]  # the channels of art. 17 and the kiosk, then any other recorded
    top_topics: tuple[TopicRow, ...]
    #: The hall's backlog today (all regions), when the actor may see case counts.
    backlog: Backlog | None

    @property
    def quarters(self) -> tuple[IndicatorCounts, ...]:
        """The four quarters, each the sum of its three months' counts (rates are worked out from the sums)."""
        return tuple(sum((row.counts for row in self.months[q * 3:q * 3 + 3]), IndicatorCounts()) for q in range(4))

    def periods(self) -> list[tuple[str, IndicatorCounts]]:
        """The month table's rows: 1月…12月, 第一季度…第四季度, 全年."""
        return ([(f"{row.month}月", row.counts) for row in self.months]
                + [(f"第{'一二三四'[q]}季度", counts) for q, counts in enumerate(self.quarters)]
                + [("全年", self.total)])


#: The rows of the month table that sum others (the quarters and the year), set in bold.
SUM_ROWS = frozenset(range(12, 17))


# -- queries ---------------------------------------------------------------------------------------

def _as_int(value: int | Decimal | None) -> int:
    """A SUM as an integer (PostgreSQL sums integers as numeric; an empty SUM is NULL)."""
    return int(value or 0)


def _region_filter(region_code: str | None) -> list[ColumnElement[bool]]:
    """Cases located in ``region_code`` or any region under it (codes extend their parent's)."""
    if region_code is None:
        return []
    return [CaseRow.region_code.startswith(region_prefix(region_code), autoescape=True)]


def _flag(condition: ColumnElement[bool]) -> ColumnElement[int]:
    """1 where ``condition`` holds (NULL comparisons count as 0), for SUM."""
    return case((condition, 1), else_=0)


class _Tally:
    """Counts being summed by key, as plain integers (thousands of groups a year)."""

    def __init__(self) -> None:
        self.sums: dict[object, list[int]] = defaultdict(lambda: [0] * len(_COUNT_FIELDS))

    def add(self, key: object, values: tuple[int, ...]) -> None:
        row = self.sums[key]
        for index, value in enumerate(values):
            row[index] += value

    def counts(self, key: object) -> IndicatorCounts:
        return IndicatorCounts(*self.sums.get(key, [0] * len(_COUNT_FIELDS)))

    def keys(self) -> list[object]:
        return list(self.sums)


_COUNT_FIELDS = tuple(f.name for f in fields(IndicatorCounts))


def _received_counts(session: Session, start: date, end: date, today: date, region_code: str | None
                     ) -> tuple[_Tally, _Tally]:
    """Visits and decisions by month and by channel, from one pass over ix_cases_received_stats."""
    c = CaseRow
    rows = session.execute(
        select(c.received_on, c.channel, c.visit_kind, c.state, func.count(),
               func.sum(c.persons_count),
               func.sum(_flag(c.persons_count >= GROUP_VISIT_MIN_PERSONS)),
               func.sum(_flag(c.accepted_on <= c.decision_due)),  # decided_on_time
               func.sum(_flag(c.decision_due < today)))
        .where(c.received_on >= start, c.received_on < end, *_region_filter(region_code))
        .group_by(c.received_on, c.channel, c.visit_kind, c.state)
    ).all()
    months, channels = _Tally(), _Tally()
    for received_on, channel, visit_kind, state, n, persons, groups, accepted_in_time, past_limit in rows:
        n, past_limit = _as_int(n), _as_int(past_limit)
        accepted = n if state in _ACCEPTED else 0
        late_undecided = past_limit if state in _AWAITING_DECISION else 0
        # In the order of IndicatorCounts' fields.
        values = (n, _as_int(persons), n if visit_kind == "初访" else 0, n if visit_kind == "重复访" else 0,
                  _as_int(groups), accepted, n if state == CaseState.NOT_ACCEPTED else 0,
                  accepted + late_undecided, _as_int(accepted_in_time), 0, 0, 0, 0)
        months.add(received_on.month, values)
        channels.add(channel, values)
    return months, channels


def _answer_counts(session: Session, start: date, end: date, region_code: str | None) -> _Tally:
    """First written answers dated in the year, with their ratings, by month of the answer.

    Only cases whose ``answered_on`` still is the first answer count: a 复查/复核 opinion
    overwrites it in the case record (see :func:`desktop.domain.indicators.on_time_answer_rate`).
    """
    c = CaseRow
    rows = session.execute(
        select(c.answered_on, c.state, c.rating, func.count(),
               func.sum(_flag(c.answered_on <= c.handling_due)))
        .where(c.answered_on >= start, c.answered_on < end, *_region_filter(region_code))
        .group_by(c.answered_on, c.state, c.rating)
    ).all()
    months = _Tally()
    for answered_on, state, rating, n, on_time in rows:
        if state in _FIRST_ANSWER and answered_on is not None:
            n = _as_int(n)
            months.add(answered_on.month, (0,) * 9 + (n, _as_int(on_time), n if rating else 0,
                                                      n if rating in SATISFIED_RATINGS else 0))
    return months


def _topic_codes(session: Session) -> list[str]:
    """Every topic code in use, one index step each (a loose scan of ix_cases_topic)."""
    c = CaseRow
    step = select(func.min(c.topic_code).label("code")).cte("topics", recursive=True)
    step = step.union_all(
        select(select(func.min(c.topic_code)).where(c.topic_code > step.c.code).scalar_subquery())
        .where(step.c.code.is_not(None)))
    return [code for code in session.scalars(select(step.c.code).where(step.c.code.is_not(None)))]


def _top_topics(session: Session, start: date, end: date, region_code: str | None) -> tuple[TopicRow, ...]:
    """The year's most frequent topics, counted topic by topic along ix_cases_topic_stats (no sort)."""
    c = CaseRow
    codes = _topic_codes(session)
    if not codes:
        return ()
    rows = session.execute(
        select(c.topic_code, func.count(), func.sum(c.persons_count))
        .where(c.topic_code.in_(codes), c.received_on >= start, c.received_on < end, *_region_filter(region_code))
        .group_by(c.topic_code)
    ).all()
    top = sorted(((code, _as_int(n), _as_int(persons)) for code, n, persons in rows),
                 key=lambda row: (-row[1], row[0]))[:TOP_TOPICS]
    taxonomy = load_taxonomy()
    return tuple(TopicRow(code, taxonomy.full_name(code) if code in taxonomy else (code or "未分类"), n, persons)
                 for code, n, persons in top)


def _channel_order(recorded: Iterable[str]) -> list[str]:
    known = [ch.value for ch in Channel]
    return known + sorted(set(recorded) - set(known))


# -- the service -----------------------------------------------------------------------------------

def year_dashboard(hall: Hall, actor: Actor, year: int, *, region_code: str | None = None) -> YearDashboard:
    """Every indicator of ``year`` by month, its total, by channel, and the year's top topics.

    ``region_code`` (问题属地, any level) limits the figures to cases located in that region.
    """
    guard(hall, actor, Permission.SUPERVISE, "查看统计指标")
    if not 1990 <= year <= 2200:
        raise ValidationError("bad_year", f"年份{year}不在合理范围内", "year")
    start, end = date(year, 1, 1), date(year + 1, 1, 1)
    today = hall.today()
    if region_code is not None:
        region_prefix(region_code)  # refuse a malformed code before any query
    with hall.sessions() as session:
        months, channels = _received_counts(session, start, end, today, region_code)
        answers = _answer_counts(session, start, end, region_code)
        topics = _top_topics(session, start, end, region_code)
    month_rows = tuple(MonthRow(m, months.counts(m) + answers.counts(m)) for m in range(1, 13))
    total = sum((row.counts for row in month_rows), IndicatorCounts())
    channel_rows = tuple(ChannelRow(ch, channels.counts(ch)) for ch in _channel_order(map(str, channels.keys())))
    return YearDashboard(year=year, region_code=region_code, hall_name=hall.settings.hall_name,
                         computed_on=today, months=month_rows, total=total, channels=channel_rows,
                         top_topics=topics,
                         backlog=backlog(hall, actor) if actor.may(Permission.VIEW_CASE) else None)


def years_with_data(hall: Hall, actor: Actor) -> list[int]:
    """The years from the first case received to this year, newest first (this year always)."""
    guard(hall, actor, Permission.SUPERVISE, "查看统计指标")
    this_year = hall.today().year
    with hall.sessions() as session:
        first, last = session.execute(select(func.min(CaseRow.received_on), func.max(CaseRow.received_on))).one()
    low = min(first.year, this_year) if first else this_year
    high = max(last.year, this_year) if last else this_year
    return list(range(high, low - 1, -1))


# -- export ----------------------------------------------------------------------------------------

MONTH_HEADERS: tuple[str, ...] = (
    "月份", "批次", "人次", "初访", "重复访", "重复访率", "集体访", "受理", "不予受理", "及时受理率",
    "答复", "按期答复", "按期办结率", "参评", "满意", "群众参评率", "参评群众满意率")
CHANNEL_HEADERS: tuple[str, ...] = (
    "渠道", "批次", "人次", "初访", "重复访", "重复访率", "集体访", "受理", "不予受理", "及时受理率")
TOPIC_HEADERS: tuple[str, ...] = ("排名", "内容分类代码", "内容分类", "批次", "人次")

Cell = int | float | str | None


def month_cells(label: str, counts: IndicatorCounts) -> tuple[Cell, ...]:
    """One row of the month table: counts as numbers, rates as fractions (None when there is none)."""
    k = counts
    return (label, k.batches, k.persons, k.first_visits, k.repeat_visits, k.repeat_visit_rate, k.group_visits,
            k.accepted, k.refused, k.timely_acceptance_rate, k.answered, k.answered_on_time,
            k.on_time_answer_rate, k.rated, k.satisfied, k.participation_rate, k.satisfaction_rate)


def channel_cells(row: ChannelRow) -> tuple[Cell, ...]:
    k = row.counts
    return (row.channel, k.batches, k.persons, k.first_visits, k.repeat_visits, k.repeat_visit_rate,
            k.group_visits, k.accepted, k.refused, k.timely_acceptance_rate)


#: Columns of each table that hold rates (shown as percentages).
RATE_COLUMNS: Mapping[str, frozenset[int]] = {
    "month": frozenset({5, 9, 12, 15, 16}),
    "channel": frozenset({5, 9}),
}


def dashboard_title(dashboard: YearDashboard) -> str:
    where = f"（问题属地 {dashboard.region_code}）" if dashboard.region_code else ""
    return f"{dashboard.hall_name} {dashboard.year}年信访工作统计{where}"


def export_dashboard_xlsx(hall: Hall, actor: Actor, year: int, path: Path, *, region_code: str | None = None,
                          overwrite: bool = False) -> Path:
    """Write the year's dashboard to an Excel workbook, one sheet per table; audited.

    The file appears whole or not at all (written beside the target, then moved into place).
    An existing file is kept unless ``overwrite`` is given.
    """
    guard(hall, actor, Permission.EXPORT, "导出统计报表")
    path = Path(path)
    if path.exists() and not overwrite:
        raise FileRefused(f"文件“{path.name}”已存在，未覆盖。请换一个文件名。")
    dashboard = year_dashboard(hall, actor, year, region_code=region_code)
    workbook = _workbook(dashboard)
    handle, temp_name = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=".xlsx", dir=path.parent)
    os.close(handle)
    temp = Path(temp_name)
    try:
        workbook.save(temp)
        if overwrite:
            os.replace(temp, path)
        else:
            _move_without_replacing(temp, path)
    except FileExistsError:
        raise FileRefused(f"文件“{path.name}”已存在，未覆盖。请换一个文件名。") from None
    finally:
        temp.unlink(missing_ok=True)
    record_audit(hall, actor, AuditAction.EXPORT, f"{year}年统计报表",
                 {"kind": "一年统计", "year": year, "region_code": region_code or ""})
    return path


def _move_without_replacing(temp: Path, path: Path) -> None:
    """Put ``temp`` at ``path`` unless a file appeared there meanwhile (FileExistsError)."""
    try:
        os.link(temp, path)  # atomic, and refuses an existing file
    except FileExistsError:
        raise
    except OSError:  # no hard links (a FAT or exFAT USB stick): rename, which Windows refuses over a file
        if path.exists():
            raise FileExistsError(path) from None
        os.rename(temp, path)


def _workbook(dashboard: YearDashboard):  # type: ignore[no-untyped-def]
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    title = dashboard_title(dashboard)
    workbook = Workbook()
    bold = Font(bold=True)

    def sheet(name: str, headers: tuple[str, ...], rows: list[tuple[Cell, ...]], rates: frozenset[int],
              bold_rows: frozenset[int] = frozenset(), first: bool = False) -> None:
        ws = workbook.active if first else workbook.create_sheet()
        assert ws is not None
        ws.title = name
        ws.append([title])
        ws["A1"].font = Font(bold=True, size=14)
        ws.append([f"统计日期 {format_date(dashboard.computed_on)}"])
        ws.append(list(headers))
        for cell in ws[3]:
            cell.font = bold
            cell.alignment = Alignment(horizontal="center")
        for number, values in enumerate(rows):
            ws.append(["—" if v is None else v for v in values])
            if number in bold_rows:
                for cell in ws[ws.max_row]:
                    cell.font = bold
            for index in rates:
                cell = ws.cell(row=ws.max_row, column=index + 1)
                if isinstance(cell.value, float):
                    cell.number_format = "0.0%"
                else:
                    cell.alignment = Alignment(horizontal="right")
        ws.column_dimensions["A"].width = 12
        for letter in "BCDEFGHIJKLMNOPQ":
            ws.column_dimensions[letter].width = 12
        ws.freeze_panes = "B4"

    months = [month_cells(name, counts) for name, counts in dashboard.periods()]
    sheet("月度指标", MONTH_HEADERS, months, RATE_COLUMNS["month"], bold_rows=SUM_ROWS, first=True)
    sheet("按渠道", CHANNEL_HEADERS, [channel_cells(row) for row in dashboard.channels], RATE_COLUMNS["channel"])
    sheet("内容分类前十", TOPIC_HEADERS,
          [(rank, t.topic_code, t.topic_name, t.batches, t.persons)
           for rank, t in enumerate(dashboard.top_topics, start=1)], frozenset())
    workbook["内容分类前十"].column_dimensions["C"].width = 30
    sheet("指标说明", ("指标", "口径"), [(name, rule) for name, rule in DEFINITIONS.items()], frozenset())
    workbook["指标说明"].column_dimensions["B"].width = 100
    return workbook
