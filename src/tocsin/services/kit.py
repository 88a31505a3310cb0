"""The degraded-mode kit: what a room needs to work on paper when its systems fail (docs/degraded.md).

One read gathers, for a tenant seen through the caller's scope: the open alarms and events, and for
every site that has one of them its file (address, access notes), its instructions (the action plan of
each open alarm's class, the temporary instructions in force) and its call list (contacts in call
order, with their phones; never a password or duress word, which are hashes anyway and stay out); then
the units and the partners with their numbers. :class:`KitRefresher` writes it as a PDF into the data
folder every hour, so a copy is there to print when the database is the thing that failed.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from uuid import UUID

import structlog

from tocsin.domain.alarms import Alarm
from tocsin.domain.incidents import OPEN_STATES, Incident
from tocsin.domain.resources import Partner, Unit
from tocsin.domain.scope import Scope
from tocsin.domain.sites import Contact, Site
from tocsin.domain.tenancy import Tenant
from tocsin.services.unit_of_work import Store, UnitOfWork

log = structlog.get_logger(__name__)

ALARMS_AT_MOST = 500  # open alarms printed (queue order: the most urgent first)
EVENTS_AT_MOST = 500
SITES_AT_MOST = 300  # site files printed (those of the most urgent items first)
OPEN_ALARM_STATES = ("new", "taken", "settled")


@dataclass(frozen=True, slots=True)
class SiteSheet:
    """One site with open items: where it is, what to do, whom to call."""

    site: Site
    client_name: str
    plans: tuple[tuple[str, tuple[str, ...]], ...]  # (alarm class, the steps' instructions in order)
    temporary: tuple[tuple[str, str, datetime | None], ...]  # (kind, text, until)
    contacts: tuple[Contact, ...]


@dataclass(frozen=True, slots=True)
class StationKit:
    """Everything the paper kit prints, as read at ``made_at``."""

    tenant: Tenant | None
    made_at: datetime
    alarms: tuple[Alarm, ...]
    events: tuple[Incident, ...]
    sites: tuple[SiteSheet, ...]
    units: tuple[Unit, ...]
    partners: tuple[Partner, ...]
    left_out: int  # sites with open items not printed (past SITES_AT_MOST)


def gather_kit(uow: UnitOfWork, tenant_id: UUID) -> StationKit:
    """The kit of a tenant as the unit of work's scope sees it."""
    now = uow.clock.now()
    alarms = tuple(uow.alarms.find(states=OPEN_ALARM_STATES, limit=ALARMS_AT_MOST))
    events = tuple(uow.incidents.find(states=OPEN_STATES, limit=EVENTS_AT_MOST))
    site_ids: list[UUID] = []
    for site_id in [a.site_id for a in alarms] + [e.site_id for e in events]:
        if site_id is not None and site_id not in site_ids:
            site_ids.append(site_id)
    sheets = [
        sheet
        for site_id in site_ids[:SITES_AT_MOST]
        if (sheet := _sheet(uow, site_id, {a.alarm_class for a in alarms if a.site_id == site_id}, now))
    ]
    return StationKit(
        tenant=uow.tenants.get(tenant_id),
        made_at=now,
        alarms=alarms,
        events=events,
        sites=tuple(sheets),
        units=tuple(sorted(uow.units.find(), key=lambda u: (u.station, u.callsign))),
        partners=tuple(sorted(uow.partners.find(), key=lambda p: (p.kind, p.name))),
        left_out=max(0, len(site_ids) - SITES_AT_MOST),
    )


def _sheet(uow: UnitOfWork, site_id: UUID, classes: set[str], now: datetime) -> SiteSheet | None:
    site = uow.sites.get(site_id)
    if site is None:
        return None
    client = uow.clients.get(site.client_id)
    plans = []
    for alarm_class in sorted(classes):
        plan = uow.plans.plan(alarm_class, site_id=site.id) or uow.plans.plan(
            alarm_class, client_id=site.client_id
        )
        if plan is not None:
            plans.append((alarm_class, tuple(step.instruction for step in plan.steps)))
    temporary = tuple((i.kind, i.text, i.ends_at) for i in uow.plans.instructions(site.id) if i.in_force(now))
    contacts = tuple(sorted(uow.contacts.find(site_id=site.id), key=lambda c: c.call_order))
    return SiteSheet(site, client.name if client else "", tuple(plans), temporary, contacts)


Render = Callable[[StationKit, str], bytes]


class KitRefresher:
    """Writes every tenant's kit into ``folder`` (``kit-REF-LANG.pdf``, replaced whole) every ``every``
    seconds while ``tocsin serve`` runs: a copy to print when the database is what failed."""

    def __init__(
        self, store: Store, render: Render, folder: Path, every: float, languages: tuple[str, ...]
    ) -> None:
        self._store = store
        self._render = render
        self.folder = folder
        self.every = every
        self.languages = languages

    def write_all(self) -> list[Path]:
        """Write every tenant's kit in every language now; the files written."""
        tenants: list[Tenant] = self._store.read(lambda uow: uow.tenants.find(), Scope.system())
        written = []
        for tenant in tenants:
            kit = self._kit(tenant.id)
            for language in self.languages:
                path = kit_path(self.folder, tenant.ref, language)
                written.append(self._write(path, self._render(kit, language)))
        return written

    def _kit(self, tenant_id: UUID) -> StationKit:
        return self._store.read(lambda uow: gather_kit(uow, tenant_id), Scope.tenant(tenant_id))

    def _write(self, path: Path, pdf: bytes) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".pdf.part")
        with partial.open("wb") as out:
            out.write(pdf)
            out.flush()
            os.fsync(out.fileno())
        partial.replace(path)  # a reader never sees half a kit
        return path

    async def run(self, stop: asyncio.Event) -> None:
        """Until ``stop``: write the kits now and every ``every`` seconds; a failure (the database away)
        is logged and the last kits written stay where they are."""
        if self.every <= 0:  # switched off: wait for the stop like any loop (none ends on its own)
            await stop.wait()
            return
        while not stop.is_set():
            try:
                await asyncio.to_thread(self.write_all)
            except Exception:  # the store away: the previous kit stays, tried again at the next turn
                log.warning("kit.refresh_failed", exc_info=True)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), self.every)


def kit_path(folder: Path, tenant_ref: str, language: str) -> Path:
    """Where the hourly kit of a tenant in a language is kept."""
    return folder / f"kit-{tenant_ref}-{language}.pdf"
