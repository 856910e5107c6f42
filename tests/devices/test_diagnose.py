"""What ``doctor`` says about the ID-card reader (no card is read)."""

from __future__ import annotations

import ctypes
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from desktop import doctor
from desktop.devices.diagnose import check_reader
from tests.conftest import make_settings
from tests.helpers import valid_id


def test_each_kind_of_reader_setting(tmp_path: Path) -> None:
    assert check_reader("none").level == "ok" and "不使用阅读器" in check_reader("").detail
    keyboard = check_reader("keyboard:name,id_number")
    assert keyboard.level == "ok" and keyboard.detail.startswith("id_reader = keyboard:name,id_number：键盘输入式")
    simulator = check_reader("sim:seed=2")
    assert simulator.level == "warn" and "仅供演示" in simulator.detail
    assert "（演示卡片，种子 2），共 8 张卡片" in simulator.detail
    cards = tmp_path / "cards.json"
    cards.write_text(json.dumps([{"name": "张三", "id_number": valid_id()}, None]), encoding="utf-8")
    assert "共 1 张卡片" in check_reader(f"sim:{cards}").detail
    broken = check_reader(f"sim:{tmp_path / 'missing.json'}")
    assert broken.level == "fail" and "无法读取" in broken.detail
    wrong = check_reader("sdk:termb:77")
    assert wrong.level == "fail" and "端口 77 无效" in wrong.detail and wrong.fix == "修改设置 id_reader"


def test_a_missing_vendor_library_names_the_paths_tried(tmp_path: Path) -> None:
    check = check_reader(f"sdk:{tmp_path / 'libtermb.so'}")
    assert check.level == "fail" and f"已尝试：{tmp_path / 'libtermb.so'}" in check.detail
    assert "libtermb.so" in check.fix


def test_a_loaded_library_and_the_port_the_reader_answers_on(library: Path, fake: ctypes.CDLL) -> None:
    check = check_reader(f"sdk:{library}")
    assert check.level == "ok" and f"驱动库 {library} 已加载" in check.detail and "USB 端口 1001应答" in check.detail
    assert fake.fake_closes() == 1  # the port is closed again at once
    fake.fake_set(0, 1, 1, 0)
    unplugged = check_reader(f"sdk:{library}:1005")
    assert unplugged.level == "warn" and "USB 端口 1005无法打开" in unplugged.detail


def test_doctor_reports_the_reader_and_never_a_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    check = doctor._id_reader_check(make_settings(id_reader="sim:"))
    assert (check.name, check.status) == ("身份证阅读器", doctor.WARN)

    def broken(text: str) -> None:
        raise RuntimeError("驱动崩溃")

    monkeypatch.setattr("desktop.devices.diagnose.check_reader", broken)
    failed = doctor._id_reader_check(make_settings(id_reader="sdk:"))
    assert failed.status == doctor.FAIL and "检查时出错：驱动崩溃" in failed.detail


def test_the_command_line_doctor_and_a_bad_reader_setting(tmp_path: Path, library: Path) -> None:
    env = dict(os.environ, PH_CONFIG_DIR=str(tmp_path / "cfg"), PH_DATA_DIR=str(tmp_path / "data"),
               QT_QPA_PLATFORM="offscreen", PH_ID_READER=f"sdk:{library}:1001")
    command = [sys.executable, "-m", "desktop", "doctor", "--db", str(tmp_path / "hall.db")]
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=300, check=False)
    line = next(line for line in done.stdout.splitlines() if "身份证阅读器" in line)
    assert line.startswith("[正常]") and f"id_reader = sdk:{library}:1001" in line and "Traceback" not in done.stderr
    env["PH_ID_READER"] = "usb:1"
    refused = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120, check=False)
    assert refused.returncode == 2 and "设置项 id_reader" in refused.stderr and "Traceback" not in refused.stderr
