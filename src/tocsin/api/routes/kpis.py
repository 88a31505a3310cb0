"""The room's KPIs for supervisors: ``GET /api/v1/kpis`` (JSON), ``/api/v1/kpis/csv`` and
``/api/v1/kpis/pdf`` (the same period exported), and ``/console/kpis`` (the page with its charts).

Each needs ``room.supervise``, and counts only what that permission's scope sees: a supervisor over one
client gets that client's sites (site-less alarms, such as an unknown transmitter's, need the whole
tenant); another tenant's alarms and signals never count. ``from`` and ``to`` are ISO 8601 times with an
offset; ``to`` defaults to now and ``from`` to 24 hours before ``to``; a period is at most 366 days.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Query, Request, Response
from fastapi.responses import RedirectResponse
from fastapi.templating import Jinja2Templates
from pydantic import AwareDatetime

from tocsin.api.deps import NodeDep, PrincipalDep, principal_of
from tocsin.api.kpi_schemas import KpisOut
from tocsin.api.permissions import api_router
from tocsin.api.routes.pages import WEB
from tocsin.bootstrap import Node
from tocsin.domain.errors import TocsinError
from tocsin.domain.kpis import AlarmKpis
from tocsin.domain.users import Principal, SessionExpired
from tocsin.i18n.ui import ui_strings
from tocsin.services.kpis import as_json, period_of, read_kpis, to_csv

PERMISSION = "room.supervise"
router = api_router("", "kpis")
templates = Jinja2Templates(directory=WEB / "templates")
From = Annotated[
    AwareDatetime | None,
    Query(alias="from", description="Start of the period, with its offset (default: 24 h before 'to')"),
]
To = Annotated[AwareDatetime | None, Query(description="End of the period, excluded (default: now)")]


def _report(node: Node, principal: Principal, start: Any, end: Any) -> AlarmKpis:
    scope = principal.scope_for(PERMISSION)
    period = period_of(node.clock, start, end)
    return read_kpis(node.store, scope, period, node.settings.kpi_targets)


def _name(kpis: AlarmKpis, extension: str) -> str:
    start, end = (x.strftime("%Y%m%dT%H%M") for x in (kpis.period.start, kpis.period.end))
    return f'attachment; filename="tocsin-kpis-{start}-{end}.{extension}"'


@router.get("/api/v1/kpis", response_model=KpisOut, response_model_by_alias=True)
def kpis(node: NodeDep, principal: PrincipalDep, start: From = None, to: To = None) -> dict[str, Any]:
    """The KPIs of a period: times to take and to settle per class (p50, p90, shares within the
    targets), false-alarm rates by class, site and client, causes, signals per hour, and the NFPA 1225
    dispatch intervals of the period's events (``dispatch``)."""
    return as_json(_report(node, principal, start, to))


@router.get(
    "/api/v1/kpis/csv",
    response_class=Response,
    responses={
        200: {"content": {"text/csv": {"schema": {"type": "string"}}}, "description": "The report as CSV"}
    },
)
def kpis_csv(node: NodeDep, principal: PrincipalDep, start: From = None, to: To = None) -> Response:
    """The same period as one CSV table (a ``section`` column tells the rows apart)."""
    report = _report(node, principal, start, to)
    return Response(
        to_csv(report),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": _name(report, "csv")},
    )


@router.get(
    "/api/v1/kpis/pdf",
    response_class=Response,
    responses={
        200: {
            "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
            "description": "The report as PDF",
        }
    },
)
def kpis_pdf(node: NodeDep, principal: PrincipalDep, start: From = None, to: To = None) -> Response:
    """The same period as a PDF report, in the caller's language."""
    report = _report(node, principal, start, to)
    pdf = node.kpi_pdf(report, principal.language, principal.display_name)
    return Response(pdf, media_type="application/pdf", headers={"Content-Disposition": _name(report, "pdf")})


@router.get("/console/kpis", include_in_schema=False)
def kpis_page(request: Request) -> Response:
    """The KPI page: its script reads ``/api/v1/kpis`` (the last 24 h every 30 s, or a chosen period)."""
    try:
        principal = principal_of(request)
    except (SessionExpired, TocsinError):
        return RedirectResponse("/login", status_code=303)
    t = ui_strings(principal.language)
    allowed = principal.can(PERMISSION)
    context = {"lang": principal.language, "t": t, "allowed": allowed}
    return templates.TemplateResponse(request, "kpis.html", context, status_code=200 if allowed else 403)
