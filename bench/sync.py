"""Sync, measured: push and pull over HTTP against the drivers' bulk-insert floors, and a catch-up.

    .venv/bin/python -m bench.sync --db DEMO.db --cfg CFG_DIR [--events 100000] [--quick] [--in-place] [--catch-up-only]

* **Push**: ``events`` real-sized events wait in a device's outbox (an encrypted database of
  its own); ``SyncClient.push_outbox`` sends them over HTTP in batches of 500 to the server
  (FastAPI + uvicorn in this process, on a private PostgreSQL started for the run), which
  stores them with their projections. Floor: the same events copied into the server's
  ``events`` table by psycopg ``COPY`` in one transaction (median of repeated runs), the
  fastest a driver can put them there.
* **Push without validation**: the same push with the server's checks of every event
  switched off (``SyncServer(validate=False)``): what the checks cost (at most 30 %).
* **Pull / catch-up**: a device that missed all ``events`` (the demo database given,
  encrypted) pulls them over HTTP from the server running as a process of its own
  (``python -m server run``) in pages of 5,000, applying each with its projections and its
  cursor in one transaction, as a device really does. Floor: the SQLCipher driver
  inserting the same events (fresh ids) into that database with ``executemany`` in one
  transaction (``bench.run``'s floor).

The demo database is copied first (``--in-place`` writes into the file given instead; the
benchmark runner hands it a copy). PostgreSQL runs twice: as the test server does (fsync,
synchronous_commit and full_page_writes off) for the push, the pull and the floors; and with
production durability (the defaults: every commit flushed to disk), its data folder in
/var/tmp (kept on disk, where /tmp may be memory), for a second push over HTTP and its COPY
floor.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

from bench.common import activate, copy_database, remove_database

EVENTS = 100_000
QUICK_EVENTS = 20_000
_COLUMNS = ("event_id", "case_id", "device_id", "author", "hlc", "type", "payload", "schema_version")


# --- a private PostgreSQL ---------------------------------------------------------------------

#: Where the durable cluster keeps its data: on disk (/tmp may be a tmpfs, where a flush costs nothing),
#: and reachable by the postgres user when the benchmark runs as root (a home folder may not be).
DURABLE_PARENT = Path("/var/tmp")
#: The test server's settings (scripts/pg-test-server.sh): fast, and a crash may lose or corrupt data.
NO_DURABILITY = "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"


@contextlib.contextmanager
def private_postgres(*, durable: bool = False, parent: Path | None = None) -> Iterator[str]:
    """A throwaway PostgreSQL cluster; yields its URL.

    By default as scripts/pg-test-server.sh starts one (durability off, in /tmp); ``durable``
    keeps PostgreSQL's defaults (fsync, synchronous_commit, full_page_writes on), as a
    production server runs. ``parent`` is where its data folder goes.
    """
    bins = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))
    if not bins or not (bins[-1] / "initdb").exists():
        raise RuntimeError("未找到 PostgreSQL（apt-get install postgresql）")
    bindir = bins[-1]
    folder = Path(tempfile.mkdtemp(prefix="ph-bench-pg.", dir=parent))
    run: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
        run = ["runuser", "-u", "postgres", "--"]
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    data = folder / "data"
    options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1" + ("" if durable else f" {NO_DURABILITY}")
    try:
        subprocess.run([*run, str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust", "-E", "UTF8",
                        "--locale=C.UTF-8"], check=True, capture_output=True)
        subprocess.run([*run, str(bindir / "pg_ctl"), "-D", str(data), "-l", str(folder / "log"), "-w", "-o",
                        options, "start"], check=True, capture_output=True)
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run([*run, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
                       check=False, capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)


def _database(admin_url: str, name: str) -> str:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE template0 ENCODING \'UTF8\''))
    admin.dispose()
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False)


# --- the events ---------------------------------------------------------------------------------

def generate_events(count: int, seed: int = 31) -> list[Any]:
    """``count`` events of real case histories (the demo generator), with case numbers of their own device."""
    from dataclasses import replace

    from desktop.domain.events import EventType
    from desktop.domain.numbering import make_case_number
    from desktop.services.demo import DemoGenerator
    from desktop.services.reference import load_regions, load_taxonomy

    generator = DemoGenerator(seed=seed, today=date.today(), taxonomy=load_taxonomy(), regions=load_regions(),
                              pepper=bytes(32), device_id="bsyn")
    events: list[Any] = []
    serial = 0
    for index in range(count):
        for event in generator.case_events(index, max(count // 4, 1)):  # about six events a case
            if event.type is EventType.REGISTERED:  # never the same number as a case of the demo database
                serial += 1
                number = make_case_number(date.fromisoformat(event.payload["received_on"]), "SYNC", serial)
                event = replace(event, payload={**event.payload, "case_number": number})
            events.append(event)
        if len(events) >= count:
            return events[:count]
    return events


# --- push ----------------------------------------------------------------------------------------

def add_demo_accounts(hall: Any) -> None:
    """The accounts the generated histories name as authors, on the server (every push is checked against them)."""
    from db.models import StaffAccountRow
    from desktop.services.demo import CLERKS, LEADER_AUTHOR

    with hall.transaction() as session:
        for author, role in [*((c, "clerk") for c in CLERKS), (LEADER_AUTHOR, "leader")]:
            login = author.removeprefix("staff:")
            session.add(StaffAccountRow(login=login, display_name=login, role=role, hall_code="", org_code="",
                                        extra_permissions="[]", password_hash="$argon2id$v=19$m=8,t=1,p=1$x$x",
                                        must_change_password=False, failed_count=0, locked_until=None,
                                        disabled=False, password_changed_at="", updated_at=""))


def measure_push(events: list[Any], url: str, folder: Path, *, over_http: bool = True,
                 validate: bool = True) -> dict[str, Any]:
    """A device's outbox of ``events`` pushed to a fresh server database at ``url``: over HTTP or in-process.

    The generated histories come from six devices of one hall, so they are pushed as that
    hall's server passes them on (a ``hall`` device), each checked against the server's
    accounts; ``validate=False`` is the same push without the checks (the cost of them).
    """
    from sqlalchemy import insert

    from db.engine import make_engine, sqlite_url
    from db.migrate import upgrade
    from db.models import EventRow
    from desktop.keystore import Secrets
    from desktop.services.context import Hall
    from desktop.services.database import open_database
    from desktop.services.store import event_to_row
    from desktop.sync.client import SyncClient
    from desktop.sync.transport import HttpTransport, Transport
    from server.app import create_app, serving
    from server.hall import server_hall
    from server.local import LocalTransport
    from server.store import Device, SyncServer, enrol_device

    # the device: its own encrypted database holding the events as its outbox
    secrets = Secrets.generate()
    device_db = folder / "bench-sync-device.db"
    device_engine = make_engine(sqlite_url(device_db), key=secrets.database_key)
    upgrade(device_engine)
    with device_engine.begin() as connection:
        connection.execute(insert(EventRow), [event_to_row(e) for e in events])
    hall = server_hall(open_database(url))
    add_demo_accounts(hall)
    device = Hall(engine=device_engine, settings=hall.settings, secrets=secrets)
    try:
        token = enrol_device(hall, "benchpush", "hall")
        server = SyncServer(hall, validate=validate)
        with contextlib.ExitStack() as stack:
            transport: Transport
            if over_http:
                app = create_app(hall, server=server)
                transport = stack.enter_context(HttpTransport(stack.enter_context(serving(app)), token))
            else:
                transport = LocalTransport(server, Device("benchpush", "hall"))
            started = time.perf_counter()
            pushed = SyncClient(device, transport).push_outbox()
            seconds = time.perf_counter() - started
    finally:
        device_engine.dispose()
        for path in device_db.parent.glob(device_db.name + "*"):
            path.unlink()
    return {"events": pushed, "seconds": seconds, "events_per_s": pushed / seconds, "batch": 500,
            "transport": "HTTP" if over_http else "in-process", "validated": validate, "server": hall}


def postgres_floor(events: list[Any], url: str, runs: int) -> dict[str, Any]:
    """psycopg ``COPY`` (and, once, ``executemany``) of the events into a migrated ``events`` table, one commit each."""
    import psycopg
    from sqlalchemy.engine import make_url

    from desktop.services.database import open_database
    from desktop.services.store import event_to_row

    open_database(url).dispose()  # the same schema and indexes as the server's
    rows = [tuple(event_to_row(e)[c] for c in _COLUMNS) for e in events]
    plain = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    copy_s: list[float] = []
    with psycopg.connect(plain) as connection:
        for _ in range(runs):
            connection.execute("TRUNCATE events")
            connection.commit()
            started = time.perf_counter()
            with connection.cursor() as cursor, cursor.copy(f"COPY events ({', '.join(_COLUMNS)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            connection.commit()
            copy_s.append(time.perf_counter() - started)
        connection.execute("TRUNCATE events")
        connection.commit()
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.executemany(f"INSERT INTO events ({', '.join(_COLUMNS)}) VALUES "
                               f"({', '.join(['%s'] * len(_COLUMNS))})", rows)
        connection.commit()
        many_s = time.perf_counter() - started
    seconds = statistics.median(copy_s)
    return {"events": len(rows), "seconds": seconds, "events_per_s": len(rows) / seconds, "runs_s": copy_s,
            "executemany_s": many_s, "executemany_per_s": len(rows) / many_s,
            "driver": f"psycopg COPY, one transaction, median of {runs}"}


# --- pull ----------------------------------------------------------------------------------------

@contextlib.contextmanager
def server_process(url: str) -> Iterator[str]:
    """``python -m server run`` over the database at ``url`` in a process of its own; yields its address.

    As a device meets it: another program (here on the same machine), reached over a socket.
    """
    import sys

    import httpx

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen([sys.executable, "-m", "server", "run", "--db", url, "--port", str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    address = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(f"{address}/openapi.json", timeout=1.0)
                break
            except httpx.TransportError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("同步服务进程未能启动") from None
                time.sleep(0.1)
        yield address
    finally:
        process.terminate()
        process.wait(timeout=30)


def measure_pull(server: Any, db: Path, events: list[Any], *, url: str = "") -> dict[str, Any]:
    """The demo database (encrypted) pulls every event from the server over HTTP: catch-up from cursor 0.

    With ``url`` (the server's database) the server runs as a process of its own, as a device
    meets it; otherwise in a thread of this process (sharing its interpreter with the device).
    """
    from desktop.config import load_settings
    from desktop.installation import open_hall
    from desktop.sync.client import SyncClient
    from desktop.sync.transport import HttpTransport
    from server.app import create_app, serving
    from server.store import enrol_device

    hall = open_hall(load_settings(), db)
    try:
        token = enrol_device(server, hall.settings.device_id, "counter")
        with (server_process(url) if url else serving(create_app(server))) as address, \
                HttpTransport(address, token) as transport:
            client = SyncClient(hall, transport)
            started, cpu = time.perf_counter(), time.process_time()
            pulled = client.pull_all()
            seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        cursor = client.status().cursor
    finally:
        hall.engine.dispose()
    if pulled != len(events):
        raise RuntimeError(f"拉取到 {pulled} 条新事件，应为 {len(events)} 条")
    return {"events": pulled, "seconds": seconds, "events_per_s": pulled / seconds, "page": client.pull_limit,
            "cursor": cursor, "cpu_seconds": cpu, "server": "own process" if url else "thread of this process"}


def sqlcipher_floor(db: Path, events: list[Any]) -> dict[str, Any]:
    """The SQLCipher driver inserting the same events (fresh ids) with executemany, one transaction."""
    from db.engine import connect_sqlcipher
    from desktop.config import load_settings
    from desktop.installation import load_secrets
    from desktop.services.store import event_to_row

    rows = [(str(uuid.uuid4()), *(event_to_row(e)[c] for c in _COLUMNS[1:])) for e in events]
    key = load_secrets(load_settings(), db).database_key
    with contextlib.closing(connect_sqlcipher(db, key)) as connection:
        connection.execute("PRAGMA synchronous=NORMAL")  # as the application's connections
        connection.execute("PRAGMA cache_size=-65536")
        started = time.perf_counter()
        connection.execute("BEGIN")  # the raw connection is in autocommit mode
        connection.executemany(f"INSERT INTO events ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * len(_COLUMNS))})",
                               rows)
        connection.execute("COMMIT")
        seconds = time.perf_counter() - started
    payload = sum(len(r[6].encode()) for r in rows) / len(rows)
    return {"events": len(rows), "seconds": seconds, "events_per_s": len(rows) / seconds,
            "mean_payload_bytes": payload, "driver": "sqlcipher executemany, one transaction"}


# --- all of it ---------------------------------------------------------------------------------

def measure(db: Path, events: int = EVENTS, *, quick: bool = False) -> dict[str, Any]:
    """Push, pull/catch-up and both floors for ``events`` events; ``db`` (a copy) is written to."""
    rng = random.Random(5)
    generated = generate_events(events, seed=rng.randint(1, 10**6))
    with private_postgres() as pg_url:
        url = _database(pg_url, "sync_push")
        push = measure_push(generated, url, db.parent)
        server = push.pop("server")
        try:
            pull = measure_pull(server, db, generated, url=url)
        finally:
            server.engine.dispose()
        # the same work without HTTP, on a fifth of the events: what the web layer costs
        local = measure_push(generated[:len(generated) // 5], _database(pg_url, "sync_local"), db.parent,
                             over_http=False)
        local.pop("server").engine.dispose()
        push["in_process"] = local
        # the same push over HTTP without the server's checks: what validating every event costs
        unchecked = measure_push(generated, _database(pg_url, "sync_unchecked"), db.parent, validate=False)
        unchecked.pop("server").engine.dispose()
        push["without_validation"] = unchecked
        push["floor"] = postgres_floor(generated, _database(pg_url, "sync_floor"), 1 if quick else 3)
    push["durability"] = "off"
    with private_postgres(durable=True, parent=DURABLE_PARENT) as pg_url:
        durable = measure_push(generated, _database(pg_url, "sync_push"), db.parent)
        durable.pop("server").engine.dispose()
        durable["floor"] = postgres_floor(generated, _database(pg_url, "sync_floor"), 1 if quick else 3)
        durable["durability"] = "on"
        push["durable"] = durable
    floor = sqlcipher_floor(db, generated)
    return {"events": len(generated), "push": push, "pull": pull, "sqlcipher_floor": floor,
            "catch_up_seconds": pull["seconds"], "catch_up_floor_seconds": floor["seconds"]}


def measure_catch_up(db: Path, events: int = EVENTS) -> dict[str, Any]:
    """Only the catch-up: ``events`` pushed in-process (validated) to a private PostgreSQL, then pulled over HTTP."""
    generated = generate_events(events, seed=random.Random(5).randint(1, 10**6))
    with private_postgres() as pg_url:
        url = _database(pg_url, "sync_push")
        push = measure_push(generated, url, db.parent, over_http=False)
        server = push.pop("server")
        try:
            pull = measure_pull(server, db, generated, url=url)
        finally:
            server.engine.dispose()
    floor = sqlcipher_floor(db, generated)
    return {"events": len(generated), "pull": pull, "sqlcipher_floor": floor,
            "catch_up_seconds": pull["seconds"], "catch_up_floor_seconds": floor["seconds"]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True, help="an encrypted demo database (python -m desktop demo-data)")
    parser.add_argument("--cfg", required=True, help="its config folder (PH_CONFIG_DIR, holding its key file)")
    parser.add_argument("--events", type=int,
                        help=f"events to push and pull (default {EVENTS:,}; quick {QUICK_EVENTS:,})")
    parser.add_argument("--quick", action="store_true", help="fewer events and floor repetitions")
    parser.add_argument("--in-place", action="store_true", help="write into --db itself instead of a copy")
    parser.add_argument("--catch-up-only", action="store_true",
                        help="only the catch-up (the server filled in-process), e.g. with --events 100000")
    args = parser.parse_args(argv)
    activate(Path(args.cfg))
    source = Path(args.db).resolve()
    events = args.events or (QUICK_EVENTS if args.quick else EVENTS)
    target = source if args.in_place else source.with_name(f"bench-sync-{source.name}")
    if not args.in_place:
        copy_database(source, target)
    try:
        result = measure_catch_up(target, events) if args.catch_up_only else measure(target, events, quick=args.quick)
    finally:
        if not args.in_place:
            remove_database(target)
    if args.catch_up_only:
        print_catch_up(result)
        print("BENCH " + json.dumps(result, default=str))
        return 0
    push, pull, floor = result["push"], result["pull"], result["sqlcipher_floor"]
    push_floor = push["floor"]["events_per_s"]
    print(f"push  {push['events_per_s']:>10,.0f} ev/s   floor (psycopg COPY) {push_floor:>10,.0f} ev/s"
          f"   ratio {push['events_per_s'] / push_floor:.2f}×"
          f"   in-process {push['in_process']['events_per_s']:,.0f} ev/s   (durability off)")
    unchecked = push["without_validation"]["events_per_s"]
    print(f"push without validation {unchecked:>10,.0f} ev/s   validation costs "
          f"{(1 - push['events_per_s'] / unchecked) * 100:.0f} %")
    durable = push["durable"]
    durable_floor = durable["floor"]["events_per_s"]
    print(f"push  {durable['events_per_s']:>10,.0f} ev/s   floor (psycopg COPY) {durable_floor:>10,.0f} ev/s"
          f"   ratio {durable['events_per_s'] / durable_floor:.2f}×   (production durability)")
    print(f"pull  {pull['events_per_s']:>10,.0f} ev/s   floor (SQLCipher)    {floor['events_per_s']:>10,.0f} ev/s"
          f"   ratio {pull['events_per_s'] / floor['events_per_s']:.2f}×")
    print_catch_up(result)
    print("BENCH " + json.dumps(result, default=str))
    return 0


def print_catch_up(result: dict[str, Any]) -> None:
    catch, catch_floor = result["catch_up_seconds"], result["catch_up_floor_seconds"]
    print(f"catch-up of {result['events']:,} events: {catch:.1f} s, floor {catch_floor:.1f} s "
          f"({catch / catch_floor:.2f}×); the device's CPU time {result['pull']['cpu_seconds']:.1f} s "
          f"(server: {result['pull']['server']})")


if __name__ == "__main__":
    raise SystemExit(main())
