"""What the kiosk shows: the home tiles and the flows they open (wired by the composition root).

Each flow's module loads when its tile is first tapped: the home screen is up before any of them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

from ui.common.widgets import Phrases
from ui.kiosk.shell import FlowFactory, KioskShell, Tile
from ui.shell.context import WorkContext

if TYPE_CHECKING:
    from ui.kiosk.ticket import ClosedNow, IssueTicket, Notes, WindowTypes


def _progress(ctx: WorkContext, parent: QWidget) -> QWidget:
    from ui.kiosk.progress import ProgressFlow

    return ProgressFlow(ctx, parent)


def _scanned(ctx: WorkContext, parent: QWidget, number: str, code: str) -> QWidget:
    from ui.kiosk.progress import ProgressFlow

    return ProgressFlow(ctx, parent, number, code)


def _register(ctx: WorkContext, parent: QWidget) -> QWidget:
    from ui.kiosk.register import RegistrationFlow

    return RegistrationFlow(ctx, parent)


def _suggest(ctx: WorkContext, parent: QWidget) -> QWidget:
    from ui.kiosk.suggest import SuggestionFlow

    return SuggestionFlow(ctx, parent)


def _guide(ctx: WorkContext, parent: QWidget) -> QWidget:
    from ui.kiosk.guide import GuideFlow

    return GuideFlow(ctx, parent)


def booking_flow(ctx: WorkContext, parent: QWidget) -> QWidget:
    """预约领导接访 (``ui/kiosk/booking.py``), loaded when its tile is tapped."""
    from ui.kiosk.booking import BookingFlow

    return BookingFlow(ctx, parent)


def ticket_flow(window_types: WindowTypes, issue_ticket: IssueTicket,
                closed_now: ClosedNow | None = None, notes: Notes | None = None) -> FlowFactory:
    """The 取号 tile's flow over the queue's functions (``desktop.services.queue``): the types offered, taking a
    number, whether the hall is closed now, and the screen's notes (no 领导接访 today, the coming days' hours)."""
    def build(ctx: WorkContext, parent: QWidget) -> QWidget:
        from ui.kiosk.ticket import TicketFlow

        return TicketFlow(ctx, parent, window_types=window_types, issue_ticket=issue_ticket, closed_now=closed_now,
                          notes=notes)

    return build


def kiosk_tiles(*, ticket: FlowFactory | None = None, booking: FlowFactory | None = None) -> list[Tile]:
    """The home screen's tiles in order; a flow the composition root does not hand in is left out."""
    return [
        Tile("ticket", Phrases("取号|排队"), Phrases("到窗口办理前|先取号"), ticket),
        Tile("register", Phrases("自助|登记"), Phrases("反映问题、|提出请求"), _register),
        Tile("progress", Phrases("查询进度 · 评价"), Phrases("扫描回执二维码|或输入查询码"), _progress),
        Tile("booking", Phrases("预约|领导接访"), Phrases("预约|领导接待日"), booking),
        Tile("suggest", Phrases("人民|建议"), Phrases("对工作|提出意见建议"), _suggest),
        Tile("guide", Phrases("办事|指南"), Phrases("权利义务、|办理时限"), _guide),
    ]


def kiosk_body(ctx: WorkContext, parent: QWidget | None = None, *, ticket: FlowFactory | None = None,
               booking: FlowFactory | None = None) -> KioskShell:
    """The kiosk's page for ``ctx`` (acting as the kiosk device), built straight into ``parent``."""
    return KioskShell(ctx, kiosk_tiles(ticket=ticket, booking=booking), scanned=_scanned, parent=parent)
