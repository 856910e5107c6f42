"""The administrator's account management: every account, creating, resetting, unlocking, disabling.

Every call runs as an operation (Argon2id hashing and database work off the GUI
thread); the list is read again whenever an account changes, from wherever.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.access import ROLE_NAMES, ROLE_PERMISSIONS, STAFF_ROLES, Permission, Role
from desktop.domain.calendar import date_in_words
from desktop.domain.errors import ValidationError
from desktop.domain.passwords import RULE_TEXT
from desktop.services import accounts
from desktop.services.accounts import AccountInfo, generate_initial_password
from ui.common.choice import Choice, ChoiceBox
from ui.common.widgets import (
    MessageRoom,
    ask,
    button_row,
    fit_columns,
    label,
    message_label,
    read_only_table,
    secondary_button,
    set_tone,
)
from ui.shell.context import WorkContext
from ui.shell.errors import user_message

if TYPE_CHECKING:
    from desktop.services.changes import Changes
    from desktop.services.context import Hall


@dataclass(frozen=True)
class _Accounts:
    accounts: list[AccountInfo]
    now: datetime  # the hall's time when they were read: whether a lock still holds


def _units(_hall: Hall) -> list[Choice]:
    from desktop.services.case_actions import organisation_choices

    return [Choice(o.code, o.name, o.keys) for o in organisation_choices()]


class InitialPasswordField(QWidget):
    """An initial password the administrator reads out to the person, with a generator."""

    def __init__(self) -> None:
        super().__init__()
        self.edit = QLineEdit()
        self.edit.setPlaceholderText("首次登录时须由本人修改")
        self.generate = secondary_button("随机生成")
        # Enter in the field submits the dialog: as a dialog's first button this one took Enter, and replaced the
        # password the administrator had typed (and was about to read out) with a random one
        self.generate.setAutoDefault(False)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.edit, 1)
        row.addWidget(self.generate)
        self.generate.clicked.connect(lambda: self.edit.setText(generate_initial_password()))

    def text(self) -> str:
        return self.edit.text()


class CreateAccountDialog(QDialog):
    """A new staff account: who, which role, an initial password and any extra permissions.

    Given an ``account``, the same form changes it (修改账户): its name, role, unit and extra permissions; the
    login stays, the password is 重置密码's. A name typed wrong at creation could not be corrected.
    """

    created = Signal(object)  # AccountInfo

    def __init__(self, ctx: WorkContext, parent: QWidget | None = None, account: AccountInfo | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.actor, self.account = ctx, ctx.actor, account
        self.tasks = ctx.group(self)  # the initial password is hashed off the GUI thread (Argon2id)
        self.setWindowTitle("新建账户" if account is None else "修改账户")
        self.setMinimumWidth(760)
        self.login = QLineEdit()
        self.login.setPlaceholderText("3–32位小写字母、数字或 . _ -，如 zhangwei")
        self.display_name = QLineEdit()
        self.role = QComboBox()
        for role in STAFF_ROLES:
            self.role.addItem(ROLE_NAMES[role], role.value)
        self.password = InitialPasswordField()
        self.org_code = ChoiceBox("其他单位人员：输入单位名称、简称或拼音首字母选择；本大厅人员不填")
        self.permissions: dict[Permission, QCheckBox] = {}
        grid = QGridLayout()
        for index, permission in enumerate(Permission):
            box = QCheckBox(permission.value)
            self.permissions[permission] = box
            grid.addWidget(box, index // 3, index % 3)
        extra = QGroupBox("附加权限（灰色为所选角色已有的权限）")
        extra.setLayout(grid)
        self.message = message_label()
        self.submit_button = QPushButton("创建账户" if account is None else "保存修改")
        self.submit_button.setObjectName("primary")
        self.submit_button.setDefault(True)  # Enter in any field creates (or saves) the account
        cancel = secondary_button("取消")
        form = QFormLayout()
        form.addRow("登录名", self.login)
        form.addRow("姓名", self.display_name)
        form.addRow("角色", self.role)
        if account is None:
            form.addRow("初始密码", self.password)
            form.addRow("", label(f"密码要求：{RULE_TEXT}", "hint"))
        else:
            self.password.hide()
        form.addRow("所属单位", self.org_code)
        buttons = button_row(cancel, self.submit_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(extra)
        layout.addWidget(MessageRoom(self.message))  # the buttons stay where they are as a message comes and goes
        layout.addLayout(buttons)
        # a refusal names a field: the refusal goes once that field is edited (it stayed, stale, over a good one)
        self._fields: dict[str, QWidget] = {"login": self.login, "display_name": self.display_name,
                                            "role": self.role, "password": self.password.edit,
                                            "org_code": self.org_code}
        self._refused_field = ""
        self.login.textEdited.connect(lambda _text: self._edited("login"))
        self.display_name.textEdited.connect(lambda _text: self._edited("display_name"))
        self.password.edit.textChanged.connect(lambda _text: self._edited("password"))  # 随机生成 too
        self.role.currentIndexChanged.connect(lambda _index: self._edited("role"))
        self.org_code.currentTextChanged.connect(lambda _text: self._edited("org_code"))
        self.role.currentIndexChanged.connect(self._role_changed)
        self.submit_button.clicked.connect(self.submit)
        self.tasks.busy_changed.connect(self.submit_button.setDisabled)
        cancel.clicked.connect(self.reject)
        self._role_changed()
        self.reading = ctx.group(self)  # the directory's units, never holding up a submit
        self.reading.run(_units, self._units_read)
        if account is not None:
            self.login.setText(account.login)
            self.login.setReadOnly(True)
            self.login.setEnabled(False)  # greyed: a login is not changed (it looked editable and had the keys)
            self.display_name.setFocus(Qt.FocusReason.OtherFocusReason)
            self.display_name.setText(account.display_name)
            self.select_role(Role(account.role))
            for permission, box in self.permissions.items():
                if box.isEnabled():
                    box.setChecked(permission.value in account.extra_permissions)

    def _units_read(self, choices: list[Choice]) -> None:
        self.org_code.set_choices(choices)
        if self.account is not None and self.account.org_code:
            self.org_code.set_code(self.account.org_code)

    def select_role(self, role: Role) -> None:
        self.role.setCurrentIndex(self.role.findData(role.value))

    def _role_changed(self) -> None:
        held = ROLE_PERMISSIONS[Role(self.role.currentData())]
        for permission, box in self.permissions.items():
            inherent = permission in held
            was_inherent = bool(box.property("inherent"))
            box.setEnabled(not inherent)
            if inherent:
                box.setChecked(True)
            elif was_inherent:
                box.setChecked(False)
            box.setProperty("inherent", inherent)

    def extra_permissions(self) -> list[str]:
        return [p.value for p, box in self.permissions.items() if box.isEnabled() and box.isChecked()]

    def submit(self) -> None:
        if self.tasks.busy:
            return
        actor = self.actor
        login, name, role = self.login.text(), self.display_name.text(), str(self.role.currentData())
        password, extra = self.password.text(), self.extra_permissions()
        org = self.org_code.code()
        if self.org_code.currentText().strip() and not org:
            set_tone(self.message, "error",
                     "请从列表中选择所属单位（可输入名称、简称或拼音首字母查找）；本大厅人员不填")
            return
        if self.account is not None:
            set_tone(self.message, "notice", "正在保存……")
            self.tasks.run(lambda hall: accounts.update_account(hall, actor, login, role=role, display_name=name,
                                                                org_code=org, extra_permissions=extra),
                           self._created, self._refused)
            return
        set_tone(self.message, "notice", "正在创建……")
        self.tasks.run(lambda hall: accounts.create_account(hall, actor, login=login, display_name=name, role=role,
                                                            initial_password=password, org_code=org,
                                                            extra_permissions=extra),
                       self._created, self._refused)

    def _created(self, info: AccountInfo) -> None:
        self.created.emit(info)
        self.accept()

    def _edited(self, field: str) -> None:
        if field == self._refused_field:
            self._refused_field = ""
            set_tone(self.message, "", "")

    def _refused(self, error: Exception) -> None:
        set_tone(self.message, "error", user_message(error, "保存账户"))
        field = error.field if isinstance(error, ValidationError) else ""
        if field in self._fields and self._fields[field].isEnabled():
            self._refused_field = field
            widget = self._fields[field]
            widget.setFocus(Qt.FocusReason.OtherFocusReason)
            if isinstance(widget, QLineEdit):
                widget.selectAll()
        else:
            self._refused_field = ""


class ResetPasswordDialog(QDialog):
    """A new initial password for someone who forgot theirs; also lifts a lock."""

    done_for = Signal(object)  # AccountInfo

    def __init__(self, ctx: WorkContext, account: AccountInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.actor, self.account = ctx, ctx.actor, account
        self.tasks = ctx.group(self)  # the new password is hashed off the GUI thread (Argon2id)
        self.setWindowTitle("重置密码")
        self.setMinimumWidth(620)
        self.password = InitialPasswordField()
        self.message = message_label()
        self.submit_button = QPushButton("重置密码")
        self.submit_button.setObjectName("primary")
        self.submit_button.setDefault(True)  # Enter in the field resets
        cancel = secondary_button("取消")
        layout = QVBoxLayout(self)
        layout.addWidget(label(
            f"为 {account.display_name}（{account.login}）设置新的初始密码。"
            "本人下次登录时须修改；账户如被锁定将同时解锁。"))
        form = QFormLayout()
        form.addRow("新的初始密码", self.password)
        form.addRow("", label(f"密码要求：{RULE_TEXT}", "hint"))
        layout.addLayout(form)
        layout.addWidget(MessageRoom(self.message))
        buttons = button_row(cancel, self.submit_button)
        layout.addLayout(buttons)
        self.submit_button.clicked.connect(self.submit)
        self.tasks.busy_changed.connect(self.submit_button.setDisabled)
        cancel.clicked.connect(self.reject)

    def submit(self) -> None:
        if self.tasks.busy:
            return
        actor, login, password = self.actor, self.account.login, self.password.text()
        set_tone(self.message, "notice", "正在重置……")
        self.tasks.run(lambda hall: accounts.reset_password(hall, actor, login, password), self._done, self._refused)

    def _done(self, info: AccountInfo) -> None:
        self.done_for.emit(info)
        self.accept()

    def _refused(self, error: Exception) -> None:
        set_tone(self.message, "error", user_message(error, "保存账户"))
        self.password.edit.setFocus(Qt.FocusReason.OtherFocusReason)
        self.password.edit.selectAll()


class AccountsPanel(QWidget):
    """Every account on this PC, with the administrator's actions on the selected one."""

    COLUMNS = ("登录名", "姓名", "角色", "所属单位", "状态", "附加权限")
    STATUS_COLUMN = 4

    refreshed = Signal()

    def __init__(self, ctx: WorkContext) -> None:
        super().__init__()
        self.ctx, self.actor = ctx, ctx.actor
        self.tasks = ctx.group(self)
        self.accounts: list[AccountInfo] = []
        self._now: datetime | None = None
        self.create_button = QPushButton("新建账户")
        self.edit_button = QPushButton("修改")
        self.edit_button.setToolTip("修改所选账户的姓名、角色、所属单位和附加权限")
        self.reset_button = QPushButton("重置密码")
        self.unlock_button = QPushButton("解锁")
        self.disable_button = QPushButton("停用")
        self.refresh_button = secondary_button("刷新")
        self.table = read_only_table(self.COLUMNS)
        self.message = message_label()
        self.dialog: QDialog | None = None
        self.confirm: QMessageBox | None = None  # 停用 asks first
        tools = QHBoxLayout()
        for button in (self.create_button, self.edit_button, self.reset_button, self.unlock_button,
                       self.disable_button):
            tools.addWidget(button)
        tools.addStretch(1)
        tools.addWidget(self.refresh_button)
        layout = QVBoxLayout(self)
        layout.addLayout(tools)
        layout.addWidget(self.message)
        layout.addWidget(self.table, 1)
        self.create_button.clicked.connect(self.open_create_dialog)
        self.edit_button.clicked.connect(self.open_edit_dialog)
        self.reset_button.clicked.connect(self.open_reset_dialog)
        self.unlock_button.clicked.connect(self.unlock_selected)
        self.disable_button.clicked.connect(self.toggle_disabled)
        self.refresh_button.clicked.connect(self.refresh)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        ctx.tasks.changed.connect(self._changed)
        self._selection_changed()
        self.refresh()

    def _changed(self, changes: Changes) -> None:
        if changes.accounts:
            self.refresh()

    def refresh(self) -> None:
        actor = self.actor
        self.tasks.run(lambda hall: _Accounts(accounts.list_accounts(hall, actor), hall.now()), self._listed,
                       self._list_failed)

    def _list_failed(self, error: Exception) -> None:
        set_tone(self.message, "error", user_message(error, "读取账户"))
        self.refreshed.emit()

    def _listed(self, listed: _Accounts) -> None:
        selected = self.selected()
        self.accounts, self._now = listed.accounts, listed.now
        self.table.setRowCount(len(self.accounts))
        for row, info in enumerate(self.accounts):
            status, alarming = self._status(info)
            values = (info.login, info.display_name, info.role_name, info.org_name or "本大厅", status,
                      "、".join(info.extra_permissions) or "—")
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                if alarming and column == self.STATUS_COLUMN:
                    item.setForeground(QColor("#b3261e"))
                self.table.setItem(row, column, item)
        fit_columns(self.table)
        if selected is not None:
            self.select(selected.login)
        self._selection_changed()
        self.refreshed.emit()

    def _status(self, info: AccountInfo) -> tuple[str, bool]:
        if info.disabled:
            return "已停用", True
        if self._locked(info):
            assert info.locked_until is not None
            return f"已锁定（至 {date_in_words(info.locked_until, year=False)} {info.locked_until:%H:%M}）", True
        parts = ["待修改初始密码" if info.must_change_password else "正常"]
        if info.failed_count:
            parts.append(f"已连续输错 {info.failed_count} 次")
        return "，".join(parts), bool(info.failed_count)

    def _locked(self, info: AccountInfo) -> bool:
        """Locked at the hall's time the list was read (解锁 is for such an account only)."""
        return self._now is not None and accounts.is_locked(info, self._now)

    def selected(self) -> AccountInfo | None:
        row = self.table.currentRow()
        return self.accounts[row] if 0 <= row < len(self.accounts) and self.table.selectedItems() else None

    def select(self, login: str) -> None:
        for row, info in enumerate(self.accounts):
            if info.login == login:
                self.table.selectRow(row)
                return

    def _selection_changed(self) -> None:
        info = self.selected()
        for button in (self.edit_button, self.reset_button, self.disable_button):
            button.setEnabled(info is not None)
        self.unlock_button.setEnabled(info is not None and self._locked(info))
        self.unlock_button.setToolTip("" if info is None or self._locked(info) else "该账户没有被锁定")
        self.disable_button.setText("启用" if info is not None and info.disabled else "停用")

    def _done(self, text: str, login: str) -> None:
        self.select(login)  # the list itself is read again on the change
        set_tone(self.message, "ok", text)

    def open_create_dialog(self) -> CreateAccountDialog:
        """Window-modal, not blocking: the dialog reports back through ``created``."""
        dialog = CreateAccountDialog(self.ctx, self)
        dialog.created.connect(lambda info: self._done(
            f"已创建账户 {info.login}（{info.display_name}，{info.role_name}），首次登录时须修改初始密码",
            info.login))
        self.dialog = dialog
        dialog.open()
        return dialog

    def open_edit_dialog(self) -> CreateAccountDialog | None:
        info = self.selected()
        if info is None:
            return None
        dialog = CreateAccountDialog(self.ctx, self, account=info)
        dialog.created.connect(lambda done: self._done(
            f"已修改账户 {done.login}（{done.display_name}，{done.role_name}）", done.login))
        self.dialog = dialog
        dialog.open()
        return dialog

    def open_reset_dialog(self) -> ResetPasswordDialog | None:
        info = self.selected()
        if info is None:
            return None
        dialog = ResetPasswordDialog(self.ctx, info, self)
        dialog.done_for.connect(lambda done: self._done(
            f"已为 {done.login} 重置密码，下次登录时须修改", done.login))
        self.dialog = dialog
        dialog.open()
        return dialog

    def unlock_selected(self) -> None:
        info = self.selected()
        if info is None or self.tasks.busy:
            return
        actor, login = self.actor, info.login
        self.tasks.run(lambda hall: accounts.unlock(hall, actor, login),
                       lambda _info: self._done(f"已解锁账户 {login}", login), self._refused)

    def toggle_disabled(self) -> None:
        """启用 at once; 停用 asked first, naming the account: its holder can no longer sign in (one click away
        from 修改, it went at once). One's own is refused by the service, unasked."""
        info = self.selected()
        if info is None or self.tasks.busy:
            return
        if not info.disabled and f"staff:{info.login}" != self.actor.actor_id:
            self.confirm, _ = ask(
                self, "停用账户", f"停用账户 {info.login}（{info.display_name}，{info.role_name}）？",
                detail="停用后该账户不能再登录；需要时可再启用。",
                go="停用该账户", stay="取消", on_go=partial(self._toggle, info))
            return
        self._toggle(info)

    def _toggle(self, info: AccountInfo) -> None:
        self.confirm = None
        if self.tasks.busy:
            return
        actor, login, disable = self.actor, info.login, not info.disabled
        verb = "停用" if disable else "启用"
        self.tasks.run(lambda hall: accounts.update_account(hall, actor, login, disabled=disable),
                       lambda _info: self._done(f"已{verb}账户 {login}", login), self._refused)

    def _refused(self, error: Exception) -> None:
        set_tone(self.message, "error", user_message(error, "修改账户"))
