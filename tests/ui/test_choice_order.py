"""The pick lists in use: what the clerk types lists the entry meant first, and Enter takes it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QAbstractItemView, QApplication, QWidget
from pytestqt.qtbot import QtBot

from desktop.domain.classification import TopicTaxonomy
from desktop.services.context import Actor, Hall
from desktop.services.reference import topic_choices_of
from tests.domain.test_picking import HALL_TOPICS
from tests.helpers import valid_id
from ui.common.choice import Choice, ChoiceBox
from ui.counter.work import CounterWork

# The offscreen platform has no popup windows of its own: it says so when a list drops down.
POPUPS = pytest.mark.qt_log_ignore("This plugin does not support (raise|grabbing)")


def _listed(popup: QAbstractItemView) -> list[str]:
    model = popup.model()
    assert model is not None
    return [str(model.index(row, 0).data()) for row in range(model.rowCount())]


def _type_chinese(edit: QWidget, text: str) -> None:
    """What an input method commits (keyClicks cannot type Chinese)."""
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(edit, event)


def _box(qtbot: QtBot, choices: list[Choice] | None = None,
         placeholder: str = "输入分类名称、关键词或拼音首字母") -> tuple[ChoiceBox, QAbstractItemView]:
    """A pick list on screen with the focus (the hall's topics unless ``choices``), and its pop-up list."""
    box = ChoiceBox(placeholder)
    qtbot.addWidget(box)
    box.set_choices(choices if choices is not None else
                    [Choice(t.code, t.name, t.keys) for t in topic_choices_of(TopicTaxonomy.from_rows(HALL_TOPICS))])
    box.show()
    box.activateWindow()
    box.setFocus()
    qtbot.waitUntil(box.hasFocus)
    completer = box.completer()
    assert completer is not None
    popup = completer.popup()
    assert popup is not None
    return box, popup


@POPUPS
def test_the_short_name_typed_is_first_and_enter_takes_it(qtbot: QtBot) -> None:
    box, popup = _box(qtbot)
    edit = box.lineEdit()
    assert edit is not None
    qtbot.keyClicks(edit, "zf")
    qtbot.waitUntil(popup.isVisible)
    assert _listed(popup)[:4] == ["政法", "政法/治安", "政法/法院", "政法/涉法涉诉"]
    qtbot.keyClick(popup, Qt.Key.Key_Return)  # nothing highlighted: the first is, for a second Enter
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert box.code() == "11" and box.currentText() == "政法"

    # a name deeper down, by its initials: the only one left, Enter takes it
    edit.selectAll()
    qtbot.keyClicks(edit, "msss")
    qtbot.waitUntil(popup.isVisible)
    assert _listed(popup) == ["政法/法院/民事诉讼"]
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert box.code() == "110401"

    # a word of the path: the entry of that name, then those under it
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    _type_chinese(edit, "法院")
    qtbot.waitUntil(popup.isVisible)
    assert _listed(popup) == ["政法/法院", "政法/法院/执行难", "政法/法院/民事诉讼", "政法/法院/行政诉讼"]

    # a keyword that starts with it before one that holds it
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    _type_chinese(edit, "工资")
    qtbot.waitUntil(popup.isVisible)
    assert _listed(popup) == ["劳动和社会保障/拖欠工资", "教育/教师待遇"]


@POPUPS
def test_in_the_classify_dialog_zf_lists_the_topic_first(qtbot: QtBot, counter: CounterWork, sqlite_hall: Hall,
                                                         clerk: Actor) -> None:
    from desktop.services.registration import register_visit
    from tests.helpers import form
    from ui.cases.actions import CaseActionDialog
    from ui.desk.cases import CaseDesk

    number = register_visit(sqlite_hall, clerk, form(id_number=valid_id(seq=531))).case_number
    desk = counter.desk.findChild(CaseDesk)
    assert desk is not None
    with qtbot.waitSignal(counter.search.detail_shown, timeout=10_000):
        counter.open_case(number)
    desk.steps.open_by_key("classify")
    qtbot.waitUntil(lambda: desk.steps.dialog is not None and desk.steps.dialog.isVisible(), timeout=10_000)
    dialog = desk.steps.dialog
    assert isinstance(dialog, CaseActionDialog)
    qtbot.addWidget(dialog)  # closed at the end, passed or failed
    topic = dialog.fields["topic_code"]
    assert isinstance(topic, ChoiceBox)
    edit, popup = topic.lineEdit(), topic.completer().popup()
    assert edit is not None and popup is not None
    dialog.activateWindow()
    topic.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() in (topic, edit))
    edit.selectAll()
    qtbot.keyClicks(edit, "zf")
    qtbot.waitUntil(popup.isVisible)
    assert _listed(popup)[0] == "政法"  # the shipped catalogue: it was fourth, after 住房保障, 交通执法, 食品安全
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert dialog.values()["topic_code"] == "11"
    dialog.reject()


def _unit_box(qtbot: QtBot) -> tuple[ChoiceBox, QAbstractItemView]:
    from desktop.services.case_actions import organisation_choices

    return _box(qtbot, [Choice(o.code, o.name, o.keys) for o in organisation_choices()], "输入单位名称或拼音首字母")


@POPUPS
def test_a_unit_is_found_by_its_short_name_initials_and_a_text_finding_none_picks_none(qtbot: QtBot) -> None:
    box, popup = _unit_box(qtbot)
    edit = box.lineEdit()
    assert edit is not None
    qtbot.keyClicks(edit, "zjj")  # 住建局
    qtbot.waitUntil(popup.isVisible)
    assert _listed(popup) == ["浦江县住房和城乡建设局"]
    qtbot.keyClick(popup, Qt.Key.Key_Return)  # the only one left: Enter takes it
    assert box.currentText() == "浦江县住房和城乡建设局" and box.code() == "330726-ZJJ"

    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    qtbot.keyClicks(edit, "qqqx")  # no unit is called so
    qtbot.waitUntil(lambda: not popup.isVisible())
    with qtbot.waitSignal(box.unmatched) as said:
        qtbot.keyClick(box, Qt.Key.Key_Down)  # Qt's combo box took the directory's first unit here
    assert said.args == ["没有找到“qqqx”，请换个叫法或从列表中选"]
    assert box.code() == "" and box.currentText() == "qqqx"
    with qtbot.waitSignal(box.unmatched):
        qtbot.keyClick(box, Qt.Key.Key_Return)
    assert box.code() == "" and box.currentText() == "qqqx" and box.notice.startswith("没有找到")
    qtbot.keyClick(edit, Qt.Key.Key_Backspace)  # typing on: the notice goes
    assert box.notice == ""

    edit.selectAll()
    qtbot.keyClicks(edit, "rsj")  # its list closed by a click elsewhere, the text kept: ↓ opens it again
    qtbot.waitUntil(popup.isVisible)
    popup.hide()
    qtbot.keyClick(box, Qt.Key.Key_Down)
    qtbot.waitUntil(popup.isVisible)
    assert box.code() == "" and box.currentText() == "rsj" and _listed(popup) == ["浦江县人力资源和社会保障局"]
