"""The kiosk tried by citizens its makers never met: unusual people, a business stopped meanwhile.

Each test drives the real widgets over the real services, as a first-time visitor would.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton, QScrollArea, QWidget
from pytestqt.qtbot import QtBot

from desktop.domain.identity import MAX_CHINESE_NAME
from desktop.domain.queue import TicketSource
from desktop.services import queue
from desktop.services.context import Actor, Hall
from desktop.services.reception import Visitor
from tests.helpers import valid_id
from ui.kiosk.register import RegistrationFlow
from ui.kiosk.ticket import TicketFlow
from ui.shell.context import WorkContext

Context = Callable[..., WorkContext]
KIOSK = Actor.kiosk("K01")
ADMIN = Actor("staff:guanli1", "管理员", "admin")


def _click(qtbot: QtBot, widget: QWidget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def _who(qtbot: QtBot, work_context: Context) -> RegistrationFlow:
    flow = RegistrationFlow(work_context(KIOSK, "kiosk"))
    qtbot.addWidget(flow)
    flow.resize(1920, 1080)
    flow.show()
    return flow


def test_a_birth_date_after_today_is_refused_on_the_first_screen(qtbot: QtBot, work_context: Context) -> None:
    """Not six screens later at 提交 (nor registered at all, as it was)."""
    flow = _who(qtbot, work_context)
    flow.name.setText("钱未生")
    flow.id_number.setText(valid_id(birth=date(2030, 1, 1), seq=17))
    _click(qtbot, flow.next_button)
    assert flow.step == 0
    assert flow.message.text() == "身份证号码中的出生日期2030年1月1日晚于今天，请对照身份证再看一遍第7至14位"
    flow.id_number.setText(valid_id(birth=date(1936, 2, 29), seq=17))  # a 90-year-old, born on a leap day
    _click(qtbot, flow.next_button)
    assert flow.step == 1


def test_an_id_number_not_yet_typed_is_asked_for_not_called_wrong(qtbot: QtBot, work_context: Context) -> None:
    flow = _who(qtbot, work_context)
    flow.name.setText("阿卜杜·热合曼")
    _click(qtbot, flow.next_button)
    assert flow.step == 0 and flow.message.text() == "请输入身份证号码"
    flow.id_number.setText("3307261968031212")  # sixteen digits: that one is wrong
    _click(qtbot, flow.next_button)
    assert flow.message.text() == "身份证号码应为18位，您输入了16位"
    flow.id_number.setText("330726360229002")  # the old first-generation number an old man remembers
    _click(qtbot, flow.next_button)
    # in words an old man knows, with the number his card most likely carries to compare with
    from desktop.domain.identity import upgrade_old_id

    assert flow.message.text() == ("身份证号码应为18位，您输入了15位：这是老身份证的15位号码，现在的身份证号码是18位，"
                                   f"一般是 {upgrade_old_id('330726360229002')}，请对照身份证核对后输入")


def test_a_name_longer_than_a_registration_keeps_is_kept_whole_and_refused_at_the_field(
        qtbot: QtBot, work_context: Context) -> None:
    """A long name is not cut unseen to what is kept: the field holds it all and 下一步 says the limit."""
    from ui.kiosk.suggest import SuggestionFlow

    flow = _who(qtbot, work_context)
    flow.name.setText("阿" * 60)
    assert len(flow.name.text()) == 60
    flow.id_number.setText("330726195503120022")
    flow.forward()
    assert flow.step == 0 and f"最多{MAX_CHINESE_NAME}个字，现在有60个" in flow.message.text()
    suggestion = SuggestionFlow(work_context(KIOSK, "kiosk"))
    qtbot.addWidget(suggestion)
    suggestion.name.setText("阿" * 60)
    assert len(suggestion.name.text()) == 60


def _tickets(qtbot: QtBot, work_context: Context, hall: Hall) -> TicketFlow:
    flow = TicketFlow(work_context(KIOSK, "kiosk", hall=hall), window_types=queue.window_types,
                      issue_ticket=queue.issue_ticket)
    qtbot.addWidget(flow)
    flow.resize(1920, 1080)
    flow.show()
    qtbot.waitUntil(lambda: len(flow.type_buttons) == 4)
    return flow


def _names(flow: TicketFlow) -> list[str]:
    return [b.accessibleName() for b in flow.type_buttons]


def test_a_business_stopped_while_its_button_shows_is_said_by_name_and_leaves(qtbot: QtBot, work_context: Context,
                                                                             sqlite_hall: Hall) -> None:
    flow = _tickets(qtbot, work_context, sqlite_hall)
    legal = next(t for t in queue.all_window_types(sqlite_hall) if t.code == "legal")
    button = flow.type_buttons[_names(flow).index("涉法涉诉")]
    queue.save_window_type(sqlite_hall, ADMIN, replace(legal, active=False))
    _click(qtbot, button)  # the citizen taps before the screen could follow
    qtbot.waitUntil(lambda: "暂停取号" in flow.message.text())
    assert flow.message.text() == "“涉法涉诉”现在暂停取号，请选择其他业务，或到咨询台询问"
    qtbot.waitUntil(lambda: _names(flow) == ["综合接待", "农民工欠薪绿色通道", "领导接访"])
    assert flow.pages.currentIndex() == 0  # no number was given
    with qtbot.waitSignal(flow.issued, timeout=10_000) as issued:
        _click(qtbot, flow.type_buttons[0])
    assert issued.args[0].ticket.number == "A001" and flow.ahead.text().startswith("前面没有人在等候")


def test_a_business_started_or_stopped_meanwhile_shows_without_a_tap(qtbot: QtBot, work_context: Context,
                                                                     sqlite_hall: Hall) -> None:
    flow = _tickets(qtbot, work_context, sqlite_hall)
    wages = next(t for t in queue.all_window_types(sqlite_hall) if t.code == "wages")
    queue.save_window_type(sqlite_hall, ADMIN, replace(wages, active=False))
    qtbot.waitUntil(lambda: _names(flow) == ["综合接待", "涉法涉诉", "领导接访"])
    queue.save_window_type(sqlite_hall, ADMIN, wages)
    qtbot.waitUntil(lambda: _names(flow) == ["综合接待", "农民工欠薪绿色通道", "涉法涉诉", "领导接访"])
    assert flow.message.text() == ""


def test_every_business_stopped_says_where_to_ask(qtbot: QtBot, work_context: Context, sqlite_hall: Hall) -> None:
    flow = _tickets(qtbot, work_context, sqlite_hall)
    for window_type in queue.all_window_types(sqlite_hall):
        queue.save_window_type(sqlite_hall, ADMIN, replace(window_type, active=False))
    qtbot.waitUntil(lambda: flow.type_buttons == [])
    assert flow.message.text() == "现在没有可以取号的业务，请到咨询台询问"



def test_todays_reception_day_once_over_is_said_and_not_offered(qtbot: QtBot, work_context: Context,
                                                                 sqlite_hall: Hall) -> None:
    """At 09:30 the day's only slot (09:00–09:20) has ended: no 已约满，可登记候补 for a day that is over."""
    from desktop.services import reception
    from ui.kiosk.booking import BookingFlow, button_words

    supervisor = Actor("staff:ducha1", "督查", "supervisor")
    reception.add_day(sqlite_hall, supervisor, date(2026, 9, 16), leaders=["县长 周建华"], slots="09:00-09:20/1")
    full = reception.add_day(sqlite_hall, supervisor, date(2026, 9, 30), leaders=["副县长 李明"],
                             slots="09:00-10:00/1")
    reception.book(sqlite_hall, KIOSK, full.day_id, Visitor("张建国", valid_id(seq=401)))
    flow = BookingFlow(work_context(KIOSK, "kiosk"))
    qtbot.addWidget(flow)
    flow.resize(1920, 1080)
    flow.show()

    def days() -> dict[str, QPushButton]:
        return {button_words(b): b for b in flow.day_page.findChildren(QPushButton) if "\n" in button_words(b)}

    qtbot.waitUntil(lambda: len(days()) == 2)
    over = days()["2026年9月16日（星期三）\n县长 周建华　今天的接访已结束"]
    assert not over.isEnabled()
    later = days()["2026年9月30日（星期三）\n副县长 李明　已约满，可登记候补"]  # a full day to come: 候补 is honest
    _click(qtbot, later)
    assert "登记候补（有人取消时按顺序递补）" in [button_words(b) for b in flow.slot_page.findChildren(QPushButton)]


def test_a_day_chosen_from_a_long_list_opens_its_slots_from_the_top(qtbot: QtBot, work_context: Context,
                                                                    sqlite_hall: Hall) -> None:
    """Six days fill more than the screen under the window's title strip; the citizen scrolls to the last. Its
    slots' screen opened scrolled as far (on a fresh start too: the focus, moved on to its 返回, was brought
    into view): the date, the leader and 选择接访时段 were off the top of the screen."""
    from desktop.services import reception
    from ui.kiosk.body import booking_flow, kiosk_body
    from ui.kiosk.booking import BookingFlow, button_words

    supervisor = Actor("staff:ducha1", "督查", "supervisor")
    for day in (17, 18, 21, 22, 23, 24):
        reception.add_day(sqlite_hall, supervisor, date(2026, 9, day), leaders=["县长 周建华"])
    shell = kiosk_body(work_context(KIOSK, "kiosk"), booking=booking_flow)
    qtbot.addWidget(shell)
    shell.resize(1920, 1020)  # under the window's title strip
    shell.show()
    qtbot.waitExposed(shell)
    flow = shell.open_flow("booking")
    assert isinstance(flow, BookingFlow)
    qtbot.waitUntil(lambda: len([b for b in flow.day_page.findChildren(QPushButton) if "\n" in button_words(b)]) == 6)
    days = flow.day_page.findChildren(QScrollArea)[0]  # the days' screen scrolls by itself
    qtbot.waitUntil(lambda: days.verticalScrollBar().maximum() > 0)  # more than the screen holds
    bar = days.verticalScrollBar()
    bar.setValue(bar.maximum())  # the citizen scrolls down to the last day
    day = [b for b in flow.day_page.findChildren(QPushButton) if "\n" in button_words(b)][5]
    _click(qtbot, day)

    def seen(widget: QWidget) -> bool:
        return widget.visibleRegion().boundingRect().height() == widget.height() > 0

    qtbot.waitUntil(lambda: flow.slot_hint.isVisible())
    assert flow.slot_hint.text().startswith("2026年9月24日")
    qtbot.waitUntil(lambda: seen(flow.slot_hint))
    title = flow.slot_page.findChildren(QLabel)[0]
    assert title.text() == "选择接访时段" and seen(title)


def test_an_id_card_reader_unplugged_or_without_a_card_is_said_in_its_own_words(
        qtbot: QtBot, work_context: Context, sqlite_engine: Any, clock: Any) -> None:
    """Not 读取身份证时程序出现意外问题……参考号 E-…, as both the ticket's and the registration's reader said."""
    from tests.conftest import make_hall

    unplugged = make_hall(sqlite_engine, clock, id_reader="sim:unplugged")
    flow = TicketFlow(work_context(KIOSK, "kiosk", hall=unplugged), window_types=queue.window_types,
                      issue_ticket=queue.issue_ticket)
    qtbot.addWidget(flow)
    flow.show()
    qtbot.waitUntil(lambda: len(flow.type_buttons) == 4)
    _click(qtbot, flow.card_button)
    qtbot.waitUntil(lambda: "读卡器" in flow.card_state.text(), timeout=10_000)
    assert flow.card_state.text().startswith("读卡器暂时不能用") and "参考号" not in flow.card_state.text()
    with qtbot.waitSignal(flow.issued, timeout=10_000) as issued:  # a number without the card all the same
        _click(qtbot, flow.type_buttons[0])
    assert not issued.args[0].ticket.person_linked

    empty = make_hall(sqlite_engine, clock, id_reader="sim:nocard")
    register = RegistrationFlow(work_context(KIOSK, "kiosk", hall=empty))
    qtbot.addWidget(register)
    register.show()
    register.card_reading.seconds = 1
    _click(qtbot, register.read_button)
    qtbot.waitUntil(lambda: register.card_state.text().startswith("没有读到身份证"), timeout=10_000)


def test_a_ticket_not_printed_stays_on_screen_until_noted(qtbot: QtBot, work_context: Context, sqlite_engine: Any,
                                                          clock: Any) -> None:
    """The printer out of paper or gone: the number is all the citizen has; it went home after 30 s as a
    printed ticket does, before an old visitor had found a pen."""
    from tests.conftest import make_hall
    from tests.sync.conftest import free_port

    hall = make_hall(sqlite_engine, clock, printer_receipts=f"escpos:tcp:127.0.0.1:{free_port()}")  # nobody there
    flow = TicketFlow(work_context(KIOSK, "kiosk", hall=hall), window_types=queue.window_types,
                      issue_ticket=queue.issue_ticket)
    qtbot.addWidget(flow)
    flow.show()
    qtbot.waitUntil(lambda: len(flow.type_buttons) == 4)
    with qtbot.waitSignal(flow.issued, timeout=10_000):
        _click(qtbot, flow.type_buttons[0])
    assert flow.home_timer.isActive()  # a ticket on its way: home by itself after a while
    qtbot.waitUntil(lambda: "没有打印出来" in flow.printing.text(), timeout=20_000)
    assert flow.printing.text() == ("号票没有打印出来：打印机暂时不能使用。号码已取得，仍然有效。\n"
                                    "请记下您的号码 A001，记好后点“完成”")
    assert not flow.home_timer.isActive()
    with qtbot.waitSignal(flow.finished):
        _click(qtbot, flow.done_button)


def test_a_ninety_year_olds_card_takes_a_priority_ticket_without_the_toggle(
        qtbot: QtBot, work_context: Context, sqlite_engine: Any, clock: Any, tmp_path: Any) -> None:
    import json

    from tests.conftest import make_hall

    cards = tmp_path / "cards.json"
    cards.write_text(json.dumps([{"name": "钱老汉", "sex": "男", "ethnicity": "汉", "birth_date": "1936-02-29",
                                  "address": "浦江县浦阳街道", "id_number": valid_id(birth=date(1936, 2, 29), seq=9),
                                  "issuer": "浦江县公安局", "valid_from": "2016-02-29", "valid_to": "长期"}]),
                     encoding="utf-8")
    hall = make_hall(sqlite_engine, clock, id_reader=f"sim:{cards}", printer_receipts=f"pdf:{tmp_path}")
    queue.issue_ticket(hall, type_code="general", source=TicketSource.KIOSK)  # somebody already waits
    flow = TicketFlow(work_context(KIOSK, "kiosk", hall=hall), window_types=queue.window_types,
                      issue_ticket=queue.issue_ticket)
    qtbot.addWidget(flow)
    flow.show()
    qtbot.waitUntil(lambda: len(flow.type_buttons) == 4)
    _click(qtbot, flow.card_button)
    qtbot.waitUntil(lambda: flow.card is not None, timeout=10_000)
    assert not flow.priority.isChecked()  # he did not find the toggle
    with qtbot.waitSignal(flow.issued, timeout=10_000) as issued:
        _click(qtbot, flow.type_buttons[0])
    assert issued.args[0].ticket.priority and flow.business.text() == "综合接待（优先办理）"
    said = flow.ahead.text().replace("\u200b", "")
    assert said.startswith("您已年满70岁，为您优先办理。")  # why he goes first, though he tapped nothing
    assert "\n前面没有人在等候" in said  # ahead of the one who came first


def test_a_booking_confirmed_while_the_days_are_read_again_is_made(qtbot: QtBot, work_context: Context,
                                                                    sqlite_hall: Hall) -> None:
    """The kiosk reads its reception days again now and then; a citizen who taps 确认预约 while such a read
    is on its way had the tap swallowed — no booking, no word, the button still there to tap."""
    import threading

    from desktop.services import reception
    from ui.kiosk.booking import BookingFlow

    supervisor = Actor("staff:ducha1", "督查", "supervisor")
    reception.add_day(sqlite_hall, supervisor, date(2026, 9, 30), leaders=["县长 周建华"], slots="09:00-10:00/2")
    flow = BookingFlow(work_context(KIOSK, "kiosk"))
    qtbot.addWidget(flow)
    flow.resize(1920, 1080)
    flow.show()
    qtbot.waitUntil(lambda: len(flow.days) == 1 and not flow.tasks.busy)
    _click(qtbot, flow.day_buttons.itemAt(0).widget())
    _click(qtbot, flow.slot_buttons.itemAt(0).widget())
    flow.name.setText("欧阳建华")
    flow.id_number.setText(valid_id(seq=11))
    reading = threading.Event()
    flow.tasks.run(lambda _hall: reading.wait(10), lambda _waited: None)  # a read still on its way
    assert flow.tasks.busy
    with qtbot.waitSignal(flow.booked, timeout=10_000):
        _click(qtbot, flow.confirm)
        reading.set()
    assert flow.outcome.text() == "预约成功"
    qtbot.waitUntil(lambda: not flow.tasks.busy)


def test_a_name_beyond_the_keyboard_is_read_from_the_card_and_the_screen_says_how(
        qtbot: QtBot, work_context: Context, sqlite_engine: Any, clock: Any, tmp_path: Any) -> None:
    """赵孟𫖯: the pinyin keyboard has no 𫖯 (beyond the Basic Plane). The screen says what to do — read the card
    where there is a reader, else a homophone to be put right at the counter — and the card's name is kept whole."""
    import json

    from tests.conftest import make_hall

    typed = _who(qtbot, work_context)  # no reader here
    assert "生僻字" in typed.rare_hint.text() and "同音字" in typed.rare_hint.text()
    assert "读取身份证" not in typed.rare_hint.text() and typed.rare_hint.isVisible()

    cards = tmp_path / "cards.json"
    cards.write_text(json.dumps([{"name": "赵孟𫖯", "sex": "男", "ethnicity": "汉", "birth_date": "1954-03-15",
                                  "address": "浦江县浦阳街道", "id_number": valid_id(birth=date(1954, 3, 15), seq=1),
                                  "issuer": "浦江县公安局", "valid_from": "2016-03-15", "valid_to": "长期"}],
                                ensure_ascii=True), encoding="utf-8")
    hall = make_hall(sqlite_engine, clock, id_reader=f"sim:{cards}")
    flow = RegistrationFlow(work_context(KIOSK, "kiosk", hall=hall))
    qtbot.addWidget(flow)
    flow.resize(1080, 1920)
    flow.show()
    assert "请点“读取身份证”" in flow.rare_hint.text()
    _click(qtbot, flow.read_button)
    qtbot.waitUntil(lambda: flow.name.text() != "", timeout=10_000)
    assert flow.name.text() == "赵孟𫖯" and len(flow.name.text()) == 3  # one character, not two halves
    _click(qtbot, flow.next_button)
    assert flow.step == 1


def test_another_qr_code_scanned_into_the_name_is_refused_on_the_first_screen(qtbot: QtBot,
                                                                              work_context: Context) -> None:
    """A chat's QR code scanned with the name field focused: the web address was registered as the petitioner's
    name (the service took any text with letters), six screens later and for good."""
    flow = _who(qtbot, work_context)
    flow.name.setText("https://u.wechat.com/EKx3abcDEF?scene=1")
    flow.id_number.setText(valid_id(seq=21))
    _click(qtbot, flow.next_button)
    assert flow.step == 0
    assert flow.message.text() == "姓名栏里是一个网址（可能是扫描了别的二维码），请删除后填写姓名"
    flow.name.setText("赵孟𫖯")
    _click(qtbot, flow.next_button)
    assert flow.step == 1
