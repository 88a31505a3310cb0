"""``/api/v1``: clients, sites and what hangs off them, units and partners, as the caller may see them."""

from __future__ import annotations

import dataclasses
from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request

from tocsin.api.deps import NodeDep, PrincipalDep, source_of
from tocsin.domain.errors import NotFound
from tocsin.domain.scope import Scope
from tocsin.services.unit_of_work import UnitOfWork

router = APIRouter(prefix="/api/v1", tags=["directory"])
HIDDEN = {"password_hash", "duress_hash"}


def _plain(item: Any) -> dict[str, Any]:
    values = dataclasses.asdict(item)
    for name in HIDDEN & values.keys():
        values[name.replace("_hash", "_set")] = values.pop(name) is not None
    return values


def _list(node: NodeDep, principal: PrincipalDep, repo: str, **equal: Any) -> list[dict[str, Any]]:
    scope = principal.scope_for("directory.read")
    return node.store.read(lambda uow: [_plain(x) for x in getattr(uow, repo).find(**equal)], scope)


def _one(node: NodeDep, principal: PrincipalDep, request: Request, repo: str, item_id: UUID) -> Any:
    """One record in scope; a record that exists outside the caller's scope is logged and hidden."""
    scope = principal.scope_for("directory.read")
    found = node.store.read(lambda uow: getattr(uow, repo).get(item_id), scope)
    if found is not None:
        return found
    exists = node.store.read(lambda uow: getattr(uow, repo).get(item_id) is not None, Scope.system())
    if exists:
        node.auth.refuse(
            principal.tenant_id,
            principal.username,
            source_of(request),
            "outside the user's scope",
            f"{request.method} {request.url.path}",
        )
    raise NotFound(f"No {repo.rstrip('s')} {item_id} in your scope.")


@router.get("/clients")
def list_clients(node: NodeDep, principal: PrincipalDep) -> list[dict[str, Any]]:
    """Clients I may see."""
    return _list(node, principal, "clients")


@router.get("/clients/{client_id}")
def read_client(client_id: UUID, request: Request, node: NodeDep, principal: PrincipalDep) -> dict[str, Any]:
    """One client."""
    return _plain(_one(node, principal, request, "clients", client_id))


@router.get("/sites")
def list_sites(node: NodeDep, principal: PrincipalDep) -> list[dict[str, Any]]:
    """Sites I may see."""
    return _list(node, principal, "sites")


@router.get("/sites/{site_id}")
def read_site(site_id: UUID, request: Request, node: NodeDep, principal: PrincipalDep) -> dict[str, Any]:
    """A site's file: the site, its transmitters, zones and contacts (secrets never leave the store)."""
    site = _one(node, principal, request, "sites", site_id)
    scope = principal.scope_for("directory.read")

    def children(uow: UnitOfWork) -> dict[str, Any]:
        return {
            "accounts": [_plain(a) for a in uow.accounts.find(site_id=site.id)],
            "zones": [_plain(z) for z in uow.zones.find(site_id=site.id)],
            "contacts": sorted(
                (_plain(c) for c in uow.contacts.find(site_id=site.id)), key=lambda c: c["call_order"]
            ),
        }

    return {**_plain(site), **node.store.read(children, scope)}


@router.get("/units")
def list_units(node: NodeDep, principal: PrincipalDep) -> list[dict[str, Any]]:
    """The tenant's units."""
    return _list(node, principal, "units")


@router.get("/partners")
def list_partners(node: NodeDep, principal: PrincipalDep) -> list[dict[str, Any]]:
    """The tenant's partner services."""
    return _list(node, principal, "partners")


@router.get("/schedules")
def list_schedules(node: NodeDep, principal: PrincipalDep) -> list[dict[str, Any]]:
    """Schedules I may see."""
    return _list(node, principal, "schedules")
