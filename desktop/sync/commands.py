"""Sync on the command line: ``sync``, ``sync-token``, ``enrol``, ``sync-status``.

``desktop/cli.py`` registers them with ``add_commands(sub)`` and runs
``COMMANDS[args.command](args, settings)`` for these names.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from desktop.config import Settings


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    sync = sub.add_parser("sync", help="与同步服务器同步一次：推送本机新记录，拉取其他设备的记录")
    sync.add_argument("--server", help="同步服务器地址，如 https://xf.example.gov.cn（默认使用设置 server_url）")
    sync.add_argument("--db", help="数据库文件路径")
    token = sub.add_parser("sync-token", help="保存服务器登记本机时显示的同步令牌（从标准输入读取一行）")
    token.add_argument("--db", help="数据库文件路径")
    enrol = sub.add_parser("enrol", help="用管理员签发的一次性注册码在服务器注册本机（从标准输入读取注册码）")
    enrol.add_argument("--server", help="同步服务器地址（默认使用设置 server_url）")
    enrol.add_argument("--db", help="数据库文件路径")
    status = sub.add_parser("sync-status", help="显示同步状态：待上传记录数、上次成功时间、上次错误")
    status.add_argument("--db", help="数据库文件路径")


def _db_path(args: argparse.Namespace, settings: Settings) -> Path:
    return Path(args.db) if args.db else settings.database_path


def sync_command(args: argparse.Namespace, settings: Settings) -> int:
    from desktop.installation import open_hall
    from desktop.sync.client import sync_with_server
    from desktop.sync.credentials import load_token
    from server.protocol import SyncProblem

    url = args.server or settings.server_url
    if not url:
        print("未设置同步服务器：请用 --server 指定，或在设置中填写 server_url", file=sys.stderr)
        return 2
    path = _db_path(args, settings)
    hall = open_hall(settings, path, create=False)  # a wrong path or a damaged file is told first
    token = load_token(settings, path)
    if not token:
        hall.engine.dispose()
        print("设备未注册：本机还没有同步令牌。请管理员在服务器上运行 enrol-device 登记本机"
              f"（设备编号 {settings.device_id}），再用 sync-token 命令保存令牌", file=sys.stderr)
        return 2
    try:
        report = sync_with_server(hall, url, token)
    except SyncProblem as problem:
        print(f"同步未完成：{problem.message}", file=sys.stderr)
        return 1
    finally:
        hall.engine.dispose()
    materials = f"；上传材料 {report.materials_pushed:,} 份" if report.materials_pushed else ""
    print(f"同步完成：上传 {report.pushed:,} 条，新收到 {report.pulled:,} 条，服务器序号 {report.cursor:,}，"
          f"待上传 {report.pending:,} 条{materials}")
    if report.clock_warning:
        print(f"注意：{report.clock_warning}", file=sys.stderr)
    return 0


def sync_token_command(args: argparse.Namespace, settings: Settings) -> int:
    from desktop.installation import check_database_file, same_file
    from desktop.sync.credentials import save_token

    path = _db_path(args, settings)
    # the installation's own database may come later (first start); another path must exist
    check_database_file(path, create=same_file(path, settings.database_path), write=False)
    line = sys.stdin.readline()
    try:
        where = save_token(settings, path, line)
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 2
    print(f"同步令牌已保存在{where}")
    return 0


def enrol_command(args: argparse.Namespace, settings: Settings) -> int:
    from desktop.sync.enrolment import enrol_with_code
    from server.protocol import SyncProblem

    url = args.server or settings.server_url
    if not url:
        print("未设置同步服务器：请用 --server 指定，或在设置中填写 server_url", file=sys.stderr)
        return 2
    code = sys.stdin.readline().strip()
    try:
        answer, where = enrol_with_code(settings, _db_path(args, settings), url, code)
    except (SyncProblem, ValueError) as exc:
        print(f"注册未完成：{getattr(exc, 'message', exc)}", file=sys.stderr)
        return 1
    print(f"本机（{answer.device_id}）已注册为 {answer.role}"
          f"{'，单位 ' + answer.org_code if answer.org_code else ''}；同步令牌已保存在{where}")
    return 0


def sync_status_command(args: argparse.Namespace, settings: Settings) -> int:
    from desktop.installation import open_hall
    from desktop.sync.client import sync_status

    hall = open_hall(settings, _db_path(args, settings), create=False)
    try:
        status = sync_status(hall)
    finally:
        hall.engine.dispose()
    from desktop.domain.calendar import stamp_in_words

    print(f"待上传 {status.pending:,} 条；已拉取到服务器序号 {status.cursor:,}；"
          f"上次成功 {stamp_in_words(status.last_success_at) or '从未'}；"
          f"上次尝试 {stamp_in_words(status.last_attempt_at) or '从未'}")
    if status.last_error:
        print(f"上次错误：{status.last_error}")
    return 0


COMMANDS: dict[str, Callable[[argparse.Namespace, Settings], int]] = {
    "sync": sync_command, "sync-token": sync_token_command, "sync-status": sync_status_command,
    "enrol": enrol_command}
