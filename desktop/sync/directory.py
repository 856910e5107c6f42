"""The server's organisation directory, read and changed from the administrator's desk over HTTP.

The desk sends its device token and the administrator's own login and password with each
request (``ServerAdmin``); the server checks both, applies the same service as a desk that does
not sync (``desktop/services/organisations.py``) and shares the directory with every device at
its next sync. Nothing is kept here.
"""

from __future__ import annotations

from desktop.services.context import Hall
from desktop.services.organisations import DirectoryEntry, DirectoryListing, OrganisationForm
from desktop.sync.enrolment import ServerAdmin
from server.protocol import OrganisationBody, OrganisationEntry, OrganisationList

_PATHS = {"retire": "retire", "reinstate": "reinstate"}


def _entry(e: OrganisationEntry) -> DirectoryEntry:
    return DirectoryEntry(code=e.code, name=e.name, kind=e.kind, level=e.level, region_code=e.region_code,
                          region_name=e.region_name, parent_code=e.parent_code, parent_name=e.parent_name,
                          topic_codes=tuple(e.topic_codes), topic_names=tuple(e.topic_names), address=e.address,
                          phone=e.phone, reception_place=e.reception_place, retired=e.retired,
                          former_names=tuple(e.former_names), keys=tuple(e.keys))


def server_directory(hall: Hall, login: str, password: str) -> DirectoryListing:
    """The server's directory, in words (the administrator's password checked there)."""
    with ServerAdmin.for_hall(hall, login, password) as admin:
        got = admin.call(OrganisationList, "GET", "/admin/organisations")
    return DirectoryListing([_entry(e) for e in got.entries], got.source, got.editable, got.why_not, got.changed_at)


def save_server_organisation(hall: Hall, login: str, password: str, form: OrganisationForm, *,
                             new: bool) -> DirectoryEntry:
    """Add (``new``) or change an organisation on the server."""
    body = OrganisationBody(code=form.code[:64], name=form.name[:200], kind=form.kind[:32],
                            region_code=form.region_code[:16], parent_code=form.parent_code[:64],
                            topic_codes=list(form.topic_codes)[:200], address=form.address[:400],
                            phone=form.phone[:100], reception_place=form.reception_place[:400], new=new)
    with ServerAdmin.for_hall(hall, login, password) as admin:
        return _entry(admin.call(OrganisationEntry, "POST", "/admin/organisations", json=body.model_dump()))


def change_server_organisation(hall: Hall, login: str, password: str, code: str, what: str) -> DirectoryEntry:
    """Retire (``what`` "retire") or put back in use ("reinstate") an organisation on the server."""
    from urllib.parse import quote

    with ServerAdmin.for_hall(hall, login, password) as admin:
        path = f"/admin/organisations/{quote(code, safe='')}/{_PATHS[what]}"
        return _entry(admin.call(OrganisationEntry, "POST", path))


__all__ = ["change_server_organisation", "save_server_organisation", "server_directory"]
