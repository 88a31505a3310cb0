"""Frigate's MQTT topics in, signals and camera-health alarms out (see :mod:`tocsin.services.frigate`).

One task holds the broker connection: it subscribes to ``<prefix>/events``, ``<prefix>/reviews``,
``<prefix>/available`` and ``<prefix>/+/status/+``, reads each message with the sans-I/O
:mod:`tocsin.protocols.frigate` and writes what it means in one store transaction, off the event loop.
The client's incoming queue is bounded (:data:`MAX_QUEUED`): a burst beyond it is dropped by the client
rather than eating memory. So is the memory of the Frigate ids stored lately (:data:`SEEN_IDS` for
:data:`SEEN_SECONDS`): an alert review whose objects are in it is skipped without reading the store. A
broker that goes away is logged once, then retried with growing waits (stamina, capped at
:data:`MAX_WAIT` seconds) until it is back; the listener never crashes on a bad message.

Given Frigate's web address and a folder (``var/video/clips``), each detection's snapshot is fetched
once, soon after the detection, in a thread (:func:`fetch_snapshot`: a short timeout, at most
:data:`~tocsin.protocols.frigate.MAX_SNAPSHOT` bytes, a JPEG or refused, a couple of retries when
Frigate is not ready or not there), kept as a file beside the alarm's clips and attached to the alarm
the detection went into once the signal processor has raised it. A fetch that fails or is refused is a
``snapshot.failed`` entry on the alarm and a log line; nothing else changes. At most
:data:`MAX_PICTURES` snapshots are in hand at once: beyond, a detection's snapshot is skipped (logged).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit
from uuid import UUID

import aiomqtt
import stamina
import structlog
from cachetools import TTLCache

from tocsin.domain.errors import InvalidInput
from tocsin.domain.scope import Scope
from tocsin.domain.signals import Signal
from tocsin.protocols import frigate as wire
from tocsin.services import frigate
from tocsin.services.unit_of_work import Store

log = structlog.get_logger("tocsin.frigate")
MAX_QUEUED = 1000
MAX_WAIT = 30.0
MAX_PICTURES = 50  # snapshots fetched or waiting for their alarm at once
FETCH_TIMEOUT = 5.0  # seconds for one request to Frigate
FETCH_ATTEMPTS = 3
ALARM_WAIT = 60.0  # seconds a kept snapshot waits for the signal processor to raise its alarm
SEEN_IDS = 10_000  # Frigate event and review ids remembered as stored
SEEN_SECONDS = 3600.0


class SnapshotRefused(Exception):
    """Frigate answered, but not a JPEG this node keeps (the message says why)."""


def _transient(exc: Exception) -> bool:
    """Worth asking again: Frigate not there, too slow, in trouble, or its snapshot not ready (404)."""
    if isinstance(exc, urllib.error.HTTPError):
        return exc.code >= 500 or exc.code in (404, 429)
    return isinstance(exc, (urllib.error.URLError, OSError))


def fetch_snapshot(url: str, timeout: float = FETCH_TIMEOUT, limit: int = wire.MAX_SNAPSHOT) -> bytes:
    """Frigate's JPEG at ``url`` (blocking: call it in a thread). Raises :class:`SnapshotRefused` for an
    answer that is not a JPEG or is too large, an ``OSError`` when Frigate could not be reached after
    :data:`FETCH_ATTEMPTS` tries."""
    if urlsplit(url).scheme not in ("http", "https"):
        raise SnapshotRefused(f"the snapshot address is not http(s): {url[:200]!r}")
    body, content_type = b"", ""
    for attempt in stamina.retry_context(
        on=_transient, attempts=FETCH_ATTEMPTS, wait_initial=0.3, wait_max=2.0, timeout=None
    ):
        with attempt, urllib.request.urlopen(url, timeout=timeout) as answer:  # noqa: S310 - http(s) only
            body = answer.read(limit + 1)
            content_type = answer.headers.get("Content-Type", "")
    problem = wire.snapshot_problem(content_type, body, limit)
    if problem:
        raise SnapshotRefused(problem)
    return body


@dataclass(frozen=True, slots=True)
class SnapshotJob:
    """One detection's snapshot to keep: its signal, site and camera, and Frigate's address of it."""

    signal_id: UUID
    site_id: UUID
    camera_id: UUID
    url: str
    at: datetime


def snapshot_job(signal: Signal | None) -> SnapshotJob | None:
    """The snapshot to keep of a stored detection; None without a snapshot address (no Frigate URL)."""
    if signal is None or signal.site_id is None:
        return None
    data = json.loads(signal.data or "{}")
    if not data.get("snapshot") or not data.get("camera_id"):
        return None
    return SnapshotJob(
        signal.id, signal.site_id, UUID(data["camera_id"]), data["snapshot"], signal.received_at
    )


def broker_of(url: str) -> tuple[str, int]:
    """Host and port of an ``mqtt://host[:port]`` address (1883 by default)."""
    parts = urlsplit(url)
    if parts.scheme != "mqtt" or not parts.hostname:
        raise InvalidInput(f"The Frigate broker address must read mqtt://host[:port], not {url!r}.")
    return parts.hostname, parts.port or 1883


class FrigateListener:
    """Subscribes to one Frigate's topics and stores what they mean."""

    def __init__(
        self,
        store: Store,
        url: str,
        prefix: str = "frigate",
        base_url: str = "",
        snapshots: Path | None = None,
    ) -> None:
        self._store = store
        self._host, self._port = broker_of(url)
        self._prefix = prefix
        self._base_url = base_url
        self._snapshots = snapshots  # the clips folder the snapshots are kept in; None: none kept
        self._pictures: set[asyncio.Task[None]] = set()
        self._lost = False
        self._seen: TTLCache[str, bool] = TTLCache(maxsize=SEEN_IDS, ttl=SEEN_SECONDS)
        self._available = ""  # Frigate's last availability acted on ("" until the first)
        self.handled = 0
        self.alarm_wait = ALARM_WAIT

    async def run(self) -> None:
        """Listen until cancelled, reconnecting after every loss of the broker."""
        try:
            async for attempt in stamina.retry_context(
                on=aiomqtt.MqttError, attempts=None, timeout=None, wait_initial=0.5, wait_max=MAX_WAIT
            ):
                with attempt:
                    await self._listen()
        finally:
            for task in list(self._pictures):
                task.cancel()

    async def _listen(self) -> None:
        try:
            async with aiomqtt.Client(
                self._host, self._port, max_queued_incoming_messages=MAX_QUEUED, timeout=10
            ) as client:
                await client.subscribe(f"{self._prefix}/events")
                await client.subscribe(f"{self._prefix}/reviews")
                await client.subscribe(f"{self._prefix}/available")
                await client.subscribe(f"{self._prefix}/+/status/+")
                if self._lost:
                    log.info("frigate.broker_back", host=self._host, port=self._port)
                self._lost = False
                async for message in client.messages:
                    data = bytes(message.payload)  # incoming payloads are bytes or bytearray
                    signal = await asyncio.to_thread(self.handle, str(message.topic), data)
                    self._keep_snapshot(snapshot_job(signal))
        except aiomqtt.MqttError as exc:
            self._broker_lost(exc)
            raise

    def _broker_lost(self, exc: Exception) -> None:
        if not self._lost:  # once per outage
            log.warning("frigate.broker_lost", host=self._host, port=self._port, error=str(exc))
        self._lost = True

    def handle(self, topic: str, payload: bytes) -> Signal | None:
        """Store what one message means; a message that means nothing, or fails, is logged and skipped.
        The signal a detection was stored as, if any."""
        signal = None
        try:
            if topic == f"{self._prefix}/events":
                detection = wire.read_event(payload)
                if detection is not None:
                    raw = payload.decode("utf-8", "replace")
                    signal = self._store.write(
                        lambda uow: frigate.store_detection(uow, detection, raw, self._base_url),
                        Scope.system(),
                    )
                    if signal is not None:
                        self._seen[detection.event_id] = True
            elif topic == f"{self._prefix}/reviews":
                signal = self._review(payload)
            elif topic == f"{self._prefix}/available":
                self._availability(payload)
            else:
                status = wire.read_status(self._prefix, topic, payload)
                if status is not None:
                    self._store.write(lambda uow: frigate.camera_status(uow, status), Scope.system())
            self.handled += 1
        except Exception:
            log.exception("frigate.message_failed", topic=topic[:200])
        return signal

    def _review(self, payload: bytes) -> Signal | None:
        review = wire.read_review(payload)
        if review is None:
            return None
        ids = (review.review_id, *review.detections)
        if any(i in self._seen for i in ids):  # stored lately: no need to read the store
            log.debug("frigate.review_known", review=review.review_id, kind=review.kind)
            return None
        raw = payload.decode("utf-8", "replace")
        signal = self._store.write(
            lambda uow: frigate.store_review(uow, review, raw, self._base_url),
            Scope.system(),
        )
        if signal is not None:
            self._seen.update(dict.fromkeys(ids, True))
        return signal

    def _availability(self, payload: bytes) -> None:
        state = wire.read_available(payload)
        if state is None or state == self._available:  # a repeat (a retained message, again) is no news
            return
        online = state == "online"
        touched = self._store.write(
            lambda uow: frigate.frigate_available(uow, self._prefix, online), Scope.system()
        )
        log.info("frigate.available" if online else "frigate.offline", prefix=self._prefix, tenants=touched)
        self._available = state

    # ------------------------------------------------------------ snapshots

    def _keep_snapshot(self, job: SnapshotJob | None) -> None:
        if job is None or self._snapshots is None:
            return
        if len(self._pictures) >= MAX_PICTURES:
            log.warning("frigate.snapshot_skipped", signal=str(job.signal_id), reason="too many in hand")
            return
        task = asyncio.create_task(self.keep(job))
        self._pictures.add(task)
        task.add_done_callback(self._pictures.discard)

    async def keep(self, job: SnapshotJob) -> None:
        """Fetch a detection's snapshot, wait for its alarm, keep the file and attach it (or record why
        not). Never raises but for cancellation."""
        try:
            body, problem = b"", ""
            try:
                body = await asyncio.to_thread(fetch_snapshot, job.url)
            except SnapshotRefused as exc:
                problem = str(exc)
            except OSError as exc:
                problem = f"Frigate did not answer ({str(exc)[:200]})"
            alarm_id = await self._alarm_of(job)
            if alarm_id is None:
                log.warning("frigate.snapshot_no_alarm", signal=str(job.signal_id), problem=problem)
                return
            if problem:
                log.warning(
                    "frigate.snapshot_failed", alarm=str(alarm_id), url=job.url[:300], problem=problem
                )
                await asyncio.to_thread(
                    self._store.write,
                    lambda uow: frigate.snapshot_failed(uow, alarm_id, job.camera_id, problem),
                    Scope.system(),
                )
                return
            await asyncio.to_thread(self._attach, job, alarm_id, body)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("frigate.snapshot_error", signal=str(job.signal_id))

    async def _alarm_of(self, job: SnapshotJob) -> UUID | None:
        """The alarm the detection went into, once the signal processor has raised it (polled)."""
        loop = asyncio.get_running_loop()
        until = loop.time() + self.alarm_wait
        while True:
            found = await asyncio.to_thread(
                self._store.read,
                lambda uow: frigate.alarm_of(uow, job.signal_id, job.site_id),
                Scope.system(),
            )
            if found is not None or loop.time() >= until:
                return found
            await asyncio.sleep(0.5)

    def _attach(self, job: SnapshotJob, alarm_id: UUID, body: bytes) -> None:
        assert self._snapshots is not None  # noqa: S101 - only called with a folder
        name = f"{alarm_id}/{job.camera_id}-{job.signal_id}.jpg"  # one file per detection
        path = self._snapshots / name
        path.parent.mkdir(parents=True, exist_ok=True)
        part = path.with_suffix(".part")
        part.write_bytes(body)
        part.replace(path)
        sha256 = hashlib.sha256(body).hexdigest()
        kept = self._store.write(
            lambda uow: frigate.attach_snapshot(
                uow, alarm_id, job.camera_id, file=name, taken=job.at, size=len(body), sha256=sha256
            ),
            Scope.system(),
        )
        if kept is None:  # attached already (or the alarm went): the stored one stays
            path.unlink(missing_ok=True)
            log.info("frigate.snapshot_not_attached", alarm=str(alarm_id), camera=str(job.camera_id))
            return
        log.info("frigate.snapshot_kept", alarm=str(alarm_id), clip=str(kept.id), size=len(body))
