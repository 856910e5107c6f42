"""Fixtures of the device tests: the termb library compiled from C once per session."""

from __future__ import annotations

import ctypes
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.devices.fake_termb import build_library


@pytest.fixture(scope="session")
def library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_library(tmp_path_factory.mktemp("termb") / "libtermb.so")


@pytest.fixture
def fake(library: Path) -> Iterator[ctypes.CDLL]:
    """The library's state (the backend loads the same library, so it shares it), reset per test."""
    handle = ctypes.CDLL(str(library))
    handle.fake_set(1001, 1, 1, 0)
    yield handle
    handle.fake_set(1001, 1, 1, 0)
