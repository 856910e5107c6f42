"""A kiosk's printer recorded as not working is asked again, printing nothing, and its recovery reported: a real
CUPS queue paused and resumed (cupsdisable / cupsenable), a PDF folder made unwritable and writable again."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from desktop.domain.access import Actor
from desktop.printing.factory import printer_for
from desktop.printing.probe import printer_state
from desktop.services import documents, hallrecords, peripherals, printing
from desktop.services.context import Hall
from tests.conftest import FakeClock, make_hall
from tests.printing.conftest import CupsQueue


class _Server:
    """The hall server as the kiosk reaches it: keeps each peripherals report."""

    connected = True

    def __init__(self) -> None:
        self.reports: list[list[dict[str, str]]] = []
        self.came = threading.Event()

    def command(self, path: str, body: dict[str, Any]) -> Any:
        if path == "/devices/peripherals":
            self.reports.append(body["peripherals"])
            self.came.set()
        return None


def _kiosk(engine: Engine, clock: FakeClock, printer: str) -> tuple[Hall, _Server]:
    hall = make_hall(engine, clock, device_id="kiosk1", device_code="K01", printer_receipts=printer)
    server = _Server()
    hallrecords.attach_remote(hall, server)
    return hall, server


def _reported(server: _Server) -> list[dict[str, str]]:
    assert server.came.wait(10), "the kiosk reported nothing"
    server.came.clear()
    return server.reports[-1]


def _ticket(hall: Hall) -> printing.PrintOutcome:
    """A citizen's queue ticket on the kiosk's configured printer."""
    citizen = Actor.kiosk("K01")
    doc = documents.queue_ticket(hall, citizen, ticket_number="A001", window_type="来访登记", people_ahead=0)
    return printing.print_document(hall, citizen, doc, None, printer_for(doc.kind, hall.settings, media=doc.media))


# -- a CUPS queue ------------------------------------------------------------------------------------


def _lp(*argv: str) -> None:
    done = subprocess.run(argv, capture_output=True, text=True, env={**os.environ, "LC_ALL": "C"}, check=False)
    assert done.returncode == 0, f"{argv}: {done.stderr}"


@pytest.fixture
def own_queue(cups_queue: CupsQueue) -> Iterator[str]:
    """A queue of this test's own on the test CUPS (the shared ones stay as the other tests expect them)."""
    found = subprocess.run(["lpstat", "-v", cups_queue.name], capture_output=True, text=True,
                           env={**os.environ, "LC_ALL": "C"}, check=False).stdout
    device = found.strip().rpartition(": ")[2]
    assert device, found
    name = f"PHRECOVER_{uuid.uuid4().hex[:8]}"
    _lp("lpadmin", "-p", name, "-v", device, "-E")
    try:
        yield name
    finally:
        subprocess.run(["lpadmin", "-x", name], capture_output=True, check=False)


def test_a_paused_cups_queue_is_seen_working_again_and_reported_without_printing(
        own_queue: str, cups_queue: CupsQueue, sqlite_engine: Engine, clock: FakeClock) -> None:
    kiosk, server = _kiosk(sqlite_engine, clock, f"system:{own_queue}")
    printed_before = sorted(cups_queue.out.rglob("*.pdf"))
    _lp("cupsdisable", own_queue)
    paused = f"打印机“{own_queue}”的打印队列已暂停，请由管理员在打印设置中恢复"
    assert printer_state(f"system:{own_queue}") == paused  # the words a receipt sent there now would meet
    # as a receipt that could not print recorded it
    assert peripherals.note(kiosk, peripherals.PRINTER, paused)
    peripherals.send_pending(kiosk)
    assert [p["problem"] for p in _reported(server)] == [paused]

    clock.advance(minutes=1)
    assert peripherals.recheck_printer(kiosk) is False  # still paused: it stays, since it began
    assert [(p.problem, p.since) for p in peripherals.current(kiosk)] == [(paused, "2026-09-16T09:30:00")]

    _lp("cupsenable", own_queue)
    clock.advance(minutes=1)
    assert peripherals.recheck_printer(kiosk) is True
    assert _reported(server) == []  # the server's 设备管理 shows it working
    assert peripherals.current(kiosk) == [] and not peripherals.printer_problem(kiosk)
    assert peripherals.recheck_printer(kiosk) is None  # nothing left to look at
    assert sorted(cups_queue.out.rglob("*.pdf")) == printed_before  # no test page


# -- a PDF folder -------------------------------------------------------------------------------------


def _writable(folder: Path) -> bool:
    probe = folder / f".probe-{uuid.uuid4().hex}"
    try:
        probe.touch()
    except OSError:
        return False
    probe.unlink()
    return True


@contextmanager
def unwritable(folder: Path) -> Iterator[None]:
    """``folder`` nobody can write in: its mode for an ordinary account, the immutable flag for root."""
    folder.chmod(0o500)
    flagged = False
    if _writable(folder) and shutil.which("chattr"):
        flagged = subprocess.run(["chattr", "+i", str(folder)], capture_output=True, check=False).returncode == 0
    try:
        if _writable(folder):
            pytest.skip("这个账户可以写入任何文件夹（root 且不能设置不可修改标志）")
        yield
    finally:
        if flagged:
            subprocess.run(["chattr", "-i", str(folder)], capture_output=True, check=False)
        folder.chmod(0o700)


def test_a_pdf_folder_writable_again_is_seen_working_and_reported(tmp_path: Path, sqlite_engine: Engine,
                                                                  clock: FakeClock) -> None:
    folder = tmp_path / "回执"
    folder.mkdir()
    kiosk, server = _kiosk(sqlite_engine, clock, f"pdf:{folder}")
    with unwritable(folder):
        failed = _ticket(kiosk)
        assert not failed.printed
        assert [p["problem"] for p in _reported(server)] == [f"没有权限写入文件夹 {folder}"]
        clock.advance(minutes=1)
        assert peripherals.recheck_printer(kiosk) is False
        assert peripherals.printer_problem(kiosk)
    clock.advance(minutes=1)
    assert peripherals.recheck_printer(kiosk) is True
    assert _reported(server) == []
    assert not peripherals.printer_problem(kiosk)
    assert list(folder.iterdir()) == []  # the check left nothing behind


# -- a network thermal printer --------------------------------------------------------------------------


class _ThermalPrinter:
    """A network ESC/POS printer on a real socket: answers each real-time status request (DLE EOT n) from
    :attr:`status` and keeps every byte it was sent."""

    def __init__(self) -> None:
        self.status = {1: 0x12, 2: 0x12, 4: 0x12}
        self.received = bytearray()
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            with conn:
                while chunk := conn.recv(64):
                    self.received += chunk
                    for at in range(len(chunk) - 2):
                        if chunk[at:at + 2] == b"\x10\x04":
                            conn.sendall(bytes([self.status[chunk[at + 2]]]))

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.listener.shutdown(socket.SHUT_RDWR)  # wakes the accept waiting on it
        self.listener.close()
        self.thread.join(5)


def test_a_network_thermal_printer_is_asked_its_status_and_prints_nothing() -> None:
    printer = _ThermalPrinter()
    where = f"escpos:tcp:127.0.0.1:{printer.port}"
    try:
        printer.status[4] = 0x12 | 0x60  # paper end
        assert printer_state(where) == f"热敏小票机（网络 127.0.0.1:{printer.port}）缺纸，请装入热敏纸卷"
        printer.status[4] = 0x12  # a new roll
        assert printer_state(where) == ""
        # it was asked its status, and sent nothing else: no picture, no cut
        assert bytes(printer.received).replace(b"\x10\x04\x01", b"").replace(b"\x10\x04\x04", b"") == b""
    finally:
        printer.close()
    assert printer_state(where) == f"热敏小票机（网络 127.0.0.1:{printer.port}）未连接或未开机，请检查电源和连线"


def test_a_printer_that_cannot_be_asked_is_left_to_the_next_receipt(sqlite_engine: Engine, clock: FakeClock) -> None:
    kiosk, _server = _kiosk(sqlite_engine, clock, "sim:演示")
    peripherals.note(kiosk, peripherals.PRINTER, "打印机缺纸")
    assert printer_state("sim:演示") is None
    assert peripherals.recheck_printer(kiosk) is None
    assert peripherals.printer_problem(kiosk)
