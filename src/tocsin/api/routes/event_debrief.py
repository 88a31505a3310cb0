"""``/api/v1/events/{id}/debrief``: an event's timeline replayed from the logbook (docs/units.md,
"Debrief"): the event, its engaged units, and each step with where every unit was and in which status;
``/console/events/{id}/debrief``: the page that plays it on the map.

Like the event's other reads it asks for ``events.dispatch``; an event outside the caller's scope
answers 404 like one that does not exist, and the probe is logged.
"""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import Path, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import BaseModel

from tocsin.api.deps import NodeDep, PrincipalDep, principal_of
from tocsin.api.permissions import api_router
from tocsin.api.routes.events import EventRowOut, _visible
from tocsin.api.routes.pages import templates
from tocsin.domain.errors import TocsinError
from tocsin.domain.users import SessionExpired
from tocsin.i18n.ui import ui_strings
from tocsin.services import debrief as db

router = api_router("", "events")
DISPATCH = "events.dispatch"
EventId = Annotated[UUID, Path(description="The event's id")]


class DebriefUnitOut(BaseModel):
    """A unit engaged on the event: its first engagement and its last release (null: not released)."""

    unit_id: str
    callsign: str
    unit_kind: str
    engaged_at: str
    released_at: str | None


class UnitAtStepOut(BaseModel):
    """A unit as known at a step: its status, whether it is still engaged, its last position (null:
    none reported yet) and its timer's flag."""

    unit_id: str
    status: str
    engaged: bool
    latitude: float | None
    longitude: float | None
    flag: str


class EventAtStepOut(BaseModel):
    """The event as it stood at a step."""

    state: str
    latitude: float | None
    longitude: float | None
    address: str


class DebriefStepOut(BaseModel):
    """One logbook entry of the replay, ``offset_s`` seconds after the call, with what was known then."""

    seq: int
    at: str
    offset_s: float
    kind: str
    actor: str
    text: str
    unit_id: str | None
    event: EventAtStepOut
    units: list[UnitAtStepOut]


class DebriefOut(BaseModel):
    """An event's debrief: the event as it stands, its units, and the steps of its replay; how many
    logbook entries were read, the limit, and whether the read stopped at it (``truncated``)."""

    event: EventRowOut
    opened_at: str | None
    duration_s: float
    units: list[DebriefUnitOut]
    steps: list[DebriefStepOut]
    entries_read: int
    limit: int
    truncated: bool


@router.get("/api/v1/events/{event_id}/debrief", response_model=DebriefOut)
def event_debrief(event_id: EventId, request: Request, node: NodeDep, principal: PrincipalDep) -> Any:
    """The event's timeline replayed from the logbook: each step (an entry about the event or one of its
    units, from the call to the close) with its time since the call and, at that moment, the event's
    state and place and each engaged unit's status and position (in my language)."""
    _visible(principal, request, event_id)
    found = node.store.read(lambda uow: db.gather(uow, event_id), principal.scope_for(DISPATCH))
    # already plain JSON values (a long replay has thousands of steps): answered as they are
    return JSONResponse(db.debrief_view(found, principal.language))


@router.get("/console/events/{event_id}/debrief", include_in_schema=False)
def debrief_page(event_id: UUID, request: Request, node: NodeDep) -> Response:
    """The debrief page: its script reads the debrief above and plays it on the map."""
    try:
        principal = principal_of(request)
    except (SessionExpired, TocsinError):
        return RedirectResponse("/login", status_code=303)
    allowed = principal.can(DISPATCH)
    context: dict[str, Any] = {
        "lang": principal.language,
        "t": ui_strings(principal.language),
        "allowed": allowed,
    }
    context |= {
        "event_id": str(event_id),
        "room_time_zone": node.settings.room_time_zone,
        "map_tiles_url": node.settings.map_tiles_url,
    }
    return templates.TemplateResponse(request, "debrief.html", context, status_code=200 if allowed else 403)
