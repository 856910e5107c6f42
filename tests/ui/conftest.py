"""Staff accounts and sign-in helpers for the window tests.

``make_hall`` (tests/conftest.py) already hashes passwords with the cheapest Argon2id
parameters, so creating and signing in accounts costs milliseconds.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop.app import build_window
from desktop.domain.access import Role
from desktop.services import accounts
from desktop.services.context import Actor, Hall
from ui.shell.staff import StaffWindow

PASSWORD = "Jiedai#2026"
INITIAL = "Chushi#2026"

MakeAccount = Callable[..., str]


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
