"""Staff sign in before they see anything; passwords, lockout and the screen lock."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit
from pytestqt.qtbot import QtBot

from desktop.domain.access import Role
from desktop.services import accounts
from desktop.services.audit import AuditQuery, list_audit
from desktop.services.context import Actor, Hall
from tests.ui.conftest import INITIAL, PASSWORD, MakeAccount, sign_in, submit_sign_in
from ui.cases.search import CaseSearchPanel
from ui.shell.staff import StaffWindow

OpenWindow = Callable[..., StaffWindow]


def _actions(hall: Hall) -> list[str]:
    return [e.action for e in list_audit(hall, Actor.system(), AuditQuery(limit=20))]


def test_sign_in_opens_the_counter(qtbot: QtBot, sqlite_hall: Hall, make_account: MakeAccount,
                                   open_window: OpenWindow) -> None:
    make_account("wangli", "王丽", Role.CLERK)
    window = open_window("counter")
    page = window.sign_in_page
    assert window.pages.currentWidget() is page and window.work is None
    assert page.password.echoMode() is QLineEdit.EchoMode.Password
    assert window.findChild(CaseSearchPanel) is None  # nothing of the work before sign-in
    sign_in(qtbot, window, "wangli")
    assert window.pages.currentWidget() is window.work
    assert window.findChild(CaseSearchPanel) is not None
    assert window.user_label.text() == "王丽 · 接待窗口工作人员"
    assert window.sign_out_button.isVisible() and window.lock_button.isVisible()

    with qtbot.waitSignals([window.session_ended, window.tasks.settled]):  # the sign-out is audited off the GUI
        qtbot.mouseClick(window.sign_out_button, Qt.MouseButton.LeftButton)
    assert window.pages.currentWidget() is page and window.work is None
    assert not window.sign_out_button.isVisible()
    assert _actions(sqlite_hall)[:2] == ["退出登录", "登录"]


def test_wrong_password_is_said_and_the_login_kept(qtbot: QtBot, make_account: MakeAccount,
                                                   open_window: OpenWindow) -> None:
    make_account("wangli", "王丽", Role.CLERK)
    window = open_window("counter")
    page = window.sign_in_page
    page.login.setText("wangli")
    page.password.setText("Wrong#2026x")
    with qtbot.waitSignal(page.tasks.settled):
        qtbot.keyClick(page.password, Qt.Key.Key_Return)  # Enter submits
    assert "账号或密码不正确" in page.message.text()
    assert page.message.isVisible() and page.message.property("tone") == "error"
    assert page.login.text() == "wangli" and page.password.text() == ""
    assert window.work is None


def test_five_wrong_passwords_lock_the_account(qtbot: QtBot, make_account: MakeAccount,
                                               open_window: OpenWindow) -> None:
    make_account("wangli", "王丽", Role.CLERK)
    window = open_window("counter")
    for _ in range(5):
        submit_sign_in(qtbot, window, "wangli", "Wrong#2026x")
    assert "账户锁定至09:45" in window.sign_in_page.message.text()
    submit_sign_in(qtbot, window, "wangli", PASSWORD)  # even the right one, while locked
    assert "账户已锁定" in window.sign_in_page.message.text()
    assert window.work is None


def test_an_account_of_another_role_is_told_plainly(qtbot: QtBot, sqlite_hall: Hall, make_account: MakeAccount,
                                                    open_window: OpenWindow) -> None:
    make_account("chenzy", "陈志远", Role.LEADER)
    window = open_window("counter")
    submit_sign_in(qtbot, window, "chenzy", PASSWORD)
    message = window.sign_in_page.message.text()
    assert "“接访领导”" in message and "不能使用“接待窗口”" in message
    assert window.work is None and window.actor is None
    # Refused by the service and audited as a refusal: never a session signed in and out again.
    (entry,) = list_audit(sqlite_hall, Actor.system(), AuditQuery(limit=1))
    assert (entry.action, entry.detail["reason"]) == ("登录失败", "wrong_window")


def test_first_start_creates_the_first_administrator(qtbot: QtBot, sqlite_hall: Hall,
                                                     open_window: OpenWindow) -> None:
    window = open_window("admin")
    page = window.first_admin_page
    qtbot.waitUntil(lambda: window.pages.currentWidget() is page)  # once the database is found empty
    page.login.setText("guanli")
    page.display_name.setText("孙涛")
    page.password.setText("weak")
    page.repeat.setText("weak")
    assert "新密码还需" in page.check.text()  # the policy speaks while typing
    with qtbot.waitSignal(page.tasks.settled):
        qtbot.mouseClick(page.submit_button, Qt.MouseButton.LeftButton)
    assert "密码不符合要求" in page.message.text() and window.pages.currentWidget() is page
    page.password.setText(PASSWORD)
    page.repeat.setText(PASSWORD)
    with qtbot.waitSignal(page.tasks.settled):
        qtbot.mouseClick(page.submit_button, Qt.MouseButton.LeftButton)
    assert window.pages.currentWidget() is window.sign_in_page
    assert window.sign_in_page.login.text() == "guanli"
    assert "已创建系统管理员账户" in window.sign_in_page.message.text()
    sign_in(qtbot, window, "guanli")
    assert accounts.has_accounts(sqlite_hall)


def test_initial_password_must_be_changed_first(qtbot: QtBot, make_account: MakeAccount,
                                                open_window: OpenWindow) -> None:
    make_account("wangli", "王丽", Role.CLERK, ready=False)
    window = open_window("counter")
    submit_sign_in(qtbot, window, "wangli", INITIAL)
    page = window.change_page
    assert window.pages.currentWidget() is page and window.work is None
    hint = page.findChild(QLabel, "hint")
    assert hint is not None and "至少8位" in hint.text()  # the policy is on screen
    page.old.setText(INITIAL)
    page.new.setText(INITIAL)  # the same as the old one: not 新密码符合要求 beside its refusal
    assert page.check.text().startswith("新密码还需：与原密码不同") and page.check.property("tone") == "notice"
    page.new.setText("Xinfang#2027")
    assert page.check.text() == "新密码符合要求"
    page.repeat.setText("Xinfang#2028")
    qtbot.mouseClick(page.submit_button, Qt.MouseButton.LeftButton)
    assert page.message.text() == "两次输入的新密码不一致"
    page.repeat.setText("Xinfang#2027")
    with qtbot.waitSignal(window.session_started):
        qtbot.mouseClick(page.submit_button, Qt.MouseButton.LeftButton)
    assert window.pages.currentWidget() is window.work
    window.sign_out()
    sign_in(qtbot, window, "wangli", "Xinfang#2027")  # no second change asked


def test_idle_lock_and_unlock(qtbot: QtBot, sqlite_hall: Hall, make_account: MakeAccount,
                              open_window: OpenWindow) -> None:
    make_account("wangli", "王丽", Role.CLERK)
    window = open_window("counter", idle_ms=40)
    with qtbot.waitSignal(window.screen_locked, timeout=5000):
        sign_in(qtbot, window, "wangli")
    page = window.lock_page
    assert window.is_locked and window.work is not None and not window.work.isVisible()
    assert "王丽" in page.who.text() and "长时间无操作" in page.who.text()
    page.password.setText("Wrong#2026x")
    with qtbot.waitSignal(page.tasks.settled):
        qtbot.mouseClick(page.submit_button, Qt.MouseButton.LeftButton)
    assert "账号或密码不正确" in page.message.text() and window.is_locked
    page.password.setText(PASSWORD)
    with qtbot.waitSignal(window.screen_unlocked):
        qtbot.keyClick(page.password, Qt.Key.Key_Return)
    assert window.pages.currentWidget() is window.work
    actions = _actions(sqlite_hall)
    assert actions.index("解除锁屏") < actions.index("锁屏")


def test_manual_lock_and_lockout_from_the_lock_page(qtbot: QtBot, make_account: MakeAccount,
                                                    open_window: OpenWindow) -> None:
    make_account("wangli", "王丽", Role.CLERK)
    window = open_window("counter")
    sign_in(qtbot, window, "wangli")
    with qtbot.waitSignal(window.screen_locked):
        qtbot.mouseClick(window.lock_button, Qt.MouseButton.LeftButton)
    assert "长时间无操作" not in window.lock_page.who.text()
    with qtbot.waitSignal(window.session_ended):
        for _ in range(5):
            window.lock_page.password.setText("Wrong#2026x")
            with qtbot.waitSignal(window.lock_page.tasks.settled):
                qtbot.mouseClick(window.lock_page.submit_button, Qt.MouseButton.LeftButton)
    assert window.pages.currentWidget() is window.sign_in_page and window.work is None
    assert "锁定" in window.sign_in_page.message.text()
