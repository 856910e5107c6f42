"""The kiosk's camera: its setting, the pictures it hands on, and the receipt's QR code read in a photo of it."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageEnhance, ImageFilter
from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from desktop import doctor
from desktop.config import load_settings
from desktop.devices.camera import SimulatedCamera, camera_from_text, grey_picture, load_pictures
from desktop.devices.camera_spec import CameraSpec, CameraSpecError, parse_camera_spec
from desktop.devices.qrscan import MAX_SIDE, GreyPicture, read_codes
from desktop.documents.model import DocumentKind
from desktop.documents.render import render
from desktop.domain.qrpayload import parse_payload
from desktop.printing.raster import receipt_image
from desktop.selftest import SAMPLE_CASE, SAMPLE_CODE, SAMPLE_RECEIPT
from tests.conftest import make_settings


@pytest.mark.parametrize(("text", "spec"), [
    ("", CameraSpec("none")), ("none", CameraSpec("none")), (" AUTO ", CameraSpec("auto")),
    ("qt:USB Camera", CameraSpec("qt", "USB Camera")), ("sim:", CameraSpec("sim")),
    ("sim:/srv/receipts", CameraSpec("sim", "/srv/receipts")),
])
def test_a_camera_setting_is_read(text: str, spec: CameraSpec) -> None:
    assert parse_camera_spec(text) == spec
    assert spec.present == (spec.backend != "none")


@pytest.mark.parametrize("text", ["webcam", "auto:1", "none:x", "qt:", "qt:  ", "v4l2:/dev/video0"])
def test_a_wrong_camera_setting_is_refused_in_words(text: str) -> None:
    with pytest.raises(CameraSpecError) as refused:
        parse_camera_spec(text)
    assert "摄像头设置" in refused.value.message


def test_the_settings_keep_a_camera_and_default_to_none(monkeypatch: pytest.MonkeyPatch) -> None:
    assert load_settings().camera == "none"
    monkeypatch.setenv("PH_CAMERA", "qt:USB")
    assert load_settings().camera == "qt:USB"  # a wrong one is refused with the others (tests/test_config.py)


def receipt_strip(**fields: object) -> Image.Image:
    """The registration receipt (the sample's, ``fields`` changed) as the kiosk's printer prints it (203 dpi, black
    and white)."""
    return receipt_image(render(DocumentKind.REGISTRATION_RECEIPT, {**SAMPLE_RECEIPT, **fields}).pdf).convert("L")


def photo_of(strip: Image.Image, *, angle: float, scale: float, seed: int, size: tuple[int, int] = (1920, 1080),
           dark: bool = False) -> Image.Image:
    """The receipt held up to a camera: on a cluttered background, turned, smaller, soft, dim, with noise."""
    rng = random.Random(seed)
    background = Image.new("L", size, 60 if dark else 150)
    draw = ImageDraw.Draw(background)
    for _ in range(40):  # things behind the paper: a hand, a coat, the hall
        x, y = rng.randrange(size[0]), rng.randrange(size[1])
        draw.rectangle((x, y, x + rng.randrange(40, 300), y + rng.randrange(40, 300)), fill=rng.randrange(256))
    paper = strip.resize((round(strip.width * scale), round(strip.height * scale)), Image.Resampling.BILINEAR)
    paper = paper.rotate(angle, expand=True, fillcolor=255)
    mask = Image.new("L", strip.size, 255).resize(paper.size if angle == 0 else
                                                  (round(strip.width * scale), round(strip.height * scale)))
    mask = mask.rotate(angle, expand=True, fillcolor=0)
    # the paper's middle (where the code is printed) in the picture's middle
    background.paste(paper, ((size[0] - paper.width) // 2, (size[1] - paper.height) // 2), mask)
    photo = background.filter(ImageFilter.GaussianBlur(1.2))
    photo = ImageEnhance.Contrast(photo).enhance(0.6)
    noise = Image.effect_noise(size, 18)
    return Image.blend(photo, noise, 0.12)


def _qimage(image: Image.Image) -> QImage:
    rgb = image.convert("RGB")
    data = rgb.tobytes()
    return QImage(data, rgb.width, rgb.height, 3 * rgb.width, QImage.Format.Format_RGB888).copy()


@pytest.mark.parametrize(("angle", "scale", "dark"), [(0, 0.7, False), (7, 0.6, False), (-15, 0.8, True),
                                                      (90, 0.5, False), (178, 0.65, False)])
def test_the_receipts_code_is_read_in_a_photo_of_it(qapp: object, angle: float, scale: float, dark: bool) -> None:
    strip = receipt_strip()
    photo = photo_of(strip, angle=angle, scale=scale, seed=int(angle * 10), dark=dark)
    picture = grey_picture(_qimage(photo))
    assert max(picture.width, picture.height) <= MAX_SIDE  # made smaller before it is read
    codes = read_codes(picture)
    assert len(codes) == 1
    assert parse_payload(codes[0]) == (SAMPLE_CASE, SAMPLE_CODE)


def test_a_picture_without_a_code_reads_nothing(qapp: object) -> None:
    strip = receipt_strip()
    top = strip.crop((0, 0, strip.width, strip.height // 5))  # the hall's name and the title: no code there
    assert read_codes(grey_picture(_qimage(photo_of(top, angle=3, scale=0.8, seed=1)))) == []
    assert read_codes(GreyPicture(bytes(64 * 48), 64, 48)) == []


def test_a_grey_picture_keeps_its_pixels_row_by_row(qapp: object) -> None:
    image = QImage(3, 2, QImage.Format.Format_Grayscale8)  # rows padded to 4 bytes in the QImage
    for y in range(2):
        for x in range(3):
            image.setPixel(x, y, 0)
    image.fill(0)
    image.setPixelColor(2, 1, "white")
    picture = grey_picture(image)
    assert (picture.width, picture.height) == (3, 2) and picture.data == bytes([0, 0, 0, 0, 0, 255])
    with pytest.raises(ValueError):
        GreyPicture(b"\0" * 5, 3, 2)


def test_a_simulated_camera_shows_its_pictures_in_turn_until_stopped(qtbot: QtBot, tmp_path: Path) -> None:
    for name, shade in (("b.png", 200), ("a.png", 100), ("notes.txt", 0)):
        if name.endswith(".png"):
            Image.new("L", (32, 24), shade).save(tmp_path / name)
        else:
            (tmp_path / name).write_text("not a picture")
    camera = camera_from_text(f"sim:{tmp_path}")
    assert isinstance(camera, SimulatedCamera) and len(camera.pictures) == 2
    seen: list[int] = []
    camera.frame.connect(lambda image: seen.append(image.pixelColor(0, 0).red()))
    camera.start()
    qtbot.waitUntil(lambda: len(seen) >= 3)
    assert seen[:3] == [100, 200, 100]  # by file name, then again
    camera.stop()
    count = len(seen)
    qtbot.wait(3 * camera.timer.interval())
    assert len(seen) == count and not camera.running


def test_no_camera_is_made_for_none_and_a_missing_folder_gives_a_grey_view(qtbot: QtBot, tmp_path: Path) -> None:
    assert camera_from_text("none") is None
    assert load_pictures(str(tmp_path / "missing.png")) == []
    camera = camera_from_text(f"sim:{tmp_path / 'missing.png'}")
    assert isinstance(camera, SimulatedCamera) and len(camera.pictures) == 1
    with qtbot.waitSignal(camera.frame) as shown:
        camera.start()
    assert shown.args[0].width() > 0
    camera.stop()


def test_doctor_says_which_camera_the_setting_finds(qapp: object, tmp_path: Path) -> None:
    assert doctor._camera_check(make_settings()).status == doctor.OK  # none: nothing to check
    Image.new("L", (8, 8)).save(tmp_path / "a.png")
    Image.new("L", (8, 8)).save(tmp_path / "b.jpg")
    shown = doctor._camera_check(make_settings(camera=f"sim:{tmp_path}"))
    assert shown.status == doctor.OK and "2 张图片" in shown.detail
    empty = doctor._camera_check(make_settings(camera=f"sim:{tmp_path / 'nothing'}"))
    assert empty.status == doctor.WARN and "没有找到图片" in empty.detail
    missing = doctor._camera_check(make_settings(camera="qt:No Such Camera 4711"))  # this machine has none
    assert missing.status == doctor.FAIL and "没有找到名称含“No Such Camera 4711”的摄像头" in missing.detail
    assert "本机的摄像头：" in missing.detail and missing.fix
