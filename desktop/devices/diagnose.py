"""What ``doctor`` says about the ID-card reader: the setting, and whether the reader can work.

No card is read: for the vendor SDK the library is loaded (every path tried is named)
and the port opened and closed at once; a simulator's card file is read; a keyboard
reader is only described (it is a keyboard to the system).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from desktop.devices.idcard import ReaderError, ReaderProblem
from desktop.devices.keyboard import KeyboardReader
from desktop.devices.simulated import SimulatedReader
from desktop.devices.spec import (
    ReaderSpecError,
    describe_port,
    parse_field_order,
    parse_reader_spec,
    parse_sdk_target,
    parse_sim_options,
)
from desktop.devices.termb import TermbReader, default_library_name

Level = Literal["ok", "warn", "fail"]
NAME = "身份证阅读器"
SETTING = "id_reader"


@dataclass(frozen=True)
class ReaderCheck:
    name: str
    level: Level
    detail: str
    fix: str = ""


def check_reader(text: str) -> ReaderCheck:
    """The reader set by ``id_reader = text``; never raises for a reader's or a library's problem."""
    shown = f"{SETTING} = {text.strip() or 'none'}"
    try:
        spec = parse_reader_spec(text)
    except ReaderSpecError as bad:
        return ReaderCheck(NAME, "fail", f"{shown}：{bad.message}", f"修改设置 {SETTING}")
    if spec.backend == "none":
        return ReaderCheck(NAME, "ok", f"{shown}：不使用阅读器，证件信息由工作人员录入")
    if spec.backend == "keyboard":
        keyboard = KeyboardReader(parse_field_order(spec.target))
        return ReaderCheck(NAME, "ok", f"{shown}：{keyboard.describe()}；刷卡内容输入到登记界面的证件输入框")
    if spec.backend == "sim":
        simulator = SimulatedReader.from_options(parse_sim_options(spec.target))
        try:
            cards = simulator.cards()
        except ReaderError as exc:
            return ReaderCheck(NAME, "fail", f"{shown}：{exc.message}", f"修改卡片文件或设置 {SETTING}")
        count = sum(card is not None for card in cards)
        return ReaderCheck(NAME, "warn", f"{shown}：{simulator.describe()}，共 {count} 张卡片；"
                           "不读真实身份证（仅供演示和培训）", f"正式使用前修改 {SETTING}")
    reader = TermbReader(parse_sdk_target(spec.target))
    try:
        loaded = reader.load()
    except ReaderError as exc:
        return ReaderCheck(NAME, "fail", f"{shown}：{exc.message}",
                           f"安装阅读器厂商的驱动（{default_library_name()}），或在 {SETTING} 中写明库文件路径")
    library = f"驱动库 {loaded.path} 已加载"
    if len(loaded.tried) > 1:
        library += f"（已尝试：{'、'.join(loaded.tried)}）"
    if loaded.missing:
        library += f"，缺少 {'、'.join(loaded.missing)}"
    try:
        port = reader.find_port()
    except ReaderError as exc:
        level: Level = "warn" if exc.problem is ReaderProblem.NOT_CONNECTED else "fail"
        return ReaderCheck(NAME, level, f"{shown}：{library}；{exc.message}",
                           "连接阅读器后重试；Linux 上须有访问该设备的权限（见 README“身份证阅读器”）")
    return ReaderCheck(NAME, "ok", f"{shown}：{library}；阅读器在{describe_port(port)}应答")
