"""Shared by the benchmarks: the cached demo database, timing, percentiles, the table and the JSON.

The cache is a folder holding ``hall.db`` (an encrypted demo database made by
``python -m desktop demo-data``) and its own config folder ``cfg/`` (``PH_CONFIG_DIR``), so
that the database's key file sits beside it and never in the user's own key store.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
DB_NAME = "hall.db"
CFG_NAME = "cfg"
MARKER = "cache.json"  # written once demo-data has finished: a folder without it is half-built
DEMO_SEED = 20260501


# --- timing ------------------------------------------------------------------------------------

def timed_ms(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def percentile(values: Sequence[float], p: float) -> float:
    """Nearest-rank percentile (``p`` in 0–100) of at least one value."""
    if not values:
        raise ValueError("no values")
    ordered = sorted(values)
    rank = max(1, min(len(ordered), int(-(-len(ordered) * p // 100))))  # ceil(n * p / 100)
    return ordered[rank - 1]


def summary(values: Sequence[float]) -> dict[str, float | int]:
    """p50 / p95 / max / n of a list of milliseconds, for the JSON."""
    return {"n": len(values), "p50_ms": statistics.median(values), "p95_ms": percentile(values, 95),
            "max_ms": max(values), "mean_ms": statistics.fmean(values)}


# --- the cache ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Cache:
    folder: Path
    cases: int  # as counted in the database
    built_seconds: float | None  # None: reused

    @property
    def db(self) -> Path:
        return self.folder / DB_NAME

    @property
    def cfg(self) -> Path:
        return self.folder / CFG_NAME


def default_cache(cases: int) -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "petition-hall" / "bench" / str(cases)


def bench_env(cfg: Path) -> dict[str, str]:
    """Environment of every benchmark process: the cache's config folder and a key file only."""
    env = dict(os.environ)
    env.update({
        "PH_CONFIG_DIR": str(cfg),
        "PH_KEY_STORE": "file",  # the key sits in cfg/keys/, never in the user's key store
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
        "QT_QPA_PLATFORM": "offscreen",
        "PYTHONPATH": os.pathsep.join(filter(None, (str(REPO), env.get("PYTHONPATH")))),
    })
    env.pop("PH_DATABASE", None)
    return env


def activate(cfg: Path) -> None:
    """Point this process at the cache's config folder (before any settings are loaded)."""
    os.environ.update({k: v for k, v in bench_env(cfg).items()
                       if k in ("PH_CONFIG_DIR", "PH_KEY_STORE", "PYTHON_KEYRING_BACKEND", "QT_QPA_PLATFORM")})
    os.environ.pop("PH_DATABASE", None)


def count_cases(db: Path) -> int:
    """Cases in the database (opens it read-only through the installation's key)."""
    from sqlalchemy import func, select

    from db.models import CaseRow
    from desktop.config import load_settings
    from desktop.installation import open_hall

    hall = open_hall(load_settings(), db)
    try:
        with hall.sessions() as session:
            return int(session.scalar(select(func.count()).select_from(CaseRow)) or 0)
    finally:
        hall.engine.dispose()


def prepare_cache(cases: int, folder: Path | None, *, explicit: bool) -> Cache:
    """The cached demo database of ``cases`` cases: reused when it is there, else built.

    A folder given with ``--cache`` that already holds ``hall.db`` and ``cfg/`` is used as it
    is (whatever its number of cases; the table says how many). A folder without the
    finished-marker that this command created itself is rebuilt from scratch.
    """
    folder = (folder or default_cache(cases)).expanduser().resolve()
    db, cfg, marker = folder / DB_NAME, folder / CFG_NAME, folder / MARKER
    activate(cfg)
    if db.exists() and (marker.exists() or (explicit and cfg.is_dir())):
        found = count_cases(db)
        print(f"缓存 Cache: {folder}（已有 {found:,} 件事项，直接使用 reused）", flush=True)
        if found != cases:
            print(f"  注意 note: 要求 {cases:,} 件，缓存中是 {found:,} 件；按缓存中的数据测量", flush=True)
        if not marker.exists():
            marker.write_text(json.dumps({"cases": found, "built_seconds": None, "adopted": True}))
        return Cache(folder, found, None)
    folder.mkdir(parents=True, exist_ok=True)
    print(f"缓存 Cache: {folder} — 生成 {cases:,} 件演示事项 building demo data …", flush=True)
    if cases >= 100_000:
        print(f"  （约 {cases / 1160 / 60:.0f} 分钟、{cases * 6.6 / 1000:,.0f} MB；只需一次 built once）", flush=True)
    marker.unlink(missing_ok=True)
    started = time.perf_counter()
    command = [sys.executable, "-m", "desktop", "demo-data", "--cases", str(cases), "--db", str(db),
               "--seed", str(DEMO_SEED)]
    if db.exists():
        command.append("--replace")
    subprocess.run(command, env=bench_env(cfg), cwd=REPO, check=True)  # progress shows on stderr
    seconds = time.perf_counter() - started
    found = count_cases(db)
    marker.write_text(json.dumps({"cases": found, "built_seconds": seconds, "seed": DEMO_SEED,
                                  "built_at": datetime.now().isoformat(timespec="seconds")}))
    print(f"缓存已生成 built in {seconds:,.1f} s: {db}", flush=True)
    return Cache(folder, found, seconds)


def _side_files(db: Path) -> list[Path]:
    return [db.with_name(db.name + suffix) for suffix in ("-wal", "-shm", "-journal", ".audit-head")]


def copy_database(source: Path, target: Path) -> float:
    """A byte copy of an encrypted database (nothing may have it open) with its key for the new path.

    The key store names each key after the database's absolute path, so the copy's key is
    saved again under the copy's name. Returns the seconds taken.
    """
    from desktop.keystore import KeyFileStore

    needed = sum(p.stat().st_size for p in [source, *_side_files(source)] if p.exists())
    free = shutil.disk_usage(target.parent).free
    if free < needed * 1.1 + 500e6:
        raise RuntimeError(f"{target.parent} 可用空间 {free / 1e9:.1f} GB，复制数据库需要约 {needed / 1e9:.1f} GB")
    remove_database(target)
    started = time.perf_counter()
    for src, dst in [(source, target), *zip(_side_files(source), _side_files(target), strict=True)]:
        if src.exists():
            if sys.platform.startswith("linux"):  # a reflink where the file system can, else a copy
                subprocess.run(["cp", "--reflink=auto", str(src), str(dst)], check=True)
            else:
                shutil.copyfile(src, dst)
    secrets = KeyFileStore.for_database(source).load()
    if secrets is None:
        raise RuntimeError(f"找不到 {source} 的密钥文件（{KeyFileStore.for_database(source).path}）")
    KeyFileStore.for_database(target).save(secrets)
    return time.perf_counter() - started


def remove_database(db: Path) -> None:
    """Delete a copy made by :func:`copy_database`, its side files and its key file."""
    from desktop.keystore import KeyFileStore

    for path in [db, *_side_files(db)]:
        path.unlink(missing_ok=True)
    store = KeyFileStore.for_database(db)
    store.delete()
    store.pending().delete()


# --- memory -----------------------------------------------------------------------------------

def peak_rss_mb() -> float:
    """This process's peak resident size in MB.

    On Linux ``VmHWM`` of /proc/self/status: ``ru_maxrss`` would also count the parent's
    size at the fork that started this process (the kernel keeps it across ``execve``).
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1024 / (1024 if sys.platform == "darwin" else 1)  # bytes on macOS, KiB elsewhere


def rss_parts_mb() -> dict[str, float]:
    """This process's resident size now by kind, in MB: ``anon`` (its own heap and stacks, freed only by the
    program), ``file`` (pages of the libraries and files it maps, which the kernel drops and reads again under
    pressure) and ``shmem`` (shared memory, e.g. the window system's buffers). Empty where /proc is missing."""
    parts: dict[str, float] = {}
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            for kind in ("anon", "file", "shmem"):
                if line.startswith(f"Rss{kind.capitalize()}:"):
                    parts[kind] = int(line.split()[1]) / 1024
    except OSError:
        pass
    return parts


def rss_mb() -> float:
    """This process's resident size now, in MB (0 where /proc is missing)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


# --- running helper processes ----------------------------------------------------------------

def run_json(command: Sequence[str], env: dict[str, str], timeout: float = 1800,
             wrapper: Sequence[str] = ()) -> dict[str, Any]:
    """Run ``python -m …`` (under ``wrapper``, e.g. ``xvfb-run``) and return the JSON object it prints on
    its last ``BENCH `` line."""
    done = subprocess.run([*wrapper, sys.executable, *command], env=env, cwd=REPO, capture_output=True, text=True,
                          timeout=timeout, check=False)
    lines = [line for line in done.stdout.splitlines() if line.startswith("BENCH ")]
    if done.returncode != 0 or not lines:
        raise RuntimeError(f"{' '.join(command)} failed ({done.returncode}):\n{done.stdout[-2000:]}\n"
                           f"{done.stderr[-4000:]}")
    result: dict[str, Any] = json.loads(lines[-1][len("BENCH "):])
    return result


# --- rows, the table, the JSON ----------------------------------------------------------------

@dataclass
class Row:
    """One line of the table: what was measured, against what, the target and whether it is met.

    ``status`` is ``"met"``, ``"missed"`` or ``"not built"`` / ``"not available"`` (nothing to
    measure: shown as not met, never faked).
    """

    section: str
    label: str
    measured: str
    target: str
    status: str
    baseline: str = "—"
    ratio: float | None = None
    note: str = ""
    values: dict[str, Any] = field(default_factory=dict)

    @property
    def met(self) -> bool:
        return self.status == "met"


def verdict(ok: bool) -> str:
    return "met" if ok else "missed"


def format_ratio(ratio: float | None) -> str:
    if ratio is None:
        return "—"
    if ratio >= 0.1:
        return f"{ratio:.2f}×"
    return f"1/{1 / ratio:,.0f}" if ratio > 0 else "0"


def ms(value: float) -> str:
    return f"{value:,.0f} ms" if value >= 100 else f"{value:.1f} ms" if value >= 1 else f"{value:.2f} ms"


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 0 if unicodedata.combining(c) else 1
               for c in text)


def _pad(text: str, width: int, right: bool = False) -> str:
    space = " " * max(0, width - _width(text))
    return space + text if right else text + space


_MARK = {"met": "✓", "missed": "✗", "not built": "✗ 未实现 not built", "not available": "✗ 暂无 not available"}


def render_table(rows: Iterable[Row]) -> str:
    header = ("项目 Benchmark", "实测 Measured", "基准 Baseline", "倍数 Ratio", "目标 Target", "达标 Met")
    body = [(r.label, r.measured, r.baseline, format_ratio(r.ratio), r.target, _MARK.get(r.status, r.status))
            for r in rows]
    widths = [max(_width(line[i]) for line in [header, *body]) for i in range(len(header))]
    right = (False, True, True, True, False, False)

    def line(cells: Sequence[str]) -> str:
        return " │ ".join(_pad(c, w, r) for c, w, r in zip(cells, widths, right, strict=True)).rstrip()

    rule = "─┼─".join("─" * w for w in widths)
    out = [line(header), rule]
    section = None
    rows = list(rows)
    for row, cells in zip(rows, body, strict=True):
        if section is not None and row.section != section:
            out.append(rule)
        section = row.section
        out.append(line(cells))
    notes = [(i, r.note) for i, r in enumerate(rows, 1) if r.note]
    if notes:
        out.append("")
        out.extend(f"* {rows[i - 1].label}: {note}" for i, note in notes)
    return "\n".join(out)


def row_json(row: Row) -> dict[str, Any]:
    data = asdict(row)
    data["met"] = row.met
    return data


def machine_info() -> dict[str, Any]:
    info: dict[str, Any] = {
        "platform": platform.platform(),
        "machine": platform.machine(),
        "cores": os.cpu_count(),
        "python": sys.version.split()[0],
        "implementation": platform.python_implementation(),
    }
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                info["memory_gb"] = round(int(line.split()[1]) / 1024 / 1024, 1)
                break
    except OSError:
        pass
    try:
        from db.engine import cipher_version, sqlcipher_module

        info["sqlcipher"] = cipher_version()
        info["sqlite"] = sqlcipher_module().sqlite_version
    except Exception as exc:  # reported, not fatal
        info["sqlcipher"] = f"unknown ({exc})"
    try:
        import PySide6

        info["pyside6"] = PySide6.__version__
    except ImportError:
        pass
    try:
        info["commit"] = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True,
                                        text=True, check=False).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain"], cwd=REPO, capture_output=True, text=True,
                               check=False).stdout
        info["dirty"] = bool(dirty.strip())
    except OSError:
        pass
    return info


def write_json(path: Path, payload: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
