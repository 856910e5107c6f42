"""Opening the installation's database: create, migrate, and report what is there.

Also the whole-file operations on an encrypted database that the command line offers:
a consistent encrypted copy (``backup``), a new key (``rekey``) and the conversion of a
database from before encryption (``import-plain-database``). None of them ever writes to
a file it was not asked to create, and each verifies its result before reporting success.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, select

from db.engine import (
    DatabaseInUseError,
    DatabaseKeyError,
    attach_key_clause,
    connect_sqlcipher,
    key_pragma,
    make_engine,
    sqlcipher_module,
    sqlite_file_kind,
    sqlite_url,
)
from db.migrate import current_revision, head_revision, upgrade
from db.models import CaseRow, EventRow
from desktop.domain.access import Actor, Permission
from desktop.services.context import Hall

#: Files SQLite keeps beside a database while it is open or after a crash.
SIDE_SUFFIXES = ("-wal", "-shm", "-journal")


def database_files(path: Path) -> list[Path]:
    """The database file and whichever of its side files exist."""
    return [p for p in [path, *(path.with_name(path.name + s) for s in SIDE_SUFFIXES)] if p.exists()]


def open_database(path_or_url: Path | str, *, key: bytes | None = None, migrate: bool = True,
                  day_counting: str | None = None) -> Engine:
    """Engine for a file path (SQLite) or a database URL, migrated to the newest schema.

    ``day_counting`` is the installation's setting, for a migration that counts deadlines again
    (without it, such a migration reads the settings itself).

    With ``key`` the file is SQLCipher-encrypted (created encrypted when it does not exist
    yet); without it the file must be plain SQLite. A file that does not fit the key raises
    :class:`DatabaseKeyError` before anything is written or migrated.
    """
    if isinstance(path_or_url, Path) or "://" not in str(path_or_url):
        path = Path(path_or_url)
        check_database_key(path, key)
        path.parent.mkdir(parents=True, exist_ok=True)
        engine = make_engine(sqlite_url(path), key=key)
        try:
            with engine.connect():
                pass  # the key is proved on the first connection, before any migration
        except BaseException:
            engine.dispose()
            raise
    else:
        engine = make_engine(str(path_or_url))
    if migrate and schema_behind(engine):
        upgrade(engine, day_counting=day_counting)
    return engine


def schema_behind(engine: Engine) -> bool:
    """Whether the database is not at the newest schema (a migration is due)."""
    return current_revision(engine) != head_revision()


def check_database_key(path: Path, key: bytes | None) -> None:
    """Refuse a database file that cannot be opened with ``key`` (read-only check)."""
    kind = sqlite_file_kind(path)
    if kind == "plain" and key is not None:
        raise DatabaseKeyError(
            f"数据库 {path} 是旧版未加密的数据库，本程序只使用加密数据库。"
            "请用 import-plain-database 命令把它转换为加密数据库（原文件不会被改动），"
            "转换并核对后再安全删除原文件。", reason="plain", path=path)
    if kind == "encrypted" and key is None:
        raise DatabaseKeyError(
            f"数据库 {path} 不是未加密的 SQLite 数据库（可能已加密），没有密钥无法打开。",
            reason="not_plain", path=path)
    if kind == "encrypted" and key is not None and not key_opens(path, key):
        raise DatabaseKeyError(f"数据库密钥不正确：无法用本机保存的密钥解密数据库 {path}",
                               reason="wrong_key", path=path)


def _file_uri(path: Path, **params: str) -> str:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return "file:" + urllib.parse.quote(str(path.resolve())) + (f"?{query}" if query else "")


def key_opens(path: Path, key: bytes) -> bool:
    """Whether ``key`` decrypts the database file at ``path``; writes nothing, whatever the key.

    The file is opened read-only and *immutable*: SQLite then neither takes locks nor looks at
    the ``-wal``, ``-shm`` or ``-journal`` files, so not even a checkpoint or the rollback of a
    crashed transaction can happen under a wrong key. Pages in a WAL are always under the same
    key as the file (``rekey`` runs outside WAL mode), so the main file decides.
    """
    try:
        with contextlib.closing(connect_sqlcipher(_file_uri(path, mode="ro", immutable="1"), key, uri=True)):
            return True
    except DatabaseKeyError:
        return False


def roll_back_interrupted_rekey(path: Path, old_key: bytes) -> None:
    """Finish the crash recovery of an interrupted ``rekey`` before deciding which key is right.

    While ``PRAGMA rekey`` commits, the file holds pages under both keys and the rollback
    journal holds the old ones; SQLite rolls it back on the next read-write open under the old
    key. Without a journal there is nothing to do.
    """
    if not path.with_name(path.name + "-journal").exists():
        return
    with contextlib.suppress(DatabaseKeyError), contextlib.closing(connect_sqlcipher(path, old_key)):
        pass


def counts(engine: Engine) -> tuple[int, int]:
    """(cases, events) in the database."""
    with engine.connect() as connection:
        cases = connection.scalar(select(func.count()).select_from(CaseRow)) or 0
        events = connection.scalar(select(func.count()).select_from(EventRow)) or 0
    return cases, events


def table_counts(connection: Any, schema: str = "main") -> dict[str, int]:
    """Rows of every ordinary table (FTS shadow tables included, virtual tables not)."""
    names = [row[0] for row in connection.execute(
        f"SELECT name FROM {schema}.sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "AND sql NOT LIKE 'CREATE VIRTUAL TABLE%' ORDER BY name")]
    return {name: int(connection.execute(f'SELECT count(*) FROM {schema}."{name}"').fetchone()[0])
            for name in names}


def integrity_report(connection: Any) -> str:
    """``ok`` when both SQLite's and SQLCipher's page checks pass, else what they found."""
    problems = [str(row[0]) for row in connection.execute("PRAGMA integrity_check")]
    if problems != ["ok"]:
        return "；".join(problems[:5])
    cipher = [str(row[0]) for row in connection.execute("PRAGMA cipher_integrity_check")]
    return "ok" if not cipher else "；".join(cipher[:5])


def _size(path: Path) -> int:
    return sum(p.stat().st_size for p in database_files(path))


def _publish(tmp: Path, out: Path) -> None:
    """Move a finished file into place without ever replacing an existing one."""
    try:
        os.link(tmp, out)  # fails if ``out`` exists, atomically
    except FileExistsError:
        raise FileExistsError(f"{out} 已存在，程序不会覆盖它；请换一个文件名") from None
    except OSError:
        # file systems without hard links (FAT/exFAT USB sticks)
        if out.exists():
            raise FileExistsError(f"{out} 已存在，程序不会覆盖它；请换一个文件名") from None
        os.rename(tmp, out)
        return
    tmp.unlink()


@contextlib.contextmanager
def _new_file_beside(out: Path) -> Iterator[Path]:
    """An empty private (0600) temporary file in ``out``'s folder, removed unless published."""
    if out.exists():
        raise FileExistsError(f"{out} 已存在，程序不会覆盖它；请换一个文件名")
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".partial")
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
    finally:
        for leftover in [tmp, *(tmp.with_name(tmp.name + s) for s in SIDE_SUFFIXES)]:
            leftover.unlink(missing_ok=True)


@dataclass(frozen=True)
class CopyReport:
    """What a backup or import wrote, for the command's output and the audit log."""

    path: Path
    bytes: int
    seconds: float
    rows: dict[str, int]
    integrity: str


def backup_encrypted(source: Path, key: bytes, out: Path) -> CopyReport:
    """A consistent encrypted copy of a live database, verified, never over an existing file.

    SQLite's online backup API copies every page in one step under one read transaction, so
    the copy is one consistent moment of the database (committed WAL content included) even
    while the program is writing. The copy has the same key and is a single file.
    """
    started = time.perf_counter()
    with _new_file_beside(out) as tmp:
        with contextlib.closing(connect_sqlcipher(source, key)) as src, \
                contextlib.closing(connect_sqlcipher(tmp, key)) as dst:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")
        with contextlib.closing(connect_sqlcipher(tmp, key)) as check:
            integrity = integrity_report(check)
            rows = table_counts(check)
        if integrity != "ok":
            raise RuntimeError(f"备份文件校验未通过：{integrity}。原数据库未被改动，请联系技术支持")
        _publish(tmp, out)
    return CopyReport(out, out.stat().st_size, time.perf_counter() - started, rows, integrity)


def import_plain(plain: Path, key: bytes, target: Path) -> tuple[CopyReport, dict[str, int]]:
    """Write an encrypted copy of an unencrypted database; the plain file is only read.

    Returns the report of the new database and the row counts read from the plain one
    (they are equal, or this raises before the new file is put in place).
    """
    if sqlite_file_kind(plain) != "plain":
        raise DatabaseKeyError(f"{plain} 不是未加密的 SQLite 数据库，无法导入", reason="not_plain", path=plain)
    if sqlite_file_kind(target) != "missing":
        raise FileExistsError(f"目标数据库 {target} 已存在，程序不会覆盖它")
    started = time.perf_counter()
    # Opened read-only through a URI: the plain file is never written. Without a WAL left over
    # it is also opened immutable (no lock or -shm file is even created); with one (the old
    # program did not shut down cleanly) SQLite reads it, touching only the -shm index.
    wal = plain.with_name(plain.name + "-wal")
    unflushed = wal.exists() and wal.stat().st_size > 0
    plain_uri = _file_uri(plain, mode="ro") if unflushed else _file_uri(plain, mode="ro", immutable="1")
    module = sqlcipher_module()
    with _new_file_beside(target) as tmp:
        with contextlib.closing(module.connect(plain_uri, uri=True, isolation_level=None)) as source:
            try:
                expected = table_counts(source)
            except module.DatabaseError as exc:
                raise DatabaseKeyError(f"无法读取未加密数据库 {plain}：{exc}", reason="not_plain",
                                       path=plain) from exc
            source.execute(f"ATTACH DATABASE ? AS encrypted {attach_key_clause(key)}", (str(tmp),))
            source.execute("BEGIN")
            source.execute("SELECT sqlcipher_export('encrypted')")
            user_version = source.execute("PRAGMA main.user_version").fetchone()[0]
            source.execute(f"PRAGMA encrypted.user_version = {int(user_version)}")
            source.execute("COMMIT")
            source.execute("DETACH DATABASE encrypted")
        with contextlib.closing(connect_sqlcipher(tmp, key)) as check:
            integrity = integrity_report(check)
            rows = table_counts(check)
        if integrity != "ok" or rows != expected:
            raise RuntimeError("转换后的数据库核对未通过（"
                               f"{integrity if integrity != 'ok' else '行数与原数据库不一致'}），"
                               "未生成目标文件，原数据库未被改动")
        _publish(tmp, target)
    return CopyReport(target, _size(target), time.perf_counter() - started, rows, integrity), expected


def rekey_encrypted(path: Path, old_key: bytes, new_key: bytes) -> int:
    """Re-encrypt every page of the database with ``new_key``; returns the page count.

    Needs the database to itself: leaving WAL mode fails while any other connection (the
    running program) has the file open, and that is checked first. ``PRAGMA rekey`` then
    rewrites all pages in one rollback-journal transaction, so a crash leaves the database
    entirely under the old key or entirely under the new one.
    """
    with contextlib.closing(connect_sqlcipher(path, old_key, timeout=2.0)) as connection:
        try:
            connection.execute("PRAGMA journal_mode=DELETE").fetchone()
        except sqlcipher_module().OperationalError as exc:
            raise DatabaseInUseError(
                f"数据库 {path} 正被其他程序使用（可能有信访大厅窗口未关闭）。"
                "请关闭本机所有使用该数据库的程序后再更换密钥。") from exc
        mode = connection.execute("PRAGMA journal_mode").fetchone()[0]
        if str(mode).lower() != "delete":
            raise DatabaseInUseError(f"数据库 {path} 正被其他程序使用，无法独占；请关闭其他程序后重试")
        connection.execute("PRAGMA locking_mode=EXCLUSIVE")
        pages = int(connection.execute("PRAGMA page_count").fetchone()[0])
        connection.execute(key_pragma(new_key, "rekey"))
        connection.execute("PRAGMA journal_mode=WAL").fetchone()
    return pages


def verify_encrypted(path: Path, key: bytes) -> str:
    """``ok`` when ``key`` opens the database and every page checks out."""
    with contextlib.closing(connect_sqlcipher(path, key)) as connection:
        return integrity_report(connection)


@dataclass(frozen=True)
class InstallationStatus:
    """What the administrator's 系统状态 page shows."""

    database: str
    cases: int
    events: int
    holiday_years: tuple[int, int]
    device_code: str
    day_counting: str  # in words
    settings: list[tuple[str, str, str]]  # name, value as shown (secrets withheld), description


def installation_status(hall: Hall, actor: Actor) -> InstallationStatus:
    """The database, its size, the holiday data and the settings in force (needs 修改设置)."""
    from desktop.config import settings_in_force
    from desktop.services.audit import guard

    guard(hall, actor, Permission.MANAGE_SETTINGS, "查看系统状态")
    cases, events = counts(hall.engine)
    years = hall.policy.calendar.known_years()
    return InstallationStatus(
        database=str(hall.engine.url.database or hall.engine.url.render_as_string(hide_password=True)),
        cases=cases, events=events, holiday_years=(years[0], years[-1]),
        device_code=hall.settings.device_code,
        day_counting="自然日" if hall.settings.day_counting == "calendar" else "工作日",
        settings=settings_in_force(hall.settings))


# --- salvage of a damaged database -------------------------------------------------------------

#: Tables rebuilt from the events after a salvage rather than copied (desktop/services/projections.py).
PROJECTION_TABLES = frozenset({"cases", "case_persons", "search_keys"})


@dataclass(frozen=True)
class SalvagedTable:
    name: str
    copied: int
    lost_ranges: tuple[tuple[int, int], ...]  # row ids (for events: their local order) that could not be read
    unreadable: bool = False  # nothing of the table could be read at all

    @property
    def lost_at_most(self) -> int:
        return sum(hi - lo + 1 for lo, hi in self.lost_ranges)


class _Salvage:
    """The new database with the damaged one attached read-only; opened afresh after every read error.

    A read error on a damaged page can leave SQLite's page cache unusable for the rest of the
    connection (SQLITE_NOMEM on an absurd cell size), so each failed read gets a new connection.
    """

    def __init__(self, damaged: Path, key: bytes, target: Path, *, immutable: bool) -> None:
        self.damaged, self.key, self.target = damaged, key, target
        self.source = _file_uri(damaged, mode="ro", **({"immutable": "1"} if immutable else {}))
        self.errors: tuple[type[BaseException], ...] = (sqlcipher_module().DatabaseError, MemoryError)
        self.connection: Any = None
        self.reopen()

    def reopen(self) -> None:
        if self.connection is not None:
            with contextlib.suppress(*self.errors):
                self.connection.close()
        self.connection = connect_sqlcipher(_file_uri(self.target), self.key, uri=True)
        self.connection.execute(f"ATTACH DATABASE ? AS damaged {attach_key_clause(self.key)}",
                                (self.source,))

    def run(self, sql: str, params: tuple[Any, ...] = ()) -> Any:
        """The statement's cursor, or None when the damaged file could not be read."""
        try:
            return self.connection.execute(sql, params)
        except self.errors:
            self.reopen()
            return None

    def close(self) -> None:
        with contextlib.suppress(*self.errors):
            self.connection.close()


def _copy_range(salvage: _Salvage, table: str, columns: str, lo: int, hi: int, lost: list[tuple[int, int]]) -> int:
    """Copy rows ``lo``–``hi`` (by row id) of ``damaged``, halving around what cannot be read."""
    cursor = salvage.run(f'INSERT OR IGNORE INTO main."{table}" ({columns}) '
                         f'SELECT {columns} FROM damaged."{table}" WHERE rowid BETWEEN ? AND ?', (lo, hi))
    if cursor is not None:
        return max(int(cursor.rowcount), 0)
    if lo == hi:
        if lost and lost[-1][1] == lo - 1:
            lost[-1] = (lost[-1][0], lo)
        else:
            lost.append((lo, lo))
        return 0
    mid = (lo + hi) // 2
    return _copy_range(salvage, table, columns, lo, mid, lost) + _copy_range(salvage, table, columns, mid + 1, hi, lost)


def _copy_table(salvage: _Salvage, table: str, sql: str, chunk: int) -> SalvagedTable:
    if "WITHOUT ROWID" in sql.upper():
        whole = salvage.run(f'INSERT OR IGNORE INTO main."{table}" SELECT * FROM damaged."{table}"')
        return SalvagedTable(table, max(int(whole.rowcount), 0), ()) if whole else SalvagedTable(table, 0, (), True)
    here = salvage.run(f'PRAGMA damaged.table_info("{table}")')
    there = salvage.run(f'PRAGMA main.table_info("{table}")')
    bounds = salvage.run(f'SELECT min(rowid), max(rowid) FROM damaged."{table}"')
    if here is None or there is None or bounds is None:
        return SalvagedTable(table, 0, (), unreadable=True)
    wanted = {r[1] for r in there.fetchall()}
    columns = ", ".join(f'"{c}"' for c in (r[1] for r in here.fetchall()) if c in wanted)
    first, last = bounds.fetchone()
    if not columns or first is None:
        return SalvagedTable(table, 0, ())
    lost: list[tuple[int, int]] = []
    copied = 0  # each chunk commits by itself: a read error never takes the chunks before it back
    cursor, last = int(first), int(last)
    while cursor <= last:
        found = salvage.run(f'SELECT min(rowid) FROM damaged."{table}" WHERE rowid >= ?', (cursor,))
        if found is not None:  # jump over gaps in the row ids (when the lookup itself fails, walk the range)
            value = found.fetchone()[0]
            cursor = int(value) if value is not None else last + 1
        if cursor > last:
            break
        hi = min(cursor + chunk - 1, last)
        copied += _copy_range(salvage, table, columns, cursor, hi, lost)
        cursor = hi + 1
    return SalvagedTable(table, copied, tuple(lost))


class SchemaUnreadable(RuntimeError):
    """The damaged file's schema (where each table's rows begin) cannot be read: no row can be reached."""


def salvage_rows(damaged: Path, key: bytes, target: Path, *, chunk: int = 2000,
                 immutable: bool = False) -> list[SalvagedTable]:
    """Copy every row that can still be read from ``damaged`` into ``target`` (an empty, migrated database).

    Row by row id in chunks: a chunk that cannot be read is halved until the unreadable rows
    are pinned down, so one damaged page loses only the rows on it. The projections and the
    search index are not copied (they are rebuilt from the events afterwards); ``damaged`` is
    only read. ``immutable``: the file is on a read-only disk, where SQLite cannot make the
    index of its write-ahead log; it is then read as it stands.
    """
    try:
        salvage = _Salvage(damaged, key, target, immutable=immutable)
    except (sqlcipher_module().DatabaseError, MemoryError) as exc:  # attaching reads the whole schema
        raise SchemaUnreadable(str(exc)) from exc
    try:
        schema = salvage.connection.execute("SELECT name, sql FROM main.sqlite_schema WHERE type = 'table' "
                                            "AND name NOT LIKE 'sqlite_%' AND name != 'alembic_version'").fetchall()
        virtual = [name for name, sql in schema if str(sql).upper().startswith("CREATE VIRTUAL TABLE")]
        return [_copy_table(salvage, table, str(sql), chunk) for table, sql in sorted(schema)
                if table not in PROJECTION_TABLES and not any(table == v or table.startswith(v + "_") for v in virtual)]
    finally:
        salvage.close()
