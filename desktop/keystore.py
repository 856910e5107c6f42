"""The installation's secrets: database key, query-code key, audit-chain key, field-cipher keys."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import secrets as _random
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from desktop.config import Settings, config_dir

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend

SECRETS_FORMAT = 1


@dataclass(frozen=True)
class Secrets:
    """Every secret one installation holds; kept together in the key store, never in the database.

    * ``database_key`` — 32 random bytes, the SQLCipher raw key of the desktop database.
    * ``query_code_pepper`` — deployment-wide HMAC key of query codes (the same on every replica,
      so that any replica and the server's public page can verify a code issued elsewhere).
    * ``audit_key`` — HMAC key of the audit log's hash chain.
    * ``field_key`` / ``index_key`` — field cipher and blind-index keys (server-side storage of
      ID numbers and phones; deployment-wide, like the pepper).
    """

    database_key: bytes
    query_code_pepper: bytes
    audit_key: bytes
    field_key: bytes
    index_key: bytes

    @classmethod
    def generate(cls, query_code_pepper: bytes | None = None) -> Secrets:
        return cls(database_key=_random.token_bytes(32),
                   query_code_pepper=query_code_pepper or _random.token_bytes(32),
                   audit_key=_random.token_bytes(32),
                   field_key=_random.token_bytes(32),
                   index_key=_random.token_bytes(32))

    def with_database_key(self, key: bytes) -> Secrets:
        return Secrets(key, self.query_code_pepper, self.audit_key, self.field_key, self.index_key)

    def to_json(self) -> str:
        def b64(value: bytes) -> str:
            return base64.b64encode(value).decode("ascii")

        return json.dumps({"format": SECRETS_FORMAT, "database_key": b64(self.database_key),
                           "query_code_pepper": b64(self.query_code_pepper),
                           "audit_key": b64(self.audit_key), "field_key": b64(self.field_key),
                           "index_key": b64(self.index_key)})

    @classmethod
    def from_json(cls, text: str) -> Secrets:
        try:
            data = json.loads(text)
            if data.get("format") != SECRETS_FORMAT:
                raise ValueError(f"未知的密钥格式版本 {data.get('format')!r}")
            values = {name: base64.b64decode(data[name], validate=True)
                      for name in ("database_key", "query_code_pepper", "audit_key", "field_key", "index_key")}
        except (ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"密钥存储中的内容已损坏，无法读取：{exc}") from exc
        if len(values["database_key"]) != 32:
            raise ValueError("密钥存储中的数据库密钥长度不是 32 字节，内容已损坏")
        return cls(**values)

    def __repr__(self) -> str:  # never print key material
        return "Secrets(<hidden>)"


# --- Where the secrets live ---------------------------------------------------------------
#
# One ``Secrets`` bundle per database file, stored as ``Secrets.to_json()``:
#
# * in the operating system's key store when one works (Secret Service on Debian / 统信UOS /
#   麒麟 desktops, Credential Manager on Windows), service ``petition-hall``, one entry per
#   database (the entry name carries a hash of the database's absolute path, so two
#   databases on one PC never share a key);
# * otherwise in a key file ``<config dir>/keys/<database>-<hash>.key`` readable only by the
#   application's user (file 0600, folder 0700) and kept outside the data directory, so a
#   copy of the data folder alone never carries its key.
#
# The database key is per machine (each replica encrypts its own file with its own key and
# ``rekey`` renews it). The query-code pepper and the field and index keys are deployment-wide:
# every replica of one deployment must hold the same values, or a query code issued at one
# hall would not verify at another (enrolment of a replica will carry them).
#
# A second slot, ``pending()``, holds the next bundle while ``rekey`` runs, so that a crash at
# any point leaves one of the two slots with the key that opens the database.

SERVICE_NAME = "petition-hall"
KEY_FILE_SUFFIX = ".key"
PENDING_SUFFIX = ".pending"


class KeyStoreError(RuntimeError):
    """The key store cannot be used as it is; the message says what to do (in Chinese)."""


class KeyStore(Protocol):
    """Somewhere one installation's ``Secrets`` are kept."""

    def load(self) -> Secrets | None:
        """The stored secrets, or ``None`` when nothing is stored yet."""
        ...

    def save(self, secrets: Secrets) -> None:
        """Store ``secrets`` in one step (a crash leaves the old or the new value, never half)."""
        ...

    def delete(self) -> None:
        """Remove the stored value (nothing happens when there is none)."""
        ...

    def describe(self) -> str:
        """Where the secrets live, in Chinese, for messages and ``doctor`` (never the key)."""
        ...

    def pending(self) -> KeyStore:
        """The slot beside this one that holds the next secrets during ``rekey``."""
        ...


def installation_id(db_path: Path) -> str:
    """A stable name for one database file: a hash of its absolute path."""
    absolute = os.path.normcase(str(Path(db_path).expanduser().resolve()))
    return hashlib.sha256(absolute.encode("utf-8")).hexdigest()[:16]


def key_fingerprint(key: bytes) -> str:
    """A short public name of a key (for audit records and messages); reveals nothing of it."""
    return hashlib.sha256(b"petition-hall key id\x00" + key).hexdigest()[:12]


def keys_dir() -> Path:
    return config_dir() / "keys"


def _checks_file_mode() -> bool:
    # Windows has no POSIX modes; a file under the user's profile is private to that user.
    return os.name != "nt"


def _fsync_dir(path: Path) -> None:
    if os.name == "nt":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class KeyFileStore:
    """The secrets in a key file readable only by the application's user."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @classmethod
    def for_database(cls, db_path: Path) -> KeyFileStore:
        stem = Path(db_path).name
        return cls(keys_dir() / f"{stem}-{installation_id(db_path)}{KEY_FILE_SUFFIX}")

    def load(self) -> Secrets | None:
        try:
            mode = os.stat(self.path).st_mode
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise KeyStoreError(f"无法读取密钥文件 {self.path}：{exc}") from exc
        if _checks_file_mode() and mode & 0o077:
            raise KeyStoreError(
                f"密钥文件 {self.path} 的权限为 {stat.filemode(mode)}，其他用户也能读取或修改，程序拒绝使用它。"
                f"请确认文件未被他人复制后，执行 chmod 600 '{self.path}' 收紧权限再重试；"
                "如怀疑密钥已泄露，收紧权限后请运行 rekey 更换数据库密钥。")
        try:
            text = self.path.read_text(encoding="utf-8")
        except OSError as exc:
            raise KeyStoreError(f"无法读取密钥文件 {self.path}：{exc}") from exc
        try:
            return Secrets.from_json(text)
        except ValueError as exc:
            raise KeyStoreError(f"密钥文件 {self.path} 已损坏：{exc}。请从密钥备份中恢复该文件。") from exc

    def save(self, secrets: Secrets) -> None:
        folder = self.path.parent
        try:
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            if _checks_file_mode():
                os.chmod(folder, 0o700)
            # mkstemp creates the file with mode 0600 before anything is written into it
            fd, tmp_name = tempfile.mkstemp(dir=folder, prefix=".", suffix=".tmp")
        except OSError as exc:
            raise KeyStoreError(f"无法在 {folder} 中保存密钥文件：{exc}") from exc
        tmp = Path(tmp_name)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(secrets.to_json())
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, self.path)
            _fsync_dir(folder)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise KeyStoreError(f"无法保存密钥文件 {self.path}：{exc}") from exc

    def delete(self) -> None:
        try:
            self.path.unlink(missing_ok=True)
            if self.path.parent.exists():
                _fsync_dir(self.path.parent)
        except OSError as exc:
            raise KeyStoreError(f"无法删除密钥文件 {self.path}：{exc}") from exc

    def describe(self) -> str:
        return f"密钥文件 {self.path}"

    def pending(self) -> KeyFileStore:
        name = self.path.name.removesuffix(KEY_FILE_SUFFIX)
        return KeyFileStore(self.path.with_name(name + PENDING_SUFFIX + KEY_FILE_SUFFIX))


class KeyringStore:
    """The secrets in the operating system's key store, through ``keyring``."""

    def __init__(self, username: str, backend: KeyringBackend | None = None) -> None:
        self.username = username
        self._given = backend

    @classmethod
    def for_database(cls, db_path: Path, backend: KeyringBackend | None = None) -> KeyringStore:
        return cls(f"{Path(db_path).name}#{installation_id(db_path)}", backend)

    @property
    def backend(self) -> KeyringBackend:
        if self._given is not None:
            return self._given
        import keyring

        return keyring.get_keyring()

    def load(self) -> Secrets | None:
        try:
            text = self.backend.get_password(SERVICE_NAME, self.username)
        except Exception as exc:  # any backend failure (D-Bus, locked collection, …)
            raise KeyStoreError(f"无法读取{self.describe()}：{exc}。请确认已登录桌面且系统密钥库已解锁。") from exc
        if text is None:
            return None
        try:
            return Secrets.from_json(text)
        except ValueError as exc:
            raise KeyStoreError(f"{self.describe()} 的内容已损坏：{exc}") from exc

    def save(self, secrets: Secrets) -> None:
        try:
            self.backend.set_password(SERVICE_NAME, self.username, secrets.to_json())
        except Exception as exc:
            raise KeyStoreError(f"无法写入{self.describe()}：{exc}") from exc

    def delete(self) -> None:
        from keyring.errors import PasswordDeleteError

        try:
            self.backend.delete_password(SERVICE_NAME, self.username)
        except PasswordDeleteError:
            pass  # nothing stored
        except Exception as exc:
            raise KeyStoreError(f"无法删除{self.describe()}：{exc}") from exc

    def describe(self) -> str:
        return f"系统密钥库（{keyring_name(self.backend)}）的条目 {SERVICE_NAME} / {self.username}"

    def pending(self) -> KeyringStore:
        return KeyringStore(self.username + "#pending", self._given)


def keyring_name(backend: KeyringBackend) -> str:
    return str(getattr(backend, "name", "") or type(backend).__name__)


def usable_keyring() -> KeyringBackend | None:
    """The OS key store when a real one works here, else ``None``.

    ``keyring`` falls back to its ``fail``/``null`` backends (or an empty chain) when no
    Secret Service / Credential Manager is reachable, and the plain-text backends of
    ``keyrings.alt`` protect less than a 0600 key file: none of them counts. A probe read
    must also succeed (a D-Bus session without a Secret Service daemon fails there).
    """
    try:
        import keyring
        from keyring.backends import chainer, fail, null

        backend = keyring.get_keyring()
        if isinstance(backend, fail.Keyring | null.Keyring):
            return None
        if isinstance(backend, chainer.ChainerBackend) and not backend.backends:
            return None
        if type(backend).__module__.startswith("keyrings.alt"):
            return None
        backend.get_password(SERVICE_NAME, "probe")
    except Exception:
        return None
    return backend


def open_keystore(settings: Settings, db_path: Path) -> KeyStore:
    """The key store for the database at ``db_path``, as the ``key_store`` setting asks.

    ``auto`` keeps using a key file that already exists for this database (the key was put
    there when no OS key store worked), otherwise uses the OS key store when one works,
    otherwise a key file.
    """
    file_store = KeyFileStore.for_database(db_path)
    if settings.key_store == "file":
        return file_store
    if settings.key_store == "auto" and (file_store.path.exists() or file_store.pending().path.exists()):
        return file_store
    backend = usable_keyring()
    if backend is not None:
        return KeyringStore.for_database(db_path, backend)
    if settings.key_store == "keyring":
        raise KeyStoreError("设置 key_store=keyring 要求使用系统密钥库，但本机没有可用的系统密钥库"
                            "（Linux 需要登录桌面并运行 Secret Service，如 gnome-keyring；Windows 使用凭据管理器）。"
                            "请启用系统密钥库，或把 key_store 改为 auto / file 以使用密钥文件。")
    return file_store
