"""预约领导接访 and 查询进度 at the kiosk: what the citizen needs stays on the screen, the keyboard up or down."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QScrollArea, QScrollBar, QWidget
from pytestqt.qtbot import QtBot

from desktop.services import reception
from desktop.services.context import Actor, Hall
from tests.helpers import valid_id
from tests.ui.line_breaks import broken_words
from tests.ui.test_kiosk_citizen import KEYBOARD, LARGEST, TALLEST, Themed, _keyboard_up, _kiosk_window, themed
from ui.kiosk.booking import BookingFlow, button_words
from ui.kiosk.progress import ProgressFlow
from ui.kiosk.shell import KioskShell
from ui.kiosk.suggest import SuggestionFlow

__all__ = ["themed"]  # the fixture, used here by its name

SUPERVISOR = Actor("staff:ducha1", "督查", "supervisor")
SIZES = [(1920, 1080), (1080, 1920)]


def _days(hall: Hall, count: int = 6) -> None:
    """``count`` reception days ahead (six: the longest list the kiosk offers), four slots each."""
    for day in (17, 18, 21, 22, 23, 24)[:count]:
        reception.add_day(hall, SUPERVISOR, date(2026, 9, day), leaders=["县长 周建华", "副县长 李明"])


def _in_window(window: QWidget, shell: KioskShell, widget: QWidget, keyboard: int = 0) -> bool:
    """Wholly shown between the kiosk's bar and the bottom of the window (or the keyboard's top), not cut off by a
    scrolling area."""
    top = widget.mapTo(window, QPoint(0, 0)).y()
    bar = shell.bar.mapTo(window, QPoint(0, shell.bar.height())).y()
    shown = widget.visibleRegion().boundingRect().height() == widget.height() > 0
    return widget.isVisible() and bar <= top and top + widget.height() <= window.height() - keyboard and shown


def _bars(root: QWidget) -> list[QScrollBar]:
    """The vertical scroll bars a citizen sees under ``root`` (the kiosk's own included)."""
    return [bar for area in root.findChildren(QScrollArea) if (bar := area.verticalScrollBar()).isVisible()
            and bar.visibleRegion().boundingRect().height() > 0]


def _open_booking(qtbot: QtBot, hall: Hall, size: tuple[int, int], large: bool) -> tuple[QWidget, KioskShell,
                                                                                         BookingFlow]:
    themed_window, shell = _kiosk_window(qtbot, hall, size)
    qtbot.waitUntil(lambda: shell.filtering)  # as a citizen finds it: its taps watched since just after the first frame
    shell.large_button.setChecked(large)
    flow = shell.open_flow("booking")
    assert isinstance(flow, BookingFlow)
    qtbot.waitUntil(lambda: len(flow.days) > 0 and not flow.tasks.busy)
    return themed_window, shell, flow


def _back(flow: BookingFlow) -> QPushButton:
    """The 返回 of the screen shown."""
    return next(b for b in flow.findChildren(QPushButton) if b.text() == "返回" and b.isVisible())


def _click(qtbot: QtBot, button: QPushButton) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("large", [False, True])
def test_each_booking_screen_keeps_its_buttons_on_the_screen_without_scrolling(
        qtbot: QtBot, sqlite_hall: Hall, themed: Themed, size: tuple[int, int], large: bool) -> None:
    """The longest list of days made every screen of the flow as tall: the form opened scrolled down (its date
    cut off at the top, 确认预约 a sliver at the bottom), and the slots' 返回 and 完成 were below the screen."""
    themed(QApplication.instance())
    _days(sqlite_hall)
    window, shell, flow = _open_booking(qtbot, sqlite_hall, size, large)
    outer = shell.flow_scroll.verticalScrollBar()

    def back_seen() -> bool:
        return _in_window(window, shell, _back(flow)) and outer.maximum() == 0

    qtbot.waitUntil(back_seen)  # the days: their list may scroll by itself, 返回 stays
    _click(qtbot, flow.day_buttons.itemAt(5).widget())  # type: ignore[arg-type]
    qtbot.waitUntil(lambda: back_seen() and _in_window(window, shell, flow.slot_hint))
    _click(qtbot, flow.slot_buttons.itemAt(0).widget())  # type: ignore[arg-type]
    qtbot.waitUntil(flow.name.hasFocus)
    chosen_and_fields = (flow.chosen, flow.name, flow.summary, flow.confirm, _back(flow))
    qtbot.waitUntil(lambda: all(_in_window(window, shell, w) for w in chosen_and_fields) and outer.maximum() == 0)
    assert not _bars(shell), "the form scrolls with room to spare"
    flow.name.setText("欧阳建华")
    flow.id_number.setText(valid_id(seq=11))
    with qtbot.waitSignal(flow.booked, timeout=10_000):
        _click(qtbot, flow.confirm)
    qtbot.waitUntil(lambda: _in_window(window, shell, flow.done_button) and _in_window(window, shell, flow.outcome))
    assert outer.maximum() == 0 and not _bars(shell)
    qtbot.waitUntil(lambda: not flow.tasks.busy, timeout=10_000)


def _words_within(button: QWidget) -> bool:
    """Each line of a button's words inside the button, as tall as its wrapped text needs, and the button whole."""
    for said in button.findChildren(QLabel):
        if not button.rect().contains(QRect(said.mapTo(button, QPoint(0, 0)), said.size())):
            return False
        if said.height() < said.heightForWidth(said.width()):
            return False
    return button.visibleRegion().boundingRect().width() == button.width()


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("large", [False, True])
def test_the_days_words_wrap_within_the_screen_which_never_scrolls_sideways(
        qtbot: QtBot, sqlite_hall: Hall, clerk: Actor, themed: Themed, size: tuple[int, int], large: bool) -> None:
    """1080×1920 with 大字: a full day's 已约满，可登记候补 and the next day's 尚有16个名额 ran past the right edge, the
    page scrolled sideways and its title moved off the screen's centre."""
    themed(QApplication.instance())
    leaders = ["县长 周建华", "副县长 吴晓东"]
    full = reception.add_day(sqlite_hall, SUPERVISOR, date(2026, 9, 17), leaders=leaders, slots="09:00-10:00/1")
    reception.book(sqlite_hall, clerk, full.day_id, reception.Visitor("张桂兰", valid_id(seq=41)))
    reception.add_day(sqlite_hall, SUPERVISOR, date(2026, 9, 18),
                      leaders=[*leaders, "县人力资源和社会保障局局长 王志强"])
    reception.add_day(sqlite_hall, SUPERVISOR, date(2026, 9, 21), leaders=leaders)
    window, shell, flow = _open_booking(qtbot, sqlite_hall, size, large)
    buttons = [flow.day_buttons.itemAt(i).widget() for i in range(flow.day_buttons.count())]
    assert len(buttons) == 3
    qtbot.waitUntil(lambda: all(_words_within(b) for b in buttons))
    assert all(area.horizontalScrollBar().maximum() == 0 for area in shell.findChildren(QScrollArea))
    title = flow.day_page.findChildren(QLabel)[0]
    assert title.text() == "选择接访日期"  # the bar says 预约领导接访
    centre = title.mapTo(window, QPoint(title.width() // 2, 0)).x()
    assert abs(centre - window.width() / 2) <= 40  # the page's margins and the bar a long list scrolls with
    assert all(b.height() >= 96 for b in buttons)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("large", [False, True])
def test_the_result_breaks_its_lines_between_words_only(qtbot: QtBot, sqlite_hall: Hall, clerk: Actor,
                                                        themed: Themed, size: tuple[int, int], large: bool) -> None:
    """候补第1 / 位 on the waiting list's result, 按时段 / 等候 under a place booked."""
    themed(QApplication.instance())
    day = reception.add_day(sqlite_hall, SUPERVISOR, date(2026, 12, 15), leaders=["县长 周建华"],
                            slots="09:00-10:30/1")
    window, shell, flow = _open_booking(qtbot, sqlite_hall, size, large)
    for seq, phone in ((51, ""), (52, "13905791234")):  # a place, then the waiting list
        _click(qtbot, flow.day_buttons.itemAt(0).widget())  # type: ignore[arg-type]
        _click(qtbot, flow.slot_buttons.itemAt(0 if not phone else 1).widget())  # type: ignore[arg-type]
        flow.name.setText("欧阳建华")
        flow.id_number.setText(valid_id(seq=seq))
        flow.phone.setText(phone)
        with qtbot.waitSignal(flow.booked, timeout=10_000):
            _click(qtbot, flow.confirm)
        qtbot.waitUntil(lambda f=flow: _in_window(window, shell, f.done_button))
        assert broken_words(flow.result_page) == [], flow.fact_rows[0][1].text()
        qtbot.waitUntil(lambda f=flow: not f.tasks.busy, timeout=10_000)
        _click(qtbot, flow.done_button)
        flow = shell.open_flow("booking")  # type: ignore[assignment]
        assert isinstance(flow, BookingFlow)
        qtbot.waitUntil(lambda f=flow: len(f.days) > 0 and not f.tasks.busy)
    assert [a.status for a in reception.appointments(sqlite_hall, clerk, day.day_id)] == ["已预约", "候补"]


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("large", [False, True])
def test_the_visitors_are_counted_with_a_tap_on_a_touch_sized_number(
        qtbot: QtBot, sqlite_hall: Hall, clerk: Actor, themed: Themed, size: tuple[int, int], large: bool) -> None:
    """来访人数 was a spin box: arrows 55 px tall (the kiosk's touch size is 96), the 1 against its edge, and a tap
    on it brought the keyboard up, moving 确认预约."""
    themed(QApplication.instance())
    _days(sqlite_hall, 1)
    window, shell, flow = _open_booking(qtbot, sqlite_hall, size, large)
    _click(qtbot, flow.day_buttons.itemAt(0).widget())  # type: ignore[arg-type]
    _click(qtbot, flow.slot_buttons.itemAt(0).widget())  # type: ignore[arg-type]
    qtbot.waitUntil(flow.name.hasFocus)
    numbers = flow.persons.buttons()
    assert [b.text() for b in numbers] == ["1", "2", "3", "4", "5"] and numbers[0].isChecked()
    qtbot.waitUntil(lambda: all(_in_window(window, shell, b) for b in numbers))
    assert all(b.width() >= 96 and b.height() >= 96 for b in numbers), [b.size() for b in numbers]
    confirm_at = flow.confirm.mapTo(window, QPoint(0, 0))
    _click(qtbot, numbers[2])
    assert flow.persons.checkedId() == 3 and [b.isChecked() for b in numbers] == [False, False, True, False, False]
    assert flow.name.hasFocus() and flow.confirm.mapTo(window, QPoint(0, 0)) == confirm_at  # nothing moved
    flow.name.setText("欧阳建华")
    flow.id_number.setText(valid_id(seq=61))
    with qtbot.waitSignal(flow.booked, timeout=10_000) as booked:
        _click(qtbot, flow.confirm)
    assert booked.args[0].appointment.persons_count == 3
    qtbot.waitUntil(lambda: not flow.tasks.busy, timeout=10_000)
    _click(qtbot, flow.done_button)
    again = shell.open_flow("booking")
    assert isinstance(again, BookingFlow) and again.persons.checkedId() == 1  # the next citizen starts at one


@pytest.mark.parametrize("size", SIZES)
def test_a_tap_on_a_full_slot_says_why_and_what_to_do(qtbot: QtBot, sqlite_hall: Hall, clerk: Actor,
                                                      themed: Themed, size: tuple[int, int]) -> None:
    """已满 was a disabled button: tapped, it did nothing and said nothing."""
    themed(QApplication.instance())
    day = reception.add_day(sqlite_hall, SUPERVISOR, date(2026, 9, 17), leaders=["县长 周建华"],
                            slots="09:00-10:00/1,10:00-11:00/1")
    reception.book(sqlite_hall, clerk, day.day_id, reception.Visitor("张桂兰", valid_id(seq=71)), slot=0)
    window, shell, flow = _open_booking(qtbot, sqlite_hall, size, True)
    _click(qtbot, flow.day_buttons.itemAt(0).widget())  # type: ignore[arg-type]
    full, free = (flow.slot_buttons.itemAt(i).widget() for i in (0, 1))
    assert isinstance(full, QPushButton) and isinstance(free, QPushButton)
    assert full.property("full") is True and free.property("full") is False
    _click(qtbot, full)
    assert flow.message.text() == "9:00–10:00已约满，请选择其他时段" and flow.pages.currentWidget() is flow.slot_page
    qtbot.waitUntil(lambda: _in_window(window, shell, flow.message))
    _click(qtbot, free)
    qtbot.waitUntil(flow.name.hasFocus)
    assert flow.message.text() == "" and flow.slot == 1
    reception.book(sqlite_hall, clerk, day.day_id, reception.Visitor("李梅", valid_id(seq=72)), slot=1)
    _click(qtbot, _back(flow))
    _click(qtbot, _back(flow))
    qtbot.waitUntil(lambda: "已约满" in button_words(flow.day_buttons.itemAt(0).widget()))  # type: ignore[arg-type]
    _click(qtbot, flow.day_buttons.itemAt(0).widget())  # type: ignore[arg-type]
    _click(qtbot, flow.slot_buttons.itemAt(1).widget())  # type: ignore[arg-type]
    assert flow.message.text() == "10:00–11:00已约满，其他时段也已约满。可以登记候补，有人取消时按顺序递补"
    qtbot.waitUntil(lambda: _in_window(window, shell, flow.message))
    assert broken_words(flow, longest=80) == []
    _click(qtbot, flow.slot_buttons.itemAt(2).widget())  # type: ignore[arg-type]  # 登记候补
    flow.name.setText("王芳")
    flow.id_number.setText(valid_id(seq=73))
    _click(qtbot, flow.confirm)  # no phone number: refused, in lines broken between words (never 登记 / 候补)
    qtbot.waitUntil(lambda: "候补须留联系电话" in flow.message.text(), timeout=10_000)
    qtbot.waitUntil(lambda: _in_window(window, shell, flow.message) and flow.phone.hasFocus())
    assert broken_words(flow, longest=80) == []


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("large", [False, True])
def test_a_refused_booking_says_why_in_view_and_puts_the_citizen_in_the_field_at_fault(
        qtbot: QtBot, sqlite_hall: Hall, clerk: Actor, themed: Themed, size: tuple[int, int], large: bool) -> None:
    """The refusal appeared below the screen's bottom edge: a tap on 确认预约 looked as if nothing happened."""
    themed(QApplication.instance())
    _days(sqlite_hall, 1)
    day = reception.list_days(sqlite_hall, SUPERVISOR)[0]
    reception.book(sqlite_hall, clerk, day.day_id, reception.Visitor("张桂兰", valid_id(seq=31)))
    window, shell, flow = _open_booking(qtbot, sqlite_hall, size, large)
    _click(qtbot, flow.day_buttons.itemAt(0).widget())  # type: ignore[arg-type]
    _click(qtbot, flow.slot_buttons.itemAt(0).widget())  # type: ignore[arg-type]
    flow.name.setText("张桂兰")
    flow.id_number.setText(valid_id(seq=31)[:-1] + ("0" if valid_id(seq=31)[-1] != "0" else "1"))  # check digit
    flow.phone.setText("13905791234")
    flow.summary.setFocus()
    _click(qtbot, flow.confirm)
    qtbot.waitUntil(lambda: "身份证" in flow.message.text(), timeout=10_000)
    qtbot.waitUntil(lambda: _in_window(window, shell, flow.message) and flow.id_number.hasFocus())
    assert _in_window(window, shell, flow.confirm)

    flow.id_number.setText(valid_id(seq=31))  # already booked that day: said, with the field it is about
    flow.phone.setText("139")
    _click(qtbot, flow.confirm)
    qtbot.waitUntil(lambda: "手机号码" in flow.message.text(), timeout=10_000)
    qtbot.waitUntil(lambda: _in_window(window, shell, flow.message) and flow.phone.hasFocus())
    flow.phone.setText("13905791234")
    _click(qtbot, flow.confirm)
    qtbot.waitUntil(lambda: "无需重复预约" in flow.message.text(), timeout=10_000)
    qtbot.waitUntil(lambda: _in_window(window, shell, flow.message) and _in_window(window, shell, flow.confirm))
    assert flow.pages.currentWidget() is flow.who_page and flow.name.text() == "张桂兰"  # nothing typed is lost


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("large", [False, True])
@pytest.mark.parametrize("keyboard", [KEYBOARD, TALLEST, LARGEST])
def test_with_the_keyboard_up_the_booking_field_its_caption_and_confirm_stay_in_view(
        qtbot: QtBot, sqlite_hall: Hall, themed: Themed, size: tuple[int, int], large: bool, keyboard: int) -> None:
    themed(QApplication.instance())
    _days(sqlite_hall, 1)
    window, shell, flow = _open_booking(qtbot, sqlite_hall, size, large)
    keyboard = round(keyboard * size[0] / 1920)  # Qt's keyboard is as tall as the screen is wide
    _click(qtbot, flow.day_buttons.itemAt(0).widget())  # type: ignore[arg-type]
    _click(qtbot, flow.slot_buttons.itemAt(0).widget())  # type: ignore[arg-type]
    captions = {label.text(): label for label in flow.who_page.findChildren(QLabel)}
    for field, caption in ((flow.name, "姓名"), (flow.id_number, "身份证号"), (flow.phone, "联系电话"),
                           (flow.summary, "反映问题")):
        field.setFocus()
        qtbot.waitUntil(field.hasFocus)
        _keyboard_up(shell, keyboard)
        qtbot.waitUntil(lambda f=field, c=captions[caption]: all(
            _in_window(window, shell, w, keyboard) for w in (f, c, flow.confirm)))
        assert len(_bars(shell)) <= 1, "two scroll bars side by side"
        space = shell.keyboard_space
        space.layout.setContentsMargins(space.base)  # the keyboard goes
        space.changed.emit()
    qtbot.waitUntil(lambda: all(_in_window(window, shell, w) for w in (flow.chosen, flow.name, flow.confirm)))


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("large", [False, True])
@pytest.mark.parametrize("keyboard", [KEYBOARD, LARGEST])
def test_with_the_keyboard_up_the_chosen_day_and_slot_stay_in_view_over_each_field(
        qtbot: QtBot, sqlite_hall: Hall, themed: Themed, size: tuple[int, int], large: bool, keyboard: int) -> None:
    """Lying down with the number pad up for the phone, the form scrolled to the field and the day and the slot the
    citizen had chosen went out of view with the title. Over each field, the keyboard as tall standing up as lying
    down (its keys keep their size), the field, its caption, 确认预约 and what was chosen (已选：day and slot) are
    seen whole; with the keyboard gone, the title's own line says it again and the short one goes."""
    themed(QApplication.instance())
    _days(sqlite_hall, 1)
    window, shell, flow = _open_booking(qtbot, sqlite_hall, size, large)
    _click(qtbot, flow.day_buttons.itemAt(0).widget())  # type: ignore[arg-type]
    slot = flow.day.slots[1] if flow.day is not None else None
    assert slot is not None
    _click(qtbot, flow.slot_buttons.itemAt(1).widget())  # type: ignore[arg-type]
    captions = {label.text(): label for label in flow.who_page.findChildren(QLabel)}

    def chosen_seen() -> bool:
        return any(_in_window(window, shell, said, keyboard) and slot.label in said.text() and "9月17日" in said.text()
                   for said in (flow.chosen, flow.chosen_line))

    for field, caption in ((flow.name, "姓名"), (flow.id_number, "身份证号"), (flow.phone, "联系电话"),
                           (flow.summary, "反映问题")):
        field.setFocus()
        qtbot.waitUntil(field.hasFocus)
        _keyboard_up(shell, keyboard)
        qtbot.waitUntil(lambda f=field, c=captions[caption]: all(
            _in_window(window, shell, w, keyboard) for w in (f, c, flow.confirm)) and chosen_seen())
        space = shell.keyboard_space
        space.layout.setContentsMargins(space.base)  # the keyboard goes
        space.changed.emit()
        qtbot.waitUntil(lambda: _in_window(window, shell, flow.chosen) and not flow.chosen_line.isVisible())


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("large", [False, True])
def test_with_the_keyboard_up_the_case_number_its_caption_and_one_scroll_bar_at_most(
        qtbot: QtBot, sqlite_hall: Hall, themed: Themed, size: tuple[int, int], large: bool) -> None:
    """查询进度 lying down: the 案件编号 caption was cut in half by the bar, and two scroll bars stood side by side
    (the progress screen's least height, kept by the screens not shown, made the whole flow scroll)."""
    themed(QApplication.instance())
    window, shell = _kiosk_window(qtbot, sqlite_hall, size)
    shell.large_button.setChecked(large)
    flow = shell.open_flow("progress")
    assert isinstance(flow, ProgressFlow)
    keyboard = round(TALLEST * size[0] / 1920)
    captions = {label.text(): label for label in flow.entry_page.findChildren(QLabel)}
    for field, caption in ((flow.number, "案件编号（回执上“案件编号”一栏）"), (flow.code, "查询码（回执上的8位数字）")):
        field.setFocus()
        qtbot.waitUntil(field.hasFocus)
        _keyboard_up(shell, keyboard)
        qtbot.waitUntil(lambda f=field, c=captions[caption]: _in_window(window, shell, f, keyboard)
                        and _in_window(window, shell, c, keyboard))
        assert len(_bars(shell)) <= 1, "two scroll bars side by side"
        assert shell.heading.text() == shell._flow_title  # the caption itself is seen: not repeated on the bar


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("large", [False, True])
def test_with_the_keyboard_up_the_suggestions_name_and_phone_and_the_submit_buttons_stay_in_view(
        qtbot: QtBot, sqlite_hall: Hall, themed: Themed, size: tuple[int, int], large: bool) -> None:
    themed(QApplication.instance())
    window, shell = _kiosk_window(qtbot, sqlite_hall, size)
    shell.large_button.setChecked(large)
    flow = shell.open_flow("suggest")
    assert isinstance(flow, SuggestionFlow)
    qtbot.waitUntil(lambda: not flow.tasks.busy)
    flow.content.setPlainText("建议大厅为老年人提供老花镜和放大镜，并在取号机旁安排志愿者")
    flow.check_content()
    keyboard = round(TALLEST * size[0] / 1920)
    captions = {label.text(): label for label in flow.findChildren(QLabel)}
    for field, caption in ((flow.name, "姓名"), (flow.phone, "联系电话（可不填）")):
        field.setFocus()
        qtbot.waitUntil(field.hasFocus)
        _keyboard_up(shell, keyboard)
        qtbot.waitUntil(lambda f=field, c=captions[caption]: all(
            _in_window(window, shell, w, keyboard) for w in (f, c, flow.send_named)))
        assert len(_bars(shell)) <= 1, "two scroll bars side by side"


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("large", [False, True])
def test_with_the_keyboard_up_the_ratings_reason_its_caption_and_submit_stay_in_view(
        qtbot: QtBot, sqlite_hall: Hall, clerk: Actor, themed: Themed, size: tuple[int, int], large: bool) -> None:
    from tests.ui.test_kiosk_citizen import _concluded, _progress_shown

    window, shell, flow = _progress_shown(qtbot, sqlite_hall, themed, _concluded(sqlite_hall, clerk), size, large)
    _click(qtbot, flow.rate_button)
    _click(qtbot, flow.choice_buttons["基本满意"])
    caption = next(label for label in flow.rating_page.findChildren(QLabel) if label.text() == "意见（可不填）")
    flow.reason.setFocus()
    qtbot.waitUntil(flow.reason.hasFocus)
    keyboard = round(TALLEST * size[0] / 1920)
    _keyboard_up(shell, keyboard)

    def seen() -> bool:
        """The caption, a line of the box at least, and 提交评价 between the bar and the keyboard."""
        top = flow.reason.mapTo(window, QPoint(0, 0)).y()
        seen_of_box = flow.reason.visibleRegion().boundingRect().height()
        return (_in_window(window, shell, caption, keyboard) and _in_window(window, shell, flow.send_rating, keyboard)
                and seen_of_box >= flow.reason.fontMetrics().lineSpacing() and top + seen_of_box <= window.height())

    qtbot.waitUntil(seen)
    assert len(_bars(shell)) <= 1, "two scroll bars side by side"


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("large", [False, True])
def test_a_booking_made_says_when_where_and_what_to_bring_in_large_type(
        qtbot: QtBot, sqlite_hall: Hall, themed: Themed, size: tuple[int, int], large: bool) -> None:
    """预约成功 was three lines of body text in the middle of an empty screen: the day and slot, the place and what
    to bring are now each in large type (at least 1.5 times the body text, in 大字 too), on the screen unscrolled."""
    from PySide6.QtGui import QFontInfo

    from desktop.documents.templates import TEXTS
    from ui.kiosk.style import LARGE_FACTOR, text_px

    themed(QApplication.instance())
    reception.add_day(sqlite_hall, SUPERVISOR, date(2026, 9, 17), leaders=["县长 周建华"], place="县信访局三楼接待室")
    window, shell, flow = _open_booking(qtbot, sqlite_hall, size, large)
    _click(qtbot, flow.day_buttons.itemAt(0).widget())  # type: ignore[arg-type]
    _click(qtbot, flow.slot_buttons.itemAt(1).widget())  # type: ignore[arg-type]
    slot = flow.day.slots[1].label if flow.day is not None else ""
    flow.name.setText("欧阳建华")
    flow.id_number.setText(valid_id(seq=12))
    with qtbot.waitSignal(flow.booked, timeout=10_000):
        _click(qtbot, flow.confirm)
    facts = [value for _caption, value in flow.fact_rows]
    assert [value.text() for value in facts] == [f"明天（9月17日，星期四） {slot}", "县信访局三楼接待室",
                                                 TEXTS["appointment.bring"]]  # the kiosk's today: 16 September
    body = text_px(large)
    assert all(QFontInfo(value.font()).pixelSize() >= LARGE_FACTOR * body for value in facts), body

    def whole() -> bool:
        return (all(_in_window(window, shell, widget) for widget in (flow.outcome, *facts, flow.done_button))
                and all(value.height() >= value.heightForWidth(value.width()) for value in facts)
                and shell.flow_scroll.verticalScrollBar().maximum() == 0 and not _bars(shell))

    qtbot.waitUntil(whole)
    if size[1] > size[0]:  # standing up the facts use the screen's height: no empty half above 完成
        bottom = flow.print_note.mapTo(window, QPoint(0, flow.print_note.height())).y()
        top = flow.outcome.mapTo(window, QPoint(0, 0)).y()
        assert bottom - top >= 0.4 * (flow.done_button.mapTo(window, QPoint(0, 0)).y() - top)
    qtbot.waitUntil(lambda: not flow.tasks.busy, timeout=10_000)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("large", [False, True])
@pytest.mark.parametrize("keyboard", [KEYBOARD, TALLEST, LARGEST])
def test_with_the_keyboard_up_the_rating_keeps_its_choices_whole_beside_the_reason(
        qtbot: QtBot, sqlite_hall: Hall, clerk: Actor, themed: Themed, size: tuple[int, int], large: bool,
        keyboard: int) -> None:
    """Lying down the screen scrolled to the reason's box and the choices (满意, 基本满意, 不满意) went half under the
    bar: the citizen could no longer see, nor change, what was chosen. Each choice, the box and 提交评价 are now
    whole between the bar and the keyboard; the choices come back above the box when the keyboard goes."""
    from tests.ui.test_kiosk_citizen import _concluded, _progress_shown

    window, shell, flow = _progress_shown(qtbot, sqlite_hall, themed, _concluded(sqlite_hall, clerk), size, large)
    _click(qtbot, flow.rate_button)
    _click(qtbot, flow.choice_buttons["不满意"])
    flow.reason.setFocus()
    qtbot.waitUntil(flow.reason.hasFocus)
    keyboard = round(keyboard * size[0] / 1920)  # Qt's keyboard is as tall as the screen is wide
    _keyboard_up(shell, keyboard)
    choices = list(flow.choice_buttons.values())

    def seen() -> bool:
        box = flow.reason.visibleRegion().boundingRect().height()
        top = flow.reason.mapTo(window, QPoint(0, 0)).y()
        return (all(_in_window(window, shell, widget, keyboard) for widget in (*choices, flow.send_rating))
                and box >= flow.reason.fontMetrics().lineSpacing() and top + box <= window.height() - keyboard
                and all(button.height() >= 96 for button in choices))

    qtbot.waitUntil(seen)
    assert flow.choice_buttons["不满意"].isChecked()
    assert len(_bars(shell)) <= 1, "two scroll bars side by side"
    space = shell.keyboard_space
    space.layout.setContentsMargins(space.base)  # the keyboard goes: the choices above the box again
    space.changed.emit()
    qtbot.waitUntil(lambda: all(b.geometry().bottom() < flow.reason.mapTo(b.parentWidget(), QPoint(0, 0)).y()
                                for b in choices))
