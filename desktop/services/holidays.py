"""Importing an official holiday schedule for a year the shipped data does not know."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import delete, insert

from db.models import HolidayScheduleRow
from desktop.domain.access import Actor, Permission
from desktop.domain.audit import AuditAction
from desktop.domain.calendar import format_schedule_csv, parse_schedule_csv
from desktop.domain.errors import ValidationError
from desktop.services.audit import audit, guard
from desktop.services.context import Hall
from desktop.services.projections import recount_deadlines


def import_schedule(hall: Hall, actor: Actor, text: str, source: str) -> list[int]:
    """Store each year's schedule from the CSV text (replacing that year's earlier import)."""
    guard(hall, actor, Permission.MANAGE_SETTINGS, "导入节假日安排")
    source = source[:200]  # a file name, shown in the admin panel; the column holds 200
    schedules = parse_schedule_csv(text, source)
    if not schedules:
        raise ValidationError("empty_schedule", "文件中没有任何节假日安排")
    stamp = hall.now().isoformat(timespec="seconds")
    with hall.transaction() as session:
        for schedule in schedules:
            session.execute(delete(HolidayScheduleRow).where(
                HolidayScheduleRow.year == schedule.year))
            session.execute(insert(HolidayScheduleRow), [{
                "year": schedule.year, "csv_text": format_schedule_csv(schedule),
                "source": source, "imported_at": stamp}])
        audit(session, hall, actor, AuditAction.SETTING_CHANGED, "holiday_schedules",
              {"years": [s.year for s in schedules], "source": source})
    hall.reload_calendar()
    years = [s.year for s in schedules]
    recount_deadlines(hall, date(min(years), 1, 1))  # the open cases' deadlines, counted again over the new days
    return years


def import_schedule_file(hall: Hall, actor: Actor, path: Path) -> list[int]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError("bad_encoding", "文件须为 UTF-8 编码的 CSV") from None
    return import_schedule(hall, actor, text, f"导入: {path.name}")
