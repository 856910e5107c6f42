"""办理…: the steps after registration for the case on screen, each one dialog built from its description.

The steps, their fields and the notice that goes with each come from
``desktop.services.case_actions``; the dialog only collects the values. Organisations
and topics are picked by name or pinyin initials. A 转送/交办 dialog starts from the
directory's proposal and asks for a reason when the clerk sends the case elsewhere.
Whatever the case's state or the clerk's permissions do not allow is refused by the
service, in its own words, and nothing is stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.chinatime import china_today
from ui.common.choice import Choice, ChoiceBox
from ui.common.widgets import button_row, label, message_label, secondary_button, set_tone
from ui.shell.context import WorkContext
from ui.shell.errors import user_message

if TYPE_CHECKING:
    from desktop.domain.case import CaseView
    from desktop.services.case_actions import CaseAction, Proposal
    from desktop.services.changes import Changes
    from desktop.services.context import Hall

Field = QLineEdit | QPlainTextEdit | QDateEdit | QSpinBox | QComboBox | ChoiceBox


@dataclass(frozen=True)
class _Lists:
    organisations: list[Choice]
    topics: list[Choice]


def _lists(_hall: Hall) -> _Lists:
    from desktop.services.case_actions import organisation_choices
    from desktop.services.reference import topic_choices

    return _Lists([Choice(o.code, o.name, o.keys) for o in organisation_choices()],
                  [Choice(t.code, t.name, t.keys) for t in topic_choices()])


class CaseActionDialog(QDialog):
    """One step on one case: its fields, the proposal where there is one, 确定 records it."""

    recorded = Signal(object)  # CaseView after the step

    def __init__(self, ctx: WorkContext, case_ref: str, action: CaseAction, lists: _Lists,
                 parent: QWidget | None = None, *, starting: dict[str, str] | None = None) -> None:
        from desktop.services.case_actions import FieldKind

        super().__init__(parent)
        self.ctx, self.case_ref, self.action, self.lists = ctx, case_ref, action, lists
        self.tasks = ctx.group(self)
        self.setWindowTitle(f"{action.title} — {case_ref}")
        self.setMinimumWidth(640)
        self.fields: dict[str, Field] = {}
        self.proposal_line = label("", "hint")
        self.proposal_line.hide()
        self.proposal: Proposal | None = None
        form = QFormLayout()
        for spec in action.fields:
            widget: Field
            if spec.kind is FieldKind.DATE:
                today = china_today()  # the hall's day, China's whatever this PC's time zone
                widget = QDateEdit(QDate(today.year, today.month, today.day))
                widget.setCalendarPopup(True)
                widget.setDisplayFormat("yyyy年M月d日")  # as staff read a date; the service gets ISO
            elif spec.kind is FieldKind.DAYS:
                widget = QSpinBox()
                widget.setRange(1, 30)
                widget.setSuffix(" 日")
                widget.setValue(30)
            elif spec.kind is FieldKind.CHOICE:
                widget = QComboBox()
                if not spec.required:
                    widget.addItem("（不选）", "")
                elif starting is not None and starting.get(spec.name) == "":
                    widget.addItem("（请选择）", "")  # nothing known: the clerk chooses, no first entry by default
                for choice in spec.choices:
                    widget.addItem(choice, choice)
            elif spec.kind is FieldKind.ORGANISATION:
                widget = ChoiceBox("输入单位名称或拼音首字母")
                widget.set_choices(lists.organisations)
            elif spec.kind is FieldKind.TOPIC:
                widget = ChoiceBox("输入分类名称或拼音首字母")
                widget.set_choices(lists.topics)
            elif spec.kind is FieldKind.LONG_TEXT:
                widget = QPlainTextEdit()
                widget.setFixedHeight(90)
                widget.setTabChangesFocus(True)
            else:
                widget = QLineEdit()
            if isinstance(widget, ChoiceBox):  # Enter on an entry of its pop-up picks it and goes on to the next field
                widget.committed.connect(widget.focusNextChild)
            if spec.hint:
                widget.setToolTip(spec.hint)
            caption = spec.label + ("" if spec.required else "（选填）")
            form.addRow(caption, widget)
            self.fields[spec.name] = widget
        self.message = message_label()
        self.ok_button = QPushButton(f"确定{action.title}")
        self.ok_button.setObjectName("primary")
        self.ok_button.setDefault(True)
        cancel = secondary_button("取消")
        layout = QVBoxLayout(self)
        if action.explanation:
            layout.addWidget(label(action.explanation, "hint"))
        layout.addWidget(self.proposal_line)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addLayout(button_row(cancel, self.ok_button))
        cancel.clicked.connect(self.reject)
        self.ok_button.clicked.connect(self.submit)
        self.tasks.busy_changed.connect(self.ok_button.setDisabled)
        for name, value in (starting or {}).items():
            if value and name in self.fields:
                self.set_value(name, value)
        if "organisation_code" in self.fields and action.key in ("transfer", "assign"):
            self._ask_proposal()

    def use_lists(self, lists: _Lists) -> None:
        """The directory changed while the dialog was open (an administrator retired or renamed a unit):
        the lists follow it; a unit picked here that is no longer offered is said, not silently kept."""
        from desktop.services.case_actions import FieldKind

        before, self.lists = self.lists, lists
        for spec in self.action.fields:
            widget = self.fields[spec.name]
            if not isinstance(widget, ChoiceBox):
                continue
            organisations = spec.kind is FieldKind.ORGANISATION
            choices = lists.organisations if organisations else lists.topics
            if choices == (before.organisations if organisations else before.topics):
                continue  # another change (a holiday schedule): what the clerk is typing stays as it is
            picked, name = widget.code(), widget.currentText()
            widget.set_choices(choices)
            if not picked:
                widget.setEditText(name)  # half typed: kept
            elif not widget.code():
                set_tone(self.message, "error", f"“{name.strip()}”已不在机构目录的在用单位中（可能刚被撤销），"
                                                f"请另选{spec.label}")

    def _ask_proposal(self) -> None:
        actor, case, assign = self.ctx.actor, self.case_ref, self.action.key == "assign"

        def propose(hall: Hall) -> Proposal:
            from desktop.services.case_actions import route_proposal

            return route_proposal(hall, actor, case, assign=assign)

        self.tasks.run(propose, self._proposed, lambda error: set_tone(self.message, "error",
                                                                      user_message(error, "提出转送建议")))

    def _proposed(self, proposal: Proposal) -> None:
        self.proposal = proposal
        target = self.fields["organisation_code"]
        if proposal.organisation is not None and isinstance(target, ChoiceBox):
            target.set_code(proposal.organisation.code)
        name = proposal.organisation.name if proposal.organisation is not None else "（无）"
        warnings = "；".join(proposal.warnings)
        place = f"问题属地：{proposal.place}。" if proposal.place else ""
        self.proposal_line.setText(f"{place}系统建议：{name}。{proposal.reason}"
                                   + (f"。注意：{warnings}" if warnings else ""))
        self.proposal_line.show()

    def values(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for name, widget in self.fields.items():
            if isinstance(widget, QDateEdit):
                out[name] = widget.date().toString("yyyy-MM-dd")
            elif isinstance(widget, QSpinBox):
                out[name] = str(widget.value())
            elif isinstance(widget, ChoiceBox):
                out[name] = widget.code() or widget.currentText().strip()  # unknown text: the service says so
            elif isinstance(widget, QComboBox):
                out[name] = str(widget.currentData() or "")
            elif isinstance(widget, QPlainTextEdit):
                out[name] = widget.toPlainText()
            else:
                out[name] = widget.text()
        return out

    def set_value(self, name: str, value: str) -> None:
        """Fill one field as the clerk would (tests, and a form opened with known values)."""
        widget = self.fields[name]
        if isinstance(widget, QDateEdit):
            widget.setDate(QDate.fromString(value, "yyyy-MM-dd"))
        elif isinstance(widget, QSpinBox):
            widget.setValue(int(value))
        elif isinstance(widget, ChoiceBox):
            widget.set_code(value)
        elif isinstance(widget, QComboBox):
            widget.setCurrentIndex(max(widget.findData(value), 0))
        elif isinstance(widget, QPlainTextEdit):
            widget.setPlainText(value)
        else:
            widget.setText(value)

    def submit(self) -> None:
        if self.tasks.busy:
            return
        actor, case, key, values = self.ctx.actor, self.case_ref, self.action.key, self.values()

        def perform(hall: Hall) -> CaseView:
            from desktop.services.case_actions import perform as take_step

            return take_step(hall, actor, case, key, values)

        set_tone(self.message, "notice", "正在保存……")
        self.tasks.run(perform, self._done, self._refused)

    def _done(self, view: CaseView) -> None:
        self.recorded.emit(view)
        self.accept()

    def _refused(self, error: Exception) -> None:
        set_tone(self.message, "error", user_message(error, self.action.title))
        field = getattr(error, "field", "")
        widget = self.fields.get(field)
        if widget is not None:
            widget.setFocus()


class CaseActionsButton(QPushButton):
    """办理…: the steps the case's state allows now; each opens its dialog."""

    recorded = Signal(object, object)  # CaseAction, CaseView

    def __init__(self, ctx: WorkContext) -> None:
        super().__init__("办理…")
        self.ctx = ctx
        self.tasks = ctx.group(self)
        self.menu_ = QMenu(self)
        self.menu_.setToolTipsVisible(True)
        self.setMenu(self.menu_)
        self.refusals: dict[str, str] = {}  # step title -> why the step cannot be taken today
        self.case_ref: str | None = None
        self.view: CaseView | None = None
        self.dialog: CaseActionDialog | None = None
        self._lists: _Lists | None = None
        self.setEnabled(False)
        ctx.tasks.changed.connect(self._changed)

    def _changed(self, changes: Changes) -> None:
        """The directory or the topics changed (the administrator, or the centre's feed): read them again."""
        if not changes.reference:
            return
        self._lists = None
        if self.dialog is not None and self.dialog.isVisible():
            dialog = self.dialog
            self.tasks.run(_lists, lambda lists: self._refreshed(dialog, lists),
                           lambda error: set_tone(dialog.message, "error", user_message(error, "读取机构目录")))

    def _refreshed(self, dialog: CaseActionDialog, lists: _Lists) -> None:
        self._lists = lists
        if dialog is self.dialog and dialog.isVisible():
            dialog.use_lists(lists)

    def show_case(self, case_ref: str | None, view: CaseView | None, today: date | None = None) -> None:
        """The case on screen (None: nothing to act on), read on the hall's day ``today``.

        A step the state allows but the day does not (延期 once the handling limit has passed) stays in
        the menu, greyed, saying why, so the clerk learns it before filling a dialog.
        """
        from desktop.services.case_actions import offered_actions, step_note, step_refusal

        self.case_ref, self.view = case_ref, view
        self.menu_.clear()
        self.refusals = {}
        offered = offered_actions(view) if view is not None else []
        for action in offered:
            why = step_refusal(view, action.key, today) if view is not None and today is not None else ""
            # greyed with the refusal's first clause beside the title (已超过办理期限（…），不能再延期), whole on hover
            note = step_note(view, action.key, today) if view is not None and today is not None else ""
            item = self.menu_.addAction(f"{action.title} — {why.split('：')[0]}" if why
                                        else f"{action.title}（{note}）" if note else action.title)
            if why:
                self.refusals[action.title] = why
                item.setEnabled(False)
                item.setToolTip(why)
                continue
            item.triggered.connect(lambda _checked=False, a=action: self.open_action(a))
        self.setEnabled(bool(case_ref and offered))
        if self.refusals:
            self.setToolTip("\n".join(f"{title}：{why}" for title, why in self.refusals.items()))
        else:
            self.setToolTip("" if offered or view is None else f"事项当前状态（{view.state.value}）下没有可办理的步骤")

    def open_action(self, action: CaseAction) -> None:
        """The step's dialog, starting from what the case already says (read off the GUI thread)."""
        if self.case_ref is None:
            return
        view, known = self.view, self._lists

        def prepare(hall: Hall) -> tuple[_Lists, dict[str, str]]:
            from desktop.services.case_actions import starting_values

            return known or _lists(hall), starting_values(view, action.key, hall.today()) if view is not None else {}

        self.tasks.run(prepare, lambda ready: self._open(action, *ready),
                       lambda error: self.setToolTip(user_message(error, "读取机构目录")))

    def open_by_key(self, key: str) -> None:
        from desktop.services.case_actions import ACTION_BY_KEY

        self.open_action(ACTION_BY_KEY[key])

    def _open(self, action: CaseAction, lists: _Lists, starting: dict[str, str]) -> None:
        self._lists = lists
        if self.case_ref is None:
            return
        self.dialog = CaseActionDialog(self.ctx, self.case_ref, action, lists, parent=self, starting=starting)
        self.dialog.recorded.connect(lambda view: self.recorded.emit(action, view))
        self.dialog.open()

