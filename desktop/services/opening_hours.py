"""大厅开放时间: the administrator reads and changes the hall's opening hours (setting ``hall_hours``).

On a PC that is its own hall (no ``server_url``: a one-PC hall, the demo, or the centre itself) the
hours are checked, put in force at once, written to this PC's settings file and kept as a shared
setting, so every device syncing with this database takes them at its next sync. A desk that
syncs with a centre is told where the hours are changed (the centre shares them per hall).
"""

from __future__ import annotations

from dataclasses import dataclass

from desktop.config import store_setting, with_values
from desktop.domain.access import Actor, Permission
from desktop.domain.errors import RuleViolation
from desktop.domain.hours import OpeningHours, parse_hours
from desktop.services.audit import guard
from desktop.services.context import Hall
from desktop.services.reference_feed import share_settings


@dataclass(frozen=True)
class HallHours:
    """The hours in force here and, when they are changed elsewhere, where (else "")."""

    hours: OpeningHours
    elsewhere: str


def _elsewhere(hall: Hall) -> str:
    if not hall.settings.server_url.strip():
        return ""
    return ("本机与中心服务器同步：大厅开放时间由中心统一下发。请在中心服务器上运行 "
            "python -m server share-settings --hall <大厅编码> hall_hours=08:30-12:00,13:30-17:30，"
            "各设备下次同步时生效")


def hall_hours(hall: Hall, actor: Actor) -> HallHours:
    """The opening hours in force on this PC (administrators)."""
    guard(hall, actor, Permission.MANAGE_SETTINGS, "查看大厅开放时间")
    return HallHours(parse_hours(hall.settings.hall_hours), _elsewhere(hall))


def set_hall_hours(hall: Hall, actor: Actor, text: str) -> HallHours:
    """New opening hours (``08:30-12:00,13:30-17:30``), checked (``ValidationError`` in words), in force at once."""
    guard(hall, actor, Permission.MANAGE_SETTINGS, "修改大厅开放时间")
    elsewhere = _elsewhere(hall)
    if elsewhere:
        raise RuleViolation("hall_hours_central", elsewhere)
    hours = parse_hours(text)
    share_settings(hall, actor, {"hall_hours": hours.text()})  # kept and audited; devices syncing here take it
    store_setting("hall_hours", hours.text())
    hall.use_settings(with_values(hall.settings, {"hall_hours": hours.text()}))
    return HallHours(hours, "")


__all__ = ["HallHours", "hall_hours", "set_hall_hours"]
