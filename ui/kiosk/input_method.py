"""The kiosk's on-screen keyboard asked of Qt: the environment its input method reads, and nothing of Qt.

``QT_IM_MODULE=qtvirtualkeyboard``, set before the QApplication exists, makes Qt load the virtual keyboard's
input context (ui/kiosk/keyboard.py says what it does from then on). This module imports no Qt: the program
asks for the keyboard as a window starts, before it imports the screens, so that the keyboard's libraries load
beside those imports (ui/shell/preload.py) rather than inside the QApplication's creation.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

IM_MODULE = "qtvirtualkeyboard"
#: The system's fontconfig file, and the kiosk's (which includes it; see :func:`use_on_screen_keyboard`).
SYSTEM_FONTCONFIG = Path("/etc/fonts/fonts.conf")
KIOSK_FONTCONFIG = Path(__file__).resolve().parents[2] / "resources" / "fontconfig" / "kiosk-fonts.conf"
#: QML modules of the kiosk's own, found before Qt's: the keyboard's input-method plugins, Pinyin alone.
KIOSK_QML = Path(__file__).resolve().parents[2] / "resources" / "qml"
#: Qt's plugin (under its ``plugins`` folder) that QT_IM_MODULE=qtvirtualkeyboard loads, with the Qt Quick and QML
#: libraries it links.
KEYBOARD_PLUGIN = "platforminputcontexts/libqtvirtualkeyboardplugin.so"


def on_screen_keyboard_asked() -> bool:
    """Whether this program asked Qt for the on-screen keyboard (:func:`use_on_screen_keyboard`)."""
    return os.environ.get("QT_IM_MODULE") == IM_MODULE


def use_on_screen_keyboard() -> bool:
    """Ask Qt for the virtual keyboard (unless an input method was chosen already); pinyin by default.

    Call before the QApplication is created. Returns whether the virtual keyboard was asked for.
    """
    if os.environ.get("QT_IM_MODULE", IM_MODULE) != IM_MODULE:
        return False
    os.environ["QT_IM_MODULE"] = IM_MODULE
    # The keyboard is the kiosk's only Qt Quick scene: drawn by Qt's software renderer it needs no OpenGL
    # driver in the process (under Mesa's llvmpipe that alone is some 55 MB resident) and looks the same.
    os.environ.setdefault("QT_QUICK_BACKEND", "software")
    # The keyboard draws its keys in the system's Chinese sans-serif. Where WenQuanYi Zen Hei is installed (for
    # the rare characters of names) its own rules make it that font: the keys would change face and some 5 MB
    # of Zen Hei be read in. The kiosk's fontconfig file puts the program's Micro Hei first and keeps Zen Hei
    # for the characters only it has.
    if sys.platform.startswith("linux") and KIOSK_FONTCONFIG.is_file() and SYSTEM_FONTCONFIG.is_file():
        os.environ.setdefault("FONTCONFIG_FILE", str(KIOSK_FONTCONFIG))
    # Qt's QtQuick.VirtualKeyboard.Plugins imports the input method of every language Qt was built with; the
    # kiosk's own module of that name imports Pinyin alone (the keyboard's English and digits are built in).
    # Japanese, Korean, traditional Chinese and Thai then stay out of the process (0.8 MB) and the bundle, which
    # leaves them out, has a keyboard at all: a module Qt's list names but cannot find makes it unavailable.
    # A deployment's own import path still comes first (Qt's own comes after every one named here).
    paths = [p for p in os.environ.get("QML_IMPORT_PATH", "").split(os.pathsep) if p and p != str(KIOSK_QML)]
    os.environ["QML_IMPORT_PATH"] = os.pathsep.join([*paths, str(KIOSK_QML)])
    # The keyboard's language follows the system locale: pinyin (简体中文) on a Chinese system.
    if not os.environ.get("LANG", "").startswith("zh"):
        os.environ["LANG"] = "zh_CN.UTF-8"
    return True
