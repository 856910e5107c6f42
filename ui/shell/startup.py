"""The hall a window works with, opened on a thread of its own while the window paints.

Opening the hall means loading the database layer (SQLAlchemy), the key store and the
encrypted database, and checking its schema: several hundred milliseconds on a counter
PC. The window does not wait for it. It is built from the settings alone, painted, and
takes input at once; the hall arrives a moment later by signal. What needs the hall
before then (a sign-in typed very fast) waits for it on the worker thread that runs
the call, never on the GUI thread.
"""

from __future__ import annotations

import contextlib
import threading
import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QPushButton, QWidget

from ui.common.widgets import Card, label, message_label, set_tone
from ui.shell import errors

if TYPE_CHECKING:
    from desktop.config import Settings
    from desktop.services.context import Hall


class HallUnavailable(RuntimeError):
    """The hall could not be opened; the message says why and what to do, in Chinese."""


def opening_message(error: BaseException) -> str:
    """Why the database did not open, for the window: the program's own explanation, or a reference.

    The opening path explains what it expects (wrong key, plain database, in use, …) in
    Chinese; an error from deeper down is logged and told plainly (ui/shell/errors.py).
    """
    text = str(error)
    if text[:1] >= "\u3000":  # a sentence the program wrote for the user
        return text
    return errors.user_message(error, "打开数据库")


class _Outcome:
    """What the opening thread found; plain Python, so the thread never holds a Qt object of the window's."""

    def __init__(self) -> None:
        self.done = threading.Event()
        self.hall: Hall | None = None
        self.error: Exception | None = None


class _Relay(QObject):
    """Carries the outcome to the GUI thread; owned (and deleted) by its source, on the GUI thread."""

    opened = Signal(object)  # Hall
    failed = Signal(str)


def _open_in_background(open_hall: Callable[[], Hall], outcome: _Outcome, relay: _Relay) -> None:
    try:
        outcome.hall = open_hall()
    except Exception as exc:  # shown in the window; the command line prints it
        outcome.error = exc
    # Signal first, then mark done: whoever waits in get() may drop the source right after,
    # and a QObject must not be deleted while another thread is emitting its signal.
    with contextlib.suppress(RuntimeError):  # the window was closed meanwhile
        if outcome.error is None:
            relay.opened.emit(outcome.hall)
        else:
            relay.failed.emit(opening_message(outcome.error))
    outcome.done.set()


def after_first_frame(window: QWidget, do: Callable[[], object], parent: QObject) -> None:
    """Run ``do`` on the GUI thread once ``window`` has painted its first frame (what it costs, the user does not
    wait for)."""

    class FirstFrame(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint:
                window.removeEventFilter(self)
                QTimer.singleShot(0, do)
            return False

    window.installEventFilter(FirstFrame(parent))


class HallSource(QObject):
    """A hall that is open, or being opened on a background thread.

    ``ready`` is emitted on the GUI thread once the hall is open, ``failed`` with the
    message when it cannot be. ``get()`` returns the hall, waiting for it if needed,
    and raises the opening error again; ``when_ready`` / ``when_failed`` run a callback
    on the GUI thread as soon as the outcome is known (at once if it already is) —
    a window built after a fast outcome still learns of it.
    """

    ready = Signal(object)  # Hall
    failed = Signal(str)

    def __init__(self, settings: Settings, open_hall: Callable[[], Hall] | None = None, *,
                 hall: Hall | None = None, start: bool = True) -> None:
        super().__init__()
        self._settings = settings
        self._outcome = _Outcome()
        self._waiting: list[Callable[[Hall], None]] = []
        self._failing: list[Callable[[str], None]] = []
        if hall is not None:
            self._outcome.hall = hall
            self._outcome.done.set()
            return
        if open_hall is None:
            raise ValueError("either a hall or a way to open one")
        relay = _Relay(self)
        # Connected before the opening starts, so no outcome can be emitted unseen; held weakly,
        # so the relay's connections never keep the source (and its window) alive.
        me = weakref.ref(self)

        def opened(hall: Hall) -> None:
            if (source := me()) is not None:
                source._deliver(hall)

        def failed(message: str) -> None:
            if (source := me()) is not None:
                source._deliver_failure(message)

        relay.opened.connect(opened)
        relay.failed.connect(failed)
        self._thread: threading.Thread | None = threading.Thread(
            target=_open_in_background, args=(open_hall, self._outcome, relay), name="open-hall", daemon=True)
        if start:
            self.start()

    def start(self) -> None:
        """Begin opening the hall (once; later calls do nothing)."""
        thread, self._thread = getattr(self, "_thread", None), None
        if thread is not None:
            thread.start()

    def start_after_first_frame(self, window: QWidget) -> None:
        """Begin opening the hall once ``window`` has painted its first frame.

        Opening competes with the window for the interpreter; started after the first
        frame, it no longer delays what the user sees first.
        """
        after_first_frame(window, self.start, self)

    @classmethod
    def of(cls, hall: Hall | HallSource) -> HallSource:
        """``hall`` as a source (an open hall is ready at once)."""
        return hall if isinstance(hall, HallSource) else cls(hall.settings, hall=hall)

    @property
    def settings(self) -> Settings:
        """The settings in force: the open hall's (shared settings from the centre apply at once), else the start's."""
        hall = self._outcome.hall
        return hall.settings if hall is not None else self._settings

    @property
    def hall(self) -> Hall | None:
        """The hall if it is open already, else None (never waits)."""
        return self._outcome.hall

    @property
    def error(self) -> BaseException | None:
        return self._outcome.error

    def get(self, timeout: float | None = None) -> Hall:
        """The hall, waiting for it to open; raises what stopped it from opening."""
        if not self._outcome.done.wait(timeout):
            raise HallUnavailable("数据库仍在打开，请稍候再试")
        if self._outcome.error is not None:
            raise self._outcome.error
        assert self._outcome.hall is not None
        return self._outcome.hall

    def when_ready(self, callback: Callable[[Hall], None]) -> None:
        """Call ``callback(hall)`` on the GUI thread once the hall is open (now, if it is)."""
        if self._outcome.hall is not None and not self._waiting:
            callback(self._outcome.hall)
        else:
            self._waiting.append(callback)

    def when_failed(self, callback: Callable[[str], None]) -> None:
        """Call ``callback(message)`` on the GUI thread if the hall cannot be opened (now, if so)."""
        if self._outcome.error is not None and not self._failing:
            callback(str(self._outcome.error))
        else:
            self._failing.append(callback)

    def _deliver(self, hall: Hall) -> None:
        waiting, self._waiting = self._waiting, []
        for callback in waiting:
            callback(hall)
        self.ready.emit(hall)

    def _deliver_failure(self, message: str) -> None:
        failing, self._failing = self._failing, []
        for callback in failing:
            callback(message)
        self.failed.emit(message)

    def close(self) -> None:
        """Close the database connections (waits for an opening still under way)."""
        self.start()  # a window closed before its first frame: open and close cleanly
        self._outcome.done.wait()
        if self._outcome.hall is not None:
            self._outcome.hall.engine.dispose()


class OpeningFailedPage(QWidget):
    """What a window shows when its database cannot be opened: why, and what to do.

    At a kiosk or on the hall display (``for_citizens``) the first words are for the
    citizen standing there; the reason underneath is for the staff who will fix it.
    """

    quit_requested = Signal()

    def __init__(self, *, for_citizens: bool = False) -> None:
        super().__init__()
        self.message = message_label()
        self.message.setWordWrap(True)
        self.quit_button = QPushButton("退出程序（工作人员）" if for_citizens else "退出程序")
        self.quit_button.setObjectName("secondary" if for_citizens else "primary")
        card = Card(760)
        if for_citizens:
            card.body.addWidget(label("本机暂停服务", "title", centred=True))
            card.body.addWidget(label("请到人工接待窗口办理，工作人员会帮助您。", "subtitle", centred=True))
            card.body.addWidget(label("给工作人员：本机数据库无法打开，程序没有改动任何数据。", centred=True))
        else:
            card.body.addWidget(label("无法打开本机数据库", "title", centred=True))
            card.body.addWidget(label("程序没有改动任何数据。请按下面的提示处理，或联系系统管理员。",
                                      "subtitle", centred=True))
        card.body.addWidget(self.message)
        card.body.addWidget(self.quit_button)
        card.fill(self)
        self.quit_button.clicked.connect(self.quit_requested)

    def show_problem(self, message: str) -> None:
        set_tone(self.message, "error", message)
