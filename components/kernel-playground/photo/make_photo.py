"""Makes camera-64.json, the grayscale photo of chapter 4's kernel playground.

Source: scikit-image's sample image data/camera.png (512x512, 8-bit grayscale), as shipped in Debian's
python3-skimage package (0.19.3). Its docstring in skimage/data/_fetchers.py: "No copyright restrictions.
CC0 by the photographer (Lav Varshney)." (The image replaced the older "cameraman" in scikit-image 0.18
because of copyright; see scikit-image issue 3927.)

Run with Debian's Python (python3-pil):
    python3 make_photo.py /usr/lib/python3/dist-packages/skimage/data/camera.png
The output is deterministic: the same PNG gives the same JSON.
"""

import json
import sys
from pathlib import Path

from PIL import Image

SIZE = 64


def main(src: str) -> None:
    image = Image.open(src).convert("L")
    # 64x64 keeps the tripod legs and the coat's outline sharp enough for edge kernels to find,
    # while a 3x3 kernel still covers a visible patch of the picture.
    small = image.resize((SIZE, SIZE), Image.LANCZOS)
    out = {
        "source": "scikit-image sample data camera.png (photo by Lav Varshney), "
        f"downscaled from {image.width}x{image.height} to {SIZE}x{SIZE} with Lanczos resampling",
        "licence": "CC0 1.0 (public domain dedication by the photographer, Lav Varshney)",
        "rows": SIZE,
        "cols": SIZE,
        "layout": "grayscale 0-255, row by row",
        "pixels": list(small.getdata()),
    }
    dest = Path(__file__).with_name(f"camera-{SIZE}.json")
    dest.write_text(json.dumps(out) + "\n")


if __name__ == "__main__":
    main(sys.argv[1])
