"""The on-screen pinyin keyboard comes up over a focused kiosk field (a real X server, Xvfb)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from ui.kiosk.keyboard import IM_MODULE, use_on_screen_keyboard

PROBE = textwrap.dedent("""
    import sys
    from ui.kiosk.keyboard import use_on_screen_keyboard
    use_on_screen_keyboard()
    from PySide6.QtCore import QTimer, QLocale
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication, QLineEdit, QVBoxLayout, QWidget
    app = QApplication(sys.argv)
    page = QWidget()
    layout = QVBoxLayout(page)
    field = QLineEdit()
    layout.addWidget(field)
    from ui.kiosk.keyboard import KeyboardSpace
    space = KeyboardSpace(layout, page)
    page.resize(1920, 1080)
    page.show()
    page.activateWindow()
    tries = []

    def poll():
        field.setFocus()
        method = QGuiApplication.inputMethod()
        method.show()
        tries.append(1)
        if method.isVisible() and layout.contentsMargins().bottom() > 300 or len(tries) > 100:
            maps = open("/proc/self/maps").read()
            print("visible", method.isVisible(), "locale", method.locale().name(),
                  "height", round(method.keyboardRectangle().height()), "margin", layout.contentsMargins().bottom(),
                  "opengl", "libLLVM" in maps or "swrast" in maps or "_dri.so" in maps)
            app.quit()
        else:
            QTimer.singleShot(100, poll)

    QTimer.singleShot(100, poll)
    app.exec()
""")


def test_use_on_screen_keyboard_respects_an_input_method_chosen_already(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QT_IM_MODULE", "ibus")
    assert not use_on_screen_keyboard() and os.environ["QT_IM_MODULE"] == "ibus"
    monkeypatch.delenv("QT_IM_MODULE")
    monkeypatch.setenv("LANG", "C.UTF-8")
    assert use_on_screen_keyboard() and os.environ["QT_IM_MODULE"] == IM_MODULE
    assert os.environ["LANG"] == "zh_CN.UTF-8"  # the keyboard offers pinyin


@pytest.mark.skipif(shutil.which("xvfb-run") is None, reason="needs Xvfb (scripts/test.sh installs it)")
def test_the_pinyin_keyboard_comes_up_and_the_page_makes_room(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "QT_IM_MODULE", "DISPLAY")}
    env["QT_QPA_PLATFORM"] = "xcb"
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[2])
    script = tmp_path / "probe.py"
    script.write_text(PROBE, encoding="utf-8")
    done = subprocess.run(["xvfb-run", "-a", "-s", "-screen 0 1920x1080x24", sys.executable, str(script)],
                          capture_output=True, text=True, timeout=120, env=env, check=False)
    assert "visible True locale zh_CN" in done.stdout, done.stdout + done.stderr
    height = int(done.stdout.split("height ")[1].split()[0])
    margin = int(done.stdout.split("margin ")[1].split()[0])
    assert height >= 400 and margin >= height  # the page ends above the keyboard
    # drawn by Qt's software renderer: no OpenGL driver (Mesa's llvmpipe here, 110 MB more with the keyboard up)
    assert "opengl False" in done.stdout, done.stdout
