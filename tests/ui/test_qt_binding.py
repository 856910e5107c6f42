"""The Qt binding itself: a release that corrupts reference counts must never be installed again."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot


def test_calls_returning_nothing_keep_none_alive(qtbot: QtBot) -> None:
    """PySide6 6.12.0 on Python 3.11 dropped a reference to None on every call that returns
    nothing; a counter PC crashed with “deallocating None” after a day of use. (On Python
    3.12+ None is immortal and its count does not move.)"""
    label = QLabel()
    qtbot.addWidget(label)
    app = QApplication.instance()
    assert app is not None
    before = sys.getrefcount(None)
    for _ in range(2000):
        label.setText("信访")
        label.setObjectName("x")
        app.processEvents()
    assert sys.getrefcount(None) >= before - 50


def test_modules_imported_after_the_ui_are_not_read_into_memory() -> None:
    """PySide6 reads the whole source of every module imported after it (to look for ``__feature__``)
    and ``linecache`` keeps it: 25 MB in a kiosk. Importing ``ui`` stops that (ui/common/pyside.py)."""
    import subprocess

    script = ("import linecache, ui, sys, os\n"
              "import xml.dom.minidom, wave\n"  # two standard modules nothing here has imported yet
              "read = [f for f in linecache.cache if f.endswith(('minidom.py', 'wave.py'))]\n"
              "from ui.common.pyside import _uses_pyside\n"
              "feature = sys.modules['shibokensupport.feature']\n"
              "assert feature._mod_uses_pyside is _uses_pyside, 'PySide6 changed: the scan is back'\n"
              "flags = feature.pyside_feature_dict\n"
              "assert flags['wave'] == -1 and flags['ui.common.pyside'] == 0\n"
              "print(read)")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_the_scan_is_replaced_before_the_ui_imports_anything_else() -> None:
    """Between PySide6's loading and the scan's replacement every import statement run has its module read:
    ``ui.common.pyside`` imports nothing more than it must first (``typing`` alone took 0.7 ms of the kiosk's start).
    """
    import subprocess

    script = ("import inspect, sys\n"
              "read = []\n"
              "scan = inspect.getsource\n"
              "inspect.getsource = lambda o: (read.append(getattr(o, '__name__', '')), scan(o))[1]\n"
              "import typing, types, linecache\n"  # in memory already, as in the program
              "import ui\n"
              "print(sorted(set(read) & {'typing', 'types', 'linecache'}))")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
