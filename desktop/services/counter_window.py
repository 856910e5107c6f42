"""本机窗口号: the counter PC's own window in the hall queue (setting ``queue_window``), set from the counter.

It is a setting of the PC, so an administrator's (``MANAGE_SETTINGS``) — and administrators do not sign in at a
counter. The clerk asks one to come over: the administrator types their own account and password into the
counter's dialog, checked as a sign-in is (wrong tries counted and locked alike, audited as 登录 or 登录失败);
the number is then written to this PC's settings file, put in force at once (the queue strip appears without a
restart) and audited as 修改设置 by the administrator, naming the clerk at whose counter it was done.

What can be known of the hall's windows is offered with it: the windows the window types name, what each calls,
and the windows that have called a number today — another PC's, most likely, since this one has none.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select

from db.models import QueueTicketRow
from desktop.config import store_setting, with_values
from desktop.domain.access import Actor, Permission
from desktop.domain.audit import AuditAction
from desktop.domain.errors import RuleViolation
from desktop.domain.queue import (
    FIRST_WINDOW,
    LAST_WINDOW,
    WindowType,
    hall_windows,
    window_number,
    window_serves_words,
)
from desktop.services import accounts, queue
from desktop.services.audit import audit, guard
from desktop.services.context import Hall

#: The audit entry's object: the setting's name, as every setting change names what it changed.
AUDIT_TARGET = "queue_window"


@dataclass(frozen=True)
class WindowChoices:
    """What the dialog shows: this PC's number (0: none), the hall's windows and the ones calling today."""

    current: int
    types: list[WindowType]
    windows: dict[int, tuple[str, ...]]  # the windows the types name → the types' names called there
    called_today: dict[int, str] = field(default_factory=dict)  # window → its last call today, 10:32

    def listed(self) -> list[int]:
        """The windows worth listing: those the types name and those a number was called to today."""
        return sorted(set(self.windows) | set(self.called_today))

    def first_free(self) -> int:
        """The number to offer: this PC's, else the first listed window nobody called at today, else the
        lowest number nobody called at today."""
        if self.current:
            return self.current
        free = [w for w in self.windows if w not in self.called_today]
        return free[0] if free else next(w for w in range(FIRST_WINDOW, LAST_WINDOW + 1)
                                         if w not in self.called_today)

    def serves(self, window: int) -> str:
        """What ``window`` calls, in words (or that nothing would be called there)."""
        return window_serves_words(window, self.types)

    def in_use(self, window: int) -> str:
        """Whether another PC seems to be window ``window`` already, in words ("" when nothing says so)."""
        if window == self.current or window not in self.called_today:
            return ""
        return (f"今天{self.called_today[window]}已有号码叫到{window}号窗口：这个窗口号可能已经是另一台电脑的，"
                "请核对，不要两台电脑用同一个窗口号")


def window_choices(hall: Hall) -> WindowChoices:
    """This PC's window number and what is known of the hall's windows (numbers and type names only)."""
    types = queue.all_window_types(hall)
    with hall.sessions() as session:
        rows = session.execute(
            select(QueueTicketRow.window, func.max(QueueTicketRow.called_at))
            .where(QueueTicketRow.day == hall.today().isoformat(), QueueTicketRow.window.is_not(None),
                   QueueTicketRow.called_at.is_not(None))
            .group_by(QueueTicketRow.window))
        called = {int(w): f"{datetime.fromisoformat(at):%H:%M}" for w, at in rows if w is not None and at}
    return WindowChoices(hall.settings.queue_window, types, hall_windows(types), called)


def set_window_number(hall: Hall, at_counter: Actor, window: int | str, *, login: str, password: str) -> int:
    """Make ``window`` this PC's window number on an administrator's account and password; in force at once.

    ``at_counter`` is whoever is signed in at the counter (named in the audit entry). Refused in words: a number
    outside 1–99, a wrong password (counted as a sign-in's), an account that may not change settings; a change of
    a number already set while a ticket called to it is not finished, and the number the PC already has.
    """
    number = window_number(window)
    if "PH_QUEUE_WINDOW" in {key.upper() for key in os.environ}:
        raise RuleViolation("queue_window_fixed", "本机的窗口号由程序的启动方式固定（环境变量），不能在这里修改，"
                                                  "请系统管理员修改本机的启动设置")
    # the password checked as a sign-in's (no window: a clerk who types their own is told they lack the right)
    admin = accounts.sign_in(hall, login, password).actor
    guard(hall, admin, Permission.MANAGE_SETTINGS, "设置本机窗口号", AUDIT_TARGET)
    before = hall.settings.queue_window
    if before == number:
        raise RuleViolation("queue_window_same", f"本机已经是{number}号窗口，没有改动")
    if before:  # the visitor called here is served here: the strip would lose them
        open_number = queue.open_ticket_number(hall, before)
        if open_number:
            raise RuleViolation("queue_window_busy", f"本窗口的 {open_number} 号还没有办结：请先办结、过号或转窗口，"
                                                     "再更改窗口号")
    store_setting("queue_window", number)
    hall.use_settings(with_values(hall.settings, {"queue_window": number}))
    was = f"{before}号窗口" if before else "未设置"
    with hall.transaction() as session:
        audit(session, hall, admin, AuditAction.SETTING_CHANGED, AUDIT_TARGET,
              {"message": f"本机窗口号由{was}改为{number}号窗口（在{at_counter.display_name}的接待窗口设置）",
               "from": before, "to": number})
    return number


__all__ = ["AUDIT_TARGET", "WindowChoices", "set_window_number", "window_choices"]
