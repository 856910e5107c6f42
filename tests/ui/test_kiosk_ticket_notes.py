"""取号 at the composed kiosk (desktop/app.py over the real queue): what it says where a business is not offered,
and what it shows out of hours."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from desktop.domain.access import Actor
from desktop.services.context import Hall
from ui.kiosk.shell import KioskShell
from ui.kiosk.ticket import TicketFlow


def _kiosk(qtbot: QtBot, hall: Hall, size: tuple[int, int] = (1920, 1080)) -> KioskShell:
    from desktop.app import build_window

    window = build_window(hall, "kiosk")
    qtbot.addWidget(window)
    window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    body = window.body  # type: ignore[union-attr]
    assert isinstance(body, KioskShell)
    return body


def _ticket(qtbot: QtBot, body: KioskShell) -> TicketFlow:
    body.wipe()
    flow = body.open_flow("ticket")
    assert isinstance(flow, TicketFlow)
    qtbot.waitUntil(lambda: not flow.tasks.busy and (bool(flow.type_buttons) or bool(flow.closed)), timeout=10_000)
    return flow


def test_where_the_leaders_number_would_be_the_kiosk_says_why_not_and_when_to_book(
        qtbot: QtBot, sqlite_hall: Hall, clock: Any, clerk: Actor) -> None:
    from desktop.services import reception

    body = _kiosk(qtbot, sqlite_hall)
    flow = _ticket(qtbot, body)  # 16 September 2026, no reception day scheduled
    assert "领导接访" not in [b.accessibleName() for b in flow.type_buttons]
    assert flow.leader_note.isVisible() and flow.grid.indexOf(flow.leader_note) >= 0  # in the buttons' grid
    assert flow.leader_note.text() == "今天不是领导接访日\n近期还没有安排领导接访日，请到接待窗口咨询"

    reception.add_day(sqlite_hall, clerk, date(2026, 9, 22), leaders=["县长 周建华"])
    flow = _ticket(qtbot, body)
    assert flow.leader_note.text() == ("今天不是领导接访日\n下一次领导接访日：9月22日（星期二）\n"
                                       "可在首页点“预约领导接访”预约")

    def placed() -> bool:  # laid out (two columns at 1920×1080): the note after the buttons, on none of them
        note, last = flow.leader_note.geometry(), flow.type_buttons[-1].geometry()
        return last.width() < 1000 and note.top() >= last.top() and not note.intersects(last)

    qtbot.waitUntil(lambda: flow.type_buttons[-1].isVisible() and placed())

    clock.current = datetime(2026, 9, 22, 9, 0)  # the day itself: the button, no note
    flow = _ticket(qtbot, body)
    assert "领导接访" in [b.accessibleName() for b in flow.type_buttons] and not flow.leader_note.isVisible()

    clock.current = datetime(2026, 9, 22, 17, 30)  # its last slot over: said, with no next day yet
    flow = _ticket(qtbot, body)
    assert flow.leader_note.text().startswith("今天的领导接访已经结束\n近期还没有安排")


def _inside(widget: QWidget, screen: QWidget) -> bool:
    top_left = widget.mapTo(screen, widget.rect().topLeft())
    return screen.rect().contains(top_left) and screen.rect().contains(top_left + widget.rect().bottomRight())


@pytest.mark.parametrize("size", [(1080, 1920), (1920, 1080)])
def test_out_of_hours_the_ticket_page_shows_the_coming_days_hours_and_what_the_kiosk_still_does(
        qtbot: QtBot, sqlite_engine: Any, clock: Any, size: tuple[int, int]) -> None:
    from desktop.domain.hours import DEFAULT_HOURS
    from tests.conftest import make_hall
    from ui.kiosk.suggest import SuggestionFlow

    hall = make_hall(sqlite_engine, clock, hall_hours=DEFAULT_HOURS)
    clock.current = datetime(2026, 11, 20, 20, 0)  # a Friday evening
    body = _kiosk(qtbot, hall, size)
    flow = _ticket(qtbot, body)
    # when the hall opens next; its hours are in the table below, not said twice
    assert flow.lead.text() == "现在不是大厅开放时间。大厅将于11月23日（星期一）8:30开放，请到时再来取号"
    assert flow.type_buttons == [] and flow.closed_box.isVisible() and not flow.leader_note.isVisible()
    offered = {b.text(): b for b in flow.still_buttons}
    assert set(offered) == {"自助登记", "查询进度 · 评价", "预约领导接访", "人民建议", "办事指南"}
    page = body.flow_scroll.viewport()
    shown = [flow.lead, flow.hours_panel, flow.home_button, *offered.values()]
    # once laid out, on the screen without scrolling, in normal text, either way up
    qtbot.waitUntil(lambda: all(_inside(widget, page) for widget in shown))
    rows = [cell.text() for pair in flow.hours_table.rows for cell in pair]
    assert rows[:6] == ["明天（11月21日，星期六）", "休息", "11月22日（星期日）", "休息",  # one line a day: room enough
                        "11月23日（星期一）", "8:30–12:00、13:30–17:30"]
    qtbot.mouseClick(offered["人民建议"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: isinstance(body.flow, SuggestionFlow))
    qtbot.mouseClick(body.large_button, Qt.MouseButton.LeftButton)  # 大字 first: the page scrolls, nothing is cut
    flow = body.open_flow("ticket")
    assert isinstance(flow, TicketFlow)
    qtbot.waitUntil(lambda: flow.closed_box.isVisible())
    qtbot.waitUntil(lambda: flow.lead.height() >= flow.lead.heightForWidth(flow.lead.width()) > 0)
    assert body.flow_scroll.widget().width() <= page.width()  # scrolls down only: nothing cut at the right
    assert flow.lead.text().endswith("请到时再来取号")
    qtbot.mouseClick(flow.home_button, Qt.MouseButton.LeftButton)
    assert body.flow is None and body.pages.currentWidget() is body.home


def _closed_page(qtbot: QtBot, sqlite_engine: Any, clock: Any, size: tuple[int, int], large: bool,
                 at: datetime = datetime(2026, 12, 16, 20, 0)) -> tuple[KioskShell, TicketFlow]:
    """The 取号 page at 20:00 on a Wednesday in December: the coming days have two-digit dates, the longest words
    (``at`` another time)."""
    from desktop.domain.hours import DEFAULT_HOURS
    from tests.conftest import make_hall

    hall = make_hall(sqlite_engine, clock, hall_hours=DEFAULT_HOURS)
    clock.current = at
    body = _kiosk(qtbot, hall, size)
    flow = _ticket(qtbot, body)  # a new flow starts in normal text (the wipe before it): 大字 after
    if large:
        qtbot.mouseClick(body.large_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: flow.hours_panel.isVisible() and flow.home_button.isVisible())
    return body, flow


def _hours_cells(flow: TicketFlow) -> list[Any]:
    from PySide6.QtWidgets import QLabel

    return [cell for cell in flow.hours_panel.findChildren(QLabel)
            if cell.objectName() in ("hoursRow", "hoursRest") and cell.isVisible()]


@pytest.mark.parametrize("large", [False, True], ids=["normal", "large"])
@pytest.mark.parametrize("size", [(1080, 1920), (1920, 1080)], ids=["portrait", "landscape"])
def test_each_day_of_the_hours_table_fits_its_line_or_goes_onto_two_on_purpose(
        qtbot: QtBot, sqlite_engine: Any, clock: Any, size: tuple[int, int], large: bool) -> None:
    _body, flow = _closed_page(qtbot, sqlite_engine, clock, size, large)
    cells = _hours_cells(flow)
    assert len(cells) == 10  # five days, their hours

    def fits() -> bool:  # no line of a cell wider than the cell: nothing wrapped by the label, mid-word
        return all(cell.fontMetrics().horizontalAdvance(line) <= cell.contentsRect().width()
                   for cell in cells for line in cell.text().split("\n"))

    qtbot.waitUntil(fits)
    table = flow.hours_table
    for day, (when, hours) in zip(table.days, table.rows, strict=True):
        assert when.text() in (day.words, f"{day.head}\n{day.tail}")  # whole, or the date under the day's name
        assert hours.text() in (day.hours, "\n".join(day.periods))  # whole, or a period a line
        assert not when.wordWrap() and not hours.wordWrap()
    if size == (1920, 1080) and not large:  # room enough: a day a line
        assert all("\n" not in cell.text() for cell in cells)


def test_the_closed_page_in_portrait_uses_the_screens_height(qtbot: QtBot, sqlite_engine: Any, clock: Any) -> None:
    body, flow = _closed_page(qtbot, sqlite_engine, clock, (1080, 1920), False)
    page = body.flow_scroll.viewport()

    def empty_below() -> int:
        bottom = flow.home_button.mapTo(page, flow.home_button.rect().bottomLeft()).y()
        return page.height() - bottom

    qtbot.waitUntil(lambda: flow.home_button.isVisible() and 0 <= empty_below() < 0.15 * page.height())
    assert body.flow_scroll.verticalScrollBar().maximum() == 0  # filled, not overflowing
    buttons = [flow.hours_panel, *flow.still_buttons]
    assert all(_inside(widget, page) for widget in buttons)


@pytest.mark.parametrize("at", [datetime(2026, 12, 16, 20, 0), datetime(2026, 12, 13, 20, 0)],
                         ids=["two-days-of-rest", "five-working-days"])
@pytest.mark.parametrize("large", [False, True], ids=["normal", "large"])
@pytest.mark.parametrize("size", [(1080, 1920), (1920, 1080)], ids=["portrait", "landscape"])
def test_the_closed_page_fits_the_kiosks_screen_without_scrolling(
        qtbot: QtBot, sqlite_engine: Any, clock: Any, themed: Any, size: tuple[int, int], large: bool,
        at: datetime) -> None:
    """Lying down with 大字 the days' hours go onto two lines each beside the tiles, and the page scrolled (by
    130 px with two days of rest among the five, 250 px with five working days)."""
    from ui.kiosk.style import HOURS_TIGHT, text_px

    themed("kiosk")  # the kiosk's own font, as it runs
    body, flow = _closed_page(qtbot, sqlite_engine, clock, size, large, at)
    page = body.flow_scroll.viewport()
    shown = [flow.lead, flow.hours_panel, flow.home_button, *flow.still_buttons, *_hours_cells(flow)]

    def fits() -> bool:
        return (all(widget.isVisible() and _inside(widget, page) for widget in shown)
                and body.flow_scroll.verticalScrollBar().maximum() == 0)

    qtbot.waitUntil(fits)
    assert flow.lead.height() >= flow.lead.heightForWidth(flow.lead.width())  # the sentence whole
    # lying down in two lines a day a little smaller, with 大字 still 1.5 times the normal size
    least = text_px(large, HOURS_TIGHT) - 1
    assert all(cell.font().pixelSize() >= least for cell in _hours_cells(flow))
    boxes = [widget.geometry() for widget in (*flow.still_buttons, flow.home_button)]
    assert not any(a.intersects(b) for i, a in enumerate(boxes) for b in boxes[i + 1:])
    assert all(button.height() >= 96 for button in (*flow.still_buttons, flow.home_button))


class _Server:
    """The hall server as the kiosk's records link sees it: answering or not."""

    def __init__(self, connected: bool) -> None:
        self.connected = connected

    def command(self, path: str, body: dict[str, Any]) -> Any:
        from desktop.services.hallrecords import Unreachable

        raise Unreachable("connection refused")


@pytest.mark.parametrize("where", ["server unreachable", "server answering", "this PC's own schedule"])
def test_booking_says_whether_no_day_is_scheduled_or_the_server_cannot_be_reached(
        qtbot: QtBot, sqlite_hall: Hall, clerk: Actor, where: str) -> None:
    from PySide6.QtWidgets import QLabel

    from desktop.services import hallrecords, reception
    from ui.kiosk.booking import BookingFlow

    body = _kiosk(qtbot, sqlite_hall)

    def shown() -> str:
        flow = body.open_flow("booking")
        assert isinstance(flow, BookingFlow)
        qtbot.waitUntil(lambda: not flow.tasks.busy and flow.day_buttons.count() > 0
                        and flow.day_buttons.itemAt(0).widget().isVisibleTo(flow), timeout=10_000)
        return "\n".join(w.text() for w in flow.day_page.findChildren(QLabel) if w.isVisibleTo(flow))

    if where != "this PC's own schedule":
        hallrecords.attach_remote(sqlite_hall, _Server(connected=where == "server answering"))
    if where == "server unreachable":
        said = shown()
        assert "暂时无法连接服务器，现在不能在这里预约" in said and "请到接待窗口预约" in said
        assert "没有安排" not in said and "再选择时段" not in said
        hallrecords.attach_remote(sqlite_hall, None)  # the last copy of the schedule the kiosk holds
        reception.add_day(sqlite_hall, clerk, date(2026, 9, 22), leaders=["县长 周建华"])
        hallrecords.attach_remote(sqlite_hall, _Server(connected=False))
        said = shown()
        assert "本机记录的领导接访日：9月22日（星期二）（以窗口告知为准）" in said
        flow = body.flow
        assert isinstance(flow, BookingFlow) and flow.days == []  # nothing to book that could not be booked
        from desktop.services.changes import Changes, Topic

        hallrecords.attach_remote(sqlite_hall, _Server(connected=True))
        sqlite_hall.changes.publish(Changes.of(Topic.RECEPTION))  # as the link says when it is back
        qtbot.waitUntil(lambda: [d.day for d in flow.days] == [date(2026, 9, 22)], timeout=10_000)
        return
    said = shown()
    assert "近期没有安排领导接访日，请到窗口咨询" in said and "服务器" not in said
    if where == "this PC's own schedule":
        reception.add_day(sqlite_hall, clerk, date(2026, 9, 22), leaders=["县长 周建华"])
        shown()
        flow = body.flow
        assert isinstance(flow, BookingFlow) and [d.day for d in flow.days] == [date(2026, 9, 22)]
