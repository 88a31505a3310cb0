"""The directory of a room: tenants, clients, sites and what hangs off them, units, partners.

Each handler validates through the domain, writes through the scoped repositories and records what
it did in the logbook, all in the caller's transaction.
"""

from __future__ import annotations

from typing import Any

from tocsin.domain import commands as c
from tocsin.domain import events as e
from tocsin.domain.errors import Conflict, NotFound
from tocsin.domain.resources import Partner, Unit
from tocsin.domain.sites import Account, Contact, Schedule, Site, Zone, normalize_spoken_word
from tocsin.domain.tenancy import Client, Tenant
from tocsin.services.handlers.registry import Deps, Handlers
from tocsin.services.unit_of_work import UnitOfWork


def create_tenant(cmd: c.CreateTenant, uow: UnitOfWork, actor: str, _deps: Deps) -> Tenant:
    tenant = Tenant(id=uow.clock.new_id(), ref=cmd.ref, name=cmd.name)
    if uow.tenants.find(ref=tenant.ref):
        raise Conflict(f"A tenant with reference {tenant.ref!r} exists already: choose another reference.")
    uow.tenants.add(tenant)
    uow.record(e.TenantCreated(tenant_id=tenant.id, ref=tenant.ref, name=tenant.name), actor)
    return tenant


def create_client(cmd: c.CreateClient, uow: UnitOfWork, actor: str, _deps: Deps) -> Client:
    client = Client(id=uow.clock.new_id(), tenant_id=cmd.tenant_id, ref=cmd.ref, name=cmd.name)
    if uow.clients.find(ref=client.ref):
        raise Conflict(f"A client with reference {client.ref!r} exists already: choose another reference.")
    uow.clients.add(client)
    uow.record(
        e.ClientCreated(tenant_id=client.tenant_id, client_id=client.id, ref=client.ref, name=client.name),
        actor,
    )
    return client


def create_site(cmd: c.CreateSite, uow: UnitOfWork, actor: str, _deps: Deps) -> Site:
    client = uow.clients.get(cmd.client_id)
    if client is None or client.tenant_id != cmd.tenant_id:
        raise NotFound(f"No client {cmd.client_id} in your scope: create the client first.")
    schedule = None if cmd.schedule_id is None else uow.schedules.get(cmd.schedule_id)
    if cmd.schedule_id is not None and (schedule is None or schedule.tenant_id != cmd.tenant_id):
        raise NotFound(f"No schedule {cmd.schedule_id} in your scope.")
    fields = {f: getattr(cmd, f) for f in cmd.__dataclass_fields__}
    site = Site(id=uow.clock.new_id(), **fields)
    if uow.sites.find(ref=site.ref):
        raise Conflict(f"A site with reference {site.ref!r} exists already: choose another reference.")
    uow.sites.add(site)
    uow.record(
        e.SiteCreated(
            tenant_id=site.tenant_id,
            site_id=site.id,
            client_id=site.client_id,
            ref=site.ref,
            name=site.name,
        ),
        actor,
    )
    return site


def _site(uow: UnitOfWork, site_id: Any) -> Site:
    site = uow.sites.get(site_id)
    if site is None:
        raise NotFound(f"No site {site_id} in your scope: check the site reference.")
    return site


def _child_added(uow: UnitOfWork, site: Site, *, what: str, child_id: Any, label: str, actor: str) -> None:
    uow.record(
        e.SiteChildAdded(
            tenant_id=site.tenant_id,
            site_id=site.id,
            client_id=site.client_id,
            what=what,
            child_id=child_id,
            label=label,
        ),
        actor,
    )


def add_account(cmd: c.AddAccount, uow: UnitOfWork, actor: str, _deps: Deps) -> Account:
    site = _site(uow, cmd.site_id)
    fields = {f: getattr(cmd, f) for f in cmd.__dataclass_fields__}
    account = Account(id=uow.clock.new_id(), tenant_id=site.tenant_id, **fields)
    _check_identity_free(uow, account)
    uow.accounts.add(account)
    _child_added(uow, site, what="account", child_id=account.id, label=account.label, actor=actor)
    return account


def _check_identity_free(uow: UnitOfWork, account: Account) -> None:
    """A receiver, line and number name one transmitter on the node, across tenants: refuse a second.

    The other tenant is never named: the caller may not even know it exists."""
    holder = uow.account_identities.holder(account.receiver, account.line, account.number)
    if holder is None:
        return
    whose = "in this tenant" if holder == account.tenant_id else "by another tenant on this node"
    raise Conflict(
        f"Transmitter {account.label} is already declared {whose}: a receiver prefix, line prefix and"
        " account number must name one transmitter; give this one another --receiver or --line prefix."
    )


def add_zone(cmd: c.AddZone, uow: UnitOfWork, actor: str, _deps: Deps) -> Zone:
    site = _site(uow, cmd.site_id)
    taken = uow.zones.find(site_id=site.id, number=cmd.number.strip())
    if taken:
        raise Conflict(
            f"Zone {cmd.number.strip()} already exists on site {site.ref} ({taken[0].name}):"
            " give this zone another number, or change that one."
        )
    zone = Zone(
        id=uow.clock.new_id(),
        tenant_id=site.tenant_id,
        site_id=site.id,
        number=cmd.number,
        name=cmd.name,
        kind=cmd.kind,
    )
    uow.zones.add(zone)
    _child_added(uow, site, what="zone", child_id=zone.id, label=f"{zone.number} {zone.name}", actor=actor)
    return zone


def add_contact(cmd: c.AddContact, uow: UnitOfWork, actor: str, deps: Deps) -> Contact:
    site = _site(uow, cmd.site_id)

    def hashed(word: str | None) -> str | None:
        return None if not word else deps.hasher.hash(normalize_spoken_word(word))

    contact = Contact(
        id=uow.clock.new_id(),
        tenant_id=site.tenant_id,
        site_id=site.id,
        call_order=cmd.call_order,
        name=cmd.name,
        phones=cmd.phones,
        role=cmd.role,
        password_hash=hashed(cmd.password),
        duress_hash=hashed(cmd.duress_word),
    )
    uow.contacts.add(contact)
    _child_added(
        uow,
        site,
        what="contact",
        child_id=contact.id,
        label=f"{contact.call_order}. {contact.name}",
        actor=actor,
    )
    return contact


def create_schedule(cmd: c.CreateSchedule, uow: UnitOfWork, actor: str, _deps: Deps) -> Schedule:
    fields = {f: getattr(cmd, f) for f in cmd.__dataclass_fields__}
    schedule = Schedule(id=uow.clock.new_id(), **fields)
    uow.schedules.add(schedule)
    uow.record(
        e.ResourceAdded(
            tenant_id=schedule.tenant_id,
            what="schedule",
            resource_id=schedule.id,
            label=schedule.name,
        ),
        actor,
    )
    return schedule


def add_unit(cmd: c.AddUnit, uow: UnitOfWork, actor: str, _deps: Deps) -> Unit:
    fields = {f: getattr(cmd, f) for f in cmd.__dataclass_fields__}
    unit = Unit(id=uow.clock.new_id(), **fields)
    uow.units.add(unit)
    uow.record(
        e.ResourceAdded(tenant_id=unit.tenant_id, what="unit", resource_id=unit.id, label=unit.callsign),
        actor,
    )
    return unit


def add_partner(cmd: c.AddPartner, uow: UnitOfWork, actor: str, _deps: Deps) -> Partner:
    fields = {f: getattr(cmd, f) for f in cmd.__dataclass_fields__}
    partner = Partner(id=uow.clock.new_id(), **fields)
    uow.partners.add(partner)
    uow.record(
        e.ResourceAdded(
            tenant_id=partner.tenant_id, what="partner", resource_id=partner.id, label=partner.name
        ),
        actor,
    )
    return partner


HANDLERS = (
    Handlers()
    .add(c.CreateTenant, create_tenant)
    .add(c.CreateClient, create_client)
    .add(c.CreateSite, create_site)
    .add(c.AddAccount, add_account)
    .add(c.AddZone, add_zone)
    .add(c.AddContact, add_contact)
    .add(c.CreateSchedule, create_schedule)
    .add(c.AddUnit, add_unit)
    .add(c.AddPartner, add_partner)
)
