"""The administrator's way out of a locked kiosk: a PIN on an on-screen keypad.

The PIN is kept as an Argon2id hash in the setting ``kiosk_exit_pin`` (shared by the administration
desk's 自助终端密码 and in force as soon as it arrives, or set on the PC with ``python -m desktop
set-kiosk-pin``); the setting in force is read each time a PIN is typed, and checked off the GUI thread. After
``lockout_failures`` wrong PINs the keypad rests for ``lockout_minutes``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from desktop.domain.chinatime import china_now
from desktop.domain.passwords import PIN_MAX, LockoutPolicy, locked, pin_matches
from ui.common.widgets import Phrases, label, message_label, secondary_button, set_tone
from ui.shell.context import WorkContext

NO_PIN = ("本机尚未设置管理员退出密码：请系统管理员在管理程序的“自助终端密码”中设置（本机同步后即生效），"
          "或在本机命令行运行 python -m desktop set-kiosk-pin 设置后重新启动")


class _KeypadField(QLineEdit):
    """The PIN's field: the page has its own keypad, so it takes no input method — the on-screen keyboard
    would only cover the keypad and squeeze the page. Keys typed on a keyboard still arrive."""

    def inputMethodQuery(self, query: Qt.InputMethodQuery, *argument: Any) -> Any:
        if query == Qt.InputMethodQuery.ImEnabled:
            return False
        return super().inputMethodQuery(query, *argument)


class _MessageRoom(QWidget):
    """The room of a one-line refusal under the PIN's field, kept while there is none (see :class:`PinPage`): as
    tall as the message shows 密码不正确 in the page's text size of the moment (大字 too); a longer one grows it."""

    SAMPLE = "密码不正确，还可以再试 9 次"

    def __init__(self, message: QLabel) -> None:
        super().__init__()
        self.message = message
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(message)
        layout.addStretch(1)

    def reserve(self) -> None:
        """The message's height with one line of refusal in it, from its own style (the tone's padding too)."""
        message = self.message
        text, tone, shown = message.text(), message.property("tone") or "", message.isVisibleTo(self)
        set_tone(message, "error", self.SAMPLE)
        message.ensurePolished()
        # in the width it has (a label's own hint is two lines, at a width of its choosing)
        height = message.heightForWidth(self.width()) if self.width() > 1 else message.sizeHint().height()
        set_tone(message, tone, text)
        message.setVisible(shown and bool(text))
        self.setMinimumHeight(height)

    def changeEvent(self, event: QEvent) -> None:  # 大字 on or off: the kiosk's style sheet changes
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self.reserve()

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        self.reserve()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.reserve()


class PinPage(QWidget):
    """Keypad and a masked field; ``accepted`` when the PIN matches, ``cancelled`` on 返回."""

    accepted = Signal()
    cancelled = Signal()

    def __init__(self, ctx: WorkContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.tasks = ctx.group(self)
        self.setObjectName("page")
        self.policy = LockoutPolicy(ctx.settings.lockout_failures, ctx.settings.lockout_minutes)
        self.failures = 0
        self.locked_until: datetime | None = None
        self.field = _KeypadField()
        self.field.setEchoMode(QLineEdit.EchoMode.Password)
        self.field.setMaxLength(PIN_MAX)
        self.field.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.field.setMaximumWidth(600)
        self.message = message_label()
        keys = QGridLayout()
        keys.setSpacing(12)
        for index, digit in enumerate("123456789"):
            keys.addWidget(self._key(digit), index // 3, index % 3)
        erase = secondary_button("删除")
        erase.setObjectName("key")
        erase.clicked.connect(self.field.backspace)
        keys.addWidget(erase, 3, 0)
        keys.addWidget(self._key("0"), 3, 1)
        self.confirm = QPushButton("确定")
        self.confirm.setObjectName("key")
        keys.addWidget(self.confirm, 3, 2)
        self.back = secondary_button("返回首页")
        column = QVBoxLayout()
        column.setSpacing(12)
        # 管理员退出 is on the bar above: the page keeps its height for the keypad and a message.
        column.addWidget(label(Phrases("请输入|管理员退出密码"), "subtitle", centred=True))
        entry = QHBoxLayout()  # 返回首页 beside the field: with large text the keypad needs the height
        entry.setSpacing(24)
        entry.addWidget(self.back)
        entry.addWidget(self.field, 1)
        column.addLayout(entry)
        # a line's room kept for 密码不正确… while there is none: its coming moved the keypad some 40 px under the
        # administrator's finger, the next PIN's first digit typed on the key above
        self.message_room = _MessageRoom(self.message)
        column.addWidget(self.message_room)
        column.addLayout(keys)
        outer = QHBoxLayout(self)
        outer.setContentsMargins(24, 8, 24, 8)
        outer.addStretch(1)
        middle = QVBoxLayout()
        middle.addStretch(1)
        middle.addLayout(column)
        middle.addStretch(1)
        outer.addLayout(middle, 2)
        outer.addStretch(1)
        self.confirm.clicked.connect(self.check)
        self.field.returnPressed.connect(self.check)
        self.back.clicked.connect(self.cancelled)
        self.tasks.busy_changed.connect(self.confirm.setDisabled)

    def _key(self, digit: str) -> QPushButton:
        button = QPushButton(digit)
        button.setObjectName("key")
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        button.clicked.connect(lambda: self.field.insert(digit))
        return button

    def clear(self) -> None:
        self.field.clear()
        self.field.setText("")
        set_tone(self.message, "", "")

    def check(self) -> None:
        if self.tasks.busy:
            return
        hashed = self.ctx.settings.kiosk_exit_pin
        if not hashed:
            self.field.setText("")  # typed again once a PIN has arrived
            set_tone(self.message, "error", NO_PIN)
            return
        now = china_now()
        if locked(self.locked_until, now):
            assert self.locked_until is not None
            set_tone(self.message, "error", f"密码错误次数过多，请于 {self.locked_until:%H:%M} 以后再试")
            return
        pin = self.field.text()
        self.field.setText("")
        self.tasks.run(lambda _hall: pin_matches(hashed, pin), self._checked)

    def _checked(self, right: bool) -> None:
        if right:
            self.failures, self.locked_until = 0, None
            set_tone(self.message, "", "")
            self.accepted.emit()
            return
        self.failures, self.locked_until = self.policy.after_failure(self.failures, china_now())
        if self.locked_until is not None:
            set_tone(self.message, "error", f"密码错误次数过多，请于 {self.locked_until:%H:%M} 以后再试")
        else:
            left = self.policy.remaining(self.failures)
            set_tone(self.message, "error", f"密码不正确，还可以再试 {left} 次")
