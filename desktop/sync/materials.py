"""Materials (attachment files) between a device and its server: up at each sync, down when opened.

**Up.** Right after the events (before the pull), each sync round asks the server about the
files this device holds and does not yet know the server to hold (``attachments.on_server``),
500 at a time; the server answers which it holds (marked here, never sent) and which it wants
from this device (a case this device may hold names them). Each wanted file goes up on its own
request, whole; it is marked only once the server confirms it, so an interrupted upload is
simply sent again next round and a second round sends nothing. A file the server refuses or
fails to keep holds back neither the others nor the pull; the round then ends with the problem
said in words. A file no case names yet (a form not yet saved) is asked about again next round.
A file whose bytes no longer match its hash here is not sent (the server would refuse it): it
stays for a supervisor to restore from a backup.

**Down.** A device that opens a case's material it does not hold fetches it from the server
(:func:`open_material`, run off the GUI thread), checks it against its hash and keeps it, marked
as held by the server. If the server does not hold it yet, the user is told so in words.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from sqlalchemy import select, update

from db.models import AttachmentRow
from desktop.domain.errors import ValidationError
from desktop.services.attachments import attachment_data
from desktop.services.context import Actor, Hall
from server.protocol import MAX_ATTACHMENT_ASK, AttachmentStatusResponse, AttachmentStored, SyncProblem

log = logging.getLogger(__name__)


class MaterialUplink(Protocol):
    def attachment_status(self, shas: list[str]) -> AttachmentStatusResponse: ...

    def upload_attachment(self, sha256: str, data: bytes, mime: str) -> AttachmentStored: ...


class MaterialSource(Protocol):
    def download_attachment(self, sha256: str) -> tuple[bytes, str]: ...

    def close(self) -> None: ...


def _mark_held(hall: Hall, shas: list[str]) -> None:
    if shas:
        with hall.transaction() as session:
            session.execute(update(AttachmentRow).where(AttachmentRow.sha256.in_(shas)).values(on_server=True))


@dataclass
class MaterialsSent:
    sent: int = 0  # files the server took in this round
    #: Why files did not go up (refused or failed on the server): each stays for the next round.
    problems: list[SyncProblem] = field(default_factory=list)

    def problem(self) -> SyncProblem | None:
        """One problem for the round's status, in words; ``None`` when every file wanted went up."""
        if not self.problems:
            return None
        first = self.problems[0]
        return SyncProblem(first.kind, f"有 {len(self.problems)} 份材料未能上传到服务器，下次同步时会重试："
                                       f"{first.message}")


def push_materials(hall: Hall, transport: MaterialUplink) -> MaterialsSent:
    """Send the server the files it lacks and wants from this device.

    Raises :class:`SyncProblem` at once when the server cannot be reached or the device is not
    enrolled; a file the server refuses or fails to keep is logged, kept here for the next round
    and said in the answer, and the others go on.
    """
    done = MaterialsSent()
    after = ""
    while True:
        with hall.sessions() as session:
            batch = list(session.scalars(select(AttachmentRow.sha256).where(
                AttachmentRow.on_server.is_(False), AttachmentRow.sha256 > after)
                .order_by(AttachmentRow.sha256).limit(MAX_ATTACHMENT_ASK)))
        if not batch:
            return done
        after = batch[-1]
        answer = transport.attachment_status(batch)
        asked = set(batch)
        _mark_held(hall, [s for s in answer.held if s in asked])
        for sha in answer.wanted:
            if sha not in asked:
                continue
            with hall.sessions() as session:
                row = session.execute(select(AttachmentRow.data, AttachmentRow.mime)
                                      .where(AttachmentRow.sha256 == sha)).one_or_none()
            if row is None:
                continue
            data = bytes(row.data)
            if hashlib.sha256(data).hexdigest() != sha:
                log.error("材料 %s 在本机已损坏（内容与校验值不符），未上传；请从备份恢复", sha[:12])
                continue
            try:
                transport.upload_attachment(sha, data, row.mime)
            except SyncProblem as problem:
                if problem.kind in ("offline", "unauthorised"):
                    raise
                log.warning("服务器未接收材料 %s：%s", sha[:12], problem.message)
                done.problems.append(problem)
                continue
            _mark_held(hall, [sha])
            done.sent += 1


def open_material(hall: Hall, actor: Actor, sha256: str,
                  connect: Callable[[], MaterialSource | None] | None = None) -> bytes:
    """The bytes of one material a case names: from this device, or else fetched from its server and kept.

    ``connect`` opens the way to the server (default: the device's ``server_url`` and token; ``None``
    when the device has none). Refusals are :class:`ValidationError` in words for the user.
    """
    try:
        return attachment_data(hall, actor, sha256)
    except ValidationError as missing:
        if missing.code != "attachment_missing":
            raise
    source = (connect or (lambda: server_source(hall)))()
    if source is None:
        raise ValidationError("attachment_missing", "本机没有这份材料，本机也没有设置同步服务器，无法从服务器取得",
                              "sha256")
    try:
        data, mime = source.download_attachment(sha256)
    except SyncProblem as problem:
        raise ValidationError("attachment_unavailable", problem.message, "sha256") from None
    finally:
        source.close()
    if hashlib.sha256(data).hexdigest() != sha256:
        raise ValidationError("attachment_damaged",
                              "从服务器取得的材料与登记时的校验值不符，未保存；请稍后重试或联系管理员", "sha256")
    with hall.transaction() as session:
        if session.get(AttachmentRow, sha256) is None:
            session.add(AttachmentRow(sha256=sha256, size=len(data), mime=(mime or "application/octet-stream")[:64],
                                      data=data, on_server=True, added_at=hall.now().isoformat(timespec="seconds")))
    return data


def server_source(hall: Hall, timeout: float = 60.0) -> MaterialSource | None:
    """The device's server with its token, or ``None`` when this device does not sync."""
    from desktop.sync.credentials import load_token
    from desktop.sync.transport import HttpTransport

    url = hall.settings.server_url
    token = load_token(hall.settings, Path(hall.engine.url.database or "")) if url else None
    if not url or not token:
        return None
    return HttpTransport(url, token, timeout=timeout)
