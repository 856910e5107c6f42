"""A device's enrolment with its server, and the administrator's device list, over HTTP.

``enrol_with_code`` exchanges a one-time code for the device's token and keeps the token in
the key store (beside the database key). ``ServerAdmin`` is the administrator's view of the
server's devices: it sends the admin device's token and the administrator's own login and
password with each request (the server checks both; nothing is cached here).
"""

from __future__ import annotations

import base64
from pathlib import Path
from typing import TypeVar

import httpx
from pydantic import BaseModel, ValidationError

from desktop.config import Settings
from desktop.domain.queue import WindowType
from desktop.services.context import Hall
from desktop.services.kiosk_pin import KioskPinSet
from desktop.services.queue import WindowTypeRow
from desktop.sync.credentials import load_token, save_token
from desktop.sync.transport import _problem
from server.protocol import (
    DeviceEntry,
    DeviceList,
    DevicePlaceBody,
    EnrolRequest,
    EnrolResponse,
    IssueCodeRequest,
    IssuedCodeResponse,
    KioskPinBody,
    KioskPinEntry,
    KioskPinList,
    SyncProblem,
    WindowTypeBody,
    WindowTypeEntry,
    WindowTypeList,
)

Model = TypeVar("Model", bound=BaseModel)
STAFF_HEADER = "X-Staff-Authorization"


def _call(client: httpx.Client, model: type[Model], method: str, path: str, **kwargs: object) -> Model:
    try:
        response = client.request(method, path, **kwargs)  # type: ignore[arg-type]
    except httpx.TimeoutException:
        raise SyncProblem("offline", f"网络未连接：服务器 {client.base_url} 长时间没有应答，请稍后重试") from None
    except httpx.TransportError as exc:
        raise SyncProblem("offline", f"网络未连接：无法连接服务器 {client.base_url}（{exc}）") from None
    if response.status_code >= 400:
        raise _problem(response)
    try:
        return model.model_validate_json(response.content)
    except ValidationError:
        raise SyncProblem("server_error", "服务器的应答不符合协议：请确认服务器地址与版本") from None


def redeem(url: str, code: str, device_id: str, device_code: str = "", *, timeout: float = 30.0) -> EnrolResponse:
    """The device's credentials for a one-time code (the code is spent)."""
    body = EnrolRequest(code=code.strip(), device_id=device_id, device_code=device_code)
    with httpx.Client(base_url=url.rstrip("/"), timeout=timeout) as client:
        return _call(client, EnrolResponse, "POST", "/enrol", json=body.model_dump())


def enrol_with_code(settings: Settings, db_path: Path, url: str, code: str) -> tuple[EnrolResponse, str]:
    """Enrol this device with a one-time code; the token goes to the key store. Returns the answer and where."""
    device_code = settings.device_code if settings.device_code else ""
    answer = redeem(url, code, settings.device_id, device_code)
    where = save_token(settings, db_path, answer.token)
    return answer, where


class ServerAdmin:
    """The server's devices as the administrator sees them (each call signs in again on the server)."""

    def __init__(self, url: str, token: str, login: str, password: str, *, timeout: float = 30.0,
                 client: httpx.Client | None = None) -> None:
        staff = base64.b64encode(f"{login}:{password}".encode()).decode("ascii")
        self._client = client or httpx.Client(base_url=url.rstrip("/"), timeout=timeout)
        self._headers = {"Authorization": f"Bearer {token}", STAFF_HEADER: f"Basic {staff}"}

    @classmethod
    def for_hall(cls, hall: Hall, login: str, password: str) -> ServerAdmin:
        """The admin desk's own server and token (from its settings and key store)."""
        url = hall.settings.server_url
        if not url:
            raise SyncProblem("refused", "未设置同步服务器：请在设置中填写 server_url")
        db_path = Path(hall.engine.url.database or "")
        token = load_token(hall.settings, db_path)
        if not token:
            raise SyncProblem("unauthorised", "本机尚未在服务器注册：请先用注册码注册本机（python -m desktop enrol）")
        return cls(url, token, login, password)

    def call(self, model: type[Model], method: str, path: str, **kwargs: object) -> Model:
        """One request of the administrator's (the token and their login sent with it), answered as ``model``."""
        return _call(self._client, model, method, path, headers=self._headers, **kwargs)

    def devices(self) -> list[DeviceEntry]:
        return _call(self._client, DeviceList, "GET", "/admin/devices", headers=self._headers).devices

    def revoke(self, device_id: str) -> DeviceEntry:
        return _call(self._client, DeviceEntry, "POST", f"/admin/devices/{device_id}/revoke", headers=self._headers)

    def name_device(self, device_id: str, place: str) -> DeviceEntry:
        return _call(self._client, DeviceEntry, "POST", f"/admin/devices/{device_id}/place", headers=self._headers,
                     json=DevicePlaceBody(place=place[:64]).model_dump())

    def issue_code(self, role: str, *, hall_code: str = "", org_code: str = "",
                   valid_hours: int = 24) -> IssuedCodeResponse:
        try:
            body = IssueCodeRequest.model_validate({"role": role, "hall_code": hall_code, "org_code": org_code,
                                                    "valid_hours": valid_hours})
        except ValidationError:
            raise SyncProblem("refused", "注册码的设备角色、大厅编码、单位编码或有效期不正确") from None
        return _call(self._client, IssuedCodeResponse, "POST", "/admin/enrolment-codes", headers=self._headers,
                     json=body.model_dump())

    def window_types(self) -> list[WindowTypeEntry]:
        return _call(self._client, WindowTypeList, "GET", "/admin/queue/window-types", headers=self._headers).types

    def save_window_type(self, body: WindowTypeBody) -> WindowTypeEntry:
        return _call(self._client, WindowTypeEntry, "POST", "/admin/queue/window-types", headers=self._headers,
                     json=body.model_dump())

    def move_window_type(self, code: str, step: int) -> list[WindowTypeEntry]:
        return _call(self._client, WindowTypeList, "POST", f"/admin/queue/window-types/{code}/move",
                     headers=self._headers, params={"step": step}).types

    def kiosk_pins(self) -> list[KioskPinEntry]:
        return _call(self._client, KioskPinList, "GET", "/admin/kiosk-pin", headers=self._headers).pins

    def set_kiosk_pin(self, pin_hash: str, hall_code: str = "") -> KioskPinEntry:
        body = KioskPinBody(pin_hash=pin_hash, hall_code=hall_code)
        return _call(self._client, KioskPinEntry, "POST", "/admin/kiosk-pin", headers=self._headers,
                     json=body.model_dump())

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> ServerAdmin:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def list_server_devices(hall: Hall, login: str, password: str) -> list[DeviceEntry]:
    with ServerAdmin.for_hall(hall, login, password) as admin:
        return admin.devices()


def revoke_server_device(hall: Hall, login: str, password: str, device_id: str) -> DeviceEntry:
    with ServerAdmin.for_hall(hall, login, password) as admin:
        return admin.revoke(device_id)


def name_server_device(hall: Hall, login: str, password: str, device_id: str, place: str) -> DeviceEntry:
    with ServerAdmin.for_hall(hall, login, password) as admin:
        return admin.name_device(device_id, place)


def issue_enrolment_code(hall: Hall, login: str, password: str, role: str, *, hall_code: str = "",
                         org_code: str = "") -> IssuedCodeResponse:
    with ServerAdmin.for_hall(hall, login, password) as admin:
        return admin.issue_code(role, hall_code=hall_code, org_code=org_code)


def _window_type_rows(entries: list[WindowTypeEntry]) -> list[WindowTypeRow]:
    return [WindowTypeRow(_window_type(e), e.waiting) for e in entries]


def _window_type(e: WindowTypeBody) -> WindowType:
    return WindowType(e.code, e.name, e.prefix, tuple(e.windows), e.priority_allowed, e.active)


def server_window_types(hall: Hall, login: str, password: str) -> list[WindowTypeRow]:
    """The hall server's window types with today's waiting counts (the administrator's password each time)."""
    with ServerAdmin.for_hall(hall, login, password) as admin:
        return _window_type_rows(admin.window_types())


def save_server_window_type(hall: Hall, login: str, password: str, window_type: WindowType) -> WindowType:
    """Add or change a window type on the hall server (its rules and words; pushed to every device from there)."""
    try:
        body = WindowTypeBody(code=window_type.code, name=window_type.name, prefix=window_type.prefix,
                              windows=list(window_type.windows), priority_allowed=window_type.priority_allowed,
                              active=window_type.active)
    except ValidationError:
        raise SyncProblem("refused", "窗口类型的名称或前缀含有不能使用的字符") from None
    with ServerAdmin.for_hall(hall, login, password) as admin:
        return _window_type(admin.save_window_type(body))


def move_server_window_type(hall: Hall, login: str, password: str, code: str, step: int) -> list[WindowTypeRow]:
    with ServerAdmin.for_hall(hall, login, password) as admin:
        return _window_type_rows(admin.move_window_type(code, step))


def server_kiosk_pins(hall: Hall, login: str, password: str) -> list[KioskPinSet]:
    """Where the server shares a kiosks' exit PIN and when each was changed (the administrator's password each time)."""
    with ServerAdmin.for_hall(hall, login, password) as admin:
        return [KioskPinSet(p.hall_code, p.changed_at) for p in admin.kiosk_pins()]


def set_server_kiosk_pin(hall: Hall, login: str, password: str, pin: str, again: str,
                         hall_code: str = "") -> KioskPinSet:
    """Check and hash the PIN typed twice here (Argon2id, off the GUI thread); only the hash goes to the server."""
    from desktop.domain.passwords import hash_new_pin
    from desktop.services.kiosk_pin import check_hall_code

    code = check_hall_code(hall_code)
    pin_hash = hash_new_pin(pin.strip(), again.strip())
    with ServerAdmin.for_hall(hall, login, password) as admin:
        done = admin.set_kiosk_pin(pin_hash, code)
    return KioskPinSet(done.hall_code, done.changed_at)
