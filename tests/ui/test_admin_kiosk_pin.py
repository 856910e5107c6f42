"""自助终端密码: the administrator sets the kiosks' exit PIN on the server; a kiosk opens with it once it arrives."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton, QWidget
from pytestqt.qtbot import QtBot

from desktop.domain.passwords import pin_matches
from desktop.services.context import Actor
from desktop.sync.reference import pull_reference
from server.store import enrol_device
from tests.sync import conftest as sync_fixtures
from tests.sync.conftest import DeviceFactory, add_staff, serving, with_staff
from ui.admin.kiosk_pin import OFFLINE, KioskPinPanel
from ui.kiosk.body import kiosk_body
from ui.kiosk.shell import KioskShell
from ui.shell.context import WorkContext

device_hall = sync_fixtures.device_hall
Context = Callable[..., WorkContext]
ADMIN = Actor("staff:guanli1", "孙涛", "admin")
PASSWORD = "Guanli#2026xf"


def _click(qtbot: QtBot, widget: QWidget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def _save(qtbot: QtBot, panel: KioskPinPanel) -> None:
    with qtbot.waitSignal(panel.tasks.settled, timeout=20_000):
        _click(qtbot, panel.save_button)
    qtbot.waitUntil(lambda: not panel.tasks.busy, timeout=20_000)


def test_the_admin_sets_the_pin_and_a_kiosk_opens_with_it(qtbot: QtBot, work_context: Context,
                                                         device_hall: DeviceFactory,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from ui.shell.device import DeviceWindow

    centre = with_staff(device_hall("srv", code="H01"))
    add_staff(centre, "guanli1", "admin", "孙涛", password=PASSWORD)
    desk = device_hall("adm")
    kiosk = device_hall("kio", code="K01")
    monkeypatch.setenv("PH_SYNC_TOKEN", enrol_device(centre, desk.settings.device_id, "admin"))
    kiosk_token = enrol_device(centre, kiosk.settings.device_id, "kiosk", hall_code="PJ", device_code="K01")
    with serving(centre) as url:
        desk.settings = replace(desk.settings, server_url=url)
        panel = KioskPinPanel(work_context(ADMIN, "admin", hall=desk))
        qtbot.addWidget(panel)
        panel.resize(1366, 700)
        panel.show()
        assert panel.save_button.isEnabled() and not panel.message.isVisible()
        assert not panel.technical.isVisible()  # the installer's small print is for a desk without a server
        panel.pin.setText("720415")
        panel.again.setText("720415")
        _click(qtbot, panel.save_button)  # no password: asked for, nothing sent
        assert "请先输入本人的登录密码" in panel.message.text() and panel.focusWidget() is panel.password
        panel.password.setText(PASSWORD)
        panel.again.setText("720416")
        _save(qtbot, panel)
        assert "两次输入的退出密码不一致" in panel.message.text()
        assert panel.pin.text() == panel.again.text() == "" and panel.focusWidget() is panel.pin
        panel.pin.setText("123456")
        panel.again.setText("123456")
        _save(qtbot, panel)
        assert "不能是连续的数字" in panel.message.text()
        panel.pin.setText("720415")
        panel.again.setText("720415")
        with qtbot.waitSignal(panel.refreshed, timeout=20_000):
            _save(qtbot, panel)
        assert "已设置所有大厅的自助终端的退出密码" in panel.message.text()
        assert panel.pin.text() == "" and "所有大厅：" in panel.current.text()

        # the kiosk: nothing opens it yet; its next sync brings the PIN, in force at once
        ctx = work_context(Actor.kiosk("K01"), "kiosk", hall=kiosk)
        window = DeviceWindow(ctx, kiosk_body)
        qtbot.addWidget(window)
        body = window.body
        assert isinstance(body, KioskShell)
        body.lock()
        qtbot.waitExposed(window)
        for _ in range(5):
            _click(qtbot, body.corner)
        page = body.pin_page
        page.field.setText("720415")
        _click(qtbot, page.confirm)
        assert "管理程序" in page.message.text() and window.isVisible()
        assert "kiosk_pin" in pull_reference(kiosk, url, kiosk_token).kinds
    assert pin_matches(kiosk.settings.kiosk_exit_pin, "720415") and page.field.text() == ""
    for digit in "720415":
        _click(qtbot, next(b for b in page.findChildren(QPushButton) if b.text() == digit))
    with qtbot.waitSignal(body.unlocked, timeout=20_000):
        _click(qtbot, page.confirm)
    qtbot.waitUntil(lambda: not window.isVisible())


def test_without_a_server_the_page_says_where_to_set_it(qtbot: QtBot, work_context: Context) -> None:
    panel = KioskPinPanel(work_context(ADMIN, "admin"))
    qtbot.addWidget(panel)
    assert panel.message.text() == OFFLINE and not panel.save_button.isEnabled() and not panel.pin.isEnabled()
    # said in words for an administrator: where to set it; the setting's and command's names only in the small print
    from PySide6.QtWidgets import QLabel

    words = [w.text() for w in panel.findChildren(QLabel) if w.isVisibleTo(panel) and w is not panel.technical]
    assert "服务器地址" in OFFLINE and "每台自助终端" in OFFLINE
    technical = ("server_url", "PH_KIOSK_EXIT_PIN", "python", "set-kiosk-pin")
    assert not any(name in text for text in words for name in technical)
    assert "server_url" in panel.technical.text() and panel.technical.objectName() == "hint"
