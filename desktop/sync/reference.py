"""A device takes the server's reference data: the kinds of ``desktop/services/reference_feed.py``.

Asked after each sync with the version the device last applied; when the server answers
``unchanged`` nothing is written. Otherwise each kind whose version this device does not
hold is applied (accounts stored as sent, with the local lockout state kept; holiday
schedules replacing the same year's; the organisation directory replacing the shipped one;
shared settings written into the settings file and put in force at once), its version recorded
after it, and the overall version last, so an interrupted apply is simply done again.
"""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from db.models import ReferenceStateRow
from desktop.domain.errors import RuleViolation
from desktop.services.context import Hall
from desktop.services.reference_feed import apply_documents
from desktop.sync.enrolment import _call
from server.protocol import ReferenceResponse, SyncProblem

STATE_NAME = "upstream"


@dataclass(frozen=True)
class ReferenceReport:
    version: str
    changed: bool
    kinds: tuple[str, ...]  # the kinds applied (accounts, holidays, organisations, settings …)


def applied_version(hall: Hall) -> str:
    with hall.sessions() as session:
        row = session.get(ReferenceStateRow, STATE_NAME)
    return row.version if row is not None else ""


def apply_reference(hall: Hall, answer: ReferenceResponse) -> ReferenceReport:
    if answer.unchanged:
        return ReferenceReport(answer.version, False, ())
    try:
        kinds = apply_documents(hall, {name: part.content for name, part in answer.parts.items()})
    except RuleViolation as refusal:
        raise SyncProblem("refused", refusal.message) from None
    with hall.transaction() as session:
        row = session.get(ReferenceStateRow, STATE_NAME)
        stamp = hall.now().isoformat(timespec="seconds")
        if row is None:
            session.add(ReferenceStateRow(name=STATE_NAME, version=answer.version, applied_at=stamp))
        else:
            row.version, row.applied_at = answer.version, stamp
    return ReferenceReport(answer.version, True, tuple(kinds))


def pull_reference(hall: Hall, url: str, token: str, *, timeout: float = 60.0) -> ReferenceReport:
    """Ask the server for its reference data newer than the version applied here, and apply it."""
    with httpx.Client(base_url=url.rstrip("/"), timeout=timeout) as client:
        answer = _call(client, ReferenceResponse, "GET", "/sync/reference",
                       params={"have": applied_version(hall)}, headers={"Authorization": f"Bearer {token}"})
    return apply_reference(hall, answer)
