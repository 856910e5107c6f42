"""The kiosk's page on a real X server with Qt's on-screen keyboard, for the probes that tests run in a process
of their own under Xvfb (the keyboard needs the application made after it is asked for, and a screen)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from ui.kiosk.shell import KioskShell


def kiosk_on_screen(folder: str) -> tuple[QApplication, KioskShell]:
    """The application with the on-screen keyboard, and the kiosk's page as it starts over the whole screen, shown
    and active, on a new encrypted database in ``folder``."""
    from ui.kiosk.keyboard import use_on_screen_keyboard

    use_on_screen_keyboard()  # before the application: Qt picks its input method then
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication

    from db.engine import make_engine, sqlite_url
    from db.migrate import upgrade
    from desktop.domain.roles import WindowRole
    from desktop.services.context import Actor
    from tests.conftest import SECRETS, make_hall
    from ui.kiosk.body import kiosk_body
    from ui.shell.context import WindowContext
    from ui.shell.startup import HallSource
    from ui.shell.tasks import TaskManager

    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    engine = make_engine(sqlite_url(Path(folder) / "hall.db"), key=SECRETS.database_key)
    upgrade(engine)
    source = HallSource.of(make_hall(engine))
    ctx = WindowContext(source, TaskManager(source), WindowRole("kiosk")).acting_as(Actor.kiosk("K01"))
    shell = kiosk_body(ctx)  # nothing made for the keyboard before it comes up
    shell.setGeometry(QGuiApplication.primaryScreen().geometry())
    shell.show()
    shell.activateWindow()
    return app, shell
