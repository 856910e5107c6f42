"""The administrator's account management and the audit log screen."""

from __future__ import annotations

import secrets
import string
from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.access import ROLE_NAMES, ROLE_PERMISSIONS, STAFF_ROLES, Permission, Role
from desktop.domain.audit import AuditAction, AuditEntry, AuditReport
from desktop.domain.errors import RuleViolation
from desktop.domain.passwords import password_problems
from desktop.services import accounts, audit
from desktop.services.accounts import AccountInfo
from desktop.services.audit import AuditQuery
from desktop.services.context import Actor, Hall
from ui.tasks import TaskRunner
from ui.widgets import label, message_label, set_tone

# Letters and digits that cannot be misread when an initial password is read out or copied by hand.
_PLAIN = "".join(c for c in string.ascii_letters + string.digits if c not in "0O1lIo")
_SYMBOLS = "#@%+=?"


def generate_initial_password(length: int = 12) -> str:
    """A random password that meets the policy, to hand over once and be changed at first sign-in."""
    while True:
        body = [secrets.choice(_PLAIN) for _ in range(length - 1)]
        body.insert(secrets.randbelow(length), secrets.choice(_SYMBOLS))
        password = "".join(body)
        if not password_problems(password):
            return password


def _table(columns: tuple[str, ...]) -> QTableWidget:
    table = QTableWidget(0, len(columns))
    table.setHorizontalHeaderLabels(list(columns))
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setStretchLastSection(True)
    table.setAlternatingRowColors(True)
    return table


class InitialPasswordField(QWidget):
    """An initial password the administrator reads out to the person, with a generator."""

    def __init__(self) -> None:
        super().__init__()
        self.edit = QLineEdit()
        self.edit.setPlaceholderText(self.tr("首次登录时须由本人修改"))
        self.generate = QPushButton(self.tr("随机生成"))
        self.generate.setObjectName("secondary")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.edit, 1)
        row.addWidget(self.generate)
        self.generate.clicked.connect(lambda: self.edit.setText(generate_initial_password()))

    def text(self) -> str:
        return self.edit.text()


class CreateAccountDialog(QDialog):
    """A new staff account: who, which role, an initial password and any extra permissions."""

    created = Signal(object)  # AccountInfo

    def __init__(self, hall: Hall, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.hall, self.actor = hall, actor
        self.tasks = TaskRunner(self)  # the initial password is hashed off the GUI thread (Argon2id)
        self.setWindowTitle(self.tr("新建账户"))
        self.setMinimumWidth(760)
        self.login = QLineEdit()
        self.login.setPlaceholderText(self.tr("3–32位小写字母、数字或 . _ -，如 zhangwei"))
        self.display_name = QLineEdit()
        self.role = QComboBox()
        for role in STAFF_ROLES:
            self.role.addItem(ROLE_NAMES[role], role.value)
        self.password = InitialPasswordField()
        self.org_code = QLineEdit()
        self.org_code.setPlaceholderText(self.tr("其他单位人员填写机构目录中的单位编码；本大厅人员不填"))
        self.permissions: dict[Permission, QCheckBox] = {}
        grid = QGridLayout()
        for index, permission in enumerate(Permission):
            box = QCheckBox(permission.value)
            self.permissions[permission] = box
            grid.addWidget(box, index // 3, index % 3)
        extra = QGroupBox(self.tr("附加权限（灰色为所选角色已有的权限）"))
        extra.setLayout(grid)
        self.message = message_label()
        self.submit_button = QPushButton(self.tr("创建账户"))
        self.submit_button.setObjectName("primary")
        cancel = QPushButton(self.tr("取消"))
        cancel.setObjectName("secondary")
        form = QFormLayout()
        form.addRow(self.tr("登录名"), self.login)
        form.addRow(self.tr("姓名"), self.display_name)
        form.addRow(self.tr("角色"), self.role)
        form.addRow(self.tr("初始密码"), self.password)
        form.addRow(self.tr("所属单位编码"), self.org_code)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(cancel)
        buttons.addWidget(self.submit_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(extra)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.role.currentIndexChanged.connect(self._role_changed)
        self.submit_button.clicked.connect(self.submit)
        self.tasks.busy_changed.connect(self.submit_button.setDisabled)
        cancel.clicked.connect(self.reject)
        self._role_changed()

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
        hall, actor = self.hall, self.actor
        login, name, role = self.login.text(), self.display_name.text(), str(self.role.currentData())
        password, org, extra = self.password.text(), self.org_code.text(), self.extra_permissions()
        set_tone(self.message, "notice", self.tr("正在创建……"))
        self.tasks.run(lambda: accounts.create_account(hall, actor, login=login, display_name=name, role=role,
                                                       initial_password=password, org_code=org,
                                                       extra_permissions=extra),
                       self._created, self._refused)

    def _created(self, info: AccountInfo) -> None:
        self.created.emit(info)
        self.accept()

    def _refused(self, error: Exception) -> None:
        set_tone(self.message, "error", error.message if isinstance(error, RuleViolation) else str(error))
        if not isinstance(error, RuleViolation):
            raise error


class ResetPasswordDialog(QDialog):
    """A new initial password for someone who forgot theirs; also lifts a lock."""

    done_for = Signal(object)  # AccountInfo

    def __init__(self, hall: Hall, actor: Actor, account: AccountInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.hall, self.actor, self.account = hall, actor, account
        self.tasks = TaskRunner(self)  # the new password is hashed off the GUI thread (Argon2id)
        self.setWindowTitle(self.tr("重置密码"))
        self.setMinimumWidth(620)
        self.password = InitialPasswordField()
        self.message = message_label()
        self.submit_button = QPushButton(self.tr("重置密码"))
        self.submit_button.setObjectName("primary")
        cancel = QPushButton(self.tr("取消"))
        cancel.setObjectName("secondary")
        layout = QVBoxLayout(self)
        layout.addWidget(label(self.tr(
            f"为 {account.display_name}（{account.login}）设置新的初始密码。"
            "本人下次登录时须修改；账户如被锁定将同时解锁。")))
        form = QFormLayout()
        form.addRow(self.tr("新的初始密码"), self.password)
        layout.addLayout(form)
        layout.addWidget(self.message)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(cancel)
        buttons.addWidget(self.submit_button)
        layout.addLayout(buttons)
        self.submit_button.clicked.connect(self.submit)
        self.tasks.busy_changed.connect(self.submit_button.setDisabled)
        cancel.clicked.connect(self.reject)

    def submit(self) -> None:
        if self.tasks.busy:
            return
        hall, actor, login, password = self.hall, self.actor, self.account.login, self.password.text()
        set_tone(self.message, "notice", self.tr("正在重置……"))
        self.tasks.run(lambda: accounts.reset_password(hall, actor, login, password), self._done, self._refused)

    def _done(self, info: AccountInfo) -> None:
        self.done_for.emit(info)
        self.accept()

    def _refused(self, error: Exception) -> None:
        set_tone(self.message, "error", error.message if isinstance(error, RuleViolation) else str(error))
        if not isinstance(error, RuleViolation):
            raise error


class AccountsPanel(QWidget):
    """Every account on this PC, with the administrator's actions on the selected one."""

    COLUMNS = ("登录名", "姓名", "角色", "所属单位", "状态", "附加权限")
    STATUS_COLUMN = 4

    def __init__(self, hall: Hall, actor: Actor) -> None:
        super().__init__()
        self.hall, self.actor = hall, actor
        self.accounts: list[AccountInfo] = []
        self.create_button = QPushButton(self.tr("新建账户"))
        self.reset_button = QPushButton(self.tr("重置密码"))
        self.unlock_button = QPushButton(self.tr("解锁"))
        self.disable_button = QPushButton(self.tr("停用"))
        self.refresh_button = QPushButton(self.tr("刷新"))
        self.refresh_button.setObjectName("secondary")
        self.table = _table(self.COLUMNS)
        self.message = message_label()
        self.dialog: QDialog | None = None
        tools = QHBoxLayout()
        for button in (self.create_button, self.reset_button, self.unlock_button, self.disable_button):
            tools.addWidget(button)
        tools.addStretch(1)
        tools.addWidget(self.refresh_button)
        layout = QVBoxLayout(self)
        layout.addLayout(tools)
        layout.addWidget(self.message)
        layout.addWidget(self.table, 1)
        self.create_button.clicked.connect(self.open_create_dialog)
        self.reset_button.clicked.connect(self.open_reset_dialog)
        self.unlock_button.clicked.connect(self.unlock_selected)
        self.disable_button.clicked.connect(self.toggle_disabled)
        self.refresh_button.clicked.connect(self.refresh)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.refresh()

    def refresh(self) -> None:
        selected = self.selected()
        try:
            self.accounts = accounts.list_accounts(self.hall, self.actor)
        except RuleViolation as refusal:
            set_tone(self.message, "error", refusal.message)
            return
        self.table.setRowCount(len(self.accounts))
        for row, info in enumerate(self.accounts):
            status, alarming = self._status(info)
            values = (info.login, info.display_name, info.role_name, info.org_code or "本大厅", status,
                      "、".join(info.extra_permissions) or "—")
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                if alarming and column == self.STATUS_COLUMN:
                    item.setForeground(QColor("#b3261e"))
                self.table.setItem(row, column, item)
        self.table.resizeColumnsToContents()
        if selected is not None:
            self.select(selected.login)
        self._selection_changed()

    def _status(self, info: AccountInfo) -> tuple[str, bool]:
        if info.disabled:
            return self.tr("已停用"), True
        if info.locked_until is not None and info.locked_until > self.hall.now():
            return self.tr(f"已锁定（至 {info.locked_until:%m-%d %H:%M}）"), True
        parts = [self.tr("待修改初始密码") if info.must_change_password else self.tr("正常")]
        if info.failed_count:
            parts.append(self.tr(f"已连续输错 {info.failed_count} 次"))
        return "，".join(parts), bool(info.failed_count)

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
        for button in (self.reset_button, self.unlock_button, self.disable_button):
            button.setEnabled(info is not None)
        self.disable_button.setText(self.tr("启用") if info is not None and info.disabled else self.tr("停用"))

    def _done(self, text: str, login: str) -> None:
        self.refresh()
        self.select(login)
        set_tone(self.message, "ok", text)

    def open_create_dialog(self) -> CreateAccountDialog:
        """Window-modal, not blocking: the dialog reports back through ``created``."""
        dialog = CreateAccountDialog(self.hall, self.actor, self)
        dialog.created.connect(lambda info: self._done(
            self.tr(f"已创建账户 {info.login}（{info.display_name}，{info.role_name}），首次登录时须修改初始密码"),
            info.login))
        self.dialog = dialog
        dialog.open()
        return dialog

    def open_reset_dialog(self) -> ResetPasswordDialog | None:
        info = self.selected()
        if info is None:
            return None
        dialog = ResetPasswordDialog(self.hall, self.actor, info, self)
        dialog.done_for.connect(lambda done: self._done(
            self.tr(f"已为 {done.login} 重置密码，下次登录时须修改"), done.login))
        self.dialog = dialog
        dialog.open()
        return dialog

    def unlock_selected(self) -> None:
        info = self.selected()
        if info is None:
            return
        try:
            accounts.unlock(self.hall, self.actor, info.login)
        except RuleViolation as refusal:
            set_tone(self.message, "error", refusal.message)
            return
        self._done(self.tr(f"已解锁账户 {info.login}"), info.login)

    def toggle_disabled(self) -> None:
        info = self.selected()
        if info is None:
            return
        try:
            accounts.update_account(self.hall, self.actor, info.login, disabled=not info.disabled)
        except RuleViolation as refusal:
            set_tone(self.message, "error", refusal.message)
            return
        verb = self.tr("启用") if info.disabled else self.tr("停用")
        self._done(self.tr(f"已{verb}账户 {info.login}"), info.login)


_DETAIL_KEYS: Mapping[str, str] = {
    "reason": "原因", "idle": "无操作自动锁屏", "role": "角色", "org_code": "单位", "until": "锁定至",
    "extra_permissions": "附加权限", "disabled": "停用", "display_name": "姓名", "code": "代码",
    "message": "说明", "event": "步骤", "event_id": "事件", "accounts": "账户数",
}
_DETAIL_VALUES: Mapping[str, str] = {
    "wrong_password": "密码错误", "no_account": "无此账户", "disabled": "账户已停用",
    "locked": "账户已锁定", "other_hall": "其他大厅的账户",
}
_ALARMING = frozenset({AuditAction.LOGIN_FAILED.value, AuditAction.ACCOUNT_LOCKED.value,
                       AuditAction.PERMISSION_DENIED.value})


def describe_detail(detail: Mapping[str, Any]) -> str:
    parts = []
    for key, value in detail.items():
        if value in ("", None, [], ()):
            continue
        if key == "role" and value in Role.__members__.values():
            shown = ROLE_NAMES[Role(value)]
        elif isinstance(value, bool):
            shown = "是" if value else "否"
        elif isinstance(value, list | tuple):
            shown = "、".join(str(v) for v in value) or "无"
        else:
            shown = _DETAIL_VALUES.get(str(value), str(value))
        parts.append(f"{_DETAIL_KEYS.get(key, key)}：{shown}")
    return "；".join(parts)


class AuditPanel(QWidget):
    """The newest audit entries, and a check that none was edited, removed or swapped."""

    COLUMNS = ("序号", "时间", "设备", "操作人", "操作", "对象", "详情")
    verified = Signal(object)  # AuditReport

    def __init__(self, hall: Hall, actor: Actor, limit: int = 500) -> None:
        super().__init__()
        self.hall, self.actor, self.limit = hall, actor, limit
        self.tasks = TaskRunner(self)
        self.entries: list[AuditEntry] = []
        self.refresh_button = QPushButton(self.tr("刷新"))
        self.refresh_button.setObjectName("secondary")
        self.verify_button = QPushButton(self.tr("核验完整性"))
        self.summary = label("", "subtitle")
        self.report = message_label()
        self.report_area = QScrollArea()
        self.report_area.setWidgetResizable(True)
        self.report_area.setFrameShape(QScrollArea.Shape.NoFrame)
        self.report_area.setWidget(self.report)
        self.report_area.hide()
        self.table = _table(self.COLUMNS)
        tools = QHBoxLayout()
        tools.addWidget(self.verify_button)
        tools.addWidget(self.summary, 1)
        tools.addWidget(self.refresh_button)
        layout = QVBoxLayout(self)
        layout.addLayout(tools)
        layout.addWidget(self.report_area)
        layout.addWidget(self.table, 1)
        self.refresh_button.clicked.connect(self.refresh)
        self.verify_button.clicked.connect(self.verify)
        self.tasks.busy_changed.connect(self.verify_button.setDisabled)
        self.refresh()

    def refresh(self) -> None:
        try:
            self.entries = audit.list_audit(self.hall, self.actor, AuditQuery(limit=self.limit))
        except RuleViolation as refusal:
            self._show_report("error", refusal.message)
            return
        self.summary.setText(self.tr(f"最新 {len(self.entries)} 条记录（最新的在前）"))
        self.table.setRowCount(len(self.entries))
        for row, entry in enumerate(self.entries):
            values = (str(entry.seq), entry.at.replace("T", " "), entry.device,
                      f"{entry.actor_name}　{entry.actor_id}", entry.action, entry.target,
                      describe_detail(entry.detail))
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                if entry.action in _ALARMING:
                    item.setForeground(QColor("#b3261e"))
                self.table.setItem(row, column, item)
        self.table.resizeColumnsToContents()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(len(self.COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)

    def verify(self) -> None:
        """Check the whole chain off the GUI thread (a long log takes a while)."""
        if self.tasks.busy:
            return
        hall, actor = self.hall, self.actor
        self._show_report("notice", self.tr("正在核验审计日志……"))
        self.tasks.run(lambda: audit.verify_audit(hall, actor), self._verified, self._verify_refused)

    def _verified(self, report: AuditReport) -> None:
        self._show_report("ok" if report.ok else "error", report.summary())
        self.refresh()
        self.verified.emit(report)

    def _verify_refused(self, error: Exception) -> None:
        self._show_report("error", error.message if isinstance(error, RuleViolation) else str(error))
        if not isinstance(error, RuleViolation):
            raise error

    def _show_report(self, tone: str, text: str) -> None:
        """The report as tall as its text, up to a few lines; a long list of problems scrolls."""
        set_tone(self.report, tone, text)
        self.report_area.setVisible(bool(text))
        width = max(self.width() - 30, 300)
        height = self.report.heightForWidth(width)
        self.report_area.setFixedHeight(min((height if height > 0 else self.report.sizeHint().height()) + 4, 200))
