"""The kiosk's spoken prompts: one short sentence per screen, through the hall's voice device.

An elderly citizen who cannot read the screen well hears what to do next: the prompt of
each flow's screen is said when the screen appears (a new screen cuts the old prompt
short), nothing is said after the wipe. The voice is :mod:`desktop.devices.voice` (the
call display's): where this PC has no Mandarin engine, or ``kiosk_voice`` is off, a
:class:`~desktop.devices.voice.SilentAnnouncer` stands in and the kiosk stays silent.
The prompts are fixed sentences: nothing a citizen typed is ever spoken aloud in the hall.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

if TYPE_CHECKING:
    from desktop.config import Settings
    from desktop.devices.voice import Announcer, VoiceProbe

#: Builds the kiosk's announcer on the GUI thread (its parent given).
MakeVoice = Callable[[QObject], "Announcer"]

#: A flow's screens in order (the flow's ``pages`` stack), one prompt each.
PROMPTS: dict[str, tuple[str, ...]] = {
    "ticket": ("请选择您要办理的业务", "请取走号票，留意大厅叫号"),
    "register": ("请输入您的姓名、身份证号码、电话和住址", "请选择问题发生在哪个乡镇或街道", "请写下您的诉求",
                 "请写下事实和理由，也可以不写", "如有书面材料，请登记后交给接待窗口",
                 "请核对您填写的内容", "请阅读权利义务告知，勾选后提交", "登记成功，请取走回执"),
    "progress": ("请把回执上的二维码对准扫描口，或者输入案件编号和查询码", "这是您的事项的办理进度",
                 "请选择满意、基本满意或不满意", "感谢您的评价，请取走评价回执"),
    "booking": ("请选择接访日期", "请选择接访时段", "请填写您的姓名和电话", "请查看预约结果，取走预约回执"),
    "suggest": ("请选择建议的主题", "请写下您的建议", "请填写姓名和电话，也可以匿名提交", "感谢您的建议，请取走回执"),
    "guide": ("请选择您想了解的内容",),
}
#: The first screen of 自助登记 where an ID-card reader is connected.
ID_CARD = "请把身份证放在读卡器上，或者输入您的姓名、身份证号码、电话和住址"
#: The screens that say otherwise where the kiosk has a camera (the setting ``camera``): flow → screen → words.
WITH_CAMERA: dict[str, dict[int, str]] = {
    "progress": {0: "请把回执上的二维码对准摄像头或扫描口，或者输入案件编号和查询码"},
    "register": {4: "如有书面材料，可以对着摄像头拍照提交，也可以登记后交给接待窗口"},
}
#: Said when the idle countdown appears.
STILL_THERE = "您还在使用吗？请轻触屏幕继续"


def prompt_for(flow: str, screen: int, *, id_reader: bool = False, camera: bool = False) -> str:
    """What to say when ``screen`` (its index) of ``flow`` appears; empty when there is nothing to say."""
    if flow == "register" and screen == 0 and id_reader:
        return ID_CARD
    if camera and screen in WITH_CAMERA.get(flow, {}):
        return WITH_CAMERA[flow][screen]
    prompts = PROMPTS.get(flow, ())
    return prompts[screen] if 0 <= screen < len(prompts) else ""


def voice_from_settings(settings: Settings) -> MakeVoice:
    """The kiosk's voice: the display's voice settings, said once and without the chime, on when ``kiosk_voice``."""

    def make(parent: QObject) -> Announcer:
        from desktop.devices.voice import SilentAnnouncer, VoiceOptions, announcer_from_options

        if not settings.kiosk_voice:
            return SilentAnnouncer("语音提示未开启：设置中已关闭（kiosk_voice）", parent)
        options = replace(VoiceOptions.of(settings), enabled=True, chime=None, repetitions=1)
        return announcer_from_options(options, parent)

    return make


def preflight_from_settings(settings: Settings) -> Callable[[], VoiceProbe | None] | None:
    """The check run off the GUI thread before the engine is opened (an engine that asks another
    program, speech-dispatcher, is tried in a child process first); None when the voice is off."""
    if not settings.kiosk_voice:
        return None

    def check() -> VoiceProbe | None:
        from desktop.devices.voice import VoiceOptions, preflight

        return preflight(replace(VoiceOptions.of(settings), enabled=True))

    return check
