"""The server's HTTP API: ``POST /sync/push`` and ``GET /sync/pull``, devices by bearer token.

The files the events name (materials) travel on their own: ``POST /sync/attachments/status``
(which of these does the server hold, which does it want from this device), ``PUT
/sync/attachments/<sha256>`` (one file, its bytes as the body) and ``GET /sync/attachments/<sha256>``
(one file, for a device that may hold a case naming it); see :mod:`server.materials`.

``create_app`` takes the server hall (or an engine, or a function that builds the hall),
so tests run the same application in-process and over a real socket. Every refusal is a
4xx with ``{"detail": <Chinese message>, "kind": …}`` and stores nothing; the request body
is read with a size limit before any parsing.
"""

from __future__ import annotations

import base64
import logging
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Annotated, Any, TypeVar

from fastapi import Depends, FastAPI, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import ValidationError
from sqlalchemy import Engine
from starlette.exceptions import HTTPException as StarletteHTTPException

from desktop import __version__
from desktop.domain.access import Actor, Permission
from desktop.domain.errors import RuleViolation
from desktop.domain.roles import WindowRole
from desktop.services import kiosk_pin
from desktop.services.accounts import sign_in
from desktop.services.attachments import MAX_BYTES as MAX_ATTACHMENT_BYTES
from desktop.services.context import Hall
from server import enrolment, materials, public
from server.audit_copy import CopyPage, audit_copies, copy_page, relay_audit, require_hall, store_audit
from server.protocol import (
    ATTACHMENT_MIME_HEADER,
    DEFAULT_PULL_LIMIT,
    MAX_BODY_BYTES,
    MAX_PULL_LIMIT,
    AttachmentStatusRequest,
    AttachmentStatusResponse,
    AttachmentStored,
    AuditContinuity,
    AuditCopyEntry,
    AuditCopyList,
    AuditCopyPage,
    AuditPushRequest,
    AuditPushResponse,
    AuditRelayRequest,
    CopiedAuditEntry,
    DeviceEntry,
    DeviceList,
    DevicePlaceBody,
    EnrolRequest,
    EnrolResponse,
    ErrorResponse,
    IssueCodeRequest,
    IssuedCodeResponse,
    KioskPinBody,
    KioskPinEntry,
    KioskPinList,
    ProblemKind,
    ProgressAnswer,
    PullResponse,
    PushRequest,
    PushResponse,
    ReferenceResponse,
    SyncProblem,
)
from server.queue import add_queue_routes, add_window_type_routes
from server.records import FIELD_WORDS, add_records_routes
from server.reference import add_directory_routes, reference_for
from server.store import ROLE_NAMES, Device, SyncServer, authenticate

log = logging.getLogger(__name__)
Body = TypeVar("Body", PushRequest, AuditPushRequest, AuditRelayRequest)

STATUS: dict[ProblemKind, int] = {"unauthorised": 401, "refused": 400, "incompatible": 422, "offline": 503,
                                  "server_error": 500}
_HTTP_WORDS = {403: "没有权限", 404: "没有这个接口", 405: "接口不支持此请求方法", 413: "请求内容过大"}
#: A material's address: its SHA-256.
MaterialSha = Annotated[str, Path(min_length=64, max_length=64, pattern=r"^[0-9a-f]{64}$",
                                  description="材料的 SHA-256")]
NOT_ENROLLED = "设备未注册或令牌无效：请求缺少有效的设备令牌（Authorization: Bearer …），请先在服务器上登记本设备"


def _problem(status: int, kind: ProblemKind, detail: str, **headers: str) -> JSONResponse:
    return JSONResponse(ErrorResponse(detail=detail, kind=kind).model_dump(), status_code=status,
                        headers=headers or None)


def _where(error: Any, words: Mapping[str, str]) -> str:
    location = ".".join(words.get(str(part), str(part)) for part in error.get("loc", ())
                        if part not in ("body", "query"))
    return location or "请求"


def _validation_message(errors: list[Any], words: Mapping[str, str] | None = None) -> str:
    """What was wrong, naming the places (``words``: the fields in Chinese, for the routes that give them)."""
    places = "、".join(dict.fromkeys(_where(e, words or {}) for e in errors[:5]))
    more = f"等 {len(errors)} 处" if len(errors) > 5 else ""
    return f"请求不符合同步协议：{places}{more} 的内容缺失、类型不对或超出允许范围"


def current_device(request: Request) -> Device:
    """The device whose bearer token came with the request; 401 otherwise."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    found = authenticate(request.app.state.hall, token.strip()) if scheme.lower() == "bearer" else None
    if found is None:
        raise StarletteHTTPException(401, NOT_ENROLLED, headers={"WWW-Authenticate": "Bearer"})
    return found


STAFF_HEADER = "X-Staff-Authorization"
NOT_ADMIN = ("需要系统管理员：请求须带系统管理设备的令牌（Authorization: Bearer …）和管理员本人的账号密码"
             f"（{STAFF_HEADER}: Basic …）")


def current_admin(request: Request) -> Actor:
    """The administrator acting, signed in at a device enrolled as ``admin``; 401 otherwise."""
    actor = _signed_in_at_admin_desk(request)
    if not actor.may(Permission.MANAGE_SETTINGS):
        raise StarletteHTTPException(403, "只有系统管理员可以管理设备（需要“修改设置”权限）")
    return actor


def current_auditor(request: Request) -> Actor:
    """A supervisor or administrator acting at a device enrolled as ``admin``, who may check audit logs."""
    actor = _signed_in_at_admin_desk(request)
    if not actor.may(Permission.VERIFY_AUDIT):
        raise StarletteHTTPException(403, "只有督查人员或系统管理员可以查看设备审计副本（需要“核验审计日志”权限）")
    return actor


def _signed_in_at_admin_desk(request: Request) -> Actor:
    """Whoever signs in with their own login and password (each request) at a device enrolled as ``admin``."""
    device = current_device(request)
    scheme, _, encoded = request.headers.get(STAFF_HEADER.lower(), "").partition(" ")
    login = password = ""
    if scheme.lower() == "basic" and len(encoded) <= 1024:
        try:
            login, _, password = base64.b64decode(encoded, validate=True).decode("utf-8").partition(":")
        except (ValueError, UnicodeDecodeError):
            login = password = ""
    if (device.role != "admin" or not login or not password or len(login) > 64 or not login.isprintable()
            or not password.isprintable()):
        raise StarletteHTTPException(401, NOT_ADMIN, headers={"WWW-Authenticate": "Bearer"})
    try:
        signed = sign_in(request.app.state.hall, login, password, WindowRole.ADMIN)
    except RuleViolation as refusal:
        raise StarletteHTTPException(401, f"管理员身份未通过：{refusal.message}",
                                     headers={"WWW-Authenticate": "Bearer"}) from None
    return signed.actor


def create_app(source: Hall | Engine | Callable[[], Hall], *, server: SyncServer | None = None,
               upstream: Callable[[], materials.Upstream] | None = None) -> FastAPI:
    """The API over the server hall; ``server`` replaces the store (tests hold pushes open with it).

    ``upstream`` (a hall server's way to its centre) fetches a material this server lacks from there.
    """
    if isinstance(source, Hall):
        hall = source
    elif isinstance(source, Engine):
        from server.hall import server_hall

        hall = server_hall(source)
    else:
        hall = source()
    sync = server or SyncServer(hall)
    app = FastAPI(title="信访接待大厅系统 同步服务", version=__version__)
    app.state.hall = hall

    @app.exception_handler(SyncProblem)
    async def _sync_problem(_request: Request, exc: SyncProblem) -> JSONResponse:
        return _problem(STATUS[exc.kind], exc.kind, exc.message)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        words = FIELD_WORDS if request.url.path.startswith("/records/") else None
        return _problem(422, "refused", _validation_message(list(exc.errors()), words))

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        detail = exc.detail if isinstance(exc.detail, str) and not exc.detail.isascii() else \
            _HTTP_WORDS.get(exc.status_code, f"请求无法处理（HTTP {exc.status_code}）")
        kind: ProblemKind = "unauthorised" if exc.status_code == 401 else \
            "server_error" if exc.status_code >= 500 else "refused"
        return _problem(exc.status_code, kind, detail, **(exc.headers or {}))

    @app.exception_handler(Exception)
    async def _crash(_request: Request, exc: Exception) -> JSONResponse:
        log.exception("同步请求处理失败")
        return _problem(500, "server_error", f"服务器内部错误（{type(exc).__name__}），请稍后重试或联系管理员")

    # The push body is read by hand (with a size limit), so its schema is declared here.
    push_schema = PushRequest.model_json_schema(ref_template="#/components/schemas/{model}")
    push_models = push_schema.pop("$defs", {})
    push_body = {"requestBody": {"required": True, "content": {"application/json": {"schema": push_schema}}}}
    generate_openapi = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            generate_openapi().setdefault("components", {}).setdefault("schemas", {}).update(push_models)
        return app.openapi_schema or generate_openapi()

    app.openapi = openapi  # type: ignore[method-assign]

    # Links between the operations (OpenAPI "links"): what a client does next with an answer.
    pull_next_page = {"PullNextPage": {"operationId": "pull_sync_pull_get",
                                       "parameters": {"since": "$response.body#/next_cursor"},
                                       "description": "拉取下一页"}}

    @app.post("/sync/push", response_model=PushResponse, openapi_extra=push_body,
              responses={401: {"model": ErrorResponse}, 400: {"model": ErrorResponse}, 413: {"model": ErrorResponse},
                         422: {"model": ErrorResponse}})
    async def push(request: Request, who: Annotated[Device, Depends(current_device)]) -> Response:
        """Store events idempotently; answer every event id with its server sequence."""
        body = await _read_limited(request)
        answer = await run_in_threadpool(lambda: sync.push(who, _parse_push(body).events))
        return Response(answer.model_dump_json(), media_type="application/json")

    @app.get("/sync/pull", response_model=PullResponse,
             responses={200: {"links": pull_next_page}, 401: {"model": ErrorResponse},
                        422: {"model": ErrorResponse}})
    def pull(who: Annotated[Device, Depends(current_device)],
             since: Annotated[int, Query(ge=0, le=2**63 - 1, description="上次拉取到的服务器序号")] = 0,
             limit: Annotated[int, Query(ge=1, le=MAX_PULL_LIMIT, description="每页事件数")] = DEFAULT_PULL_LIMIT,
             ) -> Response:
        """Events with seq > since, in seq order, that this device may see; and the next cursor."""
        answer = sync.pull(who, since, limit)
        return Response(answer.model_dump_json(), media_type="application/json")

    audit_schema = AuditPushRequest.model_json_schema(ref_template="#/components/schemas/{model}")
    push_models.update(audit_schema.pop("$defs", {}))

    @app.post("/sync/audit", response_model=AuditPushResponse, responses={
        401: {"model": ErrorResponse}, 400: {"model": ErrorResponse}, 413: {"model": ErrorResponse},
        422: {"model": ErrorResponse}}, openapi_extra={"requestBody": {"required": True, "content": {
            "application/json": {"schema": audit_schema}}}})
    async def push_audit(request: Request, who: Annotated[Device, Depends(current_device)]) -> Response:
        """The device's audit entries, added to the server's copy of its chain (refused unless they continue it)."""
        body = await _read_limited(request)
        answer = await run_in_threadpool(lambda: store_audit(hall, who, _parse_body(AuditPushRequest, body).entries))
        return Response(answer.model_dump_json(), media_type="application/json")

    relay_schema = AuditRelayRequest.model_json_schema(ref_template="#/components/schemas/{model}")
    push_models.update(relay_schema.pop("$defs", {}))

    @app.post("/sync/audit/relay", response_model=AuditPushResponse, responses={
        401: {"model": ErrorResponse}, 400: {"model": ErrorResponse}, 413: {"model": ErrorResponse},
        422: {"model": ErrorResponse}}, openapi_extra={"requestBody": {"required": True, "content": {
            "application/json": {"schema": relay_schema}}}})
    async def relay_audit_copy(request: Request, who: Annotated[Device, Depends(current_device)]) -> Response:
        """A hall server passes on one of its devices' audit entries (refused unless it is a hall and they continue
        the chain it relays for that device)."""
        require_hall(who)  # before reading a body that no one else may send
        body = await _read_limited(request)
        answer = await run_in_threadpool(lambda: _relay(who, _parse_body(AuditRelayRequest, body)))
        return Response(answer.model_dump_json(), media_type="application/json")

    def _relay(who: Device, request: AuditRelayRequest) -> AuditPushResponse:
        return relay_audit(hall, who, request.device, request.entries)

    # -- materials: the files the cases name, sent up after the events, fetched when opened ------------

    material_errors: dict[int | str, dict[str, Any]] = {
        401: {"model": ErrorResponse}, 400: {"model": ErrorResponse}, 403: {"model": ErrorResponse},
        413: {"model": ErrorResponse}, 422: {"model": ErrorResponse}}

    @app.post("/sync/attachments/status", response_model=AttachmentStatusResponse, responses=material_errors)
    def attachment_status(body: AttachmentStatusRequest,
                          who: Annotated[Device, Depends(current_device)]) -> AttachmentStatusResponse:
        """Of the files a device asks about: those the server holds, those it lacks and wants from this device
        (a file no case this device may hold names is in neither list)."""
        try:
            return materials.status(hall, who, body.sha256)
        except materials.Forbidden as exc:
            raise StarletteHTTPException(403, str(exc)) from None

    @app.put("/sync/attachments/{sha256}", response_model=AttachmentStored, responses=material_errors,
             openapi_extra={"requestBody": {"required": True, "content": {
                 "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}})
    async def upload_attachment(request: Request, sha256: MaterialSha,
                                who: Annotated[Device, Depends(current_device)]) -> Response:
        """One file, its bytes as the body: checked against its SHA-256 and the size limit, stored once."""
        if who.role in materials.NO_UPLOAD:
            raise StarletteHTTPException(403, f"{ROLE_NAMES.get(who.role, who.role)}设备不上传信访材料")
        body = await _read_limited(request, MAX_ATTACHMENT_BYTES, "材料过大（超过 {mb} MB），服务器未保存")
        mime = request.headers.get(ATTACHMENT_MIME_HEADER.lower(), "")[:64]
        answer = await run_in_threadpool(lambda: materials.store(hall, who, sha256, body,
                                                                 mime if mime.isprintable() else "", sync.keys))
        return Response(answer.model_dump_json(), media_type="application/json")

    @app.get("/sync/attachments/{sha256}", response_class=Response, responses={
        **material_errors, 404: {"model": ErrorResponse},
        200: {"content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}})
    def download_attachment(sha256: MaterialSha,
                            who: Annotated[Device, Depends(current_device)]) -> Response:
        """One file for a device that may hold a case naming it; 404 in words when the server lacks it."""
        try:
            found = materials.fetch(hall, who, sha256, sync.keys, upstream)
        except materials.Forbidden as exc:
            raise StarletteHTTPException(403, str(exc)) from None
        except materials.Missing as exc:
            raise StarletteHTTPException(404, str(exc)) from None
        return Response(found.data, media_type="application/octet-stream",
                        headers={ATTACHMENT_MIME_HEADER: found.mime, "Cache-Control": "no-store"})

    @app.get("/sync/reference", response_model=ReferenceResponse,
             responses={401: {"model": ErrorResponse}, 422: {"model": ErrorResponse}})
    def reference(who: Annotated[Device, Depends(current_device)],
                  have: Annotated[str, Query(max_length=64, description="本机已有的参考数据版本")] = "",
                  ) -> ReferenceResponse:
        """The reference data this device may hold (accounts to staff devices only; holiday schedules)."""
        return reference_for(hall, who, have)

    # -- enrolment and the administrator's device list ------------------------------------------

    admin_errors: dict[int | str, dict[str, Any]] = {401: {"model": ErrorResponse}, 400: {"model": ErrorResponse},
                                                     403: {"model": ErrorResponse}, 422: {"model": ErrorResponse}}

    @app.post("/enrol", response_model=EnrolResponse, responses={400: {"model": ErrorResponse},
                                                                  422: {"model": ErrorResponse}})
    def enrol(body: EnrolRequest) -> EnrolResponse:
        """Exchange a one-time enrolment code for the device's token (shown once; keep it in the key store)."""
        try:
            done = enrolment.redeem_code(hall, body.code, body.device_id, body.device_code)
        except enrolment.EnrolmentRefused as exc:
            raise SyncProblem("refused", str(exc)) from None
        return EnrolResponse(token=done.token, device_id=done.device_id, role=done.role, hall_code=done.hall_code,
                             org_code=done.org_code)

    @app.post("/admin/enrolment-codes", response_model=IssuedCodeResponse, responses=admin_errors)
    def issue(body: IssueCodeRequest, admin: Annotated[Actor, Depends(current_admin)]) -> IssuedCodeResponse:
        """A one-time enrolment code for a role, hall and organisation (expires; works once)."""
        try:
            code = enrolment.issue_code(hall, admin, body.role, hall_code=body.hall_code, org_code=body.org_code,
                                        valid_hours=body.valid_hours)
        except enrolment.EnrolmentRefused as exc:
            raise SyncProblem("refused", str(exc)) from None
        return IssuedCodeResponse(code=code.code, role=code.role, hall_code=code.hall_code, org_code=code.org_code,
                                  expires_at=code.expires_at)

    @app.get("/admin/devices", response_model=DeviceList, responses=admin_errors)
    def devices(admin: Annotated[Actor, Depends(current_admin)]) -> DeviceList:
        """Every enrolled device: role, hall, organisation, when enrolled, last seen, revoked."""
        return DeviceList(devices=[DeviceEntry(**vars(d)) for d in enrolment.list_devices(hall, admin)])

    @app.post("/admin/devices/{device_id}/revoke", response_model=DeviceEntry, responses=admin_errors)
    def revoke(device_id: Annotated[str, Path(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9_]+$")],
               admin: Annotated[Actor, Depends(current_admin)]) -> DeviceEntry:
        """Revoke a device: its token is refused from its next request on."""
        try:
            return DeviceEntry(**vars(enrolment.revoke_device(hall, admin, device_id)))
        except enrolment.EnrolmentRefused as exc:
            raise StarletteHTTPException(404, str(exc)) from None

    @app.get("/admin/kiosk-pin", response_model=KioskPinList, responses=admin_errors)
    def kiosk_pins(admin: Annotated[Actor, Depends(current_admin)]) -> KioskPinList:
        """Where a kiosks' exit PIN is set (every hall, or by hall) and when it was changed; never the hash."""
        return KioskPinList(pins=[KioskPinEntry(**vars(p)) for p in kiosk_pin.shared_pins(hall, admin)])

    @app.post("/admin/kiosk-pin", response_model=KioskPinEntry, responses=admin_errors)
    def set_kiosk_pin(body: KioskPinBody, admin: Annotated[Actor, Depends(current_admin)]) -> KioskPinEntry:
        """The kiosks' new exit PIN (its Argon2id hash), shared with every kiosk (of the hall) at its next sync."""
        try:
            return KioskPinEntry(**vars(kiosk_pin.share_pin_hash(hall, admin, body.pin_hash, body.hall_code)))
        except RuleViolation as refusal:
            raise SyncProblem("refused", refusal.message) from None

    @app.post("/admin/devices/{device_id}/place", response_model=DeviceEntry, responses=admin_errors)
    def name_device(device_id: Annotated[str, Path(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9_]+$")],
                    body: DevicePlaceBody, admin: Annotated[Actor, Depends(current_admin)]) -> DeviceEntry:
        """Name where a device stands, so every list shows it in words."""
        try:
            return DeviceEntry(**vars(enrolment.name_device(hall, admin, device_id, body.place)))
        except enrolment.EnrolmentRefused as exc:
            raise SyncProblem("refused", str(exc)) from None

    # -- the devices' audit copies, for a supervisor or administrator --------------------------------

    @app.get("/admin/audit-copies", response_model=AuditCopyList, responses=admin_errors)
    def audit_copy_list(auditor: Annotated[Actor, Depends(current_auditor)]) -> AuditCopyList:
        """Every device's audit copy in words: the device, its hall (or the hall server it came through), how far."""
        return AuditCopyList(copies=[AuditCopyEntry(**vars(c)) for c in audit_copies(hall, auditor)])

    @app.get("/admin/audit-copies/{device_id}", response_model=AuditCopyPage,
             responses={**admin_errors, 404: {"model": ErrorResponse}})
    def audit_copy_entries(
            device_id: Annotated[str, Path(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9_]+$")],
            auditor: Annotated[Actor, Depends(current_auditor)],
            relayed_by: Annotated[str, Query(max_length=32, pattern=r"^[A-Za-z0-9_]*$",
                                             description="转来的副本：大厅服务器的设备号")] = "",
            page: Annotated[int, Query(ge=1, le=2**31, description="第几页（每页 100 条，最新的在前）")] = 1,
    ) -> AuditCopyPage:
        """One device's copy, a page of 100 entries newest first, and whether the whole copy continues without a
        gap (seq and prev_hash: the keyed hashes only the device's key can check)."""
        found = copy_page(hall, auditor, device_id, relayed_by, page)
        if found is None:
            raise StarletteHTTPException(404, "服务器上没有这台设备的审计副本")
        return _copy_page(found)

    # -- the public lookup behind the receipt's QR code ------------------------------------------

    lookup = public.PublicLookup.over(hall)

    def _client(request: Request) -> str:
        return request.client.host if request.client is not None else "?"

    def _html(page: str, status: int = 200, **headers: str) -> HTMLResponse:
        return HTMLResponse(page, status_code=status, headers={**PAGE_HEADERS, **headers})

    def _lookup_page(request: Request, case_number: str, code: str) -> HTMLResponse:
        if not case_number and not code:
            return _html(public.form_page())
        try:
            progress = lookup.progress(_client(request), case_number, code)
        except public.Limited as limited:
            return _html(public.form_page(limited.words), 429, **{"Retry-After": str(limited.retry_after)})
        except public.NotFound:
            return _html(public.form_page(public.NOT_FOUND), 404)
        except RuleViolation as refusal:
            return _html(public.form_page(refusal.message, case_number[:64]), 400)
        return _html(public.progress_page(progress))

    @app.get("/q", response_class=HTMLResponse, responses={400: {"content": {"text/html": {}}},
                                                           404: {"content": {"text/html": {}}},
                                                           429: {"content": {"text/html": {}}}})
    def public_page(request: Request, case: Annotated[str, Query(max_length=64)] = "",
                    code: Annotated[str, Query(max_length=64)] = "") -> HTMLResponse:
        """The public progress page (a form, or the answer for ``case`` and ``code``)."""
        return _lookup_page(request, case, code)

    @app.get("/q/{case}/{code}", response_class=HTMLResponse,
             responses={400: {"content": {"text/html": {}}}, 404: {"content": {"text/html": {}}},
                        429: {"content": {"text/html": {}}}})
    def public_page_from_qr(request: Request, case: Annotated[str, Path(max_length=64)],
                            code: Annotated[str, Path(max_length=64)]) -> HTMLResponse:
        """The address in the receipt's QR code: ``/q/<case number>/<query code>``."""
        return _lookup_page(request, case, code)

    @app.get("/api/progress", response_model=ProgressAnswer,
             responses={400: {"model": ErrorResponse}, 404: {"model": ErrorResponse}, 429: {"model": ErrorResponse},
                        422: {"model": ErrorResponse}})
    def progress_api(request: Request, case: Annotated[str, Query(min_length=1, max_length=64)],
                     code: Annotated[str, Query(min_length=1, max_length=64)]) -> Response:
        """The same as JSON, for kiosks (a kiosk's token lifts the per-client limit, not the per-case one)."""
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        device = authenticate(hall, token.strip()) if scheme.lower() == "bearer" else None
        try:
            progress = lookup.progress(_client(request), case, code,
                                       trusted=device is not None and device.role == "kiosk")
        except public.Limited as limited:
            return _problem(429, "refused", limited.words, **{"Retry-After": str(limited.retry_after)})
        except public.NotFound:
            return _problem(404, "refused", public.NOT_FOUND)
        except RuleViolation as refusal:
            return _problem(400, "refused", f"case：{refusal.message}")
        return JSONResponse(public.progress_json(progress), headers={"Cache-Control": "no-store"})

    app.state.queue_notifier = add_queue_routes(app, hall, current_device, sync.keys)
    app.state.records_notifier = add_records_routes(app, hall, current_device, sync.keys)
    add_window_type_routes(app, hall, current_admin)
    add_directory_routes(app, hall, current_admin)
    return app


#: The page's address carries the query code: never cached, never sent on as a referrer.
PAGE_HEADERS = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer", "X-Content-Type-Options": "nosniff",
                "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'"}


def _copy_page(found: CopyPage) -> AuditCopyPage:
    c = found.continuity
    return AuditCopyPage(page=found.page, pages=found.pages, entries=[
        CopiedAuditEntry(**{**vars(e.entry), "detail": dict(e.entry.detail)}, received_at=e.received_at)
        for e in found.entries],
        continuity=AuditContinuity(ok=c.ok, first_seq=c.first_seq, last_seq=c.last_seq, entries=c.entries,
                                   breaks=list(c.breaks), more_breaks=c.more_breaks, summary=c.summary()))


def _parse_push(body: bytes) -> PushRequest:
    return _parse_body(PushRequest, body)


def _parse_body(model: type[Body], body: bytes) -> Body:
    try:
        return model.model_validate_json(body)
    except ValidationError as exc:
        if any(e.get("type") == "json_invalid" for e in exc.errors()):
            raise SyncProblem("refused", "请求内容不是有效的 JSON") from None
        raise SyncProblem("refused", _validation_message(list(exc.errors()))) from None


async def _read_limited(request: Request, limit: int = MAX_BODY_BYTES,
                        too_large: str = "请求内容过大（超过 {mb} MB），请分批推送") -> bytes:
    """The body, refused (413) as soon as it passes ``limit``, whatever Content-Length says."""
    message = too_large.format(mb=limit // (1024 * 1024))
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise StarletteHTTPException(413, message)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise StarletteHTTPException(413, message)
        chunks.append(chunk)
    return b"".join(chunks)


@contextmanager
def serving(app: FastAPI, host: str = "127.0.0.1", port: int = 0) -> Iterator[str]:
    """``app`` on a real socket, served by uvicorn in a background thread; yields the base URL.

    Port 0 takes any free port. For tests and the benchmark; ``python -m server run`` serves
    in the foreground.
    """
    import uvicorn

    web = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=web.run, name="sync-http", daemon=True)
    thread.start()
    try:
        while not web.started:
            if not thread.is_alive():
                raise RuntimeError("同步服务未能启动（端口可能已被占用）")
            thread.join(0.01)  # uvicorn reports start-up only through ``started``
        bound = web.servers[0].sockets[0].getsockname()
        yield f"http://{bound[0]}:{bound[1]}"
    finally:
        for name in ("queue_notifier", "records_notifier"):
            notifier = getattr(app.state, name, None)
            if notifier is not None:
                notifier.close()  # the open streams end, so the server can stop
        web.should_exit = True
        thread.join()
