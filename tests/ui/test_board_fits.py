"""At 1366×768 the counter's deadline board and the 待补打 list show every column whole (状态 and the reason
were cut at the right edge)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from PySide6.QtWidgets import QTableWidget
from pytestqt.qtbot import QtBot

from desktop.services.context import Actor, Hall
from tests.conftest import FakeClock
from tests.services.test_supervision import _transferred
from ui.shell.context import WorkContext

Context = Callable[..., WorkContext]


def cut_cells(table: QTableWidget) -> list[str]:
    """The columns and rows that do not show whole: a column past the list's right edge or narrower than its
    words (a list that does not wrap), a row lower than its wrapped words."""
    cut: list[str] = []
    room = table.viewport().width()
    header = table.horizontalHeader()
    for column in range(table.columnCount()):
        left, width = header.sectionPosition(column), header.sectionSize(column)
        name = table.horizontalHeaderItem(column).text()
        if left + width > room + 1:
            cut.append(f"{name}: {left}+{width} > {room}")
        elif not table.wordWrap() and table.sizeHintForColumn(column) > width:
            cut.append(f"{name}: its words need {table.sizeHintForColumn(column)} in {width}")
    if table.wordWrap():
        cut += [f"row {row}: {table.sizeHintForRow(row)} high in {table.rowHeight(row)}"
                for row in range(table.rowCount()) if table.sizeHintForRow(row) > table.rowHeight(row)]
    return cut


def test_the_counters_deadline_board_fits_a_1366_screen(qtbot: QtBot, sqlite_hall: Hall, clock: FakeClock,
                                                        clerk: Actor, work_context: Context) -> None:
    from ui.desk.cases import case_work

    _transferred(sqlite_hall, clock, date(2026, 11, 19), date(2026, 11, 25), seq=51)
    _transferred(sqlite_hall, clock, date(2026, 11, 1), date(2026, 11, 20), seq=52)
    clock.current = datetime(2026, 12, 9, 9, 0)
    body = case_work(work_context(clerk))
    qtbot.addWidget(body)
    body.resize(1366 - 20, 520)  # the counter window's width, less its margins
    body.show()
    qtbot.waitExposed(body)
    from ui.cases.deadlines import DeadlinePanel

    board = body.findChild(DeadlinePanel)
    assert board is not None
    qtbot.waitUntil(lambda: board.table.rowCount() == 2, timeout=10_000)
    qtbot.wait(50)
    cut = cut_cells(board.table)
    assert cut == [], "\n".join(cut)
    basis = board.table.columnCount() - 1  # 期限依据 wraps, onto two lines at most: room for 8 characters
    assert board.table.columnWidth(basis) >= 8 * board.table.fontMetrics().horizontalAdvance("期")


def test_the_pending_prints_reason_shows_whole_at_1366(qtbot: QtBot, sqlite_hall: Hall, clerk: Actor,
                                                        work_context: Context) -> None:
    """A printer's reason in its own words (系统打印机“…”不支持A4纸张…) ran off the list's right edge."""
    from desktop.printing.base import PrinterError, Problem
    from desktop.printing.simulated import SimulatedPrinter
    from desktop.services import printing
    from tests.printing.test_queue_panel import _accepted, _only
    from ui.printing.queue import PrintQueueDialog, fitted_size

    case, doc = _accepted(sqlite_hall, clerk)
    refusal = PrinterError(Problem.UNSUPPORTED, "系统打印机“HP LaserJet Pro M404dn（二楼接待大厅东侧）”不支持"
                                                "A4纸张，请选择其他打印机，或在设置中为告知书指定打印机")
    printer = SimulatedPrinter(fail_with=refusal)
    assert not printing.print_document(sqlite_hall, clerk, doc, None, printer).printed
    dialog = PrintQueueDialog(work_context(clerk), case.case_number, choices=_only(printer))
    qtbot.addWidget(dialog)
    dialog.resize(*fitted_size(1366, 768 - 40))
    with qtbot.waitSignal(dialog.refreshed, timeout=10_000):
        dialog.show()
    qtbot.wait(50)
    cut = cut_cells(dialog.pending_table)
    assert cut == [], "\n".join(cut)
