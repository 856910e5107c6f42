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
    assert QApplication.focusWidget() is panel.name  # the next visitor's name, the day kept

    # Then the day's list, its note and the buttons under it, in the order they stand.
    panel.import_button.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is panel.import_button)
    assert _key(qtbot, Qt.Key.Key_Tab) is panel.table
    assert panel.table.selectionModel().isRowSelected(0)  # the row the buttons below act on looks chosen
    assert _key(qtbot, Qt.Key.Key_Tab) is panel.note
    panel.note.setText("来电称已向镇里反映过两次")
    _key(qtbot, Qt.Key.Key_Return)  # Enter in the note adds it to the selected visitor's dossier
    qtbot.waitUntil(lambda: "添加批注" in panel.message.text() and not panel.printing.busy, timeout=10_000)
    assert panel.note.text() == ""
    assert _key(qtbot, Qt.Key.Key_Tab) is panel.note_button
    assert _key(qtbot, Qt.Key.Key_Tab) is panel.link_button
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


def _leader_work(qtbot: QtBot, work_context: Callable[..., WorkContext]) -> LeaderWork:
    work = LeaderWork(work_context(LEADER, "leader"))
    qtbot.addWidget(work)
    work.resize(1366, 768 - 45)
    with qtbot.waitActive(work):
        work.show()
        work.activateWindow()
    return work


def test_the_schedule_by_keyboard_enter_walks_to_the_button_and_generates(
        qtbot: QtBot, work_context: Callable[..., WorkContext], sqlite_hall: Hall) -> None:
    work = _leader_work(qtbot, work_context)
    schedule = work.schedule
    assert _key(qtbot, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier) is schedule.leaders
    schedule.leaders.setText("县长 周建华")
    assert _key(qtbot, Qt.Key.Key_Return) is schedule.topics
    assert _key(qtbot, Qt.Key.Key_Return) is schedule.months
    schedule.months.setValue(3)
    assert _key(qtbot, Qt.Key.Key_Return) is schedule.generate_button  # the keys rest on it: nothing made yet
    assert reception.list_days(sqlite_hall, LEADER) == []
    _key(qtbot, Qt.Key.Key_Return)  # Enter on the framed button presses it
    qtbot.waitUntil(lambda: schedule.table.rowCount() == 2, timeout=10_000)  # 10-15 and 11-16 (11-15 a Sunday)
    schedule.day.setFocus(Qt.FocusReason.TabFocusReason)  # 另加接访日: Enter goes on to 添加这一天
    qtbot.waitUntil(lambda: QApplication.focusWidget() is schedule.day)
    assert _key(qtbot, Qt.Key.Key_Return) is schedule.add_button


def test_a_case_on_the_board_opens_with_enter(qtbot: QtBot, work_context: Callable[..., WorkContext],
                                              sqlite_hall: Hall, clerk: Actor) -> None:
    from desktop.services import leaderday
    from desktop.services.registration import register_visit
    from tests.helpers import form

    case = register_visit(sqlite_hall, clerk, form(id_number=valid_id(seq=41)))
    day = reception.add_day(sqlite_hall, clerk, date(2026, 9, 16), leaders=["县长 周建华"])
    booking = reception.book(sqlite_hall, clerk, day.day_id, reception.Visitor("张建国", valid_id(seq=41)))
    leaderday.record_decision(sqlite_hall, LEADER, booking.appointment.appointment_id, instruction="限期解决",
                              take_on=True, unit_codes=["330726-RSJ"], due=date(2026, 9, 30))
    work = _leader_work(qtbot, work_context)
    board = work.board
    _key(qtbot, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: board.board.rowCount() == 1, timeout=10_000)
    board.board.setFocus(Qt.FocusReason.TabFocusReason)
    board.board.setCurrentCell(0, 0)
    with qtbot.waitSignal(board.case_chosen, timeout=2_000) as chosen:
        _key(qtbot, Qt.Key.Key_Return)
    assert chosen.args == [case.case_number] and work.currentWidget() is work.desk

    # Enter in the 督办 line urges the case selected (the button took only a click).
    _key(qtbot, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert board.urge_text.isVisibleTo(board)
    board.board.setCurrentCell(0, 0)
    board.urge_text.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is board.urge_text)
    board.urge_text.setText("请于本周五前报告办理进展")
    _key(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "已督办" in board.message.text(), timeout=10_000)


def test_on_the_day_enter_adds_the_note_and_presses_the_framed_button(
        qtbot: QtBot, work_context: Callable[..., WorkContext], sqlite_hall: Hall, clerk: Actor) -> None:
    day = reception.add_day(sqlite_hall, clerk, date(2026, 9, 16), leaders=["县长 周建华"])
    reception.book(sqlite_hall, clerk, day.day_id, reception.Visitor("张建国", valid_id(seq=42)))
    work = _leader_work(qtbot, work_context)
    screen = work.day
    qtbot.waitUntil(lambda: screen.table.rowCount() == 1, timeout=10_000)
    screen.day_box.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is screen.day_box)
    with qtbot.waitSignal(screen.opened, timeout=10_000):  # Enter (or Tab) into the list: the visitor's dossier
        assert _key(qtbot, Qt.Key.Key_Return) is screen.table
    assert screen.current is not None and screen.current.name.startswith("张")
    screen.note.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is screen.note)
    screen.note.setText("来电称已向镇里反映过两次")
    with qtbot.waitSignal(screen.opened, timeout=10_000):  # Enter in the note adds it; the dossier is read again
        _key(qtbot, Qt.Key.Key_Return)
    assert "来电称已向镇里反映过两次" in screen.view.toPlainText() and screen.note.text() == ""
    screen.instruction.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is screen.instruction)
    assert _key(qtbot, Qt.Key.Key_Tab) is screen.decision  # 批示 → 决定: Tab typed no tab into the 批示
    assert screen.instruction.toPlainText() == ""
    assert _key(qtbot, Qt.Key.Key_Return) is screen.take_on  # 决定 → 包案
    screen.brief_button.setFocus(Qt.FocusReason.TabFocusReason)
    with qtbot.waitSignal(screen.document_ready, timeout=10_000):  # Enter on 打印简报 prints the brief
        _key(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: work.preview is not None and work.preview.isVisible(), timeout=10_000)
    assert work.preview is not None
    work.preview.reject()


def test_after_saving_by_keyboard_the_keys_go_on_to_the_form_or_the_list_never_to_the_lock_button(
        qtbot: QtBot, work_context: Callable[..., WorkContext], sqlite_hall: Hall, clerk: Actor) -> None:
    """保存批示 is disabled while it saves: the keys fell to 锁屏 in the header, and Enter locked the screen."""
    from desktop.services.registration import register_visit
    from tests.helpers import form

    day = reception.add_day(sqlite_hall, clerk, date(2026, 9, 16), leaders=["县长 周建华"])
    for seq in (43, 44):
        register_visit(sqlite_hall, clerk, form(id_number=valid_id(seq=seq)))
        reception.book(sqlite_hall, clerk, day.day_id, reception.Visitor("张建国", valid_id(seq=seq)))
    work = _leader_work(qtbot, work_context)
    screen = work.day
    qtbot.waitUntil(lambda: screen.table.rowCount() == 2, timeout=10_000)
    with qtbot.waitSignal(screen.opened, timeout=10_000):
        screen.table.selectRow(0)
    screen.save_button.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is screen.save_button)
    with qtbot.waitSignal(screen.acting.settled, timeout=10_000):  # no 批示: refused, the keys stay on the button
        _key(qtbot, Qt.Key.Key_Return)
    assert "请填写领导批示" in screen.message.text() and QApplication.focusWidget() is screen.save_button
    screen.instruction.setPlainText("请县人力社保局牵头，限期答复")
    screen.take_on.setChecked(True)
    screen.unit_box.set_code("330726-RSJ")
    screen.add_chosen_unit()
    screen.save_button.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is screen.save_button)
    qtbot.keyClick(screen.save_button, Qt.Key.Key_Return)  # a 包案 is asked about first: 确认包案 by the keys too
    go = screen.confirm_go
    assert go is not None and screen.confirm is not None
    qtbot.waitExposed(screen.confirm)
    with qtbot.waitSignal(screen.decided, timeout=10_000):
        qtbot.keyClick(go, Qt.Key.Key_Space)
    # 包案: on to 打印交办单 (the window's keys, once the question has gone)
    qtbot.waitUntil(lambda: screen.window().focusWidget() is screen.form_button, timeout=3000)
    screen.window().activateWindow()  # as the desktop does once the question has closed (offscreen does not)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is screen.form_button, timeout=3000)
    assert screen.unit_box.currentText() == ""  # no unit left standing in the emptied form
    with qtbot.waitSignal(screen.opened, timeout=10_000):
        screen.table.selectRow(1)
    screen.instruction.setPlainText("依法解释")
    screen.save_button.setFocus(Qt.FocusReason.TabFocusReason)
    with qtbot.waitSignal(screen.decided, timeout=10_000):
        _key(qtbot, Qt.Key.Key_Return)
    assert QApplication.focusWidget() is screen.table  # back to the list for the next visitor


def test_import_without_a_reception_day_says_why_instead_of_asking_for_a_file(
        qtbot: QtBot, window_counter: CounterWork) -> None:
    panel = window_counter.booking
    qtbot.waitUntil(lambda: "尚未排定" in panel.message.text(), timeout=10_000)
    panel.import_button.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is panel.import_button)
    _key(qtbot, Qt.Key.Key_Return)  # Enter on 从表格导入…: no file dialog opens (it would wait here)
    assert "不能导入" in panel.message.text() and panel.message.isVisibleTo(panel)
