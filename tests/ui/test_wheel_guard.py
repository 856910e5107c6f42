"""Turning the wheel down the registration form scrolls it: it moved 信访渠道 from 走访 to 传真, and a date or the
number of visitors, whenever one passed under the pointer. A field the clerk is in still takes the wheel."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from ui.counter.work import CounterWork
from ui.shell.wheel import guard_wheel


def _turn(widget: QWidget, notches: int = -1) -> None:
    """The wheel turned over ``widget``, as the window system delivers it (down: negative)."""
    at = QPointF(widget.width() / 2, widget.height() / 2)
    event = QWheelEvent(at, QPointF(widget.mapToGlobal(at.toPoint())), QPoint(0, 0), QPoint(0, 120 * notches),
                        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(widget, event)


def test_the_wheel_scrolls_the_form_past_a_list_it_is_not_in_and_turns_a_list_it_is_in(
        qtbot: QtBot, counter: CounterWork) -> None:
    guard_wheel()  # as every staff window installs it
    panel = counter.registration
    counter.resize(1366, 700)
    counter.show()
    qtbot.waitExposed(counter)
    counter.activateWindow()  # an active window: Qt gives a field the focus on a wheel turn before any filter
    qtbot.waitActive(counter)
    panel.name.setFocus()
    qtbot.waitUntil(panel.name.hasFocus)
    channel, persons = panel.channel, panel.persons_count
    # a turn over them gives them no focus (Qt's WheelFocus did, before any filter, in a real window)
    assert channel.focusPolicy() == persons.focusPolicy() == Qt.FocusPolicy.StrongFocus
    before, people = channel.currentIndex(), persons.value()
    bar = panel.form_scroll.verticalScrollBar()
    assert bar.maximum() > 0  # the form scrolls at this size
    top = bar.value()
    _turn(persons, 1)  # up: 1 → 2 visitors had the box taken it
    _turn(channel)
    assert (channel.currentIndex(), persons.value()) == (before, people)  # nothing changed under the pointer
    assert panel.name.hasFocus()  # nor was the focus taken from the field the clerk is in
    assert bar.value() != top  # the page moved instead
    channel.setFocus()  # clicked or tabbed into: the list is the clerk's to turn
    _turn(channel)
    assert channel.currentIndex() != before
