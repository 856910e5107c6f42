"""The installation's secrets: database key, query-code key, audit-chain key, field-cipher keys."""

from __future__ import annotations

import base64
import json
import secrets as _random
from dataclasses import dataclass

SECRETS_FORMAT = 1


@dataclass(frozen=True)
class Secrets:
    """Every secret one installation holds; kept together in the key store, never in the database.

    * ``database_key`` — 32 random bytes, the SQLCipher raw key of the desktop database.
    * ``query_code_pepper`` — deployment-wide HMAC key of query codes (the same on every replica,
      so that any replica and the server's public page can verify a code issued elsewhere).
    * ``audit_key`` — HMAC key of the audit log's hash chain.
    * ``field_key`` / ``index_key`` — field cipher and blind-index keys (server-side storage of
      ID numbers and phones; deployment-wide, like the pepper).
    """

    database_key: bytes
    query_code_pepper: bytes
    audit_key: bytes
    field_key: bytes
    index_key: bytes

    @classmethod
    def generate(cls, query_code_pepper: bytes | None = None) -> Secrets:
        return cls(database_key=_random.token_bytes(32),
                   query_code_pepper=query_code_pepper or _random.token_bytes(32),
                   audit_key=_random.token_bytes(32),
                   field_key=_random.token_bytes(32),
                   index_key=_random.token_bytes(32))

    def with_database_key(self, key: bytes) -> Secrets:
        return Secrets(key, self.query_code_pepper, self.audit_key, self.field_key, self.index_key)

    def to_json(self) -> str:
        def b64(value: bytes) -> str:
            return base64.b64encode(value).decode("ascii")

        return json.dumps({"format": SECRETS_FORMAT, "database_key": b64(self.database_key),
                           "query_code_pepper": b64(self.query_code_pepper),
                           "audit_key": b64(self.audit_key), "field_key": b64(self.field_key),
                           "index_key": b64(self.index_key)})

    @classmethod
    def from_json(cls, text: str) -> Secrets:
        try:
            data = json.loads(text)
            if data.get("format") != SECRETS_FORMAT:
                raise ValueError(f"未知的密钥格式版本 {data.get('format')!r}")
            values = {name: base64.b64decode(data[name], validate=True)
                      for name in ("database_key", "query_code_pepper", "audit_key", "field_key", "index_key")}
        except (ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"密钥存储中的内容已损坏，无法读取：{exc}") from exc
        if len(values["database_key"]) != 32:
            raise ValueError("密钥存储中的数据库密钥长度不是 32 字节，内容已损坏")
        return cls(**values)

    def __repr__(self) -> str:  # never print key material
        return "Secrets(<hidden>)"
