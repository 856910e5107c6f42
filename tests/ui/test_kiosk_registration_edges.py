"""自助登记 at its edges: the wipe of the window system's selection, a count past its limit, a card's long address, a
refused field's focus, an address of emoji only."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QClipboard, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

import ui.kiosk.shell as kiosk_shell
from tests.ui.test_kiosk_citizen import _on_request_screen
from ui.kiosk.register import RegistrationFlow
from ui.kiosk.shell import KioskShell


class _Clipboard:
    """The clipboard of a window system with a selection (X11): what each mode holds, as a middle click pastes it."""

    def __init__(self) -> None:
        self.held = {QClipboard.Mode.Clipboard: "", QClipboard.Mode.Selection: ""}

    def supportsSelection(self) -> bool:
        return True

    def setText(self, text: str, mode: QClipboard.Mode = QClipboard.Mode.Clipboard) -> None:
        self.held[mode] = text

    def text(self, mode: QClipboard.Mode = QClipboard.Mode.Clipboard) -> str:
        return self.held[mode]

    def clear(self, mode: QClipboard.Mode = QClipboard.Mode.Clipboard) -> None:
        self.held[mode] = ""


def test_the_idle_wipe_empties_the_window_systems_selection_too(
        qtbot: QtBot, shell: KioskShell, monkeypatch: pytest.MonkeyPatch) -> None:
    """Under X11 a field's selected text is the system's selection, pasted with a middle click: after the idle
    wipe it still held the phone number the citizen had selected to correct (and an ID number 下一步 refused,
    chosen for retyping)."""
    board = _Clipboard()

    class Application:
        clipboard = staticmethod(lambda: board)

        def __getattr__(self, name: str) -> Any:
            return getattr(QGuiApplication, name)

    monkeypatch.setattr(kiosk_shell, "QGuiApplication", Application())
    flow = shell.open_flow("register")
    assert isinstance(flow, RegistrationFlow)
    flow.phone.setText("13812345678")
    flow.phone.selectAll()
    board.setText(flow.phone.selectedText(), QClipboard.Mode.Selection)  # what X11 does as the text is selected
    board.setText("13812345678")
    with qtbot.waitSignal(shell.wiped):
        shell.wipe()
    assert board.text() == ""
    assert board.text(QClipboard.Mode.Selection) == ""


@pytest.mark.parametrize("contrast", [False, True])
def test_a_requests_count_past_its_limit_is_red(qtbot: QtBot, shell: KioskShell, contrast: bool) -> None:
    """已写5019字，最多5000字，请删去19字 stood in the caption's grey: the count is a hint, whose colour outranked
    the rule meant to make it red, in both looks."""
    from desktop.domain.texts import MAX_PETITION_TEXT as LIMIT
    from ui.kiosk.style import _CONTRAST, _NORMAL

    shell.contrast_button.setChecked(contrast)
    flow = _on_request_screen(qtbot, shell)
    count = flow.request_count
    grey = count.palette().color(QPalette.ColorRole.WindowText).name()
    flow.request.setPlainText("拖欠工资" * (LIMIT // 4 + 5))
    assert "请删去20字" in count.text().replace("\n", "")
    red = (_CONTRAST if contrast else _NORMAL)["error_fg"]
    qtbot.waitUntil(lambda: count.palette().color(QPalette.ColorRole.WindowText).name() == red)
    flow.request.setPlainText("拖欠工资")
    qtbot.waitUntil(lambda: count.palette().color(QPalette.ColorRole.WindowText).name() == grey)


def test_a_cards_long_address_is_seen_from_its_start(qtbot: QtBot, shell: KioskShell) -> None:
    """Standing up with 大字, the card's address showed its last words (…城东街道解放街299号), the province's first
    character cut through at the field's left edge."""
    shell.resize(1080, 1920)
    shell.large_button.setChecked(True)
    flow = shell.open_flow("register")
    assert isinstance(flow, RegistrationFlow)
    address = "浙江省金华市婺城区城东街道解放街299号金色家园5幢3单元1201室"
    flow.fill_from_card(SimpleNamespace(name="梁志", id_number="330702195307144050", address=address))
    qtbot.waitUntil(flow.address.isVisible)
    metrics = flow.address.fontMetrics()
    assert metrics.horizontalAdvance(address) > flow.address.width()  # longer than the field: a part is hidden
    assert flow.address.text() == address
    assert flow.address.cursorPosition() == 0  # the field shows the part its cursor is in: the start


@pytest.mark.parametrize("size", [(1080, 1920), (1920, 1080)])
def test_a_refused_id_number_typed_in_keeps_the_focus_its_text_chosen(
        qtbot: QtBot, shell: KioskShell, size: tuple[int, int]) -> None:
    """下一步 tapped straight after typing a wrong ID number: the refusal chose the field's text for typing over,
    then the tap's end took the focus to 下一步 (the keyboard goes after a button's tap), and the field stood
    unfocused, its text not chosen."""
    shell.resize(*size)
    flow = shell.open_flow("register")
    assert isinstance(flow, RegistrationFlow)
    flow.name.setText("王秀英")
    flow.id_number.setFocus()
    qtbot.waitUntil(flow.id_number.hasFocus)
    flow.id_number.setText("110101199001011234")  # its check digit wrong
    qtbot.mouseClick(flow.next_button, Qt.MouseButton.LeftButton)
    assert "身份证号码不对" in flow.message.text()
    for _ in range(3):  # what the tap's end does, once the event loop is back
        QApplication.processEvents()
    assert QApplication.focusWidget() is flow.id_number
    assert flow.id_number.selectedText() == "110101199001011234"


def test_a_tap_that_refuses_nothing_still_takes_the_keyboard_away(qtbot: QtBot, shell: KioskShell) -> None:
    """The keyboard goes once a button has taken the tap: 下一步 with the phone field typed in moves on, and a
    tap on 输入X's neighbour (清空重写) leaves no field focused for the keyboard to stay over."""
    flow = shell.open_flow("register")
    assert isinstance(flow, RegistrationFlow)
    flow.show_step(2)
    qtbot.waitUntil(flow.request.isVisible)
    flow.request.setFocus()
    qtbot.waitUntil(flow.request.hasFocus)
    flow.request.setPlainText("请求补发拖欠的工资")
    flow.request.selectAll()  # chosen before the tap: the tap did not choose it
    qtbot.mouseClick(flow.back_button, Qt.MouseButton.LeftButton)
    for _ in range(3):
        QApplication.processEvents()
    assert QApplication.focusWidget() is not flow.request


@pytest.mark.parametrize("address", ["😀😀😀", "👍🏽 。。", "——"])
def test_an_address_of_emoji_or_marks_only_is_refused_in_words(qtbot: QtBot, shell: KioskShell, address: str) -> None:
    """住址 took 😀😀😀 and went on: written notices are sent there. Left empty it is taken (可不填); with words and an
    emoji beside them it is kept as written."""
    flow = shell.open_flow("register")
    assert isinstance(flow, RegistrationFlow)
    flow.name.setText("王秀英")
    flow.id_number.setText("330726195005010883")
    flow.address.setText(address)
    qtbot.mouseClick(flow.next_button, Qt.MouseButton.LeftButton)
    assert flow.step == 0 and "只有标点或表情符号不算" in flow.message.text() and "也可以不填" in flow.message.text()
    assert QApplication.focusWidget() is flow.address
    flow.address.setText("和平路12号😀")
    qtbot.mouseClick(flow.next_button, Qt.MouseButton.LeftButton)
    assert flow.step == 1 and flow.values["address"] == "和平路12号😀"
