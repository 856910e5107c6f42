"""Start-up to an interactive first screen, per role, against a bare PySide6 window.

Each run is a fresh process (same interpreter, same environment, ``QT_QPA_PLATFORM=offscreen``)
started with ``python -m bench.startup --probe ROLE``. The probe runs the application's own command
line, ``desktop.cli.main(["run", "--role", ROLE, …])`` (arguments → settings → Qt → theme → the
role's window → the encrypted database after the first frame, exactly as ``python -m desktop run``
does) or, for ``bare``, a ``QMainWindow`` with a ``QLabel``. An event filter on the main window
(installed as the program builds it) notes its first paint and the moment the event loop is idle
after it (the window can take input).
The application opens its database on a background thread meanwhile (ui/startup.py); the probe
also notes when that is done (``hall_ready``: searches and sign-ins answer from then on), then prints and quits.

The time reported is from just before the parent spawns the process to that moment
(``time.monotonic`` is the system-wide monotonic clock, the same in both processes): it
includes the interpreter, imports, opening the database and the first frame. The probe also
reports the part from ``QApplication`` creation to the same moment and its peak RSS (``VmHWM``).

    .venv/bin/python -m bench.startup --probe counter --db PATH   # one run (prints BENCH {...})
"""

from __future__ import annotations

import time

_T0 = time.monotonic()  # first thing, before any import that costs time

import gc  # noqa: E402
import sys  # noqa: E402

if "--probe" in sys.argv and "bare" not in sys.argv:
    gc.disable()  # as the program's entry does when a window starts (desktop/__main__.py)

import argparse  # noqa: E402
import json  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

ROLES = ("kiosk", "counter", "leader", "display", "admin")
BARE = "bare"


# --- the probe (runs in the child process) -------------------------------------------------------

def _probe(role: str, db: str | None) -> int:
    if role != BARE:
        # The program's command line and its settings come before Qt, as in `petition-hall run`
        # (desktop/__main__.py → desktop.cli → load_settings → run_app). Imported after PySide6, every
        # module would also pay PySide's own check of its source, which the program never pays.
        import desktop.app  # as `petition-hall run` imports it (desktop.cli), before Qt
        import ui  # noqa: F401  (Qt as the program first loads it: with PySide's source scan replaced)
        from desktop.cli import main as program
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

    marks: dict[str, float] = {"process": _T0}
    marks["qt_imported"] = time.monotonic()
    if role == BARE:
        app = QApplication(sys.argv)
        marks["qapp"] = time.monotonic()
    else:
        # The program makes its own QApplication, after what it does before (run_app: the kiosk's keyboard asked
        # of Qt, its libraries loading beside the screens' imports): the moment it exists is noted as it is made.
        class NotedApplication(QApplication):
            def __init__(self, argv: list[str]) -> None:
                super().__init__(argv)
                marks["qapp"] = time.monotonic()

        import PySide6.QtWidgets

        PySide6.QtWidgets.QApplication = NotedApplication  # type: ignore[misc,assignment]

    class FirstFrame(QObject):
        """Quits once the main window has painted and the event loop is idle again.

        It watches the main window alone, from the moment the window exists. An application-wide
        filter would pass every event of starting the program through Python, each with the object it
        is for; an object of a class Python has not met yet makes PySide create every enumeration of that
        class on the spot (the style sheet's own style: ten enumerations, some 560 members, about 3 ms).
        The program itself installs no application-wide filter before its first frame for that reason
        (ui/kiosk/shell.py), so the probe's would charge its own cost to the window.
        """

        def __init__(self) -> None:
            super().__init__()
            self.seen = False

        def watch(self, window: QMainWindow) -> None:
            window.installEventFilter(self)

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if not self.seen and event.type() == QEvent.Type.Paint:
                self.seen = True
                marks["painted"] = time.monotonic()
                QTimer.singleShot(0, self.interactive)
            return False

        def interactive(self) -> None:
            marks["interactive"] = time.monotonic()
            source = next((getattr(w, "source", None) for w in QApplication.topLevelWidgets()
                           if getattr(w, "source", None) is not None), None)
            if source is None:  # the bare window has no database
                QApplication.quit()
                return
            marks["hall_open_at_interactive"] = float(source.hall is not None)
            # While the database opens, how long can input wait? A 2 ms timer notes every gap.
            self.ticks = [time.monotonic()]
            self.ticker = QTimer()
            self.ticker.setInterval(2)
            self.ticker.timeout.connect(lambda: self.ticks.append(time.monotonic()))
            self.ticker.start()
            source.when_ready(self.hall_ready)
            source.failed.connect(lambda _message: QApplication.quit())

        def hall_ready(self, _hall: object) -> None:
            marks["hall_ready"] = time.monotonic()
            self.ticker.stop()
            self.ticks.append(marks["hall_ready"])
            marks["max_stall_s"] = max(b - a for a, b in zip(self.ticks, self.ticks[1:], strict=False))
            QApplication.quit()

    watcher = FirstFrame()
    title = ""
    if role == BARE:
        window = QMainWindow()
        watcher.watch(window)
        window.setWindowTitle("bare")
        window.setCentralWidget(QLabel("bare PySide6 window"))
        window.resize(1600, 900)
        window.show()
        code = app.exec()
        window.close()
    else:
        assert db is not None
        build_window = desktop.app.build_window

        def watched_window(*args: Any, **kwargs: Any) -> Any:
            """The program's own main window, watched from the moment it is built (before it is shown)."""
            window = build_window(*args, **kwargs)
            watcher.watch(window)
            return window

        desktop.app.build_window = watched_window  # run_app builds its window through this name
        # the program's own command line, as `petition-hall run` starts a window
        code = program(["run", "--role", role, "--db", db])
        title = role
    if "interactive" not in marks:
        print("no frame was painted", file=sys.stderr)
        return 1
    from bench.common import peak_rss_mb

    print("BENCH " + json.dumps({"role": role, "title": title, "code": code, "marks": marks,
                                 "peak_mb": peak_rss_mb()}), flush=True)
    return int(code)


# --- the measurement (runs in the benchmark process) --------------------------------------------

def _one(kind: str, db: Path, env: dict[str, str]) -> dict[str, Any]:
    command = [sys.executable, "-m", "bench.startup", "--probe", kind, "--db", str(db)]
    spawned = time.monotonic()
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300, check=False)
    exited = time.monotonic()
    lines = [line for line in done.stdout.splitlines() if line.startswith("BENCH ")]
    if done.returncode != 0 or not lines:
        raise RuntimeError(f"start-up probe {kind} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(lines[-1][6:])
    marks = result["marks"]
    return {"spawn_to_interactive_ms": (marks["interactive"] - spawned) * 1000,
            "spawn_to_painted_ms": (marks["painted"] - spawned) * 1000,
            "qapp_to_interactive_ms": (marks["interactive"] - marks["qapp"]) * 1000,
            "spawn_to_hall_ready_ms": (marks.get("hall_ready", marks["interactive"]) - spawned) * 1000,
            "max_input_wait_ms": marks.get("max_stall_s", 0.0) * 1000,
            "spawn_to_exit_ms": (exited - spawned) * 1000,
            "peak_mb": result["peak_mb"]}


def smoke_test(role: str, db: Path, env: dict[str, str]) -> dict[str, Any]:
    """``python -m desktop run --role R --smoke-test`` once: what it prints and its wall time."""
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "desktop", "run", "--role", role, "--db", str(db), "--smoke-test"],
                          env=env, capture_output=True, text=True, timeout=300, check=False)
    return {"code": done.returncode, "printed": done.stdout.strip().splitlines()[-1:] or [""],
            "wall_ms": (time.monotonic() - started) * 1000}


def compile_sources() -> None:
    """The program's modules compiled to bytecode (``__pycache__``), as an installed program has them.

    With ``PYTHONDONTWRITEBYTECODE`` set (as on a development machine or CI) every start would
    otherwise compile some 80 of the program's modules from source again (≈ 45 ms of CPU), a cost
    that neither the bare window nor an installed kiosk (pip compiles at install, the bundle is
    frozen) pays.
    """
    import compileall

    root = Path(__file__).resolve().parent.parent
    for package in ("desktop", "ui", "db", "bench"):
        compileall.compile_dir(root / package, quiet=1)


def measure(db: Path, env: dict[str, str], runs: int, roles: tuple[str, ...] = ROLES) -> dict[str, Any]:
    """Medians over ``runs`` rounds; each round starts the bare window and every role once.

    One discarded round first warms the file cache, so that no variant pays for loading
    PySide6 from disk while the others do not; the program's modules are compiled first
    (:func:`compile_sources`).
    """
    compile_sources()
    kinds = (BARE, *roles)
    samples: dict[str, list[dict[str, Any]]] = {kind: [] for kind in kinds}
    for kind in kinds:
        _one(kind, db, env)
    for round_no in range(runs):
        for kind in kinds:
            samples[kind].append(_one(kind, db, env))
        print(f"  start-up round {round_no + 1}/{runs}: " + ", ".join(
            f"{k} {samples[k][-1]['spawn_to_interactive_ms']:.0f}" for k in kinds) + " ms", flush=True)
    out: dict[str, Any] = {}
    for kind, runs_of_kind in samples.items():
        out[kind] = {key: statistics.median(r[key] for r in runs_of_kind) for key in runs_of_kind[0]}
        out[kind]["runs"] = [r["spawn_to_interactive_ms"] for r in runs_of_kind]
    out["smoke_tests"] = {role: smoke_test(role, db, env) for role in roles}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--probe", choices=(BARE, *ROLES), required=True)
    parser.add_argument("--db")
    args = parser.parse_args()
    raise SystemExit(_probe(args.probe, args.db))


if __name__ == "__main__":
    main()
