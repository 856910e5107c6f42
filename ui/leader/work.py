"""What a leader works with: the reception day first, then the cases taken on, the schedule, the case desk."""

from __future__ import annotations

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QLabel, QTabWidget, QWidget

from ui.common.widgets import focus_first, set_tone
from ui.desk.cases import CaseDesk, staff_desk
from ui.printing.preview import PrintPreviewDialog
from ui.reception.after import LeaderBoardPanel, SchedulePanel
from ui.reception.day import LeaderDayScreen
from ui.shell.context import WorkContext


class LeaderWork(QTabWidget):
    """今日接访 · 包案与积案 · 接访安排 · 事项与期限; documents open in the print preview."""

    def __init__(self, ctx: WorkContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.day = LeaderDayScreen(ctx)
        self.board = LeaderBoardPanel(ctx)
        self.schedule = SchedulePanel(ctx)
        self.desk = staff_desk(ctx, deadlines_first=True, leader_board=False)  # 包案与积案 is its own tab
        self.preview: PrintPreviewDialog | None = None
        # Ctrl+1…4 bring a tab forward from anywhere in the window, the keys on its first field: Ctrl+Tab only turns
        # the innermost tabs (包案与积案 has its own), so without a mouse the leader could not get back out.
        for index, (page, title) in enumerate(((self.day, "今日接访"), (self.board, "包案与积案"),
                                               (self.schedule, "接访安排"), (self.desk, "事项与期限"))):
            self.addTab(page, f"{title} (Ctrl+{index + 1})")
            shortcut = QShortcut(QKeySequence(f"Ctrl+{index + 1}"), self)
            shortcut.activated.connect(lambda i=index: self.show_tab(i))
        for screen in (self.day, self.schedule, self.board):  # what printing did is said where it was asked for
            screen.document_ready.connect(lambda doc, said=screen.message: self.open_preview(doc, said))
        self.board.case_chosen.connect(self.open_case)

    def show_tab(self, index: int) -> None:
        self.setCurrentIndex(index)
        focus_first(self.currentWidget())

    def open_case(self, case_number: str) -> None:
        """A case of the 包案 board or the backlog, in full on the case desk (its steps, deadlines, documents)."""
        desk = self.desk.findChild(CaseDesk)
        if desk is None:
            return
        self.setCurrentWidget(self.desk)
        if isinstance(self.desk, QTabWidget):  # with statistics beside it: the cases' own tab
            self.desk.setCurrentIndex(0)
        desk.search.open_number(case_number)

    def unsaved_work(self) -> str:
        """A 批示 typed and not saved (asked about before signing out)."""
        return self.day.unsaved_work()

    def open_preview(self, doc: object, said: QLabel | None = None) -> None:
        """``doc`` in the print preview; once printed (or kept to print later) ``said`` says so."""
        self.preview = PrintPreviewDialog(self.ctx, doc, parent=self)  # type: ignore[arg-type]
        if said is not None:
            self.preview.finished_printing.connect(
                lambda outcome: set_tone(said, "ok" if outcome.printed else "error", outcome.message))
        self.preview.open()


def leader_work(ctx: WorkContext) -> QWidget:
    return LeaderWork(ctx)
