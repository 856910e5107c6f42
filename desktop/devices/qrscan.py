"""Reading QR codes in a camera's pictures (zxing-cpp): plain code, run on a worker thread.

A picture comes as 8-bit grey bytes (one byte a pixel, ``width`` × ``height``, rows packed);
:func:`read_codes` gives the text of each QR code found in it, best first, nothing when none.
zxing-cpp tries the picture as it is and inverted (a code shown on a phone's dark screen) and
finds a code turned at any angle.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Bigger pictures are not read faster than a smaller copy finds the code: the camera's picture is
#: scaled to at most this many pixels a side before it comes here (see ``desktop.devices.camera``).
MAX_SIDE = 1280


@dataclass(frozen=True)
class GreyPicture:
    """One picture, 8-bit grey, rows packed (``len(data) == width * height``)."""

    data: bytes
    width: int
    height: int

    def __post_init__(self) -> None:
        if self.width <= 0 or self.height <= 0 or len(self.data) != self.width * self.height:
            raise ValueError(f"grey picture of {len(self.data)} bytes is not {self.width}×{self.height}")


def read_codes(picture: GreyPicture) -> list[str]:
    """The text of each QR code in ``picture`` (an empty list when there is none)."""
    import zxingcpp
    from PIL import Image

    image = Image.frombuffer("L", (picture.width, picture.height), picture.data, "raw", "L", 0, 1)
    qr = zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)
    found = zxingcpp.read_barcodes(image, formats=qr, try_rotate=True, try_invert=True)
    return [code.text for code in found if code.valid and code.text]
