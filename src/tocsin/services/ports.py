"""The ports: what the services need from the outside world, as ``typing.Protocol`` classes.

Every port has a real adapter in :mod:`tocsin.adapters` and an in-memory twin in :mod:`tocsin.testing`.
"""

from __future__ import annotations

from collections.abc import Collection, Generator, Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from typing import Any, Protocol, TypeVar
from uuid import UUID

from tocsin.domain.alarms import Alarm, AlarmRule, AlarmSignal, ClosureCode, SiteStatus
from tocsin.domain.calls import CallAttempt
from tocsin.domain.deadlines import Deadline
from tocsin.domain.geo import Address, RoadNode, RoadSegment
from tocsin.domain.geocoding import GeoCandidate
from tocsin.domain.instructions import TemporaryInstruction
from tocsin.domain.logbook import ChainHead, Checkpoint, LogbookEntry
from tocsin.domain.plans import ActionPlan, AlarmStep
from tocsin.domain.recommendation import RoadTimes
from tocsin.domain.scope import Scope
from tocsin.domain.signals import PendingSignal, Signal
from tocsin.domain.street_map import BoundingBox, StreetPiece
from tocsin.domain.users import ApiToken, AuthSession, Grant, LoginThrottle, Role, User
from tocsin.domain.verification import AuthorityRequest, Dispatch, Verification

T = TypeVar("T")


class Clock(Protocol):
    """The only source of time and of time-ordered identifiers."""

    def now(self) -> datetime:
        """The current time, timezone-aware UTC."""
        ...

    def monotonic(self) -> float:
        """Seconds on a clock that never goes back, for measuring durations."""
        ...

    def new_id(self) -> UUID:
        """A fresh UUIDv7, ordered by this clock's time."""
        ...


class Repository(Protocol[T]):
    """Scoped access to one kind of record: every call sees only what the unit of work's scope allows."""

    def add(self, item: T) -> None:
        """Store a new record; raises OutOfScope or Conflict."""
        ...

    def get(self, item_id: UUID) -> T | None:
        """The record with this id, or None when it does not exist or is out of scope."""
        ...

    def find(self, **equal: Any) -> list[T]:
        """Records whose fields equal the given values, oldest first."""
        ...

    def get_many(self, item_ids: Collection[UUID]) -> list[T]:
        """The records with these ids that exist in scope, in one read (in no particular order)."""
        ...

    def update(self, item: T) -> None:
        """Write back a changed record; raises NotFound when out of scope."""
        ...

    def remove(self, item: T) -> None:
        """Delete a record; raises OutOfScope, or NotFound when it is not stored in scope."""
        ...

    def add_many(self, items: Sequence[T]) -> None:
        """Store new records together (an import): as :meth:`add` for each, in fewer round trips."""
        ...


class AccountIdentities(Protocol):
    """Who holds a transmitter identity on the node, whatever the caller's scope (only the tenant's id
    comes out, so a refusal can say "another tenant" without naming it)."""

    def holder(self, receiver: str, line: str, number: str) -> UUID | None:
        """The tenant whose account has this receiver prefix, line prefix and number, if any."""
        ...

    def holders(self, identities: Collection[tuple[str, str, str]]) -> dict[tuple[str, str, str], UUID]:
        """:meth:`holder` for many (receiver, line, number) at once: those held, upper-cased, and by whom."""
        ...


class LogbookStore(Protocol):
    """Storage of logbook entries, chain heads and signed checkpoints."""

    def lock_head(self, chain: str) -> ChainHead:
        """The chain's head, locked until the end of the transaction (created empty if new)."""
        ...

    def head(self, chain: str) -> ChainHead:
        """The chain's head as it is now, without locking it (empty if the chain has none)."""
        ...

    def append(self, entry: LogbookEntry) -> None:
        """Insert an entry and move its chain's head to it; the head must be locked."""
        ...

    def encode(
        self, entries: list[LogbookEntry], json_texts: Sequence[tuple[str, str, str]] | None = None
    ) -> Any:
        """The entries as this store writes them, worked out ahead so a write transaction only sends them.
        ``json_texts``, when given, holds each entry's params, subjects and data already serialized as
        JSON (the canonical text its hash was computed on), to be stored as they are."""
        ...

    def append_many(self, entries: list[LogbookEntry], encoded: Any = None) -> None:
        """Insert consecutive entries of one chain and move its head once; the head must be locked.
        ``encoded``, when given, is :meth:`encode` of these same entries."""
        ...

    def snapshot(self) -> None:
        """Read everything after this call from one consistent snapshot of the store; call it first in a
        read transaction (a live writer's commits then cannot make a chain look broken)."""
        ...

    def heads(self) -> list[ChainHead]:
        """Every chain's head as the chain table records it, by chain name (no scan of the entries)."""
        ...

    def chains(self) -> list[ChainHead]:
        """Every chain's recorded head, and an empty head for a chain with entries but no head row."""
        ...

    def entries(self, chain: str, after_seq: int = 0) -> Iterator[LogbookEntry]:
        """A chain's entries in sequence order, after ``after_seq``, as stored (no scope applied)."""
        ...

    def add_checkpoint(self, checkpoint: Checkpoint) -> None:
        """Store a signed checkpoint."""
        ...

    def latest_checkpoints(self) -> dict[str, Checkpoint]:
        """Each checkpointed chain's newest checkpoint, by chain (one read, not every checkpoint)."""
        ...

    def checkpoints(self, chain: str) -> list[Checkpoint]:
        """A chain's checkpoints, by sequence."""
        ...

    def read(
        self,
        scope: Scope,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        after_seq: int = 0,
        limit: int | None = None,
        newest_first: bool = False,
        site_id: UUID | None = None,
        kind_prefixes: tuple[str, ...] = (),
    ) -> Iterator[LogbookEntry]:
        """Entries the scope may see (of one site with ``site_id``; of the kinds starting with one of
        ``kind_prefixes`` when given), in (chain, sequence) order or newest first."""
        ...


class DeadlineStore(Protocol):
    """Persisted deadlines, each fired once."""

    def arm(self, deadline: Deadline) -> Deadline:
        """Add the deadline, or move the pending one with the same kind and key."""
        ...

    def add_new(self, deadlines: Sequence[Deadline]) -> None:
        """Add deadlines whose keys are new (no pending deadline has them: a new alarm's), in one write."""
        ...

    def cancel(self, kind: str, key: str) -> bool:
        """Remove a pending deadline; True when one was pending."""
        ...

    def claim_due(self, now: datetime, limit: int, exclude: frozenset[UUID] = frozenset()) -> list[Deadline]:
        """Due, unfired deadlines (but those in ``exclude``), marked fired in this transaction."""
        ...

    def next_due(self) -> datetime | None:
        """When the earliest pending deadline is due."""
        ...

    def pending(self, kind: str | None = None) -> list[Deadline]:
        """All unfired deadlines (only of ``kind`` when given), by due time."""
        ...


class Signer(Protocol):
    """Signs logbook checkpoints with a key kept outside the database."""

    @property
    def key_id(self) -> str:
        """A short fingerprint of the public key."""
        ...

    def sign(self, data: bytes) -> bytes:
        """The signature of ``data``."""
        ...


class SignedHeads(Protocol):
    """The newest checkpoint this node signed per chain, kept outside the database (beside the key)."""

    def load(self) -> dict[str, Checkpoint]:
        """Each chain's newest checkpoint signed here; empty when this node never signed."""
        ...

    def record(self, checkpoints: Iterable[Checkpoint]) -> None:
        """Keep these checkpoints where they are newer; called only after their commit."""
        ...


class SignatureVerifier(Protocol):
    """Checks checkpoint signatures against known public keys."""

    def verify(self, key_id: str, data: bytes, signature: bytes) -> bool:
        """True when ``signature`` over ``data`` was made by the key ``key_id``."""
        ...


class SecretHasher(Protocol):
    """One-way hashing of spoken passwords and duress words."""

    def hash(self, secret: str) -> str:
        """A salted, slow hash of the secret."""
        ...

    def verify(self, hashed: str, secret: str) -> bool:
        """True when ``secret`` matches ``hashed``."""
        ...


class Bus(Protocol):
    """Carries committed messages to subscribers."""

    def subscribe(self, message_type: type[Any], handler: Any) -> None:
        """Call ``handler(message)`` for each published message of ``message_type``."""
        ...

    def publish(self, message: Any) -> None:
        """Deliver a message to its subscribers."""
        ...

    def wants(self, message_type: type[Any]) -> bool:
        """Whether anyone subscribes to ``message_type`` (so a publisher can skip building it)."""
        ...


class AuthStore(Protocol):
    """Sessions, API tokens and login throttles: the node's own security records (not scoped)."""

    def add_session(self, session: AuthSession) -> None:
        """Store a new session."""
        ...

    def session_by_token_hash(self, token_hash: str) -> AuthSession | None:
        """The session whose token hashes to this, revoked or not."""
        ...

    def session_and_user(self, token_hash: str) -> tuple[AuthSession, User] | None:
        """The session whose token hashes to this (revoked or not) with its user, in one read; None when
        either is missing."""
        ...

    def grants_and_roles(self, user_id: UUID) -> list[tuple[Grant, Role]]:
        """The user's grants with their roles, in one read (a grant whose role is gone is left out)."""
        ...

    def touch_session(self, session_id: UUID, at: datetime) -> None:
        """Record activity on a session."""
        ...

    def revoke_session(self, session_id: UUID, at: datetime) -> None:
        """End a session."""
        ...

    def add_token(self, token: ApiToken) -> None:
        """Store a new API token."""
        ...

    def token_by_hash(self, token_hash: str) -> ApiToken | None:
        """The API token whose secret hashes to this."""
        ...

    def throttle(self, key: str) -> LoginThrottle | None:
        """Recent login failures for a key."""
        ...

    def put_throttle(self, throttle: LoginThrottle) -> None:
        """Record login failures for a key."""
        ...

    def clear_throttle(self, key: str) -> None:
        """Forget a key's failures (after a success)."""
        ...

    def tokens_of(self, user_id: UUID) -> list[ApiToken]:
        """A user's API tokens, revoked ones included, oldest first."""
        ...

    def revoke_token(self, token_id: UUID, at: datetime) -> None:
        """End an API token (no change when it is already revoked)."""
        ...

    def revoke_sessions_of(self, user_id: UUID, at: datetime) -> int:
        """End every open session of a user; return how many were open."""
        ...


class KeyStore(Protocol):
    """Transmitter encryption keys, kept outside the database and never logged."""

    def put(self, ref: str, key: bytes) -> None:
        """Store a key under a reference (replacing an older one)."""
        ...

    def get(self, ref: str) -> bytes | None:
        """The key stored under a reference, if any."""
        ...

    def delete(self, ref: str) -> None:
        """Forget a key (one stored for an account that was then refused); nothing if absent."""
        ...


class SignalStore(Protocol):
    """Received frames: written in batches on the hot path, read by screens and the CLI."""

    def insert_many(self, signals: Sequence[Signal]) -> int:
        """Store signals, skipping ids already stored (a journal replay) and copies of a message already
        stored (same ``Signal.stored_once_key``, from any process); return how many were new."""
        ...

    def pending(self, limit: int) -> list[Signal]:
        """Stored signals not processed yet, oldest first (locked for this transaction where it matters)."""
        ...

    def pending_work(self, limit: int) -> list[PendingSignal]:
        """Like :meth:`pending`, only the fields the signal processor needs (it reads many per second)."""
        ...

    def pending_ids(self, limit: int) -> list[UUID]:
        """The ids of the oldest pending signals, without reading the signals themselves."""
        ...

    def pending_by_id(self, ids: Sequence[UUID]) -> list[Signal]:
        """Those of these signals that are still pending, oldest first (locked like :meth:`pending`)."""
        ...

    def mark_processed(self, ids: Sequence[UUID], at: datetime) -> int:
        """Record that these signals' entries were written, in the caller's transaction; return how many
        were still pending (fewer than asked means another processor took some)."""
        ...

    def backlog(self, limit: int) -> tuple[int, datetime | None]:
        """How many signals wait for their entries (counted up to ``limit``) and when the oldest came:
        the processor's backlog and lag, read without taking or locking any."""
        ...

    def find(
        self,
        scope: Scope,
        *,
        account_number: str | None = None,
        since: datetime | None = None,
        limit: int = 100,
    ) -> list[Signal]:
        """Signals the scope may see, newest first."""
        ...


class GeoReference(Protocol):
    """The installation's road network, shared by every tenant: read here, loaded by its importers."""

    def pieces_within(self, box: BoundingBox, limit: int) -> tuple[list[StreetPiece], bool]:
        """The road segments with an end inside ``box``, those nearest its centre first, at most
        ``limit`` of them; and whether more were left out."""
        ...

    def address_revision(self) -> int:
        """How many loads and imports changed the address table (0 before the first)."""
        ...

    def addresses(self) -> Iterator[Address]:
        """Every address, streamed (for building the geocoder's index)."""
        ...

    def put_addresses(self, addresses: Sequence[Address]) -> tuple[int, int]:
        """Insert addresses, or update those already stored under their id; return (added, updated)."""
        ...

    def addresses_changed(self, at: datetime) -> int:
        """Record that the address table changed (so indexes rebuild); return the new revision."""
        ...

    def road_nodes(self) -> Iterator[tuple[int, float, float]]:
        """Every road node as ``(id, latitude, longitude)``, streamed (for building the road graph)."""
        ...

    def road_segments(self) -> Iterator[tuple[int, int, float, float, bool]]:
        """Every road segment as ``(from node, to node, length m, speed km/h, one way)``, streamed."""
        ...

    def replace_roads(self, nodes: Sequence[RoadNode], segments: Sequence[RoadSegment]) -> None:
        """Put this road network in place of the stored one (the addresses stay)."""
        ...


class Journal(Protocol):
    """A local append-only file where signals wait when the database cannot take them."""

    def append(self, signals: Sequence[Signal]) -> None:
        """Write signals durably (fsync) before returning."""
        ...

    def take(self, batch: int) -> Generator[list[Signal]]:
        """Everything journaled, for a replay, in lists of at most ``batch`` signals read as they are
        needed; the entries stay until ``done`` is called."""
        ...

    def done(self) -> None:
        """Forget what the last ``take`` returned: it is in the database now."""
        ...

    def pending(self) -> bool:
        """Whether anything waits for a replay."""
        ...


class AlarmStore(Protocol):
    """Alarms, their signals, the rules and closure codes that shape them, and each site's status.

    Reads are scoped like every repository (a site-less alarm is seen only over the whole tenant);
    :meth:`open_for` is for the rules, which run with the system scope."""

    def open_for(
        self,
        tenant_id: UUID,
        site_ids: Collection[UUID],
        group_keys: Collection[str],
        *,
        site_classes: Collection[str] | None = None,
        whole_sites: Collection[UUID] = (),
        lock: bool = True,
        known: Mapping[UUID, Alarm] | None = None,
    ) -> list[Alarm]:
        """The tenant's alarms not closed on these sites (only of ``site_classes`` when given, but every
        one on ``whole_sites``), and its site-less ones with these group keys; with ``lock``, locked
        until the end of the transaction where the database can (a read that only plans needs none:
        every save checks the version read). ``known`` alarms still at their version are not read again
        (the store may read only the others whole)."""
        ...

    def add(self, alarms: Sequence[Alarm]) -> None:
        """Store new alarms."""
        ...

    def save(self, alarms: Sequence[Alarm]) -> None:
        """Write back changed alarms, each only if its stored ``version`` is still the one it was read
        with (it is stored with the next); :class:`~tocsin.domain.alarms.AlarmChanged` otherwise."""
        ...

    def get(self, alarm_id: UUID) -> Alarm | None:
        """The alarm, if the scope sees it."""
        ...

    def find(
        self,
        *,
        states: Collection[str] | None = None,
        site_id: UUID | None = None,
        since: datetime | None = None,
        limit: int = 500,
    ) -> list[Alarm]:
        """Alarms the scope sees, in queue order (see :func:`tocsin.domain.alarms.queue_order`)."""
        ...

    def link(self, events: Sequence[AlarmSignal]) -> None:
        """Add events to alarms' histories."""
        ...

    def history(self, alarm_id: UUID, limit: int = 500) -> list[AlarmSignal]:
        """An alarm's events in order (no scope check: read the alarm with :meth:`get` first)."""
        ...

    def add_call(self, attempt: CallAttempt) -> None:
        """Store a call attempt made for an alarm."""
        ...

    def calls(self, alarm_id: UUID) -> list[CallAttempt]:
        """An alarm's call attempts in order (no scope check: read the alarm with :meth:`get` first)."""
        ...

    def rules(self, tenant_id: UUID) -> list[AlarmRule]:
        """The tenant's alarm rules."""
        ...

    def put_rule(self, rule: AlarmRule) -> None:
        """Add a rule, or replace the one for the same class, client and site."""
        ...

    def closure_codes(self, tenant_id: UUID) -> list[ClosureCode]:
        """The tenant's closure codes (the built-in ones while it has none of its own)."""
        ...

    def put_closure_code(self, tenant_id: UUID, code: ClosureCode) -> None:
        """Add or replace one of the tenant's closure codes."""
        ...

    def statuses(self, site_ids: Collection[UUID]) -> dict[UUID, SiteStatus]:
        """The stored status of these sites (absent: nothing heard yet)."""
        ...

    def put_statuses(self, statuses: Sequence[SiteStatus]) -> None:
        """Store these sites' statuses, each at the version it was read with (0: not stored yet);
        :class:`~tocsin.domain.alarms.AlarmChanged` if one changed (or was stored) meanwhile."""
        ...


class PlanStore(Protocol):
    """Action plans, alarm checklists and temporary instructions, within the caller's tenant.

    Plans and instructions are read by owner (read the client or site through its scoped repository
    first); a checklist after its alarm (read it with ``uow.alarms.get`` first)."""

    def plan(
        self, alarm_class: str, *, client_id: UUID | None = None, site_id: UUID | None = None
    ) -> ActionPlan | None:
        """The client's (``client_id``) or the site's (``site_id``) plan for a class, if written."""
        ...

    def put_plan(self, plan: ActionPlan) -> None:
        """Add the plan, or replace the one of the same owner and class."""
        ...

    def remove_plan(self, plan_id: UUID) -> None:
        """Delete a plan."""
        ...

    def checklist(self, alarm_id: UUID) -> list[AlarmStep]:
        """An alarm's checklist steps, in order."""
        ...

    def add_steps(self, steps: Sequence[AlarmStep]) -> None:
        """Store new checklist steps."""
        ...

    def drop_steps(self, step_ids: Collection[UUID]) -> None:
        """Delete checklist steps still pending (a class change replaced them)."""
        ...

    def save_step(self, step: AlarmStep) -> None:
        """Write a completed or skipped step, only if it is still pending as stored;
        :class:`~tocsin.domain.plans.StepAlreadyDone` otherwise."""
        ...

    def add_instruction(self, instruction: TemporaryInstruction) -> None:
        """Store a new temporary instruction."""
        ...

    def save_instruction(self, instruction: TemporaryInstruction) -> None:
        """Write back a changed instruction."""
        ...

    def instruction(self, instruction_id: UUID) -> TemporaryInstruction | None:
        """The instruction, if the scope's tenant owns it."""
        ...

    def instructions(self, site_id: UUID, *, open_only: bool = True) -> list[TemporaryInstruction]:
        """A site's instructions by start time (only the open ones unless ``open_only`` is False)."""
        ...


class VerificationStore(Protocol):
    """An alarm's levée de doute: verification results, dispatches, requests for help. No scope check:
    read the alarm with :meth:`AlarmStore.get` first, then its records by its id."""

    def add_verification(self, verification: Verification) -> None:
        """Store a verification result."""
        ...

    def verifications(self, alarm_id: UUID) -> list[Verification]:
        """An alarm's verification results in order."""
        ...

    def add_dispatch(self, dispatch: Dispatch) -> None:
        """Store a dispatch."""
        ...

    def save_dispatch(self, dispatch: Dispatch) -> None:
        """Write back a dispatch (arrival, findings)."""
        ...

    def dispatches(self, alarm_id: UUID) -> list[Dispatch]:
        """An alarm's dispatches in order."""
        ...

    def add_request(self, request: AuthorityRequest) -> None:
        """Store a request for help."""
        ...

    def requests(self, alarm_id: UUID) -> list[AuthorityRequest]:
        """An alarm's requests for help in order."""
        ...


class RoadGraph(Protocol):
    """The road network ready for drive times (built by an adapter, see bootstrap); read-only."""

    revision: int
    nodes: int
    segments: int

    def times_to(
        self, latitude: float, longitude: float, origins: Sequence[tuple[float, float]], cutoff_s: float
    ) -> RoadTimes:
        """Seconds to drive from each origin to the point, in one search bounded by ``cutoff_s``."""
        ...


class AddressIndex(Protocol):
    """A searchable, read-only index of the address table (built by an adapter, see bootstrap)."""

    def search(self, text: str, limit: int = 10) -> list[GeoCandidate]:
        """Addresses best matching what was typed, best first, each with a score in [0, 1]."""
        ...

    def nearest(self, latitude: float, longitude: float, limit: int = 5) -> list[GeoCandidate]:
        """The addresses nearest a point, nearest first."""
        ...

    def __len__(self) -> int:
        """How many addresses it holds."""
        ...
