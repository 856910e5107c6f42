"""叫号语音: the hall display's text-to-speech device.

An :class:`Announcer` speaks one announcement after another, never two over each other.
:class:`SpeechAnnouncer` speaks through Qt's QTextToSpeech (engine ``speechd`` on Linux —
speech-dispatcher with espeak-ng's ``cmn`` voice — and SAPI/WinRT on Windows) in a
Mandarin voice, optionally after a chime (a WAV file). Where there is no engine or no
Mandarin voice, :class:`SilentAnnouncer` stands in and says why, so the screen can tell
the hall that voice is off instead of failing.

Unlike the ID-card readers, this device is a Qt object by nature: the engine lives on
the GUI thread and reports through signals. Build it with :func:`announcer_from_settings`
on the GUI thread; :func:`probe` is the same look-up for ``doctor``.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import subprocess
import wave
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from desktop.devices.chime import Chime

if TYPE_CHECKING:  # QtTextToSpeech comes with PySide6-Addons, loaded when voice is built
    from PySide6.QtTextToSpeech import QTextToSpeech, QVoice

    from desktop.config import Settings

#: The pause between two announcements (and between the repetitions of one).
PAUSE_MS = 300

#: What to install where no engine speaks Mandarin (Debian, UOS, Kylin).
INSTALL_HINT = "apt-get install speech-dispatcher speech-dispatcher-espeak-ng espeak-ng"

#: An utterance that has not ended after this long is given up (an engine that hangs must not
#: silence every later call).
SPEAK_TIMEOUT_MS = 20_000

#: Voice names that mean Mandarin where an engine reports no usable locale (espeak-ng's
#: "Chinese (Mandarin, latin as English)", language ``cmn``, comes with the locale ``C``).
_MANDARIN = re.compile(r"cmn|mandarin|chinese|普通话|中文|huihui|yaoyao|kangkang|xiaoxiao", re.IGNORECASE)
_NOT_MANDARIN = re.compile(r"\b(yue|cantonese|hakka|min nan|hokkien)\b|粤语|闽南|客家", re.IGNORECASE)


class Announcer(Protocol):
    """Speaks announcements in the order given, each after the previous one has ended."""

    @property
    def active(self) -> bool:
        """Whether announcements are spoken at all."""
        ...

    @property
    def reason(self) -> str:
        """Why voice is off, in words for the hall (empty while it is on)."""
        ...

    def announce(self, text: str) -> None: ...

    def stop(self) -> None:
        """Drop what is queued and stop speaking."""
        ...


@dataclass(frozen=True)
class VoiceOptions:
    """The voice settings of this PC (``voice_*`` in desktop/config.py)."""

    enabled: bool = True
    engine: str = ""            # "" = the platform's default engine
    locale: str = "zh_CN"       # the language of the voice wanted
    rate: float = 0.0           # -1 (slow) … 1 (fast)
    volume: float = 1.0         # 0 … 1
    chime: Path | None = None   # a WAV file played before each announcement
    repetitions: int = 1        # how many times each announcement is said

    @classmethod
    def of(cls, settings: Settings) -> VoiceOptions:
        return cls(enabled=settings.voice, engine=settings.voice_engine, locale=settings.voice_locale,
                   rate=settings.voice_rate, volume=settings.voice_volume, chime=settings.voice_chime,
                   repetitions=settings.voice_repetitions)


@dataclass(frozen=True)
class VoiceInfo:
    """A voice as an engine lists it: its name and its locale's name (``zh_CN``, ``cmn``, ``en_GB``)."""

    name: str
    locale: str


def _language(locale: str) -> str:
    return locale.replace("-", "_").split("_")[0].lower()


def _is_mandarin(voice: VoiceInfo) -> bool:
    language = _language(voice.locale)
    if _NOT_MANDARIN.search(voice.name) or language in ("yue", "hak", "nan"):
        return False
    return language in ("zh", "cmn") or bool(_MANDARIN.search(voice.name))


def pick_voice(voices: Sequence[VoiceInfo], wanted: str) -> int | None:
    """The index of the voice to speak ``wanted`` (a locale name such as ``zh_CN``), or None.

    For Chinese only a voice that is Mandarin by its language (``zh``, ``cmn``) or its name
    (espeak-ng's "Chinese (Mandarin, …)", SAPI's Huihui) — never Cantonese; for another
    language one of that language. Among those: the exact locale first, then an engine's
    plain voice before its variants ("…+Adam"), and letters read as letters rather than as
    pinyin (so "A012" is heard as A-零一二).
    """
    wanted_norm = wanted.replace("-", "_").lower()
    chinese = _language(wanted) in ("zh", "cmn")

    def fits(voice: VoiceInfo) -> bool:
        return _is_mandarin(voice) if chinese else _language(voice.locale) == _language(wanted)

    def rank(index: int) -> tuple[bool, bool, bool, int]:
        voice = voices[index]
        return (voice.locale.replace("-", "_").lower() == wanted_norm, "+" not in voice.name,
                "pinyin" not in voice.name.lower(), -index)

    candidates = [i for i, voice in enumerate(voices) if fits(voice)]
    return max(candidates, key=rank) if candidates else None


@dataclass(frozen=True)
class VoiceProbe:
    """What this PC can speak with: the engines, the one chosen, its voice; or why none."""

    engines: tuple[str, ...]
    engine: str = ""
    voice: str = ""
    problem: str = ""  # empty when a voice was found; short, for the hall display: plain words, no engine's name
    fix: str = ""      # what to do about it, for whoever sets the PC up


def _open_engine(options: VoiceOptions, parent: QObject | None) -> tuple[QTextToSpeech | None, VoiceProbe]:
    """The engine set to the wanted voice, or None and a probe that says why."""
    try:
        from PySide6.QtTextToSpeech import QTextToSpeech
    except ImportError:
        return None, VoiceProbe((), problem="本机缺少语音组件",
                                fix="缺少 Qt 语音模块：pip install -r requirements.lock（需要 PySide6-Addons）")
    engines = tuple(QTextToSpeech.availableEngines())
    if not engines:
        return None, VoiceProbe(engines, problem="本机没有安装语音朗读软件", fix=INSTALL_HINT)
    engine = options.engine or _default_engine(engines)
    if engine not in engines:
        return None, VoiceProbe(engines, engine, problem="本机没有设置中指定的语音朗读软件",
                                fix=f"本机没有语音引擎 {engine}：修改设置 voice_engine（可用：{'、'.join(engines)}），"
                                    "或留空自动选择")
    tts = QTextToSpeech(engine, parent)
    if tts.state() == QTextToSpeech.State.Error:
        error = tts.errorString() or "原因不明"
        tts.deleteLater()
        return None, VoiceProbe(engines, engine, problem="语音朗读软件无法启动",
                                fix=f"语音引擎 {engine} 无法启动：{error}；检查 speech-dispatcher 是否安装并能运行"
                                    "（spd-say 你好）")
    voices: list[QVoice] = []
    for locale in tts.availableLocales():
        tts.setLocale(locale)
        voices.extend(tts.availableVoices())
    chosen = pick_voice([VoiceInfo(v.name(), v.locale().name()) for v in voices], options.locale)
    if chosen is None:
        tts.deleteLater()
        wanted = "中文" if _language(options.locale) in ("zh", "cmn") else options.locale
        return None, VoiceProbe(engines, engine, problem=f"本机没有{wanted}语音",
                                fix=f"语音引擎 {engine} 中没有{wanted}语音；{INSTALL_HINT}"
                                    "（Windows：在“设置—时间和语言—语音”中添加中文语音）")
    voice = voices[chosen]
    tts.setLocale(voice.locale())
    tts.setVoice(voice)
    tts.setRate(options.rate)
    tts.setVolume(options.volume)
    where = voice.locale().name()
    return tts, VoiceProbe(engines, engine, voice.name() if where == "C" else f"{voice.name()}（{where}）")


def _default_engine(engines: Sequence[str]) -> str:
    """The platform's own engine before any other (never the test engine ``mock`` by choice)."""
    for name in ("speechd", "winrt", "sapi", "darwin", "android", "flite"):
        if name in engines:
            return name
    real = [e for e in engines if e != "mock"]
    return real[0] if real else engines[0]


#: Engines that open by talking to another program, which may hang for good (speechd asks
#: speech-dispatcher, and a stuck daemon never answers): tried first in a child process.
WAITING_ENGINES = frozenset({"speechd"})
#: How long the child may take to open the engine and list its voices before it is given up.
PROBE_SECONDS = 15.0
NOT_ANSWERING = VoiceProbe((), problem="语音朗读软件没有响应",
                           fix="speech-dispatcher 没有响应：重新启动它（killall speech-dispatcher，"
                               "下次播报时自动启动），并检查声音设备；spd-say 你好 应能听到声音")
#: What is said when the check itself failed to run.
UNCHECKED = VoiceProbe((), problem="无法检查本机的语音设置")


#: The call display's line when voice is switched off in this PC's settings.
SWITCHED_OFF = "语音播报已关闭（本机设置为不播报）：叫号照常在屏幕上显示"


def unavailable(problem: str, action: str = "请联系技术人员检查本机的语音设置") -> str:
    """The call display's amber line: voice is off, why and what to do, in words (no engine's name: ``problem``
    is the probe's short one; the engine and the fix are ``doctor``'s)."""
    return f"语音播报不可用：{problem}。叫号照常在屏幕上显示，{action}"


def preflight(options: VoiceOptions, timeout: float = PROBE_SECONDS) -> VoiceProbe | None:
    """For an engine that may hang, its probe made in a child process (given up after ``timeout``).

    None when the engine named in the settings opens without waiting on another program (nothing
    to fear here). With no engine named, the child finds the platform's default and says which.
    Run it off the GUI thread; a hang costs the child, never the display. Nothing here touches Qt:
    listing the engines loads Qt's speech plugins (and Qt Multimedia with them), which must happen on
    the GUI thread alone — loaded from a worker while the GUI thread wrapped an object for an
    application-wide event filter, they crashed the kiosk (a segmentation fault in PySide's type
    lookup).
    """
    if not options.enabled or (options.engine and options.engine not in WAITING_ENGINES):
        return None
    try:
        done = subprocess.run(probe_command(options), capture_output=True, text=True, timeout=timeout, check=False,
                              env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    except subprocess.TimeoutExpired:
        return dataclasses.replace(NOT_ANSWERING, engine=options.engine)
    except OSError as exc:
        return VoiceProbe((), options.engine, problem=UNCHECKED.problem, fix=str(exc))
    lines = done.stdout.strip().splitlines()
    try:
        found = json.loads(lines[-1])
        return VoiceProbe(tuple(found["engines"]), found["engine"], found["voice"], found["problem"], found["fix"])
    except (IndexError, ValueError, KeyError, TypeError):
        why = (done.stderr.strip() or "检查进程没有给出结果")[-300:]
        return VoiceProbe((), options.engine, problem=UNCHECKED.problem, fix=why)


def probe_command(options: VoiceOptions) -> list[str]:
    """This program's ``voice-probe`` command (the bundle is its own interpreter)."""
    from desktop.program import program_command

    return program_command("voice-probe", "--engine", options.engine, "--locale", options.locale)


def probe_json(options: VoiceOptions) -> str:
    """:func:`probe` as one line of JSON (what ``voice-probe`` prints for :func:`preflight`)."""
    found = probe(options)
    return json.dumps({"engines": list(found.engines), "engine": found.engine, "voice": found.voice,
                       "problem": found.problem, "fix": found.fix}, ensure_ascii=False)


def probe(options: VoiceOptions) -> VoiceProbe:
    """Which engine and Mandarin voice the display would speak with (for ``doctor``)."""
    tts, found = _open_engine(options, None)
    if tts is not None:
        tts.deleteLater()
    return found


def chime_problem(path: Path) -> str:
    """Why ``path`` cannot be the chime (empty when it can): it must be a readable WAV file."""
    try:
        with wave.open(str(path), "rb") as sound:
            if sound.getnframes() == 0:
                return f"提示音文件 {path} 没有声音"
    except FileNotFoundError:
        return f"找不到提示音文件 {path}"
    except (OSError, EOFError, wave.Error):
        return f"提示音文件 {path} 不是可播放的 WAV 文件"
    return ""


def chime_length_ms(path: Path) -> int:
    with wave.open(str(path), "rb") as sound:
        return int(1000 * sound.getnframes() / max(1, sound.getframerate()))


class SilentAnnouncer(QObject):
    """Voice off: announces nothing and says why."""

    def __init__(self, reason: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._reason = reason

    @property
    def active(self) -> bool:
        return False

    @property
    def reason(self) -> str:
        return self._reason

    def announce(self, text: str) -> None:
        pass

    def stop(self) -> None:
        pass


class SpeechAnnouncer(QObject):
    """Announcements through a QTextToSpeech engine, queued: chime, then the words, then the next one.

    Every method a signal reaches is a declared ``@Slot``: the class's own meta-object carries it. An
    undeclared one becomes a slot of the instance's meta-object, kept in the instance's ``__dict__``,
    and a signal arriving once that had gone (the engine or a timer firing as the announcer was torn
    down) raised "Slot 'SpeechAnnouncer::' not found" in the event loop.
    """

    started = Signal(str)  # an announcement begins to be said
    spoken = Signal(str)   # an announcement has been said (or given up)

    def __init__(self, engine: QTextToSpeech, options: VoiceOptions, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.engine = engine
        engine.setParent(self)
        self.options = options
        self._queue: deque[tuple[str, bool]] = deque()
        self._current: str | None = None
        self._speaking = False
        self.chime_problem = chime_problem(options.chime) if options.chime is not None else ""
        self._chime: Chime | None = None
        self._chime_ms = 0
        if options.chime is not None and not self.chime_problem:
            self._chime = Chime(options.chime, options.volume, self)  # the system's player, not Qt Multimedia
            self._chime.playingChanged.connect(self._chime_changed)
            self._chime_ms = chime_length_ms(options.chime)
        self._chime_wait = QTimer(self)  # the chime's end, should the sound device never tell it
        self._chime_wait.setSingleShot(True)
        self._chime_wait.timeout.connect(self._say_current)
        self._watchdog = QTimer(self)
        self._watchdog.setSingleShot(True)
        self._watchdog.setInterval(SPEAK_TIMEOUT_MS)
        self._watchdog.timeout.connect(self._finished)
        # The breath between two announcements: a timer of the announcer's own, gone with it (PySide's
        # ``QTimer.singleShot`` with a method raised "Slot not found" when it fired as the announcer was torn down).
        self._pause = QTimer(self)
        self._pause.setSingleShot(True)
        self._pause.setInterval(PAUSE_MS)
        self._pause.timeout.connect(self._next)
        engine.stateChanged.connect(self._state_changed)

    @property
    def active(self) -> bool:
        """False while the engine reports an error (speech-dispatcher lost the sound device, say)."""
        from PySide6.QtTextToSpeech import QTextToSpeech

        return bool(self.engine.state() != QTextToSpeech.State.Error)

    @property
    def reason(self) -> str:
        return "" if self.active else unavailable("播报时出错", "请检查音箱是否接好、音量是否打开，再不行请找技术人员")

    @property
    def busy(self) -> bool:
        return self._current is not None

    def announce(self, text: str) -> None:
        for round_ in range(self.options.repetitions):
            self._queue.append((text, round_ == 0))
        self._next()

    def stop(self) -> None:
        self._queue.clear()
        self._chime_wait.stop()
        self._watchdog.stop()
        self._pause.stop()
        self._current, self._speaking = None, False
        if self._chime is not None:
            self._chime.stop()
        self.engine.stop()

    @Slot()
    def _next(self) -> None:
        if self._current is not None or not self._queue:
            return
        text, chime_first = self._queue.popleft()
        self._current = text
        self.started.emit(text)
        if chime_first and self._chime is not None:
            self._chime.play()
            self._chime_wait.start(self._chime_ms + 500)
        else:
            self._say_current()

    @Slot()
    def _chime_changed(self) -> None:
        if self._chime is not None and not self._chime.isPlaying() and self._chime_wait.isActive():
            self._chime_wait.stop()
            self._say_current()

    @Slot()
    def _say_current(self) -> None:
        if self._current is None or self._speaking:
            return
        self._speaking = True
        self._watchdog.start()
        self.engine.say(self._current)

    @Slot("QTextToSpeech::State")
    def _state_changed(self, state: QTextToSpeech.State) -> None:
        from PySide6.QtTextToSpeech import QTextToSpeech

        if self._speaking and state in (QTextToSpeech.State.Ready, QTextToSpeech.State.Error):
            self._finished()

    @Slot()
    def _finished(self) -> None:
        self._watchdog.stop()
        text, self._current, self._speaking = self._current, None, False
        if text is not None:
            self.spoken.emit(text)
        if self._queue:  # the next one after a breath, once the engine has settled
            self._pause.start()


def announcer_from_options(options: VoiceOptions, parent: QObject | None = None) -> SpeechAnnouncer | SilentAnnouncer:
    """The announcer ``options`` ask for: speaking when an engine has the voice, else silent with the reason."""
    if not options.enabled:
        return SilentAnnouncer(SWITCHED_OFF, parent)
    tts, found = _open_engine(options, None)
    if tts is None:
        return SilentAnnouncer(unavailable(found.problem), parent)
    return SpeechAnnouncer(tts, options, parent)


def announcer_from_settings(settings: Settings, parent: QObject | None = None) -> SpeechAnnouncer | SilentAnnouncer:
    """The announcer of this PC's settings (on the GUI thread: the engine reports through its signals)."""
    return announcer_from_options(VoiceOptions.of(settings), parent)

