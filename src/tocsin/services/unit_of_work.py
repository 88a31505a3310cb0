"""The unit of work: one transaction's scoped repositories, the logbook, the deadlines and the streets.

A service function receives a unit of work, changes state through its repositories and records what
happened with :meth:`UnitOfWork.record`; the store commits both together or neither.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Protocol, TypeVar

from tocsin.domain.cameras import Camera
from tocsin.domain.clips import Clip, SiteVideo
from tocsin.domain.deadlines import Deadline
from tocsin.domain.events import Event
from tocsin.domain.logbook import LogbookEntry, NewEntry
from tocsin.domain.requisitions import Requisition, VideoExport
from tocsin.domain.resources import Partner, Unit
from tocsin.domain.scope import Scope
from tocsin.domain.shifts import Handover, Shift
from tocsin.domain.sites import Account, Contact, Schedule, Site, Zone
from tocsin.domain.tenancy import Client, Tenant
from tocsin.domain.units import Assignment, StatusChange
from tocsin.domain.users import Grant, Role, User
from tocsin.services import logbook
from tocsin.services.client_writes import ClientWrites
from tocsin.services.incident_ports import IncidentStore
from tocsin.services.kpi_ports import KpiSource
from tocsin.services.liaison_ports import LiaisonStore
from tocsin.services.logbook import Prepared
from tocsin.services.ports import (
    AccountIdentities,
    AlarmStore,
    AuthStore,
    Clock,
    DeadlineStore,
    GeoReference,
    LogbookStore,
    PlanStore,
    Repository,
    SignalStore,
    VerificationStore,
)
from tocsin.services.site_search_ports import SiteTexts

R = TypeVar("R")


class UnitOfWork:
    """What every unit of work offers; the SQL and in-memory ones fill in the attributes."""

    scope: Scope
    clock: Clock
    tenants: Repository[Tenant]
    clients: Repository[Client]
    sites: Repository[Site]
    accounts: Repository[Account]
    account_identities: AccountIdentities
    zones: Repository[Zone]
    contacts: Repository[Contact]
    schedules: Repository[Schedule]
    units: Repository[Unit]
    partners: Repository[Partner]
    users: Repository[User]
    roles: Repository[Role]
    grants: Repository[Grant]
    auth: AuthStore
    signals: SignalStore
    logbook: LogbookStore
    deadlines: DeadlineStore
    alarms: AlarmStore
    plans: PlanStore
    geo: GeoReference  # shared by every tenant: no scope applies
    verifications: VerificationStore  # an alarm's levée de doute
    incidents: IncidentStore
    liaison: LiaisonStore  # partners told about events, radio channels, reports, corrections
    cameras: Repository[Camera]
    assignments: Repository[Assignment]  # units engaged on events
    unit_history: Repository[StatusChange]  # every unit's status changes
    kpis: KpiSource  # the room's figures over a period (read-only)
    site_texts: SiteTexts  # what the site search reads
    shifts: Repository[Shift]  # who is on duty (docs/room.md)
    handovers: Repository[Handover]
    clips: Repository[Clip]  # footage cut around alarms
    site_videos: Repository[SiteVideo]  # each site's clip window
    requisitions: Repository[Requisition]  # the authorities' requests for footage
    video_exports: Repository[VideoExport]  # footage exported, for a requisition or a stated reason
    client_writes: ClientWrites  # notes a console keyed itself, written once (degraded mode)

    def __init__(self) -> None:
        self.written: list[LogbookEntry] = []
        self._after_commit: list[Callable[[], None]] = []

    def after_commit(self, action: Callable[[], None]) -> None:
        """Run ``action()`` once this transaction has committed (never if it rolls back)."""
        self._after_commit.append(action)

    def committed(self) -> None:
        """Called by the store after the commit: run the actions :meth:`after_commit` queued."""
        for action in self._after_commit:
            action()

    def note(self, entry: NewEntry) -> LogbookEntry:
        """Append an entry to the logbook in this transaction."""
        written = logbook.append(self.logbook, self.clock, entry)
        self.written.append(written)
        return written

    def record(self, event: Event, actor: str, occurred_at: datetime | None = None) -> LogbookEntry:
        """Record a domain event as a logbook entry, in this transaction."""
        return self.note(_new_entry(event, actor, occurred_at))

    def record_many(self, events: list[tuple[Event, str, datetime | None]]) -> list[LogbookEntry]:
        """Record many events (event, actor, occurred_at) with one head lock per chain."""
        written = logbook.append_batch(self.logbook, self.clock, [_new_entry(*e) for e in events])
        self.written.extend(written)
        return written

    def prepare(self, events: list[tuple[Event, str, datetime | None]]) -> Prepared:
        """Chain and hash events' entries now, for :meth:`record_prepared` in a later transaction."""
        return logbook.prepare(self.logbook, self.clock, [_new_entry(*e) for e in events])

    def record_prepared(self, prepared: Prepared) -> list[LogbookEntry]:
        """Append entries made by :meth:`prepare` (chained again if their chain moved since)."""
        written = logbook.append_prepared(self.logbook, self.clock, prepared)
        self.written.extend(written)
        return written

    def arm(self, deadline: Deadline) -> Deadline:
        """Arm (or move) a deadline in this transaction."""
        return self.deadlines.arm(deadline)


def _new_entry(event: Event, actor: str, occurred_at: datetime | None) -> NewEntry:
    site_id, client_id = event.site_and_client()
    data = event.to_data()
    return NewEntry(
        kind=event.KIND,
        message=event.MESSAGE,
        actor=actor,
        tenant_id=event.tenant_id,
        params=data,
        subjects=event.subjects(),
        client_id=client_id,
        site_id=site_id,
        data=data,
        occurred_at=occurred_at,
    )


class Store(Protocol):
    """Runs a function inside a unit of work, committing when it returns."""

    def write(self, fn: Callable[[UnitOfWork], R], scope: Scope) -> R:
        """Run ``fn(uow)`` in one write transaction and commit; roll back everything if it raises."""
        ...

    def read(self, fn: Callable[[UnitOfWork], R], scope: Scope) -> R:
        """Run ``fn(uow)`` in a read-only transaction."""
        ...

    def on_commit(self, listener: Callable[[list[LogbookEntry]], None]) -> None:
        """Call ``listener(entries)`` after each commit that wrote logbook entries."""
        ...

    def close(self) -> None:
        """Release connections and threads."""
        ...
