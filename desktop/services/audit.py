"""Writing and verifying the audit log.

``audit`` appends inside the caller's transaction, so an action and its entry
commit together or not at all. After commit, ``Hall.transaction`` writes the
head anchor (newest seq and hash, MAC'd with the audit key) outside the
database; ``verify_audit`` walks the whole chain against it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import AuditRow
from desktop.domain.access import Actor, Permission, PermissionDenied, require
from desktop.domain.audit import GENESIS, Anchor, AuditAction, AuditEntry, AuditReport, seal, verify_chain
from desktop.domain.events import canonical_json
from desktop.services.context import AFTER_COMMIT, Hall

ANCHOR_KEY = "audit_head"


def audit(session: Session, hall: Hall, actor: Actor, action: AuditAction, target: str = "",
          detail: Mapping[str, Any] | None = None) -> AuditEntry:
    """Append one entry inside ``session``'s transaction."""
    last = session.execute(select(AuditRow.seq, AuditRow.entry_hash)
                           .order_by(AuditRow.seq.desc()).limit(1)).first()
    seq, prev = (last[0] + 1, last[1]) if last else (1, GENESIS)
    entry = seal(hall.secrets.audit_key, AuditEntry(
        seq=seq, at=hall.now().isoformat(timespec="seconds"),
        device=hall.settings.device_code, actor_id=actor.actor_id[:96],
        actor_name=actor.display_name[:64], action=action.value, target=target[:200],
        detail=dict(detail or {}), prev_hash=prev))
    session.add(AuditRow(seq=entry.seq, at=entry.at, device=entry.device, actor_id=entry.actor_id,
                         actor_name=entry.actor_name, action=entry.action, target=entry.target,
                         detail=canonical_json(entry.detail), prev_hash=entry.prev_hash,
                         entry_hash=entry.entry_hash))
    session.flush()
    anchor = Anchor(entry.seq, entry.entry_hash)
    # The head anchor beside the database moves once the entry has committed (the newest one wins).
    session.info.setdefault(AFTER_COMMIT, {})[ANCHOR_KEY] = lambda: write_anchor(hall, anchor)
    return entry


def record_audit(hall: Hall, actor: Actor, action: AuditAction, target: str = "",
                 detail: Mapping[str, Any] | None = None) -> AuditEntry:
    """Append one entry in a transaction of its own."""
    with hall.transaction() as session:
        return audit(session, hall, actor, action, target, detail)


def guard(hall: Hall, actor: Actor, permission: Permission, what: str = "", target: str = "",
          *, alternatives: tuple[Permission, ...] = ()) -> None:
    """``require`` (``permission`` or any of ``alternatives``) that records a refusal in the audit log."""
    if any(actor.may(p) for p in alternatives):
        return
    try:
        require(actor, permission, what)
    except PermissionDenied as refusal:
        denied(hall, actor, refusal, target)
        raise


def denied(hall: Hall, actor: Actor, refusal: PermissionDenied, target: str = "") -> None:
    record_audit(hall, actor, AuditAction.PERMISSION_DENIED, target,
                 {"code": refusal.code, "message": refusal.message})


# -- the head anchor ------------------------------------------------------------------------------

def anchor_path(hall: Hall) -> Path | None:
    """Beside an SQLite database file; none for a server database (sync carries the log there)."""
    if hall.engine.dialect.name != "sqlite" or not hall.engine.url.database:
        return None
    database = hall.engine.url.database
    if database == ":memory:":
        return None
    return Path(database).with_name(Path(database).name + ".audit-head")


def _anchor_mac(key: bytes, anchor: Anchor) -> str:
    return hmac.new(key, f"{anchor.seq}:{anchor.entry_hash}".encode(), hashlib.sha256).hexdigest()


def write_anchor(hall: Hall, anchor: Anchor) -> None:
    path = anchor_path(hall)
    if path is None:
        return
    current = read_anchor(hall)
    if current is not None and current.seq >= anchor.seq:
        return
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps({"seq": anchor.seq, "hash": anchor.entry_hash,
                               "mac": _anchor_mac(hall.secrets.audit_key, anchor)}), encoding="utf-8")
    os.replace(tmp, path)


class AnchorError(Exception):
    pass


def read_anchor(hall: Hall) -> Anchor | None:
    path = anchor_path(hall)
    if path is None or not path.exists():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        anchor = Anchor(int(data["seq"]), str(data["hash"]))
        mac = str(data["mac"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise AnchorError(f"审计日志末尾锚点文件 {path} 已损坏：{exc}") from exc
    if not hmac.compare_digest(mac, _anchor_mac(hall.secrets.audit_key, anchor)):
        raise AnchorError(f"审计日志末尾锚点文件 {path} 校验失败：被修改或来自其他安装")
    return anchor


# -- reading and verifying ------------------------------------------------------------------------

def _entries(session: Session) -> Iterator[AuditEntry]:
    rows = session.execute(select(AuditRow).order_by(AuditRow.seq).execution_options(yield_per=5000))
    for (row,) in rows:
        yield _entry(row)


def _entry(row: AuditRow) -> AuditEntry:
    return AuditEntry(seq=row.seq, at=row.at, device=row.device, actor_id=row.actor_id,
                      actor_name=row.actor_name, action=row.action, target=row.target,
                      detail=json.loads(row.detail), prev_hash=row.prev_hash, entry_hash=row.entry_hash)


def verify_audit(hall: Hall, actor: Actor) -> AuditReport:
    """Walk the whole chain; every edited, deleted or swapped entry is reported."""
    guard(hall, actor, Permission.VERIFY_AUDIT, "核验审计日志")
    problems: list[str] = []
    try:
        anchor = read_anchor(hall)
    except AnchorError as exc:
        anchor = None
        problems.append(str(exc))
    with hall.sessions() as session:
        report = verify_chain(_entries(session), hall.secrets.audit_key, anchor)
    path = anchor_path(hall)
    if anchor is None and path is not None and report.checked and not problems:
        problems.append(f"未找到审计日志末尾锚点 {path}：无法确认末尾记录是否被删除")
    report.problems = problems + report.problems
    return report


@dataclass(frozen=True)
class AuditQuery:
    since: datetime | None = None
    until: datetime | None = None
    actor_id: str = ""
    action: str = ""
    limit: int = 500


def list_audit(hall: Hall, actor: Actor, query: AuditQuery = AuditQuery()) -> list[AuditEntry]:
    """Newest entries first, for the supervisor's and administrator's audit screen."""
    guard(hall, actor, Permission.VERIFY_AUDIT, "查看审计日志")
    statement = select(AuditRow).order_by(AuditRow.seq.desc()).limit(query.limit)
    if query.since:
        statement = statement.where(AuditRow.at >= query.since.isoformat(timespec="seconds"))
    if query.until:
        statement = statement.where(AuditRow.at < query.until.isoformat(timespec="seconds"))
    if query.actor_id:
        statement = statement.where(AuditRow.actor_id == query.actor_id)
    if query.action:
        statement = statement.where(AuditRow.action == query.action)
    with hall.sessions() as session:
        return [_entry(row) for row in session.scalars(statement)]
