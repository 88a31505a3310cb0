"""A clock that tests move by hand: fixed time, time-ordered ids, no sleeping."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from uuid import UUID

from uuid_utils.compat import uuid7

DEFAULT_START = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
_NS_PER_MS = 1_000_000


def _aware_utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError(f"A fake clock needs an aware datetime, not the naive {value!r}: add a tzinfo.")
    return value.astimezone(UTC)


def _epoch_ns(value: datetime) -> int:
    delta = value - datetime(1970, 1, 1, tzinfo=UTC)
    return (delta.days * 86_400 + delta.seconds) * 1_000_000_000 + delta.microseconds * 1_000


class FakeClock:
    """The Clock port on a fake time that moves only when a test says so.

    ``monotonic()`` counts the seconds the clock moved forward since it started; ``set()`` may jump
    the wall clock back (to model a clock correction) without moving the monotonic clock back.

    UUIDv7 ids carry their time to the millisecond only, so two ids made in one fake millisecond
    would not sort in the order they were made. ``new_id()`` therefore stamps each id at least one
    millisecond after the previous one: ids are strictly increasing, and carry the fake time again
    once it moves past the last stamp.
    """

    def __init__(self, start: datetime | None = None) -> None:
        self._start = DEFAULT_START if start is None else _aware_utc(start)
        self._now = self._start
        self._monotonic = 0.0
        self._last_id_ms = -1
        self._lock = threading.Lock()

    @property
    def start(self) -> datetime:
        """The time the clock started at."""
        return self._start

    def now(self) -> datetime:
        """The fake time, aware UTC."""
        return self._now

    def monotonic(self) -> float:
        """Seconds the clock moved forward since it started."""
        return self._monotonic

    def advance(self, seconds: float = 0, **timedelta_kwargs: float) -> datetime:
        """Move forward by ``seconds`` plus any ``timedelta`` fields (``minutes=5``); return now."""
        delta = timedelta(seconds=seconds, **timedelta_kwargs)
        if delta < timedelta(0):
            raise ValueError(
                f"A fake clock only advances forward, not by {delta}: use set() to jump it back."
            )
        with self._lock:
            self._now += delta
            self._monotonic += delta.total_seconds()
            return self._now

    def set(self, dt: datetime) -> datetime:
        """Jump the wall clock to ``dt`` (aware); the monotonic clock follows forward jumps only."""
        target = _aware_utc(dt)
        with self._lock:
            if target > self._now:
                self._monotonic += (target - self._now).total_seconds()
            self._now = target
            return self._now

    def new_id(self) -> UUID:
        """A UUIDv7 stamped with the fake time, strictly greater than every id made before."""
        with self._lock:
            stamp_ms = max(_epoch_ns(self._now) // _NS_PER_MS, self._last_id_ms + 1)
            self._last_id_ms = stamp_ms
        return uuid7(nanoseconds=stamp_ms * _NS_PER_MS)
