"""What ``doctor`` says about printing: the system's queues and each configured printer.

Checks never print anything: a system queue is looked up (and on CUPS its state
read), a USB thermal printer is looked for on the bus, a network one gets a TCP
connection that is closed at once, a serial port must exist, a PDF folder must
be writable.
"""

from __future__ import annotations

import os
import socket
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from desktop.config import Settings
from desktop.printing import cups
from desktop.printing.spec import EscPosConnection, PrinterSpecError, parse_connection, parse_spec

Level = Literal["ok", "warn", "fail"]


@dataclass(frozen=True)
class PrinterCheck:
    name: str
    level: Level
    detail: str
    fix: str = ""


def system_queues() -> tuple[list[str], str]:
    """Queue names and the default queue: from Qt, else (no libcups for Qt) from ``lpstat``."""
    names: list[str] = []
    default = ""
    try:
        from desktop.printing.qt import system_queues as qt_queues

        names, default = qt_queues()
    except ImportError:
        pass
    if not names and cups.available():
        names, default = cups.queues()
    return names, default


def check_printers(settings: Settings) -> list[PrinterCheck]:
    queues, default = system_queues()
    checks = [_queues_check(queues, default)]
    settings_to_check = [("回执打印机", "printer_receipts", settings.printer_receipts),
                         ("文书打印机", "printer_notices", settings.printer_notices)]
    settings_to_check += [(f"打印机（{kind}）", f"printer_by_kind[{kind}]", text)
                          for kind, text in settings.printer_by_kind.items()]
    for label, setting, text in settings_to_check:
        checks.append(check_setting(label, setting, text, queues, default))
    return checks


def _queues_check(queues: list[str], default: str) -> PrinterCheck:
    if queues:
        shown = "、".join(f"{q}（默认）" if q == default else q for q in queues)
        if not default:
            return PrinterCheck("系统打印队列", "warn", f"{shown}；未设置默认打印机",
                                "在系统打印设置中设定默认打印机，或在设置中写明 system:队列名")
        return PrinterCheck("系统打印队列", "ok", shown)
    if sys.platform.startswith("win"):
        return PrinterCheck("系统打印队列", "warn", "Windows 打印服务中没有打印机", "在“设置 → 打印机和扫描仪”中添加")
    if not cups.available():
        return PrinterCheck("系统打印队列", "warn", "未安装 CUPS 打印服务", "apt-get install cups")
    return PrinterCheck("系统打印队列", "warn", "打印服务中没有打印机（或打印服务未运行）",
                        "在系统设置中添加打印机；热敏小票机也可在设置中直接配置 escpos:")


def check_setting(label: str, setting: str, text: str, queues: list[str], default: str) -> PrinterCheck:
    """One printer setting: understood, and the printer there."""
    try:
        spec = parse_spec(text)
    except PrinterSpecError as bad:
        return PrinterCheck(label, "fail", f"{setting}：{bad.message}", f"修改设置 {setting}")
    if spec.backend == "system":
        queue = spec.target or default
        if not queue:
            return PrinterCheck(label, "warn", "使用系统默认打印机，但本机没有默认打印机",
                                f"设定系统默认打印机，或在 {setting} 中写明 system:队列名")
        if queue not in queues:
            return PrinterCheck(label, "fail", f"找不到打印队列“{queue}”", f"在系统中添加该打印机，或修改 {setting}")
        where = f"系统打印机“{queue}”" + ("（默认）" if not spec.target else "")
        status = cups.queue_status(queue) if cups.available() else None
        problem = cups.problem(status, where) if status is not None else None
        if problem is not None:
            return PrinterCheck(label, "warn", problem.message, "处理后再打印；打印失败的文书会保存为待补打")
        return PrinterCheck(label, "ok", where)
    if spec.backend == "escpos":
        return _escpos_check(label, parse_connection(spec.target))
    if spec.backend == "pdf":
        folder = Path(spec.target).expanduser() if spec.target else None
        if folder is None:
            from desktop.printing.factory import default_pdf_folder

            folder = default_pdf_folder()
        existing = next((p for p in (folder, *folder.parents) if p.exists()), None)
        if existing is None or not os.access(existing, os.W_OK):
            return PrinterCheck(label, "fail", f"保存为PDF，但文件夹 {folder} 无法写入", f"修改 {setting} 或文件夹权限")
        return PrinterCheck(label, "ok", f"保存为PDF文件（{folder}）")
    return PrinterCheck(label, "warn", "模拟打印机：不会出纸（仅供演示和培训）", f"正式使用前修改 {setting}")


def _escpos_check(label: str, c: EscPosConnection) -> PrinterCheck:
    where = f"热敏小票机（{c.describe()}）"
    if c.kind == "usb":
        try:
            import usb.core

            found = usb.core.find(idVendor=c.vendor_id, idProduct=c.product_id)
        except Exception as exc:  # no libusb backend, no permission to enumerate: report, don't fail doctor
            return PrinterCheck(label, "warn", f"{where}：无法检查USB设备（{exc}）",
                                "apt-get install libusb-1.0-0；并为本机账户授权访问该设备")
        if found is None:
            return PrinterCheck(label, "warn", f"{where}未连接或未开机", "检查电源和USB线")
        return PrinterCheck(label, "ok", f"{where}已连接")
    if c.kind == "tcp":
        try:
            with socket.create_connection((c.host, c.port), timeout=2):
                pass
        except OSError as exc:
            return PrinterCheck(label, "warn", f"{where}无法连接（{exc}）", "检查小票机电源、网线和IP地址")
        return PrinterCheck(label, "ok", f"{where}可以连接")
    if not sys.platform.startswith("win") and not Path(c.device).exists():
        return PrinterCheck(label, "warn", f"{where}：串口 {c.device} 不存在", "检查串口线，或修改串口名称")
    return PrinterCheck(label, "ok", where)
