"""Command line: ``python -m desktop {run,demo-data,self-test,doctor,rebuild-projections,import-holidays,rekey,
backup,import-plain-database,recover,migrate,verify-audit,sync,sync-token,sync-status,window-types,window-type,
set-kiosk-pin,voice-probe}``.

Whatever goes wrong ends in a plain Chinese message on stderr and a non-zero exit status,
never a traceback (``explain``): 1 for a refusal or a failed check, 2 for a database or key
that cannot be used as it is, 70 for an unexpected error (logged, with a reference).
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from desktop import __version__
from desktop.config import ROLES, Settings, load_settings
from desktop.domain.chinatime import china_now

if TYPE_CHECKING:
    from desktop.services.context import Hall


def _db_path(args: argparse.Namespace, settings: Settings) -> Path:
    return Path(args.db) if args.db else settings.database_path


RUN_HELP = "启动某一角色的桌面程序"


def _run_arguments(run: argparse.ArgumentParser) -> argparse.ArgumentParser:
    run.add_argument("--role", choices=ROLES, required=True,
                     help="kiosk 自助终端 / counter 窗口 / leader 领导接访 / display 大厅屏 / admin 管理")
    run.add_argument("--db", help="数据库文件路径（默认使用设置中的路径）")
    run.add_argument("--smoke-test", action="store_true",
                     help="打开主窗口后立即退出（用于检查安装）")
    return run


def _parse(argv: Sequence[str] | None) -> argparse.Namespace:
    """The command line read; ``run`` (how every window starts) by its own small parser.

    The whole parser has some thirty commands and loads their modules: a few milliseconds before a
    kiosk's first frame that ``run`` does not need. Its arguments and help are the same either way.
    """
    given = list(sys.argv[1:] if argv is None else argv)
    if given[:1] == ["run"]:
        parser = _run_arguments(argparse.ArgumentParser(prog="petition-hall run", description=RUN_HELP))
        args = parser.parse_args(given[1:])
        args.command = "run"
        return args
    return build_parser().parse_args(given)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="petition-hall", description="信访接待大厅系统")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    _run_arguments(sub.add_parser("run", help=RUN_HELP))

    demo = sub.add_parser("demo-data", help="生成演示数据")
    demo.add_argument("--cases", type=int, required=True, help="事项数量")
    demo.add_argument("--db", help="数据库文件路径")
    demo.add_argument("--seed", type=int, default=20260501, help="随机种子（相同种子生成相同数据）")
    demo.add_argument("--replace", action="store_true", help="先删除已有的数据库文件")

    sub.add_parser("self-test", help="检查程序本身是否完整（字体、Qt 插件、加密数据库、打印、二维码、节假日数据），"
                                     "不改动本机的设置和数据")

    doctor = sub.add_parser("doctor", help="检查本机环境并给出修复建议")
    doctor.add_argument("--db", help="数据库文件路径")

    rebuild = sub.add_parser("rebuild-projections", help="由事件历史重建事项表和检索索引")
    rebuild.add_argument("--db", help="数据库文件路径")
    rebuild.add_argument("--check", action="store_true",
                         help="重建后与重建前逐行比对，不一致时以非零状态退出")

    holidays = sub.add_parser("import-holidays", help="导入某年的节假日安排（CSV：日期,类型,名称）")
    holidays.add_argument("file", help="CSV 文件")
    holidays.add_argument("--db", help="数据库文件路径")

    # --- encryption of the database: key rotation, backup, import of old plain databases ---
    rekey = sub.add_parser("rekey", help="为数据库更换新的随机密钥（需先关闭本机所有程序窗口）")
    rekey.add_argument("--db", help="数据库文件路径")
    backup = sub.add_parser("backup", help="把数据库备份为一个加密文件（程序运行时也可备份），并校验备份")
    backup.add_argument("out", help="备份文件路径（不能是已存在的文件）")
    backup.add_argument("--db", help="数据库文件路径")
    plain = sub.add_parser("import-plain-database",
                           help="把旧版未加密的数据库转换为加密数据库（原文件不改动，核对后请安全删除）")
    plain.add_argument("plain_db", help="旧版未加密的数据库文件")
    plain.add_argument("--db", help="要生成的加密数据库路径（默认使用设置中的路径；不能已存在）")

    recover = sub.add_parser("recover", help="从损坏的数据库中抢救能读出的记录，写入一个新数据库（原文件只读不改）")
    recover.add_argument("out", help="新数据库文件路径（不能是已存在的文件）")
    recover.add_argument("--db", help="损坏的数据库文件路径")

    migrate = sub.add_parser("migrate", help="把数据库升级到本版程序的结构（程序启动时也会自动升级）")
    migrate.add_argument("--db", help="数据库文件路径")

    verify = sub.add_parser("verify-audit", help="核验审计日志是否完整（发现修改、删除时以非零状态退出）")
    verify.add_argument("--db", help="数据库文件路径")

    voice = sub.add_parser("voice-probe", help="（供 doctor 与大厅显示屏调用）检查语音引擎与中文语音，输出一行 JSON")
    voice.add_argument("--engine", default="", help="语音引擎（留空自动选择）")
    voice.add_argument("--locale", default="zh_CN", help="所需语音的语言")

    sub.add_parser("set-kiosk-pin", help="设置自助终端管理员退出密码（6–12位数字，以 Argon2id 散列保存在设置文件中）")

    from desktop.sync.commands import add_commands as add_sync_commands

    add_sync_commands(sub)  # sync, sync-token, sync-status
    from desktop import queue_commands

    queue_commands.add_arguments(sub, "数据库文件路径")  # window-types, window-type
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; whatever goes wrong ends in a plain Chinese message and a non-zero exit."""
    args = _parse(argv)
    try:
        return _main(args)
    except KeyboardInterrupt:
        print("已中断：操作未完成（已提交的数据不受影响）", file=sys.stderr)
        return 130
    except Exception as exc:  # the command line's one error path: never a traceback
        message, code = explain(exc, _given_db(args))
        print(message, file=sys.stderr)
        return code


def _given_db(args: argparse.Namespace) -> Path | None:
    db = getattr(args, "db", None)
    if db:
        return Path(db)
    with contextlib.suppress(Exception):
        return load_settings(write_first_start=False).database_path
    return None


def explain(error: BaseException, db_path: Path | None) -> tuple[str, int]:
    """(what the user is told, exit status) for an error that ended a command.

    The program's own refusals (wrong key, database in use, key store, a file problem, a
    rule) are shown as they are; SQLite's and the file system's errors are put in plain
    words (disk full, read-only, damaged); anything else is logged with a reference.
    """
    from db.engine import DatabaseFileError, DatabaseInUseError, DatabaseKeyError, file_problem
    from desktop.domain.errors import RuleViolation
    from desktop.keystore import KeyStoreError

    if isinstance(error, DatabaseKeyError | DatabaseInUseError | KeyStoreError | DatabaseFileError):
        return str(error), 2
    if isinstance(error, RuleViolation):
        return str(error), 1
    problem = file_problem(error)
    if problem is not None:
        from desktop.installation import problem_message

        where = Path(error.filename) if isinstance(error, OSError) and error.filename else db_path
        return problem_message(where or Path("（数据库）"), problem), 2
    return _unexpected(error), 70


def _unexpected(error: BaseException) -> str:
    """Log an unexpected error with its traceback; the user gets the reference to quote."""
    import logging
    import secrets
    import tempfile

    from desktop.config import data_dir

    reference = f"{china_now():%Y%m%d-%H%M%S}-{secrets.token_hex(2)}"  # quoted by people: the hall's clock
    for folder in (data_dir(), Path(tempfile.gettempdir())):
        log_path = folder / "petition-hall-cli.log"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            handler = logging.FileHandler(log_path, encoding="utf-8")
        except OSError:
            continue
        logger = logging.getLogger("petition_hall.cli")
        logger.addHandler(handler)
        try:
            logger.error("参考号 %s", reference, exc_info=error)
        finally:
            logger.removeHandler(handler)
            handler.close()
        return (f"程序出现意外问题，操作没有完成（{type(error).__name__}）。详细情况已记录在 {log_path}，"
                f"参考号 {reference}；请把参考号告诉技术支持。")
    return f"程序出现意外问题，操作没有完成（{type(error).__name__}），参考号 {reference}；请联系技术支持。"


def _main(args: argparse.Namespace) -> int:
    if args.command == "self-test":  # the program itself: needs no settings of this PC
        from desktop.selftest import run_self_test

        return run_self_test()
    if args.command == "voice-probe":  # a child of doctor or the hall display, which give it up if it hangs
        from PySide6.QtCore import QCoreApplication

        from desktop.devices.voice import VoiceOptions, probe_json

        app = QCoreApplication.instance() or QCoreApplication([])  # engines are Qt plugins
        print(probe_json(VoiceOptions(engine=args.engine, locale=args.locale)))
        del app
        return 0
    try:
        settings = load_settings()
    except RuntimeError as exc:
        print(exc, file=sys.stderr)
        return 2
    if args.command == "run":
        from desktop.app import run_app

        return run_app(args.role, _db_path(args, settings), settings, smoke_test=args.smoke_test)
    if args.command == "demo-data":
        return _demo_data(args, settings)
    if args.command == "doctor":
        from desktop.doctor import run_doctor

        return run_doctor(settings, _db_path(args, settings))
    if args.command == "rebuild-projections":
        return _rebuild(args, settings)
    if args.command == "import-holidays":
        return _import_holidays(args, settings)
    if args.command in _KEY_COMMANDS:
        return _KEY_COMMANDS[args.command](args, settings)
    if args.command == "verify-audit":
        return _verify_audit(args, settings)
    if args.command == "migrate":  # also a child of the program's start, which migrates apart (open_hall)
        return _migrate(args, settings)
    if args.command == "set-kiosk-pin":
        return _set_kiosk_pin()
    from desktop.sync.commands import COMMANDS as SYNC_COMMANDS

    if args.command in SYNC_COMMANDS:
        return SYNC_COMMANDS[args.command](args, settings)
    from desktop import queue_commands

    if args.command in queue_commands.NAMES:
        return queue_commands.on_desktop(args, settings)
    return 2


def _set_kiosk_pin(read: Callable[[str], str] | None = None) -> int:
    """Ask for the kiosk's exit PIN twice and keep its Argon2id hash in the settings file."""
    import getpass

    from desktop.config import store_setting
    from desktop.domain.errors import ValidationError
    from desktop.domain.passwords import hash_new_pin

    ask = read or getpass.getpass
    pin = ask("新的管理员退出密码（6–12位数字）：").strip()
    again = ask("再输入一次：").strip()
    try:
        hashed = hash_new_pin(pin, again)  # the same rule as the administration desk's 自助终端退出密码
    except ValidationError as exc:
        print(exc.message + "，没有修改", file=sys.stderr)
        return 1
    path = store_setting("kiosk_exit_pin", hashed)
    print(f"已设置自助终端管理员退出密码（散列保存在 {path}）；自助终端下次启动时生效")
    return 0


def _existing_hall(settings: Settings, path: Path) -> Hall:
    """The hall on a database that must exist already: a mistyped path is refused, never created."""
    from desktop.installation import open_hall

    return open_hall(settings, path, create=False)


def _migrate(args: argparse.Namespace, settings: Settings) -> int:
    from db.migrate import current_revision

    hall = _existing_hall(settings, _db_path(args, settings))
    try:
        print(f"数据库结构已是最新（版本 {current_revision(hall.engine)}）")
    finally:
        hall.engine.dispose()
    return 0


def _verify_audit(args: argparse.Namespace, settings: Settings) -> int:
    from desktop.domain.access import Actor
    from desktop.services.audit import verify_audit

    hall = _existing_hall(settings, _db_path(args, settings))
    try:
        report = verify_audit(hall, Actor.system("verify-audit"))
    finally:
        hall.engine.dispose()
    print(report.summary())
    return 0 if report.ok else 1


def _audit_command(settings: Settings, path: Path, action: str, target: str, detail: dict[str, object]) -> None:
    """Record a command-line action in the database's audit log."""
    from desktop.domain.access import Actor
    from desktop.domain.audit import AuditAction
    from desktop.services.audit import record_audit

    hall = _existing_hall(settings, path)
    try:
        record_audit(hall, Actor.system(), AuditAction(action), target, detail)
    finally:
        hall.engine.dispose()


#: What ``demo-data`` says where Faker is not installed: the installed program (the bundle) leaves it out.
DEMO_DATA_NOT_INSTALLED = ("演示数据生成不属于安装版程序（它只用于演示和培训，不随程序安装）："
                           "请在程序的源代码目录中运行 python -m desktop demo-data，"
                           "再用 --db 把生成的数据库交给本程序")


def _demo_data(args: argparse.Namespace, settings: Settings) -> int:
    from desktop.domain.errors import RuleViolation

    try:
        from desktop.services.demo_runner import check_demo_request, generate_demo_database
    except ModuleNotFoundError as exc:
        if exc.name != "faker":
            raise
        print(DEMO_DATA_NOT_INSTALLED, file=sys.stderr)
        return 2

    path = _db_path(args, settings)
    try:
        check_demo_request(path, args.cases, replace=args.replace)  # before anything is written
    except (RuleViolation, FileExistsError) as exc:
        print(exc, file=sys.stderr)
        return 2
    started = time.perf_counter()

    def progress(done: int, total: int) -> None:
        elapsed = time.perf_counter() - started
        rate = done / elapsed if elapsed else 0.0
        print(f"\r已生成 {done:,}/{total:,} 件（{done * 100 // total}%），{rate:,.0f} 件/秒",
              end="", file=sys.stderr, flush=True)

    try:
        report = generate_demo_database(path, settings, args.cases, seed=args.seed,
                                        replace=args.replace, progress=progress)
    except FileExistsError as exc:
        print(exc, file=sys.stderr)
        return 2
    print(file=sys.stderr)
    size = sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))
    print(f"完成：{report.cases:,} 件事项，{report.events:,} 条事件，用时 {report.seconds:.1f} 秒，"
          f"数据库 {path}（{size / 1e6:,.0f} MB）")
    from desktop.domain.deadlines import format_date
    from desktop.services.accounts import DEMO_PASSWORD, create_demo_accounts
    from desktop.services.demo_runner import schedule_demo_reception

    hall = _existing_hall(settings, path)
    try:
        made = create_demo_accounts(hall)
        reception = schedule_demo_reception(hall, args.seed)
    finally:
        hall.engine.dispose()
    print("演示账户（仅限演示库，密码均为 " + DEMO_PASSWORD + "）：" +
          "，".join(f"{a.login}（{a.role_name}）" for a in made))
    if reception.days:
        print(f"领导接访日：{'、'.join(format_date(d) for d in reception.days)}；"
              f"{format_date(reception.days[0])}已有 {reception.booked} 位来访人预约")
    return 0


def _rebuild(args: argparse.Namespace, settings: Settings) -> int:
    from desktop.domain.access import Actor
    from desktop.services.projections import rebuild_and_compare

    hall = _existing_hall(settings, _db_path(args, settings))
    started = time.perf_counter()
    try:
        report, same = rebuild_and_compare(hall, Actor.system(), compare=args.check)
    finally:
        hall.engine.dispose()
    print(f"已重建 {report.cases:,} 件事项（{report.events:,} 条事件，{report.flagged:,} 件待督办核查），"
          f"用时 {time.perf_counter() - started:.1f} 秒")
    if args.check:
        print("重建结果与重建前完全一致" if same else "重建结果与重建前不一致！请联系技术支持")
        return 0 if same else 1
    return 0


def _import_holidays(args: argparse.Namespace, settings: Settings) -> int:
    from desktop.domain.access import Actor
    from desktop.domain.calendar import parse_schedule_csv
    from desktop.domain.errors import RuleViolation
    from desktop.services.holidays import import_schedule_file

    source = Path(args.file)
    try:
        # the file first: its mistakes are told before the database is even opened
        parse_schedule_csv(source.read_text(encoding="utf-8-sig"), source.name)
        hall = _existing_hall(settings, _db_path(args, settings))
        try:
            years = import_schedule_file(hall, Actor.system(), source)
        finally:
            hall.engine.dispose()
    except UnicodeDecodeError:
        print("导入失败：文件须为 UTF-8 编码的 CSV", file=sys.stderr)
        return 1
    except RuleViolation as exc:
        print(f"导入失败：{exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        if exc.filename is not None and Path(exc.filename) == source:
            print(f"导入失败：无法读取文件 {source}（{_os_reason(exc)}）", file=sys.stderr)
            return 1
        raise
    print("已导入节假日安排：" + "、".join(f"{y}年" for y in years))
    return 0


def _rekey(args: argparse.Namespace, settings: Settings) -> int:
    from desktop.installation import rekey_database

    path = _db_path(args, settings)
    try:
        result = rekey_database(settings, path)
    except FileNotFoundError as exc:
        print(exc, file=sys.stderr)
        return 2
    print(f"已为数据库 {result.database} 更换密钥：重新加密 {result.pages:,} 页，用时 {result.seconds:.1f} 秒。")
    print(f"新密钥（编号 {result.new_key_id}，原编号 {result.old_key_id}）保存在{result.key_store}。")
    print("注意：此前的备份仍使用旧密钥，旧密钥已不再保存——请立即用 backup 重新备份。")
    _audit_command(settings, path, "更换数据库密钥", str(result.database),
                   {"old_key_id": result.old_key_id, "new_key_id": result.new_key_id, "pages": result.pages})
    return 0


def _backup(args: argparse.Namespace, settings: Settings) -> int:
    from desktop.installation import backup_database

    try:
        result = backup_database(settings, _db_path(args, settings), Path(args.out))
    except (FileExistsError, FileNotFoundError) as exc:
        print(exc, file=sys.stderr)
        return 2
    except RuntimeError as exc:
        print(f"备份失败：{exc}", file=sys.stderr)
        return 1
    print(f"已备份到 {result.path}：{result.bytes / 1e6:,.1f} MB，{result.cases:,} 件事项，"
          f"{result.events:,} 条事件，用时 {result.seconds:.1f} 秒；完整性检查：{result.integrity}。")
    print(f"备份已加密，使用本数据库当前的密钥（编号 {result.key_id}，保存在{result.key_store}）；"
          "在其他电脑上恢复时需要同一密钥。")
    _audit_command(settings, result.database, "备份数据库", str(result.path),
                   {"key_id": result.key_id, "cases": result.cases, "events": result.events})
    return 0


def _import_plain(args: argparse.Namespace, settings: Settings) -> int:
    from desktop.installation import import_plain_database

    plain, path = Path(args.plain_db), _db_path(args, settings)
    try:
        result = import_plain_database(settings, plain, path)
    except (FileExistsError, FileNotFoundError) as exc:
        print(exc, file=sys.stderr)
        return 2
    except RuntimeError as exc:
        print(f"导入失败：{exc}", file=sys.stderr)
        return 1
    rows = result.rows
    print(f"已把未加密数据库 {result.source} 转换为加密数据库 {result.database}："
          f"{rows.get('cases', 0):,} 件事项，{rows.get('events', 0):,} 条事件，共 {len(rows)} 张表，"
          f"各表行数与原数据库一致，用时 {result.seconds:.1f} 秒。")
    print(f"密钥（编号 {result.key_id}）保存在{result.key_store}。")
    print(f"原文件 {result.source} 未被改动，其中的个人信息仍是明文：核对新数据库可以正常使用后，"
          f"请安全删除原文件及其 -wal/-shm 文件（例如 shred -u '{result.source}'），并清理其备份。")
    return 0


def _os_reason(error: OSError) -> str:
    import errno

    return {errno.ENOENT: "文件不存在", errno.EISDIR: "这是一个文件夹", errno.EACCES: "没有读取权限"}.get(
        error.errno or 0, error.strerror or "读取错误")


def _recover(args: argparse.Namespace, settings: Settings) -> int:
    from desktop.installation import recover_database

    source, out = _db_path(args, settings), Path(args.out)
    try:
        result = recover_database(settings, source, out)
    except FileExistsError as exc:
        print(exc, file=sys.stderr)
        return 2
    print(f"已把 {result.source} 中能读出的记录写入新数据库 {result.database}（用时 {result.seconds:.1f} 秒），"
          f"由事件重建了 {result.cases:,} 件事项（{result.events:,} 条事件）。")
    lost = [t for t in result.tables if t.lost_ranges or t.unreadable] or result.orphaned
    for table in result.tables:
        print(f"  {table.name}：抢救 {table.copied:,} 行" + (
            "；整张表无法读取" if table.unreadable else
            f"；无法读取的行号 {_ranges(table.lost_ranges)}（至多 {table.lost_at_most:,} 行）"
            if table.lost_ranges else ""))
    if result.orphaned:
        print(f"  另有 {sum(result.orphaned.values()):,} 条事件属于登记记录已丢失的 {len(result.orphaned):,} 件事项"
              f"（{'、'.join(list(result.orphaned)[:3])}{'等' if len(result.orphaned) > 3 else ''}），"
              "无法还原为事项，未写入新数据库（仍在损坏的文件中）；如已同步过，下次同步时会从服务器重新收到")
    print(f"审计日志：{result.audit_summary}")
    print(f"新数据库完整性检查：{'通过' if result.integrity == 'ok' else result.integrity}")
    if lost:
        print("有记录无法读出：请尽量从备份恢复；已同步到服务器的记录，新数据库在下次同步时会重新收到。"
              "核对新数据库后，用它替换损坏的文件（损坏的文件请留存）。", file=sys.stderr)
        return 1
    print("所有记录都已抢救。核对新数据库后，用它替换损坏的文件（损坏的文件请留存）。")
    return 0


def _ranges(ranges: Sequence[tuple[int, int]]) -> str:
    shown = "、".join(str(lo) if lo == hi else f"{lo}–{hi}" for lo, hi in ranges[:8])
    return shown + ("等" if len(ranges) > 8 else "")


_KEY_COMMANDS = {"rekey": _rekey, "backup": _backup, "import-plain-database": _import_plain,
                 "recover": _recover}


if __name__ == "__main__":
    raise SystemExit(main())
