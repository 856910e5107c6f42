"""Windows paint before the database is open, and take input while it opens.

The hall is opened on a background thread (ui/startup.py). These tests hold the
opening back with an event, so what the window does before and after is certain.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from desktop.app import build_window
from desktop.domain.access import Role
from desktop.services.context import Hall
from tests.ui.conftest import MakeAccount
from ui.shell.device import DeviceWindow
from ui.shell.staff import StaffWindow
from ui.shell.startup import HallSource, HallUnavailable

WRONG_KEY = "数据库 /data/hall.db 的密钥与数据库不配套：请用备份的密钥文件恢复"


def _held_back(hall: Hall) -> tuple[HallSource, threading.Event]:
    """A source whose hall opens only when the returned event is set."""
    release = threading.Event()

    def open_() -> Hall:
        release.wait(10)
        return hall

    return HallSource(hall.settings, open_), release


def _failing(hall: Hall, message: str = WRONG_KEY) -> tuple[HallSource, threading.Event]:
    """A source that fails to open, once the returned event is set."""
    release = threading.Event()

    def open_() -> Hall:
        release.wait(10)
        raise RuntimeError(message)

    return HallSource(hall.settings, open_), release


def _show(qtbot: QtBot, window: StaffWindow | DeviceWindow) -> None:
    qtbot.addWidget(window)
    window.resize(1200, 800)
    window.show()
    qtbot.waitExposed(window)


def test_sign_in_typed_before_the_database_opens_goes_through(qtbot: QtBot, sqlite_hall: Hall,
                                                              make_account: MakeAccount) -> None:
    password = make_account("chuangkou1", "王丽", Role.CLERK)
    source, release = _held_back(sqlite_hall)
    window = build_window(source, "counter")
    assert isinstance(window, StaffWindow)
    _show(qtbot, window)
    assert source.hall is None and window.current_page_title() == "工作人员登录"
    assert sqlite_hall.settings.hall_name in [w.text() for w in window.sign_in_page.findChildren(QLabel)]
    page = window.sign_in_page
    page.login.setText("chuangkou1")
    page.password.setText(password)
    qtbot.mouseClick(page.submit_button, Qt.MouseButton.LeftButton)  # the check waits for the hall off the GUI
    assert page.tasks.busy and source.hall is None
    with qtbot.waitSignal(window.session_started, timeout=5000):
        release.set()
    assert window.actor is not None and window.actor.display_name == "王丽"
    assert window.source.hall is sqlite_hall


def test_a_fresh_installation_turns_to_the_first_administrator_once_opened(qtbot: QtBot,
                                                                           sqlite_hall: Hall) -> None:
    source, release = _held_back(sqlite_hall)
    window = build_window(source, "admin")
    _show(qtbot, window)
    assert window.current_page_title() == "工作人员登录"
    with qtbot.waitSignal(source.ready, timeout=5000):
        release.set()
    qtbot.waitUntil(lambda: window.current_page_title() == "创建首个系统管理员")  # once found empty


def test_accounts_present_keep_the_sign_in_page(qtbot: QtBot, sqlite_hall: Hall, make_account: MakeAccount) -> None:
    make_account("guanli1", "李强", Role.ADMIN)
    source, release = _held_back(sqlite_hall)
    window = build_window(source, "admin")
    assert isinstance(window, StaffWindow)
    _show(qtbot, window)
    window.sign_in_page.login.setText("gua")  # typing has begun
    with qtbot.waitSignals([source.ready, window.tasks.settled], timeout=5000):
        release.set()
    assert window.current_page_title() == "工作人员登录" and window.sign_in_page.login.text() == "gua"


@pytest.mark.parametrize("role", ["counter", "leader", "admin", "kiosk", "display"])
def test_a_database_that_cannot_be_opened_is_explained_in_the_window(qtbot: QtBot, sqlite_hall: Hall,
                                                                     role: str) -> None:
    source, release = _failing(sqlite_hall)
    window = build_window(source, role)
    _show(qtbot, window)
    with qtbot.waitSignal(source.failed, timeout=5000) as failed:
        release.set()
    assert failed.args == [WRONG_KEY]
    assert window.current_page_title() == "无法打开数据库"
    assert WRONG_KEY in window.failed_page.message.text()
    with pytest.raises(RuntimeError, match="不配套"):
        source.get()
    assert window.failed_page.isVisible()
    qtbot.mouseClick(window.failed_page.quit_button, Qt.MouseButton.LeftButton)
    assert not window.isVisible()


def test_kiosk_and_display_fill_in_when_the_hall_opens(qtbot: QtBot, sqlite_hall: Hall) -> None:
    source, release = _held_back(sqlite_hall)
    display = build_window(source, "display")
    assert isinstance(display, DeviceWindow)
    _show(qtbot, display)
    board = display.body
    assert board.reception.text() == ""  # the holiday calendar is in the database
    with qtbot.waitSignals([source.ready, board.tasks.settled], timeout=5000):
        release.set()
    assert board.reception.text().startswith("下一个领导接访日")
    assert display.current_page_title() == "大厅信息（无需登录）"


def test_a_window_built_after_the_failure_still_shows_it(qtbot: QtBot, sqlite_hall: Hall) -> None:
    source, release = _failing(sqlite_hall, "找不到它的密钥")
    with qtbot.waitSignal(source.failed, timeout=5000):
        release.set()
    window = build_window(source, "kiosk")
    _show(qtbot, window)
    assert window.current_page_title() == "无法打开数据库"
    assert "找不到它的密钥" in window.failed_page.message.text()


def test_get_waits_for_the_hall_and_can_give_up(sqlite_hall: Hall) -> None:
    source, release = _held_back(sqlite_hall)
    with pytest.raises(HallUnavailable, match="仍在打开"):
        source.get(timeout=0)
    release.set()
    assert source.get(timeout=10) is sqlite_hall


def test_when_ready_runs_at_once_for_an_open_hall(sqlite_hall: Hall) -> None:
    seen: list[Hall] = []
    HallSource.of(sqlite_hall).when_ready(seen.append)
    assert seen == [sqlite_hall]
    with pytest.raises(ValueError):
        HallSource(sqlite_hall.settings)


def _run_python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True,
                          timeout=120, check=False, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})


def test_no_window_loads_the_database_layer_before_its_first_frame() -> None:
    """The start-up path stays light: every role's window is built and painted without
    SQLAlchemy, pydantic or the services (they load on the opening thread)."""
    done = _run_python("""
        import sys, threading
        from PySide6.QtWidgets import QApplication
        from desktop.app import build_window
        from desktop.cli import build_parser
        from desktop.config import Settings
        from ui.shell.startup import HallSource
        from ui.shell.theme import apply_theme

        app = QApplication([])
        never = threading.Event()
        settings = Settings(device_id="probe", device_code="K01")
        for role in ("counter", "leader", "admin", "kiosk", "display"):
            apply_theme(app, role)
            window = build_window(HallSource(settings, lambda: never.wait()), role)
            window.show()
            window.repaint()
            app.processEvents()
            window.close()
        heavy = sorted(m for m in ("sqlalchemy", "pydantic", "pydantic_settings", "desktop.services.context",
                                   "db.engine", "alembic", "reportlab") if m in sys.modules)
        print("HEAVY", heavy)
    """)
    assert done.returncode == 0, done.stderr
    assert "HEAVY []" in done.stdout, done.stdout


def test_settings_alone_build_a_window(qtbot: QtBot, sqlite_hall: Hall) -> None:
    source, release = _held_back(sqlite_hall)
    window = build_window(source, "kiosk")
    _show(qtbot, window)
    assert window.current_page_title() == "自助服务（无需登录）"
    release.set()
    assert source.get(timeout=10) is sqlite_hall


def test_the_hall_opens_after_the_first_frame(qtbot: QtBot, sqlite_hall: Hall) -> None:
    began = threading.Event()

    def open_() -> Hall:
        began.set()
        return sqlite_hall

    source = HallSource(sqlite_hall.settings, open_, start=False)
    window = build_window(source, "counter")
    source.start_after_first_frame(window)
    qtbot.addWidget(window)
    assert not began.is_set()  # built, not yet painted: the database waits
    with qtbot.waitSignal(source.ready, timeout=5000):
        window.show()
    assert began.is_set() and source.get(timeout=0) is sqlite_hall
    source.start()  # a second start does nothing
    source.close()


def test_the_kiosks_keyboard_and_fontconfig_load_beside_the_imports_and_qt_takes_them_as_they_are() -> None:
    """start_native_preload, as run_app calls it: the keyboard's plugin and fontconfig are in the process before
    the QApplication exists, Qt's own loading finds the same copies, and a kiosk without the keyboard loads none
    of its libraries (they are some 25 MB resident)."""
    done = _run_python("""
        import sys
        from pathlib import Path
        from desktop.app import start_native_preload
        from desktop.config import Settings
        from desktop.domain.roles import WindowRole
        from ui.kiosk.input_method import KEYBOARD_PLUGIN, on_screen_keyboard_asked

        def mapped(name):
            return sorted({line.split()[-1] for line in Path("/proc/self/maps").read_text().splitlines()
                           if Path(line.split()[-1]).name.startswith(name)})

        plugin = KEYBOARD_PLUGIN.rsplit("/", 1)[-1]
        off = Settings(device_id="probe", device_code="K01", kiosk_on_screen_keyboard=False)
        start_native_preload(WindowRole.KIOSK, off).wait()
        print("OFF", mapped(plugin), on_screen_keyboard_asked(), bool(mapped("libfontconfig.so.1")))
        on = Settings(device_id="probe", device_code="K01")
        start_native_preload(WindowRole.KIOSK, on).wait()
        before = mapped(plugin)
        print("BEFORE", len(before), on_screen_keyboard_asked(), "PySide6.QtGui" in sys.modules)
        from PySide6.QtGui import QGuiApplication
        from PySide6.QtWidgets import QApplication, QLineEdit
        app = QApplication([])
        field = QLineEdit()
        field.show()
        field.setFocus()
        app.processEvents()
        print("AFTER", mapped(plugin) == before, QGuiApplication.inputMethod() is not None)
    """)
    assert done.returncode == 0, done.stderr
    assert "OFF [] False True" in done.stdout, done.stdout  # fontconfig for every window, the keyboard not
    assert "BEFORE 1 True False" in done.stdout, done.stdout  # loaded, and before any Qt module
    assert "AFTER True True" in done.stdout, done.stdout  # Qt's loading took the copy already there
