"""Makes astronaut-32.json, the small colour photo of chapter 2"s pixel viewer.

Source: scikit-image"s sample image data/astronaut.png (512x512 RGB), as shipped in Debian"s
python3-skimage package (0.19.3). Its docstring in skimage/data/_fetchers.py: "This image was downloaded
from the NASA Great Images database <https://flic.kr/p/r9qvLn>. No known copyright restrictions, released
into the public domain."

Run with Debian"s Python (python3-pil):
    python3 make_photo.py /usr/lib/python3/dist-packages/skimage/data/astronaut.png
The output is deterministic: the same PNG gives the same JSON.
"""

import json
import sys
from pathlib import Path

from PIL import Image

SIZE = 32


def main(src: str) -> None:
    image = Image.open(src).convert("RGB")
    # The source is square (512x512); Lanczos averages each 16x16 block with mild sharpening.
    small = image.resize((SIZE, SIZE), Image.LANCZOS)
    pixels = [v for rgb in small.getdata() for v in rgb]
    out = {
        "source": "scikit-image sample data astronaut.png (Eileen Collins, NASA Great Images database), "
        f"downscaled from {image.width}x{image.height} to {SIZE}x{SIZE} with Lanczos resampling",
        "licence": "Public domain (NASA; no known copyright restrictions)",
        "rows": SIZE,
        "cols": SIZE,
        "channels": ["R", "G", "B"],
        "layout": "HWC: row by row, each pixel as R, G, B",
        "pixels": pixels,
    }
    dest = Path(__file__).with_name(f"astronaut-{SIZE}.json")
    dest.write_text(json.dumps(out, separators=(",", ":")) + "\n")
    print(f"wrote {dest} ({len(pixels)} values)")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/usr/lib/python3/dist-packages/skimage/data/astronaut.png")
