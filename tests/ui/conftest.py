"""Staff accounts, sign-in helpers and the counter's and kiosk's screens for the window tests.

``make_hall`` (tests/conftest.py) already hashes passwords with the cheapest Argon2id
parameters, so creating and signing in accounts costs milliseconds.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop.app import build_window
from desktop.domain.access import Role
from desktop.services import accounts
from desktop.services.context import Actor, Hall
from ui.shell.staff import StaffWindow

if TYPE_CHECKING:
    from ui.counter.work import CounterWork
    from ui.kiosk.shell import KioskShell
    from ui.shell.context import WorkContext

PASSWORD = "Jiedai#2026"
INITIAL = "Chushi#2026"

MakeAccount = Callable[..., str]


@pytest.fixture
def themed(qapp: QApplication) -> Iterator[Callable[[str], None]]:
    """``themed(role)``: the application's font and style sheet of ``role`` (as the program sets them), undone after."""
    from desktop.app import apply_role_theme

    sheet, font = qapp.styleSheet(), qapp.font()
    yield lambda role: apply_role_theme(qapp, role)
    qapp.setStyleSheet(sheet)
    qapp.setFont(font)


@pytest.fixture
def make_account(sqlite_hall: Hall) -> MakeAccount:
    """Create an account; ``ready`` ones have changed their initial password to PASSWORD."""

    def make(login: str, name: str, role: Role, *, ready: bool = True) -> str:
        accounts.create_account(sqlite_hall, Actor.system(), login=login, display_name=name,
                                role=role.value, initial_password=INITIAL)
        if not ready:
            return INITIAL
        signed = accounts.sign_in(sqlite_hall, login, INITIAL)
        accounts.change_password(sqlite_hall, signed.actor, INITIAL, PASSWORD)
        return PASSWORD

    return make


@pytest.fixture
def open_window(qtbot: QtBot, sqlite_hall: Hall) -> Callable[..., StaffWindow]:
    def open_(role: str = "counter", idle_ms: int | None = None) -> StaffWindow:
        window = build_window(sqlite_hall, role, idle_ms=idle_ms)
        assert isinstance(window, StaffWindow)
        qtbot.addWidget(window)
        window.resize(1400, 900)
        window.show()
        qtbot.waitExposed(window)
        return window

    return open_


def submit_sign_in(qtbot: QtBot, window: StaffWindow, login: str, password: str) -> None:
    page = window.sign_in_page
    page.login.setText(login)
    page.password.setText(password)
    with qtbot.waitSignal(page.tasks.settled, timeout=5000):  # the check runs off the GUI thread
        qtbot.mouseClick(page.submit_button, Qt.MouseButton.LeftButton)


def sign_in(qtbot: QtBot, window: StaffWindow, login: str, password: str = PASSWORD) -> None:
    with qtbot.waitSignal(window.session_started, timeout=5000):
        submit_sign_in(qtbot, window, login, password)


@pytest.fixture
def counter(qtbot: QtBot, sqlite_hall: Hall, work_context: Callable[..., WorkContext], clerk: Actor,
            tmp_path: Path) -> CounterWork:
    """A clerk's counter at 1366×768 (the simulated ID-card reader; prints to PDF files), its form ready."""
    from tests.conftest import make_settings
    from ui.counter.work import CounterWork

    sqlite_hall.settings = make_settings(id_reader="sim:", printer_receipts=f"pdf:{tmp_path / 'receipts'}",
                                         printer_notices=f"pdf:{tmp_path / 'notices'}")
    work = CounterWork(work_context(clerk))
    qtbot.addWidget(work)
    work.resize(1366, 768)
    with qtbot.waitSignal(work.registration.ready, timeout=10_000):
        work.show()
    return work


def open_window_counter(qtbot: QtBot, hall: Hall, ctx: WorkContext, tmp_path: Path, *, height: int = 768 - 45,
                        **settings: Any) -> CounterWork:
    """A counter with window 3 in the hall queue (printing to PDF files), 1366 wide, its strip read."""
    from tests.conftest import make_settings
    from ui.counter.work import CounterWork

    hall.settings = make_settings(queue_window=3, printer_receipts=f"pdf:{tmp_path / 'receipts'}",
                                  printer_notices=f"pdf:{tmp_path / 'notices'}", **settings)
    work = CounterWork(ctx)
    qtbot.addWidget(work)
    work.resize(1366, height)
    bar = work.queue
    assert bar is not None
    with qtbot.waitActive(work):
        work.show()
        work.activateWindow()
    qtbot.waitUntil(lambda: bar.view is not None, timeout=10_000)
    return work


@pytest.fixture
def window_counter(qtbot: QtBot, sqlite_hall: Hall, work_context: Callable[..., WorkContext], clerk: Actor,
                   tmp_path: Path) -> CounterWork:
    """A counter with window 3 in the hall queue, its strip read, at 1366×768 under the window's header."""
    return open_window_counter(qtbot, sqlite_hall, work_context(clerk), tmp_path)


def case_count(hall: Hall) -> int:
    """How many cases the hall holds."""
    from sqlalchemy import func, select

    from db.models import CaseRow

    with hall.sessions() as session:
        return int(session.scalar(select(func.count()).select_from(CaseRow)) or 0)


@pytest.fixture
def shell(qtbot: QtBot, work_context: Callable[..., WorkContext]) -> Iterator[KioskShell]:
    """The kiosk's screens at 1920×1080, shown, with its filters (scanner, lock) on."""
    from ui.kiosk.body import kiosk_body

    body = kiosk_body(work_context(Actor.kiosk("K01"), "kiosk"))
    qtbot.addWidget(body)
    body.resize(1920, 1080)
    body.show()
    qtbot.waitExposed(body)
    qtbot.waitUntil(lambda: body.filtering)  # the scanner's and the lock's filter, a moment after the first frame
    yield body
