"""Case numbers that stay unique offline, and the query code printed for the citizen.

Case number
-----------
``XF-20261124-K01-00012-7``: the prefix ``XF``, the received date, the device
code (2–4 upper-case letters/digits, unique per device), the device's serial
(zero-padded to 5 digits, wider when it grows past 99999) and one check character.
Date + device + serial make it unique without a network.

The check character is a **Damm check over an alphanumeric alphabet of 36
symbols**. Damm's scheme walks a quasigroup table (``state = T[state][symbol]``)
and appends the symbol that brings the state back to 0. With a *totally
anti-symmetric* quasigroup (``(c*x)*y == (c*y)*x`` only when ``x == y``) it
detects every single substitution (rows and columns of a quasigroup are
permutations) and every swap of two adjacent characters, the check character
included. A totally anti-symmetric quasigroup of order 36 is built as the direct
product of ``x*y = a·x + y`` over GF(4) and over GF(9) (``a`` neither 0 nor 1);
``tests/domain/test_numbering.py`` verifies both properties exhaustively over all
36³ (state, x, y) triples, which proves them for numbers of any length.

Why not ISO 7064: MOD 37,36 (the hybrid system with an alphanumeric check) misses
some adjacent transpositions (72 of its 45,360 state/pair combinations; it accepts
both ``XF20261124K01009AH`` and ``XF20261124K0100A9H``), and MOD 37,2 needs a 37th
check symbol ``*``, which would look like a masked character on a receipt. A
linear weighted sum modulo 36 cannot work either: weights and differences of
adjacent weights cannot all be units modulo 36.

The check covers the characters, not the hyphens: a number is accepted with or
without hyphens/spaces. Without them the split between device code and serial is
taken as the longest device code (so the 5-digit serial when there is one); only a
serial of 6+ digits combined with a device code shorter than 4 characters can be
read two ways — type such a number with its hyphens, or look up every reading
given by :func:`case_number_candidates`.

Query code
----------
Eight decimal digits drawn uniformly (rejection sampling, no modulo bias), stored
only as ``v1$<salt hex>$<HMAC-SHA256 hex>`` keyed with the deployment-wide pepper.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Final

from desktop.domain.errors import ValidationError

__all__ = [
    "ALPHABET",
    "CASE_PREFIX",
    "DAMM_TABLE",
    "CaseNumber",
    "case_number_candidates",
    "check_character",
    "checksum_ok",
    "format_query_code",
    "generate_query_code",
    "generate_salt",
    "hash_query_code",
    "make_case_number",
    "normalise_query_code",
    "parse_case_number",
    "validate_case_number",
    "validate_device_code",
    "verify_query_code",
]

ALPHABET: Final = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
CASE_PREFIX: Final = "XF"
SERIAL_WIDTH: Final = 5
MAX_SERIAL: Final = 999_999_999

_VALUE: Final[dict[str, int]] = {c: i for i, c in enumerate(ALPHABET)}


# ---------------------------------------------------------------------------
# Damm quasigroup of order 36 = GF(4) x GF(9)
# ---------------------------------------------------------------------------


def _gf4_times_x(u: int) -> int:
    """Multiply by x in GF(4) = GF(2)[x]/(x²+x+1); ``u`` = b1·x + b0 as 2 bits."""
    b1, b0 = u >> 1, u & 1
    return ((b1 ^ b0) << 1) | b1


def _gf9_times_i(w: int) -> int:
    """Multiply by i in GF(9) = GF(3)[i]/(i²+1); ``w`` = p + q·i encoded 3q + p."""
    p, q = w % 3, w // 3
    return 3 * p + (-q) % 3


def _gf9_add(a: int, b: int) -> int:
    return 3 * ((a // 3 + b // 3) % 3) + (a % 3 + b % 3) % 3


def _build_table() -> tuple[tuple[int, ...], ...]:
    """``T[c][y] = (x·c_4 + y_4, i·c_9 + y_9)`` with symbol v = 9·(GF(4) part) + GF(9) part."""
    rows = []
    for c in range(36):
        cu, cw = divmod(c, 9)
        row = []
        for y in range(36):
            yu, yw = divmod(y, 9)
            row.append(9 * (_gf4_times_x(cu) ^ yu) + _gf9_add(_gf9_times_i(cw), yw))
        rows.append(tuple(row))
    return tuple(rows)


#: The quasigroup table; public for the exhaustive test.
DAMM_TABLE: Final = _build_table()
_FLAT: Final = tuple(v for row in DAMM_TABLE for v in row)
#: For each state, the symbol that takes it to 0.
_CLOSING: Final = tuple(row.index(0) for row in DAMM_TABLE)


def _state(text: str) -> int:
    flat, values = _FLAT, _VALUE
    state = 0
    for ch in text:
        state = flat[state * 36 + values[ch]]
    return state


def check_character(payload: str) -> str:
    """The check character appended to ``payload`` (characters of :data:`ALPHABET`)."""
    return ALPHABET[_CLOSING[_state(payload)]]


def checksum_ok(text: str) -> bool:
    """True when ``text`` (payload + check character, no separators) checks."""
    if not text or not all(c in _VALUE for c in text):
        return False
    return _state(text) == 0


# ---------------------------------------------------------------------------
# Case numbers
# ---------------------------------------------------------------------------

_DEVICE_RE: Final = re.compile(r"[A-Z0-9]{2,4}")
_SEPARATORS: Final = str.maketrans(
    {c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\uff0d_/"}
)
_HALFWIDTH: Final[dict[int, int]] = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_HALFWIDTH[0x3000] = 0x20
_COMPACT_RE: Final = re.compile(r"XF([0-9]{8})([A-Z0-9]{7,13})([A-Z0-9])")
_FORMAT_MESSAGE: Final = "案件编号格式不正确，应如 XF-20261124-K01-00012-7"
_CHECK_MESSAGE: Final = "案件编号校验不符，可能有一位输错或两位颠倒，请核对"


@dataclass(frozen=True, slots=True)
class CaseNumber:
    """A parsed case number; ``text`` is the canonical hyphenated form."""

    received: date
    device_code: str
    serial: int
    text: str

    @property
    def compact(self) -> str:
        """The characters without hyphens (what the check character covers, plus it)."""
        return self.text.replace("-", "")


def validate_device_code(code: str) -> str:
    """Upper-case and validate a device code: 2–4 letters or digits."""
    c = code.translate(_HALFWIDTH).strip().upper()
    if not _DEVICE_RE.fullmatch(c):
        raise ValidationError(
            "device_code_format", f"设备代码“{code}”不正确，应为2至4位大写字母或数字", "device_code"
        )
    return c


def _serial_text(serial: int) -> str:
    return f"{serial:0{SERIAL_WIDTH}d}"


def _serial_ok(text: str) -> bool:
    """A serial as written by :func:`make_case_number`: 5 digits, or wider without leading 0."""
    n = len(text)
    return (
        SERIAL_WIDTH <= n <= len(str(MAX_SERIAL))
        and text.isascii()
        and text.isdigit()
        and (n == SERIAL_WIDTH or text[0] != "0")
    )


def make_case_number(received: date, device_code: str, serial: int) -> str:
    """Build ``XF-YYYYMMDD-<device>-<serial>-<check>`` for a case received on ``received``."""
    device = validate_device_code(device_code)
    if isinstance(serial, bool) or not isinstance(serial, int) or not 0 <= serial <= MAX_SERIAL:
        raise ValidationError(
            "serial_range", f"流水号应为0至{MAX_SERIAL}之间的整数", "serial"
        )
    day = f"{received.year:04d}{received.month:02d}{received.day:02d}"
    serial_text = _serial_text(serial)
    check = check_character(f"{CASE_PREFIX}{day}{device}{serial_text}")
    return f"{CASE_PREFIX}-{day}-{device}-{serial_text}-{check}"


def _format_error() -> ValidationError:
    return ValidationError("case_number_format", _FORMAT_MESSAGE, "case_number")


def _splits(text: str) -> list[tuple[str, str, str, str]]:
    """Possible ``(day, device, serial, check)`` readings of ``text``, best first."""
    s = text.translate(_HALFWIDTH).upper().translate(_SEPARATORS).strip()
    if not s:
        raise ValidationError("case_number_empty", "请输入案件编号", "case_number")
    tokens = [t for t in re.split(r"[\s\-]+", s) if t]
    if tokens and len(tokens[0]) == 10 and tokens[0].startswith(CASE_PREFIX):
        tokens[:1] = [CASE_PREFIX, tokens[0][2:]]
    if len(tokens) == 5:
        prefix, day, device, serial, check = tokens
        if (
            prefix == CASE_PREFIX
            and len(day) == 8
            and day.isascii()
            and day.isdigit()
            and _DEVICE_RE.fullmatch(device)
            and _serial_ok(serial)
            and len(check) == 1
            and check in _VALUE
        ):
            return [(day, device, serial, check)]
    # No usable grouping: read the characters alone (hyphens in odd places are ignored,
    # but five groups that do not fit the format are only forgiven when the check holds).
    joined = "".join(tokens)
    m = _COMPACT_RE.fullmatch(joined)
    if not m or (len(tokens) == 5 and not checksum_ok(joined)):
        raise _format_error()
    day, tail, check = m.groups()
    found = [
        (day, tail[:k], tail[k:], check)
        for k in (4, 3, 2)
        if _DEVICE_RE.fullmatch(tail[:k]) and _serial_ok(tail[k:])
    ]
    if not found:
        raise _format_error()
    return found


def case_number_candidates(text: str) -> tuple[CaseNumber, ...]:
    """Every valid reading of a typed case number, the preferred one first.

    Exactly one unless the number was typed without hyphens and its serial has 6+
    digits (see the module docstring). Raises :class:`ValidationError` when none.
    """
    splits = _splits(text)
    day, device, serial, check = splits[0]
    if not checksum_ok(f"{CASE_PREFIX}{day}{device}{serial}{check}"):
        raise ValidationError("case_number_check", _CHECK_MESSAGE, "case_number")
    try:
        received = date(int(day[:4]), int(day[4:6]), int(day[6:]))
    except ValueError:
        raise ValidationError(
            "case_number_date", f"案件编号中的日期{day}不存在，请核对", "case_number"
        ) from None
    return tuple(
        CaseNumber(received, dev, int(ser), f"{CASE_PREFIX}-{day}-{dev}-{ser}-{check}")
        for _, dev, ser, _ in splits
    )


def parse_case_number(text: str) -> CaseNumber:
    """Normalise, check and split a case number (with or without hyphens/spaces)."""
    return case_number_candidates(text)[0]


def validate_case_number(text: str) -> str:
    """Normalise and check a case number; return the canonical hyphenated text."""
    return case_number_candidates(text)[0].text


# ---------------------------------------------------------------------------
# Query codes
# ---------------------------------------------------------------------------

QUERY_CODE_DIGITS: Final = 8
_CODE_SPACE: Final = 10**QUERY_CODE_DIGITS
#: Largest multiple of 10^8 below 2^32: draws at or above it are rejected (no modulo bias).
_DRAW_LIMIT: Final = (2**32 // _CODE_SPACE) * _CODE_SPACE
_MAX_DRAWS: Final = 64
MIN_PEPPER_BYTES: Final = 16
HASH_VERSION: Final = "v1"
SALT_BYTES: Final = 16


def generate_query_code(token_bytes: Callable[[int], bytes] = secrets.token_bytes) -> str:
    """Draw an 8-digit query code uniformly from ``00000000``–``99999999``.

    Four random bytes are read per draw; values ≥ 4,200,000,000 (2.2 %) are
    drawn again so every code is equally likely.
    """
    for _ in range(_MAX_DRAWS):
        raw = token_bytes(4)
        if len(raw) != 4:
            raise ValueError("random source returned the wrong number of bytes")
        value = int.from_bytes(raw, "big")
        if value < _DRAW_LIMIT:
            return f"{value % _CODE_SPACE:0{QUERY_CODE_DIGITS}d}"
    raise RuntimeError("随机数来源异常：多次取值均无效，无法生成查询码")


def generate_salt(token_bytes: Callable[[int], bytes] = secrets.token_bytes) -> bytes:
    """A fresh 16-byte salt for :func:`hash_query_code`."""
    return token_bytes(SALT_BYTES)


def normalise_query_code(text: str) -> str:
    """Strip spaces/hyphens, full-width digits to ASCII; require 8 digits."""
    s = "".join(text.translate(_HALFWIDTH).translate(_SEPARATORS).replace("-", "").split())
    if len(s) != QUERY_CODE_DIGITS or not s.isascii() or not s.isdigit():
        raise ValidationError("query_code_format", "查询码应为8位数字，请核对", "query_code")
    return s


def format_query_code(code: str) -> str:
    """``"12345678"`` → ``"1234 5678"`` for printing."""
    c = normalise_query_code(code)
    return f"{c[:4]} {c[4:]}"


def _check_pepper(pepper: bytes) -> None:
    if len(pepper) < MIN_PEPPER_BYTES:
        raise ValueError(
            f"查询码散列密钥过短（至少{MIN_PEPPER_BYTES}字节），请检查部署设置 query_code_pepper"
        )


def _digest(code: str, pepper: bytes, salt: bytes) -> bytes:
    message = b"%s$%s$%s" % (HASH_VERSION.encode(), salt.hex().encode(), code.encode())
    return hmac.new(pepper, message, hashlib.sha256).digest()


def hash_query_code(code: str, pepper: bytes, salt: bytes) -> str:
    """``v1$<salt hex>$<HMAC-SHA256(pepper, "v1$<salt hex>$<code>") hex>``.

    HMAC keyed with the deployment-wide pepper: every device and the server can
    verify, it costs about a microsecond, and without the pepper the 10^8 codes
    cannot be tried offline. The salt (16 random bytes per case, see
    :func:`generate_salt`) keeps equal codes from having equal hashes.
    """
    c = normalise_query_code(code)
    _check_pepper(pepper)
    if not 1 <= len(salt) <= 64:
        raise ValueError("salt must be 1 to 64 bytes")
    return f"{HASH_VERSION}${salt.hex()}${_digest(c, pepper, salt).hex()}"


def verify_query_code(code: str, stored: str, pepper: bytes) -> bool:
    """True when the typed ``code`` matches ``stored``; False for anything malformed.

    The typed code may contain spaces, hyphens and full-width digits. The
    comparison is constant-time. A bad pepper (shorter than 16 bytes) is a
    deployment error and raises ``ValueError``.
    """
    _check_pepper(pepper)
    try:
        c = normalise_query_code(code)
    except ValidationError:
        return False
    if not isinstance(stored, str) or not stored.isascii():
        return False
    parts = stored.split("$")
    if len(parts) != 3 or parts[0] != HASH_VERSION or len(parts[2]) != 64:
        return False
    try:
        salt = bytes.fromhex(parts[1])
        expected = bytes.fromhex(parts[2])
    except ValueError:
        return False
    if not 1 <= len(salt) <= 64:
        return False
    return hmac.compare_digest(_digest(c, pepper, salt), expected)
