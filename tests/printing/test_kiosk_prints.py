"""A receipt a kiosk could not print is listed at the counter, printed there once, and the kiosk keeps no copy.

On one database (the local authority: a single PC, or the hall server itself); the round trip
through a hall server is tested in ``tests/sync/test_kiosk_prints_hall.py``.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from db.models import KioskPrintRow, PrintJobRow
from desktop.documents.model import DocumentKind
from desktop.domain.access import Actor
from desktop.domain.errors import RuleViolation
from desktop.printing.base import PrinterError, Problem
from desktop.printing.simulated import SimulatedPrinter
from desktop.services import documents, kiosk_prints, printing, suggestions
from desktop.services.context import Hall
from desktop.services.progress import citizen_progress
from desktop.services.registration import register_visit
from tests.conftest import FakeClock
from tests.helpers import form

OUT_OF_PAPER = PrinterError(Problem.OUT_OF_PAPER, "打印机缺纸")


def _broken() -> SimulatedPrinter:
    return SimulatedPrinter("kiosk", fail_with=OUT_OF_PAPER)


def test_the_kiosks_failed_receipts_are_listed_newest_first_with_the_masked_name(
        sqlite_hall: Hall, kiosk: Actor, clerk: Actor, clock: FakeClock) -> None:
    result = register_visit(sqlite_hall, kiosk, form(name="张建国"))
    receipt = documents.registration_receipt(sqlite_hall, kiosk, result)
    assert not printing.print_document(sqlite_hall, kiosk, receipt, None, _broken()).printed
    clock.advance(minutes=5)
    ticket = documents.queue_ticket(sqlite_hall, kiosk, ticket_number="A012", window_type="来访登记", people_ahead=3)
    assert not printing.print_document(sqlite_hall, kiosk, ticket, None, _broken()).printed
    # a counter's own failed print is its own 待补打, not a kiosk's
    assert not printing.print_document(sqlite_hall, clerk, ticket, None, _broken()).printed

    listed = kiosk_prints.waiting(sqlite_hall, clerk)
    assert [(p.title, p.number) for p in listed] == [("排队号票", "A012"), ("信访事项登记回执", result.case_number)]
    assert [p.kiosk for p in listed] == ["自助终端 K01", "自助终端 K01"]
    assert (listed[0].citizen, listed[1].citizen) == ("", "张**")
    assert listed[1].error == "打印机缺纸" and listed[1].failed_at == "2026-09-16T09:30:00"
    assert "query_code" not in listed[1].data  # the query code is never kept
    # another day's are not today's
    assert kiosk_prints.waiting(sqlite_hall, clerk, day=date(2026, 9, 15)) == []
    with pytest.raises(RuleViolation):  # a kiosk does not read the hall's list
        kiosk_prints.waiting(sqlite_hall, kiosk)


def test_a_ticket_printed_at_one_counter_is_refused_at_the_next(sqlite_hall: Hall, kiosk: Actor,
                                                                clerk: Actor) -> None:
    ticket = documents.queue_ticket(sqlite_hall, kiosk, ticket_number="B003", window_type="来访登记",
                                    people_ahead=0, priority=True)
    printing.print_document(sqlite_hall, kiosk, ticket, None, _broken())
    [waiting] = kiosk_prints.waiting(sqlite_hall, clerk)
    counter = SimulatedPrinter("counter")
    outcome = kiosk_prints.print_at_counter(sqlite_hall, clerk, waiting.print_id, counter)
    assert outcome.printed and outcome.job.copy == 0 and outcome.job.actor_name == "王丽"
    assert [d.data["ticket_number"] for d in counter.printed] == ["B003"] and counter.printed[0].data["priority"]
    assert kiosk_prints.waiting(sqlite_hall, clerk) == []
    other = Actor("staff:lihua", "李华", "clerk")
    with pytest.raises(RuleViolation, match="已由王丽于9月16日 09:30打印，不必再打印"):
        kiosk_prints.print_at_counter(sqlite_hall, other, waiting.print_id, SimulatedPrinter("other"))
    with sqlite_hall.sessions() as session:
        assert session.scalar(select(KioskPrintRow.done_by)) == "staff:wangli"


def test_a_registration_receipt_is_issued_anew_with_a_new_query_code(sqlite_hall: Hall, kiosk: Actor,
                                                                     clerk: Actor) -> None:
    result = register_visit(sqlite_hall, kiosk, form(name="李梅"))
    receipt = documents.registration_receipt(sqlite_hall, kiosk, result)
    printing.print_document(sqlite_hall, kiosk, receipt, None, _broken())
    [waiting] = kiosk_prints.waiting(sqlite_hall, clerk)
    counter = SimulatedPrinter("counter")
    outcome = kiosk_prints.print_at_counter(sqlite_hall, clerk, waiting.print_id, counter)
    assert outcome.printed and counter.printed[0].kind is DocumentKind.REGISTRATION_RECEIPT
    new_code = counter.printed[0].data["query_code"]
    assert new_code and new_code != result.query_code
    assert citizen_progress(sqlite_hall, kiosk, result.case_number, new_code).case_number == result.case_number
    with pytest.raises(RuleViolation):
        citizen_progress(sqlite_hall, kiosk, result.case_number, result.query_code)


def test_a_suggestion_receipt_printed_at_the_counter_is_the_kiosks_own(sqlite_hall: Hall, kiosk: Actor,
                                                                       clerk: Actor) -> None:
    taken = suggestions.submit_suggestion(sqlite_hall, kiosk, content="建议在大厅增设老年人专用等候区和饮水点",
                                          anonymous=True)
    slip = documents.suggestion_receipt(sqlite_hall, kiosk, taken.number)
    printing.print_document(sqlite_hall, kiosk, slip, None, _broken())
    [waiting] = kiosk_prints.waiting(sqlite_hall, clerk)
    assert (waiting.title, waiting.number) == ("人民建议回执", taken.number)
    counter = SimulatedPrinter("counter")
    assert kiosk_prints.print_at_counter(sqlite_hall, clerk, waiting.print_id, counter).printed
    assert counter.printed[0].data["suggestion_number"] == taken.number


def test_a_printer_that_fails_at_the_counter_keeps_it_in_that_counters_queue(
        sqlite_hall: Hall, kiosk: Actor, clerk: Actor) -> None:
    ticket = documents.queue_ticket(sqlite_hall, kiosk, ticket_number="A001", window_type="来访登记", people_ahead=0)
    printing.print_document(sqlite_hall, kiosk, ticket, None, _broken())
    [waiting] = kiosk_prints.waiting(sqlite_hall, clerk)
    outcome = kiosk_prints.print_at_counter(sqlite_hall, clerk, waiting.print_id, _broken())
    assert not outcome.printed
    assert outcome.job.job_id in [j.job_id for j in printing.pending_here(sqlite_hall, clerk)]
    with sqlite_hall.sessions() as session:
        assert session.scalar(select(PrintJobRow.pdf).where(PrintJobRow.id == outcome.job.job_id)) is not None
