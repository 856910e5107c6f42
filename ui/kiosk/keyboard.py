"""The kiosk's on-screen Chinese keyboard: Qt Virtual Keyboard with pinyin, for plain widgets.

``QT_IM_MODULE=qtvirtualkeyboard`` (set before the QApplication exists) makes Qt load the
virtual keyboard's input context; with widgets it shows its QML InputPanel in a window of its
own at the bottom of the screen whenever a text field has the focus, and types into that field
— pinyin with candidates when the locale is Chinese. A physical keyboard keeps working beside it.
Checked with PySide6 6.11.3 (``PySide6_Addons`` carries ``libQt6VirtualKeyboardQml``) under Xvfb;
the ``offscreen`` platform loads it as well but shows nothing.

The keyboard covers the lower part of the screen: :class:`KeyboardSpace` keeps the kiosk's page
above it by giving the page a bottom margin as tall as the keyboard with its row of pinyin candidates, whether
the row shows or not: the page stands still when the row comes with the first letter typed and goes with the
digits pad of the next field (the row over the letters took 100 px more, and 下一步 moved under the finger).
:class:`KeyboardText` makes its row of pinyin candidates, the characters a citizen picks, follow the kiosk's
text: never smaller than the page's body text, and larger with large text (大字); and its keys as large on a
screen standing up as lying down. :class:`PhysicalPinyin` lets a physical keyboard write pinyin too: Qt's
keyboard takes none from a keyboard's keys.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

import shiboken6
from PySide6.QtCore import SIGNAL, QObject, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLayout

from ui.common.timers import later
from ui.kiosk.input_method import KIOSK_QML

if TYPE_CHECKING:
    from PySide6.QtGui import QKeyEvent

#: The ``objectName`` of Qt's keyboard item (QtQuick.VirtualKeyboard's Keyboard.qml) in the input panel it shows.
KEYBOARD_NAME = "keyboard"
#: The keyboard's row of pinyin candidates in the kiosk's text sizes (see :class:`KeyboardText`).
CANDIDATE_ROW = KIOSK_QML / "KioskKeyboard" / "CandidateRow.qml"
#: The keyboard's keys as large standing up as lying down (see :class:`KeyboardText`).
KEY_SIZE = KIOSK_QML / "KioskKeyboard" / "KeySize.qml"
#: The keyboard's background (Qt's default style's ``keyboardBackgroundColor``).
KEYBOARD_COLOUR = "#263238"
#: The kiosk's QML object handing a physical keyboard's keys to the on-screen keyboard's pinyin.
PHYSICAL_KEYS = KIOSK_QML / "KioskKeyboard" / "PhysicalKeys.qml"
#: Keys typed closer together than this (ms, by the window system's clock) come from a machine, a scanner typing
#: a receipt's QR code, not from a hand: they go into the field as they are, not into pinyin.
MACHINE_GAP_MS = 15
#: Words on the key left of z while the keyboard types pinyin: its syllable mark, 分隔.
KEY_WORDS = KIOSK_QML / "KioskKeyboard" / "KeyWords.qml"
#: The keyboard's one language, 简体中文 (pinyin): no globe key, no other citizen's language left behind.
LANGUAGES = KIOSK_QML / "KioskKeyboard" / "Languages.qml"
#: Every pad of digits a phone's, 1 2 3 on top, with no key that does nothing (its layout: ``PhonePadLayout.qml``).
PHONE_PAD = KIOSK_QML / "KioskKeyboard" / "PhonePad.qml"


class KeyboardSpace(QObject):
    """Gives ``layout`` a bottom margin as tall as the on-screen keyboard while it is shown: as tall as the
    keyboard with its row of candidates, which Qt's keyboard shows only while pinyin offers characters (its
    rectangle is the keys alone before the first letter and over a digits pad)."""

    #: The room left for the page changed (the keyboard came up or went away).
    changed = Signal()

    def __init__(self, layout: QLayout, parent: QObject) -> None:
        super().__init__(parent)
        self.layout = layout
        self.base = layout.contentsMargins()
        self._keyboard: QObject | None = None
        self._style: QObject | None = None  # the keyboard's style, its row's height followed
        method = QGuiApplication.inputMethod()
        if method is not None:
            method.visibleChanged.connect(self.update)
            method.keyboardRectangleChanged.connect(self.update)

    @property
    def raised(self) -> bool:
        """Whether the keyboard takes room from the page now."""
        return self.layout.contentsMargins().bottom() > self.base.bottom()

    #: How often a keyboard gone under a finger still on the screen looks again (ms).
    HELD_MS = 50

    def update(self) -> None:
        method = QGuiApplication.inputMethod()
        height = round(method.keyboardRectangle().height()) if method is not None and method.isVisible() else 0
        if height:
            height = max(height, self.tallest())
        if not height and self.raised and QGuiApplication.mouseButtons() != Qt.MouseButton.NoButton:
            # A tap on another field: the keyboard goes at the press and comes back at the release, if
            # the field is still under the finger. Given back now, the room would move the field down
            # away from it, and the keyboard stay away. The room is held until the finger is lifted.
            later(self, self.HELD_MS, self.update)
            return
        margins = self.base
        self.layout.setContentsMargins(margins.left(), margins.top(), margins.right(), margins.bottom() + height)
        self.changed.emit()

    def tallest(self) -> int:
        """The keyboard's height with its row of candidates shown (0 while it was never shown)."""
        if self._keyboard is None or not shiboken6.isValid(self._keyboard):
            self._keyboard = find_keyboard()
        keyboard = self._keyboard
        if keyboard is None:
            return 0
        style = keyboard.property("style")
        if style is not None and style is not self._style:
            # The row's height is set after the keyboard first came up (the kiosk's sizes, 大字) and its keys'
            # height as the keyboard fits its screen: the room follows both, the row not shown.
            QObject.connect(style, SIGNAL("selectionListHeightChanged()"), self.update)
            if self._style is None:
                QObject.connect(keyboard, SIGNAL("heightChanged()"), self.update)
            self._style = style
        row = style.property("selectionListHeight") if style is not None else None
        return round(float(keyboard.property("height") or 0) + float(row or 0))


def find_keyboard() -> QObject | None:
    """The on-screen keyboard's QML item (its ``style`` and its row of candidates), once it was shown.

    Found by the name Qt's keyboard gives it (``keyboard``) among the keyboard window's objects, by Qt itself:
    no Qt Quick type is named in Python, so PySide's Qt Quick and OpenGL modules (some 3 MB) stay out of the
    process, and no Python wrapper is made for the items passed over.
    """
    for window in QGuiApplication.topLevelWindows():
        if not window.inherits("QQuickWindow"):
            continue  # no keyboard yet (or none at all)
        keyboard = window.findChild(QObject, KEYBOARD_NAME)
        if keyboard is not None and keyboard.metaObject().indexOfProperty("layoutType") >= 0 \
                and keyboard.property("style") is not None:
            # PySide counts what ``findChild`` found as the window's, in Python: when the window's Python
            # wrapper goes, the keyboard's is marked deleted. The keyboard's keeps the window's.
            setattr(keyboard, "_kept_window", window)  # noqa: B010
            return keyboard
    return None


class KeyboardText(QObject):
    """Keeps the characters of the keyboard's row of pinyin candidates at least ``least`` pixels (the page's
    body text), and, while the kiosk shows large text, makes the row ``factor`` times as tall, its characters
    as large and at least ``least_large`` pixels (the page's large text).

    Standing up, the keyboard's keys and their text are as large as lying down: Qt's keyboard keeps the
    shape of its style's design across the screen's width, and on a screen standing up (1080 px wide) drew
    them 0.56 times as large. ``resources/qml/KioskKeyboard/KeySize.qml`` binds the style's documented
    ``keyboardDesignWidth`` to its own divided by the screen's height over its width (the keyboard as tall
    as lying down; the style's own width lying down). The screen is read in QML (the keyboard's window's
    size): asked for in Python through the window, the application's Python wrapper of that screen was found
    dead afterwards.

    The keyboard writes 简体中文 alone (``resources/qml/KioskKeyboard/Languages.qml``): Qt's globe key, offering
    every language Qt was built with, is not shown, and no citizen's choice of language is left to the next. Every
    pad of digits is a phone's, 1 2 3 on top (``resources/qml/KioskKeyboard/PhonePad.qml``), whatever the field's
    digits are (Qt's pad of digits is a calculator's, 7 8 9 on top).

    The keyboard is built when first shown: the row and the keys follow from then on (each time it comes up
    the keyboard's style and screen are looked at again, a new style gets them too). The row is a QML object
    of the kiosk's (``resources/qml/KioskKeyboard/CandidateRow.qml``) binding the style's documented
    ``selectionListHeight`` and ``selectionListDelegate`` while large text is on or the style's own
    characters are smaller than ``least``, the style's own height and delegate coming back otherwise.
    """

    def __init__(self, factor: float, parent: QObject, *, least: int = 0, least_large: int = 0) -> None:
        super().__init__(parent)
        self.factor = factor
        self.least = least
        self.least_large = least_large
        self.large = False
        self.row: QObject | None = None
        self.keys: QObject | None = None
        self.words: QObject | None = None
        self.languages: QObject | None = None
        self.pad: QObject | None = None
        self._style: QObject | None = None
        method = QGuiApplication.inputMethod()
        if method is not None:
            method.visibleChanged.connect(self.follow)

    def set_large(self, on: bool) -> None:
        self.large = on
        self.follow()

    def follow(self) -> None:
        keyboard = find_keyboard()
        if keyboard is None:
            return
        style = keyboard.property("style")
        if style is not self._style or self.row is None:
            # the keys first: the row takes its design height from the style's own, in the style's scale
            self.keys = _make(keyboard, style, KEY_SIZE, {"keyboard": keyboard})
            self.words = _make(keyboard, style, KEY_WORDS, {})
            self.languages = _make(keyboard, style, LANGUAGES, {})
            self.pad = _make(keyboard, style, PHONE_PAD, {"keyboard": keyboard})
            self.row = _make(keyboard, style, CANDIDATE_ROW, {"factor": self.factor, "least": self.least,
                                                               "leastLarge": self.least_large, "large": self.large})
            self._style = style
        if self.row is not None and self.row.property("large") != self.large:
            self.row.setProperty("large", self.large)


def _make(keyboard: QObject, style: QObject, path: Path, properties: dict[str, object]) -> QObject | None:
    """The kiosk's QML object ``path`` binding the keyboard's ``style`` (with ``properties``), gone with it."""
    from PySide6.QtCore import QUrl
    from PySide6.QtQml import QQmlComponent, qmlEngine

    engine = qmlEngine(keyboard)
    if engine is None:
        return None
    component = QQmlComponent(engine, QUrl.fromLocalFile(str(path)))
    made = component.createWithInitialProperties({"style": style, **properties})
    if made is None:
        print(f"kiosk keyboard: {path.name}:", component.errorString(), file=sys.stderr)
        return None
    made.setParent(style)
    return made


#: A physical key's mark of punctuation as Chinese text writes it, while the keyboard writes pinyin.
CHINESE_MARKS = {",": "，", ".": "。", "?": "？", "!": "！", ";": "；", ":": "：", "(": "（", ")": "）",
                 "\\": "、"}


class KeyUse(NamedTuple):  # made before the kiosk's first frame: no dataclass, whose 6 methods compile in 0.5 ms
    """What a physical key does while the on-screen keyboard writes pinyin."""

    #: The key handed to the keyboard's pinyin as a tap on its own key (with ``text``).
    key: int | None = None
    text: str = ""
    #: The candidate chosen (0 the first of the row).
    choose: int | None = None
    #: The letters being written are given up.
    drop: bool = False


def pinyin_key_use(key: int, text: str, *, plain: bool, composing: bool) -> KeyUse | None:
    """What a key typed on a physical keyboard does while the on-screen keyboard writes pinyin (``composing``:
    letters are being written, no character chosen yet); ``None``: it goes to the field as it is.

    A small letter starts or goes on with the syllable, as the keyboard's own key does. While letters are being
    written: ' parts syllables (xi'an), Backspace takes the last letter back, space chooses the first candidate
    and 1 to 9 the candidate of that place, Enter writes the letters themselves, Escape gives them up. A key
    with Ctrl, Alt or the system key, a capital letter and anything else go to the field (the keyboard first
    writes what it was writing as letters). A mark of punctuation is written as Chinese text writes it (, as ，),
    after the first candidate of the letters being written."""
    if not plain:
        return None
    if len(text) == 1 and "a" <= text <= "z":
        return KeyUse(key=key, text=text)
    if text in CHINESE_MARKS:  # Chinese text's own marks, as the keyboard's keys write them (after the first candidate)
        return KeyUse(key=key, text=CHINESE_MARKS[text])
    if not composing:
        return None
    if text == "'":
        return KeyUse(key=key, text=text)
    if key == Qt.Key.Key_Backspace.value:
        return KeyUse(key=key)
    if key == Qt.Key.Key_Space.value:
        return KeyUse(choose=0)
    if len(text) == 1 and "1" <= text <= "9":
        return KeyUse(choose=int(text) - 1)
    if key in (Qt.Key.Key_Return.value, Qt.Key.Key_Enter.value):
        return KeyUse(key=Qt.Key.Key_Return.value, text="\r")
    if key == Qt.Key.Key_Escape.value:
        return KeyUse(drop=True)
    return None


class PhysicalPinyin(QObject):
    """Pinyin from a physical keyboard: its keys handed to the on-screen keyboard's input engine while that
    writes pinyin (:func:`pinyin_key_use`), through the kiosk's QML object beside the keyboard
    (``resources/qml/KioskKeyboard/PhysicalKeys.qml``). The keyboard comes up with the first letter: its row
    shows the candidates. Keys a machine types (:data:`MACHINE_GAP_MS`) are left alone: a scanner's code goes
    into the field as typed and the kiosk reads it.
    """

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self._helper: QObject | None = None
        self._keyboard: QObject | None = None
        self._last_stamp = 0
        self._held: set[int] = set()  # the keys taken, until their release
        self._waiting: list[tuple[int, str]] = []  # keys typed while the keyboard was coming (key, text)
        self._waited = 0

    def helper(self) -> QObject | None:
        """The QML object beside the keyboard (made with it; ``None`` while there is no keyboard)."""
        keyboard = self._keyboard if self._keyboard is not None and shiboken6.isValid(self._keyboard) \
            else find_keyboard()
        if keyboard is None:
            return None
        if keyboard is not self._keyboard or self._helper is None or not shiboken6.isValid(self._helper):
            from PySide6.QtCore import QUrl
            from PySide6.QtQml import QQmlComponent, qmlEngine

            engine = qmlEngine(keyboard)
            if engine is None:
                return None
            component = QQmlComponent(engine, QUrl.fromLocalFile(str(PHYSICAL_KEYS)))
            made = component.create()
            if made is None:
                print(f"kiosk keyboard: {PHYSICAL_KEYS.name}:", component.errorString(), file=sys.stderr)
                return None
            made.setParent(keyboard)  # gone with the keyboard
            self._keyboard, self._helper = keyboard, made
        return self._helper

    def ask(self, name: str, *args: object) -> object:
        """The QML object's function ``name`` called with ``args``: what it returns."""
        from PySide6.QtCore import Q_ARG, Q_RETURN_ARG, QMetaObject

        helper = self.helper()
        if helper is None:
            return None
        return QMetaObject.invokeMethod(
            helper, name, Qt.ConnectionType.DirectConnection, Q_RETURN_ARG("QVariant"),
            *(Q_ARG("QVariant", a) for a in args))

    def take(self, event: QKeyEvent, give_up: Callable[[str], None]) -> bool:
        """Whether the key ``event`` (typed into a text field with the on-screen keyboard in use) went to pinyin.
        ``give_up(letters)`` drops the pinyin being written and writes ``letters`` into the field as they are."""
        if not event.text():  # Shift's own press, an arrow, a function key: writes nothing, and is not timed
            return False
        stamp = event.timestamp()
        machine = bool(stamp) and bool(self._last_stamp) and 0 <= stamp - self._last_stamp < MACHINE_GAP_MS
        if stamp:
            self._last_stamp = stamp
        if machine:
            # A scanner's code whose first letter went to pinyin: that letter goes in as it is, and so do the rest
            # (Qt's keyboard would have written out its first candidate for it: 和ttps://…).
            waiting, self._waiting = "".join(text for _key, text in self._waiting), []
            if waiting or (self._helper is not None and self.ask("composing")):
                give_up(waiting or str(self.ask("preedit") or ""))
            return False
        modifiers = event.modifiers() & ~(Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.KeypadModifier)
        if modifiers != Qt.KeyboardModifier.NoModifier:  # Ctrl+…, Alt+…
            return False
        method = QGuiApplication.inputMethod()
        if self._waiting or (method is not None and not method.isVisible() and pinyin_key_use(
                event.key(), event.text(), plain=True, composing=False) is not None):
            # A letter with the keyboard down (the field focused by the page, not by a tap): the keyboard is asked
            # for, and the keys wait until it writes pinyin (it loads its letters after it shows, and till then
            # took the first letter as a letter). Each goes on then as if typed.
            self._waiting.append((event.key(), event.text()))
            self._held.add(event.key())
            if len(self._waiting) == 1:
                if method is not None:
                    method.show()
                self._waited = 0
                later(self, self.WAIT_MS, lambda: self._go_on(give_up))
            return True
        if not self._use(event.key(), event.text(), give_up):
            return False
        self._held.add(event.key())
        return True

    #: How often keys typed with the keyboard still coming look whether it is there (ms), and for how long at most.
    WAIT_MS = 20
    WAIT_AT_MOST_MS = 2000

    def _go_on(self, give_up: Callable[[str], None]) -> None:
        """The keys that waited for the keyboard: to pinyin as typed once it writes pinyin; as letters if it does
        not (its English letters chosen) or does not come."""
        if not self._waiting:
            return
        self._waited += self.WAIT_MS
        method = QGuiApplication.inputMethod()
        ready = method is not None and method.isVisible() and self.helper() is not None and bool(self.ask("pinyin"))
        if not ready and self._waited < self.WAIT_AT_MOST_MS:
            later(self, self.WAIT_MS, lambda: self._go_on(give_up))
            return
        waiting, self._waiting = self._waiting, []
        if not ready:
            give_up("".join(text for _key, text in waiting))
            return
        for key, text in waiting:
            if not self._use(key, text, give_up):  # a key pinyin leaves (a comma after a syllable): as it is
                give_up(text)

    def _use(self, key: int, text: str, give_up: Callable[[str], None]) -> bool:
        """The key ``key`` (with its ``text``) handed to pinyin, if it writes pinyin now: whether it was."""
        if self.helper() is None or not self.ask("pinyin"):
            return False
        use = pinyin_key_use(key, text, plain=True, composing=bool(self.ask("composing")))
        if use is None:
            return False
        method = QGuiApplication.inputMethod()
        if method is not None and not method.isVisible():
            method.show()  # its row shows the candidates
        if use.drop:
            give_up("")
        elif use.choose is not None:
            self.ask("choose", use.choose)  # a place with no candidate: nothing, the letters stay
        elif use.key is not None:
            self.ask("click", use.key, use.text)
        return True

    def released(self, event: QKeyEvent) -> bool:
        """Whether the release ``event`` is of a key that went to pinyin (it goes no further: Qt's keyboard takes a
        physical key's release as the end of the letters being written, and writes them out as letters)."""
        if event.key() in self._held:
            if not event.isAutoRepeat():
                self._held.discard(event.key())
            return True
        return False

