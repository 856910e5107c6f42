"""A case's deadlines on the counter's case view say when a limit not met has run out."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from desktop.services import cases
from desktop.services.context import Actor, Hall
from desktop.services.registration import register_visit
from tests.conftest import FakeClock
from tests.helpers import form, valid_id
from ui.counter.work import CounterWork


def test_a_limit_gone_by_without_its_step_reads_as_run_out_not_as_still_to_come(
        qtbot: QtBot, counter: CounterWork, sqlite_hall: Hall, clerk: Actor, clock: FakeClock) -> None:
    number = register_visit(sqlite_hall, clerk, form(id_number=valid_id(seq=573))).case_number
    (deadline,) = cases.load_case(sqlite_hall, clerk, number).deadlines
    search = counter.search
    counter.open_case(number)
    qtbot.waitUntil(lambda: "诉求" in search.detail.toPlainText(), timeout=10_000)
    assert "届满" not in search.detail.toPlainText()  # fifteen days still to come
    clock.advance(days=(deadline.due - sqlite_hall.today()).days + 1)
    search.detail.clear()
    counter.open_case(number)
    qtbot.waitUntil(lambda: "诉求" in search.detail.toPlainText(), timeout=10_000)
    line = next(line for line in search.detail.toPlainText().splitlines()
                if line.startswith(f"期限 {deadline.rule.name}："))
    assert "；已届满" in line
