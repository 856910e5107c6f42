"""How a device reaches its server: an interface, and its HTTP implementation.

Every failure becomes a :class:`~server.protocol.SyncProblem` with a Chinese message, so
the client and the status line never see a library's exception. Tests and the benchmark's
comparison without HTTP use ``server.local.LocalTransport``, which calls the server store directly.
"""

from __future__ import annotations

import json
from typing import Protocol, TypeVar

import httpx
from pydantic import ValidationError

from server.protocol import (
    ATTACHMENT_MIME_HEADER,
    AttachmentStatusRequest,
    AttachmentStatusResponse,
    AttachmentStored,
    AuditPushRequest,
    AuditPushResponse,
    AuditRelayRequest,
    AuditUpEntry,
    ErrorResponse,
    PullResponse,
    PushRequest,
    PushResponse,
    RelayedDevice,
    SyncProblem,
    WireEvent,
)

Answer = TypeVar("Answer", PushResponse, PullResponse, AuditPushResponse, AttachmentStatusResponse,
                 AttachmentStored)


class Transport(Protocol):
    """One server, as the client sees it."""

    def push(self, events: list[WireEvent]) -> PushResponse: ...

    def pull(self, since: int, limit: int) -> PullResponse: ...

    def push_audit(self, entries: list[AuditUpEntry]) -> AuditPushResponse: ...

    def attachment_status(self, shas: list[str]) -> AttachmentStatusResponse: ...

    def upload_attachment(self, sha256: str, data: bytes, mime: str) -> AttachmentStored: ...

    def close(self) -> None: ...


class HttpTransport:
    """The server's HTTP API with the device's bearer token (one connection, kept alive)."""

    def __init__(self, base_url: str, token: str, *, timeout: float = 60.0,
                 client: httpx.Client | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self._client = client or httpx.Client(base_url=self.base_url, timeout=timeout)
        self._headers = {"Authorization": f"Bearer {token}"}

    def push(self, events: list[WireEvent]) -> PushResponse:
        body = PushRequest(events=events).model_dump_json()
        response = self._send("POST", "/sync/push", content=body,
                              headers={**self._headers, "Content-Type": "application/json"})
        return self._parse(PushResponse, response)

    def pull(self, since: int, limit: int) -> PullResponse:
        response = self._send("GET", "/sync/pull", params={"since": since, "limit": limit}, headers=self._headers)
        return self._parse(PullResponse, response)

    def push_audit(self, entries: list[AuditUpEntry]) -> AuditPushResponse:
        body = AuditPushRequest(entries=entries).model_dump_json()
        response = self._send("POST", "/sync/audit", content=body,
                              headers={**self._headers, "Content-Type": "application/json"})
        return self._parse(AuditPushResponse, response)

    def attachment_status(self, shas: list[str]) -> AttachmentStatusResponse:
        """Of these files, those the server holds and those it wants from this device."""
        body = AttachmentStatusRequest(sha256=shas).model_dump_json()
        response = self._send("POST", "/sync/attachments/status", content=body,
                              headers={**self._headers, "Content-Type": "application/json"})
        return self._parse(AttachmentStatusResponse, response)

    def upload_attachment(self, sha256: str, data: bytes, mime: str) -> AttachmentStored:
        """One file's bytes, under its SHA-256 (one request per file: at most 20 MB)."""
        response = self._send("PUT", f"/sync/attachments/{sha256}", content=data,
                              headers={**self._headers, "Content-Type": "application/octet-stream",
                                       ATTACHMENT_MIME_HEADER: mime if mime.isascii() and mime.isprintable() else ""})
        return self._parse(AttachmentStored, response)

    def download_attachment(self, sha256: str) -> tuple[bytes, str]:
        """One file and its kind; a 404 or 403 is a :class:`SyncProblem` in the server's own words."""
        try:
            response = self._client.request("GET", f"/sync/attachments/{sha256}", headers=self._headers)
        except httpx.TimeoutException:
            raise SyncProblem("offline", f"网络未连接：同步服务器 {self.base_url} 长时间没有应答，请稍后重试") from None
        except httpx.TransportError:
            raise SyncProblem("offline", f"网络未连接：无法连接同步服务器 {self.base_url}，请稍后重试") from None
        if response.status_code in (403, 404) and response_detail(response):
            raise SyncProblem("refused", response_detail(response))
        if response.status_code >= 400:
            raise _problem(response)
        return response.content, response.headers.get(ATTACHMENT_MIME_HEADER, "")

    def relay_audit(self, device: RelayedDevice, entries: list[AuditUpEntry]) -> AuditPushResponse:
        """A hall server passes on ``device``'s audit entries (the token must be a ``hall`` device's)."""
        body = AuditRelayRequest(device=device, entries=entries).model_dump_json()
        response = self._send("POST", "/sync/audit/relay", content=body,
                              headers={**self._headers, "Content-Type": "application/json"})
        return self._parse(AuditPushResponse, response)

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> HttpTransport:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def _send(self, method: str, path: str, **kwargs: object) -> httpx.Response:
        try:
            response = self._client.request(method, path, **kwargs)  # type: ignore[arg-type]
        except httpx.TimeoutException:
            raise SyncProblem("offline", f"网络未连接：同步服务器 {self.base_url} 长时间没有应答，请稍后重试") from None
        except httpx.TransportError as exc:
            raise SyncProblem("offline", f"网络未连接：无法连接同步服务器 {self.base_url}（{exc}）") from None
        if response.status_code >= 400:
            raise _problem(response)
        return response

    @staticmethod
    def _parse(model: type[Answer], response: httpx.Response) -> Answer:
        try:
            return model.model_validate_json(response.content)
        except ValidationError:
            raise SyncProblem("server_error", "服务器的应答不符合同步协议：请确认服务器地址是否正确、"
                                              "服务器与本程序版本是否匹配") from None


def response_detail(response: httpx.Response) -> str:
    """The server's own words for a refusal (the ``detail`` of its JSON answer); "" without them.

    A proxy's HTML page or any other body is not shown to anyone: it stays in the log if logged.
    """
    try:
        found = json.loads(response.content).get("detail")
    except (ValueError, AttributeError):
        return ""
    return found if isinstance(found, str) else ""


def _problem(response: httpx.Response) -> SyncProblem:
    """The server's refusal in words: what the header shows comes before the first "：", in words
    only; the server's own detail and its status code follow for whoever reads the tooltip or the log."""
    status = response.status_code
    try:
        error: ErrorResponse | None = ErrorResponse.model_validate_json(response.content)
    except ValidationError:
        error = None
    if error is not None and (status == 401 or error.kind == "unauthorised"):
        return SyncProblem("unauthorised", f"设备未注册：{error.detail}")
    if error is not None and error.kind == "incompatible":
        return SyncProblem("incompatible", f"服务器拒绝：{error.detail}")
    detail = response_detail(response) or "服务器没有说明原因"
    if status >= 500:
        return SyncProblem("server_error", f"服务器出错：{detail}（代码 {status}）")
    return SyncProblem("refused", f"服务器没有接受本机的数据：{detail}（代码 {status}）")
