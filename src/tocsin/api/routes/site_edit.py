"""``/api/v1``: an administrator edits a site's file (``directory.write``): the site's fields, its zones
and its contacts.

The permission's scope decides which sites: a record outside it answers 404 (the probe is recorded), as
a read would. A contact's password and duress word may be set, changed or cleared; they are hashed on
arrival and never come back: the answer says only whether each is set. Each change is a logbook entry
in the change's transaction.
"""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import Path, Request
from pydantic import BaseModel, ConfigDict, Field, model_validator

from tocsin.api.deps import CheckedPrincipalDep, NodeDep, in_scope_or_probe
from tocsin.api.permissions import api_router
from tocsin.api.schemas import ContactOut, SiteOut, ZoneOut, contact_out
from tocsin.domain import commands as c
from tocsin.domain import site_admin as s
from tocsin.domain.errors import InvalidInput
from tocsin.domain.sites import Site
from tocsin.domain.users import Principal

router = api_router("/api/v1", "directory")
WRITE = "directory.write"
SiteId = Annotated[UUID, Path(description="The site's id")]
ZoneId = Annotated[UUID, Path(description="The zone's id")]
ContactId = Annotated[UUID, Path(description="The contact's id")]
Name = Annotated[str, Field(min_length=1, max_length=200)]
Phone = Annotated[str, Field(min_length=1, max_length=40)]
ZoneNumber = Annotated[str, Field(min_length=1, max_length=16, examples=["3"])]
ZoneKind = Annotated[str, Field(min_length=1, max_length=32, examples=["intrusion"])]
Secret = Annotated[str, Field(min_length=1, max_length=200)]


def _write(node: NodeDep, principal: Principal, command: c.Command) -> Any:
    return node.messagebus.handle(command, scope=principal.scope_for(WRITE), actor=principal.actor)


def _site(request: Request, principal: Principal, site_id: UUID) -> Site:
    """A site the caller may change; one outside the write scope is 404 and a recorded probe."""
    return in_scope_or_probe(
        request,
        principal,
        principal.scope_for(WRITE),
        lambda uow: uow.sites.get(site_id),
        f"No site {site_id} in your scope: search the sites to find it.",
    )


class SitePatch(BaseModel):
    """The fields to change (those left out stay as they are; null clears the coordinates). A new
    ``client_id`` moves the site to another client I may change (refused while an alarm of the site is
    not closed or a temporary instruction not ended). The reference is not changed here: a field not
    listed is refused."""

    model_config = ConfigDict(extra="forbid")

    client_id: UUID | None = Field(default=None, description="Move the site to this client")
    name: Name | None = None
    address: str | None = Field(default=None, max_length=300)
    postcode: str | None = Field(default=None, max_length=20)
    city: str | None = Field(default=None, max_length=100)
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)
    time_zone: str | None = Field(default=None, min_length=1, max_length=64, description="IANA zone")
    notes: str | None = Field(default=None, max_length=4000)


@router.patch("/sites/{site_id}")
def update_site(
    site_id: SiteId, body: SitePatch, request: Request, node: NodeDep, principal: CheckedPrincipalDep
) -> SiteOut:
    """Change a site's client, name, address, coordinates, time zone or notes (each change is in the
    logbook)."""
    sent = body.model_dump(include=body.model_fields_set)
    for name in ("client_id", "name", "time_zone"):
        if name in sent and sent[name] is None:
            raise InvalidInput(f"A site's {name.replace('_', ' ')} cannot be removed: give a new one.")
    for name in ("address", "postcode", "city", "notes"):
        if name in sent and sent[name] is None:
            sent[name] = ""
    site = _site(request, principal, site_id)
    if sent.get("client_id") not in (None, site.client_id):
        in_scope_or_probe(
            request,
            principal,
            principal.scope_for(WRITE),
            lambda uow: uow.clients.get(sent["client_id"]),
            f"No client {sent['client_id']} in your scope: create the client first.",
        )
    return SiteOut.model_validate(_write(node, principal, s.UpdateSite(site.id, sent)))


class ZoneIn(BaseModel):
    number: ZoneNumber
    name: Name
    kind: ZoneKind = "intrusion"


class ZonePatch(BaseModel):
    number: ZoneNumber | None = None
    name: Name | None = None
    kind: ZoneKind | None = None


@router.post("/sites/{site_id}/zones", status_code=201)
def add_zone(
    site_id: SiteId, body: ZoneIn, request: Request, node: NodeDep, principal: CheckedPrincipalDep
) -> ZoneOut:
    """Add a zone to a site (its number as the panel reports it, unique on the site)."""
    site = _site(request, principal, site_id)
    return ZoneOut.model_validate(
        _write(node, principal, c.AddZone(site.id, body.number, body.name, body.kind))
    )


@router.patch("/sites/{site_id}/zones/{zone_id}")
def update_zone(
    *,
    site_id: SiteId,
    zone_id: ZoneId,
    body: ZonePatch,
    request: Request,
    node: NodeDep,
    principal: CheckedPrincipalDep,
) -> ZoneOut:
    """Change a zone's number, label or kind."""
    site = _site(request, principal, site_id)
    command = s.UpdateZone(site.id, zone_id, body.number, body.name, body.kind)
    return ZoneOut.model_validate(_write(node, principal, command))


@router.delete("/sites/{site_id}/zones/{zone_id}")
def remove_zone(
    site_id: SiteId, zone_id: ZoneId, request: Request, node: NodeDep, principal: CheckedPrincipalDep
) -> ZoneOut:
    """Remove a zone from a site (answers the zone removed)."""
    site = _site(request, principal, site_id)
    return ZoneOut.model_validate(_write(node, principal, s.RemoveZone(site.id, zone_id)))


class ContactPatch(BaseModel):
    """What to change; the password and duress word are write-only (hashed, never answered)."""

    call_order: int | None = Field(default=None, ge=1, le=s.MAX_CONTACTS)
    name: Name | None = None
    phones: list[Phone] | None = Field(default=None, max_length=5, description="In call order.")
    role: str | None = Field(default=None, min_length=1, max_length=32)
    password: Secret | None = Field(default=None, description="Set or change the password (never shown)")
    duress_word: Secret | None = Field(
        default=None, description="Set or change the duress word (never shown)"
    )
    clear_password: bool = Field(default=False, description="Remove the password")
    clear_duress: bool = Field(default=False, description="Remove the duress word")

    @model_validator(mode="after")
    def _one_way(self) -> ContactPatch:
        if (self.password is not None and self.clear_password) or (
            self.duress_word is not None and self.clear_duress
        ):
            raise ValueError("set a secret or clear it, not both")
        return self


@router.patch("/sites/{site_id}/contacts/{contact_id}")
def update_contact(
    *,
    site_id: SiteId,
    contact_id: ContactId,
    body: ContactPatch,
    request: Request,
    node: NodeDep,
    principal: CheckedPrincipalDep,
) -> ContactOut:
    """Change a contact; set, change or clear the password and duress word (the answer only says
    whether each is set)."""
    site = _site(request, principal, site_id)
    command = s.UpdateContact(
        site.id,
        contact_id,
        call_order=body.call_order,
        name=body.name,
        phones=None if body.phones is None else tuple(body.phones),
        role=body.role,
        password=body.password,
        duress_word=body.duress_word,
        clear_password=body.clear_password,
        clear_duress=body.clear_duress,
    )
    return contact_out(_write(node, principal, command))


@router.delete("/sites/{site_id}/contacts/{contact_id}")
def remove_contact(
    site_id: SiteId, contact_id: ContactId, request: Request, node: NodeDep, principal: CheckedPrincipalDep
) -> ContactOut:
    """Remove a contact from a site (answers the contact removed, without its secrets)."""
    site = _site(request, principal, site_id)
    return contact_out(_write(node, principal, s.RemoveContact(site.id, contact_id)))


class ContactOrderIn(BaseModel):
    contact_ids: list[UUID] = Field(
        min_length=1,
        max_length=s.MAX_CONTACTS,
        description="Every contact of the site, in the new call order",
    )


@router.put("/sites/{site_id}/contacts/order")
def reorder_contacts(
    site_id: SiteId, body: ContactOrderIn, request: Request, node: NodeDep, principal: CheckedPrincipalDep
) -> list[ContactOut]:
    """Give the site's contacts the call orders 1, 2, 3… in the order sent."""
    site = _site(request, principal, site_id)
    ordered = _write(node, principal, s.ReorderContacts(site.id, tuple(body.contact_ids)))
    return [contact_out(x) for x in ordered]
