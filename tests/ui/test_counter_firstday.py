"""A clerk's first day at the counter, through the real widgets: what they ran into and now find."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop.services.context import Actor, Hall
from desktop.services.registration import register_visit
from tests.conftest import FakeClock
from tests.helpers import form, valid_id
from ui.counter.work import CounterWork


def test_a_half_typed_id_number_gets_no_first_visit_verdict(qtbot: QtBot, counter: CounterWork,
                                                             sqlite_hall: Hall, clerk: Actor) -> None:
    person = valid_id(seq=77)
    register_visit(sqlite_hall, clerk, form(id_number=person))
    panel = counter.registration
    with qtbot.waitSignal(panel.history_shown, timeout=10_000):
        QTest.keyClicks(panel.id_number, person[:15])
    assert "初访" not in panel.repeat.verdict.text()  # it said 初访 of a visitor with an earlier case
    assert "身份证号码还不完整或有误" in panel.repeat.verdict.text()
    assert panel.repeat.table.rowCount() == 0
    with qtbot.waitSignal(panel.history_shown, timeout=10_000):
        QTest.keyClicks(panel.id_number, person[15:])
    assert "重复访" in panel.repeat.verdict.text() or "此前有 1 件" in panel.repeat.verdict.text()
    assert panel.repeat.table.rowCount() == 1


def test_no_verdict_until_the_request_is_typed_and_the_history_fits_at_1366(
        qtbot: QtBot, counter: CounterWork, sqlite_hall: Hall, clerk: Actor) -> None:
    """ID typed, topic picked, request still empty: what is known of the earlier case, no 初访 said of it."""
    person = valid_id(seq=78)
    register_visit(sqlite_hall, clerk, form(id_number=person, topic_code="0101"))
    panel = counter.registration
    with qtbot.waitSignal(panel.history_shown, timeout=10_000):
        panel.id_number.setText(person)
    with qtbot.waitSignal(panel.history_shown, timeout=10_000):
        panel.topic.set_code("0101")
        panel.topic.picked.emit("0101")
    said = panel.repeat.verdict.text()
    assert "初访" not in said and "不是同一事项" not in said
    assert said == "此人此前有 1 件事项，其中 1 件同类且仍在办理中；填写诉求后判断是否同一事项"
    # every column in sight at 1366×768: no scrolling sideways to 当前期限 and 承办单位, the dates in words
    table = panel.repeat.table
    assert table.rowCount() == 1 and table.horizontalScrollBar().maximum() == 0
    day = sqlite_hall.today()
    assert table.item(0, 2).text() == f"{day.month}月{day.day}日"


def test_add_representative_puts_the_cursor_in_the_new_row(qtbot: QtBot, counter: CounterWork) -> None:
    panel = counter.registration
    panel.persons_count.setValue(6)
    editor = panel.representatives
    qtbot.waitUntil(editor.add_button.isVisible)
    editor.add_button.setFocus()
    QTest.keyClick(editor.add_button, Qt.Key.Key_Space)  # the keyboard's way to press the button
    for keys in ("Li Yan", valid_id(seq=88)):
        focused = QApplication.focusWidget()
        assert focused is not None
        QTest.keyClicks(focused, keys)
        QTest.keyClick(focused, Qt.Key.Key_Tab)
    assert editor.values() == [{"name": "Li Yan", "id_number": valid_id(seq=88)}]


def test_the_case_on_the_desk_says_it_is_late_in_words(qtbot: QtBot, counter: CounterWork, sqlite_hall: Hall,
                                                       clerk: Actor, clock: FakeClock) -> None:
    number = register_visit(sqlite_hall, clerk, form(id_number=valid_id(seq=62))).case_number
    clock.advance(days=25)  # due 2026-10-08, now 10-11
    search = counter.search
    with qtbot.waitSignal(search.detail_shown, timeout=10_000):
        search.query.setText(number)
        QTest.keyClick(search.query, Qt.Key.Key_Return)  # Enter opens the first case found
    text = search.detail.toPlainText()
    assert "当前期限：转送、交办期限 2026年10月8日（星期四），超期3天" in text
    assert text.index("超期3天") < text.index("信访人")  # said first, not under the explanations


def test_a_deadline_in_a_year_without_its_holidays_is_said_at_saving(qtbot: QtBot, counter: CounterWork,
                                                                     clock: FakeClock) -> None:
    clock.advance(days=95)  # 2026-12-20: 15 days end in 2027, whose holidays the calendar does not know
    panel = counter.registration
    panel.id_number.setText(valid_id(seq=63))
    panel.name.setText("欧阳娜娜")
    panel.phone.setText("13857900063")
    panel.request.setPlainText("反映小区电梯长期停运，要求物业尽快维修")
    with qtbot.waitSignals([panel.registered, panel.receipt_printed], timeout=20_000):
        QTest.keyClick(panel.request, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    text = panel.message.text()
    assert "转送、交办期限 2027年1月4日" in text and "2027年节假日安排尚未导入" in text and "未经核实" in text
    assert panel.message.property("tone") == "notice" and "回执已打印" in text


def test_a_matter_in_another_county_can_be_picked_as_the_problem_location(qtbot: QtBot,
                                                                        counter: CounterWork) -> None:
    region = counter.registration.region
    names = [region.itemText(i) for i in range(region.count())]
    assert names[0].endswith("浦江县")  # the hall's own county first, then its towns
    own = [i for i, name in enumerate(names) if "浦江县" in name]
    assert own == list(range(len(own)))
    region.set_code("330782")  # 义乌市: registered all the same, routing then says whose it is
    assert region.code() == "330782" and region.currentText() == "浙江省金华市义乌市"


def test_the_refusal_recorded_at_the_desk_prints_without_typing_its_channel_again(
        qtbot: QtBot, counter: CounterWork, sqlite_hall: Hall, clerk: Actor) -> None:
    from desktop.services import case_actions
    from ui.cases.actions import CaseActionDialog
    from ui.desk.cases import CaseDesk
    from ui.printing.preview import PrintPreviewDialog

    number = register_visit(sqlite_hall, clerk, form(id_number=valid_id(seq=67))).case_number
    case_actions.perform(sqlite_hall, clerk, number, "classify", {"nature": "申诉求决类", "topic_code": "0101"})
    desk = counter.desk.findChild(CaseDesk)
    assert desk is not None
    with qtbot.waitSignal(counter.search.detail_shown, timeout=10_000):
        counter.open_case(number)
    desk.steps.open_by_key("not_accept")
    qtbot.waitUntil(lambda: desk.steps.dialog is not None and desk.steps.dialog.isVisible(), timeout=10_000)
    dialog = desk.steps.dialog
    assert isinstance(dialog, CaseActionDialog)
    dialog.set_value("reason", "该事项已由浦江县人民法院立案审理")
    dialog.set_value("channel", "向浦江县人民法院了解诉讼进展")
    button = desk.print_button
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)  # recorded: the notice is offered at once
    qtbot.waitUntil(lambda: button.form is not None and button.form.isVisible(), timeout=10_000)
    notice_form = button.form
    assert notice_form is not None
    assert notice_form.inputs["channel"].placeholderText() == "不填即为办理该步骤时填写的内容"
    with qtbot.waitSignal(button.opened, timeout=20_000) as opened:  # 预览 with nothing typed again
        qtbot.mouseClick(notice_form.ok_button, Qt.MouseButton.LeftButton)
    preview = opened.args[0]
    assert isinstance(preview, PrintPreviewDialog) and preview.doc.kind.value == "不予受理告知书"
    preview.reject()


def test_enter_through_a_group_of_six_stops_at_add_representative(qtbot: QtBot, counter: CounterWork) -> None:
    panel = counter.registration
    editor = panel.representatives
    panel.persons_count.setValue(3)  # a small group: Enter goes straight on, representatives are optional
    panel.persons_count.setFocus()
    QTest.keyClick(panel.persons_count, Qt.Key.Key_Return)
    assert QApplication.focusWidget() is not editor.add_button
    panel.persons_count.setValue(6)
    assert "请添加代表" in panel.field_messages["persons_count"].text()
    panel.persons_count.setFocus()
    QTest.keyClick(panel.persons_count, Qt.Key.Key_Return)  # it went on to 问题属地, past the table
    assert QApplication.focusWidget() is editor.add_button
    QTest.keyClick(editor.add_button, Qt.Key.Key_Return)  # Enter presses it, as Space does
    focused = QApplication.focusWidget()
    assert focused is not None and editor.values() == [{"name": "", "id_number": ""}]
    assert "请添加代表" in panel.field_messages["persons_count"].text()  # an empty row is no representative
    QTest.keyClicks(focused, "Li Yan")
    QTest.keyClick(focused, Qt.Key.Key_Tab)
    assert editor.values()[0]["name"] == "Li Yan"
    assert panel.field_messages["persons_count"].text() == ""


def test_an_id_number_typed_into_the_name_is_refused_at_the_name(qtbot: QtBot, counter: CounterWork,
                                                                 sqlite_hall: Hall) -> None:
    panel = counter.registration
    panel.name.setText("330726750312001")  # the clerk's Enter had already moved on from 证件号码
    panel.id_number.setText(valid_id(seq=70))
    panel.request.setPlainText("反映小区电梯长期停运，要求物业尽快维修")
    panel.request.setFocus()
    with qtbot.waitSignal(panel.tasks.settled, timeout=10_000):
        QTest.keyClick(panel.request, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert "把证件号码或电话填进了姓名栏" in panel.message.text() and panel.message.property("tone") == "error"
    assert panel.name.hasFocus() and panel.last_result is None


def test_a_name_with_an_emoji_or_a_digit_is_refused_at_the_name_saying_which(qtbot: QtBot, counter: CounterWork,
                                                                            sqlite_hall: Hall) -> None:
    panel = counter.registration
    panel.id_number.setText(valid_id(seq=71))
    panel.request.setPlainText("反映小区电梯长期停运，要求物业尽快维修")
    for name, which in (("李😀", "“😀”"), ("张三1", "“1”")):
        panel.name.setText(name)
        panel.request.setFocus()
        with qtbot.waitSignal(panel.tasks.settled, timeout=10_000):
            QTest.keyClick(panel.request, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
        assert "姓名只能填写汉字" in panel.message.text() and which in panel.message.text()
        assert panel.name.hasFocus() and panel.last_result is None and panel.name.text() == name  # nothing lost


def test_an_address_of_emoji_only_is_refused_under_the_address(qtbot: QtBot, counter: CounterWork,
                                                               sqlite_hall: Hall) -> None:
    """住址 is where written notices are sent: 😀😀😀 typed there is refused under 住址, which takes the focus; the
    registration's own rule, the kiosk's too."""
    panel = counter.registration
    panel.name.setText("王秀英")
    panel.id_number.setText(valid_id(seq=72))
    panel.request.setPlainText("反映小区电梯长期停运，要求物业尽快维修")
    panel.address.setText("😀😀😀")
    panel.request.setFocus()
    with qtbot.waitSignal(panel.tasks.settled, timeout=10_000):
        QTest.keyClick(panel.request, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert "只有标点或表情符号不算" in panel.field_messages["address"].text()
    assert panel.address.hasFocus() and panel.last_result is None and panel.address.text() == "😀😀😀"


def test_a_visitor_booked_for_todays_leader_reception_is_said_so_once_the_id_is_typed(
        qtbot: QtBot, counter: CounterWork, sqlite_hall: Hall, clerk: Actor) -> None:
    """It was said only after saving (已关联今日领导接访名单上的预约): too late to tell the visitor where to go."""
    from desktop.services import reception

    person = valid_id(seq=79)
    reception.add_day(sqlite_hall, clerk, sqlite_hall.today(), leaders=["县长 周建华"], slots="22:00-23:00/2")
    reception.book_today(sqlite_hall, clerk, reception.Visitor("张建国", person))
    panel = counter.registration
    with qtbot.waitSignal(panel.history_shown, timeout=10_000):
        QTest.keyClicks(panel.id_number, person[:15])
    assert panel.repeat.booking.isHidden()  # half typed: nobody yet
    with qtbot.waitSignal(panel.history_shown, timeout=10_000):
        QTest.keyClicks(panel.id_number, person[15:])
    said = panel.repeat.booking
    assert not said.isHidden() and said.property("tone") == "notice"  # a notice: saving is not held up
    assert said.text() == ("此人已预约今日领导接访（县长 周建华）：22:00–23:00，地点：县人民来访接待中心领导接访室。"
                           "登记本次事项后即自动关联到该预约，领导据此记录批示")
    assert panel.save_button.isEnabled()
    panel.id_number.clear()
    with qtbot.waitSignal(panel.history_shown, timeout=10_000):
        QTest.keyClicks(panel.id_number, valid_id(seq=80))  # another visitor, not on the list
    assert said.isHidden() and said.text() == ""
