"""The intake: a DC-09 frame in, a stored signal and the answer the panel must get out.

Order on the hot path: decode → check → durable group commit → answer. Logbook entries, rules and
console pushes happen after the commit (see :mod:`tocsin.services.signal_processing`), never before the ACK.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from datetime import datetime, timedelta

from tocsin.domain.scope import Scope
from tocsin.domain.signals import ACK, DUH, Signal
from tocsin.protocols import dc09
from tocsin.services.committer import GroupCommitter
from tocsin.services.intake.accounts import AccountDirectory, KnownAccount
from tocsin.services.intake.classify import named_account, parse_events
from tocsin.services.intake.panel_time import answer_time, panel_time
from tocsin.services.intake.retransmissions import (
    RETRANSMISSION_MEMORY,
    RETRANSMISSION_WINDOW,
    Retransmissions,
)
from tocsin.services.intake.substitution import SubstitutionReports
from tocsin.services.ports import Clock, KeyStore
from tocsin.services.supervision import Heard, LinkSupervisor
from tocsin.services.unit_of_work import Store

log = logging.getLogger(__name__)

BEFORE, AFTER = timedelta(seconds=40), timedelta(seconds=20)  # DC-09's accepted timestamp window


class SignalIntake:
    """Turns frames into stored signals and answers."""

    def __init__(
        self,
        committer: GroupCommitter,
        accounts: AccountDirectory,
        keys: KeyStore,
        clock: Clock,
        node: str,
        *,
        supervisor: LinkSupervisor | None = None,
        window: tuple[timedelta, timedelta] = (BEFORE, AFTER),
    ) -> None:
        self._committer = committer
        self._before, self._after = window
        self._accounts = accounts
        self._keys = keys
        self._clock = clock
        self._node = node
        self._retries = Retransmissions()
        self._supervisor = supervisor
        self._substitutions = SubstitutionReports(committer.store, clock)

    def remember_stored(self, store: Store) -> int:
        """Recall the messages stored within the retransmission window, by this receiver before a restart
        or by another: a panel that did not get our ACK before a crash sends again, and must not be
        stored twice. Returns how many were recalled."""
        since = self._clock.now() - RETRANSMISSION_WINDOW
        recent = store.read(
            lambda uow: uow.signals.find(Scope.system(), since=since, limit=RETRANSMISSION_MEMORY),
            Scope.system(),
        )
        for signal in reversed(recent):  # oldest first, so the newest are the last forgotten
            self._retries.remember(signal.retransmission_key(), signal.received_at)
        return len(recent)

    def _decode(self, raw: bytes) -> dc09.Frame:
        """Decode with the default rules; a panel whose account names a quirk profile gets a second try."""
        try:
            return dc09.decode(raw, self._key_for)
        except (dc09.UnknownKey, dc09.DecryptError):
            raise
        except dc09.FrameError:
            named = named_account(raw)
            account = None if named is None else self._accounts.lookup(*named)
            if account is None or account.profile not in dc09.DECODING_PROFILES:
                raise
            return dc09.decode(raw, self._key_for, profile=account.profile)

    def _key_for(self, number: str, receiver: str | None, line: str | None) -> bytes | None:
        account = self._accounts.lookup(receiver, line, number)
        if account is None or account.key_ref is None:
            return None
        return self._keys.get(account.key_ref)

    async def receive(self, raw: bytes, listener: str) -> bytes | None:
        """The answer for one frame, after what must be stored is durable."""
        now = self._clock.now()
        named = named_account(raw)
        if named is not None and not self._accounts.is_cached(*named):
            # a store read must not block the event loop: warm the cache in a thread first
            await asyncio.to_thread(self._accounts.lookup, *named)
        try:
            frame = self._decode(raw)
        except (dc09.UnknownKey, dc09.DecryptError) as exc:
            await self._store_unreadable(raw, listener, now, str(exc))
            return dc09.duh(None, raw)
        except dc09.FrameError as exc:
            log.info("NAK on %s: %s", listener, exc)
            return dc09.nak(now)
        account = self._accounts.lookup(frame.receiver, frame.line, frame.account)
        if account is not None and not frame.encrypted and account.cleartext_refused:
            return await self._refuse_cleartext(frame, account, listener)
        stamp = panel_time(frame.timestamp, account, now)
        if stamp is not None and not now - self._before <= stamp <= now + self._after:
            return dc09.nak(answer_time(now, account))  # the panel resynchronises its clock on ours
        key = None if account is None or account.key_ref is None else self._keys.get(account.key_ref)
        self._heard(frame, account, listener, now)
        answer_key, moment = key if frame.encrypted else None, answer_time(now, account)
        if frame.id_token == "NULL":
            return dc09.ack(frame, moment, answer_key)
        await self._store_once(self._signal(frame, stamp, account, listener, now))
        return _answer(frame, moment, answer_key)

    async def _refuse_cleartext(self, frame: dc09.Frame, account: KnownAccount, listener: str) -> bytes:
        """DUH for an unencrypted frame naming a keyed account: not stored, not a sign of life."""
        label = f"R{frame.receiver or '0'} L{frame.line or '0'} #{frame.account.upper()}"
        await self._substitutions.report(account, label, listener, frame.id_token)
        return dc09.duh(frame)

    def _heard(self, frame: dc09.Frame, account: KnownAccount | None, listener: str, now: datetime) -> None:
        """Refresh the frame's path for link supervision (NULL polls included)."""
        if account is None or not account.supervision_seconds or self._supervisor is None:
            return
        path = f"{self._node}|{listener}|R{frame.receiver or '0'}|L{frame.line or '0'}|#{frame.account}"
        self._supervisor.heard(
            Heard(
                path,
                account.id,
                account.tenant_id,
                account.site_id,
                frame.account.upper(),
                account.supervision_seconds,
                now,
            )
        )

    async def _store_once(self, signal: Signal) -> None:
        """Commit the signal unless a copy of its message is stored; return once that copy is durable."""
        key = signal.retransmission_key()
        while True:
            message, first = self._retries.claim(key, signal.received_at)
            if first:
                break
            if await message.stored():
                return
        try:
            await self._committer.submit(signal)
        except BaseException:
            self._retries.settle(key, message, stored=False)
            raise
        self._retries.settle(key, message, stored=True)

    def _signal(
        self,
        frame: dc09.Frame,
        occurred_at: datetime | None,
        account: KnownAccount | None,
        listener: str,
        now: datetime,
    ) -> Signal:
        events, problem = parse_events(frame)
        payload = f"{frame.id_token}|{frame.account}|{frame.data}|{'|'.join(frame.extended)}"
        return Signal(
            id=self._clock.new_id(),
            received_at=now,
            node=self._node,
            listener=listener,
            raw=frame.raw.decode("latin-1"),
            answer=ACK,
            tenant_id=None if account is None else account.tenant_id,
            account_id=None if account is None else account.id,
            site_id=None if account is None else account.site_id,
            occurred_at=occurred_at,
            receiver=frame.receiver,
            line=frame.line,
            account_number=frame.account.upper(),
            sequence=frame.sequence,
            id_token=frame.id_token,
            payload_hash=hashlib.sha256(payload.encode()).hexdigest(),
            data=frame.data,
            events=events,
            problem="unknown account" if account is None else problem,
        )

    async def _store_unreadable(self, raw: bytes, listener: str, now: datetime, reason: str) -> None:
        signal = Signal(
            id=self._clock.new_id(),
            received_at=now,
            node=self._node,
            listener=listener,
            raw=raw.decode("latin-1"),
            answer=DUH,
            problem=f"undecryptable: {reason}",
        )
        await self._committer.submit(signal)


def _answer(frame: dc09.Frame, now: datetime, key: bytes | None) -> bytes:
    """ACK, or RSP for a frame carrying ``[K…]`` key-change data (the key itself is not applied here)."""
    if any(block.startswith("K") for block in frame.extended):
        return dc09.rsp(frame, now, key)
    return dc09.ack(frame, now, key)
