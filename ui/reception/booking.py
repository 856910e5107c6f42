"""领导接访预约 at the counter: book a visitor on a reception day, import a list, see the day's bookings.

The slip prints on the receipt printer at once (like a registration receipt); the day's
list is read again whenever reception data change, whoever changed it (a kiosk booking).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.deadlines import format_date
from ui.common.widgets import (
    EnterMovesOn,
    FormGrid,
    SelectOnTabIn,
    ask,
    enter_presses,
    label,
    message_label,
    read_only_table,
    secondary_button,
    set_tone,
)
from ui.reception.after import fill_table
from ui.reception.link_case import LinkCaseDialog
from ui.shell.context import WorkContext
from ui.shell.errors import user_message
from ui.shell.tasks import Executor

if TYPE_CHECKING:
    from datetime import date

    from desktop.printing.base import Printer
    from desktop.services.changes import Changes
    from desktop.services.context import Hall
    from desktop.services.printing import PrintOutcome
    from desktop.services.reception import Appointment, Booking, ImportResult, ReceptionDay, VisitorCases


@dataclass(frozen=True)
class _Listing:
    days: list[ReceptionDay]
    appointments: list[Appointment]
    by_rule: date | None = None  # with no day scheduled: the next one by the hall's rule (what the display shows)


class CounterBookingPanel(QWidget):
    """Day and slot, the visitor, 预约; the day's bookings beside (cancel moves the waiting list up)."""

    COLUMNS = ("时段", "来访人", "人数", "状态", "来源", "关联事项")
    refreshed = Signal()

    def __init__(self, ctx: WorkContext) -> None:
        super().__init__()
        self.ctx, self.actor = ctx, ctx.actor
        self.tasks = ctx.group(self)
        self.printing = ctx.group(self)  # booking, cancelling, importing and the slip: never held up by a read
        #: Tests hand in a simulated printer; otherwise the configured receipt printer.
        self.printer: Callable[[], Printer] | None = None
        self.days: list[ReceptionDay] = []
        self.rows: list[Appointment] = []
        self.day_box = QComboBox()
        self.slot_box = QComboBox()
        self.name = QLineEdit()
        self.id_number = QLineEdit()
        self.phone = QLineEdit()
        self.persons = QSpinBox()
        self.persons.setRange(1, 5)
        self.summary = QLineEdit()
        self.summary.setPlaceholderText("反映的主要问题")
        self.book_button = QPushButton("预约")
        self.book_button.setObjectName("primary")
        self.cancel_button = secondary_button("取消所选预约")
        self.import_button = secondary_button("从表格导入…")
        self.note = QLineEdit()
        self.note.setPlaceholderText("给接访预案加批注（如：来电称已向镇里反映过两次），领导接访时可见")
        self.note_button = secondary_button("批注所选预约")
        self.link_button = secondary_button("关联信访事项")
        self.link_button.setToolTip("选择所选预约的来访人以前的哪一件信访事项作为领导接访所涉事项（或不关联）")
        self.link_dialog: LinkCaseDialog | None = None
        self.confirm: QMessageBox | None = None  # 取消所选预约 asks first
        self.message = message_label()
        #: the booking the message tells of and its case as told (尚未关联信访事项): followed once it is linked
        self._told = ("", "")
        self.table = read_only_table(self.COLUMNS, alternate=False)
        form = FormGrid()
        for text, field in (("接访日", self.day_box), ("时段", self.slot_box), ("姓名", self.name),
                            ("身份证号", self.id_number), ("联系电话", self.phone), ("人数", self.persons),
                            ("反映问题", self.summary)):
            form.add_row(text, field)
        left = QVBoxLayout()
        left.addWidget(label("预约领导接访", "subtitle"))
        left.addLayout(form)
        left.addWidget(self.book_button)
        left.addWidget(self.message)
        left.addStretch(1)
        left.addWidget(label("导入名单：CSV 或 Excel（.xlsx），第1行为表头：姓名、身份证号、联系电话、人数、诉求、时段",
                             "hint"))
        left.addWidget(self.import_button)
        right = QVBoxLayout()
        right.addWidget(label("当日预约（已约满时自动登记候补，取消后按顺序递补）", "subtitle"))
        right.addWidget(self.table, 1)
        notes = QHBoxLayout()
        notes.addWidget(self.note, 1)
        notes.addWidget(self.note_button)
        right.addLayout(notes)
        acts = QHBoxLayout()
        acts.addWidget(self.link_button)
        acts.addWidget(self.cancel_button)
        acts.addStretch(1)
        right.addLayout(acts)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 2)
        layout.addLayout(right, 3)
        self.day_box.currentIndexChanged.connect(self._day_chosen)
        self.book_button.clicked.connect(self.submit)
        self.cancel_button.clicked.connect(self.cancel_selected)
        self.import_button.clicked.connect(self._ask_import)
        self.note_button.clicked.connect(self.annotate_selected)
        self.link_button.clicked.connect(self.link_selected)
        # By keyboard: Tab goes down the form to 预约, then the day's list, its note and buttons; Enter moves on
        # field by field and books from the last (反映问题); Enter in the note adds it to the selected visitor.
        self.keys = EnterMovesOn(self, [self.day_box, self.slot_box, self.name, self.id_number, self.phone,
                                        self.persons, self.summary], self.submit)
        for before, after in ((self.summary, self.book_button), (self.book_button, self.import_button),
                              (self.import_button, self.table), (self.table, self.note),
                              (self.note, self.note_button), (self.note_button, self.link_button),
                              (self.link_button, self.cancel_button)):
            QWidget.setTabOrder(before, after)
        self.note.returnPressed.connect(self.annotate_selected)
        self.select_on_tab = SelectOnTabIn(self.table)  # 取消所选预约 acts on a row that looks selected
        enter_presses(self.book_button, self.import_button, self.note_button, self.link_button, self.cancel_button)
        ctx.tasks.changed.connect(self._changed)
        self._again = False
        self.tasks.settled.connect(self._settled)
        self.refresh()

    def _changed(self, changes: Changes) -> None:
        if changes.reception:
            self.refresh()

    def _settled(self) -> None:
        if self._again and not self.tasks.busy:
            self._again = False
            self.refresh()

    def _chosen_day(self) -> ReceptionDay | None:
        index = self.day_box.currentIndex()
        return self.days[index] if 0 <= index < len(self.days) else None

    def refresh(self) -> None:
        if self.tasks.busy:
            self._again = True
            return
        actor, wanted = self.actor, (d.day_id if (d := self._chosen_day()) else "")

        def read(hall: Hall) -> _Listing:
            from desktop.services import reception

            days = reception.list_days(hall, actor)
            day_id = wanted if any(d.day_id == wanted for d in days) else (days[0].day_id if days else "")
            if not days:
                return _Listing([], [], reception.next_reception_day(hall))
            return _Listing(days, reception.appointments(hall, actor, day_id) if day_id else [])

        self.tasks.run(read, self._show, lambda e: set_tone(self.message, "error", user_message(e, "读取接访日")))

    def _show(self, listing: _Listing) -> None:
        wanted = d.day_id if (d := self._chosen_day()) else ""
        self.days = listing.days
        self.day_box.blockSignals(True)
        self.day_box.clear()
        for day in self.days:
            self.day_box.addItem(f"{format_date(day.day)}　{day.room}")
            self.day_box.setItemData(self.day_box.count() - 1, "、".join(day.leaders), Qt.ItemDataRole.ToolTipRole)
        self.day_box.setCurrentIndex(next((i for i, d in enumerate(self.days) if d.day_id == wanted), 0)
                                     if self.days else -1)
        self.day_box.blockSignals(False)
        self._fill_slots()
        self.rows = listing.appointments
        # the case in a few words (the list fits the window); all of its request in the row's tooltip
        fill_table(self.table, [(a.slot_label, a.name, f"{a.persons_count}人", a.status, a.source,
                                 a.case_words(10).removeprefix("已关联"))
                           for a in self.rows])
        for row, a in enumerate(self.rows):
            for column in range(self.table.columnCount()):
                if (item := self.table.item(row, column)) is not None:
                    item.setToolTip(a.case_in_words)
        self._follow_case()
        self.book_button.setEnabled(bool(self.days))
        if not self.days:
            rule = f"（按惯例下一个接访日为{format_date(listing.by_rule)}）" if listing.by_rule else ""
            set_tone(self.message, "notice", f"领导接访日尚未排定{rule}，暂不能预约：请办公室在“接访安排”中生成后再约")
        self.refreshed.emit()

    def _follow_case(self) -> None:
        """The booking just made was said with its case (尚未关联信访事项): once a case is linked to it (registered at
        the counter, or chosen with 关联信访事项) the message says that one, not what was true at booking."""
        told_id, told = self._told
        if not told_id or told not in self.message.text():
            return  # another message since: nothing of it to follow
        now = next((a for a in self.rows if a.appointment_id == told_id), None)
        if now is None or now.case_in_words == told:
            return
        set_tone(self.message, str(self.message.property("tone") or "ok"),
                 self.message.text().replace(told, now.case_in_words))
        self._told = (told_id, now.case_in_words)

    def _fill_slots(self) -> None:
        day = self._chosen_day()
        self.slot_box.clear()
        self.slot_box.addItem("不限（最早有名额的时段）", None)
        for index, slot in enumerate(day.slots if day else ()):
            assert day is not None
            left = day.left[index]
            state = "已过" if day.is_over(index) else (f"余{left}" if left > 0 else "已满")
            self.slot_box.addItem(f"{slot.label}（{state}）", index)

    def _day_chosen(self, _index: int) -> None:
        self._fill_slots()
        self.refresh()

    def submit(self) -> None:
        day = self._chosen_day()
        if day is None or self.printing.busy:
            return
        from desktop.services.reception import Visitor

        actor, day_id, slot = self.actor, day.day_id, self.slot_box.currentData()
        visitor = Visitor(self.name.text(), self.id_number.text(), self.phone.text(), self.persons.value(),
                          self.summary.text())

        def book(hall: Hall) -> Booking:
            from desktop.services import reception

            return reception.book(hall, actor, day_id, visitor, slot=slot, source="窗口")

        self.printing.run(book, self._booked,
                          lambda e: set_tone(self.message, "error", user_message(e, "预约领导接访")))

    def _booked(self, booking: Booking) -> None:
        typing_here = any(w.hasFocus() for w in [*self.keys.order, self.book_button])
        for field in (self.name, self.id_number, self.phone, self.summary):
            field.clear()
        if typing_here:  # booked from the keyboard: the keys go to 姓名 for the next visitor (the day stays)
            self.name.setFocus(Qt.FocusReason.OtherFocusReason)
        self.persons.setValue(1)
        arrive = f"；{booking.arrival_words()}" if booking.arrival_words() else ""
        set_tone(self.message, "ok",
                 f"{booking.message}{arrive}；{booking.appointment.case_in_words}。正在打印预约回执……")
        self._told = (booking.appointment.appointment_id, booking.appointment.case_in_words)
        self._print(booking.appointment.appointment_id)

    def _print(self, appointment_id: str) -> None:
        actor, settings, choose = self.actor, self.ctx.settings, self.printer

        def print_slip(hall: Hall) -> PrintOutcome:
            from desktop.printing.factory import printer_for
            from desktop.services import printing, reception

            doc = reception.appointment_slip(hall, actor, appointment_id)
            printer = choose() if choose is not None else printer_for(doc.kind, settings, media=doc.media)
            return printing.print_document(hall, actor, doc, None, printer)

        def done(outcome: PrintOutcome) -> None:
            text = self.message.text().replace("正在打印预约回执……", "")
            # the booking stands: a slip not printed is a notice beside it (in red the whole message, 已预约… too,
            # read as a booking that failed), as 登记 says a receipt it could not print
            set_tone(self.message, "ok" if outcome.printed else "notice", text + outcome.message)

        self.printing.run(print_slip, done, lambda e: set_tone(self.message, "error", user_message(e, "打印预约回执")),
                          executor=Executor.DEVICES)

    def cancel_selected(self) -> None:
        """Asked first, naming the visitor: a place given up goes to the waiting list and does not come back (a
        cancel went at once, and the next visitor, selected in its place, was one more click from the same)."""
        row = self.table.currentRow()
        if not 0 <= row < len(self.rows) or not self.table.selectionModel().isRowSelected(row):
            set_tone(self.message, "error", "请先在列表中选择要取消的预约")
            return
        chosen = self.rows[row]
        day = self._chosen_day()
        when = f"{format_date(day.day)} {chosen.slot_label}" if day is not None else chosen.slot_label
        self.confirm, _ = ask(
            self, "取消预约", f"取消{chosen.name}（{when}，{chosen.status}）的领导接访预约？",
            detail="取消后名额即让给候补的来访人，不能恢复；来访人如仍要参加接访，须重新预约。",
            go="取消该预约", stay="保留预约", on_go=partial(self._cancel, chosen))

    def _cancel(self, chosen: Appointment) -> None:
        self.confirm = None
        actor, appointment_id, name = self.actor, chosen.appointment_id, chosen.name

        def cancel(hall: Hall) -> Appointment | None:
            from desktop.services import reception

            return reception.cancel(hall, actor, appointment_id)

        def done(promoted: Appointment | None) -> None:
            self.table.clearSelection()  # the row below moved up under the cursor: it is not the next to cancel
            set_tone(self.message, "ok", f"已取消{name}的预约" + (
                f"；候补的{promoted.name}递补到{promoted.slot_label}，请电话通知" if promoted else ""))

        self.printing.run(cancel, done, lambda e: set_tone(self.message, "error", user_message(e, "取消预约")))

    def annotate_selected(self) -> None:
        """A note on the selected visitor's dossier (访前调查准备), stored for the leader's screen and brief."""
        row = self.table.currentRow()
        if not 0 <= row < len(self.rows):
            set_tone(self.message, "error", "请先在列表中选择要批注的预约")
            return
        actor, appointment_id, text, name = self.actor, self.rows[row].appointment_id, self.note.text(), \
            self.rows[row].name

        def write(hall: Hall) -> None:
            from desktop.services import leaderday

            leaderday.annotate(hall, actor, appointment_id, text)

        def done(_none: None) -> None:
            self.note.clear()
            set_tone(self.message, "ok", f"已为{name}的接访预案添加批注")

        self.printing.run(write, done, lambda e: set_tone(self.message, "error", user_message(e, "添加批注")))

    def link_selected(self) -> None:
        """关联信访事项: the selected visitor's own cases are read, then offered (关联所选事项 or 不关联)."""
        row = self.table.currentRow()
        if not 0 <= row < len(self.rows):
            set_tone(self.message, "error", "请先在列表中选择要关联信访事项的预约")
            return
        actor, appointment_id = self.actor, self.rows[row].appointment_id

        def read(hall: Hall) -> VisitorCases:
            from desktop.services import reception

            return reception.visitor_cases(hall, actor, appointment_id)

        self.printing.run(read, self._offer_cases,
                          lambda e: set_tone(self.message, "error", user_message(e, "读取来访人的信访事项")))

    def _offer_cases(self, found: VisitorCases) -> None:
        dialog = LinkCaseDialog(found, self)
        dialog.chosen.connect(lambda number: self._link(found.appointment.appointment_id, number))
        self.link_dialog = dialog
        dialog.open()

    def _link(self, appointment_id: str, case_number: str) -> None:
        actor = self.actor

        def link(hall: Hall) -> Appointment:
            from desktop.services import reception

            reception.link_case(hall, actor, appointment_id, case_number)
            return reception.visitor_cases(hall, actor, appointment_id).appointment

        def done(a: Appointment) -> None:
            set_tone(self.message, "ok", f"{a.name}的预约{a.case_in_words}" if a.case_number else
                     f"{a.name}的预约不关联以前的信访事项；接访当天为其登记的事项将自动关联")
            self.refresh()

        self.printing.run(link, done, lambda e: set_tone(self.message, "error", user_message(e, "关联信访事项")))

    def _ask_import(self) -> None:
        if self._chosen_day() is None:  # the file was asked for, then nothing happened
            set_tone(self.message, "error", "尚无领导接访日，不能导入名单：请办公室在“接访安排”中生成后再导入")
            return
        path, _filter = QFileDialog.getOpenFileName(self, "导入领导接访预约名单", "", "表格 (*.csv *.xlsx)")
        if path:
            self.import_file(Path(path))

    def import_file(self, path: Path) -> None:
        day = self._chosen_day()
        if day is None:
            return
        actor, day_id = self.actor, day.day_id

        def run(hall: Hall) -> ImportResult:
            from desktop.services import reception

            return reception.import_appointments(hall, actor, day_id, path)

        def done(result: ImportResult) -> None:
            text = f"已导入：预约{result.booked}人，候补{result.waiting}人"
            if result.refused:
                text += "；未导入：" + "；".join(result.refused[:5]) + ("……" if len(result.refused) > 5 else "")
            set_tone(self.message, "notice" if result.refused else "ok", text)

        self.printing.run(run, done, lambda e: set_tone(self.message, "error", user_message(e, "导入预约名单")))
