"""The receipt's scanner told from a person's keys by their pace, on every screen of the kiosk.

A keyboard-wedge scanner types the QR code's text a few milliseconds a key and ends it with Enter; a person on a
physical keyboard types a key every tenth of a second or slower. The keys are sent here with the window system's
time on them, as a scanner's and a hand's come (no waiting in the tests).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from desktop.domain.qrpayload import make_payload
from desktop.services.context import Actor, Hall
from desktop.services.registration import RegistrationResult, register_visit
from tests.helpers import form
from ui.kiosk.progress import ProgressFlow
from ui.kiosk.register import RegistrationFlow
from ui.kiosk.shell import KioskShell
from ui.kiosk.suggest import SuggestionFlow

#: A scanner's pace (xdotool type --delay 5) and a fast typist's (ms a key).
MACHINE_MS, PERSON_MS = 5, 80
#: A scanner's keys as a busy window system stamped them (xdotool under Xvfb): 11 ms apart on average, some 64.
JITTER_MS = (3, 4, 41, 12, 28, 9, 7, 64, 3, 3, 10, 3)
WECHAT = "https://u.wechat.com/EKx3abcDEF?scene=" + "7" * 2960  # 3,000 characters


class Keys:
    """Keys typed into whatever has the focus, each with its time (ms by the window system's clock)."""

    def __init__(self, shell: KioskShell) -> None:
        self.shell = shell
        self.at = 100_000

    def _key(self, key: int, text: str, gap: int | tuple[int, ...]) -> None:
        if isinstance(gap, tuple):
            self.count = getattr(self, "count", 0) + 1
            gap = gap[self.count % len(gap)]
        self.at += gap
        target: QWidget = self.shell.window().focusWidget() or self.shell.window()
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            event = QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, text)
            event.setTimestamp(self.at)
            QApplication.sendEvent(target, event)

    def tab(self, back: bool = False) -> None:
        self._key((Qt.Key.Key_Backtab if back else Qt.Key.Key_Tab).value, "\t", PERSON_MS)

    def type(self, text: str, gap: int | tuple[int, ...], *, enter: bool = True, line_feed: bool = False) -> None:
        self.at += 1000  # a pause before
        for char in text:
            self._key(ord(char.upper()) if char.isascii() else 0, char, gap)
        if line_feed:  # a line feed, no Enter key (xdotool types a newline so)
            self._key(Qt.Key.Key_unknown.value, "\n", gap)
        elif enter:
            self._key(Qt.Key.Key_Return.value, "\r", gap)


def _payload(hall: Hall, result: RegistrationResult) -> str:
    return make_payload(hall.settings.public_lookup_url, result.case_number, result.query_code)


def _suggestion_box(qtbot: QtBot, shell: KioskShell, written: str) -> SuggestionFlow:
    flow = shell.open_flow("suggest")
    assert isinstance(flow, SuggestionFlow)
    flow.free_button.click()
    qtbot.waitUntil(flow.content.isVisible)
    flow.content.setPlainText(written)
    flow.content.setFocus()
    qtbot.waitUntil(flow.content.hasFocus)
    cursor = flow.content.textCursor()
    cursor.movePosition(cursor.MoveOperation.End)
    flow.content.setTextCursor(cursor)
    return flow


def test_a_receipt_scanned_into_a_long_text_box_opens_its_case_and_leaves_nothing_in_the_box(
        qtbot: QtBot, shell: KioskShell, sqlite_hall: Hall, clerk: Actor) -> None:
    """人民建议's box held the scanner's address, case number, code and a line break as text; no case opened."""
    result = register_visit(sqlite_hall, clerk, form())
    written = "小区门口的路灯坏了很久，晚上出行不便"
    flow = _suggestion_box(qtbot, shell, written)
    Keys(shell).type(_payload(sqlite_hall, result), JITTER_MS)
    assert flow.content.toPlainText() == written  # nothing of the scan, no line break
    question = shell.leave_question
    assert question.isVisible() and question.heading.text() == "要放弃已填写的内容，查看回执上的事项吗？"
    question.drop.click()
    progress = shell.flow
    assert isinstance(progress, ProgressFlow)
    qtbot.waitUntil(lambda: progress.current_page is progress.result_page)
    assert result.case_number in progress.heading.text()


def test_a_receipt_scanned_into_an_empty_box_ending_in_a_line_feed_opens_its_case(
        qtbot: QtBot, shell: KioskShell, sqlite_hall: Hall, clerk: Actor) -> None:
    result = register_visit(sqlite_hall, clerk, form())
    _suggestion_box(qtbot, shell, "")
    Keys(shell).type(_payload(sqlite_hall, result), MACHINE_MS, line_feed=True)
    progress = shell.flow
    assert isinstance(progress, ProgressFlow)  # nothing written: no question
    qtbot.waitUntil(lambda: progress.current_page is progress.result_page)
    assert result.case_number in progress.heading.text()


def test_a_person_typing_an_address_into_a_long_text_box_keeps_it(qtbot: QtBot, shell: KioskShell,
                                                                   sqlite_hall: Hall, clerk: Actor) -> None:
    result = register_visit(sqlite_hall, clerk, form())
    payload = _payload(sqlite_hall, result)
    flow = _suggestion_box(qtbot, shell, "参考：")
    Keys(shell).type(payload, PERSON_MS)
    assert shell.flow is flow and flow.content.toPlainText() == "参考：" + payload + "\n"
    assert not shell.leave_question.isVisible()


def test_a_foreign_code_scanned_into_the_case_number_is_refused_at_once_and_leaves_the_field(
        qtbot: QtBot, shell: KioskShell) -> None:
    """A WeChat address of 3,000 characters stayed in 案件编号; the scanner's Enter moved on to 查询码."""
    flow = shell.open_flow("progress")
    assert isinstance(flow, ProgressFlow)
    flow.number.setFocus()
    qtbot.waitUntil(flow.number.hasFocus)
    Keys(shell).type(WECHAT, MACHINE_MS)
    assert flow.number.text() == "" and flow.number.hasFocus()
    assert flow.message.text().startswith("这不是本系统回执上的二维码") and flow.current_page is flow.entry_page


def test_a_scan_does_not_answer_the_question_over_a_flow(qtbot: QtBot, shell: KioskShell, sqlite_hall: Hall,
                                                         clerk: Actor) -> None:
    """The scanner's Enter answered 继续填写 and the scan was lost without a word."""
    result = register_visit(sqlite_hall, clerk, form())
    flow = shell.open_flow("register")
    assert isinstance(flow, RegistrationFlow)
    flow.name.setText("王秀英")
    flow.name.setFocus()
    qtbot.waitUntil(flow.name.hasFocus)
    shell.ask_home()
    question = shell.leave_question
    assert question.isVisible()
    keys = Keys(shell)
    keys.type("https://shop.example.com/item/123", MACHINE_MS)
    assert question.isVisible() and "不是本系统回执上的二维码" in question.text.text()
    assert flow.name.text() == "王秀英"
    keys.type(_payload(sqlite_hall, result), MACHINE_MS)
    assert question.isVisible() and question.heading.text() == "要放弃已填写的内容，查看回执上的事项吗？"
    assert flow.name.text() == "王秀英" and question.text.text().startswith("放弃后")
    question.drop.click()
    progress = shell.flow
    assert isinstance(progress, ProgressFlow)
    qtbot.waitUntil(lambda: progress.current_page is progress.result_page)
    assert result.case_number in progress.heading.text()


def test_a_persons_keys_on_a_page_without_a_field_are_not_a_foreign_code(qtbot: QtBot, shell: KioskShell) -> None:
    shell.setFocus()
    qtbot.waitUntil(shell.hasFocus)
    Keys(shell).type("hello world", PERSON_MS)
    assert shell.flow is None and not shell.home_message.isVisible()


def test_enter_presses_the_button_a_keyboard_focused(qtbot: QtBot, shell: KioskShell) -> None:
    """Enter on a focused tile or button did nothing (only Space did)."""
    tile = shell.tile_buttons["progress"]
    tile.setFocus()
    qtbot.waitUntil(tile.hasFocus)
    keys = Keys(shell)
    keys.tab()
    keys.tab(back=True)
    assert tile.hasFocus() and tile.property("keyed")
    keys.type("", PERSON_MS)
    flow = shell.flow
    assert isinstance(flow, ProgressFlow) and shell.flow_key == "progress"
    flow.code.setFocus()
    qtbot.waitUntil(flow.code.hasFocus)
    keys.tab()
    assert flow.submit.hasFocus()
    keys.type("", PERSON_MS)
    assert flow.message.text()  # 查询 pressed: it asks for the case number


def test_enter_on_a_button_the_page_focused_shows_it_first(qtbot: QtBot, shell: KioskShell) -> None:
    """The page leaves its focus on 大字 (first in line), unmarked: a person's keys and Enter toggled 大字 unseen."""
    shell.large_button.setFocus(Qt.FocusReason.OtherFocusReason)
    qtbot.waitUntil(shell.large_button.hasFocus)
    keys = Keys(shell)
    keys.type("hello", PERSON_MS)
    assert not shell.large_button.isChecked() and shell.large_button.property("keyed")
    keys.type("", PERSON_MS)  # now seen: pressed
    assert shell.large_button.isChecked()


def test_the_focus_ring_shows_where_a_keyboard_put_the_focus(qtbot: QtBot, shell: KioskShell) -> None:
    """The focus mark was almost invisible (in 高对比 most); the page's own focus (大字, first in line) shows none."""
    from ui.kiosk.style import FOCUS_RING_PX

    tile = shell.tile_buttons["progress"]
    shell.large_button.setFocus(Qt.FocusReason.OtherFocusReason)
    qtbot.waitUntil(shell.large_button.hasFocus)
    assert not shell.large_button.property("keyed")
    keys = Keys(shell)
    for contrast in (False, True):
        shell.contrast_button.setChecked(contrast)
        tile.setFocus()
        keys.tab()
        keys.tab(back=True)
        assert tile.hasFocus()
        ringed = tile.grab().toImage().pixelColor(FOCUS_RING_PX // 2, tile.height() // 2)
        keys.tab()
        assert not tile.hasFocus()
        plain = tile.grab().toImage().pixelColor(FOCUS_RING_PX // 2, tile.height() // 2)
        page = tile.grab().toImage().pixelColor(tile.width() // 2, FOCUS_RING_PX + 4)
        assert ringed != plain and ringed != page  # a colour of its own, where the tile had its thin edge
        assert ringed.saturation() > 150  # a strong colour, in both looks


def test_the_focus_a_closing_flow_moves_shows_no_ring(qtbot: QtBot, shell: KioskShell) -> None:
    """A flow going home with its field focused: Qt moves the focus on as a Tab would, and 大字 wore the ring."""
    from PySide6.QtWidgets import QAbstractButton

    flow = shell.open_flow("progress")
    assert isinstance(flow, ProgressFlow)
    flow.number.setFocus()
    qtbot.waitUntil(flow.number.hasFocus)
    shell.go_home()
    qtbot.waitUntil(lambda: shell.flow is None)
    assert not [b.text() for b in shell.findChildren(QAbstractButton) if b.property("keyed")]
