"""The HTTP API: device tokens, refusals of bad input in Chinese with nothing stored, a real socket."""

from __future__ import annotations

import io
import json
import re
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from db.models import EventRow, SyncDeviceRow
from desktop.services.context import Actor, Hall
from desktop.services.store import projection_snapshot
from desktop.sync.client import SyncClient
from desktop.sync.transport import HttpTransport
from server.protocol import (
    MAX_BODY_BYTES,
    MAX_PULL_LIMIT,
    MAX_PUSH_EVENTS,
    PushResponse,
    SyncProblem,
    WireEvent,
)
from server.store import Device, SyncServer, enrol_device
from tests.helpers import form, valid_id
from tests.sync.conftest import DeviceFactory, count_events, events_of, free_port, register_cases, serving

pytestmark = pytest.mark.postgres


@pytest.fixture
def api(server_hall: Hall) -> Iterator[httpx.Client]:
    """The API over a real socket (the server thread serves the requests exactly as in production)."""
    with serving(server_hall) as url, httpx.Client(base_url=url) as client:
        yield client


@pytest.fixture
def token(server_hall: Hall) -> str:
    return enrol_device(server_hall, "deva", "counter")


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _chunks(size: int) -> Iterator[bytes]:
    """A body sent chunked, with no Content-Length to refuse it by."""
    for start in range(0, size, 1 << 20):
        yield b" " * min(1 << 20, size - start)


def _is_chinese(text: str) -> bool:
    return any("\u4e00" <= c <= "\u9fff" for c in text)


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong"}, {"Authorization": "Basic eDp5"},
                                     {"Authorization": "Bearer"}])
def test_a_missing_or_wrong_token_is_401_in_chinese(api: httpx.Client, token: str, headers: dict[str, str]) -> None:
    for response in (api.get("/sync/pull", headers=headers),
                     api.post("/sync/push", headers=headers, json={"events": []})):
        assert response.status_code == 401
        assert response.headers["www-authenticate"] == "Bearer"
        assert "设备未注册" in response.json()["detail"] and response.json()["kind"] == "unauthorised"


def test_re_enrolment_replaces_the_token_and_only_its_hash_is_stored(api: httpx.Client, server_hall: Hall,
                                                                     token: str) -> None:
    assert api.get("/sync/pull", headers=_auth(token)).status_code == 200
    newer = enrol_device(server_hall, "deva", "counter")
    assert api.get("/sync/pull", headers=_auth(token)).status_code == 401
    assert api.get("/sync/pull", headers=_auth(newer)).status_code == 200
    with server_hall.sessions() as session:
        stored = session.scalars(select(SyncDeviceRow)).all()
    assert len(stored) == 1 and newer not in stored[0].token_hash and len(stored[0].token_hash) == 64
    with pytest.raises(ValueError, match="设备角色"):
        enrol_device(server_hall, "devb", "boss")
    with pytest.raises(ValueError, match="机构目录"):
        enrol_device(server_hall, "devb", "counter", "NO-SUCH-ORG")


def _one_event(hall: Hall, clerk: Actor) -> dict[str, object]:
    register_one(hall, clerk)
    return WireEvent.of(events_of(hall)[0]).model_dump()


def register_one(hall: Hall, clerk: Actor) -> None:
    from desktop.services.registration import register_visit

    register_visit(hall, clerk, form(id_number=valid_id(seq=777)))


def test_bad_input_is_a_4xx_in_chinese_and_stores_nothing(api: httpx.Client, token: str, server_hall: Hall,
                                                          device_hall: DeviceFactory, clerk: Actor) -> None:
    event = _one_event(device_hall("a"), clerk)
    headers = {**_auth(token), "Content-Type": "application/json"}
    cases: list[tuple[bytes | str, int]] = [
        (b"{not json", 400),
        (b"", 400),
        (b"[]", 400),
        (json.dumps({"events": "no"}), 400),
        (json.dumps({"events": [{**event, "hlc": 5}]}), 400),
        (json.dumps({"events": [{**event, "payload": []}]}), 400),
        (json.dumps({"events": [{**event, "event_id": "x" * 37}]}), 400),
        (json.dumps({"events": [{**event, "hlc": "not-a-clock-timestamp"}]}), 400),
        (json.dumps({"events": [event], "extra": 1}), 400),
        (json.dumps({"events": [event] * (MAX_PUSH_EVENTS + 1)}), 400),
        (json.dumps({"events": [{**event, "schema_version": 99}]}), 422),
        ("\udcff".encode("utf-8", "surrogatepass"), 400),
    ]
    for body, status in cases:
        response = api.post("/sync/push", headers=headers, content=body)
        assert response.status_code == status, (body[:80], response.text)
        assert _is_chinese(response.json()["detail"]), response.text
    huge = api.post("/sync/push", headers=headers, content=b" " * (MAX_BODY_BYTES + 1))
    assert huge.status_code == 413 and "过大" in huge.json()["detail"]
    streamed = api.post("/sync/push", headers=_auth(token), content=_chunks(MAX_BODY_BYTES + 1))
    assert streamed.status_code == 413
    for query in ("limit=0", f"limit={MAX_PULL_LIMIT + 1}", "limit=1000000000000", "since=-1", "since=abc",
                  "limit=", f"since={2**70}"):
        response = api.get(f"/sync/pull?{query}", headers=_auth(token))
        assert response.status_code == 422, (query, response.text)
        assert "请求不符合同步协议" in response.json()["detail"]
    schema = api.get("/openapi.json").json()
    assert "WireEvent" in schema["components"]["schemas"] and "/sync/push" in schema["paths"]
    missing = api.get("/sync/nothing", headers=_auth(token))
    assert missing.status_code == 404 and _is_chinese(missing.json()["detail"])
    assert count_events(server_hall) == 0
    accepted = api.post("/sync/push", headers=headers, content=json.dumps({"events": [event]}))
    assert accepted.status_code == 200 and accepted.json()["stored"] == 1


def test_sync_over_a_real_socket(server_hall: Hall, device_hall: DeviceFactory, clerk: Actor) -> None:
    a, b = device_hall("a"), device_hall("b")
    register_cases(a, clerk, 4)
    with serving(server_hall) as url:
        with HttpTransport(url, enrol_device(server_hall, "deva", "counter")) as transport:
            pushed = SyncClient(a, transport, push_batch=3).sync_once()
        with HttpTransport(url, enrol_device(server_hall, "devb", "counter")) as transport:
            pulled = SyncClient(b, transport, pull_limit=3).sync_once()
        with HttpTransport(url, "not-a-token") as transport, pytest.raises(SyncProblem) as refused:
            SyncClient(b, transport).sync_once()
    assert (pushed.pushed, pulled.pulled, pulled.cursor) == (4, 4, pushed.cursor)
    assert refused.value.kind == "unauthorised"
    assert SyncClient(b, transport).status().last_error.startswith("设备未注册")
    with a.sessions() as sa, b.sessions() as sb:
        assert projection_snapshot(sa) == projection_snapshot(sb)


def test_no_server_listening_is_reported_as_offline(device_hall: DeviceFactory, clerk: Actor) -> None:
    a = device_hall("a")
    register_cases(a, clerk, 1)
    with HttpTransport(f"http://127.0.0.1:{free_port()}", "t") as transport, pytest.raises(SyncProblem) as offline:
        SyncClient(a, transport).sync_once()
    assert offline.value.kind == "offline" and offline.value.message.startswith("网络未连接")
    status = SyncClient(a, transport).status()
    assert status.pending == 1 and status.last_error.startswith("网络未连接") and status.last_success_at == ""


def test_enrol_on_the_server_and_sync_from_the_command_line(
        server_hall: Hall, sync_server: SyncServer, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    from server.__main__ import main as server_main

    url = server_hall.engine.url.render_as_string(hide_password=False)
    assert server_main(["enrol-device", "--db", url, "--device-id", "pc7", "--role", "counter"]) == 0
    token = capsys.readouterr().out.strip()

    import argparse

    from desktop.config import load_settings
    from desktop.installation import open_hall
    from desktop.services.registration import register_visit
    from desktop.sync.commands import COMMANDS, add_commands

    monkeypatch.setenv("PH_DEVICE_ID", "pc7")
    parser = argparse.ArgumentParser()
    add_commands(parser.add_subparsers(dest="command"))
    db = tmp_path / "pc7.db"
    settings = load_settings()
    hall = open_hall(settings, db)
    register_visit(hall, Actor("staff:wangli", "王丽", "clerk"), form())
    hall.engine.dispose()

    server_hall.wall_ms = lambda: time.time_ns() // 1_000_000  # the device registered on the real clock
    monkeypatch.setattr("sys.stdin", io.StringIO(token + "\n"))
    assert COMMANDS["sync-token"](parser.parse_args(["sync-token", "--db", str(db)]), settings) == 0
    assert "同步令牌已保存" in capsys.readouterr().out
    with serving(server_hall) as server_url:
        assert COMMANDS["sync"](parser.parse_args(["sync", "--db", str(db), "--server", server_url]), settings) == 0
    assert "上传 1 条" in capsys.readouterr().out
    assert COMMANDS["sync-status"](parser.parse_args(["sync-status", "--db", str(db)]), settings) == 0
    status = capsys.readouterr().out
    assert "待上传 0 条" in status
    assert re.search(r"上次成功 \d{4}年\d{1,2}月\d{1,2}日 \d\d:\d\d；", status), status  # not ISO
    with server_hall.sessions() as session:
        assert session.scalar(select(func.count()).select_from(EventRow)) == 1


class FailingServer(SyncServer):
    def push(self, device: Device, events: Sequence[WireEvent]) -> PushResponse:
        raise RuntimeError("disk full")


def test_a_server_failure_is_a_500_in_chinese_and_the_outbox_waits(server_hall: Hall, device_hall: DeviceFactory,
                                                                    clerk: Actor) -> None:
    a = device_hall("a")
    register_cases(a, clerk, 2)
    token = enrol_device(server_hall, "deva", "counter")
    with serving(server_hall, FailingServer(server_hall)) as url, HttpTransport(url, token) as transport, \
            pytest.raises(SyncProblem) as failed:
        SyncClient(a, transport).sync_once()
    assert failed.value.kind == "server_error" and "服务器内部错误" in failed.value.message
    assert SyncClient(a, transport).status().pending == 2 and count_events(server_hall) == 0
