"""Composition root: the only place that builds everything and imports the UI.

Start-up order: settings → database (migrated) → hall services → Qt
application → theme → the role's main window. Kiosks and the hall display act
as their device (no sign-in); the staff windows (counter, leader, admin) open on
their sign-in page and act as whoever signs in.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.config import Settings
from desktop.installation import open_hall
from desktop.services.context import Actor, Hall

if TYPE_CHECKING:
    from ui.staff import StaffWindow
    from ui.windows import DeviceWindow

DEVICE_ROLES = ("kiosk", "display")


def device_actor(role: str, settings: Settings) -> Actor:
    """Who a kiosk or the hall display acts as: the device itself, never a person."""
    if role == "kiosk":
        return Actor.kiosk(settings.device_code)
    if role == "display":
        return Actor.display_screen(settings.device_code)
    raise ValueError(f"{role} is a staff window: someone must sign in")


def build_window(hall: Hall, role: str, *, idle_ms: int | None = None) -> StaffWindow | DeviceWindow:
    """The main window of ``role``; staff windows lock after ``idle_ms`` (default: the setting)."""
    from ui.staff import StaffWindow
    from ui.windows import DeviceWindow

    if role in DEVICE_ROLES:
        return DeviceWindow(hall, device_actor(role, hall.settings), role)
    return StaffWindow(hall, role, idle_ms=idle_ms)


def run_app(role: str, db_path: Path, settings: Settings, *, smoke_test: bool = False) -> int:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from ui.theme import apply_theme

    hall = open_hall(settings, db_path)
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName("信访接待大厅系统")
    apply_theme(app, role)
    window = build_window(hall, role)
    if role in DEVICE_ROLES:
        window.showFullScreen()
    else:
        window.resize(1600, 900)
        window.show()
    if smoke_test:
        print(f"{window.windowTitle()}：{window.current_page_title()}", flush=True)
        QTimer.singleShot(0, app.quit)
    code = app.exec()
    window.close()
    hall.engine.dispose()
    return int(code)
