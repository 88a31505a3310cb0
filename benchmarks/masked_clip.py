"""What a privacy mask costs a clip: a 30 s window of a 720p H.264 ring decoded, masked and encoded again.

    python benchmarks/masked_clip.py --ring /tmp/ring720 [--runs 3] [--seconds 30]

The first run records the ring (33 s of the 720p test pattern served as MPEG-TS over HTTP, copied by the
recorder) into ``--ring`` and keeps it, so later runs, and runs of another version of the code (set
``PYTHONPATH`` to its ``src``), cut the very same footage. Each cut runs in a process of its own (as the
supervisor runs it); its wall time and CPU time (user + system, its own and its threads') are printed
with the load average, and the masked corner is checked black in every frame of the clip.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import av

from tocsin.simulators.h264 import H264Server, encode_pattern
from tocsin.workers.video import ring
from tocsin.workers.video.recorder import Job, Recorder

MASK = [[[0.0, 0.0], [0.3, 0.0], [0.3, 0.3], [0.0, 0.3]]]


def record(folder: Path, seconds: float) -> None:
    """Record ``seconds`` of the 720p pattern into the ring ``folder``."""
    server = H264Server(encode_pattern(1280, 720, 8.0), 8.0).start()
    stop = threading.Event()

    def later() -> None:
        time.sleep(seconds)
        server.stop()

    threading.Thread(target=later, daemon=True).start()
    Recorder(Job("bench", server.url("bench"), folder, container="mpegts")).run_once()
    stop.set()


def cut_once(folder: Path, seconds: float, out: Path) -> tuple[float, float, dict[str, int]]:
    """Cut the masked clip in a process of its own: wall seconds, CPU seconds, the clip's report."""
    segments = ring.segments(folder)
    start = segments[0].start_ms + 1000
    order = {
        "folder": str(folder),
        "start_ms": start,
        "end_ms": start + round(seconds * 1000),
        "out": str(out),
        "masks": MASK,
        "wait": 0,
    }
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    begun = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "tocsin.workers.video.clip"],
        input=json.dumps(order) + "\n",
        capture_output=True,
        text=True,
        check=True,
    )
    wall = time.perf_counter() - begun
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, json.loads(done.stdout)


def darkest_check(path: Path) -> tuple[int, int]:
    """Frames in the clip, and the brightest luma value found inside the mask over all of them."""
    brightest, frames = 0, 0
    with av.open(str(path)) as container:
        for frame in container.decode(video=0):
            luma = frame.to_ndarray(format="gray")
            height, width = luma.shape
            inner = luma[2 : int(height * 0.3) - 2, 2 : int(width * 0.3) - 2]
            brightest = max(brightest, int(inner.max()))
            frames += 1
    return frames, brightest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--ring", type=Path, required=True, help="The ring folder (recorded if empty).")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=30.0)
    args = parser.parse_args()
    if not ring.segments(args.ring):
        print(f"recording {args.seconds + 3:.0f} s of 720p H.264 into {args.ring} ...", flush=True)
        record(args.ring, args.seconds + 3)
    for run in range(args.runs):
        with tempfile.TemporaryDirectory(prefix="tocsin-masked-") as scratch:
            load = os.getloadavg()[0]
            wall, cpu, report = cut_once(args.ring, args.seconds, Path(scratch) / "clip.mp4")
            frames, brightest = darkest_check(Path(scratch) / "clip.mp4")
            print(
                f"run {run + 1}: {report['frames']} frames, {report['size'] / 1e6:.1f} MB,"
                f" wall {wall:.1f} s, CPU {cpu:.1f} s,"
                f" load average {load:.1f} -> {os.getloadavg()[0]:.1f};"
                f" masked area brightest luma {brightest} over {frames} frames",
                flush=True,
            )


if __name__ == "__main__":
    main()
