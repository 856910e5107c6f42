"""The staff window (counter, leader, administration): nothing shows until someone signs in.

Pages, one at a time: 创建首个系统管理员 (only while no account exists) → 登录 →
修改密码 (when the password is an initial or reset one) → the work → 锁屏 (after
``idle_lock_minutes`` without input, or by the button) → back to the work or, on
退出登录 or a locked account, to 登录 again. The work is built afresh for each
session and destroyed when it ends, so nothing of one person's screen survives
into the next.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.chinatime import china_now
from desktop.domain.roles import Actor, WindowRole
from ui.common.widgets import Header, ask, role_name
from ui.shell.context import WindowContext, WorkContext
from ui.shell.idle import IdleWatcher
from ui.shell.signin import ChangePasswordPage, FirstAdminPage, LockPage, SignInPage, accounts_service
from ui.shell.startup import OpeningFailedPage
from ui.shell.sync_status import SyncIndicator
from ui.shell.wheel import guard_wheel

if TYPE_CHECKING:
    from desktop.services.accounts import AccountInfo, SignIn
    from desktop.services.context import Hall

#: Builds what a signed-in person works with (the composition root picks it per window role).
WorkBuilder = Callable[[WorkContext], QWidget]


def _sign_out(hall: Hall, actor: Actor) -> None:
    accounts_service().sign_out(hall, actor)


def _lock(hall: Hall, actor: Actor, idle: bool) -> datetime:
    accounts_service().lock_screen(hall, actor, idle=idle)
    return hall.now()


class StaffWindow(QMainWindow):
    """One role's staff window, with its sign-in, password change and screen lock."""

    session_started = Signal()
    session_ended = Signal()
    screen_locked = Signal()
    screen_unlocked = Signal()

    def __init__(self, ctx: WindowContext, build_work: WorkBuilder, *, idle_ms: int | None = None) -> None:
        super().__init__()
        if ctx.window.is_device:
            raise ValueError(f"not a staff window: {ctx.window}")
        self.ctx, self.role, self.build_work = ctx, ctx.window, build_work
        guard_wheel()  # the wheel scrolls the form, never a drop-down list or date the clerk is not in
        self.source = ctx.source
        ctx.tasks.setParent(self)
        self.tasks = ctx.group(self)  # sign-out, screen lock: audited off the GUI thread
        settings = ctx.settings
        self.actor: Actor | None = None
        self.work: QWidget | None = None
        self.setWindowTitle(f"信访接待大厅系统 — {ctx.window.heading}")
        self.header = Header(settings.hall_name, ctx.window.heading)
        self.user_label = QLabel()
        self.user_label.setObjectName("user")
        self.lock_button = QPushButton("锁屏")
        self.sign_out_button = QPushButton("退出登录")
        self.sync = SyncIndicator(ctx)  # syncs in the background when a server is set
        for widget in (self.sync, self.user_label, self.lock_button, self.sign_out_button):
            self.header.add(widget)
        self.first_admin_page = FirstAdminPage(ctx)
        self.sign_in_page = SignInPage(ctx)
        self.change_page = ChangePasswordPage(ctx)
        self.lock_page = LockPage(ctx)
        self.failed_page = OpeningFailedPage()
        self.pages = QStackedWidget()
        for page in (self.first_admin_page, self.sign_in_page, self.change_page, self.lock_page,
                     self.failed_page):
            self.pages.addWidget(page)
        central = QWidget()
        central.setObjectName("page")
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.header)
        layout.addWidget(self.pages, 1)
        self.setCentralWidget(central)
        minutes = settings.idle_lock_minutes
        self.idle = IdleWatcher(idle_ms if idle_ms is not None else minutes * 60_000, self)

        self.first_admin_page.created.connect(self._first_admin_created)
        self.sign_in_page.signed_in.connect(self._signed_in)
        self.change_page.changed.connect(self._start_work)
        self.change_page.cancelled.connect(self.sign_out)
        self.change_page.locked_out.connect(self._locked_out)
        self.lock_page.unlocked.connect(self._unlocked)
        self.lock_page.locked_out.connect(self._locked_out)
        self.lock_page.sign_out_requested.connect(self.sign_out)
        self.lock_button.clicked.connect(lambda: self.lock(idle=False))
        self.sign_out_button.clicked.connect(self.request_sign_out)
        self.confirm: QMessageBox | None = None
        self._leaving = False  # closing confirmed: nothing more to ask
        self.idle.idle.connect(lambda: self.lock(idle=True))

        self.failed_page.quit_requested.connect(self.close)

        self._show_session_controls(False)
        # Sign-in shows at once; a fresh installation (no account yet) turns to the first
        # administrator as soon as the database has been opened and found empty.
        self._show_sign_in()
        self.source.when_failed(self._opening_failed)
        self.source.when_ready(self._hall_opened)

    def _hall_opened(self, _hall: Hall) -> None:
        self.tasks.run(lambda hall: bool(accounts_service().has_accounts(hall)), self._accounts_known)

    def _accounts_known(self, any_account: bool) -> None:
        if self.actor is None and not any_account and self.pages.currentWidget() is self.sign_in_page:
            self.pages.setCurrentWidget(self.first_admin_page)

    def _opening_failed(self, message: str) -> None:
        self._end_session()
        self.failed_page.show_problem(message)
        self.pages.setCurrentWidget(self.failed_page)

    # -- pages --------------------------------------------------------------------------------

    def _show_session_controls(self, signed_in: bool) -> None:
        self.user_label.setVisible(signed_in)
        self.lock_button.setVisible(signed_in)
        self.sign_out_button.setVisible(signed_in)
        if signed_in and self.actor is not None:
            self.user_label.setText(f"{self.actor.display_name} · {role_name(self.actor)}")

    def _show_sign_in(self, message: str = "", tone: str = "error") -> None:
        self.pages.setCurrentWidget(self.sign_in_page)
        self.sign_in_page.ready(message, tone)

    def _first_admin_created(self, info: AccountInfo) -> None:
        self.sign_in_page.login.setText(info.login)
        if self.role is WindowRole.ADMIN:
            text = f"已创建系统管理员账户“{info.login}”，请登录"
        else:
            text = f"已创建系统管理员账户“{info.login}”。请在“系统管理”中登录，为工作人员创建账户"
        self._show_sign_in(text, "ok")

    def _signed_in(self, result: SignIn) -> None:
        actor = result.actor  # the service has checked that this account may work at this window
        self.actor = actor
        if result.must_change_password:
            self._show_session_controls(False)
            self.change_page.set_actor(actor)
            self.pages.setCurrentWidget(self.change_page)
        else:
            self._start_work()

    def _start_work(self) -> None:
        assert self.actor is not None
        self.work = self.build_work(self.ctx.acting_as(self.actor))
        self.pages.addWidget(self.work)
        self.pages.setCurrentWidget(self.work)
        self._show_session_controls(True)
        self.idle.start()
        self.session_started.emit()

    def _close_dialogs(self) -> None:
        """A dialog is a window of its own: left open, it would show over the lock page."""
        if self.work is not None:
            for dialog in self.work.findChildren(QDialog):
                dialog.reject()

    def _end_session(self) -> None:
        self.idle.stop()
        self._close_dialogs()
        if self.work is not None:
            self.pages.removeWidget(self.work)
            self.work.deleteLater()
            self.work = None
        self.actor = None
        self._show_session_controls(False)

    def unsaved_work(self) -> str:
        """What the work on screen holds unsaved, in words ("" when nothing): a work widget may say so."""
        describe = getattr(self.work, "unsaved_work", None)
        return str(describe()) if callable(describe) else ""

    def request_sign_out(self) -> None:
        """退出登录; with something typed and not saved, asked first: signing out would lose it."""
        unsaved = self.unsaved_work()
        if unsaved:
            self._ask_to_leave("退出登录", f"{unsaved}尚未保存，退出登录后将丢失。仍要退出登录吗？", self.sign_out)
        else:
            self.sign_out()

    def _ask_to_leave(self, title: str, question: str, leave_anyway: Callable[[], None]) -> None:
        self.confirm, _ = ask(self, title, question, go="仍要退出", stay="返回继续填写", on_go=leave_anyway)

    def _close_anyway(self) -> None:
        self._leaving = True
        self.close()

    def sign_out(self) -> None:
        if self.actor is not None:
            actor = self.actor
            self.tasks.run(lambda hall: _sign_out(hall, actor), _ignore)
        self._end_session()
        self._show_sign_in()
        self.session_ended.emit()

    def _locked_out(self, message: str) -> None:
        """The account was locked (too many wrong passwords) or disabled meanwhile."""
        self._end_session()
        self._show_sign_in(message)
        self.session_ended.emit()

    def current_page_title(self) -> str:
        """What the window shows now, in words (printed by ``run --smoke-test``)."""
        titles: tuple[tuple[QWidget, str], ...] = (
            (self.first_admin_page, "创建首个系统管理员"), (self.sign_in_page, "工作人员登录"),
            (self.change_page, "修改密码"), (self.lock_page, "屏幕已锁定"), (self.failed_page, "无法打开数据库"))
        page = self.pages.currentWidget()
        return next((title for widget, title in titles if widget is page), "工作界面")

    # -- screen lock --------------------------------------------------------------------------

    @property
    def is_locked(self) -> bool:
        return self.pages.currentWidget() is self.lock_page

    def lock(self, *, idle: bool) -> None:
        if self.actor is None or self.work is None or self.pages.currentWidget() is not self.work:
            return
        self.idle.stop()
        self._close_dialogs()
        actor = self.actor
        # The work is covered at once; the time and the audit entry follow from the worker.
        self.lock_page.set_actor(actor, idle=idle, since=f"{china_now():%H:%M}")
        self.pages.setCurrentWidget(self.lock_page)
        self.lock_button.setVisible(False)
        self.tasks.run(lambda hall: _lock(hall, actor, idle), self._locked)

    def _locked(self, at: datetime) -> None:
        if self.is_locked and self.lock_page.actor is not None:
            self.lock_page.show_since(f"{at:%H:%M}")
        self.screen_locked.emit()

    def _unlocked(self) -> None:
        if self.work is None:
            return
        self.pages.setCurrentWidget(self.work)
        self.lock_button.setVisible(True)
        self.idle.start()
        self.screen_unlocked.emit()

    def closeEvent(self, event: QCloseEvent) -> None:
        unsaved = "" if self._leaving else self.unsaved_work()
        if unsaved:  # closing the program would lose it as signing out would: asked first
            event.ignore()
            self._ask_to_leave("关闭程序", f"{unsaved}尚未保存，关闭程序后将丢失。仍要关闭吗？", self._close_anyway)
            return
        self.idle.detach()
        self.sync.stop()
        if self.actor is not None:
            actor = self.actor
            if self.source.error is None:
                self.tasks.run(lambda hall: _sign_out(hall, actor), _ignore)
            self._end_session()
        self.ctx.tasks.close()  # what is under way (the sign-out) finishes before the window goes
        super().closeEvent(event)


def _ignore(_value: object) -> None:
    """Nothing to show: the outcome of a sign-out is in the audit log."""
