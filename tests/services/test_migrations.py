"""The migrations build exactly the schema the models describe, on both databases."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine

from db.migrate import current_revision, downgrade, head_revision, include_name, upgrade
from db.models import Base


def test_migrated_schema_matches_models(engine: Engine) -> None:
    assert current_revision(engine) == head_revision()
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_name": include_name})
        diff = compare_metadata(context, Base.metadata)
    assert diff == []


def test_downgrade_and_upgrade_again(sqlite_engine: Engine) -> None:
    downgrade(sqlite_engine, "0001")
    assert current_revision(sqlite_engine) == "0001"
    upgrade(sqlite_engine)
    assert current_revision(sqlite_engine) == head_revision()
