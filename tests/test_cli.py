"""The real program, started as a subprocess, the way a user or an installer runs it."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

from sqlalchemy import select

from db.models import HolidayScheduleRow
from desktop import __version__
from desktop.services.context import Actor, Hall
from desktop.services.database import open_database
from desktop.services.holidays import import_schedule
from desktop.services.registration import register_visit
from tests.conftest import FakeClock, make_hall
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
    again = _run("demo-data", "--cases", "10", "--db", str(db), env_dir=tmp_path)
    assert again.returncode == 2 and "--replace" in again.stderr  # never overwritten silently
    rebuilt = _run("rebuild-projections", "--check", "--db", str(db), env_dir=tmp_path)
    assert rebuilt.returncode == 0, rebuilt.stdout + rebuilt.stderr
    assert "完全一致" in rebuilt.stdout
    doctor = _run("doctor", "--db", str(db), env_dir=tmp_path)
    assert "400 件事项" in doctor.stdout and "节假日数据" in doctor.stdout
    for role in ("counter", "kiosk"):
        window = _run("run", "--role", role, "--db", str(db), "--smoke-test", env_dir=tmp_path)
        assert window.returncode == 0, window.stderr


def test_imported_holiday_year_makes_deadlines_verified(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("日期,类型,名称\n2027-13-01,休,元旦\n", encoding="utf-8")
    result = _run("import-holidays", str(bad), "--db", str(tmp_path / "h.db"), env_dir=tmp_path)
    assert result.returncode == 1 and "第2行" in result.stderr

    engine = open_database(tmp_path / "h2.db")
    hall: Hall = make_hall(engine, FakeClock(datetime(2026, 12, 28, 10, 0)))
    before = register_visit(hall, _clerk(), form())
    assert not before.route_deadline.verified
    # an (illustrative, not official) 2027 schedule with a holiday on the raw end day
    import_schedule(hall, "日期,类型,名称\n2027-01-01,休,元旦\n2027-01-12,休,测试假日\n", "测试")
    after = register_visit(hall, _clerk(), form(request="另一件事项：反映村道损毁"))
    assert after.route_deadline.verified
    assert after.route_deadline.due == before.route_deadline.due.replace(day=13)
    with hall.sessions() as session:
        assert session.scalar(select(HolidayScheduleRow.year)) == 2027
    engine.dispose()


def _clerk() -> Actor:
    return Actor("staff:test", "测试", "clerk")

