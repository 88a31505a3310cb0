"""The station's health for supervisors: ``GET /api/v1/station`` (this node, its processes, the signal
processor, the database, the data folder, the journal, the consoles, the clock and the UPS),
``/console/station`` (the page that shows it) and ``GET /metrics`` (the same figures for Prometheus).

Every one needs a supervisor's or an administrator's session or API token over a whole tenant
(``room.supervise``): ``/metrics`` is never open, even on loopback; a room's Prometheus scrapes it
with a supervisor's API token (``tocsin user token``) as its bearer token. Node figures (the backlog,
the receiver's counters, the clock, the power, the disk) are the node's; alarms and the logbook are the
caller's tenant's only.
"""

from __future__ import annotations

import os
import platform
from datetime import timedelta
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse
from fastapi.templating import Jinja2Templates

from tocsin import __version__
from tocsin.api import metrics
from tocsin.api.deps import NodeDep, PrincipalDep, principal_of
from tocsin.api.permissions import api_router
from tocsin.api.routes.pages import WEB
from tocsin.api.schemas import Out
from tocsin.bootstrap import Node
from tocsin.domain.errors import TocsinError
from tocsin.domain.kpis import AlarmKpis
from tocsin.domain.scope import Scope
from tocsin.domain.users import Forbidden, Principal, SessionExpired
from tocsin.i18n.ui import ui_strings
from tocsin.services import heartbeat as heartbeats
from tocsin.services.kpis import period_of, read_kpis
from tocsin.services.station import Readings, StationMonitor
from tocsin.services.station_figures import Figures, read_figures

PERMISSION = "room.supervise"
router = APIRouter()
api = api_router("/api/v1", "station")
templates = Jinja2Templates(directory=WEB / "templates")


class StationOut(Out):
    """The station as this node sees it."""

    node: dict[str, Any]
    processes: list[dict[str, Any]]
    heartbeats: list[dict[str, Any]]
    processor: dict[str, Any]
    database: dict[str, Any]
    storage: dict[str, Any]
    journal_backlog: int
    consoles: int
    clock: dict[str, Any]
    ups: dict[str, Any]
    signals: dict[str, int]
    open_alarms: list[dict[str, Any]]
    conditions: list[str]
    checked_at: str | None


def supervisor_scope(principal: Principal) -> Scope:
    """The caller's whole tenant, or :class:`Forbidden` (the station concerns the whole room)."""
    scope = principal.scope_for(PERMISSION)
    if not scope.whole_tenant:
        raise Forbidden("The station's health concerns the whole room: ask for a role over the whole tenant.")
    return scope


def _monitor(request: Request) -> StationMonitor | None:
    found: StationMonitor | None = getattr(request.app.state, "station", None)
    return found


def _readings(request: Request, node: Node) -> Readings:
    """The monitor's last readings; without a monitor in this process, the disk read now."""
    monitor = _monitor(request)
    if monitor is not None:
        if monitor.readings.checked_at is None:
            monitor.check()
        return monitor.readings
    readings = Readings()
    readings.clock = {"state": "unmonitored"}
    readings.ups = {"state": "unmonitored"}
    readings.storage = {"state": "unmonitored", "path": str(node.settings.var_dir)}
    return readings


def _processes(request: Request, node: Node) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = [{"name": "console", "state": "ok", "pid": os.getpid()}]
    receiver = getattr(request.app.state, "receiver_status", None)
    if receiver is not None:
        status = receiver()
        found.append({"name": "receiver", "state": "ok" if status.get("listening") else "down", **status})
    try:
        next_due = node.scheduler.next_due()
        found.append(
            {
                "name": "scheduler",
                "state": "ok",
                "next_due": None if next_due is None else next_due.isoformat(),
            }
        )
    except TocsinError:
        found.append({"name": "scheduler", "state": "down"})
    monitor = _monitor(request)
    found.append({"name": "station monitor", "state": "ok" if monitor is not None else "unmonitored"})
    return found


def _heartbeats(node: Node) -> list[dict[str, Any]]:
    """Every process of the room's nodes that beats (its heartbeat deadline), silent when overdue."""
    try:
        return node.store.read(lambda uow: heartbeats.processes(uow, node.clock.now()), Scope.system())
    except TocsinError:
        return []


def _signals(request: Request) -> dict[str, int]:
    return metrics.signal_counts(getattr(request.app.state, "signal_stats", None))


@api.get("/station")
def station(request: Request, node: NodeDep, principal: PrincipalDep) -> StationOut:
    """The station's health (``room.supervise`` over a whole tenant)."""
    scope = supervisor_scope(principal)
    readings = _readings(request, node)  # first: a first check may raise alarms the figures then count
    figures = read_figures(node.store, node.clock, scope)
    return StationOut.model_validate(
        {
            "node": {
                "name": node.settings.node_name,
                "version": __version__,
                "python": platform.python_version(),
                "pid": os.getpid(),
            },
            "processes": _processes(request, node),
            "heartbeats": _heartbeats(node),
            "processor": _processor(figures),
            "database": {
                "ok": figures.database_ok,
                "kind": node.settings.effective_database_url.split(":", 1)[0],
                "read_seconds": round(figures.database_seconds, 4),
            },
            "storage": readings.storage,
            "journal_backlog": node.journal_backlog(),
            "consoles": request.app.state.hub.consoles,
            "clock": readings.clock,
            "ups": readings.ups,
            "signals": _signals(request),
            "open_alarms": [
                {"class": c, "priority": p, "count": n} for (c, p), n in sorted(figures.open_alarms.items())
            ],
            "conditions": readings.conditions,
            "checked_at": None if readings.checked_at is None else readings.checked_at.isoformat(),
        }
    )


def _processor(figures: Figures) -> dict[str, Any]:
    oldest = figures.oldest_pending_at
    return {
        "backlog": figures.backlog,
        "oldest_pending_at": None if oldest is None else oldest.isoformat(),
        "lag_seconds": round(figures.lag_seconds, 3),
    }


@router.get("/metrics", include_in_schema=False)
def prometheus(request: Request, node: NodeDep) -> Response:
    """The node's figures in Prometheus's text format, for a supervisor's token or session."""
    scope = supervisor_scope(principal_of(request))
    figures = read_figures(node.store, node.clock, scope)
    monitor = _monitor(request)
    body = metrics.exposition(
        figures,
        _signals(request),
        request.app.state.hub.consoles,
        node.journal_backlog(),
        None if monitor is None else monitor.readings,
        kpis=_window_kpis(node, scope) if figures.database_ok else None,
    )
    return Response(body, media_type=metrics.CONTENT_TYPE)


def _window_kpis(node: Node, scope: Scope) -> AlarmKpis | None:
    """The alarm KPIs of the last ``TOCSIN_KPI_METRICS_HOURS`` hours (none when the store fails)."""
    now = node.clock.now()
    period = period_of(node.clock, now - timedelta(hours=node.settings.kpi_metrics_hours), now)
    try:
        return read_kpis(node.store, scope, period, node.settings.kpi_targets)
    except TocsinError:
        return None


@router.get("/console/station", include_in_schema=False)
def station_page(request: Request) -> Response:
    """The station page: its script reads ``/api/v1/station`` every ten seconds."""
    try:
        principal = principal_of(request)
    except (SessionExpired, TocsinError):
        return RedirectResponse("/login", status_code=303)
    t = ui_strings(principal.language)
    allowed = principal.can(PERMISSION) and principal.scope_for(PERMISSION).whole_tenant
    context = {"lang": principal.language, "t": t, "allowed": allowed}
    return templates.TemplateResponse(request, "station.html", context, status_code=200 if allowed else 403)


router.include_router(api)
