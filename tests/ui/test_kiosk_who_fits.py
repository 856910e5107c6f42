"""自助登记's first screen (身份) fits the kiosk's screen without scrolling, the card reader's button included."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication, QScrollArea, QWidget
from pytestqt.qtbot import QtBot

from desktop.services.context import Hall
from tests.ui.test_kiosk_citizen import Themed, _kiosk_window, themed
from ui.kiosk.register import RegistrationFlow

__all__ = ["themed"]  # the fixture, used here by its name


def _scrolls(flow: RegistrationFlow, *, sideways: bool = False) -> list[int]:
    """How far each scroll area the citizen sees around and in the screen can scroll (the kiosk's page's too),
    down or ``sideways``."""
    window = flow.window()
    return [(area.horizontalScrollBar() if sideways else area.verticalScrollBar()).maximum()
            for area in window.findChildren(QScrollArea)
            if area.isVisible() and (area.isAncestorOf(flow) or flow.isAncestorOf(area))]


@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920)])
@pytest.mark.parametrize("large", [False, True])
@pytest.mark.parametrize("reader", ["sim:seed=7", "none"])
def test_the_who_screen_fits_without_scrolling(qtbot: QtBot, sqlite_hall: Hall, themed: Themed,
                                               size: tuple[int, int], large: bool, reader: str) -> None:
    """With the card reader's button the screen scrolled some 100 px at 1920×1080 (260 px with 大字): the three
    fields stood one under the other. Lying down the ID number and the phone stand beside the name."""
    from tests.conftest import make_settings

    sqlite_hall.settings = make_settings(id_reader=reader)
    themed(QApplication.instance())
    _window, shell = _kiosk_window(qtbot, sqlite_hall, size)
    shell.large_button.setChecked(large)
    flow = shell.open_flow("register")
    assert isinstance(flow, RegistrationFlow)
    assert flow.read_button.isVisibleTo(flow) == (reader != "none")
    qtbot.waitUntil(lambda: not flow.loading.busy)
    qtbot.waitUntil(lambda: flow.pages.currentWidget().height() > 0)
    qtbot.waitUntil(lambda: _scrolls(flow) != [] and max(_scrolls(flow)) == 0)
    for field in (flow.name, flow.id_number, flow.phone):
        assert field.width() >= 600, "each field wide enough for its text"
    if reader == "none":
        return
    with qtbot.waitSignal(flow.card_reading.card_read, timeout=10_000):
        flow.read_card()
    # read: its words beside the buttons, 重新填写 shown; still nothing to scroll
    qtbot.waitUntil(lambda: flow.retype_button.isVisible() and flow.card_state.text() != "")
    qtbot.waitUntil(lambda: max(_scrolls(flow)) == 0)


@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920)])
@pytest.mark.parametrize("large", [False, True])
def test_with_the_keyboard_up_the_who_screen_squeezes_no_words(qtbot: QtBot, sqlite_hall: Hall, themed: Themed,
                                                               size: tuple[int, int], large: bool) -> None:
    """With the on-screen keyboard up the screen scrolls (lying down some 236 px are left above the keyboard), but
    each of its words keeps the height its lines need: the name's hint, squeezed in its column, was drawn over the
    name field."""
    from PySide6.QtWidgets import QLabel

    from tests.conftest import make_settings
    from tests.ui.test_kiosk_citizen import LARGEST, _keyboard_up

    sqlite_hall.settings = make_settings(id_reader="sim:seed=7")
    themed(QApplication.instance())
    _window, shell = _kiosk_window(qtbot, sqlite_hall, size)
    shell.large_button.setChecked(large)
    flow = shell.open_flow("register")
    assert isinstance(flow, RegistrationFlow)
    qtbot.waitUntil(lambda: flow.name.hasFocus())
    _keyboard_up(shell, round(LARGEST * size[0] / 1920))
    page = flow.pages.currentWidget()

    def whole() -> bool:
        labels = [w for w in page.findChildren(QLabel) if w.isVisible() and w.text() and w.wordWrap()]
        return bool(labels) and all(w.height() >= w.heightForWidth(w.width()) for w in labels)

    qtbot.waitUntil(whole)


@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920)])
def test_large_text_turned_on_and_off_after_a_card_read_keeps_the_screen_whole(
        qtbot: QtBot, sqlite_hall: Hall, themed: Themed, size: tuple[int, int]) -> None:
    """大字 tapped after the card was read, standing up: the screen is laid out again with the read's words and the
    fixed fields, and nothing to scroll, on and off again."""
    from tests.conftest import make_settings

    sqlite_hall.settings = make_settings(id_reader="sim:seed=7")
    themed(QApplication.instance())
    _window, shell = _kiosk_window(qtbot, sqlite_hall, size)
    flow = shell.open_flow("register")
    assert isinstance(flow, RegistrationFlow)
    qtbot.waitUntil(lambda: not flow.loading.busy)
    with qtbot.waitSignal(flow.card_reading.card_read, timeout=10_000):
        flow.read_card()
    qtbot.waitUntil(lambda: flow.retype_button.isVisible() and flow.card_state.text() != "")
    from PySide6.QtCore import QEvent, QObject

    class Resizes(QObject):
        """Counts the resizes of the screen's page: a layout that swings between two widths goes on resizing."""

        count = 0

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Resize:
                Resizes.count += 1
            return False

    page = flow.pages.currentWidget()
    counter = Resizes(page)
    page.installEventFilter(counter)
    for large in (True, False, True):
        shell.large_button.setChecked(large)
        QApplication.processEvents()
        qtbot.waitUntil(lambda: _scrolls(flow) != [] and max(_scrolls(flow)) == 0)
        assert flow.name.isReadOnly() and flow.name.text() != ""
        assert flow.who_fields.beside == (size[0] > size[1])  # standing up one under the other, 大字 or not
        assert max(_scrolls(flow, sideways=True)) == 0  # nothing cut at the screen's right edge
        for _turn in range(10):  # what a change leaves to lay out, laid out
            QApplication.processEvents()
        before = Resizes.count  # settled: fifty more turns of the event loop lay nothing out again
        for _turn in range(50):
            QApplication.processEvents()
        assert Resizes.count == before


@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920)])
@pytest.mark.parametrize("large", [False, True])
@pytest.mark.parametrize("keyboard", [False, True])
def test_correcting_a_refused_id_number_keeps_the_screen_still(qtbot: QtBot, sqlite_hall: Hall, themed: Themed,
                                                               size: tuple[int, int], large: bool,
                                                               keyboard: bool) -> None:
    """Standing up with 大字, the refusal of a wrong check digit went at the first backspace and the screen jumped
    some 110 px: the next tap, aimed at 输入X, landed in the ID field. The refusal's room stays while the number is
    corrected."""
    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtWidgets import QPushButton

    from tests.conftest import make_settings
    from tests.ui.test_kiosk_citizen import LARGEST, _keyboard_up

    sqlite_hall.settings = make_settings(id_reader="sim:seed=7")
    themed(QApplication.instance())
    window, shell = _kiosk_window(qtbot, sqlite_hall, size)
    shell.large_button.setChecked(large)
    flow = shell.open_flow("register")
    assert isinstance(flow, RegistrationFlow)
    qtbot.waitUntil(lambda: not flow.loading.busy)
    if keyboard:
        _keyboard_up(shell, round(LARGEST * size[0] / 1920))
    x_key = flow.id_number_row.findChild(QPushButton)
    assert x_key is not None and x_key.text() == "输入X"
    flow.name.setText("王建国")
    flow.id_number.setText("330726195503121235")  # a wrong check digit
    flow.next_button.click()
    qtbot.waitUntil(lambda: "身份证号码不对" in flow.message.text())

    def places() -> tuple[QPoint, QPoint]:
        return flow.id_number.mapTo(window, QPoint(0, 0)), x_key.mapTo(window, QPoint(0, 0))

    for _turn in range(5):  # the refusal laid out, the field scrolled into view
        QApplication.processEvents()
    refused = places()
    assert flow.id_number.hasFocus()
    qtbot.keyClick(flow.id_number, Qt.Key.Key_End)
    qtbot.keyClick(flow.id_number, Qt.Key.Key_Backspace)  # correcting the last digit
    assert flow.id_number.text() == "33072619550312123"
    for _turn in range(5):
        QApplication.processEvents()
    assert places() == refused
    assert flow.message.property("tone") != "error"  # the refusal itself has gone: the citizen is on it


@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920)])
def test_a_card_read_fills_the_address_and_the_citizen_may_change_it(qtbot: QtBot, sqlite_hall: Hall,
                                                                      themed: Themed, size: tuple[int, int]) -> None:
    """住址 was asked of nobody: a citizen without a card had no field for it. A card read fills it with the card's
    address, left open (notices go where the citizen lives now); 重新填写 takes the card's address away with it,
    not one the citizen wrote."""
    from tests.conftest import make_settings

    sqlite_hall.settings = make_settings(id_reader="sim:seed=7")
    themed(QApplication.instance())
    _window, shell = _kiosk_window(qtbot, sqlite_hall, size)
    flow = shell.open_flow("register")
    assert isinstance(flow, RegistrationFlow)
    assert flow.address.isVisible() and flow.address.text() == ""
    assert flow.address.width() >= 600, "wide enough for an address"
    qtbot.waitUntil(lambda: not flow.loading.busy)
    with qtbot.waitSignal(flow.card_reading.card_read, timeout=10_000) as read:
        flow.read_card()
    card = read.args[0]
    assert card.address and flow.address.text() == card.address and not flow.address.isReadOnly()
    qtbot.waitUntil(lambda: max(_scrolls(flow)) == 0)  # still nothing to scroll, the card's words shown
    flow.retype()
    assert flow.address.text() == "" and flow.name.text() == ""
    with qtbot.waitSignal(flow.card_reading.card_read, timeout=10_000):
        flow.read_card()
    flow.address.setText("浦江县浦阳街道和平路12号")  # lives elsewhere now
    flow.next_button.click()
    assert flow.step == 1 and flow.values["address"] == "浦江县浦阳街道和平路12号"
    flow.back()
    flow.retype()
    assert flow.address.text() == "浦江县浦阳街道和平路12号"  # the citizen's own, kept
    flow.address.setText("浦" * 201)  # a paste beyond the service's 200: said at once, the field focused
    flow.name.setText("王建国")
    flow.id_number.setText(card.id_number)
    flow.next_button.click()
    assert flow.step == 0 and "住址请不要超过200字（现在201字）" in flow.message.text()
    qtbot.waitUntil(flow.address.hasFocus)


@pytest.mark.parametrize("large", [False, True])
def test_standing_up_the_keyboard_leaves_a_field_seen_whole_where_it_is(qtbot: QtBot, sqlite_hall: Hall,
                                                                       themed: Themed, large: bool) -> None:
    """Standing up with 大字 the whole 身份 screen went up (182 px under Xvfb) as the keyboard came, the title strip
    and the step's title giving their room, though the field being typed in was in view above it: the next tap,
    aimed at the field below, landed elsewhere. A field seen whole stays where it is, the strips with it; only one
    the keyboard would cover is brought up above it."""
    from PySide6.QtCore import QPoint

    from tests.ui.test_kiosk_citizen import LARGEST, _keyboard_up
    from ui.common.widgets import Header

    themed(QApplication.instance())
    window, shell = _kiosk_window(qtbot, sqlite_hall, (1080, 1920))
    shell.large_button.setChecked(large)
    flow = shell.open_flow("register")
    assert isinstance(flow, RegistrationFlow)
    qtbot.waitUntil(lambda: not flow.loading.busy and flow.name.hasFocus())
    (strip,) = window.findChildren(Header)
    space = shell.keyboard_space

    def top(widget: QWidget) -> int:
        return widget.mapTo(window, QPoint(0, 0)).y()

    def whole_above(widget: QWidget) -> bool:
        shown = widget.visibleRegion().boundingRect().height() == widget.height()
        return shown and top(widget) + widget.height() <= window.height() - LARGEST

    under: list[QWidget] = []
    for field in (flow.name, flow.id_number, flow.phone, flow.address):
        field.setFocus()
        qtbot.waitUntil(field.hasFocus)
        for _turn in range(5):
            QApplication.processEvents()
        before = top(field)
        covered = not whole_above(field)  # under where the keyboard comes
        if covered:
            under.append(field)
        _keyboard_up(shell, LARGEST)  # Qt's keyboard keeps its keys' size standing up: as tall as lying down
        qtbot.waitUntil(lambda field=field: whole_above(field))
        for _turn in range(5):
            QApplication.processEvents()
        if not covered:
            assert top(field) == before, "a field in view moved as the keyboard came"
            assert strip.isVisible() and flow.step_title.isVisible()
        assert whole_above(field)
        space.layout.setContentsMargins(space.base)  # the keyboard goes
        space.changed.emit()
    assert flow.name not in under and (under == [flow.address] if large else True)  # 大字: the last came up


@pytest.mark.parametrize("large", [False, True])
def test_a_refusal_beside_the_screen_over_the_keyboard_scrolls_nothing_sideways(
        qtbot: QtBot, sqlite_hall: Hall, themed: Themed, large: bool) -> None:
    """Lying down with the keyboard up, a short phone number refused after a card read: the card's words beside its
    buttons made the screen 1,304 px wide in the 868 px the refusal left (大字), and it scrolled sideways, the phone
    field cut under the scroll bar."""
    from tests.conftest import make_settings
    from tests.ui.test_kiosk_citizen import LARGEST, _keyboard_up, _kiosk_in_modes

    sqlite_hall.settings = make_settings(id_reader="sim:seed=7")
    shell = _kiosk_in_modes(qtbot, sqlite_hall, themed, large=large, contrast=True)
    flow = shell.open_flow("register")
    assert isinstance(flow, RegistrationFlow)
    qtbot.waitUntil(lambda: not flow.loading.busy)
    with qtbot.waitSignal(flow.card_reading.card_read, timeout=10_000):
        flow.read_card()
    flow.phone.setFocus()
    qtbot.waitUntil(lambda: flow.phone.hasFocus())
    _keyboard_up(shell, LARGEST)
    flow.phone.setText("1390579")
    flow.forward()
    assert "手机号码" in flow.message.text() and flow.step == 0
    qtbot.waitUntil(lambda: flow.typing_beside and flow.message.isVisible())
    qtbot.waitUntil(lambda: max(_scrolls(flow, sideways=True)) == 0)
    field = flow.phone
    right = field.mapTo(flow, field.rect().topRight()).x()
    area = next(a for a in flow.findChildren(QScrollArea) if a.isVisible() and a.isAncestorOf(field))
    assert right <= area.viewport().mapTo(flow, area.viewport().rect().topRight()).x(), "the phone field whole"
