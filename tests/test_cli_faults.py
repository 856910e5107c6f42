"""Every command meets a bad database path the way a user makes one: plain words, a non-zero exit, nothing created.

The program runs as a subprocess, as a user or an installer starts it. Read-only and
full disks are real: a private mount namespace (``unshare -m``) mounts the folder
read-only, or puts a tiny tmpfs where the file lives; without the right to mount, those
tests are skipped and say why.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

HOLIDAYS = "日期,类型,名称\n2031-01-01,休,元旦\n"


def _env(base: Path) -> dict[str, str]:
    return dict(os.environ, PH_CONFIG_DIR=str(base / "cfg"), PH_DATA_DIR=str(base / "data"),
                QT_QPA_PLATFORM="offscreen", PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")


def _run(argv: Sequence[str], base: Path, *, wrap: Sequence[str] = (), stdin: str = "",
         ) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*wrap, sys.executable, "-m", "desktop", *argv], capture_output=True, text=True,
                          env=_env(base), timeout=300, check=False, input=stdin)


def _commands(db: Path, scratch: Path) -> dict[str, tuple[list[str], str]]:
    """Every command that takes ``--db``, with what else it needs; name → (argv, stdin)."""
    holidays = scratch / "holidays.csv"
    return {
        "run": (["run", "--role", "counter", "--smoke-test", "--db", str(db)], ""),
        "verify-audit": (["verify-audit", "--db", str(db)], ""),
        "rebuild-projections": (["rebuild-projections", "--check", "--db", str(db)], ""),
        "import-holidays": (["import-holidays", str(holidays), "--db", str(db)], ""),
        "sync-status": (["sync-status", "--db", str(db)], ""),
        "sync": (["sync", "--server", "http://127.0.0.1:9", "--db", str(db)], ""),
        "sync-token": (["sync-token", "--db", str(db)], "a" * 43 + "\n"),
        "backup": (["backup", str(scratch / f"backup-{db.name}"), "--db", str(db)], ""),
        "rekey": (["rekey", "--db", str(db)], ""),
        "doctor": (["doctor", "--db", str(db)], ""),
        "recover": (["recover", str(scratch / f"recovered-{db.name}"), "--db", str(db)], ""),
    }


def _walk(db: Path, base: Path, scratch: Path, *, wrap: Sequence[str] = (),
          skip: Sequence[str] = ()) -> dict[str, subprocess.CompletedProcess[str]]:
    (scratch / "holidays.csv").write_text(HOLIDAYS, encoding="utf-8")
    commands = {name: c for name, c in _commands(db, scratch).items() if name not in skip}
    with ThreadPoolExecutor(max_workers=3) as pool:
        futures = {name: pool.submit(_run, argv, base, wrap=wrap, stdin=stdin)
                   for name, (argv, stdin) in commands.items()}
        return {name: future.result() for name, future in futures.items()}


def _assert_plain_refusal(results: dict[str, subprocess.CompletedProcess[str]], *words: str) -> None:
    for name, result in results.items():
        shown = result.stdout + result.stderr
        assert "Traceback" not in shown, f"{name}: {shown}"
        assert result.returncode != 0, f"{name} exited 0: {shown}"
        assert any(word in shown for word in words), f"{name}: {shown}"


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A small demo database (made once for the module); tests copy it with its key."""
    base = tmp_path_factory.mktemp("faults")
    result = _run(["demo-data", "--cases", "60", "--db", str(base / "demo.db")], base)
    assert result.returncode == 0, result.stderr
    yield base


def _copy(made: Path, base: Path, target: Path) -> Path:
    """A copy of the demo database at ``target`` whose key is in ``base``'s key store."""
    from desktop.keystore import KeyFileStore

    old = os.environ.get("PH_CONFIG_DIR")
    os.environ["PH_CONFIG_DIR"] = str(made / "cfg")
    try:
        source_key = KeyFileStore.for_database(made / "demo.db").path
    finally:
        os.environ["PH_CONFIG_DIR"] = str(base / "cfg")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(made / "demo.db", target)
        key = KeyFileStore.for_database(target).path
        key.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source_key, key)
        key.chmod(0o600)
    finally:
        if old is None:
            os.environ.pop("PH_CONFIG_DIR", None)
        else:
            os.environ["PH_CONFIG_DIR"] = old
    return target


def _flip(path: Path, offset: int) -> None:
    with path.open("r+b") as handle:
        handle.seek(offset)
        byte = handle.read(1)
        handle.seek(offset)
        handle.write(bytes([byte[0] ^ 0xFF]))


def _page_offsets(db: Path, base: Path, *, schema: bool) -> Iterator[int]:
    """Offsets of a byte on each page, from the middle of the file on, whose damage leaves the schema readable
    (``schema=False``: a page of table rows or an index) or not (``schema=True``: a page of the schema itself)."""
    from db.engine import DatabaseKeyError, connect_sqlcipher
    from desktop.keystore import KeyFileStore

    old = os.environ.get("PH_CONFIG_DIR")
    os.environ["PH_CONFIG_DIR"] = str(base / "cfg")
    try:
        secrets = KeyFileStore.for_database(db).load()
    finally:
        if old is None:
            os.environ.pop("PH_CONFIG_DIR", None)
        else:
            os.environ["PH_CONFIG_DIR"] = old
    assert secrets is not None
    pages = db.stat().st_size // 4096
    trial = base / "trial" / "page.db"
    trial.parent.mkdir(exist_ok=True)
    for page in (*range(pages // 2, pages + 1), *range(2, pages // 2)):
        shutil.copyfile(db, trial)
        _flip(trial, (page - 1) * 4096 + 123)
        try:
            connect_sqlcipher(trial, secrets.database_key).close()  # reads the whole schema
            readable = True
        except DatabaseKeyError:
            readable = False
        except MemoryError:  # SQLite's "out of memory" for a page that does not decrypt: neither kind for sure
            continue
        if readable is not schema:
            yield (page - 1) * 4096 + 123


def test_a_mistyped_path_is_refused_and_nothing_is_created(tmp_path: Path) -> None:
    typo = tmp_path / "typo" / "hal.db"
    results = _walk(typo, tmp_path, tmp_path)
    _assert_plain_refusal(results, "不存在")
    assert not typo.parent.exists()  # no folder, no database
    keys = tmp_path / "cfg" / "keys"
    assert not keys.exists() or not any(keys.iterdir())  # and no key for it
    assert "路径是否写错" in results["verify-audit"].stderr  # not "the audit log is empty"


def test_a_folder_given_as_the_database_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "data-folder"
    folder.mkdir()
    results = _walk(folder, tmp_path, tmp_path)
    demo = _run(["demo-data", "--cases", "5", "--db", str(folder)], tmp_path)
    _assert_plain_refusal({**results, "demo-data": demo}, "文件夹")
    assert not any(folder.iterdir())


def test_a_damaged_file_is_detected_explained_and_salvaged(made: Path, tmp_path: Path) -> None:
    db = _copy(made, tmp_path, tmp_path / "hall.db")
    _flip(db, next(_page_offsets(db, tmp_path, schema=False)))  # one byte of a page of rows, in the middle
    before = db.read_bytes()
    # (sync-token only stores a token in the key store: it never reads the database)
    results = _walk(db, tmp_path, tmp_path, skip=["recover", "sync-token"])
    _assert_plain_refusal(results, "已损坏")
    for name, result in results.items():
        if name != "doctor":
            assert "recover" in result.stderr and "备份" in result.stderr, f"{name}: {result.stderr}"
    assert db.read_bytes() == before  # nothing wrote to the damaged file
    out = tmp_path / "recovered.db"
    recovered = _run(["recover", str(out), "--db", str(db)], tmp_path)
    assert "Traceback" not in recovered.stdout + recovered.stderr
    assert recovered.returncode in (0, 1), recovered.stderr  # 1: some rows could not be read, and it says which
    assert "抢救" in recovered.stdout and "完整性检查：通过" in recovered.stdout
    check = _run(["rebuild-projections", "--check", "--db", str(out)], tmp_path)
    assert check.returncode == 0 and "完全一致" in check.stdout, check.stdout + check.stderr
    audit = _run(["verify-audit", "--db", str(out)], tmp_path)
    assert audit.returncode == 0, audit.stdout + audit.stderr


def test_a_damaged_schema_leaves_nothing_to_salvage_and_recover_says_so(made: Path, tmp_path: Path) -> None:
    db = _copy(made, tmp_path, tmp_path / "hall.db")
    _flip(db, next(_page_offsets(db, tmp_path, schema=True)))  # a page of the schema other than the first
    before = db.read_bytes()
    out = tmp_path / "recovered.db"
    recovered = _run(["recover", str(out), "--db", str(db)], tmp_path)
    assert recovered.returncode == 2 and "Traceback" not in recovered.stdout + recovered.stderr
    for words in ("数据库结构", "从备份恢复", "没有生成新数据库"):
        assert words in recovered.stderr, recovered.stderr
    assert not out.exists() and not list((tmp_path / "cfg").rglob("recovered.db*"))  # no empty database, no key
    assert db.read_bytes() == before


@pytest.mark.parametrize("page", [1, 2])
def test_a_damaged_first_page_is_not_called_a_wrong_key(made: Path, tmp_path: Path, page: int) -> None:
    db = _copy(made, tmp_path, tmp_path / "hall.db")
    _flip(db, (page - 1) * 4096 + 1000)
    results = _walk(db, tmp_path, tmp_path, skip=["recover", "sync-token", "import-holidays", "sync"])
    _assert_plain_refusal(results, "已损坏")
    for name, result in results.items():
        assert "不配套" not in result.stderr, f"{name}: {result.stderr}"


def test_backups_are_listed_with_their_dates_when_the_database_is_damaged(made: Path, tmp_path: Path) -> None:
    db = _copy(made, tmp_path, tmp_path / "hall.db")
    saved = tmp_path / "backups" / "hall-1.db"
    made_backup = _run(["backup", str(saved), "--db", str(db)], tmp_path)
    assert made_backup.returncode == 0, made_backup.stderr
    _flip(db, db.stat().st_size // 2 + 7)
    opened = _run(["verify-audit", "--db", str(db)], tmp_path)
    assert opened.returncode == 2 and str(saved) in opened.stderr and "已知的备份" in opened.stderr


def _can_mount() -> str:
    """Why mounts in a private namespace are not possible here ("" when they are)."""
    if sys.platform != "linux" or shutil.which("unshare") is None:
        return "需要 Linux 的 unshare"
    probe = subprocess.run(["unshare", "-m", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /mnt"],
                           capture_output=True, text=True, check=False)
    return "" if probe.returncode == 0 else f"不能在私有挂载命名空间中挂载（{probe.stderr.strip()}）"


def _read_only(folder: Path) -> list[str]:
    """A wrapper that runs the command with ``folder`` mounted read-only, for that command only."""
    script = 'mount --bind "$0" "$0" && mount -o remount,ro,bind "$0" "$0" && exec "$@"'
    return ["unshare", "-m", "sh", "-c", script, str(folder)]


def _tiny_disk(folder: Path, kib: int) -> list[str]:
    """A wrapper that puts ``folder``'s files on a tmpfs of ``kib`` KiB for one command."""
    script = ('mkdir -p "$0.keep" && cp -a "$0"/. "$0.keep"/ && mount -t tmpfs -o size=' + str(kib)
              + 'k tmpfs "$0" && cp -a "$0.keep"/. "$0"/ && exec "$@"')
    return ["unshare", "-m", "sh", "-c", script, str(folder)]


def test_a_read_only_folder_is_called_read_only(made: Path, tmp_path: Path) -> None:
    if reason := _can_mount():
        pytest.skip(reason)
    folder = tmp_path / "ro"
    db = _copy(made, tmp_path, folder / "hall.db")
    scratch = tmp_path / "scratch"  # where backups and salvaged copies go: writable
    scratch.mkdir()
    results = _walk(db, tmp_path, scratch, wrap=_read_only(folder), skip=["recover", "sync-token"])
    _assert_plain_refusal(results, "只读")
    for name, result in results.items():
        assert "不配套" not in result.stderr and "正被其他程序使用" not in result.stderr, f"{name}: {result.stderr}"
    # a salvage only reads, so it works from a read-only disk
    recovered = _run(["recover", str(scratch / "copy.db"), "--db", str(db)], tmp_path, wrap=_read_only(folder))
    assert recovered.returncode == 0, recovered.stdout + recovered.stderr


def test_a_full_disk_is_called_full_and_loses_nothing(made: Path, tmp_path: Path) -> None:
    if reason := _can_mount():
        pytest.skip(reason)
    folder = tmp_path / "disk"
    db = _copy(made, tmp_path, folder / "hall.db")
    size_kib = db.stat().st_size // 1024
    before = db.read_bytes()
    # the database fits, with a few pages to spare: a rebuild's log does not
    rebuilt = _run(["rebuild-projections", "--check", "--db", str(db)], tmp_path,
                   wrap=_tiny_disk(folder, size_kib + 48))
    assert "Traceback" not in rebuilt.stdout + rebuilt.stderr
    assert rebuilt.returncode != 0 and "磁盘已满" in rebuilt.stderr, rebuilt.stdout + rebuilt.stderr
    # a backup onto a disk too small for it
    target = tmp_path / "stick"
    target.mkdir()
    backup = _run(["backup", str(target / "b.db"), "--db", str(db)], tmp_path, wrap=_tiny_disk(target, 64))
    assert "Traceback" not in backup.stdout + backup.stderr
    assert backup.returncode != 0 and "空间不足" in backup.stderr, backup.stderr
    assert db.read_bytes() == before  # the tmpfs copies went away with the namespace; the file is as it was


def test_a_demo_count_that_cannot_fit_on_the_disk_is_refused_with_the_space_it_needs(tmp_path: Path) -> None:
    from desktop.services.demo_runner import human_bytes, space_needed

    db = tmp_path / "demo.db"
    result = _run(["demo-data", "--cases", "99999999999999999999", "--db", str(db)], tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    assert f"约需 {human_bytes(space_needed(99999999999999999999))} 磁盘空间" in result.stderr
    assert "每百万件约需" in result.stderr
    assert not db.exists()
    keys = tmp_path / "cfg" / "keys"
    assert not keys.exists() or not any(keys.iterdir())  # refused before a key was made
    assert space_needed(2_000_000) > space_needed(1_000_000)  # grows with the count


def test_an_unexpected_error_is_logged_with_a_reference_and_told_plainly(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from desktop.cli import explain

    monkeypatch.setenv("PH_DATA_DIR", str(tmp_path / "data"))
    try:
        raise KeyError("internal detail")
    except KeyError as error:
        message, status = explain(error, tmp_path / "hall.db")
    assert status == 70 and "参考号" in message and "Traceback" not in message
    reference = message.split("参考号 ")[1].split("；")[0]
    log = (tmp_path / "data" / "petition-hall-cli.log").read_text(encoding="utf-8")
    assert reference in log and "Traceback" in log and "internal detail" in log  # the details go to the log


@pytest.mark.parametrize(("free", "status"), [(50_000_000, "错误"), (500_000_000, "注意"), (5_000_000_000, "正常")])
def test_doctor_warns_before_the_disk_is_full(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              free: int, status: str) -> None:
    from desktop import doctor

    (tmp_path / "hall.db").write_bytes(b"")
    usage = shutil.disk_usage(tmp_path)._replace(free=free)
    monkeypatch.setattr(doctor.shutil, "disk_usage", lambda _path: usage)
    check = doctor._space_check(tmp_path / "hall.db")
    assert check.name == "磁盘空间" and check.status == status
    assert (status == "正常") == (check.fix == "")
