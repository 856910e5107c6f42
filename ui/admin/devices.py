"""设备管理: the server's enrolled devices in words (kind, place, unit, hall, last seen, revoked), naming where one
stands, revoking one, issuing enrolment codes. A device's id shows only for the selected one, labelled.

The list lives on the server: every call goes over the network (on the task manager's
network executor, never the GUI thread) with this desk's device token and the
administrator's own password, which the server checks each time and nothing keeps.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.roles import DEVICE_KIND_NAMES, device_kind
from ui.common.choice import Choice, ChoiceBox
from ui.common.widgets import (
    ask,
    fit_columns,
    label,
    message_label,
    read_only_table,
    secondary_button,
    set_tone,
    stamp_words,
)
from ui.shell.context import WorkContext
from ui.shell.errors import user_message
from ui.shell.tasks import Executor

if TYPE_CHECKING:
    from desktop.services.changes import Changes
    from desktop.services.context import Hall
    from server.protocol import DeviceEntry, IssuedCodeResponse

ROLE_NAMES = DEVICE_KIND_NAMES  # the kinds of device a code is issued for


def _when(stamp: str) -> str:
    return stamp_words(stamp)


def peripherals_words(device: DeviceEntry) -> str:
    """What the device reported of its reader, printer and camera, with when each problem began (正常: nothing)."""
    from desktop.domain.chinatime import china_today
    from desktop.services.peripherals import device_state_words

    return device_state_words(device.role, bool(device.revoked_at), (
        {"peripheral": p.peripheral, "problem": p.problem, "since": p.since} for p in device.peripherals),
        china_today())


def device_words(device: DeviceEntry) -> str:
    """``自助终端 K01（一楼大厅入口）``: the device as a person names it."""
    kind = device_kind(device.role, device.device_code)
    return f"{kind}（{device.place}）" if device.place else kind


def _message(error: Exception, doing: str) -> str:
    from server.protocol import SyncProblem

    return error.message if isinstance(error, SyncProblem) else user_message(error, doing)


def _units(_hall: Hall) -> list[Choice]:
    from desktop.services.case_actions import organisation_choices

    return [Choice(o.code, o.name, o.keys) for o in organisation_choices()]


#: The devices are the server's: a PC that talks to none has none to list.
OFFLINE = ("本机没有连接服务器（未设置 server_url）：设备登记在服务器上，"
           "请在连接服务器的管理电脑上管理设备，或在服务器上运行 python -m server list-devices")


class DevicesPanel(QWidget):
    """The server's devices, with revoking the selected one and issuing a one-time enrolment code."""

    COLUMNS = ("设备", "位置", "所属单位", "大厅", "注册时间", "最后联系", "状态", "外设")
    STATUS_COLUMN = 6
    PERIPHERALS_COLUMN = 7

    refreshed = Signal()

    def __init__(self, ctx: WorkContext) -> None:
        super().__init__()
        self.ctx, self.actor = ctx, ctx.actor
        self.online = bool(ctx.settings.server_url.strip())
        self.tasks = ctx.group(self)
        self.devices: list[DeviceEntry] = []
        self._told = ""  # what to say once the list has been read again (after a revocation)
        self._shown = ""  # the device whose place is in the field
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("本人登录密码：服务器每次核验，本机不保存")
        self.load_button = QPushButton("读取服务器上的设备")
        self.revoke_button = QPushButton("停用所选设备")
        self.role = QComboBox()
        for role, name in ROLE_NAMES.items():
            self.role.addItem(name, role)
        self.org_code = ChoiceBox("其他单位的设备：输入单位名称、简称或拼音首字母选择；本大厅不填")
        self.org_code.setMinimumWidth(360)
        self.unit_names: dict[str, str] = {}  # the directory's units by code, to list devices by their unit's name
        self.hall_code = QLineEdit()
        self.hall_code.setPlaceholderText("大厅编码（可不填）")
        self.issue_button = secondary_button("签发注册码")
        self.table = read_only_table(self.COLUMNS)
        self.chosen = label("", "hint")  # the selected device in words, and its id labelled (to check or copy)
        self.chosen.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.place = QLineEdit()
        self.place.setMaxLength(24)
        self.place.setPlaceholderText("所选设备的位置，如“3号窗口”“一楼大厅入口”")
        self.place_button = secondary_button("保存位置")
        self.message = message_label()
        self.confirm: QMessageBox | None = None  # 停用所选设备 asks first
        form = QFormLayout()
        form.addRow("管理员密码", self.password)
        tools = QHBoxLayout()
        tools.addWidget(self.load_button)
        tools.addWidget(self.revoke_button)
        tools.addStretch(1)
        issue = QHBoxLayout()
        issue.addWidget(label("新设备："))
        for widget in (self.role, self.org_code, self.hall_code, self.issue_button):
            issue.addWidget(widget)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(tools)
        layout.addLayout(issue)
        layout.addWidget(self.message)
        layout.addWidget(self.table, 1)
        naming = QHBoxLayout()
        naming.addWidget(self.chosen, 1)
        naming.addWidget(label("位置："))
        naming.addWidget(self.place)
        naming.addWidget(self.place_button)
        layout.addLayout(naming)
        self.load_button.clicked.connect(self.refresh)
        self.revoke_button.clicked.connect(self.revoke_selected)
        self.place_button.clicked.connect(self.name_selected)
        self.place.returnPressed.connect(self.name_selected)
        self.issue_button.clicked.connect(self.issue_code)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.tasks.busy_changed.connect(self._busy)
        ctx.tasks.changed.connect(self._changed)
        self._selection_changed()
        self.reading = ctx.group(self)
        self.reading.run(_units, self._units_loaded)
        if not self.online:  # said before a password is typed for nothing
            set_tone(self.message, "notice", OFFLINE)
            for widget in (self.password, self.load_button, self.role, self.org_code, self.hall_code,
                           self.issue_button):
                widget.setEnabled(False)

    def _units_loaded(self, units: list[Choice]) -> None:
        self.org_code.set_choices(units)
        self.unit_names = {u.code: u.text for u in units}

    @property
    def login(self) -> str:
        return self.actor.actor_id.removeprefix("staff:")

    def _changed(self, changes: Changes) -> None:
        if changes.accounts and self.devices and self.password.text():
            self.refresh()  # an account changed (perhaps this one): read the list again while connected

    def _busy(self, busy: bool) -> None:
        for button in (self.load_button, self.issue_button, self.place_button):
            button.setDisabled(busy or not self.online)
        self._selection_changed()

    def refresh(self) -> None:
        from desktop.sync.enrolment import list_server_devices

        login, password = self.login, self.password.text()
        if not password:
            set_tone(self.message, "error", "请先输入本人的登录密码：服务器据此确认是系统管理员在操作")
            self.refreshed.emit()
            return
        set_tone(self.message, "notice", "正在读取服务器上的设备……")
        self.tasks.run(lambda hall: list_server_devices(hall, login, password), self._listed, self._list_failed,
                       executor=Executor.DEVICES)

    def _list_failed(self, error: Exception) -> None:
        set_tone(self.message, "error", _message(error, "读取设备列表"))
        self.refreshed.emit()

    def _listed(self, devices: list[DeviceEntry]) -> None:
        selected = self.selected()
        self.devices = devices
        self.table.setRowCount(len(devices))
        for row, device in enumerate(devices):
            status = f"已停用（{_when(device.revoked_at)}）" if device.revoked_at else "在用"
            unit = self.unit_names.get(device.org_code, "未知单位") if device.org_code else "本大厅"
            hall = device.hall_name or (f"大厅编码 {device.hall_code}" if device.hall_code else "—")
            values = (device_kind(device.role, device.device_code), device.place or "未填写", unit, hall,
                      _when(device.enrolled_at), _when(device.last_seen_at) or "从未联系", status,
                      peripherals_words(device))
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setToolTip(value)
                if (device.revoked_at and column == self.STATUS_COLUMN) or \
                        (device.peripherals and column == self.PERIPHERALS_COLUMN):
                    item.setForeground(QColor("#b3261e"))
                self.table.setItem(row, column, item)
        fit_columns(self.table)
        if selected is not None:
            self.select(selected.device_id)
        told, self._told = self._told, ""
        set_tone(self.message, "ok", told or f"服务器上共有 {len(devices)} 台设备")
        self._selection_changed()
        self.refreshed.emit()

    def selected(self) -> DeviceEntry | None:
        row = self.table.currentRow()
        return self.devices[row] if 0 <= row < len(self.devices) and self.table.selectedItems() else None

    def select(self, device_id: str) -> None:
        for row, device in enumerate(self.devices):
            if device.device_id == device_id:
                self.table.selectRow(row)
                return

    def _selection_changed(self) -> None:
        device = self.selected()
        self.revoke_button.setEnabled(device is not None and not device.revoked_at and not self.tasks.busy)
        self.place.setEnabled(device is not None)
        self.place_button.setEnabled(device is not None and not self.tasks.busy)
        if device is None:
            self.chosen.setText("选择一台设备可填写它的位置" if self.devices else "")
            return
        if self._shown != device.device_id:
            self._shown = device.device_id
            self.place.setText(device.place)
        self.chosen.setText(f"所选：{device_words(device)}　设备编号（与该设备的设置文件 device_id 核对用）："
                            f"{device.device_id}")

    def name_selected(self) -> None:
        from desktop.sync.enrolment import name_server_device

        device = self.selected()
        if device is None or self.tasks.busy:
            return
        login, password, device_id, place = self.login, self.password.text(), device.device_id, self.place.text()
        self.tasks.run(lambda hall: name_server_device(hall, login, password, device_id, place),
                       self._named, self._refused, executor=Executor.DEVICES)

    def _named(self, done: DeviceEntry) -> None:
        self._told = f"已保存位置：{device_words(done)}"
        self.refresh()

    def revoke_selected(self) -> None:
        """Asked first: a revoked device is refused for good (it is enrolled again with a new code)."""
        device = self.selected()
        if device is None or self.tasks.busy:
            return
        device_id = device.device_id
        self.confirm, _ = ask(self, "停用设备", f"停用{device_words(device)}？\n停用后它从下一次联系服务器起被拒绝，"
                              "不能撤销；要再使用，须用新的注册码重新注册。", go="停用该设备", stay="取消",
                              on_go=lambda: self._revoke(device_id))

    def _revoke(self, device_id: str) -> None:
        from desktop.sync.enrolment import revoke_server_device

        if self.tasks.busy:
            return
        login, password = self.login, self.password.text()
        # callbacks are bound methods (held weakly by the task manager), never closures over the panel
        self.tasks.run(lambda hall: revoke_server_device(hall, login, password, device_id),
                       self._revoked, self._refused, executor=Executor.DEVICES)

    def _revoked(self, done: DeviceEntry) -> None:
        self.refresh()
        self._told = f"已停用{device_words(done)}：它从下一次联系服务器起被拒绝"

    def issue_code(self) -> None:
        from desktop.sync.enrolment import issue_enrolment_code

        if self.tasks.busy:
            return
        login, password = self.login, self.password.text()
        role, org, hall_code = str(self.role.currentData()), self.org_code.code(), self.hall_code.text().strip()
        if self.org_code.currentText().strip() and not org:
            set_tone(self.message, "error",
                     "请从列表中选择设备所属单位（可输入名称、简称或拼音首字母查找）；本大厅的设备不填")
            return
        self.tasks.run(lambda hall: issue_enrolment_code(hall, login, password, role, hall_code=hall_code,
                                                         org_code=org),
                       self._issued, self._refused, executor=Executor.DEVICES)

    def _issued(self, issued: IssuedCodeResponse) -> None:
        set_tone(self.message, "ok", f"注册码 {issued.code}（{ROLE_NAMES.get(issued.role, issued.role)}，"
                                     f"有效至 {stamp_words(issued.expires_at)}，只能使用一次）：请在该设备上运行 "
                                     "python -m desktop enrol 并输入它")

    def _refused(self, error: Exception) -> None:
        set_tone(self.message, "error", _message(error, "管理设备"))
