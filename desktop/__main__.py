"""``python -m desktop``: the one command-line entry."""

from desktop.cli import main

raise SystemExit(main())
