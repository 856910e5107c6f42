"""The camera setting as text: ``none``, ``auto``, ``qt:NAME`` or ``sim:PATH`` (see ``desktop.devices.camera``).

Parsed here without touching a camera, a file or Qt, so that the settings and ``doctor`` can
check a value before the first window is painted.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

from desktop.devices.spec import DeviceSettingError

Backend = Literal["none", "auto", "qt", "sim"]
BACKENDS: Final[tuple[Backend, ...]] = ("none", "auto", "qt", "sim")
SPEC_HELP: Final = ("应为以下之一：none（不使用摄像头）、auto（本机默认摄像头）、qt:名称（名称中含有这些字的摄像头，"
                    "见 doctor 列出的名称）、sim:图片文件或文件夹（模拟摄像头：演示、培训）")


class CameraSpecError(DeviceSettingError):
    """A camera setting that cannot be understood; the message says what is expected."""


@dataclass(frozen=True)
class CameraSpec:
    backend: Backend
    target: str = ""

    @property
    def present(self) -> bool:
        return self.backend != "none"


def parse_camera_spec(text: str) -> CameraSpec:
    """The setting's text, checked without touching a camera or a file (``none`` when empty)."""
    value = text.strip()
    if not value:
        return CameraSpec("none")
    backend, colon, target = value.partition(":")
    backend = backend.strip().lower()
    if backend not in BACKENDS:
        raise CameraSpecError(f"摄像头设置“{value}”无法识别，{SPEC_HELP}")
    if backend in ("none", "auto") and (colon or target):
        raise CameraSpecError(f"摄像头设置“{value}”无法识别：{backend} 后面不能再写内容；{SPEC_HELP}")
    if backend == "qt" and not target.strip():
        raise CameraSpecError(f"摄像头设置“{value}”缺少摄像头名称；{SPEC_HELP}")
    return CameraSpec(backend, target.strip())
