"""What a kiosk may hold of a case: the steps, dates and outcomes a petitioner is told, the name masked.

The server sends kiosks events in this form only, and a kiosk reduces its own registrations to
it once the server has acknowledged them (``desktop/services/self_service.py``).
"""

from __future__ import annotations

import re
from typing import Any, Final

from desktop.domain.events import EventType
from desktop.domain.identity import mask_id_number, mask_name, mask_phone

#: What a kiosk receives of each event: the steps, dates and outcomes a petitioner is told.
_KIOSK_REGISTERED: Final = frozenset({"case_number", "channel", "received_on", "received_at", "hall",
                                      "query_code_hash", "persons_count", "visit_kind"})
_KIOSK_DECISION: Final = frozenset({"nature", "legal_route", "route_kind", "organisation_code", "due", "assigned_on",
                                    "routed_on", "accepted_on", "days", "answered_on", "outcome", "delivered_on",
                                    "requested_on", "rating", "kind", "query_code_hash"})


#: A 不予受理's reason and the route it names: what the citizen is told (not personal data), free text masked.
_KIOSK_REFUSAL: Final = frozenset({"reason", "channel"})
#: Numbers a clerk may have written into free text: an ID number, a mobile phone.
_NUMBERS_IN_TEXT: Final = re.compile(r"(?<![0-9])(?:[0-9]{17}[0-9Xx]|[0-9]{15}|1[3-9][0-9]{9})(?![0-9Xx])")


def mask_free_text(text: str) -> str:
    """Free text as a kiosk shows it: an ID number or a mobile phone written into it masked."""
    return _NUMBERS_IN_TEXT.sub(lambda m: mask_phone(m.group()) if len(m.group()) == 11 else mask_id_number(m.group()),
                                text)


def kiosk_payload(event_type: str, payload: dict[str, Any]) -> dict[str, Any]:
    """An event's payload as a kiosk may hold it: progress only, the petitioner's name masked."""
    if event_type == EventType.REGISTERED.value:
        out = {k: v for k, v in payload.items() if k in _KIOSK_REGISTERED}
        petitioner = payload.get("petitioner")
        name = petitioner.get("name") if isinstance(petitioner, dict) else None
        out["petitioner"] = {"name": mask_name(name) if isinstance(name, str) else ""}
        return out
    out = {k: v for k, v in payload.items() if k in _KIOSK_DECISION}
    if event_type == EventType.NOT_ACCEPTED.value:
        out.update({k: mask_free_text(v) for k, v in payload.items() if k in _KIOSK_REFUSAL and isinstance(v, str)})
    return out
