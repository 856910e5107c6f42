"""返回首页 with a half-done form: the kiosk asks before it throws away what the citizen typed or chose.

One stray tap on the corner button at step 6 of 8 must not erase everything. While the open flow holds
something of the citizen's — a text field not empty, an option chosen since the flow opened — 返回首页
asks 要放弃已填写的内容，返回首页吗？ over the page, in the kiosk's own style (its large text and high
contrast, buttons a finger hits), 继续填写 first and the default. A flow showing its own way home (its
完成 on the last screen) or holding nothing goes home at once. The idle wipe never asks, and takes the
question away with everything else.

Built when first needed: the home screen's first frame does without it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from ui.common.widgets import Phrases, label, secondary_button, set_tone
from ui.kiosk.veil import Veil

#: The question, on screen and said aloud (its parts kept whole on a line), and its button that leaves.
HEADING = "要放弃|已填写的内容，|返回首页吗？"
QUESTION = HEADING.replace("|", "")
LEAVE = "放弃并返回首页"
#: What 放弃 would do, under the question.
TEXT = "放弃后，|您在这里填写和选择的内容|将全部清除"
#: The flows' own buttons that end them (完成 on the last screen; the guide's 返回首页): shown, nothing is lost.
END_BUTTONS = ("done_button", "thanks_done", "done")


#: What the citizen can change in a flow, each as it stands: a field's text, whether a button is checked.
Snapshot = dict[QWidget, "str | bool"]
#: A field's property: what it holds has done its work and is no one's to lose (查询进度's case number and query code
#: once their case is shown — they are on the receipt): 返回首页 from the rating asked 要放弃已填写的内容？ over them.
DONE = "inputDone"


def snapshot(flow: QWidget) -> Snapshot:
    """The flow's fields and checkable buttons as they are now (as the flow sets them up: its own defaults, a
    spin box's 1, a number a scan brought)."""
    state: Snapshot = {}
    for field in flow.findChildren(QLineEdit):
        if not field.property(DONE):
            state[field] = field.text()
    for box in flow.findChildren(QPlainTextEdit) + flow.findChildren(QTextEdit):
        state[box] = box.toPlainText()
    for button in flow.findChildren(QAbstractButton):
        if button.isCheckable():
            state[button] = button.isChecked()
    return state


def at_its_end(flow: QWidget) -> bool:
    """Whether the flow shows its own way out: its work is done (the receipt, the answer) or there is none."""
    for name in END_BUTTONS:
        button = getattr(flow, name, None)
        if isinstance(button, QAbstractButton) and button.isVisible():
            return True
    return False


def holds_input(flow: QWidget, at_open: Snapshot) -> bool:
    """Whether leaving ``flow`` now would throw away something the citizen typed or chose: a field's text or a
    button's check (a town, 同意, a rating, the number of people) not as the flow had it when it opened."""
    for widget, now in snapshot(flow).items():
        before = at_open.get(widget, False if isinstance(now, bool) else "")
        if isinstance(now, str) and isinstance(before, str):
            if now.strip() != before.strip():
                return True
        elif now != before:
            return True
    return False


class LeaveQuestion(Veil):
    """Covers the kiosk's page: 要放弃已填写的内容，返回首页吗？ with 继续填写 and 放弃并返回首页.

    A tap beside the card counts as 继续填写: nothing is ever lost by missing a button.
    """

    #: 继续填写 (or a tap beside the card).
    stay = Signal()
    #: 放弃并返回首页.
    leave = Signal()

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        # a narrow screen breaks the line after the comma, never inside 返回首页
        self.heading = label(Phrases(HEADING), "title", centred=True)
        self.text = label(Phrases(TEXT), "subtitle", centred=True)
        self.keep = QPushButton("继续填写")
        self.keep.setDefault(True)
        self.drop = secondary_button(LEAVE)
        for button in (self.keep, self.drop):
            # the field being typed in keeps the focus (and its keyboard comes back with 继续填写)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.buttons = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.buttons.setSpacing(32)
        self.buttons.addWidget(self.drop, 1)
        self.buttons.addWidget(self.keep, 1)
        layout = QVBoxLayout(self.card)
        layout.setContentsMargins(48, 48, 48, 48)
        layout.setSpacing(32)
        layout.addStretch(1)
        layout.addWidget(self.heading)
        layout.addWidget(self.text)
        layout.addLayout(self.buttons)
        layout.addStretch(1)
        self.keep.clicked.connect(self.stay)
        self.drop.clicked.connect(self.leave)

    def ask(self, heading: str = "", leave: str = "") -> None:
        """Ask ``heading`` (parts between |) with ``leave`` on the button that leaves; 返回首页's by default."""
        self.heading.setText(Phrases(heading or HEADING))
        self.drop.setText(leave or LEAVE)
        set_tone(self.text, "", Phrases(TEXT))

    def refuse(self, message: str) -> None:
        """``message`` (a code scanned that is not a receipt's) said on the card in place of what 放弃 clears: the
        question stays, unanswered."""
        set_tone(self.text, "error", Phrases.clauses(message))
        self.place()  # the card grows to the words

    def place(self) -> None:
        """Over the whole page; the card in the middle, its buttons one above the other on a narrow screen."""
        parent = self.parentWidget()
        if parent is None:
            return
        narrow = parent.width() < parent.height()
        # standing up: 继续填写 on top, the larger target nearer the hand
        self.buttons.setDirection(QBoxLayout.Direction.BottomToTop if narrow else QBoxLayout.Direction.LeftToRight)
        self.place_card()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.stay.emit()
        event.accept()
