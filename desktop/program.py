"""This program's own command line, to run one of its commands in a child process."""

from __future__ import annotations

import sys


def program_command(*arguments: str) -> list[str]:
    """``python -m desktop ARGUMENTS``; in the bundle, which is its own interpreter, the bundle itself."""
    command = [sys.executable] if getattr(sys, "frozen", False) else [sys.executable, "-m", "desktop"]
    return [*command, *arguments]
