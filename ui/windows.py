"""The work of each role: panels that call services and show their results; no rules here."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desktop.config import describe
from desktop.domain.access import WITHHELD, ContentAccess, Permission
from desktop.domain.errors import RuleViolation
from desktop.services import supervision
from desktop.services.cases import CaseDetail, load_case, reveal_personal
from desktop.services.context import Actor, Hall
from desktop.services.database import counts
from desktop.services.lookup import CaseSummary, find_cases
from ui.accounts import AccountsPanel, AuditPanel
from ui.widgets import label as _label
from ui.widgets import set_tone

WITHHELD_STYLE = "background-color:#fff4d6; color:#7a4b00;"
ACCUSATION_NOTICE = "本事项为检举控告类，具体内容仅限有权限人员查看（《信访工作条例》第三十条）"


def _text(value: str) -> str:
    """Escaped for rich text; withheld accusation content shown as a notice, not as a value."""
    if value == WITHHELD:
        return f"<span style='{WITHHELD_STYLE}'>&nbsp;{escape(value)}&nbsp;</span>"
    return escape(value)


def case_html(detail: CaseDetail) -> str:
    """One case as rich text, exactly as masked (or revealed) by the service."""
    v = detail.view
    p = v.petitioner
    shown = ("<span style='color:#7a4b00; font-weight:600;'>（显示完整个人信息）</span>" if detail.revealed
             else "<span style='color:#4a5a6a;'>（个人信息已遮挡）</span>")
    lines = [
        f"<h3>{escape(v.case_number)}　{escape(v.state.value)}"
        f"　<span style='font-size:small;'>{shown}</span></h3>",
        f"<p><b>信访人</b> {escape(p.name)}　{escape(p.id_number)}　{escape(p.phone)}"
        f"　{v.persons_count}人　{escape(v.visit_kind)}</p>",
    ]
    if v.address:
        lines.append(f"<p><b>住址</b> {escape(v.address)}</p>")
    others = [f"{escape(o.role)} {escape(o.name)} {escape(o.id_number)} {escape(o.phone)}"
              for o in v.persons[1:]]
    if others:
        lines.append("<p><b>其他人员</b> " + "；".join(others) + "</p>")
    if detail.content is ContentAccess.REDACTED:
        lines.append(f"<p style='{WITHHELD_STYLE}'>&nbsp;{escape(ACCUSATION_NOTICE)}</p>")
    lines.append(f"<p><b>诉求</b> {_text(v.request)}</p>")
    if v.facts:
        lines.append(f"<p><b>事实</b> {_text(v.facts)}</p>")
    if v.reasons:
        lines.append(f"<p><b>理由</b> {_text(v.reasons)}</p>")
    lines.append(f"<p><b>分类</b> {escape(v.nature or '未分类')}　{escape(detail.topic_name or '未选择内容分类')}"
                 f"　<b>渠道</b> {escape(v.channel)}</p>")
    for deadline in detail.deadlines:
        lines.append("<pre>" + escape(deadline.explain()) + "</pre>")
    if v.anomalies:
        lines.append("<p style='color:#b3261e'><b>待督办核查：</b>" + escape("；".join(v.anomalies)) + "</p>")
    lines.append("<p><b>事件</b><br>" + "<br>".join(
        escape(f"{e.hlc[:13]} {e.type.value} {e.author}") for e in detail.events) + "</p>")
    return "".join(lines)


class CaseSearchPanel(QWidget):
    """One box finds a case by number, ID, phone, name, pinyin initials or phrase.

    Personal data is masked as the service returns it. Holders of the permission can
    show one case in full, with an optional reason; the service writes that to the audit
    log, and the next case selected is masked again.
    """

    COLUMNS = ("案件编号", "信访人", "证件号码", "电话", "登记日期", "状态", "当前期限", "诉求摘要")
    REVEALED_NOTE = "已记录查看：本次查看完整个人信息已写入审计日志"
    revealed = Signal(str)  # case number

    def __init__(self, hall: Hall, actor: Actor) -> None:
        super().__init__()
        self.hall, self.actor = hall, actor
        self.query = QLineEdit()
        self.query.setPlaceholderText(self.tr("输入案件编号、身份证号、电话、姓名、拼音首字母或诉求内容"))
        self.status = _label("", "subtitle")
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setHorizontalHeaderLabels(list(self.COLUMNS))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(
            len(self.COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.detail = QTextBrowser()
        self.reveal_reason = QLineEdit()
        self.reveal_reason.setPlaceholderText(self.tr("查看理由（选填，如：核对身份）"))
        self.reveal_reason.setFixedWidth(380)
        self.reveal_button = QPushButton(self.tr("显示完整信息"))
        self.reveal_button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.reveal_note = _label("", "message")
        self.reveal_note.hide()
        may_reveal = actor.may(Permission.REVEAL_PERSONAL)
        self.reveal_reason.setVisible(may_reveal)
        self.reveal_button.setVisible(may_reveal)
        # Printing (reportlab, pdfium) loads with the first case panel, not with every window.
        from ui.print_queue import PrintQueueButton
        from ui.printing import CasePrintButton

        # 打印…: the case's notices, previewed and printed (ui/printing.py)
        self.print_button = CasePrintButton(hall, actor, lambda: self.current.case_id if self.current else None,
                                            self._note)
        self.print_button.setVisible(actor.may(Permission.PRINT))
        # 待补打 (n) / 打印记录: failed prints of this PC, reprints of the case's documents (ui/print_queue.py)
        self.queue_button = PrintQueueButton(hall, actor, lambda: self.current.case_number if self.current else None)
        self.queue_button.setVisible(actor.may(Permission.PRINT))
        self.print_button.opened.connect(self.queue_button.watch)
        self.results: list[CaseSummary] = []
        self.current: CaseSummary | None = None
        self.showing_full = False
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(self.reveal_reason)
        bar.addWidget(self.reveal_button)
        bar.addWidget(self.print_button)
        bar.addWidget(self.queue_button)
        bar.addWidget(self.reveal_note, 10)
        bar.addStretch(1)
        bottom = QWidget()
        column = QVBoxLayout(bottom)
        column.setContentsMargins(0, 4, 0, 0)
        column.addLayout(bar)
        column.addWidget(self.detail, 1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(bottom)
        splitter.setSizes([460, 300])
        layout = QVBoxLayout(self)
        layout.addWidget(self.query)
        layout.addWidget(self.status)
        layout.addWidget(splitter, 1)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(150)
        self._debounce.timeout.connect(self.run_search)
        self.query.textChanged.connect(lambda _text: self._debounce.start())
        self.query.returnPressed.connect(self.run_search)
        self.table.currentCellChanged.connect(lambda row, *_: self.show_case(row))
        self.reveal_button.clicked.connect(self._reveal_clicked)
        self._clear_detail()

    def run_search(self) -> None:
        self._debounce.stop()
        try:
            self.results = find_cases(self.hall, self.actor, self.query.text())
        except RuleViolation as refusal:
            self.status.setText(refusal.message)
            return
        self.table.setRowCount(len(self.results))
        withheld = QColor("#7a4b00")
        for row, case in enumerate(self.results):
            values = (case.case_number, case.petitioner_name, case.id_number, case.phone,
                      case.received_on.isoformat(), case.state,
                      case.next_due.isoformat() if case.next_due else "—", case.request)
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                if value == WITHHELD:
                    item.setForeground(withheld)
                    font = QFont(item.font())
                    font.setItalic(True)
                    item.setFont(font)
                self.table.setItem(row, column, item)
        self.table.resizeColumnsToContents()
        text = self.query.text().strip()
        if not text:
            self.status.setText("")
        elif self.results:
            kind = self.results[0].match.value
            self.status.setText(self.tr(f"按{kind}找到 {len(self.results)} 件（最新的在前）"))
        else:
            self.status.setText(self.tr("没有找到相符的事项"))
        self._clear_detail()

    def _clear_detail(self) -> None:
        self.current = None
        self.showing_full = False
        self.detail.clear()
        self.reveal_reason.clear()
        self.reveal_button.setText(self.tr("显示完整信息"))
        self.reveal_button.setEnabled(False)
        self.reveal_reason.setEnabled(False)
        self.reveal_note.hide()
        self.print_button.refresh(False)

    def show_case(self, row: int) -> None:
        """The selected case, masked: selecting another case always hides what was revealed."""
        if not 0 <= row < len(self.results):
            return
        self._clear_detail()
        summary = self.results[row]
        try:
            detail = load_case(self.hall, self.actor, summary.case_id)
        except RuleViolation as refusal:
            self._note(refusal.message, "error")
            return
        self.current = summary
        self.detail.setHtml(case_html(detail))
        self.reveal_button.setEnabled(True)
        self.reveal_reason.setEnabled(True)
        self.print_button.refresh(True)

    def _reveal_clicked(self) -> None:
        if self.showing_full:
            self.show_case(self.table.currentRow())
        else:
            self.reveal()

    def reveal(self) -> None:
        """Names, ID numbers, phones and address in full, for the case on screen (audited)."""
        if self.current is None:
            return
        try:
            detail = reveal_personal(self.hall, self.actor, self.current.case_id,
                                     self.reveal_reason.text().strip())
        except RuleViolation as refusal:
            self._note(refusal.message, "error")
            return
        self.detail.setHtml(case_html(detail))
        self.showing_full = True
        self.reveal_button.setText(self.tr("恢复遮挡"))
        self.reveal_reason.setEnabled(False)
        self._note(self.tr(self.REVEALED_NOTE), "notice")
        self.revealed.emit(detail.view.case_number)

    def _note(self, text: str, tone: str) -> None:
        set_tone(self.reveal_note, tone, text)


class DeadlinePanel(QWidget):
    """Cases whose current deadline is overdue or due within a week."""

    def __init__(self, hall: Hall, actor: Actor) -> None:
        super().__init__()
        self.hall, self.actor = hall, actor
        self.summary = _label("", "subtitle")
        self.table = QTableWidget(0, 6)
        self.table.setHorizontalHeaderLabels(["期限", "剩余天数", "案件编号", "信访人", "状态", "期限依据"])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        layout = QVBoxLayout(self)
        layout.addWidget(_label(self.tr("临近和超过期限的事项"), "subtitle"))
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        self.refresh()

    def refresh(self) -> None:
        backlog = supervision.backlog(self.hall, self.actor)
        self.summary.setText(self.tr(
            f"在办 {backlog.open_cases} 件，已超期 {backlog.overdue} 件，7日内到期 "
            f"{backlog.due_within_week} 件，待督办核查 {backlog.flagged} 件"))
        due = supervision.upcoming_deadlines(self.hall, self.actor)
        self.table.setRowCount(len(due))
        for row, case in enumerate(due):
            left = "已超期" if case.days_left < 0 else str(case.days_left)
            for column, value in enumerate((case.next_due.isoformat(), left, case.case_number,
                                            case.petitioner_name, case.state,
                                            case.next_due_rule)):
                self.table.setItem(row, column, QTableWidgetItem(value))
        self.table.resizeColumnsToContents()


class SystemStatusPanel(QWidget):
    """Installation status and the settings in force (changed in the settings file)."""

    def __init__(self, hall: Hall) -> None:
        super().__init__()
        cases, events = counts(hall.engine)
        years = hall.policy.calendar.known_years()
        layout = QVBoxLayout(self)
        layout.addWidget(_label(self.tr(
            f"数据库：{hall.engine.url.database}　事项 {cases} 件　事件 {events} 条"), "subtitle"))
        layout.addWidget(_label(self.tr(
            f"节假日数据：{years[0]}–{years[-1]}年　本机编码：{hall.settings.device_code}"
            f"　期限计算：{'自然日' if hall.settings.day_counting == 'calendar' else '工作日'}"),
            "subtitle"))
        table = QTableWidget(0, 3)
        table.setHorizontalHeaderLabels(["设置项", "当前值", "说明"])
        table.verticalHeader().setVisible(False)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.horizontalHeader().setStretchLastSection(True)
        rows = [(name, "（保密）" if name == "query_code_pepper"
                 else str(getattr(hall.settings, name)), text) for name, _d, text in describe()]
        table.setRowCount(len(rows))
        for r, values in enumerate(rows):
            for c, value in enumerate(values):
                table.setItem(r, c, QTableWidgetItem(value))
        table.resizeColumnsToContents()
        layout.addWidget(table, 1)


class AdminTabs(QTabWidget):
    """System administration: one tab per duty the signed-in person holds."""

    def __init__(self, hall: Hall, actor: Actor) -> None:
        super().__init__()
        self.accounts: AccountsPanel | None = None
        self.audit: AuditPanel | None = None
        if actor.may(Permission.MANAGE_SETTINGS):
            self.addTab(SystemStatusPanel(hall), self.tr("系统状态"))
        if actor.may(Permission.MANAGE_ACCOUNTS):
            self.accounts = AccountsPanel(hall, actor)
            self.addTab(self.accounts, self.tr("账户管理"))
        if actor.may(Permission.VERIFY_AUDIT):
            self.audit = AuditPanel(hall, actor)
            self.addTab(self.audit, self.tr("审计日志"))
        self.currentChanged.connect(self._tab_shown)

    def show_tab(self, panel: QWidget) -> None:
        self.setCurrentIndex(self.indexOf(panel))

    def _tab_shown(self, index: int) -> None:
        # What happened since the tab was last shown (sign-ins, new accounts) appears at once.
        page = self.widget(index)
        if isinstance(page, AuditPanel | AccountsPanel):
            page.refresh()


class WorkTabs(QTabWidget):
    """Cases and deadlines, and for supervisors and leaders the year's statistics.

    The statistics panel is built when its tab is first opened: counting a year takes
    a moment, and most sessions never look.
    """

    def __init__(self, hall: Hall, actor: Actor, cases: QWidget) -> None:
        super().__init__()
        self.hall, self.actor = hall, actor
        self.statistics: QWidget | None = None
        self.addTab(cases, self.tr("事项与期限"))
        self._statistics_index = self.addTab(QWidget(), self.tr("统计"))
        self.currentChanged.connect(self._tab_shown)

    def show_statistics(self) -> QWidget:
        self.setCurrentIndex(self._statistics_index)
        assert self.statistics is not None
        return self.statistics

    def _tab_shown(self, index: int) -> None:
        if index != self._statistics_index or self.statistics is not None:
            return
        from ui.statistics import StatisticsPanel

        self.statistics = StatisticsPanel(self.hall, self.actor)
        self.blockSignals(True)  # replacing the placeholder must not count as another switch
        self.removeTab(index)
        self.insertTab(index, self.statistics, self.tr("统计"))
        self.setCurrentIndex(index)
        self.blockSignals(False)


def staff_work(hall: Hall, actor: Actor, role: str) -> QWidget:
    """What a signed-in staff member works with in the window of ``role``."""
    if role == "admin":
        return AdminTabs(hall, actor)
    body = QSplitter(Qt.Orientation.Horizontal)
    if role == "leader":
        body.addWidget(DeadlinePanel(hall, actor))
        body.addWidget(CaseSearchPanel(hall, actor))
        body.setSizes([700, 1100])
    else:
        body.addWidget(CaseSearchPanel(hall, actor))
        body.addWidget(DeadlinePanel(hall, actor))
        body.setSizes([1200, 600])
    if actor.may(Permission.SUPERVISE):
        return WorkTabs(hall, actor, body)
    return body
