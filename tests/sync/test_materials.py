"""Materials (attachment files) travel with their cases: up to the server once, down to who may see them.

Through the real HTTP API on a socket; the server on PostgreSQL, devices on encrypted SQLite.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterator
from dataclasses import replace

import httpx
import pytest
from sqlalchemy import func, select

from db.models import AttachmentCaseRow, AttachmentRow
from desktop.domain.errors import ValidationError
from desktop.domain.events import EventType
from desktop.services import attachments
from desktop.services.context import Actor, Hall
from desktop.services.registration import register_visit
from desktop.services.self_service import erase_acknowledged_registrations
from desktop.sync.client import SyncClient, sync_status
from desktop.sync.materials import open_material
from desktop.sync.transport import HttpTransport
from server.protocol import NOT_UPLOADED_YET, AttachmentStored, SyncProblem
from server.store import enrol_device
from tests.helpers import form
from tests.sync.conftest import DeviceFactory, events_of, serving

pytestmark = pytest.mark.postgres

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40
KIOSK = Actor.kiosk("K09")


@pytest.fixture
def url(server_hall: Hall) -> Iterator[str]:
    with serving(server_hall) as base:
        yield base


class Counted(HttpTransport):
    """The HTTP transport, counting the requests that concern materials."""

    def __init__(self, url: str, token: str) -> None:
        self.requests: list[str] = []
        client = httpx.Client(base_url=url, timeout=60, event_hooks={"request": [self._seen]})
        super().__init__(url, token, client=client)

    def _seen(self, request: httpx.Request) -> None:
        if "/sync/attachments" in request.url.path:
            self.requests.append(f"{request.method} {request.url.path}")


def _sync(hall: Hall, url: str, token: str) -> Counted:
    with Counted(url, token) as transport:
        SyncClient(hall, transport).sync_once()
    return transport


def _held_on(hall: Hall) -> set[str]:
    with hall.sessions() as session:
        return set(session.scalars(select(AttachmentRow.sha256)))


def _register_with(hall: Hall, actor: Actor, name: str, data: bytes) -> str:
    ref = attachments.store_bytes(hall, actor, name, data)
    register_visit(hall, actor, form(attachments=(ref.as_payload(),)))
    return ref.sha256


def test_a_material_added_on_one_device_opens_on_another(server_hall: Hall, url: str, device_hall: DeviceFactory,
                                                         clerk: Actor) -> None:
    a, b = device_hall("a"), device_hall("b")
    sha = _register_with(a, clerk, "来信.png", PNG)
    token_b = enrol_device(server_hall, "devb", "counter")
    _sync(a, url, enrol_device(server_hall, "deva", "counter"))
    _sync(b, url, token_b)
    with pytest.raises(ValidationError, match="本机没有这份材料"):
        attachments.attachment_data(b, clerk, sha)  # the case came down; the file waits on the server
    assert open_material(b, clerk, sha, lambda: HttpTransport(url, token_b)) == PNG
    assert attachments.attachment_data(b, clerk, sha) == PNG  # kept here: opens again without the network
    with server_hall.sessions() as session:
        kept = session.execute(select(AttachmentRow.size, AttachmentRow.data).where(AttachmentRow.sha256 == sha)).one()
    assert kept.size == len(PNG)
    assert kept.data.startswith(b"v1.") and PNG[64:2000] not in kept.data  # sealed at rest on the central server


def test_each_file_goes_up_once(server_hall: Hall, url: str, device_hall: DeviceFactory, clerk: Actor) -> None:
    a = device_hall("a")
    token = enrol_device(server_hall, "deva", "counter")
    sha = _register_with(a, clerk, "来信.png", PNG)
    draft = attachments.store_bytes(a, clerk, "尚未登记.txt", "还没有登记的材料".encode()).sha256
    first = _sync(a, url, token)
    assert first.requests == ["POST /sync/attachments/status", f"PUT /sync/attachments/{sha}"]
    assert _held_on(server_hall) == {sha}  # the form not yet saved: its file stays here
    register_visit(a, clerk, form(name="李梅", attachments=(attachments.store_bytes(a, clerk, "又一份.png", PNG)
                                                            .as_payload(),)))  # the same file, another case
    second = _sync(a, url, token)
    assert second.requests == ["POST /sync/attachments/status"]  # asks about the draft's file only; sends nothing
    with HttpTransport(url, token) as transport, pytest.raises(SyncProblem, match="没有本机可以查看的事项列有"):
        transport.upload_attachment(draft, "还没有登记的材料".encode(), "text/plain")  # nothing names it yet
    with server_hall.sessions() as session:
        assert session.scalar(select(func.count()).select_from(AttachmentRow)) == 1
        assert set(session.scalars(select(AttachmentCaseRow.sha256))) == {sha}


def test_a_file_that_does_not_match_its_hash_is_refused(server_hall: Hall, url: str, device_hall: DeviceFactory,
                                                        clerk: Actor) -> None:
    a = device_hall("a")
    token = enrol_device(server_hall, "deva", "counter")
    ref = attachments.store_bytes(a, clerk, "来信.png", PNG)
    register_visit(a, clerk, form(attachments=(ref.as_payload(),)))
    with HttpTransport(url, token) as transport:
        SyncClient(a, transport).push_outbox()  # the events only
        with pytest.raises(SyncProblem, match="与其校验值不符"):
            transport.upload_attachment(ref.sha256, PNG[:-1] + b"\x01", "image/png")
    assert _held_on(server_hall) == set()
    with httpx.Client(base_url=url) as raw:
        unauthorised = raw.put(f"/sync/attachments/{ref.sha256}", content=PNG)
        too_large = raw.put(f"/sync/attachments/{ref.sha256}", content=b"x" * (attachments.MAX_BYTES + 1),
                            headers={"Authorization": f"Bearer {token}"})
    assert unauthorised.status_code == 401 and too_large.status_code == 413
    assert "材料过大" in too_large.json()["detail"] and _held_on(server_hall) == set()
    with HttpTransport(url, token) as transport:
        assert transport.upload_attachment(ref.sha256, PNG, "image/png") == AttachmentStored(sha256=ref.sha256,
                                                                                            stored=True)
        assert transport.upload_attachment(ref.sha256, PNG, "image/png").stored is False  # idempotent


def test_a_kiosk_or_a_display_never_downloads_a_material(server_hall: Hall, url: str, device_hall: DeviceFactory,
                                                         clerk: Actor) -> None:
    a = device_hall("a")
    sha = _register_with(a, clerk, "来信.png", PNG)
    _sync(a, url, enrol_device(server_hall, "deva", "counter"))
    assert _held_on(server_hall) == {sha}
    kiosk = enrol_device(server_hall, "devk", "kiosk", device_code="K09")
    display = enrol_device(server_hall, "devd", "display")
    for token in (kiosk, display):
        with HttpTransport(url, token) as transport, pytest.raises(SyncProblem, match="不能下载信访材料"):
            transport.download_attachment(sha)
    with HttpTransport(url, kiosk) as transport:
        assert transport.attachment_status([sha]).held == []  # not its registration: not even said to be held
        with pytest.raises(SyncProblem, match="没有本机可以查看的事项列有"):
            transport.upload_attachment(sha, PNG, "image/png")
    with HttpTransport(url, display) as transport, pytest.raises(SyncProblem, match="不上传信访材料"):
        transport.attachment_status([sha])
    counter = enrol_device(server_hall, "devc", "counter")
    with HttpTransport(url, counter) as transport:
        assert transport.download_attachment(sha)[0] == PNG
        with pytest.raises(SyncProblem, match="没有本机可以查看"):
            transport.download_attachment(hashlib.sha256(b"other").hexdigest())


def test_a_file_still_on_the_registering_pc_is_said_in_words_and_comes_later(
        server_hall: Hall, url: str, device_hall: DeviceFactory, clerk: Actor) -> None:
    a, b = device_hall("a"), device_hall("b")
    token_a = enrol_device(server_hall, "deva", "counter")
    token_b = enrol_device(server_hall, "devb", "counter")
    sha = _register_with(a, clerk, "来信.png", PNG)

    class CutOff(HttpTransport):
        def upload_attachment(self, sha256: str, data: bytes, mime: str) -> AttachmentStored:
            raise SyncProblem("offline", "网络未连接：上传中断")

    with CutOff(url, token_a) as transport, pytest.raises(SyncProblem, match="上传中断"):
        SyncClient(a, transport).sync_once()  # the events went up, the file did not
    _sync(b, url, token_b)
    with pytest.raises(ValidationError) as refused:
        open_material(b, clerk, sha, lambda: HttpTransport(url, token_b))
    assert refused.value.message == NOT_UPLOADED_YET and "尚未上传到服务器" in refused.value.message
    assert _held_on(b) == set() and _held_on(server_hall) == set()  # nothing half kept
    assert _sync(a, url, token_a).requests[-1] == f"PUT /sync/attachments/{sha}"  # the next round sends it
    assert open_material(b, clerk, sha, lambda: HttpTransport(url, token_b)) == PNG


def test_a_file_the_server_fails_to_keep_holds_back_neither_the_others_nor_the_pull(
        server_hall: Hall, url: str, device_hall: DeviceFactory, clerk: Actor) -> None:
    a, b = device_hall("a"), device_hall("b")
    token_a = enrol_device(server_hall, "deva", "counter")
    token_b = enrol_device(server_hall, "devb", "counter")
    photo = _register_with(a, clerk, "照片.png", PNG)
    letter = _register_with(a, clerk, "来信.txt", "来信内容".encode())
    register_visit(b, clerk, form(name="李梅"))
    _sync(b, url, token_b)

    class FailsOnPhoto(HttpTransport):
        def upload_attachment(self, sha256: str, data: bytes, mime: str) -> AttachmentStored:
            if sha256 == photo:
                raise SyncProblem("server_error", "服务器出错：磁盘已满（代码 500）")
            return super().upload_attachment(sha256, data, mime)

    with FailsOnPhoto(url, token_a) as transport, pytest.raises(SyncProblem) as said:
        SyncClient(a, transport).sync_once()
    assert said.value.message.startswith("有 1 份材料未能上传到服务器，下次同步时会重试：")
    assert "磁盘已满" in said.value.message
    assert _held_on(server_hall) == {letter}
    assert {e.device_id for e in events_of(a)} == {"deva", "devb"}  # the pull went on
    assert "磁盘已满" in sync_status(a).last_error
    _sync(a, url, token_a)
    assert _held_on(server_hall) == {photo, letter} and sync_status(a).last_error == ""


def test_a_device_without_a_server_says_so(device_hall: DeviceFactory, clerk: Actor) -> None:
    b = device_hall("b")
    with pytest.raises(ValidationError, match="没有设置同步服务器"):
        open_material(b, clerk, hashlib.sha256(PNG).hexdigest())


def test_a_kiosk_erasing_its_registrations_drops_their_files_once_the_server_has_them(
        server_hall: Hall, url: str, device_hall: DeviceFactory) -> None:
    kiosk = device_hall("k", "K09")
    kiosk.settings = replace(kiosk.settings, kiosk_erase_after_sync=True)
    token = enrol_device(server_hall, kiosk.settings.device_id, "kiosk", device_code="K09")
    sha = _register_with(kiosk, KIOSK, "来信.png", PNG)
    kept = attachments.store_bytes(kiosk, KIOSK, "正在填写.txt", "正在填写的表格".encode()).sha256

    class CutOff(HttpTransport):
        def upload_attachment(self, sha256: str, data: bytes, mime: str) -> AttachmentStored:
            raise SyncProblem("offline", "网络未连接：上传中断")

    with CutOff(url, token) as transport, pytest.raises(SyncProblem):
        SyncClient(kiosk, transport).sync_once()
    assert erase_acknowledged_registrations(kiosk, KIOSK) == 1
    assert _held_on(kiosk) == {sha, kept}  # the server lacks it: kept until it went up
    _sync(kiosk, url, token)
    assert erase_acknowledged_registrations(kiosk, KIOSK) == 0  # nothing left to mask …
    assert _held_on(kiosk) == {kept}  # … and the file went with it; a form in progress keeps its own
    assert _held_on(server_hall) == {sha}


def test_a_five_megabyte_file_goes_up_and_comes_down(server_hall: Hall, url: str, device_hall: DeviceFactory,
                                                     clerk: Actor, capsys: pytest.CaptureFixture[str]) -> None:
    a, b = device_hall("a"), device_hall("b")
    big = b"%PDF-1.4\n" + hashlib.sha256(b"seed").digest() * (5 * 1024 * 1024 // 32)
    sha = _register_with(a, clerk, "扫描件.pdf", big)
    token_b = enrol_device(server_hall, "devb", "counter")
    with Counted(url, enrol_device(server_hall, "deva", "counter")) as transport:
        client = SyncClient(a, transport)
        client.push_outbox()
        started = time.perf_counter()
        report_pushed = client.sync_once().materials_pushed
        up = time.perf_counter() - started
    _sync(b, url, token_b)
    started = time.perf_counter()
    assert open_material(b, clerk, sha, lambda: HttpTransport(url, token_b)) == big
    down = time.perf_counter() - started
    assert report_pushed == 1
    with capsys.disabled():
        print(f"\n5 MB material: sync round with upload {up:.2f} s, download and keep {down:.2f} s")


def test_a_hall_server_passes_its_devices_files_on_to_the_centre(
        server_hall: Hall, url: str, device_hall: DeviceFactory, clerk: Actor) -> None:
    from server.local import LocalTransport
    from server.store import SyncServer
    from server.upstream import Upstream
    from tests.sync.conftest import device_of

    hall_server, in_hall, elsewhere = device_hall("hallsrv", code="H01"), device_hall("a"), device_hall("o")
    upstream = Upstream(hall_server, url, enrol_device(server_hall, hall_server.settings.device_id, "hall"))
    upstream.sync_once()  # the accounts come down first
    sha = _register_with(in_hall, clerk, "来信.png", PNG)
    SyncClient(in_hall, LocalTransport(SyncServer(hall_server), device_of(in_hall))).sync_once()
    assert _held_on(hall_server) == {sha} and _held_on(server_hall) == set()
    assert upstream.sync_once().materials_pushed == 1  # the events, then the file
    assert upstream.sync_once().materials_pushed == 0
    token = enrol_device(server_hall, "devo", "counter")
    _sync(elsewhere, url, token)
    assert open_material(elsewhere, clerk, sha, lambda: HttpTransport(url, token)) == PNG


def test_a_hall_server_fetches_from_the_centre_a_file_another_hall_sent(
        server_hall: Hall, url: str, device_hall: DeviceFactory, clerk: Actor) -> None:
    from server.app import create_app
    from server.app import serving as serve_app
    from server.store import SyncServer
    from server.upstream import Upstream

    hall_server, in_hall, elsewhere = device_hall("hallsrv", code="H01"), device_hall("a"), device_hall("o")
    hall_token = enrol_device(server_hall, hall_server.settings.device_id, "hall")
    upstream = Upstream(hall_server, url, hall_token)
    upstream.sync_once()
    sha = _register_with(elsewhere, clerk, "来信.png", PNG)
    _sync(elsewhere, url, enrol_device(server_hall, "devo", "counter"))  # another hall, straight to the centre
    upstream.sync_once()  # the case comes down to the hall server; the file stays at the centre
    device_token = enrol_device(hall_server, in_hall.settings.device_id, "counter")
    app = create_app(hall_server, server=SyncServer(hall_server),
                     upstream=lambda: HttpTransport(url, hall_token))
    with serve_app(app) as hall_url:
        _sync(in_hall, hall_url, device_token)
        assert _held_on(hall_server) == set()
        assert open_material(in_hall, clerk, sha, lambda: HttpTransport(hall_url, device_token)) == PNG
    assert _held_on(hall_server) == {sha}  # kept at the hall: the next counter's open stays in the hall
    assert upstream.sync_once().materials_pushed == 0  # and never sent back up


def test_a_unit_never_receives_the_material_of_an_accusation_against_it(
        server_hall: Hall, url: str, device_hall: DeviceFactory, clerk: Actor, supervisor: Actor) -> None:
    from desktop.services import cases

    a = device_hall("a")
    sha = _register_with(a, clerk, "举报材料.png", PNG)
    with a.sessions() as session:
        case_id = session.scalar(select(AttachmentCaseRow.case_id))
    assert case_id is not None
    cases.classify(a, supervisor, case_id, nature="检举控告类", topic_code="1202", accused_org_codes=["330726-ZF"])
    _sync(a, url, enrol_device(server_hall, "deva", "counter"))
    unit = enrol_device(server_hall, "devz", "counter", "330726-ZJJ")  # a unit under the accused government
    with HttpTransport(url, unit) as transport, pytest.raises(SyncProblem, match="没有本机可以查看"):
        transport.download_attachment(sha)
    with HttpTransport(url, enrol_device(server_hall, "devc", "counter")) as transport:
        assert transport.download_attachment(sha)[0] == PNG


@pytest.mark.parametrize(("item", "where", "words"), [
    ({"sha256": "F" * 64, "name": "a.png", "size": 1, "mime": "image/png"}, "attachments[0].sha256", "SHA-256"),
    ({"sha256": "a" * 64, "name": "a.png", "size": 21 * 1024 * 1024, "mime": "image/png"}, "attachments[0].size",
     "之间"),
    ({"sha256": "a" * 64, "name": "a\x00.png", "size": 1, "mime": "image/png"}, "attachments[0].name", "不可见字符"),
    ({"sha256": "a" * 64, "path": "/etc/passwd"}, "attachments[0].path", "不是材料的已知字段"),
    ("short", "attachments[0]", "SHA-256"),
])
def test_the_server_checks_what_an_event_says_of_its_files(item: object, where: str, words: str,
                                                           sqlite_hall: Hall, clerk: Actor) -> None:
    from server.validation import Refused, check_payload
    from tests.sync.conftest import events_of

    register_visit(sqlite_hall, clerk, form())
    registration = dict(events_of(sqlite_hall)[0].payload)
    check_payload(EventType.REGISTERED, {**registration, "attachments": [
        {"sha256": "a" * 64, "name": "来信.png", "size": 100, "mime": "image/png"}]})
    check_payload(EventType.MATERIAL_ADDED, {"attachments": ["a" * 64]})
    with pytest.raises(Refused) as refused:
        check_payload(EventType.REGISTERED, {**registration, "attachments": [item]})
    assert refused.value.where == f"payload.{where}" and words in refused.value.message
    with pytest.raises(Refused, match="材料过多"):
        check_payload(EventType.REGISTERED, {**registration, "attachments": ["a" * 64] * 21})
