"""取号 at the kiosk: a ticket for the right window type in three taps, with or without the ID card.

Tap 1 the home tile; tap 2 the business (優先 for the elderly and disabled is a toggle before
it; with an ID-card reader the card may be laid on it first, or not); the ticket prints and
the number shows large with how many wait ahead; tap 3 完成 (or the screen goes home by itself).

The queue itself is another part of the system: the two functions are handed in
(``desktop.services.queue.window_types`` and ``issue_ticket`` at the composition root).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QBoxLayout,
    QGridLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.queue import PRIORITY_AGE, IssuedTicket, TicketSource, WindowType, already_words
from ui.common.widgets import Phrases, label, message_label, set_tone
from ui.kiosk.bold import bold_label
from ui.kiosk.done import SHOW_SECONDS, NumberLabel, SideBySide, held, not_printed
from ui.kiosk.screens import panel
from ui.kiosk.style import HOURS_TEXT, HOURS_TIGHT
from ui.shell.context import WorkContext
from ui.shell.errors import user_message
from ui.shell.tasks import Executor

if TYPE_CHECKING:
    from desktop.domain.hours import ComingDay
    from desktop.services.changes import Changes
    from desktop.services.context import Hall
    from desktop.services.queue import TicketNotes

WindowTypes = Callable[["Hall"], list[WindowType]]
IssueTicket = Callable[..., IssuedTicket]
#: "" while the hall is open; else that it is closed and when it opens (``desktop.services.queue.closed_now``).
ClosedNow = Callable[["Hall"], str]
#: The screen's notes: why no 领导接访 now, the coming days' hours (``desktop.services.queue.ticket_notes``).
Notes = Callable[["Hall"], "TicketNotes"]
#: The height of a button to another tile on the closed page (a finger's target and then some), and the most it
#: grows to where a tall screen has the room.
TALL = 120
TALLEST = 2 * TALL
#: The button that reads the ID card (the ticket is taken with its holder's name and number; a tap on a business
#: without it gives a number all the same).
CARD_BUTTON = "刷身份证取号（可不刷）"
CARD_AGAIN = "重新刷身份证"
#: The priority toggle off and on: a tick and words, for an eye that does not tell its colours apart.
PRIORITY_OFF = "需要优先办理？请轻触这里\n70岁以上老人、残疾人、孕妇可以优先"
PRIORITY_ON = "✓ 需要优先办理\n70岁以上老人、残疾人、孕妇，已选上"


@dataclass(frozen=True)
class _Printed:
    printed: bool
    message: str


class TicketFlow(QWidget):
    """The window types as big buttons; the ticket's number, people ahead and the wait."""

    finished = Signal()
    issued = Signal(object)  # the IssuedTicket
    #: Out of hours: the citizen goes on to another of the kiosk's tiles (its key), straight from here.
    open_tile = Signal(str)

    def __init__(self, ctx: WorkContext, parent: QWidget | None = None, *, window_types: WindowTypes,
                 issue_ticket: IssueTicket, closed_now: ClosedNow | None = None, notes: Notes | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.tasks = ctx.group(self)
        self.devices = ctx.group(self)
        self.loading = ctx.group(self)
        self.setObjectName("page")
        self._issue = issue_ticket
        self.card: Any = None
        self._asked_priority = False  # the toggle was on for the ticket taken last
        self._shown = 0  # which ticket the page shows (counted): a slip's outcome is said only on its own page
        self.types: list[WindowType] = []
        self.type_buttons: list[QPushButton] = []
        self._columns = 2

        self.lead = label(Phrases("请选择|您要办理的业务，|轻触即可取号"), "title", centred=True)
        self.lead.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.card_button = QPushButton(CARD_BUTTON)
        self.card_button.setObjectName("choice")
        self.card_button.setVisible(ctx.settings.id_reader != "none")
        self.priority = QPushButton(PRIORITY_OFF)
        self.priority.setObjectName("choice")
        self.priority.setCheckable(True)
        # on and off told apart by a tick and words, not by colour alone
        self.priority.toggled.connect(lambda on: self.priority.setText(PRIORITY_ON if on else PRIORITY_OFF))
        self.grid = QGridLayout()
        self.grid.setSpacing(24)
        self.message = message_label()
        # where the 领导接访 button would be on a day it is not offered: why, and the next day to book
        self.leader_note = label("", "note")
        self.leader_note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.leader_note.hide()
        self.tiles: list[tuple[str, str]] = []
        self.closed_box = self._build_closed()
        choose = QWidget()
        column = QVBoxLayout(choose)
        column.setContentsMargins(48, 24, 48, 24)
        column.setSpacing(20)
        column.addWidget(self.lead)
        column.addLayout(self._card_read_row())
        column.addWidget(self.priority)
        column.addLayout(self.grid)
        column.addWidget(self.message)
        column.addWidget(self.closed_box)
        column.addStretch(1)  # the buttons right under the question, whatever the screen's height
        self.choose_column = column

        # the ticket: the number as large as the screen lets it be; under it (lying down, beside it) what it is for,
        # who waits ahead, the ticket's printing and a wide 完成
        self.number = NumberLabel("ticketNumber")
        self.business = held(bold_label("", "big", centred=True))
        self.ahead = held(label("", "doneLine", centred=True))
        self.printing = held(label("", "doneLine", centred=True))
        self.done_button = QPushButton("完成")
        self.done_button.setObjectName("done")
        number = QVBoxLayout()
        number.addStretch(1)
        number.addWidget(held(label("您的号码", "title", centred=True)))
        number.addWidget(self.number)
        number.addStretch(1)
        words = QVBoxLayout()
        words.setSpacing(24)
        words.addStretch(1)
        words.addWidget(self.business)
        words.addWidget(self.ahead)
        words.addWidget(self.printing)
        words.addSpacing(16)
        words.addWidget(self.done_button, 0, Qt.AlignmentFlag.AlignHCenter)
        words.addStretch(1)
        ticket = QWidget()
        # lying down the words take a little more than half the width: with 大字 at two fifths the business broke
        # onto a second line (涉法涉诉 / （优先办理）) and a ticket that did not print said its words in five lines; the
        # number, a few characters, still fills its side
        self.ticket_parts = SideBySide(number, words, stretch=(5, 6), middle=True)
        self.ticket_parts.setContentsMargins(48, 24, 48, 24)
        ticket.setLayout(self.ticket_parts)

        self.pages = QStackedWidget()
        self.pages.addWidget(choose)
        self.pages.addWidget(ticket)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pages)
        self.home_timer = QTimer(self)
        self.home_timer.setSingleShot(True)
        self.home_timer.setInterval(SHOW_SECONDS * 1000)
        self.home_timer.timeout.connect(self.finished)
        self.done_button.clicked.connect(self.finished)
        self._window_types = window_types
        self.closed = ""  # outside the hall's opening hours: why no number is given, and when the hall opens

        def read(hall: Hall) -> tuple[list[WindowType], str, TicketNotes | None]:
            return (window_types(hall), closed_now(hall) if closed_now is not None else "",
                    notes(hall) if notes is not None else None)

        set_tone(self.message, "notice", "正在读取业务类型……")
        self.tasks.run(read, self._show_read, self._failed)
        # a business stopped (or started) while this screen is up: its button goes (or comes)
        ctx.tasks.changed.connect(self._changed)

    def _changed(self, changes: Changes) -> None:
        if "queue" in changes.topics and self.pages.currentIndex() == 0:
            self.loading.run(self._window_types, self._types_now, lambda _error: None)

    def _show_read(self, read: tuple[list[WindowType], str, TicketNotes | None]) -> None:
        types, self.closed, notes = read
        if self.closed and notes is not None and notes.closed:
            self.closed = notes.closed  # the hours are in the table below it: when the hall opens next alone
        self.leader_note.setText(Phrases.clauses(notes.leader) if notes is not None else "")
        self._show_hours(notes.hours if notes is not None else ())
        self._show_types(types)

    # -- out of hours --------------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.lead and event.type() in (QEvent.Type.Resize, QEvent.Type.FontChange,
                                                     QEvent.Type.StyleChange):
            self._hold_lead()
        return super().eventFilter(watched, event)

    def _hold_lead(self) -> None:
        """The closed page's sentence keeps the height its lines need at its width, whatever the text size."""
        needed = self.lead.heightForWidth(self.lead.width())
        if needed > 0 and needed != self.lead.minimumHeight():
            self.lead.setMinimumHeight(needed)

    def _build_closed(self) -> QWidget:
        """Out of hours: the coming days' hours, what the kiosk still does now, and the way home."""
        box = QWidget()
        self.closed_grid = QGridLayout(box)  # the hours above what can be done standing up, beside it lying down
        self.closed_grid.setContentsMargins(0, 0, 0, 0)
        self.closed_grid.setSpacing(24)
        self.hours_panel, self.hours_rows = panel("大厅开放时间")
        self.hours_table = HoursTable()
        self.hours_rows.addWidget(self.hours_table, 1)  # the days spread over the panel's height
        self.still = QWidget()
        still = QVBoxLayout(self.still)
        still.setContentsMargins(0, 0, 0, 0)
        still.setSpacing(24)
        self.still_lead = label(Phrases("现在在本机|还可以办理："), "subtitle")
        still.addWidget(self.still_lead)
        self.still_grid = QGridLayout()
        self.still_grid.setSpacing(24)
        still.addLayout(self.still_grid, 1)
        self.still_buttons: list[QPushButton] = []
        self.home_button = QPushButton("返回首页")
        self.home_button.setObjectName("secondary")
        self.home_button.clicked.connect(self.finished)
        self._place_closed()
        box.hide()
        return box

    def _place_closed(self) -> None:
        """The hours above what can be done, standing up (the two share the screen's height: the days further
        apart, the buttons taller); beside it lying down. The way home takes the cell the five tiles leave free in
        their two columns (a row of its own under them, with an even number of tiles): a row under everything took
        the 140 px that, with 大字 (the days' hours on two lines), made the page scroll."""
        portrait = self._columns == 1
        self.still_grid.removeWidget(self.home_button)
        self.closed_grid.addWidget(self.hours_panel, 0, 0)
        self.closed_grid.addWidget(self.still, 1 if portrait else 0, 0 if portrait else 1)
        count = len(self.still_buttons)
        self.still_grid.addWidget(self.home_button, count // 2, count % 2, 1, 1 if count % 2 else 2)
        self.home_button.setMinimumHeight(TALL)  # as tall as the tiles beside it
        self.home_button.setMaximumHeight(TALLEST)
        self.home_button.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        for row, stretch in enumerate((1, 1) if portrait else (1, 0)):
            self.closed_grid.setRowStretch(row, stretch)

    def _show_hours(self, days: tuple[ComingDay, ...]) -> None:
        self.hours_table.show_days(days)
        self.hours_panel.setVisible(bool(days))

    def set_tiles(self, tiles: list[tuple[str, str]]) -> None:
        """The kiosk's other tiles (key, title): out of hours the citizen may go on to one from here."""
        self.tiles = tiles
        self._place_tiles()

    def _place_tiles(self) -> None:
        for old in self.still_buttons:
            self.still_grid.removeWidget(old)
            old.deleteLater()
        self.still_buttons = []
        for index, (key, title) in enumerate(self.tiles):
            button = QPushButton(title)
            button.setObjectName("choice")
            button.setMinimumHeight(TALL)
            button.setMaximumHeight(TALLEST)
            button.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
            button.clicked.connect(lambda _=False, k=key: self.open_tile.emit(k))
            self.still_buttons.append(button)
            self.still_grid.addWidget(button, index // 2, index % 2)
        self.still_lead.setVisible(bool(self.tiles))
        self._place_closed()  # the way home after the last tile

    def _types_now(self, types: list[WindowType]) -> None:
        if [t for t in types if t.active] != self.types:
            self._show_types(types, keep_message=True)

    def set_portrait(self, portrait: bool) -> None:
        self._columns = 1 if portrait else 2
        self.card_row.setDirection(QBoxLayout.Direction.TopToBottom if portrait else QBoxLayout.Direction.LeftToRight)
        self._place()
        self._place_closed()
        self.hours_table.set_tight(not portrait)  # standing up the days have the screen's height

    def _place(self) -> None:
        self.grid.removeWidget(self.leader_note)
        for index, button in enumerate(self.type_buttons):
            self.grid.addWidget(button, index // self._columns, index % self._columns)
        if self.leader_note.text() and not self.closed:  # in the cell after the buttons, as a tile would be
            count = len(self.type_buttons)
            self.grid.addWidget(self.leader_note, count // self._columns, count % self._columns)
            self.leader_note.show()

    def _show_types(self, types: list[WindowType], *, keep_message: bool = False) -> None:
        self.types = [t for t in types if t.active]
        for old in self.type_buttons:
            self.grid.removeWidget(old)
            old.deleteLater()
        self.type_buttons = []
        if self.closed:  # no buttons to tap for a number that would be refused: when to come back, in large type
            self.types = []
            self.lead.setWordWrap(True)
            self.lead.setText(Phrases.clauses(f"{self.closed}，请到时再来取号"))
            # said whole, in large text too: the page scrolls rather than cut the sentence short (the scroll
            # area reads the page's least height, and a wrapped label's says one line)
            self.lead.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
            self.lead.installEventFilter(self)
            self._hold_lead()
            self.priority.hide()
            self.card_button.hide()
            self.closed_box.show()
            # the page's height to the hours and the buttons, not left empty under them
            self.choose_column.setStretchFactor(self.closed_box, 1)
            self.choose_column.setStretch(self.choose_column.count() - 1, 0)
            set_tone(self.message, "", "")
            return
        if not self.types:
            set_tone(self.message, "error", "现在没有可以取号的业务，请到咨询台询问")
        elif not keep_message:
            set_tone(self.message, "", "")
        for window_type in self.types:
            windows = "、".join(str(w) for w in window_type.windows)
            button = QPushButton(f"{window_type.name}\n{windows} 号窗口" if windows else window_type.name)
            button.setObjectName("tile")
            button.setAccessibleName(window_type.name)
            button.clicked.connect(lambda _=False, t=window_type: self.take(t))
            self.type_buttons.append(button)
        self._place()

    def _failed(self, error: Exception) -> None:
        set_tone(self.message, "error", user_message(error, "取号") + "。请到咨询台取号")

    def _card_read_row(self) -> QBoxLayout:
        """刷身份证取号 and, beside it lying down (under it standing up), what the read is doing or has done: in the
        row the button has anyway, so that a read's words push no business off a landscape screen."""
        from ui.kiosk.cardread import KioskCardRead

        self.card_state = message_label()
        self.card_reading = KioskCardRead(self.card_button, self.card_state, self.devices, self.ctx.settings,
                                          again="刷身份证取号", instead="不用身份证，直接点下面的业务取号",
                                          read_words="已读取身份证，请点下面的业务取号")
        self.card_reading.card_read.connect(self._card_read)
        self.card_row = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.card_row.setSpacing(24)
        self.card_row.addWidget(self.card_button, 2)
        self.card_row.addWidget(self.card_state, 3)
        return self.card_row

    def read_card(self) -> None:
        self.card_reading.start()

    def _card_read(self, card: Any) -> None:
        self.card = card
        # what a tap on it does now (another card read): 已读取身份证 beside 已读取身份证，请点下面的业务取号 said the
        # read twice, and read as a notice, not a button
        self.card_button.setText(CARD_AGAIN)

    def take(self, window_type: WindowType) -> None:
        if self.tasks.busy:
            return
        issue, card = self._issue, self.card
        priority = self.priority.isChecked() and window_type.priority_allowed
        self._asked_priority = priority

        def work(hall: Hall) -> IssuedTicket:
            return issue(hall, type_code=window_type.code, source=TicketSource.KIOSK, priority=priority,
                         id_number=getattr(card, "id_number", None), name=getattr(card, "name", None))

        set_tone(self.message, "notice", "正在取号……")
        self.tasks.run(work, self._issued, self._refused)

    def _refused(self, error: Exception) -> None:
        """A number not given: the reason as the queue (here or the hall server's) words it; a business stopped
        meanwhile leaves the screen. The screen stays as it was (the toggle, the card read) for another tap — but
        a card whose name or number no ticket can carry (a reader that gave “张?” for a rare character) is set
        aside, and the citizen is told a number is given without it."""
        from desktop.domain.errors import ValidationError

        said = user_message(error, "取号")
        if self.card is not None and isinstance(error, ValidationError) and error.field in ("name", "id_number"):
            self.card = None
            self.card_button.setText(CARD_BUTTON)
            self.card_reading.clear()
            said = f"身份证上读出的信息不能用于取号：{said}。可以不刷身份证，直接选择业务取号"
        set_tone(self.message, "error", said)
        self.loading.run(self._window_types, lambda types: self._show_types(types, keep_message=True),
                         lambda _error: None)

    def _issued(self, issued: IssuedTicket) -> None:
        self.card = None
        set_tone(self.message, "", "")
        self.number.setText(issued.ticket.number)
        # broken only between the business's name and （优先办理）, not inside a word (优 / 先办理)
        self.business.setText(Phrases.of((issued.type_name, "（优先办理）")) if issued.ticket.priority
                              else Phrases.of((issued.type_name,)))
        # no space between a number and its unit: the shared label keeps 3人 and 15分钟 on one line
        wait = f"，预计等候约{issued.estimated_wait_minutes}分钟" if issued.estimated_wait_minutes else ""
        ahead = f"前面还有{issued.ahead}人{wait}" if issued.ahead else "前面没有人在等候"
        if issued.already:  # the person's own ticket of this type, still waiting: no second one
            ahead = already_words(issued.ticket.number, issued.ahead) + wait
        told = Phrases(f"{ahead}。|\n请留意|大厅显示屏|和语音叫号")
        if issued.ticket.priority and not self._asked_priority and not issued.already:
            # first by the card's age, not asked for: said why (优先办理 alone puzzled one who had not tapped it)
            told = Phrases.of((f"您已年满{PRIORITY_AGE}岁，", "为您优先办理。", "\n" + told.phrases[0],
                               *told.phrases[1:]))
        # the hall's own note is written by a person: shown as written, breaking at its punctuation
        self.ahead.setText(Phrases.of((*told.phrases, *Phrases.clauses(f"\n{issued.note}").phrases))
                           if issued.note else told)
        self._shown += 1
        shown = self._shown
        self.printing.setText(Phrases("正在|打印号票……"))
        self.pages.setCurrentIndex(1)
        self.home_timer.start()
        self.issued.emit(issued)
        if issued.already:  # its slip was printed when it was taken
            self.printing.setText(Phrases("没有另发新号，|请凭原来的号票|等候叫号"))
            return
        actor, settings = self.ctx.actor, self.ctx.settings

        def print_ticket(hall: Hall) -> _Printed:
            from desktop.documents.model import DocumentKind
            from desktop.printing.factory import printer_for
            from desktop.services import documents, printing

            doc = documents.queue_ticket(hall, actor, ticket_number=issued.ticket.number,
                                         window_type=issued.type_name, people_ahead=issued.ahead,
                                         issued_at=issued.ticket.issued_at,
                                         estimated_wait_minutes=issued.estimated_wait_minutes,
                                         priority=issued.ticket.priority, priority_reason=issued.priority_reason)
            outcome = printing.print_document(hall, actor, doc, None,
                                              printer_for(DocumentKind.QUEUE_TICKET, settings, media=doc.media))
            return _Printed(outcome.printed, outcome.message)

        self.devices.run(print_ticket, lambda outcome: self._printed(outcome, shown),
                         lambda error: self._printed(_Printed(False, user_message(error, "打印号票")), shown),
                         executor=Executor.DEVICES)

    def _printed(self, outcome: _Printed, shown: int) -> None:
        if shown != self._shown:  # a slow printer's answer for a ticket whose page is gone: another is shown now
            return
        if outcome.printed:
            self.printing.setText(Phrases("请取走|号票"))
            return
        # No paper to take away: the number stays until the citizen has noted it (完成, or the idle wipe),
        # not the 30 seconds a printed ticket stays.
        self.home_timer.stop()
        self.printing.setText(_not_printed(outcome.message, self.number.text()))


def _not_printed(why: str, number: str) -> Phrases:
    """The printer's words as they came, broken at their punctuation only (号码已取得 kept whole), then what to do."""
    return Phrases.of((*not_printed("号票", why).phrases,
                       *Phrases(f"\n请记下|您的号码 {number}，|记好后|点“完成”").phrases))


class HoursTable(QWidget):
    """The coming days' hours in two columns, each day in the widest form the table's width holds (in the
    text size of the moment, 大字 or not): the day and its hours on one line; else the periods one under
    another, and a day whose words are still too wide for what is left with its date under its name
    (明天 over 12月7日，星期一). Never a word broken by wrapping."""

    #: Room a label keeps beyond its text's advance (the font's overhang at either end).
    SLACK = 6

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(32)
        self.grid.setVerticalSpacing(8)
        self.grid.setColumnStretch(1, 1)
        self.days: tuple[ComingDay, ...] = ()
        self.rows: list[tuple[QLabel, QLabel]] = []
        self.rules: list[QWidget] = []
        #: Lying down beside the tiles: days on two lines are set a little smaller and closer (see :meth:`fit`).
        self.tight = False

    def show_days(self, days: tuple[ComingDay, ...]) -> None:
        for old in [cell for pair in self.rows for cell in pair] + self.rules:
            self.grid.removeWidget(old)
            old.deleteLater()
        self.days, self.rows, self.rules = days, [], []
        for index, day in enumerate(days):
            if index:  # a thin rule between two days: the eye keeps to its row however far apart the rows are
                rule = QWidget()
                rule.setObjectName("hoursRule")
                rule.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
                rule.setFixedHeight(2)
                self.grid.addWidget(rule, 2 * index - 1, 0, 1, 2)
                self.rules.append(rule)
            name = "hoursRow" if day.periods else "hoursRest"  # a day of rest dimmer
            pair = (QLabel(), QLabel())
            for column, cell in enumerate(pair):
                cell.setObjectName(name)
                cell.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
                cell.setMinimumWidth(1)  # the table picks the form its width holds, not the widest text
                self.grid.addWidget(cell, 2 * index, column)
            self.grid.setRowStretch(2 * index, 1)  # the days share the height the table is given
            self.rows.append(pair)
        self.fit()

    def _width(self, cell: QLabel, text: str) -> int:
        cell.ensurePolished()  # the style sheet's size of the moment
        font = cell.font()
        if cell.property("tight"):  # the form is chosen at the table's own size, whatever the tight one shows
            if font.pixelSize() > 0:
                font.setPixelSize(round(font.pixelSize() * HOURS_TEXT / HOURS_TIGHT))
            else:  # no style sheet's size (a test's bare page): the application's font in points
                font.setPointSizeF(font.pointSizeF() * HOURS_TEXT / HOURS_TIGHT)
        metrics = QFontMetrics(font)
        return max(metrics.horizontalAdvance(line) for line in text.split("\n")) + self.SLACK

    def _one_line(self) -> list[tuple[str, str]]:
        return [(day.words, day.hours) for day in self.days]

    def _column(self, texts: list[tuple[str, str]], column: int) -> int:
        return max((self._width(pair[column], text[column]) for pair, text in zip(self.rows, texts, strict=True)),
                   default=0)

    def texts(self, width: int) -> list[tuple[str, str]]:
        """Each day's words and hours as they fit ``width``."""
        whole = self._one_line()
        if self._column(whole, 0) + self.grid.horizontalSpacing() + self._column(whole, 1) <= width:
            return whole
        stacked = [(day.words, "\n".join(day.periods) or "休息") for day in self.days]
        room = width - self.grid.horizontalSpacing() - self._column(stacked, 1)
        return [(day.words if not day.tail or self._width(pair[0], day.words) <= room else f"{day.head}\n{day.tail}",
                 hours) for day, pair, (_, hours) in zip(self.days, self.rows, stacked, strict=True)]

    def sizeHint(self) -> QSize:
        """As wide as a day on one line needs (the width it would like, whatever form it is in now)."""
        hint = super().sizeHint()
        if not self.rows:
            return hint
        whole = self._one_line()
        wanted = self._column(whole, 0) + self.grid.horizontalSpacing() + self._column(whole, 1)
        return QSize(max(hint.width(), wanted), hint.height())

    def fit(self) -> None:
        """Each row's text in the form that fits the table's width."""
        if not self.rows:
            return
        texts = self.texts(self.width())
        two_lines = any("\n" in when + hours for when, hours in texts)
        tight = two_lines and self.tight
        if texts == [(when.text(), hours.text()) for when, hours in self.rows] and tight == self._tight_now():
            return
        # one line a day: a rule between two, the rows may be far apart; two lines: the days kept apart by
        # space alone (where the text is large the height is short). Lying down beside the tiles, with five
        # working days in 大字, ten lines in the full size made the page scroll: a little smaller, closer.
        self.grid.setVerticalSpacing(6 if tight else 16 if two_lines else 8)
        for rule in self.rules:
            rule.setVisible(not two_lines)
        for cell in (cell for pair in self.rows for cell in pair):
            if bool(cell.property("tight")) != tight:
                cell.setProperty("tight", tight)
                cell.style().unpolish(cell)
                cell.style().polish(cell)
        for (when, hours), (day_text, hours_text) in zip(self.rows, texts, strict=True):
            when.setText(day_text)
            hours.setText(hours_text)

    def _tight_now(self) -> bool:
        return any(bool(cell.property("tight")) for pair in self.rows for cell in pair)

    def set_tight(self, tight: bool) -> None:
        self.tight = tight
        self.fit()

    def event(self, event: QEvent) -> bool:
        handled = super().event(event)
        # a new width, or 大字 turned on or off (the kiosk's style sheet changes the text's size)
        if event.type() in (QEvent.Type.Resize, QEvent.Type.StyleChange, QEvent.Type.FontChange,
                            QEvent.Type.LayoutRequest):
            self.fit()
        return handled
