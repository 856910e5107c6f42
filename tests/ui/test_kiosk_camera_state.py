"""The kiosk's camera state, as 查询进度's camera view shows it, kept for the administrator's 设备管理."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot
from sqlalchemy import Engine

from desktop.services import peripherals
from tests.conftest import FakeClock, make_hall
from tests.ui.test_kiosk_camera import Context, _kiosk
from ui.kiosk.progress import ProgressFlow


def test_a_camera_that_is_not_there_is_noted_and_one_that_shows_a_picture_clears_it(
        qtbot: QtBot, work_context: Context, sqlite_engine: Engine, clock: FakeClock, tmp_path: Path) -> None:
    missing = _kiosk(qtbot, work_context, make_hall(sqlite_engine, clock, camera="qt:No Such Camera 4711"))
    flow = missing.open_flow("progress")
    assert isinstance(flow, ProgressFlow)
    hall = make_hall(sqlite_engine, clock)  # the kiosk's database, read apart
    qtbot.waitUntil(lambda: bool(peripherals.current(hall)), timeout=10_000)
    [problem] = peripherals.current(hall)
    assert problem.peripheral == "camera" and problem.problem.startswith("摄像头不能使用") and \
        "No Such Camera 4711" in problem.problem
    missing.close()

    working = _kiosk(qtbot, work_context, make_hall(sqlite_engine, clock, camera=f"sim:{tmp_path / 'grey.png'}"))
    working.open_flow("progress")
    qtbot.waitUntil(lambda: not peripherals.current(hall), timeout=10_000)
