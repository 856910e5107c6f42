"""What the documents' font costs: the compact face beside reportlab's own parse of it.

    .venv/bin/python -m bench.font [--renders 20] [--json PATH]

Each face is measured in a fresh process (``--face compact`` or ``--face reportlab``, run
by the parent): the document modules imported and ``gc.collect()`` first, then the resident
size (``VmRSS``) and peak (``VmHWM``) before and after registering the font and rendering
one registration receipt, the time to register, and the median of ``--renders`` receipts
after that. ``reportlab`` is reportlab's own ``TTFont`` of the same file and face, as the
program registered it before the compact face. Prints both and their differences.
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

FACES = ("reportlab", "compact")


def measure(face: str, renders: int) -> dict[str, Any]:
    """In this process: register ``face`` under the documents' font name and render receipts."""
    from reportlab.pdfbase.ttfonts import TTFont

    from bench.common import peak_rss_mb, rss_mb
    from bench.receipt import _receipt_data
    from desktop.documents import fonts
    from desktop.documents.model import DocumentKind
    from desktop.documents.render import render

    if face == "reportlab":  # the font as registered before the compact face
        def plain(name: str, path: Path, subfontIndex: int) -> TTFont:
            return TTFont(name, str(path), subfontIndex=subfontIndex)
        fonts.CompactTTFont = plain  # type: ignore[assignment,misc]
    gc.collect()
    rss0, peak0 = rss_mb(), peak_rss_mb()
    start = time.perf_counter()
    fonts.register_font()
    register_ms = (time.perf_counter() - start) * 1000
    gc.collect()
    rss_registered = rss_mb()
    start = time.perf_counter()
    render(DocumentKind.REGISTRATION_RECEIPT, _receipt_data(0))
    first_ms = (time.perf_counter() - start) * 1000
    gc.collect()
    rss1, peak1 = rss_mb(), peak_rss_mb()
    times = []
    for serial in range(1, renders + 1):
        start = time.perf_counter()
        render(DocumentKind.REGISTRATION_RECEIPT, _receipt_data(serial))
        times.append((time.perf_counter() - start) * 1000)
    return {"face": face, "register_ms": round(register_ms, 2), "first_render_ms": round(first_ms, 2),
            "render_median_ms": round(statistics.median(times), 2), "renders": renders,
            "rss_before_mb": round(rss0, 1), "rss_registered_mb": round(rss_registered, 1),
            "rss_after_mb": round(rss1, 1), "rss_delta_mb": round(rss1 - rss0, 1),
            "register_delta_mb": round(rss_registered - rss0, 1),
            "peak_before_mb": round(peak0, 1), "peak_after_mb": round(peak1, 1),
            "peak_delta_mb": round(peak1 - peak0, 1)}


def run(renders: int) -> dict[str, dict[str, Any]]:
    """Each face in its own fresh process."""
    results = {}
    for face in FACES:
        out = subprocess.run([sys.executable, "-m", "bench.font", "--face", face, "--renders", str(renders)],
                             check=True, capture_output=True, text=True).stdout
        results[face] = json.loads(out.splitlines()[-1])
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description="文书字体的内存与耗时：紧凑字形表与 reportlab 自带解析的比较")
    parser.add_argument("--renders", type=int, default=20)
    parser.add_argument("--face", choices=FACES, help="measure one face in this process (used by the parent)")
    parser.add_argument("--json", type=Path, help="write the numbers to this file")
    args = parser.parse_args()
    if args.face:
        print(json.dumps(measure(args.face, max(1, args.renders))))
        return
    results = run(max(1, args.renders))
    rows = [("register_delta_mb", "resident after registering, MB +"),
            ("rss_delta_mb", "resident after 1 receipt, MB +"),
            ("peak_delta_mb", "peak (VmHWM) after 1 receipt, MB +"),
            ("register_ms", "register, ms"), ("first_render_ms", "first receipt, ms"),
            ("render_median_ms", f"receipt, median of {args.renders}, ms")]
    print(f"{'':38}{'reportlab':>12}{'compact':>12}")
    for key, label in rows:
        print(f"{label:38}{results['reportlab'][key]:>12}{results['compact'][key]:>12}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
