"""Which records a scope may read and change: one policy, applied by every repository.

The SQL repositories turn the read rules into WHERE clauses; the in-memory twins apply them directly;
the contract tests hold both to the same behaviour.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from tocsin.domain.cameras import Camera
from tocsin.domain.clips import Clip, SiteVideo
from tocsin.domain.requisitions import Requisition, VideoExport
from tocsin.domain.resources import Partner, Unit
from tocsin.domain.scope import Scope
from tocsin.domain.shifts import Handover, Shift
from tocsin.domain.sites import Account, Contact, Schedule, Site, Zone
from tocsin.domain.tenancy import Client, Tenant
from tocsin.domain.units import Assignment, StatusChange
from tocsin.domain.users import Grant, Role, User

# How each kind of record is placed in the tenant > client > site tree.
TENANT, CLIENT, SITE, SITE_CHILD, TENANT_RESOURCE, SCHEDULE, SHARED = (
    "tenant",
    "client",
    "site",
    "site_child",
    "tenant_resource",
    "schedule",
    "shared",
)
PLACEMENT: dict[type[Any], str] = {
    Tenant: TENANT,
    Client: CLIENT,
    Site: SITE,
    Account: SITE_CHILD,
    Zone: SITE_CHILD,
    Contact: SITE_CHILD,
    Schedule: SCHEDULE,
    Unit: TENANT_RESOURCE,
    Partner: TENANT_RESOURCE,
    User: TENANT_RESOURCE,
    Grant: TENANT_RESOURCE,
    Role: SHARED,  # built-in roles have no tenant and are visible to all
    Camera: SITE_CHILD,
    Assignment: TENANT_RESOURCE,
    StatusChange: TENANT_RESOURCE,
    Shift: TENANT_RESOURCE,  # the room's: read by the tenant, written in the tenant's scope (docs/room.md)
    Handover: TENANT_RESOURCE,
    Clip: SITE_CHILD,
    SiteVideo: SITE_CHILD,
    Requisition: TENANT_RESOURCE,
    VideoExport: SITE_CHILD,
}

SiteLookup = Callable[[UUID], Site | None]
ClientsOfSites = Callable[[frozenset[UUID]], frozenset[UUID]]


def visible_clients(scope: Scope, clients_of_sites: ClientsOfSites) -> frozenset[UUID] | None:
    """The clients a restricted scope sees (granted ones and owners of granted sites); None = all."""
    if scope.whole_tenant:
        return None
    return (scope.client_ids or frozenset()) | clients_of_sites(scope.site_ids or frozenset())


def may_read(  # noqa: PLR0911 - one rule per placement
    scope: Scope, item: Any, site_of: SiteLookup, clients_of_sites: ClientsOfSites
) -> bool:
    """Whether the scope sees this record."""
    placement = PLACEMENT[type(item)]
    if placement == TENANT:
        return scope.all_tenants or item.id == scope.tenant_id
    if placement == SHARED and item.tenant_id is None:
        return True
    if not scope.allows_tenant(item.tenant_id):
        return False
    if scope.whole_tenant or placement == TENANT_RESOURCE:
        return True
    clients = visible_clients(scope, clients_of_sites) or frozenset()
    if placement == CLIENT:
        return bool(item.id in clients)
    if placement == SCHEDULE:
        return item.client_id is None or item.client_id in clients
    site = item if placement == SITE else site_of(item.site_id)
    return site is not None and scope.allows_site(site.tenant_id, site.client_id, site.id)


def may_write(scope: Scope, item: Any, site_of: SiteLookup) -> bool:  # noqa: PLR0911 - one rule per placement
    """Whether the scope may add or change this record."""
    placement = PLACEMENT[type(item)]
    if placement == TENANT or (placement == SHARED and item.tenant_id is None):
        return scope.all_tenants
    if not scope.allows_tenant(item.tenant_id):
        return False
    if placement == CLIENT:
        return scope.whole_tenant or item.id in (scope.client_ids or ())
    if placement == SITE:
        return scope.allows_site(item.tenant_id, item.client_id, item.id)
    if placement == SITE_CHILD:
        site = site_of(item.site_id)
        return (
            site is not None
            and site.tenant_id == item.tenant_id
            and scope.allows_site(site.tenant_id, site.client_id, site.id)
        )
    if placement == SCHEDULE:
        return scope.whole_tenant or item.client_id in (scope.client_ids or ())
    return scope.whole_tenant
