"""Materials handed in with a petition (信访材料): files kept once by their SHA-256, in the encrypted database.

A clerk adds a letter, a photo or a contract to a registration; the file is read and
stored under its SHA-256 (the same file added again, to this case or another, is not
stored twice) and the registration names it — name, size, kind and hash — in its event.
What a case names can be read back by whoever may see the case.
"""

from __future__ import annotations

import hashlib
import mimetypes
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from db.models import AttachmentRow
from desktop.domain.access import Permission
from desktop.domain.errors import ValidationError
from desktop.domain.files import sniff_mime
from desktop.services.audit import guard
from desktop.services.context import Actor, Hall

MAX_BYTES = 20 * 1024 * 1024  # a scanned letter of many pages; larger files belong on paper
MAX_ATTACHMENTS = 20
KINDS = {"image/jpeg": "图片", "image/png": "图片", "image/bmp": "图片", "image/gif": "图片",
         "application/pdf": "PDF 文件", "text/plain": "文本"}


@dataclass(frozen=True)
class AttachmentRef:
    """What a registration records of one file."""

    sha256: str
    name: str
    size: int
    mime: str

    def as_payload(self) -> dict[str, str | int]:
        return {"sha256": self.sha256, "name": self.name, "size": self.size, "mime": self.mime}

    @property
    def is_image(self) -> bool:
        return self.mime.startswith("image/")


def _mime(name: str, data: bytes) -> str:
    guessed, _encoding = mimetypes.guess_type(name)
    return sniff_mime(data) or guessed or "application/octet-stream"


def store_file(hall: Hall, actor: Actor, path: Path) -> AttachmentRef:
    """Read ``path`` and keep it (once); its reference goes with the registration."""
    guard(hall, actor, Permission.REGISTER, "添加信访材料", alternatives=(Permission.SELF_SERVICE,))
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise ValidationError("attachment_too_large",
                                  f"文件“{path.name}”过大（{size / 1024 / 1024:.1f} MB，不超过20 MB），"
                                  "请分成几份，或只登记纸质材料", "attachments")
        data = path.read_bytes()
    except OSError as exc:
        raise ValidationError("attachment_unreadable", f"无法读取文件“{path.name}”：{exc.strerror or '读取失败'}",
                              "attachments") from None
    return store_bytes(hall, actor, path.name, data)


def store_bytes(hall: Hall, actor: Actor, name: str, data: bytes) -> AttachmentRef:
    """Keep ``data`` (a scan, a photo from the camera) under its hash; stored once however often it comes."""
    guard(hall, actor, Permission.REGISTER, "添加信访材料", alternatives=(Permission.SELF_SERVICE,))
    if not data:
        raise ValidationError("attachment_empty", f"文件“{name}”是空的", "attachments")
    if len(data) > MAX_BYTES:
        raise ValidationError("attachment_too_large", f"文件“{name}”过大（不超过20 MB）", "attachments")
    digest = hashlib.sha256(data).hexdigest()
    mime = _mime(name, data)
    with hall.transaction() as session:
        if session.get(AttachmentRow, digest) is None:
            session.add(AttachmentRow(sha256=digest, size=len(data), mime=mime[:64], data=data,
                                      added_at=hall.now().isoformat(timespec="seconds")))
    return AttachmentRef(digest, name.strip()[:100] or digest[:12], len(data), mime)


def attachment_data(hall: Hall, actor: Actor, sha256: str) -> bytes:
    """The stored bytes of one attachment (its case is checked by whoever shows it)."""
    guard(hall, actor, Permission.VIEW_CASE, "查看信访材料", alternatives=(Permission.SELF_SERVICE,))
    with hall.sessions() as session:
        data = session.scalar(select(AttachmentRow.data).where(AttachmentRow.sha256 == sha256))
    if data is None:
        raise ValidationError("attachment_missing", "本机没有这份材料（可能尚未同步）", "sha256")
    if hashlib.sha256(data).hexdigest() != sha256:
        raise ValidationError("attachment_damaged", "这份材料已损坏（内容与登记时不符），请从备份恢复", "sha256")
    return bytes(data)


def refs_from_payload(items: object) -> list[AttachmentRef]:
    """The attachments a registration's event names (tolerant of what older events lack)."""
    refs = []
    for item in items if isinstance(items, list | tuple) else ():
        if isinstance(item, dict) and isinstance(item.get("sha256"), str):
            refs.append(AttachmentRef(item["sha256"], str(item.get("name", "")), int(item.get("size", 0) or 0),
                                      str(item.get("mime", ""))))
    return refs
