"""The server's copies of the devices' audit logs, read from the administrator's desk over HTTP.

The desk sends its device token and the signed-in person's own login and password with each
request (``ServerAdmin``; a supervisor or an administrator, who may check audit logs); the
server checks both. The list names each device in words; a device's copy comes a page of 100
entries at a time, newest first, with the server's answer on whether it continues without a
gap. Nothing is kept here.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from desktop.domain.audit import AuditEntry
from desktop.services.context import Hall
from desktop.sync.enrolment import ServerAdmin
from server.protocol import AuditCopyEntry, AuditCopyList, AuditCopyPage


@dataclass(frozen=True)
class CopiedEntries:
    """A page of one device's copy on the server, newest first, and whether the whole copy continues."""

    entries: list[AuditEntry]
    received_at: list[str]  # when each arrived at the server (YYYY-MM-DD HH:MM)
    page: int
    pages: int
    total: int
    continuous: bool
    summary: str  # the server's words on the copy's continuity


def server_audit_copies(hall: Hall, login: str, password: str) -> list[AuditCopyEntry]:
    """Every device's audit copy on the server, in words (by hall, then device)."""
    with ServerAdmin.for_hall(hall, login, password) as admin:
        return admin.call(AuditCopyList, "GET", "/admin/audit-copies").copies


def server_audit_entries(hall: Hall, login: str, password: str, copy: AuditCopyEntry, page: int = 1) -> CopiedEntries:
    """Page ``page`` (from 1; past the end, the last) of ``copy``'s entries, 100 a page, newest first."""
    with ServerAdmin.for_hall(hall, login, password) as admin:
        got = admin.call(AuditCopyPage, "GET", f"/admin/audit-copies/{quote(copy.device_id, safe='')}",
                         params={"relayed_by": copy.relayed_by, "page": max(page, 1)})
    entries = [AuditEntry(seq=e.seq, at=e.at, device=e.device, actor_id=e.actor_id, actor_name=e.actor_name,
                          action=e.action, target=e.target, detail=e.detail, prev_hash=e.prev_hash,
                          entry_hash=e.entry_hash) for e in got.entries]
    return CopiedEntries(entries, [e.received_at for e in got.entries], got.page, got.pages,
                         got.continuity.entries, got.continuity.ok, got.continuity.summary)


__all__ = ["CopiedEntries", "server_audit_copies", "server_audit_entries"]
