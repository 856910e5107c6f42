"""Drafts: what a clerk has typed and not yet saved survives a crash, a closed window or a power cut.

A form writes its fields here a moment after each change (in the encrypted database,
on this PC only); when the form opens again its owner gets the newest draft back. A
saved or discarded form removes its draft. Drafts belong to the person who typed
them: another clerk signing in at the same PC never sees them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select

from db.models import DraftRow
from desktop.domain.access import Permission
from desktop.domain.errors import ValidationError
from desktop.services.audit import guard
from desktop.services.context import Actor, Hall

MAX_DRAFT_BYTES = 200_000  # a registration with long texts is a few kilobytes
KINDS = frozenset({"registration"})


@dataclass(frozen=True)
class Draft:
    draft_id: str
    kind: str
    updated_at: datetime
    data: dict[str, Any]


def save_draft(hall: Hall, actor: Actor, draft_id: str, kind: str, data: dict[str, Any]) -> None:
    """Keep ``data`` as the draft ``draft_id`` of ``actor`` (replacing its earlier state)."""
    guard(hall, actor, Permission.REGISTER, "保存登记草稿")
    if kind not in KINDS:
        raise ValidationError("bad_draft_kind", f"未知的草稿类型：{kind}", "kind")
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    if len(text.encode()) > MAX_DRAFT_BYTES:
        raise ValidationError("draft_too_large", "草稿内容过长，无法自动保存；请尽快保存登记", "data")
    if not draft_id or len(draft_id) > 36:
        raise ValidationError("bad_draft_id", "草稿编号无效", "draft_id")
    with hall.transaction() as session:
        row = session.get(DraftRow, draft_id)
        if row is not None and row.owner != actor.actor_id:
            raise ValidationError("not_your_draft", "这份草稿属于其他工作人员", "draft_id")
        if row is None:
            row = DraftRow(draft_id=draft_id, kind=kind, owner=actor.actor_id)
            session.add(row)
        row.updated_at = hall.now().isoformat(timespec="seconds")
        row.data = text


def my_drafts(hall: Hall, actor: Actor, kind: str) -> list[Draft]:
    """``actor``'s drafts of ``kind``, newest first."""
    guard(hall, actor, Permission.REGISTER, "读取登记草稿")
    with hall.sessions() as session:
        rows = session.scalars(select(DraftRow).where(DraftRow.owner == actor.actor_id, DraftRow.kind == kind)
                               .order_by(DraftRow.updated_at.desc(), DraftRow.draft_id)).all()
        drafts = []
        for row in rows:
            try:
                data = json.loads(row.data)
            except ValueError:
                continue  # a draft that cannot be read is no use to anyone; it is removed with the next save
            drafts.append(Draft(row.draft_id, row.kind, datetime.fromisoformat(row.updated_at), data))
        return drafts


def discard_draft(hall: Hall, actor: Actor, draft_id: str) -> None:
    """Remove the draft (the form was saved, or its owner threw it away)."""
    guard(hall, actor, Permission.REGISTER, "删除登记草稿")
    with hall.transaction() as session:
        session.execute(delete(DraftRow).where(DraftRow.draft_id == draft_id, DraftRow.owner == actor.actor_id))
