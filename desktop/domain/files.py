"""What kind of file a few bytes are: a card's photo, a scanned letter, a photo handed in."""

from __future__ import annotations

from collections.abc import Mapping

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


def is_sha256(value: object) -> bool:
    """A SHA-256 as the materials are named by: 64 lowercase hexadecimal digits."""
    return isinstance(value, str) and len(value) == 64 and all(c in "0123456789abcdef" for c in value)


def named_files(payload: object) -> set[str]:
    """The SHA-256 of every file an event's payload names in ``attachments`` (a reference, or the bare hash)."""
    items = payload.get("attachments") if isinstance(payload, Mapping) else None
    found: set[str] = set()
    for item in items if isinstance(items, list | tuple) else ():
        sha = item.get("sha256") if isinstance(item, Mapping) else item
        if isinstance(sha, str) and is_sha256(sha):
            found.add(sha)
    return found
