"""A kiosk's card reader and printer problems reach the server (PostgreSQL) in words, with when they began,
and go once they work again; and the administrator's 设备管理 shows them."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import replace

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from db.models import PeripheralStateRow
from desktop.domain.access import Actor
from desktop.printing.base import PrinterError, Problem
from desktop.printing.simulated import SimulatedPrinter
from desktop.services import documents, hallrecords, peripherals, printing
from desktop.services.context import Hall
from desktop.sync.records_client import RecordsClient
from server.app import create_app
from server.app import serving as serve_in_thread
from server.enrolment import list_devices
from server.store import SyncServer, enrol_device
from tests.conftest import FakeClock
from tests.sync.conftest import DeviceFactory, add_staff, enrolled, free_port, serving, with_staff
from tests.sync.test_records_hall import eventually
from ui.admin.devices import DevicesPanel
from ui.shell.context import WorkContext

ADMIN = Actor("staff:guanli1", "孙涛", "admin")
PASSWORD = "Guanli#2026xf"


def _reported(server: Hall, device_id: str) -> list[tuple[str, str, str]]:
    [device] = [d for d in list_devices(server, ADMIN) if d.device_id == device_id]
    return [(p["peripheral"], p["problem"], p["since"]) for p in device.peripherals]


def _ticket(kiosk: Hall, printer: SimulatedPrinter) -> bool:
    citizen = Actor.kiosk(kiosk.settings.device_code)
    doc = documents.queue_ticket(kiosk, citizen, ticket_number="A001", window_type="来访登记", people_ahead=0)
    return printing.print_document(kiosk, citizen, doc, None, printer).printed


@pytest.mark.postgres
def test_the_kiosks_reader_and_printer_problems_reach_the_server_and_clear_when_they_work(
        sync_server: SyncServer, device_hall: DeviceFactory, clock: FakeClock) -> None:
    kiosk = device_hall("ka", code="K01")
    server = sync_server.hall
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    link = RecordsClient(kiosk, url, enrolled(sync_server, kiosk, "kiosk"), erase=True, max_backoff=0.3).start()
    try:
        assert link.cut.wait(10)
        peripherals.reader_read(kiosk, "not_connected")  # noted while the server cannot be reached
        clock.advance(minutes=5)
        printer = SimulatedPrinter("kiosk", fail_with=PrinterError(Problem.OUT_OF_PAPER, "打印机缺纸"))
        assert not _ticket(kiosk, printer)
        with serve_in_thread(create_app(server, server=sync_server), port=port):
            assert link.online.wait(10), link.last_error
            eventually(server, lambda: len(_reported(server, kiosk.settings.device_id)) == 2)
            assert _reported(server, kiosk.settings.device_id) == [
                ("printer", "打印机缺纸", "2026-09-16T09:35:00"),
                ("reader", "身份证阅读器未连接", "2026-09-16T09:30:00")]
            # still failing: it keeps the time it began; a card that would not read says nothing of the reader
            clock.advance(minutes=5)
            assert not _ticket(kiosk, printer)
            peripherals.reader_read(kiosk, "read_failed")
            assert [p.since for p in peripherals.current(kiosk)] == ["2026-09-16T09:35:00", "2026-09-16T09:30:00"]
            # paper put in, a card laid down: both work again
            printer.fail_with(None)
            assert _ticket(kiosk, printer)
            eventually(server, lambda: [p for p, _w, _s in _reported(server, kiosk.settings.device_id)] == ["reader"])
            peripherals.reader_read(kiosk, "no_card")
            eventually(server, lambda: _reported(server, kiosk.settings.device_id) == [])
    finally:
        link.stop()
    with kiosk.sessions() as session:
        assert session.scalar(select(PeripheralStateRow.peripheral)) is None  # reported: nothing left to send


@pytest.mark.postgres
def test_a_change_while_a_report_is_on_its_way_is_reported_after_it(
        sync_server: SyncServer, device_hall: DeviceFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each report carries the whole state: a card laid down while the last problem is on its way goes with the
    next report, and a second report waits for the first (out of order, the older one would be left standing)."""
    kiosk = device_hall("kb", code="K02")
    server = sync_server.hall
    with serving(server, sync_server) as url:
        link = RecordsClient(kiosk, url, enrolled(sync_server, kiosk, "kiosk"), erase=True, max_backoff=0.3).start()
        try:
            assert link.online.wait(10), link.last_error
            asked = hallrecords.ask
            overtaking: list[threading.Thread] = []

            def meanwhile(hall: Hall, path: str, body: dict[str, object]) -> object:
                if path == "/devices/peripherals" and not overtaking:
                    peripherals.note(kiosk, peripherals.READER, None)  # the reader works again
                    overtaking.append(threading.Thread(target=peripherals.send_pending, args=(kiosk,)))
                    overtaking[0].start()
                    overtaking[0].join(0.5)  # it would have gone first had it not waited
                return asked(hall, path, body)

            monkeypatch.setattr(hallrecords, "ask", meanwhile)
            peripherals.note(kiosk, peripherals.READER, "身份证阅读器未连接")
            assert peripherals.send_pending(kiosk) == 1
            overtaking[0].join()
            assert _reported(server, kiosk.settings.device_id) == []
            with kiosk.sessions() as session:
                assert session.scalar(select(PeripheralStateRow.peripheral)) is None
        finally:
            link.stop()


def test_the_admin_sees_a_kiosks_peripherals_in_words(qtbot: QtBot, work_context: Callable[..., WorkContext],
                                                      device_hall: DeviceFactory,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    centre = with_staff(device_hall("srv", code="H01"))
    add_staff(centre, "guanli1", "admin", "孙涛", password=PASSWORD)
    desk = device_hall("adm")
    monkeypatch.setenv("PH_SYNC_TOKEN", enrol_device(centre, desk.settings.device_id, "admin"))
    enrol_device(centre, "kiosk1", "kiosk", device_code="K01")
    enrol_device(centre, "kiosk2", "kiosk", device_code="K02")
    peripherals.store_report(centre, "kiosk1", [
        {"peripheral": "reader", "problem": "身份证阅读器未连接", "since": "2026-09-16T08:05:00"},
        {"peripheral": "printer", "problem": "打印机缺纸", "since": "2026-09-15T17:20:00"}])
    with serving(centre) as url:
        desk.settings = replace(desk.settings, server_url=url)
        panel = DevicesPanel(work_context(ADMIN, "admin", hall=desk))
        qtbot.addWidget(panel)
        panel.password.setText(PASSWORD)
        with qtbot.waitSignal(panel.refreshed, timeout=20_000):
            qtbot.mouseClick(panel.load_button, Qt.MouseButton.LeftButton)
        rows = {d.device_id: panel.table.item(r, panel.PERIPHERALS_COLUMN).text()  # type: ignore[union-attr]
                for r, d in enumerate(panel.devices)}
    assert rows == {"kiosk1": "打印机缺纸（9月15日 17:20起）；身份证阅读器未连接（9月16日 08:05起）",
                    "kiosk2": "正常", "devadm": "—"}
    assert panel.table.horizontalHeaderItem(panel.PERIPHERALS_COLUMN).text() == "外设"  # type: ignore[union-attr]
