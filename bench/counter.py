"""The counter as a clerk meets it, measured through the real screens on a database.

* ``form_open``: from building the registration screen to its first keystroke being
  useful — painted, its region and topic lists and any draft in (``ready``).
* ``history_per_keystroke``: a clerk types the request one character at a time after the
  ID number, name and phone: each question the form asks off the GUI thread, to its
  answer on screen (the form's 250 ms pause before asking is not counted).
* ``search``: the case desk's search box, from the query to the results on screen, for
  case numbers, ID numbers, two-character names and phrases drawn from the data.

    python -m bench.counter --db demo/demo.db [--rounds 20]

Targets (the counter issue): form open ≤ 100 ms, history ≤ 50 ms per keystroke,
search ≤ 200 ms to results on screen.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.common import summary

TARGETS_MS = {"form_open": 100.0, "history_per_keystroke": 50.0, "search": 200.0}


def _wait(signal: Any, start: Callable[[], object], timeout_ms: int = 30_000) -> float:
    """Milliseconds from ``start()`` until ``signal`` is emitted (the event loop runs meanwhile)."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    signal.connect(loop.quit)
    QTimer.singleShot(timeout_ms, loop.quit)
    began = time.perf_counter()
    start()
    loop.exec()
    elapsed = (time.perf_counter() - began) * 1000
    signal.disconnect(loop.quit)
    return elapsed


def measure(db: Path, rounds: int) -> dict[str, Any]:
    from PySide6.QtWidgets import QApplication
    from sqlalchemy import select

    from db.models import CasePersonRow, CaseRow
    from desktop.config import load_settings
    from desktop.domain.access import Actor
    from desktop.domain.roles import WindowRole
    from desktop.installation import open_hall
    from ui.cases.search import CaseSearchPanel
    from ui.registration.form import RegistrationPanel
    from ui.shell.collector import GuiThreadCollector
    from ui.shell.context import WindowContext
    from ui.shell.startup import HallSource
    from ui.shell.tasks import TaskManager

    app = QApplication.instance() or QApplication(sys.argv)
    collector = GuiThreadCollector()
    hall = open_hall(load_settings(), db)
    source = HallSource.of(hall)
    manager = TaskManager(source)
    clerk = Actor("staff:bench", "基准", "clerk")
    ctx = WindowContext(source, manager, WindowRole.COUNTER).acting_as(clerk)
    rng = random.Random(7)
    with hall.sessions() as session:
        people = session.execute(select(CasePersonRow.name, CasePersonRow.id_number, CasePersonRow.phone)
                                 .where(CasePersonRow.id_number != "").limit(5000)).all()
        numbers = list(session.scalars(select(CaseRow.case_number).limit(5000)))
        requests = list(session.scalars(select(CaseRow.request).limit(2000)))

    opens = []
    for _ in range(rounds):
        began = time.perf_counter()
        panel = RegistrationPanel(ctx)  # its lists and any draft load off the GUI thread
        panel.resize(1366, 768)
        panel.show()
        if panel.tasks.busy:
            _wait(panel.tasks.settled, lambda: None)
        app.processEvents()
        opens.append((time.perf_counter() - began) * 1000)
        panel.close()
        panel.deleteLater()

    panel = RegistrationPanel(ctx)
    panel.show()
    if panel.tasks.busy:
        _wait(panel.tasks.settled, lambda: None)
    history = []
    for name, id_number, phone in rng.sample(people, min(rounds, len(people))):
        panel.id_number.setText(id_number)
        panel.name.setText(name)
        panel.phone.setText(phone or "")
        text = rng.choice(requests)[:30]
        for end in range(4, len(text), 3):
            panel.request.blockSignals(True)
            panel.request.setPlainText(text[:end])
            panel.request.blockSignals(False)
            history.append(_wait(panel.history_shown, panel._ask_history))

    search = CaseSearchPanel(ctx)
    search.show()
    queries: list[tuple[str, str]] = []
    for name, id_number, _phone in rng.sample(people, min(rounds, len(people))):
        queries += [("ID number", id_number), ("two-character name", name[:2])]
    queries += [("case number", n) for n in rng.sample(numbers, min(rounds, len(numbers)))]
    queries += [("phrase", r[3:7]) for r in rng.sample(requests, min(rounds, len(requests)))]
    searches: dict[str, list[float]] = {}
    for kind, query in queries:
        search.query.blockSignals(True)
        search.query.setText(query)
        search.query.blockSignals(False)
        searches.setdefault(kind, []).append(_wait(search.searched, search.run_search))
    manager.close()
    collector.stop()
    hall.engine.dispose()
    result = {"form_open": summary(opens), "history_per_keystroke": summary(history),
              "search": {kind: summary(values) for kind, values in searches.items()}}
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    result = measure(Path(args.db), args.rounds)
    print(f"{'row':<34}{'p50 ms':>10}{'p95 ms':>10}{'target':>10}{'p95/target':>12}")
    rows = [("form open → first keystroke", result["form_open"], TARGETS_MS["form_open"]),
            ("history per keystroke", result["history_per_keystroke"], TARGETS_MS["history_per_keystroke"])]
    rows += [(f"search: {kind}", values, TARGETS_MS["search"]) for kind, values in result["search"].items()]
    for title, values, target in rows:
        print(f"{title:<34}{values['p50_ms']:>10.1f}{values['p95_ms']:>10.1f}{target:>10.0f}"
              f"{values['p95_ms'] / target:>11.2f}×")
    print("BENCH " + json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
