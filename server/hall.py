"""The server's hall: the same services and schema as a desktop, on the server's database."""

from __future__ import annotations

from sqlalchemy import Engine

from desktop.config import load_settings
from desktop.keystore import Secrets
from desktop.services.context import Hall


def server_hall(engine: Engine) -> Hall:
    """A hall over ``engine`` with the settings of the server's config folder (day counting, directory).

    The sync server reads and writes events and projections only; it uses none of the
    installation's keys yet (no query codes are checked and no audit entries written here),
    so it is handed throwaway ones rather than a copy of a desktop's key store.
    """
    return Hall(engine=engine, settings=load_settings(write_first_start=False), secrets=Secrets.generate())
