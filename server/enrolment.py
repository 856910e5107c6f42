"""Devices of the server: one-time enrolment codes, the list of devices, revocation.

An administrator issues a code for a role, hall and organisation; it works once, until it
expires. The device exchanges it (``POST /enrol``) for its token, which the device keeps in
its key store; the server keeps only hashes of both. A revoked device's token is refused
from its next request on. Issuing, exchanging and revoking are written to the server's
audit log.
"""

from __future__ import annotations

import dataclasses
import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final

from sqlalchemy import select, update

from db.models import EnrolmentCodeRow, SyncDeviceRow
from desktop.domain.access import Actor, Permission, require
from desktop.domain.audit import AuditAction
from desktop.domain.roles import DEVICE_KIND_NAMES
from desktop.services.audit import audit
from desktop.services.context import Hall
from desktop.services.reference_feed import SETTINGS, store_document, stored_document
from server.store import check_enrolment, enrol_device

#: Letters and digits that cannot be mistaken for each other when read out or typed (no 0/O, 1/I/L).
CODE_ALPHABET: Final = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_GROUPS: Final = 4  # 4 groups of 4: 16 characters, 79 bits
DEFAULT_VALID_HOURS: Final = 24
MAX_VALID_HOURS: Final = 24 * 14
#: The server's own document of where each device stands (never sent to devices: not a reference kind).
PLACES: Final = "device_places"
PLACE_MAX: Final = 24
CODE_REFUSED: Final = "注册码无效、已使用或已过期：请向系统管理员索取新的注册码"


class EnrolmentRefused(ValueError):
    """An enrolment code or a device request that is refused; the message is for the operator."""


@dataclass(frozen=True)
class IssuedCode:
    code: str  # shown once
    role: str
    hall_code: str
    org_code: str
    expires_at: str


@dataclass(frozen=True)
class Enrolled:
    token: str  # shown once, kept in the device's key store
    device_id: str
    role: str
    hall_code: str
    org_code: str


@dataclass(frozen=True)
class DeviceInfo:
    device_id: str
    role: str
    hall_code: str
    org_code: str
    device_code: str
    enrolled_at: str
    last_seen_at: str
    revoked_at: str
    place: str = ""  # where it stands, as the administrator named it (``name_device``)
    hall_name: str = ""  # its hall's name as the centre shares it ("" : none shared for its hall code)
    #: its peripherals that do not work, as it last reported them: {"peripheral", "problem", "since"}
    peripherals: tuple[dict[str, str], ...] = ()


def normalise_code(text: str) -> str:
    """Upper case, without spaces or hyphens (codes are read out and typed in groups)."""
    return "".join(c for c in text.upper() if c not in " -\t")


def _code_hash(code: str) -> str:
    return hashlib.sha256(normalise_code(code).encode("ascii", "replace")).hexdigest()


def _stamp(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def issue_code(hall: Hall, actor: Actor, role: str, *, hall_code: str = "", org_code: str = "",
               valid_hours: int = DEFAULT_VALID_HOURS) -> IssuedCode:
    """A new one-time code for a device of ``role`` in ``hall_code`` serving ``org_code``."""
    require(actor, Permission.MANAGE_SETTINGS, "签发设备注册码")
    try:
        check_enrolment("placeholder", role, org_code, hall_code, "K01" if role == "kiosk" else "")
    except ValueError as exc:
        raise EnrolmentRefused(str(exc)) from None
    if not 1 <= valid_hours <= MAX_VALID_HOURS:
        raise EnrolmentRefused(f"有效期（valid_hours）应在 1 到 {MAX_VALID_HOURS} 小时之间")
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(4 * CODE_GROUPS))
    code = "-".join(raw[i:i + 4] for i in range(0, len(raw), 4))
    now = hall.now()
    expires = _stamp(now + timedelta(hours=valid_hours))
    with hall.transaction() as session:
        session.add(EnrolmentCodeRow(code_hash=_code_hash(code), role=role, hall_code=hall_code, org_code=org_code,
                                     issued_by=actor.actor_id[:96], issued_at=_stamp(now), expires_at=expires,
                                     used_at="", used_by_device=""))
        audit(session, hall, actor, AuditAction.DEVICE_ENROLLED, f"注册码（{role}）",
              {"role": role, "hall_code": hall_code, "org_code": org_code, "expires_at": expires})
    return IssuedCode(code, role, hall_code, org_code, expires)


def redeem_code(hall: Hall, code: str, device_id: str, device_code: str = "") -> Enrolled:
    """Exchange a one-time code for the device's token; the code is spent whatever happens next."""
    wanted = _code_hash(code)
    now = hall.now()
    with hall.transaction() as session:
        row = session.get(EnrolmentCodeRow, wanted) if len(normalise_code(code)) <= 64 else None
        if row is None or row.used_at or row.expires_at <= _stamp(now):
            raise EnrolmentRefused(CODE_REFUSED)
        device_code = device_code if row.role == "kiosk" else ""  # only a kiosk is its own author
        try:
            check_enrolment(device_id, row.role, row.org_code, row.hall_code, device_code)
        except ValueError as exc:
            raise EnrolmentRefused(str(exc)) from None
        # spent atomically: of two devices racing with the same code, one wins
        spent = session.execute(update(EnrolmentCodeRow).where(EnrolmentCodeRow.code_hash == wanted)
                                .where(EnrolmentCodeRow.used_at == "")
                                .values(used_at=_stamp(now), used_by_device=device_id))
        if getattr(spent, "rowcount", 0) != 1:
            raise EnrolmentRefused(CODE_REFUSED)
        role, hall_code, org_code = row.role, row.hall_code, row.org_code
        audit(session, hall, Actor(f"device:{device_id}", f"设备 {device_id}", "system"),
              AuditAction.DEVICE_ENROLLED, device_id, {"role": role, "hall_code": hall_code, "org_code": org_code})
    token = enrol_device(hall, device_id, role, org_code, hall_code=hall_code, device_code=device_code)
    return Enrolled(token, device_id, role, hall_code, org_code)


def _info(row: SyncDeviceRow, place: str = "", hall_name: str = "") -> DeviceInfo:
    return DeviceInfo(row.device_id, row.role, row.hall_code, row.org_code, row.device_code, row.enrolled_at,
                      row.last_seen_at, row.revoked_at, place, hall_name)


def device_places(hall: Hall) -> dict[str, str]:
    found = stored_document(hall, PLACES)
    return {str(k): str(v) for k, v in found.items()} if isinstance(found, dict) else {}


def hall_names(hall: Hall) -> Callable[[str], str]:
    """The name of each hall code as the centre shares it (``share-settings [--hall] hall_name=…``)."""
    everywhere = (stored_document(hall, SETTINGS) or {}).get("hall_name") or hall.settings.hall_name

    def name(hall_code: str) -> str:
        if not hall_code:
            return str(everywhere)
        return str((stored_document(hall, SETTINGS, hall_code) or {}).get("hall_name") or "")

    return name


def check_place(place: str) -> str:
    """Where a device stands, as typed: up to 24 printable characters (empty: no name)."""
    text = " ".join(place.split())
    if len(text) > PLACE_MAX or not text.isprintable():
        raise EnrolmentRefused(f"设备位置最多{PLACE_MAX}个字，不能含控制字符（如“3号窗口”“一楼大厅入口”）")
    return text


def list_devices(hall: Hall, actor: Actor) -> list[DeviceInfo]:
    """Every enrolled device with its place and its hall's name, by kind, hall and place."""
    require(actor, Permission.MANAGE_SETTINGS, "查看设备")
    from desktop.services.peripherals import reported

    places, hall_name, problems = device_places(hall), hall_names(hall), reported(hall)
    with hall.sessions() as session:
        rows = list(session.scalars(select(SyncDeviceRow)))
    found = [dataclasses.replace(_info(r, places.get(r.device_id, ""), hall_name(r.hall_code)), peripherals=tuple(
        {"peripheral": p.peripheral, "problem": p.problem, "since": p.since} for p in problems.get(r.device_id, ())))
        for r in rows]
    order = list(DEVICE_KIND_NAMES)
    return sorted(found, key=lambda d: (order.index(d.role) if d.role in order else len(order), d.hall_code,
                                        d.device_code, d.place, d.enrolled_at, d.device_id))


def name_device(hall: Hall, actor: Actor, device_id: str, place: str) -> DeviceInfo:
    """Name where a device stands (``3号窗口``, ``一楼大厅入口``) so lists show it in words; audited."""
    require(actor, Permission.MANAGE_SETTINGS, "设置设备位置")
    text = check_place(place)
    with hall.sessions() as session:
        row = session.get(SyncDeviceRow, device_id) if len(device_id) <= 32 else None
    if row is None:
        raise EnrolmentRefused(f"没有编号为 {device_id[:32]} 的设备（device_id）")
    places = device_places(hall)
    if text:
        places[device_id] = text
    else:
        places.pop(device_id, None)
    store_document(hall, actor, PLACES, places)
    return next(d for d in list_devices(hall, actor) if d.device_id == device_id)


def revoke_device(hall: Hall, actor: Actor, device_id: str) -> DeviceInfo:
    """The device's token stops working from its next request on; re-enrolling it needs a new code."""
    require(actor, Permission.MANAGE_SETTINGS, "停用设备")
    with hall.transaction() as session:
        row = session.get(SyncDeviceRow, device_id) if len(device_id) <= 32 else None
        if row is None:
            raise EnrolmentRefused(f"没有编号为 {device_id[:32]} 的设备（device_id）")
        if not row.revoked_at:
            row.revoked_at = _stamp(hall.now())
            audit(session, hall, actor, AuditAction.DEVICE_ENROLLED, device_id, {"revoked": True})
    return next(d for d in list_devices(hall, actor) if d.device_id == device_id)
