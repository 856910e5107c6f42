"""Peak memory (max RSS) of the kiosk and the counter, each in a fresh process.

    .venv/bin/python -m bench.memory --kiosk --db PATH [--count 200]
    .venv/bin/python -m bench.memory --counter --db PATH

* kiosk: the kiosk's window on screen (offscreen), then ``count`` self-registrations by the
  kiosk device through ``register_visit``, the window processing events in between;
* counter: the counter window on the database, a demo clerk signing in through the sign-in
  page (``chuangkou1``), then searches of every kind with the first result opened.

Both write to the database (registrations; sign-in and audit entries): give them a copy.
Each prints ``BENCH {...}`` with its peak resident size (``VmHWM``) and the resident size at the end.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path
from typing import Any

from bench.common import peak_rss_mb, rss_mb


def _start(role: str, db: Path) -> tuple[Any, Any, Any]:
    from PySide6.QtWidgets import QApplication

    from desktop.app import build_window
    from desktop.config import load_settings
    from desktop.installation import open_hall
    from ui.shell.theme import apply_theme

    hall = open_hall(load_settings(), db)
    app = QApplication(sys.argv)
    apply_theme(app, role)
    window = build_window(hall, role)
    if role == "kiosk":
        window.showFullScreen()
    else:
        window.resize(1600, 900)
        window.show()
    app.processEvents()
    return hall, app, window


def _after(signal: Any, start: Any) -> None:
    """Start something and wait for ``signal`` (the screens work off the GUI thread)."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    signal.connect(loop.quit)
    QTimer.singleShot(30_000, loop.quit)
    start()
    loop.exec()
    signal.disconnect(loop.quit)


def kiosk(db: Path, count: int) -> dict[str, Any]:
    from bench.registration import forms
    from desktop.app import device_actor
    from desktop.domain.errors import RuleViolation
    from desktop.services.registration import register_visit

    hall, app, window = _start("kiosk", db)
    started_mb = rss_mb()
    actor = device_actor("kiosk", hall.settings)
    refused = done = 0
    for form in forms(hall, count + 50, random.Random(7)):
        if done == count:
            break
        try:
            register_visit(hall, actor, form)
            done += 1
        except RuleViolation:
            refused += 1  # a matter already through 复核: the next form takes its place
        app.processEvents()
    result = {"role": "kiosk", "registrations": done, "refused": refused,
              "rss_after_start_mb": started_mb, "rss_end_mb": rss_mb(), "peak_mb": peak_rss_mb()}
    window.close()
    hall.engine.dispose()
    return result


def counter(db: Path, login: str, password: str) -> dict[str, Any]:
    from PySide6.QtWidgets import QApplication

    from bench.lookup import queries
    from ui.cases.search import CaseSearchPanel

    hall, _app, window = _start("counter", db)
    started_mb = rss_mb()
    page = window.sign_in_page
    page.login.setText(login)
    page.password.setText(password)
    page.submit()
    deadline = time.monotonic() + 120
    while window.work is None and time.monotonic() < deadline:
        QApplication.processEvents()
        time.sleep(0.01)
    if window.work is None:
        raise RuntimeError(f"sign-in as {login} did not reach the work page: {page.message.text()}")
    signed_in_mb = rss_mb()
    panel = window.work.findChild(CaseSearchPanel)
    assert panel is not None
    _total, by_kind = queries(hall, 5, random.Random(3))
    searches = 0
    for values in by_kind.values():
        for value in values[:3]:
            panel.query.setText(value)
            _after(panel.searched, panel.run_search)
            if panel.results:  # opens the case's detail (masked)
                _after(panel.detail_shown, lambda: panel.table.setCurrentCell(0, 0))
            searches += 1
    result = {"role": "counter", "searches": searches, "rss_after_start_mb": started_mb,
              "rss_signed_in_mb": signed_in_mb, "rss_end_mb": rss_mb(), "peak_mb": peak_rss_mb()}
    window.close()
    hall.engine.dispose()
    return result


def main() -> None:
    from desktop.services.accounts import DEMO_PASSWORD

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--kiosk", action="store_true")
    which.add_argument("--counter", action="store_true")
    parser.add_argument("--db", required=True)
    parser.add_argument("--count", type=int, default=200, help="kiosk registrations")
    parser.add_argument("--login", default="chuangkou1")
    parser.add_argument("--password", default=DEMO_PASSWORD)
    args = parser.parse_args()
    result = kiosk(Path(args.db), args.count) if args.kiosk else counter(Path(args.db), args.login, args.password)
    print("BENCH " + json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
