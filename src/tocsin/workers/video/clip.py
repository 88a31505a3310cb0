"""Cut a clip from a camera's ring buffer: the frames between two wall-clock times, as an MP4 the
browser plays (H.264, yuv420p, ``faststart`` so playback begins before the file is read whole).

The segments overlapping the window are decoded, the frames inside it kept with their own times (the
clip's timeline is the wall clock's, gaps included), the privacy masks blacked out, and the result
encoded with the libx264 that PyAV's wheels bundle. Runs in a process of the video pool, never on the
event loop.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import av.container
import av.video.frame

from tocsin.workers.video import ring
from tocsin.workers.video.masks import mask_image

CODEC = "libx264"
MAX_SIDE = 1920


@dataclass(frozen=True, slots=True)
class CutClip:
    """A clip written to disk."""

    path: Path
    first_ms: int  # wall-clock time of its first frame
    last_ms: int  # and of its last
    frames: int
    size: int
    sha256: str


class NoFootage(Exception):
    """The ring buffer holds no frame of the window asked for."""


def _frames(folder: Path, start_ms: int, end_ms: int) -> list[tuple[int, av.video.frame.VideoFrame]]:
    kept: list[tuple[int, av.video.frame.VideoFrame]] = []
    for segment in ring.covering(folder, start_ms, end_ms):
        # a segment the ring just dropped, or a corrupt one, is skipped
        with contextlib.suppress(av.FFmpegError, OSError), av.open(str(segment.path)) as container:
            stream = container.streams.video[0]
            for frame in container.decode(stream):
                if frame.pts is None or frame.time_base is None:
                    continue
                at = segment.start_ms + round(frame.pts * frame.time_base * 1000)
                if start_ms <= at <= end_ms and (not kept or at > kept[-1][0]):
                    kept.append((at, frame))
    return kept


def cut(
    folder: Path,
    start_ms: int,
    end_ms: int,
    out_path: Path,
    masks: list[list[list[float]]] | None = None,
) -> CutClip:
    """Write the clip of ``[start_ms, end_ms]`` from the ring in ``folder`` to ``out_path``."""
    frames = _frames(folder, start_ms, end_ms)
    if not frames:
        raise NoFootage(f"no recorded frame between {start_ms} and {end_ms}")
    out_path.parent.mkdir(parents=True, exist_ok=True)
    part = out_path.with_name(out_path.name + ".part")
    first = frames[0][1]
    width = min(MAX_SIDE, first.width) // 2 * 2
    height = min(MAX_SIDE, first.height) // 2 * 2
    with av.open(str(part), "w", format="mp4", options={"movflags": "+faststart"}) as out:
        stream = out.add_stream("libx264", rate=25)
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        stream.time_base = Fraction(1, 1000)
        stream.codec_context.time_base = Fraction(1, 1000)
        stream.options = {"preset": "veryfast", "tune": "zerolatency", "crf": "26"}
        base = frames[0][0]
        for at, frame in frames:
            picture = frame
            if masks:
                image = mask_image(frame.to_image(), masks)  # type: ignore[no-untyped-call]  # PyAV's stub
                picture = av.VideoFrame.from_image(image)  # type: ignore[no-untyped-call]
            picture = picture.reformat(width=width, height=height, format="yuv420p")
            picture.pts = at - base
            picture.time_base = Fraction(1, 1000)
            out.mux(stream.encode(picture))
        out.mux(stream.encode(None))
    os.replace(part, out_path)
    digest = hashlib.sha256(out_path.read_bytes()).hexdigest()
    return CutClip(out_path, base, frames[-1][0], len(frames), out_path.stat().st_size, digest)


def duration(path: Path) -> float:
    """A video file's duration in seconds, as its container says (PyAV)."""
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        if stream.duration is not None and stream.time_base is not None:
            return float(stream.duration * stream.time_base)
        return float((container.duration or 0) / av.time_base)
