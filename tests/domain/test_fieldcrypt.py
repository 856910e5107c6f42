"""Tests of the per-field cipher and the blind index of the central server's identity columns."""

from __future__ import annotations

import base64
import contextlib

import pytest
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from hypothesis import given
from hypothesis import strategies as st

from desktop.domain import fieldcrypt
from desktop.domain.errors import RuleViolation, ValidationError
from desktop.domain.fieldcrypt import (
    AES256GCM,
    BLIND_INDEX_HEX_LENGTH,
    NONCE_SIZE,
    SM4GCM,
    TAG_SIZE,
    BlindIndex,
    FieldCipher,
    FieldCipherAlgorithm,
    algorithm_names,
    get_algorithm,
    normalize_for_index,
    register_algorithm,
)

KEY_1 = bytes(range(32))
KEY_2 = bytes(range(32, 64))
INDEX_KEY = bytes(range(64, 96))
ALGORITHMS = ("aes256gcm", "sm4gcm")
ID_NUMBER = "11010519491231002X"
RECORD = "0190a3c4-7b1e-7cc0-8000-000000000001"
OTHER_RECORD = "0190a3c4-7b1e-7cc0-8000-000000000002"
AUTH_MESSAGE = "字段密文校验失败：密钥不符或数据被篡改"


def cipher(algorithm: str = "aes256gcm", keys: dict[str, bytes] | None = None, current: str = "k1") -> FieldCipher:
    return FieldCipher(keys if keys is not None else {"k1": KEY_1}, current, algorithm)


def payload_of(token: str) -> bytes:
    body = token.rsplit(".", 1)[1]
    return base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))


def with_payload(token: str, payload: bytes) -> str:
    head = token.rsplit(".", 1)[0]
    return head + "." + base64.urlsafe_b64encode(payload).rstrip(b"=").decode("ascii")


def expect_code(code: str, token: str, c: FieldCipher, field: str = "id_number", record_id: str = RECORD) -> str:
    with pytest.raises(ValidationError) as info:
        c.decrypt(token, field=field, record_id=record_id)
    assert info.value.code == code
    return info.value.message


# ---------------------------------------------------------------------------
# Round trip and token shape
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("algorithm", ALGORITHMS)
@given(value=st.text())
def test_round_trip_of_any_text(algorithm: str, value: str) -> None:
    c = cipher(algorithm)
    token = c.encrypt(value, field="id_number", record_id=RECORD)
    assert c.decrypt(token, field="id_number", record_id=RECORD) == value


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_token_is_self_describing_ascii(algorithm: str) -> None:
    token = cipher(algorithm).encrypt(ID_NUMBER, field="id_number", record_id=RECORD)
    assert token.isascii()
    version, name, key_id, body = token.split(".")
    assert (version, name, key_id) == ("v1", algorithm, "k1")
    assert len(payload_of(token)) == NONCE_SIZE + len(ID_NUMBER) + TAG_SIZE
    assert "=" not in body


@pytest.mark.parametrize("algorithm", ALGORITHMS)
@given(value=st.text(min_size=8))
def test_token_never_contains_plaintext(algorithm: str, value: str) -> None:
    token = cipher(algorithm).encrypt(value, field="phone", record_id=RECORD)
    assert value.encode("utf-8") not in payload_of(token)
    assert value not in token.rsplit(".", 1)[1]


@pytest.mark.parametrize("value", [ID_NUMBER, "13800138000", "张三"])
def test_sensitive_values_are_not_visible(value: str) -> None:
    token = cipher().encrypt(value, field="f", record_id=RECORD)
    assert value not in token
    assert value.encode() not in payload_of(token)


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_same_value_encrypts_differently_every_time(algorithm: str) -> None:
    c = cipher(algorithm)
    tokens = {c.encrypt(ID_NUMBER, field="id_number", record_id=RECORD) for _ in range(50)}
    assert len(tokens) == 50
    nonces = {payload_of(t)[:NONCE_SIZE] for t in tokens}
    assert len(nonces) == 50
    assert {c.decrypt(t, field="id_number", record_id=RECORD) for t in tokens} == {ID_NUMBER}
    index = BlindIndex(INDEX_KEY)
    assert len({index.token("id_number", ID_NUMBER) for _ in range(50)}) == 1


# ---------------------------------------------------------------------------
# Binding, tampering, wrong keys
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_token_is_bound_to_its_column_and_row(algorithm: str) -> None:
    c = cipher(algorithm)
    token = c.encrypt(ID_NUMBER, field="id_number", record_id=RECORD)
    assert expect_code("field_token_auth", token, c, field="phone") == AUTH_MESSAGE
    assert expect_code("field_token_auth", token, c, record_id=OTHER_RECORD) == AUTH_MESSAGE
    assert expect_code("field_token_auth", token, c, field="phone", record_id=OTHER_RECORD) == AUTH_MESSAGE


def test_binding_encoding_is_unambiguous() -> None:
    c = cipher()
    token = c.encrypt(ID_NUMBER, field="a", record_id="b\x00c")
    expect_code("field_token_auth", token, c, field="a\x00b", record_id="c")
    expect_code("field_token_auth", token, c, field="ab", record_id="c")
    split = c.encrypt(ID_NUMBER, field="ab", record_id="c")
    expect_code("field_token_auth", split, c, field="a", record_id="bc")


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_flipping_any_payload_bit_fails_authentication(algorithm: str) -> None:
    c = cipher(algorithm)
    token = c.encrypt(ID_NUMBER, field="id_number", record_id=RECORD)
    payload = payload_of(token)
    for position in range(len(payload)):
        for bit in (0x01, 0x80):
            tampered = bytearray(payload)
            tampered[position] ^= bit
            assert expect_code("field_token_auth", with_payload(token, bytes(tampered)), c) == AUTH_MESSAGE


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_changing_any_character_of_the_token_is_refused(algorithm: str) -> None:
    c = cipher(algorithm, keys={"k1": KEY_1, "k2": KEY_2})
    token = c.encrypt(ID_NUMBER, field="id_number", record_id=RECORD)
    for position in range(len(token)):
        for replacement in {"A", "g", "0", "-", ".", "é"} - {token[position]}:
            altered = token[:position] + replacement + token[position + 1:]
            with pytest.raises(ValidationError):
                c.decrypt(altered, field="id_number", record_id=RECORD)


def test_truncated_or_extended_payload_fails() -> None:
    c = cipher()
    token = c.encrypt(ID_NUMBER, field="id_number", record_id=RECORD)
    payload = payload_of(token)
    expect_code("field_token_auth", with_payload(token, payload[:-1]), c)
    expect_code("field_token_auth", with_payload(token, payload + b"\x00"), c)
    expect_code("field_token_malformed", with_payload(token, payload[: NONCE_SIZE + TAG_SIZE - 1]), c)


def test_relabelled_algorithm_or_key_id_fails() -> None:
    both = cipher(keys={"k1": KEY_1, "k2": KEY_1})
    token = both.encrypt(ID_NUMBER, field="id_number", record_id=RECORD)
    # Same key bytes under another id: the header is authenticated, so still refused.
    expect_code("field_token_auth", token.replace(".k1.", ".k2."), both)
    expect_code("field_token_auth", token.replace(".aes256gcm.", ".sm4gcm."), both)


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_wrong_key_fails(algorithm: str) -> None:
    token = cipher(algorithm).encrypt(ID_NUMBER, field="id_number", record_id=RECORD)
    other = cipher(algorithm, keys={"k1": KEY_2})
    assert expect_code("field_token_auth", token, other) == AUTH_MESSAGE


# ---------------------------------------------------------------------------
# Key rotation and algorithm changes
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_rotation_keeps_old_tokens_readable(algorithm: str) -> None:
    old = cipher(algorithm, keys={"k1": KEY_1})
    old_token = old.encrypt(ID_NUMBER, field="id_number", record_id=RECORD)
    assert not old.needs_reencryption(old_token)

    rotated = cipher(algorithm, keys={"k1": KEY_1, "k2": KEY_2}, current="k2")
    assert rotated.decrypt(old_token, field="id_number", record_id=RECORD) == ID_NUMBER
    assert rotated.needs_reencryption(old_token)
    new_token = rotated.encrypt(ID_NUMBER, field="id_number", record_id=RECORD)
    assert new_token.split(".")[2] == "k2"
    assert not rotated.needs_reencryption(new_token)

    moved = rotated.reencrypt(old_token, field="id_number", record_id=RECORD)
    assert not rotated.needs_reencryption(moved)
    assert rotated.decrypt(moved, field="id_number", record_id=RECORD) == ID_NUMBER
    assert rotated.reencrypt(moved, field="id_number", record_id=RECORD) == moved
    with pytest.raises(ValidationError) as info:
        rotated.reencrypt(old_token, field="phone", record_id=RECORD)
    assert info.value.code == "field_token_auth"


def test_unknown_key_id_is_named_in_the_message() -> None:
    token = cipher(keys={"k0": KEY_1}, current="k0").encrypt(ID_NUMBER, field="id_number", record_id=RECORD)
    retired = cipher(keys={"k1": KEY_2})
    message = expect_code("field_key_unknown", token, retired)
    assert "密钥 k0 不在本机密钥库中" in message
    with pytest.raises(ValidationError) as info:
        retired.needs_reencryption(token)
    assert info.value.code == "field_key_unknown"


def test_switching_algorithm_is_a_rotation() -> None:
    aes = cipher("aes256gcm")
    sm4 = cipher("sm4gcm")
    aes_token = aes.encrypt(ID_NUMBER, field="id_number", record_id=RECORD)
    assert sm4.decrypt(aes_token, field="id_number", record_id=RECORD) == ID_NUMBER
    assert sm4.needs_reencryption(aes_token)
    assert not aes.needs_reencryption(aes_token)
    moved = sm4.reencrypt(aes_token, field="id_number", record_id=RECORD)
    assert moved.split(".")[1] == "sm4gcm"


def test_one_master_key_gives_distinct_subkeys_per_algorithm() -> None:
    # The AES token must not be openable with the raw master key: a subkey was derived.
    token = cipher("aes256gcm").encrypt(ID_NUMBER, field="id_number", record_id=RECORD)
    payload = payload_of(token)
    aad = fieldcrypt._associated_data("aes256gcm", "k1", "id_number", RECORD)
    with pytest.raises(InvalidTag):
        AESGCM(KEY_1).decrypt(payload[:NONCE_SIZE], payload[NONCE_SIZE:], aad)
    aes_subkey = fieldcrypt._derive_subkey(KEY_1, AES256GCM())
    sm4_subkey = fieldcrypt._derive_subkey(KEY_1, SM4GCM())
    assert AESGCM(aes_subkey).decrypt(payload[:NONCE_SIZE], payload[NONCE_SIZE:], aad) == ID_NUMBER.encode()
    assert len(aes_subkey) == 32
    assert len(sm4_subkey) == 16
    assert aes_subkey[:16] != sm4_subkey
    assert KEY_1 not in (aes_subkey, sm4_subkey)


def test_sm4_gcm_known_answer_rfc8998() -> None:
    # RFC 8998, appendix A.1 (SM4-GCM test vector).
    key = bytes.fromhex("0123456789ABCDEFFEDCBA9876543210")
    nonce = bytes.fromhex("00001234567800000000ABCD")
    aad = bytes.fromhex("FEEDFACEDEADBEEFFEEDFACEDEADBEEFABADDAD2")
    plaintext = bytes.fromhex("AAAAAAAAAAAAAAAABBBBBBBBBBBBBBBBCCCCCCCCCCCCCCCCDDDDDDDDDDDDDDDD"
                              "EEEEEEEEEEEEEEEEFFFFFFFFFFFFFFFFEEEEEEEEEEEEEEEEAAAAAAAAAAAAAAAA")
    expected = bytes.fromhex("17F399F08C67D5EE19D0DC9969C4BB7D5FD46FD3756489069157B282BB200735"
                             "D82710CA5C22F0CCFA7CBF93D496AC15A56834CBCF98C397B4024A2691233B8D"
                             "83DE3541E4C2B58177E065A9BF7B62EC")
    sm4 = SM4GCM()
    assert sm4.encrypt(key, nonce, plaintext, aad) == expected
    assert sm4.decrypt(key, nonce, expected, aad) == plaintext


# ---------------------------------------------------------------------------
# Malformed tokens and configuration
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("token", "code"),
    [
        ("", "field_token_malformed"),
        ("not a token", "field_token_malformed"),
        ("v1.aes256gcm.k1", "field_token_malformed"),
        ("v1.aes256gcm.k1.AAAA.AAAA", "field_token_malformed"),
        ("v1.aes256gcm.k1.", "field_token_malformed"),
        ("v1.aes256gcm.k1.AAAA", "field_token_malformed"),  # shorter than nonce and tag
        ("v1.aes256gcm.k1." + "A" * 40 + "=", "field_token_malformed"),
        ("v1.aes256gcm.k1." + "A" * 37, "field_token_malformed"),  # impossible base64 length
        ("v1.aes256gcm.k1." + "A" * 38 + "B", "field_token_malformed"),  # non-canonical final character
        ("v1.AES256GCM.k1." + "A" * 40, "field_token_malformed"),
        ("v1.aes256gcm.k 1." + "A" * 40, "field_token_malformed"),
        ("v1.aes256gcm.密钥." + "A" * 40, "field_token_malformed"),
        ("v2.aes256gcm.k1." + "A" * 40, "field_token_version"),
        ("v1.rot13.k1." + "A" * 40, "field_cipher_unknown"),
        ("v1.aes256gcm.k9." + "A" * 40, "field_key_unknown"),
        ("v1.aes256gcm.k1." + "A" * 40, "field_token_auth"),
    ],
)
def test_malformed_tokens_are_classified(token: str, code: str) -> None:
    message = expect_code(code, token, cipher())
    assert message
    if code == "field_token_version":
        assert "v2" in message
    if code == "field_cipher_unknown":
        assert "rot13" in message


@pytest.mark.parametrize("token", [None, b"v1.aes256gcm.k1.AAAA", 42])
def test_non_text_tokens_are_malformed(token: object) -> None:
    expect_code("field_token_malformed", token, cipher())  # type: ignore[arg-type]


token_like = st.builds(
    lambda *parts: ".".join(parts),
    st.sampled_from(["v1", "v2", "v", "x1", ""]),
    st.sampled_from([*ALGORITHMS, "rot13", "", "AES"]),
    st.sampled_from(["k1", "k2", "", "k.1"]),
    st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=+/.", max_size=80),
)


@given(token=st.one_of(st.text(), token_like, st.text(alphabet="v1.aesgcmk-_AZ09", max_size=60)))
def test_arbitrary_strings_only_ever_raise_the_domain_error(token: str) -> None:
    c = cipher(keys={"k1": KEY_1, "k2": KEY_2})
    with pytest.raises(ValidationError):
        c.decrypt(token, field="id_number", record_id=RECORD)
    with contextlib.suppress(ValidationError):
        assert isinstance(c.needs_reencryption(token), bool)


@given(position=st.integers(min_value=0), replacement=st.characters())
def test_mutated_tokens_only_ever_raise_the_domain_error(position: int, replacement: str) -> None:
    c = cipher("sm4gcm")
    token = c.encrypt(ID_NUMBER, field="id_number", record_id=RECORD)
    position %= len(token)
    altered = token[:position] + replacement + token[position + 1:]
    if altered == token:
        return
    with pytest.raises(ValidationError):
        c.decrypt(altered, field="id_number", record_id=RECORD)


def test_errors_and_reprs_never_show_secrets() -> None:
    c = cipher(keys={"k1": KEY_1, "k2": KEY_2})
    token = c.encrypt(ID_NUMBER, field="id_number", record_id=RECORD)
    texts = [repr(c), repr(BlindIndex(INDEX_KEY)), repr(AES256GCM()), repr(SM4GCM())]
    for field, record_id in (("phone", RECORD), ("id_number", OTHER_RECORD)):
        with pytest.raises(ValidationError) as info:
            c.decrypt(token, field=field, record_id=record_id)
        texts += [str(info.value), repr(info.value), info.value.message]
    for text in texts:
        assert ID_NUMBER not in text
        for key in (KEY_1, KEY_2, INDEX_KEY):
            assert key.hex() not in text
            assert repr(key) not in text
            assert base64.b64encode(key).decode() not in text
    assert "k1" in repr(c)


def test_errors_are_rule_violations_with_the_column_named() -> None:
    c = cipher()
    token = c.encrypt(ID_NUMBER, field="id_number", record_id=RECORD)
    with pytest.raises(RuleViolation) as info:
        c.decrypt(token, field="phone", record_id=RECORD)
    assert isinstance(info.value, ValidationError)
    assert info.value.field == "phone"


@pytest.mark.parametrize(
    ("keys", "current", "code"),
    [
        ({"k1": bytes(16)}, "k1", "field_key_length"),
        ({"k1": bytes(33)}, "k1", "field_key_length"),
        ({"k.1": KEY_1}, "k.1", "field_key_id"),
        ({"": KEY_1}, "", "field_key_id"),
        ({"k1": KEY_1}, "k2", "field_key_current"),
        ({}, "k1", "field_key_current"),
    ],
)
def test_bad_key_configuration_is_refused(keys: dict[str, bytes], current: str, code: str) -> None:
    with pytest.raises(ValidationError) as info:
        FieldCipher(keys, current)
    assert info.value.code == code


def test_unknown_algorithm_setting_is_refused() -> None:
    with pytest.raises(ValidationError) as info:
        FieldCipher({"k1": KEY_1}, "k1", "des")
    assert info.value.code == "field_cipher_unknown"
    assert "des" in info.value.message
    assert "aes256gcm" in info.value.message


@pytest.mark.parametrize(("field", "record_id"), [("", RECORD), ("id_number", "")])
def test_column_and_row_are_required(field: str, record_id: str) -> None:
    c = cipher()
    with pytest.raises(ValidationError) as info:
        c.encrypt(ID_NUMBER, field=field, record_id=record_id)
    assert info.value.code == "field_binding_missing"


def test_unencodable_text_is_refused() -> None:
    with pytest.raises(ValidationError) as info:
        cipher().encrypt("张\ud800三", field="name", record_id=RECORD)
    assert info.value.code == "field_value_encoding"
    assert "张" not in info.value.message


def test_registry_is_pluggable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fieldcrypt, "_REGISTRY", dict(fieldcrypt._REGISTRY))

    class Aes128Gcm:
        name = "aes128gcm"
        key_size = 16

        def encrypt(self, key: bytes, nonce: bytes, plaintext: bytes, aad: bytes) -> bytes:
            return AESGCM(key).encrypt(nonce, plaintext, aad)

        def decrypt(self, key: bytes, nonce: bytes, ciphertext: bytes, aad: bytes) -> bytes:
            return AESGCM(key).decrypt(nonce, ciphertext, aad)

    algorithm = Aes128Gcm()
    assert isinstance(algorithm, FieldCipherAlgorithm)
    register_algorithm(algorithm)
    assert get_algorithm("aes128gcm") is algorithm
    assert algorithm_names() == ("aes128gcm", "aes256gcm", "sm4gcm")
    c = cipher("aes128gcm")
    token = c.encrypt(ID_NUMBER, field="id_number", record_id=RECORD)
    assert token.startswith("v1.aes128gcm.k1.")
    assert c.decrypt(token, field="id_number", record_id=RECORD) == ID_NUMBER
    with pytest.raises(ValueError, match="already registered"):
        register_algorithm(Aes128Gcm())
    with pytest.raises(ValueError, match="must be registered"):
        FieldCipher({"k1": KEY_1}, "k1", Aes128Gcm())


def test_default_algorithm_is_aes() -> None:
    c = FieldCipher({"k1": KEY_1}, "k1")
    assert c.algorithm.name == "aes256gcm"
    assert c.encrypt("x", field="f", record_id="r").startswith("v1.aes256gcm.k1.")


# ---------------------------------------------------------------------------
# Blind index
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "a", "b"),
    [
        ("id_number", "11010519491231002x", "11010519491231002X"),
        ("id_number", " 110105 19491231 002X ", "11010519491231002X"),
        ("id_number", "１１０１０５１９４９１２３１００２ｘ", "11010519491231002X"),
        ("phone", "+86 138-0013-8000", "13800138000"),
        ("phone", "0086 13800138000", "13800138000"),
        ("phone", "8613800138000", "13800138000"),
        ("phone", "(138) 0013 8000", "13800138000"),
        ("phone", "１３８００１３８０００", "13800138000"),
        ("phone", "010-12345678", "01012345678"),
        ("name", " 张 三 ", "张三"),
        ("name", "阿卜杜・热合曼", "阿卜杜·热合曼"),
        ("name", "ＪＯＨＮ　Smith", "johnsmith"),
    ],
)
def test_normalisation_equivalences(kind: str, a: str, b: str) -> None:
    index = BlindIndex(INDEX_KEY)
    assert normalize_for_index(kind, a) == normalize_for_index(kind, b)
    assert index.token(kind, a) == index.token(kind, b)


@pytest.mark.parametrize(
    ("kind", "a", "b"),
    [
        ("id_number", "11010519491231002X", "110105194912310021"),
        ("phone", "13800138000", "13800138001"),
        ("phone", "8613800138000", "08613800138000"),  # not a country code prefix
        ("phone", "861012345678", "1012345678"),  # only mobiles lose the country code
        ("name", "张三", "张山"),
    ],
)
def test_different_values_stay_different(kind: str, a: str, b: str) -> None:
    index = BlindIndex(INDEX_KEY)
    assert index.token(kind, a) != index.token(kind, b)


def test_kind_and_key_separate_tokens() -> None:
    index = BlindIndex(INDEX_KEY)
    digits = "13800138000"
    assert index.token("phone", digits) != index.token("id_number", digits)
    assert index.token("phone", digits) != index.token("name", digits)
    assert BlindIndex(KEY_1).token("phone", digits) != index.token("phone", digits)
    assert BlindIndex(INDEX_KEY).token("phone", digits) == index.token("phone", digits)


@given(kind=st.sampled_from(sorted(fieldcrypt.BLIND_INDEX_KINDS)), value=st.text())
def test_blind_index_tokens_are_short_stable_hex(kind: str, value: str) -> None:
    index = BlindIndex(INDEX_KEY)
    try:
        token = index.token(kind, value)
    except ValidationError as exc:
        assert exc.code == "blind_index_empty"
        return
    assert len(token) == BLIND_INDEX_HEX_LENGTH
    assert int(token, 16) >= 0
    assert token == token.lower()
    assert token == BlindIndex(INDEX_KEY).token(kind, value)
    assert token == index.token(kind, normalize_for_index(kind, value))


def test_blind_index_refuses_unknown_kinds_and_empty_values() -> None:
    index = BlindIndex(INDEX_KEY)
    with pytest.raises(ValidationError) as info:
        index.token("email", "a@example.org")
    assert info.value.code == "blind_index_kind"
    assert "email" in info.value.message
    for kind, value in (("phone", "无"), ("id_number", "   "), ("name", "\u3000")):
        with pytest.raises(ValidationError) as info:
            index.token(kind, value)
        assert info.value.code == "blind_index_empty"


@pytest.mark.parametrize("key", [bytes(16), bytes(31), bytes(64), b""])
def test_blind_index_key_must_be_32_bytes(key: bytes) -> None:
    with pytest.raises(ValidationError) as info:
        BlindIndex(key)
    assert info.value.code == "blind_index_key_length"


def test_a_file_is_sealed_bound_to_its_record_and_refused_when_altered() -> None:
    cipher = FieldCipher({"k1": KEY_1, "k2": KEY_2}, "k2")
    data = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8 + b"..."  # dots in the bytes do not confuse the header
    blob = cipher.encrypt_bytes(data, field="attachment", record_id="a" * 64)
    assert blob.startswith(b"v1.") and data[8:200] not in blob
    assert cipher.decrypt_bytes(blob, field="attachment", record_id="a" * 64) == data
    assert cipher.encrypt_bytes(data, field="attachment", record_id="a" * 64) != blob  # a fresh nonce each time
    with pytest.raises(ValidationError, match="篡改"):
        cipher.decrypt_bytes(blob, field="attachment", record_id="b" * 64)  # another file's place
    with pytest.raises(ValidationError, match="篡改"):
        cipher.decrypt_bytes(blob[:-1] + bytes([blob[-1] ^ 1]), field="attachment", record_id="a" * 64)
    with pytest.raises(ValidationError, match="不在本机密钥库"):
        FieldCipher({"k1": KEY_1}, "k1").decrypt_bytes(blob, field="attachment", record_id="a" * 64)
    with pytest.raises(ValidationError, match="格式不正确"):
        cipher.decrypt_bytes(data, field="attachment", record_id="a" * 64)


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_a_sealed_file_is_reencrypted_under_the_new_key_and_stays_bound_to_its_record(algorithm: str) -> None:
    sha = "c" * 64
    data = b"%PDF-1.7\n" + bytes(range(256)) * 64 + b".k2."  # the new key's id inside the bytes fools nothing
    old_blob = cipher(algorithm, keys={"k1": KEY_1}).encrypt_bytes(data, field="attachment", record_id=sha)
    rotated = cipher(algorithm, keys={"k1": KEY_1, "k2": KEY_2}, current="k2")
    assert rotated.needs_reencryption(old_blob)
    moved = rotated.reencrypt(old_blob, field="attachment", record_id=sha)
    assert moved.startswith(f"v1.{algorithm}.k2.".encode()) and not rotated.needs_reencryption(moved)
    assert cipher(algorithm, keys={"k2": KEY_2}, current="k2").decrypt_bytes(
        moved, field="attachment", record_id=sha) == data  # opens without the old key
    assert rotated.reencrypt(moved, field="attachment", record_id=sha) == moved
    with pytest.raises(ValidationError) as info:
        rotated.reencrypt(old_blob, field="attachment", record_id="d" * 64)  # not this file's place
    assert info.value.code == "field_token_auth"
    for broken, code in ((old_blob[:20], "field_token_malformed"), (data, "field_token_malformed"),
                         (b"v1.aes256gcm.k0." + bytes(40), "field_key_unknown")):
        with pytest.raises(ValidationError) as info:
            rotated.needs_reencryption(broken)
        assert info.value.code == code
