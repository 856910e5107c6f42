"""Identity of a petitioner: documents, phones, masking and name search keys.

Everything here is pure and fast: it runs on every keystroke at the counter and
over a million generated records. Dates are handed in (never read from a clock).
Bad input raises :class:`~desktop.domain.errors.ValidationError` with a Chinese
message and a stable English code; the maskers never raise.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from datetime import date
from enum import StrEnum
from functools import cache
from typing import Final

from stdnum import exceptions as stdnum_exceptions
from stdnum.cn import ric

from desktop.domain import pinyin
from desktop.domain.calendar import date_in_words
from desktop.domain.errors import ValidationError

__all__ = [
    "COMPOUND_SURNAMES",
    "MAX_CHINESE_NAME",
    "MAX_LATIN_NAME",
    "MAX_ORGANISATION_NAME",
    "MAX_PHONE_INPUT",
    "NAME_RULE",
    "ORGANISATION_DOCUMENTS",
    "DocumentType",
    "document_flag",
    "id_birth_date",
    "id_gender",
    "id_region_code",
    "invisible_char",
    "mask_address",
    "mask_id_number",
    "mask_name",
    "mask_phone",
    "name_readings",
    "name_search_keys",
    "normalise_name",
    "to_halfwidth",
    "unify_name_dots",
    "upgrade_old_id",
    "validate_document",
    "validate_international_phone",
    "validate_landline",
    "validate_mobile",
    "validate_name",
    "validate_party_name",
    "validate_phone",
    "validate_resident_id",
]


class DocumentType(StrEnum):
    """Identity document shown at registration (证件类型)."""

    RESIDENT_ID = "居民身份证"
    HK_MACAO_PERMIT = "港澳居民来往内地通行证"
    TAIWAN_PERMIT = "台湾居民来往大陆通行证"
    HK_MACAO_TW_RESIDENCE = "港澳台居民居住证"
    FOREIGN_PERMANENT = "外国人永久居留身份证"
    PASSPORT = "护照"
    OTHER = "其他证件"
    NONE = "无证件"


# ---------------------------------------------------------------------------
# Character normalisation
# ---------------------------------------------------------------------------

#: Full-width ASCII (U+FF01–U+FF5E) to half-width, ideographic space to space.
_HALFWIDTH: Final[dict[int, int]] = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_HALFWIDTH[0x3000] = 0x20

#: Middle-dot look-alikes typed in minority names, all mapped to U+00B7 "·".
_NAME_DOTS: Final = "・･•‧∙⋅"
_NAME_TABLE: Final[dict[int, int]] = {**_HALFWIDTH, **{ord(c): 0xB7 for c in _NAME_DOTS}}

_CJK_CLASS: Final = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"  # Extensions B–H too
_CJK_RE: Final = re.compile(f"[{_CJK_CLASS}]")
_CJK_SPACE_RE: Final = re.compile(f"(?<=[{_CJK_CLASS}]) (?=[{_CJK_CLASS}])")
_CJK_DOT_RE: Final = re.compile(f"(?<=[{_CJK_CLASS}])\\.(?=[{_CJK_CLASS}])")
_DOT_SPACE_RE: Final = re.compile(r"\s*·\s*")


def invisible_char(text: str) -> str | None:
    """The first character of a name or label that shows nothing or breaks its line, else None.

    Control characters (a line break, a tab, a bell), line and paragraph separators, invisible format characters
    (a zero-width space, a direction override: "综\u200b合" looks like "综合" and slipped past the duplicate check) and
    lone surrogates; the zero-width joiner that emoji sequences need is allowed.
    """
    for c in text:
        category = unicodedata.category(c)
        if category in ("Cc", "Cs", "Zl", "Zp") or (category == "Cf" and c != "\u200d"):
            return c
    return None


def unify_name_dots(text: str) -> str:
    """Every middle-dot look-alike typed in a minority name (・ • ‧ …) as the one kept, "·"."""
    return text.translate({ord(c): 0xB7 for c in _NAME_DOTS})


def to_halfwidth(text: str) -> str:
    """Map full-width letters, digits, punctuation and the ideographic space to ASCII."""
    return text.translate(_HALFWIDTH)


def _compact_upper(text: str) -> str:
    """Half-width, upper-case, every whitespace character removed."""
    return "".join(text.translate(_HALFWIDTH).split()).upper()


# ---------------------------------------------------------------------------
# Resident identity card number (GB 11643)
# ---------------------------------------------------------------------------

#: Earliest plausible birth year in an 18-digit number (issued from 1999 on).
MIN_BIRTH_YEAR: Final = 1880
_ID_CHARS: Final = frozenset("0123456789X")
_DIGITS: Final = frozenset("0123456789")


def _validate_gb11643(text: str, label: str, field: str, today: date | None) -> str:
    """Validate an 18-character GB 11643 number; ``label`` names it in messages."""
    number = _compact_upper(text)
    if not number:
        raise ValidationError(f"{field}_empty", f"请输入{label}", field)
    if not _ID_CHARS.issuperset(number):
        raise ValidationError(
            f"{field}_chars",
            f"{label}只能由数字和末位的X组成，请检查是否输入了其他字符",
            field,
        )
    # Plain words, the same at the kiosk and at the counter: an old citizen reads them, and a clerk loses nothing
    # (the card in hand is what both compare with).
    card = "身份证" if label == "身份证号码" else "证件"
    if len(number) != 18:
        hint = ""
        if len(number) == 15:
            # the first-generation number an old person remembers; the standard's 18-character form of it is
            # what the card most likely carries (unless the region code changed since), given to compare with
            upgraded = upgrade_old_id(number)
            hint = "：这是老身份证的15位号码，现在的身份证号码是18位" + (
                f"，一般是 {upgraded}，请对照身份证核对后输入" if upgraded else "，请照身份证上的号码输入")
        raise ValidationError(
            f"{field}_length", f"{label}应为18位，您输入了{len(number)}位{hint}", field
        )
    if "X" in number[:17]:
        raise ValidationError(f"{field}_chars", f"{label}只有最后一位可以是X", field)
    try:
        birth = ric.get_birth_date(number)
    except (stdnum_exceptions.ValidationError, ValueError):
        raise ValidationError(
            f"{field}_birth_date",
            f"{label}第7至14位是出生日期，“{number[6:14]}”这一天不存在，请对照{card}再看一遍",
            field,
        ) from None
    if birth.year < MIN_BIRTH_YEAR:
        raise ValidationError(
            f"{field}_birth_date",
            f"{label}中的出生年份{birth.year}不对，请对照{card}再看一遍第7至10位",
            field,
        )
    if today is not None and birth > today:
        raise ValidationError(
            f"{field}_birth_future",
            f"{label}中的出生日期{date_in_words(birth)}晚于今天，请对照{card}再看一遍第7至14位",
            field,
        )
    if ric.calc_check_digit(number) != number[17]:
        raise ValidationError(
            f"{field}_checksum",
            f"{label}不对，请对照{card}一位一位再看一遍（18位号码的最后一位可能是X）",
            field,
        )
    return number


def upgrade_old_id(number: str) -> str | None:
    """The 18-character number of a 15-digit first-generation ID number, or None if it cannot be one.

    GB 11643-1999 upgrades an old number by writing the birth year in full (19yy) and adding
    the check character. The holder's second-generation card carries this number unless the
    region code changed since; the clerk checks it with the visitor.
    """
    digits = _compact_upper(number)
    if len(digits) != 15 or not _DIGITS.issuperset(digits):
        return None
    body = f"{digits[:6]}19{digits[6:]}"
    try:
        ric.get_birth_date(body + "0")
    except (stdnum_exceptions.ValidationError, ValueError):
        return None
    return body + ric.calc_check_digit(body + "0")


def validate_resident_id(text: str, today: date | None = None) -> str:
    """Normalise and validate an 18-character resident ID number; return it.

    Normalisation: surrounding and inner whitespace removed, full-width to
    half-width, ``x`` to ``X``. The checksum (ISO 7064 MOD 11-2) and the birth
    date come from ``stdnum.cn.ric``; the region code is not looked up (codes
    change and an old card stays valid). A birth date after ``today`` is refused
    when ``today`` is given.
    """
    return _validate_gb11643(text, "身份证号码", "id_number", today)


def id_birth_date(number: str) -> date:
    """Birth date encoded in a resident ID number (validated first)."""
    valid = validate_resident_id(number)
    return date(int(valid[6:10]), int(valid[10:12]), int(valid[12:14]))


def id_gender(number: str) -> str:
    """"男" or "女" from the 17th digit (odd = male) of a resident ID number."""
    valid = validate_resident_id(number)
    return "男" if int(valid[16]) % 2 else "女"


def id_region_code(number: str) -> str:
    """The 6-digit administrative division code at the start of a resident ID number."""
    return validate_resident_id(number)[:6]


# ---------------------------------------------------------------------------
# Other documents
# ---------------------------------------------------------------------------

_GENERIC_DOC_RE: Final = re.compile(r"[A-Z0-9]{5,20}")
_FOREIGN_OLD_RE: Final = re.compile(r"[A-Z]{3}[0-9]{12}")
_OTHER_DOC_MAX: Final = 40


def document_flag(doc_type: DocumentType | str) -> str | None:
    """A note to flag on the registration, or ``None`` when the document needs none."""
    if doc_type == DocumentType.NONE:
        return "未出示证件"
    return None


def _coerce_doc_type(doc_type: DocumentType | str) -> DocumentType:
    try:
        return DocumentType(doc_type)
    except ValueError:
        raise ValidationError(
            "document_type_unknown", f"未知的证件类型：{doc_type}", "document_type"
        ) from None


def validate_document(
    doc_type: DocumentType | str, number: str, today: date | None = None
) -> str:
    """Validate a document number for its type and return it normalised.

    * resident ID: :func:`validate_resident_id`;
    * HK/Macao/Taiwan residence permit: GB 11643 like the ID card, region 81/82/83;
    * foreign permanent residence ID: the 2017 form (3 letters + 12 digits) or the
      2023 18-digit form (starts with 9, GB 11643 check digit);
    * permits and passports: 5–20 letters/digits with at least one digit;
    * other documents: any text up to 40 characters;
    * no document: the number must be empty, ``""`` is returned.
    """
    kind = _coerce_doc_type(doc_type)
    field = "document_number"
    if kind is DocumentType.RESIDENT_ID:
        return _validate_gb11643(number, "身份证号码", field, today)
    if kind is DocumentType.NONE:
        if number.translate(_HALFWIDTH).strip():
            raise ValidationError(
                "document_none_number", "证件类型为“无证件”时不应填写证件号码", field
            )
        return ""
    compact = _compact_upper(number)
    label = f"{kind.value}号码"
    if not compact:
        raise ValidationError(f"{field}_empty", f"请输入{label}", field)
    if kind is DocumentType.HK_MACAO_TW_RESIDENCE:
        valid = _validate_gb11643(compact, label, field, today)
        if valid[:2] not in ("81", "82", "83"):
            raise ValidationError(
                f"{field}_region", f"{label}应以81（香港）、82（澳门）或83（台湾）开头", field
            )
        return valid
    if kind is DocumentType.FOREIGN_PERMANENT:
        if _FOREIGN_OLD_RE.fullmatch(compact):
            return compact
        if len(compact) == 18 and compact[0] == "9":
            return _validate_gb11643(compact, label, field, today)
        raise ValidationError(
            f"{field}_format",
            f"{label}应为15位（3位字母加12位数字）或以9开头的18位号码",
            field,
        )
    if kind is DocumentType.OTHER:
        if len(compact) > _OTHER_DOC_MAX or not compact.isprintable():
            raise ValidationError(
                f"{field}_format", f"{label}过长或含有不可打印字符（最多{_OTHER_DOC_MAX}个字符）",
                field,
            )
        return compact
    if not _GENERIC_DOC_RE.fullmatch(compact) or _DIGITS.isdisjoint(compact):
        raise ValidationError(
            f"{field}_format", f"{label}应为5至20位字母或数字（须含数字），请核对", field
        )
    return compact


# ---------------------------------------------------------------------------
# Phones
# ---------------------------------------------------------------------------

_PHONE_SEPARATORS_RE: Final = re.compile(r"[\s\-‐‑–—()（）.]")
_MOBILE_RE: Final = re.compile(r"1[3-9][0-9]{9}")
_EXTENSION_RE: Final = re.compile(
    r"^(?P<main>.*?)\s*(?:转|分机|ext\.?|x|#|,|，)\s*(?P<ext>[0-9]{1,6})$", re.IGNORECASE
)
_AREA_PREFIX_RE: Final = re.compile(r"^\s*(?:\+\s*86|0086)[\s\-]*")
#: Longest phone text parsed: ``+86 (0571) 8765-4321 转 123456`` has 30 characters. Longer text is
#: refused before any pattern runs (the extension pattern is quadratic in runs of spaces).
MAX_PHONE_INPUT: Final = 64


def _check_phone_length(text: str, label: str, field: str) -> None:
    if len(text) > MAX_PHONE_INPUT:
        raise ValidationError(
            f"{field}_too_long", f"{label}过长（不超过{MAX_PHONE_INPUT}个字符），请核对", field
        )


def _strip_country_code(digits: str) -> tuple[str, bool]:
    """Drop a +86 / 0086 prefix; ``(rest, had_prefix)``."""
    if digits.startswith("+86"):
        return digits[3:], True
    if digits.startswith("0086"):
        return digits[4:], True
    return digits, False


def validate_mobile(text: str) -> str:
    """Validate a mainland mobile number; return its 11 digits.

    Spaces, hyphens, brackets, full-width digits and a +86 / 0086 / 86 prefix are
    tolerated.
    """
    field = "mobile"
    _check_phone_length(text, "手机号码", field)
    core = _PHONE_SEPARATORS_RE.sub("", text.translate(_HALFWIDTH))
    if not core:
        raise ValidationError("mobile_empty", "请输入手机号码", field)
    core, prefixed = _strip_country_code(core)
    if not prefixed and len(core) == 13 and core.startswith("86"):
        core = core[2:]
    if not core.isascii() or not core.isdigit():
        raise ValidationError("mobile_chars", "手机号码只能包含数字", field)
    if len(core) != 11:
        raise ValidationError("mobile_length", f"手机号码应为11位，您输入了{len(core)}位", field)
    if not _MOBILE_RE.fullmatch(core):
        raise ValidationError("mobile_prefix", "手机号码应以13至19开头，请核对", field)
    return core


def _area_code_length(digits: str) -> int:
    """Length of the area code at the start of ``digits``: 010/02X have 3, others 4."""
    return 3 if digits[1:2] in ("1", "2") else 4


def _split_landline(text: str) -> tuple[str, str, str]:
    """``(area, local, extension)`` of a landline, not yet validated."""
    field = "landline"
    _check_phone_length(text, "固定电话", field)
    s = text.translate(_HALFWIDTH).strip()
    ext = ""
    m = _EXTENSION_RE.match(s)
    if m:
        s, ext = m.group("main"), m.group("ext")
    prefixed = False
    p = _AREA_PREFIX_RE.match(s)
    if p:
        s, prefixed = s[p.end():], True
    s = s.replace("（", "(").replace("）", ")")
    if not re.fullmatch(r"[0-9\s\-‐‑–—()]*", s):
        raise ValidationError("landline_chars", "固定电话只能包含数字、区号括号和连字符", field)
    groups = re.findall(r"[0-9]+", s)
    if not groups:
        raise ValidationError("landline_empty", "请输入固定电话号码", field)
    if prefixed and not groups[0].startswith("0"):
        groups[0] = "0" + groups[0]
    if not groups[0].startswith("0"):
        raise ValidationError("landline_area", "固定电话请填写区号，如 0571-87654321", field)
    if len(groups) == 1 or (len(groups) == 2 and len(groups[0]) > 4):
        whole = groups[0]
        cut = _area_code_length(whole)
        area, local = whole[:cut], whole[cut:]
        if len(groups) == 2:
            if ext:
                raise ValidationError("landline_format", "固定电话格式不正确", field)
            ext = groups[1]
    elif len(groups) in (2, 3):
        if len(groups) == 3 and len(groups[2]) == 4 and len(groups[1]) in (3, 4):
            groups = [groups[0], groups[1] + groups[2]]  # 0571-8765-4321
        area, local = groups[0], groups[1]
        if len(groups) == 3:
            if ext:
                raise ValidationError("landline_format", "固定电话格式不正确", field)
            ext = groups[2]
    else:
        raise ValidationError("landline_format", "固定电话格式不正确，应如 0571-87654321", field)
    return area, local, ext


def validate_landline(text: str) -> str:
    """Validate a landline with area code; return ``"0571-87654321"`` (``-ext`` appended).

    Accepts ``(0571)87654321``, ``0571 87654321``, ``057187654321``,
    ``+86 571 87654321`` and extensions written ``-123``, ``转123`` or ``ext 123``.
    """
    field = "landline"
    area, local, ext = _split_landline(text)
    if len(area) not in (3, 4) or area[1] == "0" or len(area) != _area_code_length(area):
        raise ValidationError(
            "landline_area", f"区号{area}不正确，应如 010、021 或 0571", field
        )
    if not 7 <= len(local) <= 8 or local[0] in "01":
        raise ValidationError(
            "landline_length", "固定电话号码（区号后）应为7至8位数字，且不以0或1开头", field
        )
    if len(ext) > 6:
        raise ValidationError("landline_extension", "分机号最多6位", field)
    return f"{area}-{local}" + (f"-{ext}" if ext else "")


#: A phone outside the mainland, written with its country code (E.164: at most 15 digits).
_INTERNATIONAL_RE: Final = re.compile(r"\+[1-9][0-9]{6,14}")


def validate_international_phone(text: str) -> str:
    """A number outside the mainland (Hong Kong, Macao, Taiwan, abroad): ``+`` or ``00``, the country
    code and the number; returned as ``+85291234567``. +86 is the mainland's and refused here."""
    field = "phone"
    _check_phone_length(text, "联系电话", field)
    core = _PHONE_SEPARATORS_RE.sub("", text.translate(_HALFWIDTH))
    if core.startswith("00"):
        core = "+" + core[2:]
    if core.startswith("+86"):
        raise ValidationError("phone_international", "+86 是内地号码，请直接填写手机或带区号的固定电话", field)
    if not _INTERNATIONAL_RE.fullmatch(core):
        raise ValidationError(
            "phone_international",
            "境外电话请写“+”、国家或地区代码和号码，如 +852 9123 4567（最多15位数字）", field)
    return core


def _is_international(text: str) -> bool:
    core = _PHONE_SEPARATORS_RE.sub("", text.translate(_HALFWIDTH))
    return core.startswith(("+", "00")) and not core.startswith(("+86", "0086"))


def validate_phone(text: str) -> str:
    """Validate a mobile, a landline or a number outside the mainland; return its normalised form.

    Mainland numbers as :func:`validate_mobile` / :func:`validate_landline`; a number written with
    another country code (``+852 9123 4567``, ``0044 20 7946 0958``) as
    :func:`validate_international_phone`.
    """
    if not text.translate(_HALFWIDTH).strip():
        raise ValidationError("phone_empty", "请输入联系电话（手机或带区号的固定电话）", "phone")
    _check_phone_length(text, "联系电话", "phone")
    if _is_international(text):
        return validate_international_phone(text)
    probe = re.sub(r"[^0-9+]", "", text.translate(_HALFWIDTH))
    core, prefixed = _strip_country_code(probe)
    if not prefixed and len(core) == 13 and core.startswith("861"):
        core, prefixed = core[2:], True
    if not any(c.isdigit() for c in core):
        raise ValidationError(
            "phone_format", "请输入11位手机号码，或带区号的固定电话（如 0571-87654321）", "phone"
        )
    if core.startswith("1") and not (prefixed and core.startswith("10")):
        return validate_mobile(text)
    return validate_landline(text)


# ---------------------------------------------------------------------------
# Masking
# ---------------------------------------------------------------------------


def _mask_middle(s: str, head: int, tail: int) -> str:
    return s[:head] + "*" * (len(s) - head - tail) + (s[len(s) - tail:] if tail else "")


def mask_id_number(text: str) -> str:
    """Mask a document number: 15+ chars keep first 6 and last 4, 8–14 keep 2 and 2.

    Shorter numbers keep only their first and last character (one or two: all masked).
    """
    s = _compact_upper(text)
    n = len(s)
    if n >= 15:
        return _mask_middle(s, 6, 4)
    if n >= 8:
        return _mask_middle(s, 2, 2)
    if n >= 3:
        return _mask_middle(s, 1, 1)
    return "*" * n


def mask_phone(text: str) -> str:
    """Mask a phone: mobiles ``138****5678``, landlines keep area code and last 2 digits."""
    if not text.strip():
        return ""
    try:
        phone = validate_phone(text)
    except ValidationError:
        s = _compact_upper(text)
        return _mask_middle(s, 2, 2) if len(s) >= 8 else "*" * len(s)
    if "-" not in phone:
        return _mask_middle(phone, 3, 4)
    area, local, *ext = phone.split("-")
    masked = f"{area}-{_mask_middle(local, 0, 2)}"
    return masked + "".join("-" + "*" * len(e) for e in ext)


#: Two-character surnames kept whole by :func:`mask_name` (when the name has ≥3 characters).
COMPOUND_SURNAMES: Final = frozenset(
    {
        "欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙",
        "宇文", "司徒", "夏侯", "轩辕", "令狐", "端木", "司空", "澹台", "公冶", "宗政",
        "濮阳", "淳于", "单于", "太叔", "申屠", "钟离", "闻人", "赫连", "万俟", "呼延",
        "南宫", "西门", "百里", "东郭", "拓跋", "独孤", "闾丘", "鲜于", "第五", "左丘",
        "公羊", "谷梁", "乐正", "漆雕", "巫马", "子车", "颛孙", "司寇",
    }
)


def mask_name(text: str) -> str:
    """Mask a name: ``张*``, ``张**``, ``欧阳**``; ``阿**·***`` keeps the first character."""
    s = normalise_name(text)
    if not s:
        return ""
    if "·" in s or not _CJK_RE.fullmatch(s[0]) or " " in s:
        return s[0] + "".join(c if c in "· " else "*" for c in s[1:])
    if len(s) == 1:
        return "*"
    keep = 2 if len(s) >= 3 and s[:2] in COMPOUND_SURNAMES else 1
    return s[:keep] + "*" * (len(s) - keep)


_ADDR_BODY: Final = (
    f"(?:(?![省市区县旗盟路街巷弄号楼幢栋室])[{_CJK_CLASS}])"
)
_ADDRESS_RE: Final = re.compile(
    rf"(?P<prov>北京市|天津市|上海市|重庆市|{_ADDR_BODY}{{2,7}}(?:省|自治区|特别行政区))?"
    rf"(?P<pref>{_ADDR_BODY}{{1,12}}(?:市(?![场口])|自治州|地区|盟))?"
    rf"(?P<county>{_ADDR_BODY}{{1,15}}(?:县|区|市(?![场口])|旗))?"
)
_NOT_COUNTY_ENDINGS: Final = ("小区", "社区", "校区")


def mask_address(text: str) -> str:
    """Keep an address up to its county level (县/区/市/旗) and hide the rest as ``****``.

    Province and prefecture are kept when present; text that does not start with
    an administrative division is hidden entirely.
    """
    s = text.strip()
    if not s:
        return ""
    m = _ADDRESS_RE.match(s)
    keep = m.end() if m else 0
    if m and m.group("county") and m.group("county").endswith(_NOT_COUNTY_ENDINGS):
        keep = m.start("county")
    return s[:keep] + ("****" if keep < len(s) else "")


# ---------------------------------------------------------------------------
# Names and search keys
# ---------------------------------------------------------------------------


def normalise_name(text: str) -> str:
    """Strip, collapse spaces, full-width to half-width, unify the middle dot "·".

    Spaces between two Chinese characters are dropped ("张 三" → "张三").
    """
    s = " ".join(text.translate(_NAME_TABLE).split())
    if not s:
        return ""
    s = _CJK_DOT_RE.sub("·", s)
    s = _DOT_SPACE_RE.sub("·", s)
    return _CJK_SPACE_RE.sub("", s)


#: The longest Chinese name taken (汉字 and "·"). The resident ID card's chip holds 15 characters (GA/T 490: 30
#: bytes of UCS-2); the printed card and the household register hold longer minority names, given name, father's
#: name and family name joined by "·" (transliterated Uyghur and Tibetan names of 20 characters are met). Twice
#: the chip's length keeps every real name and turns away a sentence pasted into the field.
MAX_CHINESE_NAME: Final = 30
#: The longest name in Latin letters (a foreigner's, as the passport spells it, spaces included): the passport's
#: machine-readable zone holds 39 (ICAO Doc 9303, TD3); the printed page may spell a few more.
MAX_LATIN_NAME: Final = 50
#: What a name may be, said to the citizen and the clerk alike.
NAME_RULE: Final = "姓名只能填写汉字（少数民族姓名可用“·”），外籍人员可填写英文字母"

#: Characters of a Chinese name: the unified ideographs with Extensions A–I (the rare characters beyond U+FFFF that
#: names such as 赵孟𫖯 need), the compatibility ideographs, 〇, and the private-use area (the character a card reader
#: gives for a rare character the card stores there).
_NAME_HAN: Final = ("\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ue000-\uf8ff"
                    "\U00020000-\U000323af")
_NAME_HAN_RE: Final = re.compile(f"[{_NAME_HAN}]")
_CHINESE_NAME_RE: Final = re.compile(f"[{_NAME_HAN}]+(?:·[{_NAME_HAN}]+)*")
#: A Latin name's shape once each letter is "a": words joined by one space, hyphen or apostrophe, or a dot of an
#: initial ("J. R. Smith", "St.John"), ending in a letter or such a dot.
_LATIN_NAME_RE: Final = re.compile(r"a+(?:(?:[-' ]|\. ?)a+)*\.?")
#: Apostrophes and hyphens as word processors and phones type them, as the one kept.
_LATIN_MARKS: Final[dict[int, int]] = {**{ord(c): ord("'") for c in "’‘`´ʼ′"}, **{ord(c): ord("-") for c in "‐‑‒–"}}
#: Kangxi radicals (U+2F00–U+2FD5) look like the ideographs they stand for; text copied from a PDF brings them.
_RADICALS: Final[dict[int, str]] = {cp: unicodedata.normalize("NFKC", chr(cp)) for cp in range(0x2F00, 0x2FD6)}


def _latin_letter(c: str) -> bool:
    return unicodedata.category(c).startswith("L") and unicodedata.name(c, "").startswith("LATIN ")


def _shown(c: str) -> str:
    """A character as a message names it: an invisible one in words."""
    if c == " ":
        return "空格"
    if unicodedata.category(c)[0] in "CMZ":
        return "看不见的字符"
    return f"“{c}”"


def _first_named(refused: Iterable[str]) -> str | None:
    """The character a refusal names: the first one seen (😀 in "李 😀"), else a space."""
    found = list(refused)
    return next((c for c in found if c != " "), found[0] if found else None)


def validate_name(text: str, what: str = "") -> str:
    """A person's name as it is kept, or ValidationError saying what to change (``what``: whose, e.g. 代理人).

    A Chinese name is 汉字 (rare characters beyond U+FFFF included), a minority or transliterated foreign name
    its parts joined by "·" (• ・ ‧ and a dot typed between two characters become it; spaces between characters
    go), at most :data:`MAX_CHINESE_NAME` characters. A foreigner's name is Latin letters (accents included)
    in words joined by a space, a hyphen or an apostrophe, initials with a dot, at most :data:`MAX_LATIN_NAME`.
    Digits, emoji, symbols and other punctuation are refused, and so is a name mixing the two scripts.
    """
    name = normalise_name(text.translate(_RADICALS))
    if not any(unicodedata.category(c)[0] in "LNS" for c in name):  # empty, or only dots and marks
        raise ValidationError("name_required", f"请填写{what}姓名", "name")
    hidden = next((c for c in name if unicodedata.category(c) in ("Cc", "Cf", "Cs", "Zl", "Zp")), None)
    if hidden is not None:
        raise ValidationError("name_control_char",
                              f"{what}姓名含有不可见的控制字符（U+{ord(hidden):04X}），请重新输入", "name")
    if name.lower().startswith(("http://", "https://", "www.")):  # another QR code scanned into the name
        raise ValidationError("name_is_address",
                              f"{what}姓名栏里是一个网址（可能是扫描了别的二维码），请删除后填写姓名", "name")
    if not any(unicodedata.category(c)[0] == "L" for c in name):  # 330726…: a number typed one field too low
        raise ValidationError("name_without_letters",
                              f"{what}姓名只有数字或符号，请检查是否把证件号码或电话填进了姓名栏", "name")
    chinese = _NAME_HAN_RE.search(name) is not None
    if not chinese:
        name = unicodedata.normalize("NFC", name.translate(_LATIN_MARKS))
    limit = MAX_CHINESE_NAME if chinese else MAX_LATIN_NAME
    if len(name) > limit:
        unit = "姓名太长了（最多{}个字" if chinese else "英文姓名太长了（最多{}个字母和空格"
        raise ValidationError("name_too_long", what + unit.format(limit) + f"，现在有{len(name)}个）", "name")
    latin = any(_latin_letter(c) for c in name)
    if chinese and latin:
        raise ValidationError("name_mixed", f"{what}{NAME_RULE}，汉字和字母不能混在一起", "name")
    if chinese:
        bad = _first_named(c for c in name if c != "·" and not _NAME_HAN_RE.fullmatch(c))
        if bad is not None:
            raise ValidationError("name_chars", f"{what}{NAME_RULE}，不能有{_shown(bad)}", "name")
        if not _CHINESE_NAME_RE.fullmatch(name):
            raise ValidationError("name_dot", f"{what}姓名中的“·”只能写在两个字之间，每处一个", "name")
        return name
    bad = _first_named(c for i, c in enumerate(name) if not (_latin_letter(c) or c in " -'."
                                                             or (unicodedata.category(c) == "Mn" and i
                                                                 and _latin_letter(name[i - 1]))))
    if bad == "·":  # "John·Smith", spelt as a Chinese text spells a foreign name
        raise ValidationError("name_chars", f"{what}英文姓名的各部分请用空格隔开，不用“·”", "name")
    if bad is not None:
        raise ValidationError("name_chars", f"{what}{NAME_RULE}，不能有{_shown(bad)}", "name")
    shape = "".join("a" if _latin_letter(c) else c for c in name if unicodedata.category(c) != "Mn")
    if not _LATIN_NAME_RE.fullmatch(shape):
        raise ValidationError("name_separators", f"{what}英文姓名请以字母开头，字母之间只用一个空格、"
                              "“-”、“'”或“.”隔开", "name")
    return name


#: The longest organisation's name taken for a petitioner (浦江县第2建筑工程有限公司).
MAX_ORGANISATION_NAME: Final = 50
#: Documents a petitioner that is an organisation registers with (its 统一社会信用代码 as 其他证件, or none): such a
#: petitioner may be named as an organisation is (条例第十九条: 信访人的姓名（名称）).
ORGANISATION_DOCUMENTS: Final = frozenset({DocumentType.OTHER, DocumentType.NONE})
#: Refusals of a person's name an organisation's name may pass (digits, punctuation, both scripts, its length).
_SHAPE_PROBLEMS: Final = frozenset({"name_chars", "name_mixed", "name_dot", "name_separators", "name_too_long"})


def validate_party_name(text: str, what: str = "") -> str:
    """A person's name (:func:`validate_name`) or an organisation's (浦江县第2建筑公司, 某某（浙江）有限公司).

    An organisation's name may have digits, punctuation and Latin letters beside 汉字, at most
    :data:`MAX_ORGANISATION_NAME` characters; never emoji or other symbols (nor, as a person's, nothing but
    digits, an invisible character or a web address).
    """
    try:
        return validate_name(text, what)
    except ValidationError as problem:
        if problem.code not in _SHAPE_PROBLEMS:
            raise
        name = normalise_name(text.translate(_RADICALS))
        if len(name) > MAX_ORGANISATION_NAME:
            raise ValidationError("name_too_long", f"{what}姓名（名称）太长了（最多{MAX_ORGANISATION_NAME}个字，"
                                  f"现在有{len(name)}个）", "name") from None
        bad = next((c for c in name if unicodedata.category(c)[0] not in "LNPZ"), None)
        if bad is not None:
            raise ValidationError("name_chars", f"{what}姓名（名称）不能有{_shown(bad)}", "name") from None
        return name


#: Surname readings that differ from the everyday reading of the character.
_SURNAME_READINGS: Final[dict[str, tuple[str, ...]]] = {
    "单": ("shan",), "曾": ("zeng",), "解": ("xie",), "仇": ("qiu",), "区": ("ou",),
    "查": ("zha",), "朴": ("piao",), "翟": ("zhai",), "乐": ("yue",), "缪": ("miao",),
    "覃": ("qin",), "盖": ("ge",), "繁": ("po",), "员": ("yun",), "种": ("chong",),
    "秘": ("bi",), "召": ("shao",), "折": ("she",), "尉": ("yu",), "柏": ("bai",),
    "长孙": ("zhang", "sun"), "尉迟": ("yu", "chi"), "万俟": ("mo", "qi"),
    "单于": ("chan", "yu"), "澹台": ("tan", "tai"), "乐正": ("yue", "zheng"),
}


@cache
def _char_pinyin(ch: str) -> str:
    """Toneless pinyin of one character (pypinyin's ``lazy_pinyin`` default reading), lower-case.

    Read from the shipped table (:mod:`desktop.domain.pinyin`, 150 KB where pypinyin's
    dictionary took 11 MB in every process that indexes a name); a character it has no
    reading for stays itself, lower-cased, as ``lazy_pinyin`` gives it back.
    """
    return pinyin.reading(ch) or ch.lower()


def _syllables(part: str) -> list[str]:
    """Pinyin syllables of a CJK run, latin words kept whole (lower-case)."""
    out: list[str] = []
    word = ""
    for ch in part:
        if _CJK_RE.fullmatch(ch):
            if word:
                out.append(word)
                word = ""
            out.append(_char_pinyin(ch))
        elif ch.isalnum():
            word += ch.lower()
    if word:
        out.append(word)
    return out


def name_search_keys(name: str) -> list[str]:
    """Keys a name is indexed under: full name, 1–2 character pieces, pinyin.

    Pinyin keys are the full toneless reading ("zhangjianguo") and the initials
    ("zjg"); each character's reading is ``lazy_pinyin``'s default (``Style.NORMAL``;
    the initial is its first letter, as ``Style.FIRST_LETTER`` gives), cached per
    character. A heteronym surname (单 shan, 曾 zeng, 解 xie, 长孙 zhangsun…) is
    indexed under its surname reading and its everyday reading.
    """
    s = normalise_name(name)
    if not s:
        return []
    keys: dict[str, None] = {s.lower(): None}
    parts = [p for p in re.split(r"[\s·.]+", s) if p]
    if len(parts) > 1:
        keys["".join(parts).lower()] = None  # "阿依古丽买买提" typed without the dot
        for part in parts:
            keys[part.lower()] = None  # "买买提", "阿依古丽": the part of a minority name a clerk types
    for part in parts:
        low = part.lower()
        for i in range(len(low)):
            keys[low[i]] = None
            if i + 1 < len(low):
                keys[low[i:i + 2]] = None
    for syllables in _reading_variants(s, parts):
        if syllables:
            keys["".join(syllables)] = None
            keys["".join(x[0] for x in syllables)] = None
    return list(keys)


def _reading_variants(s: str, parts: list[str]) -> list[list[str]]:
    readings = [syl for part in parts for syl in _syllables(part)]
    variants = [readings]
    if _CJK_RE.fullmatch(s[0]) and len(s) >= 2:
        surname = s[:2] if s[:2] in _SURNAME_READINGS and len(s) >= 3 else s[0]
        special = _SURNAME_READINGS.get(surname)
        if special and list(special) != readings[: len(special)]:
            variants.insert(0, [*special, *readings[len(special):]])
    return variants


def name_readings(name: str) -> list[str]:
    """The full toneless readings a name is indexed under ("zhangjianguo"; a heteronym surname's two).

    A name typed with a wrong character of the same sound (张建果 for 张建国, the input
    method's usual slip) has the same reading, so the name is found by it.
    """
    s = normalise_name(name)
    if not s:
        return []
    parts = [p for p in re.split(r"[\s·.]+", s) if p]
    return list(dict.fromkeys("".join(v) for v in _reading_variants(s, parts) if v))
