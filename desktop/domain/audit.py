"""The audit log's rules: what is recorded, and the keyed hash chain that reveals tampering.

Each entry carries the hash of the entry before it and its own HMAC-SHA256 over
its fields and that previous hash, keyed with the installation's audit key
(kept in the key store, not in the database). Editing an entry breaks its own
hash; deleting one breaks the link of the next; without the key nobody can
recompute the chain to hide either. Deleting entries at the end is caught by
the head anchor: the last (seq, hash) the program wrote, kept outside the
database, which the chain must still contain.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from desktop.domain.calendar import stamp_in_words
from desktop.domain.events import canonical_json

GENESIS = "0" * 64


class AuditAction(StrEnum):
    LOGIN = "登录"
    LOGOUT = "退出登录"
    LOGIN_FAILED = "登录失败"
    ACCOUNT_LOCKED = "账户锁定"
    ACCOUNT_UNLOCKED = "账户解锁"
    ACCOUNT_CREATED = "创建账户"
    ACCOUNT_CHANGED = "修改账户"
    PASSWORD_CHANGED = "修改密码"
    PASSWORD_RESET = "重置密码"
    SCREEN_LOCKED = "锁屏"
    SCREEN_UNLOCKED = "解除锁屏"
    PERMISSION_DENIED = "越权操作被拒绝"
    REGISTRATION = "登记来访"
    NOT_ACCEPTED_AGAIN = "不再受理"  # a visit on a matter through 复核 (条例第三十六条): no case, this entry
    BOOKING_CANCELLED = "取消领导接访预约"  # a booked or waiting visitor taken off a leader's reception day
    DECISION = "办理决定"
    VIEW_PERSONAL = "查看完整个人信息"
    PRINT = "打印"
    REPRINT = "补打"
    EXPORT = "导出"
    SETTING_CHANGED = "修改设置"
    KEY_ROTATED = "更换数据库密钥"
    BACKUP = "备份数据库"
    DEVICE_ENROLLED = "设备注册"
    DEVICE_CLOCK_AHEAD = "设备时钟超前"
    DATA_MAINTENANCE = "数据维护"


@dataclass(frozen=True)
class AuditEntry:
    seq: int
    at: str  # ISO 8601 local time of the device, to the second
    device: str
    actor_id: str
    actor_name: str
    action: str
    target: str
    detail: Mapping[str, Any] = field(default_factory=dict)
    prev_hash: str = GENESIS
    entry_hash: str = ""


def entry_digest(key: bytes, entry: AuditEntry) -> str:
    """HMAC-SHA256 of every field but the hash itself, in a canonical form."""
    body = canonical_json([entry.seq, entry.at, entry.device, entry.actor_id, entry.actor_name,
                           entry.action, entry.target, dict(entry.detail), entry.prev_hash])
    return hmac.new(key, body.encode("utf-8"), hashlib.sha256).hexdigest()


def seal(key: bytes, entry: AuditEntry) -> AuditEntry:
    """The entry with its hash filled in."""
    return replace(entry, entry_hash=entry_digest(key, entry))


@dataclass(frozen=True)
class Anchor:
    """The newest entry the program wrote: ``(seq, hash)``; kept outside the database."""

    seq: int
    entry_hash: str


@dataclass
class AuditReport:
    checked: int = 0
    first_seq: int = 0
    last_seq: int = 0
    last_at: str = ""
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        if not self.checked and not self.problems:
            return "审计日志为空"
        # the time as the log's list shows it (2026年12月5日 23:34:02), not the stored ISO form
        head = (f"已核验 {self.checked} 条审计记录（第{self.first_seq}–{self.last_seq}条，"
                f"最近一条 {stamp_in_words(self.last_at, seconds=True)}）")
        if self.ok:
            return head + "：完整，未发现修改或删除"
        return head + f"：发现 {len(self.problems)} 处问题\n" + "\n".join(f"  - {p}" for p in self.problems)


MAX_LISTED_PROBLEMS = 50


def verify_chain(entries: Iterable[AuditEntry], key: bytes, anchor: Anchor | None = None,
                 *, start_prev: str = GENESIS, start_seq: int = 1) -> AuditReport:
    """Walk the chain in ``seq`` order and list every break, in plain words.

    ``start_prev`` / ``start_seq`` let a chain start after entries that were
    archived on purpose (their last hash is the new start).
    """
    report = AuditReport()
    expected_seq = start_seq
    prev_hash = start_prev
    seen_anchor = anchor is None
    problems: list[str] = []
    for entry in entries:
        if report.checked == 0:
            report.first_seq = entry.seq
        report.checked += 1
        if entry.seq > expected_seq:
            gap = (f"第{expected_seq}条" if entry.seq == expected_seq + 1
                   else f"第{expected_seq}–{entry.seq - 1}条")
            problems.append(f"缺少{gap}记录：已被删除")
        if entry.prev_hash != prev_hash and entry.seq <= expected_seq:
            problems.append(f"第{entry.seq}条与前一条记录的链接不符：之前的记录被修改、删除或调换")
        if not hmac.compare_digest(entry.entry_hash, entry_digest(key, entry)):
            problems.append(f"第{entry.seq}条记录（{entry.at} {entry.action}）的内容被修改")
        if anchor is not None and entry.seq == anchor.seq:
            seen_anchor = True
            if entry.entry_hash != anchor.entry_hash:
                problems.append(f"第{entry.seq}条记录与程序最后写入的记录不一致：被替换")
        expected_seq = entry.seq + 1
        prev_hash = entry.entry_hash
        report.last_seq = entry.seq
        report.last_at = entry.at
    if not seen_anchor and anchor is not None:
        problems.append(f"程序最后写入的是第{anchor.seq}条，现在只有{report.last_seq}条：末尾的记录被删除")
    if len(problems) > MAX_LISTED_PROBLEMS:
        problems = [*problems[:MAX_LISTED_PROBLEMS], f"……另有 {len(problems) - MAX_LISTED_PROBLEMS} 处问题"]
    report.problems = problems
    return report
