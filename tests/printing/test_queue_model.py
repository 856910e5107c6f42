"""The print-log dialog's offer for one job, tested without a window."""

from __future__ import annotations

import dataclasses

import pytest

from desktop.documents.model import DocumentKind
from desktop.services.printing import FAILED, PENDING, PRINTED, PrintJob
from ui.printing.queue_model import actions_for, hint_for

NOTICE = DocumentKind.ACCEPTANCE_NOTICE.value
RECEIPT = DocumentKind.REGISTRATION_RECEIPT.value


def _job(kind: str = NOTICE, status: str = PRINTED, case_number: str = "XF-20260916-C01-00001-2",
         error: str = "") -> PrintJob:
    return PrintJob(job_id=1, kind=kind, document_number="浦江信访〔2026〕受字第1号", case_number=case_number,
                    title=kind, media="A4", pages=1, at="2026-09-16T09:30:00", device="C01",
                    actor_id="staff:wangli", actor_name="王丽", printer="sim:", copy=0, copy_label="",
                    status=status, error=error, retry_of=None, data={}, has_pdf=status == PENDING)


@pytest.mark.parametrize(("job", "offered"), [
    (_job(status=PENDING), (True, False, False)),
    (_job(), (False, True, False)),
    (_job(kind=RECEIPT), (False, False, True)),
    (_job(kind=RECEIPT, case_number=""), (False, False, False)),  # no case: no query code to reset
    (_job(kind=RECEIPT, status=PENDING), (True, False, False)),
    (_job(status=FAILED), (False, False, False)),  # superseded by a later attempt
])
def test_each_job_offers_what_can_be_done_with_it(job: PrintJob, offered: tuple[bool, bool, bool]) -> None:
    assert dataclasses.astuple(actions_for(job, busy=False, has_printer=True)) == offered
    nothing = (False, False, False)
    assert dataclasses.astuple(actions_for(job, busy=True, has_printer=True)) == nothing  # work under way
    assert dataclasses.astuple(actions_for(job, busy=False, has_printer=False)) == nothing  # no printer yet
    assert dataclasses.astuple(actions_for(None, busy=False, has_printer=True)) == nothing


def test_the_hint_says_why_and_what_next() -> None:
    assert "选中一份文书" in hint_for(None)
    assert hint_for(_job(status=PENDING, error="打印机缺纸")).startswith("未打印的原因：打印机缺纸。")
    assert "打印中断" in hint_for(_job(status=PENDING))  # no word from the printer at all
    assert "查询码不留存" in hint_for(_job(kind=RECEIPT))
    assert "补打（第1次）" in hint_for(_job())
    assert "已由后来的一次打印取代" in hint_for(_job(status=FAILED))
