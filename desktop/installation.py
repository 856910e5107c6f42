"""Opening this installation: its secrets, its database, and the hall services on top."""

from __future__ import annotations

from pathlib import Path

from desktop.config import Settings
from desktop.keystore import Secrets
from desktop.services.context import Hall
from desktop.services.database import open_database


def load_secrets(settings: Settings) -> Secrets:
    return Secrets.generate(settings.pepper_bytes)


def open_hall(settings: Settings, db_path: Path) -> Hall:
    """The hall on this installation's database, migrated to the newest schema."""
    return Hall(engine=open_database(db_path), settings=settings, secrets=load_secrets(settings))
