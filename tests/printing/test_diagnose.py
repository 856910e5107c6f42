"""What ``doctor`` says about each printer setting (no printing involved)."""

from __future__ import annotations

import socket
from pathlib import Path

from desktop.printing.diagnose import check_printers, check_setting
from tests.conftest import make_settings

QUEUES = (["HP-2F", "PDF"], "HP-2F")


def test_each_kind_of_setting(tmp_path: Path) -> None:
    def level(text: str) -> tuple[str, str]:
        check = check_setting("文书打印机", "printer_notices", text, *QUEUES)
        return check.level, check.detail

    assert level("system:NOPE") == ("fail", "找不到打印队列“NOPE”")
    assert level("lpt:1")[0] == "fail" and "printer_notices" in level("lpt:1")[1]
    assert level(f"pdf:{tmp_path / 'new'}") == ("ok", f"保存为PDF文件（{tmp_path / 'new'}）")
    assert level("sim:")[0] == "warn"
    assert level(f"escpos:serial:{tmp_path / 'ttyUSB7'}")[0] == "warn"
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    assert level(f"escpos:tcp:127.0.0.1:{port}")[0] == "warn"
    no_default = check_setting("回执打印机", "printer_receipts", "system:", ["HP-2F"], "")
    assert no_default.level == "warn" and "没有默认打印机" in no_default.detail


def test_doctor_lists_every_configured_printer(tmp_path: Path) -> None:
    settings = make_settings(printer_receipts="sim:", printer_notices=f"pdf:{tmp_path}",
                             printer_by_kind={"转送单": "lpt:1"})
    checks = check_printers(settings)
    assert [c.name for c in checks] == ["系统打印队列", "回执打印机", "文书打印机", "打印机（转送单）"]
    assert [c.level for c in checks[1:]] == ["warn", "ok", "fail"]
