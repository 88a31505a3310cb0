"""Privacy masks blacked out of a clip's frames in their own YUV planes.

The polygons are drawn once, for the frame's size, into a luma mask and a chroma mask (a chroma sample
is blacked out when any of the four pixels it covers is masked, so no colour bleeds into the mask), and
each frame's planes are then set to black through those masks with numpy, without converting the frame
to RGB and back: that round trip and Pillow's drawing on every frame were most of a masked clip's cost
(see docs/video.md, "Masked clips").
"""

from __future__ import annotations

import av
import av.video.frame
import numpy as np
import numpy.typing as npt
from PIL import Image, ImageDraw

from tocsin.workers.video.masks import Masks

BLACK_Y = 16  # black in the limited range H.264 uses (what RGB 0, 0, 0 becomes in yuv420p)
NEUTRAL_C = 128  # no colour


class PlaneMasker:
    """Blacks out the masks of yuv420p frames of one size, the masks drawn once."""

    def __init__(self, masks: Masks, width: int, height: int) -> None:
        if width % 2 or height % 2:
            raise ValueError(f"a yuv420p frame has an even size, not {width}x{height}")
        self.width, self.height = width, height
        drawn = Image.new("L", (width, height), 0)
        draw = ImageDraw.Draw(drawn)
        for polygon in masks:
            draw.polygon([(x * width, y * height) for x, y in polygon], fill=255)
        self.luma: npt.NDArray[np.bool_] = np.asarray(drawn) > 0
        blocks = self.luma.reshape(height // 2, 2, width // 2, 2)
        self.chroma: npt.NDArray[np.bool_] = np.asarray(blocks.any(axis=(1, 3)), dtype=np.bool_)

    def apply(self, frame: av.video.frame.VideoFrame) -> av.video.frame.VideoFrame:
        """A yuv420p copy of ``frame`` (of this size) with the masks black (times are the caller's)."""
        planes = frame.to_ndarray(format="yuv420p")  # Y rows, then U and V, each a quarter, packed
        height, width = self.height, self.width
        quarter = height // 4
        luma = planes[:height]
        luma[self.luma] = BLACK_Y
        for first in (height, height + quarter):
            chroma = planes[first : first + quarter].reshape(height // 2, width // 2)
            chroma[self.chroma] = NEUTRAL_C
        return av.VideoFrame.from_ndarray(planes, format="yuv420p")
