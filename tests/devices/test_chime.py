"""The chime through the system's sound player: which player, its volume, its start and end, stopped midway.

The players here are small Python programs standing in for ``paplay`` (this machine has no
sound device): one that reads the WAV file through and ends, one that plays until it is
stopped, and one that does not exist.
"""

from __future__ import annotations

import sys
import wave
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from desktop.devices.chime import Chime, player_command, wav_length_ms

#: Reads the WAV file it is given (as a player would) and writes its frame count beside it.
PLAYS = [sys.executable, "-c", "import sys, wave; w = wave.open(sys.argv[1]); "
                               "open(sys.argv[1] + '.played', 'w').write(str(w.getnframes()))"]
#: Plays until stopped (waits on its input, which stays open).
ENDLESS = [sys.executable, "-c", "import sys; sys.stdin.read()"]


def _wav(path: Path, ms: int = 200) -> Path:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(b"\x00\x10" * (8 * ms))
    return path


def test_the_sound_servers_player_first_with_the_volume_and_alsa_last() -> None:
    wav = Path("/srv/叮咚.wav")
    every = {"paplay": "/usr/bin/paplay", "pw-play": "/usr/bin/pw-play", "aplay": "/usr/bin/aplay"}
    assert player_command(wav, 0.5, every.get) == ["/usr/bin/paplay", "--volume=32768", "/srv/叮咚.wav"]
    assert player_command(wav, 1.7, every.get) == ["/usr/bin/paplay", "--volume=65536", "/srv/叮咚.wav"]
    no_pulse = {k: v for k, v in every.items() if k != "paplay"}
    assert player_command(wav, 0.25, no_pulse.get) == ["/usr/bin/pw-play", "--volume=0.25", "/srv/叮咚.wav"]
    assert player_command(wav, 0.25, {"aplay": "/usr/bin/aplay"}.get) == ["/usr/bin/aplay", "-q", "/srv/叮咚.wav"]
    assert player_command(wav, 1.0, {}.get) is None


def test_a_pc_without_a_player_is_told_what_to_install(qtbot: QtBot, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no paplay, pw-play or aplay on it
    chime = Chime(_wav(tmp_path / "ding.wav"))
    assert chime.problem == "本机没有播放提示音的程序：apt-get install pulseaudio-utils（或 alsa-utils）"
    chime.play()  # nothing to play with: not stuck playing
    assert not chime.isPlaying()
    chime.deleteLater()


def test_the_chime_is_played_through_and_its_end_is_told(qtbot: QtBot, tmp_path: Path) -> None:
    wav = _wav(tmp_path / "ding.wav", ms=300)
    assert wav_length_ms(wav) == 300
    chime = Chime(wav, command=PLAYS)
    assert chime.problem == "" and not chime.isPlaying()
    changes: list[bool] = []
    chime.playingChanged.connect(lambda: changes.append(chime.isPlaying()))
    chime.play()
    assert chime.isPlaying()
    qtbot.waitUntil(lambda: changes == [True, False], timeout=10_000)
    assert (tmp_path / "ding.wav.played").read_text() == "2400"  # the whole file, 300 ms at 8 kHz
    chime.play()  # again, as before the next announcement
    qtbot.waitUntil(lambda: changes == [True, False, True, False], timeout=10_000)
    chime.deleteLater()


def test_stopping_ends_the_player_at_once(qtbot: QtBot, tmp_path: Path) -> None:
    chime = Chime(_wav(tmp_path / "ding.wav"), command=ENDLESS)
    changes: list[bool] = []
    chime.playingChanged.connect(lambda: changes.append(chime.isPlaying()))
    chime.play()
    process = chime._process
    assert process is not None
    qtbot.waitUntil(lambda: process.processId() != 0, timeout=10_000)
    chime.stop()
    assert changes == [True, False] and not chime.isPlaying() and chime._process is None
    chime.deleteLater()


def test_a_player_that_cannot_start_does_not_hold_the_announcement(qtbot: QtBot, tmp_path: Path) -> None:
    chime = Chime(_wav(tmp_path / "ding.wav"), command=[str(tmp_path / "no-such-player")])
    changes: list[bool] = []
    chime.playingChanged.connect(lambda: changes.append(chime.isPlaying()))
    chime.play()
    qtbot.waitUntil(lambda: changes == [True, False], timeout=10_000)
    chime.deleteLater()
