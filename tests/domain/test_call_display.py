"""Which calls the display announces, in which order; the words of its date lines."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

from desktop.domain.call_display import (
    board_calls,
    call_ids,
    calls_to_announce,
    day_in_words,
    headline,
    reception_day_in_words,
)
from desktop.domain.queue import Call, QueueBoard, TicketState, announcement, missed_note

NOW = datetime(2026, 12, 5, 10, 0, 0)


def call(call_id: str, number: str, window: int, seconds_ago: float = 0) -> Call:
    return Call(call_id, number, window, NOW - timedelta(seconds=seconds_ago))


def board(*calls: Call, as_of: datetime = NOW) -> QueueBoard:
    """``calls`` oldest first, as they were made."""
    newest_first = tuple(reversed(calls))
    return QueueBoard("大厅", as_of, newest_first[0] if calls else None, newest_first[1:])


def test_the_board_lists_its_calls_oldest_first() -> None:
    a, b, c = call("1", "A001", 1, 30), call("2", "A002", 2, 20), call("3", "B001", 3, 10)
    assert board_calls(board(a, b, c)) == (a, b, c)
    assert call_ids(board(a, b, c)) == {"1", "2", "3"}
    assert board_calls(board()) == ()


def test_the_first_board_is_shown_without_announcing_anyone() -> None:
    assert calls_to_announce(board(call("1", "A001", 1, 5)), None) == ()


def test_only_calls_not_seen_before_are_announced_in_the_order_made() -> None:
    a, b, c = call("1", "A001", 1, 30), call("2", "A002", 2, 20), call("3", "B001", 3, 10)
    assert calls_to_announce(board(a, b, c), frozenset({"1"})) == (b, c)
    assert calls_to_announce(board(a, b, c), frozenset({"1", "2", "3"})) == ()


def test_a_recall_is_a_new_call_and_is_announced_again() -> None:
    first = call("1", "A001", 3, 40)
    again = call("2", "A001", 3, 1)
    assert calls_to_announce(board(first, again), call_ids(board(first))) == (again,)


def test_a_call_made_while_the_display_was_cut_off_is_shown_but_not_announced() -> None:
    old, fresh = call("1", "A001", 1, 600), call("2", "A002", 2, 5)
    assert calls_to_announce(board(old, fresh), frozenset()) == (fresh,)
    assert calls_to_announce(board(call("3", "A003", 1, 60)), frozenset()) != ()


def test_the_words_spoken_and_the_date_lines() -> None:
    assert announcement(call("1", "A012", 3)) == "请 A012 号到 3 号窗口"
    assert day_in_words(date(2026, 12, 15)) == "2026年12月15日 星期二"
    assert reception_day_in_words(date(2026, 12, 15), date(2026, 12, 5)) == "下一个领导接访日：2026年12月15日 星期二"
    assert reception_day_in_words(date(2026, 12, 15), date(2026, 12, 15)) == "今天是领导接访日"
    assert reception_day_in_words(None, date(2026, 12, 5)) == ""


def test_the_headline_says_a_number_passed_over_is_no_longer_called() -> None:
    called = call("1", "A001", 3)
    assert headline(called) == "正在叫号"
    for note in (missed_note(TicketState.WAITING), missed_note(TicketState.NO_SHOW)):
        assert headline(replace(called, missed=note)) == "过号"
