"""The deadline board's counts and list, where the supervision service computes them."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from desktop.domain.deadlines import days_left_in_words
from desktop.domain.roles import PermissionDenied
from desktop.services import supervision
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
