"""The ID-card reader (二代证阅读器) behind one interface: a card, the reader protocol, its errors.

A reader's :meth:`IdCardReader.read` blocks (it waits for a card up to ``timeout`` seconds
and talks to the device), so it is meant for a worker thread; it returns an :class:`IdCard`
or raises :class:`ReaderError` whose ``message`` is shown to the clerk as is. Backends:
``desktop.devices.simulated`` (demos and tests), ``desktop.devices.termb`` (the vendor SDK
most desktop readers ship), ``desktop.devices.keyboard`` (readers that type the card);
``desktop.devices.factory`` builds the configured one.

Readers give text: :func:`card_from_texts` turns it into a checked card (the ID number
validated by GB 11643, dates and codes understood, birth date and sex taken from the
ID number when the reader gives none), and :func:`parse_keyboard_line` does the same for
a line typed by a keyboard-output reader.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Final, Literal, Protocol, runtime_checkable

from desktop.devices.spec import (
    CARD_FIELDS,
    DEFAULT_KEYBOARD_ORDER,
    FIELD_ADDRESS,
    FIELD_BIRTH_DATE,
    FIELD_ETHNICITY,
    FIELD_ID_NUMBER,
    FIELD_ISSUER,
    FIELD_LABELS,
    FIELD_NAME,
    FIELD_SEX,
    FIELD_SKIP,
    FIELD_VALID_FROM,
    FIELD_VALID_TO,
    FIELD_VALIDITY,
    field_key,
)
from desktop.domain.calendar import date_in_words
from desktop.domain.errors import RuleViolation, ValidationError
from desktop.domain.files import sniff_mime
from desktop.domain.identity import (
    DocumentType,
    id_birth_date,
    id_gender,
    mask_id_number,
    mask_name,
    normalise_name,
    validate_document,
)

__all__ = [
    "LONG_TERM",
    "CardEnd",
    "IdCard",
    "IdCardReader",
    "ReaderError",
    "ReaderProblem",
    "card_from_texts",
    "citizen_words",
    "expiry_notice",
    "make_card",
    "parse_card_date",
    "parse_keyboard_line",
    "photo_format",
]

#: The end of validity printed on cards of people aged 46 or more at issue.
LONG_TERM: Final = "长期"
#: The end of a card's validity: a date or "长期".
CardEnd = date | Literal["长期"]


class ReaderProblem(StrEnum):
    """Why a read gave no card (stable codes for the screens and tests)."""

    NO_CARD = "no_card"
    NOT_CONNECTED = "not_connected"
    AUTH_FAILED = "auth_failed"
    READ_FAILED = "read_failed"
    LIBRARY_MISSING = "library_missing"


#: What the clerk is told when a backend has nothing more precise to say.
MESSAGES: Final[dict[ReaderProblem, str]] = {
    ReaderProblem.NO_CARD: "请将身份证放在阅读器上",
    ReaderProblem.NOT_CONNECTED: "身份证阅读器未连接或端口无法打开，请检查阅读器的连接线和电源",
    ReaderProblem.AUTH_FAILED: "身份证认证失败，请将身份证取下后重新放好",
    ReaderProblem.READ_FAILED: "读取身份证失败，请将身份证取下后重新放好再读",
    ReaderProblem.LIBRARY_MISSING: "找不到身份证阅读器的驱动库，请安装阅读器厂商提供的驱动程序",
}


#: Problems a citizen cannot put right by laying the card down again: the reader itself does not work.
READER_DOWN: Final = frozenset({ReaderProblem.NOT_CONNECTED, ReaderProblem.LIBRARY_MISSING})


def citizen_words(problem: ReaderProblem | None, *, again: str, instead: str) -> str:
    """What a citizen at a kiosk is told when a read gave no card, in the words of someone with a card in hand.

    ``problem`` None: this PC has no reader set up. ``again`` names the button that reads (读取身份证), ``instead``
    the way on without the card (直接填写). The technical reason (port, cable, driver) is for staff, in the log:
    the citizen hears whether laying the card down again helps, and where to go if it does not.
    """
    if problem is None or problem in READER_DOWN:
        return f"读卡器暂时不能用，请{instead}；需要帮助请找工作人员"
    if problem is ReaderProblem.NO_CARD:
        return f"没有读到身份证。请把身份证放好后再点“{again}”，或者{instead}"
    return f"没有读出这张身份证。请把身份证拿起来重新平放，再点“{again}”，或者{instead}"


def expiry_notice(card: IdCard, today: date, *, holder: bool) -> str:
    """Empty for a card still valid (or 长期, or no end given); else that it has expired and until when.

    An expired card still says who its holder is: the registration goes on, and the holder is told to renew it
    (``holder``: to the citizen, 您的身份证…; else to the clerk, to pass on).
    """
    if not card.expired(today):
        return ""
    assert isinstance(card.valid_to, date)
    until = f"（有效期至{date_in_words(card.valid_to)}）"
    if holder:
        return f"您的身份证已过有效期{until}，请及时换领"
    return f"此身份证已过有效期{until}，请提醒来访人及时换领；登记照常进行"


class ReaderError(RuleViolation):
    """A read that gave no card: ``problem`` says why, ``message`` (Chinese) what to do.

    A refusal like any rule's: the screens show its words as they are (no card, reader unplugged),
    never the message for an unexpected error with a reference to quote.
    """

    def __init__(self, problem: ReaderProblem, message: str = "") -> None:
        super().__init__(f"id_reader_{problem.value}", message or MESSAGES[problem])
        self.problem = problem

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True, kw_only=True, repr=False)
class IdCard:
    """What a resident identity card (or a residence permit read the same way) says.

    Plain values, already checked when built by :func:`make_card` / :func:`card_from_texts`
    (the ID number normalised and valid). ``valid_to`` is a date or ``"长期"``; the validity
    dates are None when the reader does not give them (keyboard readers often do not).
    ``photo`` is the image the reader decodes (usually a 102×126 BMP), or None.
    """

    name: str
    sex: str
    ethnicity: str
    birth_date: date
    address: str
    id_number: str
    issuer: str
    valid_from: date | None = None
    valid_to: CardEnd | None = None
    photo: bytes | None = field(default=None, compare=False)

    def __repr__(self) -> str:  # never personal data in logs and tracebacks
        return f"IdCard(name={mask_name(self.name)!r}, id_number={mask_id_number(self.id_number)!r})"

    @property
    def document_type(self) -> DocumentType:
        """Resident ID, or a residence permit (81/82/83…) or a foreigner's permanent residence ID (9…)."""
        if self.id_number[:2] in ("81", "82", "83"):
            return DocumentType.HK_MACAO_TW_RESIDENCE
        if self.id_number.startswith("9"):
            return DocumentType.FOREIGN_PERMANENT
        return DocumentType.RESIDENT_ID

    @property
    def photo_format(self) -> str:
        """``bmp``, ``jpeg``, ``png`` or ``""`` (no photo, or bytes of another kind)."""
        return photo_format(self.photo)

    def expired(self, today: date) -> bool:
        """True when the card's validity ended before ``today`` (unknown or 长期: False)."""
        return isinstance(self.valid_to, date) and self.valid_to < today

    def validity_text(self) -> str:
        """``2010.01.01-2030.01.01`` / ``2010.01.01-长期`` as printed on the card; empty when unknown."""
        if self.valid_from is None and self.valid_to is None:
            return ""
        start = self.valid_from.strftime("%Y.%m.%d") if self.valid_from else ""
        end = self.valid_to.strftime("%Y.%m.%d") if isinstance(self.valid_to, date) else (self.valid_to or "")
        return f"{start}-{end}"


@runtime_checkable
class IdCardReader(Protocol):
    """A configured reader. ``read`` blocks: call it on a worker thread, never on the GUI thread."""

    def describe(self) -> str:
        """What and where the reader is, in Chinese (for the status bar and ``doctor``)."""
        ...

    def read(self, timeout: float) -> IdCard:
        """Wait up to ``timeout`` seconds for a card and read it; :class:`ReaderError` otherwise."""
        ...


def photo_format(photo: bytes | None) -> str:
    mime = sniff_mime(photo)
    return mime.removeprefix("image/") if mime in ("image/bmp", "image/jpeg", "image/png") else ""


# ---------------------------------------------------------------------------
# Text from readers
# ---------------------------------------------------------------------------

#: Ethnic groups by their GB/T 3304 code (some readers give the code, most the name).
NATION_CODES: Final[tuple[str, ...]] = (
    "汉", "蒙古", "回", "藏", "维吾尔", "苗", "彝", "壮", "布依", "朝鲜", "满", "侗", "瑶", "白", "土家",
    "哈尼", "哈萨克", "傣", "黎", "傈僳", "佤", "畲", "高山", "拉祜", "水", "东乡", "纳西", "景颇", "柯尔克孜",
    "土", "达斡尔", "仫佬", "羌", "布朗", "撒拉", "毛南", "仡佬", "锡伯", "阿昌", "普米", "塔吉克", "怒",
    "乌孜别克", "俄罗斯", "鄂温克", "德昂", "保安", "裕固", "京", "塔塔尔", "独龙", "鄂伦春", "赫哲", "门巴",
    "珞巴", "基诺",
)
_OTHER_NATIONS: Final[dict[int, str]] = {97: "其他", 98: "外国血统中国籍人士"}
#: Sex by its GB/T 2261.1 code (0 unknown and 9 unstated give way to the ID number's 17th digit).
SEX_CODES: Final[dict[str, str]] = {"1": "男", "2": "女", "0": "", "9": ""}

_DATE_NUMBERS: Final = re.compile(r"\d+")
_RANGE_SPLIT: Final = re.compile(r"\s*(?:--|-|—|–|~|～|至)\s*")


def parse_card_date(text: str) -> date | Literal["长期"] | None:
    """``19800101``, ``1980-01-01``, ``1980.01.01``, ``1980年1月1日`` → a date; ``长期``; empty → None.

    Anything else raises ValueError.
    """
    value = text.strip().replace("\x00", "")
    if not value:
        return None
    if value == LONG_TERM:
        return LONG_TERM
    numbers = _DATE_NUMBERS.findall(value)
    if len(numbers) == 1 and len(numbers[0]) == 8:
        digits = numbers[0]
        numbers = [digits[:4], digits[4:6], digits[6:]]
    if len(numbers) != 3 or len(numbers[0]) != 4:
        raise ValueError(f"不是日期：{value}")
    return date(int(numbers[0]), int(numbers[1]), int(numbers[2]))


def _sex(text: str) -> str:
    value = text.strip()
    value = SEX_CODES.get(value.lstrip("0") or "0", value) if value.isdigit() else value
    return value.removesuffix("性") if value in ("男性", "女性") else value


def _nation(text: str) -> str:
    value = text.strip()
    if value.isdigit():
        code = int(value)
        if 1 <= code <= len(NATION_CODES):
            return NATION_CODES[code - 1]
        return _OTHER_NATIONS.get(code, value)
    if value.endswith("族") and len(value) > 1:
        return value[:-1]
    return value


def make_card(*, name: str, id_number: str, sex: str = "", ethnicity: str = "", birth_date: date | None = None,
              address: str = "", issuer: str = "", valid_from: date | None = None, valid_to: CardEnd | None = None,
              photo: bytes | None = None, today: date | None = None) -> IdCard:
    """A checked card: the ID number validated (GB 11643) and normalised, the name normalised,
    birth date and sex derived from the ID number when not given.

    Raises :class:`~desktop.domain.errors.ValidationError` for a bad ID number or an empty name.
    """
    number = validate_document(DocumentType.RESIDENT_ID, id_number, today)
    clean_name = normalise_name(name)
    if not clean_name:
        raise ValidationError("name_empty", "没有姓名", "name")
    return IdCard(name=clean_name, sex=_sex(sex) or id_gender(number), ethnicity=_nation(ethnicity),
                  birth_date=birth_date or id_birth_date(number), address=address.strip(), id_number=number,
                  issuer=issuer.strip(), valid_from=valid_from, valid_to=valid_to, photo=photo or None)


def card_from_texts(texts: Mapping[str, str], photo: bytes | None = None, *, origin: str = "阅读器读出的",
                    today: date | None = None) -> IdCard:
    """A card from the texts a reader gives, by field key (``name``, ``id_number``, … , ``validity``).

    Problems raise :class:`ReaderError` (``read_failed``) saying which field, ``origin``
    naming where the text came from (“阅读器读出的”, “刷卡输入的”).
    """
    values = {key: (texts.get(key) or "").replace("\x00", "").strip() for key in (*CARD_FIELDS, FIELD_VALIDITY)}
    if values[FIELD_VALIDITY] and not (values[FIELD_VALID_FROM] or values[FIELD_VALID_TO]):
        values[FIELD_VALID_FROM] = values[FIELD_VALIDITY]
    if values[FIELD_VALID_FROM] and not values[FIELD_VALID_TO]:  # one column holding the whole period
        parts = _RANGE_SPLIT.split(values[FIELD_VALID_FROM])
        if len(parts) == 2:
            values[FIELD_VALID_FROM], values[FIELD_VALID_TO] = parts
    if not values[FIELD_NAME]:
        raise ReaderError(ReaderProblem.READ_FAILED, f"{origin}内容中没有姓名，请重新读卡")
    if not values[FIELD_ID_NUMBER]:
        raise ReaderError(ReaderProblem.READ_FAILED, f"{origin}内容中没有公民身份号码，请重新读卡")
    dates: dict[str, date | Literal["长期"] | None] = {}
    for key in (FIELD_BIRTH_DATE, FIELD_VALID_FROM, FIELD_VALID_TO):
        try:
            dates[key] = parse_card_date(values[key])
        except ValueError:
            raise ReaderError(ReaderProblem.READ_FAILED,
                              f"{origin}{FIELD_LABELS[key]}“{values[key]}”无法识别，请重新读卡") from None
    birth, start, end = dates[FIELD_BIRTH_DATE], dates[FIELD_VALID_FROM], dates[FIELD_VALID_TO]
    if birth == LONG_TERM or start == LONG_TERM:
        field_name = FIELD_BIRTH_DATE if birth == LONG_TERM else FIELD_VALID_FROM
        raise ReaderError(ReaderProblem.READ_FAILED, f"{origin}{FIELD_LABELS[field_name]}不能是“长期”，请重新读卡")
    assert not isinstance(birth, str) and not isinstance(start, str)
    try:
        return make_card(name=values[FIELD_NAME], id_number=values[FIELD_ID_NUMBER], sex=values[FIELD_SEX],
                         ethnicity=values[FIELD_ETHNICITY], birth_date=birth, address=values[FIELD_ADDRESS],
                         issuer=values[FIELD_ISSUER], valid_from=start, valid_to=end, photo=photo, today=today)
    except ValidationError as bad:
        raise ReaderError(ReaderProblem.READ_FAILED, f"{origin}{bad.message}") from None


# ---------------------------------------------------------------------------
# Keyboard-output readers
# ---------------------------------------------------------------------------

#: Column separators of keyboard-output readers, tried in this order.
KEYBOARD_SEPARATORS: Final[tuple[str, ...]] = ("\t", "|", "，", ",", "；", ";")
_LABELLED: Final = re.compile(r"^\s*([^:：=]{1,12})\s*[:：=]\s*(.*)$", re.DOTALL)
#: A column that is meant as a document number (maybe mistyped): digits, X, at least 6 of them.
_NUMBER_LIKE: Final = re.compile(r"[0-9０-９XxＸｘ\s]{6,}")


def _columns(text: str) -> list[str]:
    line = text.strip("\r\n")
    for separator in KEYBOARD_SEPARATORS:
        if separator in line:
            return [part.strip() for part in line.split(separator)]
    return line.split()


def parse_keyboard_line(text: str, order: Sequence[str] = DEFAULT_KEYBOARD_ORDER, *,
                        today: date | None = None) -> IdCard:
    """The card in a line typed by a keyboard-output reader (or pasted by a clerk).

    Columns are separated by tab, ``|``, comma or semicolon (full-width too) and read in
    ``order`` (field keys, see ``desktop.devices.spec``; the ``keyboard:`` setting gives it).
    Labelled output (``姓名:张三|公民身份号码:3307…``) is read by its labels whatever the
    order. A line of two columns is understood either way round (name and ID number).
    Missing trailing columns are fine; the line must hold at least a name and an 18-digit
    ID number, which is validated. Raises :class:`ReaderError` (``read_failed``).
    """
    columns = _columns(text)
    while columns and not columns[-1]:
        columns.pop()
    origin = "刷卡输入的"
    if not columns:
        raise ReaderError(ReaderProblem.NO_CARD, "没有收到身份证内容，请重新刷卡")
    labelled = [_LABELLED.match(c) for c in columns if c]
    texts: dict[str, str] = {}
    if all(labelled) and all(field_key(m.group(1)) for m in labelled if m):
        for match in labelled:
            assert match is not None
            key = field_key(match.group(1))
            if key and key != FIELD_SKIP:
                texts[key] = match.group(2).strip()
    elif len(columns) == 2 and _NUMBER_LIKE.fullmatch(columns[0]) and not _NUMBER_LIKE.fullmatch(columns[1]):
        texts = {FIELD_ID_NUMBER: columns[0], FIELD_NAME: columns[1]}
    elif len(columns) == 2 and _NUMBER_LIKE.fullmatch(columns[1]) and not _NUMBER_LIKE.fullmatch(columns[0]):
        texts = {FIELD_NAME: columns[0], FIELD_ID_NUMBER: columns[1]}
    else:
        if len(columns) > len(order):
            raise ReaderError(ReaderProblem.READ_FAILED,
                              f"{origin}内容有{len(columns)}项，比设置的字段顺序（{len(order)}项）多，"
                              "请核对设置 id_reader 中键盘阅读器的字段顺序")
        texts = {key: value for key, value in zip(order, columns, strict=False) if key != FIELD_SKIP}
    return card_from_texts(texts, origin=origin, today=today)
