"""The leader's screens at 1366×768: every hint written in an empty field reads whole (决定（如：包案化解、依法解释、
转有关… and 责任单位：输入名称、简称或… were cut)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from desktop.services.context import Actor
from ui.leader.work import LeaderWork
from ui.shell.context import WorkContext

LEADER = Actor("staff:lingdao1", "周建华", "leader")
#: a line edit's frame, its text margins and Qt's own two pixels each side (half without a frame: in a combo box)
SLACK = 12


def test_every_hint_in_an_empty_field_reads_whole_at_1366(
        qtbot: QtBot, work_context: Callable[..., WorkContext], themed: Callable[[str], None]) -> None:
    themed("leader")
    work = LeaderWork(work_context(LEADER, "leader"))
    qtbot.addWidget(work)
    work.resize(1366, 768 - 84)  # the window's bar and tabs take the rest
    work.show()
    qtbot.waitExposed(work)
    cut: list[str] = []
    for index in range(work.count()):
        work.setCurrentIndex(index)
        QApplication.processEvents()
        for edit in work.currentWidget().findChildren(QLineEdit):
            hint = edit.placeholderText()
            if edit.isVisible() and hint and not edit.text():
                needed = edit.fontMetrics().horizontalAdvance(hint)
                if needed > edit.width() - (SLACK if edit.hasFrame() else SLACK // 2):
                    cut.append(f"{work.tabText(index)}: {hint} ({needed} px in {edit.width()})")
    assert not cut, "\n".join(cut)
