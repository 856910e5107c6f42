"""Staff accounts: sign-in with lockout, passwords, screen lock, administration.

Passwords are stored only as Argon2id hashes. Sign-in works offline against the
hashes held locally (created here or synced from the server with
``apply_synced_accounts``). Every sign-in, failure, lock, change and refusal is
written to the audit log.
"""

from __future__ import annotations

import json
import re
import secrets
import string
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import StaffAccountRow
from desktop.domain.access import ROLE_NAMES, STAFF_ROLES, Actor, Permission, Role
from desktop.domain.audit import AuditAction
from desktop.domain.errors import RuleViolation, ValidationError
from desktop.domain.identity import invisible_char
from desktop.domain.passwords import MAX_LENGTH, LockoutPolicy, check_password, locked, password_problems
from desktop.domain.roles import WindowRole, may_use_window, wrong_window_message
from desktop.services.audit import audit, guard, record_audit
from desktop.services.context import Hall
from desktop.services.reference import load_directory

LOGIN_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_.-]{2,31}$")
MAX_NAME = 32
MAX_CODE = 32
WRONG_CREDENTIALS = "账号或密码不正确"
#: Who failed to sign in with a login name that has no account: the typed name is never recorded.
UNKNOWN_ACCOUNT = Actor("unknown", "未知账户", "")


class SignInRefused(RuleViolation):
    """Sign-in or screen unlock refused; the message says why and what to do."""


@dataclass(frozen=True)
class AccountInfo:
    login: str
    display_name: str
    role: str
    hall_code: str
    org_code: str
    extra_permissions: tuple[str, ...]
    must_change_password: bool
    locked_until: datetime | None
    disabled: bool
    failed_count: int
    org_name: str = ""  # the unit's name in the directory ("" for the hall's own staff)

    @property
    def role_name(self) -> str:
        return ROLE_NAMES.get(Role(self.role), self.role)


@dataclass(frozen=True)
class SignIn:
    actor: Actor
    must_change_password: bool


@dataclass(frozen=True)
class SyncedAccount:
    """An account as the server sends it: no local lockout state."""

    login: str
    display_name: str
    role: str
    hall_code: str
    org_code: str
    extra_permissions: tuple[str, ...]
    password_hash: str
    must_change_password: bool
    disabled: bool
    password_changed_at: str


def _policy(hall: Hall) -> LockoutPolicy:
    return LockoutPolicy(hall.settings.lockout_failures, hall.settings.lockout_minutes)


def _stamp(hall: Hall) -> str:
    return hall.now().isoformat(timespec="seconds")


def _parse(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def actor_for(row: StaffAccountRow) -> Actor:
    extra = frozenset(Permission(p) for p in json.loads(row.extra_permissions or "[]")
                      if p in Permission.__members__.values())
    return Actor(f"staff:{row.login}", row.display_name, row.role, org_code=row.org_code,
                 hall_code=row.hall_code, extra_permissions=extra)


def is_locked(info: AccountInfo, now: datetime) -> bool:
    """Whether the account's lock holds at ``now`` (a lock that has run out is none)."""
    return locked(info.locked_until, now)


def _info(row: StaffAccountRow) -> AccountInfo:
    return AccountInfo(login=row.login, display_name=row.display_name, role=row.role,
                       hall_code=row.hall_code, org_code=row.org_code,
                       extra_permissions=tuple(json.loads(row.extra_permissions or "[]")),
                       must_change_password=row.must_change_password,
                       locked_until=_parse(row.locked_until), disabled=row.disabled,
                       failed_count=row.failed_count, org_name=_org_name(row.org_code))


def _org_name(code: str) -> str:
    directory = load_directory()
    return directory.get(code).name if code and code in directory else code


def _check_org(code: str) -> str:
    """The unit a person works for: one of the directory's (what keeps a unit's staff from accusations
    against it), never a code typed by hand that matches nothing."""
    code = _check_code(code, "org_code")
    if code and code not in load_directory():
        raise ValidationError("unknown_organisation",
                              f"机构目录中没有编码为“{code}”的单位：请按名称从列表中选择所属单位", "org_code")
    return code


def _normalise_login(login: str) -> str:
    return login.strip().lower()


def _check_login(login: str) -> str:
    login = _normalise_login(login)
    if not LOGIN_PATTERN.match(login):
        raise ValidationError("bad_login", "登录名须为3–32位小写字母、数字或 . _ -，并以字母或数字开头", "login")
    return login


def _check_code(value: str, field: str) -> str:
    value = value.strip()
    if len(value) > MAX_CODE or any(not c.isprintable() for c in value):
        raise ValidationError("bad_code", f"机构或大厅编码须为不超过{MAX_CODE}位的可见字符", field)
    return value


def _check_name(display_name: str) -> str:
    name = display_name.strip()
    if not name or len(name) > MAX_NAME:
        raise ValidationError("bad_display_name", f"姓名不能为空，且不超过{MAX_NAME}个字", "display_name")
    if invisible_char(name) is not None:  # printed on documents and in the audit log, shown on every screen
        raise ValidationError("display_name_hidden_char", "姓名中有换行或看不见的字符，请删去后重新输入",
                              "display_name")
    return name


def _check_role(role: str) -> Role:
    try:
        value = Role(role)
    except ValueError:
        value = None
    if value not in STAFF_ROLES:
        names = "、".join(f"{r.value}（{ROLE_NAMES[r]}）" for r in STAFF_ROLES)
        raise ValidationError("bad_role", f"未知的角色“{role}”，可选：{names}", "role")
    assert value is not None
    return value


def _check_permissions(values: Iterable[str]) -> list[str]:
    out = []
    for value in values:
        if value not in Permission.__members__.values():
            raise ValidationError("bad_permission", f"未知的权限“{value}”", "extra_permissions")
        out.append(value)
    return sorted(set(out))


def _row(session: Session, login: str) -> StaffAccountRow | None:
    return session.get(StaffAccountRow, _normalise_login(login))


def _must_row(session: Session, login: str) -> StaffAccountRow:
    row = _row(session, login)
    if row is None:
        raise RuleViolation("no_account", f"没有登录名为“{login}”的账户")
    return row


# -- administration -------------------------------------------------------------------------------

def has_accounts(hall: Hall) -> bool:
    with hall.sessions() as session:
        return bool(session.scalar(select(func.count()).select_from(StaffAccountRow)))


def create_account(hall: Hall, actor: Actor, *, login: str, display_name: str, role: str,
                   initial_password: str, org_code: str = "", extra_permissions: Sequence[str] = (),
                   hall_code: str | None = None) -> AccountInfo:
    """A new account; its holder must change the initial password at first sign-in."""
    guard(hall, actor, Permission.MANAGE_ACCOUNTS, "创建账户")
    return _create(hall, actor, login=login, display_name=display_name, role=role,
                   password=initial_password, org_code=org_code, extra_permissions=extra_permissions,
                   hall_code=hall_code, must_change=True)


def create_first_admin(hall: Hall, *, login: str, display_name: str, password: str) -> AccountInfo:
    """The first administrator of a new installation; refused once any account exists."""
    if has_accounts(hall):
        raise RuleViolation("accounts_exist", "本机已有账户，请由系统管理员在“账户管理”中创建新账户")
    return _create(hall, Actor.system("first-start"), login=login, display_name=display_name,
                   role=Role.ADMIN, password=password, org_code="", extra_permissions=(),
                   hall_code=None, must_change=False)


def _create(hall: Hall, actor: Actor, *, login: str, display_name: str, role: str, password: str,
            org_code: str, extra_permissions: Sequence[str], hall_code: str | None,
            must_change: bool) -> AccountInfo:
    login = _check_login(login)
    name = _check_name(display_name)
    role_value = _check_role(role)
    permissions = _check_permissions(extra_permissions)
    check_password(password, login=login, display_name=name)
    hashed = hall.password_hasher.hash(password)
    with hall.transaction() as session:
        if _row(session, login) is not None:
            raise RuleViolation("account_exists", f"登录名“{login}”已被使用")
        now = _stamp(hall)
        row = StaffAccountRow(login=login, display_name=name, role=role_value.value,
                              hall_code=_check_code(hall.settings.bureau_code if hall_code is None else hall_code,
                                                    "hall_code"),
                              org_code=_check_org(org_code),
                              extra_permissions=json.dumps(permissions),
                              password_hash=hashed, must_change_password=must_change, failed_count=0,
                              locked_until=None, disabled=False, password_changed_at=now, updated_at=now)
        session.add(row)
        session.flush()
        audit(session, hall, actor, AuditAction.ACCOUNT_CREATED, f"staff:{login}",
              {"role": role_value.value, "org_code": row.org_code, "extra_permissions": permissions})
        return _info(row)


def list_accounts(hall: Hall, actor: Actor) -> list[AccountInfo]:
    guard(hall, actor, Permission.MANAGE_ACCOUNTS, "查看账户")
    with hall.sessions() as session:
        return [_info(r) for r in session.scalars(select(StaffAccountRow).order_by(StaffAccountRow.login))]


def update_account(hall: Hall, actor: Actor, login: str, *, role: str | None = None,
                   display_name: str | None = None, org_code: str | None = None,
                   extra_permissions: Sequence[str] | None = None,
                   disabled: bool | None = None) -> AccountInfo:
    guard(hall, actor, Permission.MANAGE_ACCOUNTS, "修改账户", f"staff:{login}")
    with hall.transaction() as session:
        row = _must_row(session, login)
        was_admin = row.role == Role.ADMIN and not row.disabled
        changes: dict[str, object] = {}
        if role is not None:
            row.role = _check_role(role).value
            changes["role"] = row.role
        if display_name is not None:
            row.display_name = _check_name(display_name)
            changes["display_name"] = row.display_name
        if org_code is not None:
            row.org_code = _check_org(org_code)
            changes["org_code"] = row.org_code
        if extra_permissions is not None:
            permissions = _check_permissions(extra_permissions)
            row.extra_permissions = json.dumps(permissions)
            changes["extra_permissions"] = permissions
        if disabled is not None:
            if disabled and actor.actor_id == f"staff:{row.login}":
                raise RuleViolation("disable_self", "不能停用自己正在使用的账户")
            row.disabled = disabled
            changes["disabled"] = disabled
        if was_admin and (row.role != Role.ADMIN or row.disabled):
            _keep_an_admin(session, row.login)
        row.updated_at = _stamp(hall)
        audit(session, hall, actor, AuditAction.ACCOUNT_CHANGED, f"staff:{row.login}", changes)
        return _info(row)


def _keep_an_admin(session: Session, changed_login: str) -> None:
    others = session.scalar(select(func.count()).select_from(StaffAccountRow).where(
        StaffAccountRow.role == Role.ADMIN.value, StaffAccountRow.disabled.is_(False),
        StaffAccountRow.login != changed_login))
    if not others:
        raise RuleViolation("last_admin", "这是本机唯一可用的系统管理员账户，不能停用或改为其他角色")


def reset_password(hall: Hall, actor: Actor, login: str, new_initial_password: str) -> AccountInfo:
    """A new initial password (to be changed at next sign-in); also lifts a lock."""
    guard(hall, actor, Permission.MANAGE_ACCOUNTS, "重置密码", f"staff:{login}")
    with hall.transaction() as session:
        row = _must_row(session, login)
        check_password(new_initial_password, login=row.login, display_name=row.display_name)
        row.password_hash = hall.password_hasher.hash(new_initial_password)
        row.must_change_password = True
        row.failed_count = 0
        row.locked_until = None
        row.password_changed_at = row.updated_at = _stamp(hall)
        audit(session, hall, actor, AuditAction.PASSWORD_RESET, f"staff:{row.login}")
        return _info(row)


def unlock(hall: Hall, actor: Actor, login: str) -> AccountInfo:
    """Lift a lock that holds now; an account that is not locked is refused in words, and nothing is written."""
    guard(hall, actor, Permission.MANAGE_ACCOUNTS, "解锁账户", f"staff:{login}")
    with hall.transaction() as session:
        row = _must_row(session, login)
        if not is_locked(_info(row), hall.now()):
            raise RuleViolation("not_locked", "该账户没有被锁定，无需解锁")
        row.failed_count = 0
        row.locked_until = None
        row.updated_at = _stamp(hall)
        audit(session, hall, actor, AuditAction.ACCOUNT_UNLOCKED, f"staff:{row.login}")
        return _info(row)


# Letters and digits that cannot be misread when an initial password is read out or copied by hand.
_PLAIN = "".join(c for c in string.ascii_letters + string.digits if c not in "0O1lIo")
_SYMBOLS = "#@%+=?"


def generate_initial_password(length: int = 12) -> str:
    """A random password that meets the policy, to hand over once and be changed at first sign-in."""
    length = max(length, 8)
    while True:
        body = [secrets.choice(_PLAIN) for _ in range(length - 1)]
        body.insert(secrets.randbelow(length), secrets.choice(_SYMBOLS))
        password = "".join(body)
        if not password_problems(password):
            return password


# -- signing in -----------------------------------------------------------------------------------

def sign_in(hall: Hall, login: str, password: str, window: WindowRole | None = None) -> SignIn:
    """Check a password against the local hash; five wrong ones in a row lock the account.

    Whether a login exists cannot be told from outside: an unknown login is answered with the
    same words, locks after the same number of tries for the same time (counted in memory,
    :class:`_UnknownLogins`), and costs the same one Argon2 verification as a known one —
    also for a password over the length limit, a locked, disabled or other hall's account.
    What only the account's holder may learn (disabled, another hall, the wrong window) is
    said only after the right password.

    At a staff ``window`` only the account roles that work there may sign in: a right
    password at the wrong window is refused (and audited as such), never a session.
    """
    too_long = len(password) > MAX_LENGTH  # an attempt all the same: audited and counted
    key = _normalise_login(login)[:64]
    refusal: SignInRefused | None = None
    with hall.transaction() as session:
        row = _row(session, key) if key else None
        who = actor_for(row) if row is not None else UNKNOWN_ACCOUNT
        now = hall.now()
        # one Argon2 verification on every path: the time does not tell a known login from an unknown one
        right = _verify(hall, row.password_hash if row is not None else _dummy_hash(hall), password) \
            and row is not None and not too_long
        if row is None:
            refusal, tries = _unknown_logins(hall).fail(hall, key, now)
            # never the typed text (a password typed into 登录名 by mistake would be shown to every administrator):
            # the device and time as every entry has them, and how many tries in a row that same text has made
            audit(session, hall, who, AuditAction.LOGIN_FAILED, "", {"reason": "no_account", "tries": tries})
        elif locked(_parse(row.locked_until), now):
            until = _parse(row.locked_until)
            assert until is not None
            refusal = _locked(until)
            audit(session, hall, who, AuditAction.LOGIN_FAILED, who.actor_id, {"reason": "locked"})
        elif not right:
            refusal = _count_failure(session, hall, row, who, now)
        elif row.disabled:
            refusal = SignInRefused("disabled", "该账户已停用，请联系系统管理员")
            audit(session, hall, who, AuditAction.LOGIN_FAILED, who.actor_id, {"reason": "disabled"})
        elif row.hall_code and row.hall_code != hall.settings.bureau_code:
            refusal = SignInRefused("other_hall", f"该账户属于其他接待大厅（{row.hall_code}），不能在本机登录")
            audit(session, hall, who, AuditAction.LOGIN_FAILED, who.actor_id, {"reason": "other_hall"})
        elif window is not None and not may_use_window(window, row.role):
            refusal = SignInRefused("wrong_window", wrong_window_message(window, row.display_name, row.role))
            audit(session, hall, who, AuditAction.LOGIN_FAILED, who.actor_id,
                  {"reason": "wrong_window", "role": row.role})
        else:
            row.failed_count = 0
            row.locked_until = None
            if hall.password_hasher.check_needs_rehash(row.password_hash):
                row.password_hash = hall.password_hasher.hash(password)
            audit(session, hall, who, AuditAction.LOGIN, who.actor_id)
            return SignIn(who, row.must_change_password)
    assert refusal is not None
    if too_long and refusal.code == "bad_credentials":
        refusal = SignInRefused("too_long", f"{WRONG_CREDENTIALS}：密码不超过{MAX_LENGTH}位，请检查输入")
    raise refusal


def _wrong_message(hall: Hall) -> str:
    return (f"{WRONG_CREDENTIALS}。连续输错{hall.settings.lockout_failures}次，"
            f"账户将锁定{hall.settings.lockout_minutes}分钟")


def _locked(until: datetime) -> SignInRefused:
    return SignInRefused("locked", f"账户已锁定，请于{until:%H:%M}后再试，或请系统管理员解锁")


def _just_locked(hall: Hall, until: datetime) -> SignInRefused:
    return SignInRefused("locked", f"{WRONG_CREDENTIALS}，已连续输错{hall.settings.lockout_failures}次，"
                                   f"账户锁定至{until:%H:%M}")


def _verify(hall: Hall, password_hash: str, password: str) -> bool:
    # A password over the limit is never right (none can be set); verifying its first characters
    # costs what any verification costs, however long the input.
    try:
        return hall.password_hasher.verify(password_hash, password[:MAX_LENGTH + 1])
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


_DUMMY_HASHES: dict[tuple[object, ...], str] = {}
_DUMMY_LOCK = threading.Lock()


def _dummy_hash(hall: Hall) -> str:
    """A hash with the hall's Argon2 parameters that no password matches (verified for unknown logins)."""
    hasher = hall.password_hasher
    params = (hasher.time_cost, hasher.memory_cost, hasher.parallelism, hasher.hash_len, hasher.salt_len,
              hasher.type)
    with _DUMMY_LOCK:
        if params not in _DUMMY_HASHES:
            _DUMMY_HASHES[params] = hasher.hash(secrets.token_urlsafe(32))
        return _DUMMY_HASHES[params]


class _UnknownLogins:
    """Failed tries of login names that have no account, counted like an account's (in memory).

    The same lockout policy, so an unknown name locks at the same try, for the same time and
    with the same words as a real account. Bounded: the oldest names are forgotten first.
    """

    LIMIT = 10_000

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._state: dict[str, tuple[int, datetime | None]] = {}
        self._tries: dict[str, int] = {}  # tries in a row, for the audit log (the lock's count restarts after it)

    def fail(self, hall: Hall, key: str, now: datetime) -> tuple[SignInRefused, int]:
        """The refusal, and how many tries in a row this name has made (this one included)."""
        with self._lock:
            count, until = self._state.pop(key, (0, None))
            tries = self._tries.pop(key, 0) + 1
            self._tries[key] = tries
            while len(self._tries) > self.LIMIT:
                del self._tries[next(iter(self._tries))]
            if locked(until, now):
                self._state[key] = (count, until)
                assert until is not None
                return _locked(until), tries
            count, until = _policy(hall).after_failure(count, now)
            self._state[key] = (count, until)
            while len(self._state) > self.LIMIT:
                del self._state[next(iter(self._state))]
        if until is None:
            return SignInRefused("bad_credentials", _wrong_message(hall)), tries
        return _just_locked(hall, until), tries


def _unknown_logins(hall: Hall) -> _UnknownLogins:
    with _DUMMY_LOCK:
        found = hall.__dict__.get("_unknown_logins")
        if not isinstance(found, _UnknownLogins):
            found = hall.__dict__["_unknown_logins"] = _UnknownLogins()
        return found


def _count_failure(session: Session, hall: Hall, row: StaffAccountRow, who: Actor,
                   now: datetime) -> SignInRefused:
    count, until = _policy(hall).after_failure(row.failed_count, now)
    row.failed_count = count
    row.locked_until = until.isoformat(timespec="seconds") if until else None
    audit(session, hall, who, AuditAction.LOGIN_FAILED, who.actor_id, {"reason": "wrong_password"})
    if until is None:
        return SignInRefused("bad_credentials", _wrong_message(hall))
    audit(session, hall, who, AuditAction.ACCOUNT_LOCKED, who.actor_id, {"until": row.locked_until})
    return _just_locked(hall, until)


def sign_out(hall: Hall, actor: Actor) -> None:
    record_audit(hall, actor, AuditAction.LOGOUT, actor.actor_id)


def change_password(hall: Hall, actor: Actor, old_password: str, new_password: str) -> None:
    """The holder changes their own password (required at first sign-in)."""
    login = actor.actor_id.removeprefix("staff:")
    refusal: RuleViolation | None = None
    with hall.transaction() as session:
        row = _must_row(session, login)
        if not _verify(hall, row.password_hash, old_password):
            refusal = _count_failure(session, hall, row, actor, hall.now())
            refusal = SignInRefused(refusal.code, "原密码不正确" + refusal.message.removeprefix(WRONG_CREDENTIALS))
        elif new_password == old_password:
            refusal = ValidationError("same_password", "新密码不能与原密码相同", "password")
        else:
            check_password(new_password, login=row.login, display_name=row.display_name)
            row.password_hash = hall.password_hasher.hash(new_password)
            row.must_change_password = False
            row.password_changed_at = row.updated_at = _stamp(hall)
            audit(session, hall, actor, AuditAction.PASSWORD_CHANGED, actor.actor_id)
    if refusal is not None:
        raise refusal


def lock_screen(hall: Hall, actor: Actor, *, idle: bool) -> None:
    record_audit(hall, actor, AuditAction.SCREEN_LOCKED, actor.actor_id, {"idle": idle})


def unlock_screen(hall: Hall, actor: Actor, password: str) -> None:
    """The same person unlocks the screen; wrong passwords count toward the account lock."""
    signed = sign_in(hall, actor.actor_id.removeprefix("staff:"), password)
    if signed.actor.actor_id != actor.actor_id:  # pragma: no cover - same login, same id
        raise SignInRefused("other_person", "只能由锁屏前登录的工作人员解锁")
    record_audit(hall, actor, AuditAction.SCREEN_UNLOCKED, actor.actor_id)


# -- accounts from the server (offline sign-in) ----------------------------------------------------

def apply_synced_accounts(hall: Hall, actor: Actor, accounts: Sequence[SyncedAccount]) -> int:
    """Store accounts sent by the server; local lockout state is kept. Returns rows changed."""
    guard(hall, actor, Permission.MAINTAIN_DATA, "同步账户")
    changed = 0
    with hall.transaction() as session:
        for account in accounts:
            login = _check_login(account.login)
            _check_role(account.role)
            if not account.password_hash.startswith("$argon2id$"):
                raise ValidationError("bad_hash", f"账户“{login}”的密码散列不是 Argon2id，拒绝导入", "password_hash")
            row = _row(session, login)
            if row is None:
                row = StaffAccountRow(login=login, failed_count=0, locked_until=None)
                session.add(row)
            elif row.password_changed_at > account.password_changed_at:
                continue  # changed here after the server's copy; ours is newer
            row.display_name = _check_name(account.display_name)
            row.role = account.role
            row.hall_code = account.hall_code
            row.org_code = account.org_code
            row.extra_permissions = json.dumps(_check_permissions(account.extra_permissions))
            row.password_hash = account.password_hash
            row.must_change_password = account.must_change_password
            row.disabled = account.disabled
            row.password_changed_at = account.password_changed_at
            row.updated_at = _stamp(hall)
            changed += 1
        audit(session, hall, actor, AuditAction.ACCOUNT_CHANGED, "sync", {"accounts": changed})
    return changed


# -- the demo database ----------------------------------------------------------------------------

#: Accounts of the generated demo database only (``demo-data``); printed by that command and the README.
DEMO_PASSWORD = "Demo#2026xf"
DEMO_ACCOUNTS: tuple[tuple[str, str, Role], ...] = (
    ("chuangkou1", "王丽（演示）", Role.CLERK),
    ("chuangkou2", "李娜（演示）", Role.CLERK),  # a second clerk at another window: drafts and cases of her own
    ("lingdao1", "周建华（演示）", Role.LEADER),  # 县长 周建华 of the demo's cases and reception days
    ("ducha1", "赵敏（演示）", Role.SUPERVISOR),
    ("guanli1", "孙涛（演示）", Role.ADMIN),
)


def create_demo_accounts(hall: Hall) -> list[AccountInfo]:
    """One account per staff role for the demo database, usable at once (no forced change)."""
    made = []
    for login, name, role in DEMO_ACCOUNTS:
        made.append(_create(hall, Actor.system("demo-data"), login=login, display_name=name, role=role,
                            password=DEMO_PASSWORD, org_code="", extra_permissions=(), hall_code=None,
                            must_change=False))
    return made
