"""The ID-card reader setting as text: ``none``, ``sim:…``, ``sdk:<library>[:port]``, ``keyboard:<fields>``.

Parsed here without touching any device or file, so that the settings, ``doctor`` and
the settings screen can check a value cheaply (this module imports nothing slow: the
settings read it before the first window is painted).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

Backend = Literal["none", "sim", "sdk", "keyboard"]
BACKENDS: Final[tuple[Backend, ...]] = ("none", "sim", "sdk", "keyboard")

SPEC_HELP: Final = ("应为以下之一：none（不使用阅读器）、"
                    "sim:（模拟阅读器，可加 seed=数字、nocard、unplugged 或卡片文件.json）、"
                    "sdk:（阅读器厂商的 termb 驱动库，默认 libtermb.so / termb.dll）、sdk:库文件路径、"
                    "sdk:库文件路径:端口（USB 1001–1016，串口 1–16）、keyboard:（键盘输入式阅读器）、"
                    "keyboard:name,sex,…,id_number（按阅读器输出的字段顺序）")

# -- the fields of a card, by the key used in settings, JSON card files and keyboard formats --
FIELD_NAME: Final = "name"
FIELD_SEX: Final = "sex"
FIELD_ETHNICITY: Final = "ethnicity"
FIELD_BIRTH_DATE: Final = "birth_date"
FIELD_ADDRESS: Final = "address"
FIELD_ID_NUMBER: Final = "id_number"
FIELD_ISSUER: Final = "issuer"
FIELD_VALID_FROM: Final = "valid_from"
FIELD_VALID_TO: Final = "valid_to"
#: A keyboard column holding the whole validity period (``20100101-20300101``).
FIELD_VALIDITY: Final = "validity"
#: A keyboard column to ignore.
FIELD_SKIP: Final = "skip"

#: Text fields of a card in the order printed on it (front: 姓名…公民身份号码, back: 签发机关, 有效期限).
CARD_FIELDS: Final[tuple[str, ...]] = (FIELD_NAME, FIELD_SEX, FIELD_ETHNICITY, FIELD_BIRTH_DATE, FIELD_ADDRESS,
                                       FIELD_ID_NUMBER, FIELD_ISSUER, FIELD_VALID_FROM, FIELD_VALID_TO)
FIELD_LABELS: Final[dict[str, str]] = {
    FIELD_NAME: "姓名", FIELD_SEX: "性别", FIELD_ETHNICITY: "民族", FIELD_BIRTH_DATE: "出生日期",
    FIELD_ADDRESS: "住址", FIELD_ID_NUMBER: "公民身份号码", FIELD_ISSUER: "签发机关",
    FIELD_VALID_FROM: "有效期起始日期", FIELD_VALID_TO: "有效期截止日期", FIELD_VALIDITY: "有效期限",
    FIELD_SKIP: "（忽略）",
}
#: Other names accepted for a field in a keyboard format and in labelled keyboard output (``姓名:张三``).
FIELD_ALIASES: Final[dict[str, str]] = {
    "姓名": FIELD_NAME, "性别": FIELD_SEX, "nation": FIELD_ETHNICITY, "民族": FIELD_ETHNICITY,
    "birthday": FIELD_BIRTH_DATE, "birth": FIELD_BIRTH_DATE, "出生": FIELD_BIRTH_DATE, "出生日期": FIELD_BIRTH_DATE,
    "住址": FIELD_ADDRESS, "地址": FIELD_ADDRESS, "id": FIELD_ID_NUMBER, "idcode": FIELD_ID_NUMBER,
    "公民身份号码": FIELD_ID_NUMBER, "身份证号": FIELD_ID_NUMBER, "身份证号码": FIELD_ID_NUMBER,
    "department": FIELD_ISSUER, "签发机关": FIELD_ISSUER, "start_date": FIELD_VALID_FROM,
    "有效期起始日期": FIELD_VALID_FROM, "end_date": FIELD_VALID_TO, "有效期截止日期": FIELD_VALID_TO,
    "有效期限": FIELD_VALIDITY, "有效期": FIELD_VALIDITY, "-": FIELD_SKIP, "_": FIELD_SKIP, "忽略": FIELD_SKIP,
}
KEYBOARD_FIELDS: Final[frozenset[str]] = frozenset((*CARD_FIELDS, FIELD_VALIDITY, FIELD_SKIP))
#: What most keyboard-output readers type: the card's fields in printed order, the period as two dates.
DEFAULT_KEYBOARD_ORDER: Final[tuple[str, ...]] = CARD_FIELDS

# -- ports of the termb SDK: CVR_InitComm(port) --
USB_PORTS: Final = range(1001, 1017)
SERIAL_PORTS: Final = range(1, 17)

SimState = Literal["card", "nocard", "unplugged"]


class DeviceSettingError(ValueError):
    """A device's setting that cannot be understood; ``message`` says what is expected, in Chinese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ReaderSpecError(DeviceSettingError):
    """A reader setting that cannot be understood; the message says what is expected."""


@dataclass(frozen=True)
class ReaderSpec:
    backend: Backend
    target: str = ""  # sim options, SDK library[:port], keyboard field order

    def __str__(self) -> str:
        return "none" if self.backend == "none" else f"{self.backend}:{self.target}"


@dataclass(frozen=True)
class SimOptions:
    """``sim:`` options: a seed for the built-in cards or a JSON file of cards, and what the reader does."""

    seed: int = 0
    cards_file: str = ""
    state: SimState = "card"


@dataclass(frozen=True)
class SdkTarget:
    """``sdk:`` target: the library (empty: the platform's default name) and the port (None: search)."""

    library: str = ""
    port: int | None = None


def describe_port(port: int) -> str:
    return f"USB 端口 {port}" if port in USB_PORTS else f"串口 {port}（COM{port}）"


def parse_reader_spec(text: str) -> ReaderSpec:
    """``none`` when empty; anything else must name one of the backends (with or without ``:``)."""
    value = text.strip()
    if not value:
        return ReaderSpec("none")
    backend, _colon, target = value.partition(":")
    backend = backend.strip().lower()
    if backend not in BACKENDS:
        raise ReaderSpecError(f"身份证阅读器设置“{value}”无法识别，{SPEC_HELP}")
    spec = ReaderSpec(backend, target.strip())
    if spec.backend == "none" and spec.target:
        raise ReaderSpecError(f"身份证阅读器设置“{value}”无法识别：none 后面不能再写内容；{SPEC_HELP}")
    if spec.backend == "sim":
        parse_sim_options(spec.target)
    elif spec.backend == "sdk":
        parse_sdk_target(spec.target)
    elif spec.backend == "keyboard":
        parse_field_order(spec.target)
    return spec


def parse_sim_options(text: str) -> SimOptions:
    """Comma-separated: ``seed=N``, ``nocard``, ``unplugged``, ``file=PATH`` or a path ending in ``.json``."""
    seed, cards_file = 0, ""
    state: SimState = "card"
    for raw in text.split(","):
        item = raw.strip()
        key, equals, value = item.partition("=")
        key = key.strip().lower()
        if not item:
            continue
        if equals and key == "seed":
            try:
                seed = int(value.strip())
            except ValueError:
                raise ReaderSpecError(f"模拟阅读器的 seed 须为整数，而不是“{value.strip()}”") from None
        elif equals and key == "file" and value.strip():
            cards_file = value.strip()
        elif not equals and item.lower().endswith(".json"):
            cards_file = item
        elif not equals and key in ("nocard", "unplugged"):
            state = "nocard" if key == "nocard" else "unplugged"
        else:
            raise ReaderSpecError(f"模拟阅读器选项“{item}”无法识别，可用：seed=数字、nocard（无卡）、"
                                  "unplugged（未连接）、卡片文件.json")
    return SimOptions(seed=seed, cards_file=cards_file, state=state)


def parse_sdk_target(text: str) -> SdkTarget:
    """``""``, ``LIBRARY``, ``LIBRARY:PORT`` or ``PORT`` (a Windows path ``C:\\…`` keeps its drive colon)."""
    value = text.strip()
    library, port_text = value, ""
    if value.isdigit():
        library, port_text = "", value
    else:
        head, colon, tail = value.rpartition(":")
        if colon and tail.strip().isdigit():
            library, port_text = head.strip(), tail.strip()
    if not port_text:
        return SdkTarget(library, None)
    port = int(port_text)
    if port not in USB_PORTS and port not in SERIAL_PORTS:
        raise ReaderSpecError(f"身份证阅读器端口 {port} 无效：USB 阅读器为 1001–1016，串口阅读器为 1–16"
                              "（不写端口则自动查找）")
    return SdkTarget(library, port)


def field_key(name: str) -> str | None:
    """The field key for a name or alias (``姓名``, ``nation``, ``Name``), or None."""
    key = name.strip()
    if key.lower() in KEYBOARD_FIELDS:
        return key.lower()
    return FIELD_ALIASES.get(key) or FIELD_ALIASES.get(key.lower())


def parse_field_order(text: str) -> tuple[str, ...]:
    """A keyboard reader's column order: field names (or 姓名/民族/… aliases) separated by commas.

    Empty means :data:`DEFAULT_KEYBOARD_ORDER`. The order must hold the name and the ID number,
    each field at most once (``skip`` may repeat).
    """
    if not text.strip():
        return DEFAULT_KEYBOARD_ORDER
    names = text.replace("，", ",").replace("+", ",").split(",")
    order: list[str] = []
    for name in names:
        key = field_key(name)
        if key is None:
            raise ReaderSpecError(f"键盘阅读器字段“{name.strip()}”无法识别，可用："
                                  + "、".join(f"{k}（{FIELD_LABELS[k]}）" for k in (*CARD_FIELDS, FIELD_VALIDITY,
                                                                                  FIELD_SKIP)))
        if key != FIELD_SKIP and key in order:
            raise ReaderSpecError(f"键盘阅读器字段“{name.strip()}”重复")
        order.append(key)
    missing = [FIELD_LABELS[k] for k in (FIELD_NAME, FIELD_ID_NUMBER) if k not in order]
    if missing:
        raise ReaderSpecError("键盘阅读器的字段顺序至少要包括姓名和公民身份号码，缺少：" + "、".join(missing))
    if FIELD_VALIDITY in order and (FIELD_VALID_FROM in order or FIELD_VALID_TO in order):
        raise ReaderSpecError("键盘阅读器的字段顺序中，validity（有效期限）与 valid_from/valid_to 只能用其一")
    return tuple(order)
