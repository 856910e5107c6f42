"""A panel reads again on a change at once while on screen, and only when next shown while hidden."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from ui.common.widgets import RefreshingPanel


class _Counting(RefreshingPanel):
    def __init__(self) -> None:
        super().__init__()
        self.reads = 0

    def refresh(self) -> None:
        self._stale = False
        self.reads += 1


def test_a_change_is_read_at_once_on_screen_and_once_when_next_shown(qtbot: QtBot) -> None:
    panel = _Counting()
    qtbot.addWidget(panel)
    panel.refresh_when_seen()
    panel.refresh_when_seen()
    assert panel.reads == 0  # a tab in the background reads nothing
    panel.show()
    qtbot.waitExposed(panel)
    assert panel.reads == 1  # read once, however many changes came
    panel.refresh_when_seen()
    assert panel.reads == 2  # on screen: at once
    panel.hide()
    panel.show()
    assert panel.reads == 2  # shown again with nothing new: nothing read
