"""Peak memory (max RSS) of the kiosk and the counter, each in a fresh process.

    .venv/bin/python -m bench.memory --kiosk --db PATH [--count 200]
    .venv/bin/python -m bench.memory --kiosk-ui --db PATH [--count 200]
    .venv/bin/python -m bench.memory --counter --db PATH

* kiosk: the kiosk's window on screen (offscreen), then ``count`` self-registrations by the
  kiosk device through ``register_visit``, the window processing events in between;
* counter: the counter window on the database, a demo clerk signing in through the sign-in
  page (``chuangkou1``), then searches of every kind with the first result opened.

Both write to the database (registrations; sign-in and audit entries): give them a copy.
Each prints ``BENCH {...}`` with its peak resident size (``VmHWM``) and the resident size at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from pathlib import Path
from typing import Any

from bench.common import peak_rss_mb, rss_mb, rss_parts_mb


def _start(role: str, db: Path) -> tuple[Any, Any, Any]:
    from PySide6.QtWidgets import QApplication

    from desktop.app import apply_role_theme, build_window
    from desktop.config import load_settings
    from desktop.installation import open_hall

    hall = open_hall(load_settings(), db, migrate_apart=True)  # as the program opens it (desktop.app)
    app = QApplication(sys.argv)
    apply_role_theme(app, role)
    window = build_window(hall, role)
    if role == "kiosk":
        window.showFullScreen()
    else:
        window.resize(1600, 900)
        window.show()
    app.processEvents()
    return hall, app, window


def _after(signal: Any, start: Any) -> None:
    """Start something and wait for ``signal`` (the screens work off the GUI thread)."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    signal.connect(loop.quit)
    QTimer.singleShot(30_000, loop.quit)
    start()
    loop.exec()
    signal.disconnect(loop.quit)


def kiosk(db: Path, count: int) -> dict[str, Any]:
    from bench.registration import forms
    from desktop.app import device_actor
    from desktop.domain.errors import RuleViolation
    from desktop.services.registration import register_visit

    hall, app, window = _start("kiosk", db)
    started_mb = rss_mb()
    actor = device_actor("kiosk", hall.settings)
    refused = done = 0
    for form in forms(hall, count + 50, random.Random(7)):
        if done == count:
            break
        try:
            register_visit(hall, actor, form)
            done += 1
        except RuleViolation:
            refused += 1  # a matter already through 复核: the next form takes its place
        app.processEvents()
    result = {"role": "kiosk", "registrations": done, "refused": refused,
              "rss_after_start_mb": started_mb, "rss_end_mb": rss_mb(), "peak_mb": peak_rss_mb()}
    window.close()
    hall.engine.dispose()
    return result


def _until(done: Any, what: str, seconds: float = 60) -> None:
    from PySide6.QtWidgets import QApplication

    deadline = time.monotonic() + seconds
    while not done():
        if time.monotonic() > deadline:
            raise RuntimeError(f"timed out waiting for {what}")
        QApplication.processEvents()
        time.sleep(0.002)


def kiosk_ui(db: Path, count: int, keyboard: bool = False, smaps: Path | None = None) -> dict[str, Any]:
    """``count`` self-registrations typed into the kiosk's own screens, each ending with the wipe.

    Receipts print to PDF files in a temporary folder (rendered and written like a real print).
    Measures the resident size after start, after the first half and at the end: the second
    half must add next to nothing (nothing of a citizen's flow is kept after the wipe).

    ``keyboard``: with the on-screen pinyin keyboard, brought up over the name field of every
    registration as a citizen's tap does (needs an X server: ``DISPLAY``, e.g. Xvfb). Without it the
    kiosk runs offscreen, where Qt loads the keyboard's input method but never shows it.
    """
    import gc
    import os
    import tempfile

    from PySide6.QtCore import QCoreApplication, QEvent

    from bench.registration import forms
    from ui.kiosk.register import RegistrationFlow
    from ui.kiosk.shell import KioskShell

    os.environ["PH_PRINTER_RECEIPTS"] = f"pdf:{tempfile.mkdtemp(prefix='kiosk-bench-')}"
    os.environ["PH_KIOSK_ON_SCREEN_KEYBOARD"] = "true" if keyboard else "false"
    os.environ["PH_KIOSK_VOICE"] = "false"  # no speech engine spoken to 1,600 times: the flows' own memory
    if keyboard:
        from ui.kiosk.input_method import use_on_screen_keyboard

        if not os.environ.get("DISPLAY"):
            raise RuntimeError("--keyboard needs an X server (DISPLAY): run it under xvfb-run")
        os.environ["QT_QPA_PLATFORM"] = "xcb"
        use_on_screen_keyboard()  # as the program does before the application exists
    hall, app, window = _start("kiosk", db)
    body = window.body
    assert isinstance(body, KioskShell)
    started_mb = rss_mb()
    half_mb = 0.0
    done = refused = 0
    began = time.monotonic()
    for form in forms(hall, count * 2, random.Random(11)):
        if done == count:
            break
        flow = body.open_flow("register")
        assert isinstance(flow, RegistrationFlow)
        if keyboard:  # the citizen taps the name field: the keyboard comes up
            from PySide6.QtGui import QGuiApplication

            flow.name.setFocus()
            method = QGuiApplication.inputMethod()
            _until(lambda m=method: (m.show(), m.isVisible())[1], "the on-screen keyboard")
        flow.name.setText(form.petitioner.name)
        flow.id_number.setText(form.petitioner.document_number)
        flow.phone.setText(form.petitioner.phone)
        flow.forward()
        if flow.step != 1:  # a form the screen refuses (a foreign document number): the next one
            refused += 1
            body.go_home()
            continue
        _until(lambda f=flow: len(f.where_buttons) > 1, "the towns")
        next(iter(flow.where_buttons.values())).click()
        flow.forward()
        flow.request.setPlainText(form.request)
        for _ in range(4):  # 诉求 → 事实和理由 → 材料 → 核对 → 告知
            flow.forward()
        flow.agree.setChecked(True)
        flow.forward()
        _until(lambda f=flow: not f.tasks.busy, "the registration")
        if flow.result is None:
            refused += 1
        else:
            _until(lambda f=flow: "正在打印" not in f.done_text.text(), "the receipt")
            done += 1
        body.go_home()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        app.processEvents()
        if done == count // 2 and not half_mb:
            gc.collect()
            half_mb = rss_mb()
    gc.collect()
    end_mb = rss_mb()
    end_parts = rss_parts_mb()
    if smaps is not None:  # every mapping's resident size at the end, to see where the memory is
        smaps.write_bytes(Path("/proc/self/smaps").read_bytes())
    result = {"role": "kiosk-ui", "keyboard": keyboard, "registrations": done, "refused": refused,
              "seconds": time.monotonic() - began,
              "rss_after_start_mb": started_mb, "rss_half_mb": half_mb, "rss_end_mb": end_mb,
              "second_half_growth_mb": end_mb - half_mb, "peak_mb": peak_rss_mb(),
              **{f"rss_end_{kind}_mb": mb for kind, mb in end_parts.items()}}
    body.wipe()
    window.close()
    hall.engine.dispose()
    return result


def counter(db: Path, login: str, password: str) -> dict[str, Any]:
    from PySide6.QtWidgets import QApplication

    from bench.lookup import queries
    from ui.cases.search import CaseSearchPanel

    hall, _app, window = _start("counter", db)
    started_mb = rss_mb()
    page = window.sign_in_page
    page.login.setText(login)
    page.password.setText(password)
    page.submit()
    deadline = time.monotonic() + 120
    while window.work is None and time.monotonic() < deadline:
        QApplication.processEvents()
        time.sleep(0.01)
    if window.work is None:
        raise RuntimeError(f"sign-in as {login} did not reach the work page: {page.message.text()}")
    signed_in_mb = rss_mb()
    panel = window.work.findChild(CaseSearchPanel)
    assert panel is not None
    _total, by_kind = queries(hall, 5, random.Random(3))
    searches = 0
    for values in by_kind.values():
        for value in values[:3]:
            panel.query.setText(value)
            _after(panel.searched, panel.run_search)
            if panel.results:  # opens the case's detail (masked)
                _after(panel.detail_shown, lambda: panel.table.setCurrentCell(0, 0))
            searches += 1
    result = {"role": "counter", "searches": searches, "rss_after_start_mb": started_mb,
              "rss_signed_in_mb": signed_in_mb, "rss_end_mb": rss_mb(), "peak_mb": peak_rss_mb()}
    window.close()
    hall.engine.dispose()
    return result


def main() -> None:
    from desktop.services.accounts import DEMO_PASSWORD

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--kiosk", action="store_true")
    which.add_argument("--kiosk-ui", action="store_true", help="self-registrations through the kiosk's screens")
    parser.add_argument("--keyboard", action="store_true",
                        help="--kiosk-ui with the on-screen keyboard brought up each time (needs DISPLAY)")
    which.add_argument("--counter", action="store_true")
    parser.add_argument("--db", required=True)
    parser.add_argument("--count", type=int, default=200, help="kiosk registrations")
    parser.add_argument("--smaps", type=Path, help="--kiosk-ui: write /proc/self/smaps to this file at the end")
    parser.add_argument("--login", default="chuangkou1")
    parser.add_argument("--password", default=DEMO_PASSWORD)
    args = parser.parse_args()
    if args.kiosk_ui:
        result = kiosk_ui(Path(args.db), args.count, keyboard=args.keyboard, smaps=args.smaps)
    elif args.kiosk:
        result = kiosk(Path(args.db), args.count)
    else:
        result = counter(Path(args.db), args.login, args.password)
    print("BENCH " + json.dumps(result), flush=True)
    if args.keyboard:
        # Without ever running app.exec() the keyboard's Qt Quick objects are torn down after the
        # application at interpreter exit, and Qt aborts (the program itself exits cleanly: it runs its
        # event loop and quits it). The result is printed: leave now.
        os._exit(0)


if __name__ == "__main__":
    main()
