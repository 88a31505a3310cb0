"""``/api/v1/signals``: what transmitters sent, as the caller may see it."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import Query

from tocsin.api.deps import NodeDep, PrincipalDep
from tocsin.api.permissions import api_router
from tocsin.api.schemas import SignalOut
from tocsin.services.queries import signal_view

router = api_router("/api/v1", "signals")


@router.get("/signals")
def list_signals(
    node: NodeDep,
    principal: PrincipalDep,
    account: Annotated[str | None, Query(max_length=16)] = None,
    since: datetime | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[SignalOut]:
    """Signals of my sites, newest first: raw frame, decoded events, times, node, answer given."""
    found = node.store.read(
        lambda uow: uow.signals.find(uow.scope, account_number=account, since=since, limit=limit),
        principal.scope_for("directory.read"),
    )
    return [SignalOut.model_validate(signal_view(s)) for s in found]
