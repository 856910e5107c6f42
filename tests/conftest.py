"""Shared fixtures: a hall on a fresh SQLite file, and on a fresh PostgreSQL database.

PostgreSQL tests need ``PH_TEST_PG_URL`` (scripts/test.sh starts a throwaway
server and sets it). Outside CI they are skipped without it; in CI a missing
server is an error, so the PostgreSQL path can never silently go untested.
"""

from __future__ import annotations

import itertools
import os
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from hypothesis import HealthCheck, settings
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from db.engine import make_engine, sqlite_url
from db.migrate import upgrade
from desktop.config import Settings
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


@pytest.fixture(autouse=True)
def _isolated_config(tmp_path_factory: pytest.TempPathFactory,
                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Never read or write the developer's own settings or data."""
    base = tmp_path_factory.mktemp("cfg")
    monkeypatch.setenv("PH_CONFIG_DIR", str(base / "config"))
    monkeypatch.setenv("PH_DATA_DIR", str(base / "data"))


class FakeClock:
    """A wall clock the test moves by hand."""

    def __init__(self, start: datetime) -> None:
        self.current = start

    def __call__(self) -> datetime:
        return self.current

    def advance(self, **kwargs: float) -> None:
        self.current += timedelta(**kwargs)

    def ms(self) -> int:
        return int(self.current.timestamp() * 1000)


def make_settings(**overrides: object) -> Settings:
    values: dict[str, object] = {"device_id": "dev1", "device_code": "C01",
                                 "query_code_pepper": PEPPER.hex()}
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


