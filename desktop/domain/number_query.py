"""What a clerk types to find a case by its number: the whole number, or its last part.

Recognised (after full-width → half-width, upper-casing, and reading any dash, slash,
underscore or space as a hyphen; ``XF-20261124-K01-00012-7`` as the example):

* **the whole number**, with or without hyphens, in any case, with or without the
  ``XF`` prefix when the date is there (``xf20261124k01000127``,
  ``20261124-K01-00012-7``). It must pass :func:`~desktop.domain.numbering.case_number_candidates`;
  when it does not (check character, date, format) the reading carries the same
  explanation the kiosk gives (``problem``) and nothing is searched.
* **serial and check character**: ``12-7``, ``012-7``, ``0012-7``, ``00012-7`` (leading
  zeros of the serial are optional), or without the hyphen when the check character is
  a letter (``0012K``);
* **device code, serial and optionally the check character**: ``K01-00012-7``,
  ``K01-12`` (without the check character the device code needs a letter: ``12-345``
  is nothing);
* **the serial alone**: 3 to 6 digits (``00012``, ``012``, ``123456``). Digits are never
  read as a serial and its check character run together (``000127`` is serial 127, not
  serial 12 with check 7): one case in 36 would be listed for the wrong reason; type the
  hyphen (``00012-7``).

Anything else (1–2 digits, 7+ digits, which are phones, text) is not a case number.
Serials restart every year on every device, so one serial matches one case per device
and year: the search lists them newest first.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Final

from desktop.domain.errors import ValidationError
from desktop.domain.numbering import CASE_PREFIX, MAX_SERIAL, SERIAL_WIDTH, case_number_candidates

__all__ = ["NumberQuery", "SerialReading", "looks_like_full_number", "read_number_query"]

_SEPARATED: Final = re.compile(r"[\s\-\u2010-\u2015\u2212\uff0d_/]+")
_FULL: Final = re.compile(rf"{CASE_PREFIX}\d{{8}}[A-Z0-9]+")
_UNPREFIXED: Final = re.compile(r"[0-9]{8}-[A-Z0-9]{2,4}-[0-9]{1,9}-[A-Z0-9]")
_DEVICE: Final = re.compile(r"[A-Z0-9]{2,4}")
_SERIAL: Final = re.compile(r"[0-9]{1,9}")
_CHECK: Final = re.compile(r"[0-9A-Z]")


@dataclass(frozen=True, slots=True)
class SerialReading:
    """One reading of the end of a case number: its serial, maybe its check character and device."""

    serial: int
    check: str | None = None
    device: str | None = None

    @property
    def serial_text(self) -> str:
        """The serial as case numbers write it (zero-padded to 5 digits)."""
        return f"{self.serial:0{SERIAL_WIDTH}d}"

    @property
    def tail(self) -> str:
        """The end of the canonical numbers this reading matches (``-00012-7``, ``-K01-00012-``)."""
        return f"-{self.device + '-' if self.device else ''}{self.serial_text}-{self.check or ''}"

    @property
    def pattern(self) -> str:
        """A ``LIKE`` pattern for the canonical case numbers this reading matches."""
        return f"{CASE_PREFIX}-%-{self.device or '%'}-{self.serial_text}-{self.check or '_'}"


@dataclass(frozen=True, slots=True)
class NumberQuery:
    """How a query reads as a case number: whole numbers, serial readings, or a problem."""

    numbers: tuple[str, ...] = ()
    serials: tuple[SerialReading, ...] = ()
    problem: str = ""


def _canonical(text: str) -> str:
    s = unicodedata.normalize("NFKC", text).upper()
    return _SEPARATED.sub("-", s).strip("-")


def looks_like_full_number(text: str) -> bool:
    """Whether the query is meant as a whole case number (right or wrong)."""
    s = _canonical(text)
    return bool(_FULL.fullmatch(s.replace("-", "")) or _UNPREFIXED.fullmatch(s))


def _reading(serial: str, check: str | None = None, device: str | None = None) -> SerialReading | None:
    value = int(serial)
    return SerialReading(value, check, device) if value <= MAX_SERIAL else None


def read_number_query(text: str) -> NumberQuery | None:
    """The case-number reading of ``text`` (see the module docstring), or None when it is not one."""
    s = _canonical(text)
    if looks_like_full_number(s):
        typed = s if s.startswith(CASE_PREFIX) else f"{CASE_PREFIX}-{s}"
        try:
            return NumberQuery(numbers=tuple(c.text for c in case_number_candidates(typed)))
        except ValidationError as exc:
            return NumberQuery(problem=f"{exc.message}：{text.strip()}")
    if s.startswith(CASE_PREFIX):
        return None
    tokens = s.split("-")
    found: list[SerialReading | None] = []
    if len(tokens) == 1:
        (t,) = tokens
        if re.fullmatch(r"[0-9]{3,6}", t):
            found.append(_reading(t))
        elif re.fullmatch(r"[0-9]{2,9}[A-Z]", t):
            found.append(_reading(t[:-1], t[-1]))
    elif len(tokens) == 2:
        first, last = tokens
        if _SERIAL.fullmatch(first) and _CHECK.fullmatch(last):
            found.append(_reading(first, last))
        elif _DEVICE.fullmatch(first) and not first.isdigit() and _SERIAL.fullmatch(last):
            found.append(_reading(last, device=first))
    elif len(tokens) == 3:
        device, serial, check = tokens
        if _DEVICE.fullmatch(device) and _SERIAL.fullmatch(serial) and _CHECK.fullmatch(check):
            found.append(_reading(serial, check, device))
    readings = tuple(r for r in found if r is not None)
    return NumberQuery(serials=readings) if readings else None
