"""``/api/v1``: clients, sites and what hangs off them, and partners, as the caller may see them (the
units are in ``routes/units.py``).

Each route asks for one permission and reads with the scope that permission gives (units and partners
have permissions of their own: a client reads neither the patrols' positions nor the partners' lines).
"""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import Query, Request

from tocsin.api.deps import NodeDep, PrincipalDep, in_scope_or_probe
from tocsin.api.permissions import api_router
from tocsin.api.schemas import (
    AccountOut,
    ClientOut,
    PartnerOut,
    ScheduleOut,
    SiteFileOut,
    SiteMapOut,
    SiteOut,
    ZoneOut,
    contact_out,
    site_map_out,
)
from tocsin.domain.street_map import DEFAULT_RADIUS_M, MAX_RADIUS_M, MIN_RADIUS_M
from tocsin.services import queries
from tocsin.services.site_search import MAX_RESULTS, QUERY_MAX, search_sites
from tocsin.services.unit_of_work import UnitOfWork

router = api_router("/api/v1", "directory")


def _find(node: NodeDep, principal: PrincipalDep, permission: str, repo: str) -> list[Any]:
    scope = principal.scope_for(permission)
    return node.store.read(lambda uow: getattr(uow, repo).find(), scope)


def _one(principal: PrincipalDep, request: Request, repo: str, item_id: UUID) -> Any:
    """One record in scope; a record that exists outside the caller's scope is logged and hidden."""
    return in_scope_or_probe(
        request,
        principal,
        principal.scope_for("directory.read"),
        lambda uow: getattr(uow, repo).get(item_id),
        f"No {repo.rstrip('s')} {item_id} in your scope.",
    )


@router.get("/clients")
def list_clients(node: NodeDep, principal: PrincipalDep) -> list[ClientOut]:
    """Clients I may see."""
    return [ClientOut.model_validate(x) for x in _find(node, principal, "directory.read", "clients")]


@router.get("/clients/{client_id}")
def read_client(client_id: UUID, request: Request, node: NodeDep, principal: PrincipalDep) -> ClientOut:
    """One client."""
    return ClientOut.model_validate(_one(principal, request, "clients", client_id))


@router.get("/sites")
def list_sites(
    node: NodeDep,
    principal: PrincipalDep,
    q: Annotated[
        str | None,
        Query(
            max_length=QUERY_MAX,
            description="Search: words found in the site's name, reference, address, a transmitter's"
            " account number or a contact's name (best matches first, at most ``limit``).",
        ),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_RESULTS, description="At most this many sites (with q)")] = 20,
) -> list[SiteOut]:
    """Sites I may see; with ``q``, those matching the search, best first."""
    if q is None:
        return [SiteOut.model_validate(x) for x in _find(node, principal, "directory.read", "sites")]
    scope = principal.scope_for("directory.read")
    found = node.store.read(lambda uow: search_sites(uow, q, limit), scope)
    return [SiteOut.model_validate(x) for x in found]


@router.get("/sites/{site_id}")
def read_site(site_id: UUID, request: Request, node: NodeDep, principal: PrincipalDep) -> SiteFileOut:
    """A site's file: the site, its transmitters, zones and contacts (secrets never leave the store)."""
    site = _one(principal, request, "sites", site_id)
    scope = principal.scope_for("directory.read")

    def children(uow: UnitOfWork) -> dict[str, Any]:
        return {
            "accounts": [AccountOut.model_validate(a) for a in uow.accounts.find(site_id=site.id)],
            "zones": [ZoneOut.model_validate(z) for z in uow.zones.find(site_id=site.id)],
            "contacts": sorted(
                (contact_out(c) for c in uow.contacts.find(site_id=site.id)), key=lambda c: c.call_order
            ),
        }

    return SiteFileOut.model_validate(
        {**SiteOut.model_validate(site).model_dump(), **node.store.read(children, scope)}
    )


@router.get("/sites/{site_id}/map")
def read_site_map(
    site_id: UUID,
    request: Request,
    node: NodeDep,
    principal: PrincipalDep,
    radius_m: Annotated[
        int, Query(ge=MIN_RADIUS_M, le=MAX_RADIUS_M, description="Half the side of the square frame.")
    ] = DEFAULT_RADIUS_M,
) -> SiteMapOut:
    """A site on its town's own streets, for a map drawn with no tile server: the streets of the
    geographic reference within ``radius_m`` of the site, as lines of [latitude, longitude] points."""
    site = _one(principal, request, "sites", site_id)
    scope = principal.scope_for("directory.read")
    streets = node.store.read(lambda uow: queries.site_streets(uow, site, radius_m), scope)
    return site_map_out(site, radius_m, streets)


@router.get("/partners")
def list_partners(node: NodeDep, principal: PrincipalDep) -> list[PartnerOut]:
    """The tenant's partner services and their direct lines (``partners.read``)."""
    return [PartnerOut.model_validate(x) for x in _find(node, principal, "partners.read", "partners")]


@router.get("/schedules")
def list_schedules(node: NodeDep, principal: PrincipalDep) -> list[ScheduleOut]:
    """Schedules I may see."""
    return [ScheduleOut.model_validate(x) for x in _find(node, principal, "directory.read", "schedules")]
