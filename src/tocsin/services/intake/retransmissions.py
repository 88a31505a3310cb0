"""Retransmissions: a panel that did not get our answer sends the same message again; it is stored once.

A message is remembered the moment its first copy is handed to the committer, before that commit is
awaited, so a copy arriving meanwhile (by UDP, or on a new TCP connection after the panel gave up on the
first) is recognised. Such a copy gets its answer only once the first is durable; if the first copy's
commit fails, the copy is stored itself. Across processes and nodes the store's unique
``retransmission_key`` does the same (see :meth:`tocsin.domain.signals.Signal.stored_once_key`).
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime, timedelta

from tocsin.domain.signals import RETRANSMISSION_SECONDS

RETRANSMISSION_WINDOW = timedelta(seconds=RETRANSMISSION_SECONDS)
RETRANSMISSION_MEMORY = 200_000  # messages remembered, at most

Key = tuple[str | None, ...]


@dataclass(slots=True)
class Message:
    """A message seen first at ``at``; ``durable`` is set once its first copy is stored (None: it is)."""

    at: datetime
    durable: asyncio.Event | None
    failed: bool = False

    async def stored(self) -> bool:
        """Wait for the first copy's commit; whether it was stored (False: store this copy instead)."""
        if self.durable is not None:
            await self.durable.wait()
        return not self.failed


class Retransmissions:
    """Recent messages by retransmission key, at most ``limit`` (the oldest are forgotten first)."""

    def __init__(self, limit: int = RETRANSMISSION_MEMORY) -> None:
        self._seen: OrderedDict[Key, Message] = OrderedDict()
        self._limit = limit

    def __len__(self) -> int:
        return len(self._seen)

    def claim(self, key: Key, now: datetime) -> tuple[Message, bool]:
        """This message's record, and whether this copy is the first within the window (then pending
        until :meth:`settle`); otherwise the record is the earlier copy's."""
        found = self._seen.get(key)
        if found is not None and not found.failed and now - found.at < RETRANSMISSION_WINDOW:
            return found, False
        first = Message(now, asyncio.Event())
        self._put(key, first)
        return first, True

    def settle(self, key: Key, message: Message, *, stored: bool) -> None:
        """The first copy's commit ended: copies waiting on it get their answer, or store themselves.
        (``message`` is held by its caller: forgotten from memory meanwhile, its waiters still wake.)"""
        event, message.durable = message.durable, None
        if not stored:
            message.failed = True
            if self._seen.get(key) is message:
                del self._seen[key]
        if event is not None:
            event.set()

    def remember(self, key: Key, at: datetime) -> None:
        """A message already stored (recalled from the store at start)."""
        self._put(key, Message(at, None))

    def _put(self, key: Key, message: Message) -> None:
        self._seen[key] = message
        self._seen.move_to_end(key)
        while len(self._seen) > self._limit:
            self._seen.popitem(last=False)
