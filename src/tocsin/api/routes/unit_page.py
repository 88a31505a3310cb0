"""``/unit``: a field crew's mobile page (the ``unit.report`` permission): its assignment with the place
and a small map, status buttons for gloved hands, position sharing, messages and reinforcement requests.
The page reads ``/api/v1/units/me`` when its live socket brings an entry (a crew's socket carries only
its unit's entries and its event's: :class:`tocsin.api.live.CrewFeed`), and every 30 s while it is down."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from tocsin.api.routes.pages import _current, templates
from tocsin.i18n.ui import ui_strings

router = APIRouter(include_in_schema=False)


@router.get("/unit", response_class=HTMLResponse)
def unit_page(request: Request) -> Response:
    principal = _current(request)
    if principal is None:
        return RedirectResponse("/login", status_code=303)
    context = {
        "lang": principal.language,
        "t": ui_strings(principal.language),
        "csrf_token": principal.csrf_token,
        "allowed": principal.can("unit.report"),
        "display_name": principal.display_name,
    }
    return templates.TemplateResponse(request, "unit.html", context)
