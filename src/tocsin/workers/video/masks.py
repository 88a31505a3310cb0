"""Privacy masks blacked out of an image or a video frame (coordinates from 0 to 1, left/top to
right/bottom).

A snapshot is masked as a Pillow image (:func:`mask_image`); a clip's frames in their own planes
(:mod:`.planes`, which needs numpy: kept apart so a recorder starts without it).
"""

from __future__ import annotations

from collections.abc import Sequence

from PIL import Image, ImageDraw

Masks = Sequence[Sequence[Sequence[float]]]


def mask_image(image: Image.Image, masks: Masks) -> Image.Image:
    """The image with every mask polygon filled black (the image itself when there is none)."""
    if not masks:
        return image
    width, height = image.size
    draw = ImageDraw.Draw(image)
    for polygon in masks:
        draw.polygon([(x * width, y * height) for x, y in polygon], fill=(0, 0, 0))
    return image
