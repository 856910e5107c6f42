"""Command line of the server: ``python -m server {run,enrol-device,issue-code,…,share-settings,audit-copies}``.

    python -m server run --db postgresql+psycopg://user@host/db [--host 0.0.0.0] [--port 8080]
                         [--tls-cert PEM --tls-key PEM] [--upstream URL]   (a hall server: --db sqlite:///hall.db)
    python -m server enrol-device --db URL --device-id ID --role counter|kiosk|display|leader|hall [--org CODE]
                                  [--hall CODE] [--device-code K01]

The database is migrated to the newest schema on start (the same migrations as the desktop).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from functools import partial

from sqlalchemy import Engine

from desktop.services.context import Hall
from server.store import DEVICE_ROLES


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m server", description="信访接待大厅系统 同步服务器")
    sub = parser.add_subparsers(dest="command", required=True)
    db_help = "服务器数据库地址，如 postgresql+psycopg://user@host/db（默认取环境变量 PH_SERVER_DB）"

    run = sub.add_parser("run", help="启动同步服务（HTTP）")
    run.add_argument("--db", default=os.environ.get("PH_SERVER_DB"), help=db_help)
    run.add_argument("--host", default=os.environ.get("PH_SERVER_HOST", "127.0.0.1"),
                     help="监听地址（默认 127.0.0.1；生产环境请置于 TLS 反向代理之后，或用 --tls-cert/--tls-key）")
    run.add_argument("--port", type=int, default=int(os.environ.get("PH_SERVER_PORT", "8080") or 8080),
                     help="监听端口（默认 8080）")
    run.add_argument("--upstream", default=os.environ.get("PH_UPSTREAM_URL", ""),
                     help="上级（中心）服务器地址：本机作为大厅服务器时，与它同步（令牌取环境变量 PH_UPSTREAM_TOKEN）")
    run.add_argument("--tls-cert", default=os.environ.get("PH_TLS_CERT", ""), help="TLS 证书文件（PEM，含证书链）")
    run.add_argument("--tls-key", default=os.environ.get("PH_TLS_KEY", ""), help="TLS 私钥文件（PEM）")

    enrol = sub.add_parser("enrol-device", help="登记一台设备并显示它的同步令牌（只显示这一次）")
    enrol.add_argument("--db", default=os.environ.get("PH_SERVER_DB"), help=db_help)
    enrol.add_argument("--device-id", required=True, help="设备编号（该电脑设置中的 device_id）")
    enrol.add_argument("--role", required=True, choices=DEVICE_ROLES,
                       help="counter 窗口 / kiosk 自助终端 / display 大厅屏 / leader 领导接访 / hall 大厅服务器")
    enrol.add_argument("--org", default="", help="设备所属机构在机构目录中的编码（信访部门本身可不填）")
    enrol.add_argument("--hall", default="", help="设备所在大厅的编码（限定哪些大厅的账户可在该设备上工作）")
    enrol.add_argument("--device-code", default="", help="自助终端的本机编码（该电脑设置中的 device_code，如 K01）")
    issue = sub.add_parser("issue-code", help="签发一次性设备注册码（设备用 `python -m desktop enrol` 兑换令牌）")
    issue.add_argument("--db", default=os.environ.get("PH_SERVER_DB"), help=db_help)
    issue.add_argument("--role", required=True, choices=DEVICE_ROLES, help="设备角色")
    issue.add_argument("--org", default="", help="设备所属机构编码")
    issue.add_argument("--hall", default="", help="设备所在大厅编码")
    issue.add_argument("--hours", type=int, default=24, help="有效小时数（默认 24）")
    listing = sub.add_parser("list-devices", help="列出已注册的设备：角色、单位、最后联系时间、是否停用")
    listing.add_argument("--db", default=os.environ.get("PH_SERVER_DB"), help=db_help)
    revoke = sub.add_parser("revoke-device", help="停用一台设备：它的令牌从下一次请求起失效")
    revoke.add_argument("--db", default=os.environ.get("PH_SERVER_DB"), help=db_help)
    revoke.add_argument("--device-id", required=True, help="设备编号")
    rotate = sub.add_parser("rotate-field-key",
                            help="更换个人信息字段加密密钥，并把已有密文和材料文件重新加密（旧密钥保留以供读取）")
    rotate.add_argument("--db", default=os.environ.get("PH_SERVER_DB"), help=db_help)
    directory = sub.add_parser("import-directory",
                               help="导入机构目录（CSV/.xlsx，列同 organisations.csv），随同步下发到每台设备")
    directory.add_argument("--db", default=os.environ.get("PH_SERVER_DB"), help=db_help)
    directory.add_argument("file", help="机构目录文件")
    share = sub.add_parser("share-settings",
                           help="统一下发设置（如 hall_name=… day_counting=working），随同步写入各设备的设置文件")
    share.add_argument("--db", default=os.environ.get("PH_SERVER_DB"), help=db_help)
    share.add_argument("--hall", default="", help="只下发给该大厅的设备（默认：所有设备）")
    share.add_argument("values", nargs="+", metavar="名称=值", help="设置项及其值")
    pin = sub.add_parser("set-kiosk-pin",
                         help="设置各自助终端的管理员退出密码（输入两次，6–12位数字；只保存、下发其散列）")
    pin.add_argument("--db", default=os.environ.get("PH_SERVER_DB"), help=db_help)
    pin.add_argument("--hall", default="", help="只用于该大厅的自助终端（默认：所有大厅）")
    copies = sub.add_parser("audit-copies",
                            help="列出服务器保存的各设备审计副本（含大厅服务器转来的大厅设备）：设备、大厅、条数、最新时间")
    copies.add_argument("--db", default=os.environ.get("PH_SERVER_DB"), help=db_help)
    from desktop import queue_commands

    queue_commands.add_arguments(sub, db_help, os.environ.get("PH_SERVER_DB"))
    return parser


def tls_problem(cert: str, key: str) -> str:
    """Why the TLS settings cannot be used ("" when they can, or when there are none)."""
    if bool(cert) != bool(key):
        return "TLS 证书（--tls-cert）和私钥（--tls-key）须同时指定"
    for path, what in ((cert, "证书（--tls-cert）"), (key, "私钥（--tls-key）")):
        if path and not os.path.isfile(path):
            return f"找不到 TLS {what}文件：{path}"
    return ""


def _devices_command(args: argparse.Namespace, hall: Hall) -> int:
    from desktop.domain.access import Actor
    from desktop.domain.calendar import stamp_in_words
    from server import enrolment

    operator = Actor.system("server-cli")
    try:
        if args.command == "issue-code":
            issued = enrolment.issue_code(hall, operator, args.role, hall_code=args.hall, org_code=args.org,
                                          valid_hours=args.hours)
            print(f"注册码（{issued.role}，有效至 {stamp_in_words(issued.expires_at)}，只能使用一次）：",
                  file=sys.stderr)
            print(issued.code)
        elif args.command == "revoke-device":
            done = enrolment.revoke_device(hall, operator, args.device_id)
            print(f"设备 {done.device_id} 已停用（{stamp_in_words(done.revoked_at)}）")
        else:
            from desktop.services.peripherals import device_state_words

            today = hall.today()
            for d in enrolment.list_devices(hall, operator):
                state = f"已停用（{stamp_in_words(d.revoked_at)}）" if d.revoked_at else "在用"
                seen = stamp_in_words(d.last_seen_at) if d.last_seen_at else "从未"
                print(f"{d.device_id}\t{d.role}\t{d.org_code or '-'}\t{d.hall_code or '-'}\t最后联系 {seen}\t{state}\t"
                      f"外设 {device_state_words(d.role, bool(d.revoked_at), d.peripherals, today)}")
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 2
    return 0


def _reference_command(args: argparse.Namespace, hall: Hall) -> int:
    from pathlib import Path

    from desktop.config import SettingsError
    from desktop.domain.access import Actor
    from desktop.domain.errors import ValidationError
    from desktop.services.reference_feed import import_directory, share_settings

    operator = Actor.system("server-cli")
    try:
        if args.command == "import-directory":
            count = import_directory(hall, operator, Path(args.file))
            print(f"已导入机构目录：{count} 个机构，各设备下次同步时更新")
            return 0
        pairs = [value.partition("=") for value in args.values]
        bad = [name for name, sep, _ in pairs if not sep or not name]
        if bad:
            print(f"设置须写成“名称=值”：{'、'.join(bad)}", file=sys.stderr)
            return 2
        shared = share_settings(hall, operator, {name: value for name, _, value in pairs}, args.hall)
        print(f"已下发设置（{'大厅 ' + args.hall if args.hall else '所有设备'}）：" +
              "，".join(f"{k}={v}" for k, v in sorted(shared.items())))
        return 0
    except (ValidationError, SettingsError) as exc:
        print(getattr(exc, "message", str(exc)), file=sys.stderr)
        return 2


def _audit_copies_command(hall: Hall) -> int:
    """Each device's audit copy in words: the device, its hall (or the hall server it came through), how far."""
    from desktop.domain.access import Actor
    from server.audit_copy import audit_copies

    found = audit_copies(hall, Actor.system("server-cli"))
    if not found:
        print("服务器尚未收到任何设备的审计记录")
    for c in found:
        print(f"{c.device}\t{c.hall or '-'}\t第{c.first_seq}–{c.last_seq}条（共{c.entries}条）\t"
              f"最新一条 {c.last_at}\t收到于 {c.received_at}")
    return 0


def _kiosk_pin_command(args: argparse.Namespace, hall: Hall, read: Callable[[str], str] | None = None) -> int:
    """The kiosks' exit PIN, asked twice, kept and shared as its Argon2id hash (as the desk's 自助终端密码 tab)."""
    import getpass

    from desktop.domain.access import Actor
    from desktop.domain.errors import ValidationError
    from desktop.services.kiosk_pin import share_pin

    ask = read or getpass.getpass
    pin = ask("新的自助终端管理员退出密码（6–12位数字）：")
    again = ask("再输入一次：")
    try:
        done = share_pin(hall, Actor.system("server-cli"), pin, again, args.hall)
    except ValidationError as exc:
        print(exc.message + "，没有修改", file=sys.stderr)
        return 2
    where = f"大厅 {done.hall_code} " if done.hall_code else "所有大厅"
    print(f"已设置{where}的自助终端退出密码：各终端下次同步时生效")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if not args.db:
        print("缺少服务器数据库地址：请用 --db 指定，或设置环境变量 PH_SERVER_DB", file=sys.stderr)
        return 2
    if args.command == "run":
        problem = tls_problem(args.tls_cert, args.tls_key)
        if problem:
            print(problem, file=sys.stderr)
            return 2
    from sqlalchemy.exc import OperationalError

    from desktop.services.database import open_database
    from server.hall import server_hall

    try:
        engine = open_database(args.db)
    except OperationalError as exc:
        print(f"无法连接服务器数据库：{exc.orig}", file=sys.stderr)
        return 2
    from desktop.config import SettingsError
    from server.hall import ServerSetupError

    try:
        return _command(args, engine, server_hall(engine))
    except (ServerSetupError, SettingsError) as exc:
        print(exc, file=sys.stderr)
        return 2
    finally:
        engine.dispose()


def _command(args: argparse.Namespace, engine: Engine, hall: Hall) -> int:
    """Runs ``args.command`` on the server's hall (the caller disposes of ``engine``)."""
    if args.command == "rotate-field-key":
        from server.hall import add_field_key, load_field_keys
        from server.personal import reencrypt

        key_id = add_field_key(hall)
        done = reencrypt(hall.sessions, load_field_keys(hall))
        print(f"已启用新的字段加密密钥 {key_id}，{done.tokens} 项密文、{done.files} 份材料已重新加密")
        return 0
    if args.command in ("import-directory", "share-settings"):
        return _reference_command(args, hall)
    if args.command == "set-kiosk-pin":
        return _kiosk_pin_command(args, hall)
    if args.command == "audit-copies":
        return _audit_copies_command(hall)
    if args.command in ("issue-code", "list-devices", "revoke-device"):
        return _devices_command(args, hall)
    if args.command in ("window-types", "window-type"):
        from desktop import queue_commands

        return queue_commands.run(args, hall)
    if args.command == "enrol-device":
        from server.store import enrol_device

        try:
            token = enrol_device(hall, args.device_id, args.role, args.org, hall_code=args.hall,
                                 device_code=args.device_code)
        except ValueError as exc:
            print(exc, file=sys.stderr)
            return 2
        print(f"已登记设备 {args.device_id}（{args.role}{'，机构 ' + args.org if args.org else ''}）。同步令牌如下，"
              "只显示这一次，请在该设备上运行 `python -m desktop sync-token` 保存它：", file=sys.stderr)
        print(token)
        return 0
    import threading

    import uvicorn

    from server import materials
    from server.app import create_app
    from server.hall import load_field_keys, watch_field_keys
    from server.store import SyncServer

    keys = load_field_keys(hall) if engine.dialect.name == "postgresql" else None  # central server only
    if keys is not None:  # what an interrupted rotation left under an older key, then rotations made beside it
        threading.Thread(target=watch_field_keys, args=(hall, keys), name="field-keys", daemon=True).start()

    from_centre: Callable[[], materials.Upstream] | None = None
    if args.upstream:
        token = os.environ.get("PH_UPSTREAM_TOKEN", "").strip()
        if not token:
            print("缺少上级服务器的令牌：请在上级服务器签发 hall 角色的注册码并兑换，"
                  "把令牌放入环境变量 PH_UPSTREAM_TOKEN", file=sys.stderr)
            return 2
        from desktop.sync.transport import HttpTransport
        from server.upstream import Upstream

        Upstream(hall, args.upstream, token).start()
        from_centre = partial(HttpTransport, args.upstream, token, timeout=60.0)  # a material lacking here

    tls = {"ssl_certfile": args.tls_cert, "ssl_keyfile": args.tls_key} if args.tls_cert else {}
    app = create_app(hall, server=SyncServer(hall, keys=keys), upstream=from_centre)
    uvicorn.run(app, host=args.host, port=args.port, log_level="info", timeout_graceful_shutdown=3, **tls)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
