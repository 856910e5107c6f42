"""Where a device keeps its sync token: beside its database key, never in the settings file.

In the OS key store when the database key is there (an entry of its own, next to the
database's), else in a file ``<config>/keys/<database>-<hash>.sync-token`` readable only by
the application's user. ``PH_SYNC_TOKEN`` overrides both (service accounts, tests).
"""

from __future__ import annotations

import os
from pathlib import Path

from desktop.config import Settings
from desktop.keystore import SERVICE_NAME, KeyringStore, KeyStoreError, installation_id, keys_dir, open_keystore


def _token_file(db_path: Path) -> Path:
    return keys_dir() / f"{Path(db_path).name}-{installation_id(db_path)}.sync-token"


def _keyring_user(db_path: Path) -> str:
    return f"{Path(db_path).name}#{installation_id(db_path)}#sync-token"


def save_token(settings: Settings, db_path: Path, token: str) -> str:
    """Store the token; returns where, in words for the operator."""
    token = token.strip()
    if not token or len(token) > 200 or not token.isprintable() or " " in token:
        raise ValueError("同步令牌格式不正确：请粘贴服务器 enrol-device 命令显示的那一行")
    store = open_keystore(settings, db_path)
    if isinstance(store, KeyringStore):
        try:
            store.backend.set_password(SERVICE_NAME, _keyring_user(db_path), token)
        except Exception as exc:  # any backend failure (D-Bus, locked collection, …)
            raise KeyStoreError(f"无法把同步令牌写入系统密钥库：{exc}") from exc
        return f"系统密钥库条目 {SERVICE_NAME} / {_keyring_user(db_path)}"
    path = _token_file(db_path)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.unlink(missing_ok=True)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(token)
    os.replace(tmp, path)
    return f"令牌文件 {path}"


def load_token(settings: Settings, db_path: Path) -> str | None:
    override = os.environ.get("PH_SYNC_TOKEN", "").strip()
    if override:
        return override
    store = open_keystore(settings, db_path)
    if isinstance(store, KeyringStore):
        try:
            return store.backend.get_password(SERVICE_NAME, _keyring_user(db_path))
        except Exception as exc:
            raise KeyStoreError(f"无法从系统密钥库读取同步令牌：{exc}") from exc
    try:
        return _token_file(db_path).read_text(encoding="utf-8").strip() or None
    except FileNotFoundError:
        return None
