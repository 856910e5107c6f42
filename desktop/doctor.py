"""``doctor``: checks this PC and says in plain words what is wrong and how to fix it."""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
import sys
import urllib.request
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from desktop.config import Settings, settings_file
from desktop.domain.chinatime import china_today

OK, WARN, FAIL = "正常", "注意", "错误"


@dataclass(frozen=True)
class Check:
    name: str
    status: str
    detail: str
    fix: str = ""


def _qt_checks() -> list[Check]:
    try:
        import PySide6
        from PySide6.QtCore import QLibraryInfo
    except ImportError as exc:
        return [Check("Qt", FAIL, f"无法加载 PySide6：{exc}", "重新运行安装脚本 scripts/setup.sh")]
    checks = [Check("Qt", OK, f"PySide6 {PySide6.__version__}")]
    plugins = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath)) / "platforms"
    names = sorted(p.name for p in plugins.glob("*")) if plugins.exists() else []
    if not names:
        checks.append(Check("Qt 平台插件", FAIL, f"{plugins} 中没有平台插件",
                            "重新安装 PySide6-Essentials"))
        return checks
    checks.append(Check("Qt 平台插件", OK, "、".join(n.split(".")[0] for n in names)))
    xcb = plugins / "libqxcb.so"
    if sys.platform.startswith("linux") and xcb.exists() and shutil.which("ldd"):
        out = subprocess.run(["ldd", str(xcb)], capture_output=True, text=True, check=False).stdout
        missing = [line.split()[0] for line in out.splitlines() if "not found" in line]
        if missing:
            checks.append(Check("图形界面依赖库", FAIL, "缺少：" + "、".join(missing),
                                "运行 scripts/setup.sh，或 apt-get install libxcb-cursor0 "
                                "libxcb-icccm4 libxcb-keysyms1 libxkbcommon-x11-0 libegl1"))
        else:
            checks.append(Check("图形界面依赖库", OK, "xcb 插件所需的库齐全"))
    return checks


def _font_check() -> Check:
    fonts_dir = Path(__file__).resolve().parents[1] / "resources" / "fonts"
    shipped = sorted(fonts_dir.glob("*.tt[fc]")) if fonts_dir.exists() else []
    if shutil.which("fc-list"):
        out = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True,
                             check=False).stdout
        families = sorted({line.split(",")[0].strip() for line in out.splitlines() if line.strip()})
        if families:
            return Check("中文字体", OK, "、".join(families[:4]))
    if shipped:
        return Check("中文字体", OK, f"使用随程序提供的字体 {shipped[0].name}")
    return Check("中文字体", FAIL, "未找到中文字体，界面和打印会显示方框",
                 "apt-get install fonts-wqy-microhei（统信UOS/麒麟自带中文字体）")


def _printer_checks(settings: Settings) -> list[Check]:
    """System queues and every configured printer (desktop/printing/diagnose.py)."""
    from desktop.printing.diagnose import check_printers

    levels = {"ok": OK, "warn": WARN, "fail": FAIL}
    return [Check(c.name, levels[c.level], c.detail, c.fix) for c in check_printers(settings)]


def _id_reader_check(settings: Settings) -> Check:
    """The configured ID-card reader (desktop/devices/diagnose.py): setting, library, port."""
    try:
        from desktop.devices.diagnose import check_reader

        check = check_reader(settings.id_reader)
    except Exception as exc:  # report anything: this is the diagnosis tool
        return Check("身份证阅读器", FAIL, f"id_reader = {settings.id_reader}：检查时出错：{exc}",
                     "修改设置 id_reader，或把此信息告知技术支持")
    levels = {"ok": OK, "warn": WARN, "fail": FAIL}
    return Check(check.name, levels[check.level], check.detail, check.fix)


def _camera_check(settings: Settings) -> Check:
    """The kiosk's camera (desktop/devices/camera.py): the cameras this PC has, and whether the setting finds one."""
    from desktop.devices.camera_spec import parse_camera_spec

    name, spec = "摄像头", parse_camera_spec(settings.camera)
    if not spec.present:
        return Check(name, OK, "未使用（camera = none）：自助终端用扫描口或输入编号查询进度")
    if spec.backend == "sim":
        from desktop.devices.camera import PICTURES

        where = Path(os.path.expanduser(spec.target)) if spec.target else None
        files = ([p for p in where.iterdir() if p.suffix.lower() in PICTURES] if where is not None and where.is_dir()
                 else [where] if where is not None and where.is_file() else [])
        if spec.target and not files:
            return Check(name, WARN, f"模拟摄像头（camera = {settings.camera}）：没有找到图片，只显示灰色画面",
                         "把 PNG 或 JPEG 图片放到该处，或修改设置 camera")
        return Check(name, OK, f"模拟摄像头（演示、培训）：{len(files)} 张图片轮流显示")
    try:
        from PySide6.QtCore import QCoreApplication
        from PySide6.QtMultimedia import QMediaDevices
    except ImportError:
        return Check(name, FAIL, "本机的程序没有摄像头支持（Qt Multimedia）",
                     "安装含摄像头支持的程序包（打包时设 PH_BUNDLE_MULTIMEDIA=1），或把 camera 设为 none")
    if QCoreApplication.instance() is None:
        QCoreApplication(sys.argv[:1])  # the camera list needs an application object
    found = [device.description() for device in QMediaDevices.videoInputs()]
    wanted = spec.target.casefold()
    chosen = next((d for d in found if wanted in d.casefold()), None) if wanted else (found[0] if found else None)
    listed = "、".join(found) if found else "无"
    if chosen is None:
        what = f"名称含“{spec.target}”的摄像头" if wanted else "摄像头"
        return Check(name, FAIL, f"没有找到{what}（本机的摄像头：{listed}）",
                     "接好摄像头，或把设置 camera 改为 auto、qt:上列名称之一，或 none")
    return Check(name, OK, f"使用“{chosen}”识读回执二维码（本机的摄像头：{listed}）")


def _voice_check(settings: Settings) -> Check:
    """The hall display's voice (desktop/devices/voice.py): an engine, a Mandarin voice, the chime."""
    if not settings.voice:
        return Check("叫号语音", OK, "设置中已关闭（voice = false）：大厅显示屏叫号时不播报")
    try:
        from PySide6.QtCore import QCoreApplication

        from desktop.devices.voice import VoiceOptions, chime_problem, preflight, probe

        app = QCoreApplication.instance() or QCoreApplication([])  # engines are Qt plugins
        options = VoiceOptions.of(settings)
        found = preflight(options) or probe(options)  # an engine that may hang is asked in a child process
        del app
    except Exception as exc:  # report anything: this is the diagnosis tool
        return Check("叫号语音", FAIL, f"检查时出错：{exc}", "把此信息告知技术支持")
    if found.problem:
        engines = "、".join(found.engines) or "无"
        return Check("叫号语音", WARN, f"{found.problem}（可用语音引擎：{engines}）：大厅显示屏叫号时不播报，"
                     "屏幕上注明“语音播报不可用”", found.fix)
    detail = f"语音引擎 {found.engine}，播报语音 {found.voice}，每次叫号播报 {settings.voice_repetitions} 遍"
    if settings.voice_chime is not None:
        problem = chime_problem(settings.voice_chime)
        if problem:
            return Check("叫号语音", WARN, f"{detail}；{problem}，播报前不放提示音",
                         "修改设置 voice_chime（WAV 文件），或留空")
        detail += f"，播报前放提示音 {settings.voice_chime.name}"
    return Check("叫号语音", OK, detail)


def _cipher_check() -> Check:
    try:
        from db.engine import cipher_version, sqlcipher_module

        version, sqlite = cipher_version(), sqlcipher_module().sqlite_version
    except Exception as exc:  # report anything: this is the diagnosis tool
        return Check("数据库加密", FAIL, f"无法加载 SQLCipher：{exc}",
                     "重新安装依赖：pip install -r requirements.lock（需要 sqlcipher3-binary）")
    if not version:
        return Check("数据库加密", FAIL, "sqlcipher3 模块没有加密功能", "重新安装 sqlcipher3-binary")
    return Check("数据库加密", OK, f"SQLCipher {version}（SQLite {sqlite}），AES-256，整库加密")


def _key_check(settings: Settings, db_path: Path) -> Check:
    from desktop.installation import inspect_key

    status = inspect_key(settings, db_path)
    if status.problem and not status.key_store:
        return Check("数据库密钥", FAIL, status.problem, "按提示修复后重试")
    where = f"保存在{status.key_store}"
    if status.damaged:
        return Check("数据库密钥", OK, f"{where}，与数据库配套（但数据库文件有损坏，见下方“数据库”一项）")
    if status.problem:
        return Check("数据库密钥", WARN, f"{where}；{status.problem}", "正常启动一次程序即可")
    if status.opens is None:
        if status.has_key:
            return Check("数据库密钥", OK, f"{where}（数据库尚未创建）")
        if db_path.exists():
            return Check("数据库密钥", FAIL, f"找不到数据库的密钥：应{where}",
                         "从密钥备份中恢复密钥文件或系统密钥库条目；旧版未加密数据库请用 import-plain-database 转换")
        return Check("数据库密钥", WARN, f"尚未生成，首次启动时生成并{where}")
    if not status.opens:
        return Check("数据库密钥", FAIL, f"{where}，但无法解密 {db_path}（密钥与数据库不配套）",
                     "恢复与该数据库配套的密钥，或恢复与当前密钥配套的数据库备份")
    return Check("数据库密钥", OK, f"{where}，能打开数据库")


def _database_check(settings: Settings, db_path: Path) -> Check:
    """The database file: there, writable, whole (every page, and SQLite's full check), its contents."""
    from db.engine import DatabaseFileError, DatabaseKeyError, file_problem, sqlite_file_kind
    from desktop.installation import check_database_file, check_pages, problem_message, same_file

    if not db_path.exists() and not db_path.is_dir():
        if same_file(db_path, settings.database_path):
            return Check("数据库", WARN, f"{db_path} 尚不存在，首次启动时会自动创建")
        return Check("数据库", FAIL, problem_message(db_path, "missing"), "用 --db 指定正确的数据库文件")
    try:
        check_database_file(db_path)
    except DatabaseFileError as exc:
        return Check("数据库", FAIL, str(exc), "按上面的说明处理后重试")
    try:
        from db.migrate import current_revision, head_revision
        from desktop.keystore import open_keystore
        from desktop.services.database import counts, integrity_report, open_database

        if sqlite_file_kind(db_path) == "plain":
            return Check("数据库", FAIL, f"{db_path} 是旧版未加密的数据库",
                         "用 import-plain-database 转换为加密数据库（原文件不改动），核对后安全删除原文件")
        # read only: never creates a key, never migrates
        secrets = open_keystore(settings, db_path).load()
        if secrets is None:
            return Check("数据库", FAIL, f"{db_path} 已加密，没有密钥无法检查", "见上方“数据库密钥”一项")
        check_pages(db_path, secrets.database_key, full=True)  # every page's checksum
        engine = open_database(db_path, key=secrets.database_key, migrate=False)
        try:
            current, head = current_revision(engine), head_revision()
            with engine.connect() as connection:
                cipher = connection.exec_driver_sql("PRAGMA cipher_version").scalar()
                integrity = integrity_report(connection.connection.dbapi_connection)
            cases, events = counts(engine) if current and integrity == "ok" else (0, 0)
        finally:
            engine.dispose()
    except DatabaseKeyError as exc:
        return Check("数据库", FAIL, f"无法打开 {db_path}：{exc}", "见上方“数据库密钥”一项")
    except DatabaseFileError as exc:
        return Check("数据库", FAIL, str(exc), "按上面的说明处理")
    except Exception as exc:  # report anything: this is the diagnosis tool
        problem = file_problem(exc)
        if problem is not None:
            return Check("数据库", FAIL, problem_message(db_path, problem), "按上面的说明处理")
        return Check("数据库", FAIL, f"无法打开 {db_path}：{str(exc) or type(exc).__name__}",
                     "请把以上信息告诉技术支持")
    if integrity != "ok":
        return Check("数据库", FAIL, problem_message(db_path, "damaged", f"完整性检查：{integrity}"),
                     "按上面的说明恢复备份或抢救数据")
    if current != head:
        return Check("数据库", WARN, f"结构版本 {current}，最新为 {head}", "启动程序时会自动升级")
    size = sum(p.stat().st_size for p in db_path.parent.glob(db_path.name + "*"))
    return Check("数据库", OK, f"{db_path}：{cases:,} 件事项，{events:,} 条事件，{size / 1e6:,.1f} MB，"
                 f"已加密（SQLCipher {cipher}），完整性检查通过")


#: Free space below which registrations may soon be refused (a registration takes a few kB, a
#: rebuild or a backup as much again as the database).
LOW_SPACE, VERY_LOW_SPACE = 1_000_000_000, 100_000_000


def _space_check(db_path: Path) -> Check:
    """Free space on the database's disk: a full disk refuses every save until space is freed."""
    folder = next((p for p in [db_path.parent, *db_path.parents] if p.is_dir()), None)
    if folder is None:
        return Check("磁盘空间", WARN, "无法确定数据库所在的磁盘")
    free = shutil.disk_usage(folder).free
    size = sum(p.stat().st_size for p in folder.glob(db_path.name + "*") if p.is_file())
    shown = f"{folder} 所在磁盘剩余 {free / 1e9:,.1f} GB"
    if free < VERY_LOW_SPACE:
        return Check("磁盘空间", FAIL, f"{shown}：磁盘将满，新登记随时可能无法保存",
                     "立即清理该磁盘（或把数据库移到空间更大的磁盘）")
    if free < LOW_SPACE or free < size:
        return Check("磁盘空间", WARN, f"{shown}（数据库 {size / 1e9:,.1f} GB）：空间不多，"
                     "备份和重建需要与数据库同样大的空间", "尽快清理该磁盘的空间")
    return Check("磁盘空间", OK, shown)


def _holiday_check(today: date) -> Check:
    from desktop.domain.calendar import HolidayCalendar

    calendar = HolidayCalendar.builtin()
    years = calendar.known_years()
    span = f"{years[0]}–{years[-1]}年"
    if not calendar.knows_year(today.year):
        return Check("节假日数据", FAIL, f"仅有 {span}，缺少今年的安排：期限按周末推算且标注“未经核实”",
                     "用 import-holidays 导入国务院办公厅发布的今年安排")
    if not calendar.knows_year(today.year + 1):
        return Check("节假日数据", WARN, f"有 {span}，尚无{today.year + 1}年安排；跨年期限将标注“未经核实”",
                     f"国务院办公厅发布{today.year + 1}年安排后，用 import-holidays 导入")
    return Check("节假日数据", OK, span)


def _server_check(settings: Settings) -> Check:
    if not settings.server_url:
        return Check("中心服务器", WARN, "未配置服务器地址，本机仅离线工作",
                     "在设置中填写 server_url（PH_SERVER_URL）")
    try:
        with urllib.request.urlopen(settings.server_url, timeout=3) as response:
            return Check("中心服务器", OK, f"{settings.server_url} 可访问（{response.status}）")
    except OSError as exc:
        return Check("中心服务器", WARN, f"{settings.server_url} 无法访问：{exc}",
                     "检查网络；离线期间本机照常工作，恢复后自动同步")


def collect(settings: Settings, db_path: Path, today: date | None = None) -> list[Check]:
    checks = [Check("Python", OK if sys.version_info >= (3, 11) else FAIL,
                    f"{platform.python_version()}（{platform.system()} {platform.machine()}）",
                    "" if sys.version_info >= (3, 11) else "需要 Python 3.11 或更新版本")]
    checks += _qt_checks()
    checks.append(_font_check())
    checks += _printer_checks(settings)
    checks.append(_id_reader_check(settings))
    checks.append(_camera_check(settings))
    checks.append(_voice_check(settings))
    checks.append(_cipher_check())
    checks.append(_key_check(settings, db_path))
    checks.append(_database_check(settings, db_path))
    checks.append(_space_check(db_path))
    checks.append(_holiday_check(today or china_today()))
    checks.append(_server_check(settings))
    checks.append(Check("设置", OK, f"{settings_file()}；本机编码 {settings.device_code}，"
                        f"期限按{'自然日' if settings.day_counting == 'calendar' else '工作日'}计算"))
    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY")
                                                or os.environ.get("WAYLAND_DISPLAY")
                                                or os.environ.get("QT_QPA_PLATFORM")):
        checks.append(Check("显示", WARN, "没有图形显示（DISPLAY 未设置）",
                            "在桌面环境中运行，或设置 QT_QPA_PLATFORM=offscreen 仅作检查"))
    return checks


def run_doctor(settings: Settings, db_path: Path) -> int:
    checks = collect(settings, db_path)
    width = max(len(c.name) for c in checks)
    for check in checks:
        print(f"[{check.status}] {check.name.ljust(width)}  {check.detail}")
        if check.fix:
            print(f"{' ' * (len(check.status) + 3)}{' ' * width}  → {check.fix}")
    failed = [c for c in checks if c.status == FAIL]
    print(f"\n共 {len(checks)} 项检查：{len(failed)} 项错误，"
          f"{sum(c.status == WARN for c in checks)} 项需注意。")
    return 1 if failed else 0
