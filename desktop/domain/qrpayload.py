"""The QR code on a registration receipt: what it says, and reading it back at a kiosk.

The code holds an https address of the bureau's public lookup page,
``https://<host>[/<path>]/q/<case number>/<query code>``: a phone's camera opens
the progress page directly, and the hall's kiosks read the same text with their
scanner. The case number is written without hyphens (its check character still
guards it) unless it would then be read another way (a serial of 6+ digits after
a short device code, see :mod:`desktop.domain.numbering`); the query code is the
8 digits. With a host of up to ~30 characters the text stays below 84 bytes, a
version-5 code at error correction M, big modules on an 80 mm receipt.

:func:`parse_payload` never raises anything but :class:`ValidationError`, with a
message the kiosk shows as is: a foreign code (a shop's, another site's), a
damaged or truncated one, or plain ``http``.
"""

from __future__ import annotations

from typing import Final
from urllib.parse import SplitResult, urlsplit

from desktop.domain.errors import ValidationError
from desktop.domain.numbering import case_number_candidates, normalise_query_code, parse_case_number

__all__ = [
    "LOOKUP_SEGMENT",
    "MAX_PAYLOAD_LENGTH",
    "lookup_host",
    "make_payload",
    "parse_payload",
]

#: Path segment of the public lookup page before the case number and code.
LOOKUP_SEGMENT: Final = "q"
#: Longer texts are not ours (the longest we write is well under 200 characters).
MAX_PAYLOAD_LENGTH: Final = 512

FOREIGN_MESSAGE: Final = "这不是本系统回执上的二维码，请扫描登记回执上的二维码，或在屏幕上输入案件编号和查询码"
DAMAGED_MESSAGE: Final = "二维码内容不完整或已损坏，请重新扫描，或在屏幕上输入回执上的案件编号和查询码"
INSECURE_MESSAGE: Final = "该二维码指向不安全的 http 地址，不是本系统回执上的二维码"
OTHER_HOST_MESSAGE: Final = "这不是本系统回执上的二维码（网址不是本机关的查询页面）"


def _foreign(code: str = "qr_foreign", message: str = FOREIGN_MESSAGE) -> ValidationError:
    return ValidationError(code, message, "qr")


def _split_base(base_url: str, allow_http: bool) -> SplitResult:
    """The configured public lookup address, checked: https (or http when allowed) with a host."""
    text = base_url.strip() if isinstance(base_url, str) else ""
    bad = ValidationError(
        "lookup_url_invalid",
        f"公众查询页面地址“{text}”无效：应为 https:// 开头的网址，如 https://xf.example.gov.cn",
        "public_lookup_url",
    )
    if not text or len(text) > 200 or any(ord(c) <= 0x20 or ord(c) == 0x7F for c in text):
        raise bad
    try:
        parts = urlsplit(text)
        host = parts.hostname
        _ = parts.port
    except ValueError:
        raise bad from None
    scheme = parts.scheme.lower()
    if not host or parts.username or parts.password or parts.query or parts.fragment:
        raise bad
    if scheme != "https" and not (allow_http and scheme == "http"):
        raise bad
    return parts


def lookup_host(base_url: str) -> str:
    """The host (and port, if any) of the public lookup address, lower case: what a scanner expects."""
    return _netloc(_split_base(base_url, allow_http=True))


def make_payload(base_url: str, case_number: str, query_code: str, *, allow_http: bool = False) -> str:
    """The QR text for a receipt: ``<base>/q/<case number>/<query code>``.

    Raises :class:`ValidationError` for an invalid address, case number or code.
    """
    parts = _split_base(base_url, allow_http)
    number = parse_case_number(case_number)
    compact = number.compact
    # Without hyphens a number is read as its preferred split (the longest device code); a
    # number that would be misread that way keeps its hyphens.
    written = compact if case_number_candidates(compact)[0].text == number.text else number.text
    code = normalise_query_code(query_code)
    path = parts.path.rstrip("/")
    return f"{parts.scheme.lower()}://{_netloc(parts)}{path}/{LOOKUP_SEGMENT}/{written}/{code}"


def _netloc(parts: SplitResult) -> str:
    """Host (lower case, without a trailing dot) and port: what two addresses must share."""
    host = (parts.hostname or "").rstrip(".")
    if ":" in host:
        host = f"[{host}]"
    port = parts.port
    return host if port is None else f"{host}:{port}"


def _expected_netloc(expected_host: str) -> str:
    text = expected_host.strip()
    try:
        return _netloc(urlsplit(text if "://" in text else f"//{text}"))
    except ValueError:
        return text.lower()


def parse_payload(text: str, expected_host: str | None = None, *,
                  allow_http: bool = False) -> tuple[str, str]:
    """``(case number, query code)`` from a scanned QR text, the case number hyphenated.

    Accepts what :func:`make_payload` writes, with any letter case in the scheme and
    host, and with or without a trailing slash; ``expected_host`` (a host or the whole
    configured address) refuses codes pointing elsewhere. Everything else raises
    :class:`ValidationError` with a message for the citizen at the kiosk.
    """
    if not isinstance(text, str):
        raise _foreign()
    s = text.strip()
    if not s or len(s) > MAX_PAYLOAD_LENGTH or any(ord(c) < 0x20 or ord(c) == 0x7F for c in s):
        raise _foreign()
    try:
        parts = urlsplit(s)
        host = parts.hostname
        _ = parts.port
    except ValueError:
        raise _foreign() from None
    scheme = parts.scheme.lower()
    if scheme == "http" and not allow_http:
        raise _foreign("qr_insecure", INSECURE_MESSAGE)
    if scheme not in ("https", "http") or not host or parts.username is not None or parts.password is not None:
        raise _foreign()
    if expected_host is not None and expected_host.strip() and _netloc(parts) != _expected_netloc(expected_host):
        raise _foreign("qr_other_host", OTHER_HOST_MESSAGE)
    segments = parts.path.rstrip("/").split("/")
    if len(segments) < 4 or segments[-3].lower() != LOOKUP_SEGMENT:
        raise _foreign()
    number_text, code_text = segments[-2], segments[-1]
    try:
        candidates = case_number_candidates(number_text)
        code = normalise_query_code(code_text)
    except ValidationError:
        raise _foreign("qr_damaged", DAMAGED_MESSAGE) from None
    return candidates[0].text, code
