"""The line 打印… leaves beside the case's buttons: it goes when the clerk moves on (another case, 打印… again)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop.documents.model import DocumentKind
from desktop.services.context import Actor, Hall
from desktop.services.registration import register_visit
from tests.helpers import form, valid_id
from ui.counter.work import CounterWork
from ui.desk.cases import CaseDesk

# The offscreen platform has no popup windows of its own: it says so when a menu drops down.
POPUPS = pytest.mark.qt_log_ignore("This plugin does not support (raise|grabbing)")


def _desk_on_two_cases(qtbot: QtBot, counter: CounterWork, hall: Hall) -> CaseDesk:
    clerk = counter.registration.actor
    assert isinstance(clerk, Actor)
    for seq in (660, 661):
        register_visit(hall, clerk, form(id_number=valid_id(seq=seq), request="反映村道损毁"))
    counter.tabs.setCurrentWidget(counter.desk)
    desk = counter.desk.findChild(CaseDesk)
    assert desk is not None
    search = desk.search
    with qtbot.waitSignal(search.searched, timeout=10_000):
        search.query.setText("村道损毁")
    with qtbot.waitSignal(search.detail_shown, timeout=10_000):
        search.table.setCurrentCell(0, 0)
    return desk


@POPUPS
def test_a_refusal_goes_when_the_clerk_opens_the_print_menu_again(qtbot: QtBot, counter: CounterWork,
                                                                 sqlite_hall: Hall) -> None:
    desk = _desk_on_two_cases(qtbot, counter, sqlite_hall)
    note = desk.search.reveal_note
    with qtbot.waitSignal(desk.print_button.issued, timeout=10_000):
        desk.print_button.choose(DocumentKind.ACCEPTANCE_NOTICE)  # not accepted yet: refused
    assert note.isVisibleTo(desk) and "尚未受理" in note.text()
    menu = desk.print_button.kinds
    with qtbot.waitSignal(menu.aboutToShow):
        menu.popup(desk.print_button.mapToGlobal(desk.print_button.rect().bottomLeft()))
    assert not note.isVisibleTo(desk)  # the clerk is at 打印… again: the old refusal is gone
    menu.close()

    # Moving to the other case takes it away too (as every line about a case does).
    with qtbot.waitSignal(desk.print_button.issued, timeout=10_000):
        desk.print_button.choose(DocumentKind.ACCEPTANCE_NOTICE)
    assert note.isVisibleTo(desk)
    with qtbot.waitSignal(desk.search.detail_shown, timeout=10_000):
        desk.search.table.setCurrentCell(1, 0)
    assert not note.isVisibleTo(desk)


def test_a_refusal_that_comes_back_after_the_clerk_moved_on_is_not_said_of_the_next_case(
        qtbot: QtBot, counter: CounterWork, sqlite_hall: Hall) -> None:
    desk = _desk_on_two_cases(qtbot, counter, sqlite_hall)
    search = desk.search
    with qtbot.waitSignal(desk.print_button.issued, timeout=10_000), \
            qtbot.waitSignal(search.detail_shown, timeout=10_000):
        desk.print_button.choose(DocumentKind.ACCEPTANCE_NOTICE)  # issued off the GUI thread …
        search.table.setCurrentCell(1, 0)  # … while the clerk goes on to the next case
    assert search.current is not None and search.current.case_id == search.results[1].case_id
    assert not search.reveal_note.isVisibleTo(desk) and not desk.print_button.said


def test_tab_leaves_a_notices_multi_line_field(qtbot: QtBot, counter: CounterWork, sqlite_hall: Hall) -> None:
    desk = _desk_on_two_cases(qtbot, counter, sqlite_hall)
    desk.print_button.choose(DocumentKind.NON_ACCEPTANCE_NOTICE)  # asks for the reason first
    form = desk.print_button.form
    assert form is not None
    qtbot.waitUntil(form.isVisible)
    reason = form.inputs["reason"]
    form.activateWindow()
    reason.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is reason)
    qtbot.keyClick(reason, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is not reason and reason.toPlainText() == ""  # on, no tab typed
    form.reject()
