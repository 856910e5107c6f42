"""Case numbers (offline-unique, Damm check) and query codes."""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import itertools
import random
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum.iso7064 import mod_37_36

from desktop.domain.errors import ValidationError
from desktop.domain.numbering import (
    ALPHABET,
    DAMM_TABLE,
    CaseNumber,
    case_number_candidates,
    check_character,
    checksum_ok,
    format_query_code,
    generate_query_code,
    generate_salt,
    hash_query_code,
    make_case_number,
    normalise_query_code,
    parse_case_number,
    validate_case_number,
    validate_device_code,
    verify_query_code,
)

N = len(ALPHABET)
DAY = date(2026, 11, 24)
PEPPER = bytes(range(32))
SALT = b"0123456789abcdef"
CHECK_MESSAGE = "案件编号校验不符，可能有一位输错或两位颠倒，请核对"

# --- the check algorithm, proved exhaustively ----------------------------------


def test_alphabet_is_alphanumeric_and_table_is_a_latin_square() -> None:
    assert ALPHABET == "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    assert len(DAMM_TABLE) == N
    for row in DAMM_TABLE:
        assert sorted(row) == list(range(N))
    for col in range(N):
        assert sorted(DAMM_TABLE[r][col] for r in range(N)) == list(range(N))


def test_table_is_totally_anti_symmetric() -> None:
    """(c*x)*y == (c*y)*x implies x == y, for all 36**3 triples.

    With the latin-square property this proves, for numbers of any length and
    whatever the prefix, that every single substitution and every swap of two
    adjacent characters (check character included) changes the final state.
    """
    t = DAMM_TABLE
    for c in range(N):
        row = t[c]
        for x in range(N):
            tx = t[row[x]]
            for y in range(x + 1, N):
                assert tx[y] != t[row[y]][x], (c, x, y)


def test_iso7064_mod_37_36_would_miss_a_transposition() -> None:
    """Why not ISO 7064 MOD 37,36: it accepts some adjacent swaps."""
    good, swapped = "XF20261124K01009AH", "XF20261124K0100A9H"
    assert mod_37_36.is_valid(good) and mod_37_36.is_valid(swapped)
    assert checksum_ok(good[:-1] + check_character(good[:-1]))
    assert not checksum_ok(swapped[:-1] + check_character(good[:-1]))


def _sample_numbers(count: int, seed: int) -> Iterator[str]:
    rng = random.Random(seed)
    for _ in range(count):
        device = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(2, 4)))
        serial = rng.choice([rng.randint(0, 99_999), rng.randint(100_000, 99_999_999)])
        received = DAY - timedelta(days=rng.randint(0, 20_000))
        yield make_case_number(received, device, serial)


def test_every_single_substitution_and_adjacent_swap_is_caught() -> None:
    """On 300 generated numbers: every character changed to every other one and
    every adjacent pair swapped, both on the compact text and on the printed form."""
    for number in _sample_numbers(300, seed=7):
        compact = number.replace("-", "")
        assert checksum_ok(compact)
        for i, ch in enumerate(compact):
            for other in ALPHABET:
                if other != ch:
                    assert not checksum_ok(compact[:i] + other + compact[i + 1:])
            if i + 1 < len(compact) and compact[i + 1] != ch:
                assert not checksum_ok(compact[:i] + compact[i + 1] + ch + compact[i + 2:])


def test_typed_errors_are_refused_with_the_check_message() -> None:
    for number in _sample_numbers(60, seed=8):
        positions = [i for i, c in enumerate(number) if c != "-"]
        for i in positions:
            for other in ALPHABET:
                if other == number[i]:
                    continue
                typo = number[:i] + other + number[i + 1:]
                with pytest.raises(ValidationError):
                    validate_case_number(typo)
        for i, j in itertools.pairwise(range(len(number))):
            a, b = number[i], number[j]
            if a == b or "-" in (a, b):
                continue
            swapped = number[:i] + b + a + number[j + 1:]
            with pytest.raises(ValidationError) as info:
                validate_case_number(swapped)
            if info.value.code == "case_number_check":
                assert info.value.message == CHECK_MESSAGE


def test_swap_across_a_hyphen_is_caught() -> None:
    number = make_case_number(DAY, "K01", 12)
    swapped = number.replace("K01-00012", "K00-10012")
    with pytest.raises(ValidationError) as info:
        validate_case_number(swapped)
    assert info.value.code == "case_number_check"


@settings(max_examples=200)
@given(
    st.dates(date(2000, 1, 1), date(2099, 12, 31)),
    st.from_regex(r"[A-Z0-9]{2,4}", fullmatch=True),
    st.integers(0, 999_999_999),
    st.data(),
)
def test_property_single_errors_and_swaps(
    received: date, device: str, serial: int, data: st.DataObject
) -> None:
    compact = make_case_number(received, device, serial).replace("-", "")
    i = data.draw(st.integers(0, len(compact) - 1))
    other = data.draw(st.sampled_from(ALPHABET).filter(lambda c: c != compact[i]))
    assert not checksum_ok(compact[:i] + other + compact[i + 1:])
    if i + 1 < len(compact) and compact[i] != compact[i + 1]:
        assert not checksum_ok(compact[:i] + compact[i + 1] + compact[i] + compact[i + 2:])


# --- case numbers ----------------------------------------------------------------


def test_make_case_number_format() -> None:
    number = make_case_number(DAY, "K01", 12)
    assert number.startswith("XF-20261124-K01-00012-")
    assert len(number) == len("XF-20261124-K01-00012-7")
    assert make_case_number(DAY, "k01", 12) == number
    wide = make_case_number(DAY, "AB12", 1_234_567)
    assert wide.startswith("XF-20261124-AB12-1234567-")


@pytest.mark.parametrize(
    ("device", "serial"),
    [("K", 1), ("K0123", 1), ("K-1", 1), ("中1", 1), ("K01", -1), ("K01", 10**9)],
)
def test_make_case_number_refuses_bad_parts(device: str, serial: int) -> None:
    with pytest.raises(ValidationError):
        make_case_number(DAY, device, serial)


def test_validate_device_code() -> None:
    assert validate_device_code(" k01 ") == "K01"
    assert validate_device_code("ＡＢ") == "AB"
    with pytest.raises(ValidationError) as info:
        validate_device_code("K_1")
    assert info.value.code == "device_code_format"


def test_parse_accepts_every_typing() -> None:
    number = make_case_number(DAY, "K01", 12)
    check = number[-1]
    expected = CaseNumber(DAY, "K01", 12, number)
    for typed in [
        number,
        number.replace("-", ""),
        number.replace("-", " "),
        f" xf-20261124-k01-00012-{check.lower()} ",
        number.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789XFK-"}),
        f"XF20261124-K01-00012-{check}",
        f"XF 20261124 K01 00012{check}",
        number.replace("-", "—"),
        f"XF2026-1124-K01-00012-{check}",
        f"XF-20261124-K01-0001-2{check}",
    ]:
        assert parse_case_number(typed) == expected, typed
        assert validate_case_number(typed) == number
    assert expected.compact == number.replace("-", "")


@given(
    st.dates(date(2000, 1, 1), date(2099, 12, 31)),
    st.from_regex(r"[A-Z0-9]{2,4}", fullmatch=True),
    st.integers(0, 999_999_999),
)
def test_round_trip(received: date, device: str, serial: int) -> None:
    number = make_case_number(received, device, serial)
    parsed = parse_case_number(number)
    assert (parsed.received, parsed.device_code, parsed.serial, parsed.text) == (
        received, device, serial, number
    )
    readings = case_number_candidates(number.replace("-", ""))
    assert parsed in readings
    if serial < 100_000 or len(device) == 4:
        assert readings[0] == parsed


def test_compact_ambiguity_is_reported_as_candidates() -> None:
    wide = make_case_number(DAY, "K0", 100_012)
    common = make_case_number(DAY, "K01", 12)
    assert wide.replace("-", "") == common.replace("-", "")
    readings = case_number_candidates(wide.replace("-", ""))
    assert [r.text for r in readings] == [common, wide]
    assert parse_case_number(wide).text == wide  # with hyphens it is unambiguous


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("", "case_number_empty"),
        ("   ", "case_number_empty"),
        ("XF-2026112-K01-00012-7", "case_number_format"),
        ("XX-20261124-K01-00012-7", "case_number_format"),
        ("XF-20261124-K01-0012-7", "case_number_format"),
        ("XF-20261124-K01-000012-7", "case_number_format"),
        ("XF-20261124-K0123-00012-7", "case_number_format"),
        ("XF-20261124-K01-00012-77", "case_number_format"),
        ("XF-20261124-K01-00012-?", "case_number_format"),
        ("XF20261124K010", "case_number_format"),
        ("信访-20261124-K01-00012-7", "case_number_format"),
    ],
)
def test_bad_case_numbers(typed: str, code: str) -> None:
    with pytest.raises(ValidationError) as info:
        validate_case_number(typed)
    assert info.value.code == code
    assert info.value.field == "case_number"


def test_impossible_date_with_a_correct_check_is_refused() -> None:
    payload = "XF20261131K0100012"
    typed = payload + check_character(payload)
    with pytest.raises(ValidationError) as info:
        validate_case_number(typed)
    assert info.value.code == "case_number_date"


def test_check_message_is_exact() -> None:
    number = make_case_number(DAY, "K01", 12)
    bad = number[:-1] + ("0" if number[-1] != "0" else "1")
    with pytest.raises(ValidationError) as info:
        validate_case_number(bad)
    assert info.value.message == CHECK_MESSAGE


@given(st.text(max_size=30))
def test_case_number_junk_raises_only_validation_error(text: str) -> None:
    try:
        validate_case_number(text)
    except ValidationError as exc:
        assert exc.code.startswith("case_number_")


@given(st.text(alphabet="XF0123456789K- ", max_size=26))
def test_case_number_near_junk_raises_only_validation_error(text: str) -> None:
    with contextlib.suppress(ValidationError):
        validate_case_number(text)


# --- query codes -----------------------------------------------------------------


def _source(values: list[int]) -> Callable[[int], bytes]:
    it = iter(values)

    def token_bytes(n: int) -> bytes:
        return next(it).to_bytes(n, "big")

    return token_bytes


def test_query_code_is_eight_digits_and_uses_the_given_source() -> None:
    assert generate_query_code(_source([0])) == "00000000"
    assert generate_query_code(_source([123_456_789])) == "23456789"
    assert generate_query_code(_source([4_199_999_999])) == "99999999"
    code = generate_query_code()
    assert len(code) == 8 and code.isdigit()


def test_query_code_rejects_the_biased_tail() -> None:
    """Draws ≥ 4.2e9 would favour codes below 94,967,296: they are drawn again."""
    assert generate_query_code(_source([4_200_000_000, 2**32 - 1, 7])) == "00000007"
    with pytest.raises(RuntimeError):
        generate_query_code(_source([2**32 - 1] * 100))
    with pytest.raises(ValueError):
        generate_query_code(lambda n: b"\x00")


def test_query_code_is_uniform_over_the_accepted_range() -> None:
    # Every residue modulo 10**8 is hit by exactly 42 accepted 32-bit values.
    limit = 4_200_000_000
    assert limit % 10**8 == 0 and limit <= 2**32 < limit + 10**8
    rng = random.Random(3)
    counts = Counter(generate_query_code(rng.randbytes)[0] for _ in range(20_000))
    assert set(counts) == set("0123456789")
    assert max(counts.values()) - min(counts.values()) < 400


def test_query_code_formatting_and_normalising() -> None:
    assert format_query_code("12345678") == "1234 5678"
    assert format_query_code(" １２３４-５６７８ ") == "1234 5678"
    assert normalise_query_code("1234 5678") == "12345678"
    for bad in ["", "1234567", "123456789", "1234567a", "１２３４５６７"]:
        with pytest.raises(ValidationError) as info:
            format_query_code(bad)
        assert info.value.code == "query_code_format"


def test_hash_and_verify() -> None:
    stored = hash_query_code("12345678", PEPPER, SALT)
    version, salt_hex, digest = stored.split("$")
    assert version == "v1" and salt_hex == SALT.hex() and len(digest) == 64
    assert "12345678" not in stored
    assert verify_query_code("12345678", stored, PEPPER)
    assert verify_query_code("1234 5678", stored, PEPPER)
    assert verify_query_code("１２３４-５６７８", stored, PEPPER)
    assert not verify_query_code("12345679", stored, PEPPER)
    assert not verify_query_code("", stored, PEPPER)
    assert not verify_query_code("12345678", stored, bytes(32))
    assert hash_query_code("12345678", PEPPER, SALT) == stored


def test_the_digest_is_keyed_by_the_pepper_over_version_salt_and_code() -> None:
    """The stored digest is HMAC-SHA256(pepper, "v1$<salt hex>$<code>"), as documented."""
    stored = hash_query_code("1234 5678", PEPPER, SALT)
    message = b"v1$" + SALT.hex().encode() + b"$12345678"
    assert stored == f"v1${SALT.hex()}${hmac.new(PEPPER, message, hashlib.sha256).hexdigest()}"
    # equal codes under other salts or another pepper have other digests, not only another salt field
    digests = {hash_query_code("12345678", pepper, salt).split("$")[2]
               for pepper in (PEPPER, bytes(range(1, 33))) for salt in (SALT, b"another salt!!!!", b"\x00")}
    assert len(digests) == 6
    # a stored value whose salt was swapped no longer verifies
    _, _, digest = stored.split("$")
    assert not verify_query_code("12345678", f"v1${b'another salt!!!!'.hex()}${digest}", PEPPER)


@pytest.mark.parametrize(
    "stored",
    ["", "junk", "v1$$", "v2$00$" + "0" * 64, "v1$zz$" + "0" * 64, "v1$00$" + "0" * 63,
     "v1$00$" + "g" * 64, "v1$00$" + "0" * 64 + "$x", "v1$$" + "0" * 64, "v1$00$" + "é" * 64],
)
def test_verify_is_false_for_malformed_stored_values(stored: str) -> None:
    assert verify_query_code("12345678", stored, PEPPER) is False


@given(st.text(max_size=120), st.text(max_size=12))
def test_verify_never_raises(stored: str, typed: str) -> None:
    assert verify_query_code(typed, stored, PEPPER) in (True, False)


def test_pepper_and_salt_are_required() -> None:
    with pytest.raises(ValueError):
        hash_query_code("12345678", b"short", SALT)
    with pytest.raises(ValueError):
        verify_query_code("12345678", "junk", b"")
    with pytest.raises(ValueError):
        hash_query_code("12345678", PEPPER, b"")
    with pytest.raises(ValidationError):
        hash_query_code("1234", PEPPER, SALT)
    assert len(generate_salt()) == 16
    assert generate_salt(lambda n: b"\x01" * n) == b"\x01" * 16

