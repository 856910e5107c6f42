"""What a citizen at the kiosk is told when something went wrong that no screen took care of.

Staff windows show such a failure in a message box (ui/shell/errors.py). At the kiosk that box was a small
system window with small text, and each failure stacked another on it. Here it is one card over the page, in
the kiosk's own style (its large text and high contrast, a button a finger hits), in a citizen's words: what
happened, that what was typed is still there, and where to go if it happens again. The reference for the
administrator is on it too, small. A failure while the card is shown changes only its reference (the log has
them all). A tap anywhere takes it away.

Built when first needed.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QPushButton, QVBoxLayout, QWidget

from ui.common.widgets import Phrases, label
from ui.kiosk.veil import Veil

HEADING = Phrases("抱歉，|刚才的操作|没有完成")
#: Said of a failure the program did not expect (a refusal says its own words instead).
UNEXPECTED = Phrases("机器出了点问题。|您填写的内容还在，|请再试一次；|如果还不行，|请到接待窗口，|工作人员会帮您办理")


class FailureCard(Veil):
    """Covers the kiosk's page: what went wrong, and 知道了."""

    #: 知道了 (or a tap beside the card).
    closed = Signal()

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.heading = label(HEADING, "title", centred=True)
        self.text = label("", "subtitle", centred=True)
        self.reference = label("", "hint", centred=True)
        self.ok = QPushButton("知道了")
        self.ok.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the field typed in keeps the focus
        self.ok.setMinimumWidth(480)
        layout = QVBoxLayout(self.card)
        layout.setContentsMargins(48, 48, 48, 48)
        layout.setSpacing(28)
        layout.addStretch(1)
        layout.addWidget(self.heading)
        layout.addWidget(self.text)
        layout.addWidget(self.reference)
        layout.addWidget(self.ok, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(1)
        self.ok.clicked.connect(self._close)

    def tell(self, message: str, reference: str) -> None:
        """Show ``message`` (a refusal's own words) or, for an unexpected failure, the kiosk's, with ``reference``."""
        self.text.setText(Phrases.clauses(message) if message else UNEXPECTED)
        self.reference.setText(f"参考号 {reference}（供工作人员查看）" if reference else "")
        self.reference.setVisible(bool(reference))

    def place(self) -> None:
        """Over the whole page; the card in the middle, as tall as its words."""
        self.place_card()

    def _close(self) -> None:
        self.hide()
        self.closed.emit()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._close()
        event.accept()
