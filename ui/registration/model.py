"""The registration form's content without Qt: what is typed, as a draft and as the service's form.

The screen keeps its fields in one plain dictionary (the draft that survives a crash);
this module turns it into :class:`~desktop.services.registration.RegistrationForm` and
says whether there is anything worth keeping. It holds no rule: the services check
every value when the form is saved.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from desktop.domain.identity import DocumentType
from desktop.services.registration import PersonInput, RegistrationForm

#: The text fields of a registration draft, in the order the form shows them.
TEXT_FIELDS: tuple[str, ...] = (
    "document_type", "id_number", "name", "phone", "address",
    "agent_name", "agent_id_number", "agent_phone",
    "region_code", "channel", "topic_code", "nature", "purpose",
    "request", "facts", "reasons", "window", "queue_number",
)
#: What the reader adds about the card holder (shown, not stored in the case).
CARD_FIELDS: tuple[str, ...] = ("sex", "ethnicity", "birth_date")


def blank() -> dict[str, Any]:
    values: dict[str, Any] = {name: "" for name in TEXT_FIELDS + CARD_FIELDS}
    values.update(document_type=DocumentType.RESIDENT_ID.value, persons_count=1, representatives=[],
                  public_ok=False, rights_told=False, has_agent=False, attachments=[])
    return values


def worth_keeping(values: Mapping[str, Any], defaults: Mapping[str, Any]) -> bool:
    """Whether anything was typed beyond what a fresh form shows (a draft of nothing is not kept)."""
    return any(values.get(key) != defaults.get(key) for key in values
               if key not in ("document_type", "channel", "region_code", "window"))


def to_form(values: Mapping[str, Any]) -> RegistrationForm:
    """The service's form from the screen's values (the service validates everything)."""
    def text(key: str) -> str:
        return str(values.get(key, "") or "")

    representatives = tuple(
        PersonInput(name=str(r.get("name", "")), document_type=str(r.get("document_type") or
                                                                   DocumentType.RESIDENT_ID.value),
                    document_number=str(r.get("id_number", "")))
        for r in values.get("representatives", []) or [] if any(str(v).strip() for v in r.values()))
    agent = (PersonInput(name=text("agent_name"), document_number=text("agent_id_number"),
                         phone=text("agent_phone"))
             if values.get("has_agent") else None)
    return RegistrationForm(
        petitioner=PersonInput(name=text("name"), document_type=text("document_type"),
                               document_number=text("id_number"), phone=text("phone")),
        request=text("request"), region_code=text("region_code"), topic_code=text("topic_code"),
        channel=text("channel"), address=text("address"), purpose=text("purpose"), nature=text("nature"),
        facts=text("facts"), reasons=text("reasons"), public_ok=bool(values.get("public_ok")),
        persons_count=int(values.get("persons_count") or 1), representatives=representatives, agent=agent,
        window=text("window"), queue_number=text("queue_number"),
        attachments=tuple(dict(a) for a in values.get("attachments") or [] if isinstance(a, Mapping)))
