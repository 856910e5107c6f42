"""Bring a database to the newest schema with Alembic, from code (no ini file needed)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

MIGRATIONS = Path(__file__).resolve().parent / "migrations"

#: Objects made by raw SQL in the migrations (SQLite's FTS5 index and its shadow
#: tables, PostgreSQL's trigram indexes): autogenerate must not propose dropping them.
_RAW_TABLE_PREFIXES = ("case_fts",)
_RAW_INDEXES = frozenset({"ix_cases_text_trgm", "ix_cases_name_trgm"})


def include_name(name: str | None, type_: str, _parent_names: object) -> bool:
    """Autogenerate filter: compare only what the models describe."""
    if name is None:
        return True
    if type_ == "table":
        return not name.startswith(_RAW_TABLE_PREFIXES)
    return not (type_ == "index" and name in _RAW_INDEXES)


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def downgrade(engine: Engine, revision: str) -> None:
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()
