"""Entry of the bundled program: the same command line as ``python -m desktop`` (see desktop/__main__.py)."""

import gc
import sys

if sys.argv[1:2] == ["run"]:
    gc.disable()  # a window starts: no cycle collection until it is built (desktop/__main__.py)

from desktop.cli import main  # noqa: E402

raise SystemExit(main())
