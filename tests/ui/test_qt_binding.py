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
