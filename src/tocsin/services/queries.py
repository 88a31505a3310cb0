"""Read-side queries for screens and the API: plain values, already scoped."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from tocsin.domain.errors import NotFound
from tocsin.domain.logbook import LogbookEntry, chain_for
from tocsin.domain.scope import Scope
from tocsin.domain.users import Principal
from tocsin.i18n import render
from tocsin.services.unit_of_work import UnitOfWork

LIST_LIMIT = 1000


def entry_view(entry: LogbookEntry, language: str) -> dict[str, Any]:
    """A logbook entry as the console shows it."""
    return {
        "id": str(entry.id),
        "chain": entry.chain,
        "seq": entry.seq,
        "recorded_at": entry.recorded_at.isoformat(),
        "occurred_at": None if entry.occurred_at is None else entry.occurred_at.isoformat(),
        "actor": entry.actor,
        "kind": entry.kind,
        "text": render(entry.message, entry.params, language),
        "site_id": None if entry.site_id is None else str(entry.site_id),
        "client_id": None if entry.client_id is None else str(entry.client_id),
    }


def console_entry_view(entry: LogbookEntry, language: str) -> dict[str, Any]:
    """A logbook entry as the live console shows it: with a signal's alarm class, which sets how loud
    its row is (the export's and the API's fields stay as they are)."""
    params = entry.params
    return entry_view(entry, language) | {
        "event_class": params.get("event_class"),
        "restore": bool(params.get("restore", False)),
    }


def chain_head(uow: UnitOfWork, tenant_id: UUID) -> int:
    """The last sequence of a tenant's chain (0 when empty)."""
    chain = chain_for(tenant_id)
    return next((h.seq for h in uow.logbook.chains() if h.chain == chain), 0)


def latest_entries(uow: UnitOfWork, scope: Scope, limit: int) -> list[LogbookEntry]:
    """The newest entries the scope may see, oldest first."""
    return list(reversed(list(uow.logbook.read(scope, limit=limit, newest_first=True))))


def entries_after(uow: UnitOfWork, scope: Scope, after_seq: int, limit: int) -> list[LogbookEntry]:
    """Entries the scope may see after a sequence, oldest first."""
    return list(uow.logbook.read(scope, after_seq=after_seq, limit=limit))


def me(uow: UnitOfWork, principal: Principal) -> dict[str, Any]:
    """The caller, their tenant, roles and permissions."""
    tenant = uow.tenants.get(principal.tenant_id)
    permissions = sorted({p for perms, _ in principal.grants for p in perms})
    return {
        "id": str(principal.user_id),
        "username": principal.username,
        "display_name": principal.display_name,
        "language": principal.language,
        "roles": list(principal.roles),
        "permissions": permissions,
        "tenant": None if tenant is None else {"id": str(tenant.id), "ref": tenant.ref, "name": tenant.name},
    }


def require(found: Any, what: str, ident: object) -> Any:
    """The record, or NotFound naming what was asked for."""
    if found is None:
        raise NotFound(f"No {what} {ident} in your scope.")
    return found
