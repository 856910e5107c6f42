"""PDF pages to pixels with pdfium: for the system printer, the thermal printer and the preview.

pdfium is not thread-safe, so every use goes through one lock: the preview may
render on the GUI thread while a print job rasterises on a worker.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

from PIL import Image

from desktop.printing.base import PrinterError, Problem

_PDFIUM_LOCK = threading.Lock()

POINTS_PER_INCH = 72.0
MM_PER_INCH = 25.4
#: Thermal receipt printers: 203 dpi, 72 mm printable on 80 mm paper = 576 dots a line.
RECEIPT_DPI = 203
RECEIPT_WIDTH_PX = 576
#: Grey above this (0–255) prints as white on a thermal printer; text stays crisp, no dithering.
RECEIPT_THRESHOLD = 160


def _pdfium() -> Any:
    """pdfium is loaded on the first print, not at start-up (its import takes ~0.1 s)."""
    import pypdfium2

    return pypdfium2


def _open(pdf: bytes) -> Any:
    pdfium = _pdfium()
    try:
        return pdfium.PdfDocument(pdf)
    except pdfium.PdfiumError as exc:
        raise PrinterError(Problem.FAILED, f"文书文件已损坏，无法打印（{exc}）") from exc


def page_count(pdf: bytes) -> int:
    with _PDFIUM_LOCK:
        document = _open(pdf)
        try:
            return len(document)
        finally:
            document.close()


def page_sizes_mm(pdf: bytes) -> list[tuple[float, float]]:
    """Width and height of every page in millimetres."""
    with _PDFIUM_LOCK:
        document = _open(pdf)
        try:
            sizes = []
            for index in range(len(document)):
                width, height = document[index].get_size()
                sizes.append((width / POINTS_PER_INCH * MM_PER_INCH, height / POINTS_PER_INCH * MM_PER_INCH))
            return sizes
        finally:
            document.close()


def iter_pages(pdf: bytes, dpi: float, *, grayscale: bool = False) -> Iterator[Image.Image]:
    """Each page as an image at ``dpi``, white background, one page in memory at a time."""
    count = page_count(pdf)
    for index in range(count):
        yield render_page(pdf, index, dpi, grayscale=grayscale)


def render_page(pdf: bytes, index: int, dpi: float, *, grayscale: bool = False) -> Image.Image:
    with _PDFIUM_LOCK:
        document = _open(pdf)
        try:
            page = document[index]
            bitmap = page.render(scale=dpi / POINTS_PER_INCH, grayscale=grayscale,
                                 fill_color=(255, 255, 255, 255))
            image: Image.Image = bitmap.to_pil()
            # to_pil may share pdfium's buffer: copy before the document is closed.
            return image.convert("L" if grayscale else "RGB")
        except _pdfium().PdfiumError as exc:
            raise PrinterError(Problem.FAILED, f"文书第{index + 1}页无法生成打印图像（{exc}）") from exc
        finally:
            document.close()


def receipt_image(pdf: bytes, *, dpi: int = RECEIPT_DPI, width_px: int = RECEIPT_WIDTH_PX,
                  threshold: int = RECEIPT_THRESHOLD) -> Image.Image:
    """The whole receipt as one black-and-white strip ``width_px`` dots wide.

    Pages are rendered at the printer's resolution and stacked (a roll has no page
    breaks). An 80 mm page is cut to its middle 72 mm, which is all the print head
    reaches; a narrower page is centred.
    """
    strips = [_fit_width(page, width_px) for page in iter_pages(pdf, dpi, grayscale=True)]
    if not strips:
        raise PrinterError(Problem.FAILED, "文书没有任何页面，无法打印")
    height = sum(strip.height for strip in strips)
    roll = Image.new("L", (width_px, height), 255)
    top = 0
    for strip in strips:
        roll.paste(strip, (0, top))
        top += strip.height
    return roll.point(lambda value: 255 if value > threshold else 0).convert("1", dither=Image.Dither.NONE)


def _fit_width(page: Image.Image, width_px: int) -> Image.Image:
    if page.width == width_px:
        return page
    if page.width > width_px:
        left = (page.width - width_px) // 2
        return page.crop((left, 0, left + width_px, page.height))
    padded = Image.new("L", (width_px, page.height), 255)
    padded.paste(page, ((width_px - page.width) // 2, 0))
    return padded
