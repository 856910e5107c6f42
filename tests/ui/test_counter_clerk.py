"""What a new clerk hit at the counter, each through the real widgets: saving twice, classifying, the queue."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop.services.context import Actor, Hall
from desktop.services.drafts import my_drafts
from tests.conftest import make_settings
from tests.helpers import valid_id
from ui.counter.work import CounterWork
from ui.shell.context import WorkContext

Context = Callable[..., WorkContext]
REQUEST = "反映浦阳街道某建筑工地拖欠农民工工资三个月，要求尽快支付"


@pytest.fixture
def counter(qtbot: QtBot, sqlite_hall: Hall, work_context: Context, clerk: Actor, tmp_path: Path) -> CounterWork:
    sqlite_hall.settings = make_settings(printer_receipts=f"pdf:{tmp_path / 'receipts'}",
                                         printer_notices=f"pdf:{tmp_path / 'notices'}")
    work = CounterWork(work_context(clerk))
    qtbot.addWidget(work)
    work.resize(1366, 768)
    with qtbot.waitSignal(work.registration.ready, timeout=10_000):
        work.show()
    return work


def _case_count(hall: Hall) -> int:
    from sqlalchemy import func, select

    from db.models import CaseRow

    with hall.sessions() as session:
        return int(session.scalar(select(func.count()).select_from(CaseRow)) or 0)


def test_saving_a_saved_registration_again_registers_nothing(qtbot: QtBot, counter: CounterWork, sqlite_hall: Hall,
                                                             clerk: Actor) -> None:
    panel = counter.registration
    panel.id_number.setText(valid_id(seq=501))
    panel.name.setText("阿依古丽·买买提")
    panel.request.setPlainText(REQUEST)
    with qtbot.waitSignals([panel.registered, panel.receipt_printed], timeout=20_000):
        qtbot.keyClick(panel.request, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    saved = panel.last_result
    assert saved is not None and _case_count(sqlite_hall) == 1
    assert not panel.save_button.isEnabled()

    # The clerk presses Ctrl+S again (to print once more, or out of habit): the same visit is not registered twice.
    qtbot.keyClick(panel.request, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    panel.save()
    assert not panel.tasks.busy and _case_count(sqlite_hall) == 1
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
    assert _case_count(sqlite_hall) == 2
