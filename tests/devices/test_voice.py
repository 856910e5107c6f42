"""The call announcer: Qt's ``mock`` speech engine says the words, one announcement after another.

Qt's mock engine has English, Norwegian and Finnish voices only: the tests that must hear
words ask it for ``en_GB``; asked for Mandarin (the default) it stands for a PC without a
Chinese voice.
"""

from __future__ import annotations

import re
import wave
from pathlib import Path

import pytest
from PySide6.QtTextToSpeech import QTextToSpeech
from pytestqt.qtbot import QtBot

from desktop.config import Settings, SettingsError
from desktop.devices import voice
from desktop.devices.voice import (
    SilentAnnouncer,
    SpeechAnnouncer,
    VoiceInfo,
    VoiceOptions,
    announcer_from_options,
    announcer_from_settings,
    chime_problem,
    pick_voice,
    probe,
)

MOCK = VoiceOptions(engine="mock", locale="en_GB", rate=1.0, repetitions=1)


class Heard:
    """What the engine says, word by word, and the engine's states in order."""

    def __init__(self, announcer: SpeechAnnouncer) -> None:
        self.words: list[tuple[str, int, int]] = []
        self.states: list[QTextToSpeech.State] = []
        self.spoken: list[str] = []
        self.events: list[str] = []
        announcer.engine.sayingWord.connect(lambda word, _id, start, length: self.words.append((word, start, length)))
        announcer.engine.stateChanged.connect(self.states.append)
        announcer.started.connect(lambda text: self.events.append(f"start {text}"))
        announcer.spoken.connect(self.spoken.append)
        announcer.spoken.connect(lambda text: self.events.append(f"end {text}"))


def speaking(qtbot: QtBot, options: VoiceOptions = MOCK) -> tuple[SpeechAnnouncer, Heard]:
    announcer = announcer_from_options(options)
    assert isinstance(announcer, SpeechAnnouncer), announcer.reason
    return announcer, Heard(announcer)


def said(text: str, words: list[tuple[str, int, int]]) -> bool:
    """Whether the engine was reading ``text``.

    The mock reads its text word by word and tells each word with its place in the text; its
    words are runs of ASCII letters and digits (Chinese characters count as punctuation to
    it), so it tells "A012" at 2 and "3" at 10 of "请 A012 号到 3 号窗口": the number and the
    window, each exactly where the text has them.
    """
    expected = [(m.group(), m.start(), len(m.group())) for m in re.finditer(r"[A-Za-z0-9_]+", text)]
    return [w for w in words if w[0]] == expected


def test_the_mock_engine_says_the_exact_announcement(qtbot: QtBot) -> None:
    announcer, heard = speaking(qtbot)
    assert announcer.active and announcer.reason == ""
    assert announcer.engine.voice().locale().name() == "en_GB"
    with qtbot.waitSignal(announcer.spoken, timeout=5000):
        announcer.announce("请 A012 号到 3 号窗口")
    assert heard.spoken == ["请 A012 号到 3 号窗口"]
    assert said("请 A012 号到 3 号窗口", heard.words)
    assert [w for w in heard.words if w[0]] == [("A012", 2, 4), ("3", 10, 1)]
    assert not said("请 A012 号到 4 号窗口", heard.words)
    announcer.deleteLater()


def test_announcements_are_spoken_one_after_another_never_over_each_other(qtbot: QtBot) -> None:
    announcer, heard = speaking(qtbot)
    texts = ["请 A012 号到 3 号窗口", "请 B003 号到 5 号窗口", "请 A013 号到 1 号窗口"]
    for text in texts:
        announcer.announce(text)
    qtbot.waitUntil(lambda: len(heard.spoken) == 3, timeout=10_000)
    assert heard.spoken == texts
    assert [w for w in heard.words if w[0]] == [("A012", 2, 4), ("3", 10, 1), ("B003", 2, 4), ("5", 10, 1),
                                                ("A013", 2, 4), ("1", 10, 1)]
    assert heard.events == [e for text in texts for e in (f"start {text}", f"end {text}")]
    speaking_, ready = QTextToSpeech.State.Speaking, QTextToSpeech.State.Ready
    assert heard.states == [speaking_, ready] * 3  # the engine finished each before the next began
    assert not announcer.busy
    announcer.deleteLater()


def test_each_announcement_is_said_as_many_times_as_set(qtbot: QtBot) -> None:
    announcer, heard = speaking(qtbot, VoiceOptions(engine="mock", locale="en_GB", rate=1.0, repetitions=2))
    announcer.announce("请 A012 号到 3 号窗口")
    announcer.announce("请 B003 号到 5 号窗口")
    qtbot.waitUntil(lambda: len(heard.spoken) == 4, timeout=10_000)
    assert heard.spoken == ["请 A012 号到 3 号窗口"] * 2 + ["请 B003 号到 5 号窗口"] * 2
    announcer.deleteLater()


def test_stop_drops_what_is_queued(qtbot: QtBot) -> None:
    announcer, heard = speaking(qtbot)
    announcer.announce("请 A012 号到 3 号窗口")
    announcer.announce("请 B003 号到 5 号窗口")
    announcer.stop()
    assert not announcer.busy
    announcer.announce("请 C001 号到 2 号窗口")
    qtbot.waitUntil(lambda: heard.spoken == ["请 C001 号到 2 号窗口"], timeout=5000)
    announcer.deleteLater()


def _chime(path: Path, ms: int = 200) -> Path:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(b"\x00\x10" * (8 * ms))
    return path


#: This machine may have no sound device: Qt says so, and the chime is then waited for by its length.
NO_SOUND_DEVICE = pytest.mark.qt_log_ignore("PulseAudioService", "QSoundEffect", "QAudioSink", "pipewire")


@NO_SOUND_DEVICE
def test_a_chime_plays_before_the_words(qtbot: QtBot, tmp_path: Path) -> None:
    chime = _chime(tmp_path / "ding.wav", ms=1000)
    assert chime_problem(chime) == ""
    announcer, heard = speaking(qtbot, VoiceOptions(engine="mock", locale="en_GB", rate=1.0, chime=chime))
    assert announcer.chime_problem == ""
    with qtbot.waitSignal(announcer.started, timeout=1000):
        announcer.announce("请 A012 号到 3 号窗口")
    assert heard.states == []  # the chime first: the engine has not begun
    qtbot.waitUntil(lambda: heard.spoken == ["请 A012 号到 3 号窗口"], timeout=5000)
    assert said("请 A012 号到 3 号窗口", heard.words)
    announcer.deleteLater()


def test_a_chime_that_cannot_be_played_is_said_so_and_the_words_still_come(qtbot: QtBot, tmp_path: Path) -> None:
    (tmp_path / "not.wav").write_text("不是声音")
    assert "不是可播放的 WAV 文件" in chime_problem(tmp_path / "not.wav")
    assert chime_problem(tmp_path / "missing.wav") == f"找不到提示音文件 {tmp_path / 'missing.wav'}"
    announcer, heard = speaking(qtbot, VoiceOptions(engine="mock", locale="en_GB", chime=tmp_path / "missing.wav"))
    assert "找不到提示音文件" in announcer.chime_problem
    with qtbot.waitSignal(announcer.spoken, timeout=5000):
        announcer.announce("请 A012 号到 3 号窗口")
    assert heard.spoken == ["请 A012 号到 3 号窗口"]
    announcer.deleteLater()


def test_without_a_mandarin_voice_the_announcer_is_silent_and_says_why(qtbot: QtBot) -> None:
    silent = announcer_from_options(VoiceOptions(engine="mock"))  # the mock has no Chinese voice
    assert isinstance(silent, SilentAnnouncer) and not silent.active
    assert silent.reason == "语音播报不可用：本机没有中文语音。叫号照常在屏幕上显示，请联系技术人员检查本机的语音设置"
    silent.announce("请 A012 号到 3 号窗口")  # nothing happens, nothing fails
    found = probe(VoiceOptions(engine="mock"))
    assert found.engine == "mock" and found.voice == "" and "espeak-ng" in found.fix
    assert probe(MOCK).voice.startswith(("Bob", "Anne"))


def test_an_unknown_engine_or_voice_turned_off_is_silent_with_the_reason(qtbot: QtBot) -> None:
    unknown = announcer_from_options(VoiceOptions(engine="no-such-engine"))
    assert unknown.reason.startswith("语音播报不可用：本机没有设置中指定的语音朗读软件。")
    assert "no-such-engine" not in unknown.reason  # the hall is told what to do; the engine is doctor's
    assert "no-such-engine" in probe(VoiceOptions(engine="no-such-engine")).fix
    assert "mock" in probe(VoiceOptions(engine="no-such-engine")).fix
    off = announcer_from_settings(Settings(voice=False))
    assert isinstance(off, SilentAnnouncer) and off.reason == "语音播报已关闭（本机设置为不播报）：叫号照常在屏幕上显示"


def test_the_voice_settings_are_checked() -> None:
    options = VoiceOptions.of(Settings(voice_engine="mock", voice_rate=0.5, voice_repetitions=3,
                                       voice_chime="/srv/ding.wav"))  # type: ignore[arg-type]
    assert options == VoiceOptions(engine="mock", locale="zh_CN", rate=0.5, volume=1.0,
                                   chime=Path("/srv/ding.wav"), repetitions=3)
    for bad in ({"voice_repetitions": 5}, {"voice_rate": 2}, {"voice_volume": -0.1}, {"voice_locale": "普通话"}):
        with pytest.raises(SettingsError, match="设置项 voice_"):
            Settings(**bad)  # type: ignore[arg-type]


ESPEAK = [VoiceInfo("Chinese (Cantonese, latin as Jyutping)", "yue_HK"),
          VoiceInfo("Chinese (Mandarin, latin as English)+Adam", "C"),
          VoiceInfo("Chinese (Mandarin, latin as Pinyin)", "C"),
          VoiceInfo("Chinese (Mandarin, latin as English)", "C"),
          VoiceInfo("English (Great Britain)", "en_GB")]


def test_a_mandarin_voice_is_picked_never_cantonese() -> None:
    assert pick_voice(ESPEAK, "zh_CN") == 3  # espeak-ng's plain Mandarin voice, letters read as letters
    assert pick_voice(ESPEAK[:3], "zh_CN") == 2
    assert pick_voice(ESPEAK[:1] + ESPEAK[4:], "zh_CN") is None
    sapi = [VoiceInfo("Microsoft Zira Desktop", "en_US"), VoiceInfo("Microsoft Tracy Desktop", "zh_HK"),
            VoiceInfo("Microsoft Huihui Desktop", "zh_CN")]
    assert pick_voice(sapi, "zh_CN") == 2
    assert pick_voice([VoiceInfo("Ting-Ting", "zh_CN"), VoiceInfo("Sin-ji", "yue_HK")], "zh_CN") == 0
    assert pick_voice(ESPEAK, "en_GB") == 4
    assert pick_voice(ESPEAK, "fi_FI") is None


def test_doctor_says_whether_an_engine_and_a_mandarin_voice_exist(qtbot: QtBot, tmp_path: Path) -> None:
    from desktop.doctor import FAIL, OK, WARN, _voice_check

    none = _voice_check(Settings(voice_engine="mock"))
    assert none.status == WARN and none.detail.startswith("本机没有中文语音（可用语音引擎：")
    assert "apt-get install speech-dispatcher" in none.fix
    found = _voice_check(Settings(voice_engine="mock", voice_locale="en_GB", voice_repetitions=1))
    assert found.status == OK and found.detail.startswith("语音引擎 mock，播报语音 Bob")
    chime = _voice_check(Settings(voice_engine="mock", voice_locale="en_GB", voice_chime=str(tmp_path / "x.wav")))
    assert chime.status == WARN and "找不到提示音文件" in chime.detail and "voice_chime" in chime.fix
    off = _voice_check(Settings(voice=False))
    assert off.status == OK and "已关闭" in off.detail
    assert FAIL not in (none.status, found.status, chime.status, off.status)


def test_an_engine_that_may_hang_is_asked_in_a_child_given_up_after_its_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """speechd opens by asking speech-dispatcher, which may never answer: the child is given up, not the display."""
    import sys

    assert voice.preflight(MOCK) is None  # an engine in this process that waits on nothing: no child
    speechd = VoiceOptions(engine="speechd")
    monkeypatch.setattr(voice, "probe_command", lambda options: [sys.executable, "-c", "import time; time.sleep(30)"])
    hung = voice.preflight(speechd, timeout=0.5)
    assert hung is not None and hung.problem == "语音朗读软件没有响应" and "speech-dispatcher" in hung.fix
    answer = '{"engines": ["speechd"], "engine": "speechd", "voice": "cmn", "problem": "", "fix": ""}'
    monkeypatch.setattr(voice, "probe_command", lambda options: [sys.executable, "-c", f"print({answer!r})"])
    assert voice.preflight(speechd) == voice.VoiceProbe(("speechd",), "speechd", "cmn")
    monkeypatch.setattr(voice, "probe_command", lambda options: [sys.executable, "-c", "print('garbage')"])
    garbled = voice.preflight(speechd)
    assert garbled is not None and garbled.problem == "无法检查本机的语音设置"


def test_the_check_off_the_gui_thread_loads_no_qt_and_asks_the_child_for_the_default_engine() -> None:
    """The kiosk runs preflight on a worker thread: it must not import Qt's speech module nor load its plugins
    there (done from a worker while the GUI thread wrapped an object for an application-wide event filter,
    that crashed the kiosk). With no engine named, the child finds the default one and says which."""
    import json
    import subprocess
    import sys

    answer = '{"engines": ["speechd", "mock"], "engine": "speechd", "voice": "cmn", "problem": "", "fix": ""}'
    script = f"""
import json, sys
from desktop.devices import voice
voice.probe_command = lambda options: [sys.executable, "-c", {f"print({answer!r})"!r}]
found = voice.preflight(voice.VoiceOptions())
loaded = sorted(name for name in sys.modules if name.startswith("PySide6.Qt"))
print(json.dumps({{"engine": found.engine, "voice": found.voice, "loaded": loaded}}))
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert (found["engine"], found["voice"]) == ("speechd", "cmn")
    assert not [name for name in found["loaded"] if name != "PySide6.QtCore"], found["loaded"]


def test_voice_probe_prints_what_the_child_found() -> None:
    import json
    import os
    import subprocess

    done = subprocess.run(voice.probe_command(MOCK), capture_output=True, text=True, timeout=120, check=False,
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found["engine"] == "mock" and "mock" in found["engines"]
