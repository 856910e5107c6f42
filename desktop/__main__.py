"""``python -m desktop``: the one command-line entry."""

import gc
import sys

if sys.argv[1:2] == ["run"]:
    # A window starts: no cycle collection until it is built (every import and widget before the first
    # frame would be walked several times over); run_app's GUI-thread collector takes over from there.
    gc.disable()

from desktop.cli import main

raise SystemExit(main())
