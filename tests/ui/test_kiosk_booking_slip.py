"""预约领导接访 at the kiosk: the times as the kiosk writes them, the slip that did not print, the ID card read."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton, QWidget
from pytestqt.qtbot import QtBot

from desktop.services import reception
from desktop.services.context import Actor, Hall
from tests.conftest import FakeClock, make_hall
from tests.documents.conftest import pdf_text, poppler  # noqa: F401  (poppler: the fixture)
from tests.helpers import valid_id
from ui.kiosk.booking import BookingFlow
from ui.shell.context import WorkContext

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
    shown = [button.text().split("\n")[0] for index in range(flow.slot_buttons.count())
             if isinstance(button := flow.slot_buttons.itemAt(index).widget(), QPushButton)]
    assert shown == ["8:30–9:30", "9:30–11:05"]
    _click(qtbot, flow.slot_buttons.itemAt(0).widget())  # type: ignore[arg-type]
    assert flow.chosen.text().endswith("8:30–9:30")
    _book(qtbot, flow)
    assert flow.fact_rows[0][1].text().endswith("8:30–9:30")
    qtbot.waitUntil(lambda: not flow.tasks.busy, timeout=20_000)
    (pdf,) = tmp_path.glob("*.pdf")
    text = pdf_text(pdf.read_bytes(), tmp_path)
    assert "8:30–9:30" in text and "08:30" not in text and "09:30" not in text
