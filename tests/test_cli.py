"""The real program, started as a subprocess, the way a user or an installer runs it."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from db.models import HolidayScheduleRow
from desktop import __version__
from desktop.services.context import Actor, Hall
from desktop.services.database import open_database
from desktop.services.holidays import import_schedule
from desktop.services.registration import register_visit
from tests.conftest import SECRETS, FakeClock, make_hall
from tests.helpers import form


def _run(*args: str, env_dir: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PH_CONFIG_DIR=str(env_dir / "cfg"), PH_DATA_DIR=str(env_dir / "data"),
               QT_QPA_PLATFORM="offscreen")
    return subprocess.run([sys.executable, "-m", "desktop", *args], capture_output=True,
                          text=True, env=env, timeout=300, check=False)


def test_version(tmp_path: Path) -> None:
    result = _run("--version", env_dir=tmp_path)
    assert result.returncode == 0 and __version__ in result.stdout


def test_demo_data_rebuild_check_doctor_and_window(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    made = _run("demo-data", "--cases", "400", "--db", str(db), env_dir=tmp_path)
    assert made.returncode == 0, made.stderr
    assert "400 件事项" in made.stdout
    assert "chuangkou1（接待窗口工作人员）" in made.stdout and "guanli1（系统管理员）" in made.stdout
    assert "chuangkou2（接待窗口工作人员）" in made.stdout  # a second clerk for a second window
    again = _run("demo-data", "--cases", "10", "--db", str(db), env_dir=tmp_path)
    assert again.returncode == 2 and "--replace" in again.stderr  # never overwritten silently
    rebuilt = _run("rebuild-projections", "--check", "--db", str(db), env_dir=tmp_path)
    assert rebuilt.returncode == 0, rebuilt.stdout + rebuilt.stderr
    assert "完全一致" in rebuilt.stdout
    doctor = _run("doctor", "--db", str(db), env_dir=tmp_path)
    assert "400 件事项" in doctor.stdout and "节假日数据" in doctor.stdout
    counter = _run("run", "--role", "counter", "--db", str(db), "--smoke-test", env_dir=tmp_path)
    assert counter.returncode == 0, counter.stderr
    # staff sign in first (or, before any account exists, create the first administrator)
    assert "接待窗口：工作人员登录" in counter.stdout  # the demo accounts exist: straight to sign-in
    assert "Qt 标准按钮：取消" in counter.stdout  # Qt's own dialogs speak Chinese
    kiosk = _run("run", "--role", "kiosk", "--db", str(db), "--smoke-test", env_dir=tmp_path)
    assert kiosk.returncode == 0, kiosk.stderr
    assert "自助服务终端：自助服务（无需登录）" in kiosk.stdout
    assert "Qt 标准按钮：取消" in kiosk.stdout  # installed after the kiosk's first frame
    # a PC without a server is its own queue: its window types are edited here
    typed = _run("window-type", "--db", str(db), "general", "--windows", "1，2", env_dir=tmp_path)
    assert typed.returncode == 0, typed.stderr
    assert "general\tA\t综合接待\t窗口 1、2\t可优先\t启用" in typed.stdout


def test_imported_holiday_year_makes_deadlines_verified(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("日期,类型,名称\n2027-13-01,休,元旦\n", encoding="utf-8")
    result = _run("import-holidays", str(bad), "--db", str(tmp_path / "h.db"), env_dir=tmp_path)
    assert result.returncode == 1 and "第2行" in result.stderr

    engine = open_database(tmp_path / "h2.db", key=SECRETS.database_key)
    hall: Hall = make_hall(engine, FakeClock(datetime(2026, 12, 28, 10, 0)))
    before = register_visit(hall, _clerk(), form())
    assert not before.route_deadline.verified
    # an (illustrative, not official) 2027 schedule with a holiday on the raw end day
    import_schedule(hall, Actor.system(), "日期,类型,名称\n2027-01-01,休,元旦\n2027-01-12,休,测试假日\n", "测试")
    after = register_visit(hall, _clerk(), form(request="另一件事项：反映村道损毁"))
    assert after.route_deadline.verified
    assert after.route_deadline.due == before.route_deadline.due.replace(day=13)
    with hall.sessions() as session:
        assert session.scalar(select(HolidayScheduleRow.year)) == 2027
    engine.dispose()


def _clerk() -> Actor:
    return Actor("staff:test", "测试", "clerk")



# --- encryption: backup, rekey, import of a plain database, a wrong key ----------------------


def test_backup_and_rekey_end_to_end(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from desktop.keystore import KeyFileStore
    from desktop.services.database import key_opens

    monkeypatch.setenv("PH_CONFIG_DIR", str(tmp_path / "cfg"))  # where the program keeps its keys
    db = tmp_path / "hall.db"
    assert _run("demo-data", "--cases", "60", "--db", str(db), env_dir=tmp_path).returncode == 0
    old = KeyFileStore.for_database(db).load()
    assert old is not None

    first = tmp_path / "backups" / "before.db"
    made = _run("backup", str(first), "--db", str(db), env_dir=tmp_path)
    assert made.returncode == 0, made.stderr
    assert "60 件事项" in made.stdout and "MB" in made.stdout and "完整性检查：ok" in made.stdout
    again = _run("backup", str(first), "--db", str(db), env_dir=tmp_path)
    assert again.returncode == 2 and "不会覆盖" in again.stderr

    rekeyed = _run("rekey", "--db", str(db), env_dir=tmp_path)
    assert rekeyed.returncode == 0, rekeyed.stderr
    assert "已为数据库" in rekeyed.stdout and "重新备份" in rekeyed.stdout
    new = KeyFileStore.for_database(db).load()
    assert new is not None and new.database_key != old.database_key
    for output in (made.stdout, rekeyed.stdout):
        assert old.database_key.hex() not in output and new.database_key.hex() not in output
    assert key_opens(db, new.database_key) and not key_opens(db, old.database_key)
    assert key_opens(first, old.database_key)  # an older backup keeps its key

    second = tmp_path / "backups" / "after.db"
    assert _run("backup", str(second), "--db", str(db), env_dir=tmp_path).returncode == 0
    assert key_opens(second, new.database_key)
    checked = _run("rebuild-projections", "--check", "--db", str(db), env_dir=tmp_path)
    assert checked.returncode == 0 and "完全一致" in checked.stdout
    doctor = _run("doctor", "--db", str(db), env_dir=tmp_path)
    assert "能打开数据库" in doctor.stdout and "SQLCipher 4" in doctor.stdout

    verified = _run("verify-audit", "--db", str(db), env_dir=tmp_path)
    assert verified.returncode == 0 and "完整，未发现修改或删除" in verified.stdout, verified.stdout
    from sqlalchemy import select, update

    from db.models import AuditRow
    from desktop.services.database import open_database

    engine = open_database(db, key=new.database_key)
    with engine.begin() as connection:
        actions = list(connection.scalars(select(AuditRow.action).order_by(AuditRow.seq)))
        assert actions.count("备份数据库") == 2 and actions.count("更换数据库密钥") == 1
        connection.execute(update(AuditRow).where(AuditRow.action == "更换数据库密钥").values(target="x"))
    engine.dispose()
    tampered = _run("verify-audit", "--db", str(db), env_dir=tmp_path)
    assert tampered.returncode == 1 and "内容被修改" in tampered.stdout


def test_wrong_key_is_explained_without_traceback(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from desktop.keystore import KeyFileStore

    monkeypatch.setenv("PH_CONFIG_DIR", str(tmp_path / "cfg"))
    db = tmp_path / "hall.db"
    assert _run("demo-data", "--cases", "5", "--db", str(db), env_dir=tmp_path).returncode == 0
    store = KeyFileStore.for_database(db)
    right = store.load()
    assert right is not None
    store.save(right.with_database_key(bytes(32)))
    before = db.read_bytes()
    for command in (["run", "--role", "kiosk", "--smoke-test"], ["rebuild-projections"], ["rekey"]):
        result = _run(*command, "--db", str(db), env_dir=tmp_path)
        assert result.returncode == 2 and "密钥与数据库不配套" in result.stderr, result.stderr
        assert "Traceback" not in result.stderr
    assert db.read_bytes() == before
    store.delete()
    missing = _run("run", "--role", "kiosk", "--smoke-test", "--db", str(db), env_dir=tmp_path)
    assert missing.returncode == 2 and "找不到它的密钥" in missing.stderr
    assert store.load() is None and db.read_bytes() == before


def test_import_plain_database_end_to_end(tmp_path: Path) -> None:
    plain = tmp_path / "old.db"
    engine = open_database(plain)  # a database from before encryption
    register_visit(make_hall(engine), _clerk(), form())
    engine.dispose()
    before = plain.read_bytes()
    db = tmp_path / "hall.db"
    refused = _run("run", "--role", "kiosk", "--smoke-test", "--db", str(plain), env_dir=tmp_path)
    assert refused.returncode == 2 and "import-plain-database" in refused.stderr
    result = _run("import-plain-database", str(plain), "--db", str(db), env_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "1 件事项" in result.stdout and "安全删除" in result.stdout
    assert plain.read_bytes() == before
    window = _run("run", "--role", "kiosk", "--smoke-test", "--db", str(db), env_dir=tmp_path)
    assert window.returncode == 0, window.stderr


def test_set_kiosk_pin_keeps_only_its_argon2id_hash(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    import getpass

    from desktop.cli import main
    from desktop.config import load_settings, settings_file
    from desktop.domain.passwords import pin_matches

    monkeypatch.setenv("PH_CONFIG_DIR", str(tmp_path / "cfg"))
    answers = iter(["123456", "123456"])
    monkeypatch.setattr(getpass, "getpass", lambda _prompt="": next(answers))
    assert main(["set-kiosk-pin"]) == 1 and "连续" in capsys.readouterr().err
    answers = iter(["720415", "720416"])
    assert main(["set-kiosk-pin"]) == 1 and "不一致" in capsys.readouterr().err
    answers = iter(["720415", "720415"])
    assert main(["set-kiosk-pin"]) == 0
    stored = load_settings().kiosk_exit_pin
    assert pin_matches(stored, "720415") and "720415" not in settings_file().read_text(encoding="utf-8")
    assert load_settings().device_id  # the other settings are kept


@pytest.mark.parametrize("argv", [["run", "--role", "kiosk"],
                                  ["run", "--role", "counter", "--db", "x.db", "--smoke-test"],
                                  ["run", "--smoke-test", "--role", "display"]])
def test_run_is_read_as_the_whole_parser_reads_it(argv: list[str]) -> None:
    from desktop.cli import _parse, build_parser

    assert vars(_parse(argv)) == vars(build_parser().parse_args(argv))


def test_run_with_a_wrong_role_is_refused_as_before(capsys: pytest.CaptureFixture[str]) -> None:
    from desktop.cli import _parse

    with pytest.raises(SystemExit) as refused:
        _parse(["run", "--role", "nope"])
    assert refused.value.code == 2 and "invalid choice: 'nope'" in capsys.readouterr().err
