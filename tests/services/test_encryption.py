"""The desktop database is one SQLCipher file: opened only with its key, never damaged by a wrong one."""

from __future__ import annotations

import contextlib
import os
import signal
import stat
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func, select

from db.engine import (
    PLAIN_SQLITE_HEADER,
    DatabaseInUseError,
    DatabaseKeyError,
    connect_sqlcipher,
    make_engine,
    sqlite_file_kind,
    sqlite_url,
)
from db.models import CaseRow
from desktop.config import Settings
from desktop.domain.numbering import verify_query_code
from desktop.installation import (
    backup_database,
    import_plain_database,
    load_secrets,
    open_hall,
    rekey_database,
)
from desktop.keystore import KeyFileStore, Secrets
from desktop.services.context import Actor, Hall
from desktop.services.database import (
    backup_encrypted,
    database_files,
    key_opens,
    open_database,
    rekey_encrypted,
    table_counts,
)
from desktop.services.demo_runner import generate_demo_database
from desktop.services.lookup import find_cases
from desktop.services.registration import register_visit
from tests.conftest import PEPPER, SECRETS, make_hall, make_settings
from tests.helpers import form, valid_id

OTHER_KEY = bytes(range(200, 232))


def _settings(db: Path, **overrides: object) -> Settings:
    return make_settings(database=db, **overrides)


def _snapshot(db: Path) -> dict[str, tuple[bytes, int]]:
    """Bytes and modification time of the database and every side file."""
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in database_files(db)}


def _cases(engine: Engine) -> int:
    with engine.connect() as connection:
        return connection.scalar(select(func.count()).select_from(CaseRow)) or 0


def _new_hall(db: Path, clerk: Actor, cases: int = 2) -> Secrets:
    """A database made the way the program makes it, with a few cases; returns its secrets."""
    hall = open_hall(_settings(db), db)
    for seq in range(cases):
        register_visit(hall, clerk, form(id_number=valid_id(seq=seq + 1), request=f"反映事项第{seq}件，要求处理"))
    hall.engine.dispose()
    return load_secrets(_settings(db), db)


def _crash_leaving_wal(db: Path, key: bytes) -> None:
    """Another process writes and dies without closing: the -wal and -shm files stay behind."""
    code = textwrap.dedent(f"""
        import os
        from db.engine import connect_sqlcipher
        c = connect_sqlcipher({str(db)!r}, bytes.fromhex({key.hex()!r}))
        c.execute("PRAGMA journal_mode=WAL")
        c.execute("PRAGMA wal_autocheckpoint=0")
        c.execute("CREATE TABLE IF NOT EXISTS crash_note (x TEXT)")
        c.execute("INSERT INTO crash_note VALUES ('written before the crash')")
        os._exit(0)
    """)
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).resolve().parents[2])
    assert {p.name for p in database_files(db)} >= {db.name, db.name + "-wal", db.name + "-shm"}


# --- the engine -------------------------------------------------------------------------------


def test_every_test_database_is_encrypted(sqlite_engine: Engine) -> None:
    path = Path(str(sqlite_engine.url.database))
    assert sqlite_file_kind(path) == "encrypted"
    assert path.read_bytes()[:16] != PLAIN_SQLITE_HEADER
    with sqlite_engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA cipher_version").scalar()
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_the_key_stays_out_of_the_url(sqlite_engine: Engine) -> None:
    key = SECRETS.database_key.hex()
    assert key not in str(sqlite_engine.url)
    assert key not in sqlite_engine.url.render_as_string(hide_password=False)


def test_engine_with_wrong_key_raises_key_error(sqlite_engine: Engine) -> None:
    path = Path(str(sqlite_engine.url.database))
    sqlite_engine.dispose()
    wrong = make_engine(sqlite_url(path), key=OTHER_KEY)
    with pytest.raises(DatabaseKeyError) as raised, wrong.connect():
        pass
    assert raised.value.reason == "wrong_key"
    wrong.dispose()


# --- first start, key without database, database without key -----------------------------------


def test_first_start_creates_secrets_then_the_encrypted_database(tmp_path: Path) -> None:
    db = tmp_path / "data" / "hall.db"
    hall = open_hall(_settings(db), db)
    hall.engine.dispose()
    store = KeyFileStore.for_database(db)
    assert store.load() == hall.secrets
    assert sqlite_file_kind(db) == "encrypted"
    assert hall.secrets.query_code_pepper == PEPPER  # adopted from the settings
    again = open_hall(_settings(db), db)
    assert again.secrets == hall.secrets
    again.engine.dispose()


def test_a_stored_key_without_database_creates_it_with_that_key(tmp_path: Path) -> None:
    db = tmp_path / "hall.db"
    KeyFileStore.for_database(db).save(SECRETS)
    hall = open_hall(_settings(db), db)
    hall.engine.dispose()
    assert hall.secrets == SECRETS
    assert key_opens(db, SECRETS.database_key)


def test_database_without_key_is_refused_and_left_alone(tmp_path: Path, clerk: Actor) -> None:
    db = tmp_path / "hall.db"
    _new_hall(db, clerk)
    _crash_leaving_wal(db, load_secrets(_settings(db), db).database_key)
    store = KeyFileStore.for_database(db)
    store.delete()
    before = _snapshot(db)
    with pytest.raises(DatabaseKeyError, match="找不到它的密钥") as refused:
        open_hall(_settings(db), db)
    assert refused.value.reason == "missing_key"
    assert "不会为已有的数据库生成新密钥" in str(refused.value)
    assert store.load() is None  # no new key generated over existing data
    assert _snapshot(db) == before


def test_a_database_moved_to_another_folder_opens_with_the_key_it_left_behind(tmp_path: Path, clerk: Actor) -> None:
    """A key file is named for its database's path: a database moved (or a backup restored) to another folder found
    no key beside the others and would not open. The key of a same-named database that opens it is taken, and saved
    for the new path as well; another database's key of the same name is never taken for it."""
    first = tmp_path / "a" / "hall.db"
    first.parent.mkdir()
    secrets = _new_hall(first, clerk)
    stranger = tmp_path / "b" / "hall.db"  # another installation's database of the same name, its own key
    stranger.parent.mkdir()
    _new_hall(stranger, clerk)
    moved = tmp_path / "c" / "hall.db"
    moved.parent.mkdir()
    for part in first.parent.iterdir():
        part.rename(moved.parent / part.name)
    assert KeyFileStore.for_database(moved).load() is None
    hall = open_hall(_settings(moved), moved)
    try:
        assert hall.secrets == secrets and _cases(hall.engine) == 2
    finally:
        hall.engine.dispose()
    assert KeyFileStore.for_database(moved).load() == secrets  # saved for its new place
    assert KeyFileStore.for_database(first).load() == secrets  # and still for the old one

    lone = tmp_path / "d" / "hall.db"  # a database whose key is nowhere: refused as before, nothing adopted
    lone.parent.mkdir()
    _new_hall(lone, clerk)
    KeyFileStore.for_database(lone).delete()
    elsewhere = tmp_path / "e" / "hall.db"
    elsewhere.parent.mkdir()
    for part in lone.parent.iterdir():
        part.rename(elsewhere.parent / part.name)
    with pytest.raises(DatabaseKeyError, match="找不到它的密钥"):
        open_hall(_settings(elsewhere), elsewhere)
    assert KeyFileStore.for_database(elsewhere).load() is None


def test_wrong_key_is_refused_and_nothing_is_written(tmp_path: Path, clerk: Actor) -> None:
    db = tmp_path / "hall.db"
    right = _new_hall(db, clerk)
    _crash_leaving_wal(db, right.database_key)
    store = KeyFileStore.for_database(db)
    store.save(right.with_database_key(OTHER_KEY))
    before = _snapshot(db)
    with pytest.raises(DatabaseKeyError, match="密钥与数据库不配套") as refused:
        open_hall(_settings(db), db)
    assert refused.value.reason == "wrong_key" and str(store.path) in str(refused.value)
    assert _snapshot(db) == before
    with pytest.raises(DatabaseKeyError):
        open_database(db, key=OTHER_KEY)
    assert _snapshot(db) == before
    # with the right key back, the crashed writer's last transaction is there
    store.save(right)
    hall = open_hall(_settings(db), db)
    with hall.engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT x FROM crash_note").scalar() == "written before the crash"
    assert _cases(hall.engine) == 2
    hall.engine.dispose()


def test_plain_database_where_encrypted_expected_is_refused(tmp_path: Path, clerk: Actor) -> None:
    db = tmp_path / "hall.db"
    plain = open_database(db)  # as before this version
    register_visit(make_hall(plain), clerk, form())
    plain.dispose()
    before = _snapshot(db)
    with pytest.raises(DatabaseKeyError, match="import-plain-database") as refused:
        open_hall(_settings(db), db)
    assert refused.value.reason == "plain"
    assert _snapshot(db) == before
    assert KeyFileStore.for_database(db).load() is None
    KeyFileStore.for_database(db).save(SECRETS)  # even with a key in the store
    with pytest.raises(DatabaseKeyError, match="未加密"):
        open_hall(_settings(db), db)
    assert _snapshot(db) == before


def test_encrypted_database_opened_without_key_is_refused(sqlite_engine: Engine) -> None:
    path = Path(str(sqlite_engine.url.database))
    sqlite_engine.dispose()
    before = _snapshot(path)
    with pytest.raises(DatabaseKeyError) as refused:
        open_database(path)
    assert refused.value.reason == "not_plain"
    assert _snapshot(path) == before


# --- rekey ----------------------------------------------------------------------------------------


def test_rekey_then_only_the_new_key_opens(tmp_path: Path, clerk: Actor) -> None:
    db = tmp_path / "hall.db"
    old = _new_hall(db, clerk)
    result = rekey_database(_settings(db), db)
    new = KeyFileStore.for_database(db).load()
    assert new is not None and new.database_key != old.database_key
    assert (new.query_code_pepper, new.audit_key, new.field_key, new.index_key) == (
        old.query_code_pepper, old.audit_key, old.field_key, old.index_key)
    assert result.old_key_id != result.new_key_id and result.pages > 0
    assert old.database_key.hex() not in repr(result) and new.database_key.hex() not in repr(result)
    assert not key_opens(db, old.database_key)
    assert key_opens(db, new.database_key)
    assert KeyFileStore.for_database(db).pending().load() is None
    hall = open_hall(_settings(db), db)
    assert _cases(hall.engine) == 2
    with hall.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    hall.engine.dispose()


def test_rekey_refused_while_the_program_has_the_database_open(tmp_path: Path, clerk: Actor) -> None:
    db = tmp_path / "hall.db"
    old = _new_hall(db, clerk)
    running = open_hall(_settings(db), db)
    with running.engine.connect() as connection:
        connection.exec_driver_sql("SELECT count(*) FROM cases").scalar()
        with pytest.raises(DatabaseInUseError, match="正被其他程序使用"):
            rekey_database(_settings(db), db)
    running.engine.dispose()
    assert KeyFileStore.for_database(db).load() == old
    assert KeyFileStore.for_database(db).pending().load() is None
    assert key_opens(db, old.database_key)


def test_rekey_interrupted_before_the_database_changed(tmp_path: Path, clerk: Actor) -> None:
    db = tmp_path / "hall.db"
    old = _new_hall(db, clerk)
    store = KeyFileStore.for_database(db)
    store.pending().save(old.with_database_key(OTHER_KEY))  # step 1 done, then the power went
    hall = open_hall(_settings(db), db)
    hall.engine.dispose()
    assert hall.secrets == old
    assert store.pending().load() is None


def test_rekey_interrupted_after_the_database_changed(tmp_path: Path, clerk: Actor) -> None:
    db = tmp_path / "hall.db"
    old = _new_hall(db, clerk)
    store = KeyFileStore.for_database(db)
    new = old.with_database_key(OTHER_KEY)
    store.pending().save(new)
    rekey_encrypted(db, old.database_key, new.database_key)  # step 2 done, step 3 never ran
    assert store.load() == old
    hall = open_hall(_settings(db), db)
    assert hall.secrets == new and _cases(hall.engine) == 2
    hall.engine.dispose()
    assert store.load() == new and store.pending().load() is None


def _journal_size(db: Path) -> int:
    try:
        return db.with_name(db.name + "-journal").stat().st_size
    except FileNotFoundError:
        return 0


#: Moments to pull the plug during ``rekey``: right after the pending key is saved, while the
#: rollback journal is written, once it holds every page (the file is being overwritten with
#: pages under the new key), and after the rekey committed but before its key was saved.
KILL_MOMENTS: dict[str, Callable[[Path, bytes], bool]] = {
    "started": lambda db, old: True,
    "journal being written": lambda db, old: _journal_size(db) > 0,
    "pages being overwritten": lambda db, old: _journal_size(db) >= db.stat().st_size,
    "committed, key not saved": lambda db, old: _journal_size(db) == 0 and not key_opens(db, old),
}


@pytest.mark.slow
@pytest.mark.parametrize("moment", list(KILL_MOMENTS))
def test_rekey_killed_at_any_moment_leaves_an_openable_database(tmp_path: Path, moment: str) -> None:
    db = tmp_path / "hall.db"
    settings = _settings(db)
    generate_demo_database(db, settings, 1500, seed=3)
    old = load_secrets(settings, db)
    code = textwrap.dedent(f"""
        from pathlib import Path
        from desktop.installation import rekey_database
        from tests.conftest import make_settings
        db = Path({str(db)!r})
        print("start", flush=True)
        rekey_database(make_settings(database=db), db)
    """)
    process = subprocess.Popen([sys.executable, "-c", code], cwd=Path(__file__).resolve().parents[2],
                               stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "start"
    reached = KILL_MOMENTS[moment]
    while process.poll() is None and not reached(db, old.database_key):
        time.sleep(0.0002)
    with contextlib.suppress(ProcessLookupError):
        process.send_signal(signal.SIGKILL)
    process.wait()
    process.stdout.close()
    print(f"{moment}: journal {_journal_size(db):,} bytes; file opens with old key: {key_opens(db, old.database_key)}")
    hall = open_hall(settings, db)  # whichever moment it died at
    assert _cases(hall.engine) == 1500
    hall.engine.dispose()
    store = KeyFileStore.for_database(db)
    assert store.load() == hall.secrets and store.pending().load() is None
    assert key_opens(db, hall.secrets.database_key)


# --- backup and import ------------------------------------------------------------------------------


def test_backup_is_encrypted_consistent_and_never_overwrites(tmp_path: Path, clerk: Actor) -> None:
    db = tmp_path / "hall.db"
    secrets = _new_hall(db, clerk, cases=3)
    running = open_hall(_settings(db), db)  # the program is running, with commits in its WAL
    register_visit(running, clerk, form(name="李梅", id_number=valid_id(seq=99)))
    with running.engine.connect() as connection:
        connection.exec_driver_sql("SELECT count(*) FROM cases").scalar()
        assert (tmp_path / "hall.db-wal").stat().st_size > 0
        out = tmp_path / "backups" / "hall-backup.db"
        result = backup_database(_settings(db), db, out)
        with contextlib.closing(connect_sqlcipher(db, secrets.database_key)) as live:
            live_counts = table_counts(live)
    running.engine.dispose()
    assert result.cases == 4 and result.integrity == "ok" and result.bytes == out.stat().st_size
    assert sqlite_file_kind(out) == "encrypted" and database_files(out) == [out]
    if os.name != "nt":
        assert stat.S_IMODE(out.stat().st_mode) == 0o600
    with contextlib.closing(connect_sqlcipher(out, secrets.database_key)) as copy:
        assert table_counts(copy) == live_counts
    assert not key_opens(out, OTHER_KEY)
    before = out.read_bytes()
    with pytest.raises(FileExistsError, match="不会覆盖"):
        backup_database(_settings(db), db, out)
    assert out.read_bytes() == before
    # no partial file left; the audit log's head anchor travels with the copy
    assert sorted(p.name for p in out.parent.iterdir()) == [out.name, out.name + ".audit-head"]


def test_import_plain_database(tmp_path: Path, clerk: Actor) -> None:
    plain = tmp_path / "old-hall.db"
    engine = open_database(plain)  # a database from before encryption
    old = make_hall(engine)
    codes = [register_visit(old, clerk, form(id_number=valid_id(seq=n), request=f"反映第{n}件事"))
             for n in range(1, 4)]
    engine.dispose()
    with contextlib.closing(connect_sqlcipher_plain(plain)) as connection:
        plain_counts = table_counts(connection)
    before = _snapshot(plain)
    db = tmp_path / "hall.db"
    result = import_plain_database(_settings(db), plain, db)
    assert _snapshot(plain) == before and database_files(plain) == [plain]  # only read, nothing beside it
    assert result.rows == plain_counts and result.rows["cases"] == 3
    assert sqlite_file_kind(db) == "encrypted"
    hall = open_hall(_settings(db), db)
    assert [c.case_number for c in find_cases(hall, clerk, "反映第2件")] == [codes[1].case_number]
    with hall.sessions() as session:
        stored = session.scalar(select(CaseRow.query_code_hash).where(CaseRow.case_number == codes[0].case_number))
    assert stored and verify_query_code(codes[0].query_code, stored, hall.secrets.query_code_pepper)
    hall.engine.dispose()
    with pytest.raises(FileExistsError, match="已存在"):
        import_plain_database(_settings(db), plain, db)
    with pytest.raises(FileExistsError, match="改名"):
        import_plain_database(_settings(plain), plain, plain)
    with pytest.raises(DatabaseKeyError, match="不是未加密"):
        import_plain_database(_settings(tmp_path / "x.db"), db, tmp_path / "x.db")
    assert _snapshot(plain) == before


def connect_sqlcipher_plain(path: Path) -> Any:
    from db.engine import sqlcipher_module

    return sqlcipher_module().connect(f"file:{path}?mode=ro&immutable=1", uri=True)


# --- demo data --------------------------------------------------------------------------------------


def test_demo_database_is_encrypted_and_replace_renews_its_key(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    settings = _settings(tmp_path / "hall.db")
    generate_demo_database(db, settings, 20, seed=1)
    first = load_secrets(settings, db)
    assert sqlite_file_kind(db) == "encrypted" and key_opens(db, first.database_key)
    with pytest.raises(FileExistsError, match="--replace"):
        generate_demo_database(db, settings, 20, seed=1)
    (tmp_path / "demo.db.audit-head").write_text("{}", encoding="utf-8")
    keep = tmp_path / "demo.db.keep"  # a user's own file beside it is not touched
    keep.write_text("mine", encoding="utf-8")
    generate_demo_database(db, settings, 10, seed=2, replace=True)
    second = load_secrets(settings, db)
    assert second.database_key != first.database_key
    assert second.query_code_pepper == first.query_code_pepper
    assert key_opens(db, second.database_key) and not key_opens(db, first.database_key)
    assert not (tmp_path / "demo.db.audit-head").exists() and keep.read_text(encoding="utf-8") == "mine"
    engine = open_database(db, key=second.database_key)
    assert _cases(engine) == 10
    engine.dispose()


# --- no personal data in any file on disk --------------------------------------------------------------

NAME = "欧阳紫藤"
PHRASE = "反映紫藤花园小区地下车库长期渗水无人维修"
ID_NUMBER = valid_id(seq=777)
PHONE = "13957124680"


def _needles() -> dict[str, bytes]:
    found = {}
    for label, text in {"name": NAME, "phrase": PHRASE, "phrase4": "紫藤花园", "id": ID_NUMBER,
                        "phone": PHONE}.items():
        for encoding in ("utf-8", "utf-16-le", "utf-16-be"):
            found[f"{label}/{encoding}"] = text.encode(encoding)
    return found


def _fill_and_search(hall: Hall, clerk: Actor) -> None:
    register_visit(hall, clerk, form(name=NAME, id_number=ID_NUMBER, phone=PHONE, request=PHRASE))
    register_visit(hall, clerk, form(name="王芳", id_number=valid_id(seq=778), request="反映村道损毁"))
    assert len(find_cases(hall, clerk, "紫藤花园")) == 1  # FTS5 trigram, temp b-trees
    assert len(find_cases(hall, clerk, PHONE)) == 1
    assert len(find_cases(hall, clerk, NAME)) == 1


def _leaks(files: list[Path]) -> list[str]:
    return [f"{label} in {path.name}" for path in files for label, needle in _needles().items()
            if needle in path.read_bytes()]


def test_raw_files_hold_no_personal_data(sqlite_engine: Engine, clerk: Actor, tmp_path: Path) -> None:
    hall = make_hall(sqlite_engine)
    _fill_and_search(hall, clerk)
    db = Path(str(sqlite_engine.url.database))
    with sqlite_engine.connect() as keeper:  # the program is running: -wal and -shm exist
        keeper.exec_driver_sql("SELECT count(*) FROM cases").scalar()
        files = database_files(db)
        assert {p.name for p in files} == {"hall.db", "hall.db-wal", "hall.db-shm"}
        assert (tmp_path / "hall.db-wal").stat().st_size > 0
        backup = tmp_path / "backup.db"
        backup_encrypted(db, SECRETS.database_key, backup)
        assert _leaks([*files, backup]) == []


def test_raw_scan_finds_the_same_data_in_a_plain_database(tmp_path: Path, clerk: Actor) -> None:
    """Control: the scan above would see the data if it were written in clear."""
    engine = make_engine(sqlite_url(tmp_path / "plain.db"))
    from db.migrate import upgrade

    upgrade(engine)
    _fill_and_search(make_hall(engine), clerk)
    with engine.connect():
        leaks = _leaks(database_files(tmp_path / "plain.db"))
    engine.dispose()
    assert {"name/utf-8", "phrase/utf-8", "id/utf-8", "phone/utf-8"} <= {leak.split(" in ")[0] for leak in leaks}
