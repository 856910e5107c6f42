"""Where the installation's secrets live: the OS key store when one works, else a private key file."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import chainer, fail, null
from keyring.errors import PasswordDeleteError

from desktop.config import config_dir, load_settings, settings_file
from desktop.domain.numbering import hash_query_code, verify_query_code
from desktop.installation import load_secrets
from desktop.keystore import (
    SERVICE_NAME,
    KeyFileStore,
    KeyringStore,
    KeyStoreError,
    Secrets,
    installation_id,
    open_keystore,
    usable_keyring,
)
from tests.conftest import SECRETS, make_settings

posix_only = pytest.mark.skipif(os.name == "nt", reason="POSIX file modes")


class MemoryKeyring(KeyringBackend):
    """An in-memory OS key store, standing in for Secret Service / Credential Manager."""

    priority = 5

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.entries.pop((service, username), None) is None:
            raise PasswordDeleteError("not found")


class BrokenKeyring(MemoryKeyring):
    """A backend that is installed but cannot reach its daemon."""

    def get_password(self, service: str, username: str) -> str | None:
        raise RuntimeError("org.freedesktop.DBus.Error.ServiceUnknown")


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(fail.Keyring())


def _secret_texts(secrets: Secrets) -> list[str]:
    import base64

    values = [secrets.database_key, secrets.query_code_pepper, secrets.audit_key, secrets.field_key,
              secrets.index_key]
    return [v.hex() for v in values] + [base64.b64encode(v).decode() for v in values]


# --- key file ------------------------------------------------------------------------------


@posix_only
def test_key_file_is_private_and_outside_the_data_directory(tmp_path: Path) -> None:
    db = tmp_path / "data" / "hall.db"
    store = KeyFileStore.for_database(db)
    store.save(SECRETS)
    assert store.path.parent == config_dir() / "keys"
    assert db.parent not in store.path.parents
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(store.path.parent.stat().st_mode) == 0o700
    assert store.load() == SECRETS
    assert json.loads(store.path.read_text(encoding="utf-8"))["format"] == 1
    assert [p.name for p in store.path.parent.iterdir()] == [store.path.name]  # no temp file left


def test_key_file_save_replaces_the_whole_value(tmp_path: Path) -> None:
    store = KeyFileStore.for_database(tmp_path / "hall.db")
    store.save(SECRETS)
    other = SECRETS.with_database_key(bytes(32))
    store.save(other)
    assert store.load() == other
    store.delete()
    assert store.load() is None
    store.delete()  # deleting nothing is fine


@posix_only
@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604])
def test_key_file_readable_by_others_is_refused_with_the_fix(tmp_path: Path, mode: int) -> None:
    store = KeyFileStore.for_database(tmp_path / "hall.db")
    store.save(SECRETS)
    os.chmod(store.path, mode)
    with pytest.raises(KeyStoreError, match="其他用户也能读取") as refused:
        store.load()
    assert f"chmod 600 '{store.path}'" in str(refused.value)
    os.chmod(store.path, 0o600)
    assert store.load() == SECRETS


def test_corrupt_key_file_is_reported_not_replaced(tmp_path: Path) -> None:
    store = KeyFileStore.for_database(tmp_path / "hall.db")
    store.save(SECRETS)
    store.path.write_text("{not json", encoding="utf-8")
    with pytest.raises(KeyStoreError, match="已损坏"):
        store.load()
    assert store.path.read_text(encoding="utf-8") == "{not json"


def test_two_databases_have_separate_entries(tmp_path: Path) -> None:
    a, b = tmp_path / "a" / "hall.db", tmp_path / "b" / "hall.db"
    assert installation_id(a) != installation_id(b)
    assert installation_id(a) == installation_id(tmp_path / "a" / ".." / "a" / "hall.db")
    assert KeyFileStore.for_database(a).path != KeyFileStore.for_database(b).path
    assert KeyringStore.for_database(a).username != KeyringStore.for_database(b).username


def test_describe_says_where_and_never_the_key(tmp_path: Path, memory_keyring: MemoryKeyring) -> None:
    for store in (KeyFileStore.for_database(tmp_path / "hall.db"),
                  KeyringStore.for_database(tmp_path / "hall.db", memory_keyring)):
        store.save(SECRETS)
        text = store.describe()
        assert "密钥" in text
        assert not any(secret in text for secret in _secret_texts(SECRETS))


# --- OS key store vs key file ----------------------------------------------------------------


def test_auto_uses_a_working_os_key_store(tmp_path: Path, memory_keyring: MemoryKeyring) -> None:
    db = tmp_path / "hall.db"
    store = open_keystore(make_settings(), db)
    assert isinstance(store, KeyringStore)
    store.save(SECRETS)
    assert memory_keyring.entries[(SERVICE_NAME, store.username)] == SECRETS.to_json()
    assert store.load() == SECRETS
    assert "系统密钥库" in store.describe() and store.username in store.describe()
    assert not KeyFileStore.for_database(db).path.exists()
    pending = store.pending()
    pending.save(SECRETS.with_database_key(bytes(32)))
    assert store.load() == SECRETS and len(memory_keyring.entries) == 2
    pending.delete()
    store.delete()
    assert memory_keyring.entries == {}


def test_auto_falls_back_to_the_key_file_without_os_key_store(tmp_path: Path) -> None:
    assert usable_keyring() is None  # conftest: keyring's "fail" backend, as on this machine
    store = open_keystore(make_settings(), tmp_path / "hall.db")
    assert isinstance(store, KeyFileStore)


def test_auto_keeps_using_an_existing_key_file(tmp_path: Path, memory_keyring: MemoryKeyring) -> None:
    db = tmp_path / "hall.db"
    KeyFileStore.for_database(db).save(SECRETS)  # written while no OS key store worked
    store = open_keystore(make_settings(), db)
    assert isinstance(store, KeyFileStore) and store.load() == SECRETS


def test_explicit_choices(tmp_path: Path, memory_keyring: MemoryKeyring) -> None:
    db = tmp_path / "hall.db"
    assert isinstance(open_keystore(make_settings(key_store="file"), db), KeyFileStore)
    assert isinstance(open_keystore(make_settings(key_store="keyring"), db), KeyringStore)
    keyring.set_keyring(fail.Keyring())
    with pytest.raises(KeyStoreError, match="key_store"):
        open_keystore(make_settings(key_store="keyring"), db)


@pytest.mark.parametrize("backend", [fail.Keyring(), null.Keyring(), BrokenKeyring()],
                         ids=["fail", "null", "no-daemon"])
def test_unusable_os_key_stores_are_not_used(backend: KeyringBackend, tmp_path: Path) -> None:
    keyring.set_keyring(backend)
    assert usable_keyring() is None
    assert isinstance(open_keystore(make_settings(), tmp_path / "hall.db"), KeyFileStore)


def test_an_empty_chain_is_not_a_key_store(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(chainer.ChainerBackend, "backends", [])
    keyring.set_keyring(chainer.ChainerBackend())
    assert usable_keyring() is None


def test_broken_os_key_store_reports_in_chinese(tmp_path: Path) -> None:
    store = KeyringStore.for_database(tmp_path / "hall.db", BrokenKeyring())
    with pytest.raises(KeyStoreError, match="无法读取系统密钥库"):
        store.load()


# --- the query-code pepper of older versions -------------------------------------------------


def test_pepper_from_an_old_settings_file_is_adopted_then_removed(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    old_pepper = bytes(range(100, 132))
    issued = hash_query_code("12345678", old_pepper, b"s" * 16)  # a code printed before the upgrade
    path = settings_file()
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"device_id": "abc123", "device_code": "K07",
                                "query_code_pepper": old_pepper.hex()}), encoding="utf-8")
    db = tmp_path / "hall.db"
    monkeypatch.setenv("PH_DATABASE", str(db))
    settings = load_settings()
    secrets = load_secrets(settings)
    assert secrets.query_code_pepper == old_pepper
    assert verify_query_code("12345678", issued, secrets.query_code_pepper)
    stored = json.loads(path.read_text(encoding="utf-8"))
    assert "query_code_pepper" not in stored and stored["device_code"] == "K07"
    assert KeyFileStore.for_database(db).load() == secrets
    again = load_settings()
    assert again.query_code_pepper == ""  # never generated again
    assert load_secrets(again, db) == secrets


def test_first_start_generates_no_pepper_in_settings() -> None:
    load_settings()
    assert "query_code_pepper" not in json.loads(settings_file().read_text(encoding="utf-8"))


def test_another_database_adopts_the_pepper_but_leaves_the_setting(tmp_path: Path) -> None:
    settings = make_settings(query_code_pepper=bytes(range(50, 82)).hex(), database=tmp_path / "hall.db")
    path = settings_file()
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"query_code_pepper": settings.query_code_pepper}), encoding="utf-8")
    demo = load_secrets(settings, tmp_path / "demo.db")
    assert demo.query_code_pepper.hex() == settings.query_code_pepper
    assert "query_code_pepper" in json.loads(path.read_text(encoding="utf-8"))  # the hall's own DB still needs it


def test_database_key_in_the_os_key_store_through_open_and_rekey(tmp_path: Path,
                                                                  memory_keyring: MemoryKeyring) -> None:
    from desktop.installation import open_hall, rekey_database
    from desktop.services.database import key_opens

    db = tmp_path / "hall.db"
    settings = make_settings(database=db)
    hall = open_hall(settings, db)
    hall.engine.dispose()
    store = KeyringStore.for_database(db)
    assert store.load() == hall.secrets and not KeyFileStore.for_database(db).path.exists()
    result = rekey_database(settings, db)
    assert "系统密钥库" in result.key_store
    renewed = store.load()
    assert renewed is not None and key_opens(db, renewed.database_key)
    assert not key_opens(db, hall.secrets.database_key)
    assert list(memory_keyring.entries) == [(SERVICE_NAME, store.username)]  # pending slot cleared
