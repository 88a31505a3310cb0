"""``GET /api/v1/events/{id}/recommendation``: the units to send to an event, ranked by drive time.

The event's type gives the response plan; the tenant's available units able to fill its lines are
ranked by drive time on the road graph (one reverse search from the event) plus their turnout time,
each with its ETA and the reason for its rank, in the caller's language and in both; engaged or
unavailable units follow with what freeing them would cost. Without a road graph (or for an event
outside it) times are estimated from the distance and the answer says so (``method``).

Like every event route it asks for ``events.dispatch``; an event outside the caller's scope answers
404 like one that does not exist, and the probe is logged. Nothing is written.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import Query, Request
from pydantic import BaseModel, ConfigDict

from tocsin.api.deps import NodeDep, PrincipalDep, in_scope_or_probe
from tocsin.api.permissions import api_router
from tocsin.api.routes.events import DISPATCH, EventId
from tocsin.services import recommendation as rec

router = api_router("/api/v1", "events")


class RankedUnitOut(BaseModel):
    """A unit of the recommendation, in rank order."""

    model_config = ConfigDict(extra="allow")
    rank: int
    unit_id: str
    callsign: str
    status: str
    available: bool
    drive_seconds: int | None
    turnout_seconds: int
    eta_seconds: int | None
    eta: str | None
    method: Literal["road", "distance", "none"]
    proposed_as: str | None
    reason: str


class PlanLineOut(BaseModel):
    """A line of the response plan and the units proposed for it (``missing``: how many lack)."""

    unit_type: str
    count: int
    unit_ids: list[str]
    missing: int


class RecommendationOut(BaseModel):
    """The response plan filled, then every able unit ranked."""

    model_config = ConfigDict(extra="allow")
    event_id: str
    method: Literal["road", "distance", "none"]
    note: str
    plan: list[PlanLineOut]
    proposed: list[str]
    units: list[RankedUnitOut]


@router.get("/events/{event_id}/recommendation", response_model=RecommendationOut)
def recommend_units(
    event_id: EventId,
    request: Request,
    node: NodeDep,
    principal: PrincipalDep,
    limit: Annotated[int, Query(ge=1, le=rec.MAX_LIMIT, description="Ranked units shown at most")] = 50,
) -> dict[str, Any]:
    """The units to send to the event: its response plan filled by the able units that arrive first,
    each with its drive time, turnout time, ETA and the reason for its rank."""
    incident = in_scope_or_probe(
        request,
        principal,
        principal.scope_for(DISPATCH),
        lambda uow: uow.incidents.get(event_id),
        f"No event {event_id} in your scope: list the events to find the right id.",
    )
    graph = node.router.graph()
    computed = node.store.read(
        lambda uow: node.recommender.recommend(uow, incident, graph, limit),
        principal.scope_for(DISPATCH),
    )
    return rec.recommendation_view(computed, node.clock.now(), principal.language, limit)
