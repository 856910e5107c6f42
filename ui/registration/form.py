"""登记: the clerk registers a walk-in, keyboard first, with the visitor's history beside the form.

Every field of a registration is here: the petitioner (from the ID-card reader or
typed), a group's head count and up to five representatives, an agent (信访代办),
where the problem is (a region picked by name), channel, topic (picked by name or
pinyin), nature, purpose, request, facts, reasons, 公开, window and queue number.
While the clerk types, the person's earlier cases appear on the right (初访 / 重复访,
or a matter through 复核 that will be refused). What is typed is kept as a draft a
moment after each change and comes back after a crash. Saving registers the case,
records that the rights and obligations were told, and prints the receipt.

Keys: Ctrl+N new form · F2 read the ID card · Enter next field · Ctrl+S or
Ctrl+Enter save · Esc leaves a refusal message.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QHideEvent, QIcon, QImage, QKeyEvent, QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemDelegate,
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QStyle,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.calendar import date_in_words, date_near
from desktop.domain.chinatime import china_now, china_today
from desktop.domain.classification import Channel, Nature, Purpose
from desktop.domain.errors import ValidationError
from desktop.domain.groups import MAX_REPRESENTATIVES, check_group
from desktop.domain.identity import DocumentType, validate_document, validate_phone
from desktop.domain.roles import Permission
from ui.common.choice import Choice, ChoiceBox
from ui.common.widgets import (
    ask,
    enter_presses,
    fill_table,
    label,
    message_label,
    read_only_table,
    secondary_button,
    set_tone,
)
from ui.registration.model import blank, to_form, worth_keeping
from ui.shell.context import WorkContext
from ui.shell.errors import user_message
from ui.shell.tasks import Executor

if TYPE_CHECKING:
    from PySide6.QtGui import QResizeEvent

    from desktop.printing.base import Printer
    from desktop.services.context import Hall
    from desktop.services.printing import PrintOutcome
    from desktop.services.registration import RegistrationResult
    from desktop.services.visits import VisitHistory

DRAFT_KIND = "registration"
AUTOSAVE_MS = 800
HISTORY_MS = 250
LONG_TEXT_HEIGHT = 84


@dataclass(frozen=True)
class _Reference:
    regions: list[Choice]
    topics: list[Choice]
    home_region: str
    window: str


@dataclass(frozen=True)
class _Registered:
    result: RegistrationResult
    rights_recorded: bool


def _reference(hall: Hall) -> _Reference:
    from desktop.domain.identity import name_search_keys
    from desktop.services.reference import load_regions, topic_choices

    regions = load_regions()
    home = hall.settings.region_code
    # The hall's own county first; the others too, after it: a matter located elsewhere is registered all the
    # same (条例第二十二、二十三条) and routing then says whose it is. It could not be registered at all.
    every = regions.all()
    inside = [r for r in every if r.code.startswith(home[:6])]
    inside += [r for r in every if not r.code.startswith(home[:6])]
    region_choices = [Choice(r.code, regions.full_name(r.code), tuple(name_search_keys(r.name))) for r in inside]
    topics = [Choice(t.code, t.name, t.keys) for t in topic_choices()]  # keywords' pinyin too (欠薪: qx)
    # The window the visitor was received at, in words (printed on the receipt): this PC's window number,
    # never its device code (K01 meant nothing to a visitor at window 1).
    window = f"{hall.settings.queue_window}号窗口" if hall.settings.queue_window else ""
    return _Reference(region_choices, topics, home, window)


def _representatives_refusal(count: int) -> str | None:
    """The rule's own words when one more representative would be too many (条例第二十条)."""
    wanted = [("代表", "x")] * (count + 1)
    try:
        check_group(len(wanted), wanted)
    except ValidationError as refusal:
        if refusal.code == "too_many_representatives":
            return refusal.message
    return None


class _EnterAdvances(QObject):
    """Enter in a one-line field moves to the next field of the paper form's order (buttons are skipped)."""

    def __init__(self, parent: QObject, order: list[QWidget], reveal: Callable[[QWidget], None],
                 wanted: Callable[[QWidget], bool] = lambda _w: True) -> None:
        super().__init__(parent)
        self.order = order
        self.reveal = reveal  # scrolls the form to the field that took the focus
        self.wanted = wanted  # a stop of the order taken only when it is needed (添加代表)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent)
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
                and not event.modifiers() & Qt.KeyboardModifier.ControlModifier
                and isinstance(watched, QWidget) and watched in self.order):
            return self.advance(watched)
        return False

    def advance(self, field: QWidget) -> bool:
        """The focus to the field after ``field`` (Enter there, or a pick in its pop-up); False at the last."""
        following = self.order[self.order.index(field) + 1:]
        target = next((w for w in following if w.isEnabled() and w.isVisibleTo(w.window()) and self.wanted(w)), None)
        if target is None:
            return False
        target.setFocus(Qt.FocusReason.TabFocusReason)
        self.reveal(target)
        return True


class _RowsTable(QTableWidget):
    """Tab walks the cells, typing or not, and from the last cell leaves the table (it went round and round)."""

    def _at_end(self, forward: bool) -> bool:
        index = self.currentIndex()
        if forward:
            return not index.isValid() or (index.row() == self.rowCount() - 1
                                           and index.column() == self.columnCount() - 1)
        return not index.isValid() or (index.row() == 0 and index.column() == 0)

    def focusNextPrevChild(self, next: bool) -> bool:  # (Qt's own name for the argument)
        if self._at_end(next):
            self.setTabKeyNavigation(False)  # the window's focus chain decides, as for any other field
            try:
                return super().focusNextPrevChild(next)
            finally:
                self.setTabKeyNavigation(True)
        return super().focusNextPrevChild(next)

    def closeEditor(self, editor: QWidget, hint: QAbstractItemDelegate.EndEditHint) -> None:
        forward = hint == QAbstractItemDelegate.EndEditHint.EditNextItem
        if (forward or hint == QAbstractItemDelegate.EndEditHint.EditPreviousItem) and self._at_end(forward):
            super().closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)  # what was typed is kept
            self.focusNextPrevChild(forward)
            return
        super().closeEditor(editor, hint)


class RepresentativesEditor(QWidget):
    """Up to five representatives of a group visit, each with a name and an ID number."""

    changed = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.table = _RowsTable(0, 2)
        self.table.setHorizontalHeaderLabels(["代表姓名", "身份证号码"])
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setFixedHeight(150)
        self.add_button = secondary_button("添加代表")
        self.remove_button = secondary_button("删除所选代表")
        self.message = message_label()
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        self.add_button.clicked.connect(self._add_and_type)
        self.remove_button.clicked.connect(self.remove_selected)
        self.table.itemChanged.connect(lambda _item: self.changed.emit())

    def add(self, name: str = "", id_number: str = "") -> bool:
        """One more row; the sixth is refused with the rule quoted."""
        refusal = _representatives_refusal(self.table.rowCount()) if self.table.rowCount() >= MAX_REPRESENTATIVES \
            else None
        if refusal is not None:
            set_tone(self.message, "error", refusal)
            return False
        set_tone(self.message, "", "")
        row = self.table.rowCount()
        self.table.blockSignals(True)
        self.table.insertRow(row)
        self.table.setItem(row, 0, QTableWidgetItem(name))
        self.table.setItem(row, 1, QTableWidgetItem(id_number))
        self.table.blockSignals(False)
        self.table.setCurrentCell(row, 0)
        self.changed.emit()
        return True

    def _add_and_type(self) -> None:
        """添加代表: the cursor in the new row's name (typing went to the button and was lost)."""
        if self.add():
            item = self.table.item(self.table.rowCount() - 1, 0)
            self.table.setFocus(Qt.FocusReason.OtherFocusReason)
            if item is not None:
                self.table.editItem(item)

    def remove_selected(self) -> None:
        row = self.table.currentRow()
        if row >= 0:
            self.table.removeRow(row)
            set_tone(self.message, "", "")
            self.changed.emit()

    def values(self) -> list[dict[str, str]]:
        rows = []
        for row in range(self.table.rowCount()):
            name, number = self.table.item(row, 0), self.table.item(row, 1)
            rows.append({"name": name.text().strip() if name else "",
                         "id_number": number.text().strip() if number else ""})
        return rows

    def set_values(self, rows: list[dict[str, str]]) -> None:
        self.table.setRowCount(0)
        for row in rows[:MAX_REPRESENTATIVES]:
            self.add(str(row.get("name", "")), str(row.get("id_number", "")))
        set_tone(self.message, "", "")


def _born(value: str) -> str:
    """A birth date kept as ISO 8601 (as the card gives it), written as people read it: 1971年5月3日."""
    try:
        return date_in_words(date.fromisoformat(value))
    except ValueError:
        return value


class RepeatPanel(QWidget):
    """The visitor's earlier cases, and whether this is a first visit, a repeat, or refused."""

    # 同一事项 beside the number: at 1366×768 the last columns are out of sight, and this one decides 重复访.
    COLUMNS = ("案件编号", "同一事项", "登记日期", "状态", "当前期限", "承办单位")

    def __init__(self) -> None:
        super().__init__()
        self.title = label("来访人的信访记录", "subtitle")
        self.verdict = message_label()
        self.booking = message_label()  # on today's leader reception list: said once the ID number is known
        self.booking.setWordWrap(True)
        self.booking.hide()
        self.hint = label("输入身份证号码，或姓名和电话后，这里显示此人此前的信访事项", "hint")
        self.table = read_only_table(self.COLUMNS)
        self.history: VisitHistory | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.hint)
        layout.addWidget(self.booking)
        layout.addWidget(self.verdict)
        layout.addWidget(self.table, 1)
        # 承办单位 takes the width the other columns leave, on as many lines as its name needs: at 1366×768 the
        # columns after 状态 were out of sight behind a horizontal scroll bar.
        self.table.setWordWrap(True)

    def clear(self) -> None:
        self.history = None
        self.table.setRowCount(0)
        set_tone(self.verdict, "", "")
        self.show_booking("")
        self.hint.show()

    def show_booking(self, note: str) -> None:
        """此人已预约今日领导接访…: a notice beside the history ("" hides it); registering goes on as ever."""
        set_tone(self.booking, "notice" if note else "", note)
        self.booking.setVisible(bool(note))

    def show_history(self, history: VisitHistory) -> None:
        self.history = history
        if not history.identified:  # e.g. an ID number half typed: no 初访 said of nobody
            self.table.setRowCount(0)
            self.hint.hide()
            set_tone(self.verdict, "notice", history.message)
            return
        self.hint.setVisible(not history.known_person and not history.refused)
        tone = "error" if history.refused else "notice" if history.kind.value == "重复访" else "ok"
        if not history.known_person:
            text = "初访：没有找到此人此前的信访事项"
        elif history.refused or not history.decided:  # no request yet: what is known, no verdict
            text = history.message
            tone = tone if history.refused else "notice"
        elif history.kind.value == "初访":
            text = f"初访：此人此前有 {len(history.earlier)} 件事项，与本次诉求都不是同一事项"
        else:
            text = f"{history.message}；此人此前共有 {len(history.earlier)} 件事项"
        set_tone(self.verdict, tone, text)
        today = china_today()
        fill_table(self.table, [(visit.summary.case_number, "是" if visit.same_matter else "",
                                 date_near(visit.summary.received_on, today), visit.summary.state,
                                 date_near(visit.summary.next_due, today) if visit.summary.next_due else "—",
                                 visit.organisation or "—")
                                for visit in history.earlier])
        self._fit_columns()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_columns()

    def _fit_columns(self) -> None:
        """Every column whole in the panel's width: the unit's name wraps in what the others leave."""
        table = self.table
        if not table.rowCount():
            return
        last = len(self.COLUMNS) - 1
        header = table.horizontalHeader()
        header.setStretchLastSection(False)
        table.resizeColumnsToContents()
        narrowest = table.fontMetrics().horizontalAdvance("浦江县住") + 12
        for _ in range(2):  # again once the rows have their heights: a vertical scroll bar takes its width
            room = table.viewport().width() - sum(header.sectionSize(c) for c in range(last)) - 2
            table.setColumnWidth(last, max(room, narrowest))
            table.resizeRowsToContents()


class RegistrationPanel(QWidget):
    """The registration form with the visitor's history; see the module docstring."""

    registered = Signal(object)  # RegistrationResult, once saved
    receipt_printed = Signal(object)  # PrintOutcome of the receipt
    history_shown = Signal()
    draft_saved = Signal()
    ready = Signal()  # reference data in and any draft restored
    open_case = Signal(str)  # case number: the clerk wants to work on it

    def __init__(self, ctx: WorkContext, *, printer: Callable[[], Printer] | None = None,
                 choose_files: Callable[[QWidget], list[str]] | None = None) -> None:
        super().__init__()
        self.ctx = ctx
        self.actor = ctx.actor
        self.tasks = ctx.group(self)  # saving, and reading what the form needs
        self.background = ctx.group(self)  # history and drafts: never hold up saving
        self.printing = ctx.group(self)
        self._printer = printer
        self._choose_files = choose_files or _ask_files
        self.attachments: list[dict[str, Any]] = []
        self.draft_id = str(uuid.uuid4())
        self.last_result: RegistrationResult | None = None
        self._restoring = False
        self._defaults = blank()
        self._card_values: dict[str, str] = {}
        self.confirmation: QMessageBox | None = None  # 新登记 over unsaved typing asks first
        self._filled: dict[str, Any] | None = None  # what a called ticket put in, until the clerk types
        self._called_line = ""  # the called ticket (its number) the line under the form speaks of
        #: The visitor called while the form held someone else's (take_visitor's arguments): 新登记 takes them.
        self._called_visitor: tuple[str, str, str, str, str] | None = None
        #: The number and window of the ticket called to this counter while it is there: the clerk did not type
        #: them (新登记 asked to throw them away as unsaved typing, then emptied them, and the case registered for
        #: the visitor at the window was not linked to their ticket).
        self._at_window: tuple[str, str] = ("", "")
        self._last_called: tuple[str, str] = ("", "")  # the last ticket the counter put in, also once it has left
        self.clear_button: QAbstractButton | None = None

        # -- who came -------------------------------------------------------------------------
        self.document_type = QComboBox()
        for kind in DocumentType:
            self.document_type.addItem(kind.value, kind.value)
        self.id_number = QLineEdit()
        self.id_number.setPlaceholderText("18位身份证号码，可刷身份证（F2）")
        self.name = QLineEdit()
        self.phone = QLineEdit()
        self.phone.setPlaceholderText("手机或带区号的固定电话，境外号码加“+”和国家或地区代码；用于告知和查询码")
        self.address = QLineEdit()
        self.card_line = label("", "hint")
        self.read_card_button = secondary_button("读身份证 (F2)")
        self.persons_count = QSpinBox()
        self.persons_count.setRange(1, 10_000)
        self.persons_count.setSuffix(" 人")
        self.representatives = RepresentativesEditor()
        self.has_agent = QCheckBox("有代理人（信访代办）")
        self.agent_name = QLineEdit()
        self.agent_id_number = QLineEdit()
        self.agent_phone = QLineEdit()

        # -- what about -------------------------------------------------------------------------
        self.region = ChoiceBox("输入乡镇、街道名称或拼音首字母")
        self.channel = QComboBox()
        for channel in Channel:
            self.channel.addItem(channel.value, channel.value)
        self.topic = ChoiceBox("输入分类名称、关键词或拼音首字母")
        self.nature = QComboBox()
        self.nature.addItem("（待分类）", "")
        for nature in Nature:
            self.nature.addItem(nature.value, nature.value)
        self.purpose = QComboBox()
        self.purpose.addItem("（未选）", "")
        for purpose in Purpose:
            self.purpose.addItem(purpose.value, purpose.value)
        self.request = QPlainTextEdit()
        self.request.setPlaceholderText("信访人的请求，如实记录（必填）")
        self.facts = QPlainTextEdit()
        self.reasons = QPlainTextEdit()
        for box in (self.request, self.facts, self.reasons):
            box.setTabChangesFocus(True)
            box.setFixedHeight(LONG_TEXT_HEIGHT)
        self.public_ok = QCheckBox("信访人同意公开（公开标志）")
        self.window_field = QLineEdit()
        self.queue_number = QLineEdit()
        self.rights_told = QCheckBox("已告知信访人权利义务和“六个不得”（条例第二十六条）")
        self.materials = QListWidget()
        self.materials.setViewMode(QListWidget.ViewMode.IconMode)
        self.materials.setIconSize(QSize(96, 96))
        self.materials.setFixedHeight(140)
        self.materials.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.add_material_button = secondary_button("添加材料…")
        self.remove_material_button = secondary_button("移除所选材料")
        materials_box = QWidget()
        materials_layout = QVBoxLayout(materials_box)
        materials_layout.setContentsMargins(0, 0, 0, 0)
        materials_layout.addWidget(self.materials)
        materials_buttons = QHBoxLayout()
        materials_buttons.addWidget(self.add_material_button)
        materials_buttons.addWidget(self.remove_material_button)
        materials_buttons.addStretch(1)
        materials_layout.addLayout(materials_buttons)

        # -- messages and buttons ---------------------------------------------------------------
        self.field_messages: dict[str, QLabel] = {}
        self._captions: dict[str, QLabel] = {}
        self.message = message_label()
        self.draft_state = label("", "hint")
        self.save_button = QPushButton("保存登记并打印回执 (Ctrl+S)")
        self.save_button.setObjectName("primary")
        self.new_button = secondary_button("新登记 (Ctrl+N)")
        self.open_button = secondary_button("办理此事项")
        self.open_button.setAutoDefault(True)  # Enter on it opens the case, as Space does
        self.open_button.hide()
        self.repeat = RepeatPanel()

        form = QWidget()
        column = QVBoxLayout(form)
        column.addWidget(self._group("来访人", [
            ("证件类型", self.document_type, ""), ("证件号码", self._with(self.id_number, self.read_card_button),
                                                  "id_number"),
            ("姓名", self.name, "name"), ("电话", self.phone, "phone"), ("住址", self.address, "address"),
            ("", self.card_line, ""), ("来访人数", self.persons_count, "persons_count"),
            ("代表", self.representatives, ""), ("", self.has_agent, ""),
            ("代理人姓名", self.agent_name, ""), ("代理人证件号码", self.agent_id_number, "agent_id_number"),
            ("代理人电话", self.agent_phone, "agent_phone"),
        ]))
        column.addWidget(self._group("信访事项", [
            ("问题属地", self.region, "region_code"), ("信访渠道", self.channel, ""),
            ("内容分类", self.topic, "topic_code"), ("性质", self.nature, ""), ("信访目的", self.purpose, ""),
            ("诉求", self.request, "request"), ("事实", self.facts, ""), ("理由", self.reasons, ""),
            ("材料", materials_box, "attachments"),
            ("", self.public_ok, ""), ("接待窗口", self.window_field, ""), ("排队号", self.queue_number, ""),
            ("", self.rights_told, ""),
        ]))
        column.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(form)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes from field to field, never to the frame around them
        self.form_scroll = scroll

        bar = QHBoxLayout()
        bar.addWidget(self.new_button)
        bar.addWidget(self.draft_state, 1)
        bar.addWidget(self.open_button)
        bar.addWidget(self.save_button)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(scroll, 1)
        left_layout.addWidget(self.message)
        left_layout.addLayout(bar)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(self.repeat)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        # the history gets 45 % from the start (its size hint gave it 383 px at 1366×768, where 当前期限 and
        # 承办单位 were behind a horizontal scroll bar); the form keeps the rest, room enough for its longest hints
        splitter.setSizes([5500, 4500])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

        # Enter follows the paper form: who came, then what about; the request box takes Enter as text.
        # A group of five or more with no representative yet: Enter stops at 添加代表 (Enter there adds one).
        add = self.representatives.add_button
        enter_presses(add)
        order: list[QWidget] = [self.document_type, self.id_number, self.name, self.phone, self.address,
                                self.persons_count, add, self.agent_name, self.agent_id_number, self.agent_phone,
                                self.region, self.channel, self.topic, self.nature, self.purpose, self.request]
        self._enter = _EnterAdvances(self, order, lambda field: self.form_scroll.ensureWidgetVisible(field, 0, 40),
                                     lambda field: field is not add or self._needs_representatives())
        for widget in [*order[:-1], self.window_field, self.queue_number]:
            if widget is not add:
                widget.installEventFilter(self._enter)
        for choice in (self.region, self.topic):  # Enter on a highlighted entry of the pop-up picks it and moves on
            choice.committed.connect(lambda box=choice: self._enter.advance(box))
        self.read_card_button.setFocusPolicy(Qt.FocusPolicy.ClickFocus)  # F2 reads the card; Tab skips it
        self._history_timer = self._timer(HISTORY_MS, self._ask_history)
        self._draft_timer = self._timer(AUTOSAVE_MS, self._save_draft)
        self._wire()
        self._agent_toggled(False)
        self._count_changed(self.persons_count.value())
        if ctx.may(Permission.REGISTER):
            self._load()
        else:  # a supervisor at the counter: the form stays closed, and says why
            for part in (self.form_scroll, self.repeat, self.new_button, self.open_button, self.save_button):
                part.setEnabled(False)
            self._say("您的账户没有登记来访的权限：登记由窗口工作人员办理；查阅和督办事项请用“事项与期限”", "notice")

    # -- building ---------------------------------------------------------------------------------

    def _timer(self, ms: int, slot: Callable[[], None]) -> QTimer:
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.setInterval(ms)
        timer.timeout.connect(slot)
        return timer

    @staticmethod
    def _with(field: QWidget, button: QWidget) -> QWidget:
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(field, 1)
        row.addWidget(button)
        return box

    def _group(self, title: str, rows: list[tuple[str, QWidget, str]]) -> QGroupBox:
        group = QGroupBox(title)
        grid = QGridLayout(group)
        grid.setColumnStretch(1, 1)
        grid.setHorizontalSpacing(12)
        for index, (caption, widget, key) in enumerate(rows):
            if caption:
                text = QLabel(caption)
                text.setObjectName("field")
                text.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                grid.addWidget(text, 2 * index, 0)
                self._captions[caption] = text
            grid.addWidget(widget, 2 * index, 1)
            if key:
                note = message_label()
                self.field_messages[key] = note
                grid.addWidget(note, 2 * index + 1, 1)
        return group

    def _wire(self) -> None:
        for box in (self.id_number, self.name, self.phone):
            box.textEdited.connect(lambda _t: self._history_timer.start())
        self.request.textChanged.connect(self._history_timer.start)
        self.topic.picked.connect(lambda _c: self._history_timer.start())
        self.document_type.activated.connect(lambda _i: self._history_timer.start())
        self.id_number.editingFinished.connect(self._check_id)
        self.phone.editingFinished.connect(self._check_phone)
        self.agent_id_number.editingFinished.connect(
            lambda: self._check_document(self.agent_id_number, DocumentType.RESIDENT_ID.value, "agent_id_number"))
        self.agent_phone.editingFinished.connect(
            lambda: self._check_phone_field(self.agent_phone, "agent_phone"))
        self.has_agent.toggled.connect(self._agent_toggled)
        self.persons_count.valueChanged.connect(self._count_changed)
        self.representatives.changed.connect(lambda: self._count_changed(self.persons_count.value()))
        self.save_button.clicked.connect(self.save)
        self.new_button.clicked.connect(self.ask_new_form)
        self.open_button.clicked.connect(self._open_saved)
        self.read_card_button.clicked.connect(self.read_card)
        self.add_material_button.clicked.connect(self.add_materials)
        self.remove_material_button.clicked.connect(self._remove_material)
        self.window_keys: list[QShortcut] = []  # save and new: a window holding the form may take them over
        for sequence, slot in ((QKeySequence.StandardKey.Save, self.save), (QKeySequence("Ctrl+Return"), self.save),
                               (QKeySequence("Ctrl+Enter"), self.save),
                               (QKeySequence.StandardKey.New, self.ask_new_form), (QKeySequence("F2"), self.read_card)):
            shortcut = QShortcut(sequence, self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
            if slot in (self.save, self.ask_new_form):
                self.window_keys.append(shortcut)
        # Every change is kept as a draft a moment later.
        for edit in (self.id_number, self.name, self.phone, self.address, self.agent_name,
                     self.agent_id_number, self.agent_phone, self.window_field, self.queue_number):
            edit.textEdited.connect(lambda _t: self._changed())
        for text_box in (self.request, self.facts, self.reasons):
            text_box.textChanged.connect(self._changed)
        for combo in (self.document_type, self.channel, self.nature, self.purpose):
            combo.currentIndexChanged.connect(lambda _i: self._changed())
        for choice in (self.region, self.topic):
            choice.picked.connect(lambda _c: self._changed())
        for check in (self.public_ok, self.rights_told, self.has_agent):
            check.toggled.connect(lambda _on: self._changed())
        self.persons_count.valueChanged.connect(lambda _v: self._changed())
        self.representatives.changed.connect(self._changed)

    # -- loading ----------------------------------------------------------------------------------

    def _load(self) -> None:
        actor = self.actor

        def load(hall: Hall) -> tuple[_Reference, list[Any]]:
            from desktop.services.drafts import my_drafts

            return _reference(hall), my_drafts(hall, actor, DRAFT_KIND)

        self.tasks.run(load, self._loaded, lambda error: self._say(user_message(error, "读取登记所需资料"), "error"))

    def _loaded(self, loaded: tuple[_Reference, list[Any]]) -> None:
        reference, drafts = loaded
        self.region.set_choices(reference.regions)
        self.topic.set_choices(reference.topics)
        self._defaults = {**blank(), "region_code": reference.home_region, "channel": Channel.VISIT.value,
                          "window": reference.window}
        self.set_values(self._defaults)
        if drafts:
            newest = drafts[0]
            self.draft_id = newest.draft_id
            self.set_values({**self._defaults, **newest.data})
            saved = f"{date_in_words(newest.updated_at, year=False)} {newest.updated_at:%H:%M}"
            self._say(f"已恢复 {saved} 未保存的登记草稿。不需要时点“新登记”", "notice")
            self._history_timer.start()
        self.name.setFocus() if self.document_type.currentData() != DocumentType.RESIDENT_ID.value \
            else self.id_number.setFocus()
        self.ready.emit()

    # -- values -----------------------------------------------------------------------------------

    def values(self) -> dict[str, Any]:
        return {
            "document_type": str(self.document_type.currentData() or ""),
            "id_number": self.id_number.text(), "name": self.name.text(), "phone": self.phone.text(),
            "address": self.address.text(), "sex": self._card.get("sex", ""),
            "ethnicity": self._card.get("ethnicity", ""), "birth_date": self._card.get("birth_date", ""),
            "persons_count": self.persons_count.value(), "representatives": self.representatives.values(),
            "has_agent": self.has_agent.isChecked(), "agent_name": self.agent_name.text(),
            "agent_id_number": self.agent_id_number.text(), "agent_phone": self.agent_phone.text(),
            "region_code": self.region.code(), "channel": str(self.channel.currentData() or ""),
            "topic_code": self.topic.code(), "nature": str(self.nature.currentData() or ""),
            "purpose": str(self.purpose.currentData() or ""), "request": self.request.toPlainText(),
            "facts": self.facts.toPlainText(), "reasons": self.reasons.toPlainText(),
            "public_ok": self.public_ok.isChecked(), "window": self.window_field.text(),
            "queue_number": self.queue_number.text(), "rights_told": self.rights_told.isChecked(),
            "attachments": list(self.attachments),
        }

    @property
    def _card(self) -> dict[str, str]:
        return self._card_values

    def set_values(self, values: dict[str, Any]) -> None:
        """Fill every field (a restored draft, a new form); no draft is written for it."""
        self._restoring = True
        self._filled = None
        try:
            def pick(combo: QComboBox, value: Any) -> None:
                index = combo.findData(str(value or ""))
                combo.setCurrentIndex(max(index, 0))

            pick(self.document_type, values.get("document_type") or DocumentType.RESIDENT_ID.value)
            edits = {"id_number": self.id_number, "name": self.name, "phone": self.phone, "address": self.address,
                     "agent_name": self.agent_name, "agent_id_number": self.agent_id_number,
                     "agent_phone": self.agent_phone, "window": self.window_field, "queue_number": self.queue_number}
            for key, edit in edits.items():
                edit.setText(str(values.get(key, "") or ""))
            self._card_values = {k: str(values.get(k, "") or "") for k in ("sex", "ethnicity", "birth_date")}
            self._show_card_line()
            self.persons_count.setValue(int(values.get("persons_count") or 1))
            self.representatives.set_values(list(values.get("representatives") or []))
            self.has_agent.setChecked(bool(values.get("has_agent")))
            self.region.set_code(str(values.get("region_code", "") or ""))
            pick(self.channel, values.get("channel") or Channel.VISIT.value)
            self.topic.set_code(str(values.get("topic_code", "") or ""))
            pick(self.nature, values.get("nature"))
            pick(self.purpose, values.get("purpose"))
            self.request.setPlainText(str(values.get("request", "") or ""))
            self.facts.setPlainText(str(values.get("facts", "") or ""))
            self.reasons.setPlainText(str(values.get("reasons", "") or ""))
            self.public_ok.setChecked(bool(values.get("public_ok")))
            self.rights_told.setChecked(bool(values.get("rights_told")))
            self.attachments = [dict(a) for a in values.get("attachments") or [] if isinstance(a, dict)]
            self._show_materials({})
            for note in self.field_messages.values():
                set_tone(note, "", "")
            self._count_changed(self.persons_count.value())  # the representatives' table as the values say
        finally:
            self._restoring = False

    def _show_card_line(self) -> None:
        card = self._card
        parts = [f"{k}：{_born(card[v]) if v == 'birth_date' else card[v]}"
                 for k, v in (("性别", "sex"), ("民族", "ethnicity"), ("出生", "birth_date")) if card.get(v)]
        self.card_line.setText("　".join(parts))
        self.card_line.setVisible(bool(parts))

    # -- checks while typing --------------------------------------------------------------------

    def _check_document(self, edit: QLineEdit, document_type: str, key: str) -> bool:
        text = edit.text().strip()
        note = self.field_messages[key]
        if not text:
            set_tone(note, "", "")
            return True
        try:
            edit.setText(validate_document(DocumentType(document_type), text))
        except (ValidationError, ValueError) as refusal:
            set_tone(note, "error", getattr(refusal, "message", str(refusal)))
            return False
        set_tone(note, "", "")
        return True

    def _check_id(self) -> None:
        self._check_document(self.id_number, str(self.document_type.currentData()), "id_number")

    def _check_phone_field(self, edit: QLineEdit, key: str) -> None:
        text = edit.text().strip()
        note = self.field_messages[key]
        try:
            if text:
                edit.setText(validate_phone(text))
        except ValidationError as refusal:
            set_tone(note, "error", refusal.message)
            return
        set_tone(note, "", "")

    def _check_phone(self) -> None:
        self._check_phone_field(self.phone, "phone")

    def _needs_representatives(self) -> bool:
        return self.persons_count.value() >= 5 and not any(r["name"] for r in self.representatives.values())

    def _count_changed(self, count: int) -> None:
        # The representatives' table is for a group: one visitor's form is shorter by it (at 1366×768 the
        # clerk scrolled past an empty table on every registration).
        group = count >= 2 or bool(self.representatives.values())
        self.representatives.setVisible(group)
        self._captions["代表"].setVisible(group)
        note = self.field_messages["persons_count"]
        if self._needs_representatives():
            set_tone(note, "notice", "五人以上的多人走访应推选代表（不超过5人），请添加代表")
        else:
            set_tone(note, "", "")

    def _agent_toggled(self, on: bool) -> None:
        # Shown only with an agent (信访代办): three empty, greyed rows lengthened every other registration.
        for widget in (self.agent_name, self.agent_id_number, self.agent_phone):
            widget.setEnabled(on)
            widget.setVisible(on)
        for caption in ("代理人姓名", "代理人证件号码", "代理人电话"):
            self._captions[caption].setVisible(on)

    # -- the visitor's history ----------------------------------------------------------------------

    def _ask_history(self) -> None:
        values = self.values()
        id_number, name, phone = values["id_number"].strip(), values["name"].strip(), values["phone"].strip()
        if not id_number and not (name and phone):
            self.repeat.clear()
            return
        if self.background.busy:
            self._history_timer.start()  # one question at a time: the newest text is asked next
            return
        actor = self.actor
        request, topic, document_type = values["request"], values["topic_code"], values["document_type"]

        def ask(hall: Hall) -> tuple[VisitHistory, str]:
            from desktop.services.reception import booked_today
            from desktop.services.visits import visit_history

            history = visit_history(hall, actor, id_number=id_number, name=name, phone=phone, request=request,
                                    topic_code=topic, document_type=document_type)
            resident = document_type == DocumentType.RESIDENT_ID.value
            return history, booked_today(hall, actor, id_number) if id_number and resident else ""

        self.background.run(ask, self._history, lambda error: self.repeat.title.setText(
            user_message(error, "查询信访记录")))

    def _history(self, found: tuple[VisitHistory, str]) -> None:
        if self.last_result is not None:
            return  # saved: the history now holds the case itself; the next form asks again
        history, booking = found
        self.repeat.show_history(history)
        self.repeat.show_booking(booking)
        self.history_shown.emit()

    # -- drafts -----------------------------------------------------------------------------------

    def _changed(self) -> None:
        if not self._restoring and self.last_result is None:  # a saved form is no draft: it would come back
            self._draft_timer.start()

    def _save_draft(self, *, now: bool = False) -> None:
        values = self.values()
        if self.nothing_typed(values):
            return
        if self.background.busy and not now:
            self._draft_timer.start()
            return
        actor, draft_id = self.actor, self.draft_id

        def keep(hall: Hall) -> None:
            from desktop.services.drafts import save_draft

            save_draft(hall, actor, draft_id, DRAFT_KIND, values)

        self.background.run(keep, self._draft_kept,
                            lambda error: self.draft_state.setText(user_message(error, "自动保存草稿")))

    def _draft_kept(self, _none: None) -> None:

        self.draft_state.setText(f"草稿已自动保存 {china_now():%H:%M:%S}")
        self.draft_saved.emit()

    def flush_draft(self) -> None:
        """Keep what is typed now (the window is closing or locking)."""
        if self._draft_timer.isActive():
            self._draft_timer.stop()
            self._save_draft(now=True)  # the operation runs even if this form is gone by then

    def hideEvent(self, event: QHideEvent) -> None:
        """Signing out, locking, closing or another tab: what was typed in the last moment is kept too
        (the form used to go with the session before its draft timer fired)."""
        self.flush_draft()
        super().hideEvent(event)

    # -- materials --------------------------------------------------------------------------------

    def add_materials(self) -> None:
        """Files chosen by the clerk are stored (once, by their hash) off the GUI thread, then listed."""
        paths = self._choose_files(self)
        if not paths:
            return
        actor = self.actor

        def store(hall: Hall) -> list[tuple[dict[str, Any], QImage | None]]:
            from pathlib import Path

            from desktop.services.attachments import store_file

            stored = []
            for path in paths:
                ref = store_file(hall, actor, Path(path))
                thumb = QImage(path) if ref.is_image else None
                stored.append((ref.as_payload(), thumb.scaled(96, 96, Qt.AspectRatioMode.KeepAspectRatio)
                               if thumb is not None and not thumb.isNull() else None))
            return stored

        self.background.run(store, self._stored, lambda error: set_tone(
            self.field_messages["attachments"], "error", user_message(error, "添加材料")))

    def _stored(self, stored: list[tuple[dict[str, Any], QImage | None]]) -> None:
        known = {a["sha256"] for a in self.attachments}
        thumbs = {}
        for ref, thumb in stored:
            if ref["sha256"] not in known:
                self.attachments.append(ref)
                known.add(str(ref["sha256"]))
            if thumb is not None:
                thumbs[str(ref["sha256"])] = thumb
        set_tone(self.field_messages["attachments"], "", "")
        self._show_materials(thumbs)
        self._changed()

    def _show_materials(self, thumbs: dict[str, QImage]) -> None:
        kept = {str(self.materials.item(i).data(Qt.ItemDataRole.UserRole)): self.materials.item(i).icon()
                for i in range(self.materials.count())}
        self.materials.clear()
        for ref in self.attachments:
            digest = str(ref.get("sha256", ""))
            size = int(ref.get("size", 0) or 0)
            item = QListWidgetItem(f"{ref.get('name', '')}\n{size / 1024:,.0f} KB")
            item.setData(Qt.ItemDataRole.UserRole, digest)
            if digest in thumbs:
                item.setIcon(QIcon(QPixmap.fromImage(thumbs[digest])))
            elif digest in kept:
                item.setIcon(kept[digest])
            else:
                item.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_FileIcon))
            self.materials.addItem(item)

    def _remove_material(self) -> None:
        row = self.materials.currentRow()
        if 0 <= row < len(self.attachments):
            del self.attachments[row]
            self.materials.takeItem(row)
            self._changed()

    # -- the ID-card reader -----------------------------------------------------------------------

    def read_card(self) -> None:
        """Read the card on the reader (off the GUI thread) and fill the petitioner's fields."""
        from ui.shell.idcard import read_id_card

        self._say("正在读取身份证，请将身份证放在阅读器上……", "notice")
        read_id_card(self, self.printing, self.ctx.settings, seconds=5.0,
                     no_reader="本机未设置身份证阅读器（设置项 id_reader），请手工录入", done=self.fill_from_card,
                     failed=lambda error: self._say(user_message(error, "读取身份证"), "error"))

    def fill_from_card(self, card: Any) -> None:
        """Name, ID number and address from the card; sex, ethnicity and birth date shown beside them."""
        self.document_type.setCurrentIndex(max(self.document_type.findData(DocumentType.RESIDENT_ID.value), 0))
        self.id_number.setText(str(card.id_number))
        self.name.setText(str(card.name))
        if getattr(card, "address", ""):
            self.address.setText(str(card.address))
        birth: Any = getattr(card, "birth_date", None)
        born = birth.isoformat() if isinstance(birth, date) else str(birth or "")
        self._card_values = {"sex": str(getattr(card, "sex", "") or ""),
                             "ethnicity": str(getattr(card, "ethnicity", "") or ""), "birth_date": born}
        self._show_card_line()
        self._check_id()
        from desktop.devices.idcard import IdCard, expiry_notice

        expired = expiry_notice(card, china_today(), holder=False) if isinstance(card, IdCard) else ""
        self._say(f"已读取 {card.name} 的身份证" + (f"。{expired}" if expired else ""), "notice" if expired else "ok")
        self._changed()
        self._history_timer.start()
        self.phone.setFocus()

    def take_visitor(self, id_number: str, name: str, *, queue_number: str = "", window: str = "",
                     address: str = "") -> bool:
        """The person of a called ticket taken with an ID card, into a form where no petitioner is typed yet,
        with the ``address`` on the card when it was read at this counter's 发号 (the ticket does not keep it).

        What the clerk has typed for someone is never replaced (the clerk is told who was called
        instead), nor a saved form. Returns whether the form took the person.
        """
        if self.tasks.busy or self.last_result is not None:
            return False
        if "".join(self.id_number.text().split()).upper() == id_number.upper():
            if address and not self.address.text().strip():
                self.address.setText(address)
            return True  # the form already holds this person (a restored draft, the clerk was quicker)
        if self.id_number.text().strip() or self.name.text().strip():
            self._say(f"已叫到持证取号的 {name or '来访人'}：登记表中已填写的内容没有替换，"
                      f"如是另一位来访人请先点“新登记 (Ctrl+N)”", "notice")
            self._called_line = queue_number
            self._called_visitor = (id_number, name, queue_number, window, address)
            return False
        self._called_visitor = None
        self.document_type.setCurrentIndex(max(self.document_type.findData(DocumentType.RESIDENT_ID.value), 0))
        self.id_number.setText(id_number)
        self.name.setText(name)
        if address:
            self.address.setText(address)
        if queue_number:
            self.queue_number.setText(queue_number)
        if window:
            self.window_field.setText(window)
        self._check_id()
        self._say(f"已填入持证取号的来访人 {name}（{queue_number or '排队号'}），请核对", "ok")
        self._called_line = queue_number
        self._filled = self.values()  # no draft of it yet: nothing has been typed for this visitor
        self._history_timer.start()
        self.phone.setFocus()
        return True

    def ticket_left(self, queue_number: str) -> None:
        """The ticket ``queue_number`` is no longer at the window (办结, 过号, 转窗口): the line under the form
        about its visitor goes (what the form holds stays)."""
        if self._called_visitor is not None and self._called_visitor[2] == queue_number:
            self._called_visitor = None  # gone from the window: 新登记 brings nobody in
        if queue_number and self._called_line == queue_number:
            self._say("", "")

    @property
    def called_line(self) -> str:
        """The number of the called ticket the line under the form speaks of ("" when it speaks of none)."""
        return self._called_line

    def ticket_at_window(self, number: str, window: str) -> None:
        """The ticket called to this counter (its number and window) while it is there; ``""`` once it has left."""
        self._at_window = (number, window) if number else ("", "")
        if number:
            self._last_called = self._at_window

    def fresh_values(self) -> dict[str, Any]:
        """What an empty form holds: the defaults, with the number and window of the ticket at the window."""
        number, window = self._at_window
        if not number:
            return dict(self._defaults)
        return {**self._defaults, "queue_number": number, "window": window or self._defaults.get("window", "")}

    def nothing_typed(self, values: dict[str, Any]) -> bool:
        """Whether ``values`` hold nothing the clerk typed: a fresh form's, or a fresh form with the number and
        window of the ticket last called here (转窗口, 过号 or 办结 took it away; the form still shows it)."""
        number, window = self._last_called
        left = {**self._defaults, "queue_number": number, "window": window or self._defaults.get("window", "")}
        return not worth_keeping(values, self.fresh_values()) or (bool(number) and not worth_keeping(values, left))

    def untouched_fill(self) -> bool:
        """Whether the form holds only what :meth:`take_visitor` put in (the next call may replace it)."""
        if self._filled is None or self.last_result is not None:
            return False
        called = ("queue_number", "window")  # set for the next ticket as soon as it is called
        now = self.values()
        return all(now[key] == value for key, value in self._filled.items() if key not in called)

    # -- saving -----------------------------------------------------------------------------------

    def save(self) -> None:
        """Register the visit; on success record the rights notice, print the receipt, drop the draft."""
        if not self.ctx.may(Permission.REGISTER):
            self._say("您的账户没有登记来访的权限，没有可保存的登记", "notice")
            return
        if self.tasks.busy:  # the form's lists are still loading, or this form is being saved
            self._say("正在处理上一步，请稍候再保存", "notice")
            return
        if self.last_result is not None:  # saved already: a second Ctrl+S must not register the visit twice
            self._say(f"这份登记已保存为 {self.last_result.case_number}，不会重复登记。补打回执请点“办理此事项”，"
                      f"在“待补打 / 打印记录”中补打；登记下一位来访人请点“新登记 (Ctrl+N)”", "notice")
            return
        values = self.values()
        if self.nothing_typed(values):  # Ctrl+S on an empty form: say so, not nine refusals
            self._say("登记表还没有填写，没有可保存的内容：请先录入来访人和诉求", "notice")
            self.id_number.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        for note in self.field_messages.values():
            set_tone(note, "", "")
        try:
            form = to_form(values)
        except (TypeError, ValueError):
            self._say("表单内容有误，请检查人数等数字", "error")
            return
        actor, told, draft_id = self.actor, bool(values["rights_told"]), self.draft_id

        def register(hall: Hall) -> _Registered:
            from desktop.domain.events import EventType
            from desktop.services import cases
            from desktop.services.drafts import discard_draft
            from desktop.services.registration import register_visit

            result = register_visit(hall, actor, form)
            if told:
                cases.record(hall, actor, result.case_number, EventType.NOTIFIED,
                             {"what": "信访人权利义务", "how": "当面告知"})
            discard_draft(hall, actor, draft_id)
            return _Registered(result, told)

        self._say("正在登记……", "notice")
        self._draft_timer.stop()
        self._history_timer.stop()
        self.tasks.run(register, self._registered, self._refused)

    def _refused(self, error: Exception) -> None:
        text = user_message(error, "登记")
        field = getattr(error, "field", "")
        key = {"name": "name", "id_number": "id_number", "document_number": "id_number", "phone": "phone",
               "mobile": "phone", "landline": "phone", "address": "address",
               "region_code": "region_code", "persons_count": "persons_count", "诉求内容": "request",
               "representatives": "persons_count"}.get(field, "")
        if key in self.field_messages:
            set_tone(self.field_messages[key], "error", text)
        fields: dict[str, QWidget] = {"name": self.name, "id_number": self.id_number, "phone": self.phone,
                                      "address": self.address, "region_code": self.region,
                                      "persons_count": self.persons_count, "request": self.request}
        if key in fields:  # the clerk is taken to what to correct, wherever the form was scrolled
            fields[key].setFocus(Qt.FocusReason.OtherFocusReason)
            self.form_scroll.ensureWidgetVisible(fields[key], 0, 60)
        if getattr(error, "code", "") == "final_after_rereview":  # nothing to correct: the matter is settled
            self._say(text + "。这次来访已记入审计日志；请向来访人说明，可为其打印该事项的复核意见书", "error")
        else:
            self._say(text + "。已填写的内容仍在，改正后再保存", "error")
        self._changed()  # what was typed just before saving is kept as the draft too (saving had stopped it)

    def _registered(self, done: _Registered) -> None:
        result = done.result
        self.last_result = result
        self._called_visitor = None  # saved for the one at the window (the next call brings the next one)
        code = f"{result.query_code[:4]} {result.query_code[4:]}"
        due, warning = result.route_deadline.due, result.route_deadline.warning()
        # A deadline in a year whose holidays are not imported is said loudly here too, not only on the receipt.
        self._say(f"已登记 {result.case_number}（{result.visit.kind.value}）。查询码 {code}，请告知信访人。"
                  f"转送、交办期限 {date_in_words(due)}{f'（{warning}）' if warning else ''}。正在打印回执……",
                  "notice" if warning else "ok")
        self.open_button.show()
        self.save_button.setEnabled(False)
        focus = self.focusWidget()
        if focus is not None and focus.hasFocus():  # saved from the form: Enter now opens the case (Ctrl+N: the next)
            self.open_button.setFocus(Qt.FocusReason.OtherFocusReason)
        self.draft_state.setText("")
        self.registered.emit(result)
        self._print_receipt(result)
        self._name_on_leader_list(result)

    def _name_on_leader_list(self, result: RegistrationResult) -> None:
        """A visitor on today's leader reception list without a case (a walk-in) gets this one named on the booking."""
        actor, number = self.actor, result.case_number

        def link(hall: Hall) -> int:
            from desktop.services import reception

            return reception.name_registered_case(hall, actor, number)

        self.tasks.run(link, self._named_on_leader_list, self._not_named_on_leader_list)

    def _named_on_leader_list(self, count: int) -> None:
        if count:  # said below the form: the notice of what registering would do is done with
            self.repeat.show_booking("")
            self._say(self.message.text() + "已关联今日领导接访名单上的预约，领导可据此记录批示。",
                      str(self.message.property("tone") or "ok"))

    def _not_named_on_leader_list(self, error: Exception) -> None:
        self._say(self.message.text() + user_message(error, "关联今日领导接访预约"), "error")

    def _print_receipt(self, result: RegistrationResult) -> None:
        actor, settings, choose = self.actor, self.ctx.settings, self._printer

        def print_receipt(hall: Hall) -> PrintOutcome:
            from desktop.documents.model import DocumentKind
            from desktop.printing.factory import printer_for
            from desktop.services import documents, printing

            doc = documents.registration_receipt(hall, actor, result)
            printer = choose() if choose is not None else printer_for(DocumentKind.REGISTRATION_RECEIPT, settings,
                                                                      media=doc.media)
            return printing.print_document(hall, actor, doc, None, printer)

        self.printing.run(print_receipt, self._receipt_done,
                          lambda error: self._say(self.message.text().replace("正在打印回执……", "") +
                                                  user_message(error, "打印回执"), "error"),
                          executor=Executor.DEVICES)

    def _receipt_done(self, outcome: PrintOutcome) -> None:
        text = self.message.text().replace("正在打印回执……", "")
        # Registered either way: a receipt that did not print waits under 待补打 (amber, not red).
        unverified = self.last_result is not None and not self.last_result.route_deadline.verified
        tone = "ok" if outcome.printed and not unverified else "notice"
        self._say(text + ("回执已打印。" if outcome.printed else outcome.message), tone)
        self.receipt_printed.emit(outcome)

    def _open_saved(self) -> None:
        if self.last_result is not None:
            self.open_case.emit(self.last_result.case_number)

    def ask_new_form(self) -> None:
        """新登记 (Ctrl+N): a form holding unsaved typing is emptied only once the clerk confirms."""
        if self.tasks.busy:
            return
        if self.last_result is not None or self.nothing_typed(self.values()) or self.untouched_fill():
            self.new_form()  # nothing of the clerk's would be lost
            return
        name = self.name.text().strip()
        self.confirmation, self.clear_button = ask(
            self, "新登记", f"当前登记{f'（{name}）' if name else ''}还没有保存，清空后填写的内容不再保留。",
            detail="确定清空，登记下一位来访人吗？", go="清空并新登记", stay="继续填写", on_go=self.new_form)

    def new_form(self) -> None:
        """An empty form for the next visitor; an unsaved draft of this one is thrown away."""
        if self.tasks.busy:
            return
        actor, draft_id = self.actor, self.draft_id
        self.background.run(lambda hall: _discard(hall, actor, draft_id), lambda _none: None,
                            lambda error: self._say(user_message(error, "删除草稿"), "error"))
        self._draft_timer.stop()
        self.draft_id = str(uuid.uuid4())
        self.last_result = None
        self.open_button.hide()
        self.save_button.setEnabled(True)
        self.set_values(self.fresh_values())  # the visitor at the window keeps their number in the next form
        self.repeat.clear()
        self.draft_state.setText("")
        self._say("", "")
        self.form_scroll.verticalScrollBar().setValue(0)  # the next visitor's form from its first field, in view
        self.id_number.setFocus()
        called, self._called_visitor = self._called_visitor, None
        if called is not None:  # the visitor called while the form held another's: the form was asked for them
            id_number, name, queue_number, window, address = called
            self.take_visitor(id_number, name, queue_number=queue_number, window=window, address=address)

    def _say(self, text: str, tone: str) -> None:
        set_tone(self.message, tone, text)
        self._called_line = ""  # the line says something else now

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Esc no field or open list took: the line under the form is read and goes (what is typed, and the notes
        under the fields, stay). Not a shortcut: that took Esc from an open pick list too."""
        if event.key() == Qt.Key.Key_Escape and self.message.text() and not self.tasks.busy:
            self._say("", "")
            event.accept()
            return
        super().keyPressEvent(event)


def _ask_files(parent: QWidget) -> list[str]:
    paths, _filter = QFileDialog.getOpenFileNames(parent, "添加信访材料", "",
                                                  "材料 (*.pdf *.jpg *.jpeg *.png *.bmp *.txt);;所有文件 (*)")
    return list(paths)


def _discard(hall: Hall, actor: Any, draft_id: str) -> None:
    from desktop.services.drafts import discard_draft

    discard_draft(hall, actor, draft_id)
