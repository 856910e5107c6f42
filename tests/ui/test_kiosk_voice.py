"""The kiosk's spoken prompts through Qt's mock speech engine; silent and harmless without an engine."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from desktop.devices.voice import Announcer, SilentAnnouncer, SpeechAnnouncer, VoiceOptions, announcer_from_options
from desktop.services.context import Actor, Hall
from tests.conftest import make_settings
from ui.kiosk.body import kiosk_tiles
from ui.kiosk.register import RegistrationFlow
from ui.kiosk.shell import KioskShell
from ui.kiosk.suggest import SuggestionFlow
from ui.kiosk.voice import ID_CARD, PROMPTS, STILL_THERE, MakeVoice, prompt_for, voice_from_settings
from ui.shell.context import WorkContext

Context = Callable[..., WorkContext]
KIOSK = Actor.kiosk("K01")
MOCK = VoiceOptions(engine="mock", locale="en_GB", rate=1.0, repetitions=1)


def _shell(qtbot: QtBot, work_context: Context, voice: MakeVoice | None) -> KioskShell:
    shell = KioskShell(work_context(KIOSK, "kiosk"), kiosk_tiles(), voice=voice)
    qtbot.addWidget(shell)
    shell.resize(1920, 1080)
    shell.show()
    return shell


@pytest.fixture
def heard(qtbot: QtBot, work_context: Context) -> Iterator[tuple[KioskShell, list[str]]]:
    shell = _shell(qtbot, work_context, lambda parent: announcer_from_options(MOCK, parent))
    voice = shell.start_voice()
    assert isinstance(voice, SpeechAnnouncer) and voice.active
    said: list[str] = []
    voice.started.connect(said.append)
    yield shell, said


def _click(qtbot: QtBot, widget: QWidget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def test_each_screen_of_a_flow_says_its_prompt(qtbot: QtBot, heard: tuple[KioskShell, list[str]],
                                               sqlite_hall: Hall) -> None:
    from desktop.services.suggestions import publish_theme

    publish_theme(sqlite_hall, Actor.system("test"), title="老旧小区加装电梯", description="")
    shell, said = heard
    flow = shell.open_flow("suggest")
    assert isinstance(flow, SuggestionFlow)
    qtbot.waitUntil(lambda: said == ["请选择建议的主题"])  # once the themes are read and shown
    _click(qtbot, flow.free_button)
    flow.content.setPlainText("建议在接待大厅增设老年人休息座椅")
    _click(qtbot, flow.to_who)
    assert said == list(PROMPTS["suggest"][:3])
    voice = shell.voice
    assert isinstance(voice, SpeechAnnouncer)
    qtbot.waitUntil(lambda: not voice.busy, timeout=5000)  # the mock engine has said it


def test_a_flow_that_reads_first_says_the_prompt_of_the_screen_it_shows(
        qtbot: QtBot, heard: tuple[KioskShell, list[str]]) -> None:
    shell, said = heard  # no theme published: 人民建议 opens on writing, and never asks for a theme
    flow = shell.open_flow("suggest")
    assert isinstance(flow, SuggestionFlow)
    with qtbot.waitSignal(flow.ready):
        assert said == []
    assert flow.pages.currentIndex() == 1 and said == [PROMPTS["suggest"][1]]
    flow.content.setPlainText("建议在接待大厅增设老年人休息座椅")
    _click(qtbot, flow.to_who)
    assert said == list(PROMPTS["suggest"][1:3])


def test_a_new_screen_cuts_the_old_prompt_short_and_the_wipe_silences_it(
        qtbot: QtBot, heard: tuple[KioskShell, list[str]]) -> None:
    shell, said = heard
    voice = shell.voice
    assert isinstance(voice, SpeechAnnouncer)
    flow = shell.open_flow("register")
    assert isinstance(flow, RegistrationFlow) and voice.busy
    shell.open_flow("guide")  # at once: the registration's prompt is dropped, the guide's said
    assert said == [PROMPTS["register"][0], PROMPTS["guide"][0]] and voice.busy
    shell.start_countdown()
    assert said[-1] == STILL_THERE and shell.overlay.isVisible()
    shell.wipe()
    assert not voice.busy  # nothing is said after the wipe


def test_the_idle_countdown_asks_whether_anyone_is_there(qtbot: QtBot, heard: tuple[KioskShell, list[str]]) -> None:
    shell, said = heard
    shell.open_flow("guide")
    shell.start_countdown()
    assert said == [PROMPTS["guide"][0], STILL_THERE]
    shell.keep_going()
    assert not shell.overlay.isVisible()


def test_the_id_card_reader_is_named_where_there_is_one() -> None:
    assert prompt_for("register", 0, id_reader=True) == ID_CARD
    assert prompt_for("register", 0) == PROMPTS["register"][0] and "读卡器" not in PROMPTS["register"][0]
    assert prompt_for("register", 1, id_reader=True) == PROMPTS["register"][1]
    assert prompt_for("register", 99) == "" and prompt_for("no-such-flow", 0) == ""
    # a prompt per screen of every flow (the register flow's eight screens)
    assert len(PROMPTS["register"]) == 8 and all(all(p) for p in PROMPTS.values())


def test_the_engine_starts_after_the_first_frame(qtbot: QtBot, work_context: Context) -> None:
    built: list[QObject] = []

    def make(parent: QObject) -> Announcer:
        built.append(parent)
        return announcer_from_options(MOCK, parent)

    shell = _shell(qtbot, work_context, make)
    assert shell.voice is None  # not in the way of the first frame
    qtbot.waitUntil(lambda: shell.voice is not None, timeout=5000)
    assert built == [shell]


@pytest.mark.parametrize("options", [{"kiosk_voice": False}, {"kiosk_voice": True, "voice_engine": "no-such-engine"}])
def test_without_voice_the_kiosk_is_silent_and_works(qtbot: QtBot, work_context: Context,
                                                     options: dict[str, object]) -> None:
    shell = _shell(qtbot, work_context, voice_from_settings(make_settings(**options)))
    flow = shell.open_flow("suggest")
    assert isinstance(flow, SuggestionFlow)
    qtbot.waitUntil(lambda: shell.voice is not None)  # asked for by the first screen's prompt
    voice = shell.voice
    assert isinstance(voice, SilentAnnouncer) and not voice.active
    assert ("kiosk_voice" in voice.reason) == (options["kiosk_voice"] is False)
    assert flow.pages.currentIndex() == 1  # no theme published: straight to writing
    flow.content.setPlainText("建议在接待大厅增设老年人休息座椅")
    _click(qtbot, flow.to_who)
    assert flow.pages.currentIndex() == 2
    shell.wipe()
    assert shell.flow is None


def test_an_engine_that_never_answers_leaves_the_kiosk_silent_never_frozen(
        qtbot: QtBot, work_context: Context, sqlite_hall: Hall, monkeypatch: pytest.MonkeyPatch) -> None:
    """speechd is opened first by a child process off the GUI thread; a hung daemon costs the child only."""
    from dataclasses import replace

    import desktop.devices.voice as voice

    asked: list[VoiceOptions] = []

    def hung(options: VoiceOptions, timeout: float = voice.PROBE_SECONDS) -> voice.VoiceProbe:
        asked.append(options)
        return voice.NOT_ANSWERING  # what preflight gives when the child is given up

    monkeypatch.setattr(voice, "preflight", hung)
    speaking = replace(sqlite_hall, settings=replace(sqlite_hall.settings, kiosk_voice=True, voice_engine="speechd"))
    shell = KioskShell(work_context(KIOSK, "kiosk", hall=speaking), kiosk_tiles())  # the settings' own voice
    qtbot.addWidget(shell)
    shell.resize(1920, 1080)
    shell.show()
    shell.say("请选择您要办理的业务")  # before the check has answered: left unsaid, nothing waits
    qtbot.waitUntil(lambda: shell.voice is not None)
    assert asked and asked[0].engine == "speechd"
    assert isinstance(shell.voice, SilentAnnouncer) and shell.voice.reason == "语音提示未开启：语音朗读软件没有响应"
    shell.say("请选择您要办理的业务")  # silent, harmless


def test_with_a_camera_the_screens_that_use_it_say_so(qtbot: QtBot, heard: tuple[KioskShell, list[str]],
                                                       sqlite_hall: Hall) -> None:
    from dataclasses import replace

    assert "摄像头" not in prompt_for("progress", 0) and "摄像头" in prompt_for("progress", 0, camera=True)
    assert "拍照" in prompt_for("register", 4, camera=True) and "拍照" not in prompt_for("register", 4)
    assert prompt_for("progress", 1, camera=True) == PROMPTS["progress"][1]  # the others as ever
    shell, said = heard
    sqlite_hall.settings = replace(sqlite_hall.settings, camera="sim:")
    shell.open_flow("progress")
    qtbot.waitUntil(lambda: bool(said))
    assert said == ["请把回执上的二维码对准摄像头或扫描口，或者输入案件编号和查询码"]
