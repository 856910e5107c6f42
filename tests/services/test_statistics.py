"""The one-year statistics through the real services, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from db.models import AuditRow
from desktop.domain import indicators
from desktop.domain.access import PermissionDenied
from desktop.domain.audit import AuditAction
from desktop.domain.errors import ValidationError
from desktop.domain.events import EventType
from desktop.domain.indicators import DEFINITIONS, IndicatorCounts
from desktop.services import cases, statistics
from desktop.services.context import Actor, Hall
from desktop.services.registration import PersonInput, register_visit
from tests.conftest import FakeClock
from tests.helpers import form, valid_id

NAME, PHONE = "张建国", "13857912345"
ID_NUMBER = valid_id()


def _on(clock: FakeClock, day: date) -> None:
    clock.current = datetime.combine(day, datetime.min.time()).replace(hour=10)


def _register(hall: Hall, clerk: Actor, clock: FakeClock, day: date, **kwargs: object) -> str:
    _on(clock, day)
    return register_visit(hall, clerk, form(**kwargs)).case_number  # type: ignore[arg-type]


def _accept(hall: Hall, clerk: Actor, ref: str, on: date) -> None:
    cases.classify(hall, clerk, ref, nature="申诉求决类", topic_code="0101")
    cases.accept(hall, clerk, ref, accepted_on=on)


def _audit(hall: Hall, action: AuditAction) -> list[AuditRow]:
    with hall.sessions() as session:
        return list(session.scalars(select(AuditRow).where(AuditRow.action == action.value)))


@pytest.fixture
def year_2026(hall: Hall, clerk: Actor, clock: FakeClock) -> Hall:
    """Four cases across the March/April boundary of 2026, seen on 2026-09-16.

    * A, 2026-03-10, walk-in: accepted on time (03-12), answered on time (04-20), rated 满意.
    * B, 2026-03-31, six persons: accepted late (04-30, limit 04-15), answered late (07-10,
      limit 06-29), not rated.
    * C, 2026-04-01, letter, another township: refused.
    * D, 2026-04-02, A's person and matter again (重复访): never decided, its limit has passed.
    """
    a = _register(hall, clerk, clock, date(2026, 3, 10))
    _accept(hall, clerk, a, date(2026, 3, 12))
    b = _register(hall, clerk, clock, date(2026, 3, 31), name="李梅", id_number=valid_id(seq=456),
                  request="反映村道损毁多年未修，要求修复", persons_count=6,
                  representatives=(PersonInput(name="王强", document_number=valid_id(seq=457)),))
    _on(clock, date(2026, 4, 30))
    _accept(hall, clerk, b, date(2026, 4, 30))
    _on(clock, date(2026, 4, 20))
    cases.answer(hall, clerk, a, outcome="予以支持", answered_on=date(2026, 4, 20))
    cases.deliver(hall, clerk, a, delivered_on=date(2026, 4, 21))
    cases.record(hall, clerk, a, EventType.RATED, {"rating": "满意", "target": "信访部门"})
    c = _register(hall, clerk, clock, date(2026, 4, 1), name="周芳", id_number=valid_id(seq=789),
                  request="反映邻里噪音纠纷", channel="书信")
    cases.record(hall, clerk, c, EventType.NOT_ACCEPTED, {"reason": "已在法定期限内办理中"})
    _register(hall, clerk, clock, date(2026, 4, 2))
    _on(clock, date(2026, 7, 10))
    cases.answer(hall, clerk, b, outcome="解释说明", answered_on=date(2026, 7, 10))
    _on(clock, date(2026, 9, 16))
    return hall


def test_months_count_visits_decisions_and_answers(year_2026: Hall, supervisor: Actor) -> None:
    board = statistics.year_dashboard(year_2026, supervisor, 2026)
    assert [m.month for m in board.months] == list(range(1, 13))
    march, april, july = board.months[2].counts, board.months[3].counts, board.months[6].counts
    assert (march.batches, march.persons, march.group_visits, march.first_visits) == (2, 7, 1, 2)
    assert (march.repeat_visits, march.refused) == (0, 0)
    assert (march.accepted, march.decisions_due, march.decided_on_time) == (2, 2, 1)
    assert march.timely_acceptance_rate == 0.5
    assert march.answered == 0 and march.on_time_answer_rate is None  # answers count in their own month
    assert (april.batches, april.repeat_visits, april.refused, april.accepted) == (2, 1, 1, 0)
    assert april.first_visits == 1
    assert april.repeat_visit_rate == 0.5
    # the refusal has no date and is left out; D's limit has passed undecided: due and late
    assert (april.decisions_due, april.decided_on_time, april.timely_acceptance_rate) == (1, 0, 0.0)
    assert (april.answered, april.answered_on_time, april.rated, april.satisfied) == (1, 1, 1, 1)
    assert april.on_time_answer_rate == 1.0 and april.satisfaction_rate == 1.0
    assert (july.answered, july.answered_on_time, july.rated) == (1, 0, 0)
    assert july.on_time_answer_rate == 0.0 and july.participation_rate == 0.0
    assert july.satisfaction_rate is None  # nobody rated: no satisfaction figure, not 0 %
    assert board.total == sum((m.counts for m in board.months), IndicatorCounts())
    assert (board.total.batches, board.total.persons, board.total.answered) == (4, 9, 2)
    assert (board.total.first_visits, board.total.repeat_visits, board.total.refused) == (3, 1, 1)
    assert board.total.on_time_answer_rate == 0.5
    for quiet in (0, 1, 4, 5, 7, 8, 9, 10, 11):
        counts = board.months[quiet].counts
        assert counts == IndicatorCounts()
        assert counts.repeat_visit_rate is None and counts.timely_acceptance_rate is None


def test_channels_topics_and_backlog(year_2026: Hall, supervisor: Actor) -> None:
    board = statistics.year_dashboard(year_2026, supervisor, 2026)
    by_channel = {row.channel: row.counts for row in board.channels}
    assert by_channel["走访"].batches == 3 and by_channel["书信"].batches == 1
    assert by_channel["电话"] == IndicatorCounts()
    assert sum(row.counts.batches for row in board.channels) == board.total.batches
    assert {t.topic_code: (t.batches, t.persons) for t in board.top_topics} == {"0101": (2, 7), "": (2, 2)}
    names = {t.topic_code: t.topic_name for t in board.top_topics}
    assert names[""] == "未分类" and "/" in names["0101"]  # the taxonomy's full name
    assert board.backlog is not None and board.backlog.open_cases >= 1
    assert board.hall_name and board.computed_on == date(2026, 9, 16)


def test_other_years_and_regions(year_2026: Hall, supervisor: Actor) -> None:
    empty = statistics.year_dashboard(year_2026, supervisor, 2025)
    assert empty.total == IndicatorCounts() and empty.top_topics == ()
    assert all(m.counts.participation_rate is None for m in empty.months)
    township = statistics.year_dashboard(year_2026, supervisor, 2026, region_code="330726001")
    assert township.total.batches == 4  # every form of the fixture is in 330726001
    county = statistics.year_dashboard(year_2026, supervisor, 2026, region_code="330726")
    assert county.total == township.total
    elsewhere = statistics.year_dashboard(year_2026, supervisor, 2026, region_code="330727")
    assert elsewhere.total == IndicatorCounts()
    with pytest.raises(ValidationError):
        statistics.year_dashboard(year_2026, supervisor, 2026, region_code="33%")
    assert statistics.years_with_data(year_2026, supervisor) == [2026]


def test_extension_counts_toward_the_limit(hall: Hall, clerk: Actor, supervisor: Actor,
                                           clock: FakeClock) -> None:
    ref = _register(hall, clerk, clock, date(2026, 1, 5))
    _accept(hall, clerk, ref, date(2026, 1, 6))  # limit 2026-03-09 (60 days: 03-07, a Saturday)
    cases.extend(hall, clerk, ref, days=30, reason="需现场勘验", approved_by="局长")
    _on(clock, date(2026, 3, 30))
    cases.answer(hall, clerk, ref, outcome="不予支持", answered_on=date(2026, 3, 30))
    march = statistics.year_dashboard(hall, supervisor, 2026).months[2].counts
    assert (march.answered, march.answered_on_time) == (1, 1)


def test_a_reviewed_case_leaves_the_answer_figures(hall: Hall, clerk: Actor, supervisor: Actor,
                                                   clock: FakeClock) -> None:
    """The record keeps the 复查 opinion's date in place of the first answer's (see indicators)."""
    ref = _register(hall, clerk, clock, date(2026, 1, 5))
    _accept(hall, clerk, ref, date(2026, 1, 6))
    _on(clock, date(2026, 2, 10))
    cases.answer(hall, clerk, ref, outcome="不予支持", answered_on=date(2026, 2, 10))
    cases.deliver(hall, clerk, ref, delivered_on=date(2026, 2, 11))
    assert statistics.year_dashboard(hall, supervisor, 2026).months[1].counts.answered == 1
    cases.request_review(hall, clerk, ref, requested_on=date(2026, 2, 20))
    cases.answer(hall, clerk, ref, outcome="不予支持", answered_on=date(2026, 3, 10),
                 event_type=EventType.REVIEW_ANSWERED)
    board = statistics.year_dashboard(hall, supervisor, 2026)
    assert board.total.answered == 0 and board.total.batches == 1 and board.total.accepted == 1


def test_a_quarter_sums_its_months_and_works_its_rates_out_from_the_sums(year_2026: Hall,
                                                                         supervisor: Actor) -> None:
    board = statistics.year_dashboard(year_2026, supervisor, 2026)
    q1, q2, q3, q4 = board.quarters
    assert (q1.batches, q1.persons, q1.decisions_due, q1.timely_acceptance_rate) == (2, 7, 2, 0.5)
    assert (q2.batches, q2.answered, q2.on_time_answer_rate, q2.satisfaction_rate) == (2, 1, 1.0, 1.0)
    assert (q3.batches, q3.answered, q3.on_time_answer_rate) == (0, 1, 0.0)  # B answered late in July
    assert q4 == IndicatorCounts() and q4.on_time_answer_rate is None  # a quarter with nothing: "—", not 0 %
    assert q1 + q2 + q3 + q4 == board.total and board.total.on_time_answer_rate == 0.5
    assert [name for name, _counts in board.periods()][11:] == ["12月", "第一季度", "第二季度", "第三季度",
                                                                 "第四季度", "全年"]


def test_refused_without_the_permission_and_audited(year_2026: Hall, clerk: Actor) -> None:
    admin = Actor("staff:guanli", "管理员", "admin")
    for actor in (clerk, admin):
        with pytest.raises(PermissionDenied):
            statistics.year_dashboard(year_2026, actor, 2026)
        with pytest.raises(PermissionDenied):
            statistics.years_with_data(year_2026, actor)
    refusals = _audit(year_2026, AuditAction.PERMISSION_DENIED)
    assert {r.actor_id for r in refusals} == {clerk.actor_id, admin.actor_id}
    assert len(refusals) == 4


def test_no_personal_data_in_the_result(year_2026: Hall, supervisor: Actor) -> None:
    board = statistics.year_dashboard(year_2026, supervisor, 2026)
    text = repr(board)
    for secret in (NAME, "张", "李梅", "周芳", PHONE, ID_NUMBER, ID_NUMBER[-4:], "XF-", "电梯"):
        assert secret not in text


def test_export_writes_readable_workbook_and_is_audited(year_2026: Hall, supervisor: Actor,
                                                         tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    path = folder / "2026年统计.xlsx"
    assert statistics.export_dashboard_xlsx(year_2026, supervisor, 2026, path) == path
    book = load_workbook(path)
    assert book.sheetnames == ["月度指标", "按渠道", "内容分类前十", "指标说明"]
    assert book["指标说明"]["A4"].value == "批次"
    months = book["月度指标"]
    assert "2026年" in str(months["A1"].value) and year_2026.settings.hall_name in str(months["A1"].value)
    assert months["A2"].value == "统计日期 2026年9月16日（星期三）"  # a date as people write it
    assert [c.value for c in months[3]][:3] == ["月份", "批次", "人次"]
    april = [c for c in months[7]]
    assert april[0].value == "4月" and april[1].value == 2
    assert april[12].value == 1.0 and april[12].number_format == "0.0%"  # 按期办结率
    assert months.cell(row=4, column=13).value == "—"  # January: nothing answered
    quarters = [[c.value for c in months[row]] for row in range(16, 20)]
    assert [q[0] for q in quarters] == ["第一季度", "第二季度", "第三季度", "第四季度"]
    assert [q[1] for q in quarters] == [2, 2, 0, 0] and quarters[0][9] == 0.5 and quarters[3][12] == "—"
    assert months.cell(row=16, column=1).font.bold and not months.cell(row=15, column=1).font.bold
    total = [c.value for c in months[20]]
    assert total[0] == "全年" and total[1] == 4 and months.cell(row=20, column=1).font.bold
    channels = book["按渠道"]
    assert channels["A4"].value == "走访" and channels["B4"].value == 3
    cells = " ".join(str(c.value) for sheet in book for row in sheet.iter_rows() for c in row)
    assert NAME not in cells and PHONE not in cells and ID_NUMBER not in cells
    [entry] = _audit(year_2026, AuditAction.EXPORT)
    assert entry.actor_id == supervisor.actor_id and '"year":2026' in entry.detail.replace(" ", "")
    assert str(folder) not in entry.detail and list(folder.iterdir()) == [path]  # no temp file left


def test_every_column_is_defined() -> None:
    for name in (*statistics.MONTH_HEADERS[1:], *statistics.CHANNEL_HEADERS[1:]):
        assert DEFINITIONS[name]


def test_export_never_overwrites_unless_asked(year_2026: Hall, supervisor: Actor, tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    path = folder / "统计.xlsx"
    path.write_bytes(b"earlier report")
    with pytest.raises(FileExistsError, match="已存在"):
        statistics.export_dashboard_xlsx(year_2026, supervisor, 2026, path)
    assert path.read_bytes() == b"earlier report" and list(folder.iterdir()) == [path]
    assert _audit(year_2026, AuditAction.EXPORT) == []
    statistics.export_dashboard_xlsx(year_2026, supervisor, 2026, path, overwrite=True)
    assert load_workbook(path)["月度指标"]["B20"].value == 4


def test_export_needs_the_export_permission(year_2026: Hall, tmp_path: Path) -> None:
    leader = Actor("staff:lingdao", "领导", "leader")  # may see the figures, may not export them
    assert statistics.year_dashboard(year_2026, leader, 2026).total.batches == 4
    with pytest.raises(PermissionDenied):
        statistics.export_dashboard_xlsx(year_2026, leader, 2026, tmp_path / "x.xlsx")
    assert not (tmp_path / "x.xlsx").exists()
    assert [r.actor_id for r in _audit(year_2026, AuditAction.PERMISSION_DENIED)] == [leader.actor_id]


def test_export_to_a_drive_without_hard_links(year_2026: Hall, supervisor: Actor, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    def no_links(source: object, target: object) -> None:
        raise PermissionError(1, "Operation not permitted")  # as on a FAT or exFAT USB stick

    monkeypatch.setattr(statistics.os, "link", no_links)
    folder = tmp_path / "usb"
    folder.mkdir()
    path = folder / "统计.xlsx"
    statistics.export_dashboard_xlsx(year_2026, supervisor, 2026, path)
    assert load_workbook(path)["月度指标"]["B20"].value == 4 and list(folder.iterdir()) == [path]
    with pytest.raises(FileExistsError):
        statistics.export_dashboard_xlsx(year_2026, supervisor, 2026, path)
    assert list(folder.iterdir()) == [path]


def test_indicators_at_their_boundaries_agree_with_the_domain(hall: Hall, clerk: Actor, supervisor: Actor,
                                                              clock: FakeClock) -> None:
    """The SQL of the statistics service on the days where each rule turns, on both databases.

    * P, 2026-05-11, exactly five persons (集体访): accepted on its 15-day limit, answered on its
      60-day limit — both on time.
    * Q, 2026-05-12, four persons: accepted the day after its limit, answered the day after its
      limit — both late.
    * R, 2026-08-09, undecided, its limit passed yesterday: due and late.
    * S, 2026-08-10, undecided, its limit is today: not yet due.
    """
    reps = tuple(PersonInput(name=f"代表{'甲乙'[i]}", document_number=valid_id(seq=600 + i)) for i in range(2))
    p = _register(hall, clerk, clock, date(2026, 5, 11), name="李梅", id_number=valid_id(seq=456),
                  request="反映村道损毁多年未修，要求修复", persons_count=5, representatives=reps)
    q = _register(hall, clerk, clock, date(2026, 5, 12), name="周芳", id_number=valid_id(seq=789),
                  request="反映邻里噪音纠纷", persons_count=4)
    p_due, q_due = (cases.load_case(hall, clerk, ref).view.route_due for ref in (p, q))
    assert p_due == date(2026, 5, 26) and q_due == date(2026, 5, 27)
    _on(clock, q_due + timedelta(days=1))
    _accept(hall, clerk, p, p_due)
    _accept(hall, clerk, q, q_due + timedelta(days=1))
    p_limit, q_limit = (cases.load_case(hall, clerk, ref).view.handling_due for ref in (p, q))
    assert p_limit is not None and q_limit is not None
    _on(clock, q_limit + timedelta(days=1))
    cases.answer(hall, clerk, p, outcome="予以支持", answered_on=p_limit)
    cases.answer(hall, clerk, q, outcome="解释说明", answered_on=q_limit + timedelta(days=1))
    r = _register(hall, clerk, clock, date(2026, 8, 9), name="王强", id_number=valid_id(seq=321),
                  request="反映小区停车位被占用")
    s = _register(hall, clerk, clock, date(2026, 8, 10), name="陈红", id_number=valid_id(seq=654),
                  request="反映学校周边交通拥堵")
    r_due, s_due = (cases.load_case(hall, clerk, ref).view.route_due for ref in (r, s))
    assert s_due is not None and r_due == s_due - timedelta(days=1)
    _on(clock, s_due)  # today: R is one day past its limit, S is on its last day

    board = statistics.year_dashboard(hall, supervisor, 2026)
    may, august = board.months[4].counts, board.months[7].counts
    assert (may.batches, may.persons, may.group_visits) == (2, 9, 1)
    assert (may.accepted, may.decisions_due, may.decided_on_time) == (2, 2, 1)
    assert (august.batches, august.decisions_due, august.decided_on_time) == (2, 1, 0)
    assert (board.total.answered, board.total.answered_on_time) == (2, 1)
    assert board.months[p_limit.month - 1].counts.answered_on_time == 1

    # The same figures from the domain's definitions, case by case.
    views = [cases.load_case(hall, clerk, ref).view for ref in (p, q, r, s)]
    today = clock.current.date()
    assert board.total.group_visits == sum(indicators.is_group_visit(v.persons_count) for v in views)
    assert board.total.decided_on_time == sum(indicators.decided_on_time(v.accepted_on, v.decision_due)
                                              for v in views)
    assert board.total.decisions_due == sum(v.accepted_on is not None or (v.decision_due is not None
                                                                          and v.decision_due < today)
                                            for v in views)
    assert board.total.answered_on_time == sum(indicators.answered_on_time(v.answered_on, v.handling_due)
                                               for v in views)


def test_a_year_runs_from_its_first_day_to_its_last(hall: Hall, clerk: Actor, supervisor: Actor,
                                                    clock: FakeClock) -> None:
    """Visits count in the year of receipt and answers in the year of the answer, both ends included."""
    people = iter(range(700, 800))

    def visit(day: date, request: str) -> str:
        return _register(hall, clerk, clock, day, name="王强", id_number=valid_id(seq=next(people)),
                         request=request)

    def answered(ref: str, accepted: date, answered_on: date) -> None:
        _on(clock, answered_on)
        _accept(hall, clerk, ref, accepted)
        cases.answer(hall, clerk, ref, outcome="予以支持", answered_on=answered_on)

    answered(visit(date(2025, 12, 31), "反映小区路灯不亮"), date(2025, 12, 31), date(2026, 1, 1))
    answered(visit(date(2026, 1, 1), "反映村道损毁多年未修"), date(2026, 1, 2), date(2026, 12, 31))
    answered(visit(date(2026, 12, 31), "反映邻里噪音纠纷"), date(2026, 12, 31), date(2027, 1, 1))
    visit(date(2027, 1, 1), "反映学校周边交通拥堵")
    _on(clock, date(2027, 1, 5))

    years = {year: statistics.year_dashboard(hall, supervisor, year) for year in (2025, 2026, 2027)}
    assert [(b.total.batches, b.total.answered) for b in years.values()] == [(1, 0), (2, 2), (1, 1)]
    january, december = years[2026].months[0].counts, years[2026].months[11].counts
    assert (january.batches, january.answered, december.batches, december.answered) == (1, 1, 1, 1)
    assert statistics.years_with_data(hall, supervisor) == [2027, 2026, 2025]
