"""设置本机窗口号 at a counter without a window number: words, not a settings file; an administrator confirms;
the queue strip comes at once, and the change is in the audit log."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop.config import settings_file
from desktop.domain.access import Role
from desktop.domain.audit import AuditAction
from desktop.domain.errors import ValidationError
from desktop.domain.queue import TicketSource, window_number
from desktop.services import queue
from desktop.services.audit import AuditQuery, list_audit
from desktop.services.context import Actor, Hall
from tests.ui.conftest import MakeAccount
from ui.counter.window_number import WindowNumberDialog
from ui.counter.work import CounterWork
from ui.shell.context import WorkContext

Context = Callable[..., WorkContext]


@pytest.fixture
def counter(qtbot: QtBot, sqlite_hall: Hall, work_context: Context, clerk: Actor) -> CounterWork:
    work = CounterWork(work_context(clerk))
    qtbot.addWidget(work)
    work.resize(1366, 723)
    work.show()
    return work


def name_windows(hall: Hall) -> None:
    """The hall's types name their windows: 综合接待 at 1–3, 领导接访 at 5 (the others at every window)."""
    for t in queue.all_window_types(hall):
        windows = {"general": (1, 2, 3), "leader": (5,)}.get(t.code)
        if windows:
            queue.save_window_type(hall, Actor.system(), replace(t, windows=windows))


def open_dialog(qtbot: QtBot, counter: CounterWork) -> WindowNumberDialog:
    assert counter.set_window_button is not None and counter.set_window_button.isVisible()
    qtbot.mouseClick(counter.set_window_button, Qt.MouseButton.LeftButton)
    dialog = counter.window_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.choices is not None, timeout=10_000)
    return dialog


def test_the_clerk_reads_words_not_a_settings_file(counter: CounterWork) -> None:
    assert counter.queue is None and counter.queue_hint is not None
    text = counter.queue_hint.text()
    assert text.startswith("本机未设置窗口号，不显示排队叫号")
    assert "请系统管理员设置本机窗口号" in text and "无需重新启动程序" in text
    for internal in (str(settings_file()), "queue_window", "PH_QUEUE_WINDOW", "settings.json", "\"", "{"):
        assert internal not in text
    assert counter.set_window_button is not None and counter.set_window_button.text() == "设置本机窗口号"


def test_an_administrator_sets_the_window_and_the_queue_comes_without_a_restart(
        qtbot: QtBot, counter: CounterWork, sqlite_hall: Hall, make_account: MakeAccount) -> None:
    name_windows(sqlite_hall)
    password = make_account("guanli", "李管理", Role.ADMIN)
    queue.issue_ticket(sqlite_hall, type_code="general", source=TicketSource.KIOSK)
    queue.call_next(sqlite_hall, window=1)  # another PC is window 1 today
    dialog = open_dialog(qtbot, counter)
    table = dialog.windows
    assert [table.item(r, 0).text() for r in range(table.rowCount())] == ["1号", "2号", "3号", "5号"]
    assert "综合接待" in table.item(0, 1).text() and "领导接访" in table.item(3, 1).text()
    assert "叫过号" in table.item(0, 2).text() and table.item(1, 2).text() == "今天未叫号"
    assert dialog.number.value() == 2  # the first window nobody called at today
    dialog.number.setValue(1)
    assert "可能已经是另一台电脑的" in dialog.serves.text()
    dialog.number.setValue(5)
    assert dialog.serves.text().startswith("5号窗口办理：") and "领导接访" in dialog.serves.text()

    dialog.login.setText("guanli")
    dialog.password.setText(password)
    with qtbot.waitSignal(dialog.window_set, timeout=10_000) as done:
        qtbot.mouseClick(dialog.submit_button, Qt.MouseButton.LeftButton)
    assert done.args == [5]
    bar = counter.queue
    assert bar is not None and bar.window_number == 5  # in force now: no restart
    qtbot.waitUntil(lambda: bar.view is not None, timeout=10_000)
    assert counter.no_window is None and counter.layout().itemAt(0).widget() is bar
    assert "已将本机设为5号窗口" in bar.message.text()
    assert sqlite_hall.settings.queue_window == 5
    assert json.loads(settings_file().read_text(encoding="utf-8"))["queue_window"] == 5
    entries = list_audit(sqlite_hall, Actor.system(), AuditQuery(action=AuditAction.SETTING_CHANGED.value))
    assert entries[0].actor_name == "李管理" and entries[0].target == "queue_window"
    assert "改为5号窗口" in entries[0].detail["message"] and "王丽" in entries[0].detail["message"]


def test_a_clerk_or_supervisor_cannot_set_it(qtbot: QtBot, counter: CounterWork, sqlite_hall: Hall,
                                             make_account: MakeAccount) -> None:
    clerk_password = make_account("wangli", "王丽", Role.CLERK)
    supervisor_password = make_account("zhaomin", "赵敏", Role.SUPERVISOR)
    dialog = open_dialog(qtbot, counter)
    dialog.number.setValue(4)
    for login, password, said in (("wangli", clerk_password, "王丽（接待窗口工作人员）没有“修改设置”权限"),
                                  ("zhaomin", supervisor_password, "赵敏（督查人员）没有“修改设置”权限"),
                                  ("nobody", "wrong-password", "账号或密码不正确")):
        dialog.login.setText(login)
        dialog.password.setText(password)
        qtbot.mouseClick(dialog.submit_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: not dialog.tasks.busy and dialog.message.text() != "正在核验并保存……",
                        timeout=10_000)
        assert said in dialog.message.text(), dialog.message.text()
        assert dialog.password.text() == ""
    assert dialog.isVisible() and counter.queue is None and sqlite_hall.settings.queue_window == 0
    assert not settings_file().exists() or "queue_window" not in settings_file().read_text(encoding="utf-8")
    dialog.reject()


@pytest.mark.parametrize("typed", ["0", "100", "-3", "三", "", "2.5"])
def test_a_window_number_is_a_whole_number_from_1_to_99(typed: str) -> None:
    with pytest.raises(ValidationError, match="1–99"):
        window_number(typed)
    assert window_number(" 7 ") == 7 and window_number(99) == 99


def test_with_no_window_named_the_windows_called_today_are_listed(qtbot: QtBot, counter: CounterWork,
                                                                  sqlite_hall: Hall) -> None:
    for _ in range(2):
        queue.issue_ticket(sqlite_hall, type_code="general", source=TicketSource.KIOSK)
    queue.call_next(sqlite_hall, window=3)
    queue.call_next(sqlite_hall, window=1)
    dialog = open_dialog(qtbot, counter)
    table = dialog.windows
    assert [table.item(r, 0).text() for r in range(table.rowCount())] == ["1号", "3号"]
    assert table.item(0, 1).text() == "不限窗口的业务" and "叫过号" in table.item(1, 2).text()
    assert dialog.windows_title.text().startswith("窗口类型中没有写窗口号，每个窗口都办理：综合接待")
    assert dialog.number.value() == 2  # the lowest number nobody called at today
    assert dialog.serves.text().startswith("2号窗口办理：综合接待")
    table.selectRow(1)
    assert dialog.number.value() == 3 and "可能已经是另一台电脑的" in dialog.serves.text()
    dialog.reject()


def test_a_number_set_wrong_is_changed_from_the_strip_once_its_visitor_is_served(
        qtbot: QtBot, counter: CounterWork, sqlite_hall: Hall, make_account: MakeAccount) -> None:
    """A number set wrong at the first start could only be put right in the settings file: the strip's own
    window number opens the same dialog; while a number called here is not finished the change is refused (the
    visitor would be lost from the strip), and once it is the strip becomes the new window's, without a restart."""
    password = make_account("guanli", "李管理", Role.ADMIN)

    def confirm(dialog: WindowNumberDialog, window: int, *, refused: bool = True) -> None:
        dialog.number.setValue(window)
        dialog.login.setText("guanli")
        dialog.password.setText(password)
        qtbot.mouseClick(dialog.submit_button, Qt.MouseButton.LeftButton)
        if refused:
            qtbot.waitUntil(lambda: not dialog.tasks.busy and dialog.message.text() != "正在核验并保存……",
                            timeout=10_000)

    first = open_dialog(qtbot, counter)
    with qtbot.waitSignal(first.window_set, timeout=10_000):
        confirm(first, 3, refused=False)
    bar = counter.queue
    assert bar is not None and bar.window_button.text() == "3 号窗口"
    queue.issue_ticket(sqlite_hall, type_code="general", source=TicketSource.KIOSK)
    called = queue.call_next(sqlite_hall, window=3)
    assert called is not None

    qtbot.mouseClick(bar.window_button, Qt.MouseButton.LeftButton)
    dialog = counter.window_dialog
    assert dialog is not None and dialog is not first
    qtbot.waitUntil(lambda: dialog.choices is not None, timeout=10_000)
    assert dialog.windowTitle() == "更改本机窗口号" and "本机现在是3号窗口" in dialog.intro.text()
    assert dialog.number.value() == 3
    confirm(dialog, 3)
    assert "本机已经是3号窗口" in dialog.message.text()
    confirm(dialog, 4)
    assert f"本窗口的 {called.number} 号还没有办结" in dialog.message.text() and dialog.isVisible()
    assert sqlite_hall.settings.queue_window == 3 and counter.queue is bar

    queue.act(sqlite_hall, called.ticket_id, queue.QueueAction.FINISH, window=3)
    with qtbot.waitSignal(dialog.window_set, timeout=10_000):
        confirm(dialog, 4, refused=False)
    new = counter.queue
    assert new is not None and new is not bar and new.window_number == 4 and new.window_button.text() == "4 号窗口"
    assert counter.layout().itemAt(0).widget() is new and "已将本机设为4号窗口" in new.message.text()
    assert sqlite_hall.settings.queue_window == 4
    entries = list_audit(sqlite_hall, Actor.system(), AuditQuery(action=AuditAction.SETTING_CHANGED.value))
    assert "由3号窗口改为4号窗口" in entries[0].detail["message"]


def test_once_the_window_is_set_the_keys_go_into_the_form(qtbot: QtBot, counter: CounterWork,
                                                          make_account: MakeAccount) -> None:
    """The button that opened the dialog goes with it: the focus passed on to whatever came next (the header's
    锁屏 in the counter's window), and the clerk's next key pressed it."""
    from PySide6.QtWidgets import QApplication

    password = make_account("guanli", "李管理", Role.ADMIN)
    dialog = open_dialog(qtbot, counter)
    dialog.login.setText("guanli")
    dialog.password.setText(password)
    with qtbot.waitSignal(dialog.window_set, timeout=10_000):
        qtbot.mouseClick(dialog.submit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is counter.registration.id_number)
