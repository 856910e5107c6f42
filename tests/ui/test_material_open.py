"""A case's material opens from the case on screen: from this PC, or fetched from the server (off the GUI thread)."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from PySide6.QtCore import QUrl
from pytestqt.qtbot import QtBot
from sqlalchemy import delete

from db.models import AttachmentRow
from desktop.services import attachments
from desktop.services.context import Actor, Hall
from desktop.services.registration import register_visit
from server.protocol import NOT_UPLOADED_YET, SyncProblem
from tests.helpers import form
from ui.cases.search import CaseSearchPanel
from ui.common.material import MaterialViewer


def _png() -> bytes:
    """A small photo, as a camera or a scanner would hand it in (PNG)."""
    from PySide6.QtCore import QBuffer, QIODevice
    from PySide6.QtGui import QColor, QImage

    image = QImage(320, 240, QImage.Format.Format_RGB32)
    image.fill(QColor("#3a6ea5"))
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(buffer.data().data())


class Server:
    """The server as the panel reaches it: holds the file, or not yet."""

    def __init__(self, files: dict[str, bytes]) -> None:
        self.files = files
        self.asked: list[str] = []

    def download_attachment(self, sha256: str) -> tuple[bytes, str]:
        self.asked.append(sha256)
        if sha256 not in self.files:
            raise SyncProblem("refused", NOT_UPLOADED_YET)
        return self.files[sha256], "image/png"

    def close(self) -> None:
        pass


def _case_with_a_file_elsewhere(hall: Hall, clerk: Actor) -> tuple[str, str]:
    """A case registered with a photo that is not on this PC (it came with the case's events)."""
    ref = attachments.store_bytes(hall, clerk, "现场照片.png", _png())
    number = register_visit(hall, clerk, form(attachments=(ref.as_payload(),))).case_number
    with hall.transaction() as session:
        session.execute(delete(AttachmentRow))
    return number, ref.sha256


def _panel(qtbot: QtBot, work_context: Any, clerk: Actor, server: Server, number: str) -> CaseSearchPanel:
    panel = CaseSearchPanel(work_context(clerk), material_source=lambda _hall: server)
    qtbot.addWidget(panel)
    panel.show()
    with qtbot.waitSignal(panel.detail_shown, timeout=10_000):
        panel.open_number(number)
    assert "现场照片.png" in panel.detail.toPlainText()
    return panel


def test_a_material_this_pc_lacks_is_fetched_and_shown(qtbot: QtBot, sqlite_hall: Hall, clerk: Actor,
                                                       work_context: Any, tmp_path: Path) -> None:
    number, sha = _case_with_a_file_elsewhere(sqlite_hall, clerk)
    photo = _png()
    server = Server({sha: photo})
    panel = _panel(qtbot, work_context, clerk, server, number)
    with qtbot.waitSignal(panel.material_shown, timeout=10_000):
        panel.detail.anchorClicked.emit(QUrl("material:0"))  # the link of the first material
    assert isinstance(panel.viewer, MaterialViewer) and panel.viewer.data == photo
    assert panel.viewer.windowTitle() == "材料：现场照片.png" and server.asked == [sha]
    assert attachments.attachment_data(sqlite_hall, clerk, sha) == photo  # kept: the next time, no server
    panel.viewer.write_to(str(tmp_path / "保存的照片.png"))
    assert hashlib.sha256((tmp_path / "保存的照片.png").read_bytes()).hexdigest() == sha
    panel.viewer.close()
    with qtbot.waitSignal(panel.material_shown, timeout=10_000):
        panel.detail.anchorClicked.emit(QUrl("material:0"))
    assert server.asked == [sha]
    panel.viewer.close()


def test_a_material_not_yet_on_the_server_is_said_in_words(qtbot: QtBot, sqlite_hall: Hall, clerk: Actor,
                                                           work_context: Any) -> None:
    number, _sha = _case_with_a_file_elsewhere(sqlite_hall, clerk)
    panel = _panel(qtbot, work_context, clerk, Server({}), number)
    panel.detail.anchorClicked.emit(QUrl("material:0"))
    qtbot.waitUntil(lambda: "尚未上传到服务器" in panel.reveal_note.text(), timeout=10_000)
    assert panel.viewer is None and "Traceback" not in panel.reveal_note.text()
