"""The hall's call display: the number being called and its window, read from across the hall.

Full screen in landscape (1920×1080) and portrait (1080×1920), each laid out for its
shape; type scales with the screen. It shows the hall's name, the date and a clock, the
call being made (number and window, in characters well over 150 px high at 1080p), the
calls before it, how many wait for each window type and the next leaders' reception day;
and a clear line when it has lost the hall server or when voice is off. A new call
(a call id not seen before, a recall included) flashes for a few seconds and is
announced; which calls to announce is the domain's rule (desktop/domain/call_display.py).

The board is read through the reader the composition root hands in (the queue
service's ``board``), off the GUI thread, when the queue changes — told by this program's change feed, or
seen by the queue's revision mark when another program on the same database changed it — and on a slow timer.
It holds numbers and windows only: no personal data.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import QBoxLayout, QFrame, QGridLayout, QLabel, QVBoxLayout, QWidget

from desktop.domain.call_display import (
    CALLING,
    WEEKDAYS,
    call_ids,
    calls_to_announce,
    headline,
    reception_day_in_words,
)
from desktop.domain.chinatime import china_now
from desktop.domain.queue import Call, QueueBoard, announcement
from ui.common.timers import later
from ui.common.widgets import OneLineFit
from ui.queue.watch import QueueWatch
from ui.shell import errors
from ui.shell.context import WorkContext
from ui.shell.tasks import Executor

if TYPE_CHECKING:
    from desktop.devices.voice import Announcer, VoiceProbe
    from desktop.services.changes import Changes
    from desktop.services.context import Hall

ReadBoard = Callable[["Hall"], QueueBoard]
MakeAnnouncer = Callable[[QObject], "Announcer"]

#: The board is read again this often even when no change is told (a lost push, midnight).
SAFETY_MS = 10_000
#: How long a new call flashes, and how fast.
FLASH_MS, FLASH_STEP_MS = 6_000, 500
#: How many earlier calls are listed.
RECENT_SHOWN = 6

DISCONNECTED = "与大厅叫号服务器的连接已中断，正在自动重新连接；请以窗口工作人员的呼叫为准"
UNREADABLE = "暂时无法读取叫号信息，正在重试；请以窗口工作人员的呼叫为准"
WELCOME = "欢迎来访　请取号等候叫号"

# Sizes in pixels at 1920×1080 (landscape) or 1080×1920 (portrait), scaled to the screen.
_STYLE = """
QWidget#callBoard {{ background: #0c2340; }}
QWidget#callBoard QLabel {{ color: #ffffff; }}
QWidget#callBoard QFrame#topBar {{ background: #08182d; }}
QWidget#callBoard QLabel#hallName {{ font-size: {hall}px; font-weight: 700; }}
QWidget#callBoard QLabel#today {{ font-size: {date}px; color: #c9d6e4; }}
QWidget#callBoard QLabel#clock {{ font-size: {clock}px; font-weight: 700; }}
QWidget#callBoard QLabel#alert {{ font-size: {alert}px; font-weight: 600; padding: {pad}px; background: #b3261e; }}
QWidget#callBoard QLabel#voiceOff {{ font-size: {alert}px; padding: {pad}px; background: #7a4b00; }}
QWidget#callBoard QFrame#callPanel {{ background: #123a66; border-radius: {radius}px; }}
QWidget#callBoard QFrame#callPanel[flash="true"] {{ background: #ffd66b; }}
QWidget#callBoard QFrame#callPanel[flash="true"] QLabel {{ color: #0c2340; }}
QWidget#callBoard QLabel#callCaption {{ font-size: {caption}px; color: #ffd66b; }}
QWidget#callBoard QLabel#callNumber {{ font-size: {number}px; font-weight: 800; color: #ffd66b; }}
QWidget#callBoard QFrame#callPanel[passed="true"] QLabel#callCaption {{
    font-weight: 700; color: #ffb4a8; }}
QWidget#callBoard QFrame#callPanel[passed="true"] QLabel#callNumber {{ color: #c9d6e4; }}
QWidget#callBoard QLabel#callWindow {{ font-size: {window}px; font-weight: 700; }}
QWidget#callBoard QLabel#welcome {{ font-size: {welcome}px; font-weight: 600; }}
QWidget#callBoard QFrame#recentPanel, QWidget#callBoard QFrame#waitingPanel {{
    background: #0f2d52; border-radius: {radius}px; padding: 0 {radius}px; }}
QWidget#callBoard QLabel#panelTitle {{ font-size: {title}px; color: #9fb3c8; }}
QWidget#callBoard QLabel#recentCall {{ font-size: {recent}px; font-weight: 600; }}
QWidget#callBoard QLabel#waitingName {{ font-size: {waiting}px; }}
QWidget#callBoard QLabel#waitingCount {{ font-size: {waiting}px; font-weight: 700; }}
QWidget#callBoard QLabel#reception {{ font-size: {waiting}px; color: #ffd66b; }}
"""

_LANDSCAPE = {"hall": 46, "date": 30, "clock": 60, "alert": 30, "pad": 8, "radius": 18, "caption": 40,
              "number": 270, "window": 130, "welcome": 80, "title": 32, "recent": 58, "waiting": 36}
_PORTRAIT = {**_LANDSCAPE, "hall": 54, "date": 36, "clock": 76, "number": 260, "window": 124, "recent": 52,
             "waiting": 40}


def _style(portrait: bool, scale: float) -> str:
    sizes = _PORTRAIT if portrait else _LANDSCAPE
    return _STYLE.format(**{name: max(1, round(size * scale)) for name, size in sizes.items()})


def _big(name: str, text: str = "") -> QLabel:
    """A label of the board: one line (never wrapped into a second one), centred."""
    widget = QLabel(text)
    widget.setObjectName(name)
    widget.setAlignment(Qt.AlignmentFlag.AlignCenter)
    # the screen's size is given: the text is sized to fit it (tests check that it does), it never widens the window
    widget.setMinimumWidth(1)
    return widget


class _Shortened(OneLineFit):
    """A one-line label whose text, when longer than the room it has, ends in “…” instead of being cut."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.setObjectName(name)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.full = ""

    def show_text(self, text: str) -> None:
        self.full = text
        self.fit()

    def fit(self) -> None:
        shown = self.fontMetrics().elidedText(self.full, Qt.TextElideMode.ElideRight, self.contentsRect().width())
        if shown != self.text():
            self.setText(shown)


class _Fitted(QLabel):
    """A one-line, centred label that draws its whole text smaller when it is wider than the room it has.

    The last calls in portrait stand two a row: “A002  过号，请重新取号” at the list's size is wider than
    half the screen, and a plain label cut both its ends and ran it into its neighbour.
    """

    def __init__(self, name: str) -> None:
        super().__init__()
        self.setObjectName(name)
        self.setMinimumWidth(1)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)

    def drawn_font(self) -> QFont:
        """The font the text is painted in: the label's own, or smaller so that all of the text fits."""
        font = QFont(self.font())
        room = self.contentsRect().width()
        needed = self.fontMetrics().horizontalAdvance(self.text())
        if needed <= room or needed <= 0:
            return font
        size = font.pixelSize() if font.pixelSize() > 0 else round(font.pointSizeF() * self.logicalDpiY() / 72)
        # proportionally smaller, then a pixel at a time until it fits (advances do not scale exactly)
        size = max(1, int(size * room / needed))
        font.setPixelSize(size)
        while size > 1 and QFontMetrics(font).horizontalAdvance(self.text()) > room:
            size -= 1
            font.setPixelSize(size)
        return font

    def paintEvent(self, event: QPaintEvent) -> None:
        font = self.drawn_font()
        if font == self.font():
            super().paintEvent(event)
            return
        painter = QPainter(self)
        painter.setFont(font)
        painter.setPen(self.palette().color(self.foregroundRole()))
        painter.drawText(self.contentsRect(), int(self.alignment()), self.text())
        painter.end()


def _panel(name: str) -> tuple[QFrame, QVBoxLayout]:
    frame = QFrame()
    frame.setObjectName(name)
    layout = QVBoxLayout(frame)
    return frame, layout


def _default_announcer(ctx: WorkContext) -> MakeAnnouncer:
    def make(parent: QObject) -> Announcer:
        from desktop.devices.voice import announcer_from_settings

        return announcer_from_settings(ctx.settings, parent)

    return make


def _unchecked() -> VoiceProbe:
    from desktop.devices.voice import UNCHECKED

    return UNCHECKED


def _default_preflight(ctx: WorkContext) -> Callable[[], VoiceProbe | None]:
    def check() -> VoiceProbe | None:
        from desktop.devices.voice import VoiceOptions, preflight

        return preflight(VoiceOptions.of(ctx.settings))

    return check


class HallBoard(QWidget):
    """The call display (see the module's docstring)."""

    def __init__(self, ctx: WorkContext, read_board: ReadBoard, make_announcer: MakeAnnouncer | None = None, *,
                 now: Callable[[], datetime] = china_now, flash_ms: int = FLASH_MS,
                 preflight: Callable[[], VoiceProbe | None] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.tasks = ctx.group(self)
        self.read_board = read_board
        self._make_announcer = make_announcer or _default_announcer(ctx)
        self._preflight = preflight or (_default_preflight(ctx) if make_announcer is None else None)
        self._voice_checking = False
        self._voice_checks = ctx.group(self)  # apart from the board's reads, which tests and refreshes wait on
        self._now = now
        self._flash_ms = flash_ms
        self.setObjectName("callBoard")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.announcer: Announcer | None = None  # built once the window is up (an engine takes a moment)
        self.board: QueueBoard | None = None
        self._seen: frozenset[str] | None = None  # call ids of the board shown; None before the first
        self._again = False
        self._portrait: bool | None = None
        self._scale = 0.0
        self._styled_portrait = False

        # top bar: the hall's name, the date, the clock
        self.top = QFrame()
        self.top.setObjectName("topBar")
        self.hall_name = _Shortened("hallName")  # a long name ends in “…” rather than pushing the clock off
        self.hall_name.show_text(ctx.settings.hall_name)
        self.today = _big("today")
        self.clock = _big("clock")
        self.top_bar = QBoxLayout(QBoxLayout.Direction.LeftToRight, self.top)
        self.top_bar.setContentsMargins(24, 12, 24, 12)
        self.top_bar.setSpacing(24)
        self.top_bar.addWidget(self.hall_name, 1)
        self.top_bar.addWidget(self.today)
        self.top_bar.addWidget(self.clock)
        # problems, each on a line of its own (hidden while there is none)
        self.alert = _big("alert")
        self.alert.setWordWrap(True)
        self.alert.hide()
        self.voice_off = _big("voiceOff")
        self.voice_off.setWordWrap(True)
        self.voice_off.hide()
        # the call being made
        self.call_panel, call_layout = _panel("callPanel")
        self.call_panel.setProperty("flash", False)
        self.call_panel.setProperty("passed", False)
        self.caption = _big("callCaption", CALLING)
        self.number = _big("callNumber")
        self.window_line = _big("callWindow")
        self.welcome = _big("welcome", WELCOME)
        self.welcome.setWordWrap(True)
        call_layout.addStretch(1)
        for widget in (self.caption, self.number, self.window_line, self.welcome):
            call_layout.addWidget(widget)
        call_layout.addStretch(1)
        # the calls before it
        self.recent_panel, recent_layout = _panel("recentPanel")
        recent_layout.addWidget(_big("panelTitle", "最近叫号"))
        self.recent_grid = QGridLayout()
        self.recent_grid.setHorizontalSpacing(48)  # two a row in portrait: each line apart from its neighbour
        recent_layout.addLayout(self.recent_grid)
        recent_layout.addStretch(1)
        self.recent: list[QLabel] = [_Fitted("recentCall") for _ in range(RECENT_SHOWN)]
        # who waits, and the leaders' day
        self.waiting_panel, waiting_layout = _panel("waitingPanel")
        self.waiting_grid = QGridLayout()
        self.waiting_grid.setHorizontalSpacing(16)
        waiting_layout.addLayout(self.waiting_grid)
        # per window type: its name (a long one shortened with “…”) and how many wait, never cut, on the right
        self.waiting: list[tuple[_Shortened, QLabel]] = []
        self.reception = _big("reception")
        waiting_layout.addWidget(self.reception)

        self.main = QGridLayout()
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.top)
        outer.addWidget(self.alert)
        outer.addWidget(self.voice_off)
        body = QVBoxLayout()
        outer.addLayout(body, 1)
        body.addLayout(self.main, 1)
        body.addWidget(self.waiting_panel)
        self._body = body
        self._arrange(portrait=False)
        self._show_board(None)

        self._tick = QTimer(self)
        self._tick.timeout.connect(self._show_time)
        self._tick.start(1000)
        self._show_time()
        self._flash = QTimer(self)
        self._flash.setInterval(FLASH_STEP_MS)
        self._flash.timeout.connect(self._flash_step)
        self._flash_steps = 0
        self.safety = QTimer(self)
        self.safety.setInterval(SAFETY_MS)
        self.safety.timeout.connect(self.refresh)
        ctx.tasks.changed.connect(self._changed)
        # a call made by another program on the same database (a hall without a hall server) is not told
        self.watch = QueueWatch(ctx, self)
        self.watch.moved.connect(self.refresh)
        ctx.source.when_ready(lambda _hall: self._start())

    # -- reading --------------------------------------------------------------------------

    def _start(self) -> None:
        self.refresh()
        self.safety.start()
        self.watch.start()
        # The speech engine starts once whatever waited for the open hall has run: starting
        # speech-dispatcher holds the GUI thread a second or two, while the first read is on its way.
        later(self, 0, self._start_voice)

    def _start_voice(self) -> None:
        if self.announcer is not None or self._voice_checking:
            return
        if self._preflight is None:
            self._voice_checked(None)
            return
        # An engine that opens by asking another program (speech-dispatcher) is first opened in a
        # child process, off the GUI thread: a daemon that never answers costs the child, not the display.
        self._voice_checking = True
        check = self._preflight
        self._voice_checks.run(lambda _hall: check(), self._voice_checked,
                               lambda error: self._voice_checked(_unchecked()),
                               executor=Executor.DEVICES)

    def _voice_checked(self, found: VoiceProbe | None) -> None:
        self._voice_checking = False
        if self.announcer is not None:
            return
        if found is not None and found.problem:
            from desktop.devices.voice import SilentAnnouncer, unavailable

            self.announcer = SilentAnnouncer(unavailable(found.problem), self)
        else:
            self.announcer = self._make_announcer(self)
        self._show_voice()

    def _changed(self, changes: Changes) -> None:
        if changes.queue or changes.reference:
            self.refresh()

    def refresh(self) -> None:
        """Read the board again (once more after the read on its way, if one is)."""
        if self.tasks.busy:
            self._again = True
            return
        self._again = False
        read = self.read_board
        self.tasks.run(lambda hall: read(hall), self._read, self._unreadable)

    def _read(self, board: QueueBoard) -> None:
        new = calls_to_announce(board, self._seen)
        self._seen = call_ids(board)
        self._show_board(board)
        self._show_voice()  # an engine may have failed since (read again at least every few seconds)
        if new:
            self._start_flash()
        if self.announcer is not None:
            for call in new:
                self.announcer.announce(announcement(call))
        self._read_again()

    def _unreadable(self, error: Exception) -> None:
        """The hall server out of reach says so on screen; anything else is also a fault to log."""
        if not isinstance(error, OSError):
            errors.record_unexpected(error, "call display")
        elif self.alert.text() != UNREADABLE:
            errors.log.warning("call display: the board cannot be read (%s)", type(error).__name__)
        self._set_alert(UNREADABLE)
        self._read_again()

    def _read_again(self) -> None:
        if self._again:
            later(self, 0, self.refresh)

    # -- showing --------------------------------------------------------------------------

    def _set_alert(self, text: str) -> None:
        self.alert.setText(text)
        self.alert.setVisible(bool(text))

    def _show_voice(self) -> None:
        reason = self.announcer.reason if self.announcer is not None and not self.announcer.active else ""
        self.voice_off.setText(reason)
        self.voice_off.setVisible(bool(reason))

    def _show_board(self, board: QueueBoard | None) -> None:
        self.board = board
        if board is not None:
            self.hall_name.show_text(board.hall_name or self.ctx.settings.hall_name)
            self._set_alert("" if board.connected else DISCONNECTED)
        current = board.current if board is not None else None
        # hide before showing: both at once for a moment would make the window taller than the screen
        shown, hidden = [self.caption, self.number, self.window_line], [self.welcome]
        if current is None:
            shown, hidden = hidden, shown
        for widget in (*hidden, *shown):
            widget.setVisible(widget in shown)
        passed = current is not None and bool(current.missed)
        if self.call_panel.property("passed") is not passed:  # a number passed over is not in the call's colour
            self.call_panel.setProperty("passed", passed)
            self._polish_panel()
        if current is not None:
            self.caption.setText(headline(current))
            self.number.setText(current.number)
            self.window_line.setText(current.missed or f"请到 {current.window} 号窗口")
        recent = board.recent[:RECENT_SHOWN] if board is not None else ()
        for label, call in zip(self.recent, (*recent, *([None] * RECENT_SHOWN)), strict=False):
            label.setText(_recent_line(call))
        self.recent_panel.setVisible(bool(recent))  # an empty list would only take room from the call
        self._stretch()
        self._show_waiting(board)
        today = self._now().date()
        self.reception.setText(reception_day_in_words(board.next_reception_day, today) if board else "")
        self.reception.setVisible(bool(self.reception.text()))

    def _show_waiting(self, board: QueueBoard | None) -> None:
        counts = board.waiting if board is not None else ()
        while len(self.waiting) < len(counts):
            name, number = _Shortened("waitingName"), _big("waitingCount")
            number.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.waiting.append((name, number))
            self._place_waiting()
        for (name, number), count in zip(self.waiting, (*counts, *([None] * len(self.waiting))), strict=False):
            # the letter first, as on the tickets: a name too long is shortened at its end, never the letter
            name.show_text("" if count is None else f"{count.prefix}　{count.type_name}")
            number.setText("" if count is None else f"等候 {count.waiting} 人")
            name.setVisible(count is not None)
            number.setVisible(count is not None)

    def _show_time(self) -> None:
        now = self._now()
        self.today.setText(f"{now.year}年{now.month}月{now.day}日 星期{WEEKDAYS[now.weekday()]}")
        self.clock.setText(f"{now:%H:%M:%S}")

    # -- flashing -------------------------------------------------------------------------

    @property
    def flashing(self) -> bool:
        return self._flash.isActive()

    def _start_flash(self) -> None:
        self._flash_steps = max(1, self._flash_ms // FLASH_STEP_MS)
        self._set_flash(True)
        self._flash.start()

    def _flash_step(self) -> None:
        self._flash_steps -= 1
        if self._flash_steps <= 0:
            self._flash.stop()
            self._set_flash(False)
        else:
            self._set_flash(not self.call_panel.property("flash"))

    def _set_flash(self, on: bool) -> None:
        self.call_panel.setProperty("flash", on)
        self._polish_panel()

    def _polish_panel(self) -> None:
        for widget in (self.call_panel, *self.call_panel.findChildren(QLabel)):
            widget.style().unpolish(widget)
            widget.style().polish(widget)

    # -- layout ---------------------------------------------------------------------------

    @property
    def portrait(self) -> bool:
        return bool(self._portrait)

    def resizeEvent(self, event: QResizeEvent) -> None:
        size = event.size()
        portrait = size.height() > size.width()
        base = (1080, 1920) if portrait else (1920, 1080)
        scale = min(size.width() / base[0], size.height() / base[1])
        if abs(scale - self._scale) > 0.01 or portrait != self._styled_portrait:
            self._scale, self._styled_portrait = scale, portrait
            self.setStyleSheet(_style(portrait, scale))
        self._arrange(portrait)
        super().resizeEvent(event)

    def _arrange(self, portrait: bool) -> None:
        """Place the parts for the screen's shape (again only when the shape changes)."""
        if portrait == self._portrait:
            return
        self._portrait = portrait
        self.top_bar.setDirection(QBoxLayout.Direction.TopToBottom if portrait
                                  else QBoxLayout.Direction.LeftToRight)
        self.hall_name.setAlignment(Qt.AlignmentFlag.AlignCenter if portrait
                                    else Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        for widget in (self.call_panel, self.recent_panel):
            self.main.removeWidget(widget)
        self.main.setColumnStretch(1, 0)
        self.main.setRowStretch(1, 0)
        if portrait:
            self.main.addWidget(self.call_panel, 0, 0)
            self.main.addWidget(self.recent_panel, 1, 0)
            self.main.setRowStretch(0, 1)  # the last calls, two a row, take what they need; the call the rest
            self.main.setColumnStretch(0, 1)
        else:
            self.main.addWidget(self.call_panel, 0, 0)
            self.main.addWidget(self.recent_panel, 0, 1)
            self.main.setColumnStretch(0, 3)
            self.main.setRowStretch(0, 1)
        self._stretch()
        self.main.setContentsMargins(0, 0, 0, 0)
        self.main.setSpacing(16)
        self._body.setContentsMargins(16, 16, 16, 16)
        self._body.setSpacing(16)
        self._place_waiting()
        self._place_recent()
        outer = self.layout()
        if outer is not None:  # lay out anew at once (within a resize, the new places would wait for the next)
            outer.invalidate()
            outer.activate()

    def _stretch(self) -> None:
        """In landscape the last calls take two fifths of the width, while there are any."""
        shown = not self.portrait and not self.recent_panel.isHidden()
        self.main.setColumnStretch(1, 2 if shown else 0)

    def _place_waiting(self) -> None:
        """One type a row in portrait, two side by side in landscape."""
        columns = 1 if self._portrait else 2
        for pair in self.waiting:
            for label in pair:
                self.waiting_grid.removeWidget(label)
        for index, (name, number) in enumerate(self.waiting):
            column = (index % columns) * 3
            self.waiting_grid.addWidget(name, index // columns, column)
            self.waiting_grid.addWidget(number, index // columns, column + 1)
        for column in range(5):
            self.waiting_grid.setColumnStretch(column, 1 if column in (0, 3) and column // 3 < columns else 0)
        self.waiting_grid.setColumnMinimumWidth(2, 48 if columns > 1 else 0)  # the gap between two types

    def _place_recent(self) -> None:
        """Six calls one under another in landscape; in portrait, two a row (room for the types waiting)."""
        columns = 2 if self._portrait else 1
        for label in self.recent:
            self.recent_grid.removeWidget(label)
        for index, label in enumerate(self.recent):
            self.recent_grid.addWidget(label, index // columns, index % columns)
        for column in range(2):  # two columns of the same width, whatever the length of their lines
            self.recent_grid.setColumnStretch(column, 1 if column < columns else 0)


def _recent_line(call: Call | None) -> str:
    if call is None:
        return ""
    return f"{call.number}  {call.missed}" if call.missed else f"{call.number}  →  {call.window} 号窗口"


def display_body(ctx: WorkContext, read_board: ReadBoard, parent: QWidget | None = None) -> QWidget:
    """What the hall display shows: the call display over the queue's board, built straight into ``parent``."""
    return HallBoard(ctx, read_board, parent=parent)
