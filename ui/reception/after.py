"""After the day (访后限期办结): the cases leaders took on, 督办, 积案, the statistics; and the schedule.

Every number comes from ``desktop.services.leaderday`` (computed in SQL there); the panels
only show it and read again when cases or reception data change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.access import Permission
from desktop.domain.deadlines import format_date
from desktop.domain.reception import office_list_words
from ui.common.choice import Choice, ChoiceBox
from ui.common.widgets import (
    EnterMovesOn,
    SelectOnTabIn,
    ask,
    enter_presses,
    fit_columns,
    label,
    message_label,
    read_only_table,
    secondary_button,
    set_tone,
)
from ui.shell.context import WorkContext
from ui.shell.errors import user_message

if TYPE_CHECKING:
    from desktop.documents.model import RenderedDocument
    from desktop.services.changes import Changes
    from desktop.services.context import Hall
    from desktop.services.leaderday import BacklogCase, BoardRow, LeaderDayStats
    from desktop.services.reception import ReceptionDay, Removal

_RED = QColor("#b3261e")
_GREEN = QColor("#2e7d32")


def fill_table(table: QTableWidget, rows: list[tuple[str, ...]], colours: list[QColor | None] | None = None) -> None:
    table.setRowCount(len(rows))
    for r, values in enumerate(rows):
        for c, text in enumerate(values):
            item = QTableWidgetItem(text)
            if colours is not None and colours[r] is not None:
                item.setForeground(colours[r])  # type: ignore[arg-type]
            table.setItem(r, c, item)
    fit_columns(table)




def _organisations(_hall: Hall) -> list[Choice]:
    from desktop.services.case_actions import organisation_choices

    return [Choice(o.code, o.name, o.keys) for o in organisation_choices()]


def _md(day: date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else "—"


@dataclass(frozen=True)
class _After:
    board: list[BoardRow]
    backlog: list[BacklogCase]
    stats: list[LeaderDayStats]
    today: date
    default_due: date  # 访后限期办结 counted from today: a new deadline for a case whose deadline has passed


class LeaderBoardPanel(QWidget):
    """包案事项 (overdue in red, 督办), 积案, and 接访统计 per leader and day."""

    # 最新进展 last, taking the room left: the stretched 督办 column had held 0次 across half the screen
    BOARD = ("事项编号", "信访人", "包案领导", "责任单位", "办结期限", "剩余天数", "状态", "督办", "最新进展")
    BACKLOG = ("事项编号", "信访人", "登记日期", "状态", "包案领导", "列为积案的原因")
    STATS = ("接访日", "接访领导", "接待批次", "接待人次", "包案", "按期办结", "参评", "满意")
    refreshed = Signal()
    case_chosen = Signal(str)  # a case number double-clicked on the board or the backlog: open it
    document_ready = Signal(object)  # the chosen case's 领导接访交办单 (RenderedDocument), to preview and print

    def __init__(self, ctx: WorkContext) -> None:
        super().__init__()
        self.ctx, self.actor = ctx, ctx.actor
        self.tasks = ctx.group(self)
        self.acting = ctx.group(self)  # 督办, never held up by a read
        self.rows: list[BoardRow] = []
        self._said_concluded = False
        self.today = self.default_due = date.min
        self.board = read_only_table(self.BOARD, alternate=False)
        self.backlog = read_only_table(self.BACKLOG, alternate=False)
        self.stats = read_only_table(self.STATS, alternate=False)
        self.summary = label("", "subtitle")
        self.urge_text = QLineEdit()
        self.urge_text.setPlaceholderText("督办意见，如：请于本周五前报告办理进展")
        self.urge_button = QPushButton("督办所选事项")
        self.urge_button.setObjectName("primary")
        self.urge_button.setVisible(ctx.may(Permission.SUPERVISE))
        self.urge_text.setVisible(ctx.may(Permission.SUPERVISE))
        # 改派 / 调整期限: the leader replaces a unit that let its deadline pass, or gives it more time
        self.reassign_unit = ChoiceBox("改派给：单位名称、简称或拼音（不选则原单位）")
        self.reassign_due = QDateEdit()
        self.reassign_due.setCalendarPopup(True)
        self.reassign_due.setDisplayFormat("yyyy年M月d日")
        self.reassign_reason = QLineEdit()
        self.reassign_reason.setPlaceholderText("理由，如：原责任单位逾期未办结")
        self.reassign_button = secondary_button("改派或调整期限")
        self.form_button = secondary_button("打印交办单")
        self.form_button.setToolTip("所选事项的领导接访交办单（改派后交给新的责任单位）")
        self.reassign_caption = label("新的期限", "field")
        self.reassign_caption.setWordWrap(False)
        for widget in (self.reassign_unit, self.reassign_caption, self.reassign_due, self.reassign_reason,
                       self.reassign_button, self.form_button):
            widget.setVisible(ctx.may(Permission.LEADER_DECIDE))
        self.message = message_label()
        tabs = QTabWidget()
        board_page = QWidget()
        column = QVBoxLayout(board_page)
        column.addWidget(self.summary)
        column.addWidget(self.board, 1)
        row = QHBoxLayout()
        row.addWidget(self.urge_text, 1)
        row.addWidget(self.urge_button)
        column.addLayout(row)
        again = QHBoxLayout()
        again.addWidget(self.reassign_unit, 3)
        again.addWidget(self.reassign_caption)
        again.addWidget(self.reassign_due)
        again.addWidget(self.reassign_reason, 3)
        again.addWidget(self.reassign_button)
        again.addWidget(self.form_button)
        column.addLayout(again)
        column.addWidget(self.message)
        tabs.addTab(board_page, "包案事项")
        tabs.addTab(self.backlog, "积案")
        tabs.addTab(self.stats, "接访统计")
        self.tabs = tabs
        layout = QVBoxLayout(self)
        layout.addWidget(tabs)
        self.urge_button.clicked.connect(self.urge)
        self.board.setToolTip("双击或按回车打开该事项的办理经过")
        self.backlog.setToolTip("双击或按回车打开该事项的办理经过")
        # activated: a double click, or Enter on the row (the keyboard had no way to open a case)
        self.board.activated.connect(lambda index: self._open(self.board, index.row()))
        self.backlog.activated.connect(lambda index: self._open(self.backlog, index.row()))
        self.urge_text.returnPressed.connect(self.urge)
        self.reassign_button.clicked.connect(self.reassign)
        self.form_button.clicked.connect(self.print_form)
        self.reassign_reason.returnPressed.connect(self.reassign)
        self.board.itemSelectionChanged.connect(self._chosen)
        self.selects = [SelectOnTabIn(t) for t in (self.board, self.backlog)]  # 督办 acts on a row that looks chosen
        enter_presses(self.urge_button, self.reassign_button, self.form_button)
        if ctx.may(Permission.LEADER_DECIDE):
            self.tasks.run(_organisations, self.reassign_unit.set_choices)
        ctx.tasks.changed.connect(self._changed)
        self._again = False
        self.tasks.settled.connect(self._settled)
        self.refresh()

    def _open(self, table: QTableWidget, row: int) -> None:
        item = table.item(row, 0)  # the case number is each list's first column
        if item is not None and item.text():
            self.case_chosen.emit(item.text())

    def _changed(self, changes: Changes) -> None:
        if changes.cases or changes.reception or changes.reference:
            self.refresh()

    def _settled(self) -> None:
        if self._again and not self.tasks.busy:
            self._again = False
            self.refresh()

    def refresh(self) -> None:
        if self.tasks.busy:
            self._again = True
            return
        actor, supervise = self.actor, self.ctx.may(Permission.SUPERVISE)

        def read(hall: Hall) -> _After:
            from desktop.services import leaderday

            stats = leaderday.leader_day_statistics(hall, actor) if supervise else []
            today = hall.today()
            return _After(leaderday.board(hall, actor), leaderday.backlog_cases(hall, actor), stats, today,
                          leaderday.default_due(hall, today))

        self.tasks.run(read, self._show, lambda e: set_tone(self.message, "error", user_message(e, "读取包案事项")))

    def _show(self, after: _After) -> None:
        row = self.board.currentRow()
        chosen = self.rows[row].case_number if 0 <= row < len(self.rows) and self.board.selectedItems() else ""
        self.rows, self.today, self.default_due = after.board, after.today, after.default_due
        tomorrow = after.today + timedelta(days=1)
        self.reassign_due.setMinimumDate(QDate(tomorrow.year, tomorrow.month, tomorrow.day))
        open_rows = [b for b in after.board if not b.concluded]
        overdue = sum(1 for b in after.board if b.overdue)
        self.summary.setText(f"领导包案{len(after.board)}件：在办{len(open_rows)}件，已超期{overdue}件，"
                             f"已办结{len(after.board) - len(open_rows)}件；积案{len(after.backlog)}件")
        fill_table(self.board, [(b.case_number, b.petitioner, b.leader, b.unit, _md(b.due),
                            "已办结" if b.concluded else ("—" if b.days_left is None else
                                                         f"超期{-b.days_left}天" if b.days_left < 0
                                                         else "今天到期" if b.days_left == 0
                                                         else f"{b.days_left}天"),
                            b.state, f"{b.reminders}次", b.progress) for b in after.board],
              [_RED if b.overdue else (_GREEN if b.concluded else None) for b in after.board])
        # the case chosen stays chosen when the list is read again in another order: 督办 goes to the case
        # the leader picked, never to whichever case now sits in its row
        self.board.clearSelection()
        self.board.setCurrentCell(-1, -1)
        for index, b in enumerate(after.board):
            if b.case_number == chosen:
                self.board.selectRow(index)
        if not self.board.selectedItems():  # none chosen yet: the usual period from today, not tomorrow (the minimum)
            due = self.default_due
            self.reassign_due.setDate(QDate(due.year, due.month, due.day))
        self._follow_choice()
        fill_table(self.backlog, [(c.case_number, c.petitioner, _md(c.received_on), c.state, c.leader or "—", c.reason)
                             for c in after.backlog])
        fill_table(self.stats, [(s.title, s.leader, str(s.batches), str(s.persons), str(s.assigned),
                            str(s.concluded_on_time), str(s.rated), str(s.satisfied)) for s in after.stats])
        self.refreshed.emit()

    def urge(self) -> None:
        row = self.board.currentRow()
        if self.acting.busy:
            return
        if not 0 <= row < len(self.rows):
            set_tone(self.message, "error", "请先在列表中选择要督办的事项")
            return
        actor, number, text = self.actor, self.rows[row].case_number, self.urge_text.text()

        def record(hall: Hall) -> str:
            from desktop.services import leaderday

            leaderday.urge(hall, actor, number, text)
            return number

        self.acting.run(record, self._urged, lambda e: set_tone(self.message, "error", user_message(e, "督办")))

    def _follow_choice(self) -> None:
        """督办 and 改派 offered for a case still open; a concluded one says why they are not (the service refuses
        them too). With no case chosen they stay on and, clicked, ask for one."""
        row = self.board.currentRow()
        chosen = self.rows[row] if 0 <= row < len(self.rows) and self.board.selectedItems() else None
        concluded = chosen is not None and chosen.concluded
        why = f"{chosen.case_number}已办结，无需督办或改派" if chosen is not None and concluded else ""
        for widget in (self.urge_text, self.urge_button, self.reassign_unit, self.reassign_due, self.reassign_reason,
                       self.reassign_button):
            widget.setEnabled(not concluded)
            widget.setToolTip(why)
        if concluded:
            set_tone(self.message, "notice", f"{why}（可打印交办单，或双击查看办理经过）")
        elif self._said_concluded:  # an open case chosen after: the note no longer holds
            set_tone(self.message, "", "")
        self._said_concluded = concluded

    def _chosen(self) -> None:
        """The new deadline offered for the chosen case: 访后限期办结 from today, the case's own when later."""
        self._follow_choice()
        row = self.board.currentRow()
        if not 0 <= row < len(self.rows) or not self.board.selectedItems():
            return
        b = self.rows[row]
        # a unit replaced or given more time gets the usual period from today (its own deadline, two days off,
        # offered again would move nothing); never shorter than the deadline it has (nor tomorrow, a Sunday)
        due = b.due if b.due is not None and b.due > self.default_due else self.default_due
        self.reassign_due.setDate(QDate(due.year, due.month, due.day))

    def reassign(self) -> None:
        row = self.board.currentRow()
        if self.acting.busy:
            return
        if not 0 <= row < len(self.rows) or not self.board.selectedItems():
            set_tone(self.message, "error", "请先在列表中选择要改派或调整期限的事项")
            return
        picked = self.reassign_due.date()
        actor, number, reason = self.actor, self.rows[row].case_number, self.reassign_reason.text()
        code, due = self.reassign_unit.code(), date(picked.year(), picked.month(), picked.day())

        def record(hall: Hall) -> tuple[str, str]:
            from desktop.services import leaderday

            view = leaderday.reassign(hall, actor, number, unit_codes=[code] if code else [], due=due, reason=reason)
            return (f"已改派：{number} 由{view.leader_unit}办理，限{format_date(due)}前办结（已记入该事项的办理经过）",
                    leaderday.deadline_note(hall, due))

        self.acting.run(record, self._reassigned, lambda e: set_tone(self.message, "error", user_message(e, "改派")))

    def print_form(self) -> None:
        """The chosen case's 领导接访交办单, with its unit and deadline as they now stand."""
        row = self.board.currentRow()
        if self.acting.busy:
            return
        if not 0 <= row < len(self.rows) or not self.board.selectedItems():
            set_tone(self.message, "error", "请先在列表中选择要打印交办单的事项")
            return
        actor, number = self.actor, self.rows[row].case_number

        def issue(hall: Hall) -> RenderedDocument:
            from desktop.services import leaderday

            return leaderday.assignment_form(hall, actor, number)

        self.acting.run(issue, self.document_ready.emit,
                        lambda e: set_tone(self.message, "error", user_message(e, "打印交办单")))

    def _reassigned(self, said: tuple[str, str]) -> None:
        done, note = said
        self.reassign_reason.clear()
        self.reassign_unit.setEditText("")
        set_tone(self.message, "notice" if note else "ok", f"{done}。{note}" if note else done)

    def _urged(self, number: str) -> None:
        self.urge_text.clear()
        set_tone(self.message, "ok", f"已督办：{number}（已记入该事项的办理经过）")


class SchedulePanel(QWidget):
    """接访安排: generate the months' reception days by the rule, add a day by hand, the office's list."""

    COLUMNS = ("接访日", "来源", "接访领导", "接访主题", "地点", "参加单位", "预约", "候补", "名单送领导办公室")
    document_ready = Signal(object)  # the office's list (RenderedDocument) to preview and print
    refreshed = Signal()

    def __init__(self, ctx: WorkContext) -> None:
        super().__init__()
        self.ctx, self.actor = ctx, ctx.actor
        self.tasks = ctx.group(self)
        self.days: list[ReceptionDay] = []
        self.months = QSpinBox()
        self.months.setRange(1, 24)
        self.months.setValue(6)
        self.months.setSuffix(" 个月")
        self.leaders = QLineEdit()
        self.leaders.setPlaceholderText("接访领导，多人用顿号分隔，如：县长 周建华、副县长 李明")
        self.topics = QLineEdit()
        self.topics.setPlaceholderText("接访主题（选填）")
        self.unit_box = ChoiceBox("参加接访的单位：名称、简称或拼音首字母")
        self.add_unit = secondary_button("加入单位")
        self.units: list[str] = []
        self.units_label = label("参加单位：未选", "hint")
        self.generate_button = QPushButton("按规则生成接访日")
        self.generate_button.setObjectName("primary")
        self.day = QDateEdit()
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("yyyy年M月d日")
        self.add_button = secondary_button("添加这一天")
        self.update_button = secondary_button("修改所选日")
        self.update_button.setToolTip("所选接访日改用上面填写的接访领导、主题和参加单位（未填写的保持不变）")
        self.remove_button = secondary_button("删除所选日")
        self.remove_button.setToolTip("删除没有人预约的接访日（先确认）；已有人预约的，说明有几人，不能删除")
        self.list_button = secondary_button("打印所选日预约名单")
        self.export_button = secondary_button("导出名单（CSV）")
        self.rule = label("", "hint")
        self.confirm: QMessageBox | None = None  # a day added on a rest day is asked about first
        self.table = read_only_table(self.COLUMNS, alternate=False)
        self._fitted_width = -1
        self.table.viewport().installEventFilter(self)
        self.message = message_label()
        settings = ctx.settings
        from desktop.domain.reception import RestDayRule, parse_slots, slots_in_words

        self.rule.setText(f"规则：每月{settings.reception_day_of_month}日；逢休息日"
                          f"{RestDayRule(settings.reception_rest_day).label}（节假日按期限计算所用的日历）；"
                          f"时段与名额：{slots_in_words(parse_slots(settings.reception_slots))}；预约名单于接访日前5天送领导办公室（逢休息日提前至前一个工作日）。")
        top = QHBoxLayout()
        top.addWidget(self.leaders, 3)
        top.addWidget(self.topics, 2)
        top.addWidget(self.months)
        top.addWidget(self.generate_button)
        units = QHBoxLayout()
        units.addWidget(self.unit_box, 2)
        units.addWidget(self.add_unit)
        units.addWidget(self.units_label, 3)
        hand = QHBoxLayout()
        hand.addWidget(label("另加接访日", "field"))
        hand.addWidget(self.day)
        hand.addWidget(self.add_button)
        hand.addWidget(self.update_button)
        hand.addWidget(self.remove_button)
        hand.addStretch(1)
        hand.addWidget(self.list_button)
        hand.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.rule)
        layout.addLayout(top)
        layout.addLayout(units)
        layout.addLayout(hand)
        layout.addWidget(self.message)
        layout.addWidget(self.table, 1)
        self.generate_button.clicked.connect(self.generate)
        self.add_button.clicked.connect(self.add)
        self.update_button.clicked.connect(self.update_selected)
        self.remove_button.clicked.connect(self.remove_selected)
        self.list_button.clicked.connect(self.office_list)
        self.export_button.clicked.connect(self._ask_export)
        self.add_unit.clicked.connect(self._add_unit)
        # By keyboard: Enter goes 接访领导 → 主题 → 月数 → 按规则生成接访日 (Enter there generates), a unit picked
        # with Enter is added, and every button takes Enter as Space.
        self.keys = EnterMovesOn(self, [self.leaders, self.topics, self.months],
                                 lambda: self.generate_button.setFocus(Qt.FocusReason.TabFocusReason))
        self.day_keys = EnterMovesOn(self, [self.day], lambda: self.add_button.setFocus(Qt.FocusReason.TabFocusReason))
        self.unit_box.committed.connect(self._add_unit)
        self.select_on_tab = SelectOnTabIn(self.table)
        enter_presses(self.generate_button, self.add_unit, self.add_button, self.update_button, self.remove_button,
                      self.list_button, self.export_button)
        self.tasks.run(_organisations, self.unit_box.set_choices)
        ctx.tasks.changed.connect(self._changed)
        self.refresh()

    def _changed(self, changes: Changes) -> None:
        if changes.reception:
            self.refresh()

    def _add_unit(self) -> None:
        code = self.unit_box.code()
        if code and code not in self.units:
            self.units.append(code)
        names = [self.unit_box.itemText(self.unit_box.findData(c, Qt.ItemDataRole.UserRole)) for c in self.units]
        self.units_label.setText("参加单位：" + ("、".join(names) or "未选"))
        self.unit_box.setEditText("")

    def _names(self) -> list[str]:
        return [n for n in self.leaders.text().replace("，", "、").replace(",", "、").split("、") if n.strip()]

    def refresh(self) -> None:
        actor = self.actor

        def read(hall: Hall) -> tuple[list[ReceptionDay], date, list[date]]:
            from desktop.services import reception

            days = reception.list_days(hall, actor)
            return days, hall.today(), [reception.office_notice_on(hall, d.day) for d in days]

        self.tasks.run(read, self._show, self._refused)

    def _show(self, found: tuple[list[ReceptionDay], date, list[date]]) -> None:
        row = self.table.currentRow()
        chosen = self.days[row].day_id if 0 <= row < len(self.days) and self.table.selectedItems() else ""
        self.days, today, notices = found
        if self.day.date() < QDate(today.year, today.month, today.day):
            self.day.setDate(QDate(today.year, today.month, today.day))
        fill_table(self.table, [(format_date(d.day), d.origin, "、".join(d.leaders), d.topics or "—", d.place,
                                 "、".join(d.unit_names),
                                 d.places_in_words, str(d.waiting),
                                 office_list_words(tell, today, d.created_on))
                                for d, tell in zip(self.days, notices, strict=True)])
        self._fit_columns()
        self.table.clearSelection()  # the day chosen stays chosen when a day is added before it
        self.table.setCurrentCell(-1, -1)
        for index, d in enumerate(self.days):
            if d.day_id == chosen:
                self.table.selectRow(index)
        self.refreshed.emit()

    #: Columns whose long words wrap (each day the same place, long topics and units) so that the dates, the
    #: places left and the day the list goes out stay whole on a 1366 screen.
    WRAPPED = ("接访领导", "接访主题", "地点", "参加单位")

    def _fit_columns(self) -> None:
        table = self.table
        fit_columns(table)
        room = table.viewport().width()
        wrapped = [self.COLUMNS.index(name) for name in self.WRAPPED]
        floor = table.fontMetrics().horizontalAdvance("参加接访单位")
        over = sum(table.columnWidth(c) for c in range(table.columnCount())) - room
        while over > 0:
            widest = max(wrapped, key=table.columnWidth)
            width = table.columnWidth(widest)
            if width <= floor:
                break
            cut = min(over, width - floor, max(8, width // 10))
            table.setColumnWidth(widest, width - cut)
            over -= cut
        table.setWordWrap(True)
        table.resizeRowsToContents()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """The table's width changed (the window resized, or the tab first shown): the columns fit it again."""
        if watched is self.table.viewport() and event.type() == QEvent.Type.Resize and self.days:
            width = self.table.viewport().width()
            if width != self._fitted_width:
                self._fitted_width = width
                self._fit_columns()
        return super().eventFilter(watched, event)

    def generate(self) -> None:
        actor, months, names, topics, units = (self.actor, self.months.value(), self._names(), self.topics.text(),
                                               list(self.units))

        def run(hall: Hall) -> tuple[str, str]:
            from desktop.services import reception

            today = hall.today()
            days = reception.generate_schedule(hall, actor, date(today.year, today.month, 1), months,
                                               leaders=names, topics=topics, units=units)
            return (f"已按规则安排{len(days)}个接访日（已有的安排保持不变）",
                    reception.schedule_notes(hall, [d.day for d in days]))

        self.tasks.run(run, self._done, self._refused)

    def _done(self, said: tuple[str, str]) -> None:
        """What was done, and what to check about it (a rest day, a year without holiday data) in its own tone."""
        done, note = said
        set_tone(self.message, "notice" if note else "ok", f"{done}。{note}" if note else done)

    def add(self) -> None:
        """What cannot be done is said first (no leader, a past day …), nothing asked; then a rest day is asked
        about: kiosks offer the day at once, and it is not removed again."""
        picked = self.day.date()
        day = date(picked.year(), picked.month(), picked.day())
        actor, names, units = self.actor, self._names(), list(self.units)

        def check(hall: Hall) -> str:
            from desktop.services import reception

            return reception.addition_check(hall, actor, day, leaders=names, units=units)

        self.tasks.run(check, lambda why: self._ask_rest_day(day, why) if why else self._add(day), self._refused)

    def _ask_rest_day(self, day: date, why: str) -> None:
        self.confirm, _ = ask(self, "添加接访日", f"{format_date(day)}是{why}，不是工作日。\n接访日添加后群众即可在"
                              "自助终端和窗口预约，有人预约后不能再删除。\n仍要在这一天安排领导接访吗？", go="仍要添加",
                              stay="返回修改日期", on_go=lambda: self._add(day), on_stay=self.day.setFocus,
                              go_role=QMessageBox.ButtonRole.AcceptRole, icon=QMessageBox.Icon.Question)

    def _add(self, day: date) -> None:
        actor, names, topics, units = self.actor, self._names(), self.topics.text(), list(self.units)

        def run(hall: Hall) -> tuple[str, str]:
            from desktop.services import reception

            added = reception.add_day(hall, actor, day, leaders=names, topics=topics, units=units)
            return f"已添加接访日：{added.title}", reception.schedule_notes(hall, [added.day])

        self.tasks.run(run, self._done, self._refused)

    def update_selected(self) -> None:
        """The chosen day's leaders, topics and units changed (a leader called away); what is left empty stays."""
        row = self.table.currentRow()
        if not 0 <= row < len(self.days) or not self.table.selectedItems():
            set_tone(self.message, "error", "请先在下表中选择要修改的接访日")
            return
        day = self.days[row]
        kept_units = [self.unit_box.itemData(self.unit_box.findText(n), Qt.ItemDataRole.UserRole)
                      for n in day.unit_names]
        actor, day_id, place = self.actor, day.day_id, day.place
        leaders, topics = self._names() or list(day.leaders), self.topics.text().strip() or day.topics
        units = list(self.units) or [str(c) for c in kept_units if c]

        def run(hall: Hall) -> tuple[str, str]:
            from desktop.services import reception

            changed = reception.update_day(hall, actor, day_id, leaders=leaders, place=place, topics=topics,
                                           units=units)
            return f"已修改接访日：{changed.title}", ""

        self.tasks.run(run, self._done, self._refused)

    def remove_selected(self) -> None:
        """删除所选日: asked first when nobody is booked on it; refused in words (how many are booked) otherwise."""
        row = self.table.currentRow()
        if not 0 <= row < len(self.days) or not self.table.selectedItems():
            set_tone(self.message, "error", "请先在下表中选择要删除的接访日")
            return
        actor, day_id = self.actor, self.days[row].day_id

        def check(hall: Hall) -> Removal:
            from desktop.services import reception

            return reception.removal(hall, actor, day_id)

        self.tasks.run(check, self._ask_remove, self._refused)

    def _ask_remove(self, found: Removal) -> None:
        if found.refusal:
            set_tone(self.message, "error", found.refusal)
            return
        self.confirm, _ = ask(self, "删除接访日", found.question, go="删除该接访日", stay="保留",
                              on_go=lambda: self._remove(found.day.day_id))

    def _remove(self, day_id: str) -> None:
        actor = self.actor

        def run(hall: Hall) -> tuple[str, str]:
            from desktop.services import reception

            removed = reception.remove_day(hall, actor, day_id)
            return f"已删除接访日：{removed.title}", ""

        self.tasks.run(run, self._done, self._refused)

    def office_list(self) -> None:
        row = self.table.currentRow()
        if not 0 <= row < len(self.days):
            set_tone(self.message, "error", "请先在列表中选择接访日")
            return
        actor, day_id = self.actor, self.days[row].day_id

        def issue(hall: Hall) -> RenderedDocument:
            from desktop.services import reception

            return reception.office_notice_document(hall, actor, day_id)

        self.tasks.run(issue, self.document_ready.emit, self._refused)

    def _ask_export(self) -> None:
        row = self.table.currentRow()
        if not 0 <= row < len(self.days):
            set_tone(self.message, "error", "请先在列表中选择接访日")
            return
        path, _filter = QFileDialog.getSaveFileName(self, "导出领导接访预约名单",
                                                    f"领导接访预约名单-{self.days[row].day.isoformat()}.csv",
                                                    "CSV (*.csv)")
        if path:
            self.export_list(Path(path))

    def export_list(self, path: Path) -> None:
        """The selected day's list for the leader's office, as CSV (UTF-8 with BOM: Excel opens it as is)."""
        row = self.table.currentRow()
        if not 0 <= row < len(self.days):
            return
        actor, day_id = self.actor, self.days[row].day_id

        def run(hall: Hall) -> int:
            from desktop.services import reception

            notice = reception.office_notice(hall, actor, day_id)
            path.write_text(notice.csv_text(), encoding="utf-8-sig")
            return len(notice.appointments)

        self.tasks.run(run, lambda n: set_tone(self.message, "ok", f"已导出{n}人的预约名单：{path.name}"),
                       self._refused)

    def _refused(self, error: Exception) -> None:
        """Said under the fields; the field it names (接访领导 left empty) takes the focus."""
        set_tone(self.message, "error", user_message(error, "安排领导接访日"))
        widget = {"leaders": self.leaders, "units": self.unit_box, "months": self.months}.get(
            str(getattr(error, "field", "") or ""))
        if widget is not None:
            widget.setFocus(Qt.FocusReason.OtherFocusReason)
