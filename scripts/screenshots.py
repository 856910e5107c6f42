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
from datetime import date
from pathlib import Path
from types import SimpleNamespace
from typing import Any

SIZES = {"landscape": (1920, 1080), "portrait": (1080, 1920)}
COUNTER_SIZES = {"1920x1080": (1920, 1080), "1366x768": (1366, 768)}
STAFF_SIZE = (1600, 900)


def _rerun_under_xvfb(screen: str = "1920x1920") -> None:
    if os.environ.get("DISPLAY") or os.environ.get("QT_QPA_PLATFORM") or not shutil.which("xvfb-run"):
        return
    command = ["xvfb-run", "-a", "-s", f"-screen 0 {screen}x24", sys.executable, *sys.argv]
    raise SystemExit(subprocess.call(command))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", help="an existing database (default: a new demo database)")
    parser.add_argument("--cases", type=int, default=300)
    parser.add_argument("--out", default="/tmp/shots")
    parser.add_argument("--query", default="王")
    parser.add_argument("--only", choices=("all", "kiosk", "kiosk-reader", "kiosk-keyboard", "supervisor",
                                           "admin-server", "admin-local", "display",
                                           "hallday", "routing", "materials", "counter-case", "counter-prints",
                                           "counter-firsts"),
                        default="all", help="admin-local: the administration desk of a PC without a server "
                        "(accounts with a lock, a refused password, window types, the kiosk PIN, failed sign-ins in "
                        "the audit log); kiosk: the kiosk only; kiosk-keyboard: the kiosk with its on-screen "
                        "keyboard up; display: the call display on a busy day; hallday: the hall's opening hours, "
                        "reception days removed, the guide's time limits, voice off on the display, the materials "
                        "opened from 今日接访; "
                        "routing: the counter's 转送 and 交办 dialogs (a transfer made on paper, a 交办期限 on a "
                        "rest day) and a rare-character name found; materials: a case's photo and scanned letter "
                        "opened from the case, and one not yet on the server; counter-case: a case with a letter-long "
                        "request, a transfer, a 批示 and a 包案 at the counter, the history beside 登记 before the "
                        "request is typed, a name without an ID number at 发号, the 转送 dialog and the 分类 dialog "
                        "with zf typed; counter-prints: "
                        "the counter's 待补打 / 打印记录 with the receipts the hall's kiosks could not print; "
                        "counter-firsts: what a new clerk meets: a case registered by phone (问题属地, 住址, 办理… "
                        "before 分类, its first registration receipt), the end of an ID number that is also a "
                        "serial, a priority ticket called, a PC without a window number, 设置本机窗口号 and the strip "
                        "once set, 关联信访事项 on a booking")
    args = parser.parse_args()
    if args.only == "kiosk-keyboard" and not os.environ.get("DISPLAY") and shutil.which("xvfb-run"):
        # the on-screen keyboard docks at the bottom of the screen: a screen the kiosk's size, each orientation
        for screen in ("1920x1080", "1080x1920"):
            command = ["xvfb-run", "-a", "-s", f"-screen 0 {screen}x24", sys.executable, *sys.argv]
            if subprocess.call(command):
                raise SystemExit(1)
        return
    _rerun_under_xvfb()
    work = Path(tempfile.mkdtemp(prefix="ph-shots-"))
    os.environ.setdefault("PH_CONFIG_DIR", str(work / "config"))
    os.environ.setdefault("PH_DATA_DIR", str(work / "data"))
    # The display speaks through Qt's test engine here, never this PC's (it has no Chinese voice: English).
    os.environ.setdefault("PH_VOICE_ENGINE", "mock")
    os.environ.setdefault("PH_VOICE_LOCALE", "en_GB")
    os.environ.setdefault("PH_QUEUE_WINDOW", "3")  # the counters shown are window 3 of the hall queue
    # numbers are taken whatever the hour the screenshots are made at (the hours' own screens: --only hallday)
    os.environ.setdefault("PH_HALL_HOURS", "")
    db = Path(args.db) if args.db else work / "demo.db"
    if not args.db:
        subprocess.run([sys.executable, "-m", "desktop", "demo-data", "--cases", str(args.cases),
                        "--db", str(db)], check=True)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    if args.only == "kiosk":
        kiosk_screenshots(db, out)
    elif args.only == "kiosk-reader":
        kiosk_reader_screenshots(db, out)
    elif args.only == "kiosk-keyboard":
        kiosk_keyboard_screenshot(db, out)
    elif args.only == "supervisor":
        supervisor_screenshots(db, out)
    elif args.only == "admin-server":
        admin_server_screenshots(db, out)
    elif args.only == "admin-local":
        admin_local_screenshots(db, out)
    elif args.only == "display":
        display_screenshots(db, out)
    elif args.only == "hallday":
        hallday_screenshots(db, out)
    elif args.only == "routing":
        routing_screenshots(db, out)
    elif args.only == "materials":
        materials_screenshots(db, out)
    elif args.only == "counter-case":
        counter_case_screenshots(db, out)
    elif args.only == "counter-prints":
        counter_prints_screenshots(db, out)
    elif args.only == "counter-firsts":
        counter_firsts_screenshots(db, out)
    else:
        take_screenshots(db, out, args.query, work)
    print(f"saved to {out}")


def settle(ms: int = 300) -> None:
    """Let Qt work for ``ms``, in a loop of its own (quitting the application's loop would ask every window
    to close)."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def _counter_desk(hall: Any) -> tuple[Any, Any, Any]:
    """The counter's window signed in as chuangkou1, its work and its case desk (the counter's theme applied)."""
    from PySide6.QtWidgets import QApplication

    from desktop.app import apply_role_theme
    from ui.counter.work import CounterWork
    from ui.desk.cases import CaseDesk

    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    apply_role_theme(app, "counter")
    window = signed_in(hall, "counter", "chuangkou1")
    work = window.work
    assert isinstance(work, CounterWork)
    desk = work.desk.findChild(CaseDesk)
    assert desk is not None
    return window, work, desk


def _grabber(out: Path, wait_ms: int) -> Callable[[Any, str], None]:
    """Saves a widget's picture as NAME.png in ``out`` once the screen had ``wait_ms`` to settle."""
    def shot(widget: Any, name: str) -> None:
        settle(wait_ms)
        widget.grab().save(str(out / f"{name}.png"))
        print(f"  {name}.png")

    return shot


def _grab_with_popups(window: Any, *above: Any) -> Any:
    """The window with the dialogs and pop-up lists ``above`` it painted where they stand on the screen (a grab
    of the window alone leaves them out); the picture grows to hold a list that hangs below the window."""
    from PySide6.QtCore import QPoint
    from PySide6.QtGui import QPainter, QPixmap
    from PySide6.QtWidgets import QWidget

    origin = window.mapToGlobal(QPoint(0, 0))
    shown = [w for w in above if isinstance(w, QWidget) and w.isVisible()]
    area = window.rect()
    for widget in shown:
        area = area.united(widget.rect().translated(widget.mapToGlobal(QPoint(0, 0)) - origin))
    picture = QPixmap(area.size())
    picture.fill(window.palette().window().color())
    painter = QPainter(picture)
    painter.drawPixmap(-area.topLeft(), window.grab())
    for widget in shown:
        painter.drawPixmap(widget.mapToGlobal(QPoint(0, 0)) - origin - area.topLeft(), widget.grab())
    painter.end()
    return picture


def after(signal: Any, start: Callable[[], object], timeout_ms: int = 10_000) -> None:
    """Start something and wait (at most ``timeout_ms``) for ``signal``: the screens work off the GUI thread."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    signal.connect(loop.quit)
    QTimer.singleShot(timeout_ms, loop.quit)
    start()
    loop.exec()
    signal.disconnect(loop.quit)


def signed_in(hall: Any, role: str, login: str) -> Any:
    """A staff window of ``role`` at 1366×768, ``login`` signed in with the demo password (its work page shown)."""
    from desktop.app import build_window
    from desktop.services.accounts import DEMO_PASSWORD
    from ui.shell.staff import StaffWindow

    window = build_window(hall, role)
    assert isinstance(window, StaffWindow)
    window.resize(1366, 768)
    window.show()
    settle(200)
    window.sign_in_page.login.setText(login)
    window.sign_in_page.password.setText(DEMO_PASSWORD)
    window.sign_in_page.submit()
    for _ in range(100):
        if window.work is not None:
            break
        settle(100)
    return window


def take_screenshots(db: Path, out: Path, query: str, scratch: Path) -> None:
    from PySide6.QtCore import QEventLoop
    from PySide6.QtWidgets import QApplication, QMainWindow

    from desktop.app import apply_role_theme as apply_theme
    from desktop.app import build_window
    from desktop.config import load_settings
    from desktop.devices.simulated import demo_cards
    from desktop.domain.queue import QueueAction
    from desktop.installation import open_hall
    from desktop.services import accounts
    from ui.admin.work import AdminTabs
    from ui.counter.work import CounterWork
    from ui.desk.cases import CaseDesk, WorkTabs
    from ui.shell.staff import StaffWindow

    settings = load_settings()
    hall = open_hall(settings, db)
    if not accounts.has_accounts(hall):
        accounts.create_demo_accounts(hall)
    logins = {role.value: login for login, _name, role in accounts.DEMO_ACCOUNTS}
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    from ui.shell.collector import GuiThreadCollector

    collector = GuiThreadCollector(app)  # as the program does: cycles holding Qt objects freed on this thread


    def save(window: QMainWindow, name: str) -> None:
        settle()
        window.grab().save(str(out / f"{name}.png"))
        print(f"  {name}.png")


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
        if size_name == "1366x768" and bar.view is not None and bar.view.current is not None:
            # 办结 the visitor without a registration: the line about them under the form goes
            after(bar.refreshed, bar.buttons[QueueAction.FINISH].click)
            save(window, "25c-counter-queue-finished-1366x768")
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
    organisations = getattr(tabs, "organisations", None)
    if organisations is not None:  # this desk's own directory (no server): no password asked
        window.resize(1366, 768)
        tabs.show_tab(organisations)
        settle(600)
        organisations.table.selectRow(9)
        save(window, "08d-admin-organisations-1366x768")
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
            device.close()
    _call_display(hall, settings, out, save, after)
    collector.stop()
    hall.engine.dispose()
    kiosk_screenshots(db, out)
    supervisor_screenshots(db, out)


def _answered_case(hall: Any) -> tuple[str, str]:
    """A case answered and delivered today (so it can be rated), with its query code."""
    from desktop.domain.access import Actor, Role
    from desktop.domain.events import EventType
    from desktop.services import cases
    from desktop.services.registration import PersonInput, RegistrationForm, register_visit

    clerk = Actor("staff:shots", "截图", Role.CLERK)
    person = PersonInput(name="欧阳建国", document_number="330726196803121232", phone="13857912345")
    result = register_visit(hall, clerk, RegistrationForm(
        petitioner=person, request="反映小区物业长期不履行电梯维修义务，要求尽快维修", region_code="330726001"))
    ref, today = result.case_number, hall.today()
    cases.classify(hall, clerk, ref, nature="申诉求决类", topic_code="0101")
    cases.record(hall, clerk, ref, EventType.TRANSFERRED, {"route_kind": "转送", "organisation_code": "330726-ZJJ"})
    cases.accept(hall, clerk, ref, accepted_on=today)
    cases.answer(hall, clerk, ref, outcome="不予支持", answered_on=today)
    cases.deliver(hall, clerk, ref, delivered_on=today)
    return ref, result.query_code


def _refused_case(hall: Any) -> tuple[str, str]:
    """A case not accepted, with the reason and the route the clerk recorded, and its query code."""
    from desktop.domain.access import Actor, Role
    from desktop.domain.events import EventType
    from desktop.services import cases
    from desktop.services.registration import PersonInput, RegistrationForm, register_visit

    clerk = Actor("staff:shots", "截图", Role.CLERK)
    person = PersonInput(name="欧阳秀英", document_number="330726196803121240", phone="13857912346")
    result = register_visit(hall, clerk, RegistrationForm(
        petitioner=person, request="要求法院撤销判决，重新审理", region_code="330726001"))
    cases.record(hall, clerk, result.case_number, EventType.NOT_ACCEPTED, {
        "reason": "该事项属于人民法院已经审理的民事纠纷，依法应当通过诉讼程序解决",
        "channel": "向金华市中级人民法院申请再审"})
    return result.case_number, result.query_code


def _transferred_cases(hall: Any) -> str:
    """Two cases waiting on the unit they were transferred to (the deadline board): one transferred in time
    8 days ago, received 20 days ago (the bureau's 15 days have passed, the unit's have not), one transferred
    2 days late. Returns the late one's number."""
    from datetime import timedelta

    from desktop.domain.access import Actor, Role
    from desktop.domain.chinatime import epoch_ms
    from desktop.domain.events import EventType
    from desktop.services import cases
    from desktop.services.registration import PersonInput, RegistrationForm, register_visit

    clerk = Actor("staff:shots", "截图", Role.CLERK)
    now, wall_ms = hall.now, hall.wall_ms
    try:
        for name, id_number, received, routed in (("司马红梅", "330726197104153328", 20, 8),
                                                   ("诸葛明亮", "330726196512013311", 32, 15)):
            at = now() - timedelta(days=received)
            hall.now, hall.wall_ms = (lambda at=at: at), (lambda at=at: epoch_ms(at))
            ref = register_visit(hall, clerk, RegistrationForm(
                petitioner=PersonInput(name=name, document_number=id_number), region_code="330726001",
                request="反映小区物业长期不履行电梯维修义务，要求尽快维修")).case_number
            cases.classify(hall, clerk, ref, nature="申诉求决类", topic_code="0101")
            at = now() - timedelta(days=routed)
            hall.now, hall.wall_ms = (lambda at=at: at), (lambda at=at: epoch_ms(at))
            cases.record(hall, clerk, ref, EventType.TRANSFERRED, {"route_kind": "转送",
                                                                   "organisation_code": "330726-ZJJ"})
    finally:
        hall.now, hall.wall_ms = now, wall_ms
    return str(ref)


def _transferred_receipt(hall: Any) -> tuple[str, str]:
    """A case received 20 days ago and transferred only today (late): its number and query code, for the
    kiosk's progress of a case waiting on the unit it went to."""
    from datetime import timedelta

    from desktop.domain.access import Actor, Role
    from desktop.domain.chinatime import epoch_ms
    from desktop.domain.events import EventType
    from desktop.services import cases
    from desktop.services.registration import PersonInput, RegistrationForm, register_visit

    clerk = Actor("staff:shots", "截图", Role.CLERK)
    now, wall_ms = hall.now, hall.wall_ms
    at = now() - timedelta(days=20)
    try:
        hall.now, hall.wall_ms = (lambda: at), (lambda: epoch_ms(at))
        result = register_visit(hall, clerk, RegistrationForm(
            petitioner=PersonInput(name="赵孟𫖯", document_number="330726195403150013"), region_code="330726001",
            request="反映村口道路塌陷三个月无人修复，要求尽快修复"))
        cases.classify(hall, clerk, result.case_number, nature="申诉求决类", topic_code="0101")
    finally:
        hall.now, hall.wall_ms = now, wall_ms
    cases.record(hall, clerk, result.case_number, EventType.TRANSFERRED,
                 {"route_kind": "转送", "organisation_code": "330726-ZJJ"})
    return result.case_number, result.query_code


def _reception_days(hall: Any) -> None:
    """Leader reception days from today on (the kiosk's 预约领导接访 has days to show)."""
    from desktop.domain.access import Actor
    from desktop.services import reception

    system = Actor.system("screenshots")
    today = hall.today()
    if not reception.list_days(hall, system, today, today):
        reception.add_day(hall, system, today, leaders=["县长 周建华", "副县长 李明"], topics="劳动保障、征地拆迁",
                          units=["330726-RSJ"])
    reception.generate_schedule(hall, system, today.replace(day=1), 3, leaders=["县长 周建华"])


def camera_shot(body: Any, save: Callable[[str], None], wipe: Callable[[], None]) -> None:
    """查询进度 on a kiosk with a camera (a simulated one, showing a photo of a receipt from another site): the view
    beside the fields, and the code it read refused in words."""
    from dataclasses import replace

    from PIL import Image
    from PySide6.QtCore import QEventLoop, QTimer

    from desktop.devices.camera import SimulatedCamera
    from desktop.documents.model import DocumentKind
    from desktop.documents.render import render
    from desktop.printing.raster import receipt_image
    from desktop.selftest import SAMPLE_RECEIPT
    from ui.kiosk.progress import ProgressFlow
    from ui.kiosk.register import RegistrationFlow

    folder = Path(tempfile.mkdtemp(prefix="shots-camera-"))
    strip = receipt_image(render(DocumentKind.REGISTRATION_RECEIPT,
                                 {**SAMPLE_RECEIPT, "lookup_url": "https://shop.example.com"}).pdf).convert("L")
    photo = Image.new("L", (1280, 720), 90)
    paper = strip.resize((strip.width * 2 // 3, strip.height * 2 // 3)).rotate(-6, expand=True, fillcolor=90)
    photo.paste(paper, ((photo.width - paper.width) // 2, (photo.height - paper.height) // 2))
    photo.save(folder / "held-up.png")
    hall = body.ctx.source.hall
    kept = hall.settings
    hall.settings = replace(kept, camera=f"sim:{folder / 'held-up.png'}")
    try:
        wipe()
        flow = body.open_flow("progress")
        assert isinstance(flow, ProgressFlow) and flow.camera is not None
        loop = QEventLoop()
        QTimer.singleShot(10_000, loop.quit)
        timer = QTimer()

        def refused() -> None:
            if "二维码" in flow.error.text():
                loop.quit()

        timer.timeout.connect(refused)
        timer.start(50)
        loop.exec()
        timer.stop()
        assert isinstance(flow.camera.source, SimulatedCamera)
        save("04c-progress-camera-foreign-code")
        wipe()
        register = body.open_flow("register")
        assert isinstance(register, RegistrationFlow) and register.photos is not None
        register.name.setText("赵春花")
        register.id_number.setText("330726196803121232")
        register.forward()
        while len(register.where_buttons) <= 1:
            loop.processEvents()
        next(iter(register.where_buttons.values())).click()
        register.forward()
        register.request.setPlainText("村口道路塌陷半年无人修，请求尽快修复")
        register.forward()
        register.forward()
        assert register.step == 4, (register.step, register.message.text())
        while register.photos.camera.snapshot() is None:
            loop.processEvents()
        register.photos.take()
        register.photos.take()
        save("15b-register-5-materials-camera")
    finally:
        wipe()
        hall.settings = kept


def kiosk_screenshots(db: Path, out: Path) -> None:
    """Every kiosk screen in both orientations, and the large-text and high-contrast modes."""
    from PySide6.QtCore import QEventLoop, Qt, QTimer
    from PySide6.QtWidgets import QApplication

    from desktop.app import apply_role_theme as apply_theme
    from desktop.app import build_window
    from desktop.config import load_settings
    from desktop.installation import open_hall
    from ui.kiosk.booking import BookingFlow
    from ui.kiosk.progress import ProgressFlow
    from ui.kiosk.register import RegistrationFlow
    from ui.kiosk.shell import KioskShell
    from ui.kiosk.shell import _ring as ring
    from ui.kiosk.suggest import SuggestionFlow
    from ui.kiosk.ticket import TicketFlow

    os.environ["PH_PRINTER_RECEIPTS"] = f"pdf:{tempfile.mkdtemp(prefix='shots-receipts-')}"
    hall = open_hall(load_settings(), db)
    number, code = _answered_case(hall)
    transferred = _transferred_receipt(hall)
    _reception_days(hall)
    _full_reception_day(hall)
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    apply_theme(app, "kiosk")


    def wait_settled(flow: ProgressFlow) -> None:
        loop = QEventLoop()
        flow.tasks.settled.connect(loop.quit)
        QTimer.singleShot(10_000, loop.quit)
        while flow.tasks.busy:
            loop.exec()
        flow.tasks.settled.disconnect(loop.quit)
        settle()

    #: the two orientations, and portrait again with 大字 and 高对比 on all the way through
    walks = {**{name: (size, False) for name, size in SIZES.items()},
             "portrait-large-contrast": (SIZES["portrait"], True)}
    for orientation, ((width, height), strong) in walks.items():
        window = build_window(hall, "kiosk")
        body = window.body  # type: ignore[union-attr]
        assert isinstance(body, KioskShell)
        window.resize(width, height)
        window.show()

        def save(name: str, window: Any = window, orientation: str = orientation) -> None:
            settle()
            window.grab().save(str(out / f"20-kiosk-{orientation}-{name}.png"))
            print(f"  20-kiosk-{orientation}-{name}.png")

        def wipe(body: KioskShell = body, strong: bool = strong) -> None:
            body.wipe()
            body.large_button.setChecked(strong)
            body.contrast_button.setChecked(strong)

        wipe()
        save("01-home")
        body.large_button.setChecked(True)
        save("02-home-large")
        body.contrast_button.setChecked(True)
        save("03-home-large-contrast")
        wipe()
        # a physical keyboard's focus on a tile (Tab), in the normal look and in high contrast
        # (the window of a screen with no window manager is never active: the ring is put on as Tab puts it)
        body.tile_buttons["progress"].setFocus(Qt.FocusReason.TabFocusReason)
        ring(body.tile_buttons["progress"], True)
        save("03b-home-tile-focused")
        body.contrast_button.setChecked(True)
        save("03c-home-tile-focused-contrast")
        ring(body.tile_buttons["progress"], False)
        wipe()
        flow = body.open_flow("progress")
        assert isinstance(flow, ProgressFlow)
        save("04-progress-entry")
        # another code scanned into 案件编号: refused at once in the home screen's words, the field left empty
        flow.number.setFocus()
        body._take_scan("https://u.wechat.com/EKx3abcDEF?scene=1", refuse=True)
        save("04a-progress-foreign-scan")
        # a scan while 返回首页's question is up: the question stays, unanswered, and says why nothing opened
        flow = body.open_flow("register")
        flow.name.setText("王秀英")  # type: ignore[attr-defined]
        body.ask_home()
        body._take_scan("https://u.wechat.com/EKx3abcDEF?scene=1", refuse=True)
        save("04b-question-foreign-scan")
        wipe()
        flow = body.open_flow("progress")
        assert isinstance(flow, ProgressFlow)
        flow.number.setText(number)
        flow.code.setText("12345678")
        flow.query_progress()
        wait_settled(flow)
        save("05-progress-wrong-code")
        flow.code.setText(code)
        flow.query_progress()
        wait_settled(flow)
        save("06-progress-result")
        body.large_button.setChecked(True)
        save("07-progress-result-large")
        body.large_button.setChecked(strong)
        flow.number.setText(transferred[0])
        flow.code.setText(transferred[1])
        flow.query_progress()
        wait_settled(flow)
        save("07b-progress-transferred")
        refused_number, refused_code = _refused_case(hall)
        flow.number.setText(refused_number)
        flow.code.setText(refused_code)
        flow.query_progress()
        wait_settled(flow)
        save("07c-progress-not-accepted")
        flow.ask_again()
        flow.number.setText(refused_number)
        for wrong in ("11111111", "22222222"):  # a third wrong code: 还可以再试N次
            flow.code.setText(wrong)
            flow.query_progress()
            wait_settled(flow)
        save("07d-progress-wrong-code-tries-left")
        camera_shot(body, save, wipe)
        flow = body.open_flow("progress")
        assert isinstance(flow, ProgressFlow)
        flow.number.setText(number)
        flow.code.setText(code)
        flow.query_progress()
        wait_settled(flow)
        flow.open_rating()
        flow.choice_buttons["基本满意"].setChecked(True)
        save("08-rating")
        # 不满意 on a case of its own: the thanks say until which day 复查 may be asked for (as the slip prints),
        # and the case asked again says how and when it was rated
        rated_number, rated_code = _answered_case(hall)
        flow.number.setText(rated_number)
        flow.code.setText(rated_code)
        flow.query_progress()
        wait_settled(flow)
        flow.open_rating()
        flow.choice_buttons["不满意"].setChecked(True)
        flow.submit_rating()
        wait_settled(flow)
        settle(1500)  # the slip prints
        save("08b-rated-dissatisfied")
        flow.query_progress()
        wait_settled(flow)
        save("08c-progress-rated")
        body.start_countdown()
        save("09-idle-countdown")
        body.countdown_left = 1
        body._count_down()  # the countdown's end: the wipe, and its words over the home screen
        save("09b-idle-wiped")
        body.overlay.hide()
        body.tell_failure("", "E-1207-0930-1A2B")  # a failure no screen took care of, on the kiosk's card
        save("09c-failure")
        wipe()
        guide = body.open_flow("guide")
        save("10-guide")
        guide.show_topic(3)  # type: ignore[union-attr]
        save("10b-guide-limits")
        body.large_button.setChecked(True)
        body.contrast_button.setChecked(True)
        save("10c-guide-limits-large-contrast")
        body.contrast_button.setChecked(False)
        body.large_button.setChecked(strong)
        wipe()
        for _ in range(5):
            body.corner.click()
        save("11-admin-pin")
        if not hall.settings.kiosk_exit_pin:  # no PIN on this PC yet: the keypad says where one is set
            body.pin_page.field.setText("720415")
            body.pin_page.confirm.click()
            save("11b-admin-pin-none-set")
        wipe()
        register = body.open_flow("register")
        assert isinstance(register, RegistrationFlow)
        save("12-register-1-who")
        register.name.setText("王建国")
        register.id_number.setText("330726195503121235")  # a wrong check digit: said plainly, the field focused
        register.forward()
        save("12a-register-1-id-refused")
        register.id_number.setText("330726550312123")  # an old 15-digit number
        register.forward()
        save("12a2-register-1-id-15")
        register.name.clear()
        register.id_number.clear()
        QApplication.clipboard().setText(("2025年3月起，我家楼上住户长期在夜间发出噪音，多次与其协商无果，"
                                          "也向物业和社区反映过，均未解决。") * 11)
        register.name.paste()
        register.id_number.setText("330726196803121232")
        register.forward()
        save("12b-register-1-name-refused")
        register.name.setText("欧阳春花")
        register.id_number.setText("330726196803121232")
        register.phone.setText("13857912345")
        register.address.setText("浦江县黄宅镇前店村18号")
        register.name.textEdited.emit(register.name.text())  # corrected as typing does: the refusal goes
        save("12c-register-1-who-filled")
        if not strong:  # the walk with 大字 has it on all the way through
            body.large_button.setChecked(True)
            save("12d-register-1-who-filled-large")
            body.large_button.setChecked(False)
        register.id_number.setText("330726196803121235")  # a wrong check digit, then the first backspace
        register.forward()
        register.id_number.end(False)
        register.id_number.backspace()
        save("12e-register-1-id-correcting")
        register.id_number.setText("330726196803121232")
        register.forward()
        loop = QEventLoop()
        QTimer.singleShot(1500, loop.quit)
        while len(register.where_buttons) < 2:
            loop.processEvents()
        next(b for b in register.where_buttons.values() if b.text() == "黄宅镇").click()
        save("13-register-2-where")
        register.forward()
        register.request.setPlainText("村口道路塌陷半年无人修，雨天无法通行，请求尽快修复")
        save("14-register-3-request")
        register.forward()
        register.facts.setPlainText("今年三月大雨后塌陷，向村委会反映过两次，至今未修")
        save("14b-register-4-facts")
        register.forward()
        save("15-register-5-materials")
        register.forward()
        save("16-register-6-review")
        register.forward()
        save("17-register-7-rights")
        register.agree.setChecked(True)
        register.forward()
        while register.result is None and register.tasks.busy:
            loop.processEvents()
        settle(1500)
        save("18-register-8-done")

        def done_modes(name: str, body: KioskShell = body, strong: bool = strong) -> None:
            """A page that ends a flow in 大字, then 大字 and 高对比 too (the walk in both has it already)."""
            if strong:
                return
            body.large_button.setChecked(True)
            save(f"{name}-large")
            body.contrast_button.setChecked(True)
            save(f"{name}-large-contrast")
            body.large_button.setChecked(False)
            body.contrast_button.setChecked(False)

        done_modes("19-register-8-done")
        wipe()
        suggest = body.open_flow("suggest")
        assert isinstance(suggest, SuggestionFlow)
        wait_settled(suggest)  # no theme open: straight to writing
        save("20-suggest-1-no-theme")
        suggest.content.setPlainText("😀" * 10)  # ten emoji are not ten words
        suggest.check_content()
        save("20a-suggest-emoji-refused")
        suggest.content.setPlainText("建议大厅" * 760)  # past the limit: the count says so in red
        save("20c-suggest-2-content-too-long")
        suggest.content.setPlainText("建议大厅为老年人提供老花镜和放大镜，并在取号机旁安排志愿者")
        save("20b-suggest-2-content")
        suggest.check_content()
        save("21-suggest-3-who")
        suggest.name.setText("王建国1" * 130)  # a pasted name: refused at the name, the field focused
        suggest.phone.setFocus()
        suggest.submit(anonymous=False)
        wait_settled(suggest)
        save("21a-suggest-name-refused")
        suggest.name.clear()
        suggest.submit(anonymous=True)
        while suggest.pages.currentIndex() != 3 and (suggest.tasks.busy or not suggest.message.text()):
            loop.processEvents()
        settle(1500)  # the receipt prints
        save("21-suggest-4-done")
        done_modes("21-suggest-4-done")
        wipe()
        if "ticket" in body.tile_buttons:
            ticket = body.open_flow("ticket")
            assert isinstance(ticket, TicketFlow)
            while ticket.tasks.busy or not ticket.types:
                loop.processEvents()
            settle(300)
            save("23-ticket-1-types")
            ticket.priority.setChecked(True)
            save("23b-ticket-priority-on")
            ticket.priority.setChecked(False)
            # a card whose name no ticket carries (a reader without the rare character's glyph gives “?”)
            ticket._card_read(SimpleNamespace(name="张?", id_number="330726198001011233"))
            ticket.take(ticket.types[0])
            while ticket.tasks.busy or ticket.loading.busy:
                loop.processEvents()
            save("23a-ticket-card-set-aside")
            ticket.take(ticket.types[0])
            while ticket.tasks.busy:
                loop.processEvents()
            settle(1500)  # the ticket prints
            save("24-ticket-2-number")
            done_modes("24-ticket-2-number")
            wages = next((t for t in ticket.types if "农民工" in t.name and t.priority_allowed), None)
            if wages is not None:  # a priority ticket of a long business name: broken between its phrases only
                ticket.done_button.click()
                ticket = body.open_flow("ticket")
                assert isinstance(ticket, TicketFlow)
                while ticket.tasks.busy or not ticket.types:
                    loop.processEvents()
                ticket.priority.setChecked(True)
                ticket.take(wages)
                while ticket.tasks.busy:
                    loop.processEvents()
                settle(1500)
                save("24b-ticket-priority-wages")
            wipe()
        if "booking" in body.tile_buttons:
            booking = body.open_flow("booking")
            assert isinstance(booking, BookingFlow)
            settle(800)
            save("22-booking")
            # the first day still taking bookings (today's is over after its last slot)
            open_day = next((d for d in booking.days if not d.over and d.free > 0), None)
            if open_day is not None:
                first_day = open_day  # 22e's booking: the day a second booking of the same visitor is refused
                booking.choose_day(open_day)
                save("22b-booking-slots")
                booking.choose_slot(0)
                save("22c-booking-who")
                from stdnum.cn import ric

                body_digits = f"330726195207082{len(orientation) % 100:02d}"  # one visitor a walk: no 重复预约
                good = body_digits + ric.calc_check_digit(body_digits + "0")
                booking.name.setText("张桂兰")
                booking.id_number.setText(good[:-1] + ("1" if good[-1] != "1" else "2"))  # a wrong check digit
                booking.phone.setText("13905791234")
                booking.submit()
                while booking.tasks.busy or not booking.message.text():
                    settle(50)
                save("22d-booking-refused")  # said above 确认预约, the ID number's field focused
                booking.id_number.setText(good)
                booking.submit()
                while booking.tasks.busy or (booking.pages.currentWidget() is not booking.result_page
                                             and booking.message.property("tone") != "error"):
                    settle(50)
                settle(1500)  # the slip prints
                save("22e-booking-done")
                booking.finish()
                # the printer out of paper: the booking stands, what to note down instead of a slip
                from desktop.printing.base import PrinterError
                from desktop.printing.simulated import SimulatedPrinter

                booking = body.open_flow("booking")  # 完成 went home: the flow again, as the next citizen finds it
                assert isinstance(booking, BookingFlow)
                while booking.tasks.busy or not booking.days:
                    settle(50)
                booking.printer = lambda: SimulatedPrinter(fail_with=PrinterError("no_paper", "打印机缺纸"))
                open_day = next((d for d in booking.days if not d.over and d.free > 0), open_day)
                booking.choose_day(open_day)
                booking.choose_slot(next((i for i in reversed(range(len(open_day.slots)))
                                          if open_day.left[i] > 0 and not open_day.is_over(i)), 0))
                other = f"330726196103153{len(orientation) % 100:02d}"
                booking.name.setText("李建国")
                booking.id_number.setText(other + ric.calc_check_digit(other + "0"))
                booking.submit()
                while booking.tasks.busy or (booking.pages.currentWidget() is not booking.result_page
                                             and booking.message.property("tone") != "error"):
                    settle(50)
                save("22e2-booking-not-printed")
                done_modes("22e2-booking-not-printed")
                booking.finish()
                full_day_shots(body, save, wipe, done_modes, good, first_day.day, orientation)
            wipe()
        window.close()
    _suggestion_themes(hall, out)
    _kiosk_reader_shots(hall, out)
    hall.engine.dispose()


def kiosk_reader_screenshots(db: Path, out: Path) -> None:
    """The ID-card reader's states at the kiosk alone (also part of the kiosk set)."""
    from PySide6.QtWidgets import QApplication

    from desktop.app import apply_role_theme as apply_theme
    from desktop.config import load_settings
    from desktop.installation import open_hall

    os.environ["PH_PRINTER_RECEIPTS"] = f"pdf:{tempfile.mkdtemp(prefix='shots-receipts-')}"
    hall = open_hall(load_settings(), db)
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    apply_theme(app, "kiosk")
    _reception_days(hall)  # a day to book, for the booking form's card read
    _kiosk_reader_shots(hall, out)
    hall.engine.dispose()


def _kiosk_reader_shots(hall: Any, out: Path) -> None:
    """自助登记 and 取号 with the card's reader in each state, lying down and standing up: reading, no card, the
    reader unplugged, a card read (its name and number kept; 重新填写), an expired card."""
    import json
    from dataclasses import replace
    from datetime import date

    from PySide6.QtCore import QCoreApplication
    from stdnum.cn import ric

    from desktop.app import build_window
    from ui.kiosk.register import RegistrationFlow
    from ui.kiosk.shell import KioskShell
    from ui.kiosk.ticket import TicketFlow

    def valid_id(birth: date, seq: int) -> str:  # a resident ID number of 浦江县 with its check digit
        body = f"330726{birth:%Y%m%d}{seq:03d}"
        return body + ric.calc_check_digit(body + "0")

    folder = Path(tempfile.mkdtemp(prefix="shots-cards-"))
    cards = folder / "cards.json"
    expired = folder / "expired.json"
    card = {"name": "王秀英", "sex": "女", "ethnicity": "汉", "birth_date": "1960-03-15", "address": "浦江县浦阳街道",
            "id_number": valid_id(birth=date(1960, 3, 15), seq=2), "issuer": "浦江县公安局",
            "valid_from": "2016-03-15", "valid_to": "2036-03-15"}
    cards.write_text(json.dumps([card]), encoding="utf-8")
    expired.write_text(json.dumps([{**card, "name": "李建国", "valid_from": "2012-01-01", "valid_to": "2022-01-01",
                                    "id_number": valid_id(birth=date(1990, 1, 20), seq=5)}]), encoding="utf-8")
    settings = hall.settings

    def until(done: Callable[[], bool]) -> None:
        for _ in range(400):
            if done():
                break
            QCoreApplication.processEvents()
            settle(25)
        settle()

    readers = {"nocard": "sim:nocard", "unplugged": "sim:unplugged", "card": f"sim:{cards}",
               "expired": f"sim:{expired}"}
    for orientation, (width, height) in SIZES.items():
        for state, reader in readers.items():
            hall.settings = replace(settings, id_reader=reader)
            window = build_window(hall, "kiosk")
            body = window.body  # type: ignore[union-attr]
            assert isinstance(body, KioskShell)
            window.resize(width, height)
            window.show()

            def save(name: str, window: Any = window, orientation: str = orientation) -> None:
                settle()
                window.grab().save(str(out / f"25-reader-{orientation}-{name}.png"))
                print(f"  25-reader-{orientation}-{name}.png")

            register = body.open_flow("register")
            assert isinstance(register, RegistrationFlow)
            register.card_reading.seconds = 2
            register.read_button.click()
            if state == "nocard":
                save("register-reading")
            until(lambda register=register: not register.card_reading.reading)
            save(f"register-{state}")
            if state == "card":
                body.large_button.setChecked(True)  # the screen whole with 大字 too, the read's words beside the button
                save("register-card-large")
                body.large_button.setChecked(False)
                register.name.setFocus()
                save("register-card-name-focused")
                register.retype_button.click()
                save("register-retyped")
            body.wipe()
            ticket = body.open_flow("ticket")
            assert isinstance(ticket, TicketFlow)
            until(lambda ticket=ticket: bool(ticket.types) and not ticket.tasks.busy)
            ticket.card_reading.seconds = 2
            ticket.card_button.click()
            if state == "nocard":
                save("ticket-reading")
            until(lambda ticket=ticket: not ticket.card_reading.reading)
            save(f"ticket-{state}")
            body.wipe()
            _booking_card_shots(body, state, save, until)
            window.close()
    hall.settings = settings


def _booking_card_shots(body: Any, state: str, save: Callable[[str], None],
                        until: Callable[[Callable[[], bool]], None]) -> None:
    """预约领导接访's form with the card's reader in ``state`` (reading, no card, unplugged, read, expired)."""
    from ui.kiosk.booking import BookingFlow

    if "booking" not in body.tile_buttons:
        return
    booking = body.open_flow("booking")
    assert isinstance(booking, BookingFlow)
    until(lambda: bool(booking.days) and not booking.tasks.busy)
    open_day = next((d for d in booking.days if not d.over and d.free > 0), None)
    if open_day is None:
        body.wipe()
        return
    booking.choose_day(open_day)
    booking.choose_slot(0)
    booking.card_reading.seconds = 2
    booking.read_button.click()
    if state == "nocard":
        save("booking-reading")
    until(lambda: not booking.card_reading.reading)
    save(f"booking-{state}")
    if state in ("card", "expired"):
        body.large_button.setChecked(True)
        save(f"booking-{state}-large")
        body.large_button.setChecked(False)
    if state == "card":
        booking.retype_button.click()
        save("booking-retyped")
    body.wipe()


def full_day_shots(body: Any, save: Callable[[str], None], wipe: Callable[[], None],
                   done_modes: Callable[[str], None], booked_id: str, booked_day: date, orientation: str) -> None:
    """预约领导接访 on a full day: the days (wrapping within the screen), a tap on a full slot said, 候补 refused
    without a phone number and then registered, and a second booking of the day refused with its slot and place."""
    from stdnum.cn import ric

    from ui.kiosk.booking import BookingFlow

    def wait(flow: BookingFlow, done: Callable[[], bool]) -> None:
        while flow.tasks.busy or not done():
            settle(50)

    booking = body.open_flow("booking")
    assert isinstance(booking, BookingFlow)
    wait(booking, lambda: bool(booking.days))
    settle(500)
    full = next((d for d in booking.days if d.free <= 0 and not d.over), None)
    if full is None:
        return
    save("22f-booking-days-full")
    done_modes("22f-booking-days-full")
    booking.choose_day(full)
    booking.slot_buttons.itemAt(0).widget().click()
    save("22g-booking-full-slot-said")
    booking.choose_slot(None)
    digits = f"330726194805163{len(orientation) % 100:02d}"  # one visitor on the waiting list a walk
    booking.name.setText("李秀英")
    booking.id_number.setText(digits + ric.calc_check_digit(digits + "0"))
    booking.submit()
    wait(booking, lambda: bool(booking.message.text()))
    save("22h-booking-wait-needs-phone")
    booking.phone.setText("13905797788")
    booking.submit()
    wait(booking, lambda: booking.pages.currentWidget() is booking.result_page
         or booking.message.property("tone") == "error")
    settle(1500)  # the slip prints
    save("22i-booking-wait-done")
    done_modes("22i-booking-wait-done")
    booking.finish()
    booking = body.open_flow("booking")
    assert isinstance(booking, BookingFlow)
    wait(booking, lambda: bool(booking.days))
    booked = next(d for d in booking.days if d.day == booked_day)  # the day booked in 22e
    booking.choose_day(booked)
    booking.choose_slot(next((i for i in range(len(booked.slots)) if booked.left[i] > 0 and not booked.is_over(i)),
                             None))
    booking.name.setText("张桂兰")
    booking.id_number.setText(booked_id)  # booked on this day a moment ago
    booking.submit()
    wait(booking, lambda: bool(booking.message.text()) or booking.pages.currentWidget() is booking.result_page)
    if booking.pages.currentWidget() is booking.result_page:
        raise RuntimeError("22j: a second booking of the same visitor on the same day was taken")
    save("22j-booking-booked-already")
    wipe()


def _full_reception_day(hall: Any) -> None:
    """A reception day whose two places are taken (the kiosk offers its waiting list)."""
    from datetime import timedelta

    from desktop.domain.access import Actor
    from desktop.services import reception

    system = Actor.system("screenshots")
    day = hall.today() + timedelta(days=6)
    while not hall.policy.calendar.is_workday(day) or reception.list_days(hall, system, day, day):
        day += timedelta(days=1)
    if any(d.free <= 0 and not d.over for d in reception.list_days(hall, system)):
        return
    added = reception.add_day(hall, system, day, leaders=["县长 周建华", "副县长 吴晓东"],
                              slots="09:00-10:30/1,10:30-12:00/1")
    from stdnum.cn import ric

    for seq, name in enumerate(("王建国", "陈美华")):
        digits = f"33072619500101{seq + 1:02d}1"
        reception.book(hall, system, added.day_id, reception.Visitor(name, digits + ric.calc_check_digit(digits + "0")),
                       slot=seq)


def _suggestion_themes(hall: Any, out: Path) -> None:
    """人民建议 with a theme open: its first screen asks which (theme or 自由建议), either way up and with 大字."""
    from datetime import timedelta

    from desktop.app import build_window
    from desktop.domain.access import Actor
    from desktop.services.suggestions import publish_theme
    from ui.kiosk.shell import KioskShell
    from ui.kiosk.suggest import SuggestionFlow

    publish_theme(hall, Actor.system("screenshots"), title="老旧小区加装电梯", description="征集加装电梯的意见建议",
                  closes_on=hall.today() + timedelta(days=30))
    for name, size, large in (("landscape", SIZES["landscape"], False), ("portrait", SIZES["portrait"], False),
                              ("portrait-large", SIZES["portrait"], True)):
        window = build_window(hall, "kiosk")
        body = window.body  # type: ignore[union-attr]
        assert isinstance(body, KioskShell)
        window.resize(*size)
        window.show()
        body.large_button.setChecked(large)
        suggest = body.open_flow("suggest")
        assert isinstance(suggest, SuggestionFlow)
        for _ in range(100):
            if not suggest.tasks.busy:
                break
            settle(100)
        settle()
        window.grab().save(str(out / f"20-kiosk-{name}-20a-suggest-themes.png"))
        print(f"  20-kiosk-{name}-20a-suggest-themes.png")
        window.close()


def _open_display(hall: Any, settings: Any, size: tuple[int, int], *, offline: bool = False) -> tuple[Any, Any, Any]:
    """The call display's window on ``hall`` at ``size``, shown and its board read (``offline``: as it looks
    cut off from the hall server); returns its hall source, window and board."""
    from dataclasses import replace

    from desktop.app import build_window
    from desktop.services import queue
    from ui.display.board import HallBoard
    from ui.shell.startup import HallSource

    source = HallSource(settings, lambda: hall, start=False)
    device = build_window(source, "display")
    board = device.body
    assert isinstance(board, HallBoard)
    if offline:
        board.read_board = lambda h: replace(queue.board(h), connected=False)
    device.resize(*size)
    device.show()
    after(board.tasks.settled, source.start)  # the board as the display opens
    return source, device, board


def _call_display(hall: Any, settings: Any, out: Path, save: Callable[..., None],
                  after: Callable[..., None]) -> None:
    """The call display at both sizes on the hall's queue, a new call flashing; and, as it looks cut off
    from the hall server on a PC without a Chinese voice."""
    from dataclasses import replace

    from PySide6.QtWidgets import QApplication

    from desktop.app import apply_role_theme as apply_theme
    from desktop.services import queue

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    apply_theme(app, "display")
    windows = iter((5, 6, 2, 4, 7, 8, 1, 9))
    for name, (width, height) in SIZES.items():
        for state in ("", "-offline"):
            # offline: also a PC whose engine has no Chinese voice (Qt's test engine asked for Mandarin)
            shown = replace(settings, voice_locale="zh_CN") if state else settings
            source, device, board = _open_display(hall, shown, (width, height), offline=bool(state))
            # a window calls the next number: the display hears of it from the hall's change feed
            after(board.tasks.settled, lambda: queue.call_next(hall, window=next(windows)))
            save(device, f"15-display-{name}{state}")
            device.close()
            source.close()


def leader_day(hall: Any, out: Path, staff: Callable[..., Any], save: Callable[[Any, str], None],
               after: Callable[[Any, Callable[[], object]], None], settle: Callable[..., None],
               logins: dict[str, str]) -> None:
    """The leader reception day's screens at 1920×1080, on a day scheduled today with three visitors."""
    from PySide6.QtWidgets import QMainWindow
    from sqlalchemy import select

    from db.models import CaseRow
    from desktop.app import apply_role_theme as apply_theme
    from desktop.domain.access import Actor
    from desktop.domain.errors import RuleViolation
    from desktop.services import reception
    from ui.counter.work import CounterWork
    from ui.kiosk.booking import BookingFlow
    from ui.leader.work import LeaderWork

    system = Actor.system("screenshots")
    today = hall.today()
    _reception_days(hall)
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
    def decide() -> None:  # 保存批示, and 确认包案 in the question it asks first
        screen.save()
        assert screen.confirm_go is not None
        screen.confirm_go.click()

    after(screen.decided, decide)
    save(window, "32-leader-day-decided-1920x1080")
    after(screen.document_ready, screen.print_form)
    settle(800)
    if work.preview is not None:
        work.preview.grab().save(str(out / "33-leader-assignment-form.png"))
        print("  33-leader-assignment-form.png")
        work.preview.reject()
    work.setCurrentWidget(work.board)
    save(window, "34-leader-board-1920x1080")
    window.resize(1366, 768)
    work.board.board.selectRow(0)  # 督办, and 改派或调整期限 with the chosen case's deadline
    save(window, "34b-leader-board-1366x768")
    window.resize(1920, 1080)
    work.board.tabs.setCurrentIndex(2)
    save(window, "35-leader-statistics-1920x1080")
    work.setCurrentWidget(work.schedule)
    save(window, "36-leader-schedule-1920x1080")
    # 按规则生成接访日 with 接访领导 left empty: refused, the field takes the focus; 预约与名额 as the counter counts
    window.resize(1366, 768)
    work.schedule.leaders.clear()
    after(work.schedule.tasks.settled, work.schedule.generate)
    save(window, "36b-leader-schedule-no-leader-1366x768")
    # 另加接访日 on a rest day, 接访领导 still empty: refused at once, the 休息日 question is not asked
    from datetime import timedelta

    from PySide6.QtCore import QDate

    rest = next(d for d in (hall.today() + timedelta(days=n) for n in range(1, 15))
                if not hall.policy.calendar.is_workday(d))
    work.schedule.day.setDate(QDate(rest.year, rest.month, rest.day))
    after(work.schedule.tasks.settled, work.schedule.add)
    assert work.schedule.confirm is None
    save(window, "36c-leader-schedule-rest-day-no-leader-1366x768")
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

    _reception_days(hall)  # 领导接访 numbers are given on a reception day only
    known = _known_person(hall)
    queue.issue_ticket(hall, type_code="general", source=TicketSource.KIOSK,
                       id_number=known.id_number if known is not None else None,
                       name=known.name if known is not None else None)
    from desktop.domain.errors import RuleViolation

    for code in ("general", "general", "wages", "legal", "general", "leader"):
        try:
            queue.issue_ticket(hall, type_code=code, source=TicketSource.KIOSK)
        except RuleViolation:  # 领导接访 after the day's last slot (the shots taken late in the day): none
            continue


def walk_in(hall: Any, staff: Callable[..., Any], save: Callable[[Any, str], None],
            after: Callable[[Any, Callable[[], object]], None], login: str) -> None:
    """Window 3 calls a 领导接访 number on the reception day and adds the visitor to the leader's list."""
    from desktop.domain.queue import QueueAction, TicketSource
    from desktop.services import queue
    from ui.counter.work import CounterWork

    current = queue.window_view(hall, window=3).current
    if current is not None:
        queue.act(hall, current.ticket_id, QueueAction.FINISH, window=3)
    from desktop.domain.errors import RuleViolation

    try:
        issued = queue.issue_ticket(hall, type_code="leader", source=TicketSource.KIOSK)
    except RuleViolation as refused:  # the shots taken after the reception day's last slot: no 领导接访 number
        print(f"  (25b-counter-queue-walk-in left out: {refused.message})")
        return
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


def _overdue_case(hall: Any, clerk: Any) -> str:
    """A case in hand whose handling limit has passed (the demo data's longest overdue), else one made so."""
    from datetime import timedelta

    from sqlalchemy import select

    from db.models import CaseRow
    from desktop.services import cases
    from desktop.services.registration import PersonInput, RegistrationForm, register_visit

    with hall.sessions() as session:
        found = session.scalar(select(CaseRow.case_number).where(CaseRow.state == "办理中",
                                                                 CaseRow.next_due < hall.today())
                               .order_by(CaseRow.next_due).limit(1))
    if found:
        return str(found)
    number = register_visit(hall, clerk, RegistrationForm(
        petitioner=PersonInput(name="李建国", document_number="330726197502143213"), region_code="330726001",
        request="反映小区电梯故障多次报修无人处理，要求尽快维修")).case_number
    cases.classify(hall, clerk, number, nature="申诉求决类", topic_code="0101")
    cases.accept(hall, clerk, number, accepted_on=hall.today() - timedelta(days=79))  # its 60 days have passed
    return str(number)


def routing_screenshots(db: Path, out: Path) -> None:
    """The counter at both staff sizes: the 转送 dialog with the day of a transfer made on paper, the 交办 dialog
    refusing a 办理期限 on a holiday, the case then, the case found by a name with a rare character, and 延期
    on an overdue case (greyed in 办理…, and refused when its dialog is sent)."""
    from datetime import timedelta

    from PySide6.QtWidgets import QApplication

    from desktop.config import load_settings
    from desktop.domain.access import Actor, Role
    from desktop.installation import open_hall
    from desktop.services import accounts, cases
    from desktop.services.registration import PersonInput, RegistrationForm, register_visit

    hall = open_hall(load_settings(), db)
    if not accounts.has_accounts(hall):
        accounts.create_demo_accounts(hall)
    clerk = Actor("staff:shots", "截图", Role.CLERK)
    number = register_visit(hall, clerk, RegistrationForm(
        petitioner=PersonInput(name="赵孟𫖯", document_number="330726196803121232"), region_code="330726001",
        request="反映本村土地征收补偿款至今未发放到位，要求尽快发放")).case_number
    cases.classify(hall, clerk, number, nature="申诉求决类", topic_code="0101")
    overdue = _overdue_case(hall, clerk)
    window, work, desk = _counter_desk(hall)
    earlier = (hall.today() - timedelta(days=1)).isoformat()
    rest_day = hall.today() + timedelta(days=10)
    while hall.policy.calendar.is_workday(rest_day):
        rest_day += timedelta(days=1)
    for size, (width, height) in COUNTER_SIZES.items():
        window.resize(width, height)
        after(work.search.detail_shown, lambda: work.open_case(number))
        for key, field, value in (("transfer", "routed_on", earlier), ("assign", "due", rest_day.isoformat())):
            desk.steps.open_by_key(key)
            settle(800)
            dialog = desk.steps.dialog
            if dialog is None or dialog.action.key != key:
                continue
            dialog.set_value(field, value)
            if key == "assign":
                after(dialog.tasks.settled, dialog.submit)
                settle(300)
            name = f"24{'b' if key == 'transfer' else 'c'}-counter-{key}-dialog-{size}"
            dialog.grab().save(str(out / f"{name}.png"))
            print(f"  {name}.png")
            dialog.reject()
        work.search.query.setText("赵孟𫖯")
        settle(1200)
        window.grab().save(str(out / f"24d-counter-rare-name-found-{size}.png"))
        print(f"  24d-counter-rare-name-found-{size}.png")
        # a case 超期19天: 延期 greyed in 办理… with the reason, and the refusal when its dialog is sent anyway
        after(work.search.detail_shown, lambda: work.open_case(overdue))
        desk.steps.menu_.popup(desk.steps.mapToGlobal(desk.steps.rect().bottomLeft()))
        settle(600)
        shot = QApplication.primaryScreen().grabWindow(0)
        top_left = window.mapToGlobal(window.rect().topLeft())
        shot.copy(top_left.x(), top_left.y(), width, height).save(str(out / f"24e-counter-extend-overdue-{size}.png"))
        desk.steps.menu_.hide()
        desk.steps.open_by_key("extend")
        settle(800)
        dialog = desk.steps.dialog
        if dialog is not None and dialog.action.key == "extend":
            dialog.set_value("reason", "需赴现场勘验并听取相邻权利人意见")
            dialog.set_value("approved_by", "局长 何伟")
            after(dialog.tasks.settled, dialog.submit)
            settle(300)
            dialog.grab().save(str(out / f"24f-counter-extend-refused-{size}.png"))
            dialog.reject()
        print(f"  24e-counter-extend-overdue-{size}.png, 24f-counter-extend-refused-{size}.png")
    window.close()


def counter_prints_screenshots(db: Path, out: Path) -> None:
    """The counter's 待补打 / 打印记录 at both staff sizes: this PC's failed print, and the receipts two kiosks
    could not print today (a registration receipt, a ticket, a suggestion's), one selected."""
    from sqlalchemy import update

    from db.models import PrintJobRow
    from desktop.config import load_settings
    from desktop.documents.model import DocumentKind
    from desktop.domain.access import Actor, Role
    from desktop.installation import open_hall
    from desktop.printing.base import PrinterError, Problem
    from desktop.printing.simulated import SimulatedPrinter
    from desktop.services import accounts, documents, printing, suggestions
    from desktop.services.registration import PersonInput, RegistrationForm, register_visit
    from ui.printing.queue import fitted_size

    hall = open_hall(load_settings(), db)
    if not accounts.has_accounts(hall):
        accounts.create_demo_accounts(hall)
    clerk = Actor("staff:chuangkou1", "王丽（演示）", Role.CLERK)
    paper_out = SimulatedPrinter("kiosk", fail_with=PrinterError(Problem.OUT_OF_PAPER, "打印机缺纸"))
    one, two = Actor.kiosk("K11"), Actor.kiosk("K12")
    import random
    from datetime import date

    from desktop.services.demo import make_id_number

    case = register_visit(hall, one, RegistrationForm(
        petitioner=PersonInput(name="陈建国", document_number=make_id_number(random.Random(5), "330726",
                                                                           date(1968, 3, 9))),
        region_code="330726001", request="反映本村土地征收补偿款至今未发放到位，要求尽快发放"))
    printing.print_document(hall, one, documents.registration_receipt(hall, one, case), None, paper_out)
    ticket = documents.queue_ticket(hall, two, ticket_number="A012", window_type="来访登记", people_ahead=3)
    printing.print_document(hall, two, ticket, None, SimulatedPrinter(
        "kiosk", fail_with=PrinterError(Problem.OFFLINE, "打印机未连接")))
    taken = suggestions.submit_suggestion(hall, one, content="建议在大厅增设老年人专用等候区和饮水点", anonymous=True)
    printing.print_document(hall, one, documents.suggestion_receipt(hall, one, taken.number), None, paper_out)
    with hall.transaction() as session:  # each kiosk is its own PC: its failed jobs are not this counter's
        for kiosk in (one, two):
            session.execute(update(PrintJobRow).where(PrintJobRow.actor_id == kiosk.actor_id)
                            .values(device=kiosk.actor_id.partition(":")[2]))
    refused = _refused_and_overdue(hall, clerk)
    window, work, desk = _counter_desk(hall)
    notice = documents.registration_receipt(hall, clerk, case)
    printing.print_document(hall, clerk, notice, None, paper_out)  # and one of this PC's own
    unsupported = SimulatedPrinter("a4", fail_with=PrinterError(
        Problem.UNSUPPORTED, "系统打印机“HP LaserJet Pro M404dn（二楼接待大厅东侧）”不支持A4纸张，请选择其他打印机，"
                             "或在设置中为告知书指定打印机"))
    printing.print_document(hall, clerk, documents.notice(hall, clerk, DocumentKind.NON_ACCEPTANCE_NOTICE, refused, {}),
                            None, unsupported)  # a printer's long reason in the 待补打 list
    shot = _grabber(out, 400)
    for size, (width, height) in COUNTER_SIZES.items():
        window.resize(width, height)
        settle(600)
        dialog = desk.queue_button.open_queue()
        dialog.resize(*fitted_size(width, height - 40))  # the screen's room under its task bar
        after(dialog.refreshed, dialog.refresh)
        dialog.kiosk_table.selectRow(1)
        settle(800)
        dialog.grab().save(str(out / f"70-counter-kiosk-prints-{size}.png"))
        print(f"  70-counter-kiosk-prints-{size}.png")
        dialog.reject()
        # a refused case: 打印… greys what its steps do not allow, saying why; the board beside it whole
        after(work.search.detail_shown, lambda: work.open_case(refused))
        shot(window, f"71-counter-refused-case-board-{size}")
        menu = desk.print_button.kinds
        menu.popup(desk.print_button.mapToGlobal(desk.print_button.rect().bottomLeft()))
        shot(menu, f"72-counter-print-menu-refused-{size}")
        menu.close()
        desk.print_button.choose(DocumentKind.NON_ACCEPTANCE_NOTICE)
        form = desk.print_button.form
        if form is None:
            continue
        settle(300)
        form.inputs["basis"].setPlainText("《信访工作条例》第三十二条第一款")
        shot(form, f"73-counter-notice-form-{size}")
        organ = form.inputs["channel_organisation"]
        organ.setFocus()
        organ.setText("仲裁")  # part of a name: the directory's organisations that hold it
        completer = organ.completer()
        if completer is not None:
            completer.setCompletionPrefix("仲裁")
            completer.complete()
            shot(completer.popup(), f"73b-counter-notice-organ-list-{size}")
            completer.popup().hide()
        organ.setText("金华市中级人民法院")  # none in the directory: taken as typed
        form.reject()  # typed: it asks before throwing it away
        if form.question is not None:
            shot(form.question, f"74-counter-notice-form-asks-{size}")
            form.question.close()
        typed = form.values()
        after(desk.print_button.opened, lambda t=typed, f=form: desk.print_button.preview(  # type: ignore[misc]
            DocumentKind.NON_ACCEPTANCE_NOTICE, t, f))
        preview = desk.print_button.dialog
        if preview is not None:
            preview.images[0].save(str(out / f"75-counter-non-acceptance-page-{size}.png"))
            print(f"  75-counter-non-acceptance-page-{size}.png")
            preview.reject()
    window.close()


def _refused_and_overdue(hall: Any, clerk: Any) -> str:
    """A case refused with its route typed as clerks type it (可依法…), and two transferred three weeks ago that
    the deadline board lists; returns the refused case's number."""
    import dataclasses
    import random
    from datetime import date, datetime, timedelta

    from desktop.domain.events import EventType
    from desktop.services import cases
    from desktop.services.demo import make_id_number
    from desktop.services.registration import PersonInput, RegistrationForm, register_visit

    rng = random.Random(71)
    earlier = datetime.combine(hall.today() - timedelta(days=24), datetime.min.time()).replace(hour=10)
    past = dataclasses.replace(hall, now=lambda: earlier, wall_ms=lambda: int(earlier.timestamp() * 1000))
    for name, unit in (("欧阳建华", "330726-ZJJ"), ("周美华", "330726-RSJ")):
        number = register_visit(past, clerk, RegistrationForm(
            petitioner=PersonInput(name=name, document_number=make_id_number(rng, "330726", date(1970, 5, 6))),
            region_code="330726001", request="反映小区电梯长期停用，要求物业尽快维修")).case_number
        cases.classify(past, clerk, number, nature="申诉求决类", topic_code="0101")
        cases.record(past, clerk, number, EventType.TRANSFERRED, {"route_kind": "转送", "organisation_code": unit})
    refused = register_visit(hall, clerk, RegistrationForm(
        petitioner=PersonInput(name="陈建国", document_number=make_id_number(rng, "330726", date(1962, 8, 1))),
        region_code="330726001", request="要求撤销法院民事判决，重新审理宅基地纠纷")).case_number
    cases.record(hall, clerk, refused, EventType.NOT_ACCEPTED,
                 {"reason": "该事项已经人民法院作出生效判决，属于应当通过诉讼程序解决的事项",
                  "channel": "可依法向金华市中级人民法院申请再审"})
    return refused


def counter_firsts_screenshots(db: Path, out: Path) -> None:
    """What a new clerk met at the counter, at both staff sizes: a case registered by phone (问题属地 and 住址 in
    the case view, 办理… with 受理 greyed before 分类, 打印记录 offering its first registration receipt with the
    receipts going to a PDF folder), 4 characters both a serial and the end of an ID number, a priority ticket
    of a 76-year-old called, a counter without a window number, its 设置本机窗口号 dialog and the strip once
    set, and 关联信访事项 on the 领导接访预约 list."""
    import dataclasses
    from datetime import date, timedelta

    from stdnum.cn import ric

    from desktop.app import build_window
    from desktop.config import load_settings
    from desktop.domain.access import Actor, Role
    from desktop.domain.queue import QueueAction, TicketSource
    from desktop.installation import open_hall
    from desktop.services import accounts, queue
    from desktop.services.reference import load_regions
    from desktop.services.registration import PersonInput, RegistrationForm, register_visit
    from ui.printing.queue import fitted_size

    def valid_id(birth: date, seq: int, region: str = "330726") -> str:
        """A resident ID number of that birth day and sequence, with its check character."""
        body = f"{region}{birth:%Y%m%d}{seq:03d}"
        return body + ric.calc_check_digit(body + "0")  # the function ignores the last character

    folder = Path(tempfile.mkdtemp(prefix="ph-receipts-"))
    settings = dataclasses.replace(load_settings(), printer_receipts=f"pdf:{folder}")
    hall = open_hall(settings, db)
    if not accounts.has_accounts(hall):
        accounts.create_demo_accounts(hall)
    clerk = Actor("staff:chuangkou1", "王丽（演示）", Role.CLERK)
    town = next(r for r in load_regions().children("330726") if r.name == "白马镇")
    by_phone = register_visit(hall, clerk, RegistrationForm(
        petitioner=PersonInput(name="周美华", document_number=valid_id(birth=date(1966, 4, 2), seq=517),
                               phone="13857900517"),
        region_code=town.code, channel="电话", address="浙江省金华市浦江县白马镇夏张村12号",
        request="反映村里道路硬化工程停工半年，雨天泥泞，老人孩子出行困难，要求尽快复工")).case_number
    serial = by_phone.split("-")[3][-4:]  # 0018: the case's serial, and the end of 吴国强's ID number
    ending = next(e for e in (valid_id(birth=date(1950, 1, 1) + timedelta(days=d), seq=int(serial[:3]))
                              for d in range(400)) if e.endswith(serial))
    register_visit(hall, clerk, RegistrationForm(
        petitioner=PersonInput(name="吴国强", document_number=ending), region_code="330726001",
        request="反映小区电梯长期停用，要求物业尽快维修"))
    elderly = valid_id(birth=date(1950, 3, 1), seq=233)
    current = queue.window_view(hall, window=3).current
    if current is not None:
        queue.act(hall, current.ticket_id, QueueAction.FINISH, window=3)
    issued = queue.issue_ticket(hall, type_code="general", source=TicketSource.KIOSK, id_number=elderly,
                                name="王秀英")
    queue.act(hall, issued.ticket.ticket_id, QueueAction.CALL, window=3)
    window, work, desk = _counter_desk(hall)

    shot = _grabber(out, 400)

    for size, (width, height) in COUNTER_SIZES.items():
        window.resize(width, height)
        work.tabs.setCurrentWidget(work.desk)
        after(work.search.detail_shown, lambda: work.open_case(by_phone))
        shot(window, f"80-counter-phone-case-{size}")
        menu = desk.steps.menu_
        menu.popup(desk.steps.mapToGlobal(desk.steps.rect().bottomLeft()))
        shot(menu, f"81-counter-steps-unclassified-{size}")
        menu.close()
        dialog = desk.queue_button.open_queue()
        dialog.resize(*fitted_size(width, height - 40))
        after(dialog.refreshed, dialog.refresh)
        settle(800)
        shot(dialog, f"82-counter-first-receipt-{size}")
        dialog.reject()
        after(work.search.searched, lambda: work.search.query.setText(serial))
        shot(window, f"83-counter-serial-or-id-end-{size}")
        _link_case_shots(hall, clerk, window, work, shot, size)
    window.close()
    plain = open_hall(dataclasses.replace(settings, queue_window=0), db)
    bare = build_window(plain, "counter")
    from desktop.services.accounts import DEMO_PASSWORD

    bare.show()
    settle(200)
    bare.sign_in_page.login.setText("chuangkou2")
    bare.sign_in_page.password.setText(DEMO_PASSWORD)
    bare.sign_in_page.submit()
    for _ in range(100):
        if bare.work is not None:
            break
        settle(100)
    def window_dialog() -> Any:
        """设置本机窗口号, its windows read and an administrator's sign-in typed."""
        dialog = bare.work.ask_window_number()
        for _ in range(100):
            if dialog.choices is not None:
                break
            settle(100)
        dialog.login.setText("guanli1")
        dialog.password.setText(DEMO_PASSWORD)
        return dialog

    for size, (width, height) in COUNTER_SIZES.items():
        bare.resize(width, height)
        shot(bare, f"84-counter-no-window-number-{size}")
        dialog = window_dialog()
        shot(dialog, f"85-counter-set-window-number-{size}")
        dialog.reject()
    # set for real (the screenshots' own PH_QUEUE_WINDOW would fix it): the strip comes without a restart
    fixed = os.environ.pop("PH_QUEUE_WINDOW", None)
    try:
        dialog = window_dialog()
        dialog.number.setValue(2)
        after(dialog.window_set, dialog.submit)
    finally:
        if fixed is not None:
            os.environ["PH_QUEUE_WINDOW"] = fixed
    for size, (width, height) in COUNTER_SIZES.items():
        bare.resize(width, height)
        shot(bare, f"86-counter-window-set-{size}")
    bare.close()


def _link_case_shots(hall: Any, clerk: Any, window: Any, work: Any, shot: Callable[[Any, str], None],
                     size: str) -> None:
    """关联信访事项 on the counter's 领导接访预约: the visitor with the most cases of the day's list, one linked."""
    from desktop.services import reception

    panel = work.booking
    work.tabs.setCurrentWidget(panel)
    for _ in range(100):
        if panel.rows:
            break
        settle(100)
    if not panel.rows:
        print("  (no booking to link: 87/88 skipped)")
        return
    counts = [len(reception.visitor_cases(hall, clerk, a.appointment_id).cases) for a in panel.rows]
    row = counts.index(max(counts))
    panel.table.selectRow(row)
    panel.link_dialog = None
    panel.link_selected()
    for _ in range(100):
        if panel.link_dialog is not None and panel.link_dialog.isVisible():
            break
        settle(100)
    dialog = panel.link_dialog
    shot(dialog, f"87-counter-link-case-{size}")
    others = [c.case_number for c in dialog.found.cases if c.case_number != dialog.found.appointment.case_number]
    if others:
        dialog.select_case(others[-1])
        dialog.link_selected()
    else:
        dialog.link_none()
    for _ in range(100):
        if "的预约" in panel.message.text():
            break
        settle(100)
    shot(window, f"88-counter-linked-{size}")


def counter_case_screenshots(db: Path, out: Path) -> None:
    """The counter at both staff sizes as a new clerk finds it: a case whose request is a letter of 3,000
    characters, transferred, with a leader's 批示 and 包案 (the events say who must do what by when), its end;
    the history beside 登记 with the ID number and topic typed but no request yet; a name without an ID number
    at 发号; the 转送 dialog's date; the 分类 dialog with zf typed in 内容分类 and the list it drops (the 人民建议
    tab's 采纳情况 and 排队统计: --only supervisor)."""
    import random
    from datetime import date, timedelta

    from desktop.config import load_settings
    from desktop.domain.access import Actor, Role
    from desktop.domain.events import EventType
    from desktop.installation import open_hall
    from desktop.services import accounts, cases
    from desktop.services.demo import make_id_number
    from desktop.services.registration import PersonInput, RegistrationForm, register_visit

    hall = open_hall(load_settings(), db)
    if not accounts.has_accounts(hall):
        accounts.create_demo_accounts(hall)
    clerk = Actor("staff:chuangkou1", "王丽（演示）", Role.CLERK)
    leader = Actor("staff:lingdao1", "陈志远（演示）", Role.LEADER)
    person = make_id_number(random.Random(61), "330726", date(1971, 5, 3))
    letter = ("本人于二〇二四年起在浦阳街道某建筑工地务工，老板以工程款未结清为由拖欠工资共计两万三千元，"
              "多次到工地和劳务公司讨要无果，劳务公司负责人电话不接，工地已停工。") * 40
    number = register_visit(hall, clerk, RegistrationForm(
        petitioner=PersonInput(name="陈建国", document_number=person, phone="13857912346"),
        region_code="330726001", topic_code="0101", request=letter[:3000])).case_number
    cases.classify(hall, clerk, number, nature="申诉求决类", topic_code="0101")
    cases.record(hall, clerk, number, EventType.TRANSFERRED, {"route_kind": "转送", "organisation_code": "330726-RSJ"})
    due = hall.today() + timedelta(days=11)
    base = {"leader": "陈志远", "reception_on": hall.today().isoformat()}
    cases.record(hall, leader, number, EventType.INSTRUCTED,
                 {**base, "text": "请县人力社保局牵头，十日内督促劳务公司结清欠薪"})
    cases.record(hall, leader, number, EventType.LEADER_TAKEN,
                 {**base, "unit": "浦江县人力资源和社会保障局", "unit_codes": ["330726-RSJ"], "due": due.isoformat()})
    fresh = register_visit(hall, clerk, RegistrationForm(
        petitioner=PersonInput(name="陈建国", document_number=person), region_code="330726001",
        request="反映本村土地征收补偿款至今未发放到位，要求尽快发放")).case_number
    cases.classify(hall, clerk, fresh, nature="申诉求决类", topic_code="0101")
    unclassified = register_visit(hall, clerk, RegistrationForm(
        petitioner=PersonInput(name="陈建国", document_number=person), region_code="330726001",
        request="对法院判决不服，要求再审")).case_number
    window, work, desk = _counter_desk(hall)

    shot = _grabber(out, 300)

    for size, (width, height) in COUNTER_SIZES.items():
        window.resize(width, height)
        after(work.search.detail_shown, lambda: work.open_case(number))
        shot(window, f"60-counter-long-case-{size}")
        bar = work.search.detail.verticalScrollBar()
        bar.setValue(bar.maximum())
        shot(window, f"61-counter-long-case-end-{size}")
        desk.steps.open_by_key("transfer")
        settle(800)
        dialog = desk.steps.dialog
        if dialog is not None and dialog.action.key == "transfer":
            shot(dialog, f"62-counter-transfer-dialog-{size}")
            dialog.reject()
        _classify_typed(work, desk, unclassified, "zf", out / f"65-counter-classify-zf-{size}.png")
        work.tabs.setCurrentWidget(work.registration)
        registration = work.registration
        registration.id_number.setText(person)
        registration.topic.set_code("0101")
        after(registration.history_shown, registration._history_timer.start)
        shot(window, f"63-counter-history-no-request-{size}")
        queue_bar = work.queue
        if queue_bar is not None:
            queue_bar.visitor_name.setText("陈建国")
            after(queue_bar.tasks.settled, queue_bar.issue)
            shot(window, f"64-counter-issue-name-only-{size}")
            queue_bar.visitor_name.clear()
        registration.id_number.clear()
    window.close()


def _classify_typed(work: Any, desk: Any, number: str, typed: str, path: Path) -> None:
    """The 分类 dialog of case ``number`` over the counter, ``typed`` in its 内容分类 box and the list it drops."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from ui.common.choice import ChoiceBox

    after(work.search.detail_shown, lambda: work.open_case(number))
    desk.steps.open_by_key("classify")
    settle(800)
    dialog = desk.steps.dialog
    if dialog is None or dialog.action.key != "classify":
        return
    topic = dialog.fields["topic_code"]
    assert isinstance(topic, ChoiceBox)
    dialog.activateWindow()
    topic.setFocus(Qt.FocusReason.TabFocusReason)
    settle(200)
    QTest.keyClicks(topic.lineEdit(), typed)
    settle(500)
    _grab_with_popups(work.window(), dialog, topic.completer().popup()).save(str(path))
    print(f"  {path.name}")
    dialog.reject()


def supervisor_screenshots(db: Path, out: Path) -> None:
    """The supervisor's 不满意评价 and 人民建议 tabs at 1366×768, after a kiosk rating and a suggestion; the
    statistics and the cases with their deadlines at 1366×768 and 1920×1080."""
    from PySide6.QtWidgets import QApplication

    from desktop.app import apply_role_theme as apply_theme
    from desktop.app import device_actor
    from desktop.config import load_settings
    from desktop.domain.deadlines import DueFilter
    from desktop.installation import open_hall
    from desktop.services import accounts
    from desktop.services.self_service import rate_case
    from desktop.services.suggestions import submit_suggestion
    from ui.counter.work import CounterWork
    from ui.desk.cases import WorkTabs

    hall = open_hall(load_settings(), db)
    if not accounts.has_accounts(hall):
        accounts.create_demo_accounts(hall)
    kiosk = device_actor("kiosk", hall.settings)
    number, code = _answered_case(hall)
    late_transfer = _transferred_cases(hall)
    rate_case(hall, kiosk, number, code, "不满意", "处理意见没有回应我提出的维修费用问题，希望重新核实")
    submit_suggestion(hall, kiosk, content="建议在大厅取号机旁安排志愿者，帮助老年人取号和查询进度", name="王芳",
                      phone="13857912345")
    submit_suggestion(hall, kiosk, content="建议周六上午开放接待，方便上班的群众来访", anonymous=True)
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    apply_theme(app, "counter")
    window = signed_in(hall, "counter", "ducha1")
    work = window.work
    assert isinstance(work, CounterWork) and isinstance(work.desk, WorkTabs)
    work.setCurrentWidget(work.desk)
    for tab, name in ((work.desk.dissatisfied, "25-supervisor-dissatisfied-1366x768"),
                      (work.desk.queue_statistics, "25a-supervisor-queue-statistics-1366x768"),
                      (work.desk.leader_board, "25c-supervisor-leader-board-1366x768"),
                      (work.desk.suggestions, "26-supervisor-suggestions-1366x768")):
        work.desk.setCurrentWidget(tab)
        settle(600)
        if tab is work.desk.suggestions:
            work.desk.suggestions.table.selectRow(0)
            settle(200)
        window.grab().save(str(out / f"{name}.png"))
        print(f"  {name}.png")
    # the year's figures and the cases with their deadlines, at both staff sizes
    for size, (width, height) in COUNTER_SIZES.items():
        window.resize(width, height)
        panel = work.desk.show_statistics()
        for _ in range(100):
            settle(100)
            if not panel.tasks.busy:
                break
        settle(600)
        window.grab().save(str(out / f"27-supervisor-statistics-{size}.png"))
        work.desk.setCurrentIndex(0)
        settle(1500)
        window.grab().save(str(out / f"28-supervisor-cases-{size}.png"))
        print(f"  27-supervisor-statistics-{size}.png, 28-supervisor-cases-{size}.png")
        # the case transferred late: the unit's limit on the 当前期限 line, the bureau's late step in its limits
        work.search.query.setText(late_transfer)
        after(work.search.searched, work.search.run_search)
        after(work.search.detail_shown, lambda: work.search.table.setCurrentCell(0, 0))
        window.grab().save(str(out / f"28b-supervisor-transferred-case-{size}.png"))
        print(f"  28b-supervisor-transferred-case-{size}.png")
        # the search narrowed to the cases due soon, no query typed: soonest first, each row in words
        work.search.query.clear()
        after(work.search.searched, lambda: work.search.set_due(DueFilter.DUE_SOON))
        after(work.search.detail_shown, lambda: work.search.table.setCurrentCell(0, 0))
        window.grab().save(str(out / f"28c-supervisor-search-due-soon-{size}.png"))
        print(f"  28c-supervisor-search-due-soon-{size}.png")
        after(work.search.searched, lambda: work.search.set_due(DueFilter.ALL))
    window.close()
    hall.engine.dispose()


def admin_server_screenshots(db: Path, out: Path) -> None:
    """The administration desk against a server (the demo database served on a socket): 设备管理 in words,
    自助终端密码, 组织机构, 服务器审计副本, at 1366×768 and 1920×1080; the local audit log checked (1366×768)."""
    from dataclasses import replace

    from PySide6.QtWidgets import QApplication

    from desktop.app import apply_role_theme as apply_theme
    from desktop.config import load_settings
    from desktop.domain.access import Actor
    from desktop.installation import open_hall
    from desktop.services import accounts, peripherals
    from desktop.services.kiosk_pin import share_pin
    from desktop.services.reference_feed import share_settings
    from server import enrolment
    from server.app import create_app, serving
    from server.store import enrol_device
    from ui.admin.work import AdminTabs

    hall = open_hall(load_settings(), db)
    if not accounts.has_accounts(hall):
        accounts.create_demo_accounts(hall)
    system = Actor.system("screenshots")
    share_settings(hall, system, {"hall_name": "浦江县人民来访接待中心"}, hall_code="PJ")
    os.environ["PH_SYNC_TOKEN"] = enrol_device(hall, hall.settings.device_id, "admin", hall_code="PJ")
    for device_id, role, org, code, place in (
            ("c3a81f20b7e4", "counter", "", "", "3号窗口"), ("c5d20e9a41f7", "counter", "330726-ZJJ", "", "住建局窗口"),
            ("k9e3b7a05c12", "kiosk", "", "K01", "一楼大厅入口"), ("k1f4c8d27a90", "kiosk", "", "K02", ""),
            ("d7a2e5c90b31", "display", "", "", "大厅东墙"), ("l4b6f1e83d25", "leader", "", "", "领导接待室")):
        enrol_device(hall, device_id, role, org, hall_code="PJ", device_code=code)
        if place:
            enrolment.name_device(hall, system, device_id, place)
    enrolment.revoke_device(hall, system, "k1f4c8d27a90")
    # what the kiosk K01 reported: its reader unplugged since this morning, its printer out of paper
    today = hall.today().isoformat()
    peripherals.store_report(hall, "k9e3b7a05c12", [
        {"peripheral": "reader", "problem": "身份证阅读器未连接", "since": f"{today}T08:47:00"},
        {"peripheral": "printer", "problem": "打印机缺纸", "since": f"{today}T10:32:00"}])
    share_pin(hall, system, "720415", "720415")
    _directory_changes(hall)
    _audit_copies(hall)
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    apply_theme(app, "admin")
    centre = open_hall(load_settings(), db)  # the server's own: the desk's settings name the server, the server's not

    with serving(create_app(centre)) as url:
        hall.settings = replace(hall.settings, server_url=url)
        window = signed_in(hall, "admin", "guanli1")
        tabs = window.work
        assert isinstance(tabs, AdminTabs) and tabs.devices is not None and tabs.kiosk_pin is not None
        tabs.show_tab(tabs.devices)
        tabs.devices.password.setText(accounts.DEMO_PASSWORD)
        after(tabs.devices.refreshed, tabs.devices.refresh, 15_000)
        tabs.devices.select("c3a81f20b7e4")
        tabs.show_tab(tabs.kiosk_pin)
        tabs.kiosk_pin.password.setText(accounts.DEMO_PASSWORD)
        after(tabs.kiosk_pin.refreshed, tabs.kiosk_pin.refresh, 15_000)
        tabs.kiosk_pin.pin.setText("583920")
        tabs.kiosk_pin.again.setText("583921")
        after(tabs.kiosk_pin.tasks.settled, tabs.kiosk_pin.save, 15_000)
        for size in ((1366, 768), (1920, 1080)):
            window.resize(*size)
            for panel, name in ((tabs.devices, "27-admin-devices-words"), (tabs.kiosk_pin, "28-admin-kiosk-pin")):
                tabs.show_tab(panel)
                settle(600)
                window.grab().save(str(out / f"{name}-{size[0]}x{size[1]}.png"))
                print(f"  {name}-{size[0]}x{size[1]}.png")
        _organisation_screenshots(window, tabs, out)
        _audit_copy_screenshots(window, tabs, out)
        # the local log checked: the newest entry named by its time in words, as the list writes it
        tabs.show_tab(tabs.audit)
        after(tabs.audit.verified, tabs.audit.verify, 15_000)
        settle(600)
        window.grab().save(str(out / "31-admin-audit-verified-1366x768.png"))
        print("  31-admin-audit-verified-1366x768.png")
        # 账户管理 read again (as after an account added or locked): the columns as wide as before, the list full
        tabs.show_tab(tabs.accounts)
        settle(300)
        after(tabs.accounts.refreshed, tabs.accounts.refresh, 15_000)
        settle(300)
        window.grab().save(str(out / "32-admin-accounts-read-again-1366x768.png"))
        print("  32-admin-accounts-read-again-1366x768.png")
        window.close()
    hall.engine.dispose()
    centre.engine.dispose()


def admin_local_screenshots(db: Path, out: Path) -> None:
    """The administration desk of a PC without a server, at 1366×768 and 1920×1080: 账户管理 with a locked account
    and a selected one that is not (解锁 greyed), a refused initial password in 新建账户, 排队窗口类型 (windows in
    words), 自助终端密码 offline, and failed sign-ins with unknown login names in 审计日志 (one written by an earlier
    version, masked)."""
    from PySide6.QtWidgets import QApplication

    from desktop.app import apply_role_theme as apply_theme
    from desktop.config import load_settings
    from desktop.domain.access import Actor
    from desktop.domain.audit import AuditAction
    from desktop.domain.queue import WindowType
    from desktop.installation import open_hall
    from desktop.services import accounts, queue
    from desktop.services.audit import record_audit
    from ui.admin.work import AdminTabs

    hall = open_hall(load_settings(), db)
    if not accounts.has_accounts(hall):
        accounts.create_demo_accounts(hall)
    admin = Actor("staff:guanli1", "孙涛（演示）", "admin")
    queue.save_window_type(hall, admin, WindowType("", "信访代理", "D", (2, 9)))
    record_audit(hall, Actor("unknown:wrong#pass6", "wrong#pass6", ""), AuditAction.LOGIN_FAILED,
                 "unknown:wrong#pass6", {"reason": "no_account"})  # as written before the typed name was left out
    for typed in ("wrong#pass6", "wrong#pass6", "chuangkou9"):
        with suppress(accounts.SignInRefused):
            accounts.sign_in(hall, typed, "Demo#2026xf")
    for _ in range(hall.settings.lockout_failures):
        with suppress(accounts.SignInRefused):
            accounts.sign_in(hall, "chuangkou2", "Wrong#2026x")
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    apply_theme(app, "admin")
    window = signed_in(hall, "admin", "guanli1")
    tabs = window.work
    assert isinstance(tabs, AdminTabs) and tabs.accounts is not None and tabs.audit is not None
    assert tabs.window_types is not None and tabs.kiosk_pin is not None
    for size in ((1366, 768), (1920, 1080)):
        name = f"{size[0]}x{size[1]}"
        window.resize(*size)
        tabs.show_tab(tabs.accounts)
        after(tabs.accounts.refreshed, tabs.accounts.refresh, 15_000)
        tabs.accounts.select("chuangkou1")  # not locked: 解锁 greyed
        settle(300)
        window.grab().save(str(out / f"33-admin-accounts-unlock-{name}.png"))
        print(f"  33-admin-accounts-unlock-{name}.png")
        dialog = tabs.accounts.open_create_dialog()
        dialog.login.setText("liuyang")
        dialog.display_name.setText("刘洋")
        dialog.password.edit.setText("liuyang1")
        after(dialog.tasks.settled, dialog.submit, 15_000)
        settle(300)
        screen = window.screen()  # the dialog over the window, as the administrator sees it
        screen.grabWindow(0, 0, 0, *size).save(str(out / f"34-admin-create-account-refused-{name}.png"))
        print(f"  34-admin-create-account-refused-{name}.png")
        dialog.reject()
        tabs.show_tab(tabs.window_types)
        settle(600)
        tabs.window_types.table.selectRow(4)
        settle(300)
        window.grab().save(str(out / f"35-admin-window-types-{name}.png"))
        print(f"  35-admin-window-types-{name}.png")
        tabs.show_tab(tabs.kiosk_pin)
        settle(300)
        window.grab().save(str(out / f"36-admin-kiosk-pin-offline-{name}.png"))
        print(f"  36-admin-kiosk-pin-offline-{name}.png")
        tabs.show_tab(tabs.audit)
        after(tabs.audit.refreshed, tabs.audit.refresh, 15_000)
        settle(300)
        window.grab().save(str(out / f"37-admin-audit-unknown-logins-{name}.png"))
        print(f"  37-admin-audit-unknown-logins-{name}.png")
    window.close()
    hall.engine.dispose()


def _audit_copies(hall: Any) -> None:
    """The server's copies: this desk's own log as its sync sends it, a counter's morning (sealed with a key of its
    own), and a kiosk's receipts relayed by the hall server of 黄宅镇."""
    import json
    from datetime import timedelta

    from sqlalchemy import select

    from db.models import AuditRow
    from desktop.domain.access import Actor
    from desktop.domain.audit import GENESIS, AuditAction, AuditEntry, seal
    from desktop.domain.chinatime import china_now
    from desktop.services.reference_feed import share_settings
    from server.audit_copy import audit_copies, relay_audit, store_audit
    from server.protocol import AuditUpEntry, RelayedDevice
    from server.store import Device, enrol_device

    if audit_copies(hall, Actor.system("screenshots")):
        return

    def wire(entries: list[AuditEntry]) -> list[AuditUpEntry]:
        return [AuditUpEntry(**{**vars(e), "detail": dict(e.detail)}) for e in entries]

    def chain(device: str, steps: list[tuple[Actor, AuditAction, str, dict[str, Any]]]) -> list[AuditEntry]:
        key, prev, made = os.urandom(32), GENESIS, []
        start = china_now().replace(microsecond=0) - timedelta(minutes=2 * len(steps) + 30)
        for seq, (actor, action, target, detail) in enumerate(steps, 1):
            entry = seal(key, AuditEntry(seq, (start + timedelta(minutes=2 * seq)).isoformat(timespec="seconds"),
                                         device, actor.actor_id, actor.display_name, action.value, target, detail,
                                         prev))
            made.append(entry)
            prev = entry.entry_hash
        return made

    with hall.sessions() as session:
        own = [AuditEntry(r.seq, r.at, r.device, r.actor_id, r.actor_name, r.action, r.target, json.loads(r.detail),
                          r.prev_hash, r.entry_hash) for r in session.scalars(select(AuditRow).order_by(AuditRow.seq))]
    store_audit(hall, Device(hall.settings.device_id, "admin", hall_code="PJ"), wire(own))
    clerk, stranger = Actor("staff:chenjie", "陈杰", "clerk"), Actor("staff:wangqiang", "王强", "clerk")
    morning: list[tuple[Actor, AuditAction, str, dict[str, Any]]] = [
        (stranger, AuditAction.LOGIN_FAILED, "wangqiang", {"reason": "wrong_password"}),
        (clerk, AuditAction.LOGIN, "chenjie", {"role": "clerk"})]
    for n in range(1, 61):
        case = f"PJ2026{n + 410:05d}"
        morning.append((clerk, AuditAction.REGISTRATION, case, {}))
        morning.append((clerk, AuditAction.PRINT, case, {"job": f"j{n}", "kind": "来访登记回执",
                                                         "printer": "前台打印机", "status": "printed"}))
        if n % 12 == 0:
            morning.append((clerk, AuditAction.VIEW_PERSONAL, case, {"reason": "核实身份证号码"}))
    morning.append((clerk, AuditAction.SCREEN_LOCKED, "chenjie", {"idle": True}))
    store_audit(hall, Device("c3a81f20b7e4", "counter", hall_code="PJ"), wire(chain("C3", morning)))
    share_settings(hall, Actor.system("screenshots"), {"hall_name": "黄宅镇信访接待大厅"}, hall_code="HZ")
    enrol_device(hall, "h5e1a9c3d7b2", "hall", hall_code="HZ")
    receipts = [(Actor.kiosk("K01"), AuditAction.PRINT, "来访登记回执",
                 {"job": f"k{n}", "kind": "来访登记回执", "printer": "终端打印机", "status": "printed"})
                for n in range(18)]
    relay_audit(hall, Device("h5e1a9c3d7b2", "hall", hall_code="HZ"),
                RelayedDevice(device_id="k2b8f0d64e19", role="kiosk", device_code="K01", place="镇便民服务中心门口"),
                wire(chain("K01", receipts)))


def _audit_copy_screenshots(window: Any, tabs: Any, out: Path) -> None:
    """服务器审计副本: the list, a counter's newest hundred (1366×768), the same and its older page (1920×1080)."""
    from desktop.services import accounts

    panel = tabs.audit_copies
    assert panel is not None
    tabs.show_tab(panel)
    panel.password.setText(accounts.DEMO_PASSWORD)
    after(panel.refreshed, panel.refresh, 15_000)
    row = next(i for i, c in enumerate(panel.copies) if c.device_id == "c3a81f20b7e4")
    after(panel.opened, lambda: panel.copies_table.selectRow(row), 15_000)
    for size in ((1366, 768), (1920, 1080)):
        window.resize(*size)
        settle(600)
        name = f"30-admin-audit-copies-{size[0]}x{size[1]}.png"
        window.grab().save(str(out / name))
        print(f"  {name}")
    after(panel.opened, lambda: panel.turn(1), 15_000)
    settle(400)
    window.grab().save(str(out / "30b-admin-audit-copies-older-1920x1080.png"))
    print("  30b-admin-audit-copies-older-1920x1080.png")
    window.resize(1366, 768)


def _directory_changes(hall: Any) -> None:
    """The directory after a reform: the education bureau renamed, the health bureau merged into a new commission."""
    from desktop.domain.access import Actor
    from desktop.services import organisations
    from desktop.services.organisations import OrganisationForm

    admin = Actor("staff:guanli1", "管理员", "admin")
    entries = {e.code: e for e in organisations.directory_listing(hall, admin).entries}
    if "330726-WJW" in entries:
        return
    education = entries["330726-JYJ"].form()
    organisations.save_organisation(hall, admin, OrganisationForm(**{**vars(education), "name": "浦江县教育体育局"}),
                                    new=False)
    organisations.save_organisation(hall, admin, OrganisationForm(
        "330726-WJW", "浦江县卫生健康委员会", "政府工作部门", "330726", "330726-ZF", ("06",), "浦江县某某路24号",
        "0579-84100000", "县卫健委来访接待室"), new=True)
    organisations.retire_organisation(hall, admin, "330726-WJJ")


def _organisation_screenshots(window: Any, tabs: Any, out: Path) -> None:
    """组织机构 on the server's directory: the renamed unit selected (its earlier name shown), the retired one, a
    mistake refused, the question before retiring, at 1366×768 and 1920×1080."""
    from desktop.services import accounts

    panel = tabs.organisations
    assert panel is not None
    tabs.show_tab(panel)
    panel.password.setText(accounts.DEMO_PASSWORD)
    after(panel.refreshed, panel.refresh, 15_000)

    def pick(code: str) -> None:
        panel.table.selectRow(next(i for i, e in enumerate(panel.entries) if e.code == code))
        settle(200)

    for size, code in (((1366, 768), "330726-JYJ"), ((1920, 1080), "330726-WJJ")):  # renamed; retired
        window.resize(*size)
        pick(code)
        panel.table.scrollTo(panel.table.currentIndex())
        settle(600)
        name = f"29-admin-organisations-{size[0]}x{size[1]}.png"
        window.grab().save(str(out / name))
        print(f"  {name}")
    window.resize(1366, 768)
    panel.new()
    panel.code.setText("330726-TYJ")
    panel.name.setText("浦江县教育体育局")  # taken: refused, next to the field
    panel.kind.setCurrentIndex(panel.kind.findData("政府工作部门"))
    panel.region.set_code("330726")
    after(panel.tasks.settled, panel.save, 15_000)
    settle(400)
    window.grab().save(str(out / "29b-admin-organisations-refused-1366x768.png"))
    print("  29b-admin-organisations-refused-1366x768.png")
    panel.new()  # the refused unit let go (picking another would first ask whether to)
    pick("330726-RSJ")
    panel.retire_or_reinstate()
    settle(600)
    screen = window.screen()  # the question is a window of its own: the screen as the administrator sees it
    frame = window.frameGeometry()
    screen.grabWindow(0, frame.x(), frame.y(), frame.width(), frame.height()).save(
        str(out / "29c-admin-organisations-retire-question-1366x768.png"))
    print("  29c-admin-organisations-retire-question-1366x768.png")
    if panel.question is not None:
        panel.question.reject()


def _busy_hall(hall: Any) -> None:
    """A busy morning: seven window types (one with a 32-character name), 30 people waiting, one type stopped
    while its tickets still wait; windows calling, recalling, skipping, transferring and finishing."""
    from desktop.domain.queue import QueueAction, TicketSource, WindowType
    from desktop.domain.roles import Actor
    from desktop.services import queue

    admin = Actor("staff:guanli1", "管理员", "admin")
    for code, name, prefix, windows in (
            ("veterans", "退役军人事务与优抚安置政策咨询", "D", (5,)),
            ("land", "征地拆迁与不动产登记历史遗留问题专窗（含补偿安置）", "E", (6,)),
            ("health", "医疗卫生、社会保障和劳动就业", "F", (7,))):
        queue.save_window_type(hall, admin, WindowType(code, name[:32], prefix, windows))
    _reception_days(hall)  # 领导接访 numbers are given on a reception day only
    codes = ("general", "general", "wages", "legal", "veterans", "land", "health", "general", "legal", "leader")
    tickets = [queue.issue_ticket(hall, type_code=codes[n % len(codes)], source=TicketSource.KIOSK).ticket
               for n in range(36)]
    for window in (1, 2, 3):
        queue.call_next(hall, window=window)
    first = queue.window_view(hall, window=1).current
    assert first is not None
    queue.act(hall, first.ticket_id, QueueAction.SKIP, window=1)          # 过号
    queue.call_next(hall, window=1)
    second = queue.window_view(hall, window=2).current
    assert second is not None
    queue.act(hall, second.ticket_id, QueueAction.TRANSFER, window=2, type_code="legal")
    queue.call_next(hall, window=2)
    third = queue.window_view(hall, window=3).current
    assert third is not None
    queue.act(hall, third.ticket_id, QueueAction.START, window=3)
    queue.act(hall, third.ticket_id, QueueAction.FINISH, window=3)
    queue.call_next(hall, window=3)
    legal = next(t for t in queue.all_window_types(hall) if t.code == "legal")
    from dataclasses import replace

    queue.save_window_type(hall, admin, replace(legal, active=False))  # stopped while its tickets wait
    del tickets


def display_screenshots(db: Path, out: Path) -> None:
    """The call display on a busy morning, landscape and portrait, with the hall server reachable and not;
    a recall made while it is on screen flashes."""

    from PySide6.QtWidgets import QApplication

    from desktop.app import apply_role_theme as apply_theme
    from desktop.config import load_settings
    from desktop.domain.queue import QueueAction
    from desktop.installation import open_hall
    from desktop.services import queue

    settings = load_settings()
    hall = open_hall(settings, db)
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    apply_theme(app, "display")
    from ui.shell.collector import GuiThreadCollector

    collector = GuiThreadCollector(app)  # as the program does: cycles holding Qt objects freed on this thread

    for name, (width, height) in SIZES.items():  # the morning's first minutes: nobody called yet
        source, device, board = _open_display(hall, settings, (width, height))
        settle(400)
        device.grab().save(str(out / f"16-display-empty-{name}.png"))
        print(f"  16-display-empty-{name}.png")
        device.close()
        source.close()
    _busy_hall(hall)
    for name, (width, height) in SIZES.items():
        for state in ("", "-offline"):
            source, device, board = _open_display(hall, settings, (width, height), offline=bool(state))
            current = queue.window_view(hall, window=2).current
            assert current is not None
            recalled = current.ticket_id
            after(board.tasks.settled, lambda ticket=recalled: queue.act(hall, ticket, QueueAction.RECALL, window=2))
            settle(400)
            device.grab().save(str(out / f"16-display-busy-{name}{state}.png"))
            print(f"  16-display-busy-{name}{state}.png")
            device.close()
            source.close()
    # three windows in a row call a number nobody answers (过号): the last one's headline says 过号, and in
    # portrait the two before it stand side by side in the last calls, each whole
    for window in (4, 5, 6):
        called = queue.call_next(hall, window=window)
        if called is not None:
            queue.act(hall, called.ticket_id, QueueAction.SKIP, window=window)
    for name, (width, height) in SIZES.items():
        source, device, board = _open_display(hall, settings, (width, height))
        settle(400)
        device.grab().save(str(out / f"16-display-passed-{name}.png"))
        print(f"  16-display-passed-{name}.png")
        device.close()
        source.close()
    collector.stop()
    hall.engine.dispose()


def kiosk_keyboard_screenshot(db: Path, out: Path) -> None:
    """The kiosk's flows with the pinyin keyboard up, the whole screen, in the screen's orientation
    (landscape 1920×1080 or portrait 1080×1920), normal, large text and high contrast."""
    from ui.kiosk.input_method import use_on_screen_keyboard

    use_on_screen_keyboard()
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication

    from desktop.app import apply_role_theme as apply_theme
    from desktop.app import build_window
    from desktop.config import load_settings
    from desktop.installation import open_hall
    from ui.kiosk.booking import BookingFlow
    from ui.kiosk.progress import ProgressFlow
    from ui.kiosk.register import RegistrationFlow
    from ui.kiosk.shell import KioskShell
    from ui.kiosk.suggest import SuggestionFlow

    hall = open_hall(load_settings(), db)
    answered = _answered_case(hall)
    _reception_days(hall)
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    apply_theme(app, "kiosk")


    window = build_window(hall, "kiosk")
    body = window.body  # type: ignore[union-attr]
    assert isinstance(body, KioskShell)
    screen = QGuiApplication.primaryScreen()
    orientation = "portrait" if screen.geometry().height() > screen.geometry().width() else "landscape"
    window.setGeometry(screen.geometry())  # no window manager under Xvfb to make it full screen
    window.show()
    window.activateWindow()
    settle(500)
    method = QGuiApplication.inputMethod()

    def shoot(name: str, field: Any) -> None:
        field.setFocus()
        for _ in range(50):
            method.show()
            settle(100)
            if method.isVisible():
                break
        settle(800)
        shot = screen.grabWindow(0)
        file = f"21-kiosk-{orientation}-keyboard-{name}.png"
        shot.save(str(out / file))
        del shot
        print(" ", file, "（键盘已显示）" if method.isVisible() else "（键盘没有出现）")

    def type_pinyin(letters: str) -> None:
        """Letters tapped on the keyboard (its own engine, as a finger's tap on each key)."""
        from PySide6.QtQml import QQmlExpression, qmlContext

        from ui.kiosk.keyboard import find_keyboard

        keyboard = find_keyboard()
        if keyboard is None:
            return

        def run(js: str) -> Any:
            value = QQmlExpression(qmlContext(keyboard), keyboard, js).evaluate()
            return value[0] if isinstance(value, tuple) else value

        for _ in range(50):  # the keyboard's first time up: its pinyin loads a moment after it shows
            if run("InputContext.inputEngine.inputMethod !== null"):
                break
            settle(100)
        for letter in letters:
            run(f"InputContext.inputEngine.virtualKeyClick(Qt.Key_{letter.upper()}, '{letter}', 0)")
            settle(50)
        for _ in range(50):
            if run("wordCandidateView.count > 0"):
                break
            settle(100)

    # every field in the normal look and with large text and high contrast both; the first ones in the others
    for mode in ("", "large", "contrast", "large-contrast"):
        whole = mode in ("", "large-contrast")

        def wipe(mode: str = mode) -> None:
            body.wipe()
            body.large_button.setChecked("large" in mode)
            body.contrast_button.setChecked("contrast" in mode)

        wipe()
        suffix = f"-{mode}" if mode else ""
        flow = body.open_flow("register")
        assert isinstance(flow, RegistrationFlow)
        shoot(f"01-register-name{suffix}", flow.name)
        if mode in ("", "large"):  # the characters pinyin offers, in the row above the keys
            type_pinyin("wang")
            shoot(f"01b-register-name-candidates{suffix}", flow.name)
            method.reset()  # the pinyin being composed is dropped
            # words of two characters (以来, 依赖, 一来) beside the row's separators
            flow.show_step(2)
            flow.request.setFocus()
            method.show()
            settle(300)
            type_pinyin("yilai")
            shoot(f"01c-register-request-candidates{suffix}", flow.request)
            method.reset()
            flow.show_step(0)
        flow.name.setText("欧阳春花")
        if whole:
            shoot(f"01-register-id-number{suffix}", flow.id_number)
        shoot(f"02-register-phone{suffix}", flow.phone)
        if not whole:
            continue
        flow.show_step(2)
        flow.request.setPlainText("村口道路塌陷半年无人修，雨天无法通行，请求尽快修复")
        shoot(f"03-register-request{suffix}", flow.request)
        flow.show_step(3)
        shoot(f"04-register-reasons{suffix}", flow.reasons)
        wipe()
        progress = body.open_flow("progress")
        assert isinstance(progress, ProgressFlow)
        shoot(f"05-progress-code{suffix}", progress.code)
        if whole:
            shoot(f"05b-progress-number{suffix}", progress.number)
        wipe()
        suggest = body.open_flow("suggest")
        assert isinstance(suggest, SuggestionFlow)
        suggest.choose("", "自由建议")
        shoot(f"06-suggest-content{suffix}", suggest.content)
        suggest.content.setPlainText("建议大厅为老年人提供老花镜和放大镜，并在取号机旁安排志愿者")
        suggest.check_content()
        shoot(f"07-suggest-phone{suffix}", suggest.phone)
        if "booking" in body.tile_buttons:
            wipe()
            booking = body.open_flow("booking")
            assert isinstance(booking, BookingFlow)
            while booking.tasks.busy:
                settle(100)
            if booking.days:  # the form as the citizen reaches it: its day and slot above it
                booking.choose_day(booking.days[0])
                booking.choose_slot(0)
            else:
                booking.pages.setCurrentWidget(booking.who_page)
            if whole:
                shoot(f"08c-booking-name{suffix}", booking.name)
            shoot(f"08-booking-phone{suffix}", booking.phone)
            shoot(f"08b-booking-id-number{suffix}", booking.id_number)
            if whole:  # the form's last field: the day and the slot chosen still said over it
                shoot(f"08d-booking-summary{suffix}", booking.summary)
        if whole:  # 评价: the reason's box with the keyboard up, 提交评价 with it
            wipe()
            progress = body.open_flow("progress")
            assert isinstance(progress, ProgressFlow)
            progress.number.setText(answered[0])
            progress.code.setText(answered[1])
            progress.query_progress()
            while progress.tasks.busy:
                settle(100)
            if progress.rate_button.isVisible():
                progress.open_rating()
                progress.choice_buttons["基本满意"].setChecked(True)
                shoot(f"09-rating-reason{suffix}", progress.reason)

    def grab(name: str) -> None:
        """The whole screen as it is (the keyboard's window included, if it is up)."""
        settle(800)
        file = f"22-kiosk-{orientation}-{name}.png"
        screen.grabWindow(0).save(str(out / file))
        print(" ", file, "（键盘已显示）" if method.isVisible() else "（键盘未显示）")

    # The idle countdown while a name is being typed: the keyboard steps aside, 继续使用 brings it back;
    # 返回首页 with the form half done asks first — normal, large text, large text with high contrast
    for mode in ("", "large", "large-contrast"):
        body.wipe()
        body.large_button.setChecked("large" in mode)
        body.contrast_button.setChecked("contrast" in mode)
        suffix = f"-{mode}" if mode else ""
        flow = body.open_flow("register")
        assert isinstance(flow, RegistrationFlow)
        flow.name.setText("王")
        shoot(f"09-register-name-typing{suffix}", flow.name)
        type_pinyin("jian")
        body.start_countdown()
        grab(f"01-countdown-while-typing{suffix}")
        body.keep_going()
        grab(f"02-countdown-continued{suffix}")
        body.ask_home()
        grab(f"03-leave-question{suffix}")
        body.stay()
        grab(f"04-leave-question-stayed{suffix}")
    body.wipe()
    window.close()
    settle(300)
    hall.engine.dispose()
    # The keyboard's QML scene lets go of its images after the application at exit (Qt aborts then):
    # leave at once, everything is saved.
    sys.stdout.flush()
    os._exit(0)


class _HallServerDown:
    """A hall server that does not answer (the kiosk's records link, disconnected)."""

    connected = False

    def command(self, path: str, body: dict[str, Any]) -> Any:
        from desktop.services.hallrecords import Unreachable

        raise Unreachable("connection refused")


def hallday_screenshots(db: Path, out: Path) -> None:
    """The hall's day: the kiosk's 取号 at 3 a.m. (when the hall opens), the counter asked before a number out of
    hours, the administrator's 大厅开放时间, a reception day removed (asked) and one refused (booked), the guide's
    time limits counted in working days, the materials of a visitor's cases opened from 今日接访, and the call display
    when voice is unavailable."""
    from dataclasses import replace
    from datetime import datetime, time, timedelta

    from PySide6.QtWidgets import QApplication

    from desktop.app import apply_role_theme as apply_theme
    from desktop.app import build_window
    from desktop.config import load_settings
    from desktop.domain.access import Actor
    from desktop.installation import open_hall
    from desktop.services import hallrecords, reception
    from ui.admin.work import AdminTabs
    from ui.counter.work import CounterWork
    from ui.kiosk.booking import BookingFlow
    from ui.kiosk.guide import GuideFlow
    from ui.kiosk.shell import KioskShell
    from ui.kiosk.ticket import TicketFlow
    from ui.leader.work import LeaderWork

    os.environ.pop("PH_HALL_HOURS", None)  # the default opening hours, 工作日 8:30–12:00、13:30–17:30
    settings = load_settings()
    hall = open_hall(settings, db)
    night = replace(hall, now=lambda: datetime.combine(hall.today(), time(3, 0)))
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)

    def save(widget: Any, name: str) -> None:
        settle(500)
        widget.grab().save(str(out / f"{name}.png"))
        print(f"  {name}.png")

    def until(check: Callable[[], bool]) -> None:
        for _ in range(100):
            if check():
                return
            settle(100)

    apply_theme(app, "kiosk")
    system = Actor.system("screenshots")
    # an ordinary working day, 10:00, with a reception day scheduled later: where 领导接访 would be, why not today
    days = [hall.today() + timedelta(days=n) for n in range(1, 60)]
    plain = next(d for d in days if hall.policy.calendar.is_workday(d) and not reception.list_days(hall, system, d, d))
    if not reception.list_days(hall, system, plain + timedelta(days=1)):
        later = next(d for d in days if d > plain and hall.policy.calendar.is_workday(d))
        reception.add_day(hall, system, later, leaders=["县长 周建华"], topics="劳动保障")
    ordinary = replace(hall, now=lambda: datetime.combine(plain, time(10, 0)))
    unreachable = replace(hall)  # a kiosk whose hall server does not answer
    hallrecords.attach_remote(unreachable, _HallServerDown())
    walks = {**{name: (size, False) for name, size in SIZES.items()},
             **{f"{name}-large": (size, True) for name, size in SIZES.items()}}
    for name, (size, large) in walks.items():
        for shown, on in (("41-kiosk-ticket-closed", night), ("41c-kiosk-ticket-no-reception-day", ordinary),
                          ("41d-kiosk-booking-server-unreachable", unreachable)):
            window = build_window(on, "kiosk")
            body = window.body  # type: ignore[union-attr]
            assert isinstance(body, KioskShell)
            window.resize(*size)
            window.show()
            body.large_button.setChecked(large)
            if on is unreachable:
                booking = body.open_flow("booking")
                assert isinstance(booking, BookingFlow)
                until(lambda booking=booking: not booking.tasks.busy and booking.day_buttons.count() > 0)
            else:
                flow = body.open_flow("ticket")
                assert isinstance(flow, TicketFlow)
                until(lambda flow=flow: not flow.tasks.busy and bool(flow.closed or flow.type_buttons))
            save(window, f"{shown}-{name}")
            window.close()
    working = replace(hall, settings=replace(hall.settings, day_counting="working"))
    window = build_window(working, "kiosk")
    body = window.body  # type: ignore[union-attr]
    assert isinstance(body, KioskShell)
    window.resize(*SIZES["landscape"])
    window.show()
    guide = body.open_flow("guide")
    assert isinstance(guide, GuideFlow)
    guide.show_topic(3)
    save(window, "42-kiosk-guide-time-limits-working-days-landscape")
    window.close()

    apply_theme(app, "counter")
    window = signed_in(night, "counter", "chuangkou1")
    counter = window.work
    assert isinstance(counter, CounterWork) and counter.queue is not None
    bar = counter.queue
    after(bar.tasks.settled, bar.issue)
    save(window, "43-counter-after-hours-1366x768")
    if bar.closed_question is not None:
        save(bar.closed_question, "43b-counter-after-hours-question")
        bar.closed_question.reject()
    window.close()

    window = signed_in(hall, "admin", "guanli1")
    tabs = window.work
    assert isinstance(tabs, AdminTabs) and tabs.hours is not None
    tabs.show_tab(tabs.hours)
    tabs.hours.hours.setText("8:30-12:00,13:30-17:30,18:00-17:00")
    after(tabs.hours.tasks.settled, tabs.hours.save)
    save(window, "44-admin-hall-hours-refused-1366x768")
    tabs.hours.hours.setText("08:30-12:00,13:30-17:30")
    after(tabs.hours.saved, tabs.hours.save)
    save(window, "44b-admin-hall-hours-1366x768")
    window.close()

    person = _known_person(hall)
    booked = None
    for offset in range(3, 40):  # two working days ahead: one with a citizen booked, one left free
        day = hall.today() + timedelta(days=offset)
        if hall.policy.calendar.is_workday(day) and not reception.list_days(hall, system, day, day):
            added = reception.add_day(hall, system, day, leaders=["副县长 李明"], topics="城乡建设")
            if booked is not None:
                break
            booked = added
            if person is not None:
                reception.book(hall, system, added.day_id, reception.Visitor(person.name, person.id_number))
    window = signed_in(hall, "leader", "lingdao1")
    leader = window.work
    assert isinstance(leader, LeaderWork)
    schedule = leader.schedule
    leader.setCurrentWidget(schedule)
    until(lambda: bool(schedule.days))
    rows = {d.day_id: n for n, d in enumerate(schedule.days)}
    if booked is not None and booked.day_id in rows:
        schedule.table.selectRow(rows[booked.day_id])
        after(schedule.tasks.settled, schedule.remove_selected)
        save(window, "45-leader-schedule-remove-refused-1366x768")
    empty = next((d for d in schedule.days if sum(d.booked) == 0 and d.waiting == 0), None)
    if empty is not None:
        schedule.table.selectRow(schedule.days.index(empty))
        after(schedule.tasks.settled, schedule.remove_selected)
        if schedule.confirm is not None:
            save(schedule.confirm, "45b-leader-schedule-remove-question")
            schedule.confirm.reject()
    window.close()
    _leader_day_materials(hall, out, save)
    _booked_as_the_slot_runs(hall, save, until)

    apply_theme(app, "display")
    mute = replace(hall, settings=replace(hall.settings, voice_locale="zh_CN"))  # Qt's test engine: no Chinese voice
    source, device, board = _open_display(mute, mute.settings, SIZES["landscape"])
    until(lambda: board.voice_off.isVisible())
    save(device, "46-display-voice-unavailable-landscape")
    device.close()
    source.close()
    hall.engine.dispose()


def _booked_as_the_slot_runs(hall: Any, save: Callable[[Any, str], None], until: Callable[[Callable[[], bool]], None]
                             ) -> None:
    """Today's reception day at 10:51: booked into 10:30–12:00 at the kiosk (1920×1080, 1080×1920) and at the
    counter (1366×768, 1920×1080), each told to come to the window now and which case the leader decides on; the
    leader's 包案 board with its new deadline offered."""
    from dataclasses import replace
    from datetime import datetime, time

    from stdnum.cn import ric

    from desktop.app import apply_role_theme as apply_theme
    from desktop.app import build_window
    from desktop.domain.access import Actor
    from desktop.services import reception
    from ui.counter.work import CounterWork
    from ui.kiosk.booking import BookingFlow
    from ui.kiosk.shell import KioskShell
    from ui.leader.work import LeaderWork

    late = replace(hall, now=lambda: datetime.combine(hall.today(), time(10, 51)))
    system = Actor.system("screenshots")
    if not reception.list_days(late, system, late.today(), late.today()):
        reception.add_day(late, system, late.today(), leaders=["县长 周建华"], slots="09:00-10:30/4,10:30-12:00/4")

    def visitor_id(seq: int) -> str:
        digits = f"33072619610315{seq:03d}"  # 17 digits: the place, the birth date, a sequence
        return digits + ric.calc_check_digit(digits + "0")

    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    apply_theme(app, "kiosk")
    for n, (name, size) in enumerate(SIZES.items()):
        window = build_window(late, "kiosk")
        body = window.body  # type: ignore[union-attr]
        assert isinstance(body, KioskShell)
        window.resize(*size)
        window.show()
        flow = body.open_flow("booking")
        assert isinstance(flow, BookingFlow)
        until(lambda flow=flow: not flow.tasks.busy and bool(flow.days))
        today = next((d for d in flow.days if d.day == late.today() and not d.over), None)
        if today is None:
            window.close()
            continue
        flow.choose_day(today)
        flow.choose_slot(next(i for i, _ in enumerate(today.slots) if not today.is_over(i) and today.left[i] > 0))
        flow.name.setText("许玉英")
        flow.id_number.setText(visitor_id(n + 1))
        flow.submit()
        until(lambda flow=flow: not flow.tasks.busy and flow.pages.currentWidget() is flow.result_page)
        settle(1500)  # the slip prints
        save(window, f"48-kiosk-booking-slot-under-way-{name}")
        window.close()
    apply_theme(app, "counter")
    for n, (name, size) in enumerate(COUNTER_SIZES.items()):
        window = signed_in(late, "counter", "chuangkou1")
        counter = window.work
        assert isinstance(counter, CounterWork)
        window.resize(*size)
        panel = counter.booking
        counter.tabs.setCurrentWidget(panel)
        until(lambda panel=panel: not panel.tasks.busy and panel.slot_box.count() > 1)
        panel.name.setText("张洁")
        panel.id_number.setText(visitor_id(n + 5))
        panel.submit()
        until(lambda panel=panel: "预约回执" in panel.message.text() or panel.message.property("tone") == "error")
        until(lambda panel=panel: not panel.printing.busy and not panel.tasks.busy)
        save(window, f"48b-counter-booking-slot-under-way-{name}")
        window.close()
    for name, size in COUNTER_SIZES.items():
        window = signed_in(late, "leader", "lingdao1")
        leader = window.work
        assert isinstance(leader, LeaderWork)
        window.resize(*size)
        board = leader.board
        leader.setCurrentWidget(board)
        until(lambda board=board: not board.tasks.busy and board.board.rowCount() > 0)
        if board.board.rowCount():
            board.board.selectRow(0)
        save(window, f"48c-leader-baoan-board-new-deadline-{name}")
        window.close()


class _NotYetUploaded:
    """The server as a PC reaches it for a material still on the PC that registered it."""

    def download_attachment(self, sha256: str) -> tuple[bytes, str]:
        from server.protocol import NOT_UPLOADED_YET, SyncProblem

        raise SyncProblem("refused", NOT_UPLOADED_YET)

    def close(self) -> None:
        pass


def _leader_day_materials(hall: Any, out: Path, save: Callable[[Any, str], None]) -> None:
    """今日接访 on a visitor whose two cases have materials: the links at 1920×1080 and 1366×768, one opened, and
    one still on the PC that registered it."""
    from dataclasses import replace
    from datetime import datetime, time

    from sqlalchemy import delete

    from db.models import AttachmentRow
    from desktop.domain.access import Actor
    from desktop.domain.errors import RuleViolation
    from desktop.services import attachments, cases, reception
    from desktop.services.registration import PersonInput, RegistrationForm, register_visit
    from ui.leader.work import LeaderWork

    morning = replace(hall, now=lambda: datetime.combine(hall.today(), time(8, 40)))  # before the day's first slot
    clerk = Actor("staff:chuangkou1", "王丽（演示）", "clerk")
    system = Actor.system("screenshots")
    person = PersonInput(name="张建国", document_number="330726196803123211", phone="13857912345")
    summary = "电梯停运问题多次反映未解决"  # the visitor on the day's list (names there are masked: 张**)
    photo, letter = _material_files()
    earlier = [attachments.store_bytes(hall, clerk, "电梯停运现场照片.png", photo)]
    now = [attachments.store_bytes(hall, clerk, "张建国来信（扫描件）.pdf", letter),
           attachments.store_bytes(hall, clerk, "物业服务合同.pdf", letter + b"\n% contract"),
           attachments.store_bytes(hall, clerk, "业主签名表.pdf", letter + b"\n% signatures")]
    first = register_visit(hall, clerk, RegistrationForm(
        petitioner=person, request="反映浦阳街道某小区3号楼电梯长期停运，物业不予维修，要求督促维修",
        region_code="330726001", attachments=tuple(r.as_payload() for r in earlier))).case_number
    cases.classify(hall, clerk, first, nature="申诉求决类", topic_code="0101")
    register_visit(hall, clerk, RegistrationForm(
        petitioner=person, request="再次反映3号楼电梯停运至今未修，要求领导协调解决并公开维修资金使用情况",
        region_code="330726001", attachments=tuple(r.as_payload() for r in now)))
    with hall.transaction() as session:  # the table of signatures came with the case's events from another counter
        session.execute(delete(AttachmentRow).where(AttachmentRow.sha256 == now[2].sha256))
    _reception_days(morning)
    (day,) = reception.list_days(morning, system, morning.today(), morning.today())
    with suppress(RuleViolation):  # booked already on an earlier run
        reception.book(morning, system, day.day_id,
                       reception.Visitor(person.name, person.document_number, "", 1, summary))
    window = signed_in(morning, "leader", "lingdao1")
    leader = window.work
    assert isinstance(leader, LeaderWork)
    screen = leader.day
    screen.materials.source = lambda _hall: _NotYetUploaded()
    leader.setCurrentWidget(screen)
    for _ in range(100):
        if any(a.summary == summary for a in screen.rows) and not screen.tasks.busy:
            break
        settle(100)
    row = next((n for n, a in enumerate(screen.rows) if a.summary == summary), 0)
    after(screen.opened, lambda: screen.table.selectRow(row))

    def show_links() -> None:  # the materials are under each case's steps: the dossier scrolled to the first
        found = screen.view.document().find("电梯停运现场照片.png")
        if not found.isNull():
            found.clearSelection()  # no highlight: it would look like a link with the keys on it
            screen.view.setTextCursor(found)
            screen.view.ensureCursorVisible()
            bar = screen.view.verticalScrollBar()
            bar.setValue(min(bar.maximum(), bar.value() + screen.view.viewport().height() // 3))

    for size, (width, height) in COUNTER_SIZES.items():
        window.resize(width, height)
        settle(300)
        show_links()
        save(window, f"47-leader-day-materials-{size}")
    after(screen.materials.shown, lambda: screen.open_material(now[0]))
    viewer = screen.materials.viewer
    if viewer is not None:
        save(viewer, "47b-leader-day-material-letter")
        viewer.close()
    screen.open_material(now[2])
    for _ in range(50):
        settle(100)
        if "尚未上传" in screen.material_note.text():
            break
    save(window, "47c-leader-day-material-not-yet-uploaded-1366x768")
    window.close()


def _material_files() -> tuple[bytes, bytes]:
    """A photo handed in (PNG) and a scanned letter of two pages (PDF), made here."""
    from PySide6.QtCore import QBuffer, QIODevice, QMarginsF, QRectF, Qt
    from PySide6.QtGui import QColor, QFont, QImage, QPageLayout, QPageSize, QPainter, QPdfWriter

    image = QImage(1200, 800, QImage.Format.Format_RGB32)
    image.fill(QColor("#c9d6df"))
    painter = QPainter(image)
    painter.fillRect(QRectF(80, 300, 1040, 420), QColor("#6b7b8c"))
    painter.fillRect(QRectF(480, 420, 240, 300), QColor("#3b3b3b"))
    painter.setFont(QFont("Noto Sans CJK SC", 36))
    painter.drawText(QRectF(0, 60, 1200, 120), Qt.AlignmentFlag.AlignCenter, "3号楼电梯停运现场（2026年12月1日）")
    painter.end()
    photo = QBuffer()
    photo.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(photo, "PNG")
    letter = QBuffer()
    letter.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(letter)
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                                     QMarginsF(20, 20, 20, 20), QPageLayout.Unit.Millimeter))
    writer.setResolution(150)
    painter = QPainter(writer)
    painter.setFont(QFont("Noto Serif CJK SC", 14))
    lines = ["浦江县人民来访接待中心：", "",
             "    我是浦阳街道某小区3号楼的住户。今年11月以来，楼内电梯多次停运，",
             "物业公司一直未予维修，老人和孩子上下楼十分困难。",
             "恳请有关部门督促物业尽快维修，并公开维修资金的使用情况。", "",
             "                                    来信人：张建国", "                                    2026年12月1日"]
    for n, text in enumerate(lines):
        painter.drawText(60, 120 + n * 50, text)
    writer.newPage()
    painter.drawText(60, 120, "附：业主签名（共43户）")
    painter.end()
    return bytes(photo.data().data()), bytes(letter.data().data())


def materials_screenshots(db: Path, out: Path) -> None:
    """A case registered with a photo and a scanned letter: the case with its materials' links at 1366×768 and
    1920×1080, each opened in the program, and a material still on the PC that registered it."""
    from PySide6.QtWidgets import QApplication
    from sqlalchemy import delete

    from db.models import AttachmentRow
    from desktop.app import apply_role_theme as apply_theme
    from desktop.config import load_settings
    from desktop.installation import open_hall
    from desktop.services import accounts, attachments
    from desktop.services.context import Actor
    from desktop.services.registration import PersonInput, RegistrationForm, register_visit
    from ui.counter.work import CounterWork

    hall = open_hall(load_settings(), db)
    if not accounts.has_accounts(hall):
        accounts.create_demo_accounts(hall)
    clerk = Actor("staff:chuangkou1", "王丽（演示）", "clerk")
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    photo, letter = _material_files()
    refs = [attachments.store_bytes(hall, clerk, "电梯停运现场照片.png", photo),
            attachments.store_bytes(hall, clerk, "张建国来信（扫描件）.pdf", letter),
            attachments.store_bytes(hall, clerk, "业主签名表.pdf", letter + b"\n% signatures")]
    number = register_visit(hall, clerk, RegistrationForm(
        petitioner=PersonInput(name="张建国", document_number="330726196803123211", phone="13857912345"),
        request="反映浦阳街道某小区3号楼电梯长期停运，物业不予维修，要求督促维修并公开维修资金使用情况",
        region_code="330726001", attachments=tuple(r.as_payload() for r in refs))).case_number
    with hall.transaction() as session:  # the third came with the case's events from another counter
        session.execute(delete(AttachmentRow).where(AttachmentRow.sha256 == refs[2].sha256))

    apply_theme(app, "counter")
    window = signed_in(hall, "counter", "chuangkou1")
    work = window.work
    assert isinstance(work, CounterWork)
    search = work.search
    search.material_source = lambda _hall: _NotYetUploaded()
    for size, (width, height) in COUNTER_SIZES.items():
        window.resize(width, height)
        work.tabs.setCurrentWidget(work.desk)
        search.query.setText(number)
        after(search.searched, search.run_search)
        after(search.detail_shown, lambda: search.table.setCurrentCell(0, 0))
        settle(300)
        bar = search.detail.verticalScrollBar()
        bar.setValue(bar.maximum())  # the materials come after the request
        settle(200)
        window.grab().save(str(out / f"40-case-materials-{size}.png"))
        for n, name in ((0, "41-material-photo"), (1, "42-material-letter")):
            after(search.material_shown, lambda n=n: search.open_material(refs[n]))
            settle(600)
            viewer = search.viewer
            assert viewer is not None
            viewer.grab().save(str(out / f"{name}-{size}.png"))
            viewer.close()
        search.open_material(refs[2])
        for _ in range(50):
            settle(100)
            if "尚未上传" in search.reveal_note.text():
                break
        window.grab().save(str(out / f"43-material-not-yet-uploaded-{size}.png"))
        print(f"  40–43 materials-{size}.png")
    window.close()
    hall.engine.dispose()


if __name__ == "__main__":
    main()
