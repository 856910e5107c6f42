"""The public lookup behind the receipt's QR code: a plain HTML page for phones, and the same as JSON.

Case number + query code → the masked progress and the next deadline, nothing else
(the same rules as the kiosk: :func:`desktop.services.progress.citizen_progress`). A
wrong code and an unknown case number get the same answer, status and body. Failed
tries are limited per client and per case number (whether or not it exists), so a code
cannot be found by trying: while a limit holds, even the right code is answered with
429, so trying on gives nothing away.

The limits are kept in the worker's memory: with N workers behind a load balancer the
allowance is N times larger, which still leaves an 8-digit code far out of reach.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Final

from desktop.domain.access import Actor
from desktop.domain.chinatime import too_many_tries
from desktop.domain.errors import RuleViolation
from desktop.domain.numbering import validate_case_number
from desktop.domain.ratelimit import FailureLimiter
from desktop.services.context import Hall
from desktop.services.progress import CitizenProgress, citizen_progress

#: Failed tries allowed in ``WINDOW``: from one client (an address), and on one case number.
CLIENT_FAILURES: Final = 20
CASE_FAILURES: Final = 5
WINDOW: Final = timedelta(hours=1)
NOT_FOUND: Final = "案件编号或查询码不正确，请核对回执后重新输入；如有疑问请到窗口咨询"
WEB_ACTOR: Final = Actor("web:public", "公众查询页面", "kiosk")


class Limited(Exception):
    def __init__(self, retry_after: int, now: datetime) -> None:
        self.retry_after = retry_after
        #: In words, with the time of day to try again (the hall's clock, China's time).
        self.words = too_many_tries(retry_after, now)
        super().__init__(self.words)


class NotFound(Exception):
    pass


@dataclass
class PublicLookup:
    hall: Hall
    clients: FailureLimiter
    cases: FailureLimiter

    @classmethod
    def over(cls, hall: Hall) -> PublicLookup:
        return cls(hall, FailureLimiter(CLIENT_FAILURES, WINDOW, hall.now),
                   FailureLimiter(CASE_FAILURES, WINDOW, hall.now))

    def progress(self, client: str, case_number: str, query_code: str, *, trusted: bool = False) -> CitizenProgress:
        """The progress, or :class:`NotFound` / :class:`Limited` / ``RuleViolation`` (a malformed number).

        ``trusted`` (a kiosk with its token) is not limited per client, only per case.
        """
        try:
            case_key = validate_case_number(case_number[:64])
        except RuleViolation:
            case_key = ""
        wait = max(self.cases.retry_after(case_key or case_number[:64]),
                   0 if trusted else self.clients.retry_after(client))
        if wait:
            raise Limited(wait, self.hall.now())
        try:
            return citizen_progress(self.hall, WEB_ACTOR, case_number[:64], query_code[:32])
        except RuleViolation as refusal:
            if not trusted:
                self.clients.fail(client)
            self.cases.fail(case_key or case_number[:64])
            if refusal.code == "progress_not_found":
                raise NotFound(NOT_FOUND) from None
            raise


# -- the page --------------------------------------------------------------------------------------

_STYLE = ("body{font-family:sans-serif;font-size:18px;line-height:1.5;margin:0;padding:16px;max-width:640px;"
          "color:#1b1b1b;background:#fff}h1{font-size:24px}dl{display:grid;grid-template-columns:auto 1fr;"
          "gap:8px 16px}dt{color:#555}dd{margin:0;font-weight:bold}input{font-size:20px;padding:8px;width:100%;"
          "box-sizing:border-box;margin-bottom:12px}button{font-size:20px;padding:12px 24px;min-height:48px}"
          ".error{color:#b3261e;font-weight:bold}")


def _page(title: str, body: str) -> str:
    return ("<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
            "<meta name=\"robots\" content=\"noindex\">"
            f"<title>{html.escape(title)}</title><style>{_STYLE}</style></head>"
            f"<body><h1>{html.escape(title)}</h1>{body}</body></html>")


def _day(value: date | None) -> str:
    return f"{value.year}年{value.month}月{value.day}日" if value else "—"


def form_page(message: str = "", case_number: str = "") -> str:
    error = f"<p class=\"error\" role=\"alert\">{html.escape(message)}</p>" if message else ""
    return _page("信访事项办理进度查询", (
        f"{error}<form method=\"get\" action=\"/q\">"
        "<label for=\"case\">案件编号（见登记回执）</label>"
        f"<input id=\"case\" name=\"case\" maxlength=\"64\" autocomplete=\"off\" value=\"{html.escape(case_number)}\">"
        "<label for=\"code\">查询码（8位数字）</label>"
        "<input id=\"code\" name=\"code\" maxlength=\"32\" inputmode=\"numeric\" autocomplete=\"off\">"
        "<button type=\"submit\">查询</button></form>"))


def progress_page(progress: CitizenProgress) -> str:
    rows = (("案件编号", progress.case_number), ("信访人", progress.petitioner),
            ("登记日期", _day(progress.received_on)), ("办理状态", progress.state),
            ("下一步", progress.next_step or "—"), ("下一期限", _day(progress.next_due)))
    items = "".join(f"<dt>{html.escape(k)}</dt><dd>{html.escape(v)}</dd>" for k, v in rows)
    return _page("信访事项办理进度", f"<dl>{items}</dl><p><a href=\"/q\">查询其他事项</a></p>")


def progress_json(progress: CitizenProgress) -> dict[str, str | None]:
    return {"case_number": progress.case_number, "petitioner": progress.petitioner,
            "received_on": progress.received_on.isoformat(), "state": progress.state,
            "next_step": progress.next_step, "next_due": progress.next_due.isoformat() if progress.next_due else None}
