"""All settings in one typed schema: defaults, descriptions, file, environment.

Precedence: environment variables ``PH_<NAME>`` > the JSON settings file in the
platform's config directory > defaults. Every value is checked when it is read; a wrong
one is refused with a message that names the setting, where it came from and what it
must be. (Plain dataclasses, not a validation library: the settings are read before the
first window is painted, so reading them must cost next to nothing.) The first start writes the file with a
fresh device id so that it stays stable afterwards. Keys are never kept here: they live
in the key store (``desktop/keystore.py``); a query-code pepper left in the file by an
older version is moved into the key store once and then removed from the file.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Literal, cast

from desktop.devices.camera_spec import parse_camera_spec
from desktop.devices.spec import DeviceSettingError, parse_reader_spec
from desktop.domain.errors import ValidationError
from desktop.domain.hours import DEFAULT_HOURS, parse_hours

APP_NAME = "petition-hall"
Role = Literal["kiosk", "counter", "leader", "display", "admin"]
ROLES: tuple[Role, ...] = ("kiosk", "counter", "leader", "display", "admin")


def _user_dir(kind: Literal["config", "data"]) -> Path:
    """The user's own folder for the program's settings or data, by the platform's convention.

    On Linux that is the XDG base directory rule (``$XDG_CONFIG_HOME`` or ``~/.config``, ``$XDG_DATA_HOME``
    or ``~/.local/share``), worked out here as platformdirs does: the settings are read before the first
    frame, and platformdirs takes a few milliseconds to load. Elsewhere platformdirs decides.
    """
    if sys.platform == "linux" and "ANDROID_DATA" not in os.environ:
        variable, fallback = ("XDG_CONFIG_HOME", "~/.config") if kind == "config" else ("XDG_DATA_HOME",
                                                                                       "~/.local/share")
        base = os.environ.get(variable, "")
        return Path(base if base.strip() else os.path.expanduser(fallback)) / APP_NAME
    from platformdirs import user_config_path, user_data_path

    return (user_config_path if kind == "config" else user_data_path)(APP_NAME, appauthor=False)


def config_dir() -> Path:
    override = os.environ.get("PH_CONFIG_DIR")
    return Path(override) if override else _user_dir("config")


def data_dir() -> Path:
    override = os.environ.get("PH_DATA_DIR")
    return Path(override) if override else _user_dir("data")


def settings_file() -> Path:
    return config_dir() / "settings.json"


class SettingsError(RuntimeError):
    """A setting with a value the program cannot use; the message says which and why."""


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("须为文字")
    return value


def _integer(value: Any) -> int:
    if isinstance(value, bool):
        raise ValueError("须为整数")
    if isinstance(value, int):
        return value
    if isinstance(value, str) and re.fullmatch(r"\s*[+-]?\d+\s*", value):
        return int(value)
    raise ValueError("须为整数")


def _number(value: Any) -> float:
    if isinstance(value, bool):
        raise ValueError("须为数字")
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            pass
    raise ValueError("须为数字")


_TRUE, _FALSE = frozenset({"true", "1", "yes", "on"}), frozenset({"false", "0", "no", "off"})


def _flag(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
        return value.strip().lower() in _TRUE
    raise ValueError("须为 true 或 false")


def _optional_path(value: Any) -> Path | None:
    if value is None or value == "":
        return None
    if isinstance(value, Path):
        return value
    if isinstance(value, str):
        return Path(value).expanduser()
    raise ValueError("须为文件路径")


def _text_map(value: Any) -> dict[str, str]:
    if isinstance(value, str):  # from the environment: JSON
        try:
            value = json.loads(value)
        except ValueError as exc:
            raise ValueError(f"须为 JSON 对象，如 {{\"受理告知书\": \"system:HP-2F\"}}（{exc}）") from exc
    if not isinstance(value, Mapping) or not all(isinstance(k, str) and isinstance(v, str)
                                                 for k, v in value.items()):
        raise ValueError("须为“名称: 文字”的对象，如 {\"受理告知书\": \"system:HP-2F\"}")
    return dict(value)


def _device_setting(parse: Callable[[str], object]) -> Callable[[Any], str]:
    """A device's setting (desktop/devices), checked by ``parse`` without touching the device; empty is none."""
    def check(value: Any) -> str:
        text = _text(value).strip()
        try:
            parse(text)
        except DeviceSettingError as exc:
            raise ValueError(exc.message) from None
        return text or "none"

    return check


_reader_spec = _device_setting(parse_reader_spec)
_camera_spec = _device_setting(parse_camera_spec)


def _hours(value: Any) -> str:
    """Opening hours as the setting keeps them (``08:30-12:00,13:30-17:30``), checked."""
    try:
        return parse_hours(_text(value)).text()
    except ValidationError as exc:
        raise ValueError(exc.message) from None


def _setting(default: Any, description: str, parse: Callable[[Any], Any] = _text, *,
             choices: tuple[str, ...] = (), pattern: str = "", upper: bool = False,
             low: float | None = None, high: float | None = None, secret: bool = False) -> Any:
    """One setting: its default, its description (shown by ``doctor`` and the status page), its rule.

    A ``secret`` one is never shown, only whether it is set.
    """
    meta = {"description": description, "parse": parse, "choices": choices, "pattern": pattern,
            "upper": upper, "low": low, "high": high, "secret": secret}
    if isinstance(default, dict):
        return field(default_factory=dict, metadata=meta)
    return field(default=default, metadata=meta)


def _check(name: str, value: Any, meta: Mapping[str, Any]) -> Any:
    """``value`` converted to the setting's type, or ValueError saying what it must be."""
    if meta["upper"] and isinstance(value, str):
        value = value.strip().upper()
    value = meta["parse"](value)
    if meta["choices"] and value not in meta["choices"]:
        raise ValueError("须为以下之一：" + "、".join(meta["choices"]))
    if meta["pattern"] and not re.fullmatch(meta["pattern"], value):
        raise ValueError(f"格式不符（{meta['description'].split('，')[0]}）")
    if meta["low"] is not None and value < meta["low"]:
        raise ValueError(f"不能小于 {meta['low']:g}")
    if meta["high"] is not None and value > meta["high"]:
        raise ValueError(f"不能大于 {meta['high']:g}")
    return value


@dataclass(frozen=True)
class Settings:
    """Settings of one installation (one PC). Built from keywords, every value checked."""

    device_id: str = _setting("", "本机唯一标识，首次启动时生成，用于事件来源与混合逻辑时钟")
    device_code: str = _setting("K01", "本机编码（2–4位字母数字），写入案件编号以保证离线唯一",
                                pattern=r"[A-Z0-9]{2,4}", upper=True)
    hall_name: str = _setting("浦江县人民来访接待中心", "接待大厅名称，打印在回执上")
    bureau_code: str = _setting("330726-XFJ", "本级信访部门在机构目录中的编码")
    region_code: str = _setting("330726", "本大厅所在行政区划代码")
    day_counting: Literal["calendar", "working"] = _setting(
        "calendar", "期限计算方式：calendar=自然日（默认），working=工作日（依地方规定）",
        choices=("calendar", "working"))
    database: Path | None = _setting(None, "本机数据库文件路径（默认在用户数据目录）", _optional_path)
    server_url: str = _setting("", "中心服务器地址；为空则仅离线工作")
    queue_window: int = _setting(0, "本机的窗口号（排队叫号；叫号屏显示“请 A012 号到 N 号窗口”）；0=本机不叫号",
                                 _integer, low=0, high=99)
    sync_interval_seconds: int = _setting(60, "程序运行时每隔多少秒与中心服务器同步一次（设置了 server_url 时）",
                                          _integer, low=10, high=3600)
    query_code_pepper: str = _setting(
        "", "旧版设置：查询码散列密钥（十六进制）。仅在首次创建密钥时迁入密钥存储，随后从设置文件中删除",
        secret=True)
    key_store: Literal["auto", "keyring", "file"] = _setting(
        "auto", "数据库密钥的保存位置：auto=系统密钥库可用时用它，否则用配置目录中仅本用户可读的密钥文件；"
                "keyring=只用系统密钥库；file=只用密钥文件", choices=("auto", "keyring", "file"))
    repeat_similarity: float = _setting(72.0, "判断同一事项的请求文本相似度阈值（0–100）", _number, low=50, high=100)
    # -- printed documents (desktop/documents) --
    public_lookup_url: str = _setting(
        "https://xf.example.gov.cn",
        "公众查询页面地址（须以 https:// 开头）；登记回执上的二维码指向 <地址>/q/<案件编号>/<查询码>")
    issuing_organisation: str = _setting("浦江县信访局", "告知书、意见书等文书的发文机关名称，印在文头和落款")
    seal_text: str = _setting("（印章）", "文书落款处印章位置圆圈内的提示文字")
    hall_address: str = _setting("", "接待大厅地址，印在回执上；为空时使用机构目录中本级信访部门的地址")
    hall_phone: str = _setting("", "接待大厅联系电话，印在回执上；为空时使用机构目录中本级信访部门的电话")
    document_prefix: str = _setting(
        "浦江信访", "文号前缀，如“浦江信访〔2026〕受字第12号”；文号由本机按年、按文书种类连续编号，"
                   "多台电脑出具同类文书时请为每台设置不同的前缀")
    review_organisation: str = _setting(
        "", "处理意见书中受理复查请求的上一级机关；为空时取机构目录中办理单位的上级机关")
    document_header_red: bool = _setting(True, "文书文头（发文机关名称）和分隔线用红色印制；false 为黑色", _flag)
    document_texts: Path | None = _setting(
        None, "文书固定文字（告知语、法律条文）的覆盖文件（TOML，键名见 desktop/documents/templates.py）；"
              "为空使用内置文本", _optional_path)
    # Leader reception days (desktop/services/reception.py)
    hall_hours: str = _setting(DEFAULT_HOURS, "大厅开放时间（工作日，按节假日安排含调休）：如 08:30-12:00,13:30-17:30；"
                                              "开放时间以外自助终端不发号，窗口发号时提示；为空则不限", _hours)
    reception_day_of_month: int = _setting(15, "每月领导接访日（几号），默认15日", _integer, low=1, high=28)
    reception_rest_day: Literal["keep", "next", "previous"] = _setting(
        "next", "接访日逢休息日：keep=照常接访，next=顺延至下一个工作日（默认），previous=提前至前一个工作日",
        choices=("keep", "next", "previous"))
    reception_slots: str = _setting("09:00-10:30/4,10:30-12:00/4,14:30-16:00/4,16:00-17:30/4",
                                    "接访日默认时段与每时段接待批次，如 09:00-10:30/4,10:30-12:00/4")
    reception_place: str = _setting("县人民来访接待中心领导接访室", "领导接访地点（生成接访日时的默认值）")
    leader_follow_up_days: int = _setting(30, "领导包案访后限期办结的默认天数（自接访之日起，按期限计算方式）",
                                          _integer, low=1, high=90)
    backlog_days: int = _setting(180, "积案：登记后超过多少天仍未办结", _integer, low=30, high=3650)
    backlog_visits: int = _setting(3, "积案：同一事项重复信访达到多少次", _integer, low=2, high=50)
    lockout_failures: int = _setting(5, "连续登录失败多少次后锁定账户", _integer, low=3, high=20)
    lockout_minutes: int = _setting(15, "账户锁定时长（分钟），到期自动解锁", _integer, low=1, high=1440)
    idle_lock_minutes: int = _setting(10, "工作人员界面无操作多少分钟后锁屏", _integer, low=1, high=120)
    # Printers (desktop/printing): a spec per kind of paper; `doctor` checks them.
    printer_receipts: str = _setting(
        "system:", "打印80毫米回执、号票的打印机：system:（系统默认打印机）、system:队列名、"
                   "escpos:usb:0x0416:0x5011 / escpos:tcp:192.168.1.50:9100 / "
                   "escpos:serial:/dev/ttyUSB0（热敏小票机）、pdf:文件夹（保存为PDF）")
    printer_notices: str = _setting(
        "system:", "打印A4告知书、转送单等文书的打印机：system:（系统默认打印机）、system:队列名、pdf:文件夹")
    printer_by_kind: dict[str, str] = _setting(
        {}, '按文书种类单独指定打印机，如 {"受理告知书": "system:HP-2F"}；未列出的种类按纸张使用上面两项', _text_map)
    # The self-service kiosk (ui/kiosk).
    kiosk_idle_seconds: int = _setting(
        90, "自助终端无人操作多少秒后清空屏幕回到首页（最后15秒显示倒计时和“继续”）", _integer, low=30, high=600)
    kiosk_exit_pin: str = _setting(
        "", "自助终端管理员退出密码的 Argon2id 散列（用 python -m desktop set-kiosk-pin 设置；为空则无法从屏幕退出）",
        pattern=r"(\$argon2id\$[A-Za-z0-9$=,+/]{20,200})?", secret=True)
    kiosk_on_screen_keyboard: bool = _setting(
        True, "自助终端使用屏幕键盘（Qt 虚拟键盘，拼音输入）；false 时只用实体键盘", _flag)
    kiosk_erase_after_sync: bool = _setting(
        True, "自助终端上登记的事项在服务器确认收到后，从本机删除其个人信息（默认开启）", _flag)
    kiosk_voice: bool = _setting(
        True, "自助终端每个页面用语音提示下一步（需本机有中文语音引擎，见 doctor；"
              "语速、音量同 voice_rate、voice_volume）", _flag)
    # ID-card reader (desktop/devices): `doctor` checks it.
    id_reader: str = _setting(
        "none", "身份证阅读器：none=不使用（默认，证件信息手工录入）；sdk:=厂商驱动库（libtermb.so / termb.dll，"
                "自动查找端口）、sdk:库文件路径[:端口]（USB 1001–1016，串口 1–16）；keyboard:=键盘输入式阅读器，"
                "可写字段顺序如 keyboard:name,sex,ethnicity,birth_date,address,id_number；"
                "sim:=模拟阅读器（演示、培训，可加 seed=数字、nocard、unplugged 或卡片文件.json）", _reader_spec)
    # The kiosk's camera (desktop/devices/camera.py) reads the receipt's QR code: `doctor` lists the cameras.
    camera: str = _setting(
        "none", "自助终端的摄像头，用于识读回执上的二维码：none=不使用（默认，用扫描口或输入编号）；"
                "auto=本机默认摄像头；qt:名称=名称中含有这些字的摄像头（见 doctor）；"
                "sim:图片文件或文件夹=模拟摄像头（演示、培训）",
        _camera_spec)

    # The hall display's call announcements (desktop/devices/voice.py): `doctor` checks them.
    voice: bool = _setting(True, "大厅显示屏叫号时语音播报（需本机有中文语音引擎，见 doctor）", _flag)
    voice_engine: str = _setting(
        "", "语音引擎：为空自动选择（Linux 为 speechd，即 speech-dispatcher + espeak-ng；Windows 为 winrt/sapi）")
    voice_locale: str = _setting("zh_CN", "播报语音的语言（默认 zh_CN 普通话）",
                                 pattern=r"[a-z]{2,3}([_-][A-Za-z]{2,4})?")
    voice_rate: float = _setting(0.0, "播报语速：-1（最慢）到 1（最快），0 为引擎默认", _number, low=-1, high=1)
    voice_volume: float = _setting(1.0, "播报音量：0 到 1", _number, low=0, high=1)
    voice_chime: Path | None = _setting(None, "每次播报前播放的提示音（WAV 文件）；为空不播放", _optional_path)
    voice_repetitions: int = _setting(2, "每次叫号播报几遍（1–3）", _integer, low=1, high=3)

    def __post_init__(self) -> None:
        for spec in fields(self):
            value = getattr(self, spec.name)
            try:
                checked = _check(spec.name, value, spec.metadata)
            except ValueError as exc:
                raise SettingsError(f"设置项 {spec.name} 的值 {value!r} 无效：{exc}。请在设置文件 {settings_file()}"
                                    f" 或环境变量 PH_{spec.name.upper()} 中改正。") from None
            object.__setattr__(self, spec.name, checked)

    @classmethod
    def names(cls) -> tuple[str, ...]:
        return tuple(spec.name for spec in fields(cls))

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
    for spec in fields(Settings):
        default = spec.default_factory() if callable(spec.default_factory) else spec.default
        rows.append((spec.name, repr(default), cast(str, spec.metadata["description"])))
    return rows


def settings_in_force(settings: Settings) -> list[tuple[str, str, str]]:
    """(name, value as shown, description) of every setting; secret values are never shown."""
    rows = []
    for spec in fields(Settings):
        value = getattr(settings, spec.name)
        secret = spec.metadata.get("secret")
        if secret:
            shown = "（保密，已设置）" if value else "（未设置）"
        else:  # an unset optional setting reads as words, not Python's "None"
            shown = "（未设置）" if value is None else str(value)
        rows.append((spec.name, shown, cast(str, spec.metadata["description"])))
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
        import secrets  # the first start only (hashlib and OpenSSL load with it)

        stored["device_id"] = secrets.token_hex(6)
        changed = True
    if changed and write_first_start:
        _write_settings_file(path, stored)
    names = Settings.names()
    values = {k: v for k, v in stored.items() if k in names}
    values.update(_environment(names))
    return Settings(**values)


def _environment(names: Iterable[str]) -> dict[str, str]:
    """The settings among ``names`` that an environment variable ``PH_<NAME>`` sets, with its text."""
    environment = {key.upper(): value for key, value in os.environ.items() if key.upper().startswith("PH_")}
    return {name: environment[f"PH_{name.upper()}"] for name in names if f"PH_{name.upper()}" in environment}


def with_values(settings: Settings, values: Mapping[str, Any]) -> Settings:
    """``settings`` with ``values`` (each checked) in force now, except those an environment variable overrides."""
    taken = {name: value for name, value in values.items() if name not in _environment(values)}
    if not taken:
        return settings
    checked = Settings(**taken)
    return replace(settings, **{name: getattr(checked, name) for name in taken})


def _write_settings_file(path: Path, stored: dict[str, Any]) -> None:
    """Atomically, through a temporary file of this process's own (two programs may start at once)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    import tempfile  # only when the file is written

    handle, name = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=".tmp", dir=path.parent)
    tmp = Path(name)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(json.dumps(stored, ensure_ascii=False, indent=2))
        os.chmod(tmp, 0o600)
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)


def merge_into_settings_file(values: Mapping[str, Any]) -> list[str]:
    """Write ``values`` into the settings file (read at the next start); returns the names that changed."""
    path = settings_file()
    stored: dict[str, Any] = {}
    if path.exists():
        try:
            loaded = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise RuntimeError(f"设置文件 {path} 无法读取：{exc}。请修复或删除该文件后重试。") from exc
        stored = loaded if isinstance(loaded, dict) else {}
    changed = sorted(k for k, v in values.items() if stored.get(k) != v)
    if changed:
        _write_settings_file(path, {**stored, **{k: values[k] for k in changed}})
    return changed


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


def store_setting(name: str, value: Any) -> Path:
    """Write one setting into the settings file (checked first; other entries kept); returns the file."""
    if name not in Settings.names():
        raise KeyError(name)
    Settings(**{name: value})  # refused here, with the setting named, rather than at the next start
    path = settings_file()
    stored: dict[str, Any] = {}
    if path.exists():
        stored = json.loads(path.read_text(encoding="utf-8"))
    stored[name] = value
    _write_settings_file(path, stored)
    return path
