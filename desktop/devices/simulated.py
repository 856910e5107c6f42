"""A simulated ID-card reader for tests, demos and training (``sim:`` in the setting ``id_reader``).

Its cards are generated from a seed (same seed, same cards: valid ID numbers, a tiny
photo) or read from a JSON file; each read gives the next card, round and round. It can
also have no card on it or be unplugged, from the setting (``sim:nocard``,
``sim:unplugged``), per turn (``null`` in the card file: no card that time) or by hand
(:meth:`SimulatedReader.place`, :meth:`~SimulatedReader.take_away`,
:meth:`~SimulatedReader.unplug`, :meth:`~SimulatedReader.plug_in`).

A card file is a JSON list (or ``{"cards": [...]}``) of objects with the text fields of a
card (``name``, ``id_number``, ``sex``, ``ethnicity``, ``birth_date``, ``address``,
``issuer``, ``valid_from``, ``valid_to``, dates as ``19800101`` or ``1980-01-01``) and
optionally ``photo_file`` (relative to the card file) or ``photo_base64``.
"""

from __future__ import annotations

import base64
import json
import random
import struct
import threading
import time
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from stdnum.cn import ric

from desktop.devices.idcard import LONG_TERM, CardEnd, IdCard, ReaderError, ReaderProblem, card_from_texts, make_card
from desktop.devices.spec import CARD_FIELDS, FIELD_VALIDITY, SimOptions, SimState

_SURNAMES = "张王李赵陈刘杨黄周吴徐孙朱马胡郭何林罗郑梁宋谢韩唐冯于董"
_GIVEN = "建国秀英志强丽华文杰海燕明辉晓东桂兰永红春梅国平玉珍德福雪峰金凤伟俊"
#: Region code, address prefix and issuing police bureau of the generated cards.
_REGIONS: tuple[tuple[str, str, str], ...] = (
    ("330726", "浙江省浦江县浦阳街道", "浦江县公安局"),
    ("330782", "浙江省义乌市稠城街道", "义乌市公安局"),
    ("330702", "浙江省金华市婺城区城东街道", "金华市公安局婺城分局"),
    ("330102", "浙江省杭州市上城区湖滨街道", "杭州市公安局上城区分局"),
)
_STREETS = ("和平路", "人民路", "解放街", "工业大道", "平安巷", "新华路")
_NATIONS = ("汉", "汉", "汉", "汉", "畲", "回", "苗")
#: Cards generated per seed before they repeat.
DEMO_CARDS = 8


def tiny_bmp(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A 24-bit BMP of one colour (what readers hand over as the card photo, only smaller)."""
    row = bytes((rgb[2], rgb[1], rgb[0])) * width
    row += b"\0" * (-len(row) % 4)
    pixels = row * height
    header = struct.pack("<2sIHHI", b"BM", 54 + len(pixels), 0, 0, 54)
    info = struct.pack("<IiiHHIIiiII", 40, width, height, 1, 24, 0, len(pixels), 3780, 3780, 0, 0)
    return header + info + pixels


def _years_later(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def demo_cards(seed: int = 0, count: int = DEMO_CARDS) -> list[IdCard]:
    """``count`` valid, made-up cards, the same for the same seed."""
    rng = random.Random(seed)
    cards = []
    for _ in range(count):
        region, address, issuer = rng.choice(_REGIONS)
        birth = date(1940, 1, 1) + timedelta(days=rng.randrange(365 * 65))
        sequence = rng.randrange(1, 1000)
        body = f"{region}{birth:%Y%m%d}{sequence:03d}"
        number = body + ric.calc_check_digit(body + "0")  # it wants a place for the check digit
        name = rng.choice(_SURNAMES) + "".join(rng.choice(_GIVEN) for _ in range(rng.choice((1, 2))))
        issued = max(_years_later(birth, 16), date(2005, 1, 1)) + timedelta(days=rng.randrange(365 * 10))
        age = issued.year - birth.year
        valid_to: CardEnd = LONG_TERM if age >= 46 else _years_later(issued, 20 if age >= 26 else 10)
        shade = rng.randrange(120, 230)
        cards.append(make_card(name=name, id_number=number, ethnicity=rng.choice(_NATIONS), birth_date=birth,
                               address=f"{address}{rng.choice(_STREETS)}{rng.randrange(1, 300)}号", issuer=issuer,
                               valid_from=issued, valid_to=valid_to, photo=tiny_bmp(8, 10, (shade, shade, 200))))
    return cards


def load_cards(path: Path) -> list[IdCard | None]:
    """Cards of a JSON card file (``null``: no card on that turn); :class:`ReaderError` if it cannot be used."""
    where = f"模拟阅读器的卡片文件 {path}"
    try:
        data: Any = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ReaderError(ReaderProblem.READ_FAILED, f"{where} 无法读取：{exc}") from None
    if isinstance(data, dict):
        data = data.get("cards")
    if not isinstance(data, list) or not data:
        raise ReaderError(ReaderProblem.READ_FAILED, f"{where} 应是卡片的列表（或 {{\"cards\": [...]}}），且不能为空")
    cards: list[IdCard | None] = []
    for number, entry in enumerate(data, start=1):
        if entry is None:
            cards.append(None)
            continue
        if not isinstance(entry, dict):
            raise ReaderError(ReaderProblem.READ_FAILED, f"{where} 第{number}张卡片应是对象或 null")
        texts = {key: str(entry[key]) for key in (*CARD_FIELDS, FIELD_VALIDITY) if entry.get(key) is not None}
        try:
            photo = None
            if entry.get("photo_file"):
                photo = (path.parent / str(entry["photo_file"])).read_bytes()
            elif entry.get("photo_base64"):
                photo = base64.b64decode(str(entry["photo_base64"]), validate=True)
        except (OSError, ValueError) as exc:
            raise ReaderError(ReaderProblem.READ_FAILED, f"{where} 第{number}张卡片的照片无法读取：{exc}") from None
        cards.append(card_from_texts(texts, photo, origin=f"{where} 第{number}张卡片的"))
    return cards


class SimulatedReader:
    """A reader without hardware. Thread-safe: the screens may place cards while a worker reads."""

    def __init__(self, cards: Sequence[IdCard | None] | None = None, *, seed: int = 0, cards_file: Path | None = None,
                 state: SimState = "card", name: str = "") -> None:
        self._cards: list[IdCard | None] | None = list(cards) if cards is not None else None
        self._given = len(cards) if cards is not None else None
        self._seed = seed
        self._cards_file = cards_file
        self._name = name
        self._turn = 0
        self._placed: IdCard | None = None
        self._always_empty = state == "nocard"
        self._unplugged = state == "unplugged"
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self.reads = 0  # successful reads, for tests

    @classmethod
    def from_options(cls, options: SimOptions) -> SimulatedReader:
        cards_file = Path(options.cards_file).expanduser() if options.cards_file else None
        return cls(seed=options.seed, cards_file=cards_file, state=options.state)

    def describe(self) -> str:
        if self._name:
            where = self._name
        elif self._cards_file is not None:
            where = f"卡片文件 {self._cards_file}"
        elif self._given is not None:
            where = f"{self._given} 张卡片"
        else:
            where = f"演示卡片，种子 {self._seed}"
        state = "，未连接" if self._unplugged else ("，无卡" if self._always_empty else "")
        return f"模拟身份证阅读器（{where}{state}）"

    def cards(self) -> list[IdCard | None]:
        """The cards it cycles through (loading the card file the first time)."""
        with self._lock:
            return list(self._deck())

    def _deck(self) -> list[IdCard | None]:
        if self._cards is None:
            self._cards = load_cards(self._cards_file) if self._cards_file else list(demo_cards(self._seed))
        return self._cards

    # -- the hand of the person at the counter --
    def place(self, card: IdCard) -> None:
        """Put ``card`` on the reader: the next read gives it (once)."""
        with self._changed:
            self._placed = card
            self._changed.notify_all()

    def take_away(self) -> None:
        """No card from now on (until one is placed)."""
        with self._changed:
            self._placed = None
            self._always_empty = True

    def unplug(self) -> None:
        with self._changed:
            self._unplugged = True

    def plug_in(self) -> None:
        with self._changed:
            self._unplugged = False
            self._changed.notify_all()

    # -- the reader --
    def read(self, timeout: float) -> IdCard:
        deadline = time.monotonic() + max(timeout, 0.0)
        with self._changed:
            if self._unplugged:
                raise ReaderError(ReaderProblem.NOT_CONNECTED, "身份证阅读器未连接（模拟），请检查阅读器的连接线")
            deck = self._deck() if self._placed is None and not self._always_empty else []
            if deck:
                card = deck[self._turn % len(deck)]
                self._turn += 1
                if card is not None:
                    self.reads += 1
                    return card
            while self._placed is None:  # no card this turn: wait for one to be placed
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise ReaderError(ReaderProblem.NO_CARD)
                self._changed.wait(remaining)
                if self._unplugged:
                    raise ReaderError(ReaderProblem.NOT_CONNECTED, "身份证阅读器未连接（模拟），请检查阅读器的连接线")
            placed, self._placed = self._placed, None
            self.reads += 1
            return placed
