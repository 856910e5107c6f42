"""A case's materials as links in its text; a tap on one (or Enter on it) shows the material in the program.

One path for every screen that shows a case's materials — the case screen and the leader's
今日接访 alike: the same links, the same fetch off the GUI thread (from this PC, else from the
device's server, then kept), the same words while it comes and when it cannot, the same viewer
(``ui/common/material.py``, with 另存为…). Which materials a screen lists is the services' rule:
a case's materials come with the case only where its content may be seen (an accused unit never
sees them), so a screen links what the service gave it and nothing else.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html import escape
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import QObject, Qt, QUrl, Signal

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from desktop.domain.roles import Actor
    from desktop.services.attachments import AttachmentRef
    from desktop.services.context import Hall
    from desktop.sync.materials import MaterialSource

#: The scheme of a material's link in a case's text (``material:<its place in the screen's list>``).
MATERIAL_LINK = "material"

#: Where a material this PC lacks is fetched from, given the open hall (``None``: the device's sync server).
SourceOf = Callable[["Hall"], "MaterialSource | None"]


class RunsTasks(Protocol):
    """The screen's task group (``ui.shell.tasks.TaskGroup``): work on the open hall, off the GUI thread."""

    def run(self, work: Callable[[Hall], Any], done: Callable[[Any], None],
            failed: Callable[[Exception], None] | None = None) -> object: ...


def material_links(refs: Sequence[AttachmentRef], first: int = 0, *, between: str = "；") -> str:
    """The materials as links, each with its size: 现场照片.png（12 KB）；来信.pdf（80 KB）.

    Numbered from ``first``: a screen listing the materials of several cases numbers them on through its list.
    ``between`` goes between two (``<br/>``: one a line, where the column is narrow). A size is never broken,
    and a file of a few hundred bytes is 1 KB, as Windows says it (not 0 KB).
    """
    return between.join(f"<a href='{MATERIAL_LINK}:{first + n}'>{escape(a.name)}</a>"
                        f"（{max(1, round(a.size / 1024)):,}\u00a0KB）" for n, a in enumerate(refs))


def material_at(url: QUrl, refs: Sequence[AttachmentRef]) -> AttachmentRef | None:
    """The material a link names, among those the screen listed (``None`` for any other link)."""
    if url.scheme() != MATERIAL_LINK or not url.path().isdigit():
        return None
    index = int(url.path())
    return refs[index] if index < len(refs) else None


class MaterialOpener(QObject):
    """Opens a material a screen lists: read here or fetched, then shown in a window of its own.

    ``say(text, tone)`` puts a line on the screen (正在打开材料…, then nothing, or why not);
    ``refusal(error)`` words a failure as the screen's error path does. ``source`` is where a
    material this PC lacks comes from (``None``: the device's sync server and token).
    """

    shown = Signal(object)  # AttachmentRef, its viewer on screen

    def __init__(self, owner: QWidget, tasks: RunsTasks, actor: Actor, *, say: Callable[[str, str], None],
                 refusal: Callable[[Exception], str], source: SourceOf | None = None) -> None:
        super().__init__(owner)
        self.owner, self.tasks, self.actor = owner, tasks, actor
        self.say, self.refusal = say, refusal
        self.source = source
        self.viewer: QWidget | None = None

    def open(self, ref: AttachmentRef, still_shown: Callable[[], bool] = lambda: True) -> None:
        """Show ``ref``; ``still_shown`` tells, once it is read, whether what listed it is still on screen."""
        actor, source = self.actor, self.source
        self.say(f"正在打开材料“{ref.name}”…", "notice")

        def fetch(hall: Hall) -> bytes:
            from desktop.sync.materials import open_material

            return open_material(hall, actor, ref.sha256, None if source is None else lambda: source(hall))

        self.tasks.run(fetch, lambda data: self._ready(ref, data, still_shown),
                       lambda error: self.say(self.refusal(error), "error"))

    def _ready(self, ref: AttachmentRef, data: bytes, still_shown: Callable[[], bool]) -> None:
        if not still_shown():
            return  # another case or visitor is on screen now: its material would come out of nowhere
        from ui.common.material import MaterialViewer  # the viewer's widgets load with the first material

        self.say("", "")
        self.viewer = MaterialViewer(ref, data, self.owner)
        self.viewer.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.viewer.show()
        self.shown.emit(ref)
