"""The simulated reader: the same cards for the same seed, card files, no card, unplugged."""

from __future__ import annotations

import base64
import json
import threading
import time
from datetime import date
from pathlib import Path

import pytest

from desktop.devices.factory import reader_from_text
from desktop.devices.idcard import IdCardReader, ReaderError, ReaderProblem, make_card
from desktop.devices.simulated import DEMO_CARDS, SimulatedReader, demo_cards, tiny_bmp
from desktop.domain.identity import validate_resident_id
from tests.helpers import valid_id


def test_demo_cards_are_valid_and_the_same_for_the_same_seed() -> None:
    cards = demo_cards(7)
    assert cards == demo_cards(7) and cards != demo_cards(8) and len(cards) == DEMO_CARDS
    for card in cards:
        assert validate_resident_id(card.id_number) == card.id_number
        assert card.birth_date.strftime("%Y%m%d") == card.id_number[6:14]
        assert card.sex == ("男" if int(card.id_number[16]) % 2 else "女")
        assert card.photo_format == "bmp" and card.valid_from is not None and card.valid_to is not None


def test_each_read_gives_the_next_card_round_and_round() -> None:
    reader = reader_from_text("sim:seed=3")
    assert isinstance(reader, SimulatedReader) and isinstance(reader, IdCardReader)
    assert reader.describe() == "模拟身份证阅读器（演示卡片，种子 3）"
    read = [reader.read(timeout=0).id_number for _ in range(DEMO_CARDS + 1)]
    assert read[:DEMO_CARDS] == [c.id_number for c in demo_cards(3)] and read[-1] == read[0]


def test_no_card_unplugged_and_a_card_placed_while_waiting() -> None:
    reader = reader_from_text("sim:nocard")
    assert isinstance(reader, SimulatedReader)
    with pytest.raises(ReaderError) as empty:
        reader.read(timeout=0)
    assert empty.value.problem is ReaderProblem.NO_CARD and empty.value.message == "请将身份证放在阅读器上"
    card = make_card(name="张三", id_number=valid_id())
    threading.Timer(0.05, reader.place, (card,)).start()
    started = time.monotonic()
    assert reader.read(timeout=60) is card and time.monotonic() - started < 30  # woken by the card, not the timeout
    reader.unplug()
    with pytest.raises(ReaderError) as unplugged:
        reader.read(timeout=0)
    assert unplugged.value.problem is ReaderProblem.NOT_CONNECTED
    reader.plug_in()
    with pytest.raises(ReaderError):
        reader.read(timeout=0.01)
    with pytest.raises(ReaderError, match="请将身份证放在阅读器上"):
        SimulatedReader([]).read(timeout=0)
    unplugged_from_start = reader_from_text("sim:unplugged")
    assert unplugged_from_start is not None and "未连接" in unplugged_from_start.describe()
    with pytest.raises(ReaderError, match="未连接"):
        unplugged_from_start.read(timeout=0)


def test_a_card_file_with_photos_and_empty_turns(tmp_path: Path) -> None:
    (tmp_path / "zp.bmp").write_bytes(tiny_bmp(3, 4, (9, 9, 9)))
    number = valid_id("330726", date(1950, 6, 1), 222)
    cards = [{"name": "赵六", "id_number": number, "valid_from": "2010-03-01", "valid_to": "长期",
              "photo_file": "zp.bmp"},
             None,
             {"name": "钱七", "id_number": valid_id(), "photo_base64": base64.b64encode(b"\x89PNG\r\n\x1a\n").decode()}]
    path = tmp_path / "cards.json"
    path.write_text(json.dumps({"cards": cards}, ensure_ascii=False), encoding="utf-8")
    reader = reader_from_text(f"sim:{path}")
    assert reader is not None and str(path) in reader.describe()
    first = reader.read(timeout=0)
    assert (first.name, first.sex, first.photo_format, first.valid_to) == ("赵六", "女", "bmp", "长期")
    with pytest.raises(ReaderError) as empty_turn:
        reader.read(timeout=0)
    assert empty_turn.value.problem is ReaderProblem.NO_CARD
    assert reader.read(timeout=0).photo_format == "png"


@pytest.mark.parametrize(("content", "said"), [
    ("[", "无法读取"),
    ("[]", "不能为空"),
    ('[{"name": "张三", "id_number": "330726"}]', "第1张卡片的身份证号码应为18位"),
    (json.dumps([{"name": "张三", "id_number": valid_id(), "photo_file": "nope.bmp"}]), "照片无法读取"),
])
def test_a_bad_card_file_fails_the_read_saying_why(tmp_path: Path, content: str, said: str) -> None:
    path = tmp_path / "cards.json"
    path.write_text(content, encoding="utf-8")
    reader = SimulatedReader(cards_file=path)
    with pytest.raises(ReaderError) as failed:
        reader.read(timeout=0)
    assert failed.value.problem is ReaderProblem.READ_FAILED and said in failed.value.message
