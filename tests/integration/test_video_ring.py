"""The ring buffer and the clip cut over real streams and files: an H.264 camera (MPEG-TS over HTTP,
B-frames) recorded by stream copy and cut without decoding from the keyframe before the window; the same
window with a privacy mask encoded again to the window's length; an MJPEG camera's clip encoded as H.264;
old segments pruned, half-written ones dropped. Durations are read back with PyAV."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import av
import pytest

from tocsin.simulators.h264 import H264Server, encode_pattern
from tocsin.simulators.mjpeg import MjpegServer
from tocsin.workers.video import clip, ring
from tocsin.workers.video.recorder import Job, Recorder

GOP_SECONDS = 2.0  # the H.264 pattern's keyframe interval


def _record(job: Job, seconds: float, stop: threading.Event) -> None:
    """Record with the recorder's own loop in this process, ``seconds`` long (the server then stops)."""

    def later() -> None:
        time.sleep(seconds)
        stop.set()

    threading.Thread(target=later, daemon=True).start()
    Recorder(job).run_once()


@pytest.fixture(scope="module")
def h264_ring(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Eight seconds of a 640x360 H.264 camera in a ring."""
    folder = tmp_path_factory.mktemp("h264")
    server = H264Server(encode_pattern(640, 360, 4.0), 4.0).start()
    stopping = threading.Event()
    watcher = threading.Thread(target=lambda: (stopping.wait(), server.stop()), daemon=True)
    watcher.start()
    _record(Job("cam", server.url("cam"), folder / "ring", container="mpegts"), 8.0, stopping)
    return folder


def test_an_h264_camera_is_copied_into_segments_cut_at_keyframes(h264_ring: Path) -> None:
    """Each closed segment starts on a keyframe and holds H.264 as it came (about 2 s each)."""
    segments = ring.segments(h264_ring / "ring")
    assert len(segments) >= 3
    for segment in segments:
        with av.open(str(segment.path)) as container:
            assert container.streams.video[0].codec_context.name == "h264"
            first = next(iter(container.demux(video=0)))
            assert first.is_keyframe
    assert not list((h264_ring / "ring").glob("*.part"))


def test_an_h264_clip_is_copied_from_the_keyframe_before_its_start(h264_ring: Path) -> None:
    """A 4 s window: at least 4 s and at most a keyframe interval more, every frame decodable."""
    segments = ring.segments(h264_ring / "ring")
    start = segments[0].start_ms + 1000
    done = clip.cut(h264_ring / "ring", start, start + 4000, h264_ring / "copy.mp4")
    seconds = clip.duration(done.path)
    assert 3.9 <= seconds <= 4.0 + GOP_SECONDS + 0.1, seconds
    with av.open(str(done.path)) as container:
        assert container.streams.video[0].codec_context.name == "h264"
        assert sum(1 for _ in container.decode(video=0)) == done.frames


def test_a_masked_clip_is_encoded_again_to_the_windows_length(h264_ring: Path) -> None:
    """The same window with a mask: decoded, masked, encoded; the window's length, the mask black in
    every frame."""
    segments = ring.segments(h264_ring / "ring")
    start = segments[0].start_ms + 1000
    mask = [[[0.0, 0.0], [0.5, 0.0], [0.5, 0.5], [0.0, 0.5]]]
    done = clip.cut(h264_ring / "ring", start, start + 4000, h264_ring / "masked.mp4", mask)
    assert 3.8 <= clip.duration(done.path) <= 4.1
    with av.open(str(done.path)) as container:
        frames = 0
        for frame in container.decode(video=0):  # every frame, not only the first
            luma = frame.to_ndarray(format="gray")  # 640x360: the mask is the top left 320x180
            assert luma[:178, :318].max() < 30, frames  # the brightest pixel of the masked corner
            assert luma[200:, 340:].max() > 100  # the rest of the picture is shown
            frames += 1
        assert frames == done.frames


def test_an_mjpeg_clip_is_encoded_as_h264_and_old_segments_are_pruned(tmp_path: Path) -> None:
    """Five seconds of MJPEG: a 3 s clip of H.264 lasting 3 s; pruning keeps only the recent ones; a
    half-written segment is dropped."""
    server = MjpegServer().start()
    stopping = threading.Event()
    threading.Thread(
        target=lambda: (stopping.wait(), server.cameras.set_mode("m", "down")), daemon=True
    ).start()
    folder = tmp_path / "ring"
    try:
        _record(Job("m", server.url("m"), folder), 5.0, stopping)
    finally:
        server.stop()
    segments = ring.segments(folder)
    start = segments[0].start_ms + 500
    done = clip.cut(folder, start, start + 3000, tmp_path / "m.mp4")
    assert 2.8 <= clip.duration(done.path) <= 3.05
    with av.open(str(done.path)) as container:
        assert container.streams.video[0].codec_context.name == "h264"
    with pytest.raises(clip.NoFootage):
        clip.cut(folder, 0, 1000, tmp_path / "none.mp4")
    (folder / "123.mkv.part").write_bytes(b"half")
    ring.drop_parts(folder)
    assert not list(folder.glob("*.part"))
    kept_after = segments[-2].end_ms
    assert ring.prune(folder, kept_after) == len(segments) - 2
    assert [s.start_ms for s in ring.segments(folder)] == [s.start_ms for s in segments[-2:]]
