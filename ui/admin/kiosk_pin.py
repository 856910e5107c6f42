"""自助终端退出密码: the administrator sets (or changes) the kiosks' exit PIN for every hall or one.

The PIN is typed twice and checked by the rule of ``set-kiosk-pin``; it is hashed (Argon2id)
off the GUI thread, on this desk, and only the hash goes to the server with the
administrator's own password (checked by the server each time, never kept). The server
shares it with the kiosks, which put it in force at their next sync.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLineEdit, QPushButton, QVBoxLayout, QWidget

from desktop.domain.errors import ValidationError
from desktop.domain.passwords import PIN_MAX
from ui.common.widgets import FormGrid, label, message_label, password_field, secondary_button, set_tone, stamp_words
from ui.shell.context import WorkContext
from ui.shell.errors import user_message
from ui.shell.tasks import Executor

if TYPE_CHECKING:
    from desktop.services.context import Hall
    from desktop.services.kiosk_pin import KioskPinSet

HINT = ("管理员在自助终端屏幕右上角连点五次，输入此密码即可退出锁定的自助终端。密码为6–12位数字，"
        "不能是同一数字重复或连续数字；本机只把它的散列发给服务器，各自助终端下次同步时生效。"
        "某台终端如在安装时另行固定了退出密码，则仍以那台终端上固定的密码为准。")
OFFLINE = ("本机没有连接信访服务器，不能从这里统一设置自助终端的退出密码。"
           "请到每台自助终端上分别设置（在终端电脑上运行“设置自助终端退出密码”命令）；"
           "或先由安装人员在本机的设置中填写服务器地址并完成设备注册，再回到此页统一设置。")
#: the same for whoever installs the PCs: the setting's and command's names, small under the words
TECHNICAL = ("供安装人员参考：服务器地址即设置文件中的 server_url，设备注册用 python -m desktop sync-token；"
             "终端上的命令为 python -m desktop set-kiosk-pin；安装时固定的密码为环境变量 PH_KIOSK_EXIT_PIN。")


def _message(error: BaseException, doing: str) -> str:
    from server.protocol import SyncProblem

    return error.message if isinstance(error, SyncProblem) else user_message(error, doing)


def describe_pins(pins: list[KioskPinSet]) -> str:
    """Where a PIN is set, in words (the time to the minute)."""
    if not pins:
        return "服务器尚未下发自助终端退出密码：各终端使用本机用 set-kiosk-pin 设置的密码"
    parts = [f"{'所有大厅' if not p.hall_code else '大厅 ' + p.hall_code}：{stamp_words(p.changed_at)} 设置"
             for p in pins]
    return "已下发的退出密码 — " + "；".join(parts)


class KioskPinPanel(QWidget):
    """The PIN typed twice, the hall it is for, and where one is set already."""

    saved = Signal(object)  # KioskPinSet
    refreshed = Signal()

    def __init__(self, ctx: WorkContext) -> None:
        super().__init__()
        self.ctx, self.actor = ctx, ctx.actor
        self.tasks = ctx.group(self)
        self.online = bool(ctx.settings.server_url.strip())
        self.password = password_field("本人登录密码：服务器每次核验，本机不保存")
        self.pin = self._pin_field("6–12位数字")
        self.again = self._pin_field("再输入一次")
        self.hall_code = QLineEdit()
        self.hall_code.setMaxLength(16)
        self.hall_code.setPlaceholderText("不填：所有大厅的自助终端")
        self.save_button = QPushButton("设置退出密码")
        self.save_button.setObjectName("primary")
        self.load_button = secondary_button("查看已下发的密码")
        self.current = label("", "hint")
        self.message = message_label()
        self.technical = label(TECHNICAL, "hint")
        self.technical.setWordWrap(True)
        box = QGroupBox("自助终端管理员退出密码")
        grid = FormGrid()
        grid.add_row("本人登录密码", self.password)
        grid.add_row("新的退出密码", self.pin)
        grid.add_row("再输入一次", self.again)
        grid.add_row("大厅编码", self.hall_code)
        buttons = QHBoxLayout()
        buttons.addWidget(self.load_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        inner = QVBoxLayout(box)
        inner.addWidget(label(HINT, "hint"))
        inner.addLayout(grid)
        inner.addLayout(buttons)
        inner.addWidget(self.message)
        inner.addWidget(self.current)
        inner.addWidget(self.technical)
        box.setMaximumWidth(720)
        layout = QVBoxLayout(self)
        layout.addWidget(box)
        layout.addStretch(1)
        self._fields: dict[str, QWidget] = {"pin": self.pin, "again": self.again, "hall_code": self.hall_code}
        self.save_button.clicked.connect(self.save)
        self.again.returnPressed.connect(self.save)
        self.load_button.clicked.connect(self.refresh)
        self.tasks.busy_changed.connect(lambda _busy: self._enable())
        self.technical.setVisible(not self.online)  # online the words above say all an administrator needs
        if not self.online:
            set_tone(self.message, "notice", OFFLINE)
        self._enable()

    def _pin_field(self, placeholder: str) -> QLineEdit:
        field = password_field(placeholder)
        field.setMaxLength(PIN_MAX)
        field.setMaximumWidth(240)
        return field

    def _enable(self) -> None:
        usable = self.online and not self.tasks.busy
        for widget in (self.password, self.pin, self.again, self.hall_code):
            widget.setEnabled(self.online)
        self.save_button.setEnabled(usable)
        self.load_button.setEnabled(usable)

    @property
    def login(self) -> str:
        return self.actor.actor_id.removeprefix("staff:")

    def _asks_password(self) -> str | None:
        password = self.password.text()
        if not password:
            set_tone(self.message, "error", "请先输入本人的登录密码：服务器据此确认是系统管理员在操作")
            self.password.setFocus()
        return password or None

    def refresh(self) -> None:
        from desktop.sync.enrolment import server_kiosk_pins

        password = self._asks_password()
        if password is None or self.tasks.busy:
            self.refreshed.emit()
            return
        login = self.login
        self.tasks.run(lambda hall: server_kiosk_pins(hall, login, password), self._listed, self._list_failed,
                       executor=Executor.DEVICES)

    def _listed(self, pins: list[KioskPinSet]) -> None:
        set_tone(self.current, "", describe_pins(pins))
        self.refreshed.emit()

    def _list_failed(self, error: Exception) -> None:
        set_tone(self.message, "error", _message(error, "读取退出密码的设置情况"))
        self.refreshed.emit()

    def save(self) -> None:
        from desktop.sync.enrolment import set_server_kiosk_pin

        if self.tasks.busy or not self.online:
            return
        password = self._asks_password()
        if password is None:
            return
        login, pin, again, hall_code = self.login, self.pin.text(), self.again.text(), self.hall_code.text()
        set_tone(self.message, "notice", "正在设置……")

        def work(hall: Hall) -> KioskPinSet:
            return set_server_kiosk_pin(hall, login, password, pin, again, hall_code)

        self.tasks.run(work, self._saved, self._refused, executor=Executor.DEVICES)

    def _saved(self, done: KioskPinSet) -> None:
        self.pin.clear()
        self.again.clear()
        where = f"大厅 {done.hall_code} 的自助终端" if done.hall_code else "所有大厅的自助终端"
        set_tone(self.message, "ok", f"已设置{where}的退出密码：各终端下次与服务器同步时生效，请牢记新密码")
        self.saved.emit(done)
        self.refresh()

    def _refused(self, error: Exception) -> None:
        set_tone(self.message, "error", _message(error, "设置退出密码"))
        if isinstance(error, ValidationError) and error.field in self._fields:
            field = self._fields[error.field]
            if field in (self.pin, self.again):
                self.pin.clear()
                self.again.clear()
                field = self.pin
            field.setFocus()
