"""The kiosk's ID-card reader as a citizen meets it: told what to do while it reads and after, in a citizen's
words when the reader does not work, the card's name and number kept as read, an expired card said plainly,
and the 取号 page whole on the screen after a read (through the real widgets)."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from desktop.services import queue
from desktop.services.context import Actor
from tests.helpers import valid_id
from ui.common.widgets import Phrases
from ui.kiosk.body import kiosk_tiles, ticket_flow
from ui.kiosk.register import RegistrationFlow
from ui.kiosk.shell import KioskShell
from ui.kiosk.ticket import TicketFlow
from ui.shell.context import WorkContext

Context = Callable[..., WorkContext]
KIOSK = Actor.kiosk("K01")


def _click(qtbot: QtBot, widget: QWidget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def _cards(tmp_path: Path, *, name: str = "王秀英", valid_to: str = "2036-03-15") -> Path:
    cards = tmp_path / "cards.json"
    cards.write_text(json.dumps([{"name": name, "sex": "女", "ethnicity": "汉", "birth_date": "1960-03-15",
                                  "address": "浦江县浦阳街道", "id_number": valid_id(birth=date(1960, 3, 15), seq=2),
                                  "issuer": "浦江县公安局", "valid_from": "2016-03-15", "valid_to": valid_to}]),
                     encoding="utf-8")
    return cards


def _register(qtbot: QtBot, work_context: Context, sqlite_engine: Any, clock: Any, reader: str,
              size: tuple[int, int] = (1080, 1920)) -> RegistrationFlow:
    from tests.conftest import make_hall

    hall = make_hall(sqlite_engine, clock, id_reader=reader)
    flow = RegistrationFlow(work_context(KIOSK, "kiosk", hall=hall))
    qtbot.addWidget(flow)
    flow.resize(*size)
    flow.show()
    return flow


def _ticket(qtbot: QtBot, work_context: Context, sqlite_engine: Any, clock: Any, reader: str,
            size: tuple[int, int] = (1920, 1080)) -> tuple[KioskShell, TicketFlow]:
    from tests.conftest import make_hall

    hall = make_hall(sqlite_engine, clock, id_reader=reader)
    ctx = work_context(KIOSK, "kiosk", hall=hall)
    body = KioskShell(ctx, kiosk_tiles(ticket=ticket_flow(queue.window_types, queue.issue_ticket)))
    qtbot.addWidget(body)
    body.resize(*size)
    body.show()
    qtbot.waitExposed(body)
    flow = body.open_flow("ticket")
    assert isinstance(flow, TicketFlow)
    qtbot.waitUntil(lambda: bool(flow.type_buttons))
    return body, flow


# -- 1 no card on the reader ----------------------------------------------------------------------------------


def test_a_read_without_a_card_says_to_lay_it_down_while_it_reads_and_what_to_do_after(
        qtbot: QtBot, work_context: Context, sqlite_engine: Any, clock: Any) -> None:
    """Not a red 请将身份证放在阅读器上 once the read is over (a citizen who then laid the card down waited for
    ever): while it reads, where to put the card; after, that none was read and the two ways on."""
    flow = _register(qtbot, work_context, sqlite_engine, clock, "sim:nocard")
    flow.card_reading.seconds = 1
    _click(qtbot, flow.read_button)
    said = flow.card_state.text()
    assert said.startswith("请把身份证放在感应区") and "正在读取" in said and not flow.read_button.isEnabled()
    qtbot.waitUntil(lambda: "正在读取" not in flow.card_state.text(), timeout=5000)
    assert flow.card_state.text() == "没有读到身份证。请把身份证放好后再点“读取身份证”，或者直接在下面填写"
    assert flow.card_state.property("tone") == "error" and flow.read_button.isEnabled()
    assert not flow.message.isVisible()  # said beside the button, not at the screen's foot

    _body, ticket = _ticket(qtbot, work_context, sqlite_engine, clock, "sim:nocard", size=(1080, 1920))
    ticket.card_reading.seconds = 1
    _click(qtbot, ticket.card_button)
    assert "正在读取" in ticket.card_state.text()
    qtbot.waitUntil(lambda: "正在读取" not in ticket.card_state.text(), timeout=5000)
    assert ticket.card_state.text() == ("没有读到身份证。请把身份证放好后再点“刷身份证取号”，"
                                        "或者不用身份证，直接点下面的业务取号")
    with qtbot.waitSignal(ticket.issued, timeout=10_000) as issued:  # the way on without the card
        _click(qtbot, ticket.type_buttons[0])
    assert not issued.args[0].ticket.person_linked


# -- 2 the reader unplugged -----------------------------------------------------------------------------------


def test_an_unplugged_reader_is_said_in_a_citizens_words_and_its_reason_logged_for_staff(
        qtbot: QtBot, work_context: Context, sqlite_engine: Any, clock: Any, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="ui.kiosk.cardread")
    flow = _register(qtbot, work_context, sqlite_engine, clock, "sim:unplugged")
    _click(qtbot, flow.read_button)
    qtbot.waitUntil(lambda: "正在读取" not in flow.card_state.text(), timeout=5000)
    said = flow.card_state.text()
    assert said == "读卡器暂时不能用，请直接在下面填写；需要帮助请找工作人员"
    assert "连接线" not in said and "端口" not in said
    assert any("未连接" in record.getMessage() and "not_connected" in record.getMessage() for record in caplog.records)


# -- 3 the card's name and number kept ------------------------------------------------------------------------


def test_the_name_and_number_read_from_a_card_are_not_typed_over_and_retyping_empties_both(
        qtbot: QtBot, work_context: Context, sqlite_engine: Any, clock: Any, tmp_path: Path) -> None:
    flow = _register(qtbot, work_context, sqlite_engine, clock, f"sim:{_cards(tmp_path)}")
    _click(qtbot, flow.read_button)
    qtbot.waitUntil(lambda: flow.name.text() == "王秀英", timeout=10_000)
    assert flow.name.isReadOnly() and flow.id_number.isReadOnly() and flow.retype_button.isVisible()
    assert "重新填写" in flow.card_state.text()
    flow.name.setFocus()
    qtbot.keyClicks(flow.name, "zhang")
    qtbot.keyClick(flow.name, Qt.Key.Key_Backspace)
    assert flow.name.text() == "王秀英"
    card_number = str(flow.card.id_number)  # shown masked: the screen is read by whoever stands behind
    assert flow.id_number.text() == f"{card_number[:6]}********{card_number[-4:]}"
    _click(qtbot, flow.id_number.x_key)  # 输入X beside the number read: nothing added to the card's number
    assert flow.id_number.text().endswith(card_number[-4:]) and not flow.id_number.x_key.isEnabled()

    flow.name.setText("张未")  # however it came there: the case is not registered under the card's number
    _click(qtbot, flow.next_button)
    assert flow.step == 0 and "姓名要和读取的身份证一致（王秀英）" in flow.message.text()
    assert "重新填写" in flow.message.text()

    _click(qtbot, flow.retype_button)
    assert flow.name.text() == "" and flow.id_number.text() == "" and not flow.retype_button.isVisible()
    assert not flow.name.isReadOnly() and not flow.id_number.isReadOnly() and flow.card_state.text() == ""
    assert flow.id_number.x_key.isEnabled()  # typing again: the X key types again
    flow.name.setText("张未")
    flow.id_number.setText(valid_id(seq=31))
    _click(qtbot, flow.next_button)
    assert flow.step == 1 and flow.values["name"] == "张未" and flow.values["address"] == ""


# -- 4 an expired card ----------------------------------------------------------------------------------------


def test_an_expired_card_is_taken_and_its_holder_told_to_renew_it(
        qtbot: QtBot, work_context: Context, sqlite_engine: Any, clock: Any, tmp_path: Path) -> None:
    flow = _register(qtbot, work_context, sqlite_engine, clock, f"sim:{_cards(tmp_path, valid_to='2022-01-01')}")
    _click(qtbot, flow.read_button)
    qtbot.waitUntil(lambda: flow.name.text() != "", timeout=10_000)
    assert "您的身份证已过有效期（有效期至2022年1月1日），请及时换领" in flow.card_state.text()
    assert flow.card_state.property("tone") == "notice"
    flow.phone.setText("13800138000")
    _click(qtbot, flow.next_button)
    assert flow.step == 1  # the registration goes on: who the citizen is, is known

    _body, ticket = _ticket(qtbot, work_context, sqlite_engine, clock, f"sim:{_cards(tmp_path, valid_to='2022-01-01')}")
    _click(qtbot, ticket.card_button)
    qtbot.waitUntil(lambda: ticket.card is not None, timeout=10_000)
    assert "有效期至2022年1月1日" in ticket.card_state.text()


def test_a_card_read_shows_its_number_masked_and_registers_it_whole(
        qtbot: QtBot, work_context: Context, sqlite_engine: Any, clock: Any, tmp_path: Path) -> None:
    """A kiosk's screen is read by whoever stands behind the citizen: the number read from the card is shown as
    330726********0883, and the registration still goes under the whole number; typed, a number is shown as typed."""
    flow = _register(qtbot, work_context, sqlite_engine, clock, f"sim:{_cards(tmp_path)}")
    _click(qtbot, flow.read_button)
    qtbot.waitUntil(lambda: flow.name.text() == "王秀英", timeout=10_000)
    whole = str(flow.card.id_number)
    assert whole not in flow.id_number.text() and "*" * 8 in flow.id_number.text()
    _click(qtbot, flow.next_button)
    assert flow.step == 1 and flow.values["id_number"] == whole
    flow.show_step(0)
    _click(qtbot, flow.retype_button)
    flow.name.setText("王秀英")
    flow.id_number.setText(whole)  # typed by the citizen: as typed
    _click(qtbot, flow.next_button)
    assert flow.step == 1 and flow.values["id_number"] == whole and flow.id_number.text() == whole


@pytest.mark.parametrize("zone", ["UTC", "America/Los_Angeles"])
def test_a_card_is_expired_from_the_day_after_its_last_day_in_china_whatever_the_pcs_zone(
        qtbot: QtBot, work_context: Context, sqlite_engine: Any, clock: Any, tmp_path: Path, zone: str) -> None:
    """A card valid to 12月6日 is valid at 23:59 in China and expired at 01:30 on 12月7日, while a PC set to UTC or
    to California still reads 12月6日."""
    from tests.chinaclock import AFTER_CHINA_MIDNIGHT, BEFORE_CHINA_MIDNIGHT, machine

    cards = f"sim:{_cards(tmp_path, valid_to='2026-12-06')}"
    for instant, expired in ((BEFORE_CHINA_MIDNIGHT, False), (AFTER_CHINA_MIDNIGHT, True)):
        with machine(zone, instant):
            _body, ticket = _ticket(qtbot, work_context, sqlite_engine, clock, cards)
            _click(qtbot, ticket.card_button)
            qtbot.waitUntil(lambda ticket=ticket: ticket.card is not None, timeout=10_000)
            assert ("有效期至2026年12月6日" in ticket.card_state.text()) is expired, ticket.card_state.text()


# -- 5 the 取号 page after a read -----------------------------------------------------------------------------


@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920)], ids=["landscape", "portrait"])
def test_the_ticket_page_fits_the_screen_after_a_card_read(
        qtbot: QtBot, work_context: Context, sqlite_engine: Any, clock: Any, tmp_path: Path,
        size: tuple[int, int]) -> None:
    body, flow = _ticket(qtbot, work_context, sqlite_engine, clock, f"sim:{_cards(tmp_path)}", size=size)
    qtbot.waitUntil(lambda: body.flow_scroll.verticalScrollBar().maximum() == 0
                    and len({button.y() for button in flow.type_buttons}) > 1)  # laid out in their rows
    tops = [button.mapTo(body, button.rect().topLeft()).y() for button in flow.type_buttons]
    _click(qtbot, flow.card_button)
    qtbot.waitUntil(lambda: flow.card is not None, timeout=10_000)
    qtbot.wait(50)  # the layout after the words came (no signal for a layout done)
    assert flow.card_state.isVisible() and flow.card_state.text() == "已读取身份证，请点下面的业务取号"
    assert body.flow_scroll.verticalScrollBar().maximum() == 0
    if size[0] > size[1]:  # lying down the words stand beside the button: the businesses stay where they were
        assert [button.mapTo(body, button.rect().topLeft()).y() for button in flow.type_buttons] == tops


def test_a_ticket_not_printed_keeps_the_printers_phrases_whole() -> None:
    from ui.kiosk.ticket import _not_printed

    said = _not_printed("打印机暂时不能使用。号码已取得，仍然有效", "A001")
    assert isinstance(said, Phrases) and "号码已取得，" in said.phrases and "\n请记下" in said.phrases
    assert str(said) == ("号票没有打印出来：打印机暂时不能使用。号码已取得，仍然有效。"
                         "\n请记下您的号码 A001，记好后点“完成”")


@pytest.mark.parametrize("size", [(1080, 1920), (1920, 1080)])
def test_after_a_card_read_the_focus_is_on_the_next_field_to_type_in(
        qtbot: QtBot, work_context: Context, sqlite_engine: Any, clock: Any, tmp_path: Path,
        size: tuple[int, int]) -> None:
    """The card fixes the name and the number: the focus goes to the first field still to be typed, never to a field
    the read fixed (digits typed there went nowhere). A phone number typed before the read is kept and the address
    comes next; its digits typed then go into the field with the focus."""
    from PySide6.QtWidgets import QApplication

    flow = _register(qtbot, work_context, sqlite_engine, clock, f"sim:{_cards(tmp_path)}", size)
    qtbot.waitUntil(lambda: flow.read_button.isVisible())
    flow.id_number.setFocus()
    _click(qtbot, flow.read_button)
    qtbot.waitUntil(lambda: flow.name.text() == "王秀英", timeout=10_000)
    assert QApplication.focusWidget() is flow.phone
    qtbot.keyClicks(QApplication.focusWidget(), "138")
    assert flow.phone.text() == "138"

    _click(qtbot, flow.retype_button)
    _click(qtbot, flow.read_button)
    qtbot.waitUntil(lambda: flow.name.text() == "王秀英", timeout=10_000)
    # the phone typed before the read is kept, and the card's address fills the last: the phone, to go on with
    assert flow.phone.text() == "138" and QApplication.focusWidget() is flow.phone
    import dataclasses

    flow.fill_from_card(dataclasses.replace(flow.card, address=""))  # a card read with no address on it
    assert QApplication.focusWidget() is flow.address  # the one field still empty
