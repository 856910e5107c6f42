"""A new clerk with the counter's newer parts: paper transfers, 交办期限, a directory that changes, rare characters."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop.domain.access import Actor, Role
from desktop.domain.deadlines import UNIT_NOTIFY, format_date
from desktop.services import cases
from desktop.services.context import Hall
from desktop.services.organisations import reinstate_organisation, retire_organisation
from desktop.services.reference import load_directory, use_directory
from desktop.services.registration import register_visit
from tests.conftest import FakeClock
from tests.helpers import form, valid_id
from ui.cases.actions import CaseActionDialog
from ui.common.choice import ChoiceBox
from ui.counter.work import CounterWork
from ui.desk.cases import CaseDesk


def _transfer_dialog(qtbot: QtBot, counter: CounterWork, number: str, key: str) -> CaseActionDialog:
    desk = counter.desk.findChild(CaseDesk)
    assert desk is not None
    with qtbot.waitSignal(counter.search.detail_shown, timeout=10_000):
        counter.open_case(number)
    desk.steps.open_by_key(key)
    qtbot.waitUntil(lambda: desk.steps.dialog is not None and desk.steps.dialog.isVisible(), timeout=10_000)
    dialog = desk.steps.dialog
    assert isinstance(dialog, CaseActionDialog)
    qtbot.waitUntil(lambda: not dialog.tasks.busy and dialog.proposal is not None, timeout=10_000)
    return dialog


def _close_offered_form(qtbot: QtBot, counter: CounterWork) -> None:
    """The 转送单/交办单 is offered for print next: the clerk prints it later."""
    desk = counter.desk.findChild(CaseDesk)
    assert desk is not None
    qtbot.waitUntil(lambda: desk.print_button.form is not None and desk.print_button.form.isVisible(), timeout=10_000)
    assert desk.print_button.form is not None
    desk.print_button.form.reject()


def test_a_paper_transfer_keeps_its_day_and_the_case_view_counts_from_it(
        qtbot: QtBot, counter: CounterWork, sqlite_hall: Hall, clock: FakeClock) -> None:
    clerk = counter.registration.actor
    number = register_visit(sqlite_hall, clerk, form(id_number=valid_id(seq=640), topic_code="0201",
                                                     nature="申诉求决类")).case_number  # received 2026-09-16
    clock.advance(days=7)  # the transfer was sent on paper on the 17th; typed in on the 23rd
    dialog = _transfer_dialog(qtbot, counter, number, "transfer")
    assert dialog.values()["routed_on"] == "2026-09-23"  # the hall's today, not this PC's calendar
    unit = dialog.fields["organisation_code"]
    assert isinstance(unit, ChoiceBox) and unit.code()  # the directory's proposal

    # A day still to come is refused in words, the dialog stays, nothing is stored.
    dialog.set_value("routed_on", "2026-09-25")
    with qtbot.waitSignal(dialog.tasks.settled, timeout=10_000):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert "不能晚于今天" in dialog.message.text() and dialog.isVisible()
    assert cases.load_case(sqlite_hall, clerk, number).view.routed_on is None

    dialog.set_value("routed_on", "2026-09-17")
    with qtbot.waitSignal(counter.search.detail_shown, timeout=10_000):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    _close_offered_form(qtbot, counter)
    view = cases.load_case(sqlite_hall, clerk, number).view
    unit_due = sqlite_hall.policy.due(UNIT_NOTIFY, date(2026, 9, 17)).due
    assert view.routed_on == date(2026, 9, 17) and view.unit_due == unit_due
    # the case view's 当前期限 line: the unit's limit from the 17th, the bureau's step in time (no 逾期)
    qtbot.waitUntil(lambda: "接收单位告知期限" in counter.search.detail.toPlainText(), timeout=10_000)
    shown = counter.search.detail.toPlainText()
    due_line = next(line for line in shown.splitlines() if line.startswith("当前期限"))
    assert due_line.startswith(f"当前期限：接收单位告知期限 {format_date(unit_due)}") and "逾期" not in due_line


def test_a_paper_assignment_keeps_its_day_and_its_limit(qtbot: QtBot, counter: CounterWork, sqlite_hall: Hall,
                                                        clock: FakeClock) -> None:
    clerk = counter.registration.actor
    number = register_visit(sqlite_hall, clerk, form(id_number=valid_id(seq=641), topic_code="0201",
                                                     nature="申诉求决类")).case_number
    clock.advance(days=2)
    dialog = _transfer_dialog(qtbot, counter, number, "assign")
    assert dialog.values()["routed_on"] == "2026-09-18"
    dialog.set_value("routed_on", "2026-09-16")
    dialog.set_value("due", "2026-10-30")
    with qtbot.waitSignal(counter.search.detail_shown, timeout=10_000):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    _close_offered_form(qtbot, counter)
    view = cases.load_case(sqlite_hall, clerk, number).view
    assert view.routed_on == date(2026, 9, 16) and view.leader_due == date(2026, 10, 30)


def test_an_assignment_due_on_a_holiday_is_refused_at_the_due_field(qtbot: QtBot, counter: CounterWork,
                                                                    sqlite_hall: Hall) -> None:
    clerk = counter.registration.actor
    number = register_visit(sqlite_hall, clerk, form(id_number=valid_id(seq=642), topic_code="0201",
                                                     nature="申诉求决类")).case_number
    dialog = _transfer_dialog(qtbot, counter, number, "assign")
    dialog.set_value("due", "2026-10-03")  # in the National Day week
    dialog.resize(640, dialog.sizeHint().height())  # the narrowest the dialog is: the refusal takes two lines
    with qtbot.waitSignal(dialog.tasks.settled, timeout=10_000):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert "国庆节" in dialog.message.text() and "2026年10月8日" in dialog.message.text() and dialog.isVisible()
    message = dialog.message  # the whole refusal is in sight, over two lines
    qtbot.waitUntil(lambda: message.height() >= message.heightForWidth(message.width()), timeout=5_000)
    assert dialog.fields["due"].hasFocus()
    assert cases.load_case(sqlite_hall, clerk, number).view.leader_due is None
    dialog.set_value("due", "2026-10-08")
    with qtbot.waitSignal(counter.search.detail_shown, timeout=10_000):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    _close_offered_form(qtbot, counter)
    assert cases.load_case(sqlite_hall, clerk, number).view.leader_due == date(2026, 10, 8)


@pytest.fixture
def shipped_directory_again() -> Iterator[None]:
    """The directory an administrator changes here is this process's: the next test starts from the shipped one."""
    use_directory(None)
    yield
    use_directory(None)


@pytest.mark.usefixtures("shipped_directory_again")
def test_a_unit_retired_in_another_window_leaves_the_open_dialog_and_the_next(qtbot: QtBot, counter: CounterWork,
                                                                              sqlite_hall: Hall) -> None:
    clerk = counter.registration.actor
    number = register_visit(sqlite_hall, clerk, form(id_number=valid_id(seq=643), topic_code="0201",
                                                     nature="申诉求决类")).case_number
    dialog = _transfer_dialog(qtbot, counter, number, "transfer")
    unit = dialog.fields["organisation_code"]
    assert isinstance(unit, ChoiceBox)
    name = "浦江县劳动人事争议仲裁院"
    chosen = next(o.code for o in load_directory().in_use() if o.name == name)
    dialog.set_value("organisation_code", chosen)  # the clerk picks it
    assert unit.code() == chosen

    # The administrator, in the admin window, retires the unit the clerk picked.
    retire_organisation(sqlite_hall, Actor("staff:guanli1", "李管理", Role.ADMIN), chosen)
    qtbot.waitUntil(lambda: "已不在机构目录的在用单位中" in dialog.message.text(), timeout=10_000)
    assert name in dialog.message.text() and unit.code() == "" and unit.findText(name) < 0

    # The clerk types another unit's initials; the administrator puts the unit back meanwhile: the typing stays.
    unit.setEditText("rs")
    reinstate_organisation(sqlite_hall, Actor("staff:guanli1", "李管理", Role.ADMIN), chosen)
    qtbot.waitUntil(lambda: unit.findText(name) >= 0, timeout=10_000)
    assert unit.currentText() == "rs"
    retire_organisation(sqlite_hall, Actor("staff:guanli1", "李管理", Role.ADMIN), chosen)
    qtbot.waitUntil(lambda: unit.findText(name) < 0, timeout=10_000)
    dialog.reject()

    # Opened again, the step no longer offers it (the lists were not kept from before).
    dialog = _transfer_dialog(qtbot, counter, number, "transfer")
    unit = dialog.fields["organisation_code"]
    assert isinstance(unit, ChoiceBox) and unit.findText(name) < 0 and unit.code() != chosen
    dialog.reject()


def test_a_name_with_a_rare_character_is_found_as_typed_and_by_pinyin(qtbot: QtBot, counter: CounterWork,
                                                                      sqlite_hall: Hall) -> None:
    clerk = counter.registration.actor
    number = register_visit(sqlite_hall, clerk, form(name="赵孟𫖯", id_number=valid_id(seq=644))).case_number
    counter.setCurrentWidget(counter.desk)
    search = counter.search
    for query in ("赵孟𫖯", "孟𫖯", "zhaomengfu"):  # 𫖯 (U+2B5AF) lies beyond the Basic Plane
        with qtbot.waitSignal(search.searched, timeout=10_000):
            search.query.setText(query)
        assert [c.case_number for c in search.results] == [number], (query, search.status.text())


@pytest.mark.usefixtures("shipped_directory_again")
def test_a_case_is_found_by_the_name_its_unit_had_before_a_rename(qtbot: QtBot, counter: CounterWork,
                                                                   sqlite_hall: Hall) -> None:
    from desktop.services import case_actions
    from desktop.services.organisations import OrganisationForm, save_organisation

    clerk = counter.registration.actor
    number = register_visit(sqlite_hall, clerk, form(id_number=valid_id(seq=645), topic_code="0201",
                                                     nature="申诉求决类")).case_number
    unit = load_directory().get("330726-ZRZY")
    case_actions.perform(sqlite_hall, clerk, number, "transfer", {"organisation_code": unit.code,
                                                                  "override_reason": "属其职责"})
    # The administrator renames the unit; the clerk still knows it by the name on last week's 转送单.
    save_organisation(sqlite_hall, Actor("staff:guanli1", "李管理", Role.ADMIN), OrganisationForm(
        code=unit.code, name="浦江县自然资源局", kind=unit.kind.value, region_code=unit.region_code,
        parent_code=unit.parent_code or "", topic_codes=unit.topic_codes), new=False)
    counter.setCurrentWidget(counter.desk)
    search = counter.search
    for query, said in ((unit.name, "是浦江县自然资源局的曾用名"),
                        ("浦江县自然资源局", "转送、交办给浦江县自然资源局")):
        with qtbot.waitSignal(search.searched, timeout=10_000):
            search.query.setText(query)
        assert [c.case_number for c in search.results] == [number], (query, search.status.text())
        assert "按承办单位查找" in search.status.text() and said in search.status.text()


def test_the_transfer_dialog_says_where_the_problem_lies(qtbot: QtBot, counter: CounterWork,
                                                         sqlite_hall: Hall) -> None:
    """The clerk checks the proposal against 问题属地 in words, read from the case (not a division code)."""
    from dataclasses import replace

    from desktop.services.reference import load_regions

    clerk = counter.registration.actor
    for region in ("330726001", "330782"):  # a township of the bureau's county, and another county
        filled = form(id_number=valid_id(seq=660), topic_code="0201", nature="申诉求决类")
        number = register_visit(sqlite_hall, clerk, replace(filled, region_code=region)).case_number
        dialog = _transfer_dialog(qtbot, counter, number, "transfer")
        place = load_regions().full_name(region)
        assert place and dialog.proposal is not None and dialog.proposal.place == place
        assert dialog.proposal_line.text().startswith(f"问题属地：{place}。系统建议：")
        dialog.reject()
