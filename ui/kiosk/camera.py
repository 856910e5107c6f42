"""The camera's view on a kiosk screen: the citizen holds the receipt's QR code up to it, and it is read; or holds
a paper up to it, and it is photographed (:meth:`CameraView.snapshot`).

Shown only where the setting ``camera`` names one (``desktop/devices/camera.py``). The camera runs
while its view is on the screen and stops when the view goes (another screen, the wipe): nothing of
what it saw is kept. Each picture is read on a worker thread, one at a time (a picture arriving while
one is read is shown and not read); a code read is handed on once (``scanned``), again only after
:attr:`CameraView.AGAIN_S` or once another code was read.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QHideEvent, QImage, QPixmap, QShowEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from ui.common.widgets import label, set_tone
from ui.shell.context import WorkContext
from ui.shell.tasks import Executor

if TYPE_CHECKING:
    from desktop.devices.camera import FrameSource
    from desktop.devices.qrscan import GreyPicture


def camera_present(ctx: WorkContext) -> bool:
    """Whether this kiosk's settings name a camera."""
    from desktop.devices.camera_spec import parse_camera_spec

    return parse_camera_spec(ctx.settings.camera).present


def _read(picture: GreyPicture) -> list[str]:
    from desktop.devices.qrscan import read_codes

    return read_codes(picture)


class CameraView(QWidget):
    """The camera's picture, a line saying what to do, and what went wrong (no camera found)."""

    #: A code read: its text (the screen decides whether it is a receipt's).
    scanned = Signal(str)
    #: The camera cannot be used (why, for the log): the view has gone from the screen, which carries on without.
    unavailable = Signal(str)
    #: The same code is handed on again only after this many seconds (a receipt held still is read often).
    AGAIN_S = 3.0
    #: The picture's size lying down; standing up it takes the width.
    VIEW = QSize(480, 360)

    def __init__(self, ctx: WorkContext, parent: QWidget | None = None, *, read: bool = True,
                 hint: str = "把回执上的二维码对准摄像头", least: QSize | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.tasks = ctx.group(self)
        self.source: FrameSource | None = None
        #: Whether the pictures are read for a QR code (not while materials are photographed).
        self.read = read
        #: The last picture, for :meth:`snapshot` (gone when the camera stops).
        self.latest: QImage | None = None
        self.reading = False
        self._last = ("", 0.0)
        self.view = QLabel()
        self.view.setObjectName("cameraView")
        self.view.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.view.setMinimumSize(least or self.VIEW)
        self.view.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.view.setAccessibleName("摄像头画面")
        self.hint = label(hint, "subtitle", centred=True)
        #: Why the camera cannot be used, once it was found so (then the view is hidden for good).
        self.problem = ""
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(12)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.hint)

    @property
    def running(self) -> bool:
        return self.source is not None and self.source.running

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.start()

    def hideEvent(self, event: QHideEvent) -> None:
        self.stop()
        super().hideEvent(event)

    def start(self) -> None:
        if self.running or self.problem:
            return
        if self.source is None:
            from desktop.devices.camera import camera_from_text

            self.source = camera_from_text(self.ctx.settings.camera, self)
            if self.source is None:
                return
            self.source.frame.connect(self._picture)
            self.source.failed.connect(self._failed)
        self.source.start()

    def stop(self) -> None:
        """The camera off, its last picture and the code it read gone from the screen and from memory."""
        if self.source is not None:
            self.source.stop()
        self.view.clear()
        self.latest = None
        self._last = ("", 0.0)

    def snapshot(self) -> QImage | None:
        """The picture the camera shows now (a copy), or None before the first."""
        return self.latest.copy() if self.latest is not None else None

    def _picture(self, image: QImage) -> None:
        if not self.isVisible():
            return
        shown = QPixmap.fromImage(image).scaled(self.view.size(), Qt.AspectRatioMode.KeepAspectRatio,
                                                Qt.TransformationMode.FastTransformation)
        self.view.setPixmap(shown)
        if self.latest is None:  # its first picture since it started: it works (for the administrator)
            self._tell_admin(None)
        self.latest = image
        if not self.read or self.reading:
            return  # still reading the one before: this one is only shown
        from desktop.devices.camera import grey_picture

        picture = grey_picture(image)
        self.reading = True
        self.tasks.run(lambda _hall: _read(picture), self._codes, self._unread, executor=Executor.DEVICES)

    def _codes(self, codes: list[str]) -> None:
        self.reading = False
        if not codes or not self.running:
            return
        text, when = self._last
        now = time.monotonic()
        if codes[0] == text and now - when < self.AGAIN_S:
            return
        self._last = (codes[0], now)
        from ui.shell.idle import device_used

        device_used(self)  # a code held up is the citizen at the screen, as a card laid on the reader is
        self.scanned.emit(codes[0])

    def _unread(self, _error: Exception) -> None:
        self.reading = False  # a picture that could not be read: the next one is

    def _tell_admin(self, problem: str | None) -> None:
        """The camera's state for the administrator's 设备管理 (``desktop.services.peripherals``)."""
        from desktop.services.peripherals import CAMERA, note_and_send

        self.tasks.run(lambda hall: note_and_send(hall, CAMERA, problem), lambda _none: None, lambda _error: None)

    def _failed(self, message: str) -> None:
        """No camera after all: an empty frame and a request to look into it would only puzzle a citizen; the
        view goes, the screen says what to do instead, and the reason goes to the log for whoever looks after
        the kiosk (``doctor`` says it too)."""
        import logging

        logging.getLogger(__name__).warning("kiosk camera unavailable: %s", message)
        self._tell_admin(f"摄像头不能使用（{message}）")
        self.problem = message
        self.view.clear()
        self.hide()
        self.unavailable.emit(message)


class MaterialPhotos(QWidget):
    """自助登记's 材料 with a camera: each paper held up is photographed with 拍照, shown small with its 删除, and
    handed in with the registration (``photos``: JPEG bytes, kept only in this screen until it is submitted)."""

    #: Photos taken or removed.
    changed = Signal()
    #: What the screen asks, with a camera.
    WITH_CAMERA = ("有书面材料（如合同、判决书、照片）的，可以逐页拍照一起提交（可不拍）；"
                   "原件请登记后交给接待窗口工作人员")
    #: Said instead where the camera turns out not to work (photos taken before it stopped still go).
    NO_CAMERA = ("本机摄像头现在不能使用，不能在这里拍照提交材料。\n\n"
                 "如有书面材料（如合同、判决书、照片），请在登记后把回执和材料一起交给接待窗口工作人员，"
                 "工作人员会为您扫描并附在这件事项中。")
    #: At most this many pages at the kiosk (more belongs at the counter's scanner).
    MOST = 10
    #: A photo's longest side (a page stays readable; a few hundred KB each).
    SIDE = 2000
    THUMB = 240

    def __init__(self, ctx: WorkContext, parent: QWidget | None = None) -> None:
        from PySide6.QtWidgets import QBoxLayout, QGridLayout, QPushButton

        from ui.common.widgets import message_label

        super().__init__(parent)
        self.photos: list[bytes] = []
        self.intro = label(self.WITH_CAMERA, "subtitle")
        # smaller than the receipt's view: the photos taken, 拍照 and 下一步 share the screen with it
        self.camera = CameraView(ctx, read=False, hint="把材料平放在摄像头前，对准后点“拍照”", least=QSize(400, 260))
        self.camera.unavailable.connect(self._no_camera)
        self.take_button = QPushButton("拍照")
        self.take_button.setAccessibleName("拍照")
        self.count = label("", "hint", centred=True)
        self.message = message_label()
        left = QVBoxLayout()
        left.setSpacing(12)
        left.addWidget(self.camera, 1)
        left.addWidget(self.take_button)
        left.addWidget(self.count)
        left.addWidget(self.message)
        self.grid = QGridLayout()
        self.grid.setSpacing(16)
        right = QVBoxLayout()
        right.addLayout(self.grid)
        right.addStretch(1)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(16)
        outer.addWidget(self.intro)
        self.box = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.box.setSpacing(32)
        self.box.addLayout(left, 3)
        self.box.addLayout(right, 2)
        outer.addLayout(self.box, 1)
        self._columns = 2
        self.take_button.clicked.connect(self.take)
        self._show()

    def set_portrait(self, portrait: bool) -> None:
        """Standing up the photos under the camera, three to a row; lying down beside it, two to a row."""
        from PySide6.QtWidgets import QBoxLayout

        self.box.setDirection(QBoxLayout.Direction.TopToBottom if portrait else QBoxLayout.Direction.LeftToRight)
        self._columns = 3 if portrait else 2
        self._show()

    def _no_camera(self, _why: str) -> None:
        self.intro.setText(self.NO_CAMERA)
        self.take_button.hide()
        self.count.setVisible(bool(self.photos))
        set_tone(self.message, "", "")

    def take(self) -> None:
        """Photograph what the camera shows now."""
        from PySide6.QtCore import QBuffer, QByteArray, QIODevice

        if len(self.photos) >= self.MOST:
            return
        image = self.camera.snapshot()
        if image is None:
            set_tone(self.message, "error", "摄像头还没有画面，请稍候再拍")
            return
        if max(image.width(), image.height()) > self.SIDE:
            image = image.scaled(self.SIDE, self.SIDE, Qt.AspectRatioMode.KeepAspectRatio,
                                 Qt.TransformationMode.SmoothTransformation)
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        if not image.save(buffer, "JPG", 85):  # type: ignore[call-overload]  # the stubs ask bytes, Qt takes text
            set_tone(self.message, "error", "这张没有拍成，请再拍一次")
            return
        self.photos.append(bytes(data.data()))
        set_tone(self.message, "", "")
        self._show()
        self.changed.emit()

    def remove(self, index: int) -> None:
        del self.photos[index]
        self._show()
        self.changed.emit()

    def _show(self) -> None:
        from PySide6.QtWidgets import QPushButton

        from ui.common.widgets import secondary_button

        while self.grid.count():
            item = self.grid.takeAt(0)
            if item is not None and (widget := item.widget()) is not None:
                widget.deleteLater()
        for index, data in enumerate(self.photos):
            cell = QWidget()
            column = QVBoxLayout(cell)
            column.setContentsMargins(0, 0, 0, 0)
            picture = QLabel()
            picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
            picture.setPixmap(QPixmap.fromImage(QImage.fromData(data)).scaled(
                self.THUMB, self.THUMB, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation))
            picture.setAccessibleName(f"第{index + 1}张")
            remove: QPushButton = secondary_button(f"删除第{index + 1}张")
            remove.clicked.connect(lambda _checked=False, at=index: self.remove(at))
            column.addWidget(picture)
            column.addWidget(remove)
            self.grid.addWidget(cell, index // self._columns, index % self._columns)
        full = len(self.photos) >= self.MOST
        self.take_button.setDisabled(full)
        self.count.setText(f"已拍{len(self.photos)}张，最多{self.MOST}张" + ("，其余请交给接待窗口" if full else "")
                           if self.photos else f"可以拍{self.MOST}张以内")
