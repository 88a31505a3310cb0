"""The in-memory twin of :class:`tocsin.adapters.store.database.SqlStore`.

Each write runs against a private copy of the state under one lock and replaces the state only when
the function returns, so a function that raises changes nothing, as a rolled-back transaction would.
Records are never changed in place (repositories store and hand out deep copies; deadlines and
logbook entries are frozen), so copying the containers gives each transaction its own state.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar
from uuid import UUID

from tocsin.domain.cameras import Camera
from tocsin.domain.clips import Clip, SiteVideo
from tocsin.domain.deadlines import Deadline
from tocsin.domain.errors import StoreUnavailable
from tocsin.domain.geo import RoadNode, RoadSegment
from tocsin.domain.logbook import ChainHead, Checkpoint, LogbookEntry
from tocsin.domain.requisitions import Requisition, VideoExport
from tocsin.domain.resources import Partner, Unit
from tocsin.domain.scope import Scope
from tocsin.domain.shifts import Handover, Shift
from tocsin.domain.signals import Signal
from tocsin.domain.sites import Account, Contact, Schedule, Site, Zone
from tocsin.domain.tenancy import Client, Tenant
from tocsin.domain.units import Assignment, StatusChange
from tocsin.domain.users import Grant, Role, User, builtin_roles
from tocsin.services.ports import Clock
from tocsin.services.site_search_ports import SiteText
from tocsin.services.unit_of_work import UnitOfWork
from tocsin.testing.alarm_store import AlarmTables, InMemoryAlarmStore
from tocsin.testing.auth_store import AuthTables, InMemoryAuthStore
from tocsin.testing.client_writes import InMemoryClientWrites
from tocsin.testing.deadline_store import InMemoryDeadlineStore
from tocsin.testing.geo_reference import InMemoryGeoReference, RoadNetwork
from tocsin.testing.incident_store import IncidentTables, InMemoryIncidentStore
from tocsin.testing.kpi_source import InMemoryKpiSource
from tocsin.testing.liaison_store import InMemoryLiaisonStore, LiaisonTables
from tocsin.testing.logbook_store import InMemoryLogbookStore
from tocsin.testing.plan_store import InMemoryPlanStore, PlanTables
from tocsin.testing.repository import TABLE_OF, InMemoryAccountIdentities, InMemoryRepository, Tables
from tocsin.testing.signal_store import InMemorySignalStore
from tocsin.testing.verification_store import InMemoryVerificationStore

__all__ = [
    "InMemoryDeadlineStore",
    "InMemoryLogbookStore",
    "InMemoryRepository",
    "InMemoryStore",
    "InMemoryUnitOfWork",
    "MemoryState",
]

R = TypeVar("R")
CommitListener = Callable[[list[Any]], None]


def _empty_tables() -> Tables:
    tables: Tables = {name: {} for name in TABLE_OF.values()}
    tables["roles"] = {role.id: role for role in builtin_roles()}  # as migration 0003 stores them
    return tables


@dataclass
class MemoryState:
    """Everything an in-memory store holds; tests may corrupt it on purpose through ``tamper``."""

    tables: Tables = field(default_factory=_empty_tables)
    heads: dict[str, ChainHead] = field(default_factory=dict)
    entries: dict[str, list[LogbookEntry]] = field(default_factory=dict)
    checkpoints: dict[str, list[Checkpoint]] = field(default_factory=dict)
    deadlines: dict[UUID, Deadline] = field(default_factory=dict)
    auth: AuthTables = field(default_factory=AuthTables)
    signals: dict[UUID, Signal] = field(default_factory=dict)
    processed: dict[UUID, datetime] = field(default_factory=dict)
    alarms: AlarmTables = field(default_factory=AlarmTables)
    geo: RoadNetwork = field(default_factory=RoadNetwork)  # a value: shared by copies, replaced whole
    plans: PlanTables = field(default_factory=PlanTables)
    incidents: IncidentTables = field(default_factory=IncidentTables)
    kpi_targets: dict[UUID, tuple[str | None, str | None]] = field(default_factory=dict)
    liaison: LiaisonTables = field(default_factory=LiaisonTables)
    client_writes: dict[tuple[UUID, UUID], tuple[str, str, datetime]] = field(default_factory=dict)

    def copy(self) -> MemoryState:
        """A copy whose containers can change without touching this one."""
        return MemoryState(
            tables={name: dict(rows) for name, rows in self.tables.items()},
            heads=dict(self.heads),
            entries={chain: list(stored) for chain, stored in self.entries.items()},
            checkpoints={chain: list(done) for chain, done in self.checkpoints.items()},
            deadlines=dict(self.deadlines),
            auth=self.auth.copy(),
            signals=dict(self.signals),
            processed=dict(self.processed),
            alarms=self.alarms.copy(),
            geo=self.geo,
            plans=self.plans.copy(),
            incidents=self.incidents.copy(),
            kpi_targets=dict(self.kpi_targets),
            liaison=self.liaison.copy(),
            client_writes=dict(self.client_writes),
        )


class InMemorySiteTexts:
    """Site texts read through the unit of work's own scoped repositories."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    def texts(self) -> list[SiteText]:
        found = {
            s.id: SiteText(str(s.id), s.name, s.ref, " ".join((s.address, s.postcode, s.city)))
            for s in self._uow.sites.find()
        }
        for account in self._uow.accounts.find():
            if account.site_id in found:
                found[account.site_id].accounts.append(account.number)
        for contact in self._uow.contacts.find():
            if contact.site_id in found:
                found[contact.site_id].contacts.append(contact.name)
        return list(found.values())


class InMemoryUnitOfWork(UnitOfWork):
    """A unit of work over one copy of the in-memory state."""

    def __init__(self, state: MemoryState, scope: Scope, clock: Clock) -> None:
        super().__init__()
        self.state = state
        self.scope = scope
        self.clock = clock
        tables = state.tables
        self.tenants = InMemoryRepository(tables, scope, Tenant)
        self.clients = InMemoryRepository(tables, scope, Client)
        self.sites = InMemoryRepository(tables, scope, Site)
        self.accounts = InMemoryRepository(tables, scope, Account)
        self.account_identities = InMemoryAccountIdentities(tables)
        self.zones = InMemoryRepository(tables, scope, Zone)
        self.contacts = InMemoryRepository(tables, scope, Contact)
        self.schedules = InMemoryRepository(tables, scope, Schedule)
        self.units = InMemoryRepository(tables, scope, Unit)
        self.partners = InMemoryRepository(tables, scope, Partner)
        self.logbook = InMemoryLogbookStore(state.heads, state.entries, state.checkpoints)
        self.deadlines = InMemoryDeadlineStore(state.deadlines)
        self.users = InMemoryRepository(tables, scope, User)
        self.roles = InMemoryRepository(tables, scope, Role)
        self.grants = InMemoryRepository(tables, scope, Grant)
        self.cameras = InMemoryRepository(tables, scope, Camera)
        self.assignments = InMemoryRepository(tables, scope, Assignment)
        self.unit_history = InMemoryRepository(tables, scope, StatusChange)
        self.site_texts = InMemorySiteTexts(self)
        self.shifts = InMemoryRepository(tables, scope, Shift)
        self.handovers = InMemoryRepository(tables, scope, Handover)
        self.clips = InMemoryRepository(tables, scope, Clip)
        self.site_videos = InMemoryRepository(tables, scope, SiteVideo)
        self.requisitions = InMemoryRepository(tables, scope, Requisition)
        self.video_exports = InMemoryRepository(tables, scope, VideoExport)
        self.auth = InMemoryAuthStore(state.auth, tables)
        site_clients = {site.id: site.client_id for site in tables["sites"].values()}
        self.signals = InMemorySignalStore(state.signals, state.processed, site_clients)
        self.alarms = InMemoryAlarmStore(state.alarms, scope, tables["sites"].get)
        self.geo = InMemoryGeoReference(state.geo, state)
        self.plans = InMemoryPlanStore(state.plans, scope)
        self.verifications = InMemoryVerificationStore(state.alarms)
        self.incidents = InMemoryIncidentStore(state.incidents, scope, tables["sites"].get)
        self.kpis = InMemoryKpiSource(
            state.alarms,
            self.alarms.get,
            state.signals,
            scope,
            site_clients,
            targets=state.kpi_targets,
            incidents=state.incidents.incidents.values,
            incident_visible=self.incidents.get,
            assignments=tables["assignments"].values,
        )
        self.liaison = InMemoryLiaisonStore(state.liaison, scope)
        self.client_writes = InMemoryClientWrites(state.client_writes)


class InMemoryStore:
    """Runs service functions in all-or-nothing transactions on plain dicts, one at a time."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self._state = MemoryState()
        self._lock = threading.RLock()
        self._writing = threading.local()
        self._after_commit: list[CommitListener] = []
        self._closed = False

    def on_commit(self, listener: CommitListener) -> None:
        """Call ``listener(entries)`` after each commit that wrote logbook entries."""
        self._after_commit.append(listener)

    def write(self, fn: Callable[[UnitOfWork], R], scope: Scope) -> R:
        """Run ``fn(uow)`` on a copy of the state; keep the copy only if ``fn`` returns."""
        with self._lock:
            self._check_open()
            if getattr(self._writing, "active", False):
                raise RuntimeError(
                    "InMemoryStore.write was called inside another write on the same thread: the"
                    " inner transaction would be lost when the outer one commits; do the work in"
                    " one unit of work."
                )
            uow = InMemoryUnitOfWork(self._state.copy(), scope, self.clock)
            self._writing.active = True
            try:
                result = fn(uow)
            finally:
                self._writing.active = False
            self._state = uow.state
            if uow.written:  # still under the lock, so listeners see commits in order
                for listener in self._after_commit:
                    listener(list(uow.written))
            uow.committed()
            return result

    def read(self, fn: Callable[[UnitOfWork], R], scope: Scope) -> R:
        """Run ``fn(uow)`` on a snapshot of the committed state; anything it changes is dropped."""
        with self._lock:
            self._check_open()
            snapshot = self._state.copy()
        return fn(InMemoryUnitOfWork(snapshot, scope, self.clock))

    def load_road_network(self, nodes: Iterable[RoadNode], segments: Iterable[RoadSegment]) -> None:
        """Add road nodes and segments to the geographic reference, as an importer would."""
        with self._lock:
            self._check_open()
            state = self._state.copy()
            state.geo = state.geo.with_added(nodes, segments)
            self._state = state

    def tamper(self, fn: Callable[[MemoryState], None]) -> None:
        """Change the committed state directly, bypassing every rule (to test tamper detection)."""
        with self._lock:
            state = self._state.copy()
            fn(state)
            self._state = state

    def close(self) -> None:
        """Refuse further transactions."""
        self._closed = True

    def _check_open(self) -> None:
        if self._closed:
            raise StoreUnavailable("This in-memory store is closed: create a new one to go on.")
