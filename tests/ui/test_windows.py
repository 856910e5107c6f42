"""Each role's window opens on real services and does its one job."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop.app import build_window, read_queue_board, work_for
from desktop.domain.access import WITHHELD, Permission, Role
from desktop.domain.calendar import date_in_words
from desktop.domain.classification import Nature
from desktop.domain.roles import WindowRole
from desktop.services.audit import AuditQuery, list_audit
from desktop.services.context import Actor, Hall
from desktop.services.registration import register_visit
from tests.conftest import FakeClock
from tests.helpers import form, valid_id
from tests.ui.conftest import MakeAccount, sign_in
from ui.cases.deadlines import DeadlinePanel
from ui.cases.search import ACCUSATION_NOTICE, CaseSearchPanel
from ui.display.board import HallBoard
from ui.kiosk.shell import KioskShell
from ui.shell.context import WorkContext
from ui.shell.device import DeviceWindow
from ui.shell.staff import StaffWindow

Context = Callable[..., WorkContext]


@pytest.mark.parametrize("role", ["kiosk", "counter", "leader", "display", "admin"])
def test_every_role_opens(qtbot: QtBot, sqlite_hall: Hall, clerk: Actor, make_account: MakeAccount,
                          role: str) -> None:
    register_visit(sqlite_hall, clerk, form())
    make_account("guanli", "孙涛", Role.ADMIN)
    window = build_window(sqlite_hall, role)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert "信访接待大厅系统" in window.windowTitle()
    if role in ("kiosk", "display"):
        assert isinstance(window, DeviceWindow)
    else:  # staff see nothing before signing in
        assert isinstance(window, StaffWindow) and window.current_page_title() == "工作人员登录"


def test_kiosk_and_display_act_as_their_device(qtbot: QtBot, sqlite_hall: Hall) -> None:
    kiosk = build_window(sqlite_hall, "kiosk")
    qtbot.addWidget(kiosk)
    assert isinstance(kiosk, DeviceWindow) and isinstance(kiosk.body, KioskShell)
    assert kiosk.ctx.actor == Actor.kiosk("C01") and kiosk.body.ctx.actor == Actor.kiosk("C01")
    display = build_window(sqlite_hall, "display")
    qtbot.addWidget(display)
    assert isinstance(display, DeviceWindow) and isinstance(display.body, HallBoard)
    assert display.ctx.actor == Actor.display_screen("C01")
    assert display.current_page_title() == "大厅信息（无需登录）"


def _search(qtbot: QtBot, panel: CaseSearchPanel, text: str, rows: int) -> None:
    with qtbot.waitSignal(panel.searched):
        panel.query.setText(text)
    qtbot.waitUntil(lambda: panel.table.rowCount() == rows)


def _select(qtbot: QtBot, panel: CaseSearchPanel, row: int) -> None:
    with qtbot.waitSignal(panel.detail_shown):
        panel.table.setCurrentCell(row, 0)


def test_counter_search_finds_by_name_as_typed(qtbot: QtBot, sqlite_hall: Hall, clerk: Actor,
                                               work_context: Context, make_account: MakeAccount) -> None:
    make_account("wangli", "王丽", Role.CLERK)  # the clerk of the fixture, by the account's name
    register_visit(sqlite_hall, clerk, form(name="王芳", id_number=valid_id(seq=9)))
    register_visit(sqlite_hall, clerk, form(name="张建国", request="反映拖欠工资问题"))
    panel = CaseSearchPanel(work_context(clerk))
    qtbot.addWidget(panel)
    _search(qtbot, panel, "王芳", 1)
    assert panel.table.item(0, 1).text() == "王*"  # masked in the list
    _select(qtbot, panel, 0)
    text = panel.detail.toPlainText()
    assert "登记" in text and "2026年10月8日" in text
    assert "王丽" in text and "staff:" not in text  # events by the name of who wrote them
    panel.query.setText("拖欠工资")
    qtbot.waitUntil(lambda: panel.table.rowCount() == 1 and
                    panel.table.item(0, 1).text() == "张**")
    assert "诉求内容" in panel.status.text()


def test_a_new_search_shows_its_list_from_the_first_column(qtbot: QtBot, sqlite_hall: Hall, clerk: Actor,
                                                           work_context: Context) -> None:
    """At 1366×768 the list scrolls sideways to its far columns; the next search came up scrolled as the last
    one was left, without 案件编号, 信访人 or 状态. A refresh of the same search keeps the place."""
    register_visit(sqlite_hall, clerk, form(name="王芳", id_number=valid_id(seq=9)))
    register_visit(sqlite_hall, clerk, form(name="张建国", request="反映拖欠工资问题"))
    panel = CaseSearchPanel(work_context(clerk))
    qtbot.addWidget(panel)
    panel.resize(700, 600)
    panel.show()
    _search(qtbot, panel, "王芳", 1)
    bar = panel.table.horizontalScrollBar()
    assert bar.maximum() > 0  # the far columns are a scroll away
    bar.setValue(bar.maximum())
    left_at = bar.value()
    assert left_at > 0
    with qtbot.waitSignal(panel.searched):
        panel.run_search()  # the same search read again (a change came): the list stays where the clerk left it
    assert bar.value() == left_at
    _search(qtbot, panel, "张建国", 1)
    assert bar.value() == 0


def test_reveal_shows_full_data_once_and_is_audited(qtbot: QtBot, sqlite_hall: Hall, clerk: Actor,
                                                    work_context: Context) -> None:
    first = register_visit(sqlite_hall, clerk, form(name="王芳", id_number=valid_id(seq=9)))
    register_visit(sqlite_hall, clerk, form(name="王建军", id_number=valid_id(seq=17)))
    panel = CaseSearchPanel(work_context(clerk))
    qtbot.addWidget(panel)
    panel.show()
    _search(qtbot, panel, "王", 2)
    row = next(r for r, case in enumerate(panel.results) if case.case_number == first.case_number)
    _select(qtbot, panel, row)
    text = panel.detail.toPlainText()
    assert "王*" in text and "王芳" not in text and valid_id(seq=9) not in text
    assert "138****2345" in text and "个人信息已遮挡" in text
    assert panel.reveal_button.isVisible() and panel.reveal_button.isEnabled()
    assert not panel.reveal_note.isVisible()

    panel.reveal_reason.setText("核对身份")
    with qtbot.waitSignal(panel.revealed) as revealed:
        qtbot.mouseClick(panel.reveal_button, Qt.MouseButton.LeftButton)
    assert revealed.args == [first.case_number]
    text = panel.detail.toPlainText()
    assert "王芳" in text and valid_id(seq=9) in text and "13857912345" in text
    assert panel.reveal_note.isVisible() and "已记录查看" in panel.reveal_note.text()
    (entry,) = list_audit(sqlite_hall, Actor.system(), AuditQuery(action="查看完整个人信息"))
    assert entry.target == first.case_number and entry.actor_id == clerk.actor_id
    assert entry.detail == {"reason": "核对身份"}

    _select(qtbot, panel, 1 - row)  # another case: masked again
    assert "王芳" not in panel.detail.toPlainText() and "王建军" not in panel.detail.toPlainText()
    assert not panel.reveal_note.isVisible() and panel.reveal_reason.text() == ""


def test_no_reveal_button_without_the_permission(qtbot: QtBot, sqlite_hall: Hall, clerk: Actor,
                                                 work_context: Context) -> None:
    register_visit(sqlite_hall, clerk, form())
    reader = Actor("staff:trainee", "实习人员", "",
                   extra_permissions=frozenset({Permission.SEARCH, Permission.VIEW_CASE}))
    panel = CaseSearchPanel(work_context(reader))
    qtbot.addWidget(panel)
    panel.show()
    _search(qtbot, panel, "张建国", 1)
    _select(qtbot, panel, 0)
    assert "张**" in panel.detail.toPlainText()
    assert not panel.reveal_button.isVisible() and not panel.reveal_reason.isVisible()


def test_withheld_accusation_is_shown_as_a_notice(qtbot: QtBot, sqlite_hall: Hall, clerk: Actor,
                                                  work_context: Context) -> None:
    register_visit(sqlite_hall, clerk, form(nature=Nature.ACCUSATION.value,
                                            request="检举某局干部收受贿赂，要求依法查处"))
    panel = CaseSearchPanel(work_context(clerk))  # clerks may not read accusations
    qtbot.addWidget(panel)
    _search(qtbot, panel, "张建国", 1)
    assert panel.table.item(0, panel.COLUMNS.index("诉求摘要")).text() == WITHHELD
    _select(qtbot, panel, 0)
    html, text = panel.detail.toHtml(), panel.detail.toPlainText()
    assert WITHHELD in text and ACCUSATION_NOTICE in text and "贿赂" not in text
    assert "#fff4d6" in html  # styled as a notice, not as the petitioner's words


def test_counter_reveals_after_sign_in(qtbot: QtBot, sqlite_hall: Hall, clerk: Actor,
                                       make_account: MakeAccount) -> None:
    register_visit(sqlite_hall, clerk, form())
    make_account("wangli", "王丽", Role.CLERK)
    window = build_window(sqlite_hall, "counter")
    qtbot.addWidget(window)
    window.show()
    assert isinstance(window, StaffWindow)
    sign_in(qtbot, window, "wangli")
    panel = window.findChild(CaseSearchPanel)
    assert panel is not None and panel.actor.actor_id == "staff:wangli"
    _search(qtbot, panel, "张建国", 1)
    _select(qtbot, panel, 0)
    with qtbot.waitSignal(panel.revealed):
        qtbot.mouseClick(panel.reveal_button, Qt.MouseButton.LeftButton)
    assert "张建国" in panel.detail.toPlainText()
    (entry,) = list_audit(sqlite_hall, Actor.system(), AuditQuery(action="查看完整个人信息"))
    assert entry.actor_name == "王丽" and entry.detail == {}


def test_deadline_board_and_hall_display(qtbot: QtBot, sqlite_hall: Hall, clerk: Actor,
                                         work_context: Context) -> None:
    register_visit(sqlite_hall, clerk, form())
    board = DeadlinePanel(work_context(clerk))
    qtbot.addWidget(board)
    qtbot.waitUntil(lambda: "在办 1 件" in board.summary.text())
    display = HallBoard(work_context(Actor.display_screen("D01"), "display"), read_queue_board)
    qtbot.addWidget(display)
    # 2026-09-16: the next leaders' day is 15 October (the 15th of September has passed)
    qtbot.waitUntil(lambda: "2026年10月15日" in display.reception.text())


def test_the_deadline_board_says_how_many_days_a_case_is_overdue(qtbot: QtBot, sqlite_hall: Hall, clerk: Actor,
                                                                 clock: FakeClock, work_context: Context) -> None:
    case = register_visit(sqlite_hall, clerk, form())
    assert case.view.next_due is not None
    clock.advance(days=(case.view.next_due - clock().date()).days + 3)
    board = DeadlinePanel(work_context(clerk))
    qtbot.addWidget(board)
    qtbot.waitUntil(lambda: board.table.rowCount() == 1, timeout=10_000)
    item = board.table.item(0, 1)
    assert item is not None and item.text() == "超期3天"  # how late, not only that it is late


def test_the_deadline_board_marks_a_deadline_counted_without_its_years_holiday_schedule(
        qtbot: QtBot, sqlite_hall: Hall, clerk: Actor, clock: FakeClock, work_context: Context) -> None:
    from datetime import datetime

    clock.current = datetime(2026, 12, 28, 10, 0)
    case = register_visit(sqlite_hall, clerk, form())  # its 15 days end in 2027, whose schedule is not imported
    assert case.view.next_due is not None and case.view.next_due.year == 2027
    clock.current = datetime(2027, 1, 8, 9, 0)
    board = DeadlinePanel(work_context(clerk))
    qtbot.addWidget(board)
    qtbot.waitUntil(lambda: board.table.rowCount() == 1, timeout=10_000)
    item = board.table.item(0, 0)
    assert item is not None and item.text() == f"{date_in_words(case.view.next_due, year=False)}（未经核实）"


def test_supervisors_and_leaders_get_a_statistics_tab_built_when_opened(qtbot: QtBot, sqlite_hall: Hall,
                                                                        clerk: Actor, work_context: Context) -> None:
    from ui.counter.work import CounterWork
    from ui.desk.cases import WorkTabs
    from ui.leader.work import LeaderWork
    from ui.statistics.panel import StatisticsPanel

    register_visit(sqlite_hall, clerk, form())
    clerks_work = work_for(WindowRole.COUNTER, work_context(clerk))
    qtbot.addWidget(clerks_work)
    assert isinstance(clerks_work, CounterWork) and not isinstance(clerks_work.desk, WorkTabs)  # cases only
    for actor, role in ((Actor("staff:zhaomin", "赵敏", Role.SUPERVISOR), "counter"),
                        (Actor("staff:lijun", "李军", Role.LEADER), "leader")):
        window_work = work_for(WindowRole(role), work_context(actor, role))
        qtbot.addWidget(window_work)
        work = window_work.desk if isinstance(window_work, CounterWork | LeaderWork) else window_work
        assert isinstance(work, WorkTabs) and work.statistics is None
        assert work.findChild(CaseSearchPanel) is not None and work.tabText(1) == "统计"
        work.setCurrentIndex(1)
        panel = work.statistics
        assert isinstance(panel, StatisticsPanel) and work.currentWidget() is panel
        assert work.count() == (6 if role == "counter" else 5)  # 领导包案 at the counter; the leader has it apart
        with qtbot.waitSignal(panel.loaded, timeout=10_000) as loaded:
            pass
        assert loaded.args is not None and loaded.args[0].year == 2026
        work.setCurrentIndex(0)
        assert work.show_statistics() is panel  # built once


def test_a_supervisor_at_the_counter_starts_on_the_cases_and_the_form_says_why_it_is_closed(
        qtbot: QtBot, work_context: Context) -> None:
    from ui.counter.work import CounterWork

    work = work_for(WindowRole.COUNTER, work_context(Actor("staff:zhaomin", "赵敏", Role.SUPERVISOR), "counter"))
    qtbot.addWidget(work)
    assert isinstance(work, CounterWork) and work.currentWidget() is work.desk
    form = work.registration
    assert not form.save_button.isEnabled() and not form.form_scroll.isEnabled()
    assert "没有登记来访的权限" in form.message.text() and "权限，不能" not in form.message.text()


def test_the_title_strips_clock_writes_the_date_as_people_do(qtbot: QtBot) -> None:
    """12月6日, not 12月06日: the clock of every window's title strip, on a single-digit day and month."""
    from datetime import datetime

    from ui.common.widgets import Header

    header = Header("浦江县信访局", "接待窗口", now=lambda: datetime(2027, 3, 6, 8, 5, 9))
    qtbot.addWidget(header)
    assert header.clock.text() == "2027年3月6日 星期六 08:05:09"


@pytest.mark.parametrize("zone", ["UTC", "America/Los_Angeles"])
def test_the_title_strips_clock_keeps_chinas_time_whatever_the_pcs_zone(qtbot: QtBot, zone: str) -> None:
    """The evening of 12月6日 in UTC and in California is already 12月7日 (Monday) in China."""
    from tests.chinaclock import AFTER_CHINA_MIDNIGHT, machine
    from ui.common.widgets import Header

    with machine(zone, AFTER_CHINA_MIDNIGHT):
        header = Header("浦江县信访局", "接待窗口")
        qtbot.addWidget(header)
        assert header.clock.text() == "2026年12月7日 星期一 01:30:00"
