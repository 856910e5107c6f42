"""The leader's day: today's list in order, the current visitor's dossier, and one place to decide.

Large and calm: the list on the left, the dossier in the middle, 批示 / 决定 / 包案 on the right.
The dossier is masked until 显示完整信息 (one audit entry per reveal, never per selection).
Each earlier case's materials are links: a tap (or Enter on one) opens it as on the case screen.
Saving records 批示 (and 包案) as events on the visitor's case; 打印交办单 issues the
领导接访交办单 with the signed-in leader's name, handed to the window to preview and print.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from functools import partial
from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.access import Permission
from desktop.domain.deadlines import format_date
from ui.common.choice import Choice, ChoiceBox
from ui.common.material_links import MaterialOpener, SourceOf, material_at, material_links
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
    from desktop.services.attachments import AttachmentRef
    from desktop.services.changes import Changes
    from desktop.services.context import Hall
    from desktop.services.leaderday import Decision, Dossier
    from desktop.services.reception import Appointment, ReceptionDay

WALK_INS = ("现场来访：群众取“领导接访”号，窗口叫号后按“加入今日领导接访”即列入此名单（约满则候补），"
            "此列表随即更新。")
_NO_DATE = QDate(2000, 1, 1)
_STYLE = ("QWidget { font-size: 13pt; } QTableWidget { font-size: 14pt; } QTextBrowser { font-size: 14pt; }"
          "QPushButton { min-height: 40px; }")


@dataclass(frozen=True)
class _DayList:
    days: list[ReceptionDay]
    appointments: list[Appointment]


@dataclass(frozen=True)
class _Opened:
    dossier: Dossier
    default_due: date
    not_yet: str = ""  # why no 批示 can be recorded yet (a reception day still to come), else ""


def dossier_materials(d: Dossier) -> list[AttachmentRef]:
    """The materials the dossier lists, in the order of its links (``material:0`` the first)."""
    return [ref for c in d.cases for ref in c.attachments]


#: A booking linked to no case: what the leader waits for before recording 批示 (the clerk's 不关联 too).
NOT_LINKED = ("尚未关联信访事项：窗口为此来访人登记事项后即自动关联（或在“领导接访预约”中关联其以前的事项），"
              "再记录批示")


def _dossier_html(d: Dossier) -> str:
    a = d.appointment
    head = (f"<h2>{escape(a.name)}　<span style='font-weight:normal;font-size:13pt;'>{escape(a.slot_label)}　"
            f"{a.persons_count}人　{escape(d.id_number)}　{escape(d.phone)}</span></h2>")
    if d.revealed:
        head += "<p style='color:#7a4b00;'>（显示完整个人信息，已记录查看）</p>"
    if a.summary:
        head += f"<p><b>本次诉求：</b>{escape(a.summary)}</p>"
    # which of the cases below the 批示 and 包案 are recorded on (the list no longer has the number)
    head += (f"<p><b>批示记入事项：</b>{escape(a.case_in_words.removeprefix('已关联'))}</p>" if a.case_number else
             f"<p style='color:#7a4b00;'>{NOT_LINKED}</p>")
    parts = [head, f"<h3>信访经历（{len(d.cases)}件）</h3>"]
    linked = 0  # the materials of the cases above: each case's links number on from them
    if not d.cases:
        parts.append("<p>无此前信访事项：初次来访。</p>")
    else:
        parts.append(f"<p><b>{escape(d.history)}</b></p>")
    for c in d.cases:
        if c.withheld:
            parts.append(f"<p><b>{escape(c.case_number)}</b>　{escape(c.request)}</p>")
            continue
        # dates with their year: a long history spans years, and a deadline may fall in the next one
        due = (f"当前期限 {format_date(c.next_due)}（{escape(c.next_due_rule)}）" if c.next_due else "无在办期限")
        taken = (f"　包案：{escape(c.leader)}，限{format_date(c.leader_due)}前办结"
                 if c.leader and c.leader_due else "")
        steps = "".join(f"<li>{escape(e.when)} <b>{escape(e.what)}</b> {escape(e.who)}"
                        f"{('：' + escape(e.text)) if e.text else ''}</li>" for e in c.events)
        extra = ""
        if c.documents:
            extra += f"<p>文书：{escape('；'.join(c.documents))}</p>"
        if c.attachments:  # each a link: a tap shows it (fetched from the server when this PC lacks it)
            # one a line: in the dossier's column several on a line broke names in two, a link in two pieces
            extra += (f"<p>材料：{'<br/>' if len(c.attachments) > 1 else ''}"
                      f"{material_links(c.attachments, linked, between='<br/>')}</p>")
            linked += len(c.attachments)
        parts.append(f"<p><b>{escape(c.case_number)}</b>　{escape(c.state)}　{escape(c.topic)}<br/>"
                     f"责任单位：{escape(c.unit or '尚未确定')}　{due}{taken}<br/>诉求：{escape(c.request)}</p>"
                     f"<ul>{steps}</ul>{extra}")
    if d.notes:
        parts.append("<h3>工作人员批注</h3><ul>" + "".join(
            f"<li>{escape(n.author)}（{escape(n.at)}）：{escape(n.text)}</li>" for n in d.notes) + "</ul>")
    return "".join(parts)


def _caption(text: str) -> QLabel:
    caption = label(text, "field")
    caption.setWordWrap(False)  # a short caption beside its field never breaks into a column
    return caption


class LeaderDayScreen(QWidget):
    """今日接访 (see the module's docstring)."""

    # the case number is in the dossier and the row's tooltip: as a column it was cut off at 1366 and 1920 wide
    COLUMNS = ("时段", "来访人", "人数", "状态")
    #: How often the list is read again without being told of a change.
    REREAD_MS = 20_000
    document_ready = Signal(object)  # RenderedDocument to preview and print (交办单, 简报)
    refreshed = Signal()
    opened = Signal()  # a dossier is on screen
    decided = Signal(object)  # Decision

    def __init__(self, ctx: WorkContext, *, material_source: SourceOf | None = None) -> None:
        super().__init__()
        self.ctx, self.actor = ctx, ctx.actor
        self.tasks = ctx.group(self)  # reading the list and the dossier
        self.acting = ctx.group(self)  # saving and issuing, never held up by a read
        self.fetching = ctx.group(self)  # a material from the server: the list and the dossier refresh meanwhile
        self.setStyleSheet(_STYLE)
        self.days: list[ReceptionDay] = []
        self.rows: list[Appointment] = []
        self.current: Appointment | None = None
        self.dossier: Dossier | None = None
        self.units: list[str] = []
        self.drafts: dict[str, tuple[str, str]] = {}  # unsaved 批示 and 决定 of the visitors the leader moved away from
        self.draft_names: dict[str, str] = {}  # whose they are (a visitor of a day no longer shown is named too)
        self.saving = ""  # the appointment whose decision is being saved
        self.keys_on_save = False  # 保存批示 pressed from the keyboard: the keys go on from it once saved
        self.confirm: QMessageBox | None = None  # a 包案 is asked about before it is recorded
        self.confirm_go: QPushButton | None = None
        self.day_box = QComboBox()
        self.day_box.setMinimumWidth(260)
        # The day's leaders and place on a line of their own, wrapped: in the drop-down they were cut at 1366×768
        # (2026年12月6日（星期日）（县长 周建华、副县长 李…) however long the list of leaders was.
        self.day_line = label("", "hint")
        self.day_line.setWordWrap(True)
        self.summary = label("", "subtitle")
        self.table = read_only_table(self.COLUMNS, alternate=False)
        self.table.verticalHeader().setDefaultSectionSize(44)
        self.view = QTextBrowser()
        self.view.setOpenLinks(False)  # a material's link opens it here, never as an address
        self.material_note = message_label()  # 正在打开材料…, or why it cannot be shown
        self.material_note.setWordWrap(True)
        #: Opens the dossier's materials; where one this PC lacks is fetched from (default: the device's server).
        self.materials = MaterialOpener(self, self.fetching, self.actor, source=material_source,
                                        say=lambda text, tone: set_tone(self.material_note, tone, text),
                                        refusal=lambda error: user_message(error, "打开材料"))
        self.reveal_button = secondary_button("显示完整信息")
        self.reveal_button.setVisible(ctx.may(Permission.REVEAL_PERSONAL))
        self.brief_button = secondary_button("打印简报")
        self.note = QLineEdit()
        self.note.setPlaceholderText("批注（如：来电称已向镇里反映过两次）")
        self.note_button = secondary_button("添加批注")
        # the decision
        self.instruction = QPlainTextEdit()
        self.instruction.setTabChangesFocus(True)  # Tab goes on to 决定 (it typed a tab: the keyboard was stuck)
        self.instruction.setPlaceholderText("领导批示（处理意见）")
        self.decision = QLineEdit()
        self.decision.setPlaceholderText("决定（如：包案化解、依法解释）")
        self.decision.setToolTip("决定，如：包案化解、依法解释、转有关部门办理")
        self.take_on = QCheckBox("包案（疑难复杂事项，由我负责督促办结）")
        self.unit_box = ChoiceBox("责任单位（名称、简称或拼音）")
        self.unit_box.setToolTip("责任单位：输入名称、简称或拼音首字母查找，选中后点“添加”")
        self.add_unit = secondary_button("添加")
        self.units_label = label("尚未选择责任单位", "hint")
        self.clear_units = secondary_button("清除")
        self.due = QDateEdit()
        self.due.setCalendarPopup(True)
        self.due.setDisplayFormat("yyyy年M月d日")
        self.due.setMinimumDate(_NO_DATE)  # shown as words until a visitor's default deadline is filled in
        self.due.setSpecialValueText("选择来访人后自动填写")
        self.due.setDate(_NO_DATE)
        self.save_button = QPushButton("保存批示")
        self.save_button.setObjectName("primary")
        self.form_button = secondary_button("打印交办单")
        self.message = message_label()
        self._layout()
        self._enable(False)
        self.picked = ""  # the day the leader chose in the box; otherwise the nearest day (today's)
        self.day_box.currentIndexChanged.connect(self._day_picked)
        self.table.itemSelectionChanged.connect(self._selected)
        self.view.anchorClicked.connect(self._link_clicked)
        self.reveal_button.clicked.connect(lambda: self.open_dossier(reveal=True))
        self.brief_button.clicked.connect(self.print_brief)
        self.note_button.clicked.connect(self.annotate)
        self.add_unit.clicked.connect(self.add_chosen_unit)
        self.clear_units.clicked.connect(self._clear_units)
        self.take_on.toggled.connect(self._take_on_toggled)
        self.save_button.clicked.connect(self.save)
        self.form_button.clicked.connect(self.print_form)
        # By keyboard: Enter adds the note, moves from 决定 on to 包案, adds the unit picked in the list, and
        # presses the button the keys are on.
        self.note.returnPressed.connect(self.annotate)
        self.select_on_tab = SelectOnTabIn(self.table)  # Tab into the list opens the visitor under the cursor
        self.day_keys = EnterMovesOn(self, [self.day_box], lambda: self.table.setFocus(Qt.FocusReason.TabFocusReason))
        self.decision.returnPressed.connect(lambda: self.take_on.setFocus(Qt.FocusReason.TabFocusReason))
        self.unit_box.committed.connect(self.add_chosen_unit)
        enter_presses(self.reveal_button, self.brief_button, self.note_button, self.add_unit, self.clear_units,
                      self.save_button, self.form_button)
        ctx.tasks.changed.connect(self._changed)
        self._again = False
        self.tasks.settled.connect(self._settled)
        # read again now and then: a booking made where no change reaches this window (another program on this
        # database, a push missed) shows within the interval; nothing is redrawn while nothing changed
        self.reread = QTimer(self)
        self.reread.setInterval(self.REREAD_MS)
        self.reread.timeout.connect(lambda: self.refresh(only_if_changed=True) if self.isVisible() else None)
        self.reread.start()
        self._load_units()
        self.refresh()

    def _layout(self) -> None:
        left = QWidget()
        column = QVBoxLayout(left)
        row = QHBoxLayout()
        row.addWidget(_caption("接访日"))
        row.addWidget(self.day_box, 1)
        column.addLayout(row)
        column.addWidget(self.day_line)
        column.addWidget(self.summary)
        column.addWidget(self.table, 1)
        column.addWidget(label(WALK_INS, "hint"))
        middle = QWidget()
        column = QVBoxLayout(middle)
        buttons = QHBoxLayout()
        buttons.addWidget(label("接访预案", "subtitle"), 1)
        buttons.addWidget(self.reveal_button)
        buttons.addWidget(self.brief_button)
        column.addLayout(buttons)
        column.addWidget(self.view, 1)
        column.addWidget(self.material_note)
        notes = QHBoxLayout()
        notes.addWidget(self.note, 1)
        notes.addWidget(self.note_button)
        column.addLayout(notes)
        right = QGroupBox("批示与包案")
        column = QVBoxLayout(right)
        column.addWidget(self.instruction, 2)
        column.addWidget(self.decision)
        column.addWidget(self.take_on)
        units = QHBoxLayout()
        units.addWidget(self.unit_box, 1)
        units.addWidget(self.add_unit)
        column.addLayout(units)
        chosen = QHBoxLayout()
        chosen.addWidget(self.units_label, 1)
        chosen.addWidget(self.clear_units)
        column.addLayout(chosen)
        due = QHBoxLayout()
        due.addWidget(_caption("访后限期办结"))
        due.addWidget(self.due, 1)
        column.addLayout(due)
        column.addWidget(self.message)
        column.addStretch(1)
        actions = QHBoxLayout()
        actions.addWidget(self.form_button)
        actions.addWidget(self.save_button, 1)
        column.addLayout(actions)
        body = QSplitter(Qt.Orientation.Horizontal)
        for part in (left, middle, right):
            body.addWidget(part)
        body.setSizes([640, 700, 540])
        layout = QVBoxLayout(self)
        layout.addWidget(body)

    def _enable(self, on: bool) -> None:
        for widget in (self.brief_button, self.note, self.note_button, self.instruction, self.decision,
                       self.take_on, self.save_button):
            widget.setEnabled(on)
        self.reveal_button.setEnabled(on)
        self._take_on_toggled(self.take_on.isChecked() and on)
        self.form_button.setEnabled(on and self.current is not None and self.current.taken_on)

    def _day_picked(self, index: int) -> None:
        self.picked = self.days[index].day_id if 0 <= index < len(self.days) else ""
        self.refresh()

    def _take_on_toggled(self, on: bool) -> None:
        for widget in (self.unit_box, self.add_unit, self.clear_units, self.due):
            widget.setEnabled(on)

    # -- reading ------------------------------------------------------------------------------------

    def _load_units(self) -> None:
        def read(_hall: Hall) -> list[Choice]:
            from desktop.services.case_actions import organisation_choices

            return [Choice(o.code, o.name, o.keys) for o in organisation_choices()]

        self.tasks.run(read, self.unit_box.set_choices)

    def _changed(self, changes: Changes) -> None:
        if changes.reception or changes.cases:
            self.refresh()

    def refresh(self, *, only_if_changed: bool = False) -> None:
        """The days and the chosen day's list read again; ``only_if_changed``: shown only if they differ."""
        if self.tasks.busy:
            self._again = self._again or not only_if_changed
            return
        actor, wanted = self.actor, self.picked

        def read(hall: Hall) -> _DayList:
            from desktop.services import reception

            days = reception.list_days(hall, actor)
            day_id = wanted if any(d.day_id == wanted for d in days) else (days[0].day_id if days else "")
            return _DayList(days, reception.appointments(hall, actor, day_id) if day_id else [])

        self.tasks.run(read, self._show_changed if only_if_changed else self._show, self._failed)

    def _show_changed(self, found: _DayList) -> None:
        same_days = [d.day_id for d in found.days] == [d.day_id for d in self.days]
        if not (same_days and found.appointments == self.rows):  # a dossier being read is left as it is
            self._show(found)

    def _show(self, found: _DayList) -> None:
        keep = self.current.appointment_id if self.current else ""
        chosen = self.picked
        self.days = found.days
        self.day_box.blockSignals(True)
        self.day_box.clear()
        for i, day in enumerate(self.days):  # the day alone: its leaders go on the line below (and the tooltip)
            self.day_box.addItem(format_date(day.day))
            self.day_box.setItemData(i, day.title, Qt.ItemDataRole.ToolTipRole)
        index = next((i for i, d in enumerate(self.days) if d.day_id == chosen), 0)
        self.day_box.setCurrentIndex(index if self.days else -1)
        self.day_box.blockSignals(False)
        shown = self.days[index] if self.days else None
        self.day_line.setText(f"接访领导：{'、'.join(shown.leaders) or '待定'}"
                              + (f"　地点：{shown.place}" if shown.place else "") if shown is not None else "")
        self.day_line.setVisible(shown is not None)
        self.rows = found.appointments
        received = sum(1 for a in self.rows if a.status == "已接待")
        waiting = sum(1 for a in self.rows if a.status == "候补")  # on the list, but not (yet) received today
        self.summary.setText((f"共{len(self.rows) - waiting}批次，已接待{received}批次"
                              + (f"；候补{waiting}批次" if waiting else "")) if self.days
                             else "近期没有领导接访日：请在“接访安排”中按规则生成，或另加接访日")
        self.table.blockSignals(True)
        self.table.setRowCount(len(self.rows))
        for r, a in enumerate(self.rows):
            values = (a.slot_label, a.name, f"{a.persons_count}人",
                      a.status + ("·包案" if a.taken_on else "") + ("" if a.case_number else "·待登记"))
            tip = (a.case_in_words if a.case_number
                   else NOT_LINKED)
            for c, text in enumerate(values):
                item = QTableWidgetItem(text)
                item.setToolTip(tip)
                if a.status == "已接待":
                    item.setForeground(QColor("#2e7d32"))
                elif a.status == "候补":
                    item.setForeground(QColor("#7a4b00"))
                self.table.setItem(r, c, item)
        fit_columns(self.table)
        self.table.blockSignals(False)
        row = next((i for i, a in enumerate(self.rows) if a.appointment_id == keep), -1)
        if row >= 0:
            self.table.selectRow(row)
            self.current = self.rows[row]
            self.form_button.setEnabled(self.current.taken_on)
            shown_case = self.dossier.appointment.case_number if self.dossier is not None else None
            if shown_case is not None and shown_case != self.current.case_number:  # linked since it was read (the
                # counter registered the matter): 尚未关联 gave way to the case the 批示 goes on, its history too
                assert self.dossier is not None
                self.open_dossier(reveal=self.dossier.revealed, keep_message=True)
        elif self.current is not None:  # another day shown, or the booking gone: its dossier and form go with it
            self._leave_current()
        self.refreshed.emit()

    def _keep_draft(self) -> None:
        """What was typed for the current visitor waits for them: nothing is lost when the leader moves away."""
        if self.current is None:
            return
        typed = (self.instruction.toPlainText(), self.decision.text())
        if any(t.strip() for t in typed):
            self.drafts[self.current.appointment_id] = typed
            self.draft_names[self.current.appointment_id] = self.current.name
        else:
            self.drafts.pop(self.current.appointment_id, None)

    def _leave_current(self) -> None:
        """No visitor chosen: the dossier of one no longer listed (a visitor of another day; 批示 typed beside it
        would be saved on them) is not left on screen."""
        self._keep_draft()
        self.current = None
        self.table.blockSignals(True)  # no row looks chosen: a tap on the first row opens its visitor
        self.table.clearSelection()
        self.table.setCurrentCell(-1, -1)
        self.table.blockSignals(False)
        self.dossier = None
        self.view.clear()
        set_tone(self.material_note, "", "")
        self.instruction.clear()
        self.decision.clear()
        self.take_on.setChecked(False)
        self._clear_units()
        self.due.setDate(_NO_DATE)
        set_tone(self.message, "", "")
        focused = QApplication.focusWidget()
        typing = focused is not None and focused not in (self.day_box, self.table) and self.isAncestorOf(focused)
        self._enable(False)
        if typing:  # the field the keys were in is greyed: they go to the list, not on to 锁屏 in the header
            self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def _settled(self) -> None:
        if self._again and not self.tasks.busy:
            self._again = False
            self.refresh()

    def _failed(self, error: Exception) -> None:
        set_tone(self.message, "error", user_message(error, "读取接访名单"))
        self.refreshed.emit()

    def _selected(self) -> None:
        row = self.table.currentRow()
        if not 0 <= row < len(self.rows):
            return
        chosen = self.rows[row].appointment_id
        if self.current is None or self.current.appointment_id != chosen:
            self._keep_draft()
            instruction, decision = self.drafts.get(chosen, ("", ""))
            self.instruction.setPlainText(instruction)
            self.decision.setText(decision)
            self.take_on.setChecked(False)
            self._clear_units()
        self.current = self.rows[row]
        self.open_dossier(reveal=False)

    def unsaved_work(self) -> str:
        """The visitors whose 批示 or 决定 is typed and not saved, in words ("" when none)."""
        waiting = dict(self.drafts)
        if self.current is not None and (self.instruction.toPlainText().strip() or self.decision.text().strip()):
            waiting[self.current.appointment_id] = (self.instruction.toPlainText(), self.decision.text())
        names = [a.name for a in self.rows if a.appointment_id in waiting]
        names += [self.draft_names.get(k, "") for k in waiting if all(a.appointment_id != k for a in self.rows)]
        return f"{'、'.join(names)}的批示" if names else ""

    def open_dossier(self, *, reveal: bool, keep_message: bool = False) -> None:
        """The dossier of the selected visitor; ``reveal`` is the deliberate 显示完整信息 (audited once);
        ``keep_message``: read again after a decision, whose confirmation stays said."""
        if self.current is None:
            return
        actor, appointment_id, day = self.actor, self.current.appointment_id, self.current.day

        def read(hall: Hall) -> _Opened:
            from desktop.domain.errors import ValidationError
            from desktop.domain.reception import check_decision_day
            from desktop.services import leaderday

            try:
                check_decision_day(day, hall.today())
                not_yet = ""
            except ValidationError as early:
                not_yet = early.message
            return _Opened(leaderday.dossier(hall, actor, appointment_id, reveal=reveal),
                           leaderday.default_due(hall, max(day, hall.today())), not_yet)

        self.tasks.run(read, partial(self._opened, keep_message=keep_message), self._failed)

    def _opened(self, opened: _Opened, keep_message: bool = False) -> None:
        if self.current is None or self.current.appointment_id != opened.dossier.appointment.appointment_id:
            return  # read for a visitor no longer chosen
        if self.dossier is None or self.dossier.appointment.appointment_id != opened.dossier.appointment.appointment_id:
            set_tone(self.material_note, "", "")  # what was said of another visitor's material
        self.dossier = opened.dossier
        self.view.setHtml(_dossier_html(opened.dossier))
        due = opened.default_due
        self.due.setDate(QDate(due.year, due.month, due.day))
        self._enable(True)
        self.reveal_button.setEnabled(not opened.dossier.revealed)
        self.save_button.setEnabled(not opened.not_yet)  # said before anything is typed, not refused after
        if opened.not_yet:
            set_tone(self.message, "notice", opened.not_yet)
        elif not keep_message:
            set_tone(self.message, "", "")
        self.opened.emit()

    def _link_clicked(self, url: QUrl) -> None:
        ref = material_at(url, dossier_materials(self.dossier)) if self.dossier is not None else None
        if ref is not None:
            self.open_material(ref)

    def open_material(self, ref: AttachmentRef) -> None:
        """Show one material of the visitor's cases: from this PC, or fetched from the server and kept."""
        visitor = self.current.appointment_id if self.current is not None else ""
        # another visitor on screen by then: nothing shows (the same one's dossier read again is still theirs)
        self.materials.open(ref, lambda: self.current is not None and self.current.appointment_id == visitor)

    # -- acting -------------------------------------------------------------------------------------

    def add_chosen_unit(self) -> None:
        code = self.unit_box.code()
        if not code:
            set_tone(self.message, "error", "请从列表中选择责任单位（可输入名称、简称或拼音首字母查找）")
            return
        if code not in self.units:
            self.units.append(code)
        names = [self.unit_box.itemText(self.unit_box.findData(c, Qt.ItemDataRole.UserRole)) for c in self.units]
        self.units_label.setText("责任单位：" + "、".join(names))
        self.unit_box.setEditText("")
        set_tone(self.message, "", "")

    def _clear_units(self) -> None:
        self.units = []
        self.units_label.setText("尚未选择责任单位")
        self.unit_box.setEditText("")

    def annotate(self) -> None:
        if self.current is None or not self.note.text().strip():
            return
        actor, appointment_id, text = self.actor, self.current.appointment_id, self.note.text()

        def write(hall: Hall) -> None:
            from desktop.services import leaderday

            leaderday.annotate(hall, actor, appointment_id, text)

        self.acting.run(write, self._annotated, self._refused)

    def _annotated(self, _none: None) -> None:
        self.note.clear()
        self.open_dossier(reveal=False)  # the note shows at once; a reveal is asked for again, deliberately

    def save(self) -> None:
        """保存批示; a 包案 is asked about first, naming the case, the units and the deadline: it goes on the case's
        record for good (its unit and deadline can only be changed later, by 改派, never taken back)."""
        if self.current is None or self.acting.busy:
            return
        keys = self.save_button.hasFocus()
        if self.take_on.isChecked() and self.unit_box.code() and self.unit_box.code() not in self.units:
            # a unit picked in the box and 添加 not pressed: it is the one meant (the save was refused with
            # 包案须从机构目录中选择责任单位 while the unit picked from the directory stood in the box)
            self.add_chosen_unit()
        if (self.take_on.isChecked() and self.units and self.current.case_number
                and self.instruction.toPlainText().strip()):  # else the refusal says what is missing, unasked
            picked = self.due.date()
            due = date(picked.year(), picked.month(), picked.day())
            names = self.units_label.text().removeprefix("责任单位：")
            self.confirm, self.confirm_go = ask(
                self, "确认包案",
                f"由{self.actor.display_name}包案{self.current.case_number}（{self.current.name}）：责任单位{names}，"
                f"{format_date(due)}前办结？",
                detail="批示和包案记入该事项的办理经过，保存后不能撤销；责任单位和期限以后只能在“包案与积案”中"
                       "改派或调整。",
                go="确认包案", stay="返回修改", on_go=partial(self._record, keys),
                go_role=QMessageBox.ButtonRole.AcceptRole, icon=QMessageBox.Icon.Question)
            return
        self._record(keys)

    def _record(self, keys: bool) -> None:
        self.confirm = self.confirm_go = None
        if self.current is None or self.acting.busy:
            return
        actor, appointment_id = self.actor, self.current.appointment_id
        instruction, decision, take_on = self.instruction.toPlainText(), self.decision.text(), self.take_on.isChecked()
        units = list(self.units)
        picked = self.due.date()
        due = date(picked.year(), picked.month(), picked.day()) if take_on else None

        def record(hall: Hall) -> Decision:
            from desktop.services import leaderday

            return leaderday.record_decision(hall, actor, appointment_id, instruction=instruction, decision=decision,
                                             take_on=take_on, unit_codes=units, due=due)

        # a disabled button loses the keys to the next widget in the window: 锁屏 (Enter locked the screen)
        self.keys_on_save = keys
        self.save_button.setEnabled(False)
        self.saving = appointment_id
        self.acting.run(record, self._decided, self._refused)

    def _decided(self, decision: Decision) -> None:
        self.save_button.setEnabled(True)
        text = f"已记录批示：{decision.case_number}"
        if decision.due is not None:
            text += f"；已包案，责任单位{'、'.join(decision.unit_names)}，{format_date(decision.due)}前办结"
            self._taken_on(self.saving)
        note = decision.note  # a deadline on a rest day, or in a year whose holidays are not imported
        set_tone(self.message, "notice" if note else "ok", f"{text}。{note}" if note else text)
        # saved as events on the case: the form empties, so a second click (unsure it saved) records nothing twice
        self.drafts.pop(self.saving, None)
        if self.current is not None and self.current.appointment_id == self.saving:
            self.instruction.clear()
            self.decision.clear()
            self.take_on.setChecked(False)
            self._clear_units()
            self.open_dossier(reveal=False, keep_message=True)  # the 批示 and 包案 just recorded, in the dossier
        if self.keys_on_save:  # on to 打印交办单 after a 包案, else back to the list for the next visitor
            (self.form_button if self.form_button.isEnabled() else self.table).setFocus(Qt.FocusReason.OtherFocusReason)
        self.decided.emit(decision)

    def _taken_on(self, appointment_id: str) -> None:
        """The visitor just taken on is so at once: the dossier read again next enables 打印交办单 by it, whether or
        not the list has been read again by then."""
        for r, a in enumerate(self.rows):
            if a.appointment_id == appointment_id and not a.taken_on:
                self.rows[r] = replace(a, taken_on=True)
                status = self.table.item(r, 3)
                if status is not None and "·包案" not in status.text():
                    status.setText(status.text().replace(a.status, a.status + "·包案", 1))
        if self.current is not None and self.current.appointment_id == appointment_id:
            self.current = replace(self.current, taken_on=True)
            self.form_button.setEnabled(True)

    def _refused(self, error: Exception) -> None:
        self.save_button.setEnabled(self.current is not None)
        set_tone(self.message, "error", user_message(error, "记录批示"))
        if self.keys_on_save:
            self.save_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def print_form(self) -> None:
        """The 领导接访交办单 of the visitor's case, with the signed-in leader's name."""
        if self.current is None or not self.current.case_number:
            return
        actor, number = self.actor, self.current.case_number

        def issue(hall: Hall) -> RenderedDocument:
            from desktop.services import leaderday

            return leaderday.assignment_form(hall, actor, number)

        self.acting.run(issue, self.document_ready.emit, lambda e: set_tone(self.message, "error",
                                                                           user_message(e, "出具交办单")))

    def print_brief(self) -> None:
        if self.current is None:
            return
        actor, appointment_id = self.actor, self.current.appointment_id

        def issue(hall: Hall) -> RenderedDocument:
            from desktop.services import leaderday

            return leaderday.briefing_document(hall, actor, appointment_id)

        self.acting.run(issue, self.document_ready.emit, lambda e: set_tone(self.message, "error",
                                                                           user_message(e, "打印简报")))
