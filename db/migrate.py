"""Bring a database to the newest schema with Alembic, from code (no ini file needed).

Alembic itself is imported only when a migration has to run: every start-up asks
whether the schema is current, and answering that from the version table and the
migration files costs a millisecond instead of Alembic's ~90 ms import.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect, text

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parent / "migrations"

#: Objects made by raw SQL in the migrations (SQLite's FTS5 index and its shadow
#: tables, PostgreSQL's trigram indexes, the case-number trigram index): autogenerate
#: must not propose dropping them.
_RAW_TABLE_PREFIXES = ("case_fts",)
_RAW_INDEXES = frozenset({"ix_cases_text_trgm", "ix_cases_name_trgm", "ix_cases_folded_trgm", "ix_cases_number_trgm"})


def include_name(name: str | None, type_: str, _parent_names: object) -> bool:
    """Autogenerate filter: compare only what the models describe."""
    if name is None:
        return True
    if type_ == "table":
        return not name.startswith(_RAW_TABLE_PREFIXES)
    return not (type_ == "index" and name in _RAW_INDEXES)


def alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def upgrade(engine: Engine, revision: str = "head", *, day_counting: str | None = None) -> None:
    """Migrate to ``revision``. ``day_counting`` is the installation's (``calendar``/``working``), for the
    migrations that count deadlines again; without it they read the settings as the program does."""
    from alembic import command

    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        if day_counting is not None:
            config.attributes["day_counting"] = day_counting
        command.upgrade(config, revision)


def downgrade(engine: Engine, revision: str) -> None:
    from alembic import command

    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


_REVISION = re.compile(r'^(revision|down_revision)\s*=\s*["\']?(\w+|None)["\']?', re.MULTILINE)


@cache
def head_revision() -> str | None:
    """The newest revision: the one no other migration names as its predecessor."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        found: dict[str, str] = {m.group(1): m.group(2) for m in _REVISION.finditer(path.read_text(encoding="utf-8"))}
        if "revision" in found:
            revisions.add(found["revision"])
            if found.get("down_revision", "None") != "None":
                parents.add(found["down_revision"])
    heads = revisions - parents
    if len(heads) != 1:
        raise RuntimeError(f"数据库迁移脚本应当只有一个最新版本，实际为：{sorted(heads)}")
    return heads.pop()
