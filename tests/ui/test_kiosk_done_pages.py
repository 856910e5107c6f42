"""The pages that end a kiosk flow, read at arm's length: the number to note large, on one line, whole, and the
page without a scroll bar, in both orientations, with 大字 and high contrast.

The sizes are measured on the window as drawn (its ink), not read from the widgets."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from desktop.services.context import Hall
from tests.helpers import valid_id
from tests.ui.test_kiosk_booking_view import _bars, _in_window
from tests.ui.test_kiosk_citizen import Themed, _kiosk_window, themed
from ui.kiosk.register import RegistrationFlow
from ui.kiosk.shell import KioskShell
from ui.kiosk.suggest import SuggestionFlow
from ui.kiosk.ticket import TicketFlow

__all__ = ["themed"]  # the fixture, used here by its name

SIZES = [(1920, 1080), (1080, 1920)]
#: 大字 and 高对比: normal, large text, large text in high contrast
MODES = [(False, False), (True, False), (True, True)]


@dataclass(frozen=True)
class Ink:
    """Where a label's text is drawn, in the label's own pixels."""

    top: int
    bottom: int
    left: int
    right: int
    lines: int  # bands of ink one under another, with at least a few blank rows between

    @property
    def height(self) -> int:
        return self.bottom - self.top + 1

    @property
    def width(self) -> int:
        return self.right - self.left + 1


def _ink(window: QWidget, widget: QLabel) -> Ink:
    """The drawn text of ``widget`` as the window shows it: anything far from the background's grey is ink."""
    origin = widget.mapTo(window, QPoint(0, 0))
    image = window.grab(QRect(origin, widget.size())).toImage().convertToFormat(QImage.Format.Format_Grayscale8)
    width, height, stride = image.width(), image.height(), image.bytesPerLine()
    data = bytes(image.constBits())[:stride * height]
    background = data[0]  # a corner: the page or the card behind the text
    table = bytes(1 if abs(value - background) > 80 else 0 for value in range(256))
    rows = []
    left, right = width, -1
    for y in range(height):
        row = data[y * stride:y * stride + width].translate(table)
        if 1 in row:
            rows.append(y)
            left = min(left, row.index(1))
            right = max(right, row.rindex(1))
    assert rows, f"nothing drawn in {widget.text()!r}"
    lines = 1 + sum(1 for above, below in pairwise(rows) if below - above > 4)
    return Ink(rows[0], rows[-1], left, right, lines)


def _whole_on_one_line(window: QWidget, shell: KioskShell, widget: QLabel) -> Ink:
    """``widget`` in the window under the kiosk's bar, its text on one line and not cut at either side."""
    assert _in_window(window, shell, widget)
    ink = _ink(window, widget)
    assert ink.lines == 1, f"{widget.text()} on {ink.lines} lines"
    assert ink.left > 0 and ink.right < widget.width() - 1 and ink.top > 0 and ink.bottom < widget.height() - 1
    return ink


def _fills(widget: QLabel, ink: Ink, large: bool) -> None:
    """A long number (XF-20261206-K01-00022-F) as large as its room allows: across most of the card and across
    its own room, unless it is at least 62 px high already (90 with 大字)."""
    card = widget.parentWidget()
    assert card is not None
    assert widget.width() >= 0.6 * card.width()
    assert ink.width >= 0.85 * widget.width() or ink.height >= (90 if large else 62), (ink, widget.width())


def _open(qtbot: QtBot, hall: Hall, themed: Themed, size: tuple[int, int], large: bool,
          contrast: bool, key: str) -> tuple[QWidget, KioskShell, QWidget]:
    themed(QApplication.instance())
    window, shell = _kiosk_window(qtbot, hall, size)
    shell.large_button.setChecked(large)
    shell.contrast_button.setChecked(contrast)
    flow = shell.open_flow(key)
    assert flow is not None
    return window, shell, flow


def _click(qtbot: QtBot, button: QPushButton) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize(("large", "contrast"), MODES)
def test_the_ticket_number_fills_the_screen_with_its_business_under_it(
        qtbot: QtBot, sqlite_hall: Hall, themed: Themed, size: tuple[int, int], large: bool, contrast: bool) -> None:
    """A002 was 120 px high on an empty portrait screen: now its digits are at least a fifth of the screen's
    width high (more with 大字), at least half its width across standing up, whole, with the business and the
    people ahead under it (at its right lying down) and 完成 in view."""
    window, shell, flow = _open(qtbot, sqlite_hall, themed, size, large, contrast, "ticket")
    assert isinstance(flow, TicketFlow)
    qtbot.waitUntil(lambda: bool(flow.type_buttons) and not flow.tasks.busy)
    with qtbot.waitSignal(flow.issued, timeout=10_000):
        _click(qtbot, flow.type_buttons[0])
    qtbot.waitUntil(lambda: "号票" in flow.printing.text() and "正在" not in flow.printing.text(), timeout=20_000)
    qtbot.waitUntil(lambda: all(_in_window(window, shell, w) for w in (flow.number, flow.business, flow.ahead,
                                                                       flow.printing, flow.done_button)))
    ink = _whole_on_one_line(window, shell, flow.number)
    width = window.width()
    assert ink.height >= (0.26 if large else 0.2) * min(size), ink
    assert ink.width >= (0.5 if width < window.height() else 0.3) * width, ink
    # what it is for under it standing up, at its right lying down (the height is short)
    corner = flow.number.mapTo(window, QPoint(flow.number.width(), flow.number.height()))
    business = flow.business.mapTo(window, QPoint(0, 0))
    assert business.y() >= corner.y() if width < window.height() else business.x() >= corner.x()
    assert _ink(window, flow.business).height >= (50 if large else 33)  # the business's name read from afar
    assert flow.done_button.width() >= (500 if large else 380)  # a wide 完成, not a small square
    assert not _bars(window)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("large", [False, True])
def test_a_priority_tickets_business_breaks_between_its_phrases_only(
        qtbot: QtBot, sqlite_hall: Hall, themed: Themed, size: tuple[int, int], large: bool) -> None:
    """Lying down in normal text the business read 农民工欠薪绿色通道（优 / 先办理）."""
    from tests.ui.line_breaks import broken_words

    _window, _shell, flow = _open(qtbot, sqlite_hall, themed, size, large, False, "ticket")
    assert isinstance(flow, TicketFlow)
    qtbot.waitUntil(lambda: bool(flow.type_buttons) and not flow.tasks.busy)
    _click(qtbot, flow.priority)
    wages = next(b for b in flow.type_buttons if "农民工欠薪" in b.text())
    with qtbot.waitSignal(flow.issued, timeout=10_000):
        _click(qtbot, wages)
    qtbot.waitUntil(lambda: "正在" not in flow.printing.text(), timeout=20_000)
    assert flow.business.text() == "农民工欠薪绿色通道（优先办理）"
    assert broken_words(flow.business.parentWidget(), longest=40) == []


@pytest.mark.parametrize("contrast", [False, True])
def test_standing_up_with_large_text_the_address_example_is_whole_and_the_guide_gives_its_text_the_room(
        qtbot: QtBot, sqlite_hall: Hall, themed: Themed, contrast: bool) -> None:
    """The 住址 example read …3单… and 办事指南's topics took some 60% of the screen, its text a small pane."""
    from PySide6.QtGui import QFontMetrics
    from PySide6.QtWidgets import QStyle, QStyleOptionFrame

    from ui.kiosk.guide import GuideFlow

    window, shell, flow = _open(qtbot, sqlite_hall, themed, (1080, 1920), True, contrast, "register")
    assert isinstance(flow, RegistrationFlow)
    address = flow.address
    qtbot.waitUntil(lambda: address.isVisible() and address.width() > 0)
    option = QStyleOptionFrame()
    address.initStyleOption(option)
    room = address.style().subElementRect(QStyle.SubElement.SE_LineEditContents, option, address)
    margins = address.textMargins()
    room_width = room.width() - margins.left() - margins.right() - 4  # QLineEdit's own horizontal margin, 2 a side
    assert QFontMetrics(address.font()).horizontalAdvance(address.placeholderText()) <= room_width, room_width
    shell.go_home()
    guide = shell.open_flow("guide")
    assert isinstance(guide, GuideFlow)
    qtbot.waitUntil(lambda: guide.text.isVisible() and guide.menu.height() > 0)
    pane = guide.text.parentWidget()
    while pane is not None and pane.parentWidget() is not None and not pane.inherits("QScrollArea"):
        pane = pane.parentWidget()
    assert pane is not None and pane.height() >= 0.5 * window.height(), (pane.height(), guide.menu.height())
    assert guide.menu.height() <= 0.3 * window.height()
    assert all(_in_window(window, shell, b) for b in (*guide.buttons, guide.done))


def _register(qtbot: QtBot, flow: RegistrationFlow) -> None:
    """Through the eight screens with the real buttons, up to the case number."""
    flow.name.setText("赵春花")
    flow.id_number.setText(valid_id(seq=777))
    _click(qtbot, flow.next_button)
    qtbot.waitUntil(lambda: len(flow.where_buttons) > 1)
    town = next(iter(flow.where_buttons.values()))
    qtbot.waitUntil(lambda: town.isVisible() and town.width() > 0)
    _click(qtbot, town)
    _click(qtbot, flow.next_button)
    flow.request.setPlainText("村口道路塌陷半年无人修，请求尽快修复")
    for _ in range(4):  # 事实和理由, 材料, 核对, 告知
        _click(qtbot, flow.next_button)
    assert flow.step == 6
    _click(qtbot, flow.agree)
    with qtbot.waitSignal(flow.registered, timeout=10_000):
        _click(qtbot, flow.next_button)
    qtbot.waitUntil(lambda: "回执" in flow.done_text.text() and "正在" not in flow.done_text.text(), timeout=20_000)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize(("large", "contrast"), MODES)
def test_the_registration_is_done_without_scrolling_its_numbers_large_and_on_one_line(
        qtbot: QtBot, sqlite_hall: Hall, themed: Themed, size: tuple[int, int], large: bool, contrast: bool) -> None:
    """登记完成 with 大字 lying down scrolled (the step title repeated the card's 登记成功), and standing up the case
    number broke at a hyphen: now no scroll bar, each number whole on one line, the case number filling the card's
    width or as large as the style makes it, the query code larger than it."""
    window, shell, flow = _open(qtbot, sqlite_hall, themed, size, large, contrast, "register")
    assert isinstance(flow, RegistrationFlow)
    _register(qtbot, flow)
    qtbot.waitUntil(lambda: all(_in_window(window, shell, w) for w in (flow.done_title, flow.done_number,
                                                                       flow.done_code, flow.done_button)))
    assert not _bars(window)
    assert not flow.step_title.isVisible()  # the card's 登记成功 says it once
    number = _whole_on_one_line(window, shell, flow.done_number)
    code = _whole_on_one_line(window, shell, flow.done_code)
    _fills(flow.done_number, number, large)
    assert code.height >= number.height and code.height >= (90 if large else 62), code
    assert _in_window(window, shell, flow.done_text)  # the deadline and the receipt, read whole


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize(("large", "contrast"), MODES)
def test_the_suggestion_number_is_large_and_its_words_readable(
        qtbot: QtBot, sqlite_hall: Hall, themed: Themed, size: tuple[int, int], large: bool, contrast: bool) -> None:
    """The suggestion's number was 64 px in a big empty card: now as wide as the card lets it be or as large as
    the style makes it, on one line, the words under it as large as the kiosk's body text, nothing to scroll."""
    window, shell, flow = _open(qtbot, sqlite_hall, themed, size, large, contrast, "suggest")
    assert isinstance(flow, SuggestionFlow)
    qtbot.waitUntil(lambda: flow.pages.currentIndex() == 1 and not flow.tasks.busy)  # no theme: writing
    flow.content.setPlainText("建议在接待大厅增设老年人休息座椅和饮水机")
    _click(qtbot, flow.to_who)
    with qtbot.waitSignal(flow.tasks.settled):
        _click(qtbot, flow.send_anonymous)
    qtbot.waitUntil(lambda: "回执" in flow.done_text.text() and "正在" not in flow.done_text.text(), timeout=20_000)
    qtbot.waitUntil(lambda: _in_window(window, shell, flow.done_button) and _in_window(window, shell, flow.done_text))
    assert not _bars(window)
    number = _whole_on_one_line(window, shell, flow.done_number)
    _fills(flow.done_number, number, large)
    # the words: the kiosk's body text or larger (a line's ink is some 0.8 of the text's size)
    line = _ink(window, flow.done_text)
    assert line.lines >= 2 and flow.done_text.font().pixelSize() >= (48 if large else 32)
