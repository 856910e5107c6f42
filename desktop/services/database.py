"""Opening the installation's database: create, migrate, and report what is there."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, func, select

from db.engine import make_engine, sqlite_url
from db.migrate import current_revision, head_revision, upgrade
from db.models import CaseRow, EventRow


def open_database(path_or_url: Path | str, *, migrate: bool = True) -> Engine:
    """Engine for a file path (SQLite) or a database URL, migrated to the newest schema."""
    if isinstance(path_or_url, Path) or "://" not in str(path_or_url):
        path = Path(path_or_url)
        path.parent.mkdir(parents=True, exist_ok=True)
        engine = make_engine(sqlite_url(path))
    else:
        engine = make_engine(str(path_or_url))
    if migrate and current_revision(engine) != head_revision():
        upgrade(engine)
    return engine


def counts(engine: Engine) -> tuple[int, int]:
    """(cases, events) in the database."""
    with engine.connect() as connection:
        cases = connection.scalar(select(func.count()).select_from(CaseRow)) or 0
        events = connection.scalar(select(func.count()).select_from(EventRow)) or 0
    return cases, events
