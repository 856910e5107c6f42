"""A program started on a database one version behind migrates it in a child process: the window, open for
months at a kiosk, never keeps Alembic, Mako and what the migration read."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from db.migrate import current_revision, downgrade, head_revision
from desktop.config import load_settings
from desktop.installation import open_hall

#: the revision before the newest (a database left by the previous version of the program)
PREVIOUS = "0026"


def _behind(path: Path) -> None:
    hall = open_hall(load_settings(), path)
    downgrade(hall.engine, PREVIOUS)
    hall.engine.dispose()


def test_the_window_migrates_apart_and_keeps_no_migration_code(tmp_path: Path) -> None:
    db = tmp_path / "hall.db"
    _behind(db)
    probe = (
        "import sys\n"
        "from pathlib import Path\n"
        "from desktop.app import open_installation\n"
        "from desktop.config import load_settings\n"
        "from db.migrate import current_revision\n"
        f"hall = open_installation(load_settings(), Path({str(db)!r}))\n"
        "print(current_revision(hall.engine), sorted({m.split('.')[0] for m in sys.modules} & {'alembic', 'mako'}))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=300, check=False,
                          env=dict(os.environ, QT_QPA_PLATFORM="offscreen"))
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[-2] == f"{head_revision()} []", done.stdout
    assert "改在本进程" not in done.stderr  # migrated by the child


def test_a_child_that_fails_leaves_the_migration_to_the_program_which_says_why(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    import desktop.program

    db = tmp_path / "hall.db"
    _behind(db)
    monkeypatch.setattr(desktop.program, "program_command",
                        lambda *_args: [sys.executable, "-c", "import sys; sys.exit('无法启动子进程')"])
    with caplog.at_level(logging.WARNING):
        hall = open_hall(load_settings(), db, migrate_apart=True)
    assert current_revision(hall.engine) == head_revision()
    hall.engine.dispose()
    assert any("改在本进程" in r.getMessage() and "无法启动子进程" in r.getMessage() for r in caplog.records)


def test_the_migrate_command_brings_a_database_to_the_newest_schema(tmp_path: Path) -> None:
    db = tmp_path / "hall.db"
    _behind(db)
    command = [sys.executable, "-m", "desktop", "migrate", "--db", str(db)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0 and f"数据库结构已是最新（版本 {head_revision()}）" in done.stdout, done.stderr
    hall = open_hall(load_settings(), db, create=False)
    assert current_revision(hall.engine) == head_revision()
    hall.engine.dispose()
    missing = subprocess.run([*command[:-1], str(tmp_path / "typo.db")], capture_output=True, text=True,
                             timeout=300, check=False)
    assert missing.returncode != 0 and "Traceback" not in missing.stderr and not (tmp_path / "typo.db").exists()
