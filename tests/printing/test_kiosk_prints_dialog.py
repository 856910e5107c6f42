"""The counter's 待补打 / 打印记录 lists the receipts the hall's kiosks could not print, and prints one there.

Through the real dialog and button (pytest-qt, offscreen), on real services and the simulated
printer; the kiosk is another PC (its own device code) on the same database, the local authority.
"""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QTableWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import Engine

from desktop.domain.access import Actor
from desktop.printing.base import PrinterError, Problem
from desktop.printing.simulated import SimulatedPrinter
from desktop.services import documents, kiosk_prints, printing
from desktop.services.context import Hall
from desktop.services.progress import citizen_progress
from desktop.services.registration import register_visit
from tests.conftest import FakeClock, make_hall
from tests.helpers import form
from tests.printing.test_queue_panel import MakeContext, _act, _open, _pick
from ui.printing.queue import PrintQueueButton

PAPER_OUT = PrinterError(Problem.OUT_OF_PAPER, "打印机缺纸")


@pytest.fixture
def kiosk_pc(sqlite_engine: Engine, clock: FakeClock) -> Hall:
    return make_hall(sqlite_engine, clock, device_id="devk", device_code="K01")


def _row(table: QTableWidget, row: int) -> list[str]:
    return [table.item(row, c).text() for c in range(table.columnCount())]  # type: ignore[union-attr]


def test_the_counter_lists_the_kiosks_unprinted_receipts_and_prints_one_once(
        qtbot: QtBot, work_context: MakeContext, sqlite_hall: Hall, kiosk_pc: Hall, kiosk: Actor, clerk: Actor,
        clock: FakeClock) -> None:
    broken = SimulatedPrinter("kiosk", fail_with=PAPER_OUT)
    case = register_visit(kiosk_pc, kiosk, form(name="张建国"))
    assert not printing.print_document(kiosk_pc, kiosk, documents.registration_receipt(kiosk_pc, kiosk, case),
                                       None, broken).printed
    clock.advance(minutes=12)
    ticket = documents.queue_ticket(kiosk_pc, kiosk, ticket_number="A012", window_type="来访登记", people_ahead=3)
    assert not printing.print_document(kiosk_pc, kiosk, ticket, None, broken).printed

    ctx = work_context(clerk)
    button = PrintQueueButton(ctx, lambda: None)
    qtbot.addWidget(button)
    with qtbot.waitSignal(button.counted, timeout=10_000, check_params_cb=lambda count: count == 2):
        button.show()
    assert button.text() == "待补打 (2)" and "自助终端今天有 2 份回执未能打印" in button.toolTip()

    counter = SimulatedPrinter("counter")
    dialog = _open(qtbot, ctx, None, counter)
    assert dialog.pending_table.rowCount() == 0  # this PC printed nothing that failed
    assert dialog.kiosk_title.text() == "自助终端未打印的回执（今天）：2 份，最新的在前"
    assert _row(dialog.kiosk_table, 0) == ["9月16日 09:42", "排队号票", "A012", "—", "自助终端 K01", "打印机缺纸"]
    assert _row(dialog.kiosk_table, 1) == ["9月16日 09:30", "信访事项登记回执", case.case_number, "张**",
                                           "自助终端 K01", "打印机缺纸"]
    assert not dialog.kiosk_button.isEnabled()  # nothing selected yet
    _pick(qtbot, dialog, dialog.kiosk_table, 0)
    assert dialog.kiosk_selected is not None and dialog.selected is None
    assert "自助终端 K01未能打印（打印机缺纸）" in dialog.hint.text()
    assert dialog.kiosk_button.isEnabled() and not dialog.retry_button.isEnabled()
    assert dialog.selected_printer() is counter

    outcome = _act(qtbot, dialog, dialog.kiosk_button)
    assert outcome.printed and [d.data["ticket_number"] for d in counter.printed] == ["A012"]
    qtbot.waitUntil(lambda: dialog.kiosk_table.rowCount() == 1, timeout=10_000)
    assert dialog.message.property("tone") == "ok"
    qtbot.waitUntil(lambda: button.count == 1, timeout=10_000)

    # the registration receipt: asked first (a new query code), then printed with it
    _pick(qtbot, dialog, dialog.kiosk_table, 0)
    assert "会生成新的查询码" in dialog.hint.text()
    dialog.kiosk_button.click()
    assert dialog.confirmation is not None and dialog.reset_button is not None
    outcome = _act(qtbot, dialog, dialog.reset_button)
    assert outcome.printed and "查询码已重置" in dialog.message.text()
    code = counter.printed[-1].data["query_code"]
    assert code != case.query_code
    assert citizen_progress(sqlite_hall, kiosk, case.case_number, code).case_number == case.case_number
    qtbot.waitUntil(lambda: dialog.kiosk_table.rowCount() == 0, timeout=10_000)
    assert dialog.kiosk_title.text() == "自助终端未打印的回执（今天）：没有"
    assert kiosk_prints.waiting(sqlite_hall, clerk) == []


def test_a_receipt_another_counter_printed_meanwhile_is_refused_in_words(
        qtbot: QtBot, work_context: MakeContext, sqlite_hall: Hall, kiosk_pc: Hall, kiosk: Actor,
        clerk: Actor) -> None:
    ticket = documents.queue_ticket(kiosk_pc, kiosk, ticket_number="B001", window_type="来访登记", people_ahead=0)
    printing.print_document(kiosk_pc, kiosk, ticket, None, SimulatedPrinter("kiosk", fail_with=PAPER_OUT))
    dialog = _open(qtbot, work_context(clerk), None, SimulatedPrinter("counter"))
    _pick(qtbot, dialog, dialog.kiosk_table, 0)
    assert dialog.kiosk_selected is not None
    other = Actor("staff:lihua", "李华", "clerk")
    kiosk_prints.print_at_counter(sqlite_hall, other, dialog.kiosk_selected.print_id, SimulatedPrinter("other"))
    dialog.kiosk_button.click()
    qtbot.waitUntil(lambda: "不必再打印" in dialog.message.text(), timeout=10_000)
    assert "已由李华于9月16日 09:30打印" in dialog.message.text() and dialog.message.property("tone") == "error"
    qtbot.waitUntil(lambda: dialog.kiosk_table.rowCount() == 0, timeout=10_000)
