"""The kiosk's reader state, as the card reads at the kiosk show it, kept for the administrator's 设备管理
(through the real 自助登记 screen and the simulated reader)."""

from __future__ import annotations

from datetime import date
from typing import Any

from pytestqt.qtbot import QtBot

from desktop.services import peripherals
from tests.conftest import make_hall
from tests.ui.test_kiosk_reader import Context, _click, _register


def test_an_unplugged_reader_is_noted_with_its_time_and_cleared_by_a_read_that_works(
        qtbot: QtBot, work_context: Context, sqlite_engine: Any, clock: Any) -> None:
    unplugged = _register(qtbot, work_context, sqlite_engine, clock, "sim:unplugged")
    hall = make_hall(sqlite_engine, clock)  # the kiosk's database, read apart
    _click(qtbot, unplugged.read_button)
    qtbot.waitUntil(lambda: bool(peripherals.current(hall)), timeout=5000)
    assert peripherals.current(hall) == [peripherals.PeripheralProblem("reader", "身份证阅读器未连接",
                                                                        "2026-09-16T09:30:00")]
    assert peripherals.in_words(peripherals.current(hall)) == "身份证阅读器未连接（9月16日 09:30起）"
    assert peripherals.in_words(peripherals.current(hall), date(2026, 9, 16)) == "身份证阅读器未连接（09:30起）"

    plugged_in = _register(qtbot, work_context, sqlite_engine, clock, "sim:nocard")  # the same PC, the reader back
    plugged_in.card_reading.seconds = 1
    _click(qtbot, plugged_in.read_button)
    qtbot.waitUntil(lambda: not peripherals.current(hall), timeout=5000)
