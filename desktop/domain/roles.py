"""Roles, permissions and the actor on whose behalf a service acts.

The light half of the access rules: what the windows need before anything else has
loaded (who may see which button) and what every service checks first. The rules
about one case (recusal, accusation secrecy, masking) are in :mod:`desktop.domain.access`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from desktop.domain.errors import RuleViolation
from desktop.domain.events import EventType


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

#: What each kind of device enrolled with a server is called (its sync role), in the administrator's words.
DEVICE_KIND_NAMES: Mapping[str, str] = {
    "counter": "接待窗口", "kiosk": "自助终端", "display": "大厅显示屏", "leader": "领导接访台",
    "admin": "系统管理台", "hall": "大厅服务器",
}


def device_kind(role: str, device_code: str = "") -> str:
    """A device's kind in words, a kiosk with its own number (``自助终端 K01``); never an id."""
    name = DEVICE_KIND_NAMES.get(role, "其他设备")
    return f"{name} {device_code}" if role == "kiosk" and device_code else name


#: Roles a staff account can hold (devices and the command line are not accounts).
STAFF_ROLES: tuple[Role, ...] = (Role.CLERK, Role.LEADER, Role.SUPERVISOR, Role.ADMIN)


class WindowRole(StrEnum):
    """What a PC of the hall is set up as: the program's window (``run --role``)."""

    KIOSK = "kiosk"
    COUNTER = "counter"
    LEADER = "leader"
    DISPLAY = "display"
    ADMIN = "admin"

    @property
    def heading(self) -> str:
        """The window's name as the header and the title bar show it."""
        return WINDOW_TITLES[self]

    @property
    def is_device(self) -> bool:
        """Kiosks and the hall display act as the device itself; nobody signs in."""
        return self in (WindowRole.KIOSK, WindowRole.DISPLAY)


WINDOW_TITLES: Mapping[WindowRole, str] = {
    WindowRole.KIOSK: "自助服务终端",
    WindowRole.COUNTER: "接待窗口",
    WindowRole.LEADER: "领导接访",
    WindowRole.DISPLAY: "大厅信息屏",
    WindowRole.ADMIN: "系统管理",
}

#: Which account roles may sign in at each staff window.
WINDOW_ROLES: Mapping[WindowRole, tuple[Role, ...]] = {
    WindowRole.COUNTER: (Role.CLERK, Role.SUPERVISOR),
    WindowRole.LEADER: (Role.LEADER,),
    WindowRole.ADMIN: (Role.ADMIN, Role.SUPERVISOR),  # supervisors for the audit log only
}


def may_use_window(window: WindowRole, role: str) -> bool:
    """Whether an account of ``role`` may work at ``window`` (devices have no sign-in at all)."""
    return role in {r.value for r in WINDOW_ROLES.get(window, ())}


def wrong_window_message(window: WindowRole, display_name: str, role: str) -> str:
    allowed = "、".join(ROLE_NAMES[r] for r in WINDOW_ROLES.get(window, ()))
    try:
        role_text = ROLE_NAMES[Role(role)]
    except ValueError:
        role_text = role
    where = f"本窗口只供{allowed}登录" if allowed else "本窗口无需登录"
    # name the programs this account does sign in at: a new user does not know which one is "相应的"
    elsewhere = "或".join(f"“{w.heading}”" for w, roles in WINDOW_ROLES.items() if role in {r.value for r in roles})
    go = f"{role_text}请在{elsewhere}程序中登录" if elsewhere else "请在相应的程序中登录"
    return (f"{display_name}的账户角色是“{role_text}”，不能使用“{window.heading}”。"
            f"{where}；{go}，或请系统管理员调整账户角色。")


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
    EventType.URGED: Permission.SUPERVISE,
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
