"""Who may do what: roles, permissions, recusal, accusation secrecy, and masked views.

Every service call names an :class:`Actor`; the services ask this module before
they read or write anything, so a refusal never depends on a hidden button.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from enum import Enum, StrEnum
from typing import Any

from desktop.domain.case import CaseView, Person
from desktop.domain.classification import Nature
from desktop.domain.errors import RuleViolation
from desktop.domain.events import Event, EventType
from desktop.domain.identity import mask_address, mask_id_number, mask_name, mask_phone
from desktop.domain.routing import OrganisationDirectory, OrgKind, is_accused


class Role(StrEnum):
    KIOSK = "kiosk"
    DISPLAY = "display"
    CLERK = "clerk"
    LEADER = "leader"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"
    SYSTEM = "system"  # commands run on the machine by its operator (command line)


ROLE_NAMES: Mapping[Role, str] = {
    Role.KIOSK: "自助终端",
    Role.DISPLAY: "大厅显示屏",
    Role.CLERK: "接待窗口工作人员",
    Role.LEADER: "接访领导",
    Role.SUPERVISOR: "督查人员",
    Role.ADMIN: "系统管理员",
    Role.SYSTEM: "本机命令行",
}

#: Roles a staff account can hold (devices and the command line are not accounts).
STAFF_ROLES: tuple[Role, ...] = (Role.CLERK, Role.LEADER, Role.SUPERVISOR, Role.ADMIN)


class Permission(StrEnum):
    SELF_SERVICE = "自助登记与查询"
    REGISTER = "登记来访"
    SEARCH = "检索事项"
    VIEW_CASE = "查看事项"
    REVEAL_PERSONAL = "查看完整个人信息"
    VIEW_ACCUSATION = "查看检举控告内容"
    HANDLE = "办理事项"
    LEADER_DECIDE = "包案与批示"
    RATE = "评价"
    RECORD_RECUSAL = "登记回避"
    SUPERVISE = "督办与统计"
    PRINT = "打印"
    EXPORT = "导出"
    MANAGE_ACCOUNTS = "管理账户"
    MANAGE_SETTINGS = "修改设置"
    MANAGE_KEYS = "密钥管理"
    VERIFY_AUDIT = "核验审计日志"
    MAINTAIN_DATA = "数据维护"


_STAFF_COMMON = frozenset({Permission.SEARCH, Permission.VIEW_CASE, Permission.PRINT})

ROLE_PERMISSIONS: Mapping[Role, frozenset[Permission]] = {
    Role.KIOSK: frozenset({Permission.SELF_SERVICE, Permission.RATE}),
    Role.DISPLAY: frozenset(),
    Role.CLERK: _STAFF_COMMON | {Permission.REGISTER, Permission.HANDLE, Permission.REVEAL_PERSONAL,
                                 Permission.RATE, Permission.RECORD_RECUSAL},
    Role.LEADER: _STAFF_COMMON | {Permission.LEADER_DECIDE, Permission.REVEAL_PERSONAL,
                                  Permission.VIEW_ACCUSATION, Permission.SUPERVISE},
    Role.SUPERVISOR: _STAFF_COMMON | {Permission.HANDLE, Permission.REVEAL_PERSONAL,
                                      Permission.VIEW_ACCUSATION, Permission.SUPERVISE,
                                      Permission.EXPORT, Permission.RECORD_RECUSAL,
                                      Permission.VERIFY_AUDIT},
    # Separation of duties: administrators run the system but see no petitioner's data.
    Role.ADMIN: frozenset({Permission.MANAGE_ACCOUNTS, Permission.MANAGE_SETTINGS,
                           Permission.MANAGE_KEYS, Permission.VERIFY_AUDIT, Permission.MAINTAIN_DATA}),
    Role.SYSTEM: frozenset(Permission),
}

#: The permission each kind of decision needs.
EVENT_PERMISSION: Mapping[EventType, Permission] = {
    **{t: Permission.HANDLE for t in EventType},
    EventType.REGISTERED: Permission.REGISTER,
    EventType.LEADER_TAKEN: Permission.LEADER_DECIDE,
    EventType.INSTRUCTED: Permission.LEADER_DECIDE,
    EventType.RATED: Permission.RATE,
    EventType.RECUSED: Permission.RECORD_RECUSAL,
    EventType.QUERY_CODE_RESET: Permission.REGISTER,  # the counter reissues a lost receipt
}


class PermissionDenied(RuleViolation):
    """A refusal because of who acts, not because of the case's state."""


@dataclass(frozen=True)
class Actor:
    """The person or device on whose behalf a service acts; written into every event.

    ``org_code`` is the organisation the person works for (from the directory) when
    that is not the hall itself — a discipline-inspection officer, say, or a staff
    member of a handling unit; ``hall_code`` scopes an account to one hall.
    """

    actor_id: str  # "staff:zhangwei", "kiosk:K01", "system:cli"
    display_name: str
    role: str
    org_code: str = ""
    hall_code: str = ""
    extra_permissions: frozenset[Permission] = field(default_factory=frozenset)

    @classmethod
    def kiosk(cls, device_code: str) -> Actor:
        return cls(f"kiosk:{device_code}", f"{device_code}号自助终端的群众", Role.KIOSK)

    @classmethod
    def display_screen(cls, device_code: str) -> Actor:
        return cls(f"display:{device_code}", f"{device_code}号大厅显示屏", Role.DISPLAY)

    @classmethod
    def system(cls, what: str = "cli") -> Actor:
        return cls(f"system:{what}", "本机命令行", Role.SYSTEM)

    @property
    def permissions(self) -> frozenset[Permission]:
        try:
            base = ROLE_PERMISSIONS[Role(self.role)]
        except ValueError:
            base = frozenset()
        return base | self.extra_permissions

    def may(self, permission: Permission) -> bool:
        return permission in self.permissions

    @property
    def is_staff(self) -> bool:
        return self.actor_id.startswith("staff:")


def require(actor: Actor, permission: Permission, what: str = "") -> None:
    """Refuse unless ``actor`` holds ``permission``; the message names what was refused."""
    if actor.may(permission):
        return
    try:
        role = ROLE_NAMES[Role(actor.role)]
    except ValueError:
        role = actor.role
    action = what or permission.value
    raise PermissionDenied("permission_denied",
                           f"{actor.display_name}（{role}）没有“{permission.value}”权限，不能{action}")


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
