"""Kiosks and the hall display: windows that work without anyone signing in, as the device.

They are built from the settings alone and painted before the database has been opened
(see ui/shell/startup.py); what they show from the database fills in when it arrives.
What the device shows (ui/kiosk, ui/display) is handed in by the composition root.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtGui import QCloseEvent, QGuiApplication
from PySide6.QtWidgets import QMainWindow, QStackedWidget, QVBoxLayout, QWidget

from desktop.domain.roles import WindowRole
from ui.common.widgets import Header
from ui.shell.context import WorkContext
from ui.shell.sync_status import SyncIndicator

if TYPE_CHECKING:
    from ui.shell.startup import OpeningFailedPage

PAGE_TITLES = {WindowRole.KIOSK: "自助服务（无需登录）", WindowRole.DISPLAY: "大厅信息（无需登录）"}


class DeviceWindow(QMainWindow):
    """A kiosk or the hall display: works without anyone signing in, as the device itself."""

    def __init__(self, ctx: WorkContext, build_body: Callable[[WorkContext, QWidget], QWidget]) -> None:
        super().__init__()
        if not ctx.window.is_device:
            raise ValueError(f"{ctx.window} is a staff window: someone must sign in")
        self.ctx, self.role = ctx, ctx.window
        self.source = ctx.source
        ctx.tasks.setParent(self)
        self.setWindowTitle(f"信访接待大厅系统 — {ctx.window.heading}")
        # Built from the window down: each widget joins the window's tree once (a widget moved into a
        # new parent has its whole tree's font, palette and style sheet worked out again).
        page = QWidget(self)
        page.setObjectName("page")
        self.setCentralWidget(page)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        if ctx.window is not WindowRole.DISPLAY:  # the display shows name, date and clock in its own large type
            layout.addWidget(Header(ctx.settings.hall_name, ctx.window.heading))
        # Records made here reach the server in the background; citizens see nothing of it.
        self.sync = SyncIndicator(ctx)
        self.sync.setParent(self)
        self.sync.hide()
        self.pages = QStackedWidget(page)
        layout.addWidget(self.pages, 1)
        self.body = build_body(ctx, self.pages)  # built inside the window: its tree joins it once
        #: Built when the database fails to open (it almost never does): not part of the first frame.
        self.failed_page: OpeningFailedPage | None = None
        self.pages.addWidget(self.body)
        ctx.source.when_failed(self._opening_failed)

    def _opening_failed(self, message: str) -> None:
        if self.failed_page is None:
            from ui.shell.startup import OpeningFailedPage

            self.failed_page = OpeningFailedPage(for_citizens=True)
            self.failed_page.quit_requested.connect(self.close)
            self.pages.addWidget(self.failed_page)
        self.failed_page.show_problem(message)
        self.pages.setCurrentWidget(self.failed_page)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.sync.stop()
        self.ctx.tasks.close()
        super().closeEvent(event)

    def current_page_title(self) -> str:
        """What the window shows now, in words (printed by ``run --smoke-test``)."""
        if self.failed_page is not None and self.pages.currentWidget() is self.failed_page:
            return "无法打开数据库"
        return PAGE_TITLES[self.role]


def show_full_screen(window: QWidget) -> None:
    """Full screen with or without a window manager.

    Where none runs (a kiosk or display started straight into a bare X session) ``showFullScreen``
    alone leaves the window at its own size in a corner, so it is given the screen's geometry too.
    """
    screen = window.screen() or QGuiApplication.primaryScreen()
    if screen is not None:
        window.setGeometry(screen.geometry())
    window.showFullScreen()
