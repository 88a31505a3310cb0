"""``GET /api/v1/station/kit.pdf``: the degraded-mode kit, on demand (docs/degraded.md).

For supervisors (``room.supervise``), in their scope: a supervisor of some clients gets the open items,
sites and call lists of those clients only. ``tocsin serve`` also writes every tenant's kit into the data
folder every hour, for the day the database is what failed.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Query
from fastapi.responses import Response

from tocsin.api.deps import NodeDep, PrincipalDep
from tocsin.api.permissions import api_router
from tocsin.domain.users import LANGUAGES
from tocsin.services.kit import gather_kit

PERMISSION = "room.supervise"
router = api_router("/api/v1", "station")


@router.get(
    "/station/kit.pdf",
    response_class=Response,
    responses={
        200: {
            "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
            "description": "The degraded-mode kit (PDF)",
        }
    },
)
def station_kit(
    node: NodeDep,
    principal: PrincipalDep,
    lang: Annotated[
        str | None, Query(pattern="^(en|fr)$", description="Its language (default: mine)")
    ] = None,
) -> Response:
    """The paper kit: open alarms and events, the instructions and call lists (contacts and phones) of
    their sites, the units and the partners' numbers, as my supervisor's scope sees them."""
    scope = principal.scope_for(PERMISSION)
    kit = node.store.read(lambda uow: gather_kit(uow, principal.tenant_id), scope)
    language = lang if lang in LANGUAGES else principal.language
    pdf = node.kit_pdf(kit, language)
    stamp = kit.made_at.strftime("%Y%m%d-%H%M")
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="kit-{stamp}.pdf"'},
    )
