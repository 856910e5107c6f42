"""Reference data down the feed: one registration per kind, read at the centre, applied on devices.

A :class:`ReferenceKind` names what the server sends a device (``read``: its content for that
device as JSON-able data, or ``None`` when the device gets none of it) and how the device
takes it (``apply``). Both run over a hall of the same schema — the server's or the device's
— so a new kind (window types, leader reception schedules …) plugs in with one
``register(ReferenceKind(...))``. Each kind is versioned by a digest of its content for that
device: a device applies only the kinds whose version it does not hold yet, and records each
version after applying it, so an interrupted apply is done again at the next sync.

Registered here: staff ``accounts`` (staff devices only — counters and the leader's desk of
the account's unit and hall, the administration desk, hall servers; Argon2id hashes only;
never kiosks or displays), ``holidays`` (every device), the ``organisations`` directory
(every device, once the centre has imported one: it replaces the shipped file) and shared
deployment ``settings`` (every device; values for all halls, overridden by the device's hall) and the
kiosks' exit PIN, ``kiosk_pin`` (its Argon2id hash only; kiosks and hall servers; for all halls or one).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from db.models import HolidayScheduleRow, ReferenceDocumentRow, ReferenceStateRow, StaffAccountRow
from desktop.config import Settings, SettingsError, merge_into_settings_file, with_values
from desktop.domain.access import Actor, Permission
from desktop.domain.audit import AuditAction
from desktop.domain.errors import RuleViolation, ValidationError
from desktop.domain.events import canonical_json
from desktop.domain.passwords import PIN_HASH_PATTERN
from desktop.domain.routing import OrganisationDirectory
from desktop.services.accounts import SyncedAccount, apply_synced_accounts
from desktop.services.audit import audit, guard
from desktop.services.context import Hall
from desktop.services.holidays import import_schedule
from desktop.services.projections import recount_deadlines
from desktop.services.reference import ORGANISATION_COLUMNS, ORGANISATION_REQUIRED, read_table, use_directory

SYNC_ACTOR: Final = Actor.system("sync")
#: Device roles where staff sign in, and so hold accounts.
STAFF_DEVICES: Final = frozenset({"counter", "leader", "admin", "hall"})
#: The deployment settings a centre shares with its devices (the rest belong to each PC: its ids,
#: database, printers, card reader, key store, server address and document-number prefix).
SHARED_SETTINGS: Final = ("hall_name", "bureau_code", "region_code", "day_counting", "sync_interval_seconds",
                          "repeat_similarity", "public_lookup_url", "issuing_organisation", "seal_text",
                          "hall_address", "hall_phone", "review_organisation", "document_header_red",
                          "lockout_failures", "lockout_minutes", "idle_lock_minutes", "hall_hours")


@dataclass(frozen=True)
class Audience:
    """The device asking, as its token proves it: what it may hold depends on these."""

    role: str
    org_code: str = ""
    hall_code: str = ""


@dataclass(frozen=True)
class ReferenceKind:
    name: str
    read: Callable[[Hall, Audience], Any]  # the content for this device (JSON-able), None: nothing for it
    apply: Callable[[Hall, Any], None]  # on the device, in transactions of its own


KINDS: dict[str, ReferenceKind] = {}


def register(kind: ReferenceKind) -> ReferenceKind:
    """Add (or replace) a kind of reference data; the server sends it from its next answer on."""
    KINDS[kind.name] = kind
    return kind


def version_of(content: Any) -> str:
    return hashlib.sha256(canonical_json(content).encode("utf-8")).hexdigest()


def documents_for(hall: Hall, audience: Audience) -> dict[str, Any]:
    """Every kind's content for this device (kinds it gets nothing of are left out)."""
    found: dict[str, Any] = {}
    for name, kind in sorted(KINDS.items()):
        content = kind.read(hall, audience)
        if content is not None:
            found[name] = content
    return found


def _state_name(kind: str) -> str:
    return f"kind:{kind}"[:32]


def held_versions(hall: Hall) -> dict[str, str]:
    """The version of each kind this device last applied."""
    with hall.sessions() as session:
        return {r.name.removeprefix("kind:"): r.version for r in session.scalars(
            select(ReferenceStateRow).where(ReferenceStateRow.name.like("kind:%")))}


def apply_documents(hall: Hall, documents: Mapping[str, Any]) -> list[str]:
    """Apply the kinds whose content is new here, each with its version after it; returns their names.

    A kind this program does not know is skipped (a newer server); the others are applied.
    One that cannot be applied (bad content, an unwritable settings file) is refused with
    :class:`RuleViolation` naming it; the kinds applied before it stay applied.
    """
    held = held_versions(hall)
    applied = []
    for name, content in sorted(documents.items()):
        kind = KINDS.get(name)
        version = version_of(content)
        if kind is None or held.get(name) == version:
            continue
        try:
            kind.apply(hall, content)
        except (RuleViolation, SettingsError, OSError, KeyError, TypeError, ValueError) as exc:
            reason = exc.message if isinstance(exc, RuleViolation) else str(exc) or type(exc).__name__
            raise RuleViolation("reference_refused", f"服务器发来的参考数据“{name}”无法采用：{reason}。"
                                                     "其余同步已完成；请联系管理员") from exc
        with hall.transaction() as session:
            row = session.get(ReferenceStateRow, _state_name(name))
            stamp = hall.now().isoformat(timespec="seconds")
            if row is None:
                session.add(ReferenceStateRow(name=_state_name(name), version=version, applied_at=stamp))
            else:
                row.version, row.applied_at = version, stamp
        applied.append(name)
    return applied


# -- documents kept in the database (the directory, shared settings) --------------------------------

def stored_document(hall: Hall, kind: str, scope: str = "") -> Any:
    with hall.sessions() as session:
        row = session.get(ReferenceDocumentRow, (kind, scope))
    return json.loads(row.content) if row is not None else None


def store_document(hall: Hall, actor: Actor, kind: str, content: Any, scope: str = "") -> None:
    """Keep ``content`` as the ``kind`` document of ``scope`` (audited as a change of settings)."""
    with hall.transaction() as session:
        keep_document(session, hall, kind, content, scope)
        audit(session, hall, actor, AuditAction.SETTING_CHANGED, f"reference:{kind}",
              {"scope": scope, "version": version_of(content)})


def keep_document(session: Session, hall: Hall, kind: str, content: Any, scope: str = "") -> None:
    """Write ``content`` as the ``kind`` document of ``scope`` in ``session``'s transaction (the caller audits)."""
    row = session.get(ReferenceDocumentRow, (kind, scope))
    text, stamp = canonical_json(content), hall.now().isoformat(timespec="seconds")
    if row is None:
        session.add(ReferenceDocumentRow(kind=kind, scope=scope, content=text, updated_at=stamp))
    else:
        row.content, row.updated_at = text, stamp


# -- accounts --------------------------------------------------------------------------------------

def _read_accounts(hall: Hall, audience: Audience) -> Any:
    if audience.role not in STAFF_DEVICES:
        return None
    query = select(StaffAccountRow).order_by(StaffAccountRow.login)
    if audience.role in ("counter", "leader"):
        query = query.where(StaffAccountRow.org_code == audience.org_code)
        if audience.hall_code:
            query = query.where(StaffAccountRow.hall_code.in_(("", audience.hall_code)))
    with hall.sessions() as session:
        rows = list(session.scalars(query))
    return [{"login": r.login, "display_name": r.display_name, "role": r.role, "hall_code": r.hall_code,
             "org_code": r.org_code, "extra_permissions": list(json.loads(r.extra_permissions or "[]")),
             "password_hash": r.password_hash, "must_change_password": r.must_change_password,
             "disabled": r.disabled, "password_changed_at": r.password_changed_at}
            for r in rows if r.password_hash.startswith("$argon2id$")]


def _apply_accounts(hall: Hall, content: Any) -> None:
    accounts = [SyncedAccount(login=a["login"], display_name=a["display_name"], role=a["role"],
                              hall_code=a["hall_code"], org_code=a["org_code"],
                              extra_permissions=tuple(a["extra_permissions"]), password_hash=a["password_hash"],
                              must_change_password=a["must_change_password"], disabled=a["disabled"],
                              password_changed_at=a["password_changed_at"]) for a in content]
    if accounts:
        apply_synced_accounts(hall, SYNC_ACTOR, accounts)


# -- holiday schedules -------------------------------------------------------------------------------

def _read_holidays(hall: Hall, _audience: Audience) -> Any:
    with hall.sessions() as session:
        rows = list(session.scalars(select(HolidayScheduleRow).order_by(HolidayScheduleRow.year)))
    return [{"year": r.year, "csv_text": r.csv_text, "source": r.source} for r in rows]


def _apply_holidays(hall: Hall, content: Any) -> None:
    with hall.sessions() as session:
        local = {r.year: r.csv_text for r in session.scalars(select(HolidayScheduleRow))}
    for schedule in content:
        if local.get(schedule["year"]) != schedule["csv_text"]:
            import_schedule(hall, SYNC_ACTOR, schedule["csv_text"], schedule["source"] or "服务器")


# -- the organisation directory ------------------------------------------------------------------------

ORGANISATIONS: Final = "organisations"


def directory_of(rows: Any) -> OrganisationDirectory:
    """The directory of these rows (the columns of organisations.csv), checked; ``ValidationError`` names the line."""
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        raise ValidationError("bad_directory", "机构目录的格式不正确", "organisations")
    return OrganisationDirectory.from_rows([{c: str(r.get(c) or "") for c in ORGANISATION_COLUMNS} for r in rows])


def import_directory(hall: Hall, actor: Actor, path: Path) -> int:
    """At the centre: the directory from a CSV/.xlsx file, checked, kept and shared; returns its size.

    An import loses no unit the directory held (see :func:`keep_history`): one the file leaves out
    stays, retired, so the cases routed to it keep its name; a renamed one keeps its earlier name."""
    guard(hall, actor, Permission.MANAGE_SETTINGS, "导入机构目录")
    table = [r for r in read_table(path, ORGANISATION_REQUIRED) if any((v or "").strip() for v in r.values())]
    rows = [{c: (r.get(c) or "").strip() for c in ORGANISATION_COLUMNS} for r in table]
    directory_of(rows)  # the file itself first, its errors named by its lines
    held = stored_document(hall, ORGANISATIONS)
    if held is not None:
        says_retired = any("retired" in r for r in table)
        rows = keep_history(rows, [{c: str(r.get(c) or "").strip() for c in ORGANISATION_COLUMNS} for r in held],
                            hall.now().date().isoformat(), says_retired=says_retired)
    directory = directory_of(rows)
    store_document(hall, actor, ORGANISATIONS, rows)
    use_directory(directory)
    return len(directory.all())


def keep_history(rows: list[dict[str, str]], held: list[dict[str, str]], today: str, *,
                 says_retired: bool) -> list[dict[str, str]]:
    """The imported ``rows`` over the ``held`` directory: a unit renamed keeps its earlier names (unless the file
    lists them); a file without a 撤销日期 column keeps the days units were retired; a unit the file leaves out
    stays, retired ``today`` (if it was not already). ``ValidationError`` when such a unit's name is taken by
    another in the file: two units of one name could not be told apart."""
    before = {r["code"]: r for r in held}
    merged = []
    for row in rows:
        old = before.get(row["code"])
        if old is not None:
            if not row["former_names"]:
                earlier = [n for n in (*old["former_names"].split("|"), old["name"]) if n and n != row["name"]]
                row = {**row, "former_names": "|".join(dict.fromkeys(earlier))}
            if not says_retired:
                row = {**row, "retired": old["retired"]}
        merged.append(row)
    codes, names = {r["code"] for r in rows}, {r["name"]: r["code"] for r in rows}
    for old in held:
        if old["code"] in codes:
            continue
        if old["name"] in names:
            raise ValidationError(
                "dropped_unit_name", f"文件中没有机构“{old['name']}”（代码 {old['code']}），它将作为已撤销机构保留，"
                f"已转交它的事项仍用这个名称；但文件中代码 {names[old['name']]} 的机构也叫“{old['name']}”。"
                f"请在文件中保留代码 {old['code']} 的这一行（可写明撤销日期），或让新机构沿用这个代码", "code")
        merged.append({**old, "retired": old["retired"] or today})
    return merged


def use_stored_directory(hall: Hall) -> bool:
    """At start: the directory this installation holds from the centre replaces the shipped one."""
    rows = stored_document(hall, ORGANISATIONS)
    if rows is None:
        return False
    try:
        directory = directory_of(rows)
    except RuleViolation:  # checked when it came; a newer program may check more: the shipped one, and asked again
        with hall.transaction() as session:
            session.execute(delete(ReferenceStateRow).where(ReferenceStateRow.name.in_(
                (_state_name(ORGANISATIONS), "upstream"))))
        return False
    use_directory(directory)
    return True


def _read_directory(hall: Hall, _audience: Audience) -> Any:
    return stored_document(hall, ORGANISATIONS)


def _apply_directory(hall: Hall, content: Any) -> None:
    directory = directory_of(content)  # refused before anything is kept
    store_document(hall, SYNC_ACTOR, ORGANISATIONS, content)
    use_directory(directory)


# -- shared deployment settings ------------------------------------------------------------------------

SETTINGS: Final = "settings"


def check_shared_settings(values: Mapping[str, Any]) -> dict[str, Any]:
    """Only shared settings, each valid (``SettingsError`` in Chinese naming the setting otherwise)."""
    unknown = sorted(set(values) - set(SHARED_SETTINGS))
    if unknown:
        raise SettingsError(f"以下设置不在中心统一下发的范围内：{'、'.join(unknown)}"
                            f"（可下发：{'、'.join(SHARED_SETTINGS)}）")
    checked = Settings(**dict(values))  # every value checked as the settings file's would be
    return {name: _plain(getattr(checked, name)) for name in values}


def _plain(value: Any) -> Any:
    return value if isinstance(value, str | int | float | bool) else str(value)


def share_settings(hall: Hall, actor: Actor, values: Mapping[str, Any], hall_code: str = "") -> dict[str, Any]:
    """At the centre: settings for every device (or the devices of ``hall_code``), merged into those kept."""
    guard(hall, actor, Permission.MANAGE_SETTINGS, "下发统一设置")
    merged = {**(stored_document(hall, SETTINGS, hall_code) or {}), **check_shared_settings(values)}
    store_document(hall, actor, SETTINGS, merged, hall_code)
    return merged


def _read_settings(hall: Hall, audience: Audience) -> Any:
    shared = dict(stored_document(hall, SETTINGS) or {})
    if audience.hall_code:
        shared.update(stored_document(hall, SETTINGS, audience.hall_code) or {})
    return shared or None


def _apply_settings(hall: Hall, content: Any) -> None:
    """Into this PC's settings file and in force at once; the environment still overrides."""
    shared = check_shared_settings(content)
    changed = merge_into_settings_file(shared)
    if not changed:
        return
    counted = hall.settings.day_counting
    hall.use_settings(with_values(hall.settings, {name: shared[name] for name in changed}))
    with hall.transaction() as session:
        audit(session, hall, SYNC_ACTOR, AuditAction.SETTING_CHANGED, "settings",
              {"names": changed, "from": "中心服务器"})
    if hall.settings.day_counting != counted:
        recount_deadlines(hall)  # every stored deadline, counted the new way


# -- the kiosks' exit PIN (its Argon2id hash only) --------------------------------------------------------

KIOSK_PIN: Final = "kiosk_pin"
#: Who receives the kiosks' PIN: the kiosks, and hall servers to pass it on to theirs.
KIOSK_PIN_DEVICES: Final = frozenset({"kiosk", "hall"})


def kiosk_pin_document(hash_: Any) -> dict[str, str]:
    """The shared document of a PIN's hash (``ValidationError`` when it is not an Argon2id hash)."""
    if not isinstance(hash_, str) or not re.fullmatch(PIN_HASH_PATTERN, hash_):
        raise ValidationError("bad_pin_hash", "自助终端退出密码的散列格式不正确（须为 Argon2id 散列）", "pin")
    return {"hash": hash_}


def _read_kiosk_pin(hall: Hall, audience: Audience) -> Any:
    if audience.role not in KIOSK_PIN_DEVICES:
        return None
    found = (stored_document(hall, KIOSK_PIN, audience.hall_code) if audience.hall_code else None) \
        or stored_document(hall, KIOSK_PIN)
    return found or None


def _apply_kiosk_pin(hall: Hall, content: Any) -> None:
    """Kept (a hall server passes it on), into this PC's settings file and in force at once (the environment
    still overrides): the PIN page reads the setting each time a PIN is typed."""
    document = kiosk_pin_document(content.get("hash") if isinstance(content, dict) else None)
    store_document(hall, SYNC_ACTOR, KIOSK_PIN, document)
    merge_into_settings_file({"kiosk_exit_pin": document["hash"]})
    hall.use_settings(with_values(hall.settings, {"kiosk_exit_pin": document["hash"]}))


for _kind in (ReferenceKind("accounts", _read_accounts, _apply_accounts),
              ReferenceKind("holidays", _read_holidays, _apply_holidays),
              ReferenceKind(ORGANISATIONS, _read_directory, _apply_directory),
              ReferenceKind(SETTINGS, _read_settings, _apply_settings),
              ReferenceKind(KIOSK_PIN, _read_kiosk_pin, _apply_kiosk_pin)):
    register(_kind)

__all__ = ["KINDS", "KIOSK_PIN", "SHARED_SETTINGS", "STAFF_DEVICES", "Audience", "ReferenceKind", "apply_documents",
           "documents_for", "import_directory", "register", "share_settings", "use_stored_directory"]
