"""The server's hall: the same services and schema as a desktop, on the server's database."""

from __future__ import annotations

import base64
import dataclasses
import json
import logging
import os
import secrets
import threading
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from desktop.config import load_settings
from desktop.domain.fieldcrypt import BlindIndex, FieldCipher
from desktop.keystore import Secrets, keys_dir
from desktop.services.context import Hall
from desktop.services.reference_feed import use_stored_directory
from server.personal import FieldKeys, catch_up

log = logging.getLogger(__name__)
PEPPER_ENV = "PH_QUERY_CODE_PEPPER"


class ServerSetupError(RuntimeError):
    """The server's environment or key files cannot be used; the message says which and what to do."""


def deployment_pepper() -> bytes | None:
    """The deployment-wide query-code pepper (hex in ``PH_QUERY_CODE_PEPPER``, else the settings file's)."""
    text = os.environ.get(PEPPER_ENV, "").strip()
    if text:
        try:
            return bytes.fromhex(text)
        except ValueError:
            raise ServerSetupError(f"环境变量 {PEPPER_ENV} 不是十六进制：应为查询码密钥的十六进制文本"
                                   "（与各设备设置中的 query_code_pepper 相同）") from None
    return load_settings(write_first_start=False).pepper_bytes or None


def server_secrets_file() -> Path:
    return keys_dir() / "server-secrets.json"


def server_secrets(pepper: bytes | None) -> Secrets:
    """The server's own keys (its audit log's key among them), kept in a 0600 file of its config folder.

    Made on the first start and read on every later one, so the audit log stays verifiable
    across restarts. The deployment's pepper, when given, replaces the file's.
    """
    path = server_secrets_file()
    try:
        secrets = Secrets.from_json(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise ServerSetupError(f"服务器密钥文件 {path} 已损坏（{exc}）：请从备份恢复该文件；"
                               "新建密钥会使已有的审计日志无法核验") from None
    except FileNotFoundError:
        secrets = Secrets.generate()
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(secrets.to_json())
    return dataclasses.replace(secrets, query_code_pepper=pepper) if pepper else secrets


def server_hall(engine: Engine) -> Hall:
    """A hall over ``engine`` with the settings of the server's config folder (day counting, directory).

    The query-code pepper is the deployment's (the public lookup page checks codes issued
    at any counter); without one, the page answers every code as wrong and says so in the
    log. The other keys are the server's own (:func:`server_secrets`).
    """
    pepper = deployment_pepper()
    if pepper is None:
        log.warning("未配置查询码密钥（%s）：公众查询页面将无法核验查询码", PEPPER_ENV)
    hall = Hall(engine=engine, settings=load_settings(write_first_start=False), secrets=server_secrets(pepper))
    use_stored_directory(hall)  # the directory imported at the centre, once there is one
    return hall


def field_keys_file() -> Path:
    return keys_dir() / "server-field-keys.json"


def _damaged_ring(path: Path, exc: Exception) -> ServerSetupError:
    return ServerSetupError(f"字段加密密钥文件 {path} 已损坏（{exc}）：请从备份恢复该文件")


def _key_ring(path: Path) -> dict[str, Any] | None:
    """The field key ring file's content (``{"current": id, "keys": {id: base64}}``), None before any rotation."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or data.get("current") not in data.get("keys", {}):
            raise ValueError("缺少当前密钥")
        return data
    except FileNotFoundError:
        return None
    except (ValueError, TypeError, AttributeError) as exc:
        raise _damaged_ring(path, exc) from None


def load_field_keys(hall: Hall) -> FieldKeys:
    """The server's field key ring (``server-field-keys.json``), or its first key alone before any rotation."""
    path = field_keys_file()
    data = _key_ring(path)
    if data is None:
        return FieldKeys.single(hall.secrets.field_key, hall.secrets.index_key)
    try:
        keys = {key_id: base64.b64decode(value, validate=True) for key_id, value in data["keys"].items()}
        cipher = FieldCipher(keys, data["current"])
    except (ValueError, KeyError, TypeError) as exc:
        raise _damaged_ring(path, exc) from None
    return FieldKeys(cipher, BlindIndex(hall.secrets.index_key))


def follow_field_keys(hall: Hall, keys: FieldKeys) -> bool:
    """Take up a key ring changed while the server runs (a rotation, a retired key); says whether it changed.

    The new ring replaces ``keys.cipher`` at once (every request reads it there), then whatever
    the server sealed under the old key in the meantime is re-encrypted under the new one.
    """
    fresh = load_field_keys(hall).cipher
    if (fresh.key_ids, fresh.current_key_id) == (keys.cipher.key_ids, keys.cipher.current_key_id):
        return False
    keys.cipher = fresh
    log.info("已启用字段加密密钥 %s（密钥库：%s）", fresh.current_key_id, "、".join(fresh.key_ids))
    catch_up(hall.sessions, keys)
    return True


def watch_field_keys(hall: Hall, keys: FieldKeys, interval: float = 10.0) -> None:
    """The central server's background task: finish an interrupted re-encryption, then follow the key ring."""
    catch_up(hall.sessions, keys)
    pause = threading.Event()
    while not pause.wait(interval):
        try:
            follow_field_keys(hall, keys)
        except ServerSetupError as exc:
            log.warning("%s；服务器继续使用原有的密钥", exc)


def add_field_key(hall: Hall) -> str:
    """A new current field key (the old ones stay for reading); returns its id. Re-encrypt afterwards."""
    path = field_keys_file()
    data = _key_ring(path) or {"current": "k1",
                               "keys": {"k1": base64.b64encode(hall.secrets.field_key).decode("ascii")}}
    number = 1 + max(int(k[1:]) for k in data["keys"] if k[1:].isdigit())
    key_id = f"k{number}"
    data["keys"][key_id] = base64.b64encode(secrets.token_bytes(32)).decode("ascii")
    data["current"] = key_id
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.unlink(missing_ok=True)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(data, handle)
    os.replace(tmp, path)
    return key_id
