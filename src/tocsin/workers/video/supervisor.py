"""The video supervisor: one recorder process per camera, clips cut around alarms, health as alarms.

It runs beside the console in ``tocsin serve`` (when cameras exist) or alone as ``tocsin video worker``.
Every few seconds it reads the node's cameras and keeps one recorder process (:mod:`.recorder`) per
camera with a stream, restarting a dead one after a growing wait (1 s, doubled, at most 30 s) and
restarting one whose stream address, credentials or masks changed. A recorder only moves video and
reports on its standard output; the supervisor turns those reports into alarms: a stream lost for
``video_down_after`` seconds (a recorder dying counts) raises ``camera_down``; ``frozen`` and ``tamper``
raise their classes. A camera back (frames flowing for the restore delay, the image moving again, like
its reference again) restores its zone of the alarm, as a panel's restore does. Each clip is cut in a
process of its own (:mod:`.clip`), never on the event loop,
started as soon as its alarm is known: it encodes the pre-roll at once and each post-roll segment as the
ring closes it, so the clip is ready about a segment after the post-roll ends. Nothing one camera does
stops the others.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from uuid import UUID

import structlog

from tocsin.domain.cameras import Camera
from tocsin.domain.scope import Scope
from tocsin.services import video_clips, video_retention
from tocsin.services.camera_secrets import password_of
from tocsin.services.ports import Clock, KeyStore
from tocsin.services.unit_of_work import Store
from tocsin.workers.video import jobs

log = structlog.get_logger("tocsin.video")
MAX_BACKOFF = 30.0
STEADY_AFTER = 60.0  # a recorder alive this long starts its next wait from 1 s again
MAX_GIVEN_UP = 10_000
MAX_CUTS = 8  # clip processes at once; more alarms wait their turn
HEALTH = ("down", "frozen", "tamper")


@dataclass(frozen=True, slots=True)
class VideoSettings:
    """The supervisor's timings."""

    folder: Path
    down_after: float = 30.0
    frozen_after: float = 10.0
    tamper_after: float = 5.0
    ring_seconds: float = 300.0
    segment_seconds: float = 1.0
    min_free_mb: int = 1024
    refresh_every: float = 5.0
    clip_every: float = 0.25
    purge_every: float = 3600.0

    @property
    def restore_after(self) -> float:
        """How long frames must flow before a camera's health alarms are restored: as long as the stream
        had to be lost to raise one, and past the frozen and tamper delays, so a condition still there
        when the supervisor starts is raised before anything from its last run is restored."""
        return max(self.down_after, self.frozen_after + 2, self.tamper_after + 2)

    @property
    def rings(self) -> Path:
        """Where the cameras' ring buffers are."""
        return self.folder / "ring"

    @property
    def clips(self) -> Path:
        """Where the clips are."""
        return self.folder / "clips"


@dataclass(slots=True)
class Recording:
    """One camera's recorder and what the supervisor knows of it."""

    camera: Camera
    signature: str
    task: asyncio.Task[None] | None = None
    process: asyncio.subprocess.Process | None = None
    restarts: int = 0
    down_since: float | None = None
    down_reason: str = "not connected yet"
    up_since: float | None = None
    raised: set[str] = field(default_factory=set)
    # conditions to restore once the camera has been up for the restore delay: those raised and cleared
    # since, and at first all of them (an alarm left open by the supervisor's last run ends too)
    to_restore: set[str] = field(default_factory=lambda: set(HEALTH))


def _signature(camera: Camera) -> str:
    return json.dumps(
        [camera.rtsp_url, camera.mjpeg_url, camera.username, camera.credential_ref, camera.privacy_masks]
    )


class VideoSupervisor:
    """Keeps the node's cameras recorded, their clips cut and their health in the queue."""

    def __init__(self, store: Store, keys: KeyStore, clock: Clock, settings: VideoSettings) -> None:
        self._store = store
        self._clock = clock
        self._keys = keys
        self.settings = settings
        self.recordings: dict[UUID, Recording] = {}
        self._in_flight: set[tuple[UUID, UUID]] = set()
        self._given_up: set[tuple[UUID, UUID]] = set()
        self._storage_raised = False
        self._cuts: set[asyncio.Task[None]] = set()
        self.clips_attached = 0

    async def run(self, stop: asyncio.Event) -> None:
        """Supervise until ``stop`` is set; every recorder is ended on the way out."""
        self.settings.rings.mkdir(parents=True, exist_ok=True)
        self.settings.clips.mkdir(parents=True, exist_ok=True)
        loops = [
            self._refresh_loop(stop),
            self._clip_loop(stop),
            self._health_loop(stop),
            self._purge_loop(stop),
        ]
        tasks = [asyncio.create_task(loop) for loop in loops]
        try:
            await stop.wait()
        finally:
            for task in tasks:
                task.cancel()
            for recording in list(self.recordings.values()):
                await self._end(recording)
            for task in tasks:
                with contextlib.suppress(asyncio.CancelledError):
                    await task
            for cut in list(self._cuts):
                cut.cancel()
            for cut in list(self._cuts):
                with contextlib.suppress(asyncio.CancelledError):
                    await cut

    # ------------------------------------------------------------ recorders

    async def _refresh_loop(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                cameras = await asyncio.to_thread(
                    self._store.read, video_clips.recorded_cameras, Scope.system()
                )
                await self._reconcile(cameras)
            except Exception:
                log.exception("video.refresh_failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), self.settings.refresh_every)

    async def _reconcile(self, cameras: list[Camera]) -> None:
        wanted = {camera.id: camera for camera in cameras}
        for camera_id, recording in list(self.recordings.items()):
            camera = wanted.get(camera_id)
            if camera is None or _signature(camera) != recording.signature:
                await self._end(recording)
                del self.recordings[camera_id]
        for camera in cameras:
            if camera.id not in self.recordings:
                recording = Recording(camera, _signature(camera), down_since=time.monotonic())
                recording.task = asyncio.create_task(self._keep(recording))
                self.recordings[camera.id] = recording

    async def _end(self, recording: Recording) -> None:
        if recording.task is not None:
            recording.task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await recording.task
        await self._kill(recording)

    @staticmethod
    async def _kill(recording: Recording) -> None:
        await jobs.stop(recording.process)

    async def _keep(self, recording: Recording) -> None:
        """Run the camera's recorder for ever, restarting it after a growing wait when it dies."""
        wait = 1.0
        try:
            while True:
                started = time.monotonic()
                code = await self._record(recording)
                recording.restarts += 1
                self._lost(recording, f"the recorder stopped (exit {code})")
                log.warning("video.recorder_died", camera=str(recording.camera.id), code=code)
                wait = 1.0 if time.monotonic() - started > STEADY_AFTER else min(MAX_BACKOFF, wait * 2)
                await asyncio.sleep(wait if recording.restarts > 1 else 0.5)
        finally:
            await self._kill(recording)

    async def _record(self, recording: Recording) -> int:
        camera = recording.camera
        folder = self.settings.rings / str(camera.id)
        folder.mkdir(parents=True, exist_ok=True)
        password = await asyncio.to_thread(password_of, self._keys, camera)
        job = {
            "camera_id": str(camera.id),
            "url": camera.rtsp_url or camera.mjpeg_url,
            "folder": str(folder),
            "username": camera.username,
            "password": password or "",
            "masks": [[list(p) for p in polygon] for polygon in camera.privacy_masks],
            "segment_seconds": self.settings.segment_seconds,
            "ring_seconds": self.settings.ring_seconds,
            "frozen_after": self.settings.frozen_after,
            "tamper_after": self.settings.tamper_after,
        }
        with (folder / "recorder.log").open("wb") as errors:  # the last run's errors, for the curious
            process = await jobs.start("tocsin.workers.video.recorder", job, errors=errors)
        recording.process = process
        assert process.stdout is not None  # noqa: S101 - piped by jobs.start
        while line := await process.stdout.readline():
            with contextlib.suppress(ValueError, TypeError, KeyError):
                await self._report(recording, json.loads(line))
        return await process.wait()

    async def _report(self, recording: Recording, report: dict[str, Any]) -> None:
        event = report["event"]
        if event == "up":
            recording.down_since = None
            if recording.up_since is None:
                recording.up_since = time.monotonic()
            if "down" in recording.raised:
                recording.raised.discard("down")
                recording.to_restore.add("down")
        elif event == "down":
            self._lost(recording, str(report.get("reason", "")))
        elif event in ("frozen", "tamper"):
            if report.get("on"):
                recording.to_restore.discard(event)
                if event not in recording.raised:
                    recording.raised.add(event)
                    await self._raise(recording, event, str(report.get("reason", "")))
            elif event in recording.raised:  # gone for its delay (the recorder's rule): restored
                recording.raised.discard(event)
                recording.to_restore.add(event)

    def _lost(self, recording: Recording, reason: str) -> None:
        if recording.down_since is None:
            recording.down_since = time.monotonic()
        recording.up_since = None
        recording.down_reason = reason

    async def _raise(self, recording: Recording, condition: str, reason: str) -> None:
        camera_id = recording.camera.id
        log.warning("video.camera_health", camera=str(camera_id), condition=condition, reason=reason)
        try:
            await asyncio.to_thread(
                self._store.write,
                lambda uow: video_clips.camera_health(uow, camera_id, condition, reason),
                Scope.system(),
            )
        except Exception:
            log.exception("video.health_alarm_failed", camera=str(camera_id))

    async def _restore(self, recording: Recording, condition: str) -> None:
        camera_id = recording.camera.id
        try:
            restored = await asyncio.to_thread(
                self._store.write,
                lambda uow: video_clips.camera_restored(uow, camera_id, condition),
                Scope.system(),
            )
        except Exception:
            log.exception("video.health_restore_failed", camera=str(camera_id))
            return
        recording.to_restore.discard(condition)
        if restored:
            log.info("video.camera_restored", camera=str(camera_id), condition=condition)

    async def _health_loop(self, stop: asyncio.Event) -> None:
        checked_disk = 0.0
        while not stop.is_set():
            now = time.monotonic()
            for recording in list(self.recordings.values()):
                since = recording.down_since
                late = since is not None and now - since >= self.settings.down_after
                if late and "down" not in recording.raised:
                    recording.raised.add("down")
                    recording.to_restore.discard("down")
                    await self._raise(recording, "down", recording.down_reason)
                up = recording.up_since
                if up is not None and now - up >= self.settings.restore_after:
                    for condition in sorted(recording.to_restore - recording.raised):
                        await self._restore(recording, condition)
            if now - checked_disk >= 30:
                checked_disk = now
                await self._check_disk()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), 0.5)

    async def _check_disk(self) -> None:
        free_mb = shutil.disk_usage(self.settings.folder).free // (1024 * 1024)
        if free_mb >= self.settings.min_free_mb:
            self._storage_raised = False
            return
        if self._storage_raised or not self.recordings:
            return
        self._storage_raised = True
        tenants = sorted({r.camera.tenant_id for r in self.recordings.values()})
        await asyncio.to_thread(
            self._store.write,
            lambda uow: video_clips.storage_low(uow, tenants, int(free_mb), str(self.settings.folder)),
            Scope.system(),
        )

    # ------------------------------------------------------------ retention

    async def _purge_loop(self, stop: asyncio.Event) -> None:
        """Delete the clips past their camera's retention, at start and then every ``purge_every``."""
        while not stop.is_set():
            try:
                purged = await asyncio.to_thread(
                    self._store.write,
                    lambda uow: video_retention.purge(uow, self.delete_clip),
                    Scope.system(),
                )
                if purged.clips:
                    log.info("video.purged", clips=len(purged.clips), bytes=purged.bytes)
            except Exception:
                log.exception("video.purge_failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), self.settings.purge_every)

    def delete_clip(self, name: str) -> None:
        """Delete a clip's file (a name the store holds, under the clips folder only)."""
        path = (self.settings.clips / name).resolve()
        if self.settings.clips.resolve() in path.parents:
            path.unlink(missing_ok=True)
            with contextlib.suppress(OSError):
                path.parent.rmdir()  # the alarm's folder, once empty

    # ------------------------------------------------------------ clips

    async def _clip_loop(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                await self._cut_ready()
            except Exception:
                log.exception("video.clips_failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), self.settings.clip_every)

    async def _cut_ready(self) -> None:
        """Start a cut for each clip still to make, as soon as its alarm is known: the cut encodes the
        pre-roll at once and each post-roll segment as it closes (at most :data:`MAX_CUTS` at a time)."""
        horizon = self.settings.ring_seconds
        jobs = await asyncio.to_thread(
            self._store.read, lambda uow: video_clips.pending(uow, horizon), Scope.system()
        )
        for job in jobs:
            key = (job.alarm_id, job.camera_id)
            if key in self._in_flight or key in self._given_up or len(self._in_flight) >= MAX_CUTS:
                continue
            self._in_flight.add(key)
            self._cuts.add(asyncio.create_task(self._cut_one(job)))
            self._cuts = {task for task in self._cuts if not task.done()}

    async def _cut_one(self, job: video_clips.ClipJob) -> None:
        key = (job.alarm_id, job.camera_id)
        name = f"{job.alarm_id}/{job.camera_id}.mp4"
        start_ms, end_ms = video_clips.window_ms(job)
        now_ms = round(self._clock.now().timestamp() * 1000)
        wait = max(0.0, (end_ms - now_ms) / 1000) + 3 * self.settings.segment_seconds + 10
        order = {
            "folder": str(self.settings.rings / str(job.camera_id)),
            "start_ms": start_ms,
            "end_ms": end_ms,
            "out": str(self.settings.clips / name),
            "masks": job.masks,
            "wait": wait,
        }
        try:
            process = await jobs.start("tocsin.workers.video.clip", order)
            try:
                out, _ = await process.communicate()
            finally:
                await jobs.stop(process)  # cancelled: the node stops
            done = json.loads(out or b"{}")
            if "sha256" not in done:
                self._give_up(key)
                log.warning("video.no_clip", alarm=str(job.alarm_id), camera=str(job.camera_id), why=done)
                return
            stored = await asyncio.to_thread(
                self._store.write,
                lambda uow: video_clips.attach(
                    uow,
                    job,
                    file=name,
                    first=video_clips.at_ms(done["first_ms"]),
                    last=video_clips.at_ms(done["last_ms"]),
                    frames=done["frames"],
                    size=done["size"],
                    sha256=done["sha256"],
                ),
                Scope.system(),
            )
            if stored is not None:
                self.clips_attached += 1
                log.info("video.clip_attached", alarm=str(job.alarm_id), camera=str(job.camera_id))
        except Exception:
            self._give_up(key)
            log.exception("video.clip_failed", alarm=str(job.alarm_id), camera=str(job.camera_id))
        finally:
            self._in_flight.discard(key)

    def _give_up(self, key: tuple[UUID, UUID]) -> None:
        if len(self._given_up) >= MAX_GIVEN_UP:
            self._given_up.clear()
        self._given_up.add(key)


def settings_of(config: Any) -> VideoSettings:
    """The supervisor's settings from the node's (``TOCSIN_VIDEO_*``; footage under ``var/video``)."""
    return VideoSettings(
        folder=Path(config.var_dir) / "video",
        down_after=config.video_down_after,
        frozen_after=config.video_frozen_after,
        tamper_after=config.video_tamper_after,
        ring_seconds=config.video_ring_seconds,
        segment_seconds=config.video_segment_seconds,
        min_free_mb=config.storage_min_free_mb,
    )
