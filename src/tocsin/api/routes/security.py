"""``/api/v1/security/refusals``: refused logins and requests, for the room's supervisors.

Failed logins under an existing user's name are in that user's tenant chain, which the console shows;
those under unknown names (and WebSocket attempts from foreign pages) belong to no tenant and are in the
system chain, which no console follows. This view shows a supervisor the newest refusals of their tenant
and, when the node serves only their tenant, of the system chain too (on a node shared by several tenants,
names tried and source addresses under no tenant may be another tenant's people: they stay hidden).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Query

from tocsin.api.deps import NodeDep, PrincipalDep
from tocsin.api.permissions import api_router
from tocsin.api.schemas import RefusalsOut
from tocsin.domain.logbook import SYSTEM_CHAIN, LogbookEntry
from tocsin.domain.scope import Scope
from tocsin.domain.users import Forbidden
from tocsin.services import queries
from tocsin.services.unit_of_work import UnitOfWork

router = api_router("/api/v1", "security")

KINDS = frozenset({"auth.login_failed", "security.refused", "security.refusals_counted"})
LOOK_BACK = 2000  # entries of each chain searched for refusals


def refusals(uow: UnitOfWork, scope: Scope, limit: int) -> list[LogbookEntry]:
    """The newest refusals of the scope's tenant (and of the system chain on a one-tenant node), newest
    first."""
    found = [e for e in uow.logbook.read(scope, limit=LOOK_BACK, newest_first=True) if e.kind in KINDS]
    if len(uow.tenants.find()) == 1:
        head = next((h.seq for h in uow.logbook.chains() if h.chain == SYSTEM_CHAIN), 0)
        found += [e for e in uow.logbook.entries(SYSTEM_CHAIN, max(0, head - LOOK_BACK)) if e.kind in KINDS]
    found.sort(key=lambda e: (e.recorded_at, e.seq), reverse=True)
    return found[:limit]


@router.get("/security/refusals")
def read_refusals(
    node: NodeDep, principal: PrincipalDep, limit: Annotated[int, Query(ge=1, le=500)] = 100
) -> RefusalsOut:
    """Refused logins and requests (the tenant's and those under no tenant), newest first; for
    supervisors and administrators (``room.supervise``)."""
    scope = principal.scope_for("room.supervise")
    if not scope.whole_tenant:
        raise Forbidden("Refusals concern the whole room: ask for a supervisor's role over the whole tenant.")
    found = node.store.read(lambda uow: refusals(uow, scope, limit), Scope.system())
    return RefusalsOut.model_validate({"entries": [queries.entry_view(e, principal.language) for e in found]})
