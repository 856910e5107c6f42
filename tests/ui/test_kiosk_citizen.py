"""What a citizen trying the kiosk for the first time runs into, through the real widgets."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QPoint, QRect, Qt
from PySide6.QtGui import QInputMethodQueryEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QWidget,
)
from pytestqt.qtbot import QtBot

from desktop.domain.qrpayload import make_payload
from desktop.services.context import Actor, Hall
from desktop.services.registration import register_visit
from tests.conftest import FakeClock
from tests.helpers import form
from tests.ui.kiosk_probe import NEEDS_XVFB, on_xvfb
from ui.kiosk.progress import ProgressFlow
from ui.kiosk.register import RegistrationFlow
from ui.kiosk.shell import KioskShell
from ui.kiosk.suggest import SuggestionFlow
from ui.shell.context import WorkContext

Context = Callable[..., WorkContext]
KIOSK = Actor.kiosk("K01")
#: The on-screen keyboard's height at 1920×1080 (Qt Virtual Keyboard, measured under Xvfb).
KEYBOARD = 620
#: Its height with the row of pinyin candidates it shows once a letter is typed.
TALLEST = 680
#: The same with large text (大字): the row 1.5 times as tall.
LARGEST = 720


Themed = Callable[[QApplication | QCoreApplication | None], None]


@pytest.fixture
def themed() -> Iterator[Themed]:
    """The kiosk's application look as ``python -m desktop run --role kiosk`` sets it (its CJK font), undone after."""
    from desktop.app import apply_role_theme

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    font, sheet = app.font(), app.styleSheet()

    def apply(target: QApplication | QCoreApplication | None) -> None:
        assert isinstance(target, QApplication)
        apply_role_theme(target, "kiosk")

    yield apply
    app.setStyleSheet(sheet)
    app.setFont(font)


def _kiosk_window(qtbot: QtBot, hall: Hall, size: tuple[int, int] = (1920, 1080)) -> tuple[QWidget, KioskShell]:
    """The kiosk's own window (its title strip above the page), shown at ``size``, and its page."""
    from desktop.app import build_window

    window = build_window(hall, "kiosk")
    qtbot.addWidget(window)
    window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    shell = window.body  # type: ignore[union-attr]
    assert isinstance(shell, KioskShell)
    return window, shell


def _kiosk_in_modes(qtbot: QtBot, hall: Hall, themed: Themed, *, large: bool, contrast: bool,
                   size: tuple[int, int] = (1920, 1080)) -> KioskShell:
    """The kiosk's page at ``size`` in the application's theme, with 大字 and 高对比 as asked."""
    themed(QApplication.instance())
    _window, shell = _kiosk_window(qtbot, hall, size)
    shell.large_button.setChecked(large)
    shell.contrast_button.setChecked(contrast)
    return shell


def _on_request_screen(qtbot: QtBot, shell: KioskShell) -> RegistrationFlow:
    """自助登记 on its 诉求 screen, the citizen's details taken."""
    flow = shell.open_flow("register")
    assert isinstance(flow, RegistrationFlow)
    flow.values.update(name="王秀英", id_number="330726195503120022")
    flow.show_step(2)
    qtbot.waitUntil(flow.request.isVisible)
    return flow


def _keyboard_up(shell: KioskShell, height: int = KEYBOARD) -> None:
    """What :class:`ui.kiosk.keyboard.KeyboardSpace` does when the keyboard comes up (offscreen shows none)."""
    space = shell.keyboard_space
    base = space.base
    space.layout.setContentsMargins(base.left(), base.top(), base.right(), base.bottom() + height)
    space.changed.emit()


def _keyboard_down(shell: KioskShell) -> None:
    """What :class:`ui.kiosk.keyboard.KeyboardSpace` does when the keyboard goes."""
    space = shell.keyboard_space
    space.layout.setContentsMargins(space.base)
    space.changed.emit()


def _above_keyboard(shell: KioskShell, widget: QWidget, height: int = KEYBOARD) -> bool:
    top = widget.mapTo(shell, QPoint(0, 0)).y()
    return top >= 0 and top + widget.height() <= shell.height() - height


def test_the_field_being_typed_in_stays_above_the_keyboard(qtbot: QtBot, shell: KioskShell) -> None:
    flow = shell.open_flow("progress")
    assert isinstance(flow, ProgressFlow)
    qtbot.waitUntil(lambda: flow.code.isVisible())
    flow.code.setFocus()
    qtbot.waitUntil(lambda: flow.code.hasFocus())
    _keyboard_up(shell)
    qtbot.waitUntil(lambda: _above_keyboard(shell, flow.code))


def test_the_keyboard_is_told_where_the_field_went_when_the_page_moves_it(qtbot: QtBot, shell: KioskShell) -> None:
    """The page scrolls the field being typed in above the keyboard, and moves it again to make room: the keyboard
    draws its cursor and selection handles where Qt says the field is, and Qt followed the field's own moves only
    (the handles stayed 120 px below it, over the words of an error)."""
    from PySide6.QtGui import QGuiApplication

    shell.resize(1920, 1080)  # lying down the keyboard covers the phone's field: the page scrolls it up
    flow = shell.open_flow("register")
    assert isinstance(flow, RegistrationFlow)
    qtbot.waitUntil(lambda: flow.phone.isVisible())
    flow.phone.setFocus()
    qtbot.waitUntil(lambda: flow.phone.hasFocus())
    before = flow.phone.mapTo(flow.phone.window(), QPoint(0, 0))
    _keyboard_up(shell, 680)
    qtbot.waitUntil(lambda: _above_keyboard(shell, flow.phone, 680))

    def told() -> bool:
        at = flow.phone.mapTo(flow.phone.window(), QPoint(0, 0))
        place = QGuiApplication.inputMethod().inputItemTransform().map(QPoint(0, 0))
        return at != before and place == at

    qtbot.waitUntil(told)


def test_each_registration_screen_puts_the_cursor_in_its_first_field_to_fill(qtbot: QtBot, shell: KioskShell) -> None:
    """Keys typed on a keyboard as soon as a screen opens go into its first field (they went nowhere on 身份 and
    诉求); a field read from the card is passed over."""
    flow = shell.open_flow("register")
    assert isinstance(flow, RegistrationFlow)
    qtbot.waitUntil(flow.name.hasFocus)
    flow.show_step(2)
    qtbot.waitUntil(flow.request.hasFocus)
    flow.show_step(0)
    flow.name.setText("王秀英")
    flow.name.setReadOnly(True)  # as a card read leaves it
    flow.show_step(2)
    flow.show_step(0)
    qtbot.waitUntil(flow.id_number.hasFocus)


def test_a_tap_on_the_next_field_keeps_it_under_the_finger_while_the_keyboard_goes_and_comes(
        qtbot: QtBot, sqlite_hall: Hall) -> None:
    """Qt's keyboard goes at the press on another field and comes back at the release, if the field is still
    under the finger: the page keeps its room till the finger is lifted (given back at once, it moved the
    field down some 480 px, and the keyboard stayed away: a second tap was needed)."""
    _window, shell = _kiosk_window(qtbot, sqlite_hall, (1080, 1920))
    flow = shell.open_flow("register")
    assert isinstance(flow, RegistrationFlow)
    qtbot.waitUntil(lambda: flow.name.isVisible())
    flow.name.setFocus()
    qtbot.waitUntil(flow.name.hasFocus)
    _keyboard_up(shell)
    space = shell.keyboard_space
    qtbot.waitUntil(lambda: space.raised and _above_keyboard(shell, flow.id_number))
    where = flow.id_number.mapTo(shell, QPoint(0, 0))
    QTest.mousePress(flow.id_number, Qt.MouseButton.LeftButton)
    space.update()  # the keyboard went at the press (the offscreen platform shows none: it is not visible)
    assert space.raised and flow.id_number.mapTo(shell, QPoint(0, 0)) == where
    QTest.mouseRelease(flow.id_number, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not space.raised)  # lifted, and no keyboard came back: the room is given back
    assert flow.id_number.hasFocus()


def test_enter_on_the_keyboard_puts_it_away_so_the_answer_is_seen(qtbot: QtBot, shell: KioskShell) -> None:
    flow = shell.open_flow("progress")
    assert isinstance(flow, ProgressFlow)
    flow.number.setText("XF-2026")
    flow.code.setFocus()
    qtbot.waitUntil(lambda: flow.code.hasFocus())
    flow.code.setText("1234")
    with qtbot.waitSignal(flow.tasks.settled):
        qtbot.keyClick(flow.code, Qt.Key.Key_Return)
    assert "案件编号的格式不对" in flow.error.text()
    # no text field keeps the focus: Qt's virtual keyboard hides, the message under the fields shows
    assert not flow.number.hasFocus() and not flow.code.hasFocus()


@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920), (1366, 768), (1280, 1024)])
@pytest.mark.parametrize("contrast", [False, True])
def test_large_text_home_tiles_stay_apart_and_on_the_screen(qtbot: QtBot, sqlite_hall: Hall, themed: Themed,
                                                            size: tuple[int, int], contrast: bool) -> None:
    themed(QApplication.instance())
    _window, shell = _kiosk_window(qtbot, sqlite_hall, size)  # the kiosk's own window: its title strip, all tiles
    assert len(shell.tile_buttons) == 6
    shell.contrast_button.setChecked(contrast)
    qtbot.mouseClick(shell.large_button, Qt.MouseButton.LeftButton)
    shell.home_page.layout().activate()
    tiles = sorted(shell.tile_buttons.values(), key=lambda b: (b.y(), b.x()))

    def apart() -> bool:
        boxes = [b.geometry() for b in tiles]
        return (all(not a.intersects(b) for i, a in enumerate(boxes) for b in boxes[i + 1:])
                and all(b.bottom() < shell.home_page.height() for b in boxes)
                and all(b.minimumSizeHint().height() <= b.height() for b in tiles))

    qtbot.waitUntil(apart)
    if size in ((1920, 1080), (1080, 1920)):  # the kiosk's own screens: the whole home at once
        assert shell.home.verticalScrollBar().maximum() == 0
    else:  # a smaller screen: the home scrolls (by finger too) rather than squeeze its tiles together
        assert shell.home.verticalScrollBar().maximum() > 0 or size == (1280, 1024)
    columns = len({b.x() for b in tiles})
    assert columns == {(1920, 1080): 3, (1080, 1920): 1, (1366, 768): 3, (1280, 1024): 2}[size]


@pytest.fixture
def keyboard(shell: KioskShell) -> Iterator[None]:
    """Qt's virtual keyboard as the kiosk sees it: up while a text field has the focus, gone when it has not."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)

    def moved(_old: QWidget | None, new: QWidget | None) -> None:
        _keyboard_up(shell, KEYBOARD if isinstance(new, QLineEdit | QPlainTextEdit) else 0)

    app.focusChanged.connect(moved)
    yield
    app.focusChanged.disconnect(moved)


def _tap(qtbot: QtBot, widget: QWidget) -> None:
    """A finger's tap where ``widget`` is at the press: the release goes where the finger still is."""
    window = widget.window().windowHandle()
    assert window is not None
    at = widget.mapTo(widget.window(), widget.rect().center())
    QTest.mousePress(window, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, at)
    QTest.mouseRelease(window, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, at)


def test_a_tap_on_next_while_typing_is_not_lost_when_the_keyboard_goes(qtbot: QtBot, shell: KioskShell,
                                                                      keyboard: None,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """下一步 tapped just above the keyboard: the tap is taken, the refusal said; the keyboard goes so that it is
    seen, the refused name keeping the focus for the keys typed next."""
    from PySide6.QtGui import QGuiApplication

    class Asked:
        """Qt's input method, with the times it was asked to hide the keyboard counted."""

        def __init__(self, real: object) -> None:
            self.real, self.hidden = real, 0

        def hide(self) -> None:
            self.hidden += 1
            self.real.hide()  # type: ignore[attr-defined]

        def __getattr__(self, name: str) -> object:
            return getattr(self.real, name)

    asked = Asked(QGuiApplication.inputMethod())
    monkeypatch.setattr(QGuiApplication, "inputMethod", staticmethod(lambda: asked))
    shell.resize(1080, 1920)  # portrait: 下一步 just above the keyboard
    flow = shell.open_flow("register")
    assert isinstance(flow, RegistrationFlow)
    qtbot.waitUntil(lambda: flow.name.isVisible())
    flow.name.setFocus()
    qtbot.waitUntil(lambda: shell.keyboard_space.layout.contentsMargins().bottom() >= KEYBOARD)
    flow.id_number.setText("33072619550312")  # half typed
    qtbot.waitUntil(lambda: _above_keyboard(shell, flow.next_button))
    _tap(qtbot, flow.next_button)
    assert "请填写您的姓名" in flow.message.text()  # the tap was taken
    qtbot.waitUntil(lambda: asked.hidden > 0)  # then the keyboard goes, the message in view
    assert flow.name.hasFocus()  # the field to fill keeps the keys


def test_enter_goes_from_field_to_field_and_then_on(qtbot: QtBot, shell: KioskShell) -> None:
    flow = shell.open_flow("register")
    assert isinstance(flow, RegistrationFlow)
    qtbot.waitUntil(lambda: flow.name.isVisible())
    flow.name.setFocus()
    qtbot.waitUntil(lambda: flow.name.hasFocus())
    flow.name.setText("王秀英")
    qtbot.keyClick(flow.name, Qt.Key.Key_Return)
    assert flow.id_number.hasFocus()  # not typed on into the name
    flow.id_number.setText("330726195503120022")
    qtbot.keyClick(flow.id_number, Qt.Key.Key_Return)
    assert flow.address.hasFocus()  # lying down the address stands under the name, the phone beside it
    qtbot.keyClick(flow.address, Qt.Key.Key_Return)
    assert flow.phone.hasFocus()
    qtbot.keyClick(flow.phone, Qt.Key.Key_Return)
    assert flow.step == 1 and flow.values["name"] == "王秀英"  # on to the town


@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920)])
def test_a_long_text_says_how_much_is_written_against_its_limit_as_it_is_written(
        qtbot: QtBot, shell: KioskShell, size: tuple[int, int]) -> None:
    """5,000 characters were refused at the end only: the count is in view while writing, the limit the rule's."""
    from desktop.services.suggestions import MAX_CONTENT

    shell.resize(*size)
    flow = shell.open_flow("suggest")
    assert isinstance(flow, SuggestionFlow)
    qtbot.mouseClick(flow.free_button, Qt.MouseButton.LeftButton)
    count = flow.content_count  # on the theme's row, as 诉求's is on its caption's
    qtbot.waitUntil(count.isVisible)
    flow.content.setPlainText("  公交站台没有遮雨棚，建议加装遮雨棚和座椅  ")
    assert count.text() == f"已写20字，最多{MAX_CONTENT}字" and not count.property("over")
    flow.content.setPlainText("建" * (MAX_CONTENT + 7))
    assert count.text() == f"已写{MAX_CONTENT + 7}字，最多{MAX_CONTENT}字，请删去7字"
    assert count.property("over")

    def placed(widget: QWidget) -> QRect:
        return QRect(widget.mapTo(shell, QPoint(0, 0)), widget.size())

    qtbot.waitUntil(lambda: count.width() > 0)
    assert not placed(count).intersects(placed(flow.content)) and shell.rect().contains(placed(count))


@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920)])
def test_a_requests_facts_and_reasons_say_the_services_one_limit_as_they_are_written(
        qtbot: QtBot, shell: KioskShell, size: tuple[int, int]) -> None:
    """The kiosk stopped 诉求, 事实 and 理由 at 2,000 characters where the service takes 5,000: one rule now, the
    domain's, counted on each box's caption row (已写N字，最多N字), in red past it, and said at 下一步 (最多N字)."""
    from desktop.domain.texts import MAX_PETITION_TEXT as LIMIT

    shell.resize(*size)
    flow = _on_request_screen(qtbot, shell)
    count = flow.request_count
    assert count.text() == f"已写0字，最多{LIMIT}字" and count.isVisible()
    flow.request.setPlainText("诉" * 3000)  # more than the kiosk's old 2,000: the service's rule takes it
    assert count.text() == f"已写3000字，最多{LIMIT}字" and not count.property("over")
    flow.request.setPlainText("诉" * (LIMIT + 7))
    assert count.text() == f"已写{LIMIT + 7}字，最多{LIMIT}字，请删去7字" and count.property("over")
    flow.forward()
    assert flow.step == 2 and f"诉求最多{LIMIT}字" in flow.message.text() and "请删去7字" in flow.message.text()
    flow.request.setPlainText("诉" * LIMIT)
    flow.forward()
    assert flow.step == 3
    for box, said, what in ((flow.facts, flow.facts_count, "事实经过"), (flow.reasons, flow.reasons_count, "理由")):
        qtbot.waitUntil(said.isVisible)
        box.setPlainText("事" * (LIMIT + 1))
        assert said.text() == f"已写{LIMIT + 1}字，最多{LIMIT}字，请删去1字" and said.property("over")
        flow.forward()
        assert flow.step == 3 and f"{what}最多{LIMIT}字" in flow.message.text()
        box.setPlainText("事" * LIMIT)
        assert said.text() == f"已写{LIMIT}字，最多{LIMIT}字" and not said.property("over")
    flow.forward()
    assert flow.step == 4 and flow.values["facts"] == "事" * LIMIT and flow.values["reasons"] == "事" * LIMIT
    for said in (flow.request_count, flow.facts_count, flow.reasons_count):  # on its caption's row, at its right
        caption = _caption_of(said)
        assert abs(said.mapTo(shell, QPoint(0, said.height())).y()
                   - caption.mapTo(shell, QPoint(0, caption.height())).y()) <= 2
        assert said.mapTo(shell, QPoint(0, 0)).x() > caption.mapTo(shell, QPoint(0, 0)).x()


def _caption_of(count: QLabel) -> QLabel:
    """The caption on the row of a box's length count."""
    parent = count.parentWidget()
    assert parent is not None
    row = next(layout for layout in parent.findChildren(QHBoxLayout) if layout.indexOf(count) >= 0)
    caption = row.itemAt(0).widget()
    assert isinstance(caption, QLabel)
    return caption


def test_enter_in_a_suggestions_name_goes_on_to_the_phone(qtbot: QtBot, shell: KioskShell) -> None:
    flow = shell.open_flow("suggest")
    assert isinstance(flow, SuggestionFlow)
    qtbot.mouseClick(flow.free_button, Qt.MouseButton.LeftButton)
    flow.content.setPlainText("公交站台没有遮雨棚，建议加装遮雨棚和座椅")
    qtbot.mouseClick(flow.to_who, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: flow.name.isVisible())
    flow.name.setFocus()
    flow.name.setText("李桂兰")
    qtbot.keyClick(flow.name, Qt.Key.Key_Return)
    assert flow.phone.hasFocus() and flow.name.text() == "李桂兰"
    assert flow.phone.inputMethodHints() & Qt.InputMethodHint.ImhDialableCharactersOnly  # the keypad of digits


@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920)])
def test_a_tall_text_box_being_written_in_stays_in_view_with_the_keyboard_up(qtbot: QtBot, shell: KioskShell,
                                                                            size: tuple[int, int]) -> None:
    shell.resize(*size)
    flow = shell.open_flow("register")
    assert isinstance(flow, RegistrationFlow)
    flow.show_step(2)  # 诉求: one text box filling the screen
    qtbot.waitUntil(lambda: flow.request.isVisible())
    flow.request.setPlainText("小区电梯停运三个月，物业不维修，请求督促尽快修复" * 300)
    qtbot.mouseClick(flow.next_button, Qt.MouseButton.LeftButton)
    assert "诉求最多5000字" in flow.message.text()
    flow.request.setFocus()
    qtbot.waitUntil(lambda: flow.request.hasFocus())
    _keyboard_up(shell, 680)  # the keyboard with its row of pinyin candidates
    qtbot.waitUntil(lambda: flow.request.isVisible())

    def cursor_seen() -> bool:
        cursor = flow.request.inputMethodQuery(Qt.InputMethodQuery.ImCursorRectangle).toRect()
        top = flow.request.mapTo(shell, cursor.topLeft()).y()
        box = flow.request.mapTo(shell, QPoint(0, 0)).y()
        return shell.bar.height() <= box and top + cursor.height() <= shell.height() - 680

    qtbot.waitUntil(cursor_seen)  # the box's top and the line being written, above the keyboard


def test_a_receipt_scanned_into_the_id_number_field_opens_its_progress(qtbot: QtBot, shell: KioskShell,
                                                                      sqlite_hall: Hall, clerk: Actor) -> None:
    result = register_visit(sqlite_hall, clerk, form())
    payload = make_payload(sqlite_hall.settings.public_lookup_url, result.case_number, result.query_code)
    flow = shell.open_flow("register")
    assert isinstance(flow, RegistrationFlow)
    assert len(payload) > flow.id_number.maxLength()  # the field keeps only the start of it
    flow.id_number.setFocus()
    qtbot.keyClicks(flow.id_number, payload)
    qtbot.keyClick(flow.id_number, Qt.Key.Key_Return)
    progress = shell.flow
    assert isinstance(progress, ProgressFlow)
    qtbot.waitUntil(lambda: progress.current_page is progress.result_page)
    assert result.case_number in progress.heading.text()


def test_the_pin_page_keeps_the_on_screen_keyboard_down(qtbot: QtBot, shell: KioskShell) -> None:
    """Its own keypad is on the page: the pinyin keyboard would cover it and squeeze the page."""
    for _ in range(5):
        qtbot.mouseClick(shell.corner, Qt.MouseButton.LeftButton)
    page = shell.pin_page
    assert shell.pages.currentWidget() is page
    page.field.setFocus()
    qtbot.waitUntil(lambda: page.field.hasFocus())
    # Qt asks for the on-screen keyboard only for a widget that takes input methods
    asked = QInputMethodQueryEvent(Qt.InputMethodQuery.ImEnabled)
    QApplication.sendEvent(page.field, asked)
    assert asked.value(Qt.InputMethodQuery.ImEnabled) is False
    qtbot.keyClicks(page.field, "7204")  # a keyboard's keys still arrive
    assert page.field.text() == "7204"


@pytest.mark.parametrize("large", [False, True])
def test_the_pin_keypad_keeps_its_keys_apart_with_a_message_shown(qtbot: QtBot, sqlite_hall: Hall, themed: Themed,
                                                                   large: bool) -> None:
    themed(QApplication.instance())
    _window, shell = _kiosk_window(qtbot, sqlite_hall)
    shell.large_button.setChecked(large)
    for _ in range(5):
        qtbot.mouseClick(shell.corner, Qt.MouseButton.LeftButton)
    page = shell.pin_page
    page.field.setText("111111")
    qtbot.mouseClick(page.confirm, Qt.MouseButton.LeftButton)  # no PIN set here: a message says how to set one
    assert page.message.text()
    keys = [b for b in page.findChildren(QPushButton) if b.isVisible()]
    assert len(keys) == 13  # 0–9, 删除, 确定, 返回首页

    def apart() -> bool:
        boxes = [k.geometry().translated(k.parentWidget().mapTo(page, QPoint(0, 0))) for k in keys]
        inside = all(page.rect().contains(b) for b in boxes)
        return inside and all(not a.intersects(b) for i, a in enumerate(boxes) for b in boxes[i + 1:])

    qtbot.waitUntil(apart)
    assert page.message.height() >= page.message.heightForWidth(page.message.width())  # not squeezed


def test_with_no_reception_day_booking_does_not_ask_to_choose_one(qtbot: QtBot, work_context: Context) -> None:
    from ui.kiosk.booking import BookingFlow

    flow = BookingFlow(work_context(KIOSK, "kiosk"))
    qtbot.addWidget(flow)
    flow.show()

    def shown() -> list[str]:
        return [w.text() for w in flow.day_page.findChildren(QLabel) if w.isVisible()]

    qtbot.waitUntil(lambda: "近期没有安排领导接访日，请到窗口咨询" in shown())
    assert not any("再选择时段" in words for words in shown())  # no "tap a day" above "there is none"


def test_enter_goes_from_field_to_field_in_the_booking_form(qtbot: QtBot, work_context: Context) -> None:
    from ui.kiosk.booking import BookingFlow

    flow = BookingFlow(work_context(KIOSK, "kiosk"))
    qtbot.addWidget(flow)
    flow.show()
    qtbot.waitUntil(lambda: any(w.text().startswith("近期没有") for w in flow.day_page.findChildren(QLabel)))
    flow.pages.setCurrentWidget(flow.who_page)
    flow.name.setFocus()
    qtbot.waitUntil(lambda: flow.name.hasFocus())
    for field, following in ((flow.name, flow.id_number), (flow.id_number, flow.phone), (flow.phone, flow.summary)):
        qtbot.keyClick(field, Qt.Key.Key_Return)
        assert following.hasFocus()


def _to_review(qtbot: QtBot, flow: RegistrationFlow) -> None:
    """Through the first five screens, as a citizen fills them, to 核对."""
    flow.name.setText("王秀英")
    flow.id_number.setText("330726195503120022")
    qtbot.mouseClick(flow.next_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: any(b.text() == "黄宅镇" for b in flow.where_buttons.values()))
    town = next(b for b in flow.where_buttons.values() if b.text() == "黄宅镇")
    qtbot.waitUntil(lambda: town.isVisible() and town.width() > 0)
    qtbot.mouseClick(town, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(flow.next_button, Qt.MouseButton.LeftButton)
    flow.request.setPlainText("修路")
    for _step in range(3):  # 诉求, 事实和理由, 材料
        qtbot.mouseClick(flow.next_button, Qt.MouseButton.LeftButton)
    assert flow.step == 5, flow.message.text()


def test_the_review_starts_right_under_its_lead(qtbot: QtBot, shell: KioskShell) -> None:
    flow = shell.open_flow("register")
    assert isinstance(flow, RegistrationFlow)
    _to_review(qtbot, flow)
    qtbot.waitUntil(lambda: flow.review.isVisible())
    first = flow.review.parts[0]
    page = flow.pages.currentWidget()
    assert first.mapTo(page, QPoint(0, 0)).y() < 140  # the text right under the lead, not in the page's middle
    assert first.alignment() & Qt.AlignmentFlag.AlignTop


def test_a_long_request_shows_its_start_at_the_review_and_all_of_it_on_asking(qtbot: QtBot,
                                                                               shell: KioskShell) -> None:
    """5,000 characters of 诉求 made 核对 several screens long: it shows their start and how many there are,
    展开全文 all of them, 收起 the start again; what is registered is all of it."""
    flow = shell.open_flow("register")
    assert isinstance(flow, RegistrationFlow)
    request = ("村口道路塌陷半年无人修，老人孩子出行不便。" * 240)[:4999] + "。"
    _to_review(qtbot, flow)
    qtbot.mouseClick(flow.review.buttons[2], Qt.MouseButton.LeftButton)
    flow.request.setPlainText(request)
    qtbot.mouseClick(flow.next_button, Qt.MouseButton.LeftButton)
    assert flow.step == 5 and flow.values["request"] == request
    words, whole = flow.review.parts[2], flow.review.whole_buttons[2]
    qtbot.waitUntil(lambda: whole.isVisible() and words.height() > 0)
    assert words.text() == f"诉求：{request[:120]}……（共5000字）"
    page = flow.pages.currentWidget()
    assert flow.review.height() < page.height()  # the whole review on one screen
    assert not flow.review.whole_buttons[3].isVisible()  # short parts have nothing to open
    qtbot.mouseClick(whole, Qt.MouseButton.LeftButton)
    assert words.text() == f"诉求：{request}" and whole.text() == "收起"
    qtbot.mouseClick(whole, Qt.MouseButton.LeftButton)
    assert words.text().endswith("……（共5000字）") and whole.text() == "展开全文"


@pytest.mark.parametrize("size", [(1080, 1920), (1920, 1080)])
@pytest.mark.parametrize("large", [False, True])
def test_the_notice_panel_stands_whole_on_the_screen_its_text_scrolling_within(
        qtbot: QtBot, sqlite_hall: Hall, themed: Themed, size: tuple[int, int], large: bool) -> None:
    """告知 scrolled as a whole screen: its panel's bottom edge was cut by the screen's (in 高对比 a yellow frame open
    at the bottom, standing up). The panel stands whole; the rights, duties and 六个不得 scroll within it."""
    themed(QApplication.instance())
    _window, shell = _kiosk_window(qtbot, sqlite_hall, size)
    qtbot.mouseClick(shell.contrast_button, Qt.MouseButton.LeftButton)
    if large:
        qtbot.mouseClick(shell.large_button, Qt.MouseButton.LeftButton)
    flow = shell.open_flow("register")
    assert isinstance(flow, RegistrationFlow)
    flow.show_step(6)
    screen = flow.pages.currentWidget()
    assert isinstance(screen, QScrollArea)
    qtbot.waitUntil(lambda: flow.rights.isVisible() and flow.rights.height() > 0)
    frame = screen.widget()
    assert frame.mapTo(screen.viewport(), QPoint(0, frame.height())).y() <= screen.viewport().height()
    assert screen.verticalScrollBar().maximum() == 0  # the screen does not scroll: its panel is whole
    area = flow.rights_area
    assert area.verticalScrollBar().maximum() > 0 and area.isVisible()  # the text scrolls, within the panel
    assert area.mapTo(frame, QPoint(0, area.height())).y() <= frame.height()


@pytest.mark.parametrize("size", [(1080, 1920), (1200, 1920)])
def test_a_long_address_read_from_the_card_is_shown_whole_with_large_text(qtbot: QtBot, shell: KioskShell,
                                                                       size: tuple[int, int]) -> None:
    """With 大字 standing up a long address read from the ID card was cut at the one-line field's right edge (a
    field scrolls only while it has the focus): the whole address stands under the field while the field cannot
    show it, wrapped; a short one needs nothing more."""
    from types import SimpleNamespace

    from tests.helpers import valid_id

    shell.resize(*size)
    qtbot.mouseClick(shell.large_button, Qt.MouseButton.LeftButton)
    flow = shell.open_flow("register")
    assert isinstance(flow, RegistrationFlow)
    address = "浙江省金华市浦江县浦阳街道和平路北段人民新村小区12幢3单元201室"
    flow.fill_from_card(SimpleNamespace(name="王秀英", id_number=valid_id(seq=3), address=address))
    whole = flow.address_whole
    qtbot.waitUntil(lambda: whole.isVisibleTo(flow) and whole.width() > 0)
    assert flow.address.text() == address and whole.text() == f"完整住址：{address}"
    qtbot.waitUntil(lambda: whole.height() >= whole.heightForWidth(whole.width()))  # all its lines, laid out
    flow.address.setText("和平路12号")
    assert not whole.isVisibleTo(flow)


NOTICE_ON_SCREEN = """
import sys
from tests.ui.kiosk_probe import kiosk_on_screen, run_polling
app, shell = kiosk_on_screen(sys.argv[1])
from desktop.app import apply_role_theme
apply_role_theme(app, "kiosk")  # the kiosk's font, as it runs
shell.large_button.click()
shell.contrast_button.click()
flow = shell.open_flow("register")
flow.show_step(6)
looks = []

def poll():
    screen = flow.pages.currentWidget()
    looks.append((screen.verticalScrollBar().maximum(), screen.widget().height(), screen.viewport().height(),
                  flow.rights_area.verticalScrollBar().maximum()))
    if len(looks) < 5 or looks[-1] != looks[-2]:
        return 100
    print("notice", *looks[-1])
    return None

run_polling(app, poll)
"""


@NEEDS_XVFB
@pytest.mark.parametrize("screen", ["1080x1920", "1920x1080"])
def test_with_the_kiosks_own_font_and_large_text_the_notice_panel_stands_whole(tmp_path: Path, screen: str) -> None:
    """On the kiosk's screen, in its font, with 大字 and 高对比: the panel of 告知 as tall as the screen's room, no more
    (its text's scroll area asked for some 24 lines, and the screen scrolled the panel, its bottom edge cut, again)."""
    done = on_xvfb(tmp_path, "notice", NOTICE_ON_SCREEN, str(tmp_path), screen=screen)
    assert "notice " in done.stdout, done.stdout + done.stderr
    outer, frame, viewport, inner = (int(word) for word in done.stdout.split("notice ")[1].split()[:4])
    assert outer == 0 and frame <= viewport, done.stdout  # the screen does not scroll: its panel is whole
    assert inner > 0, done.stdout  # the text scrolls within it


@pytest.mark.parametrize(("part", "step"), [(0, 0), (2, 2), (3, 3)])
def test_a_part_changed_from_the_review_comes_straight_back_to_it(qtbot: QtBot, shell: KioskShell,
                                                                  part: int, step: int) -> None:
    """A wrong name seen at 核对 took five 上一步 and four 下一步: 修改 beside each part opens its step, and
    改好了，回到核对 comes back with the change, the other steps as they were."""
    flow = shell.open_flow("register")
    assert isinstance(flow, RegistrationFlow)
    _to_review(qtbot, flow)
    before = flow.review.text()
    button = flow.review.buttons[part]
    qtbot.waitUntil(button.isVisible)
    assert button.accessibleName() == "修改" + ("身份", "问题发生地", "诉求", "事实和理由")[part]
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert flow.step == step and flow.next_button.text() == "改好了，回到核对"
    field, old, new = {0: (flow.name, "姓名：王秀英", "王秀芳"), 2: (flow.request, "诉求：修路", "修村口的路"),
                       3: (flow.facts, "事实经过：（未填）", "三月塌陷")}[part]
    if isinstance(field, QLineEdit):
        field.setText(new)
    else:
        field.setPlainText(new)
    qtbot.mouseClick(flow.next_button, Qt.MouseButton.LeftButton)
    changed = old.split("：")[0] + "：" + new
    assert flow.step == 5 and flow.review.text() == before.replace(old, changed)  # that, and nothing else
    qtbot.mouseClick(flow.next_button, Qt.MouseButton.LeftButton)
    assert flow.step == 6 and flow.next_button.text() == "提交登记"


def test_a_change_from_the_review_is_checked_as_on_the_way(qtbot: QtBot, shell: KioskShell) -> None:
    """A part changed from 核对 is held to its step's rule: an ID number made wrong stays on its screen, said."""
    flow = shell.open_flow("register")
    assert isinstance(flow, RegistrationFlow)
    _to_review(qtbot, flow)
    qtbot.mouseClick(flow.review.buttons[0], Qt.MouseButton.LeftButton)
    flow.id_number.setText("33072619550312002")
    qtbot.mouseClick(flow.next_button, Qt.MouseButton.LeftButton)
    assert flow.step == 0 and "18位" in flow.message.text() and flow.next_button.text() == "改好了，回到核对"
    flow.id_number.setText("330726195503120022")
    qtbot.mouseClick(flow.next_button, Qt.MouseButton.LeftButton)
    assert flow.step == 5 and flow.message.text() == ""
    qtbot.mouseClick(flow.back_button, Qt.MouseButton.LeftButton)  # 上一步 from 核对 as before: 材料
    assert flow.step == 4 and flow.next_button.text() == "下一步"


def test_in_high_contrast_a_button_not_yet_tappable_is_dimmer_than_one_that_is(qtbot: QtBot,
                                                                             shell: KioskShell) -> None:
    flow = shell.open_flow("register")
    assert isinstance(flow, RegistrationFlow)
    qtbot.mouseClick(shell.contrast_button, Qt.MouseButton.LeftButton)
    flow.show_step(6)  # 告知: 提交登记 waits for 我已阅读
    qtbot.waitUntil(lambda: flow.next_button.isVisible() and not flow.next_button.isEnabled())

    def fill(button: QPushButton) -> float:
        image = button.grab().toImage()
        return image.pixelColor(12, image.height() // 2).lightnessF()

    waiting = fill(flow.next_button)
    qtbot.mouseClick(flow.agree, Qt.MouseButton.LeftButton)
    assert flow.next_button.isEnabled()
    assert waiting < fill(flow.next_button)  # the tappable one stands out, not the other way round


def test_submitting_a_rating_says_so_at_once(qtbot: QtBot, shell: KioskShell, sqlite_hall: Hall,
                                            clerk: Actor) -> None:
    from desktop.domain.events import EventType
    from desktop.services import cases

    result = register_visit(sqlite_hall, clerk, form())
    ref = result.case_number
    cases.classify(sqlite_hall, clerk, ref, nature="申诉求决类", topic_code="0101")
    cases.record(sqlite_hall, clerk, ref, EventType.TRANSFERRED,
                 {"route_kind": "转送", "organisation_code": "330726-ZJJ"})
    cases.accept(sqlite_hall, clerk, ref, accepted_on=date(2026, 9, 16))
    cases.answer(sqlite_hall, clerk, ref, outcome="不予支持", answered_on=date(2026, 9, 16))
    cases.deliver(sqlite_hall, clerk, ref, delivered_on=date(2026, 9, 16))
    flow = shell.open_flow("progress")
    assert isinstance(flow, ProgressFlow)
    flow.number.setText(ref)
    flow.code.setText(result.query_code)
    with qtbot.waitSignal(flow.tasks.settled):
        qtbot.mouseClick(flow.submit, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(flow.rate_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(flow.choice_buttons["不满意"], Qt.MouseButton.LeftButton)
    flow.reason.setPlainText("没有回应" * 200)
    for _ in range(2):  # the same refusal twice: the second tap, too, is seen to be taken
        with qtbot.waitSignal(flow.tasks.settled):
            qtbot.mouseClick(flow.send_rating, Qt.MouseButton.LeftButton)
            assert flow.rating_error.text() == "正在提交评价，请稍候……"
        assert "意见最多500字，现在" in flow.rating_error.text() and "请删去" in flow.rating_error.text()


@pytest.mark.parametrize("key", ["register", "progress", "suggest"])
def test_the_pinyin_keyboard_learns_nothing_a_citizen_types(qtbot: QtBot, shell: KioskShell, key: str) -> None:
    """Qt's pinyin keyboard keeps the phrases picked in a user dictionary and offers them to whoever types
    next, unless the field holds sensitive data."""
    flow = shell.open_flow(key)
    assert flow is not None
    fields = flow.findChildren(QLineEdit) + flow.findChildren(QPlainTextEdit)
    assert fields
    for field in fields:
        assert field.inputMethodHints() & Qt.InputMethodHint.ImhSensitiveData, field.accessibleName()
    if isinstance(flow, ProgressFlow):  # its own hints are kept beside
        assert flow.code.inputMethodHints() & Qt.InputMethodHint.ImhDigitsOnly


def _concluded(hall: Hall, clerk: Actor, day: date = date(2026, 9, 16)) -> tuple[str, str]:
    """A case registered, transferred, accepted, answered and its opinion delivered on ``day`` (the hall's today)."""
    from desktop.domain.events import EventType
    from desktop.services import cases

    result = register_visit(hall, clerk, form())
    ref = result.case_number
    cases.classify(hall, clerk, ref, nature="申诉求决类", topic_code="0101")
    cases.record(hall, clerk, ref, EventType.TRANSFERRED, {"route_kind": "转送", "organisation_code": "330726-ZJJ"})
    cases.accept(hall, clerk, ref, accepted_on=day)
    cases.answer(hall, clerk, ref, outcome="不予支持", answered_on=day)
    cases.deliver(hall, clerk, ref, delivered_on=day)
    return ref, result.query_code


def _progress_shown(qtbot: QtBot, hall: Hall, themed: Themed, case: tuple[str, str], size: tuple[int, int],
                    large: bool) -> tuple[QWidget, KioskShell, ProgressFlow]:
    """查询进度 on the kiosk's own window at ``size`` (大字 with ``large``), ``case``'s (number, query code) progress
    shown as after a tap on 查询."""
    themed(QApplication.instance())
    window, shell = _kiosk_window(qtbot, hall, size)
    if size[1] > size[0]:
        qtbot.waitUntil(lambda: shell.portrait)
    shell.large_button.setChecked(large)
    flow = shell.open_flow("progress")
    assert isinstance(flow, ProgressFlow)
    flow.number.setText(case[0])
    flow.code.setText(case[1])
    with qtbot.waitSignal(flow.tasks.settled):
        qtbot.mouseClick(flow.submit, Qt.MouseButton.LeftButton)
    return window, shell, flow


def test_standing_up_with_large_text_the_progress_shows_what_to_do_whole(
        qtbot: QtBot, sqlite_hall: Hall, clerk: Actor, themed: Themed) -> None:
    _window, _shell, flow = _progress_shown(qtbot, sqlite_hall, themed, _concluded(sqlite_hall, clerk), (1080, 1920),
                                            True)
    assert flow.current_page is flow.result_page
    summary = next(a for a in flow.result_page.findChildren(QScrollArea) if a.widget().isAncestorOf(flow.can_do))
    qtbot.waitUntil(lambda: summary.verticalScrollBar().maximum() == 0)  # 接下来 whole, no scrolling


@pytest.mark.parametrize("large", [False, True])
def test_lying_down_a_long_summary_draws_its_lines_closer_before_it_scrolls(
        qtbot: QtBot, sqlite_hall: Hall, clock: FakeClock, clerk: Actor, themed: Themed, large: bool) -> None:
    """1920×1080 with 大字: an opinion delivered in late December, its 复查 deadline in a year whose holidays are
    not out yet (the 节假日 caveat), and two things to do: the summary overflowed by a few pixels and a scroll
    bar came, taking the width of a few characters. Its lines come as little closer as it needs, and no closer
    than the text needs without 大字."""
    clock.current = datetime(2026, 12, 28, 9, 30)
    case = _concluded(sqlite_hall, clerk, date(2026, 12, 28))
    _window, _shell, flow = _progress_shown(qtbot, sqlite_hall, themed, case, (1920, 1080), large)
    assert "2027年节假日安排公布后" in flow.can_do.text() and flow.can_do.text().count("•") == 2
    summary = flow.summary
    layout = summary.content.layout()
    assert layout is not None
    qtbot.waitUntil(lambda: summary.verticalScrollBar().maximum() == 0 and not summary.verticalScrollBar().isVisible())
    for part in (flow.heading, flow.state, flow.next_step, flow.can_do):
        assert _shown_whole(part), part
    assert (summary.TIGHT <= layout.spacing() < summary.SPACING) if large else layout.spacing() == summary.SPACING


def _shown_whole(widget: QWidget) -> bool:
    return widget.isVisible() and widget.visibleRegion().boundingRect().size() == widget.size()


@pytest.mark.parametrize("large", [False, True])
def test_standing_up_the_history_takes_the_room_the_progress_does_not_need(
        qtbot: QtBot, sqlite_hall: Hall, clerk: Actor, themed: Themed, large: bool) -> None:
    """1080×1920: the progress as tall as its text, the 办理经过 panel below it all the rest of the page."""
    window, shell, flow = _progress_shown(qtbot, sqlite_hall, themed, _concluded(sqlite_hall, clerk), (1080, 1920),
                                          large)
    summary, history = flow.summary, flow.history
    content = summary.widget()

    def fitted() -> bool:
        """No scrolling, and no more than the panel's bottom margin below the last line."""
        last = flow.can_do.mapTo(summary, QPoint(0, flow.can_do.height())).y()
        bar = summary.verticalScrollBar()
        return bar.maximum() == 0 and not bar.isVisible() and summary.height() - last <= 40

    qtbot.waitUntil(fitted)
    assert history.y() > summary.y() + summary.height()  # below it
    box = flow.result_box.geometry()
    assert history.y() + history.height() == box.bottom() + 1  # all the rest of the box
    # the history: was about 1/3 of the page (3/5 of the box went to the progress), over 1/3 now with
    # large text and well over half without
    assert history.height() > (0.36 if large else 0.55) * flow.result_page.height()
    # standing up, 评价 across the page and the other two side by side under it: two rows, not three
    assert flow.again_button.y() == flow.done_button.y() > flow.rate_button.y()
    assert content.height() == summary.height()
    for part in (flow.heading, flow.state, flow.next_step, flow.due, flow.can_do,
                 flow.again_button, flow.rate_button, flow.done_button):
        assert not part.isVisibleTo(flow) or _shown_whole(part), part
    bottom = flow.done_button.mapTo(window, QPoint(0, flow.done_button.height())).y()
    assert bottom <= window.height()
    # the history shows whole in plain text; large text scrolls it, its first entry on top
    timeline = flow.timeline_scroll
    assert flow.timeline.mapTo(timeline.viewport(), QPoint(0, 0)).y() == 0
    assert (timeline.verticalScrollBar().maximum() == 0) != large
    window.resize(1920, 1080)  # turned on its side: the two side by side again, as tall as each other
    qtbot.waitUntil(lambda: not shell.portrait)
    qtbot.waitUntil(lambda: summary.y() == history.y() and summary.height() == history.height())
    assert summary.x() + summary.width() < history.x() and summary.width() > history.width()
    if not large:
        assert summary.verticalScrollBar().maximum() == 0
    window.resize(1080, 1920)  # and stood up again: as tall as its text once more
    qtbot.waitUntil(lambda: shell.portrait)
    qtbot.waitUntil(fitted)


def _towns_in_large_text(qtbot: QtBot, hall: Hall, themed: Themed, size: tuple[int, int], *,
                         contrast: bool = False) -> tuple[RegistrationFlow, QScrollArea]:
    """自助登记's 问题发生地 with 大字 (and 高对比) on the kiosk's window at ``size``, its towns read; the screen's
    scroll area."""
    themed(QApplication.instance())
    _window, shell = _kiosk_window(qtbot, hall, size)
    shell.large_button.setChecked(True)
    shell.contrast_button.setChecked(contrast)
    flow = shell.open_flow("register")
    assert isinstance(flow, RegistrationFlow)
    flow.show_step(1)
    qtbot.waitUntil(lambda: len(flow.where_buttons) > 8)
    page = next(a for a in flow.findChildren(QScrollArea) if a.widget().isAncestorOf(flow.where_grid.parentWidget()))
    return flow, page


@pytest.mark.parametrize("size", [(1080, 1920), (1920, 1080)])
def test_with_large_text_every_town_is_on_the_screen_to_tap(qtbot: QtBot, sqlite_hall: Hall, themed: Themed,
                                                            size: tuple[int, int]) -> None:
    """问题发生地 in 大字 and 高对比: no town pushed off the right edge (a sideways scroll bar under them)."""
    flow, page = _towns_in_large_text(qtbot, sqlite_hall, themed, size, contrast=True)
    *towns, unknown = flow.where_buttons.values()

    def across(button: QPushButton) -> bool:
        """Its whole width on the page (lying down, 大字 rows below the fold scroll up and down)."""
        left = button.mapTo(page.viewport(), QPoint(0, 0)).x()
        return button.isVisible() and left >= 0 and left + button.width() <= page.viewport().width()

    qtbot.waitUntil(lambda: all(across(button) for button in flow.where_buttons.values()))
    assert page.horizontalScrollBar().maximum() == 0
    assert max(b.width() for b in towns) - min(b.width() for b in towns) <= 1  # even columns
    assert unknown.y() > max(button.y() for button in towns)  # 不清楚 on a row of its own, under the towns
    assert min(button.height() for button in flow.where_buttons.values()) >= 57  # a finger's width, 15 mm


@pytest.mark.parametrize("size", [(1920, 1080), (1366, 768)])
def test_no_town_chosen_the_refusal_leaves_the_unknown_button_it_names_whole_in_view(
        qtbot: QtBot, sqlite_hall: Hall, themed: Themed, size: tuple[int, int]) -> None:
    """下一步 with no town chosen says 不清楚的请选“不清楚”: with 大字 the refusal took the screen's height and that
    very button was left cut in half under it."""
    flow, page = _towns_in_large_text(qtbot, sqlite_hall, themed, size)
    *_towns, unknown = flow.where_buttons.values()
    flow.forward()
    assert "不清楚" in flow.message.text()

    def whole() -> bool:
        top = unknown.mapTo(page.viewport(), QPoint(0, 0)).y()
        return top >= 0 and top + unknown.height() <= page.viewport().height()

    qtbot.waitUntil(whole)


@pytest.mark.parametrize("size", [(1080, 1920), (1920, 1080)])
def test_with_large_text_the_case_number_fits_its_field(qtbot: QtBot, sqlite_hall: Hall, themed: Themed,
                                                        size: tuple[int, int]) -> None:
    """查询进度 in 大字: the example in the empty field and a case number typed show whole (standing up, the
    field 4/5 of the screen wide cut them off)."""
    from PySide6.QtGui import QFontMetrics

    themed(QApplication.instance())
    _window, shell = _kiosk_window(qtbot, sqlite_hall, size)
    shell.large_button.setChecked(True)
    shell.contrast_button.setChecked(True)
    flow = shell.open_flow("progress")
    assert isinstance(flow, ProgressFlow)
    field = flow.number
    qtbot.waitUntil(field.isVisible)

    def fits(text: str) -> bool:
        room = field.width() - 2 * 24  # the field's padding and frame in the kiosk's style, generously
        return QFontMetrics(field.font()).horizontalAdvance(text) <= room

    qtbot.waitUntil(lambda: fits(field.placeholderText()))
    assert fits("XF-20261205-K01-00014-E")


def test_standing_up_no_flow_puts_a_button_or_a_field_at_the_screens_edge(qtbot: QtBot, sqlite_hall: Hall,
                                                                         themed: Themed) -> None:
    """A touch screen's bezel hides its edge: every flow keeps its buttons and fields 40 px in from it (the
    booking's went from edge to edge, its captions 17 px from it)."""
    from PySide6.QtWidgets import QAbstractButton

    from ui.shell.tasks import TaskGroup

    themed(QApplication.instance())
    _window, shell = _kiosk_window(qtbot, sqlite_hall, (1080, 1920))
    shell.large_button.setChecked(True)
    for key in shell.tile_buttons:
        flow = shell.open_flow(key)
        assert flow is not None
        qtbot.waitUntil(lambda flow=flow: not any(group.busy for group in flow.findChildren(TaskGroup)))
        parts = [w for w in [*flow.findChildren(QAbstractButton), *flow.findChildren(QLineEdit)] if w.isVisible()]
        assert parts, key
        for part in parts:
            left = part.mapTo(shell, QPoint(0, 0)).x()
            assert left >= 40 and left + part.width() <= shell.width() - 40, (key, part)
        shell.wipe()
        shell.large_button.setChecked(True)


def test_lying_down_in_normal_text_not_sure_takes_the_free_cell_and_every_town_shows_unscrolled(
        qtbot: QtBot, sqlite_hall: Hall, themed: Themed) -> None:
    themed(QApplication.instance())
    _window, shell = _kiosk_window(qtbot, sqlite_hall)
    flow = shell.open_flow("register")
    assert isinstance(flow, RegistrationFlow)
    flow.show_step(1)
    qtbot.waitUntil(lambda: len(flow.where_buttons) > 8)
    *towns, unknown = flow.where_buttons.values()
    qtbot.waitUntil(lambda: unknown.y() == towns[-1].y() and unknown.x() > towns[-1].x())  # beside the last town
    page = next(a for a in flow.findChildren(QScrollArea) if a.widget().isAncestorOf(unknown))
    qtbot.waitUntil(lambda: page.verticalScrollBar().maximum() == 0 and _shown_whole(unknown))
    shell.large_button.setChecked(True)  # its words no longer fit the cell: a row of its own
    qtbot.waitUntil(lambda: unknown.y() > towns[-1].y())
    assert max(b.width() for b in towns) - min(b.width() for b in towns) <= 1


def test_a_complaint_goes_as_soon_as_the_citizen_corrects_the_field(qtbot: QtBot, shell: KioskShell) -> None:
    flow = shell.open_flow("register")
    assert isinstance(flow, RegistrationFlow)
    qtbot.waitUntil(lambda: flow.name.isVisible())
    flow.name.setText("王秀英")
    flow.id_number.setText("33072619550312")  # half typed
    flow.forward()
    assert flow.step == 0 and flow.message.isVisibleTo(flow) and "身份证" in flow.message.text()
    height = flow.message.height()
    qtbot.keyClicks(flow.id_number, "1")  # the citizen sets about correcting it
    # the complaint's words go; its room stays (the screen does not move under the finger) until the next word
    assert flow.message.text() == "" and flow.message.property("tone") == ""
    assert flow.message.minimumHeight() == height
    flow.show_step(2)  # 诉求
    flow.forward()
    assert flow.step == 2 and flow.message.isVisibleTo(flow) and "请写下" in flow.message.text()
    assert flow.message.minimumHeight() == 0  # the new complaint takes its own height
    qtbot.keyClicks(flow.request, "a")
    assert flow.message.text() == ""
    flow.back()  # another screen: the room goes too
    assert not flow.message.isVisibleTo(flow)


def test_while_the_keyboard_is_up_the_title_strip_and_the_screens_title_give_the_field_their_room(
        qtbot: QtBot, sqlite_hall: Hall) -> None:
    from ui.common.widgets import Header

    window, body = _kiosk_window(qtbot, sqlite_hall)
    (strip,) = window.findChildren(Header)
    flow = body.open_flow("register")
    assert isinstance(flow, RegistrationFlow)
    qtbot.waitUntil(lambda: flow.name.isVisible())
    flow.name.setFocus()
    room = flow.name.mapTo(window, QPoint(0, 0)).y()
    _keyboard_up(body)
    qtbot.waitUntil(lambda: not strip.isVisible() and not flow.step_title.isVisible())
    assert body.home_button.isVisible() and body.heading.isVisible()  # 返回首页 and the flow's name stay
    qtbot.waitUntil(lambda: flow.name.mapTo(window, QPoint(0, 0)).y() < room - 100)  # up into the room made
    space = body.keyboard_space
    space.layout.setContentsMargins(space.base)  # the keyboard goes
    space.changed.emit()
    assert strip.isVisible() and flow.step_title.isVisible()


def test_high_contrast_turns_the_windows_title_strip_black_too(qtbot: QtBot, sqlite_hall: Hall) -> None:
    from PySide6.QtGui import QColor

    from ui.common.widgets import Header

    window, body = _kiosk_window(qtbot, sqlite_hall)
    (strip,) = window.findChildren(Header)

    def corner() -> QColor:
        return strip.grab().toImage().pixelColor(2, 2)

    normal = corner()
    assert normal != QColor("#000000")
    body.contrast_button.click()
    assert corner() == QColor("#000000")
    body.contrast_button.click()
    assert corner() == normal


def _ink(widget: QWidget, part: QWidget) -> int:
    """How many pixels of ``part`` (a child of ``widget``) differ clearly from the background around it."""
    image = widget.grab(part.geometry()).toImage()
    ground = image.pixelColor(0, 0).lightnessF()
    return sum(1 for y in range(image.height()) for x in range(image.width())
               if abs(image.pixelColor(x, y).lightnessF() - ground) > 0.5)


@pytest.mark.parametrize("large", [False, True])
@pytest.mark.parametrize("contrast", [False, True])
def test_the_home_tiles_titles_stay_bold_in_every_mode(qtbot: QtBot, sqlite_hall: Hall, themed: Themed,
                                                       large: bool, contrast: bool) -> None:
    themed(QApplication.instance())
    _window, shell = _kiosk_window(qtbot, sqlite_hall)
    qtbot.waitUntil(lambda: shell.filtering)  # a moment after the first frame
    shell.large_button.setChecked(large)
    shell.contrast_button.setChecked(contrast)
    tile = shell.tile_buttons["register"]
    title = tile.findChild(QLabel, "tileTitle")
    assert title is not None
    size = title.font().pixelSize()
    bold = _ink(tile, title)
    title.setStyleSheet("font-weight: 400")  # the same title, regular, as a yardstick
    assert title.font().pixelSize() == size
    regular = _ink(tile, title)
    assert bold > 1.25 * regular > 0  # FreeType's bold of this font draws about 1.5 times the ink


@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920)])
@pytest.mark.parametrize("large", [False, True])
@pytest.mark.parametrize("keyboard", [KEYBOARD, TALLEST, LARGEST])
def test_with_the_keyboard_up_the_field_what_it_asks_for_and_next_stay_in_view(
        qtbot: QtBot, sqlite_hall: Hall, themed: Themed, size: tuple[int, int], large: bool, keyboard: int) -> None:
    """The screen's own scrolling panel keeps room for the field typed in and its caption (it shrank to a
    sliver of ~130 px beside 下一步). Lying down, with 大字's row of candidates, some 240 px are left above the
    keyboard: the flow's buttons stand beside the panel, and the field's caption is not cut off by the bar."""
    themed(QApplication.instance())
    window, shell = _kiosk_window(qtbot, sqlite_hall, size)
    keyboard = round(keyboard * size[0] / 1920)  # Qt's keyboard is as tall as the screen is wide
    shell.large_button.setChecked(large)
    flow = shell.open_flow("register")
    assert isinstance(flow, RegistrationFlow)
    qtbot.waitUntil(lambda: flow.name.isVisible())
    captions = {label.text(): label for label in flow.findChildren(QLabel)}
    # the longest words of a length count (past the limit, 请删去N字) at the right of the question and the caption
    flow.request.setPlainText("诉" * 5123)
    flow.reasons.setPlainText("理" * 5123)
    for step, field, caption, count in (
            (0, flow.name, captions["姓名"], None),
            (0, flow.id_number, captions["身份证号码"], None),
            (0, flow.phone, captions["手机号码（方便联系您，可不填）"], None),
            (2, flow.request, captions["您希望解决什么问题？请简要写下您的请求"], flow.request_count),
            (3, flow.reasons, captions["理由"], flow.reasons_count)):  # a text box: a line of it at least
        assert count is None or "请删去123字" in count.text()
        flow.show_step(step)
        qtbot.waitUntil(field.isVisible)
        field.setFocus()
        qtbot.waitUntil(field.hasFocus)
        _keyboard_up(shell, keyboard)

        def seen(widget: QWidget) -> bool:
            """Wholly in the window between the kiosk's bar and the keyboard, and not cut off by a scrolling
            area."""
            top = widget.mapTo(window, QPoint(0, 0)).y()
            bar = shell.bar.mapTo(window, QPoint(0, shell.bar.height())).y()
            shown = widget.visibleRegion().boundingRect().height() == widget.height()
            return bar <= top and top + widget.height() <= window.height() - keyboard and shown

        qtbot.waitUntil(lambda field=field, caption=caption, count=count: seen(field) and seen(caption)
                        and seen(flow.next_button) and (count is None or seen(count)))
        # the count's longest words break between their phrases where the row is narrow: nothing scrolls sideways
        assert all(area.horizontalScrollBar().maximum() == 0 for area in window.findChildren(QScrollArea)
                   if area.isVisible())
        assert shell.heading.text() == "自助登记"
        space = shell.keyboard_space
        space.layout.setContentsMargins(space.base)  # the keyboard goes
        space.changed.emit()
        assert shell.heading.text() == "自助登记"
    assert flow.step_title.isVisible() and flow.step_count.isVisible()  # back with the keyboard gone
    qtbot.waitUntil(lambda: flow.next_button.y() > flow.pages.y() + flow.pages.height())  # 下一步 under them again


def test_the_room_kept_for_the_keyboards_row_is_drawn_in_the_keyboards_colour(qtbot: QtBot, shell: KioskShell) -> None:
    """Over a pad of digits Qt's keyboard shows no row of candidates, and the room the page keeps for it (so that
    nothing moves when the row comes) showed the page's colour between the page and the keys: a light band."""
    from ui.kiosk.keyboard import KEYBOARD_COLOUR

    flow = shell.open_flow("register")
    assert isinstance(flow, RegistrationFlow)
    qtbot.waitUntil(flow.id_number.isVisible)
    flow.id_number.setFocus()
    qtbot.waitUntil(flow.id_number.hasFocus)
    _keyboard_up(shell, TALLEST)
    bottom = QPoint(shell.width() // 2, shell.height() - 1)
    qtbot.waitUntil(lambda: shell.grab().toImage().pixelColor(bottom).name() == KEYBOARD_COLOUR)
    top = QPoint(shell.width() // 2, shell.height() - TALLEST - 2)  # the page's own just above it
    assert shell.grab().toImage().pixelColor(top).name() != KEYBOARD_COLOUR
    space = shell.keyboard_space
    space.layout.setContentsMargins(space.base)  # the keyboard goes, and the strip with it
    space.changed.emit()
    qtbot.waitUntil(lambda: shell.grab().toImage().pixelColor(bottom).name() != KEYBOARD_COLOUR)


@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920)])
@pytest.mark.parametrize("large", [False, True])
def test_with_the_keyboard_up_the_rating_shows_its_question_choices_and_three_lines(
        qtbot: QtBot, sqlite_hall: Hall, clerk: Actor, themed: Themed, size: tuple[int, int], large: bool) -> None:
    """评价 with the keyboard up on the reason (its row of candidates, 大字's the tallest): the question, the three
    choices and the reason's box of at least three lines all between the bar and the keyboard. Lying down with
    大字 the question had given its room (hidden while typing) and the box showed two lines."""
    themed(QApplication.instance())
    number, code = _concluded(sqlite_hall, clerk)
    window, shell = _kiosk_window(qtbot, sqlite_hall, size)
    keyboard = round(LARGEST * size[0] / 1920)  # Qt's keyboard is as tall as the screen is wide
    shell.large_button.setChecked(large)
    flow = shell.open_flow("progress")
    assert isinstance(flow, ProgressFlow)
    flow.number.setText(number)
    flow.code.setText(code)
    with qtbot.waitSignal(flow.tasks.settled):
        qtbot.mouseClick(flow.submit, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(flow.rate_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(flow.reason.isVisible)
    flow.reason.setFocus()
    qtbot.waitUntil(flow.reason.hasFocus)
    _keyboard_up(shell, keyboard)

    def seen(widget: QWidget) -> bool:
        top = widget.mapTo(window, QPoint(0, 0)).y()
        bar = shell.bar.mapTo(window, QPoint(0, shell.bar.height())).y()
        shown = widget.isVisible() and widget.visibleRegion().boundingRect().height() == widget.height()
        return bar <= top and top + widget.height() <= window.height() - keyboard and shown

    def lines() -> float:
        return flow.reason.viewport().height() / flow.reason.fontMetrics().lineSpacing()

    qtbot.waitUntil(lambda: seen(flow.question) and all(seen(b) for b in flow.choice_buttons.values())
                    and seen(flow.reason_caption) and seen(flow.reason) and seen(flow.send_rating) and lines() >= 3)
    space = shell.keyboard_space
    space.layout.setContentsMargins(space.base)  # the keyboard goes: the question back above the choices
    space.changed.emit()
    qtbot.waitUntil(lambda: seen(flow.question) and flow.question.y() < flow.choice_buttons["满意"].y())


def test_large_text_enlarges_the_booking_of_a_reception_day_too(qtbot: QtBot, sqlite_hall: Hall,
                                                                themed: Themed) -> None:
    from PySide6.QtGui import QFontInfo

    from ui.kiosk.booking import BookingFlow

    themed(QApplication.instance())
    _window, shell = _kiosk_window(qtbot, sqlite_hall)
    flow = shell.open_flow("booking")
    assert isinstance(flow, BookingFlow)
    title = flow.day_page.findChild(QLabel, "title")
    assert title is not None

    def sizes() -> tuple[int, int, int]:
        return (QFontInfo(title.font()).pixelSize(), QFontInfo(flow.name.font()).pixelSize(),
                QFontInfo(flow.confirm.font()).pixelSize())

    normal = sizes()
    qtbot.mouseClick(shell.large_button, Qt.MouseButton.LeftButton)
    large = sizes()
    assert all(big >= 1.4 * small for big, small in zip(large, normal, strict=True)), (normal, large)


@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920)])
def test_a_scroll_bar_is_wide_enough_to_tap(qtbot: QtBot, sqlite_hall: Hall, themed: Themed,
                                            size: tuple[int, int]) -> None:
    """Its arrows are tapped by a finger: at least 15 mm (54 px on a 24-inch 1080p screen), as every target."""
    from PySide6.QtWidgets import QScrollBar

    themed(QApplication.instance())
    _window, shell = _kiosk_window(qtbot, sqlite_hall, size)
    flow = shell.open_flow("register")
    assert isinstance(flow, RegistrationFlow)
    flow.show_step(6)  # 告知: the rights, duties and prohibitions scroll
    qtbot.waitUntil(lambda: any(bar.isVisible() for bar in flow.findChildren(QScrollBar)))
    bars = [bar for bar in flow.findChildren(QScrollBar) if bar.isVisible()]
    assert all(bar.width() >= 54 for bar in bars), [bar.width() for bar in bars]


def test_the_booking_form_keeps_the_field_and_its_confirmation_in_view_with_the_keyboard_up(
        qtbot: QtBot, sqlite_hall: Hall, themed: Themed) -> None:
    from ui.kiosk.booking import BookingFlow

    themed(QApplication.instance())
    _window, shell = _kiosk_window(qtbot, sqlite_hall)
    flow = shell.open_flow("booking")
    assert isinstance(flow, BookingFlow)
    flow.pages.setCurrentWidget(flow.who_page)
    flow.phone.setFocus()
    qtbot.waitUntil(flow.phone.hasFocus)
    _keyboard_up(shell, TALLEST)

    def seen(widget: QWidget) -> bool:
        top = widget.mapTo(shell, QPoint(0, 0)).y()
        shown = widget.visibleRegion().boundingRect().height() == widget.height()
        return shell.bar.height() <= top and _above_keyboard(shell, widget, TALLEST) and shown

    qtbot.waitUntil(lambda: seen(flow.phone) and seen(flow.confirm))


def test_letters_in_an_id_or_case_number_go_in_as_letters_not_pinyin(qtbot: QtBot, shell: KioskShell) -> None:
    """The pinyin keyboard starts a syllable with a letter (X offers 下, 想, 小 …) even in a field of Latin letters
    and digits; there the letter goes in as it is."""
    from PySide6.QtGui import QInputMethodEvent

    flow = shell.open_flow("register")
    assert isinstance(flow, RegistrationFlow)
    flow.id_number.setFocus()
    flow.id_number.setText("33072619550312002")
    QApplication.sendEvent(flow.id_number, QInputMethodEvent("X", []))  # the keyboard's X, as a syllable begun
    qtbot.waitUntil(lambda: flow.id_number.text() == "33072619550312002X")
    shell.go_home()
    progress = shell.open_flow("progress")
    assert isinstance(progress, ProgressFlow)
    progress.number.setFocus()
    for letter in "xf":
        QApplication.sendEvent(progress.number, QInputMethodEvent(letter, []))
    qtbot.waitUntil(lambda: progress.number.text() == "xf")


@pytest.mark.parametrize("tile", ["register", "booking"])
def test_an_id_number_opens_the_keyboards_digits_pad_and_its_x_is_a_tap_beside_the_field(
        qtbot: QtBot, sqlite_hall: Hall, tile: str) -> None:
    """Qt's keyboard opens a field that prefers numbers on its symbols page (1/3: @ # % & …); a field of digits
    only on its pad of big digits, which has no X: the X is a key beside the field that leaves the focus there."""
    _window, shell = _kiosk_window(qtbot, sqlite_hall)
    qtbot.waitUntil(lambda: shell.filtering)  # the kiosk's own handling of taps, a moment after the first frame
    flow = shell.open_flow(tile)
    field = getattr(flow, "id_number", None)
    assert isinstance(field, QLineEdit)
    hints = field.inputMethodHints()
    assert hints & Qt.InputMethodHint.ImhDigitsOnly and not hints & Qt.InputMethodHint.ImhPreferNumbers
    assert not hints & Qt.InputMethodHint.ImhDialableCharactersOnly  # the pad with * and #, for phones
    key = next(b for b in flow.findChildren(QPushButton) if b.text() == "输入X")  # type: ignore[union-attr]
    if tile == "booking":
        flow.pages.setCurrentWidget(flow.who_page)  # type: ignore[union-attr]
    field.setFocus()
    qtbot.waitUntil(field.hasFocus)
    field.setText("33072619550312002")
    qtbot.waitUntil(key.isVisible)
    assert key.height() >= 96 and key.width() >= 96  # a finger's target
    _tap(qtbot, key)
    assert field.text() == "33072619550312002X"
    assert field.hasFocus(), QApplication.focusWidget()  # the keyboard stays on the field


@pytest.mark.parametrize("contrast", [False, True])
def test_a_scroll_bars_thumb_is_plain_to_see(qtbot: QtBot, sqlite_hall: Hall, themed: Themed, contrast: bool) -> None:
    """A thumb a finger drags, in a colour that stands out from the page (its arrows were dark on black)."""
    from PySide6.QtWidgets import QScrollBar

    themed(QApplication.instance())
    _window, shell = _kiosk_window(qtbot, sqlite_hall)
    shell.contrast_button.setChecked(contrast)
    flow = shell.open_flow("register")
    assert isinstance(flow, RegistrationFlow)
    flow.show_step(6)  # 告知: the rights, duties and prohibitions scroll
    qtbot.waitUntil(lambda: any(bar.isVisible() for bar in flow.findChildren(QScrollBar)))
    bar = next(bar for bar in flow.findChildren(QScrollBar) if bar.isVisible())
    image = bar.grab().toImage()
    page = image.pixelColor(image.width() // 2, image.height() - 6).lightnessF()  # the groove, at the bottom
    thumb = image.pixelColor(image.width() // 2, 30).lightnessF()  # the thumb, at the top
    assert abs(thumb - page) > 0.3, (thumb, page)





def _finger(widget: QWidget, moves: list[QPoint], screen: QWidget) -> None:
    """A finger put down on ``widget``'s middle, moved by each of ``moves`` in turn, and lifted.

    The moves are where the finger is over ``screen`` (a widget that stays put), not over the page
    that moves under it; like the window system, they go to the widget the finger was put down on.
    """
    QTest.mousePress(widget, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, widget.rect().center())
    at = widget.mapTo(screen, widget.rect().center())
    for move in moves:
        at += move
        QTest.mouseMove(widget, widget.mapFrom(screen, at), 10)
    QTest.mouseRelease(widget, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                       widget.mapFrom(screen, at), 10)


def test_a_page_too_long_for_the_screen_moves_with_the_finger_and_a_tap_stays_a_tap(
        qtbot: QtBot, shell: KioskShell) -> None:
    from ui.kiosk.touch import drag_distance_px, scroll_area_under

    shell.resize(1366, 768)  # a smaller screen than the kiosk's own
    shell.large_button.click()  # 大字
    flow = shell.open_flow("register")
    assert isinstance(flow, RegistrationFlow)
    flow.name.setFocus()
    # the keyboard with its candidates takes the lower part (as tall as the screen is wide): the screen scrolls
    # by itself under the page's title, beside its buttons
    _keyboard_up(shell, round(TALLEST * 1366 / 1920))
    area = flow.pages.currentWidget()
    assert isinstance(area, QScrollArea)
    step = drag_distance_px() // 2 + 1
    qtbot.waitUntil(lambda: area.verticalScrollBar().maximum() > 2 * step + 30)
    bar = area.verticalScrollBar()
    page = area.widget()
    button = next(b for b in page.findChildren(QPushButton) if b.isVisibleTo(page) and b.isEnabled())
    # the button in the middle of the view, the page with room to follow the finger down
    bar.setValue(button.mapTo(page, QPoint(0, 0)).y() + (button.height() - area.viewport().height()) // 2)
    start = bar.value()
    assert start >= 2 * step + 30 and scroll_area_under(button, shell) is area
    pressed: list[bool] = []
    button.clicked.connect(lambda: pressed.append(True))

    _finger(button, [QPoint(0, step)] * 2 + [QPoint(0, 10)] * 3, shell)  # down: the page follows, 30 px past the start
    assert bar.value() == start - 2 * step - 30
    assert not pressed and not button.isDown()  # a drag that starts on a button does not press it
    _finger(button, [QPoint(0, 2)] * 3, shell)  # a shaky tap
    assert pressed == [True] and bar.value() == start - 2 * step - 30  # is a tap, and moves nothing
    _finger(button, [QPoint(0, -step)] * 2 + [QPoint(0, -500)], shell)  # up, far: the page stops at its end
    assert bar.value() == bar.maximum() and pressed == [True]


def test_pinyin_left_half_typed_is_dropped_when_the_citizen_taps_on(
        qtbot: QtBot, shell: KioskShell, monkeypatch: pytest.MonkeyPatch) -> None:
    """“ling” typed and no character chosen, then 下一步: the keyboard must not put its first candidate
    (另) into the name as the focus moves on; the half-typed letters are dropped and the page says what is missing."""
    from PySide6.QtGui import QGuiApplication, QInputMethod, QInputMethodEvent

    flow = shell.open_flow("register")
    assert isinstance(flow, RegistrationFlow)
    resets: list[bool] = []
    monkeypatch.setattr(QInputMethod, "reset", lambda _self: resets.append(True))
    flow.name.setFocus()
    QApplication.sendEvent(flow.name, QInputMethodEvent("ling", []))  # letters shown under the cursor
    qtbot.mouseClick(flow.name, Qt.MouseButton.LeftButton)  # a tap in the field itself keeps them
    assert not resets and QGuiApplication.inputMethod() is not None
    next_button = next(b for b in flow.findChildren(QPushButton) if b.text().startswith("下一步"))
    qtbot.mouseClick(next_button, Qt.MouseButton.LeftButton)
    assert resets == [True]  # the keyboard forgets the syllable before the focus moves
    assert flow.name.text() == "" and "姓名" in flow.message.text() and flow.step == 0

    QApplication.sendEvent(flow.name, QInputMethodEvent("", []))  # a character chosen: nothing half-typed
    commit = QInputMethodEvent()
    commit.setCommitString("玲")
    QApplication.sendEvent(flow.name, commit)
    qtbot.mouseClick(next_button, Qt.MouseButton.LeftButton)
    assert resets == [True] and flow.name.text() == "玲"  # nothing to drop


def test_a_long_text_is_cleared_in_one_tap_and_can_be_had_back_until_written_again(
        qtbot: QtBot, sqlite_hall: Hall, themed: Themed) -> None:
    """The on-screen keyboard deletes a character a tap: 2,000 characters a scanner typed into 诉求, or a text an
    elderly citizen has muddled, would take 2,000 taps. 清空重写 empties the box, 恢复刚才写的 brings it back
    until the citizen writes again; after the idle wipe nothing of it can be undone back."""
    from ui.kiosk.screens import StartOver

    themed(QApplication.instance())
    _window, shell = _kiosk_window(qtbot, sqlite_hall)
    flow = shell.open_flow("register")
    assert isinstance(flow, RegistrationFlow)
    flow.show_step(2)
    button = next(b for b in flow.findChildren(StartOver) if b.box is flow.request)
    qtbot.waitUntil(lambda: button.isVisible())
    assert not button.isEnabled()  # nothing written: nothing to clear
    scanned = "扫描枪输入的内容" * 250
    flow.request.setPlainText(scanned)
    assert button.isEnabled() and button.text() == "清空重写"
    _tap(qtbot, button)
    assert flow.request.toPlainText() == "" and button.text() == "恢复刚才写的" and button.isEnabled()
    _tap(qtbot, button)
    assert flow.request.toPlainText() == scanned and button.text() == "清空重写"
    _tap(qtbot, button)
    flow.request.insertPlainText("村口道路塌陷")  # written again: the old text is no longer offered
    assert button.text() == "清空重写"
    _tap(qtbot, button)
    shell.wipe()
    assert flow.request.document().isEmpty() and not flow.request.document().isUndoAvailable()


@pytest.mark.parametrize("flow_name", ["register", "suggest", "progress"])
def test_tab_from_a_long_text_box_passes_over_its_start_over_button(
        qtbot: QtBot, sqlite_hall: Hall, themed: Themed, flow_name: str) -> None:
    """清空重写 is for a finger: Tab from its box reached it, and a Space there emptied the box, which a keyboard's
    user does not expect of Tab and Space. Tab (and Shift+Tab back) passes it over; a tap still empties the box."""
    from ui.kiosk.screens import StartOver

    themed(QApplication.instance())
    _window, shell = _kiosk_window(qtbot, sqlite_hall)
    flow = shell.open_flow(flow_name)
    assert flow is not None
    buttons = flow.findChildren(StartOver)
    assert buttons
    for button in buttons:
        box = button.box
        # the box's screen shown: each flow's own way there
        stack = next(w for w in _parents(box) if isinstance(w, QStackedWidget) and w.indexOf(_child_of(w, box)) >= 0)
        stack.setCurrentWidget(_child_of(stack, box))
        qtbot.waitUntil(button.isVisible)
        written = "村口道路塌陷，已经三个月没有修"
        box.setPlainText(written)
        assert button.isEnabled()
        box.setFocus(Qt.FocusReason.OtherFocusReason)
        qtbot.waitUntil(box.hasFocus)
        for step in range(6):  # on round the screen's chain: the button is never reached
            focused = QApplication.focusWidget()
            assert focused is not None
            QTest.keyClick(focused, Qt.Key.Key_Tab)
            assert not isinstance(QApplication.focusWidget(), StartOver), f"Tab {step + 1} reached 清空重写"
            if step == 0:
                landed = QApplication.focusWidget()
                assert landed is not None
                QTest.keyClick(landed, Qt.Key.Key_Space)
                assert box.toPlainText().startswith(written), "a Space after Tab emptied the box"
                stack.setCurrentWidget(_child_of(stack, box))  # a Space on 下一步 may have moved on
                box.setFocus(Qt.FocusReason.OtherFocusReason)
                qtbot.waitUntil(box.hasFocus)
        box.setFocus(Qt.FocusReason.OtherFocusReason)
        qtbot.waitUntil(box.hasFocus)
        QTest.keyClick(box, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
        assert not isinstance(QApplication.focusWidget(), StartOver)
        box.setPlainText(written)
        _tap(qtbot, button)  # a finger still empties it
        assert box.toPlainText() == "" and button.text() == StartOver.RESTORE


def _parents(widget: QWidget) -> list[QWidget]:
    chain: list[QWidget] = []
    parent = widget.parentWidget()
    while parent is not None:
        chain.append(parent)
        parent = parent.parentWidget()
    return chain


def _child_of(ancestor: QWidget, widget: QWidget) -> QWidget:
    """The child of ``ancestor`` that holds ``widget``."""
    child = widget
    while child.parentWidget() is not None and child.parentWidget() is not ancestor:
        child = child.parentWidget()  # type: ignore[assignment]
    return child


@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920)])
def test_facts_and_reasons_fit_the_kiosks_screen_without_scrolling(qtbot: QtBot, sqlite_hall: Hall, themed: Themed,
                                                                   size: tuple[int, int]) -> None:
    """Its two boxes asked the screen's scroll area for their preferred height each: at 1920×1080 the 理由 box
    began below the screen's edge and the citizen had to scroll to find it."""
    themed(QApplication.instance())
    _window, shell = _kiosk_window(qtbot, sqlite_hall, size)
    flow = shell.open_flow("register")
    assert isinstance(flow, RegistrationFlow)
    flow.show_step(3)
    area = next(a for a in flow.findChildren(QScrollArea) if a.widget().isAncestorOf(flow.reasons))
    qtbot.waitUntil(lambda: flow.reasons.isVisible() and area.widget().height() == area.viewport().height())
    assert area.verticalScrollBar().maximum() == 0
    assert _shown_whole(flow.reasons) and flow.reasons.height() >= 100


def test_a_text_boxs_example_steps_aside_while_pinyin_is_typed_into_it(qtbot: QtBot, shell: KioskShell) -> None:
    """An empty 诉求 box drew its example (例如：小区电梯停运…) under the letters being composed ("dian t"): both
    unreadable. The example goes while letters are composed and comes back if they are dropped."""
    from PySide6.QtGui import QInputMethodEvent

    flow = shell.open_flow("register")
    assert isinstance(flow, RegistrationFlow)
    flow.show_step(2)
    example = flow.request.placeholderText()
    assert example.startswith("例如")
    flow.request.setFocus()
    QApplication.sendEvent(flow.request, QInputMethodEvent("dian t", []))
    assert flow.request.placeholderText() == "" and flow.request.toPlainText() == ""
    QApplication.sendEvent(flow.request, QInputMethodEvent("", []))  # the letters deleted again: box empty
    assert flow.request.placeholderText() == example
    QApplication.sendEvent(flow.request, QInputMethodEvent("dianti", []))
    chosen = QInputMethodEvent()
    chosen.setCommitString("电梯")
    QApplication.sendEvent(flow.request, chosen)
    assert flow.request.toPlainText() == "电梯" and flow.request.placeholderText() == example


@pytest.mark.parametrize("contrast", [False, True])
def test_an_empty_boxs_start_over_looks_untappable(qtbot: QtBot, sqlite_hall: Hall, themed: Themed,
                                                   contrast: bool) -> None:
    """清空重写 beside an empty box cannot be tapped: it was drawn exactly as when it can (the secondary style
    outranked the disabled one), and an elderly citizen tapped it and nothing happened."""
    from ui.kiosk.screens import StartOver

    themed(QApplication.instance())
    _window, shell = _kiosk_window(qtbot, sqlite_hall)
    shell.contrast_button.setChecked(contrast)
    flow = shell.open_flow("register")
    assert isinstance(flow, RegistrationFlow)
    flow.show_step(3)
    button = next(b for b in flow.findChildren(StartOver) if b.box is flow.facts)
    qtbot.waitUntil(lambda: button.isVisible())
    assert not button.isEnabled()
    empty = button.grab().toImage()
    flow.facts.setPlainText("去年三月起")
    assert button.isEnabled()
    written = button.grab().toImage()
    accent = written.pixelColor(written.width() // 2, 1)  # the edge, in the accent when it can be tapped
    assert empty.pixelColor(empty.width() // 2, 1) != accent
