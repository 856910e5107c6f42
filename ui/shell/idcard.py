"""Reading the ID card on this PC's reader (the setting ``id_reader``), for every screen that reads one.

The one way a card read's outcome reaches a screen: the read runs off the GUI thread (a reader
waits for the card up to ``seconds`` and talks to the device), and when it ends — a card, or a
refusal with words to show (no card, the reader unplugged, none set up) — the person is taken to
be at the screen (:func:`ui.shell.idle.device_used`: an idle time restarts, the kiosk's countdown
ends) before the screen is given the card or the refusal. A screen whose fields the card does not
fill (the kiosk's 取号 takes the ticket with the card's name and number) thus loses nobody who
laid a card on the reader in the last seconds before the idle wipe.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import shiboken6

from ui.shell.idle import device_used
from ui.shell.tasks import Executor, weakly

if TYPE_CHECKING:
    from PySide6.QtCore import QObject

    from desktop.config import Settings
    from desktop.devices.idcard import IdCard
    from desktop.services.context import Hall
    from ui.shell.tasks import Task, TaskGroup


def read_id_card(owner: QObject, group: TaskGroup, settings: Settings, *, seconds: float, no_reader: str,
                 done: Callable[[IdCard], None], failed: Callable[[Exception], None]) -> Task[IdCard]:
    """Read the card on the reader within ``seconds`` (``no_reader``: the words when this PC has none); then
    ``done(card)`` or ``failed(error)`` on the GUI thread, once the read has counted as ``owner``'s person's input."""

    def read(_hall: Hall) -> IdCard:
        from desktop.devices.factory import reader_from_settings
        from desktop.domain.errors import RuleViolation

        reader = reader_from_settings(settings)
        if reader is None:
            raise RuleViolation("no_reader", no_reader)
        return reader.read(seconds)

    screen = weakref.ref(owner)
    give, refuse = weakly(done), weakly(failed)

    def ended(then: Callable[[Any], None], outcome: Any) -> None:
        shown = screen()
        if shown is not None and shiboken6.isValid(shown):
            device_used(shown)
        then(outcome)

    return group.run(read, lambda card: ended(give, card), lambda error: ended(refuse, error),
                     executor=Executor.DEVICES)
