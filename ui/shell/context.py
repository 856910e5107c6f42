"""What every screen is handed in its constructor: the hall (open or opening), the task manager, who acts.

A widget never holds the hall itself: it hands its work to the task manager as an
operation (``ui/shell/tasks.py``), which gives the work the open hall on a worker
thread. Settings (read before the database opens) come from the source at once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from desktop.domain.roles import Actor, Permission, WindowRole

if TYPE_CHECKING:
    from PySide6.QtCore import QObject

    from desktop.config import Settings
    from ui.shell.startup import HallSource
    from ui.shell.tasks import TaskGroup, TaskManager


class WindowContext:
    """A window's parts before anyone signs in; never changed once made.

    Plain classes, not dataclasses: every window makes them before its first frame, and a frozen dataclass's six
    generated methods take some 0.5 ms to compile as the module loads.
    """

    __slots__ = ("source", "tasks", "window")

    def __init__(self, source: HallSource, tasks: TaskManager, window: WindowRole) -> None:
        self.source, self.tasks, self.window = source, tasks, window

    @property
    def settings(self) -> Settings:
        return self.source.settings

    def group(self, owner: QObject) -> TaskGroup:
        """A task group for ``owner``'s operations (see :class:`~ui.shell.tasks.TaskGroup`)."""
        return self.tasks.group(owner)

    def acting_as(self, actor: Actor) -> WorkContext:
        return WorkContext(self.source, self.tasks, self.window, actor)


class WorkContext(WindowContext):
    """A window's parts while ``actor`` works in it (a signed-in person, or the kiosk or display itself)."""

    __slots__ = ("actor",)

    def __init__(self, source: HallSource, tasks: TaskManager, window: WindowRole, actor: Actor) -> None:
        super().__init__(source, tasks, window)
        self.actor = actor

    def may(self, permission: Permission) -> bool:
        return self.actor.may(permission)
