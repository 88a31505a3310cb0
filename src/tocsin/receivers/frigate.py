"""Frigate's MQTT topics in, signals and camera-health alarms out (see :mod:`tocsin.services.frigate`).

One task holds the broker connection: it subscribes to ``<prefix>/events`` and
``<prefix>/+/status/+``, reads each message with the sans-I/O :mod:`tocsin.protocols.frigate` and
writes what it means in one store transaction, off the event loop. The client's incoming queue is
bounded (:data:`MAX_QUEUED`): a burst beyond it is dropped by the client rather than eating memory. A
broker that goes away is logged once, then retried with growing waits (stamina, capped at
:data:`MAX_WAIT` seconds) until it is back; the listener never crashes on a bad message.
"""

from __future__ import annotations

import asyncio
from urllib.parse import urlsplit

import aiomqtt
import stamina
import structlog

from tocsin.domain.errors import InvalidInput
from tocsin.domain.scope import Scope
from tocsin.protocols import frigate as wire
from tocsin.services import frigate
from tocsin.services.unit_of_work import Store

log = structlog.get_logger("tocsin.frigate")
MAX_QUEUED = 1000
MAX_WAIT = 30.0


def broker_of(url: str) -> tuple[str, int]:
    """Host and port of an ``mqtt://host[:port]`` address (1883 by default)."""
    parts = urlsplit(url)
    if parts.scheme != "mqtt" or not parts.hostname:
        raise InvalidInput(f"The Frigate broker address must read mqtt://host[:port], not {url!r}.")
    return parts.hostname, parts.port or 1883


class FrigateListener:
    """Subscribes to one Frigate's topics and stores what they mean."""

    def __init__(self, store: Store, url: str, prefix: str = "frigate", base_url: str = "") -> None:
        self._store = store
        self._host, self._port = broker_of(url)
        self._prefix = prefix
        self._base_url = base_url
        self._lost = False
        self.handled = 0

    async def run(self) -> None:
        """Listen until cancelled, reconnecting after every loss of the broker."""
        async for attempt in stamina.retry_context(
            on=aiomqtt.MqttError, attempts=None, timeout=None, wait_initial=0.5, wait_max=MAX_WAIT
        ):
            with attempt:
                await self._listen()

    async def _listen(self) -> None:
        try:
            async with aiomqtt.Client(
                self._host, self._port, max_queued_incoming_messages=MAX_QUEUED, timeout=10
            ) as client:
                await client.subscribe(f"{self._prefix}/events")
                await client.subscribe(f"{self._prefix}/+/status/+")
                if self._lost:
                    log.info("frigate.broker_back", host=self._host, port=self._port)
                self._lost = False
                async for message in client.messages:
                    data = bytes(message.payload)  # incoming payloads are bytes or bytearray
                    await asyncio.to_thread(self.handle, str(message.topic), data)
        except aiomqtt.MqttError as exc:
            self._broker_lost(exc)
            raise

    def _broker_lost(self, exc: Exception) -> None:
        if not self._lost:  # once per outage
            log.warning("frigate.broker_lost", host=self._host, port=self._port, error=str(exc))
        self._lost = True

    def handle(self, topic: str, payload: bytes) -> None:
        """Store what one message means; a message that means nothing, or fails, is logged and skipped."""
        try:
            if topic == f"{self._prefix}/events":
                detection = wire.read_event(payload)
                if detection is not None:
                    raw = payload.decode("utf-8", "replace")
                    self._store.write(
                        lambda uow: frigate.store_detection(uow, detection, raw, self._base_url),
                        Scope.system(),
                    )
            else:
                status = wire.read_status(self._prefix, topic, payload)
                if status is not None:
                    self._store.write(lambda uow: frigate.camera_status(uow, status), Scope.system())
            self.handled += 1
        except Exception:
            log.exception("frigate.message_failed", topic=topic[:200])
