"""A kiosk's unprinted receipt reaches every counter through the server (PostgreSQL), and is printed once.

The kiosk, two counters and the server each have their own database; the kiosk's records link
sends the receipt (also when it comes back after being cut off), the counters mirror it, the
first clerk takes it and the second is told who printed it.
"""

from __future__ import annotations

import json
import threading

import httpx
import pytest
from sqlalchemy import select

from db.models import KioskPrintRow, PrintJobRow
from desktop.domain.access import Actor
from desktop.domain.errors import RuleViolation
from desktop.printing.base import PrinterError, Problem
from desktop.printing.simulated import SimulatedPrinter
from desktop.services import documents, kiosk_prints, printing
from desktop.services.context import Hall
from desktop.services.reference_feed import store_document
from desktop.sync.records_client import RecordsClient
from server.app import create_app
from server.app import serving as serve_in_thread
from server.enrolment import PLACES
from server.store import SyncServer, enrol_device
from tests.conftest import FakeClock
from tests.sync.conftest import DeviceFactory, enrolled, free_port, linked
from tests.sync.test_records_hall import eventually

CLERK = Actor("staff:wangli", "王丽", "clerk")
OTHER = Actor("staff:chenjie", "陈杰", "clerk")
PAPER_OUT = PrinterError(Problem.OUT_OF_PAPER, "打印机缺纸")

pytestmark = pytest.mark.postgres


def _ticket(kiosk: Hall, number: str) -> printing.PrintOutcome:
    citizen = Actor.kiosk(kiosk.settings.device_code)
    doc = documents.queue_ticket(kiosk, citizen, ticket_number=number, window_type="来访登记", people_ahead=2)
    return printing.print_document(kiosk, citizen, doc, None, SimulatedPrinter("kiosk", fail_with=PAPER_OUT))


def test_a_kiosks_unprinted_ticket_reaches_both_counters_and_only_one_prints_it(
        sync_server: SyncServer, device_hall: DeviceFactory, clock: FakeClock) -> None:
    kiosk, left, right = device_hall("ka", code="K01"), device_hall("cl"), device_hall("cr")
    server = sync_server.hall
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    # where the kiosk stands, as the administrator named it
    store_document(server, Actor("staff:admin", "管理员", "admin"), PLACES, {kiosk.settings.device_id: "一楼大厅入口"})
    cut_off = RecordsClient(kiosk, url, enrolled(sync_server, kiosk, "kiosk"), erase=True, max_backoff=0.3).start()
    try:
        assert cut_off.cut.wait(10)
        failed = _ticket(kiosk, "A012")  # no server: the kiosk keeps it until it can send it
        assert not failed.printed
        with kiosk.sessions() as session:
            assert session.scalar(select(KioskPrintRow.pending)) is True
        with serve_in_thread(create_app(server, server=sync_server), port=port), \
                linked([RecordsClient(h, url, enrolled(sync_server, h, "counter"), max_backoff=0.3)
                        for h in (left, right)]):
            assert cut_off.online.wait(10), cut_off.last_error
            for counter in (left, right):
                eventually(counter, lambda c=counter: len(kiosk_prints.waiting(c, CLERK)) == 1)
            [shown] = kiosk_prints.waiting(left, CLERK)
            assert (shown.title, shown.number, shown.kiosk, shown.error) == (
                "排队号票", "A012", "自助终端 K01（一楼大厅入口）", "打印机缺纸")
            with kiosk.sessions() as session:  # the authority has it: the kiosk keeps nothing of it
                assert session.scalar(select(KioskPrintRow.print_id)) is None
                job = session.get_one(PrintJobRow, failed.job.job_id)
                assert (job.status, job.pdf, job.data) == ("failed", None, "{}")

            # one sent while linked goes at once
            clock.advance(minutes=3)
            assert not _ticket(kiosk, "A013").printed
            eventually(right, lambda: [p.number for p in kiosk_prints.waiting(right, CLERK)] == ["A013", "A012"])

            printer = SimulatedPrinter("left")
            assert kiosk_prints.print_at_counter(left, CLERK, shown.print_id, printer).printed
            assert [d.data["ticket_number"] for d in printer.printed] == ["A012"]
            eventually(right, lambda: [p.number for p in kiosk_prints.waiting(right, OTHER)] == ["A013"])
            late = SimulatedPrinter("right")
            with pytest.raises(RuleViolation, match="已由王丽在接待窗口于9月16日 09:33打印，不必再打印"):
                kiosk_prints.print_at_counter(right, OTHER, shown.print_id, late)
            assert late.printed == []
    finally:
        cut_off.stop()
    with server.sessions() as session:
        kept = session.scalars(select(KioskPrintRow).order_by(KioskPrintRow.failed_at, KioskPrintRow.document_number))
        assert [(r.document_number, r.done_by) for r in kept] == [("20260916-A012", "staff:wangli"),
                                                                  ("20260916-A013", "")]


def test_only_a_kiosk_reports_and_only_staff_take_and_bad_reports_are_refused(sync_server: SyncServer) -> None:
    hall = sync_server.hall
    kiosk = enrol_device(hall, "devk", "kiosk", device_code="K09")
    counter = enrol_device(hall, "devc", "counter")
    display = enrol_device(hall, "devd", "display")
    report = {"print_id": "p1", "kind": "排队号票", "title": "排队号票", "document_number": "20260916-A001",
              "case_number": "", "failed_at": "2026-09-16T09:30:00", "error": "打印机缺纸",
              "data": json.dumps({"ticket_number": "A001"})}

    def auth(token: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {token}"}

    with serve_in_thread(create_app(hall, server=sync_server)) as url, httpx.Client(base_url=url) as api:
        from_counter = api.post("/records/prints/merge", headers=auth(counter), json={"prints": [report]})
        not_a_receipt = api.post("/records/prints/merge", headers=auth(kiosk),
                                 json={"prints": [report | {"kind": "处理意见书"}]})
        unreadable = api.post("/records/prints/merge", headers=auth(kiosk), json={"prints": [report | {"data": "{x"}]})
        taken = api.post("/records/prints/merge", headers=auth(kiosk), json={"prints": [report, report]})
        again = api.post("/records/prints/merge", headers=auth(kiosk), json={"prints": [report]})
        seen_by_kiosk = api.get("/records/snapshot", headers=auth(kiosk)).json()["rows"]
        seen_by_display = api.get("/records/snapshot", headers=auth(display)).json()["rows"]
        seen_by_counter = api.get("/records/snapshot", headers=auth(counter)).json()["rows"]
        kiosk_takes = api.post("/records/prints/take", headers=auth(kiosk), json={"print_id": "p1"})
        nobody_named = api.post("/records/prints/take", headers=auth(counter), json={"print_id": "p1"})
    assert from_counter.status_code == 400 and "自助终端" in from_counter.json()["detail"]
    assert not_a_receipt.status_code == 400 and "不是自助终端打印的回执" in not_a_receipt.json()["detail"]
    assert unreadable.status_code == 400 and "无法读取" in unreadable.json()["detail"]
    assert (taken.json()["result"], again.json()["result"]) == (1, 0)
    assert "prints" not in seen_by_kiosk and "prints" not in seen_by_display
    assert [(p["device"], p["document_number"]) for p in seen_by_counter["prints"]] == [
        ("自助终端 K09", "20260916-A001")]
    assert kiosk_takes.status_code == 400 and nobody_named.status_code == 400


def test_two_clerks_taking_the_same_receipt_at_once_one_gets_it(server_hall: Hall) -> None:
    report = {"print_id": "p7", "kind": "排队号票", "title": "排队号票", "document_number": "20260916-A007",
              "case_number": "", "failed_at": "2026-09-16T09:30:00", "error": "打印机缺纸",
              "data": json.dumps({"ticket_number": "A007"})}
    assert kiosk_prints.merge(server_hall, "自助终端 K01", [report]) == 1
    start = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def take(clerk: Actor) -> None:
        start.wait(5)
        try:
            kiosk_prints.mark_taken(server_hall, clerk, "p7", "接待窗口")
            outcomes[clerk.display_name] = "taken"
        except RuleViolation as refusal:
            outcomes[clerk.display_name] = refusal.message

    threads = [threading.Thread(target=take, args=(clerk,)) for clerk in (CLERK, OTHER)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert len(outcomes) == 2 and list(outcomes.values()).count("taken") == 1
    [refused] = [m for m in outcomes.values() if m != "taken"]
    assert "不必再打印" in refused
    assert kiosk_prints.waiting(server_hall, CLERK) == []
