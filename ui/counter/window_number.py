"""设置本机窗口号: the dialog a counter without a window number offers (``desktop/services/counter_window.py``).

It shows the hall's windows as the window types name them (what each calls, which called a number today),
takes the number and a system administrator's account and password (a PC's settings are theirs; they do
not sign in at a counter), and reports the number once it is in force.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLineEdit, QPushButton, QSpinBox, QVBoxLayout, QWidget

from desktop.domain.errors import ValidationError
from desktop.domain.queue import FIRST_WINDOW, LAST_WINDOW
from ui.common.widgets import (
    FormGrid,
    MessageRoom,
    button_row,
    fill_table,
    label,
    message_label,
    password_field,
    read_only_table,
    secondary_button,
    set_tone,
)
from ui.shell.context import WorkContext
from ui.shell.errors import user_message

if TYPE_CHECKING:
    from desktop.services.context import Hall
    from desktop.services.counter_window import WindowChoices


class WindowNumberDialog(QDialog):
    """The number (1–99), the hall's windows beside it, and the administrator who confirms it."""

    window_set = Signal(int)  # the number, in force on this PC
    read = Signal()  # the hall's windows shown

    #: Rows of the windows' list seen without scrolling (the dialog stays short on a 768-high screen).
    ROWS = 5

    def __init__(self, ctx: WorkContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.actor = ctx, ctx.actor
        self.tasks = ctx.group(self)
        self.choices: WindowChoices | None = None
        self.setWindowTitle("设置本机窗口号")
        self.setMinimumWidth(620)
        intro = label("请设置本机是大厅的几号窗口。设置后本机即可叫号，叫号屏显示“请 A012 号到 N 号窗口”。", "hint")
        intro.setWordWrap(True)
        self.intro = intro
        self.windows_title = label("正在读取本大厅的窗口……", "hint")
        self.windows_title.setWordWrap(True)
        self.windows = read_only_table(("窗口", "办理的业务", "今天"))
        self.windows.hide()
        self.number = QSpinBox()
        self.number.setRange(FIRST_WINDOW, LAST_WINDOW)
        self.number.setSuffix(" 号窗口")
        self.number.setMinimumWidth(self.number.fontMetrics().horizontalAdvance("99 号窗口") + 60)
        self.serves = label("", "hint")
        self.serves.setWordWrap(True)
        # two lines kept for what the number calls (a wrapping label gives its dialog no height of its own)
        self.serves.setMinimumHeight(2 * self.serves.fontMetrics().lineSpacing() + 12)
        who = label("本机的设置须由系统管理员修改：请系统管理员在下面输入本人的登录名和密码"
                    "（只用于这次核验，本机不保存）。", "hint")
        who.setWordWrap(True)
        self.login = QLineEdit()
        self.login.setPlaceholderText("系统管理员的登录名")
        self.password = password_field("系统管理员的密码")
        self.message = message_label()
        self.submit_button = QPushButton("设置")
        self.submit_button.setObjectName("primary")
        self.submit_button.setDefault(True)
        cancel = secondary_button("取消")
        number_row = QHBoxLayout()
        number_row.addWidget(self.number)
        number_row.addWidget(self.serves, 1)
        form = FormGrid()
        form.add_row("管理员登录名", self.login)
        form.add_row("密码", self.password)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.windows_title)
        layout.addWidget(self.windows)
        layout.addWidget(label("本机窗口号", "subtitle"))
        layout.addLayout(number_row)
        layout.addWidget(who)
        layout.addLayout(form)
        layout.addWidget(MessageRoom(self.message))  # 设置 stays where it is as a refusal comes and goes
        layout.addLayout(button_row(cancel, self.submit_button))
        self.number.valueChanged.connect(self._number_changed)
        self.windows.itemSelectionChanged.connect(self._window_picked)
        self.submit_button.clicked.connect(self.submit)
        self.password.returnPressed.connect(self.submit)
        cancel.clicked.connect(self.reject)
        self.tasks.busy_changed.connect(self.submit_button.setDisabled)

        def read(hall: Hall) -> WindowChoices:
            from desktop.services.counter_window import window_choices

            return window_choices(hall)

        self.tasks.run(read, self._show, lambda e: set_tone(self.message, "error", user_message(e, "读取本大厅的窗口")))

    def _show(self, choices: WindowChoices) -> None:
        self.choices = choices
        if choices.current:  # a number set already (wrong at the first start, or the counter moved)
            self.setWindowTitle("更改本机窗口号")
            self.intro.setText(f"本机现在是{choices.current}号窗口。改为其他窗口号后，本机叫号到新的窗口，"
                               "叫号屏显示新的窗口号；正在办理的号码请先办结、过号或转窗口。")
        listed = choices.listed()
        names = "、".join(t.name for t in choices.types if t.active)
        if not names:
            self.windows_title.setText("本大厅还没有启用的窗口类型，请系统管理员在“排队窗口类型”中添加")
        elif choices.windows:
            self.windows_title.setText(f"本大厅的窗口类型写明的窗口共 {len(choices.windows)} 个"
                                       + ("，另有今天叫过号的窗口" if len(listed) > len(choices.windows) else "")
                                       + "（点一行即选用该窗口号）：")
        else:
            self.windows_title.setText(f"窗口类型中没有写窗口号，每个窗口都办理：{names}"
                                       + ("。今天叫过号的窗口（点一行即选用该窗口号）：" if listed else ""))
        if listed:
            fill_table(self.windows, [(f"{w}号", "、".join(choices.windows.get(w, ())) or "不限窗口的业务",
                                       self._today(w)) for w in listed])
            row = self.windows.verticalHeader().defaultSectionSize()
            self.windows.setFixedHeight((min(self.ROWS, len(listed)) + 1) * row + 2 * self.windows.frameWidth())
        self.windows.setVisible(bool(listed))
        self.adjustSize()  # the list came after the dialog was laid out: its fields were squeezed
        self.number.setValue(choices.first_free())
        self._number_changed(self.number.value())
        self.login.setFocus(Qt.FocusReason.OtherFocusReason)
        self.read.emit()

    def _today(self, window: int) -> str:
        assert self.choices is not None
        at = self.choices.called_today.get(window)
        return f"{at}叫过号（可能已有电脑使用）" if at else "今天未叫号"

    def _window_picked(self) -> None:
        row = self.windows.currentRow()
        if self.choices is not None and 0 <= row < len(self.choices.listed()):
            self.number.setValue(self.choices.listed()[row])

    def _number_changed(self, window: int) -> None:
        if self.choices is None:
            return
        taken = self.choices.in_use(window)
        words = "；".join(t for t in (self.choices.serves(window), taken) if t)
        set_tone(self.serves, "notice" if taken else "", words)

    def submit(self) -> None:
        if self.tasks.busy:
            return
        actor, window, login, password = self.actor, self.number.value(), self.login.text(), self.password.text()
        if not login.strip() or not password:
            set_tone(self.message, "error", "请系统管理员输入本人的登录名和密码")
            (self.login if not login.strip() else self.password).setFocus(Qt.FocusReason.OtherFocusReason)
            return

        def store(hall: Hall) -> int:
            from desktop.services.counter_window import set_window_number

            return set_window_number(hall, actor, window, login=login, password=password)

        set_tone(self.message, "notice", "正在核验并保存……")
        self.tasks.run(store, self._stored, self._refused)

    def _stored(self, window: int) -> None:
        self.password.clear()
        self.window_set.emit(window)
        self.accept()

    def _refused(self, error: Exception) -> None:
        self.password.clear()
        set_tone(self.message, "error", user_message(error, "设置本机窗口号"))
        if isinstance(error, ValidationError) and error.field == "window":
            self.number.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self.password.setFocus(Qt.FocusReason.OtherFocusReason)
