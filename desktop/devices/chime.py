"""提示音: the hall display's chime, a WAV file played before an announcement.

Played by the system's own sound player — ``paplay`` (PulseAudio, and PipeWire's PulseAudio
server on newer desktops), ``pw-play`` (PipeWire) or ``aplay`` (ALSA) — as a child process,
and on Windows by ``winsound``. Qt Multimedia's ``QSoundEffect`` would do the same through an
FFmpeg backend of about 21 MB in the installed bundle, for one short sound.

:class:`Chime` has the part of ``QSoundEffect``'s interface the announcer uses (``play``,
``stop``, ``isPlaying``, ``playingChanged``), so it stands in for it unchanged. It is a Qt
object (the player's end arrives as a signal on the GUI thread); starting a player is a
fork and exec, never a wait.
"""

from __future__ import annotations

import shutil
import sys
import wave
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QObject, QProcess, QTimer, Signal

#: What to install where no player is found (Debian, UOS, Kylin).
INSTALL_HINT = "apt-get install pulseaudio-utils（或 alsa-utils）"


def player_command(path: Path, volume: float, which: Callable[[str], str | None] = shutil.which) -> list[str] | None:
    """The command that plays ``path`` at ``volume`` (0 … 1) on this PC, or None without a player.

    The sound server's client first (it mixes with the speech, which speech-dispatcher sends to
    the same server), ALSA's ``aplay`` last (it plays at the system's volume: it has no volume
    option of its own).
    """
    volume = min(1.0, max(0.0, volume))
    if (paplay := which("paplay")) is not None:
        return [paplay, f"--volume={round(volume * 65536)}", str(path)]
    if (pw_play := which("pw-play")) is not None:
        return [pw_play, f"--volume={volume:.2f}", str(path)]
    if (aplay := which("aplay")) is not None:
        return [aplay, "-q", str(path)]
    return None


def wav_length_ms(path: Path) -> int:
    with wave.open(str(path), "rb") as sound:
        return int(1000 * sound.getnframes() / max(1, sound.getframerate()))


class Chime(QObject):
    """One WAV file, played on request; ``playingChanged`` when it starts and when it has ended.

    ``problem`` says (in words for whoever sets the PC up) why nothing will be heard: no player
    on this PC. ``command`` replaces the player (tests; a player of one's own).
    """

    playingChanged = Signal()

    def __init__(self, path: Path, volume: float = 1.0, parent: QObject | None = None,
                 command: Sequence[str] | None = None) -> None:
        super().__init__(parent)
        self.path = path
        self._volume = volume
        self._command = list(command) if command is not None else None
        self._playing = False
        self._process: QProcess | None = None
        self._timer = QTimer(self)  # Windows: winsound tells no end, the file's length does
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._ended)
        self.problem = ""
        if sys.platform != "win32" and self._command is None and player_command(path, volume) is None:
            self.problem = f"本机没有播放提示音的程序：{INSTALL_HINT}"

    def isPlaying(self) -> bool:  # QSoundEffect's name
        return self._playing

    def play(self) -> None:
        self.stop()
        if sys.platform == "win32" and self._command is None:
            import winsound

            winsound.PlaySound(str(self.path), winsound.SND_FILENAME | winsound.SND_ASYNC | winsound.SND_NODEFAULT)
            self._timer.start(wav_length_ms(self.path))
            self._set_playing(True)
            return
        command = [*self._command, str(self.path)] if self._command is not None else \
            player_command(self.path, self._volume)
        if command is None:
            return
        process = QProcess(self)
        process.setProcessChannelMode(QProcess.ProcessChannelMode.ForwardedErrorChannel)
        process.setStandardOutputFile(QProcess.nullDevice())
        process.finished.connect(lambda _code, _status, p=process: self._finished(p))
        process.errorOccurred.connect(lambda error, p=process: self._failed(p, error))
        self._process = process
        self._set_playing(True)
        process.start(command[0], command[1:])

    def stop(self) -> None:
        self._timer.stop()
        if sys.platform == "win32" and self._command is None:
            import winsound

            winsound.PlaySound(None, 0)
        process, self._process = self._process, None
        if process is not None:
            process.kill()
            process.waitForFinished(1000)  # the kill has been delivered: reap it, no zombie
            process.deleteLater()
        self._set_playing(False)

    def _finished(self, process: QProcess) -> None:
        if process is self._process:
            self._process = None
            process.deleteLater()
            self._ended()

    def _failed(self, process: QProcess, error: QProcess.ProcessError) -> None:
        if error == QProcess.ProcessError.FailedToStart:  # no finished() follows
            self._finished(process)

    def _ended(self) -> None:
        self._set_playing(False)

    def _set_playing(self, playing: bool) -> None:
        if playing != self._playing:
            self._playing = playing
            self.playingChanged.emit()
