"""Video benchmark: what one camera's recorder costs, how fast a clip is cut, and the post-roll-to-clip time.

1. Recording (stream copy): C recorder processes (``python -m tocsin.workers.video.recorder``, as the
   supervisor starts them) pull C cameras for T seconds: 720p H.264 at 25 fps, 2 Mbit/s, a keyframe every
   2 s (MPEG-TS over HTTP, the H.264 test pattern served locally) and, apart, 320x240 MJPEG at 10 fps
   (the demo's test pattern). The CPU each process used (user + system, /proc) over the window gives the
   share of a core one camera takes, and so the cameras one core records. The health check (one frame
   decoded about once a second, or at the next keyframe) is part of it, as in production.
2. Cut: from the 720p ring, a 30 s clip copied (no decoding), and the same window decoded and encoded
   again (what a privacy mask costs); from the MJPEG ring, a 30 s clip encoded as H.264.
3. Post-roll to clip: the supervisor runs over a real SQLite store with one MJPEG camera; A alarms, one
   after the other, each with the site's window of 10 s before and 20 s after; measured from the end of
   the post-roll (first signal + 20 s) to the clip's row committed (its ``created_at``). Target < 2 s.
4. Purge: K cameras kept 15 days, D days of clips (P alarms a day, each with a clip of every camera and a
   small file), on SQLite; the purge run until nothing is due (500 clips a transaction): its time, the
   clips and files deleted.

Figures are printed, never asserted.

    python benchmarks/video.py [--cameras C] [--seconds T] [--alarms A]
                               [--purge-cameras K] [--purge-days D] [--alarms-per-day P] [--only-purge]
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import av

from tocsin.adapters.clock import SystemClock
from tocsin.adapters.hashing import Argon2Hasher
from tocsin.adapters.keystore import FileKeyStore
from tocsin.adapters.store import migrate
from tocsin.adapters.store.database import SqlStore
from tocsin.domain import alarms as a
from tocsin.domain import camera_commands as cc
from tocsin.domain import commands as c
from tocsin.domain import video_health as vh
from tocsin.domain.clips import Clip
from tocsin.domain.scope import Scope
from tocsin.services import video_clips, video_retention
from tocsin.services.alarm_rules import raise_technical
from tocsin.services.handlers.registry import Deps
from tocsin.services.messagebus import MessageBus
from tocsin.simulators.h264 import H264Server, encode_pattern
from tocsin.simulators.mjpeg import MjpegServer, Pattern
from tocsin.workers.video import clip, ring
from tocsin.workers.video.recorder import thumbnail
from tocsin.workers.video.supervisor import VideoSettings, VideoSupervisor

TICKS = os.sysconf("SC_CLK_TCK")
CLASSES = ("intrusion", "fire", "panic", "medical", "tamper", "technical", "intrusion_confirmed", "gas")


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds a process has used (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def record(
    urls: list[str], folder: Path, seconds: float, container: str = ""
) -> tuple[list[float], list[Path]]:
    """Run one recorder process per address for ``seconds``; each one's CPU share of a core."""
    processes, folders = [], []
    for index, url in enumerate(urls):
        ring_folder = folder / f"cam{index}"
        job = {"camera_id": f"cam{index}", "url": url, "folder": str(ring_folder), "container": container}
        process = subprocess.Popen(
            [sys.executable, "-m", "tocsin.workers.video.recorder"],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            text=True,
        )
        assert process.stdin is not None  # noqa: S101 - piped above
        process.stdin.write(json.dumps(job) + "\n")
        process.stdin.close()
        processes.append(process)
        folders.append(ring_folder)
    time.sleep(3)  # started, connected, first segments
    before = [cpu_seconds(p.pid) for p in processes]
    started = time.monotonic()
    time.sleep(seconds)
    elapsed = time.monotonic() - started
    shares = [(cpu_seconds(p.pid) - b) / elapsed for p, b in zip(processes, before, strict=True)]
    for process in processes:
        process.kill()
        process.wait()
    return shares, folders


def report_recording(name: str, shares: list[float]) -> None:
    mean = statistics.mean(shares)
    print(
        f"  {name}: {len(shares)} cameras, each {100 * mean:.1f} % of a core"
        f" (min {100 * min(shares):.1f}, max {100 * max(shares):.1f})"
        f" -> about {1 / mean:.0f} cameras per core"
    )


def time_cut(folder: Path, seconds: float, out: Path, masks: Any = None) -> tuple[float, clip.CutClip]:
    segments = ring.segments(folder)
    start = segments[0].start_ms + 500
    begun = time.perf_counter()
    done = clip.cut(folder, start, start + round(seconds * 1000), out, masks)
    return time.perf_counter() - begun, done


def post_roll_to_clip(folder: Path, alarms: int, pre: int, post: int) -> list[float]:
    """The supervisor over SQLite with one MJPEG camera; seconds from each post-roll's end to its clip."""
    url = migrate_database(folder)
    store = SqlStore(url, SystemClock())
    bus = MessageBus(store, Deps(hasher=Argon2Hasher()))
    scope = Scope.system()
    tenant = bus.handle(c.CreateTenant(ref="bench", name="Bench"), scope=scope, actor="bench")
    client = bus.handle(c.CreateClient(tenant_id=tenant.id, ref="C", name="C"), scope=scope, actor="bench")
    site = bus.handle(
        c.CreateSite(tenant_id=tenant.id, client_id=client.id, ref="S", name="S"), scope=scope, actor="bench"
    )
    server = MjpegServer().start()
    camera = bus.handle(
        cc.AddCamera(site.id, {"name": "cam", "mjpeg_url": server.url("cam")}), scope=scope, actor="bench"
    )
    store.write(lambda uow: video_clips.set_window(uow, site.id, pre, post, "bench"), scope)
    settings = VideoSettings(folder=folder / "var", ring_seconds=120, min_free_mb=0, refresh_every=1.0)
    supervisor = VideoSupervisor(store, FileKeyStore(folder / "keys"), SystemClock(), settings)
    loop = asyncio.new_event_loop()
    stop = asyncio.Event()
    thread = threading.Thread(target=loop.run_until_complete, args=(supervisor.run(stop),), daemon=True)
    thread.start()
    delays: list[float] = []
    try:
        rings = settings.rings / str(camera.id)
        while len(ring.segments(rings)) < pre + 2:
            time.sleep(0.5)
        for index in range(alarms):
            happening = a.Happening(
                store.clock.now(), CLASSES[index % len(CLASSES)], "", "1", "Bench", "Bench"
            )
            store.write(lambda uow, h=happening: raise_technical(uow, tenant.id, site.id, h), scope)
            while True:
                clips = store.read(lambda uow: uow.clips.find(site_id=site.id), scope)
                if len(clips) > index:
                    break
                time.sleep(0.05)
            newest = max(clips, key=lambda x: x.created_at)
            alarm = store.read(lambda uow, i=newest.alarm_id: uow.alarms.get(i), scope)
            assert alarm is not None  # noqa: S101 - the alarm just raised
            delays.append((newest.created_at - alarm.opened_at).total_seconds() - post)
            print(
                f"    alarm {index + 1}: clip {newest.seconds:.1f} s,"
                f" attached {delays[-1]:.2f} s after the post-roll"
            )
    finally:
        loop.call_soon_threadsafe(stop.set)
        thread.join(timeout=30)
        loop.close()
        server.stop()
        store.close()
    return delays


def purge_days(folder: Path, cameras: int, days: int, per_day: int) -> None:
    """Fill a store with ``days`` of clips of ``cameras`` cameras, then time the purge."""
    url = migrate_database(folder)
    clock = SystemClock()
    store = SqlStore(url, clock)
    bus = MessageBus(store, Deps(hasher=Argon2Hasher()))
    scope = Scope.system()
    tenant = bus.handle(c.CreateTenant(ref="bench", name="Bench"), scope=scope, actor="bench")
    client = bus.handle(c.CreateClient(tenant_id=tenant.id, ref="C", name="C"), scope=scope, actor="bench")
    site = bus.handle(
        c.CreateSite(tenant_id=tenant.id, client_id=client.id, ref="S", name="S"), scope=scope, actor="bench"
    )
    camera_ids = [
        bus.handle(
            cc.AddCamera(site.id, {"name": f"cam{i}", "retention_days": 15}), scope=scope, actor="bench"
        ).id
        for i in range(cameras)
    ]
    clips_folder = folder / "clips"
    now = clock.now()
    begun = time.perf_counter()
    for day in range(days):
        alarms, clips = [], []
        for index in range(per_day):
            at = now - timedelta(days=day, hours=index * 24 / per_day)
            alarm = a.Alarm(
                clock.new_id(), tenant.id, "intrusion", 3, at, at, site_id=site.id, client_id=client.id
            )
            alarms.append(alarm)
            (clips_folder / str(alarm.id)).mkdir(parents=True)
            for camera_id in camera_ids:
                name = f"{alarm.id}/{camera_id}.mp4"
                (clips_folder / name).write_bytes(b"x" * 64)
                clips.append(
                    Clip(
                        clock.new_id(),
                        tenant.id,
                        site.id,
                        alarm.id,
                        camera_id,
                        "cam",
                        at,
                        at,
                        name,
                        1,
                        64,
                        "0" * 64,
                        at,
                    )
                )
        store.write(lambda uow, al=alarms, cl=clips: (uow.alarms.add(al), uow.clips.add_many(cl)), scope)
    total = days * per_day * cameras
    print(
        f"  {total:,} clips of {cameras} cameras over {days} days"
        f" stored in {time.perf_counter() - begun:.1f} s"
    )

    def delete(name: str) -> None:
        (clips_folder / name).unlink(missing_ok=True)

    begun = time.perf_counter()
    deleted = 0
    while True:
        done = store.write(lambda uow: video_retention.purge(uow, delete), scope)
        deleted += len(done.clips)
        if not done.clips:
            break
    took = time.perf_counter() - begun
    left = sum(1 for _ in clips_folder.glob("*/*.mp4"))
    print(
        f"  purge: {deleted:,} clips past 15 days deleted in {took:.1f} s"
        f" ({1000 * took / max(1, deleted):.2f} ms a clip, record, entry and file); {left:,} files kept"
    )
    store.close()


def migrate_database(folder: Path) -> str:
    url = f"sqlite:///{folder / 'bench.db'}"
    migrate.upgrade(url)
    return url


def health_check_cost(h264: bytes, checks: int = 60) -> tuple[list[float], list[float]]:
    """CPU per health check, as a recorder makes one about once a second: one frame decoded (an H.264
    keyframe, decoded by the stream's own decoder as the recorder does; a JPEG frame of MJPEG), made a grey
    thumbnail and looked at (frozen, covered, defocused, moved). Milliseconds per check, each measured."""
    costs_h264: list[float] = []
    watch = vh.HealthWatch(10.0, 10.0)
    while len(costs_h264) < checks:
        with av.open(io.BytesIO(h264), format="mpegts") as container:
            stream = container.streams.video[0]
            for packet in container.demux(stream):
                if not packet.is_keyframe or packet.size == 0:
                    continue
                begun = time.process_time()
                for frame in stream.codec_context.decode(packet):
                    watch.observe(time.monotonic(), thumbnail(frame))
                    break
                costs_h264.append((time.process_time() - begun) * 1000)
    pattern = Pattern()
    frames = [pattern.frame(i / 10) for i in range(checks)]
    costs_mjpeg: list[float] = []
    decoder = av.CodecContext.create("mjpeg", "r")
    for data in frames:
        begun = time.process_time()
        for frame in decoder.decode(av.Packet(data)):
            watch.observe(time.monotonic(), thumbnail(frame))
        costs_mjpeg.append((time.process_time() - begun) * 1000)
    return costs_h264[:checks], costs_mjpeg


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--cameras", type=int, default=4, help="Cameras recorded at once (each a process).")
    parser.add_argument("--seconds", type=float, default=40.0, help="Recording window measured, seconds.")
    parser.add_argument("--alarms", type=int, default=5, help="Alarms whose clip is timed.")
    parser.add_argument("--purge-cameras", type=int, default=100, help="Cameras whose clips are purged.")
    parser.add_argument("--purge-days", type=int, default=30, help="Days of clips stored before the purge.")
    parser.add_argument(
        "--alarms-per-day", type=int, default=4, help="Alarms a day, each clipped by every camera."
    )
    parser.add_argument("--only-purge", action="store_true", help="Run the purge measure alone.")
    args = parser.parse_args()
    if args.only_purge:
        with tempfile.TemporaryDirectory(prefix="tocsin-video-bench-") as scratch:
            print("4. Purge:")
            purge_days(Path(scratch), args.purge_cameras, args.purge_days, args.alarms_per_day)
        return
    print(f"Video benchmark on {os.cpu_count()} cores (load average {os.getloadavg()[0]:.1f})")
    with tempfile.TemporaryDirectory(prefix="tocsin-video-bench-") as scratch:
        root = Path(scratch)
        print("1. Recording by stream copy, CPU per camera process:")
        begun = time.perf_counter()
        data = encode_pattern(1280, 720, 8.0)
        print(
            f"  (720p H.264 test pattern encoded in {time.perf_counter() - begun:.1f} s:"
            f" {len(data) * 8 / 8.0 / 1e6:.1f} Mbit/s)"
        )
        h264 = H264Server(data, 8.0).start()
        shares, h264_rings = record(
            [h264.url(f"c{i}") for i in range(args.cameras)], root / "h264", args.seconds, "mpegts"
        )
        h264.stop()
        report_recording("720p H.264 25 fps (MPEG-TS over HTTP)", shares)
        mjpeg = MjpegServer().start()
        shares, mjpeg_rings = record(
            [mjpeg.url(f"c{i}") for i in range(args.cameras)], root / "mjpeg", args.seconds
        )
        mjpeg.stop()
        report_recording("320x240 MJPEG 10 fps (HTTP)", shares)
        print("2. Cutting a 30 s clip from the ring:")
        took, done = time_cut(h264_rings[0], 30, root / "copy.mp4")
        print(
            f"  720p H.264, copied: {took:.2f} s ({done.frames} frames, {done.size / 1e6:.1f} MB,"
            f" {clip.duration(done.path):.1f} s long)"
        )
        mask = [[[0.0, 0.0], [0.2, 0.0], [0.2, 0.2]]]
        took, done = time_cut(h264_rings[0], 30, root / "masked.mp4", mask)
        print(f"  720p H.264 with a privacy mask, encoded again: {took:.2f} s ({done.frames} frames)")
        took, done = time_cut(mjpeg_rings[0], 30, root / "mjpeg.mp4")
        print(
            f"  320x240 MJPEG, encoded as H.264: {took:.2f} s"
            f" ({done.frames} frames, {done.size / 1e6:.2f} MB)"
        )
        print(
            f"3. Post-roll end to clip attached (MJPEG camera, 10 s before, 20 s after,"
            f" {args.alarms} alarms):"
        )
        delays = post_roll_to_clip(root / "supervised", args.alarms, 10, 20)
        print(f"  median {statistics.median(delays):.2f} s, max {max(delays):.2f} s (target under 2 s)")
        print(
            "5. Health check, CPU per check (one frame decoded, thumbnail, looked at; about once a second):"
        )
        h264_costs, mjpeg_costs = health_check_cost(data)
        for name, costs in (("720p H.264 keyframe", h264_costs), ("320x240 MJPEG frame", mjpeg_costs)):
            print(
                f"  {name}: median {statistics.median(costs):.2f} ms, max {max(costs):.2f} ms"
                f" ({len(costs)} checks)"
            )


if __name__ == "__main__":
    main()
