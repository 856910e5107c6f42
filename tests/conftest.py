"""Shared fixtures: a hall on a fresh SQLite file, and on a fresh PostgreSQL database.

PostgreSQL tests need ``PH_TEST_PG_URL`` (scripts/test.sh starts a throwaway
server and sets it). Outside CI they are skipped without it; in CI a missing
server is an error, so the PostgreSQL path can never silently go untested.
"""

from __future__ import annotations

import importlib.abc
import itertools
import os
import sys
import threading
import traceback
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from hypothesis import HealthCheck, settings
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from db.engine import make_engine, sqlite_url
from db.migrate import upgrade
from desktop.config import Settings
from desktop.domain.chinatime import epoch_ms
from desktop.keystore import Secrets
from desktop.services.context import Actor, Hall

PEPPER = bytes(range(32))
SECRETS = Secrets(database_key=bytes(range(1, 33)), query_code_pepper=PEPPER, audit_key=bytes(range(2, 34)),
                  field_key=bytes(range(3, 35)), index_key=bytes(range(4, 36)))

# Hypothesis' deadline (200 ms an example) and its too-slow health check time the machine, not the
# code: on busy shared cores they fail correct tests, and a deadline miss re-runs the example and
# prints it. Speed is measured in bench/, never asserted in tests.
settings.register_profile("suite", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("suite")


class _QtImportOffTheGuiThread(importlib.abc.MetaPathFinder):
    """Notes every Qt module of PySide6 first imported on a thread other than the main one.

    A PySide6 module imported on a worker thread while the GUI thread made a Python wrapper for an
    application-wide event filter crashed the kiosk (a segmentation fault in PySide's type lookup);
    Qt's modules are imported on the GUI thread only. Finds nothing, so the import goes on as usual.
    """

    def __init__(self) -> None:
        self.seen: list[str] = []

    def find_spec(self, fullname: str, path: object, target: object = None) -> None:
        if fullname.startswith("PySide6.Qt") and threading.current_thread() is not threading.main_thread():
            stack = "".join(traceback.format_stack(limit=14)[:-1])
            self.seen.append(f"{fullname} imported on thread {threading.current_thread().name}:\n{stack}")
        return None


_QT_IMPORTS = _QtImportOffTheGuiThread()
sys.meta_path.insert(0, _QT_IMPORTS)


@pytest.fixture(autouse=True)
def _qt_imported_on_the_gui_thread_only() -> Iterator[None]:
    yield
    seen, _QT_IMPORTS.seen[:] = list(_QT_IMPORTS.seen), []
    assert not seen, "\n".join(seen)


@pytest.fixture(autouse=True)
def _isolated_config(tmp_path_factory: pytest.TempPathFactory,
                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Never read or write the developer's own settings or data."""
    base = tmp_path_factory.mktemp("cfg")
    monkeypatch.setenv("PH_CONFIG_DIR", str(base / "config"))
    monkeypatch.setenv("PH_DATA_DIR", str(base / "data"))
    # Qt's test engine: a test never starts this PC's speech engine (speech-dispatcher starts a daemon)
    monkeypatch.setenv("PH_VOICE_ENGINE", "mock")


class FakeClock:
    """A wall clock the test moves by hand."""

    def __init__(self, start: datetime) -> None:
        self.current = start

    def __call__(self) -> datetime:
        return self.current

    def advance(self, **kwargs: float) -> None:
        self.current += timedelta(**kwargs)

    def ms(self) -> int:
        """The epoch time of :attr:`current`, read as China's wall time (as the hall's clock is)."""
        return epoch_ms(self.current)


def make_settings(**overrides: object) -> Settings:
    # voice off: a display built by a test never starts this PC's speech engine (the voice tests use Qt's mock);
    # no opening hours: tests move the clock to any hour (the hours' own tests set them: test_hall_day.py)
    values: dict[str, object] = {"device_id": "dev1", "device_code": "C01",
                                 "query_code_pepper": PEPPER.hex(), "voice": False,
                                 "kiosk_voice": False, "hall_hours": ""}
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


def make_hall(engine: Engine, clock: FakeClock | None = None, **overrides: object) -> Hall:
    clock = clock or FakeClock(datetime(2026, 9, 16, 9, 30))
    ids = (str(uuid.UUID(int=n, version=4)) for n in itertools.count(1))
    # The cheapest Argon2id parameters: the same code path at a fraction of the production cost.
    return Hall(engine=engine, settings=make_settings(**overrides), secrets=SECRETS, now=clock,
                password_hasher=PasswordHasher(time_cost=1, memory_cost=8, parallelism=1),
                new_id=lambda: next(ids), wall_ms=clock.ms)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 9, 16, 9, 30))


@pytest.fixture(autouse=True)
def _no_os_keyring(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Never touch the developer's own key store: ``auto`` falls back to key files in tests.

    The environment variable reaches the program started as a subprocess; tests of the OS
    key store install an in-memory backend themselves.
    """
    import keyring
    from keyring.backends import fail

    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(previous)


@pytest.fixture
def sqlite_engine(tmp_path: Path) -> Iterator[Engine]:
    """An SQLCipher-encrypted database, as in production (raw key: no key-derivation cost)."""
    engine = make_engine(sqlite_url(tmp_path / "hall.db"), key=SECRETS.database_key)
    upgrade(engine)
    yield engine
    engine.dispose()


def _pg_url() -> str | None:
    url = os.environ.get("PH_TEST_PG_URL")
    if not url and os.environ.get("CI"):
        pytest.fail("CI 中必须提供 PostgreSQL（PH_TEST_PG_URL），请用 scripts/test.sh 运行")
    return url


@pytest.fixture
def pg_engine() -> Iterator[Engine]:
    url = _pg_url()
    if not url:
        pytest.skip("PH_TEST_PG_URL 未设置：跳过 PostgreSQL 测试（scripts/test.sh 会自动启动）")
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    name = f"ph_test_{uuid.uuid4().hex[:12]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE template0 ENCODING \'UTF8\''))
    engine = make_engine(make_url(url).set(database=name))
    try:
        upgrade(engine)
        yield engine
    finally:
        engine.dispose()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def engine(request: pytest.FixtureRequest) -> Engine:
    """The same test on both databases."""
    fixture = "sqlite_engine" if request.param == "sqlite" else "pg_engine"
    return request.getfixturevalue(fixture)  # type: ignore[no-any-return]


@pytest.fixture
def hall(engine: Engine, clock: FakeClock) -> Hall:
    return make_hall(engine, clock)


@pytest.fixture
def sqlite_hall(sqlite_engine: Engine, clock: FakeClock) -> Hall:
    return make_hall(sqlite_engine, clock)


@pytest.fixture
def clerk() -> Actor:
    return Actor("staff:wangli", "王丽", "clerk")


@pytest.fixture
def supervisor() -> Actor:
    return Actor("staff:zhaomin", "赵敏", "supervisor")


@pytest.fixture
def system() -> Actor:
    return Actor.system("test")


@pytest.fixture
def kiosk() -> Actor:
    return Actor.kiosk("K01")




# -- screens ---------------------------------------------------------------------------------------
# Fixtures for tests that build widgets: every screen gets its services through a WorkContext
# with a task manager of its own, and the tests fail when a screen leaves work, windows or
# threads behind, reports an unexpected error, or touches the database on the GUI thread.

def _ui_frame_on_stack() -> str | None:
    """The first frame of a ``ui.`` module on the current stack (a screen calling in), if any."""
    import sys

    frame = sys._getframe(1)
    while frame is not None:
        name = frame.f_globals.get("__name__", "")
        if name == "ui" or name.startswith("ui."):
            return f"{name}:{frame.f_lineno} ({frame.f_code.co_name})"
        frame = frame.f_back  # type: ignore[assignment]
    return None


@pytest.fixture(autouse=True)
def _screens_behave(request: pytest.FixtureRequest) -> Iterator[None]:
    """For tests with widgets: no database on the GUI thread, no unexpected error, nothing left behind."""
    if "qtbot" not in request.fixturenames and "qapp" not in request.fixturenames:
        yield
        return
    import threading

    from sqlalchemy import event
    from sqlalchemy.pool import Pool

    from ui.shell import errors
    from ui.shell.tasks import live_managers

    on_gui_thread: list[str] = []
    unexpected: list[str] = []

    def checkout(*_args: object) -> None:
        if threading.current_thread() is threading.main_thread():
            where = _ui_frame_on_stack()
            if where is not None:
                on_gui_thread.append(where)

    def told(reference: str, error: BaseException) -> None:
        unexpected.append(f"{reference} {type(error).__name__}: {error}")

    from ui.shell.collector import GuiThreadCollector

    request.getfixturevalue("qapp")  # the collector's timer needs the application
    collector = GuiThreadCollector()  # as in the program: cycles collected on the GUI thread only
    threads_before = set(threading.enumerate())
    event.listen(Pool, "checkout", checkout)
    errors.unexpected_hooks.append(told)
    try:
        yield
    finally:
        event.remove(Pool, "checkout", checkout)
        errors.unexpected_hooks.remove(told)
    for manager in live_managers():
        assert manager.wait(10_000), "a task manager was still working after the test"
    collector.stop()
    from PySide6.QtWidgets import QApplication

    left_open = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
    for widget in left_open:
        widget.close()
    # Qt objects the test left in reference cycles are freed here, on the GUI thread: left to the
    # cyclic collector, they could be freed on whichever thread next allocates (a task manager's
    # worker, a test server's thread), and Qt crashes destroying a timer from another thread.
    import gc

    gc.collect()
    leaked = [t for t in threading.enumerate() if t not in threads_before and t.is_alive() and not t.daemon]
    assert not on_gui_thread, f"database used on the GUI thread from the screens: {on_gui_thread}"
    assert not unexpected or request.node.get_closest_marker("unexpected_errors"), (
        f"unexpected errors reached the error path: {unexpected}")
    assert not left_open, f"windows left open: {[type(w).__name__ for w in left_open]}"
    assert not leaked, f"threads left running: {[t.name for t in leaked]}"


@pytest.fixture
def work_context(qtbot: Any, sqlite_hall: Hall) -> Iterator[Any]:
    """``work_context(actor, window="counter")``: what a screen is handed, on the test's hall.

    Each context has a task manager of its own, closed (its work finished) after the test.
    """
    from desktop.domain.roles import WindowRole
    from ui.shell.context import WindowContext, WorkContext
    from ui.shell.startup import HallSource
    from ui.shell.tasks import TaskManager

    managers: list[TaskManager] = []

    def make(actor: Actor, window: str = "counter", hall: Hall | None = None) -> WorkContext:
        source = HallSource.of(hall or sqlite_hall)
        manager = TaskManager(source)
        managers.append(manager)
        return WindowContext(source, manager, WindowRole(window)).acting_as(actor)

    yield make
    for manager in managers:
        manager.close()
