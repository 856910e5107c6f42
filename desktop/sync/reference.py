"""A device takes the server's reference data: staff accounts (staff devices) and holiday schedules.

Asked after each sync with the version the device last applied; when the server answers
``unchanged`` nothing is written. Accounts are stored as the server sends them (Argon2id
hashes; local lockout state kept), holiday schedules replace the same year's, and the
version is written last, so an interrupted apply is simply done again next time.
"""

from __future__ import annotations

from dataclasses import dataclass

import httpx
from sqlalchemy import select

from db.models import HolidayScheduleRow, ReferenceStateRow
from desktop.domain.access import Actor
from desktop.services.accounts import SyncedAccount, apply_synced_accounts
from desktop.services.context import Hall
from desktop.services.holidays import import_schedule
from desktop.sync.enrolment import _call
from server.protocol import ReferenceResponse

STATE_NAME = "upstream"
SYNC_ACTOR = Actor.system("sync")


@dataclass(frozen=True)
class ReferenceReport:
    version: str
    changed: bool
    accounts: int  # accounts written
    years: tuple[int, ...]  # holiday schedules written


def applied_version(hall: Hall) -> str:
    with hall.sessions() as session:
        row = session.get(ReferenceStateRow, STATE_NAME)
    return row.version if row is not None else ""


def apply_reference(hall: Hall, answer: ReferenceResponse) -> ReferenceReport:
    if answer.unchanged:
        return ReferenceReport(answer.version, False, 0, ())
    accounts = apply_synced_accounts(hall, SYNC_ACTOR, [
        SyncedAccount(login=a.login, display_name=a.display_name, role=a.role, hall_code=a.hall_code,
                      org_code=a.org_code, extra_permissions=tuple(a.extra_permissions),
                      password_hash=a.password_hash, must_change_password=a.must_change_password,
                      disabled=a.disabled, password_changed_at=a.password_changed_at)
        for a in answer.accounts]) if answer.accounts else 0
    with hall.sessions() as session:
        local = {r.year: r.csv_text for r in session.scalars(select(HolidayScheduleRow))}
    years = []
    for schedule in answer.holidays:
        if local.get(schedule.year) != schedule.csv_text:
            import_schedule(hall, SYNC_ACTOR, schedule.csv_text, schedule.source or "服务器")
            years.append(schedule.year)
    with hall.transaction() as session:
        row = session.get(ReferenceStateRow, STATE_NAME)
        stamp = hall.now().isoformat(timespec="seconds")
        if row is None:
            session.add(ReferenceStateRow(name=STATE_NAME, version=answer.version, applied_at=stamp))
        else:
            row.version, row.applied_at = answer.version, stamp
    return ReferenceReport(answer.version, True, accounts, tuple(years))


def pull_reference(hall: Hall, url: str, token: str, *, timeout: float = 60.0) -> ReferenceReport:
    """Ask the server for its reference data newer than the version applied here, and apply it."""
    with httpx.Client(base_url=url.rstrip("/"), timeout=timeout) as client:
        answer = _call(client, ReferenceResponse, "GET", "/sync/reference",
                       params={"have": applied_version(hall)}, headers={"Authorization": f"Bearer {token}"})
    return apply_reference(hall, answer)
