"""预约领导接访's form (填写来访人信息) at the kiosk's two sizes, 大字 on and off, with and without the card's reader:
the read's words broken between phrases only, the name and the ID number side by side at one height lying down, and
the whole form on the screen without scrolling (through the real widgets)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QPushButton, QScrollArea, QWidget
from pytestqt.qtbot import QtBot

from desktop.services.context import Hall
from tests.ui.line_breaks import broken_words
from tests.ui.test_kiosk_booking_view import _days
from tests.ui.test_kiosk_citizen import Themed, _kiosk_window, themed
from ui.kiosk.booking import BookingFlow
from ui.kiosk.shell import KioskShell

__all__ = ["themed"]  # the fixture, used here by its name

SIZES = [(1920, 1080), (1080, 1920)]
READER = "sim:seed=7"  # a simulated reader: a card of its own making at each read


def _form(qtbot: QtBot, hall: Hall, themed: Themed, size: tuple[int, int], large: bool,
          reader: str = READER) -> tuple[QWidget, KioskShell, BookingFlow]:
    """The kiosk at ``size`` on the booking form of the first day's first slot, 大字 as ``large``."""
    from tests.conftest import make_settings

    hall.settings = make_settings(id_reader=reader)
    themed(QApplication.instance())
    _days(hall, 1)
    window, shell = _kiosk_window(qtbot, hall, size)
    qtbot.waitUntil(lambda: shell.filtering)  # as a citizen finds it: its taps watched since just after the first frame
    shell.large_button.setChecked(large)
    flow = shell.open_flow("booking")
    assert isinstance(flow, BookingFlow)
    qtbot.waitUntil(lambda: len(flow.days) > 0 and not flow.tasks.busy)
    for buttons in (flow.day_buttons, flow.slot_buttons):  # tapped, as a citizen does
        button = buttons.itemAt(0).widget()
        assert isinstance(button, QPushButton)
        qtbot.waitUntil(button.isVisible)
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: flow.name.isVisible() and flow.name.width() > 0)
    return window, shell, flow


def _read_card(qtbot: QtBot, flow: BookingFlow) -> None:
    flow.card_reading.seconds = 2
    with qtbot.waitSignal(flow.card_reading.card_read, timeout=10_000):
        flow.read_button.click()
    qtbot.waitUntil(lambda: flow.retype_button.isVisible() and flow.card_state.text() != "")


def _settle() -> None:
    """What the last change left to lay out (a label's phrases are laid out again once the event loop is back)."""
    for _turn in range(10):
        QApplication.processEvents()


def _scrolls(shell: KioskShell, flow: BookingFlow, *, sideways: bool = False) -> list[int]:
    """How far each scroll area shown around and in the form can scroll (the kiosk's page's too)."""
    return [(area.horizontalScrollBar() if sideways else area.verticalScrollBar()).maximum()
            for area in shell.window().findChildren(QScrollArea)
            if area.isVisible() and (area.isAncestorOf(flow) or flow.isAncestorOf(area))]


@pytest.mark.parametrize("size", SIZES, ids=["landscape", "portrait"])
@pytest.mark.parametrize("large", [False, True], ids=["normal", "large"])
def test_the_card_reads_words_break_between_phrases_only(qtbot: QtBot, sqlite_hall: Hall, themed: Themed,
                                                         size: tuple[int, int], large: bool) -> None:
    """Standing up with 大字 the read's words stood beside the two buttons in some 300 px and broke 姓 / 名 inside
    姓名; under the buttons they take the screen's width, their lines broken at their clauses."""
    _window, shell, flow = _form(qtbot, sqlite_hall, themed, size, large)
    _read_card(qtbot, flow)
    _settle()
    assert flow.card_state.isVisible()
    assert broken_words(flow.card_state.parentWidget() or flow) == []
    assert broken_words(flow) == []
    # 大字 turned the other way after the read: laid out again, still whole
    shell.large_button.setChecked(not large)
    _settle()
    assert broken_words(flow) == []
    assert max(_scrolls(shell, flow, sideways=True)) == 0  # nothing cut at the screen's right edge


def _top(widget: QWidget) -> int:
    return widget.mapTo(widget.window(), QPoint(0, 0)).y()


@pytest.mark.parametrize("large", [False, True], ids=["normal", "large"])
@pytest.mark.parametrize("reader", [READER, "none"], ids=["reader", "no-reader"])
def test_lying_down_the_name_and_the_id_number_stand_side_by_side_at_one_height(
        qtbot: QtBot, sqlite_hall: Hall, themed: Themed, large: bool, reader: str) -> None:
    """Lying down the name and the ID number share a row, their fields' tops level (the ID number's was centred on
    its taller 输入X key, some 8 px lower), whatever the heights of their captions."""
    _window, shell, flow = _form(qtbot, sqlite_hall, themed, (1920, 1080), large, reader)
    _settle()
    name, number = flow.name, flow.id_number
    assert number.mapTo(flow, QPoint(0, 0)).x() > name.mapTo(flow, QPoint(0, 0)).x() + name.width()  # beside it
    assert _top(number) == _top(name)
    assert number.height() == name.height()
    # 大字 turned the other way: the captions change their heights, the fields stay level
    shell.large_button.setChecked(not large)
    _settle()
    assert _top(number) == _top(name)


@pytest.mark.parametrize("large", [False, True], ids=["normal", "large"])
def test_lying_down_the_registrations_id_number_stands_level_with_the_name_beside_it(
        qtbot: QtBot, sqlite_hall: Hall, themed: Themed, large: bool) -> None:
    """自助登记's 身份 screen: the same ID number's row beside the name's column."""
    from tests.conftest import make_settings
    from ui.kiosk.register import RegistrationFlow

    sqlite_hall.settings = make_settings(id_reader=READER)
    themed(QApplication.instance())
    _window, shell = _kiosk_window(qtbot, sqlite_hall, (1920, 1080))
    shell.large_button.setChecked(large)
    flow = shell.open_flow("register")
    assert isinstance(flow, RegistrationFlow)
    qtbot.waitUntil(lambda: flow.name.isVisible() and flow.who_fields.beside)
    _settle()
    assert _top(flow.id_number) == _top(flow.name)


def test_standing_up_the_fields_keep_the_screens_width_one_under_the_other(
        qtbot: QtBot, sqlite_hall: Hall, themed: Themed) -> None:
    _window, _shell, flow = _form(qtbot, sqlite_hall, themed, (1080, 1920), True)
    _settle()
    fields = (flow.name, flow.id_number, flow.phone, flow.summary)
    tops = [_top(field) for field in fields]
    assert tops == sorted(tops) and len(set(tops)) == len(tops)
    assert all(field.width() >= 600 for field in fields)


@pytest.mark.parametrize("size", SIZES, ids=["landscape", "portrait"])
@pytest.mark.parametrize("large", [False, True], ids=["normal", "large"])
@pytest.mark.parametrize("reader", [READER, "expired", "none"], ids=["reader", "expired-card", "no-reader"])
def test_the_form_fits_the_screen_without_scrolling(qtbot: QtBot, sqlite_hall: Hall, themed: Themed,
                                                     tmp_path: Path, size: tuple[int, int], large: bool,
                                                     reader: str) -> None:
    """With the card's reader and 大字 lying down the form scrolled to reach its 反映问题: each field, its
    caption and 确认预约 on the screen, before and after a card read (an expired card's, whose words are the
    longest), nothing to scroll."""
    if reader == "expired":
        from tests.ui.test_kiosk_reader import _cards

        reader = f"sim:{_cards(tmp_path, valid_to='2022-01-01')}"
    _window, shell, flow = _form(qtbot, sqlite_hall, themed, size, large, reader)
    qtbot.waitUntil(lambda: _scrolls(shell, flow) != [] and max(_scrolls(shell, flow)) == 0)
    if reader != "none":
        _read_card(qtbot, flow)
        _settle()
        qtbot.waitUntil(lambda: max(_scrolls(shell, flow)) == 0)
    assert max(_scrolls(shell, flow, sideways=True)) == 0
    for widget in (flow.name, flow.id_number, flow.phone, flow.summary, flow.confirm, flow.chosen):
        assert widget.visibleRegion().boundingRect().height() == widget.height() > 0



def test_with_the_card_reader_the_kiosks_window_keeps_the_keys(qtbot: QtBot, sqlite_hall: Hall,
                                                                  themed: Themed) -> None:
    """读取身份证 shown before it was in its page was a window of its own a moment, which took the keys from the
    kiosk's window: the form opened with no field focused, and a field given the focus did not take it."""
    window, _shell, flow = _form(qtbot, sqlite_hall, themed, (1920, 1080), False)
    qtbot.waitUntil(flow.name.hasFocus)
    assert window.isActiveWindow()
    flow.id_number.setFocus()
    qtbot.waitUntil(flow.id_number.hasFocus)


def _shows_whole(field: QLineEdit, text: str) -> bool:
    """Whether ``field`` is wide enough to show ``text`` whole, between its padding and its frame."""
    from PySide6.QtWidgets import QStyle, QStyleOptionFrame

    option = QStyleOptionFrame()
    field.initStyleOption(option)
    room = field.style().subElementRect(QStyle.SubElement.SE_LineEditContents, option, field)
    margins = field.textMargins()
    return field.fontMetrics().horizontalAdvance(text) <= room.width() - margins.left() - margins.right() - 4


@pytest.mark.parametrize("large", [False, True], ids=["normal", "large"])
def test_with_the_keyboard_up_lying_down_an_id_number_is_seen_whole(qtbot: QtBot, sqlite_hall: Hall,
                                                                    themed: Themed, large: bool) -> None:
    """The keyboard up lying down, the flow's buttons stand at the right of the form: beside the name, the ID number's
    field was some 460 px wide with 大字 and an ID number of 18 digits was cut. One field a row then, beside the name
    again once the keyboard is down."""
    from tests.ui.test_kiosk_citizen import LARGEST, _keyboard_up

    _window, shell, flow = _form(qtbot, sqlite_hall, themed, (1920, 1080), large)
    number = "33072619600315002X"
    flow.id_number.setText(number)
    flow.id_number.setFocus()
    qtbot.waitUntil(flow.id_number.hasFocus)
    _keyboard_up(shell, LARGEST)
    qtbot.waitUntil(lambda: flow.confirm.mapTo(flow, QPoint(0, 0)).x() > flow.summary.mapTo(flow, QPoint(0, 0)).x()
                    + flow.summary.width())  # the buttons beside the form
    _settle()
    assert _shows_whole(flow.id_number, number)
    assert _shows_whole(flow.phone, flow.phone.placeholderText())
    space = shell.keyboard_space
    space.layout.setContentsMargins(space.base)  # the keyboard goes
    space.changed.emit()
    qtbot.waitUntil(lambda: _top(flow.id_number) == _top(flow.name))
    assert _shows_whole(flow.id_number, number)


@pytest.mark.parametrize("size", SIZES, ids=["landscape", "portrait"])
@pytest.mark.parametrize("large", [False, True], ids=["normal", "large"])
def test_the_fields_show_their_words_whole(qtbot: QtBot, sqlite_hall: Hall, themed: Themed,
                                           size: tuple[int, int], large: bool) -> None:
    """Each field wide enough for what it says before it is filled (the waiting list's phone the longest) and for
    an ID number of 18 digits."""
    _window, _shell, flow = _form(qtbot, sqlite_hall, themed, size, large)
    flow.choose_slot(None)  # the waiting list: its phone number asked for, and why
    _settle()
    for field in (flow.name, flow.id_number, flow.phone, flow.summary):
        assert _shows_whole(field, field.placeholderText()), field.placeholderText()
    assert _shows_whole(flow.id_number, "33072619600315002X")
