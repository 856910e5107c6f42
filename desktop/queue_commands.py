"""Window types of the hall queue from the command line, shared by ``python -m desktop`` and ``python -m server``.

``window-types`` lists them; ``window-type CODE [--name …] [--prefix …] [--windows 1,2] [--priority yes|no]
[--active yes|no]`` adds or changes one. They are edited where the queue's authority is: on the hall
(or central) server, or on a PC without a server (its own database is the queue).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.config import Settings

if TYPE_CHECKING:
    from desktop.services.context import Hall

NAMES = ("window-types", "window-type")


def add_arguments(sub: argparse._SubParsersAction[argparse.ArgumentParser], db_help: str,
                  db_default: str | None = None) -> None:
    listing = sub.add_parser("window-types", help="列出排队叫号的窗口类型（名称、号码前缀、窗口、优先、是否启用）")
    listing.add_argument("--db", default=db_default, help=db_help)
    kind = sub.add_parser("window-type", help="新增或修改一个排队窗口类型（改动推送到各窗口、取号机和叫号屏）")
    kind.add_argument("--db", default=db_default, help=db_help)
    kind.add_argument("code", help="类型编码（英文，如 general；已有的编码即修改它）")
    kind.add_argument("--name", help="名称，如 综合接待")
    kind.add_argument("--prefix", help="号码前缀（1–2个英文字母，如 A）")
    kind.add_argument("--windows", help="办理该类型的窗口号，如 1,2,3（空：所有窗口）")
    kind.add_argument("--priority", choices=("yes", "no"), help="老年人、残疾人、紧急事项可优先叫号")
    kind.add_argument("--active", choices=("yes", "no"), help="是否启用（停用后不能再取这一类号）")


def run(args: argparse.Namespace, hall: Hall) -> int:
    """List the window types, after adding or changing one for ``window-type``."""
    from desktop.domain.access import Actor
    from desktop.domain.errors import RuleViolation
    from desktop.domain.queue import WindowType
    from desktop.services import queue

    if args.command == "window-type":
        known = {t.code: t for t in queue.all_window_types(hall)}
        base = known.get(args.code) or WindowType(args.code, "", "", ())
        try:
            windows = tuple(int(w) for w in args.windows.replace("，", ",").split(",") if w.strip()) \
                if args.windows is not None else base.windows
        except ValueError:
            print("窗口号须为数字，用逗号分隔，如 1,2,3", file=sys.stderr)
            return 1
        wanted = WindowType(args.code, args.name if args.name is not None else base.name,
                            args.prefix if args.prefix is not None else base.prefix, windows,
                            base.priority_allowed if args.priority is None else args.priority == "yes",
                            base.active if args.active is None else args.active == "yes")
        try:
            queue.save_window_type(hall, Actor.system("window-type"), wanted)
        except RuleViolation as refusal:
            print(refusal.message, file=sys.stderr)
            return 1
    for t in queue.all_window_types(hall):
        serving = "、".join(str(w) for w in t.windows) or "所有窗口"
        print(f"{t.code}\t{t.prefix}\t{t.name}\t窗口 {serving}\t{'可优先' if t.priority_allowed else '不设优先'}\t"
              f"{'启用' if t.active else '停用'}")
    return 0


def on_desktop(args: argparse.Namespace, settings: Settings) -> int:
    """The same on this PC's database — only where it is the queue (no server set)."""
    from desktop.installation import open_hall

    if args.command == "window-type" and settings.server_url.strip():
        print(f"本机连接了服务器 {settings.server_url}：排队窗口类型以服务器上的为准，请在服务器上修改"
              "（python -m server window-type …）", file=sys.stderr)
        return 1
    hall = open_hall(settings, Path(args.db) if args.db else settings.database_path, create=False)
    try:
        return run(args, hall)
    finally:
        hall.engine.dispose()
