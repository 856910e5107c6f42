"""The shipped pinyin table reads every character as pypinyin does, and is pypinyin's output."""

from __future__ import annotations

import runpy
import threading
from pathlib import Path

import pytest

from desktop.domain import pinyin
from desktop.domain.identity import _char_pinyin
from desktop.domain.pinyin import PinyinTable

pypinyin = pytest.importorskip("pypinyin", reason="pypinyin (a development dependency) is not installed")
from pypinyin.pinyin_dict import pinyin_dict  # noqa: E402

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "make_pinyin_table.py"


def _lazy(ch: str) -> str:
    return "".join(pypinyin.lazy_pinyin(ch)).lower()


def test_every_character_pypinyin_knows_reads_the_same_from_the_table() -> None:
    table = pinyin.table()
    differ = {chr(cp): (table.reading(cp), _lazy(chr(cp))) for cp in pinyin_dict
              if table.reading(cp) != _lazy(chr(cp))}
    assert differ == {}
    assert len(table) == len(pinyin_dict)
    assert [pinyin.reading(ch) for ch in "张建国绿女𪚥"] == ["zhang", "jian", "guo", "lv", "nv", "zhe"]


def test_characters_without_a_reading_stay_themselves_lower_case_as_with_pypinyin() -> None:
    unread = [cp for cp in (*range(0x3400, 0xA000), *range(0xF900, 0xFB00), *range(0x20000, 0x323B0))
              if cp not in pinyin_dict]
    assert len(unread) > 1000
    assert all(pinyin.reading(chr(cp)) is None for cp in unread)
    assert {chr(cp): _char_pinyin(chr(cp)) for cp in unread} == {chr(cp): _lazy(chr(cp)) for cp in unread}
    others = "Aa9ßİΣ· _-"
    assert [pinyin.reading(ch) for ch in others] == [None] * len(others)
    assert [_char_pinyin(ch) for ch in others] == [_lazy(ch) for ch in others]
    assert _char_pinyin("〇") == _lazy("〇") == "ling"


def test_the_generator_writes_the_committed_file_byte_for_byte() -> None:
    generated = runpy.run_path(str(SCRIPT))["table_bytes"]()
    assert generated == pinyin.table_path().read_bytes()


def test_table_round_trips_and_rejects_damaged_files() -> None:
    readings = {0x4E00: "yi", 0x4E01: "ding", 0x4E03: "qi", 0x3007: "ling", 0x20000: "he", 0x2A6A5: "zhe"}
    built = PinyinTable.build(readings)
    data = built.to_bytes()
    again = PinyinTable.from_bytes(data)
    assert again.to_bytes() == data
    assert {cp: again.reading(cp) for cp in readings} == readings
    assert again.reading(0x4E02) is None and again.reading(0x20001) is None and again.reading(0x41) is None
    assert len(again) == len(readings)
    for damaged in (b"XXXX" + data[4:], data[:-1], data + b"\0"):
        with pytest.raises(ValueError):
            PinyinTable.from_bytes(damaged)


def test_table_is_read_once_by_the_first_of_many_threads(monkeypatch: pytest.MonkeyPatch) -> None:
    loads: list[int] = []
    real = PinyinTable.from_bytes

    def counted(data: bytes) -> PinyinTable:
        loads.append(1)
        return real(data)

    monkeypatch.setattr(pinyin, "_table", None)
    monkeypatch.setattr(PinyinTable, "from_bytes", staticmethod(counted))
    start = threading.Barrier(8)
    results: list[str | None] = []

    def look_up() -> None:
        start.wait()
        results.append(pinyin.reading("曾"))

    threads = [threading.Thread(target=look_up) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == ["ceng"] * 8
    assert loads == [1]


def test_self_test_checks_the_table_and_names_it_when_it_is_missing(monkeypatch: pytest.MonkeyPatch,
                                                                  tmp_path: Path) -> None:
    from desktop.selftest import Missing, check_word_data

    assert f"拼音检索数据（{len(pinyin_dict)} 个汉字）" in check_word_data()
    monkeypatch.setattr(pinyin, "_table", None)
    monkeypatch.setattr(pinyin, "table_path", lambda: tmp_path / "readings.bin")
    with pytest.raises(Missing, match=f"拼音数据 {tmp_path / 'readings.bin'} 无法读取"):
        check_word_data()
    (tmp_path / "readings.bin").write_bytes(PinyinTable.build({0x5F20: "zhang"}).to_bytes())
    with pytest.raises(Missing, match="拼音数据有误"):
        check_word_data()
