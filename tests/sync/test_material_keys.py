"""Rotating the central server's field key re-encrypts the material files it keeps sealed, too.

The server on PostgreSQL: files go up from a device over HTTP, are sealed under the first key,
and after a rotation every stored file is under the new one (read from the raw column), opens
with the same bytes during and after the rotation, and still opens once the old key is gone.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
import tracemalloc
from collections.abc import Iterator
from contextlib import AbstractContextManager
from typing import Any

import pytest
from sqlalchemy import func, select

from db.models import AttachmentRow, SealedFieldRow
from desktop.domain.fieldcrypt import BlindIndex, FieldCipher
from desktop.services import attachments
from desktop.services.context import Actor, Hall
from desktop.services.registration import register_visit
from desktop.sync.client import SyncClient
from desktop.sync.transport import HttpTransport
from server.personal import FILE_FIELD, FieldKeys, Reencrypted, catch_up, reencrypt
from server.store import SyncServer, enrol_device
from tests.conftest import SECRETS
from tests.helpers import form
from tests.sync.conftest import DeviceFactory, serving

pytestmark = pytest.mark.postgres

MB = 1024 * 1024
NEW_KEY = bytes(range(40, 72))
RING = FieldKeys(FieldCipher({"k1": SECRETS.field_key, "k2": NEW_KEY}, "k2"), BlindIndex(SECRETS.index_key))
NEW_ONLY = FieldKeys(FieldCipher({"k2": NEW_KEY}, "k2"), BlindIndex(SECRETS.index_key))


def _files(n: int) -> list[bytes]:
    """Files of several kinds and sizes (a text that begins as a sealed file does, too)."""
    made = [b"v1.aes256gcm.k1." + "信访人手写的说明，以 v1. 开头".encode() * 50,
            b"\x89PNG\r\n\x1a\n" + os.urandom(300_000), b"%PDF-1.7\n" + os.urandom(70_000)]
    return [made[i % len(made)] + i.to_bytes(4, "big") for i in range(n)]


def _upload(server_hall: Hall, device_hall: DeviceFactory, clerk: Actor, url: str, files: list[bytes],
            device: tuple[Hall, str] | None = None) -> list[str]:
    """The files registered on a counter (``device``: its hall and token), one case each, sent up by a sync round."""
    a, token = device or (device_hall("a"), enrol_device(server_hall, "deva", "counter"))
    shas = []
    for n, data in enumerate(files):
        ref = attachments.store_bytes(a, clerk, f"材料{n}.bin", data)
        register_visit(a, clerk, form(attachments=(ref.as_payload(),)))
        shas.append(ref.sha256)
    with HttpTransport(url, token) as transport:
        assert SyncClient(a, transport).sync_once().materials_pushed == len(files)
    return shas


def _key_of_each(hall: Hall) -> dict[str, str]:
    """Each stored file's key, read from its raw bytes as a backup would show them."""
    with hall.sessions() as session:
        rows = session.execute(select(AttachmentRow.sha256, AttachmentRow.data)).all()
    return {sha: bytes(data).split(b".", 3)[2].decode() if bytes(data).startswith(b"v1.aes256gcm.") else "unsealed"
            for sha, data in rows}


def _downloads(server_hall: Hall, keys: FieldKeys, shas: list[str]) -> list[bytes]:
    """Each file as a counter downloads it from a server holding ``keys``."""
    server = SyncServer(server_hall, keys=keys)
    token = enrol_device(server_hall, f"devb{len(keys.cipher.key_ids)}{keys.cipher.current_key_id}", "counter")
    with serving(server_hall, server) as url, HttpTransport(url, token) as transport:
        return [transport.download_attachment(sha)[0] for sha in shas]


class _PowerCut:
    """A session factory that stops (the server loses power) once the first batch of files is re-encrypted."""

    def __init__(self, hall: Hall) -> None:
        self.hall = hall

    def begin(self) -> AbstractContextManager[Any]:
        if "k2" in _key_of_each(self.hall).values():
            raise ConnectionError("服务器断电")
        return self.hall.sessions.begin()  # type: ignore[no-any-return]


@pytest.fixture
def url(server_hall: Hall) -> Iterator[str]:
    with serving(server_hall) as base:  # the server before the rotation: the first key only
        yield base


def test_rotating_the_field_key_reencrypts_every_stored_file_and_downloads_give_the_same_bytes(
        server_hall: Hall, url: str, device_hall: DeviceFactory, clerk: Actor) -> None:
    files = _files(5)
    shas = _upload(server_hall, device_hall, clerk, url, files)
    plain = b"v1." + os.urandom(2000)  # a file kept as it came (before the server sealed files)
    plain_sha = hashlib.sha256(plain).hexdigest()
    with server_hall.transaction() as session:
        session.add(AttachmentRow(sha256=plain_sha, size=len(plain), mime="text/plain", data=plain, on_server=False,
                                  added_at="2026-09-01T08:00:00"))
    assert set(_key_of_each(server_hall).values()) == {"k1", "unsealed"}

    done = reencrypt(server_hall.sessions, RING, file_batch=2)

    assert done.files == 5 and done.tokens > 0
    assert _key_of_each(server_hall) == {**dict.fromkeys(shas, "k2"), plain_sha: "unsealed"}
    with server_hall.sessions() as session:
        kept = {sha: bytes(data) for sha, data in session.execute(select(AttachmentRow.sha256, AttachmentRow.data))}
    assert kept[plain_sha] == plain  # not sealed by a rotation: a hall server keeps its files so
    assert all(files[n][100:1000] not in kept[sha] for n, sha in enumerate(shas))
    assert _downloads(server_hall, NEW_ONLY, shas) == files  # the old key gone: every file opens
    assert reencrypt(server_hall.sessions, RING, file_batch=1) == Reencrypted()  # nothing left to do


def test_an_interrupted_rotation_is_finished_at_the_next_start_and_files_open_all_along(
        server_hall: Hall, url: str, device_hall: DeviceFactory, clerk: Actor) -> None:
    files = _files(7)
    shas = _upload(server_hall, device_hall, clerk, url, files)
    with pytest.raises(ConnectionError):
        reencrypt(_PowerCut(server_hall), RING, file_batch=3)

    halfway = _key_of_each(server_hall)
    assert sorted(halfway.values()) == ["k1"] * 4 + ["k2"] * 3
    assert _downloads(server_hall, RING, shas) == files  # both keys loaded: old and new files open

    assert catch_up(server_hall.sessions, RING).files == 4  # what the server does in the background at start
    assert set(_key_of_each(server_hall).values()) == {"k2"}
    assert _downloads(server_hall, NEW_ONLY, shas) == files


def test_the_command_counts_the_files_and_the_old_key_can_then_be_dropped(
        server_hall: Hall, url: str, device_hall: DeviceFactory, clerk: Actor,
        capsys: pytest.CaptureFixture[str]) -> None:
    from server.__main__ import main
    from server.hall import field_keys_file, load_field_keys, server_secrets_file

    files = _files(4)
    shas = _upload(server_hall, device_hall, clerk, url, files)
    server_secrets_file().parent.mkdir(parents=True, exist_ok=True)
    server_secrets_file().write_text(SECRETS.to_json(), encoding="utf-8")  # the keys these files were sealed with
    with server_hall.sessions() as session:
        tokens = session.scalar(select(func.count()).select_from(SealedFieldRow))

    assert main(["rotate-field-key", "--db", server_hall.engine.url.render_as_string(hide_password=False)]) == 0

    assert f"已启用新的字段加密密钥 k2，{tokens} 项密文、4 份材料已重新加密" in capsys.readouterr().out
    assert set(_key_of_each(server_hall).values()) == {"k2"}
    ring = json.loads(field_keys_file().read_text(encoding="utf-8"))
    del ring["keys"]["k1"]  # the old key retired
    field_keys_file().write_text(json.dumps(ring), encoding="utf-8")
    retired = load_field_keys(server_hall)
    assert retired.cipher.key_ids == ("k2",)
    assert _downloads(server_hall, retired, shas) == files


def test_a_running_server_takes_up_a_rotation_made_beside_it(
        server_hall: Hall, device_hall: DeviceFactory, clerk: Actor, capsys: pytest.CaptureFixture[str]) -> None:
    from server.__main__ import main
    from server.hall import field_keys_file, follow_field_keys, load_field_keys, server_secrets_file

    server_secrets_file().parent.mkdir(parents=True, exist_ok=True)
    server_secrets_file().write_text(SECRETS.to_json(), encoding="utf-8")
    keys = load_field_keys(server_hall)
    files = _files(4)
    counter = (device_hall("a"), enrol_device(server_hall, "deva", "counter"))
    token = enrol_device(server_hall, "devb", "counter")
    with serving(server_hall, SyncServer(server_hall, keys=keys)) as url, HttpTransport(url, token) as transport:
        shas = _upload(server_hall, device_hall, clerk, url, files[:3], counter)
        assert main(["rotate-field-key", "--db", server_hall.engine.url.render_as_string(hide_password=False)]) == 0
        assert "3 份材料已重新加密" in capsys.readouterr().out
        shas += _upload(server_hall, device_hall, clerk, url, files[3:], counter)  # sealed under the key it holds
        assert sorted(_key_of_each(server_hall).values()) == ["k1", "k2", "k2", "k2"]

        assert follow_field_keys(server_hall, keys)  # what the server's background task does every few seconds
        assert set(_key_of_each(server_hall).values()) == {"k2"}
        assert [transport.download_attachment(sha)[0] for sha in shas] == files
        assert not follow_field_keys(server_hall, keys)  # nothing changed since

        ring = json.loads(field_keys_file().read_text(encoding="utf-8"))
        del ring["keys"]["k1"]
        field_keys_file().write_text(json.dumps(ring), encoding="utf-8")
        assert follow_field_keys(server_hall, keys) and keys.cipher.key_ids == ("k2",)
        assert [transport.download_attachment(sha)[0] for sha in shas] == files


def test_reencrypting_files_holds_about_one_file_in_memory_not_all_of_them(
        server_hall: Hall, capsys: pytest.CaptureFixture[str]) -> None:
    first = FieldKeys.single(SECRETS.field_key, SECRETS.index_key)

    def store(data: bytes) -> str:
        sha = hashlib.sha256(data).hexdigest()
        with server_hall.transaction() as session:
            session.add(AttachmentRow(sha256=sha, size=len(data), mime="application/pdf", on_server=False,
                                      data=first.cipher.encrypt_bytes(data, field=FILE_FIELD, record_id=sha),
                                      added_at="2026-09-01T08:00:00"))
        return sha

    for _ in range(50):
        store(os.urandom(MB))
    tracemalloc.start()
    try:
        started = time.perf_counter()
        assert reencrypt(server_hall.sessions, RING).files == 50
        small_time, (_now, small_peak) = time.perf_counter() - started, tracemalloc.get_traced_memory()
        big = os.urandom(20 * MB)
        sha = store(big)
        tracemalloc.reset_peak()
        started = time.perf_counter()
        assert reencrypt(server_hall.sessions, RING).files == 1
        big_time, (_now, big_peak) = time.perf_counter() - started, tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert small_peak < 10 * MB  # the 50 files are 50 MB: they pass one at a time
    assert set(_key_of_each(server_hall).values()) == {"k2"}
    with server_hall.sessions() as session:
        kept = session.scalar(select(AttachmentRow.data).where(AttachmentRow.sha256 == sha))
    assert kept is not None and NEW_ONLY.cipher.decrypt_bytes(kept, field=FILE_FIELD, record_id=sha) == big
    with capsys.disabled():
        print(f"\nre-encrypting 50 files of 1 MB: {small_time:.2f} s, peak {small_peak / MB:.1f} MB; "
              f"one of 20 MB: {big_time:.2f} s, peak {big_peak / MB:.1f} MB")
