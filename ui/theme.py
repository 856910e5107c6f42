"""Look of every role: calm colours, large type on kiosks, one CJK font everywhere."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

_PREFERRED = ("Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei",
              "WenQuanYi Zen Hei", "Microsoft YaHei", "PingFang SC", "Droid Sans Fallback")

BASE_STYLE = """
QMainWindow, QWidget#page { background: #f4f6f9; }
QLabel#title { font-size: 22pt; font-weight: 600; color: #12355b; }
QLabel#subtitle { font-size: 12pt; color: #4a5a6a; }
QLabel#clock { font-size: 14pt; color: #12355b; }
QLabel#board { font-size: 40pt; font-weight: 600; color: #12355b; padding: 24px; }
QFrame#header { background: #12355b; }
QFrame#header QLabel { color: white; }
QLineEdit, QTextEdit { padding: 6px; border: 1px solid #b8c4d0; border-radius: 4px;
                       background: white; }
QPushButton { padding: 8px 18px; border-radius: 6px; background: #1f5fa8; color: white; }
QPushButton:disabled { background: #9fb3c8; }
QTableWidget { background: white; gridline-color: #e1e6ec; }
QHeaderView::section { background: #e8eef5; padding: 4px; border: none; }
QLabel#error { color: #b3261e; }
QLabel#ok { color: #1b6e3a; }
"""

KIOSK_STYLE = """
QWidget { font-size: 20pt; }
QLabel#title { font-size: 34pt; }
QLineEdit { font-size: 26pt; padding: 12px; min-height: 64px; }
QPushButton { font-size: 26pt; min-height: 80px; padding: 12px 36px; }
QLabel#error { font-size: 22pt; }
QLabel#subtitle { font-size: 20pt; }
"""


def chinese_font_family() -> str | None:
    families = set(QFontDatabase.families())
    for name in _PREFERRED:
        if name in families:
            return name
    for name in sorted(families):
        if QFontDatabase.WritingSystem.SimplifiedChinese in QFontDatabase.writingSystems(name):
            return name
    return None


def apply_theme(app: QApplication, role: str) -> None:
    family = chinese_font_family()
    if family:
        app.setFont(QFont(family, 11))
    app.setStyleSheet(BASE_STYLE + (KIOSK_STYLE if role == "kiosk" else ""))
