"""What a clerk works with at the counter: 登记 (registration) and 事项与期限 (the case desk).

With a window number (setting ``queue_window``) the hall queue's controls sit above both
(ui/queue): the clerk calls the next visitor from either tab, and the case just registered
here is the one 办结 links to the ticket; a case opened in the case desk is offered, linked only when
the clerk says so (关联所查事项).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QHBoxLayout, QLabel, QPushButton, QTabWidget, QVBoxLayout, QWidget

from desktop.domain.queue import TicketState
from desktop.domain.roles import Permission
from ui.cases.search import CaseSearchPanel
from ui.common.widgets import label, secondary_button
from ui.counter.window_number import WindowNumberDialog
from ui.desk.cases import staff_desk
from ui.queue.bar import QueueBar
from ui.reception.booking import CounterBookingPanel
from ui.registration.form import RegistrationPanel
from ui.shell.context import WorkContext

if TYPE_CHECKING:
    from desktop.domain.queue import Ticket
    from desktop.services.lookup import CaseSummary
    from desktop.services.registration import RegistrationResult


def no_window_words() -> str:
    """Said where the queue's controls would be on a PC without a window number: who sets one, and how."""
    return ("本机未设置窗口号，不显示排队叫号。请系统管理员设置本机窗口号：点“设置本机窗口号”，"
            "由系统管理员输入本人的登录名和密码；设置后即可叫号，无需重新启动程序")


class CounterWork(QWidget):
    """Registration first (the clerk's main work), the cases and deadlines beside it, the queue above.

    A case just registered opens in the case desk with one click (办理此事项), where it is
    classified, routed and decided.
    """

    def __init__(self, ctx: WorkContext) -> None:
        super().__init__()
        self.tabs = QTabWidget(self)
        self.registration = RegistrationPanel(ctx)
        self.desk = staff_desk(ctx)
        self.tabs.addTab(self.registration, "登记 (Ctrl+1)")
        self.tabs.addTab(self.desk, "事项与期限 (Ctrl+2)")
        self.booking = CounterBookingPanel(ctx)
        self.tabs.addTab(self.booking, "领导接访预约 (Ctrl+3)")
        if not ctx.may(Permission.REGISTER):  # a supervisor: the cases first, the closed form says why
            self.tabs.setCurrentWidget(self.desk)
        self.ctx = ctx
        self.queue: QueueBar | None = None
        self.queue_hint: QLabel | None = None
        self.no_window: QWidget | None = None  # the hint and its button, where the queue's controls would be
        self.set_window_button: QPushButton | None = None
        self.window_dialog: WindowNumberDialog | None = None
        self._visitor_ticket: str | None = None  # the called ticket whose person the form was offered
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        if ctx.settings.queue_window:
            self._add_queue()
        else:  # where the queue's controls would be: how to turn them on (a first start has no window number)
            self.queue_hint = label(no_window_words(), "hint")
            self.queue_hint.setWordWrap(True)
            self.set_window_button = secondary_button("设置本机窗口号")
            self.set_window_button.clicked.connect(self.ask_window_number)
            self.no_window = QWidget()
            row = QHBoxLayout(self.no_window)
            row.setContentsMargins(10, 4, 10, 2)  # the queue strip's own inset
            row.addWidget(self.queue_hint, 1)
            row.addWidget(self.set_window_button)
            layout.addWidget(self.no_window)
        layout.addWidget(self.tabs, 1)
        self.registration.open_case.connect(self.open_case)
        # Ctrl+S saves the registration and Ctrl+N starts the next one wherever the focus is in the counter's
        # window (the queue strip, another tab, the window's header), never from a dialog (a window of its own);
        # the form's own keys would make the same keys ambiguous inside it, so the counter's take over.
        for own in self.registration.window_keys:
            own.setEnabled(False)
        for keys, slot in (("Ctrl+S", self.save_registration), ("Ctrl+Return", self.save_registration),
                           ("Ctrl+Enter", self.save_registration), ("Ctrl+N", self.new_registration)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(slot)
        for index, keys in enumerate(("Ctrl+1", "Ctrl+2", "Ctrl+3")):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.activated.connect(lambda i=index: self.show_tab(i))

    def _add_queue(self) -> None:
        """The hall queue's controls above the tabs, for this PC's window (``queue_window``)."""
        self.queue = QueueBar(self.ctx, self)
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertWidget(0, self.queue)
        self.registration.registered.connect(self._registered)
        self.search.case_changed.connect(self._case_selected)
        self.queue.acted.connect(self._called)
        self.queue.refreshed.connect(self._visitor_called)
        self.queue.change_window.connect(self.ask_window_number)

    def _remove_queue(self) -> None:
        """The strip of a window this PC no longer is (its number changed), gone with what it listened to."""
        if self.queue is None:
            return
        self.registration.registered.disconnect(self._registered)
        self.search.case_changed.disconnect(self._case_selected)
        self.queue.hide()
        self.queue.deleteLater()
        self.queue = None
        self._visitor_ticket = None

    def ask_window_number(self) -> WindowNumberDialog:
        """设置本机窗口号: window-modal, not blocking; the queue's controls come once the number is in force."""
        dialog = WindowNumberDialog(self.ctx, self)
        dialog.window_set.connect(self._window_set)
        self.window_dialog = dialog
        dialog.open()
        return dialog

    def _window_set(self, window: int) -> None:
        """The number is in force: the hint goes and the queue's controls take its place, without a restart."""
        if self.no_window is not None:
            self.no_window.hide()
            self.no_window.deleteLater()
            self.no_window = self.queue_hint = self.set_window_button = None
        if self.queue is not None and self.queue.window_number != window:  # changed: the strip of the new one
            self._remove_queue()
        if self.queue is None:
            self._add_queue()
        self.window().activateWindow()  # the dialog has closed: F3 叫下一位 works at once
        # the keys go on into the tab's first field: the button that opened the dialog is gone, and the focus had
        # passed to the header's 锁屏, which the clerk's next Enter or Space pressed
        self.show_tab(self.tabs.currentIndex())
        if self.queue is not None:
            self.queue.say(f"已将本机设为{window}号窗口，可以叫号")

    def show_tab(self, index: int) -> None:
        """Ctrl+1/2/3: the tab comes forward with the keyboard's focus in it, in its first field (the ID number on
        the form), unless the focus is in it already. Pressed over the tab already shown, the key did nothing: the
        focus stayed on the queue strip or the window's header, and what the clerk typed next went nowhere."""
        self.tabs.setCurrentIndex(index)
        page = self.tabs.widget(index)
        focus = QApplication.focusWidget()
        if page is None or (focus is not None and page.isAncestorOf(focus)):
            return
        if page is self.registration and self.registration.id_number.isVisible() \
                and self.registration.id_number.isEnabled():
            self.registration.id_number.setFocus(Qt.FocusReason.ShortcutFocusReason)
            return
        widget = page.nextInFocusChain()
        while widget is not page and widget is not None:
            if page.isAncestorOf(widget) and widget.isVisible() and widget.isEnabled() \
                    and widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
                widget.setFocus(Qt.FocusReason.ShortcutFocusReason)
                return
            widget = widget.nextInFocusChain()

    def save_registration(self) -> None:
        """Ctrl+S: the registration tab comes forward and saves (or says why there is nothing to save)."""
        self._show_registration()
        self.registration.save()

    def new_registration(self) -> None:
        """Ctrl+N: the registration tab comes forward with an empty form (asking first over unsaved typing)."""
        self._show_registration()
        self.registration.ask_new_form()

    def _show_registration(self) -> None:
        if self.tabs.currentWidget() is not self.registration:
            self.tabs.setCurrentWidget(self.registration)
            self.registration.setFocus(Qt.FocusReason.ShortcutFocusReason)  # the focus leaves the hidden tab

    @property
    def search(self) -> CaseSearchPanel:
        panel = self.desk.findChild(CaseSearchPanel)
        assert panel is not None
        return panel

    def currentWidget(self) -> QWidget:  # the tab widget's names, which callers know
        return self.tabs.currentWidget()

    def setCurrentWidget(self, widget: QWidget) -> None:
        self.tabs.setCurrentWidget(widget)

    def _registered(self, result: RegistrationResult) -> None:
        if self.queue is not None:
            self.queue.registered(result.case_number, self.registration.queue_number.text())

    def _called(self, ticket: Ticket | None) -> None:
        """The visitor called to this window: the registration form gets the number and the window."""
        if ticket is None or ticket.window is None or ticket.state not in (TicketState.CALLED, TicketState.SERVING):
            return
        self.registration.queue_number.setText(ticket.number)
        self.registration.window_field.setText(f"{ticket.window}号窗口")
        self.registration.ticket_at_window(ticket.number, f"{ticket.window}号窗口")

    def _visitor_called(self) -> None:
        """A ticket just called: a saved form makes way for the next visitor, and the person of a ticket taken
        with an ID card goes into the form once (nothing the clerk typed is replaced). The line under the form
        about a called visitor goes once their ticket has left the window."""
        view = self.queue.view if self.queue is not None else None
        current = view.current if view is not None else None
        at_window = current is not None and current.state in (TicketState.CALLED, TicketState.SERVING)
        self.registration.ticket_at_window(current.number if current is not None and at_window else "",
                                           f"{current.window}号窗口" if current is not None and current.window else "")
        spoken_of = self.registration.called_line
        if spoken_of and view is not None and (current is None or current.number != spoken_of
                          or current.state not in (TicketState.CALLED, TicketState.SERVING)):
            self.registration.ticket_left(spoken_of)  # 办结, 过号 or 转窗口: the line about its visitor goes
        if view is None or current is None or current.state is not TicketState.CALLED \
                or current.ticket_id == self._visitor_ticket:
            return
        self._visitor_ticket = current.ticket_id
        window = f"{current.window}号窗口" if current.window else ""
        # The last visitor's form is saved, or holds only what their ticket put in: the next one starts anew.
        if self.registration.last_result is not None or self.registration.untouched_fill():
            self.registration.new_form()
            self.registration.queue_number.setText(current.number)
            self.registration.window_field.setText(window)
        if view.person_id:
            read_here = self.queue.card_address(view.person_id) if self.queue is not None else ""
            self.registration.take_visitor(view.person_id, view.person_name or "", queue_number=current.number,
                                           window=window, address=read_here)

    def _case_selected(self, case: CaseSummary | None) -> None:
        """A case on screen in the case desk is offered to 办结, not linked: it may only have been looked at."""
        if self.queue is not None:
            self.queue.view_case(case.case_number if case is not None else None)

    def open_case(self, case_number: str) -> None:
        """办理此事项 after registering: the case just registered here opens in the case desk (already linked)."""
        self.tabs.setCurrentWidget(self.desk)
        self.search.open_number(case_number)


def counter_work(ctx: WorkContext) -> QWidget:
    return CounterWork(ctx)
