"""The case desk: search and case detail with the print buttons, beside the deadline board."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSplitter, QTabWidget, QVBoxLayout, QWidget

from desktop.domain.access import Permission
from ui.cases.actions import CaseActionsButton
from ui.cases.deadlines import DeadlinePanel
from ui.cases.dissatisfied import DissatisfiedPanel
from ui.cases.search import CaseSearchPanel
from ui.cases.suggestions import SuggestionsPanel
from ui.shell.context import WorkContext

if TYPE_CHECKING:
    from desktop.domain.case import CaseView
    from desktop.services.case_actions import CaseAction
    from desktop.services.lookup import CaseSummary


class CaseDesk(QWidget):
    """Case search with 打印… and 待补打 / 打印记录 for the case on screen (printing loads with the desk)."""

    def __init__(self, ctx: WorkContext) -> None:
        super().__init__()
        # Printing (reportlab, pdfium) loads with the first desk, not with every window.
        from ui.printing.preview import CasePrintButton
        from ui.printing.queue import PrintQueueButton

        self.search = CaseSearchPanel(ctx)
        search = self.search
        self.steps = CaseActionsButton(ctx)
        self.steps.setVisible(ctx.may(Permission.HANDLE))
        search.add_action(self.steps)
        self.print_button = CasePrintButton(ctx, lambda: search.current.case_id if search.current else None,
                                            search.note, receipt=True)
        self.queue_button = PrintQueueButton(ctx, lambda: search.current.case_number if search.current else None)
        self.print_button.receipt_wanted.connect(self.queue_button.open_queue)
        may_print = ctx.may(Permission.PRINT)
        self.print_button.setVisible(may_print)
        self.queue_button.setVisible(may_print)
        search.add_action(self.print_button)
        search.add_action(self.queue_button)
        self.print_button.refresh(False)
        search.case_changed.connect(self._case_changed)
        self.steps.recorded.connect(self._recorded)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(search)

    def _case_changed(self, case: CaseSummary | None) -> None:
        detail = self.search.current_detail
        self.print_button.refresh(case is not None, detail.view if case and detail is not None else None,
                                  detail.events if case and detail is not None else ())
        self.steps.show_case(case.case_number if case else None, detail.view if detail is not None else None,
                             detail.today if detail is not None else None)

    def _recorded(self, action: CaseAction, view: CaseView) -> None:
        """Said beside the buttons; the step's notice is offered for print preview at once."""
        # 分类 leaves the state as it was: “已分类（已登记）” read as if nothing had happened; say the class instead.
        said = (f"（{view.nature}）" if action.key == "classify" and view.nature
                else f"，事项当前状态：{view.state.value}")
        self.search.note(f"已{action.title}：{view.case_number}{said}", "ok")
        if action.document is not None and self.print_button.isVisible():
            self.print_button.choose(action.document)


def case_work(ctx: WorkContext, *, deadlines_first: bool = False) -> QSplitter:
    """The desk and the deadline board side by side (the leader reads deadlines first)."""
    body = QSplitter(Qt.Orientation.Horizontal)
    desk, board = CaseDesk(ctx), DeadlinePanel(ctx)
    board.case_chosen.connect(desk.search.open_number)
    if deadlines_first:
        body.addWidget(board)
        body.addWidget(desk)
        body.setSizes([800, 1000])  # the board's six columns whole on a 1366 screen
    else:
        body.addWidget(desk)
        body.addWidget(board)
        # the board's six columns whole on a 1366 screen (at a third of it 状态 was cut at the right edge)
        body.setSizes([1000, 800])
    return body


class WorkTabs(QTabWidget):
    """Cases and deadlines; for supervisors and leaders the year's statistics, the queue's, the 不满意 ratings,
    suggestions; at the counter, the 包案 a leader took on (the leader's own window has them already).

    The statistics panel is built when its tab is first opened: counting a year takes
    a moment, and most sessions never look.
    """

    def __init__(self, ctx: WorkContext, cases: QWidget, *, leader_board: bool = True) -> None:
        super().__init__()
        self.ctx = ctx
        self.statistics: QWidget | None = None
        self.leader_board: QWidget | None = None
        self.addTab(cases, "事项与期限")
        self._statistics_index = self.addTab(QWidget(), "统计")
        from ui.queue.statistics import QueueStatisticsPanel

        self.queue_statistics = QueueStatisticsPanel(ctx)
        self.addTab(self.queue_statistics, "排队统计")
        self.dissatisfied = DissatisfiedPanel(ctx)
        self.addTab(self.dissatisfied, "不满意评价")
        if leader_board:
            # a unit past a leader's 包案 deadline: the supervisor who 督办 sees it here (the deadline board lists the
            # statutory deadlines only), reads the case and records the 督办
            from ui.reception.after import LeaderBoardPanel

            self.leader_board = board = LeaderBoardPanel(ctx)
            self.addTab(board, "领导包案")
        self.suggestions = SuggestionsPanel(ctx)
        self.addTab(self.suggestions, "人民建议")
        desk = cases.findChild(CaseDesk)
        if desk is not None:
            def open_case(number: str) -> None:
                self.setCurrentIndex(0)
                desk.search.open_number(number)

            self.dissatisfied.case_chosen.connect(open_case)
            if leader_board:
                board.case_chosen.connect(open_case)
        self.currentChanged.connect(self._tab_shown)

    def show_statistics(self) -> QWidget:
        self.setCurrentIndex(self._statistics_index)
        assert self.statistics is not None
        return self.statistics

    def _tab_shown(self, index: int) -> None:
        if index != self._statistics_index or self.statistics is not None:
            return
        from ui.statistics.panel import StatisticsPanel

        self.statistics = StatisticsPanel(self.ctx)
        self.blockSignals(True)  # replacing the placeholder must not count as another switch
        self.removeTab(index)
        self.insertTab(index, self.statistics, "统计")
        self.setCurrentIndex(index)
        self.blockSignals(False)


def staff_desk(ctx: WorkContext, *, deadlines_first: bool = False, leader_board: bool = True) -> QWidget:
    """Cases and deadlines; with the 督办与统计 permission, statistics and the leaders' 包案 beside them."""
    body = case_work(ctx, deadlines_first=deadlines_first)
    if ctx.may(Permission.SUPERVISE):
        return WorkTabs(ctx, body, leader_board=leader_board)
    return body
