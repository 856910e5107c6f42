"""What a clerk works with at the counter: 登记 (registration) and 事项与期限 (the case desk)."""

from __future__ import annotations

from PySide6.QtWidgets import QTabWidget, QWidget

from ui.cases.search import CaseSearchPanel
from ui.desk.cases import staff_desk
from ui.reception.booking import CounterBookingPanel
from ui.registration.form import RegistrationPanel
from ui.shell.context import WorkContext


class CounterWork(QTabWidget):
    """Registration first (the clerk's main work), the cases and deadlines beside it.

    A case just registered opens in the case desk with one click (办理此事项), where it is
    classified, routed and decided.
    """

    def __init__(self, ctx: WorkContext) -> None:
        super().__init__()
        self.registration = RegistrationPanel(ctx)
        self.desk = staff_desk(ctx)
        self.addTab(self.registration, "登记 (Ctrl+1)")
        self.addTab(self.desk, "事项与期限 (Ctrl+2)")
        self.booking = CounterBookingPanel(ctx)
        self.addTab(self.booking, "领导接访预约 (Ctrl+3)")
        self.registration.open_case.connect(self.open_case)
        from PySide6.QtGui import QKeySequence, QShortcut

        for index, keys in enumerate(("Ctrl+1", "Ctrl+2", "Ctrl+3")):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.activated.connect(lambda i=index: self.setCurrentIndex(i))

    @property
    def search(self) -> CaseSearchPanel:
        panel = self.desk.findChild(CaseSearchPanel)
        assert panel is not None
        return panel

    def open_case(self, case_number: str) -> None:
        self.setCurrentWidget(self.desk)
        self.search.open_number(case_number)


def counter_work(ctx: WorkContext) -> QWidget:
    return CounterWork(ctx)
