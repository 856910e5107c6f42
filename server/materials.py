"""Materials (the files a case names) on the server: taken from the devices, handed to who may see them.

Files are content-addressed: a registration's event names each by its SHA-256 (with its name,
size and kind) and the device that stored it sends the bytes on its own, after the events
(``POST /sync/attachments/status`` says which the server lacks, ``PUT /sync/attachments/<sha256>``
sends one). The server is the authority here as for events:

* it takes a file only from a device that may hold a case naming it (``attachment_cases``,
  written with the events), checks the bytes against the SHA-256 they are sent under and the
  size limit, and stores each file once, whole, in one transaction (a broken upload stores
  nothing; the device sends it again next round); the central server (PostgreSQL) keeps it
  sealed with the field key (AES-256-GCM or SM4-GCM, bound to its SHA-256) like every personal
  field;
* it hands a file only to a device that may hold a case naming it: counters, the leader's desk
  and hall servers, for the cases their pulls carry (an accusation against the device's own unit
  never, 条例第三十条). A kiosk or a hall display never receives a material: a kiosk holds
  progress only, and its own registrations' files only until the server has them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from db.models import AttachmentCaseRow, AttachmentRow, EventRow
from desktop.domain.events import EventType
from desktop.domain.files import is_sha256, sniff_mime
from desktop.services.attachments import MAX_BYTES
from desktop.services.context import Hall
from server.personal import FILE_FIELD, FieldKeys, is_sealed_file
from server.protocol import NOT_UPLOADED_YET, AttachmentStatusResponse, AttachmentStored, SyncProblem
from server.store import ROLE_NAMES, Device, hidden_cases

#: Devices that never receive a material (a kiosk keeps its own files only until the server holds them).
NO_DOWNLOAD = frozenset({"kiosk", "display", "admin"})
#: Devices that never send one (they record no registrations).
NO_UPLOAD = frozenset({"display", "admin"})
NOT_VISIBLE = "服务器上没有本机可以查看的这份材料（没有本机可查看的事项列有它）"


class Forbidden(Exception):
    """The device may not do this at all (403), whatever the file."""


class Missing(Exception):
    """No such file for this device (404); the message says why in words."""


@dataclass(frozen=True)
class Material:
    data: bytes
    mime: str


def _visible(session: Session, device: Device, shas: Sequence[str]) -> set[str]:
    """Of ``shas``, the files named by a case this device may hold."""
    if device.role in NO_UPLOAD or not shas:
        return set()
    cases: dict[str, set[str]] = {}
    for start in range(0, len(shas), 500):
        for sha, case_id in session.execute(select(AttachmentCaseRow.sha256, AttachmentCaseRow.case_id)
                                            .where(AttachmentCaseRow.sha256.in_(shas[start:start + 500]))):
            cases.setdefault(case_id, set()).add(sha)
    if not cases:
        return set()
    ids = sorted(cases)
    if device.role == "kiosk":  # its own registrations only
        allowed: set[str] = set()
        for start in range(0, len(ids), 500):
            allowed.update(session.scalars(select(EventRow.case_id).where(
                EventRow.case_id.in_(ids[start:start + 500]), EventRow.type == EventType.REGISTERED.value,
                EventRow.device_id == device.device_id)))
    else:
        allowed = set(ids) - hidden_cases(session, device, set(ids))
    return {sha for case_id in allowed for sha in cases[case_id]}


def _held(session: Session, shas: Sequence[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(shas), 500):
        found.update(session.scalars(select(AttachmentRow.sha256).where(
            AttachmentRow.sha256.in_(shas[start:start + 500]))))
    return found


def status(hall: Hall, device: Device, shas: Sequence[str]) -> AttachmentStatusResponse:
    """Which of these files the server holds, and which it lacks and this device should send."""
    if device.role in NO_UPLOAD:
        raise Forbidden(f"{_role(device)}不上传信访材料")
    asked = sorted({s for s in shas if is_sha256(s)})
    with hall.sessions() as session:
        visible = sorted(_visible(session, device, asked))
        held = _held(session, visible)
    return AttachmentStatusResponse(held=[s for s in visible if s in held],
                                    wanted=[s for s in visible if s not in held])


def store(hall: Hall, device: Device, sha256: str, data: bytes, mime: str,
          keys: FieldKeys | None = None) -> AttachmentStored:
    """Keep one file sent by ``device`` (once; the same file again is answered as held).

    With ``keys`` (the central server on PostgreSQL) the file is kept sealed, as every personal
    field is (:mod:`server.personal`): a photo of an ID card is personal data at rest too.
    """
    if device.role in NO_UPLOAD:
        raise Forbidden(f"{_role(device)}不上传信访材料")
    if not is_sha256(sha256):
        raise SyncProblem("refused", "材料的校验值无效（应为64位小写十六进制的 SHA-256）")
    if not data:
        raise SyncProblem("refused", "上传的材料是空的")
    if len(data) > MAX_BYTES:
        raise SyncProblem("refused", f"材料过大（不超过 {MAX_BYTES // (1024 * 1024)} MB）")
    if hashlib.sha256(data).hexdigest() != sha256:
        raise SyncProblem("refused", "上传的材料与其校验值不符（传输中损坏或被改动），服务器未保存；"
                                     "下次同步时会重新上传")
    with hall.sessions() as session:
        if not _visible(session, device, [sha256]):
            raise SyncProblem("refused", "服务器上没有本机可以查看的事项列有这份材料：请先同步事项记录，再上传材料")
        if _held(session, [sha256]):
            return AttachmentStored(sha256=sha256, stored=False)
    kind = (sniff_mime(data) or mime or "application/octet-stream")[:64]
    try:
        with hall.transaction() as session:
            kept = data if keys is None else keys.cipher.encrypt_bytes(data, field=FILE_FIELD, record_id=sha256)
            session.add(AttachmentRow(sha256=sha256, size=len(data), mime=kind, data=kept, on_server=False,
                                      added_at=hall.now().isoformat(timespec="seconds")))
    except IntegrityError:  # the same file, sent at the same moment by another device
        return AttachmentStored(sha256=sha256, stored=False)
    return AttachmentStored(sha256=sha256, stored=True)


class Upstream(Protocol):
    """A hall server's own server (the centre), as far as fetching a file goes."""

    def download_attachment(self, sha256: str) -> tuple[bytes, str]: ...

    def close(self) -> None: ...


def fetch(hall: Hall, device: Device, sha256: str, keys: FieldKeys | None = None,
          upstream: Callable[[], Upstream] | None = None) -> Material:
    """One file for ``device``, if a case it may hold names it and the server holds it (unsealed with ``keys``).

    A hall server (``upstream``: the way to its centre) that lacks the file fetches it from the
    centre, checks it against its hash and keeps it: another hall's material reaches this hall's
    counters too.
    """
    if device.role in NO_DOWNLOAD:
        raise Forbidden(f"{_role(device)}不能下载信访材料")
    if not is_sha256(sha256):
        raise Missing(NOT_VISIBLE)
    with hall.sessions() as session:
        if not _visible(session, device, [sha256]):
            raise Missing(NOT_VISIBLE)
        row = session.execute(select(AttachmentRow.data, AttachmentRow.mime)
                              .where(AttachmentRow.sha256 == sha256)).one_or_none()
    if row is None:
        if upstream is None:
            raise Missing(NOT_UPLOADED_YET)
        return _from_upstream(hall, sha256, upstream)
    data = bytes(row.data)
    if keys is not None and is_sealed_file(data, sha256):
        data = keys.cipher.decrypt_bytes(data, field=FILE_FIELD, record_id=sha256)
    return Material(data, row.mime)


def _role(device: Device) -> str:
    return ROLE_NAMES.get(device.role, device.role) + "设备"


def _from_upstream(hall: Hall, sha256: str, upstream: Callable[[], Upstream]) -> Material:
    source = upstream()
    try:
        data, mime = source.download_attachment(sha256)
    except SyncProblem as problem:
        raise Missing(problem.message) from None
    finally:
        source.close()
    if hashlib.sha256(data).hexdigest() != sha256:
        raise Missing("中心服务器发来的材料与登记时的校验值不符，大厅服务器未保存；请稍后重试")
    kind = (sniff_mime(data) or mime or "application/octet-stream")[:64]
    try:
        with hall.transaction() as session:  # the centre holds it: nothing to send up again
            session.add(AttachmentRow(sha256=sha256, size=len(data), mime=kind, data=data, on_server=True,
                                      added_at=hall.now().isoformat(timespec="seconds")))
    except IntegrityError:
        pass  # fetched at the same moment for another device
    return Material(data, kind)
