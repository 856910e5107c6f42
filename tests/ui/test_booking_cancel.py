"""取消所选预约 on the counter's 领导接访预约: asked first, naming the visitor; nothing else is left selected after."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from desktop.printing.simulated import SimulatedPrinter
from desktop.services import reception
from desktop.services.context import Actor, Hall
from tests.helpers import valid_id
from ui.counter.work import CounterWork
from ui.reception.booking import CounterBookingPanel
from ui.shell.context import WorkContext

Context = Callable[..., WorkContext]


def _bookings(qtbot: QtBot, work_context: Context, clerk: Actor,
              printer: object = SimulatedPrinter) -> CounterBookingPanel:
    """The counter at 1366×768 on its 领导接访预约 tab, its slips printed by ``printer``."""
    counter = CounterWork(work_context(clerk))
    qtbot.addWidget(counter)
    counter.resize(1366, 723)
    counter.show()
    panel = counter.booking
    panel.printer = printer  # type: ignore[assignment]
    counter.setCurrentWidget(panel)
    return panel


def test_a_booking_is_cancelled_only_once_asked_and_the_next_visitor_is_not_left_selected(
        qtbot: QtBot, sqlite_hall: Hall, work_context: Context, clerk: Actor) -> None:
    day = reception.add_day(sqlite_hall, clerk, date(2026, 9, 18), leaders=["县长 周建华"], slots="09:00-10:00/1")
    reception.book(sqlite_hall, clerk, day.day_id, reception.Visitor("张建国", valid_id(seq=31), "13857912331"))
    reception.book(sqlite_hall, clerk, day.day_id, reception.Visitor("李梅", valid_id(seq=32), "13857912332"))
    panel = _bookings(qtbot, work_context, clerk)
    qtbot.waitUntil(lambda: panel.table.rowCount() == 2, timeout=10_000)
    panel.table.selectRow(0)
    qtbot.mouseClick(panel.cancel_button, Qt.MouseButton.LeftButton)
    box = panel.confirm
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert "张**" in box.text() and "2026年9月18日" in box.text() and "9:00–10:00" in box.text()
    assert box.defaultButton() is box.escapeButton()  # Enter and Esc keep the booking
    box.escapeButton().click()  # 保留预约: nothing changes
    assert not panel.printing.busy
    assert [a.status for a in reception.appointments(sqlite_hall, clerk, day.day_id)] == ["已预约", "候补"]

    qtbot.mouseClick(panel.cancel_button, Qt.MouseButton.LeftButton)
    box = panel.confirm
    assert isinstance(box, QMessageBox)
    go = next(b for b in box.buttons() if b.text() == "取消该预约")
    with qtbot.waitSignal(panel.refreshed, timeout=10_000):
        go.click()
    qtbot.waitUntil(lambda: not panel.printing.busy and "已取消" in panel.message.text(), timeout=10_000)
    assert panel.message.text() == "已取消张**的预约；候补的李*递补到9:00–10:00，请电话通知"
    qtbot.waitUntil(lambda: panel.table.rowCount() == 1, timeout=10_000)
    assert not panel.table.selectionModel().hasSelection()  # 李梅, moved up under the cursor, is not chosen
    qtbot.mouseClick(panel.cancel_button, Qt.MouseButton.LeftButton)
    assert panel.confirm is None and "请先在列表中选择" in panel.message.text()


def test_a_slip_not_printed_leaves_the_booking_said_as_made(qtbot: QtBot, sqlite_hall: Hall, work_context: Context,
                                                            clerk: Actor) -> None:
    """预约 with the receipt printer out: 已预约… stands, the slip's trouble beside it as a notice, not all in red."""
    from desktop.printing.base import PrinterError, Problem

    reception.add_day(sqlite_hall, clerk, date(2026, 9, 18), leaders=["县长 周建华"])
    broken = SimulatedPrinter(fail_with=PrinterError(Problem.OUT_OF_PAPER, "缺纸，请装纸后重试"))
    panel = _bookings(qtbot, work_context, clerk, lambda: broken)
    qtbot.waitUntil(lambda: panel.day_box.count() == 1, timeout=10_000)
    panel.name.setText("张建国")
    panel.id_number.setText(valid_id(seq=41))
    panel.phone.setText("13857912341")
    panel.submit()
    qtbot.waitUntil(lambda: not panel.printing.busy and "正在打印" not in panel.message.text(), timeout=10_000)
    assert panel.message.text().startswith("已预约2026年9月18日")
    assert "缺纸" in panel.message.text()
    assert panel.message.property("tone") == "notice"


def test_the_booking_message_follows_the_case_linked_after_it(qtbot: QtBot, sqlite_hall: Hall,
                                                              work_context: Context, clerk: Actor) -> None:
    """已预约…；尚未关联信访事项 stayed on the screen after the visitor's matter was registered and linked."""
    from desktop.services.registration import register_visit
    from tests.helpers import form

    reception.add_day(sqlite_hall, clerk, date(2026, 9, 18), leaders=["县长 周建华"])
    panel = _bookings(qtbot, work_context, clerk)
    qtbot.waitUntil(lambda: panel.day_box.count() == 1, timeout=10_000)
    panel.name.setText("张建国")
    panel.id_number.setText(valid_id(seq=42))
    panel.phone.setText("13857912342")
    panel.submit()
    qtbot.waitUntil(lambda: not panel.printing.busy and "正在打印" not in panel.message.text(), timeout=10_000)
    assert "尚未关联信访事项" in panel.message.text()
    visit = form(id_number=valid_id(seq=42), request="要求处理邻居违建")
    number = register_visit(sqlite_hall, clerk, visit).case_number
    (booked,) = reception.appointments(sqlite_hall, clerk, panel.days[0].day_id)
    reception.link_case(sqlite_hall, clerk, booked.appointment_id, number)
    with qtbot.waitSignal(panel.refreshed, timeout=10_000):
        panel.refresh()
    said = panel.message.text()
    assert "尚未关联信访事项" not in said and f"已关联{number}（诉求：要求处理邻居违建）" in said, said
    assert said.startswith("已预约2026年9月18日")
