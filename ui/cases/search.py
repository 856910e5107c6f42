"""Find a case by anything the clerk has at hand, and read it, masked as the service returns it."""

from __future__ import annotations

from datetime import date
from html import escape
from itertools import pairwise
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QColor, QFont, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.access import WITHHELD, ContentAccess, Permission
from desktop.domain.deadlines import DueFilter
from ui.common.material_links import MaterialOpener, SourceOf, material_at, material_links
from ui.common.widgets import fit_columns, label, set_tone
from ui.shell.context import WorkContext
from ui.shell.errors import user_message

if TYPE_CHECKING:
    from desktop.services.attachments import AttachmentRef
    from desktop.services.cases import CaseDetail
    from desktop.services.changes import Changes
    from desktop.services.context import Hall
    from desktop.services.lookup import CaseSummary, SearchResult

WITHHELD_STYLE = "background-color:#fff4d6; color:#7a4b00;"
#: The colours of a deadline said in words: overdue, within the board's 7 days (as the case view says it).
DUE_COLOURS = {"overdue": "#b3261e", "soon": "#7a4b00"}
_WITH_QUERY = "；可与姓名、证件号码、电话、案件编号、承办单位或诉求内容同用"
DUE_FILTER_TIPS = {
    DueFilter.ALL: "不按期限筛选",
    DueFilter.OVERDUE: "只列当前期限已过的事项，超期最久的在前" + _WITH_QUERY,
    DueFilter.DUE_SOON: "只列当前期限在今天起7日内的事项（第7日遇节假日、休息日顺延至其后第一个工作日），"
                        "期限最近的在前" + _WITH_QUERY,
}


def _day(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"
ACCUSATION_NOTICE = "本事项为检举控告类，具体内容仅限有权限人员查看（《信访工作条例》第三十条）"


def _text(value: str) -> str:
    """Escaped for rich text; withheld accusation content shown as a notice, not as a value."""
    if value == WITHHELD:
        return f"<span style='{WITHHELD_STYLE}'>&nbsp;{escape(value)}&nbsp;</span>"
    return escape(value)


#: The scheme of the link that shows a long text in full (``expand:request``).
EXPAND_LINK = "expand"
#: How much of a long request, facts or reasons the case shows before 展开全文: a letter of thousands of
#: characters pushed the events out of sight (at 1366×768 the case has some 200 px).
SHORT_TEXT = 200


def _long(value: str, key: str, expanded: frozenset[str]) -> str:
    """A long text cut to its start, with 展开全文 (and 收起 once shown in full)."""
    if value == WITHHELD or len(value) <= SHORT_TEXT + 20:
        return _text(value)
    if key in expanded:
        return f"{escape(value)}　<a href='{EXPAND_LINK}:-{key}'>收起</a>"
    return (f"{escape(value[:SHORT_TEXT])}……　<a href='{EXPAND_LINK}:{key}'>展开全文（共{len(value):,}字）</a>")


#: The key of the deadlines' 说明 among the ``expanded`` texts.
DEADLINE_NOTES = "deadlines"


def _deadlines(detail: CaseDetail, expanded: frozenset[str]) -> list[str]:
    """Each deadline on one line (its day, its article; a late step in red); how it was counted — the start,
    the rest days passed over — behind 说明, since at 1366×768 those lines filled the case's room."""
    if not detail.deadlines:
        return []
    shown = DEADLINE_NOTES in expanded
    toggle = (f"<a href='{EXPAND_LINK}:-{DEADLINE_NOTES}'>收起说明</a>" if shown
              else f"<a href='{EXPAND_LINK}:{DEADLINE_NOTES}'>说明（如何计算）</a>")
    out = []
    for index, deadline in enumerate(detail.deadlines):
        late = deadline.done_on is not None and deadline.done_on > deadline.due
        style = " style='color:#b3261e'" if late or not deadline.verified else ""
        words = escape(deadline.headline(detail.today))
        out.append(f"<p{style}><b>期限</b> {words}" + (f"　{toggle}" if index == 0 else "") + "</p>")
        if shown:
            out.append("<pre>" + escape(deadline.explain()) + "</pre>")
    return out


def case_html(detail: CaseDetail, expanded: frozenset[str] = frozenset()) -> str:
    """One case as rich text, exactly as masked (or revealed) by the service; long texts cut unless ``expanded``."""
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
    if detail.due_now:  # in words, under the case's number and state: 剩2天, 今天到期, 超期3天
        colour = DUE_COLOURS.get(detail.due_level, "#12355b")
        lines.insert(1, f"<p style='color:{colour}; font-weight:600;'>{escape(detail.due_now)}</p>")
    place = [f"<b>住址</b> {escape(v.address)}"] if v.address else []
    if detail.region_name:  # where the problem is: the routing clerk sends it to that place's units
        place.append(f"<b>问题属地</b> {escape(detail.region_name)}")
    if place:
        lines.append("<p>" + "　".join(place) + "</p>")
    others = [f"{escape(o.role)} {escape(o.name)} {escape(o.id_number)} {escape(o.phone)}"
              for o in v.persons[1:]]
    if others:
        lines.append("<p><b>其他人员</b> " + "；".join(others) + "</p>")
    # Where the case stands comes before its texts: a request of thousands of characters (pasted from a
    # letter) used to push the class and the deadlines out of sight.
    lines.append(f"<p><b>分类</b> {escape(v.nature or '未分类')}　{escape(detail.topic_name or '未选择内容分类')}"
                 f"　<b>渠道</b> {escape(v.channel)}</p>")
    lines.extend(_deadlines(detail, expanded))
    if v.anomalies:
        lines.append("<p style='color:#b3261e'><b>待督办核查：</b>" + escape("；".join(v.anomalies)) + "</p>")
    if detail.first_responsible:
        lines.append(f"<p><b>首问负责</b> {escape(detail.first_responsible)}</p>")
    if detail.content is ContentAccess.REDACTED:
        lines.append(f"<p style='{WITHHELD_STYLE}'>&nbsp;{escape(ACCUSATION_NOTICE)}</p>")
    lines.append(f"<p><b>诉求</b> {_long(v.request, 'request', expanded)}</p>")
    if v.facts:
        lines.append(f"<p><b>事实</b> {_long(v.facts, 'facts', expanded)}</p>")
    if v.reasons:
        lines.append(f"<p><b>理由</b> {_long(v.reasons, 'reasons', expanded)}</p>")
    if detail.attachments:  # each a link: a tap shows it (fetched from the server when this PC lacks it)
        lines.append("<p><b>材料</b> " + material_links(detail.attachments) + "</p>")
    # each step says who must do what by when: 批示's text, 包案's leader, units and deadline, 转送's unit
    lines.append("<p><b>事件</b><br>" + "<br>".join(
        escape(f"{e.when}　{e.what}　{e.who}") + (f"　{_text(e.text)}" if e.text else "")
        for e in detail.timeline) + "</p>")
    return "".join(lines)


class CaseSearchPanel(QWidget):
    """One box finds a case by number, ID, phone, name, pinyin initials or phrase.

    Searches run off the GUI thread as the clerk types (a newer query makes an older
    answer moot). Personal data is masked as the service returns it. Holders of the
    permission can show one case in full, with an optional reason; the service writes
    that to the audit log, and the next case selected is masked again. Whatever changes
    a case — this window, another, or a sync — the list and the case on screen are
    read again.

    ``case_changed`` tells the window's other parts (printing) which case is on screen.
    """

    # where the case stands comes before the person's numbers: at 1366×768 the columns after 电话 need scrolling
    COLUMNS = ("案件编号", "信访人", "状态", "距期限", "当前期限", "证件号码", "电话", "登记日期", "诉求摘要")
    REVEALED_NOTE = "已记录查看：本次查看完整个人信息已写入审计日志"
    revealed = Signal(str)  # case number
    case_changed = Signal(object)  # CaseSummary | None
    searched = Signal()  # results of the latest query are on screen
    detail_shown = Signal()  # the selected case's detail is on screen
    material_shown = Signal(object)  # AttachmentRef, shown in a window of its own

    def __init__(self, ctx: WorkContext, *, material_source: SourceOf | None = None) -> None:
        super().__init__()
        self.ctx = ctx
        self.actor = ctx.actor
        self.tasks = ctx.group(self)
        #: Opens the case's materials; where one this PC lacks is fetched from (default: the device's sync server).
        self.materials = MaterialOpener(self, self.tasks, self.actor, say=self._note, source=material_source,
                                        refusal=lambda error: user_message(error, "打开材料"))
        self.materials.shown.connect(self.material_shown)
        self.query = QLineEdit()
        self.query.setPlaceholderText("输入案件编号、身份证号、电话、姓名、拼音首字母或诉求内容")
        self.status = label("", "subtitle")
        self.status.setWordWrap(True)  # beside the filter: a long note goes onto a second line
        # 全部 / 已超期 / 临近期限: the deadline board's two lists, alone or with what the box holds
        self.due_buttons: dict[DueFilter, QPushButton] = {}
        self.due_group = QButtonGroup(self)
        self.due_group.setExclusive(True)
        for due in DueFilter:
            button = QPushButton(due.value)
            button.setObjectName("filter")  # white, the one chosen filled (the theme)
            button.setCheckable(True)
            button.setChecked(due is DueFilter.ALL)
            button.setToolTip(DUE_FILTER_TIPS[due])
            button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
            self.due_group.addButton(button)
            self.due_buttons[due] = button
        self.due = DueFilter.ALL
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setHorizontalHeaderLabels(list(self.COLUMNS))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(
            len(self.COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.table.setTabKeyNavigation(False)  # Tab goes on to 办理… and 打印… (it walked the cells, trapped)
        self.detail = QTextBrowser()
        self.reveal_reason = QLineEdit()
        self.reveal_reason.setPlaceholderText("查看理由（选填，如：核对身份）")
        self.reveal_reason.setMinimumWidth(260)  # narrower on a 1366 screen, where the deadline board needs room
        self.reveal_reason.setMaximumWidth(380)
        self.reveal_reason.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.reveal_button = QPushButton("显示完整信息")
        self.reveal_button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.reveal_note = label("", "message")
        self.reveal_note.hide()
        may_reveal = ctx.may(Permission.REVEAL_PERSONAL)
        self.reveal_reason.setVisible(may_reveal)
        self.reveal_button.setVisible(may_reveal)
        self.results: list[CaseSummary] = []
        self._shown_query = ""  # the query whose answer the list shows (its scroll kept while it is read again)
        self.current: CaseSummary | None = None
        self.current_detail: CaseDetail | None = None
        self.expanded: frozenset[str] = frozenset()  # the long texts shown in full (展开全文)
        self.last_search: SearchResult | None = None
        self.showing_full = False
        self._query_seq = 0  # the newest query asked; older answers are dropped
        self._open_first = False  # open_number: show the first result once found
        self._to_list = False  # Enter in the box: the list takes the focus once found
        self._detail_seq = 0
        self.action_bar = QHBoxLayout()
        self.action_bar.setContentsMargins(0, 0, 0, 0)
        self.action_bar.addWidget(self.reveal_reason)
        self.action_bar.addWidget(self.reveal_button)
        self._notes_at = self.action_bar.count()
        self._actions: list[QWidget] = []  # the window's buttons beside 显示完整信息, in their order
        self.action_bar.addStretch(1)
        self.reveal_note.setWordWrap(True)
        bottom = QWidget()
        column = QVBoxLayout(bottom)
        column.setContentsMargins(0, 4, 0, 0)
        column.addLayout(self.action_bar)
        column.addWidget(self.reveal_note)  # a line of its own: beside the buttons it had no room at 1366 wide
        column.addWidget(self.detail, 1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(bottom)
        splitter.setSizes([280, 480])  # the case on screen gets the room: at 1366×768 it had four lines
        layout = QVBoxLayout(self)
        layout.addWidget(self.query)
        # the filter on the line of the count, so the box keeps its width (its hint was cut at 1366×768)
        status_row = QHBoxLayout()
        status_row.setContentsMargins(0, 0, 0, 0)
        status_row.addWidget(self.status, 1)
        status_row.addWidget(label("期限：", ""))
        for button in self.due_buttons.values():
            status_row.addWidget(button)
        layout.addLayout(status_row)
        layout.addWidget(splitter, 1)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(150)
        self._debounce.timeout.connect(self.run_search)
        self.query.textChanged.connect(lambda _text: self._debounce.start())
        self.query.returnPressed.connect(self._enter)
        for due, button in self.due_buttons.items():
            button.toggled.connect(lambda on, due=due: self._due_toggled(due, on))
        self.query.installEventFilter(self)  # ↓ goes down to the results
        self.table.installEventFilter(self)  # and typing in the results goes back up to the box
        find = QShortcut(QKeySequence.StandardKey.Find, self)  # Ctrl+F: back to the search box from the list
        find.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        find.activated.connect(self.focus_query)
        self.table.currentCellChanged.connect(lambda row, *_: self.show_case(row))
        self.reveal_button.clicked.connect(self._reveal_clicked)
        self.detail.setOpenLinks(False)  # a material's link opens it here, never as an address
        self.detail.anchorClicked.connect(self._link_clicked)
        ctx.tasks.changed.connect(self._changed)
        self._clear_detail()

    def open_number(self, case_number: str) -> None:
        """Find ``case_number`` and show it (a case just registered, a row of the deadline board)."""
        self._open_first = True
        self.query.setText(case_number)
        self.run_search()

    def set_due(self, due: DueFilter) -> None:
        """Narrow the search to overdue or due-soon cases (or not), and search again at once."""
        self.due_buttons[due].setChecked(True)
        if due is self.due:
            return
        self.due = due
        self.run_search()

    def _due_toggled(self, due: DueFilter, on: bool) -> None:
        if on:
            self.set_due(due)

    def focus_query(self) -> None:
        self.query.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.query.selectAll()

    def _enter(self) -> None:
        """Enter in the search box: search now and show the first case found, the list taking the keys (↑↓)."""
        self._open_first = True
        self._to_list = True
        self.run_search()

    def _to_results(self) -> None:
        if self.table.rowCount():
            self.table.setFocus(Qt.FocusReason.OtherFocusReason)
            if self.table.currentRow() < 0:
                self.table.setCurrentCell(0, 0)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return super().eventFilter(watched, event)
        if watched is self.query and event.key() == Qt.Key.Key_Down and self.table.rowCount():
            self._to_results()
            return True
        typed = event.text()
        if watched is self.table and typed.isprintable() and typed.strip() and not event.modifiers() & (
                Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier):
            # Typing on after Enter: the letters refine the search, they do not jump about the list.
            self.query.setFocus(Qt.FocusReason.OtherFocusReason)
            self.query.deselect()
            self.query.end(False)
            self.query.insert(typed)
            return True
        return super().eventFilter(watched, event)

    def add_action(self, widget: QWidget) -> None:
        """A button of the window's other parts beside 显示完整信息 (printing, at the counter)."""
        self.action_bar.insertWidget(self._notes_at, widget)
        self._notes_at += 1
        # Tab from the list: the buttons in the order they stand, then the case's text (they came after it).
        self._actions.append(widget)
        chain = [self.table, self.reveal_reason, self.reveal_button, *self._actions, self.detail]
        for before, after in pairwise(chain):
            QWidget.setTabOrder(before, after)

    # -- searching ----------------------------------------------------------------------------------

    def run_search(self, *, keep: str | None = None, reload_kept: bool = True) -> None:
        """Search for what the box holds; ``keep`` the case of that id selected if it is still found.

        Without ``reload_kept`` the kept case's detail stays as it is (it did not change).
        """
        self._debounce.stop()
        self._query_seq += 1
        seq, text, actor, due = self._query_seq, self.query.text(), self.actor, self.due

        def search(hall: Hall) -> SearchResult:
            from desktop.services.lookup import search_cases

            return search_cases(hall, actor, text, due=due)

        self.tasks.run(search, lambda found: self._found(seq, text, found, keep, reload_kept),
                       lambda error: self._search_failed(seq, error))

    def _found(self, seq: int, text: str, found: SearchResult, keep: str | None,
               reload_kept: bool = True) -> None:
        if seq != self._query_seq:
            return  # the clerk typed on; a newer answer is coming
        results = found.cases
        self.results = results
        self.last_search = found
        self.table.blockSignals(True)
        self.table.setRowCount(len(results))
        withheld = QColor("#7a4b00")
        words_column = self.COLUMNS.index("距期限")
        for row, case in enumerate(results):
            values = (case.case_number, case.petitioner_name, case.state, case.due_words or "—",
                      (_day(case.next_due) + ("（未经核实）" if not case.due_verified else "")) if case.next_due
                      else "—", case.id_number, case.phone,
                      _day(case.received_on), case.request)
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                if column == words_column and case.due_level in DUE_COLOURS:  # red when late, amber when due soon
                    item.setForeground(QColor(DUE_COLOURS[case.due_level]))
                    font = QFont(item.font())
                    font.setBold(True)
                    item.setFont(font)
                if value == WITHHELD:
                    item.setForeground(withheld)
                    font = QFont(item.font())
                    font.setItalic(True)
                    item.setFont(font)
                self.table.setItem(row, column, item)
        fit_columns(self.table)
        self.table.blockSignals(False)
        query = text.strip()
        if query != self._shown_query:  # another search: its list from the first column (case number, name)
            self.table.horizontalScrollBar().setValue(0)
            self._shown_query = query
        if not query and found.due is DueFilter.ALL:
            self.status.setText("")
        else:  # how the query was read, how many there are ("显示最新 50 件，共 1,234 件"), what was mistyped
            self.status.setText(found.status)
        kept: int | None = next((r for r, case in enumerate(results) if case.case_id == keep), None) if keep else None
        if self._open_first and results:
            kept, reload_kept = 0, True
        self._open_first = False  # asked once: a later refresh opens nothing by itself
        if self._to_list:
            self._to_list = False
            if results and self.query.hasFocus():  # the clerk is still at the box: the list takes the keys
                self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        if kept is None:
            self.table.setCurrentCell(-1, -1)
            self._clear_detail()
        else:
            self.table.blockSignals(True)
            self.table.setCurrentCell(kept, 0)
            self.table.blockSignals(False)
            if reload_kept or self.current is None:
                self.show_case(kept)
            else:
                self.current = results[kept]
        self.searched.emit()

    def _search_failed(self, seq: int, error: Exception) -> None:
        if seq == self._query_seq:
            self.status.setText(user_message(error, "检索"))
            self.searched.emit()

    def _changed(self, changes: Changes) -> None:
        """A case changed somewhere: the list and the case on screen are read again."""
        if not changes.cases and not changes.reference:
            return
        # The case selected, even while it is still being read (it vanished when a change came in meanwhile).
        row = self.table.currentRow()
        selected = self.results[row] if 0 <= row < len(self.results) else self.current
        keep = selected.case_id if selected else None
        if self.query.text().strip() or keep or self.due is not DueFilter.ALL:
            self.run_search(keep=keep, reload_kept=keep is not None and changes.touches_case(keep))

    # -- one case -----------------------------------------------------------------------------------

    def _clear_detail(self, *, keep_note: bool = False, same: bool = False) -> None:
        """No case on screen; ``same``: the case on screen is being read again, its buttons stay usable meanwhile
        (they went grey for a moment on every change, and a step chosen in that moment did nothing)."""
        had = self.current is not None and not same
        if not same:
            self.current = None
        self.current_detail = None
        self.showing_full = False
        self.detail.clear()
        self.reveal_reason.clear()
        self.reveal_button.setText("显示完整信息")
        self.reveal_button.setEnabled(False)
        self.reveal_reason.setEnabled(False)
        if not keep_note:
            self.reveal_note.hide()
        if had:
            self.case_changed.emit(None)

    def show_case(self, row: int) -> None:
        """The selected case, masked: selecting another case always hides what was revealed."""
        if not 0 <= row < len(self.results):
            return
        summary = self.results[row]
        # The same case read again (a step was recorded, printing finished) keeps what was said about it;
        # the reveal's line goes, as the case is masked again.
        same = self.current is not None and self.current.case_id == summary.case_id
        self._clear_detail(keep_note=same and self.reveal_note.text() != self.REVEALED_NOTE, same=same)
        self._detail_seq += 1
        seq, actor = self._detail_seq, self.actor

        def load(hall: Hall) -> CaseDetail:
            from desktop.services.cases import load_case

            return load_case(hall, actor, summary.case_id)

        self.tasks.run(load, lambda detail: self._loaded(seq, summary, detail),
                       lambda error: self._load_failed(seq, error))

    def _loaded(self, seq: int, summary: CaseSummary, detail: CaseDetail) -> None:
        if seq != self._detail_seq:
            return
        if self.current is None or self.current.case_id != summary.case_id:
            self.expanded = frozenset()  # another case: its long texts cut again
        self.current, self.current_detail = summary, detail
        self.detail.setHtml(case_html(detail, self.expanded))
        self.reveal_button.setEnabled(True)
        self.reveal_reason.setEnabled(True)
        self.case_changed.emit(summary)
        self.detail_shown.emit()

    def _load_failed(self, seq: int, error: Exception) -> None:
        if seq == self._detail_seq:
            self._note(user_message(error, "读取事项"), "error")
            self.detail_shown.emit()

    def _link_clicked(self, url: QUrl) -> None:
        detail = self.current_detail
        if url.scheme() == EXPAND_LINK and detail is not None:  # 展开全文 / 收起, where the clerk is reading
            key = url.path()
            self.expanded = self.expanded - {key[1:]} if key.startswith("-") else self.expanded | {key}
            at = self.detail.verticalScrollBar().value()
            self.detail.setHtml(case_html(detail, self.expanded))
            self.detail.verticalScrollBar().setValue(at)
            return
        ref = material_at(url, detail.attachments) if detail is not None else None
        if ref is not None:
            self.open_material(ref)

    def open_material(self, ref: AttachmentRef) -> None:
        """Show one material of the case on screen: from this PC, or fetched from the server and kept."""
        case_id = self.current.case_id if self.current is not None else ""
        # another case on screen by then: nothing shows (the same case read again, as keeping the file does, is)
        self.materials.open(ref, lambda: self.current is not None and self.current.case_id == case_id)

    @property
    def material_source(self) -> SourceOf | None:
        """Where a material this PC lacks is fetched from (``None``: the device's sync server)."""
        return self.materials.source

    @material_source.setter
    def material_source(self, source: SourceOf | None) -> None:
        self.materials.source = source

    @property
    def viewer(self) -> QWidget | None:
        """The material last shown, in its window."""
        return self.materials.viewer

    def _reveal_clicked(self) -> None:
        if self.showing_full:
            self.show_case(self.table.currentRow())
        else:
            self.reveal()

    def reveal(self) -> None:
        """Names, ID numbers, phones and address in full, for the case on screen (audited)."""
        if self.current is None or self.tasks.busy:
            return
        case_id, actor, reason = self.current.case_id, self.actor, self.reveal_reason.text().strip()
        seq = self._detail_seq

        def reveal(hall: Hall) -> CaseDetail:
            from desktop.services.cases import reveal_personal

            return reveal_personal(hall, actor, case_id, reason)

        self.tasks.run(reveal, lambda detail: self._revealed(seq, detail),
                       lambda error: self._note(user_message(error, "显示完整信息"), "error"))

    def _revealed(self, seq: int, detail: CaseDetail) -> None:
        if seq != self._detail_seq:
            return  # another case was selected meanwhile: it stays masked
        self.detail.setHtml(case_html(detail, self.expanded))
        self.showing_full = True
        self.reveal_button.setText("恢复遮挡")
        self.reveal_reason.setEnabled(False)
        self._note(self.REVEALED_NOTE, "notice")
        self.revealed.emit(detail.view.case_number)

    def note(self, text: str, tone: str) -> None:
        """A line beside the case's buttons (what printing did, a refusal)."""
        self._note(text, tone)

    def _note(self, text: str, tone: str) -> None:
        set_tone(self.reveal_note, tone, text)
