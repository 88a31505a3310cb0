"""Health: ``/health`` says only ok or degraded, to anyone (a load balancer, a monitor); ``/api/v1/health``
gives a supervisor or an administrator the details: the database, the scheduler, the bus, the receiver
and the live consoles. Nothing internal (database host, user, error text, versions) reaches an anonymous
caller."""

from __future__ import annotations

import platform
from collections.abc import Callable
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse

from tocsin import __version__
from tocsin.api.deps import NodeDep, PrincipalDep
from tocsin.api.permissions import api_router
from tocsin.api.schemas import HealthOut
from tocsin.bootstrap import Node
from tocsin.domain.errors import TocsinError
from tocsin.domain.scope import Scope
from tocsin.domain.users import Forbidden
from tocsin.services import queries

router = APIRouter()
details = api_router("/api/v1", "health")
ReceiverStatus = Callable[[], dict[str, Any]]


def _checks(node: Node) -> dict[str, dict[str, Any]]:
    checks: dict[str, dict[str, Any]] = {}
    try:
        node.store.read(lambda uow: queries.chain_head(uow, node.clock.new_id()), Scope.system())
        checks["store"] = {"ok": True}
    except TocsinError as exc:
        checks["store"] = {"ok": False, "detail": str(exc)}
    try:
        next_due = node.scheduler.next_due()
        checks["scheduler"] = {"ok": True, "next_due": _iso(next_due)}
    except TocsinError as exc:
        checks["scheduler"] = {"ok": False, "detail": str(exc)}
    checks["bus"] = {"ok": True, "kind": type(node.bus).__name__}
    return checks


def _iso(at: datetime | None) -> str | None:
    return None if at is None else at.isoformat()


@router.get("/health", tags=["health"])
def health(node: NodeDep) -> JSONResponse:
    """``ok`` when the store, the scheduler and the bus work, else ``degraded`` with 503; no details."""
    ok = all(c["ok"] for c in _checks(node).values())
    return JSONResponse({"status": "ok" if ok else "degraded"}, status_code=200 if ok else 503)


@details.get("/health")
def detailed_health(
    request: Request, response: Response, node: NodeDep, principal: PrincipalDep
) -> HealthOut:
    """Each part of the node with its state, and the receiver as far as this node knows it; for
    supervisors and administrators (``room.supervise``). 503 when a part fails."""
    scope = principal.scope_for("room.supervise")
    if not scope.whole_tenant:
        raise Forbidden("The node's health concerns the whole room: ask for a role over the whole tenant.")
    checks = _checks(node)
    ok = all(c["ok"] for c in checks.values())
    checks["store"]["database"] = node.settings.effective_database_url.split(":", 1)[0]
    body = {
        "status": "ok" if ok else "degraded",
        "checks": checks,
        "receiver": _receiver(request, node, scope),
        "live_consoles": request.app.state.hub.consoles,
        "versions": {"tocsin": __version__, "python": platform.python_version()},
        "node": node.settings.node_name,
    }
    response.status_code = 200 if ok else 503
    return HealthOut.model_validate(body)


router.include_router(details)


def _receiver(request: Request, node: Node, scope: Scope) -> dict[str, Any]:
    """What this node knows of the alarm receiver: the last signal the store received for this tenant,
    the journal waiting for a replay, and the listener when the receiver runs in this process."""
    found: dict[str, Any] = {}
    try:
        last = node.store.read(lambda uow: uow.signals.find(scope, limit=1), Scope.system())
        found["last_signal_at"] = _iso(last[0].received_at) if last else None
    except TocsinError as exc:
        found["last_signal_at"] = None
        found["detail"] = str(exc)
    found["journal_backlog"] = node.journal_backlog()
    status: ReceiverStatus | None = getattr(request.app.state, "receiver_status", None)
    found["in_process"] = status is not None
    if status is not None:
        found |= status()
    return found
