"""Focus you can see in every staff window: the button Enter or Space would press is framed amber,
a list or drop-down with the keys blue (the staff theme); the kiosk and the display keep their own look."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication, QPushButton, QTabWidget, QWidget
from pytestqt.qtbot import QtBot

from desktop.domain.access import Role
from tests.ui.conftest import MakeAccount, sign_in
from ui.shell.staff import StaffWindow
from ui.shell.theme import FOCUS_STYLE, apply_theme


def _focus_on(qtbot: QtBot, widget: QWidget) -> None:
    widget.window().activateWindow()
    widget.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is widget)


def _left_edge(image: QImage) -> QColor:
    return image.pixelColor(1, image.height() // 2)


def _is_amber(colour: QColor) -> bool:
    return colour.red() > 200 and 120 < colour.green() < 190 and colour.blue() < 80


def _framed_when_focused(qtbot: QtBot, button: QPushButton, elsewhere: QWidget) -> None:
    _focus_on(qtbot, elsewhere)
    plain = button.grab().toImage()
    _focus_on(qtbot, button)
    framed = button.grab().toImage()
    assert framed.size() == plain.size()  # the frame takes the padding's place: nothing moves
    assert framed != plain and _is_amber(_left_edge(framed)), _left_edge(framed).name()
    assert not _is_amber(_left_edge(plain)), button.text()


def _button(work: QWidget, text: str) -> QPushButton:
    """The button labelled ``text``, its tab brought to the front."""
    button = next(b for b in work.findChildren(QPushButton) if b.text() == text)
    page: QWidget | None = button
    while page is not None and page is not work:
        stack = page.parentWidget()
        tabs = stack.parentWidget() if stack is not None else None
        if isinstance(tabs, QTabWidget) and tabs.indexOf(page) >= 0:
            tabs.setCurrentWidget(page)
        page = stack
    return button


@pytest.mark.parametrize(("window_role", "account_role", "texts"), [
    ("leader", Role.LEADER, ("按规则生成接访日", "加入单位")),  # 接访安排
    ("admin", Role.ADMIN, ("新建账户", "刷新")),
    ("counter", Role.SUPERVISOR, ("打印记录",)),  # a supervisor's counter: the case desk
])
def test_a_focused_button_is_framed_in_every_staff_window(
        qtbot: QtBot, open_window: Callable[..., StaffWindow], make_account: MakeAccount,
        themed: Callable[[str], None], window_role: str, account_role: Role, texts: tuple[str, ...]) -> None:
    themed(window_role)
    make_account("zhoujie", "周杰", account_role)
    window = open_window(window_role)
    sign_in(qtbot, window, "zhoujie")
    work = window.work
    assert work is not None
    for text in texts:
        button = _button(work, text)
        qtbot.waitUntil(lambda b=button: b.isVisible() and b.isEnabled(), timeout=10_000)  # type: ignore[misc]
        _framed_when_focused(qtbot, button, window.lock_button)
    _framed_when_focused(qtbot, window.lock_button, window.sign_out_button)  # the header's too (锁屏, 退出登录)


@pytest.mark.parametrize("role", ["kiosk", "display"])
def test_the_kiosk_and_the_display_keep_their_own_look(qapp: QApplication, themed: Callable[[str], None],
                                                       role: str) -> None:
    themed(role)
    assert FOCUS_STYLE not in qapp.styleSheet()
    apply_theme(qapp, "leader")
    assert FOCUS_STYLE in qapp.styleSheet()


def test_the_tab_bar_with_the_keys_frames_its_current_tab(
        qtbot: QtBot, open_window: Callable[..., StaffWindow], make_account: MakeAccount,
        themed: Callable[[str], None]) -> None:
    """After signing in the keys are on the tabs (←→ turn them): the current tab is framed, not left unmarked."""
    themed("leader")
    make_account("zhoujie", "周杰", Role.LEADER)
    window = open_window("leader")
    sign_in(qtbot, window, "zhoujie")
    tabs = window.work
    assert isinstance(tabs, QTabWidget)
    bar = tabs.tabBar()
    _focus_on(qtbot, window.lock_button)
    plain = bar.grab(bar.tabRect(0)).toImage()
    _focus_on(qtbot, bar)
    framed = bar.grab(bar.tabRect(0)).toImage()
    assert framed.size() == plain.size() and framed != plain
    assert _is_amber(_left_edge(framed)), _left_edge(framed).name()
