"""What the 待补打 / 打印记录 dialog offers for the selected job, without Qt (tested alone).

The dialog shows one job at a time, from either list; which actions it offers and the
sentence under the lists depend only on that job, whether work is under way and
whether a printer is chosen.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from desktop.documents.model import DocumentKind
from desktop.services.kiosk_prints import KioskPrint
from desktop.services.printing import PENDING, PRINTED, PrintJob

RECEIPT = DocumentKind.REGISTRATION_RECEIPT.value


def reason_text(job: PrintJob) -> str:
    """Why a pending job did not print, in the printer's own words."""
    return job.error or "打印中断，未收到打印机的结果"


@dataclass(frozen=True)
class JobActions:
    retry: bool  # 重新打印: the very same pages of a pending job
    reprint: bool  # 补打: one more numbered copy of a printed document
    reissue: bool  # 补打回执（重置查询码）: a printed registration receipt, replaced with a new query code


def actions_for(job: PrintJob | None, *, busy: bool, has_printer: bool, case_on_screen: bool = False) -> JobActions:
    """With no job selected, the case on screen can have its registration receipt (printed or not before):
    the printers offered then are the receipt's."""
    if busy or not has_printer:
        return JobActions(False, False, False)
    if job is None:
        return JobActions(False, False, reissue=case_on_screen)
    printed = job.status == PRINTED
    receipt = job.kind == RECEIPT
    return JobActions(retry=job.status == PENDING, reprint=printed and not receipt,
                      reissue=printed and receipt and bool(job.case_number))


def receipt_button_text(had_receipt: bool) -> str:
    """The receipt button: the first receipt of a case issues its query code, a later one replaces it."""
    return "补打回执（重置查询码）" if had_receipt else "打印登记回执（生成查询码）"


def had_receipt(log: Sequence[PrintJob]) -> bool:
    """Whether the case's print log holds a registration receipt (printed or tried)."""
    return any(job.kind == RECEIPT for job in log)


def hint_for(job: PrintJob | None, *, case_number: str | None = None, receipt_before: bool = True,
             elsewhere: str | None = None) -> str:
    """The sentence under the lists: what can be done with the selected job, and why. ``elsewhere``: the device
    the case was registered on when not this PC, whose receipt this PC's log does not see."""
    if job is None and case_number and not receipt_before and elsewhere:
        return (f"事项 {case_number} 是在其他设备（编码 {elsewhere}）登记的，本机没有它打印回执的记录，"
                f"信访人可能已在那里拿到回执。点“{receipt_button_text(False)}”会生成新的查询码，"
                "那张回执上的查询码随即失效")
    if job is None and case_number and not receipt_before:
        return (f"事项 {case_number} 还没有打印过登记回执，信访人没有查询码。点“{receipt_button_text(False)}”"
                "打印回执，信访人凭回执上的查询码查询办理进度、评价")
    if job is None and case_number:
        return (f"选中一份文书：待补打的可以重新打印，已打印的可以补打；“{receipt_button_text(True)}”"
                f"为事项 {case_number} 打印新回执，旧回执上的查询码随即失效")
    if job is None:
        return "选中一份文书：待补打的可以重新打印，已打印的可以补打"
    if job.status == PENDING:
        return f"未打印的原因：{reason_text(job)}。排除故障后选择打印机，点“重新打印”，打印件与原来的完全相同"
    if job.status == PRINTED and job.kind == RECEIPT:
        return ("登记回执上的查询码不留存，不能按原样补打。“补打回执（重置查询码）”会生成新的查询码并打印新回执，"
                "旧回执上的查询码随即失效")
    if job.status == PRINTED:
        return "点“补打”再打印一份，打印件上注明补打次数，如“补打（第1次）”"
    return "这次打印没有成功，已由后来的一次打印取代"


def kiosk_hint(found: KioskPrint) -> str:
    """The sentence under the lists for a kiosk's unprinted receipt: why it failed, and what printing it here does."""
    why = f"{found.kiosk}未能打印（{found.error or '打印中断'}）"
    if found.kind == RECEIPT:
        return (f"{why}。登记回执上的查询码不留存：在本窗口打印会生成新的查询码，自助终端屏幕上显示过的查询码随即失效。"
                "打印后其他窗口不再列出")
    who = f"，交给来访人（{found.citizen}）时请核对身份" if found.citizen else ""
    return f"{why}。选择打印机，点“在本窗口打印”{who}；打印后其他窗口不再列出"
