"""Reference cycles holding Qt objects are collected on the GUI thread, never on a worker."""

from __future__ import annotations

import gc
import threading
from typing import ClassVar

from PySide6.QtCore import QObject
from pytestqt.qtbot import QtBot

from ui.shell.collector import GuiThreadCollector


class _Cycle(QObject):
    destroyed_on: ClassVar[list[threading.Thread]] = []

    def __init__(self) -> None:
        super().__init__()
        self.me = self  # a cycle: only the collector can free it

    def __del__(self) -> None:
        _Cycle.destroyed_on.append(threading.current_thread())


def test_cycles_are_collected_on_the_gui_thread(qtbot: QtBot) -> None:
    collector = GuiThreadCollector(interval_ms=10)
    try:
        assert not gc.isenabled()
        _Cycle()

        kept: list[list[int]] = []

        def allocate() -> None:  # a busy worker crossing the thresholds: Python would collect here
            kept.extend([i] for i in range(5_000))

        worker = threading.Thread(target=allocate)
        worker.start()
        worker.join()
        assert _Cycle.destroyed_on == []  # not on the worker
        qtbot.waitUntil(lambda: bool(_Cycle.destroyed_on), timeout=5000)
        assert _Cycle.destroyed_on == [threading.main_thread()]
    finally:
        collector.stop()
