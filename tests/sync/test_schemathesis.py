"""``schemathesis run`` against the server's own ``/openapi.json``, on a real socket: no request it makes gets a 5xx.

The example count is bounded and the generation deterministic (a fixed seed), so the run
is the same every time; every phase runs (examples, coverage, fuzzing, and the stateful
phase over the links between the operations), with a valid device token so that requests
reach the checks behind authentication.
"""

from __future__ import annotations

import base64
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import Engine

from server.store import enrol_device
from tests.conftest import FakeClock, make_hall
from tests.sync.conftest import add_staff, serving, with_staff

MAX_EXAMPLES = 30
PASSWORD = "Guanli#2026xf"


def _schemathesis(url: str, tmp_path: Path, headers: list[str], *, paths: str) -> None:
    cli = Path(sys.executable).with_name("schemathesis")
    if not cli.exists():
        pytest.fail("schemathesis 未安装：请运行 scripts/setup.sh --dev")
    args = [str(cli), "run", f"{url}/openapi.json", "--checks", "not_a_server_error",
            "--max-examples", str(MAX_EXAMPLES), "--seed", "22", "--generation-deterministic",
            "--include-path-regex", paths, "--workers", "1", "--no-color",
            # warnings off: random enrolment codes are (rightly) all refused, which it would report
            "--warnings", "off"]
    for header in headers:
        args += ["--header", header]
    run = subprocess.run(args, cwd=tmp_path, capture_output=True, text=True, timeout=900,
                         env={**os.environ, "SCHEMATHESIS_TELEMETRY": "false", "NO_COLOR": "1"}, check=False)
    report = run.stdout[-6000:] + run.stderr[-2000:]
    assert run.returncode == 0, report
    assert "No issues found" in run.stdout, report


def test_schemathesis_finds_no_server_error(engine: Engine, clock: FakeClock, tmp_path: Path) -> None:
    """The devices' operations with a counter's token (the audit relay also with a hall server's); the
    administrator's with an admin desk and account."""
    hall = with_staff(make_hall(engine, clock, device_id="server", device_code="S01"))
    add_staff(hall, "guanli1", "admin", "孙涛", password=PASSWORD)
    counter = enrol_device(hall, "deva", "counter")
    relaying = enrol_device(hall, "hall1", "hall")
    admin = enrol_device(hall, "admin1", "admin")
    staff = base64.b64encode(f"guanli1:{PASSWORD}".encode()).decode("ascii")
    with serving(hall) as url:
        _schemathesis(url, tmp_path, [f"Authorization: Bearer {counter}"], paths="^/(sync|enrol|q|api)")
        _schemathesis(url, tmp_path, [f"Authorization: Bearer {relaying}"], paths="^/sync/(audit/relay|pull)$")
        _schemathesis(url, tmp_path, [f"Authorization: Bearer {admin}", f"X-Staff-Authorization: Basic {staff}"],
                      paths="^/admin")
