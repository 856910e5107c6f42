"""The main window of each role. Widgets call services and show their results; no rules here."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desktop.config import describe
from desktop.domain.deadlines import leader_reception_day
from desktop.domain.errors import RuleViolation
from desktop.services import supervision
from desktop.services.cases import load_case
from desktop.services.context import Actor, Hall
from desktop.services.database import counts
from desktop.services.lookup import CaseSummary, find_cases
from desktop.services.progress import citizen_progress

ROLE_TITLES = {
    "kiosk": "自助服务终端",
    "counter": "接待窗口",
    "leader": "领导接访",
    "display": "大厅信息屏",
    "admin": "系统管理",
}


def _label(text: str, name: str = "", centred: bool = False) -> QLabel:
    label = QLabel(text)
    if name:
        label.setObjectName(name)
    label.setWordWrap(True)
    if centred:
        # Alignment on the label, not in the layout: a word-wrapped label given a
        # layout alignment shrinks to its minimum width and wraps every character.
        label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
    return label


class Header(QFrame):
    """Hall name, role and a live clock across the top of every window."""

    def __init__(self, hall_name: str, role_title: str, now: type[datetime] = datetime) -> None:
        super().__init__()
        self.setObjectName("header")
        self._now = now
        layout = QHBoxLayout(self)
        title = _label(f"{hall_name} · {role_title}", "title")
        title.setStyleSheet("color: white;")
        self.clock = _label("", "clock")
        self.clock.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        layout.addWidget(title, 1)
        layout.addWidget(self.clock)
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.tick)
        self._timer.start(1000)
        self.tick()

    def tick(self) -> None:
        weekdays = "一二三四五六日"
        now = self._now.now()
        self.clock.setText(f"{now:%Y年%m月%d日} 星期{weekdays[now.weekday()]} {now:%H:%M:%S}")


class CaseSearchPanel(QWidget):
    """One box finds a case by number, ID, phone, name, pinyin initials or phrase."""

    COLUMNS = ("案件编号", "信访人", "证件号码", "电话", "登记日期", "状态", "当前期限", "诉求摘要")

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
        self.results: list[CaseSummary] = []
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.detail)
        splitter.setSizes([500, 260])
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

    def run_search(self) -> None:
        self._debounce.stop()
        try:
            self.results = find_cases(self.hall, self.actor, self.query.text())
        except RuleViolation as refusal:
            self.status.setText(refusal.message)
            return
        self.table.setRowCount(len(self.results))
        for row, case in enumerate(self.results):
            values = (case.case_number, case.petitioner_name, case.id_number, case.phone,
                      case.received_on.isoformat(), case.state,
                      case.next_due.isoformat() if case.next_due else "—", case.request)
            for column, value in enumerate(values):
                self.table.setItem(row, column, QTableWidgetItem(value))
        self.table.resizeColumnsToContents()
        text = self.query.text().strip()
        if not text:
            self.status.setText("")
        elif self.results:
            kind = self.results[0].match.value
            self.status.setText(self.tr(f"按{kind}找到 {len(self.results)} 件（最新的在前）"))
        else:
            self.status.setText(self.tr("没有找到相符的事项"))
        self.detail.clear()

    def show_case(self, row: int) -> None:
        if not 0 <= row < len(self.results):
            return
        detail = load_case(self.hall, self.results[row].case_id)
        v = detail.view
        lines = [
            f"<h3>{v.case_number}　{v.state.value}</h3>",
            f"<p><b>信访人</b> {v.petitioner.name}　{v.petitioner.id_number}　{v.petitioner.phone}"
            f"　{v.persons_count}人　{v.visit_kind}</p>",
            f"<p><b>诉求</b> {v.request}</p><p><b>事实</b> {v.facts}</p>",
            f"<p><b>分类</b> {v.nature or '未分类'}　{detail.topic_name or '未选择内容分类'}"
            f"　<b>渠道</b> {v.channel}</p>",
        ]
        for deadline in detail.deadlines:
            lines.append("<pre>" + deadline.explain() + "</pre>")
        if v.anomalies:
            lines.append("<p style='color:#b3261e'><b>待督办核查：</b>"
                         + "；".join(v.anomalies) + "</p>")
        lines.append("<p><b>事件</b><br>" + "<br>".join(
            f"{e.hlc[:13]} {e.type.value} {e.author}" for e in detail.events) + "</p>")
        self.detail.setHtml("".join(lines))


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


class ProgressQueryPanel(QWidget):
    """Kiosk: a citizen types the case number and query code from the receipt."""

    def __init__(self, hall: Hall) -> None:
        super().__init__()
        self.hall = hall
        self.setObjectName("page")
        self.number = QLineEdit()
        self.number.setPlaceholderText("例如 XF-20261124-K01-00012-7")
        self.code = QLineEdit()
        self.code.setPlaceholderText("回执上的8位查询码")
        self.code.setInputMask("9999 9999;_")
        self.submit = QPushButton(self.tr("查询办理进度"))
        self.result = _label("", "subtitle")
        self.error = _label("", "error")
        form = QFormLayout()
        form.addRow(self.tr("案件编号"), self.number)
        form.addRow(self.tr("查询码"), self.code)
        column = QWidget()
        column.setMaximumWidth(1100)
        inner = QVBoxLayout(column)
        inner.addWidget(_label(self.tr("查询信访事项办理进度"), "title", centred=True))
        inner.addWidget(_label(self.tr("请输入登记回执上的案件编号和查询码"), "subtitle",
                               centred=True))
        inner.addLayout(form)
        inner.addWidget(self.submit)
        inner.addWidget(self.error)
        inner.addWidget(self.result)
        layout = QHBoxLayout(self)
        layout.addStretch(1)
        wrapper = QVBoxLayout()
        wrapper.addStretch(1)
        wrapper.addWidget(column)
        wrapper.addStretch(2)
        layout.addLayout(wrapper, 10)
        layout.addStretch(1)
        self.submit.clicked.connect(self.query_progress)

    def query_progress(self) -> None:
        self.error.clear()
        self.result.clear()
        try:
            progress = citizen_progress(self.hall, self.number.text(), self.code.text())
        except RuleViolation as refusal:
            self.error.setText(refusal.message)
            return
        due = f"，当前期限 {progress.next_due:%Y年%m月%d日}" if progress.next_due else ""
        self.result.setText(
            f"事项 {progress.case_number}（{progress.petitioner}，{progress.received_on:%Y年%m月%d日}登记）\n"
            f"当前状态：{progress.state}{due}\n{progress.next_step}")


class HallBoard(QWidget):
    """The hall's display screen: today, the next leaders' reception day, open matters."""

    def __init__(self, hall: Hall) -> None:
        super().__init__()
        self.hall = hall
        self.setObjectName("page")
        self.reception = _label("", "board", centred=True)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(_label(self.tr("欢迎来访　依法逐级走访　有序反映诉求"), "board",
                                centred=True))
        layout.addWidget(self.reception)
        layout.addStretch(2)
        self.refresh()

    def refresh(self) -> None:
        today = self.hall.today()
        calendar = self.hall.policy.calendar
        day = leader_reception_day(today.year, today.month, calendar)
        if day < today:
            year, month = (today.year + 1, 1) if today.month == 12 else (today.year, today.month + 1)
            day = leader_reception_day(year, month, calendar)
        self.reception.setText(self.tr(f"下一个领导接访日：{day:%Y年%m月%d日}"))


class AdminPanel(QWidget):
    """Installation status and settings, read-only until accounts exist."""

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


class RoleWindow(QMainWindow):
    def __init__(self, hall: Hall, actor: Actor, role: str) -> None:
        super().__init__()
        self.role = role
        self.setWindowTitle(f"信访接待大厅系统 — {ROLE_TITLES[role]}")
        page = QWidget()
        page.setObjectName("page")
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(Header(hall.settings.hall_name, ROLE_TITLES[role]))
        body: QWidget
        if role == "kiosk":
            body = ProgressQueryPanel(hall)
        elif role == "display":
            body = HallBoard(hall)
        elif role == "admin":
            body = AdminPanel(hall)
        elif role == "leader":
            body = QSplitter(Qt.Orientation.Horizontal)
            body.addWidget(DeadlinePanel(hall, actor))
            body.addWidget(CaseSearchPanel(hall, actor))
        else:
            body = QSplitter(Qt.Orientation.Horizontal)
            body.addWidget(CaseSearchPanel(hall, actor))
            body.addWidget(DeadlinePanel(hall, actor))
            body.setSizes([1200, 600])
        self.body = body
        layout.addWidget(body, 1)
        self.setCentralWidget(page)
