"""The self-service kiosk as a device: home tiles, one flow at a time, the idle wipe, the lock.

* **One flow at a time.** A tile builds its flow (a widget) from a factory when it is
  tapped; going home — by the citizen, at the end of the flow or after the idle timeout —
  cancels the flow's calls, empties every field and throws the flow away (its Qt half with
  ``deleteLater``, its Python object with the last reference). The next citizen gets a
  new flow, so nothing typed before survives in a widget, an undo buffer or an attribute.
* **Idle.** ``kiosk_idle_seconds`` after the citizen's last input the kiosk wipes; the last
  :data:`COUNTDOWN_SECONDS` of them a countdown covers the screen with 继续使用. Every input counts:
  a touch or a key anywhere (the on-screen keyboard's window too), text coming into a field of the
  flow (the keyboard's pinyin, a scanner), an ID card read come to its end (a card, or why none: on
  取号 the card fills no field; :mod:`ui.shell.idcard`); during the countdown any of them is 继续.
  The on-screen keyboard steps aside for the countdown (a window of its own, it would cover it) and
  comes back with 继续. The clipboard (X11's selection too) and the input method's half-typed pinyin are
  cleared as well.
  大字 and 高对比 left on at the home screen go off after the same idle time, with no countdown (nothing of
  anyone's is on it): the next citizen finds the kiosk as it starts.
* **返回首页** asks first while the flow holds something typed or chosen (:mod:`ui.kiosk.leave`).
* **Scanner.** A keyboard-wedge scanner types the receipt's QR text into whatever has the
  focus, a machine's burst of keys ended by Enter; a lookup address opens 进度查询 with it, from any
  screen, any field (a long text box too) and over a question. What it typed leaves the field; a code
  that is not a receipt's is refused in words. A person's keys (slower) are never taken for a scan, and
  Enter presses the focused button (see :meth:`KioskShell.eventFilter`).
* **Lock.** :meth:`KioskShell.lock` makes the window frameless, full screen and on top,
  swallows the keys that close or leave a window (Alt+F4, Ctrl+Q/W, Esc, F11, …) and
  refuses a close asked by the window system (Alt+F4 handled by the window manager, its close
  button). Only the administrator's PIN (five taps on the top-right corner) lets it
  close. What Qt cannot stop (Ctrl+Alt+Del, the Windows key, switching consoles, a
  window manager's own shortcuts) must be locked by the operating system: see README.
* **Voice.** Each screen's short prompt is said as it appears (:mod:`ui.kiosk.voice`); the
  engine starts a moment after the first frame, or with the first prompt if that comes sooner.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, NamedTuple

import shiboken6
from PySide6.QtCore import QEvent, QMargins, QObject, QPoint, QRect, Qt, QTimer, Signal
from PySide6.QtGui import (
    QClipboard,
    QCloseEvent,
    QGuiApplication,
    QInputMethodEvent,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QResizeEvent,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from ui.common.timers import later
from ui.common.widgets import Header, Phrases, label, set_tone
from ui.kiosk.input_method import on_screen_keyboard_asked
from ui.kiosk.keyboard import KEYBOARD_COLOUR, KeyboardSpace, KeyboardText, PhysicalPinyin
from ui.kiosk.style import LARGE_FACTOR, kiosk_style, text_px, title_strip_style
from ui.kiosk.veil import Veil
from ui.kiosk.voice import STILL_THERE, MakeVoice, preflight_from_settings, prompt_for, voice_from_settings
from ui.shell.context import WorkContext
from ui.shell.device import show_full_screen
from ui.shell.idle import DEVICE_INPUT, IdleWatcher
from ui.shell.tasks import Executor, TaskGroup

if TYPE_CHECKING:
    from PySide6.QtWidgets import QLayout, QLayoutItem

    from desktop.devices.voice import Announcer, VoiceProbe
    from desktop.services.changes import Changes
    from desktop.services.context import Hall
    from ui.kiosk.failure import FailureCard
    from ui.kiosk.leave import LeaveQuestion, Snapshot
    from ui.kiosk.pin import PinPage
    from ui.kiosk.printer_watch import PrinterWatch
    from ui.kiosk.touch import FingerScroll

#: Seconds of the visible countdown at the end of the idle time.
COUNTDOWN_SECONDS = 15
#: How long the countdown's card stays after the wipe, saying so (ms). A tap on it only takes it away: a tap meant
#: for 继续使用 that comes a moment late would otherwise land on the home tile under it and open that service.
WIPED_NOTICE_MS = 4000
#: Taps on the top-right corner, within :data:`CORNER_WINDOW_S` seconds, that ask for the PIN.
CORNER_TAPS = 5
CORNER_WINDOW_S = 4.0
#: A scanner's keys come this close together on average (ms, by the window system's clock), a person's never over
#: a run of :data:`SCAN_MIN_KEYS`: a fast typist's are 80 ms apart and more. One key may come later than the rest
#: (a busy window system stamped a scanner's keys up to 64 ms apart, 11 ms on average).
SCAN_KEY_GAP_MS = 30
#: A pause this long (ms) between two keys ends a run of keys (a scanner's Enter comes within it too).
SCAN_PAUSE_MS = 100
#: A run of this many keys or more at a scanner's pace, ended by Enter, is a scan (a receipt's is some 60).
SCAN_MIN_KEYS = 8
#: Longer scans are not a receipt's (desktop.domain.qrpayload.MAX_PAYLOAD_LENGTH, loaded with the first scan).
SCAN_MAX = 512
#: The application-wide key filter (scanner, locked keys) is installed this long after the first frame.
FILTER_AFTER_FRAME_MS = 200
#: The speech engine starts this long after the first frame (it takes a moment; the first frame comes first).
VOICE_START_MS = 1500
#: When, after the first frame, the kiosk starts watching for its printer working again (ui/kiosk/printer_watch.py).
PRINTER_WATCH_MS = 3000

FlowFactory = Callable[[WorkContext, QWidget], QWidget]


class Tile(NamedTuple):  # made before the kiosk's first frame: no dataclass, whose 6 methods compile in 0.5 ms
    """One big button of the home screen and the flow it opens (``None``: the tile is hidden)."""

    key: str
    title: str
    hint: str
    factory: FlowFactory | None


_CLOSING_KEYS = frozenset({Qt.Key.Key_Escape, Qt.Key.Key_F4, Qt.Key.Key_F11, Qt.Key.Key_Q, Qt.Key.Key_W,
                           Qt.Key.Key_Tab, Qt.Key.Key_Meta, Qt.Key.Key_Super_L, Qt.Key.Key_Super_R,
                           Qt.Key.Key_Menu, Qt.Key.Key_Close, Qt.Key.Key_Sleep, Qt.Key.Key_PowerOff})


#: The keys that press the focused button (Enter too, in the kiosk: see KioskShell._press_focused).
_PRESSING_KEYS = frozenset({Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space, Qt.Key.Key_Select})


def _line_end(event: QKeyEvent) -> bool:
    """Whether ``event`` ends a line: Enter, or a line feed typed as text (a scanner set to LF; xdotool's newline)."""
    return event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) or event.text() in ("\r", "\n")


def closing_key(event: QKeyEvent) -> bool:
    """Whether a key press would close, hide or leave the kiosk's window (swallowed when locked)."""
    key = Qt.Key(event.key())
    mods = event.modifiers()
    ctrl_or_alt = bool(mods & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
                               | Qt.KeyboardModifier.MetaModifier))
    if key in (Qt.Key.Key_Escape, Qt.Key.Key_F11, Qt.Key.Key_Meta, Qt.Key.Key_Super_L, Qt.Key.Key_Super_R,
               Qt.Key.Key_Menu, Qt.Key.Key_Close, Qt.Key.Key_Sleep, Qt.Key.Key_PowerOff):
        return True
    if key in _CLOSING_KEYS and ctrl_or_alt:
        return True
    return bool(event.matches(QKeySequence.StandardKey.Close) or event.matches(QKeySequence.StandardKey.Quit))


def wipe_widgets(root: QWidget) -> None:
    """Empty every text field under ``root``, their undo history included."""
    for edit in root.findChildren(QLineEdit):
        # clear() alone is undoable (the text comes back with Ctrl+Z); setText drops the history.
        edit.clear()
        edit.setText("")
        edit.setModified(False)
    for plain in root.findChildren(QPlainTextEdit):
        plain.clear()
        plain.document().clearUndoRedoStacks()
    for rich in root.findChildren(QTextEdit):
        rich.clear()
        rich.document().clearUndoRedoStacks()
    for shown in root.findChildren(QLabel):
        shown.clear()


def _tile_button(tile: Tile) -> QPushButton:
    """A big home-screen button: the title large, the hint below it, both wrapping."""
    button = QPushButton()
    button.setObjectName("tile")
    button.setAccessibleName(tile.title)
    button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
    title = label(tile.title, "tileTitle", centred=True)  # kept bold after the first frame (_filter_application)
    hint = label(tile.hint, "tileHint", centred=True)
    inner = QVBoxLayout(button)
    inner.setContentsMargins(12, 8, 12, 8)
    inner.setSpacing(0)
    inner.addStretch(1)
    for part in (title, hint):
        part.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        inner.addWidget(part)
    inner.addStretch(1)
    return button


#: The countdown's card: its question and what will happen; after the wipe, what happened.
ASKING = Phrases("您还在|使用吗？")
WILL_WIPE = Phrases("倒计时结束后，|屏幕上的内容|将全部清除，|回到首页")
WIPED = Phrases("时间到了，|已回到首页")
WIPED_TEXT = Phrases("刚才屏幕上的内容|已全部清除。|需要办理的，|请重新选择")


class CountdownOverlay(Veil):
    """Covers the whole kiosk in the last seconds before the wipe: the seconds left and 继续.

    A tap anywhere on it counts as 继续, so an elderly citizen is not wiped for missing the button. After the wipe
    it stays a few seconds over the home screen saying what happened (:meth:`say_wiped`); a tap then only
    takes it away.
    """

    touched = Signal()

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.heading = label(ASKING, "title", centred=True)
        from ui.kiosk.bold import bold_label

        self.seconds = bold_label("", "countdown", centred=True)
        self.text = label(WILL_WIPE, "subtitle", centred=True)
        self.keep = QPushButton("继续使用")
        self.keep.setMinimumWidth(480)
        layout = QVBoxLayout(self.card)
        layout.setContentsMargins(48, 48, 48, 48)
        layout.setSpacing(24)
        layout.addWidget(self.heading)
        layout.addWidget(self.seconds)
        layout.addWidget(self.text)
        layout.addWidget(self.keep, 0, Qt.AlignmentFlag.AlignHCenter)

    def show_seconds(self, seconds: int) -> None:
        if not self.seconds.isVisibleTo(self):  # the countdown again, after the wipe's words
            self.heading.setText(ASKING)
            self.text.setText(WILL_WIPE)
            self.keep.setText("继续使用")
            self.seconds.show()
        self.seconds.setText(f"{seconds} 秒")

    def say_wiped(self) -> None:
        """The countdown ended: the card says the screen was cleared, over the home screen."""
        self.heading.setText(WIPED)
        self.text.setText(WIPED_TEXT)
        self.seconds.hide()
        self.keep.setText("知道了")

    def place(self) -> None:
        """The countdown's card 720 px tall at most; the wipe's words as tall as they are."""
        self.place_card(tallest=720, fit=not self.seconds.isVisibleTo(self))

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.touched.emit()
        event.accept()


#: What counts as the citizen's input while the countdown runs (a move of the pointer alone does not: a window
#: going away under it makes one).
#: A text field with one of these hints takes a physical keyboard's letters as they are, never as pinyin.
_NOT_PINYIN = (Qt.InputMethodHint.ImhLatinOnly | Qt.InputMethodHint.ImhDigitsOnly
               | Qt.InputMethodHint.ImhFormattedNumbersOnly | Qt.InputMethodHint.ImhDialableCharactersOnly
               | Qt.InputMethodHint.ImhEmailCharactersOnly | Qt.InputMethodHint.ImhUrlCharactersOnly
               | Qt.InputMethodHint.ImhHiddenText)

_COUNTDOWN_INPUT = frozenset({
    DEVICE_INPUT,  # an ID card read (ui.shell.idcard), on whatever screen, its fields filled or not
    QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick, QEvent.Type.Wheel,
    QEvent.Type.TouchBegin, QEvent.Type.TabletPress, QEvent.Type.InputMethod,
})


class _CountdownInput(QObject):
    """Listens to the whole application while the countdown runs: any input of the citizen is 继续 — a key
    typed (a scanner's too), a tap anywhere, the on-screen keyboard's window included, its text coming in, an
    ID card read."""

    def __init__(self, shell: KioskShell) -> None:
        super().__init__(shell)
        self.shell = shell
        self.on = False

    def listen(self, on: bool) -> None:
        app = QApplication.instance()
        if app is None or on == self.on:
            return
        self.on = on
        if on:
            app.installEventFilter(self)
        else:
            app.removeEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in _COUNTDOWN_INPUT and self.on:
            if kind == QEvent.Type.InputMethod and isinstance(event, QInputMethodEvent) \
                    and not (event.commitString() or event.preeditString() or event.replacementLength()):
                return False  # the kiosk's own clearing of half-typed pinyin, not the citizen
            self.shell.keep_going()
        return False


class _WindowWatch(QObject):
    """Watches the kiosk's window alone: its first frame, after which the application-wide filter comes,
    and its closing while locked (refused, as :meth:`KioskShell.eventFilter` does once that filter is in).

    Keys are seen by the application-wide filter only, so that a key typed with nothing focused (it goes
    to the window) is taken once.
    """

    def __init__(self, shell: KioskShell) -> None:
        super().__init__(shell)
        self.shell = shell
        self.first_frame = True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if self.first_frame and kind == QEvent.Type.Paint:
            self.first_frame = False
            later(self.shell, FILTER_AFTER_FRAME_MS, self.shell._filter_application)
        if kind == QEvent.Type.Close:
            return self.shell.eventFilter(watched, event)
        return False


class KioskShell(QWidget):
    """The kiosk's whole page: a bar (home, large text, high contrast), the home tiles or a flow."""

    #: A flow was opened (its key) or the kiosk went home ("").
    flow_changed = Signal(str)
    #: The screen was wiped (after the idle timeout or going home).
    wiped = Signal()
    #: The administrator gave the right PIN: the window may close.
    unlocked = Signal()

    def __init__(self, ctx: WorkContext, tiles: Sequence[Tile], *,
                 scanned: Callable[[WorkContext, QWidget, str, str], QWidget] | None = None,
                 idle_ms: int | None = None, voice: MakeVoice | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._make_voice = voice or voice_from_settings(ctx.settings)
        #: The speech device, built after the first frame (or with the first prompt).
        self.voice: Announcer | None = None
        self._preflight = preflight_from_settings(ctx.settings) if voice is None else None
        self._voice_checks = ctx.group(self)  # apart from the flows' tasks, which the wipe cancels
        self.setObjectName("kiosk")
        self.tasks = ctx.group(self)
        self.tiles = [t for t in tiles if t.factory is not None]
        self._scanned_flow = scanned
        self.large = False
        self.contrast = False
        self.portrait = False
        self._wide = True  # a screen at least 3:2 (home in three columns)
        self.locked = False
        self.flow: QWidget | None = None
        self.flow_key = ""
        self._taps: list[float] = []
        #: The current run of keys at a scanner's pace (its text up to SCAN_MAX + 1), how many keys, the last key's
        #: time (ms; None: none yet) and the focused field as it was before the run's first key (field, text, cursor).
        self._burst: list[str] = []
        self._burst_keys = 0
        self._burst_at: tuple[bool, int] | None = None
        self._burst_from = 0
        self._burst_clock = 0.0  # the clock's time of the last key timed (ms)
        self._scan_ended = False  # a scan's Enter was taken: its release goes nowhere
        self._tabbing = False  # a Tab or Shift+Tab key is being delivered
        self._burst_before: tuple[QWidget | None, str, int] = (None, "", 0)
        self._window_watch: _WindowWatch | None = None
        #: Whether the application-wide filter (scanner, locked keys) is in place (from just after the first frame).
        self.filtering = False
        #: The text field with pinyin being typed in it (letters shown, no character chosen yet), if any.
        self._composing: QWidget | None = None
        #: Pinyin from a physical keyboard (made with its first key into a text field, the on-screen keyboard in use).
        self._physical: PhysicalPinyin | None = None
        #: Drags a page longer than the screen with the finger (from just after the first frame).
        self.finger_scroll: FingerScroll | None = None
        #: Asks the printer again while it is known not to work (from a moment after the first frame).
        self.printer_watch: PrinterWatch | None = None

        # Built from the page down: each widget joins the page's tree once (a widget moved into a new
        # parent has its whole tree's font, palette and style worked out again).
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.bar = QFrame(self)
        self.bar.setObjectName("bar")
        layout.addWidget(self.bar)
        self.pages = QStackedWidget(self)
        # The pages' own minimum widths must not hold a portrait screen at a landscape width.
        self.pages.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        layout.addWidget(self.pages, 1)

        bar = QHBoxLayout(self.bar)
        bar.setContentsMargins(24, 12, 12, 12)
        bar.setSpacing(16)
        self.home_button = QPushButton("返回首页")
        # a tap on it leaves the focus (and the keyboard) in the field typed in: 继续填写 goes on there
        self.home_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.heading = QLabel("欢迎使用自助服务")
        self.large_button = QPushButton("大字")
        self.large_button.setCheckable(True)
        self.large_button.setAccessibleName("大字模式")
        self.contrast_button = QPushButton("高对比")
        self.contrast_button.setCheckable(True)
        self.contrast_button.setAccessibleName("高对比度模式")
        self.corner = QPushButton("")
        self.corner.setObjectName("corner")
        self.corner.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.corner.setAccessibleName("管理")
        bar.addWidget(self.home_button)
        bar.addWidget(self.heading, 1)
        bar.addWidget(self.large_button)
        bar.addWidget(self.contrast_button)
        bar.addWidget(self.corner)

        # The home page scrolls where a screen is smaller than the kiosk's own (1366×768, 大字 on a
        # 1280×1024): its tiles keep their size and never overlap.
        self.home = QScrollArea(self.pages)
        self.home.setWidgetResizable(True)
        self.home.setFrameShape(QFrame.Shape.NoFrame)
        self.home.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.pages.addWidget(self.home)
        self.home_page = QWidget()
        self.home_page.setObjectName("page")
        self.home.setWidget(self.home_page)
        home = QVBoxLayout(self.home_page)
        home.setContentsMargins(48, 36, 48, 36)
        home.setSpacing(24)
        self.welcome = label(Phrases("请选择|您要办理的|事项"), "title", centred=True)
        self.home_hint = label(Phrases("轻触下方按钮开始；|也可以把|登记回执上的二维码|对准扫描口|查询进度"),
                               "subtitle", centred=True)
        home.addWidget(self.welcome)
        home.addWidget(self.home_hint)
        self.grid = QGridLayout()
        self.grid.setSpacing(28)
        home.addLayout(self.grid, 1)
        self.tile_buttons: dict[str, QPushButton] = {}
        for tile in self.tiles:
            button = _tile_button(tile)
            button.clicked.connect(lambda _=False, t=tile: self.open_flow(t.key))
            self.tile_buttons[tile.key] = button
        self.home_message = label("", "subtitle", centred=True)
        self.home_message.hide()
        home.addWidget(self.home_message)

        # A flow scrolls when the on-screen keyboard leaves it less room than it needs; the field
        # with the focus is kept in view.
        self.flow_scroll = QScrollArea(self.pages)
        self.flow_scroll.setWidgetResizable(True)
        self.flow_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.flow_scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # a tap beside a field leaves its keyboard up
        self.pages.addWidget(self.flow_scroll)
        self.holder = QWidget()
        self.holder.setObjectName("page")
        self.holder_layout = QVBoxLayout(self.holder)
        self.holder_layout.setContentsMargins(0, 0, 0, 0)
        self.flow_scroll.setWidget(self.holder)
        # The administrator's PIN page and the idle countdown are built when first needed: the home
        # screen's first frame does without them.
        self._pin_page: PinPage | None = None
        self._overlay: CountdownOverlay | None = None
        self._leave: LeaveQuestion | None = None
        self._failure: FailureCard | None = None
        self._after_leaving: Callable[[], None] | None = None  # what 放弃 in the question goes on to
        #: The open flow's fields and checkable buttons as it set them up (its defaults are not the citizen's).
        self._at_open: Snapshot = {}
        #: Whether the on-screen keyboard was up when the countdown or the question covered the page.
        self._keyboard_back = False
        self.keyboard_space = KeyboardSpace(layout, self)
        self._room_made: list[QWidget] = []  # what gave its room to the keyboard, shown again when it goes
        self._typing_shown: list[QWidget] = []  # what is shown only while the keyboard has that room (whileTyping)
        self._flow_title = ""  # the bar's heading while a flow is open
        self._flow_margins: QMargins | None = None  # the flow's own, while the keyboard has it narrower
        self._held: list[tuple[QWidget, int, int]] = []  # areas holding room for a field (and it): least, most
        self.keyboard_space.changed.connect(self.keep_focus_in_view)
        # made when the keyboard first comes up (or 大字 is first turned on), after the first frame
        self._keyboard_text: KeyboardText | None = None
        #: The room kept for the keyboard's row of candidates while the row is not shown, in the keyboard's colour
        #: (made when the keyboard first comes up).
        self._keyboard_strip: QWidget | None = None

        self.countdown_left = 0
        self.countdown_timer = QTimer(self)
        self.countdown_timer.setInterval(1000)
        self.countdown_timer.timeout.connect(self._count_down)
        seconds = ctx.settings.kiosk_idle_seconds
        self.idle = IdleWatcher(idle_ms if idle_ms is not None else (seconds - COUNTDOWN_SECONDS) * 1000, self)
        self.idle.idle.connect(self.start_countdown)
        self._countdown_input = _CountdownInput(self)

        self.home_button.clicked.connect(self.ask_home)
        self.large_button.toggled.connect(self._set_large)
        self.contrast_button.toggled.connect(self._set_contrast)
        self.corner.clicked.connect(self._corner_tapped)
        app = QApplication.instance()
        ctx.tasks.changed.connect(self._changed)
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._focus_taken)
        self._lay_out_tiles()
        self._restyle()
        self._show_home()

    @property
    def pin_page(self) -> PinPage:
        """The administrator's PIN page (built on first use)."""
        if self._pin_page is None:
            from ui.kiosk.pin import PinPage

            self._pin_page = PinPage(self.ctx, self)
            self._pin_page.cancelled.connect(self._leave_pin)
            self._pin_page.accepted.connect(self._unlock)
            self.pages.addWidget(self._pin_page)
        return self._pin_page

    @property
    def overlay(self) -> CountdownOverlay:
        """The idle countdown over the whole page (built on first use)."""
        if self._overlay is None:
            self._overlay = CountdownOverlay(self)
            self._overlay.keep.clicked.connect(self.keep_going)
            self._overlay.touched.connect(self.keep_going)
        return self._overlay

    def tell_failure(self, message: str, reference: str) -> None:
        """A failure no screen took care of (ui/shell/errors.py): told on the kiosk's card, one at a time, the
        on-screen keyboard aside until 知道了."""
        if self._failure is None:
            from ui.kiosk.failure import FailureCard

            self._failure = FailureCard(self)
            self._failure.closed.connect(self._keyboard_again)
        if not self._failure.isVisible():
            self._keyboard_aside()
        self._failure.tell(message, reference)
        self._failure.place()
        self._failure.show()
        self._failure.raise_()

    @property
    def leave_question(self) -> LeaveQuestion:
        """要放弃已填写的内容，返回首页吗？ over the whole page (built on first use)."""
        if self._leave is None:
            from ui.kiosk.leave import LeaveQuestion

            self._leave = LeaveQuestion(self)
            self._leave.stay.connect(self.stay)
            self._leave.leave.connect(self._leaving)
        return self._leave

    # -- flows ------------------------------------------------------------------------------------

    def open_flow(self, key: str) -> QWidget | None:
        """Open the flow of tile ``key`` (a fresh one); returns it, or None when there is no such tile."""
        tile = next((t for t in self.tiles if t.key == key), None)
        if tile is None or tile.factory is None:
            return None
        return self._open(key, tile.title, lambda: tile.factory(self.ctx, self.holder))  # type: ignore[misc]

    def _open(self, key: str, title: str, build: Callable[[], QWidget], *, prompt_first: bool = True) -> QWidget:
        from ui.kiosk.leave import snapshot

        self._drop_flow()
        self.countdown_timer.stop()  # a scan during the countdown: the flow it opens is seen
        self._countdown_input.listen(False)
        if self._overlay is not None:
            self._overlay.hide()
        flow = build()
        for field in flow.findChildren(QLineEdit) + flow.findChildren(QPlainTextEdit):
            _not_learned(field)
            # text coming in is the citizen's input, however it comes (the keyboard, an ID card read, a scanner)
            field.textChanged.connect(self._text_came)
        from ui.kiosk.settle import settle_on_action  # a flow is open: its module's Qt names are in use already

        settle_on_action(flow)  # a complaint goes once the citizen sets about correcting it
        self.flow, self.flow_key = flow, key
        self._at_open = snapshot(flow)
        self.holder_layout.addWidget(flow)
        finished = getattr(flow, "finished", None)
        if finished is not None:
            finished.connect(self.go_home)
        open_tile = getattr(flow, "open_tile", None)  # a flow that sends the citizen on to another tile's
        if open_tile is not None:
            flow.set_tiles([(t.key, t.title) for t in self.tiles if t.key != key])  # type: ignore[attr-defined]
            open_tile.connect(lambda other: later(self, 0, lambda: self.open_flow(other)))
        set_portrait = getattr(flow, "set_portrait", None)
        if set_portrait is not None:
            set_portrait(self.portrait)
        screens = getattr(flow, "pages", None)

        def speak(flow: QWidget = flow) -> None:  # the screen shown now, then each as it comes
            if flow is not self.flow:
                return
            if isinstance(screens, QStackedWidget):
                screens.currentChanged.connect(lambda index, f=flow: self._screen_shown(f, key, index))
            if prompt_first:
                self.say(self._prompt(key, screens.currentIndex() if isinstance(screens, QStackedWidget) else 0))

        ready = getattr(flow, "ready", None)  # a flow whose first screen depends on what it reads first
        if ready is not None:
            ready.connect(speak, Qt.ConnectionType.SingleShotConnection)
            # what the flow checks once it has read what it shows first is its own, too
            ready.connect(lambda f=flow: self._ready(f), Qt.ConnectionType.SingleShotConnection)
        else:
            speak()
        self.heading.setText(title)
        self._flow_title = title
        self.home_button.show()
        self.pages.setCurrentWidget(self.flow_scroll)
        self.idle.start()
        self.flow_changed.emit(key)
        return flow

    def _ready(self, flow: QWidget) -> None:
        if flow is self.flow:
            from ui.kiosk.leave import snapshot

            self._at_open.update(snapshot(flow))

    def _screen_shown(self, flow: QWidget, key: str, index: int) -> None:
        if flow is self.flow:
            self.say(self._prompt(key, index))

    def _prompt(self, key: str, index: int) -> str:
        """What to say as screen ``index`` of flow ``key`` shows, with this kiosk's reader and camera."""
        from desktop.devices.camera_spec import parse_camera_spec

        settings = self.ctx.settings
        return prompt_for(key, index, id_reader=settings.id_reader != "none",
                          camera=parse_camera_spec(settings.camera).present)

    # -- voice ------------------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        # The application-wide filter (scanner, locked keys) comes a moment after the first frame: the
        # thousands of events of building and first painting the page do not pass through Python, nor
        # do the ticks of the main window's start-up layout animation — an object of Qt's own (its
        # animation timer) given to a Python filter makes PySide create every enumeration of every
        # module it has loaded, some 170, on the spot.
        self._watch_window()
        super().showEvent(event)
        if self.voice is None:
            later(self, VOICE_START_MS, self.start_voice)
        if self.printer_watch is None:
            later(self, PRINTER_WATCH_MS, self.watch_printer)

    def watch_printer(self) -> PrinterWatch:
        """The printer's watch (made once): a recorded printer problem is looked at again every minute."""
        if self.printer_watch is None:
            from ui.kiosk.printer_watch import PrinterWatch

            self.printer_watch = PrinterWatch(self.ctx, self)
        return self.printer_watch

    def start_voice(self) -> Announcer | None:
        """The speech device (built on first use: where there is no engine, a silent one).

        None while an engine that opens through another program (speech-dispatcher) is first
        tried in a child process, off the GUI thread: a daemon that never answers must not
        freeze the kiosk. Prompts until then are left unsaid.
        """
        if self.voice is None:
            if self._preflight is not None:
                if not self._voice_checks.busy:
                    from desktop.devices.voice import UNCHECKED

                    check = self._preflight
                    self._voice_checks.run(lambda _hall: check(), self._voice_checked,
                                           lambda _error: self._voice_checked(UNCHECKED), executor=Executor.DEVICES)
                return None
            self.voice = self._make_voice(self)
        return self.voice

    def _voice_checked(self, found: VoiceProbe | None) -> None:
        self._preflight = None
        if self.voice is not None:
            return
        if found is not None and found.problem:
            from desktop.devices.voice import SilentAnnouncer

            self.voice = SilentAnnouncer(f"语音提示未开启：{found.problem}", self)
        else:
            self.voice = self._make_voice(self)

    def say(self, text: str) -> None:
        """Say ``text`` now, cutting short what is being said (a prompt of a screen already left)."""
        voice = self.start_voice() if text else None
        if voice is not None:
            voice.stop()
            voice.announce(text)

    def ask_home(self) -> None:
        """返回首页 tapped: home at once, unless the flow holds something the citizen typed or chose and is not
        at its end — then 要放弃已填写的内容，返回首页吗？ (:mod:`ui.kiosk.leave`)."""
        if not self._ask_leaving(self.go_home):
            self.go_home()

    def _ask_leaving(self, then: Callable[[], None], heading: str = "", leave: str = "") -> bool:
        """Whether the open flow holds something the citizen typed or chose and is not at its end: then 要放弃已填写
        的内容…？ is asked over the page (``heading`` and the ``leave`` button's words, or 返回首页's), and ``then``
        follows 放弃 (:mod:`ui.kiosk.leave`)."""
        from ui.kiosk.leave import at_its_end, holds_input

        flow = self.flow
        typing = self._composing is not None  # pinyin being typed: letters on show, no character chosen yet
        if flow is None or at_its_end(flow) or not (typing or holds_input(flow, self._at_open)):
            return False
        question = self.leave_question
        question.ask(heading, leave)
        self._after_leaving = then
        self._keyboard_aside()
        question.place()
        question.show()
        question.raise_()
        self.idle.start()
        self.say(question.heading.text())
        return True

    def _leaving(self) -> None:
        """放弃 in the question: what it was asked for (home, or the scanned receipt's case)."""
        then, self._after_leaving = self._after_leaving, None
        (then or self.go_home)()

    def stay(self) -> None:
        """继续填写: the question goes, the flow as it was (its keyboard back if it was up)."""
        if self._leave is not None:
            self._leave.hide()
        if self.voice is not None:
            self.voice.stop()
        self._keyboard_again()

    def go_home(self) -> None:
        """Back to the home screen with everything of the flow gone (放弃并返回首页, a flow's own 完成).

        大字 and 高对比 stay as the citizen set them: the same person goes on to another service (registered, now
        taking a number) and had to find them again each time. They are no one's personal detail; the idle wipe,
        for whoever comes next, turns them off."""
        large, contrast = self.large_button.isChecked(), self.contrast_button.isChecked()
        self.wipe()
        self.large_button.setChecked(large)
        self.contrast_button.setChecked(contrast)

    def wipe(self) -> None:
        """Forget the citizen: the flow, every field, the clipboard, half-typed pinyin, the modes."""
        self.countdown_timer.stop()
        self._countdown_input.listen(False)
        if self._overlay is not None:
            self._overlay.hide()
        if self._leave is not None:
            self._leave.hide()
        if self._failure is not None:
            self._failure.hide()
        self._keyboard_back = False
        self.idle.stop()
        if self.voice is not None:
            self.voice.stop()
        self._drop_flow()
        if self._pin_page is not None:
            self._pin_page.clear()
        self._burst, self._burst_keys, self._burst_at, self._burst_before = [], 0, None, (None, "", 0)
        clipboard = QGuiApplication.clipboard()
        if clipboard is not None:
            clipboard.clear()
            # X11's selection holds what was last selected in a field (a refused ID number chosen for retyping,
            # a phone number selected to correct it) and a middle click pastes it for whoever comes next
            if clipboard.supportsSelection():
                clipboard.clear(QClipboard.Mode.Selection)
        method = QGuiApplication.inputMethod()
        if method is not None:
            method.reset()
            method.hide()
        self.home_message.clear()
        self.home_message.hide()
        self.large_button.setChecked(False)
        self.contrast_button.setChecked(False)
        self._show_home()
        self.wiped.emit()

    def _drop_flow(self) -> None:
        flow, self.flow, self.flow_key = self.flow, None, ""
        self._flow_margins, self._held, self._composing = None, [], None
        self._at_open, self._keyboard_back = {}, False
        if self._leave is not None:  # the question goes with the flow it was about
            self._leave.hide()
        if flow is None:
            return
        for group in flow.findChildren(TaskGroup):
            group.cancel_all()
        wipe_widgets(flow)
        flow.hide()
        self.holder_layout.removeWidget(flow)
        flow.setParent(None)
        flow.deleteLater()

    def _show_home(self) -> None:
        self.heading.setText("欢迎使用自助服务")
        self.home_button.hide()
        self.pages.setCurrentWidget(self.home)
        self.flow_changed.emit("")

    def _focus_taken(self, old: QWidget | None, new: QWidget | None) -> None:
        """A field took the focus: kept in view now, or, taken by a tap, once the finger is lifted. The focus
        moves at the press and the keyboard comes back at the release if the field is still under the finger:
        scrolled into view at the press (a field half hidden under the keyboard), it moved away from under
        the finger and the keyboard stayed away."""
        if QGuiApplication.mouseButtons() != Qt.MouseButton.NoButton:
            later(self, KeyboardSpace.HELD_MS, self._focus_after_tap)
            return
        self._focus_moved(old, new)

    def _focus_after_tap(self) -> None:
        if QGuiApplication.mouseButtons() != Qt.MouseButton.NoButton:
            later(self, KeyboardSpace.HELD_MS, self._focus_after_tap)
            return
        self._focus_moved(None, QApplication.focusWidget())

    def _focus_moved(self, _old: QWidget | None, new: QWidget | None) -> None:
        """Keep the focused field in view in every scrolling area around it (the flow's and its screen's)."""
        if new is None or not self.holder.isAncestorOf(new):
            return
        if self.keyboard_space.raised and not self._room_made:
            self._make_room(True)  # another screen's field may lack the room the last one had
        areas: list[QScrollArea] = []
        parent = new.parentWidget()
        while parent is not None:
            if isinstance(parent, QScrollArea):
                inner = parent.widget()
                if inner is not None and inner.isAncestorOf(new):
                    areas.append(parent)
            if parent is self.flow_scroll:
                break
            parent = parent.parentWidget()
        typing = bool(self._room_made) and isinstance(new, QLineEdit | QPlainTextEdit | QTextEdit)
        caption = _caption(new) if typing else None
        self._hold_room(areas[:-1] if typing else [], caption or new, new)
        if typing and len(areas) > 1:
            # the flow's buttons (下一步) under the screen's own area, which holds room for the field
            bar = areas[-1].verticalScrollBar()
            bar.setValue(bar.maximum())
        if not typing and _wholly_seen(new):
            return  # seen whole where it is: it stays there, under the finger (the keyboard up or not)
        for area in areas if not typing or len(areas) == 1 else areas[:-1]:
            area.ensureWidgetVisible(new, 40, 40)
        # A screen's own scrolling area may be taller than the room the flow's leaves it (the keyboard
        # up): each inner area then scrolls on until the field is in the part that can be seen.
        for area in areas[:-1]:
            _reveal(area, new, 40)
        if typing:
            # the field's caption with it, then as much of what follows as keeps both in view
            for area in areas if len(areas) == 1 else areas[:-1]:
                _reveal_below(area, caption or new, new, 6)
            if len(areas) > 1 and _reveal(areas[-1], new, 0):
                # no room for the field beside the flow's buttons and message (a complaint shown): the field
                for area in areas[:-1]:
                    _reveal(area, new, 0)
            # what the field asks for, on the bar if its caption had to give its room up (large text, the
            # keyboard's row of pinyin candidates: a landscape screen has some 280 px left)
            hidden = caption is not None and caption.visibleRegion().boundingRect().height() < caption.height()
            words = caption.text() if isinstance(caption, QLabel) else ""
            self.heading.setText(f"{self._flow_title}：{words}" if hidden and words else self._flow_title)

    def _hold_room(self, areas: list[QScrollArea], top: QWidget, field: QWidget) -> None:
        """While the keyboard is up, a screen's own scrolling area keeps room for the field typed in and its
        caption (else it shrinks to a sliver beside the flow's buttons, and the flow's area scrolls instead);
        a text box gives up what its screen then lacks, down to two lines (one, if the flow lacks more)."""
        self._let_go()
        if not areas:
            return
        if isinstance(field, QLineEdit):
            self._hold(areas, top, field, field.sizeHint().height())
            return
        line = field.fontMetrics().lineSpacing()
        self._hold(areas, top, field, line * 2 + 24)
        lacking = self.flow_scroll.verticalScrollBar().maximum()  # what the flow's area must scroll to show all
        if lacking > 0:
            self._let_go()
            self._hold(areas, top, field, max(line + 24, line * 2 + 24 - lacking), squeeze=True)

    def _hold(self, areas: list[QScrollArea], top: QWidget, field: QWidget, high: int, squeeze: bool = False) -> None:
        if squeeze:  # the text box no taller than ``high``
            self._held.append((field, field.minimumHeight(), field.maximumHeight()))
            field.setMinimumHeight(high)
            field.setMaximumHeight(high)
        for area in areas:
            inner = area.widget()
            assert inner is not None
            above = field.mapTo(inner, QPoint(0, 0)).y() - top.mapTo(inner, QPoint(0, 0)).y()
            room = min(max(above, 0) + high + 2 * 6, inner.sizeHint().height())
            if room > area.minimumHeight():
                self._held.append((area, area.minimumHeight(), area.maximumHeight()))
                area.setMinimumHeight(room)
        _lay_out([*areas, self.flow_scroll])
        if isinstance(field, QLineEdit) or squeeze:
            return
        # what the screen's area shows of its page beside the field's caption, the page's margins and the
        # rest of the screen (an area lays out its page at no less than the page's preferred height)
        inner = areas[0].widget()
        assert inner is not None
        free = max(high, areas[0].viewport().height() - (inner.height() - field.height()))
        if free < field.height():
            self._held.append((field, field.minimumHeight(), field.maximumHeight()))
            field.setMinimumHeight(high)
            field.setMaximumHeight(free)
            _lay_out([*areas, self.flow_scroll])

    def _let_go(self) -> None:
        """The room held for a field goes back to the screen (the keyboard went, or another field has it)."""
        for widget, least, most in reversed(self._held):
            if shiboken6.isValid(widget):
                widget.setMinimumHeight(least)
                widget.setMaximumHeight(most)
        self._held = []

    def keep_focus_in_view(self) -> None:
        """The keyboard came up or went: lay the page out in the room left now, then scroll to the field."""
        if self._keyboard_text is None and self.keyboard_space.raised:
            self.keyboard_text.follow()  # the keyboard's first time up: its candidates in the page's text sizes
        self._make_room(self.keyboard_space.raised and self.flow is not None)
        self.keyboard_space.layout.activate()
        self._place_keyboard_strip()
        self._focus_moved(None, QApplication.focusWidget())
        if not self._room_made:
            self._hold_room([], self, self)

    def _make_room(self, typing: bool) -> None:
        """While the keyboard is up, the window's title strip (hall name, clock) and the screen's title (and
        its step count) give the field their room (in landscape the keyboard takes more than half the
        screen), and lying down the flow's buttons stand beside its screens; all come back with the page when
        it goes. 返回首页, 大字 and 高对比 stay."""
        if typing and not self._room_made:
            if not self._lacks_room():
                return  # the page stays as it was: the field under the finger does not move
            window = self.window()
            made: list[QWidget] = [h for h in window.findChildren(Header) if not h.isHidden()] \
                if window is not self else []
            if self.flow is not None:
                made += [t for t in self.flow.findChildren(QLabel) if not t.isHidden()
                         and ((t.objectName() == "title" and not t.property("keepsRoom")) or t.property("givesRoom"))]
            for widget in made:
                widget.hide()
            self._room_made = made
            # what stands in for what gave its room, short (the booking's 已选：day and slot, over the form)
            self._typing_shown = [w for w in self.flow.findChildren(QWidget) if w.property("whileTyping")] \
                if self.flow is not None else []
            for widget in self._typing_shown:
                widget.show()
            layout = self.flow.layout() if self.flow is not None else None
            if layout is not None:  # the flow's margins above and below, too
                self._flow_margins = layout.contentsMargins()
                m = self._flow_margins
                layout.setContentsMargins(m.left(), 0, m.right(), 0)
            self._buttons_beside(not self.portrait)  # lying down, its buttons beside its screens
        elif not typing and self._room_made:
            if self.flow is not None:
                self.heading.setText(self._flow_title)
            for widget in self._room_made:
                if shiboken6.isValid(widget):
                    widget.show()
            for widget in self._typing_shown:
                if shiboken6.isValid(widget):
                    widget.hide()
            self._room_made, self._typing_shown = [], []
            layout = self.flow.layout() if self.flow is not None else None
            if layout is not None and self._flow_margins is not None:
                layout.setContentsMargins(self._flow_margins)
            self._flow_margins = None
            self._buttons_beside(False)

    def _place_keyboard_strip(self) -> None:
        """The room held for the keyboard drawn in the keyboard's colour: where the row of candidates is not
        shown (over a pad of digits, before the first letter) the strip above the keys reads as the keyboard's
        empty row, not as a band of the page's colour between the page and the keys."""
        room = self.keyboard_space.layout.contentsMargins().bottom() - self.keyboard_space.base.bottom()
        if room <= 0:
            if self._keyboard_strip is not None:
                self._keyboard_strip.hide()
            return
        if self._keyboard_strip is None:
            self._keyboard_strip = QWidget(self)
            self._keyboard_strip.setObjectName("keyboardRoom")
            self._keyboard_strip.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
            self._keyboard_strip.setStyleSheet(f"#keyboardRoom {{ background: {KEYBOARD_COLOUR}; }}")
        self._keyboard_strip.setGeometry(0, self.height() - room, self.width(), room)
        self._keyboard_strip.show()
        self._keyboard_strip.raise_()

    def _lacks_room(self) -> bool:
        """Whether the open flow, laid out as it is above the keyboard, lacks room for the field typed in: the
        field or what it asks for (its caption) is cut off, the flow's page would have to scroll (its buttons
        under the keyboard), or a text box would show fewer than three lines. A screen that scrolls below a field
        seen whole does not count: standing up the keyboard mostly leaves room enough, and nothing moves (with
        大字 the 身份 screen went up 182 px under a finger about to tap the next field, which was in view)."""
        if self.flow is None:
            return False
        focus = QApplication.focusWidget()
        if focus is None or not self.flow.isAncestorOf(focus):
            return False
        self.keyboard_space.layout.activate()
        areas = [a for a in self.flow.findChildren(QScrollArea)
                 if a.isVisible() and (inner := a.widget()) is not None and inner.isAncestorOf(focus)]
        _lay_out([*areas, self.flow_scroll])
        if self.flow_scroll.verticalScrollBar().maximum() > 0:
            return True
        if isinstance(focus, QPlainTextEdit | QTextEdit) \
                and focus.viewport().height() < focus.fontMetrics().lineSpacing() * 3:
            return True
        return not all(_wholly_seen(widget) for widget in (focus, _caption(focus)) if widget is not None)

    def _buttons_beside(self, on: bool) -> None:
        """The flow's buttons at the right of its screens (``on``) or under them (see ``ButtonsBeside``)."""
        if self.flow is None:
            return
        from ui.kiosk.screens import ButtonsBeside

        for box in self.flow.findChildren(ButtonsBeside):
            box.set_beside(on)

    # -- privacy after a sync ---------------------------------------------------------------------

    def _changed(self, changes: Changes) -> None:
        # Topic.SYNC by its value: the services (and SQLAlchemy) are not loaded before the first frame
        if "sync" in changes.topics and self.ctx.settings.kiosk_erase_after_sync and not self.tasks.busy:
            self.erase_acknowledged()

    def erase_acknowledged(self) -> None:
        """Reduce this kiosk's registrations the server has acknowledged to masked progress (off the GUI thread)."""
        actor = self.ctx.actor

        def erase(hall: Hall) -> int:
            from desktop.services.self_service import erase_acknowledged_registrations

            return erase_acknowledged_registrations(hall, actor)

        self.tasks.run(erase, lambda _count: None, lambda _error: None)

    # -- idle -------------------------------------------------------------------------------------

    def start_countdown(self) -> None:
        if self.flow is None and self.pages.currentWidget() is self.home:
            # nobody's details at home: only the modes someone left on, turned off for the next citizen
            self.large_button.setChecked(False)
            self.contrast_button.setChecked(False)
            return
        self.countdown_left = COUNTDOWN_SECONDS
        self._keyboard_aside()
        self.overlay.show_seconds(self.countdown_left)
        self.overlay.place()
        self.overlay.show()
        self.overlay.raise_()
        self.countdown_timer.start()
        self._countdown_input.listen(True)
        self.say(STILL_THERE)

    def _count_down(self) -> None:
        self.countdown_left -= 1
        if self.countdown_left <= 0:
            self.wipe()
            overlay = self.overlay
            overlay.say_wiped()
            overlay.place()
            overlay.show()
            overlay.raise_()
            later(overlay, WIPED_NOTICE_MS, self._wiped_said)
            return
        self.overlay.show_seconds(self.countdown_left)

    def _wiped_said(self) -> None:
        """The wipe's words go by themselves (unless a new countdown took the card)."""
        if self._overlay is not None and not self.countdown_timer.isActive():
            self._overlay.hide()

    def keep_going(self) -> None:
        """继续使用 (or any input during the countdown): the idle time starts again, the page as it was."""
        counting = self.countdown_timer.isActive()
        self.countdown_timer.stop()
        self._countdown_input.listen(False)
        if self._overlay is not None:
            self._overlay.hide()
        self.idle.start()
        if counting and (self._leave is None or not self._leave.isVisible()):
            self._keyboard_again()  # under a question still asked, the keyboard waits for its answer

    def _text_came(self) -> None:
        """Text came into a field of the flow: input of the citizen's, the idle time starts again."""
        if self.countdown_timer.isActive():
            self.keep_going()
        elif self.idle.running:
            self.idle.start()

    def _keyboard_aside(self) -> None:
        """The on-screen keyboard, a window of its own above the kiosk's, would cover what now covers the page
        (the countdown, the question): it goes, and comes back when the page does."""
        method = QGuiApplication.inputMethod()
        if method is not None and method.isVisible():
            self._keyboard_back = True
            method.hide()

    def _keyboard_again(self) -> None:
        back, self._keyboard_back = self._keyboard_back, False
        method = QGuiApplication.inputMethod()
        typing = QApplication.focusWidget()
        if back and method is not None and isinstance(typing, QLineEdit | QPlainTextEdit | QTextEdit) \
                and self.holder.isAncestorOf(typing):
            method.show()

    # -- modes and layout -------------------------------------------------------------------------

    def _set_large(self, on: bool) -> None:
        self.large = on
        if on or self._keyboard_text is not None:
            self.keyboard_text.set_large(on)
        self._restyle()
        self._modes_at_home()

    def _set_contrast(self, on: bool) -> None:
        self.contrast = on
        self._restyle()
        self._modes_at_home()

    def _modes_at_home(self) -> None:
        """At the home screen the idle time runs while 大字 or 高对比 is on (its end turns them off), and not
        otherwise: there is nothing else to wipe there."""
        if self.flow is None and self.pages.currentWidget() is self.home:
            if self.large or self.contrast:
                self.idle.start()
            else:
                self.idle.stop()

    def _restyle(self) -> None:
        style = kiosk_style(large=self.large, contrast=self.contrast)
        app = QApplication.instance()
        if not (self.large or self.contrast) and isinstance(app, QApplication) and style in app.styleSheet():
            # The application's style sheet has the normal mode (desktop.app.apply_role_theme): a style
            # sheet of the page's own would be evaluated again for its whole tree whenever it moves.
            style = ""
        if style != self.styleSheet():
            self.setStyleSheet(style)
        window = self.window()
        if window is not self:  # the window's title strip above the page follows high contrast too
            for strip in window.findChildren(Header):
                strip.setStyleSheet(title_strip_style(contrast=self.contrast))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        portrait = self.height() > self.width()
        wide = self.width() >= 1.5 * self.height()
        if (portrait, wide) != (self.portrait, self._wide):
            turned = portrait != self.portrait
            self.portrait, self._wide = portrait, wide
            self._lay_out_tiles()
            set_portrait = getattr(self.flow, "set_portrait", None)
            if turned and set_portrait is not None:
                set_portrait(portrait)
        if self._keyboard_strip is not None and self._keyboard_strip.isVisible():
            self._place_keyboard_strip()
        if self._overlay is not None and self._overlay.isVisible():
            self._overlay.place()
        if self._leave is not None and self._leave.isVisible():
            self._leave.place()
        if self._failure is not None and self._failure.isVisible():
            self._failure.place()

    def _lay_out_tiles(self) -> None:
        # Standing up one column; on a wide screen three; on a squarer one (1280×1024) two, wider tiles.
        columns = 1 if self.portrait else 3 if self._wide and len(self.tile_buttons) > 4 else 2
        for button in self.tile_buttons.values():
            self.grid.removeWidget(button)
        for index, button in enumerate(self.tile_buttons.values()):
            self.grid.addWidget(button, index // columns, index % columns)
        for row in range(self.grid.rowCount()):
            self.grid.setRowStretch(row, 1 if row < (len(self.tile_buttons) + columns - 1) // columns else 0)
        for column in range(self.grid.columnCount()):
            self.grid.setColumnStretch(column, 1 if column < columns else 0)

    # -- the administrator ------------------------------------------------------------------------

    def _corner_tapped(self) -> None:
        now = time.monotonic()
        self._taps = [t for t in self._taps if now - t < CORNER_WINDOW_S] + [now]
        if len(self._taps) >= CORNER_TAPS:
            self._taps.clear()
            self._drop_flow()
            self.heading.setText("管理员退出")
            self.home_button.hide()
            self.pin_page.clear()
            self.pages.setCurrentWidget(self.pin_page)
            self.pin_page.field.setFocus()
            self.idle.start()

    def _leave_pin(self) -> None:
        self.wipe()

    def _unlock(self) -> None:
        self.locked = False
        self.idle.stop()
        self.unlocked.emit()
        window = self.window()
        if window is not self:
            window.close()

    def lock(self) -> None:
        """Full screen, frameless, on top, the closing keys swallowed, closing refused until the PIN."""
        self.locked = True
        window = self.window()
        flags = window.windowFlags() | Qt.WindowType.FramelessWindowHint | Qt.WindowType.WindowStaysOnTopHint
        if window.testAttribute(Qt.WidgetAttribute.WA_WState_Created):
            window.setWindowFlags(flags)  # a window already on screen: the window system is told
        else:
            # Not on screen yet (the program locks before the first frame): the flags are read when the
            # window is made. setWindowFlags would move the window into its own parent again, and every
            # widget of the page would have its font, palette and style worked out anew (3 ms).
            window.overrideWindowFlags(flags)
        window.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self._watch_window()
        show_full_screen(window)

    def _watch_window(self) -> None:
        """The window's own filter: its first frame (then the application-wide one) and its closing."""
        if self._window_watch is None:
            self._window_watch = _WindowWatch(self)
            self.window().installEventFilter(self._window_watch)

    # -- events: the lock and the scanner --------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """The application-wide filter (from just after the first frame): every key, and the window's closing."""
        kind = event.type()
        if kind == QEvent.Type.Close and self.locked and watched is self.window() and event.spontaneous():
            # Alt+F4, the window manager's close: refused. The program's own close and quit (not
            # spontaneous) still work, so a shutdown, `run --smoke-test` and the PIN's exit end it.
            assert isinstance(event, QCloseEvent)
            event.ignore()
            return True
        if kind == QEvent.Type.Polish and isinstance(watched, QAbstractButton | QScrollArea):
            self._no_click_focus(watched)
            return False
        if kind == QEvent.Type.Polish and isinstance(watched, QLineEdit | QPlainTextEdit | QTextEdit):
            if self.holder.isAncestorOf(watched):
                _not_learned(watched)
            return False
        if kind == QEvent.Type.Move and isinstance(watched, QWidget):
            focus = QApplication.focusWidget()
            if focus is not None and watched.isAncestorOf(focus):
                _follow_input_item(focus)
            return False
        if kind in (QEvent.Type.FocusIn, QEvent.Type.FocusOut) and isinstance(watched, QAbstractButton):
            # the focus ring shows where a physical keyboard's Tab put the focus, not where the page left it (Qt
            # moves the focus of a field that goes, as a flow closes, with a Tab's reason too)
            reason = getattr(event, "reason", None)
            _ring(watched, kind == QEvent.Type.FocusIn and self._tabbing and reason is not None
                  and reason() in (Qt.FocusReason.TabFocusReason, Qt.FocusReason.BacktabFocusReason))
            return False
        if kind == QEvent.Type.MouseButtonRelease and isinstance(watched, QAbstractButton):
            self._tapped(watched)
            return False
        if kind == QEvent.Type.MouseButtonPress and self._composing is not None and isinstance(watched, QWidget) \
                and watched is not self._composing and self.holder.isAncestorOf(watched):
            self._drop_composition()
            return False
        if kind == QEvent.Type.MouseButtonPress and self._composing is not None and watched.isWindowType() \
                and isinstance(event, QMouseEvent):
            # A press on another field: Qt gives it the focus before the field sees the press, and the keyboard
            # then puts its first candidate into the field left. The press comes to the window first.
            target = QApplication.widgetAt(event.globalPosition().toPoint())
            if target is not None and target is not self._composing and self.holder.isAncestorOf(target):
                self._drop_composition()
            return False
        if kind == QEvent.Type.InputMethod and isinstance(event, QInputMethodEvent) \
                and isinstance(watched, QLineEdit | QPlainTextEdit | QTextEdit):
            self._composing = watched if event.preeditString() else None
            if isinstance(watched, QPlainTextEdit):
                _placeholder_aside(watched, bool(event.preeditString()))
        if kind == QEvent.Type.InputMethod and isinstance(watched, QLineEdit) and isinstance(event, QInputMethodEvent) \
                and watched.inputMethodHints() & Qt.InputMethodHint.ImhLatinOnly and event.preeditString():
            # The pinyin keyboard takes a letter as the start of a syllable (and offers 下, 想, 小 … for X)
            # even in a field of Latin letters and digits: the letter goes in as it is, at once.
            letters, field = event.preeditString(), watched
            later(watched, 0, lambda: _take_letters(field, letters))
            return True
        if kind in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride) and isinstance(event, QKeyEvent):
            if not self._mine(watched) or not self._first_receiver(watched):
                return False
            if kind == QEvent.Type.KeyPress and event.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab):
                self._tabbing = True  # the focus it moves, while it is delivered, is the keyboard's
                later(self, 0, self._tabbed)
            # every key press is timed (once, at its first receiver): a scanner's come at a machine's pace
            scan = self._burst_key(event) if kind == QEvent.Type.KeyPress else None
            if scan is not None:
                return self._scanner_key(event, scan)
            if kind == QEvent.Type.KeyPress and isinstance(watched, QAbstractButton) and not watched.property("keyed") \
                    and event.key() in _PRESSING_KEYS and not event.isAutoRepeat():
                # Enter or Space on a button the page focused, no ring on it: the ring shows first what the next
                # press would press (大字 was toggled by a key typed on a page with no field)
                _ring(watched, True)
                return True
            if kind == QEvent.Type.KeyPress and self._leave is not None and self._leave.isVisible() \
                    and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Escape):
                self.stay()  # Enter or Escape on a keyboard answers the question as its default does: 继续填写
                return True
            if self.locked and closing_key(event):
                if kind == QEvent.Type.KeyPress and event.key() == Qt.Key.Key_Escape and self._composing is not None:
                    self._drop_composition()  # Escape gives up the pinyin being written, and goes no further
                return True
            if kind == QEvent.Type.KeyPress:
                return self._scanner_key(event, None) or self._pinyin_key(event) or self._press_focused(event)
        if kind == QEvent.Type.KeyRelease and self._scan_ended and isinstance(event, QKeyEvent) and _line_end(event):
            # the release of a scan's Enter: Qt's keyboard took it for its own and came up again over the question
            self._scan_ended = False
            return True
        if kind == QEvent.Type.KeyRelease and self._physical is not None and isinstance(event, QKeyEvent):
            # the release of a key pinyin took: Qt's keyboard would take it for a key of its own and write
            # out the letters as they are
            return self._physical.released(event)
        return False

    def _tabbed(self) -> None:
        self._tabbing = False

    def _drop_composition(self) -> None:
        """Pinyin still being typed when the citizen taps elsewhere on the page (下一步, another field) is
        dropped: the keyboard would otherwise put its first candidate into the field as the focus moves
        (“ling” became 另, a character the citizen never chose), after the page had read the field."""
        field, self._composing = self._composing, None
        method = QGuiApplication.inputMethod()
        if method is not None:
            method.reset()
        if field is not None and shiboken6.isValid(field):
            QApplication.sendEvent(field, QInputMethodEvent())  # no half-typed letters left on show

    def _no_click_focus(self, widget: QWidget) -> None:
        """A flow's buttons (and the scrolling areas around them) take no focus when pressed: the
        on-screen keyboard, which goes with a text field's focus, would go at the press, the page grow
        under the finger and the button move away before it is released — the tap lost."""
        if widget.focusPolicy() & Qt.FocusPolicy.ClickFocus and self.holder.isAncestorOf(widget):
            widget.setFocusPolicy(Qt.FocusPolicy.TabFocus)

    def _tapped(self, button: QAbstractButton) -> None:
        """The keyboard goes once a flow's button has taken the tap (its answer is then in view)."""
        typing = QApplication.focusWidget()
        if button.property("typing"):  # a key that types into the field (an ID number's X): the keyboard stays
            return
        if isinstance(typing, QLineEdit | QPlainTextEdit | QTextEdit) and self.holder.isAncestorOf(button):
            typing.setProperty(AT_FAULT, False)  # named again by this tap's refusal, if it has one (at_fault)
            chosen = _chosen(typing)
            later(button, 0, lambda: self._typing_done(button, typing, chosen))

    @staticmethod
    def _typing_done(button: QAbstractButton, typing: QWidget, chosen: str) -> None:
        """After a tap on ``button``: the keyboard goes, unless the tap moved the focus on by itself. A tap that gave
        the field typed in its text chosen (a refusal naming that field, to be typed over) leaves the focus there,
        the keyboard going all the same: a wrong ID number refused by 下一步 stood unfocused, its text not chosen,
        when the citizen had just typed it; a tap on the field brings the keyboard back. A field the tap's refusal
        named (:func:`at_fault`) stays focused however little it holds."""
        if QApplication.focusWidget() is not typing or not button.isVisible():
            return
        now = _chosen(typing)
        if (now and now != chosen) or typing.property(AT_FAULT):
            method = QGuiApplication.inputMethod()
            if method is not None:
                method.hide()  # the refusal in view, as after any button's tap
            return
        button.setFocus(Qt.FocusReason.OtherFocusReason)

    @property
    def keyboard_text(self) -> KeyboardText:
        """The keyboard's candidates no smaller than the page's text, in both modes, and 1.5 times as large with
        大字. Made when first needed (the keyboard up, or 大字 on), not before the first frame: it takes Qt's
        input method, whose Python type costs the start-up time."""
        if self._keyboard_text is None:
            self._keyboard_text = KeyboardText(LARGE_FACTOR, self, least=text_px(large=False),
                                               least_large=text_px(large=True))
        return self._keyboard_text

    def _filter_application(self) -> None:
        app = QApplication.instance()
        if app is not None and not self.filtering:
            app.installEventFilter(self)
            self.filtering = True
            from ui.kiosk.touch import FingerScroll

            self.finger_scroll = FingerScroll(self)  # a page longer than the screen moves with the finger
            app.installEventFilter(self.finger_scroll)
            from ui.kiosk.bold import embolden

            for button in self.tile_buttons.values():
                for title in button.findChildren(QLabel, "tileTitle"):
                    embolden(title)  # bold with large text too

    def _key_target(self) -> QWidget:
        """Where a key typed now goes first: the kiosk window's focused widget, else the window itself."""
        window = self.window()
        return window.focusWidget() or window

    def _first_receiver(self, watched: QObject) -> bool:
        """Whether ``watched`` is a key's first receiver. A key its receiver leaves (a button's, most keys)
        goes on to each parent in turn, and the application's filter sees it again each time: a scan
        typed with a tile focused was read once per level and refused."""
        return shiboken6.getCppPointer(watched)[0] == shiboken6.getCppPointer(self._key_target())[0]

    def _mine(self, watched: QObject) -> bool:
        return isinstance(watched, QWidget) and (watched is self.window() or self.isAncestorOf(watched))

    def _burst_key(self, event: QKeyEvent) -> str | None:
        """Time the key ``event``: the text of the run of keys it ends when it is an Enter ending a scanner's run
        (:data:`SCAN_MIN_KEYS` keys or more, :data:`SCAN_KEY_GAP_MS` apart on average, no pause of
        :data:`SCAN_PAUSE_MS`), else None. A key held down (its repeats) or a pause starts the run again; keys that
        write nothing (Shift, an arrow) are not timed. The time is the window system's; keys sent by the program
        itself have none and are timed by the clock, and those the on-screen keyboard types in a run of the window
        system's (its pinyin written out) are left out."""
        enter = _line_end(event)
        if not event.text() and not enter:
            return None
        stamp = event.timestamp()
        last = self._burst_at
        if not stamp and last is not None and last[0] and 0 <= time.monotonic() * 1000 - self._burst_clock < \
                SCAN_PAUSE_MS:
            return None
        now = (True, int(stamp)) if stamp else (False, round(time.monotonic() * 1000))
        self._burst_at, self._burst_clock = now, time.monotonic() * 1000
        going = last is not None and last[0] == now[0] and 0 <= now[1] - last[1] < SCAN_PAUSE_MS \
            and not event.isAutoRepeat()
        if not going:
            self._burst, self._burst_keys, self._burst_from = [], 0, now[1]
            self._burst_before = _field_state(self._key_target())
        if enter:
            text, keys, took = "".join(self._burst), self._burst_keys, now[1] - self._burst_from
            self._burst, self._burst_keys, self._burst_from = [], 0, now[1]
            return text if going and keys >= SCAN_MIN_KEYS and took < SCAN_KEY_GAP_MS * keys else None
        if event.text().isprintable():
            self._burst_keys += 1
            if len(self._burst) <= SCAN_MAX:
                self._burst.append(event.text())
        return None

    def _scanner_key(self, event: QKeyEvent, scan: str | None) -> bool:
        """An Enter ending ``scan`` (a scanner's run of keys, :meth:`_burst_key`), or a lookup address in a field."""
        focus = self._key_target()
        field = focus if isinstance(focus, QLineEdit | QPlainTextEdit | QTextEdit) and self.isAncestorOf(focus) \
            else None
        if scan is not None and (field is None or "://" in scan):
            # a scan: what it typed leaves the field (a long box's too), then it is read — a code that is not a
            # receipt's refused in words, on whatever screen, as at home
            self._scan_ended = True
            if self._composing is not None:
                self._drop_composition()  # pinyin the scan's first letters began: given up, not written out
            self._unscan(field)
            self._take_scan(scan, refuse=True)
            return True
        if isinstance(field, QLineEdit) and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) \
                and "://" in field.text():
            # the receipt's address in a field, typed by hand: read as the scan would be (a foreign one is left to
            # the flow, which says so when asked)
            text = field.text()
            start = text.find("http")
            payload = text[start:] if start >= 0 else text
            return self._take_scan(payload, field=field, before=text[:max(start, 0)])
        return False

    def _unscan(self, field: QWidget | None) -> None:
        """``field`` (the focused one) as it was before the scan's first key, its cursor where it was."""
        before, text, cursor = self._burst_before
        self._burst_before = (None, "", 0)
        if field is None or before is not field or not shiboken6.isValid(field):
            return
        if isinstance(field, QLineEdit):
            if field.text() != text:
                field.setText(text)
                field.setCursorPosition(cursor)
        elif isinstance(field, QPlainTextEdit | QTextEdit) and field.toPlainText() != text:
            field.setPlainText(text)
            moved = field.textCursor()
            moved.setPosition(min(cursor, len(text)))
            field.setTextCursor(moved)

    def _press_focused(self, event: QKeyEvent) -> bool:
        """Enter on a physical keyboard presses the focused button (a tile, 下一步, a choice), as Space does."""
        if event.key() not in (Qt.Key.Key_Return, Qt.Key.Key_Enter) or event.isAutoRepeat():
            return False
        focus = self._key_target()
        if isinstance(focus, QAbstractButton) and self._mine(focus) and focus.isEnabled() and focus.isVisible():
            focus.click()
            return True
        return False

    def _pinyin_key(self, event: QKeyEvent) -> bool:
        """A physical keyboard's key typed into a flow's text field: written as pinyin where the on-screen keyboard
        writes pinyin (ui/kiosk/keyboard.py), as a tap on its key would be. Fields of letters and digits (an ID
        number, a phone, a code) take their keys as they are."""
        focus = self._key_target()
        if not isinstance(focus, QLineEdit | QPlainTextEdit | QTextEdit) or not self.holder.isAncestorOf(focus) \
                or focus.inputMethodHints() & _NOT_PINYIN:
            return False
        if self._leave is not None and self._leave.isVisible():
            return False  # the question is up (a scanner typing): the keyboard does not come over it
        if self._physical is None:
            if not (self.ctx.settings.kiosk_on_screen_keyboard and on_screen_keyboard_asked()):
                return False
            self._physical = PhysicalPinyin(self)
        return self._physical.take(event, self._letters_instead)

    def _letters_instead(self, letters: str) -> None:
        """The pinyin being written given up, and ``letters`` written into its field as they are."""
        field = self._composing or self._key_target()
        self._drop_composition()
        if not letters or field is None or not shiboken6.isValid(field):
            return
        if isinstance(field, QLineEdit):
            field.insert(letters)
        elif isinstance(field, QPlainTextEdit | QTextEdit):
            field.insertPlainText(letters)

    def _take_scan(self, text: str, *, refuse: bool = False, field: QLineEdit | None = None,
                   before: str = "") -> bool:
        """A receipt's code scanned: its case's progress opens. Scanned into ``field`` (which held ``before``), the
        code's letters leave the field first; a flow holding what the citizen typed or chose asks before it goes
        (要放弃已填写的内容…？), as 返回首页 does: a half-done registration was thrown away without a word. A code
        that is not a receipt's is said (``refuse``) where the citizen looks: at home, on the flow's screen, or on
        the question over it."""
        from desktop.domain.errors import ValidationError
        from desktop.domain.qrpayload import parse_payload

        try:
            number, code = parse_payload(text, self.ctx.settings.public_lookup_url)
        except ValidationError as refusal:
            message = getattr(self.flow, "message", None)
            if refuse and self.flow is None:
                self.home_message.setText(refusal.message)
                self.home_message.show()
            elif refuse and self._leave is not None and self._leave.isVisible():
                self._leave.refuse(refusal.message)  # the question stays, unanswered
                self._keyboard_aside()
                self.say(refusal.message)
            elif refuse and isinstance(message, QLabel):
                # scanned on a flow's screen: said there, as at home (it went unsaid, or stayed in the field); the
                # on-screen keyboard the scanner's first key brought up goes, or it covered the words under the form
                set_tone(message, "error", refusal.message)
                method = QGuiApplication.inputMethod()
                if method is not None and method.isVisible():
                    method.hide()
                self.say(refusal.message)
            return False
        if self._scanned_flow is None:
            return False
        builder = self._scanned_flow
        tile = next((t for t in self.tiles if t.key == "progress"), None)  # the bar reads as the tile does

        def open_progress() -> None:
            # no "please scan" after a scan: the flow is already looking the case up
            self._open("progress", tile.title if tile is not None else "查询办理进度",
                       lambda: builder(self.ctx, self.holder, number, code), prompt_first=False)

        if field is not None and shiboken6.isValid(field):
            field.setText(before)
        # the progress's own fields on screen: the scan is their answer, looked up there without a question
        take_receipt = getattr(self.flow, "take_receipt", None)
        asking = self._leave is not None and self._leave.isVisible()
        if callable(take_receipt) and not asking and take_receipt(number, code):
            return True
        if not self._ask_leaving(open_progress, "要放弃|已填写的内容，|查看回执上的事项吗？", "放弃并查看回执"):
            open_progress()
        return True

    def typed_anything(self) -> list[str]:
        """Every text shown or held by a widget of the kiosk (for tests and the wipe's self-check)."""
        return widget_texts(self.window())


def _ring(button: QAbstractButton, on: bool) -> None:
    """The focus ring on ``button`` or off (its style's ``keyed`` property, ui/kiosk/style.py)."""
    if bool(button.property("keyed")) == on:
        return
    button.setProperty("keyed", on)
    style = button.style()
    style.unpolish(button)
    style.polish(button)
    button.update()


def _field_state(widget: QWidget) -> tuple[QWidget | None, str, int]:
    """A text field's text and cursor (to put back what a scan typed); (None, "", 0) for anything else."""
    if isinstance(widget, QLineEdit):
        return widget, widget.text(), widget.cursorPosition()
    if isinstance(widget, QPlainTextEdit | QTextEdit):
        return widget, widget.toPlainText(), widget.textCursor().position()
    return None, "", 0


def _placeholder_aside(box: QPlainTextEdit, composing: bool) -> None:
    """An empty text box draws its placeholder under the pinyin being typed (例如：小区电梯… over “dian t”,
    unreadable both): it is put aside while letters are composed and back once they are chosen or dropped."""
    if composing and box.placeholderText():
        box.setProperty("kiosk_placeholder", box.placeholderText())
        box.setPlaceholderText("")
    elif not composing and box.property("kiosk_placeholder"):
        box.setPlaceholderText(str(box.property("kiosk_placeholder")))
        box.setProperty("kiosk_placeholder", None)


def _follow_input_item(field: QWidget) -> None:
    """Tell the input method where the focused ``field`` is now. Qt does so when the field itself moves, not when
    a page scrolls or makes room for the keyboard around it: the keyboard's cursor and selection handles stayed
    where the field had been, 120 px below it over the page's words."""
    method = QGuiApplication.inputMethod()
    if method is None or not field.testAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled):
        return
    from PySide6.QtGui import QTransform

    at = field.mapTo(field.window(), QPoint(0, 0))
    method.setInputItemTransform(QTransform.fromTranslate(at.x(), at.y()))
    method.update(Qt.InputMethodQuery.ImQueryInput)


def _take_letters(field: QLineEdit, letters: str) -> None:
    """Type ``letters`` into ``field`` as they are, the input method's syllable being written dropped."""
    method = QGuiApplication.inputMethod()
    if method is not None:
        method.reset()
    field.insert(letters)


def _not_learned(field: QWidget) -> None:
    """What a citizen types is sensitive: the pinyin keyboard would learn the phrases picked (a name, an
    address) into its user dictionary, on disk, and offer them first to the next citizen."""
    field.setInputMethodHints(field.inputMethodHints() | Qt.InputMethodHint.ImhSensitiveData)


def _seen(view: QWidget) -> QRect:
    """The part of ``view`` its ancestors do not cut off (the scrolling areas around it), in its coordinates."""
    seen = view.rect()
    parent = view.parentWidget()
    while parent is not None:
        seen = seen.intersected(QRect(view.mapFrom(parent, QPoint(0, 0)), parent.size()))
        parent = parent.parentWidget()
    return seen


def _wholly_seen(widget: QWidget) -> bool:
    """Whether ``widget`` is seen whole: nothing of it cut off by the scrolling areas around it."""
    return _seen(widget).height() == widget.height() > 0


def _reveal(area: QScrollArea, widget: QWidget, margin: int) -> bool:
    """Scroll ``area`` so that ``widget`` lies in the part of its viewport not cut off by the areas around it;
    whether it had to scroll."""
    view = area.viewport()
    seen = _seen(view)
    if seen.isEmpty():
        return False
    before = area.verticalScrollBar().value()
    top = widget.mapTo(view, QPoint(0, 0)).y()
    bar = area.verticalScrollBar()
    end = seen.y() + seen.height()
    if top + widget.height() + margin > end:
        bar.setValue(bar.value() + top + widget.height() + margin - end)
        top = widget.mapTo(view, QPoint(0, 0)).y()
    if top - margin < seen.top():
        bar.setValue(bar.value() - (seen.top() - top + margin))
    return bar.value() != before


def _lay_out(areas: list[QScrollArea]) -> None:
    """Lay out now what changed its size, so that the areas scroll over the room they will have (an area
    fits its page to the page's new height when asked to lay out again)."""
    for area in areas:  # from the innermost out: each layout laid out asks its parent's again
        for _level in range(4):
            QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        QApplication.sendEvent(area, QEvent(QEvent.Type.LayoutRequest))


def _holds(item: QLayoutItem, widget: QWidget) -> bool:
    """Whether ``item`` is ``widget`` or a layout with it somewhere inside."""
    inner = item.layout()
    return item.widget() is widget or (inner is not None and any(
        _holds(part, widget) for part in (inner.itemAt(i) for i in range(inner.count())) if part is not None))


#: The property of the field a refusal has just named (:func:`at_fault`): the tap that asked leaves the focus there.
AT_FAULT = "atFault"


def at_fault(field: QWidget) -> None:
    """``field`` named by a refusal (下一步's check, 确认预约's answer): it takes the focus, its text chosen to be typed
    over, and the tap that asked leaves it there, the keyboard going as after any tap — an empty field too, whose
    nothing chosen told the tap nothing: the focus went to the button, the keys typed next nowhere."""
    field.setProperty(AT_FAULT, True)
    field.setFocus(Qt.FocusReason.OtherFocusReason)
    if isinstance(field, QLineEdit):
        field.selectAll()


def _chosen(field: QWidget) -> str:
    """The text chosen (selected) in a text field, "" if none."""
    if isinstance(field, QLineEdit):
        return field.selectedText()
    if isinstance(field, QPlainTextEdit | QTextEdit):
        return field.textCursor().selectedText()
    return ""


def _caption(field: QWidget) -> QWidget | None:
    """The label right before ``field`` in its layout (what the field asks for), if there is one; the field
    may sit in a row of its own there (a text box with its 清空重写 beside it; a form's row, its label at its
    left), or first in a widget of its own (an ID number's field with its 输入X key): then the label is the one
    before that widget."""
    widget = field
    while (parent := widget.parentWidget()) is not None and (layout := parent.layout()) is not None:
        found, caption = _label_before(layout, widget)
        if found:
            return caption
        if not any((item := layout.itemAt(i)) is not None and _holds(item, widget) for i in range(layout.count())):
            return None
        widget = parent  # first in its own widget: what comes before that
    return None


def _label_before(layout: QLayout, widget: QWidget) -> tuple[bool, QWidget | None]:
    """Whether something is shown before ``widget`` in ``layout`` (or in the row, the grid, it sits in there),
    and that label (None when it is no label); first everywhere: (False, None)."""
    index = next((i for i in range(layout.count()) if (item := layout.itemAt(i)) is not None
                  and _holds(item, widget)), -1)
    holder = layout.itemAt(index) if index >= 0 else None
    inner = holder.layout() if holder is not None else None
    if inner is not None:
        found, caption = _label_before(inner, widget)
        if found:
            return found, caption
    while index > 0:
        index -= 1
        item = layout.itemAt(index)
        before = item.widget() if item is not None else None
        row = item.layout() if item is not None else None
        if before is None and row is not None and isinstance(first := _first_shown(row), QLabel):
            before = first  # a caption's row: the caption first, what it adds (a length count) at its right
        if before is not None and not before.isHidden():
            return True, before if isinstance(before, QLabel) else None
    return False, None


def _first_shown(layout: QLayout) -> QWidget | None:
    """The first widget of ``layout`` (not of the layouts within it) that is not hidden."""
    for index in range(layout.count()):
        item = layout.itemAt(index)
        widget = item.widget() if item is not None else None
        if widget is not None and not widget.isHidden():
            return widget
    return None


def _reveal_below(area: QScrollArea, top: QWidget, bottom: QWidget, margin: int) -> None:
    """Scroll ``area`` down as far as keeps ``top`` to ``bottom`` in the part of its viewport that can be seen."""
    view = area.viewport()
    seen = _seen(view)
    if seen.isEmpty():
        return
    first = top.mapTo(view, QPoint(0, 0)).y()
    last = bottom.mapTo(view, QPoint(0, bottom.height())).y()
    bar = area.verticalScrollBar()
    if last - first + margin > seen.height():
        return  # a tall text box: the part being written is kept in view (see _reveal)
    if first - margin < seen.top():
        bar.setValue(bar.value() - (seen.top() - first + margin))
    elif last > seen.bottom():
        bar.setValue(bar.value() + last - seen.bottom())
    first = top.mapTo(view, QPoint(0, 0)).y()
    bar.setValue(bar.value() + max(0, min(first - margin - seen.top(), bar.maximum() - bar.value())))


def widget_texts(root: QWidget) -> list[str]:
    """All texts, placeholders and documents of ``root`` and its descendants."""
    texts: list[str] = []
    for widget in [root, *root.findChildren(QWidget)]:
        if isinstance(widget, QLineEdit):
            texts += [widget.text(), widget.placeholderText(), widget.displayText()]
        elif isinstance(widget, QPlainTextEdit | QTextEdit):
            texts += [widget.toPlainText(), widget.placeholderText()]
        elif isinstance(widget, QLabel | QAbstractButton):
            texts.append(widget.text())
        texts += [widget.toolTip(), widget.accessibleName(), widget.windowTitle()]
    return [t for t in texts if t]
