"""``/api/v1``: an administrator creates clients, sites, transmitters and contacts (``directory.write``).

The permission's scope decides where: an administrator of one client creates sites for that client
only, and a record named by id that lies outside the scope answers 404 (the probe is recorded), exactly
as a read would. A contact's password and duress word arrive in the request, are hashed by the handler
and never come back: the answer says only whether each is set.
"""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import Path, Request
from pydantic import BaseModel, Field

from tocsin.api.deps import CheckedPrincipalDep, NodeDep, in_scope_or_probe
from tocsin.api.permissions import api_router
from tocsin.api.schemas import AccountOut, ClientOut, ContactOut, SiteOut, contact_out
from tocsin.domain import commands as c
from tocsin.domain.sites import PROFILES, Site
from tocsin.domain.users import Principal

router = api_router("/api/v1", "directory")
WRITE = "directory.write"
SiteId = Annotated[UUID, Path(description="The site's id")]
Ref = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")]
Name = Annotated[str, Field(min_length=1, max_length=200)]
Phone = Annotated[str, Field(min_length=1, max_length=40)]
Hex = Annotated[str, Field(min_length=1, max_length=6, pattern=r"^[0-9A-Fa-f]+$", examples=["0"])]


def _write(node: NodeDep, principal: Principal, command: c.Command) -> Any:
    return node.messagebus.handle(command, scope=principal.scope_for(WRITE), actor=principal.actor)


def _record(request: Request, principal: Principal, repo: str, item_id: UUID) -> Any:
    """A record the caller may change; one outside the write scope is 404 and a recorded probe."""
    return in_scope_or_probe(
        request,
        principal,
        principal.scope_for(WRITE),
        lambda uow: getattr(uow, repo).get(item_id),
        f"No {repo.rstrip('s')} {item_id} in your scope.",
    )


class ClientIn(BaseModel):
    ref: Ref
    name: Name


@router.post("/clients", status_code=201)
def create_client(body: ClientIn, node: NodeDep, principal: CheckedPrincipalDep) -> ClientOut:
    """Create a client of my tenant (needs a grant over the whole tenant)."""
    command = c.CreateClient(principal.tenant_id, body.ref, body.name)
    return ClientOut.model_validate(_write(node, principal, command))


class SiteIn(BaseModel):
    client_id: UUID
    ref: Ref
    name: Name
    address: str = Field(default="", max_length=300)
    postcode: str = Field(default="", max_length=20)
    city: str = Field(default="", max_length=100)
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)
    time_zone: str = Field(default="Europe/Paris", min_length=1, max_length=64, description="IANA zone")
    notes: str = Field(default="", max_length=4000)


@router.post("/sites", status_code=201)
def create_site(body: SiteIn, request: Request, node: NodeDep, principal: CheckedPrincipalDep) -> SiteOut:
    """Create a site of a client I may change."""
    client = _record(request, principal, "clients", body.client_id)
    command = c.CreateSite(
        principal.tenant_id,
        client.id,
        body.ref,
        body.name,
        address=body.address,
        postcode=body.postcode,
        city=body.city,
        latitude=body.latitude,
        longitude=body.longitude,
        time_zone=body.time_zone,
        notes=body.notes,
    )
    return SiteOut.model_validate(_write(node, principal, command))


class AccountIn(BaseModel):
    """A plain transmitter; an encrypted one gets its key with ``tocsin account add --key-stdin``, so
    a key never travels through the API."""

    number: Annotated[str, Field(min_length=3, max_length=16, pattern=r"^[0-9A-Fa-f]+$", examples=["1234"])]
    receiver: Hex = "0"
    line: Hex = "0"
    profile: str | None = Field(default=None, description=f"One of {', '.join(PROFILES)}.")
    supervision_seconds: int | None = Field(default=None, ge=10, le=31 * 86_400)
    test_seconds: int | None = Field(default=None, ge=60, le=31 * 86_400)


@router.post("/sites/{site_id}/accounts", status_code=201)
def add_account(
    site_id: SiteId, body: AccountIn, request: Request, node: NodeDep, principal: CheckedPrincipalDep
) -> AccountOut:
    """Connect a transmitter to a site I may change."""
    site: Site = _record(request, principal, "sites", site_id)
    command = c.AddAccount(
        site.id,
        body.number,
        body.receiver,
        body.line,
        profile=body.profile,
        supervision_seconds=body.supervision_seconds,
        test_seconds=body.test_seconds,
    )
    return AccountOut.model_validate(_write(node, principal, command))


class ContactIn(BaseModel):
    """A person to call; the password and duress word are hashed on arrival and never shown again."""

    call_order: int = Field(ge=1, le=99)
    name: Name
    phones: list[Phone] = Field(default_factory=list, max_length=5, description="In call order.")
    role: str = Field(default="keyholder", min_length=1, max_length=40)
    password: str | None = Field(default=None, min_length=1, max_length=200)
    duress_word: str | None = Field(default=None, min_length=1, max_length=200)


@router.post("/sites/{site_id}/contacts", status_code=201)
def add_contact(
    site_id: SiteId, body: ContactIn, request: Request, node: NodeDep, principal: CheckedPrincipalDep
) -> ContactOut:
    """Add a person to call for a site I may change (secrets in, only whether they are set out)."""
    site: Site = _record(request, principal, "sites", site_id)
    command = c.AddContact(
        site.id,
        body.call_order,
        body.name,
        tuple(body.phones),
        body.role,
        password=body.password,
        duress_word=body.duress_word,
    )
    return contact_out(_write(node, principal, command))
