"""The clerk's day at the counter, through the real widgets: register, see the history, route, decide, find."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop.devices.simulated import demo_cards
from desktop.domain.errors import RuleViolation
from desktop.printing.base import PrinterError, Problem
from desktop.printing.simulated import SimulatedPrinter
from desktop.services import cases, printing
from desktop.services.audit import AuditQuery, list_audit
from desktop.services.context import Actor, Hall
from desktop.services.drafts import my_drafts
from desktop.services.registration import register_visit
from desktop.services.store import case_events
from tests.helpers import form, valid_id
from tests.ui.conftest import case_count
from ui.cases.actions import CaseActionDialog
from ui.counter.work import CounterWork
from ui.printing.preview import PrintPreviewDialog
from ui.registration.form import RegistrationPanel
from ui.shell.context import WorkContext

Context = Callable[..., WorkContext]
REQUEST = "反映浦阳街道某小区物业长期不履行电梯维修义务，要求尽快维修"


def _type_request(panel: RegistrationPanel, text: str) -> None:
    panel.request.setPlainText(text)


def test_a_group_visit_from_the_card_reader_to_a_routed_case(qtbot: QtBot, counter: CounterWork, sqlite_hall: Hall,
                                                             tmp_path: Path) -> None:
    panel = counter.registration
    card = demo_cards(0)[0]
    with qtbot.waitSignal(panel.history_shown, timeout=10_000):
        qtbot.keyClick(panel.id_number, Qt.Key.Key_F2)  # the reader, off the GUI thread
    assert panel.id_number.text() == card.id_number and panel.name.text() == card.name
    assert f"民族：{card.ethnicity}" in panel.card_line.text()
    born = card.birth_date
    assert f"出生：{born.year}年{born.month}月{born.day}日" in panel.card_line.text()  # never 1971-05-03
    assert "初访" in panel.repeat.verdict.text()  # nobody has seen this person before

    panel.phone.setText("13857912345")
    panel.persons_count.setValue(8)
    assert "推选代表" in panel.field_messages["persons_count"].text()
    for seq in range(1, 6):
        assert panel.representatives.add(f"代表{'一二三四五'[seq - 1]}", valid_id(seq=200 + seq))
    assert not panel.representatives.add("第六人", valid_id(seq=299))  # the rule, quoted
    assert "第二十条" in panel.representatives.message.text()
    assert len(panel.representatives.values()) == 5
    topic = panel.topic.itemData(0, Qt.ItemDataRole.UserRole)
    panel.topic.set_code(str(topic))
    _type_request(panel, REQUEST + "，物业称无维修资金")
    panel.rights_told.setChecked(True)
    printed: list[object] = []
    panel.receipt_printed.connect(printed.append)
    with qtbot.waitSignals([panel.registered, panel.receipt_printed], timeout=20_000):
        qtbot.keyClick(panel.request, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    result, (outcome,) = panel.last_result, printed
    assert result is not None
    assert outcome.printed and list((tmp_path / "receipts").glob("*.pdf"))
    assert result.case_number in panel.message.text() and "查询码" in panel.message.text()
    view = result.view
    assert view.persons_count == 8 and len(view.persons) == 6  # the petitioner and five representatives
    with sqlite_hall.sessions() as session:
        types = [e.type.value for e in case_events(session, result.case_id)]
    assert types == ["登记", "告知"]  # the rights notice was recorded as told
    assert my_drafts(sqlite_hall, panel.actor, "registration") == []  # saved: the draft is gone

    # 办理此事项: the case desk opens on the new case; classify, then accept with the notice offered.
    desk = counter.desk
    search = counter.search
    with qtbot.waitSignal(search.detail_shown, timeout=10_000):
        qtbot.mouseClick(panel.open_button, Qt.MouseButton.LeftButton)
    assert counter.currentWidget() is desk and search.current is not None
    assert search.current.case_number == result.case_number
    steps = _steps(counter)
    assert next(a.text() for a in steps.menu_.actions()) == "分类"
    dialog = _open_step(qtbot, steps, "classify")
    dialog.set_value("nature", "申诉求决类")
    dialog.set_value("topic_code", str(topic))
    with qtbot.waitSignal(search.detail_shown, timeout=10_000):  # the desk refreshes from the change
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert "申诉求决类" in search.detail.toPlainText()

    dialog = _open_step(qtbot, steps, "answer")  # out of order: refused in the service's words
    with qtbot.waitSignal(dialog.tasks.settled):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert "缺少" in dialog.message.text() and dialog.isVisible()
    dialog.reject()
    before = len(cases.load_case(sqlite_hall, Actor.system(), result.case_number).events)

    dialog = _open_step(qtbot, steps, "accept")
    print_button = _print_button(counter)
    with qtbot.waitSignal(print_button.opened, timeout=20_000) as opened:
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    preview = opened.args[0]
    assert isinstance(preview, PrintPreviewDialog) and preview.doc.kind.value == "受理告知书"
    preview.reject()
    assert len(cases.load_case(sqlite_hall, Actor.system(), result.case_number).events) == before + 1

    # Found again by two characters of the name, and by a phrase across the punctuation it spans.
    with qtbot.waitSignal(search.searched, timeout=10_000):
        search.query.setText(card.name[:2])
    assert result.case_number in [c.case_number for c in search.results]
    assert "共" in search.status.text()  # how many there are, not only how many are shown
    with qtbot.waitSignal(search.searched, timeout=10_000):
        search.query.setText("维修义务要求尽快")  # the request reads “…维修义务，要求尽快维修”
    assert [c.case_number for c in search.results] == [result.case_number]
    with qtbot.waitSignal(search.searched, timeout=10_000):  # a mistyped check character is explained
        search.query.setText(result.case_number[:-1] + ("0" if result.case_number[-1] != "0" else "1"))
    assert search.results == [] and "校验" in search.status.text()


def _steps(counter: CounterWork):  # type: ignore[no-untyped-def]
    from ui.desk.cases import CaseDesk

    desk = counter.desk.findChild(CaseDesk)
    assert desk is not None
    return desk.steps


def _print_button(counter: CounterWork):  # type: ignore[no-untyped-def]
    from ui.desk.cases import CaseDesk

    desk = counter.desk.findChild(CaseDesk)
    assert desk is not None
    return desk.print_button


def _open_step(qtbot: QtBot, steps, key: str) -> CaseActionDialog:  # type: ignore[no-untyped-def]
    steps.open_by_key(key)
    qtbot.waitUntil(lambda: steps.dialog is not None and steps.dialog.action.key == key and steps.dialog.isVisible(),
                    timeout=10_000)
    dialog = steps.dialog
    assert isinstance(dialog, CaseActionDialog)
    return dialog


def test_a_repeat_is_seen_while_typing_and_marked(qtbot: QtBot, counter: CounterWork, sqlite_hall: Hall,
                                                 clerk: Actor) -> None:
    earlier = register_visit(sqlite_hall, clerk, form(name="王芳", id_number=valid_id(seq=31), request=REQUEST))
    panel = counter.registration
    panel.id_number.setText(valid_id(seq=31))
    panel.name.setText("王芳")
    with qtbot.waitSignal(panel.history_shown, timeout=10_000):
        _type_request(panel, REQUEST)
    assert "重复访" in panel.repeat.verdict.text()
    assert panel.repeat.table.item(0, 0).text() == earlier.case_number
    assert panel.repeat.table.item(0, 1).text() == "是"  # beside the number, in sight at 1366×768
    same = panel.repeat.table.visualItemRect(panel.repeat.table.item(0, 1))
    assert panel.repeat.table.viewport().rect().contains(same)
    with qtbot.waitSignal(panel.registered, timeout=10_000) as saved:
        panel.save()
    assert saved.args[0].visit.kind.value == "重复访"


def _through_rereview(hall: Hall, clerk: Actor, id_number: str) -> str:
    number = register_visit(hall, clerk, form(id_number=id_number, request=REQUEST)).case_number
    cases.classify(hall, clerk, number, nature="申诉求决类", topic_code="0101")
    cases.accept(hall, clerk, number, accepted_on=date(2026, 9, 16))
    cases.answer(hall, clerk, number, outcome="不予支持", answered_on=date(2026, 9, 16))
    cases.deliver(hall, clerk, number, delivered_on=date(2026, 9, 16))
    cases.request_review(hall, clerk, number, requested_on=date(2026, 9, 16))
    from desktop.domain.events import EventType

    cases.answer(hall, clerk, number, outcome="不予支持", answered_on=date(2026, 9, 16),
                 event_type=EventType.REVIEW_ANSWERED)
    cases.deliver(hall, clerk, number, delivered_on=date(2026, 9, 16))
    cases.request_review(hall, clerk, number, requested_on=date(2026, 9, 16), rereview=True)
    cases.answer(hall, clerk, number, outcome="不予支持", answered_on=date(2026, 9, 16),
                 event_type=EventType.REREVIEW_ANSWERED)
    return number


def test_refusals_keep_the_form_and_store_nothing(qtbot: QtBot, counter: CounterWork, sqlite_hall: Hall,
                                                 clerk: Actor) -> None:
    final = _through_rereview(sqlite_hall, clerk, valid_id(seq=41))
    stored = case_count(sqlite_hall)
    panel = counter.registration

    # A mistyped ID number: said at once under the field, and refused on saving.
    panel.id_number.setText("330726196803120120")
    panel.id_number.editingFinished.emit()
    assert "身份证号码不对" in panel.field_messages["id_number"].text()
    panel.name.setText("张建国")
    _type_request(panel, REQUEST)
    with qtbot.waitSignal(panel.tasks.settled, timeout=10_000):
        panel.save()
    assert panel.message.property("tone") == "error" and "已填写的内容仍在" in panel.message.text()
    assert panel.request.toPlainText() == REQUEST and case_count(sqlite_hall) == stored

    # A matter through 复核: the history says so while typing, and saving is refused (条例第三十六条).
    with qtbot.waitSignal(panel.history_shown, timeout=10_000):
        panel.id_number.setText(valid_id(seq=41))
        panel._history_timer.start()
    assert panel.repeat.verdict.property("tone") == "error" and final in panel.repeat.verdict.text()
    with qtbot.waitSignal(panel.tasks.settled, timeout=10_000):
        panel.save()
    assert "第三十六条" in panel.message.text() and case_count(sqlite_hall) == stored
    assert "改正后再保存" not in panel.message.text() and "记入审计日志" in panel.message.text()
    with pytest.raises(RuleViolation):
        register_visit(sqlite_hall, clerk, form(id_number=valid_id(seq=41), request=REQUEST))
    # each refused visit leaves its trace under the case that settled the matter (no case, no personal data)
    from desktop.services.audit import AuditQuery, list_audit

    traces = list_audit(sqlite_hall, Actor.system(), AuditQuery(action="不再受理"))
    assert len(traces) == 2 and {t.target for t in traces} == {final}
    assert all(t.detail == {"rule": "条例第三十六条", "channel": "走访"} for t in traces)


def test_a_draft_comes_back_in_a_new_form(qtbot: QtBot, sqlite_hall: Hall, work_context: Context,
                                         clerk: Actor) -> None:
    first = RegistrationPanel(work_context(clerk))
    qtbot.addWidget(first)
    qtbot.waitSignal(first.ready, timeout=10_000).wait()
    first.name.setText("李梅")
    with qtbot.waitSignal(first.draft_saved, timeout=10_000):
        first.name.textEdited.emit("李梅")
        _type_request(first, "反映村道损毁")
    again = RegistrationPanel(work_context(clerk))  # the window closed, or the program died
    qtbot.addWidget(again)
    with qtbot.waitSignal(again.ready, timeout=10_000):
        pass
    assert again.name.text() == "李梅" and again.request.toPlainText() == "反映村道损毁"
    assert "已恢复" in again.message.text()
    other = RegistrationPanel(work_context(Actor("staff:lina", "李娜", "clerk")))  # not someone else's
    qtbot.addWidget(other)
    qtbot.waitSignal(other.ready, timeout=10_000).wait()
    assert other.name.text() == ""
    with qtbot.waitSignal(again.background.settled, timeout=10_000):
        again.new_form()
    assert my_drafts(sqlite_hall, clerk, "registration") == []


def test_the_receipt_waits_when_the_printer_fails(qtbot: QtBot, sqlite_hall: Hall, work_context: Context,
                                                 clerk: Actor, tmp_path: Path) -> None:
    broken = SimulatedPrinter(fail_with=PrinterError(Problem.OUT_OF_PAPER, "打印机缺纸"), fail_times=9)
    panel = RegistrationPanel(work_context(clerk), printer=lambda: broken)
    qtbot.addWidget(panel)
    qtbot.waitSignal(panel.ready, timeout=10_000).wait()
    panel.id_number.setText(valid_id(seq=77))
    panel.name.setText("周芳")
    _type_request(panel, "反映噪音扰民")
    with qtbot.waitSignals([panel.registered, panel.printing.settled], timeout=20_000):
        panel.save()
    assert panel.last_result is not None
    assert panel.last_result.case_number in panel.message.text()  # registered all the same
    assert "打印机缺纸" in panel.message.text() and panel.message.property("tone") == "notice"
    pending = printing.pending_here(sqlite_hall, clerk)
    assert len(pending) == 1 and pending[0].case_number == panel.last_result.case_number
    assert any(e.action == "登记来访" for e in list_audit(sqlite_hall, Actor.system(), AuditQuery(limit=10)))



_TYPING_CLERK = """
import sys
from pathlib import Path
from PySide6.QtWidgets import QApplication
from desktop.app import build_window
from desktop.config import load_settings
from desktop.domain.access import Actor
from desktop.installation import open_hall
from ui.registration.form import RegistrationPanel
from ui.shell.context import WindowContext
from ui.shell.startup import HallSource
from ui.shell.tasks import TaskManager
from desktop.domain.roles import WindowRole

app = QApplication([])
settings = load_settings()
hall = open_hall(settings, Path(sys.argv[1]))
source = HallSource.of(hall)
ctx = WindowContext(source, TaskManager(source), WindowRole.COUNTER).acting_as(
    Actor("staff:wangli", "王丽", "clerk"))
panel = RegistrationPanel(ctx)
panel.ready.connect(lambda: (panel.name.setText("赵桂兰"), panel.request.setPlainText("反映养老金被停发，要求恢复")))
panel.draft_saved.connect(lambda: print("DRAFT KEPT", flush=True))
panel.show()
app.exec()  # killed while it runs
"""


def test_a_draft_survives_the_program_being_killed(tmp_path: Path) -> None:
    """The clerk types; the program is killed (SIGKILL) before saving; the next start has the text back."""
    import os
    import signal
    import subprocess
    import sys

    from desktop.config import load_settings
    from desktop.installation import open_hall

    db = tmp_path / "hall.db"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    with subprocess.Popen([sys.executable, "-c", _TYPING_CLERK, str(db)], stdout=subprocess.PIPE,
                          stderr=subprocess.DEVNULL, text=True, env=env) as typing:
        try:
            assert typing.stdout is not None
            line = typing.stdout.readline()  # blocks until the draft is kept (or the program ends)
            assert line.strip() == "DRAFT KEPT"
        finally:
            typing.send_signal(signal.SIGKILL)
            typing.wait(timeout=30)
    hall = open_hall(load_settings(), db)
    try:
        (draft,) = my_drafts(hall, Actor("staff:wangli", "王丽", "clerk"), "registration")
        assert draft.data["name"] == "赵桂兰" and draft.data["request"] == "反映养老金被停发，要求恢复"
    finally:
        hall.engine.dispose()


def test_materials_are_added_shown_and_registered(qtbot: QtBot, sqlite_hall: Hall, work_context: Context,
                                                  clerk: Actor, tmp_path: Path) -> None:
    from PySide6.QtGui import QColor, QImage

    photo = tmp_path / "现场照片.png"
    image = QImage(40, 30, QImage.Format.Format_RGB32)
    image.fill(QColor("#2e7d32"))
    assert image.save(str(photo))
    letter = tmp_path / "来信.pdf"
    letter.write_bytes(b"%PDF-1.4 letter")
    chosen = [[str(photo), str(letter)], [str(photo)]]  # the same photo chosen again
    panel = RegistrationPanel(work_context(clerk), choose_files=lambda _parent: chosen.pop(0))
    qtbot.addWidget(panel)
    qtbot.waitSignal(panel.ready, timeout=10_000).wait()
    for _ in range(2):
        with qtbot.waitSignal(panel.background.settled, timeout=10_000):
            qtbot.mouseClick(panel.add_material_button, Qt.MouseButton.LeftButton)
    assert [a["name"] for a in panel.attachments] == ["现场照片.png", "来信.pdf"]  # listed once each
    assert panel.materials.count() == 2 and not panel.materials.item(0).icon().isNull()
    panel.id_number.setText(valid_id(seq=61))
    panel.name.setText("钱红")
    _type_request(panel, "反映邻居违章搭建影响采光")
    with qtbot.waitSignal(panel.registered, timeout=10_000) as saved:
        panel.save()
    detail = cases.load_case(sqlite_hall, clerk, saved.args[0].case_number)
    assert [a.name for a in detail.attachments] == ["现场照片.png", "来信.pdf"]


def test_the_transfer_date_and_the_timeline_read_in_words(qtbot: QtBot, counter: CounterWork, sqlite_hall: Hall,
                                                          clerk: Actor) -> None:
    """转送日期 shows 2026年9月16日 (the service still gets the ISO day), and the step then says unit and deadline."""
    import re

    from PySide6.QtWidgets import QDateEdit

    number = register_visit(sqlite_hall, clerk, form(name="王芳", id_number=valid_id(seq=36))).case_number
    cases.classify(sqlite_hall, clerk, number, nature="申诉求决类", topic_code="0101")
    search = counter.search
    with qtbot.waitSignal(search.detail_shown, timeout=10_000):
        counter.open_case(number)
    dialog = _open_step(qtbot, _steps(counter), "transfer")
    day = sqlite_hall.today()
    shown = dialog.fields["routed_on"]
    assert isinstance(shown, QDateEdit)
    assert shown.text() == f"{day.year}年{day.month}月{day.day}日"
    assert dialog.values()["routed_on"] == day.isoformat()
    qtbot.waitUntil(lambda: dialog.proposal is not None, timeout=10_000)  # the unit proposed, then the clerk's
    dialog.set_value("organisation_code", "330726-ZJJ")
    dialog.set_value("override_reason", "属地管理")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "转送" in search.detail.toPlainText()
                    and "浦江县住房和城乡建设局，" in search.detail.toPlainText(), timeout=10_000)
    from PySide6.QtWidgets import QApplication

    from ui.printing.preview import NoticeFieldsDialog

    qtbot.waitUntil(lambda: any(isinstance(w, NoticeFieldsDialog) for w in QApplication.topLevelWidgets()),
                    timeout=10_000)
    for offered in [w for w in QApplication.topLevelWidgets() if isinstance(w, NoticeFieldsDialog)]:
        offered.reject()  # the 转送单 is offered: not printed here
    text = search.detail.toPlainText()
    assert "浦江县住房和城乡建设局，" in text and "前告知是否受理" in text
    assert not re.search(r"\d{4}-\d\d-\d\d", text[text.index("事件"):])  # the events' times in words too
