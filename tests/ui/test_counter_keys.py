"""A clerk working the counter from the keyboard alone: Ctrl+S from anywhere, pop-ups that move on."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from desktop.domain.access import Role
from desktop.services.context import Actor, Hall
from tests.helpers import valid_id
from tests.ui.conftest import MakeAccount, case_count, sign_in
from ui.common.choice import ChoiceBox
from ui.counter.work import CounterWork
from ui.shell.context import WorkContext
from ui.shell.staff import StaffWindow

REQUEST = "反映浦阳街道某建筑工地拖欠农民工工资三个月，要求尽快支付"
# The offscreen platform has no popup windows of its own: it says so when a list drops down.
POPUPS = pytest.mark.qt_log_ignore("This plugin does not support (raise|grabbing)")


def _type_chinese(edit: QWidget, text: str) -> None:
    """What an input method commits (keyClicks cannot type Chinese)."""
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(edit, event)


def _focus_on(qtbot: QtBot, widget: QWidget) -> None:
    widget.window().activateWindow()
    widget.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is widget)


def test_ctrl_s_saves_from_the_queue_strip_and_from_the_desk(qtbot: QtBot, window_counter: CounterWork,
                                                             sqlite_hall: Hall) -> None:
    panel, bar = window_counter.registration, window_counter.queue
    assert bar is not None
    panel.id_number.setText(valid_id(seq=601))
    panel.name.setText("李梅")
    panel.request.setPlainText(REQUEST)
    _focus_on(qtbot, bar.case_field)  # the clerk typed a case number in the strip above the form
    with qtbot.waitSignal(panel.registered, timeout=10_000):
        qtbot.keyClick(bar.case_field, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert case_count(sqlite_hall) == 1
    qtbot.waitUntil(lambda: not panel.printing.busy, timeout=20_000)

    # The next visitor's form filled, the clerk looking up a case on the desk: Ctrl+Enter saves and shows the form.
    with qtbot.waitSignal(panel.background.settled, timeout=10_000):
        panel.new_form()
    panel.id_number.setText(valid_id(seq=602))
    panel.name.setText("王强")
    panel.request.setPlainText("反映村道损毁，要求修复")
    window_counter.tabs.setCurrentWidget(window_counter.desk)
    search = window_counter.search
    field = search.findChild(QWidget, "casequery") or search.focusWidget() or search
    _focus_on(qtbot, field)
    with qtbot.waitSignal(panel.registered, timeout=10_000):
        qtbot.keyClick(field, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert case_count(sqlite_hall) == 2 and window_counter.currentWidget() is panel
    qtbot.waitUntil(lambda: not panel.printing.busy, timeout=20_000)


def test_ctrl_s_on_an_empty_form_says_there_is_nothing_to_save(qtbot: QtBot, window_counter: CounterWork,
                                                               sqlite_hall: Hall) -> None:
    panel, bar = window_counter.registration, window_counter.queue
    assert bar is not None
    _focus_on(qtbot, bar.visitor_id)
    qtbot.keyClick(bar.visitor_id, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert "没有可保存的内容" in panel.message.text() and not panel.tasks.busy
    assert case_count(sqlite_hall) == 0
    assert QApplication.focusWidget() is panel.id_number  # where the form starts


@POPUPS
def test_enter_in_the_region_popup_picks_and_moves_on_esc_keeps_the_region(qtbot: QtBot,
                                                                           counter: CounterWork) -> None:
    panel = counter.registration
    region = panel.region
    home, home_code = region.currentText(), region.code()
    assert home_code
    edit = region.lineEdit()
    assert edit is not None
    popup = region.completer().popup()

    # Esc: the pop-up closes, the region is the one it was.
    _focus_on(qtbot, region)
    edit.selectAll()
    qtbot.keyClicks(edit, "j")
    qtbot.waitUntil(popup.isVisible)
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Escape)
    assert not popup.isVisible()
    assert region.currentText() == home and region.code() == home_code
    assert QApplication.focusWidget() in (region, edit)

    # Enter on a highlighted region: picked, and the focus is on the next field (信访渠道).
    edit.selectAll()
    qtbot.keyClicks(edit, "jd")  # 街道: townships only (j lists 浙江省 and 金华市 first, whose names are in others')
    qtbot.waitUntil(popup.isVisible)
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    chosen = popup.currentIndex().data()
    assert chosen and chosen != home
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert region.currentText() == chosen and region.code() not in ("", home_code)
    assert QApplication.focusWidget() is panel.channel
    picked = region.code()
    region.set_code(home_code)

    # The only region left needs no arrow key: Enter takes it.
    _focus_on(qtbot, region)
    edit.selectAll()
    _type_chinese(edit, chosen)
    qtbot.waitUntil(popup.isVisible)
    assert popup.model().rowCount() == 1
    popup.setCurrentIndex(QModelIndex())  # nothing highlighted, as when the name was typed from its middle
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert region.code() == picked and QApplication.focusWidget() is panel.channel

    # The whole list (F4): Enter on a region picks it and moves on as well; Esc there changes nothing.
    _focus_on(qtbot, region)
    qtbot.keyClick(region, Qt.Key.Key_F4)
    listed = region.view()
    qtbot.waitUntil(listed.isVisible)
    qtbot.keyClick(listed, Qt.Key.Key_Down)
    qtbot.keyClick(listed, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not listed.isVisible())
    assert region.code() == picked
    qtbot.keyClick(region, Qt.Key.Key_F4)
    qtbot.waitUntil(listed.isVisible)
    qtbot.keyClick(listed, Qt.Key.Key_Down)
    following = listed.currentIndex().data()
    qtbot.keyClick(listed, Qt.Key.Key_Return)
    assert region.currentText() == following != chosen and QApplication.focusWidget() is panel.channel


@POPUPS
def test_enter_in_the_topic_popup_and_tab_in_a_choice_move_on(qtbot: QtBot, counter: CounterWork) -> None:
    panel = counter.registration
    topic = panel.topic
    edit = topic.lineEdit()
    assert edit is not None and topic.count_choices() > 2
    popup = topic.completer().popup()
    _focus_on(qtbot, topic)
    qtbot.keyClicks(edit, "q")
    qtbot.waitUntil(popup.isVisible)
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    chosen = popup.currentIndex().data()
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert topic.currentText() == chosen and topic.code()
    assert QApplication.focusWidget() is panel.nature

    # Several left, none highlighted: the first Enter highlights the first, the second takes it.
    _focus_on(qtbot, topic)
    edit.selectAll()
    qtbot.keyClicks(edit, "q")
    qtbot.waitUntil(popup.isVisible)
    assert popup.model().rowCount() > 1
    popup.setCurrentIndex(QModelIndex())
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert popup.isVisible() and popup.currentIndex().row() == 0  # still open: nothing taken yet
    first = popup.currentIndex().data()
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert topic.currentText() == first and QApplication.focusWidget() is panel.nature

    # Tab on a highlighted entry picks it and goes on, as Tab does everywhere else.
    _focus_on(qtbot, topic)
    edit.selectAll()
    qtbot.keyClicks(edit, "q")
    qtbot.waitUntil(popup.isVisible)
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    second = popup.currentIndex().data()
    qtbot.keyClick(popup, Qt.Key.Key_Tab)
    assert topic.currentText() == second and QApplication.focusWidget() is not edit
    assert isinstance(topic, ChoiceBox)


def _tab(qtbot: QtBot) -> QWidget | None:
    widget = QApplication.focusWidget()
    assert widget is not None
    qtbot.keyClick(widget, Qt.Key.Key_Tab)
    return QApplication.focusWidget()


def test_tab_walks_the_form_field_by_field(qtbot: QtBot, counter: CounterWork) -> None:
    panel = counter.registration
    _focus_on(qtbot, panel.id_number)
    walked = [_tab(qtbot) for _ in range(12)]
    assert walked[:5] == [panel.name, panel.phone, panel.address, panel.persons_count, panel.has_agent]
    assert walked[5] in (panel.region, panel.region.lineEdit())
    assert walked[6] is panel.channel
    _focus_on(qtbot, panel.document_type)  # the form's first field: Shift+Tab goes to the tabs, not the frame
    qtbot.keyClick(panel.document_type, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert QApplication.focusWidget() is counter.tabs.tabBar()
    _focus_on(qtbot, panel.rights_told)
    assert _tab(qtbot) is panel.new_button and _tab(qtbot) is panel.save_button


def test_search_from_the_keyboard_opens_a_case_and_tabs_to_its_buttons(qtbot: QtBot, counter: CounterWork,
                                                                       sqlite_hall: Hall) -> None:
    from desktop.services.registration import register_visit
    from tests.helpers import form

    clerk = counter.registration.actor
    assert isinstance(clerk, Actor)
    numbers = [register_visit(sqlite_hall, clerk, form(id_number=valid_id(seq=610 + i), request="反映村道损毁"))
               .case_number for i in range(2)]
    panel = counter.registration
    _focus_on(qtbot, panel.name)
    qtbot.keyClick(panel.name, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    search = counter.search
    assert QApplication.focusWidget() is search.query  # Ctrl+2: straight into the search box
    qtbot.keyClicks(search.query, numbers[0])
    with qtbot.waitSignal(search.detail_shown, timeout=10_000):  # Enter: the case found is shown
        qtbot.keyClick(search.query, Qt.Key.Key_Return)
    assert search.current is not None and search.current.case_number == numbers[0]
    assert QApplication.focusWidget() is search.table  # ↑↓ now go through what was found

    # Tab leaves the list for the case's buttons in the order they stand (it used to walk the cells).
    from ui.desk.cases import CaseDesk

    desk = counter.desk.findChild(CaseDesk)
    assert desk is not None
    qtbot.waitUntil(desk.steps.isEnabled)
    buttons = [b for b in (search.reveal_reason, search.reveal_button, desk.steps, desk.print_button,
                           desk.queue_button) if b.isVisible() and b.isEnabled()]
    assert [_tab(qtbot) for _ in buttons] == buttons

    # Ctrl+F goes back to the box; ↓ goes down to the list.
    qtbot.keyClick(QApplication.focusWidget() or search, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is search.query and search.query.selectedText() == numbers[0]
    qtbot.keyClick(search.query, Qt.Key.Key_Down)
    assert QApplication.focusWidget() is search.table and search.table.currentRow() == 0

    # Typing on in the list refines the search in the box (the letters jumped about the list).
    qtbot.keyClicks(search.table, "-0")
    assert QApplication.focusWidget() is search.query and search.query.text() == numbers[0] + "-0"


@POPUPS
def test_in_the_transfer_dialog_enter_picks_a_unit_moves_on_and_then_confirms(qtbot: QtBot, counter: CounterWork,
                                                                             sqlite_hall: Hall) -> None:
    from desktop.services import cases
    from desktop.services.registration import register_visit
    from tests.helpers import form
    from ui.cases.actions import CaseActionDialog
    from ui.desk.cases import CaseDesk

    clerk = counter.registration.actor
    number = register_visit(sqlite_hall, clerk, form(id_number=valid_id(seq=620), topic_code="0201",
                                                     nature="申诉求决类")).case_number
    desk = counter.desk.findChild(CaseDesk)
    assert desk is not None
    with qtbot.waitSignal(counter.search.detail_shown, timeout=10_000):
        counter.open_case(number)
    desk.steps.open_by_key("transfer")
    qtbot.waitUntil(lambda: desk.steps.dialog is not None and desk.steps.dialog.isVisible(), timeout=10_000)
    dialog = desk.steps.dialog
    assert isinstance(dialog, CaseActionDialog)
    qtbot.waitUntil(lambda: not dialog.tasks.busy, timeout=10_000)  # the directory's proposal is in
    unit = dialog.fields["organisation_code"]
    assert isinstance(unit, ChoiceBox)
    edit, popup = unit.lineEdit(), unit.completer().popup()
    assert edit is not None
    _focus_on(qtbot, unit)
    edit.selectAll()
    qtbot.keyClicks(edit, "rs")  # 人社: pinyin initials
    qtbot.waitUntil(popup.isVisible)
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    chosen = popup.currentIndex().data()
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert unit.currentText() == chosen and dialog.isVisible()  # picked, the step not yet recorded
    reason = QApplication.focusWidget()  # the field after the unit: 改送理由
    assert isinstance(reason, QLineEdit) and reason in dialog.fields.values() and reason is not unit
    reason.setText("属人社部门职责")
    with qtbot.waitSignal(dialog.tasks.settled, timeout=10_000):  # Enter in the last field confirms (确定转送)
        qtbot.keyClick(reason, Qt.Key.Key_Return)
    assert cases.load_case(sqlite_hall, clerk, number).view.state.value == "已转送", dialog.message.text()
    # the transfer form is offered for print next
    qtbot.waitUntil(lambda: desk.print_button.form is not None and desk.print_button.form.isVisible(), timeout=10_000)
    fields = desk.print_button.form
    assert fields is not None
    fields.reject()


def test_a_case_being_opened_stays_when_another_case_changes_meanwhile(qtbot: QtBot, counter: CounterWork,
                                                                       sqlite_hall: Hall) -> None:
    from desktop.services.changes import Changes, Topic
    from desktop.services.registration import register_visit
    from tests.helpers import form

    clerk = counter.registration.actor
    number = register_visit(sqlite_hall, clerk, form(id_number=valid_id(seq=630))).case_number
    search = counter.search
    counter.tabs.setCurrentWidget(counter.desk)
    search.query.setText(number)
    with qtbot.waitSignal(search.searched, timeout=10_000):
        search.run_search()
    assert search.table.rowCount() == 1 and search.current is None
    search.table.setCurrentCell(0, 0)  # the clerk picks it: its case is being read …
    with qtbot.waitSignal(search.searched, timeout=10_000):
        search._changed(Changes.of(Topic.CASES, case_ids=["another"]))  # … when a sync brings another case
    qtbot.waitUntil(lambda: search.current is not None, timeout=10_000)
    assert search.current is not None and search.current.case_number == number
    assert search.table.currentRow() == 0


def test_the_button_enter_would_press_is_framed(qtbot: QtBot, window_counter: CounterWork,
                                                themed: Callable[[str], None]) -> None:
    themed("counter")  # the frame is the staff theme's (every staff window has it)
    panel = window_counter.registration
    for button in (panel.new_button, panel.save_button):  # a secondary and a primary button
        _focus_on(qtbot, panel.id_number)
        plain = button.grab().toImage()
        _focus_on(qtbot, button)
        framed = button.grab().toImage()
        assert framed.size() == plain.size()  # the frame moves nothing
        corner = framed.pixelColor(1, button.height() // 2)
        assert framed != plain and corner.red() > 200 and corner.blue() < 80, corner.name()  # amber, not blue


def test_ctrl_s_from_the_windows_header_saves_but_not_from_a_dialog(
        qtbot: QtBot, open_window: Callable[..., StaffWindow], make_account: MakeAccount, sqlite_hall: Hall) -> None:
    make_account("wangli", "王丽", Role.CLERK)
    window = open_window("counter")
    sign_in(qtbot, window, "wangli")
    work = window.work
    assert isinstance(work, CounterWork)
    panel = work.registration
    qtbot.waitUntil(lambda: panel.region.count_choices() > 0, timeout=10_000)
    panel.id_number.setText(valid_id(seq=640))
    panel.name.setText("李梅")
    panel.request.setPlainText(REQUEST)

    # 新登记 asks first: Ctrl+S in its question saves nothing (the clerk is answering it).
    panel.ask_new_form()
    box = panel.confirmation
    assert box is not None
    qtbot.waitUntil(box.isVisible)
    box.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is box)
    qtbot.keyClick(QApplication.focusWidget() or box, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert not panel.tasks.busy and case_count(sqlite_hall) == 0
    qtbot.keyClick(QApplication.focusWidget() or box, Qt.Key.Key_Escape)  # 继续填写
    qtbot.waitUntil(lambda: not box.isVisible())
    assert panel.name.text() == "李梅"

    _focus_on(qtbot, window.lock_button)  # the clerk last clicked in the window's header
    with qtbot.waitSignal(panel.registered, timeout=10_000):
        qtbot.keyClick(window.lock_button, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert case_count(sqlite_hall) == 1
    qtbot.waitUntil(lambda: not panel.printing.busy, timeout=20_000)


def test_a_drop_down_with_the_keys_is_framed_as_a_field_is(qtbot: QtBot, window_counter: CounterWork,
                                                            themed: Callable[[str], None]) -> None:
    themed("counter")
    panel = window_counter.registration
    for box in (panel.nature, panel.request):  # Enter walks through 性质 and 信访目的 to 诉求
        _focus_on(qtbot, panel.id_number)
        plain = box.grab().toImage()
        _focus_on(qtbot, box)
        framed = box.grab().toImage()
        edge = framed.pixelColor(0, box.height() // 2)
        assert framed != plain and edge.blue() > 150 and edge.red() < 80, edge.name()


def test_enter_in_the_queue_strips_visitor_fields_issues_the_ticket(qtbot: QtBot, window_counter: CounterWork) -> None:
    bar = window_counter.queue
    assert bar is not None
    _focus_on(qtbot, bar.visitor_id)
    qtbot.keyClicks(bar.visitor_id, valid_id(seq=650))
    qtbot.keyClick(bar.visitor_id, Qt.Key.Key_Return)
    assert QApplication.focusWidget() is bar.visitor_name
    bar.visitor_name.setText("李四")
    with qtbot.waitSignal(bar.issued, timeout=10_000) as issued:
        qtbot.keyClick(bar.visitor_name, Qt.Key.Key_Return)
    assert issued.args[0].ticket.person_linked and bar.visitor_id.text() == ""
    qtbot.waitUntil(lambda: not bar.printing.busy, timeout=20_000)


def test_a_visitor_already_waiting_on_the_type_is_told_not_given_another(qtbot: QtBot,
                                                                          window_counter: CounterWork) -> None:
    bar = window_counter.queue
    assert bar is not None
    number = ""
    for _ in range(2):
        bar.visitor_id.setText(valid_id(seq=651))
        bar.visitor_name.setText("李四")
        with qtbot.waitSignal(bar.tasks.settled, timeout=10_000):
            bar.issue()
        number = number or bar.message.text().split("已发 ")[1].split(" 号")[0]
        qtbot.waitUntil(lambda: not bar.printing.busy, timeout=20_000)
    said = bar.message.text()
    assert f"此人今天已取过 {number} 号" in said and "未另发号" in said and "正在打印" not in said


def test_ctrl_s_for_a_supervisor_says_the_form_is_not_theirs(qtbot: QtBot, sqlite_hall: Hall,
                                                              work_context: Callable[..., WorkContext],
                                                              supervisor: Actor) -> None:
    work = CounterWork(work_context(supervisor))
    qtbot.addWidget(work)
    with qtbot.waitActive(work):
        work.show()
        work.activateWindow()
    assert work.currentWidget() is work.desk
    _focus_on(qtbot, work.search.query)
    qtbot.keyClick(work.search.query, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    panel = work.registration
    assert work.currentWidget() is panel and "没有登记来访的权限" in panel.message.text()
    assert not panel.tasks.busy and case_count(sqlite_hall) == 0


def test_tab_leaves_the_representatives_table_after_its_last_cell(qtbot: QtBot, counter: CounterWork) -> None:
    panel = counter.registration
    editor = panel.representatives
    panel.persons_count.setValue(3)
    editor.add("代表一", valid_id(seq=660))
    editor.add()
    table = editor.table
    _focus_on(qtbot, table)
    table.setCurrentCell(1, 1)
    qtbot.keyClick(table, Qt.Key.Key_Tab)  # it went back to the first cell, round and round
    assert QApplication.focusWidget() is editor.add_button

    # Typing in the last cell: Tab keeps what was typed and goes on too.
    _focus_on(qtbot, table)
    table.setCurrentCell(1, 1)
    table.editItem(table.item(1, 1))
    typing = QApplication.focusWidget()
    assert isinstance(typing, QLineEdit) and typing.parentWidget() is table.viewport()
    typing.setText(valid_id(seq=661))
    qtbot.keyClick(typing, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is editor.add_button
    assert editor.values()[1]["id_number"] == valid_id(seq=661)

    # Within the table Tab still walks the cells; Shift+Tab from the first cell goes back out of it.
    _focus_on(qtbot, table)
    table.setCurrentCell(0, 0)
    qtbot.keyClick(table, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is table and (table.currentRow(), table.currentColumn()) == (0, 1)
    table.setCurrentCell(0, 0)
    qtbot.keyClick(table, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert QApplication.focusWidget() is panel.persons_count


def test_the_case_on_screen_read_again_keeps_its_buttons_usable(qtbot: QtBot, counter: CounterWork,
                                                                sqlite_hall: Hall) -> None:
    from desktop.services.changes import Changes, Topic
    from desktop.services.registration import register_visit
    from tests.helpers import form
    from ui.desk.cases import CaseDesk

    clerk = counter.registration.actor
    number = register_visit(sqlite_hall, clerk, form(id_number=valid_id(seq=670))).case_number
    search, desk = counter.search, counter.desk.findChild(CaseDesk)
    assert desk is not None
    with qtbot.waitSignal(search.detail_shown, timeout=10_000):
        counter.open_case(number)
    qtbot.waitUntil(desk.steps.isEnabled)
    assert search.current is not None
    told: list[object] = []
    search.case_changed.connect(told.append)
    with qtbot.waitSignal(search.detail_shown, timeout=10_000):  # a step recorded elsewhere: read again
        search._changed(Changes.of(Topic.CASES, case_ids=[search.current.case_id]))
        qtbot.waitUntil(lambda: search.tasks.busy or bool(told), timeout=10_000)
        assert desk.steps.isEnabled()  # 办理… can be chosen while the case is read again
    assert None not in told and desk.steps.isEnabled()


def test_ctrl_n_from_the_queue_strip_and_the_desk_starts_the_next_registration(
        qtbot: QtBot, window_counter: CounterWork) -> None:
    panel, bar = window_counter.registration, window_counter.queue
    assert bar is not None
    panel.name.setText("李梅")
    panel.name.textEdited.emit("李梅")
    _focus_on(qtbot, bar.visitor_name)
    qtbot.keyClick(bar.visitor_name, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    box = panel.confirmation  # unsaved typing: asked first
    assert box is not None
    qtbot.waitUntil(box.isVisible)
    box.reject()
    qtbot.waitUntil(lambda: not box.isVisible())
    assert panel.name.text() == "李梅"

    panel.confirmation = None
    panel.set_values(panel._defaults)  # nothing typed
    window_counter.tabs.setCurrentWidget(window_counter.desk)
    _focus_on(qtbot, window_counter.search.query)
    with qtbot.waitSignal(panel.background.settled, timeout=10_000):
        qtbot.keyClick(window_counter.search.query, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert window_counter.currentWidget() is panel and panel.confirmation is None
    assert QApplication.focusWidget() is panel.id_number


@POPUPS
def test_esc_leaves_a_refusal_message_and_keeps_the_form(qtbot: QtBot, counter: CounterWork) -> None:
    panel = counter.registration
    panel.name.setText("李梅")
    panel.request.setPlainText(REQUEST)
    with qtbot.waitSignal(panel.tasks.settled, timeout=10_000):
        panel.save()  # no ID number: refused
    assert panel.message.property("tone") == "error"
    field = QApplication.focusWidget()
    assert field is not None
    # Esc in an open pick list closes the list only: the message is still there.
    region = panel.region
    _focus_on(qtbot, region)
    edit = region.lineEdit()
    assert edit is not None
    edit.selectAll()
    qtbot.keyClicks(edit, "j")
    popup = region.completer().popup()
    qtbot.waitUntil(popup.isVisible)
    qtbot.keyClick(popup, Qt.Key.Key_Escape)
    assert not popup.isVisible() and panel.message.text()
    qtbot.keyClick(QApplication.focusWidget() or region, Qt.Key.Key_Escape)
    assert panel.message.text() == "" and panel.name.text() == "李梅" and panel.request.toPlainText() == REQUEST


def test_after_saving_from_the_form_enter_opens_the_case(qtbot: QtBot, window_counter: CounterWork) -> None:
    panel = window_counter.registration
    panel.id_number.setText(valid_id(seq=680))
    panel.name.setText("李梅")
    panel.request.setPlainText(REQUEST)
    _focus_on(qtbot, panel.request)
    with qtbot.waitSignal(panel.registered, timeout=10_000) as saved:
        qtbot.keyClick(panel.request, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is panel.open_button
    search = window_counter.search
    with qtbot.waitSignal(search.detail_shown, timeout=10_000):
        qtbot.keyClick(panel.open_button, Qt.Key.Key_Return)
    assert window_counter.currentWidget() is window_counter.desk
    assert search.current is not None and search.current.case_number == saved.args[0].case_number
    qtbot.waitUntil(lambda: not panel.printing.busy, timeout=20_000)


def test_ctrl_1_2_3_bring_the_keys_into_the_tab_even_when_it_is_shown(qtbot: QtBot,
                                                                      window_counter: CounterWork) -> None:
    """The form already shown, Ctrl+1 left the focus on the queue strip (or the header's 锁屏): the ID number typed
    next went nowhere, and Enter locked the screen."""
    panel, bar = window_counter.registration, window_counter.queue
    assert bar is not None and window_counter.currentWidget() is panel
    _focus_on(qtbot, bar.visitor_id)
    qtbot.keyClick(bar.visitor_id, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is panel.id_number)
    qtbot.keyClick(panel.id_number, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    desk = window_counter.desk
    qtbot.waitUntil(lambda: window_counter.currentWidget() is desk and desk.isAncestorOf(QApplication.focusWidget()))
    typed_in = QApplication.focusWidget()
    qtbot.keyClick(typed_in, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)  # already there: it stays
    assert QApplication.focusWidget() is typed_in
