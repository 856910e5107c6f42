"""Screenshots of every screen, for reviewing them as a user sees them.

Builds a throwaway demo database (``demo-data``) with its demo accounts in a
temporary directory, unless ``--db`` names one, and never touches this PC's own
settings. Runs itself under ``xvfb-run`` when there is no display:

    .venv/bin/python scripts/screenshots.py --out /tmp/shots [--cases 300] [--db demo.db]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path
from typing import Any

SIZES = {"landscape": (1920, 1080), "portrait": (1080, 1920)}
COUNTER_SIZES = {"1920x1080": (1920, 1080), "1366x768": (1366, 768)}
STAFF_SIZE = (1600, 900)


def _rerun_under_xvfb() -> None:
    if os.environ.get("DISPLAY") or os.environ.get("QT_QPA_PLATFORM") or not shutil.which("xvfb-run"):
        return
    command = ["xvfb-run", "-a", "-s", "-screen 0 1920x1920x24", sys.executable, *sys.argv]
    raise SystemExit(subprocess.call(command))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", help="an existing database (default: a new demo database)")
    parser.add_argument("--cases", type=int, default=300)
    parser.add_argument("--out", default="/tmp/shots")
    parser.add_argument("--query", default="王")
    args = parser.parse_args()
    _rerun_under_xvfb()
    work = Path(tempfile.mkdtemp(prefix="ph-shots-"))
    os.environ.setdefault("PH_CONFIG_DIR", str(work / "config"))
    os.environ.setdefault("PH_DATA_DIR", str(work / "data"))
    os.environ.setdefault("PH_QUEUE_WINDOW", "3")  # the counters shown are window 3 of the hall queue
    db = Path(args.db) if args.db else work / "demo.db"
    if not args.db:
        subprocess.run([sys.executable, "-m", "desktop", "demo-data", "--cases", str(args.cases),
                        "--db", str(db)], check=True)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    take_screenshots(db, out, args.query, work)
    print(f"saved to {out}")


def take_screenshots(db: Path, out: Path, query: str, scratch: Path) -> None:
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow

    from desktop.app import build_window
    from desktop.config import load_settings
    from desktop.devices.simulated import demo_cards
    from desktop.domain.queue import QueueAction
    from desktop.installation import open_hall
    from desktop.services import accounts
    from ui.admin.work import AdminTabs
    from ui.counter.work import CounterWork
    from ui.desk.cases import CaseDesk, WorkTabs
    from ui.kiosk.progress import ProgressQueryPanel
    from ui.shell.staff import StaffWindow
    from ui.shell.theme import apply_theme

    settings = load_settings()
    hall = open_hall(settings, db)
    if not accounts.has_accounts(hall):
        accounts.create_demo_accounts(hall)
    logins = {role.value: login for login, _name, role in accounts.DEMO_ACCOUNTS}
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    from ui.shell.collector import GuiThreadCollector

    collector = GuiThreadCollector(app)  # as the program does: cycles holding Qt objects freed on this thread

    def settle(ms: int = 300) -> None:
        # A loop of its own: quitting the application's loop would ask every window to close.
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    def save(window: QMainWindow, name: str) -> None:
        settle()
        window.grab().save(str(out / f"{name}.png"))
        print(f"  {name}.png")

    def after(signal: Any, start: Callable[[], object]) -> None:
        """Start something and wait (at most 10 s) for ``signal``: the screens work off the GUI thread."""
        loop = QEventLoop()
        signal.connect(loop.quit)
        QTimer.singleShot(10_000, loop.quit)
        start()
        loop.exec()
        signal.disconnect(loop.quit)

    def submitted(page: Any) -> None:
        """Submit a sign-in/unlock page and wait for its off-thread check to finish."""
        loop = QEventLoop()
        page.tasks.settled.connect(loop.quit)
        page.submit()
        while page.tasks.busy:
            loop.exec()
        page.tasks.settled.disconnect(loop.quit)

    def staff(role: str, login: str | None, then: Callable[[StaffWindow], None] | None = None) -> StaffWindow:
        apply_theme(app, role)
        window = build_window(hall, role)
        assert isinstance(window, StaffWindow)
        window.resize(*STAFF_SIZE)
        window.show()
        settle(100)
        if login is not None:
            window.sign_in_page.login.setText(login)
            window.sign_in_page.password.setText(accounts.DEMO_PASSWORD)
            submitted(window.sign_in_page)
        if then is not None:
            then(window)
        return window

    # sign-in page, empty and after a wrong password
    window = staff("counter", None)
    save(window, "01-signin")
    window.sign_in_page.login.setText(logins["clerk"])
    window.sign_in_page.password.setText("Wrong#2026x")
    submitted(window.sign_in_page)
    save(window, "02-signin-wrong-password")
    window.close()

    # the counter's registration at both staff screen sizes: empty, from the card with the history, saved
    for size_name, size in COUNTER_SIZES.items():
        window = staff("counter", logins["clerk"])
        window.resize(*size)
        work = window.work
        assert isinstance(work, CounterWork), window.sign_in_page.message.text()
        registration = work.registration
        if registration.tasks.busy:
            after(registration.ready, lambda: None)
        save(window, f"20-counter-registration-{size_name}")
        known = _known_person(hall)
        card = demo_cards(0)[0]
        registration.fill_from_card(card if known is None else known)
        registration.phone.setText("13857912345")
        registration.persons_count.setValue(6)
        for seq in range(1, 4):
            registration.representatives.add(f"代表{seq}", card.id_number)
        registration.request.setPlainText("反映本村土地征收补偿款至今未发放到位，要求尽快发放")
        after(registration.history_shown, registration._history_timer.start)
        save(window, f"21-counter-registration-filled-{size_name}")
        registration.representatives.set_values([])
        registration.persons_count.setValue(1)
        after(registration.receipt_printed, registration.save)
        save(window, f"22-counter-registered-{size_name}")
        search = work.search
        after(search.detail_shown, registration.open_button.click)
        save(window, f"23-counter-case-{size_name}")
        desk = work.desk.findChild(CaseDesk)
        assert desk is not None
        desk.steps.open_by_key("classify")
        settle(600)
        dialog = desk.steps.dialog
        if dialog is not None:
            dialog.grab().save(str(out / f"24-counter-classify-dialog-{size_name}.png"))
            print(f"  24-counter-classify-dialog-{size_name}.png")
            dialog.reject()
        window.close()

    # the counter's queue controls (window 3): a visitor who took a number with an ID card is called,
    # with the earlier cases on screen before the visitor sits down
    _queue_tickets(hall)
    for size_name, size in COUNTER_SIZES.items():
        window = staff("counter", logins["clerk"])
        window.resize(*size)
        work = window.work
        assert isinstance(work, CounterWork) and work.queue is not None, window.sign_in_page.message.text()
        bar = work.queue
        if bar.view is None:
            after(bar.refreshed, lambda: None)
        if bar.view is not None and bar.view.current is None:
            after(bar.refreshed, bar.buttons[QueueAction.CALL].click)
        save(window, f"25-counter-queue-{size_name}")
        window.close()
    # the leader's 排队统计 (a ticket served at window 1 first)
    _serve_one(hall)
    window = staff("leader", logins["leader"])
    window.resize(*COUNTER_SIZES["1366x768"])
    tabs = window.work
    if isinstance(tabs, WorkTabs):
        after(tabs.queue_statistics.refreshed, lambda: tabs.setCurrentWidget(tabs.queue_statistics))
        save(window, "26-leader-queue-statistics-1366x768")
    window.close()

    # the counter after sign-in: a case selected (masked), then revealed
    window = staff("counter", logins["clerk"])
    counter_work = window.work
    assert isinstance(counter_work, CounterWork), window.sign_in_page.message.text()
    counter_work.setCurrentWidget(counter_work.desk)
    panel = counter_work.search
    panel.query.setText(query)
    after(panel.searched, panel.run_search)
    after(panel.detail_shown, lambda: panel.table.setCurrentCell(0, 0))
    save(window, "03-counter-masked")
    panel.reveal_reason.setText("核对来访人身份")
    after(panel.revealed, panel.reveal)
    save(window, "04-counter-revealed")
    window.lock(idle=True)
    save(window, "05-idle-lock")
    window.lock_page.password.setText("Wrong#2026x")
    submitted(window.lock_page)
    save(window, "06-idle-lock-wrong-password")
    window.close()

    window = staff("leader", logins["leader"])
    save(window, "07-leader")
    window.close()
    leader_day(hall, out, staff, save, after, settle, logins)
    walk_in(hall, staff, save, after, logins["clerk"])

    # administration: accounts (with the create dialog) and the verified audit log
    window = staff("admin", logins["admin"])
    tabs = window.work
    assert isinstance(tabs, AdminTabs) and tabs.accounts is not None and tabs.audit is not None
    tabs.show_tab(tabs.accounts)
    save(window, "08-admin-accounts")
    if getattr(tabs, "devices", None) is not None:
        window.resize(1366, 768)
        tabs.show_tab(tabs.devices)
        save(window, "08b-admin-devices-1366x768")
        window.resize(*STAFF_SIZE)
    window_types = getattr(tabs, "window_types", None)
    if window_types is not None:
        window.resize(1366, 768)
        tabs.show_tab(window_types)
        window_types.table.selectRow(1)
        save(window, "08c-admin-window-types-1366x768")
        window.resize(*STAFF_SIZE)
    dialog = tabs.accounts.open_create_dialog()
    dialog.login.setText("liuyang")
    dialog.display_name.setText("刘洋")
    dialog.password.generate.click()
    settle()
    dialog.grab().save(str(out / "09-admin-create-account.png"))
    print("  09-admin-create-account.png")
    dialog.reject()
    tabs.show_tab(tabs.audit)
    after(tabs.audit.verified, tabs.audit.verify)
    save(window, "10-admin-audit")
    window.close()

    # first start with no accounts, and a forced password change, on a fresh database
    fresh = open_hall(settings, scratch / "fresh.db")
    apply_theme(app, "admin")
    first = build_window(fresh, "admin")
    first.resize(*STAFF_SIZE)
    first.show()
    save(first, "11-first-admin")
    first.close()
    accounts.create_first_admin(fresh, login="guanli", display_name="孙涛", password="Xitong#2026x")
    admin = accounts.sign_in(fresh, "guanli", "Xitong#2026x").actor
    accounts.create_account(fresh, admin, login="liuyang", display_name="刘洋", role="clerk",
                            initial_password="Chushi#2026x")
    apply_theme(app, "counter")
    change = build_window(fresh, "counter")
    assert isinstance(change, StaffWindow)
    change.resize(*STAFF_SIZE)
    change.show()
    change.sign_in_page.login.setText("liuyang")
    change.sign_in_page.password.setText("Chushi#2026x")
    submitted(change.sign_in_page)
    change.change_page.new.setText("xinfang")
    save(change, "12-change-password")
    change.close()
    fresh.engine.dispose()

    for role in ("kiosk", "display"):
        apply_theme(app, role)
        for name, (width, height) in SIZES.items():
            device = build_window(hall, role)
            device.resize(width, height)
            device.show()
            save(device, f"13-{role}-{name}")
            if role == "kiosk" and name == "portrait":
                body = device.body
                assert isinstance(body, ProgressQueryPanel)
                body.number.setText("XF-20261124-K01-00012-7")
                body.code.setText("12345678")
                after(body.tasks.settled, body.query_progress)
                save(device, "14-kiosk-portrait-wrong-code")
            device.close()
    collector.stop()
    hall.engine.dispose()


def leader_day(hall: Any, out: Path, staff: Callable[..., Any], save: Callable[[Any, str], None],
               after: Callable[[Any, Callable[[], object]], None], settle: Callable[..., None],
               logins: dict[str, str]) -> None:
    """The leader reception day's screens at 1920×1080, on a day scheduled today with three visitors."""
    from PySide6.QtWidgets import QMainWindow
    from sqlalchemy import select

    from db.models import CaseRow
    from desktop.domain.access import Actor
    from desktop.domain.errors import RuleViolation
    from desktop.services import reception
    from ui.counter.work import CounterWork
    from ui.kiosk.booking import BookingFlow
    from ui.leader.work import LeaderWork
    from ui.shell.theme import apply_theme

    system = Actor.system("screenshots")
    today = hall.today()
    if not reception.list_days(hall, system, today, today):
        reception.add_day(hall, system, today, leaders=["县长 周建华", "副县长 李明"], topics="劳动保障、征地拆迁",
                          units=["330726-RSJ"])
    reception.generate_schedule(hall, system, today.replace(day=1), 3, leaders=["县长 周建华"])
    (day,) = reception.list_days(hall, system, today, today)
    with hall.sessions() as session:
        people = session.execute(select(CaseRow.petitioner_name, CaseRow.petitioner_id_number, CaseRow.request)
                                 .where(CaseRow.petitioner_id_number != "", CaseRow.state == "办理中")
                                 .limit(3)).all()
    for name, id_number, request in people:
        with suppress(RuleViolation):  # booked already on an earlier run
            reception.book(hall, system, day.day_id, reception.Visitor(name, id_number, "", 1, request[:40]))
    window = staff("leader", logins["leader"])
    window.resize(1920, 1080)
    work = window.work
    assert isinstance(work, LeaderWork), window.sign_in_page.message.text()
    screen = work.day
    settle(800)
    after(screen.opened, lambda: screen.table.selectRow(0))
    save(window, "30-leader-day-1920x1080")
    window.resize(1366, 768)
    save(window, "30b-leader-day-1366x768")
    window.resize(1920, 1080)
    screen.instruction.setPlainText("请县人力社保局牵头，会同属地乡镇一个月内查清欠薪情况，依法督促支付，并向信访人当面反馈。")
    screen.decision.setText("包案化解")
    screen.take_on.setChecked(True)
    screen.unit_box.set_code("330726-RSJ")
    screen.add_chosen_unit()
    save(window, "31-leader-day-decision-1920x1080")
    after(screen.decided, screen.save)
    save(window, "32-leader-day-decided-1920x1080")
    after(screen.document_ready, screen.print_form)
    settle(800)
    if work.preview is not None:
        work.preview.grab().save(str(out / "33-leader-assignment-form.png"))
        print("  33-leader-assignment-form.png")
        work.preview.reject()
    work.setCurrentWidget(work.board)
    save(window, "34-leader-board-1920x1080")
    work.board.tabs.setCurrentIndex(2)
    save(window, "35-leader-statistics-1920x1080")
    work.setCurrentWidget(work.schedule)
    save(window, "36-leader-schedule-1920x1080")
    window.close()
    window = staff("counter", logins["clerk"])
    window.resize(1366, 768)
    counter = window.work
    assert isinstance(counter, CounterWork)
    counter.setCurrentWidget(counter.booking)
    save(window, "37-counter-booking-1366x768")
    window.close()
    apply_theme(_app(), "kiosk")
    for name, size in (("portrait", (1080, 1920)), ("landscape", (1920, 1080))):
        device = build_kiosk_booking(hall, BookingFlow, QMainWindow)
        device.resize(*size)
        device.show()
        settle(800)
        save(device, f"38-kiosk-booking-days-{name}")
        flow = device.centralWidget()
        assert isinstance(flow, BookingFlow)
        if flow.days:
            flow.choose_day(flow.days[0])
            save(device, f"39-kiosk-booking-slots-{name}")
            flow.choose_slot(0)
            save(device, f"40-kiosk-booking-who-{name}")
        device.close()


def _app() -> Any:
    from PySide6.QtWidgets import QApplication

    return QApplication.instance()


def build_kiosk_booking(hall: Any, flow_type: Any, window_type: Any) -> Any:
    """The kiosk's booking flow in a window of its own, as the kiosk's home tile will open it."""
    from desktop.domain.access import Actor
    from desktop.domain.roles import WindowRole
    from ui.shell.context import WindowContext
    from ui.shell.startup import HallSource
    from ui.shell.tasks import TaskManager

    window = window_type()
    source = HallSource.of(hall)
    manager = TaskManager(source, window)
    ctx = WindowContext(source, manager, WindowRole.KIOSK).acting_as(Actor.kiosk(hall.settings.device_code))
    window.setCentralWidget(flow_type(ctx, window))
    return window
def _queue_tickets(hall: Any) -> None:
    """Numbers taken this morning: the first with the ID card of a person who has cases, then a few more."""
    from desktop.domain.queue import TicketSource
    from desktop.services import queue

    known = _known_person(hall)
    queue.issue_ticket(hall, type_code="general", source=TicketSource.KIOSK,
                       id_number=known.id_number if known is not None else None,
                       name=known.name if known is not None else None)
    for code in ("general", "general", "wages", "legal", "general", "leader"):
        queue.issue_ticket(hall, type_code=code, source=TicketSource.KIOSK)


def walk_in(hall: Any, staff: Callable[..., Any], save: Callable[[Any, str], None],
            after: Callable[[Any, Callable[[], object]], None], login: str) -> None:
    """Window 3 calls a 领导接访 number on the reception day and adds the visitor to the leader's list."""
    from desktop.domain.queue import QueueAction, TicketSource
    from desktop.services import queue
    from ui.counter.work import CounterWork

    current = queue.window_view(hall, window=3).current
    if current is not None:
        queue.act(hall, current.ticket_id, QueueAction.FINISH, window=3)
    issued = queue.issue_ticket(hall, type_code="leader", source=TicketSource.KIOSK)
    queue.act(hall, issued.ticket.ticket_id, QueueAction.CALL, window=3)
    window = staff("counter", login)
    window.resize(1366, 768)
    work = window.work
    assert isinstance(work, CounterWork) and work.queue is not None
    bar = work.queue
    if bar.view is None or bar.view.current is None:
        after(bar.refreshed, lambda: None)
    bar.visitor_name.setText("陈国平")
    bar.visitor_id.setText("330726196205084814")
    after(bar.joined, bar.walk_in.click)
    save(window, "25b-counter-queue-walk-in-1366x768")
    window.close()


def _serve_one(hall: Any) -> None:
    from desktop.domain.queue import QueueAction
    from desktop.services import queue

    ticket = queue.call_next(hall, window=1)
    if ticket is not None:
        queue.act(hall, ticket.ticket_id, QueueAction.START, window=1)
        queue.act(hall, ticket.ticket_id, QueueAction.FINISH, window=1)


def _known_person(hall: Any) -> Any:
    """A person of the demo database as a card (so the history beside the form has something to show)."""
    from sqlalchemy import select

    from db.models import CasePersonRow
    from desktop.devices.idcard import make_card

    with hall.sessions() as session:
        row = session.execute(select(CasePersonRow.name, CasePersonRow.id_number)
                              .where(CasePersonRow.id_number.like("33%")).limit(1)).first()
    if row is None:
        return None
    try:
        return make_card(name=row[0], id_number=row[1], sex="", ethnicity="汉", address="浙江省浦江县浦阳街道")
    except Exception:
        return None


if __name__ == "__main__":
    main()
