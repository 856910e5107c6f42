"""``later``: something done a little later, for as long as its owner lives."""

from __future__ import annotations

import gc
import weakref

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer
from pytestqt.qtbot import QtBot

from ui.common.timers import later


class Owner(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.calls = 0

    def poke(self) -> None:
        self.calls += 1


def test_it_is_done_once_and_its_timer_goes(qtbot: QtBot) -> None:
    owner = Owner()
    timer = later(owner, 5, owner.poke)
    with qtbot.waitSignal(timer.destroyed, timeout=2000):
        pass
    assert owner.calls == 1
    assert owner.findChildren(QTimer) == []  # nothing piles up on an owner asked many times


def test_an_owner_gone_first_is_not_called_and_nothing_of_it_stays(qtbot: QtBot) -> None:
    """The owner's Python object, its bound method and a closure over it all go with the owner, before the
    time comes, and nothing is called on it afterwards."""
    called: list[str] = []
    refs = []
    for _ in range(3):
        owner = Owner()
        later(owner, 50, owner.poke)
        later(owner, 50, lambda owner=owner: called.append(str(owner.calls)))
        refs.append(weakref.ref(owner))
        owner.deleteLater()
        del owner
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()
    assert [ref() for ref in refs] == [None, None, None]
    qtbot.wait(120)  # past the time they were due: nothing fires on an owner that is gone
    assert called == []
