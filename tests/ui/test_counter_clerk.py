"""What a new clerk hit at the counter, each through the real widgets: saving twice, classifying, the queue."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop.services.context import Actor, Hall
from desktop.services.drafts import my_drafts
from tests.conftest import FakeClock
from tests.helpers import valid_id
from tests.ui.conftest import case_count
from ui.common.choice import ChoiceBox
from ui.counter.work import CounterWork
from ui.shell.context import WorkContext

Context = Callable[..., WorkContext]
REQUEST = "反映浦阳街道某建筑工地拖欠农民工工资三个月，要求尽快支付"


def test_saving_a_saved_registration_again_registers_nothing(qtbot: QtBot, counter: CounterWork, sqlite_hall: Hall,
                                                             clerk: Actor) -> None:
    panel = counter.registration
    panel.id_number.setText(valid_id(seq=501))
    panel.name.setText("阿依古丽·买买提")
    panel.request.setPlainText(REQUEST)
    with qtbot.waitSignals([panel.registered, panel.receipt_printed], timeout=20_000):
        qtbot.keyClick(panel.request, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    saved = panel.last_result
    assert saved is not None and case_count(sqlite_hall) == 1
    assert not panel.save_button.isEnabled()

    # The clerk presses Ctrl+S again (to print once more, or out of habit): the same visit is not registered twice.
    qtbot.keyClick(panel.request, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    panel.save()
    assert not panel.tasks.busy and case_count(sqlite_hall) == 1
    assert saved.case_number in panel.message.text() and "不会重复登记" in panel.message.text()

    # A change to the saved form is no draft to bring back after a restart.
    panel.phone.setText("13857912345")
    panel.phone.textEdited.emit("13857912345")
    assert not panel._draft_timer.isActive()
    assert my_drafts(sqlite_hall, clerk, "registration") == []

    # 新登记: the next visitor can be saved again.
    with qtbot.waitSignal(panel.background.settled, timeout=10_000):
        panel.new_form()
    assert panel.save_button.isEnabled()
    panel.id_number.setText(valid_id(seq=502))
    panel.name.setText("李梅")
    panel.request.setPlainText("反映村道损毁")
    with qtbot.waitSignal(panel.registered, timeout=20_000):
        panel.save()
    assert case_count(sqlite_hall) == 2


def _steps(counter: CounterWork):  # type: ignore[no-untyped-def]
    from ui.desk.cases import CaseDesk

    desk = counter.desk.findChild(CaseDesk)
    assert desk is not None
    return desk.steps


def test_classifying_starts_from_the_registered_topic_not_the_first_nature(
        qtbot: QtBot, counter: CounterWork, sqlite_hall: Hall, clerk: Actor) -> None:
    from desktop.services import cases
    from desktop.services.registration import register_visit
    from tests.helpers import form
    from ui.cases.actions import CaseActionDialog

    wages = register_visit(sqlite_hall, clerk, form(id_number=valid_id(seq=511), topic_code="0201",
                                                     request=REQUEST)).case_number
    bare = register_visit(sqlite_hall, clerk, form(id_number=valid_id(seq=512))).case_number
    search, steps = counter.search, _steps(counter)

    def classify_dialog(number: str) -> CaseActionDialog:
        with qtbot.waitSignal(search.detail_shown, timeout=10_000):
            counter.open_case(number)
        steps.open_by_key("classify")
        qtbot.waitUntil(lambda: steps.dialog is not None and steps.dialog.case_ref == number
                        and steps.dialog.isVisible(), timeout=10_000)
        dialog = steps.dialog
        assert isinstance(dialog, CaseActionDialog)
        return dialog

    dialog = classify_dialog(wages)
    assert search.detail.height() >= search.table.height()  # the case on screen has the room, not the list
    assert dialog.values()["nature"] == "申诉求决类" and dialog.values()["topic_code"] == "0201"
    assert dialog.values()["legal_route"] == "依法履职"
    with qtbot.waitSignals([dialog.recorded, search.detail_shown], timeout=10_000):  # the clerk confirms
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    # The clerk reads that it was done, beside the case, at 1366×768 too (the case read again keeps the line).
    note = search.reveal_note
    qtbot.waitUntil(lambda: search.current is not None and search.current.case_number == wages, timeout=10_000)
    assert note.isVisible() and f"已分类：{wages}（申诉求决类）" in note.text()
    assert note.width() >= note.sizeHint().width() or note.wordWrap()
    assert note.geometry().right() <= note.parentWidget().width()
    view = cases.load_case(sqlite_hall, clerk, wages).view
    assert (view.nature, view.topic_code) == ("申诉求决类", "0201")

    dialog = classify_dialog(bare)  # nothing known: no class is taken for the clerk
    topic = dialog.fields["topic_code"]
    assert isinstance(topic, ChoiceBox)
    for typed in ("qx", "欠薪", "tqgz"):  # a keyword or pinyin initials, as on the registration form
        matcher = topic._matcher  # what the drop-down lists for the typed text (the popup itself is left shut)
        matcher.set_needle(typed)
        found = [matcher.data(matcher.index(row, 0)) for row in range(matcher.rowCount())]
        assert "劳动和社会保障/拖欠工资" in found, typed
    assert dialog.fields["nature"].currentText() == "（请选择）" and dialog.values()["nature"] == ""
    with qtbot.waitSignal(dialog.tasks.settled, timeout=10_000):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert "性质" in dialog.message.text() and dialog.isVisible()
    dialog.reject()
    assert cases.load_case(sqlite_hall, clerk, bare).view.nature == ""


def test_a_called_visitors_earlier_cases_leave_the_clerk_room_at_1366x768(
        qtbot: QtBot, window_counter: CounterWork, sqlite_hall: Hall, clerk: Actor) -> None:
    from desktop.domain.queue import TicketSource
    from desktop.services import queue
    from desktop.services.registration import register_visit
    from tests.helpers import form

    person = valid_id(seq=521)
    earlier = [register_visit(sqlite_hall, clerk, form(name="阿依古丽·买买提", id_number=person,
                                                       request=f"{REQUEST}（第{n}次）")).case_number
               for n in (1, 2, 3)]
    queue.issue_ticket(sqlite_hall, type_code="general", source=TicketSource.KIOSK, id_number=person,
                       name="阿依古丽·买买提")
    bar = window_counter.queue
    assert bar is not None
    with qtbot.waitSignal(bar.acted, timeout=10_000):
        bar.act(bar_call())
    qtbot.waitUntil(lambda: bar.earlier.isVisible() and bar.earlier.rowCount() == 3, timeout=10_000)
    # The strip did not grow by a table under it: the table sits beside the controls, as tall as they are.
    qtbot.waitUntil(lambda: bar.earlier.height() > 0 and bar.height() < (768 - 45) // 4, timeout=2_000)
    assert "以前的信访事项：3 件" in bar.earlier_title.text()
    assert bar.earlier.item(0, 0).text() in earlier
    first = bar.earlier.visualItemRect(bar.earlier.item(0, 0))
    assert first.height() > 0 and bar.earlier.viewport().rect().contains(first)  # the newest case can be read
    assert window_counter.tabs.height() >= (768 - 45) * 0.6  # the form and the case desk keep the screen


def test_the_earlier_cases_beside_the_keys_show_whole_columns_at_1366_and_all_at_1920(
        qtbot: QtBot, window_counter: CounterWork, sqlite_hall: Hall, clerk: Actor, clock: FakeClock) -> None:
    """Nothing cut at the box's right edge: at 1366×768 诉求 (then 登记日期) makes way, read on the tooltip;
    at 1920×1080 every column is there."""
    from datetime import datetime

    from desktop.domain.queue import TicketSource
    from desktop.services import queue
    from desktop.services.registration import register_visit
    from tests.helpers import form

    person, now = valid_id(seq=561), clock.current
    for when in (datetime(2024, 10, 5, 9, 0), datetime(2025, 12, 17, 10, 0), now):  # other years: long dates
        clock.current = when
        register_visit(sqlite_hall, clerk, form(name="阿依古丽·买买提", id_number=person, request=REQUEST))
    clock.current = now
    queue.issue_ticket(sqlite_hall, type_code="general", source=TicketSource.KIOSK, id_number=person,
                       name="阿依古丽·买买提")
    bar = window_counter.queue
    assert bar is not None
    with qtbot.waitSignal(bar.acted, timeout=10_000):
        bar.act(bar_call())
    table = bar.earlier
    qtbot.waitUntil(lambda: table.isVisible() and table.rowCount() == 3, timeout=10_000)

    def shown() -> list[int]:
        return [c for c in range(table.columnCount()) if not table.isColumnHidden(c)]

    def whole() -> bool:  # inside the box; the number, date and state whole (诉求 may end in …)
        columns = shown()
        return (sum(table.columnWidth(c) for c in columns) <= table.viewport().width() + 1
                and all(table.columnWidth(c) >= table.sizeHintForColumn(c) for c in columns if c != 3))

    qtbot.waitUntil(whole, timeout=2_000)
    assert 0 in shown() and 2 in shown()  # the case number and its state, always
    assert REQUEST in table.item(0, 3).toolTip() and table.item(0, 0).text() in table.item(0, 3).toolTip()
    window_counter.resize(1920, 1080 - 45)
    qtbot.waitUntil(lambda: shown() == [0, 1, 2, 3] and whole(), timeout=2_000)
    window_counter.resize(1366, 768 - 45)  # back: fitted again
    qtbot.waitUntil(whole, timeout=2_000)


def bar_call():  # type: ignore[no-untyped-def]
    from desktop.domain.queue import QueueAction

    return QueueAction.CALL


def test_a_called_id_card_ticket_fills_the_form_and_the_next_call_starts_a_new_one(
        qtbot: QtBot, window_counter: CounterWork, sqlite_hall: Hall, clerk: Actor) -> None:
    from desktop.domain.queue import TicketSource
    from desktop.services import queue

    first, second, third = valid_id(seq=531), valid_id(seq=532), valid_id(seq=533)
    for number, name in ((first, "阿依古丽·买买提"), (second, "欧阳娜娜"), (third, "王芳")):
        queue.issue_ticket(sqlite_hall, type_code="general", source=TicketSource.KIOSK, id_number=number, name=name)
    bar, panel = window_counter.queue, window_counter.registration
    assert bar is not None

    def call() -> None:
        from desktop.domain.queue import QueueAction

        if bar.view is not None and bar.view.current is not None:  # 办结 the visitor at the window first
            with qtbot.waitSignal(bar.acted, timeout=10_000):
                bar.act(QueueAction.FINISH)
            qtbot.waitUntil(lambda: bar.buttons[QueueAction.CALL].isEnabled(), timeout=10_000)
        with qtbot.waitSignal(bar.acted, timeout=10_000):
            bar.act(QueueAction.CALL)
        with qtbot.waitSignal(bar.refreshed, timeout=10_000):
            pass

    with qtbot.waitSignal(panel.history_shown, timeout=10_000):  # the visitor's history, as if typed
        call()
    assert (panel.id_number.text(), panel.name.text()) == (first, "阿依古丽·买买提")
    assert (panel.queue_number.text(), panel.window_field.text()) == ("A001", "3号窗口")
    assert "初访" in panel.repeat.verdict.text()
    panel.request.setPlainText(REQUEST)
    with qtbot.waitSignal(panel.registered, timeout=20_000):
        panel.save()

    call()  # the next visitor: the saved form makes way, the person comes in, nobody retypes an ID number
    qtbot.waitUntil(lambda: panel.name.text() == "欧阳娜娜", timeout=10_000)
    assert panel.last_result is None and panel.save_button.isEnabled()
    assert (panel.id_number.text(), panel.queue_number.text(), panel.request.toPlainText()) == (second, "A002", "")

    assert panel.take_visitor(second, "欧阳娜娜") and "没有替换" not in panel.message.text()  # the same person
    # 欧阳娜娜 only asked and left (办结 without a registration); nothing was typed for her: the next
    # ID-card visitor replaces her in the form, and no draft of her is left to come back.
    assert panel.untouched_fill() and my_drafts(sqlite_hall, clerk, "registration") == []
    queue.issue_ticket(sqlite_hall, type_code="general", source=TicketSource.KIOSK, id_number=valid_id(seq=534),
                       name="张建国")
    call()
    qtbot.waitUntil(lambda: panel.name.text() == "王芳", timeout=10_000)
    assert (panel.id_number.text(), panel.queue_number.text()) == (third, "A003")
    panel.name.setText("王芳的代理人")  # the clerk typed for someone: that is never replaced
    call()
    qtbot.waitUntil(lambda: "张建国" in panel.message.text(), timeout=10_000)
    assert panel.name.text() == "王芳的代理人" and panel.id_number.text() == third
    assert "没有替换" in panel.message.text()
    panel.new_form()  # 新登记, as the line says: the form is for the visitor called, 张建国
    assert panel.name.text() == "张建国" and panel.id_number.text() == valid_id(seq=534)
    assert panel.queue_number.text() == "A004" and "已填入持证取号的来访人 张建国" in panel.message.text()


def test_the_line_about_a_called_visitor_goes_once_their_ticket_is_finished(
        qtbot: QtBot, window_counter: CounterWork, sqlite_hall: Hall) -> None:
    from desktop.domain.queue import QueueAction, TicketSource
    from desktop.services import queue

    person = valid_id(seq=541)
    for number, name in ((person, "欧阳娜娜"), (valid_id(seq=542), "张建国")):
        queue.issue_ticket(sqlite_hall, type_code="general", source=TicketSource.KIOSK, id_number=number, name=name)
    bar, panel = window_counter.queue, window_counter.registration
    assert bar is not None

    def act(action: QueueAction) -> None:
        qtbot.waitUntil(lambda: bar.buttons[action].isEnabled(), timeout=10_000)
        with qtbot.waitSignal(bar.refreshed, timeout=10_000):
            bar.act(action)

    act(QueueAction.CALL)
    qtbot.waitUntil(lambda: "已填入持证取号的来访人 欧阳娜娜（A001）" in panel.message.text(), timeout=10_000)
    act(QueueAction.START)  # she sits down: still hers
    assert "欧阳娜娜（A001）" in panel.message.text()
    act(QueueAction.FINISH)  # 办结: the line about her goes, what the form holds stays
    qtbot.waitUntil(lambda: panel.message.text() == "", timeout=10_000)
    assert panel.name.text() == "欧阳娜娜" and panel.id_number.text() == person
    panel.name.setText("欧阳娜娜的代理人")  # typed for someone: the next visitor is named, not put in
    act(QueueAction.CALL)
    qtbot.waitUntil(lambda: "已叫到持证取号的 张建国" in panel.message.text(), timeout=10_000)
    act(QueueAction.SKIP)  # 过号: he is not at the window, the line about him goes too
    qtbot.waitUntil(lambda: panel.message.text() == "", timeout=10_000)
    assert panel.name.text() == "欧阳娜娜的代理人"


def test_new_registration_over_unsaved_typing_asks_first(qtbot: QtBot, counter: CounterWork, sqlite_hall: Hall,
                                                         clerk: Actor) -> None:
    panel = counter.registration
    panel.name.setText("欧阳娜娜")
    panel.request.setPlainText("x" * 5000)  # a long paste the clerk would lose
    qtbot.keyClick(panel.name, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    box = panel.confirmation
    assert box is not None and box.isVisible() and "欧阳娜娜" in box.text()
    qtbot.keyClick(box, Qt.Key.Key_Escape)  # Esc, or 继续填写: everything stays
    qtbot.waitUntil(lambda: not box.isVisible(), timeout=5_000)
    assert panel.name.text() == "欧阳娜娜" and len(panel.request.toPlainText()) == 5000

    qtbot.mouseClick(panel.new_button, Qt.MouseButton.LeftButton)
    box = panel.confirmation
    assert box is not None and box.isVisible() and panel.clear_button is not None
    with qtbot.waitSignal(panel.background.settled, timeout=10_000):
        qtbot.mouseClick(panel.clear_button, Qt.MouseButton.LeftButton)
    assert panel.name.text() == "" and panel.request.toPlainText() == ""
    assert my_drafts(sqlite_hall, clerk, "registration") == []

    qtbot.keyClick(panel.name, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)  # nothing typed: no question
    assert panel.confirmation is box and not box.isVisible()


def test_a_refused_save_keeps_the_last_typing_as_draft_and_shows_the_field(
        qtbot: QtBot, counter: CounterWork, sqlite_hall: Hall, clerk: Actor) -> None:
    panel = counter.registration
    panel.document_type.setCurrentIndex(panel.document_type.findData("护照"))
    panel.id_number.setText("E12345678")
    panel.name.setText("John Smith")
    panel.phone.setText("+44 2079")  # too short for a number abroad
    panel.request.setPlainText("反映房东拒不退还租房押金")  # typed just before Ctrl+S: no draft of it yet
    panel.form_scroll.verticalScrollBar().setValue(panel.form_scroll.verticalScrollBar().maximum())
    with qtbot.waitSignal(panel.tasks.settled, timeout=10_000):
        qtbot.keyClick(panel.request, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert "+852" in panel.field_messages["phone"].text()  # said under the field, which has the focus
    assert panel.phone.hasFocus() and panel.phone.visibleRegion().boundingRect().height() > 0
    with qtbot.waitSignal(panel.draft_saved, timeout=10_000):  # the program may die now: nothing is lost
        pass
    (draft,) = my_drafts(sqlite_hall, clerk, "registration")
    assert draft.data["request"] == "反映房东拒不退还租房押金" and draft.data["phone"] == "+44 2079"

    panel.phone.setText("+44 20 7946 0958")
    with qtbot.waitSignal(panel.registered, timeout=20_000):
        panel.save()
    assert panel.last_result is not None and panel.last_result.view is not None
    assert panel.last_result.view.petitioner.phone == "+442079460958"


def test_the_queue_strip_shows_a_minority_name_and_a_case_number_whole(window_counter: CounterWork) -> None:
    bar = window_counter.queue
    assert bar is not None
    for field, text in ((bar.visitor_name, "阿依古丽·买买提"), (bar.case_field, "XF-20261205-K01-00254-C")):
        field.setText(text)
        field.setCursorPosition(0)
        assert field.fontMetrics().horizontalAdvance(text) <= field.width() - 12, text
    assert bar.width() <= 1366 and bar.minimumSizeHint().width() <= 1366


def test_the_receipt_names_the_window_not_the_pcs_device_code(window_counter: CounterWork) -> None:
    panel = window_counter.registration
    assert panel.window_field.text() == "3号窗口" != panel.ctx.settings.device_code  # its window in the queue


def test_without_a_window_number_the_form_makes_no_window_up(counter: CounterWork) -> None:
    assert counter.registration.window_field.text() == ""  # was the device code (K01) on every receipt


def test_what_was_typed_just_before_signing_out_comes_back(  # type: ignore[no-untyped-def]
        qtbot: QtBot, sqlite_hall: Hall, open_window, make_account) -> None:
    from desktop.domain.access import Role
    from desktop.services.changes import Topic
    from tests.ui.conftest import sign_in
    from ui.registration.form import RegistrationPanel

    make_account("wangli", "王丽", Role.CLERK)
    window = open_window("counter")
    sign_in(qtbot, window, "wangli")
    panel = window.findChild(RegistrationPanel)
    assert panel is not None
    qtbot.waitUntil(lambda: panel._defaults.get("channel") == "走访", timeout=10_000)  # the form is ready
    panel.name.setText("欧阳娜娜")
    panel.name.textEdited.emit("欧阳娜娜")  # typed, and at once 退出登录: the draft's timer has not fired
    assert panel._draft_timer.isActive()
    with qtbot.waitSignal(window.ctx.tasks.changed, timeout=10_000,
                          check_params_cb=lambda changes: Topic.DRAFTS in changes.topics):
        qtbot.mouseClick(window.sign_out_button, Qt.MouseButton.LeftButton)
    assert window.actor is None
    sign_in(qtbot, window, "wangli")
    again = window.findChild(RegistrationPanel)
    assert again is not None and again is not panel
    with qtbot.waitSignal(again.ready, timeout=10_000):
        pass
    assert again.name.text() == "欧阳娜娜" and "已恢复" in again.message.text()


def test_the_transfer_form_needs_no_unit_typed_again(qtbot: QtBot, counter: CounterWork, sqlite_hall: Hall,
                                                     clerk: Actor) -> None:
    from desktop.documents.model import DocumentKind
    from desktop.services import case_actions
    from desktop.services.registration import register_visit
    from tests.helpers import form
    from ui.desk.cases import CaseDesk
    from ui.printing.preview import PrintPreviewDialog

    number = register_visit(sqlite_hall, clerk, form(id_number=valid_id(seq=541), topic_code="0201")).case_number
    case_actions.perform(sqlite_hall, clerk, number, "classify", {"nature": "申诉求决类", "topic_code": "0201"})
    proposal = case_actions.route_proposal(sqlite_hall, clerk, number)
    assert proposal.organisation is not None
    case_actions.perform(sqlite_hall, clerk, number, "transfer", {"organisation_code": proposal.organisation.code})
    with qtbot.waitSignal(counter.search.detail_shown, timeout=10_000):
        counter.open_case(number)
    desk = counter.desk.findChild(CaseDesk)
    assert desk is not None
    desk.print_button.choose(DocumentKind.TRANSFER_FORM)
    fields = desk.print_button.form
    assert fields is not None and fields.isVisible()
    unit = fields.inputs["organisation_code"]
    assert unit.text() == "" and "已转送" in unit.placeholderText()  # the clerk is told it may stay empty
    with qtbot.waitSignal(desk.print_button.opened, timeout=20_000) as opened:
        qtbot.mouseClick(fields.ok_button, Qt.MouseButton.LeftButton)
    preview = opened.args[0]
    assert isinstance(preview, PrintPreviewDialog) and preview.doc.kind is DocumentKind.TRANSFER_FORM
    preview.reject()


def test_a_queue_key_pressed_in_vain_says_why(qtbot: QtBot, window_counter: CounterWork, sqlite_hall: Hall) -> None:
    from desktop.domain.queue import QueueAction, TicketSource, why_not
    from desktop.services import queue

    bar = window_counter.queue
    assert bar is not None
    bar.act(QueueAction.FINISH)  # nobody at the window yet
    assert "没有号" in bar.message.text() and "F3" in bar.message.text()
    for _ in range(2):
        queue.issue_ticket(sqlite_hall, type_code="general", source=TicketSource.KIOSK)
    with qtbot.waitSignal(bar.acted, timeout=10_000):
        bar.act(QueueAction.CALL)
    qtbot.waitUntil(lambda: bar.view is not None and bar.view.current is not None, timeout=10_000)
    qtbot.keyClick(bar.window().focusWidget() or bar.window(), Qt.Key.Key_F3)  # the next one, but A001 is here
    assert "A001 号还在本窗口" in bar.message.text() and "F9 办结" in bar.message.text()
    assert not bar.tasks.busy and bar.view is not None and bar.view.current is not None
    assert bar.view.current.number == "A001"
    assert why_not(QueueAction.FINISH, bar.view.current) is None


def test_a_long_request_does_not_push_the_deadlines_out_of_sight(qtbot: QtBot, counter: CounterWork,
                                                                 sqlite_hall: Hall, clerk: Actor) -> None:
    from desktop.services.registration import register_visit
    from tests.helpers import form

    letter = ("本人在浦阳街道某建筑工地务工，老板拖欠工资三个月共计两万三千元😡，多次讨要无果。" * 200)[:5000]
    number = register_visit(sqlite_hall, clerk, form(id_number=valid_id(seq=561), request=letter)).case_number
    search = counter.search
    counter.open_case(number)
    # the case as it is shown (a refresh of the list may select it again before it is read)
    qtbot.waitUntil(lambda: "诉求" in search.detail.toPlainText() or search.reveal_note.property("tone") == "error",
                    timeout=10_000)
    text = search.detail.toPlainText()
    assert "诉求" in text, search.reveal_note.text()
    assert text.index("期限") < text.index("诉求") and text.index("分类") < text.index("诉求")
    # the request's start, then 展开全文: the events come right after it, not after 5,000 characters
    assert letter not in text and letter[:100] in text and "展开全文（共5,000字）" in text
    assert text.index("事件") - text.index("诉求") < 400
    from PySide6.QtCore import QUrl

    from ui.cases.search import EXPAND_LINK

    search.detail.anchorClicked.emit(QUrl(f"{EXPAND_LINK}:request"))  # the link 展开全文
    text = search.detail.toPlainText()
    assert letter in text and "收起" in text  # the whole request is still there
    search.detail.anchorClicked.emit(QUrl(f"{EXPAND_LINK}:-request"))  # 收起
    assert letter not in search.detail.toPlainText()


def test_the_deadlines_show_their_days_and_fold_how_they_were_counted_behind_a_toggle(
        qtbot: QtBot, counter: CounterWork, sqlite_hall: Hall, clerk: Actor) -> None:
    from PySide6.QtCore import QUrl

    from desktop.domain.deadlines import format_date
    from desktop.services import cases
    from desktop.services.registration import register_visit
    from tests.helpers import form
    from ui.cases.search import DEADLINE_NOTES, EXPAND_LINK

    number = register_visit(sqlite_hall, clerk, form(id_number=valid_id(seq=571), request=REQUEST)).case_number
    (deadline,) = cases.load_case(sqlite_hall, clerk, number).deadlines
    search = counter.search
    counter.open_case(number)
    qtbot.waitUntil(lambda: "诉求" in search.detail.toPlainText(), timeout=10_000)
    text = search.detail.toPlainText()
    # the limit, its day and article on one line; how it was counted (起算日, 计算方式 …) folded
    assert f"{deadline.rule.name}：{format_date(deadline.due)}（{deadline.rule.article}" in text
    assert "说明（如何计算）" in text and "起算日" not in text and "计算方式" not in text
    search.detail.anchorClicked.emit(QUrl(f"{EXPAND_LINK}:{DEADLINE_NOTES}"))  # 说明
    text = search.detail.toPlainText()
    assert deadline.explain().splitlines()[1] in text and "收起说明" in text
    search.detail.anchorClicked.emit(QUrl(f"{EXPAND_LINK}:-{DEADLINE_NOTES}"))  # 收起说明
    assert "起算日" not in search.detail.toPlainText()


def test_the_representatives_table_is_there_for_a_group_only(counter: CounterWork) -> None:
    panel = counter.registration
    assert not panel.agent_name.isVisible()  # nor the agent's fields without an agent
    panel.has_agent.setChecked(True)
    assert panel.agent_name.isVisible() and panel.agent_name.isEnabled() and panel.agent_phone.isVisible()
    panel.has_agent.setChecked(False)
    assert not panel.agent_phone.isVisible()
    assert not panel.representatives.isVisible()  # one visitor: no empty table to scroll past
    panel.persons_count.setValue(3)
    assert panel.representatives.isVisible()
    panel.persons_count.setValue(1)
    assert not panel.representatives.isVisible()
    panel.set_values({**panel._defaults, "representatives": [{"name": "代表一", "id_number": valid_id(seq=571)}]})
    assert panel.representatives.isVisible() and panel.representatives.values()[0]["name"] == "代表一"
    panel.set_values(panel._defaults)  # 新登记: one visitor again
    assert not panel.representatives.isVisible()


def test_new_registration_over_a_ticket_fill_alone_asks_nothing(qtbot: QtBot, window_counter: CounterWork,
                                                                sqlite_hall: Hall) -> None:
    from desktop.domain.queue import QueueAction, TicketSource
    from desktop.services import queue

    queue.issue_ticket(sqlite_hall, type_code="general", source=TicketSource.KIOSK, id_number=valid_id(seq=581),
                       name="欧阳娜娜")
    bar, panel = window_counter.queue, window_counter.registration
    assert bar is not None
    with qtbot.waitSignal(panel.history_shown, timeout=10_000):
        bar.act(QueueAction.CALL)
    assert panel.name.text() == "欧阳娜娜" and panel.untouched_fill()
    with qtbot.waitSignal(panel.background.settled, timeout=10_000):
        qtbot.keyClick(panel.name, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert panel.confirmation is None and panel.name.text() == ""  # nothing of the clerk's was there to lose


def test_a_new_form_starts_at_its_first_field_in_view(qtbot: QtBot, counter: CounterWork) -> None:
    """新登记 kept the form scrolled down where the last one was saved: the ID field, the first, out of sight."""
    panel = counter.registration
    counter.resize(1366, 700)
    counter.show()
    qtbot.waitExposed(counter)
    bar = panel.form_scroll.verticalScrollBar()
    assert bar.maximum() > 0
    bar.setValue(bar.maximum())
    with qtbot.waitSignal(panel.background.settled, timeout=10_000):
        panel.new_form()
    assert bar.value() == 0
    assert panel.id_number.visibleRegion().boundingRect().height() == panel.id_number.height()



def test_the_address_on_a_card_read_at_issue_goes_into_the_form_when_its_ticket_is_called(
        qtbot: QtBot, window_counter: CounterWork) -> None:
    """发号 with the card on the reader kept the name and the ID number for the form, and lost the address."""
    from datetime import date

    from desktop.devices.idcard import IdCard
    from desktop.domain.queue import QueueAction

    number = valid_id(seq=541)
    bar, panel = window_counter.queue, window_counter.registration
    assert bar is not None
    card = IdCard(name="周美华", sex="女", ethnicity="汉", birth_date=date(1966, 4, 2),
                  address="浙江省浦江县白马镇夏张村12号", id_number=number, issuer="浦江县公安局")
    bar.fill_from_card(card)
    qtbot.waitUntil(lambda: bar.issue_type.currentData() is not None, timeout=10_000)
    with qtbot.waitSignal(bar.tasks.settled, timeout=10_000):
        bar.issue()
    assert bar.visitor_id.text() == ""  # issued: the fields are free for the next visitor
    qtbot.waitUntil(lambda: bar.buttons[QueueAction.CALL].isEnabled(), timeout=10_000)
    with qtbot.waitSignal(bar.acted, timeout=10_000):
        bar.act(QueueAction.CALL)
    qtbot.waitUntil(lambda: panel.name.text() == "周美华", timeout=10_000)
    assert (panel.id_number.text(), panel.address.text()) == (number, "浙江省浦江县白马镇夏张村12号")


def test_new_registration_for_a_called_visitor_without_a_card_keeps_their_ticket(
        qtbot: QtBot, window_counter: CounterWork, sqlite_hall: Hall) -> None:
    """A ticket taken without an ID card, called: its number and window are the counter's, not the clerk's typing.
    新登记 asked 当前登记还没有保存 over an empty form, then emptied 排队号 and 接待窗口 while the visitor stood at
    the window (the case registered for them was not linked to their ticket)."""
    from desktop.domain.queue import QueueAction, TicketSource
    from desktop.services import queue

    queue.issue_ticket(sqlite_hall, type_code="general", source=TicketSource.KIOSK)
    bar, panel = window_counter.queue, window_counter.registration
    assert bar is not None
    qtbot.waitUntil(lambda: not panel.tasks.busy, timeout=10_000)  # the form's lists are read
    with qtbot.waitSignal(bar.refreshed, timeout=10_000):
        bar.act(QueueAction.CALL)
    qtbot.waitUntil(lambda: panel.queue_number.text() == "A001" and not panel.tasks.busy, timeout=10_000)
    with qtbot.waitSignal(panel.background.settled, timeout=10_000):
        qtbot.keyClick(panel.id_number, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert panel.confirmation is None  # nothing typed: nothing to ask about
    assert (panel.queue_number.text(), panel.window_field.text()) == ("A001", "3号窗口")
    qtbot.keyClick(panel.id_number, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert "没有可保存的内容" in panel.message.text() and case_count(sqlite_hall) == 0

    with qtbot.waitSignal(bar.refreshed, timeout=10_000):  # the visitor has left the window (办结, 过号, 转窗口)
        bar.act(QueueAction.FINISH)
    # the strip's read after 办结 (a read begun before it may answer first, with A001 still at the window)
    qtbot.waitUntil(lambda: bar.view is not None and bar.view.current is None and not bar.reads.busy,
                    timeout=10_000)
    assert panel.queue_number.text() == "A001"  # still shown, still not the clerk's typing
    with qtbot.waitSignal(panel.background.settled, timeout=10_000):
        qtbot.keyClick(panel.id_number, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert panel.confirmation is None and panel.queue_number.text() == ""  # the next form is blank
