"""办事指南: rights, obligations, the six prohibited behaviours, time limits, who handles what — short plain screens."""

from __future__ import annotations

import re

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QBoxLayout,
    QButtonGroup,
    QPushButton,
    QSizePolicy,
    QWidget,
)

from desktop.documents.templates import TEXTS
from desktop.domain.deadlines import DayCounting
from desktop.domain.guide import time_limits
from ui.common.widgets import label, secondary_button
from ui.kiosk.screens import HangingRows, panel, scrolling
from ui.shell.context import WorkContext


def _numbered(text: str) -> str:
    return "\n\n".join(f"{i}. {line}" for i, line in enumerate(text.splitlines(), 1))



WHO = "\n\n".join((
    "属地管理、分级负责：您反映的问题一般由问题发生地、有权处理的机关或单位办理。",
    "本大厅登记后，会把事项转送或交办给有权处理的部门，并告诉您是哪个部门。",
    "依法应当通过诉讼、仲裁、行政复议等法定途径解决的，工作人员会告诉您向哪里提出。",
    "检举、控告的材料不会转给被检举、控告的人或单位。",
    "不清楚找谁？请到接待窗口，工作人员当面帮您确定。",
))

#: A numbered paragraph: its number, and its text.
_NUMBERED = re.compile(r"(\d+)\.\s+(.*)", re.DOTALL)


def paragraphs(text: str) -> list[tuple[str, str]]:
    """``text``'s paragraphs (a blank line between them), each as (its number with its dot, or "", its text)."""
    rows: list[tuple[str, str]] = []
    for paragraph in text.split("\n\n"):
        numbered = _NUMBERED.fullmatch(paragraph.strip())
        rows.append((f"{numbered[1]}.", numbered[2]) if numbered else ("", paragraph.strip()))
    return rows


def topics(counting: DayCounting) -> tuple[tuple[str, str], ...]:
    """The guide's topics; the time limits as the hall counts them (setting ``day_counting``)."""
    return (
        ("您的权利", _numbered(TEXTS["rights.rights"])),
        ("您的义务", _numbered(TEXTS["rights.duties"])),
        ("六个不得", TEXTS["rights.prohibited_intro"] + "\n\n" + _numbered(TEXTS["rights.prohibited"])),
        ("办理时限", time_limits(counting)),
        ("由谁办理", WHO),
    )


class GuideFlow(QWidget):
    """One button per topic, the topic's text beside (landscape) or below (portrait) them."""

    finished = Signal()

    def __init__(self, ctx: WorkContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("page")
        self.texts = topics(DayCounting(ctx.settings.day_counting))
        from PySide6.QtWidgets import QGridLayout

        self.topics = QButtonGroup(self)
        self.menu_grid = QGridLayout()
        self.menu_grid.setSpacing(16)
        self.buttons: list[QPushButton] = []
        for index, (title, _text) in enumerate(self.texts):
            button = QPushButton(title)
            button.setObjectName("choice")
            button.setCheckable(True)
            self.topics.addButton(button, index)
            self.buttons.append(button)
        self.done = secondary_button("返回首页")
        self.menu = QWidget()
        self.menu.setLayout(self.menu_grid)
        self._place_menu(columns=1)
        self.title = label("", "title")
        # a paragraph a row; a numbered one's wrapped lines under its text, not under its number
        self.text = HangingRows(separator="\n\n", gap=20)
        frame, inner = panel(spacing=None)
        inner.addWidget(self.title)
        area = scrolling(self.text)
        # the room the panel has, scrolled within: its rows' own height (one label each) asked for more than a
        # landscape screen has with 大字, and the page scrolled as a whole beside the text's scroll bar
        area.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Ignored)
        inner.addWidget(area, 1)
        self.box = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        self.box.setContentsMargins(48, 24, 48, 24)
        self.box.setSpacing(32)
        self.box.addWidget(self.menu, 1)
        self.box.addWidget(frame, 3)
        self.topics.idClicked.connect(self.show_topic)
        self.done.clicked.connect(self.finished)
        self.buttons[0].setChecked(True)
        self.show_topic(0)

    def show_topic(self, index: int) -> None:
        title, text = self.texts[index]
        self.buttons[index].setChecked(True)
        self.title.setText(title)
        self.text.set_rows(paragraphs(text))

    def _place_menu(self, columns: int) -> None:
        """The topics one a row beside the text (lying down); standing up two a row over it, 返回首页 in the cell
        they leave, so the text has the screen's height (one a row, with 大字, they took some 60% of it)."""
        grid = self.menu_grid
        for widget in (*self.buttons, self.done):
            grid.removeWidget(widget)
        for row in range(grid.rowCount()):
            grid.setRowStretch(row, 0)
        for index, button in enumerate(self.buttons):
            grid.addWidget(button, index // columns, index % columns)
        if columns == 1:
            grid.setRowStretch(len(self.buttons), 1)  # 返回首页 at the bottom
            grid.addWidget(self.done, len(self.buttons) + 1, 0)
        else:
            grid.addWidget(self.done, len(self.buttons) // columns, len(self.buttons) % columns)

    def set_portrait(self, portrait: bool) -> None:
        self._place_menu(columns=2 if portrait else 1)
        self.box.setDirection(QBoxLayout.Direction.TopToBottom if portrait else QBoxLayout.Direction.LeftToRight)
        self.box.setStretch(0, 0 if portrait else 1)
        self.box.setStretch(1, 1 if portrait else 3)
