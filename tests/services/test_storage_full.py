"""A full disk during a write: the clerk is told in plain words, nothing is half-saved, the same form saves later."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import Engine, event, func, select

from db.models import AuditRow, CaseRow, EventRow
from desktop.domain.errors import StorageFull
from desktop.services.context import Actor, Hall
from desktop.services.registration import register_visit
from tests.helpers import form, valid_id


def _counts(hall: Hall) -> tuple[int, int, int]:
    with hall.sessions() as session:
        return tuple(int(session.scalar(select(func.count()).select_from(t)) or 0)  # type: ignore[return-value]
                     for t in (CaseRow, EventRow, AuditRow))


def _cap_pages(engine: Engine, extra: int) -> Callable[[Any, Any], None]:
    """Let the database file grow by only ``extra`` pages (``PRAGMA max_page_count``, per connection)."""
    with engine.connect() as connection:
        pages = int(connection.exec_driver_sql("PRAGMA page_count").scalar() or 0)
    engine.dispose()

    def cap(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages + extra}")

    event.listen(engine, "connect", cap)
    return cap


def test_a_full_disk_refuses_the_registration_whole_and_the_same_form_saves_later(
        sqlite_hall: Hall, sqlite_engine: Engine, clerk: Actor) -> None:
    register_visit(sqlite_hall, clerk, form())  # the schema's pages are all there
    cap = _cap_pages(sqlite_engine, 1)
    forms = [form(name="李明", id_number=valid_id(seq=200 + i), request=f"反映第{i}号路灯损坏，要求修复" * 8)
             for i in range(200)]
    saved = 0
    with pytest.raises(StorageFull) as refused:
        for filled in forms:
            before = _counts(sqlite_hall)
            register_visit(sqlite_hall, clerk, filled)
            saved += 1
    assert refused.value.code == "storage_full"
    assert "磁盘已满" in refused.value.message and "已填写的内容仍在" in refused.value.message
    assert _counts(sqlite_hall) == before  # nothing of the refused registration: no case, event or audit entry
    # space is freed: the very same form is saved, once
    event.remove(sqlite_engine, "connect", cap)
    sqlite_engine.dispose()
    view = register_visit(sqlite_hall, clerk, forms[saved])
    assert _counts(sqlite_hall)[0] == before[0] + 1 and view.case_number
