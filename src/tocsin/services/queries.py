"""Read-side queries for screens and the API: plain values, already scoped."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from uuid import UUID

from tocsin.domain.errors import NotFound
from tocsin.domain.incident_events import BOARD_KEYS
from tocsin.domain.logbook import LogbookEntry, chain_for
from tocsin.domain.scope import Scope
from tocsin.domain.signals import Signal
from tocsin.domain.sites import Site
from tocsin.domain.street_map import SEGMENT_LIMIT, BoundingBox, StreetMap, join_pieces
from tocsin.domain.unit_events import BOARD_KEYS as UNIT_BOARD_KEYS
from tocsin.domain.users import ApiToken, Principal, User
from tocsin.i18n import render
from tocsin.services.unit_of_work import UnitOfWork

LIST_LIMIT = 1000
ALARM_KIND_PREFIX = "alarm."
# What a live alarm entry carries to the consoles (the AlarmEvent's fields; nothing else of its data).
ALARM_SNAPSHOT_KEYS = (
    "alarm_id",
    "site_id",
    "client_id",
    "site_ref",
    "site_name",
    "alarm_class",
    "priority",
    "state",
    "signal_count",
    "holder",
    "title_en",
    "title_fr",
    "opened_at",
    "escalated",
    "back_to_normal",
    "avs_score",
    "restored_zones",  # alarm.updated: the zones a restore ended (the queue shows an alarm restored)
)


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
    view = entry_view(entry, language) | {
        "event_class": params.get("event_class"),
        "restore": bool(params.get("restore", False)),
        "alarm_id": params.get("alarm_id"),  # a signal's entry names the alarm it joined
    }
    if entry.kind.startswith(ALARM_KIND_PREFIX):
        # the alarm as it now stands: a console keeps its queue from these entries alone
        view["data"] = {key: params[key] for key in ALARM_SNAPSHOT_KEYS if key in params}
    elif entry.kind.startswith("incident."):  # the event as it now stands: the board keeps itself from these
        view["data"] = {key: params[key] for key in BOARD_KEYS if key in params}
    elif entry.kind.startswith("unit."):  # the unit as it now stands: the board shows each event's units
        view["data"] = {key: params[key] for key in UNIT_BOARD_KEYS if key in params}
    return view


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


def signal_view(signal: Signal) -> Mapping[str, Any]:
    """A signal as the CLI and the API show it."""
    return {
        "id": str(signal.id),
        "received_at": signal.received_at.isoformat(),
        "node": signal.node,
        "listener": signal.listener,
        "answer": signal.answer,
        "raw": signal.raw,
        "account": signal.account_number,
        "receiver": signal.receiver,
        "line": signal.line,
        "sequence": signal.sequence,
        "id_token": signal.id_token,
        "data": signal.data,
        "occurred_at": None if signal.occurred_at is None else signal.occurred_at.isoformat(),
        "events": [e.to_json() for e in signal.events],
        "problem": signal.problem,
        "tenant_id": None if signal.tenant_id is None else str(signal.tenant_id),
        "site_id": None if signal.site_id is None else str(signal.site_id),
    }


def user_view(uow: UnitOfWork, user: User) -> dict[str, Any]:
    """A user as an administrator sees them: no password hash, their grants with role names."""
    grants = []
    for grant in uow.grants.find(user_id=user.id):
        role = uow.roles.get(grant.role_id)
        grants.append(
            {
                "id": grant.id,
                "role": "?" if role is None else role.name,
                "client_ids": list(grant.client_ids),
                "site_ids": list(grant.site_ids),
            }
        )
    return {
        "id": user.id,
        "tenant_id": user.tenant_id,
        "username": user.username,
        "display_name": user.display_name,
        "language": user.language,
        "active": user.active,
        "grants": grants,
    }


def users(uow: UnitOfWork) -> list[dict[str, Any]]:
    """Every user the unit of work's scope sees, by user name."""
    return [user_view(uow, u) for u in sorted(uow.users.find(), key=lambda u: u.username)]


def user(uow: UnitOfWork, user_id: UUID) -> dict[str, Any]:
    """One user in scope, or NotFound."""
    return user_view(uow, require(uow.users.get(user_id), "user", user_id))


def tokens(uow: UnitOfWork, user_id: UUID) -> list[ApiToken]:
    """A user's API tokens (never their secret, which is not stored), or NotFound for the user."""
    found = require(uow.users.get(user_id), "user", user_id)
    return uow.auth.tokens_of(found.id)


def site_streets(uow: UnitOfWork, site: Site, radius_m: int) -> StreetMap | None:
    """The streets of the geographic reference around a site, joined into lines; None when the site has
    no coordinates. The site must already be one the caller may see: streets belong to no tenant."""
    if site.latitude is None or site.longitude is None:
        return None
    box = BoundingBox.around(site.latitude, site.longitude, radius_m)
    pieces, truncated = uow.geo.pieces_within(box, SEGMENT_LIMIT)
    return StreetMap(box, radius_m, tuple(join_pieces(pieces)), truncated)


def streets_around(uow: UnitOfWork, latitude: float, longitude: float, radius_m: int) -> StreetMap:
    """The streets of the geographic reference around a point (the call screen's and the events' map).
    Streets belong to no tenant: the caller's right to take calls is checked before."""
    box = BoundingBox.around(latitude, longitude, radius_m)
    pieces, truncated = uow.geo.pieces_within(box, SEGMENT_LIMIT)
    return StreetMap(box, radius_m, tuple(join_pieces(pieces)), truncated)
