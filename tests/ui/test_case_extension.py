"""延期 on a case whose handling limit has passed: said before the clerk fills the dialog, refused if tried."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop.domain.errors import RuleViolation
from desktop.services.context import Actor, Hall
from tests.conftest import FakeClock
from tests.helpers import form, valid_id
from ui.counter.work import CounterWork


def _steps(counter: CounterWork):  # type: ignore[no-untyped-def]
    from ui.desk.cases import CaseDesk

    desk = counter.desk.findChild(CaseDesk)
    assert desk is not None
    return desk.steps


def _accepted(hall: Hall, clerk: Actor, seq: int) -> tuple[str, date]:
    from desktop.services import cases
    from desktop.services.registration import register_visit

    number = register_visit(hall, clerk, form(id_number=valid_id(seq=seq))).case_number
    cases.classify(hall, clerk, number, nature="申诉求决类", topic_code="0101")
    due = cases.accept(hall, clerk, number, accepted_on=hall.today()).handling_due
    assert due is not None
    return number, due


def _extend_item(counter: CounterWork):  # type: ignore[no-untyped-def]
    return next(a for a in _steps(counter).menu_.actions() if a.text().startswith("延期"))


def test_extend_is_greyed_with_the_reason_on_an_overdue_case_and_a_refusal_is_shown(
        qtbot: QtBot, counter: CounterWork, sqlite_hall: Hall, clerk: Actor, clock: FakeClock) -> None:
    from desktop.services import cases

    number, due = _accepted(sqlite_hall, clerk, 601)
    search, steps = counter.search, _steps(counter)

    clock.advance(days=(due - sqlite_hall.today()).days)  # the last day: still in time
    with qtbot.waitSignal(search.detail_shown, timeout=10_000):
        counter.open_case(number)
    assert _extend_item(counter).isEnabled() and _extend_item(counter).text() == "延期"

    clock.advance(days=19)  # 超期19天
    with qtbot.waitSignal(search.detail_shown, timeout=10_000):
        counter.open_case(number)
    item = _extend_item(counter)
    said = f"已超过办理期限（{due.year}年{due.month}月{due.day}日"
    assert not item.isEnabled() and said in item.text() and "不能再延期" in item.text()
    assert "纳入督办" in item.toolTip() and "纳入督办" in steps.toolTip()
    assert steps.isEnabled()  # 答复 and the other steps stay open
    assert any(a.isEnabled() and a.text() == "答复" for a in steps.menu_.actions())

    # Opened anyway (a dialog left open over the last midnight): the service's refusal is shown, nothing stored.
    steps.open_by_key("extend")
    qtbot.waitUntil(lambda: steps.dialog is not None and steps.dialog.isVisible(), timeout=10_000)
    dialog = steps.dialog
    assert dialog.values()["extended_on"] == sqlite_hall.today().isoformat()
    dialog.fields["reason"].setPlainText("需现场勘验")
    dialog.fields["approved_by"].setText("局长 何伟")
    with qtbot.waitSignal(dialog.tasks.settled, timeout=10_000):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and said in dialog.message.text() and "纳入督办" in dialog.message.text()
    assert "Traceback" not in dialog.message.text()
    view = cases.load_case(sqlite_hall, clerk, number).view
    assert (view.extended_days, view.handling_due) == (0, due)
    # the head approved it on the last day, on paper: that day is in time
    dialog.fields["extended_on"].setDate(dialog.fields["extended_on"].date().addDays(-19))
    with qtbot.waitSignal(dialog.recorded, timeout=10_000):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert cases.load_case(sqlite_hall, clerk, number).view.handling_due > due
    # and the 延期告知书 is offered at once, as after every 延期
    from PySide6.QtWidgets import QApplication

    from ui.printing.preview import NoticeFieldsDialog

    qtbot.waitUntil(lambda: any(isinstance(w, NoticeFieldsDialog) and w.isVisible()
                                for w in QApplication.topLevelWidgets()), timeout=10_000)
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, NoticeFieldsDialog):
            widget.close()


def test_deliver_once_recorded_says_so_and_that_another_corrects_it(
        qtbot: QtBot, counter: CounterWork, sqlite_hall: Hall, clerk: Actor) -> None:
    """送达 stayed offered as if never recorded after the delivery was: taken again it moves the review's 30 days."""
    from desktop.services import cases

    number, _due = _accepted(sqlite_hall, clerk, 611)
    cases.answer(sqlite_hall, clerk, number, outcome="予以支持", answered_on=sqlite_hall.today())
    search = counter.search
    with qtbot.waitSignal(search.detail_shown, timeout=10_000):
        counter.open_case(number)
    deliver = next(a for a in _steps(counter).menu_.actions() if a.text().startswith("送达"))
    assert deliver.text() == "送达"
    today = sqlite_hall.today()
    cases.deliver(sqlite_hall, clerk, number, delivered_on=today)
    with qtbot.waitSignal(search.detail_shown, timeout=10_000):
        counter.open_case(number)
    deliver = next(a for a in _steps(counter).menu_.actions() if a.text().startswith("送达"))
    assert deliver.isEnabled() and deliver.text() == f"送达（已登记{today.month}月{today.day}日送达，再次登记即更正）"


def test_accept_and_routing_are_greyed_with_the_reason_until_the_case_is_classified(
        qtbot: QtBot, counter: CounterWork, sqlite_hall: Hall, clerk: Actor) -> None:
    from desktop.services import case_actions, cases
    from desktop.services.registration import register_visit

    number = register_visit(sqlite_hall, clerk, form(id_number=valid_id(seq=602))).case_number
    search, steps = counter.search, _steps(counter)
    with qtbot.waitSignal(search.detail_shown, timeout=10_000):
        counter.open_case(number)
    items = {a.text().split(" — ")[0]: a for a in steps.menu_.actions()}
    for title in ("受理", "转送", "交办"):
        item = items[title]
        assert not item.isEnabled() and "缺少“分类”" in item.text(), title
        assert "请先确定建议意见类、检举控告类或申诉求决类" in item.toolTip()
    assert items["分类"].isEnabled() and items["分类"].text() == "分类"
    assert items["不予受理"].isEnabled()  # no class needed to refuse a matter
    view = cases.load_case(sqlite_hall, clerk, number).view
    # The same words the service refuses the step with, less its 不能“受理”：
    with pytest.raises(RuleViolation) as refusal:
        cases.accept(sqlite_hall, clerk, number, accepted_on=sqlite_hall.today())
    assert refusal.value.message.endswith(case_actions.step_refusal(view, "accept", sqlite_hall.today()))

    cases.classify(sqlite_hall, clerk, number, nature="申诉求决类", topic_code="0101")
    with qtbot.waitSignal(search.detail_shown, timeout=10_000):
        counter.open_case(number)
    items = {a.text(): a for a in steps.menu_.actions()}
    assert items["受理"].isEnabled() and items["转送"].isEnabled() and items["交办"].isEnabled()
