"""The pages between a staff member and their work: sign-in, first administrator,
password change and the screen lock. Each page calls the accounts service and
says what happened; the staff window decides which page comes next."""

from __future__ import annotations

from types import ModuleType
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget

from desktop.domain.errors import RuleViolation
from desktop.domain.passwords import MIN_LENGTH, password_problems
from ui.common.widgets import (
    Card,
    FormGrid,
    label,
    message_label,
    password_field,
    role_name,
    secondary_button,
    set_tone,
)
from ui.shell.context import WindowContext
from ui.shell.errors import user_message

if TYPE_CHECKING:
    from desktop.domain.roles import WindowRole
    from desktop.services.accounts import AccountInfo, SignIn
    from desktop.services.context import Actor, Hall

POLICY_TEXT = (f"密码要求：至少{MIN_LENGTH}位，包含大写字母、小写字母、数字、符号中的至少三类；"
               "不能包含登录名或本人姓名，不能使用常见密码。")

#: Refusals after which the person must sign in again from the start.
_ENDS_SESSION = frozenset({"locked", "disabled", "other_hall"})


def accounts_service() -> ModuleType:
    """The accounts service, loaded with the database layer (on the task's thread, after the first frame)."""
    from desktop.services import accounts

    return accounts


def _sign_in(hall: Hall, login: str, password: str, window: WindowRole) -> SignIn:
    result: SignIn = accounts_service().sign_in(hall, login, password, window)
    return result


def _is_refusal(error: Exception) -> bool:
    """A sign-in refusal (wrong password, locked, disabled …) rather than another problem."""
    from desktop.services.accounts import SignInRefused

    return isinstance(error, SignInRefused)


def _ends_session(error: Exception) -> bool:
    return _is_refusal(error) and getattr(error, "code", "") in _ENDS_SESSION


class PasswordCheck(QLabel):
    """Says, while the new password is typed, what the policy still asks for."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("message")
        self.setWordWrap(True)
        self.hide()

    def update_for(self, password: str, *, login: str = "", display_name: str = "", old: str = "") -> None:
        """``old``: the password being replaced (a new one the same is refused on saving: said now)."""
        if not password:
            set_tone(self, "", "")
            return
        problems = password_problems(password, login=login, display_name=display_name)
        if old and password == old:
            problems = ["与原密码不同", *problems]
        if problems:
            set_tone(self, "notice", "新密码还需：" + "；".join(problems))
        else:
            set_tone(self, "ok", "新密码符合要求")


class SignInPage(QWidget):
    """Login name and password; a refusal keeps the login name and clears the password."""

    signed_in = Signal(object)  # SignIn

    def __init__(self, ctx: WindowContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.tasks = ctx.group(self)  # password hashing off the GUI thread
        self.login = QLineEdit()
        self.login.setObjectName("signin")
        self.login.setPlaceholderText("登录名")
        self.password = password_field("密码")
        self.password.setObjectName("signin")
        self.submit_button = QPushButton("登录")
        self.submit_button.setObjectName("primary")
        self.message = message_label()
        card = Card()
        card.body.addWidget(label(ctx.settings.hall_name, "title", centred=True))
        card.body.addWidget(label(f"{ctx.window.heading} · 工作人员登录", "subtitle", centred=True))
        form = FormGrid()
        form.add_row("登录名", self.login)
        form.add_row("密码", self.password)
        card.body.addSpacing(8)
        card.body.addLayout(form)
        card.body.addWidget(self.submit_button)
        card.body.addWidget(self.message)
        card.fill(self)
        self.login.returnPressed.connect(self._login_entered)
        self.password.returnPressed.connect(self.submit)
        self.submit_button.clicked.connect(self.submit)
        self.tasks.busy_changed.connect(self.submit_button.setDisabled)

    def _login_entered(self) -> None:
        if self.password.text():
            self.submit()
        else:
            self.password.setFocus()

    def submit(self) -> None:
        if self.tasks.busy:
            return  # the previous attempt is still being checked
        login, password = self.login.text().strip(), self.password.text()
        if not login:
            self.show_message("请输入登录名")
            self.login.setFocus()
            return
        if not password:
            self.show_message("请输入密码")
            self.password.setFocus()
            return
        self.show_message("正在核对……", "notice")
        window = self.ctx.window
        self.tasks.run(lambda hall: _sign_in(hall, login, password, window), self._signed_in, self._refused)

    def _signed_in(self, result: SignIn) -> None:
        self.password.clear()
        self.show_message("", "")
        self.signed_in.emit(result)

    def _refused(self, error: Exception) -> None:
        self.password.clear()
        self.show_message(user_message(error, "登录"))
        self.password.setFocus()

    def show_message(self, text: str, tone: str = "error") -> None:
        set_tone(self.message, tone, text)

    def ready(self, message: str = "", tone: str = "error") -> None:
        """Back to an empty password, focus where the next keystroke belongs."""
        self.password.clear()
        self.show_message(message, tone if message else "")
        (self.password if self.login.text() else self.login).setFocus()


class FirstAdminPage(QWidget):
    """The very first start: no account exists yet, so the first administrator is made here."""

    created = Signal(object)  # AccountInfo

    def __init__(self, ctx: WindowContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.tasks = ctx.group(self)  # password hashing off the GUI thread
        self.login = QLineEdit()
        self.login.setPlaceholderText("3–32位小写字母、数字或 . _ -")
        self.display_name = QLineEdit()
        self.password = password_field()
        self.repeat = password_field()
        self.check = PasswordCheck()
        self.submit_button = QPushButton("创建系统管理员")
        self.submit_button.setObjectName("primary")
        self.message = message_label()
        card = Card(720)
        card.body.addWidget(label("创建首个系统管理员", "title", centred=True))
        card.body.addWidget(label(
            "本机还没有任何账户。请先创建系统管理员账户，再由系统管理员在“账户管理”中为工作人员创建账户。",
            "subtitle"))
        form = FormGrid()
        form.add_row("登录名", self.login)
        form.add_row("姓名", self.display_name)
        form.add_row("密码", self.password)
        form.add_row("再次输入密码", self.repeat)
        card.body.addLayout(form)
        card.body.addWidget(label(POLICY_TEXT, "hint"))
        card.body.addWidget(self.check)
        card.body.addWidget(self.submit_button)
        card.body.addWidget(self.message)
        card.fill(self)
        self.password.textChanged.connect(self._check)
        self.login.textChanged.connect(self._check)
        self.display_name.textChanged.connect(self._check)
        self.repeat.returnPressed.connect(self.submit)
        self.submit_button.clicked.connect(self.submit)
        self.tasks.busy_changed.connect(self.submit_button.setDisabled)

    def _check(self) -> None:
        self.check.update_for(self.password.text(), login=self.login.text().strip(),
                              display_name=self.display_name.text().strip())

    def submit(self) -> None:
        if self.tasks.busy:
            return  # the previous attempt is still being checked
        if self.password.text() != self.repeat.text():
            set_tone(self.message, "error", "两次输入的密码不一致")
            self.repeat.clear()
            self.repeat.setFocus()
            return
        login, name, password = self.login.text(), self.display_name.text(), self.password.text()
        self.tasks.run(lambda hall: accounts_service().create_first_admin(hall, login=login, display_name=name,
                                                                          password=password),
                       self._created, self._refused)

    def _created(self, info: AccountInfo) -> None:
        self.password.clear()
        self.repeat.clear()
        set_tone(self.message, "", "")
        self.created.emit(info)

    def _refused(self, error: Exception) -> None:
        set_tone(self.message, "error", user_message(error, "创建账户"))


class ChangePasswordPage(QWidget):
    """The signed-in person sets a new password (required after an initial or reset one)."""

    changed = Signal()
    cancelled = Signal()
    locked_out = Signal(str)

    def __init__(self, ctx: WindowContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.tasks = ctx.group(self)  # password hashing off the GUI thread
        self.actor: Actor | None = None
        self.who = label("", "subtitle", centred=True)
        self.old = password_field()
        self.new = password_field()
        self.repeat = password_field()
        self.check = PasswordCheck()
        self.submit_button = QPushButton("修改密码并进入")
        self.submit_button.setObjectName("primary")
        self.cancel_button = secondary_button("退出登录")
        self.message = message_label()
        card = Card(720)
        card.body.addWidget(label("请先修改密码", "title", centred=True))
        card.body.addWidget(self.who)
        form = FormGrid()
        form.add_row("原密码", self.old)
        form.add_row("新密码", self.new)
        form.add_row("再次输入新密码", self.repeat)
        card.body.addLayout(form)
        card.body.addWidget(label(POLICY_TEXT, "hint"))
        card.body.addWidget(self.check)
        buttons = QHBoxLayout()
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.submit_button, 1)
        card.body.addLayout(buttons)
        card.body.addWidget(self.message)
        card.fill(self)
        self.new.textChanged.connect(self._check)
        self.old.textChanged.connect(self._check)  # the same as the old one is not 符合要求
        self.repeat.returnPressed.connect(self.submit)
        self.submit_button.clicked.connect(self.submit)
        self.tasks.busy_changed.connect(self.submit_button.setDisabled)
        self.cancel_button.clicked.connect(self.cancelled)

    def set_actor(self, actor: Actor) -> None:
        self.actor = actor
        for field in (self.old, self.new, self.repeat):
            field.clear()
        set_tone(self.message, "", "")
        self.who.setText(
            f"{actor.display_name}（{role_name(actor)}）\n您的密码是初始密码或已被管理员重置，请设置只有您本人知道的新密码")
        self.old.setFocus()

    def _check(self) -> None:
        if self.actor is not None:
            self.check.update_for(self.new.text(), login=self.actor.actor_id.removeprefix("staff:"),
                                  display_name=self.actor.display_name, old=self.old.text())

    def submit(self) -> None:
        if self.tasks.busy:
            return  # the previous attempt is still being checked
        if self.actor is None:
            return
        actor = self.actor
        if self.new.text() != self.repeat.text():
            set_tone(self.message, "error", "两次输入的新密码不一致")
            self.repeat.clear()
            self.repeat.setFocus()
            return
        old, new = self.old.text(), self.new.text()
        self.tasks.run(lambda hall: accounts_service().change_password(hall, actor, old, new),
                       self._changed, self._refused)

    def _changed(self, _: object) -> None:
        for field in (self.old, self.new, self.repeat):
            field.clear()
        self.changed.emit()

    def _refused(self, error: Exception) -> None:
        if isinstance(error, RuleViolation) and _is_refusal(error):
            if _ends_session(error):
                self.locked_out.emit(error.message)
                return
            self.old.clear()
            set_tone(self.message, "error", error.message)
            self.old.setFocus()
            return
        set_tone(self.message, "error", user_message(error, "修改密码"))


class LockPage(QWidget):
    """Covers the work while its owner is away; only their password opens it again."""

    unlocked = Signal()
    locked_out = Signal(str)
    sign_out_requested = Signal()

    def __init__(self, ctx: WindowContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.tasks = ctx.group(self)  # password hashing off the GUI thread
        self.actor: Actor | None = None
        self._idle = False
        self.who = label("", "subtitle", centred=True)
        self.password = password_field("请输入密码解锁")
        self.password.setObjectName("signin")
        self.submit_button = QPushButton("解锁")
        self.submit_button.setObjectName("primary")
        self.switch_button = secondary_button("退出登录，换其他工作人员")
        self.message = message_label()
        card = Card()
        card.body.addWidget(label("屏幕已锁定", "title", centred=True))
        card.body.addWidget(self.who)
        card.body.addSpacing(8)
        card.body.addWidget(self.password)
        card.body.addWidget(self.submit_button)
        card.body.addWidget(self.message)
        card.body.addWidget(self.switch_button)
        card.fill(self)
        self.password.returnPressed.connect(self.submit)
        self.submit_button.clicked.connect(self.submit)
        self.tasks.busy_changed.connect(self.submit_button.setDisabled)
        self.switch_button.clicked.connect(self.sign_out_requested)

    def set_actor(self, actor: Actor, *, idle: bool, since: str) -> None:
        self.actor = actor
        self._idle = idle
        self.password.clear()
        set_tone(self.message, "", "")
        self.show_since(since)
        self.password.setFocus()

    def show_since(self, since: str) -> None:
        """Who is signed in and since when the screen is locked."""
        if self.actor is None:
            return
        why = "长时间无操作，" if self._idle else ""
        self.who.setText(f"当前登录：{self.actor.display_name}（{role_name(self.actor)}）\n"
                         f"{why}已于 {since} 锁屏，请输入本人密码解锁")

    def submit(self) -> None:
        if self.tasks.busy:
            return  # the previous attempt is still being checked
        if self.actor is None:
            return
        actor, password = self.actor, self.password.text()
        if not password:
            set_tone(self.message, "error", "请输入密码")
            return
        self.tasks.run(lambda hall: accounts_service().unlock_screen(hall, actor, password),
                       self._unlocked, self._refused)

    def _unlocked(self, _: object) -> None:
        self.password.clear()
        set_tone(self.message, "", "")
        self.unlocked.emit()

    def _refused(self, error: Exception) -> None:
        self.password.clear()
        if isinstance(error, RuleViolation) and _ends_session(error):
            self.locked_out.emit(error.message)
            return
        set_tone(self.message, "error", user_message(error, "解锁"))
        self.password.setFocus()
