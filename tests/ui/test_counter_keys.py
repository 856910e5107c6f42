"""A clerk working the counter from the keyboard alone: Ctrl+S from anywhere, pop-ups that move on."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from desktop.services.context import Hall
from tests.helpers import valid_id
from tests.ui.conftest import case_count
from ui.common.choice import ChoiceBox
from ui.counter.work import CounterWork

REQUEST = "反映浦阳街道某建筑工地拖欠农民工工资三个月，要求尽快支付"
# The offscreen platform has no popup windows of its own: it says so when a list drops down.
POPUPS = pytest.mark.qt_log_ignore("This plugin does not support (raise|grabbing)")


def _type_chinese(edit: QWidget, text: str) -> None:
    """What an input method commits (keyClicks cannot type Chinese)."""
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(edit, event)


def _focus_on(qtbot: QtBot, widget: QWidget) -> None:
    widget.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is widget)


def test_ctrl_s_saves_from_the_queue_strip_and_from_the_desk(qtbot: QtBot, window_counter: CounterWork,
                                                             sqlite_hall: Hall) -> None:
    panel, bar = window_counter.registration, window_counter.queue
    assert bar is not None
    panel.id_number.setText(valid_id(seq=601))
    panel.name.setText("李梅")
    panel.request.setPlainText(REQUEST)
    _focus_on(qtbot, bar.case_field)  # the clerk typed a case number in the strip above the form
    with qtbot.waitSignal(panel.registered, timeout=10_000):
        qtbot.keyClick(bar.case_field, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert case_count(sqlite_hall) == 1
    qtbot.waitUntil(lambda: not panel.printing.busy, timeout=20_000)

    # The next visitor's form filled, the clerk looking up a case on the desk: Ctrl+Enter saves and shows the form.
    with qtbot.waitSignal(panel.background.settled, timeout=10_000):
        panel.new_form()
    panel.id_number.setText(valid_id(seq=602))
    panel.name.setText("王强")
    panel.request.setPlainText("反映村道损毁，要求修复")
    window_counter.tabs.setCurrentWidget(window_counter.desk)
    search = window_counter.search
    field = search.findChild(QWidget, "casequery") or search.focusWidget() or search
    _focus_on(qtbot, field)
    with qtbot.waitSignal(panel.registered, timeout=10_000):
        qtbot.keyClick(field, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert case_count(sqlite_hall) == 2 and window_counter.currentWidget() is panel
    qtbot.waitUntil(lambda: not panel.printing.busy, timeout=20_000)


def test_ctrl_s_on_an_empty_form_says_there_is_nothing_to_save(qtbot: QtBot, window_counter: CounterWork,
                                                               sqlite_hall: Hall) -> None:
    panel, bar = window_counter.registration, window_counter.queue
    assert bar is not None
    _focus_on(qtbot, bar.visitor_id)
    qtbot.keyClick(bar.visitor_id, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert "没有可保存的内容" in panel.message.text() and not panel.tasks.busy
    assert case_count(sqlite_hall) == 0
    assert QApplication.focusWidget() is panel.id_number  # where the form starts


@POPUPS
def test_enter_in_the_region_popup_picks_and_moves_on_esc_keeps_the_region(qtbot: QtBot,
                                                                           counter: CounterWork) -> None:
    panel = counter.registration
    region = panel.region
    home, home_code = region.currentText(), region.code()
    assert home_code
    edit = region.lineEdit()
    assert edit is not None
    popup = region.completer().popup()

    # Esc: the pop-up closes, the region is the one it was.
    _focus_on(qtbot, region)
    edit.selectAll()
    qtbot.keyClicks(edit, "j")
    qtbot.waitUntil(popup.isVisible)
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Escape)
    assert not popup.isVisible()
    assert region.currentText() == home and region.code() == home_code
    assert QApplication.focusWidget() in (region, edit)

    # Enter on a highlighted region: picked, and the focus is on the next field (信访渠道).
    edit.selectAll()
    qtbot.keyClicks(edit, "j")
    qtbot.waitUntil(popup.isVisible)
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    chosen = popup.currentIndex().data()
    assert chosen and chosen != home
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert region.currentText() == chosen and region.code() not in ("", home_code)
    assert QApplication.focusWidget() is panel.channel
    picked = region.code()
    region.set_code(home_code)

    # The only region left needs no arrow key: Enter takes it.
    _focus_on(qtbot, region)
    edit.selectAll()
    _type_chinese(edit, chosen)
    qtbot.waitUntil(popup.isVisible)
    assert popup.model().rowCount() == 1
    popup.setCurrentIndex(QModelIndex())  # nothing highlighted, as when the name was typed from its middle
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert region.code() == picked and QApplication.focusWidget() is panel.channel


@POPUPS
def test_enter_in_the_topic_popup_and_tab_in_a_choice_move_on(qtbot: QtBot, counter: CounterWork) -> None:
    panel = counter.registration
    topic = panel.topic
    edit = topic.lineEdit()
    assert edit is not None and topic.count_choices() > 2
    popup = topic.completer().popup()
    _focus_on(qtbot, topic)
    qtbot.keyClicks(edit, "q")
    qtbot.waitUntil(popup.isVisible)
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    chosen = popup.currentIndex().data()
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert topic.currentText() == chosen and topic.code()
    assert QApplication.focusWidget() is panel.nature

    # Tab on a highlighted entry picks it and goes on, as Tab does everywhere else.
    _focus_on(qtbot, topic)
    edit.selectAll()
    qtbot.keyClicks(edit, "q")
    qtbot.waitUntil(popup.isVisible)
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    second = popup.currentIndex().data()
    qtbot.keyClick(popup, Qt.Key.Key_Tab)
    assert topic.currentText() == second and QApplication.focusWidget() is not edit
    assert isinstance(topic, ChoiceBox)
