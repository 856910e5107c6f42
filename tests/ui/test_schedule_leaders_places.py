"""接访安排: no day without a leader (the field takes the focus); the schedule and the counter count places alike."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop.services import reception
from desktop.services.context import Actor, Hall
from desktop.services.reception import Visitor
from tests.conftest import FakeClock
from tests.helpers import valid_id
from ui.counter.work import CounterWork
from ui.leader.work import LeaderWork
from ui.shell.context import WorkContext

Context = Callable[..., WorkContext]
LEADER = Actor("staff:lingdao1", "周建华", "leader")


def _leader_work(qtbot: QtBot, work_context: Context) -> LeaderWork:
    work = LeaderWork(work_context(LEADER, "leader"))
    qtbot.addWidget(work)
    work.resize(1366, 768 - 45)
    with qtbot.waitActive(work):
        work.show()
        work.activateWindow()
    return work


def test_generating_with_no_leader_is_refused_and_the_field_takes_the_focus(
        qtbot: QtBot, sqlite_hall: Hall, work_context: Context) -> None:
    panel = _leader_work(qtbot, work_context).schedule
    panel.leaders.setText("、 ")  # only separators and a space: nobody named
    panel.topics.setText("劳动保障")
    panel.generate_button.setFocus()
    with qtbot.waitSignal(panel.tasks.settled, timeout=10_000):
        qtbot.mouseClick(panel.generate_button, Qt.MouseButton.LeftButton)
    assert "请填写接访领导" in panel.message.text() and panel.message.property("tone") == "error"
    qtbot.waitUntil(lambda: QApplication.focusWidget() is panel.leaders, timeout=2_000)
    assert reception.list_days(sqlite_hall, LEADER) == []
    assert panel.topics.text() == "劳动保障"  # nothing typed is lost
    panel.leaders.setText("县长 周建华")
    with qtbot.waitSignal(panel.tasks.settled, timeout=10_000):
        qtbot.mouseClick(panel.generate_button, Qt.MouseButton.LeftButton)
    assert panel.message.text().startswith("已按规则安排")
    assert all(d.leaders == ("县长 周建华",) for d in reception.list_days(sqlite_hall, LEADER))


def test_the_schedule_and_the_counter_say_the_same_places_left_today(
        qtbot: QtBot, sqlite_hall: Hall, work_context: Context, clerk: Actor, clock: FakeClock) -> None:
    """At 13:43 the morning's slots are over: both screens count ``ReceptionDay.free`` (余7个名额; 已约1，余7)."""
    day = reception.add_day(sqlite_hall, clerk, sqlite_hall.today(), leaders=["县长 周建华"],
                            slots="09:00-10:30/4,10:30-12:00/4,14:30-16:00/4,16:00-17:30/4")
    clock.current = clock.current.replace(hour=13, minute=43)
    reception.book(sqlite_hall, clerk, day.day_id, Visitor("李梅", valid_id(seq=71)))
    (today,) = reception.list_days(sqlite_hall, clerk)
    assert today.room == "余7个名额"

    schedule = _leader_work(qtbot, work_context).schedule
    qtbot.waitUntil(lambda: schedule.table.rowCount() == 1, timeout=10_000)
    column = schedule.COLUMNS.index("预约")
    cell = schedule.table.item(0, column)
    assert cell is not None and cell.text() == f"已约1，余{today.free}" == "已约1，余7"

    counter = CounterWork(work_context(clerk))
    qtbot.addWidget(counter)
    panel = counter.booking
    counter.setCurrentWidget(panel)
    qtbot.waitUntil(lambda: panel.day_box.count() == 1, timeout=10_000)
    assert panel.day_box.itemText(0).endswith(f"　{today.room}")
    # the schedule's column shows whole at 1366×768
    schedule.table.resizeColumnsToContents()
    assert schedule.table.columnWidth(column) >= schedule.table.fontMetrics().horizontalAdvance(cell.text())


def test_the_schedule_keeps_dates_places_and_the_offices_day_whole_at_1366(
        qtbot: QtBot, sqlite_hall: Hall, work_context: Context) -> None:
    """Four leaders, five topics, three units and the long place on every day: those wrap, the dates do not."""
    days = reception.generate_schedule(sqlite_hall, LEADER, sqlite_hall.today(), 4,
                                       leaders=["县长 周建华", "副县长 郑丽", "副县长 李明", "县委常委 王强"],
                                       topics="劳动保障、征地拆迁、城乡建设、教育医疗、生态环境",
                                       units=["330726-RSJ", "330726-GAJ", "330726-JYJ"])
    work = _leader_work(qtbot, work_context)
    schedule, table = work.schedule, work.schedule.table
    assert len(days) >= 3
    qtbot.waitUntil(lambda: table.rowCount() == len(days), timeout=10_000)  # read while its tab is hidden
    metrics = table.fontMetrics()

    def natural(column: int) -> int:
        return max(metrics.horizontalAdvance(table.item(row, column).text())  # type: ignore[union-attr]
                   for row in range(table.rowCount()))

    for width, height in ((1920, 1080 - 45), (1366, 768 - 45)):
        work.resize(width, height)
        work.setCurrentWidget(schedule)
        qtbot.waitUntil(lambda w=width: table.viewport().width() > w - 200, timeout=2_000)
        qtbot.waitUntil(lambda: sum(table.columnWidth(c) for c in range(table.columnCount()))
                        <= table.viewport().width() + 1, timeout=2_000)
        for name in ("接访日", "来源", "预约", "候补", "名单送领导办公室"):
            column = schedule.COLUMNS.index(name)
            assert table.columnWidth(column) >= natural(column), (width, name)
        if width == 1920:  # room enough: nothing is wrapped
            for name in schedule.WRAPPED:
                column = schedule.COLUMNS.index(name)
                assert table.columnWidth(column) >= natural(column), (width, name)
        work.setCurrentIndex(0)  # away and back again at the next size
