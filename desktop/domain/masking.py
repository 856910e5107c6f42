"""What a kiosk may hold of a case: the steps, dates and outcomes a petitioner is told, the name masked.

The server sends kiosks events in this form only, and a kiosk reduces its own registrations to
it once the server has acknowledged them (``desktop/services/self_service.py``).
"""

from __future__ import annotations

from typing import Any, Final

from desktop.domain.events import EventType
from desktop.domain.identity import mask_name

#: What a kiosk receives of each event: the steps, dates and outcomes a petitioner is told.
_KIOSK_REGISTERED: Final = frozenset({"case_number", "channel", "received_on", "received_at", "hall",
                                      "query_code_hash", "persons_count", "visit_kind"})
_KIOSK_DECISION: Final = frozenset({"nature", "legal_route", "route_kind", "organisation_code", "due", "assigned_on",
                                    "routed_on", "accepted_on", "days", "answered_on", "outcome", "delivered_on",
                                    "requested_on", "rating", "kind", "query_code_hash"})


def kiosk_payload(event_type: str, payload: dict[str, Any]) -> dict[str, Any]:
    """An event's payload as a kiosk may hold it: progress only, the petitioner's name masked."""
    if event_type == EventType.REGISTERED.value:
        out = {k: v for k, v in payload.items() if k in _KIOSK_REGISTERED}
        petitioner = payload.get("petitioner")
        name = petitioner.get("name") if isinstance(petitioner, dict) else None
        out["petitioner"] = {"name": mask_name(name) if isinstance(name, str) else ""}
        return out
    return {k: v for k, v in payload.items() if k in _KIOSK_DECISION}
