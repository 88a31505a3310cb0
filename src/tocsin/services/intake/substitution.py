"""Cleartext frames for keyed accounts: refused, and reported as a possible substitution.

An account with a key accepts only encrypted frames (unless it allows cleartext while a panel is moved to
encryption). Anyone on the network can write an unencrypted frame with a keyed account's number, so such
a frame is answered DUH, is not stored as a signal, does not keep the link's supervision alive, and
writes a ``security.substitution_suspected`` entry in the logbook: at most one per account and minute,
however many frames come, with at most :data:`ACCOUNTS_REMEMBERED` accounts remembered at a time.
"""

from __future__ import annotations

import asyncio
import logging

from cachetools import TTLCache

from tocsin.domain.events import SubstitutionSuspected
from tocsin.domain.scope import Scope
from tocsin.services.intake.accounts import KnownAccount
from tocsin.services.ports import Clock
from tocsin.services.unit_of_work import Store

log = logging.getLogger(__name__)

ACTOR = "receiver"
REPORT_EVERY = 60.0  # seconds: one entry per account in this time at most
ACCOUNTS_REMEMBERED = 10_000  # accounts reported within the last minute, at most
WRITE_TIMEOUT = 5.0  # seconds the refusal waits for its entry before answering anyway


class SubstitutionReports:
    """Writes the possible-substitution entries, rate-limited per account."""

    def __init__(self, store: Store, clock: Clock, *, remembered: int = ACCOUNTS_REMEMBERED) -> None:
        self._store = store
        self._recent: TTLCache[object, bool] = TTLCache(remembered, REPORT_EVERY, timer=clock.monotonic)

    def __len__(self) -> int:
        """How many accounts are remembered as reported within the minute."""
        return len(self._recent)

    def due(self, account: KnownAccount) -> bool:
        """Whether this account's refusal must be written now (and, if so, none other this minute)."""
        if account.id in self._recent:
            return False
        self._recent[account.id] = True
        return True

    async def report(self, account: KnownAccount, label: str, listener: str, id_token: str) -> None:
        """Write the entry if one is due; a store that fails is logged, the frame stays refused."""
        if not self.due(account):
            return
        event = SubstitutionSuspected(
            tenant_id=account.tenant_id,
            account_id=account.id,
            site_id=account.site_id,
            client_id=account.client_id,
            account=label,
            listener=listener,
            id_token=id_token,
        )

        def write() -> None:
            self._store.write(lambda uow: uow.record(event, ACTOR), Scope.system())

        try:
            await asyncio.wait_for(asyncio.to_thread(write), WRITE_TIMEOUT)
        except Exception:
            log.warning("could not write the possible-substitution entry of %s", label, exc_info=True)
