"""A camera's ring buffer: short segments on disk, each named by the wall-clock time it covers.

A segment being written is ``<start_ms>.mkv.part``; once closed it is renamed ``<start_ms>_<end_ms>.mkv``
(milliseconds since the epoch, UTC), so a reader only ever opens complete files and knows what each
holds without opening it. Packets are copied as they came (no decoding), each stamped with its
wall-clock time in milliseconds from the segment's start. Segments older than the ring's length are
deleted; a ``.part`` left by a worker that died is deleted when the next one starts.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
import av.container
import av.stream

SUFFIX = ".mkv"
PART = ".mkv.part"
MS = Fraction(1, 1000)


@dataclass(frozen=True, slots=True, order=True)
class Segment:
    """A closed segment: the wall-clock milliseconds it covers and its file."""

    start_ms: int
    end_ms: int
    path: Path


def segments(folder: Path) -> list[Segment]:
    """The closed segments of a camera's folder, oldest first."""
    found: list[Segment] = []
    with contextlib.suppress(FileNotFoundError):
        for entry in os.scandir(folder):
            name = entry.name
            if not name.endswith(SUFFIX) or "_" not in name:
                continue
            start, _, end = name[: -len(SUFFIX)].partition("_")
            if start.isdigit() and end.isdigit():
                found.append(Segment(int(start), int(end), Path(entry.path)))
    return sorted(found)


def covering(folder: Path, start_ms: int, end_ms: int) -> list[Segment]:
    """The closed segments that overlap ``[start_ms, end_ms]``, oldest first."""
    return [s for s in segments(folder) if s.end_ms > start_ms and s.start_ms < end_ms]


def prune(folder: Path, keep_after_ms: int) -> int:
    """Delete the closed segments that ended before ``keep_after_ms``; how many were deleted."""
    deleted = 0
    for segment in segments(folder):
        if segment.end_ms < keep_after_ms:
            with contextlib.suppress(FileNotFoundError):
                segment.path.unlink()
                deleted += 1
    return deleted


def drop_parts(folder: Path) -> None:
    """Delete the segments a dead worker left half written."""
    with contextlib.suppress(FileNotFoundError):
        for entry in os.scandir(folder):
            if entry.name.endswith(PART):
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(entry.path)


class SegmentWriter:
    """Copies one input stream's packets into segments of about ``seconds`` each, cut at keyframes."""

    def __init__(self, folder: Path, template: av.stream.Stream, seconds: float = 1.0) -> None:
        self._folder = folder
        self._template = template
        self._seconds_ms = round(seconds * 1000)
        self._out: av.container.OutputContainer | None = None
        self._stream: av.stream.Stream | None = None
        self._start_ms = 0
        self._last_ms = -1
        self._step_ms = 100
        self.closed = 0
        folder.mkdir(parents=True, exist_ok=True)

    def write(self, packet: av.Packet[Any], wall_ms: int, shown_after_ms: int = 0) -> None:
        """Add a packet decoded at ``wall_ms`` and shown ``shown_after_ms`` later (B-frames); a keyframe
        past the segment's length starts the next one."""
        if self._out is not None and packet.is_keyframe and wall_ms - self._start_ms >= self._seconds_ms:
            self._close(wall_ms)
        if self._out is None:
            if not packet.is_keyframe:
                return  # a segment opens on a keyframe, so each one decodes alone
            self._open(wall_ms)
        if wall_ms <= self._last_ms:
            wall_ms = self._last_ms + 1  # the muxer wants rising times
        elif self._last_ms >= 0:
            self._step_ms = min(1000, wall_ms - self._last_ms)
        self._last_ms = wall_ms
        packet.stream = self._stream
        packet.time_base = MS
        packet.dts = wall_ms - self._start_ms
        packet.pts = packet.dts + shown_after_ms
        assert self._out is not None  # noqa: S101 - opened above
        self._out.mux(packet)

    def close(self) -> None:
        """Close the segment being written (the stream ended or failed)."""
        if self._out is not None:
            self._close(self._last_ms + self._step_ms)

    def _open(self, wall_ms: int) -> None:
        self._start_ms = wall_ms
        self._last_ms = -1
        path = self._folder / f"{wall_ms}{PART}"
        out = av.open(str(path), "w", format="matroska")
        stream = out.add_stream_from_template(self._template)
        stream.time_base = MS
        self._out, self._stream = out, stream

    def _close(self, end_ms: int) -> None:
        out, self._out = self._out, None
        if out is None:
            return
        try:
            out.close()
        finally:
            part = self._folder / f"{self._start_ms}{PART}"
            if self._last_ms < 0:
                part.unlink(missing_ok=True)
            else:
                part.rename(self._folder / f"{self._start_ms}_{max(end_ms, self._start_ms + 1)}{SUFFIX}")
                self.closed += 1
