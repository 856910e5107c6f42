"""What CUPS knows about a queue that Qt does not tell: accepting jobs, paused, and why.

Qt reports only idle / printing / error for a queue. CUPS keeps the printer's
state reasons (``media-empty-error``, ``offline-report``, ``cover-open``…), which
``lpstat`` prints; reading them before a job is submitted lets the clerk hear
“打印机缺纸” instead of finding the job stuck in the queue later. Always run in
the C locale: ``lpstat`` translates its output.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass

from desktop.printing.base import PrinterError, Problem

LPSTAT_TIMEOUT_S = 5.0


@dataclass(frozen=True)
class QueueStatus:
    name: str
    exists: bool
    enabled: bool = True
    accepting: bool = True
    reasons: tuple[str, ...] = ()


def available() -> bool:
    return not sys.platform.startswith("win") and shutil.which("lpstat") is not None


def _lpstat(*args: str) -> subprocess.CompletedProcess[str] | None:
    lpstat = shutil.which("lpstat")
    if lpstat is None:
        return None
    env = {**os.environ, "LC_ALL": "C", "LANG": "C"}
    try:
        return subprocess.run([lpstat, *args], capture_output=True, text=True, env=env,
                              timeout=LPSTAT_TIMEOUT_S, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None


def queue_status(name: str) -> QueueStatus | None:
    """The queue's state from the CUPS server, or ``None`` when it cannot be asked."""
    printers = _lpstat("-l", "-p", name)
    accepting = _lpstat("-a", name)
    if printers is None or accepting is None:
        return None
    return parse_status(name, printers.stdout, accepting.stdout, printers.returncode == 0)


def parse_status(name: str, printers_out: str, accepting_out: str, found: bool = True) -> QueueStatus:
    """Parse ``lpstat -l -p NAME`` and ``lpstat -a NAME`` (C locale)."""
    head = f"printer {name} "
    lines = printers_out.splitlines()
    first = next((line for line in lines if line.startswith(head)), None)
    if not found or first is None:
        return QueueStatus(name, exists=False)
    reasons: tuple[str, ...] = ()
    for line in lines:
        key, _colon, value = line.strip().partition(":")
        if key == "Alerts":
            reasons = tuple(r for r in value.split() if r != "none")
            break
    accepts = not any(line.startswith(f"{name} not accepting") for line in accepting_out.splitlines())
    return QueueStatus(name, exists=True, enabled=" disabled " not in first, accepting=accepts, reasons=reasons)


# Reasons (RFC 8011 printer-state-reasons, without -error/-report suffix) that stop a print.
_BLOCKING: dict[str, tuple[str, str]] = {
    "media-empty": (Problem.OUT_OF_PAPER, "缺纸，请装纸后重试"),
    "media-needed": (Problem.OUT_OF_PAPER, "缺纸，请装纸后重试"),
    "media-jam": (Problem.PAPER_JAM, "卡纸，请取出卡住的纸张"),
    "cover-open": (Problem.COVER_OPEN, "机盖未合上"),
    "door-open": (Problem.COVER_OPEN, "机门未关好"),
    "offline": (Problem.OFFLINE, "未连接或未开机，请检查电源和连线"),
    "shutdown": (Problem.OFFLINE, "已关机"),
    "toner-empty": (Problem.FAILED, "墨粉已用完"),
    "marker-supply-empty": (Problem.FAILED, "墨粉或色带已用完"),
}


def problem(status: QueueStatus, label: str) -> PrinterError | None:
    """Why a job sent to this queue would not print now; ``label`` names the printer."""
    if not status.exists:
        return PrinterError(Problem.MISSING, f"找不到{label}")
    for reason in status.reasons:
        base = reason
        for suffix in ("-error", "-report", "-warning"):
            if reason.endswith(suffix):
                base = reason.removesuffix(suffix)
                if suffix == "-warning":
                    base = ""  # e.g. media-low-warning: prints, just warns
                break
        if base in _BLOCKING:
            code, words = _BLOCKING[base]
            return PrinterError(code, f"{label}{words}")
    if not status.accepting:
        return PrinterError(Problem.REFUSED, f"{label}的打印队列拒绝接收任务，请由管理员在打印设置中恢复")
    if not status.enabled or "paused" in status.reasons:
        return PrinterError(Problem.PAUSED, f"{label}的打印队列已暂停，请由管理员在打印设置中恢复")
    return None


def queues() -> tuple[list[str], str]:
    """All queue names and the default one (empty when none), from ``lpstat``."""
    names: list[str] = []
    default = ""
    listing = _lpstat("-p")
    if listing is not None:
        names = [line.split()[1] for line in listing.stdout.splitlines()
                 if line.startswith("printer ") and len(line.split()) > 1]
    chosen = _lpstat("-d")
    if chosen is not None:
        _head, colon, value = chosen.stdout.strip().partition(":")
        if colon and chosen.stdout.startswith("system default destination"):
            default = value.strip()
    return names, default
