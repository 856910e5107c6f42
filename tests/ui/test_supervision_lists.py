"""The supervisors' work lists through the real widgets: what is typed survives the list being read again."""

from __future__ import annotations

from collections.abc import Callable

from pytestqt.qtbot import QtBot

from desktop.services.context import Actor, Hall
from desktop.services.suggestions import submit_suggestion
from tests.conftest import FakeClock
from ui.cases.suggestions import SuggestionsPanel
from ui.shell.context import WorkContext

Context = Callable[..., WorkContext]
KIOSK = Actor.kiosk("K01")


def test_an_answer_being_typed_stays_when_a_new_suggestion_arrives(qtbot: QtBot, sqlite_hall: Hall, clock: FakeClock,
                                                                   supervisor: Actor, work_context: Context) -> None:
    first = submit_suggestion(sqlite_hall, KIOSK, content="建议延长周六上午的接待时间", name="李军")
    panel = SuggestionsPanel(work_context(supervisor))
    qtbot.addWidget(panel)
    qtbot.waitUntil(lambda: panel.table.rowCount() == 1, timeout=10_000)
    panel.table.selectRow(0)
    panel.answer.setPlainText("已研究，自下月起试行，届时在大厅公告")
    clock.advance(minutes=5)  # newest first: the one being answered moves down a row
    submit_suggestion(sqlite_hall, KIOSK, content="建议在大厅增设饮水机和老花镜", name="王芳")  # from a kiosk
    qtbot.waitUntil(lambda: panel.table.rowCount() == 2, timeout=10_000)  # the list is read again
    assert panel.current is not None and panel.current.number == first.number  # still the one being answered
    assert panel.answer.toPlainText() == "已研究，自下月起试行，届时在大厅公告" and "周六" in panel.content.text()


def test_the_dissatisfied_tab_counts_every_case_rated_so(qtbot: QtBot, sqlite_hall: Hall, clerk: Actor,
                                                         supervisor: Actor, work_context: Context) -> None:
    from desktop.services.self_service import rate_case
    from tests.helpers import valid_id
    from tests.services.test_self_service import _answered
    from ui.cases.dissatisfied import DissatisfiedPanel

    panel = DissatisfiedPanel(work_context(supervisor))
    qtbot.addWidget(panel)
    qtbot.waitUntil(lambda: panel.summary.text() == "目前没有评价为“不满意”的事项", timeout=10_000)
    for seq in (1, 2):
        case = _answered(sqlite_hall, clerk, id_number=valid_id(seq=seq))
        rate_case(sqlite_hall, KIOSK, case.case_number, case.query_code, "不满意")
    qtbot.waitUntil(lambda: panel.table.rowCount() == 2, timeout=10_000)
    assert panel.summary.text() == "共 2 件"
