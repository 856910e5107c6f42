"""What the call display announces: each call once, in the order it was made.

A call (every call and recall has a ``call_id`` of its own) is announced and flashed the
first time a board shows it. The first board a display reads only sets the scene —
restarting the display must not call everybody on the screen again — and a call older
than :data:`ANNOUNCE_WITHIN` when it first appears (the display was cut off while it was
made) is shown but not announced: the visitor has long been called by the window.
"""

from __future__ import annotations

from datetime import date, timedelta

from desktop.domain.queue import Call, QueueBoard

ANNOUNCE_WITHIN = timedelta(minutes=1)

WEEKDAYS = "一二三四五六日"


def board_calls(board: QueueBoard) -> tuple[Call, ...]:
    """The calls a board shows, oldest first (``recent`` comes newest first, ``current`` is the latest)."""
    return (*reversed(board.recent), *((board.current,) if board.current is not None else ()))


def call_ids(board: QueueBoard) -> frozenset[str]:
    return frozenset(call.call_id for call in board_calls(board))


def calls_to_announce(board: QueueBoard, seen: frozenset[str] | None, *,
                      within: timedelta = ANNOUNCE_WITHIN) -> tuple[Call, ...]:
    """The calls of ``board`` to announce, oldest first, given the ids of the board shown before.

    ``seen`` is None for the display's first board: nothing is announced then.
    """
    if seen is None:
        return ()
    return tuple(call for call in board_calls(board)
                 if call.call_id not in seen and board.as_of - call.called_at <= within)


CALLING = "正在叫号"
PASSED = "过号"


def headline(call: Call) -> str:
    """The words above the number on the display's main panel: what is happening to it now.

    A number passed over (过号) is no longer being called: read from across the hall, 正在叫号 above it sent
    its visitor — and everybody else — looking for a window that had moved on.
    """
    return PASSED if call.missed else CALLING


def day_in_words(day: date) -> str:
    """2026年12月15日 星期二."""
    return f"{day.year}年{day.month}月{day.day}日 星期{WEEKDAYS[day.weekday()]}"


def reception_day_in_words(day: date | None, today: date) -> str:
    """The line about the next leaders' reception day (empty when the board has none)."""
    if day is None:
        return ""
    if day == today:
        return "今天是领导接访日"
    return f"下一个领导接访日：{day_in_words(day)}"
