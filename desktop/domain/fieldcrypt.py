"""Per-field encryption and keyed blind indexes for petitioners' ID numbers and phones.

The central server (PostgreSQL) keeps identity numbers and phone numbers encrypted
column by column, so that a database dump, a backup or a read-only SQL account never
shows them in clear. Two pieces make that workable:

* :class:`FieldCipher` turns one value into a self-describing ASCII token
  ``v1.<algorithm>.<key_id>.<base64url(nonce || ciphertext || tag)>``. The column name and
  the row's id are bound as associated data, so a token copied to another row or column
  does not decrypt. Several keys may be loaded at once: tokens made under an older key
  keep decrypting while a rotation job re-encrypts them under the current one.
* :class:`BlindIndex` gives a keyed, deterministic token of a normalised value, stored
  next to the ciphertext, so the counter can still find "every visit of this ID number"
  with an exact, indexed lookup without the server ever holding the number in clear.

Two authenticated ciphers are built in, chosen by a deployment setting:

* ``aes256gcm`` (default) — AES-256-GCM.
* ``sm4gcm`` — SM4 in GCM mode (GB/T 32907 block cipher, GCM as in RFC 8998) for sites that
  must use 商用密码 algorithms. The bundled OpenSSL of ``cryptography`` provides SM4-GCM
  through the ``Cipher`` API, so both algorithms share one construction: random 96-bit
  nonce, 128-bit tag, associated data authenticated.

One 32-byte deployment key serves both algorithms: each algorithm uses its own subkey
derived with HKDF-SHA256 under a distinct ``info`` label, so the same key never drives
two different ciphers.

Everything here is pure (no I/O, no clock); failures raise
:class:`~desktop.domain.errors.ValidationError` with a stable code and a Chinese message
that never contains the plaintext or key material.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import re
import struct
import unicodedata
from collections.abc import Mapping
from typing import Final, Protocol, overload, runtime_checkable

from cryptography.exceptions import InvalidTag, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from desktop.domain.errors import ValidationError

__all__ = [
    "AES256GCM",
    "BLIND_INDEX_HEX_LENGTH",
    "BLIND_INDEX_KINDS",
    "DEFAULT_ALGORITHM",
    "MASTER_KEY_SIZE",
    "NONCE_SIZE",
    "SM4GCM",
    "TAG_SIZE",
    "TOKEN_VERSION",
    "BlindIndex",
    "FieldCipher",
    "FieldCipherAlgorithm",
    "algorithm_names",
    "get_algorithm",
    "normalize_for_index",
    "register_algorithm",
]

#: Version prefix of every token this module writes.
TOKEN_VERSION: Final = "v1"
#: Size of every deployment key handed to :class:`FieldCipher` and :class:`BlindIndex`.
MASTER_KEY_SIZE: Final = 32
#: Random nonce per encryption (96 bits, the GCM standard size).
NONCE_SIZE: Final = 12
#: GCM authentication tag appended to the ciphertext.
TAG_SIZE: Final = 16

#: Key ids and algorithm names are written into tokens, between dots: keep them short and plain.
_KEY_ID_RE: Final = re.compile(r"[A-Za-z0-9_-]{1,64}")
_ALGORITHM_NAME_RE: Final = re.compile(r"[a-z0-9][a-z0-9-]{0,31}")
_VERSION_RE: Final = re.compile(r"v[0-9]{1,4}")
_BASE64URL_RE: Final = re.compile(r"[A-Za-z0-9_-]+")

#: HKDF label prefix; the algorithm name is appended, so each algorithm gets its own subkey.
_SUBKEY_INFO_PREFIX: Final = b"petition-hall/field-cipher/v1/"
#: A sealed file's header (``v1.<algorithm>.<key id>.``) fits in this many bytes.
_MAX_HEADER: Final = 128


# ---------------------------------------------------------------------------
# Algorithms
# ---------------------------------------------------------------------------


@runtime_checkable
class FieldCipherAlgorithm(Protocol):
    """An authenticated cipher (AEAD) that :class:`FieldCipher` can use.

    ``encrypt`` returns ``ciphertext || tag``; ``decrypt`` takes the same and raises
    :class:`cryptography.exceptions.InvalidTag` when the tag does not verify (wrong key,
    other nonce or associated data, or altered bytes). ``key`` is ``key_size`` bytes and
    ``nonce`` is :data:`NONCE_SIZE` bytes; the caller guarantees both.
    """

    @property
    def name(self) -> str:
        """Short lowercase name written into tokens and used by the deployment setting."""
        ...

    @property
    def key_size(self) -> int:
        """Length in bytes of the subkey this algorithm takes."""
        ...

    def encrypt(self, key: bytes, nonce: bytes, plaintext: bytes, aad: bytes) -> bytes: ...

    def decrypt(self, key: bytes, nonce: bytes, ciphertext: bytes | memoryview, aad: bytes) -> bytes: ...


class AES256GCM:
    """AES-256-GCM from ``cryptography``'s AEAD API; the default field cipher."""

    name: Final = "aes256gcm"
    key_size: Final = 32

    def encrypt(self, key: bytes, nonce: bytes, plaintext: bytes, aad: bytes) -> bytes:
        return AESGCM(key).encrypt(nonce, plaintext, aad)

    def decrypt(self, key: bytes, nonce: bytes, ciphertext: bytes | memoryview, aad: bytes) -> bytes:
        return AESGCM(key).decrypt(nonce, ciphertext, aad)

    def __repr__(self) -> str:
        return "AES256GCM()"


class SM4GCM:
    """SM4-GCM (商用密码 block cipher SM4 in Galois/Counter Mode, as specified by RFC 8998).

    ``cryptography`` 50 exposes SM4 with GCM through the ``Cipher`` API, so this is a true
    AEAD with a 128-bit tag, not a CTR + HMAC composition. The known-answer vector of
    RFC 8998 appendix A.1 is checked by the tests.
    """

    name: Final = "sm4gcm"
    key_size: Final = 16

    def encrypt(self, key: bytes, nonce: bytes, plaintext: bytes, aad: bytes) -> bytes:
        try:
            encryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce)).encryptor()
        except UnsupportedAlgorithm as exc:
            raise _sm4_unavailable() from exc
        encryptor.authenticate_additional_data(aad)
        ciphertext = encryptor.update(plaintext) + encryptor.finalize()
        return ciphertext + encryptor.tag

    def decrypt(self, key: bytes, nonce: bytes, ciphertext: bytes | memoryview, aad: bytes) -> bytes:
        if len(ciphertext) < TAG_SIZE:
            raise InvalidTag
        body, tag = ciphertext[:-TAG_SIZE], bytes(ciphertext[-TAG_SIZE:])
        try:
            decryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce, tag)).decryptor()
        except UnsupportedAlgorithm as exc:
            raise _sm4_unavailable() from exc
        decryptor.authenticate_additional_data(aad)
        plaintext = decryptor.update(body)
        decryptor.finalize()  # raises InvalidTag before any plaintext is returned
        return plaintext

    def __repr__(self) -> str:
        return "SM4GCM()"


def _sm4_unavailable() -> ValidationError:
    return ValidationError("field_cipher_unavailable",
                           "本机的密码库不支持 SM4-GCM，无法使用国密字段加密，请联系管理员", "field_cipher")


_REGISTRY: dict[str, FieldCipherAlgorithm] = {}


def register_algorithm(algorithm: FieldCipherAlgorithm, *, replace: bool = False) -> None:
    """Make ``algorithm`` selectable by its name (in settings and when reading tokens)."""
    name = algorithm.name
    if not _ALGORITHM_NAME_RE.fullmatch(name):
        raise ValueError(f"invalid field cipher name {name!r}: use lowercase letters, digits and '-'")
    if name in _REGISTRY and not replace:
        raise ValueError(f"field cipher {name!r} is already registered")
    if algorithm.key_size not in (16, 24, 32):
        raise ValueError(f"field cipher {name!r} has an unsupported key size {algorithm.key_size}")
    _REGISTRY[name] = algorithm


def get_algorithm(name: str) -> FieldCipherAlgorithm:
    """The registered algorithm called ``name``; a domain error if there is none."""
    algorithm = _REGISTRY.get(name)
    if algorithm is None:
        shown = name if _ALGORITHM_NAME_RE.fullmatch(name) else "（名称无效）"
        raise ValidationError("field_cipher_unknown",
                              f"未知的字段加密算法：{shown}；可用的算法有 {'、'.join(algorithm_names())}",
                              "field_cipher")
    return algorithm


def algorithm_names() -> tuple[str, ...]:
    """Names of every registered algorithm, sorted."""
    return tuple(sorted(_REGISTRY))


register_algorithm(AES256GCM())
register_algorithm(SM4GCM())

#: Algorithm used when a deployment does not choose one.
DEFAULT_ALGORITHM: Final = AES256GCM.name


# ---------------------------------------------------------------------------
# Field cipher
# ---------------------------------------------------------------------------


def _derive_subkey(master: bytes, algorithm: FieldCipherAlgorithm) -> bytes:
    """HKDF-SHA256 subkey of ``master`` for ``algorithm`` (distinct ``info`` per algorithm)."""
    return HKDF(algorithm=hashes.SHA256(), length=algorithm.key_size, salt=None,
                info=_SUBKEY_INFO_PREFIX + algorithm.name.encode("ascii")).derive(master)


def _associated_data(algorithm: str, key_id: str, field: str, record_id: str) -> bytes:
    """Length-prefixed header, column and row, authenticated with every token.

    The length prefixes make the encoding unambiguous whatever characters the column
    name or the row id contain; the token header is included so a token cannot be
    relabelled with another algorithm or key id.
    """
    parts = (TOKEN_VERSION, algorithm, key_id, field, record_id)
    out = bytearray()
    for part in parts:
        raw = part.encode("utf-8", "surrogatepass")
        out += struct.pack(">I", len(raw))
        out += raw
    return bytes(out)


def _b64url_encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64url_decode(text: str) -> bytes | None:
    """Strict, canonical unpadded base64url; ``None`` when ``text`` is not exactly that."""
    if not _BASE64URL_RE.fullmatch(text) or len(text) % 4 == 1:
        return None
    try:
        data = base64.b64decode(text + "=" * (-len(text) % 4), altchars=b"-_", validate=True)
    except (binascii.Error, ValueError):
        return None
    # Reject non-canonical encodings (unused low bits set), so every token string maps to
    # exactly one byte string and altering any character is detected.
    if _b64url_encode(data) != text:
        return None
    return data


class FieldCipher:
    """Encrypts and decrypts single column values of the central database.

    ``keys`` maps key ids to 32-byte deployment keys; new tokens use ``current_key_id``
    and ``algorithm`` (a registered algorithm or its name). Older keys stay in ``keys``
    for as long as tokens made under them exist. Decryption accepts any registered
    algorithm, so switching a deployment from AES to SM4 is a rotation like any other.
    """

    __slots__ = ("_algorithm", "_current_key_id", "_keys", "_subkeys")

    def __init__(self, keys: Mapping[str, bytes], current_key_id: str,
                 algorithm: FieldCipherAlgorithm | str = DEFAULT_ALGORITHM) -> None:
        copied: dict[str, bytes] = {}
        for key_id, key in keys.items():
            if not isinstance(key_id, str) or not _KEY_ID_RE.fullmatch(key_id):
                raise ValidationError("field_key_id",
                                      "字段加密密钥编号只能由字母、数字、下划线和连字符组成（1至64位）", "field_key")
            if not isinstance(key, bytes | bytearray | memoryview) or len(key) != MASTER_KEY_SIZE:
                size = len(key) if isinstance(key, bytes | bytearray | memoryview) else 0
                raise ValidationError("field_key_length",
                                      f"字段加密密钥 {key_id} 的长度应为 {MASTER_KEY_SIZE} 字节，实为 {size} 字节",
                                      "field_key")
            copied[key_id] = bytes(key)
        if current_key_id not in copied:
            shown = current_key_id if _KEY_ID_RE.fullmatch(current_key_id) else "（编号无效）"
            raise ValidationError("field_key_current", f"当前字段加密密钥 {shown} 不在本机密钥库中", "field_key")
        self._keys: dict[str, bytes] = copied
        self._current_key_id = current_key_id
        self._algorithm = get_algorithm(algorithm) if isinstance(algorithm, str) else algorithm
        if get_algorithm(self._algorithm.name) is not self._algorithm:
            raise ValueError(f"field cipher {self._algorithm.name!r} must be registered before use")
        self._subkeys: dict[tuple[str, str], bytes] = {}

    # -- public API ---------------------------------------------------------

    @property
    def current_key_id(self) -> str:
        return self._current_key_id

    @property
    def algorithm(self) -> FieldCipherAlgorithm:
        return self._algorithm

    @property
    def key_ids(self) -> tuple[str, ...]:
        return tuple(self._keys)

    def encrypt(self, value: str, *, field: str, record_id: str) -> str:
        """A fresh token of ``value`` for column ``field`` of row ``record_id``.

        Every call draws a new random nonce, so equal values give different tokens; use
        :class:`BlindIndex` for equality lookups.
        """
        _check_binding(field, record_id)
        try:
            plaintext = value.encode("utf-8")
        except (UnicodeEncodeError, AttributeError):
            raise ValidationError("field_value_encoding", "字段内容含有无法保存的字符，请检查后重新输入",
                                  field) from None
        algorithm = self._algorithm
        key_id = self._current_key_id
        nonce = os.urandom(NONCE_SIZE)
        aad = _associated_data(algorithm.name, key_id, field, record_id)
        sealed = algorithm.encrypt(self._subkey(key_id, algorithm), nonce, plaintext, aad)
        return f"{TOKEN_VERSION}.{algorithm.name}.{key_id}.{_b64url_encode(nonce + sealed)}"

    def decrypt(self, token: str, *, field: str, record_id: str) -> str:
        """The value sealed in ``token``, which must belong to column ``field`` of row ``record_id``."""
        _check_binding(field, record_id)
        algorithm, key_id, payload = self._parse(token, field)
        if payload is None or len(payload) < NONCE_SIZE + TAG_SIZE:
            raise _malformed(field)
        nonce, sealed = payload[:NONCE_SIZE], payload[NONCE_SIZE:]
        aad = _associated_data(algorithm.name, key_id, field, record_id)
        try:
            plaintext = algorithm.decrypt(self._subkey(key_id, algorithm), nonce, sealed, aad)
        except InvalidTag:
            raise ValidationError("field_token_auth", "字段密文校验失败：密钥不符或数据被篡改", field) from None
        try:
            return plaintext.decode("utf-8")
        except UnicodeDecodeError:
            raise ValidationError("field_token_auth", "字段密文校验失败：密钥不符或数据被篡改", field) from None

    def encrypt_bytes(self, data: bytes, *, field: str, record_id: str) -> bytes:
        """A file sealed as :meth:`encrypt` seals a text: ``v1.<algorithm>.<key id>.`` then nonce and ciphertext."""
        _check_binding(field, record_id)
        algorithm = self._algorithm
        key_id = self._current_key_id
        nonce = os.urandom(NONCE_SIZE)
        aad = _associated_data(algorithm.name, key_id, field, record_id)
        sealed = algorithm.encrypt(self._subkey(key_id, algorithm), nonce, bytes(data), aad)
        return f"{TOKEN_VERSION}.{algorithm.name}.{key_id}.".encode("ascii") + nonce + sealed

    def decrypt_bytes(self, blob: bytes, *, field: str, record_id: str) -> bytes:
        """The file sealed in ``blob`` by :meth:`encrypt_bytes` for ``field`` of ``record_id``."""
        _check_binding(field, record_id)
        algorithm, key_id, payload = self._parse_bytes(blob, field)
        aad = _associated_data(algorithm.name, key_id, field, record_id)
        try:
            return algorithm.decrypt(self._subkey(key_id, algorithm), bytes(payload[:NONCE_SIZE]),
                                     payload[NONCE_SIZE:], aad)
        except InvalidTag:
            raise ValidationError("field_token_auth", "字段密文校验失败：密钥不符或数据被篡改", field) from None

    def needs_reencryption(self, token: str | bytes) -> bool:
        """Whether ``token`` (a text's token, or a file's sealed bytes) was made under another key or algorithm.

        The header is checked as strictly as :meth:`decrypt` does (format, version, known
        algorithm, key present), so a rotation job learns of a missing key at once; the
        tag itself is not verified here.
        """
        if isinstance(token, bytes | bytearray | memoryview):
            algorithm, key_id, _payload = self._parse_bytes(token, "")
        else:
            algorithm, key_id, payload = self._parse(token, "")
            if payload is None or len(payload) < NONCE_SIZE + TAG_SIZE:
                raise _malformed("")
        return key_id != self._current_key_id or algorithm is not self._algorithm

    @overload
    def reencrypt(self, token: str, *, field: str, record_id: str) -> str: ...

    @overload
    def reencrypt(self, token: bytes, *, field: str, record_id: str) -> bytes: ...

    def reencrypt(self, token: str | bytes, *, field: str, record_id: str) -> str | bytes:
        """``token`` under the current key and algorithm (the same token if it already is).

        A text's token gives a token, a file's sealed bytes (:meth:`encrypt_bytes`) give sealed
        bytes, bound to the same ``field`` and ``record_id``.
        """
        if isinstance(token, bytes | bytearray | memoryview):
            blob = bytes(token)
            if not self.needs_reencryption(blob):
                self.decrypt_bytes(blob, field=field, record_id=record_id)  # still prove it belongs here
                return blob
            return self.encrypt_bytes(self.decrypt_bytes(blob, field=field, record_id=record_id),
                                      field=field, record_id=record_id)
        if not self.needs_reencryption(token):
            self.decrypt(token, field=field, record_id=record_id)  # still prove it belongs here
            return token
        return self.encrypt(self.decrypt(token, field=field, record_id=record_id), field=field, record_id=record_id)

    def __repr__(self) -> str:
        return (f"FieldCipher(key_ids={list(self._keys)!r}, current_key_id={self._current_key_id!r}, "
                f"algorithm={self._algorithm.name!r})")

    # -- internals ----------------------------------------------------------

    def _subkey(self, key_id: str, algorithm: FieldCipherAlgorithm) -> bytes:
        cache_key = (key_id, algorithm.name)
        subkey = self._subkeys.get(cache_key)
        if subkey is None:
            subkey = _derive_subkey(self._keys[key_id], algorithm)
            self._subkeys[cache_key] = subkey
        return subkey

    def _parse(self, token: object, field: str) -> tuple[FieldCipherAlgorithm, str, bytes | None]:
        """Check the header of ``token``; ``(algorithm, key_id, payload or None if undecodable)``."""
        if not isinstance(token, str) or not token.isascii():
            raise _malformed(field)
        parts = token.split(".")
        if len(parts) != 4:
            raise _malformed(field)
        version, algorithm_name, key_id, body = parts
        algorithm = self._header(version, algorithm_name, key_id, field)
        return algorithm, key_id, _b64url_decode(body)

    def _parse_bytes(self, blob: object, field: str) -> tuple[FieldCipherAlgorithm, str, memoryview]:
        """Check the header of a sealed file; ``(algorithm, key_id, nonce || ciphertext || tag)``.

        The payload is a view into ``blob``, not a copy: a file may be 20 MB.
        """
        if not isinstance(blob, bytes | bytearray | memoryview):
            raise _malformed(field)
        view = memoryview(blob).cast("B")
        head = bytes(view[:_MAX_HEADER])
        parts = head.split(b".", 3)
        if len(parts) != 4 or not all(p.isascii() for p in parts[:3]):
            raise _malformed(field)
        version, algorithm_name, key_id = (p.decode("ascii") for p in parts[:3])
        algorithm = self._header(version, algorithm_name, key_id, field)
        payload = view[len(head) - len(parts[3]):]
        if len(payload) < NONCE_SIZE + TAG_SIZE:
            raise _malformed(field)
        return algorithm, key_id, payload

    def _header(self, version: str, algorithm_name: str, key_id: str, field: str) -> FieldCipherAlgorithm:
        """The algorithm a token's header names, once version, algorithm and key are checked."""
        if (not _VERSION_RE.fullmatch(version) or not _ALGORITHM_NAME_RE.fullmatch(algorithm_name)
                or not _KEY_ID_RE.fullmatch(key_id)):
            raise _malformed(field)
        if version != TOKEN_VERSION:
            raise ValidationError("field_token_version", f"字段密文版本 {version} 不受本程序支持，请升级程序后再试",
                                  field)
        algorithm = _REGISTRY.get(algorithm_name)
        if algorithm is None:
            raise ValidationError("field_cipher_unknown", f"字段密文使用了未知的加密算法 {algorithm_name}", field)
        if key_id not in self._keys:
            raise ValidationError("field_key_unknown", f"密钥 {key_id} 不在本机密钥库中，无法解密该字段", field)
        return algorithm


def _malformed(field: str) -> ValidationError:
    return ValidationError("field_token_malformed", "字段密文格式不正确，数据可能已损坏", field)


def _check_binding(field: str, record_id: str) -> None:
    if not isinstance(field, str) or not isinstance(record_id, str) or not field or not record_id:
        raise ValidationError("field_binding_missing", "加密字段必须指明所属的字段名和记录编号", "field_cipher")


# ---------------------------------------------------------------------------
# Blind index
# ---------------------------------------------------------------------------

#: Value kinds the blind index understands; each has its own normalisation.
BLIND_INDEX_KINDS: Final = frozenset({"id_number", "phone", "name"})

#: Length of a blind-index token in hex characters (128 bits). Collisions only matter by
#: the birthday bound, about 2**64 distinct values — far beyond every person who could
#: ever petition — so a false match is not a practical concern, while the column and
#: its B-tree index are half the size of a full SHA-256. Truncating does not weaken the
#: secrecy either: without the key no token can be computed or checked at all, and with
#: it the small space of ID numbers and phones could be enumerated whatever the length.
BLIND_INDEX_HEX_LENGTH: Final = 32

_ASCII_DIGITS: Final = frozenset("0123456789")
_MOBILE_RE: Final = re.compile(r"1[3-9][0-9]{9}")
#: Middle-dot look-alikes typed in minority and foreign names, unified to U+00B7 "·".
_NAME_DOTS: Final = {ord(c): "·" for c in "・･•‧∙⋅"}


def normalize_for_index(kind: str, value: str) -> str:
    """The canonical form of ``value`` that :class:`BlindIndex` hashes for ``kind``.

    * ``id_number`` — NFKC (full-width to half-width), every whitespace removed, upper-cased
      (so a final check character typed as ``x`` matches ``X``).
    * ``phone`` — NFKC, only ASCII digits kept; a mobile written with a +86 / 0086 / 86
      country code (13 or 15 digits in all) loses the code.
    * ``name`` — NFKC, middle-dot look-alikes unified to "·", every whitespace removed,
      case-folded (for names written in Latin letters).

    Raises a domain error for an unknown kind or a value that normalises to nothing.
    """
    if kind not in BLIND_INDEX_KINDS:
        shown = kind if isinstance(kind, str) and _KEY_ID_RE.fullmatch(kind) else "（名称无效）"
        raise ValidationError("blind_index_kind", f"未知的检索索引类型：{shown}", "blind_index")
    if not isinstance(value, str):
        raise ValidationError("blind_index_value", "检索内容必须是文字", kind)
    text = unicodedata.normalize("NFKC", value)
    if kind == "id_number":
        # NFKC once more at the end: removing spaces and upper-casing can leave marks that
        # compose (e.g. "K¸" → "K" + U+0327 → "Ķ"), and the result must be a fixed point.
        normalized = unicodedata.normalize("NFKC", "".join(text.split()).upper())
    elif kind == "phone":
        normalized = "".join(c for c in text if c in _ASCII_DIGITS)
        if len(normalized) == 15 and normalized.startswith("0086") and _MOBILE_RE.fullmatch(normalized[4:]):
            normalized = normalized[4:]
        elif len(normalized) == 13 and normalized.startswith("86") and _MOBILE_RE.fullmatch(normalized[2:]):
            normalized = normalized[2:]
    else:
        normalized = unicodedata.normalize("NFKC", "".join(text.translate(_NAME_DOTS).split()).casefold())
    if not normalized:
        raise ValidationError("blind_index_empty", "检索内容为空，无法建立索引", kind)
    return normalized


class BlindIndex:
    """Keyed, deterministic tokens of normalised values for exact lookups of encrypted columns.

    ``token(kind, value)`` is HMAC-SHA256 under the deployment's 32-byte index key of
    ``kind || NUL || normalize_for_index(kind, value)``, in lowercase hex truncated to
    :data:`BLIND_INDEX_HEX_LENGTH` characters. The kind prefix keeps an ID number and a
    phone number with the same digits apart. Equal tokens reveal equal values to anyone
    who can read the column; that is the price of indexed lookups.
    """

    __slots__ = ("_hmac",)

    def __init__(self, key: bytes) -> None:
        if not isinstance(key, bytes | bytearray | memoryview) or len(key) != MASTER_KEY_SIZE:
            size = len(key) if isinstance(key, bytes | bytearray | memoryview) else 0
            raise ValidationError("blind_index_key_length",
                                  f"检索索引密钥的长度应为 {MASTER_KEY_SIZE} 字节，实为 {size} 字节", "index_key")
        self._hmac = hmac.new(bytes(key), digestmod=hashlib.sha256)

    def token(self, kind: str, value: str) -> str:
        """The blind-index token of ``value`` as a ``kind`` (see :func:`normalize_for_index`)."""
        normalized = normalize_for_index(kind, value)
        mac = self._hmac.copy()
        mac.update(kind.encode("ascii") + b"\x00" + normalized.encode("utf-8", "surrogatepass"))
        return mac.hexdigest()[:BLIND_INDEX_HEX_LENGTH]

    def __repr__(self) -> str:
        return "BlindIndex(<key hidden>)"
