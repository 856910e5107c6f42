"""The receipt's QR text: written short enough for big modules, read back strictly."""

from __future__ import annotations

from datetime import date

import pytest
import qrcode
from hypothesis import given, settings
from hypothesis import strategies as st
from qrcode.constants import ERROR_CORRECT_M

from desktop.domain.errors import ValidationError
from desktop.domain.numbering import make_case_number
from desktop.domain.qrpayload import lookup_host, make_payload, parse_payload

CASE = make_case_number(date(2026, 11, 24), "K01", 12)
LONGEST = make_case_number(date(2026, 11, 24), "ABCD", 999_999_999)
MISREAD = make_case_number(date(2026, 11, 24), "K0", 100_012)  # K01 + 00012 when written without hyphens
HOSTS = ("xf.example.gov.cn", "xfj.pujiang.gov.cn", "www.zjxf.gov.cn", "xinfang-jiedai.pujiang.gov.cn",
         "a" * 22 + ".gov.cn")


def test_round_trip_with_the_case_number_compact() -> None:
    payload = make_payload("https://xf.example.gov.cn", CASE, "1234 5678")
    assert payload == "https://xf.example.gov.cn/q/XF20261124K01000129/12345678"
    assert parse_payload(payload, "xf.example.gov.cn") == (CASE, "12345678")


@pytest.mark.parametrize("number", [CASE, LONGEST, MISREAD, make_case_number(date(2027, 1, 2), "Z9", 0)])
def test_every_case_number_comes_back_as_issued(number: str) -> None:
    assert parse_payload(make_payload("https://xf.example.gov.cn/", number, "00000001")) == (number, "00000001")


def test_a_number_that_would_be_misread_keeps_its_hyphens() -> None:
    assert f"/q/{MISREAD}/" in make_payload("https://xf.example.gov.cn", MISREAD, "12345678")


@pytest.mark.parametrize("host", HOSTS)
def test_realistic_hosts_give_a_code_of_version_6_or_less_at_level_m(host: str) -> None:
    assert len(host) <= 30
    for number in (CASE, LONGEST, MISREAD):
        code = qrcode.QRCode(error_correction=ERROR_CORRECT_M)
        code.add_data(make_payload(f"https://{host}", number, "99999999"))
        code.make(fit=True)
        assert code.version <= 6, (host, number, code.version)


@pytest.mark.parametrize("variant", [
    "HTTPS://XF.EXAMPLE.GOV.CN/q/XF20261124K01000129/12345678",
    "https://xf.example.gov.cn/q/XF20261124K01000129/12345678/",
    "https://xf.example.gov.cn./Q/XF-20261124-K01-00012-9/12345678",
    " https://xf.example.gov.cn/q/xf20261124k01000129/12345678?from=wechat ",
])
def test_scanner_variants_are_accepted(variant: str) -> None:
    assert parse_payload(variant, "https://xf.example.gov.cn") == (CASE, "12345678")


def test_a_base_address_with_a_path() -> None:
    payload = make_payload("https://www.pujiang.gov.cn/xinfang/", CASE, "12345678")
    assert payload == "https://www.pujiang.gov.cn/xinfang/q/XF20261124K01000129/12345678"
    assert parse_payload(payload, lookup_host("https://www.pujiang.gov.cn/xinfang")) == (CASE, "12345678")


@pytest.mark.parametrize(("text", "code", "words"), [
    ("http://xf.example.gov.cn/q/XF20261124K01000129/12345678", "qr_insecure", "http"),
    ("https://evil.example.com/q/XF20261124K01000129/12345678", "qr_other_host", "不是本机关"),
    ("https://xf.example.gov.cn/q/XF20261124K01000128/12345678", "qr_damaged", "损坏"),
    ("https://xf.example.gov.cn/q/XF20261124K01000129/1234567", "qr_damaged", "损坏"),
    ("https://xf.example.gov.cn/x/XF20261124K01000129/12345678", "qr_foreign", "不是本系统"),
    ("https://user@xf.example.gov.cn/q/XF20261124K01000129/12345678", "qr_foreign", "不是本系统"),
    ("6901234567892", "qr_foreign", "不是本系统"),
    ("WIFI:S:hall;T:WPA;P:secret;;", "qr_foreign", "不是本系统"),
    ("https://[::1/q/a/b", "qr_foreign", "不是本系统"),
    ("", "qr_foreign", "不是本系统"),
])
def test_foreign_and_garbled_codes_are_refused_in_words(text: str, code: str, words: str) -> None:
    with pytest.raises(ValidationError) as refusal:
        parse_payload(text, "xf.example.gov.cn")
    assert refusal.value.code == code and words in refusal.value.message


def test_http_only_where_allowed() -> None:
    payload = make_payload("http://192.168.1.20:8080", CASE, "12345678", allow_http=True)
    assert parse_payload(payload, "192.168.1.20:8080", allow_http=True) == (CASE, "12345678")
    with pytest.raises(ValidationError):
        make_payload("http://192.168.1.20:8080", CASE, "12345678")


@pytest.mark.parametrize("base", ["", "xf.example.gov.cn", "ftp://xf.example.gov.cn", "https://", "https://a b.cn",
                                  "https://xf.example.gov.cn/?x=1", "https://xf.example.gov.cn:99999"])
def test_a_bad_lookup_address_is_a_setting_error(base: str) -> None:
    with pytest.raises(ValidationError) as refusal:
        make_payload(base, CASE, "12345678")
    assert refusal.value.field == "public_lookup_url"


_VALID = make_payload("https://xf.example.gov.cn", CASE, "12345678")


@settings(max_examples=300, deadline=None)
@given(st.one_of(
    st.text(max_size=200),
    st.text(alphabet="htps:/[]@?#%.-_XFQq0123456789ABCDEFK", max_size=120),
    st.tuples(st.integers(0, len(_VALID)), st.integers(0, len(_VALID)), st.text(max_size=8)).map(
        lambda t: _VALID[:min(t[0], t[1])] + t[2] + _VALID[max(t[0], t[1]):]),
))
def test_nothing_but_a_validation_error_ever_escapes(text: str) -> None:
    try:
        number, code = parse_payload(text, "xf.example.gov.cn")
    except ValidationError as refusal:
        assert refusal.message
    else:
        assert number.startswith("XF-") and len(code) == 8 and code.isdigit()
