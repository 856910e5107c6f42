"""What the document templates cost: a registration receipt beside the least a receipt could be.

    .venv/bin/python -m bench.receipt [--samples 100] [--json PATH]

Renders ``--samples`` registration receipts (80 mm, masked data, next-step sentence,
QR code, embedded font subset) through ``desktop.documents.render`` and, in the same
run and alternating with them, a minimal reportlab page: the same font, one line of
text and the same QR code. Each sample has its own case number and query code. Prints
both medians, their ratio and whether it meets the target. The font is registered once,
before timing, as the program does at its first print.
"""

from __future__ import annotations

import argparse
import io
import json
import statistics
import time
from datetime import date
from pathlib import Path
from typing import Any

TARGET_RATIO = 1.5


def _receipt_data(serial: int) -> dict[str, Any]:
    from desktop.domain.numbering import make_case_number

    return {
        "hall_name": "浦江县人民来访接待中心",
        "case_number": make_case_number(date(2026, 9, 16), "K01", serial),
        "query_code": f"{(serial * 7919) % 10**8:08d}",
        "lookup_url": "https://xf.example.gov.cn",
        "petitioner_name": "张建国",
        "id_number": "330726196803121236",
        "received_at": "2026-09-16T09:30:00",
        "route_due": "2026-10-08",
        "route_due_unverified": False,
        "window": "3号窗口",
        "hall_address": "浦江县某某路10号",
        "hall_phone": "0579-00000005",
        "issued_on": "2026-09-16",
    }


def minimal_page(payload: str, line: str) -> bytes:
    """The baseline: one line of text and one QR code on an 80 mm page, nothing else.

    The QR code is encoded and drawn exactly as on the receipt (``layout.qr_item``), so the
    ratio shows what the template, the layout and the larger font subset cost, not QR work.
    """
    from reportlab.pdfgen.canvas import Canvas

    from desktop.documents.fonts import FONT_NAME
    from desktop.documents.layout import MM, qr_item

    buffer = io.BytesIO()
    c = Canvas(buffer, pagesize=(80 * MM, 60 * MM), invariant=1, pageCompression=1,
               initialFontName=FONT_NAME, initialFontSize=10)
    c.setFont(FONT_NAME, 10)
    c.drawString(4 * MM, 52 * MM, line)
    qr_item(payload).draw(c, 4 * MM, 45 * MM, 72 * MM)
    c.showPage()
    c.save()
    return buffer.getvalue()


def run(samples: int) -> dict[str, Any]:
    from desktop.documents.fonts import register_font
    from desktop.documents.model import DocumentKind
    from desktop.documents.render import render
    from desktop.domain.qrpayload import make_payload

    register_font()
    render(DocumentKind.REGISTRATION_RECEIPT, _receipt_data(0))  # warm up imports and caches alike
    minimal_page("https://xf.example.gov.cn/q/x/0", "登记回执")
    receipt_ms: list[float] = []
    minimal_ms: list[float] = []
    sizes: list[int] = []
    for serial in range(1, samples + 1):
        data = _receipt_data(serial)
        payload = make_payload(data["lookup_url"], data["case_number"], data["query_code"])
        line = f"信访事项登记回执 {data['case_number']}"
        start = time.perf_counter()
        document = render(DocumentKind.REGISTRATION_RECEIPT, data)
        receipt_ms.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        minimal_page(payload, line)
        minimal_ms.append((time.perf_counter() - start) * 1000)
        sizes.append(len(document.pdf))
    receipt, minimal = statistics.median(receipt_ms), statistics.median(minimal_ms)
    ratio = receipt / minimal
    return {"samples": samples, "receipt_median_ms": round(receipt, 3), "minimal_median_ms": round(minimal, 3),
            "ratio": round(ratio, 3), "target_ratio": TARGET_RATIO, "met": ratio <= TARGET_RATIO,
            "receipt_pdf_bytes_median": int(statistics.median(sizes))}


def main() -> None:
    parser = argparse.ArgumentParser(description="登记回执生成耗时与最简 reportlab 页面的比较")
    parser.add_argument("--samples", type=int, default=100)
    parser.add_argument("--json", type=Path, help="write the numbers to this file")
    args = parser.parse_args()
    result = run(max(1, args.samples))
    print(f"{'':30}{'median ms':>12}")
    print(f"{'登记回执 (render)':30}{result['receipt_median_ms']:>12.2f}")
    print(f"{'minimal page (1 line + QR)':30}{result['minimal_median_ms']:>12.2f}")
    print(f"{'ratio':30}{result['ratio']:>12.2f}   target ≤ {TARGET_RATIO:.1f}×: "
          f"{'met' if result['met'] else 'NOT met'}")
    print(f"samples: {result['samples']}, receipt PDF ≈ {result['receipt_pdf_bytes_median']} bytes")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
