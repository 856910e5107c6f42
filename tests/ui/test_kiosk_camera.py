"""查询进度 with the kiosk's camera: the receipt held up to it opens the case; nothing else does; the camera runs
only while its view is on the screen."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton
from pytestqt.qtbot import QtBot
from sqlalchemy import select
from sqlalchemy.engine import Engine

from db.models import AttachmentRow, EventRow
from desktop.domain.events import EventType
from desktop.services.context import Actor, Hall
from desktop.services.registration import register_visit
from desktop.services.store import row_to_event
from tests.conftest import FakeClock, make_hall
from tests.devices.test_camera import photo_of, receipt_strip
from tests.helpers import form, valid_id
from ui.kiosk.body import kiosk_body
from ui.kiosk.camera import CameraView
from ui.kiosk.progress import ProgressFlow
from ui.kiosk.register import RegistrationFlow
from ui.kiosk.shell import KioskShell, widget_texts
from ui.shell.context import WorkContext

Context = Callable[..., WorkContext]


def _kiosk(qtbot: QtBot, work_context: Context, hall: Hall, size: tuple[int, int] = (1920, 1080)) -> KioskShell:
    body = kiosk_body(work_context(Actor.kiosk("K01"), "kiosk", hall=hall))
    qtbot.addWidget(body)
    body.resize(*size)
    body.show()
    qtbot.waitExposed(body)
    return body


def _photo_file(folder: Path, name: str, strip: Image.Image) -> Path:
    path = folder / name
    photo_of(strip, angle=-8, scale=0.6, seed=3).save(path)
    return path


def _open(qtbot: QtBot, body: KioskShell) -> tuple[ProgressFlow, CameraView]:
    flow = body.open_flow("progress")
    assert isinstance(flow, ProgressFlow) and flow.camera is not None
    qtbot.waitUntil(lambda: flow.camera is not None and flow.camera.running)
    return flow, flow.camera


@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920)])
def test_the_receipt_held_up_to_the_camera_opens_its_progress(
        qtbot: QtBot, work_context: Context, sqlite_engine: Engine, clock: FakeClock, clerk: Actor,
        tmp_path: Path, size: tuple[int, int]) -> None:
    photo = tmp_path / "held-up.png"
    hall = make_hall(sqlite_engine, clock, camera=f"sim:{photo}")
    result = register_visit(hall, clerk, form())
    _photo_file(tmp_path, photo.name, receipt_strip(case_number=result.case_number, query_code=result.query_code,
                                                    lookup_url=hall.settings.public_lookup_url))
    body = _kiosk(qtbot, work_context, hall, size)
    flow, camera = _open(qtbot, body)
    # the view beside the fields lying down, above them standing up; whole, and as large as promised
    view = camera.view.geometry()
    assert view.width() >= CameraView.VIEW.width() and view.height() >= CameraView.VIEW.height()
    fields = flow.number.mapTo(flow, flow.number.rect().topLeft())
    seen = camera.view.mapTo(flow, camera.view.rect().topLeft())
    assert (seen.y() < fields.y()) if size[1] > size[0] else (seen.x() < fields.x())
    qtbot.waitUntil(lambda: flow.current_page is flow.result_page, timeout=15_000)
    assert result.case_number in flow.heading.text() and flow.state.text() == "已登记"
    assert not camera.running and camera.view.pixmap().isNull()  # off, and nothing it saw kept on the screen


def test_a_code_that_is_not_a_receipt_is_said_to_be_none(qtbot: QtBot, work_context: Context,
                                                         sqlite_engine: Engine, clock: FakeClock,
                                                         tmp_path: Path) -> None:
    photo = tmp_path / "shop.png"
    hall = make_hall(sqlite_engine, clock, camera=f"sim:{photo}")
    _photo_file(tmp_path, photo.name, receipt_strip(lookup_url="https://shop.example.com"))  # another site's code
    body = _kiosk(qtbot, work_context, hall)
    flow, camera = _open(qtbot, body)
    qtbot.waitUntil(lambda: "二维码" in flow.error.text(), timeout=15_000)
    assert flow.current_page is flow.entry_page and camera.running  # still looking for the right one
    assert "不是本系统回执上的二维码" in flow.error.text()


def test_the_camera_stops_when_its_view_goes_and_leaves_nothing(qtbot: QtBot, work_context: Context,
                                                                sqlite_engine: Engine, clock: FakeClock,
                                                                tmp_path: Path) -> None:
    hall = make_hall(sqlite_engine, clock, camera=f"sim:{tmp_path / 'none-yet.png'}")  # a grey view
    body = _kiosk(qtbot, work_context, hall)
    _flow, camera = _open(qtbot, body)
    source = camera.source
    assert source is not None
    qtbot.waitUntil(lambda: not camera.view.pixmap().isNull())  # the camera's picture is shown
    body.wipe()  # walked away: the flow goes, the camera with it
    assert body.flow is None and not source.running
    assert not any("二维码对准摄像头" in text for text in widget_texts(body))


def test_without_a_camera_the_progress_page_has_no_view(qtbot: QtBot, shell: KioskShell) -> None:
    flow = shell.open_flow("progress")
    assert isinstance(flow, ProgressFlow) and flow.camera is None and not flow.findChildren(CameraView)
    assert any("对准扫描口" in text for text in widget_texts(flow))


def test_a_camera_that_is_not_there_leaves_the_scanner_and_the_fields(
        qtbot: QtBot, work_context: Context, sqlite_engine: Engine, clock: FakeClock) -> None:
    """An empty frame and a message about a camera's name would only puzzle a citizen: the view goes, the screen
    asks for the scanner or the numbers as a kiosk without a camera does, and the reason goes to the log."""
    hall = make_hall(sqlite_engine, clock, camera="qt:No Such Camera 4711")
    body = _kiosk(qtbot, work_context, hall)
    flow = body.open_flow("progress")
    assert isinstance(flow, ProgressFlow) and flow.camera is not None
    camera = flow.camera
    qtbot.waitUntil(lambda: bool(camera.problem))
    assert "No Such Camera 4711" in camera.problem and not camera.isVisible()
    texts = widget_texts(flow)
    assert "把登记回执上的二维码对准扫描口，或在下面输入案件编号和查询码" in texts
    shown = [text.text() for text in flow.findChildren(QLabel) if text.isVisible()]
    assert shown and not any("摄像头" in text or "4711" in text for text in shown)
    assert flow.number.isEnabled() and flow.submit.isEnabled()


def test_a_receipt_left_under_the_camera_is_opened_once(
        qtbot: QtBot, work_context: Context, sqlite_engine: Engine, clock: FakeClock, clerk: Actor,
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """查询其他事项 with the receipt still in view: the numbers can be typed, the same case is not opened again."""
    photo = tmp_path / "held-up.png"
    hall = make_hall(sqlite_engine, clock, camera=f"sim:{photo}")
    result = register_visit(hall, clerk, form())
    _photo_file(tmp_path, photo.name, receipt_strip(case_number=result.case_number, query_code=result.query_code,
                                                    lookup_url=hall.settings.public_lookup_url))
    monkeypatch.setattr(CameraView, "AGAIN_S", 0.0)  # each reading counts: only the flow's own rule holds it
    body = _kiosk(qtbot, work_context, hall)
    flow, camera = _open(qtbot, body)
    qtbot.waitUntil(lambda: flow.current_page is flow.result_page, timeout=15_000)
    flow.again_button.click()
    assert flow.current_page is flow.entry_page
    qtbot.waitUntil(lambda: camera.running)
    seen = camera.source
    assert seen is not None
    shown = getattr(seen, "shown", 0)
    qtbot.waitUntil(lambda: getattr(seen, "shown", 0) >= shown + 6, timeout=15_000)  # a second of pictures
    qtbot.waitUntil(lambda: not camera.reading, timeout=15_000)
    assert flow.current_page is flow.entry_page and flow.number.text() == ""


def _to_materials(qtbot: QtBot, flow: RegistrationFlow, id_number: str) -> None:
    """The registration's first four screens filled in as a citizen would, up to 材料."""
    flow.name.setText("赵春花")
    flow.id_number.setText(id_number)
    flow.forward()
    qtbot.waitUntil(lambda: len(flow.where_buttons) > 1)
    next(iter(flow.where_buttons.values())).click()
    flow.forward()
    flow.request.setPlainText("村口道路塌陷半年无人修，请求尽快修复")
    flow.forward()
    flow.forward()
    assert flow.step == 4


@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920)])
def test_materials_photographed_at_the_kiosk_go_with_the_registration(
        qtbot: QtBot, work_context: Context, sqlite_engine: Engine, clock: FakeClock, tmp_path: Path,
        size: tuple[int, int]) -> None:
    letter = tmp_path / "letter.png"
    strip = receipt_strip()  # any paper: a printed page
    photo_of(strip, angle=2, scale=0.9, seed=5, size=(1280, 720)).save(letter)
    hall = make_hall(sqlite_engine, clock, camera=f"sim:{letter}", printer_receipts=f"pdf:{tmp_path}")
    body = _kiosk(qtbot, work_context, hall, size)
    flow = body.open_flow("register")
    assert isinstance(flow, RegistrationFlow) and flow.photos is not None
    _to_materials(qtbot, flow, valid_id(seq=77))
    photos = flow.photos
    qtbot.waitUntil(lambda: photos.camera.snapshot() is not None)
    for _ in range(3):
        qtbot.mouseClick(photos.take_button, Qt.MouseButton.LeftButton)
    assert len(photos.photos) == 3 and "已拍3张" in photos.count.text()
    remove = next(b for b in photos.findChildren(QPushButton) if b.text() == "删除第2张")
    qtbot.mouseClick(remove, Qt.MouseButton.LeftButton)
    assert len(photos.photos) == 2
    kept = list(photos.photos)
    assert all(data.startswith(b"\xff\xd8") for data in kept)  # JPEG
    flow.forward()
    assert flow.step == 5 and "材料：2张照片" in flow.review.text()
    assert not photos.camera.running  # off once its screen is left
    flow.forward()
    flow.agree.setChecked(True)
    with qtbot.waitSignal(flow.registered, timeout=15_000):
        flow.forward()
    assert flow.result is not None
    with hall.transaction() as session:
        row = session.scalars(select(EventRow).where(EventRow.case_id == flow.result.case_id,
                                                     EventRow.type == EventType.REGISTERED.value)).one()
        attached = row_to_event(row).payload["attachments"]
        stored = {a.sha256: a.data for a in session.scalars(select(AttachmentRow))}
    assert [a["name"] for a in attached] == ["材料照片1.jpg", "材料照片2.jpg"]
    assert [a["mime"] for a in attached] == ["image/jpeg", "image/jpeg"]
    assert [stored[a["sha256"]] for a in attached] == kept


def test_photos_not_submitted_leave_nothing_behind(qtbot: QtBot, work_context: Context, sqlite_engine: Engine,
                                                   clock: FakeClock, tmp_path: Path) -> None:
    hall = make_hall(sqlite_engine, clock, camera=f"sim:{tmp_path / 'grey.png'}")
    body = _kiosk(qtbot, work_context, hall)
    flow = body.open_flow("register")
    assert isinstance(flow, RegistrationFlow) and flow.photos is not None
    _to_materials(qtbot, flow, valid_id(seq=78))
    photos = flow.photos
    qtbot.waitUntil(lambda: photos.camera.snapshot() is not None)
    qtbot.mouseClick(photos.take_button, Qt.MouseButton.LeftButton)
    assert len(photos.photos) == 1
    body.wipe()  # walked away before submitting
    with hall.transaction() as session:
        assert session.scalars(select(AttachmentRow)).first() is None
    assert body.flow is None


def test_at_most_ten_photos_then_the_counter(qtbot: QtBot, work_context: Context, sqlite_engine: Engine,
                                             clock: FakeClock, tmp_path: Path) -> None:
    hall = make_hall(sqlite_engine, clock, camera=f"sim:{tmp_path / 'grey.png'}")
    body = _kiosk(qtbot, work_context, hall)
    flow = body.open_flow("register")
    assert isinstance(flow, RegistrationFlow) and flow.photos is not None
    _to_materials(qtbot, flow, valid_id(seq=79))
    photos = flow.photos
    qtbot.waitUntil(lambda: photos.camera.snapshot() is not None)
    for _ in range(photos.MOST):
        photos.take()
    assert len(photos.photos) == photos.MOST and not photos.take_button.isEnabled()
    assert "其余请交给接待窗口" in photos.count.text()
    photos.take()
    assert len(photos.photos) == photos.MOST


def test_a_code_held_up_during_the_countdown_is_continue(qtbot: QtBot, work_context: Context,
                                                         sqlite_engine: Engine, clock: FakeClock, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """Holding a paper up to the camera is the citizen at the screen, as a card laid on the reader is."""
    photo = tmp_path / "shop.png"
    hall = make_hall(sqlite_engine, clock, camera=f"sim:{photo}")
    _photo_file(tmp_path, photo.name, receipt_strip(lookup_url="https://shop.example.com"))
    monkeypatch.setattr(CameraView, "AGAIN_S", 0.0)  # each reading of the code counts (a second look, later)
    body = _kiosk(qtbot, work_context, hall)
    flow, camera = _open(qtbot, body)
    qtbot.waitUntil(lambda: "二维码" in flow.error.text(), timeout=15_000)
    body.countdown_timer.setInterval(60_000)  # the countdown stays up until something ends it
    body.start_countdown()
    body.idle.stop()  # the countdown is the test's: no new one while it runs
    assert body.overlay.isVisible()
    qtbot.waitUntil(lambda: not body.overlay.isVisible(), timeout=15_000)
    assert body.flow is flow and camera.running and body.idle.running


def test_without_a_working_camera_the_materials_screen_says_to_bring_them_to_the_counter(
        qtbot: QtBot, work_context: Context, sqlite_engine: Engine, clock: FakeClock) -> None:
    hall = make_hall(sqlite_engine, clock, camera="qt:No Such Camera 4711")
    body = _kiosk(qtbot, work_context, hall)
    flow = body.open_flow("register")
    assert isinstance(flow, RegistrationFlow) and flow.photos is not None
    _to_materials(qtbot, flow, valid_id(seq=80))
    photos = flow.photos
    qtbot.waitUntil(lambda: bool(photos.camera.problem))
    assert not photos.take_button.isVisible() and not photos.camera.isVisible()
    assert "摄像头现在不能使用" in photos.intro.text() and "交给接待窗口" in photos.intro.text()
    assert "4711" not in " ".join(widget_texts(flow))
    flow.forward()
    assert flow.step == 5 and "材料：（未拍，可到窗口提交）" in flow.review.text()
