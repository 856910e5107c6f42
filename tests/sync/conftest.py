"""Sync fixtures: a server hall on PostgreSQL, and devices, each on its own encrypted SQLite file."""

from __future__ import annotations

import itertools
import socket
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest
from sqlalchemy import Engine, func, select

from db.engine import make_engine, sqlite_url
from db.migrate import upgrade
from db.models import EventRow, StaffAccountRow
from desktop.services.context import Actor, Hall
from desktop.services.demo import DemoGenerator, write_demo
from desktop.services.reference import load_regions, load_taxonomy
from desktop.services.registration import register_visit
from desktop.services.store import projection_snapshot, row_to_event
from desktop.sync.authority import AuthorityLink
from desktop.sync.client import SyncClient
from server.app import create_app
from server.app import serving as serve_in_thread
from server.local import LocalTransport
from server.store import Device, SyncServer, enrol_device
from tests.conftest import PEPPER, SECRETS, FakeClock, make_hall
from tests.helpers import form, valid_id

DeviceFactory = Callable[..., Hall]
Link = TypeVar("Link", bound=AuthorityLink)


#: The staff accounts the server knows (accounts are created at the centre and flow down to devices):
#: the tests' clerk and supervisor, and the clerks of the generated demo histories.
STAFF = (("wangli", "王丽", "clerk"), ("zhaomin", "赵敏", "supervisor"), ("chenjie", "陈杰", "clerk"),
         ("liuyang", "刘洋", "clerk"), ("sunhong", "孙红", "clerk"), ("lingdao1", "陈志远", "leader"))


def add_staff(hall: Hall, login: str, role: str, name: str = "", *, org_code: str = "", hall_code: str = "",
              disabled: bool = False, password: str = "") -> None:
    """An account on ``hall`` (without ``password``, a placeholder Argon2id hash nobody signs in with)."""
    with hall.transaction() as session:
        session.add(StaffAccountRow(login=login, display_name=name or login, role=role, hall_code=hall_code,
                                    org_code=org_code, extra_permissions="[]", disabled=disabled,
                                    password_hash=hall.password_hasher.hash(password) if password else
                                    "$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo",
                                    must_change_password=False, failed_count=0, locked_until=None,
                                    password_changed_at="", updated_at="2026-09-01T08:00:00"))


def with_staff(hall: Hall) -> Hall:
    for login, name, role in STAFF:
        add_staff(hall, login, role, name)
    return hall


@pytest.fixture
def server_hall(pg_engine: Engine, clock: FakeClock) -> Hall:
    return with_staff(make_hall(pg_engine, clock, device_id="server", device_code="S01"))


@pytest.fixture
def sync_server(server_hall: Hall) -> SyncServer:
    return SyncServer(server_hall)


@pytest.fixture
def device_hall(tmp_path: Path, clock: FakeClock) -> Iterator[DeviceFactory]:
    """``device_hall("a")``: a device with its own encrypted database, device id, case-number code and ids."""
    engines: list[Engine] = []
    numbers = itertools.count(1)

    def make(name: str, code: str | None = None) -> Hall:
        engine = make_engine(sqlite_url(tmp_path / f"{name}.db"), key=SECRETS.database_key)
        upgrade(engine)
        engines.append(engine)
        hall = make_hall(engine, clock, device_id=f"dev{name}", device_code=code or f"{name.upper()}01"[:4])
        prefix = next(numbers) << 96
        ids = itertools.count(1)
        hall.new_id = lambda: str(uuid.UUID(int=prefix + next(ids), version=4))
        return hall

    yield make
    for engine in engines:
        engine.dispose()


def device_of(hall: Hall, role: str = "counter", org_code: str = "") -> Device:
    """``hall`` as its token proves it (a kiosk with its own number)."""
    return Device(hall.settings.device_id, role, org_code,
                  device_code=hall.settings.device_code if role == "kiosk" else "")


def local_client(server: SyncServer, hall: Hall, role: str = "counter", org_code: str = "",
                 **options: int) -> SyncClient:
    return SyncClient(hall, LocalTransport(server, device_of(hall, role, org_code)), **options)


def enrolled(server: SyncServer, hall: Hall, role: str = "counter", org_code: str = "") -> str:
    return enrol_device(server.hall, hall.settings.device_id, role, org_code,
                        device_code=hall.settings.device_code if role == "kiosk" else "")


def write_demo_cases(hall: Hall, cases: int, seed: int = 7) -> int:
    """``cases`` generated case histories written straight into ``hall`` (unsynced); returns the events."""
    generator = DemoGenerator(seed=seed, today=date(2026, 9, 16), taxonomy=load_taxonomy(), regions=load_regions(),
                              pepper=PEPPER, device_id=hall.settings.device_id[:4])
    with hall.engine.begin() as connection:
        _done, events = write_demo(connection, generator, cases, hall.policy)
    return events


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def serving(hall: Hall, server: SyncServer | None = None) -> Iterator[str]:
    """The HTTP API over ``hall`` on a real socket; yields its base URL."""
    with serve_in_thread(create_app(hall, server=server)) as url:
        yield url


@contextmanager
def api_client(hall: Hall) -> Iterator[httpx.Client]:
    """An HTTP client of the API over ``hall`` on a real socket."""
    with serving(hall) as url, httpx.Client(base_url=url) as client:
        yield client


def bearer(token: str) -> dict[str, str]:
    """The headers of a request made with a device's token."""
    return {"Authorization": f"Bearer {token}"}


def events_of(hall: Hall) -> list[Any]:
    with hall.sessions() as session:
        return [row_to_event(r) for r in session.scalars(select(EventRow).order_by(EventRow.seq))]


def event_ids(hall: Hall) -> set[str]:
    with hall.sessions() as session:
        return set(session.scalars(select(EventRow.event_id)))


def count_events(hall: Hall) -> int:
    with hall.sessions() as session:
        return int(session.scalar(select(func.count()).select_from(EventRow)) or 0)


def register_cases(hall: Hall, clerk: Actor, n: int, start: int = 100) -> list[str]:
    return [register_visit(hall, clerk, form(name=f"张建{'国民军华'[i % 4]}", id_number=valid_id(seq=start + i),
                                             request=f"反映第{start + i}号小区电梯长期停运，要求维修")).case_number
            for i in range(n)]


def projection_snapshot_of(hall: Hall) -> dict[str, Any]:
    with hall.sessions() as session:
        return dict(projection_snapshot(session))


@contextmanager
def linked(links: list[Link]) -> Iterator[list[Link]]:
    """Links to an authority (the queue, the hall's records), started and online; stopped afterwards."""
    started = [link.start() for link in links]
    try:
        for link in started:
            assert link.online.wait(10), link.last_error
        yield links
    finally:
        for link in started:
            link.halt()  # all at once: each ends at the server's next heartbeat
        for link in started:
            link.stop()
