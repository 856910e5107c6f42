"""An error on a kiosk flow goes once the citizen acts on it: edits a field or makes a choice.

A complaint left on the screen after the citizen has done something about it reads as a new one
(请先点选“满意”… still there under 不满意, chosen). A notice or a confirmation stays: only an error goes.

A message line with the property ``holdsRoom`` keeps its room, empty, while the citizen corrects the field: its
going took the height the screen had given it, the fields moved under the finger (standing up with 大字 some
110 px, and the tap aimed at 输入X after a backspace landed in the ID number). The room goes with the line's next
word: a new message, or the screen's own clearing as it changes.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QAbstractButton, QButtonGroup, QLabel, QLineEdit, QPlainTextEdit, QWidget

from ui.common.widgets import set_tone


def settle_on_action(flow: QWidget) -> None:
    """Take the errors off ``flow``'s message lines when the citizen edits one of its fields or makes a choice.

    The message lines are the flow's ``message`` and every other message label in it (a screen may have its
    own, as the rating's has). A choice is the press of a checkable button (满意, a town, 我已阅读): through its
    button group, so the choices a group gets later (the towns, read after the flow opened) count too. The
    press comes before the button's own handler, which may say something new.
    """
    lines = flow.findChildren(QLabel, "message")
    message = getattr(flow, "message", None)
    if isinstance(message, QLabel) and message not in lines:
        lines.append(message)
    if not lines:
        return

    def settle(*_args: object) -> None:
        for line in lines:
            if line.property("tone") == "error":
                if line.property("holdsRoom") and line.isVisible():
                    _hold_room(line)
                else:
                    set_tone(line, "", "")

    for field in flow.findChildren(QLineEdit):
        field.textEdited.connect(settle)
    for box in flow.findChildren(QPlainTextEdit):
        box.textChanged.connect(settle)
    for group in flow.findChildren(QButtonGroup):
        group.buttonPressed.connect(settle)
    for button in flow.findChildren(QAbstractButton):
        if button.isCheckable() and button.group() is None:
            button.pressed.connect(settle)


class _Room(QObject):
    """An emptied message line's height, held until the line is told something again or hidden."""

    def __init__(self, line: QLabel) -> None:
        super().__init__(line)
        self.line = line
        self.height = line.minimumHeight()
        line.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.Hide or (kind == QEvent.Type.DynamicPropertyChange
                                        and bytes(event.propertyName().data()) == b"tone"):  # type: ignore[attr-defined]
            self.line.removeEventFilter(self)
            self.line.setMinimumHeight(self.height)
            self.deleteLater()
        return False


def _hold_room(line: QLabel) -> None:
    """``line``'s error gone, its words with it, its height kept (see the module's note)."""
    height = line.height()
    set_tone(line, "")  # its colours and frame go; the words after, the line still shown
    line.clear()
    _Room(line)  # the line's own least height noted first, to be given back
    line.setMinimumHeight(height)
