"""Who may do what: roles, permissions, recusal, accusation secrecy, and masked views.

Every service call names an :class:`Actor`; the services ask this module before
they read or write anything, so a refusal never depends on a hidden button.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from enum import Enum
from typing import Any

from desktop.domain.case import CaseView, Person
from desktop.domain.classification import Nature
from desktop.domain.events import Event, EventType
from desktop.domain.identity import mask_address, mask_id_number, mask_name, mask_phone
from desktop.domain.roles import (
    EVENT_PERMISSION,
    ROLE_NAMES,
    ROLE_PERMISSIONS,
    STAFF_ROLES,
    Actor,
    Permission,
    PermissionDenied,
    Role,
    require,
)
from desktop.domain.routing import OrganisationDirectory, OrgKind, is_accused

__all__ = [
    "EVENT_PERMISSION",
    "ROLE_NAMES",
    "ROLE_PERMISSIONS",
    "STAFF_ROLES",
    "WITHHELD",
    "Actor",
    "ContentAccess",
    "Permission",
    "PermissionDenied",
    "Role",
    "accusation_access",
    "check_may_reclassify",
    "check_may_record",
    "check_not_accused",
    "ever_accused",
    "mask_person",
    "masked_events",
    "masked_payload",
    "masked_view",
    "may_disclose_to",
    "require",
]


# -- decisions on one case ---------------------------------------------------------------------

def check_may_record(actor: Actor, view: CaseView, event_type: EventType,
                     directory: OrganisationDirectory | None = None) -> None:
    """Permission, recusal (art. 28) and accusation secrecy (art. 30) for one decision."""
    require(actor, EVENT_PERMISSION[event_type], f"“{event_type.value}”")
    if event_type is not EventType.RECUSED and actor.actor_id in view.recused:
        raise PermissionDenied("recused",
                               f"{actor.display_name}已对事项{view.case_number}登记回避，"
                               "不能再对该事项作出任何处理（条例第二十八条）")
    check_not_accused(actor, view, directory)


def ever_accused(events: Iterable[Event]) -> tuple[bool, frozenset[str]]:
    """Whether any classification among ``events`` made the case an accusation (检举控告), and every
    organisation one of them named as accused — whatever later classifications say."""
    accusation = False
    accused: set[str] = set()
    for event in events:
        if event.type is EventType.CLASSIFIED:
            accusation = accusation or event.payload.get("nature") == Nature.ACCUSATION.value
            codes = event.payload.get("accused_org_codes", ())
            if isinstance(codes, list | tuple):
                accused.update(c for c in codes if isinstance(c, str) and c)
    return accusation or bool(accused), frozenset(accused)


def check_may_reclassify(actor: Actor, view: CaseView, event_type: EventType, history: Iterable[Event],
                         sealed: Iterable[str] = ()) -> bool:
    """A classification of a case that is, or ever was, an accusation needs 督办与统计.

    Returns whether ``event_type`` is such a reclassification (it is then audited with the
    nature before and after); raises :class:`PermissionDenied` when ``actor`` may not make it.
    ``sealed``: organisations the case is known elsewhere to have been an accusation against
    (the server's seals). The desktop and the server ask the same question.
    """
    if event_type is not EventType.CLASSIFIED:
        return False
    was, _ = ever_accused(history)
    if not (was or view.nature == Nature.ACCUSATION.value or any(True for _ in sealed)):
        return False
    require(actor, Permission.SUPERVISE, "对检举控告事项重新分类")
    return True


def check_not_accused(actor: Actor, view: CaseView, directory: OrganisationDirectory | None) -> None:
    """Staff of an accused organisation never see or touch the accusation (art. 30)."""
    if view.nature != Nature.ACCUSATION or not actor.org_code or not view.accused_org_codes:
        return
    accused = set(view.accused_org_codes)
    inside = actor.org_code in accused
    if not inside and directory is not None and actor.org_code in directory:
        inside = is_accused(directory.get(actor.org_code), accused, directory)
    if inside:
        raise PermissionDenied("accused_actor",
                               "该检举控告事项涉及您所在的单位，依法不得向您提供（条例第三十条）")


class ContentAccess(Enum):
    FULL = "full"
    REDACTED = "redacted"  # the accusation's content is withheld, the case's course is not


def accusation_access(actor: Actor, view: CaseView,
                      directory: OrganisationDirectory | None = None) -> ContentAccess:
    """How much of a case's content ``actor`` may read.

    Accusations (检举控告类) are read in full only by holders of the permission and by
    the discipline-inspection organ the case was routed to; staff of an accused
    organisation are refused outright (:func:`check_not_accused`).
    """
    if view.nature != Nature.ACCUSATION:
        return ContentAccess.FULL
    check_not_accused(actor, view, directory)
    if actor.may(Permission.VIEW_ACCUSATION):
        return ContentAccess.FULL
    if (actor.org_code and actor.org_code == view.organisation_code and directory is not None
            and actor.org_code in directory and directory.get(actor.org_code).kind is OrgKind.DISCIPLINE):
        return ContentAccess.FULL
    return ContentAccess.REDACTED


def may_disclose_to(view: CaseView, org_code: str, directory: OrganisationDirectory) -> bool:
    """Whether a case may be sent, printed for or synced to an organisation (art. 30)."""
    if view.nature != Nature.ACCUSATION or not view.accused_org_codes:
        return True
    if org_code not in directory:
        return org_code not in view.accused_org_codes
    return not is_accused(directory.get(org_code), view.accused_org_codes, directory)


# -- masked views ------------------------------------------------------------------------------

WITHHELD = "【检举控告内容，仅限有权限人员查看】"


def mask_person(person: Person) -> Person:
    return replace(person, name=mask_name(person.name), id_number=mask_id_number(person.id_number),
                   phone=mask_phone(person.phone))


def masked_view(view: CaseView, *, reveal_personal: bool, content: ContentAccess) -> CaseView:
    """The view as ``actor`` may see it: personal data masked unless revealed, accusations withheld."""
    changes: dict[str, Any] = {}
    if not reveal_personal:
        changes.update(petitioner=mask_person(view.petitioner),
                       persons=tuple(mask_person(p) for p in view.persons),
                       address=mask_address(view.address))
    if content is ContentAccess.REDACTED:
        changes.update(request=WITHHELD, facts=WITHHELD if view.facts else "",
                       reasons=WITHHELD if view.reasons else "", accused_org_codes=())
    return replace(view, **changes) if changes else view


_PERSON_KEYS = ("petitioner", "agent")
_TEXT_KEYS = ("request", "facts", "reasons", "text", "material", "instruction", "note")


def masked_payload(payload: Mapping[str, Any], *, reveal_personal: bool,
                   content: ContentAccess) -> dict[str, Any]:
    """An event payload with the same masking as :func:`masked_view`."""
    out = dict(payload)
    if not reveal_personal:
        for key in _PERSON_KEYS:
            if isinstance(out.get(key), Mapping):
                out[key] = _mask_person_payload(out[key])
        if isinstance(out.get("representatives"), list | tuple):
            out["representatives"] = [_mask_person_payload(r) if isinstance(r, Mapping) else r
                                      for r in out["representatives"]]
        if isinstance(out.get("address"), str):
            out["address"] = mask_address(out["address"])
    if content is ContentAccess.REDACTED:
        for key in _TEXT_KEYS:
            if out.get(key):
                out[key] = WITHHELD
        out.pop("accused_org_codes", None)
    return out


def _mask_person_payload(data: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(data)
    for key, mask in (("name", mask_name), ("id_number", mask_id_number), ("phone", mask_phone)):
        if isinstance(out.get(key), str):
            out[key] = mask(out[key])
    return out


def masked_events(events: Iterable[Event], *, reveal_personal: bool, content: ContentAccess) -> tuple[Event, ...]:
    if reveal_personal and content is ContentAccess.FULL:
        return tuple(events)
    return tuple(replace(e, payload=masked_payload(e.payload, reveal_personal=reveal_personal, content=content))
                 for e in events)
