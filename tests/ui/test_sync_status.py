"""The windows sync in the background and say how it went: against a real server on a socket."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest
from pytestqt.qtbot import QtBot

from desktop.app import build_window
from desktop.services.context import Actor
from server.store import SyncServer
from tests.sync import conftest as sync_fixtures
from tests.sync.conftest import (
    DeviceFactory,
    count_events,
    enrolled,
    free_port,
    register_cases,
    serving,
    with_staff,
)
from ui.shell.context import WorkContext
from ui.shell.staff import StaffWindow
from ui.shell.sync_status import SyncIndicator

device_hall = sync_fixtures.device_hall  # the sync tests' fixture: devices on encrypted SQLite files
Context = Callable[..., WorkContext]
HOUR_MS = 3_600_000  # the timer never fires during a test: syncs are started by hand


def _sync(qtbot: QtBot, indicator: SyncIndicator) -> None:
    with qtbot.waitSignal(indicator.tasks.settled, timeout=20_000):
        indicator.sync_now()


def test_records_reach_the_server_and_the_header_says_so(
        qtbot: QtBot, work_context: Context, device_hall: DeviceFactory, clerk: Actor,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    server = SyncServer(with_staff(device_hall("srv", code="H01")))
    device = device_hall("a")
    register_cases(device, clerk, 3)
    monkeypatch.setenv("PH_SYNC_TOKEN", enrolled(server, device))
    with serving(server.hall, server) as url:
        device.settings = replace(device.settings, server_url=url)
        indicator = SyncIndicator(work_context(clerk, hall=device), interval_ms=HOUR_MS)
        qtbot.addWidget(indicator)
        assert indicator.enabled and indicator.tasks.busy  # the first sync starts with the open hall
        with qtbot.waitSignal(indicator.tasks.settled, timeout=20_000):
            pass
        assert indicator.text().startswith("已同步") and "待上传" not in indicator.text()
        assert count_events(server.hall) == count_events(device) > 0
        assert indicator.last_report is not None and indicator.last_report.pushed == count_events(device)

        indicator.url = f"http://127.0.0.1:{free_port()}"  # the network goes away
        register_cases(device, clerk, 1, start=500)
        _sync(qtbot, indicator)
        assert indicator.text().startswith("未同步：网络未连接") and "待上传" in indicator.text()
        assert "恢复连接后自动上传" in indicator.toolTip()

        indicator.url = url  # and comes back
        _sync(qtbot, indicator)
        assert indicator.text().startswith("已同步") and count_events(server.hall) == count_events(device)
        indicator.stop()


def test_an_unenrolled_device_is_told_so(
        qtbot: QtBot, work_context: Context, device_hall: DeviceFactory,
                                         clerk: Actor, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PH_SYNC_TOKEN", raising=False)
    device = device_hall("b")
    device.settings = replace(device.settings, server_url=f"http://127.0.0.1:{free_port()}")
    indicator = SyncIndicator(work_context(clerk, hall=device), interval_ms=HOUR_MS)
    qtbot.addWidget(indicator)
    with qtbot.waitSignal(indicator.tasks.settled, timeout=20_000):
        pass
    assert indicator.text().startswith("未同步：设备未注册")


def test_without_a_server_nothing_runs_or_shows(
        qtbot: QtBot, work_context: Context, device_hall: DeviceFactory) -> None:
    device = device_hall("c")
    window = build_window(device, "counter")
    assert isinstance(window, StaffWindow)
    qtbot.addWidget(window)
    window.show()
    assert not window.sync.enabled and not window.sync.isVisible() and not window.sync.tasks.busy
    window.sync.sync_now()
    assert not window.sync.tasks.busy
