"""One camera's recorder, a process of its own: the stream into the ring buffer, and its health.

``python -m tocsin.workers.video.recorder`` reads its camera on standard input (one JSON object: id,
stream address, password if any, folder, privacy masks and timings; nothing secret on the command line),
then pulls the stream with PyAV (FFmpeg): MJPEG over HTTP or RTSP (over TCP). Packets are copied into the
ring buffer without decoding (:mod:`.ring`); about once a second one frame is decoded to check the
picture (:mod:`tocsin.domain.video_health`) and saved, masked, as the camera's live snapshot
(``latest.jpg``). What happens is written on standard output, one JSON object a line, for the
supervisor: ``up`` (the first frame came), ``down`` (with the reason), ``frozen`` and ``tamper``
(``on`` true or false).
A stream that fails or goes silent is opened again after a short wait, for ever: recording resumes by
itself. The supervisor restarts the process if it dies.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

import av
import av.container
import av.video.frame

from tocsin.domain import video_health as vh
from tocsin.workers.video import jobs, ring
from tocsin.workers.video.masks import mask_image

REFERENCE = "reference.gray"
LATEST = "latest.jpg"


@dataclass(slots=True)
class Job:
    """What a recorder is told to do."""

    camera_id: str
    url: str
    folder: Path
    username: str = ""
    password: str = ""
    masks: list[list[list[float]]] = field(default_factory=list)
    segment_seconds: float = 1.0
    ring_seconds: float = 300.0
    health_every: float = 1.0
    timeout: float = 5.0
    retry_after: float = 1.0
    frozen_after: float = 10.0
    tamper_after: float = 5.0
    container: str = ""  # FFmpeg's demuxer; empty: RTSP for rtsp://, MJPEG (mpjpeg) for http://

    @classmethod
    def from_json(cls, text: str) -> Job:
        """A job from the supervisor's JSON object."""
        data: dict[str, Any] = json.loads(text)
        data["folder"] = Path(data["folder"])
        return cls(**data)


def emit(event: str, **fields: Any) -> None:
    """Tell the supervisor something, one JSON line."""
    sys.stdout.write(json.dumps({"event": event, **fields}) + "\n")
    sys.stdout.flush()


def address(job: Job) -> str:
    """The stream address with the credentials put in (never logged, never shown)."""
    if not job.username:
        return job.url
    parts = urlsplit(job.url)
    user = quote(job.username, safe="")
    secret = f":{quote(job.password, safe='')}" if job.password else ""
    return urlunsplit(parts._replace(netloc=f"{user}{secret}@{parts.netloc}"))


def open_stream(job: Job) -> av.container.InputContainer:
    """Open the camera's stream (RTSP over TCP; MJPEG over HTTP; or the demuxer the job names)."""
    if job.url.startswith(("rtsp://", "rtsps://")):
        options = {"rtsp_transport": "tcp"}
        return av.open(address(job), options=options, timeout=(job.timeout, job.timeout))
    return av.open(address(job), format=job.container or "mpjpeg", timeout=(job.timeout, job.timeout))


class Stamper:
    """Wall-clock times of a stream's packets.

    MJPEG over HTTP carries no times of its own: a frame is stamped when it arrives. A stream with
    decoding times (RTSP, MPEG-TS) keeps its own pace, anchored to the wall clock at its first packet
    (so frames shown out of order, B-frames, keep their order), and is anchored again when its clock
    strays more than :data:`MAX_DRIFT_MS` from the wall's (a camera's clock reset, a wrap)."""

    MAX_DRIFT_MS = 2000

    def __init__(self, own_times: bool) -> None:
        self._own = own_times
        self._anchor: tuple[int, float] | None = None  # (wall ms, stream seconds) at the anchor

    def stamp(self, packet: av.Packet[Any], arrived_ms: int) -> tuple[int, int]:
        """The packet's wall-clock decoding time and its presentation offset, in milliseconds."""
        if not self._own or packet.dts is None or packet.time_base is None:
            return arrived_ms, 0
        dts = float(packet.dts * packet.time_base)
        offset = (
            0 if packet.pts is None else round(float((packet.pts - packet.dts) * packet.time_base) * 1000)
        )
        if self._anchor is None:
            self._anchor = (arrived_ms, dts)
        wall = self._anchor[0] + round((dts - self._anchor[1]) * 1000)
        if abs(wall - arrived_ms) > self.MAX_DRIFT_MS:
            self._anchor, wall = (arrived_ms, dts), arrived_ms
        return wall, max(0, offset)


def thumbnail(frame: av.video.frame.VideoFrame) -> bytes:
    """The frame as a small grey thumbnail, rows top to bottom."""
    small = frame.reformat(width=vh.THUMB_WIDTH, height=vh.THUMB_HEIGHT, format="gray")
    plane = small.planes[0]
    data = bytes(plane)
    stride = plane.line_size
    return b"".join(data[y * stride : y * stride + vh.THUMB_WIDTH] for y in range(vh.THUMB_HEIGHT))


class Recorder:
    """Pulls one camera into its ring buffer for ever, reporting its health."""

    def __init__(self, job: Job) -> None:
        self.job = job
        job.folder.mkdir(parents=True, exist_ok=True)
        reference = job.folder / REFERENCE
        known = reference.read_bytes() if reference.exists() else None
        if known is not None and len(known) != vh.THUMB_WIDTH * vh.THUMB_HEIGHT:
            known = None
        self.health = vh.HealthWatch(job.frozen_after, job.tamper_after, reference=known)
        self._saved_reference = known is not None
        self._last_check = 0.0
        self._last_prune = 0.0

    def run_forever(self) -> None:
        """Record, reopen after every failure, never return."""
        ring.drop_parts(self.job.folder)
        while True:
            reason = self.run_once()
            emit("down", reason=reason[:300])
            time.sleep(self.job.retry_after)

    def run_once(self) -> str:
        """Record until the stream ends or fails; why it stopped."""
        try:
            container = open_stream(self.job)
        except (av.FFmpegError, OSError) as exc:  # the address shown without its password
            return f"cannot open the stream: {exc}".replace(address(self.job), self.job.url)
        writer: ring.SegmentWriter | None = None
        try:
            stream = container.streams.video[0]
            writer = ring.SegmentWriter(self.job.folder, stream, self.job.segment_seconds)
            stamper = Stamper(own_times=container.format.name != "mpjpeg")
            flowing = False
            for packet in container.demux(stream):
                if packet.size == 0:
                    continue
                if not flowing:  # up once frames flow, not when the address merely answers
                    flowing = True
                    emit("up", codec=stream.codec_context.name)
                now = time.time()  # noqa: TID251 - footage is stamped with the wall clock, as a camera's is
                self._check(stream, packet, now)
                writer.write(packet, *stamper.stamp(packet, round(now * 1000)))
                if now - self._last_prune >= 5:
                    self._last_prune = now
                    ring.prune(self.job.folder, round((now - self.job.ring_seconds) * 1000))
        except (av.FFmpegError, OSError, IndexError) as exc:
            return f"the stream failed: {exc}".replace(address(self.job), self.job.url)
        finally:
            with contextlib.suppress(av.FFmpegError, OSError):
                if writer is not None:
                    writer.close()
            container.close()
        return "the stream ended"

    def _check(self, stream: av.VideoStream, packet: av.Packet[Any], now: float) -> None:
        if now - self._last_check < self.job.health_every or not packet.is_keyframe:
            return
        self._last_check = now
        try:
            frames = stream.codec_context.decode(packet)
        except av.FFmpegError:
            emit("bad_frame")
            return
        for frame in frames[-1:]:
            for change in self.health.observe(now, thumbnail(frame)):
                emit(change.condition, on=change.on, reason=change.reason)
            self._save(frame)

    def _save(self, frame: av.video.frame.VideoFrame) -> None:
        folder = self.job.folder
        if not self._saved_reference and self.health.reference is not None:
            (folder / REFERENCE).write_bytes(self.health.reference)
            self._saved_reference = True
        image = mask_image(frame.to_image(), self.job.masks)  # type: ignore[no-untyped-call]  # PyAV's stub
        part = folder / f"{LATEST}.part"
        image.save(part, "JPEG", quality=80)
        os.replace(part, folder / LATEST)


def main() -> None:
    """Entry point of the recorder process: the job on standard input."""
    job = Job.from_json(jobs.job_text())
    with contextlib.suppress(KeyboardInterrupt):
        Recorder(job).run_forever()


if __name__ == "__main__":
    main()
