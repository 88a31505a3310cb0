"""Privacy masks blacked out of an image (coordinates from 0 to 1, left/top to right/bottom)."""

from __future__ import annotations

from collections.abc import Sequence

from PIL import Image, ImageDraw


def mask_image(image: Image.Image, masks: Sequence[Sequence[Sequence[float]]]) -> Image.Image:
    """The image with every mask polygon filled black (the image itself when there is none)."""
    if not masks:
        return image
    width, height = image.size
    draw = ImageDraw.Draw(image)
    for polygon in masks:
        draw.polygon([(x * width, y * height) for x, y in polygon], fill=(0, 0, 0))
    return image
