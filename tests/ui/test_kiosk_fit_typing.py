"""The kiosk with its on-screen keyboard up: rows whole or out of view, a refusal that leaves the screen its width,
the portrait arrangement kept however short the keyboard leaves the flow."""

from __future__ import annotations

from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from desktop.services.context import Hall
from tests.ui.test_kiosk_citizen import Themed, _keyboard_up, _kiosk_window, themed
from ui.kiosk.register import RegistrationFlow

__all__ = ["themed"]  # the fixture, used here by its name


def _below(upper: object, lower: object, flow: RegistrationFlow) -> bool:
    """Whether ``lower`` stands under ``upper`` on the flow's screen (in the same column)."""
    assert isinstance(upper, QWidget) and isinstance(lower, QWidget)
    a, b = upper.mapTo(flow, QPoint(0, 0)), lower.mapTo(flow, QPoint(0, 0))
    return b.y() >= a.y() + upper.height() and abs(b.x() - a.x()) < 40


def test_a_portrait_kiosk_keeps_the_portrait_who_screen_when_the_keyboard_leaves_it_short(
        qtbot: QtBot, sqlite_hall: Hall, themed: Themed) -> None:
    """The towns of 问题发生地 come in a moment after the flow opens, and the flow arranged its screens then by its
    own shape: above the keyboard (or before its first layout) a portrait flow is wider than tall, and the 身份
    screen of a standing kiosk got the lying-down arrangement: the hint over the fields, the address under the
    name. The kiosk's orientation decides it."""
    themed(QApplication.instance())
    _window, shell = _kiosk_window(qtbot, sqlite_hall, (1080, 1920))
    shell.large_button.setChecked(True)
    _keyboard_up(shell, 1000)  # still up from the citizen before: the flow gets less height than width
    flow = shell.open_flow("register")
    assert isinstance(flow, RegistrationFlow)
    qtbot.waitUntil(lambda: not flow.loading.busy and len(flow.where_buttons) > 1)
    qtbot.waitUntil(lambda: flow.rare_hint.isVisible() and flow.address.isVisible())
    assert flow.portrait
    # standing up: the hint under the name, the address last, under the phone
    assert _below(flow.name, flow.rare_hint, flow)
    assert _below(flow.phone, flow.address, flow)
    space = shell.keyboard_space
    space.layout.setContentsMargins(space.base)  # the keyboard goes: the same arrangement
    space.changed.emit()
    qtbot.waitUntil(lambda: _below(flow.name, flow.rare_hint, flow) and _below(flow.phone, flow.address, flow))

