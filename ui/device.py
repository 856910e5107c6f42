"""Kiosks and the hall display: windows that work without anyone signing in, as the device.

They are built from the settings alone and painted before the database has been opened
(see ui/startup.py); what they show from the database fills in when it arrives.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QMainWindow, QPushButton, QStackedWidget, QVBoxLayout, QWidget

from desktop.domain.deadlines import leader_reception_day
from desktop.domain.errors import RuleViolation
from desktop.domain.roles import Actor
from ui.startup import HallSource, OpeningFailedPage
from ui.sync_status import SyncIndicator
from ui.widgets import ROLE_TITLES, FormGrid, Header, message_label, set_tone
from ui.widgets import label as _label

if TYPE_CHECKING:
    from desktop.services.context import Hall


class ProgressQueryPanel(QWidget):
    """Kiosk: a citizen types the case number and query code from the receipt."""

    def __init__(self, hall: Hall | HallSource, actor: Actor) -> None:
        super().__init__()
        self.hall = HallSource.of(hall)
        self.actor = actor
        self.setObjectName("page")
        self.number = QLineEdit()
        self.number.setPlaceholderText("例如 XF-20261124-K01-00012-7")
        self.code = QLineEdit()
        self.code.setPlaceholderText("回执上的8位查询码")
        self.code.setInputMask("9999 9999;_")
        self.submit = QPushButton(self.tr("查询办理进度"))
        self.result = _label("", "subtitle")
        self.error = message_label()
        form = FormGrid()
        form.add_row(self.tr("案件编号"), self.number)
        form.add_row(self.tr("查询码"), self.code)
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
        set_tone(self.error, "", "")
        self.result.clear()
        from desktop.services.progress import citizen_progress

        try:
            progress = citizen_progress(self.hall.get(), self.actor, self.number.text(), self.code.text())
        except RuleViolation as refusal:
            set_tone(self.error, "error", refusal.message)
            return
        due = f"，当前期限 {progress.next_due:%Y年%m月%d日}" if progress.next_due else ""
        self.result.setText(
            f"事项 {progress.case_number}（{progress.petitioner}，{progress.received_on:%Y年%m月%d日}登记）\n"
            f"当前状态：{progress.state}{due}\n{progress.next_step}")


class HallBoard(QWidget):
    """The hall's display screen: today, the next leaders' reception day, open matters."""

    def __init__(self, hall: Hall | HallSource) -> None:
        super().__init__()
        self.hall = HallSource.of(hall)
        self.setObjectName("page")
        self.reception = _label("", "board", centred=True)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(_label(self.tr("欢迎来访　依法逐级走访　有序反映诉求"), "board",
                                centred=True))
        layout.addWidget(self.reception)
        layout.addStretch(2)
        self.hall.when_ready(self.refresh)  # the holiday calendar comes with the database

    def refresh(self, hall: Hall | None = None) -> None:
        hall = hall or self.hall.get()
        today = hall.today()
        calendar = hall.policy.calendar
        day = leader_reception_day(today.year, today.month, calendar)
        if day < today:
            year, month = (today.year + 1, 1) if today.month == 12 else (today.year, today.month + 1)
            day = leader_reception_day(year, month, calendar)
        self.reception.setText(self.tr(f"下一个领导接访日：{day:%Y年%m月%d日}"))


class DeviceWindow(QMainWindow):
    """A kiosk or the hall display: works without anyone signing in, as the device itself."""

    def __init__(self, hall: Hall | HallSource, actor: Actor, role: str) -> None:
        super().__init__()
        self.role = role
        self.source = source = HallSource.of(hall)
        self.setWindowTitle(f"信访接待大厅系统 — {ROLE_TITLES[role]}")
        page = QWidget()
        page.setObjectName("page")
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(Header(source.settings.hall_name, ROLE_TITLES[role]))
        # Records made here reach the server in the background; citizens see nothing of it.
        self.sync = SyncIndicator(source)
        self.sync.setParent(self)
        self.sync.hide()
        self.body: QWidget = ProgressQueryPanel(source, actor) if role == "kiosk" else HallBoard(source)
        self.failed_page = OpeningFailedPage(for_citizens=True)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.body)
        self.pages.addWidget(self.failed_page)
        layout.addWidget(self.pages, 1)
        self.setCentralWidget(page)
        self.failed_page.quit_requested.connect(self.close)
        source.when_failed(self._opening_failed)

    def _opening_failed(self, message: str) -> None:
        self.failed_page.show_problem(message)
        self.pages.setCurrentWidget(self.failed_page)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.sync.stop()
        super().closeEvent(event)

    def current_page_title(self) -> str:
        """What the window shows now, in words (printed by ``run --smoke-test``)."""
        if self.pages.currentWidget() is self.failed_page:
            return "无法打开数据库"
        return "查询办理进度（无需登录）" if self.role == "kiosk" else "大厅信息（无需登录）"
