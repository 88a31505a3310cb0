"""``/health``: is this node able to work."""

from __future__ import annotations

import platform
from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from tocsin import __version__
from tocsin.api.deps import NodeDep
from tocsin.domain.errors import TocsinError
from tocsin.domain.scope import Scope
from tocsin.services import queries

router = APIRouter()


@router.get("/health", tags=["health"])
def health(node: NodeDep) -> JSONResponse:
    """The store, the scheduler and the bus, each ok or with the reason it is not; 503 if any fails."""
    checks: dict[str, Any] = {}
    try:
        node.store.read(lambda uow: queries.chain_head(uow, node.clock.new_id()), Scope.system())
        checks["store"] = {"ok": True}
    except TocsinError as exc:
        checks["store"] = {"ok": False, "detail": str(exc)}
    try:
        next_due = node.scheduler.next_due()
        checks["scheduler"] = {"ok": True, "next_due": None if next_due is None else next_due.isoformat()}
    except TocsinError as exc:
        checks["scheduler"] = {"ok": False, "detail": str(exc)}
    checks["bus"] = {"ok": True, "kind": type(node.bus).__name__}
    ok = all(c["ok"] for c in checks.values())
    body = {
        "status": "ok" if ok else "failing",
        "checks": checks,
        "versions": {"tocsin": __version__, "python": platform.python_version()},
        "node": node.settings.node_name,
    }
    return JSONResponse(body, status_code=200 if ok else 503)
