"""``/api/v1/signals``: what transmitters sent, as the caller may see it."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query

from tocsin.api.deps import NodeDep, PrincipalDep
from tocsin.domain.scope import Scope
from tocsin.services.queries import signal_view

router = APIRouter(prefix="/api/v1", tags=["signals"])


@router.get("/signals")
def list_signals(
    node: NodeDep,
    principal: PrincipalDep,
    account: Annotated[str | None, Query(max_length=16)] = None,
    since: datetime | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[dict[str, Any]]:
    """Signals of my sites, newest first: raw frame, decoded events, times, node, answer given."""
    scope = principal.scope_for("directory.read")
    found = node.store.read(
        lambda uow: uow.signals.find(scope, account_number=account, since=since, limit=limit), Scope.system()
    )
    return [dict(signal_view(s)) for s in found]
