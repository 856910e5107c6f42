"""What a citizen types at the kiosk is checked as a clerk would check it, through the real widgets."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop.domain.identity import MAX_CHINESE_NAME
from desktop.services.context import Actor, Hall
from desktop.services.registration import register_visit
from desktop.services.suggestions import list_suggestions
from tests.helpers import form
from ui.kiosk.progress import ProgressFlow
from ui.kiosk.register import RegistrationFlow
from ui.kiosk.shell import KioskShell
from ui.kiosk.suggest import SuggestionFlow

PARAGRAPH = ("2025年3月起，我家楼上住户长期在夜间发出噪音，多次与其协商无果，"
             "也向物业和社区反映过，均未解决。" * 11)[:520]


def _paste(field: object, text: str) -> None:
    """What a long press and 粘贴 do: the clipboard's text into the field."""
    clipboard = QApplication.clipboard()
    clipboard.setText(text)
    field.paste()  # type: ignore[attr-defined]


def test_a_paragraph_pasted_into_the_name_is_kept_whole_and_refused_saying_why(qtbot: QtBot,
                                                                                shell: KioskShell) -> None:
    flow = shell.open_flow("register")
    assert isinstance(flow, RegistrationFlow)
    qtbot.waitUntil(lambda: flow.name.isVisible())
    flow.name.setFocus()
    _paste(flow.name, PARAGRAPH)
    assert flow.name.text() == PARAGRAPH  # nothing cut unseen
    flow.id_number.setText("330726195503120022")
    qtbot.mouseClick(flow.next_button, Qt.MouseButton.LeftButton)
    assert flow.step == 0
    assert f"姓名太长了（最多{MAX_CHINESE_NAME}个字，现在有520个）" in flow.message.text()
    assert flow.message.isVisibleTo(flow)
    flow.name.setText("王秀英")  # the citizen edits it
    qtbot.mouseClick(flow.next_button, Qt.MouseButton.LeftButton)
    assert flow.step == 1 and flow.values["name"] == "王秀英"


def test_an_emoji_in_the_name_is_refused_at_the_first_screen(qtbot: QtBot, shell: KioskShell) -> None:
    flow = shell.open_flow("register")
    assert isinstance(flow, RegistrationFlow)
    qtbot.waitUntil(lambda: flow.name.isVisible())
    flow.name.setText("李😀")
    flow.id_number.setText("330726195503120022")
    qtbot.mouseClick(flow.next_button, Qt.MouseButton.LeftButton)
    assert flow.step == 0 and "不能有“😀”" in flow.message.text()


def _to_who(qtbot: QtBot, shell: KioskShell) -> SuggestionFlow:
    flow = shell.open_flow("suggest")
    assert isinstance(flow, SuggestionFlow)
    qtbot.waitUntil(lambda: flow.content.isVisible())  # no theme open: straight to writing
    flow.content.setPlainText("公交站台没有遮雨棚，建议加装遮雨棚和座椅")
    qtbot.mouseClick(flow.to_who, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: flow.name.isVisible())
    return flow


def test_a_signed_suggestion_with_an_emoji_name_is_refused_and_kept(qtbot: QtBot, shell: KioskShell,
                                                                   sqlite_hall: Hall, clerk: Actor) -> None:
    flow = _to_who(qtbot, shell)
    flow.name.setText("李😀")
    with qtbot.waitSignal(flow.tasks.settled):
        qtbot.mouseClick(flow.send_named, Qt.MouseButton.LeftButton)
    assert "不能有“😀”" in flow.message.text() and flow.message.property("tone") == "error"
    assert flow.pages.currentIndex() == 2 and flow.name.text() == "李😀"  # on the name's screen, nothing lost
    assert list_suggestions(sqlite_hall, clerk) == []
    flow.name.setText("李桂兰")
    with qtbot.waitSignal(flow.tasks.settled):
        qtbot.mouseClick(flow.send_named, Qt.MouseButton.LeftButton)
    (stored,) = list_suggestions(sqlite_hall, clerk)
    assert stored.name == "李**" and not stored.anonymous  # masked in the list


def test_a_suggestion_of_ten_emoji_is_not_ten_words(qtbot: QtBot, shell: KioskShell) -> None:
    flow = shell.open_flow("suggest")
    assert isinstance(flow, SuggestionFlow)
    qtbot.waitUntil(lambda: flow.content.isVisible())
    flow.content.setPlainText("😀" * 10)
    qtbot.mouseClick(flow.to_who, Qt.MouseButton.LeftButton)
    assert flow.pages.currentIndex() == 1
    assert "至少10个字" in flow.message.text() and "表情符号不算" in flow.message.text()
    flow.content.setPlainText("建议增加公交班次😀😀，方便群众")
    qtbot.mouseClick(flow.to_who, Qt.MouseButton.LeftButton)
    assert flow.pages.currentIndex() == 2


def _rating_page(qtbot: QtBot, shell: KioskShell, hall: Hall, clerk: Actor) -> ProgressFlow:
    from datetime import date

    from desktop.domain.events import EventType
    from desktop.services import cases

    result = register_visit(hall, clerk, form())
    ref = result.case_number
    cases.classify(hall, clerk, ref, nature="申诉求决类", topic_code="0101")
    cases.record(hall, clerk, ref, EventType.TRANSFERRED, {"route_kind": "转送", "organisation_code": "330726-ZJJ"})
    cases.accept(hall, clerk, ref, accepted_on=date(2026, 9, 16))
    cases.answer(hall, clerk, ref, outcome="不予支持", answered_on=date(2026, 9, 16))
    cases.deliver(hall, clerk, ref, delivered_on=date(2026, 9, 16))
    flow = shell.open_flow("progress")
    assert isinstance(flow, ProgressFlow)
    flow.number.setText(ref)
    flow.code.setText(result.query_code)
    with qtbot.waitSignal(flow.tasks.settled):
        qtbot.mouseClick(flow.submit, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(flow.rate_button, Qt.MouseButton.LeftButton)
    return flow


def test_the_ratings_complaint_goes_once_a_choice_is_made(qtbot: QtBot, shell: KioskShell, sqlite_hall: Hall,
                                                          clerk: Actor) -> None:
    flow = _rating_page(qtbot, shell, sqlite_hall, clerk)
    qtbot.mouseClick(flow.send_rating, Qt.MouseButton.LeftButton)
    assert flow.rating_error.isVisibleTo(flow) and "请先点选" in flow.rating_error.text()
    qtbot.mouseClick(flow.choice_buttons["不满意"], Qt.MouseButton.LeftButton)
    assert not flow.rating_error.isVisibleTo(flow)  # acted on: gone


def test_the_ratings_complaint_goes_once_the_opinion_is_written(qtbot: QtBot, shell: KioskShell,
                                                                 sqlite_hall: Hall, clerk: Actor) -> None:
    flow = _rating_page(qtbot, shell, sqlite_hall, clerk)
    qtbot.mouseClick(flow.send_rating, Qt.MouseButton.LeftButton)
    assert flow.rating_error.isVisibleTo(flow)
    _paste(flow.reason, "办理太慢")
    assert not flow.rating_error.isVisibleTo(flow)
    qtbot.mouseClick(flow.send_rating, Qt.MouseButton.LeftButton)  # still no choice: said again
    assert flow.rating_error.isVisibleTo(flow)
    qtbot.mouseClick(flow.choice_buttons["满意"], Qt.MouseButton.LeftButton)
    assert not flow.rating_error.isVisibleTo(flow)
    with qtbot.waitSignal(flow.tasks.settled):  # a notice, then the thanks: a choice does not take a notice away
        qtbot.mouseClick(flow.send_rating, Qt.MouseButton.LeftButton)
    assert "满意" in flow.thanks_text.text()


def test_the_field_a_refusal_names_takes_the_focus_its_text_chosen(qtbot: QtBot, shell: KioskShell) -> None:
    """The words are said under the screen, far from a field at its top: the field itself is where the citizen
    corrects it, and what they type next replaces what was wrong."""
    flow = shell.open_flow("register")
    assert isinstance(flow, RegistrationFlow)
    qtbot.waitUntil(lambda: flow.name.isVisible())
    for name, id_number, phone, at_fault in (("李😀", "330726195503120022", "", flow.name),
                                             ("王秀英", "330726195503120023", "", flow.id_number),
                                             ("王秀英", "330726195503120022", "1385791234", flow.phone)):
        flow.name.setText(name)
        flow.id_number.setText(id_number)
        flow.phone.setText(phone)
        flow.next_button.setFocus()  # a tap on 下一步 takes the focus there
        qtbot.mouseClick(flow.next_button, Qt.MouseButton.LeftButton)
        assert flow.step == 0 and flow.message.text()
        assert at_fault.hasFocus() and at_fault.selectedText() == at_fault.text()

