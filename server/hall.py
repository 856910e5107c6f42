"""The server's hall: the same services and schema as a desktop, on the server's database."""

from __future__ import annotations

import logging
import os

from sqlalchemy import Engine

from desktop.config import load_settings
from desktop.keystore import Secrets
from desktop.services.context import Hall

log = logging.getLogger(__name__)
PEPPER_ENV = "PH_QUERY_CODE_PEPPER"


def deployment_pepper() -> bytes | None:
    """The deployment-wide query-code pepper (hex in ``PH_QUERY_CODE_PEPPER``, else the settings file's)."""
    text = os.environ.get(PEPPER_ENV, "").strip()
    if text:
        try:
            return bytes.fromhex(text)
        except ValueError:
            raise RuntimeError(f"环境变量 {PEPPER_ENV} 不是十六进制") from None
    return load_settings(write_first_start=False).pepper_bytes or None


def server_hall(engine: Engine) -> Hall:
    """A hall over ``engine`` with the settings of the server's config folder (day counting, directory).

    The query-code pepper is the deployment's (the public lookup page checks codes issued
    at any counter); without one, the page answers every code as wrong and says so in the
    log. The other keys are the server's own and throwaway until server-side key storage
    (field encryption) is built.
    """
    pepper = deployment_pepper()
    if pepper is None:
        log.warning("未配置查询码密钥（%s）：公众查询页面将无法核验查询码", PEPPER_ENV)
    return Hall(engine=engine, settings=load_settings(write_first_start=False),
                secrets=Secrets.generate(query_code_pepper=pepper))
