"""The camera's view on a kiosk screen: the citizen holds the receipt's QR code up to it, and it is read.

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

from ui.common.widgets import label
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
    #: The same code is handed on again only after this many seconds (a receipt held still is read often).
    AGAIN_S = 3.0
    #: The picture's size lying down; standing up it takes the width.
    VIEW = QSize(480, 360)

    def __init__(self, ctx: WorkContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.tasks = ctx.group(self)
        self.source: FrameSource | None = None
        self.reading = False
        self._last = ("", 0.0)
        self.view = QLabel()
        self.view.setObjectName("cameraView")
        self.view.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.view.setMinimumSize(self.VIEW)
        self.view.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.view.setAccessibleName("摄像头画面")
        self.hint = label("把回执上的二维码对准摄像头", "subtitle", centred=True)
        self.problem = label("", "hint", centred=True)
        self.problem.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(12)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.hint)
        layout.addWidget(self.problem)

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
        if self.running:
            return
        if self.source is None:
            from desktop.devices.camera import camera_from_text

            self.source = camera_from_text(self.ctx.settings.camera, self)
            if self.source is None:
                return
            self.source.frame.connect(self._picture)
            self.source.failed.connect(self._failed)
        self.problem.hide()
        self.source.start()

    def stop(self) -> None:
        """The camera off, its last picture and the code it read gone from the screen and from memory."""
        if self.source is not None:
            self.source.stop()
        self.view.clear()
        self._last = ("", 0.0)

    def _picture(self, image: QImage) -> None:
        if not self.isVisible():
            return
        shown = QPixmap.fromImage(image).scaled(self.view.size(), Qt.AspectRatioMode.KeepAspectRatio,
                                                Qt.TransformationMode.FastTransformation)
        self.view.setPixmap(shown)
        if self.reading:
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
        self.scanned.emit(codes[0])

    def _unread(self, _error: Exception) -> None:
        self.reading = False  # a picture that could not be read: the next one is

    def _failed(self, message: str) -> None:
        self.view.clear()
        self.problem.setText(message)
        self.problem.show()
