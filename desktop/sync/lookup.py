"""A kiosk asks the central server for the masked progress of a case it holds no copy of.

``GET /api/progress?case=…&code=…`` with the device's token (a kiosk's token lifts the
server's per-client limit, not its per-case one). The answer is the masked progress only
(``server.protocol.ProgressAnswer``). A wrong code and an unknown case are one answer; a
limit the server holds and the network being down each have their own.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
from pydantic import ValidationError

from desktop.domain.chinatime import china_now, too_many_tries
from desktop.domain.errors import RuleViolation
from server.protocol import ErrorResponse, ProgressAnswer, SyncProblem

if TYPE_CHECKING:
    from desktop.services.context import Hall


def server_lookup(hall: Hall) -> Callable[[str, str], dict[str, Any]] | None:
    """How this device asks its server (``server_url`` and its token); None when it has no server."""
    url = hall.settings.server_url.strip()
    if not url:
        return None

    def ask(case_number: str, query_code: str) -> dict[str, Any]:
        from desktop.sync.credentials import load_token

        token = load_token(hall.settings, Path(hall.engine.url.database or "")) or ""
        return ask_progress(url, token, case_number, query_code)

    return ask


def ask_progress(base_url: str, token: str, case_number: str, query_code: str, *,
                 timeout: float = 8.0, client: httpx.Client | None = None) -> dict[str, Any]:
    """The server's masked answer as a plain mapping; RuleViolation (not found, limited) or SyncProblem."""
    url = base_url.rstrip("/")
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    own = client is None
    http = client or httpx.Client(base_url=url, timeout=timeout)
    try:
        response = http.get("/api/progress", params={"case": case_number[:64], "code": query_code[:64]},
                            headers=headers)
    except httpx.TransportError:
        raise SyncProblem("offline", f"网络未连接：无法连接中心服务器 {url}") from None
    finally:
        if own:
            http.close()
    if response.status_code in (400, 404):
        detail = _detail(response) if response.status_code == 400 else ""
        raise RuleViolation("progress_not_found",
                            detail or "案件编号或查询码不正确，请核对回执后重新输入；如有疑问请到窗口咨询")
    if response.status_code == 429:
        raise RuleViolation("progress_limited", too_many_tries(_retry_after(response), china_now()))
    if response.status_code >= 400:
        raise SyncProblem("server_error", f"中心服务器出错（代码 {response.status_code}）")
    try:
        return ProgressAnswer.model_validate_json(response.content).model_dump()
    except ValidationError:
        raise SyncProblem("server_error", "中心服务器的应答无法识别") from None


def _retry_after(response: httpx.Response) -> int:
    """The server's Retry-After in seconds; an hour (its window) where it gave none or a date."""
    try:
        return max(0, int(response.headers.get("Retry-After", "")))
    except ValueError:
        return 3600


def _detail(response: httpx.Response) -> str:
    try:
        text = ErrorResponse.model_validate_json(response.content).detail
    except ValidationError:
        return ""
    return text.removeprefix("case：")
