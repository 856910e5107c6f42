"""Composition root: the only place that builds everything and imports the UI.

Start-up order: settings → Qt application → theme → the role's main window,
painted at once; after its first frame a background thread opens the hall
(database layer, key store, encrypted database, schema check; ui/startup.py). Kiosks and the hall
display act as their device (no sign-in); the staff windows (counter, leader,
admin) open on their sign-in page and act as whoever signs in. Nothing here
imports SQLAlchemy before the first frame: that is what lets a window take
input in about the time a bare Qt window needs.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop.config import Settings
from desktop.domain.roles import Actor, WindowRole

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication, QWidget

    from desktop.domain.queue import IssuedTicket, QueueBoard, WindowType
    from desktop.services.context import Hall
    from desktop.services.queue import TicketNotes
    from desktop.sync.authority import AuthorityLink
    from ui.shell.context import WorkContext
    from ui.shell.device import DeviceWindow
    from ui.shell.preload import NativePreload
    from ui.shell.staff import StaffWindow
    from ui.shell.startup import HallSource


#: How long a thread may hold the interpreter while another waits for it (Python's default: 5 ms).
GUI_SWITCH_INTERVAL_S = 0.001


def device_actor(role: WindowRole | str, settings: Settings) -> Actor:
    """Who a kiosk or the hall display acts as: the device itself, never a person."""
    if role == WindowRole.KIOSK:
        return Actor.kiosk(settings.device_code)
    if role == WindowRole.DISPLAY:
        return Actor.display_screen(settings.device_code)
    raise ValueError(f"{role} is a staff window: someone must sign in")


def _window_types(hall: Hall) -> list[WindowType]:
    from desktop.services import queue  # on the worker thread, after the first frame

    return queue.offered_types(hall)  # 领导接访 only on a reception day


def _issue_ticket(hall: Hall, **ticket: Any) -> IssuedTicket:
    from desktop.services import queue

    return queue.issue_ticket(hall, **ticket)


def _closed_now(hall: Hall) -> str:
    from desktop.services import queue

    return queue.closed_now(hall)


def _ticket_notes(hall: Hall) -> TicketNotes:
    from desktop.services import queue

    return queue.ticket_notes(hall)


def work_for(role: WindowRole, ctx: WorkContext, parent: QWidget | None = None) -> QWidget:
    """What ``role``'s window shows to whoever works in it; each role's screens load only here.

    A kiosk's or the display's page is built straight into ``parent`` (the device window's pages).
    """
    if role is WindowRole.COUNTER:
        from ui.counter.work import counter_work

        return counter_work(ctx)
    if role is WindowRole.LEADER:
        from ui.leader.work import leader_work

        return leader_work(ctx)
    if role is WindowRole.ADMIN:
        from ui.admin.work import admin_work

        return admin_work(ctx)
    if role is WindowRole.KIOSK:
        from ui.kiosk.body import booking_flow, kiosk_body, ticket_flow

        return kiosk_body(ctx, parent, ticket=ticket_flow(_window_types, _issue_ticket, _closed_now, _ticket_notes),
                          booking=booking_flow)
    from ui.display.board import display_body

    return display_body(ctx, read_queue_board, parent)


def read_queue_board(hall: Hall) -> QueueBoard:
    """What the call display shows: the hall queue's board (imported when first read, off the GUI thread)."""
    from desktop.services.queue import board

    return board(hall)


def build_window(hall: Hall | HallSource, role: WindowRole | str, *,
                 idle_ms: int | None = None) -> StaffWindow | DeviceWindow:
    """The main window of ``role`` with its own task manager; staff windows lock after ``idle_ms``."""
    from ui.shell.context import WindowContext
    from ui.shell.startup import HallSource
    from ui.shell.tasks import TaskManager

    window_role = WindowRole(role)
    source = HallSource.of(hall)
    ctx = WindowContext(source, TaskManager(source), window_role)
    if window_role.is_device:  # a kiosk or the display loads none of the staff windows' sign-in pages
        from ui.shell.device import DeviceWindow

        return DeviceWindow(ctx.acting_as(device_actor(window_role, source.settings)),
                            lambda work, parent: work_for(window_role, work, parent))
    from ui.shell.staff import StaffWindow

    return StaffWindow(ctx, lambda work: work_for(window_role, work), idle_ms=idle_ms)


def apply_role_theme(app: QApplication, role: WindowRole | str) -> None:
    """The application's look for ``role``; a kiosk's normal mode is part of the application's style sheet.

    (The kiosk page sets a style sheet of its own only for large text or high contrast: a widget's own
    style sheet is evaluated again for its whole tree each time the tree moves to a new parent, which
    building the window does several times.)
    """
    from ui.shell.theme import apply_theme

    extra = ""
    if WindowRole(role) is WindowRole.KIOSK:
        from ui.kiosk.style import kiosk_style

        extra = kiosk_style(large=False, contrast=False)
    apply_theme(app, WindowRole(role).value, extra)


def open_installation(settings: Settings, db_path: Path) -> Hall:
    """The hall on this installation's encrypted database (runs on the opening thread).

    Only the installation's own database (the path in the settings) is created when it does
    not exist yet — the first start — and the start says so; a ``--db`` path that does not
    exist is refused as a mistyped path.
    """
    from desktop.installation import open_hall, same_file

    first_start = not db_path.exists() and same_file(db_path, settings.database_path)
    hall = open_hall(settings, db_path, create=first_start, migrate_apart=True)  # the window stays lean for months
    if first_start:
        print(f"首次启动：已新建加密数据库 {db_path}", file=sys.stderr, flush=True)
    return hall


def _queue_links(source: HallSource, role: WindowRole, db_path: Path) -> list[AuthorityLink]:
    """The hall server's push channels (the queue; the reception days, bookings and suggestions), once the hall is open.

    Started off the GUI thread (the device token comes from the key store); the list holds the
    links to stop when the window closes. Without a ``server_url`` the local database is the
    authority of both.
    """
    import threading

    links: list[AuthorityLink] = []
    if not source.settings.server_url:
        return links

    def start(hall: Hall) -> None:
        from desktop.sync.queue_client import start_queue_link
        from desktop.sync.records_client import start_records_link

        # the administration desk too: its window types follow the hall server's pushes
        if role in (WindowRole.COUNTER, WindowRole.KIOSK, WindowRole.DISPLAY, WindowRole.ADMIN):
            queue_link = start_queue_link(hall, db_path)
            if queue_link is not None:
                links.append(queue_link)
        records_link = start_records_link(hall, db_path, kiosk=role is WindowRole.KIOSK)
        if records_link is not None:
            links.append(records_link)

    source.when_ready(lambda hall: threading.Thread(target=start, args=(hall,), name="hall-links",
                                                   daemon=True).start())
    return links


def start_native_preload(role: WindowRole, settings: Settings) -> NativePreload:
    """What the window's first frame needs of fontconfig and (a kiosk with its on-screen keyboard) of Qt's
    keyboard, loading on a thread while the screens import (ui/shell/preload.py); the keyboard asked of Qt first.

    Call before the QApplication exists, and wait for it before creating it.
    """
    from ui.shell.preload import NativePreload, platform_plugin, qt_plugin

    plugins = [plugin for plugin in (platform_plugin(),) if plugin is not None]
    if role is WindowRole.KIOSK and settings.kiosk_on_screen_keyboard:
        from ui.kiosk.input_method import KEYBOARD_PLUGIN, use_on_screen_keyboard

        # the keyboard's environment (its fontconfig file too) before fontconfig starts
        plugin = qt_plugin(KEYBOARD_PLUGIN) if use_on_screen_keyboard() else None
        plugins += [plugin] if plugin is not None else []
    return NativePreload(plugins)


def run_app(role: str, db_path: Path, settings: Settings, *, smoke_test: bool = False) -> int:
    """Show the role's window and run until it closes.

    ``smoke_test`` waits for the database as well, prints the window and the page it
    shows, and quits: an opening error propagates to the command line, which prints it.
    """
    import gc

    # No cycle collection while the window is built: importing the screens and building their widgets
    # makes hundreds of thousands of objects, and Python's collector would walk them all several times
    # over (about 7 ms of the kiosk's first frame). From the first frame on, the GUI thread's collector
    # (ui/shell/collector.py) collects as Python would, on that thread only.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    preload = None if QApplication.instance() else start_native_preload(WindowRole(role), settings)
    from desktop.config import data_dir
    from ui.shell import errors
    from ui.shell.startup import HallSource
    from ui.shell.theme import install_translations

    errors.install_exception_hooks()
    # The window's thread takes the interpreter back within 1 ms (not Python's 5 ms) when a worker runs
    # Python beside it: the database opening after the first frame, searches, printing. A tap is
    # answered as soon as it comes, at a small cost in the workers' own speed.
    sys.setswitchinterval(GUI_SWITCH_INTERVAL_S)
    if preload is not None:
        preload.wait()
    elif WindowRole(role) is WindowRole.KIOSK and settings.kiosk_on_screen_keyboard:
        from ui.kiosk.input_method import use_on_screen_keyboard

        use_on_screen_keyboard()  # before the application exists (if it does not yet): Qt picks its input method then
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName("信访接待大厅系统")
    kiosk = WindowRole(role) is WindowRole.KIOSK
    if not kiosk:  # Qt's own dialogs and buttons in Chinese (the kiosk's come after its first frame)
        install_translations(app)
    from ui.shell.collector import GuiThreadCollector

    collector = GuiThreadCollector(app, enabled_before=gc_was_enabled)  # cycles are collected on the GUI thread only
    apply_role_theme(app, role)

    def open_hall() -> Hall:
        # The log file is opened here, on the opening thread after the first frame (its module costs
        # a few milliseconds); beside the database, and a mistyped --db gets no folder made for it.
        errors.setup_logging(db_path.parent if db_path.parent.is_dir() else data_dir())
        return open_installation(settings, db_path)

    source = HallSource(settings, open_hall, start=False)
    window = build_window(source, role)
    source.start_after_first_frame(window)
    if kiosk:  # no file dialog at a kiosk: Qt's texts need not hold up what the citizen sees first
        from ui.shell.startup import after_first_frame

        after_first_frame(window, lambda: install_translations(app), window)
    from ui.shell.device import show_full_screen

    links = _queue_links(source, WindowRole(role), db_path)
    if WindowRole(role) is WindowRole.KIOSK:
        from ui.kiosk.shell import KioskShell

        body = getattr(window, "body", None)
        if isinstance(body, KioskShell):
            body.lock()  # frameless, full screen, on top; only the administrator's PIN closes it
        else:
            show_full_screen(window)
    elif WindowRole(role).is_device:
        show_full_screen(window)
    else:
        window.resize(1600, 900)
        screen = app.primaryScreen()
        if screen is not None:  # a 1366×768 counter screen: the window fits it, maximised
            free = screen.availableGeometry()
            if free.width() < 1600 or free.height() < 900:
                window.resize(min(1600, free.width()), min(900, free.height()))
                window.showMaximized()
        window.show()
    if smoke_test:
        source.start()
        source.get()  # raises what kept the database from opening
        app.processEvents()  # the window learns that the hall is open
        print(f"{window.windowTitle()}：{window.current_page_title()}", flush=True)
        QTimer.singleShot(0, app.quit)
    code = app.exec()
    if smoke_test:  # Qt's own texts (file dialogs, standard buttons) in Chinese, the kiosk's installed by now too
        from PySide6.QtCore import QCoreApplication

        print(f"Qt 标准按钮：{QCoreApplication.translate('QPlatformTheme', 'Cancel')}", flush=True)
    window.close()
    for link in links:
        link.stop()
    source.close()
    collector.stop()
    return int(code) if source.error is None else 2
