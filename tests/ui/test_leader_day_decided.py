"""What the leader has just decided shows in the visitor's dossier at once: the 批示's words, the 包案 with its unit
and deadline — without signing out and in again — and the confirmation stays said; a 交办单 printed says so."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop.printing.simulated import SimulatedPrinter
from desktop.services import cases, reception
from desktop.services.context import Actor, Hall
from desktop.services.registration import register_visit
from tests.conftest import FakeClock, make_hall
from tests.helpers import form, valid_id
from ui.leader.work import LeaderWork
from ui.printing.preview import PrintPreviewDialog
from ui.shell.context import WorkContext

LEADER = Actor("staff:lingdao1", "周建华", "leader")


def test_the_dossier_shows_the_instruction_and_the_baoan_just_recorded(
        qtbot: QtBot, sqlite_hall: Hall, clerk: Actor, work_context: Callable[..., WorkContext],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """打印交办单 is offered as soon as the 包案 is recorded: it was greyed again by the dossier read after the
    decision until the list happened to be read again (never, on a slow machine, before the leader clicked)."""
    from ui.reception.day import LeaderDayScreen

    # the list is not read again meanwhile (on a loaded machine its reading lands after the leader's click)
    monkeypatch.setattr(LeaderDayScreen, "REREAD_MS", 3_600_000)
    monkeypatch.setattr(LeaderDayScreen, "_changed", lambda _self, _changes: None)
    hall = sqlite_hall
    case = register_visit(hall, clerk, form(name="欧阳建华", id_number=valid_id(seq=31)))
    cases.classify(hall, clerk, case.case_number, nature="申诉求决类", topic_code="0101")
    day = reception.add_day(hall, clerk, hall.today(), leaders=["县长 周建华"])
    reception.book(hall, clerk, day.day_id, reception.Visitor("欧阳建华", valid_id(seq=31)),
                   case_number=case.case_number)
    work = LeaderWork(work_context(LEADER, "leader"))
    qtbot.addWidget(work)
    work.resize(1366, 768)
    work.show()
    screen = work.day
    qtbot.waitUntil(lambda: screen.table.rowCount() == 1, timeout=10_000)
    with qtbot.waitSignal(screen.opened, timeout=10_000):
        screen.table.selectRow(0)
    assert "十日内书面答复" not in screen.view.toPlainText()
    screen.instruction.setPlainText("请县人力社保局牵头，十日内书面答复")
    screen.take_on.setChecked(True)
    screen.unit_box.set_code("330726-RSJ")
    qtbot.mouseClick(screen.add_unit, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(screen.save_button, Qt.MouseButton.LeftButton)
    assert screen.confirm_go is not None  # a 包案 is asked about first
    with qtbot.waitSignal(screen.decided, timeout=10_000) as decided:
        screen.confirm_go.click()
    assert decided.args is not None
    due = decided.args[0].due
    assert isinstance(due, date)

    def shown() -> bool:
        text = screen.view.toPlainText()
        return "十日内书面答复" in text and "包案" in text and f"{due.month}月{due.day}日" in text

    qtbot.waitUntil(shown, timeout=10_000)
    assert "已记录批示" in screen.message.text() and "人力资源和社会保障局" in screen.message.text()
    assert screen.form_button.isEnabled()
    status = screen.table.item(0, 3)
    assert status is not None and "包案" in status.text()

    # the 交办单 printed from here says it printed, here, as the counter does
    with qtbot.waitSignal(screen.document_ready, timeout=10_000):
        qtbot.mouseClick(screen.form_button, Qt.MouseButton.LeftButton)
    dialog = work.preview
    assert isinstance(dialog, PrintPreviewDialog) and dialog.doc.title == "领导接访交办单"
    qtbot.waitUntil(lambda: not dialog.tasks.busy and not dialog.lookup.busy, timeout=10_000)
    with qtbot.waitSignal(dialog.finished_printing, timeout=10_000) as printed:
        dialog.print_to(SimulatedPrinter())
    assert printed.args is not None and printed.args[0].printed
    assert screen.message.text() == printed.args[0].message and screen.message.property("tone") == "ok"


def test_a_visitor_of_a_day_still_to_come_can_be_read_but_not_decided_on(
        qtbot: QtBot, sqlite_hall: Hall, clerk: Actor, work_context: Callable[..., WorkContext]) -> None:
    """批示 and 包案 were accepted for a visitor booked on the 15th, on the 6th: the 交办单 said they were received on
    a day still to come. The dossier reads as ever; 保存批示 waits for the day, and says so before anything is typed."""
    from datetime import timedelta

    hall = sqlite_hall
    case = register_visit(hall, clerk, form(name="张洁", id_number=valid_id(seq=32)))
    later = hall.today() + timedelta(days=9)
    day = reception.add_day(hall, clerk, later, leaders=["县长 周建华"])
    reception.book(hall, clerk, day.day_id, reception.Visitor("张洁", valid_id(seq=32)), case_number=case.case_number)
    work = LeaderWork(work_context(LEADER, "leader"))
    qtbot.addWidget(work)
    work.show()
    screen = work.day
    qtbot.waitUntil(lambda: screen.table.rowCount() == 1, timeout=10_000)
    with qtbot.waitSignal(screen.opened, timeout=10_000):
        screen.table.selectRow(0)
    assert case.case_number in screen.view.toPlainText()  # read before the day, as it is meant to be
    assert not screen.save_button.isEnabled() and screen.note_button.isEnabled()
    assert f"接访日（{later.month}月{later.day}日）还没到" in screen.message.text()
    assert screen.message.property("tone") == "notice"


def test_a_booking_no_change_reached_shows_within_the_interval_and_nothing_moves_meanwhile(
        qtbot: QtBot, sqlite_hall: Hall, clerk: Actor, work_context: Callable[..., WorkContext],
        clock: FakeClock, monkeypatch: pytest.MonkeyPatch) -> None:
    """A walk-in booked at the counter of another program on the database never appeared (此列表随即更新, it said);
    the list is read again now and then, and left as it is, the dossier being read too, while nothing changed."""
    from ui.reception.day import LeaderDayScreen

    monkeypatch.setattr(LeaderDayScreen, "REREAD_MS", 100)
    hall = sqlite_hall
    day = reception.add_day(hall, clerk, hall.today(), leaders=["县长 周建华"])
    reception.book(hall, clerk, day.day_id, reception.Visitor("欧阳建华", valid_id(seq=33)))
    work = LeaderWork(work_context(LEADER, "leader"))
    qtbot.addWidget(work)
    work.show()
    screen = work.day
    qtbot.waitUntil(lambda: screen.table.rowCount() == 1, timeout=10_000)
    with qtbot.waitSignal(screen.opened, timeout=10_000):
        screen.table.selectRow(0)
    opened: list[None] = []
    screen.opened.connect(lambda: opened.append(None))
    for _reading in range(3):  # three readings of the unchanged list
        with qtbot.waitSignal(screen.tasks.settled, timeout=10_000):
            pass
    assert opened == []  # the dossier was not read (and masked) again
    elsewhere = make_hall(hall.engine, clock)  # another program: none of its changes reach this window
    reception.book(elsewhere, clerk, day.day_id, reception.Visitor("李梅", valid_id(seq=34)))
    qtbot.waitUntil(lambda: screen.table.rowCount() == 2, timeout=10_000)
