"""``/console/video``: the video register screen for supervisors and administrators (``room.supervise``):
the viewing register (filtered by camera, period and user), the requisitions (entered, marked
delivered) and the exports (made for a requisition or a reason, downloaded). The page only draws; its
script calls ``/api/v1/video/*``, which checks every act again. Operators get the page's refusal (403)
and no control: they do not extract footage."""

from __future__ import annotations

from typing import Any

from fastapi import Request, Response
from fastapi.responses import RedirectResponse
from fastapi.templating import Jinja2Templates

from tocsin.api.deps import get_node, principal_of
from tocsin.api.permissions import api_router
from tocsin.api.routes.pages import WEB
from tocsin.domain.errors import TocsinError
from tocsin.domain.users import SessionExpired
from tocsin.i18n.ui import ui_strings

PERMISSION = "room.supervise"
router = api_router("", "video")
templates = Jinja2Templates(directory=WEB / "templates")


@router.get("/console/video", include_in_schema=False)
def video_page(request: Request) -> Response:
    """The register, requisitions and exports, with the cameras the supervisor's grant covers."""
    try:
        principal = principal_of(request)
    except (SessionExpired, TocsinError):
        return RedirectResponse("/login", status_code=303)
    t = ui_strings(principal.language)
    allowed = principal.can(PERMISSION)
    cameras: list[dict[str, Any]] = []
    if allowed:
        node = get_node(request)

        def read(uow: Any) -> list[dict[str, Any]]:
            sites = {s.id: s for s in uow.sites.find()}
            return [
                {"id": str(c.id), "name": c.name, "site": sites[c.site_id].ref if c.site_id in sites else ""}
                for c in sorted(uow.cameras.find(), key=lambda c: (c.name, c.id))
            ]

        cameras = node.store.read(read, principal.scope_for(PERMISSION))
    context = {
        "lang": principal.language,
        "t": t,
        "allowed": allowed,
        "csrf_token": principal.csrf_token,
        "config": {"cameras": cameras},
    }
    return templates.TemplateResponse(request, "video.html", context, status_code=200 if allowed else 403)
