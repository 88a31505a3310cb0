"""Alarm intake: a DC-09 frame in, a stored signal and the answer the panel must get out.

Order on the hot path: decode → check → durable group commit → answer. Logbook entries, rules and
console pushes happen after the commit (see :mod:`tocsin.services.signal_processing`), never before the ACK.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import re
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from tocsin.domain.scope import Scope
from tocsin.domain.signals import ACK, DUH, NAK, Signal
from tocsin.domain.sites import Account
from tocsin.protocols import alarm_codes, contact_id, dc09, sia_dcs
from tocsin.services.committer import GroupCommitter
from tocsin.services.ports import Clock, KeyStore
from tocsin.services.supervision import Heard, LinkSupervisor
from tocsin.services.unit_of_work import Store, UnitOfWork

log = logging.getLogger(__name__)

BEFORE, AFTER = timedelta(seconds=40), timedelta(seconds=20)  # DC-09's accepted timestamp window
RETRANSMISSION_WINDOW = timedelta(minutes=10)
_CLEAR_HEADER = re.compile(r"(?:R([0-9A-Fa-f]{1,6}))?(?:L([0-9A-Fa-f]{1,6}))?#([0-9A-Fa-f]{3,16})\[")
REFRESH_EVERY = 30.0  # seconds between two loads of every account
MISS_TTL = 5.0  # seconds an unknown account stays unknown before asking the store again


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


class AccountDirectory:
    """Every account in memory, by (receiver, line, number).

    All accounts are read at once when the receiver starts and again every :data:`REFRESH_EVERY` seconds
    in the background, so a frame from a known panel never waits on the store, however many panels poll
    (100,000 accounts polling every 3 minutes would otherwise be 550 reads a second). An account added
    since the last load is read on first sight; a number that is no account is asked about again after
    :data:`MISS_TTL` seconds. Changes to an account (its key, its profile) apply from the next load."""

    def __init__(self, store: Store, clock: Clock) -> None:
        self._store = store
        self._clock = clock
        self._known: dict[tuple[str, str, str], KnownAccount] = {}
        self._misses: dict[tuple[str, str, str], float] = {}  # until when a number is known not to exist

    @staticmethod
    def _key(receiver: str | None, line: str | None, number: str) -> tuple[str, str, str]:
        return ((receiver or "0").upper(), (line or "0").upper(), number.upper())

    def load(self) -> int:
        """Read every account, with its site's time zone, in one read transaction; return how many."""

        def read(uow: UnitOfWork) -> dict[tuple[str, str, str], KnownAccount]:
            zones = {site.id: site.time_zone for site in uow.sites.find()}
            return {
                self._key(a.receiver, a.line, a.number): _known(a, zones.get(a.site_id, "UTC"))
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
        key = self._key(receiver, line, number)
        return key in self._known or self._clock.monotonic() < self._misses.get(key, 0.0)

    def lookup(self, receiver: str | None, line: str | None, number: str) -> KnownAccount | None:
        key = self._key(receiver, line, number)
        known = self._known.get(key)
        if known is not None:
            return known
        now = self._clock.monotonic()
        if now < self._misses.get(key, 0.0):
            return None

        def read(uow: UnitOfWork) -> KnownAccount | None:
            match = next(
                (a for a in uow.accounts.find(number=key[2]) if (a.receiver, a.line) == key[:2]), None
            )
            site = None if match is None else uow.sites.get(match.site_id)
            return None if match is None else _known(match, "UTC" if site is None else site.time_zone)

        found = self._store.read(read, Scope.system())
        if found is None:
            self._misses[key] = now + MISS_TTL
        else:
            self._known[key] = found
            self._misses.pop(key, None)
        return found


def _known(account: Account, time_zone: str) -> KnownAccount:
    return KnownAccount(
        account.id,
        account.tenant_id,
        account.site_id,
        account.key_ref,
        account.profile,
        account.supervision_seconds,
        time_zone,
    )


def panel_time(stamp: datetime | None, account: KnownAccount | None) -> datetime | None:
    """A frame's timestamp in UTC; panels with the ``local-time`` profile stamp their site's local time."""
    if stamp is None or account is None or account.profile != "local-time":
        return stamp
    return stamp.replace(tzinfo=ZoneInfo(account.time_zone)).astimezone(UTC)


def parse_events(frame: dc09.Frame) -> tuple[tuple[dict[str, Any], ...], str | None]:
    """The events a frame's payload carries, classified; or a problem saying why not."""
    try:
        if frame.id_token == "ADM-CID":
            event = contact_id.parse(frame.data)
            klass, label_en, label_fr, restore = alarm_codes.classify_contact_id(event.code, event.qualifier)
            return (
                {
                    "protocol": "contact-id",
                    "code": event.code,
                    "qualifier": event.qualifier,
                    "partition": event.partition,
                    "zone": event.zone_or_user,
                    "class": klass,
                    "label_en": label_en,
                    "label_fr": label_fr,
                    "restore": restore,
                },
            ), None
        if frame.id_token == "SIA-DCS":
            found = []
            for sia in sia_dcs.parse(frame.data):
                klass, label_en, label_fr, restore = alarm_codes.classify_sia(sia.code)
                found.append(
                    {
                        "protocol": "sia-dcs",
                        "code": sia.code,
                        "partition": sia.partition,
                        "zone": sia.zone_or_user,
                        "class": klass,
                        "label_en": label_en,
                        "label_fr": label_fr,
                        "restore": restore,
                    }
                )
            return tuple(found), None
    except ValueError as exc:
        return (), f"payload not understood: {exc}"
    return (), None


RETRANSMISSION_MEMORY = 200_000  # messages remembered, at most


class Retransmissions:
    """Recently stored messages, so a panel's retry is acknowledged again but stored once."""

    def __init__(self, limit: int = RETRANSMISSION_MEMORY) -> None:
        self._seen: OrderedDict[tuple[str | None, ...], datetime] = OrderedDict()
        self._limit = limit

    def seen(self, key: tuple[str | None, ...], now: datetime) -> bool:
        when = self._seen.get(key)
        return when is not None and now - when < RETRANSMISSION_WINDOW

    def remember(self, key: tuple[str | None, ...], now: datetime) -> None:
        self._seen[key] = now
        self._seen.move_to_end(key)
        while len(self._seen) > self._limit:
            self._seen.popitem(last=False)


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
            header = _CLEAR_HEADER.search(raw.decode("latin-1"))
            account = None if header is None else self._accounts.lookup(*header.groups())
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
        header = _CLEAR_HEADER.search(raw.decode("latin-1"))
        if header is not None and not self._accounts.is_cached(*header.groups()):
            # a store read must not block the event loop: warm the cache in a thread first
            await asyncio.to_thread(self._accounts.lookup, *header.groups())
        try:
            frame = self._decode(raw)
        except (dc09.UnknownKey, dc09.DecryptError) as exc:
            await self._store_unreadable(raw, listener, now, str(exc))
            return dc09.duh(None, raw)
        except dc09.FrameError as exc:
            log.info("NAK on %s: %s", listener, exc)
            return dc09.nak(now)
        account = self._accounts.lookup(frame.receiver, frame.line, frame.account)
        stamp = panel_time(frame.timestamp, account)
        if stamp is not None and not now - self._before <= stamp <= now + self._after:
            return dc09.nak(now)  # the panel resynchronises its clock on our timestamp
        key = None if account is None or account.key_ref is None else self._keys.get(account.key_ref)
        if account is not None and account.supervision_seconds and self._supervisor is not None:
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
        if frame.id_token == "NULL":
            return dc09.ack(frame, now, key if frame.encrypted else None)
        signal = self._signal(frame, stamp, account, listener, now)
        if not self._retries.seen(signal.retransmission_key(), now):
            await self._committer.submit(signal)
            self._retries.remember(signal.retransmission_key(), now)
        return _answer(frame, now, key if frame.encrypted else None)

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


def signal_view(signal: Signal) -> Mapping[str, Any]:
    """A signal as the CLI and the API show it."""
    return {
        "id": str(signal.id),
        "received_at": signal.received_at.isoformat(),
        "node": signal.node,
        "listener": signal.listener,
        "answer": signal.answer,
        "raw": signal.raw,
        "account": signal.account_number,
        "receiver": signal.receiver,
        "line": signal.line,
        "sequence": signal.sequence,
        "id_token": signal.id_token,
        "data": signal.data,
        "occurred_at": None if signal.occurred_at is None else signal.occurred_at.isoformat(),
        "events": [dict(e) for e in signal.events],
        "problem": signal.problem,
        "tenant_id": None if signal.tenant_id is None else str(signal.tenant_id),
        "site_id": None if signal.site_id is None else str(signal.site_id),
    }


__all__ = ["NAK", "AccountDirectory", "SignalIntake", "parse_events", "signal_view"]
