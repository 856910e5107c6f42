"""Reference data down the feed (``GET /sync/reference``): the kinds registered in
``desktop/services/reference_feed.py``, for the device the token belongs to.

Versioned by content: the answer's version is a digest of what this device may hold, so a
device that already has it is answered ``unchanged`` and nothing is sent; otherwise every
kind comes with its own version and the device applies only those it does not hold. Accounts
go only to devices where staff sign in, only those that may act there, and only with Argon2id
hashes; kiosks and hall displays receive none. A holiday schedule or organisation directory
imported once at the centre reaches every device with its next sync.
"""

from __future__ import annotations

from desktop.services.context import Hall
from desktop.services.reference_feed import Audience, documents_for, version_of
from server.protocol import ReferencePart, ReferenceResponse
from server.store import Device


def reference_for(hall: Hall, device: Device, have: str = "") -> ReferenceResponse:
    documents = documents_for(hall, Audience(device.role, device.org_code, device.hall_code))
    parts = {name: ReferencePart(version=version_of(content), content=content) for name, content in documents.items()}
    version = version_of({name: part.version for name, part in parts.items()})
    if have == version:
        return ReferenceResponse(version=version, unchanged=True, parts={})
    return ReferenceResponse(version=version, unchanged=False, parts=parts)
