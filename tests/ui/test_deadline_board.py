"""The deadline board through its real widget: a transferred case shows the receiving unit's limit."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from pytestqt.qtbot import QtBot

from desktop.domain.identity import mask_name
from desktop.services.context import Actor, Hall
from tests.conftest import FakeClock
from tests.services.test_supervision import _transferred
from ui.cases.deadlines import DeadlinePanel
from ui.shell.context import WorkContext

Context = Callable[..., WorkContext]


def test_the_board_shows_a_transferred_case_on_the_units_limit_and_a_late_transfer_in_words(
        qtbot: QtBot, sqlite_hall: Hall, clock: FakeClock, supervisor: Actor, work_context: Context) -> None:
    """On 12-09: transferred in time on 11-25 (the bureau's limit 12-04 passed) the unit has until 12-10;
    transferred late on 11-20 (limit 11-16) the unit's limit 12-07 has passed, and the late transfer is said."""
    in_time = _transferred(sqlite_hall, clock, date(2026, 11, 19), date(2026, 11, 25), seq=51)
    late = _transferred(sqlite_hall, clock, date(2026, 11, 1), date(2026, 11, 20), seq=52)
    clock.current = datetime(2026, 12, 9, 9, 0)
    board = DeadlinePanel(work_context(supervisor))
    qtbot.addWidget(board)
    qtbot.waitUntil(lambda: board.table.rowCount() == 2)
    rows = [[board.table.item(r, c).text() for c in range(board.table.columnCount())]
            for r in range(board.table.rowCount())]
    name = mask_name("张建国")  # the name the cases were registered with, masked as on every board
    assert rows == [["12月7日", "超期2天", late, name, "已转送", "接收单位告知期限（转送逾期4天）"],
                    ["12月10日", "剩1天", in_time, name, "已转送", "接收单位告知期限"]]
    assert "已超期 1 件，7日内到期 1 件" in board.summary.text()
