"""Look of every role: calm colours, large type on kiosks, one CJK font everywhere."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QTranslator
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

#: The screens' Chinese sans-serif, in order of preference, each as fontconfig names it in English and in
#: Chinese (it gives the Chinese name where the program's language is Chinese: the kiosk, a Chinese desktop).
_PREFERRED = (("Noto Sans CJK SC", "Noto Sans CJK SC"), ("Source Han Sans SC", "思源黑体"),
              ("WenQuanYi Micro Hei", "文泉驿微米黑"), ("WenQuanYi Zen Hei", "文泉驿正黑"),
              ("Microsoft YaHei", "微软雅黑"), ("PingFang SC", "苹方-简"),
              ("Droid Sans Fallback", "Droid Sans Fallback"))
#: Fonts installed for the rare characters they alone have, in a Ming style: never the screens' font.
_COVERAGE_ONLY = frozenset({"BabelStone Han", "HanaMinA", "HanaMinB", "花園明朝A", "花園明朝B"})

BASE_STYLE = """
QMainWindow, QWidget#page { background: #f4f6f9; }
QLabel#title { font-size: 22pt; font-weight: 600; color: #12355b; }
QLabel#subtitle { font-size: 12pt; color: #4a5a6a; }
QLabel#hint { font-size: 10.5pt; color: #4a5a6a; }
QLabel#clock { font-size: 14pt; color: #12355b; }
QLabel#board { font-size: 40pt; font-weight: 600; color: #12355b; padding: 24px; }
QFrame#header { background: #12355b; }
QFrame#header QLabel { color: white; }
QFrame#header QLabel#title { font-size: 18pt; }
QFrame#header QLabel#user { font-size: 12pt; padding-right: 4px; }
QFrame#header QPushButton { background: transparent; border: 1px solid #c9d6e4; color: white;
                            padding: 5px 14px; }
QFrame#header QPushButton:hover { background: #1f4c7d; }
QFrame#card { background: white; border: 1px solid #d5dde6; border-radius: 10px; }
QFrame#card QLabel { font-size: 13pt; }
QFrame#card QLabel#title { font-size: 22pt; }
QFrame#card QLabel#subtitle { font-size: 13pt; }
QFrame#card QLabel#hint { font-size: 11pt; }
QFrame#card QLineEdit { font-size: 15pt; padding: 8px; min-height: 30px; }
QFrame#card QPushButton { font-size: 14pt; min-height: 30px; }
QLineEdit, QTextEdit { padding: 6px; border: 1px solid #b8c4d0; border-radius: 4px;
                       background: white; }
QLineEdit:focus { border: 2px solid #1f5fa8; }
QLineEdit:disabled { background: #eef1f4; color: #7a8793; }
QPushButton { padding: 8px 18px; border-radius: 6px; background: #1f5fa8; color: white; }
QPushButton:hover { background: #2a6fbf; }
QPushButton:disabled { background: #9fb3c8; }
QPushButton#secondary { background: white; color: #1f5fa8; border: 1px solid #1f5fa8; }
QPushButton#secondary:hover { background: #e8eef5; }
QPushButton#secondary:disabled { background: white; color: #9fb3c8; border-color: #c9d3de; }
QPushButton#filter { background: white; color: #1f5fa8; border: 1px solid #1f5fa8; padding: 4px 14px; }
QPushButton#filter:hover { background: #e8eef5; }
QPushButton#filter:checked { background: #1f5fa8; color: white; font-weight: 600; }
QTableWidget { background: white; gridline-color: #e1e6ec; alternate-background-color: #f7f9fb; }
QHeaderView::section { background: #e8eef5; padding: 4px; border: none; }
QTabWidget::pane { border: 1px solid #d5dde6; background: #f4f6f9; }
QTabBar::tab { padding: 8px 22px; font-size: 12pt; background: #e8eef5; color: #12355b;
               border: 1px solid #d5dde6; border-bottom: none; }
QTabBar::tab:selected { background: white; font-weight: 600; }
QCheckBox:disabled { color: #7a8793; }
QLabel#error { color: #b3261e; }
QLabel#ok { color: #1b6e3a; }
QLabel[tone="error"] { color: #b3261e; background: #fdecea; border: 1px solid #f3b8b3;
                                     border-radius: 4px; padding: 6px 10px; }
QLabel[tone="ok"] { color: #1b6e3a; background: #e7f4ec; border: 1px solid #a9d5b8;
                               border-radius: 4px; padding: 6px 10px; }
QLabel[tone="notice"] { color: #7a4b00; background: #fff4d6; border: 1px solid #f0d48a;
                        border-radius: 4px; padding: 6px 10px; }
"""

# Staff screens are worked by keyboard too: a focused button is framed amber (the frame takes the padding's
# place, so it keeps its size), lists, drop-downs and text boxes blue, as one-line fields are. The kiosk and
# the display have looks of their own (ui/kiosk/style.py) and do not get these rules.
FOCUS_STYLE = """
QPushButton:focus { border: 2px solid #e39b00; padding: 6px 16px; outline: none; }
QPushButton#secondary:focus { border: 2px solid #e39b00; padding: 7px 17px; }
QPushButton#filter:focus { border: 2px solid #e39b00; padding: 3px 13px; }
QFrame#header QPushButton:focus { border: 2px solid #e39b00; padding: 4px 13px; }
QTabBar::tab:focus { border: 2px solid #e39b00; border-bottom: none; padding: 7px 21px; }
QComboBox:focus, QSpinBox:focus, QAbstractItemView:focus, QPlainTextEdit:focus { border: 2px solid #1f5fa8; }
"""

KIOSK_STYLE = """
QWidget { font-size: 20pt; }
QLabel#title { font-size: 34pt; }
QLineEdit { font-size: 26pt; padding: 12px; min-height: 64px; }
QPushButton { font-size: 26pt; min-height: 80px; padding: 12px 36px; }
QLabel#error { font-size: 22pt; }
QLabel#subtitle { font-size: 20pt; }
"""


# Kiosks and the hall display are read from a distance.
LARGE_HEADER_STYLE = """
QFrame#header QLabel#title { font-size: 26pt; }
QFrame#header QLabel#clock { font-size: 20pt; }
"""


def chinese_font_family() -> str | None:
    """The screens' font: the first of :data:`_PREFERRED` installed, else any other that writes Chinese."""
    families = set(QFontDatabase.families())
    for names in _PREFERRED:
        for name in names:
            if name in families:
                return name
    for name in sorted(families - _COVERAGE_ONLY):
        if QFontDatabase.WritingSystem.SimplifiedChinese in QFontDatabase.writingSystems(name):
            return name
    return None


def apply_theme(app: QApplication, role: str, extra: str = "") -> None:
    """The font and style sheet of ``role``'s window; ``extra`` rules come last (the role's own look)."""
    family = chinese_font_family()
    if family:
        app.setFont(QFont(family, 11))
    role_rules = {"kiosk": KIOSK_STYLE + LARGE_HEADER_STYLE, "display": LARGE_HEADER_STYLE}.get(role, FOCUS_STYLE)
    app.setStyleSheet(BASE_STYLE + role_rules + extra)


#: Qt's texts that its own Chinese file leaves in English (the file dialog's 查找范围, 文件类型), compiled
#: from the .ts beside it.
EXTRA_TRANSLATIONS = Path(__file__).resolve().parents[2] / "resources" / "translations" / "qtbase_extra_zh_CN.qm"


def install_translations(app: QApplication) -> list[QTranslator]:
    """Qt's own Chinese texts, so that standard dialogs and buttons (打开, 取消, 查找范围, 是/否) speak Chinese.

    The program's own strings are written in Chinese; only Qt's built-in ones need this. Installed once
    per application (a second call finds them installed and adds nothing); returns the translators in
    use, the last one asked first.
    """
    from PySide6.QtCore import QLibraryInfo, QLocale

    installed: list[QTranslator] | None = getattr(app, "_chinese_translators", None)
    if installed is not None:
        return installed
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    # By its name: QLocale's enumerations (some 800 languages, countries and scripts) are not made for it.
    QLocale.setDefault(QLocale("zh_CN"))
    found: list[QTranslator] = []
    for name in ("qtbase_zh_CN", "qt_zh_CN"):
        translator = QTranslator(app)
        if translator.load(name, folder):
            found.append(translator)
            break
        translator.deleteLater()
    extra = QTranslator(app)
    if found and extra.load(str(EXTRA_TRANSLATIONS)):
        found.append(extra)
    else:
        extra.deleteLater()
    for translator in found:
        app.installTranslator(translator)
    app._chinese_translators = found  # type: ignore[attr-defined]
    return found
