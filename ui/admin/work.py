"""The administration window's work: one tab per duty the signed-in person holds."""

from __future__ import annotations

from PySide6.QtWidgets import QTabWidget, QWidget

from desktop.domain.access import Permission
from ui.admin.accounts import AccountsPanel
from ui.admin.audit import AuditPanel
from ui.admin.audit_copies import AuditCopiesPanel
from ui.admin.devices import DevicesPanel
from ui.admin.hours import HoursPanel
from ui.admin.kiosk_pin import KioskPinPanel
from ui.admin.organisations import OrganisationsPanel
from ui.admin.status import SystemStatusPanel
from ui.admin.window_types import WindowTypesPanel
from ui.shell.context import WorkContext


class AdminTabs(QTabWidget):
    """系统状态, 账户管理, 设备管理, 组织机构, 排队窗口类型, 大厅开放时间, 自助终端密码, 审计日志 and, on a desk
    linked to a server, 审计副本 (the server's copies of the devices' logs): each refreshes itself."""

    def __init__(self, ctx: WorkContext) -> None:
        super().__init__()
        self.status: SystemStatusPanel | None = None
        self.accounts: AccountsPanel | None = None
        self.devices: DevicesPanel | None = None
        self.audit: AuditPanel | None = None
        self.window_types: WindowTypesPanel | None = None
        self.kiosk_pin: KioskPinPanel | None = None
        self.organisations: OrganisationsPanel | None = None
        self.hours: HoursPanel | None = None
        self.audit_copies: AuditCopiesPanel | None = None
        if ctx.may(Permission.MANAGE_SETTINGS):
            self.status = SystemStatusPanel(ctx)
            self.addTab(self.status, "系统状态")
        if ctx.may(Permission.MANAGE_ACCOUNTS):
            self.accounts = AccountsPanel(ctx)
            self.addTab(self.accounts, "账户管理")
        if ctx.may(Permission.MANAGE_SETTINGS):
            self.devices = DevicesPanel(ctx)
            self.addTab(self.devices, "设备管理")
            self.organisations = OrganisationsPanel(ctx)
            self.addTab(self.organisations, "组织机构")
            self.window_types = WindowTypesPanel(ctx)
            self.addTab(self.window_types, "排队窗口类型")
            self.hours = HoursPanel(ctx)
            self.addTab(self.hours, "大厅开放时间")
            self.kiosk_pin = KioskPinPanel(ctx)
            self.addTab(self.kiosk_pin, "自助终端密码")
        if ctx.may(Permission.VERIFY_AUDIT):
            self.audit = AuditPanel(ctx)
            self.addTab(self.audit, "审计日志")
            if ctx.settings.server_url.strip():
                self.audit_copies = AuditCopiesPanel(ctx)
                self.addTab(self.audit_copies, "服务器审计副本")

    def show_tab(self, panel: QWidget) -> None:
        self.setCurrentIndex(self.indexOf(panel))


def admin_work(ctx: WorkContext) -> QWidget:
    return AdminTabs(ctx)
