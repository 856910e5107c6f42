"""The kiosk's camera: pictures for reading the receipt's QR code where no scanner is fitted.

The setting ``camera``:

* ``none`` (the default): no camera; the kiosk reads a receipt with a scanner or typed numbers.
* ``auto``: the system's default camera; ``qt:NAME``: the camera whose name contains NAME (as
  ``doctor`` lists them). Through Qt Multimedia, loaded only when a camera is asked for: a kiosk
  without one never carries it in its memory (the bundle carries it with ``PH_BUNDLE_MULTIMEDIA=1``).
* ``sim:PATH``: a picture file, or a folder of them shown in turn, as the camera's view
  (training, demonstrations, tests). ``sim:`` alone: an empty grey view.

A :class:`FrameSource` hands its pictures to the GUI thread as ``QImage`` through ``frame``, at most
``fps`` a second, from :meth:`~FrameSource.start` to :meth:`~FrameSource.stop`; ``failed`` says in plain
words why there are none. :func:`grey_picture` makes a picture small and grey for
:func:`desktop.devices.qrscan.read_codes`, which runs on a worker thread.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Final

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QImage

from desktop.devices.camera_spec import parse_camera_spec
from desktop.devices.qrscan import MAX_SIDE, GreyPicture

#: Picture files a simulated camera shows.
PICTURES: Final = (".png", ".jpg", ".jpeg", ".bmp")
#: Pictures handed on a second: enough to read a code held up, little work for the kiosk.
FPS: Final = 6


class FrameSource(QObject):
    """A camera's pictures, on the GUI thread."""

    #: A new picture (at most :data:`FPS` a second while started).
    frame = Signal(QImage)
    #: Why there are no pictures, in words for the citizen and whoever looks after the kiosk.
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.running = False

    def start(self) -> None:
        self.running = True

    def stop(self) -> None:
        self.running = False


class SimulatedCamera(FrameSource):
    """Pictures from files (or given), each shown for ``hold_ms`` in turn; none found: a grey view."""

    def __init__(self, pictures: list[QImage], parent: QObject | None = None, *, hold_ms: int = 1000 // FPS) -> None:
        super().__init__(parent)
        self.pictures = pictures or [_grey_view()]
        self.shown = 0
        self.timer = QTimer(self)
        self.timer.setInterval(hold_ms)
        self.timer.timeout.connect(self._next)
        self._first = QTimer(self)  # the first picture at once, once the event loop is back
        self._first.setSingleShot(True)
        self._first.setInterval(0)
        self._first.timeout.connect(self._next)

    @classmethod
    def from_path(cls, path: str, parent: QObject | None = None) -> SimulatedCamera:
        return cls(load_pictures(path), parent)

    def start(self) -> None:
        super().start()
        self.timer.start()
        self._first.start()

    def stop(self) -> None:
        super().stop()
        self.timer.stop()
        self._first.stop()

    def _next(self) -> None:
        if not self.running:
            return
        picture = self.pictures[self.shown % len(self.pictures)]
        self.shown += 1
        self.frame.emit(picture)


class QtCamera(FrameSource):
    """A real camera through Qt Multimedia; ``name`` part of the camera's name, empty for the default."""

    def __init__(self, name: str = "", parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self._camera: Any = None
        self._session: Any = None
        self._sink: Any = None
        self._last = 0.0

    def start(self) -> None:
        if self.running:
            return
        super().start()
        try:
            from PySide6.QtMultimedia import QCamera, QMediaCaptureSession, QMediaDevices, QVideoSink
        except ImportError:
            self._fail("本机的程序没有摄像头支持（Qt Multimedia）")
            return
        device = find_camera(QMediaDevices.videoInputs(), self.name)
        if device is None:
            wanted = f"名称含“{self.name}”的摄像头" if self.name else "摄像头"
            self._fail(f"没有找到{wanted}")
            return
        self._camera = QCamera(device, self)
        self._sink = QVideoSink(self)
        self._session = QMediaCaptureSession(self)
        self._session.setCamera(self._camera)
        self._session.setVideoSink(self._sink)
        self._sink.videoFrameChanged.connect(self._picture)
        self._camera.errorOccurred.connect(lambda _error, text: self._fail(f"摄像头出错：{text}"))
        self._camera.start()

    def stop(self) -> None:
        super().stop()
        if self._camera is not None:
            self._camera.stop()
            self._session.setCamera(None)
            self._session.setVideoSink(None)
            for part in (self._camera, self._sink, self._session):
                part.deleteLater()
        self._camera = self._session = self._sink = None

    def _picture(self, video_frame: Any) -> None:
        import time

        now = time.monotonic()
        if not self.running or now - self._last < 1 / FPS or not video_frame.isValid():
            return  # the camera's 25–30 a second are not all needed
        self._last = now
        image = video_frame.toImage()
        if not image.isNull():
            self.frame.emit(image)

    def _fail(self, message: str) -> None:
        self.stop()
        self.failed.emit(message)


def find_camera(devices: list[Any], name: str) -> Any:
    """The first camera whose description contains ``name`` (any case), or the default (the first) without one."""
    if not name:
        from PySide6.QtMultimedia import QMediaDevices

        default = QMediaDevices.defaultVideoInput()
        return default if not default.isNull() else (devices[0] if devices else None)
    wanted = name.casefold()
    return next((d for d in devices if wanted in d.description().casefold()), None)


def load_pictures(path: str) -> list[QImage]:
    """The pictures of a file or a folder (its picture files by name); none readable: an empty list."""
    if not path:
        return []
    where = Path(os.path.expanduser(path))
    files = sorted(p for p in where.iterdir() if p.suffix.lower() in PICTURES) if where.is_dir() else [where]
    pictures = [QImage(str(p)) for p in files]
    return [p for p in pictures if not p.isNull()]


def camera_from_text(text: str, parent: QObject | None = None) -> FrameSource | None:
    """The camera a setting names (nothing is opened before :meth:`FrameSource.start`); None for ``none``."""
    spec = parse_camera_spec(text)
    if spec.backend == "sim":
        return SimulatedCamera.from_path(spec.target, parent)
    if spec.backend in ("auto", "qt"):
        return QtCamera(spec.target, parent)
    return None


def grey_picture(image: QImage, max_side: int = MAX_SIDE) -> GreyPicture:
    """``image`` as 8-bit grey, at most ``max_side`` pixels a side, for :func:`~desktop.devices.qrscan.read_codes`."""
    from PySide6.QtCore import Qt

    if max(image.width(), image.height()) > max_side:
        image = image.scaled(max_side, max_side, Qt.AspectRatioMode.KeepAspectRatio,
                             Qt.TransformationMode.SmoothTransformation)
    grey = image.convertToFormat(QImage.Format.Format_Grayscale8)
    width, height, stride = grey.width(), grey.height(), grey.bytesPerLine()
    raw = bytes(grey.constBits())
    data = raw if stride == width else b"".join(raw[row * stride:row * stride + width] for row in range(height))
    return GreyPicture(data, width, height)


def _grey_view() -> QImage:
    image = QImage(640, 480, QImage.Format.Format_Grayscale8)
    image.fill(0x80)
    return image
