"""The shipped nomenclature (``tocsin/reference/nomenclature.json``) and a tenant's own.

A tenant uses the shipped types until its first event or its administrator's first edit, which load them
into its own table in that transaction; from then on the tenant's table is the truth and edits stay its
own (a later release's shipped file never overwrites them).
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from uuid import UUID

from tocsin.domain.errors import InvalidInput
from tocsin.domain.nomenclature import IncidentType, parse_type
from tocsin.services.unit_of_work import UnitOfWork


@cache
def shipped_types() -> tuple[IncidentType, ...]:
    """The types shipped with Tocsin, read and checked once."""
    text = resources.files("tocsin").joinpath("reference/nomenclature.json").read_text(encoding="utf-8")
    return tuple(parse_type(data) for data in json.loads(text)["types"])


def tenant_types(uow: UnitOfWork, tenant_id: UUID) -> dict[str, IncidentType]:
    """The tenant's nomenclature by code (the shipped one while it has none of its own)."""
    own = uow.incidents.types(tenant_id)
    return {t.code: t for t in (own or shipped_types())}


def load_into_tenant(uow: UnitOfWork, tenant_id: UUID) -> None:
    """Store the shipped types as the tenant's own, if it has none yet."""
    if not uow.incidents.types(tenant_id):
        uow.incidents.put_types(tenant_id, shipped_types(), uow.clock.now())


def type_for(uow: UnitOfWork, tenant_id: UUID, code: str) -> IncidentType:
    """The tenant's active type with this code, or a clear refusal."""
    kind = tenant_types(uow, tenant_id).get(code.strip().upper())
    if kind is None:
        raise InvalidInput(f"No event type {code!r}: GET /api/v1/event-types lists the codes.")
    if not kind.active:
        raise InvalidInput(f"Event type {kind.code} is retired: choose another (GET /api/v1/event-types).")
    return kind
