"""Small pieces every screen shares: labels, message tones, tables, the header bar, form cards."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
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

from desktop.domain.roles import ROLE_NAMES, Actor, Role

if TYPE_CHECKING:
    from collections.abc import Callable

    from PySide6.QtGui import QShowEvent
    from PySide6.QtWidgets import QTableWidget


WORD_JOINER = "\u2060"  # no line break on either side; drawn as nothing
# A date (2026年12月7日, 12月7日), a weekday (星期一) and a number with its unit (15日, 3个工作日, 30天):
# Qt may break a line between any two Chinese characters, or between a digit and one, and
# "12月7" at the end of one line with "日" on the next is hard to read, for an old eye above all.
_TOGETHER = re.compile(r"(?:\d{4}年)?\d{1,2}月\d{1,2}日|星期[一二三四五六日天]"
                       r"|\d+(?:个工作日|个月|小时|分钟|工作日|[天日年月周岁时分秒号次件项个人])")


# The last two characters of a sentence: a line of one character and its full stop (办 / 理。) is an orphan.
_SENTENCE_END = re.compile(r"[\u3400-\u9fff\U00020000-\U0003134f]{2}(?=[。！？；]|\n|$)")


def unbroken(text: str) -> str:
    """``text`` with every date, weekday and number-with-its-unit joined so no line breaks inside it, and a
    sentence's last two characters kept together."""
    def join(found: re.Match[str]) -> str:
        return WORD_JOINER.join(found.group())

    return _SENTENCE_END.sub(join, _TOGETHER.sub(join, text))


class Label(QLabel):
    """A label that wraps its text between words, never inside a date, a weekday or a number and its unit.

    The joiners are the label's own business: ``text()`` gives back the text as it was set.
    """

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(unbroken(text), parent)

    def setText(self, text: str) -> None:
        super().setText(unbroken(text))

    def text(self) -> str:
        return super().text().replace(WORD_JOINER, "")


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
    table.resizeColumnsToContents()


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

    def __init__(self, hall_name: str, role_title: str, now: type[datetime] = datetime) -> None:
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
        now = self._now.now()
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
