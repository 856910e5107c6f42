"""One place that builds database engines: SQLCipher-encrypted SQLite on the desktop, PostgreSQL on the server.

Every desktop database is one SQLCipher file: tables, indexes, the FTS5 index, the
write-ahead log and temporary data are all encrypted with the installation's 256-bit
database key, so search and migrations run unchanged on top. The key is handed to
SQLCipher in its raw form (``x'<64 hex digits>'``): it is already random, so SQLCipher's
PBKDF2 stretching (256,000 rounds per connection) would only slow every connection down.

Plain SQLite (no key) is still possible, only for reading databases from before encryption
(``import-plain-database``) and for tests that compare against it.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.orm import Session, sessionmaker

#: The first 16 bytes of every unencrypted SQLite database file. An SQLCipher file starts
#: with its random salt instead, so the two can be told apart without any key.
PLAIN_SQLITE_HEADER = b"SQLite format 3\x00"
KEY_BYTES = 32

FileKind = Literal["missing", "plain", "encrypted"]


class DatabaseKeyError(RuntimeError):
    """The database and the key do not fit together; nothing on disk has been changed.

    ``reason`` is one of ``wrong_key`` (the key does not decrypt the file), ``missing_key``
    (an encrypted file and no key), ``plain`` (an unencrypted file where an encrypted one is
    expected) and ``not_plain`` (a key-less open of a file that is not plain SQLite).
    """

    def __init__(self, message: str, *, reason: str, path: Path | None = None) -> None:
        super().__init__(message)
        self.reason = reason
        self.path = path


class DatabaseInUseError(RuntimeError):
    """An operation that needs the database to itself found it opened by another program."""


FileProblem = Literal["missing", "directory", "unreadable", "read_only", "damaged", "disk_full", "io"]


class DatabaseFileError(RuntimeError):
    """The database file cannot be used as it is: missing, a folder, read-only, damaged, disk full.

    The message says in plain Chinese what is wrong and what to do; ``problem`` names the kind
    for the program (one of :data:`FileProblem`).
    """

    def __init__(self, message: str, *, problem: FileProblem, path: Path | None = None) -> None:
        super().__init__(message)
        self.problem = problem
        self.path = path


#: SQLite's own words (its error text and extended codes) for the file problems above.
_SQLITE_PROBLEMS: tuple[tuple[str, FileProblem], ...] = (
    ("database or disk is full", "disk_full"),
    ("no space left", "disk_full"),
    ("readonly database", "read_only"),
    ("read-only", "read_only"),
    ("database disk image is malformed", "damaged"),
    ("file is not a database", "damaged"),
    ("hmac check failed", "damaged"),
    ("unable to open database file", "unreadable"),
    ("disk i/o error", "io"),
)


def file_problem(error: BaseException) -> FileProblem | None:
    """Which file problem an exception from SQLite or the file system stands for, if any."""
    import errno

    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:  # SQLAlchemy wraps the DB-API error
        seen.add(id(current))
        if isinstance(current, DatabaseFileError):
            return current.problem
        if isinstance(current, OSError) and not isinstance(current, FileExistsError):
            if current.errno in (errno.ENOSPC, errno.EDQUOT):
                return "disk_full"
            if current.errno == errno.EROFS or current.errno in (errno.EACCES, errno.EPERM):
                return "read_only"
            if current.errno == errno.EISDIR:
                return "directory"
            if current.errno == errno.ENOENT:
                return "missing"
            if current.errno == errno.EIO:
                return "io"
        text = str(current).lower()
        if type(current).__module__.split(".")[0] in ("sqlite3", "sqlcipher3", "sqlalchemy"):
            for needle, problem in _SQLITE_PROBLEMS:
                if needle in text:
                    return problem
        current = current.__cause__ or current.__context__ or getattr(current, "orig", None)
    return None


def sqlite_url(path: Path) -> URL:
    return URL.create("sqlite+pysqlite", database=str(path))


def sqlcipher_module() -> Any:
    """The SQLCipher DB-API module (same interface as :mod:`sqlite3`)."""
    from sqlcipher3 import dbapi2

    return dbapi2


def sqlite_file_kind(path: Path) -> FileKind:
    """Whether ``path`` holds nothing yet, a plain SQLite database, or something encrypted."""
    try:
        with path.open("rb") as handle:
            header = handle.read(len(PLAIN_SQLITE_HEADER))
    except FileNotFoundError:
        return "missing"
    if not header:
        return "missing"  # SQLite treats an empty file as a new database
    return "plain" if header == PLAIN_SQLITE_HEADER else "encrypted"


#: SQLCipher 4's page layout (its defaults, which this program never changes): 4096-byte pages,
#: each ending in a 16-byte IV and a 64-byte HMAC-SHA512 over the page and its number.
CIPHER_PAGE_SIZE = 4096
_HMAC_BYTES = 64
_SALT_BYTES = 16


def damaged_pages(path: Path, key: bytes, *, sample: int | None = 256) -> tuple[list[int], int]:
    """(pages of the main file whose HMAC does not verify under ``key``, pages looked at).

    Reads the file directly, without SQLite: ``sample=None`` checks every page (what
    ``cipher_integrity_check`` does, for ``doctor``); a number checks the first pages, the
    last pages and that many spread evenly over the file — a few hundred page reads, so a
    few milliseconds whatever the file's size (the check made at every start). A partial
    last page counts as damaged. With a wrong key *every* page fails; with the right key
    and a flipped byte only the page holding it does.
    """
    import hashlib
    import hmac

    size = path.stat().st_size
    pages = size // CIPHER_PAGE_SIZE
    if pages == 0:
        return ([1] if size else []), 0
    with path.open("rb") as handle:
        salt = handle.read(_SALT_BYTES)
        hmac_key = hashlib.pbkdf2_hmac("sha512", key, bytes(b ^ 0x3A for b in salt), 2, 32)
        if sample is None or pages <= 2 * sample:
            numbers: list[int] = list(range(1, pages + 1))
        else:
            step = pages / sample
            numbers = sorted({*range(1, 33), *range(pages - 31, pages + 1),
                              *(1 + int(i * step) for i in range(sample))})
        bad: list[int] = []
        for number in numbers:
            handle.seek((number - 1) * CIPHER_PAGE_SIZE)
            page = handle.read(CIPHER_PAGE_SIZE)
            start = _SALT_BYTES if number == 1 else 0
            body, mac = page[start:-_HMAC_BYTES], page[-_HMAC_BYTES:]
            wanted = hmac.new(hmac_key, body + number.to_bytes(4, "little"), hashlib.sha512).digest()
            if not hmac.compare_digest(wanted, mac):
                bad.append(number)
    if size % CIPHER_PAGE_SIZE:
        bad.append(pages + 1)
    return bad, len(numbers)


def key_pragma(key: bytes, pragma: str = "key") -> str:
    """``PRAGMA key`` (or ``rekey``) with the raw-key form, which skips key derivation."""
    if len(key) != KEY_BYTES:
        raise ValueError(f"数据库密钥必须是 {KEY_BYTES} 字节")
    return f"PRAGMA {pragma} = \"x'{key.hex()}'\""


def attach_key_clause(key: bytes) -> str:
    """The ``KEY`` clause of ``ATTACH DATABASE`` for the raw key (``KEY ''`` = unencrypted)."""
    return f"KEY \"x'{key.hex()}'\"" if key else "KEY ''"


def apply_key(dbapi_connection: Any, key: bytes, path: Path | None = None) -> None:
    """Key a fresh SQLCipher connection and prove the key decrypts the file.

    Must be the very first statement on the connection. A wrong key is reported as
    :class:`DatabaseKeyError`; the connection is closed and nothing is written.
    """
    cursor = dbapi_connection.cursor()
    try:
        # SQLCipher logs every failed page decryption to stderr in English; a wrong key is
        # reported to the user by the exception below instead.
        cursor.execute("PRAGMA cipher_log_level = NONE")
        cursor.execute(key_pragma(key))
        cursor.execute("SELECT count(*) FROM sqlite_schema").fetchone()
    except sqlcipher_module().DatabaseError as exc:
        cursor.close()
        dbapi_connection.close()
        shown = f" {path}" if path else ""
        raise DatabaseKeyError(f"数据库密钥不正确：无法用本机保存的密钥解密数据库{shown}（{exc}）",
                               reason="wrong_key", path=path) from exc
    cursor.close()


def connect_sqlcipher(path: Path | str, key: bytes, *, timeout: float = 10.0, uri: bool = False) -> Any:
    """A raw DB-API connection to an encrypted database (backup, rekey, import)."""
    connection = sqlcipher_module().connect(str(path), timeout=timeout, uri=uri, isolation_level=None)
    apply_key(connection, key, Path(path) if not uri else None)
    return connection


def make_engine(url: str | URL, *, key: bytes | None = None, echo: bool = False) -> Engine:
    """Engine with the pragmas the desktop relies on (WAL, foreign keys, busy wait).

    ``key`` encrypts an SQLite database with SQLCipher (the normal case on the desktop);
    without it the file is plain SQLite. PostgreSQL ignores ``key``: the server protects
    its storage itself.
    """
    url = make_url(url)
    if url.get_backend_name() != "sqlite":
        return create_engine(url, echo=echo, pool_pre_ping=True)
    if key is None:
        engine = create_engine(url, echo=echo)
    else:
        if len(key) != KEY_BYTES:
            raise ValueError(f"数据库密钥必须是 {KEY_BYTES} 字节")
        # The pysqlite dialect on the SQLCipher module: the key stays out of the URL (which is
        # shown in windows and logs) and out of SQLAlchemy's statement echo.
        engine = create_engine(url, echo=echo, module=sqlcipher_module())
        path = Path(url.database) if url.database else None

        def _key(dbapi_connection: Any, _record: Any) -> None:
            apply_key(dbapi_connection, key, path)

        # insert=True: before the dialect's own first-connect queries.
        event.listen(engine, "connect", _key, insert=True)
    event.listen(engine, "connect", apply_sqlite_pragmas)
    return engine


def apply_sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA temp_store=MEMORY")
        cursor.execute("PRAGMA cache_size=-65536")
    finally:
        cursor.close()


def cipher_version() -> str:
    """The SQLCipher library version, e.g. ``4.12.0 community`` (no database needed)."""
    with contextlib.closing(sqlcipher_module().connect(":memory:")) as connection:
        row = connection.execute("PRAGMA cipher_version").fetchone()
    return str(row[0]) if row and row[0] else ""


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)
