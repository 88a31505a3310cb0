"""Cut a clip from a camera's ring buffer: the frames between two wall-clock times, as an MP4 the
browser plays (H.264, ``faststart`` so playback begins before the file is read whole).

A camera that sends H.264 and has no privacy mask is copied as recorded: its packets from the last
keyframe at or before the start to the end, no decoding (a 30 s clip of 720p in milliseconds). Anything
else (MJPEG, which browsers do not play in MP4, or masks to black out) is decoded: the frames inside the
window kept with their own times (the clip's timeline is the wall clock's, gaps included), the masks
blacked out, and the result encoded with the libx264 that PyAV's wheels bundle (yuv420p). Runs in a
process of the video pool, never on the event loop.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import json
import os
import sys
import time
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
import av.container
import av.video.frame

from tocsin.workers.video import jobs, ring
from tocsin.workers.video.planes import PlaneMasker

MAX_SIDE = 1920
PRESET = "superfast"  # x264: ultrafast costs 12 % less CPU for 44 % more bytes, veryfast 8 % more (docs)
POLL_SECONDS = 0.1


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


def _frames_of(
    segment: ring.Segment, start_ms: int, end_ms: int
) -> list[tuple[int, av.video.frame.VideoFrame]]:
    """A segment's frames inside the window, with their wall-clock times (ms)."""
    kept: list[tuple[int, av.video.frame.VideoFrame]] = []
    # a segment the ring just dropped, or a corrupt one, is skipped
    with contextlib.suppress(av.FFmpegError, OSError), av.open(str(segment.path)) as container:
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"  # frames decoded on every core (the same CPU time, sooner)
        for frame in container.decode(stream):
            if frame.pts is None or frame.time_base is None:
                continue
            at = segment.start_ms + round(frame.pts * frame.time_base * 1000)
            if start_ms <= at <= end_ms:
                kept.append((at, frame))
    return kept


def _codec(segments: list[ring.Segment]) -> str:
    for segment in segments:
        with contextlib.suppress(av.FFmpegError, OSError), av.open(str(segment.path)) as container:
            return container.streams.video[0].codec_context.name
    return ""


def cut(  # noqa: PLR0917 - a window, a file, masks and a deadline
    folder: Path,
    start_ms: int,
    end_ms: int,
    out_path: Path,
    masks: list[list[list[float]]] | None = None,
    give_up_at: float = 0.0,
) -> CutClip:
    """Write the clip of ``[start_ms, end_ms]`` from the ring in ``folder`` to ``out_path``: H.264 with
    no mask to black out is copied as it was recorded (from the keyframe before the start, no decoding);
    anything else (MJPEG, masks) is decoded and encoded again, segment by segment as the ring closes them
    when ``give_up_at`` (a ``time.monotonic()``) says how long to wait for the window's end."""
    if not masks and _codec(ring.covering(folder, start_ms, end_ms)) == "h264":
        while time.monotonic() < give_up_at and not _recorded_until(folder, end_ms):
            time.sleep(POLL_SECONDS)
        return _remux(ring.covering(folder, start_ms, end_ms), start_ms, end_ms, out_path)
    return _transcode(folder, start_ms, end_ms, out_path, masks, give_up_at)


def _recorded_until(folder: Path, end_ms: int) -> bool:
    found = ring.segments(folder)
    return bool(found) and found[-1].end_ms >= end_ms


def _remux(segments: list[ring.Segment], start_ms: int, end_ms: int, out_path: Path) -> CutClip:
    """Copy the H.264 packets of the window into an MP4, from the last keyframe at or before its start."""
    packets: list[tuple[int, av.Packet[Any]]] = []  # (wall pts ms, packet), in decoding order
    with contextlib.ExitStack() as opened:
        template: av.VideoStream | None = None
        for segment in segments:
            try:
                container = opened.enter_context(av.open(str(segment.path)))
            except (av.FFmpegError, OSError):  # dropped by the ring meanwhile, or corrupt
                continue
            stream = container.streams.video[0]
            template = template or stream
            with contextlib.suppress(av.FFmpegError):
                for packet in container.demux(stream):
                    if packet.pts is None or packet.size == 0:
                        continue  # Matroska keeps presentation times only: decoding times come below
                    at = segment.start_ms + int(packet.pts)
                    if at > end_ms:
                        break  # the first shown after the end (a B-frame it holds back is left out)
                    if packet.is_keyframe and at <= start_ms:
                        packets.clear()  # a later keyframe still before the start: begin there
                    if packets or packet.is_keyframe:
                        packets.append((at, packet))
        if not packets or template is None:
            raise NoFootage(f"no recorded frame between {start_ms} and {end_ms}")
        out_path.parent.mkdir(parents=True, exist_ok=True)
        part = out_path.with_name(out_path.name + ".part")
        shown = [at for at, _ in packets]
        ordered = sorted(shown)  # decoding times: the presentation times in order, moved back as far
        delay = max(o - s for o, s in zip(ordered, shown, strict=True))  # as a frame waits (B-frames)
        base = ordered[0]
        with av.open(str(part), "w", format="mp4", options={"movflags": "+faststart"}) as out:
            copy = out.add_stream_from_template(template)
            copy.time_base = Fraction(1, 1000)
            steps = [b - a for a, b in itertools.pairwise(ordered)]
            steps.append(steps[-1] if steps else 40)
            for index, (at, packet) in enumerate(packets):
                packet.stream = copy
                packet.time_base = Fraction(1, 1000)
                packet.pts = at - base
                packet.dts = ordered[index] - base - delay
                packet.duration = max(1, steps[index])
                out.mux(packet)
    return _done(part, out_path, base, ordered[-1], len(packets))


def _done(part: Path, out_path: Path, first_ms: int, last_ms: int, frames: int) -> CutClip:
    os.replace(part, out_path)
    digest = hashlib.sha256(out_path.read_bytes()).hexdigest()
    return CutClip(out_path, first_ms, last_ms, frames, out_path.stat().st_size, digest)


class _Encoder:
    """Encodes frames as H.264 into an MP4, opened with the first frame (its size)."""

    def __init__(self, out_path: Path, masks: list[list[list[float]]] | None) -> None:
        self._out_path = out_path
        self._part = out_path.with_name(out_path.name + ".part")
        self._masks = masks
        self._out: av.container.OutputContainer | None = None
        self._stream: av.VideoStream | None = None
        self._maskers: dict[tuple[int, int], PlaneMasker] = {}
        self.first_ms = self.last_ms = -1
        self.frames = 0

    def add(self, at: int, frame: av.video.frame.VideoFrame) -> None:
        """Encode a frame shown at wall-clock ``at`` (ms), masks blacked out."""
        if self._out is None:
            self._open(frame)
        assert self._out is not None  # noqa: S101 - opened above
        assert self._stream is not None  # noqa: S101 - opened above
        picture = frame.reformat(width=self._stream.width, height=self._stream.height, format="yuv420p")
        if self._masks:
            picture = self._masker(picture).apply(picture)
        picture.pts = at - self.first_ms
        picture.time_base = Fraction(1, 1000)
        self._out.mux(self._stream.encode(picture))
        self.last_ms = at
        self.frames += 1

    def _masker(self, frame: av.video.frame.VideoFrame) -> PlaneMasker:
        """The masks drawn for this size of frame (once: a camera keeps its size)."""
        size = (frame.width, frame.height)
        found = self._maskers.get(size)
        if found is None:
            found = self._maskers[size] = PlaneMasker(self._masks or [], *size)
        return found

    def _open(self, frame: av.video.frame.VideoFrame) -> None:
        self._out_path.parent.mkdir(parents=True, exist_ok=True)
        out = av.open(str(self._part), "w", format="mp4", options={"movflags": "+faststart"})
        stream = out.add_stream("libx264", rate=25)
        stream.width = min(MAX_SIDE, frame.width) // 2 * 2
        stream.height = min(MAX_SIDE, frame.height) // 2 * 2
        stream.pix_fmt = "yuv420p"
        stream.time_base = Fraction(1, 1000)
        stream.codec_context.time_base = Fraction(1, 1000)
        stream.options = {"preset": PRESET, "tune": "zerolatency", "crf": "26"}
        self._out, self._stream = out, stream

    def finish(self) -> CutClip:
        """Flush and close; the clip written."""
        assert self._out is not None  # noqa: S101 - a frame was added
        assert self._stream is not None  # noqa: S101 - a frame was added
        self._out.mux(self._stream.encode(None))
        self._out.close()
        return _done(self._part, self._out_path, self.first_ms, self.last_ms, self.frames)


def _transcode(  # noqa: PLR0917 - cut's own arguments, passed on
    folder: Path,
    start_ms: int,
    end_ms: int,
    out_path: Path,
    masks: list[list[list[float]]] | None,
    give_up_at: float = 0.0,
) -> CutClip:
    """Decode the window's frames, black out the masks and encode them as H.264. With ``give_up_at`` (a
    ``time.monotonic()``), each segment is encoded as soon as the ring closes it, until the one that
    holds the window's end (or that moment): the clip is ready a segment after its post-roll."""
    encoder = _Encoder(out_path, masks)
    done: set[int] = set()
    reached = -1
    while True:
        for segment in ring.covering(folder, start_ms, end_ms):
            if segment.start_ms in done:
                continue
            done.add(segment.start_ms)
            reached = max(reached, segment.end_ms)
            for at, frame in _frames_of(segment, start_ms, end_ms):
                if at > encoder.last_ms:
                    if encoder.first_ms < 0:
                        encoder.first_ms = at
                    encoder.add(at, frame)
        if reached >= end_ms or time.monotonic() >= give_up_at:
            break
        time.sleep(POLL_SECONDS)
    if not encoder.frames:
        raise NoFootage(f"no recorded frame between {start_ms} and {end_ms}")
    return encoder.finish()


def duration(path: Path) -> float:
    """A video file's duration in seconds, as its container says (PyAV)."""
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        if stream.duration is not None and stream.time_base is not None:
            return float(stream.duration * stream.time_base)
        return float((container.duration or 0) / av.time_base)


def main() -> None:
    """A clip cut in a process of its own (``python -m tocsin.workers.video.clip``): the job as one JSON
    object on standard input (folder, start_ms, end_ms, out, masks, wait seconds), the clip's facts as
    one JSON object on standard output, or ``{"error": ...}``."""
    job = jobs.job()
    try:
        done = cut(
            Path(job["folder"]),
            int(job["start_ms"]),
            int(job["end_ms"]),
            Path(job["out"]),
            job.get("masks") or None,
            time.monotonic() + float(job.get("wait", 0)),
        )
    except NoFootage as exc:
        sys.stdout.write(json.dumps({"error": "no_footage", "detail": str(exc)}) + "\n")
        return
    sys.stdout.write(
        json.dumps(
            {
                "first_ms": done.first_ms,
                "last_ms": done.last_ms,
                "frames": done.frames,
                "size": done.size,
                "sha256": done.sha256,
            }
        )
        + "\n"
    )


if __name__ == "__main__":
    main()
