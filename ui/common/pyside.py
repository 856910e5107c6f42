"""PySide6's ``__feature__`` bookkeeping without reading every module's source.

WORKAROUND (PySide6 6.x, ``shibokensupport/feature.py``, PYSIDE-2029): once PySide6 is loaded,
every module imported after it is asked whether it "uses PySide" — by reading its whole source with
``inspect.getsource`` and searching it for the word ``PySide6``. That reads and decodes every file
on import (some 100 modules before the kiosk's first frame) and, through ``linecache``, keeps every
line of every module in memory for the life of the process: 25 MB in a kiosk once SQLAlchemy,
reportlab and the services are loaded. The answer only matters to a module that selects a feature
(``from __feature__ import snake_case, true_property``), which this program never does. The check is
replaced by one on the module's name: the program's own packages and PySide6's use PySide; the
rest are left out of feature switching, as PySide does for modules without the word in them.
"""

from __future__ import annotations

import sys

# Nothing else is imported before the scan is replaced: each import statement run after PySide6 has
# its module scanned (``typing``'s 3,000 lines alone took 0.7 ms).

#: Top-level packages whose modules count as using PySide.
USES_PYSIDE = frozenset({"ui", "desktop", "bench", "tests", "PySide6", "__main__"})


def _uses_pyside(module: object) -> bool:
    return str(getattr(module, "__name__", "")).split(".")[0] in USES_PYSIDE


def skip_source_scan() -> bool:
    """Replace PySide's source scan (once PySide6 is loaded); returns whether it was replaced."""
    feature = sys.modules.get("shibokensupport.feature")  # PySide's own module
    if feature is None or not callable(getattr(feature, "_mod_uses_pyside", None)):
        return False  # PySide6 not loaded yet, or a version without the scan
    if vars(feature)["_mod_uses_pyside"] is not _uses_pyside:  # PySide's own module: no types to go by
        vars(feature)["_mod_uses_pyside"] = _uses_pyside
        import linecache

        linecache.clearcache()  # the sources read so far (a cache: anything that needs a line reads it again)
    return True
