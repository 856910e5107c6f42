"""The program's icon, drawn at build time (no image file in the repository): 信 on the hall's blue.

    python build/make_icon.py OUT_DIR   → OUT_DIR/petition-hall.png (256 px) and petition-hall.ico
"""

from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

REPO = Path(__file__).resolve().parents[1]


def draw(size: int = 256) -> Image.Image:
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    pen.rounded_rectangle((8, 8, size - 8, size - 8), radius=size // 6, fill=(18, 53, 91, 255))
    font = ImageFont.truetype(str(REPO / "resources" / "fonts" / "wqy-microhei.ttc"), int(size * 0.62), index=0)
    pen.text((size / 2, size / 2), "信", font=font, fill=(255, 255, 255, 255), anchor="mm")
    return image


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    icon = draw()
    icon.save(out / "petition-hall.png")
    icon.save(out / "petition-hall.ico", sizes=[(16, 16), (32, 32), (48, 48), (64, 64), (128, 128), (256, 256)])


if __name__ == "__main__":
    main(Path(sys.argv[1]))
