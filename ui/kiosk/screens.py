"""Screens of a kiosk flow: white panels, which scroll by themselves so the flow's own buttons stay in view."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QRegion, QResizeEvent, QTextCursor
from PySide6.QtWidgets import (
    QApplication,
    QBoxLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ui.common.timers import later
from ui.common.widgets import label


class Screens(QStackedWidget):
    """A flow's screens: the stack asks for no more height than the room it gets, and no more than the screen
    shown needs.

    A QStackedWidget would otherwise report its pages' full height (their text wrapped), and the least
    height of its tallest page (查询进度's result, with the on-screen keyboard up on the entry screen): the
    kiosk's page, which scrolls as a whole when the keyboard is up, would scroll instead, hiding the
    flow's buttons, a second scroll bar beside the screen's own. Put a screen that may be long in
    :func:`scrolling`.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.currentChanged.connect(self.updateGeometry)

    def hasHeightForWidth(self) -> bool:
        return False

    def minimumSizeHint(self) -> QSize:
        every = super().minimumSizeHint()  # the widest page's width: a screen keeps its width as it changes
        shown = self.currentWidget()
        if shown is None:
            return every
        return QSize(every.width(), shown.minimumSizeHint().expandedTo(shown.minimumSize()).height())

    def sizeHint(self) -> QSize:
        return self.minimumSizeHint()


#: An ID number's field: the on-screen keyboard's digits pad (its own big keys, no symbols), no pinyin, no
#: suggestions; the final X from :func:`with_x_key` beside the field (the digits pad has no letter).
ID_NUMBER_HINTS = (Qt.InputMethodHint.ImhDigitsOnly | Qt.InputMethodHint.ImhLatinOnly
                   | Qt.InputMethodHint.ImhPreferUppercase | Qt.InputMethodHint.ImhNoPredictiveText)


#: The X key's least width: wider than a finger's 96 px, as wide as the keyboard's own keys look.
X_KEY_WIDTH = 144


def with_x_key(field: QLineEdit) -> QWidget:
    """``field`` (an ID number's) with an “X” key beside it: the last character of some ID numbers, which the
    keyboard's digits pad does not have. The key takes no focus, so the keyboard stays up while it is tapped.

    The key is as tall as the field (no padding above and below, still a finger's target) and the field at the
    row's top: a field beside the row (the name, lying down) stands level with it. The taller key once made the row
    16 px taller than a field and the ID number, centred on it, sat 8 px lower than the name beside it."""
    field.setInputMethodHints(ID_NUMBER_HINTS)
    row = QWidget()
    line = QHBoxLayout(row)
    line.setContentsMargins(0, 0, 0, 0)
    line.setSpacing(16)
    line.addWidget(field, 1, Qt.AlignmentFlag.AlignTop)
    key = QPushButton("输入X")  # a bare “X” reads as 关闭 or 删除
    key.setObjectName("secondary")
    key.setAccessibleName("输入X（身份证号码最后一位）")
    key.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    key.setMinimumWidth(X_KEY_WIDTH)
    key.setProperty("typing", True)  # the kiosk leaves the field its focus, and the keyboard up, after a tap
    key.setProperty("beside", True)  # the kiosk's style: no padding above and below
    # as tall as the row: the field's height where the field is the taller
    key.setSizePolicy(key.sizePolicy().horizontalPolicy(), QSizePolicy.Policy.Preferred)
    key.clicked.connect(lambda: field.insert("X"))
    line.addWidget(key)
    field.x_key = key  # type: ignore[attr-defined]
    return row


def fix_as_read(fields: tuple[QLineEdit, ...], read: bool) -> None:
    """``fields`` as a card read fills them, not to be typed over (``read``), or open for typing again: an ID
    number's 输入X key (:func:`with_x_key`) with them, which would add an X to the card's number."""
    for field in fields:
        field.setReadOnly(read)
        key = getattr(field, "x_key", None)
        if isinstance(key, QPushButton):
            key.setEnabled(not read)


def show_card_number(field: QLineEdit, number: str) -> None:
    """An ID number read from a card, shown masked (330726********0883): a kiosk's screen is read by whoever stands
    behind the citizen, and the card's number needs no checking by eye. :func:`number_in` gives it back whole."""
    from desktop.domain.identity import mask_id_number

    field.setText(mask_id_number(number))
    field.setCursorPosition(0)


def number_in(field: QLineEdit, card: object | None) -> str:
    """The ID number ``field`` stands for: the ``card``'s where the field shows it as read (masked, not to be typed
    over: :func:`show_card_number`), else what was typed."""
    from desktop.domain.identity import mask_id_number

    number = str(getattr(card, "id_number", "") or "")
    if number and field.isReadOnly() and field.text() == mask_id_number(number):
        return number
    return field.text()


class Scrolling(QScrollArea):
    """A screen's scroll area, whose least height counts the kiosk's scroll bar as the style draws it.

    Qt's least height for a scroll area holds its vertical bar's hint, which counts two arrow buttons each as
    long as the bar is wide; the kiosk's bar has none (its style gives them no height). With 大字 the bar is
    84 px wide and the area asked for 250 px, more than the 236 a landscape screen has left above the on-screen
    keyboard, and the page scrolled as a whole beside the screen's own bar.
    """

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        bar = self.verticalScrollBar()
        arrows = 2 * bar.sizeHint().width()
        return QSize(hint.width(), max(hint.height() - arrows, 0))


def scrolling(page: QWidget) -> QScrollArea:
    """``page`` in a frameless scroll area that resizes it to its width."""
    scroll = Scrolling()
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setWidget(page)
    return scroll


#: The ``objectName`` of a kiosk screen's white panel (:func:`panel`), whose rows are the screen's rows too.
PANEL = "panel"


def row_spans(layout: QLayout) -> list[tuple[int, int]]:
    """The rows ``layout`` lays out, top to bottom, each as (top, bottom) in its widget's coordinates: a grid's
    rows (a caption and its field), a column's items one by one (its own rows within, a white panel's too: see
    :func:`panel`), side-by-side items' rows as the bands no item crosses (two columns of fields: a caption beside
    a caption), anything else as one."""
    if isinstance(layout, QGridLayout):
        rows = []
        for row in range(layout.rowCount()):
            rect = QRect()
            for column in range(layout.columnCount()):
                item = layout.itemAtPosition(row, column)
                if item is not None and not item.isEmpty():
                    rect = rect.united(item.geometry())
            if not rect.isEmpty():
                rows.append((rect.top(), rect.bottom() + 1))
        return rows
    if isinstance(layout, QBoxLayout):
        spans: list[tuple[int, int]] = []
        for index in range(layout.count()):
            item = layout.itemAt(index)
            if item is None or item.isEmpty() or item.spacerItem() is not None:
                continue
            inner = item.layout()
            rect = item.geometry()
            widget = item.widget()
            if inner is None and widget is not None and widget.objectName() == PANEL and widget.layout() is not None:
                panel_layout = widget.layout()
                assert panel_layout is not None
                top = widget.y()
                spans.extend((top + above, top + below) for above, below in row_spans(panel_layout))
                continue
            spans.extend(row_spans(inner) if inner is not None else [(rect.top(), rect.bottom() + 1)])
        if layout.direction() in (QBoxLayout.Direction.TopToBottom, QBoxLayout.Direction.BottomToTop):
            return spans
        bands: list[tuple[int, int]] = []  # side by side: where one item's rows overlap another's, one band
        for top, bottom in sorted(spans):
            if bands and top < bands[-1][1]:
                bands[-1] = (bands[-1][0], max(bands[-1][1], bottom))
            else:
                bands.append((top, bottom))
        return bands
    rect = layout.geometry()
    return [] if rect.isEmpty() else [(rect.top(), rect.bottom() + 1)]


class WholeRows(QObject):
    """A scrolling screen's rows (see :func:`row_spans` of its page's layout) seen whole or not at all: a row the
    area's edge cuts is left out of the area's view (its viewport's mask), the room it would take left empty.
    Lying down with the on-screen keyboard up some 240 px are left above it: the form scrolled to the field typed
    in showed a sliver of the next row under it (来访人数's buttons, or the top of 反映问题's field), which read as a
    broken screen. The row with the focus is never left out (the kiosk scrolls it into view whole), nor one taller than
    the area (it is never seen whole)."""

    def __init__(self, area: QScrollArea) -> None:
        super().__init__(area)
        self.area = area
        page = area.widget()
        assert page is not None
        self.page = page
        for watched in (page, area.viewport()):
            watched.installEventFilter(self)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._focus_changed)

    def _focus_changed(self, _old: QWidget | None, _new: QWidget | None) -> None:
        self.update()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.Move, QEvent.Type.Resize, QEvent.Type.Show, QEvent.Type.LayoutRequest):
            self.update()
        return False

    def cut_rows(self) -> list[tuple[int, int]]:
        """The rows the area's edges cut now, in its viewport's coordinates (the focus's row not among them)."""
        layout = self.page.layout()
        view = self.area.viewport()
        if layout is None or not self.area.isVisible():
            return []
        shift = self.page.y()
        focus = QApplication.focusWidget()
        held = None
        if focus is not None and self.page.isAncestorOf(focus):
            top = focus.mapTo(self.page, QPoint(0, 0)).y()
            held = (top, top + focus.height())
        cut = []
        for top, bottom in row_spans(layout):
            if held is not None and top < held[1] and held[0] < bottom:
                continue
            if bottom - top > view.height():  # never seen whole: its part in view is better than nothing
                continue
            top, bottom = top + shift, bottom + shift
            if bottom > 0 and top < view.height() and (top < 0 or bottom > view.height()):
                cut.append((top, bottom))
        return cut

    def update(self) -> None:
        import shiboken6

        if not shiboken6.isValid(self.area):
            return
        view = self.area.viewport()
        cut = self.cut_rows()
        if not cut:
            if not view.mask().isEmpty():
                view.clearMask()
            return
        shown = QRegion(view.rect())
        for top, bottom in cut:
            shown -= QRegion(0, top, view.width(), bottom - top)
        if shown != view.mask():
            view.setMask(shown)


def into_view(field: QWidget, *then: QWidget) -> None:
    """Once the layout has taken in a refusal's message: scroll each scroll area around ``field`` so that the
    widgets ``then`` (the fields under it on its screen) and, last and above all, ``field`` itself are seen.

    The message appearing takes height from the screen above it: the field after the one at fault was cut in
    half by it (the phone field under a wrong ID number), or the field at fault itself went out of view.
    """

    def scroll() -> None:
        # the message's height taken now (its layout request may still be waiting), from the window inwards
        chain: list[QWidget] = []
        parent = field.parentWidget()
        while parent is not None:
            chain.append(parent)
            parent = parent.parentWidget()
        for widget in reversed(chain):
            layout = widget.layout()
            if layout is not None:
                layout.activate()
        for widget in (*then, field):
            parent = widget.parentWidget()
            while parent is not None:
                inner = parent.widget() if isinstance(parent, QScrollArea) else None
                if isinstance(parent, QScrollArea) and inner is not None and inner.isAncestorOf(widget):
                    # the whole widget, not its cursor (which is all ensureWidgetVisible keeps in view of a field)
                    top = widget.mapTo(inner, QPoint(0, 0)).y()
                    bar, room = parent.verticalScrollBar(), parent.viewport().height()
                    if top + widget.height() > bar.value() + room:
                        bar.setValue(top + widget.height() - room + 8)
                    if top < bar.value():
                        bar.setValue(top - 8)
                parent = parent.parentWidget()

    later(field, 0, scroll)


class HangingRows(QWidget):
    """Rows of text, each after its mark (a bullet •, a number 1.), a wrapped row's lines all under its first
    character, not under its mark: one label of ``• …`` or ``1. …`` lines began each wrapped line at the mark's
    left, and the items ran together (进度查询's 接下来, 办事指南's rights, duties and 六个不得). A row without a mark
    takes the whole width (an introduction).

    ``text()`` is the rows as one label would have shown them (``mark text``, ``separator`` between them)."""

    BULLET = "•"

    def __init__(self, name: str = "", *, separator: str = "\n", gap: int = 0) -> None:
        super().__init__()
        self.name = name  # the object name of each part (a kiosk style's text size)
        self.separator = separator
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(0)  # the mark's own space after it, in the text's size (大字 too)
        self.grid.setVerticalSpacing(gap)
        self.grid.setColumnStretch(1, 1)
        #: Each row's (mark, label); the mark "" where the row has none.
        self.rows: list[tuple[str, QLabel]] = []

    @property
    def items(self) -> list[QLabel]:
        """Each row's text."""
        return [shown for _mark, shown in self.rows]

    def set_items(self, lines: list[str] | tuple[str, ...]) -> None:
        """``lines`` each after a bullet, broken at their punctuation as the rest of the page."""
        from ui.common.widgets import Phrases

        self.set_rows([(self.BULLET, Phrases.clauses(line)) for line in lines])

    def set_rows(self, rows: list[tuple[str, str]]) -> None:
        """``rows`` of (mark, text): a :class:`Phrases` breaks between its phrases, a plain text is a paragraph
        (:meth:`Phrases.paragraph`: between its words, 上一级 / 机关, never 上一 / 级机关)."""
        from ui.common.widgets import Phrases

        while self.grid.count():
            item = self.grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()
                widget.deleteLater()
        for row in range(self.grid.rowCount()):
            self.grid.setRowStretch(row, 0)
        self.rows = []
        for row, (mark, line) in enumerate(rows):
            text = label(line if isinstance(line, Phrases) else Phrases.paragraph(line), self.name)
            if mark:
                marker = label(f"{mark}\u00a0", self.name)
                marker.setWordWrap(False)
                self.grid.addWidget(marker, row, 0, Qt.AlignmentFlag.AlignTop)
                self.grid.addWidget(text, row, 1)
            else:
                self.grid.addWidget(text, row, 0, 1, 2)
            self.rows.append((mark, text))
        self.grid.setRowStretch(len(rows), 1)  # the rows at the top of a taller room
        self.updateGeometry()

    def text(self) -> str:
        # what the labels show (nothing once the kiosk has wiped them for the next citizen)
        return self.separator.join(f"{mark} {shown}" if mark else shown
                                   for mark, item in self.rows if (shown := item.text()))


class WrappingButton(QPushButton):
    """A button whose words wrap within its width, between the clauses of its text where they fit, in the button's
    own font and colours (大字, 高对比, its style's name): a button's text does not wrap, and a long theme of 人民建议
    (优化营商环境，提升政务服务便利度，…（征集至…）) made every choice as wide as itself, past a portrait screen's
    edge, the screen scrolling sideways and the words cut.

    ``words`` is what it says whole (its accessible name too), broken between its :class:`Phrases` if it is one,
    else between its clauses; ``text()`` has the line breaks of its width now."""

    def __init__(self, words: str, name: str = "") -> None:
        super().__init__()
        if name:
            self.setObjectName(name)
        self.words = words
        self.setAccessibleName(words)
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.setText(words)

    def _outer(self, inner: QSize) -> QSize:
        """The button's size around text of ``inner`` size (its style's padding and border)."""
        from PySide6.QtWidgets import QStyle, QStyleOptionButton

        option = QStyleOptionButton()
        self.initStyleOption(option)
        return self.style().sizeFromContents(QStyle.ContentsType.CT_PushButton, option, inner, self)

    def broken(self, width: int) -> str:
        """The words with a line break wherever the next clause (or, in a clause wider than a line, the next
        character) would pass ``width``, the button's width."""
        from ui.common.widgets import Phrases

        metrics = self.fontMetrics()
        room = max(width - self._outer(QSize(0, metrics.height())).width(), metrics.horizontalAdvance("字"))
        lines: list[str] = []
        line = ""
        words = self.words
        for part in (words if isinstance(words, Phrases) else Phrases.clauses(words)).phrases or (words,):
            if metrics.horizontalAdvance(line + part) <= room:
                line += part
                continue
            if line:
                lines.append(line)
                line = ""
            for char in part:  # a clause wider than the line: as Qt would break it, between two characters
                if line and metrics.horizontalAdvance(line + char) > room:
                    lines.append(line)
                    line = ""
                line += char
        lines.append(line)
        return "\n".join(lines)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        lines = self.broken(width).count("\n") + 1
        inner = QSize(0, lines * self.fontMetrics().lineSpacing())
        return max(self._outer(inner).height(), self.minimumHeight())

    def sizeHint(self) -> QSize:
        metrics = self.fontMetrics()
        width = self._outer(QSize(metrics.horizontalAdvance(self.words), metrics.height())).width()
        return QSize(width, self.heightForWidth(width))

    def minimumSizeHint(self) -> QSize:
        metrics = self.fontMetrics()
        width = self._outer(QSize(metrics.horizontalAdvance("字" * 4), metrics.height())).width()
        return QSize(width, max(self._outer(QSize(0, metrics.lineSpacing())).height(), self.minimumHeight()))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        text = self.broken(self.width())
        if text != self.text():
            self.setText(text)
            self.updateGeometry()


def panel(lead: str = "", *, spacing: int | None = 14) -> tuple[QFrame, QVBoxLayout]:
    """A kiosk screen's white panel (``QFrame#panel`` in the kiosk's style) and its layout.

    ``lead``: a first line telling the citizen what this screen asks; ``spacing`` None keeps the style's.
    """
    frame = QFrame()
    frame.setObjectName(PANEL)
    layout = QVBoxLayout(frame)
    layout.setContentsMargins(32, 24, 32, 24)
    if spacing is not None:
        layout.setSpacing(spacing)
    if lead:
        layout.addWidget(label(lead, "subtitle"))
    return frame, layout


class StartOver(QPushButton):
    """清空重写 for a long text box: the on-screen keyboard deletes one character a tap, and a citizen who has
    made a muddle of a long text (or had a scanner type into it) would tap hundreds of times. The text goes
    in one step that the button, now 恢复刚才写的, takes back until the citizen writes again."""

    CLEAR, RESTORE = "清空重写", "恢复刚才写的"

    def __init__(self, box: QPlainTextEdit) -> None:
        super().__init__(self.CLEAR)
        self.setObjectName("secondary")
        # for a finger only: out of the keyboard's focus chain (Tab from the box went to it, and a Space there
        # emptied the box); a tap leaves the box its focus and the on-screen keyboard up, to write again at once
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setProperty("typing", True)
        box.setTabChangesFocus(True)  # Tab goes on to the next field or the screen's button, as in every kiosk box
        self.box = box
        self._restoring = False
        self._ours = False
        box.textChanged.connect(self._edited)
        self.clicked.connect(self._press)
        self._edited()

    def _press(self) -> None:
        self._ours = True
        if self._restoring:
            self.box.undo()
        else:
            cursor = self.box.textCursor()
            cursor.select(QTextCursor.SelectionType.Document)
            cursor.removeSelectedText()  # one step of the box's own undo history (the idle wipe clears it)
        self._ours = False
        self._restoring = not self._restoring
        self._show()

    def _edited(self) -> None:
        if not self._ours:
            self._restoring = False  # written again: what was cleared stays gone
        self._show()

    def _show(self) -> None:
        self.setText(self.RESTORE if self._restoring else self.CLEAR)
        self.setEnabled(self._restoring or bool(self.box.toPlainText()))


def length_count(box: QPlainTextEdit, limit: int) -> QLabel:
    """How much ``box`` holds against ``limit``, as it is written: 已写120字，最多5000字, in red with 请删去N字 past it,
    counted as the services count (``texts.length_words``). For :func:`caption_row`: it stands at the right of its
    box's caption, which takes the height anyway, and costs the screen none of its own (under 清空重写
    its lines took the room of the screen's question lying down with 大字 and the keyboard up)."""
    from desktop.domain.texts import length_words
    from ui.common.widgets import Phrases

    count = label("", "hint")  # one line where the row has room; between its phrases where it has not (standing up)
    count.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom)

    def counted() -> None:
        words, over = length_words(box.toPlainText(), limit)
        count.setText(Phrases.of(words))
        if bool(count.property("over")) != over:  # red past the limit; no frame, no padding: the same height
            count.setProperty("over", over)
            count.style().unpolish(count)
            count.style().polish(count)

    box.textChanged.connect(counted)
    counted()
    return count


def caption_row(caption: QLabel, extra: QWidget) -> QHBoxLayout:
    """A box's caption (what the screen or the box asks for) with ``extra`` at its right, level with its last line:
    one row, as tall as the caption. The kiosk takes the caption, the row's first label, as what the box asks for
    (ui/kiosk/shell.py keeps it in view with the box)."""
    row = QHBoxLayout()
    row.setSpacing(24)
    row.addWidget(caption, 1)
    # at the right by its own alignment, not the layout's: aligned by the layout it got the width it asks for
    # (two lines) and the height of the whole row's width (one line) where the caption gives its room over the
    # keyboard, its first line cut off (人民建议's 已写5000字，最多3000字，over 请删去2000字)
    row.addWidget(extra, 0, Qt.AlignmentFlag.AlignBottom)
    return row


class Beside(QBoxLayout):
    """A long text box with its :class:`StartOver`: at its right, level with its first line, where the screen
    is wide (no height taken from the box: with the on-screen keyboard up a landscape screen has some 450 px
    for the caption, the box and 下一步); above it at the right where it is narrow (a portrait screen has
    height to spare, and the box keeps its width). How much is written stands on the caption's row
    (:func:`length_count`, :func:`caption_row`), not here: under 清空重写 its three lines past the limit were taller
    than the box over the keyboard lying down, and the screen scrolled beside the box."""

    #: Narrower than this (px), the button goes above the box.
    NARROW = 1200

    def __init__(self, box: QPlainTextEdit) -> None:
        super().__init__(QBoxLayout.Direction.LeftToRight)
        #: Narrower than this the button goes above; a screen that gives the box part of its width sets 0.
        self.narrow = self.NARROW
        self.addWidget(box, 1)
        column = QVBoxLayout()
        column.addWidget(StartOver(box), 0, Qt.AlignmentFlag.AlignRight)
        column.addStretch(1)
        self.addLayout(column)

    def setGeometry(self, rect: QRect) -> None:
        wanted = (QBoxLayout.Direction.BottomToTop if rect.width() < self.narrow
                  else QBoxLayout.Direction.LeftToRight)
        if self.direction() != wanted:
            self.setDirection(wanted)
        super().setGeometry(rect)


class WhenWide(QBoxLayout):
    """Its items side by side where the window is wide enough (lying down), one under the other where it is narrow
    (standing up)."""

    #: Narrower than this (px), the items go one under the other.
    NARROW = 1200

    def __init__(self) -> None:
        super().__init__(QBoxLayout.Direction.LeftToRight)
        #: One under the other also while this says so (the screen's width taken by something beside it).
        self.stack_when: Callable[[], bool] | None = None

    @property
    def beside(self) -> bool:
        return self.direction() == QBoxLayout.Direction.LeftToRight

    def setGeometry(self, rect: QRect) -> None:
        # The window's width, not the room given: inside a scroll area the room is at least what the items need
        # side by side, and with 大字 the fields once stood side by side standing up, cut at the screen's edge.
        holder = self.parentWidget()
        width = holder.window().width() if holder is not None else rect.width()
        narrow = width < self.NARROW or (self.stack_when is not None and self.stack_when())
        wanted = QBoxLayout.Direction.TopToBottom if narrow else QBoxLayout.Direction.LeftToRight
        if self.direction() != wanted:
            self.setDirection(wanted)
            self.turned()
        super().setGeometry(rect)

    def turned(self) -> None:
        """What changes with the direction besides it (nothing here)."""


class ButtonsBeside(QBoxLayout):
    """A flow's screens (and its message) above its row of buttons (上一步 … 下一步); while the on-screen keyboard
    is up on a landscape screen (see :meth:`set_beside`) the buttons stand at the right of the screens, one
    above the other, 下一步 at the bottom. A landscape screen has some 260 px left above the keyboard with
    large text and its row of candidates: too little for a field, what it asks for and a row of buttons."""

    def __init__(self, screens: QWidget, message: QWidget, buttons: QBoxLayout, spacing: int = 16,
                 on_beside: Callable[[bool], None] | None = None, message_under: bool = False) -> None:
        super().__init__(QBoxLayout.Direction.TopToBottom)
        #: Told when the buttons go beside the screens and back (a screen that lays itself out tighter then).
        self.on_beside = on_beside
        #: While the buttons stand beside the screens the message stays under the screens, not between them and
        #: the buttons: for a screen that needs its width more than a line or two of height (a long text box with
        #: 清空重写 beside it, which a refusal beside the screen squeezed to some 870 px with 大字: 清空重写 went above
        #: the box, and the screen scrolled sideways). Such a screen makes the height (its captions give theirs).
        #: Set as the screens change (:meth:`set_message_under`).
        self.message_under = message_under
        self.setSpacing(spacing)
        column = QVBoxLayout()
        column.setSpacing(spacing)
        column.addWidget(screens, 1)
        column.addWidget(message)
        self.addLayout(column, 1)
        self.addLayout(buttons)
        self.buttons = buttons
        self.column = column
        self.message = message

    @property
    def beside(self) -> bool:
        return self.direction() == QBoxLayout.Direction.LeftToRight

    def set_beside(self, on: bool) -> None:
        if on == self.beside:
            return
        self.setDirection(QBoxLayout.Direction.LeftToRight if on else QBoxLayout.Direction.TopToBottom)
        self.buttons.setDirection(QBoxLayout.Direction.TopToBottom if on else QBoxLayout.Direction.LeftToRight)
        self._place_message()
        # one above the other, the buttons lose their padding (no less than a finger's target): two of them in
        # large text took 244 px of the 236 left above the keyboard with its row of candidates, and the page
        # scrolled beside the screen's own scroll bar; the buttons of a row within the column too (人民建议's
        # 匿名提交 and 署名提交 kept theirs, and its column of buttons was 248 px high)
        for button in _buttons_in(self.buttons):
            button.setProperty("beside", on)
            style = button.style()
            style.unpolish(button)
            style.polish(button)
            button.updateGeometry()
        if self.on_beside is not None:
            self.on_beside(on)

    def set_message_under(self, under: bool) -> None:
        """The message under the screens while the buttons stand beside them (``under``: the screen shown needs its
        width), or between the screens and the buttons (see :attr:`message_under`)."""
        self.message_under = under
        self._place_message()

    def _place_message(self) -> None:
        # lying down above the keyboard the message stands between the screens and the buttons, not under the
        # screens: with 大字 the field's caption, the field and a refusal under them are taller than the 236 px
        # left, and the page scrolled as a whole (the refusal half hidden, a second scroll bar). A screen that
        # needs its width more keeps it under (message_under), and makes the height.
        aside = self.beside and not self.message_under
        if aside and self.column.indexOf(self.message) >= 0:
            self.column.removeWidget(self.message)
            self.insertWidget(1, self.message, 2, Qt.AlignmentFlag.AlignTop)
            self.setStretch(0, 3)
        elif not aside and self.indexOf(self.message) >= 0:
            self.removeWidget(self.message)
            self.column.addWidget(self.message)
            self.setStretch(0, 1)


class RoomForRefusal(QObject):
    """Lying down above the keyboard (some 240 px with 大字) a refusal, under a long box's screen across its width,
    takes the room of ``givers`` (the box's captions and counts: the refusal says what the box lacks), not the
    screen's width: 清空重写 stays beside the box. They come back with the keyboard gone, or the refusal.

    ``givers`` is read each time: a flow may add to the list as it builds its screens."""

    def __init__(self, flow: QWidget, message: QLabel, givers: list[QWidget]) -> None:
        super().__init__(flow)
        self.flow, self.message, self.givers = flow, message, givers
        #: The on-screen keyboard is up lying down (the buttons beside the screens: :class:`ButtonsBeside`).
        self.typing_beside = False
        message.installEventFilter(self)

    def set_typing_beside(self, on: bool) -> None:
        self.typing_beside = on
        self.update()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.Show, QEvent.Type.Hide):
            self.update()
        return False

    def update(self) -> None:
        refused = self.typing_beside and self.message.isVisibleTo(self.flow) and bool(self.message.text())
        changed = False
        for widget in self.givers:
            if widget.isHidden() != refused:
                widget.setHidden(refused)
                changed = True
        if changed:
            refit_soon(self.flow)  # the box gives some of its lines


def refit_soon(flow: QWidget) -> None:
    """Once ``flow`` has laid out what it just moved or hid, the kiosk lays the room above the keyboard out again
    and keeps the field typed in (with its caption) in view."""
    kiosk = flow.parentWidget()
    while kiosk is not None and not hasattr(kiosk, "keep_focus_in_view"):
        kiosk = kiosk.parentWidget()
    if kiosk is not None:
        later(flow, 0, kiosk.keep_focus_in_view)


def _buttons_in(layout: QLayout) -> list[QPushButton]:
    """The push buttons in ``layout`` and in the layouts within it."""
    found: list[QPushButton] = []
    for index in range(layout.count()):
        item = layout.itemAt(index)
        if item is None:
            continue
        widget, inner = item.widget(), item.layout()
        if isinstance(widget, QPushButton):
            found.append(widget)
        elif inner is not None:
            found.extend(_buttons_in(inner))
    return found
