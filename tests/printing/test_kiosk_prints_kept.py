"""How long a kiosk's unprinted receipt is kept: the day's stay, one no counter printed stays a month, the rest
goes — at the authority (SQLite and PostgreSQL, on China's day whatever the machine's time zone), on the kiosk
(before it sends) and in a counter's mirror."""

from __future__ import annotations

import dataclasses
import json
from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import Engine, select

from db.models import KioskPrintRow
from desktop.domain.access import Actor
from desktop.domain.chinatime import china_now
from desktop.printing.base import PrinterError, Problem
from desktop.printing.simulated import SimulatedPrinter
from desktop.services import documents, hallrecords, kiosk_prints, printing
from desktop.services.context import Hall
from tests.chinaclock import AFTER_CHINA_MIDNIGHT, ZONES, machine
from tests.conftest import FakeClock, make_hall

KIOSK = "自助终端 K01（一楼大厅入口）"


def _report(print_id: str, failed_at: str) -> dict[str, Any]:
    return {"print_id": print_id, "kind": "排队号票", "title": "排队号票", "document_number": f"x-{print_id}",
            "case_number": "", "failed_at": failed_at, "error": "打印机缺纸",
            "data": json.dumps({"ticket_number": print_id.upper()})}


def _kept(hall: Hall) -> list[str]:
    with hall.sessions() as session:
        return sorted(session.scalars(select(KioskPrintRow.print_id)))


@pytest.mark.parametrize("zone", ZONES)
def test_the_authority_keeps_the_days_receipts_and_the_unprinted_for_a_month_on_chinas_day(
        engine: Engine, clerk: Actor, zone: str) -> None:
    clock = FakeClock(datetime(2025, 12, 7, 9, 0))
    hall = make_hall(engine, clock)
    # (receipt, when the kiosk failed to print it, whether a counter printed it five minutes later)
    history = [("a", "2025-12-07T09:00:00", False),  # a year ago
               ("b", "2026-11-06T17:00:00", False),  # 31 days before 12月7日
               ("c", "2026-11-07T08:40:00", False),  # 30 days before 12月7日
               ("d", "2026-12-06T10:00:00", True),  # printed at a counter on 12月6日
               ("e", "2026-12-06T16:30:00", False)]  # not printed on 12月6日
    for print_id, failed_at, printed in history:
        clock.current = datetime.fromisoformat(failed_at)
        assert kiosk_prints.merge(hall, KIOSK, [_report(print_id, failed_at)]) == 1
        if printed:
            clock.advance(minutes=5)
            kiosk_prints.mark_taken(hall, clerk, print_id, "接待窗口（3号窗口）")
    # late on 12月6日: the day's receipts stay, printed or not, and the unprinted of the last 30 days
    assert _kept(hall) == ["b", "c", "d", "e"]

    # 12月7日 01:30 in China, still 12月6日 on this machine's own clock in UTC and in California
    with machine(zone, AFTER_CHINA_MIDNIGHT):
        now = dataclasses.replace(hall, now=china_now)
        assert kiosk_prints.merge(now, KIOSK, [_report("f", "2026-12-07T01:20:00")]) == 1
        kiosk_prints.mark_taken(now, clerk, "f", "接待窗口（3号窗口）")
        assert _kept(now) == ["c", "e", "f"]
        # what stays still works as before: the unprinted of 12月6日 can still be printed once
        assert kiosk_prints.mark_taken(now, clerk, "e", "接待窗口（3号窗口）").done_by_name == "王丽"


class _Authority:
    """The hall server as the kiosk reaches it: takes what it is sent."""

    connected = True

    def __init__(self) -> None:
        self.sent: list[list[str]] = []

    def command(self, path: str, body: dict[str, Any]) -> Any:
        assert path == "/records/prints/merge"
        self.sent.append([p["document_number"] for p in body["prints"]])
        return len(body["prints"])


def test_the_kiosk_forgets_an_old_unsent_receipt_and_sends_the_rest(
        sqlite_hall: Hall, clock: FakeClock, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(kiosk_prints, "send_soon", lambda _hall, erase: None)  # sent below, on this thread
    authority = _Authority()
    hallrecords.attach_remote(sqlite_hall, authority)
    citizen = Actor.kiosk("K01")
    broken = SimulatedPrinter("kiosk", fail_with=PrinterError(Problem.OUT_OF_PAPER, "打印机缺纸"))

    def ticket(number: str) -> None:
        doc = documents.queue_ticket(sqlite_hall, citizen, ticket_number=number, window_type="来访登记",
                                     people_ahead=0)
        assert not printing.print_document(sqlite_hall, citizen, doc, None, broken).printed

    clock.current = datetime(2026, 10, 20, 10, 0)
    ticket("A001")  # the kiosk cut off from its server for more than a month
    clock.current = datetime(2026, 11, 19, 16, 0)
    ticket("A002")
    clock.current = datetime(2026, 11, 20, 9, 0)
    assert kiosk_prints.send_pending(sqlite_hall, erase=False) == 1
    assert authority.sent == [["20261119-A002"]]
    ticket("A003")
    with sqlite_hall.sessions() as session:
        kept = session.execute(select(KioskPrintRow.document_number, KioskPrintRow.pending)
                               .order_by(KioskPrintRow.failed_at)).all()
    assert [tuple(r) for r in kept] == [("20261119-A002", False), ("20261120-A003", True)]


def test_a_counters_mirror_forgets_what_the_authority_forgot(sqlite_engine: Engine, tmp_path: Any, clerk: Actor,
                                                            clock: FakeClock) -> None:
    from db.engine import make_engine, sqlite_url
    from db.migrate import upgrade
    from tests.conftest import SECRETS

    counter_engine = make_engine(sqlite_url(tmp_path / "counter.db"), key=SECRETS.database_key)
    upgrade(counter_engine)
    authority, counter = make_hall(sqlite_engine, clock), make_hall(counter_engine, clock, device_id="dev2")
    try:
        for print_id, failed_at in (("a", "2026-09-01T09:00:00"), ("b", "2026-09-15T09:00:00"),
                                    ("c", "2026-09-15T10:00:00")):
            clock.current = datetime.fromisoformat(failed_at)
            kiosk_prints.merge(authority, KIOSK, [_report(print_id, failed_at)])
        kiosk_prints.mark_taken(authority, clerk, "c", "")
        hallrecords.apply_feed(counter, hallrecords.feed_since(authority, 0, hallrecords.Audience.STAFF))
        assert _kept(counter) == ["a", "b", "c"]

        clock.current = datetime(2026, 10, 2, 9, 0)  # 31 days after 9月1日
        kiosk_prints.merge(authority, KIOSK, [_report("d", "2026-10-02T08:55:00")])
        since = hallrecords.mirror_cursor(counter)
        hallrecords.apply_feed(counter, hallrecords.feed_since(authority, since, hallrecords.Audience.STAFF))
        assert _kept(counter) == _kept(authority) == ["b", "d"]
    finally:
        counter_engine.dispose()
