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

import contextlib
import glob
import json
import os
import secrets as _random
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from db.engine import (
    DatabaseFileError,
    DatabaseInUseError,
    DatabaseKeyError,
    FileProblem,
    damaged_pages,
    file_problem,
    sqlite_file_kind,
)
from desktop.config import Settings, forget_legacy_pepper
from desktop.keystore import (
    KEY_FILE_SUFFIX,
    PENDING_SUFFIX,
    KeyFileStore,
    KeyStore,
    KeyStoreError,
    Secrets,
    key_fingerprint,
    open_keystore,
)
from desktop.services.context import Hall
from desktop.services.database import (
    SalvagedTable,
    SchemaUnreadable,
    backup_encrypted,
    database_files,
    import_plain,
    key_opens,
    open_database,
    rekey_encrypted,
    roll_back_interrupted_rekey,
    salvage_rows,
    schema_behind,
    verify_encrypted,
)
from desktop.services.reference_feed import use_stored_directory

if TYPE_CHECKING:
    from sqlalchemy import Engine

__all__ = ["DatabaseFileError", "DatabaseInUseError", "DatabaseKeyError", "load_secrets", "open_hall"]


# --- the database file itself: there, a file, writable, whole ------------------------------------


def _backup_list(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".backups")


def record_backup(db_path: Path, out: Path) -> None:
    """Remember a verified backup of ``db_path`` beside it (read when the database is damaged)."""
    line = json.dumps({"path": str(out.resolve()), "at": datetime.now().isoformat(timespec="seconds")},
                      ensure_ascii=False)
    with _backup_list(db_path).open("a", encoding="utf-8") as handle:
        handle.write(line + "\n")


def known_backups(db_path: Path) -> list[tuple[Path, datetime]]:
    """The backups made of ``db_path`` with ``backup`` that still exist, newest first, with their dates."""
    try:
        lines = _backup_list(db_path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return []
    found: dict[Path, datetime] = {}
    for line in lines:
        try:
            path = Path(json.loads(line)["path"])
            found[path] = datetime.fromtimestamp(path.stat().st_mtime)
        except (ValueError, KeyError, TypeError, OSError):
            continue  # a backup since moved or deleted, or a damaged line
    return sorted(found.items(), key=lambda item: item[1], reverse=True)


def _backups_advice(db_path: Path) -> str:
    from desktop.domain.calendar import moment_in_words

    backups = known_backups(db_path)
    if not backups:
        return ("本机没有记录到该数据库的备份（backup 命令生成的备份会被记录）；如有其他备份（如U盘、服务器上的副本），"
                "请找出最近的一份")
    shown = "；".join(f"{path}（{moment_in_words(when)}）" for path, when in backups[:5])
    return f"已知的备份（最新在前）：{shown}"


def problem_message(path: Path, problem: FileProblem, detail: str = "") -> str:
    """What is wrong with the database file at ``path`` and what to do, in plain Chinese."""
    if problem == "missing":
        return (f"数据库 {path} 不存在。请检查路径是否写错（命令行的 --db，或设置 database / 环境变量 PH_DATABASE）；"
                "程序不会在一个不存在的路径上新建数据库和密钥。"
                "（生成演示库请用 demo-data；新安装首次启动时会在设置中的默认位置自动创建数据库）")
    if problem == "directory":
        return (f"{path} 是一个文件夹，不是数据库文件。请用 --db 指定数据库文件本身"
                f"（例如 {path / 'petition-hall.db'}）")
    if problem == "unreadable":
        return (f"无法打开数据库 {path}：没有读取该文件或其所在文件夹的权限，或文件所在的磁盘已断开。"
                "请检查文件的权限和磁盘后重试；数据库未被改动")
    if problem == "read_only":
        return (f"数据库 {path} 所在的磁盘或文件夹是只读的（或文件本身只读），程序无法在其中写入"
                "（打开数据库也需要在同一文件夹写入日志文件 -wal/-shm）。数据库未被改动。"
                "请以读写方式重新挂载该磁盘、取消文件或文件夹的只读属性，或把数据库复制到可写的位置后用 --db 指定")
    if problem == "disk_full":
        return (f"磁盘已满：数据库 {path} 所在的磁盘没有剩余空间，本次操作没有完成，此前已保存的数据未受影响。"
                "请清理该磁盘的空间（或把数据库移到空间更大的磁盘）后重试")
    if problem == "io":
        return (f"读写数据库 {path} 时磁盘报告了错误（I/O 错误），磁盘可能有故障或已断开。"
                "请尽快把数据库复制到其他磁盘保存，然后运行 doctor 检查数据库")
    what = f"（{detail}）" if detail else ""
    return (f"数据库 {path} 已损坏{what}。请不要再在这个文件上工作：先关闭程序，"
            "把该文件（连同 -wal 文件）复制一份留存，然后从备份恢复。"
            f"{_backups_advice(path)}。若没有可用的备份，可以用 recover 命令把还能读出的记录"
            f"抢救到一个新数据库：python -m desktop recover --db '{path}' 新数据库.db；"
            "运行 doctor 可对整个文件做完整检查")


def _file_error(path: Path, problem: FileProblem, detail: str = "") -> DatabaseFileError:
    return DatabaseFileError(problem_message(path, problem, detail), problem=problem, path=path)


def _read_only_here(path: Path) -> bool:
    folder = path.parent if not path.is_dir() else path
    statvfs = getattr(os, "statvfs", None)  # POSIX: a read-only mount, which even root cannot write
    try:
        if statvfs is not None and statvfs(folder).f_flag & getattr(os, "ST_RDONLY", 1):
            return True
    except OSError:
        return False
    if path.exists() and not os.access(path, os.W_OK):
        return True
    return not os.access(folder, os.W_OK | os.X_OK)


def check_database_file(path: Path, *, create: bool = False, write: bool = True) -> None:
    """Refuse, with what to do, a database path that cannot be used as it is.

    ``create``: a missing file may be created (demo data, the first start of an installation);
    otherwise a missing file is a mistyped path, and nothing is created for it. ``write``: the
    command writes to the database (opening it in WAL mode writes its side files anyway).
    """
    if path.is_dir():
        raise _file_error(path, "directory")
    if not path.exists():
        if not create:
            raise _file_error(path, "missing")
        parent = next((p for p in path.parents if p.exists()), None)
        if parent is not None and not parent.is_dir():
            raise _file_error(parent, "directory")
        if parent is not None and _read_only_here(parent / "probe"):
            raise _file_error(path, "read_only")
        return
    try:
        with path.open("rb") as handle:
            handle.read(1)
    except OSError as exc:
        raise _file_error(path, file_problem(exc) or "unreadable") from exc
    if write and _read_only_here(path):
        raise _file_error(path, "read_only")


def check_pages(path: Path, key: bytes, *, full: bool = False) -> None:
    """Raise :class:`DatabaseFileError` when pages of the file do not verify under the right ``key``.

    The quick form (every start) reads a few hundred pages spread over the file; ``full`` reads
    them all. Only called once ``key`` is known to be the database's key, or to tell a damaged
    first page from a wrong key: if no page at all verifies, the key is the problem, not the file.
    """
    if sqlite_file_kind(path) != "encrypted":
        return
    bad, looked = damaged_pages(path, key, sample=None if full else 256)
    if bad and len(bad) < looked:
        shown = "、".join(str(n) for n in bad[:5]) + ("等" if len(bad) > 5 else "")
        raise _file_error(path, "damaged", f"第 {shown} 页（共检查 {looked:,} 页）校验不通过")


def same_file(a: Path, b: Path) -> bool:
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
        "（数据库可能来自其他电脑或其他安装，或密钥被替换；文件中没有一页能用该密钥核验，"
        "若只是文件开头的 16 字节损坏也会如此）。程序未改动任何文件。"
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
    if keep is None and settings.query_code_pepper and same_file(db_path, settings.database_path):
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
        moved = _key_left_behind(store, path)
        if moved is not None:
            return moved
        raise _missing_key_error(path, store, settings)
    return _new_secrets(settings, store, path)


def _key_left_behind(store: KeyStore, db_path: Path) -> Secrets | None:
    """The key of a database moved or copied here, still named for where it was, adopted under this path too.

    A key file is named for its database's path (``hall.db-<hash of the path>.key``): a database moved to another
    folder, or a backup restored elsewhere, found no key and would not open, with its key beside the others. A key
    file of a database of the same name whose key opens this one is saved for this path as well (the old one stays,
    for the database that may still be there). Keys in the system's key store are named the same way and are left
    to the administrator.
    """
    if not isinstance(store, KeyFileStore):
        return None
    for candidate in sorted(store.path.parent.glob(glob.escape(db_path.name) + "-*" + KEY_FILE_SUFFIX)):
        if candidate == store.path or candidate.name.endswith(PENDING_SUFFIX + KEY_FILE_SUFFIX):
            continue
        try:
            secrets = KeyFileStore(candidate).load()
        except KeyStoreError:  # unreadable, too open or damaged: not this one's to judge
            continue
        if secrets is not None and key_opens(db_path, secrets.database_key):
            store.save(secrets)
            return secrets
    return None


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


def open_hall(settings: Settings, db_path: Path, *, create: bool = True, migrate_apart: bool = False) -> Hall:
    """The hall on this installation's encrypted database, migrated to the newest schema.

    ``migrate_apart``: a migration that is due runs in a child process (the program's ``migrate``), so a
    window that stays open for months does not keep Alembic, Mako and what the migration read (some 10 MB)
    after its first start on a new version; should the child fail, the migration runs here, and says why.

    Raises :class:`DatabaseKeyError` (with what to do, in Chinese) when the database and the
    stored key do not fit, :class:`desktop.keystore.KeyStoreError` when the key store cannot be
    used, and :class:`DatabaseFileError` when the file is missing (``create=False``: nothing is
    created for a mistyped path), a folder, read-only, or damaged (a quick check of a sample
    of its pages); in all these cases nothing on disk has been changed.
    """
    check_database_file(db_path, create=create)
    secrets = load_secrets(settings, db_path)
    check_pages(db_path, secrets.database_key)
    try:
        engine = open_database(db_path, key=secrets.database_key, day_counting=settings.day_counting,
                               migrate=not migrate_apart)
        if migrate_apart and schema_behind(engine):
            _migrate_apart(engine, db_path, settings)
    except DatabaseKeyError as exc:
        if exc.reason == "plain":
            raise _plain_error(db_path) from exc
        if exc.reason == "wrong_key":
            raise _wrong_key_error(db_path, open_keystore(settings, db_path)) from exc
        raise
    except Exception as exc:
        problem = file_problem(exc)
        if problem is None:
            raise
        raise _file_error(db_path, problem) from exc
    hall = Hall(engine=engine, settings=settings, secrets=secrets)
    use_stored_directory(hall)  # the organisation directory the centre shared, when it did
    return hall


def _migrate_apart(engine: Engine, db_path: Path, settings: Settings) -> None:
    """Migrate the database in a child process, or, if that fails, here (where a real fault raises)."""
    import logging
    import subprocess

    from db.migrate import upgrade
    from desktop.program import program_command

    try:
        child = subprocess.run(program_command("migrate", "--db", str(db_path)), capture_output=True, text=True,
                               check=False)
        why = child.stderr.strip()[-500:] if child.returncode else ""
    except OSError as exc:
        why = str(exc)
    if why or schema_behind(engine):
        logging.getLogger(__name__).warning("数据库升级未能在子进程中完成，改在本进程进行：%s", why or "结构仍未更新")
        upgrade(engine, day_counting=settings.day_counting)


def _existing_secrets(settings: Settings, db_path: Path) -> tuple[KeyStore, Secrets]:
    """Secrets of a database that must already exist, proved to open it."""
    check_database_file(db_path)
    kind = sqlite_file_kind(db_path)
    if kind == "missing":
        raise _file_error(db_path, "missing")
    if kind == "plain":
        raise _plain_error(db_path)
    store = open_keystore(settings, db_path)
    secrets = load_secrets(settings, db_path)
    check_pages(db_path, secrets.database_key)
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
    if out.is_dir():
        raise DatabaseFileError(f"{out} 是一个文件夹：请指定备份文件的完整文件名（例如 {out / 'hall-备份.db'}）",
                                problem="directory", path=out)
    try:
        report = backup_encrypted(db_path, secrets.database_key, out)
        if anchor_bytes is not None:
            out.with_name(out.name + ".audit-head").write_bytes(anchor_bytes)
    except (FileExistsError, DatabaseKeyError):
        raise
    except Exception as exc:  # SQLite's or the file system's words for the target's trouble
        problem = file_problem(exc)
        if problem == "disk_full":
            raise DatabaseFileError(f"备份未完成：备份位置 {out.parent} 所在的磁盘空间不足，未留下不完整的备份文件，"
                                    "数据库未被改动。请清理空间或换一个空间足够的位置后重试",
                                    problem="disk_full", path=out) from exc
        if problem in ("read_only", "unreadable", "missing"):
            raise DatabaseFileError(f"备份未完成：无法在 {out.parent} 写入文件（该位置只读、没有写入权限或不存在），"
                                    "数据库未被改动。请换一个可写的位置后重试", problem="read_only", path=out) from exc
        raise
    with contextlib.suppress(OSError):  # the list only helps find backups later
        record_backup(db_path, out)
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
    if same_file(plain, db_path):
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
    damaged: bool = False  # the key is right (some pages verify under it) but the file is damaged


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
    if not opens and current is not None:
        bad, looked = damaged_pages(db_path, current.database_key)
        if bad and len(bad) < looked:
            return KeyStatus(store.describe(), True, pending is not None, True, damaged=True)
    if not opens and pending is not None and key_opens(db_path, pending.database_key):
        return KeyStatus(store.describe(), current is not None, True, True,
                         "上次更换密钥被中断：数据库已使用新密钥，下次启动时会自动完成保存")
    return KeyStatus(store.describe(), current is not None, pending is not None,
                     opens if current is not None else None)


# --- salvage of a damaged database ------------------------------------------------------------------


@dataclass(frozen=True)
class RecoverResult:
    """What ``recover`` saved into the new database, and what it could not read."""

    source: Path
    database: Path
    tables: list[SalvagedTable]
    cases: int
    events: int
    audit_ok: bool
    audit_summary: str
    integrity: str
    seconds: float
    orphaned: dict[str, int]  # case id → salvaged events left out: the case's registration was lost


def recover_database(settings: Settings, damaged: Path, out: Path) -> RecoverResult:
    """Salvage what can be read from a damaged database into a new one at ``out``.

    The new database gets the damaged one's secrets (the same key, query-code pepper and
    audit key: issued query codes keep verifying and the audit chain can still be checked),
    every row that can be read, and projections rebuilt from the salvaged events. The
    damaged file is only read.
    """
    from desktop.domain.access import Actor
    from desktop.services.audit import verify_audit
    from desktop.services.projections import rebuild_and_compare

    started = time.perf_counter()
    check_database_file(damaged, write=False)
    if out.is_dir():
        raise _file_error(out, "directory")
    if database_files(out):
        raise FileExistsError(f"{out} 已存在，程序不会覆盖它；请指定一个尚不存在的新文件")
    if sqlite_file_kind(damaged) == "plain":
        raise _plain_error(damaged)
    secrets = load_secrets(settings, damaged)
    check_database_file(out, create=True)
    open_keystore(settings, out).save(secrets)
    open_database(out, key=secrets.database_key).dispose()  # the schema, empty
    try:
        tables = salvage_rows(damaged, secrets.database_key, out, immutable=_read_only_here(damaged))
    except SchemaUnreadable:
        for path in database_files(out):  # the empty new database and its key: nothing was salvaged into them
            path.unlink()
        open_keystore(settings, out).delete()
        raise DatabaseFileError(
            f"无法从 {damaged} 抢救记录：文件中记录各张表所在位置的部分（数据库结构）已损坏，"
            "程序找不到任何一张表的数据，没有生成新数据库，损坏的文件未被改动。请从备份恢复。"
            f"{_backups_advice(damaged)}", problem="damaged", path=damaged) from None
    orphans = _drop_orphaned_events(out, secrets.database_key)
    hall = open_hall(settings, out, create=False)
    try:
        report, _same = rebuild_and_compare(hall, Actor.system("recover"), compare=False)
        audit = verify_audit(hall, Actor.system("recover"))
    finally:
        hall.engine.dispose()
    integrity = verify_encrypted(out, secrets.database_key)
    return RecoverResult(damaged, out, tables, report.cases, report.events, audit.ok, audit.summary(),
                         integrity, time.perf_counter() - started, orphans)


def _drop_orphaned_events(path: Path, key: bytes) -> dict[str, int]:
    """Remove the salvaged events of cases whose registration was lost (no case can be built from
    them) and rewind the sync cursor; returns case id → events removed. They stay in the damaged
    file, and come back with their registration from the server at the next sync if they had
    been synced."""
    from db.engine import connect_sqlcipher
    from desktop.domain.events import EventType

    with contextlib.closing(connect_sqlcipher(path, key)) as connection:
        rows = connection.execute(
            "SELECT case_id, count(*) FROM events WHERE case_id NOT IN "
            "(SELECT case_id FROM events WHERE type = ?) GROUP BY case_id ORDER BY case_id",
            (EventType.REGISTERED.value,)).fetchall()
        connection.execute("DELETE FROM events WHERE case_id NOT IN (SELECT case_id FROM events WHERE type = ?)",
                           (EventType.REGISTERED.value,))
        # the next sync pulls everything again (idempotent by event id): what the server holds of
        # the lost events comes back
        connection.execute("UPDATE sync_state SET cursor = 0")
    return {str(case_id): int(n) for case_id, n in rows}
