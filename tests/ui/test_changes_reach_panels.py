"""A change made anywhere — a background sync included — reaches every open panel without a click."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date

import pytest
from pytestqt.qtbot import QtBot

from desktop.services import cases
from desktop.services.context import Actor
from desktop.services.registration import register_visit
from server.store import SyncServer
from tests.helpers import form, valid_id
from tests.sync import conftest as sync_fixtures
from tests.sync.conftest import DeviceFactory, enrolled, local_client, serving, with_staff
from ui.cases.deadlines import DeadlinePanel
from ui.cases.search import CaseSearchPanel
from ui.shell.context import WorkContext
from ui.shell.sync_status import SyncIndicator

device_hall = sync_fixtures.device_hall  # the sync tests' fixture: devices on encrypted SQLite files
Context = Callable[..., WorkContext]
HOUR_MS = 3_600_000  # the timer never fires during the test: the sync is the one the header would start


def _states(board: DeadlinePanel) -> dict[str, str]:
    return {board.table.item(r, 2).text(): board.table.item(r, 4).text() for r in range(board.table.rowCount())}


def test_a_background_sync_refreshes_the_open_case_and_the_deadline_board(
        qtbot: QtBot, device_hall: DeviceFactory, clerk: Actor, work_context: Context,
        monkeypatch: pytest.MonkeyPatch) -> None:
    server = SyncServer(with_staff(device_hall("srv", code="H01")))
    here, other = device_hall("a"), device_hall("b")
    number = register_visit(here, clerk, form()).case_number
    monkeypatch.setenv("PH_SYNC_TOKEN", enrolled(server, here))
    with serving(server.hall, server) as url:
        here.settings = replace(here.settings, server_url=url)
        ctx = work_context(clerk, hall=here)
        sync = SyncIndicator(ctx, interval_ms=HOUR_MS)
        panel, board = CaseSearchPanel(ctx), DeadlinePanel(ctx)
        for widget in (sync, panel, board):
            qtbot.addWidget(widget)
        qtbot.waitUntil(lambda: sync.text().startswith("已同步"), timeout=20_000)  # this PC's case went up
        with qtbot.waitSignal(panel.searched):
            panel.query.setText(number)
        with qtbot.waitSignal(panel.detail_shown):
            panel.table.setCurrentCell(0, 0)
        assert "已登记" in panel.detail.toPlainText() and "办理中" not in panel.detail.toPlainText()
        qtbot.waitUntil(lambda: "在办 1 件" in board.summary.text())
        assert _states(board) == {}  # nothing due within a week

        # Another counter takes the case up and registers a second one; its sync goes to the server.
        other_client = local_client(server, other)
        other_client.sync_once()
        cases.classify(other, clerk, number, nature="申诉求决类", topic_code="0101")
        cases.accept(other, clerk, number, accepted_on=date(2026, 9, 18))
        second = register_visit(other, clerk, form(name="李娜", id_number=valid_id(seq=456))).case_number
        other_client.sync_once()

        # This PC's next background sync pulls both: the open case and the board follow by themselves.
        with qtbot.waitSignals([panel.detail_shown, board.refreshed], timeout=20_000):
            sync.sync_now()
        detail = panel.detail.toPlainText()
        assert "办理中" in detail and "受理 " in detail and "办结期限：2026年11月17日" in detail
        assert panel.current is not None and panel.current.case_number == number
        assert "在办 2 件" in board.summary.text()
        assert second != number
