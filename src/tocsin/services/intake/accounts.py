"""The receiver's account memory: every account in memory, by (receiver, line, number)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from dataclasses import dataclass
from uuid import UUID

from cachetools import TTLCache

from tocsin.domain.scope import Scope
from tocsin.domain.sites import Account, Site
from tocsin.services.ports import Clock
from tocsin.services.unit_of_work import Store, UnitOfWork

log = logging.getLogger(__name__)

REFRESH_EVERY = 30.0  # seconds between two loads of every account
MISS_TTL = 5.0  # seconds an unknown account stays unknown before asking the store again
MISS_MEMORY = 10_000  # unknown numbers remembered at most: a sender cycling numbers cannot grow memory

Identity = tuple[str, str, str]


@dataclass(frozen=True, slots=True)
class KnownAccount:
    """What the hot path needs of an account."""

    id: UUID
    tenant_id: UUID
    site_id: UUID
    key_ref: str | None
    profile: str | None
    supervision_seconds: int | None = None
    time_zone: str = "UTC"
    client_id: UUID | None = None
    allow_cleartext: bool = False

    @property
    def cleartext_refused(self) -> bool:
        """Whether an unencrypted frame is refused: the account has a key and no migration exception."""
        return self.key_ref is not None and not self.allow_cleartext


def identity(receiver: str | None, line: str | None, number: str) -> Identity:
    """The node-wide identity of a transmitter as a frame names it (no prefix means 0)."""
    return ((receiver or "0").upper(), (line or "0").upper(), number.upper())


class AccountDirectory:
    """Every account in memory, by (receiver, line, number), unique on the node across tenants.

    All accounts are read at once when the receiver starts and again every :data:`REFRESH_EVERY` seconds
    in the background, so a frame from a known panel never waits on the store, however many panels poll
    (100,000 accounts polling every 3 minutes would otherwise be 550 reads a second). An account added
    since the last load is read on first sight; a number that is no account is asked about again after
    :data:`MISS_TTL` seconds, and at most :data:`MISS_MEMORY` such numbers are remembered (the oldest are
    forgotten first), so a sender cycling through account numbers costs reads, never memory. Changes to
    an account (its key, its profile) apply from the next load."""

    def __init__(self, store: Store, clock: Clock, *, miss_memory: int = MISS_MEMORY) -> None:
        self._store = store
        self._clock = clock
        self._known: dict[Identity, KnownAccount] = {}
        self._misses: TTLCache[Identity, bool] = TTLCache(miss_memory, MISS_TTL, timer=clock.monotonic)
        self._misses_lock = threading.Lock()  # lookups run on the loop and in threads; TTLCache is not safe

    @property
    def remembered_misses(self) -> int:
        """How many unknown numbers are remembered now."""
        with self._misses_lock:
            return len(self._misses)

    def _missed(self, key: Identity) -> bool:
        with self._misses_lock:
            return key in self._misses

    def load(self) -> int:
        """Read every account, with its site's time zone, in one read transaction; return how many."""

        def read(uow: UnitOfWork) -> dict[Identity, KnownAccount]:
            sites = {site.id: site for site in uow.sites.find()}
            return {
                identity(a.receiver, a.line, a.number): _known(a, sites.get(a.site_id))
                for a in uow.accounts.find()
            }

        self._known = self._store.read(read, Scope.system())
        return len(self._known)

    async def run(self, stop: asyncio.Event) -> None:
        """Reload every :data:`REFRESH_EVERY` seconds until ``stop`` (in a thread, off the event loop)."""
        while not stop.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), REFRESH_EVERY)
            if stop.is_set():
                return
            try:
                await asyncio.to_thread(self.load)
            except Exception:  # the store away: keep serving from what was loaded
                log.warning("could not reload the accounts; the last ones loaded stay in use", exc_info=True)

    def is_cached(self, receiver: str | None, line: str | None, number: str) -> bool:
        """Whether a lookup would be answered from memory, without reading the store."""
        key = identity(receiver, line, number)
        return key in self._known or self._missed(key)

    def lookup(self, receiver: str | None, line: str | None, number: str) -> KnownAccount | None:
        """The account a frame names, from memory, else from the store (then remembered either way)."""
        key = identity(receiver, line, number)
        known = self._known.get(key)
        if known is not None or self._missed(key):
            return known

        def read(uow: UnitOfWork) -> KnownAccount | None:
            match = next(
                (a for a in uow.accounts.find(number=key[2]) if (a.receiver, a.line) == key[:2]), None
            )
            return None if match is None else _known(match, uow.sites.get(match.site_id))

        found = self._store.read(read, Scope.system())
        if found is None:
            with self._misses_lock:
                self._misses[key] = True
        else:
            self._known[key] = found
        return found


def _known(account: Account, site: Site | None) -> KnownAccount:
    return KnownAccount(
        account.id,
        account.tenant_id,
        account.site_id,
        account.key_ref,
        account.profile,
        account.supervision_seconds,
        "UTC" if site is None else site.time_zone,
        None if site is None else site.client_id,
        account.allow_cleartext,
    )
