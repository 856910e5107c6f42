"""Screenshots of every role's window, for reviewing the screens as a user sees them.

Run under a real display (e.g. ``xvfb-run -s "-screen 0 1920x1080x24"``):
    .venv/bin/python scripts/screenshots.py --db demo/demo.db --out shots/
"""

from __future__ import annotations

import argparse
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from desktop.app import actor_for, build_hall
from desktop.config import ROLES, load_settings
from ui.theme import apply_theme
from ui.windows import CaseSearchPanel, RoleWindow

SIZES = {"landscape": (1920, 1080), "portrait": (1080, 1920)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--out", default="shots")
    parser.add_argument("--query", default="王")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    settings = load_settings()
    hall = build_hall(Path(args.db), settings)
    app = QApplication([])
    for role in ROLES:
        apply_theme(app, role)
        sizes = SIZES if role in ("kiosk", "display") else {"landscape": SIZES["landscape"]}
        for name, (width, height) in sizes.items():
            window = RoleWindow(hall, actor_for(role, settings), role)
            window.resize(width, height)
            window.show()
            for panel in window.findChildren(CaseSearchPanel):
                panel.query.setText(args.query)
                panel.run_search()
                panel.table.setCurrentCell(0, 0)
            QTimer.singleShot(300, app.quit)
            app.exec()
            window.grab().save(str(out / f"{role}-{name}.png"))
            window.close()
    print(f"saved to {out}")


if __name__ == "__main__":
    main()
