"""The kiosks' exit PIN, set by an administrator at the centre and shared with every kiosk.

The PIN is typed twice and checked by the same rule as ``python -m desktop set-kiosk-pin``
(:func:`desktop.domain.passwords.hash_new_pin`: 6–12 digits, not one digit repeated, not a
run); only its Argon2id hash is kept (a reference document, ``kiosk_pin``, for all halls or
one) and sent down the reference feed to the kiosks, which put it in force at once. Who
changed it and when is audited; the PIN itself is never stored, logged or audited.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select

from db.models import ReferenceDocumentRow
from desktop.domain.access import Actor, Permission
from desktop.domain.errors import ValidationError
from desktop.domain.passwords import hash_new_pin
from desktop.services.audit import guard
from desktop.services.context import Hall
from desktop.services.reference_feed import KIOSK_PIN, kiosk_pin_document, store_document

HALL_CODE = r"[A-Za-z0-9_-]{0,16}"


@dataclass(frozen=True)
class KioskPinSet:
    """Where a shared PIN applies ("" : every hall) and when it was last changed (ISO time, seconds)."""

    hall_code: str
    changed_at: str


def check_hall_code(hall_code: str) -> str:
    code = hall_code.strip()
    if not re.fullmatch(HALL_CODE, code):
        raise ValidationError("bad_hall_code", "大厅编码只能由字母、数字、下划线或短横线组成（不超过16位）",
                              "hall_code")
    return code


def share_pin_hash(hall: Hall, actor: Actor, pin_hash: str, hall_code: str = "") -> KioskPinSet:
    """Keep ``pin_hash`` as the kiosks' exit PIN of ``hall_code`` ("" : every hall) and share it (audited)."""
    guard(hall, actor, Permission.MANAGE_SETTINGS, "设置自助终端退出密码")
    code = check_hall_code(hall_code)
    store_document(hall, actor, KIOSK_PIN, kiosk_pin_document(pin_hash), code)
    return next(p for p in shared_pins(hall, actor) if p.hall_code == code)


def share_pin(hall: Hall, actor: Actor, pin: str, again: str, hall_code: str = "") -> KioskPinSet:
    """Check the PIN typed twice, hash it (Argon2id: call off the GUI thread) and share the hash."""
    guard(hall, actor, Permission.MANAGE_SETTINGS, "设置自助终端退出密码")
    check_hall_code(hall_code)
    return share_pin_hash(hall, actor, hash_new_pin(pin.strip(), again.strip()), hall_code)


def shared_pins(hall: Hall, actor: Actor) -> list[KioskPinSet]:
    """The PINs this installation shares: for every hall first, then by hall code (hashes never leave here)."""
    guard(hall, actor, Permission.MANAGE_SETTINGS, "查看自助终端退出密码的设置情况")
    with hall.sessions() as session:
        rows = session.scalars(select(ReferenceDocumentRow).where(ReferenceDocumentRow.kind == KIOSK_PIN)
                               .order_by(ReferenceDocumentRow.scope))
        return [KioskPinSet(r.scope, r.updated_at) for r in rows]


__all__ = ["KioskPinSet", "check_hall_code", "share_pin", "share_pin_hash", "shared_pins"]
