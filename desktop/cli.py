"""Command line: ``python -m desktop {run,demo-data,doctor,rebuild-projections,import-holidays}``."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from desktop import __version__
from desktop.config import ROLES, Settings, load_settings


def _db_path(args: argparse.Namespace, settings: Settings) -> Path:
    return Path(args.db) if args.db else settings.database_path


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="petition-hall", description="信访接待大厅系统")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="启动某一角色的桌面程序")
    run.add_argument("--role", choices=ROLES, required=True,
                     help="kiosk 自助终端 / counter 窗口 / leader 领导接访 / display 大厅屏 / admin 管理")
    run.add_argument("--db", help="数据库文件路径（默认使用设置中的路径）")
    run.add_argument("--smoke-test", action="store_true",
                     help="打开主窗口后立即退出（用于检查安装）")

    demo = sub.add_parser("demo-data", help="生成演示数据")
    demo.add_argument("--cases", type=int, required=True, help="事项数量")
    demo.add_argument("--db", help="数据库文件路径")
    demo.add_argument("--seed", type=int, default=20260501, help="随机种子（相同种子生成相同数据）")
    demo.add_argument("--replace", action="store_true", help="先删除已有的数据库文件")

    doctor = sub.add_parser("doctor", help="检查本机环境并给出修复建议")
    doctor.add_argument("--db", help="数据库文件路径")

    rebuild = sub.add_parser("rebuild-projections", help="由事件历史重建事项表和检索索引")
    rebuild.add_argument("--db", help="数据库文件路径")
    rebuild.add_argument("--check", action="store_true",
                         help="重建后与重建前逐行比对，不一致时以非零状态退出")

    holidays = sub.add_parser("import-holidays", help="导入某年的节假日安排（CSV：日期,类型,名称）")
    holidays.add_argument("file", help="CSV 文件")
    holidays.add_argument("--db", help="数据库文件路径")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
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
    return 2


def _demo_data(args: argparse.Namespace, settings: Settings) -> int:
    from desktop.services.demo_runner import generate_demo_database

    path = _db_path(args, settings)
    if args.cases < 1:
        print("事项数量须为正整数", file=sys.stderr)
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
    return 0


def _rebuild(args: argparse.Namespace, settings: Settings) -> int:
    from desktop.installation import open_hall
    from desktop.services.projections import rebuild_and_compare

    hall = open_hall(settings, _db_path(args, settings))
    started = time.perf_counter()
    report, same = rebuild_and_compare(hall, compare=args.check)
    print(f"已重建 {report.cases:,} 件事项（{report.events:,} 条事件，{report.flagged:,} 件待督办核查），"
          f"用时 {time.perf_counter() - started:.1f} 秒")
    if args.check:
        print("重建结果与重建前完全一致" if same else "重建结果与重建前不一致！请联系技术支持")
        return 0 if same else 1
    return 0


def _import_holidays(args: argparse.Namespace, settings: Settings) -> int:
    from desktop.domain.errors import RuleViolation
    from desktop.installation import open_hall
    from desktop.services.holidays import import_schedule_file

    hall = open_hall(settings, _db_path(args, settings))
    try:
        years = import_schedule_file(hall, Path(args.file))
    except (RuleViolation, OSError) as exc:
        print(f"导入失败：{exc}", file=sys.stderr)
        return 1
    print("已导入节假日安排：" + "、".join(f"{y}年" for y in years))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
