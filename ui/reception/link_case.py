"""关联信访事项: which of the visitor's own cases a leader-reception booking concerns, or none (不关联).

The leader's 批示 and 包案 are recorded on the case a booking is linked to. The rule links the visitor's latest
unfinished case by itself; here the clerk chooses another of theirs (same ID number), or none. The dialog only
shows what it is handed (read through the task runner by the booking panel) and says what was chosen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QPushButton, QVBoxLayout, QWidget

from desktop.domain.calendar import date_near
from ui.common.widgets import button_row, fill_table, label, read_only_table, secondary_button

if TYPE_CHECKING:
    from desktop.services.reception import VisitorCases


def shortened(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


class LinkCaseDialog(QDialog):
    """The visitor's cases, newest first (number, date in words, 诉求 shortened, state); 关联所选事项 or 不关联."""

    chosen = Signal(str)  # the case number chosen, "" for 不关联

    COLUMNS = ("案件编号", "登记日期", "诉求", "状态")
    REQUEST_LIMIT = 24  # characters of 诉求 in the list; the row's tooltip has it all
    ROWS = 8  # rows seen without scrolling: the dialog stays well inside a 768-high screen

    def __init__(self, found: VisitorCases, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.found = found
        a = found.appointment
        self.setWindowTitle("关联信访事项")
        self.setMinimumWidth(760)
        self.who = label(f"{a.slot_label}　{a.name}（身份证号 {a.id_number}）", "subtitle")
        self.now = label(f"现在：{a.case_in_words}", "hint")
        self.now.setWordWrap(True)
        about = label("以下是该来访人（同一身份证号）作为信访人登记的信访事项。领导接访时的批示、包案记入所关联的事项。"
                      if found.cases else "该来访人（同一身份证号）没有登记过信访事项，只能不关联；"
                      "接访当天为其登记的事项会自动关联。", "hint")
        about.setWordWrap(True)
        self.table = read_only_table(self.COLUMNS)
        fill_table(self.table, [(c.case_number, date_near(c.received_on, found.today),
                                 shortened(c.request, self.REQUEST_LIMIT), c.state) for c in found.cases])
        for row, case in enumerate(found.cases):
            on = date_near(case.received_on, found.today)
            tip = f"{case.case_number}　{on}登记　{case.state}\n诉求：{case.request}"
            for column in range(self.table.columnCount()):
                if (item := self.table.item(row, column)) is not None:
                    item.setToolTip(tip)
        height = self.table.verticalHeader().defaultSectionSize()
        self.table.setFixedHeight((min(self.ROWS, max(1, len(found.cases))) + 1) * height
                                  + 2 * self.table.frameWidth())
        self.table.setVisible(bool(found.cases))
        self.link_button = QPushButton("关联所选事项")
        self.link_button.setObjectName("primary")
        self.link_button.setDefault(True)
        self.none_button = secondary_button("不关联")
        self.none_button.setToolTip("不关联以前的事项：领导的批示、包案记入接访当天为其登记的事项")
        cancel = secondary_button("取消")
        layout = QVBoxLayout(self)
        layout.addWidget(self.who)
        layout.addWidget(self.now)
        layout.addWidget(about)
        layout.addWidget(self.table)
        layout.addLayout(button_row(cancel, self.none_button, self.link_button))
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.table.itemDoubleClicked.connect(lambda _item: self.link_selected())
        self.link_button.clicked.connect(self.link_selected)
        self.none_button.clicked.connect(self.link_none)
        cancel.clicked.connect(self.reject)
        linked = next((i for i, c in enumerate(found.cases) if c.case_number == a.case_number), -1)
        if linked >= 0:
            self.table.selectRow(linked)
        self.link_button.setVisible(bool(found.cases))
        self._selection_changed()

    def _selection_changed(self) -> None:
        self.link_button.setEnabled(0 <= self.table.currentRow() < len(self.found.cases)
                                    and bool(self.table.selectedItems()))

    def select_case(self, case_number: str) -> None:
        """The row of ``case_number`` selected (as a click does)."""
        row = next(i for i, c in enumerate(self.found.cases) if c.case_number == case_number)
        self.table.selectRow(row)

    def link_selected(self) -> None:
        row = self.table.currentRow()
        if self.link_button.isEnabled() and 0 <= row < len(self.found.cases):
            self.chosen.emit(self.found.cases[row].case_number)
            self.accept()

    def link_none(self) -> None:
        self.chosen.emit("")
        self.accept()
