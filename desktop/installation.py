"""Opening this installation: its secrets, its encrypted database, and the hall services on top.

Also the key's life cycle, for the command line: ``rekey`` (a new database key),
``backup`` (an encrypted, verified copy) and ``import-plain-database`` (a database from
before encryption). Each returns a result object that says what was done, for the
command's output and the audit log; none of them ever contains key material.

The rules that keep a database openable:

* no database and no key → new secrets are generated and saved, then the database is created;
* a key and no database → the database is created with that key;
* a database and no key → refused: a new key is never generated over existing data;
* a key that does not open the database, or a plain database where an encrypted one is
  expected → refused with :class:`DatabaseKeyError`; nothing is written, migrated or deleted.
"""

from __future__ import annotations

import os
import secrets as _random
import time
from dataclasses import dataclass
from pathlib import Path

from db.engine import DatabaseInUseError, DatabaseKeyError, sqlite_file_kind
from desktop.config import Settings, forget_legacy_pepper
from desktop.keystore import KeyFileStore, KeyStore, Secrets, key_fingerprint, open_keystore
from desktop.services.context import Hall
from desktop.services.database import (
    backup_encrypted,
    database_files,
    import_plain,
    key_opens,
    open_database,
    rekey_encrypted,
    roll_back_interrupted_rekey,
    verify_encrypted,
)

__all__ = ["DatabaseInUseError", "DatabaseKeyError", "load_secrets", "open_hall"]


def _same_file(a: Path, b: Path) -> bool:
    return os.path.normcase(str(a.expanduser().resolve())) == os.path.normcase(str(b.expanduser().resolve()))


def _missing_key_error(db_path: Path, store: KeyStore, settings: Settings) -> DatabaseKeyError:
    hint = ""
    if isinstance(store, KeyFileStore) and settings.key_store == "auto":
        hint = ("如果密钥此前保存在系统密钥库（Secret Service / 凭据管理器）中，请以原来的用户登录桌面、"
                "确认系统密钥库可用后再启动本程序。")
    return DatabaseKeyError(
        f"数据库 {db_path} 已加密，但找不到它的密钥（应保存在：{store.describe()}），无法打开。"
        f"程序不会为已有的数据库生成新密钥，数据库文件未被改动。{hint}"
        "请从密钥备份中恢复与该数据库配套的密钥（密钥文件或系统密钥库条目），"
        "或从备份恢复数据库及其密钥后再启动。", reason="missing_key", path=db_path)


def _plain_error(db_path: Path) -> DatabaseKeyError:
    renamed = db_path.with_name(db_path.stem + "-未加密" + db_path.suffix)
    return DatabaseKeyError(
        f"数据库 {db_path} 是旧版未加密的数据库，本程序只使用加密数据库，该文件未被改动。"
        f"请关闭程序，先把它改名（例如 {renamed.name}），再运行："
        f"python -m desktop import-plain-database '{renamed}' --db '{db_path}'。"
        "转换并核对后，请安全删除未加密的旧文件（例如 shred -u）。", reason="plain", path=db_path)


def _wrong_key_error(db_path: Path, store: KeyStore) -> DatabaseKeyError:
    return DatabaseKeyError(
        f"保存的密钥无法解密数据库 {db_path}（密钥位置：{store.describe()}）：密钥与数据库不配套"
        "（数据库可能来自其他电脑或其他安装，或密钥被替换）。程序未改动任何文件。"
        "请恢复与该数据库配套的密钥，或恢复与当前密钥配套的数据库备份。",
        reason="wrong_key", path=db_path)


def _settled(store: KeyStore, db_path: Path) -> Secrets | None:
    """The current secrets, finishing a ``rekey`` that was interrupted.

    ``rekey`` saves the next secrets in the pending slot before it touches the database and
    moves them to the current slot after. Whichever of the two opens the database is right.
    """
    current = store.load()
    pending_slot = store.pending()
    pending = pending_slot.load()
    if pending is None:
        return current
    if sqlite_file_kind(db_path) != "encrypted":
        pending_slot.delete()
        return current
    roll_back_interrupted_rekey(db_path, (current or pending).database_key)
    if current is not None and key_opens(db_path, current.database_key):
        pending_slot.delete()  # the rekey never committed
        return current
    if key_opens(db_path, pending.database_key):
        store.save(pending)  # the rekey committed; finish saving its key
        pending_slot.delete()
        return pending
    return current


def _new_secrets(settings: Settings, store: KeyStore, db_path: Path, keep: Secrets | None = None) -> Secrets:
    """Fresh secrets for a database about to be created, saved before the database exists.

    ``keep`` carries the deployment-wide keys over (a replaced demo database). Otherwise a
    query-code pepper from an older settings file is adopted, so that query codes issued
    before keep verifying, and removed from the settings file once the installation's own
    database holds it.
    """
    if keep is not None:
        fresh = keep.with_database_key(_random.token_bytes(32))
    else:
        fresh = Secrets.generate(settings.pepper_bytes or None)
    store.save(fresh)
    if keep is None and settings.query_code_pepper and _same_file(db_path, settings.database_path):
        forget_legacy_pepper()
    return fresh


def load_secrets(settings: Settings, db_path: Path | None = None) -> Secrets:
    """The secrets of the database at ``db_path`` (default: the installation's database).

    Generates and saves them only when neither a key nor a database exists yet.
    """
    path = db_path or settings.database_path
    store = open_keystore(settings, path)
    found = _settled(store, path)
    if found is not None:
        return found
    kind = sqlite_file_kind(path)
    if kind == "plain":
        raise _plain_error(path)
    if kind == "encrypted":
        raise _missing_key_error(path, store, settings)
    return _new_secrets(settings, store, path)


def replace_secrets(settings: Settings, db_path: Path) -> Secrets:
    """New secrets for a database that is being created from scratch in place of an old one.

    The caller has removed the old files first: a crash after that leaves the old key with
    no database, which the next start simply uses for a new one.
    """
    if database_files(db_path):
        raise FileExistsError(f"数据库 {db_path} 仍然存在，不能替换它的密钥")
    store = open_keystore(settings, db_path)
    store.pending().delete()
    return _new_secrets(settings, store, db_path, keep=store.load())


def open_hall(settings: Settings, db_path: Path) -> Hall:
    """The hall on this installation's encrypted database, migrated to the newest schema.

    Raises :class:`DatabaseKeyError` (with what to do, in Chinese) when the database and the
    stored key do not fit, and :class:`desktop.keystore.KeyStoreError` when the key store
    cannot be used; in both cases nothing on disk has been changed.
    """
    secrets = load_secrets(settings, db_path)
    try:
        engine = open_database(db_path, key=secrets.database_key)
    except DatabaseKeyError as exc:
        if exc.reason == "plain":
            raise _plain_error(db_path) from exc
        if exc.reason == "wrong_key":
            raise _wrong_key_error(db_path, open_keystore(settings, db_path)) from exc
        raise
    return Hall(engine=engine, settings=settings, secrets=secrets)


def _existing_secrets(settings: Settings, db_path: Path) -> tuple[KeyStore, Secrets]:
    """Secrets of a database that must already exist, proved to open it."""
    kind = sqlite_file_kind(db_path)
    if kind == "missing":
        raise FileNotFoundError(f"数据库 {db_path} 不存在")
    if kind == "plain":
        raise _plain_error(db_path)
    store = open_keystore(settings, db_path)
    secrets = load_secrets(settings, db_path)
    if not key_opens(db_path, secrets.database_key):
        raise _wrong_key_error(db_path, store)
    return store, secrets


# --- rekey ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class RekeyResult:
    """What ``rekey`` did (for output and the audit log); key ids, never keys."""

    database: Path
    key_store: str
    old_key_id: str
    new_key_id: str
    pages: int
    seconds: float


def rekey_database(settings: Settings, db_path: Path) -> RekeyResult:
    """Encrypt the database with a new random key and store it; never leaves it unopenable.

    Order of the steps:

    1. the new secrets are saved in the key store's *pending* slot, beside the current ones;
    2. ``PRAGMA rekey`` re-encrypts every page in one transaction (old key or new key, never
       a mix, whatever moment the machine stops);
    3. the new key is checked to open the database, saved as current, and the pending slot
       is cleared.

    A crash after 1 leaves the current key opening the database (the pending one is dropped
    at the next start); a crash after 2 leaves the pending key opening it, and the next start
    finishes step 3. A failure before the commit (e.g. the program is still running) removes
    the pending slot and leaves everything as it was.
    """
    started = time.perf_counter()
    store, old = _existing_secrets(settings, db_path)
    new = old.with_database_key(_random.token_bytes(32))
    pending = store.pending()
    pending.save(new)
    try:
        pages = rekey_encrypted(db_path, old.database_key, new.database_key)
    except BaseException:
        _settled(store, db_path)  # decides by which key opens the file now
        raise
    integrity = verify_encrypted(db_path, new.database_key)
    store.save(new)
    pending.delete()
    if integrity != "ok":
        raise RuntimeError(f"已更换密钥，但完整性检查发现问题：{integrity}。请从备份恢复并联系技术支持")
    return RekeyResult(db_path, store.describe(), key_fingerprint(old.database_key),
                       key_fingerprint(new.database_key), pages, time.perf_counter() - started)


# --- backup --------------------------------------------------------------------------------


@dataclass(frozen=True)
class BackupResult:
    """What ``backup`` wrote: an encrypted copy under the database's current key."""

    database: Path
    path: Path
    bytes: int
    seconds: float
    cases: int
    events: int
    integrity: str
    key_store: str
    key_id: str


def backup_database(settings: Settings, db_path: Path, out: Path) -> BackupResult:
    """A consistent, verified, encrypted copy of the database at ``out`` (never overwritten)."""
    if out.exists():
        raise FileExistsError(f"{out} 已存在，程序不会覆盖它；请换一个文件名")
    store, secrets = _existing_secrets(settings, db_path)
    # The audit log's head anchor goes with the copy. Read before the snapshot, it can only
    # lag behind the copied log (an anchor is a lower bound), never run ahead of it.
    anchor = db_path.with_name(db_path.name + ".audit-head")
    anchor_bytes = anchor.read_bytes() if anchor.exists() else None
    report = backup_encrypted(db_path, secrets.database_key, out)
    if anchor_bytes is not None:
        out.with_name(out.name + ".audit-head").write_bytes(anchor_bytes)
    return BackupResult(db_path, report.path, report.bytes, report.seconds, report.rows.get("cases", 0),
                        report.rows.get("events", 0), report.integrity, store.describe(),
                        key_fingerprint(secrets.database_key))


# --- import of a database from before encryption --------------------------------------------


@dataclass(frozen=True)
class ImportResult:
    """What ``import-plain-database`` wrote; the plain source file is left as it was."""

    source: Path
    database: Path
    rows: dict[str, int]
    bytes: int
    seconds: float
    key_store: str
    key_id: str


def import_plain_database(settings: Settings, plain: Path, db_path: Path) -> ImportResult:
    """Convert an unencrypted database into the installation's encrypted one at ``db_path``.

    The target must not exist yet; its secrets are created as on a first start (adopting
    the query-code pepper of an older settings file, so issued query codes keep verifying),
    or taken from the key store when a key for ``db_path`` is already there.
    """
    if not plain.exists():
        raise FileNotFoundError(f"未加密的数据库 {plain} 不存在")
    if _same_file(plain, db_path):
        raise FileExistsError(_plain_error(db_path).args[0])
    if sqlite_file_kind(db_path) != "missing":
        raise FileExistsError(f"目标数据库 {db_path} 已存在，程序不会覆盖它。"
                              "如要导入到新位置，请用 --db 指定一个尚不存在的文件")
    if sqlite_file_kind(plain) != "plain":
        raise DatabaseKeyError(f"{plain} 不是未加密的 SQLite 数据库（可能已经加密），无需导入",
                               reason="not_plain", path=plain)
    secrets = load_secrets(settings, db_path)
    report, _expected = import_plain(plain, secrets.database_key, db_path)
    return ImportResult(plain, db_path, report.rows, report.bytes, report.seconds,
                        open_keystore(settings, db_path).describe(), key_fingerprint(secrets.database_key))


# --- read-only inspection (doctor) ----------------------------------------------------------


@dataclass(frozen=True)
class KeyStatus:
    """Where the key of one database lives and whether it opens it (changes nothing)."""

    key_store: str
    has_key: bool
    pending: bool
    opens: bool | None  # None: no database file yet, or no key
    problem: str = ""


def inspect_key(settings: Settings, db_path: Path) -> KeyStatus:
    try:
        store = open_keystore(settings, db_path)
        current = store.load()
        pending = store.pending().load()
    except Exception as exc:  # the diagnosis reports whatever goes wrong
        return KeyStatus("", False, False, None, str(exc))
    kind = sqlite_file_kind(db_path)
    if kind != "encrypted":
        return KeyStatus(store.describe(), current is not None, pending is not None, None)
    opens = current is not None and key_opens(db_path, current.database_key)
    if not opens and pending is not None and key_opens(db_path, pending.database_key):
        return KeyStatus(store.describe(), current is not None, True, True,
                         "上次更换密钥被中断：数据库已使用新密钥，下次启动时会自动完成保存")
    return KeyStatus(store.describe(), current is not None, pending is not None,
                     opens if current is not None else None)
