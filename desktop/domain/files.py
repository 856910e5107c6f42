"""What kind of file a few bytes are: a card's photo, a scanned letter, a photo handed in."""

from __future__ import annotations

_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"BM", "image/bmp"),
    (b"GIF8", "image/gif"),
)


def sniff_mime(data: bytes | None) -> str:
    """The media type the file's first bytes announce; "" when they announce none of the known ones."""
    if not data:
        return ""
    return next((mime for head, mime in _SIGNATURES if data.startswith(head)), "")
