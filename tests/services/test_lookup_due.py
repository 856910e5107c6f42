"""The case search narrowed to overdue or due-soon cases, by the deadline board's own rule."""

from __future__ import annotations

from datetime import date, datetime

from desktop.domain.access import Role
from desktop.domain.events import EventType
from desktop.services import cases, supervision
from desktop.services.context import Actor, Hall
from desktop.services.due import DueFilter
from desktop.services.lookup import MatchKind, SearchResult, search_cases
from desktop.services.registration import register_visit
from tests.conftest import FakeClock
from tests.helpers import form, valid_id
from tests.services.test_self_service import _answered
from tests.services.test_supervision import _transferred

OVERDUE, SOON = DueFilter.OVERDUE, DueFilter.DUE_SOON


def _numbers(result: SearchResult) -> list[str]:
    return [c.case_number for c in result.cases]


def _register(hall: Hall, clerk: Actor, clock: FakeClock, day: date, seq: int, **kwargs: object) -> str:
    clock.current = datetime.combine(day, datetime.min.time()).replace(hour=10)
    return register_visit(hall, clerk, form(id_number=valid_id(seq=seq), **kwargs)).case_number  # type: ignore[arg-type]


def test_alone_it_lists_the_boards_cases_most_urgent_first_and_counts_them(
        hall: Hall, clerk: Actor, supervisor: Actor, clock: FakeClock) -> None:
    late = [_register(hall, clerk, clock, date(2026, 9, d), 10 + d, name="张三") for d in (3, 1, 2)]
    soon = _register(hall, clerk, clock, date(2026, 9, 10), 20, name="李四")  # 15 days on: 9-25, 中秋节: due 9-28
    later = _register(hall, clerk, clock, date(2026, 9, 21), 21, name="张三")  # 10-8, after 国庆
    clock.current = datetime(2026, 9, 22, 9, 0)
    overdue = search_cases(hall, clerk, "", due=OVERDUE)
    assert _numbers(overdue) == [late[1], late[2], late[0]]  # 9-16, 9-17, 9-18: the most overdue first
    assert [c.due_words for c in overdue.cases] == ["超期6天", "超期5天", "超期4天"]
    assert (overdue.total, overdue.more, overdue.kind) == (3, False, MatchKind.DUE)
    assert {c.due_level for c in overdue.cases} == {"overdue"}
    due_soon = search_cases(hall, clerk, "", due=SOON)
    assert (_numbers(due_soon), due_soon.total) == ([soon], 1)
    assert due_soon.cases[0].due_words == "剩6天" and due_soon.cases[0].due_level == "soon"
    board = supervision.backlog(hall, supervisor)
    assert (board.overdue, board.due_within_week) == (overdue.total, due_soon.total)
    page = search_cases(hall, clerk, "", limit=2, due=OVERDUE)
    assert (len(page.cases), page.total, page.more) == (2, 3, True)
    assert page.headline == "显示超期最久的 2 件，共 3 件"
    everything = search_cases(hall, clerk, "张三")
    assert _numbers(everything)[0] == later and everything.cases[0].due_words == "剩16天"  # said without a filter
    assert search_cases(hall, clerk, "").cases == []  # no query, no filter: nothing, as before


def test_with_a_query_only_that_persons_cases_by_the_deadline(
        hall: Hall, clerk: Actor, clock: FakeClock) -> None:
    late = _register(hall, clerk, clock, date(2026, 9, 1), 31, name="王建国", phone="13857911111")
    _register(hall, clerk, clock, date(2026, 9, 15), 31, name="王建国", phone="13857911111")
    _register(hall, clerk, clock, date(2026, 9, 2), 32, name="赵六")
    clock.current = datetime(2026, 9, 22, 9, 0)
    for query in ("王建国", "wjg", valid_id(seq=31), "13857911111", late, valid_id(seq=31)[-6:], "反映"):
        found = search_cases(hall, clerk, query, due=OVERDUE)
        expected = [late] if query != "反映" else [late, _numbers(search_cases(hall, clerk, "赵六"))[0]]
        assert _numbers(found) == expected, query
    name = search_cases(hall, clerk, "王建国", due=OVERDUE)
    assert (name.total, name.kind, name.headline) == (1, MatchKind.NAME, "共 1 件")
    # the person has cases, none due soon: said so, not read as a phrase or a name of the same sound
    none = search_cases(hall, clerk, "王建国", due=SOON)
    assert (none.cases, none.kind, none.note, none.headline) == ([], MatchKind.NAME, "", "未找到相符的临近期限事项")
    assert search_cases(hall, clerk, "", due=SOON).headline == "没有临近期限的事项"


def test_across_the_national_day_holiday_due_soon_then_overdue(hall: Hall, clerk: Actor, clock: FakeClock) -> None:
    number = _register(hall, clerk, clock, date(2026, 9, 22), 40)  # 15 days on is 7 October: due 8 October
    clock.current = datetime(2026, 9, 30, 17, 0)  # 8 days before, the last working day before the holiday
    assert _numbers(search_cases(hall, clerk, "", due=SOON)) == [number]
    assert search_cases(hall, clerk, "", due=SOON).cases[0].due_words == "剩8天"
    clock.current = datetime(2026, 9, 29, 17, 0)  # 9 days before: the 7th day on (10-6) is a holiday, moved to 10-8
    assert _numbers(search_cases(hall, clerk, "", due=SOON)) == [number]
    clock.current = datetime(2026, 9, 25, 17, 0)  # 9-25 + 7 = 10-2, moved past the holiday to 10-8 as well
    assert search_cases(hall, clerk, "", due=SOON).total == 1
    clock.current = datetime(2026, 9, 24, 17, 0)  # 9-24 + 7 = 10-1 moves to 10-8 too: the whole holiday
    assert search_cases(hall, clerk, "", due=SOON).total == 1
    clock.current = datetime(2026, 9, 18, 17, 0)  # 9-25 (中秋节) moves to 9-28 only: 10-8 is not within it
    assert search_cases(hall, clerk, "", due=SOON).total == 0
    clock.current = datetime(2026, 10, 8, 9, 0)
    today = search_cases(hall, clerk, "", due=SOON)
    assert (_numbers(today), today.cases[0].due_words) == ([number], "今天到期")
    assert search_cases(hall, clerk, "", due=OVERDUE).total == 0
    clock.current = datetime(2026, 10, 9, 9, 0)
    late = search_cases(hall, clerk, "", due=OVERDUE)
    assert (_numbers(late), late.cases[0].due_words) == ([number], "超期1天")


def test_a_transferred_case_waits_on_the_units_limit_and_a_concluded_one_is_never_due(
        hall: Hall, clerk: Actor, clock: FakeClock) -> None:
    in_time = _transferred(hall, clock, date(2026, 11, 19), date(2026, 11, 25), seq=41)  # the unit's limit 12-10
    late = _transferred(hall, clock, date(2026, 11, 1), date(2026, 11, 20), seq=42)  # the unit's limit 12-07
    clock.current = datetime(2026, 10, 1, 10, 0)
    concluded = _answered(hall, clerk, id_number=valid_id(seq=43)).case_number  # received long before: answered
    clock.current = datetime(2026, 12, 9, 9, 0)  # the bureau's own 15 days (12-04) have passed for in_time
    assert _numbers(search_cases(hall, clerk, "", due=OVERDUE)) == [late]
    assert _numbers(search_cases(hall, clerk, "", due=SOON)) == [in_time]
    unit = search_cases(hall, clerk, "浦江县住房和城乡建设局", due=OVERDUE)
    assert (_numbers(unit), unit.kind, unit.total) == ([late], MatchKind.UNIT, 1)
    assert search_cases(hall, clerk, concluded, due=OVERDUE).cases == []
    assert search_cases(hall, clerk, concluded).cases[0].due_words == ""
    # 转送异议 hands the case back to the bureau's limit (12-04): now it is overdue
    cases.record(hall, clerk, in_time, EventType.OBJECTED, {"reason": "不属于本单位职责"})
    assert _numbers(search_cases(hall, clerk, "", due=OVERDUE)) == [in_time, late]


def test_hidden_accusations_are_neither_listed_nor_counted(
        hall: Hall, clerk: Actor, supervisor: Actor, clock: FakeClock) -> None:
    numbers = []
    for seq in range(3):
        number = _register(hall, clerk, clock, date(2026, 9, 1 + seq), 90 + seq, name="欧阳建华",
                           request=f"举报县住建局某科长索要好处费{seq}")
        if seq < 2:
            cases.classify(hall, supervisor, number, nature="检举控告类", topic_code="1202",
                           accused_org_codes=["330726-ZJJ"])
        numbers.append(number)
    clock.current = datetime(2026, 9, 22, 9, 0)
    accused = Actor("staff:zjj", "住建局干部", Role.SUPERVISOR, org_code="330726-ZJJ")
    for query in ("", "欧阳建华", "索要好处费"):
        found = search_cases(hall, accused, query, due=OVERDUE)
        assert (_numbers(found), found.total) == ([numbers[2]], 1), query
    assert search_cases(hall, clerk, "", due=OVERDUE).total == 3  # withheld content, yet listed by deadline
    assert _numbers(search_cases(hall, clerk, "索要好处费", due=OVERDUE)) == [numbers[2]]  # not by its words
