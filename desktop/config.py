"""All settings in one typed schema: defaults, descriptions, file, environment.

Precedence: environment variables ``PH_<NAME>`` > the JSON settings file in the
platform's config directory > defaults. The first start writes the file with a
fresh device id and query-code pepper so that they stay stable afterwards.
"""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path
from typing import Any, Literal

from platformdirs import user_config_path, user_data_path
from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

APP_NAME = "petition-hall"
Role = Literal["kiosk", "counter", "leader", "display", "admin"]
ROLES: tuple[Role, ...] = ("kiosk", "counter", "leader", "display", "admin")


def config_dir() -> Path:
    override = os.environ.get("PH_CONFIG_DIR")
    return Path(override) if override else user_config_path(APP_NAME, appauthor=False)


def data_dir() -> Path:
    override = os.environ.get("PH_DATA_DIR")
    return Path(override) if override else user_data_path(APP_NAME, appauthor=False)


def settings_file() -> Path:
    return config_dir() / "settings.json"


class Settings(BaseSettings):
    """Settings of one installation (one PC)."""

    model_config = SettingsConfigDict(env_prefix="PH_", extra="ignore")

    device_id: str = Field("", description="本机唯一标识，首次启动时生成，用于事件来源与混合逻辑时钟")
    device_code: str = Field("K01", description="本机编码（2–4位字母数字），写入案件编号以保证离线唯一",
                             pattern=r"^[A-Z0-9]{2,4}$")
    hall_name: str = Field("浦江县人民来访接待中心", description="接待大厅名称，打印在回执上")
    bureau_code: str = Field("330726-XFJ", description="本级信访部门在机构目录中的编码")
    region_code: str = Field("330726", description="本大厅所在行政区划代码")
    day_counting: Literal["calendar", "working"] = Field(
        "calendar", description="期限计算方式：calendar=自然日（默认），working=工作日（依地方规定）")
    database: Path | None = Field(None, description="本机数据库文件路径（默认在用户数据目录）")
    server_url: str = Field("", description="中心服务器地址；为空则仅离线工作")
    query_code_pepper: str = Field("", description="查询码散列密钥（全部署统一，十六进制）")
    repeat_similarity: float = Field(72.0, ge=50, le=100,
                                     description="判断同一事项的请求文本相似度阈值（0–100）")

    @field_validator("device_code", mode="before")
    @classmethod
    def _upper(cls, value: Any) -> Any:
        return value.upper() if isinstance(value, str) else value

    @property
    def database_path(self) -> Path:
        return self.database or data_dir() / "hall.db"

    @property
    def pepper_bytes(self) -> bytes:
        return bytes.fromhex(self.query_code_pepper)


def describe() -> list[tuple[str, str, str]]:
    """(name, default, description) of every setting, for `doctor` and the docs."""
    rows = []
    for name, info in Settings.model_fields.items():
        rows.append((name, repr(info.default), info.description or ""))
    return rows


def load_settings(write_first_start: bool = True) -> Settings:
    """Read the settings file (if any) under environment overrides."""
    path = settings_file()
    stored: dict[str, Any] = {}
    if path.exists():
        try:
            stored = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise RuntimeError(f"设置文件 {path} 无法读取：{exc}。请修复或删除该文件后重试。") from exc
    changed = False
    if not stored.get("device_id"):
        stored["device_id"] = secrets.token_hex(6)
        changed = True
    if not stored.get("query_code_pepper"):
        stored["query_code_pepper"] = secrets.token_hex(32)
        changed = True
    if changed and write_first_start:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(stored, ensure_ascii=False, indent=2), encoding="utf-8")
        os.chmod(tmp, 0o600)
        tmp.replace(path)
    file_values = {k: v for k, v in stored.items()
                   if k in Settings.model_fields and f"PH_{k.upper()}" not in os.environ}
    return Settings(**file_values)
