"""The deadline board's counts and list, where the supervision service computes them."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from desktop.domain.deadlines import ROUTE, UNIT_NOTIFY, days_left_in_words
from desktop.domain.events import EventType
from desktop.domain.roles import PermissionDenied
from desktop.services import cases, supervision
from desktop.services.context import Actor, Hall
from desktop.services.registration import register_visit
from desktop.services.self_service import rate_case
from tests.conftest import FakeClock
from tests.helpers import form, valid_id
from tests.services.test_self_service import KIOSK, _answered

CLERK = Actor("staff:test", "测试", "clerk")


def test_the_board_says_when_its_counts_hold_more_cases_than_it_lists(
        hall: Hall, clock: FakeClock, supervisor: Actor) -> None:
    for day in (1, 2, 3):
        clock.current = datetime(2026, 9, day, 10, 0)
        register_visit(hall, CLERK, form(request=f"反映小区电梯失修（第{day}件）"))
    clock.current = datetime(2026, 9, 22, 9, 0)  # each 15-day limit to decide on acceptance has passed
    board = supervision.deadline_board(hall, supervisor)
    assert (board.backlog.overdue, len(board.due), board.not_listed) == (3, 3, 0)
    assert [days_left_in_words(d.days_left) for d in board.due] == ["超期6天", "超期5天", "超期4天"]
    short = supervision.deadline_board(hall, supervisor, limit=2)
    assert [d.next_due for d in short.due] == [date(2026, 9, 16), date(2026, 9, 17)]  # the most urgent first
    assert short.not_listed == 1


def test_a_limit_due_the_day_after_the_national_day_holiday_is_due_soon_on_the_last_day_before(
        hall: Hall, clock: FakeClock, supervisor: Actor) -> None:
    clock.current = datetime(2026, 9, 22, 10, 0)  # 15 days on is 7 October, within the holiday
    case = register_visit(hall, CLERK, form())
    clock.current = datetime(2026, 9, 30, 17, 0)  # the last working day before the holiday
    board = supervision.deadline_board(hall, supervisor)
    (due,) = [d for d in board.due if d.case_number == case.case_number]  # 8 days on, yet due the next working day
    assert due.next_due == case.route_deadline.due == date(2026, 10, 8)
    assert days_left_in_words(due.days_left) == "剩8天" and board.backlog.due_within_week == 1
    clock.current = datetime(2026, 10, 8, 9, 0)
    (due,) = [d for d in supervision.deadline_board(hall, supervisor).due if d.case_number == case.case_number]
    assert days_left_in_words(due.days_left) == "今天到期"
    assert supervision.backlog(hall, supervisor).overdue == 0


def test_the_dissatisfied_list_counts_every_case_rated_so_not_only_those_it_lists(
        hall: Hall, clerk: Actor, supervisor: Actor) -> None:
    for seq in (1, 2, 3):
        case = _answered(hall, clerk, id_number=valid_id(seq=seq))
        rate_case(hall, KIOSK, case.case_number, case.query_code, "不满意", f"第{seq}件没有回应诉求")
    happy = _answered(hall, clerk, id_number=valid_id(seq=9))
    rate_case(hall, KIOSK, happy.case_number, happy.query_code, "满意")
    found = supervision.dissatisfied_list(hall, supervisor, limit=2)
    assert (found.total, len(found.listed), found.not_listed) == (3, 2, 1)  # “共 500 件” was the list's length
    assert [d.reason for d in found.listed] == ["第3件没有回应诉求", "第2件没有回应诉求"]  # the newest first
    assert supervision.dissatisfied_list(hall, supervisor).not_listed == 0
    with pytest.raises(PermissionDenied):
        supervision.dissatisfied_list(hall, KIOSK)


def _transferred(hall: Hall, clock: FakeClock, received: date, routed: date, seq: int) -> str:
    clock.current = datetime.combine(received, datetime.min.time()).replace(hour=10)
    number = register_visit(hall, CLERK, form(id_number=valid_id(seq=seq))).case_number
    cases.classify(hall, CLERK, number, nature="申诉求决类", topic_code="0101")
    clock.current = datetime.combine(routed, datetime.min.time()).replace(hour=10)
    cases.record(hall, CLERK, number, EventType.TRANSFERRED, {"route_kind": "转送", "organisation_code": "330726-ZJJ"})
    return number


def test_a_case_transferred_in_time_waits_on_the_units_limit_from_the_day_of_the_transfer(
        hall: Hall, clock: FakeClock, supervisor: Actor) -> None:
    """Received 11-19 (the bureau's limit 12-04), transferred 11-25: on 12-09 the unit has until 12-10. Received
    11-01 (limit 11-16), transferred 11-20, late: the unit's limit (12-05, a Saturday: 12-07) has passed, and the
    board still says the bureau's transfer was late."""
    in_time = _transferred(hall, clock, date(2026, 11, 19), date(2026, 11, 25), seq=41)
    late = _transferred(hall, clock, date(2026, 11, 1), date(2026, 11, 20), seq=42)
    clock.current = datetime(2026, 12, 9, 9, 0)
    board = supervision.deadline_board(hall, supervisor)
    rows = {d.case_number: d for d in board.due}
    assert (rows[in_time].next_due, days_left_in_words(rows[in_time].days_left)) == (date(2026, 12, 10), "剩1天")
    assert rows[in_time].basis == UNIT_NOTIFY.name == "接收单位告知期限"
    assert (rows[late].next_due, days_left_in_words(rows[late].days_left)) == (date(2026, 12, 7), "超期2天")
    assert rows[late].basis == "接收单位告知期限（转送逾期4天）"
    assert (board.backlog.overdue, board.backlog.due_within_week) == (1, 1)
    shown = cases.load_case(hall, supervisor, in_time)
    assert shown.due_level == "soon"
    assert shown.due_now == "当前期限：接收单位告知期限 2026年12月10日（星期四），剩1天"
    assert cases.load_case(hall, supervisor, late).due_now.endswith("超期2天（本机关转送逾期4天）")
    route = next(d for d in cases.load_case(hall, supervisor, late).deadlines if d.rule is ROUTE)
    assert "实际转送、交办日：2026年11月20日（星期五），逾期4天" in route.explain()
