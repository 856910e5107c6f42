"""One material of a case, shown in the program: a photo, a scanned letter (PDF) or a text; 另存为… for any.

The bytes stay in memory (they are not written to a temporary file for another program to
open); 另存为… writes them where the clerk chooses.
"""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QGuiApplication, QPixmap, QResizeEvent
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from desktop.services.attachments import AttachmentRef
from ui.common.widgets import label, set_tone


def _text_of(data: bytes) -> str:
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", errors="replace")


class FittedPicture(QLabel):
    """A photo as large as the window allows, whole (a camera's 4000 pixels are never cut), never enlarged."""

    def __init__(self, pixmap: QPixmap) -> None:
        super().__init__()
        self.original = pixmap
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setMinimumSize(200, 150)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        room = self.contentsRect().size()
        if self.original.width() <= room.width() and self.original.height() <= room.height():
            self.setPixmap(self.original)
        else:
            self.setPixmap(self.original.scaled(room, Qt.AspectRatioMode.KeepAspectRatio,
                                                Qt.TransformationMode.SmoothTransformation))


class MaterialViewer(QDialog):
    """A material in a window of its own, as large as the screen allows."""

    def __init__(self, ref: AttachmentRef, data: bytes, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ref, self.data = ref, data
        self.setWindowTitle(f"材料：{ref.name}")
        self.message = label("", "message")
        self.message.setWordWrap(True)
        self.message.hide()
        self.view = self._view()
        save = QPushButton("另存为…")
        close = QPushButton("关闭")
        save.clicked.connect(self.save_as)
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(label(f"{ref.name}（{max(len(data) / 1024, 0.1):,.1f} KB）", "subtitle"), 1)
        buttons.addWidget(save)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        screen = (parent.screen() if parent is not None else None) or QGuiApplication.primaryScreen()
        room = screen.availableGeometry()
        self.resize(min(1000, room.width() * 9 // 10), min(760, room.height() * 85 // 100))

    def _view(self) -> QWidget:
        if self.ref.mime.startswith("image/"):
            pixmap = QPixmap()
            if pixmap.loadFromData(self.data):
                return FittedPicture(pixmap)
        elif self.ref.mime == "application/pdf" or self.data.startswith(b"%PDF"):
            shown = self._pdf()
            if shown is not None:
                return shown
        elif self.ref.mime.startswith("text/"):
            text = QPlainTextEdit(_text_of(self.data))
            text.setReadOnly(True)
            return text
        words = label("这类文件不能在本程序中显示：请点“另存为…”保存后用相应的软件打开", "hint")
        words.setWordWrap(True)
        words.setAlignment(Qt.AlignmentFlag.AlignCenter)
        return words

    def _pdf(self) -> QWidget | None:
        from PySide6.QtPdf import QPdfDocument
        from PySide6.QtPdfWidgets import QPdfView

        self._bytes = QByteArray(self.data)  # the buffer reads from it as long as the document is open
        self._buffer = QBuffer(self._bytes, self)
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self._document = QPdfDocument(self)
        self._document.load(self._buffer)
        if self._document.status() != QPdfDocument.Status.Ready:
            return None
        view = QPdfView()
        view.setDocument(self._document)
        view.setPageMode(QPdfView.PageMode.MultiPage)
        view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        return view

    def save_as(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(self, "材料另存为", self.ref.name)
        if path:
            self.write_to(path)

    def write_to(self, path: str) -> None:
        try:
            with open(path, "wb") as out:
                out.write(self.data)
        except OSError as exc:
            set_tone(self.message, "error", f"未能保存到“{path}”：{exc.strerror or '写入失败'}")
        else:
            set_tone(self.message, "notice", f"已保存到 {path}")
        self.message.show()
