"""The kiosk's page on a real X server with Qt's on-screen keyboard, for the probes that tests run in a process
of their own under Xvfb (the keyboard needs the application made after it is asked for, and a screen): the test
runs a probe (``on_xvfb``); the probe starts the kiosk (``kiosk_on_screen``), taps the keyboard's keys
(``tap_keys``), reads its parts (``evaluate``), waits for it to stand still (``StandsStill``) and looks again
until it has seen what it came for (``run_polling``)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import pytest

if TYPE_CHECKING:
    from PySide6.QtCore import QObject
    from PySide6.QtWidgets import QApplication

    from ui.kiosk.shell import KioskShell

NEEDS_XVFB = pytest.mark.skipif(shutil.which("xvfb-run") is None, reason="needs Xvfb (scripts/test.sh installs it)")


def on_xvfb(folder: Path, name: str, script: str, *args: str, screen: str = "1920x1080",
            timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """``script``, written to ``name``.py in ``folder``, run with ``args`` by this Python on an X server of its own
    (Xvfb) with a screen of ``screen`` pixels; its output as text. The probe draws on that server (Qt's xcb) and
    imports this checkout; it picks its own input method (the on-screen keyboard), none of this process's."""
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "QT_IM_MODULE", "DISPLAY")}
    env["QT_QPA_PLATFORM"] = "xcb"
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[2])
    path = folder / f"{name}.py"
    path.write_text(script, encoding="utf-8")
    return subprocess.run(["xvfb-run", "-a", "-s", f"-screen 0 {screen}x24", sys.executable, str(path), *args],
                          capture_output=True, text=True, timeout=timeout, env=env, check=False)


def kiosk_on_screen(folder: str) -> tuple[QApplication, KioskShell]:
    """The application with the on-screen keyboard, and the kiosk's page as it starts over the whole screen, shown
    and active, on a new encrypted database in ``folder``."""
    from ui.kiosk.input_method import use_on_screen_keyboard

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


def run_polling(app: QApplication, poll: Callable[[], int | None], first_ms: int = 100) -> NoReturn:
    """The probe's application run, ``poll`` called ``first_ms`` ms after it starts and again as many ms after
    each call as that call returns, until one returns None (the probe is done: the application quits); then the
    process ends, its output written out."""
    from PySide6.QtCore import QTimer

    def guarded() -> None:
        try:
            later = poll()
        except Exception as error:  # said, and the test fails at once rather than wait for its timeout
            print("failed", repr(error))
            later = None
        if later is None:
            app.quit()
        else:
            QTimer.singleShot(later, guarded)

    QTimer.singleShot(first_ms, guarded)
    app.exec()
    sys.stdout.flush()
    os._exit(0)  # the keyboard's QML scene would let go of its images after the application


def evaluate(keyboard: QObject, js: str) -> Any:
    """The value of ``js``, evaluated on the keyboard's QML item (``find_keyboard``) in its context, where its
    parts have their names (``wordCandidateView``, ``keyboardLayoutLoader``, ``InputContext`` …)."""
    from PySide6.QtQml import QQmlExpression, qmlContext

    value = QQmlExpression(qmlContext(keyboard), keyboard, js).evaluate()
    return value[0] if isinstance(value, tuple) else value


def pinyin_loaded(keyboard: QObject) -> bool:
    """Whether the keyboard's pinyin has loaded (it comes a moment after the keyboard first shows)."""
    return bool(evaluate(keyboard, "InputContext.inputEngine.inputMethod !== null"))


def tap_keys(keyboard: QObject, letters: str) -> None:
    """``letters`` tapped on the keyboard, as its own keys deliver them (pinyin while it writes Chinese)."""
    for letter in letters:
        evaluate(keyboard, f"InputContext.inputEngine.virtualKeyClick(Qt.Key_{letter.upper()}, '{letter}', 0)")


class StandsStill:
    """Whether what a probe looks at stands still: called with it at each look, true once it has been the same
    ``looks`` looks in a row after the first (the keyboard slides in and grows or shrinks with its row of
    candidates; the page makes room)."""

    def __init__(self, looks: int) -> None:
        self.looks = looks
        self.same = 0
        self.last: object = None

    def __call__(self, now: object) -> bool:
        self.same = self.same + 1 if now == self.last else 0
        self.last = now
        return self.same >= self.looks

    def again(self) -> None:
        """Something was done: it has to stand still for as many looks again."""
        self.same = 0
