"""Reference data down the feed: staff accounts to staff devices, holiday schedules to every device.

Versioned by content: the version is a digest of what this device may hold, so a device
that already has it is answered ``unchanged`` and nothing is sent. Accounts go only to
devices where staff sign in (counters, the leader's desk, the administration desk, a hall
server), only those that may act there (the device's unit and hall), and only with
Argon2id hashes; kiosks and hall displays receive none. A holiday schedule imported once
at the centre (``python -m desktop import-holidays`` on the server's database) reaches
every device with its next sync.
"""

from __future__ import annotations

import hashlib
import json

from sqlalchemy import select

from db.models import HolidayScheduleRow, StaffAccountRow
from desktop.services.context import Hall
from server.protocol import HolidaySchedule, ReferenceAccount, ReferenceResponse
from server.store import Device

#: Device roles where staff sign in, and so hold accounts.
STAFF_DEVICES = frozenset({"counter", "leader", "admin", "hall"})


def _accounts_for(hall: Hall, device: Device) -> list[ReferenceAccount]:
    if device.role not in STAFF_DEVICES:
        return []
    query = select(StaffAccountRow).order_by(StaffAccountRow.login)
    if device.role in ("counter", "leader"):
        query = query.where(StaffAccountRow.org_code == device.org_code)
        if device.hall_code:
            query = query.where(StaffAccountRow.hall_code.in_(("", device.hall_code)))
    with hall.sessions() as session:
        rows = list(session.scalars(query))
    return [ReferenceAccount(login=r.login, display_name=r.display_name, role=r.role, hall_code=r.hall_code,
                             org_code=r.org_code, extra_permissions=list(json.loads(r.extra_permissions or "[]")),
                             password_hash=r.password_hash, must_change_password=r.must_change_password,
                             disabled=r.disabled, password_changed_at=r.password_changed_at)
            for r in rows if r.password_hash.startswith("$argon2id$")]


def _holidays(hall: Hall) -> list[HolidaySchedule]:
    with hall.sessions() as session:
        rows = list(session.scalars(select(HolidayScheduleRow).order_by(HolidayScheduleRow.year)))
    return [HolidaySchedule(year=r.year, csv_text=r.csv_text, source=r.source) for r in rows]


def reference_for(hall: Hall, device: Device, have: str = "") -> ReferenceResponse:
    accounts, holidays = _accounts_for(hall, device), _holidays(hall)
    content = json.dumps({"accounts": [a.model_dump() for a in accounts],
                          "holidays": [h.model_dump() for h in holidays]},
                         ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    version = hashlib.sha256(content.encode("utf-8")).hexdigest()
    if have == version:
        return ReferenceResponse(version=version, unchanged=True, accounts=[], holidays=[])
    return ReferenceResponse(version=version, unchanged=False, accounts=accounts, holidays=holidays)
