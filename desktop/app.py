"""Composition root: the only place that builds everything and imports the UI.

Start-up order: settings → database (migrated) → hall services → Qt
application → theme → the role's main window.
"""

from __future__ import annotations

import sys
from pathlib import Path

from desktop.config import Settings
from desktop.installation import open_hall
from desktop.services.context import Actor


def actor_for(role: str, settings: Settings) -> Actor:
    if role == "kiosk":
        return Actor.kiosk(settings.device_code)
    # Staff sign-in arrives with accounts; until then the device acts for its role.
    return Actor(f"device:{settings.device_code}", f"{settings.device_code}号终端", role)


def run_app(role: str, db_path: Path, settings: Settings, *, smoke_test: bool = False) -> int:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from ui.theme import apply_theme
    from ui.windows import RoleWindow

    hall = open_hall(settings, db_path)
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName("信访接待大厅系统")
    apply_theme(app, role)
    window = RoleWindow(hall, actor_for(role, settings), role)
    if role in ("kiosk", "display"):
        window.showFullScreen()
    else:
        window.resize(1600, 900)
        window.show()
    if smoke_test:
        QTimer.singleShot(0, app.quit)
    code = app.exec()
    hall.engine.dispose()
    return int(code)
