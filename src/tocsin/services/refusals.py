"""Refusals counted per source and minute, so a flood of them cannot fill the logbook's single writer.

The first refusal of a kind (refused login, refused request) from a source in a minute is written at
once with its details (who, why, what), so a lone failed login shows in the logbook as it happens. The
ones after it in that minute are only counted; once the minute is over, one entry says how many there
were, why, and under which names. A minute of a thousand refused logins from one address costs two
entries, not a thousand.

Both memory and writes stay bounded whatever an attacker varies: at most ``MAX_KEYS`` counters per
minute (further sources pool into one ``other sources`` counter per chain and kind), at most
``IMMEDIATE_PER_MINUTE`` entries written at once per minute, and a handful of names per counter.
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

from tocsin.domain.events import Event, LoginFailed, RefusalsCounted, SecurityRefusal
from tocsin.domain.scope import Scope
from tocsin.services.ports import Clock
from tocsin.services.unit_of_work import Store, UnitOfWork

log = logging.getLogger(__name__)

MAX_KEYS = 1000  # counters per minute; more sources pool into OTHER_SOURCES
IMMEDIATE_PER_MINUTE = 100  # first refusals written at once per minute, all sources together
MAX_NAMES = 5  # distinct user names kept per counter
MAX_REASONS = 10  # distinct reasons kept per counter
OTHER_SOURCES = "other sources"
ACTOR = "auth"

Refusal = LoginFailed | SecurityRefusal


@dataclass(frozen=True, slots=True)
class _Key:
    tenant_id: UUID | None
    source: str
    what: str  # "logins" or "requests"


@dataclass(slots=True)
class _Tally:
    count: int = 0
    written: int = 0  # how many of them have their own entry
    reasons: Counter[str] = field(default_factory=Counter)
    names: list[str] = field(default_factory=list)

    def add(self, refusal: Refusal) -> None:
        self.count += 1
        if refusal.reason in self.reasons or len(self.reasons) < MAX_REASONS:
            self.reasons[refusal.reason] += 1
        name = refusal.username[:64]
        if name not in self.names and len(self.names) < MAX_NAMES:
            self.names.append(name)


def _what(refusal: Refusal) -> str:
    login = isinstance(refusal, LoginFailed) or refusal.target == "POST /login"
    return "logins" if login else "requests"


def _minute(at: datetime) -> datetime:
    return at.replace(second=0, microsecond=0)


class RefusalLog:
    """Counts refusals and says which entries to write now; thread-safe (requests run in threads)."""

    def __init__(self, store: Store, clock: Clock) -> None:
        self._store = store
        self._clock = clock
        self._lock = threading.Lock()
        self._minute: datetime | None = None
        self._tallies: dict[_Key, _Tally] = {}
        self._immediate = 0

    def count(self, refusal: Refusal) -> list[Event]:
        """Count a refusal; return the events to record now, in the caller's transaction: its own
        entry when it is the first of its minute, and the summaries of minutes that are over."""
        now = _minute(self._clock.now())
        with self._lock:
            due = self._roll(now)
            key = _Key(refusal.tenant_id, refusal.source[:64], _what(refusal))
            if key not in self._tallies and len(self._tallies) >= MAX_KEYS:
                key = _Key(refusal.tenant_id, OTHER_SOURCES, key.what)
            tally = self._tallies.setdefault(key, _Tally())
            tally.add(refusal)
            first = tally.written == 0 and self._immediate < IMMEDIATE_PER_MINUTE
            if first:
                tally.written = 1
                self._immediate += 1
        return [*due, refusal] if first else due

    def flush(self, *, everything: bool = False) -> int:
        """Write the summaries of minutes that are over (all of them with ``everything``, at shutdown);
        return how many entries were written."""
        now = _minute(self._clock.now())
        with self._lock:
            due = self._roll(now, everything=everything)
        if due:
            try:
                self._store.write(lambda uow: record(uow, due), Scope.system())
            except Exception:  # the store away: the counts are lost, not the service
                log.warning("could not record %d refusal summaries", len(due), exc_info=True)
        return len(due)

    def _roll(self, now: datetime, *, everything: bool = False) -> list[Event]:
        """Under the lock: close the current minute if it is over; return its summaries."""
        if self._minute is None:
            self._minute = now
        if self._minute == now and not everything:
            return []
        minute, tallies = self._minute, self._tallies
        self._minute, self._tallies, self._immediate = now, {}, 0
        return [_summary(minute, key, tally) for key, tally in tallies.items() if tally.count > tally.written]


def _summary(minute: datetime, key: _Key, tally: _Tally) -> Event:
    reasons = ", ".join(f"{reason}: {n}" for reason, n in tally.reasons.most_common())
    return RefusalsCounted(
        tenant_id=key.tenant_id,
        what=key.what,
        source=key.source,
        count=tally.count,
        minute=minute,
        reasons=reasons,
        usernames=tuple(tally.names),
    )


def record(uow: UnitOfWork, events: list[Event]) -> None:
    """Record refusal events (and their summaries) in a transaction."""
    if events:
        uow.record_many([(event, ACTOR, None) for event in events])
