"""What every screen is handed in its constructor: the hall (open or opening), the task manager, who acts.

A widget never holds the hall itself: it hands its work to the task manager as an
operation (``ui/shell/tasks.py``), which gives the work the open hall on a worker
thread. Settings (read before the database opens) come from the source at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from desktop.domain.roles import Actor, Permission, WindowRole

if TYPE_CHECKING:
    from PySide6.QtCore import QObject

    from desktop.config import Settings
    from ui.shell.startup import HallSource
    from ui.shell.tasks import TaskGroup, TaskManager


@dataclass(frozen=True)
class WindowContext:
    """A window's parts before anyone signs in."""

    source: HallSource
    tasks: TaskManager
    window: WindowRole

    @property
    def settings(self) -> Settings:
        return self.source.settings

    def group(self, owner: QObject) -> TaskGroup:
        """A task group for ``owner``'s operations (see :class:`~ui.shell.tasks.TaskGroup`)."""
        return self.tasks.group(owner)

    def acting_as(self, actor: Actor) -> WorkContext:
        return WorkContext(self.source, self.tasks, self.window, actor)


@dataclass(frozen=True)
class WorkContext(WindowContext):
    """A window's parts while ``actor`` works in it (a signed-in person, or the kiosk or display itself)."""

    actor: Actor

    def may(self, permission: Permission) -> bool:
        return self.actor.may(permission)
