"""All settings in one typed schema: defaults, descriptions, file, environment.

Precedence: environment variables ``PH_<NAME>`` > the JSON settings file in the
platform's config directory > defaults. The first start writes the file with a
fresh device id so that it stays stable afterwards. Keys are never kept here: they live
in the key store (``desktop/keystore.py``); a query-code pepper left in the file by an
older version is moved into the key store once and then removed from the file.
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
    query_code_pepper: str = Field(
        "", description="旧版设置：查询码散列密钥（十六进制）。仅在首次创建密钥时迁入密钥存储，随后从设置文件中删除")
    key_store: Literal["auto", "keyring", "file"] = Field(
        "auto", description="数据库密钥的保存位置：auto=系统密钥库可用时用它，否则用配置目录中仅本用户可读的密钥文件；"
                            "keyring=只用系统密钥库；file=只用密钥文件")
    repeat_similarity: float = Field(72.0, ge=50, le=100,
                                     description="判断同一事项的请求文本相似度阈值（0–100）")
    # -- printed documents (desktop/documents) --
    public_lookup_url: str = Field(
        "https://xf.example.gov.cn",
        description="公众查询页面地址（须以 https:// 开头）；登记回执上的二维码指向 <地址>/q/<案件编号>/<查询码>")
    issuing_organisation: str = Field("浦江县信访局", description="告知书、意见书等文书的发文机关名称，印在文头和落款")
    seal_text: str = Field("（印章）", description="文书落款处印章位置圆圈内的提示文字")
    hall_address: str = Field("", description="接待大厅地址，印在回执上；为空时使用机构目录中本级信访部门的地址")
    hall_phone: str = Field("", description="接待大厅联系电话，印在回执上；为空时使用机构目录中本级信访部门的电话")
    document_prefix: str = Field(
        "浦江信访", description="文号前缀，如“浦江信访〔2026〕受字第12号”；文号由本机按年、按文书种类连续编号，"
                               "多台电脑出具同类文书时请为每台设置不同的前缀")
    review_organisation: str = Field(
        "", description="处理意见书中受理复查请求的上一级机关；为空时取机构目录中办理单位的上级机关")
    document_header_red: bool = Field(True, description="文书文头（发文机关名称）和分隔线用红色印制；false 为黑色")
    document_texts: Path | None = Field(
        None, description="文书固定文字（告知语、法律条文）的覆盖文件（TOML，键名见 desktop/documents/templates.py）；"
                          "为空使用内置文本")
    lockout_failures: int = Field(5, ge=3, le=20, description="连续登录失败多少次后锁定账户")
    lockout_minutes: int = Field(15, ge=1, le=1440, description="账户锁定时长（分钟），到期自动解锁")
    idle_lock_minutes: int = Field(10, ge=1, le=120, description="工作人员界面无操作多少分钟后锁屏")
    # Printers (desktop/printing): a spec per kind of paper; `doctor` checks them.
    printer_receipts: str = Field(
        "system:", description="打印80毫米回执、号票的打印机：system:（系统默认打印机）、system:队列名、"
                               "escpos:usb:0x0416:0x5011 / escpos:tcp:192.168.1.50:9100 / "
                               "escpos:serial:/dev/ttyUSB0（热敏小票机）、pdf:文件夹（保存为PDF）")
    printer_notices: str = Field(
        "system:", description="打印A4告知书、转送单等文书的打印机：system:（系统默认打印机）、"
                               "system:队列名、pdf:文件夹")
    printer_by_kind: dict[str, str] = Field(
        default_factory=dict, description='按文书种类单独指定打印机，如 {"受理告知书": "system:HP-2F"}；'
                                          "未列出的种类按纸张使用上面两项")

    @field_validator("device_code", mode="before")
    @classmethod
    def _upper(cls, value: Any) -> Any:
        return value.upper() if isinstance(value, str) else value

    @property
    def database_path(self) -> Path:
        return self.database or data_dir() / "hall.db"

    @property
    def pepper_bytes(self) -> bytes:
        """The legacy pepper from the settings file (empty when there is none)."""
        try:
            return bytes.fromhex(self.query_code_pepper)
        except ValueError as exc:
            raise RuntimeError(f"设置中的 query_code_pepper 不是十六进制：{exc}。请从设置文件备份中恢复该值。") from exc


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
    if changed and write_first_start:
        _write_settings_file(path, stored)
    file_values = {k: v for k, v in stored.items()
                   if k in Settings.model_fields and f"PH_{k.upper()}" not in os.environ}
    return Settings(**file_values)


def _write_settings_file(path: Path, stored: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(stored, ensure_ascii=False, indent=2), encoding="utf-8")
    os.chmod(tmp, 0o600)
    tmp.replace(path)


def forget_legacy_pepper() -> bool:
    """Remove ``query_code_pepper`` from the settings file once the key store holds it."""
    path = settings_file()
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if not isinstance(stored, dict) or "query_code_pepper" not in stored:
        return False
    del stored["query_code_pepper"]
    _write_settings_file(path, stored)
    return True
