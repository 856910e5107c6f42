"""Small pieces every screen shares: labels, message tones, tables, the header bar, form cards."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from itertools import pairwise
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QFocusEvent, QKeyEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.chinatime import china_now, china_today, in_china
from desktop.domain.roles import ROLE_NAMES, Actor, Role

if TYPE_CHECKING:
    from collections.abc import Callable

    from PySide6.QtGui import QResizeEvent, QShowEvent
    from PySide6.QtWidgets import QComboBox, QTableWidget


WORD_JOINER = "\u2060"  # no line break on either side; drawn as nothing
BREAK = "\u200b"  # a line may break here (ZERO WIDTH SPACE); drawn as nothing
#: Where a fixed text written for :class:`Phrases` may break its line.
PHRASE_MARK = "|"
#: After these a clause ends (:meth:`Phrases.clauses`).
_CLAUSE_END = re.compile(r"(?<=[，。；：！？、\n])")
# A date (2026年12月7日, 12月7日), a weekday (星期一) and a number with its unit (15日, 3个工作日, 30天):
# Qt may break a line between any two Chinese characters, or between a digit and one, and
# "12月7" at the end of one line with "日" on the next is hard to read, for an old eye above all.
# A code or a time joined by hyphens, dashes or colons (XF-20261124-K01-00012-9, 0579-84123456, 9:00–10:30): Qt
# breaks a line after a hyphen, and half a case number on each line is copied wrong from a receipt.
_CODE = r"[A-Za-z0-9]+(?:[-–:][A-Za-z0-9]+)+"
# An article of the Regulations (第二十一条, 第35条: 第三十五 / 条 read as a number left hanging) is one word too.
_TOGETHER = re.compile(_CODE + r"|(?:\d{4}年)?\d{1,2}月\d{1,2}日|星期[一二三四五六日天]"
                       r"|第[一二三四五六七八九十百零〇\d]+条"
                       r"|\d+(?:个工作日|个月|小时|分钟|工作日|[天日年月周岁时分秒号次件项个人])")
_CODES = re.compile(_CODE)


# The last two characters of a sentence: a line of one character and its full stop (办 / 理。) is an orphan. Its group
# is set where the text's end makes it one: within a phrase too wide for its line, the phrase's end is a sentence's
# only where a full stop or a new line says so (or where the text ends: its last phrase). One pattern for both: its
# characters' class alone takes 1.6 ms to compile, before the kiosk's first frame.
_SENTENCE_END = re.compile(r"[\u3400-\u9fff\U00020000-\U0003134f]{2}(?=[。！？；]|\n|($))")


# Where a place's or an organisation's name ends one of its parts (浦江县|人民来访接待中心|领导接访室): after
# these words, and after these characters where the part has two before them and the next is not one that makes
# a word with them (县委, 市场, 区域, 局长: kept whole).
_PLACE_PART_WORDS = ("委员会", "办公室", "街道", "社区", "中心", "大厅", "大楼", "大厦")
_PLACE_PART_ENDS = frozenset("省市县区镇乡村局院厅所站楼室")
_PLACE_WORD_AFTER = frozenset("委场域长内民城级外界属")


def _place_parts(name: str) -> list[str]:
    parts: list[str] = []
    start = 0
    for index, char in enumerate(name):
        after = name[index + 1:index + 2]
        if not after or not after.isalnum():
            continue  # the end, or a mark next (a bracket, a dot): the break is Qt's
        ended = any(name[start:index + 1].endswith(word) and index + 1 - start > len(word)
                    for word in _PLACE_PART_WORDS)
        chinese = "\u3400" <= after <= "\u9fff"
        if ended or (char in _PLACE_PART_ENDS and index - start >= 2 and chinese and after not in _PLACE_WORD_AFTER):
            parts.append(name[start:index + 1])
            start = index + 1
    parts.append(name[start:])
    return parts


def _join(found: re.Match[str]) -> str:
    return WORD_JOINER.join(found.group())


def _between_words(phrase: str, last: bool, fits: Callable[[str], bool]) -> str:
    """A phrase wider than its line, its breaks left between its words only (收到 / 处理意见, never 收到处 / 理意见:
    ICU's dictionary, :mod:`ui.common.words`), never inside a date, a number with its unit or a code, nor before
    a sentence's last two characters; a sentence's where the text ends (``last``: 届 / 满 under a date was an
    orphan) or a full stop says so, not where only the phrase's end does. What ``fits`` says is wider than the
    line, a word at 400 px, breaks as Qt would break it: it never runs past the edge."""
    from ui.common.words import word_spans

    spans = [*word_spans(phrase), *((found.start(), found.end()) for found in _TOGETHER.finditer(phrase)),
             *((found.start(), found.end()) for found in _SENTENCE_END.finditer(phrase)
               if found.group(1) is None or (last and len(phrase) > 2))]
    held: set[int] = set()  # i: no break between phrase[i] and phrase[i + 1]
    for start, end in spans:
        if fits(phrase[start:end]):
            held.update(range(start, end - 1))
    return "".join(char + WORD_JOINER if index in held else char for index, char in enumerate(phrase[:-1])) + \
        phrase[-1:]


def _whole(_words: str) -> bool:
    return True


def unbroken(text: str) -> str:
    """``text`` with every date, weekday and number-with-its-unit joined so no line breaks inside it, and a
    sentence's last two characters kept together."""
    return _SENTENCE_END.sub(_join, _TOGETHER.sub(_join, text))


def _joined(phrase: str) -> str:
    """``phrase`` with no line break left between two of its characters that are letters, digits or 汉字
    (punctuation and spaces keep the breaks Qt gives them: after ， and before （)."""
    phrase = _CODES.sub(_join, phrase)  # a code's hyphens too
    out = phrase[:1]
    for before, after in pairwise(phrase):
        out += (WORD_JOINER if before.isalnum() and after.isalnum() else "") + after
    return out


class Phrases(str):
    """A fixed text that says where its lines may break: ``Phrases("请选择|您要办理的业务，|轻触即可取号")``.

    Qt breaks a line between any two Chinese characters, a word too (轻触即 / 可取号). Written with
    :data:`PHRASE_MARK` between its phrases, the text is the plain text as a ``str`` (what is read out,
    compared, given as an accessible name: 请选择您要办理的业务，轻触即可取号), and the shared label lays it
    out breaking its lines only at the marks and where punctuation or a space allows; a phrase wider than
    the label's line breaks as Qt would break it (see :meth:`laid_out`), so nothing runs past the edge.
    """

    phrases: tuple[str, ...]
    #: A paragraph (:meth:`paragraph`): its lines filled, broken between any two of its words.
    flowing: bool = False

    def __new__(cls, marked: str) -> Phrases:
        return cls.of(marked.split(PHRASE_MARK))

    @classmethod
    def of(cls, phrases: Iterable[str]) -> Phrases:
        """The text of ``phrases`` as they are (a ``|`` in one, written by a person, is shown as written)."""
        parts = tuple(part for part in phrases if part)
        text = str.__new__(cls, "".join(parts))
        text.phrases = parts
        return text

    @classmethod
    def paragraph(cls, text: str) -> Phrases:
        """A long text (办事指南's rights and time limits, the rights read before 提交登记) whose lines are filled
        and break between its words, as a printed page's: 上一级 / 机关, never 上一 / 级机关 as Qt breaks it, nor
        the ragged lines of a paragraph broken at its punctuation only. Its dates, numbers with their units and a
        sentence's last two characters are kept whole; a word wider than the line breaks as Qt would break it.

        The words are ICU's (:mod:`ui.common.words`), found once the label has its width: until then, and for a
        label that does not wrap, the text breaks as any label's (see :func:`unbroken`). A message of a line or
        three (a refusal, what a receipt says) is better said by :meth:`clauses`, each clause whole."""
        text = cls.clauses(text)
        text.flowing = True
        return text

    @classmethod
    def clauses(cls, sentence: str) -> Phrases:
        """A sentence worded elsewhere (a service's, with a date or a name in it) whose lines break at its
        punctuation only, each clause kept whole while it fits the line (已出具处理意见；/ 如不服，/ 可在收到…)."""
        return cls.of(_CLAUSE_END.split(sentence))

    @classmethod
    def place(cls, name: str) -> Phrases:
        """A place's or an organisation's name, typed by staff, whose lines break between its parts only:
        浦江县 / 人民来访接待中心 / 领导接访室, never 领导接 / 访室 (a part wider than the line breaks as Qt would)."""
        return cls.of(_place_parts(name))

    def laid_out(self, fits: Callable[[str], bool] | None = None) -> str:
        """The text for the label's layout: a break allowed at each mark (U+200B), none inside a phrase
        (U+2060), but for a phrase ``fits`` says is wider than the line (its dates, numbers and a sentence's last
        two characters kept whole). A :meth:`paragraph`'s: a break between any two of its words."""
        last = len(self.phrases) - 1
        if self.flowing:  # each clause's words held; between them and after its punctuation, Qt's own breaks
            if fits is None:
                return unbroken(self)
            return "".join(_between_words(part, index == last, _whole if fits(part) else fits)  # (each word fits)
                           for index, part in enumerate(self.phrases))
        return BREAK.join(_joined(part) if fits is None or fits(part) else _between_words(part, index == last, fits)
                          for index, part in enumerate(self.phrases))


def plain(text: str) -> str:
    """``text`` as read: without the joiners and break marks laid out with it."""
    return text.replace(WORD_JOINER, "").replace(BREAK, "")


class _PhraseFit(QObject):
    """Keeps its label's phrases whole while each fits its line, and lets one that does not break (see
    :meth:`Phrases.laid_out`): looked at again as the label's width or font changes (大字)."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.Resize, QEvent.Type.FontChange) and isinstance(watched, Label):
            watched.fit_phrases_soon()
        return False


class Label(QLabel):
    """A label that wraps its text between words, never inside a date, a weekday or a number and its unit;
    given :class:`Phrases`, between its phrases only.

    The joiners are the label's own business: ``text()`` gives back the text as it was set, without marks.
    """

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._phrases: Phrases | None = None
        self._fit: _PhraseFit | None = None
        self._fit_timer: QTimer | None = None  # a fit asked for, to come (see fit_phrases_soon)
        self.setText(text)

    def setText(self, text: str) -> None:
        named = self._phrases is not None and self.accessibleName() == self._phrases
        if isinstance(text, Phrases):
            self._phrases = text
            if self._fit is None:
                self._fit = _PhraseFit(self)
                self.installEventFilter(self._fit)
            if not self.accessibleName() or named:
                self.setAccessibleName(str(text))  # read out as written, without the layout's marks
            super().setText(text.laid_out(self._fits()))
            return
        self._phrases = None
        if named:
            self.setAccessibleName("")
        super().setText(unbroken(text))

    def text(self) -> str:
        return plain(super().text())

    def _fits(self) -> Callable[[str], bool] | None:
        """Whether a phrase fits the label's line; None while the label has no width yet (not laid out)."""
        width = self.contentsRect().width() - 2 * self.margin()
        if not self.wordWrap() or width <= 0 or not self.testAttribute(Qt.WidgetAttribute.WA_Resized):
            return None
        metrics = self.fontMetrics()
        return lambda phrase: metrics.horizontalAdvance(phrase) <= width

    def fit_phrases(self) -> None:
        """Lay the phrases out again for the label's width and font now."""
        if self._phrases is not None and self.text() != self._phrases:
            self._phrases = None  # emptied by QLabel.clear() (the kiosk's wipe): nothing to bring back
        if self._phrases is not None:
            laid = self._phrases.laid_out(self._fits())
            if laid != super().text():
                super().setText(laid)

    def fit_phrases_soon(self) -> None:
        """:meth:`fit_phrases` once the event loop is back, once however many times it was asked meanwhile.

        A resize comes in the middle of Qt's own laying out of the window; measured there and then, as a screen
        was laid out again for 大字 standing up after a card read, the text crashed the program (in QTextEngine).
        The label's own timer waits (gone with the label): ``QTimer.singleShot`` with a method of the label kept
        some of each label's Python objects after the label was gone, a kiosk's flows piling up 64 KB a
        registration."""
        if self._fit_timer is None:
            self._fit_timer = QTimer(self)
            self._fit_timer.setSingleShot(True)
            self._fit_timer.setInterval(0)
            self._fit_timer.timeout.connect(self.fit_phrases)
        if not self._fit_timer.isActive():
            self._fit_timer.start()


class OneLineFit(QLabel):
    """A one-line label that shows its text to fit the room it has (:meth:`fit`, its own rule), and fits it again
    whenever the room or the font changes; the room decides, never the text (its least width is 1 px)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumWidth(1)

    def fit(self) -> None:
        raise NotImplementedError

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self.fit()


def label(text: str, name: str = "", centred: bool = False) -> QLabel:
    widget = Label(text)
    if name:
        widget.setObjectName(name)
    widget.setWordWrap(True)
    if centred:
        # Alignment on the label, not in the layout: a word-wrapped label given a
        # layout alignment shrinks to its minimum width and wraps every character.
        widget.setAlignment(Qt.AlignmentFlag.AlignHCenter)
    return widget


def set_tone(widget: QLabel, tone: str, text: str | None = None) -> None:
    """Colour a message label: ``error`` (red), ``ok`` (green), ``notice`` (amber) or ``""``.

    The label is hidden while it has nothing to say, so an empty message takes no room.
    """
    widget.setProperty("tone", tone)
    # WORKAROUND: after a dynamic property changes, style().unpolish()/polish() re-colours
    # the label but keeps its old contents margins, so the padding and border of the
    # theme's QLabel[tone=...] rules would be missing. Giving the widget a style sheet
    # of its own (only a comment) makes Qt recompute the whole box.
    widget.setStyleSheet(f"/* tone: {tone or 'none'} */")
    if text is not None:
        widget.setText(text)
    widget.updateGeometry()
    widget.setVisible(bool(widget.text()))


def message_label() -> QLabel:
    """A label for a refusal or a confirmation; stays empty (and takes no room) until used."""
    widget = label("", "message")
    widget.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    widget.hide()
    return widget


class MessageRoom(QWidget):
    """Room kept under a form for its message (a refusal, 正在保存……), ``lines`` lines high even while it is empty.

    The buttons next to it stay where they are when a message appears or goes (a second click on 保存 missed:
    the message had pushed it away). A message longer than the room still grows it, whole.
    """

    PADDING = 16  # the tone's padding and border (theme: QLabel[tone=…])

    def __init__(self, message: QLabel, lines: int = 2) -> None:
        super().__init__()
        self.message, self.lines = message, lines
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(message)
        layout.addStretch(1)
        # an explicit minimum: a layout asks a wrapping label's container its layout's height, no hint of its own
        self.setMinimumHeight(self.reserved())

    def reserved(self) -> int:
        return self.message.fontMetrics().lineSpacing() * self.lines + self.PADDING

    def changeEvent(self, event: QEvent) -> None:  # the theme's font arrives: the room follows it
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self.setMinimumHeight(self.reserved())


def password_field(placeholder: str = "") -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setPlaceholderText(placeholder)
    return field


class ServerPasswordRow(QWidget):
    """The person's own password, which the server checks at every call and nothing here keeps, and the
    button that reads ``what`` from the server (Enter in the field reads too)."""

    def __init__(self, what: str, read: Callable[[], None], caption: str = "管理员密码",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.password = password_field("本人登录密码：服务器每次核验，本机不保存")
        self.password.setMinimumWidth(260)
        self.password.setMaximumWidth(360)
        self.load_button = QPushButton(f"读取服务器上的{what}")
        self.load_button.clicked.connect(read)
        self.password.returnPressed.connect(read)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(label(caption, "field"))
        row.addWidget(self.password, 1)
        row.addWidget(self.load_button)
        row.addStretch(1)


def secondary_button(text: str) -> QPushButton:
    button = QPushButton(text)
    button.setObjectName("secondary")
    return button


def button_row(*buttons: QWidget) -> QHBoxLayout:
    """A dialog's buttons at its right edge, in reading order (the default action last)."""
    row = QHBoxLayout()
    row.addStretch(1)
    for button in buttons:
        row.addWidget(button)
    return row


def read_only_table(columns: Sequence[str], *, select_rows: bool = True, single: bool = True,
                    alternate: bool = True) -> QTableWidget:
    """A list the user reads and picks from: no editing, whole rows selected, the last column stretched."""
    from PySide6.QtWidgets import QAbstractItemView, QTableWidget  # (their types load when first used)

    table = QTableWidget(0, len(columns))
    table.setHorizontalHeaderLabels(list(columns))
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setTabKeyNavigation(False)  # Tab leaves the list for the next control (it walked the cells, trapped)
    if select_rows:
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    if single:
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setAlternatingRowColors(alternate)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def fill_table(table: QTableWidget, rows: Sequence[Sequence[str]]) -> None:
    """Show ``rows`` (the cells' words, in column order) in ``table``, columns sized to what they hold."""
    from PySide6.QtWidgets import QTableWidgetItem

    table.setRowCount(len(rows))
    for row, values in enumerate(rows):
        for column, value in enumerate(values):
            table.setItem(row, column, QTableWidgetItem(value))
    fit_columns(table)


def fit_columns(table: QTableWidget) -> None:
    """Columns sized to what they hold, the last one still taking the room left, the same on every refresh.

    ``resizeColumnsToContents`` alone sized the stretched last column to its words too, and it stayed so
    until the window was resized: after a refresh (an account added or locked) the list no longer filled
    its width and its last column shrank.
    """
    header = table.horizontalHeader()
    stretch = header.stretchLastSection()
    header.setStretchLastSection(False)
    table.resizeColumnsToContents()
    header.setStretchLastSection(stretch)


def stamp_words(stamp: str, today: date | None = None) -> str:
    """A stored time (ISO 8601) as staff read it: 12月6日 13:40, the year only when it is another year's.

    A time with its zone is shown at China's clock, as the hall keeps it; "" stays ""; anything not a time is
    shown as it is.
    """
    from desktop.domain.calendar import moment_near

    if not stamp:
        return ""
    try:
        moment = datetime.fromisoformat(stamp)
    except ValueError:
        return stamp
    return moment_near(in_china(moment), today or china_today())


def fit_items(combo: QComboBox) -> None:
    """A drop-down wide enough for each of its items, whole, with a character to spare.

    The style's own size (AdjustToContents) left a Chinese item's last character under the arrow: ）of
    （暂不认定）, 道 of 农民工欠薪绿色通道. Called again whenever the items change.
    """
    from PySide6.QtWidgets import QStyle, QStyleOptionComboBox

    metrics = combo.fontMetrics()
    widest = max((metrics.horizontalAdvance(combo.itemText(i)) for i in range(combo.count())), default=0)
    option = QStyleOptionComboBox()
    combo.initStyleOption(option)
    field = combo.style().subControlRect(QStyle.ComplexControl.CC_ComboBox, option,
                                         QStyle.SubControl.SC_ComboBoxEditField, combo)
    frame = max(0, combo.width() - field.width())  # the arrow and the frame, as the style draws them
    combo.setMinimumWidth(widest + frame + metrics.horizontalAdvance("中"))


def role_name(actor: Actor) -> str:
    try:
        return ROLE_NAMES[Role(actor.role)]
    except ValueError:
        return actor.role


def ask(parent: QWidget, title: str, text: str, *, go: str, stay: str, on_go: Callable[[], None],
        on_stay: Callable[[], None] | None = None, detail: str = "",
        go_role: QMessageBox.ButtonRole = QMessageBox.ButtonRole.DestructiveRole,
        icon: QMessageBox.Icon = QMessageBox.Icon.Warning) -> tuple[QMessageBox, QPushButton]:
    """A question before a step a mistake would cost, opened window-modal; staying is the default (Enter and
    Esc keep things as they are). Returns the box and its ``go`` button."""
    box = QMessageBox(icon, title, text, parent=parent)
    if detail:
        box.setInformativeText(detail)
    go_button = box.addButton(go, go_role)
    stay_button = box.addButton(stay, QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(stay_button)
    box.setEscapeButton(stay_button)

    def answered(button: object) -> None:
        if button is go_button:
            on_go()
        elif on_stay is not None:
            on_stay()

    box.buttonClicked.connect(answered)
    box.open()
    return box, go_button


def enter_presses(*buttons: QPushButton) -> None:
    """Enter on these buttons presses them, as Space does (outside a dialog a button ignored Enter: the framed
    button the keyboard user was on did nothing)."""
    for button in buttons:
        button.setAutoDefault(True)


def focus_first(page: QWidget) -> None:
    """The keys to ``page``'s first field or button that Tab would reach (a tab just brought forward by its key)."""
    widget = page.nextInFocusChain()
    while widget is not None and widget is not page:
        if (page.isAncestorOf(widget) and widget.isEnabled() and widget.isVisible()
                and widget.focusPolicy() & Qt.FocusPolicy.TabFocus):
            widget.setFocus(Qt.FocusReason.ShortcutFocusReason)
            return
        widget = widget.nextInFocusChain()
    page.setFocus(Qt.FocusReason.ShortcutFocusReason)


class SelectOnTabIn(QObject):
    """Tab into ``table``: the row under its cursor is selected. A list put its cursor on the first row without
    selecting it, so a button acting on “the selected row” acted on a row that did not look selected, and with
    one row ↓ could not select it."""

    def __init__(self, table: QTableWidget) -> None:
        super().__init__(table)
        self.table = table
        table.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (event.type() == QEvent.Type.FocusIn and isinstance(event, QFocusEvent)
                and event.reason() in (Qt.FocusReason.TabFocusReason, Qt.FocusReason.BacktabFocusReason)
                and self.table.rowCount() and not self.table.selectionModel().hasSelection()):
            self.table.selectRow(max(self.table.currentRow(), 0))
        return False


class EnterMovesOn(QObject):
    """Enter in a field of ``order`` moves to the next field that is usable; in the last one it calls ``last``
    (the form's button: 预约, 保存…). Drop-downs and number boxes move on too (Enter did nothing in them);
    with its pop-up open a drop-down keeps Enter for the pick. Tab order is set to ``order`` as well."""

    def __init__(self, parent: QWidget, order: Sequence[QWidget], last: Callable[[], object]) -> None:
        super().__init__(parent)
        self.order, self.last = list(order), last
        for before, after in zip(self.order, self.order[1:], strict=False):
            QWidget.setTabOrder(before, after)
        for field in self.order:
            field.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent)
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
                and not event.modifiers() & Qt.KeyboardModifier.ControlModifier
                and isinstance(watched, QWidget) and watched in self.order):
            following = self.order[self.order.index(watched) + 1:]
            target = next((w for w in following if w.isEnabled() and w.isVisibleTo(w.window())), None)
            if target is None:
                self.last()
            else:
                target.setFocus(Qt.FocusReason.TabFocusReason)
            return True
        return False


class FormGrid(QGridLayout):
    """Label–field rows with the labels centred on their fields (QFormLayout keeps them at the top)."""

    def __init__(self) -> None:
        super().__init__()
        self.setHorizontalSpacing(16)
        self.setVerticalSpacing(12)
        self.setColumnStretch(1, 1)
        self._rows = 0

    def add_row(self, text: str, field: QWidget) -> None:
        row = self._rows
        self._rows += 1
        caption = QLabel(text)
        caption.setObjectName("field")
        caption.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.addWidget(caption, row, 0)
        self.addWidget(field, row, 1)


class Card(QFrame):
    """A centred white panel of limited width for the sign-in and lock pages."""

    def __init__(self, width: int = 620) -> None:
        super().__init__()
        self.setObjectName("card")
        self.setMaximumWidth(width)
        self.body = QVBoxLayout(self)
        self.body.setContentsMargins(40, 32, 40, 32)
        self.body.setSpacing(14)

    def fill(self, page: QWidget) -> None:
        """Make ``page`` show this card in its middle, whatever the window size."""
        layout = QHBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.centred_page())

    def centred_page(self) -> QWidget:
        """A page that keeps this card in the middle, whatever the window size."""
        page = QWidget()
        page.setObjectName("page")
        rows = QVBoxLayout(page)
        rows.addStretch(1)
        columns = QHBoxLayout()
        columns.addStretch(1)
        columns.addWidget(self, 6)
        columns.addStretch(1)
        rows.addLayout(columns)
        rows.addStretch(2)
        return page


class Header(QFrame):
    """Hall name, role, who is signed in (with their session buttons) and a live clock."""

    def __init__(self, hall_name: str, role_title: str, now: Callable[[], datetime] = china_now) -> None:
        super().__init__()
        self.setObjectName("header")
        self._now = now
        self.row = QHBoxLayout(self)
        self.row.setContentsMargins(16, 8, 16, 8)
        self.row.setSpacing(12)
        title = label(f"{hall_name} · {role_title}", "title")
        title.setStyleSheet("color: white;")
        self.clock = label("", "clock")
        self.clock.setWordWrap(False)
        self.clock.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.row.addWidget(title, 1)
        self._extras = 0
        self.row.addWidget(self.clock)
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.tick)
        self._timer.start(1000)
        self.tick()

    def add(self, widget: QWidget) -> None:
        """Place ``widget`` between the title and the clock."""
        self._extras += 1
        self.row.insertWidget(self._extras, widget)

    def tick(self) -> None:
        # 2026年12月6日 星期日, no leading zeros; written here, so no module more loads before the first frame
        now = self._now()  # the hall keeps China's clock, whatever this PC's time zone
        self.clock.setText(f"{now.year}年{now.month}月{now.day}日 星期{'一二三四五六日'[now.weekday()]} {now:%H:%M:%S}")


class RefreshingPanel(QWidget):
    """A panel that reads its data again when it changes: at once while it is on screen, else when it
    is next shown (a tab in the background reads nothing until it is looked at)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._stale = False

    def refresh(self) -> None:
        """Read again; subclasses start their reading here (and clear :attr:`_stale`)."""
        raise NotImplementedError

    def refresh_when_seen(self) -> None:
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()
