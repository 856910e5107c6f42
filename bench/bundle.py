"""The installable bundle: its size, its build time, and the frozen kiosk's start-up against a bare
PySide6 window frozen the same way.

    .venv/bin/python -m bench.bundle [--out build/out] [--runs 7] [--build] [--json PATH]

Both are started through ``bench/startup.py``'s probe, frozen exactly as the program is
(``build/build.sh --probe``: the same spec, PyInstaller and Qt pruning, with the probe as its
entry): ``--probe kiosk`` runs the program's own ``run_app`` for the kiosk and ``--probe bare`` a
``QMainWindow`` with a ``QLabel``. Each start is a fresh process, offscreen, on the database the
bundle made at its first start (in the data folder, as a user's). Times run from spawning the
process: to its window painted with the event loop idle again (the home screen can take input;
the headline, against the bare window's same moment) and, for the kiosk, to its encrypted
database open. The kiosk from the checkout (``python -m bench.startup``) is shown beside. The
bundles are built when missing (``--build`` rebuilds and times it). One start of each is
discarded first; medians over ``--runs``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.common import REPO, format_ratio, verdict

TARGET_RATIO = 1.5


def _size_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink()) / 2**20


def _start(command: list[str], env: dict[str, str]) -> dict[str, float]:
    """One start of the probe: milliseconds from spawning it to each of its marks."""
    spawned = time.monotonic()
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300, check=False)
    lines = [line for line in done.stdout.splitlines() if line.startswith("BENCH ")]
    if done.returncode != 0 or not lines:
        raise RuntimeError(f"{' '.join(command)} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    marks = json.loads(lines[-1][len("BENCH "):])["marks"]
    return {"interactive_ms": (marks["interactive"] - spawned) * 1000,
            "painted_ms": (marks["painted"] - spawned) * 1000,
            "hall_ready_ms": (marks.get("hall_ready", marks["interactive"]) - spawned) * 1000}


def measure(out: Path, runs: int) -> dict[str, Any]:
    bundle, probe = out / "dist" / "petition-hall", out / "dist" / "startup-probe" / "startup-probe"
    scratch = Path(tempfile.mkdtemp(prefix="ph-bench-bundle-"))
    env = {"HOME": str(scratch), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "QT_QPA_PLATFORM": "offscreen",
           "PH_CONFIG_DIR": str(scratch / "cfg"), "PH_DATA_DIR": str(scratch / "data"), "PH_KEY_STORE": "file"}
    first = subprocess.run([str(bundle / "petition-hall"), "run", "--role", "kiosk", "--smoke-test"], env=env,
                           capture_output=True, text=True, timeout=300, check=False)
    if first.returncode != 0:
        raise RuntimeError(f"the bundle's first start failed: {first.stderr[-3000:]}")
    db = str(scratch / "data" / "hall.db")
    kinds = {
        "bare window (frozen)": ([str(probe), "--probe", "bare", "--db", db], env),
        "kiosk (frozen)": ([str(probe), "--probe", "kiosk", "--db", db], env),
        "kiosk (checkout)": ([sys.executable, "-m", "bench.startup", "--probe", "kiosk", "--db", db],
                             dict(env, PYTHONPATH=str(REPO))),
    }
    samples: dict[str, list[dict[str, float]]] = {kind: [] for kind in kinds}
    for command, kind_env in kinds.values():  # warm-up
        _start(command, kind_env)
    for _ in range(runs):
        for kind, (command, kind_env) in kinds.items():
            samples[kind].append(_start(command, kind_env))
    medians = {kind: {key: statistics.median(s[key] for s in values) for key in values[0]}
               for kind, values in samples.items()}
    bare, kiosk = medians["bare window (frozen)"], medians["kiosk (frozen)"]
    ratio = kiosk["interactive_ms"] / bare["interactive_ms"]
    debs = sorted(out.glob("petition-hall_*_amd64.deb"))
    return {"bundle_mb": _size_mb(bundle), "deb_mb": debs[-1].stat().st_size / 2**20 if debs else None,
            "startup_ms": medians, "runs": samples, "ratio": ratio,
            "ratio_usable": kiosk["hall_ready_ms"] / bare["interactive_ms"], "target_ratio": TARGET_RATIO,
            "met": ratio <= TARGET_RATIO}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=str(REPO / "build" / "out"), help="build/build.sh's output folder")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--build", action="store_true", help="build the bundles first (timed)")
    parser.add_argument("--json", help="write the results here too")
    args = parser.parse_args()
    out = Path(args.out)
    built_s = None
    if args.build or not (out / "dist" / "petition-hall").is_dir() or not (out / "dist" / "startup-probe").is_dir():
        started = time.monotonic()
        subprocess.run([str(REPO / "build" / "build.sh"), "--probe", "--out", str(out)], check=True,
                       env=dict(os.environ, PYTHON=sys.executable))
        built_s = time.monotonic() - started
    result = measure(out, args.runs)
    result["build_s"] = built_s
    print(f"bundle: {result['bundle_mb']:.0f} MB" + (f"; .deb {result['deb_mb']:.0f} MB" if result["deb_mb"] else ""))
    if built_s is not None:
        print(f"build (program and probe): {built_s:.0f} s")
    for kind, marks in result["startup_ms"].items():
        usable = f", database open {marks['hall_ready_ms']:.0f} ms" if "kiosk" in kind else ""
        print(f"{kind}: window shown and idle {marks['interactive_ms']:.0f} ms{usable} (median of {args.runs})")
    print(f"frozen kiosk home screen / frozen bare window: {format_ratio(result['ratio'])} "
          f"(target ≤ {TARGET_RATIO}×) {verdict(result['met'])}; "
          f"with its database open: {format_ratio(result['ratio_usable'])}")
    if args.json:
        Path(args.json).write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
