"""The hall queue over loopback: call-to-display latency, and tickets per second the hall server sustains.

    .venv/bin/python -m bench.queue [--calls 200] [--tickets 400] [--shared-calls 20] [--json PATH]

A hall server (``server/`` on SQLite, as on a hall PC) serves on 127.0.0.1; a counter and
the call display each keep their own encrypted database and the queue's push channel
(server-sent events) open through ``QueueClient``, as in the hall.

* **Latency**: the counter calls the next number (``call_next`` over HTTP, as the 叫号 key
  does); the clock runs from the moment the key's request leaves until the display's own
  database holds the call (its change notification fired — what the screen refreshes on).
  One call at a time, each finished before the next.
* **Throughput**: kiosks in 4 threads take ``tickets`` numbers over HTTP (``POST
  /queue/issue``, the kiosk's 取号); tickets per second over the wall clock. Baseline: the
  same issues straight on the server's database, one thread, no HTTP.
* **Shared database** (a hall without a hall server): the counter and the display as two programs
  on one encrypted database file; from 叫号 until the display's board holds the call, the display
  looking at the queue's revision mark as ``ui.queue.watch`` does (``measure_shared``).
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

LATENCY_P95_TARGET_MS = 200.0


def _hall(folder: Path, name: str, *, encrypted: bool = True) -> Any:
    from db.engine import make_engine, sqlite_url
    from db.migrate import upgrade
    from desktop.config import Settings
    from desktop.keystore import Secrets
    from desktop.services.context import Hall

    secrets = Secrets.generate()
    engine = make_engine(sqlite_url(folder / f"{name}.db"), key=secrets.database_key if encrypted else None)
    upgrade(engine)
    return Hall(engine=engine, settings=Settings(device_id=f"bench{name}", queue_window=1), secrets=secrets)


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))]


def measure(calls: int = 200, tickets: int = 400) -> dict[str, Any]:
    import httpx
    from sqlalchemy import select

    from db.models import QueueCallRow
    from desktop.domain.queue import QueueAction, TicketSource
    from desktop.services import queue
    from desktop.services.changes import Changes
    from desktop.sync.queue_client import QueueClient
    from server.app import create_app, serving
    from server.store import SyncServer, enrol_device

    with tempfile.TemporaryDirectory(prefix="bench-queue-") as tmp:
        folder = Path(tmp)
        authority = _hall(folder, "hallserver", encrypted=False)
        counter, display = _hall(folder, "counter"), _hall(folder, "display")
        halls = (authority, counter, display)
        seen: dict[str, float] = {}
        arrived = threading.Condition()

        def told(changes: Changes) -> None:
            if not changes.queue:
                return
            now = time.perf_counter()
            with display.sessions() as session:
                ids = list(session.scalars(select(QueueCallRow.call_id)))
            with arrived:
                for call_id in ids:
                    seen.setdefault(call_id, now)
                arrived.notify_all()

        display.changes.subscribe(told)
        try:
            for _ in range(calls):
                queue.issue_local(authority, type_code="general", source=TicketSource.KIOSK)
            with serving(create_app(authority, server=SyncServer(authority))) as url:
                links = [QueueClient(h, url, enrol_device(authority, h.settings.device_id, role), window=w).start()
                         for h, role, w in ((counter, "counter", 1), (display, "display", 0))]
                try:
                    for link in links:
                        if not link.online.wait(20):
                            raise RuntimeError(f"队列推送连接未建立：{link.last_error}")
                    latencies = []
                    for _ in range(calls):
                        started = time.perf_counter()
                        ticket = queue.call_next(counter, window=1)
                        assert ticket is not None
                        with authority.sessions() as session:
                            call_id = session.scalars(select(QueueCallRow.call_id)
                                                      .where(QueueCallRow.ticket_id == ticket.ticket_id)).one()
                        with arrived:
                            if not arrived.wait_for(lambda c=call_id: c in seen, timeout=10):
                                raise RuntimeError(f"叫号屏 10 秒内没有收到 {ticket.number}")
                        latencies.append((seen[call_id] - started) * 1000)
                        queue.act(counter, ticket.ticket_id, QueueAction.FINISH, window=1)

                    kiosks = [enrol_device(authority, f"benchkiosk{n}", "kiosk", device_code=f"K{n:02d}")
                              for n in range(4)]

                    def take(token: str, count: int) -> None:
                        with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"},
                                          timeout=30) as client:
                            for _ in range(count):
                                answer = client.post("/queue/issue", json={"type_code": "wages", "source": "kiosk"})
                                answer.raise_for_status()

                    started = time.perf_counter()
                    with ThreadPoolExecutor(len(kiosks)) as pool:
                        list(pool.map(take, kiosks, [tickets // len(kiosks)] * len(kiosks)))
                    http_seconds = time.perf_counter() - started
                finally:
                    for link in links:
                        link.stop()
            started = time.perf_counter()
            for _ in range(tickets):
                queue.issue_local(authority, type_code="legal", source=TicketSource.KIOSK)
            local_seconds = time.perf_counter() - started
        finally:
            for hall in halls:
                hall.engine.dispose()
    issued = tickets // 4 * 4
    return {"calls": calls, "latency_p50_ms": _percentile(latencies, 50), "latency_p95_ms": _percentile(latencies, 95),
            "latency_max_ms": max(latencies), "tickets": issued, "tickets_per_s": issued / http_seconds,
            "local_tickets_per_s": tickets / local_seconds}


def measure_shared(calls: int = 20, *, watch_ms: int | None = None, slow_ms: int = 10_000) -> dict[str, Any]:
    """A hall without a hall server: the counter and the call display, two programs on one encrypted database.

    The display reads the board when the queue's revision mark moved (looked at every ``watch_ms``, as
    ``ui.queue.watch`` does) and every ``slow_ms`` in any case; ``watch_ms=None`` is the display without the
    mark, on its slow timer alone. The clock runs from the counter's 叫号 until the display's board shows the
    call. Also: what one look at the mark costs.
    """
    from db.engine import make_engine, sqlite_url
    from desktop.domain.queue import QueueAction, TicketSource
    from desktop.services import queue
    from desktop.services.context import Hall
    from ui.queue.watch import WATCH_MS

    watch = WATCH_MS if watch_ms == 0 else watch_ms
    with tempfile.TemporaryDirectory(prefix="bench-queue-shared-") as tmp:
        counter = _hall(Path(tmp), "hall")
        display = Hall(engine=make_engine(sqlite_url(Path(tmp) / "hall.db"), key=counter.secrets.database_key),
                       settings=counter.settings, secrets=counter.secrets)
        shown: dict[str, float] = {}
        stop = threading.Event()

        def screen() -> None:  # the display's reads, on their worker
            mark, last_read = queue.revision(display), time.perf_counter()
            while not stop.is_set():
                time.sleep((watch if watch is not None else slow_ms) / 1000)
                moved = False
                if watch is not None:
                    now_mark = queue.revision(display)
                    moved, mark = now_mark != mark, now_mark
                if moved or (time.perf_counter() - last_read) * 1000 >= slow_ms:
                    board, last_read = queue.board(display), time.perf_counter()
                    if board.current is not None:
                        shown.setdefault(board.current.call_id, last_read)

        try:
            reader = threading.Thread(target=screen, daemon=True)
            reader.start()
            delays = []
            pace = random.Random(7)
            for _ in range(calls):
                queue.issue_ticket(counter, type_code="general", source=TicketSource.KIOSK)
                time.sleep(pace.uniform(0, (watch if watch is not None else slow_ms) / 1000))  # any moment
                started = time.perf_counter()
                ticket = queue.call_next(counter, window=1)
                assert ticket is not None
                board = queue.board(counter)
                assert board.current is not None
                call_id = board.current.call_id
                deadline = started + slow_ms / 1000 * 2
                while call_id not in shown and time.perf_counter() < deadline:
                    time.sleep(0.005)
                delays.append((shown.get(call_id, deadline) - started) * 1000)
                queue.act(counter, ticket.ticket_id, QueueAction.FINISH, window=1)
            stop.set()
            reader.join()
            started = time.perf_counter()
            for _ in range(200):
                queue.revision(display)
            look_ms = (time.perf_counter() - started) * 1000 / 200
        finally:
            stop.set()
            counter.engine.dispose()
            display.engine.dispose()
    return {"calls": calls, "watch_ms": watch, "shared_p50_ms": _percentile(delays, 50),
            "shared_max_ms": max(delays), "look_ms": look_ms}


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.queue", description=__doc__.split("\n")[0])
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--tickets", type=int, default=400)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--shared-calls", type=int, default=20,
                        help="calls on one shared database without a hall server (0: skip)")
    args = parser.parse_args()
    result = measure(args.calls, args.tickets)
    if args.shared_calls:
        shared = measure_shared(args.shared_calls, watch_ms=0)
        result.update(shared_p50_ms=shared["shared_p50_ms"], shared_max_ms=shared["shared_max_ms"],
                      shared_look_ms=shared["look_ms"])
        print(f"叫号到叫号屏，无大厅服务器（共用数据库） call → display on a shared database: "
              f"p50 {shared['shared_p50_ms']:.0f} ms, max {shared['shared_max_ms']:.0f} ms over {shared['calls']} "
              f"calls (the queue's mark looked at every {shared['watch_ms']} ms, {shared['look_ms']:.2f} ms a look)")
    print(f"叫号到叫号屏 call → display: p50 {result['latency_p50_ms']:.1f} ms, p95 {result['latency_p95_ms']:.1f} ms "
          f"(target ≤ {LATENCY_P95_TARGET_MS:.0f} ms), max {result['latency_max_ms']:.1f} ms over {result['calls']} "
          "calls")
    print(f"取号 tickets/s over HTTP (4 kiosks): {result['tickets_per_s']:.0f}; straight on the server's database: "
          f"{result['local_tickets_per_s']:.0f}")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
