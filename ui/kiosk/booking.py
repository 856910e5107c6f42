"""Kiosk: book a place at a leader reception day in four touch screens — day, slot, who, done.

Large targets (≥ 96 px) and text (≥ 20 pt). The booking runs off the GUI thread; a full day
puts the visitor on the waiting list and says so; the slip prints on the receipt printer.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QBoxLayout,
    QButtonGroup,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.deadlines import format_date
from ui.common.timers import later
from ui.common.widgets import Phrases, label, message_label, secondary_button, set_tone
from ui.kiosk.bold import bold_label
from ui.kiosk.screens import (
    ButtonsBeside,
    Screens,
    WhenWide,
    WholeRows,
    fix_as_read,
    number_in,
    scrolling,
    show_card_number,
    with_x_key,
)
from ui.shell.context import WorkContext
from ui.shell.errors import user_message
from ui.shell.tasks import Executor

if TYPE_CHECKING:
    from datetime import date

    from desktop.printing.base import Printer
    from desktop.services.changes import Changes
    from desktop.services.context import Hall
    from desktop.services.printing import PrintOutcome
    from desktop.services.reception import BookableDays, Booking, ReceptionDay

TOUCH = 96  # px: the smallest target a finger hits at a kiosk
_STYLE = "QWidget { font-size: 22pt; } QLabel#title { font-size: 34pt; } QLineEdit { min-height: 72px; }"


def _big(text: str, name: str = "") -> QPushButton:
    button = QPushButton(text)
    button.setMinimumHeight(TOUCH)
    if name:
        button.setObjectName(name)
    return button


def _worded(*lines: str) -> QPushButton:
    """A big button whose words wrap within its width, each line between its phrases (:class:`Phrases`): a
    button's own text does not wrap, and a day's leaders and places ran past a portrait screen's edge (大字)."""
    button = QPushButton()
    button.setObjectName("worded")  # its labels in the button's colours (ui/kiosk/style.py)
    button.setAccessibleName("\n".join(lines))
    # as tall as its wrapped words (a button's own policy holds it to its one-line height)
    button.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
    inner = QVBoxLayout(button)
    inner.setContentsMargins(24, 12, 24, 12)
    inner.setSpacing(4)
    inner.addStretch(1)  # the words in the middle of a button taller than they are
    for line in lines:
        said = label(line, centred=True)
        said.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)  # the tap is the button's
        inner.addWidget(said)
    inner.addStretch(1)
    return button


def button_words(button: QPushButton) -> str:
    """What a button of the flow says: its text, or a worded one's lines."""
    return button.text() or button.accessibleName()


class BookingFlow(QWidget):
    """预约领导接访: 1 choose the day, 2 the slot, 3 name and ID number, 4 the result and the slip."""

    finished = Signal()
    booked = Signal(object)  # Booking

    def __init__(self, ctx: WorkContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.actor = ctx, ctx.actor
        self.tasks = ctx.group(self)
        self.reader = ctx.settings.id_reader != "none"  # 读取身份证 on the form
        self.devices = ctx.group(self)  # the card's reads: never held up by the days read again, nor holding them
        self.setObjectName("page")
        if not _in_kiosk(parent):
            # on its own (tests, a window of its own); inside the kiosk its page's style rules, whose large
            # text a style sheet of the flow's own would override
            self.setStyleSheet(_STYLE)
        #: Tests hand in a simulated printer; otherwise the configured receipt printer.
        self.printer: Callable[[], Printer] | None = None
        self.days: list[ReceptionDay] = []
        self.day: ReceptionDay | None = None
        self.slot: int | None = None
        self.booking: Booking | None = None
        self.today: date | None = None  # the day the schedule was read: 今天, 明天 said so on the result
        self.pages = Screens(self)  # asks for no more height than it gets: each page's buttons stay in view
        # the screen's step as its title, as the slots' and the form's (the bar above says 预约领导接访 already: the
        # title said it again)
        self.day_page, self.day_buttons, self.day_hint = self._choice_page(Phrases("选择|接访日期"),
                                                                          Phrases("轻触|您要来的日期，|再选择时段"))
        self.slot_page, self.slot_buttons, self.slot_hint = self._choice_page(Phrases("选择|接访时段"), "")
        #: The day and the slot chosen, on one short line over the form while the on-screen keyboard is up (the
        #: title and the words beside it give their room then, and the form scrolls to the field typed in: lying
        #: down the day and the slot went out of view). The kiosk shows it then (``whileTyping``), and hides it after.
        self.chosen_line = label("", "field")  # as the form's captions
        self.chosen_line.setProperty("whileTyping", True)
        self.chosen_line.hide()
        self.who_page, who = self._screen(self.chosen_line)
        self.result_page, result = self._screen()
        self.back_button = _big("返回", "secondary")
        self.back_button.clicked.connect(self.back)
        self.confirm = _big("确认预约")
        self.confirm.clicked.connect(self.submit)
        self.done_button = _big("完成")
        self.done_button.clicked.connect(self.finish)
        self._build_who(who)
        # lying down above the keyboard the form scrolls to the field typed in: the rows the area's edges cut are
        # left out of view, not shown as a sliver
        who_area = self.who_page.findChild(QScrollArea)
        assert who_area is not None
        self.whole_rows = WholeRows(who_area)
        self._build_result(result)
        for page in (self.day_page, self.slot_page, self.who_page, self.result_page):
            self.pages.addWidget(page)
        self.message = message_label()
        # The screens scroll by themselves, the buttons stay under them (beside them, lying down, while the
        # on-screen keyboard is up), the message between: a refusal is said right above 确认预约, in view.
        buttons = QHBoxLayout()
        buttons.setSpacing(16)
        buttons.addWidget(self.back_button, 1)
        buttons.addWidget(self.confirm, 2)
        buttons.addWidget(self.done_button, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 24, 48, 24)  # as the kiosk's other flows: nothing at the screen's edge
        self.typing = False  # the on-screen keyboard up lying down, the flow's buttons beside its screens
        layout.addLayout(ButtonsBeside(self.pages, self.message, buttons, on_beside=self._typing_beside), 1)
        self.pages.currentChanged.connect(self._buttons_for_screen)
        self._buttons_for_screen()
        self.load_days()
        # the hall server's answer coming back (or going), a day added or filled: the days' screen is read again
        ctx.tasks.changed.connect(self._changed)

    def _changed(self, changes: Changes) -> None:
        if changes.reception and self.pages.currentWidget() is self.day_page and not self.tasks.busy:
            self.load_days()

    # -- pages ------------------------------------------------------------------------------------

    def _screen(self, above: QWidget | None = None) -> tuple[QWidget, QVBoxLayout]:
        """A screen of the flow and the layout of what it shows, which scrolls by itself when the screen is too
        short for it (six days in large text): the screen asks the flow for no height of its own. ``above`` stands
        over what scrolls, always in view."""
        page = QWidget(self.pages)
        outer = QVBoxLayout(page)
        outer.setContentsMargins(0, 0, 0, 0)
        if above is not None:
            outer.addWidget(above)
        content = QWidget()
        content.setObjectName("page")
        area = scrolling(content)
        # up and down only: the words wrap within the screen's width, nothing is reached by scrolling sideways
        area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        outer.addWidget(area)
        column = QVBoxLayout(content)
        column.setContentsMargins(0, 0, 0, 0)
        return page, column

    def _choice_page(self, title: str, hint: str) -> tuple[QWidget, QGridLayout, QLabel]:
        page, column = self._screen()
        column.addWidget(label(title, "title", centred=True))
        said = label(hint, "subtitle", centred=True)
        column.addWidget(said)
        grid = QGridLayout()
        grid.setSpacing(24)
        column.addLayout(grid)
        column.addStretch(1)
        return page, grid, said

    def _build_who(self, column: QVBoxLayout) -> None:
        self.name = QLineEdit()
        self.name.setPlaceholderText("与身份证一致")
        self.id_number = QLineEdit()
        self.id_number.setPlaceholderText("18位身份证号码")
        id_number_row = with_x_key(self.id_number)  # the keyboard's digits pad, the final X beside the field
        self.phone = QLineEdit()
        self.phone.setPlaceholderText("便于通知时段变化")
        persons = self._persons_choice()
        self.summary = QLineEdit()
        self.summary.setPlaceholderText("简要说明想反映的问题（选填）")
        self.form = QGridLayout()
        self.form.setHorizontalSpacing(16)
        self.form.setVerticalSpacing(12)
        #: Each field of the form and its caption, in the order they are filled.
        self.form_rows: list[tuple[QLabel, QWidget]] = []
        for text, field in (("姓名", self.name), ("身份证号", id_number_row), ("联系电话", self.phone),
                            ("来访人数", persons), ("反映问题", self.summary)):
            caption = QLabel(text)
            caption.setObjectName("field")
            caption.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.form_rows.append((caption, field))
        self.chosen = label("", "subtitle", centred=True)
        # beside the title it gives its room with it while the keyboard is up: the short line over the form says it
        self.chosen.setProperty("givesRoom", True)
        card_row = self._card_read_row()
        # Enter (the on-screen keyboard's ↵ too) goes on to the next field
        for field, following in ((self.name, self.id_number), (self.id_number, self.phone),
                                 (self.phone, self.summary)):
            field.returnPressed.connect(following.setFocus)
        self.phone.setInputMethodHints(Qt.InputMethodHint.ImhDialableCharactersOnly)
        # the day and the slot beside the screen's title lying down (the form then fits 1080 px with large text),
        # under it standing up (too narrow for both)
        # with a card reader, lying down, the title over the day and the slot at the left of 读取身份证 and what the
        # read says: the form's fields keep the height they had without a reader
        self.who_heading = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.who_heading.setSpacing(8 if self.reader else 24)
        self.who_heading.addWidget(label(Phrases("填写|来访人|信息"), "title", centred=True))
        self.who_heading.addWidget(self.chosen, 1)
        self.who_top = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.who_top.setSpacing(24)
        self.who_top.addLayout(self.who_heading)
        self.who_top.addLayout(card_row, 1)
        column.addLayout(self.who_top)
        # in its page by now: shown before, the button was a window of its own a moment, which took the keys from
        # the kiosk's window (no field had the focus until one was tapped)
        self.read_button.setVisible(self.reader)
        self._place_heading(portrait=False)
        column.addLayout(self.form)
        column.addStretch(1)
        self._place_form(portrait=False)

    # -- the ID card

    def _card_read_row(self) -> WhenWide:
        """读取身份证 and 重新填写 side by side, and beside them (under them standing up) what the read is doing or
        has done (ui/kiosk/cardread.py, as 自助登记 and 取号); no button where the kiosk has no reader."""
        from ui.kiosk.cardread import KioskCardRead

        self.card: Any = None
        self.read_button = _big("读取身份证")
        self.retype_button = secondary_button("重新填写")
        self.retype_button.setMinimumHeight(TOUCH)
        self.retype_button.hide()
        self.card_state = message_label()
        buttons = QHBoxLayout()
        buttons.setSpacing(24)
        buttons.addWidget(self.read_button)
        buttons.addWidget(self.retype_button)
        buttons.addStretch(1)  # the buttons at the left while there are no words
        # Lying down the words stand beside the buttons and take no height of the screen's own; standing up under
        # them, the screen's width for their phrases: beside them, with 大字, they had some 360 px and broke 姓 / 名.
        row = WhenWide()
        row.setSpacing(24)
        row.addLayout(buttons)
        row.addWidget(self.card_state, 100)
        self.card_reading = KioskCardRead(
            self.read_button, self.card_state, self.devices, self.ctx.settings, instead="直接在下面填写",
            read_words="已读取身份证。姓名和身份证号码以身份证为准；不是您本人的身份证，请点“重新填写”")
        self.card_reading.card_read.connect(self.fill_from_card)
        self.retype_button.clicked.connect(self.retype)
        return row

    def fill_from_card(self, card: Any) -> None:
        """The name and the ID number as the card says them, not to be typed over (another card read replaces
        them; 重新填写 empties them for typing); the phone number is typed next (the problem, the phone typed
        before the read)."""
        self.card = card
        self.name.setText(str(card.name))
        show_card_number(self.id_number, str(card.id_number))
        fix_as_read((self.name, self.id_number), True)
        self.retype_button.show()
        set_tone(self.message, "", "")
        # the next field to type in: the phone, or what the problem is when the phone was typed before the read
        (self.summary if self.phone.text().strip() and not self.summary.text().strip() else self.phone).setFocus()

    def retype(self) -> None:
        """The card's name and number set aside: both empty and typed again (what was said of them goes too)."""
        self._set_card_aside()
        set_tone(self.message, "", "")
        self.name.setFocus()

    def _set_card_aside(self) -> None:
        self.card = None
        for field in (self.name, self.id_number):
            field.clear()
        fix_as_read((self.name, self.id_number), False)
        self.retype_button.hide()
        self.card_reading.clear()

    def _persons_choice(self) -> QWidget:
        """来访人数 as one button a number, 1 to the most a booking brings, each a touch target in every mode: a spin
        box's arrows were half as tall, and tapping it brought the keyboard up (确认预约 jumped). A tap leaves the
        focus where it was (the keyboard stays as it is); Tab still reaches them."""
        from desktop.domain.reception import MAX_PERSONS

        row = QWidget()
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        line.setSpacing(16)
        self.persons = QButtonGroup(row)
        self.persons.setExclusive(True)
        for count in range(1, MAX_PERSONS + 1):
            button = QPushButton(str(count))
            button.setObjectName("choice")  # checked in the accent colour (ui/kiosk/style.py)
            button.setAccessibleName(f"{count}人")
            button.setCheckable(True)
            button.setMinimumSize(TOUCH, TOUCH)
            button.setMaximumWidth(2 * TOUCH)
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            # as the ID number's X: the on-screen keyboard stays as it is, the form does not move under the finger
            button.setProperty("typing", True)
            button.setProperty("beside", True)  # no padding above and below: the form keeps its height
            self.persons.addButton(button, count)
            line.addWidget(button, 1)
        line.addStretch(1)
        self._persons_button(1).setChecked(True)
        return row

    def _persons_button(self, count: int) -> QPushButton:
        button = self.persons.button(count)
        assert isinstance(button, QPushButton)
        return button

    def _build_result(self, column: QVBoxLayout) -> None:
        """预约成功: what the visitor must remember in large type, as 自助登记's case number — when (the day and
        the slot), where, what to bring — each under or beside its caption; the rest in the body's size."""
        self.outcome = label("", "title", centred=True)
        # the slip that did not print, said under the title before the facts to note down instead (framed)
        self.unprinted = label("", "subtitle", centred=True)
        self.unprinted.hide()
        self.details = label("", "subtitle", centred=True)
        self.print_note = label("", "subtitle", centred=True)
        self.facts = QGridLayout()
        self.facts.setHorizontalSpacing(32)
        self.facts.setVerticalSpacing(12)
        self.fact_rows: list[tuple[QLabel, QLabel]] = []
        for caption in ("接访时间", "接访地点", "请带上"):
            self.fact_rows.append((label(caption, "subtitle"), bold_label("", "fact")))
        column.addStretch(1)
        column.addWidget(self.outcome)
        column.addWidget(self.unprinted)
        column.addSpacing(16)
        # lying down the facts in the middle three fifths, under the title; standing up the whole width
        self.facts_row = QHBoxLayout()
        self.facts_row.addStretch(1)
        self.facts_row.addLayout(self.facts, 3)
        self.facts_row.addStretch(1)
        column.addLayout(self.facts_row)
        column.addSpacing(16)
        column.addWidget(self.details)
        column.addWidget(self.print_note)
        column.addStretch(1)
        self._place_facts(portrait=False)

    def _place_facts(self, portrait: bool) -> None:
        """Lying down each fact at the right of its caption (the screen is short: 大字 fits); standing up under it,
        centred, the whole width for the day and the place (a caption's column would leave them too little)."""
        facts = self.facts
        for caption, value in self.fact_rows:
            facts.removeWidget(caption)
            facts.removeWidget(value)
        for index, (caption, value) in enumerate(self.fact_rows):
            centre = Qt.AlignmentFlag.AlignHCenter if portrait else Qt.AlignmentFlag.AlignLeft
            caption.setAlignment(Qt.AlignmentFlag.AlignHCenter if portrait
                                 else Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            value.setAlignment(centre)
            if portrait:
                facts.addWidget(caption, 2 * index, 0)
                facts.addWidget(value, 2 * index + 1, 0)
            else:
                facts.addWidget(caption, index, 0)
                facts.addWidget(value, index, 1)
        facts.setVerticalSpacing(12 if portrait else 24)
        facts.setColumnStretch(0, 1 if portrait else 0)
        facts.setColumnStretch(1, 0 if portrait else 1)
        self.portrait = portrait
        self._spread_facts()

    def _spread_facts(self) -> None:
        """Lying down the facts in the middle three fifths; the whole width where the slip did not print (its note
        above them: the day and the place each on one line, 大字 too, and the page unscrolled)."""
        for side in (0, 2):
            self.facts_row.setStretch(side, 0 if self.portrait or self.unprinted.text() else 1)

    def _place_heading(self, portrait: bool) -> None:
        """The form's title, its day and slot, and the card's row: one under the other standing up; lying down the
        title beside the day and slot, or over them at the left of the card's row where the kiosk has a reader."""
        down, across = QBoxLayout.Direction.TopToBottom, QBoxLayout.Direction.LeftToRight
        self.who_heading.setDirection(down if portrait or self.reader else across)
        self.who_top.setDirection(down if portrait else across)

    def _place_form(self, portrait: bool) -> None:
        """The form's fields one under the other standing up, each at the right of its caption; lying down in two
        columns, the name over 来访人数 at the left, the ID number over the phone at the right, 反映问题 the whole
        width under them: five rows with 大字 and the card's read under the title were taller than the screen, and
        反映问题 was reached by scrolling (four, after an expired card's longer words)."""
        form = self.form
        for caption, field in self.form_rows:
            form.removeWidget(caption)
            form.removeWidget(field)
        # each field's row and where it stands: the whole width, the left column or the right one
        whole, left, right = (0, 3), (0, 1), (2, 1)
        places = ([(row, whole) for row in range(len(self.form_rows))] if portrait
                  else [(0, left), (0, right), (1, right), (1, left), (2, whole)])
        for (caption, field), (row, (column, span)) in zip(self.form_rows, places, strict=True):
            form.addWidget(caption, row, column)
            # side by side, the fields at their row's top: level whatever the heights of their captions
            form.addWidget(field, row, column + 1, 1, span, Qt.AlignmentFlag.AlignTop if span == 1
                           else Qt.AlignmentFlag(0))
        # lying down the right column (18 digits and 输入X, the waiting list's longer words in the phone's field) the
        # wider, the left (a name, five numbers to tap) the narrower
        form.setColumnStretch(1, 1 if portrait else 2)
        form.setColumnStretch(3, 0 if portrait else 3)

    def _typing_beside(self, on: bool) -> None:
        """The on-screen keyboard up lying down: the flow's buttons at the right take some width of the form's, and
        the form scrolls to the field typed in anyway: one field a row, an ID number of 18 digits seen whole with
        大字 (beside the name its field was some 460 px wide); back beside the name once the keyboard is down."""
        self.typing = on
        self._place_form(self.portrait or on)

    def set_portrait(self, portrait: bool) -> None:
        """Standing up, the day and the slot under the form's title, the form's fields one under the other, and the
        result's facts under their captions; lying down, beside them."""
        self._place_heading(portrait)
        self._place_form(portrait or self.typing)
        self._place_facts(portrait)

    def _buttons_for_screen(self) -> None:
        """返回 on the days, the slots and the form; 确认预约 on the form; 完成 alone on the result."""
        page = self.pages.currentWidget()
        self.back_button.setVisible(page is not self.result_page)
        self.confirm.setVisible(page is self.who_page)
        self.done_button.setVisible(page is self.result_page)

    # -- flow ---------------------------------------------------------------------------------------

    def load_days(self) -> None:
        actor = self.ctx.actor

        def read(hall: Hall) -> BookableDays:
            from desktop.services import reception

            return reception.bookable_days(hall, actor)

        self.tasks.run(read, self._show_days, lambda error: self._say(user_message(error, "读取接访日"), "error"))

    def _show_days(self, offer: BookableDays) -> None:
        _clear(self.day_buttons)
        self.today = offer.today
        if offer.unreachable:  # not "no day": the days are not known for sure here, and nothing can be booked
            self.days = []
            self.day_hint.hide()
            said = label("", "subtitle", centred=True)
            set_tone(said, "notice", _unreachable(offer))  # framed: not a day's button, nor "no day"
            self.day_buttons.addWidget(said, 0, 0)
            return
        self.days = offer.days[:6]
        self.day_hint.setVisible(bool(self.days))  # no "please choose a day" above "there is none"
        if not self.days:
            none = Phrases("近期没有安排|领导接访日，|请到窗口咨询")
            self.day_buttons.addWidget(label(none, "subtitle", centred=True), 0, 0)
        for index, day in enumerate(self.days):  # one a row: fits a portrait screen
            free = (("今天的接访已结束",) if day.over else
                    (f"尚有{day.free}个名额",) if day.free > 0 else ("已约满，", "可登记候补"))
            leaders = [f"{name}、" for name in day.leaders[:-1]] + [f"{(day.leaders or ('接访领导待定',))[-1]}　"]
            button = _worded(format_date(day.day), Phrases.of((*leaders, *free)))  # a leader's name kept whole
            button.setMinimumHeight(TOUCH + 40)
            button.setEnabled(not day.over)  # nothing to book, not even a place to wait
            button.clicked.connect(lambda _c=False, d=day: self.choose_day(d))
            self.day_buttons.addWidget(button, index, 0)

    def choose_day(self, day: ReceptionDay) -> None:
        self.day = day
        place = Phrases.place(day.place)
        self.slot_hint.setText(Phrases.of((f"{format_date(day.day)}\n", f"{'、'.join(day.leaders)}　", *place.phrases)))
        _clear(self.slot_buttons)
        set_tone(self.message, "", "")
        for index, slot in enumerate(day.slots):
            left = day.left[index]
            # in the day's words (尚有16个名额): 剩余4个 said not what it counted
            state = "已结束" if day.is_over(index) else (f"尚有{left}个名额" if left > 0 else "已满")
            button = _big(f"{slot.label}\n{state}")
            button.setMinimumHeight(TOUCH + 40)
            # a slot with no place looks as a button that cannot be tapped, and a tap on it says why
            button.setProperty("full", left <= 0)
            button.clicked.connect(lambda _c=False, i=index: self.choose_slot(i) if day.left[i] > 0
                                   else self._say(_no_place(day, i), "notice"))
            self.slot_buttons.addWidget(button, index // 2, index % 2)
        if day.free <= 0 and not day.over:
            wait = _worded(Phrases("登记候补|（有人取消时|按顺序递补）"))
            wait.setMinimumHeight(TOUCH)
            wait.clicked.connect(lambda: self.choose_slot(None))
            self.slot_buttons.addWidget(wait, (len(day.slots) + 1) // 2, 0, 1, 2)
        self._show(self.slot_page)

    def _show(self, page: QWidget) -> None:
        """Another screen, from its top: neither where the citizen had scrolled the days to, nor the focus Qt
        moves on to the flow's 返回 (which the kiosk then brings into view), may hide what the screen says first
        (the day, 选择接访时段)."""
        self.pages.setCurrentWidget(page)
        if page is not self.who_page:  # that screen's name field takes the focus and is kept in view
            later(self, 0, lambda: self._to_top(page))

    def _to_top(self, page: QWidget) -> None:
        areas = page.findChildren(QScrollArea)
        parent = self.parentWidget()
        while parent is not None:
            if isinstance(parent, QScrollArea):
                areas.append(parent)
            parent = parent.parentWidget()
        for area in areas:
            area.verticalScrollBar().setValue(0)

    def choose_slot(self, slot: int | None) -> None:
        assert self.day is not None
        self.slot = slot
        set_tone(self.message, "", "")
        when = self.day.slots[slot].label if slot is not None else "候补"
        self.chosen.setText(f"{format_date(self.day.day)}　{when}")
        from desktop.domain.hours import day_words

        self.chosen_line.setText(Phrases.of(("已选：", f"{day_words(self.day.day, self.today or self.day.day)}　",
                                             when)))
        # the waiting list calls whoever a freed place goes to: its phone number is asked for (the service's rule)
        self.phone.setPlaceholderText("候补必填：有人取消时电话通知您" if slot is None else "便于通知时段变化")
        # what the tap does: a place on the waiting list is not a booking (确认预约 there read as a place promised)
        self.confirm.setText("确认登记候补" if slot is None else "确认预约")
        self.pages.setCurrentWidget(self.who_page)
        (self.phone if self.card is not None else self.name).setFocus()  # a card's name and number are filled

    def back(self) -> None:
        index = self.pages.currentIndex()
        set_tone(self.message, "", "")
        if index == 0:
            self.finish()
        else:
            self._show((self.day_page, self.slot_page, self.who_page)[index - 1])

    def submit(self) -> None:
        # a booking already on its way disables 确认预约; the days read again meanwhile must not swallow the tap
        if self.day is None or not self.confirm.isEnabled():
            return
        from desktop.services.reception import Visitor

        actor, day_id, slot = self.actor, self.day.day_id, self.slot
        visitor = Visitor(self.name.text(), number_in(self.id_number, self.card), self.phone.text(),
                          self.persons.checkedId(), self.summary.text())
        self.confirm.setEnabled(False)

        def book(hall: Hall) -> Booking:
            from desktop.services import reception

            return reception.book(hall, actor, day_id, visitor, slot=slot, source="自助终端")

        self.tasks.run(book, self._booked, self._refused)

    def _refused(self, error: Exception) -> None:
        """Said right above 确认预约; the field it names takes the focus (the citizen corrects it there)."""
        self.confirm.setEnabled(True)
        self._say(user_message(error, "预约领导接访"), "error")
        at_fault = self._field_named(str(getattr(error, "field", "")))
        if at_fault is not None:
            from ui.kiosk.shell import at_fault as focus_at_fault

            focus_at_fault(at_fault)  # its text chosen: typed over at once, or moved in with a tap

    def _field_named(self, field: str) -> QWidget | None:
        """The form's field a refusal names (a phone number's as a mobile's or a landline's too)."""
        fields: dict[str, QWidget] = {"name": self.name, "id_number": self.id_number, "phone": self.phone,
                                      "mobile": self.phone, "landline": self.phone,
                                      "persons_count": self.persons.checkedButton() or self._persons_button(1)}
        return fields.get(field)

    def _booked(self, booking: Booking) -> None:
        self.booking = booking
        self.confirm.setEnabled(True)
        set_tone(self.message, "", "")
        from desktop.documents.templates import TEXTS
        from desktop.domain.hours import day_words

        waiting = booking.waiting_position
        self.outcome.setText("已登记候补" if waiting else "预约成功")
        day = day_words(booking.day.day, self.today or booking.day.day)
        when = f"候补第{waiting}位" if waiting else booking.appointment.slot_label
        # a space, not a line break: large bold text is drawn as outlines, on lines of its own making; the day and
        # the slot (候补第1位) each kept whole
        facts = (Phrases.of((f"{day} ", when)), Phrases.place(booking.day.place), TEXTS["appointment.bring"])
        for (caption, value), text in zip(self.fact_rows, facts, strict=True):
            value.setText(text)
            caption.setVisible(bool(text))  # a day with no place set: no caption over nothing
            value.setVisible(bool(text))
        self.fact_rows[0][0].setText("候补日期" if waiting else "接访时间")
        called = f"，届时打电话{booking.appointment.phone}通知您" if booking.appointment.phone else ""
        self.details.setText(Phrases.clauses(f"有人取消时按顺序递补{called}" if waiting
                                             else booking.arrival_words()))  # never 按时段 / 等候
        set_tone(self.unprinted, "", "")
        self._spread_facts()
        self.print_note.setText(Phrases("正在|打印|预约回执……"))
        self.print_note.show()
        self._show(self.result_page)
        self.booked.emit(booking)
        self._print(booking)

    def _print(self, booking: Booking) -> None:
        actor, settings, choose = self.actor, self.ctx.settings, self.printer
        appointment_id = booking.appointment.appointment_id

        def print_slip(hall: Hall) -> PrintOutcome:
            from desktop.printing.factory import printer_for
            from desktop.services import printing, reception

            doc = reception.appointment_slip(hall, actor, appointment_id)
            printer = choose() if choose is not None else printer_for(doc.kind, settings, media=doc.media)
            return printing.print_document(hall, actor, doc, None, printer)

        def printed(outcome: PrintOutcome) -> None:
            if outcome.printed:
                self.print_note.setText("请取走预约回执")
            else:
                self._not_printed(booking, outcome.message)

        self.tasks.run(print_slip, printed,
                       lambda error: self._not_printed(booking, user_message(error, "打印预约回执")),
                       executor=Executor.DEVICES)

    def _not_printed(self, booking: Booking, why: str) -> None:
        """No slip to take home: the booking stands, said in large words, with what to note down instead — the day
        and the slot, the place, the ID card to bring (no slip to bring now). A counter can print the slip: the
        kiosk's failed print reaches the hall's counters with the records link (the counter's 待补打)."""
        from ui.kiosk.done import not_printed

        waiting = booking.waiting_position
        self.outcome.setText("已登记候补" if waiting else "预约已成功")
        noted = Phrases("\n候补仍然有效，|请记下|下面的日期和地点；|需要回执的，|可到接待窗口|补打" if waiting
                        else "\n预约仍然有效，|请记下|下面的接访时间和地点；|需要回执的，|可到接待窗口|补打")
        set_tone(self.unprinted, "notice", Phrases.of((*not_printed("预约回执", why).phrases, *noted.phrases)))
        self.fact_rows[2][1].setText("身份证")
        self._spread_facts()
        if not waiting:  # the waiting list's words (who calls, when) stand as they were
            self.details.setText(Phrases.clauses(booking.arrival_words(card=True)))  # no slip: the card
        self.print_note.setText("")
        self.print_note.hide()

    def finish(self) -> None:
        self._set_card_aside()
        for field in (self.name, self.id_number, self.phone, self.summary):
            field.clear()
        self._persons_button(1).setChecked(True)
        self.pages.setCurrentIndex(0)
        set_tone(self.message, "", "")
        self.finished.emit()

    def _say(self, text: str, tone: str) -> None:
        set_tone(self.message, tone, Phrases.clauses(text))  # its lines broken at its punctuation, not in a word


def _no_place(day: ReceptionDay, index: int) -> str:
    """Why slot ``index`` of ``day`` takes nobody, and what to do instead: another slot, else the waiting list."""
    slot = day.slots[index].label
    why = f"{slot}的接访已经结束" if day.is_over(index) else f"{slot}已约满"
    if day.free > 0:
        return f"{why}，请选择其他时段"
    others = "，其他时段也已约满" if len(day.slots) > 1 else ""
    return f"{why}{others}。可以登记候补，有人取消时按顺序递补"


def _unreachable(offer: BookableDays) -> str:
    """The hall server does not answer: said as it is, what to do, and the days this kiosk last knew of."""
    from desktop.domain.hours import day_words

    said = "暂时无法连接服务器，现在不能在这里预约\n请到接待窗口预约，或过一会儿再来试一试"
    if offer.days:
        known = "、".join(day_words(d.day, offer.today) for d in offer.days[:3])
        said += f"\n本机记录的领导接访日：{known}（以窗口告知为准）"
    return said


def _in_kiosk(widget: QWidget | None) -> bool:
    """Whether ``widget`` lies in the kiosk's page (``QWidget#kiosk``, ``ui/kiosk/shell.py``)."""
    while widget is not None:
        if widget.objectName() == "kiosk":
            return True
        widget = widget.parentWidget()
    return False


def _clear(grid: QGridLayout) -> None:
    while grid.count():
        item = grid.takeAt(0)
        widget = item.widget() if item is not None else None
        if widget is not None:
            widget.hide()
            widget.deleteLater()

