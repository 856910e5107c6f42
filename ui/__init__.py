"""Qt widgets; imported only by the composition root (desktop.app).

Importing the package stops PySide6 from reading the source of every module imported after it
(:mod:`ui.common.pyside`): every process that shows these widgets imports it first.
"""

import PySide6.QtCore  # noqa: F401  (loads shiboken's feature support, which the next line adjusts)

from ui.common.pyside import skip_source_scan

skip_source_scan()
