"""领导接访预约 at the counter and the leader's window worked from the keyboard alone."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QTabWidget, QWidget
from pytestqt.qtbot import QtBot

from desktop.printing.simulated import SimulatedPrinter
from desktop.services import reception
from desktop.services.context import Actor, Hall
from tests.helpers import valid_id
from ui.counter.work import CounterWork
from ui.leader.work import LeaderWork
from ui.shell.context import WorkContext

LEADER = Actor("staff:lingdao1", "周建华", "leader")


def _key(qtbot: QtBot, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> QWidget:
    """``key`` where the focus is; the widget that has the focus after it."""
    focused = QApplication.focusWidget()
    assert focused is not None
    qtbot.keyClick(focused, key, modifier)
    after = QApplication.focusWidget()
    assert after is not None
    return after


def test_a_booking_from_the_keyboard_enter_moves_on_and_books_from_the_last_field(
        qtbot: QtBot, window_counter: CounterWork, sqlite_hall: Hall) -> None:
    reception.add_day(sqlite_hall, LEADER, date(2026, 9, 18), leaders=["县长 周建华"])
    panel = window_counter.booking
    panel.printer = SimulatedPrinter
    window_counter.registration.id_number.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window_counter.registration.id_number)
    assert _key(qtbot, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier) is panel.day_box  # Ctrl+3: the form's top
    qtbot.waitUntil(lambda: panel.day_box.count() == 1, timeout=10_000)
    assert _key(qtbot, Qt.Key.Key_Return) is panel.slot_box
    assert _key(qtbot, Qt.Key.Key_Return) is panel.name
    panel.name.setText("李梅")
    assert _key(qtbot, Qt.Key.Key_Return) is panel.id_number
    panel.id_number.setText(valid_id(seq=12))
    assert _key(qtbot, Qt.Key.Key_Enter) is panel.phone
    assert _key(qtbot, Qt.Key.Key_Return) is panel.persons
    assert _key(qtbot, Qt.Key.Key_Return) is panel.summary
    panel.summary.setText("讨薪")
    assert _key(qtbot, Qt.Key.Key_Tab) is panel.book_button  # Tab: on to 预约 …
    assert _key(qtbot, Qt.Key.Key_Backtab) is panel.summary
    _key(qtbot, Qt.Key.Key_Return)  # … Enter in the last field books
    qtbot.waitUntil(lambda: panel.table.rowCount() == 1 and not panel.printing.busy, timeout=10_000)
    assert "已预约" in panel.message.text() and panel.name.text() == ""

    # Then the day's list, its note and the buttons under it, in the order they stand.
    panel.table.setFocus(Qt.FocusReason.TabFocusReason)
    panel.table.selectRow(0)
    assert _key(qtbot, Qt.Key.Key_Tab) is panel.note
    panel.note.setText("来电称已向镇里反映过两次")
    _key(qtbot, Qt.Key.Key_Return)  # Enter in the note adds it to the selected visitor's dossier
    qtbot.waitUntil(lambda: "添加批注" in panel.message.text() and not panel.printing.busy, timeout=10_000)
    assert panel.note.text() == ""
    assert _key(qtbot, Qt.Key.Key_Tab) is panel.note_button
    assert _key(qtbot, Qt.Key.Key_Tab) is panel.cancel_button


def test_the_leaders_tabs_come_forward_by_their_keys_with_the_keys_on_their_first_field(
        qtbot: QtBot, work_context: Callable[..., WorkContext]) -> None:
    work = LeaderWork(work_context(LEADER, "leader"))
    qtbot.addWidget(work)
    work.resize(1366, 768 - 45)
    with qtbot.waitActive(work):
        work.show()
        work.activateWindow()
    board = work.board
    for index, page in ((2, work.schedule), (1, board), (3, work.desk), (0, work.day)):
        focused = _key(qtbot, getattr(Qt.Key, f"Key_{index + 1}"), Qt.KeyboardModifier.ControlModifier)
        assert work.currentWidget() is page and page.isAncestorOf(focused), (index, focused)
        assert work.tabText(index).endswith(f"(Ctrl+{index + 1})")
    # 包案与积案 has tabs of its own, which Ctrl+Tab turns once the keys are in them: Ctrl+3 still gets out.
    inner = board.findChild(QTabWidget)
    assert inner is not None
    work.show_tab(1)
    _key(qtbot, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    assert work.currentWidget() is board and inner.currentIndex() == 1
    _key(qtbot, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert work.currentWidget() is work.schedule
