"""预约领导接访 at the kiosk: the times as the kiosk writes them, the slip that did not print, the ID card read."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontInfo
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from db.models import AppointmentRow
from desktop.services import reception
from desktop.services.context import Actor, Hall
from tests.conftest import FakeClock, make_hall
from tests.documents.conftest import pdf_text, poppler  # noqa: F401  (poppler: the fixture)
from tests.helpers import valid_id
from tests.ui.test_kiosk_citizen import Themed, themed
from ui.kiosk.booking import BookingFlow
from ui.shell.context import WorkContext

__all__ = ["themed"]  # the fixture, used here by its name

Context = Callable[..., WorkContext]
KIOSK = Actor.kiosk("K01")
SUPERVISOR = Actor("staff:ducha1", "督查", "supervisor")


def _click(qtbot: QtBot, widget: QWidget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def _flow(qtbot: QtBot, work_context: Context, hall: Hall) -> BookingFlow:
    flow = BookingFlow(work_context(KIOSK, "kiosk", hall=hall))
    qtbot.addWidget(flow)
    flow.resize(1920, 1080)
    flow.show()
    qtbot.waitUntil(lambda: len(flow.days) > 0 and not flow.tasks.busy, timeout=10_000)
    return flow


def _to_form(qtbot: QtBot, flow: BookingFlow, slot: int = 0) -> None:
    _click(qtbot, flow.day_buttons.itemAt(0).widget())  # type: ignore[arg-type]
    _click(qtbot, flow.slot_buttons.itemAt(slot).widget())  # type: ignore[arg-type]
    assert flow.pages.currentWidget() is flow.who_page


def _book(qtbot: QtBot, flow: BookingFlow, name: str = "欧阳建华", seq: int = 12) -> None:
    if not flow.name.isReadOnly():
        flow.name.setText(name)
        flow.id_number.setText(valid_id(seq=seq))
    with qtbot.waitSignal(flow.booked, timeout=10_000):
        _click(qtbot, flow.confirm)


@pytest.mark.usefixtures("poppler")
def test_the_booking_and_its_slip_write_a_time_before_ten_without_a_leading_zero(
        qtbot: QtBot, work_context: Context, sqlite_engine: Any, clock: FakeClock, tmp_path: Path) -> None:
    """8:30–9:30 on the slot's button, beside the form's title, on the result and on the printed slip, as the rest
    of the kiosk writes a time of day (the hall's hours 8:30–12:00): never 08:30–09:30."""
    hall = make_hall(sqlite_engine, clock, printer_receipts=f"pdf:{tmp_path}")
    reception.add_day(hall, SUPERVISOR, date(2026, 9, 17), leaders=["县长 周建华"], place="县信访局三楼接待室",
                      slots="08:30-09:30/2,09:30-11:05/2")
    flow = _flow(qtbot, work_context, hall)
    _click(qtbot, flow.day_buttons.itemAt(0).widget())  # type: ignore[arg-type]
    shown = [button.text().split("\n") for index in range(flow.slot_buttons.count())
             if isinstance(button := flow.slot_buttons.itemAt(index).widget(), QPushButton)]
    assert [lines[0] for lines in shown] == ["8:30–9:30", "9:30–11:05"]
    assert [lines[1] for lines in shown] == ["尚有2个名额"] * 2  # what is left counted in the day's words
    _click(qtbot, flow.slot_buttons.itemAt(0).widget())  # type: ignore[arg-type]
    assert flow.chosen.text().endswith("8:30–9:30")
    _book(qtbot, flow)
    assert flow.fact_rows[0][1].text().endswith("8:30–9:30")
    qtbot.waitUntil(lambda: not flow.tasks.busy, timeout=20_000)
    (pdf,) = tmp_path.glob("*.pdf")
    text = pdf_text(pdf.read_bytes(), tmp_path)
    assert "8:30–9:30" in text and "08:30" not in text and "09:30" not in text


@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920)])
@pytest.mark.parametrize("large", [False, True])
def test_a_slip_that_did_not_print_leaves_the_booking_and_what_to_note_down_in_large_words(
        qtbot: QtBot, sqlite_hall: Hall, clerk: Actor, themed: Themed, size: tuple[int, int], large: bool) -> None:
    """The printer fails: the screen no longer asks for a slip the citizen does not have. It says in large words
    that the booking stands and the slip did not print, what to note down (the day in words, the slot, the place)
    and to bring the ID card — all on the screen unscrolled — and that a counter prints the slip: the failed print
    is kept for the hall's counters."""
    from desktop.printing.base import PrinterError
    from desktop.printing.simulated import SimulatedPrinter
    from desktop.services import printing
    from tests.ui.test_kiosk_booking_view import _bars, _in_window, _open_booking

    themed(QApplication.instance())
    reception.add_day(sqlite_hall, SUPERVISOR, date(2026, 9, 22), leaders=["县长 周建华"],
                      place="县人民来访接待中心领导接访室", slots="08:30-09:30/2,16:00-17:30/2")
    window, shell, flow = _open_booking(qtbot, sqlite_hall, size, large)
    flow.printer = lambda: SimulatedPrinter(fail_with=PrinterError("no_paper", "打印机缺纸"))
    _to_form(qtbot, flow, slot=1)
    _book(qtbot, flow)
    qtbot.waitUntil(lambda: not flow.tasks.busy and flow.unprinted.isVisible(), timeout=20_000)
    assert flow.outcome.text() == "预约已成功"
    said = flow.unprinted.text().replace("\u200b", "")
    assert said.startswith("预约回执没有打印出来：打印机暂时不能使用。") and "预约仍然有效" in said and "请记下" in said
    assert [value.text().replace("\u200b", "") for _caption, value in flow.fact_rows] == [
        "9月22日（星期二） 16:00–17:30", "县人民来访接待中心领导接访室", "身份证"]
    shown = " ".join(w.text() for w in flow.result_page.findChildren(QLabel) if w.isVisible())
    assert "请取走" not in shown and "身份证和预约回执" not in shown
    assert "需要回执的，可到接待窗口补打" in said
    assert "请带上身份证" in flow.details.text().replace("\u200b", "")
    facts = [value for _caption, value in flow.fact_rows]
    assert QFontInfo(facts[0].font()).pixelSize() > QFontInfo(flow.details.font()).pixelSize()

    def whole() -> bool:
        return (all(_in_window(window, shell, widget) for widget in (flow.outcome, flow.unprinted, *facts,
                                                                      flow.details, flow.done_button))
                and shell.flow_scroll.verticalScrollBar().maximum() == 0 and not _bars(shell))

    qtbot.waitUntil(whole)
    (job,) = printing.pending_jobs(sqlite_hall, clerk)  # the slip is kept as the kiosk's failed print
    assert job.title == "领导接访预约回执"
    from desktop.services import kiosk_prints

    # what the counter's 待补打 lists from the hall's kiosks: the slip the screen sends the citizen to ask for
    assert [p.title for p in kiosk_prints.waiting(sqlite_hall, clerk)] == ["领导接访预约回执"]


# -- the ID card on the booking form ---------------------------------------------------------------------------


def _reading(qtbot: QtBot, work_context: Context, sqlite_engine: Any, clock: FakeClock, reader: str) -> BookingFlow:
    return _reading_in(qtbot, work_context, make_hall(sqlite_engine, clock, id_reader=reader))


def _reading_in(qtbot: QtBot, work_context: Context, hall: Hall) -> BookingFlow:
    reception.add_day(hall, SUPERVISOR, date(2026, 9, 22), leaders=["县长 周建华"], slots="08:30-09:30/2")
    flow = _flow(qtbot, work_context, hall)
    _to_form(qtbot, flow)
    return flow


def test_the_booking_form_reads_the_card_as_the_other_kiosk_forms_do(
        qtbot: QtBot, work_context: Context, sqlite_engine: Any, clock: FakeClock, tmp_path: Path) -> None:
    """读取身份证 on the form: the name and number as the card says them, not typed over, 重新填写 to type both; the
    booking made under them."""
    from tests.ui.test_kiosk_reader import _cards

    hall = make_hall(sqlite_engine, clock, id_reader=f"sim:{_cards(tmp_path)}")
    flow = _reading_in(qtbot, work_context, hall)
    assert flow.read_button.isVisible() and not flow.retype_button.isVisible()
    _click(qtbot, flow.read_button)
    qtbot.waitUntil(lambda: flow.name.text() == "王秀英", timeout=10_000)
    assert flow.name.isReadOnly() and flow.id_number.isReadOnly() and flow.retype_button.isVisible()
    assert flow.card_state.property("tone") == "ok" and "重新填写" in flow.card_state.text()
    assert flow.phone.hasFocus()  # the next field to fill
    flow.name.setFocus()
    qtbot.keyClicks(flow.name, "zhang")
    qtbot.keyClick(flow.name, Qt.Key.Key_Backspace)
    assert flow.name.text() == "王秀英"
    card_number = str(flow.card.id_number)  # shown masked: the screen is read by whoever stands behind
    assert flow.id_number.text() == f"{card_number[:6]}********{card_number[-4:]}"
    _click(qtbot, flow.id_number.x_key)  # 输入X beside the number read: nothing added to the card's number
    assert flow.id_number.text().endswith(card_number[-4:]) and not flow.id_number.x_key.isEnabled()
    flow.phone.setText("139")
    _click(qtbot, flow.confirm)  # a phone number cut short: said under the form
    qtbot.waitUntil(lambda: "手机号码" in flow.message.text(), timeout=10_000)
    flow.phone.clear()

    _click(qtbot, flow.retype_button)  # another's card: both typed again, and nothing said of the card's any more
    assert flow.name.text() == flow.id_number.text() == "" and not flow.retype_button.isVisible()
    assert flow.message.text() == ""
    assert not flow.name.isReadOnly() and not flow.id_number.isReadOnly() and flow.card_state.text() == ""
    assert flow.id_number.x_key.isEnabled()  # typing again: the X key types again
    _click(qtbot, flow.read_button)
    qtbot.waitUntil(lambda: flow.id_number.text().endswith(card_number[-4:]), timeout=10_000)
    _book(qtbot, flow)
    assert flow.booking is not None
    with hall.sessions() as session:  # the day's list shows them masked: the record itself
        (booked,) = session.scalars(select(AppointmentRow)).all()
        assert (booked.name, booked.id_number) == ("王秀英", card_number)

    flow.finish()  # the next citizen: nothing of this card left
    assert flow.name.text() == "" and not flow.name.isReadOnly() and not flow.retype_button.isVisible()


def test_a_read_without_a_card_counts_down_then_says_what_to_do_in_a_citizens_words(
        qtbot: QtBot, work_context: Context, sqlite_engine: Any, clock: FakeClock) -> None:
    flow = _reading(qtbot, work_context, sqlite_engine, clock, "sim:nocard")
    flow.card_reading.seconds = 1
    _click(qtbot, flow.read_button)
    said = flow.card_state.text()
    assert said.startswith("请把身份证放在感应区") and "还有1秒" in said and not flow.read_button.isEnabled()
    qtbot.waitUntil(lambda: "正在读取" not in flow.card_state.text(), timeout=5000)
    assert flow.card_state.text() == "没有读到身份证。请把身份证放好后再点“读取身份证”，或者直接在下面填写"
    assert flow.read_button.isEnabled() and not flow.name.isReadOnly()


def test_an_unplugged_reader_on_the_booking_form_is_said_in_a_citizens_words(
        qtbot: QtBot, work_context: Context, sqlite_engine: Any, clock: FakeClock) -> None:
    flow = _reading(qtbot, work_context, sqlite_engine, clock, "sim:unplugged")
    _click(qtbot, flow.read_button)
    qtbot.waitUntil(lambda: "正在读取" not in flow.card_state.text(), timeout=5000)
    assert flow.card_state.text() == "读卡器暂时不能用，请直接在下面填写；需要帮助请找工作人员"


def test_an_expired_card_books_and_its_holder_is_told_to_renew_it(
        qtbot: QtBot, work_context: Context, sqlite_engine: Any, clock: FakeClock, tmp_path: Path) -> None:
    from tests.ui.test_kiosk_reader import _cards

    flow = _reading(qtbot, work_context, sqlite_engine, clock, f"sim:{_cards(tmp_path, valid_to='2022-01-01')}")
    _click(qtbot, flow.read_button)
    qtbot.waitUntil(lambda: flow.name.text() != "", timeout=10_000)
    assert "您的身份证已过有效期（有效期至2022年1月1日），请及时换领" in flow.card_state.text()
    assert flow.card_state.property("tone") == "notice"
    _book(qtbot, flow)
    assert flow.booking is not None


def test_a_kiosk_without_a_reader_offers_no_card_to_read(qtbot: QtBot, work_context: Context, sqlite_engine: Any,
                                                         clock: FakeClock) -> None:
    flow = _reading(qtbot, work_context, sqlite_engine, clock, "none")
    assert not flow.read_button.isVisible() and not flow.card_state.isVisible()


@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920)])
@pytest.mark.parametrize("large", [False, True])
def test_with_a_reader_the_whole_form_and_its_card_row_stay_on_the_screen_unscrolled(
        qtbot: QtBot, sqlite_hall: Hall, themed: Themed, tmp_path: Path, size: tuple[int, int], large: bool) -> None:
    """读取身份证, 重新填写 and what the read said take no row of their own lying down (beside the title, the day and
    the slot): every field down to 反映问题 and 确认预约 stay in view after a card is read. With 大字 lying down the
    read's words take four lines there, and the optional 反映问题 is scrolled to (the screen scrolls by itself)."""
    from dataclasses import replace

    from tests.ui.test_kiosk_booking_view import _bars, _in_window, _open_booking
    from tests.ui.test_kiosk_reader import _cards

    themed(QApplication.instance())
    sqlite_hall.settings = replace(sqlite_hall.settings, id_reader=f"sim:{_cards(tmp_path)}")
    reception.add_day(sqlite_hall, SUPERVISOR, date(2026, 9, 22), leaders=["县长 周建华"], slots="08:30-09:30/2")
    window, shell, flow = _open_booking(qtbot, sqlite_hall, size, large)
    _to_form(qtbot, flow)
    _click(qtbot, flow.read_button)
    qtbot.waitUntil(lambda: flow.name.text() == "王秀英", timeout=10_000)
    scrolled = large and size[0] > size[1]
    shown = (flow.read_button, flow.retype_button, flow.card_state, flow.name, flow.id_number, flow.phone,
             *(() if scrolled else (flow.summary,)), flow.confirm)

    def whole() -> bool:
        return (all(_in_window(window, shell, widget) for widget in shown)
                and shell.flow_scroll.verticalScrollBar().maximum() == 0 and (scrolled or not _bars(shell)))

    qtbot.waitUntil(whole)


def test_a_card_read_after_the_phone_was_typed_goes_on_to_the_problem(
        qtbot: QtBot, work_context: Context, sqlite_engine: Any, clock: FakeClock, tmp_path: Path) -> None:
    """The phone typed before the card was read: the focus goes on to the next field still empty (反映问题), not back
    to the phone or a field the card fixed."""
    from PySide6.QtWidgets import QApplication

    from tests.ui.test_kiosk_reader import _cards

    hall = make_hall(sqlite_engine, clock, id_reader=f"sim:{_cards(tmp_path)}")
    flow = _reading_in(qtbot, work_context, hall)
    flow.phone.setText("13800138000")
    flow.id_number.setFocus()
    _click(qtbot, flow.read_button)
    qtbot.waitUntil(lambda: flow.name.text() == "王秀英", timeout=10_000)
    assert QApplication.focusWidget() is flow.summary and flow.phone.text() == "13800138000"
