"""The counter's queue controls: a strip above the clerk's work, one key for each action.

Shows this window's ticket (number, business, state, the person when the ticket was taken
with an ID card, and that person's earlier cases before they sit down), who waits for each
window type, and whether the hall server is reachable. Keys work from any tab of the
counter: F3 叫下一位, F4 重呼, F6 过号, F7 转窗口, F8 开始办理, F9 办结. 发号 issues a
ticket at the counter and prints it on the 80 mm roll.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.calendar import date_near
from desktop.domain.chinatime import china_today
from desktop.domain.errors import RuleViolation
from desktop.domain.queue import (
    LEADER_TYPE,
    MISSED_TWICE,
    TICKET_STATE_NAMES,
    IssuedTicket,
    QueueAction,
    Ticket,
    TicketSource,
    WindowType,
    why_not,
    window_actions,
)
from ui.common.timers import later
from ui.common.widgets import (
    OneLineFit,
    ask,
    fill_table,
    fit_items,
    label,
    message_label,
    read_only_table,
    set_tone,
)
from ui.queue.watch import QueueWatch
from ui.shell.context import WorkContext
from ui.shell.errors import user_message
from ui.shell.tasks import Executor

if TYPE_CHECKING:
    from desktop.devices.idcard import IdCard
    from desktop.printing.base import Printer
    from desktop.services.changes import Changes
    from desktop.services.context import Hall
    from desktop.services.lookup import CaseSummary
    from desktop.services.printing import PrintOutcome
    from desktop.services.queue import WindowView
    from desktop.services.reception import Booking

KEYS: dict[QueueAction, str] = {QueueAction.CALL: "F3", QueueAction.RECALL: "F4", QueueAction.SKIP: "F6",
                                QueueAction.TRANSFER: "F7", QueueAction.START: "F8", QueueAction.FINISH: "F9"}
WORDS: dict[QueueAction, str] = {QueueAction.CALL: "叫下一位", QueueAction.RECALL: "重呼", QueueAction.SKIP: "过号",
                                 QueueAction.TRANSFER: "转窗口", QueueAction.START: "开始办理",
                                 QueueAction.FINISH: "办结"}

#: The strip is read again this often even when no change is told: another counter writing to the same
#: database (the second window of a hall without a hall server) is not seen by this program's change feed,
#: and its waiting counts stayed as they were until the clerk pressed a key.
SAFETY_MS = 10_000


class _Counts(OneLineFit):
    """Who waits for each window type, on one line: as many counts as fit, each whole, then how many more.

    A hall with five or six types at 1366 wide wrapped the line inside a name at the screen's edge (“不动产登记 /
    咨询 0 人”); now a count is shown whole or not at all, the rest said as 等N类 …, and all of them on the tooltip.
    """

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("hint")  # the room it is given decides how many counts it shows, never the reverse
        self.counts: list[str] = []

    def show_counts(self, counts: list[str]) -> None:
        self.counts = counts
        self.setToolTip("等候：\n" + "\n".join(counts) if counts else "")
        self.fit()

    def fit(self) -> None:
        room = self.contentsRect().width()
        metrics = self.fontMetrics()
        text = ""
        for shown in range(len(self.counts), -1, -1):
            left = len(self.counts) - shown
            text = "等候：" + "　".join(self.counts[:shown]) + (f"　等{left}类 …" if left else "")
            if metrics.horizontalAdvance(text) <= room:
                break
        if text != self.text():
            self.setText(text)

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        full = "等候：" + "　".join(self.counts)
        return QSize(self.fontMetrics().horizontalAdvance(full) + 2 * self.margin() + 4, hint.height())

    def minimumSizeHint(self) -> QSize:
        return QSize(1, super().minimumSizeHint().height())


@dataclass(frozen=True)
class _Read:
    view: WindowView
    types: list[WindowType]
    earlier: list[CaseSummary]


class QueueBar(QFrame):
    """This PC's window in the hall queue (the setting ``queue_window``)."""

    refreshed = Signal()
    acted = Signal(object)  # the Ticket an action left (None: nobody was waiting)
    issued = Signal(object)  # IssuedTicket, once issued (printing follows)
    joined = Signal(object)  # Booking: a walk-in joined today's reception day
    change_window = Signal()  # the window's own number was clicked: 更改本机窗口号

    def __init__(self, ctx: WorkContext, parent: QWidget | None = None, *,
                 printer: Callable[[], Printer] | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("queuebar")
        self.ctx = ctx
        self.actor = ctx.actor
        self.window_number = ctx.settings.queue_window
        self.tasks = ctx.group(self)  # the clerk's actions, one at a time
        self.reads = ctx.group(self)  # refreshing never holds up a key
        self.printing = ctx.group(self)
        self._printer = printer
        self.view: WindowView | None = None
        self.types: list[WindowType] = []
        self.closed_question: QMessageBox | None = None  # 发号 outside the hall's opening hours, asked
        self.transfer_question: QMessageBox | None = None  # 转窗口: to the line chosen beside it, asked
        self._transferred_to = ""  # the name of the line a visitor was just moved to (said with the new number)
        self._dirty = False

        self.number = QLabel("—")
        self.number.setObjectName("queuenumber")
        self.number.setStyleSheet("font-size: 26pt; font-weight: 600; color: #12355b; padding: 0 8px;")
        self.details = label("", "subtitle")
        self.link = label("", "hint")
        self.waiting = _Counts()
        self.message = message_label()

        self.buttons: dict[QueueAction, QPushButton] = {}
        actions = QHBoxLayout()
        for action in QueueAction:
            button = QPushButton(f"{WORDS[action]} {KEYS[action]}")
            button.setToolTip(f"{WORDS[action]}（{KEYS[action]}）")
            button.clicked.connect(lambda _c=False, a=action: self.act(a))
            shortcut = QShortcut(QKeySequence(KEYS[action]), self)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(lambda a=action: self.act(a))
            self.buttons[action] = button
            actions.addWidget(button)
            if action is QueueAction.SKIP:
                self.transfer_to = QComboBox()
                self.transfer_to.setToolTip("转去的窗口类型")
                self.transfer_to.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            if action is QueueAction.TRANSFER:
                actions.addWidget(self.transfer_to)
        self.case_field = QLineEdit()
        self.case_field.setPlaceholderText("办结关联的案件编号")
        self.case_field.setToolTip(self.CASE_TIP)
        self.case_field.textEdited.connect(lambda _text: self._linked_from(""))  # the clerk's own choice
        self.case_field.setMinimumWidth(self.case_field.fontMetrics().horizontalAdvance("XF-20261205-K01-00254-C") + 32)
        self.case_field.setMaximumWidth(self.case_field.minimumWidth())  # the whole number, not its tail
        actions.addWidget(self.case_field)
        # where the case linked came from, and a case merely looked at offered, never linked by itself (on the
        # message's line under the keys: beside them they took the room of the visitor's earlier cases)
        self.case_origin = label("", "hint")
        self.case_origin.setWordWrap(False)
        self.case_origin.hide()
        self.link_viewed = QPushButton("关联所查事项")
        self.link_viewed.setObjectName("secondary")
        self.link_viewed.clicked.connect(self.link_viewed_case)
        self.link_viewed.hide()
        self.viewed: str | None = None  # the case on screen in 事项与期限, not linked
        self.walk_in = QPushButton("加入今日领导接访")
        self.walk_in.setObjectName("secondary")
        self.walk_in.setToolTip("把本窗口“领导接访”号的来访人加入今天的领导接访名单（约满则候补）")
        self.walk_in.clicked.connect(self.join_reception_day)
        self.walk_in.hide()
        actions.addWidget(self.walk_in)
        actions.addStretch(1)

        issuing = QHBoxLayout()
        self.issue_type = QComboBox()
        self.issue_type.setToolTip("在本窗口发号的业务类型")
        self.issue_type.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.priority = QCheckBox("优先")
        self.priority.setToolTip("老年人、残疾人或紧急的欠薪事项（该类型允许优先时）")
        #: The addresses on the cards read here, by ID number: the ticket keeps the person, not the address, and
        #: the registration form takes it once the ticket is called (at most the last few visitors).
        self.card_addresses: dict[str, str] = {}
        self.visitor_id = QLineEdit()
        self.visitor_id.setPlaceholderText("证件号码（填姓名时必填）")
        self.visitor_id.setToolTip("持证发号：号票关联来访人，叫号时窗口即可看到其以前的信访事项。"
                                   "证件号码和姓名都不填也可发号；填了其一，另一项也要填")
        self.visitor_id.setMaxLength(18)
        self.visitor_id.setMinimumWidth(max(190, self.visitor_id.fontMetrics().horizontalAdvance(
            self.visitor_id.placeholderText()) + 24))  # its hint read whole
        self.visitor_name = QLineEdit()
        self.visitor_name.setPlaceholderText("姓名")
        self.visitor_name.setMaxLength(200)  # a paste kept whole: the name rule refuses a long one, saying why
        self.visitor_name.setMinimumWidth(self.visitor_name.fontMetrics().horizontalAdvance("阿依古丽·买买提") + 32)
        self.visitor_name.setMaximumWidth(self.visitor_name.minimumWidth())  # a minority name is read whole
        self.read_card_button = QPushButton("读身份证")
        self.read_card_button.setObjectName("secondary")
        self.read_card_button.setToolTip("从身份证阅读器读取来访人的姓名和证件号码")
        self.read_card_button.clicked.connect(self.read_card)
        self.issue_button = QPushButton("发号并打印")
        self.issue_button.setObjectName("secondary")
        self.issue_button.clicked.connect(self.issue)
        # Keyboard first, as on the form: Enter in the number goes on to the name, Enter in the name issues.
        self.visitor_id.returnPressed.connect(lambda: self.visitor_name.setFocus(Qt.FocusReason.TabFocusReason))
        self.visitor_name.returnPressed.connect(self.issue)
        # a refusal of 发号 that names the visitor's fields goes once the clerk corrects them (it stayed, saying a
        # name was filled, after both fields were emptied)
        self.issue_refused = False
        for field in (self.visitor_id, self.visitor_name):
            field.textEdited.connect(self._visitor_edited)
        issuing.addWidget(label("发号：", "field"))
        issuing.addWidget(self.issue_type)
        issuing.addWidget(self.priority)
        issuing.addWidget(label("来访人", "field"))
        issuing.addWidget(self.visitor_id)
        issuing.addWidget(self.visitor_name)
        issuing.addWidget(self.read_card_button)
        issuing.addWidget(self.issue_button)
        issuing.addStretch(1)

        # The person's earlier cases sit beside the controls, not under them: at 1366×768 a table below took
        # the room of the clerk's form and case (the strip grew by a third of the screen's work area).
        self.earlier = read_only_table(("案件编号", "登记日期", "状态", "诉求"))
        self.earlier.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # the request is cut short
        self.earlier.viewport().installEventFilter(self)
        self.earlier_title = label("", "hint")
        self.earlier_title.setWordWrap(True)
        self.earlier_box = QWidget()
        side = QVBoxLayout(self.earlier_box)
        side.setContentsMargins(0, 0, 0, 0)
        side.setSpacing(2)
        side.addWidget(self.earlier_title)
        side.addWidget(self.earlier, 1)
        self.earlier_box.hide()
        self.earlier.hide()
        self.earlier_title.hide()

        top = QHBoxLayout()
        # this PC's window: a click changes it (a number set wrong at the first start), an administrator confirming
        self.window_button = QPushButton(f"{self.window_number} 号窗口")
        self.window_button.setObjectName("secondary")
        self.window_button.setToolTip("本机的窗口号。点击可更改（须系统管理员核验）")
        self.window_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # F3 and the keys stay where the clerk works
        self.window_button.clicked.connect(self.change_window)
        top.addWidget(self.window_button)
        top.addWidget(self.number)
        top.addWidget(self.details, 1)
        top.addWidget(self.waiting, 1)
        top.addWidget(self.link)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.setSpacing(4)
        controls = QVBoxLayout()
        controls.setSpacing(4)
        controls.addLayout(actions)
        controls.addLayout(issuing)
        said = QHBoxLayout()
        said.addWidget(self.message, 1)
        # the line as tall as its button, shown or not: 关联所查事项 coming and going moved the tabs under the strip
        self.link_viewed.ensurePolished()
        self.message.setMinimumHeight(self.link_viewed.sizeHint().height())
        said.addWidget(self.case_origin)
        said.addWidget(self.link_viewed)
        controls.addLayout(said)
        middle = QHBoxLayout()
        middle.addLayout(controls)  # the keys keep their width; the earlier cases take the rest
        middle.addWidget(self.earlier_box, 1)
        layout.addLayout(top)
        layout.addLayout(middle)
        self.tasks.busy_changed.connect(self._busy)
        self.reads.busy_changed.connect(self._busy)
        ctx.tasks.changed.connect(self._changed)
        self.safety = QTimer(self)
        self.safety.setInterval(SAFETY_MS)
        self.safety.timeout.connect(self._read_again)
        self.safety.start()
        # another counter calling on the same database (a hall without a hall server) is seen within a second
        self.watch = QueueWatch(ctx, self)
        self.watch.moved.connect(self.refresh)
        self.watch.start()
        self._show(None)
        self.refresh()

    # -- reading ---------------------------------------------------------------------------------

    def _changed(self, changes: Changes) -> None:
        if changes.queue or changes.cases:
            self.refresh()

    def _read_again(self) -> None:
        if not self.tasks.busy and self.isVisible():  # a key's own read follows it
            self.refresh()

    def refresh(self) -> None:
        if self.reads.busy:
            self._dirty = True
            return
        self._dirty = False
        window, actor = self.window_number, self.actor

        def read(hall: Hall) -> _Read:
            from desktop.services import lookup, queue

            view = queue.window_view(hall, window=window)
            earlier = lookup.find_cases(hall, actor, view.person_id, limit=20) if view.person_id else []
            return _Read(view, queue.offered_types(hall), earlier)

        self.reads.run(read, self._read, lambda error: self._say(user_message(error, "读取排队情况"), "error"))

    def _read(self, read: _Read) -> None:
        self.view, self.types = read.view, read.types
        self._fill_types(read.types)
        self._show(read.view)
        self._show_earlier(read.earlier)
        if self._dirty:  # the queue changed while this was read: read again before saying it is current
            self.refresh()
            return
        self.refreshed.emit()

    def _fill_types(self, types: list[WindowType]) -> None:
        current = self.view.current if self.view is not None else None
        for combo, shown in ((self.issue_type, types),
                             (self.transfer_to, [t for t in types if current is None or t.code != current.type_code])):
            items = [(f"{t.prefix} {t.name}", t.code) for t in shown]
            if items == [(combo.itemText(i), combo.itemData(i)) for i in range(combo.count())]:
                continue  # as it is: a list the clerk has open stays open when the strip is read again
            chosen = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            for text, code in items:
                combo.addItem(text, code)
            index = combo.findData(chosen)
            combo.setCurrentIndex(max(index, 0))
            combo.blockSignals(False)
            fit_items(combo)  # 农民工欠薪绿色通道 whole

    def _show(self, view: WindowView | None) -> None:
        ticket = view.current if view is not None else None
        self.number.setText(ticket.number if ticket is not None else "—")
        if ticket is None:
            self.details.setText("本窗口现在没有号：按 F3 叫下一位")
        else:
            name = next((t.name for t in self.types if t.code == ticket.type_code), ticket.type_code)
            person = f" · 持证取号：{view.person_name}" if view is not None and view.person_name else ""
            wait = ""
            if ticket.called_at is not None:
                minutes = max(0, int((ticket.called_at - ticket.issued_at).total_seconds() // 60))
                carried = view.transferred if view is not None else ""
                wait = (f" · {carried}，转来后等候 {minutes} 分钟" if carried
                        else f" · 取号 {ticket.issued_at:%H:%M}，等候 {minutes} 分钟")
            again = " · 曾过号" if ticket.skipped else ""
            first = f" · {view.priority}" if view is not None and view.priority else ""  # the service's words
            self.details.setText(f"{name}{first} · {TICKET_STATE_NAMES[ticket.state]}{wait}{again}{person}")
        if view is not None:
            self.waiting.show_counts([f"{w.type_name} {w.waiting} 人" for w in view.waiting])
            if view.connected:
                self.link.setText("")
                set_tone(self.link, "", "")
            else:
                pending = f"，{view.pending} 条待合并" if view.pending else ""
                set_tone(self.link, "notice", f"大厅服务器未连接：本窗口用 W{self.window_number} 号段继续发号、叫号，"
                                              f"恢复后自动合并{pending}")
        self._enable()
        self._offer()

    def _show_earlier(self, cases: list[CaseSummary]) -> None:
        view = self.view
        linked = view is not None and view.person_id is not None
        self.earlier_box.setVisible(linked)
        self.earlier_title.setVisible(linked)
        self.earlier.setVisible(linked and bool(cases))
        if view is None or not linked:
            return
        self.earlier_title.setText(f"{view.person_name or '此人'} 以前的信访事项：{len(cases)} 件" if cases
                                   else f"{view.person_name or '此人'} 以前没有登记过信访事项")
        today = china_today()
        fill_table(self.earlier, [(case.case_number, date_near(case.received_on, today), case.state, case.request[:60])
                                  for case in cases])
        for row, case in enumerate(cases):  # what a narrow strip leaves out is read on the row's tooltip
            tip = f"{case.case_number}　{date_near(case.received_on, today)}登记　{case.state}\n诉求：{case.request}"
            for column in range(self.earlier.columnCount()):
                item = self.earlier.item(row, column)
                if item is not None:
                    item.setToolTip(tip)
        self._fit_earlier()
        # At least the two newest can be read without scrolling (the header counted as a row: it is styled
        # after this runs, so its own height is not known yet).
        rows = min(2, self.earlier.rowCount()) + 1
        row = max(self.earlier.verticalHeader().defaultSectionSize(),
                  self.earlier.rowHeight(0) if self.earlier.rowCount() else 0)
        self.earlier.setFixedHeight(rows * row + 2 * self.earlier.frameWidth())

    #: 诉求 needs this many characters to be worth a column; else the row's tooltip carries it
    REQUEST_FLOOR = "反映拖欠工资问题"

    def _fit_earlier(self) -> None:
        """The earlier cases' columns whole, never cut: at 1366×768 the box beside the keys is narrow, so 诉求
        goes first, then 登记日期 (the case number carries the day too), each still on the row's tooltip."""
        table = self.earlier
        if not table.rowCount():
            return
        header = table.horizontalHeader()
        header.setStretchLastSection(False)  # (sized here: stretched, the request kept its whole width)
        for column in range(table.columnCount()):
            table.setColumnHidden(column, False)
        table.resizeColumnsToContents()
        room = table.viewport().width()
        if table.verticalScrollBar().isHidden() and table.rowCount() > 2:
            room -= table.verticalScrollBar().sizeHint().width()  # (shown once the table has its height)
        widths = [max(table.columnWidth(c), header.sectionSizeFromContents(c).width())
                  for c in range(table.columnCount())]
        request_floor = table.fontMetrics().horizontalAdvance(self.REQUEST_FLOOR)
        shown = sum(widths[:3])
        table.setColumnHidden(3, shown + request_floor > room)
        table.setColumnHidden(1, shown > room)  # the date: the case number's own digits name the day
        columns = [c for c in range(table.columnCount()) if not table.isColumnHidden(c)]
        for column in columns:
            table.setColumnWidth(column, widths[column])
        last = columns[-1]  # takes the room left: 诉求 ends in … (the tooltip has it whole), 状态 grows
        table.setColumnWidth(last, max(room - sum(widths[c] for c in columns[:-1]), request_floor
                                       if last == 3 else widths[last]))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """The box beside the keys changed width (the window resized): its columns fit it again."""
        if watched is self.earlier.viewport() and event.type() == QEvent.Type.Resize and self.earlier.isVisible():
            later(self, 0, self._fit_earlier)
        return super().eventFilter(watched, event)

    def _enable(self) -> None:
        allowed = window_actions(self.view.current if self.view is not None else None)
        busy = self.tasks.busy
        for action, button in self.buttons.items():
            button.setEnabled(not busy and action in allowed
                              and (action is not QueueAction.TRANSFER or self.transfer_to.count() > 0))
        self.issue_button.setEnabled(not busy and self.issue_type.count() > 0)
        current = self.view.current if self.view is not None else None
        self.walk_in.setVisible(current is not None and current.type_code == LEADER_TYPE)
        self.walk_in.setEnabled(not busy)

    def _busy(self, busy: bool) -> None:
        self._enable()
        if not busy and self._dirty:
            self.refresh()

    def _say(self, text: str, tone: str) -> None:
        self.issue_refused = False  # whatever is said next is no longer the refusal
        set_tone(self.message, tone, text)

    def say(self, text: str) -> None:
        """A word from the counter around the strip (the window just set) on the strip's own line."""
        self._say(text, "ok")

    # -- acting ----------------------------------------------------------------------------------

    CASE_TIP = ("办结时关联的事项：在本窗口登记的事项自动填入；在“事项与期限”中查看的事项不会自动关联，"
                "是本来访人的事项时点“关联所查事项”，或在此填写案件编号")
    REGISTERED = "本窗口登记"

    def set_case(self, case_number: str, origin: str = REGISTERED) -> None:
        """The case registered for the visitor at this window (or chosen by the clerk): 办结 links it."""
        self.case_field.setText(case_number)
        self._linked_from(origin)

    def registered(self, case_number: str, queue_number: str) -> None:
        """A case the window's form saved under ``queue_number`` (the 排队号 typed or filled in): 办结 links it to
        the ticket at the window when the form names that ticket, or none. Saved under another visitor's number
        (A004 typed while A001 stood at the window), it is not this visitor's: 办结 closed A001 against a
        stranger's case, and A004 still waited."""
        current = self.view.current if self.view is not None else None
        named = queue_number.strip().upper()
        if current is not None and named and named != current.number.upper():
            self._say(f"此事项登记的排队号是 {named}，不是窗口正在办理的 {current.number} 号："
                      f"{current.number} 号办结时不关联它", "notice")
            return
        self.set_case(case_number)

    def view_case(self, case_number: str | None) -> None:
        """The case on screen in the case desk: offered for 办结, never linked by itself.

        A case opened from the 不满意 list, the deadline board or a search while a ticket was called went into
        the field, and 办结 closed the ticket against a case the clerk had only looked at.
        """
        self.viewed = case_number
        self._offer()

    def link_viewed_case(self) -> None:
        """关联所查事项: the clerk says the case looked at is the visitor's."""
        if self.viewed:
            self.set_case(self.viewed, "所查事项")

    def _linked_from(self, origin: str) -> None:
        linked = self.case_field.text().strip()
        self.case_origin.setText(f"办结关联（{origin}）：{linked}" if origin and linked else "")
        self.case_origin.setVisible(bool(self.case_origin.text()))
        self.case_field.setToolTip(f"办结关联 {linked}（{origin}）\n{self.CASE_TIP}" if origin and linked
                                   else self.CASE_TIP)
        self._offer()

    def _offer(self) -> None:
        current = self.view.current if self.view is not None else None
        offered = bool(self.viewed) and current is not None and self.viewed != self.case_field.text().strip()
        self.link_viewed.setVisible(offered)
        if offered and current is not None:
            self.link_viewed.setToolTip(f"把“事项与期限”中正在查看的 {self.viewed} 作为 {current.number}"
                                        " 号办结关联的事项（只查看的事项不会自动关联）")

    def act(self, action: QueueAction) -> None:
        """One of the clerk's keys; refused actions say why (the service decides)."""
        ticket = self.view.current if self.view is not None else None
        if self.tasks.busy:
            return
        if not self.buttons[action].isEnabled():  # a key pressed in vain says why (F3 with a visitor still here)
            reason = why_not(action, ticket) if self.view is not None else None
            if reason is not None:
                self._say(reason, "notice")
            return
        if action is QueueAction.TRANSFER and ticket is not None:
            # the visitor leaves this window for another line (a new number): the line chosen is said and asked
            # first, F7 having moved them at once to whatever the box beside it happened to show
            target = self.transfer_to.currentText().split(" ", 1)[-1]
            self.transfer_question, _go = ask(
                self, "转窗口", f"把 {ticket.number} 号转到“{target}”排队吗？", go=f"转到{target}", stay="取消",
                on_go=lambda: self._do(action, ticket), go_role=QMessageBox.ButtonRole.AcceptRole,
                detail="来访人将取得该业务的新号码，到办理该业务的窗口排队；原号码作废。要转去别的业务，"
                       "请先在“转窗口”旁边的列表中选好。")
            return
        self._do(action, ticket)

    def _do(self, action: QueueAction, ticket: Ticket | None) -> None:
        if self.tasks.busy:
            return
        window = self.window_number
        transfer = self.transfer_to.currentData() if action is QueueAction.TRANSFER else None
        if action is QueueAction.TRANSFER:
            self._transferred_to = self.transfer_to.currentText().split(" ", 1)[-1]
        case = self.case_field.text().strip() or None if action is QueueAction.FINISH else None

        def work(hall: Hall) -> Ticket | None:
            from desktop.services import queue

            if action is QueueAction.CALL or ticket is None:
                return queue.call_next(hall, window=window)
            return queue.act(hall, ticket.ticket_id, action, window=window, type_code=transfer, case_id=case)

        self.tasks.run(work, lambda result: self._acted(action, result),
                       lambda error: self._say(user_message(error, WORDS[action]), "error"),
                       executor=Executor.DEVICES)

    def _acted(self, action: QueueAction, ticket: Ticket | None) -> None:
        if action is QueueAction.CALL and ticket is None:
            self._say("现在没有人等候本窗口办理的业务", "notice")
        elif ticket is not None:
            said = {QueueAction.CALL: f"已叫 {ticket.number} 号到 {self.window_number} 号窗口",
                    QueueAction.RECALL: f"已重呼 {ticket.number} 号",
                    QueueAction.SKIP: f"{ticket.number} 号过号" + (f"，已回到队列（{MISSED_TWICE}）"
                                                                  if ticket.state.value == "waiting" else "，已作废"),
                    # which line, and what the clerk tells the visitor: 到该窗口排队 named no window (the
                    # visitor's paper still says the old number, and none is printed for the new one)
                    QueueAction.TRANSFER: f"已转为 {ticket.number} 号（{self._transferred_to}）：请告诉来访人新号码，"
                                          f"原号码作废，请在大厅等候叫 {ticket.number} 号",
                    QueueAction.START: f"{ticket.number} 号开始办理",
                    QueueAction.FINISH: f"{ticket.number} 号已办结"}[action]
            self._say(said, "ok")
            if action in (QueueAction.CALL, QueueAction.SKIP, QueueAction.TRANSFER, QueueAction.FINISH):
                # The case linked belongs to the visitor who just left the window (or to a case merely looked
                # at): the next visitor's 办结 linked it to a stranger's case.
                self.case_field.clear()
                self._linked_from("")
        self.acted.emit(ticket)
        self.refresh()

    def issue(self, *, after_hours: bool = False) -> None:
        """发号 at this counter: issue a ticket and print it on the roll (outside the hall's hours, once asked)."""
        code = self.issue_type.currentData()
        if not code or self.tasks.busy:
            return
        priority, actor = self.priority.isChecked(), self.actor
        id_number, name = self.visitor_id.text().strip() or None, self.visitor_name.text().strip() or None

        def work(hall: Hall) -> tuple[IssuedTicket, str]:
            from desktop.services import queue, reception

            issued = queue.issue_ticket(hall, type_code=code, source=TicketSource.COUNTER, priority=priority,
                                        id_number=id_number, name=name, after_hours=after_hours)
            return issued, reception.booked_today(hall, actor, id_number) if id_number else ""

        self.tasks.run(work, lambda done: self._issued(*done), self._not_issued, executor=Executor.DEVICES)

    def _not_issued(self, error: Exception) -> None:
        """A refusal in words; outside the hall's opening hours the clerk is told and may still issue."""
        if isinstance(error, RuleViolation) and error.code == "hall_closed":
            self._say(error.message, "notice")
            self.closed_question, _go = ask(self, "不在开放时间", error.message,
                                            go="仍然发号", stay="不发号", on_go=lambda: self.issue(after_hours=True),
                                            detail="窗口可以为已在大厅的来访人发号；自助终端在开放时间以外不发号。",
                                            go_role=QMessageBox.ButtonRole.AcceptRole)
            return
        self._say(user_message(error, "发号"), "error")
        self.issue_refused = True

    def _visitor_edited(self, _text: str) -> None:
        if self.issue_refused:
            self.issue_refused = False
            self._say("", "")

    def _issued(self, issued: IssuedTicket, booked: str = "") -> None:
        """The ticket in words; a visitor on today's leader reception list is said so beside it (``booked``)."""
        self.priority.setChecked(False)
        self.visitor_id.clear()
        self.visitor_name.clear()
        wait = f"，预计等候约 {issued.estimated_wait_minutes} 分钟" if issued.estimated_wait_minutes else ""
        if issued.already:  # the visitor's own ticket of this type still waits: none other given, none printed
            self._say(f"此人今天已取过 {issued.ticket.number} 号（{issued.type_name}），仍在等候，"
                      f"前面 {issued.ahead} 人{wait}。未另发号" + (f"。{booked}" if booked else ""), "notice")
            return
        first = ""  # the clerk hears it as the ticket prints it: 优先办理, and why where the ID card says so
        if issued.ticket.priority:
            first = f"，优先办理（{issued.priority_reason}）" if issued.priority_reason else "，优先办理"
        self._say(f"已发 {issued.ticket.number} 号（{issued.type_name}）{first}，前面 {issued.ahead} 人{wait}。"
                  + (f"{booked}。" if booked else "") + "正在打印号票……", "ok")
        self.issued.emit(issued)
        actor, settings, choose = self.actor, self.ctx.settings, self._printer

        def print_ticket(hall: Hall) -> PrintOutcome:
            from desktop.documents.model import DocumentKind
            from desktop.printing.factory import printer_for
            from desktop.services import documents, printing

            doc = documents.queue_ticket(hall, actor, ticket_number=issued.ticket.number,
                                         window_type=issued.type_name, people_ahead=issued.ahead,
                                         issued_at=issued.ticket.issued_at,
                                         estimated_wait_minutes=issued.estimated_wait_minutes,
                                         priority=issued.ticket.priority, priority_reason=issued.priority_reason)
            printer = choose() if choose is not None else printer_for(DocumentKind.QUEUE_TICKET, settings,
                                                                      media=doc.media)
            return printing.print_document(hall, actor, doc, None, printer)

        self.printing.run(print_ticket, self._printed,
                          lambda error: self._say(self._without_printing() + user_message(error, "打印号票"), "error"),
                          executor=Executor.DEVICES)

    def _without_printing(self) -> str:
        return self.message.text().replace("正在打印号票……", "")

    def _printed(self, outcome: PrintOutcome) -> None:
        self._say(self._without_printing() + ("号票已打印。" if outcome.printed else outcome.message),
                  "ok" if outcome.printed else "notice")

    # -- the visitor: the ID card, and a walk-in on a reception day ---------------------------------

    def read_card(self) -> None:
        """Read the card on this PC's reader (the setting ``id_reader``, off the GUI thread) into 来访人."""
        from ui.shell.idcard import read_id_card

        self._say("正在读取身份证，请将身份证放在阅读器上……", "notice")
        read_id_card(self, self.printing, self.ctx.settings, seconds=5.0,
                     no_reader="本机未设置身份证阅读器（设置项 id_reader），请手工填写证件号码和姓名",
                     done=self.fill_from_card,
                     failed=lambda error: self._say(user_message(error, "读取身份证"), "error"))

    def fill_from_card(self, card: IdCard) -> None:
        self.visitor_id.setText(card.id_number)
        self.visitor_name.setText(card.name)
        if card.address:
            self.card_addresses.pop(card.id_number.upper(), None)
            self.card_addresses[card.id_number.upper()] = card.address
            while len(self.card_addresses) > 20:  # the oldest goes: nobody waits that long
                del self.card_addresses[next(iter(self.card_addresses))]
        from desktop.devices.idcard import expiry_notice

        expired = expiry_notice(card, china_today(), holder=False)
        self._say(f"已读取 {card.name} 的身份证：发号即关联此人" + (f"。{expired}" if expired else ""),
                  "notice" if expired else "ok")

    def card_address(self, id_number: str) -> str:
        """The address on the card of ``id_number`` read at this counter's 发号 ("" when none was read)."""
        return self.card_addresses.get(id_number.strip().upper(), "")

    def join_reception_day(self) -> None:
        """加入今日领导接访: the visitor of this window's 领导接访 ticket joins today's list (the service decides)."""
        if self.tasks.busy:
            return
        actor, window = self.actor, self.window_number
        name, id_number = self.visitor_name.text().strip(), self.visitor_id.text().strip()

        def work(hall: Hall) -> Booking:
            from desktop.services import queue

            return queue.join_reception_day(hall, actor, window=window, name=name, id_number=id_number)

        self.tasks.run(work, self._joined, lambda error: self._say(user_message(error, "加入今日领导接访"), "error"))

    def _joined(self, booking: Booking) -> None:
        self.visitor_id.clear()
        self.visitor_name.clear()
        self._say(f"{booking.appointment.name}：{booking.message}，已列入领导的今日接访名单"
                  if not booking.waiting_position else f"{booking.appointment.name}：{booking.message}", "ok")
        self.joined.emit(booking)
