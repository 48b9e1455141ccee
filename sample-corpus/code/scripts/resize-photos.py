#!/usr/bin/env python3
"""Resize every JPEG in a folder to at most 2048 px on the long side, keeping EXIF orientation."""
import sys
from pathlib import Path

from PIL import Image, ImageOps

MAX_SIDE = 2048


def resize(path: Path, out_dir: Path) -> None:
    with Image.open(path) as image:
        image = ImageOps.exif_transpose(image)
        image.thumbnail((MAX_SIDE, MAX_SIDE))
        image.save(out_dir / path.name, quality=88, optimize=True)


if __name__ == "__main__":
    source, target = Path(sys.argv[1]), Path(sys.argv[2])
    target.mkdir(parents=True, exist_ok=True)
    for photo in sorted(source.glob("*.jpg")):
        resize(photo, target)
        print("resized", photo.name)
