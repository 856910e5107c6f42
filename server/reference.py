"""Reference data down the feed (``GET /sync/reference``): the kinds registered in
``desktop/services/reference_feed.py``, for the device the token belongs to.

Versioned by content: the answer's version is a digest of what this device may hold, so a
device that already has it is answered ``unchanged`` and nothing is sent; otherwise every
kind comes with its own version and the device applies only those it does not hold. Accounts
go only to devices where staff sign in, only those that may act there, and only with Argon2id
hashes; kiosks and hall displays receive none. A holiday schedule or organisation directory
imported once at the centre reaches every device with its next sync.

The organisation directory is edited here too, from the administrator's desk
(``/admin/organisations``: list, add or change, retire, put back in use; the administrator's own
password with each request): the server is the directory's authority, a device that syncs only
receives it.
"""

# No ``from __future__ import annotations``: FastAPI reads the routes' annotations, which name
# aliases local to ``add_directory_routes``.

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, FastAPI, Path

from desktop.domain.access import Actor
from desktop.domain.errors import RuleViolation
from desktop.services.context import Hall
from desktop.services.organisations import (
    DirectoryEntry,
    OrganisationForm,
    directory_listing,
    reinstate_organisation,
    retire_organisation,
    save_organisation,
)
from desktop.services.reference_feed import Audience, documents_for, version_of
from server.protocol import (
    OrganisationBody,
    OrganisationEntry,
    OrganisationList,
    ReferencePart,
    ReferenceResponse,
    SyncProblem,
)
from server.store import Device


def reference_for(hall: Hall, device: Device, have: str = "") -> ReferenceResponse:
    documents = documents_for(hall, Audience(device.role, device.org_code, device.hall_code))
    parts = {name: ReferencePart(version=version_of(content), content=content) for name, content in documents.items()}
    version = version_of({name: part.version for name, part in parts.items()})
    if have == version:
        return ReferenceResponse(version=version, unchanged=True, parts={})
    return ReferenceResponse(version=version, unchanged=False, parts=parts)


def organisation_entry(entry: DirectoryEntry) -> OrganisationEntry:
    return OrganisationEntry.model_validate({name: list(value) if isinstance(value, tuple) else value
                                             for name, value in vars(entry).items()})


def add_directory_routes(app: FastAPI, hall: Hall, current_admin: Callable[..., Actor]) -> None:
    """The organisation directory edited from the administrator's desk (an admin device, the admin's own password):
    the server is its authority and shares it with every device at its next sync."""
    Admin = Annotated[Actor, Depends(current_admin)]
    Code = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[^\s|/]+$")]

    @app.get("/admin/organisations")
    def organisations(admin: Admin) -> OrganisationList:
        """Every organisation in words, in use first, then the retired."""
        listing = directory_listing(hall, admin)
        return OrganisationList(source=listing.source, editable=listing.editable, why_not=listing.why_not,
                                changed_at=listing.changed_at, entries=[organisation_entry(e) for e in listing.entries])

    @app.post("/admin/organisations")
    def save(body: OrganisationBody, admin: Admin) -> OrganisationEntry:
        """Add (``new``) or change an organisation."""
        form = OrganisationForm(body.code, body.name, body.kind, body.region_code, body.parent_code,
                                tuple(body.topic_codes), body.address, body.phone, body.reception_place)
        try:
            return organisation_entry(save_organisation(hall, admin, form, new=body.new))
        except RuleViolation as refusal:
            raise SyncProblem("refused", refusal.message) from None

    @app.post("/admin/organisations/{code}/retire")
    def retire(code: Code, admin: Admin) -> OrganisationEntry:
        """Retire an organisation: new routing no longer offers it; its cases keep its name."""
        try:
            return organisation_entry(retire_organisation(hall, admin, code))
        except RuleViolation as refusal:
            raise SyncProblem("refused", refusal.message) from None

    @app.post("/admin/organisations/{code}/reinstate")
    def reinstate(code: Code, admin: Admin) -> OrganisationEntry:
        """Put a retired organisation back in use."""
        try:
            return organisation_entry(reinstate_organisation(hall, admin, code))
        except RuleViolation as refusal:
            raise SyncProblem("refused", refusal.message) from None
