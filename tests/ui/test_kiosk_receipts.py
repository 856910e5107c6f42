"""The kiosk's printed receipts for a suggestion (its number) and a rating (评价回执), printed to PDF and read back."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from desktop.domain.events import EventType
from desktop.services import cases
from desktop.services.context import Actor
from desktop.services.registration import RegistrationResult, register_visit
from tests.conftest import FakeClock, make_hall
from tests.documents.conftest import pdf_text, poppler  # noqa: F401  (poppler: the fixture)
from tests.helpers import form
from ui.kiosk.body import kiosk_body
from ui.kiosk.progress import ProgressFlow
from ui.kiosk.shell import KioskShell, widget_texts
from ui.kiosk.suggest import SuggestionFlow
from ui.shell.context import WorkContext

Context = Callable[..., WorkContext]
KIOSK = Actor.kiosk("K01")
pytestmark = pytest.mark.usefixtures("poppler")  # the printed PDFs are read with pdftotext


def _click(qtbot: QtBot, widget: QWidget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def _kiosk(qtbot: QtBot, work_context: Context, hall: Any) -> KioskShell:
    body = kiosk_body(work_context(KIOSK, "kiosk", hall=hall))
    qtbot.addWidget(body)
    body.resize(1920, 1080)
    body.show()
    return body


def _printed(folder: Path) -> str:
    (pdf,) = folder.glob("*.pdf")
    return pdf_text(pdf.read_bytes(), folder)


def _suggest(qtbot: QtBot, body: KioskShell) -> SuggestionFlow:
    flow = body.open_flow("suggest")
    assert isinstance(flow, SuggestionFlow)
    qtbot.waitUntil(lambda: not flow.tasks.busy)  # the open themes are read
    _click(qtbot, flow.free_button)
    flow.content.setPlainText("建议在接待大厅增设老年人休息座椅和饮水机")
    _click(qtbot, flow.to_who)
    _click(qtbot, flow.send_anonymous)
    qtbot.waitUntil(lambda: flow.pages.currentIndex() == 3, timeout=10_000)
    return flow


def test_a_suggestion_prints_its_number_on_a_receipt(qtbot: QtBot, work_context: Context, sqlite_engine: Any,
                                                     clock: FakeClock, tmp_path: Path) -> None:
    body = _kiosk(qtbot, work_context, make_hall(sqlite_engine, clock, printer_receipts=f"pdf:{tmp_path}"))
    flow = _suggest(qtbot, body)
    number = flow.done_number.text()
    assert number == "JY-20260916-C01-0001"
    qtbot.waitUntil(lambda: "回执已打印" in flow.done_text.text(), timeout=20_000)
    text = _printed(tmp_path)
    assert "人民建议回执" in text and number in text and "自由建议" in text and "2026年9月16日" in text
    assert "匿名建议" in text and "休息座椅" not in text  # the number and theme, not what was suggested
    _click(qtbot, flow.done_button)
    assert body.flow is None and not any(number in t for t in widget_texts(body))


def test_a_suggestion_whose_receipt_fails_keeps_its_number_on_screen(
        qtbot: QtBot, work_context: Context, sqlite_engine: Any, clock: FakeClock) -> None:
    from tests.sync.conftest import free_port

    hall = make_hall(sqlite_engine, clock, printer_receipts=f"escpos:tcp:127.0.0.1:{free_port()}")  # nobody there
    flow = _suggest(qtbot, _kiosk(qtbot, work_context, hall))
    qtbot.waitUntil(lambda: "没有打印出来" in flow.done_text.text(), timeout=20_000)
    assert flow.done_number.text() == "JY-20260916-C01-0001" and "记下" in flow.done_text.text()


def _answered(hall: Any, clerk: Actor) -> RegistrationResult:
    result = register_visit(hall, clerk, form())
    ref = result.case_number
    cases.classify(hall, clerk, ref, nature="申诉求决类", topic_code="0101")
    cases.record(hall, clerk, ref, EventType.TRANSFERRED, {"route_kind": "转送", "organisation_code": "330726-ZJJ"})
    cases.accept(hall, clerk, ref, accepted_on=date(2026, 9, 16))
    cases.answer(hall, clerk, ref, outcome="不予支持", answered_on=date(2026, 9, 16))
    cases.deliver(hall, clerk, ref, delivered_on=date(2026, 9, 16))
    return result


def test_a_rating_prints_the_rating_receipt(qtbot: QtBot, work_context: Context, sqlite_engine: Any,
                                            clock: FakeClock, tmp_path: Path, clerk: Actor) -> None:
    hall = make_hall(sqlite_engine, clock, printer_receipts=f"pdf:{tmp_path}")
    result = _answered(hall, clerk)
    body = _kiosk(qtbot, work_context, hall)
    flow = body.open_flow("progress")
    assert isinstance(flow, ProgressFlow)
    flow.number.setText(result.case_number)
    flow.code.setText(result.query_code)
    with qtbot.waitSignal(flow.tasks.settled):
        _click(qtbot, flow.submit)
    _click(qtbot, flow.rate_button)
    _click(qtbot, flow.choice_buttons["基本满意"])
    with qtbot.waitSignal(flow.tasks.settled):
        _click(qtbot, flow.send_rating)
    assert flow.current_page is flow.thanks_page
    qtbot.waitUntil(lambda: "评价回执已打印" in flow.thanks_receipt.text(), timeout=20_000)
    text = _printed(tmp_path)
    assert "评价回执" in text and result.case_number in text and "基本满意" in text
    assert "张**" in text and "张建国" not in text  # masked, as on every kiosk receipt
    assert result.query_code not in text
    _click(qtbot, flow.thanks_done)
    assert body.flow is None and not any(result.case_number in t for t in widget_texts(body))
