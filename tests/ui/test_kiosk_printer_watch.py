"""The kiosk asks its printer again, off the GUI thread and only while it is recorded as not working, and reports
it working again before the next receipt (a PDF folder made unwritable, then writable again)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import Engine

from desktop.services import peripherals
from desktop.services.context import Actor
from tests.conftest import FakeClock, make_hall
from tests.printing.test_printer_recovery import unwritable
from ui.kiosk.body import kiosk_tiles
from ui.kiosk.printer_watch import PrinterWatch
from ui.shell.context import WorkContext

KIOSK = Actor.kiosk("K01")


def test_the_kiosk_asks_its_printer_again_while_it_does_not_work_and_stops_once_it_does(
        qtbot: QtBot, work_context: Callable[..., WorkContext], sqlite_engine: Engine, clock: FakeClock,
        tmp_path: Path) -> None:
    folder = tmp_path / "回执"
    folder.mkdir()
    hall = make_hall(sqlite_engine, clock, printer_receipts=f"pdf:{folder}")
    owner = QWidget()
    qtbot.addWidget(owner)
    with qtbot.waitSignal(PrinterWatch(work_context(KIOSK, "kiosk", hall=hall), owner, interval_ms=20).watching,
                          timeout=10_000) as looked:
        pass
    watch = owner.findChild(PrinterWatch)
    assert watch is not None and looked.args == [False] and not watch.timer.isActive()  # nothing to watch

    with unwritable(folder):
        with qtbot.waitSignal(watch.watching, timeout=10_000, check_params_cb=lambda on: on):
            peripherals.note(hall, peripherals.PRINTER, f"没有权限写入文件夹 {folder}")  # a receipt failed
        assert watch.timer.isActive()
        with qtbot.waitSignal(watch.checked, timeout=10_000) as still:
            pass
        assert still.args == [False] and peripherals.printer_problem(hall)
    with qtbot.waitSignals([watch.checked, watch.watching], timeout=10_000,
                           check_params_cbs=[lambda works: works is True, lambda on: not on]):
        pass
    assert not peripherals.printer_problem(hall) and not watch.timer.isActive()
    assert list(folder.iterdir()) == []


def test_the_kiosk_starts_watching_a_moment_after_its_first_frame(
        qtbot: QtBot, work_context: Callable[..., WorkContext], monkeypatch: pytest.MonkeyPatch,
        sqlite_engine: Engine, clock: FakeClock) -> None:
    import ui.kiosk.shell
    from ui.kiosk.shell import KioskShell

    monkeypatch.setattr(ui.kiosk.shell, "PRINTER_WATCH_MS", 0)
    hall = make_hall(sqlite_engine, clock, printer_receipts="sim:演示")
    peripherals.note(hall, peripherals.PRINTER, "打印机缺纸")  # recorded before the kiosk started
    shell = KioskShell(work_context(KIOSK, "kiosk", hall=hall), kiosk_tiles())
    qtbot.addWidget(shell)
    shell.resize(1920, 1080)
    shell.show()
    qtbot.waitUntil(lambda: shell.printer_watch is not None and shell.printer_watch.timer.isActive(), timeout=10_000)
    assert shell.printer_watch is not None and shell.printer_watch.timer.interval() == 60_000
