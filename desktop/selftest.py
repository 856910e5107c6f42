"""``self-test``: is this installation whole? Every part the program needs, tried for real.

Unlike ``doctor`` (this PC: printers, the database in use, the server), the self-test checks
the program itself — in a bundle or a checkout alike: the fonts and data files it ships, that
Qt's plugins load (offscreen and X11 platforms, the virtual keyboard with Pinyin, text to
speech, printing, image formats), Qt's Chinese translations and collation, a new encrypted
database created, migrated and read again in a temporary folder, a receipt printed to PDF
whose QR code decodes back to the case number and query code, the holiday calendar, the
pinyin and ID-number data. It never touches this PC's settings, keys or database. One line
per check in plain Chinese; exit status 1 naming what is missing.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtCore import QCoreApplication

#: A receipt as the kiosk prints it (sample values; the case number carries a valid check digit).
SAMPLE_CASE, SAMPLE_CODE, SAMPLE_ID = "XF-20260916-C01-00001-2", "04718253", "11010519491231002X"
SAMPLE_RECEIPT: dict[str, object] = {
    "hall_name": "浦江县人民来访接待中心", "case_number": SAMPLE_CASE, "query_code": SAMPLE_CODE,
    "lookup_url": "https://xf.example.gov.cn", "petitioner_name": "张建国", "id_number": SAMPLE_ID,
    "received_at": "2026-09-16T09:30:00", "route_due": "2026-10-08", "route_due_unverified": False,
    "window": "3号窗口", "hall_address": "浦江县某某路10号", "hall_phone": "0579-00000005"}


class Missing(Exception):
    """A part of the program that is missing or does not work; the message says which, in Chinese."""


@dataclass(frozen=True)
class Outcome:
    name: str
    ok: bool
    detail: str


def program_folder() -> Path:
    """Where the program's own files are: the bundle's folder, or the checkout."""
    frozen = getattr(sys, "_MEIPASS", None)
    return Path(frozen) if frozen else Path(__file__).resolve().parents[1]


def _plugins_dir() -> Path:
    from PySide6.QtCore import QLibraryInfo

    return Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath))


def _plugin_file(kind: str, stem: str) -> Path:
    """``platforms``/``qxcb`` → the plugin's file (``libqxcb.so``, ``qxcb.dll``)."""
    folder = _plugins_dir() / kind
    for name in (f"lib{stem}.so", f"{stem}.dll", f"lib{stem}.dylib"):
        if (folder / name).is_file():
            return folder / name
    raise Missing(f"缺少 Qt 插件 {kind}/{stem}（应在 {folder}）")


def _load_plugin(kind: str, stem: str) -> str:
    """Load a plugin's library (and so every library it needs); its file name."""
    from PySide6.QtCore import QPluginLoader

    path = _plugin_file(kind, stem)
    loader = QPluginLoader(str(path))
    if not loader.load():
        raise Missing(f"Qt 插件 {path.name} 无法加载：{loader.errorString()}")
    return path.name


# --- the checks ----------------------------------------------------------------------------------

def check_files() -> str:
    from db.migrate import MIGRATIONS, head_revision
    from desktop.documents.fonts import FontMissing, font_path
    from desktop.services.reference import reference_dir

    try:  # the program's own copy, else the system's (the Linux bundle uses the one its .deb depends on)
        font = font_path()
    except FontMissing as exc:
        raise Missing(str(exc)) from None
    missing = [name for name in ("organisations.csv", "regions.csv", "topics.csv")
               if not (reference_dir() / name).is_file()]
    if missing:
        raise Missing(f"缺少参考数据 {reference_dir()}：{'、'.join(missing)}")
    if not (MIGRATIONS / "env.py").is_file():
        raise Missing(f"缺少数据库迁移脚本 {MIGRATIONS}")
    size = font.stat().st_size / 2**20
    return f"文书字体 {font}（{size:.1f} MB）、参考数据、数据库迁移脚本（最新 {head_revision()}）"


def check_platforms() -> str:
    from PySide6.QtGui import QGuiApplication

    names = [_load_plugin("platforms", "qoffscreen")]
    if sys.platform.startswith("linux"):
        names.append(_load_plugin("platforms", "qxcb"))  # X11: loads only with the system's xcb libraries
        names.append(_load_plugin("xcbglintegrations", "qxcb-glx-integration"))
    elif sys.platform.startswith("win"):
        names.append(_load_plugin("platforms", "qwindows"))
    return f"当前 {QGuiApplication.platformName()}；可用 " + "、".join(names)


def check_virtual_keyboard() -> str:
    from PySide6.QtCore import QCoreApplication, QUrl
    from PySide6.QtQml import QQmlComponent, QQmlEngine

    plugin = _load_plugin("platforminputcontexts", "qtvirtualkeyboardplugin")
    engine = QQmlEngine(QCoreApplication.instance())
    # the input methods' module as the kiosk's keyboard imports it (the program's own, Pinyin alone: see
    # resources/qml); every module it names must be there, or the keyboard is unavailable
    engine.addImportPath(str(Path(__file__).resolve().parents[1] / "resources" / "qml"))
    component = QQmlComponent(engine, engine)
    component.setData(b"import QtQuick\nimport QtQuick.VirtualKeyboard\nimport QtQuick.VirtualKeyboard.Settings\n"
                      b"import QtQuick.VirtualKeyboard.Plugins\nimport QtQuick.VirtualKeyboard.Plugins.Pinyin\n"
                      b"Item {}\n", QUrl("selftest.qml"))
    try:
        if component.isError():
            raise Missing("虚拟键盘（QML）无法加载：" + "；".join(e.toString() for e in component.errors()))
        made = component.create()
        if made is None:
            raise Missing("虚拟键盘（QML）无法创建：" + "；".join(e.toString() for e in component.errors()))
        made.setParent(engine)
    finally:
        engine.deleteLater()  # with its component and what it made (see ``collect``)
    return f"{plugin}，QML 模块 QtQuick.VirtualKeyboard 与拼音输入法"


def check_speech() -> str:
    from PySide6.QtTextToSpeech import QTextToSpeech

    engines = list(QTextToSpeech.availableEngines())
    wanted = ["mock", "speechd"] if sys.platform.startswith("linux") else ["mock"]
    missing = [name for name in wanted if name not in engines]
    if missing:
        raise Missing(f"缺少语音播报引擎 {'、'.join(missing)}（可用：{'、'.join(engines) or '无'}）")
    return "引擎 " + "、".join(engines)


def check_printing_and_images() -> str:
    from PySide6.QtGui import QImageReader

    names = []
    if not sys.platform.startswith("win"):
        names.append(_load_plugin("printsupport", "cupsprintersupport"))
    formats = {bytes(f.data()).decode() for f in QImageReader.supportedImageFormats()}
    missing = [f for f in ("png", "jpeg", "svg") if f not in formats]
    if missing:
        raise Missing(f"缺少图片格式插件：{'、'.join(missing)}")
    return "、".join([*names, "图片格式 png/jpeg/svg"])


def check_chinese_text() -> str:
    from PySide6.QtCore import QCollator, QLibraryInfo, QLocale, QTranslator
    from PySide6.QtGui import QFontDatabase

    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    translator = QTranslator()
    if not translator.load("qtbase_zh_CN", folder):
        raise Missing(f"缺少 Qt 中文翻译 qtbase_zh_CN.qm（应在 {folder}）")
    collator = QCollator(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    if collator.compare("李", "张") >= 0:  # by pinyin li < zhang; by code point 张 (U+5F20) comes first
        raise Missing("中文排序（ICU 拼音排序规则）不可用")
    fonts = [f for f in QFontDatabase.families()
             if QFontDatabase.WritingSystem.SimplifiedChinese in QFontDatabase.writingSystems(f)]
    shown = (f"界面中文字体 {fonts[0]}" if fonts
             else "系统中没有中文字体（界面文字会显示为方框：请安装 fonts-wqy-microhei）")
    return f"Qt 中文翻译、拼音排序；{shown}"


@contextlib.contextmanager
def _scratch_installation() -> Iterator[Path]:
    """A temporary folder standing in for the config and data folders: this PC's are never touched."""
    saved = {name: os.environ.get(name) for name in ("PH_CONFIG_DIR", "PH_DATA_DIR")}
    with tempfile.TemporaryDirectory(prefix="petition-hall-selftest-") as folder:
        os.environ["PH_CONFIG_DIR"] = str(Path(folder) / "config")
        os.environ["PH_DATA_DIR"] = str(Path(folder) / "data")
        try:
            yield Path(folder)
        finally:
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value


def check_database() -> str:
    from db.engine import cipher_version, sqlite_file_kind
    from db.migrate import current_revision, head_revision
    from desktop.config import Settings
    from desktop.installation import open_hall
    from desktop.services.database import counts

    with _scratch_installation() as folder:
        settings = Settings(key_store="file", device_id="selftest")
        path = folder / "data" / "selftest.db"
        hall = open_hall(settings, path, create=True)  # new key, new file, every migration
        try:
            revision = current_revision(hall.engine)
        finally:
            hall.engine.dispose()
        if revision != head_revision():
            raise Missing(f"数据库迁移未完成：版本 {revision}，应为 {head_revision()}")
        if sqlite_file_kind(path) != "encrypted":
            raise Missing("新建的数据库没有加密")
        again = open_hall(settings, path, create=False)  # read back with the stored key
        try:
            cases, _events = counts(again.engine)
        finally:
            again.engine.dispose()
    return f"SQLCipher {cipher_version()}：新建、迁移到 {revision}、用密钥重新打开并读取（{cases} 件事项）"


def check_receipt() -> str:
    import zxingcpp

    from desktop.documents.model import DocumentKind
    from desktop.documents.render import render
    from desktop.domain.qrpayload import parse_payload
    from desktop.printing.pdf_file import PdfFilePrinter
    from desktop.printing.raster import receipt_image

    doc = render(DocumentKind.REGISTRATION_RECEIPT, SAMPLE_RECEIPT)
    with tempfile.TemporaryDirectory(prefix="petition-hall-selftest-") as folder:
        result = PdfFilePrinter(folder).print_document(doc)
        if result.path is None or not result.path.read_bytes().startswith(b"%PDF"):
            raise Missing("登记回执没有保存为 PDF 文件")
    strip = receipt_image(doc.pdf)  # as the thermal printer gets it: 203 dpi, black and white
    found = [code.text for code in zxingcpp.read_barcodes(strip.convert("L"))]
    if len(found) != 1:
        raise Missing(f"回执上的二维码无法识别（识别到 {len(found)} 个）")
    if parse_payload(found[0]) != (SAMPLE_CASE, SAMPLE_CODE):
        raise Missing(f"回执二维码内容不符：{found[0]}")
    return f"登记回执 PDF（{doc.pages} 页，{len(doc.pdf) // 1024} KB），按 203 dpi 黑白打印后二维码识别无误"


def check_holidays() -> str:
    from desktop.domain.calendar import DayKind, HolidayCalendar

    years = HolidayCalendar.builtin().known_years()
    if not years:
        raise Missing("缺少节假日数据（chinese_calendar）")
    national_day = date(years[-1], 10, 1)
    if HolidayCalendar.builtin().day_kind(national_day) is not DayKind.HOLIDAY:
        raise Missing(f"节假日数据有误：{national_day.year}年10月1日不是法定节假日")
    return f"{years[0]}–{years[-1]}年（之后的年份由管理员用 import-holidays 导入）"


def check_word_data() -> str:
    from desktop.domain import pinyin
    from desktop.domain.identity import validate_resident_id

    try:
        table = pinyin.table()
    except (OSError, ValueError) as exc:
        raise Missing(f"拼音数据 {pinyin.table_path()} 无法读取：{exc}") from None
    # 张建国, and 𪚥 (U+2A6A5, zhé) from the supplementary plane, where the table keeps its rarest characters
    if [pinyin.reading(ch) for ch in "张建国𪚥"] != ["zhang", "jian", "guo", "zhe"]:
        raise Missing(f"拼音数据有误：{pinyin.table_path()}")
    validate_resident_id(SAMPLE_ID)
    return f"拼音检索数据（{len(table)} 个汉字）、身份证号码校验"


CHECKS: tuple[tuple[str, Callable[[], str]], ...] = (
    ("程序文件", check_files),
    ("图形平台插件", check_platforms),
    ("虚拟键盘", check_virtual_keyboard),
    ("语音播报", check_speech),
    ("打印与图片", check_printing_and_images),
    ("中文支持", check_chinese_text),
    ("加密数据库", check_database),
    ("回执与二维码", check_receipt),
    ("节假日数据", check_holidays),
    ("拼音与证件", check_word_data),
)


def _application() -> QCoreApplication:
    """The running Qt application, or a new offscreen one (the self-test needs no screen)."""
    from PySide6.QtCore import QLoggingCategory
    from PySide6.QtWidgets import QApplication

    # Qt Multimedia (which the virtual keyboard's key sounds and text to speech load) looks for
    # PipeWire and says so when a PC has none: the sound goes through PulseAudio then
    QLoggingCategory.setFilterRules("qt.multimedia.symbolsresolver=false")
    existing = QApplication.instance()
    if existing is not None:
        return existing
    return QApplication([sys.argv[0] if sys.argv else "petition-hall", "-platform", "offscreen"])


def collect() -> list[Outcome]:
    """Every check, in order; one that fails does not stop the others."""
    from PySide6.QtCore import QEvent

    app = _application()
    outcomes = []
    for name, check in CHECKS:
        try:
            outcomes.append(Outcome(name, True, check()))
        except Missing as exc:
            outcomes.append(Outcome(name, False, str(exc)))
        except Exception as exc:  # a part that is there but broken: name it, never a traceback
            outcomes.append(Outcome(name, False, f"{type(exc).__name__}：{exc}"))
    app.sendPostedEvents(None, QEvent.Type.DeferredDelete)  # the QML engine goes now, on this thread
    return outcomes


def run_self_test() -> int:
    outcomes = collect()
    for outcome in outcomes:
        print(f"[{'正常' if outcome.ok else '缺失'}] {outcome.name}：{outcome.detail}", flush=True)
    failed = [o.name for o in outcomes if not o.ok]
    if failed:
        print(f"\n自检未通过：{'、'.join(failed)}有问题。请重新安装本程序（或按上面的提示补装系统软件包）。",
              flush=True)
        return 1
    print(f"\n自检通过：{len(outcomes)} 项全部正常（{program_folder()}）。", flush=True)
    return 0
